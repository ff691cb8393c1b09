//! Two organizations: Contoso (the demo tenant) and Fabrikam, whose one user has no account in
//! Contoso. A user signs in only where they have an account (AADSTS50020); a code is redeemed
//! only at the token endpoint of the tenant it was issued in (AADSTS700005); and an app's own
//! token must name its resource in `scope` (AADSTS90014).

mod support;

use graph_mock::fixtures::{
    OTHER_TENANT_DOMAIN, OTHER_TENANT_ID, OTHER_TENANT_USER, TENANT_DOMAIN,
};
use reqwest::StatusCode;
use support::*;

#[tokio::test]
async fn a_fabrikam_user_signing_in_on_contoso_gets_the_aadsts50020_page() {
    let mock = start().await;
    let diego = OTHER_TENANT_USER.user_principal_name;

    let response = authorize(&mock, TENANT_DOMAIN, &[("login_hint", Some(diego))]).await;

    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert!(
        response.headers().get("location").is_none(),
        "a page, not a redirect"
    );
    let page = response.text().await.unwrap();
    assert!(
        page.contains("AADSTS50020: User account 'DiegoS@fabrikam"),
        "{page}"
    );
    assert!(
        page.contains(&format!("https://sts.windows.net/{OTHER_TENANT_ID}/")),
        "{page}"
    );
    assert!(page.contains("does not exist in tenant"), "{page}");
}

#[tokio::test]
async fn a_contoso_user_with_the_same_request_gets_a_code() {
    let mock = start().await;

    let response = authorize(
        &mock,
        TENANT_DOMAIN,
        &[("login_hint", Some(MEGAN.user_principal_name))],
    )
    .await;

    assert_eq!(response.status(), StatusCode::FOUND);
    assert!(param(&redirect_params(&response), "code").is_some());
}

#[tokio::test]
async fn a_code_from_contoso_redeemed_at_fabrikam_gets_aadsts700005_and_stays_good_at_contoso() {
    let mock = start().await;
    let code = code_for(&mock, TENANT_DOMAIN, &[]).await;

    let elsewhere = redeem_on(&mock, OTHER_TENANT_DOMAIN, &code, &[]).await;
    let body = assert_aadsts(elsewhere, 400, "invalid_grant", 700005).await;
    let at_home = redeem_on(&mock, TENANT_DOMAIN, &code, &[]).await;

    assert!(
        body["error_description"]
            .as_str()
            .unwrap()
            .starts_with("AADSTS700005: Provided Authorization Code is intended to use against other tenant, thus rejected.")
    );
    assert_eq!(
        at_home.status(),
        StatusCode::OK,
        "a refused code is not spent"
    );
}

#[tokio::test]
async fn a_code_from_common_is_redeemed_on_common_and_on_the_apps_tenant() {
    let mock = start().await;
    let first = code_for(&mock, "common", &[]).await;
    let second = code_for(&mock, "common", &[]).await;

    let on_common = redeem_on(&mock, "common", &first, &[]).await;
    let on_contoso = redeem_on(&mock, TENANT_DOMAIN, &second, &[]).await;

    assert_eq!(on_common.status(), StatusCode::OK);
    assert_eq!(on_contoso.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_single_tenant_app_of_contoso_is_not_found_at_fabrikam() {
    let mock = start().await;
    let app = register_app(&mock, &application_body(&[REDIRECT_URI], &[])).await;
    let client_id = app["appId"].as_str().unwrap();

    let response = authorize(
        &mock,
        OTHER_TENANT_DOMAIN,
        &[("client_id", Some(client_id))],
    )
    .await;

    let page = response.text().await.unwrap();
    assert!(page.contains("AADSTS700016"), "{page}");
}

#[tokio::test]
async fn client_credentials_without_scope_get_aadsts90014_and_with_it_a_token() {
    let mock = start().await;
    let form = [
        ("grant_type", "client_credentials"),
        ("client_id", PORTAL_APP.client_id),
        ("client_secret", PORTAL_APP.client_secret),
    ];

    let without = token(&mock, TENANT_DOMAIN, &form).await;
    let body = assert_aadsts(without, 400, "invalid_request", 90014).await;
    let mut with = form.to_vec();
    with.push(("scope", "https://graph.microsoft.com/.default"));
    let with = token(&mock, TENANT_DOMAIN, &with).await;

    assert!(
        body["error_description"]
            .as_str()
            .unwrap()
            .starts_with("AADSTS90014: The required field 'scope' is missing from the credential.")
    );
    assert_eq!(with.status(), StatusCode::OK);
}

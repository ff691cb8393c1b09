//! Where an SPA's codes and refresh tokens may be redeemed from, and CORS.

use super::*;

#[tokio::test]
async fn a_web_code_redeemed_with_an_origin_is_refused_with_9002326_and_not_shared() {
    let mock = start().await;
    let code = code_for(&mock, "common", &[]).await;

    let response = client()
        .post(format!("{}/common/oauth2/v2.0/token", mock.uri()))
        .header("origin", OTHER_ORIGIN)
        .form(&[
            ("grant_type", "authorization_code"),
            ("client_id", WEB_APP.client_id),
            ("client_secret", WEB_APP.client_secret),
            ("code", code.as_str()),
            ("redirect_uri", REDIRECT_URI),
        ])
        .send()
        .await
        .unwrap();

    assert_eq!(header(&response, ACCESS_CONTROL_ALLOW_ORIGIN), None);
    let body = assert_aadsts(response, 400, "invalid_request", 9002326).await;
    assert!(
        body["error_description"].as_str().unwrap().contains(
            "Cross-origin token redemption is permitted only for the 'Single-Page \
             Application' client-type. Request origin: 'http://localhost:4000'."
        ),
        "{body}"
    );
    let from_server = redeem(&mock, &code, &[]).await;
    assert_eq!(from_server.status(), StatusCode::OK, "the code is unspent");
}

#[tokio::test]
async fn a_web_refresh_token_or_a_client_secret_sent_with_an_origin_gets_9002326() {
    let mock = start().await;
    let tokens = tokens_with_scope(&mock, SCOPE).await;
    let refresh = tokens["refresh_token"].as_str().unwrap();

    let refreshed = client()
        .post(format!("{}/common/oauth2/v2.0/token", mock.uri()))
        .header("origin", OTHER_ORIGIN)
        .form(&[
            ("grant_type", "refresh_token"),
            ("client_id", WEB_APP.client_id),
            ("client_secret", WEB_APP.client_secret),
            ("refresh_token", refresh),
        ])
        .send()
        .await
        .unwrap();
    let app_only = token_from(&mock, Some(OTHER_ORIGIN), &support::PORTAL_TOKEN_FORM).await;

    assert_aadsts(refreshed, 400, "invalid_request", 9002326).await;
    assert_aadsts(app_only, 400, "invalid_request", 9002326).await;
}

#[tokio::test]
async fn a_spa_refresh_token_needs_the_origin_and_ends_24_hours_after_the_sign_in() {
    let mock = start().await;
    let client_id = spa_app(&mock).await;
    let code = spa_code(&mock, &client_id, true).await;
    let first: Value = redeem_spa(&mock, &client_id, &code, Some(SPA_ORIGIN))
        .await
        .json()
        .await
        .unwrap();
    let first_refresh = first["refresh_token"].as_str().unwrap();

    let without_origin = refresh_spa(&mock, &client_id, first_refresh, None).await;
    mock.advance_clock(Duration::from_secs(10 * 3600));
    let later = refresh_spa(&mock, &client_id, first_refresh, Some(SPA_ORIGIN)).await;
    assert_eq!(later.status(), StatusCode::OK);
    assert_eq!(header(&later, ACCESS_CONTROL_ALLOW_ORIGIN), Some("*"));
    let later: Value = later.json().await.unwrap();
    let rotated = later["refresh_token"].as_str().unwrap();
    mock.advance_clock(Duration::from_secs(14 * 3600));
    let expired = refresh_spa(&mock, &client_id, rotated, Some(SPA_ORIGIN)).await;

    assert_aadsts(without_origin, 400, "invalid_request", 9002327).await;
    assert_eq!(
        later["refresh_token_expires_in"],
        14 * 3600,
        "the rotated token keeps the first one's end"
    );
    let body = assert_aadsts(expired, 400, "invalid_grant", 700084).await;
    assert_eq!(body["suberror"], "bad_token");
    assert!(
        body["error_description"]
            .as_str()
            .unwrap()
            .contains("fixed, limited lifetime of 1.00:00:00"),
        "{body}"
    );
}

#[tokio::test]
async fn the_token_endpoint_shares_answers_only_with_the_apps_spa_origins() {
    let mock = start().await;
    let client_id = spa_app(&mock).await;
    let code = spa_code(&mock, &client_id, true).await;

    let elsewhere = redeem_spa(&mock, &client_id, &code, Some(OTHER_ORIGIN)).await;
    let preflight = client()
        .request(
            Method::OPTIONS,
            format!("{}/{TENANT_ID}/oauth2/v2.0/token", mock.uri()),
        )
        .header("origin", SPA_ORIGIN)
        .header("access-control-request-method", "POST")
        .header(
            "access-control-request-headers",
            "client-request-id, x-evil",
        )
        .send()
        .await
        .unwrap();

    assert_eq!(
        elsewhere.status(),
        StatusCode::OK,
        "CORS is the browser's guard"
    );
    assert_eq!(header(&elsewhere, ACCESS_CONTROL_ALLOW_ORIGIN), None);
    assert_eq!(preflight.status(), StatusCode::OK);
    assert_eq!(header(&preflight, ACCESS_CONTROL_ALLOW_ORIGIN), Some("*"));
    assert_eq!(
        header(&preflight, ACCESS_CONTROL_ALLOW_METHODS),
        Some("POST, OPTIONS")
    );
    assert_eq!(
        header(&preflight, ACCESS_CONTROL_ALLOW_HEADERS),
        Some("client-request-id")
    );
}

#[tokio::test]
async fn discovery_keys_and_instance_discovery_may_be_read_from_any_page() {
    let mock = start().await;

    for path in [
        "/common/v2.0/.well-known/openid-configuration",
        "/common/.well-known/openid-configuration",
        "/common/discovery/v2.0/keys",
        "/common/discovery/keys",
        "/common/discovery/instance?api-version=1.1",
    ] {
        let get = client()
            .get(format!("{}{path}", mock.uri()))
            .header("origin", OTHER_ORIGIN)
            .send()
            .await
            .unwrap();
        let preflight = client()
            .request(Method::OPTIONS, format!("{}{path}", mock.uri()))
            .header("origin", OTHER_ORIGIN)
            .header("access-control-request-method", "GET")
            .send()
            .await
            .unwrap();

        assert_eq!(get.status(), StatusCode::OK, "{path}");
        assert_eq!(
            header(&get, ACCESS_CONTROL_ALLOW_ORIGIN),
            Some("*"),
            "{path}"
        );
        assert_eq!(
            header(&get, ACCESS_CONTROL_ALLOW_METHODS),
            Some("GET, OPTIONS"),
            "{path}"
        );
        assert_eq!(preflight.status(), StatusCode::OK, "{path}");
        assert_eq!(
            header(&preflight, ACCESS_CONTROL_ALLOW_ORIGIN),
            Some("*"),
            "{path}"
        );
    }
}

#[tokio::test]
async fn the_sign_in_pages_are_never_shared_with_a_script() {
    let mock = start_interactive().await;

    let page = client()
        .get(format!("{}/common/oauth2/v2.0/authorize", mock.uri()))
        .query(&authorize_params(&[]))
        .header("origin", OTHER_ORIGIN)
        .send()
        .await
        .unwrap();
    let preflight = client()
        .request(
            Method::OPTIONS,
            format!("{}/common/oauth2/v2.0/authorize", mock.uri()),
        )
        .header("origin", OTHER_ORIGIN)
        .header("access-control-request-method", "GET")
        .send()
        .await
        .unwrap();

    assert_eq!(page.status(), StatusCode::OK);
    assert_eq!(header(&page, ACCESS_CONTROL_ALLOW_ORIGIN), None);
    assert_eq!(preflight.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(header(&preflight, ACCESS_CONTROL_ALLOW_ORIGIN), None);
}

#[tokio::test]
async fn graph_answers_any_page_with_its_exposed_headers_and_allows_the_bearer_header() {
    let mock = start().await;
    let token = access_token(&mock, SCOPE).await;

    let me = client()
        .get(format!("{}/v1.0/me", mock.uri()))
        .bearer_auth(&token)
        .header("origin", OTHER_ORIGIN)
        .send()
        .await
        .unwrap();
    let preflight = client()
        .request(Method::OPTIONS, format!("{}/v1.0/me", mock.uri()))
        .header("origin", OTHER_ORIGIN)
        .header("access-control-request-method", "GET")
        .header("access-control-request-headers", "authorization,x-evil")
        .send()
        .await
        .unwrap();
    let from_a_server = graph_get(&mock, "/v1.0/me", &token).await;

    assert_eq!(me.status(), StatusCode::OK);
    assert_eq!(header(&me, ACCESS_CONTROL_ALLOW_ORIGIN), Some("*"));
    let exposed = header(&me, ACCESS_CONTROL_EXPOSE_HEADERS).unwrap();
    assert!(exposed.contains("request-id"), "{exposed}");
    assert!(exposed.contains("WWW-Authenticate"), "{exposed}");
    assert_eq!(preflight.status(), StatusCode::OK);
    assert_eq!(
        header(&preflight, ACCESS_CONTROL_ALLOW_HEADERS),
        Some("authorization")
    );
    assert_eq!(header(&from_a_server, ACCESS_CONTROL_ALLOW_ORIGIN), None);
}

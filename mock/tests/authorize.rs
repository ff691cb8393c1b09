//! The authorize endpoint in auto-approve mode: the redirect with a code, what it echoes, what
//! it ignores, and which refusals are pages and which go back to the app.

mod support;

use reqwest::StatusCode;
use support::*;

#[tokio::test]
async fn auto_approve_redirects_to_the_reply_url_with_a_code_and_the_state() {
    let mock = start().await;

    let response = authorize(&mock, "common", &[]).await;

    assert_eq!(response.status(), StatusCode::FOUND);
    let location = location(&response);
    assert!(
        location.starts_with(&format!("{REDIRECT_URI}?code=")),
        "{location}"
    );
    let params = redirect_params(&response);
    assert!(!param(&params, "code").unwrap().is_empty());
    assert_eq!(param(&params, "state"), Some("s-123"));
    assert!(param(&params, "session_state").is_some_and(is_guid));
    assert_eq!(param(&params, "error"), None);
    assert_eq!(param(&params, "id_token"), None);
    assert_eq!(param(&params, "client_info"), None, "not asked for");
}

#[tokio::test]
async fn the_state_comes_back_byte_for_byte() {
    let mock = start().await;
    let state = "a b+c/d?e=f&g%h ünïcødé ✓ 🦀";

    let response = authorize(&mock, "common", &[("state", Some(state))]).await;

    let params = redirect_params(&response);
    assert_eq!(param(&params, "state"), Some(state));
}

#[tokio::test]
async fn msal_extras_are_ignored_and_client_info_is_returned_when_asked() {
    let mock = start().await;

    let response = authorize(
        &mock,
        "common",
        &[
            ("client_info", Some("1")),
            ("x-client-SKU", Some("msal.js.node")),
            ("x-client-VER", Some("2.15.0")),
            (
                "claims",
                Some(r#"{"access_token":{"xms_cc":{"values":["CP1"]}}}"#),
            ),
            (
                "client-request-id",
                Some("6f2c7a0e-0e7e-4f44-8f0a-2f6e1d2b1c3d"),
            ),
            ("response_mode", Some("query")),
            ("clidata", Some("anything")),
        ],
    )
    .await;

    assert_eq!(response.status(), StatusCode::FOUND);
    let params = redirect_params(&response);
    assert!(param(&params, "code").is_some());
    let client_info = param(&params, "client_info").expect("client_info is returned");
    let decoded: serde_json::Value = serde_json::from_slice(
        &base64::Engine::decode(
            &base64::engine::general_purpose::URL_SAFE_NO_PAD,
            client_info,
        )
        .expect("unpadded base64url"),
    )
    .unwrap();
    assert_eq!(decoded["uid"], MEGAN.id);
    assert_eq!(decoded["utid"], graph_mock::fixtures::TENANT_ID);
}

/// Microsoft's redirect-URI rules: the port of a `localhost` reply URL is ignored when it is
/// matched; that of any other, `127.0.0.1` included, is not.
#[tokio::test]
async fn only_a_localhost_reply_url_matches_on_another_port() {
    let mock = start().await;
    let localhost = "http://localhost:53124/connect/get_token/";

    let response = authorize(&mock, "common", &[("redirect_uri", Some(localhost))]).await;

    assert_eq!(response.status(), StatusCode::FOUND);
    assert!(location(&response).starts_with(&format!("{localhost}?code=")));

    for uri in [
        "http://127.0.0.1:53124/connect/get_token/",
        "http://[::1]:8000/connect/get_token/",
        "http://localhost:53124/connect/get_token",
    ] {
        let response = authorize(&mock, "common", &[("redirect_uri", Some(uri))]).await;
        assert!(response.headers().get("location").is_none(), "{uri}");
        let page = response.text().await.unwrap();
        assert!(page.contains("AADSTS50011"), "{uri}: {page}");
    }
}

/// A single-tenant app (the portal's and Graph's default audience) may sign in on its own
/// tenant only: `/common` and `/organizations` show AADSTS50194 as a page, and redirect nowhere.
#[tokio::test]
async fn a_single_tenant_app_gets_aadsts50194_on_common_and_signs_in_on_its_tenant() {
    let mock = start().await;
    let mut body = application_body(&["http://localhost:8000/connect/get_token/"], &[]);
    body.as_object_mut().unwrap().remove("signInAudience");
    let app = register_app(&mock, &body).await;
    assert_eq!(app["signInAudience"], "AzureADMyOrg", "Graph's default");
    let client_id = app["appId"].as_str().unwrap();
    let ask = [
        ("client_id", Some(client_id)),
        (
            "redirect_uri",
            Some("http://localhost:8000/connect/get_token/"),
        ),
    ];

    for segment in ["common", "organizations", "Common"] {
        let response = authorize(&mock, segment, &ask).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{segment}");
        assert!(response.headers().get("location").is_none(), "{segment}");
        let page = response.text().await.unwrap();
        assert!(
            page.contains(&format!(
                "AADSTS50194: Application &#39;{client_id}&#39;(graph-oauth-tutorial) is not configured as a multi-tenant application."
            )) || page.contains(&format!(
                "AADSTS50194: Application '{client_id}'(graph-oauth-tutorial) is not configured as a multi-tenant application."
            )),
            "{segment}: {page}"
        );
    }

    for segment in [
        graph_mock::fixtures::TENANT_ID,
        graph_mock::fixtures::TENANT_DOMAIN,
    ] {
        let response = authorize(&mock, segment, &ask).await;
        assert_eq!(response.status(), StatusCode::FOUND, "{segment}");
        assert!(location(&response).contains("?code="), "{segment}");
    }
}

#[tokio::test]
async fn login_hint_picks_the_demo_user_who_signs_in() {
    let mock = start().await;

    let tokens = tokens_as(&mock, SCOPE, Some(ALEX.user_principal_name)).await;

    let (_, claims) = decode_jwt(tokens["id_token"].as_str().unwrap());
    assert_eq!(claims["oid"], ALEX.id);
}

#[tokio::test]
async fn an_unknown_client_gets_an_error_page_with_aadsts700016_and_no_redirect() {
    let mock = start().await;

    let response = authorize(
        &mock,
        "common",
        &[("client_id", Some("11111111-2222-3333-4444-555555555555"))],
    )
    .await;

    assert_ne!(response.status(), StatusCode::FOUND);
    assert!(response.headers().get("location").is_none());
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let page = response.text().await.unwrap();
    assert!(page.contains("AADSTS700016"), "{page}");
    assert!(page.contains("11111111-2222-3333-4444-555555555555"));
}

#[tokio::test]
async fn an_unregistered_reply_url_gets_an_error_page_with_aadsts50011_and_no_redirect() {
    let mock = start().await;

    for uri in [
        "https://evil.example/steal",
        "http://127.0.0.1:8000/connect/get_token",
        "http://127.0.0.1:8000/CONNECT/get_token/",
    ] {
        let response = authorize(&mock, "common", &[("redirect_uri", Some(uri))]).await;

        assert_ne!(response.status(), StatusCode::FOUND, "{uri}");
        assert!(response.headers().get("location").is_none(), "{uri}");
        let page = response.text().await.unwrap();
        assert!(page.contains("AADSTS50011"), "{uri}: {page}");
    }
}

#[tokio::test]
async fn an_unknown_tenant_gets_an_error_page_with_aadsts90002() {
    let mock = start().await;

    let response = authorize(&mock, "nowhere.example", &[]).await;

    assert!(response.headers().get("location").is_none());
    assert!(response.text().await.unwrap().contains("AADSTS90002"));
}

/// Errors after the client and reply URL are trusted go back to the app.
#[tokio::test]
async fn request_errors_redirect_with_error_description_and_state() {
    let mock = start().await;
    let cases: [(Overrides<'_>, &str, u32); 8] = [
        (&[("scope", None)], "invalid_request", 900144),
        (&[("response_type", None)], "invalid_request", 900144),
        (
            &[("resource", Some("https://graph.microsoft.com"))],
            "invalid_request",
            901002,
        ),
        (
            &[("scope", Some("openid User.Fly"))],
            "invalid_scope",
            70011,
        ),
        (
            &[("response_type", Some("token"))],
            "unsupported_response_type",
            700051,
        ),
        (
            &[("response_type", Some("id_token token"))],
            "unsupported_response_type",
            700051,
        ),
        (
            &[("response_type", Some("code id_token"))],
            "unsupported_response_type",
            700054,
        ),
        (
            &[(
                "scope",
                Some("openid https://vault.azure.net/user_impersonation"),
            )],
            "invalid_resource",
            500011,
        ),
    ];

    for (overrides, error, code) in cases {
        let mut overrides = overrides.to_vec();
        overrides.push(("state", Some("keep me")));

        let response = authorize(&mock, "common", &overrides).await;

        assert_eq!(response.status(), StatusCode::FOUND, "AADSTS{code}");
        let location = location(&response);
        assert!(location.starts_with(REDIRECT_URI));
        // Tokens asked for in the redirect travel in the fragment, and so do their errors.
        let asked_for_tokens = matches!(code, 700051 | 700054);
        let url = url::Url::parse(&location).unwrap();
        let (answer, other) = if asked_for_tokens {
            (url.fragment(), url.query())
        } else {
            (url.query(), url.fragment())
        };
        assert_eq!(other, None, "AADSTS{code}: {location}");
        let params: Vec<(String, String)> =
            url::form_urlencoded::parse(answer.unwrap_or_default().as_bytes())
                .into_owned()
                .collect();
        assert_eq!(param(&params, "error"), Some(error), "AADSTS{code}");
        let description = param(&params, "error_description").unwrap();
        assert!(
            description.starts_with(&format!("AADSTS{code}: ")),
            "{description}"
        );
        assert_eq!(param(&params, "state"), Some("keep me"));
        assert_eq!(param(&params, "code"), None);
    }
}

#[tokio::test]
async fn prompt_none_without_a_session_is_refused_with_login_required() {
    let mock = start_interactive().await;

    let response = authorize(&mock, "common", &[("prompt", Some("none"))]).await;

    assert_eq!(response.status(), StatusCode::FOUND);
    let params = redirect_params(&response);
    assert_eq!(param(&params, "error"), Some("login_required"));
    assert!(
        param(&params, "error_description")
            .unwrap()
            .starts_with("AADSTS50058: ")
    );
}

#[tokio::test]
async fn the_v1_endpoint_issues_a_code_without_a_scope() {
    let mock = start().await;

    let response = v1_authorize(&mock, "common").await;

    assert_eq!(response.status(), StatusCode::FOUND);
    assert!(param(&redirect_params(&response), "code").is_some());
}

#[tokio::test]
async fn authorize_also_takes_a_posted_form() {
    let mock = start().await;
    let params = authorize_params(&[]);
    let form: Vec<(&str, &str)> = params
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();

    let response = post_form(&mock, "/common/oauth2/v2.0/authorize", &form).await;

    assert_eq!(response.status(), StatusCode::FOUND);
    assert!(param(&redirect_params(&response), "code").is_some());
}

#[tokio::test]
async fn response_mode_fragment_puts_the_answer_after_the_hash() {
    let mock = start().await;

    let response = authorize(&mock, "common", &[("response_mode", Some("fragment"))]).await;

    assert_eq!(response.status(), StatusCode::FOUND);
    let location = location(&response);
    assert!(
        location.starts_with(&format!("{REDIRECT_URI}#code=")),
        "{location}"
    );
}

#[tokio::test]
async fn response_mode_form_post_answers_with_a_self_submitting_form() {
    let mock = start().await;

    let response = authorize(&mock, "common", &[("response_mode", Some("form_post"))]).await;

    assert_eq!(response.status(), StatusCode::OK);
    let page = response.text().await.unwrap();
    assert!(page.contains(&format!("action=\"{REDIRECT_URI}\"")));
    assert!(hidden_field(&page, "code").is_some());
    assert_eq!(hidden_field(&page, "state").as_deref(), Some("s-123"));
}

//! Client credentials, how a client authenticates, the v1 shapes, public and single-tenant
//! clients, token lifetimes.

use super::*;

#[tokio::test]
async fn the_portal_app_gets_an_app_only_token_with_client_credentials() {
    let mock = start().await;

    let response = token(&mock, TENANT_ID, &support::PORTAL_TOKEN_FORM).await;

    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["token_type"], "Bearer");
    assert!(body["expires_in"].is_u64());
    assert!(body.get("refresh_token").is_none());
    assert!(body.get("id_token").is_none());
    let (_, claims) = decode_jwt(body["access_token"].as_str().unwrap());
    assert_eq!(claims["idtyp"], "app");
    assert_eq!(
        claims["roles"],
        serde_json::json!(["Application.ReadWrite.OwnedBy"])
    );
    assert!(claims.get("scp").is_none());
    assert!(claims.get("upn").is_none());
    assert_eq!(claims["appid"], PORTAL_APP.client_id);
    assert_eq!(claims["oid"], PORTAL_APP.object_id);
}

#[tokio::test]
async fn client_secret_basic_is_accepted() {
    let mock = start().await;
    let code = code_for(&mock, "common", &[]).await;
    let credentials = STANDARD.encode(format!(
        "{}:{}",
        WEB_APP.client_id,
        url::form_urlencoded::byte_serialize(WEB_APP.client_secret.as_bytes()).collect::<String>()
    ));

    let response = client()
        .post(format!("{}/common/oauth2/v2.0/token", mock.uri()))
        .header("authorization", format!("Basic {credentials}"))
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", REDIRECT_URI),
        ])
        .send()
        .await
        .unwrap();

    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    let (_, claims) = decode_jwt(body["access_token"].as_str().unwrap());
    assert_eq!(claims["appid"], WEB_APP.client_id);
}

#[tokio::test]
async fn a_secret_in_the_body_and_in_basic_at_once_is_refused() {
    let mock = start().await;
    let code = code_for(&mock, "common", &[]).await;
    let credentials = STANDARD.encode(format!("{}:{}", WEB_APP.client_id, "whatever"));

    let response = client()
        .post(format!("{}/common/oauth2/v2.0/token", mock.uri()))
        .header("authorization", format!("Basic {credentials}"))
        .form(&[
            ("grant_type", "authorization_code"),
            ("client_id", WEB_APP.client_id),
            ("client_secret", WEB_APP.client_secret),
            ("code", &code),
            ("redirect_uri", REDIRECT_URI),
        ])
        .send()
        .await
        .unwrap();

    assert_aadsts(response, 400, "invalid_request", 90023).await;
}

#[tokio::test]
async fn a_query_string_and_unknown_fields_on_the_token_request_are_tolerated() {
    let mock = start().await;
    let code = code_for(&mock, "common", &[]).await;

    let response = client()
        .post(format!(
            "{}/common/oauth2/v2.0/token?client-request-id=6f2c7a0e-0e7e-4f44-8f0a-2f6e1d2b1c3d",
            mock.uri()
        ))
        .header("x-client-sku", "MSAL.Python")
        .header("x-ms-lib-capability", "retry-after, h429")
        .form(&[
            ("grant_type", "authorization_code"),
            ("client_id", WEB_APP.client_id),
            ("client_secret", WEB_APP.client_secret),
            ("code", &code),
            ("redirect_uri", REDIRECT_URI),
            ("scope", SCOPE),
            ("client_info", "1"),
            ("x-client-SKU", "MSAL.Python"),
            ("claims", "{}"),
        ])
        .send()
        .await
        .unwrap();

    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn the_v1_flow_answers_with_strings_expires_on_resource_and_an_unsigned_id_token() {
    let mock = start().await;
    let code = v1_code(&mock, TENANT_ID).await;

    let response = post_form(
        &mock,
        &format!("/{TENANT_ID}/oauth2/token"),
        &[
            ("grant_type", "authorization_code"),
            ("client_id", WEB_APP.client_id),
            ("client_secret", WEB_APP.client_secret),
            ("code", &code),
            ("redirect_uri", REDIRECT_URI),
            ("resource", "https://graph.microsoft.com"),
        ],
    )
    .await;

    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["resource"], "https://graph.microsoft.com");
    let expires_in: i64 = body["expires_in"]
        .as_str()
        .expect("a string")
        .parse()
        .unwrap();
    let expires_on: i64 = body["expires_on"]
        .as_str()
        .expect("a string")
        .parse()
        .unwrap();
    let not_before: i64 = body["not_before"]
        .as_str()
        .expect("a string")
        .parse()
        .unwrap();
    assert_eq!(expires_on - not_before, expires_in);
    assert!(body["ext_expires_in"].is_string());
    assert!(body["refresh_token"].is_string(), "v1 always returns one");
    let id_token = body["id_token"].as_str().unwrap();
    assert!(id_token.ends_with('.'), "an empty signature");
    let (header, claims) = decode_jwt(id_token);
    assert_eq!(header["alg"], "none");
    assert_eq!(claims["ver"], "1.0");
    assert_eq!(claims["aud"], WEB_APP.client_id);
    assert_eq!(claims["upn"], MEGAN.user_principal_name);
    let (_, access) = decode_jwt(body["access_token"].as_str().unwrap());
    assert_eq!(access["aud"], "https://graph.microsoft.com");
    let me = graph_get(&mock, "/v1.0/me", body["access_token"].as_str().unwrap()).await;
    assert_eq!(me.status(), StatusCode::OK);
}

#[tokio::test]
async fn the_v1_refresh_grant_answers_in_the_v1_shape() {
    let mock = start().await;
    let code = v1_code(&mock, "common").await;
    let form = |grant: &'static str, name: &'static str, value: String| {
        vec![
            ("grant_type", grant.to_string()),
            ("client_id", WEB_APP.client_id.to_string()),
            ("client_secret", WEB_APP.client_secret.to_string()),
            (name, value),
            ("redirect_uri", REDIRECT_URI.to_string()),
            ("resource", "https://graph.microsoft.com".to_string()),
        ]
    };
    let first = form("authorization_code", "code", code);
    let first: Vec<(&str, &str)> = first.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let first: Value = post_form(&mock, "/common/oauth2/token", &first)
        .await
        .json()
        .await
        .unwrap();

    let second = form(
        "refresh_token",
        "refresh_token",
        first["refresh_token"].as_str().unwrap().to_owned(),
    );
    let second: Vec<(&str, &str)> = second.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let response = post_form(&mock, "/common/oauth2/token", &second).await;

    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    assert!(body["expires_in"].is_string());
    assert_eq!(body["resource"], "https://graph.microsoft.com");
}

#[tokio::test]
async fn a_registered_public_client_redeems_with_pkce_and_no_secret() {
    let mock = start().await;
    let app = register_app(&mock, &application_body(&[], &["http://localhost"])).await;
    let client_id = app["appId"].as_str().unwrap();
    let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    let challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
    let code = code_for(
        &mock,
        TENANT_ID,
        &[
            ("client_id", Some(client_id)),
            ("redirect_uri", Some("http://localhost:49152")),
            ("scope", Some("openid offline_access User.Read")),
            ("code_challenge", Some(challenge)),
            ("code_challenge_method", Some("S256")),
        ],
    )
    .await;

    let response = token(
        &mock,
        TENANT_ID,
        &[
            ("grant_type", "authorization_code"),
            ("client_id", client_id),
            ("code", &code),
            ("redirect_uri", "http://localhost:49152"),
            ("code_verifier", verifier),
        ],
    )
    .await;

    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    let (_, claims) = decode_jwt(body["access_token"].as_str().unwrap());
    assert_eq!(claims["appidacr"], "0");
    assert_eq!(claims["appid"], client_id);
}

/// A single-tenant app asking for a token on `/common` gets AADSTS50194 as the token endpoint's
/// JSON; on its own tenant the same grant works.
#[tokio::test]
async fn a_single_tenant_app_gets_aadsts50194_from_the_token_endpoint_on_common() {
    let mock = start().await;
    let app = register_app(
        &mock,
        &application_body(&["http://localhost/callback"], &[]),
    )
    .await;
    let object_id = app["id"].as_str().unwrap();
    let client_id = app["appId"].as_str().unwrap();
    let portal = portal_token(&mock).await;
    let password: Value = graph_post(
        &mock,
        &format!("/v1.0/applications/{object_id}/addPassword"),
        &portal,
        &serde_json::json!({"passwordCredential": {"displayName": "t"}}),
    )
    .await
    .json()
    .await
    .unwrap();
    let secret = password["secretText"].as_str().unwrap();
    let form = [
        ("grant_type", "client_credentials"),
        ("client_id", client_id),
        ("client_secret", secret),
        ("scope", "https://graph.microsoft.com/.default"),
    ];

    let refused = token(&mock, "organizations", &form).await;
    let body = assert_aadsts(refused, 400, "invalid_request", 50194).await;
    assert!(
        body["error_description"].as_str().unwrap().contains(
            "Use a tenant-specific endpoint or configure the application to be multi-tenant."
        ),
        "{body}"
    );

    let granted = token(&mock, TENANT_DOMAIN, &form).await;
    assert_eq!(granted.status(), StatusCode::OK);
}

/// Entra picks each access token's lifetime at random between 60 and 90 minutes; `expires_in`
/// says which, and `exp` agrees with it.
#[tokio::test]
async fn access_tokens_live_a_random_60_to_90_minutes_and_expires_in_matches_exp() {
    // Not deterministic: that mode keeps one lifetime so its transcripts repeat.
    let mock = start_with(graph_mock::Config::default().auto_approve()).await;
    let mut lifetimes = std::collections::BTreeSet::new();
    for _ in 0..8 {
        let tokens = tokens_with_scope(&mock, SCOPE).await;
        let expires_in = tokens["expires_in"].as_i64().unwrap();
        assert!((3600..=5400).contains(&expires_in), "{expires_in}");
        assert_eq!(tokens["ext_expires_in"], tokens["expires_in"]);
        let (_, claims) = decode_jwt(tokens["access_token"].as_str().unwrap());
        let lived = claims["exp"].as_i64().unwrap() - claims["iat"].as_i64().unwrap();
        assert_eq!(lived, expires_in);
        lifetimes.insert(expires_in);
    }
    assert!(
        lifetimes.len() > 1,
        "the same lifetime eight times: {lifetimes:?}"
    );
}

//! Every AADSTS code the token endpoint gives, over HTTP, with Entra's body shape; and the
//! `errors.rs` table itself.

#![allow(clippy::unwrap_used)] // in the helpers below, as in the tests

mod support;

use std::time::Duration;

use graph_mock::MockServer;
use graph_mock::errors::{Aadsts, AssertionRefusal, GraphError, UserAssertionRefusal};
use graph_mock::fixtures::TENANT_ID;
use reqwest::{Response, StatusCode};
use serde_json::Value;
use support::*;

/// One refusal: what was sent, and what must come back.
struct Case {
    what: &'static str,
    response: Response,
    status: u16,
    error: &'static str,
    code: u32,
}

fn case(
    what: &'static str,
    response: Response,
    status: u16,
    error: &'static str,
    code: u32,
) -> Case {
    Case {
        what,
        response,
        status,
        error,
        code,
    }
}

const CHALLENGE_VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

async fn code_with_challenge(mock: &MockServer) -> String {
    code_for(
        mock,
        "common",
        &[
            ("code_challenge", Some(CHALLENGE)),
            ("code_challenge_method", Some("S256")),
        ],
    )
    .await
}

async fn refresh_token(mock: &MockServer) -> String {
    tokens_with_scope(mock, SCOPE).await["refresh_token"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// A public client: registered through Graph with a "Mobile and desktop" reply URL.
async fn public_client_code(mock: &MockServer) -> (String, String) {
    let app = register_app(mock, &application_body(&[], &["http://localhost"])).await;
    let client_id = app["appId"].as_str().unwrap().to_owned();
    let code = code_for(
        mock,
        TENANT_ID,
        &[
            ("client_id", Some(&client_id)),
            ("redirect_uri", Some("http://localhost:5000")),
            ("scope", Some("openid User.Read")),
        ],
    )
    .await;
    (client_id, code)
}

#[tokio::test]
async fn every_token_endpoint_refusal_has_its_code_error_and_status() {
    let mock = start().await;
    let web = WEB_APP.client_id;
    let secret = WEB_APP.client_secret;
    let mut cases = Vec::new();

    let unknown_client = token(
        &mock,
        "common",
        &[
            ("grant_type", "authorization_code"),
            ("client_id", "11111111-2222-3333-4444-555555555555"),
            ("code", "x"),
        ],
    )
    .await;
    cases.push(case(
        "unknown client",
        unknown_client,
        400,
        "unauthorized_client",
        700016,
    ));

    let code = code_for(&mock, "common", &[]).await;
    let other_reply_url = redeem(
        &mock,
        &code,
        &[("redirect_uri", "http://127.0.0.1:9000/connect/get_token/")],
    )
    .await;
    cases.push(case(
        "another redirect_uri",
        other_reply_url,
        401,
        "invalid_client",
        500112,
    ));

    let wrong_secret = redeem(&mock, &code, &[("client_secret", "not-the-secret")]).await;
    cases.push(case(
        "wrong secret",
        wrong_secret,
        401,
        "invalid_client",
        7000215,
    ));

    let no_secret = token(
        &mock,
        "common",
        &[
            ("grant_type", "authorization_code"),
            ("client_id", web),
            ("code", &code),
            ("redirect_uri", REDIRECT_URI),
        ],
    )
    .await;
    cases.push(case("no secret", no_secret, 401, "invalid_client", 7000218));

    let (public_id, public_code) = public_client_code(&mock).await;
    let public_with_secret = token(
        &mock,
        TENANT_ID,
        &[
            ("grant_type", "authorization_code"),
            ("client_id", &public_id),
            ("client_secret", "anything"),
            ("code", &public_code),
            ("redirect_uri", "http://localhost:5000"),
        ],
    )
    .await;
    cases.push(case(
        "public client with a secret",
        public_with_secret,
        401,
        "invalid_client",
        700025,
    ));

    let first = redeem(&mock, &code, &[]).await;
    assert_eq!(
        first.status(),
        StatusCode::OK,
        "the code still works after refusals"
    );
    let replay = redeem(&mock, &code, &[]).await;
    cases.push(case("code replayed", replay, 400, "invalid_grant", 54005));

    let stale = code_for(&mock, "common", &[]).await;
    mock.advance_clock(Duration::from_secs(11 * 60));
    let expired = redeem(&mock, &stale, &[]).await;
    cases.push(case("code expired", expired, 400, "invalid_grant", 70008));

    let pkce = code_with_challenge(&mock).await;
    let mismatch = redeem(
        &mock,
        &pkce,
        &[(
            "code_verifier",
            "wrong-verifier-wrong-verifier-wrong-verifier",
        )],
    )
    .await;
    cases.push(case(
        "PKCE mismatch",
        mismatch,
        400,
        "invalid_grant",
        501481,
    ));
    let missing_verifier = redeem(&mock, &pkce, &[]).await;
    cases.push(case(
        "PKCE verifier missing",
        missing_verifier,
        400,
        "invalid_grant",
        501481,
    ));
    let right = redeem(&mock, &pkce, &[("code_verifier", CHALLENGE_VERIFIER)]).await;
    assert_eq!(
        right.status(),
        StatusCode::OK,
        "the right verifier redeems it"
    );

    let fresh = code_for(&mock, "common", &[]).await;
    let bad_scope = redeem(&mock, &fresh, &[("scope", "openid User.Fly")]).await;
    cases.push(case(
        "unknown scope",
        bad_scope,
        400,
        "invalid_scope",
        70011,
    ));
    let other_resource = redeem(
        &mock,
        &fresh,
        &[("scope", "https://vault.azure.net/user_impersonation")],
    )
    .await;
    cases.push(case(
        "scope of another resource",
        other_resource,
        400,
        "invalid_resource",
        500011,
    ));
    let more_than_granted = redeem(&mock, &fresh, &[("scope", "openid User.Read Mail.Read")]).await;
    cases.push(case(
        "more than was granted",
        more_than_granted,
        400,
        "invalid_grant",
        65001,
    ));
    let resource_on_v2 = redeem(
        &mock,
        &fresh,
        &[("resource", "https://graph.microsoft.com")],
    )
    .await;
    cases.push(case(
        "resource on v2.0",
        resource_on_v2,
        400,
        "invalid_request",
        901002,
    ));

    let no_grant_type = token(
        &mock,
        "common",
        &[("client_id", web), ("client_secret", secret)],
    )
    .await;
    cases.push(case(
        "no grant_type",
        no_grant_type,
        400,
        "invalid_request",
        900144,
    ));
    let grant_type_in_query = client()
        .post(format!(
            "{}/common/oauth2/v2.0/token?grant_type=authorization_code",
            mock.uri()
        ))
        .form(&[("client_id", web), ("client_secret", secret), ("code", "x")])
        .send()
        .await
        .unwrap();
    cases.push(case(
        "grant_type only in the query",
        grant_type_in_query,
        400,
        "invalid_request",
        900144,
    ));
    let no_code = token(
        &mock,
        "common",
        &[
            ("grant_type", "authorization_code"),
            ("client_id", web),
            ("client_secret", secret),
            ("redirect_uri", REDIRECT_URI),
        ],
    )
    .await;
    cases.push(case("no code", no_code, 400, "invalid_request", 900144));
    let no_client_id = token(
        &mock,
        "common",
        &[("grant_type", "authorization_code"), ("code", "x")],
    )
    .await;
    cases.push(case(
        "no client_id",
        no_client_id,
        400,
        "invalid_request",
        900144,
    ));
    let json_body = client()
        .post(format!("{}/common/oauth2/v2.0/token", mock.uri()))
        .json(&serde_json::json!({"grant_type": "authorization_code"}))
        .send()
        .await
        .unwrap();
    cases.push(case(
        "a JSON body instead of a form",
        json_body,
        400,
        "invalid_request",
        900144,
    ));

    let password = token(
        &mock,
        "common",
        &[
            ("grant_type", "password"),
            ("client_id", web),
            ("client_secret", secret),
        ],
    )
    .await;
    cases.push(case(
        "unsupported grant type",
        password,
        400,
        "unsupported_grant_type",
        70003,
    ));

    let garbage_code = redeem(&mock, "0.Agarbage", &[]).await;
    cases.push(case(
        "garbage code",
        garbage_code,
        400,
        "invalid_grant",
        9002313,
    ));
    let garbage_refresh = token(
        &mock,
        "common",
        &[
            ("grant_type", "refresh_token"),
            ("client_id", web),
            ("client_secret", secret),
            ("refresh_token", "1.AAAAnot-a-real-token"),
        ],
    )
    .await;
    cases.push(case(
        "garbage refresh token",
        garbage_refresh,
        400,
        "invalid_grant",
        9002313,
    ));

    let rt = refresh_token(&mock).await;
    let other_clients_rt = token(
        &mock,
        TENANT_ID,
        &[
            ("grant_type", "refresh_token"),
            ("client_id", PORTAL_APP.client_id),
            ("client_secret", PORTAL_APP.client_secret),
            ("refresh_token", &rt),
        ],
    )
    .await;
    cases.push(case(
        "another client's refresh token",
        other_clients_rt,
        400,
        "invalid_grant",
        70000,
    ));

    let cc_form = |scope: &'static str| {
        vec![
            ("grant_type", "client_credentials"),
            ("client_id", PORTAL_APP.client_id),
            ("client_secret", PORTAL_APP.client_secret),
            ("scope", scope),
        ]
    };
    let not_default = token(
        &mock,
        TENANT_ID,
        &cc_form("https://graph.microsoft.com/User.Read"),
    )
    .await;
    cases.push(case(
        "client credentials without /.default",
        not_default,
        400,
        "invalid_scope",
        1002012,
    ));
    let on_common = token(
        &mock,
        "common",
        &cc_form("https://graph.microsoft.com/.default"),
    )
    .await;
    cases.push(case(
        "client credentials on /common",
        on_common,
        400,
        "invalid_request",
        9001023,
    ));
    let on_consumers = token(
        &mock,
        "consumers",
        &cc_form("https://graph.microsoft.com/.default"),
    )
    .await;
    cases.push(case(
        "client credentials on /consumers",
        on_consumers,
        400,
        "invalid_request",
        9001023,
    ));

    let get = client()
        .get(format!("{}/common/oauth2/v2.0/token", mock.uri()))
        .send()
        .await
        .unwrap();
    // The mock answers 405 here: Entra's status for this code is not documented (PROTOCOL §6.2).
    cases.push(case(
        "GET on the token endpoint",
        get,
        405,
        "invalid_request",
        900561,
    ));

    let unknown_tenant = token(
        &mock,
        "fabrikam.example",
        &cc_form("https://graph.microsoft.com/.default"),
    )
    .await;
    cases.push(case(
        "unknown tenant",
        unknown_tenant,
        400,
        "invalid_tenant",
        90002,
    ));

    let v1_other_resource = post_form(
        &mock,
        "/common/oauth2/token",
        &[
            ("grant_type", "authorization_code"),
            ("client_id", web),
            ("client_secret", secret),
            ("code", "x"),
            ("redirect_uri", REDIRECT_URI),
            ("resource", "https://vault.azure.net"),
        ],
    )
    .await;
    cases.push(case(
        "v1 with another resource",
        v1_other_resource,
        400,
        "invalid_resource",
        50001,
    ));

    let long_lived = refresh_token(&mock).await;
    mock.advance_clock(Duration::from_secs(91 * 24 * 3600));
    let stale_refresh = token(
        &mock,
        "common",
        &[
            ("grant_type", "refresh_token"),
            ("client_id", web),
            ("client_secret", secret),
            ("refresh_token", &long_lived),
        ],
    )
    .await;
    cases.push(case(
        "refresh token unused for 91 days",
        stale_refresh,
        400,
        "invalid_grant",
        700082,
    ));

    for case in cases {
        assert_eq!(
            case.response.status().as_u16(),
            case.status,
            "{}",
            case.what
        );
        assert!(
            case.response.headers().get("www-authenticate").is_none(),
            "{}: no challenge from the token endpoint",
            case.what
        );
        let body: Value = case.response.json().await.expect("an error body is JSON");
        assert_aadsts_body(&body, case.error, case.code);
        assert_eq!(
            body["error_uri"],
            format!("{}/error?code={}", mock.uri(), case.code),
            "{}",
            case.what
        );
    }
}

#[tokio::test]
async fn the_error_description_carries_the_trace_and_time_and_the_correlation_id_echoes_the_client()
{
    let mock = start().await;
    let correlation = "6f2c7a0e-0e7e-4f44-8f0a-2f6e1d2b1c3d";

    let response = client()
        .post(format!("{}/common/oauth2/v2.0/token", mock.uri()))
        .header("client-request-id", correlation)
        .form(&[("client_id", WEB_APP.client_id)])
        .send()
        .await
        .unwrap();

    assert_eq!(response.headers()["client-request-id"], correlation);
    assert!(response.headers().contains_key("x-ms-request-id"));
    assert_eq!(response.headers()["cache-control"], "no-store, no-cache");
    let body = assert_aadsts(response, 400, "invalid_request", 900144).await;
    assert_eq!(body["correlation_id"], correlation);
    assert_eq!(body["timestamp"], "2026-11-25 22:10:00Z");
    let description = body["error_description"].as_str().unwrap();
    assert_eq!(
        description,
        format!(
            "AADSTS900144: The request body must contain the following parameter: 'grant_type'. Trace ID: {} Correlation ID: {correlation} Timestamp: 2026-11-25 22:10:00Z",
            body["trace_id"].as_str().unwrap()
        )
    );
}

#[tokio::test]
async fn without_a_client_request_id_the_correlation_id_is_a_fresh_guid() {
    let mock = start().await;

    let response = token(&mock, "common", &[]).await;

    let body = assert_aadsts(response, 400, "invalid_request", 900144).await;
    assert!(is_guid(body["correlation_id"].as_str().unwrap()));
    assert_ne!(body["correlation_id"], body["trace_id"]);
}

#[tokio::test]
async fn authorize_pages_show_the_codes_that_cannot_be_redirected() {
    let mock = start().await;
    let cases: [(Overrides<'_>, u32); 4] = [
        (
            &[("client_id", Some("11111111-2222-3333-4444-555555555555"))],
            700016,
        ),
        (&[("redirect_uri", Some("https://evil.example/"))], 50011),
        (&[("client_id", None)], 900144),
        (
            &[
                ("client_id", Some(PORTAL_APP.client_id)),
                ("redirect_uri", None),
            ],
            500113,
        ),
    ];

    for (overrides, code) in cases {
        let response = authorize(&mock, "common", overrides).await;

        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "AADSTS{code}");
        assert!(response.headers().get("location").is_none());
        let page = response.text().await.unwrap();
        assert!(page.contains(&format!("Message: AADSTS{code}: ")), "{page}");
        assert!(page.contains("Timestamp: 2026-11-25 22:10:00Z"));
    }
}

#[tokio::test]
async fn authorize_redirects_pkce_refusals_with_their_codes() {
    let mock = start().await;
    let cases: [(Overrides<'_>, &str, u32); 2] = [
        (
            &[("code_challenge", Some("too-short"))],
            "invalid_request",
            501491,
        ),
        (
            &[
                ("code_challenge", Some(CHALLENGE)),
                ("code_challenge_method", Some("S512")),
            ],
            "invalid_request",
            90023,
        ),
    ];

    for (overrides, error, code) in cases {
        let response = authorize(&mock, "common", overrides).await;

        let params = redirect_params(&response);
        assert_eq!(param(&params, "error"), Some(error));
        assert!(
            param(&params, "error_description")
                .unwrap()
                .starts_with(&format!("AADSTS{code}: "))
        );
    }
}

/// Every variant, so that adding one without a row here fails to compile.
fn every_refusal() -> Vec<Aadsts> {
    let all = vec![
        Aadsts::MissingParameter("grant_type"),
        Aadsts::UnknownTenant("t".into()),
        Aadsts::UnknownClient {
            client_id: "c".into(),
            tenant: "t".into(),
        },
        Aadsts::RedirectNotRegistered {
            redirect_uri: "u".into(),
            client_id: "c".into(),
        },
        Aadsts::NoRedirectRegistered,
        Aadsts::TokenRedirectMismatch {
            sent: "a".into(),
            original: "b".into(),
        },
        Aadsts::WrongSecret {
            client_id: "c".into(),
        },
        Aadsts::MissingSecret,
        Aadsts::ExpiredSecret {
            client_id: "c".into(),
        },
        Aadsts::PublicClientSentSecret,
        Aadsts::CodeRedeemed,
        Aadsts::CodeExpired,
        Aadsts::PkceMismatch,
        Aadsts::InvalidScope("s".into()),
        Aadsts::ResourceOnV2,
        Aadsts::UnknownResourceV1 {
            resource: "r".into(),
            tenant: "t".into(),
        },
        Aadsts::UnknownResourceV2 {
            resource: "r".into(),
            tenant: "t".into(),
        },
        Aadsts::ResourceNotProvided,
        Aadsts::DevicePending,
        Aadsts::DeviceSlowDown,
        Aadsts::DeviceCodeExpired,
        Aadsts::DeviceDeclined,
        Aadsts::BadUserCode,
        Aadsts::UnknownInstance,
        Aadsts::UnsupportedGrantType("g".into()),
        Aadsts::UnsupportedResponseType("token".into()),
        Aadsts::ImplicitAccessToken,
        Aadsts::SingleTenantOnCommon {
            client_id: "c".into(),
            app_name: "a".into(),
        },
        Aadsts::MalformedGrant,
        Aadsts::GrantForAnotherClient,
        Aadsts::ConsentRequired {
            client_id: "c".into(),
            app_name: "a".into(),
        },
        Aadsts::RefreshTokenExpired {
            issued: "2026-01-01T00:00:00Z".into(),
        },
        Aadsts::ClientCredentialsScope("s".into()),
        Aadsts::GrantNotOnCommon,
        Aadsts::WrongMethod("GET".into()),
        Aadsts::UserDeclined,
        Aadsts::LoginRequired,
        Aadsts::InvalidCodeChallenge,
        Aadsts::InvalidStsRequest,
        Aadsts::AdminConsentRequired {
            app_name: "a".into(),
        },
        Aadsts::DirectoryUnavailable,
        Aadsts::MissingField("scope"),
        Aadsts::UserNotInTenant {
            user: "u",
            home_tenant: "h",
            tenant_name: "t".into(),
            client_id: "c".into(),
            app_name: "a".into(),
        },
        Aadsts::CodeForAnotherTenant,
        Aadsts::ClientAssertion(AssertionRefusal::UnexpectedType),
        Aadsts::ClientAssertion(AssertionRefusal::Malformed),
        Aadsts::ClientAssertion(AssertionRefusal::NoThumbprint),
        Aadsts::ClientAssertion(AssertionRefusal::UnknownKey {
            thumbprint: "T".into(),
            client_id: "c".into(),
        }),
        Aadsts::ClientAssertion(AssertionRefusal::ExpiredKey {
            thumbprint: "T".into(),
            client_id: "c".into(),
            found: "f".into(),
        }),
        Aadsts::ClientAssertion(AssertionRefusal::BadSignature {
            thumbprint: "T".into(),
            client_id: "c".into(),
            found: "f".into(),
        }),
        Aadsts::ClientAssertion(AssertionRefusal::OutsideValidTime {
            now: "n".into(),
            valid_from: "v".into(),
            expires: "e".into(),
        }),
        Aadsts::ClientAssertion(AssertionRefusal::WrongAudience),
        Aadsts::ClientAssertion(AssertionRefusal::WrongClient),
        Aadsts::ClientAssertion(AssertionRefusal::NoFederatedCredential {
            subject: "s".into(),
        }),
        Aadsts::CrossOriginNotSpa {
            origin: "http://localhost:3000".into(),
        },
        Aadsts::SpaNeedsCrossOrigin,
        Aadsts::SpaNeedsPkce,
        Aadsts::SpaRefreshTokenExpired {
            issued: "2026-01-01T00:00:00Z".into(),
        },
        Aadsts::UserAssertion(UserAssertionRefusal::BadSignature {
            thumbprint: "T".into(),
        }),
        Aadsts::UserAssertion(UserAssertionRefusal::OutsideValidTime {
            now: "n".into(),
            expires: "e".into(),
        }),
        Aadsts::UserAssertion(UserAssertionRefusal::WrongAudience {
            audience: "a".into(),
            client_id: "c".into(),
            app_name: "n".into(),
        }),
    ];
    for refusal in &all {
        // An exhaustive match: a new variant must be listed above too.
        match refusal {
            Aadsts::MissingParameter(_)
            | Aadsts::UnknownTenant(_)
            | Aadsts::UnknownClient { .. }
            | Aadsts::RedirectNotRegistered { .. }
            | Aadsts::NoRedirectRegistered
            | Aadsts::SingleTenantOnCommon { .. }
            | Aadsts::TokenRedirectMismatch { .. }
            | Aadsts::WrongSecret { .. }
            | Aadsts::MissingSecret
            | Aadsts::ExpiredSecret { .. }
            | Aadsts::PublicClientSentSecret
            | Aadsts::CodeRedeemed
            | Aadsts::CodeExpired
            | Aadsts::PkceMismatch
            | Aadsts::InvalidScope(_)
            | Aadsts::ResourceOnV2
            | Aadsts::UnknownResourceV1 { .. }
            | Aadsts::UnknownResourceV2 { .. }
            | Aadsts::ResourceNotProvided
            | Aadsts::DevicePending
            | Aadsts::DeviceSlowDown
            | Aadsts::DeviceCodeExpired
            | Aadsts::DeviceDeclined
            | Aadsts::BadUserCode
            | Aadsts::UnknownInstance
            | Aadsts::UnsupportedGrantType(_)
            | Aadsts::UnsupportedResponseType(_)
            | Aadsts::ImplicitAccessToken
            | Aadsts::MalformedGrant
            | Aadsts::GrantForAnotherClient
            | Aadsts::ConsentRequired { .. }
            | Aadsts::RefreshTokenExpired { .. }
            | Aadsts::ClientCredentialsScope(_)
            | Aadsts::GrantNotOnCommon
            | Aadsts::WrongMethod(_)
            | Aadsts::UserDeclined
            | Aadsts::LoginRequired
            | Aadsts::InvalidCodeChallenge
            | Aadsts::InvalidStsRequest
            | Aadsts::AdminConsentRequired { .. }
            | Aadsts::DirectoryUnavailable
            | Aadsts::MissingField(_)
            | Aadsts::UserNotInTenant { .. }
            | Aadsts::CodeForAnotherTenant
            | Aadsts::ClientAssertion(_)
            | Aadsts::CrossOriginNotSpa { .. }
            | Aadsts::SpaNeedsCrossOrigin
            | Aadsts::SpaNeedsPkce
            | Aadsts::SpaRefreshTokenExpired { .. }
            | Aadsts::UserAssertion(_) => {}
        }
    }
    all
}

#[test]
fn the_aadsts_table_gives_each_refusal_its_own_code_and_a_consistent_status() {
    let all = every_refusal();

    // Shared codes, as in the cloud: AADSTS50001 is both "resource not found" and "resource
    // not provided" on v1; slow_down is a kind of 70016 (pending); a device sign-in declined is
    // 65004 like a consent declined. A certificate not found, expired or not matching its
    // signature are all 700027; a JWT unreadable or naming no certificate both 50027; a user's
    // token forged or expired, presented on-behalf-of, both 50013.
    let distinct: Vec<&Aadsts> = all
        .iter()
        .filter(|r| {
            !matches!(
                r,
                Aadsts::ResourceNotProvided
                    | Aadsts::DeviceSlowDown
                    | Aadsts::DeviceDeclined
                    | Aadsts::ClientAssertion(
                        AssertionRefusal::ExpiredKey { .. }
                            | AssertionRefusal::BadSignature { .. }
                            | AssertionRefusal::NoThumbprint
                    )
                    | Aadsts::UserAssertion(UserAssertionRefusal::OutsideValidTime { .. })
            )
        })
        .collect();
    let mut codes: Vec<u32> = distinct.iter().map(|r| r.entry().code).collect();
    codes.sort_unstable();
    codes.dedup();
    assert_eq!(codes.len(), distinct.len(), "one code per refusal");
    for refusal in &all {
        let entry = refusal.entry();
        let expected = match (entry.error, refusal) {
            (_, Aadsts::WrongMethod(_)) => 405,
            ("temporarily_unavailable", _) => 503,
            ("invalid_client", _) => 401,
            _ => 400,
        };
        assert_eq!(entry.status.as_u16(), expected, "{refusal:?}");
        assert!(
            [
                "invalid_request",
                "invalid_tenant",
                "invalid_client",
                "authorization_pending",
                "slow_down",
                "expired_token",
                "authorization_declined",
                "bad_verification_code",
                "invalid_instance",
                "invalid_grant",
                "invalid_scope",
                "invalid_resource",
                "unauthorized_client",
                "unsupported_grant_type",
                "unsupported_response_type",
                "access_denied",
                "login_required",
                "temporarily_unavailable",
            ]
            .contains(&entry.error),
            "{refusal:?}: {} is an OAuth error value",
            entry.error
        );
        assert!(!entry.message.starts_with("AADSTS"), "{refusal:?}");
        // Entra's sentences end with a full stop; the federation error ends with its link.
        assert!(
            entry.message.ends_with('.')
                || entry.message.ends_with("/workload-identity-federation"),
            "{refusal:?}: {}",
            entry.message
        );
    }
}

#[test]
fn the_aadsts_table_uses_the_numbers_of_protocol_md() {
    let expected = [
        (Aadsts::MissingParameter("code"), 900144),
        (Aadsts::PkceMismatch, 501481),
        (Aadsts::CodeExpired, 70008),
        (Aadsts::CodeRedeemed, 54005),
        (Aadsts::RefreshTokenExpired { issued: "x".into() }, 700082),
        (Aadsts::WrongMethod("GET".into()), 900561),
        (Aadsts::InvalidStsRequest, 90023),
        (Aadsts::MalformedGrant, 9002313),
    ];

    for (refusal, code) in expected {
        assert_eq!(refusal.entry().code, code, "{refusal:?}");
    }
    assert_eq!(
        Aadsts::ConsentRequired {
            client_id: "c".into(),
            app_name: "a".into()
        }
        .entry()
        .suberror,
        Some("consent_required")
    );
}

#[test]
fn graph_token_errors_are_401_invalid_authentication_token_and_scope_errors_403() {
    let token_errors = [
        GraphError::EmptyToken,
        GraphError::MalformedToken,
        GraphError::InvalidToken,
        GraphError::InvalidAudience,
        GraphError::ExpiredToken,
    ];
    for error in token_errors {
        let (status, code, _) = error.entry();
        assert_eq!(
            (status.as_u16(), code),
            (401, "InvalidAuthenticationToken"),
            "{error:?}"
        );
    }
    assert_eq!(GraphError::AccessDenied.entry().0.as_u16(), 403);
    assert_eq!(GraphError::InsufficientPrivileges.entry().0.as_u16(), 403);
    assert_eq!(GraphError::TooLarge.entry().0.as_u16(), 413);
    assert_eq!(
        GraphError::InvalidRecipients("x".into()).entry().1,
        "ErrorInvalidRecipients"
    );
}

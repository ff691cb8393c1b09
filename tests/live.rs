//! The `--live` path, offline: wiremock stands in for login.microsoftonline.com and
//! graph.microsoft.com with answers shaped like the real cloud's, successes and real error
//! bodies alike. The binary is pointed at it with the hidden `--login-base`/`--graph-base`.

mod support;

use std::path::Path;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::json;
use wiremock::matchers::{body_string_contains, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use support::{Run, tutorial_in};

const TENANT: &str = "contoso.onmicrosoft.com";
const CLIENT_ID: &str = "6731de76-14a6-49ae-97bc-6eba6914391e";
const SECRET: &str = "Xy8Q~live.secret.value.for.the.test";
const CODE: &str = "1.AXoA-live-authorization-code-value";
const ACCESS: &str = "eyJ0eXAiOiJKV1QiLCJub25jZSI6Im4ifQ.eyJhdWQiOiJodHRwczovL2dyYXBoLm1pY3Jvc29mdC5jb20ifQ.c2lnbmF0dXJl";

fn jwt(claims: serde_json::Value) -> String {
    let header = URL_SAFE_NO_PAD
        .encode(r#"{"typ":"JWT","alg":"RS256","kid":"KQ2tAcrE7lBaVVGBmc5FobgdJo4"}"#);
    format!(
        "{header}.{}.c2lnbmF0dXJl",
        URL_SAFE_NO_PAD.encode(claims.to_string())
    )
}

/// Saved progress as steps 1 to 3 (or 1 to 4) would have left it against `server`.
fn seed_progress(dir: &Path, server: &MockServer, with_tokens: bool) {
    let tokens = with_tokens.then(|| json!({"access": ACCESS, "refresh": null, "id": null}));
    let progress = json!({
        "format_version": 1,
        "target": format!("live {}/ {TENANT}", server.uri()),
        "flow": "V2",
        "app": {"client_id": CLIENT_ID, "client_secret": SECRET,
                "redirect_uri": "http://127.0.0.1:8000/connect/get_token/"},
        "authorization": {"url": "https://login.example/authorize", "redirect_uri": "http://127.0.0.1:8000/connect/get_token/",
                          "state": "state-1", "nonce": "nonce-1", "verifier": "verifier-verifier-verifier-verifier-verif",
                          "scope": "openid profile offline_access User.Read Mail.Send Mail.Read"},
        "code": CODE,
        "tokens": tokens,
    });
    std::fs::write(dir.join("progress.json"), progress.to_string()).expect("write progress");
}

async fn live(dir: &Path, server: &MockServer, step: &str) -> Run {
    let dir = dir.to_owned();
    let uri = server.uri();
    let step = step.to_owned();
    tokio::task::spawn_blocking(move || {
        tutorial_in(
            &dir,
            &[
                "--live",
                "--yes",
                "--tenant",
                TENANT,
                "--login-base",
                &uri,
                "--graph-base",
                &uri,
                "--step",
                &step,
            ],
        )
    })
    .await
    .expect("the run finishes")
}

fn token_error(code: u32, error: &str, description: &str) -> serde_json::Value {
    json!({
        "error": error,
        "error_description": format!("AADSTS{code}: {description} Trace ID: 0b1c… Correlation ID: 5e6f… Timestamp: 2026-11-25 22:10:00Z"),
        "error_codes": [code],
        "timestamp": "2026-11-25 22:10:00Z",
        "trace_id": "0b1c2d3e-0000-4000-8000-000000000000",
        "correlation_id": "5e6f7a8b-0000-4000-8000-000000000000",
        "error_uri": format!("https://login.microsoftonline.com/error?code={code}"),
    })
}

#[tokio::test(flavor = "multi_thread")]
async fn step_4_live_redeems_the_code_and_checks_the_id_tokens_nonce() {
    let server = MockServer::start().await;
    let id_token = jwt(
        json!({"aud": CLIENT_ID, "iss": "https://login.microsoftonline.com/b5d4/v2.0",
        "nonce": "nonce-1", "oid": "48d3", "tid": "b5d4", "exp": 1795648200, "ver": "2.0"}),
    );
    Mock::given(method("POST"))
        .and(path(format!("/{TENANT}/oauth2/v2.0/token")))
        .and(body_string_contains("grant_type=authorization_code"))
        .and(body_string_contains("code_verifier=verifier"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "token_type": "Bearer", "scope": "User.Read Mail.Send Mail.Read profile openid email",
            "expires_in": 4822, "ext_expires_in": 4822, "access_token": ACCESS,
            "refresh_token": "1.AXoA-refresh-token-value-for-the-test", "id_token": id_token,
        })))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("/{TENANT}/discovery/v2.0/keys")))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"keys": []})))
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().expect("a temp dir");
    seed_progress(dir.path(), &server, false);

    let run = live(dir.path(), &server, "4").await;

    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(run.stdout.contains("LIVE Microsoft cloud"));
    assert!(run.stdout.contains("nonce is the one step 2 sent"));
    assert!(
        run.stdout
            .contains("no published key has kid=KQ2tAcrE7lBaVVGBmc5FobgdJo4")
    );
    assert!(!run.stdout.contains(SECRET) && !run.stdout.contains(CODE));
    let saved = std::fs::read_to_string(dir.path().join("progress.json")).expect("progress");
    assert!(saved.contains("1.AXoA-refresh-token-value-for-the-test"));
}

#[tokio::test(flavor = "multi_thread")]
async fn step_4_live_reports_a_redeemed_code_with_its_aadsts_code_and_what_to_do() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!("/{TENANT}/oauth2/v2.0/token")))
        .respond_with(ResponseTemplate::new(400).set_body_json(token_error(
            54005,
            "invalid_grant",
            "OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.",
        )))
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().expect("a temp dir");
    seed_progress(dir.path(), &server, false);

    let run = live(dir.path(), &server, "4").await;

    assert_eq!(run.status, 1);
    assert!(run.stdout.contains("400 Bad Request"));
    assert!(
        support::words(&run.stderr)
            .contains("invalid_grant: AADSTS54005: OAuth2 Authorization code was already redeemed"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("try: tutorial --step 2"),
        "{}",
        run.stderr
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn step_4_live_reports_a_wrong_secret_as_invalid_client() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!("/{TENANT}/oauth2/v2.0/token")))
        .respond_with(ResponseTemplate::new(401).set_body_json(token_error(
            7000215,
            "invalid_client",
            &format!("Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '{CLIENT_ID}'."),
        )))
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().expect("a temp dir");
    seed_progress(dir.path(), &server, false);

    let run = live(dir.path(), &server, "4").await;

    assert_eq!(run.status, 1);
    assert!(run.stdout.contains("401 Unauthorized"));
    assert!(
        support::words(&run.stderr).contains("(401): invalid_client: AADSTS7000215"),
        "{}",
        run.stderr
    );
    // The way out is the secret, not a new code.
    let words = support::words(&run.stderr);
    assert!(
        words.contains("try: tutorial --step 1 with the secret's Value, not its ID"),
        "{words}"
    );
    assert!(!words.contains("for a new code"), "{words}");
}

#[tokio::test(flavor = "multi_thread")]
async fn step_5_live_calls_me_and_send_mail_with_a_masked_bearer_and_gets_202() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1.0/me"))
        .and(header("authorization", format!("Bearer {ACCESS}").as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users/$entity",
            "displayName": "Megan Bowen", "mail": "MeganB@contoso.onmicrosoft.com",
            "userPrincipalName": "MeganB@contoso.onmicrosoft.com", "id": "48d31887-5fad-4d73-a9f5-3c356e68a038",
        })))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1.0/me/sendMail"))
        .and(body_string_contains("\"saveToSentItems\":true"))
        .and(body_string_contains("MeganB@contoso.onmicrosoft.com"))
        .respond_with(ResponseTemplate::new(202))
        .expect(1)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().expect("a temp dir");
    seed_progress(dir.path(), &server, true);

    let run = live(dir.path(), &server, "5").await;

    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(run.stdout.contains("202 Accepted"));
    assert!(run.stdout.contains("authorization: Bearer eyJ… [masked"));
    assert!(!run.stdout.contains(ACCESS));
    assert!(
        !run.stdout.contains("sentitems"),
        "live does not read mail back"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn step_5_live_reports_a_missing_permission_with_graphs_error_code() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1.0/me"))
        .respond_with(ResponseTemplate::new(403).set_body_json(json!({"error": {
            "code": "ErrorAccessDenied", "message": "Access is denied. Check credentials and try again.",
            "innerError": {"date": "2026-11-25T22:10:00", "request-id": "b04a", "client-request-id": "b04a"}}})))
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().expect("a temp dir");
    seed_progress(dir.path(), &server, true);

    let run = live(dir.path(), &server, "5").await;

    assert_eq!(run.status, 1);
    assert!(
        run.stderr
            .contains("Graph refused the request (403): ErrorAccessDenied: Access is denied."),
        "{}",
        run.stderr
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn step_2_live_builds_the_authorize_url_on_the_live_host_and_tenant() {
    let server = MockServer::start().await;
    let dir = tempfile::tempdir().expect("a temp dir");
    seed_progress(dir.path(), &server, false);
    let run = live(dir.path(), &server, "2").await;
    assert_eq!(run.status, 0, "{}", run.stderr);
    // Shown broken before its query, to fit the screen.
    let endpoint = format!("{}/{TENANT}/oauth2/v2.0/authorize\n", server.uri());
    let query = format!("?client_id={CLIENT_ID}&response_type=code");
    assert!(run.stdout.contains(&endpoint), "{}", run.stdout);
    assert!(run.stdout.contains(&query), "{}", run.stdout);
    assert!(run.stdout.contains("code_challenge_method  S256"));
}

#[tokio::test(flavor = "multi_thread")]
async fn step_1_live_takes_the_portal_values_from_flags_and_masks_the_secret() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let run = tokio::task::spawn_blocking({
        let dir = dir.path().to_owned();
        move || {
            tutorial_in(
                &dir,
                &[
                    "--live",
                    "--yes",
                    "--tenant",
                    TENANT,
                    "--step",
                    "1",
                    "--client-id",
                    CLIENT_ID,
                    "--client-secret",
                    SECRET,
                ],
            )
        }
    })
    .await
    .expect("the run finishes");
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(run.stdout.contains("In the Microsoft Entra admin center"));
    assert!(run.stdout.contains(CLIENT_ID));
    assert!(run.stdout.contains("Xy8… [masked, 35 chars]"));
    assert!(!run.stdout.contains(SECRET));
}

#[test]
fn live_without_a_tenant_is_refused_with_where_to_find_it() {
    // The portal registers single-tenant apps, which `/common` refuses (AADSTS50194): the
    // tenant must be named.
    let dir = tempfile::tempdir().expect("a temp dir");
    let run = tutorial_in(dir.path(), &["--live", "--yes", "--step", "1"]);

    assert_eq!(run.status, 2, "{}", run.stdout);
    assert!(
        run.stderr.contains("the tenant is needed"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("--tenant"), "{}", run.stderr);
    assert!(
        run.stderr.contains("Directory (tenant) ID"),
        "{}",
        run.stderr
    );
}

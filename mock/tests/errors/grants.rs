//! Refusals of refresh tokens and of client credentials.

use std::time::Duration;

use crate::support::*;
use crate::{assert_refusals, case, refresh_token};
use graph_mock::fixtures::TENANT_ID;

#[tokio::test]
async fn refusals_of_refresh_tokens_and_client_credentials_have_their_code_error_and_status() {
    let mock = start().await;
    let web = WEB_APP.client_id;
    let secret = WEB_APP.client_secret;
    let mut cases = Vec::new();
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

    assert_refusals(&mock, cases).await;
}

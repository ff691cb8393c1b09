//! Deterministic mode: two fresh mocks given the same requests give the same bytes.

#![allow(clippy::unwrap_used)] // in the helpers below, as in the tests

mod support;

use graph_mock::{Config, MockServer};
use support::*;

/// Sign in and redeem the code, with a fixed `Host` so the two mocks' ports do not show.
async fn token_answer(mock: &MockServer) -> (String, Vec<u8>) {
    let http = client();
    let redirect = http
        .get(format!("{}/common/oauth2/v2.0/authorize", mock.uri()))
        .header("host", "localhost:8400")
        .query(&authorize_params(&[("nonce", Some("n-1"))]))
        .send()
        .await
        .unwrap();
    let location = location(&redirect);
    let code = param(&redirect_params(&redirect), "code")
        .unwrap()
        .to_owned();
    let answer = http
        .post(format!("{}/common/oauth2/v2.0/token", mock.uri()))
        .header("host", "localhost:8400")
        .form(&redemption(&code))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    (location, answer.to_vec())
}

#[tokio::test]
async fn two_deterministic_mocks_give_byte_identical_token_answers() {
    let first = start_with(Config::deterministic().auto_approve()).await;
    let second = start_with(Config::deterministic().auto_approve()).await;

    let (first_location, first_answer) = token_answer(&first).await;
    let (second_location, second_answer) = token_answer(&second).await;

    assert_ne!(first.uri(), second.uri());
    assert_eq!(first_location, second_location);
    assert_eq!(
        String::from_utf8_lossy(&first_answer),
        String::from_utf8_lossy(&second_answer)
    );
    let body: serde_json::Value = serde_json::from_slice(&first_answer).unwrap();
    let (_, claims) = decode_jwt(body["id_token"].as_str().unwrap());
    assert_eq!(claims["iat"], 1_795_644_600, "2026-11-25 22:10:00 UTC");
    assert_eq!(claims["iss"], "http://localhost:8400/common/v2.0");
}

#[tokio::test]
async fn two_normal_mocks_give_different_codes() {
    let first = start_with(Config::default().auto_approve()).await;
    let second = start_with(Config::default().auto_approve()).await;

    let (first_location, _) = token_answer(&first).await;
    let (second_location, _) = token_answer(&second).await;

    assert_ne!(first_location, second_location);
}

#[tokio::test]
async fn deterministic_mode_refuses_an_address_others_can_reach() {
    use std::net::{Ipv4Addr, SocketAddr};

    let everywhere = SocketAddr::from((Ipv4Addr::UNSPECIFIED, 0));
    let refused =
        graph_mock::MockServer::start(graph_mock::Config::deterministic().address(everywhere))
            .await;

    let error = refused
        .err()
        .expect("a deterministic mock on 0.0.0.0 does not start");
    assert_eq!(error.kind(), std::io::ErrorKind::InvalidInput);
    assert!(error.to_string().contains("loopback only"), "{error}");
}

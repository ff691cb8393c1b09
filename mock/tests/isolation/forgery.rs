//! Forged tokens, concurrent secrets and the quotas one learner may fill.

use super::*;

/// A token as anyone can sign it with the published demo key: A's tenant, A's app, Megan.
fn forged_token(mock: &MockServer, a: &Learner) -> String {
    let key = RsaKeyPair::from_pkcs8(include_bytes!("../../keys/demo-signing-key.pk8")).unwrap();
    let header = json!({"typ": "JWT", "alg": "RS256"});
    let claims = json!({
        "aud": GRAPH_APP_ID, "iss": format!("{}/{}/", mock.uri(), a.tenant),
        "iat": 0, "nbf": 0, "exp": 4_000_000_000_i64,
        "appid": a.client_id, "idtyp": "user", "oid": MEGAN.id, "sub": "x",
        "tid": a.tenant, "scp": "User.Read Mail.Read",
    });
    let signed = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(claims.to_string())
    );
    let mut signature = vec![0; key.public_modulus_len()];
    key.sign(
        &RSA_PKCS1_SHA256,
        &SystemRandom::new(),
        signed.as_bytes(),
        &mut signature,
    )
    .unwrap();
    format!("{signed}.{}", URL_SAFE_NO_PAD.encode(signature))
}

#[tokio::test]
async fn a_token_signed_with_the_demo_key_is_refused_by_a_shared_mock() {
    let mock = classroom().await;
    let a = enrol(&mock).await;
    let own = start_with(Config::default().auto_approve()).await;

    let refused = graph_get(&mock, "/v1.0/me/messages", &forged_token(&mock, &a)).await;
    let accepted_alone = graph_get(&own, "/v1.0/me", &forged_token(&own, &a)).await;

    assert_graph_error(refused, 401, "InvalidAuthenticationToken").await;
    assert_eq!(
        accepted_alone.status(),
        StatusCode::OK,
        "the forgery itself is well made: a mock nobody else reaches takes it"
    );
    let keys: Value = client()
        .get(format!("{}/common/discovery/v2.0/keys", mock.uri()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let published: Value = client()
        .get(format!("{}/common/discovery/v2.0/keys", own.uri()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_ne!(keys["keys"][0]["n"], published["keys"][0]["n"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_add_password_calls_each_keep_their_secret() {
    let mock = classroom().await;
    let portal = portal_token(&mock).await;
    // A fresh portal token is a fresh tenant: add secrets with the one that registered.
    let register = graph_post(
        &mock,
        "/v1.0/applications",
        &portal,
        &application_body(&[REDIRECT_URI], &[]),
    )
    .await;
    let app: Value = register.json().await.unwrap();
    let tenant = decode_jwt(&portal).1["tid"].as_str().unwrap().to_owned();
    let path = format!(
        "/v1.0/applications/{}/addPassword",
        app["id"].as_str().unwrap()
    );

    let http = client();
    let url = format!("{}{path}", mock.uri());
    let calls = (0..200).map(|_| {
        let (http, url, portal) = (&http, &url, &portal);
        async move {
            let response = http
                .post(url)
                .bearer_auth(portal)
                .json(&json!({}))
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), StatusCode::OK);
            let body: Value = response.json().await.unwrap();
            body["secretText"].as_str().unwrap().to_owned()
        }
    });
    let secrets = join_all(calls).await;

    let client_id = app["appId"].as_str().unwrap();
    for secret in &secrets {
        let response = token(
            &mock,
            &tenant,
            &[
                ("grant_type", "client_credentials"),
                ("client_id", client_id),
                ("client_secret", secret),
                ("scope", "https://graph.microsoft.com/.default"),
            ],
        )
        .await;
        assert_eq!(
            response.status(),
            StatusCode::OK,
            "secret {} works",
            &secret[..3]
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_thousand_registrations_by_one_learner_do_not_lock_another_out() {
    let mock = classroom().await;
    let flooder = portal_token(&mock).await;
    let body = application_body(&[REDIRECT_URI], &[]);
    // One client, its connections kept alive: the flood costs the mock, not the test.
    let http = client();
    let url = format!("{}/v1.0/applications", mock.uri());

    let mut created = 0;
    let mut refused = 0;
    for _ in 0..200 {
        let batch = (0..50).map(|_| http.post(&url).bearer_auth(&flooder).json(&body).send());
        for response in join_all(batch).await {
            let response = response.unwrap();
            match response.status() {
                StatusCode::CREATED => created += 1,
                _ => {
                    assert_graph_error(response, 400, "Directory_QuotaExceeded").await;
                    refused += 1;
                }
            }
        }
    }
    let b = enrol(&mock).await;

    assert_eq!(created, 250, "one tenant registers at most 250 apps");
    assert_eq!(refused, 10_000 - 250);
    let response = sign_in(&mock, &b.tenant, &b.client_id, &b.secret, READ_AND_SEND).await;
    assert_eq!(response.status(), StatusCode::OK, "B goes on to sign in");
}

/// The portal's token, asked for by a client at `address` (a second loopback address is a
/// second machine to the mock): its status, and the token when it came.
async fn portal_token_from(http: &reqwest::Client, mock: &MockServer) -> (StatusCode, Value) {
    let url = format!("{}/{TENANT_ID}/oauth2/v2.0/token", mock.uri());
    let response = http
        .post(&url)
        .form(&support::PORTAL_TOKEN_FORM)
        .send()
        .await
        .unwrap();
    let status = response.status();
    (status, response.json().await.unwrap())
}

fn client_at(address: &str) -> reqwest::Client {
    reqwest::Client::builder()
        .local_address(address.parse::<std::net::IpAddr>().ok())
        .no_proxy()
        .build()
        .unwrap()
}

/// Opening tenants is free, so one machine may open only its share (1,000 of 20,000) and
/// register only its share of all apps (2,500 of 50,000): a learner who floods step 1 is
/// refused, and a learner at another address still gets a tenant and signs in.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_machine_that_opens_tenants_without_end_fills_only_its_share() {
    let mock = classroom().await;
    let flooder = client_at("127.0.0.1");
    let mut opened = Vec::new();
    for _ in 0..20 {
        let batch = (0..51).map(|_| portal_token_from(&flooder, &mock));
        for (status, body) in join_all(batch).await {
            if status == StatusCode::OK {
                opened.push(body["access_token"].as_str().unwrap().to_owned());
            } else {
                assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
                assert_eq!(body["error"], "temporarily_unavailable", "{body}");
            }
        }
    }
    assert_eq!(
        opened.len(),
        1_000,
        "one address opens at most 1,000 tenants"
    );

    // Apps: ten of those tenants full (250 each) use the address's 2,500; the next is refused.
    let body = application_body(&[REDIRECT_URI], &[]);
    let url = format!("{}/v1.0/applications", mock.uri());
    let mut created = 0;
    for token in opened.iter().take(11) {
        for _ in 0..5 {
            let batch = (0..50).map(|_| flooder.post(&url).bearer_auth(token).json(&body).send());
            for response in join_all(batch).await {
                let response = response.unwrap();
                if response.status() == StatusCode::CREATED {
                    created += 1;
                } else {
                    assert_graph_error(response, 400, "Directory_QuotaExceeded").await;
                }
            }
        }
    }
    assert_eq!(created, 2_500, "one address registers at most 2,500 apps");

    // Another machine is not held to the first one's share: it opens a tenant and registers.
    let other = client_at("127.0.0.2");
    let (status, answer) = portal_token_from(&other, &mock).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    let token = answer["access_token"].as_str().unwrap();
    let response = other
        .post(&url)
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
}

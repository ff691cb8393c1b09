//! Every refusal of a client assertion, and what PATCH refuses.

use super::*;

#[tokio::test]
async fn a_certificate_never_uploaded_is_700027_key_not_found() {
    let daemon = Daemon::start().await;
    let client_id = daemon.client_id();
    let stranger = TestCertificate::for_deterministic_mock("stranger");
    let claims = daemon.claims(NOW);

    let response = daemon
        .ask(&stranger.sign(Signing::Rs256Sha1, &claims))
        .await;

    let body = assert_aadsts(response, 401, "invalid_client", 700027).await;
    assert_eq!(
        message(&body),
        format!(
            "AADSTS700027: The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found., Thumbprint of key used by client: '{}', {}]. Alternatively, SNI may be configured on the app. Please ensure that client assertion is being sent with the x5c claim in the JWT header using MSAL's WithSendX5C() method so that Azure Active Directory can validate the certificate being used.",
            TestCertificate::hex(&stranger.sha1()),
            keys_hint(client_id)
        )
    );
}

#[tokio::test]
async fn a_signature_by_another_key_is_700027_key_found_but_failed() {
    let daemon = Daemon::start().await;
    let certificate = &daemon.certificate;
    let client_id = daemon.client_id();
    let stranger = TestCertificate::for_deterministic_mock("stranger");
    let claims = daemon.claims(NOW);
    // The registered certificate's thumbprint, the stranger's signature.
    let genuine = certificate.sign(Signing::Rs256Sha1, &claims);
    let forged = stranger.sign(Signing::Rs256Sha1, &claims);
    let (header_and_claims, _) = genuine.rsplit_once('.').unwrap();
    let (_, forged_signature) = forged.rsplit_once('.').unwrap();

    let response = daemon
        .ask(&format!("{header_and_claims}.{forged_signature}"))
        .await;

    let body = assert_aadsts(response, 401, "invalid_client", 700027).await;
    assert_eq!(
        message(&body),
        format!(
            "AADSTS700027: Client assertion contains an invalid signature. [Reason - Key was found, but use of the key to verify the signature failed., Thumbprint of key used by client: '{}', Found key 'Start=01/01/2026 00:00:00, End=01/01/2027 00:00:00', {}].",
            TestCertificate::hex(&certificate.sha1()),
            keys_hint(client_id)
        )
    );
}

#[tokio::test]
async fn an_expired_assertion_is_700024_with_the_times() {
    let daemon = Daemon::start().await;
    let certificate = &daemon.certificate;
    let claims = daemon.claims(NOW - 601);

    let response = daemon
        .ask(&certificate.sign(Signing::Rs256Sha1, &claims))
        .await;

    let body = assert_aadsts(response, 401, "invalid_client", 700024).await;
    assert_eq!(
        message(&body),
        "AADSTS700024: Client assertion is not within its valid time range. Current time: 2026-11-25T22:10:00.0000000Z, assertion valid from 2026-11-25T21:59:59.0000000Z, expiry time of assertion 2026-11-25T22:09:59.0000000Z. Review the documentation at https://learn.microsoft.com/entra/identity-platform/certificate-credentials ."
    );
}

#[tokio::test]
async fn an_expired_certificate_is_700027_key_expired() {
    let daemon = Daemon::start().await;
    let mock = &daemon.mock;
    let certificate = &daemon.certificate;
    let client_id = daemon.client_id();
    // Past the certificate's end, 2027-01-01.
    let forty_days = 40 * 24 * 3600;
    mock.advance_clock(Duration::from_secs(forty_days));
    let claims = assertion_claims(
        client_id,
        &token_endpoint(mock),
        NOW + i64::try_from(forty_days).unwrap(),
    );

    let response = daemon
        .ask(&certificate.sign(Signing::Rs256Sha1, &claims))
        .await;

    let body = assert_aadsts(response, 401, "invalid_client", 700027).await;
    assert!(
        message(&body).starts_with(&format!(
            "AADSTS700027: Client assertion contains an invalid signature. [Reason - The key used is expired., Thumbprint of key used by client: '{}', Found key 'Start=01/01/2026 00:00:00, End=01/01/2027 00:00:00', ",
            TestCertificate::hex(&certificate.sha1())
        )),
        "{body}"
    );
}

#[tokio::test]
async fn wrong_audience_issuer_and_subject_each_have_their_code() {
    let daemon = Daemon::start().await;
    let mock = &daemon.mock;
    let certificate = &daemon.certificate;
    let client_id = daemon.client_id();
    let endpoint = token_endpoint(mock);
    let signed = |claims: Value| certificate.sign(Signing::Rs256Sha1, &claims);
    let mut to_graph = assertion_claims(client_id, &endpoint, NOW);
    to_graph["aud"] = json!("https://graph.microsoft.com");
    let other_app = assertion_claims(WEB_APP.client_id, &endpoint, NOW);
    let mut federated = assertion_claims(client_id, &endpoint, NOW);
    federated["sub"] = json!("repo:contoso/daemon:ref:refs/heads/main");

    let audience = daemon.ask(&signed(to_graph)).await;
    let issuer = daemon.ask(&signed(other_app)).await;
    let subject = daemon.ask(&signed(federated)).await;

    let review = "Review the documentation at https://learn.microsoft.com/entra/identity-platform/certificate-credentials .";
    let body = assert_aadsts(audience, 401, "invalid_client", 700023).await;
    assert_eq!(
        message(&body),
        format!(
            "AADSTS700023: Client assertion audience claim does not match Realm issuer. {review}"
        )
    );
    let body = assert_aadsts(issuer, 401, "invalid_client", 700021).await;
    assert_eq!(
        message(&body),
        format!(
            "AADSTS700021: Client assertion application identifier doesn't match 'client_id' parameter. {review}"
        )
    );
    let body = assert_aadsts(subject, 401, "invalid_client", 700213).await;
    assert!(
        message(&body).starts_with(
            "AADSTS700213: No matching federated identity record found for presented assertion subject 'repo:contoso/daemon:ref:refs/heads/main'."
        ),
        "{body}"
    );
}

#[tokio::test]
async fn malformed_assertions_and_mixed_credentials_are_refused() {
    let daemon = Daemon::start().await;
    let mock = &daemon.mock;
    let certificate = &daemon.certificate;
    let client_id = daemon.client_id();
    let claims = daemon.claims(NOW);
    let assertion = certificate.sign(Signing::Rs256Sha1, &claims);
    let no_thumbprint =
        certificate.sign_with_header(Signing::Rs256Sha1, &json!({"alg": "RS256"}), &claims);
    let form = |extra: &[(&'static str, &str)]| {
        let mut form = vec![
            ("grant_type", "client_credentials".to_owned()),
            ("client_id", client_id.to_owned()),
            ("scope", GRAPH_DEFAULT.to_owned()),
        ];
        form.extend(extra.iter().map(|(k, v)| (*k, (*v).to_owned())));
        form
    };
    let send = |form: Vec<(&'static str, String)>| {
        let mock = &mock;
        async move {
            let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            token(mock, TENANT_ID, &pairs).await
        }
    };

    let garbage = send(form(&[
        ("client_assertion_type", JWT_BEARER),
        ("client_assertion", "not-a-jwt"),
    ]))
    .await;
    let unnamed = send(form(&[
        ("client_assertion_type", JWT_BEARER),
        ("client_assertion", &no_thumbprint),
    ]))
    .await;
    let wrong_type = send(form(&[
        (
            "client_assertion_type",
            "urn:ietf:params:oauth:client-assertion-type:saml2-bearer",
        ),
        ("client_assertion", &assertion),
    ]))
    .await;
    let both = send(form(&[
        ("client_secret", "a-secret"),
        ("client_assertion_type", JWT_BEARER),
        ("client_assertion", &assertion),
    ]))
    .await;

    let body = assert_aadsts(garbage, 401, "invalid_client", 50027).await;
    assert_eq!(
        message(&body),
        "AADSTS50027: Invalid JWT token. Token format not valid."
    );
    let body = assert_aadsts(unnamed, 401, "invalid_client", 50027).await;
    assert_eq!(
        message(&body),
        "AADSTS50027: Invalid JWT token. No certificate thumbprint specified in token header."
    );
    let body = assert_aadsts(wrong_type, 400, "invalid_request", 90011).await;
    assert_eq!(
        message(&body),
        "AADSTS90011: Unexpected client assertion type."
    );
    let body = assert_aadsts(both, 400, "invalid_request", 90023).await;
    assert_eq!(message(&body), "AADSTS90023: Invalid STS request.");
}

#[tokio::test]
async fn patch_refuses_what_graph_refuses() {
    let mock = start().await;
    let certificate = TestCertificate::for_deterministic_mock("daemon");
    let app = register_app(&mock, &application_body(&[NEW_REPLY_URL], &[])).await;
    let portal = portal_token(&mock).await;
    let path = format!("/v1.0/applications/{}", app["id"].as_str().unwrap());
    let with = |change: &dyn Fn(&mut Value)| {
        let mut key = certificate.key_credential();
        change(&mut key);
        json!({"keyCredentials": [key]})
    };

    let not_a_list = graph_patch(&mock, &path, &portal, &json!({"keyCredentials": {}})).await;
    let bad_key = graph_patch(&mock, &path, &portal, &with(&|k| k["key"] = json!("AAAA"))).await;
    let encrypt = graph_patch(
        &mock,
        &path,
        &portal,
        &with(&|k| k["usage"] = json!("Encrypt")),
    )
    .await;
    let too_late = graph_patch(
        &mock,
        &path,
        &portal,
        &with(&|k| k["endDateTime"] = json!("2030-01-01T00:00:00Z")),
    )
    .await;
    let unknown = graph_patch(&mock, &path, &portal, &json!({"colour": "blue"})).await;
    let not_owned = graph_patch(
        &mock,
        &format!("/v1.0/applications(appId='{}')", WEB_APP.client_id),
        &portal,
        &with(&|_| {}),
    )
    .await;
    let too_many = graph_patch(
        &mock,
        &path,
        &portal,
        &json!({"keyCredentials": vec![certificate.key_credential(); 257]}),
    )
    .await;

    let body = assert_graph_error(not_a_list, 400, "BadRequest").await;
    assert_eq!(
        body["error"]["message"],
        "Property keyCredentials in payload has a value that does not match schema."
    );
    let body = assert_graph_error(bad_key, 400, "Request_BadRequest").await;
    assert_eq!(
        body["error"]["message"],
        "Invalid value specified for property 'key' of resource 'KeyCredential'."
    );
    let body = assert_graph_error(encrypt, 400, "Request_BadRequest").await;
    assert_eq!(
        body["error"]["message"],
        "The value for the property \"usage\" in one of your credentials is invalid. Acceptable values are Sign, Verify."
    );
    let body = assert_graph_error(too_late, 400, "Request_BadRequest").await;
    assert_eq!(
        body["error"]["message"],
        "Key credential end date is invalid."
    );
    let body = assert_graph_error(unknown, 400, "BadRequest").await;
    assert_eq!(
        body["error"]["message"],
        "Property 'colour' does not exist on type 'microsoft.graph.application'. Make sure to only use property names that are defined by the type or mark the type as open type."
    );
    assert_graph_error(not_owned, 403, "Authorization_RequestDenied").await;
    assert_graph_error(too_many, 400, "Directory_QuotaExceeded").await;
}

#[tokio::test]
async fn a_credential_sent_back_by_key_id_without_its_key_is_kept() {
    let mock = start().await;
    let first = TestCertificate::for_deterministic_mock("first");
    let second = TestCertificate::for_deterministic_mock("second");
    let app = app_with(&mock, &first).await;
    let client_id = app["appId"].as_str().unwrap();
    let portal = portal_token(&mock).await;
    let path = format!("/v1.0/applications/{}", app["id"].as_str().unwrap());
    let shown: Value = graph_get(&mock, &path, &portal).await.json().await.unwrap();
    let kept = shown["keyCredentials"][0].clone();

    let appended = graph_patch(
        &mock,
        &path,
        &portal,
        &json!({"keyCredentials": [kept, second.key_credential()]}),
    )
    .await;

    assert_eq!(appended.status(), StatusCode::NO_CONTENT);
    for certificate in [&first, &second] {
        let claims = assertion_claims(client_id, &token_endpoint(&mock), NOW);
        let response = app_token(
            &mock,
            client_id,
            &certificate.sign(Signing::Rs256Sha1, &claims),
        )
        .await;
        assert_eq!(response.status(), StatusCode::OK);
    }
}

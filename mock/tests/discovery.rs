//! Discovery: the OpenID configuration documents (v2.0 and v1), the JWKS, and the base URL
//! the mock writes into them.

mod support;

use aws_lc_rs::signature::{RSA_PKCS1_2048_8192_SHA256, RsaPublicKeyComponents};
use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use graph_mock::fixtures::{TENANT_DOMAIN, TENANT_ID};
use serde_json::Value;
use support::*;

async fn get_json(url: &str) -> (u16, Value) {
    let response = client().get(url).send().await.expect("the mock answers");
    let status = response.status().as_u16();
    (status, response.json().await.expect("JSON"))
}

const V2_KEYS: [&str; 24] = [
    "token_endpoint",
    "token_endpoint_auth_methods_supported",
    "jwks_uri",
    "response_modes_supported",
    "subject_types_supported",
    "id_token_signing_alg_values_supported",
    "response_types_supported",
    "scopes_supported",
    "issuer",
    "request_uri_parameter_supported",
    "userinfo_endpoint",
    "authorization_endpoint",
    "device_authorization_endpoint",
    "http_logout_supported",
    "frontchannel_logout_supported",
    "end_session_endpoint",
    "claims_supported",
    "kerberos_endpoint",
    "tenant_region_scope",
    "cloud_instance_name",
    "cloud_graph_host_name",
    "msgraph_host",
    "rbac_url",
    // The one key Microsoft does not serve; it must stay absent (checked below).
    "code_challenge_methods_supported",
];

#[tokio::test]
async fn the_v2_document_has_microsofts_keys_in_microsofts_order() {
    let mock = start().await;

    let (status, document) = get_json(&format!(
        "{}/common/v2.0/.well-known/openid-configuration",
        mock.uri()
    ))
    .await;

    assert_eq!(status, 200);
    let keys: Vec<&str> = document
        .as_object()
        .expect("an object")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys, V2_KEYS[..23]);
    assert!(document.get("code_challenge_methods_supported").is_none());
    assert_eq!(
        document["id_token_signing_alg_values_supported"][0],
        "RS256"
    );
    assert_eq!(
        document["token_endpoint_auth_methods_supported"],
        serde_json::json!([
            "client_secret_post",
            "private_key_jwt",
            "client_secret_basic"
        ])
    );
}

#[tokio::test]
async fn the_v2_issuer_is_concrete_on_every_segment() {
    let mock = start().await;
    let base = mock.uri();
    let cases = [
        ("common", format!("{base}/common/v2.0")),
        ("organizations", format!("{base}/organizations/v2.0")),
        ("consumers", format!("{base}/consumers/v2.0")),
        (TENANT_ID, format!("{base}/{TENANT_ID}/v2.0")),
        (TENANT_DOMAIN, format!("{base}/{TENANT_ID}/v2.0")),
        ("Common", format!("{base}/common/v2.0")),
    ];

    for (segment, issuer) in cases {
        let (status, document) = get_json(&format!(
            "{base}/{segment}/v2.0/.well-known/openid-configuration"
        ))
        .await;

        assert_eq!(status, 200, "{segment}");
        assert_eq!(document["issuer"], issuer, "{segment}");
        let tenant = if segment == TENANT_DOMAIN {
            TENANT_ID.to_string()
        } else {
            segment.to_ascii_lowercase()
        };
        assert_eq!(
            document["token_endpoint"],
            format!("{base}/{tenant}/oauth2/v2.0/token")
        );
        assert_eq!(
            document["authorization_endpoint"],
            format!("{base}/{tenant}/oauth2/v2.0/authorize")
        );
        assert_eq!(
            document["jwks_uri"],
            format!("{base}/{tenant}/discovery/v2.0/keys")
        );
    }
}

#[tokio::test]
async fn the_v1_document_names_the_v1_endpoints_and_a_trailing_slash_issuer() {
    let mock = start().await;
    let base = mock.uri();

    let (status, document) = get_json(&format!(
        "{base}/{TENANT_DOMAIN}/.well-known/openid-configuration"
    ))
    .await;

    assert_eq!(status, 200);
    assert_eq!(document["issuer"], format!("{base}/{TENANT_ID}/"));
    assert_eq!(
        document["token_endpoint"],
        format!("{base}/{TENANT_ID}/oauth2/token")
    );
    assert_eq!(
        document["authorization_endpoint"],
        format!("{base}/{TENANT_ID}/oauth2/authorize")
    );
    assert_eq!(document["microsoft_multi_refresh_token"], true);
    assert_eq!(document["scopes_supported"], serde_json::json!(["openid"]));
    // v1 has its own claims: the v1 id token's names, not v2.0's.
    let claims = document["claims_supported"].as_array().unwrap();
    for name in ["amr", "given_name", "family_name", "nickname"] {
        assert!(claims.iter().any(|c| c == name), "v1 lists {name}");
    }
    for name in ["preferred_username", "tid", "ver"] {
        assert!(!claims.iter().any(|c| c == name), "v1 does not list {name}");
    }
    assert!(
        document["jwks_uri"]
            .as_str()
            .unwrap()
            .ends_with("/discovery/keys")
    );
}

#[tokio::test]
async fn an_unknown_tenant_gets_aadsts90002_from_discovery_and_keys() {
    let mock = start().await;
    let base = mock.uri();

    for path in [
        "/contoso.example/v2.0/.well-known/openid-configuration",
        "/nobody/.well-known/openid-configuration",
        "/00000000-0000-0000-0000-000000000000/discovery/v2.0/keys",
    ] {
        let response = client().get(format!("{base}{path}")).send().await.unwrap();

        let body = assert_aadsts(response, 400, "invalid_tenant", 90002).await;
        assert!(
            body["error_description"]
                .as_str()
                .unwrap()
                .contains("Tenant '"),
            "{path}"
        );
    }
}

#[tokio::test]
async fn the_jwks_key_has_kid_equal_to_x5t_and_a_2048_bit_modulus() {
    let mock = start().await;

    let (status, jwks) = get_json(&format!("{}/common/discovery/v2.0/keys", mock.uri())).await;

    assert_eq!(status, 200);
    let key = &jwks["keys"][0];
    assert_eq!(key["kty"], "RSA");
    assert_eq!(key["use"], "sig");
    assert_eq!(key["kid"], key["x5t"]);
    let n = URL_SAFE_NO_PAD.decode(key["n"].as_str().unwrap()).unwrap();
    let e = URL_SAFE_NO_PAD.decode(key["e"].as_str().unwrap()).unwrap();
    assert_eq!(n.len(), 256, "2048 bits");
    assert_eq!(e, [1, 0, 1], "AQAB");
    let cert = STANDARD
        .decode(key["x5c"][0].as_str().unwrap())
        .expect("x5c is standard base64");
    let thumbprint = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA1_FOR_LEGACY_USE_ONLY, &cert);
    assert_eq!(key["x5t"], URL_SAFE_NO_PAD.encode(thumbprint.as_ref()));
    assert_eq!(key["issuer"], format!("{}/common/v2.0", mock.uri()));
}

#[tokio::test]
async fn the_v1_jwks_has_the_same_key_without_an_issuer() {
    let mock = start().await;

    let (_, v1) = get_json(&format!("{}/common/discovery/keys", mock.uri())).await;
    let (_, v2) = get_json(&format!("{}/common/discovery/v2.0/keys", mock.uri())).await;

    assert_eq!(v1["keys"][0]["kid"], v2["keys"][0]["kid"]);
    assert_eq!(v1["keys"][0]["n"], v2["keys"][0]["n"]);
    assert!(v1["keys"][0].get("issuer").is_none());
}

#[tokio::test]
async fn an_id_token_from_the_token_endpoint_verifies_against_the_jwks() {
    let mock = start().await;
    let tokens = tokens_with_scope(&mock, SCOPE).await;
    let (_, jwks) = get_json(&format!("{}/common/discovery/v2.0/keys", mock.uri())).await;

    let id_token = tokens["id_token"].as_str().unwrap();
    let (header, _) = decode_jwt(id_token);
    let key = jwks["keys"]
        .as_array()
        .unwrap()
        .iter()
        .find(|key| key["kid"] == header["kid"])
        .expect("the token's kid is in the JWKS");
    let public = RsaPublicKeyComponents {
        n: URL_SAFE_NO_PAD.decode(key["n"].as_str().unwrap()).unwrap(),
        e: URL_SAFE_NO_PAD.decode(key["e"].as_str().unwrap()).unwrap(),
    };
    let (signed, signature) = id_token.rsplit_once('.').unwrap();
    let verified = public.verify(
        &RSA_PKCS1_2048_8192_SHA256,
        signed.as_bytes(),
        &URL_SAFE_NO_PAD.decode(signature).unwrap(),
    );
    let mut tampered = signed.to_string();
    tampered.push('A');
    let forged = public.verify(
        &RSA_PKCS1_2048_8192_SHA256,
        tampered.as_bytes(),
        &URL_SAFE_NO_PAD.decode(signature).unwrap(),
    );

    assert_eq!(header["alg"], "RS256");
    assert!(verified.is_ok(), "the id token's signature verifies");
    assert!(forged.is_err(), "a changed token does not");
}

#[tokio::test]
async fn urls_follow_the_host_header() {
    let mock = start().await;

    let document: Value = client()
        .get(format!(
            "{}/common/v2.0/.well-known/openid-configuration",
            mock.uri()
        ))
        .header("host", "login.example.test:8443")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();

    assert_eq!(
        document["issuer"],
        "http://login.example.test:8443/common/v2.0"
    );
}

#[tokio::test]
async fn urls_follow_the_tls_fronts_forwarded_headers() {
    let mock = start().await;

    let document: Value = client()
        .get(format!(
            "{}/{TENANT_ID}/v2.0/.well-known/openid-configuration",
            mock.uri()
        ))
        .header("x-forwarded-proto", "https")
        .header("x-forwarded-host", "localhost:8443")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();

    assert_eq!(
        document["issuer"],
        format!("https://localhost:8443/{TENANT_ID}/v2.0")
    );
    assert_eq!(
        document["token_endpoint"],
        format!("https://localhost:8443/{TENANT_ID}/oauth2/v2.0/token")
    );
}

#[tokio::test]
async fn a_hostile_host_header_is_not_written_into_urls() {
    let mock = start().await;

    let document: Value = client()
        .get(format!(
            "{}/common/v2.0/.well-known/openid-configuration",
            mock.uri()
        ))
        .header("x-forwarded-host", "evil.test\"/><script>")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();

    let issuer = document["issuer"].as_str().unwrap();
    assert!(!issuer.contains("evil"), "{issuer}");
    assert!(!issuer.contains('<'), "{issuer}");
}

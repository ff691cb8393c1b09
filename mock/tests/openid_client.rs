//! An independent client: openidconnect 4 discovers the mock, builds the authorize URL with
//! PKCE and a nonce, redeems the code and verifies the id token (signature via the JWKS,
//! nonce, audience, issuer), with no knowledge of the mock beyond its issuer URL.

mod support;

use std::fmt;

use graph_mock::Config;
use graph_mock::fixtures::TENANT_ID;
use openidconnect::core::{CoreAuthenticationFlow, CoreClient, CoreProviderMetadata};
use openidconnect::{
    AuthorizationCode, ClientId, ClientSecret, CsrfToken, HttpRequest, HttpResponse, IssuerUrl,
    Nonce, OAuth2TokenResponse, PkceCodeChallenge, RedirectUrl, Scope, TokenResponse,
};
use reqwest::StatusCode;
use support::*;

/// What went wrong between openidconnect and the mock.
#[derive(Debug)]
struct HttpError(String);

impl fmt::Display for HttpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for HttpError {}

/// openidconnect's async HTTP client, as a function over reqwest 0.13 (openidconnect's own
/// reqwest feature is for an older reqwest). Redirects are not followed.
async fn send(request: HttpRequest) -> Result<HttpResponse, HttpError> {
    let request = reqwest::Request::try_from(request).map_err(|e| HttpError(e.to_string()))?;
    let response = client()
        .execute(request)
        .await
        .map_err(|e| HttpError(e.to_string()))?;
    let mut builder = openidconnect::http::Response::builder().status(response.status());
    for (name, value) in response.headers() {
        builder = builder.header(name, value);
    }
    let body = response
        .bytes()
        .await
        .map_err(|e| HttpError(e.to_string()))?;
    builder
        .body(body.to_vec())
        .map_err(|e| HttpError(e.to_string()))
}

#[tokio::test]
async fn openidconnect_signs_in_with_pkce_and_verifies_the_id_token() {
    // The system clock: openidconnect checks `exp` against real time.
    let mock = start_with(Config::default().auto_approve()).await;
    let issuer = IssuerUrl::new(format!("{}/{TENANT_ID}/v2.0", mock.uri())).unwrap();

    let metadata = CoreProviderMetadata::discover_async(issuer.clone(), &send)
        .await
        .expect("discovery succeeds and the issuer matches");
    let oidc = CoreClient::from_provider_metadata(
        metadata,
        ClientId::new(WEB_APP.client_id.to_owned()),
        Some(ClientSecret::new(WEB_APP.client_secret.to_owned())),
    )
    .set_redirect_uri(RedirectUrl::new(REDIRECT_URI.to_owned()).unwrap());
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let (authorize_url, csrf, nonce) = oidc
        .authorize_url(
            CoreAuthenticationFlow::AuthorizationCode,
            CsrfToken::new_random,
            Nonce::new_random,
        )
        .add_scope(Scope::new("offline_access".into()))
        .add_scope(Scope::new("User.Read".into()))
        .add_scope(Scope::new("Mail.Send".into()))
        .set_pkce_challenge(challenge)
        .url();
    let redirect = client().get(authorize_url).send().await.unwrap();
    assert_eq!(redirect.status(), StatusCode::FOUND);
    let params = redirect_params(&redirect);
    assert_eq!(param(&params, "state"), Some(csrf.secret().as_str()));
    let code = param(&params, "code").unwrap().to_owned();
    let tokens = oidc
        .exchange_code(AuthorizationCode::new(code))
        .expect("discovery named a token endpoint")
        .set_pkce_verifier(verifier)
        .request_async(&send)
        .await
        .expect("the code is redeemed");

    let id_token = tokens.id_token().expect("an id token, as openid was asked");
    let claims = id_token
        .claims(&oidc.id_token_verifier(), &nonce)
        .expect("the id token verifies: signature, nonce, audience, issuer");
    assert_eq!(claims.issuer(), &issuer);
    assert_eq!(claims.audiences()[0].as_str(), WEB_APP.client_id);
    assert_eq!(
        claims.preferred_username().map(|u| u.as_str()),
        Some(MEGAN.user_principal_name)
    );
    assert!(tokens.refresh_token().is_some());
    let me = graph_get(&mock, "/v1.0/me", tokens.access_token().secret()).await;
    assert_eq!(me.status(), StatusCode::OK);
}

#[tokio::test]
async fn openidconnect_discovers_common_too_because_its_issuer_is_concrete() {
    let mock = start_with(Config::default().auto_approve()).await;
    let issuer = IssuerUrl::new(format!("{}/common/v2.0", mock.uri())).unwrap();

    let metadata = CoreProviderMetadata::discover_async(issuer.clone(), &send).await;

    let metadata = metadata.expect("discovery of /common succeeds");
    assert_eq!(metadata.issuer(), &issuer);
    assert_eq!(metadata.jwks().keys().len(), 1);
}

#[tokio::test]
async fn openidconnect_rejects_an_id_token_for_another_nonce() {
    let mock = start_with(Config::default().auto_approve()).await;
    let issuer = IssuerUrl::new(format!("{}/{TENANT_ID}/v2.0", mock.uri())).unwrap();
    let metadata = CoreProviderMetadata::discover_async(issuer, &send)
        .await
        .unwrap();
    let oidc = CoreClient::from_provider_metadata(
        metadata,
        ClientId::new(WEB_APP.client_id.to_owned()),
        Some(ClientSecret::new(WEB_APP.client_secret.to_owned())),
    )
    .set_redirect_uri(RedirectUrl::new(REDIRECT_URI.to_owned()).unwrap());
    let (authorize_url, _, _) = oidc
        .authorize_url(
            CoreAuthenticationFlow::AuthorizationCode,
            CsrfToken::new_random,
            Nonce::new_random,
        )
        .url();
    let redirect = client().get(authorize_url).send().await.unwrap();
    let code = param(&redirect_params(&redirect), "code")
        .unwrap()
        .to_owned();
    let tokens = oidc
        .exchange_code(AuthorizationCode::new(code))
        .unwrap()
        .request_async(&send)
        .await
        .unwrap();

    let checked = tokens
        .id_token()
        .unwrap()
        .claims(&oidc.id_token_verifier(), &Nonce::new("another".into()));

    assert!(
        checked.is_err(),
        "the nonce is checked against the one sent"
    );
}

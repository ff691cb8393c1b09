//! What comes before a lesson's mistake, done quietly: an app registered as step 1 does,
//! a sign-in as steps 2 and 3 do (the mock approves by itself and nobody follows the
//! redirect), and the step 4 form that redeems it. The lesson then shows only its mistake.

use serde_json::Value;
use url::Url;

use super::Lab;
use crate::error::Error;
use crate::fixtures::{self, reply_url};
use crate::http::Outgoing;
use crate::protocol::authorize::{AuthorizeRequest, Callback, code_challenge, judge_callback};
use crate::protocol::graph::Application;
use crate::protocol::token::{CodeRedemption, TokenResponse, client_credentials};
use crate::protocol::{Flow, read_reply};
use crate::registration::{ClientId, RedirectUri};
use crate::secrets::{AccessToken, AuthCode, ClientSecret, CodeVerifier};
use crate::steps::redirect::SCOPES;
use graph_mock::fixtures::{DemoApp, PORTAL_APP, TENANT_ID, WEB_APP};

/// A sign-in that came back with a code: what the app must keep for step 4.
pub struct SignedIn {
    pub code: AuthCode,
    pub verifier: CodeVerifier,
    pub redirect_uri: RedirectUri,
    pub scope: String,
}

impl Lab<'_> {
    /// The demo tenant's confidential web app, registered with the tutorial's reply URL.
    pub fn web_app(&self) -> DemoApp {
        WEB_APP
    }

    /// The web app's client ID.
    pub fn web_client_id(&self) -> ClientId {
        fixtures::client_id(WEB_APP)
    }

    /// Registers an app through Graph as step 1 does (the portal app's token, then
    /// `POST /applications`), quietly; `body` is the new application. Returns its client ID.
    pub async fn register(&mut self, body: Value) -> Result<ClientId, Error> {
        let portal_secret = ClientSecret::new(PORTAL_APP.client_secret);
        let token_url = self.url(&format!("{TENANT_ID}/oauth2/v2.0/token"));
        let exchange = self
            .quietly(Outgoing::post(token_url).form(client_credentials(
                &fixtures::client_id(PORTAL_APP),
                &portal_secret,
            )))
            .await?;
        let token: TokenResponse = read_reply(&exchange, "a token response", "tutorial break")?;
        let request = Outgoing::post(self.graph("applications"))
            .bearer(&AccessToken::new(token.access_token))
            .json(body);
        let exchange = self.quietly(request).await?;
        let application: Application =
            read_reply(&exchange, "a new application", "tutorial break")?;
        Ok(application.app_id)
    }

    /// The authorize request of the tutorial's step 2 for `client_id`, with a fresh state,
    /// nonce and PKCE verifier.
    pub fn authorize_request(
        &mut self,
        client_id: &ClientId,
        redirect_uri: &RedirectUri,
        scope: &str,
    ) -> (AuthorizeRequest, CodeVerifier) {
        let verifier = CodeVerifier::new(self.random.text(43));
        let request = AuthorizeRequest {
            flow: Flow::V2,
            client_id: client_id.clone(),
            redirect_uri: redirect_uri.clone(),
            scope: Some(scope.to_owned()),
            state: Some(self.random.text(22)),
            nonce: Some(self.random.text(22)),
            code_challenge: Some(code_challenge(&verifier)),
        };
        (request, verifier)
    }

    /// Steps 2 and 3, quietly: the browser visits authorize, the mock approves, and the code
    /// is read from the `302`'s `Location` (no listener needed when nobody follows it).
    pub async fn sign_in_as(
        &mut self,
        client_id: &ClientId,
        redirect_uri: &RedirectUri,
        scope: &str,
    ) -> Result<SignedIn, Error> {
        let (request, verifier) = self.authorize_request(client_id, redirect_uri, scope);
        let url = request.url(&self.authorize_url());
        let exchange = self.quietly(Outgoing::get(url).as_browser()).await?;
        let location = exchange.response.header("location").unwrap_or("");
        let query = Url::parse(location)
            .ok()
            .and_then(|url| url.query().map(str::to_owned))
            .unwrap_or_default();
        match judge_callback(&query, request.state.as_deref()) {
            Callback::Code { code, .. } => Ok(SignedIn {
                code,
                verifier,
                redirect_uri: redirect_uri.clone(),
                scope: scope.to_owned(),
            }),
            _ => Err(self.astray("a 302 with a code", &exchange)),
        }
    }

    /// A quiet sign-in to the demo web app with the tutorial's own scopes.
    pub async fn sign_in(&mut self) -> Result<SignedIn, Error> {
        let client_id = self.web_client_id();
        self.sign_in_as(&client_id, &reply_url(), SCOPES).await
    }

    /// The step 4 form that redeems `signed_in` for the demo web app, all of it right.
    pub fn redemption(&self, signed_in: &SignedIn) -> Vec<(String, String)> {
        let secret = ClientSecret::new(self.web_app().client_secret);
        CodeRedemption {
            flow: Flow::V2,
            client_id: &self.web_client_id(),
            client_secret: Some(&secret),
            code: &signed_in.code,
            redirect_uri: &signed_in.redirect_uri,
            verifier: Some(&signed_in.verifier),
            scope: Some(&signed_in.scope),
        }
        .form()
    }

    /// Steps 2 to 4, quietly: tokens for the demo web app with `scope`.
    pub async fn tokens(&mut self, scope: &str) -> Result<TokenResponse, Error> {
        let client_id = self.web_client_id();
        let signed_in = self.sign_in_as(&client_id, &reply_url(), scope).await?;
        let form = self.redemption(&signed_in);
        let exchange = self
            .quietly(Outgoing::post(self.token_url()).form(form))
            .await?;
        read_reply(&exchange, "a token response", "tutorial break")
    }
}

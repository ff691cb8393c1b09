//! The bench a check runs on: a fresh mock started in this process, what the learner's request
//! needs prepared quietly (a sign-in for a code, a redemption for tokens), and the request
//! sent as the learner wrote it, its `{{…}}` filled in.
//!
//! The mock is never told to fail: it answers the learner's request as it answers any other.
//! It approves sign-ins by itself, since the check plays the browser for the quiet sign-in.

use graph_mock::fixtures::WEB_APP;
use graph_mock::{Config, MockServer};
use url::Url;

use super::request_file::Written;
use crate::error::Error;
use crate::exchange::Exchange;
use crate::fixtures;
use crate::http::{Http, Outgoing};
use crate::protocol::authorize::{AuthorizeRequest, Callback, code_challenge, judge_callback};
use crate::protocol::token::{CodeRedemption, TokenResponse};
use crate::protocol::{Flow, read_reply};
use crate::random::Random;
use crate::secrets::{AccessToken, AuthCode, ClientSecret, CodeVerifier, IdToken};
use crate::steps::redirect::SCOPES;

/// The demo tenant, in every sign-in URL.
pub const TENANT: &str = graph_mock::fixtures::TENANT_DOMAIN;

/// What a request needs before it can be sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Needs {
    Nothing,
    /// A code from a quiet sign-in, and its PKCE verifier.
    Code,
    /// Tokens from a quiet sign-in and redemption.
    Tokens,
}

/// The values a request file may name, as `{{NAME}}`. Secrets stay secret types until filled in.
#[derive(Default)]
pub struct Prepared {
    base: String,
    client_secret: Option<ClientSecret>,
    code: Option<AuthCode>,
    verifier: Option<CodeVerifier>,
    access_token: Option<AccessToken>,
    id_token: Option<IdToken>,
}

impl Prepared {
    /// The names and whole values, for filling in the request just before it is sent.
    fn values(&self) -> Vec<(&'static str, String)> {
        let mut values = vec![("BASE", self.base.clone())];
        let mut add = |name, value: Option<&str>| {
            if let Some(value) = value {
                values.push((name, value.to_owned()));
            }
        };
        add(
            "CLIENT_SECRET",
            self.client_secret.as_ref().map(|s| s.expose()),
        );
        add("CODE", self.code.as_ref().map(|s| s.expose()));
        add("CODE_VERIFIER", self.verifier.as_ref().map(|s| s.expose()));
        add(
            "ACCESS_TOKEN",
            self.access_token.as_ref().map(|s| s.expose()),
        );
        add("ID_TOKEN", self.id_token.as_ref().map(|s| s.expose()));
        values
    }
}

pub struct Bench {
    mock: MockServer,
    http: Http,
    random: Random,
}

impl Bench {
    pub async fn start(deterministic: bool) -> Result<Bench, Error> {
        let config = if deterministic {
            Config::deterministic()
        } else {
            Config::default()
        };
        let mock = MockServer::start(config.auto_approve())
            .await
            .map_err(Error::MockDidNotStart)?;
        Ok(Bench {
            mock,
            // The mock of a check is plain HTTP on loopback.
            http: Http::new(false)?,
            random: if deterministic {
                Random::seeded()
            } else {
                Random::system()?
            },
        })
    }

    fn url(&self, path: &str) -> Result<Url, Error> {
        let text = format!("{}/{path}", self.mock.uri());
        Url::parse(&text).map_err(|e| Error::BadUrl {
            what: "the mock",
            value: text,
            reason: e.to_string(),
            hint: "tutorial exercise NAME --check again",
        })
    }

    /// Signs in and redeems as the tutorial's steps 2 to 4 do, quietly, as far as `needs` asks.
    pub async fn prepare(&mut self, needs: Needs) -> Result<Prepared, Error> {
        let mut prepared = Prepared {
            base: self.mock.uri(),
            client_secret: Some(ClientSecret::new(WEB_APP.client_secret)),
            ..Prepared::default()
        };
        if needs == Needs::Nothing {
            return Ok(prepared);
        }
        let verifier = CodeVerifier::new(self.random.text(43));
        let request = AuthorizeRequest {
            flow: Flow::V2,
            client_id: fixtures::client_id(WEB_APP),
            redirect_uri: fixtures::reply_url(),
            scope: Some(SCOPES.to_owned()),
            state: Some(self.random.text(22)),
            nonce: Some(self.random.text(22)),
            code_challenge: Some(code_challenge(&verifier)),
        };
        let authorize = self.url(&format!("{TENANT}/oauth2/v2.0/authorize"))?;
        let exchange = self
            .http
            .send(
                Outgoing::get(request.url(&authorize))
                    .as_browser()
                    .prepare(),
            )
            .await?;
        let query = exchange
            .response
            .header("location")
            .and_then(|l| Url::parse(l).ok())
            .and_then(|u| u.query().map(str::to_owned))
            .unwrap_or_default();
        let Callback::Code { code, .. } = judge_callback(&query, request.state.as_deref()) else {
            return Err(astray("a 302 with a code", &exchange));
        };
        if needs == Needs::Code {
            prepared.code = Some(code);
            prepared.verifier = Some(verifier);
            return Ok(prepared);
        }
        let secret = ClientSecret::new(WEB_APP.client_secret);
        let form = CodeRedemption {
            flow: Flow::V2,
            client_id: &request.client_id,
            client_secret: Some(&secret),
            code: &code,
            redirect_uri: &request.redirect_uri,
            verifier: Some(&verifier),
            scope: Some(SCOPES),
        }
        .form();
        let token_url = self.url(&format!("{TENANT}/oauth2/v2.0/token"))?;
        let exchange = self
            .http
            .send(Outgoing::post(token_url).form(form).prepare())
            .await?;
        let tokens: TokenResponse = read_reply(
            &exchange,
            "a token response",
            "tutorial exercise NAME --check",
        )?;
        prepared.access_token = Some(AccessToken::new(tokens.access_token));
        prepared.id_token = tokens.id_token.map(IdToken::new);
        Ok(prepared)
    }

    /// The learner's request, filled in, as the HTTP client will send it. It goes only to the
    /// mock: a URL elsewhere is refused before anything is sent.
    pub fn build(&self, written: &Written, prepared: &Prepared) -> Result<Outgoing, String> {
        let values = prepared.values();
        let url = written.fill(&written.url, &values)?;
        let base = self.mock.uri();
        if !url.starts_with(&format!("{base}/")) {
            return Err(format!(
                "the URL {} does not start with {{{{BASE}}}}: the check sends only to its mock",
                written.url
            ));
        }
        let url =
            Url::parse(&url).map_err(|e| format!("the URL {} is not a URL: {e}", written.url))?;
        let mut outgoing = Outgoing::with_method(&written.method, url);
        for (name, value) in &written.headers {
            outgoing = outgoing.header(name, &written.fill(value, &values)?);
        }
        if !written.body.is_empty() {
            outgoing = outgoing.text(written.fill(&written.body, &values)?);
        }
        Ok(outgoing)
    }

    pub async fn send(&self, request: crate::http::Prepared) -> Result<Exchange, Error> {
        self.http.send(request).await
    }
}

fn astray(expected: &str, exchange: &Exchange) -> Error {
    Error::UnexpectedReply {
        url: exchange.request.url.clone(),
        what: "the quiet sign-in before the check",
        reason: format!("expected {expected}, got {}", exchange.response.status),
    }
}

/// What the mock said, in its own words: `error_description` (up to its trace IDs), Graph's
/// `message`, or the AADSTS line of an error page.
pub fn said(exchange: &Exchange) -> Option<String> {
    let text = exchange.response.text();
    if let Ok(json) = serde_json::from_str::<serde_json::Value>(&text) {
        let description = json["error_description"]
            .as_str()
            .or_else(|| json["error"]["message"].as_str())?;
        let description = description.split(" Trace ID").next().unwrap_or(description);
        return Some(description.trim().to_owned());
    }
    let line = text.lines().find(|line| line.contains("AADSTS"))?;
    Some(crate::exchange::html_line_text(line))
}

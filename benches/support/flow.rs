//! One complete sign-in flow, as the load generator runs it: authorize (a `302` with a code),
//! token (the code with PKCE and the secret: two RS256 signatures), then `/v1.0/me`.

use aws_lc_rs::digest;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use bytes::Bytes;
use http_body_util::Full;
use hyper::{Method, Request, StatusCode};

use crate::support::{HttpClient, get, send};

const SCOPE: &str = "openid%20profile%20offline_access%20User.Read%20Mail.Send";

/// One virtual client's flow: the same PKCE pair each time, a new code and tokens each time.
pub struct Flow {
    authorize: String,
    token_url: String,
    me: String,
    form: String,
    state: String,
}

impl Flow {
    pub fn new(base: &str, index: usize) -> Flow {
        let app = graph_mock::fixtures::WEB_APP;
        let verifier = format!("bench-verifier-{index:08}-abcdefghijklmnopqrstuvwxyz0123456789");
        let challenge =
            URL_SAFE_NO_PAD.encode(digest::digest(&digest::SHA256, verifier.as_bytes()));
        let redirect = app.redirect_uris[0];
        let enc = |s: &str| form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
        let state = format!("s{index}");
        Flow {
            authorize: format!(
                "{base}/common/oauth2/v2.0/authorize?response_type=code&client_id={}&redirect_uri={}&scope={SCOPE}&state={state}&nonce=n{index}&code_challenge={challenge}&code_challenge_method=S256",
                app.client_id,
                enc(redirect)
            ),
            token_url: format!("{base}/common/oauth2/v2.0/token"),
            me: format!("{base}/v1.0/me"),
            form: format!(
                "grant_type=authorization_code&client_id={}&client_secret={}&redirect_uri={}&code_verifier={}&scope={SCOPE}&code=",
                app.client_id,
                enc(app.client_secret),
                enc(redirect),
                verifier
            ),
            state,
        }
    }

    pub async fn run(&self, client: &HttpClient) -> Result<(), &'static str> {
        let (status, location, _) = send(client, get(&self.authorize)).await?;
        if status != StatusCode::FOUND {
            return Err("authorize: not 302");
        }
        let location = location.ok_or("authorize: no Location")?;
        let query = location.split_once('?').map(|(_, q)| q).unwrap_or("");
        let mut code = None;
        let mut state_ok = false;
        for (key, value) in form_urlencoded::parse(query.as_bytes()) {
            match &*key {
                "code" => code = Some(value.into_owned()),
                "state" => state_ok = value == self.state,
                _ => {}
            }
        }
        let code = code.ok_or("authorize: no code")?;
        if !state_ok {
            return Err("authorize: state not echoed");
        }
        let body = format!("{}{}", self.form, code);
        let request = Request::builder()
            .method(Method::POST)
            .uri(&self.token_url)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(Full::new(Bytes::from(body)))
            .unwrap();
        let (status, _, body) = send(client, request).await?;
        if status != StatusCode::OK {
            return Err("token: not 200");
        }
        let json: serde_json::Value =
            serde_json::from_slice(&body).map_err(|_| "token: not JSON")?;
        let token = json["access_token"]
            .as_str()
            .ok_or("token: no access_token")?;
        let request = Request::builder()
            .uri(&self.me)
            .header("authorization", format!("Bearer {token}"))
            .body(Full::new(Bytes::new()))
            .unwrap();
        let (status, _, _) = send(client, request).await?;
        if status != StatusCode::OK {
            return Err("me: not 200");
        }
        Ok(())
    }
}

//! One simulated learner of the classroom benchmark, through the five steps with an app of
//! their own; the time each step took (see `benches/classroom.rs`).

use std::time::{Duration, Instant};

use aws_lc_rs::digest;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use bytes::Bytes;
use http_body_util::Full;
use hyper::{Method, Request, StatusCode};
use serde_json::{Value, json};

use super::{HttpClient, send};

const SCOPE: &str = "openid profile offline_access User.Read Mail.Send Mail.Read";

/// One learner through the five steps; the time each step took.
pub async fn run(client: &HttpClient, base: &str, index: usize) -> Result<Vec<Duration>, String> {
    let portal = graph_mock::fixtures::PORTAL_APP;
    let tenant = graph_mock::fixtures::TENANT_ID;
    let reply_url = graph_mock::fixtures::WEB_APP.redirect_uris[0];
    let mut steps = Vec::new();

    // 1. Register an app of one's own.
    let clock = Instant::now();
    let portal_token = json_of(
        send_form(
            client,
            &format!("{base}/{tenant}/oauth2/v2.0/token"),
            &[
                ("grant_type", "client_credentials"),
                ("client_id", portal.client_id),
                ("client_secret", portal.client_secret),
                ("scope", "https://graph.microsoft.com/.default"),
            ],
        )
        .await?,
    )?["access_token"]
        .as_str()
        .ok_or("register: no portal token")?
        .to_owned();
    let app = json_of(
        send_json(
            client,
            &format!("{base}/v1.0/applications"),
            &portal_token,
            &json!({
                "displayName": format!("learner {index}"),
                "web": {"redirectUris": [reply_url]},
            }),
        )
        .await?,
    )?;
    let client_id = app["appId"]
        .as_str()
        .ok_or("register: no appId")?
        .to_owned();
    let object_id = app["id"].as_str().ok_or("register: no id")?;
    let password = json_of(
        send_json(
            client,
            &format!("{base}/v1.0/applications/{object_id}/addPassword"),
            &portal_token,
            &json!({}),
        )
        .await?,
    )?;
    let secret = password["secretText"]
        .as_str()
        .ok_or("register: no secret")?
        .to_owned();
    steps.push(clock.elapsed());

    // 2 and 3. Sign in: the code comes back with this learner's state.
    let clock = Instant::now();
    let verifier = format!("learner-{index:05}-verifier-abcdefghijklmnopqrstuvwxyz0123456789");
    let challenge = URL_SAFE_NO_PAD.encode(digest::digest(&digest::SHA256, verifier.as_bytes()));
    let state = format!("learner-{index}");
    let query = form_urlencoded::Serializer::new(String::new())
        .extend_pairs([
            ("client_id", client_id.as_str()),
            ("response_type", "code"),
            ("redirect_uri", reply_url),
            ("scope", SCOPE),
            ("state", &state),
            ("code_challenge", &challenge),
            ("code_challenge_method", "S256"),
        ])
        .finish();
    let (status, location, _) = send(
        client,
        super::get(&format!(
            "{base}/{}/oauth2/v2.0/authorize?{query}",
            graph_mock::fixtures::TENANT_DOMAIN
        )),
    )
    .await?;
    let location = location
        .filter(|_| status == StatusCode::FOUND)
        .ok_or("sign in: no 302")?;
    let answer: Vec<(String, String)> = url_query(&location);
    let code = find(&answer, "code").ok_or("sign in: no code")?;
    if find(&answer, "state") != Some(state.as_str()) {
        return Err("sign in: state not echoed".into());
    }
    steps.push(clock.elapsed());

    // 4. Redeem the code with this learner's own credentials.
    let clock = Instant::now();
    let tokens = json_of(
        send_form(
            client,
            &format!(
                "{base}/{}/oauth2/v2.0/token",
                graph_mock::fixtures::TENANT_DOMAIN
            ),
            &[
                ("grant_type", "authorization_code"),
                ("client_id", &client_id),
                ("client_secret", &secret),
                ("code", code),
                ("redirect_uri", reply_url),
                ("code_verifier", &verifier),
            ],
        )
        .await?,
    )?;
    let token = tokens["access_token"]
        .as_str()
        .ok_or("token: no access token")?
        .to_owned();
    steps.push(clock.elapsed());

    // 5. Graph: who am I, then mail myself.
    let clock = Instant::now();
    let me = json_of(
        send_bearer(
            client,
            Method::GET,
            &format!("{base}/v1.0/me"),
            &token,
            None,
        )
        .await?,
    )?;
    let address = me["userPrincipalName"]
        .as_str()
        .ok_or("graph: no user")?
        .to_owned();
    let subject = format!("hello from learner {index}");
    let mail = json!({"message": {
        "subject": subject,
        "body": {"contentType": "Text", "content": "sent by the classroom benchmark"},
        "toRecipients": [{"emailAddress": {"address": address}}],
    }});
    let (status, _, _) = send_bearer(
        client,
        Method::POST,
        &format!("{base}/v1.0/me/sendMail"),
        &token,
        Some(&mail),
    )
    .await?;
    if status != StatusCode::ACCEPTED {
        return Err(format!("graph: sendMail answered {status}"));
    }
    steps.push(clock.elapsed());

    // 5. Read it back: exactly this learner's mail, nobody else's.
    let clock = Instant::now();
    let sent = json_of(
        send_bearer(
            client,
            Method::GET,
            &format!("{base}/v1.0/me/mailFolders/sentitems/messages"),
            &token,
            None,
        )
        .await?,
    )?;
    let subjects: Vec<&str> = sent["value"]
        .as_array()
        .map(|list| list.iter().filter_map(|m| m["subject"].as_str()).collect())
        .unwrap_or_default();
    if subjects != [subject.as_str()] {
        return Err(format!("read back: cross-talk, saw {subjects:?}"));
    }
    steps.push(clock.elapsed());
    Ok(steps)
}

type Answer = (StatusCode, Option<String>, Bytes);

fn json_of(answer: Answer) -> Result<Value, String> {
    let (status, _, body) = answer;
    if !status.is_success() {
        return Err(format!("{status}: {}", String::from_utf8_lossy(&body)));
    }
    serde_json::from_slice(&body).map_err(|e| format!("not JSON: {e}"))
}

async fn send_form(
    client: &HttpClient,
    url: &str,
    form: &[(&str, &str)],
) -> Result<Answer, String> {
    let body = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(form)
        .finish();
    let request = Request::builder()
        .method(Method::POST)
        .uri(url)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Full::new(Bytes::from(body)))
        .unwrap();
    Ok(send(client, request).await?)
}

async fn send_json(
    client: &HttpClient,
    url: &str,
    token: &str,
    body: &Value,
) -> Result<Answer, String> {
    send_bearer(client, Method::POST, url, token, Some(body)).await
}

async fn send_bearer(
    client: &HttpClient,
    method: Method,
    url: &str,
    token: &str,
    body: Option<&Value>,
) -> Result<Answer, String> {
    let bytes = body.map(|b| Bytes::from(b.to_string())).unwrap_or_default();
    let request = Request::builder()
        .method(method)
        .uri(url)
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", "application/json")
        .body(Full::new(bytes))
        .unwrap();
    Ok(send(client, request).await?)
}

fn url_query(location: &str) -> Vec<(String, String)> {
    let query = location.split_once('?').map(|(_, q)| q).unwrap_or("");
    form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect()
}

fn find<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

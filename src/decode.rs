//! `tutorial decode`: a token pasted by the learner, read the way step 4 reads the tokens it
//! gets (header, claims with their meanings, signature), then checked the way a resource
//! server checks a token before it trusts it: `exp`, `nbf`, `iss`, `aud`, each with its reason.
//!
//! Offline by default: the signature is checked against the built-in mock's keys, fetched from
//! a mock started in this process. `--jwks URL` fetches another key set over HTTP instead
//! (Microsoft's: `https://login.microsoftonline.com/common/discovery/v2.0/keys`).

use serde_json::Value;
use url::Url;

use crate::error::Error;
use crate::http::{Http, Outgoing};
use crate::lang::Lang;
use crate::protocol::jwt::{self, Decoded, Signature};
use crate::protocol::{GRAPH_RESOURCE, read_reply};
use crate::show::Printer;
use crate::steps::tokens::show_token;

/// Graph's application ID: what `aud` holds in a v2.0-style Graph token.
const GRAPH_APP_ID: &str = "00000003-0000-0000-c000-000000000000";

/// Hosts that issue the identity platform's tokens, and the loopback hosts a mock runs on.
const ISSUER_HOSTS: [&str; 5] = [
    "login.microsoftonline.com",
    "sts.windows.net",
    "127.0.0.1",
    "localhost",
    "[::1]",
];

/// What `tutorial decode` was asked.
pub struct Asked<'a> {
    pub token: &'a str,
    pub jwks: Option<&'a str>,
    pub audience: Option<&'a str>,
    /// Unix seconds to check `exp` and `nbf` against (the clock unless a test fixes it).
    pub now: i64,
}

/// One check a resource server makes, passed or not, and why.
#[derive(Debug, PartialEq, Eq)]
pub struct Check {
    pub claim: &'static str,
    pub passed: bool,
    pub reason: String,
}

pub async fn run(asked: Asked<'_>, lang: Lang, show: &mut Printer<'_>) -> Result<(), Error> {
    let token = clean(asked.token);
    let decoded = jwt::decode(token).map_err(|error| Error::NotAToken {
        reason: match error {
            Error::BadToken { reason } => reason,
            other => other.to_string(),
        },
    })?;

    // The keys first, so that a bad --jwks fails before anything is printed.
    let (jwks, source) = keys(asked.jwks).await?;
    show.heading(lang.ui("d-decoded"))?;
    show.say(&source_line(lang, &source))?;
    show_token(show, &decoded, &jwks)?;

    show.heading(lang.ui("d-checks"))?;
    let checks = checks(&decoded, asked.now, asked.audience, lang);
    for check in &checks {
        if check.passed {
            show.ok(&check.reason)?;
        } else {
            show.refused(&check.reason)?;
        }
    }
    let mut failed: Vec<&str> = checks
        .iter()
        .filter(|check| !check.passed)
        .map(|check| check.claim)
        .collect();
    if !matches!(decoded.check_signature(&jwks), Signature::Valid { .. }) {
        failed.insert(0, "signature");
    }
    if failed.is_empty() {
        return Ok(());
    }
    show.flush()?;
    Err(Error::TokenNotValid {
        failed: failed.join(", "),
    })
}

/// The token alone: no `Bearer `, quotes or surrounding space.
fn clean(pasted: &str) -> &str {
    let text = pasted.trim();
    let text = text
        .strip_prefix("Bearer ")
        .or_else(|| text.strip_prefix("bearer "))
        .unwrap_or(text);
    text.trim().trim_matches('"')
}

/// Where the keys come from: the built-in mock, or a URL the learner gave.
enum Source {
    BuiltIn,
    Url(String),
}

fn source_line(lang: Lang, source: &Source) -> String {
    match source {
        Source::BuiltIn => lang.ui("d-keys-mock").to_owned(),
        Source::Url(url) => lang.ui_with("d-keys-url", &[("url", url)]),
    }
}

/// The key set: fetched from `url`, or from a mock started here for the purpose.
async fn keys(url: Option<&str>) -> Result<(Value, Source), Error> {
    let http = Http::new(url.is_some_and(|url| url.starts_with("https:")))?;
    let hint =
        "tutorial decode TOKEN --jwks https://login.microsoftonline.com/common/discovery/v2.0/keys";
    if let Some(url) = url {
        let parsed = Url::parse(url)
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https"))
            .ok_or_else(|| Error::BadUrl {
                what: "--jwks",
                value: url.to_owned(),
                reason: "it must be an http:// or https:// URL".into(),
                hint,
            })?;
        let exchange = http.send(Outgoing::get(parsed).prepare()).await?;
        let jwks: Value = read_reply(&exchange, "a JSON Web Key Set", hint)?;
        return Ok((jwks, Source::Url(url.to_owned())));
    }
    let mock = graph_mock::MockServer::start(graph_mock::Config::default())
        .await
        .map_err(Error::MockDidNotStart)?;
    let url = format!("{}/common/discovery/v2.0/keys", mock.uri());
    let parsed = Url::parse(&url).map_err(|e| Error::BadUrl {
        what: "the offline mock",
        value: url.clone(),
        reason: e.to_string(),
        hint,
    })?;
    let exchange = http.send(Outgoing::get(parsed).prepare()).await?;
    let jwks: Value = read_reply(&exchange, "a JSON Web Key Set", hint)?;
    Ok((jwks, Source::BuiltIn))
}

/// `exp`, `nbf`, `iss` and `aud`, as a resource server checks them before trusting a token.
pub fn checks(token: &Decoded, now: i64, audience: Option<&str>, lang: Lang) -> Vec<Check> {
    let time = |name: &str| token.claims.get(name).and_then(Value::as_i64);
    let at = |seconds: i64| jwt::utc(seconds).unwrap_or_else(|| seconds.to_string());
    let check = |claim, passed, reason| Check {
        claim,
        passed,
        reason,
    };
    let mut checks = Vec::new();

    checks.push(match time("exp") {
        Some(exp) if exp > now => {
            let minutes = ((exp - now) / 60).to_string();
            check(
                "exp",
                true,
                lang.ui_with("d-exp-ok", &[("minutes", &minutes), ("at", &at(exp))]),
            )
        }
        Some(exp) => {
            let minutes = ((now - exp) / 60).to_string();
            check(
                "exp",
                false,
                lang.ui_with("d-exp-past", &[("minutes", &minutes), ("at", &at(exp))]),
            )
        }
        None => check("exp", false, lang.ui_with("d-exp-none", &[])),
    });

    checks.push(match time("nbf") {
        Some(nbf) if nbf <= now => {
            check("nbf", true, lang.ui_with("d-nbf-ok", &[("at", &at(nbf))]))
        }
        Some(nbf) => check(
            "nbf",
            false,
            lang.ui_with("d-nbf-future", &[("at", &at(nbf))]),
        ),
        None => check("nbf", true, lang.ui_with("d-nbf-none", &[])),
    });

    let iss = token.claim_str("iss").unwrap_or("");
    let tid = token.claim_str("tid").unwrap_or("");
    checks.push(match issuer(iss, tid) {
        _ if iss.is_empty() => check("iss", false, lang.ui_with("d-iss-none", &[])),
        Issuer::Platform => check("iss", true, lang.ui_with("d-iss-ok", &[])),
        Issuer::MockSegment => check("iss", true, lang.ui_with("d-iss-mock", &[])),
        Issuer::Other => check("iss", false, lang.ui_with("d-iss-bad", &[])),
    });

    let aud = token.claim_str("aud").unwrap_or("");
    let for_graph = [GRAPH_RESOURCE, GRAPH_APP_ID]
        .iter()
        .any(|graph| aud.trim_end_matches('/') == *graph);
    checks.push(match audience {
        Some(wanted) if aud == wanted => {
            check("aud", true, lang.ui_with("d-aud-wanted", &[("aud", aud)]))
        }
        Some(wanted) => check(
            "aud",
            false,
            lang.ui_with("d-aud-unwanted", &[("aud", aud), ("wanted", wanted)]),
        ),
        None if aud.is_empty() => check("aud", false, lang.ui_with("d-aud-none", &[])),
        None if for_graph => check("aud", true, lang.ui_with("d-aud-graph", &[("aud", aud)])),
        None if token.claims.contains_key("scp") || token.claims.contains_key("roles") => {
            check("aud", true, lang.ui_with("d-aud-api", &[("aud", aud)]))
        }
        None => check("aud", true, lang.ui_with("d-aud-app", &[("aud", aud)])),
    });
    checks
}

/// Who `iss` says issued the token.
enum Issuer {
    /// `https://login.microsoftonline.com/{tid}/v2.0` or `https://sts.windows.net/{tid}/`, or
    /// the same paths on a loopback mock: a known host, the token's own tenant in the path.
    Platform,
    /// A loopback mock's `{base}/common/v2.0`: the mock names the tenant segment it was asked
    /// on, so that strict OpenID Connect clients find the issuer they discovered.
    MockSegment,
    Other,
}

fn issuer(iss: &str, tid: &str) -> Issuer {
    let Ok(url) = Url::parse(iss) else {
        return Issuer::Other;
    };
    let host = url.host_str().unwrap_or("");
    let loopback = matches!(host, "127.0.0.1" | "localhost" | "[::1]");
    let known = ISSUER_HOSTS.contains(&host) && (url.scheme() == "https" || loopback);
    let path = url.path();
    let own_tenant =
        !tid.is_empty() && (path == format!("/{tid}/v2.0") || path == format!("/{tid}/"));
    let segment = ["/common/v2.0", "/organizations/v2.0", "/consumers/v2.0"].contains(&path);
    match (known, own_tenant, loopback && segment) {
        (true, true, _) => Issuer::Platform,
        (true, false, true) => Issuer::MockSegment,
        _ => Issuer::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;

    const TID: &str = "9188040d-6c67-4c5b-b112-36a304b66dad";

    fn token(claims: &str) -> Decoded {
        let text = format!(
            "{}.{}.",
            URL_SAFE_NO_PAD.encode(r#"{"alg":"none"}"#),
            URL_SAFE_NO_PAD.encode(claims)
        );
        jwt::decode(&text).expect("the test token decodes")
    }

    fn failed(checks: &[Check]) -> Vec<&str> {
        checks
            .iter()
            .filter(|c| !c.passed)
            .map(|c| c.claim)
            .collect()
    }

    #[test]
    fn a_graph_token_in_its_lifetime_from_its_tenant_passes_every_check() {
        let claims = format!(
            r#"{{"aud":"https://graph.microsoft.com","iss":"https://sts.windows.net/{TID}/","tid":"{TID}","nbf":100,"exp":4000,"scp":"User.Read"}}"#
        );
        let checks = checks(&token(&claims), 200, None, Lang::En);
        assert_eq!(failed(&checks), Vec::<&str>::new());
        assert!(
            checks[0].reason.contains("63 more minutes"),
            "{:?}",
            checks[0]
        );
    }

    #[test]
    fn an_expired_token_not_yet_valid_from_elsewhere_fails_with_reasons() {
        let claims = format!(
            r#"{{"aud":"api://other","iss":"https://evil.example/{TID}/v2.0","tid":"{TID}","nbf":9000,"exp":100}}"#
        );
        let checks = checks(
            &token(&claims),
            3700,
            Some("https://graph.microsoft.com"),
            Lang::En,
        );
        assert_eq!(failed(&checks), vec!["exp", "nbf", "iss", "aud"]);
        assert!(checks[0].reason.contains("expired 60 minutes ago"));
        assert!(checks[3].reason.contains("not https://graph.microsoft.com"));
    }

    #[test]
    fn an_issuer_for_another_tenant_is_refused() {
        let claims = r#"{"iss":"https://login.microsoftonline.com/other/v2.0","tid":"mine","aud":"x","exp":9}"#;
        assert!(failed(&checks(&token(claims), 1, None, Lang::En)).contains(&"iss"));
    }

    #[test]
    fn an_id_token_is_said_to_be_for_the_app_not_for_graph() {
        let claims = format!(
            r#"{{"aud":"d5349743-0000-0000-0000-000000000000","iss":"http://127.0.0.1:8400/{TID}/v2.0","tid":"{TID}","nonce":"n","exp":9}}"#
        );
        let checks = checks(&token(&claims), 1, None, Lang::En);
        assert!(
            checks[3].reason.contains("Graph refuses it"),
            "{:?}",
            checks[3]
        );
    }

    #[test]
    fn the_bearer_prefix_and_quotes_are_dropped() {
        assert_eq!(clean("  Bearer \"a.b.c\"\n"), "a.b.c");
    }
}

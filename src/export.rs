//! `tutorial export`: the exchanges of the last run, to take away as a `.http` file (JetBrains'
//! HTTP client and httpyac, or VS Code's REST Client: see `http_file`) or a curl script.
//!
//! Every run (`tutorial`, `tutorial --step N`, `tutorial break NAME`) saves what it sent and
//! received as `last-run.json` next to the progress, mode 0600 (it holds secrets).
//!
//! Secrets become variables. A value the server *gave* (a code in a `Location`, a token, a
//! `secretText`, a new app's IDs) is captured from the response that carried it, so the
//! script replays against a fresh mock whose values differ. A value the app *brought* (a
//! client secret, the PKCE verifier) is inlined with `--show-secrets`, and otherwise read from
//! an environment variable the script names. The browser's visit to the reply URL is not
//! replayed: nothing listens there once the run is over.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::exchange::{Body, Exchange};
use crate::listener::REPLY_PATH;
use crate::state_file;

mod http_file;

use http_file::Dialect;

const FILE_NAME: &str = "last-run.json";

/// One exchange as saved: the request as sent, and the status that answered it.
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct Saved {
    pub method: String,
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: String,
    pub status: u16,
    pub location: Option<String>,
    pub response_body: String,
}

impl From<&Exchange> for Saved {
    fn from(exchange: &Exchange) -> Saved {
        let request = &exchange.request;
        let body = match &request.body {
            Body::Empty => String::new(),
            Body::Form(pairs) => serde_urlencoded::to_string(pairs).unwrap_or_default(),
            Body::Json(value) => value.to_string(),
            Body::Text(text) => text.clone(),
        };
        Saved {
            method: request.method.clone(),
            url: request.url.clone(),
            headers: request
                .headers
                .iter()
                .filter(|(name, _)| name != "host" && name != "content-length")
                .cloned()
                .collect(),
            body,
            status: exchange.response.status,
            location: exchange.response.header("location").map(str::to_owned),
            response_body: exchange.response.text(),
        }
    }
}

/// Saves the run's exchanges, readable by its owner only.
pub fn save(dir: &Path, exchanges: &[Exchange]) -> Result<(), Error> {
    let path = dir.join(FILE_NAME);
    let failed = |e: std::io::Error| Error::Progress {
        path: path.clone(),
        reason: e.to_string(),
    };
    let saved: Vec<Saved> = exchanges.iter().map(Saved::from).collect();
    let text = serde_json::to_string_pretty(&saved).map_err(|e| Error::Progress {
        path: path.clone(),
        reason: e.to_string(),
    })?;
    state_file::write(&path, text.as_bytes()).map_err(failed)
}

/// The exchanges of the last run.
pub fn load(dir: &Path) -> Result<Vec<Saved>, Error> {
    let path = dir.join(FILE_NAME);
    let text =
        fs::read_to_string(&path).map_err(|_| Error::NothingToExport { path: path.clone() })?;
    serde_json::from_str(&text).map_err(|_| Error::NothingToExport { path })
}

/// Which format to write.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A `.http` file for JetBrains' HTTP client and httpyac (response handler scripts).
    Http,
    /// A `.http` file for VS Code's REST Client (request variables).
    RestClient,
    /// A bash script of curl commands.
    Curl,
}

/// A secret and the variable that stands for it.
struct Variable {
    name: String,
    value: String,
    /// Where the script reads it from: the response of this exchange (index), or the caller.
    captured_from: Option<(usize, Capture)>,
}

#[derive(Clone, Copy)]
enum Capture {
    /// `code` in the `Location` header.
    Code,
    /// The first string value of this JSON key in the body.
    Json(&'static str),
}

/// Response fields whose values later requests may carry.
const CAPTURED_KEYS: [&str; 6] = [
    "access_token",
    "refresh_token",
    "id_token",
    "secretText",
    "appId",
    "id",
];
/// Request fields the app brings itself, and which are secret.
const BROUGHT: [&str; 2] = ["client_secret", "code_verifier"];

fn find_variables(run: &[Saved]) -> Vec<Variable> {
    let mut variables: Vec<Variable> = Vec::new();
    let known = |variables: &[Variable], value: &str| variables.iter().any(|v| v.value == value);
    for (index, exchange) in run.iter().enumerate() {
        // What the app brought: form fields sent in this request.
        for (name, value) in url::form_urlencoded::parse(exchange.body.as_bytes()) {
            if BROUGHT.contains(&name.as_ref()) && !known(&variables, &value) {
                let count = variables
                    .iter()
                    .filter(|v| v.name.starts_with(&name.to_uppercase()))
                    .count();
                variables.push(Variable {
                    name: format!("{}_{}", name.to_uppercase(), count + 1),
                    value: value.into_owned(),
                    captured_from: None,
                });
            }
        }
        // What the server gave, when a later request uses it.
        let later = &run[index + 1..];
        let used = |value: &str| {
            let encoded = encoded(value);
            value.len() >= 8
                && later.iter().any(|e| {
                    [value, encoded.as_str()].iter().any(|v| {
                        e.url.contains(v)
                            || e.body.contains(v)
                            || e.headers.iter().any(|(_, h)| h.contains(v))
                    })
                })
        };
        let mut gave: Vec<(String, Capture, String)> = Vec::new();
        if let Some(code) = exchange
            .location
            .as_deref()
            .and_then(|l| url::Url::parse(l).ok())
            .and_then(|u| {
                u.query_pairs()
                    .find(|(n, _)| n == "code")
                    .map(|(_, v)| v.into_owned())
            })
        {
            gave.push(("CODE".into(), Capture::Code, code));
        }
        if let Ok(body) = serde_json::from_str::<serde_json::Value>(&exchange.response_body) {
            for key in CAPTURED_KEYS {
                if let Some(value) = body[key].as_str() {
                    gave.push((key.to_uppercase(), Capture::Json(key), value.to_owned()));
                }
            }
        }
        for (name, capture, value) in gave {
            if used(&value) && !known(&variables, &value) {
                variables.push(Variable {
                    name: format!("{name}_{}", index + 1),
                    value,
                    captured_from: Some((index, capture)),
                });
            }
        }
    }
    variables
}

/// `text` with every secret value replaced by its `reference` (`${NAME}`, `{{NAME}}`…); with
/// `show_secrets`, the values the app brought stay as they are.
fn substitute(
    text: &str,
    variables: &[Variable],
    show_secrets: bool,
    reference: &dyn Fn(&Variable) -> String,
) -> String {
    variables.iter().fold(text.to_owned(), |text, variable| {
        if show_secrets && variable.captured_from.is_none() {
            return text;
        }
        let reference = reference(variable);
        text.replace(&variable.value, &reference)
            .replace(&encoded(&variable.value), &reference)
    })
}

/// `value` as a form body or query string carries it.
fn encoded(value: &str) -> String {
    url::form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

/// `text` safe inside a bash double-quoted string.
fn quoted(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('`', "\\`")
        .replace('$', "\\$")
}

fn origin(url: &str) -> String {
    url::Url::parse(url)
        .map(|u| u.origin().ascii_serialization())
        .unwrap_or_default()
}

fn is_reply_url(url: &str) -> bool {
    url::Url::parse(url).is_ok_and(|u| u.path() == REPLY_PATH)
}

/// Renders the run in `format`.
pub fn render(run: &[Saved], format: Format, show_secrets: bool) -> String {
    let variables = find_variables(run);
    match format {
        Format::Http => http_file::render(run, &variables, show_secrets, Dialect::Handlers),
        Format::RestClient => http_file::render(run, &variables, show_secrets, Dialect::RestClient),
        Format::Curl => curl(run, &variables, show_secrets),
    }
}

/// The run as a bash script of curl commands, each printing `status <got> <expected>`.
fn curl(run: &[Saved], variables: &[Variable], show_secrets: bool) -> String {
    let base = run.first().map(|e| origin(&e.url)).unwrap_or_default();
    let with_base = |url: &str, base_var: &str| {
        if !base.is_empty() && url.starts_with(&base) {
            format!("{base_var}{}", &url[base.len()..])
        } else {
            url.to_owned()
        }
    };
    let reference = |variable: &Variable| format!("${{{}}}", variable.name);
    let mut out = String::new();
    out.push_str("#!/usr/bin/env bash\n");
    out.push_str("# The last run of graph-oauth-tutorial as curl commands.\n");
    out.push_str("# Usage: bash this-file [BASE]  (BASE: a mock started with `tutorial mock --auto-approve`)\n");
    out.push_str("# Each request prints: status <got> <expected>.\n");
    out.push_str("set -u\n");
    out.push_str(&format!("BASE=\"${{1:-{base}}}\"\n"));
    for variable in variables
        .iter()
        .filter(|v| v.captured_from.is_none() && !show_secrets)
    {
        out.push_str(&format!(
            ": \"${{{0}:?set {0}: the value this run sent}}\"\n",
            variable.name
        ));
    }
    for variable in variables
        .iter()
        .filter(|v| v.captured_from.is_none() && show_secrets)
    {
        out.push_str(&format!(
            "{}='{}'\n",
            variable.name,
            variable.value.replace('\'', "'\\''")
        ));
    }
    for (index, exchange) in run.iter().enumerate() {
        out.push_str(&format!("\n# {}\n", index + 1));
        if is_reply_url(&exchange.url) {
            out.push_str("# the browser's visit to the reply URL: nothing listens there now, so it is not replayed\n");
            continue;
        }
        let url = substitute(
            &with_base(&quoted(&exchange.url), "${BASE}"),
            variables,
            show_secrets,
            &reference,
        );
        let mut command = format!(
            "answer=$(curl -sS -o - -w '\\n%{{http_code}} %{{redirect_url}}' -X {} \"{url}\"",
            exchange.method
        );
        for (name, value) in &exchange.headers {
            let value = substitute(&quoted(value), variables, show_secrets, &reference);
            command.push_str(&format!(" \\\n  -H \"{name}: {value}\""));
        }
        if !exchange.body.is_empty() {
            let body = substitute(&quoted(&exchange.body), variables, show_secrets, &reference);
            command.push_str(&format!(" \\\n  --data-raw \"{body}\""));
        }
        command.push_str(")\n");
        out.push_str(&command);
        out.push_str("last=${answer##*$'\\n'}; body=${answer%$'\\n'*}; status=${last%% *}; location=${last#* }\n");
        out.push_str(&format!("echo \"status $status {}\"\n", exchange.status));
        for variable in variables
            .iter()
            .filter(|v| v.captured_from.map(|(i, _)| i) == Some(index))
        {
            let capture = match variable.captured_from {
                Some((_, Capture::Code)) => {
                    "printf '%s' \"$location\" | sed -n 's/.*[?&]code=\\([^&]*\\).*/\\1/p'"
                        .to_owned()
                }
                Some((_, Capture::Json(key))) => format!(
                    "printf '%s' \"$body\" | grep -o '\"{key}\":\"[^\"]*\"' | head -n 1 | cut -d '\"' -f 4"
                ),
                None => continue,
            };
            out.push_str(&format!("{}=$({capture})\n", variable.name));
        }
    }
    out
}

/// `tutorial export`: writes the last run to `out_file`, or to `out`.
pub fn run(
    dir: &Path,
    format: Format,
    out_file: Option<&PathBuf>,
    show_secrets: bool,
    out: &mut dyn Write,
) -> Result<(), Error> {
    let saved = load(dir)?;
    let text = render(&saved, format, show_secrets);
    match out_file {
        // Written like every file of ours: whole, and readable by its owner only, since with
        // --show-secrets it holds the app's secret.
        Some(path) => state_file::write(path, text.as_bytes()).map_err(|e| Error::Progress {
            path: path.clone(),
            reason: e.to_string(),
        }),
        None => Ok(out.write_all(text.as_bytes())?),
    }
}

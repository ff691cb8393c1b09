//! The `.http` file of a run, in the two dialects the editors read.
//!
//! The three tools share the request format (`###` between requests, `# @name`, `# @no-redirect`,
//! `@NAME = value` lines) but not the way one request reads another's answer:
//!
//! - JetBrains' HTTP client and httpyac run a response handler under each request
//!   (`> {% client.global.set("ACCESS_TOKEN_1", response.body.access_token) %}`), and the next
//!   requests say `{{ACCESS_TOKEN_1}}`. The handler also checks the status this run got.
//! - VS Code's REST Client runs no script (it would send the handler as the body); a request
//!   names the answer it reads: `{{token_1.response.body.$.access_token}}`. It can read a
//!   header only whole, so the code in the authorize answer's `Location` is asked for
//!   (`# @prompt`) when the token request is sent.
//!
//! Either way the file runs as it is against a fresh `tutorial mock --auto-approve`, whose
//! authorize endpoint answers the browser's visit with the `302` and its code at once.

use super::{Capture, Saved, Variable, origin, substitute};

/// Which editor's dialect to write.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// JetBrains' HTTP client and httpyac: response handler scripts.
    Handlers,
    /// VS Code's REST Client: request variables.
    RestClient,
}

/// `token_1`, `applications_2`, `authorize_4`: the last segment of the path, and the number.
fn request_name(exchange: &Saved, index: usize) -> String {
    let segment = url::Url::parse(&exchange.url)
        .ok()
        .and_then(|url| {
            url.path_segments()
                .and_then(|mut segments| segments.rfind(|s| !s.is_empty()).map(str::to_owned))
        })
        .unwrap_or_default();
    let word: String = segment
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    let word = if word.is_empty() { "request" } else { &word };
    format!("{word}_{}", index + 1)
}

const HEADER_HANDLERS: &str = "\
# The last run of graph-oauth-tutorial, request by request, for JetBrains' HTTP client and
# httpyac (in VS Code: the httpyac extension, or `tutorial export --format rest-client`).
# Run every request in order against a fresh `tutorial mock --auto-approve`, its URL in
# @BASE. The script under each request checks the status this run got and keeps the values
# the server gave (codes, tokens, the new app's IDs): {{ACCESS_TOKEN_1}} came in answer 1.
";

const HEADER_REST_CLIENT: &str = "\
# The last run of graph-oauth-tutorial, request by request, for VS Code's REST Client.
# Send every request in order against a fresh `tutorial mock --auto-approve`, its URL in
# @BASE. Each request is named (# @name), and a later one reads the value the server gave
# from the answer that carried it: {{token_1.response.body.$.access_token}}.
";

/// What a person does at the authorize request, which a browser sends in the real flow.
const BROWSER_HANDLERS: &str = "\
# The browser's part: a person opens this URL, signs in and consents, and the browser is
# sent on to the reply URL with ?code=…. `tutorial mock --auto-approve` approves at once
# and answers 302, and the script below reads the code from its Location. Anywhere else,
# open the URL in a browser, sign in, and copy code=… from the address it lands on into
# a line `@{code} = …` at the top of this file.
";

const BROWSER_REST_CLIENT: &str = "\
# The browser's part: a person opens this URL, signs in and consents, and the browser is
# sent on to the reply URL with ?code=…. `tutorial mock --auto-approve` approves at once
# and answers 302: copy code=… from its Location (or, anywhere else, from the address the
# browser lands on). The token request below asks for it.
";

/// Renders the run as a `.http` file in `dialect`.
pub fn render(
    run: &[Saved],
    variables: &[Variable],
    show_secrets: bool,
    dialect: Dialect,
) -> String {
    let base = run.first().map(|e| origin(&e.url)).unwrap_or_default();
    let names: Vec<String> = run
        .iter()
        .enumerate()
        .map(|(index, exchange)| request_name(exchange, index))
        .collect();
    // How a request refers to a secret: by its variable, or (REST Client) by the answer.
    let reference = |variable: &Variable| match (dialect, variable.captured_from) {
        (Dialect::RestClient, Some((index, Capture::Json(key)))) => {
            format!("{{{{{}.response.body.$.{key}}}}}", names[index])
        }
        _ => format!("{{{{{}}}}}", variable.name),
    };
    let fill = |text: &str| substitute(text, variables, show_secrets, &reference);

    let mut out = String::from(match dialect {
        Dialect::Handlers => HEADER_HANDLERS,
        Dialect::RestClient => HEADER_REST_CLIENT,
    });
    out.push_str(&format!("\n@BASE = {base}\n"));
    // What the app brought is written in place with --show-secrets; else it is to fill in.
    let brought: Vec<&Variable> = variables
        .iter()
        .filter(|v| v.captured_from.is_none())
        .collect();
    if !brought.is_empty() && !show_secrets {
        out.push_str(
            "# What the app brought: fill in the values this run sent (secrets, so not\n\
             # written here; `tutorial export --show-secrets` writes them in place).\n",
        );
        for variable in brought {
            out.push_str(&format!("@{} =\n", variable.name));
        }
    }

    for (index, exchange) in run.iter().enumerate() {
        out.push_str(&format!(
            "\n###\n# {}: answered {}\n",
            index + 1,
            exchange.status
        ));
        if super::is_reply_url(&exchange.url) {
            out.push_str(
                "# The browser's visit to the reply URL, where the tutorial was listening: not\n\
                 # sent from here (nothing listens there now). Its code is read from the answer\n\
                 # before.\n",
            );
            continue;
        }
        let gives_code = variables
            .iter()
            .find(|v| matches!(v.captured_from, Some((i, Capture::Code)) if i == index));
        if let Some(code) = gives_code {
            let text = match dialect {
                Dialect::Handlers => BROWSER_HANDLERS.replace("{code}", &code.name),
                Dialect::RestClient => BROWSER_REST_CLIENT.to_owned(),
            };
            out.push_str(&text);
        }
        if dialect == Dialect::RestClient {
            // REST Client cannot cut a code out of a header: ask for it when it is needed.
            for variable in variables.iter().filter(|v| {
                matches!(v.captured_from, Some((_, Capture::Code))) && uses(exchange, &v.value)
            }) {
                out.push_str(&format!(
                    "# @prompt {} the code=… of the reply URL the browser was sent to\n",
                    variable.name
                ));
            }
        }
        out.push_str(&format!("# @name {}\n", names[index]));
        if (300..400).contains(&exchange.status) {
            out.push_str("# @no-redirect\n");
        }
        let url = match exchange.url.strip_prefix(&base) {
            Some(rest) if !base.is_empty() => format!("{{{{BASE}}}}{rest}"),
            _ => exchange.url.clone(),
        };
        out.push_str(&format!("{} {}\n", exchange.method, fill(&url)));
        for (name, value) in &exchange.headers {
            out.push_str(&format!("{name}: {}\n", fill(value)));
        }
        if !exchange.body.is_empty() {
            out.push_str(&format!("\n{}\n", fill(&exchange.body)));
        }
        if dialect == Dialect::Handlers {
            out.push_str(&handler(exchange, index, variables));
        }
    }
    out
}

/// Whether `exchange` sends `value` (as it is, or form-encoded).
fn uses(exchange: &Saved, value: &str) -> bool {
    let encoded = super::encoded(value);
    [value, encoded.as_str()].iter().any(|v| {
        exchange.url.contains(v)
            || exchange.body.contains(v)
            || exchange.headers.iter().any(|(_, h)| h.contains(v))
    })
}

/// The response handler: the status check, then each value this answer gave.
fn handler(exchange: &Saved, index: usize, variables: &[Variable]) -> String {
    let status = exchange.status;
    let mut script = format!(
        "\n> {{%\n    client.test(\"answered {status}, as in the tutorial\", function () {{\n        \
         client.assert(response.status === {status}, \"answered \" + response.status);\n    }});\n"
    );
    for variable in variables {
        match variable.captured_from {
            Some((from, Capture::Json(key))) if from == index => {
                script.push_str(&format!(
                    "    client.global.set(\"{}\", response.body.{key});\n",
                    variable.name
                ));
            }
            Some((from, Capture::Code)) if from == index => {
                script.push_str(&format!(
                    "    const code = /[?&]code=([^&]*)/.exec(response.headers.valueOf(\"Location\") || \"\");\n    \
                     if (code) {{\n        client.global.set(\"{}\", decodeURIComponent(code[1]));\n    }}\n",
                    variable.name
                ));
            }
            _ => {}
        }
    }
    script.push_str("%}\n");
    script
}

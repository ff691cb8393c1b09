//! The pages a person sees: sign in (pick a demo user), consent (Accept or Cancel), and the
//! error page for requests that cannot be sent back to the app.
//!
//! Plain HTML forms, no JavaScript: each button is a form post, so the pages work in any
//! browser, in a terminal browser, and under test. Every page says plainly that this is the
//! offline mock and not Microsoft: a sign-in page that imitates Microsoft's too well is a
//! phishing lesson, not an OAuth one.

use html_escape::{encode_double_quoted_attribute as attr, encode_text as text};
use hyper::StatusCode;

use crate::codes::SignIn;
use crate::demo;
use crate::errors::Aadsts;
use crate::reply::{self, Reply};
use crate::request::Incoming;
use crate::state::State;

/// Step one: who is signing in?
pub(crate) fn sign_in_page(
    flow: &str,
    tenant: &str,
    sign_in: &SignIn,
    hint: Option<&str>,
) -> Reply {
    let chosen = hint.and_then(demo::user_named).unwrap_or(0);
    let users: String = demo::USERS
        .iter()
        .enumerate()
        .map(|(index, user)| {
            format!(
                r#"<label class="choice"><input type="radio" name="user" value="{index}"{checked}>
<span class="avatar">{initials}</span><span><strong>{name}</strong><br><small>{upn}</small></span></label>
"#,
                checked = if index == chosen { " checked" } else { "" },
                initials = text(&initials(user.display_name)),
                name = text(user.display_name),
                upn = text(user.user_principal_name),
            )
        })
        .collect();
    let body = format!(
        r#"<h1>Sign in</h1>
<p><strong>{app}</strong> wants you to sign in. Pick a demo user: no password is needed here.</p>
<form method="post" action="/{tenant}/login">
<input type="hidden" name="flow" value="{flow}">
{users}<div class="buttons"><button type="submit" class="primary">Next</button></div>
</form>"#,
        app = text(&sign_in.app_name),
        tenant = attr(tenant),
        flow = attr(flow),
    );
    let reply_url = Some(sign_in.grant.redirect_uri.as_str());
    reply::html_posting_to(StatusCode::OK, page("Sign in", &body), reply_url)
}

/// `POST /{tenant}/login`: the user is picked; ask for consent.
pub(crate) fn choose_user(req: &Incoming, state: &State, tenant: &str) -> Reply {
    let form = req.form();
    let flow = form.get("flow").unwrap_or_default();
    let Some(sign_in) = state.sign_in(flow) else {
        return expired_page();
    };
    let user_index = chosen_user(form.get("user"));
    let user = demo::USERS[user_index];
    let permissions: String = sign_in
        .grant
        .scopes
        .plain_words()
        .iter()
        .map(|(scope, words)| {
            format!(
                "<li><strong>{}</strong> <code>{}</code></li>\n",
                text(words),
                text(scope)
            )
        })
        .collect();
    let body = format!(
        r#"<p class="who">{upn}</p>
<h1>Permissions requested</h1>
<p><strong>{app}</strong> would like to:</p>
<ul class="permissions">
{permissions}</ul>
<p><small>Accept lets the app do these things as you. Cancel sends the app an
<code>access_denied</code> error instead.</small></p>
<form method="post" action="/{tenant}/consent">
<input type="hidden" name="flow" value="{flow}">
<input type="hidden" name="user" value="{user_index}">
<div class="buttons"><button type="submit" name="decision" value="cancel">Cancel</button>
<button type="submit" name="decision" value="accept" class="primary">Accept</button></div>
</form>"#,
        upn = text(user.user_principal_name),
        app = text(&sign_in.app_name),
        tenant = attr(tenant),
        flow = attr(flow),
    );
    let reply_url = Some(sign_in.grant.redirect_uri.as_str());
    reply::html_posting_to(
        StatusCode::OK,
        page("Permissions requested", &body),
        reply_url,
    )
}

/// The device code flow's verification page: "Enter code", again with the error if the code
/// typed was not one.
pub(crate) fn enter_code_page(tenant: &str, error: Option<&Aadsts>) -> Reply {
    let (status, problem) = match error {
        Some(error) => {
            let entry = error.entry();
            (
                StatusCode::BAD_REQUEST,
                format!(
                    "<p class=\"error\">AADSTS{}: {}</p>\n",
                    entry.code,
                    text(&entry.message)
                ),
            )
        }
        None => (StatusCode::OK, String::new()),
    };
    let body = format!(
        r#"<h1>Enter code</h1>
<p>Enter the code displayed on your app or device.</p>
{problem}<form method="post" action="/{tenant}/oauth2/deviceauth">
<p><input name="otc" autocomplete="off" autofocus aria-label="Code" placeholder="Code"
 style="font: inherit; font-size: 1.3em; letter-spacing: .1em; width: 100%"></p>
<div class="buttons"><button type="submit" class="primary">Next</button></div>
</form>"#,
        tenant = attr(tenant),
    );
    let mut answer = reply::html(status, page("Enter code", &body));
    if let Some(error) = error {
        reply::tag_error(&mut answer, format!("AADSTS{}", error.entry().code));
    }
    answer
}

/// Logout: there is no session to end; the page says the user is signed out.
pub(crate) fn signed_out_page(status: StatusCode) -> Reply {
    let body = "<h1>You signed out of your account</h1>\n<p>It's a good idea to close all \
                browser windows.</p>";
    reply::html(status, page("Signed out", body))
}

/// `GET /error?code=NNN`, where every error's `error_uri` points: the code's message, and the
/// tutorial's offline explanation of it.
pub(crate) fn error_code_page(req: &Incoming) -> Reply {
    let asked = req
        .query()
        .get("code")
        .unwrap_or_default()
        .trim()
        .to_owned();
    let known: Vec<String> = Aadsts::catalogue()
        .iter()
        .map(Aadsts::entry)
        .filter(|entry| entry.code.to_string() == asked)
        .map(|entry| {
            format!(
                "<p class=\"error\">AADSTS{}: {}</p>\n",
                entry.code,
                text(&entry.message)
            )
        })
        .collect();
    let (status, body) = if known.is_empty() {
        (
            StatusCode::NOT_FOUND,
            format!(
                "<h1>Error code lookup</h1>\n<p>This server never sends AADSTS{}.</p>",
                text(&asked)
            ),
        )
    } else {
        (
            StatusCode::OK,
            format!(
                "<h1>Error code lookup</h1>\n{}<p>Explain it offline: <code>tutorial explain {}</code></p>",
                known.concat(),
                text(&asked)
            ),
        )
    };
    reply::html(status, page("Error code lookup", &body))
}

/// After Accept or Cancel on a device sign-in: the person goes back to the device.
pub(crate) fn device_done_page(app: &str, accepted: bool, open: bool) -> Reply {
    let body = match (accepted, open) {
        (_, false) => "<h1>This sign-in has ended</h1>\n<p>The code expired or was already used. \
                       Start the sign-in again on your device.</p>"
            .to_owned(),
        (true, true) => format!(
            "<h1>You're signed in</h1>\n<p>You have signed in to <strong>{}</strong> on your \
             device. You may now close this window.</p>",
            text(app)
        ),
        (false, true) => format!(
            "<h1>Sign-in cancelled</h1>\n<p><strong>{}</strong> was not given access. You may \
             now close this window.</p>",
            text(app)
        ),
    };
    let status = if open {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    reply::html(status, page("Device sign-in", &body))
}

pub(crate) fn chosen_user(value: Option<&str>) -> usize {
    value
        .and_then(|v| v.parse::<usize>().ok())
        .filter(|index| *index < demo::USERS.len())
        .unwrap_or(0)
}

/// Errors that cannot go back to the app, shown the way Entra shows them: an apology, then
/// the details support would ask for.
pub(crate) fn error_page(state: &State, req: &Incoming, error: &Aadsts) -> Reply {
    let trace = state.trace(req);
    let entry = error.entry();
    let body = format!(
        r#"<h1>Sorry, but we're having trouble signing you in.</h1>
<p class="error">AADSTS{code}: {message}</p>
<details open><summary>Troubleshooting details</summary>
<pre>Request Id: {trace_id}
Correlation Id: {correlation_id}
Timestamp: {timestamp}
Message: AADSTS{code}: {message}</pre></details>
<p><small>The app sent a request this server cannot answer safely, so it stops here instead
of redirecting. Explain it offline: <code>tutorial explain {code}</code></small></p>"#,
        code = entry.code,
        message = text(&entry.message),
        trace_id = trace.trace_id,
        correlation_id = text(&trace.correlation_id),
        timestamp = trace.timestamp,
    );
    let mut answer = reply::html(StatusCode::BAD_REQUEST, page("Sign-in error", &body));
    reply::tag_error(&mut answer, format!("AADSTS{}", entry.code));
    answer
}

pub(crate) fn expired_page() -> Reply {
    let body = "<h1>This sign-in has ended</h1>\n<p>The page was already used, or it was open \
                for more than ten minutes. Go back to the app and start the sign-in again.</p>";
    reply::html(StatusCode::BAD_REQUEST, page("Sign-in ended", body))
}

/// `response_mode=form_post`: the answer travels as a form posted to the reply URL. Real
/// browsers submit it with one line of script; without script the button does the same.
pub(crate) fn form_post_page(redirect_uri: &str, fields: &[(&str, String)]) -> Reply {
    let inputs: String = fields
        .iter()
        .map(|(name, value)| {
            format!(
                "<input type=\"hidden\" name=\"{}\" value=\"{}\">\n",
                attr(name),
                attr(value)
            )
        })
        .collect();
    let body = format!(
        r#"<h1>Returning to the app</h1>
<form method="post" action="{action}" id="answer">
{inputs}<div class="buttons"><button type="submit" class="primary">Continue</button></div>
</form>
<script>{script}</script>"#,
        action = attr(redirect_uri),
        script = reply::FORM_POST_SCRIPT,
    );
    reply::html_posting_to(
        StatusCode::OK,
        page("Returning to the app", &body),
        Some(redirect_uri),
    )
}

/// `GET /`: the demo tenant at a glance, for an instructor's browser.
pub(crate) fn index_page(base: &str) -> Reply {
    let users: String = demo::USERS
        .iter()
        .map(|u| {
            format!(
                "<li>{} <code>{}</code></li>\n",
                text(u.display_name),
                text(u.user_principal_name)
            )
        })
        .collect();
    let app = demo::WEB_APP;
    let body = format!(
        r#"<h1>Offline identity platform and Graph</h1>
<p>A stand-in for <code>login.microsoftonline.com</code> and <code>graph.microsoft.com</code>
for learning and tests.</p>
<h2>Endpoints</h2>
<ul>
<li>Discovery <code>{base}/common/v2.0/.well-known/openid-configuration</code></li>
<li>Authorize <code>{base}/common/oauth2/v2.0/authorize</code></li>
<li>Token <code>{base}/common/oauth2/v2.0/token</code></li>
<li>Graph <code>{base}/v1.0/me</code></li>
</ul>
<h2>Demo tenant</h2>
<p>{domain} <code>{tenant}</code></p>
<ul>
{users}</ul>
<h2>Demo app</h2>
<p>{name}: client ID <code>{client_id}</code>, reply URL <code>{reply_url}</code></p>"#,
        base = text(base),
        domain = text(demo::TENANT_DOMAIN),
        tenant = demo::TENANT_ID,
        name = text(app.display_name),
        client_id = app.client_id,
        reply_url = text(app.redirect_uris.first().copied().unwrap_or_default()),
    );
    reply::html(StatusCode::OK, page("Offline mock", &body))
}

fn initials(name: &str) -> String {
    name.split_whitespace()
        .filter_map(|word| word.chars().next())
        .take(2)
        .collect()
}

/// The frame around every page: the mock banner, a card, and styles that read well on a
/// laptop and on a projector (large type, strong contrast, no colour-only meaning).
fn page(title: &str, body: &str) -> String {
    format!(
        r#"<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} · offline mock</title>
<style>
body {{ margin: 0; background: #f2f2f2; color: #1b1b1b;
  font: 17px/1.5 "Segoe UI", system-ui, -apple-system, "Helvetica Neue", Arial, sans-serif; }}
.banner {{ background: #fff4ce; border-bottom: 2px solid #c19c00; padding: .6em 1em;
  text-align: center; font-weight: 600; }}
.card {{ background: #fff; max-width: 30em; margin: 1.5em auto; padding: 1.5em 2.5em;
  box-shadow: 0 2px 6px rgba(0,0,0,.2); }}
h1 {{ font-size: 1.5em; font-weight: 600; margin: 0 0 .6em; }}
h2 {{ font-size: 1.1em; margin: 1.2em 0 .4em; }}
.who {{ margin: 0 0 .5em; color: #505050; }}
.choice {{ display: flex; align-items: center; gap: .8em; padding: .6em; margin: .3em 0;
  border: 1px solid #c8c8c8; cursor: pointer; }}
.choice:hover {{ background: #f5f9ff; }}
.avatar {{ display: inline-grid; place-items: center; width: 2.4em; height: 2.4em;
  border-radius: 50%; background: #0f6cbd; color: #fff; font-weight: 600; }}
.permissions {{ margin: .4em 0; padding-left: 1.2em; }}
.permissions li {{ margin: .15em 0; }}
.permissions strong {{ font-weight: 600; }}
code {{ font-size: .85em; background: #f0f0f0; padding: .05em .3em; }}
.buttons {{ display: flex; justify-content: flex-end; gap: .6em; margin-top: 1.2em; }}
button {{ font: inherit; min-width: 7em; padding: .45em 1.2em; border: 1px solid #8a8a8a;
  background: #fff; cursor: pointer; }}
button.primary {{ background: #0f6cbd; border-color: #0f6cbd; color: #fff; }}
button:focus {{ outline: 3px solid #1b1b1b; outline-offset: 2px; }}
.error {{ color: #a80000; font-weight: 600; }}
pre {{ white-space: pre-wrap; word-break: break-all; background: #f7f7f7; padding: .8em; }}
small {{ color: #505050; }}
</style></head>
<body>
<div class="banner" role="note">Offline mock of the Microsoft identity platform: not Microsoft. Never type a real password here.</div>
<main class="card">
{body}
</main>
</body></html>
"#,
        title = text(title),
    )
}

//! Step 2: build the authorize URL and send the browser there.
//!
//! The app never sees the user's password: it sends the browser to the identity platform with
//! a request in the query string, and waits at its reply URL for the answer (step 3). Each
//! parameter has a job; the table printed here says which. v2.0 adds three protections the
//! article did not have: `state` (CSRF), PKCE (`code_challenge`) and, with `openid`, `nonce`.
//!
//! Needs from step 1: the client ID and reply URL. Leaves for steps 3 and 4: the URL, the
//! `state` and `nonce` to check, the PKCE verifier, and the listener waiting on the reply URL.

use crate::context::Context;
use crate::error::Error;
use crate::lessons;
use crate::listener::Listener;
use crate::progress::Authorization;
use crate::protocol::Flow;
use crate::protocol::authorize::{AuthorizeRequest, code_challenge};
use crate::secrets::CodeVerifier;
use crate::show::ClaimRow;
use crate::steps::at_the_browser::send_the_browser;
use crate::walk::Step;

/// What the app asks for: sign-in (`openid profile`), a refresh token (`offline_access`),
/// and the three Graph permissions step 5 uses.
pub const SCOPES: &str = "openid profile offline_access User.Read Mail.Send Mail.Read";

/// The tutorial's scopes, and any the learner added with `--scope` (each once).
pub fn scopes(extra: &[String]) -> String {
    let mut all: Vec<&str> = SCOPES.split(' ').collect();
    for scope in extra.iter().flat_map(|s| s.split([' ', ','])) {
        if !scope.is_empty() && !all.contains(&scope) {
            all.push(scope);
        }
    }
    all.join(" ")
}

pub async fn run(ctx: &mut Context<'_>) -> Result<(), Error> {
    let Some(app) = ctx.progress.saved.app.as_ref() else {
        return Err(ctx.needs_earlier(Step::Redirect));
    };
    let client_id = app.client_id.clone();

    // The reply URL must be listening before the browser is sent anywhere.
    let listener = Listener::bind(ctx.options.port).await?;
    if let Some(asked) = listener.fell_back_from {
        ctx.show.notice(&ctx.lang.ui_with(
            "s2-port",
            &[
                ("asked", &asked.to_string()),
                ("uri", listener.redirect_uri.as_str()),
            ],
        ))?;
    }

    // Build: the parameters, and the secrets behind state, nonce and PKCE.
    let v2 = ctx.options.flow == Flow::V2;
    let verifier = v2.then(|| CodeVerifier::new(ctx.random.text(43)));
    let request = AuthorizeRequest {
        flow: ctx.options.flow,
        client_id,
        redirect_uri: listener.redirect_uri.clone(),
        scope: v2.then(|| scopes(&ctx.options.scopes)),
        state: v2.then(|| ctx.random.text(22)),
        nonce: v2.then(|| ctx.random.text(22)),
        code_challenge: verifier.as_ref().map(code_challenge),
    };
    let url = request.url(&ctx.target.authorize_url(ctx.options.flow));

    // Show: the URL, then each parameter with its reason.
    if v2 && !ctx.options.scopes.is_empty() {
        let added = ctx.options.scopes.join(" ");
        ctx.show
            .notice(&ctx.lang.ui_with("c-scopes", &[("scopes", &added)]))?;
    }
    ctx.show.heading(ctx.lang.ui("s2-url"))?;
    ctx.show.url(url.as_str())?;
    show_parameters(ctx, &request, verifier.as_ref())?;

    // Send: the browser goes there (or step 3 plays the browser and fetches the URL itself).
    if !ctx.options.play_browser {
        send_the_browser(ctx, url.as_str()).await?;
    }

    ctx.progress.saved.authorization = Some(Authorization {
        url: url.to_string(),
        redirect_uri: listener.redirect_uri.clone(),
        state: request.state,
        nonce: request.nonce,
        verifier,
        scope: request.scope,
    });
    ctx.progress.saved.code = None;
    ctx.listener = Some(listener);
    Ok(())
}

/// Each parameter with its reason, then the PKCE pair (the verifier masked).
fn show_parameters(
    ctx: &mut Context<'_>,
    request: &AuthorizeRequest,
    verifier: Option<&CodeVerifier>,
) -> Result<(), Error> {
    ctx.show.heading(ctx.lang.ui("s2-params"))?;
    let rows: Vec<ClaimRow> = request
        .params()
        .into_iter()
        .map(|(name, value)| ClaimRow {
            name: name.to_owned(),
            value,
            meaning: lessons::parameter(ctx.lang, name).map(str::to_owned),
        })
        .collect();
    ctx.show.explained_rows(&rows)?;
    if let Some(verifier) = verifier {
        ctx.show.heading(ctx.lang.ui("s2-pkce"))?;
        let shown = ctx.show.secret(verifier.expose());
        ctx.show.rows(&[
            ("code_verifier".into(), shown),
            (
                "code_challenge".into(),
                "BASE64URL(SHA256(code_verifier)), sent above".into(),
            ),
        ])?;
    }
    Ok(())
}

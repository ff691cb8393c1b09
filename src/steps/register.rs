//! Step 1: register the app, and note the three values the article asks for.
//!
//! The article registers its app by hand in the portal and notes the client ID, the reply URL and
//! the app key (a client secret). Against the mock, the tutorial does what the portal does
//! behind its pages: it signs in *as the portal app* (client credentials, no user), then calls
//! Graph's `POST /applications` and `addPassword`. Against the live cloud, the learner uses the
//! portal and types the values in (or passes them as flags or environment variables).
//!
//! With `--flow device` the app is a public client: no secret (a device cannot keep one) and
//! no reply URL (the user signs in on another device), only "Allow public client flows".
//!
//! Needs: nothing. Leaves for step 2: the client ID, the client secret, the reply URL.

use graph_mock::fixtures::PORTAL_APP;

use crate::context::Context;
use crate::error::Error;
use crate::fixtures;
use crate::http::Outgoing;
use crate::lessons;
use crate::listener::REPLY_URL;
use crate::progress::App;
use crate::protocol::graph::{self, Application, PasswordCredential};
use crate::protocol::token::{TokenResponse, client_credentials};
use crate::protocol::{Flow, read_reply};
use crate::registration::ClientId;
use crate::secrets::{AccessToken, ClientSecret};

pub async fn run(ctx: &mut Context<'_>) -> Result<(), Error> {
    let public = ctx.options.flow == Flow::Device;
    let app = if ctx.target.is_mock() {
        register_through_graph(ctx, public).await?
    } else {
        ask_for_portal_values(ctx, public)?
    };

    // Explain: the three values, as the article lists them.
    ctx.show.heading(ctx.lang.ui("s1-values"))?;
    let secret = match &app.client_secret {
        Some(secret) => ctx.show.secret(secret.expose()),
        None => ctx.lang.ui("s1-no-secret").to_owned(),
    };
    let reply_url = match &app.redirect_uri {
        Some(uri) => uri.as_str(),
        None => ctx.lang.ui("s1-no-reply-url"),
    };
    ctx.show.rows(&[
        (
            ctx.lang.ui("s1-client-id").into(),
            app.client_id.to_string(),
        ),
        (ctx.lang.ui("s1-reply-url").into(), reply_url.to_owned()),
        (ctx.lang.ui("s1-app-key").into(), secret),
    ])?;
    ctx.progress.saved.app = Some(app);
    Ok(())
}

async fn register_through_graph(ctx: &mut Context<'_>, public: bool) -> Result<App, Error> {
    // 1. The portal's own token: client credentials, as the app itself, for Graph.
    ctx.show.heading(ctx.lang.ui("s1-portal"))?;
    let portal = PORTAL_APP;
    let portal_secret = ClientSecret::new(portal.client_secret);
    let request = Outgoing::post(ctx.target.tenant_token_url(&fixtures::tenant_id())).form(
        client_credentials(&fixtures::client_id(portal), &portal_secret),
    );
    let exchange = ctx.send(request).await?;
    let token: TokenResponse = read_reply(&exchange, "a token response", "tutorial reset")?;
    let portal_token = AccessToken::new(token.access_token);

    // 2. The registration: a Web app with the reply URL and its permissions (or a public
    //    client), for this tenant only (the portal's default audience).
    ctx.show.heading(ctx.lang.ui("s1-register"))?;
    let body = if public {
        graph::new_public_client("graph-oauth-tutorial")
    } else {
        graph::new_application("graph-oauth-tutorial", REPLY_URL)
    };
    let request = Outgoing::post(ctx.target.graph("applications"))
        .bearer(&portal_token)
        .json(body);
    let exchange = ctx.send(request).await?;
    let application: Application = read_reply(&exchange, "a new application", "tutorial --step 1")?;
    ctx.show.ok(&ctx.lang.ui_with(
        "s1-created",
        &[
            ("app_id", application.app_id.as_str()),
            ("id", &application.id),
        ],
    ))?;
    if public {
        return Ok(App {
            client_id: application.app_id,
            client_secret: None,
            redirect_uri: None,
        });
    }

    // 3. The app key: a password credential, whose text is shown this once.
    ctx.show.heading(ctx.lang.ui("s1-secret"))?;
    let request = Outgoing::post(
        ctx.target
            .graph(&format!("applications/{}/addPassword", application.id)),
    )
    .bearer(&portal_token)
    .json(graph::new_password());
    let exchange = ctx.send(request).await?;
    let password: PasswordCredential =
        read_reply(&exchange, "a password credential", "tutorial --step 1")?;
    if let Some(hint) = &password.hint {
        ctx.show
            .ok(&ctx.lang.ui_with("s1-secret-text", &[("hint", hint)]))?;
    }

    Ok(App {
        client_id: application.app_id,
        client_secret: Some(ClientSecret::new(password.secret_text)),
        redirect_uri: Some(fixtures::reply_url()),
    })
}

fn ask_for_portal_values(ctx: &mut Context<'_>, public: bool) -> Result<App, Error> {
    ctx.show.lesson(lessons::portal(ctx.lang))?;
    ctx.show.flush()?;
    let client_id = match ctx.options.client_id.clone() {
        Some(id) => id,
        None => {
            let typed =
                ctx.prompt
                    .text(ctx.lang.ui("s1-ask-id"))?
                    .ok_or(Error::MissingCredential {
                        what: "the client ID",
                        hint: "tutorial --live --client-id ID (or TUTORIAL_CLIENT_ID)",
                    })?;
            ClientId::parse(typed.trim())?
        }
    };
    if public {
        return Ok(App {
            client_id,
            client_secret: None,
            redirect_uri: None,
        });
    }
    let secret =
        match ctx.options.client_secret.clone() {
            Some(secret) => secret,
            None => ctx.prompt.hidden(ctx.lang.ui("s1-ask-secret"))?.ok_or(
                Error::MissingCredential {
                    what: "the client secret",
                    hint: "set TUTORIAL_CLIENT_SECRET, or run without --yes to type it hidden",
                },
            )?,
        };
    Ok(App {
        client_id,
        client_secret: Some(ClientSecret::new(secret)),
        redirect_uri: Some(fixtures::reply_url()),
    })
}

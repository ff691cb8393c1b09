//! Step 1 against a mock: what the portal does behind its pages, done in the open. The
//! portal signs in as itself (client credentials), creates the application with Graph's
//! `POST /applications`, then adds its app key with `addPassword`.

use graph_mock::fixtures::PORTAL_APP;

use crate::context::Context;
use crate::error::Error;
use crate::fixtures;
use crate::http::Outgoing;
use crate::listener::REPLY_URL;
use crate::progress::App;
use crate::protocol::graph::{self, Application, PasswordCredential};
use crate::protocol::read_reply;
use crate::protocol::token::{TokenResponse, client_credentials};
use crate::secrets::{AccessToken, ClientSecret};

pub(super) async fn register_through_graph(
    ctx: &mut Context<'_>,
    public: bool,
) -> Result<App, Error> {
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

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

mod by_hand;
mod through_graph;

use crate::context::Context;
use crate::error::Error;
use crate::protocol::Flow;

use by_hand::ask_for_portal_values;
use through_graph::register_through_graph;

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

//! Step 5: call Microsoft Graph with the access token.
//!
//! Every Graph request carries `Authorization: Bearer {access token}`. `GET /me` says who
//! signed in (it needs `User.Read`); `POST /me/sendMail` sends the article's mail (it needs
//! `Mail.Send`) and answers `202 Accepted` with no body. Against a mock, the tutorial then
//! reads the sent mail back (which needs `Mail.Read`).
//!
//! Needs from step 4: the access token.

use crate::context::Context;
use crate::error::Error;
use crate::http::Outgoing;
use crate::protocol::graph::{self, Me, Messages};
use crate::protocol::{read_reply, refusal};
use crate::walk::Step;

const SUBJECT: &str = "Welcome to Microsoft Graph";
const CONTENT: &str =
    "This mail was sent by the graph-oauth-tutorial, with an access token from step 4.";
/// A Graph refusal usually means the token lacks a permission or has expired.
const NEW_TOKEN: &str = "tutorial --step 4 for a fresh token (check the scp claim it prints)";
/// A refused recipient is the address's fault, not the token's.
const CHECK_RECIPIENT: &str =
    "check the address: tutorial --step 5 --to ADDRESS, with a mailbox that exists";

pub async fn run(ctx: &mut Context<'_>) -> Result<(), Error> {
    let Some(tokens) = ctx.progress.saved.tokens.as_ref() else {
        return Err(ctx.needs_earlier(Step::CallGraph));
    };
    let access = tokens.access.clone();

    // 1. Who signed in?
    ctx.show.heading(ctx.lang.ui("s5-me"))?;
    let exchange = ctx
        .send(Outgoing::get(ctx.target.graph("me")).bearer(&access))
        .await?;
    let me: Me = read_reply(&exchange, "a user", NEW_TOKEN)?;
    let Some(address) = ctx
        .options
        .to
        .clone()
        .or_else(|| me.address().map(str::to_owned))
    else {
        return Err(Error::UnexpectedReply {
            url: exchange.request.url.clone(),
            what: "a user with a mail address",
            reason: "neither mail nor userPrincipalName is set; pass --to ADDRESS".into(),
        });
    };
    ctx.show.ok(&ctx.lang.ui_with(
        "s5-signed-in",
        &[
            (
                "name",
                me.display_name
                    .as_deref()
                    .unwrap_or(ctx.lang.ui("s5-no-name")),
            ),
            ("address", &address),
        ],
    ))?;

    // 2. The article's call: send a mail.
    ctx.show.heading(ctx.lang.ui("s5-send"))?;
    let request = Outgoing::post(ctx.target.graph("me/sendMail"))
        .bearer(&access)
        .json(graph::send_mail(&address, SUBJECT, CONTENT));
    let exchange = ctx.send(request).await?;
    if !exchange.response.is_success() {
        let recipient = exchange.response.text().contains("ErrorInvalidRecipients");
        let hint = if recipient {
            CHECK_RECIPIENT
        } else {
            NEW_TOKEN
        };
        return Err(refusal(&exchange, hint));
    }
    ctx.show.ok(ctx.lang.ui("s5-accepted"))?;

    // 3. Against a mock: read it back from Sent Items.
    if ctx.target.is_mock() {
        ctx.show.heading(ctx.lang.ui("s5-read-back"))?;
        let url = ctx.target.graph("me/mailFolders/sentitems/messages");
        let exchange = ctx.send(Outgoing::get(url).bearer(&access)).await?;
        let messages: Messages = read_reply(&exchange, "a list of messages", NEW_TOKEN)?;
        let found = messages.value.iter().any(|m| m["subject"] == SUBJECT);
        if found {
            ctx.show
                .ok(&ctx.lang.ui_with("s5-found", &[("subject", SUBJECT)]))?;
        } else {
            ctx.show.refused(ctx.lang.ui("s5-not-found"))?;
        }
    }
    Ok(())
}

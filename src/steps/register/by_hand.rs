//! Step 1 against the live cloud: the learner registers the app in the portal and gives the
//! tutorial its values, as flags, environment variables or typed in (the secret hidden).

use crate::context::Context;
use crate::error::Error;
use crate::fixtures;
use crate::lessons;
use crate::progress::App;
use crate::registration::ClientId;
use crate::secrets::ClientSecret;

pub(super) fn ask_for_portal_values(ctx: &mut Context<'_>, public: bool) -> Result<App, Error> {
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

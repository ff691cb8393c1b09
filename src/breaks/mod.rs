//! `tutorial break`: the flow with exactly one thing wrong, one lesson per mistake.
//!
//! Each lesson starts its own mock, does quietly what comes before the mistake, then sends the
//! request with the one thing wrong and prints the exchange as it went over the wire (the
//! mock's real AADSTS JSON, error page or Graph error body). The lesson's text says why and
//! how to fix it; then the corrected request is sent and succeeds. The texts live in
//! `lessons/<lang>/breaks/NAME.md`, split at their first `## ` heading: before the mistake,
//! and after it.
//!
//! - `catalogue`: every lesson as data (name, step, code, status, texts), and `find`.
//! - `lab`: the bench every lesson runs on; `predict`: the answers a learner picks from
//!   before the wrong request is sent.
//! - `authorize`, `token`, `client`, `graph`: the lessons, grouped by the endpoint that refuses;
//!   `sign_in`: refused while the user signs in (what is asked for, and who);
//!   `secret`: the client secret past its end date, which needs an app of its own.

mod authorize;
mod catalogue;
mod client;
mod graph;
pub mod lab;
pub mod predict;
mod secret;
mod sign_in;
mod token;

use crate::error::Error;
use crate::exchange::Exchange;
use crate::explain;
use crate::lang::Lang;
use crate::prompt::Prompt;
use crate::protocol::Flow;
use crate::show::Printer;

pub use catalogue::{LESSONS, Lesson, find};
use lab::Lab;

/// `tutorial break`: every lesson, its step and its one line.
pub fn list(show: &mut Printer<'_>, lang: Lang, done: &[String]) -> Result<(), Error> {
    show.heading(lang.ui("lessons-title"))?;
    let width = LESSONS.iter().map(|l| l.name.len()).max().unwrap_or(0);
    for lesson in &LESSONS {
        let mark = if done.iter().any(|d| d == lesson.name) {
            "✔"
        } else {
            " "
        };
        let prefix = format!(
            "{mark} {:<width$}  {}  ",
            lesson.name,
            explain::step_name(lang, lesson.step)
        );
        show.item(&prefix, lesson.summary(lang))?;
    }
    show.blank()?;
    show.say(lang.ui("lessons-usage"))?;
    Ok(())
}

/// What a lesson leaves behind: every exchange (for `tutorial export`), and whether the
/// learner predicted the refusal, when they guessed.
pub struct Ran {
    pub exchanges: Vec<Exchange>,
    pub prediction: Option<predict::Prediction>,
}

/// `tutorial break NAME`: runs one lesson on a mock of its own.
pub async fn run(
    lesson: &'static Lesson,
    show: Printer<'_>,
    lang: Lang,
    deterministic: bool,
    prompt: Prompt,
) -> Result<Ran, Error> {
    let mut lab = Lab::start(lesson, show, lang, deterministic, prompt).await?;
    let title = format!("{} · {}", lesson.name, lesson.code);
    lab.show.step_title(
        lesson.step.number(),
        lesson.step.title(Flow::V2, lang),
        &title,
    )?;
    lab.show.lesson(lesson.before(lang))?;
    lab.show.blank()?;
    match lesson.name {
        "missing-scope" => client::missing_scope(&mut lab).await?,
        "reply-url-not-registered" => authorize::reply_url_not_registered(&mut lab).await?,
        "single-tenant-on-common" => authorize::single_tenant_on_common(&mut lab).await?,
        "response-type-token" => sign_in::response_type_token(&mut lab).await?,
        "response-type-id-token" => sign_in::response_type_id_token(&mut lab).await?,
        "admin-consent-required" => sign_in::admin_consent_required(&mut lab).await?,
        "user-from-another-tenant" => sign_in::user_from_another_tenant(&mut lab).await?,
        "state-tampered" => authorize::state_tampered(&mut lab).await?,
        "reply-url-differs" => token::reply_url_differs(&mut lab).await?,
        "wrong-secret" => client::wrong_secret(&mut lab).await?,
        "client-secret-expired" => secret::client_secret_expired(&mut lab).await?,
        "public-client-secret" => client::public_client_secret(&mut lab).await?,
        "missing-secret" => client::missing_secret(&mut lab).await?,
        "code-redeemed-twice" => token::code_redeemed_twice(&mut lab).await?,
        "code-expired" => token::code_expired(&mut lab).await?,
        "pkce-mismatch" => token::pkce_mismatch(&mut lab).await?,
        "code-for-another-tenant" => token::code_for_another_tenant(&mut lab).await?,
        "not-consented" => token::not_consented(&mut lab).await?,
        "resource-on-v2" => token::resource_on_v2(&mut lab).await?,
        "web-code-from-a-page" => token::web_code_from_a_page(&mut lab).await?,
        "token-altered" => graph::token_altered(&mut lab).await?,
        "token-expired" => graph::token_expired(&mut lab).await?,
        "id-token-to-graph" => graph::id_token_to_graph(&mut lab).await?,
        "no-mail-send" => graph::no_mail_send(&mut lab).await?,
        other => {
            return Err(Error::NoSuchLesson {
                name: other.to_owned(),
                suggestion: "tutorial break (lists them)".to_owned(),
            });
        }
    }
    if lesson.code != "state" {
        lab.show.blank()?;
        lab.show
            .say(&format!("{} {}", lang.ui("explain-it"), lesson.code))?;
    }
    lab.show.flush()?;
    Ok(Ran {
        exchanges: lab.exchanges,
        prediction: lab.prediction,
    })
}

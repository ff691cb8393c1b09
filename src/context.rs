//! What every step works with: the choices of the command line, the target, the HTTP client,
//! the screen, the keyboard, and the progress. Steps take a `&mut Context` and nothing else.

use std::time::Duration;

use crate::done::Done;
use crate::error::Error;
use crate::exchange::Exchange;
use crate::http::{Http, Outgoing};
use crate::lang::Lang;
use crate::listener::Listener;
use crate::progress::Progress;
use crate::prompt::Prompt;
use crate::protocol::Flow;
use crate::random::Random;
use crate::registration::ClientId;
use crate::show::Printer;
use crate::target::Target;
use crate::walk::Step;

/// The choices the command line made, resolved.
pub struct Options {
    pub flow: Flow,
    pub no_browser: bool,
    /// Step 3 fetches the authorize URL itself instead of waiting for a browser (see
    /// `receive_code`): `--play-browser`, or the built-in mock when prompts answer themselves.
    pub play_browser: bool,
    pub to: Option<String>,
    /// Scopes step 2 asks for beyond the tutorial's own (`--scope`): incremental consent.
    pub scopes: Vec<String>,
    /// The reply URL's port (8000 as in the article; 0 for any free port).
    pub port: u16,
    pub timeout: Duration,
    pub client_id: Option<ClientId>,
    pub client_secret: Option<String>,
    /// The flags to repeat in a `try:` hint (`--live `, `--mock-url URL `).
    pub target_flags: String,
}

/// Everything a step works with.
pub struct Context<'a> {
    pub options: Options,
    pub target: Target,
    pub http: Http,
    pub show: Printer<'a>,
    pub prompt: Prompt,
    pub random: Random,
    pub progress: Progress,
    /// Which steps the learner has finished (for `tutorial progress`).
    pub done: Done,
    /// The reply-URL listener, bound in step 2 so its port can go in the authorize URL.
    pub listener: Option<Listener>,
    /// The step now running (for the `try:` hint if the learner stops).
    pub step: Step,
    /// The language of this run's lessons and labels (the printer was made with the same).
    pub lang: Lang,
}

impl Context<'_> {
    /// Shows the request, waits for Enter, sends it and prints the response.
    pub async fn send(&mut self, request: Outgoing) -> Result<Exchange, Error> {
        let request = request.prepare();
        self.show.request(&request.sent)?;
        self.show.flush()?;
        let resume = self.resume(self.step);
        self.prompt.before_sending(&mut self.show, &resume).await?;
        let exchange = self.http.send(request).await?;
        self.show.response(&exchange)?;
        Ok(exchange)
    }

    /// The command that picks the run up at `step`, against the same target and flow.
    pub fn resume(&self, step: Step) -> String {
        format!("tutorial {}--step {}", self.flags(), step.number())
    }

    /// The flags that pick this target and flow again (`--mock-url URL --flow v1 `).
    fn flags(&self) -> String {
        format!("{}{}", self.options.target_flags, self.options.flow.flag())
    }

    /// `step` cannot run: what it needs from an earlier step is not saved. Says what is
    /// missing and which step makes it.
    pub fn needs_earlier(&self, step: Step) -> Error {
        let before = Step::from_number(step.number().saturating_sub(1)).unwrap_or(step);
        let (what, from) = step
            .first_missing(&self.progress.saved)
            .unwrap_or(("what the step before leaves", before));
        Error::NeedsEarlierStep {
            step: step.number(),
            what,
            from: from.number(),
            flags: self.flags(),
        }
    }

    /// The pause before a step, so that what came before does not scroll away unread.
    pub async fn pause_before(&mut self, step: Step) -> Result<(), Error> {
        let question = self
            .lang
            .ui_with("pause-next", &[("n", &step.number().to_string())]);
        let resume = self.resume(step);
        self.prompt.pause(&mut self.show, &question, &resume).await
    }

    /// Saves the progress, or says why it could not (the lesson goes on either way).
    pub fn save(&mut self) -> Result<(), Error> {
        if let Err(error) = self.progress.save() {
            let error = error.to_string();
            self.show.notice(
                &self
                    .lang
                    .ui_with("progress-not-saved", &[("error", &error)]),
            )?;
        }
        Ok(())
    }
}

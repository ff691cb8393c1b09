//! The bench a failure lesson runs on: a fresh mock of its own, the tutorial's HTTP client and
//! printer, and the few moves every lesson makes (sign in quietly, redeem a code, get it
//! wrong on screen, put it right on screen).
//!
//! A lesson never asks the mock to fail: it sends a request with one thing wrong and shows how
//! the mock reacts to that request. The mock's clock is the one thing a lesson may move
//! (`code-expired`, `token-expired`), because waiting ten real minutes teaches nothing.
//!
//! Here: the bench and the moves on screen (`broken`, `fixed`, the prediction). In `setup`:
//! the quiet moves before the mistake (register an app, sign in, the right redemption).

mod setup;

use std::time::Duration;

use graph_mock::{Config, MockServer};
use url::Url;

use super::Lesson;
use super::predict::{self, Answer, Prediction};
use crate::error::Error;
use crate::exchange::Exchange;
use crate::explain;
use crate::http::{Http, Outgoing};
use crate::lang::Lang;
use crate::prompt::Prompt;
use crate::random::Random;
use crate::show::Printer;

/// The tutorial's reply URL, which the demo web app registers too.
pub use crate::listener::REPLY_URL;

/// The demo tenant, in every sign-in URL as in the tutorial's (a single-tenant app may not use
/// `/common`).
pub const TENANT: &str = graph_mock::fixtures::TENANT_DOMAIN;

pub use setup::SignedIn;

pub struct Lab<'a> {
    pub show: Printer<'a>,
    pub lang: Lang,
    pub lesson: &'static Lesson,
    pub random: Random,
    /// On a terminal, a pause after the refusal: it is the lesson, and must not scroll away.
    pub prompt: Prompt,
    http: Http,
    mock: MockServer,
    base: Url,
    /// Every exchange, shown or quiet, in order (for `tutorial export`).
    pub exchanges: Vec<Exchange>,
    /// Whether the learner predicted the refusal, when they made a guess.
    pub prediction: Option<Prediction>,
}

impl<'a> Lab<'a> {
    /// Starts a mock that approves sign-ins by itself (the lesson plays the browser).
    pub async fn start(
        lesson: &'static Lesson,
        show: Printer<'a>,
        lang: Lang,
        deterministic: bool,
        prompt: Prompt,
    ) -> Result<Lab<'a>, Error> {
        let config = if deterministic {
            Config::deterministic()
        } else {
            Config::default()
        };
        let mock = MockServer::start(config.auto_approve())
            .await
            .map_err(Error::MockDidNotStart)?;
        let base = Url::parse(&mock.uri()).map_err(|e| Error::BadUrl {
            what: "the offline mock",
            value: mock.uri(),
            reason: e.to_string(),
            hint: "tutorial break NAME again",
        })?;
        Ok(Lab {
            show,
            lang,
            lesson,
            random: if deterministic {
                Random::seeded()
            } else {
                Random::system()?
            },
            prompt,
            http: Http::new(false)?,
            mock,
            base,
            exchanges: Vec::new(),
            prediction: None,
        })
    }

    /// A URL on the mock: `url("contoso.onmicrosoft.com/oauth2/v2.0/token")`.
    pub fn url(&self, path: &str) -> Url {
        let mut url = self.base.clone();
        url.set_path(path);
        url
    }

    pub fn authorize_url(&self) -> Url {
        self.url(&format!("{TENANT}/oauth2/v2.0/authorize"))
    }

    pub fn token_url(&self) -> Url {
        self.url(&format!("{TENANT}/oauth2/v2.0/token"))
    }

    pub fn graph(&self, path: &str) -> Url {
        self.url(&format!("v1.0/{path}"))
    }

    /// Time passes on the mock (and only there).
    pub fn advance_clock(&self, by: Duration) {
        self.mock.advance_clock(by);
    }

    /// Sends without printing; one line says it happened.
    pub async fn quietly(&mut self, request: Outgoing) -> Result<Exchange, Error> {
        let exchange = self.http.send(request.prepare()).await?;
        let path = Url::parse(&exchange.request.url)
            .map(|url| url.path().to_owned())
            .unwrap_or_default();
        let line = format!(
            "{}: {} {path} → {}",
            self.lang.ui("setup"),
            exchange.request.method,
            exchange.response.status
        );
        self.show.say(&line)?;
        self.exchanges.push(exchange.clone());
        Ok(exchange)
    }

    /// Shows the request, sends it, shows the response.
    pub async fn send(&mut self, request: Outgoing) -> Result<Exchange, Error> {
        let request = request.prepare();
        self.show.request(&request.sent)?;
        let exchange = self.http.send(request).await?;
        self.show.response(&exchange)?;
        self.exchanges.push(exchange.clone());
        Ok(exchange)
    }

    /// The request with the one mistake: shown, sent, and checked to fail with the lesson's
    /// code. Then the lesson says what went wrong and how to fix it.
    pub async fn broken(&mut self, request: Outgoing) -> Result<Exchange, Error> {
        self.show.heading(self.lang.ui("broken"))?;
        let request = request.prepare();
        self.show.request(&request.sent)?;
        // Predict, then see: the guess is asked before anything is sent.
        let choices = predict::choices(self.lesson);
        let guess = self.guess(&choices).await?;
        let exchange = self.http.send(request).await?;
        self.show.response(&exchange)?;
        self.exchanges.push(exchange.clone());
        let got = error_code(&exchange);
        if got.as_deref() != Some(self.lesson.code)
            || exchange.response.status != self.lesson.status
        {
            return Err(self.astray(self.lesson.code, &exchange));
        }
        self.show.refused(&format!(
            "{} ({})",
            self.lesson.code, exchange.response.status
        ))?;
        if let Some(picked) = guess {
            self.verdict(picked)?;
        }
        if let Some(line) = page_line(&exchange) {
            // An error page is shortened when printed; its AADSTS line is the lesson.
            self.show.say(&format!("    {line}"))?;
        }
        let resume = format!("tutorial break {}", self.lesson.name);
        let question = self.lang.ui("pause-why");
        self.prompt.pause(&mut self.show, question, &resume).await?;
        self.why()?;
        Ok(exchange)
    }

    /// The numbered answers, and the learner's pick (none with `--yes`, or when skipped).
    async fn guess(&mut self, choices: &[Answer]) -> Result<Option<Answer>, Error> {
        if self.prompt.auto || self.show.is_muted() {
            return Ok(None);
        }
        self.show.say(self.lang.ui("predict-intro"))?;
        for (number, answer) in choices.iter().enumerate() {
            self.show
                .say(&format!("  {}. {}", number + 1, answer.describe()))?;
        }
        let resume = format!("tutorial break {}", self.lesson.name);
        let question = self.lang.ui("predict-question");
        let picked = self
            .prompt
            .choose(&mut self.show, question, choices.len(), &resume)
            .await?;
        Ok(picked.and_then(|index| choices.get(index).copied()))
    }

    /// Right or wrong, said once the answer is on the screen.
    fn verdict(&mut self, picked: Answer) -> Result<(), Error> {
        let right = Answer::of(self.lesson);
        if picked == right {
            self.prediction = Some(Prediction::Right);
            let text = self
                .lang
                .ui_with("predict-right", &[("answer", &right.describe())]);
            self.show.ok(&text)?;
        } else {
            self.prediction = Some(Prediction::Wrong);
            let text = self.lang.ui_with(
                "predict-wrong",
                &[
                    ("picked", &picked.describe()),
                    ("answer", &right.describe()),
                ],
            );
            self.show.say(&text)?;
        }
        Ok(())
    }

    /// What went wrong and the fix: the second half of the lesson's text.
    pub fn why(&mut self) -> Result<(), Error> {
        self.show.blank()?;
        self.show.lesson(self.lesson.after(self.lang))?;
        Ok(())
    }

    /// The corrected request: shown, sent, and checked to succeed.
    pub async fn fixed(&mut self, request: Outgoing) -> Result<Exchange, Error> {
        self.show.heading(self.lang.ui("fixed"))?;
        let exchange = self.send(request).await?;
        let status = exchange.response.status;
        if !(200..400).contains(&status) {
            return Err(self.astray("a success", &exchange));
        }
        self.show
            .ok(&format!("{status} {}", exchange.response.reason))?;
        Ok(exchange)
    }

    /// The fix of a step 4 mistake: a new sign-in (the first code may be spent), redeemed
    /// with every field right.
    pub async fn redeem_rightly(&mut self) -> Result<Exchange, Error> {
        let signed_in = self.sign_in().await?;
        let form = self.redemption(&signed_in);
        self.fixed(Outgoing::post(self.token_url()).form(form))
            .await
    }

    /// The lesson did not go as written: say what came instead.
    pub fn astray(&self, expected: &str, exchange: &Exchange) -> Error {
        Error::LessonWentAstray {
            lesson: self.lesson.name,
            expected: expected.to_owned(),
            got: format!(
                "{} {}",
                exchange.response.status,
                error_code(exchange).unwrap_or_default()
            ),
        }
    }
}

/// The error code an answer carries, wherever it carries it: a JSON body (either shape), an
/// error page, or a redirect's `Location`.
pub fn error_code(exchange: &Exchange) -> Option<String> {
    let response = &exchange.response;
    if response.is_success() {
        return None;
    }
    let place = match response.header("location") {
        Some(location) => location.to_owned(),
        None => response.text(),
    };
    explain::read_input(&place)
        .filter(|_| place.contains("AADSTS") || place.contains("\"error\""))
        .map(|asked| asked.key())
}

/// The line of an HTML error page that names the AADSTS code, without its tags.
fn page_line(exchange: &Exchange) -> Option<String> {
    let response = &exchange.response;
    let html = response.header("content-type")?.starts_with("text/html");
    let text = response.text();
    let line = text
        .lines()
        .find(|line| line.contains("AADSTS"))
        .filter(|_| html)?;
    Some(crate::exchange::html_line_text(line))
}

/// `form` with `name` set to `value` (added if absent): the one thing a lesson changes.
pub fn with(mut form: Vec<(String, String)>, name: &str, value: &str) -> Vec<(String, String)> {
    match form.iter_mut().find(|(n, _)| n == name) {
        Some(pair) => pair.1 = value.to_owned(),
        None => form.push((name.to_owned(), value.to_owned())),
    }
    form
}

/// `form` without `name`.
pub fn without(mut form: Vec<(String, String)>, name: &str) -> Vec<(String, String)> {
    form.retain(|(n, _)| n != name);
    form
}

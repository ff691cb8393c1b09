//! # graph-oauth-tutorial
//!
//! Learn how an app signs a user in with OAuth 2.0 and calls Microsoft Graph, by doing it:
//! the five steps of the 2016 article, every request and response printed as it crosses the
//! wire, against an offline mock by default (`graph-mock`, which this crate only *starts*: the
//! two share nothing but HTTP).
//!
//! ## Layout
//!
//! - `cli`: every flag and its help. `tutorial`: the learner loop (lesson, step, explain, save).
//!   `context`: what every step works with (target, HTTP client, screen, keyboard, progress).
//! - `walk`: the five steps by number and title, and what each needs from the ones before.
//! - `steps/`: one file per step, each reading top to bottom like its lesson:
//!   `register`, `redirect`, `receive_code`, `request_token`, `call_graph`; `device/` holds
//!   the device code flow's steps 2 to 4, `tokens` what step 4 shows of a token answer, and
//!   `play` the person at the browser, played by the tutorial against a mock.
//! - `browser`: asking the desktop to open a URL.
//! - `protocol/`: the OAuth and Graph values, with no I/O: `authorize`, `token`, `jwt`, `graph`.
//! - `registration`: the client ID, tenant and reply URL an app registration gives, each
//!   checked where it comes in (a flag, the keyboard, a saved file, the mock's answer).
//! - `http`, `exchange`: the one HTTP client (no redirects followed) and its record of the wire.
//! - `listener`: the loopback reply URL (hyper), one small page per visit.
//! - `show/`: the only room that prints; masking and colour are decided there.
//! - `secrets`: types that cannot be printed by accident; `expose()` is the one door.
//! - `target`: offline mock, classroom mock or live cloud; base URLs only.
//! - `random`, `progress`, `lessons`, `prompt`, `error`: the small rooms their names say.
//! - `fixtures`: the mock's demo tenant and apps, and the reply URL, as the tutorial's types.
//! - `done`: which steps and failure lessons the learner has finished (beside the progress).
//! - `state_file`: the one way a file of ours is written (whole, 0600) and read (a broken one
//!   set aside): progress, done, the last run, exports.
//! - `classroom`: `tutorial mock`, the mock on its own.
//! - `call`: `tutorial call` and `tutorial refresh`, the learner's own requests with the
//!   saved tokens (renewed with the refresh token when they expire).
//! - `decode`: `tutorial decode`, a pasted token read and checked as a resource server would.
//! - `exercises/`: `tutorial exercise`, fix-it exercises: a broken request written to a file,
//!   edited by the learner, checked against a mock of its own.
//! - `commands`: `break`, `explain`, `export`, `progress`, `hint`: the failure lessons
//!   (`breaks/`), the offline error explainer (`explain`) and the checklist with its hints
//!   (`checklist`), in the language `lang` picks.

pub mod breaks;
pub mod browser;
pub mod call;
pub mod checklist;
pub mod classroom;
pub mod cli;
pub mod commands;
pub mod context;
pub mod decode;
pub mod done;
pub mod error;
pub mod exchange;
pub mod exercises;
pub mod explain;
pub mod export;
pub mod fixtures;
pub mod http;
pub mod lang;
pub mod lessons;
pub mod listener;
pub mod progress;
pub mod prompt;
pub mod protocol;
pub mod random;
pub mod registration;
pub mod secrets;
pub mod show;
pub mod state_file;
pub mod steps;
pub mod target;
pub mod tutorial;
pub mod walk;

use std::io::Write;
use std::time::Duration;

use crate::cli::{Cli, Command};
use crate::context::{Context, Options};
use crate::done::Done;
use crate::error::Error;
use crate::progress::Progress;
use crate::prompt::Prompt;
use crate::random::Random;
use crate::show::{Printer, View};
use crate::target::{Kind, Target};
use crate::walk::Step;

/// Runs the tutorial (or `reset`) as `cli` asks, writing the transcript to `out`.
/// `interactive` is whether stdin is a terminal; when it is not, prompts answer themselves.
/// (`tutorial mock` is served by [`classroom::serve`].)
pub async fn run(cli: Cli, out: &mut dyn Write, interactive: bool) -> Result<(), Error> {
    let state_dir = cli.state_dir.clone().unwrap_or_else(progress::default_dir);
    let lang = cli.lang.unwrap_or_else(lang::Lang::from_env);
    if commands::handles(cli.command.as_ref()) {
        return commands::run(&cli, out, interactive, &state_dir).await;
    }
    if let Some(Command::Reset) = cli.command {
        // Both files: what the steps left, and which steps and lessons are done.
        let had_progress = Progress::reset(&state_dir)?;
        let had = Done::reset(&state_dir)? || had_progress;
        let text = if had {
            "progress forgotten"
        } else {
            "there was no saved progress"
        };
        writeln!(out, "{text} ({})", state_dir.display())?;
        return Ok(());
    }

    let only = match cli.step {
        Some(n) => Some(
            u8::try_from(n)
                .ok()
                .and_then(Step::from_number)
                .ok_or(Error::NoSuchStep { asked: n })?,
        ),
        None => None,
    };
    let auto = cli.yes || !interactive;
    // `call` and `refresh` replay what they lack quietly, so the mock must approve by itself.
    let own_request = matches!(cli.command, Some(Command::Call { .. } | Command::Refresh));
    let target = if cli.live {
        let tenant = cli.tenant.as_ref().ok_or(Error::MissingCredential {
            what: "the tenant",
            hint: "tutorial --live --tenant TENANT_ID (the Directory (tenant) ID on the app's Overview page; or TUTORIAL_TENANT)",
        })?;
        Target::live(tenant, &cli.login_base, &cli.graph_base)?
    } else if let Some(url) = &cli.mock_url {
        Target::classroom(url)?
    } else {
        // A quiet replay of step 3, or the tutorial playing the browser, needs the mock to
        // approve by itself.
        Target::offline(
            cli.deterministic,
            auto || cli.play_browser || only.is_some() || own_request,
        )
        .await?
    };
    let target_flags = match target.kind {
        Kind::OfflineMock => String::new(),
        Kind::Classroom => format!("--mock-url {} ", cli.mock_url.as_deref().unwrap_or("")),
        Kind::Live => format!("--live --tenant {} ", target.tenant),
    };
    let (done, done_notice) = Done::load(&state_dir);
    let (progress, notice) = if target.kind == Kind::OfflineMock {
        // The mock of an earlier run is gone, and what it issued with it.
        (
            Progress::fresh(&state_dir, &target.identity(), cli.flow),
            None,
        )
    } else {
        Progress::load(&state_dir, &target.identity(), cli.flow)
    };

    // Who plays the browser in step 3: the tutorial itself when asked, or against the built-in
    // mock when nobody is there to click (it approves by itself then). Against --mock-url and
    // --live a person signs in, so step 3 waits for the browser.
    let play_browser = cli.play_browser || (target.kind == Kind::OfflineMock && auto);
    let mut ctx = Context {
        options: Options {
            flow: cli.flow,
            no_browser: cli.no_browser,
            play_browser,
            to: cli.to,
            scopes: cli.scopes,
            port: cli.port,
            timeout: Duration::from_secs(cli.timeout),
            client_id: cli.client_id,
            client_secret: cli.client_secret,
            target_flags,
        },
        http: http::Http::new(target.uses_tls())?,
        target,
        show: Printer::new(out, View::for_terminal(cli.show_secrets, cli.full, lang)),
        prompt: Prompt::new(auto, cli.pace),
        random: if cli.deterministic {
            Random::seeded()
        } else {
            Random::system()?
        },
        progress,
        done,
        listener: None,
        step: Step::Register,
        lang,
    };
    for notice in [notice, done_notice].into_iter().flatten() {
        ctx.show.notice(&notice)?;
    }
    let run = match &cli.command {
        Some(Command::Call {
            method,
            path,
            body,
            now,
        }) => {
            let body = read_body(body.as_deref())?;
            let asked = call::Call {
                method,
                path,
                body: body.as_deref(),
            };
            // A deterministic mock's clock stands still: its own answer says when a token
            // has expired, not this machine's clock.
            let now = now.or_else(|| (!cli.deterministic).then(commands::unix_now));
            call::call(&mut ctx, &asked, now).await
        }
        Some(Command::Refresh) => call::refresh_on_demand(&mut ctx).await,
        _ => tutorial::run(&mut ctx, only).await,
    };
    let outcome = match run {
        // Stopping at a pause is a choice: say how to pick up, and end well.
        Err(Error::Stopped { resume }) => {
            ctx.show.blank()?;
            ctx.show
                .say(&lang.ui_with("stopped", &[("command", &resume)]))?;
            ctx.show.flush()?;
            Ok(())
        }
        other => other,
    };
    ctx.show.flush()?;
    // Kept for `tutorial export`, whether the run got to the end or not.
    if let Err(error) = export::save(&state_dir, &ctx.http.recorded()) {
        ctx.show
            .notice(&format!("the run was not saved for export: {error}"))?;
    }
    outcome
}

/// `--body`: the JSON itself, or `@FILE` to read it from a file.
fn read_body(body: Option<&str>) -> Result<Option<String>, Error> {
    match body {
        Some(path) if path.starts_with('@') => std::fs::read_to_string(&path[1..])
            .map(Some)
            .map_err(|e| Error::BadCall {
                what: format!("cannot read the body from {}: {e}", &path[1..]),
            }),
        other => Ok(other.map(str::to_owned)),
    }
}

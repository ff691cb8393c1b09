//! `tutorial`: parse the command line, decide colour, run, turn the outcome into an exit code.
//!
//! This is the one place that writes to stdout and stderr directly: the transcript goes to
//! stdout through a buffer handed to the library; errors go to stderr here.

use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches};

use graph_oauth_tutorial::classroom;
use graph_oauth_tutorial::cli::{Cli, Command};
use graph_oauth_tutorial::lang::Lang;
use graph_oauth_tutorial::show::fit;

fn main() -> ExitCode {
    match graph_mock::runtime() {
        Ok(runtime) => runtime.block_on(tutorial()),
        Err(error) => {
            let _ = writeln!(io::stderr(), "error: no async runtime: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn tutorial() -> ExitCode {
    // Help is wrapped to the same width as the transcript.
    let width = fit::reading_width(fit::terminal_width());
    let parsed = Cli::command()
        .term_width(width)
        .try_get_matches()
        .and_then(|matches| Cli::from_arg_matches(&matches));
    let cli = match parsed {
        Ok(cli) => cli,
        Err(error) => {
            let _ = error.print();
            return if error.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    if let Some(Command::Mock(options)) = cli.command {
        return classroom::serve(options).await;
    }

    colored::control::set_override(colour_wanted());
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let interactive = io::stdin().is_terminal();
    let lang = cli.lang.unwrap_or_else(Lang::from_env);
    let outcome = graph_oauth_tutorial::run(cli, &mut out, interactive).await;
    let flushed = out.flush();
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) if error.is_broken_pipe() => ExitCode::SUCCESS,
        Err(error) => {
            let _ = flushed;
            report(&error.to_string(), lang, width);
            ExitCode::from(error.exit_code())
        }
    }
}

/// `CLICOLOR_FORCE` forces colour; `NO_COLOR` (any non-empty value) turns it off; otherwise
/// colour is on only when stdout is a terminal.
fn colour_wanted() -> bool {
    let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty() && v != "0");
    if set("CLICOLOR_FORCE") {
        return true;
    }
    if set("NO_COLOR") {
        return false;
    }
    io::stdout().is_terminal()
}

#[expect(
    clippy::print_stderr,
    reason = "main.rs is where errors reach the user"
)]
fn report(text: &str, lang: Lang, width: usize) {
    let error = lang.ui("error");
    let hint = lang.ui("try");
    let text = format!("{error} {text}").replace("\n  try: ", &format!("\n  {hint} "));
    for line in text.lines() {
        let lead = line.len() - line.trim_start().len();
        let indent = " ".repeat(lead + 2);
        eprintln!(
            "{}",
            fit::wrap(line.trim_start(), width, &line[..lead], &indent)
        );
    }
}

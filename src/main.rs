//! `tutorial`: parse the command line, run, turn the outcome into an exit code.

use std::process::ExitCode;

use clap::Parser;

mod classroom;
mod cli;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    match cli.command {
        Some(cli::Command::Mock(options)) => classroom::serve(options).await,
        None => {
            #[allow(clippy::print_stderr)]
            {
                eprintln!("the tutorial itself is not written yet\n  try: tutorial mock");
            }
            ExitCode::FAILURE
        }
    }
}

//! Every flag and subcommand, with the help text the user reads.

use std::net::IpAddr;

use clap::{Args, Parser, Subcommand};

/// Learn how an app signs a user in with OAuth 2.0 and calls Microsoft Graph, by doing it.
#[derive(Debug, Parser)]
#[command(name = "tutorial", version)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the offline Microsoft identity platform + Graph mock on its own (for a classroom).
    ///
    /// It prints its URLs, the demo tenant, users and app registration, then serves until
    /// Ctrl-C. Learners point their tutorial at it with `tutorial --mock-url URL`.
    Mock(MockOptions),
}

#[derive(Debug, Args)]
pub struct MockOptions {
    /// The port to listen on.
    #[arg(long, default_value_t = 8400)]
    pub port: u16,

    /// The address to listen on. Anything but a loopback address also needs --allow-remote.
    #[arg(long, default_value = "127.0.0.1")]
    pub host: IpAddr,

    /// Allow listening on a non-loopback address (the mock's secrets are public: anyone who
    /// can reach it can mint tokens it accepts).
    #[arg(long)]
    pub allow_remote: bool,

    /// Skip the sign-in and consent pages: authorize answers 302 with a code for the first
    /// demo user (or the one named by login_hint).
    #[arg(long)]
    pub auto_approve: bool,

    /// Fixed clock and seeded IDs: the same requests get byte-identical answers.
    #[arg(long)]
    pub deterministic: bool,

    /// Do not print a line per request.
    #[arg(long)]
    pub quiet: bool,
}

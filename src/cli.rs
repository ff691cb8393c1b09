//! Every flag and subcommand, with the help text the user reads (`-h` short, `--help` long).

use std::net::IpAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};

use crate::lang::Lang;
use crate::protocol::Flow;
use crate::registration::{ClientId, TenantId};
use crate::target::{LIVE_GRAPH, LIVE_LOGIN};

/// Written to fit 80 columns: clap wraps it no further.
const AFTER_LONG_HELP: &str = "\
EXAMPLES:
    tutorial                      all five steps against the offline mock,
                                  pausing before each request and after each step
    tutorial --yes                the same without pauses (demos, CI, scripts)
    tutorial --yes --pace 3       a presenter's run: 3 s before each request
    tutorial --step 3             only step 3; earlier steps are replayed
                                  quietly against the mock
    tutorial --flow v1            the 2016 article's v1 endpoints, and how they
                                  differ
    tutorial --flow device        the device code flow: sign in elsewhere
    tutorial --full               long values (keys, certificates) shown whole
    tutorial mock --port 8400     run the mock alone, for a classroom
    tutorial --mock-url http://127.0.0.1:8400
    tutorial --live --tenant contoso.onmicrosoft.com --client-id ID
    tutorial progress             which steps and failure lessons are done
    tutorial hint                 a hint for the next one, and the command
    tutorial reset                forget the saved progress
    tutorial break                the failure lessons
    tutorial break wrong-secret   run one
    tutorial exercise             fix-it exercises: a broken request to mend
    tutorial exercise missing-content-type        write one to a file
    tutorial exercise missing-content-type --check    send it to a mock
    tutorial explain AADSTS50011  what an error means and how to fix it
    tutorial explain invalid_grant  an OAuth error value, and its codes
    tutorial decode < token.txt   a token's claims and checks
    tutorial call GET /me         your own Graph request, with the saved token
    tutorial refresh              redeem the refresh token now
    tutorial --scope Mail.ReadWrite --step 2    ask for one more permission
    tutorial --lang zh-CN         the lessons in Simplified Chinese

ENVIRONMENT:
    NO_COLOR                   no colour (also off when stdout is not a terminal)
    COLUMNS                    the width to write to (default: the terminal's,
                               80 when there is none; at most 100 is used)
    LC_ALL, LC_MESSAGES, LANG  the language when --lang is not given
                               (zh_CN.UTF-8: 简体中文)
    TUTORIAL_TENANT            --tenant
    TUTORIAL_CLIENT_ID         --client-id
    TUTORIAL_CLIENT_SECRET     --client-secret (better than the flag: it stays
                               out of shell history)

FILES:
    $XDG_STATE_HOME/graph-oauth-tutorial/progress.json
        (~/.local/state/… on Linux) what each step left for the next (app,
        code, tokens), mode 0600; `tutorial reset` removes it.
    $XDG_STATE_HOME/graph-oauth-tutorial/done.json
        which steps and failure lessons are done (`tutorial progress`), mode
        0600; `tutorial reset` removes it.
    TUTORIAL_STATE_DIR=DIR puts them in DIR instead.";

/// Learn how an app signs a user in with OAuth 2.0 and calls Microsoft Graph, by doing it.
///
/// Five steps, as in the classic "call Microsoft Graph in a Python app" article: register the
/// app, send the browser to the sign-in page, receive the code on the reply URL, redeem it for
/// tokens, call Graph. Each step explains itself, shows the request it is about to send, waits
/// for Enter, and prints the request and response as they went over the wire. By default it
/// runs against an offline mock of the Microsoft identity platform and Graph, started inside
/// the program: nothing leaves this machine.
#[derive(Debug, Parser)]
#[command(name = "tutorial", version, after_long_help = AFTER_LONG_HELP)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,

    /// Run only step N (1 to 5). What it needs from earlier steps comes from the saved
    /// progress; against a mock, anything missing is made by replaying them quietly.
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    pub step: Option<i64>,

    /// Answer every prompt by itself: no pauses, send each request without waiting, and
    /// (against the mock) play the browser's part. Also the behaviour when stdin is not a
    /// terminal.
    #[arg(long, short = 'y', global = true)]
    pub yes: bool,

    /// Which flow: v2 (today's `/oauth2/v2.0/…`, with scopes, PKCE, state, nonce), v1 (the
    /// article's `/oauth2/…` with `resource=https://graph.microsoft.com`) or device (the device
    /// code flow: a public client, the person signs in on another device).
    #[arg(long, value_enum, default_value_t = Flow::V2)]
    pub flow: Flow,

    /// Use a mock started elsewhere (`tutorial mock`), e.g. a classroom server, instead of the
    /// one built in.
    #[arg(long, value_name = "URL", conflicts_with = "live")]
    pub mock_url: Option<String>,

    /// Use the real Microsoft cloud: login.microsoftonline.com and graph.microsoft.com. Every
    /// step's title says so. Needs an app registered in the Azure portal.
    #[arg(long)]
    pub live: bool,

    /// The tenant in the sign-in URLs with --live: the Directory (tenant) ID from the app's
    /// Overview page, or the tenant's domain (`common` works only for a multi-tenant app).
    #[arg(long, env = "TUTORIAL_TENANT", hide_env = true)]
    pub tenant: Option<TenantId>,

    /// The app's client ID with --live (asked for when missing).
    #[arg(long, env = "TUTORIAL_CLIENT_ID", hide_env = true)]
    pub client_id: Option<ClientId>,

    /// The app's client secret with --live (asked for, hidden, when missing).
    #[arg(
        long,
        env = "TUTORIAL_CLIENT_SECRET",
        hide_env = true,
        hide_env_values = true
    )]
    pub client_secret: Option<String>,

    /// The reply URL's port (8000, as in the 2016 article). When it is taken a free port is used, and the
    /// screen says so; 0 always picks a free port.
    #[arg(long, default_value_t = 8000)]
    pub port: u16,

    /// How long step 3 waits for the browser to come back, in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 300)]
    pub timeout: u64,

    /// Do not open the sign-in page in a browser; print the URL to open instead.
    #[arg(long)]
    pub no_browser: bool,

    /// Let the tutorial play the browser in step 3: fetch the authorize URL itself, click
    /// through the mock's sign-in and consent pages (none with `tutorial mock
    /// --auto-approve`) and follow the 302 to the reply URL, so no person signs in. Against
    /// the built-in mock this is what --yes (or no terminal) already does; against --mock-url
    /// a person signs in in a browser unless this flag is given (or p is typed in step 3).
    #[arg(long, conflicts_with = "live")]
    pub play_browser: bool,

    /// With --yes, wait this many seconds before sending each request (e.g. 2.5), so a room
    /// can follow a presenter. Without --yes, Enter sets the pace. [default: no wait]
    #[arg(
        long,
        value_name = "SECONDS",
        value_parser = parse_seconds,
        allow_negative_numbers = true
    )]
    pub pace: Option<Duration>,

    /// Show client secrets, codes, verifiers and tokens in full (masked by default), and
    /// long values whole as with --full. With export: write the secrets the app brought in
    /// full (they stay variables otherwise).
    #[arg(long, global = true)]
    pub show_secrets: bool,

    /// Show long values whole (keys, certificates, long URLs), where the default view
    /// shortens them to fit the screen, as in `MIIDWz… [1,600 chars]`. Secrets stay masked.
    #[arg(long, global = true)]
    pub full: bool,

    /// A scope for step 2 to ask for beyond the tutorial's own, e.g. Mail.ReadWrite (repeat
    /// the flag for more): the consent page lists what is new, and the access token's scp
    /// claim changes (incremental consent).
    #[arg(long = "scope", value_name = "SCOPE", global = true)]
    pub scopes: Vec<String>,

    /// Who step 5's mail goes to (default: the signed-in user).
    #[arg(long, value_name = "ADDRESS")]
    pub to: Option<String>,

    /// The language of the lessons: en or zh-CN (简体中文). Code, URLs, parameter names and
    /// the exchanges themselves are never translated. [default: from LC_ALL, LC_MESSAGES or
    /// LANG; English unless they name Chinese]
    #[arg(long, value_enum, global = true)]
    pub lang: Option<Lang>,

    /// Fixed clock, IDs and random values, for snapshot tests and handouts.
    #[arg(long, hide = true)]
    pub deterministic: bool,

    /// Where progress is saved (see FILES).
    #[arg(long, env = "TUTORIAL_STATE_DIR", hide = true)]
    pub state_dir: Option<PathBuf>,

    /// The sign-in host with --live (tests point it at a stand-in).
    #[arg(long, hide = true, default_value = LIVE_LOGIN)]
    pub login_base: String,

    /// The Graph host with --live (tests point it at a stand-in).
    #[arg(long, hide = true, default_value = LIVE_GRAPH)]
    pub graph_base: String,
}

/// `--pace`: seconds, fractions allowed, from 0 to a minute.
fn parse_seconds(text: &str) -> Result<Duration, String> {
    let wrong = || format!("`{text}` is not a number of seconds from 0 to 60 (e.g. 2.5)");
    let seconds: f64 = text.trim().parse().map_err(|_| wrong())?;
    if !(0.0..=60.0).contains(&seconds) {
        return Err(wrong());
    }
    Duration::try_from_secs_f64(seconds).map_err(|_| wrong())
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the offline Microsoft identity platform + Graph mock on its own (for a classroom).
    ///
    /// It prints its URLs, the demo tenant, users and app registration, then serves until
    /// Ctrl-C. Learners point their tutorial at it with `tutorial --mock-url URL`.
    Mock(MockOptions),

    /// Forget the saved progress (the app, code and tokens of earlier runs, and which steps
    /// and failure lessons are done).
    Reset,

    /// Which of the five steps and which failure lessons are done (✔ or ✘), how many, and
    /// the command to run next.
    ///
    /// A step is done when it ran to its end on screen (against the mock or live); a failure
    /// lesson when its corrected request succeeded. `tutorial reset` forgets it.
    Progress,

    /// A hint for the next thing to do: the first step not done, else the first failure
    /// lesson not done, with the exact command to run.
    Hint,

    /// Failure lessons: the flow with exactly one thing wrong, and how to put it right.
    ///
    /// Without NAME, lists the lessons: the name, one line, and the step where it bites. With
    /// NAME, starts a mock of its own, does quietly what comes before the mistake, sends the
    /// request with the mistake and prints the exchange as it went over the wire (Microsoft's
    /// AADSTS JSON, error page or Graph error body), explains the cause and the fix, then sends
    /// the corrected request and shows it succeed. Example: tutorial break code-redeemed-twice
    Break {
        /// The lesson to run (see the list).
        name: Option<String>,
    },

    /// Fix-it exercises: a request with one mistake, written to a file for you to mend.
    ///
    /// Without NAME, lists them. With NAME, writes NAME.http (to --dir, or beside the progress)
    /// and says what to fix; edit it in any editor. With --check, starts a mock of its own,
    /// prepares quietly what the request needs (a sign-in for a code, tokens), sends the
    /// request as written and says pass, or fail with what the mock answered and a hint.
    /// Example: tutorial exercise missing-content-type --check
    Exercise {
        /// The exercise (see the list).
        name: Option<String>,
        /// Send the edited request to a mock and say whether it is fixed.
        #[arg(long, requires = "name")]
        check: bool,
        /// Write the file anew, over your edits.
        #[arg(long, requires = "name", conflicts_with = "check")]
        fresh: bool,
        /// The folder the exercise files are in [default: exercises/ beside the progress].
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },

    /// Explain an error code offline: its meaning, usual causes, fix, the step where it bites
    /// and the failure lesson that reproduces it.
    ///
    /// CODE may be AADSTS50011, 50011, a Graph code such as ErrorAccessDenied, an OAuth
    /// error value such as invalid_grant, or a whole error JSON, error_description or reply
    /// URL. Without CODE (or with -), the error is read from stdin, as pasted from a real app:
    /// tutorial explain < error.json. A paste is read back field by field (error, AADSTS
    /// code, Trace ID, Correlation ID, timestamp).
    Explain {
        /// The code, or the error text; read from stdin when absent or `-`.
        code: Option<String>,
    },

    /// Send your own Graph request with the saved access token: tutorial call GET /me/messages
    ///
    /// PATH is a Graph v1.0 path (`/me/messages?$top=2`) or a whole Graph URL. A token past its
    /// exp is first renewed with the refresh token, on screen; so is one Graph refuses as
    /// expired. Against the built-in mock, steps 1 to 4 are replayed quietly for the tokens.
    /// Example: tutorial call POST /me/sendMail --body @mail.json
    Call {
        /// GET, POST, PATCH, PUT or DELETE.
        method: String,
        /// The Graph path, e.g. /me or /me/messages.
        path: String,
        /// A JSON body (POST, PATCH, PUT); @FILE reads it from FILE.
        #[arg(long, value_name = "JSON")]
        body: Option<String>,
        /// Check the token's exp against this Unix time instead of the clock (for tests).
        #[arg(long, hide = true)]
        now: Option<i64>,
    },

    /// Redeem the saved refresh token for a new access token, now, and show the exchange
    /// (RFC 6749 §6): a new access token, a new refresh token, and the scp claim.
    Refresh,

    /// Decode a token (a JWT) offline: header, claims with their meanings, the signature
    /// checked, and exp, nbf, iss and aud checked as a resource server checks them.
    ///
    /// TOKEN is the token itself (a leading `Bearer ` is dropped); without it (or with -) it is
    /// read from stdin. The signature is checked against the built-in mock's keys, or against
    /// the key set at --jwks URL (fetched over HTTP). Exit code 0 when every check passes, 1
    /// when one fails, 2 when the text is not a JWT. Example: tutorial decode < token.txt
    Decode {
        /// The token; read from stdin when absent or `-`.
        token: Option<String>,
        /// Check the signature against the JSON Web Key Set at this URL instead (Microsoft's
        /// is at /common/discovery/v2.0/keys on login.microsoftonline.com)
        #[arg(long, value_name = "URL")]
        jwks: Option<String>,
        /// The `aud` the token must carry (default: say whom it is for, and accept it).
        #[arg(long, value_name = "AUD")]
        audience: Option<String>,
        /// Check exp and nbf against this Unix time instead of the clock (for tests).
        #[arg(long, hide = true)]
        now: Option<i64>,
    },

    /// Write every exchange of the last run (`tutorial`, `--step N` or `break NAME`) as a
    /// `.http` file or a curl script that runs as it is against a fresh mock.
    ///
    /// http: JetBrains' HTTP client and httpyac (a script under each request checks its
    /// status and keeps what the server gave); rest-client: VS Code's REST Client (named
    /// requests, the code asked for); curl: a bash script. Values a server gave are read from
    /// the answer that carried them; values the app brought (the client secret, the PKCE
    /// verifier) are left to fill in, or written in full with --show-secrets.
    /// Example: tutorial export --format curl --out run.sh
    Export {
        /// http, rest-client or curl.
        #[arg(long, value_enum, default_value_t = crate::export::Format::Http)]
        format: crate::export::Format,
        /// Write to FILE instead of stdout.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
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

    /// Serve HTTPS with a local certificate authority, made on first use and reused. MSAL
    /// and other strict clients refuse an http:// authority; the mock prints how to trust it.
    #[arg(long)]
    pub tls: bool,

    /// Where the CA and the server certificate are kept [default: the user's data directory].
    #[arg(long, value_name = "DIR", requires = "tls")]
    pub tls_dir: Option<std::path::PathBuf>,

    /// Do not print a line per request.
    #[arg(long)]
    pub quiet: bool,
}

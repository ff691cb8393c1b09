//! The tutorial's errors: what happened, in the learner's words, and what to try next.
//!
//! Each message is one line of what happened and one line starting `try:`. The server's
//! refusal (`Server`), a request that never got an answer (`Request`) and an answer that did
//! not parse (`UnexpectedReply`) are kept apart, as oauth2-rs does, because the learner fixes
//! each in a different place. `main.rs` turns an `Error` into text on stderr and an exit code.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("there is no step {asked}: the steps are 1 to 5\n  try: tutorial --step 1")]
    NoSuchStep { asked: i64 },

    #[error(
        "step {step} needs {what} from step {from}, and none is saved for this target\n  try: tutorial {flags}--step {from}"
    )]
    NeedsEarlierStep {
        step: u8,
        what: &'static str,
        from: u8,
        flags: String,
    },

    #[error(
        "{what} could not be set up: {reason}\n  try: run it again; if it fails again, the system is missing something it needs"
    )]
    Setup { what: &'static str, reason: String },

    #[error(
        "the offline mock did not start: {0}\n  try: tutorial --mock-url URL (a mock started with `tutorial mock`)"
    )]
    MockDidNotStart(std::io::Error),

    #[error("`{value}` is not a usable URL for {what}: {reason}\n  try: {hint}")]
    BadUrl {
        what: &'static str,
        value: String,
        reason: String,
        hint: &'static str,
    },

    #[error("{0}\n  try: copy it again from the app's Overview page in the portal")]
    BadValue(#[from] crate::registration::BadValue),

    #[error("{what} is needed for the live cloud and was not given\n  try: {hint}")]
    MissingCredential {
        what: &'static str,
        hint: &'static str,
    },

    #[error(
        "could not reach {url}: {reason}\n  try: check that the server is running, or run the tutorial without --mock-url / --live"
    )]
    Request { url: String, reason: String },

    #[error("{service} refused the request ({status}): {code}: {description}\n  try: {hint}")]
    Server {
        service: &'static str,
        status: u16,
        code: String,
        description: String,
        hint: &'static str,
    },

    #[error(
        "the reply from {url} was not what {what} should look like: {reason}\n  try: read the response printed above; the server may not speak this protocol"
    )]
    UnexpectedReply {
        url: String,
        what: &'static str,
        reason: String,
    },

    #[error(
        "cannot listen on the reply URL's port {port}: {reason}\n  try: tutorial --port {suggestion}"
    )]
    CannotListen {
        port: u16,
        suggestion: u16,
        reason: String,
    },

    #[error(
        "no redirect reached {redirect_uri} within {seconds} s\n  try: tutorial --step 3 --timeout 600, and finish signing in in the browser"
    )]
    Timeout {
        redirect_uri: crate::registration::RedirectUri,
        seconds: u64,
    },

    #[error(
        "no sign-in finished with the user code within {seconds} s\n  try: tutorial --flow device --step 2 for a new code, then sign in with it"
    )]
    NoDeviceSignIn { seconds: u64 },

    #[error(
        "the verification page answered {status}, and not with the page that says you are signed in\n  try: tutorial --flow device --step 2 for a new code, and sign in in a browser"
    )]
    DevicePageRefused { status: u16 },

    #[error(
        "the state that came back ({got}) is not the one we sent ({sent}); the redirect was refused as a possible CSRF attack\n  try: tutorial --step 2, then sign in from the URL it prints"
    )]
    StateMismatch { sent: String, got: String },

    #[error(
        "the sign-in ended with {error}: {description}\n  try: tutorial {flags}--step 3, open the URL it prints and choose Accept this time"
    )]
    SignInRefused {
        error: String,
        description: String,
        flags: String,
    },

    #[error("the redirect to the reply URL carried no code: {what}\n  try: tutorial --step 2")]
    NoCode { what: String },

    #[error(
        "the authorize endpoint answered {status} with a page, not a redirect: it wants a person to sign in\n  try: leave out --play-browser and sign in in the browser, or start the mock with `tutorial mock --auto-approve`"
    )]
    NeedsBrowser { status: u16 },

    #[error("the token does not decode: {reason}\n  try: tutorial --step 4 to get fresh tokens")]
    BadToken { reason: String },

    /// Not a failure: the learner answered `n` at a pause. The run ends with exit code 0.
    #[error("stopped, as asked\n  try: {resume}")]
    Stopped { resume: String },

    #[error("the prompt failed: {0}\n  try: tutorial --yes")]
    Prompt(String),

    #[error("cannot write the progress file {}: {reason}\n  try: set TUTORIAL_STATE_DIR to a writable directory", path.display())]
    Progress { path: PathBuf, reason: String },

    #[error(
        "`{input}` names no error code\n  try: tutorial explain AADSTS50011, or paste the error JSON: tutorial explain < error.json"
    )]
    NothingToExplain { input: String },

    #[error("{code} {said}\n  try: {lookup}")]
    UnknownErrorCode {
        code: String,
        said: &'static str,
        lookup: String,
    },

    /// One line, as short as it can be: the learner pasted the wrong thing.
    #[error("not a JWT: {reason}")]
    NotAToken { reason: String },

    #[error(
        "the token decoded, but these checks failed: {failed}\n  try: read the ✘ lines above; tutorial refresh gets a fresh access token"
    )]
    TokenNotValid { failed: String },

    #[error(
        "{what}\n  try: tutorial call GET /me/messages, or tutorial call POST /me/sendMail --body '{{…}}'"
    )]
    BadCall { what: String },

    #[error(
        "there is no refresh token to redeem (the sign-in did not ask for offline_access)\n  try: tutorial --step 2 with the tutorial's own scopes"
    )]
    NoRefreshToken,

    #[error("there is no failure lesson called `{name}`\n  try: {suggestion}")]
    NoSuchLesson { name: String, suggestion: String },

    #[error(
        "the lesson `{lesson}` expected {expected}, but the answer was {got}\n  try: tutorial break {lesson} again, and report it if it happens twice"
    )]
    LessonWentAstray {
        lesson: &'static str,
        expected: String,
        got: String,
    },

    #[error("there is no fix-it exercise called `{name}`\n  try: tutorial exercise (lists them)")]
    NoSuchExercise { name: String },

    #[error("there is no {} to check\n  try: tutorial exercise {name} (writes it)", path.display())]
    NoExerciseFile { path: PathBuf, name: &'static str },

    #[error("{} does not read as a request: {at}{reason}\n  try: fix it, or start over with tutorial exercise {name} --fresh", path.display())]
    BadExerciseFile {
        path: PathBuf,
        at: String,
        reason: String,
        name: &'static str,
    },

    #[error("the request in {} does not pass yet\n  try: edit it as the hint says, then tutorial exercise {name} --check", path.display())]
    ExerciseNotYet { path: PathBuf, name: &'static str },

    #[error("there is no run to export yet ({} is missing)\n  try: tutorial --yes, then tutorial export --format curl", path.display())]
    NothingToExport { path: PathBuf },

    #[error("writing the transcript failed: {0}")]
    Output(#[from] std::io::Error),
}

impl Error {
    /// 2 for a usage mistake (like clap's own), 1 for a step that failed.
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::NoSuchStep { .. }
            | Error::BadUrl { .. }
            | Error::BadValue(_)
            | Error::MissingCredential { .. }
            | Error::NothingToExplain { .. }
            | Error::NotAToken { .. }
            | Error::BadCall { .. }
            | Error::NoSuchLesson { .. }
            | Error::NoSuchExercise { .. }
            | Error::NoExerciseFile { .. }
            | Error::BadExerciseFile { .. } => 2,
            _ => 1,
        }
    }

    /// A closed pipe (`tutorial | head`) ends the run quietly.
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, Error::Output(e) if e.kind() == std::io::ErrorKind::BrokenPipe)
    }
}

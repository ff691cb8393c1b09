//! The five steps of the seed, one file each, and what each needs from the ones before.
//!
//! Every step has the same shape: build the request, show it, wait for Enter, send it, print
//! the response, explain it. `tutorial.rs` runs them in order and saves what they leave.

pub mod call_graph;
pub mod receive_code;
pub mod redirect;
pub mod register;
pub mod request_token;

use crate::progress::Saved;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Step {
    Register = 1,
    Redirect = 2,
    ReceiveCode = 3,
    RequestToken = 4,
    CallGraph = 5,
}

impl Step {
    pub const ALL: [Step; 5] = [
        Step::Register,
        Step::Redirect,
        Step::ReceiveCode,
        Step::RequestToken,
        Step::CallGraph,
    ];

    pub fn from_number(number: u8) -> Option<Step> {
        Step::ALL.into_iter().find(|s| s.number() == number)
    }

    pub fn number(self) -> u8 {
        self as u8
    }

    pub fn title(self) -> &'static str {
        match self {
            Step::Register => "register the app",
            Step::Redirect => "send the browser to the sign-in page",
            Step::ReceiveCode => "receive the authorization code",
            Step::RequestToken => "redeem the code for tokens",
            Step::CallGraph => "call Microsoft Graph",
        }
    }

    /// The first thing this step needs that the saved progress lacks: what, and which step
    /// makes it.
    pub fn first_missing(self, saved: &Saved) -> Option<(&'static str, Step)> {
        let needs: &[(&'static str, Step, bool)] = &[
            ("a registered app", Step::Register, saved.app.is_some()),
            (
                "an authorize request",
                Step::Redirect,
                saved.authorization.is_some(),
            ),
            (
                "an authorization code",
                Step::ReceiveCode,
                saved.code.is_some(),
            ),
            ("tokens", Step::RequestToken, saved.tokens.is_some()),
        ];
        let wanted: &[Step] = match self {
            Step::Register => &[],
            Step::Redirect => &[Step::Register],
            Step::ReceiveCode => &[Step::Register, Step::Redirect],
            Step::RequestToken => &[Step::Register, Step::Redirect, Step::ReceiveCode],
            Step::CallGraph => &[Step::RequestToken],
        };
        needs
            .iter()
            .find(|(_, from, present)| wanted.contains(from) && !present)
            .map(|(what, from, _)| (*what, *from))
    }
}

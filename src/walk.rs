//! The walk: the five steps by number and title, and what each needs from the ones before.
//!
//! Apart from the steps' own modules (`steps/`), so that what only names a step (progress,
//! lessons, hints, the run's context) need not depend on how the steps are run.

use crate::lang::Lang;
use crate::progress::Saved;
use crate::protocol::Flow;

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

    /// The title, in `lang` (`labels.md`); the device code flow names its steps 2 to 4 its
    /// own way.
    pub fn title(self, flow: Flow, lang: Lang) -> &'static str {
        let own = (flow == Flow::Device && (2..=4).contains(&self.number()))
            .then(|| lang.ui(&format!("device-step-{}", self.number())));
        own.unwrap_or_else(|| lang.ui(&format!("step-{}", self.number())))
    }

    /// What this step needs that the saved progress lacks, and the earliest step that must
    /// run again to make it (each step needs what the one before it leaves).
    pub fn first_missing(self, saved: &Saved) -> Option<(&'static str, Step)> {
        let device = saved.flow == Flow::Device;
        let (what, present) = match self {
            Step::Register => return None,
            Step::Redirect => ("a registered app", saved.app.is_some()),
            Step::ReceiveCode if device => ("a device code", saved.device.is_some()),
            Step::RequestToken if device => (
                "a device code the user signed in with",
                saved.device.as_ref().is_some_and(|d| d.signed_in) || saved.tokens.is_some(),
            ),
            Step::ReceiveCode => ("an authorize request", saved.authorization.is_some()),
            Step::RequestToken => ("an authorization code", saved.code.is_some()),
            Step::CallGraph => ("tokens", saved.tokens.is_some()),
        };
        if present {
            return None;
        }
        let before = Step::from_number(self.number() - 1)?;
        let from = before.first_missing(saved).map_or(before, |(_, from)| from);
        Some((what, from))
    }
}

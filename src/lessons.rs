//! The lesson texts, embedded in the binary from `lessons/en/`.
//!
//! Content is data, not code: every paragraph a learner reads lives in a Markdown file. A step's
//! file is split at its `## What to notice` heading: the part before is shown before the step
//! runs, the rest after. `parameters.md` and `claims.md` are lists of ``- `name`: meaning`` lines
//! that the step 2 and step 4 tables look their one-liners up in.

use crate::steps::Step;

const WELCOME: &str = include_str!("../lessons/en/0-welcome.md");
const V1: &str = include_str!("../lessons/en/v1.md");
const PORTAL: &str = include_str!("../lessons/en/1-register-portal.md");
const PARAMETERS: &str = include_str!("../lessons/en/parameters.md");
const CLAIMS: &str = include_str!("../lessons/en/claims.md");
const STEPS: [&str; 5] = [
    include_str!("../lessons/en/1-register.md"),
    include_str!("../lessons/en/2-redirect.md"),
    include_str!("../lessons/en/3-receive-code.md"),
    include_str!("../lessons/en/4-request-token.md"),
    include_str!("../lessons/en/5-call-graph.md"),
];

/// Where a step's text splits into "before" and "after".
const AFTER_MARKER: &str = "## What to notice";

pub fn welcome() -> &'static str {
    WELCOME
}

/// How the seed's v1 endpoints differ from v2.0 (shown with `--flow v1`).
pub fn v1() -> &'static str {
    V1
}

/// The portal steps, for `--live`.
pub fn portal() -> &'static str {
    PORTAL
}

fn text(step: Step) -> &'static str {
    STEPS[usize::from(step.number() - 1)]
}

/// What happens now and why.
pub fn before(step: Step) -> &'static str {
    let text = text(step);
    text.find(AFTER_MARKER).map_or(text, |at| &text[..at])
}

/// What to notice, and what the next step does with it.
pub fn after(step: Step) -> &'static str {
    let text = text(step);
    text.find(AFTER_MARKER).map_or("", |at| &text[at..])
}

fn one_liner(list: &'static str, name: &str) -> Option<&'static str> {
    let key = format!("- `{name}`: ");
    list.lines()
        .find_map(|line| line.strip_prefix(key.as_str()))
}

/// One line on why an authorize parameter is there.
pub fn parameter(name: &str) -> Option<&'static str> {
    one_liner(PARAMETERS, name)
}

/// One line on what a token claim means.
pub fn claim(name: &str) -> Option<&'static str> {
    one_liner(CLAIMS, name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_step_has_a_before_and_an_after() {
        for step in Step::ALL {
            assert!(!before(step).trim().is_empty(), "{step:?} before");
            assert!(after(step).starts_with(AFTER_MARKER), "{step:?} after");
        }
    }

    #[test]
    fn every_authorize_parameter_and_key_claim_has_a_one_liner() {
        for name in [
            "client_id",
            "response_type",
            "redirect_uri",
            "scope",
            "state",
            "nonce",
            "code_challenge",
            "code_challenge_method",
        ] {
            assert!(parameter(name).is_some(), "{name}");
        }
        for name in ["aud", "iss", "scp", "exp", "oid", "tid", "nonce"] {
            assert!(claim(name).is_some(), "{name}");
        }
    }
}

//! The lesson texts, embedded in the binary from `lessons/en/` and `lessons/zh-CN/`.
//!
//! Content is data, not code: every paragraph a learner reads lives in a Markdown file. A step's
//! file is split at its first `## ` heading (`## What to notice`): the part before is shown before the step
//! runs, the rest after. `parameters.md` and `claims.md` are lists of ``- `name`: meaning`` lines
//! that the step 2 and step 4 tables look their one-liners up in. `hints.md` has one short
//! `## key` section per step (`step-3`) and per failure lesson (its name), for `tutorial hint`.
//! `v1/` holds the steps whose v1 requests differ (2, 3, 4): with `--flow v1` they replace the
//! v2.0 text, which talks of `state`, `nonce` and PKCE that v1 requests do not carry.
//! `device/` holds the device code flow's steps 1 to 4 (`--flow device`): a public client, the
//! codes, the person signing in elsewhere, the polling.

use crate::both;
use crate::lang::Lang;
use crate::protocol::Flow;
use crate::walk::Step;

const WELCOME: [&str; 2] = both!("0-welcome.md");
const V1: [&str; 2] = both!("v1.md");
const DEVICE: [&str; 2] = both!("device.md");
const PORTAL: [&str; 2] = both!("1-register-portal.md");
const PARAMETERS: [&str; 2] = both!("parameters.md");
const CLAIMS: [&str; 2] = both!("claims.md");
const HINTS: [&str; 2] = both!("hints.md");
const STEPS: [[&str; 2]; 5] = [
    both!("1-register.md"),
    both!("2-redirect.md"),
    both!("3-receive-code.md"),
    both!("4-request-token.md"),
    both!("5-call-graph.md"),
];
/// Steps 1 to 4 of the device code flow.
const DEVICE_STEPS: [[&str; 2]; 4] = [
    both!("device/1-register.md"),
    both!("device/2-ask-for-codes.md"),
    both!("device/3-sign-in-elsewhere.md"),
    both!("device/4-poll.md"),
];
/// Steps 2 to 4 as the v1 flow sends them.
const V1_STEPS: [[&str; 2]; 3] = [
    both!("v1/2-redirect.md"),
    both!("v1/3-receive-code.md"),
    both!("v1/4-request-token.md"),
];

/// A lesson file's `# ` title, if it has one.
pub fn title_of(text: &str) -> Option<&str> {
    text.lines().find_map(|line| line.strip_prefix("# "))
}

/// A lesson file's first line of prose after its title: what a list shows of it.
pub fn summary_of(text: &str) -> &str {
    text.lines()
        .map(str::trim)
        .find(|line| !line.is_empty() && !line.starts_with('#'))
        .unwrap_or("")
}

/// Where a step's text splits into "before" and "after": its first `## ` heading (`## What
/// to notice` in English).
const AFTER_MARKER: &str = "\n## ";

pub fn welcome(lang: Lang) -> &'static str {
    lang.pick(WELCOME)
}

/// How the article's v1 endpoints differ from v2.0 (shown with `--flow v1`).
pub fn v1(lang: Lang) -> &'static str {
    lang.pick(V1)
}

/// What the device code flow is for, and how it differs (shown with `--flow device`).
pub fn device(lang: Lang) -> &'static str {
    lang.pick(DEVICE)
}

/// The portal steps, for `--live`.
pub fn portal(lang: Lang) -> &'static str {
    lang.pick(PORTAL)
}

fn text(lang: Lang, step: Step, flow: Flow) -> &'static str {
    let number = usize::from(step.number());
    let own = match flow {
        Flow::V2 => None,
        Flow::V1 => number.checked_sub(2).and_then(|at| V1_STEPS.get(at)),
        Flow::Device => number.checked_sub(1).and_then(|at| DEVICE_STEPS.get(at)),
    };
    lang.pick(*own.unwrap_or(&STEPS[number - 1]))
}

/// What happens now and why.
pub fn before(lang: Lang, step: Step, flow: Flow) -> &'static str {
    let text = text(lang, step, flow);
    text.find(AFTER_MARKER).map_or(text, |at| &text[..=at])
}

/// What to notice, and what the next step does with it.
pub fn after(lang: Lang, step: Step, flow: Flow) -> &'static str {
    let text = text(lang, step, flow);
    text.find(AFTER_MARKER).map_or("", |at| &text[at + 1..])
}

fn one_liner(lang: Lang, list: [&'static str; 2], name: &str) -> Option<&'static str> {
    let key = format!("- `{name}`: ");
    lang.pick(list)
        .lines()
        .find_map(|line| line.strip_prefix(key.as_str()))
}

/// One line on why an authorize parameter is there.
pub fn parameter(lang: Lang, name: &str) -> Option<&'static str> {
    one_liner(lang, PARAMETERS, name)
}

/// One line on what a token claim means.
pub fn claim(lang: Lang, name: &str) -> Option<&'static str> {
    one_liner(lang, CLAIMS, name)
}

/// The hint for a step (`step-3`) or a failure lesson (its name), from `hints.md`: the text
/// under its `## key` heading, for `tutorial hint`.
pub fn hint(lang: Lang, key: &str) -> Option<&'static str> {
    let text = lang.pick(HINTS);
    let heading = format!("\n## {key}\n");
    let start = text.find(&heading)? + heading.len();
    let rest = &text[start..];
    let end = rest.find("\n## ").map_or(rest.len(), |at| at + 1);
    Some(rest[..end].trim_matches('\n'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_step_has_a_before_and_an_after() {
        for lang in Lang::ALL {
            for flow in [Flow::V2, Flow::V1, Flow::Device] {
                for step in Step::ALL {
                    let before = before(lang, step, flow);
                    assert!(!before.trim().is_empty(), "{step:?} {lang:?} before");
                    let after = after(lang, step, flow);
                    assert!(after.starts_with("## "), "{step:?} {lang:?} after");
                }
            }
        }
    }

    #[test]
    fn every_step_and_failure_lesson_has_a_hint_in_every_language() {
        for lang in Lang::ALL {
            for step in Step::ALL {
                let key = format!("step-{}", step.number());
                assert!(
                    hint(lang, &key).is_some_and(|h| !h.is_empty()),
                    "{key} {lang:?}"
                );
            }
            for lesson in &crate::breaks::LESSONS {
                let hint = hint(lang, lesson.name);
                assert!(
                    hint.is_some_and(|h| !h.is_empty()),
                    "{} {lang:?}",
                    lesson.name
                );
            }
        }
    }

    #[test]
    fn every_authorize_parameter_and_key_claim_has_a_one_liner() {
        for lang in Lang::ALL {
            every_one_liner_in(lang);
        }
    }

    fn every_one_liner_in(lang: Lang) {
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
            assert!(parameter(lang, name).is_some(), "{name} {lang:?}");
        }
        for name in ["aud", "iss", "scp", "exp", "oid", "tid", "nonce"] {
            assert!(claim(lang, name).is_some(), "{name} {lang:?}");
        }
    }
}

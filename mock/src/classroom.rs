//! The instructor's live page: each learner's app, the step it has reached, its last error
//! with what that error means, and counts per step and per error.
//!
//! It is made from what the request log already knows of each request (`log::Seen`): no
//! endpoint reports to it. It lives at `/classroom/{key}`, where the key is random and printed
//! only in the instructor's banner; any other key is "no such page". The page polls
//! `/classroom/{key}/state.json` every second with a script served beside it (no external
//! script, no CDN) and writes every value as text, never as markup. It shows no secret: app
//! names, client-ID prefixes, steps and error codes. Memory is bounded: at most
//! [`MAX_LEARNERS`] apps (the least recently seen is forgotten first) and one count per error
//! code of the mock's own table.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

use hyper::{Method, StatusCode};
use serde_json::{Value, json};

use crate::demo;
use crate::errors::{Aadsts, GraphError};
use crate::log::{Seen, printable};
use crate::reply::{self, Reply};

/// Apps shown at once; a room is far smaller.
const MAX_LEARNERS: usize = 500;
/// Distinct error codes counted; the mock's table has far fewer.
const MAX_ERROR_CODES: usize = 200;
/// The longest app name shown.
const NAME_CHARS: usize = 40;

const STEPS: [&str; 5] = [
    "1 register",
    "2 sign in",
    "3 receive the code",
    "4 redeem it for tokens",
    "5 call Graph",
];

/// The page's settings: its key, and the explanation of each error code (from the tutorial's
/// lessons; the mock's own message stands in where there is none).
#[derive(Clone)]
pub(crate) struct ClassroomPage {
    pub(crate) key: String,
    pub(crate) explanations: Arc<HashMap<String, String>>,
}

impl std::fmt::Debug for ClassroomPage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The key opens the page: it is not printed by accident.
        f.debug_struct("ClassroomPage").finish_non_exhaustive()
    }
}

pub(crate) struct Classroom {
    page: ClassroomPage,
    tally: Mutex<Tally>,
}

#[derive(Default)]
struct Tally {
    learners: HashMap<String, Learner>,
    /// Requests per step, 1 to 5.
    requests: [u64; 5],
    errors: BTreeMap<String, u64>,
    /// Orders learners by when they were last seen, for forgetting the oldest.
    tick: u64,
}

struct Learner {
    name: String,
    step: u8,
    last_error: Option<String>,
    seen_at: String,
    tick: u64,
}

impl Classroom {
    pub(crate) fn new(mut page: ClassroomPage) -> Classroom {
        // Where the tutorial gave no explanation, the mock's own message for the code.
        let mut explanations = (*page.explanations).clone();
        for (code, message) in own_messages() {
            explanations.entry(code).or_insert(message);
        }
        page.explanations = Arc::new(explanations);
        Classroom {
            page,
            tally: Mutex::new(Tally::default()),
        }
    }

    /// Counts one request.
    pub(crate) fn record(&self, seen: &Seen) {
        let Some(step) = step_number(seen) else {
            return;
        };
        let Ok(mut tally) = self.tally.lock() else {
            return;
        };
        tally.tick += 1;
        let tick = tally.tick;
        if let Some(slot) = tally.requests.get_mut(usize::from(step) - 1) {
            *slot += 1;
        }
        let code = seen.code.as_deref().map(|code| printable(code, 40));
        if let Some(code) = &code
            && (tally.errors.len() < MAX_ERROR_CODES || tally.errors.contains_key(code))
        {
            *tally.errors.entry(code.clone()).or_insert(0) += 1;
        }
        // Only registered apps are learners; the portal's requests are everyone's step 1.
        let (Some(client_id), Some(name)) = (&seen.client_id, &seen.app_name) else {
            return;
        };
        if client_id == demo::PORTAL_APP.client_id {
            return;
        }
        if !tally.learners.contains_key(client_id) && tally.learners.len() >= MAX_LEARNERS {
            tally.forget_the_oldest();
        }
        let learner = tally
            .learners
            .entry(client_id.clone())
            .or_insert_with(|| Learner {
                name: printable(name, NAME_CHARS),
                step: 1,
                last_error: None,
                seen_at: String::new(),
                tick,
            });
        learner.step = learner.step.max(step);
        learner.tick = tick;
        learner.seen_at = printable(&seen.time, 8);
        match code {
            Some(code) => learner.last_error = Some(code),
            // Got past it: the last error is no longer what holds this learner up.
            None if seen.status < 400 => learner.last_error = None,
            None => {}
        }
    }

    /// The page, its script and its data; `None` for any other path (then it is "no such
    /// page", like a wrong key).
    pub(crate) fn answer(&self, method: &Method, path: &str) -> Option<Reply> {
        let rest = path.strip_prefix("/classroom/")?;
        let (key, file) = rest.split_once('/').unwrap_or((rest, ""));
        let key_matches = aws_lc_rs::constant_time::verify_slices_are_equal(
            key.as_bytes(),
            self.page.key.as_bytes(),
        )
        .is_ok();
        if !key_matches || method != Method::GET {
            return None;
        }
        let mut answer = match file {
            "" => {
                let key = html_escape::encode_double_quoted_attribute(&self.page.key);
                reply::html(StatusCode::OK, PAGE.replace("{key}", &key))
            }
            "page.js" => {
                let mut script = reply::html(StatusCode::OK, SCRIPT.to_owned());
                reply::set_header(
                    &mut script,
                    "content-type",
                    "text/javascript; charset=utf-8",
                );
                script
            }
            "state.json" => reply::json(StatusCode::OK, &self.state()),
            _ => return None,
        };
        reply::set_header(
            &mut answer,
            "content-security-policy",
            "default-src 'none'; script-src 'self'; connect-src 'self'; \
             style-src 'unsafe-inline'; form-action 'none'; frame-ancestors 'none'; \
             base-uri 'none'",
        );
        reply::set_header(&mut answer, "cache-control", "no-store");
        reply::set_header(&mut answer, "x-content-type-options", "nosniff");
        reply::set_header(&mut answer, "referrer-policy", "no-referrer");
        Some(answer)
    }

    /// What the page shows, as JSON.
    fn state(&self) -> Value {
        let Ok(tally) = self.tally.lock() else {
            return json!({});
        };
        let explain = |code: &str| self.page.explanations.get(code).cloned();
        let mut learners: Vec<(&String, &Learner)> = tally.learners.iter().collect();
        learners.sort_by(|a, b| (&a.1.name, a.0).cmp(&(&b.1.name, b.0)));
        let learners: Vec<Value> = learners
            .into_iter()
            .map(|(client_id, learner)| {
                json!({
                    "app": learner.name,
                    "client": client_id.get(..8).unwrap_or(client_id),
                    "step": learner.step,
                    "error": learner.last_error.as_deref().map(|code| json!({
                        "code": code,
                        "explain": explain(code),
                    })),
                    "seen": learner.seen_at,
                })
            })
            .collect();
        let steps: Vec<Value> = (1u8..=5)
            .zip(STEPS)
            .map(|(number, name)| {
                json!({
                    "step": name,
                    "learners": tally.learners.values().filter(|l| l.step == number).count(),
                    "requests": tally.requests[usize::from(number) - 1],
                })
            })
            .collect();
        let errors: Vec<Value> = tally
            .errors
            .iter()
            .map(|(code, count)| json!({"code": code, "count": count, "explain": explain(code)}))
            .collect();
        json!({"learners": learners, "steps": steps, "errors": errors})
    }
}

impl Tally {
    fn forget_the_oldest(&mut self) {
        let oldest = self
            .learners
            .iter()
            .min_by_key(|(_, learner)| learner.tick)
            .map(|(id, _)| id.clone());
        if let Some(id) = oldest {
            self.learners.remove(&id);
        }
    }
}

/// The step a request shows a learner has reached: a sign-in that ended in a redirect without
/// an error means the code is on its way to the learner's reply URL (step 3).
fn step_number(seen: &Seen) -> Option<u8> {
    let number = seen.step.chars().next()?.to_digit(10)?;
    let number = u8::try_from(number).ok()?;
    let redirected = seen.status == 302 && seen.code.is_none();
    Some(if number == 2 && redirected { 3 } else { number })
}

/// The mock's own message for each code of its table.
fn own_messages() -> Vec<(String, String)> {
    let login = Aadsts::catalogue().into_iter().map(|refusal| {
        let entry = refusal.entry();
        (format!("AADSTS{}", entry.code), entry.message)
    });
    let graph = GraphError::catalogue().into_iter().map(|refusal| {
        let (_, code, message) = refusal.entry();
        (code.to_owned(), message)
    });
    login.chain(graph).collect()
}

const PAGE: &str = include_str!("classroom/page.html");
const SCRIPT: &str = include_str!("classroom/page.js");

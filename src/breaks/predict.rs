//! Predict, then see: before the wrong request of a failure lesson is sent, the learner picks
//! what will come back, from a few answers the identity platform and Graph really give (the
//! refusals of the other lessons nearest in the flow). After the answer, the lesson says
//! whether the guess was right. Only on a terminal: `--yes`, or stdin that is not one, skips it.

use super::{LESSONS, Lesson};
use crate::explain;

/// How many answers the learner chooses from.
pub const CHOICES: usize = 4;

/// One answer the server may give: its HTTP status and the code it carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Answer {
    pub status: u16,
    pub code: &'static str,
}

impl Answer {
    pub fn of(lesson: &Lesson) -> Answer {
        Answer {
            status: lesson.status,
            code: lesson.code,
        }
    }

    /// `401 · AADSTS7000215 (invalid_client)`: the status, the code and, for the identity
    /// platform, the OAuth `error` that comes with it (from the mock's own table).
    pub fn describe(&self) -> String {
        let error = self
            .code
            .starts_with("AADSTS")
            .then(|| {
                explain::mock_table()
                    .into_iter()
                    .find(|row| row.key == self.code)
            })
            .flatten()
            .map(|row| format!(" ({})", row.error))
            .unwrap_or_default();
        format!("{} · {}{error}", self.status, self.code)
    }
}

/// The answers to choose from for `lesson`: its own, and the refusals of the lessons nearest
/// to it in the flow (same step first, and among those the same status first, so the status
/// alone does not give the answer away), each answer once, in the order of their status and
/// code, so the right one is not always in the same place.
pub fn choices(lesson: &Lesson) -> Vec<Answer> {
    let right = Answer::of(lesson);
    let step = i32::from(lesson.step.number());
    let mut others: Vec<((i32, bool, usize), Answer)> = LESSONS
        .iter()
        .enumerate()
        .filter(|(_, other)| other.status != 0)
        .map(|(at, other)| {
            let distance = (i32::from(other.step.number()) - step).abs();
            let other_status = other.status != lesson.status;
            ((distance, other_status, at), Answer::of(other))
        })
        .collect();
    others.sort_by_key(|(nearness, _)| *nearness);
    let mut picked = vec![right];
    for (_, answer) in others {
        if picked.len() == CHOICES {
            break;
        }
        if !picked.contains(&answer) {
            picked.push(answer);
        }
    }
    picked.sort_by_key(|answer| (answer.status, answer.code));
    picked
}

/// Whether the learner predicted a lesson's refusal (for `tutorial progress`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Prediction {
    Right,
    Wrong,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_refusal_is_among_its_own_choices_once_with_three_real_others() {
        let real: Vec<Answer> = LESSONS
            .iter()
            .filter(|l| l.status != 0)
            .map(Answer::of)
            .collect();
        for lesson in LESSONS.iter().filter(|l| l.status != 0) {
            let choices = choices(lesson);

            assert_eq!(choices.len(), CHOICES, "{}", lesson.name);
            let right = choices.iter().filter(|c| **c == Answer::of(lesson)).count();
            assert_eq!(right, 1, "{}", lesson.name);
            for choice in &choices {
                assert!(real.contains(choice), "{}: {choice:?}", lesson.name);
                assert_eq!(choices.iter().filter(|c| *c == choice).count(), 1);
            }
        }
    }

    #[test]
    fn the_right_answer_is_not_always_in_the_same_place() {
        let places: std::collections::BTreeSet<usize> = LESSONS
            .iter()
            .filter(|l| l.status != 0)
            .filter_map(|l| choices(l).iter().position(|c| *c == Answer::of(l)))
            .collect();
        assert!(places.len() >= 3, "{places:?}");
    }

    #[test]
    fn an_answer_names_its_status_its_code_and_its_oauth_error() {
        let answer = Answer {
            status: 401,
            code: "AADSTS7000215",
        };
        assert_eq!(answer.describe(), "401 · AADSTS7000215 (invalid_client)");
        let graph = Answer {
            status: 403,
            code: "ErrorAccessDenied",
        };
        assert_eq!(graph.describe(), "403 · ErrorAccessDenied");
    }
}

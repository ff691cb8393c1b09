//! The failure lessons as data: each lesson's name, the step where its mistake bites, the
//! code and status of the refusal, and its texts in both languages
//! (`lessons/<lang>/breaks/NAME.md`, split at their first `## ` heading: before the mistake,
//! and after it). Which code runs each lesson is `run`'s `match`, in `mod.rs`.

use crate::both;
use crate::error::Error;
use crate::lang::Lang;
use crate::walk::Step;

/// One failure lesson.
pub struct Lesson {
    /// What the learner types: `tutorial break NAME`.
    pub name: &'static str,
    /// The step where this mistake bites.
    pub step: Step,
    /// What the refusal carries: an AADSTS code, a Graph code, or `state` for the app's own check.
    pub code: &'static str,
    /// The HTTP status of the refusal: 302 when it goes back to the reply URL, 400 for an error
    /// page, the JSON error's own status otherwise; 0 when no server refuses (`state`).
    pub status: u16,
    texts: [&'static str; 2],
}

/// Every lesson, in the order of the flow.
pub static LESSONS: [Lesson; 24] = [
    Lesson {
        name: "missing-scope",
        step: Step::Register,
        code: "AADSTS90014",
        status: 400,
        texts: both!("breaks/missing-scope.md"),
    },
    Lesson {
        name: "reply-url-not-registered",
        step: Step::Redirect,
        code: "AADSTS50011",
        status: 400,
        texts: both!("breaks/reply-url-not-registered.md"),
    },
    Lesson {
        name: "single-tenant-on-common",
        step: Step::Redirect,
        code: "AADSTS50194",
        status: 400,
        texts: both!("breaks/single-tenant-on-common.md"),
    },
    Lesson {
        name: "response-type-token",
        step: Step::Redirect,
        code: "AADSTS700051",
        status: 302,
        texts: both!("breaks/response-type-token.md"),
    },
    Lesson {
        name: "response-type-id-token",
        step: Step::Redirect,
        code: "AADSTS700054",
        status: 302,
        texts: both!("breaks/response-type-id-token.md"),
    },
    Lesson {
        name: "admin-consent-required",
        step: Step::ReceiveCode,
        code: "AADSTS90094",
        status: 400,
        texts: both!("breaks/admin-consent-required.md"),
    },
    Lesson {
        name: "user-from-another-tenant",
        step: Step::ReceiveCode,
        code: "AADSTS50020",
        status: 400,
        texts: both!("breaks/user-from-another-tenant.md"),
    },
    Lesson {
        name: "state-tampered",
        step: Step::ReceiveCode,
        code: "state",
        status: 0,
        texts: both!("breaks/state-tampered.md"),
    },
    Lesson {
        name: "reply-url-differs",
        step: Step::RequestToken,
        code: "AADSTS500112",
        status: 401,
        texts: both!("breaks/reply-url-differs.md"),
    },
    Lesson {
        name: "wrong-secret",
        step: Step::RequestToken,
        code: "AADSTS7000215",
        status: 401,
        texts: both!("breaks/wrong-secret.md"),
    },
    Lesson {
        name: "client-secret-expired",
        step: Step::RequestToken,
        code: "AADSTS7000222",
        status: 401,
        texts: both!("breaks/client-secret-expired.md"),
    },
    Lesson {
        name: "public-client-secret",
        step: Step::RequestToken,
        code: "AADSTS700025",
        status: 401,
        texts: both!("breaks/public-client-secret.md"),
    },
    Lesson {
        name: "missing-secret",
        step: Step::RequestToken,
        code: "AADSTS7000218",
        status: 401,
        texts: both!("breaks/missing-secret.md"),
    },
    Lesson {
        name: "code-redeemed-twice",
        step: Step::RequestToken,
        code: "AADSTS54005",
        status: 400,
        texts: both!("breaks/code-redeemed-twice.md"),
    },
    Lesson {
        name: "code-expired",
        step: Step::RequestToken,
        code: "AADSTS70008",
        status: 400,
        texts: both!("breaks/code-expired.md"),
    },
    Lesson {
        name: "pkce-mismatch",
        step: Step::RequestToken,
        code: "AADSTS501481",
        status: 400,
        texts: both!("breaks/pkce-mismatch.md"),
    },
    Lesson {
        name: "code-for-another-tenant",
        step: Step::RequestToken,
        code: "AADSTS700005",
        status: 400,
        texts: both!("breaks/code-for-another-tenant.md"),
    },
    Lesson {
        name: "not-consented",
        step: Step::RequestToken,
        code: "AADSTS65001",
        status: 400,
        texts: both!("breaks/not-consented.md"),
    },
    Lesson {
        name: "resource-on-v2",
        step: Step::RequestToken,
        code: "AADSTS901002",
        status: 400,
        texts: both!("breaks/resource-on-v2.md"),
    },
    Lesson {
        name: "web-code-from-a-page",
        step: Step::RequestToken,
        code: "AADSTS9002326",
        status: 400,
        texts: both!("breaks/web-code-from-a-page.md"),
    },
    Lesson {
        name: "token-altered",
        step: Step::CallGraph,
        code: "InvalidAuthenticationToken",
        status: 401,
        texts: both!("breaks/token-altered.md"),
    },
    Lesson {
        name: "token-expired",
        step: Step::CallGraph,
        code: "InvalidAuthenticationToken",
        status: 401,
        texts: both!("breaks/token-expired.md"),
    },
    Lesson {
        name: "id-token-to-graph",
        step: Step::CallGraph,
        code: "InvalidAuthenticationToken",
        status: 401,
        texts: both!("breaks/id-token-to-graph.md"),
    },
    Lesson {
        name: "no-mail-send",
        step: Step::CallGraph,
        code: "ErrorAccessDenied",
        status: 403,
        texts: both!("breaks/no-mail-send.md"),
    },
];

impl Lesson {
    fn text(&self, lang: Lang) -> &'static str {
        lang.pick(self.texts)
    }

    /// Where the text splits: its first `## ` heading.
    fn split(&self, lang: Lang) -> (&'static str, &'static str) {
        let text = self.text(lang);
        text.find("\n## ")
            .map_or((text, ""), |at| (&text[..at], &text[at + 1..]))
    }

    /// The `# ` title.
    pub fn title(&self, lang: Lang) -> &'static str {
        crate::lessons::title_of(self.text(lang)).unwrap_or(self.name)
    }

    /// The first paragraph after the title: the one line `tutorial break` lists.
    pub fn summary(&self, lang: Lang) -> &'static str {
        crate::lessons::summary_of(self.text(lang))
    }

    /// What is about to go wrong.
    pub fn before(&self, lang: Lang) -> &'static str {
        self.split(lang).0
    }

    /// Why it went wrong, and the fix.
    pub fn after(&self, lang: Lang) -> &'static str {
        self.split(lang).1
    }
}

/// The lesson called `name`; for a name that is none, the nearest one as a suggestion.
pub fn find(name: &str) -> Result<&'static Lesson, Error> {
    if let Some(lesson) = LESSONS.iter().find(|lesson| lesson.name == name) {
        return Ok(lesson);
    }
    let nearest = LESSONS
        .iter()
        .map(|lesson| (edit_distance(name, lesson.name), lesson.name))
        .min();
    let suggestion = match nearest {
        // Close enough to be a slip of the keyboard, not another word.
        Some((distance, nearest)) if distance <= 3.max(name.len() / 3) => {
            format!("tutorial break {nearest} (did you mean it?)")
        }
        _ => "tutorial break (lists them)".to_owned(),
    };
    Err(Error::NoSuchLesson {
        name: name.to_owned(),
        suggestion,
    })
}

/// How many characters must be added, removed or changed to turn `a` into `b` (Levenshtein).
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = if ca == *cb {
                diagonal
            } else {
                1 + diagonal.min(above).min(row[j])
            };
            diagonal = above;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::explain;

    #[test]
    fn every_lesson_has_a_title_a_summary_a_before_and_an_after_in_every_language() {
        for lang in Lang::ALL {
            for lesson in &LESSONS {
                assert_ne!(lesson.title(lang), lesson.name, "{} {lang:?}", lesson.name);
                assert!(!lesson.summary(lang).is_empty(), "{} {lang:?}", lesson.name);
                assert!(
                    lesson.before(lang).contains("# "),
                    "{} {lang:?}",
                    lesson.name
                );
                assert!(
                    lesson.after(lang).starts_with("## "),
                    "{} {lang:?}",
                    lesson.name
                );
            }
        }
    }

    #[test]
    fn every_lesson_an_explanation_names_exists_and_teaches_that_code() {
        for explained in explain::explanations(Lang::En) {
            if let Some(name) = explained.lesson {
                let lesson = find(name).expect("the named lesson exists");
                assert_eq!(lesson.code, explained.key, "{name}");
            }
        }
    }

    #[test]
    fn a_misspelt_lesson_name_gets_the_nearest_one_and_a_stranger_word_the_list() {
        let suggestion = |name: &str| match find(name) {
            Err(Error::NoSuchLesson { suggestion, .. }) => suggestion,
            other => panic!("{name}: {:?}", other.map(|l| l.name)),
        };
        assert_eq!(
            suggestion("wrong-secert"),
            "tutorial break wrong-secret (did you mean it?)"
        );
        assert_eq!(
            suggestion("code-redeemed-twise"),
            "tutorial break code-redeemed-twice (did you mean it?)"
        );
        assert_eq!(suggestion("banana"), "tutorial break (lists them)");
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }

    #[test]
    fn every_coded_lesson_is_explained() {
        for lesson in LESSONS.iter().filter(|l| l.code != "state") {
            assert!(
                explain::explanation(Lang::En, lesson.code).is_some(),
                "{}",
                lesson.name
            );
        }
    }
}

//! `tutorial exercise`: fix-it exercises, as rustlings has them. Each writes a request with one
//! mistake into a `.http` file; the learner edits it in their editor; `--check` sends it to a
//! mock started for the check and says pass, or fail with what the mock answered and a hint.
//!
//! - `request_file`: the `.http` file read back (one request, `{{…}}` for prepared values).
//! - `bench`: the mock, the quiet sign-in that prepares codes and tokens, the sending.
//!
//! The texts live in `lessons/<lang>/exercises/NAME.md`: a `# ` title, a one-line summary
//! (what `tutorial exercise` lists), what to fix, then a `## ` section with the hint that a
//! failed check (and `tutorial hint`) gives.

mod bench;
pub mod request_file;

use std::fs;
use std::path::{Path, PathBuf};

use crate::both;
use crate::done::Done;
use crate::error::Error;
use crate::exchange::Exchange;
use crate::explain;
use crate::lang::Lang;
use crate::protocol::Flow;
use crate::show::Printer;
use crate::state_file;
use crate::walk::Step;

use bench::{Bench, Needs};

/// What counts as fixed.
#[derive(Clone, Copy, Debug)]
enum Pass {
    /// The authorize endpoint's `302`, its `Location` carrying a code.
    RedirectWithCode,
    /// This status.
    Status(u16),
}

/// One exercise.
pub struct Exercise {
    /// What the learner types: `tutorial exercise NAME`.
    pub name: &'static str,
    /// The step of the flow the request belongs to.
    pub step: Step,
    needs: Needs,
    /// The request as written out, with its one mistake.
    broken: &'static str,
    pass: Pass,
    texts: [&'static str; 2],
}

/// Every exercise, in the order of the flow.
pub static EXERCISES: [Exercise; 6] = [
    Exercise {
        name: "wrong-redirect-uri",
        step: Step::Redirect,
        needs: Needs::Nothing,
        broken: "GET {{BASE}}/contoso.onmicrosoft.com/oauth2/v2.0/authorize?client_id=d5349743-219e-4081-a993-259e49c29915&response_type=code&redirect_uri=http%3A%2F%2Flocalhost%3A8000%2Fcallback&scope=openid%20profile%20User.Read&state=exercise\nAccept: text/html\n",
        pass: Pass::RedirectWithCode,
        texts: both!("exercises/wrong-redirect-uri.md"),
    },
    Exercise {
        name: "missing-code-verifier",
        step: Step::RequestToken,
        needs: Needs::Code,
        broken: "POST {{BASE}}/contoso.onmicrosoft.com/oauth2/v2.0/token\nContent-Type: application/x-www-form-urlencoded\n\ngrant_type=authorization_code&client_id=d5349743-219e-4081-a993-259e49c29915&client_secret={{CLIENT_SECRET}}&code={{CODE}}&redirect_uri=http%3A%2F%2Flocalhost%3A8000%2Fconnect%2Fget_token%2F&scope=openid%20profile%20offline_access%20User.Read%20Mail.Send%20Mail.Read\n",
        pass: Pass::Status(200),
        texts: both!("exercises/missing-code-verifier.md"),
    },
    Exercise {
        name: "resource-on-v2",
        step: Step::RequestToken,
        needs: Needs::Code,
        broken: "POST {{BASE}}/contoso.onmicrosoft.com/oauth2/v2.0/token\nContent-Type: application/x-www-form-urlencoded\n\ngrant_type=authorization_code&client_id=d5349743-219e-4081-a993-259e49c29915&client_secret={{CLIENT_SECRET}}&code={{CODE}}&redirect_uri=http%3A%2F%2Flocalhost%3A8000%2Fconnect%2Fget_token%2F&code_verifier={{CODE_VERIFIER}}&resource=https%3A%2F%2Fgraph.microsoft.com\n",
        pass: Pass::Status(200),
        texts: both!("exercises/resource-on-v2.md"),
    },
    Exercise {
        name: "missing-content-type",
        step: Step::RequestToken,
        needs: Needs::Code,
        broken: "POST {{BASE}}/contoso.onmicrosoft.com/oauth2/v2.0/token\n\ngrant_type=authorization_code&client_id=d5349743-219e-4081-a993-259e49c29915&client_secret={{CLIENT_SECRET}}&code={{CODE}}&redirect_uri=http%3A%2F%2Flocalhost%3A8000%2Fconnect%2Fget_token%2F&code_verifier={{CODE_VERIFIER}}&scope=openid%20profile%20offline_access%20User.Read%20Mail.Send%20Mail.Read\n",
        pass: Pass::Status(200),
        texts: both!("exercises/missing-content-type.md"),
    },
    Exercise {
        name: "id-token-as-bearer",
        step: Step::CallGraph,
        needs: Needs::Tokens,
        broken: "GET {{BASE}}/v1.0/me\nAuthorization: Bearer {{ID_TOKEN}}\n",
        pass: Pass::Status(200),
        texts: both!("exercises/id-token-as-bearer.md"),
    },
    Exercise {
        name: "malformed-recipient",
        step: Step::CallGraph,
        needs: Needs::Tokens,
        broken: "POST {{BASE}}/v1.0/me/sendMail\nAuthorization: Bearer {{ACCESS_TOKEN}}\nContent-Type: application/json\n\n{\n  \"message\": {\n    \"subject\": \"A request I fixed myself\",\n    \"body\": {\"contentType\": \"Text\", \"content\": \"Sent from a fix-it exercise.\"},\n    \"toRecipients\": [{\"address\": \"MeganB@contoso.onmicrosoft.com\"}]\n  }\n}\n",
        pass: Pass::Status(202),
        texts: both!("exercises/malformed-recipient.md"),
    },
];

impl Exercise {
    fn text(&self, lang: Lang) -> &'static str {
        lang.pick(self.texts)
    }

    /// The `# ` title.
    pub fn title(&self, lang: Lang) -> &'static str {
        crate::lessons::title_of(self.text(lang)).unwrap_or(self.name)
    }

    /// The first line after the title: what `tutorial exercise` lists.
    pub fn summary(&self, lang: Lang) -> &'static str {
        crate::lessons::summary_of(self.text(lang))
    }

    /// What to fix: the text between the title and the hint.
    pub fn task(&self, lang: Lang) -> &'static str {
        let text = self.text(lang);
        let start = text.find('\n').map_or(text.len(), |at| at + 1);
        let end = text.find("\n## ").unwrap_or(text.len());
        text[start..end.max(start)].trim()
    }

    /// The hint, without its heading: for a failed check and `tutorial hint`.
    pub fn hint(&self, lang: Lang) -> &'static str {
        let text = self.text(lang);
        text.find("\n## ")
            .map(|at| &text[at + 4..])
            .map(|rest| rest.find('\n').map_or("", |at| &rest[at + 1..]))
            .unwrap_or("")
            .trim()
    }

    /// Where its file goes in `dir`.
    pub fn path(&self, dir: &Path) -> PathBuf {
        dir.join(format!("{}.http", self.name))
    }

    /// The file as written out: what to fix as comments, then the broken request.
    fn file(&self, lang: Lang) -> String {
        let mut text = format!(
            "# tutorial exercise {} · {}\n#\n",
            self.name,
            self.title(lang)
        );
        for line in self.task(lang).lines() {
            text.push_str(format!("# {line}").trim_end());
            text.push('\n');
        }
        text.push_str("#\n");
        let values = lang.ui("exercise-file-values");
        let check = lang.ui_with("exercise-file-check", &[("name", self.name)]);
        text.push_str(&format!("# {values}\n# {check}\n"));
        text.push('\n');
        text.push_str(self.broken);
        text
    }

    fn passes(&self, exchange: &Exchange) -> bool {
        let response = &exchange.response;
        match self.pass {
            Pass::Status(status) => response.status == status,
            Pass::RedirectWithCode => {
                response.status == 302
                    && response
                        .header("location")
                        .and_then(|l| url::Url::parse(l).ok())
                        .is_some_and(|l| l.query_pairs().any(|(k, _)| k == "code"))
            }
        }
    }
}

/// The exercise called `name`.
pub fn find(name: &str) -> Result<&'static Exercise, Error> {
    EXERCISES
        .iter()
        .find(|exercise| exercise.name == name)
        .ok_or_else(|| Error::NoSuchExercise {
            name: name.to_owned(),
        })
}

/// Where exercises are written when `--dir` is not given: beside the progress.
pub fn default_dir(state_dir: &Path) -> PathBuf {
    state_dir.join("exercises")
}

/// `tutorial exercise`: every exercise, its step and its one line.
pub fn list(show: &mut Printer<'_>, lang: Lang, done: &Done) -> Result<(), Error> {
    show.heading(lang.ui("exercises-title"))?;
    let width = EXERCISES.iter().map(|e| e.name.len()).max().unwrap_or(0);
    for exercise in &EXERCISES {
        let mark = if done.exercise(exercise.name) {
            "✔"
        } else {
            " "
        };
        let prefix = format!(
            "{mark} {:<width$}  {}  ",
            exercise.name,
            explain::step_name(lang, exercise.step)
        );
        show.item(&prefix, exercise.summary(lang))?;
    }
    show.blank()?;
    show.say(lang.ui("exercises-usage"))?;
    Ok(())
}

/// `tutorial exercise NAME`: writes the broken request (unless the learner's edits are there
/// already and `fresh` is not asked) and says what to fix.
pub fn start(
    exercise: &Exercise,
    dir: &Path,
    fresh: bool,
    lang: Lang,
    show: &mut Printer<'_>,
) -> Result<(), Error> {
    let path = exercise.path(dir);
    let shown = path.display().to_string();
    // The title bar shows no Markdown: a code span loses its backticks there.
    let title = format!(
        "{} · {}",
        exercise.name,
        exercise.title(lang).replace('`', "")
    );
    show.step_title(
        exercise.step.number(),
        exercise.step.title(Flow::V2, lang),
        &title,
    )?;
    show.lesson(exercise.task(lang))?;
    show.blank()?;
    if path.exists() && !fresh {
        show.say(&lang.ui_with("exercise-kept", &[("path", &shown)]))?;
    } else {
        // Written as every file of ours is: whole, 0600, in a folder made 0700.
        state_file::write(&path, exercise.file(lang).as_bytes()).map_err(|e| Error::Progress {
            path: path.clone(),
            reason: e.to_string(),
        })?;
        show.ok(&lang.ui_with("exercise-written", &[("path", &shown)]))?;
    }
    let command = format!("tutorial exercise {} --check", exercise.name);
    show.say(&lang.ui_with("exercise-edit", &[("command", &command)]))?;
    Ok(())
}

/// `tutorial exercise NAME --check`: reads the learner's file, sends it to a mock of its own
/// and says pass (recorded in `done`), or fail with the mock's answer and a hint.
pub async fn check(
    exercise: &'static Exercise,
    dir: &Path,
    lang: Lang,
    deterministic: bool,
    show: &mut Printer<'_>,
    done: &mut Done,
) -> Result<(), Error> {
    let path = exercise.path(dir);
    let bad = |at: String, reason: String| Error::BadExerciseFile {
        path: path.clone(),
        at,
        reason,
        name: exercise.name,
    };
    let text = match fs::metadata(&path) {
        Ok(meta)
            if usize::try_from(meta.len()).map_or(true, |len| len > request_file::MAX_BYTES) =>
        {
            return Err(bad(
                String::new(),
                format!("it is longer than {} bytes", request_file::MAX_BYTES),
            ));
        }
        Ok(_) => fs::read_to_string(&path).map_err(|e| bad(String::new(), e.to_string()))?,
        Err(_) => {
            return Err(Error::NoExerciseFile {
                path: path.clone(),
                name: exercise.name,
            });
        }
    };
    let written =
        request_file::parse(&text).map_err(|e| bad(format!("line {}: ", e.line), e.reason))?;

    let mut bench = Bench::start(deterministic).await?;
    let prepared = bench.prepare(exercise.needs).await?;
    let request = bench
        .build(&written, &prepared)
        .map_err(|reason| bad(String::new(), reason))?;
    let title = format!("{} · {}", exercise.name, lang.ui("exercise-checking"));
    show.step_title(
        exercise.step.number(),
        exercise.step.title(Flow::V2, lang),
        &title,
    )?;
    show.say(lang.ui("exercise-prepared"))?;
    let request = request.prepare();
    show.request(&request.sent)?;
    let exchange = bench.send(request).await?;
    show.response(&exchange)?;
    show.blank()?;
    if exercise.passes(&exchange) {
        let got = format!("{} {}", exchange.response.status, exchange.response.reason);
        show.ok(&lang.ui_with("exercise-pass", &[("got", &got)]))?;
        if let Err(error) = done.finish_exercise(exercise.name) {
            show.notice(&format!("not recorded as done: {error}"))?;
        }
        show.say(lang.ui("more-progress"))?;
        show.flush()?;
        return Ok(());
    }
    let code = crate::breaks::lab::error_code(&exchange);
    let got = match &code {
        Some(code) => format!("{} {code}", exchange.response.status),
        None => exchange.response.status.to_string(),
    };
    show.refused(&lang.ui_with("exercise-fail", &[("got", &got)]))?;
    if let Some(said) = bench::said(&exchange) {
        show.say(&format!("    {said}"))?;
    }
    show.heading(lang.ui("exercise-hint"))?;
    show.lesson(exercise.hint(lang))?;
    if let Some(code) = code.filter(|c| explain::explanation(lang, c).is_some()) {
        show.blank()?;
        show.say(&format!("{} {code}", lang.ui("explain-it")))?;
    }
    show.flush()?;
    Err(Error::ExerciseNotYet {
        path,
        name: exercise.name,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_exercise_has_a_title_a_summary_a_task_and_a_hint_in_every_language() {
        for lang in Lang::ALL {
            for exercise in &EXERCISES {
                assert_ne!(exercise.title(lang), exercise.name, "{}", exercise.name);
                assert!(
                    !exercise.summary(lang).is_empty(),
                    "{} {lang:?}",
                    exercise.name
                );
                assert!(
                    !exercise.task(lang).is_empty(),
                    "{} {lang:?}",
                    exercise.name
                );
                assert!(
                    !exercise.hint(lang).is_empty(),
                    "{} {lang:?}",
                    exercise.name
                );
            }
        }
    }

    #[test]
    fn every_broken_request_reads_back_as_a_request() {
        for exercise in &EXERCISES {
            let written = request_file::parse(&exercise.file(Lang::ZhCn));
            assert!(written.is_ok(), "{}: {written:?}", exercise.name);
        }
    }
}

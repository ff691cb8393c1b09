//! The learner's `.http` file: one request, read back as the editors read it.
//!
//! The format is the one `tutorial export` writes and JetBrains' HTTP client, httpyac and
//! VS Code's REST Client share: comment lines (`#`, `//`) and `@NAME = value` lines first,
//! then the request line (`POST URL`, an `HTTP/1.1` at its end allowed), the headers up to a
//! blank line, and the body up to the end (or a `###` line). `{{NAME}}` stands for a value
//! the check prepares (a code, a token) or one the file itself defines with `@NAME = value`.
//! Anything else is refused with its line number, never guessed at.

use std::collections::BTreeMap;

/// The largest file the check reads: a request is a few hundred bytes.
pub const MAX_BYTES: usize = 64 * 1024;

const METHODS: [&str; 5] = ["GET", "POST", "PUT", "PATCH", "DELETE"];

/// A request as written, its `{{…}}` not yet filled in.
#[derive(Debug, PartialEq, Eq)]
pub struct Written {
    pub method: String,
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: String,
    /// `@NAME = value` lines.
    defined: BTreeMap<String, String>,
}

/// Why the file does not read as a request: the line (from 1) and what is wrong there.
#[derive(Debug, PartialEq, Eq)]
pub struct Unreadable {
    pub line: usize,
    pub reason: String,
}

fn unreadable(line: usize, reason: impl Into<String>) -> Unreadable {
    Unreadable {
        line,
        reason: reason.into(),
    }
}

fn is_comment(line: &str) -> bool {
    let line = line.trim_start();
    line.starts_with('#') || line.starts_with("//")
}

/// Reads the one request of `text`.
pub fn parse(text: &str) -> Result<Written, Unreadable> {
    if text.len() > MAX_BYTES {
        return Err(unreadable(
            1,
            format!("it is longer than {MAX_BYTES} bytes"),
        ));
    }
    let mut lines = text.lines().enumerate().map(|(i, l)| (i + 1, l));
    let mut defined = BTreeMap::new();
    // Before the request: comments, blank lines and `@NAME = value`.
    let (number, request_line) = loop {
        let Some((number, line)) = lines.next() else {
            return Err(unreadable(
                text.lines().count().max(1),
                "there is no request in it (a line such as GET {{BASE}}/v1.0/me)",
            ));
        };
        if line.trim().is_empty() || line.trim() == "###" || is_comment(line) {
            continue;
        }
        if let Some(definition) = line.trim().strip_prefix('@') {
            let (name, value) = definition
                .split_once('=')
                .ok_or_else(|| unreadable(number, "a variable line reads @NAME = value"))?;
            defined.insert(name.trim().to_owned(), value.trim().to_owned());
            continue;
        }
        break (number, line.trim());
    };
    let mut parts = request_line.split_whitespace();
    let method = parts.next().unwrap_or_default().to_owned();
    if !METHODS.contains(&method.as_str()) {
        return Err(unreadable(
            number,
            format!(
                "`{method}` is not a method: the request line starts with {}",
                METHODS.join(", ")
            ),
        ));
    }
    let url = parts
        .next()
        .ok_or_else(|| unreadable(number, "the request line has a method but no URL"))?
        .to_owned();
    match parts.next() {
        None => {}
        Some(version) if version.starts_with("HTTP/") && parts.next().is_none() => {}
        Some(other) => {
            return Err(unreadable(
                number,
                format!("`{other}` after the URL: a URL has no spaces (write %20)"),
            ));
        }
    }
    // Headers, up to the first blank line.
    let mut headers = Vec::new();
    for (number, line) in lines.by_ref() {
        if line.trim().is_empty() {
            break;
        }
        if is_comment(line) {
            continue;
        }
        let (name, value) = line
            .split_once(':')
            .filter(|(name, _)| is_token(name.trim()))
            .ok_or_else(|| {
                unreadable(
                    number,
                    format!(
                        "`{}` is not a header (Name: value), and no blank line comes before a body",
                        line.trim()
                    ),
                )
            })?;
        headers.push((name.trim().to_owned(), value.trim().to_owned()));
    }
    // The body, up to the end or the next request.
    let mut body: Vec<&str> = Vec::new();
    for (_, line) in lines {
        if line.starts_with("###") || line.starts_with("> {%") {
            break;
        }
        body.push(line);
    }
    let body = body.join("\n").trim_end().to_owned();
    Ok(Written {
        method,
        url,
        headers,
        body,
        defined,
    })
}

/// A header name: RFC 9110's token characters.
fn is_token(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c))
}

impl Written {
    /// `text` with every `{{NAME}}` filled from `prepared`, or from the file's own `@NAME`.
    /// A name that is neither is refused, with the names there are.
    pub fn fill(&self, text: &str, prepared: &[(&str, String)]) -> Result<String, String> {
        let mut out = String::new();
        let mut rest = text;
        while let Some(start) = rest.find("{{") {
            out.push_str(&rest[..start]);
            let after = &rest[start + 2..];
            let end = after
                .find("}}")
                .ok_or_else(|| format!("`{{{{` without its `}}}}` in {text}"))?;
            let name = after[..end].trim();
            let value = prepared
                .iter()
                .find(|(known, _)| *known == name)
                .map(|(_, value)| value.clone())
                .or_else(|| {
                    let own = self.defined.get(name)?;
                    // A value the file defines may itself use a prepared one, once.
                    Some(prepared.iter().fold(own.clone(), |v, (k, p)| {
                        v.replace(&format!("{{{{{k}}}}}"), p)
                    }))
                })
                .ok_or_else(|| {
                    let names: Vec<String> = prepared
                        .iter()
                        .map(|(n, _)| format!("{{{{{n}}}}}"))
                        .collect();
                    format!(
                        "{{{{{name}}}}} is not a value the check knows: {}",
                        names.join(", ")
                    )
                })?;
            out.push_str(&value);
            rest = &after[end + 2..];
        }
        out.push_str(rest);
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_with_comments_headers_and_a_body_reads_back() {
        let text = "# fix me\n@NAME = x\n\nPOST {{BASE}}/token HTTP/1.1\nContent-Type: a/b\n# a note\n\nline one\nline two\n\n###\nGET /ignored\n";
        let written = parse(text).expect("it parses");
        assert_eq!(written.method, "POST");
        assert_eq!(written.url, "{{BASE}}/token");
        assert_eq!(
            written.headers,
            vec![("Content-Type".to_owned(), "a/b".to_owned())]
        );
        assert_eq!(written.body, "line one\nline two");
        let filled = written.fill("{{BASE}}-{{NAME}}", &[("BASE", "b".into())]);
        assert_eq!(filled.as_deref(), Ok("b-x"));
    }

    #[test]
    fn what_does_not_read_as_a_request_says_which_line_and_why() {
        let fails = |text: &str| parse(text).expect_err(text);
        assert_eq!(
            fails("# only a comment\n").reason,
            "there is no request in it (a line such as GET {{BASE}}/v1.0/me)"
        );
        assert_eq!(fails("FETCH /x\n").line, 1);
        assert!(fails("\nGET /x y\n").reason.contains("no spaces"));
        let no_blank = fails("POST /x\nContent-Type: a\n{\"a\": 1}\n");
        assert_eq!(no_blank.line, 3);
        assert!(no_blank.reason.contains("not a header"));
        assert!(
            fails(&"#".repeat(MAX_BYTES + 1))
                .reason
                .contains("longer than")
        );
    }

    #[test]
    fn an_unknown_value_is_named_with_the_ones_there_are() {
        let written = parse("GET {{BASE}}/me\n").expect("it parses");
        let refused = written.fill("{{TOKEN}}", &[("BASE", "b".into())]);
        assert_eq!(
            refused,
            Err("{{TOKEN}} is not a value the check knows: {{BASE}}".to_owned())
        );
        assert!(written.fill("{{BASE", &[]).is_err());
    }
}

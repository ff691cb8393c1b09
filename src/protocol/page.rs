//! The form on a sign-in or consent page, read as a browser reads it, so that the tutorial can
//! play the browser against a mock that shows its pages: it submits what a person would by
//! clicking the page's main button, and nothing the page does not ask for.

/// A form to post: where, and the fields a click on its main button sends.
#[derive(Debug, PartialEq, Eq)]
pub struct PageForm {
    pub action: String,
    pub fields: Vec<(String, String)>,
}

/// The first `method="post"` form on `page`: its hidden fields, its checked choices, and the
/// name and value of its main button (`class="primary"`, else the last one).
pub fn post_form(page: &str) -> Option<PageForm> {
    let start = page.find("<form")?;
    let form = &page[start..];
    let form = &form[..form.find("</form>").unwrap_or(form.len())];
    let opening = &form[..form.find('>')?];
    if !attribute(opening, "method").is_some_and(|m| m.eq_ignore_ascii_case("post")) {
        return None;
    }
    let action = attribute(opening, "action")?;
    let mut fields = Vec::new();
    let mut buttons = Vec::new();
    for tag in form.split('<').skip(1) {
        let tag = &tag[..tag.find('>').unwrap_or(tag.len())];
        let (Some(name), value) = (attribute(tag, "name"), attribute(tag, "value")) else {
            continue;
        };
        let value = value.unwrap_or_default();
        if tag.starts_with("input") {
            match attribute(tag, "type").as_deref() {
                Some("hidden") => fields.push((name, value)),
                Some("radio" | "checkbox") if has_word(tag, "checked") => {
                    fields.push((name, value));
                }
                _ => {}
            }
        } else if tag.starts_with("button") {
            let primary = attribute(tag, "class").is_some_and(|c| has_word(&c, "primary"));
            buttons.push((primary, (name, value)));
        }
    }
    let main = buttons
        .iter()
        .position(|(primary, _)| *primary)
        .or(buttons.len().checked_sub(1));
    if let Some(at) = main {
        fields.push(buttons.swap_remove(at).1);
    }
    Some(PageForm { action, fields })
}

/// The value of `name="…"` in a tag, entities decoded.
fn attribute(tag: &str, name: &str) -> Option<String> {
    let key = format!(" {name}=\"");
    let start = tag.find(&key)? + key.len();
    let end = tag[start..].find('"')? + start;
    Some(
        tag[start..end]
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&amp;", "&"),
    )
}

fn has_word(text: &str, word: &str) -> bool {
    text.split(|c: char| !c.is_ascii_alphanumeric())
        .any(|w| w == word)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_main_button_the_hidden_fields_and_the_checked_choice_are_sent() {
        let page = r#"<h1>Pick</h1><form method="post" action="/common/consent">
<input type="hidden" name="flow" value="a&amp;b">
<label><input type="radio" name="user" value="0" checked> Megan</label>
<label><input type="radio" name="user" value="1"> Alex</label>
<input type="text" name="search" value="x">
<button type="submit" name="decision" value="cancel">Cancel</button>
<button type="submit" name="decision" value="accept" class="primary">Accept</button>
</form>"#;
        let form = post_form(page).expect("a form");
        assert_eq!(form.action, "/common/consent");
        let fields: Vec<(&str, &str)> = form
            .fields
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        assert_eq!(
            fields,
            [("flow", "a&b"), ("user", "0"), ("decision", "accept")]
        );
    }

    #[test]
    fn a_page_without_a_post_form_has_none() {
        assert_eq!(post_form("<p>Signed in</p>"), None);
        assert_eq!(post_form(r#"<form method="get" action="/x"></form>"#), None);
    }
}

//! Microsoft Graph: `/v1.0/me`, `/v1.0/me/sendMail`, and the messages they leave behind.
//!
//! Every call carries `Authorization: Bearer <access token>`. Graph checks the signature, the
//! lifetime and the audience, then whether the token grants what this call needs: `User.Read`
//! for the profile, `Mail.Send` to send, `Mail.Read` to read. It does not check the issuer's
//! host, so a token minted through a TLS front works on plain HTTP too.
//!
//! Mail is kept per tenant and app (see `store::Mailbox`): the token's `tid` and `appid` say
//! whose, and only a token this mock signed carries them.

use hyper::StatusCode;
use serde_json::{Map, Value, json};

use crate::clock;
use crate::demo::{self, DemoUser};
use crate::errors::GraphError;
use crate::reply::{self, Reply};
use crate::request::Incoming;
use crate::scopes::{GRAPH_APP_ID, is_graph_resource};
use crate::signer::BadToken;
use crate::state::State;
use crate::store::{Folder, MailRefusal, Mailbox, Message};
use crate::tokens::CheckedClaims;

/// What `/me` may be read with.
const READ_PROFILE: &[&str] = &["User.Read", "User.ReadWrite", "User.ReadBasic.All"];
const SEND_MAIL: &[&str] = &["Mail.Send"];
const READ_MAIL: &[&str] = &["Mail.Read", "Mail.ReadBasic", "Mail.ReadWrite"];
/// The page size of a message list when `$top` is not given, and the most `$top` may ask.
const DEFAULT_PAGE_SIZE: usize = 10;
const MAX_PAGE_SIZE: usize = 1000;
/// Exchange Online's limit on recipients of one message (To, Cc and Bcc together).
pub(crate) const MAX_RECIPIENTS: usize = 500;

/// Checks the bearer token: signed by us, for Graph, within its lifetime.
pub(crate) fn authenticate(req: &Incoming, state: &State) -> Result<CheckedClaims, GraphError> {
    let token = req
        .bearer()
        .filter(|token| !token.is_empty())
        .ok_or(GraphError::EmptyToken)?;
    let claims = state.signer.verify(token).map_err(|bad| match bad {
        BadToken::NoDots => GraphError::MalformedToken,
        BadToken::Invalid => GraphError::InvalidToken,
    })?;
    if claims.aud != GRAPH_APP_ID && !is_graph_resource(&claims.aud) {
        return Err(GraphError::InvalidAudience);
    }
    let now = state.clock.unix();
    if now >= claims.exp || now < claims.nbf {
        return Err(GraphError::ExpiredToken);
    }
    Ok(claims)
}

/// The signed-in user of a delegated token; `/me` means nothing to an app-only token.
fn signed_in_user(claims: &CheckedClaims) -> Result<(usize, &'static DemoUser), GraphError> {
    if claims.idtyp == "app" {
        return Err(GraphError::DelegatedOnly);
    }
    demo::user_with_id(&claims.oid)
        .and_then(|index| Some((index, demo::USERS.get(index)?)))
        .ok_or_else(|| GraphError::ResourceNotFound(claims.oid.clone()))
}

/// `GET /v1.0/me`: the default property set, `id` last, as Graph returns it.
pub(crate) fn me(req: &Incoming, state: &State) -> Result<Reply, GraphError> {
    let claims = authenticate(req, state)?;
    let (_, user) = signed_in_user(&claims)?;
    if !claims.has_scope(READ_PROFILE) {
        return Err(GraphError::InsufficientPrivileges);
    }
    let mut body = json!({
        "@odata.context": format!("{}/v1.0/$metadata#users/$entity", req.base_url()),
        "businessPhones": [user.business_phone],
        "displayName": user.display_name,
        "givenName": user.given_name,
        "jobTitle": user.job_title,
        "mail": user.user_principal_name,
        "mobilePhone": null,
        "officeLocation": user.office_location,
        "preferredLanguage": "en-US",
        "surname": user.surname,
        "userPrincipalName": user.user_principal_name,
        "id": user.id,
    });
    if let Some(select) = req.query().get("$select") {
        body = selected(&req.base_url(), &body, select)?;
    }
    Ok(reply::odata(StatusCode::OK, &body))
}

/// `$select=displayName,mail`: only those properties (matched case-insensitively, written in
/// Graph's spelling), and the context URL names them, as Graph's does.
fn selected(base: &str, profile: &Value, select: &str) -> Result<Value, GraphError> {
    let mut chosen = Map::new();
    let mut names = Vec::new();
    for wanted in select.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        let (name, value) = profile
            .as_object()
            .and_then(|fields| {
                fields
                    .iter()
                    .find(|(name, _)| !name.starts_with('@') && name.eq_ignore_ascii_case(wanted))
            })
            .ok_or_else(|| GraphError::UnknownProperty(wanted.to_owned()))?;
        if chosen.insert(name.clone(), value.clone()).is_none() {
            names.push(name.as_str());
        }
    }
    let mut body = Map::new();
    body.insert(
        "@odata.context".into(),
        format!("{base}/v1.0/$metadata#users({})/$entity", names.join(",")).into(),
    );
    body.extend(chosen);
    Ok(Value::Object(body))
}

/// `GET /oidc/userinfo` (OpenID Connect Core §5.3): who signed in, for a token that carries
/// `openid`. The claims depend on `profile` and `email`, as Microsoft's do.
pub(crate) fn userinfo(req: &Incoming, state: &State) -> Result<Reply, GraphError> {
    let claims = authenticate(req, state)?;
    let (_, user) = signed_in_user(&claims)?;
    if !claims.has_scope(&["openid"]) {
        return Err(GraphError::InsufficientPrivileges);
    }
    let mut body = json!({ "sub": claims.sub });
    if let Some(fields) = body.as_object_mut() {
        if claims.has_scope(&["profile"]) {
            fields.insert("name".into(), user.display_name.into());
            fields.insert("family_name".into(), user.surname.into());
            fields.insert("given_name".into(), user.given_name.into());
        }
        if claims.has_scope(&["email"]) {
            fields.insert("email".into(), user.user_principal_name.into());
        }
    }
    Ok(reply::json(StatusCode::OK, &body))
}

/// `POST /v1.0/me/sendMail`: validate the message, deliver it, answer `202` with no body.
/// Property names are matched case-insensitively: the docs write `message`, the Graph SDK for
/// Python writes `Message`, and real Graph takes both.
pub(crate) fn send_mail(req: &Incoming, state: &State) -> Result<Reply, GraphError> {
    let claims = authenticate(req, state)?;
    let (sender_index, sender) = signed_in_user(&claims)?;
    if !claims.has_scope(SEND_MAIL) {
        return Err(GraphError::AccessDenied);
    }
    let request: Value =
        serde_json::from_slice(&req.body).map_err(|_| GraphError::UnreadableJson)?;
    let message = field(&request, "message").unwrap_or(&Value::Null);
    // The documentation's own sample writes `"false"` as a string; other words are refused.
    let save_to_sent_items = match field(&request, "saveToSentItems") {
        Some(Value::Bool(save)) => *save,
        Some(Value::String(save)) if save.eq_ignore_ascii_case("true") => true,
        Some(Value::String(save)) if save.eq_ignore_ascii_case("false") => false,
        Some(Value::Null) | None => true,
        Some(other) => {
            let literal = other
                .as_str()
                .map_or_else(|| other.to_string(), str::to_owned);
            return Err(GraphError::RequestBodyRead(format!(
                "Cannot convert the literal '{literal}' to the expected type 'Edm.Boolean'."
            )));
        }
    };
    let to = recipients(message, "toRecipients")?;
    let cc = recipients(message, "ccRecipients")?;
    let bcc = recipients(message, "bccRecipients")?;
    if to.is_empty() && cc.is_empty() && bcc.is_empty() {
        return Err(GraphError::InvalidRecipients(
            "A message can't be sent because it contains no recipients.".into(),
        ));
    }
    if to.len() + cc.len() + bcc.len() > MAX_RECIPIENTS {
        return Err(GraphError::InvalidRecipients(format!(
            "The message has more than {MAX_RECIPIENTS} recipients."
        )));
    }

    let now = clock::graph_date_time(state.clock.now());
    let body = field(message, "body");
    let content = body
        .and_then(|b| field(b, "content"))
        .and_then(Value::as_str)
        .unwrap_or_default();
    let content_type = body
        .and_then(|b| field(b, "contentType"))
        .and_then(Value::as_str)
        .unwrap_or("text")
        .to_ascii_lowercase();
    // `itemBody.contentType` is an enum of two: text and html.
    if content_type != "text" && content_type != "html" {
        let sent = body
            .and_then(|b| field(b, "contentType"))
            .and_then(Value::as_str)
            .unwrap_or_default();
        return Err(GraphError::RequestBodyRead(format!(
            "Requested value '{sent}' was not found."
        )));
    }
    let address_of = |user: &DemoUser| json!({"emailAddress": {"name": user.display_name, "address": user.user_principal_name}});
    let stored = |is_read: bool| -> Message {
        let message = json!({
            "@odata.etag": format!("W/\"{}\"", state.ids.token(12)),
            "id": format!("AAMkAG{}", state.ids.token(48)),
            "createdDateTime": now,
            "lastModifiedDateTime": now,
            "receivedDateTime": now,
            "sentDateTime": now,
            "hasAttachments": false,
            "subject": field(message, "subject").and_then(Value::as_str).unwrap_or_default(),
            "bodyPreview": preview(content),
            "importance": "normal",
            "isRead": is_read,
            "isDraft": false,
            "body": {"contentType": content_type, "content": content},
            "sender": address_of(sender),
            "from": address_of(sender),
            "toRecipients": to,
            "ccRecipients": cc,
            "bccRecipients": [],
            "replyTo": [],
            "flag": {"flagStatus": "notFlagged"},
        });
        message.to_string().into()
    };
    let mailbox = |user, folder| Mailbox {
        tenant: claims.tid.to_ascii_lowercase(),
        app: claims.appid.to_ascii_lowercase(),
        user,
        folder,
    };
    // Each mailbox gets one copy, however many times its address is listed.
    let mut recipients: Vec<usize> = to
        .iter()
        .chain(&cc)
        .chain(&bcc)
        .filter_map(address_text)
        .filter_map(demo::user_named)
        .collect();
    recipients.sort_unstable();
    recipients.dedup();
    let mut copies = Vec::with_capacity(recipients.len() + 1);
    if save_to_sent_items {
        copies.push((mailbox(sender_index, Folder::SentItems), stored(true)));
    }
    for index in recipients {
        copies.push((mailbox(index, Folder::Inbox), stored(false)));
    }
    state
        .store
        .deliver(copies)
        .map_err(|refusal| match refusal {
            MailRefusal::TooLarge => GraphError::MessageTooLarge,
            MailRefusal::Full => GraphError::MailStoreFull,
        })?;
    Ok(reply::accepted())
}

/// `GET /v1.0/me/messages` (every folder) or `/v1.0/me/mailFolders/{folder}/messages`.
pub(crate) fn messages(
    req: &Incoming,
    state: &State,
    folder: Option<&str>,
) -> Result<Reply, GraphError> {
    let claims = authenticate(req, state)?;
    let (user_index, user) = signed_in_user(&claims)?;
    if !claims.has_scope(READ_MAIL) {
        return Err(GraphError::AccessDenied);
    }
    let folders: &[Folder] = match folder {
        None => &[Folder::Inbox, Folder::SentItems],
        Some("inbox") => &[Folder::Inbox],
        Some("sentitems") => &[Folder::SentItems],
        Some("drafts" | "deleteditems" | "junkemail" | "archive") => &[],
        // Anything else is neither a well-known name nor an ID of ours: Graph parses an ID
        // before looking it up, so a made-up one is malformed, not missing.
        Some(_) => return Err(GraphError::InvalidIdMalformed),
    };
    let top = req
        .query()
        .get("$top")
        .and_then(|top| top.parse::<usize>().ok())
        .unwrap_or(DEFAULT_PAGE_SIZE)
        .min(MAX_PAGE_SIZE);
    let mailboxes: Vec<Mailbox> = folders
        .iter()
        .map(|&folder| Mailbox {
            tenant: claims.tid.to_ascii_lowercase(),
            app: claims.appid.to_ascii_lowercase(),
            user: user_index,
            folder,
        })
        .collect();
    let page = state.store.messages(&mailboxes, top);
    // The messages are stored as the JSON they are listed as: the page is spliced, not rebuilt.
    let context = json!(format!(
        "{}/v1.0/$metadata#users('{}')/messages",
        req.base_url(),
        user.id
    ));
    let mut body = format!(r#"{{"@odata.context":{context},"value":["#);
    for (n, message) in page.iter().enumerate() {
        if n > 0 {
            body.push(',');
        }
        body.push_str(message);
    }
    body.push_str("]}");
    Ok(reply::odata_text(StatusCode::OK, body))
}

/// A property of a JSON object, its name matched case-insensitively.
fn field<'a>(object: &'a Value, name: &str) -> Option<&'a Value> {
    object.as_object().and_then(|map: &Map<String, Value>| {
        map.iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value)
    })
}

/// A recipient list, each `{"emailAddress":{"address","name"}}` checked to look like mail.
fn recipients(message: &Value, name: &str) -> Result<Vec<Value>, GraphError> {
    let Some(list) = field(message, name) else {
        return Ok(Vec::new());
    };
    let Some(list) = list.as_array() else {
        return Err(GraphError::UnreadableJson);
    };
    list.iter()
        .map(|recipient| {
            let email = field(recipient, "emailAddress");
            let address = email
                .and_then(|e| field(e, "address"))
                .and_then(Value::as_str)
                .unwrap_or_default();
            if !looks_like_mail(address) {
                return Err(GraphError::InvalidRecipients(format!(
                    "Recipient '{address}' is not resolved. All recipients must be resolved before a message can be submitted."
                )));
            }
            let name = email
                .and_then(|e| field(e, "name"))
                .and_then(Value::as_str)
                .unwrap_or(address);
            Ok(json!({"emailAddress": {"name": name, "address": address}}))
        })
        .collect()
}

fn address_text(recipient: &Value) -> Option<&str> {
    recipient["emailAddress"]["address"].as_str()
}

fn looks_like_mail(address: &str) -> bool {
    match address.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !address.contains(char::is_whitespace)
        }
        None => false,
    }
}

/// The first 255 characters of the text, tags stripped, as Graph's `bodyPreview`.
fn preview(content: &str) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for c in content.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .take(255)
        .collect()
}

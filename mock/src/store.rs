//! Everything the mock remembers, behind one lock: registered apps, the IDs of spent codes and
//! sign-in pages, and mailboxes.
//!
//! One `std::sync::Mutex`, never held across an `.await` and only for a few map operations, so
//! "a code is redeemed once" is decided in exactly one place. Spent IDs are forgotten, a minute
//! at a time, once their codes would have expired anyway, and what does not expire is capped, so memory stays bounded
//! however long the mock runs. Codes, sign-in pages and refresh tokens themselves are not here
//! at all: they are sealed (see `codes.rs` and `tokens.rs`).

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};

use aws_lc_rs::constant_time::verify_slices_are_equal;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use url::Url;

use crate::consent::{ConsentKey, Consents};
use crate::demo::{self, DemoApp};
use crate::scopes::Scopes;

/// Registered apps beyond the demo ones. A classroom needs a few hundred.
pub(crate) const MAX_APPS: usize = 10_000;
/// Mail kept in all mailboxes together; past either limit the oldest message goes first.
pub(crate) const MAX_MESSAGES: usize = 20_000;
pub(crate) const MAX_MAIL_BYTES: usize = 64 * 1024 * 1024;
/// Spent IDs are kept in one set per minute of expiry, so a whole minute is forgotten at once.
const BUCKET_SECS: i64 = 60;

/// An app registration.
/// The `signInAudience` of a single-tenant app, the portal's and Graph's default.
pub(crate) const SINGLE_TENANT: &str = "AzureADMyOrg";

#[derive(Clone, Debug)]
pub(crate) struct App {
    pub object_id: String,
    pub client_id: String,
    pub display_name: String,
    /// Reply URLs of the Web platform: a confidential client redeems codes sent here.
    pub web_redirect_uris: Vec<String>,
    /// Reply URLs of "Mobile and desktop": a public client redeems codes sent here.
    pub public_redirect_uris: Vec<String>,
    pub secrets: Vec<Secret>,
    pub delegated_permissions: Vec<String>,
    pub application_permissions: Vec<String>,
    /// The app that registered this one, for `Application.ReadWrite.OwnedBy`.
    pub owner: Option<String>,
    /// Who may sign in: `AzureADMyOrg` (this tenant only, the default), `AzureADMultipleOrgs`,
    /// `AzureADandPersonalMicrosoftAccount` or `PersonalMicrosoftAccount`.
    pub sign_in_audience: String,
}

/// A client secret (a Graph `passwordCredential`).
#[derive(Clone, Debug)]
pub(crate) struct Secret {
    pub text: String,
    pub expires_at: i64,
}

/// Where a reply URL is registered, which decides whether the client must prove itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Platform {
    Web,
    PublicClient,
}

impl App {
    fn from_demo(app: &DemoApp) -> App {
        App {
            object_id: app.object_id.into(),
            client_id: app.client_id.into(),
            display_name: app.display_name.into(),
            web_redirect_uris: app.redirect_uris.iter().map(|s| s.to_string()).collect(),
            public_redirect_uris: Vec::new(),
            secrets: vec![Secret {
                text: app.client_secret.into(),
                expires_at: i64::MAX,
            }],
            delegated_permissions: app
                .delegated_permissions
                .iter()
                .map(|s| s.to_string())
                .collect(),
            application_permissions: app
                .application_permissions
                .iter()
                .map(|s| s.to_string())
                .collect(),
            owner: None,
            sign_in_audience: app.sign_in_audience.into(),
        }
    }

    /// A single-tenant app signs in only on its own tenant's endpoints.
    pub(crate) fn is_single_tenant(&self) -> bool {
        self.sign_in_audience == SINGLE_TENANT
    }

    /// Where `redirect_uri` is registered, if anywhere. Exact string match, except that the
    /// port of a registered `localhost` URL is ignored: Microsoft's redirect-URI rules say
    /// this holds only for `localhost`, so `127.0.0.1` must match its port too. Paths are
    /// case-sensitive.
    pub(crate) fn platform_of(&self, redirect_uri: &str) -> Option<Platform> {
        let matches = |registered: &String| redirect_matches(registered, redirect_uri);
        if self.web_redirect_uris.iter().any(matches) {
            Some(Platform::Web)
        } else if self.public_redirect_uris.iter().any(matches) {
            Some(Platform::PublicClient)
        } else {
            None
        }
    }

    pub(crate) fn has_redirect_uris(&self) -> bool {
        !self.web_redirect_uris.is_empty() || !self.public_redirect_uris.is_empty()
    }

    /// The only registered reply URL, which stands in when a request names none.
    pub(crate) fn single_redirect_uri(&self) -> Option<&str> {
        match (&self.web_redirect_uris[..], &self.public_redirect_uris[..]) {
            ([only], []) | ([], [only]) => Some(only),
            _ => None,
        }
    }

    /// Compares in constant time, so response timing does not leak how much of a guess was right.
    pub(crate) fn secret_matches(&self, offered: &str, now: i64) -> bool {
        self.secrets.iter().any(|secret| {
            secret.expires_at > now
                && verify_slices_are_equal(secret.text.as_bytes(), offered.as_bytes()).is_ok()
        })
    }

    /// Whether `offered` is one of this app's secrets whose end date has passed (Entra says
    /// so, AADSTS7000222, rather than calling the value wrong).
    pub(crate) fn secret_expired(&self, offered: &str, now: i64) -> bool {
        self.secrets.iter().any(|secret| {
            secret.expires_at <= now
                && verify_slices_are_equal(secret.text.as_bytes(), offered.as_bytes()).is_ok()
        })
    }
}

fn redirect_matches(registered: &str, sent: &str) -> bool {
    if registered == sent {
        return true;
    }
    let (Ok(registered), Ok(sent)) = (Url::parse(registered), Url::parse(sent)) else {
        return false;
    };
    registered.host_str() == Some("localhost")
        && registered.scheme() == sent.scheme()
        && registered.host_str() == sent.host_str()
        && registered.path() == sent.path()
        && registered.query() == sent.query()
}

/// What an authorization code stands for: who signed in, for which app, with what promises
/// (PKCE challenge, nonce, reply URL) the token request must keep.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct Grant {
    pub client_id: String,
    pub user: usize,
    pub redirect_uri: String,
    pub scopes: Scopes,
    pub challenge: Option<Challenge>,
    pub nonce: Option<String>,
}

/// A PKCE code challenge (RFC 7636 §4.2).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct Challenge {
    pub value: String,
    pub method: ChallengeMethod,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) enum ChallengeMethod {
    S256,
    Plain,
}

/// An authorize request waiting on the sign-in and consent pages.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct SignIn {
    pub grant: Grant,
    pub app_name: String,
    pub state: Option<String>,
    pub response_mode: String,
    pub client_info: bool,
}

/// A mail message as the mailbox stores it (Graph's JSON shape).
pub(crate) type Message = Value;

/// Whose mail, seen through which app. Each registered app sees its own copy of the demo
/// users' mailboxes, so a classroom of learners who all sign in as the same demo users never
/// reads each other's mail. (In a real tenant a mailbox is shared by every app.)
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) struct Mailbox {
    pub app: String,
    pub user: usize,
    pub folder: Folder,
}

/// The IDs of redeemed codes and finished sign-ins, until they would have expired anyway: a
/// replay must be told "already redeemed", not "unknown". Grouped by the minute they expire
/// in, so forgetting is dropping whole sets (no sweep over every ID), and memory follows the
/// number of IDs still live.
#[derive(Default)]
struct Spent {
    by_minute: VecDeque<(i64, HashSet<u64>)>,
}

impl Spent {
    fn contains(&self, id: u64) -> bool {
        self.by_minute.iter().any(|(_, ids)| ids.contains(&id))
    }

    /// `false` if `id` was already spent.
    fn insert(&mut self, id: u64, expires_at: i64) -> bool {
        if self.contains(id) {
            return false;
        }
        let minute = expires_at.div_euclid(BUCKET_SECS);
        // Lifetimes are all the same, so the newest set is almost always the one.
        if let Some((_, ids)) = self.by_minute.iter_mut().rev().find(|(m, _)| *m == minute) {
            ids.insert(id);
        } else {
            let at = self.by_minute.partition_point(|(m, _)| *m < minute);
            self.by_minute.insert(at, (minute, HashSet::from([id])));
        }
        true
    }

    /// Drops every set whose whole minute is over.
    fn forget_before(&mut self, now: i64) {
        let current = now.div_euclid(BUCKET_SECS);
        while self.by_minute.front().is_some_and(|(m, _)| *m < current) {
            self.by_minute.pop_front();
        }
    }
}

/// Every mailbox, with the oldest message overall known, so memory stays bounded.
#[derive(Default)]
struct Mail {
    boxes: HashMap<Mailbox, VecDeque<(u64, Message)>>,
    /// Every stored message, oldest first: its number, mailbox and size.
    order: VecDeque<(u64, Mailbox, usize)>,
    bytes: usize,
    next: u64,
}

impl Mail {
    fn deliver(&mut self, mailbox: Mailbox, message: Message, size: usize) {
        let number = self.next;
        self.next += 1;
        self.boxes
            .entry(mailbox.clone())
            .or_default()
            .push_front((number, message));
        self.order.push_back((number, mailbox, size));
        self.bytes += size;
        while self.order.len() > MAX_MESSAGES || self.bytes > MAX_MAIL_BYTES {
            let Some((oldest, mailbox, size)) = self.order.pop_front() else {
                break;
            };
            self.bytes -= size;
            if let Some(messages) = self.boxes.get_mut(&mailbox) {
                // Newest first, so a mailbox's oldest message is at its back.
                if messages.back().is_some_and(|(n, _)| *n == oldest) {
                    messages.pop_back();
                }
                if messages.is_empty() {
                    self.boxes.remove(&mailbox);
                }
            }
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Folder {
    Inbox,
    SentItems,
}

pub(crate) struct Store {
    inner: Mutex<Inner>,
}

struct Inner {
    apps: HashMap<String, Arc<App>>,
    object_ids: HashMap<String, String>,
    spent: Spent,
    mail: Mail,
    consents: Consents,
}

impl Store {
    pub(crate) fn with_demo_apps() -> Store {
        let mut inner = Inner {
            apps: HashMap::new(),
            object_ids: HashMap::new(),
            spent: Spent::default(),
            mail: Mail::default(),
            consents: Consents::default(),
        };
        for app in &demo::APPS {
            inner.insert_app(App::from_demo(app));
        }
        Store {
            inner: Mutex::new(inner),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        // A panic while holding the lock cannot leave these maps half-updated in a way that
        // matters more than stopping would, so a poisoned lock is simply taken over.
        self.inner
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub(crate) fn app(&self, client_id: &str) -> Option<Arc<App>> {
        self.lock()
            .apps
            .get(&client_id.to_ascii_lowercase())
            .cloned()
    }

    pub(crate) fn app_by_object_id(&self, object_id: &str) -> Option<Arc<App>> {
        let inner = self.lock();
        let client_id = inner.object_ids.get(&object_id.to_ascii_lowercase())?;
        inner.apps.get(client_id).cloned()
    }

    /// Registers an app; `false` when the directory is full.
    pub(crate) fn register(&self, app: App) -> bool {
        let mut inner = self.lock();
        if inner.apps.len() >= MAX_APPS + demo::APPS.len() {
            return false;
        }
        inner.insert_app(app);
        true
    }

    /// Replaces an app with an updated copy (a new secret).
    pub(crate) fn update(&self, app: App) {
        self.lock().insert_app(app);
    }

    pub(crate) fn is_spent(&self, id: u64) -> bool {
        self.lock().spent.contains(id)
    }

    /// Marks `id` spent until `expires_at`; `false` if it already was.
    pub(crate) fn spend(&self, id: u64, expires_at: i64, now: i64) -> bool {
        let mut inner = self.lock();
        inner.spent.forget_before(now);
        inner.spent.insert(id, expires_at)
    }

    /// Records that the user let the app have `scopes`; returns all they have consented to.
    pub(crate) fn grant_consent(&self, key: ConsentKey, scopes: &Scopes) -> Scopes {
        self.lock().consents.grant(key, scopes)
    }

    /// What the user has consented to for the app, if anything is remembered.
    pub(crate) fn consent(&self, key: &ConsentKey) -> Option<Scopes> {
        self.lock().consents.of(key)
    }

    /// Stores a message; `size` is roughly what it costs in memory.
    pub(crate) fn deliver(&self, mailbox: Mailbox, message: Message, size: usize) {
        self.lock().mail.deliver(mailbox, message, size);
    }

    /// The messages of these folders, newest first.
    pub(crate) fn messages(&self, app: &str, user: usize, folders: &[Folder]) -> Vec<Message> {
        let inner = self.lock();
        let mut all: Vec<&(u64, Message)> = folders
            .iter()
            .filter_map(|&folder| {
                inner.mail.boxes.get(&Mailbox {
                    app: app.to_ascii_lowercase(),
                    user,
                    folder,
                })
            })
            .flatten()
            .collect();
        all.sort_by_key(|(number, _)| std::cmp::Reverse(*number));
        all.into_iter()
            .map(|(_, message)| message.clone())
            .collect()
    }

    #[cfg(test)]
    fn spent_count(&self) -> usize {
        self.lock()
            .spent
            .by_minute
            .iter()
            .map(|(_, ids)| ids.len())
            .sum()
    }
}

impl Inner {
    fn insert_app(&mut self, app: App) {
        let client_id = app.client_id.to_ascii_lowercase();
        self.object_ids
            .insert(app.object_id.to_ascii_lowercase(), client_id.clone());
        self.apps.insert(client_id, Arc::new(app));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_is_spent_once() {
        let store = Store::with_demo_apps();

        let first = store.spend(7, 600, 0);
        let second = store.spend(7, 600, 1);

        assert!(first && !second);
        assert!(store.is_spent(7));
    }

    #[test]
    fn spent_ids_stay_spent_until_their_minute_is_over_whatever_order_they_came_in() {
        let store = Store::with_demo_apps();
        store.spend(1, 1_300, 0);
        store.spend(2, 700, 0);
        store.spend(3, 1_250, 0);

        store.spend(4, 2_000, 719);
        let at_719 = [1, 2, 3].map(|id| store.is_spent(id));
        store.spend(5, 2_000, 720);
        let at_720 = [1, 2, 3].map(|id| store.is_spent(id));

        assert_eq!(
            at_719,
            [true, true, true],
            "the minute 660..720 is not over yet"
        );
        assert_eq!(at_720, [true, false, true], "it is over at 720");
    }

    #[test]
    fn spent_ids_are_forgotten_once_they_would_have_expired() {
        let store = Store::with_demo_apps();
        store.spend(1, 600, 0);

        store.spend(2, 10_000, 5_000);

        assert!(!store.is_spent(1));
        assert_eq!(store.spent_count(), 1);
    }

    #[test]
    fn mail_is_bounded_and_the_oldest_goes_first() {
        let store = Store::with_demo_apps();
        let mailbox = |user| Mailbox {
            app: "app".into(),
            user,
            folder: Folder::SentItems,
        };

        for n in 0..MAX_MESSAGES + 5 {
            store.deliver(mailbox(n % 2), serde_json::json!({ "n": n }), 100);
        }

        let kept = store.messages("app", 0, &[Folder::SentItems]).len()
            + store.messages("app", 1, &[Folder::SentItems]).len();
        let newest = store.messages("app", 0, &[Folder::SentItems]);
        assert_eq!(kept, MAX_MESSAGES);
        assert_eq!(newest[0]["n"], MAX_MESSAGES + 4);
        assert!(store.messages("other", 0, &[Folder::SentItems]).is_empty());
    }

    #[test]
    fn only_localhost_reply_urls_match_on_any_port() {
        let app = App::from_demo(&demo::WEB_APP);

        assert_eq!(
            app.platform_of("http://localhost:53124/connect/get_token/"),
            Some(Platform::Web)
        );
        assert_eq!(
            app.platform_of("http://127.0.0.1:53124/connect/get_token/"),
            None
        );
        assert_eq!(
            app.platform_of("http://127.0.0.1:8000/connect/get_token/"),
            Some(Platform::Web)
        );
        assert_eq!(
            app.platform_of("http://127.0.0.1:8000/connect/get_token"),
            None
        );
        assert_eq!(
            app.platform_of("http://127.0.0.1:8000/Connect/get_token/"),
            None
        );
        assert_eq!(
            app.platform_of("https://127.0.0.1:8000/connect/get_token/"),
            None
        );
    }
}

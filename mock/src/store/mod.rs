//! Everything the mock remembers, one room per concern, each behind its own lock:
//!
//! - `tenants`: the directory: tenants and the apps registered in each, with their quotas.
//! - `apps`: what an app registration holds, and how its reply URLs match.
//! - `spent`: the IDs of redeemed codes and finished sign-ins.
//! - `mail`: mailboxes, bounded per tenant and overall.
//! - consent, per user and app (kept in `consent.rs`).
//!
//! Each lock is a `std::sync::Mutex`, held for a few map operations, never across an `.await`
//! and never two at once, so every read-modify-write (a code spent once, a secret added) is
//! decided in exactly one place. Codes, sign-in pages and refresh tokens themselves are not
//! here at all: they are sealed (see `codes.rs` and `tokens.rs`).

mod apps;
mod mail;
mod spent;
mod tenants;

use std::net::IpAddr;
use std::sync::{Arc, Mutex, MutexGuard};

use crate::consent::{ConsentKey, Consents};
use crate::device::{DeviceFlow, DeviceFlows, DeviceStart, DeviceStatus, DeviceTicket, Poll};
use crate::scopes::Scopes;

pub(crate) use apps::{App, ExposedScope, Platform, SINGLE_TENANT, Secret};
pub(crate) use mail::{Folder, MailRefusal, Mailbox, Message};
pub(crate) use tenants::{AppKey, Quota};

use mail::Mail;
use spent::Spent;
use tenants::Directory;

pub(crate) struct Store {
    directory: Mutex<Directory>,
    spent: Mutex<Spent>,
    consents: Mutex<Consents>,
    /// Device code sign-ins under way (capped).
    devices: Mutex<DeviceFlows>,
    mail: Mutex<Mail>,
}

/// A panic while holding a lock cannot leave these maps half-updated in a way that matters
/// more than stopping would, so a poisoned lock is simply taken over.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Store {
    pub(crate) fn with_demo_apps() -> Store {
        Store {
            directory: Mutex::new(Directory::with_demo_tenant()),
            spent: Mutex::new(Spent::default()),
            consents: Mutex::new(Consents::default()),
            devices: Mutex::new(DeviceFlows::default()),
            mail: Mutex::new(Mail::default()),
        }
    }

    pub(crate) fn has_tenant(&self, tenant: &str) -> bool {
        lock(&self.directory).has_tenant(tenant)
    }

    /// Opens a new, empty tenant for the client at `opened_by` (within its share).
    pub(crate) fn add_tenant(&self, tenant: &str, opened_by: Option<IpAddr>) -> Result<(), Quota> {
        lock(&self.directory).add_tenant(tenant, opened_by)
    }

    /// An app by client ID, whichever tenant it is registered in.
    pub(crate) fn app(&self, client_id: &str) -> Option<Arc<App>> {
        lock(&self.directory).app(client_id)
    }

    /// An app of `tenant`'s directory, by client or object ID.
    pub(crate) fn app_in(&self, tenant: &str, key: AppKey<'_>) -> Option<Arc<App>> {
        lock(&self.directory).app_in(tenant, key)
    }

    /// Registers an app in its tenant, within the quotas.
    pub(crate) fn register(&self, app: App) -> Result<(), Quota> {
        lock(&self.directory).register(app)
    }

    /// Changes an app of `tenant` atomically (see `Directory::modify`).
    pub(crate) fn modify_app<E: From<Quota>>(
        &self,
        tenant: &str,
        key: AppKey<'_>,
        not_found: impl FnOnce() -> E,
        change: impl FnOnce(&mut App) -> Result<(), E>,
    ) -> Result<Arc<App>, E> {
        lock(&self.directory).modify(tenant, key, not_found, change)
    }

    pub(crate) fn is_spent(&self, id: u64) -> bool {
        lock(&self.spent).contains(id)
    }

    /// Marks `id` spent until `expires_at`; `false` if it already was.
    pub(crate) fn spend(&self, id: u64, expires_at: i64, now: i64) -> bool {
        let mut spent = lock(&self.spent);
        spent.forget_before(now);
        spent.insert(id, expires_at)
    }

    /// Records that the user let the app have `scopes`; returns all they have consented to.
    pub(crate) fn grant_consent(&self, key: ConsentKey, scopes: &Scopes) -> Scopes {
        lock(&self.consents).grant(key, scopes)
    }

    /// What the user has consented to for the app, if anything is remembered.
    pub(crate) fn consent(&self, key: &ConsentKey) -> Option<Scopes> {
        lock(&self.consents).of(key)
    }

    /// Opens a device sign-in; `false` if the user code is taken.
    pub(crate) fn start_device_flow(
        &self,
        user_code: String,
        id: u64,
        start: DeviceStart,
        now: i64,
    ) -> bool {
        lock(&self.devices).start(user_code, id, start, now)
    }

    pub(crate) fn pending_device_flow(&self, user_code: &str, now: i64) -> Option<DeviceFlow> {
        lock(&self.devices).pending(user_code, now).cloned()
    }

    pub(crate) fn decide_device_flow(
        &self,
        user_code: &str,
        status: DeviceStatus,
        now: i64,
    ) -> bool {
        lock(&self.devices).decide(user_code, status, now)
    }

    pub(crate) fn poll_device_flow(
        &self,
        ticket: &DeviceTicket,
        client_id: &str,
        now: i64,
    ) -> Poll {
        lock(&self.devices).poll(ticket, client_id, now)
    }

    /// Stores every copy of one message, or none.
    pub(crate) fn deliver(&self, copies: Vec<(Mailbox, Message)>) -> Result<(), MailRefusal> {
        lock(&self.mail).deliver(copies)
    }

    /// The newest `top` messages of these mailboxes (all of one tenant), newest first.
    pub(crate) fn messages(&self, mailboxes: &[Mailbox], top: usize) -> Vec<Message> {
        lock(&self.mail).newest(mailboxes, top)
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
        assert_eq!(lock(&store.spent).len(), 1);
    }

    fn mailbox(tenant: &str, user: usize) -> Mailbox {
        Mailbox {
            tenant: tenant.into(),
            app: "app".into(),
            user,
            folder: Folder::SentItems,
        }
    }

    fn message(n: usize) -> Message {
        Arc::from(format!(r#"{{"n":{n}}}"#))
    }

    #[test]
    fn a_tenants_mail_is_bounded_and_its_own_oldest_goes_first() {
        let store = Store::with_demo_apps();
        store
            .deliver(vec![(mailbox("other", 0), message(0))])
            .expect("room");

        for n in 0..mail::MAX_TENANT_MESSAGES + 5 {
            store
                .deliver(vec![(mailbox("busy", n % 2), message(n))])
                .expect("room");
        }

        let both = [mailbox("busy", 0), mailbox("busy", 1)];
        let kept = store.messages(&both, usize::MAX);
        assert_eq!(kept.len(), mail::MAX_TENANT_MESSAGES);
        assert_eq!(
            &*kept[0],
            format!(r#"{{"n":{}}}"#, mail::MAX_TENANT_MESSAGES + 4)
        );
        assert_eq!(
            store.messages(&[mailbox("other", 0)], 10).len(),
            1,
            "another tenant's mail is never evicted"
        );
    }

    #[test]
    fn the_newest_messages_of_two_folders_interleave_and_only_the_page_is_taken() {
        let store = Store::with_demo_apps();
        let inbox = Mailbox {
            folder: Folder::Inbox,
            ..mailbox("t", 0)
        };
        for n in 0..6 {
            let to = if n % 2 == 0 { &inbox } else { &mailbox("t", 0) };
            store.deliver(vec![(to.clone(), message(n))]).expect("room");
        }

        let page = store.messages(&[inbox, mailbox("t", 0)], 3);

        let numbers: Vec<&str> = page.iter().map(|m| &**m).collect();
        assert_eq!(numbers, [r#"{"n":5}"#, r#"{"n":4}"#, r#"{"n":3}"#]);
    }

    #[test]
    fn mail_is_counted_in_the_bytes_it_takes() {
        let store = Store::with_demo_apps();
        let text: Message = Arc::from("x".repeat(10_000));

        store.deliver(vec![(mailbox("t", 0), text)]).expect("room");

        let bytes = lock(&store.mail).bytes();
        assert!((10_000..10_500).contains(&bytes), "{bytes}");
    }

    #[test]
    fn a_message_too_large_is_refused_whole() {
        let store = Store::with_demo_apps();
        let huge: Message = Arc::from("x".repeat(mail::MAX_MESSAGE_BYTES + 1));

        let refused = store.deliver(vec![(mailbox("t", 0), huge)]);

        assert_eq!(refused, Err(MailRefusal::TooLarge));
        assert!(store.messages(&[mailbox("t", 0)], 10).is_empty());
    }
}

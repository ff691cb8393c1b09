//! Mailboxes: each message stored once per mailbox as the JSON Graph answers with, counted in
//! the bytes it really takes.
//!
//! Each tenant has its own share: past it, the tenant's own oldest messages make room. Past the
//! mock's overall cap, new mail is refused; nothing of another tenant is ever evicted.

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;

/// A message as stored: the JSON object Graph lists it as, already serialised.
pub(crate) type Message = Arc<str>;

/// One message may weigh this much as stored (a mock-only limit; Graph's is 4 MB per request,
/// and the mock reads at most 1 MiB).
pub(crate) const MAX_MESSAGE_BYTES: usize = 256 * 1024;
/// One tenant's mail, all mailboxes together; past either, its oldest message goes first.
pub(crate) const MAX_TENANT_MAIL_BYTES: usize = 2 * 1024 * 1024;
pub(crate) const MAX_TENANT_MESSAGES: usize = 1_000;
/// All tenants' mail together; past it, new mail is refused.
pub(crate) const MAX_MAIL_BYTES: usize = 128 * 1024 * 1024;
/// What keeping a message costs beyond its text: its entries in the mailbox and the order.
const MESSAGE_OVERHEAD: usize = 160;

/// Whose mail, seen through which app. Each registered app sees its own copy of its tenant's
/// users' mailboxes (in a real tenant a mailbox is shared by every app).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) struct Mailbox {
    pub tenant: String,
    pub app: String,
    pub user: usize,
    pub folder: Folder,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Folder {
    Inbox,
    SentItems,
}

/// Why mail was not delivered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum MailRefusal {
    /// One message is larger than a message may be.
    TooLarge,
    /// The mock holds all the mail it may.
    Full,
}

#[derive(Default)]
struct TenantMail {
    boxes: HashMap<Mailbox, VecDeque<(u64, Message)>>,
    /// This tenant's messages, oldest first: number, mailbox, cost.
    order: VecDeque<(u64, Mailbox, usize)>,
    bytes: usize,
}

impl TenantMail {
    fn evict_oldest(&mut self) -> usize {
        let Some((oldest, mailbox, cost)) = self.order.pop_front() else {
            return 0;
        };
        self.bytes -= cost;
        if let Some(messages) = self.boxes.get_mut(&mailbox) {
            // Newest first, so a mailbox's oldest message is at its back.
            if messages.back().is_some_and(|(n, _)| *n == oldest) {
                messages.pop_back();
            }
            if messages.is_empty() {
                self.boxes.remove(&mailbox);
            }
        }
        cost
    }
}

#[derive(Default)]
pub(super) struct Mail {
    tenants: HashMap<String, TenantMail>,
    bytes: usize,
    next: u64,
}

impl Mail {
    /// Stores every copy of one message (the sender's and each recipient's), all in one
    /// tenant, or none of them.
    pub(super) fn deliver(&mut self, copies: Vec<(Mailbox, Message)>) -> Result<(), MailRefusal> {
        let Some(tenant) = copies.first().map(|(mailbox, _)| mailbox.tenant.clone()) else {
            return Ok(());
        };
        let cost = |message: &Message| message.len() + MESSAGE_OVERHEAD;
        if copies
            .iter()
            .any(|(_, message)| message.len() > MAX_MESSAGE_BYTES)
        {
            return Err(MailRefusal::TooLarge);
        }
        let adding: usize = copies.iter().map(|(_, message)| cost(message)).sum();
        let held = self.tenants.get(&tenant).map_or(0, |mail| mail.bytes);
        // What the tenant's own oldest mail will give back to make room for this.
        let freed = (held + adding)
            .saturating_sub(MAX_TENANT_MAIL_BYTES)
            .min(held);
        if self.bytes + adding - freed > MAX_MAIL_BYTES {
            return Err(MailRefusal::Full);
        }
        let mail = self.tenants.entry(tenant).or_default();
        for (mailbox, message) in copies {
            let number = self.next;
            self.next += 1;
            let size = cost(&message);
            mail.boxes
                .entry(mailbox.clone())
                .or_default()
                .push_front((number, message));
            mail.order.push_back((number, mailbox, size));
            mail.bytes += size;
            self.bytes += size;
        }
        while mail.order.len() > MAX_TENANT_MESSAGES || mail.bytes > MAX_TENANT_MAIL_BYTES {
            let freed = mail.evict_oldest();
            if freed == 0 {
                break;
            }
            self.bytes -= freed;
        }
        Ok(())
    }

    /// The newest `top` messages of these mailboxes, newest first. Only those are copied (and
    /// a copy is a reference count): listing a full mailbox costs what the page holds.
    pub(super) fn newest(&self, mailboxes: &[Mailbox], top: usize) -> Vec<Message> {
        let Some(first) = mailboxes.first() else {
            return Vec::new();
        };
        let Some(mail) = self.tenants.get(&first.tenant) else {
            return Vec::new();
        };
        let mut lists: Vec<std::collections::vec_deque::Iter<'_, (u64, Message)>> = mailboxes
            .iter()
            .filter_map(|mailbox| mail.boxes.get(mailbox))
            .map(|messages| messages.iter())
            .collect();
        let mut heads: Vec<Option<&(u64, Message)>> =
            lists.iter_mut().map(Iterator::next).collect();
        let mut page = Vec::with_capacity(top.min(64));
        while page.len() < top {
            // Each list is newest first: the page takes the newest of their heads.
            let Some(pick) = (0..heads.len())
                .filter(|&i| heads[i].is_some())
                .max_by_key(|&i| heads[i].map(|(number, _)| *number))
            else {
                break;
            };
            if let Some((_, message)) = heads[pick] {
                page.push(Arc::clone(message));
            }
            heads[pick] = lists[pick].next();
        }
        page
    }

    #[cfg(test)]
    pub(super) fn bytes(&self) -> usize {
        self.bytes
    }
}

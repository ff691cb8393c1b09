//! Device code sign-ins waiting for their user (RFC 8628 as Entra does it).
//!
//! The app asks `/devicecode` for a pair of codes: the `device_code` it polls the token endpoint
//! with, and the short `user_code` a person types on the verification page, on another device.
//! Unlike a code flow, the two halves meet only here, so this state is kept (bounded, and
//! forgotten once expired): pending until the user accepts or cancels, then redeemed once.

use std::collections::{HashMap, VecDeque};

use serde::{Deserialize, Serialize};

use crate::scopes::Scopes;

/// Device sign-ins open at once; past this the oldest is forgotten.
pub(crate) const MAX_DEVICE_FLOWS: usize = 10_000;
/// Entra: "the user has 15 minutes to sign in".
pub(crate) const DEVICE_CODE_LIFETIME_SECS: i64 = 900;
/// Seconds the app must wait between polls.
pub(crate) const POLL_INTERVAL_SECS: i64 = 5;

/// What the `device_code` carries, sealed: which sign-in it polls for.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct DeviceTicket {
    pub user_code: String,
    pub id: u64,
}

/// One device sign-in.
#[derive(Clone, Debug)]
pub(crate) struct DeviceFlow {
    pub id: u64,
    pub client_id: String,
    pub app_name: String,
    pub scopes: Scopes,
    pub expires_at: i64,
    pub status: DeviceStatus,
    last_poll: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum DeviceStatus {
    Pending,
    /// The user accepted: who, and everything they have consented to for the app.
    Approved {
        user: usize,
        scopes: Scopes,
    },
    Declined,
    Redeemed,
}

/// What a poll finds.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Poll {
    Pending,
    SlowDown,
    Expired,
    Declined,
    Approved {
        user: usize,
        scopes: Scopes,
    },
    /// No such sign-in (never issued, redeemed, or forgotten), or not this app's.
    Unknown,
}

#[derive(Default)]
pub(crate) struct DeviceFlows {
    by_user_code: HashMap<String, DeviceFlow>,
    /// User codes oldest first: every flow lives as long, so this is expiry order too.
    order: VecDeque<String>,
}

impl DeviceFlows {
    pub(crate) fn start(
        &mut self,
        user_code: String,
        id: u64,
        start: DeviceStart,
        now: i64,
    ) -> bool {
        self.forget_expired(now);
        if self.by_user_code.contains_key(&user_code) {
            return false;
        }
        while self.by_user_code.len() >= MAX_DEVICE_FLOWS {
            let Some(oldest) = self.order.pop_front() else {
                break;
            };
            self.by_user_code.remove(&oldest);
        }
        self.order.push_back(user_code.clone());
        self.by_user_code.insert(
            user_code,
            DeviceFlow {
                id,
                client_id: start.client_id,
                app_name: start.app_name,
                scopes: start.scopes,
                expires_at: now + DEVICE_CODE_LIFETIME_SECS,
                status: DeviceStatus::Pending,
                last_poll: None,
            },
        );
        true
    }

    /// The pending sign-in a person typed the code of, if it is still open.
    pub(crate) fn pending(&self, user_code: &str, now: i64) -> Option<&DeviceFlow> {
        self.by_user_code
            .get(user_code)
            .filter(|flow| flow.status == DeviceStatus::Pending && flow.expires_at > now)
    }

    /// The user's answer on the verification page; `false` if the sign-in is no longer open.
    pub(crate) fn decide(&mut self, user_code: &str, status: DeviceStatus, now: i64) -> bool {
        match self.by_user_code.get_mut(user_code) {
            Some(flow) if flow.status == DeviceStatus::Pending && flow.expires_at > now => {
                flow.status = status;
                true
            }
            _ => false,
        }
    }

    /// The app polls. An approved sign-in is redeemed exactly once.
    pub(crate) fn poll(&mut self, ticket: &DeviceTicket, client_id: &str, now: i64) -> Poll {
        let Some(flow) = self.by_user_code.get_mut(&ticket.user_code) else {
            return Poll::Unknown;
        };
        if flow.id != ticket.id || !flow.client_id.eq_ignore_ascii_case(client_id) {
            return Poll::Unknown;
        }
        if flow.expires_at <= now {
            return Poll::Expired;
        }
        let too_soon = flow
            .last_poll
            .is_some_and(|last| now - last < POLL_INTERVAL_SECS);
        flow.last_poll = Some(now);
        match &flow.status {
            DeviceStatus::Pending if too_soon => Poll::SlowDown,
            DeviceStatus::Pending => Poll::Pending,
            DeviceStatus::Declined => Poll::Declined,
            DeviceStatus::Redeemed => Poll::Unknown,
            DeviceStatus::Approved { user, scopes } => {
                let answer = Poll::Approved {
                    user: *user,
                    scopes: scopes.clone(),
                };
                flow.status = DeviceStatus::Redeemed;
                answer
            }
        }
    }

    fn forget_expired(&mut self, now: i64) {
        while let Some(oldest) = self.order.front() {
            match self.by_user_code.get(oldest) {
                Some(flow) if flow.expires_at > now => break,
                _ => {
                    if let Some(oldest) = self.order.pop_front() {
                        self.by_user_code.remove(&oldest);
                    }
                }
            }
        }
    }
}

/// What `/devicecode` asked for.
pub(crate) struct DeviceStart {
    pub client_id: String,
    pub app_name: String,
    pub scopes: Scopes,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn start(flows: &mut DeviceFlows, code: &str, now: i64) -> DeviceTicket {
        let started = flows.start(
            code.into(),
            7,
            DeviceStart {
                client_id: "app".into(),
                app_name: "App".into(),
                scopes: Scopes::default(),
            },
            now,
        );
        assert!(started);
        DeviceTicket {
            user_code: code.into(),
            id: 7,
        }
    }

    #[test]
    fn a_poll_is_pending_then_slow_when_early_then_approved_once() {
        let mut flows = DeviceFlows::default();
        let ticket = start(&mut flows, "ABCD2345", 0);

        let first = flows.poll(&ticket, "APP", 0);
        let early = flows.poll(&ticket, "app", 2);
        let approved = flows.decide(
            "ABCD2345",
            DeviceStatus::Approved {
                user: 1,
                scopes: Scopes::default(),
            },
            3,
        );
        let redeemed = flows.poll(&ticket, "app", 10);
        let again = flows.poll(&ticket, "app", 20);

        assert_eq!(first, Poll::Pending);
        assert_eq!(early, Poll::SlowDown);
        assert!(approved);
        assert!(matches!(redeemed, Poll::Approved { user: 1, .. }));
        assert_eq!(again, Poll::Unknown);
        assert_eq!(flows.poll(&ticket, "other", 30), Poll::Unknown);
    }

    #[test]
    fn expired_flows_answer_expired_and_are_forgotten_on_the_next_start() {
        let mut flows = DeviceFlows::default();
        let ticket = start(&mut flows, "OLD", 0);

        let expired = flows.poll(&ticket, "app", DEVICE_CODE_LIFETIME_SECS);
        start(&mut flows, "NEW", DEVICE_CODE_LIFETIME_SECS + 1);

        assert_eq!(expired, Poll::Expired);
        assert!(!flows.decide("OLD", DeviceStatus::Declined, 1));
        assert_eq!(flows.by_user_code.len(), 1);
    }
}

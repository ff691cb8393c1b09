//! The IDs of redeemed codes and finished sign-ins, until they would have expired anyway: a
//! replay must be told "already redeemed", not "unknown".
//!
//! Grouped by the minute they expire in, so forgetting is dropping whole sets (no sweep over
//! every ID), and memory follows the number of IDs still live.

use std::collections::{HashSet, VecDeque};

/// Spent IDs are kept in one set per minute of expiry, so a whole minute is forgotten at once.
const BUCKET_SECS: i64 = 60;

#[derive(Default)]
pub(super) struct Spent {
    by_minute: VecDeque<(i64, HashSet<u64>)>,
}

impl Spent {
    pub(super) fn contains(&self, id: u64) -> bool {
        self.by_minute.iter().any(|(_, ids)| ids.contains(&id))
    }

    /// `false` if `id` was already spent.
    pub(super) fn insert(&mut self, id: u64, expires_at: i64) -> bool {
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
    pub(super) fn forget_before(&mut self, now: i64) {
        let current = now.div_euclid(BUCKET_SECS);
        while self.by_minute.front().is_some_and(|(m, _)| *m < current) {
            self.by_minute.pop_front();
        }
    }

    #[cfg(test)]
    pub(super) fn len(&self) -> usize {
        self.by_minute.iter().map(|(_, ids)| ids.len()).sum()
    }
}

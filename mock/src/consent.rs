//! Consent as the cloud keeps it: per user and app, accumulating across sign-ins.
//!
//! A user who accepted `User.Read` yesterday and `Mail.Send` today has consented to both, and
//! every later token for that app carries both (Entra writes every consented permission of the
//! resource into `scp`, whatever one request named). A refresh token is bound to the user and
//! the app, not to the scopes it was first issued for: a refresh may ask for anything consented.
//! The map is bounded: past `MAX_CONSENTS` the oldest consent is forgotten, and a refresh that
//! needs it is told to ask the user again (AADSTS65001), as after a revocation.

use std::collections::{HashMap, VecDeque};

use crate::scopes::Scopes;

/// Users × apps remembered at once. A classroom needs a few thousand.
pub(crate) const MAX_CONSENTS: usize = 50_000;

/// Whose consent: the app's client ID (lower-case) and the user's object ID.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) struct ConsentKey {
    pub client_id: String,
    pub user_id: String,
}

impl ConsentKey {
    pub(crate) fn new(client_id: &str, user_id: &str) -> ConsentKey {
        ConsentKey {
            client_id: client_id.to_ascii_lowercase(),
            user_id: user_id.to_owned(),
        }
    }
}

#[derive(Default)]
pub(crate) struct Consents {
    granted: HashMap<ConsentKey, Scopes>,
    /// Keys in the order they were first granted, to forget the oldest first.
    order: VecDeque<ConsentKey>,
}

impl Consents {
    /// Adds `scopes` to what `key` has consented to and returns the whole consent.
    pub(crate) fn grant(&mut self, key: ConsentKey, scopes: &Scopes) -> Scopes {
        if let Some(consented) = self.granted.get_mut(&key) {
            consented.add(scopes);
            return consented.clone();
        }
        while self.granted.len() >= MAX_CONSENTS {
            let Some(oldest) = self.order.pop_front() else {
                break;
            };
            self.granted.remove(&oldest);
        }
        let mut consented = Scopes::default();
        consented.add(scopes);
        self.order.push_back(key.clone());
        self.granted.insert(key, consented.clone());
        consented
    }

    pub(crate) fn of(&self, key: &ConsentKey) -> Option<Scopes> {
        self.granted.get(key).cloned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scopes;

    fn parse(scope: &str) -> Scopes {
        scopes::parse(scope, "http://127.0.0.1", &[], "common").expect("valid scopes")
    }

    #[test]
    fn consent_accumulates_across_sign_ins_and_stays_per_user_and_app() {
        let mut consents = Consents::default();
        let megan = ConsentKey::new("APP", "megan");

        consents.grant(megan.clone(), &parse("openid User.Read"));
        let both = consents.grant(megan.clone(), &parse("Mail.Send offline_access"));

        assert_eq!(both.graph, vec!["User.Read", "Mail.Send"]);
        assert!(both.openid && both.offline_access);
        assert_eq!(consents.of(&ConsentKey::new("app", "megan")), Some(both));
        assert_eq!(consents.of(&ConsentKey::new("app", "alex")), None);
        assert_eq!(consents.of(&ConsentKey::new("other", "megan")), None);
    }

    #[test]
    fn the_oldest_consent_is_forgotten_when_full() {
        let mut consents = Consents::default();
        for n in 0..MAX_CONSENTS + 1 {
            consents.grant(ConsentKey::new("app", &n.to_string()), &parse("User.Read"));
        }

        assert_eq!(consents.of(&ConsentKey::new("app", "0")), None);
        assert!(consents.of(&ConsentKey::new("app", "1")).is_some());
        assert_eq!(consents.granted.len(), MAX_CONSENTS);
    }
}

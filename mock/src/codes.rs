//! Authorization codes and sign-in pages: self-contained, and good for one use.
//!
//! What a code stands for (the user, the app, the reply URL, the PKCE challenge, the nonce) is
//! sealed inside the code itself, as Entra's codes are opaque blobs too. The mock keeps nothing
//! for a code it issued; it remembers only the IDs of codes already redeemed, until they would
//! have expired, so a replay is refused with AADSTS54005. A code issued and never redeemed
//! costs no memory at all. The sign-in pages carry their pending request the same way.
//!
//! What is sealed lives here too: a code's [`Grant`] and a sign-in page's [`SignIn`].

use serde::{Deserialize, Serialize};

use crate::errors::Aadsts;
use crate::scopes::Scopes;
use crate::seal::{AUTHORIZATION_CODE, SIGN_IN};
use crate::state::State;
use crate::store::Platform;

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
    /// v1 only: the `resource` the authorize request named, which the token request may omit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
    /// The directory the user signed in to: the code is good at its token endpoint only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tenant: Option<String>,
    /// The platform `redirect_uri` is registered under: it decides from where the code may be
    /// redeemed (a `spa` code only cross-origin, any other never).
    /// (Left out for `web`, so a web app's codes are as short as before.)
    #[serde(default, skip_serializing_if = "Platform::is_web")]
    pub platform: Platform,
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
    /// A device code sign-in: the user code typed on the verification page. Its answer goes
    /// to the polling app, not to a reply URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device: Option<String>,
}

/// Microsoft: an authorization code lives "about 10 minutes".
pub(crate) const CODE_LIFETIME_SECS: i64 = 600;
/// How long a sign-in page may stay open before its buttons stop working.
pub(crate) const SIGN_IN_LIFETIME_SECS: i64 = 600;

/// A value with the ID and expiry that make it single-use and short-lived.
#[derive(Serialize, Deserialize)]
struct Once<T> {
    id: u64,
    expires_at: i64,
    value: T,
}

impl State {
    /// A new authorization code for `grant`.
    pub(crate) fn issue_code(&self, grant: Grant) -> String {
        let once = Once {
            id: self.ids.id64(),
            expires_at: self.clock.unix() + CODE_LIFETIME_SECS,
            value: grant,
        };
        self.sealer.seal(AUTHORIZATION_CODE, &once, &self.ids)
    }

    /// Redeems a code: `check` sees the grant first (client, reply URL, PKCE) and may refuse,
    /// leaving the code unspent. Only a code that passes is spent, and only once.
    pub(crate) fn redeem_code(
        &self,
        code: &str,
        check: impl FnOnce(&Grant) -> Result<(), Aadsts>,
    ) -> Result<Grant, Aadsts> {
        let once: Once<Grant> = self
            .sealer
            .open(AUTHORIZATION_CODE, code)
            .ok_or(Aadsts::MalformedGrant)?;
        let now = self.clock.unix();
        if self.store.is_spent(once.id) {
            return Err(Aadsts::CodeRedeemed);
        }
        if once.expires_at <= now {
            return Err(Aadsts::CodeExpired);
        }
        check(&once.value)?;
        // Two requests racing with the same code: the store lets exactly one spend it.
        if self.store.spend(once.id, once.expires_at, now) {
            Ok(once.value)
        } else {
            Err(Aadsts::CodeRedeemed)
        }
    }

    /// Seals a pending sign-in into the value the pages carry in their `flow` field.
    pub(crate) fn start_sign_in(&self, sign_in: SignIn) -> String {
        let once = Once {
            id: self.ids.id64(),
            expires_at: self.clock.unix() + SIGN_IN_LIFETIME_SECS,
            value: sign_in,
        };
        self.sealer.seal(SIGN_IN, &once, &self.ids)
    }

    /// The sign-in behind `flow`, while it is open and unused.
    pub(crate) fn sign_in(&self, flow: &str) -> Option<SignIn> {
        let once = self.open_sign_in(flow)?;
        (!self.store.is_spent(once.id)).then_some(once.value)
    }

    /// Ends a sign-in: the page's buttons work once.
    pub(crate) fn finish_sign_in(&self, flow: &str) -> Option<SignIn> {
        let once = self.open_sign_in(flow)?;
        self.store
            .spend(once.id, once.expires_at, self.clock.unix())
            .then_some(once.value)
    }

    fn open_sign_in(&self, flow: &str) -> Option<Once<SignIn>> {
        let once: Once<SignIn> = self.sealer.open(SIGN_IN, flow)?;
        (once.expires_at > self.clock.unix()).then_some(once)
    }
}

//! Values that must not be printed by accident: the client secret, the authorization code,
//! the tokens and the PKCE code verifier.
//!
//! Each is a newtype whose `Debug` and `Display` show only a hint (the first three characters
//! and the length), as a Graph password credential's `hint` does. `expose()` is the one door to
//! the whole value: call it where a request is built, nowhere else (`grep expose` finds them
//! all). Whether the printer shows a value in full (`--show-secrets`) is decided in `show/`,
//! not here. `state` and `nonce` are not secrets: the lesson is that the learner sees them match.
//!
//! Here is what the macro below writes for one type, by hand:
//!
//! ```text
//! #[derive(Clone, Deserialize, Serialize)]
//! #[serde(transparent)]
//! pub struct ClientSecret(String);
//!
//! impl ClientSecret {
//!     pub fn new(value: impl Into<String>) -> Self { ClientSecret(value.into()) }
//!     pub fn expose(&self) -> &str { &self.0 }
//! }
//! impl fmt::Display for ClientSecret {
//!     fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result { f.write_str(&masked(&self.0)) }
//! }
//! impl fmt::Debug for ClientSecret {
//!     fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
//!         write!(f, "ClientSecret({})", masked(&self.0))
//!     }
//! }
//! ```

use std::fmt;

use serde::{Deserialize, Serialize};

/// How a secret looks on screen: `Sq8… [masked, 42 chars]`.
pub fn masked(value: &str) -> String {
    let hint: String = value.chars().take(3).collect();
    format!("{hint}… [masked, {} chars]", value.chars().count())
}

macro_rules! secret_type {
    ($(#[$doc:meta])* $name:ident $(, $derive:ident)*) => {
        $(#[$doc])*
        #[derive(Deserialize, Serialize, PartialEq, Eq $(, $derive)*)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            pub fn new(value: impl Into<String>) -> Self {
                $name(value.into())
            }

            /// The whole value. Call it only where a request is built.
            pub fn expose(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&masked(&self.0))
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, concat!(stringify!($name), "({})"), masked(&self.0))
            }
        }
    };
}

secret_type!(
    /// The app's client secret (the article's "app key"): its password at the token endpoint.
    ClientSecret,
    Clone
);
secret_type!(
    /// The authorization code from step 3: single use, lives about ten minutes.
    AuthCode,
    Clone
);
secret_type!(
    /// The access token: what Graph reads in `Authorization: Bearer`.
    AccessToken,
    Clone
);
secret_type!(
    /// The refresh token: gets new access tokens without a new sign-in.
    RefreshToken,
    Clone
);
secret_type!(
    /// The id token: who signed in, for the app itself (not for Graph).
    IdToken,
    Clone
);
secret_type!(
    /// The device code (device code flow): what the app polls the token endpoint with while
    /// the user signs in elsewhere. Whoever holds it gets the tokens.
    DeviceCode,
    Clone
);
secret_type!(
    /// The PKCE code verifier: the app's proof, at the token endpoint, that it is the one that
    /// started the sign-in. Deliberately not `Clone`: one sign-in, one verifier.
    CodeVerifier
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secret_prints_only_its_hint_in_display_and_debug() {
        let secret = ClientSecret::new("Sq8Q~abcdefghijklmnop");
        assert_eq!(secret.to_string(), "Sq8… [masked, 21 chars]");
        assert_eq!(
            format!("{secret:?}"),
            "ClientSecret(Sq8… [masked, 21 chars])"
        );
        assert_eq!(secret.expose(), "Sq8Q~abcdefghijklmnop");
    }

    #[test]
    fn a_secret_serialises_as_its_plain_value_for_the_progress_file() {
        let code = AuthCode::new("abc");
        assert_eq!(
            serde_json::to_string(&code).expect("a string serialises"),
            "\"abc\""
        );
    }
}

//! The three values an app registration gives the tutorial: the app's client ID, the tenant
//! it signs in to, and its reply URL.
//!
//! Each is a type of its own, checked once where it comes in (a flag, the keyboard, a saved
//! file, the mock's answer), so a client ID cannot go where a tenant is expected and a typo
//! is named at the door instead of as an AADSTS error three steps later. Each keeps the text
//! it was given, byte for byte: the printed request shows what the learner typed, and the
//! reply URL is compared by its exact string, as the identity platform compares it.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A value that is not what its place needs: which value, what it was, and what it must be.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{what} {value:?} is not {expected}")]
pub struct BadValue {
    pub what: &'static str,
    pub value: String,
    pub expected: &'static str,
}

/// Defines a string newtype checked by `$check`, read from and written to JSON as a plain
/// string (a saved file with a bad value does not load), and parsed by clap through
/// `FromStr`. `ClientId` below is what it expands to, apart from the check.
macro_rules! checked_string {
    ($(#[$doc:meta])* $name:ident, $check:path) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash, Deserialize, Serialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            /// Checks `value` and keeps it as it was given.
            pub fn parse(value: &str) -> Result<Self, BadValue> {
                $check(value).map(|()| $name(value.to_owned()))
            }

            /// The value, as it goes on the wire.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl FromStr for $name {
            type Err = BadValue;

            fn from_str(value: &str) -> Result<Self, BadValue> {
                $name::parse(value)
            }
        }

        impl TryFrom<String> for $name {
            type Error = BadValue;

            fn try_from(value: String) -> Result<Self, BadValue> {
                $check(&value).map(|()| $name(value))
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> String {
                value.0
            }
        }
    };
}

checked_string!(
    /// The app's client ID (the portal's "Application (client) ID"): a GUID. The identity
    /// platform gives every app registration one, and the mock does the same.
    ClientId,
    check_client_id
);

checked_string!(
    /// The tenant in the sign-in URL (`/{tenant}/oauth2/v2.0/authorize`): `common`,
    /// `organizations`, `consumers`, a verified domain (`contoso.onmicrosoft.com`) or the
    /// tenant's GUID (the portal's "Directory (tenant) ID").
    TenantId,
    check_tenant
);

checked_string!(
    /// The reply URL (`redirect_uri`): an absolute `http` or `https` URL, sent and compared
    /// exactly as registered.
    RedirectUri,
    check_redirect_uri
);

/// `8-4-4-4-12` hexadecimal digits, either case.
fn is_guid(value: &str) -> bool {
    let groups: Vec<&str> = value.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(group, len)| group.len() == len && group.chars().all(|c| c.is_ascii_hexdigit()))
}

fn check_client_id(value: &str) -> Result<(), BadValue> {
    if is_guid(value) {
        Ok(())
    } else {
        Err(BadValue {
            what: "the client ID",
            value: value.to_owned(),
            expected: "a GUID like 6731de76-14a6-49ae-97bc-6eba6914391e (the app's Overview page)",
        })
    }
}

/// A domain name: dot-separated labels of letters, digits and inner hyphens.
fn is_domain(value: &str) -> bool {
    let labels: Vec<&str> = value.split('.').collect();
    labels.len() >= 2
        && labels.iter().all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                && !label.starts_with('-')
                && !label.ends_with('-')
        })
}

fn check_tenant(value: &str) -> Result<(), BadValue> {
    let audience = ["common", "organizations", "consumers"].contains(&value);
    if audience || is_guid(value) || is_domain(value) {
        Ok(())
    } else {
        Err(BadValue {
            what: "the tenant",
            value: value.to_owned(),
            expected: "common, organizations, consumers, a domain or the Directory (tenant) ID",
        })
    }
}

fn check_redirect_uri(value: &str) -> Result<(), BadValue> {
    let absolute = url::Url::parse(value)
        .is_ok_and(|url| matches!(url.scheme(), "http" | "https") && url.has_host());
    if absolute {
        Ok(())
    } else {
        Err(BadValue {
            what: "the reply URL",
            value: value.to_owned(),
            expected: "an absolute http or https URL like http://localhost:8000/callback",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_client_id_is_a_guid_in_either_case_and_kept_as_given() {
        let id = ClientId::parse("6731DE76-14a6-49ae-97bc-6eba6914391e").expect("a GUID");

        assert_eq!(id.as_str(), "6731DE76-14a6-49ae-97bc-6eba6914391e");
        assert_eq!(id.to_string(), id.as_str());
    }

    #[test]
    fn a_client_id_that_is_not_a_guid_is_refused_with_its_value_named() {
        for bad in [
            "",
            "id",
            "contoso.onmicrosoft.com",
            "6731de76-14a6-49ae-97bc-6eba6914391",
            "6731de76-14a6-49ae-97bc-6eba6914391e-0",
            "6731de76x14a6-49ae-97bc-6eba6914391e",
            "g731de76-14a6-49ae-97bc-6eba6914391e",
        ] {
            let error = ClientId::parse(bad).expect_err(bad);

            assert_eq!(error.value, bad);
            let text = error.to_string();
            assert!(text.starts_with("the client ID \""), "{text}");
            assert!(!text.contains('\n'), "one line: {text}");
        }
    }

    #[test]
    fn a_tenant_is_an_audience_a_domain_or_a_guid() {
        for good in [
            "common",
            "organizations",
            "consumers",
            "contoso.onmicrosoft.com",
            "fabrikam-hr.example",
            "72f988bf-86f1-41af-91ab-2d7cd011db47",
        ] {
            assert_eq!(TenantId::parse(good).expect(good).as_str(), good);
        }
        for bad in [
            "",
            "contoso",
            "Common ",
            "contoso..com",
            "-contoso.com",
            "contoso.com/",
            "a/b.com",
        ] {
            let error = TenantId::parse(bad).expect_err(bad);
            assert!(error.to_string().starts_with("the tenant"), "{error}");
        }
    }

    #[test]
    fn a_reply_url_is_an_absolute_http_or_https_url_kept_byte_for_byte() {
        for good in [
            "http://localhost:8000/callback",
            "https://app.example/connect/get_token/",
            "http://127.0.0.1:53124",
        ] {
            assert_eq!(RedirectUri::parse(good).expect(good).as_str(), good);
        }
        for bad in [
            "",
            "/callback",
            "localhost:8000/callback",
            "ftp://h/x",
            "urn:ietf:wg:oauth:2.0:oob",
        ] {
            let error = RedirectUri::parse(bad).expect_err(bad);
            assert!(error.to_string().starts_with("the reply URL"), "{error}");
        }
    }

    #[test]
    fn a_saved_value_that_does_not_check_out_does_not_load() {
        let good: ClientId =
            serde_json::from_str("\"6731de76-14a6-49ae-97bc-6eba6914391e\"").expect("a GUID");
        let bad = serde_json::from_str::<ClientId>("\"not-a-guid\"");

        assert_eq!(
            serde_json::to_string(&good).expect("serialises"),
            "\"6731de76-14a6-49ae-97bc-6eba6914391e\""
        );
        let error = bad.expect_err("not a GUID").to_string();
        assert!(error.contains("the client ID \"not-a-guid\""), "{error}");
    }

    #[test]
    fn the_three_parse_from_a_command_line_string() {
        let client: ClientId = "6731de76-14a6-49ae-97bc-6eba6914391e"
            .parse()
            .expect("a GUID");
        let tenant: TenantId = "common".parse().expect("an audience");
        let reply: RedirectUri = "http://localhost:8000/callback".parse().expect("a URL");

        assert_eq!(
            [client.as_str(), tenant.as_str(), reply.as_str()],
            [
                "6731de76-14a6-49ae-97bc-6eba6914391e",
                "common",
                "http://localhost:8000/callback"
            ]
        );
    }
}

//! The rows of the error table for assertions, kept together: client assertions (certificate
//! credentials: `invalid_client`, 401, most with a pointer to the certificate-credentials
//! page) and the user's token an API presents on behalf of its user (`invalid_grant`). Texts
//! are Entra's, from captured answers (2020 to 2026).

use super::{Entry, UNAUTHORIZED};

const CERTIFICATE_PAGE: &str = "Review the documentation at https://learn.microsoft.com/entra/identity-platform/certificate-credentials .";

/// Why a `client_assertion` did not prove the client.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AssertionRefusal {
    /// `client_assertion_type` is not RFC 7523's `jwt-bearer`.
    UnexpectedType,
    /// Not a JWT, or its header or claims are not JSON.
    Malformed,
    /// The header names no certificate (`x5t` or `x5t#S256`).
    NoThumbprint,
    /// No certificate of the app has that thumbprint.
    UnknownKey {
        thumbprint: String,
        client_id: String,
    },
    /// The certificate's `endDateTime` has passed (or its start has not come).
    ExpiredKey {
        thumbprint: String,
        client_id: String,
        found: String,
    },
    /// The certificate is there, but did not make this signature.
    BadSignature {
        thumbprint: String,
        client_id: String,
        found: String,
    },
    /// `nbf`/`exp` do not contain the present (times as Entra prints them).
    OutsideValidTime {
        now: String,
        valid_from: String,
        expires: String,
    },
    /// `aud` is not this tenant's token endpoint.
    WrongAudience,
    /// `iss` and `sub` are one value, but not the `client_id`.
    WrongClient,
    /// `iss` and `sub` differ: Entra takes it for a federated credential, and the app has none.
    NoFederatedCredential { subject: String },
}

impl AssertionRefusal {
    pub(super) fn entry(&self) -> Entry {
        use AssertionRefusal::*;
        let row = |code, message: String| Entry {
            code,
            error: "invalid_client",
            status: UNAUTHORIZED,
            message,
            suberror: None,
        };
        let keys_hint = |client_id: &str| {
            format!(
                "Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '{client_id}'. Review the documentation at https://docs.microsoft.com/en-us/graph/deployments to determine the corresponding service endpoint and https://docs.microsoft.com/en-us/graph/api/application-get?view=graph-rest-1.0&tabs=http to build a query request URL, such as 'https://graph.microsoft.com/beta/applications/{client_id}'"
            )
        };
        match self {
            UnexpectedType => Entry {
                error: "invalid_request",
                status: super::BAD,
                ..row(90011, "Unexpected client assertion type.".into())
            },
            Malformed => row(50027, "Invalid JWT token. Token format not valid.".into()),
            NoThumbprint => row(
                50027,
                "Invalid JWT token. No certificate thumbprint specified in token header.".into(),
            ),
            UnknownKey {
                thumbprint,
                client_id,
            } => row(
                700027,
                format!(
                    "The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found., Thumbprint of key used by client: '{thumbprint}', {}]. Alternatively, SNI may be configured on the app. Please ensure that client assertion is being sent with the x5c claim in the JWT header using MSAL's WithSendX5C() method so that Azure Active Directory can validate the certificate being used.",
                    keys_hint(client_id)
                ),
            ),
            ExpiredKey {
                thumbprint,
                client_id,
                found,
            } => row(
                700027,
                format!(
                    "Client assertion contains an invalid signature. [Reason - The key used is expired., Thumbprint of key used by client: '{thumbprint}', Found key '{found}', {}].",
                    keys_hint(client_id)
                ),
            ),
            BadSignature {
                thumbprint,
                client_id,
                found,
            } => row(
                700027,
                format!(
                    "Client assertion contains an invalid signature. [Reason - Key was found, but use of the key to verify the signature failed., Thumbprint of key used by client: '{thumbprint}', Found key '{found}', {}].",
                    keys_hint(client_id)
                ),
            ),
            OutsideValidTime {
                now,
                valid_from,
                expires,
            } => row(
                700024,
                format!(
                    "Client assertion is not within its valid time range. Current time: {now}, assertion valid from {valid_from}, expiry time of assertion {expires}. {CERTIFICATE_PAGE}"
                ),
            ),
            WrongAudience => row(
                700023,
                format!(
                    "Client assertion audience claim does not match Realm issuer. {CERTIFICATE_PAGE}"
                ),
            ),
            WrongClient => row(
                700021,
                format!(
                    "Client assertion application identifier doesn't match 'client_id' parameter. {CERTIFICATE_PAGE}"
                ),
            ),
            NoFederatedCredential { subject } => row(
                700213,
                format!(
                    "No matching federated identity record found for presented assertion subject '{subject}'. Check your federated identity credential Subject, Audience and Issuer against the presented assertion. https://learn.microsoft.com/entra/workload-id/workload-identity-federation"
                ),
            ),
        }
    }

    /// One of each, with `{placeholders}` (see `Aadsts::catalogue`).
    pub(super) fn catalogue() -> Vec<AssertionRefusal> {
        use AssertionRefusal::*;
        let value = |name: &str| format!("{{{name}}}");
        let all = vec![
            UnexpectedType,
            Malformed,
            NoThumbprint,
            UnknownKey {
                thumbprint: value("thumbprint"),
                client_id: value("client_id"),
            },
            ExpiredKey {
                thumbprint: value("thumbprint"),
                client_id: value("client_id"),
                found: value("validity"),
            },
            BadSignature {
                thumbprint: value("thumbprint"),
                client_id: value("client_id"),
                found: value("validity"),
            },
            OutsideValidTime {
                now: value("now"),
                valid_from: value("nbf"),
                expires: value("exp"),
            },
            WrongAudience,
            WrongClient,
            NoFederatedCredential {
                subject: value("sub"),
            },
        ];
        // Exhaustive on purpose, as in `Aadsts::catalogue`.
        for refusal in &all {
            match refusal {
                UnexpectedType
                | Malformed
                | NoThumbprint
                | UnknownKey { .. }
                | ExpiredKey { .. }
                | BadSignature { .. }
                | OutsideValidTime { .. }
                | WrongAudience
                | WrongClient
                | NoFederatedCredential { .. } => {}
            }
        }
        all
    }
}

/// Why the user's token in an on-behalf-of request was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UserAssertionRefusal {
    /// Not a token this service signed; the thumbprint its header names, in hex.
    BadSignature { thumbprint: String },
    /// Expired (or not yet valid).
    OutsideValidTime { now: String, expires: String },
    /// A token for another resource than the API asking.
    WrongAudience {
        audience: String,
        client_id: String,
        app_name: String,
    },
}

impl UserAssertionRefusal {
    pub(super) fn entry(&self) -> Entry {
        use UserAssertionRefusal::*;
        let row = |code, message: String| Entry {
            code,
            error: "invalid_grant",
            status: super::BAD,
            message,
            suberror: None,
        };
        match self {
            BadSignature { thumbprint } => row(
                50013,
                format!(
                    "Assertion failed signature validation. [Reason - The key was not found., Thumbprint of key used by client: '{thumbprint}']."
                ),
            ),
            OutsideValidTime { now, expires } => row(
                50013,
                format!(
                    "Assertion is not within its valid time range. Ensure that the access token is not expired before using it for user assertion, or request a new token. Current time: {now}, expiry time of assertion {expires}."
                ),
            ),
            WrongAudience {
                audience,
                client_id,
                app_name,
            } => row(
                500131,
                format!(
                    "Assertion audience does not match the Client app presenting the assertion. The audience in the assertion was '{audience}' and the expected audience is '{client_id}' or one of the Application Uris of this application with App ID '{client_id}'({app_name}). The downstream client must request a token for the expected audience (the application that made the OBO request) and this application should use that token as the assertion."
                ),
            ),
        }
    }

    pub(super) fn catalogue() -> Vec<UserAssertionRefusal> {
        use UserAssertionRefusal::*;
        let value = |name: &str| format!("{{{name}}}");
        let all = vec![
            BadSignature {
                thumbprint: value("thumbprint"),
            },
            OutsideValidTime {
                now: value("now"),
                expires: value("exp"),
            },
            WrongAudience {
                audience: value("aud"),
                client_id: value("client_id"),
                app_name: value("app_name"),
            },
        ];
        for refusal in &all {
            match refusal {
                BadSignature { .. } | OutsideValidTime { .. } | WrongAudience { .. } => {}
            }
        }
        all
    }
}

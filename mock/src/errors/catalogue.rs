//! The table read as a list: one example of every refusal, with `{placeholders}` where a
//! value comes from the request. Each list is checked against its enum by an exhaustive
//! `match`, so a new row cannot be left out.

use super::{Aadsts, AssertionRefusal, GraphError, UserAssertionRefusal};

impl Aadsts {
    /// One example of every refusal the identity platform side of the mock can give, with
    /// `{placeholders}` where a value comes from the request: the table read as a list, for
    /// tools that must know every code (the tutorial's `explain`).
    ///
    /// ```
    /// use graph_mock::errors::Aadsts;
    /// assert!(Aadsts::catalogue().iter().any(|refusal| refusal.entry().code == 54005));
    /// ```
    pub fn catalogue() -> Vec<Aadsts> {
        use Aadsts::*;
        let value = |name: &str| format!("{{{name}}}");
        let mut all = vec![
            MissingParameter("{name}"),
            UnknownTenant(value("tenant")),
            UnknownClient {
                client_id: value("client_id"),
                tenant: value("tenant"),
            },
            RedirectNotRegistered {
                redirect_uri: value("redirect_uri"),
                client_id: value("client_id"),
            },
            NoRedirectRegistered,
            SingleTenantOnCommon {
                client_id: value("client_id"),
                app_name: value("app_name"),
            },
            TokenRedirectMismatch {
                sent: value("redirect_uri"),
                original: value("original_redirect_uri"),
            },
            WrongSecret {
                client_id: value("client_id"),
            },
            MissingSecret,
            ExpiredSecret {
                client_id: value("client_id"),
            },
            PublicClientSentSecret,
            CodeRedeemed,
            CodeExpired,
            PkceMismatch,
            InvalidScope(value("scope")),
            ResourceOnV2,
            UnknownResourceV1 {
                resource: value("resource"),
                tenant: value("tenant"),
            },
            UnknownResourceV2 {
                resource: value("resource"),
                tenant: value("tenant"),
            },
            ResourceNotProvided,
            DevicePending,
            DeviceSlowDown,
            DeviceCodeExpired,
            DeviceDeclined,
            BadUserCode,
            UnknownInstance,
            UnsupportedGrantType(value("grant_type")),
            UnsupportedResponseType(value("response_type")),
            ImplicitAccessToken,
            MalformedGrant,
            GrantForAnotherClient,
            ConsentRequired {
                client_id: value("client_id"),
                app_name: value("app_name"),
            },
            RefreshTokenExpired {
                issued: value("issued"),
            },
            ClientCredentialsScope(value("scope")),
            GrantNotOnCommon,
            WrongMethod(value("method")),
            UserDeclined,
            LoginRequired,
            InvalidCodeChallenge,
            InvalidStsRequest,
            AdminConsentRequired {
                app_name: value("app_name"),
            },
            DirectoryUnavailable,
            MissingField("{name}"),
            UserNotInTenant {
                user: "{user}",
                home_tenant: "{home_tenant}",
                tenant_name: value("tenant_name"),
                client_id: value("client_id"),
                app_name: value("app_name"),
            },
            CodeForAnotherTenant,
            CrossOriginNotSpa {
                origin: value("origin"),
            },
            SpaNeedsCrossOrigin,
            SpaNeedsPkce,
            SpaRefreshTokenExpired {
                issued: value("issued"),
            },
        ];
        all.extend(
            AssertionRefusal::catalogue()
                .into_iter()
                .map(ClientAssertion),
        );
        all.extend(
            UserAssertionRefusal::catalogue()
                .into_iter()
                .map(UserAssertion),
        );
        // Exhaustive on purpose: a new variant stops the build here until it is listed above.
        for refusal in &all {
            match refusal {
                MissingParameter(_)
                | UnknownTenant(_)
                | UnknownClient { .. }
                | RedirectNotRegistered { .. }
                | NoRedirectRegistered
                | SingleTenantOnCommon { .. }
                | TokenRedirectMismatch { .. }
                | WrongSecret { .. }
                | MissingSecret
                | ExpiredSecret { .. }
                | PublicClientSentSecret
                | CodeRedeemed
                | CodeExpired
                | PkceMismatch
                | InvalidScope(_)
                | ResourceOnV2
                | UnknownResourceV1 { .. }
                | UnknownResourceV2 { .. }
                | ResourceNotProvided
                | DevicePending
                | DeviceSlowDown
                | DeviceCodeExpired
                | DeviceDeclined
                | BadUserCode
                | UnknownInstance
                | UnsupportedGrantType(_)
                | UnsupportedResponseType(_)
                | ImplicitAccessToken
                | MalformedGrant
                | GrantForAnotherClient
                | ConsentRequired { .. }
                | RefreshTokenExpired { .. }
                | ClientCredentialsScope(_)
                | GrantNotOnCommon
                | WrongMethod(_)
                | UserDeclined
                | LoginRequired
                | InvalidCodeChallenge
                | InvalidStsRequest
                | AdminConsentRequired { .. }
                | DirectoryUnavailable
                | MissingField(_)
                | UserNotInTenant { .. }
                | CodeForAnotherTenant
                | ClientAssertion(_)
                | CrossOriginNotSpa { .. }
                | SpaNeedsCrossOrigin
                | SpaNeedsPkce
                | SpaRefreshTokenExpired { .. }
                | UserAssertion(_) => {}
            }
        }
        all
    }
}

impl GraphError {
    /// One example of every refusal the Graph side of the mock can give (see
    /// [`Aadsts::catalogue`]). Several share a `code`: Graph's codes are coarser than its
    /// messages.
    pub fn catalogue() -> Vec<GraphError> {
        use GraphError::*;
        let all = vec![
            EmptyToken,
            MalformedToken,
            InvalidToken,
            InvalidAudience,
            ExpiredToken,
            AccessDenied,
            InsufficientPrivileges,
            DelegatedOnly,
            InvalidRecipients("Recipient '{address}' is not resolved.".into()),
            UnreadableJson,
            InvalidProperty(
                "Invalid value specified for property '{property}' of resource 'Application'."
                    .into(),
            ),
            ResourceNotFound("{id}".into()),
            SegmentNotFound("{segment}".into()),
            MethodNotAllowed,
            TooLarge,
            QuotaExceeded,
            InvalidIdMalformed,
            RequestBodyRead("Requested value '{value}' was not found.".into()),
            UnknownProperty("{property}".into()),
            MessageTooLarge,
            MailStoreFull,
            UnknownApplicationProperty("{property}".into()),
            SchemaMismatch("{property}".into()),
            InvalidKeyUsage,
            KeyEndDateInvalid,
            IdentifierUriNotVerified("{uri}".into()),
        ];
        // Exhaustive on purpose, as in `Aadsts::catalogue`.
        for refusal in &all {
            match refusal {
                EmptyToken
                | MalformedToken
                | InvalidToken
                | InvalidAudience
                | ExpiredToken
                | AccessDenied
                | InsufficientPrivileges
                | DelegatedOnly
                | InvalidRecipients(_)
                | UnreadableJson
                | InvalidProperty(_)
                | ResourceNotFound(_)
                | SegmentNotFound(_)
                | MethodNotAllowed
                | TooLarge
                | QuotaExceeded
                | InvalidIdMalformed
                | RequestBodyRead(_)
                | UnknownProperty(_)
                | MessageTooLarge
                | MailStoreFull
                | UnknownApplicationProperty(_)
                | SchemaMismatch(_)
                | InvalidKeyUsage
                | KeyEndDateInvalid
                | IdentifierUriNotVerified(_) => {}
            }
        }
        all
    }
}

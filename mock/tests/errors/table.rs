//! The AADSTS table itself: each refusal its own code and a consistent status, the numbers of
//! the protocol notes, and Graph's token errors.

use graph_mock::errors::{Aadsts, AssertionRefusal, GraphError, UserAssertionRefusal};

/// Every variant, so that adding one without a row here fails to compile.
fn every_refusal() -> Vec<Aadsts> {
    let all = vec![
        Aadsts::MissingParameter("grant_type"),
        Aadsts::UnknownTenant("t".into()),
        Aadsts::UnknownClient {
            client_id: "c".into(),
            tenant: "t".into(),
        },
        Aadsts::RedirectNotRegistered {
            redirect_uri: "u".into(),
            client_id: "c".into(),
        },
        Aadsts::NoRedirectRegistered,
        Aadsts::TokenRedirectMismatch {
            sent: "a".into(),
            original: "b".into(),
        },
        Aadsts::WrongSecret {
            client_id: "c".into(),
        },
        Aadsts::MissingSecret,
        Aadsts::ExpiredSecret {
            client_id: "c".into(),
        },
        Aadsts::PublicClientSentSecret,
        Aadsts::CodeRedeemed,
        Aadsts::CodeExpired,
        Aadsts::PkceMismatch,
        Aadsts::InvalidScope("s".into()),
        Aadsts::ResourceOnV2,
        Aadsts::UnknownResourceV1 {
            resource: "r".into(),
            tenant: "t".into(),
        },
        Aadsts::UnknownResourceV2 {
            resource: "r".into(),
            tenant: "t".into(),
        },
        Aadsts::ResourceNotProvided,
        Aadsts::DevicePending,
        Aadsts::DeviceSlowDown,
        Aadsts::DeviceCodeExpired,
        Aadsts::DeviceDeclined,
        Aadsts::BadUserCode,
        Aadsts::UnknownInstance,
        Aadsts::UnsupportedGrantType("g".into()),
        Aadsts::UnsupportedResponseType("token".into()),
        Aadsts::ImplicitAccessToken,
        Aadsts::SingleTenantOnCommon {
            client_id: "c".into(),
            app_name: "a".into(),
        },
        Aadsts::MalformedGrant,
        Aadsts::GrantForAnotherClient,
        Aadsts::ConsentRequired {
            client_id: "c".into(),
            app_name: "a".into(),
        },
        Aadsts::RefreshTokenExpired {
            issued: "2026-01-01T00:00:00Z".into(),
        },
        Aadsts::ClientCredentialsScope("s".into()),
        Aadsts::GrantNotOnCommon,
        Aadsts::WrongMethod("GET".into()),
        Aadsts::UserDeclined,
        Aadsts::LoginRequired,
        Aadsts::InvalidCodeChallenge,
        Aadsts::InvalidStsRequest,
        Aadsts::AdminConsentRequired {
            app_name: "a".into(),
        },
        Aadsts::DirectoryUnavailable,
        Aadsts::MissingField("scope"),
        Aadsts::UserNotInTenant {
            user: "u",
            home_tenant: "h",
            tenant_name: "t".into(),
            client_id: "c".into(),
            app_name: "a".into(),
        },
        Aadsts::CodeForAnotherTenant,
        Aadsts::ClientAssertion(AssertionRefusal::UnexpectedType),
        Aadsts::ClientAssertion(AssertionRefusal::Malformed),
        Aadsts::ClientAssertion(AssertionRefusal::NoThumbprint),
        Aadsts::ClientAssertion(AssertionRefusal::UnknownKey {
            thumbprint: "T".into(),
            client_id: "c".into(),
        }),
        Aadsts::ClientAssertion(AssertionRefusal::ExpiredKey {
            thumbprint: "T".into(),
            client_id: "c".into(),
            found: "f".into(),
        }),
        Aadsts::ClientAssertion(AssertionRefusal::BadSignature {
            thumbprint: "T".into(),
            client_id: "c".into(),
            found: "f".into(),
        }),
        Aadsts::ClientAssertion(AssertionRefusal::OutsideValidTime {
            now: "n".into(),
            valid_from: "v".into(),
            expires: "e".into(),
        }),
        Aadsts::ClientAssertion(AssertionRefusal::WrongAudience),
        Aadsts::ClientAssertion(AssertionRefusal::WrongClient),
        Aadsts::ClientAssertion(AssertionRefusal::NoFederatedCredential {
            subject: "s".into(),
        }),
        Aadsts::CrossOriginNotSpa {
            origin: "http://localhost:3000".into(),
        },
        Aadsts::SpaNeedsCrossOrigin,
        Aadsts::SpaNeedsPkce,
        Aadsts::SpaRefreshTokenExpired {
            issued: "2026-01-01T00:00:00Z".into(),
        },
        Aadsts::UserAssertion(UserAssertionRefusal::BadSignature {
            thumbprint: "T".into(),
        }),
        Aadsts::UserAssertion(UserAssertionRefusal::OutsideValidTime {
            now: "n".into(),
            expires: "e".into(),
        }),
        Aadsts::UserAssertion(UserAssertionRefusal::WrongAudience {
            audience: "a".into(),
            client_id: "c".into(),
            app_name: "n".into(),
        }),
    ];
    for refusal in &all {
        // An exhaustive match: a new variant must be listed above too.
        match refusal {
            Aadsts::MissingParameter(_)
            | Aadsts::UnknownTenant(_)
            | Aadsts::UnknownClient { .. }
            | Aadsts::RedirectNotRegistered { .. }
            | Aadsts::NoRedirectRegistered
            | Aadsts::SingleTenantOnCommon { .. }
            | Aadsts::TokenRedirectMismatch { .. }
            | Aadsts::WrongSecret { .. }
            | Aadsts::MissingSecret
            | Aadsts::ExpiredSecret { .. }
            | Aadsts::PublicClientSentSecret
            | Aadsts::CodeRedeemed
            | Aadsts::CodeExpired
            | Aadsts::PkceMismatch
            | Aadsts::InvalidScope(_)
            | Aadsts::ResourceOnV2
            | Aadsts::UnknownResourceV1 { .. }
            | Aadsts::UnknownResourceV2 { .. }
            | Aadsts::ResourceNotProvided
            | Aadsts::DevicePending
            | Aadsts::DeviceSlowDown
            | Aadsts::DeviceCodeExpired
            | Aadsts::DeviceDeclined
            | Aadsts::BadUserCode
            | Aadsts::UnknownInstance
            | Aadsts::UnsupportedGrantType(_)
            | Aadsts::UnsupportedResponseType(_)
            | Aadsts::ImplicitAccessToken
            | Aadsts::MalformedGrant
            | Aadsts::GrantForAnotherClient
            | Aadsts::ConsentRequired { .. }
            | Aadsts::RefreshTokenExpired { .. }
            | Aadsts::ClientCredentialsScope(_)
            | Aadsts::GrantNotOnCommon
            | Aadsts::WrongMethod(_)
            | Aadsts::UserDeclined
            | Aadsts::LoginRequired
            | Aadsts::InvalidCodeChallenge
            | Aadsts::InvalidStsRequest
            | Aadsts::AdminConsentRequired { .. }
            | Aadsts::DirectoryUnavailable
            | Aadsts::MissingField(_)
            | Aadsts::UserNotInTenant { .. }
            | Aadsts::CodeForAnotherTenant
            | Aadsts::ClientAssertion(_)
            | Aadsts::CrossOriginNotSpa { .. }
            | Aadsts::SpaNeedsCrossOrigin
            | Aadsts::SpaNeedsPkce
            | Aadsts::SpaRefreshTokenExpired { .. }
            | Aadsts::UserAssertion(_) => {}
        }
    }
    all
}

#[test]
fn the_aadsts_table_gives_each_refusal_its_own_code_and_a_consistent_status() {
    let all = every_refusal();

    // Shared codes, as in the cloud: AADSTS50001 is both "resource not found" and "resource
    // not provided" on v1; slow_down is a kind of 70016 (pending); a device sign-in declined is
    // 65004 like a consent declined. A certificate not found, expired or not matching its
    // signature are all 700027; a JWT unreadable or naming no certificate both 50027; a user's
    // token forged or expired, presented on-behalf-of, both 50013.
    let distinct: Vec<&Aadsts> = all
        .iter()
        .filter(|r| {
            !matches!(
                r,
                Aadsts::ResourceNotProvided
                    | Aadsts::DeviceSlowDown
                    | Aadsts::DeviceDeclined
                    | Aadsts::ClientAssertion(
                        AssertionRefusal::ExpiredKey { .. }
                            | AssertionRefusal::BadSignature { .. }
                            | AssertionRefusal::NoThumbprint
                    )
                    | Aadsts::UserAssertion(UserAssertionRefusal::OutsideValidTime { .. })
            )
        })
        .collect();
    let mut codes: Vec<u32> = distinct.iter().map(|r| r.entry().code).collect();
    codes.sort_unstable();
    codes.dedup();
    assert_eq!(codes.len(), distinct.len(), "one code per refusal");
    for refusal in &all {
        let entry = refusal.entry();
        let expected = match (entry.error, refusal) {
            (_, Aadsts::WrongMethod(_)) => 405,
            ("temporarily_unavailable", _) => 503,
            ("invalid_client", _) => 401,
            _ => 400,
        };
        assert_eq!(entry.status.as_u16(), expected, "{refusal:?}");
        assert!(
            [
                "invalid_request",
                "invalid_tenant",
                "invalid_client",
                "authorization_pending",
                "slow_down",
                "expired_token",
                "authorization_declined",
                "bad_verification_code",
                "invalid_instance",
                "invalid_grant",
                "invalid_scope",
                "invalid_resource",
                "unauthorized_client",
                "unsupported_grant_type",
                "unsupported_response_type",
                "access_denied",
                "login_required",
                "temporarily_unavailable",
            ]
            .contains(&entry.error),
            "{refusal:?}: {} is an OAuth error value",
            entry.error
        );
        assert!(!entry.message.starts_with("AADSTS"), "{refusal:?}");
        // Entra's sentences end with a full stop; the federation error ends with its link.
        assert!(
            entry.message.ends_with('.')
                || entry.message.ends_with("/workload-identity-federation"),
            "{refusal:?}: {}",
            entry.message
        );
    }
}

#[test]
fn the_aadsts_table_uses_the_numbers_of_protocol_md() {
    let expected = [
        (Aadsts::MissingParameter("code"), 900144),
        (Aadsts::PkceMismatch, 501481),
        (Aadsts::CodeExpired, 70008),
        (Aadsts::CodeRedeemed, 54005),
        (Aadsts::RefreshTokenExpired { issued: "x".into() }, 700082),
        (Aadsts::WrongMethod("GET".into()), 900561),
        (Aadsts::InvalidStsRequest, 90023),
        (Aadsts::MalformedGrant, 9002313),
    ];

    for (refusal, code) in expected {
        assert_eq!(refusal.entry().code, code, "{refusal:?}");
    }
    assert_eq!(
        Aadsts::ConsentRequired {
            client_id: "c".into(),
            app_name: "a".into()
        }
        .entry()
        .suberror,
        Some("consent_required")
    );
}

#[test]
fn graph_token_errors_are_401_invalid_authentication_token_and_scope_errors_403() {
    let token_errors = [
        GraphError::EmptyToken,
        GraphError::MalformedToken,
        GraphError::InvalidToken,
        GraphError::InvalidAudience,
        GraphError::ExpiredToken,
    ];
    for error in token_errors {
        let (status, code, _) = error.entry();
        assert_eq!(
            (status.as_u16(), code),
            (401, "InvalidAuthenticationToken"),
            "{error:?}"
        );
    }
    assert_eq!(GraphError::AccessDenied.entry().0.as_u16(), 403);
    assert_eq!(GraphError::InsufficientPrivileges.entry().0.as_u16(), 403);
    assert_eq!(GraphError::TooLarge.entry().0.as_u16(), 413);
    assert_eq!(
        GraphError::InvalidRecipients("x".into()).entry().1,
        "ErrorInvalidRecipients"
    );
}

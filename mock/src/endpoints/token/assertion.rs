//! `client_assertion`: a confidential client proving itself with a certificate instead of a
//! secret (RFC 7523 §2.2, "certificate credentials" in Microsoft's documentation).
//!
//! The assertion is a JWT the app signs with its certificate's private key: `RS256` with the
//! SHA-1 thumbprint in `x5t`, or `PS256` with the SHA-256 one in `x5t#S256`. Its claims say
//! who (`iss` = `sub` = the client ID), for whom (`aud` = this token endpoint) and when
//! (`nbf`, `exp`), and carry a `jti`. The mock finds the certificate among the app's
//! `keyCredentials` by that thumbprint, checks the signature with its public key, then the
//! claims, and refuses with Entra's own codes (AADSTS700027, 700024, 700023, 700021).

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::Value;
use time::OffsetDateTime;
use time::macros::format_description;

use super::Context;
use crate::certificates::{Algorithm, KeyCredential, hex_upper};
use crate::errors::{Aadsts, AssertionRefusal};

/// RFC 7523 §2.2: the only `client_assertion_type` there is.
pub(super) const JWT_BEARER: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/// How far apart the app's clock and the server's may be before `nbf` is refused (Entra allows
/// a few minutes; five is the common value of Microsoft's token validators).
const CLOCK_SKEW_SECS: i64 = 300;

/// `client_assertion_type` and `client_assertion` as the form sent them.
pub(super) struct ClientAssertion {
    pub kind: Option<String>,
    pub jwt: String,
}

/// The parts of the assertion, decoded but not yet trusted.
struct Decoded<'a> {
    header: Value,
    claims: Value,
    signed: &'a str,
    signature: Vec<u8>,
}

/// Does the assertion prove that the client is `ctx.app`?
pub(super) fn check(ctx: &Context<'_>, assertion: &ClientAssertion) -> Result<(), Aadsts> {
    let refuse = |refusal| Aadsts::ClientAssertion(refusal);
    if assertion.kind.as_deref() != Some(JWT_BEARER) {
        return Err(refuse(AssertionRefusal::UnexpectedType));
    }
    let decoded = decode(&assertion.jwt).ok_or(refuse(AssertionRefusal::Malformed))?;
    let app = ctx.app;

    // Who: the app itself, in both claims. Differing claims are how federated credentials
    // look (another issuer vouching for a subject), and the mock's apps have none.
    let issuer = decoded.claims["iss"].as_str().unwrap_or_default();
    let subject = decoded.claims["sub"].as_str().unwrap_or_default();
    if issuer != subject {
        return Err(refuse(AssertionRefusal::NoFederatedCredential {
            subject: subject.to_owned(),
        }));
    }
    if !issuer.eq_ignore_ascii_case(&app.client_id) {
        return Err(refuse(AssertionRefusal::WrongClient));
    }
    if !names_this_endpoint(ctx, &decoded.claims["aud"]) {
        return Err(refuse(AssertionRefusal::WrongAudience));
    }

    // Which certificate: the one the header's thumbprint names.
    let (thumbprint, by_sha256) = thumbprint(&decoded.header)?;
    let named = hex_upper(&thumbprint);
    let key = app
        .key_credentials
        .iter()
        .find(|key| {
            let own = if by_sha256 {
                &key.certificate.sha256
            } else {
                &key.certificate.sha1
            };
            *own == thumbprint
        })
        .ok_or_else(|| {
            refuse(AssertionRefusal::UnknownKey {
                thumbprint: named.clone(),
                client_id: app.client_id.clone(),
            })
        })?;
    let now = ctx.state.clock.unix();
    if now < key.start || now >= key.end {
        return Err(refuse(AssertionRefusal::ExpiredKey {
            thumbprint: named,
            client_id: app.client_id.clone(),
            found: found_key(key),
        }));
    }
    let signed_by_key = decoded.header["alg"]
        .as_str()
        .and_then(Algorithm::from_name)
        .is_some_and(|algorithm| {
            key.certificate
                .verifies(algorithm, decoded.signed.as_bytes(), &decoded.signature)
        });
    if !signed_by_key {
        return Err(refuse(AssertionRefusal::BadSignature {
            thumbprint: named,
            client_id: app.client_id.clone(),
            found: found_key(key),
        }));
    }

    // When: `exp` is required; `nbf`, if present, may be a little ahead of this clock.
    let not_before = decoded.claims["nbf"].as_i64().unwrap_or(0);
    let expires = decoded.claims["exp"]
        .as_i64()
        .ok_or(refuse(AssertionRefusal::Malformed))?;
    if now + CLOCK_SKEW_SECS < not_before || now >= expires {
        return Err(refuse(AssertionRefusal::OutsideValidTime {
            now: dotnet_round_trip(ctx.state.clock.now()),
            valid_from: dotnet_round_trip(at(not_before)),
            expires: dotnet_round_trip(at(expires)),
        }));
    }
    // A `jti` seen before is accepted: MSAL reuses one assertion for ten minutes, and Entra
    // serves it every time.
    Ok(())
}

fn decode(jwt: &str) -> Option<Decoded<'_>> {
    let mut parts = jwt.split('.');
    let (Some(header), Some(claims), Some(signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return None;
    };
    let json = |part: &str| -> Option<Value> {
        let bytes = URL_SAFE_NO_PAD.decode(part).ok()?;
        serde_json::from_slice::<Value>(&bytes)
            .ok()
            .filter(Value::is_object)
    };
    Some(Decoded {
        header: json(header)?,
        claims: json(claims)?,
        signed: &jwt[..header.len() + 1 + claims.len()],
        signature: URL_SAFE_NO_PAD.decode(signature).ok()?,
    })
}

/// The thumbprint the header names, and whether it is the SHA-256 one.
fn thumbprint(header: &Value) -> Result<(Vec<u8>, bool), Aadsts> {
    let (encoded, by_sha256) = match (header["x5t#S256"].as_str(), header["x5t"].as_str()) {
        (Some(sha256), _) => (sha256, true),
        (None, Some(sha1)) => (sha1, false),
        (None, None) => {
            return Err(Aadsts::ClientAssertion(AssertionRefusal::NoThumbprint));
        }
    };
    let bytes = URL_SAFE_NO_PAD
        .decode(encoded)
        .map_err(|_| Aadsts::ClientAssertion(AssertionRefusal::Malformed))?;
    Ok((bytes, by_sha256))
}

/// `aud` must be a token endpoint of this tenant: the one the request came to, or its v1.0 or
/// v2.0 sibling under the tenant's ID.
fn names_this_endpoint(ctx: &Context<'_>, audience: &Value) -> bool {
    let base = ctx.req.base_url();
    let mut accepted = vec![format!("{base}{}", ctx.req.path)];
    for tenant in [ctx.segment.as_str(), ctx.app.tenant.as_str()] {
        accepted.push(format!("{base}/{tenant}/oauth2/v2.0/token"));
        accepted.push(format!("{base}/{tenant}/oauth2/token"));
    }
    let matches = |aud: &str| {
        accepted
            .iter()
            .any(|url| url.eq_ignore_ascii_case(aud.trim_end_matches('/')))
    };
    match audience {
        Value::String(aud) => matches(aud),
        Value::Array(list) => list.iter().filter_map(Value::as_str).any(matches),
        _ => false,
    }
}

fn at(unix: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(unix).unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

/// .NET's round-trip format, as AADSTS700024 prints times: `2025-08-29T05:47:32.1501147Z`.
pub(super) fn dotnet_round_trip(at: OffsetDateTime) -> String {
    at.format(format_description!(
        "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:7]Z"
    ))
    .unwrap_or_default()
}

/// `Start=08/18/2024 19:33:23, End=08/18/2029 19:33:23`, as Entra describes the key it found.
fn found_key(key: &KeyCredential) -> String {
    let day = |unix| {
        at(unix)
            .format(format_description!(
                "[month]/[day]/[year] [hour]:[minute]:[second]"
            ))
            .unwrap_or_default()
    };
    format!("Start={}, End={}", day(key.start), day(key.end))
}

//! `/{tenant}/oauth2/v2.0/token` (and the original sample's `/{tenant}/oauth2/token`).
//!
//! The app, not the browser, calls this: a form POST with a `grant_type` and the client's
//! credentials. Four grants:
//! - `authorization_code`: the code from the reply URL, the same `redirect_uri`, the PKCE
//!   `code_verifier`. Each code works once and for ten minutes.
//! - `refresh_token`: a new access token without the user; the refresh token rotates.
//! - `client_credentials`: the app acting as itself (no user), with `/.default` (`app_only.rs`).
//! - the device code grant: polling for a sign-in finished on another device (`device.rs`).
//! - on-behalf-of: a web API trading a user's token for one to Graph (`on_behalf_of.rs`).
//!
//! A confidential client proves itself with a secret or with a certificate (a signed
//! `client_assertion`, `assertion.rs`; both in `client_auth.rs`). Every refusal is an
//! `Aadsts` from the one table; `?` carries it to the answer.
//!
//! Where each code, refresh token and secret may be redeemed from (a browser page or not), and
//! which pages may read the answers, are the single-page-application rules (`spa.rs`).

use aws_lc_rs::digest;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hyper::StatusCode;
use serde_json::Value;

use super::{Version, check_audience, serves, tenant_segment};
use crate::api_scopes;
use crate::codes::{ChallengeMethod, Grant};
use crate::consent::ConsentKey;
use crate::demo;
use crate::errors::Aadsts;
use crate::reply::{self, Reply};
use crate::request::{Incoming, Params};
use crate::scopes::{self, Scopes};
use crate::seal::REFRESH_TOKEN;
use crate::state::State;
use crate::store::{App, Platform};
use crate::tokens::RefreshGrant;

mod answer;
mod app_only;
mod assertion;
mod client_auth;
mod device;
mod on_behalf_of;
mod spa;

use answer::{Issue, Who};
use assertion::ClientAssertion;
use client_auth::{ClientCredentials, authenticate};

/// RFC 8628 §3.4.
const DEVICE_CODE_GRANT: &str = "urn:ietf:params:oauth:grant-type:device_code";

/// Refresh tokens expire after 90 days without use.
const REFRESH_TOKEN_LIFETIME_SECS: i64 = 90 * 24 * 3600;

pub(crate) fn handle(req: &Incoming, state: &State, tenant: &str, version: Version) -> Reply {
    let mut answer = match token(req, state, tenant, version) {
        Ok(body) => reply::login_json(StatusCode::OK, &body),
        Err(refusal) => refusal.reply(&state.trace(req), req),
    };
    spa::share_with_spa_page(req, state, &mut answer);
    answer
}

fn token(req: &Incoming, state: &State, tenant: &str, version: Version) -> Result<Value, Aadsts> {
    let segment = tenant_segment(state, tenant)?;
    // Entra reads only the body: parameters in the query string do not count.
    let form = req.form();
    if version == Version::V2 && form.get("resource").is_some() {
        return Err(Aadsts::ResourceOnV2);
    }
    let grant_type = form
        .non_empty("grant_type")
        .ok_or(Aadsts::MissingParameter("grant_type"))?;
    let client = ClientCredentials::from(req, form)?;
    let client_id = client.id.ok_or(Aadsts::MissingParameter("client_id"))?;
    // An app lives in one tenant's directory: named by another tenant, it is not there.
    let app = state
        .store
        .app(&client_id)
        .filter(|app| serves(app, &segment))
        .ok_or_else(|| Aadsts::UnknownClient {
            client_id: client_id.clone(),
            tenant: tenant.to_owned(),
        })?;
    check_audience(&app, &segment)?;
    let ctx = Context {
        req,
        state,
        form,
        app: &app,
        secret: client.secret.as_deref(),
        assertion: client.assertion.as_ref(),
        segment,
        version,
    };
    match grant_type {
        "authorization_code" => redeem_code(&ctx),
        "refresh_token" => refresh(&ctx),
        "client_credentials" => app_only::client_credentials(&ctx),
        DEVICE_CODE_GRANT if ctx.version == Version::V2 => device::redeem(&ctx),
        on_behalf_of::GRANT if ctx.version == Version::V2 => on_behalf_of::redeem(&ctx),
        other => Err(Aadsts::UnsupportedGrantType(other.to_owned())),
    }
}

/// What every grant needs to see.
struct Context<'a> {
    req: &'a Incoming,
    state: &'a State,
    form: &'a Params,
    app: &'a App,
    secret: Option<&'a str>,
    assertion: Option<&'a ClientAssertion>,
    segment: String,
    version: Version,
}

fn redeem_code(ctx: &Context<'_>) -> Result<Value, Aadsts> {
    let code = ctx
        .form
        .non_empty("code")
        .ok_or(Aadsts::MissingParameter("code"))?;
    let redirect_uri = ctx.form.non_empty("redirect_uri");
    // A single-page app is a public client too: a browser can keep no secret.
    let public = matches!(
        redirect_uri.and_then(|uri| ctx.app.platform_of(uri)),
        Some(Platform::PublicClient | Platform::Spa)
    );
    let appidacr = authenticate(ctx, public)?;
    let asked = requested_scopes(ctx)?;
    let verifier = ctx.form.non_empty("code_verifier");

    let grant = ctx.state.redeem_code(code, |grant| {
        if !grant.client_id.eq_ignore_ascii_case(&ctx.app.client_id) {
            return Err(Aadsts::GrantForAnotherClient);
        }
        // A code is for the token endpoint of the tenant it was issued in (`/common` takes
        // any, as in Entra, where it stands for the user's home tenant).
        let here = super::directory(ctx.app, &ctx.segment);
        let generic = matches!(
            ctx.segment.as_str(),
            "common" | "organizations" | "consumers"
        );
        if grant.tenant.as_ref().is_some_and(|issued| *issued != here) && !generic {
            return Err(Aadsts::CodeForAnotherTenant);
        }
        // RFC 6749 §4.1.3: the same redirect_uri as the authorize request, to the letter.
        match redirect_uri {
            None => return Err(Aadsts::MissingParameter("redirect_uri")),
            Some(sent) if sent != grant.redirect_uri => {
                return Err(Aadsts::TokenRedirectMismatch {
                    sent: sent.to_owned(),
                    original: grant.redirect_uri.clone(),
                });
            }
            Some(_) => {}
        }
        spa::check_code(grant, spa::origin(ctx.req))?;
        check_pkce(grant, verifier)?;
        if let Some(asked) = &asked {
            asked
                .within(&grant.scopes)
                .map_err(|_| consent_required(ctx.app))?;
        }
        Ok(())
    })?;

    // The code carries everything consented; a narrower `scope` still gets all of it in `scp`.
    // v1: the token is for the `resource` of the token request or else of the authorize
    // request; with neither, the cloud issues no token at all.
    if ctx.version == Version::V1
        && ctx.form.non_empty("resource").is_none()
        && grant.resource.is_none()
    {
        return Err(Aadsts::ResourceNotProvided);
    }
    let scopes = match asked {
        Some(asked) => asked.widened_by(&grant.scopes),
        None => grant.scopes.clone(),
    };
    answer::issue(
        ctx,
        &Issue {
            tenant: &ctx.app.tenant,
            who: Who::User(grant.user),
            scopes: &scopes,
            nonce: grant.nonce.as_deref(),
            appidacr,
            public_client: public,
            // An SPA's refresh tokens live 24 hours from this sign-in.
            spa_since: (grant.platform == Platform::Spa).then(|| ctx.state.clock.unix()),
        },
    )
}

/// PKCE (RFC 7636 §4.6): `BASE64URL(SHA256(code_verifier)) == code_challenge` for S256,
/// plain equality for `plain`. A verifier is required whenever a challenge was sent.
fn check_pkce(grant: &Grant, verifier: Option<&str>) -> Result<(), Aadsts> {
    let Some(challenge) = &grant.challenge else {
        return Ok(());
    };
    let verifier = verifier.ok_or(Aadsts::PkceMismatch)?;
    let computed = match challenge.method {
        ChallengeMethod::S256 => {
            URL_SAFE_NO_PAD.encode(digest::digest(&digest::SHA256, verifier.as_bytes()))
        }
        ChallengeMethod::Plain => verifier.to_owned(),
    };
    if computed == challenge.value {
        Ok(())
    } else {
        Err(Aadsts::PkceMismatch)
    }
}

fn refresh(ctx: &Context<'_>) -> Result<Value, Aadsts> {
    let token = ctx
        .form
        .non_empty("refresh_token")
        .ok_or(Aadsts::MissingParameter("refresh_token"))?;
    let grant: RefreshGrant = ctx
        .state
        .sealer
        .open(REFRESH_TOKEN, token)
        .ok_or(Aadsts::MalformedGrant)?;
    if !grant.client_id.eq_ignore_ascii_case(&ctx.app.client_id) {
        return Err(Aadsts::GrantForAnotherClient);
    }
    let now = ctx.state.clock.unix();
    spa::check_refresh(&grant, spa::origin(ctx.req), now)?;
    if now - grant.issued_at > REFRESH_TOKEN_LIFETIME_SECS {
        return Err(Aadsts::RefreshTokenExpired {
            issued: crate::clock::graph_date_time(
                time::OffsetDateTime::from_unix_timestamp(grant.issued_at)
                    .unwrap_or(time::OffsetDateTime::UNIX_EPOCH),
            ),
        });
    }
    let appidacr = authenticate(ctx, grant.public_client)?;
    let user = demo::user_with_id(&grant.user_id).ok_or(Aadsts::MalformedGrant)?;
    // A refresh token is bound to the user and the app, not to its first scopes: it may get
    // anything the user has consented to for the app since (PROTOCOL.md §4.1).
    let original = original_scopes(ctx, &grant)?;
    let mut consented = original.clone();
    if let Some(stored) = ctx
        .state
        .store
        .consent(&ConsentKey::new(&ctx.app.client_id, &grant.user_id))
    {
        consented.add(&stored);
    }
    // openid-client sends no `scope` here: then the original scopes are granted again.
    let mut scopes = match requested_scopes(ctx)? {
        Some(asked) => {
            asked
                .within(&consented)
                .map_err(|_| consent_required(ctx.app))?;
            asked.widened_by(&consented)
        }
        None => original.widened_by(&consented),
    };
    // The grant had a refresh token, so the answer has a new one, whether or not this
    // request's `scope` names `offline_access` (the documentation's own refresh sample does not).
    scopes.offline_access = true;
    answer::issue(
        ctx,
        &Issue {
            tenant: &ctx.app.tenant,
            who: Who::User(user),
            scopes: &scopes,
            nonce: None,
            appidacr,
            public_client: grant.public_client,
            spa_since: grant.spa_since,
        },
    )
}

fn original_scopes(ctx: &Context<'_>, grant: &RefreshGrant) -> Result<Scopes, Aadsts> {
    match Version::from_number(grant.version) {
        Version::V1 => Ok(scopes::from_registration(&ctx.app.delegated_permissions)),
        Version::V2 => api_scopes::parse(
            &grant.scope,
            &ctx.req.base_url(),
            &ctx.app.delegated_permissions,
            &ctx.segment,
            &ctx.state.store,
        ),
    }
}

/// The scopes this token request asks for, if it names any. v1 names a `resource` instead,
/// which must be Graph.
fn requested_scopes(ctx: &Context<'_>) -> Result<Option<Scopes>, Aadsts> {
    match ctx.version {
        Version::V1 => {
            check_v1_resource(ctx)?;
            Ok(None)
        }
        Version::V2 => ctx
            .form
            .non_empty("scope")
            .map(|scope| {
                api_scopes::parse(
                    scope,
                    &ctx.req.base_url(),
                    &ctx.app.delegated_permissions,
                    &ctx.segment,
                    &ctx.state.store,
                )
            })
            .transpose(),
    }
}

fn check_v1_resource(ctx: &Context<'_>) -> Result<(), Aadsts> {
    match ctx.form.non_empty("resource") {
        Some(resource) if !scopes::is_graph_resource(resource) => Err(Aadsts::UnknownResourceV1 {
            resource: resource.to_owned(),
            tenant: ctx.segment.clone(),
        }),
        _ => Ok(()),
    }
}

fn consent_required(app: &App) -> Aadsts {
    Aadsts::ConsentRequired {
        client_id: app.client_id.clone(),
        app_name: app.display_name.clone(),
    }
}

//! The token endpoint's success answer: the tokens themselves and the JSON around them.
//!
//! v2.0 writes numbers as numbers; the original sample's v1 endpoint wrote them as strings
//! and added `expires_on`, `not_before` and `resource`. Graph's access token is a v1.0 token
//! either way.

use std::ops::RangeInclusive;

use serde_json::{Value, json};

use super::{Context, Version};
use crate::demo::{self, DemoUser};
use crate::errors::Aadsts;
use crate::scopes::{GRAPH_APP_ID, GRAPH_RESOURCE, Scopes};
use crate::seal::REFRESH_TOKEN;
use crate::state::State;
use crate::tokens::{self, AccessClaims, IdClaims, RefreshGrant};
use crate::{endpoints, tokens::client_info};

/// Entra gives each access token a random lifetime of 60 to 90 minutes (75 on average), so
/// that renewals spread out; `expires_in` says which. Deterministic mode keeps one value, so
/// its transcripts repeat.
const ACCESS_TOKEN_LIFETIME_SECS: RangeInclusive<i64> = 3600..=5400;
const DETERMINISTIC_ACCESS_TOKEN_LIFETIME_SECS: i64 = 3599;
const ID_TOKEN_LIFETIME_SECS: i64 = 3600;

fn access_token_lifetime(state: &State) -> i64 {
    if state.config.deterministic {
        return DETERMINISTIC_ACCESS_TOKEN_LIFETIME_SECS;
    }
    let span = ACCESS_TOKEN_LIFETIME_SECS.end() - ACCESS_TOKEN_LIFETIME_SECS.start() + 1;
    let offset = i64::try_from(state.ids.id64() % span.unsigned_abs()).unwrap_or(0);
    ACCESS_TOKEN_LIFETIME_SECS.start() + offset
}

/// Who the token speaks for.
pub(super) enum Who {
    /// A demo user, by index: a delegated token.
    User(usize),
    /// The app itself (client credentials): an app-only token.
    App,
}

pub(super) struct Issue<'a> {
    /// The tenant the tokens are issued in (`tid`).
    pub tenant: &'a str,
    pub who: Who,
    pub scopes: &'a Scopes,
    pub nonce: Option<&'a str>,
    pub appidacr: &'static str,
    pub public_client: bool,
    /// For a single-page app: when its sign-in was, which fixes when every refresh token of
    /// that sign-in ends (24 hours later, see `spa.rs`).
    pub spa_since: Option<i64>,
}

pub(super) fn issue(ctx: &Context<'_>, issue: &Issue<'_>) -> Result<Value, Aadsts> {
    let state = ctx.state;
    // Only if the key could not be made at start: the service is unavailable, not the client
    // wrong.
    let signer = state
        .signer
        .get()
        .map_err(|_| Aadsts::DirectoryUnavailable)?;
    let now = state.clock.unix();
    let lifetime = access_token_lifetime(state);
    let base = ctx.req.base_url();
    let app = ctx.app;
    let uti = state.ids.token(16);
    let user: Option<&DemoUser> = match issue.who {
        Who::User(index) => demo::USERS.get(index),
        Who::App => None,
    };
    let (aud, version_label) = match ctx.version {
        Version::V2 => (GRAPH_APP_ID, "2.0"),
        Version::V1 => (GRAPH_RESOURCE, "1.0"),
    };
    let iss = endpoints::access_token_issuer(&base, issue.tenant);
    // For an app's own API: a v1.0 token for its App ID URI, with its scopes alone.
    let aud = issue
        .scopes
        .api
        .as_ref()
        .map_or(aud, |api| api.resource.as_str());
    let scp = match &issue.scopes.api {
        Some(api) => api.names.join(" "),
        None => issue.scopes.scp(),
    };
    // An app-only token's `sub` is the app's object ID, the same as its `oid`.
    let sub = match user {
        Some(user) => tokens::pairwise_subject(user.id, &app.client_id),
        None => app.object_id.clone(),
    };
    let access_token = signer.sign_access_token(&AccessClaims {
        aud,
        iss: &iss,
        iat: now,
        nbf: now,
        exp: now + lifetime,
        amr: user.map(|_| ["pwd"]),
        app_displayname: &app.display_name,
        appid: &app.client_id,
        appidacr: issue.appidacr,
        family_name: user.map(|u| u.surname),
        given_name: user.map(|u| u.given_name),
        idtyp: if user.is_some() { "user" } else { "app" },
        name: user.map(|u| u.display_name),
        oid: user.map_or(&app.object_id[..], |u| u.id),
        roles: user
            .is_none()
            .then_some(&app.application_permissions[..])
            .filter(|roles| !roles.is_empty()),
        scp: user.map(|_| scp.as_str()),
        sub: &sub,
        tid: issue.tenant,
        unique_name: user.map(|u| u.user_principal_name),
        upn: user.map(|u| u.user_principal_name),
        uti: &uti,
        ver: "1.0",
    });

    let Some(user) = user else {
        // Client credentials: no user, so no id token and no refresh token.
        return Ok(match ctx.version {
            Version::V2 => json!({
                "token_type": "Bearer",
                "expires_in": lifetime,
                "ext_expires_in": lifetime,
                "access_token": access_token,
            }),
            Version::V1 => json!({
                "token_type": "Bearer",
                "expires_in": lifetime.to_string(),
                "ext_expires_in": lifetime.to_string(),
                "expires_on": (now + lifetime).to_string(),
                "not_before": now.to_string(),
                "resource": GRAPH_RESOURCE,
                "access_token": access_token,
            }),
        });
    };

    let id_token = issue.scopes.openid.then(|| {
        let issuer = endpoints::issuer(&base, &ctx.segment, ctx.version);
        let claims = IdClaims {
            aud: &app.client_id,
            iss: &issuer,
            iat: now,
            nbf: now,
            exp: now + ID_TOKEN_LIFETIME_SECS,
            email: issue.scopes.email.then_some(user.user_principal_name),
            family_name: (ctx.version == Version::V1).then_some(user.surname),
            given_name: (ctx.version == Version::V1).then_some(user.given_name),
            name: user.display_name,
            nonce: issue.nonce,
            oid: user.id,
            preferred_username: (ctx.version == Version::V2).then_some(user.user_principal_name),
            sub: &sub,
            tid: issue.tenant,
            unique_name: (ctx.version == Version::V1).then_some(user.user_principal_name),
            upn: (ctx.version == Version::V1).then_some(user.user_principal_name),
            uti: &uti,
            ver: version_label,
        };
        match ctx.version {
            Version::V2 => signer.sign_id_token(&claims),
            Version::V1 => tokens::unsigned_id_token(&claims),
        }
    });

    let refresh_token = (issue.scopes.offline_access || ctx.version == Version::V1).then(|| {
        let grant = RefreshGrant {
            client_id: app.client_id.clone(),
            user_id: user.id.to_owned(),
            scope: format!("{} offline_access", issue.scopes.echo),
            tenant_segment: ctx.segment.clone(),
            public_client: issue.public_client,
            version: ctx.version.number(),
            issued_at: now,
            spa_since: issue.spa_since,
        };
        state.sealer.seal(REFRESH_TOKEN, &grant, &state.ids)
    });

    let mut body = match ctx.version {
        Version::V2 => json!({
            "token_type": "Bearer",
            "scope": issue.scopes.echo,
            "expires_in": lifetime,
            "ext_expires_in": lifetime,
            "access_token": access_token,
        }),
        Version::V1 => json!({
            "token_type": "Bearer",
            "scope": scp,
            "expires_in": lifetime.to_string(),
            "ext_expires_in": lifetime.to_string(),
            "expires_on": (now + lifetime).to_string(),
            "not_before": now.to_string(),
            "resource": GRAPH_RESOURCE,
            "access_token": access_token,
        }),
    };
    if let Some(fields) = body.as_object_mut() {
        if let Some(token) = refresh_token {
            fields.insert("refresh_token".into(), token.into());
            if let Some(since) = issue.spa_since {
                let left = super::spa::refresh_token_expires_in(since, now);
                fields.insert("refresh_token_expires_in".into(), left.into());
            }
        }
        if let Some(token) = id_token {
            fields.insert("id_token".into(), token.into());
        }
        if ctx.form.get("client_info") == Some("1") {
            fields.insert(
                "client_info".into(),
                client_info(user.id, issue.tenant).into(),
            );
        }
    }
    Ok(body)
}

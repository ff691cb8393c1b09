//! One room per endpoint family, named like the URLs they serve.
//!
//! - `discovery`: `/.well-known/openid-configuration` and the JWKS.
//! - `authorize`: `/oauth2/(v2.0/)authorize`: check the request, then sign in or redirect.
//! - `device_code`: `/oauth2/v2.0/devicecode` and the page where a person types the code.
//! - `sign_in`: the HTML sign-in, consent and error pages (they only show).
//! - `decision`: the consent page's buttons: back to the app, or to the polling device.
//! - `token`: `/oauth2/(v2.0/)token`: codes, refresh tokens, client credentials.
//! - `logout`: `/oauth2/(v2.0/)logout`, where `end_session_endpoint` points.
//! - `instance_discovery`: MSAL's `/common/discovery/instance`.
//! - `graph`: `/v1.0/me`, `sendMail`, messages.
//! - `applications`: `/v1.0/applications`, `addPassword`, and one application's `GET` and
//!   `PATCH` (its certificates).

pub(crate) mod applications;
pub(crate) mod authorize;
pub(crate) mod decision;
pub(crate) mod device_code;
pub(crate) mod discovery;
pub(crate) mod graph;
pub(crate) mod instance_discovery;
pub(crate) mod logout;
pub(crate) mod sign_in;
pub(crate) mod token;

use crate::demo;
use crate::errors::Aadsts;
use crate::reply::Reply;
use crate::request::Incoming;
use crate::state::State;
use crate::store::App;

/// Which generation of the identity platform an endpoint belongs to: the original sample's
/// v1 (`/oauth2/token` with `resource`) or v2.0 (`/oauth2/v2.0/token` with `scope`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Version {
    V1,
    V2,
}

impl Version {
    pub(crate) fn number(self) -> u8 {
        match self {
            Version::V1 => 1,
            Version::V2 => 2,
        }
    }

    pub(crate) fn from_number(number: u8) -> Version {
        if number == 1 {
            Version::V1
        } else {
            Version::V2
        }
    }
}

/// The tenant path segment as the mock writes it into URLs and issuers: `common`,
/// `organizations` and `consumers` as they are, a tenant ID (the demo tenant's or a learner's)
/// lower-cased, and the demo tenant's domain replaced by its ID (as Entra's discovery does).
/// Anything else is an unknown tenant.
pub(crate) fn tenant_segment(state: &State, segment: &str) -> Result<String, Aadsts> {
    let lower = segment.to_ascii_lowercase();
    match lower.as_str() {
        "common" | "organizations" | "consumers" => Ok(lower),
        domain if domain == demo::TENANT_DOMAIN => Ok(demo::TENANT_ID.to_owned()),
        domain if domain == demo::OTHER_TENANT_DOMAIN => Ok(demo::OTHER_TENANT_ID.to_owned()),
        id if state.store.has_tenant(id) => Ok(lower),
        _ => Err(Aadsts::UnknownTenant(segment.to_owned())),
    }
}

/// A single-tenant app may not sign in on `/common` or `/organizations` (AADSTS50194): those
/// endpoints let any tenant's users in, and the app trusts only its own.
pub(crate) fn check_audience(app: &App, segment: &str) -> Result<(), Aadsts> {
    if app.is_single_tenant() && matches!(segment, "common" | "organizations") {
        return Err(Aadsts::SingleTenantOnCommon {
            client_id: app.client_id.clone(),
            app_name: app.display_name.clone(),
        });
    }
    Ok(())
}

/// Is `app` in the directory `segment` names? `/common`, `/organizations` and `/consumers`
/// find every app; a learner's tenant only its own. The demo tenant's endpoints also serve
/// learners' apps: the tutorial signs in there, not knowing the learner's tenant, and the
/// demo tenant, whose secrets are public, protects nothing (a mock-only deviation). Fabrikam,
/// the second demo organization, also serves multi-tenant apps, as if its users had consented.
pub(crate) fn serves(app: &App, segment: &str) -> bool {
    matches!(segment, "common" | "organizations" | "consumers")
        || segment == demo::TENANT_ID
        || (segment == demo::OTHER_TENANT_ID && !app.is_single_tenant())
        || app.tenant.eq_ignore_ascii_case(segment)
}

/// The directory a sign-in on `segment` happens in, for `app`: the tenant in the URL, or the
/// app's own where the URL names none (`/common`) or names the demo tenant, which serves
/// learners' apps as their own (see [`serves`]). A code belongs to this tenant.
pub(crate) fn directory(app: &App, segment: &str) -> String {
    if matches!(segment, "common" | "organizations" | "consumers") || segment == demo::TENANT_ID {
        app.tenant.to_ascii_lowercase()
    } else {
        segment.to_ascii_lowercase()
    }
}

/// The issuer of id tokens and of the discovery document for this segment. Concrete on every
/// segment, `/common` included, because strict OpenID clients compare it with the URL they
/// discovered from (`PROTOCOL.md` §1.3 says why this differs from Entra's `{tenantid}`).
pub(crate) fn issuer(base: &str, segment: &str, version: Version) -> String {
    match version {
        Version::V2 => format!("{base}/{segment}/v2.0"),
        Version::V1 => format!("{base}/{segment}/"),
    }
}

/// The issuer of Graph access tokens: always the v1 form with the tenant ID, as Entra's
/// `https://sts.windows.net/{tid}/`, but on the mock's own host.
pub(crate) fn access_token_issuer(base: &str, tenant: &str) -> String {
    format!("{base}/{tenant}/")
}

/// The client a request speaks for, for the classroom log: `client_id` in the query or form,
/// the Basic user, or the `appid` of the bearer token.
pub(crate) fn client_of(req: &Incoming) -> Option<String> {
    let from = |params: &crate::request::Params| params.get("client_id").map(str::to_owned);
    from(req.query())
        .or_else(|| from(req.form()))
        .or_else(|| req.basic_credentials().map(|(id, _)| id))
        .or_else(|| req.bearer().and_then(crate::tokens::unverified_appid))
}

/// `GET /`: what this server is, and the demo tenant's values, for a person with a browser.
pub(crate) fn index_page(req: &Incoming) -> Reply {
    sign_in::index_page(&req.base_url())
}

//! The client credentials grant: the app acting as itself, with no user, for Graph's
//! `/.default` (v2.0) or `resource` (v1).

use serde_json::Value;

use super::answer::{self, Issue, Who};
use super::client_auth::authenticate;
use super::{Context, Version, check_v1_resource, spa};
use crate::demo;
use crate::errors::Aadsts;
use crate::scopes::{self, Scopes};

pub(super) fn client_credentials(ctx: &Context<'_>) -> Result<Value, Aadsts> {
    if matches!(ctx.segment.as_str(), "common" | "consumers") {
        return Err(Aadsts::GrantNotOnCommon);
    }
    let appidacr = authenticate(ctx, false)?;
    spa::check_secret_use(spa::origin(ctx.req))?;
    match ctx.version {
        Version::V2 => {
            // Entra's wording for this one is its older "missing from the credential" (90014).
            let scope = ctx
                .form
                .non_empty("scope")
                .ok_or(Aadsts::MissingField("scope"))?;
            let names_graph_default =
                scope
                    .trim()
                    .strip_suffix("/.default")
                    .is_some_and(|resource| {
                        scopes::is_graph_resource(resource)
                            || resource.eq_ignore_ascii_case(&ctx.req.base_url())
                    });
            if !names_graph_default {
                return Err(Aadsts::ClientCredentialsScope(scope.to_owned()));
            }
        }
        Version::V1 => {
            if ctx.form.non_empty("resource").is_none() {
                return Err(Aadsts::ResourceNotProvided);
            }
            check_v1_resource(ctx)?;
        }
    }
    let tenant = tenant_of_app_token(ctx)?;
    answer::issue(
        ctx,
        &Issue {
            tenant: &tenant,
            who: Who::App,
            scopes: &Scopes::default(),
            nonce: None,
            appidacr,
            public_client: false,
            spa_since: None,
        },
    )
}

/// The tenant an app-only token is issued in: the app's own, except that on a mock others can
/// reach, the portal app's token for the demo tenant opens a new tenant of the caller's own.
/// The portal's secret is public, so the demo tenant's directory cannot be anyone's; the new
/// tenant is reachable only with this token and what it registers.
fn tenant_of_app_token(ctx: &Context<'_>) -> Result<String, Aadsts> {
    let is_portal = ctx
        .app
        .client_id
        .eq_ignore_ascii_case(demo::PORTAL_APP.client_id);
    if !(is_portal && ctx.state.config.is_shared()) {
        return Ok(ctx.app.tenant.clone());
    }
    let tenant = ctx.state.ids.guid();
    ctx.state
        .store
        .add_tenant(&tenant, ctx.req.peer)
        .map_err(|_| Aadsts::DirectoryUnavailable)?;
    Ok(tenant)
}

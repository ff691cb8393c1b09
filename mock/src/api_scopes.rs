//! Scopes of an app's own web API: `api://{appId}/access_as_user`.
//!
//! An app exposes an API through Graph: an App ID URI in `identifierUris` (`api://{appId}`)
//! and scopes in `api.oauth2PermissionScopes`. Another app then asks for
//! `api://{appId}/access_as_user`, and the access token it gets is for that API, not for Graph:
//! a v1.0 token (the default while the API's `requestedAccessTokenVersion` is unset) whose
//! `aud` is the App ID URI as requested and whose `scp` holds the API's scope names. One token
//! is for one resource, so an API scope and a Graph permission cannot be asked for together.

use crate::errors::Aadsts;
use crate::scopes::{self, ApiScopes, Scopes};
use crate::store::{App, Store};

/// A v2.0 `scope` value that may name an API's scopes: those are resolved against the
/// directory, the rest is checked as Graph and OpenID Connect scopes (`scopes::parse`).
pub(crate) fn parse(
    scope: &str,
    own_base: &str,
    declared: &[String],
    tenant: &str,
    store: &Store,
) -> Result<Scopes, Aadsts> {
    let mut api: Option<ApiScopes> = None;
    let mut rest = Vec::new();
    for item in scope.split(' ').filter(|item| !item.is_empty()) {
        let Some((resource, name)) = api_item(item) else {
            rest.push(item);
            continue;
        };
        let app = exposing(store, resource).ok_or_else(|| Aadsts::UnknownResourceV2 {
            resource: resource.to_owned(),
            tenant: tenant.to_owned(),
        })?;
        let asked = api.get_or_insert_with(|| ApiScopes {
            app_id: app.client_id.clone(),
            resource: resource.to_owned(),
            names: Vec::new(),
        });
        // One resource per request (the cloud says so with AADSTS28000).
        if !asked.resource.eq_ignore_ascii_case(resource) {
            return Err(Aadsts::InvalidScope(scope.to_owned()));
        }
        let enabled = app
            .exposed_scopes
            .iter()
            .filter(|exposed| exposed.is_enabled);
        let names: Vec<String> = if name == ".default" {
            enabled.map(|exposed| exposed.value.clone()).collect()
        } else {
            enabled
                .filter(|exposed| exposed.value == name)
                .map(|exposed| exposed.value.clone())
                .take(1)
                .collect()
        };
        if names.is_empty() {
            return Err(Aadsts::InvalidScope(scope.to_owned()));
        }
        for name in names {
            if !asked.names.contains(&name) {
                asked.names.push(name);
            }
        }
    }
    let Some(api) = api else {
        return scopes::parse(scope, own_base, declared, tenant);
    };
    let mut parsed = if rest
        .iter()
        .any(|item| !item.eq_ignore_ascii_case("offline_access"))
    {
        scopes::parse(&rest.join(" "), own_base, declared, tenant)?
    } else {
        Scopes {
            offline_access: !rest.is_empty(),
            ..Scopes::default()
        }
    };
    if !parsed.graph.is_empty() {
        return Err(Aadsts::InvalidScope(scope.to_owned()));
    }
    parsed.echo = scope
        .split(' ')
        .filter(|item| !item.is_empty() && !item.eq_ignore_ascii_case("offline_access"))
        .collect::<Vec<_>>()
        .join(" ");
    parsed.api = Some(api);
    Ok(parsed)
}

/// `api://…/name` → (`api://…`, `name`); `{guid}/name` too, a GUID that is not Graph's.
fn api_item(item: &str) -> Option<(&str, &str)> {
    let (resource, name) = item.rsplit_once('/')?;
    let is_api_uri = resource
        .get(..6)
        .is_some_and(|scheme| scheme.eq_ignore_ascii_case("api://"));
    let is_app_id = is_guid(resource) && !scopes::is_graph_resource(resource);
    (is_api_uri || is_app_id).then_some((resource, name))
}

/// The app that exposes `resource`: by its App ID URI, or by its client ID.
fn exposing(store: &Store, resource: &str) -> Option<std::sync::Arc<App>> {
    let app_id = match resource.get(..6) {
        Some(scheme) if scheme.eq_ignore_ascii_case("api://") => {
            resource[6..].split('/').next().unwrap_or_default()
        }
        _ => resource,
    };
    let app = store.app(app_id)?;
    let named = resource.eq_ignore_ascii_case(&app.client_id)
        || app
            .identifier_uris
            .iter()
            .any(|uri| uri.eq_ignore_ascii_case(resource));
    named.then_some(app)
}

pub(crate) fn is_guid(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.iter().map(|group| group.len()).eq([8, 4, 4, 4, 12])
        && groups
            .iter()
            .all(|group| group.bytes().all(|byte| byte.is_ascii_hexdigit()))
}

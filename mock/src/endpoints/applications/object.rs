//! One application object: `GET` and `PATCH /v1.0/applications/{id}` (or
//! `/applications(appId='{appId}')`).
//!
//! `PATCH` is how a developer uploads a certificate (Graph's "Add a certificate to an app"
//! page): `keyCredentials` replaces the whole list, each entry an `AsymmetricX509Cert` for
//! `Verify` with the DER certificate in `key`, base64. It also renames the app and replaces a
//! platform's reply URLs (`web`, `spa`, `publicClient`), with the rules and the limit of
//! registration. Graph answers `204 No Content`. `GET`
//! then shows each credential without its `key`, which Graph returns only to a `$select` of
//! `keyCredentials`. `PATCH` also exposes an API: `identifierUris` (`api://{appId}`) and
//! `api.oauth2PermissionScopes`, the scopes other apps may ask for.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use hyper::StatusCode;
use serde_json::{Map, Value, json};

use super::{MANAGE_ALL, authorize_caller, invalid_property};
use crate::api_scopes::is_guid;
use crate::certificates::{Certificate, KeyCredential};
use crate::clock;
use crate::errors::GraphError;
use crate::reply::{self, Reply};
use crate::request::Incoming;
use crate::scopes::{GRAPH_APP_ID, GRAPH_PERMISSION_IDS};
use crate::state::State;
use crate::store::ExposedScope;
use crate::store::{App, AppKey};
use crate::tokens::CheckedClaims;

/// The application a path segment names: `{object id}` or `applications(appId='…')`.
pub(crate) enum Named<'a> {
    ObjectId(&'a str),
    /// The whole `applications(…)` segment.
    Alternate(&'a str),
}

impl<'a> Named<'a> {
    fn key(&self) -> Result<AppKey<'a>, GraphError> {
        match self {
            Named::ObjectId(id) => Ok(AppKey::ObjectId(id)),
            Named::Alternate(segment) => super::app_id_in(segment)
                .map(AppKey::ClientId)
                .ok_or_else(|| GraphError::SegmentNotFound((*segment).to_owned())),
        }
    }
}

/// `GET`: the application as Graph shows it, with `$select` if asked.
pub(crate) fn get(req: &Incoming, state: &State, named: Named<'_>) -> Result<Reply, GraphError> {
    let claims = authorize_caller(req, state)?;
    let key = named.key()?;
    let app = state
        .store
        .app_in(&claims.tid, key)
        .ok_or_else(|| not_found(key))?;
    let query = req.query();
    let selected: Option<Vec<String>> = query.get("$select").map(|list| {
        list.split(',')
            .map(|name| name.trim().to_ascii_lowercase())
            .collect()
    });
    let with_keys = selected
        .as_ref()
        .is_some_and(|names| names.iter().any(|name| name == "keycredentials"));
    let mut resource = application(&app, with_keys);
    if let (Some(names), Some(fields)) = (&selected, resource.as_object_mut()) {
        fields.retain(|name, _| names.contains(&name.to_ascii_lowercase()));
    }
    let mut body = Map::new();
    body.insert(
        "@odata.context".into(),
        format!("{}/v1.0/$metadata#applications/$entity", req.base_url()).into(),
    );
    if let Value::Object(fields) = resource {
        body.extend(fields);
    }
    Ok(reply::odata(StatusCode::OK, &body))
}

/// `PATCH`: changes the properties the body names; `204 No Content`.
pub(crate) fn update(req: &Incoming, state: &State, named: Named<'_>) -> Result<Reply, GraphError> {
    let claims = authorize_caller(req, state)?;
    let key = named.key()?;
    let body: Value = serde_json::from_slice(&req.body).map_err(|_| GraphError::UnreadableJson)?;
    let Some(changes) = body.as_object() else {
        return Err(GraphError::UnreadableJson);
    };
    let now = state.clock.unix();
    state.store.modify_app(
        &claims.tid,
        key,
        || not_found(key),
        |app| {
            may_manage(&claims, app)?;
            for (name, value) in changes {
                match name.as_str() {
                    "keyCredentials" => {
                        app.key_credentials = key_credentials(value, app, state, now)?;
                    }
                    "displayName" => app.display_name = super::display_name(value)?.to_owned(),
                    "web" | "spa" | "publicClient" => {
                        let uris = super::redirect_uris(&value["redirectUris"], name)?;
                        match name.as_str() {
                            "web" => app.web_redirect_uris = uris,
                            "spa" => app.spa_redirect_uris = uris,
                            _ => app.public_redirect_uris = uris,
                        }
                    }
                    "identifierUris" => app.identifier_uris = identifier_uris(value, app)?,
                    "api" => app.exposed_scopes = exposed_scopes(value)?,
                    _ => return Err(GraphError::UnknownApplicationProperty(name.clone())),
                }
            }
            super::check_redirect_uri_count(app)?;
            Ok(())
        },
    )?;
    let mut answer = reply::accepted();
    *answer.status_mut() = StatusCode::NO_CONTENT;
    Ok(answer)
}

fn may_manage(claims: &CheckedClaims, app: &App) -> Result<(), GraphError> {
    let manages_all = claims.has_role(&[MANAGE_ALL]) || claims.has_scope(&[MANAGE_ALL]);
    if manages_all || app.owner.as_deref() == Some(claims.appid.as_str()) {
        Ok(())
    } else {
        Err(GraphError::InsufficientPrivileges)
    }
}

fn not_found(key: AppKey<'_>) -> GraphError {
    GraphError::ResourceNotFound(match key {
        AppKey::ClientId(id) | AppKey::ObjectId(id) => id.to_owned(),
    })
}

/// The new list of certificates. An entry naming the `keyId` of one the app already has, and
/// no `key`, keeps that one (Graph never shows a `key` back, so a list read and sent again
/// has none).
fn key_credentials(
    value: &Value,
    app: &App,
    state: &State,
    now: i64,
) -> Result<Vec<KeyCredential>, GraphError> {
    let Some(entries) = value.as_array() else {
        return Err(GraphError::SchemaMismatch("keyCredentials".into()));
    };
    entries
        .iter()
        .map(|entry| {
            let key_id = entry["keyId"].as_str();
            let existing = key_id.and_then(|id| {
                app.key_credentials
                    .iter()
                    .find(|key| key.key_id.eq_ignore_ascii_case(id))
            });
            match (entry["key"].as_str(), existing) {
                (None, Some(kept)) => Ok(kept.clone()),
                (key, _) => new_key_credential(entry, key, state, now),
            }
        })
        .collect()
}

fn new_key_credential(
    entry: &Value,
    key: Option<&str>,
    state: &State,
    now: i64,
) -> Result<KeyCredential, GraphError> {
    let invalid = |name: &str| {
        GraphError::InvalidProperty(format!(
            "Invalid value specified for property '{name}' of resource 'KeyCredential'."
        ))
    };
    if entry["type"].as_str() != Some("AsymmetricX509Cert") {
        return Err(invalid("type"));
    }
    if !entry["usage"]
        .as_str()
        .is_some_and(|usage| usage.eq_ignore_ascii_case("Verify"))
    {
        return Err(GraphError::InvalidKeyUsage);
    }
    let der = key
        .and_then(|text| STANDARD.decode(text.trim()).ok())
        .ok_or_else(|| invalid("key"))?;
    let certificate = Certificate::from_der(&der).map_err(|_| invalid("key"))?;
    let date = |name: &str, default: i64| match entry[name].as_str() {
        None => Ok(default),
        Some(text) => {
            time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339)
                .map(|at| at.unix_timestamp())
                .map_err(|_| invalid(name))
        }
    };
    let start = date("startDateTime", certificate.not_before)?;
    let end = date("endDateTime", certificate.not_after)?;
    // A credential may not outlive its certificate, nor end before it starts.
    if end > certificate.not_after || end <= start || end <= now {
        return Err(GraphError::KeyEndDateInvalid);
    }
    Ok(KeyCredential {
        key_id: entry["keyId"]
            .as_str()
            .map(str::to_owned)
            .unwrap_or_else(|| state.ids.guid()),
        display_name: entry["displayName"]
            .as_str()
            .map_or_else(|| certificate.subject.clone(), str::to_owned),
        custom_key_identifier: entry["customKeyIdentifier"]
            .as_str()
            .map_or_else(|| certificate.thumbprint(), str::to_owned),
        start,
        end,
        certificate,
    })
}

/// App ID URIs: `api://{appId}` (or below it), the form any tenant may use without a
/// verified domain of its own.
fn identifier_uris(value: &Value, app: &App) -> Result<Vec<String>, GraphError> {
    const MAX_IDENTIFIER_URIS: usize = 50;
    let Some(list) = value.as_array() else {
        return Err(GraphError::SchemaMismatch("identifierUris".into()));
    };
    if list.len() > MAX_IDENTIFIER_URIS {
        return Err(invalid_property("identifierUris"));
    }
    let own = format!("api://{}", app.client_id);
    list.iter()
        .map(|uri| {
            let uri = uri
                .as_str()
                .ok_or_else(|| GraphError::SchemaMismatch("identifierUris".into()))?;
            let lower = uri.to_ascii_lowercase();
            let is_own = lower == own || lower.starts_with(&format!("{own}/"));
            if is_own && uri.len() <= 256 && !uri.chars().any(char::is_whitespace) {
                Ok(uri.to_owned())
            } else {
                Err(GraphError::IdentifierUriNotVerified(uri.to_owned()))
            }
        })
        .collect()
}

/// `api.oauth2PermissionScopes`: each scope with its ID, value, who may consent and the words
/// of the consent page. Of the rest of `api`, only the default token version (`null` or 1) is
/// taken.
fn exposed_scopes(api: &Value) -> Result<Vec<ExposedScope>, GraphError> {
    const MAX_SCOPES: usize = 100;
    let Some(fields) = api.as_object() else {
        return Err(GraphError::SchemaMismatch("api".into()));
    };
    for (name, value) in fields {
        let default_version =
            name == "requestedAccessTokenVersion" && (value.is_null() || value.as_i64() == Some(1));
        if name != "oauth2PermissionScopes" && !default_version {
            return Err(GraphError::UnknownApplicationProperty(format!(
                "api.{name}"
            )));
        }
    }
    let Some(list) = fields.get("oauth2PermissionScopes") else {
        return Ok(Vec::new());
    };
    let Some(list) = list.as_array().filter(|list| list.len() <= MAX_SCOPES) else {
        return Err(invalid_property("api"));
    };
    let text = |scope: &Value, name: &str| {
        scope[name]
            .as_str()
            .filter(|text| !text.trim().is_empty() && text.len() <= 1024)
            .map(str::to_owned)
    };
    list.iter()
        .map(|scope| {
            let value = text(scope, "value")
                .filter(|value| value.len() <= 120 && !value.contains(char::is_whitespace));
            let kind = scope["type"]
                .as_str()
                .filter(|kind| matches!(*kind, "User" | "Admin"));
            match (
                scope["id"].as_str().filter(|id| is_guid(id)),
                value,
                kind,
                text(scope, "adminConsentDisplayName"),
                text(scope, "adminConsentDescription"),
            ) {
                (Some(id), Some(value), Some(kind), Some(display), Some(description)) => {
                    Ok(ExposedScope {
                        id: id.to_owned(),
                        value,
                        kind: kind.to_owned(),
                        is_enabled: scope["isEnabled"].as_bool().unwrap_or(true),
                        admin_consent_display_name: display,
                        admin_consent_description: description,
                        user_consent_display_name: text(scope, "userConsentDisplayName"),
                        user_consent_description: text(scope, "userConsentDescription"),
                    })
                }
                _ => Err(invalid_property("api")),
            }
        })
        .collect()
}

/// The application object, in the order Graph writes it, from what the mock keeps of it.
fn application(app: &App, with_keys: bool) -> Value {
    let date = |unix: i64| {
        clock::graph_date_time(
            time::OffsetDateTime::from_unix_timestamp(unix)
                .unwrap_or(time::OffsetDateTime::UNIX_EPOCH),
        )
    };
    let key_credentials: Vec<Value> = app
        .key_credentials
        .iter()
        .map(|key| {
            json!({
                "customKeyIdentifier": key.custom_key_identifier,
                "displayName": key.display_name,
                "endDateTime": date(key.end),
                "key": with_keys.then(|| STANDARD.encode(&key.certificate.der)),
                "keyId": key.key_id,
                "startDateTime": date(key.start),
                "type": "AsymmetricX509Cert",
                "usage": "Verify",
            })
        })
        .collect();
    let password_credentials: Vec<Value> = app
        .secrets
        .iter()
        .map(|secret| {
            json!({
                "customKeyIdentifier": null,
                "displayName": null,
                "endDateTime": date(secret.expires_at.min(253_402_300_799)),
                "hint": secret.text.chars().take(3).collect::<String>(),
                "keyId": null,
                "secretText": null,
                "startDateTime": null,
            })
        })
        .collect();
    let scopes: Vec<Value> = app
        .delegated_permissions
        .iter()
        .filter_map(|name| {
            GRAPH_PERMISSION_IDS
                .iter()
                .find(|(_, known)| known.eq_ignore_ascii_case(name))
                .map(|(id, _)| json!({"id": id, "type": "Scope"}))
        })
        .collect();
    let required_resource_access = if scopes.is_empty() {
        json!([])
    } else {
        json!([{"resourceAppId": GRAPH_APP_ID, "resourceAccess": scopes}])
    };
    let exposed: Vec<Value> = app
        .exposed_scopes
        .iter()
        .map(|scope| {
            json!({
                "adminConsentDescription": scope.admin_consent_description,
                "adminConsentDisplayName": scope.admin_consent_display_name,
                "id": scope.id,
                "isEnabled": scope.is_enabled,
                "type": scope.kind,
                "userConsentDescription": scope.user_consent_description,
                "userConsentDisplayName": scope.user_consent_display_name,
                "value": scope.value,
            })
        })
        .collect();
    json!({
        "id": app.object_id,
        "appId": app.client_id,
        "identifierUris": app.identifier_uris,
        "displayName": app.display_name,
        "isFallbackPublicClient": app.fallback_public_client,
        "signInAudience": app.sign_in_audience,
        "api": {
            "requestedAccessTokenVersion": null,
            "oauth2PermissionScopes": exposed,
        },
        "keyCredentials": key_credentials,
        "passwordCredentials": password_credentials,
        "publicClient": {"redirectUris": app.public_redirect_uris},
        "requiredResourceAccess": required_resource_access,
        "web": {"redirectUris": app.web_redirect_uris},
        "spa": {"redirectUris": app.spa_redirect_uris},
    })
}

//! App registration through Graph: `POST /v1.0/applications` (with `web`, `spa` and
//! `publicClient` reply URLs) and `…/addPassword`; one application read and changed (`GET`,
//! `PATCH`) in `applications/object.rs`.
//!
//! This is what the Azure portal does when you click "New registration" and "New client
//! secret", so step 1 of the tutorial can show the real requests. The caller needs
//! `Application.ReadWrite.OwnedBy` (it may then manage only the apps it created) or
//! `Application.ReadWrite.All`, and sees only its own tenant's directory (the token's `tid`):
//! another tenant's app is not found at all.
//!
//! Graph's limits hold: a `displayName` of at most 256 characters, at most 256 reply URLs of
//! at most 256 characters each, only `https` (or `http` on loopback, or a native app's own
//! scheme) and never a fragment, user name or control character; apps and secrets per tenant
//! are capped (see `store/tenants.rs`).

use hyper::StatusCode;
use serde_json::{Value, json};
use url::Url;

use super::graph::authenticate;
use crate::clock;
use crate::demo;
use crate::errors::GraphError;
use crate::reply::{self, Reply};
use crate::request::Incoming;
use crate::scopes::{GRAPH_APP_ID, GRAPH_PERMISSION_IDS};
use crate::state::State;
use crate::store::{App, AppKey, Quota, SINGLE_TENANT, Secret};
use crate::tokens::CheckedClaims;

pub(crate) mod object;

const MANAGE_ALL: &str = "Application.ReadWrite.All";
const MANAGE_OWN: &str = "Application.ReadWrite.OwnedBy";
/// Graph's default for a new secret: two years.
const SECRET_LIFETIME_SECS: i64 = 2 * 365 * 24 * 3600;
/// Graph's limits on an application's name and reply URLs.
const MAX_DISPLAY_NAME_CHARS: usize = 256;
const MAX_REDIRECT_URIS: usize = 256;
const MAX_REDIRECT_URI_CHARS: usize = 256;
/// Schemes that would run or read something in the browser instead of reaching an app.
const UNSAFE_SCHEMES: &[&str] = &["javascript", "data", "vbscript", "file", "blob", "about"];

impl From<Quota> for GraphError {
    fn from(_: Quota) -> GraphError {
        GraphError::QuotaExceeded
    }
}

fn authorize_caller(req: &Incoming, state: &State) -> Result<CheckedClaims, GraphError> {
    let claims = authenticate(req, state)?;
    if claims.tid.is_empty() {
        return Err(GraphError::InvalidToken);
    }
    if claims.has_role(&[MANAGE_ALL, MANAGE_OWN]) || claims.has_scope(&[MANAGE_ALL]) {
        Ok(claims)
    } else {
        Err(GraphError::InsufficientPrivileges)
    }
}

/// `POST /v1.0/applications`: register an app; `201 Created` with the new application.
pub(crate) fn register(req: &Incoming, state: &State) -> Result<Reply, GraphError> {
    let claims = authorize_caller(req, state)?;
    let body: Value = serde_json::from_slice(&req.body).map_err(|_| GraphError::UnreadableJson)?;
    let display_name = display_name(&body["displayName"])?;
    let web_redirect_uris = redirect_uris(&body["web"]["redirectUris"], "web")?;
    let public_redirect_uris =
        redirect_uris(&body["publicClient"]["redirectUris"], "publicClient")?;
    let spa_redirect_uris = redirect_uris(&body["spa"]["redirectUris"], "spa")?;
    if web_redirect_uris.len() + public_redirect_uris.len() + spa_redirect_uris.len()
        > MAX_REDIRECT_URIS
    {
        return Err(invalid_property("web"));
    }
    let delegated_permissions = declared_permissions(&body["requiredResourceAccess"]);
    let sign_in_audience = sign_in_audience(&body["signInAudience"])?;

    let object_id = state.ids.guid();
    let client_id = state.ids.guid();
    let base = req.base_url();
    let fallback_public_client = body["isFallbackPublicClient"].as_bool();
    // The whole application object, in the order Graph writes it.
    let resource = json!({
        "@odata.context": format!("{base}/v1.0/$metadata#applications/$entity"),
        "id": object_id,
        "deletedDateTime": null,
        "isFallbackPublicClient": fallback_public_client,
        "appId": client_id,
        "applicationTemplateId": null,
        "identifierUris": [],
        "createdDateTime": clock::graph_date_time(state.clock.now()),
        "displayName": display_name,
        "isDeviceOnlyAuthSupported": null,
        "groupMembershipClaims": null,
        "optionalClaims": null,
        "addIns": [],
        "publisherDomain": demo::TENANT_DOMAIN,
        "signInAudience": sign_in_audience,
        "tags": [],
        "tokenEncryptionKeyId": null,
        "api": {
            "requestedAccessTokenVersion": null,
            "acceptMappedClaims": null,
            "knownClientApplications": [],
            "oauth2PermissionScopes": [],
            "preAuthorizedApplications": [],
        },
        "appRoles": [],
        "publicClient": {"redirectUris": public_redirect_uris},
        "info": {
            "termsOfServiceUrl": null,
            "supportUrl": null,
            "privacyStatementUrl": null,
            "marketingUrl": null,
            "logoUrl": null,
        },
        "keyCredentials": [],
        "parentalControlSettings": {"countriesBlockedForMinors": [], "legalAgeGroupRule": "Allow"},
        "passwordCredentials": [],
        "requiredResourceAccess": body.get("requiredResourceAccess").cloned().unwrap_or(json!([])),
        "web": {
            "redirectUris": web_redirect_uris,
            "homePageUrl": null,
            "logoutUrl": null,
            "implicitGrantSettings": {"enableIdTokenIssuance": false, "enableAccessTokenIssuance": false},
        },
        "spa": {"redirectUris": spa_redirect_uris},
    });
    let app = App {
        tenant: claims.tid.to_ascii_lowercase(),
        object_id: object_id.clone(),
        client_id,
        display_name: display_name.to_owned(),
        web_redirect_uris,
        public_redirect_uris,
        spa_redirect_uris,
        secrets: Vec::new(),
        key_credentials: Vec::new(),
        identifier_uris: Vec::new(),
        exposed_scopes: Vec::new(),
        delegated_permissions,
        application_permissions: Vec::new(),
        fallback_public_client: fallback_public_client.unwrap_or(false),
        owner: Some(claims.appid),
        sign_in_audience,
    };
    state.store.register(app)?;
    let mut answer = reply::odata(StatusCode::CREATED, &resource);
    reply::set_header(
        &mut answer,
        "location",
        &format!("{base}/v2/directoryObjects/{object_id}/Microsoft.DirectoryServices.Application"),
    );
    Ok(answer)
}

/// `POST /v1.0/applications(appId='{appId}')/addPassword`.
pub(crate) fn add_password(
    req: &Incoming,
    state: &State,
    segment: &str,
) -> Result<Reply, GraphError> {
    let client_id =
        app_id_in(segment).ok_or_else(|| GraphError::SegmentNotFound(segment.to_owned()))?;
    new_secret(req, state, AppKey::ClientId(client_id))
}

/// The client ID in an alternate key, `applications(appId='{appId}')`.
fn app_id_in(segment: &str) -> Option<&str> {
    segment
        .strip_prefix("applications(")
        .or_else(|| segment.strip_prefix("Applications("))
        .and_then(|rest| rest.strip_suffix(')'))
        .and_then(|key| {
            let (name, value) = key.split_once('=')?;
            name.eq_ignore_ascii_case("appId").then_some(value)
        })
        .map(|value| value.trim_matches('\''))
}

/// `POST /v1.0/applications/{id}/addPassword`, `{id}` being the object ID.
pub(crate) fn add_password_by_object_id(
    req: &Incoming,
    state: &State,
    object_id: &str,
) -> Result<Reply, GraphError> {
    new_secret(req, state, AppKey::ObjectId(object_id))
}

/// Adds a client secret and returns it: the only time Graph ever shows `secretText`. The
/// app is looked up in the caller's own tenant, and the secret added under the same lock, so
/// concurrent calls each keep theirs.
fn new_secret(req: &Incoming, state: &State, key: AppKey<'_>) -> Result<Reply, GraphError> {
    let claims = authorize_caller(req, state)?;
    // The body and its `passwordCredential` are both optional.
    let body: Value = if req.body.is_empty() {
        json!({})
    } else {
        serde_json::from_slice(&req.body).map_err(|_| GraphError::UnreadableJson)?
    };
    let credential = &body["passwordCredential"];
    let now = state.clock.now();
    let expires_at = match credential["endDateTime"].as_str() {
        Some(end) => {
            time::OffsetDateTime::parse(end, &time::format_description::well_known::Rfc3339)
                .map_err(|_| invalid_property("endDateTime"))?
        }
        None => now + time::Duration::seconds(SECRET_LIFETIME_SECS),
    };
    // Entra's secrets look like `abc8Q~…`: 40 characters, the first three shown as the hint.
    let random = state.ids.token(27);
    let secret_text = format!("{}8Q~{}", &random[..3], &random[3..]);
    let hint: String = secret_text.chars().take(3).collect();

    let not_found = || {
        GraphError::ResourceNotFound(match key {
            AppKey::ClientId(id) | AppKey::ObjectId(id) => id.to_owned(),
        })
    };
    state.store.modify_app(&claims.tid, key, not_found, |app| {
        let may_manage = claims.has_role(&[MANAGE_ALL])
            || claims.has_scope(&[MANAGE_ALL])
            || app.owner.as_deref() == Some(claims.appid.as_str());
        if !may_manage {
            return Err(GraphError::InsufficientPrivileges);
        }
        app.secrets.push(Secret {
            text: secret_text.clone(),
            expires_at: expires_at.unix_timestamp(),
        });
        Ok(())
    })?;

    let answer = json!({
        "@odata.context": format!("{}/v1.0/$metadata#microsoft.graph.passwordCredential", req.base_url()),
        "customKeyIdentifier": null,
        "displayName": credential["displayName"].as_str(),
        "endDateTime": clock::graph_date_time(expires_at),
        "hint": hint,
        "keyId": state.ids.guid(),
        "secretText": secret_text,
        "startDateTime": clock::graph_date_time(now),
    });
    Ok(reply::odata(StatusCode::OK, &answer))
}

fn invalid_property(name: &str) -> GraphError {
    GraphError::InvalidProperty(format!(
        "Invalid value specified for property '{name}' of resource 'Application'."
    ))
}

/// A `displayName`: not blank, at most 256 characters.
fn display_name(value: &Value) -> Result<&str, GraphError> {
    value
        .as_str()
        .filter(|name| !name.trim().is_empty())
        .filter(|name| name.chars().count() <= MAX_DISPLAY_NAME_CHARS)
        .ok_or_else(|| invalid_property("displayName"))
}

/// At most 256 reply URLs over all platforms.
fn check_redirect_uri_count(app: &App) -> Result<(), GraphError> {
    let total =
        app.web_redirect_uris.len() + app.public_redirect_uris.len() + app.spa_redirect_uris.len();
    if total > MAX_REDIRECT_URIS {
        return Err(invalid_property("web"));
    }
    Ok(())
}

/// Graph's four audiences; a new app is single-tenant unless it says otherwise.
fn sign_in_audience(value: &Value) -> Result<String, GraphError> {
    const AUDIENCES: [&str; 4] = [
        SINGLE_TENANT,
        "AzureADMultipleOrgs",
        "AzureADandPersonalMicrosoftAccount",
        "PersonalMicrosoftAccount",
    ];
    match value {
        Value::Null => Ok(SINGLE_TENANT.to_owned()),
        Value::String(text) if AUDIENCES.contains(&text.as_str()) => Ok(text.clone()),
        _ => Err(invalid_property("signInAudience")),
    }
}

/// Reply URLs must be absolute; plain `http` only for loopback, as Entra requires. A `spa`
/// URL follows the `web` rules: it is a page the browser loads.
fn redirect_uris(list: &Value, platform: &str) -> Result<Vec<String>, GraphError> {
    let Some(list) = list.as_array() else {
        return Ok(Vec::new());
    };
    if list.len() > MAX_REDIRECT_URIS {
        return Err(invalid_property(platform));
    }
    list.iter()
        .map(|uri| {
            let text = uri.as_str().ok_or_else(|| invalid_property(platform))?;
            if is_acceptable_redirect_uri(text, platform) {
                Ok(text.to_owned())
            } else {
                Err(invalid_property(platform))
            }
        })
        .collect()
}

/// Entra's rules for a reply URL: absolute, at most 256 characters, no fragment, no user name
/// or password, `https` (or `http` on loopback; or, for a native app, its own scheme), never
/// a scheme the browser would run. Control characters are refused before parsing, because
/// the URL parser would quietly drop tabs and line breaks.
fn is_acceptable_redirect_uri(text: &str, platform: &str) -> bool {
    if text.chars().count() > MAX_REDIRECT_URI_CHARS
        || text.chars().any(char::is_control)
        || text.contains('#')
    {
        return false;
    }
    let Ok(url) = Url::parse(text) else {
        return false;
    };
    if !url.username().is_empty() || url.password().is_some() {
        return false;
    }
    let scheme = url.scheme();
    let loopback = matches!(url.host_str(), Some("localhost" | "127.0.0.1" | "[::1]"));
    scheme == "https"
        || (scheme == "http" && loopback)
        || (platform == "publicClient" && scheme != "http" && !UNSAFE_SCHEMES.contains(&scheme))
}

/// The Graph permissions named in `requiredResourceAccess`, by their IDs.
fn declared_permissions(required: &Value) -> Vec<String> {
    let Some(resources) = required.as_array() else {
        return Vec::new();
    };
    resources
        .iter()
        .filter(|resource| resource["resourceAppId"].as_str() == Some(GRAPH_APP_ID))
        .filter_map(|resource| resource["resourceAccess"].as_array())
        .flatten()
        .filter(|access| access["type"].as_str() == Some("Scope"))
        .filter_map(|access| access["id"].as_str())
        .filter_map(|id| {
            GRAPH_PERMISSION_IDS
                .iter()
                .find(|(known, _)| known.eq_ignore_ascii_case(id))
                .map(|(_, name)| (*name).to_owned())
        })
        .collect()
}

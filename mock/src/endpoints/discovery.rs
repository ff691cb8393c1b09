//! Discovery: the OpenID configuration document and the signing keys (JWKS).
//!
//! A client starts here: from `/{tenant}/v2.0/.well-known/openid-configuration` it learns where
//! to send the user (`authorization_endpoint`), where to redeem the code (`token_endpoint`),
//! and where to fetch the keys that verify the tokens (`jwks_uri`). Keys and their order are
//! Microsoft's; every URL is built from the address the client used to reach us.

use hyper::StatusCode;
use serde_json::json;

use super::{Version, issuer, tenant_segment};
use crate::errors::Aadsts;
use crate::reply::{self, Reply};
use crate::request::Incoming;
use crate::state::State;

/// The v1 document lists the v1 id token's claims, which differ from v2.0's.
const V1_CLAIMS_SUPPORTED: [&str; 17] = [
    "sub",
    "iss",
    "cloud_instance_name",
    "cloud_instance_host_name",
    "cloud_graph_host_name",
    "msgraph_host",
    "aud",
    "exp",
    "iat",
    "auth_time",
    "acr",
    "amr",
    "nonce",
    "email",
    "given_name",
    "family_name",
    "nickname",
];

pub(crate) fn openid_configuration(
    req: &Incoming,
    state: &State,
    tenant: &str,
    version: Version,
) -> Reply {
    let segment = match tenant_segment(state, tenant) {
        Ok(segment) => segment,
        Err(refusal) => return refusal.reply(&state.trace(req), req),
    };
    let base = req.base_url();
    let at = |path: &str| format!("{base}/{segment}/{path}");
    let claims_supported = [
        "sub",
        "iss",
        "cloud_instance_name",
        "cloud_instance_host_name",
        "cloud_graph_host_name",
        "msgraph_host",
        "aud",
        "exp",
        "iat",
        "auth_time",
        "acr",
        "nonce",
        "preferred_username",
        "name",
        "tid",
        "ver",
        "at_hash",
        "c_hash",
        "email",
    ];
    let document = match version {
        Version::V2 => json!({
            "token_endpoint": at("oauth2/v2.0/token"),
            "token_endpoint_auth_methods_supported": ["client_secret_post", "private_key_jwt", "client_secret_basic"],
            "jwks_uri": at("discovery/v2.0/keys"),
            "response_modes_supported": ["query", "fragment", "form_post"],
            "subject_types_supported": ["pairwise"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "response_types_supported": ["code", "id_token", "code id_token", "id_token token"],
            "scopes_supported": ["openid", "profile", "email", "offline_access"],
            "issuer": issuer(&base, &segment, Version::V2),
            "request_uri_parameter_supported": false,
            "userinfo_endpoint": format!("{base}/oidc/userinfo"),
            "authorization_endpoint": at("oauth2/v2.0/authorize"),
            "device_authorization_endpoint": at("oauth2/v2.0/devicecode"),
            "http_logout_supported": true,
            "frontchannel_logout_supported": true,
            "end_session_endpoint": at("oauth2/v2.0/logout"),
            "claims_supported": claims_supported,
            "kerberos_endpoint": at("kerberos"),
            "tenant_region_scope": null,
            "cloud_instance_name": "microsoftonline.com",
            "cloud_graph_host_name": "graph.windows.net",
            "msgraph_host": "graph.microsoft.com",
            "rbac_url": "https://pas.windows.net",
        }),
        Version::V1 => json!({
            "token_endpoint": at("oauth2/token"),
            "token_endpoint_auth_methods_supported": ["client_secret_post", "private_key_jwt", "client_secret_basic"],
            "jwks_uri": at("discovery/keys"),
            "response_modes_supported": ["query", "fragment", "form_post"],
            "subject_types_supported": ["pairwise"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "response_types_supported": ["code", "id_token", "code id_token", "token id_token", "token"],
            "scopes_supported": ["openid"],
            "issuer": issuer(&base, &segment, Version::V1),
            "microsoft_multi_refresh_token": true,
            "authorization_endpoint": at("oauth2/authorize"),
            "device_authorization_endpoint": at("oauth2/devicecode"),
            "http_logout_supported": true,
            "frontchannel_logout_supported": true,
            "end_session_endpoint": at("oauth2/logout"),
            "claims_supported": V1_CLAIMS_SUPPORTED,
            "check_session_iframe": at("oauth2/checksession"),
            "userinfo_endpoint": at("openid/userinfo"),
            "kerberos_endpoint": at("kerberos"),
            "tenant_region_scope": "NA",
            "cloud_instance_name": "microsoftonline.com",
            "cloud_graph_host_name": "graph.windows.net",
            "msgraph_host": "graph.microsoft.com",
            "rbac_url": "https://pas.windows.net",
        }),
    };
    reply::json(StatusCode::OK, &document)
}

/// The JWKS (RFC 7517 §5). v2.0 keys carry Microsoft's `issuer` extension; v1 keys do not.
pub(crate) fn keys(req: &Incoming, state: &State, tenant: &str, version: Version) -> Reply {
    let segment = match tenant_segment(state, tenant) {
        Ok(segment) => segment,
        Err(refusal) => return refusal.reply(&state.trace(req), req),
    };
    let Ok(signer) = state.signer.get() else {
        return Aadsts::DirectoryUnavailable.reply(&state.trace(req), req);
    };
    let issuer = (version == Version::V2).then(|| issuer(&req.base_url(), &segment, version));
    reply::json(
        StatusCode::OK,
        &json!({ "keys": [signer.jwk(issuer.as_deref())] }),
    )
}

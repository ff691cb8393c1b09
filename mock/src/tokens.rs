//! What a token contains: the claims of access and id tokens, what Graph reads back, and
//! the small values issued beside them.
//!
//! A JWS compact token is three base64url parts: `header.claims.signature`. The claims are
//! serialised here with serde and signed in `signer.rs`.
//!
//! Refresh tokens, authorization codes and sign-in pages are not JWTs: they are sealed
//! (`seal.rs`).

use aws_lc_rs::digest;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};
use serde_json::json;

/// The claims of a Graph access token (a v1.0 token, as Graph's always are).
#[derive(Serialize)]
pub(crate) struct AccessClaims<'a> {
    pub aud: &'a str,
    pub iss: &'a str,
    pub iat: i64,
    pub nbf: i64,
    pub exp: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amr: Option<[&'a str; 1]>,
    pub app_displayname: &'a str,
    pub appid: &'a str,
    /// How the client proved itself: "0" public client, "1" secret.
    pub appidacr: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub family_name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub given_name: Option<&'a str>,
    pub idtyp: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<&'a str>,
    pub oid: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub roles: Option<&'a [String]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scp: Option<&'a str>,
    pub sub: &'a str,
    pub tid: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unique_name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub upn: Option<&'a str>,
    pub uti: &'a str,
    pub ver: &'a str,
}

/// The claims of an id token: v2.0 (signed) or v1.0 (unsigned, from the original sample's
/// endpoint).
#[derive(Serialize)]
pub(crate) struct IdClaims<'a> {
    pub aud: &'a str,
    pub iss: &'a str,
    pub iat: i64,
    pub nbf: i64,
    pub exp: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub family_name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub given_name: Option<&'a str>,
    pub name: &'a str,
    /// Present only when the authorize request sent one, and then copied unchanged.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nonce: Option<&'a str>,
    pub oid: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub preferred_username: Option<&'a str>,
    pub sub: &'a str,
    pub tid: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unique_name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub upn: Option<&'a str>,
    pub uti: &'a str,
    pub ver: &'a str,
}

/// The claims Graph reads back from an access token.
#[derive(Debug, Deserialize)]
pub(crate) struct CheckedClaims {
    #[serde(default)]
    pub aud: String,
    #[serde(default)]
    pub nbf: i64,
    #[serde(default)]
    pub exp: i64,
    #[serde(default)]
    pub idtyp: String,
    #[serde(default)]
    pub appid: String,
    #[serde(default)]
    pub oid: String,
    /// The tenant the token was issued in: whose directory and mailboxes it opens.
    #[serde(default)]
    pub tid: String,
    #[serde(default)]
    pub sub: String,
    #[serde(default)]
    pub scp: Option<String>,
    #[serde(default)]
    pub roles: Option<Vec<String>>,
}

impl CheckedClaims {
    pub(crate) fn has_scope(&self, any_of: &[&str]) -> bool {
        self.scp.as_deref().is_some_and(|scp| {
            scp.split(' ')
                .any(|granted| any_of.iter().any(|want| granted.eq_ignore_ascii_case(want)))
        })
    }

    pub(crate) fn has_role(&self, any_of: &[&str]) -> bool {
        self.roles.as_deref().is_some_and(|roles| {
            roles
                .iter()
                .any(|granted| any_of.iter().any(|want| granted.eq_ignore_ascii_case(want)))
        })
    }
}

/// The `appid` a token claims, read without checking the signature: for display in the
/// request log only, never for a decision.
pub(crate) fn unverified_appid(token: &str) -> Option<String> {
    /// Only `appid` is read: the other claims are skipped, not built.
    #[derive(Deserialize)]
    struct AppIdOnly {
        appid: Option<String>,
    }
    let payload = token.split('.').nth(1)?;
    let bytes = URL_SAFE_NO_PAD.decode(payload).ok()?;
    serde_json::from_slice::<AppIdOnly>(&bytes).ok()?.appid
}

/// An id token with `"alg":"none"` and an empty signature: what the v1 endpoint returned to
/// the original sample. Nothing should trust it, and the tutorial says so.
pub(crate) fn unsigned_id_token(claims: &IdClaims<'_>) -> String {
    let header = URL_SAFE_NO_PAD.encode(r#"{"typ":"JWT","alg":"none"}"#);
    let payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(claims).unwrap_or_default());
    format!("{header}.{payload}.")
}

/// `client_info`: unpadded base64url of `{"uid":…,"utid":…}`; MSAL builds its account key
/// (`uid.utid`) from it.
pub(crate) fn client_info(uid: &str, utid: &str) -> String {
    URL_SAFE_NO_PAD.encode(json!({"uid": uid, "utid": utid}).to_string())
}

/// The pairwise `sub`: stable for one user and one app, different for every other app, so two
/// apps cannot correlate a user by `sub`.
pub(crate) fn pairwise_subject(user_id: &str, client_id: &str) -> String {
    let hash = digest::digest(&digest::SHA256, format!("{user_id}:{client_id}").as_bytes());
    URL_SAFE_NO_PAD.encode(hash.as_ref())
}

/// What a refresh token stands for. Sealed inside the token itself.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub(crate) struct RefreshGrant {
    pub client_id: String,
    pub user_id: String,
    /// The scopes as first requested, in request order.
    pub scope: String,
    pub tenant_segment: String,
    pub public_client: bool,
    /// 1 for the v1 endpoint, 2 for v2.0.
    pub version: u8,
    pub issued_at: i64,
    /// Issued to a single-page app: when its sign-in was. The token and every one that
    /// replaces it end 24 hours after that.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spa_since: Option<i64>,
}

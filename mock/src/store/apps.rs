//! An app registration as the directory holds it, and how its reply URLs match.

use aws_lc_rs::constant_time::verify_slices_are_equal;
use serde::{Deserialize, Serialize};
use url::Url;

use crate::certificates::KeyCredential;
use crate::demo::{self, DemoApp};

/// The `signInAudience` of a single-tenant app, the portal's and Graph's default.
pub(crate) const SINGLE_TENANT: &str = "AzureADMyOrg";

/// An app registration.
#[derive(Clone, Debug)]
pub(crate) struct App {
    /// The tenant the app is registered in: its directory.
    pub tenant: String,
    pub object_id: String,
    pub client_id: String,
    pub display_name: String,
    /// Reply URLs of the Web platform: a confidential client redeems codes sent here.
    pub web_redirect_uris: Vec<String>,
    /// Reply URLs of "Mobile and desktop": a public client redeems codes sent here.
    pub public_redirect_uris: Vec<String>,
    /// Reply URLs of "Single-page application": codes sent here are redeemed by the browser
    /// itself, cross-origin, with PKCE and no secret.
    pub spa_redirect_uris: Vec<String>,
    pub secrets: Vec<Secret>,
    /// Certificates (`keyCredentials`): a client assertion signed with one proves the app.
    pub key_credentials: Vec<KeyCredential>,
    /// App ID URIs (`api://{appId}`): the names of the API this app exposes.
    pub identifier_uris: Vec<String>,
    /// The scopes its API exposes (`api.oauth2PermissionScopes`).
    pub exposed_scopes: Vec<ExposedScope>,
    pub delegated_permissions: Vec<String>,
    pub application_permissions: Vec<String>,
    /// "Allow public client flows": the device code flow without a secret.
    pub fallback_public_client: bool,
    /// The app that registered this one, for `Application.ReadWrite.OwnedBy`.
    pub owner: Option<String>,
    /// Who may sign in: `AzureADMyOrg` (this tenant only, the default), `AzureADMultipleOrgs`,
    /// `AzureADandPersonalMicrosoftAccount` or `PersonalMicrosoftAccount`.
    pub sign_in_audience: String,
}

/// A client secret (a Graph `passwordCredential`).
#[derive(Clone, Debug)]
pub(crate) struct Secret {
    pub text: String,
    pub expires_at: i64,
}

/// Where a reply URL is registered, which decides whether the client must prove itself and
/// from where it may redeem the code.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) enum Platform {
    #[default]
    Web,
    PublicClient,
    Spa,
}

impl Platform {
    pub(crate) fn is_web(&self) -> bool {
        *self == Platform::Web
    }
}

/// What a secret costs the directory, beyond its text.
const SECRET_OVERHEAD: usize = 64;
/// What an app costs the directory, beyond its strings.
const APP_OVERHEAD: usize = 512;

impl App {
    pub(crate) fn from_demo(app: &DemoApp) -> App {
        let strings = |list: &[&str]| list.iter().map(|s| s.to_string()).collect();
        App {
            tenant: demo::TENANT_ID.into(),
            object_id: app.object_id.into(),
            client_id: app.client_id.into(),
            display_name: app.display_name.into(),
            web_redirect_uris: strings(app.redirect_uris),
            public_redirect_uris: Vec::new(),
            spa_redirect_uris: Vec::new(),
            secrets: vec![Secret {
                text: app.client_secret.into(),
                expires_at: i64::MAX,
            }],
            key_credentials: Vec::new(),
            identifier_uris: Vec::new(),
            exposed_scopes: Vec::new(),
            delegated_permissions: strings(app.delegated_permissions),
            application_permissions: strings(app.application_permissions),
            fallback_public_client: false,
            owner: None,
            sign_in_audience: app.sign_in_audience.into(),
        }
    }

    /// Roughly what this registration costs in memory, counted against the directory's quotas.
    pub(crate) fn size(&self) -> usize {
        let strings = |list: &[String]| list.iter().map(String::len).sum::<usize>();
        APP_OVERHEAD
            + self.display_name.len()
            + strings(&self.web_redirect_uris)
            + strings(&self.public_redirect_uris)
            + strings(&self.spa_redirect_uris)
            + strings(&self.delegated_permissions)
            + strings(&self.application_permissions)
            + self
                .secrets
                .iter()
                .map(|secret| secret.text.len() + SECRET_OVERHEAD)
                .sum::<usize>()
            + self
                .key_credentials
                .iter()
                .map(KeyCredential::size)
                .sum::<usize>()
            + strings(&self.identifier_uris)
            + self
                .exposed_scopes
                .iter()
                .map(ExposedScope::size)
                .sum::<usize>()
    }

    /// A single-tenant app signs in only on its own tenant's endpoints.
    pub(crate) fn is_single_tenant(&self) -> bool {
        self.sign_in_audience == SINGLE_TENANT
    }

    /// Where `redirect_uri` is registered, if anywhere. Exact string match, except that the
    /// port of a registered `localhost` URL is ignored: Microsoft's redirect-URI rules say
    /// this holds only for `localhost`, so `127.0.0.1` must match its port too. Paths are
    /// case-sensitive.
    pub(crate) fn platform_of(&self, redirect_uri: &str) -> Option<Platform> {
        let matches = |registered: &String| redirect_matches(registered, redirect_uri);
        if self.web_redirect_uris.iter().any(matches) {
            Some(Platform::Web)
        } else if self.spa_redirect_uris.iter().any(matches) {
            Some(Platform::Spa)
        } else if self.public_redirect_uris.iter().any(matches) {
            Some(Platform::PublicClient)
        } else {
            None
        }
    }

    pub(crate) fn has_redirect_uris(&self) -> bool {
        !self.web_redirect_uris.is_empty()
            || !self.public_redirect_uris.is_empty()
            || !self.spa_redirect_uris.is_empty()
    }

    /// The only registered reply URL, which stands in when a request names none.
    pub(crate) fn single_redirect_uri(&self) -> Option<&str> {
        let mut all = self
            .web_redirect_uris
            .iter()
            .chain(&self.spa_redirect_uris)
            .chain(&self.public_redirect_uris);
        match (all.next(), all.next()) {
            (Some(only), None) => Some(only),
            _ => None,
        }
    }

    /// Whether `origin` (`scheme://host[:port]`, as a browser sends it) is the origin of one of
    /// the app's single-page-application reply URLs: the only pages whose scripts may read the
    /// token endpoint's answers.
    pub(crate) fn is_spa_origin(&self, origin: &str) -> bool {
        self.spa_redirect_uris.iter().any(|uri| {
            Url::parse(uri).is_ok_and(|url| url.origin().ascii_serialization() == origin)
        })
    }

    /// Compares in constant time, so response timing does not leak how much of a guess was right.
    pub(crate) fn secret_matches(&self, offered: &str, now: i64) -> bool {
        self.secrets.iter().any(|secret| {
            secret.expires_at > now
                && verify_slices_are_equal(secret.text.as_bytes(), offered.as_bytes()).is_ok()
        })
    }

    /// Whether `offered` is one of this app's secrets whose end date has passed (Entra says
    /// so, AADSTS7000222, rather than calling the value wrong).
    pub(crate) fn secret_expired(&self, offered: &str, now: i64) -> bool {
        self.secrets.iter().any(|secret| {
            secret.expires_at <= now
                && verify_slices_are_equal(secret.text.as_bytes(), offered.as_bytes()).is_ok()
        })
    }
}

fn redirect_matches(registered: &str, sent: &str) -> bool {
    if registered == sent {
        return true;
    }
    let (Ok(registered), Ok(sent)) = (Url::parse(registered), Url::parse(sent)) else {
        return false;
    };
    registered.host_str() == Some("localhost")
        && registered.scheme() == sent.scheme()
        && registered.host_str() == sent.host_str()
        && registered.path() == sent.path()
        && registered.query() == sent.query()
}

/// One entry of `api.oauth2PermissionScopes`.
#[derive(Clone, Debug)]
pub(crate) struct ExposedScope {
    pub id: String,
    pub value: String,
    /// `User` (a user may consent) or `Admin`.
    pub kind: String,
    pub is_enabled: bool,
    pub admin_consent_display_name: String,
    pub admin_consent_description: String,
    pub user_consent_display_name: Option<String>,
    pub user_consent_description: Option<String>,
}

impl ExposedScope {
    pub(crate) fn size(&self) -> usize {
        self.id.len()
            + self.value.len()
            + self.kind.len()
            + self.admin_consent_display_name.len()
            + self.admin_consent_description.len()
            + self
                .user_consent_display_name
                .as_ref()
                .map_or(0, String::len)
            + self
                .user_consent_description
                .as_ref()
                .map_or(0, String::len)
            + 32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_localhost_reply_urls_match_on_any_port() {
        let app = App::from_demo(&demo::WEB_APP);

        assert_eq!(
            app.platform_of("http://localhost:53124/connect/get_token/"),
            Some(Platform::Web)
        );
        assert_eq!(
            app.platform_of("http://127.0.0.1:53124/connect/get_token/"),
            None
        );
        assert_eq!(
            app.platform_of("http://127.0.0.1:8000/connect/get_token/"),
            Some(Platform::Web)
        );
        assert_eq!(
            app.platform_of("http://127.0.0.1:8000/connect/get_token"),
            None
        );
        assert_eq!(
            app.platform_of("http://127.0.0.1:8000/Connect/get_token/"),
            None
        );
        assert_eq!(
            app.platform_of("https://127.0.0.1:8000/connect/get_token/"),
            None
        );
    }
}

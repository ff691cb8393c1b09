//! Scopes: what an app asks for, checked against what Graph and OpenID Connect define.
//!
//! The v2.0 endpoint takes `scope=openid profile offline_access User.Read Mail.Send`: OpenID
//! Connect scopes plus Graph permissions, either bare (`User.Read`) or with the resource in
//! front (`https://graph.microsoft.com/User.Read`). The original sample's v1 endpoint
//! takes `resource=https://graph.microsoft.com` instead and grants the permissions declared in
//! the app registration.

use serde::{Deserialize, Deserializer, Serialize};

use crate::errors::Aadsts;

/// Graph's application ID: the `aud` of a token asked for with v2.0 scopes.
pub const GRAPH_APP_ID: &str = "00000003-0000-0000-c000-000000000000";
/// Graph's App ID URI: the `resource` of the v1 endpoint, and the `aud` of its tokens.
pub const GRAPH_RESOURCE: &str = "https://graph.microsoft.com";

/// The delegated Graph permissions the mock knows, each with the words the consent page uses.
pub const GRAPH_PERMISSIONS: &[(&str, &str)] = &[
    ("User.Read", "Sign you in and read your profile"),
    ("User.ReadWrite", "Read and update your profile"),
    ("User.ReadBasic.All", "Read the basic profiles of all users"),
    ("Mail.Send", "Send mail as you"),
    ("Mail.Read", "Read your mail"),
    ("Mail.ReadBasic", "Read basic information about your mail"),
    ("Mail.ReadWrite", "Read and write your mail"),
    (
        "Application.ReadWrite.All",
        "Read and write all app registrations",
    ),
];

/// Delegated permissions only an administrator may consent to (Graph's permissions reference
/// marks them "Admin consent required: Yes").
pub const ADMIN_CONSENT_ONLY: &[&str] = &["Application.ReadWrite.All"];

/// The IDs Graph gives its delegated permissions (`requiredResourceAccess` names them by ID).
pub const GRAPH_PERMISSION_IDS: &[(&str, &str)] = &[
    ("e1fe6dd8-ba31-4d61-89e7-88639da4683d", "User.Read"),
    ("b4e74841-8e56-480b-be8b-910348b18b4c", "User.ReadWrite"),
    ("b340eb25-3456-403f-be2f-af7a0d370277", "User.ReadBasic.All"),
    ("e383f46e-2787-4529-855e-0e479a3ffac0", "Mail.Send"),
    ("570282fd-fa5c-430d-a7fd-fc8dc98a9dca", "Mail.Read"),
    ("a4b8392a-d8d1-4954-a029-8e668a39a170", "Mail.ReadBasic"),
    ("024d486e-b451-40bb-833d-3e66d98c5c73", "Mail.ReadWrite"),
    (
        "bdfbf15f-ee85-4955-8675-146e8e5296b5",
        "Application.ReadWrite.All",
    ),
    ("37f7f235-527c-4136-accd-4a02d197296e", "openid"),
    ("14dad69e-099b-42c9-810b-d002981feec1", "profile"),
    ("64a6cdd6-aab1-4aaf-94b8-3cc8405e90d0", "email"),
    ("7427e0e9-2fba-42fe-b0c0-848c9e6a8182", "offline_access"),
];

/// The OpenID Connect scopes, with their consent words. They ask for no Graph data.
pub const OPENID_SCOPES: &[(&str, &str)] = &[
    ("openid", "Know who you are (OpenID Connect sign-in)"),
    ("profile", "View your basic profile"),
    ("email", "View your email address"),
    (
        "offline_access",
        "Maintain access to data you have given it access to",
    ),
];

/// A checked scope request.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Scopes {
    /// Graph permissions in Graph's spelling, in the order asked.
    #[serde(deserialize_with = "known_permissions")]
    pub graph: Vec<&'static str>,
    /// The OpenID Connect scopes asked for, in Graph's order.
    pub openid: bool,
    pub profile: bool,
    pub email: bool,
    pub offline_access: bool,
    /// The scopes as the client wrote them, `offline_access` left out: what the token
    /// answer's `scope` echoes (MSAL caches under these exact strings).
    pub echo: String,
    /// Scopes of an app's own API instead of Graph's (`api://{appId}/access_as_user`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api: Option<ApiScopes>,
}

impl Scopes {
    /// `scp`: Graph permissions then the OpenID scopes, as Entra writes it.
    pub(crate) fn scp(&self) -> String {
        let mut parts: Vec<&str> = self.graph.clone();
        for (on, name) in [
            (self.profile, "profile"),
            (self.openid, "openid"),
            (self.email, "email"),
        ] {
            if on {
                parts.push(name);
            }
        }
        parts.join(" ")
    }

    /// Does this request ask for a permission a user cannot consent to alone?
    pub(crate) fn needs_admin_consent(&self) -> bool {
        self.graph
            .iter()
            .any(|permission| ADMIN_CONSENT_ONLY.contains(permission))
    }

    /// Does this request ask for nothing beyond `granted`?
    pub(crate) fn within(&self, granted: &Scopes) -> Result<(), String> {
        if self.api.is_some() && self.api != granted.api {
            return Err(self.echo.clone());
        }
        if let Some(extra) = self.graph.iter().find(|p| !granted.graph.contains(p)) {
            return Err((*extra).to_string());
        }
        for (asked, had, name) in [
            (self.openid, granted.openid, "openid"),
            (self.profile, granted.profile, "profile"),
            (self.email, granted.email, "email"),
            (
                self.offline_access,
                granted.offline_access,
                "offline_access",
            ),
        ] {
            if asked && !had {
                return Err(name.to_string());
            }
        }
        Ok(())
    }

    /// Adds what `other` names: consent accumulating across sign-ins.
    pub(crate) fn add(&mut self, other: &Scopes) {
        for permission in &other.graph {
            if !self.graph.contains(permission) {
                self.graph.push(permission);
            }
        }
        self.openid |= other.openid;
        self.profile |= other.profile;
        self.email |= other.email;
        self.offline_access |= other.offline_access;
    }

    /// This request's scopes as Entra issues them: every Graph permission the user has
    /// consented to for the app, named or not, lands in `scp` and in the answer's `scope`
    /// (after the scopes as the client wrote them, which MSAL caches under).
    pub(crate) fn widened_by(&self, consented: &Scopes) -> Scopes {
        let mut issued = self.clone();
        // A token for an API carries that API's scopes alone.
        if issued.api.is_some() {
            return issued;
        }
        for permission in &consented.graph {
            if !issued.graph.contains(permission) {
                issued.graph.push(permission);
                if !issued.echo.is_empty() {
                    issued.echo.push(' ');
                }
                issued.echo.push_str(permission);
            }
        }
        issued
    }

    /// Every scope in consent-page words, OpenID scopes last.
    pub(crate) fn plain_words(&self) -> Vec<(&'static str, &'static str)> {
        let mut words: Vec<(&str, &str)> = self
            .graph
            .iter()
            .filter_map(|p| {
                GRAPH_PERMISSIONS
                    .iter()
                    .find(|(name, _)| name == p)
                    .copied()
            })
            .collect();
        for (on, index) in [
            (self.openid, 0),
            (self.profile, 1),
            (self.email, 2),
            (self.offline_access, 3),
        ] {
            if on {
                words.push(OPENID_SCOPES[index]);
            }
        }
        words
    }
}

/// Checks a v2.0 `scope` value. `own_base` is the mock's own URL, so that the Graph SDKs'
/// default `{scheme}://{host}/.default` names Graph too. `declared` are the app's registered
/// permissions, which `/.default` stands for.
pub(crate) fn parse(
    scope: &str,
    own_base: &str,
    declared: &[String],
    tenant: &str,
) -> Result<Scopes, Aadsts> {
    let mut scopes = Scopes::default();
    let mut echo = Vec::new();
    let mut saw_default = false;
    let mut saw_named_graph = false;
    for item in scope.split(' ').filter(|s| !s.is_empty()) {
        if item.eq_ignore_ascii_case("offline_access") {
            scopes.offline_access = true;
            continue;
        }
        echo.push(item);
        match item.to_ascii_lowercase().as_str() {
            "openid" => scopes.openid = true,
            "profile" => scopes.profile = true,
            "email" => scopes.email = true,
            _ => {
                let name = graph_permission_name(item, own_base).ok_or_else(|| {
                    match item.rsplit_once('/') {
                        Some((resource, _)) if !is_graph(resource, own_base) => {
                            Aadsts::UnknownResourceV2 {
                                resource: resource.to_string(),
                                tenant: tenant.to_string(),
                            }
                        }
                        _ => Aadsts::InvalidScope(scope.to_string()),
                    }
                })?;
                if name == ".default" {
                    saw_default = true;
                    for permission in declared {
                        push_permission(&mut scopes.graph, permission);
                    }
                } else {
                    saw_named_graph = true;
                    push_permission(&mut scopes.graph, name);
                }
            }
        }
    }
    // `.default` already means "everything declared"; naming more beside it is refused.
    if saw_default && saw_named_graph {
        return Err(Aadsts::InvalidScope(scope.to_string()));
    }
    if echo.is_empty() && !scopes.offline_access {
        return Err(Aadsts::MissingParameter("scope"));
    }
    scopes.echo = echo.join(" ");
    Ok(scopes)
}

/// The v1 endpoint's grant: the app's declared permissions, plus `openid` (v1 always returns
/// an id token to the code flow).
pub(crate) fn from_registration(declared: &[String]) -> Scopes {
    let mut scopes = Scopes {
        openid: true,
        offline_access: true,
        ..Scopes::default()
    };
    for permission in declared {
        push_permission(&mut scopes.graph, permission);
    }
    scopes.echo = scopes.graph.join(" ");
    scopes
}

/// Is this `resource` (v1) Graph?
pub(crate) fn is_graph_resource(resource: &str) -> bool {
    let resource = resource.trim_end_matches('/');
    resource.eq_ignore_ascii_case(GRAPH_RESOURCE) || resource.eq_ignore_ascii_case(GRAPH_APP_ID)
}

fn is_graph(resource: &str, own_base: &str) -> bool {
    is_graph_resource(resource) || resource.eq_ignore_ascii_case(own_base)
}

/// `User.Read`, `https://graph.microsoft.com/User.Read` → `User.Read` (Graph's spelling);
/// `…/.default` → `.default`; anything else → `None`.
fn graph_permission_name(item: &str, own_base: &str) -> Option<&'static str> {
    let bare = match item.rsplit_once('/') {
        Some((resource, name)) if is_graph(resource, own_base) => name,
        Some(_) => return None,
        None => item,
    };
    if bare == ".default" {
        return Some(".default");
    }
    GRAPH_PERMISSIONS
        .iter()
        .map(|(name, _)| *name)
        .find(|name| name.eq_ignore_ascii_case(bare))
}

/// Reads permission names back (from a sealed code) as the table's own `&'static str`s.
fn known_permissions<'de, D: Deserializer<'de>>(names: D) -> Result<Vec<&'static str>, D::Error> {
    let names = Vec::<String>::deserialize(names)?;
    let mut graph = Vec::new();
    for name in &names {
        push_permission(&mut graph, name);
    }
    Ok(graph)
}

fn push_permission(graph: &mut Vec<&'static str>, permission: &str) {
    if let Some(name) = GRAPH_PERMISSIONS
        .iter()
        .map(|(name, _)| *name)
        .find(|name| name.eq_ignore_ascii_case(permission))
        && !graph.contains(&name)
    {
        graph.push(name);
    }
}

/// The API scopes of one request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct ApiScopes {
    /// The API app's client ID.
    pub app_id: String,
    /// The resource as the request named it (`api://{appId}` or the bare app ID): the token's
    /// `aud`.
    pub resource: String,
    /// The scope names (`access_as_user`), in the order asked.
    pub names: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "http://127.0.0.1:8400";

    #[test]
    fn graph_scopes_are_recognised_bare_or_prefixed_and_echoed_as_sent() {
        let scopes = parse(
            "openid profile offline_access https://graph.microsoft.com/user.read Mail.Send",
            BASE,
            &[],
            "common",
        )
        .expect("valid scopes");

        assert_eq!(scopes.graph, vec!["User.Read", "Mail.Send"]);
        assert!(scopes.openid && scopes.profile && scopes.offline_access && !scopes.email);
        assert_eq!(
            scopes.echo,
            "openid profile https://graph.microsoft.com/user.read Mail.Send"
        );
        assert_eq!(scopes.scp(), "User.Read Mail.Send profile openid");
    }

    #[test]
    fn dot_default_stands_for_the_declared_permissions_even_on_the_mocks_own_host() {
        let declared = vec!["User.Read".to_string(), "Mail.Send".to_string()];

        let scopes = parse("http://127.0.0.1:8400/.default", BASE, &declared, "common")
            .expect("the SDK default scope is accepted");

        assert_eq!(scopes.graph, vec!["User.Read", "Mail.Send"]);
    }

    #[test]
    fn unknown_permissions_and_resources_are_refused_with_their_codes() {
        let unknown = parse("User.Fly", BASE, &[], "common");
        let elsewhere = parse("https://vault.azure.net/user_impersonation", BASE, &[], "t");
        let mixed = parse(
            "https://graph.microsoft.com/.default User.Read",
            BASE,
            &[],
            "t",
        );

        assert_eq!(unknown.err().map(|e| e.entry().code), Some(70011));
        assert_eq!(elsewhere.err().map(|e| e.entry().code), Some(500011));
        assert_eq!(mixed.err().map(|e| e.entry().code), Some(70011));
    }
}

//! Where requests go: the offline mock started in this process, a mock started elsewhere
//! (`--mock-url`, a classroom), or the live Microsoft cloud (`--live`).
//!
//! The three differ only in base URLs, the tenant and where the app's credentials come from;
//! every step runs the same code against all of them.

use url::Url;

use crate::error::Error;
use crate::fixtures;
use crate::lang::Lang;
use crate::protocol::Flow;
use crate::registration::TenantId;

/// The real hosts, used with `--live`.
pub const LIVE_LOGIN: &str = "https://login.microsoftonline.com";
pub const LIVE_GRAPH: &str = "https://graph.microsoft.com";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// The mock started inside this process on a free loopback port.
    OfflineMock,
    /// A mock started elsewhere with `tutorial mock`.
    Classroom,
    /// login.microsoftonline.com and graph.microsoft.com.
    Live,
}

pub struct Target {
    pub kind: Kind,
    login: Url,
    graph: Url,
    /// The tenant segment of the sign-in URLs: the tenant the app was registered in (the mock's
    /// demo tenant, or `--tenant`). A single-tenant app, the portal's default, may sign in only
    /// there: `/common` refuses it (AADSTS50194).
    pub tenant: TenantId,
    /// Keeps the in-process mock running; dropping the target stops it.
    _mock: Option<graph_mock::MockServer>,
}

fn parse(what: &'static str, value: &str, hint: &'static str) -> Result<Url, Error> {
    let url = Url::parse(value).map_err(|e| Error::BadUrl {
        what,
        value: value.to_owned(),
        reason: e.to_string(),
        hint,
    })?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(Error::BadUrl {
            what,
            value: value.to_owned(),
            reason: "it must be an http:// or https:// URL with a host".into(),
            hint,
        });
    }
    Ok(url)
}

impl Target {
    /// Starts the mock in this process. Auto-approve skips the sign-in page (for `--yes`).
    pub async fn offline(deterministic: bool, auto_approve: bool) -> Result<Target, Error> {
        let config = if deterministic {
            graph_mock::Config::deterministic()
        } else {
            graph_mock::Config::default()
        };
        let mock = graph_mock::MockServer::start(config.auto_approve_if(auto_approve))
            .await
            .map_err(Error::MockDidNotStart)?;
        let base = parse("the offline mock", &mock.uri(), "tutorial --mock-url URL")?;
        Ok(Target {
            kind: Kind::OfflineMock,
            login: base.clone(),
            graph: base,
            tenant: fixtures::tenant_domain(),
            _mock: Some(mock),
        })
    }

    /// A mock someone else runs, serving login and Graph on one base URL.
    pub fn classroom(base: &str) -> Result<Target, Error> {
        let base = parse(
            "--mock-url",
            base,
            "tutorial --mock-url http://127.0.0.1:8400",
        )?;
        Ok(Target {
            kind: Kind::Classroom,
            login: base.clone(),
            graph: base,
            tenant: fixtures::tenant_domain(),
            _mock: None,
        })
    }

    /// The real cloud (or, in tests, servers standing in for it at `login` and `graph`).
    pub fn live(tenant: &TenantId, login: &str, graph: &str) -> Result<Target, Error> {
        Ok(Target {
            kind: Kind::Live,
            login: parse("the sign-in host", login, "leave --login-base out")?,
            graph: parse("the Graph host", graph, "leave --graph-base out")?,
            tenant: tenant.clone(),
            _mock: None,
        })
    }

    /// Whether the sign-in host or Graph is reached over HTTPS (the live cloud, a mock started
    /// with `--tls`).
    pub fn uses_tls(&self) -> bool {
        self.login.scheme() == "https" || self.graph.scheme() == "https"
    }

    pub fn is_mock(&self) -> bool {
        self.kind != Kind::Live
    }

    /// What the screen says in every step title, in `lang`.
    pub fn label(&self, lang: Lang) -> String {
        match self.kind {
            Kind::OfflineMock => lang.ui("target-offline").into(),
            Kind::Classroom => lang.ui_with(
                "target-classroom",
                &[("url", self.login.as_str().trim_end_matches('/'))],
            ),
            Kind::Live => lang.ui_with("target-live", &[("tenant", self.tenant.as_str())]),
        }
    }

    /// Whose progress this is: progress saved against one target is not used for another.
    pub fn identity(&self) -> String {
        match self.kind {
            Kind::OfflineMock => "offline".into(),
            Kind::Classroom => format!("mock {}", self.login),
            Kind::Live => format!("live {} {}", self.login, self.tenant),
        }
    }

    fn join(base: &Url, path: &str) -> Url {
        let mut url = base.clone();
        let prefix = base.path().trim_end_matches('/');
        url.set_path(&format!("{prefix}/{}", path.trim_start_matches('/')));
        url.set_query(None);
        url
    }

    fn oauth(&self, tenant: &str, flow: Flow, leaf: &str) -> Url {
        let path = match flow {
            Flow::V2 | Flow::Device => format!("{tenant}/oauth2/v2.0/{leaf}"),
            Flow::V1 => format!("{tenant}/oauth2/{leaf}"),
        };
        Target::join(&self.login, &path)
    }

    pub fn authorize_url(&self, flow: Flow) -> Url {
        self.oauth(self.tenant.as_str(), flow, "authorize")
    }

    pub fn token_url(&self, flow: Flow) -> Url {
        self.oauth(self.tenant.as_str(), flow, "token")
    }

    /// Where a device asks for its device code (device code flow, v2.0 only).
    pub fn device_code_url(&self) -> Url {
        self.oauth(self.tenant.as_str(), Flow::Device, "devicecode")
    }

    /// The token endpoint of one named tenant (client credentials cannot use `common`).
    pub fn tenant_token_url(&self, tenant: &TenantId) -> Url {
        self.oauth(tenant.as_str(), Flow::V2, "token")
    }

    /// The signing keys (JWKS) for tokens from this tenant segment.
    pub fn jwks_url(&self) -> Url {
        Target::join(&self.login, &format!("{}/discovery/v2.0/keys", self.tenant))
    }

    /// A Graph v1.0 URL: `graph("me")` → `{graph}/v1.0/me`.
    pub fn graph(&self, path: &str) -> Url {
        Target::join(&self.graph, &format!("v1.0/{path}"))
    }
}

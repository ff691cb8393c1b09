//! `GET /common/discovery/instance`: MSAL's instance discovery ("is this authority a cloud
//! Microsoft knows, and what are its aliases?"). The mock answers for itself: its own host is
//! the one preferred network, cache and alias, so MSAL with instance discovery on keeps every
//! request on the mock. Another host gets Entra's `invalid_instance` (AADSTS50049).

use hyper::StatusCode;
use serde_json::json;
use url::Url;

use crate::errors::Aadsts;
use crate::reply::{self, Reply};
use crate::request::Incoming;
use crate::state::State;

pub(crate) fn handle(req: &Incoming, state: &State) -> Reply {
    let params = req.query();
    let base = req.base_url();
    let own_host = Url::parse(&base).ok().and_then(|url| authority(&url));
    let tenant = match params.non_empty("authorization_endpoint").map(Url::parse) {
        None => "common".to_owned(),
        Some(Ok(endpoint)) if own_host.is_some() && authority(&endpoint) == own_host => endpoint
            .path_segments()
            .and_then(|mut segments| segments.next().map(str::to_owned))
            .filter(|segment| !segment.is_empty())
            .unwrap_or_else(|| "common".to_owned()),
        Some(_) => return Aadsts::UnknownInstance.reply(&state.trace(req), req),
    };
    let own_host = own_host.unwrap_or_default();
    let body = json!({
        "tenant_discovery_endpoint": format!("{base}/{tenant}/v2.0/.well-known/openid-configuration"),
        "api-version": "1.1",
        "metadata": [{
            "preferred_network": own_host,
            "preferred_cache": own_host,
            "aliases": [own_host],
        }],
    });
    reply::json(StatusCode::OK, &body)
}

/// `host[:port]`, lower-cased: what MSAL calls an instance.
fn authority(url: &Url) -> Option<String> {
    let host = url.host_str()?.to_ascii_lowercase();
    Some(match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host,
    })
}

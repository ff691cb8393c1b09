//! The mock's demo tenant and apps, and the tutorial's own reply URL, as the tutorial's
//! types. They are constants known to be well formed, so each is checked here once and a
//! failure is a bug in this crate or the mock, not in anything a learner typed.

use graph_mock::fixtures::{DemoApp, TENANT_DOMAIN, TENANT_ID};

use crate::listener::REPLY_URL;
use crate::registration::{ClientId, RedirectUri, TenantId};

/// The demo tenant by its domain (`contoso.onmicrosoft.com`), as a learner would type it.
pub fn tenant_domain() -> TenantId {
    TenantId::parse(TENANT_DOMAIN).expect("the mock's demo tenant has a domain name")
}

/// The demo tenant by its GUID (the portal's "Directory (tenant) ID").
pub fn tenant_id() -> TenantId {
    TenantId::parse(TENANT_ID).expect("the mock's demo tenant ID is a GUID")
}

/// The client ID of one of the mock's pre-registered apps.
pub fn client_id(app: DemoApp) -> ClientId {
    ClientId::parse(app.client_id).expect("the mock's demo apps have GUID client IDs")
}

/// The reply URL step 1 registers: the 2016 article's.
pub fn reply_url() -> RedirectUri {
    RedirectUri::parse(REPLY_URL).expect("REPLY_URL is an absolute http URL")
}

//! The directory: tenants, and the apps registered in each, with quotas per tenant and overall.
//!
//! A tenant's quota is what one learner can use; the overall caps keep the mock's memory
//! bounded. Past either, new registrations are refused: nothing already stored is ever evicted
//! to make room, so one learner's load cannot cost another learner their app. And since
//! opening tenants is free, one client address may open only a share of them, and register
//! only a share of all apps: a learner flooding from their machine fills their own share, not
//! the room's.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Arc;

use super::apps::App;
use crate::demo;

/// Tenants the mock holds at once, the demo tenant included.
pub(crate) const MAX_TENANTS: usize = 20_000;
/// Apps one tenant may register: Entra's limit on what one non-admin user may create.
pub(crate) const MAX_APPS_PER_TENANT: usize = 250;
/// What one tenant's registrations may weigh in memory. Plenty for a class's apps; a tenant
/// filling every reply-URL list to the brim reaches it sooner (a mock-only limit).
pub(crate) const MAX_TENANT_BYTES: usize = 512 * 1024;
/// Apps and bytes in all tenants together.
pub(crate) const MAX_APPS: usize = 50_000;
pub(crate) const MAX_DIRECTORY_BYTES: usize = 64 * 1024 * 1024;
/// Tenants one client address may open, and apps registered in them: a classroom behind one
/// NAT running step 1 several times each stays far below; one machine flooding fills a
/// twentieth of the whole (mock-only limits).
pub(crate) const MAX_TENANTS_PER_ADDRESS: usize = MAX_TENANTS / 20;
pub(crate) const MAX_APPS_PER_ADDRESS: usize = MAX_APPS / 20;
/// Client secrets on one app (a mock-only limit).
pub(crate) const MAX_SECRETS_PER_APP: usize = 256;
/// Certificates on one app (a mock-only limit, as for secrets).
pub(crate) const MAX_KEYS_PER_APP: usize = 256;

/// Why the directory refused to store something.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Quota {
    /// This tenant has used its share.
    TenantFull,
    /// All tenants together have used the mock's.
    DirectoryFull,
    /// No room for another tenant.
    TooManyTenants,
    /// Past the secrets or the certificates one app may hold.
    TooManySecrets,
}

/// Which app: by client ID (`appId`) or by object ID (`id`).
#[derive(Clone, Copy, Debug)]
pub(crate) enum AppKey<'a> {
    ClientId(&'a str),
    ObjectId(&'a str),
}

#[derive(Default)]
struct Usage {
    apps: usize,
    bytes: usize,
    /// The client address that opened this tenant (a learner's tenant on a shared mock).
    opened_by: Option<IpAddr>,
}

/// What one client address has opened and registered.
#[derive(Default)]
struct AddressUsage {
    tenants: usize,
    apps: usize,
}

pub(super) struct Directory {
    tenants: HashMap<String, Usage>,
    /// Every app, by lower-case client ID (client IDs are unique across tenants).
    apps: HashMap<String, Arc<App>>,
    /// Lower-case object ID to lower-case client ID.
    object_ids: HashMap<String, String>,
    apps_total: usize,
    bytes_total: usize,
    /// Per client address that opened a tenant: at most one entry per tenant.
    by_address: HashMap<IpAddr, AddressUsage>,
}

impl Directory {
    /// The demo tenant with its demo apps, which count against no quota, and Fabrikam, a
    /// second organization with no apps of its own.
    pub(super) fn with_demo_tenant() -> Directory {
        let mut directory = Directory {
            tenants: HashMap::from([
                (demo::TENANT_ID.to_owned(), Usage::default()),
                (demo::OTHER_TENANT_ID.to_owned(), Usage::default()),
            ]),
            apps: HashMap::new(),
            object_ids: HashMap::new(),
            apps_total: 0,
            bytes_total: 0,
            by_address: HashMap::new(),
        };
        for app in &demo::APPS {
            directory.insert(App::from_demo(app));
        }
        directory
    }

    pub(super) fn has_tenant(&self, tenant: &str) -> bool {
        self.tenants.contains_key(&tenant.to_ascii_lowercase())
    }

    /// Opens a new, empty tenant for the client at `opened_by`.
    pub(super) fn add_tenant(
        &mut self,
        tenant: &str,
        opened_by: Option<IpAddr>,
    ) -> Result<(), Quota> {
        if self.tenants.len() >= MAX_TENANTS {
            return Err(Quota::TooManyTenants);
        }
        if let Some(address) = opened_by {
            let usage = self.by_address.entry(address).or_default();
            if usage.tenants >= MAX_TENANTS_PER_ADDRESS {
                return Err(Quota::TooManyTenants);
            }
            usage.tenants += 1;
        }
        let usage = self.tenants.entry(tenant.to_ascii_lowercase()).or_default();
        usage.opened_by = opened_by;
        Ok(())
    }

    pub(super) fn app(&self, client_id: &str) -> Option<Arc<App>> {
        self.apps.get(&client_id.to_ascii_lowercase()).cloned()
    }

    /// An app of `tenant`'s directory; apps of other tenants are not there at all.
    pub(super) fn app_in(&self, tenant: &str, key: AppKey<'_>) -> Option<Arc<App>> {
        let app = match key {
            AppKey::ClientId(id) => self.app(id)?,
            AppKey::ObjectId(id) => {
                let client_id = self.object_ids.get(&id.to_ascii_lowercase())?;
                self.apps.get(client_id).cloned()?
            }
        };
        app.tenant.eq_ignore_ascii_case(tenant).then_some(app)
    }

    /// Registers a new app in its tenant, within the quotas.
    pub(super) fn register(&mut self, app: App) -> Result<(), Quota> {
        let size = app.size();
        let tenant = app.tenant.to_ascii_lowercase();
        let usage = self.tenants.get(&tenant).ok_or(Quota::TenantFull)?;
        if usage.apps >= MAX_APPS_PER_TENANT || usage.bytes + size > MAX_TENANT_BYTES {
            return Err(Quota::TenantFull);
        }
        let address = usage.opened_by.and_then(|ip| self.by_address.get_mut(&ip));
        if address
            .as_ref()
            .is_some_and(|a| a.apps >= MAX_APPS_PER_ADDRESS)
        {
            return Err(Quota::TenantFull);
        }
        if self.apps_total >= MAX_APPS || self.bytes_total + size > MAX_DIRECTORY_BYTES {
            return Err(Quota::DirectoryFull);
        }
        if let Some(address) = address {
            address.apps += 1;
        }
        self.charge(&tenant, 1, size);
        self.insert(app);
        Ok(())
    }

    /// Changes an app in place: `change` sees the current registration and may refuse; the
    /// result replaces it only if it fits the quotas. Lookup, change and store happen under
    /// one lock, so two changes at once never lose one another.
    pub(super) fn modify<E: From<Quota>>(
        &mut self,
        tenant: &str,
        key: AppKey<'_>,
        not_found: impl FnOnce() -> E,
        change: impl FnOnce(&mut App) -> Result<(), E>,
    ) -> Result<Arc<App>, E> {
        let Some(current) = self.app_in(tenant, key) else {
            return Err(not_found());
        };
        let mut updated = App::clone(&current);
        change(&mut updated)?;
        if updated.secrets.len() > MAX_SECRETS_PER_APP
            || updated.key_credentials.len() > MAX_KEYS_PER_APP
        {
            return Err(Quota::TooManySecrets.into());
        }
        let tenant = updated.tenant.to_ascii_lowercase();
        let grows = updated.size().saturating_sub(current.size());
        let usage = self.tenants.get(&tenant).ok_or(Quota::TenantFull)?;
        let is_demo_app = demo::APPS
            .iter()
            .any(|app| app.client_id.eq_ignore_ascii_case(&updated.client_id));
        if !is_demo_app {
            if usage.bytes + grows > MAX_TENANT_BYTES {
                return Err(Quota::TenantFull.into());
            }
            if self.bytes_total + grows > MAX_DIRECTORY_BYTES {
                return Err(Quota::DirectoryFull.into());
            }
            self.charge(&tenant, 0, grows);
        }
        let updated = Arc::new(updated);
        self.apps
            .insert(updated.client_id.to_ascii_lowercase(), Arc::clone(&updated));
        Ok(updated)
    }

    fn charge(&mut self, tenant: &str, apps: usize, bytes: usize) {
        if let Some(usage) = self.tenants.get_mut(tenant) {
            usage.apps += apps;
            usage.bytes += bytes;
        }
        self.apps_total += apps;
        self.bytes_total += bytes;
    }

    fn insert(&mut self, app: App) {
        let client_id = app.client_id.to_ascii_lowercase();
        self.object_ids
            .insert(app.object_id.to_ascii_lowercase(), client_id.clone());
        self.apps.insert(client_id, Arc::new(app));
    }
}

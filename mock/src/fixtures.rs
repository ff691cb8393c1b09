//! The demo values a client of the mock needs to know: the demo tenant, its people and its
//! pre-registered apps. They are public on purpose, the secrets included: they open nothing
//! but this mock. (They live in `demo`, with what only the mock itself needs.)
//!
//! ```
//! use graph_mock::fixtures::{PORTAL_APP, TENANT_ID, USERS};
//!
//! let token_url = format!("/{TENANT_ID}/oauth2/v2.0/token");
//! let form = [
//!     ("grant_type", "client_credentials"),
//!     ("client_id", PORTAL_APP.client_id),
//!     ("client_secret", PORTAL_APP.client_secret),
//!     ("scope", "https://graph.microsoft.com/.default"),
//! ];
//! assert_eq!(USERS[0].user_principal_name, "MeganB@contoso.onmicrosoft.com");
//! # let _ = (token_url, form);
//! ```

pub use crate::demo::{
    DemoApp, DemoUser, OTHER_TENANT_DOMAIN, OTHER_TENANT_ID, OTHER_TENANT_USER, PORTAL_APP,
    TENANT_DOMAIN, TENANT_ID, TENANT_NAME, USERS, WEB_APP,
};

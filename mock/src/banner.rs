//! What `tutorial mock` prints when it starts: where each endpoint is, the demo tenant, its
//! users and apps with their (public) secrets, and, with TLS, how to make clients trust the
//! mock. It lives here because every value in it is the mock's own.

use crate::config::Config;
use crate::demo;

/// The start-up text for a mock serving with `config` (its address already bound).
///
/// ```
/// use graph_mock::Config;
///
/// let text = graph_mock::banner(&Config::default());
/// assert!(text.contains("/common/oauth2/v2.0/authorize"));
/// assert!(text.contains(graph_mock::fixtures::WEB_APP.client_id));
/// ```
pub fn banner(config: &Config) -> String {
    let address = config.address;
    let base = match config.tls {
        // The certificate names localhost, so that is the name clients must use.
        Some(_) => format!("https://localhost:{}", address.port()),
        None => format!("http://{address}"),
    };
    let app = demo::WEB_APP;
    let portal = demo::PORTAL_APP;
    let users: String = demo::USERS
        .iter()
        .map(|u| format!("    {:<28} {}\n", u.user_principal_name, u.display_name))
        .collect();
    let mut text = format!(
        "Offline Microsoft identity platform + Graph mock on {base}\n\n\
         Discovery   {base}/common/v2.0/.well-known/openid-configuration\n\
         Authorize   {base}/common/oauth2/v2.0/authorize\n\
         Token       {base}/common/oauth2/v2.0/token\n\
         Graph       {base}/v1.0/me\n\n\
         Tenant      {tenant} ({domain})\n\
         Users\n{users}\
         Demo app    {app_name}\n\
         \x20   client ID      {client_id}\n\
         \x20   client secret  {secret}\n\
         \x20   reply URL      {reply}\n\
         Portal app  {portal_name} (registers apps through Graph)\n\
         \x20   client ID      {portal_id}\n\
         \x20   client secret  {portal_secret}\n\n\
         These secrets are public demo values: they open nothing but this mock.\n",
        tenant = demo::TENANT_ID,
        domain = demo::TENANT_DOMAIN,
        app_name = app.display_name,
        client_id = app.client_id,
        secret = app.client_secret,
        reply = app.redirect_uris.first().copied().unwrap_or_default(),
        portal_name = portal.display_name,
        portal_id = portal.client_id,
        portal_secret = portal.client_secret,
    );
    if config.auto_approve {
        text.push_str("Auto-approve is on: authorize answers 302 with a code, no sign-in page.\n");
    }
    if config.is_reachable_by_others() {
        text.push_str(
            "WARNING: listening beyond this machine. Anyone who can reach this port can sign in \
             as the demo users and mint tokens.\n",
        );
    }
    if let Some(tls) = &config.tls {
        let ca = tls.ca_certificate().display();
        text.push_str(&format!(
            "\nHTTPS: trust the mock's local CA, {ca}\n\
             \x20   Python requests / MSAL Python   REQUESTS_CA_BUNDLE={ca}\n\
             \x20   httpx (Graph SDK) and OpenSSL    SSL_CERT_FILE={ca}\n\
             \x20   Node (MSAL Node, openid-client)  NODE_EXTRA_CA_CERTS={ca}\n\
             Keep MSAL from calling the real cloud:\n\
             \x20   MSAL Python  ConfidentialClientApplication(..., authority=\"{base}/{tenant}\", instance_discovery=False)\n\
             \x20   MSAL Node    auth: {{ authority: \"{base}/{tenant}\", knownAuthorities: [\"localhost:{port}\"] }}\n",
            tenant = demo::TENANT_ID,
            port = address.port(),
        ));
    }
    text
}

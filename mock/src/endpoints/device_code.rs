//! The device code flow's own endpoints (RFC 8628 as Entra does it):
//! - `POST /{tenant}/oauth2/v2.0/devicecode`: the app asks for a `device_code` to poll with and
//!   a `user_code` for a person to type, and is told where (`verification_uri`).
//! - `/{tenant}/oauth2/deviceauth`: that page. The person types the code, then signs in and
//!   consents on the usual pages; the answer goes to the polling app (see `token/device.rs`).
//!
//! Entra's `verification_uri` is `https://microsoft.com/devicelogin`, which sends the browser
//! to `/common/oauth2/deviceauth`; the mock names its own page directly.

use hyper::StatusCode;
use serde_json::json;

use super::{sign_in, tenant_segment};
use crate::codes::{Grant, SignIn};
use crate::consent::ConsentKey;
use crate::demo;
use crate::device::{
    DEVICE_CODE_LIFETIME_SECS, DeviceStart, DeviceStatus, DeviceTicket, POLL_INTERVAL_SECS,
};
use crate::errors::Aadsts;
use crate::reply::{self, Reply};
use crate::request::{Incoming, Params};
use crate::scopes;
use crate::seal::DEVICE_CODE;
use crate::state::State;
use crate::store::Platform;

/// User codes use letters and digits that cannot be mistaken for each other.
const USER_CODE_ALPHABET: &[u8; 32] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
const USER_CODE_LENGTH: usize = 8;

/// `POST /{tenant}/oauth2/v2.0/devicecode`.
pub(crate) fn start(req: &Incoming, state: &State, tenant: &str) -> Reply {
    match device_codes(req, state, tenant) {
        Ok(body) => reply::login_json(StatusCode::OK, &body),
        Err(refusal) => refusal.reply(&state.trace(req), req),
    }
}

fn device_codes(req: &Incoming, state: &State, tenant: &str) -> Result<serde_json::Value, Aadsts> {
    let segment = tenant_segment(state, tenant)?;
    let form = req.form();
    let client_id = form
        .non_empty("client_id")
        .ok_or(Aadsts::MissingParameter("client_id"))?;
    let app = state
        .store
        .app(client_id)
        .ok_or_else(|| Aadsts::UnknownClient {
            client_id: client_id.to_owned(),
            tenant: tenant.to_owned(),
        })?;
    if form.get("resource").is_some() {
        return Err(Aadsts::ResourceOnV2);
    }
    let scope = form
        .non_empty("scope")
        .ok_or(Aadsts::MissingParameter("scope"))?;
    let scopes = scopes::parse(scope, &req.base_url(), &app.delegated_permissions, &segment)?;
    let now = state.clock.unix();
    let id = state.ids.id64();
    let user_code = loop {
        let code = new_user_code(state);
        let start = DeviceStart {
            client_id: app.client_id.clone(),
            app_name: app.display_name.clone(),
            scopes: scopes.clone(),
        };
        if state.store.start_device_flow(code.clone(), id, start, now) {
            break code;
        }
    };
    let ticket = DeviceTicket {
        user_code: user_code.clone(),
        id,
    };
    let device_code = state.sealer.seal(DEVICE_CODE, &ticket, &state.ids);
    let verification_uri = format!("{}/{segment}/oauth2/deviceauth", req.base_url());
    Ok(json!({
        "user_code": user_code,
        "device_code": device_code,
        "verification_uri": verification_uri,
        "expires_in": DEVICE_CODE_LIFETIME_SECS,
        "interval": POLL_INTERVAL_SECS,
        "message": format!(
            "To sign in, use a web browser to open the page {verification_uri} and enter the code {user_code} to authenticate."
        ),
    }))
}

fn new_user_code(state: &State) -> String {
    let mut bytes = [0u8; USER_CODE_LENGTH];
    state.ids.fill(&mut bytes);
    bytes
        .iter()
        .map(|b| char::from(USER_CODE_ALPHABET[usize::from(*b) % USER_CODE_ALPHABET.len()]))
        .collect()
}

/// `GET /{tenant}/oauth2/deviceauth`: "Enter code". `POST` with `otc`: the code typed, then the
/// usual sign-in page.
pub(crate) fn verification(req: &Incoming, state: &State, tenant: &str) -> Reply {
    let form = req.form();
    let Some(typed) = typed_code(form) else {
        return sign_in::enter_code_page(tenant, None);
    };
    let Some(flow) = state.store.pending_device_flow(&typed, state.clock.unix()) else {
        return sign_in::enter_code_page(tenant, Some(&Aadsts::BadUserCode));
    };
    let sign_in = SignIn {
        grant: Grant {
            client_id: flow.client_id,
            user: 0,
            redirect_uri: String::new(),
            scopes: flow.scopes,
            challenge: None,
            nonce: None,
            resource: None,
            tenant: None,
            platform: Platform::PublicClient,
        },
        app_name: flow.app_name,
        state: None,
        response_mode: String::new(),
        client_info: false,
        device: Some(typed),
    };
    let pending = state.start_sign_in(sign_in.clone());
    sign_in::sign_in_page(&pending, tenant, &sign_in, None)
}

/// People type codes with spaces, dashes and in lower case.
fn typed_code(form: &Params) -> Option<String> {
    let code: String = form
        .non_empty("otc")?
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect();
    (!code.is_empty()).then_some(code)
}

/// The consent page's answer for a device sign-in: the polling app will get tokens, or
/// `authorization_declined`. The person is told to go back to their device.
pub(crate) fn finish(state: &State, sign_in: &SignIn, user: usize, accepted: bool) -> Reply {
    let Some(user_code) = &sign_in.device else {
        return sign_in::device_done_page(&sign_in.app_name, false, false);
    };
    let now = state.clock.unix();
    let status = if accepted {
        let user_id = demo::USERS.get(user).map(|u| u.id).unwrap_or_default();
        let consented = state.store.grant_consent(
            ConsentKey::new(&sign_in.grant.client_id, user_id),
            &sign_in.grant.scopes,
        );
        DeviceStatus::Approved {
            user,
            scopes: sign_in.grant.scopes.widened_by(&consented),
        }
    } else {
        DeviceStatus::Declined
    };
    let open = state.store.decide_device_flow(user_code, status, now);
    sign_in::device_done_page(&sign_in.app_name, accepted, open)
}

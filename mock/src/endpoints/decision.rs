//! The consent page's buttons: where a sign-in ends. A browser sign-in goes back to the app
//! (`authorize`), a device code sign-in to the app that polls (`device_code`). Kept apart from
//! the pages (`sign_in`), so that the pages only show and the flows only decide.

use super::{authorize, device_code, sign_in};
use crate::reply::Reply;
use crate::request::Incoming;
use crate::state::State;

/// `POST /{tenant}/consent`: Accept issues a code, Cancel sends `access_denied`. Either way
/// the sign-in ends: its buttons work once.
pub(crate) fn decide(req: &Incoming, state: &State) -> Reply {
    let form = req.form();
    let flow = form.get("flow").unwrap_or_default();
    let Some(sign_in) = state.finish_sign_in(flow) else {
        return sign_in::expired_page();
    };
    let accepted = form.get("decision") == Some("accept");
    let user = sign_in::chosen_user(form.get("user"));
    if sign_in.device.is_some() {
        return device_code::finish(state, &sign_in, user, accepted);
    }
    if accepted {
        authorize::approve(state, sign_in, user)
    } else {
        authorize::decline(state, req, &sign_in)
    }
}

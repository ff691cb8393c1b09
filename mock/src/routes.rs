//! The one routing `match` that sends each path to its endpoint: the identity platform's
//! `/{tenant}/…` and Microsoft Graph's `/v1.0/…`.

use hyper::{Method, StatusCode};

use crate::cors;
use crate::endpoints::applications::object::{self, Named};
use crate::endpoints::{
    self, Version, applications, authorize, decision, device_code, discovery, graph,
    instance_discovery, logout, sign_in, token,
};
use crate::errors::{Aadsts, GraphError};
use crate::reply::{self, Reply};
use crate::request::Incoming;
use crate::state::State;

/// Graph's paths; everything else belongs to the identity platform. `/oidc/userinfo` lives on
/// Graph's host in the real cloud, so it is Graph's here too.
pub(crate) fn is_graph_path(path: &str) -> bool {
    path.get(..6)
        .is_some_and(|prefix| prefix.eq_ignore_ascii_case("/v1.0/"))
        || path.eq_ignore_ascii_case("/v1.0")
        || path.eq_ignore_ascii_case(USERINFO_PATH)
}

const USERINFO_PATH: &str = "/oidc/userinfo";

/// A request to a token endpoint: the one answer that signs (see `SigningLane`).
pub(crate) fn signs_tokens(req: &Incoming) -> bool {
    req.method == Method::POST
        && (req.path.ends_with("/oauth2/v2.0/token") || req.path.ends_with("/oauth2/token"))
}

/// A request whose answer signs or checks a token, so needs the signing key: the token
/// endpoints, the published keys, Graph (its bearer token) and logout (`id_token_hint`).
pub(crate) fn needs_signing_key(req: &Incoming) -> bool {
    let path = req.path.as_str();
    signs_tokens(req) || is_graph_path(path) || path.ends_with("/keys") || path.ends_with("/logout")
}

/// The identity platform: `/{tenant}/…`.
pub(crate) fn login_route(req: &Incoming, state: &State) -> Reply {
    let segments: Vec<&str> = req.path.trim_start_matches('/').split('/').collect();
    let (tenant, rest) = match segments.split_first() {
        Some((&"", [])) | None => return endpoints::index_page(req),
        // `error_uri` of every error: `/error?code=NNN`.
        Some((&"error", [])) if req.method == Method::GET => return sign_in::error_code_page(req),
        Some((tenant, rest)) => (*tenant, rest),
    };
    let get = req.method == Method::GET;
    let post = req.method == Method::POST;
    if req.method == Method::OPTIONS
        && let Some(answer) = login_preflight(req, rest)
    {
        return answer;
    }
    match rest {
        ["v2.0", ".well-known", "openid-configuration"] if get => cors::public_document(
            discovery::openid_configuration(req, state, tenant, Version::V2),
        ),
        [".well-known", "openid-configuration"] if get => cors::public_document(
            discovery::openid_configuration(req, state, tenant, Version::V1),
        ),
        ["discovery", "v2.0", "keys"] if get => {
            cors::public_document(discovery::keys(req, state, tenant, Version::V2))
        }
        ["discovery", "keys"] if get => {
            cors::public_document(discovery::keys(req, state, tenant, Version::V1))
        }
        ["oauth2", "v2.0", "authorize"] if get || post => {
            authorize::handle(req, state, tenant, Version::V2)
        }
        ["oauth2", "authorize"] if get || post => {
            authorize::handle(req, state, tenant, Version::V1)
        }
        ["oauth2", "v2.0", "token"] if post => token::handle(req, state, tenant, Version::V2),
        ["oauth2", "token"] if post => token::handle(req, state, tenant, Version::V1),
        ["oauth2", "v2.0", "token"] | ["oauth2", "token"] => {
            let mut answer =
                Aadsts::WrongMethod(req.method.to_string()).reply(&state.trace(req), req);
            reply::set_header(&mut answer, "allow", "POST");
            answer
        }
        ["oauth2", "v2.0", "devicecode"] if post => device_code::start(req, state, tenant),
        ["oauth2", "deviceauth"] if get || post => device_code::verification(req, state, tenant),
        ["oauth2", "v2.0", "logout"] | ["oauth2", "logout"] if get || post => {
            logout::handle(req, state, tenant)
        }
        ["discovery", "instance"] if get => {
            cors::public_document(instance_discovery::handle(req, state))
        }
        ["login"] if post => sign_in::choose_user(req, state, tenant),
        ["consent"] if post => decision::decide(req, state),
        _ => match login_methods(rest) {
            // A known endpoint asked with a method it does not take: 405, not "no such page".
            Some(allow) => {
                let mut answer = Aadsts::InvalidStsRequest.reply_with_status(
                    StatusCode::METHOD_NOT_ALLOWED,
                    &state.trace(req),
                    req,
                );
                reply::set_header(&mut answer, "allow", allow);
                answer
            }
            None => Aadsts::InvalidStsRequest.reply_with_status(
                StatusCode::NOT_FOUND,
                &state.trace(req),
                req,
            ),
        },
    }
}

/// A browser's preflight for an endpoint scripts may call (see `cors.rs`); `None` for the
/// pages, which are navigated to and never fetched.
fn login_preflight(req: &Incoming, rest: &[&str]) -> Option<Reply> {
    match rest {
        ["v2.0", ".well-known", "openid-configuration"]
        | [".well-known", "openid-configuration"]
        | ["discovery", "v2.0", "keys"]
        | ["discovery", "keys"]
        | ["discovery", "instance"] => Some(cors::preflight(req, cors::DOCUMENT_METHODS, &[])),
        ["oauth2", "v2.0", "token"] | ["oauth2", "token"] => Some(cors::preflight(
            req,
            cors::TOKEN_METHODS,
            cors::TOKEN_REQUEST_HEADERS,
        )),
        _ => None,
    }
}

/// The methods a login path takes, for the `Allow` of a 405 (RFC 9110 §15.5.6); `None` for a
/// path that is not an endpoint.
fn login_methods(rest: &[&str]) -> Option<&'static str> {
    match rest {
        ["v2.0", ".well-known", "openid-configuration"]
        | [".well-known", "openid-configuration"]
        | ["discovery", "v2.0", "keys"]
        | ["discovery", "keys"] => Some("GET"),
        ["oauth2", "v2.0", "authorize"] | ["oauth2", "authorize"] | ["oauth2", "deviceauth"] => {
            Some("GET, POST")
        }
        ["oauth2", "v2.0", "devicecode"] => Some("POST"),
        ["oauth2", "v2.0", "logout"] | ["oauth2", "logout"] => Some("GET, POST"),
        ["discovery", "instance"] => Some("GET"),
        ["oauth2", "v2.0", "token"] | ["oauth2", "token"] | ["login"] | ["consent"] => Some("POST"),
        _ => None,
    }
}

/// Microsoft Graph: `/v1.0/…`. Graph matches path segments case-insensitively.
pub(crate) fn graph_route(req: &Incoming, state: &State, request_id: &str) -> Reply {
    // Graph answers any page's preflight; the bearer token decides the rest.
    if req.method == Method::OPTIONS {
        return cors::preflight(req, cors::GRAPH_METHODS, cors::GRAPH_REQUEST_HEADERS);
    }
    if req.path.eq_ignore_ascii_case(USERINFO_PATH) {
        let result = match req.method {
            Method::GET | Method::POST => graph::userinfo(req, state),
            _ => Err(GraphError::MethodNotAllowed),
        };
        return result.unwrap_or_else(|refusal| refusal.reply(state.clock.now(), req, request_id));
    }
    let lower = req.path.to_ascii_lowercase();
    let segments: Vec<&str> = lower
        .trim_start_matches('/')
        .trim_end_matches('/')
        .split('/')
        .skip(1)
        .collect();
    let original: Vec<&str> = req
        .path
        .trim_start_matches('/')
        .trim_end_matches('/')
        .split('/')
        .skip(1)
        .collect();
    let get = req.method == Method::GET;
    let post = req.method == Method::POST;
    let patch = req.method == Method::PATCH;
    let result = match segments.as_slice() {
        ["me"] if get => graph::me(req, state),
        ["me", "sendmail"] if post => graph::send_mail(req, state),
        ["me", "messages"] if get => graph::messages(req, state, None),
        ["me", "mailfolders", folder, "messages"] if get => {
            graph::messages(req, state, Some(folder))
        }
        ["applications"] if post => applications::register(req, state),
        [application, "addpassword"] if post && application.starts_with("applications") => {
            let key = original.first().copied().unwrap_or_default();
            applications::add_password(req, state, key)
        }
        ["applications", object_id, "addpassword"] if post => {
            let id = original.get(1).copied().unwrap_or(object_id);
            applications::add_password_by_object_id(req, state, id)
        }
        ["applications", _] if get || patch => {
            let named = Named::ObjectId(original.get(1).copied().unwrap_or_default());
            if get {
                object::get(req, state, named)
            } else {
                object::update(req, state, named)
            }
        }
        [application] if (get || patch) && application.starts_with("applications(") => {
            let named = Named::Alternate(original.first().copied().unwrap_or_default());
            if get {
                object::get(req, state, named)
            } else {
                object::update(req, state, named)
            }
        }
        // Known paths asked with a method they do not take.
        ["me"]
        | ["me", "sendmail"]
        | ["me", "messages"]
        | ["me", "mailfolders", _, "messages"]
        | ["applications"] => Err(GraphError::MethodNotAllowed),
        [] => Err(GraphError::SegmentNotFound("v1.0".into())),
        [first, ..] => Err(GraphError::SegmentNotFound(
            original.first().copied().unwrap_or(first).to_string(),
        )),
    };
    result.unwrap_or_else(|refusal| refusal.reply(state.clock.now(), req, request_id))
}

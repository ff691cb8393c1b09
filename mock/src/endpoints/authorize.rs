//! `/{tenant}/oauth2/v2.0/authorize` (and the original sample's `/{tenant}/oauth2/authorize`).
//!
//! The browser arrives here with the app's request in the query string. The order of the
//! checks matters: until the client and its reply URL are known to be genuine, an error is shown
//! as a page, because redirecting to an unverified URL would hand the error (and the user) to
//! whoever wrote that URL. After that, errors go back to the app's reply URL with `error`,
//! `error_description` and `state`. A valid request shows the sign-in page, or, in auto-approve
//! mode, answers `302` straight to the reply URL with a code.

use url::Url;

use super::{Version, check_audience, serves, sign_in, tenant_segment};
use crate::codes::{Challenge, ChallengeMethod, Grant, SignIn};
use crate::consent::ConsentKey;
use crate::errors::{Aadsts, error_uri};
use crate::reply::{self, Reply};
use crate::request::{Incoming, Params};
use crate::scopes;
use crate::state::State;
use crate::{demo, scopes::Scopes};

/// How a refused authorize request is answered.
enum Refusal {
    /// Before the reply URL is trusted: an error page in the browser.
    Page(Aadsts),
    /// After: back to the app.
    Redirect { to: Box<ReplyTo>, error: Aadsts },
}

/// Where and how an answer goes back to the app.
#[derive(Clone)]
struct ReplyTo {
    redirect_uri: String,
    response_mode: String,
    state: Option<String>,
}

impl ReplyTo {
    /// Where the answer to a finished sign-in goes.
    fn of(sign_in: &SignIn) -> ReplyTo {
        ReplyTo {
            redirect_uri: sign_in.grant.redirect_uri.clone(),
            response_mode: sign_in.response_mode.clone(),
            state: sign_in.state.clone(),
        }
    }
}

pub(crate) fn handle(req: &Incoming, state: &State, tenant: &str, version: Version) -> Reply {
    let params = req.query_or_form();
    let sign_in = match check(params, req, state, tenant, version) {
        Ok(sign_in) => sign_in,
        Err(Refusal::Page(error)) => return sign_in::error_page(state, req, &error),
        Err(Refusal::Redirect { to, error }) => return redirect_error(state, req, &to, &error),
    };
    if state.config.auto_approve {
        let user = params
            .non_empty("login_hint")
            .and_then(demo::user_named)
            .unwrap_or(0);
        return approve(state, sign_in, user);
    }
    let flow = state.start_sign_in(sign_in.clone());
    sign_in::sign_in_page(&flow, tenant, &sign_in, params.non_empty("login_hint"))
}

fn check(
    params: &Params,
    req: &Incoming,
    state: &State,
    tenant: &str,
    version: Version,
) -> Result<SignIn, Refusal> {
    // 1. Who is asking, and where would the answer go? Errors here are shown, not sent.
    let segment = tenant_segment(state, tenant).map_err(Refusal::Page)?;
    let client_id = params
        .non_empty("client_id")
        .ok_or(Refusal::Page(Aadsts::MissingParameter("client_id")))?;
    // An app lives in one tenant's directory: named by another tenant, it is not there.
    let app = state
        .store
        .app(client_id)
        .filter(|app| serves(app, &segment))
        .ok_or_else(|| {
            Refusal::Page(Aadsts::UnknownClient {
                client_id: client_id.to_owned(),
                tenant: tenant.to_owned(),
            })
        })?;
    check_audience(&app, &segment).map_err(Refusal::Page)?;
    let redirect_uri = match params.non_empty("redirect_uri") {
        Some(uri) if app.platform_of(uri).is_some() => uri.to_owned(),
        Some(uri) => {
            return Err(Refusal::Page(Aadsts::RedirectNotRegistered {
                redirect_uri: uri.to_owned(),
                client_id: app.client_id.clone(),
            }));
        }
        None if !app.has_redirect_uris() => {
            return Err(Refusal::Page(Aadsts::NoRedirectRegistered));
        }
        None => app
            .single_redirect_uri()
            .map(str::to_owned)
            .ok_or(Refusal::Page(Aadsts::MissingParameter("redirect_uri")))?,
    };
    // Tokens in a redirect travel in the fragment unless the app asks otherwise; only codes
    // default to the query. Errors go back the same way.
    let asks_for_tokens = params
        .non_empty("response_type")
        .is_some_and(|kinds| kinds.split(' ').any(|kind| kind != "code"));
    let default_mode = if asks_for_tokens { "fragment" } else { "query" };
    let to = ReplyTo {
        redirect_uri,
        response_mode: params
            .non_empty("response_mode")
            .unwrap_or(default_mode)
            .to_owned(),
        state: params.get("state").map(str::to_owned),
    };
    let refuse = |error: Aadsts| Refusal::Redirect {
        to: Box::new(to.clone()),
        error,
    };

    // 2. What is asked for. From here on, errors go back to the app.
    match params.non_empty("response_type") {
        None => return Err(refuse(Aadsts::MissingParameter("response_type"))),
        Some("code") => {}
        // Implicit access tokens (`token`) and implicit id tokens are two separate switches
        // on a registration, each with its own code; both are off here, as on a new app.
        Some(other) if other.split(' ').any(|kind| kind == "token") => {
            return Err(refuse(Aadsts::ImplicitAccessToken));
        }
        Some(other) => return Err(refuse(Aadsts::UnsupportedResponseType(other.to_owned()))),
    }
    let scopes = requested_scopes(
        params,
        req,
        &app.delegated_permissions,
        &segment,
        version,
        &state.store,
    )
    .map_err(&refuse)?;
    // Only an administrator may consent to some permissions, and the demo users are not
    // administrators: the sign-in stops at the page that says so, as Entra's does.
    if scopes.needs_admin_consent() {
        return Err(Refusal::Page(Aadsts::AdminConsentRequired {
            app_name: app.display_name.clone(),
        }));
    }
    let challenge = code_challenge(params).map_err(&refuse)?;
    let directory = super::directory(&app, &segment);
    check_user_belongs(params, &app, &directory).map_err(Refusal::Page)?;
    if params.get("prompt") == Some("none") && !state.config.auto_approve {
        return Err(refuse(Aadsts::LoginRequired));
    }

    Ok(SignIn {
        grant: Grant {
            client_id: app.client_id.clone(),
            user: 0,
            redirect_uri: to.redirect_uri.clone(),
            scopes,
            challenge,
            nonce: params.non_empty("nonce").map(str::to_owned),
            resource: (version == Version::V1)
                .then(|| params.non_empty("resource").map(str::to_owned))
                .flatten(),
            tenant: Some(directory),
            platform: app.platform_of(&to.redirect_uri).unwrap_or_default(),
        },
        app_name: app.display_name.clone(),
        state: to.state,
        response_mode: to.response_mode,
        client_info: params.get("client_info") == Some("1"),
        device: None,
    })
}

/// The user named by `login_hint` must have an account in the directory signed in to: Fabrikam's
/// user has none in the demo tenant or a learner's (AADSTS50020, shown as a page, as Entra
/// shows it once the user has typed their name).
fn check_user_belongs(
    params: &Params,
    app: &crate::store::App,
    directory: &str,
) -> Result<(), Aadsts> {
    let other = demo::OTHER_TENANT_USER;
    let hinted = params.non_empty("login_hint");
    if hinted.is_some_and(|name| name.eq_ignore_ascii_case(other.user_principal_name))
        && directory != demo::OTHER_TENANT_ID
    {
        let tenant_name = if directory == demo::TENANT_ID {
            demo::TENANT_NAME.to_owned()
        } else {
            directory.to_owned()
        };
        return Err(Aadsts::UserNotInTenant {
            user: other.user_principal_name,
            home_tenant: demo::OTHER_TENANT_ID,
            tenant_name,
            client_id: app.client_id.clone(),
            app_name: app.display_name.clone(),
        });
    }
    Ok(())
}

/// v2.0 reads `scope` and refuses the original sample's `resource`; v1 reads `resource` and
/// grants what the registration declares.
fn requested_scopes(
    params: &Params,
    req: &Incoming,
    declared: &[String],
    segment: &str,
    version: Version,
    store: &crate::store::Store,
) -> Result<Scopes, Aadsts> {
    match version {
        Version::V2 => {
            if params.get("resource").is_some() {
                return Err(Aadsts::ResourceOnV2);
            }
            let scope = params
                .non_empty("scope")
                .ok_or(Aadsts::MissingParameter("scope"))?;
            crate::api_scopes::parse(scope, &req.base_url(), declared, segment, store)
        }
        Version::V1 => match params.non_empty("resource") {
            Some(resource) if !scopes::is_graph_resource(resource) => {
                Err(Aadsts::UnknownResourceV1 {
                    resource: resource.to_owned(),
                    tenant: segment.to_owned(),
                })
            }
            _ => Ok(scopes::from_registration(declared)),
        },
    }
}

/// PKCE (RFC 7636 §4.3): the challenge is remembered with the code and checked at the token
/// endpoint. `plain` is assumed when no method is named.
fn code_challenge(params: &Params) -> Result<Option<Challenge>, Aadsts> {
    let Some(value) = params.non_empty("code_challenge") else {
        return Ok(None);
    };
    let method = match params.non_empty("code_challenge_method") {
        None | Some("plain") => ChallengeMethod::Plain,
        Some("S256") => ChallengeMethod::S256,
        Some(_) => return Err(Aadsts::InvalidStsRequest),
    };
    if !(43..=128).contains(&value.len()) {
        return Err(Aadsts::InvalidCodeChallenge);
    }
    Ok(Some(Challenge {
        value: value.to_owned(),
        method,
    }))
}

/// The user said yes: issue a code and send the browser back to the app with it.
pub(crate) fn approve(state: &State, sign_in: SignIn, user: usize) -> Reply {
    let to = ReplyTo::of(&sign_in);
    let user_id = demo::USERS.get(user).map(|u| u.id).unwrap_or_default();
    // Consent accumulates: the code carries everything this user has let this app have.
    let consented = state.store.grant_consent(
        ConsentKey::new(&sign_in.grant.client_id, user_id),
        &sign_in.grant.scopes,
    );
    let scopes = sign_in.grant.scopes.widened_by(&consented);
    let tenant = state
        .store
        .app(&sign_in.grant.client_id)
        .map_or_else(|| demo::TENANT_ID.to_owned(), |app| app.tenant.clone());
    let code = state.issue_code(Grant {
        user,
        scopes,
        ..sign_in.grant
    });
    let mut fields = vec![("code", code)];
    if let Some(value) = &sign_in.state {
        fields.push(("state", value.clone()));
    }
    fields.push(("session_state", state.ids.guid()));
    if sign_in.client_info {
        fields.push(("client_info", crate::tokens::client_info(user_id, &tenant)));
    }
    send_back(&to, &fields)
}

/// The user said no (Cancel on the consent page).
pub(crate) fn decline(state: &State, req: &Incoming, sign_in: &SignIn) -> Reply {
    let to = ReplyTo::of(sign_in);
    // `error_subcode=cancel` tells MSAL the user chose to stop, not that something failed.
    redirect_error_with(state, req, &to, &Aadsts::UserDeclined, Some("cancel"))
}

fn redirect_error(state: &State, req: &Incoming, to: &ReplyTo, error: &Aadsts) -> Reply {
    redirect_error_with(state, req, to, error, None)
}

fn redirect_error_with(
    state: &State,
    req: &Incoming,
    to: &ReplyTo,
    error: &Aadsts,
    subcode: Option<&str>,
) -> Reply {
    let trace = state.trace(req);
    let entry = error.entry();
    let mut fields = vec![("error", entry.error.to_owned())];
    if let Some(subcode) = subcode {
        fields.push(("error_subcode", subcode.to_owned()));
    }
    fields.extend([
        ("error_description", error.description(&trace)),
        ("error_uri", error_uri(&req.base_url(), entry.code)),
    ]);
    if let Some(value) = &to.state {
        fields.push(("state", value.clone()));
    }
    let mut answer = send_back(to, &fields);
    reply::tag_error(&mut answer, format!("AADSTS{}", entry.code));
    answer
}

/// Delivers `fields` to the reply URL the way `response_mode` asks: in the query (the default
/// for `code`), in the fragment, or as a self-submitting form (`form_post`).
fn send_back(to: &ReplyTo, fields: &[(&str, String)]) -> Reply {
    let encoded = || {
        form_urlencoded::Serializer::new(String::new())
            .extend_pairs(fields)
            .finish()
    };
    match to.response_mode.as_str() {
        "form_post" => sign_in::form_post_page(&to.redirect_uri, fields),
        "fragment" => reply::redirect(&format!("{}#{}", to.redirect_uri, encoded())),
        _ => match Url::parse(&to.redirect_uri) {
            Ok(mut url) => {
                url.query_pairs_mut().extend_pairs(fields);
                reply::redirect(url.as_str())
            }
            Err(_) => reply::redirect(&format!("{}?{}", to.redirect_uri, encoded())),
        },
    }
}

//! Lessons that break at the authorize endpoint (step 2) and on the way back (step 3).

use std::time::Duration;

use url::Url;

use super::lab::{Lab, REPLY_URL};
use crate::error::Error;
use crate::fixtures::reply_url;
use crate::http::{Http, Outgoing};
use crate::listener::Listener;
use crate::protocol::authorize::Callback;
use crate::protocol::graph::new_application;
use crate::registration::RedirectUri;
use crate::steps::redirect::SCOPES;

/// How long the reply URL waits for the one visit a lesson sends it.
const VISIT_TIMEOUT: Duration = Duration::from_secs(10);

/// AADSTS50011: the authorize request names a reply URL the app never registered.
pub async fn reply_url_not_registered(lab: &mut Lab<'_>) -> Result<(), Error> {
    let client_id = lab.web_client_id();

    // The mistake: `127.0.0.1` on another port. Only a `localhost` reply URL is matched
    // whatever its port.
    let unregistered = RedirectUri::parse("http://127.0.0.1:8080/connect/get_token/")?;
    let (request, _) = lab.authorize_request(&client_id, &unregistered, SCOPES);
    let broken = Outgoing::get(request.url(&lab.authorize_url())).as_browser();
    lab.broken(broken).await?;

    // The fix: the registered reply URL, character for character.
    let (request, _) = lab.authorize_request(&client_id, &reply_url(), SCOPES);
    lab.fixed(Outgoing::get(request.url(&lab.authorize_url())).as_browser())
        .await?;
    Ok(())
}

/// AADSTS50194: a single-tenant app (the portal's default) signs in on `/common`.
pub async fn single_tenant_on_common(lab: &mut Lab<'_>) -> Result<(), Error> {
    // Before: the app step 1 registers, for this organization only.
    let body = new_application("graph-oauth-tutorial", REPLY_URL);
    let client_id = lab.register(body).await?;

    // The mistake: `/common`, as the 2016 article signs in, which lets any tenant's users in.
    let (request, _) = lab.authorize_request(&client_id, &reply_url(), SCOPES);
    let common = lab.url("common/oauth2/v2.0/authorize");
    lab.broken(Outgoing::get(request.url(&common)).as_browser())
        .await?;

    // The fix: the app's own tenant in the URL.
    let (request, _) = lab.authorize_request(&client_id, &reply_url(), SCOPES);
    lab.fixed(Outgoing::get(request.url(&lab.authorize_url())).as_browser())
        .await?;
    Ok(())
}

/// CSRF: the browser comes back with a `state` the app never sent. The identity platform has
/// nothing to say here; the app's own check refuses it.
pub async fn state_tampered(lab: &mut Lab<'_>) -> Result<(), Error> {
    let client_id = lab.web_client_id();

    // Before: a real sign-in whose redirect the attacker rewrites.
    let listener = Listener::bind(0).await?;
    let (request, _) = lab.authorize_request(&client_id, &listener.redirect_uri, SCOPES);
    let sent_state = request.state.clone();
    let exchange = lab
        .quietly(Outgoing::get(request.url(&lab.authorize_url())).as_browser())
        .await?;
    let location = exchange
        .response
        .header("location")
        .unwrap_or("")
        .to_owned();
    let mut tampered =
        Url::parse(&location).map_err(|_| lab.astray("a 302 to the reply URL", &exchange))?;
    let pairs: Vec<(String, String)> = tampered
        .query_pairs()
        .map(|(name, value)| {
            let value = if name == "state" {
                "attackers-own-state".into()
            } else {
                value.into_owned()
            };
            (name.into_owned(), value)
        })
        .collect();
    tampered.query_pairs_mut().clear().extend_pairs(pairs);

    // The mistake (the attacker's): a redirect to our reply URL that our request did not start.
    lab.show.heading(lab.lang.ui("broken"))?;
    let visit = lab.visit(listener, tampered, sent_state).await?;
    let Callback::StateMismatch { .. } = visit else {
        return Err(Error::LessonWentAstray {
            lesson: lab.lesson.name,
            expected: "the state check to refuse the visit".into(),
            got: format!("{visit:?}"),
        });
    };
    lab.show.refused(lab.lang.ui("state-refused"))?;
    lab.why()?;

    // The fix: only the redirect that answers our own request, with our own state, is taken.
    lab.show.heading(lab.lang.ui("fixed"))?;
    let listener = Listener::bind(0).await?;
    let (request, _) = lab.authorize_request(&client_id, &listener.redirect_uri, SCOPES);
    let sent_state = request.state.clone();
    let exchange = lab
        .send(Outgoing::get(request.url(&lab.authorize_url())).as_browser())
        .await?;
    let location = exchange
        .response
        .header("location")
        .unwrap_or("")
        .to_owned();
    let back =
        Url::parse(&location).map_err(|_| lab.astray("a 302 to the reply URL", &exchange))?;
    let visit = lab.visit(listener, back, sent_state).await?;
    match visit {
        Callback::Code { .. } => lab.show.ok(lab.lang.ui("state-ok"))?,
        other => {
            return Err(Error::LessonWentAstray {
                lesson: lab.lesson.name,
                expected: "a code with our state".into(),
                got: format!("{other:?}"),
            });
        }
    }
    Ok(())
}

impl Lab<'_> {
    /// The browser follows `to` to the reply-URL listener, which judges it as step 3 does.
    async fn visit(
        &mut self,
        listener: Listener,
        to: Url,
        state: Option<String>,
    ) -> Result<Callback, Error> {
        let follow = Outgoing::get(to).as_browser().prepare();
        let http = Http::new(false)?;
        let (visit, _page) = tokio::join!(listener.wait(state, VISIT_TIMEOUT), http.send(follow));
        let visit = visit?;
        self.show.visit(&visit.exchange)?;
        self.exchanges.push(visit.exchange);
        Ok(visit.callback)
    }
}

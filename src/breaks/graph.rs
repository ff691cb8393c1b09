//! Lessons that break at Graph (step 5): the access token, and what it allows.

use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use super::lab::Lab;
use crate::error::Error;
use crate::http::Outgoing;
use crate::protocol::graph::send_mail;
use crate::secrets::AccessToken;
use crate::steps::redirect::SCOPES;

/// An access token lives 60 to 90 minutes; two hours is surely past it.
const LATER_THAN_A_TOKEN_LIVES: Duration = Duration::from_secs(2 * 3600);

/// InvalidAuthenticationToken: a token whose claims were edited after it was signed.
pub async fn token_altered(lab: &mut Lab<'_>) -> Result<(), Error> {
    let tokens = lab.tokens(SCOPES).await?;

    // The mistake: the payload edited to claim one more permission; the signature is kept.
    let altered = with_extra_scope(&tokens.access_token, "Mail.ReadWrite").ok_or_else(|| {
        Error::BadToken {
            reason: "the access token is not a JWT".into(),
        }
    })?;
    let broken = Outgoing::get(lab.graph("me")).bearer(&AccessToken::new(altered));
    lab.broken(broken).await?;

    // The fix: the token exactly as the token endpoint issued it.
    let right = Outgoing::get(lab.graph("me")).bearer(&AccessToken::new(tokens.access_token));
    lab.fixed(right).await?;
    Ok(())
}

/// InvalidAuthenticationToken: a token used after it expired; the refresh token gets a new one.
pub async fn token_expired(lab: &mut Lab<'_>) -> Result<(), Error> {
    let tokens = lab.tokens(SCOPES).await?;

    // The mistake: the same access token, two hours later.
    lab.advance_clock(LATER_THAN_A_TOKEN_LIVES);
    let access = AccessToken::new(tokens.access_token.clone());
    lab.broken(Outgoing::get(lab.graph("me")).bearer(&access))
        .await?;

    // The fix: redeem the refresh token for a new access token, then call again.
    let app = lab.web_app();
    let refresh = tokens.refresh_token.unwrap_or_default();
    let form = vec![
        ("grant_type".to_owned(), "refresh_token".to_owned()),
        ("client_id".to_owned(), app.client_id.to_owned()),
        ("client_secret".to_owned(), app.client_secret.to_owned()),
        ("refresh_token".to_owned(), refresh),
    ];
    let exchange = lab
        .fixed(Outgoing::post(lab.token_url()).form(form))
        .await?;
    let fresh = exchange
        .response
        .json::<serde_json::Value>()
        .ok()
        .and_then(|body| body["access_token"].as_str().map(str::to_owned))
        .ok_or_else(|| lab.astray("a new access token", &exchange))?;
    lab.fixed(Outgoing::get(lab.graph("me")).bearer(&AccessToken::new(fresh)))
        .await?;
    Ok(())
}

/// ErrorAccessDenied: sendMail with a token whose `scp` lacks `Mail.Send`.
pub async fn no_mail_send(lab: &mut Lab<'_>) -> Result<(), Error> {
    let address = graph_mock::fixtures::USERS[0].user_principal_name;
    let mail = send_mail(
        address,
        "Welcome to Microsoft Graph",
        "Sent by a failure lesson.",
    );

    // The mistake: step 2's scope without Mail.Send.
    let tokens = lab
        .tokens("openid profile offline_access User.Read")
        .await?;
    let access = AccessToken::new(tokens.access_token);
    let broken = Outgoing::post(lab.graph("me/sendMail"))
        .bearer(&access)
        .json(mail.clone());
    lab.broken(broken).await?;

    // The fix: ask for Mail.Send in step 2, sign in again, send with the new token.
    let tokens = lab.tokens(SCOPES).await?;
    let access = AccessToken::new(tokens.access_token);
    lab.fixed(
        Outgoing::post(lab.graph("me/sendMail"))
            .bearer(&access)
            .json(mail),
    )
    .await?;
    Ok(())
}

/// The JWT with `scope` added to its `scp` claim, and its signature left as it was.
fn with_extra_scope(token: &str, scope: &str) -> Option<String> {
    let mut parts = token.split('.');
    let (header, payload, signature) = (parts.next()?, parts.next()?, parts.next()?);
    let mut claims: serde_json::Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).ok()?).ok()?;
    let scp = claims["scp"].as_str().unwrap_or("").to_owned();
    claims["scp"] = format!("{scp} {scope}").trim().into();
    let payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&claims).ok()?);
    Some(format!("{header}.{payload}.{signature}"))
}

/// InvalidAuthenticationToken: the id token sent to Graph where the access token belongs.
pub async fn id_token_to_graph(lab: &mut Lab<'_>) -> Result<(), Error> {
    let tokens = lab.tokens(SCOPES).await?;
    let id_token = tokens.id_token.ok_or_else(|| Error::BadToken {
        reason: "the token response carried no id token".into(),
    })?;

    // The mistake: the token meant for the app (aud = its client ID) used as a bearer.
    let broken = Outgoing::get(lab.graph("me")).bearer(&AccessToken::new(id_token));
    lab.broken(broken).await?;

    // The fix: the access token, whose aud is Graph.
    let right = Outgoing::get(lab.graph("me")).bearer(&AccessToken::new(tokens.access_token));
    lab.fixed(right).await?;
    Ok(())
}

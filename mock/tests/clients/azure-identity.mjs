// @azure/identity for Node against the mock, unmodified: the browser part of a sign-in (the
// mock approves at once), then AuthorizationCodeCredential asks two getToken calls of
// different scopes. MSAL redeems the code for the first scope only; the second must come from
// what the user consented to at sign-in (a refresh in the cloud may ask for any of it).
// argv: base URL (https), tenant, client ID, client secret, reply URL.
import { AuthorizationCodeCredential } from "@azure/identity";

const [base, tenant, clientId, secret, redirectUri] = process.argv.slice(2);
const authorize = new URL(`${base}/${tenant}/oauth2/v2.0/authorize`);
authorize.search = new URLSearchParams({
  client_id: clientId,
  response_type: "code",
  redirect_uri: redirectUri,
  scope: "openid profile offline_access User.Read Mail.Send",
}).toString();
const signedIn = await fetch(authorize, { redirect: "manual" });
const code = new URL(signedIn.headers.get("location")).searchParams.get("code");

const credential = new AuthorizationCodeCredential(tenant, clientId, secret, code, redirectUri, {
  authorityHost: base,
  disableInstanceDiscovery: true,
});
const profile = await credential.getToken("https://graph.microsoft.com/User.Read");
const mail = await credential.getToken("https://graph.microsoft.com/Mail.Send");
const call = (path, token, body) => fetch(`${base}/v1.0${path}`, {
  method: body ? "POST" : "GET",
  headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
  body: body && JSON.stringify(body),
});
const me = await call("/me", profile.token);
const sent = await call("/me/sendMail", mail.token, {
  message: {
    subject: "From @azure/identity",
    body: { contentType: "Text", content: "Two scopes, one sign-in." },
    toRecipients: [{ emailAddress: { address: "MeganB@contoso.onmicrosoft.com" } }],
  },
});
console.log(JSON.stringify({ me: me.status, sendMail: sent.status }));

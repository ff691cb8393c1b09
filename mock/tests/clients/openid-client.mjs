// openid-client, unmodified, against the mock over plain HTTP on loopback:
// discovery at /common/v2.0 (the issuer must match exactly), the code flow with PKCE and a
// nonce, a refresh, userinfo, and Graph's /me. Usage: node openid-client.mjs BASE_URL
import * as client from "openid-client";

const base = process.argv[2];
const config = await client.discovery(
  new URL(`${base}/common/v2.0`),
  "d5349743-219e-4081-a993-259e49c29915",
  "Sq8Q~demo.secret.for.the.offline.mock.only",
  undefined,
  { execute: [client.allowInsecureRequests] },
);
const verifier = client.randomPKCECodeVerifier();
const nonce = client.randomNonce();
const state = client.randomState();
const url = client.buildAuthorizationUrl(config, {
  redirect_uri: "http://127.0.0.1:8000/connect/get_token/",
  scope: "openid profile offline_access User.Read",
  code_challenge: await client.calculatePKCECodeChallenge(verifier),
  code_challenge_method: "S256",
  nonce,
  state,
});
const redirect = await fetch(url, { redirect: "manual" });
const tokens = await client.authorizationCodeGrant(
  config,
  new URL(redirect.headers.get("location")),
  { pkceCodeVerifier: verifier, expectedNonce: nonce, expectedState: state },
);
const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token);
const info = await client.fetchUserInfo(config, tokens.access_token, tokens.claims().sub);
const me = await client.fetchProtectedResource(
  config, tokens.access_token, new URL(`${base}/v1.0/me`), "GET");
console.log(JSON.stringify({
  issuer: tokens.claims().iss,
  user: tokens.claims().preferred_username,
  refreshed: typeof refreshed.access_token === "string",
  rotated: refreshed.refresh_token !== tokens.refresh_token,
  userinfo: info.name,
  me: me.status,
}));

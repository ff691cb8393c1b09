// MSAL Node's ConfidentialClientApplication with a certificate instead of a secret, against
// the mock, unmodified. First the developer's part: the portal app's token, a new app through
// Graph, and its certificate uploaded with PATCH keyCredentials. Then MSAL signs client
// assertions with the private key: PS256 with the SHA-256 thumbprint, RS256 with the SHA-1 one.
// Last, a certificate never uploaded, which Entra (and the mock) must refuse.
// argv: base URL (https), tenant, portal client ID, portal secret, certificate PEM file,
// private key PEM file, SHA-1 thumbprint (hex), SHA-256 thumbprint (hex), stranger's private
// key PEM file, stranger's SHA-256 thumbprint (hex).
import { readFileSync } from "node:fs";
import * as msal from "@azure/msal-node";

const [base, tenant, portalId, portalSecret, certFile, keyFile, sha1, sha256, strangerKeyFile,
  strangerSha256] = process.argv.slice(2);
const authority = `${base}/${tenant}`;
const knownAuthorities = [new URL(base).host];
const graphDefault = ["https://graph.microsoft.com/.default"];

const portal = new msal.ConfidentialClientApplication({
  auth: { clientId: portalId, clientSecret: portalSecret, authority, knownAuthorities },
});
const portalToken = (await portal.acquireTokenByClientCredential({ scopes: graphDefault }))
  .accessToken;
const graph = (method, path, body) => fetch(`${base}/v1.0${path}`, {
  method,
  headers: { authorization: `Bearer ${portalToken}`, "content-type": "application/json" },
  body: body && JSON.stringify(body),
});

const registered = await (await graph("POST", "/applications", {
  displayName: "daemon with a certificate",
})).json();
const certificate = readFileSync(certFile, "utf8");
const der = certificate.replace(/-----[A-Z ]+-----/g, "").replace(/\s+/g, "");
const uploaded = await graph("PATCH", `/applications/${registered.id}`, {
  keyCredentials: [{
    type: "AsymmetricX509Cert",
    usage: "Verify",
    key: der,
    displayName: "CN=daemon",
  }],
});
const shown = await (await graph("GET", `/applications/${registered.id}`)).json();

const claimsOf = (jwt) => JSON.parse(Buffer.from(jwt.split(".")[1], "base64url").toString());
const daemon = (clientCertificate) => new msal.ConfidentialClientApplication({
  auth: { clientId: registered.appId, authority, knownAuthorities, clientCertificate },
});
const privateKey = readFileSync(keyFile, "utf8");
const bySha256 = await daemon({ thumbprintSha256: sha256, privateKey })
  .acquireTokenByClientCredential({ scopes: graphDefault });
const bySha1 = await daemon({ thumbprint: sha1, privateKey })
  .acquireTokenByClientCredential({ scopes: graphDefault });
const me = await fetch(`${base}/v1.0/me`, {
  headers: { authorization: `Bearer ${bySha256.accessToken}` },
});

let refused;
try {
  await daemon({ thumbprintSha256: strangerSha256, privateKey: readFileSync(strangerKeyFile, "utf8") })
    .acquireTokenByClientCredential({ scopes: graphDefault });
  refused = "no error";
} catch (error) {
  refused = `${error.errorCode}: ${error.errorMessage}`;
}

const claims = claimsOf(bySha256.accessToken);
console.log(JSON.stringify({
  uploaded: uploaded.status,
  shownKey: shown.keyCredentials?.[0]?.key,
  shownIdentifier: shown.keyCredentials?.[0]?.customKeyIdentifier,
  appId: registered.appId,
  appid: claims.appid,
  appidacr: claims.appidacr,
  idtyp: claims.idtyp,
  sha1Appidacr: claimsOf(bySha1.accessToken).appidacr,
  me: me.status,
  meError: (await me.json()).error?.message,
  refused,
}));

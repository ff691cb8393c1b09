// The peer of `cargo bench --bench mock -- --peer`: npm oauth2-mock-server answering the
// benchmark's flow on the mock's paths, doing the same work the mock does.
//
//   node server.mjs [PORT]   prints "peer listening on http://127.0.0.1:PORT" once ready
//
// - GET  /common/oauth2/v2.0/authorize: the package's own authorize (302 with a code; keeps
//   the PKCE challenge and the nonce);
// - POST /common/oauth2/v2.0/token: the package's own token endpoint (checks PKCE, signs an
//   access token and an id token, RS256 with a 2048-bit RSA key);
// - GET  /v1.0/me: checks the bearer token's RS256 signature, issuer and expiry against the
//   server's own key, as a resource server must, then answers a small JSON user.
//
// The package's routes stay on its express app; only /v1.0/me is added in front of it.

import { createServer } from "node:http";
import { createLocalJWKSet, jwtVerify } from "jose";
import { OAuth2Issuer, OAuth2Service } from "oauth2-mock-server";

const TENANT_PREFIX = "/common/oauth2/v2.0";
const port = Number(process.argv[2] ?? 0);

const issuer = new OAuth2Issuer();
await issuer.keys.generate("RS256");
const service = new OAuth2Service(issuer, {
  authorize: `${TENANT_PREFIX}/authorize`,
  token: `${TENANT_PREFIX}/token`,
});
const jwks = createLocalJWKSet({ keys: issuer.keys.toJSON() });

async function me(req, res) {
  const [scheme, token] = (req.headers.authorization ?? "").split(" ");
  try {
    if (scheme?.toLowerCase() !== "bearer" || !token) throw new Error("no bearer token");
    const { payload } = await jwtVerify(token, jwks, {
      issuer: issuer.url,
      algorithms: ["RS256"],
    });
    const body = JSON.stringify({
      id: payload.sub,
      displayName: "John Doe",
      userPrincipalName: "johndoe@example.com",
    });
    res.writeHead(200, { "content-type": "application/json" }).end(body);
  } catch {
    res
      .writeHead(401, { "content-type": "application/json" })
      .end('{"error":{"code":"InvalidAuthenticationToken"}}');
  }
}

const server = createServer((req, res) => {
  if (req.method === "GET" && req.url === "/v1.0/me") {
    me(req, res);
  } else {
    service.requestHandler(req, res);
  }
});
server.keepAliveTimeout = 60_000;
server.listen(port, "127.0.0.1", () => {
  const { port: bound } = server.address();
  issuer.url = `http://127.0.0.1:${bound}`;
  console.log(`peer listening on http://127.0.0.1:${bound}`);
});

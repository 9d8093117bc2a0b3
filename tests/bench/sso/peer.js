// The peer of the SSO benchmark: Node's `oidc-provider` (9.x) set up to run the same flows as
// the hub, as plainly as its documentation shows, so the two can be measured in the same run.
//
//   node peer.js [--port 3100] [--host 127.0.0.1]      (or PEER_PORT / PEER_HOST)
//
// Prints one line of JSON on stdout when it listens:
//   {"ready":true,"issuer":...,"client_id":...,"client_secret":...,"redirect_uri":...,
//    "opaque_resource":...}
//
// What it runs:
// - one confidential client (client_secret_basic) allowed authorization_code and
//   client_credentials, with the API scope `libraries:read`, like the client the hub's
//   benchmark registers;
// - client_credentials access tokens as JWTs signed ES256 (a resource server with
//   accessTokenFormat 'jwt'), as the hub's are (RFC 9068, ES256);
// - introspection (RFC 7662). oidc-provider refuses to introspect JWT access tokens, so the
//   introspection benchmark introspects an opaque client_credentials token, asked for with
//   `resource=<opaque_resource>`: a lookup in memory, where the hub verifies an ES256 JWT and
//   asks Redis whether it was revoked;
// - authorization code flow with PKCE (S256) required; ID tokens signed ES256;
// - a login interaction of our own in place of devInteractions: a form posting card and PIN,
//   checked against an argon2id hash (m=19456 KiB, t=2, p=1, as the hub's library-issued
//   logins) of PIN 2468 for card `demo`, made when the peer starts; an unknown card costs the
//   same argon2 work. Consent is granted without a page (loadExistingGrant makes the grant, as
//   oidc-provider's documentation shows for first-party clients).
//
// What differs from the hub, beside the language: oidc-provider's own in-memory adapter (an
// LRU of 1000 entries in this process) where the hub uses PostgreSQL and Redis; one Node
// process (one core for JavaScript, argon2 on libuv's thread pool) where the hub runs one
// worker per core; the access token of the code flow is opaque (for userinfo) where the hub's
// is a JWT; subjects are public, not pairwise; no usage events. The hub shows a notice page
// before the first code of a session (a POST of its "continue" button); here the login POST
// redirects to oidc-provider's resume endpoint instead (a GET), so both logins take five
// requests: authorize, login page, login POST, notice POST or resume GET, token.

import { randomBytes, generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';

import { Algorithm, hash as argon2Hash, verify as argon2Verify } from '@node-rs/argon2';
import Provider from 'oidc-provider';

const { values: args } = parseArgs({
  options: {
    port: { type: 'string', default: process.env.PEER_PORT ?? '3100' },
    host: { type: 'string', default: process.env.PEER_HOST ?? '127.0.0.1' },
  },
});
const port = Number(args.port);
const issuer = `http://${args.host}:${port}`;

/** Where the benchmark's client is sent back; never fetched. */
const REDIRECT_URI = process.env.PEER_REDIRECT_URI ?? 'http://127.0.0.1:9/cb';
/** The API that client_credentials tokens are for (JWT access tokens). */
const API_RESOURCE = 'https://api.bench.invalid/';
/** A resource server whose tokens are opaque, for the introspection benchmark. */
const OPAQUE_RESOURCE = 'https://opaque.bench.invalid/';
const API_SCOPE = 'libraries:read';
const ACCESS_TTL = 600; // the hub's access tokens live 10 minutes

/** argon2id at the OWASP settings the hub uses for library-issued logins. */
const ARGON2 = { algorithm: Algorithm.Argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 };
const DEMO = { card: 'demo', pin: '2468', accountId: 'demo-patron' };
const demoHash = await argon2Hash(DEMO.pin, ARGON2);
/** A stand-in hash, so an unknown card costs the same as a wrong PIN. */
const decoyHash = await argon2Hash(randomBytes(16).toString('hex'), ARGON2);

const client = {
  client_id: 'bench',
  client_secret: randomBytes(32).toString('base64url'),
  grant_types: ['authorization_code', 'client_credentials'],
  response_types: ['code'],
  redirect_uris: [REDIRECT_URI],
  token_endpoint_auth_method: 'client_secret_basic',
  id_token_signed_response_alg: 'ES256',
  scope: `openid ${API_SCOPE}`,
};

const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: 'bench-es256', use: 'sig', alg: 'ES256' };

const provider = new Provider(issuer, {
  clients: [client],
  jwks: { keys: [signingKey] },
  cookies: { keys: [randomBytes(32).toString('base64url')] },
  scopes: ['openid', API_SCOPE],
  claims: { openid: ['sub'] },
  pkce: { required: () => true },
  ttl: {
    AccessToken: ACCESS_TTL,
    ClientCredentials: ACCESS_TTL,
    AuthorizationCode: 60,
    IdToken: 3600,
    Interaction: 30 * 60,
    Session: 8 * 3600,
    Grant: 8 * 3600,
  },
  features: {
    devInteractions: { enabled: false },
    introspection: { enabled: true },
    revocation: { enabled: true },
    clientCredentials: { enabled: true },
    resourceIndicators: {
      enabled: true,
      // client_credentials without `resource` gets the API (JWT tokens); the code flow gets
      // none, so its access token is the usual one for userinfo.
      defaultResource: (ctx, _client, oneOf) =>
        oneOf ??
        (ctx.oidc.route === 'token' && ctx.oidc.params.grant_type === 'client_credentials'
          ? API_RESOURCE
          : undefined),
      getResourceServerInfo: (_ctx, resource) => {
        if (resource === API_RESOURCE) {
          return {
            scope: API_SCOPE,
            audience: API_RESOURCE,
            accessTokenTTL: ACCESS_TTL,
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg: 'ES256' } },
          };
        }
        if (resource === OPAQUE_RESOURCE) {
          return { scope: API_SCOPE, audience: OPAQUE_RESOURCE, accessTokenTTL: ACCESS_TTL, accessTokenFormat: 'opaque' };
        }
        throw new Provider.errors.InvalidTarget();
      },
    },
  },
  findAccount: (_ctx, sub) => ({ accountId: sub, claims: () => ({ sub }) }),
  interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
  // Consent without a page: the first login of a session for the client makes the grant.
  loadExistingGrant: async (ctx) => {
    const grantId =
      ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope('openid');
    await grant.save();
    return grant;
  },
});
provider.on('server_error', (_ctx, error) => console.error('peer server_error:', error));

const escapeHtml = (text) =>
  String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function loginPage(uid, problem) {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Log in</title></head><body>
<h1>Log in</h1>
${problem ? `<p class="problem" role="alert">${escapeHtml(problem)}</p>` : ''}
<form method="post" action="/interaction/${escapeHtml(uid)}/login">
  <input type="hidden" name="uid" value="${escapeHtml(uid)}">
  <p><label for="card">Card number</label> <input id="card" name="card" type="text" required></p>
  <p><label for="pin">PIN</label> <input id="pin" name="pin" type="password" required></p>
  <button type="submit">Log in</button>
</form>
</body></html>`;
}

function send(res, status, html) {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-length': Buffer.byteLength(html),
  });
  res.end(html);
}

async function formBody(req) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > 16 * 1024) throw new Error('form too large');
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

/** The login interaction: GET shows the form, POST checks card and PIN. */
async function interaction(req, res, uid, action) {
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid || details.prompt.name !== 'login') {
    return send(res, 400, '<!doctype html><p>This login has expired. Start again.</p>');
  }
  if (req.method === 'GET' && !action) return send(res, 200, loginPage(uid));
  if (req.method !== 'POST' || action !== 'login') return send(res, 405, '<!doctype html><p>Not here.</p>');
  const form = await formBody(req);
  const card = (form.get('card') ?? '').trim().toLowerCase();
  const pin = form.get('pin') ?? '';
  const known = card === DEMO.card;
  const ok = await argon2Verify(known ? demoHash : decoyHash, pin);
  if (!(known && ok)) return send(res, 401, loginPage(uid, 'The card number or PIN is wrong.'));
  await provider.interactionFinished(
    req,
    res,
    { login: { accountId: DEMO.accountId } },
    { mergeWithLastSubmission: false },
  );
}

const oidc = provider.callback();
const INTERACTION = /^\/interaction\/([A-Za-z0-9_-]+)(?:\/([a-z]+))?$/;

const server = createServer((req, res) => {
  const match = INTERACTION.exec(new URL(req.url, issuer).pathname);
  if (!match) return oidc(req, res);
  interaction(req, res, match[1], match[2]).catch((error) => {
    if (!res.headersSent) send(res, 400, `<!doctype html><p>${escapeHtml(error.message)}</p>`);
    else res.destroy();
  });
});
server.keepAliveTimeout = 65_000;
server.listen(port, args.host, () => {
  console.log(
    JSON.stringify({
      ready: true,
      issuer,
      client_id: client.client_id,
      client_secret: client.client_secret,
      redirect_uri: REDIRECT_URI,
      scope: API_SCOPE,
      opaque_resource: OPAQUE_RESOURCE,
    }),
  );
});

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.once(signal, () => {
    server.close();
    server.closeAllConnections();
    process.exit(0);
  });
}

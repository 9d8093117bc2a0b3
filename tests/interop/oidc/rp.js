// The vendor's side of the interop tests: clients registered at the hub, and openid-client
// configured for them, discovering the hub, starting code flows and exchanging codes.

import * as client from 'openid-client';

/** Where the test clients' answers go (nothing listens there: the browser stops before it). */
export const REDIRECT_URI = 'http://127.0.0.1:9/cb';
/** Where the test clients' logouts return to. */
export const POST_LOGOUT_URI = 'http://127.0.0.1:9/bye';

/** @type {import('./hub.js').Hub} */
let hub;
/** The demo products by slug. */
let products;

/** Sets the hub the helpers below talk to, and its demo products by slug. */
export function useHub(running, bySlug) {
  hub = running;
  products = bySlug;
}

/**
 * Registers a client at the hub and discovers the provider for it with openid-client.
 *
 * @param {object} options
 * @param {string | null} [options.product] the slug of the product patrons log in to, or null
 *   for an API-only client
 * @param {string} [options.vendorOf] the slug of a product whose vendor owns the client
 *   (defaults to `product`)
 * @param {'ES256' | 'RS256'} [options.alg] how ID tokens are signed
 * @param {'basic' | 'post'} [options.auth] how the client authenticates at the token endpoint
 * @param {string} [options.secret] a client secret to use instead of the registered one
 */
export async function newClient({
  product = 'nordlys-ebok',
  vendorOf = product,
  alg = 'ES256',
  auth = 'basic',
  secret,
} = {}) {
  const registration = await hub.registerClient({
    vendor: products[vendorOf].vendor,
    name: `openid-client interop (${product ?? 'API only'})`,
    product: product ? products[product].id : null,
    redirect_uris: [REDIRECT_URI],
    post_logout_redirect_uris: [POST_LOGOUT_URI],
    scopes: ['libraries:read'],
    id_token_alg: alg,
  });
  const config = await discover(registration, { alg, auth, secret });
  return { config, registration };
}

/** openid-client's Configuration for a registered client, from the provider's discovery. */
export async function discover(registration, { alg = 'ES256', auth = 'basic', secret } = {}) {
  const config = await client.discovery(
    new URL(hub.url),
    registration.client_id,
    {
      client_secret: secret ?? registration.client_secret,
      id_token_signed_response_alg: alg,
    },
    auth === 'basic' ? client.ClientSecretBasic() : client.ClientSecretPost(),
    { execute: [client.allowInsecureRequests] },
  );
  // Verify ID token signatures from the token endpoint too (OpenID Connect allows a client to
  // rely on TLS there instead, which openid-client does by default).
  client.enableNonRepudiationChecks(config);
  return config;
}

/**
 * Starts an authorization code flow with PKCE (S256), state and nonce.
 *
 * @returns {Promise<{url: URL, checks: client.AuthorizationCodeGrantChecks}>}
 */
export async function authorizationRequest(config, parameters = {}) {
  const pkceCodeVerifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: REDIRECT_URI,
    scope: 'openid offline_access',
    code_challenge: await client.calculatePKCECodeChallenge(pkceCodeVerifier),
    code_challenge_method: 'S256',
    state,
    nonce,
    ...parameters,
  });
  return {
    url,
    checks: { pkceCodeVerifier, expectedState: state, expectedNonce: nonce, idTokenExpected: true },
  };
}

/**
 * Logs `patron` in with `browser` through the client `config` and exchanges the code.
 *
 * @returns {Promise<{tokens: object, claims: object, header: object, callback: URL, checks: object}>}
 */
export async function logIn(config, browser, patron) {
  const { url, checks } = await authorizationRequest(config, { login_hint: patron.isil });
  const callback = await browser.authorize(url, patron);
  const tokens = await client.authorizationCodeGrant(config, callback, checks);
  return { tokens, claims: tokens.claims(), header: jwtPart(tokens.id_token, 0), callback, checks };
}

/** Part `index` (0 header, 1 payload) of a JWT, decoded. */
export function jwtPart(jwt, index) {
  return JSON.parse(Buffer.from(jwt.split('.')[index], 'base64url').toString('utf8'));
}


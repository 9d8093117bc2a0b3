// Interop: the certified OpenID Connect relying party library `openid-client` logs patrons in
// at Tilgang's OpenID Provider, as a vendor's web application would. Every relying-party step
// goes through openid-client; only the patron's browser (the hub's login pages) is played by
// hand, in browser.js.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import * as client from 'openid-client';

import { Browser, Departure, Page } from './browser.js';
import { KEY_PUBLISH_LEAD_SECONDS, startHub } from './hub.js';
import {
  POST_LOGOUT_URI,
  REDIRECT_URI,
  authorizationRequest,
  discover,
  jwtPart,
  logIn,
  newClient,
  useHub,
} from './rp.js';


/** The demo patron, at Deichman in Oslo: card `demo`, PIN 2468. */
const DEICHMAN = { isil: 'NO-2030000', library: 'Deichman', card: 'demo', pin: '2468' };
/** The same card number and PIN at Tampere, another library. */
const TAMPERE = { isil: 'FI-Tam', card: 'demo', pin: '2468' };

/** @type {import('./hub.js').Hub} */
let hub;
/** The demo products by slug. */
let products;

before(async () => {
  hub = await startHub();
  products = await hub.products();
  useHub(hub, products);
});

after(async () => {
  await hub?.stop();
});

/** Every string in a JSON value, keys included. */
function strings(value) {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => [k, ...strings(v)]);
  }
  return [];
}

/**
 * The OAuth error code (`error`) with which a call to openid-client is refused. A 401 with a
 * WWW-Authenticate challenge (as RFC 6749 5.2 asks for after a failed HTTP Basic client
 * authentication) reaches us as a WWWAuthenticateChallengeError; the code is in its body.
 */
async function oauthError(promise) {
  const error = await promise.then(
    () => assert.fail('expected the request to be refused'),
    (e) => e,
  );
  if (error instanceof client.ResponseBodyError || error instanceof client.AuthorizationResponseError) {
    return error.error;
  }
  if (error instanceof client.WWWAuthenticateChallengeError) {
    assert.equal(error.status, 401);
    return (await error.response.json()).error;
  }
  assert.fail(`expected an OAuth error response, got ${error?.stack ?? error}`);
}

/** The hub's JWKS as anyone fetches it. */
async function publishedJwks() {
  const response = await fetch(`${hub.url}/oauth2/jwks`);
  assert.equal(response.status, 200);
  return response.json();
}

const kids = (jwks) => jwks.keys.map((k) => k.kid);

test('a vendor discovers the provider and logs a patron in with the code flow and PKCE', async () => {
  const { config, registration } = await newClient();
  const metadata = config.serverMetadata();
  assert.equal(metadata.issuer, hub.url);
  assert.ok(metadata.code_challenge_methods_supported.includes('S256'));

  const browser = new Browser(hub.url);
  const { tokens, claims, header, callback } = await logIn(config, browser, DEICHMAN);

  // openid-client has checked iss, aud, exp, iat, nonce, at_hash and (with non-repudiation
  // checks on) the ES256 signature against the JWKS; here the claims the vendor relies on.
  assert.equal(callback.searchParams.get('iss'), hub.url);
  assert.equal(header.alg, 'ES256');
  assert.equal(claims.iss, hub.url);
  assert.equal(claims.aud, registration.client_id);
  assert.equal(claims.isil, DEICHMAN.isil);
  assert.equal(claims.library_name, DEICHMAN.library);
  for (const claim of ['sub', 'nonce', 'at_hash', 'sid']) {
    assert.equal(typeof claims[claim], 'string', `${claim} is a string`);
  }
  assert.ok(Number.isInteger(claims.auth_time));
  assert.ok(Math.abs(claims.auth_time - Date.now() / 1000) < 300);
  assert.ok(Array.isArray(claims.amr) && claims.amr.length > 0);
  assert.ok(tokens.refresh_token, 'offline_access gives a refresh token');
  assert.equal(tokens.token_type.toLowerCase(), 'bearer');

  const userinfo = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
  assert.equal(userinfo.sub, claims.sub);
  assert.equal(userinfo.isil, DEICHMAN.isil);
  assert.equal(userinfo.library_name, DEICHMAN.library);

  // Neither the card number nor the hub's masked hint of it reaches the vendor.
  const accessToken =
    tokens.access_token.split('.').length === 3
      ? [jwtPart(tokens.access_token, 0), jwtPart(tokens.access_token, 1)]
      : [tokens.access_token];
  const released = [header, claims, userinfo, tokens.refresh_token, ...accessToken];
  for (const text of strings(released)) {
    assert.notEqual(text.toLowerCase(), DEICHMAN.card, `the card number was released: ${text}`);
    assert.ok(!text.includes('…'), `a masked card number was released: ${text}`);
  }
  for (const name of [claims, userinfo, ...accessToken].flatMap((o) => Object.keys(o))) {
    assert.doesNotMatch(name, /card|barcode|pin|patron_id/i, 'a card-like claim');
  }
});

test('the subject is pairwise: one per vendor for a patron, not one per client', async () => {
  // Two clients of the vendor Nordlys, one for each of its products.
  const ebook = await newClient({ product: 'nordlys-ebok' });
  const audio = await newClient({ product: 'nordlys-lydbok' });
  const first = await logIn(ebook.config, new Browser(hub.url), DEICHMAN);
  const second = await logIn(audio.config, new Browser(hub.url), DEICHMAN);
  assert.equal(second.claims.sub, first.claims.sub, 'one vendor sees one subject per patron');
  assert.notEqual(second.claims.aud, first.claims.aud);

  // The same card number at another library is another patron.
  const tampere = await logIn(ebook.config, new Browser(hub.url), TAMPERE);
  assert.equal(tampere.claims.isil, TAMPERE.isil);
  assert.notEqual(tampere.claims.sub, first.claims.sub);

  // The subject reveals neither the card number nor the library.
  for (const sub of [first.claims.sub, tampere.claims.sub]) {
    assert.ok(!sub.toLowerCase().includes(DEICHMAN.card));
    assert.ok(!sub.includes(DEICHMAN.isil) && !sub.includes(TAMPERE.isil));
  }
  // A client of another vendor would get another subject, but no demo library has access to
  // another vendor's product (see the access_denied test below), and the API cannot grant
  // access, so that half cannot be shown end to end against the demo hub.
});

// TODO(provider bug): with a hub session, /oauth2/authorize answers 303 to
// /login/continue?flow=…, and the hub has no route there (404 problem+json), so single sign-on
// across clients fails. Make this a plain test() again once the binary has the fix.
test('a patron logged in at the hub is not asked again by another client', async () => {
  const ebook = await newClient({ product: 'nordlys-ebok' });
  const audio = await newClient({ product: 'nordlys-lydbok' });
  const browser = new Browser(hub.url);
  const first = await logIn(ebook.config, browser, DEICHMAN);
  // No patron to log in with: the hub must use its session (a notice page may come first).
  const { url, checks } = await authorizationRequest(audio.config, { login_hint: DEICHMAN.isil });
  const tokens = await client.authorizationCodeGrant(
    audio.config,
    await browser.authorize(url, undefined),
    checks,
  );
  assert.equal(tokens.claims().sid, first.claims.sid, 'the same hub session');
  assert.equal(tokens.claims().sub, first.claims.sub);
});

test('a patron whose library lacks the product is refused with access_denied', async () => {
  // Only Deichman and Malmö have nordlys-lydbok in the demo; Tampere has not.
  const { config } = await newClient({ product: 'nordlys-lydbok' });
  const browser = new Browser(hub.url);
  const { url } = await authorizationRequest(config, { login_hint: TAMPERE.isil });
  const login = await browser.go(url);
  assert.ok(login instanceof Page && login.form('/login'), `a login page: ${login}`);
  const refused = await browser.submit(login, '/login', { card: TAMPERE.card, pin: TAMPERE.pin });
  assert.ok(refused instanceof Page, `a page, not a redirect: ${refused}`);
  assert.equal(refused.status, 403);
  assert.match(refused.html, /href="[^"]*error=access_denied/);
});

test('refresh tokens rotate, and reusing an old one revokes the whole grant', async () => {
  const { config } = await newClient({ auth: 'post' });
  const { tokens, claims } = await logIn(config, new Browser(hub.url), DEICHMAN);

  const second = await client.refreshTokenGrant(config, tokens.refresh_token);
  assert.ok(second.access_token);
  assert.ok(second.refresh_token, 'a new refresh token');
  assert.notEqual(second.refresh_token, tokens.refresh_token);
  assert.notEqual(second.access_token, tokens.access_token);
  if (second.id_token) assert.equal(second.claims().sub, claims.sub);
  assert.equal((await client.tokenIntrospection(config, second.access_token)).active, true);
  const userinfo = await client.fetchUserInfo(config, second.access_token, claims.sub);
  assert.equal(userinfo.sub, claims.sub);

  // The first refresh token again: a replay, so the grant is revoked.
  assert.equal(await oauthError(client.refreshTokenGrant(config, tokens.refresh_token)), 'invalid_grant');
  assert.equal((await client.tokenIntrospection(config, second.access_token)).active, false);
  assert.equal((await client.tokenIntrospection(config, second.refresh_token)).active, false);
  assert.equal(await oauthError(client.refreshTokenGrant(config, second.refresh_token)), 'invalid_grant');
});

test('access tokens introspect and revoke, and only the owning vendor sees them', async () => {
  const { config, registration } = await newClient();
  const { tokens, claims } = await logIn(config, new Browser(hub.url), DEICHMAN);

  const info = await client.tokenIntrospection(config, tokens.access_token);
  assert.equal(info.active, true);
  assert.equal(info.client_id, registration.client_id);
  assert.equal(info.sub, claims.sub);
  assert.ok(info.exp > Date.now() / 1000);

  // A client of another vendor (an API-only client of avisarkivet's publisher) learns nothing.
  const other = await newClient({ product: null, vendorOf: 'avisarkivet' });
  assert.equal((await client.tokenIntrospection(other.config, tokens.access_token)).active, false);

  // Its own client_credentials token carries the scopes it was registered with.
  const own = await client.clientCredentialsGrant(other.config);
  assert.equal(own.token_type.toLowerCase(), 'bearer');
  assert.equal(own.refresh_token, undefined);
  const ownInfo = await client.tokenIntrospection(other.config, own.access_token);
  assert.equal(ownInfo.active, true);
  assert.equal(ownInfo.scope, 'libraries:read');
  assert.equal(ownInfo.client_id, other.registration.client_id);
  assert.equal((await client.tokenIntrospection(config, own.access_token)).active, false);

  // Revocation (RFC 7009) ends the patron's access token.
  await client.tokenRevocation(config, tokens.access_token);
  assert.equal((await client.tokenIntrospection(config, tokens.access_token)).active, false);
  // Revoking an unknown token is not an error.
  await client.tokenRevocation(config, 'not-a-token-the-hub-issued');
});

test('RP-initiated logout ends the session and returns to the vendor with its state', async () => {
  const { config } = await newClient();
  const browser = new Browser(hub.url);
  const { tokens } = await logIn(config, browser, DEICHMAN);
  const session = browser.cookie('tg_session');
  assert.ok(session, 'the hub keeps a session');

  // While the session lasts, the next login is silent.
  const silent = await authorizationRequest(config, { prompt: 'none' });
  const silentCallback = await browser.authorize(silent.url, undefined);
  const again = await client.authorizationCodeGrant(config, silentCallback, silent.checks);
  assert.equal(again.claims().sid, tokens.claims().sid);

  const state = client.randomState();
  const logoutUrl = client.buildEndSessionUrl(config, {
    id_token_hint: tokens.id_token,
    post_logout_redirect_uri: POST_LOGOUT_URI,
    state,
  });
  const back = await browser.go(logoutUrl);
  assert.ok(back instanceof Departure, `a redirect to the vendor: ${back}`);
  assert.equal(back.status, 303);
  assert.equal(`${back.url.origin}${back.url.pathname}`, POST_LOGOUT_URI);
  assert.equal(back.url.searchParams.get('state'), state);
  assert.equal(browser.cookie('tg_session'), undefined, 'the session cookie is removed');

  // The old session cookie, kept by a careless browser, no longer logs anyone in.
  browser.setCookie('tg_session', session);
  const { url } = await authorizationRequest(config, { login_hint: DEICHMAN.isil });
  const page = await browser.go(url);
  assert.ok(page instanceof Page && page.form('/login'), `asked to log in again: ${page}`);

  // Nor does prompt=none: the vendor gets login_required.
  const none = await authorizationRequest(config, { prompt: 'none' });
  const refused = await new Browser(hub.url).authorize(none.url, undefined);
  assert.equal(await oauthError(client.authorizationCodeGrant(config, refused, none.checks)), 'login_required');
});

test('a key rotation is published before the new key signs, so cached JWKS keep working', async () => {
  // Counts how often each relying party instance fetches the JWKS.
  const fetches = new Map();
  const counting = (config, name) => {
    fetches.set(name, 0);
    const jwksUri = config.serverMetadata().jwks_uri;
    config[client.customFetch] = (url, options) => {
      if (url === jwksUri) fetches.set(name, fetches.get(name) + 1);
      return fetch(url, options);
    };
    return config;
  };

  const { config, registration } = await newClient();
  counting(config, 'running');
  const first = await logIn(config, new Browser(hub.url), DEICHMAN);
  const oldKid = first.header.kid;
  assert.equal(fetches.get('running'), 1, 'the JWKS is fetched for the first ID token');
  const cachedBeforeRotation = client.getJwksCache(config);
  assert.deepEqual(kids(cachedBeforeRotation.jwks), kids(await publishedJwks()));

  const rotated = await hub.rotateKeys();
  const published = await publishedJwks();
  const newKids = kids(published).filter((kid) => !kids(cachedBeforeRotation.jwks).includes(kid));
  assert.ok(newKids.length > 0, 'the new key is published at once');
  assert.deepEqual(kids(rotated).sort(), kids(published).sort());
  assert.ok(kids(published).includes(oldKid), 'the old key stays published');

  // Within the lead the old key still signs, and the cached JWKS verifies it.
  const during = await logIn(config, new Browser(hub.url), DEICHMAN);
  assert.equal(during.header.kid, oldKid);
  assert.equal(fetches.get('running'), 1, 'no JWKS fetch needed');

  // A second instance of the vendor's application refreshes its JWKS cache now, within the
  // lead, and persists it (openid-client's getJwksCache/setJwksCache).
  const restarted = counting((await newClient()).config, 'restarted');
  const reloaded = counting(await discover(registration), 'reloaded');
  client.setJwksCache(reloaded, { jwks: published, uat: Math.floor(Date.now() / 1000) });

  await sleep(KEY_PUBLISH_LEAD_SECONDS * 1000 + 1000);

  // The new key signs now; the instance that cached the JWKS within the lead verifies the
  // token without fetching it again: the key was published before it was used.
  const fresh = await logIn(reloaded, new Browser(hub.url), DEICHMAN);
  assert.notEqual(fresh.header.kid, oldKid);
  assert.ok(newKids.includes(fresh.header.kid), 'signed with the key published at rotation');
  assert.equal(fetches.get('reloaded'), 0, 'verified from the cached JWKS');

  // An instance whose cache predates the rotation, and is a minute old, meets an unknown kid
  // and fetches the JWKS again. (openid-client refetches on an unknown kid only when its
  // cache is at least 60 s old; the hub's default lead of a day covers that.)
  client.setJwksCache(restarted, {
    jwks: cachedBeforeRotation.jwks,
    uat: Math.floor(Date.now() / 1000) - 61,
  });
  const stale = await logIn(restarted, new Browser(hub.url), DEICHMAN);
  assert.equal(stale.header.kid, fresh.header.kid);
  assert.equal(fetches.get('restarted'), 1, 'refetched once for the unknown kid');
});

test('a client registered for RS256 gets RS256 ID tokens that validate', async () => {
  const { config } = await newClient({ alg: 'RS256' });
  const { header, claims, tokens } = await logIn(config, new Browser(hub.url), DEICHMAN);
  assert.equal(header.alg, 'RS256');
  assert.ok(header.kid);
  const jwk = (await publishedJwks()).keys.find((k) => k.kid === header.kid);
  assert.equal(jwk?.kty, 'RSA');
  assert.equal(claims.isil, DEICHMAN.isil);
  const userinfo = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
  assert.equal(userinfo.sub, claims.sub);
});

test('an unregistered redirect_uri gets an error page, never a redirect', async () => {
  const { config } = await newClient();
  const { url } = await authorizationRequest(config, {
    redirect_uri: 'http://127.0.0.1:9/elsewhere',
    login_hint: DEICHMAN.isil,
  });
  const page = await new Browser(hub.url).go(url);
  assert.ok(page instanceof Page, `no redirect: ${page}`);
  assert.equal(page.status, 400);
  assert.match(page.headers.get('content-type'), /^text\/html/);
});

test('an authorization request without PKCE is sent back with invalid_request', async () => {
  const { config } = await newClient();
  const state = client.randomState();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: REDIRECT_URI,
    scope: 'openid',
    state,
    nonce: client.randomNonce(),
    login_hint: DEICHMAN.isil,
  });
  const callback = await new Browser(hub.url).authorize(url, undefined);
  assert.equal(
    await oauthError(client.authorizationCodeGrant(config, callback, { expectedState: state })),
    'invalid_request',
  );
});

test('a replayed authorization code fails and revokes the tokens issued for it', async () => {
  const { config } = await newClient();
  const browser = new Browser(hub.url);
  const { tokens, callback, checks } = await logIn(config, browser, DEICHMAN);
  assert.equal((await client.tokenIntrospection(config, tokens.access_token)).active, true);

  assert.equal(await oauthError(client.authorizationCodeGrant(config, callback, checks)), 'invalid_grant');
  assert.equal((await client.tokenIntrospection(config, tokens.access_token)).active, false);
  assert.equal((await client.tokenIntrospection(config, tokens.refresh_token)).active, false);
});

test('a client with a wrong secret is refused with invalid_client', async () => {
  for (const auth of ['basic', 'post']) {
    const { config } = await newClient({ auth, secret: 'not-the-secret' });
    assert.equal(await oauthError(client.clientCredentialsGrant(config)), 'invalid_client', auth);
    assert.equal(
      await oauthError(client.tokenIntrospection(config, 'any')),
      'invalid_client',
      `${auth}: introspection`,
    );
  }
});

// Last: it locks the demo card at Tampere for 15 minutes.
test('five wrong PINs for a card lock it out, even for the right PIN', async () => {
  const { config } = await newClient();
  const browser = new Browser(hub.url);
  const { url } = await authorizationRequest(config, { login_hint: TAMPERE.isil });
  let page = await browser.go(url);
  assert.ok(page instanceof Page && page.hasInput('pin', 'password'), `a login page: ${page}`);
  for (let attempt = 1; attempt <= 5; attempt++) {
    page = await browser.submit(page, '/login', { card: TAMPERE.card, pin: '0000' });
    assert.ok(page instanceof Page, `attempt ${attempt}: ${page}`);
    assert.equal(page.status, 401, `attempt ${attempt}: ${page}`);
    assert.match(page.html, /role="alert"/);
  }
  page = await browser.submit(page, '/login', { card: TAMPERE.card, pin: TAMPERE.pin });
  assert.ok(page instanceof Page, `no redirect: ${page}`);
  assert.equal(page.status, 429);
});

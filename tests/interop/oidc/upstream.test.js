// Interop: a library's patrons log in with e-ID. The certified `oidc-provider` plays the
// library's upstream identity provider; the hub is its relying party (the `openidconnect`
// crate); openid-client plays the vendor, as in oidc.test.js.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import * as client from 'openid-client';

import { Browser, Departure, Page } from './browser.js';
import { startHub } from './hub.js';
import { authorizationRequest, newClient, useHub } from './rp.js';
import { HUB_CLIENT, startIdp } from './upstream-idp.js';

const DEICHMAN = 'NO-2030000';

/** @type {import('./hub.js').Hub} */
let hub;
let idp;
let vendor;
let audiobooks;

before(async () => {
  hub = await startHub();
  useHub(hub, await hub.products());
  idp = await startIdp(hub.url);
  const { status, body } = await hub.api('PUT', `/api/v1/libraries/${DEICHMAN}/patron-login-setup`, {
    upstream: {
      issuer: idp.url,
      display_name: 'Test e-ID',
      ...HUB_CLIENT,
      scopes: ['library', 'profile'],
      library_claim: 'home_library',
    },
  });
  assert.equal(status, 200, JSON.stringify(body));
  vendor = await newClient();
  audiobooks = await newClient({ product: 'nordlys-lydbok' });
});

after(async () => {
  await idp?.stop();
  await hub?.stop();
});

/**
 * Walks `browser` from the vendor's authorization request through the hub's login page, the
 * e-ID button, the provider's login (as `login`) and consent, back through the hub.
 *
 * @returns {Promise<{end: Page | Departure, checks: object}>}
 */
async function eidLogin(browser, login, rp = vendor) {
  const { url, checks } = await authorizationRequest(rp.config, {
    login_hint: DEICHMAN,
    ui_locales: 'en',
  });
  const card = await browser.go(url);
  assert.ok(card instanceof Page && card.form('/login'), `expected the card form, got ${card}`);
  const button = card.link('Test e-ID');
  assert.ok(button, 'the card form offers the library e-ID');
  let at = await browser.go(new URL(button, card.url));
  for (let step = 0; step < 6 && at instanceof Page && at.url.origin === idp.url; step++) {
    const action = at.firstFormAction();
    assert.ok(action, `expected a form at the provider, got ${at}`);
    at = await browser.submit(at, action, { login, password: 'anything' });
  }
  if (at instanceof Page && at.form('/login/consent')) at = await browser.submit(at, '/login/consent');
  return { end: at, checks };
}

test('a patron logs in with the library e-ID and the vendor gets the home library and an age band only', async () => {
  // The audiobook product's release policy allows an age band; kari was born in 1990.
  const { end, checks } = await eidLogin(new Browser(hub.url, idp.url), 'kari', audiobooks);
  assert.ok(end instanceof Departure, `expected a redirect to the vendor, got ${end}`);
  const tokens = await client.authorizationCodeGrant(audiobooks.config, end.url, checks);
  const claims = tokens.claims();
  assert.equal(claims.isil, DEICHMAN);
  assert.equal(claims.library_name, 'Deichman');
  assert.equal(claims.age_band, '26-66');
  assert.deepEqual(claims.amr, ['fed']);
  assert.notEqual(claims.sub, 'kari', 'the provider subject never reaches the vendor');
  assert.equal(claims.birthdate, undefined);
  assert.equal(claims.home_library, undefined);
});

test('the same e-ID person gets the same pairwise subject on every login', async () => {
  const subject = async () => {
    const { end, checks } = await eidLogin(new Browser(hub.url, idp.url), 'kari');
    return (await client.authorizationCodeGrant(vendor.config, end.url, checks)).claims().sub;
  };
  assert.equal(await subject(), await subject());
});

test('a shared e-ID maps a patron to the home library its claim names', async () => {
  const { end, checks } = await eidLogin(new Browser(hub.url, idp.url), 'aino');
  const claims = (await client.authorizationCodeGrant(vendor.config, end.url, checks)).claims();
  assert.equal(claims.isil, 'FI-Tam');
});

test('an e-ID login that names no home library is refused on the login page', async () => {
  const { end } = await eidLogin(new Browser(hub.url, idp.url), 'nomad');
  assert.ok(end instanceof Page, `expected a page, got ${end}`);
  assert.equal(end.status, 403);
  assert.match(end.html, /did not say which library/);
  assert.ok(end.form('/login'), 'the card form stays available');
});

test('a patron who cancels at the provider is back at the card form with a plain message', async () => {
  const browser = new Browser(hub.url, idp.url);
  const { url } = await authorizationRequest(vendor.config, {
    login_hint: DEICHMAN,
    ui_locales: 'en',
  });
  const card = await browser.go(url);
  const login = await browser.go(new URL(card.link('Test e-ID'), card.url));
  const cancel = login.link('Cancel');
  assert.ok(cancel, `the provider offers to cancel: ${login}`);
  const back = await browser.go(new URL(cancel, login.url));
  assert.ok(back instanceof Page, `${back}`);
  assert.equal(back.status, 502);
  assert.match(back.html, /e-ID login did not work/);
  assert.ok(back.form('/login'));
});

test('a replayed or forged provider callback is refused and logs no one in', async () => {
  const browser = new Browser(hub.url, idp.url);
  const forged = await browser.go(`${hub.url}/login/upstream/callback?state=forged&code=forged`);
  assert.equal(forged.status, 400);
  assert.equal(browser.cookie('tg_session'), undefined);
});

test('the setup keeps the client secret write-only, checks the issuer, and its test reaches the provider', async () => {
  const path = `/api/v1/libraries/${DEICHMAN}/patron-login-setup`;
  const shown = await hub.api('GET', path);
  assert.equal(shown.status, 200);
  assert.equal(shown.body.upstream.issuer, idp.url);
  assert.ok(!JSON.stringify(shown.body).includes(HUB_CLIENT.client_secret));

  const tested = await hub.api('POST', `${path}:test`);
  assert.deepEqual(tested.body, { ok: true, code: null, message: null });

  const plainHttp = await hub.api('PUT', path, {
    upstream: { ...shown.body.upstream, issuer: 'http://idp.example.org' },
  });
  assert.equal(plainHttp.status, 422);
  assert.equal(plainHttp.body.field, 'upstream.issuer');
  assert.equal((await hub.api('GET', path)).body.upstream.issuer, idp.url, 'nothing changed');
});

// Interop: staff log in at the consortium's own identity provider instead of with a password.
// The certified `oidc-provider` plays the consortium's staff directory; the hub is its relying
// party (the `openidconnect` crate), and the ID token's verified e-mail address names the
// staff account in the register.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { Browser, Page } from './browser.js';
import { freePort, startHub } from './hub.js';
import { HUB_CLIENT, startIdp } from './upstream-idp.js';

let hub;
let idp;

before(async () => {
  // The hub names the provider at its start, and the provider names the hub's callback.
  const port = await freePort();
  hub = await startHub({
    TILGANG_SSO_STAFF_IDP_ISSUER: `http://127.0.0.1:${port}`,
    TILGANG_SSO_STAFF_IDP_NAME: 'Konsortiet',
    TILGANG_SSO_STAFF_IDP_CLIENT_ID: HUB_CLIENT.client_id,
    TILGANG_SSO_STAFF_IDP_CLIENT_SECRET: HUB_CLIENT.client_secret,
  });
  idp = await startIdp(hub.url, port);
});

after(async () => {
  await idp?.stop();
  await hub?.stop();
});

/** Walks a new browser from `/admin` through the provider's button and login (as `login`). */
async function staffLogin(login) {
  const browser = new Browser(hub.url, idp.url);
  const form = await browser.go(new URL('/admin?lang=en', hub.url));
  assert.ok(form instanceof Page && form.form('/login/staff'), `expected the staff form, got ${form}`);
  const button = form.link('Log in with Konsortiet');
  assert.ok(button, 'the staff form offers the consortium login');
  let at = await browser.go(new URL(button, form.url));
  for (let step = 0; step < 6 && at instanceof Page && at.url.origin === idp.url; step++) {
    const action = at.firstFormAction();
    assert.ok(action, `expected a form at the provider, got ${at}`);
    at = await browser.submit(at, action, { login, password: 'anything' });
  }
  assert.ok(at instanceof Page, `expected a page of the hub, got ${at}`);
  return at;
}

test('a staff member whose verified address the provider vouches for lands on the staff pages', async () => {
  const page = await staffLogin('konsortium');
  assert.equal(page.status, 200, `${page}`);
  assert.match(page.html, /Logged in as/);
  assert.match(page.html, /consortium admin/);
  assert.equal(page.url.pathname, '/admin');
});

test('an address with no staff account, or one the provider does not say it verified, is refused on the staff form', async () => {
  for (const login of ['stranger', 'unverified', 'unsaid']) {
    const page = await staffLogin(login);
    assert.equal(page.status, 403, `${login}: ${page}`);
    assert.ok(page.form('/login/staff'), `${login}: the password form is offered again`);
    assert.match(page.html, /did not name an active staff account here/);
  }
});

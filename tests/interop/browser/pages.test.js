// The pages in a real browser: Debian's Chromium, driven by playwright-core, opens each page in
// every language, checks it with axe-core against WCAG 2.1 A and AA, and takes a full-page
// screenshot (target/screenshots/). Any violation, of any impact, fails the test.
//
// Chromium: CHROMIUM (default /usr/bin/chromium; `apt-get install chromium`).

import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';

import { startHub } from '../oidc/hub.js';
import { HUB_CLIENT, startIdp } from '../oidc/upstream-idp.js';

const require = createRequire(import.meta.url);
const AXE = require.resolve('axe-core');
const SHOTS = resolve(dirname(fileURLToPath(import.meta.url)), '../../../target/screenshots');
const LANGUAGES = ['en', 'nb', 'nn', 'sv', 'da', 'fi'];
const WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
/** The demo staff accounts' password (printed by `tilgang demo`). */
const STAFF_PASSWORD = 'tilgang-demo-2468';

let hub;
let browser;

before(async () => {
  hub = await startHub();
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--disable-gpu', '--disable-quic'],
  });
  await mkdir(SHOTS, { recursive: true });
});

after(async () => {
  await browser?.close();
  await hub?.stop();
});

/** Opens `path` in `lang` on a phone-sized screen; returns the page and axe's violations. */
async function visit(path, lang, name) {
  // The pages' Content-Security-Policy allows no scripts at all; axe is let in by the test.
  const context = await browser.newContext({
    locale: lang,
    viewport: { width: 390, height: 844 },
    bypassCSP: true,
  });
  const page = await context.newPage();
  const outside = [];
  page.on('request', (request) => {
    if (!request.url().startsWith(hub.url)) outside.push(request.url());
  });
  const response = await page.goto(new URL(path, hub.url).href);
  const { html, violations } = await check(page, `${name}-${lang}`);
  await context.close();
  return { status: response.status(), html, violations, outside };
}

/** Checks the open page with axe and takes its screenshot; returns its HTML and violations. */
async function check(page, shot) {
  await page.addScriptTag({ path: AXE });
  const result = await page.evaluate(
    (tags) => globalThis.axe.run(document, { runOnly: { type: 'tag', values: tags } }),
    WCAG,
  );
  await page.screenshot({ path: join(SHOTS, `${shot}.png`), fullPage: true });
  const violations = result.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
  );
  return { html: await page.content(), violations };
}

/** A phone-sized browser context in `lang` that lets axe in past the pages' CSP. */
function phone(lang) {
  return browser.newContext({ locale: lang, viewport: { width: 390, height: 844 }, bypassCSP: true });
}

/** Logs a demo staff member in on `page`, from `/admin`. */
async function logIn(page, email) {
  await page.goto(new URL('/admin', hub.url).href);
  await page.locator('#email').fill(email);
  await page.locator('#password').fill(STAFF_PASSWORD);
  await page.locator('form[action="/login/staff"] button[type=submit]').click();
  await page.waitForURL((url) => /^\/(admin|vendor)/.test(url.pathname) && !url.pathname.startsWith('/admin/login'));
}

const PAGES = [
  ['elibrary', '/l/NO-2030000'],
  ['privacy', '/l/NO-2030000/privacy'],
  ['widget', '/l/NO-2030000/widget'],
  ['not-found', '/l/NO-9999999'],
  ['catalogue', '/catalogue'],
  ['front', '/?q=bibliotek'],
  ['staff-login', '/admin'],
];

for (const [name, path] of PAGES) {
  test(`the ${name} page passes axe in every language and loads nothing from elsewhere`, async () => {
    for (const lang of LANGUAGES) {
      const { status, html, violations, outside } = await visit(path, lang, name);
      assert.equal(status, name === 'not-found' ? 404 : 200, `${path} in ${lang}`);
      assert.match(html, new RegExp(`<html lang="${lang}"`), `${path} follows the browser's ${lang}`);
      assert.deepEqual(violations, [], `${path} in ${lang}`);
      assert.deepEqual(outside, [], `${path} in ${lang} asked only the hub`);
    }
  });
}

test('a patron follows a product from the e-library page to the login page', async () => {
  const context = await browser.newContext({ locale: 'nb' });
  const page = await context.newPage();
  await page.goto(new URL('/l/NO-2030000', hub.url).href);
  await page.getByRole('link', { name: 'Åpne Nordlys e-bøker' }).click();
  await page.waitForURL((url) => url.pathname.startsWith('/login'));
  assert.match(await page.title(), /Deichman|Logg inn|lånekort/i);
  await context.close();
});

test('the staff pages pass axe in every language and a library admin cannot open another library', async () => {
  for (const lang of LANGUAGES) {
    const context = await phone(lang);
    const page = await context.newPage();
    await logIn(page, 'tampere@tilgang.demo');
    for (const [name, path] of [
      ['admin-library', '/admin/libraries/FI-Tam'],
      ['admin-trial', '/admin/libraries/FI-Tam/trial?product=nordlys-lydbok'],
      ['admin-usage', '/admin/libraries/FI-Tam/usage'],
      ['admin-featured', '/admin/libraries/FI-Tam/highlights'],
      ['admin-settings', '/admin/libraries/FI-Tam/settings'],
      ['admin-patrons', '/admin/libraries/FI-Tam/patrons'],
      ['admin-login-setup', '/admin/libraries/FI-Tam/login-setup'],
      ['admin-eid', '/admin/libraries/FI-Tam/e-id'],
      ['admin-logo', '/admin/libraries/FI-Tam/logo'],
      ['admin-account', '/admin/account'],
      ['admin-not-found', '/admin/libraries/NO-2030000'],
    ]) {
      const response = await page.goto(new URL(`${path}${path.includes('?') ? '&' : '?'}lang=${lang}`, hub.url).href);
      assert.equal(response.status(), name === 'admin-not-found' ? 404 : 200, `${path} in ${lang}`);
      const { html, violations } = await check(page, `${name}-${lang}`);
      assert.match(html, new RegExp(`<html lang="${lang}"`), `${path} in ${lang}`);
      assert.deepEqual(violations, [], `${path} in ${lang}`);
      if (name === 'admin-not-found') assert.doesNotMatch(html, /Deichman/);
    }
    await context.close();
  }
});

test('a library admin saves the settings, and a refused form says what is wrong and passes axe', async () => {
  const context = await phone('en');
  const page = await context.newPage();
  await logIn(page, 'tampere@tilgang.demo');
  await page.getByRole('link', { name: 'Library settings' }).click();
  await page.getByLabel('IP ranges').fill('10.0.0.0/4');
  await page.getByRole('button', { name: 'Save the settings' }).click();
  await page.getByRole('alert').filter({ hasText: 'were not saved' }).waitFor();
  assert.equal(await page.getByLabel('IP ranges').getAttribute('aria-invalid'), 'true');
  assert.deepEqual((await check(page, 'admin-settings-refused')).violations, []);
  await page.getByLabel('IP ranges').fill('192.0.2.0/24');
  await page.getByRole('button', { name: 'Save the settings' }).click();
  await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
  assert.equal(await page.getByLabel('IP ranges').inputValue(), '192.0.2.0/24');
  await context.close();
});

test('a library admin starts a trial, a patron follows it to the vendor, and the visit shows in the usage page', async () => {
  const context = await phone('en');
  const page = await context.newPage();
  const outside = [];
  page.on('request', (request) => {
    if (!request.url().startsWith(hub.url)) outside.push(request.url());
  });

  // The library admin logs in and starts a trial of the audiobooks in two clicks.
  await logIn(page, 'tampere@tilgang.demo');
  assert.match(page.url(), /\/admin\/libraries\/FI-Tam/);
  await page.getByRole('link', { name: 'Try Nordlys lydbøker' }).click();
  await page.getByRole('button', { name: 'Start the trial' }).click();
  await page.getByRole('status').filter({ hasText: 'has started' }).waitFor();
  assert.match(await page.locator('table').innerText(), /Nordlys lydbøker[\s\S]*Trial until/);
  assert.deepEqual((await check(page, 'story-library')).violations, [], 'the page with a trial on it');
  for (const lang of LANGUAGES) {
    const path = `/admin/libraries/FI-Tam/convert?product=nordlys-lydbok&lang=${lang}`;
    const response = await page.goto(new URL(path, hub.url).href);
    assert.equal(response.status(), 200, path);
    assert.deepEqual((await check(page, `admin-convert-${lang}`)).violations, [], path);
  }
  await page.goto(new URL('/admin/libraries/FI-Tam?lang=en', hub.url).href);

  // The library's e-library page offers it; the patron follows it, logs in and lands at the vendor.
  await page.goto(new URL('/l/FI-Tam?lang=en', hub.url).href);
  await page.getByRole('link', { name: 'Open Nordlys lydbøker' }).click();
  await page.locator('#card').fill('demo');
  await page.locator('#pin').fill('2468');
  await page.locator('form[action="/login"] button[type=submit]').click();
  for (let i = 0; i < 5 && !new URL(page.url()).pathname.startsWith('/demo/vendor/'); i += 1) {
    const next = page.locator('form[action="/login/consent"] button[type=submit]');
    if (await next.count()) await next.click();
    await page.waitForLoadState();
  }
  assert.match(new URL(page.url()).pathname, /^\/demo\/vendor\//, `landed at ${page.url()}`);
  assert.match(await page.locator('body').innerText(), /FI-Tam/);

  // The visit shows in the library's usage page once the roll-up (every 30 s) has counted it.
  const deadline = Date.now() + 90_000;
  let table = '';
  while (Date.now() < deadline) {
    await page.goto(new URL('/admin/libraries/FI-Tam/usage?lang=en', hub.url).href);
    table = await page.locator('main').innerText();
    if (/Nordlys lydbøker\s+1\s+0\s+1/.test(table)) break;
    await new Promise((ok) => setTimeout(ok, 2_000));
  }
  assert.match(table, /Nordlys lydbøker\s+1\s+0\s+1/, 'one session of one patron');
  const { violations } = await check(page, 'story-usage');
  assert.deepEqual(violations, []);
  assert.deepEqual(outside, [], 'nothing was asked of anyone but the hub');
  await context.close();
});

test("a vendor answers a trial request on its page, which passes axe in every language", async () => {
  // A new library asks for a trial of the audiobooks, which the vendor now confirms first.
  const library = await hub.api('POST', '/api/v1/libraries', { isil: 'NO-2999999', name: { nb: 'Prøvebiblioteket' } });
  assert.equal(library.status, 201, JSON.stringify(library.body));
  const terms = { trial: { available: true, days: 30, needs_vendor_confirmation: true, waiting_days: 365 } };
  const patched = await hub.api('PATCH', '/api/v1/products/nordlys-lydbok', terms);
  assert.equal(patched.status, 200, JSON.stringify(patched.body));
  const asked = await hub.api('POST', '/api/v1/trials', { isil: 'NO-2999999', product: 'nordlys-lydbok' });
  assert.equal(asked.status, 201, JSON.stringify(asked.body));
  assert.equal(asked.body.state, 'requested');
  for (const lang of LANGUAGES) {
    const context = await phone(lang);
    const page = await context.newPage();
    await logIn(page, 'nordlys@tilgang.demo');
    const response = await page.goto(new URL(`/vendor?lang=${lang}`, hub.url).href);
    assert.equal(response.status(), 200, `/vendor in ${lang}`);
    const { html, violations } = await check(page, `vendor-${lang}`);
    assert.match(html, new RegExp(`<html lang="${lang}"`));
    assert.deepEqual(violations, [], `/vendor in ${lang}`);
    if (lang === 'en') {
      await page.getByRole('button', { name: 'Confirm the trial of Nordlys lydbøker at Prøvebiblioteket' }).click();
      await page.getByRole('status').filter({ hasText: 'has started' }).waitFor();
      assert.deepEqual((await check(page, 'vendor-answered')).violations, []);
    }
    await context.close();
  }
  const trial = await hub.api('GET', `/api/v1/trials/${asked.body.id}`);
  assert.equal(trial.body.state, 'active');
});

test('a vendor adds a webhook endpoint and its test event arrives; the vendor and consortium pages pass axe in every language', async () => {
  const arrived = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      arrived.push(JSON.parse(body));
      response.writeHead(204).end();
    });
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const url = `http://127.0.0.1:${server.address().port}/hooks`;
  try {
    const context = await phone('en');
    const page = await context.newPage();
    await logIn(page, 'nordlys@tilgang.demo');
    await page.goto(new URL('/vendor/webhooks?lang=en', hub.url).href);
    await page.getByLabel('URL').fill(url);
    await page.getByLabel(/^trial\.started/).check();
    await page.getByRole('button', { name: 'Add the endpoint' }).click();
    await page.getByText('shown only this once').waitFor();
    assert.match(await page.content(), /whsec_/);
    assert.deepEqual((await check(page, 'vendor-webhook-added')).violations, []);
    await page.getByRole('button', { name: `Send a test event to ${url}` }).click();
    await page.getByRole('status').filter({ hasText: 'A test event is on its way' }).waitFor();
    const deadline = Date.now() + 10_000;
    while (arrived.length === 0 && Date.now() < deadline) await new Promise((ok) => setTimeout(ok, 100));
    assert.equal(arrived[0]?.type, 'webhook.test', 'the receiver got the test event');
    await context.close();
  } finally {
    await new Promise((ok) => server.close(ok));
  }
  for (const [email, paths] of [
    ['nordlys@tilgang.demo', ['/vendor/products', '/vendor/products/nordlys-ebok', '/vendor/libraries', '/vendor/webhooks', '/vendor/reports', '/vendor/clients']],
    ['konsortium@tilgang.demo', ['/admin', '/admin/libraries/FI-Tam', '/admin/import', '/admin/vendors', '/admin/agreements', '/admin/statistics', '/admin/approvals', '/admin/webhook-failures', '/admin/audit']],
    ['tampere@tilgang.demo', ['/admin/agreements']],
  ]) {
    for (const lang of LANGUAGES) {
      const context = await phone(lang);
      const page = await context.newPage();
      await logIn(page, email);
      for (const path of paths) {
        const response = await page.goto(new URL(`${path}?lang=${lang}`, hub.url).href);
        assert.equal(response.status(), 200, `${path} in ${lang}`);
        const name = `${email.split('@')[0]}${path.replaceAll('/', '-')}`;
        const { html, violations } = await check(page, `${name}-${lang}`);
        assert.match(html, new RegExp(`<html lang="${lang}"`));
        assert.deepEqual(violations, [], `${path} in ${lang}`);
      }
      await context.close();
    }
  }
});

test('a consortium admin registers a vendor and its product, and makes an agreement, in Chromium', async () => {
  const context = await phone('en');
  const page = await context.newPage();
  await logIn(page, 'konsortium@tilgang.demo');
  await page.goto(new URL('/admin/vendors?lang=en', hub.url).href);
  await page.getByLabel('Name', { exact: true }).fill('Lydhus AS');
  await page.getByLabel('Privacy statement').fill('https://lydhus.example/privacy');
  await page.getByRole('button', { name: 'Register the vendor' }).click();
  await page.getByRole('status').filter({ hasText: 'Lydhus AS is registered' }).waitFor();
  assert.deepEqual((await check(page, 'consortium-vendor-registered')).violations, []);
  await page.getByLabel('Short name').fill('lydhus');
  await page.getByLabel('Name in English').fill('Lydhus audiobooks');
  await page.getByLabel('Kind').selectOption('audiobook');
  await page.getByRole('button', { name: 'Add the product' }).click();
  await page.getByRole('status').filter({ hasText: 'Lydhus audiobooks is added' }).waitFor();
  await page.getByRole('link', { name: 'Lydhus audiobooks' }).click();
  await page.getByRole('heading', { name: 'Lydhus audiobooks' }).waitFor();
  assert.deepEqual((await check(page, 'consortium-product-editor')).violations, []);

  await page.goto(new URL('/admin/agreements?lang=en', hub.url).href);
  await page.getByLabel('Name', { exact: true }).fill('Lydhus for Finland');
  await page.getByLabel('Product').selectOption('lydhus');
  const suomi = await page.locator('#group option', { hasText: 'Suomi' }).getAttribute('value');
  await page.getByLabel('Every member of').selectOption(suomi);
  await page.getByLabel('Price for the whole period').fill('40 000');
  await page.getByLabel('Currency').selectOption('EUR');
  await page.getByRole('button', { name: 'Make the agreement' }).click();
  await page.getByRole('status').filter({ hasText: 'Lydhus for Finland is made' }).waitFor();
  assert.deepEqual((await check(page, 'consortium-agreement-made')).violations, []);
  const made = await hub.api('GET', '/api/v1/agreements');
  assert.equal(made.body.items[0].name, 'Lydhus for Finland');
  assert.ok(made.body.items[0].members.some((m) => m.isil === 'FI-Tam'), 'Tampere is a member');
  await context.close();
});

test('a vendor uploads a report with mistakes in Chromium and sees each on its line', async () => {
  const context = await phone('en');
  const page = await context.newPage();
  await logIn(page, 'nordlys@tilgang.demo');
  await page.goto(new URL('/vendor/reports?lang=en', hub.url).href);
  await page.getByLabel('Product').selectOption('nordlys-ebok');
  const report = '{\n  "Report_Header": {\n    "Report_ID": "PR",\n    "Release": "5"\n  },\n  "Report_Items": []\n}\n';
  await page.getByLabel('The report file').setInputFiles({ name: 'pr.json', mimeType: 'application/json', buffer: Buffer.from(report) });
  await page.getByRole('button', { name: 'Check and send' }).click();
  await page.getByRole('alert').filter({ hasText: 'The report was not stored' }).waitFor();
  const rows = await page.locator('#problems-caption ~ tbody tr').allInnerTexts();
  assert.ok(rows.some((row) => /^4\s+\/Report_Header\/Release/.test(row)), rows.join('\n'));
  assert.deepEqual((await check(page, 'vendor-report-refused')).violations, []);
  const listed = await hub.api('GET', '/api/v1/usage/reports');
  assert.deepEqual(listed.body, [], 'nothing was stored');
  await context.close();
});

// A one-pixel PNG: a real image, so that Chromium draws it.
const PIXEL = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

test("a library admin uploads the library's logo in Chromium and the e-library page draws it", async () => {
  const context = await phone('en');
  const page = await context.newPage();
  await logIn(page, 'tampere@tilgang.demo');
  await page.goto(new URL('/admin/libraries/FI-Tam/logo?lang=en', hub.url).href);
  await page.getByLabel('Image file').setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: PIXEL });
  await page.getByRole('button', { name: 'Upload the logo' }).click();
  await page.getByRole('status').filter({ hasText: 'The logo is saved' }).waitFor();
  assert.deepEqual((await check(page, 'admin-logo-saved')).violations, []);
  await page.goto(new URL('/l/FI-Tam?lang=en', hub.url).href);
  const drawn = await page.locator('img.logo').evaluate((img) => img.complete && img.naturalWidth);
  assert.equal(drawn, 1, 'the logo loads from the hub and is drawn');
  assert.deepEqual((await check(page, 'library-with-logo')).violations, []);
  await page.goto(new URL('/admin/libraries/FI-Tam/logo?lang=en', hub.url).href);
  await page.getByRole('button', { name: 'Remove the logo' }).click();
  await page.getByRole('status').filter({ hasText: 'The logo is removed' }).waitFor();
  await context.close();
});

test("a library admin sets up the library's e-ID provider (oidc-provider) and the test finds it", async () => {
  const idp = await startIdp(hub.url);
  const context = await phone('en');
  try {
    const page = await context.newPage();
    await logIn(page, 'deichman@tilgang.demo');
    await page.goto(new URL('/admin/libraries/NO-2030000/e-id?lang=en', hub.url).href);
    await page.getByLabel("The provider's address (issuer)").fill(idp.url);
    await page.getByLabel('Name on the login button').fill('Test e-ID');
    await page.getByLabel("The hub's client id at the provider").fill(HUB_CLIENT.client_id);
    await page.getByLabel("The hub's client secret at the provider").fill(HUB_CLIENT.client_secret);
    await page.getByRole('button', { name: 'Save the provider' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    await page.getByRole('button', { name: 'Test the provider' }).click();
    await page.getByRole('status').filter({ hasText: 'The provider answered' }).waitFor();
    assert.deepEqual((await check(page, 'admin-eid-tested')).violations, []);
    const setup = await hub.api('GET', '/api/v1/libraries/NO-2030000/patron-login-setup');
    assert.equal(setup.body.upstream.issuer, idp.url);
    assert.equal(setup.body.upstream.display_name, 'Test e-ID');
    // The patron's login page now offers the e-ID button.
    const patron = await browser.newContext({ locale: 'en' });
    const login = await patron.newPage();
    await login.goto(new URL('/l/NO-2030000', hub.url).href);
    await login.getByRole('link', { name: /Nordlys e-bøker/ }).first().click();
    await login.waitForURL((url) => url.pathname.startsWith('/login'));
    assert.ok(await login.getByRole('link', { name: /Test e-ID/ }).count() > 0, 'the e-ID button');
    await patron.close();
  } finally {
    await context.close();
    await idp.stop();
  }
});

/** The six-digit RFC 6238 code of the base32 `secret` at `seconds` (what an authenticator app shows). */
function totpCode(secret, seconds) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of secret.replace(/=+$/, '')) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(seconds / 30)));
  const mac = createHmac('sha1', key).update(counter).digest();
  const offset = mac[mac.length - 1] & 0xf;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

test('a library admin turns on the two-step login in Chromium, and the next login asks for a code in every language', async () => {
  const context = await phone('en');
  const page = await context.newPage();
  await logIn(page, 'tampere@tilgang.demo');
  await page.goto(new URL('/admin/account?lang=en', hub.url).href);
  const secret = await page.locator('input[name=secret]').inputValue();
  await page.getByLabel('Code from the app').fill(totpCode(secret, Date.now() / 1000));
  await page.getByRole('button', { name: 'Turn two-step login on' }).click();
  await page.getByRole('status').filter({ hasText: 'Two-step login is on' }).waitFor();
  await context.close();
  for (const lang of LANGUAGES) {
    const login = await phone(lang);
    const tab = await login.newPage();
    await tab.goto(new URL(`/admin?lang=${lang}`, hub.url).href);
    await tab.locator('#email').fill('tampere@tilgang.demo');
    await tab.locator('#password').fill(STAFF_PASSWORD);
    await tab.locator('form[action="/login/staff"] button[type=submit]').click();
    await tab.locator('#code').waitFor();
    const { html, violations } = await check(tab, `staff-code-${lang}`);
    assert.match(html, new RegExp(`<html lang="${lang}"`));
    assert.deepEqual(violations, [], `the code form in ${lang}`);
    await login.close();
  }
  // The next step's code logs in (the one that turned it on is used up).
  const last = await phone('en');
  const tab = await last.newPage();
  await tab.goto(new URL('/admin?lang=en', hub.url).href);
  await tab.locator('#email').fill('tampere@tilgang.demo');
  await tab.locator('#password').fill(STAFF_PASSWORD);
  await tab.locator('form[action="/login/staff"] button[type=submit]').click();
  await tab.locator('#code').fill(totpCode(secret, Date.now() / 1000 + 30));
  await tab.locator('form[action="/login/staff"] button[type=submit]').click();
  await tab.waitForURL((url) => url.pathname.startsWith('/admin/libraries/FI-Tam'));
  await last.close();
});

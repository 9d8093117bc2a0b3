// The pages in a real browser: Debian's Chromium, driven by playwright-core, opens each page in
// every language, checks it with axe-core against WCAG 2.1 A and AA, and takes a full-page
// screenshot (target/screenshots/). Any violation, of any impact, fails the test.
//
// Chromium: CHROMIUM (default /usr/bin/chromium; `apt-get install chromium`).

import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';

import { startHub } from '../oidc/hub.js';

const require = createRequire(import.meta.url);
const AXE = require.resolve('axe-core');
const SHOTS = resolve(dirname(fileURLToPath(import.meta.url)), '../../../target/screenshots');
const LANGUAGES = ['en', 'nb', 'sv', 'da', 'fi'];
const WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

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
  await page.addScriptTag({ path: AXE });
  const result = await page.evaluate(
    (tags) => globalThis.axe.run(document, { runOnly: { type: 'tag', values: tags } }),
    WCAG,
  );
  await page.screenshot({ path: join(SHOTS, `${name}-${lang}.png`), fullPage: true });
  const html = await page.content();
  await context.close();
  const violations = result.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
  );
  return { status: response.status(), html, violations, outside };
}

const PAGES = [
  ['elibrary', '/l/NO-2030000'],
  ['privacy', '/l/NO-2030000/privacy'],
  ['widget', '/l/NO-2030000/widget'],
  ['not-found', '/l/NO-9999999'],
  ['catalogue', '/catalogue'],
  ['front', '/?q=bibliotek'],
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

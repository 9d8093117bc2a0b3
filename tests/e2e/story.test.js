// End to end across processes: every Tilgang service in its own process on PostgreSQL and
// Redis, two sso replicas behind nginx (round robin), driven only through the proxy. A vendor
// integrates with the third-party openid-client library, a trial starts, patrons log in, the
// access events reach usage over the Redis stream, and the vendor's receiver gets the webhook.
// Then one sso replica and the usage process are killed mid-run: logins go on, and once usage
// is back every event is counted.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, test } from 'node:test';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { Browser } from '../interop/oidc/browser.js';
import { logIn, newClient, useHub } from '../interop/oidc/rp.js';
import { startReceiver } from '../interop/webhooks/receiver.js';
import { startCluster } from './cluster.js';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const ISIL = 'NO-2062200';
const PATRON = { isil: ISIL, card: 'e2e-card-1', pin: '2468' };

let cluster;
let receiver;
/** The vendor's product, its client (openid-client's Configuration) and its token. */
let product;
let config;
let vendorToken;
/** Patron logins made so far; each lets the patron into the product once. */
let logins = 0;

const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));

/** Waits until `done()` resolves truthy, up to `seconds`. */
async function until(done, seconds, what) {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    if (await done()) return;
    await sleep(250);
  }
  assert.fail(`${what} did not happen within ${seconds} s\n${cluster.logs()}`);
}

/**
 * The patron's browser. With `detour`, it asks the provider one more thing (its discovery)
 * between the login and the vendor's code exchange, as another tab might, which moves the
 * exchange to the other replica of a round robin.
 */
class PatronBrowser extends Browser {
  constructor(url, detour = false) {
    super(url);
    this.detour = detour;
  }

  async authorize(url, patron) {
    const callback = await super.authorize(url, patron);
    if (this.detour) await (await fetch(`${cluster.url}/.well-known/openid-configuration`)).text();
    return callback;
  }
}

/** Logs the patron in with openid-client through the proxy. */
async function patronLogsIn(detour = false) {
  const result = await logIn(config, new PatronBrowser(cluster.url, detour), PATRON);
  assert.equal(result.claims.isil, ISIL);
  logins += 1;
  return result;
}

/** Sessions the usage report counts for the product at the library today. */
async function sessionsCounted() {
  const { status, body } = await cluster.api(
    'GET',
    `/api/v1/usage/hub?isil=${ISIL}&product=${product.id}&granularity=day`,
  );
  if (status !== 200) return -1;
  return body.reduce((sum, row) => sum + row.sessions, 0);
}

before(async () => {
  const database = process.env.TILGANG_E2E_DATABASE_URL;
  const redis = process.env.TILGANG_E2E_REDIS_URL;
  assert.ok(database && redis, 'set TILGANG_E2E_DATABASE_URL and TILGANG_E2E_REDIS_URL');
  receiver = await startReceiver();
  receiver.down = false;
  cluster = await startCluster(database, redis);
});

after(async () => {
  await cluster?.stop();
  await receiver?.close();
});

test('each process is ready only when what it depends on answers, and says so', async () => {
  const portal = await cluster.services.portal.readiness();
  assert.equal(portal.status, 200);
  assert.deepEqual(Object.keys(portal.body.checks).sort(), [
    'cache',
    'database',
    'registry',
    'sso',
    'subscriptions',
    'usage',
  ]);
  const sso = await cluster.services['sso-a'].readiness();
  assert.deepEqual(Object.keys(sso.body.checks).sort(), ['cache', 'database', 'registry', 'subscriptions']);
  // Service ports and metrics are not routed from outside; the API document is the whole hub's.
  const internal = await fetch(`${cluster.url}/internal/v1/directory/libraries`, { method: 'POST' });
  assert.equal(internal.status, 404);
  assert.equal((await fetch(`${cluster.url}/metrics`)).status, 404);
  const document = await (await fetch(`${cluster.url}/openapi.json`)).json();
  for (const path of ['/api/v1/libraries', '/api/v1/trials', '/api/v1/usage/hub', '/api/v1/sso/clients']) {
    assert.ok(document.paths[path], `${path} in the document the proxy serves`);
  }
});

test('a vendor integrates, a trial starts and patrons log in through either sso replica', async () => {
  const xml = await readFile(resolve(REPO_ROOT, 'services/registry/tests/fixtures/bb_2062200.xml'), 'utf8');
  const imported = await fetch(`${cluster.url}/api/v1/libraries:import?format=basebibliotek`, {
    method: 'POST',
    headers: { authorization: `Bearer ${cluster.adminToken}`, 'content-type': 'application/xml' },
    body: xml,
  });
  assert.equal(imported.status, 200, await imported.clone().text());
  assert.equal((await imported.json()).created, 1);

  const vendor = await cluster.api('POST', '/api/v1/vendors', {
    name: 'Fjord Lyd AS',
    privacy_url: 'https://fjordlyd.example/privacy',
  });
  assert.equal(vendor.status, 201, JSON.stringify(vendor.body));
  vendorToken = cluster.token(['--role', 'vendor', '--subject', 'e2e-vendor', '--vendor', vendor.body.id]);
  const created = await cluster.api(
    'POST',
    '/api/v1/products',
    { slug: 'fjord-lyd', name: { nb: 'Fjord lydbøker' }, kind: 'audiobook', integration: 'oidc' },
    vendorToken,
  );
  assert.equal(created.status, 201, JSON.stringify(created.body));
  product = created.body;

  const endpoint = await cluster.api(
    'POST',
    '/api/v1/webhooks',
    { url: receiver.url, events: ['trial.started'] },
    vendorToken,
  );
  assert.equal(endpoint.status, 201, JSON.stringify(endpoint.body));
  receiver.secret = endpoint.body.secret;

  useHub(cluster, { 'fjord-lyd': product });
  ({ config } = await newClient({ product: 'fjord-lyd' }));

  const trial = await cluster.api('POST', '/api/v1/trials', { isil: ISIL, product: 'fjord-lyd' });
  assert.equal(trial.status, 201, JSON.stringify(trial.body));
  assert.equal(trial.body.state, 'active');
  const card = await cluster.api('POST', `/api/v1/libraries/${ISIL}/patron-logins`, {
    username: PATRON.card,
    pin: PATRON.pin,
  });
  assert.equal(card.status, 201, JSON.stringify(card.body));

  // Round robin sends the steps of one login to both replicas in turn; log in until one
  // login's authorization was answered by one replica and its code redeemed at the other.
  const replicas = new Set(
    [cluster.services['sso-a'], cluster.services['sso-b']].map((s) => `127.0.0.1:${s.port}`),
  );
  let split = false;
  const seen = [];
  for (let attempt = 0; attempt < 8 && !split; attempt++) {
    const before = (await cluster.proxied()).length;
    await patronLogsIn(attempt % 2 === 1);
    await sleep(50); // nginx writes its access log line after the response
    const steps = (await cluster.proxied()).slice(before);
    const authorize = steps.find((s) => s.path === '/oauth2/authorize');
    const token = steps.find((s) => s.path === '/oauth2/token' && s.method === 'POST');
    assert.ok(authorize && token, JSON.stringify(steps));
    assert.ok(replicas.has(authorize.upstream) && replicas.has(token.upstream));
    split = authorize.upstream !== token.upstream;
    seen.push(steps);
  }
  assert.ok(split, `no login was authorized by one sso replica and redeemed at the other: ${JSON.stringify(seen)}`);

  await until(
    () => [...receiver.verified.values()].some((m) => m.type === 'trial.started' && m.data.isil === ISIL),
    30,
    'the vendor receiving trial.started',
  );
  assert.deepEqual(receiver.forged, []);
  // The roll-up runs every half minute.
  await until(async () => (await sessionsCounted()) === logins, 90, `usage counting ${logins} sessions`);
});

test('logins go on with an sso replica and usage killed, and no event is lost', async () => {
  assert.ok(config, 'the story above ran');
  await cluster.services['sso-a'].kill();
  await cluster.services.usage.kill();

  const portal = await cluster.services.portal.readiness();
  assert.equal(portal.status, 503);
  assert.match(portal.body.checks.usage, /does not answer/);
  assert.equal(portal.body.checks.registry, 'ok');

  for (let i = 0; i < 4; i++) await patronLogsIn();

  await cluster.services.usage.start();
  await until(async () => (await sessionsCounted()) === logins, 90, `usage counting all ${logins} sessions`);
  await cluster.services['sso-a'].start();
  for (let i = 0; i < 2; i++) await patronLogsIn();
  await until(async () => (await sessionsCounted()) === logins, 90, `usage counting ${logins} sessions`);
});

test('a replica stopped with SIGTERM exits cleanly while the other goes on', async () => {
  const exit = await cluster.services['sso-b'].terminate();
  assert.deepEqual(exit, { code: 0, signal: null });
  assert.match(cluster.services['sso-b'].log, /Tilgang stopped/);
  await patronLogsIn();
  const usage = await cluster.services.usage.terminate();
  assert.deepEqual(usage, { code: 0, signal: null });
  assert.match(cluster.services.usage.log, /the access-event consumer stopped/);
  await cluster.services.usage.start();
  await until(async () => (await sessionsCounted()) === logins, 90, `usage counting ${logins} sessions`);
});

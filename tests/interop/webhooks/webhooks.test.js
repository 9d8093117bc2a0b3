// A vendor receives every event of a trial through Tilgang's webhooks, verified by the Standard
// Webhooks reference library, although its receiver was down at first and the hub restarted
// in between: the outbox keeps the events, and the retries deliver them.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { startHub } from '../oidc/hub.js';
import { startReceiver } from './receiver.js';

let hub;
let receiver;

before(async () => {
  receiver = await startReceiver();
  hub = await startHub();
});

after(async () => {
  await hub?.stop();
  await receiver?.close();
});

const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));

/** Waits until `done()` holds, up to `seconds`. */
async function until(done, seconds, what) {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    if (done()) return;
    await sleep(200);
  }
  assert.fail(`${what} did not happen within ${seconds} s:\n${hub.stderr.slice(-2000)}`);
}

test('every trial event reaches a receiver that was down and a hub that restarted', async () => {
  const vendor = hub.tokens.vendor;
  const endpoint = await hub.api(
    'POST',
    '/api/v1/webhooks',
    { url: receiver.url, events: ['trial.requested', 'trial.started', 'trial.ended'] },
    vendor,
  );
  assert.equal(endpoint.status, 201, JSON.stringify(endpoint.body));
  receiver.secret = endpoint.body.secret;

  // Tampere has no audiobooks in the demo, so it may try them.
  const trial = await hub.api('POST', '/api/v1/trials', {
    isil: 'FI-Tam',
    product: 'nordlys-lydbok',
  });
  assert.equal(trial.status, 201, JSON.stringify(trial.body));
  assert.equal(trial.body.state, 'active');

  // Restart once the hub has recorded the failed first attempts (a process stopped in the
  // middle of an attempt leaves the delivery claimed for a minute, longer than this test).
  let log = [];
  const recorded = async () => {
    log = (await hub.api('GET', '/api/v1/webhooks/deliveries', undefined, vendor)).body;
    return log.length === 2 && log.every((d) => d.attempts === 1);
  };
  await until(() => receiver.refused >= 2, 10, 'a first attempt at both events');
  while (!(await recorded())) await sleep(100);
  assert.ok(log.every((d) => d.state === 'pending' && d.last_status === 503));
  await hub.restart();
  receiver.down = false;
  await until(() => receiver.verified.size === 2, 30, 'the retries after the restart');

  const cancelled = await hub.api('POST', `/api/v1/trials/${trial.body.id}/cancel`);
  assert.equal(cancelled.status, 200, JSON.stringify(cancelled.body));
  await until(() => receiver.verified.size === 3, 10, 'trial.ended');

  assert.deepEqual(receiver.forged, []);
  const messages = [...receiver.verified.values()];
  assert.deepEqual(
    messages.map((m) => m.type),
    ['trial.requested', 'trial.started', 'trial.ended'],
  );
  for (const message of messages) {
    assert.equal(message.data.isil, 'FI-Tam');
    assert.equal(message.data.product.slug, 'nordlys-lydbok');
    assert.equal(message.data.trial.id, trial.body.id);
    assert.ok(message.data.library.name);
  }

  // The hub records a delivery once the receiver's answer is in, a moment after the receiver
  // has the message.
  const deadline = Date.now() + 10_000;
  do {
    log = (await hub.api('GET', '/api/v1/webhooks/deliveries', undefined, vendor)).body;
    if (log.every((d) => d.state === 'delivered')) break;
    await sleep(100);
  } while (Date.now() < deadline);
  assert.deepEqual(
    log.map((d) => d.state),
    ['delivered', 'delivered', 'delivered'],
  );
});

test("a test event sent to one endpoint reaches it alone, verified, and the log says delivered", async () => {
  const vendor = hub.tokens.vendor;
  const tested = await startReceiver();
  tested.down = false;
  try {
    const endpoint = await hub.api('POST', '/api/v1/webhooks', { url: tested.url, events: ['trial.started'] }, vendor);
    assert.equal(endpoint.status, 201, JSON.stringify(endpoint.body));
    tested.secret = endpoint.body.secret;
    const before = receiver.verified.size;
    const sent = await hub.api('POST', `/api/v1/webhooks/${endpoint.body.id}/test`, undefined, vendor);
    assert.equal(sent.status, 202, JSON.stringify(sent.body));
    await until(() => tested.verified.size === 1, 10, 'the test event');
    const [message] = [...tested.verified.values()];
    assert.equal(message.type, 'webhook.test');
    assert.equal(message.data.endpoint, endpoint.body.id);
    assert.deepEqual(tested.forged, []);
    assert.equal(receiver.verified.size, before, 'the other endpoint got nothing');
    const deadline = Date.now() + 10_000;
    let delivery;
    do {
      const log = (await hub.api('GET', '/api/v1/webhooks/deliveries', undefined, vendor)).body;
      delivery = log.find((d) => d.id === sent.body.id);
      if (delivery?.state === 'delivered') break;
      await sleep(100);
    } while (Date.now() < deadline);
    assert.equal(delivery?.state, 'delivered');
  } finally {
    await tested.close();
  }
});

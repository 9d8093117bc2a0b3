// A vendor's webhook receiver: it verifies every delivery with the Standard Webhooks reference
// library (`standardwebhooks`) and answers 503 while it is "down".

import { createServer } from 'node:http';
import { Webhook } from 'standardwebhooks';

/** A receiver on a free loopback port. */
export async function startReceiver() {
  const receiver = {
    url: undefined,
    /** Whether it answers 503 without looking at the request. */
    down: true,
    /** The signing secret, once the endpoint is registered. */
    secret: undefined,
    /** Requests answered 503. */
    refused: 0,
    /** Verified messages by webhook-id: { type, data }. */
    verified: new Map(),
    /** Deliveries whose signature did not verify. */
    forged: [],
  };
  const server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      if (receiver.down) {
        receiver.refused += 1;
        response.writeHead(503).end();
        return;
      }
      try {
        const message = new Webhook(receiver.secret).verify(body, request.headers);
        receiver.verified.set(request.headers['webhook-id'], message);
        response.writeHead(204).end();
      } catch (error) {
        receiver.forged.push(String(error));
        response.writeHead(400).end();
      }
    });
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  receiver.url = `http://127.0.0.1:${server.address().port}/hooks`;
  receiver.close = () => new Promise((ok) => server.close(ok));
  return receiver;
}

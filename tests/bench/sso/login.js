// Load driver for complete patron logins, the same against the hub and the peer:
//
//   authorization request (code flow, PKCE S256, state, nonce)
//   -> the server's login form: card and PIN posted (argon2id on the server)
//   -> (hub: the notice page, "continue" posted)
//   -> redirect to the client's redirect_uri with ?code=
//   -> token request (client_secret_basic, code_verifier) -> ID token
//
// Every login uses a fresh cookie jar, as a patron's first login in a browser does; each of C
// virtual users runs logins one after another for D seconds. Redirects are followed by hand
// within the server; the redirect to the client ends the walk. HTTP/1.1 keep-alive through
// one node:http Agent (a lighter client than fetch, so the driver takes less of the CPU it
// shares with the server).
//
//   node login.js --server hub|peer --url URL --client-id ID --client-secret SECRET
//                 [--redirect-uri URI] [--concurrency 8] [--duration 10] [--warmup 2]
//                 [--isil NO-2030000] [--card demo] [--pin 2468] [--json]
//
// Prints logins/s, p50 and p99 of whole logins (ms), failures, requests per login, and the p99
// of the requests other than the password POST; with --json, one JSON line.

import { createHash, randomBytes } from 'node:crypto';
import { Agent, request as httpRequest } from 'node:http';
import { parseArgs } from 'node:util';

const { values: opt } = parseArgs({
  options: {
    server: { type: 'string' },
    url: { type: 'string' },
    'client-id': { type: 'string' },
    'client-secret': { type: 'string' },
    'redirect-uri': { type: 'string', default: 'http://127.0.0.1:9/cb' },
    concurrency: { type: 'string', default: process.env.LOGIN_CONCURRENCY ?? '8' },
    duration: { type: 'string', default: process.env.LOGIN_DURATION ?? '10' },
    warmup: { type: 'string', default: process.env.LOGIN_WARMUP ?? '2' },
    isil: { type: 'string', default: 'NO-2030000' },
    card: { type: 'string', default: 'demo' },
    pin: { type: 'string', default: '2468' },
    json: { type: 'boolean', default: false },
  },
});
for (const name of ['server', 'url', 'client-id', 'client-secret']) {
  if (!opt[name]) {
    console.error(`login.js: --${name} is required`);
    process.exit(2);
  }
}

/**
 * What differs between the servers: extra authorization parameters, which form takes the card
 * and PIN, and which forms are only "continue" buttons.
 */
const ADAPTERS = {
  hub: {
    authorizeParams: { login_hint: opt.isil },
    loginForm: /^\/login$/,
    continueForms: [/^\/login\/consent$/],
  },
  peer: {
    authorizeParams: {},
    loginForm: /^\/interaction\/[^/]+\/login$/,
    continueForms: [],
  },
};
const adapter = ADAPTERS[opt.server];
if (!adapter) {
  console.error(`login.js: --server must be one of ${Object.keys(ADAPTERS).join(', ')}`);
  process.exit(2);
}

const concurrency = Number(opt.concurrency);
const duration = Number(opt.duration) * 1000;
const warmup = Number(opt.warmup) * 1000;
const origin = new URL(opt.url).origin;
const MAX_STEPS = 12;

const agent = new Agent({ keepAlive: true, maxSockets: concurrency * 2 });
const form = (fields) => new URLSearchParams(fields).toString();
const b64url = (buf) => buf.toString('base64url');
// RFC 6749 2.3.1: client_secret_basic credentials are form-urlencoded before base64.
const basic =
  'Basic ' +
  Buffer.from(
    `${encodeURIComponent(opt['client-id'])}:${encodeURIComponent(opt['client-secret'])}`,
  ).toString('base64');

/** HTTP exchanges made, to report requests per login. */
let exchanges = 0;
/** Latencies (ms) of the requests that are not the password POST, while recording. */
let otherLatencies = null;

/** One HTTP exchange; resolves with status, headers and the body as text. */
function exchange(url, { method = 'GET', headers = {}, body } = {}) {
  exchanges++;
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      {
        method,
        agent,
        headers: body === undefined ? headers : { ...headers, 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** A cookie jar (name, value and path; enough for both servers' cookies). */
class Jar {
  #cookies = new Map();

  header(url) {
    const pairs = [];
    for (const [name, c] of this.#cookies) {
      if (url.pathname === c.path || url.pathname.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`)) {
        pairs.push(`${name}=${c.value}`);
      }
    }
    return pairs.length ? { cookie: pairs.join('; ') } : {};
  }

  store(setCookie = [], url) {
    for (const line of setCookie) {
      const [pair, ...attrs] = line.split(';').map((s) => s.trim());
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      let path = url.pathname.slice(0, url.pathname.lastIndexOf('/')) || '/';
      let expired = false;
      for (const a of attrs) {
        const [k, v = ''] = a.split('=');
        const key = k.toLowerCase();
        if (key === 'path') path = v || '/';
        if (key === 'max-age' && Number(v) <= 0) expired = true;
        if (key === 'expires' && Date.parse(v) <= Date.now()) expired = true;
      }
      if (expired) this.#cookies.delete(name);
      else this.#cookies.set(name, { value: pair.slice(eq + 1), path });
    }
  }
}

function attribute(tag, name) {
  const m = tag.match(new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i'));
  if (!m) return undefined;
  return (m[1] ?? m[2] ?? m[3])
    .replace(/&quot;/g, '"')
    .replace(/&#0*39;|&#x0*27;|&apos;/gi, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&#x([0-9a-f]+);/gi, (_, h) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&#([0-9]+);/g, (_, d) => String.fromCodePoint(Number(d)))
    .replace(/&amp;/g, '&');
}

/** The POST forms of a page: action and preset fields. */
function forms(html) {
  const found = [];
  for (const [, attrs, body] of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)) {
    if ((attribute(attrs, 'method') ?? 'get').toLowerCase() !== 'post') continue;
    const fields = {};
    for (const [input] of body.matchAll(/<input\b[^>]*>/gi)) {
      const name = attribute(input, 'name');
      if (name !== undefined) fields[name] = attribute(input, 'value') ?? '';
    }
    found.push({ action: attribute(attrs, 'action') ?? '', fields });
  }
  return found;
}

class LoginError extends Error {}

/** One complete login; resolves with the token response, throws a LoginError otherwise. */
async function login(endpoints) {
  const jar = new Jar();
  const verifier = b64url(randomBytes(32));
  const state = b64url(randomBytes(16));
  const authorize = new URL(endpoints.authorization_endpoint);
  for (const [k, v] of Object.entries({
    response_type: 'code',
    client_id: opt['client-id'],
    redirect_uri: opt['redirect-uri'],
    scope: 'openid',
    state,
    nonce: b64url(randomBytes(16)),
    code_challenge: b64url(createHash('sha256').update(verifier).digest()),
    code_challenge_method: 'S256',
    ...adapter.authorizeParams,
  })) {
    authorize.searchParams.set(k, v);
  }

  let url = authorize;
  let init = { method: 'GET' };
  let callback;
  for (let step = 0; step < MAX_STEPS && !callback; step++) {
    const password = init.body !== undefined && init.password;
    const t0 = performance.now();
    const res = await exchange(url, { ...init, headers: { ...init.headers, ...jar.header(url) } });
    if (!password) otherLatencies?.push(performance.now() - t0);
    jar.store(res.headers['set-cookie'], url);
    if (res.status >= 300 && res.status < 400 && res.headers.location) {
      const next = new URL(res.headers.location, url);
      if (next.origin !== origin) callback = next;
      else [url, init] = [next, { method: 'GET' }];
      continue;
    }
    if (res.status !== 200) {
      throw new LoginError(`${res.status} at ${url.pathname}: ${res.body.replace(/\s+/g, ' ').slice(0, 200)}`);
    }
    const pageForms = forms(res.body);
    const loginForm = pageForms.find((f) => adapter.loginForm.test(f.action));
    const next =
      loginForm ?? pageForms.find((f) => adapter.continueForms.some((re) => re.test(f.action)));
    if (!next) throw new LoginError(`no form to go on with at ${url.pathname}`);
    const fields = loginForm ? { ...next.fields, card: opt.card, pin: opt.pin } : next.fields;
    [url, init] = [
      new URL(next.action, url),
      {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: form(fields),
        password: !!loginForm,
      },
    ];
  }
  if (!callback) throw new LoginError(`more than ${MAX_STEPS} steps`);
  if (callback.searchParams.get('error')) {
    throw new LoginError(`error at the redirect_uri: ${callback.searchParams.get('error')}: ${callback.searchParams.get('error_description')}`);
  }
  const code = callback.searchParams.get('code');
  if (!code || callback.searchParams.get('state') !== state) {
    throw new LoginError(`bad redirect to the client: ${callback}`);
  }

  const t0 = performance.now();
  const res = await exchange(new URL(endpoints.token_endpoint), {
    method: 'POST',
    headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: form({ grant_type: 'authorization_code', code, redirect_uri: opt['redirect-uri'], code_verifier: verifier }),
  });
  otherLatencies?.push(performance.now() - t0);
  if (res.status !== 200) throw new LoginError(`token endpoint answered ${res.status}: ${res.body.slice(0, 200)}`);
  const tokens = JSON.parse(res.body);
  if (typeof tokens.id_token !== 'string' || typeof tokens.access_token !== 'string') {
    throw new LoginError(`token response without tokens: ${res.body.slice(0, 200)}`);
  }
  return tokens;
}

function percentile(sorted, p) {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** C virtual users doing logins until `ms` have passed; returns the latencies and failures. */
async function phase(endpoints, ms) {
  const latencies = [];
  otherLatencies = [];
  const failures = new Map();
  let failed = 0;
  const before = exchanges;
  const start = performance.now();
  const deadline = start + ms;
  const user = async () => {
    while (performance.now() < deadline) {
      const t0 = performance.now();
      try {
        await login(endpoints);
        latencies.push(performance.now() - t0);
      } catch (error) {
        failed++;
        const key = error instanceof LoginError ? error.message : String(error?.stack ?? error);
        failures.set(key, (failures.get(key) ?? 0) + 1);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, user));
  const others = otherLatencies;
  otherLatencies = null;
  return {
    latencies,
    others,
    failed,
    failures,
    requests: exchanges - before,
    seconds: (performance.now() - start) / 1000,
  };
}

const discovery = await exchange(new URL('/.well-known/openid-configuration', opt.url));
if (discovery.status !== 200) {
  console.error(`login.js: discovery answered ${discovery.status}`);
  process.exit(1);
}
const endpoints = JSON.parse(discovery.body);

// One login first, so a setup error stops the run at once instead of as thousands of failures.
try {
  await login(endpoints);
} catch (error) {
  console.error(`login.js: the first login failed: ${error.message}`);
  process.exit(1);
}
if (warmup > 0) await phase(endpoints, warmup);
const result = await phase(endpoints, duration);
agent.destroy();

const sorted = result.latencies.sort((a, b) => a - b);
const summary = {
  server: opt.server,
  concurrency,
  seconds: Number(result.seconds.toFixed(2)),
  logins: sorted.length,
  logins_per_s: Number((sorted.length / result.seconds).toFixed(1)),
  p50_ms: Number(percentile(sorted, 50).toFixed(1)),
  p99_ms: Number(percentile(sorted, 99).toFixed(1)),
  // The requests of a login other than the password POST (authorize, login page, notice or
  // resume, token), under the same load.
  other_requests_p99_ms: Number(percentile(result.others.sort((a, b) => a - b), 99).toFixed(1)),
  failures: result.failed,
  requests_per_login: Number((result.requests / Math.max(1, sorted.length + result.failed)).toFixed(2)),
};
if (opt.json) {
  console.log(JSON.stringify(summary));
} else {
  console.log(
    `${summary.server}: ${summary.logins} logins in ${summary.seconds} s with ${concurrency} users: ` +
      `${summary.logins_per_s} logins/s, p50 ${summary.p50_ms} ms, p99 ${summary.p99_ms} ms, ` +
      `${summary.failures} failures, ${summary.requests_per_login} requests per login; ` +
      `p99 of the requests other than the password POST ${summary.other_requests_p99_ms} ms`,
  );
}
for (const [message, count] of result.failures) console.error(`  ${count} x ${message}`);
process.exit(result.failed > 0 && sorted.length === 0 ? 1 : 0);

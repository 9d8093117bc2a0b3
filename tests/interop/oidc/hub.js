// Starts a Tilgang hub (`tilgang demo`) for the interop tests and stops it again.
//
// The hub runs in a fresh temporary directory, so its SQLite database (`data/`) is thrown away
// with it. With TILGANG_INTEROP_DATABASE_URL (and TILGANG_INTEROP_REDIS_URL) set, it uses a
// fresh Postgres database made through that URL, dropped again at the end (and that Redis cache)
// instead: each hub has its own root secret, so it must not meet another hub's sealed keys.

import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const START_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 10_000;

/** Seconds between a key rotation and the new key signing (the JWKS shows it at once). */
export const KEY_PUBLISH_LEAD_SECONDS = 3;

/** A free TCP port on the loopback interface. */
export async function freePort() {
  const server = createServer();
  await new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', ok);
  });
  const { port } = server.address();
  await new Promise((ok) => server.close(ok));
  return port;
}

const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));

/**
 * The environment of the hub process. The hub reads every `TILGANG_*` variable as
 * configuration and refuses unknown ones (such as TILGANG_BIN), so none is inherited.
 */
function hubEnv(url, database, extra) {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('TILGANG_')),
  );
  Object.assign(env, {
    TILGANG_SERVER_PUBLIC_URL: url,
    TILGANG_SSO_KEY_PUBLISH_LEAD_SECONDS: String(KEY_PUBLISH_LEAD_SECONDS),
    RUST_LOG: 'warn',
  }, extra);
  if (process.env.TILGANG_INTEROP_DATABASE_URL) {
    env.TILGANG_DATABASE_URL = database;
    env.TILGANG_AUTH_TOKEN_SECRET = randomBytes(32).toString('hex');
  }
  if (process.env.TILGANG_INTEROP_REDIS_URL) {
    env.TILGANG_CACHE_URL = process.env.TILGANG_INTEROP_REDIS_URL;
    // A prefix of its own, so throttles and sessions of an earlier run cannot leak in.
    env.TILGANG_CACHE_PREFIX = `interop-${process.pid}-${Date.now()}:`;
  }
  return env;
}

/** Runs one SQL statement with psql through the interop database URL. */
function psql(sql) {
  execFileSync('psql', [process.env.TILGANG_INTEROP_DATABASE_URL, '-qc', sql], { stdio: 'inherit' });
}

/** A fresh database's URL when the hub runs on Postgres, else undefined. */
function freshDatabase() {
  const base = process.env.TILGANG_INTEROP_DATABASE_URL;
  if (!base) return undefined;
  const name = `interop_${process.pid}_${Date.now()}`;
  psql(`CREATE DATABASE ${name}`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * Starts the hub, with `extra` configuration (`TILGANG_*` variables), and waits until it is
 * ready.
 *
 * @returns {Promise<Hub>}
 */
export async function startHub(extra = {}) {
  const bin = resolve(REPO_ROOT, process.env.TILGANG_BIN ?? 'target/debug/tilgang');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const dir = await mkdtemp(join(tmpdir(), 'tilgang-oidc-'));
  const database = freshDatabase();

  // One environment for every start: a restart keeps the root secret and the cache prefix.
  const env = hubEnv(url, database, extra);
  const launch = () =>
    spawn(bin, ['demo', '--bind', `127.0.0.1:${port}`], {
      cwd: dir,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  const hub = new Hub(url, launch, dir, database);
  try {
    await hub.ready();
  } catch (error) {
    await hub.stop();
    throw error;
  }
  return hub;
}

/** A running hub: its URL, the demo tokens, and a small admin API client. */
export class Hub {
  #launch;
  #child;
  #dir;
  #stdout = '';
  #stderr = '';
  #exit;
  #database;

  constructor(url, launch, dir, database) {
    /** The hub's base URL, which is also the OpenID Provider's issuer. */
    this.url = url;
    /** The demo consortium admin's bearer token. */
    this.adminToken = undefined;
    /** The demo tokens by role: `consortium`, `library` (Deichman) and `vendor` (Nordlys). */
    this.tokens = {};
    this.#launch = launch;
    this.#dir = dir;
    this.#database = database;
    this.#attach(launch());
  }

  #attach(child) {
    this.#child = child;
    this.#stdout = '';
    child.stdout.setEncoding('utf8').on('data', (s) => (this.#stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s) => (this.#stderr += s));
    this.#exit = new Promise((ok) => {
      child.once('exit', (code, signal) => ok({ code, signal }));
      child.once('error', (error) => ok({ error }));
    });
    // Should the test process end without `stop()` (an interrupt, say), the hub ends with it.
    const orphan = () => child.kill('SIGKILL');
    process.once('exit', orphan);
    this.#exit.then(() => process.off('exit', orphan));
  }

  /** Stops the process (SIGTERM) and starts it again on the same data and port. */
  async restart() {
    await this.#terminate();
    this.#attach(this.#launch());
    await this.ready();
  }

  /** Waits for the demo token on stdout and for `GET /health/ready` to answer 200. */
  async ready() {
    const deadline = Date.now() + START_TIMEOUT_MS;
    let exited;
    this.#exit.then((e) => (exited = e));
    while (Date.now() < deadline) {
      if (exited) {
        throw new Error(
          `the hub exited before it was ready (${JSON.stringify(exited)}):\n${this.#stderr}`,
        );
      }
      this.adminToken = this.#stdout.match(/consortium admin: (\S+)/)?.[1];
      this.tokens = {
        consortium: this.adminToken,
        library: this.#stdout.match(/library admin \([^)]*\): (\S+)/)?.[1],
        vendor: this.#stdout.match(/vendor \([^)]*\): (\S+)/)?.[1],
      };
      if (this.adminToken && (await this.#isReady())) return;
      await sleep(100);
    }
    throw new Error(`the hub was not ready within ${START_TIMEOUT_MS} ms:\n${this.#stderr}`);
  }

  async #isReady() {
    try {
      const response = await fetch(`${this.url}/health/ready`);
      await response.arrayBuffer();
      return response.status === 200;
    } catch {
      return false;
    }
  }

  /** What the hub wrote to stderr so far (for failure messages). */
  get stderr() {
    return this.#stderr;
  }

  /** Stops the hub (SIGTERM, then SIGKILL) and removes its directory. */
  async stop() {
    await this.#terminate();
    await rm(this.#dir, { recursive: true, force: true });
    if (this.#database) {
      psql(`DROP DATABASE IF EXISTS ${new URL(this.#database).pathname.slice(1)} WITH (FORCE)`);
    }
  }

  async #terminate() {
    if (this.#child.exitCode === null && this.#child.signalCode === null) {
      this.#child.kill('SIGTERM');
      const stopped = await Promise.race([this.#exit, sleep(STOP_TIMEOUT_MS)]);
      if (!stopped) {
        this.#child.kill('SIGKILL');
        await this.#exit;
      }
    }
  }

  /**
   * Calls the management API as the consortium admin (or as the holder of `token`).
   *
   * @returns {Promise<{status: number, body: any}>}
   */
  async api(method, path, body, token = this.adminToken) {
    const response = await fetch(new URL(path, this.url), {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  }

  /** The demo products by slug. */
  async products() {
    const { status, body } = await this.api('GET', '/api/v1/products?limit=50');
    if (status !== 200) throw new Error(`GET /api/v1/products answered ${status}`);
    return Object.fromEntries(body.items.map((p) => [p.slug, p]));
  }

  /**
   * Registers an OAuth client (approved at once, as the consortium admin registers it).
   *
   * @returns {Promise<{client_id: string, client_secret: string}>}
   */
  async registerClient(input) {
    const { status, body } = await this.api('POST', '/api/v1/sso/clients', input);
    if (status !== 201) {
      throw new Error(`registering a client answered ${status}: ${JSON.stringify(body)}`);
    }
    return body;
  }

  /**
   * Rotates the provider's signing keys.
   *
   * @returns {Promise<{keys: object[]}>} the JWKS after the rotation
   */
  async rotateKeys() {
    const { status, body } = await this.api('POST', '/api/v1/sso/keys:rotate');
    if (status !== 202) throw new Error(`keys:rotate answered ${status}: ${JSON.stringify(body)}`);
    return body;
  }
}

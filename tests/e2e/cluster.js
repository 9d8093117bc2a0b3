// Runs Tilgang as microservices for the end-to-end test: every service in its own process on
// one PostgreSQL database and Redis, two `sso` replicas, and nginx in front of them all with
// the routes of infra/nginx/routes.conf. Everything listens on loopback, on free ports.

import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const START_TIMEOUT_MS = 60_000;

const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));

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

/** One `tilgang serve --services NAME` process, which can be killed and started again. */
export class Service {
  #child;
  #exit;
  #log = '';

  constructor(name, port, env) {
    /** The service's name. */
    this.name = name;
    /** Its own base URL (the proxy's is the cluster's). */
    this.url = `http://127.0.0.1:${port}`;
    this.port = port;
    this.env = env;
  }

  /** Starts the process and waits until `/health/ready` answers 200. */
  async start() {
    const bin = resolve(REPO_ROOT, process.env.TILGANG_BIN ?? 'target/debug/tilgang');
    const service = this.name.replace(/-\w$/, '');
    const child = spawn(bin, ['serve', '--services', service, '--bind', `127.0.0.1:${this.port}`], {
      env: this.env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    this.#child = child;
    child.stderr.setEncoding('utf8').on('data', (s) => (this.#log += s));
    this.#exit = new Promise((ok) => child.once('exit', (code, signal) => ok({ code, signal })));
    const orphan = () => child.kill('SIGKILL');
    process.once('exit', orphan);
    this.#exit.then(() => process.off('exit', orphan));
    const deadline = Date.now() + START_TIMEOUT_MS;
    let exited;
    this.#exit.then((e) => (exited = e));
    while (Date.now() < deadline) {
      if (exited) throw new Error(`${this.name} exited (${JSON.stringify(exited)}):\n${this.#log}`);
      if ((await this.readiness()).status === 200) return;
      await sleep(100);
    }
    throw new Error(`${this.name} was not ready in time: ${JSON.stringify(await this.readiness())}\n${this.#log}`);
  }

  /** `GET /health/ready`: `{status, body}`, or status 0 when nothing answers. */
  async readiness() {
    try {
      const response = await fetch(`${this.url}/health/ready`);
      return { status: response.status, body: await response.json() };
    } catch {
      return { status: 0 };
    }
  }

  /** Kills the process at once (SIGKILL), as a crash would. */
  async kill() {
    this.#child.kill('SIGKILL');
    await this.#exit;
  }

  /** Asks the process to stop (SIGTERM) and returns how it exited. */
  async terminate() {
    this.#child.kill('SIGTERM');
    return this.#exit;
  }

  /** What the process wrote to stderr. */
  get log() {
    return this.#log;
  }
}

/** The nginx configuration: the services as upstreams, and the repository's routes. */
function nginxConfig(dir, port, internalPort, services) {
  const upstream = (name, members) =>
    `upstream ${name} { ${members.map((s) => `server 127.0.0.1:${s.port} max_fails=1 fail_timeout=5s;`).join(' ')} }`;
  const byName = (prefix) => services.filter((s) => s.name === prefix || s.name.startsWith(`${prefix}-`));
  return `
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 256; }
http {
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  log_format upstreams '$request_method $uri $status $upstream_addr';
  access_log ${dir}/access.log upstreams;
  ${['registry', 'subscriptions', 'usage', 'sso', 'portal'].map((n) => upstream(n, byName(n))).join('\n  ')}
  server {
    listen 127.0.0.1:${port};
    include ${REPO_ROOT}/infra/nginx/routes.conf;
  }
  # The services' own way to sso (service tokens and its ports), as a cluster's internal
  # load balancer would be: everything, /internal/ included, round robin over the replicas.
  server {
    listen 127.0.0.1:${internalPort};
    access_log off;
    location / {
      proxy_pass http://sso;
      proxy_next_upstream error timeout;
    }
  }
}
`;
}

/** The environment every service process gets (nothing of the test's own TILGANG_ variables). */
function serviceEnv(settings) {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('TILGANG_')),
  );
  return { ...env, RUST_LOG: 'warn,tilgang=info', ...settings };
}

/**
 * Starts the cluster on a fresh database made through `databaseUrl` (a PostgreSQL URL whose
 * user may create databases) and Redis at `redisUrl`, under a key prefix of its own.
 */
export async function startCluster(databaseUrl, redisUrl) {
  const dir = await mkdtemp(join(tmpdir(), 'tilgang-e2e-'));
  const name = `e2e_${process.pid}_${Date.now()}`;
  execFileSync('psql', [databaseUrl, '-qc', `CREATE DATABASE ${name}`]);
  const database = new URL(databaseUrl);
  database.pathname = `/${name}`;
  const proxyPort = await freePort();
  const proxy = `http://127.0.0.1:${proxyPort}`;
  const internalPort = await freePort();
  const names = ['registry', 'subscriptions', 'usage', 'sso-a', 'sso-b', 'portal'];
  const ports = {};
  for (const n of names) ports[n] = await freePort();
  const secret = randomBytes(32).toString('hex');
  const env = serviceEnv({
    TILGANG_DATABASE_URL: database.toString(),
    TILGANG_DATABASE_MIGRATE_ON_START: 'false',
    TILGANG_CACHE_URL: redisUrl,
    TILGANG_CACHE_PREFIX: `${name}:`,
    TILGANG_AUTH_TOKEN_SECRET: secret,
    TILGANG_SERVER_PUBLIC_URL: proxy,
    TILGANG_SERVER_SHUTDOWN_SECONDS: '5',
    TILGANG_PEERS_REGISTRY: `http://127.0.0.1:${ports.registry}`,
    TILGANG_PEERS_SUBSCRIPTIONS: `http://127.0.0.1:${ports.subscriptions}`,
    TILGANG_PEERS_USAGE: `http://127.0.0.1:${ports.usage}`,
    // sso through the internal load balancer, so either replica may answer.
    TILGANG_PEERS_SSO: `http://127.0.0.1:${internalPort}`,
  });
  const bin = resolve(REPO_ROOT, process.env.TILGANG_BIN ?? 'target/debug/tilgang');
  execFileSync(bin, ['migrate'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  const token = (args) =>
    execFileSync(bin, ['token', 'create', ...args], { env, encoding: 'utf8' }).trim();
  const services = Object.fromEntries(names.map((n) => [n, new Service(n, ports[n], env)]));
  const cluster = new Cluster(proxy, services, dir, databaseUrl, name, token);
  await writeFile(join(dir, 'nginx.conf'), nginxConfig(dir, proxyPort, internalPort, Object.values(services)));
  // Started in the order of their readiness: each is ready once the services it asks answer.
  // (Service tokens come from sso, which is not a readiness dependency: that would make sso
  // and subscriptions wait for each other. A call before sso answers fails and is retried.)
  cluster.startProxy();
  await services.registry.start();
  await services.subscriptions.start();
  await Promise.all([services['sso-a'].start(), services['sso-b'].start()]);
  await services.usage.start();
  await services.portal.start();
  return cluster;
}

/** The running cluster: the proxy's URL, each service, and an API client. */
export class Cluster {
  #nginx;
  #dir;
  #databaseUrl;
  #database;

  constructor(url, services, dir, databaseUrl, database, token) {
    /** The proxy's URL: the hub's public URL and the issuer. */
    this.url = url;
    /** The services by name (`sso-a` and `sso-b` are the replicas). */
    this.services = services;
    /** Mints an API token: `token(['--role', 'consortium-admin', '--subject', 'x'])`. */
    this.token = token;
    this.adminToken = token(['--role', 'consortium-admin', '--subject', 'e2e-admin']);
    this.#dir = dir;
    this.#databaseUrl = databaseUrl;
    this.#database = database;
  }

  startProxy() {
    const conf = join(this.#dir, 'nginx.conf');
    this.#nginx = spawn('nginx', ['-p', this.#dir, '-c', conf, '-g', 'daemon off;'], {
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    const orphan = () => this.#nginx.kill('SIGKILL');
    process.once('exit', orphan);
  }

  /** Which upstream (`127.0.0.1:port`) answered each proxied request, in order. */
  async proxied() {
    const log = await readFile(join(this.#dir, 'access.log'), 'utf8').catch(() => '');
    return log
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const [method, path, status, upstream] = line.split(' ');
        return { method, path, status: Number(status), upstream };
      });
  }

  /** Calls the API through the proxy as the consortium admin (or the holder of `token`). */
  async api(method, path, body, token = this.adminToken) {
    const response = await fetch(new URL(path, this.url), {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {}
    return { status: response.status, body: parsed };
  }

  /** Registers an approved OAuth client (as the consortium admin). */
  async registerClient(input) {
    const { status, body } = await this.api('POST', '/api/v1/sso/clients', input);
    if (status !== 201) throw new Error(`registering a client answered ${status}: ${JSON.stringify(body)}`);
    return body;
  }

  /** Every service's stderr, for failure messages. */
  logs() {
    return Object.values(this.services)
      .map((s) => `--- ${s.name}\n${s.log.slice(-3000)}`)
      .join('\n');
  }

  /** Stops everything and drops the database. */
  async stop() {
    await Promise.all(
      Object.values(this.services).map((s) => s.terminate().catch(() => undefined)),
    );
    this.#nginx?.kill('SIGTERM');
    await rm(this.#dir, { recursive: true, force: true });
    execFileSync('psql', [this.#databaseUrl, '-qc', `DROP DATABASE IF EXISTS ${this.#database} WITH (FORCE)`]);
  }
}

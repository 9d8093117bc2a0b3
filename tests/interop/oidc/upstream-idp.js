// A library's upstream identity provider for the interop tests: the certified `oidc-provider`
// (Node), standing in for a national e-ID broker. Its own development login form takes any
// login name; the accounts below give each name a home library and a birth date.

import { createServer } from 'node:http';

import Provider from 'oidc-provider';

/** The hub's client at the provider. */
export const HUB_CLIENT = { client_id: 'tilgang-hub', client_secret: 'upstream-secret-for-the-interop-test' };

/** Patrons known to the provider: the login name is the subject. */
export const ACCOUNTS = {
  kari: { home_library: 'NO-2030000', birthdate: '1990-05-17' },
  aino: { home_library: 'FI-Tam', birthdate: '2010-01-02' },
  nomad: {},
  // Staff in the consortium's directory (the staff login reads `email`).
  konsortium: { email: 'Konsortium@tilgang.demo', email_verified: true },
  stranger: { email: 'stranger@example.org', email_verified: true },
  unverified: { email: 'deichman@tilgang.demo', email_verified: false },
  unsaid: { email: 'tampere@tilgang.demo' },
};

/**
 * Starts the provider on loopback `port` (default: a free one), with the hub at `hubUrl` as its
 * only client, for the patrons' e-ID login and the staff login alike.
 *
 * @returns {Promise<{url: string, stop: () => Promise<void>}>}
 */
export async function startIdp(hubUrl, port = 0) {
  const server = createServer();
  await new Promise((ok) => server.listen(port, '127.0.0.1', ok));
  const url = `http://127.0.0.1:${server.address().port}`;
  const provider = new Provider(url, {
    clients: [
      {
        ...HUB_CLIENT,
        redirect_uris: [`${hubUrl}/login/upstream/callback`, `${hubUrl}/login/staff/upstream/callback`],
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    claims: { openid: ['sub'], library: ['home_library'], profile: ['birthdate'], email: ['email', 'email_verified'] },
    // Scope claims go in the ID token itself, which is what the hub reads.
    conformIdTokenClaims: false,
    async findAccount(_ctx, id) {
      return {
        accountId: id,
        async claims() {
          return { sub: id, ...(ACCOUNTS[id] ?? {}) };
        },
      };
    },
  });
  provider.on('server_error', (_ctx, error) => console.error('upstream IdP:', error));
  server.on('request', provider.callback());
  return {
    url,
    // The hub keeps its connections open for reuse; close them rather than wait for it.
    stop: () =>
      new Promise((ok) => {
        server.close(ok);
        server.closeAllConnections();
      }),
  };
}

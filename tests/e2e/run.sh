#!/usr/bin/env bash
# The end-to-end test across processes (see story.test.js): needs PostgreSQL, Redis and nginx,
# and the openid-client and standardwebhooks packages of the interop suites.
#
# TILGANG_E2E_DATABASE_URL: a PostgreSQL URL whose user may create databases.
# TILGANG_E2E_REDIS_URL: Redis. TILGANG_BIN: the binary (default target/debug/tilgang).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
for suite in oidc webhooks; do
  if [ ! -d "$here/../interop/$suite/node_modules" ]; then
    (cd "$here/../interop/$suite" && npm ci --no-audit --no-fund)
  fi
done
: "${TILGANG_E2E_DATABASE_URL:?set TILGANG_E2E_DATABASE_URL to a PostgreSQL URL}"
: "${TILGANG_E2E_REDIS_URL:?set TILGANG_E2E_REDIS_URL to a Redis URL}"
cd "$here"
exec node --test --test-concurrency=1 story.test.js

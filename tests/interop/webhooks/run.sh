#!/usr/bin/env bash
# Runs the webhook interop test: the Standard Webhooks reference library verifies
# the hub's deliveries to a vendor.
#
# TILGANG_BIN: the tilgang binary (default target/debug/tilgang, relative to the repository
# root). TILGANG_INTEROP_DATABASE_URL / TILGANG_INTEROP_REDIS_URL: run the hub on Postgres /
# Redis instead of SQLite.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../.." && pwd)"

bin="${TILGANG_BIN:-target/debug/tilgang}"
case "$bin" in
  /*) ;;
  *) bin="$root/$bin" ;;
esac
if [ ! -x "$bin" ]; then
  echo "run.sh: no tilgang binary at $bin (build it, or set TILGANG_BIN)" >&2
  exit 1
fi
export TILGANG_BIN="$bin"

cd "$here"
if [ ! -d node_modules ]; then
  npm ci --no-audit --no-fund
fi
exec node --test --test-concurrency=1 webhooks.test.js

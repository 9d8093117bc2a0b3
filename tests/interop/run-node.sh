#!/usr/bin/env bash
# Runs a Node interop suite against the tilgang binary: installs the suite's locked packages
# when missing, then runs its test files one at a time.
#
# Usage: run-node.sh DIR TEST_FILE...  (DIR relative to tests/interop)
# TILGANG_BIN: the tilgang binary (default target/debug/tilgang, relative to the repository
# root). TILGANG_INTEROP_DATABASE_URL / TILGANG_INTEROP_REDIS_URL: run the hub on Postgres /
# Redis instead of SQLite.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
suite="$here/$1"
shift

bin="${TILGANG_BIN:-target/debug/tilgang}"
case "$bin" in
  /*) ;;
  *) bin="$root/$bin" ;;
esac
if [ ! -x "$bin" ]; then
  echo "run-node.sh: no tilgang binary at $bin (build it, or set TILGANG_BIN)" >&2
  exit 1
fi
export TILGANG_BIN="$bin"

cd "$suite"
if [ ! -d node_modules ]; then
  npm ci --no-audit --no-fund
fi
exec node --test --test-concurrency=1 "$@"

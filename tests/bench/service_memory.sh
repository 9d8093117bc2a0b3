#!/usr/bin/env bash
# Idle memory of each service run apart: start registry, subscriptions, usage, sso and portal
# as separate processes on one fresh PostgreSQL database and Redis (release build), wait until
# every one is ready, give each a little work (register lookups, an e-library page, which the
# portal builds from registry and subscriptions over HTTP, a service token), let them settle,
# and read each process's resident set size. The all-in-one process on the same backend is
# measured in the same run, for comparison. Prints each run and the medians.
#
# Usage: BENCH_DATABASE_URL=postgres://user@host/db tests/bench/service_memory.sh [runs]
# (a database whose user may create databases; one is made and dropped per run).
# BENCH_REDIS_URL: Redis (default redis://127.0.0.1:6379/0).
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-5}
bin=$PWD/target/release/tilgang
[ -x "$bin" ] || cargo build --release -q -p tilgang
: "${BENCH_DATABASE_URL:?set BENCH_DATABASE_URL to a PostgreSQL URL}"
services=(registry subscriptions usage sso portal)
free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
rss() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }
ready() { for _ in $(seq 300); do curl -sf "$1/health/ready" >/dev/null && return 0; sleep 0.1; done; echo "not ready: $1" >&2; return 1; }
declare -A sizes

for run in $(seq "$runs"); do
  db="bench_services_${run}_$$"
  psql "$BENCH_DATABASE_URL" -qc "CREATE DATABASE $db"
  base="${BENCH_DATABASE_URL%/*}/$db"
  declare -A port pid
  for s in "${services[@]}" all; do port[$s]=$(free_port); done
  export TILGANG_DATABASE_URL=$base TILGANG_CACHE_URL=${BENCH_REDIS_URL:-redis://127.0.0.1:6379/0}
  export TILGANG_CACHE_PREFIX="bench-$db:" TILGANG_AUTH_TOKEN_SECRET=benchmark-secret-of-at-least-thirty-two-bytes
  export TILGANG_DATABASE_MIGRATE_ON_START=false RUST_LOG=warn
  export TILGANG_SERVER_PUBLIC_URL="http://127.0.0.1:${port[portal]}"
  for s in registry subscriptions usage sso; do
    export "TILGANG_PEERS_${s^^}=http://127.0.0.1:${port[$s]}"
  done
  "$bin" migrate 2>/dev/null
  token=$("$bin" token create --role consortium-admin)
  "$bin" import basebibliotek services/registry/tests/fixtures/bb_2062200.xml >/dev/null 2>&1
  for s in "${services[@]}"; do
    "$bin" serve --services "$s" --bind "127.0.0.1:${port[$s]}" >/dev/null 2>&1 & pid[$s]=$!
    ready "http://127.0.0.1:${port[$s]}"
  done
  (unset TILGANG_PEERS_REGISTRY TILGANG_PEERS_SUBSCRIPTIONS TILGANG_PEERS_USAGE TILGANG_PEERS_SSO
   exec "$bin" serve --services all --bind "127.0.0.1:${port[all]}" >/dev/null 2>&1) & pid[all]=$!
  ready "http://127.0.0.1:${port[all]}"
  for s in portal all; do
    for _ in $(seq 20); do
      curl -sf "http://127.0.0.1:${port[$s]}/l/NO-2062200" >/dev/null
      curl -sf -H "Authorization: Bearer $token" "http://127.0.0.1:${port[${s/portal/registry}]}/api/v1/libraries?limit=50" >/dev/null
    done
  done
  sleep 2
  line="run $run:"
  for s in "${services[@]}" all; do
    sizes[$s]+="$(rss "${pid[$s]}") "
    line+=" $s $(rss "${pid[$s]}") KiB;"
  done
  echo "$line"
  for s in "${services[@]}" all; do kill "${pid[$s]}"; done
  wait 2>/dev/null || true
  psql "$BENCH_DATABASE_URL" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)"
  unset port pid
done

for s in "${services[@]}" all; do
  median=$(printf '%s\n' ${sizes[$s]} | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  printf '%-14s runs (KiB): %s median %s KiB (%.1f MB)\n' "$s" "${sizes[$s]}" "$median" "$(echo "$median/1024" | bc -l)"
done

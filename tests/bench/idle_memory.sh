#!/usr/bin/env bash
# Idle memory of the all-in-one process: start `tilgang serve` (release build), wait until
# ready, answer a few API requests, let it settle, and read its resident set size. Five runs
# per backend; prints each run and the median. Usage: tests/bench/idle_memory.sh [runs]
#
# Backends: SQLite + in-memory cache (no configuration), and PostgreSQL + Redis when
# BENCH_DATABASE_URL (a database the script may create tables in) is set; Redis at
# BENCH_REDIS_URL (default redis://127.0.0.1:6379/0).
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-5}
bin=$PWD/target/release/tilgang
[ -x "$bin" ] || cargo build --release -q -p tilgang

measure() { # $1 = label; environment carries the backend
  local sizes=()
  for run in $(seq "$runs"); do
    local dir port pid token rss
    dir=$(mktemp -d); port=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
    (cd "$dir" && RUST_LOG=warn exec "$bin" demo --bind "127.0.0.1:$port" >/dev/null) & pid=$!
    for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null && break; sleep 0.1; done
    token=$(cd "$dir" && "$bin" token create --role consortium-admin)
    for _ in $(seq 20); do curl -sf -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/v1/libraries?limit=50" >/dev/null; done
    sleep 2
    rss=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
    kill "$pid"; wait "$pid" 2>/dev/null || true; rm -rf "$dir"
    printf '%s run %s: %s KiB\n' "$1" "$run" "$rss"
    sizes+=("$rss")
  done
  local median
  median=$(printf '%s\n' "${sizes[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  printf '%s median: %s KiB (%.1f MB)\n' "$1" "$median" "$(echo "$median/1024" | bc -l)"
}

(unset TILGANG_DATABASE_URL TILGANG_CACHE_URL; measure "sqlite+memory")
if [ -n "${BENCH_DATABASE_URL:-}" ]; then
  export TILGANG_DATABASE_URL=$BENCH_DATABASE_URL TILGANG_CACHE_URL=${BENCH_REDIS_URL:-redis://127.0.0.1:6379/0}
  export TILGANG_AUTH_TOKEN_SECRET=benchmark-secret-of-at-least-thirty-two-bytes
  measure "postgres+redis"
fi

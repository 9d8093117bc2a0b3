#!/usr/bin/env bash
# SSO benchmark: the hub's OpenID Provider and a peer, Node's oidc-provider (9.x,
# tests/bench/sso/peer.js), measured in the same run on the same machine with the same flows:
#
#   client_credentials   wrk: POST the token endpoint, client_secret_basic, keep-alive
#   introspection        wrk: POST the introspection endpoint about one valid access token
#   login                tests/bench/sso/login.js: authorize -> login form (card + PIN,
#                        argon2id m=19456 KiB, t=2, p=1) -> (hub: notice page) -> code ->
#                        token with the PKCE verifier; a fresh cookie jar per login
#
# The hub runs as `tilgang demo` (release build, every service, one HTTP worker per core) on
# PostgreSQL + Redis; the load comes from other processes on the same machine. For each server:
# a short warm-up, then RUNS rounds of the three benchmarks; prints every run, the medians, and
# a markdown table for BENCHMARKS.md.
#
# Usage: tests/bench/sso.sh
#   RUNS=3                 rounds per server (the median is reported)
#   DURATION=10            seconds per benchmark run (WARMUP=2 seconds of warm-up first)
#   WRK_THREADS=1          wrk threads, and WRK_CONNECTIONS=32 keep-alive connections: one wrk
#                          thread drives 5,000-8,000 requests/s with 0.1-0.2 cores, so the
#                          server has the rest of the two; more threads only take CPU from the
#                          server. 32 connections keep both servers' workers busy without
#                          making p99 mostly queueing (p50 is then about 32 / rate).
#   LOGIN_CONCURRENCY=8    virtual users of login.js (each does one login after another)
#   BENCH_ONLY=hub|peer    measure one server only (peer needs no tilgang binary)
#   BENCH_PIN=0:1          pin the server to CPU 0 and the load to CPU 1 with taskset (default:
#                          no pinning; PostgreSQL and Redis are never pinned). Pinning takes a
#                          core from the server: the hub runs two workers and argon2 on a
#                          blocking pool, and even the single-threaded peer uses 1.1-1.7 cores
#                          (GC, libuv's pool for argon2). Pinned, the peer fell from 5,000 to
#                          4,050 client_credentials/s and from 120 to 62-73 logins/s, without
#                          steadier figures, so runs are unpinned; the load generator's share
#                          is printed instead (0.1-0.2 cores).
#   BENCH_DATABASE_URL     default postgres://postgres@127.0.0.1:5432/tilgang_bench (created
#                          when missing; its tables are the hub's, kept between runs)
#   BENCH_REDIS_URL        default redis://127.0.0.1:6379/2 (flushed before the hub starts)
#   BENCH_OUT              where raw outputs go (default: a new temporary directory)
#   BENCH_QUIET_WAIT=900   before each run, wait up to this many seconds for the machine to be
#                          quiet (a build next to the benchmark halves its figures); a run during
#                          which something else took more than 0.2 cores is done again (twice at
#                          most). Each run prints the cores used by the server, PostgreSQL +
#                          Redis, the load generator and anything else.
#
# Needs: target/release/tilgang (`cargo build --release -p tilgang`), node >= 20.19, wrk
# (installed from Debian when missing), psql and redis-cli, PostgreSQL and Redis running.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
here=$root/tests/bench/sso
bin=$root/target/release/tilgang

RUNS=${RUNS:-3}
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-2}
WRK_THREADS=${WRK_THREADS:-1}
WRK_CONNECTIONS=${WRK_CONNECTIONS:-32}
LOGIN_CONCURRENCY=${LOGIN_CONCURRENCY:-8}
BENCH_ONLY=${BENCH_ONLY:-}
BENCH_PIN=${BENCH_PIN:-}
BENCH_DATABASE_URL=${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/tilgang_bench}
BENCH_REDIS_URL=${BENCH_REDIS_URL:-redis://127.0.0.1:6379/2}
BENCH_AUTH_TOKEN_SECRET=${BENCH_AUTH_TOKEN_SECRET:-benchmark-secret-of-at-least-thirty-two-bytes}
BENCH_QUIET_WAIT=${BENCH_QUIET_WAIT:-900}
SCOPE=libraries:read
REDIRECT_URI=http://127.0.0.1:9/cb

servers=(hub peer)
case "$BENCH_ONLY" in
  '') ;;
  hub | peer) servers=("$BENCH_ONLY") ;;
  *) echo "sso.sh: BENCH_ONLY must be hub or peer" >&2; exit 2 ;;
esac

if [[ " ${servers[*]} " == *" hub "* && ! -x "$bin" ]]; then
  echo "sso.sh: no release build at $bin." >&2
  echo "        Build it with: cargo build --release -p tilgang" >&2
  echo "        (or measure the peer alone: BENCH_ONLY=peer tests/bench/sso.sh)" >&2
  exit 1
fi

if ! command -v wrk >/dev/null; then
  echo "sso.sh: installing wrk from Debian" >&2
  apt-get install -y -q wrk >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q wrk >/dev/null; }
fi
if [ ! -d "$here/node_modules" ]; then
  (cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
fi

srv=() load=()
if [ -n "$BENCH_PIN" ]; then
  srv=(taskset -c "${BENCH_PIN%%:*}") load=(taskset -c "${BENCH_PIN##*:}")
fi

out=${BENCH_OUT:-$(mktemp -d -t tilgang-sso-bench.XXXXXX)}
mkdir -p "$out"
results=$out/results.tsv
: >"$results"

free_port() {
  node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}
json() { # $1 = a JavaScript expression over `j`, the JSON on stdin
  node -e "const j=JSON.parse(require('fs').readFileSync(0,'utf8')); const v=($1); process.stdout.write(typeof v==='string'?v:JSON.stringify(v))"
}
basic_of() { # $1 client_id, $2 secret: RFC 6749 2.3.1 (each form-urlencoded, then base64)
  node -e 'process.stdout.write(Buffer.from(encodeURIComponent(process.argv[1])+":"+encodeURIComponent(process.argv[2])).toString("base64"))' "$1" "$2"
}

server_pid=
stop_server() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  server_pid=
}
trap stop_server EXIT

# Starts the hub; sets url, basic, client_id, client_secret.
start_hub() {
  local base=${BENCH_DATABASE_URL%%\?*} dir port admin products body reg
  local db=${base##*/} admin_url=${base%/*}/postgres
  if ! psql "$admin_url" -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'" | grep -q 1; then
    echo "creating database $db" >&2
    psql "$admin_url" -qc "CREATE DATABASE \"$db\""
  fi
  redis-cli -u "$BENCH_REDIS_URL" flushdb >/dev/null

  dir=$out/hub
  mkdir -p "$dir"
  port=$(free_port)
  url=http://127.0.0.1:$port
  # The hub refuses unknown TILGANG_* variables, so none is inherited.
  local unset=()
  for name in $(compgen -e | grep '^TILGANG_' || true); do unset+=(-u "$name"); done
  (cd "$dir" && exec env "${unset[@]}" \
    TILGANG_SERVER_PUBLIC_URL="$url" \
    TILGANG_DATABASE_URL="$BENCH_DATABASE_URL" \
    TILGANG_CACHE_URL="$BENCH_REDIS_URL" \
    TILGANG_AUTH_TOKEN_SECRET="$BENCH_AUTH_TOKEN_SECRET" \
    RUST_LOG=warn \
    "${srv[@]}" "$bin" demo --bind "127.0.0.1:$port" >"$dir/stdout" 2>"$dir/stderr") &
  server_pid=$!
  for _ in $(seq 1200); do
    kill -0 "$server_pid" 2>/dev/null || { echo "sso.sh: the hub exited:" >&2; cat "$dir/stderr" >&2; exit 1; }
    admin=$(sed -n 's/^ *consortium admin: \([^ ]*\).*/\1/p' "$dir/stdout" | head -1)
    [ -n "$admin" ] && curl -sf "$url/health/ready" >/dev/null && break
    sleep 0.1
  done
  [ -n "$admin" ] || { echo "sso.sh: the hub was not ready in 120 s" >&2; cat "$dir/stderr" >&2; exit 1; }

  products=$(curl -sf -H "Authorization: Bearer $admin" "$url/api/v1/products?limit=50")
  body=$(echo "$products" | json "(() => {
    const p = j.items.find((p) => p.slug === 'nordlys-ebok');
    return { vendor: p.vendor, name: 'SSO benchmark', product: p.id,
             redirect_uris: ['$REDIRECT_URI'], scopes: ['$SCOPE'], id_token_alg: 'ES256' };
  })()")
  reg=$(curl -sf -X POST -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' \
    -d "$body" "$url/api/v1/sso/clients")
  client_id=$(echo "$reg" | json j.client_id)
  client_secret=$(echo "$reg" | json j.client_secret)
  basic=$(basic_of "$client_id" "$client_secret")
}

# Starts the peer; sets url, basic, client_id, client_secret, opaque_resource.
start_peer() {
  local dir=$out/peer port line
  mkdir -p "$dir"
  port=$(free_port)
  (cd "$here" && NODE_ENV=production exec "${srv[@]}" node peer.js --port "$port" >"$dir/stdout" 2>"$dir/stderr") &
  server_pid=$!
  for _ in $(seq 300); do
    kill -0 "$server_pid" 2>/dev/null || { echo "sso.sh: the peer exited:" >&2; cat "$dir/stderr" >&2; exit 1; }
    line=$(head -1 "$dir/stdout")
    [ -n "$line" ] && break
    sleep 0.1
  done
  [ -n "$line" ] || { echo "sso.sh: the peer did not start in 30 s" >&2; exit 1; }
  url=$(echo "$line" | json j.issuer)
  client_id=$(echo "$line" | json j.client_id)
  client_secret=$(echo "$line" | json j.client_secret)
  opaque_resource=$(echo "$line" | json j.opaque_resource)
  basic=$(basic_of "$client_id" "$client_secret")
}

# A client_credentials access token to introspect (the peer's is opaque: oidc-provider does
# not introspect JWT access tokens).
introspection_token() { # $1 server
  local extra=()
  [ "$1" = peer ] && extra=(--data-urlencode "resource=$opaque_resource")
  curl -sf -H "Authorization: Basic $basic" --data-urlencode grant_type=client_credentials \
    --data-urlencode "scope=$SCOPE" "${extra[@]}" "$token_endpoint" | json j.access_token
}

# Jiffies of CPU used so far: the whole machine (busy), the server process, and PostgreSQL +
# Redis (which serve the hub; any other use of them on this machine counts there too).
cpu_snapshot() {
  local busy server=0 backing=0 pid j
  busy=$(awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat)
  [ -r "/proc/$server_pid/stat" ] && server=$(awk '{ print $14 + $15 }' "/proc/$server_pid/stat")
  for pid in $(pgrep -x 'postgres|redis-server' || true); do
    j=$(awk '{ print $14 + $15 }' "/proc/$pid/stat" 2>/dev/null) && backing=$((backing + j))
  done
  echo "$busy $server $backing"
}

busy_jiffies() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat; }

# Waits until the machine has been quiet (< 0.1 cores busy) for 2 s, at most BENCH_QUIET_WAIT
# seconds: on a shared machine a build or a test run next to the benchmark halves its figures.
wait_quiet() {
  local waited=0 a b hz
  hz=$(getconf CLK_TCK)
  while :; do
    a=$(busy_jiffies); sleep 2; b=$(busy_jiffies)
    ((b - a < hz / 5)) && return
    ((waited == 0)) && echo "  (waiting for the machine to be quiet)" >&2
    waited=$((waited + 2))
    if ((waited >= BENCH_QUIET_WAIT)); then
      echo "  (still busy after ${waited} s; going on)" >&2
      return
    fi
  done
}

# Runs one benchmark as the load (pinned when asked) and records it: $1 server, $2 benchmark,
# $3 run, $4 raw output file, then the command. A run that shared the CPU with something else
# (more than 0.2 cores 'other') is done again, twice at most. Appends to the results and prints
# one line.
run_load() {
  local server=$1 bench=$2 run=$3 raw=$4 b0 b1 t0 t1 r cpu attempt
  shift 4
  for attempt in 1 2 3; do
    wait_quiet
    b0=$(cpu_snapshot) t0=$(date +%s%N)
    if ! /usr/bin/time -f '%U %S' -o "$raw.time" "${load[@]}" "$@" >"$raw" 2>"$raw.err"; then
      echo "sso.sh: $server $bench failed:" >&2
      cat "$raw.err" "$raw" >&2
      exit 1
    fi
    t1=$(date +%s%N) b1=$(cpu_snapshot)
    # Cores used on average: server, PostgreSQL + Redis, the load generator, anything else.
    cpu=$(awk -v b0="$b0" -v b1="$b1" -v ns="$((t1 - t0))" -v hz="$(getconf CLK_TCK)" \
      '{ split(b0, x, " "); split(b1, y, " "); wall = ns / 1e9; load = ($1 + $2) / wall
         busy = (y[1] - x[1]) / hz / wall; srv = (y[2] - x[2]) / hz / wall; back = (y[3] - x[3]) / hz / wall
         other = busy - srv - back - load; if (other < 0) other = 0
         printf "%.2f %.2f %.2f %.2f", srv, back, load, other }' "$raw.time")
    [ "$run" = warmup ] && return
    awk -v c="$cpu" 'BEGIN { split(c, x, " "); exit !(x[4] > 0.2) }' || break
    [ "$attempt" -lt 3 ] && echo "  (run $run $bench shared the CPU: ${cpu##* } cores of something else; again)" >&2
  done
  if [ "$bench" = login ]; then
    r=$(json '`${j.logins_per_s} ${j.p50_ms} ${j.p99_ms} ${j.failures}`' <"$raw")
  else
    r=$(node "$here/report.js" wrk <"$raw")
  fi
  # Logins also give the p99 of their requests other than the password POST.
  local steps=
  [ "$bench" = login ] && steps=$(json 'j.other_requests_p99_ms' <"$raw")
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$server" "$bench" "$run" "${r// /$'\t'}" "${cpu// /$'\t'}" "$steps" >>"$results"
  read -r rate p50 p99 errors <<<"$r"
  read -r c_srv c_back c_load c_other <<<"$cpu"
  printf '  run %s %-18s %9s /s  p50 %6s ms  p99 %7s ms  errors %s  cores: server %s, pg+redis %s, load %s, other %s%s\n' \
    "$run" "$bench" "$rate" "$p50" "$p99" "$errors" "$c_srv" "$c_back" "$c_load" "$c_other" \
    "${steps:+  (requests other than the password POST: p99 $steps ms)}"
}

measure() { # $1 server
  local server=$1 discovery token run
  "start_$server"
  discovery=$(curl -sf "$url/.well-known/openid-configuration")
  token_endpoint=$(echo "$discovery" | json j.token_endpoint)
  introspection_endpoint=$(echo "$discovery" | json j.introspection_endpoint)
  echo "== $server at $url (client $client_id)"

  local cc=(env "BENCH_BASIC=$basic" "BENCH_SCOPE=$SCOPE" wrk -t"$WRK_THREADS" -c"$WRK_CONNECTIONS" --latency
    -s "$here/client_credentials.lua")
  # A fresh token before each introspection run (the peer keeps opaque tokens in an LRU).
  local introspection=(env "BENCH_BASIC=$basic" wrk -t"$WRK_THREADS" -c"$WRK_CONNECTIONS" --latency
    -s "$here/introspection.lua")
  local login=(node "$here/login.js" --server "$server" --url "$url" --client-id "$client_id"
    --client-secret "$client_secret" --redirect-uri "$REDIRECT_URI"
    --concurrency "$LOGIN_CONCURRENCY" --warmup "$WARMUP" --json)

  token=$(introspection_token "$server")
  run_load "$server" client_credentials warmup "$out/$server-warmup-cc.txt" "${cc[@]}" -d"$WARMUP"s "$token_endpoint"
  run_load "$server" introspection warmup "$out/$server-warmup-introspection.txt" \
    env "BENCH_TOKEN=$token" "${introspection[@]}" -d"$WARMUP"s "$introspection_endpoint"

  for run in $(seq "$RUNS"); do
    run_load "$server" client_credentials "$run" "$out/$server-cc-$run.txt" \
      "${cc[@]}" -d"$DURATION"s "$token_endpoint"
    token=$(introspection_token "$server")
    run_load "$server" introspection "$run" "$out/$server-introspection-$run.txt" \
      env "BENCH_TOKEN=$token" "${introspection[@]}" -d"$DURATION"s "$introspection_endpoint"
    run_load "$server" login "$run" "$out/$server-login-$run.json" "${login[@]}" --duration "$DURATION"
  done
  stop_server
}

# How busy the machine is before we start: one second of /proc/stat.
busy0=$(busy_jiffies); sleep 1; busy1=$(busy_jiffies)
busy=$(awk -v a="$busy0" -v b="$busy1" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.2f", (b - a) / hz }')
echo "SSO benchmark: $(nproc) cores ($(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)), $busy cores busy before the start"
echo "  node $(node --version), oidc-provider $(node -p 'require("./tests/bench/sso/node_modules/oidc-provider/package.json").version'), $(wrk --version 2>&1 | head -1 | cut -d' ' -f1-2)"
echo "  tilgang $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- services libs Cargo.lock 2>/dev/null || echo '+changes'), RUNS=$RUNS DURATION=${DURATION}s wrk -t$WRK_THREADS -c$WRK_CONNECTIONS, $LOGIN_CONCURRENCY login users, pinning ${BENCH_PIN:-none}"
echo "  raw outputs in $out"
if awk -v b="$busy" 'BEGIN { exit !(b > 0.2) }' || pgrep -x 'cargo|rustc' >/dev/null; then
  echo "  NOTE: something else is using the CPU (a build?); each run waits for a quiet machine" >&2
fi

for server in "${servers[@]}"; do measure "$server"; done
node "$here/report.js" table "$results"

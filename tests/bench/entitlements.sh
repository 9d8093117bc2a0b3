#!/usr/bin/env bash
# Entitlement benchmark (issue 4): how many "may library X use product Y now" checks one
# process answers per second, and how soon a change made in one process is seen by another.
#
#   in-process   services/subscriptions/examples/entitlement_bench.rs: a national year
#                (400 libraries x 100 products, 40,000 subscriptions) on PostgreSQL, the index
#                rebuilt (timed), then checks from one thread per core for DURATION seconds;
#                the peer, in the same run: one SQL query per check on the same rows (16 at a
#                time), which is what answering without the index costs.
#   across       two `tilgang` processes on the same PostgreSQL + Redis: a trial requested from
#                process A (POST /api/v1/trials), then process B polled every 5 ms
#                (GET /api/v1/entitlements) until its index grants it; SAMPLES trials, each
#                for another library.
#
# Usage: tests/bench/entitlements.sh
#   RUNS=3 DURATION=10 SAMPLES=10
#   BENCH_DATABASE_URL   a PostgreSQL server URL without a database name
#                        (default postgres://postgres@127.0.0.1:5432); databases
#                        tilgang_ent_bench and tilgang_ent_cross are made afresh
#   BENCH_REDIS_URL      default redis://127.0.0.1:6379/3 (flushed)
# Needs: cargo, psql, redis-cli, python3, PostgreSQL and Redis running.
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS=${RUNS:-3}
DURATION=${DURATION:-10}
SAMPLES=${SAMPLES:-10}
server=${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432}
redis=${BENCH_REDIS_URL:-redis://127.0.0.1:6379/3}

cargo build -q --release -p tilgang
cargo build -q --release -p tilgang-subscriptions --example entitlement_bench
bin=target/release/tilgang

fresh_db() { psql "$server/postgres" -qXc "DROP DATABASE IF EXISTS $1 WITH (FORCE)" -c "CREATE DATABASE $1" >/dev/null 2>&1; }

echo "== in-process checks (median of $RUNS runs, $DURATION s each)"
for run in $(seq "$RUNS"); do
  fresh_db tilgang_ent_bench
  target/release/examples/entitlement_bench "$server/tilgang_ent_bench" "$DURATION" | tee -a /tmp/ent_bench.$$
done
python3 - /tmp/ent_bench.$$ <<'PY'
import json, statistics, sys
runs = [json.loads(l) for l in open(sys.argv[1])]
for key in ("checks_per_second", "sql_checks_per_second", "rebuild_ms"):
    print(f"median {key}: {statistics.median(r[key] for r in runs):,.1f}")
PY
rm -f /tmp/ent_bench.$$

echo "== a change in process A seen by process B ($SAMPLES trials)"
fresh_db tilgang_ent_cross
redis-cli -u "$redis" flushdb >/dev/null
export TILGANG_DATABASE_URL="$server/tilgang_ent_cross" TILGANG_CACHE_URL="$redis"
export TILGANG_AUTH_TOKEN_SECRET=benchmark-secret-of-at-least-thirty-two-bytes RUST_LOG=warn
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT
"$bin" demo --bind 127.0.0.1:18081 >/dev/null 2>&1 & pids+=($!)
for _ in $(seq 100); do curl -fs http://127.0.0.1:18081/health/ready >/dev/null && break; sleep 0.2; done
"$bin" serve --bind 127.0.0.1:18082 >/dev/null 2>&1 & pids+=($!)
for _ in $(seq 100); do curl -fs http://127.0.0.1:18082/health/ready >/dev/null && break; sleep 0.2; done
token=$("$bin" token create --role consortium-admin --subject bench)
SAMPLES=$SAMPLES TOKEN=$token python3 - <<'PY'
import json, os, statistics, time, urllib.request

A, B = "http://127.0.0.1:18081", "http://127.0.0.1:18082"
headers = {"authorization": f"Bearer {os.environ['TOKEN']}", "content-type": "application/json"}

def call(method, url, body=None):
    data = None if body is None else json.dumps(body).encode()
    with urllib.request.urlopen(urllib.request.Request(url, data, headers, method=method)) as r:
        return json.load(r)

product = call("GET", f"{A}/api/v1/products/nordlys-lydbok")
libraries = [l["isil"] for l in call("GET", f"{A}/api/v1/libraries?limit=50")["items"]
             if l["isil"] not in ("NO-2030000", "SE-3")]
seen = []
for isil in libraries[: int(os.environ["SAMPLES"])]:
    call("POST", f"{A}/api/v1/trials", {"isil": isil, "product": "nordlys-lydbok"})
    asked = time.perf_counter()
    while True:
        items = call("GET", f"{B}/api/v1/entitlements?vendor={product['vendor']}")["items"]
        if any(i["isil"] == isil and i["product_slug"] == "nordlys-lydbok" for i in items):
            break
        time.sleep(0.005)
    seen.append((time.perf_counter() - asked) * 1000)
print("ms until process B grants it:", ", ".join(f"{s:.0f}" for s in seen))
print(f"median {statistics.median(seen):.0f} ms, max {max(seen):.0f} ms")
PY

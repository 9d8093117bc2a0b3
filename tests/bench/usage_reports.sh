#!/usr/bin/env bash
# Usage report benchmark (issue 5: < 200 ms with a year of national data): 400 libraries x
# 100 products x 365 days of roll-ups (14.6 million daily rows, and their monthly sums) are
# generated in PostgreSQL under a running hub, then wrk asks, one request at a time for
# DURATION seconds each:
#   pr          GET /sushi/r51/reports/pr, one library, twelve months, 100 products
#   consortium  GET /api/v1/usage/hub/totals?by=library, 400 libraries, twelve months
#   countries   GET /api/v1/usage/hub/totals?by=country, the same summed per country
#   daily       GET /api/v1/usage/hub/totals?by=library&granularity=day, the last 90 days
# The peer in the same run: psql timing the bare SQL each answer starts from (the monthly rows
# of one library; every library's monthly totals), the floor under any answer.
# RUNS rounds on the same data; prints every run and the medians (of the wrk medians).
#
# Usage: tests/bench/usage_reports.sh   (RUNS=3 DURATION=10;
#        BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432, a server URL without database)
# Needs: cargo, psql, curl, python3, wrk (installed from Debian when missing).
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS=${RUNS:-3}
DURATION=${DURATION:-10}
server=${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432}
db=tilgang_reports_bench
port=18083
hub=http://127.0.0.1:$port

if ! command -v wrk >/dev/null; then
  apt-get install -y -q wrk >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q wrk >/dev/null; }
fi
cargo build -q --release -p tilgang
bin=target/release/tilgang
psql "$server/postgres" -qXc "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db" >/dev/null 2>&1
export TILGANG_DATABASE_URL="$server/$db" TILGANG_CACHE_URL=memory RUST_LOG=warn
export TILGANG_AUTH_TOKEN_SECRET=benchmark-secret-of-at-least-thirty-two-bytes
"$bin" demo --bind "127.0.0.1:$port" >/dev/null 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
for _ in $(seq 150); do curl -fs "$hub/health/ready" >/dev/null && break; sleep 0.2; done

# The twelve complete months before this one; the watermark says they are rolled up, so the
# hub's own roll-up leaves them alone.
read -r first last <<<"$(python3 -c "
import datetime
today = datetime.date.today()
end = today.replace(day=1) - datetime.timedelta(days=1)
month = end.year * 12 + end.month - 1 - 11
start = datetime.date(month // 12, month % 12 + 1, 1)
print(start, end)")"
echo "== generating 400 libraries x 100 products x $(( ($(date -d "$last" +%s) - $(date -d "$first" +%s)) / 86400 + 1 )) days ($first to $last)"
started=$(date +%s)
psql "$server/$db" -qX -v ON_ERROR_STOP=1 <<SQL
CREATE TEMP TABLE bench_libraries AS
  SELECT CASE WHEN i = 1 THEN 'NO-2030000' ELSE 'NO-B' || lpad(i::text, 5, '0') END AS isil
  FROM generate_series(1, 400) i;
CREATE TEMP TABLE bench_products AS
  SELECT ('00000000-0000-4000-8000-' || lpad(to_hex(j), 12, '0'))::uuid AS id
  FROM generate_series(1, 100) j;
INSERT INTO usage_daily (day, isil_key, product_id, isil, vendor_id, logins, sessions, turnaways, unique_users)
  SELECT d::date, lower(l.isil), p.id, l.isil, NULL, 0, (random() * 20)::int, (random() * 2)::int, (random() * 10)::int
  FROM generate_series(date '$first', date '$last', interval '1 day') d, bench_libraries l, bench_products p;
INSERT INTO usage_daily (day, isil_key, product_id, isil, vendor_id, logins, sessions, turnaways, unique_users)
  SELECT d::date, lower(l.isil), '00000000-0000-0000-0000-000000000000', l.isil, NULL, (random() * 300)::int, 0, (random() * 5)::int, (random() * 100)::int
  FROM generate_series(date '$first', date '$last', interval '1 day') d, bench_libraries l;
INSERT INTO usage_monthly (month, isil_key, product_id, isil, vendor_id, logins, sessions, turnaways, unique_users)
  SELECT to_char(day, 'YYYY-MM'), isil_key, product_id, isil, vendor_id, SUM(logins), SUM(sessions), SUM(turnaways), MAX(unique_users) * 3
  FROM usage_daily WHERE day BETWEEN '$first' AND '$last'
  GROUP BY to_char(day, 'YYYY-MM'), isil_key, product_id, isil, vendor_id;
INSERT INTO usage_library_monthly (month, isil_key, isil, logins, sessions, turnaways, unique_users)
  SELECT month, isil_key, isil, SUM(logins), SUM(sessions), SUM(turnaways),
         SUM(CASE WHEN product_id = '00000000-0000-0000-0000-000000000000' THEN unique_users ELSE 0 END)
  FROM usage_monthly GROUP BY month, isil_key, isil;
INSERT INTO usage_library_daily (day, isil_key, isil, logins, sessions, turnaways, unique_users)
  SELECT day, isil_key, isil, SUM(logins), SUM(sessions), SUM(turnaways),
         SUM(CASE WHEN product_id = '00000000-0000-0000-0000-000000000000' THEN unique_users ELSE 0 END)
  FROM usage_daily GROUP BY day, isil_key, isil;
INSERT INTO usage_watermarks (name, day) VALUES ('daily', current_date - 1)
  ON CONFLICT (name) DO UPDATE SET day = excluded.day;
ANALYZE;
SQL
psql "$server/$db" -qXAtc "SELECT 'daily rows: ' || (SELECT count(*) FROM usage_daily) || ', monthly rows: ' || (SELECT count(*) FROM usage_monthly)"
echo "generated in $(( $(date +%s) - started )) s"

token=$("$bin" token create --role consortium-admin --subject bench)
credential=$(curl -fs -X POST "$hub/api/v1/usage/sushi-credentials" -H "authorization: Bearer $token" \
  -H 'content-type: application/json' -d '{"name": "benchmark"}')
requestor=$(python3 -c "import json,sys; print(json.loads(sys.argv[1])['requestor_id'])" "$credential")
key=$(python3 -c "import json,sys; print(json.loads(sys.argv[1])['api_key'])" "$credential")
months="begin_date=${first:0:7}&end_date=${last:0:7}"
pr_url="$hub/sushi/r51/reports/pr?customer_id=NO-2030000&requestor_id=$requestor&api_key=$key&$months"
consortium_url="$hub/api/v1/usage/hub/totals?from=$first&to=$last&by=library"
countries_url="$hub/api/v1/usage/hub/totals?from=$first&to=$last&by=country"
ninety=$(date -d "$last - 89 days" +%F)
daily_url="$hub/api/v1/usage/hub/totals?from=$ninety&to=$last&by=library&granularity=day"

items=$(curl -fs "$pr_url" | python3 -c "import json,sys; r=json.load(sys.stdin); print(len(r['Report_Items']))")
groups=$(curl -fs -H "authorization: Bearer $token" "$consortium_url" | python3 -c "import json,sys; print(len(json.load(sys.stdin)))")
echo "PR items: $items platforms; consortium rows: $groups (library x month)"

median_ms() { # wrk's 50% latency, in ms
  awk '/^ +50%/ { v=$2; if (v ~ /us$/) { sub(/us/,"",v); v/=1000 } else if (v ~ /ms$/) { sub(/ms/,"",v) } else if (v ~ /s$/) { sub(/s/,"",v); v*=1000 } print v }'
}
sql_ms() { # psql's \timing of one statement, in ms (best of three)
  for _ in 1 2 3; do
    psql "$server/$db" -qX -c '\timing on' -c "$1" 2>/dev/null | awk '/^Time:/ { print $2 }'
  done | sort -n | head -n1
}
pr_sql="SELECT month, product_id, sessions, unique_users FROM usage_monthly WHERE isil_key = 'no-2030000' AND month BETWEEN '${first:0:7}' AND '${last:0:7}'"
consortium_sql="SELECT * FROM usage_library_monthly WHERE month BETWEEN '${first:0:7}' AND '${last:0:7}'"

results=()
for run in $(seq "$RUNS"); do
  pr=$(wrk -t1 -c1 -d"${DURATION}s" --latency "$pr_url" | median_ms)
  consortium=$(wrk -t1 -c1 -d"${DURATION}s" --latency -H "authorization: Bearer $token" "$consortium_url" | median_ms)
  countries=$(wrk -t1 -c1 -d"${DURATION}s" --latency -H "authorization: Bearer $token" "$countries_url" | median_ms)
  daily=$(wrk -t1 -c1 -d"${DURATION}s" --latency -H "authorization: Bearer $token" "$daily_url" | median_ms)
  pr_floor=$(sql_ms "$pr_sql")
  consortium_floor=$(sql_ms "$consortium_sql")
  echo "run $run: pr ${pr} ms (SQL ${pr_floor} ms); consortium ${consortium} ms, countries ${countries} ms (SQL ${consortium_floor} ms); 90 days per day ${daily} ms"
  results+=("$pr $pr_floor $consortium $countries $consortium_floor $daily")
done
printf '%s\n' "${results[@]}" | python3 -c "
import statistics, sys
cols = list(zip(*(map(float, l.split()) for l in sys.stdin)))
m = [statistics.median(c) for c in cols]
print(f'median: pr {m[0]:.1f} ms (SQL {m[1]:.1f} ms); consortium {m[2]:.1f} ms, countries {m[3]:.1f} ms (SQL {m[4]:.1f} ms); 90 days per day {m[5]:.1f} ms')"

#!/usr/bin/env bash
# Usage ingest benchmark (issue 5: >= 50,000 events/s into PostgreSQL, with the physical
# ceiling measured in the same run): EVENTS access events stored through the UsageSink port
# (batches of 5,000, four in flight, multi-row INSERT … ON CONFLICT DO NOTHING, patron keys
# salted per month), then the same rows loaded with psql's COPY into an empty copy of the
# table. RUNS rounds on a fresh database each; prints every run and the medians.
#
# Usage: tests/bench/usage_ingest.sh   (RUNS=3 EVENTS=500000;
#        BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432, a server URL without database)
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS=${RUNS:-3}
EVENTS=${EVENTS:-500000}
server=${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432}
cargo build -q --release -p tilgang-usage --example ingest_bench
csv=$(mktemp -t usage-ingest.XXXXXX.csv)
trap 'rm -f "$csv"' EXIT
results=()
for run in $(seq "$RUNS"); do
  psql "$server/postgres" -qXc "DROP DATABASE IF EXISTS tilgang_ingest_bench WITH (FORCE)" -c "CREATE DATABASE tilgang_ingest_bench" >/dev/null 2>&1
  hub=$(target/release/examples/ingest_bench "$server/tilgang_ingest_bench" "$EVENTS" "$csv")
  psql "$server/tilgang_ingest_bench" -qXc "CREATE TABLE copy_target (LIKE usage_events INCLUDING ALL)" >/dev/null
  start=$(date +%s.%N)
  psql "$server/tilgang_ingest_bench" -qXc "\\copy copy_target FROM '$csv' WITH (FORMAT csv)" >/dev/null
  end=$(date +%s.%N)
  copy=$(python3 -c "print(round($EVENTS / ($end - $start)))")
  echo "run $run: hub $hub; COPY ${copy} rows/s"
  results+=("$(python3 -c "import json,sys; print(json.loads(sys.argv[1])['events_per_second'])" "$hub") $copy")
done
printf '%s\n' "${results[@]}" | python3 -c "
import statistics, sys
hub, copy = zip(*(map(float, l.split()) for l in sys.stdin))
h, c = statistics.median(hub), statistics.median(copy)
print(f'median: hub {h:,.0f} events/s, COPY {c:,.0f} rows/s, ratio {h / c:.2f}')"

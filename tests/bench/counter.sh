#!/usr/bin/env bash
# COUNTER report benchmark (issue 5: parsing and validating a 10 MB report in < 1 s): the
# official TR sample grown to about 10 MB, parsed, validated against the COUNTER 5.1 schema and
# read into rows, RUNS times; the floor in the same run is parsing the same bytes alone.
#
# Usage: tests/bench/counter.sh   (RUNS=5)
set -euo pipefail
cd "$(dirname "$0")/../.."
cargo build -q --release -p tilgang-counter --example validate_bench
target/release/examples/validate_bench "${RUNS:-5}"

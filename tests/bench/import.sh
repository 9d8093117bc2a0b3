#!/usr/bin/env bash
# Time of `tilgang import csv` for every distinct ISIL of Norway, Denmark, Finland and Sweden
# (756 libraries from ../shared/reference/isil/nordic_isils.tsv), into a fresh SQLite database:
# a first import (all created) and a re-import (all unchanged). Five runs; prints the median.
set -euo pipefail
cd "$(dirname "$0")/../.."
tsv=../shared/reference/isil/nordic_isils.tsv
[ -f "$tsv" ] || { echo "skipped: $tsv is absent"; exit 0; }
bin=$PWD/target/release/tilgang
[ -x "$bin" ] || cargo build --release -q -p tilgang
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
python3 - "$tsv" "$work/libraries.csv" <<'PY'
import csv, sys
seen, out = set(), csv.writer(open(sys.argv[2], "w"))
out.writerow(["isil", "name"])
for row in list(csv.reader(open(sys.argv[1]), delimiter="\t"))[1:]:
    if row[0].lower() not in seen:
        seen.add(row[0].lower()); out.writerow(row[:2])
PY
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
timed() { (cd "$work" && /usr/bin/time -f %e -o "$work/time" "$bin" import csv libraries.csv >/dev/null 2>&1); cat "$work/time"; }
first=(); again=()
for _ in 1 2 3 4 5; do
  rm -rf "$work/data"
  first+=("$(timed)")
  again+=("$(timed)")
done
echo "first import (756 created): ${first[*]} s; median $(printf '%s\n' "${first[@]}" | median) s"
echo "re-import (756 unchanged): ${again[*]} s; median $(printf '%s\n' "${again[@]}" | median) s"

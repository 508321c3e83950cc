#!/usr/bin/env bash
# Exports as they arrive, measured in one run on the same files against the peers a user would reach for:
#
# - the same 1,000,000-row workbook (written by openpyxl from the plain sample CSV) read by our XLSX reader,
#   by openpyxl (read_only=True) and by fastexcel (Rust calamine, from PyPI); targets ≥ 10× openpyxl,
#   ≥ 0.7× fastexcel, peak RSS ≤ 100 MB;
# - the 1,000,000-row .csv.gz read by our CSV reader against `gzip -dc FILE > /dev/null` alone (inflating is
#   the floor); target ≥ 0.8×.
#
#   Benchmarks/compare-archives.sh [RECORDS]        (RUNS=3: runs per measured side, median taken)
#
# Each side's records/s counts data rows; ours reads every value's bytes (ReaderThroughput), openpyxl
# makes a Python value of every cell, fastexcel builds its Arrow table of the whole sheet.
set -euo pipefail
records=${1:-1000000}
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=bench-lib.sh
source "$here/bench-lib.sh"
root=$(dirname "$here")
work=${WORK:-/tmp/hatif-archive-bench}
runs=${RUNS:-3}
mkdir -p "$work"

echo "Building release binaries…" >&2
swift build -c release --package-path "$root" --product hatif-import >&2
rm -f "$here/.build/release.yaml" "$here/.build/release/description.json"  # see compare-parsers.sh
swift build -c release --package-path "$here" --product ReaderThroughput >&2
hatif="$root/.build/release/hatif-import"
ours="$here/.build/release/ReaderThroughput"
python3 -c 'import openpyxl, fastexcel, pyarrow' 2>/dev/null || python3 -m pip install --quiet openpyxl fastexcel pyarrow >&2

csv="$work/contacts-$records.csv"
[ -s "$csv" ] || "$hatif" sample --format csv --dialect plain --count "$records" --seed 1 -o "$csv"
gz="$csv.gz"
[ -s "$gz" ] || gzip -6 -c "$csv" >"$gz"
book="$work/contacts-$records-openpyxl.xlsx"
if [ ! -s "$book" ]; then
  echo "Writing the workbook with openpyxl (a few minutes)…" >&2
  python3 "$here/xlsx-peers.py" write "$csv" "$book"
fi

ratio() { python3 -c "import sys; print(f'{float(sys.argv[1]) / float(sys.argv[2]):.2f}x')" "$1" "$2"; }
gzip_alone() { # file rows → JSON, as if gzip -dc yielded the rows
  python3 -c '
import json, subprocess, sys, time
start = time.perf_counter()
subprocess.run(["gzip", "-dc", sys.argv[1]], stdout=subprocess.DEVNULL, check=True)
seconds = time.perf_counter() - start
print(json.dumps({"records": int(sys.argv[2]), "seconds": round(seconds, 3), "recordsPerSecond": int(int(sys.argv[2]) / seconds), "peakRSSMegabytes": 0}))' "$1" "$2"
}

echo "Measuring ($runs runs per side, openpyxl once)…" >&2
ours_xlsx=$(median "$ours" "$book")
fastexcel=$(median python3 "$here/xlsx-peers.py" fastexcel "$book")
openpyxl=$(RUNS=1 runs=1 median python3 "$here/xlsx-peers.py" openpyxl "$book")
ours_gz=$(median "$ours" "$gz")
gzip_floor=$(median gzip_alone "$gz" "$records")

printf '\n%-44s %12s %12s %9s %8s %12s\n' "file ($records rows)" "ours rec/s" "peer rec/s" "ratio" "target" "our peak RSS"
row() { printf '%-44s %12s %12s %9s %8s %12s\n' "$1" "$(field "$2" recordsPerSecond)" "$(field "$3" recordsPerSecond)" \
  "$(ratio "$(field "$2" recordsPerSecond)" "$(field "$3" recordsPerSecond)")" "$4" "$(field "$2" peakRSSMegabytes) MB"; }
row "XLSX vs openpyxl (read_only)" "$ours_xlsx" "$openpyxl" "≥ 10x"
row "XLSX vs fastexcel (calamine)" "$ours_xlsx" "$fastexcel" "≥ 0.7x"
row "CSV.gz vs gzip -dc alone" "$ours_gz" "$gzip_floor" "≥ 0.8x"
echo
echo "workbook $(du -h "$book" | cut -f1), .csv.gz $(du -h "$gz" | cut -f1); peers' peak RSS: openpyxl $(field "$openpyxl" peakRSSMegabytes) MB, fastexcel $(field "$fastexcel" peakRSSMegabytes) MB"

#!/usr/bin/env bash
# Builds the libFuzzer targets with AddressSanitizer and coverage (see Package.swift) and runs each for SECONDS (default 600), seeded from
# samples/ and the test fixtures. Findings land in Fuzz/findings/<target>/; each one becomes a regression
# fixture under Tests/HatifImportTests/Fixtures/fuzz/ once fixed.
#
#   Fuzz/run.sh [SECONDS] [TARGET…]        targets: FuzzCSV FuzzVCard FuzzXML FuzzXLSX FuzzZip FuzzTransforms
set -euo pipefail
seconds=${1:-600}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(FuzzCSV FuzzVCard FuzzXML FuzzXLSX FuzzZip FuzzTransforms)
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
work=${WORK:-/tmp/hatif-fuzz}
# SwiftPM keeps the main package's file list, as a path dependency, from this scratch folder's last
# build: a source file added since would be missed. Dropping the build plan makes it look again.
rm -f "$here/.build-fuzz/debug.yaml" "$here/.build-fuzz/debug/description.json"
for target in "${targets[@]}"; do
  swift build --package-path "$here" --scratch-path "$here/.build-fuzz" -Xswiftc -sanitize=address \
    -Xswiftc -sanitize-coverage=edge,inline-8bit-counters,pc-table,trace-cmp -Xswiftc -use-ld=lld --product "$target" 2>&1 \
    | grep -E "error|Build of" >&2
done
seed() { # target → its seed corpus folder
  local corpus="$work/corpus/$1"; mkdir -p "$corpus"
  add() { for file in "$@"; do cp -f "$file" "$corpus/$(basename "$(dirname "$file")")-$(basename "$file")"; done; }
  case $1 in
    FuzzCSV) add "$root"/samples/*.csv "$root"/Tests/HatifImportTests/Fixtures/csv/* ;;
    FuzzVCard) add "$root"/samples/*.vcf "$root"/Tests/HatifImportTests/Fixtures/vcard/* ;;
    FuzzXML) add "$root"/samples/*.xml "$root"/Tests/HatifImportTests/Fixtures/xml/* ;;
    FuzzXLSX) # a sheet's XML, a NUL, the shared strings' XML, from the fixture workbooks
      for book in "$root"/Tests/EndToEndTests/Fixtures/archives/*.xlsx; do
        { unzip -p "$book" xl/worksheets/sheet1.xml; printf '\0'; unzip -p "$book" xl/sharedStrings.xml 2>/dev/null || true; } >"$corpus/$(basename "$book").seed"
      done ;;
    FuzzZip) add "$root"/Tests/EndToEndTests/Fixtures/archives/*.zip "$root"/Tests/EndToEndTests/Fixtures/archives/*.xlsx ;;
    FuzzTransforms) printf 'Sara\x1fAl-Harbi\x1f0500111222\x1f+971 50 123 4567\x1fA@B.co\x1f31/12/2024\x1f1,234.50\x1f1.234,5\x1fنعم\x1fgold\x1f12-ab\x1fx\x1fy' >"$corpus/one" ;;
  esac
  if [ -d "$root/Tests/HatifImportTests/Fixtures/fuzz/$1" ]; then cp "$root/Tests/HatifImportTests/Fixtures/fuzz/$1"/* "$corpus"/ 2>/dev/null || true; fi
  echo "$corpus"
}
for target in "${targets[@]}"; do
  corpus=$(seed "$target")
  findings="$here/findings/$target"; mkdir -p "$findings"
  echo "== $target for $seconds s" >&2
  "$here/.build-fuzz/debug/$target" "$corpus" -max_total_time="$seconds" -rss_limit_mb=2048 -max_len=65536 -timeout=10 \
    -artifact_prefix="$findings/" -print_final_stats=1 2>"$work/$target.log" || echo "$target: finding, see $findings and $work/$target.log" >&2
  grep -E "stat::number_of_executed_units|stat::peak_rss_mb|Done [0-9]+ runs" "$work/$target.log" | sed "s/^/$target /"
done

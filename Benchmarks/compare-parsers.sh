#!/usr/bin/env bash
# Parse throughput of hatif-import's readers against the peers a user would reach for, measured in the
# same run on the same files, with peak RSS. Prints one table.
#
#   Benchmarks/compare-parsers.sh [RECORDS] [PEER_RECORDS]        (RUNS=5: pairs of runs per ratio)
#
# Our side reads every record and looks at every value's bytes (`SourceRecord.forEachValue`), as the peers
# make a string of every field; `TOUCH=strings` makes our side build a Swift String of each value too.
#
# RECORDS (default 1,000,000) sizes the files our readers read for throughput and memory; the CSV peer
# reads that same file. PEER_RECORDS (default 100,000) sizes the XML and vCard files that both we and the
# slower peers (lxml, vobject, the minimal parser) read for the ratios, as in the issue's reference runs.
set -euo pipefail
records=${1:-1000000}
peer_records=${2:-100000}
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=bench-lib.sh
source "$here/bench-lib.sh"
root=$(dirname "$here")
work=${WORK:-/tmp/hatif-parse-bench}
mkdir -p "$work"

echo "Building release binaries…" >&2
swift build -c release --package-path "$root" --product hatif-import >&2
# SwiftPM keeps the main package's file list, as a path dependency, from this package's last build: a
# source file added since would be missed. Dropping the build plan makes it look again.
rm -f "$here/.build/release.yaml" "$here/.build/release/description.json"
swift build -c release --package-path "$here" --product ReaderThroughput >&2
hatif="$root/.build/release/hatif-import"
ours="$here/.build/release/ReaderThroughput"
python3 -c 'import lxml, vobject' 2>/dev/null || python3 -m pip install --quiet lxml vobject >&2

make_file() { # format count dialect
  local file="$work/contacts-$2.$1"
  [ -s "$file" ] || "$hatif" sample --format "$1" --count "$2" --dialect "$3" --seed 1 -o "$file"
  echo "$file"
}
csv_big=$(make_file csv "$records" google)
csv_small=$(make_file csv "$peer_records" google)
xml_big=$(make_file xml "$records" plain)
xml_small=$(make_file xml "$peer_records" plain)
vcf_big=$(make_file vcf "$records" plain)
vcf_small=$(make_file vcf "$peer_records" plain)

size() { python3 -c "import os,sys; print(f'{os.path.getsize(sys.argv[1]) / 1e6:.0f} MB')" "$1"; }

row() { # label file ours-json peer-json target [ratio]
  local measured=${6:-$(python3 -c "import sys; print(float(sys.argv[1]) / float(sys.argv[2]))" "$(field "$3" recordsPerSecond)" "$(field "$4" recordsPerSecond)")}
  printf '%-34s %10s %12s %12s %8s %8s %10s\n' "$1" "$2" "$(field "$3" recordsPerSecond)" "$(field "$4" recordsPerSecond)" \
    "$(python3 -c "import sys; print(f'{float(sys.argv[1]):.1f}x')" "$measured")" "$5" "$(field "$3" peakRSSMegabytes) MB"
}

# The machine's speed drifts from minute to minute by ±15% and more: our reader and its peer run in turn,
# RUNS times (default 5), and a ratio is the median of the pairs' ratios (`paired`); the rec/s columns are
# each side's median run.
runs=${RUNS:-5}

echo "Running…" >&2
csv_pair=$(paired "$ours" "$csv_big" csv -- python3 "$here/peers.py" csv "$csv_big")
xml_pair=$(paired "$ours" "$xml_small" xml -- python3 "$here/peers.py" xml "$xml_small" contact)
vcf_pair=$(paired "$ours" "$vcf_small" vcf -- python3 "$here/peers.py" minimal "$vcf_small")
ours_csv_big=$(field "$csv_pair" a); peer_csv=$(field "$csv_pair" b)
ours_xml_small=$(field "$xml_pair" a); peer_xml=$(field "$xml_pair" b)
ours_vcf_small=$(field "$vcf_pair" a); peer_minimal=$(field "$vcf_pair" b)
peer_vobject=$(python3 "$here/peers.py" vobject "$vcf_small")
ours_csv_small=$("$ours" "$csv_small" csv)
ours_xml_big=$("$ours" "$xml_big" xml)
ours_vcf_big=$("$ours" "$vcf_big" vcf)

echo
printf '%-34s %10s %12s %12s %8s %8s %10s\n' "comparison" "file" "ours rec/s" "peer rec/s" "ratio" "target" "our RSS"
row "CSV vs csv.reader ($records rows)" "$(size "$csv_big")" "$ours_csv_big" "$peer_csv" "4x" "$(field "$csv_pair" ratio)"
row "XML vs lxml iterparse ($peer_records)" "$(size "$xml_small")" "$ours_xml_small" "$peer_xml" "3x" "$(field "$xml_pair" ratio)"
row "vCard vs minimal parser ($peer_records)" "$(size "$vcf_small")" "$ours_vcf_small" "$peer_minimal" "10x" "$(field "$vcf_pair" ratio)"
row "vCard vs vobject ($peer_records)" "$(size "$vcf_small")" "$ours_vcf_small" "$peer_vobject" "-"
echo
echo "Our readers on $records records (peak RSS should stay flat as files grow; target <= 64 MB):"
printf '%-6s %10s %12s %14s %14s\n' "format" "file" "rec/s" "RSS $peer_records" "RSS $records"
printf '%-6s %10s %12s %14s %14s\n' "CSV" "$(size "$csv_big")" "$(field "$ours_csv_big" recordsPerSecond)" "$(field "$ours_csv_small" peakRSSMegabytes) MB" "$(field "$ours_csv_big" peakRSSMegabytes) MB"
printf '%-6s %10s %12s %14s %14s\n' "XML" "$(size "$xml_big")" "$(field "$ours_xml_big" recordsPerSecond)" "$(field "$ours_xml_small" peakRSSMegabytes) MB" "$(field "$ours_xml_big" peakRSSMegabytes) MB"
printf '%-6s %10s %12s %14s %14s\n' "vCard" "$(size "$vcf_big")" "$(field "$ours_vcf_big" recordsPerSecond)" "$(field "$ours_vcf_small" peakRSSMegabytes) MB" "$(field "$ours_vcf_big" peakRSSMegabytes) MB"

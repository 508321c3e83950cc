#!/usr/bin/env bash
# hatif-import validate with a two-field mapping (e-mail and first name) on a CSV, a vCard and an XML file of
# RECORDS records of the same people (`hatif-import sample`), each against the peer a user would reach for,
# measured in the same run on the same file: Python's csv.reader, the minimal Python vCard parser and lxml
# (Benchmarks/peers.py). Prints records/s of both (median of RUNS runs each), the ratio, the target of #20
# and our peak RSS.
#
#   Benchmarks/validate-formats.sh [RECORDS]      (default 1000000; RUNS=3)
#   HATIF=path/to/hatif-import (default the release build in SCRATCH, default .build)
set -euo pipefail
records=${1:-1000000}
runs=${RUNS:-3}
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
work=${WORK:-/tmp/hatif-validate-formats}
mkdir -p "$work"
# shellcheck source=bench-lib.sh
. "$here/bench-lib.sh"
hatif=$(hatif_binary)
python3 -c 'import lxml' 2>/dev/null || python3 -m pip install --quiet lxml >&2

make_file() { # format dialect
  local file="$work/people-$records.$1"
  [ -s "$file" ] || "$hatif" sample --format "$1" --count "$records" --dialect "$2" --seed 1 -o "$file" >&2
  echo "$file"
}
csv=$(make_file csv google)
vcf=$(make_file vcf plain)
xml=$(make_file xml plain)
mapping() { # format email-source first-name-source
  printf 'version: 1\nregion: SA\nfields:\n  - {source: "%s", target: Email}\n  - {source: "%s", target: FirstName}\n' "$2" "$3" \
    >"$work/mapping-$1.yml"
}
mapping csv "E-mail 1 - Value" "First Name"
mapping vcf EMAIL N.given
mapping xml email firstName

echo "Running ($runs runs a side)…" >&2
printf '%-7s %12s %14s %14s %8s %8s %9s  %s\n' format records "ours rec/s" "peer rec/s" ratio target "our RSS" "peer"
line() { # format file peer-args… (target and peer name from the table below)
  local format=$1 file=$2 target=$3 name=$4; shift 4
  local mine peer
  mine=$(median validate_run "$file" "$work/mapping-$format.yml" "$work/rejects-$format.csv")
  peer=$(median python3 "$here/peers.py" "$@")
  python3 - "$format" "$mine" "$peer" "$target" "$name" <<'PY'
import json, sys
format, mine, peer, target, name = sys.argv[1], json.loads(sys.argv[2]), json.loads(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
ours, theirs = mine["recordsPerSecond"], peer["recordsPerSecond"]
print(f"{format:<7} {mine['records']:>12,} {ours:>14,.0f} {theirs:>14,.0f} {ours / theirs:>7.1f}x {target:>8,} {mine['rssMB']:>6.0f} MB  {name}"
      f" ({mine['valid']:,} valid, {mine['rejected']:,} rejected)")
PY
}
{
  line csv "$csv" 1000000 "csv.reader" csv "$csv"
  line vcf "$vcf" 500000 "minimal vCard parser" minimal "$vcf"
  line xml "$xml" 250000 "lxml iterparse" xml "$xml" contact
} | tee "$work/table.txt"
# The three files hold the same people: their counts must agree. A reader that reads some record wrong
# shows here first (a vCard line read from a moved window cost 14 valid records of a million).
counts=$(grep -o '([0-9,]* valid, [0-9,]* rejected)' "$work/table.txt" | sort -u | wc -l)
if [ "$counts" -ne 1 ]; then
  echo "The formats disagree on valid and rejected records: a reader read some record wrong." >&2
  exit 1
fi

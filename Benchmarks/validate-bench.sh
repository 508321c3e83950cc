#!/usr/bin/env bash
# hatif-import validate against the script a Python user would write (Benchmarks/validate-shape.py check:
# csv.reader + phonenumbers + e-mail and date checks), in the same run, on a CSV of RECORDS records of
# 16 columns with two phone columns in mixed international forms, a birthday and an e-mail
# (Benchmarks/validate-shape.py generate). Prints both records/s (ours: median of 3), the ratio, the
# counts, and our peak RSS.
#
#   Benchmarks/validate-bench.sh [RECORDS]      (default 300000; needs `pip install phonenumbers`)
#   HATIF=path/to/hatif-import (default the release build in SCRATCH, default .build)
set -euo pipefail
records=${1:-300000}
runs=3
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
work=${WORK:-/tmp/hatif-validate-bench}
mkdir -p "$work"
. "$here/bench-lib.sh"
hatif=$(hatif_binary)
input="$work/shape-$records.csv"
[ -s "$input" ] || python3 "$here/validate-shape.py" generate "$records" "$input"

echo "hatif-import validate, $runs runs…" >&2
result=$(median validate_run "$input" "$here/validate-mapping.yml" "$work/rejects.csv")
echo "The Python script…" >&2
python=$(python3 "$here/validate-shape.py" check "$input" SA)
python3 - "$result" "$python" "$records" <<'PY'
import json, sys
ours, peer, records = json.loads(sys.argv[1]), json.loads(sys.argv[2]), int(sys.argv[3])
peer_rate = peer["records"] / peer["seconds"]
print(f"hatif-import validate   {ours['recordsPerSecond']:,.0f} records/s ({ours['wall']:.2f} s; {ours['valid']:,} valid, {ours['rejected']:,} rejected; peak RSS {ours['rssMB']:.1f} MB)")
print(f"Python (phonenumbers)   {peer_rate:,.0f} records/s ({peer['seconds']:.2f} s; {peer['valid']:,} valid, {peer['rejected']:,} rejected by its simpler rules)")
print(f"ratio                   {ours['recordsPerSecond'] / peer_rate:.2f}× (target ≥ 10× and ≥ 60,000 records/s)")
PY

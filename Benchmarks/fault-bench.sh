#!/usr/bin/env bash
# The cost of sporadic faults: imports RECORDS `sample` contacts twice into sandboxes served on a port,
# one without faults and one answering ERROR503 of the requests with 503 (Retry-After: 1) and dropping
# DROP of the connections after the write, both at --max-rps RATE, and prints the two wall times and their
# ratio (target ≤ 1.3), with the requests each run needed.
#
#   Benchmarks/fault-bench.sh [RECORDS]      (default 2000; RATE=20 ERROR503=0.05 DROP=0.01;
#                                            HATIF=path/to/hatif-import, default the release build)
set -euo pipefail
records=${1:-2000}
rate=${RATE:-20}
error503=${ERROR503:-0.05}
drop=${DROP:-0.01}
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
work=${WORK:-/tmp/hatif-fault-bench}
rm -rf "$work/run" && mkdir -p "$work/run"
. "$here/bench-lib.sh"
hatif=${HATIF:-$root/.build/release/hatif-import}
if [ -z "${HATIF:-}" ]; then
  echo "Building the release binary…" >&2
  swift build -c release --package-path "$root" --product hatif-import 2>&1 | grep -E "error|Build" | tail -2 >&2
fi
input="$work/contacts-$records.csv"
[ -s "$input" ] || "$hatif" sample --format csv --count "$records" --dialect google --seed 1 -o "$input"

run() { # name, sandbox fault flags…
  local name=$1; shift
  "$hatif" sandbox --port 0 --rate-limit 0 --seed 7 "$@" >"$work/run/$name.sandbox.log" 2>&1 &
  local sandbox=$!
  local url
  url=$(sandbox_url "$work/run/$name.sandbox.log")
  HATIF_API_URL=$url HATIF_CLIENT_ID=sandbox HATIF_CLIENT_SECRET=sandbox-secret \
    "$hatif" import "$input" --mapping "$here/import-mapping.yml" --report "$work/run/$name" --state "$work/run/$name.state.sqlite" \
    --max-rps "$rate" --dedup search --output json >"$work/run/$name.json" 2>"$work/run/$name.err" || true
  curl -s "$url/_sandbox/stats" >"$work/run/$name.stats"
  kill $sandbox 2>/dev/null || true
  wait $sandbox 2>/dev/null || true
}

echo "Importing $records contacts at --max-rps $rate without faults…" >&2
run clean
echo "… and with ${error503} 503s and ${drop} dropped connections…" >&2
run faults --error-503-rate "$error503" --drop-rate "$drop"

python3 - "$work/run" "$records" "$rate" <<'PY'
import json, sys
folder, records, rate = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
def summary(name): return json.load(open(f"{folder}/{name}.json"))
def stats(name):
    try: return json.load(open(f"{folder}/{name}.stats"))
    except ValueError: return {}
clean, faults = summary("clean"), summary("faults")
for name, run in (("without faults", clean), ("with faults", faults)):
    ops = stats("clean" if run is clean else "faults")
    injected = sum(n for statuses in ops.get("Operations", {}).values() for s, n in statuses.items() if s == "503")
    dropped = sum(ops.get("Dropped", {}).values())
    print(f"{name:16} {run['wallSeconds']:7.1f} s  {run['requestsTotal']:,} requests  exit {run['exitCode']}  "
          f"created {run['outcomes']['created']:,}  failed {run['outcomes']['failed']}  (503s {injected}, dropped {dropped})")
print(f"ratio            {faults['wallSeconds'] / clean['wallSeconds']:.2f} × (target ≤ 1.3)")
PY

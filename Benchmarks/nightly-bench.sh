#!/usr/bin/env bash
# The nightly benchmark: a RECORDS-record export imported once, then the next night's export (1% of the
# records changed, 0.5% added; Benchmarks/nightly-change.py) imported with --incremental against the
# sandbox at 20 ms latency and 200 req/s, for each run-state backend. Prints, per backend:
#   - the requests the incremental run sent beside what its changed and added records need
#     (one Update Contact per changed record, bulk files of 500 for the added ones, and lookups for both
#     in batches of 500 per match key), and the searches an unchanged record caused (must be none);
#   - its wall time beside read-and-map time (`validate` of the same file) + 1.15 × the API bound of
#     those requests: max(requests ÷ rate, latency × requests ÷ concurrency);
#   - the state's size per record after both runs (SQLite file; PostgreSQL database minus an empty one).
#
#   Benchmarks/nightly-bench.sh [RECORDS] [BACKENDS]     (default 1000000 "sqlite postgres")
# SCRATCH names the release build folder (default .build-release); HATIF a binary to use instead.
set -euo pipefail
records=${1:-1000000}
backends=${2:-sqlite postgres}
latency_ms=20
rate=200
concurrency=4
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
work=${WORK:-/tmp/hatif-nightly-bench}
mkdir -p "$work"
. "$here/bench-lib.sh"
scratch=${SCRATCH:-$root/.build-release}
if [ -z "${HATIF:-}" ]; then
  echo "Building the release binary…" >&2
  swift build -c release --package-path "$root" --scratch-path "$scratch" --product hatif-import 2>&1 | grep -E "error|Build" | tail -2 >&2
fi
hatif=${HATIF:-$scratch/release/hatif-import}
mapping="$here/nightly-mapping.yml"
input="$work/export-$records.csv"
next="$work/export-$records-next.csv"
[ -s "$input" ] || "$hatif" sample --format csv --count "$records" --dialect google --seed 1 -o "$input"
python3 "$here/nightly-change.py" "$input" "$next" >"$work/change.json"
echo "Next night's export: $(cat "$work/change.json")" >&2

echo "Measuring read + map time (validate of the next export)…" >&2
/usr/bin/time -f '{"wall":%e}' -o "$work/readmap.time" "$hatif" validate "$next" --mapping "$mapping" --rejects "$work/validate-rejects.csv" >/dev/null 2>&1 || true

"$hatif" sandbox --port 0 >"$work/sandbox.log" 2>&1 &
sandbox=$!
pg=""
cleanup() { kill $sandbox 2>/dev/null || true; [ -z "$pg" ] || "$root/scripts/test-postgres.sh" stop "$pg"; }
trap cleanup EXIT
url=$(sandbox_url "$work/sandbox.log")
export HATIF_API_URL=$url HATIF_CLIENT_ID=sandbox HATIF_CLIENT_SECRET=sandbox-secret

faults() { # latency-ms rate (0: none)
  curl -sf "$url/_sandbox/faults" | python3 -c "
import json, sys
f = json.load(sys.stdin); f['latencyMilliseconds'] = $1; f['rateLimit'] = ($2 or None); f['burst'] = max($2, 1)
print(json.dumps(f))" | curl -sf -X PUT "$url/_sandbox/faults" -H 'Content-Type: application/json' --data-binary @- >/dev/null
}

for backend in $backends; do
  out="$work/$backend"
  rm -rf "$out" && mkdir -p "$out"
  case $backend in
  sqlite) state="$out/state.sqlite" ;;
  postgres)
    pg=$(mktemp -d /tmp/hatif-pg.XXXXXX)
    base=$("$root/scripts/test-postgres.sh" start "$pg")
    psql -q "$base" -c "CREATE DATABASE nightly" -c "CREATE DATABASE empty"
    state="${base%/*}/nightly"
    ;;
  esac
  curl -sf -X POST "$url/_sandbox/reset" >/dev/null
  faults 0 0
  echo "[$backend] first import of $records records (no latency, no limit)…" >&2
  /usr/bin/time -f '{"wall":%e}' -o "$out/first.time" "$hatif" import "$input" --mapping "$mapping" --report "$out/first" \
    --state "$state" --source crm-nightly --concurrency 8 --max-rps 0 --dedup search --progress-every 60 >"$out/first.out" 2>"$out/first.err" || true
  tail -2 "$out/first.out" >&2
  faults "$latency_ms" "$rate"
  curl -sf -X DELETE "$url/_sandbox/stats" >/dev/null
  echo "[$backend] next night, --incremental (${latency_ms} ms, ${rate} req/s, concurrency $concurrency)…" >&2
  /usr/bin/time -f '{"wall":%e,"user":%U,"system":%S,"rssKB":%M}' -o "$out/second.time" "$hatif" import "$next" --mapping "$mapping" \
    --report "$out/second" --state "$state" --source crm-nightly --incremental --concurrency "$concurrency" --max-rps "$rate" \
    --progress-every 60 >"$out/second.out" 2>"$out/second.err" || true
  tail -2 "$out/second.out" >&2
  curl -sf "$url/_sandbox/stats" >"$out/second.stats"
  case $backend in
  sqlite)
    sqlite3 "$state" "PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null
    stat -c %s "$state" >"$out/state.bytes"
    ;;
  postgres)
    psql -qtA "$base" -c "VACUUM" >/dev/null
    psql -qtA "${base%/*}/nightly" -c "VACUUM" >/dev/null
    psql -qtA "$base" -c "SELECT pg_database_size('nightly') - pg_database_size('empty')" >"$out/state.bytes"
    "$root/scripts/test-postgres.sh" stop "$pg"
    pg=""
    ;;
  esac
  python3 - "$work" "$out" "$records" "$latency_ms" "$rate" "$concurrency" "$backend" <<'PY'
import json, math, sys
work, out, records, latency, rate, concurrency, backend = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]) / 1000, float(sys.argv[5]), int(sys.argv[6]), sys.argv[7]
change = json.load(open(f"{work}/change.json"))
readmap = json.loads(open(f"{work}/readmap.time").read().strip().splitlines()[-1])["wall"]
second = json.loads(open(f"{out}/second.time").read().strip().splitlines()[-1])
summary = json.load(open(f"{out}/second/summary.json"))
ops = json.load(open(f"{out}/second.stats")).get("Operations", {})
def count(op): return sum(ops.get(op, {}).values())
sent = sum(sum(statuses.values()) for statuses in ops.values()) + 1  # + the token call
touched = change["changed"] + change["added"]
needed = summary["update"] + math.ceil(summary["create"] / 500) + 2 * math.ceil(touched / 500) + 2  # + token, property listing
bound = max(sent / rate, latency * sent / concurrency)
looked_up = summary["records"] - summary["unchanged"] + summary["update"]
notes = sum(1 for line in open(f"{out}/second/results.jsonl") if "--incremental" in line)
state = int(open(f"{out}/state.bytes").read().strip())
print(f"[{backend}] {records:,} records; next night {change['changed']:,} changed, {change['added']:,} added")
print(f"[{backend}] incremental run: {summary['unchanged']:,} unchanged ({notes:,} settled by the source index), {summary['update']:,} updated, {summary['create']:,} created, {summary['reject']:,} rejected, {summary['merged']:,} merged")
print(f"[{backend}] requests {sent:,} (search {count('searchContacts')}, bulk {count('createBulkContactsVCards')}, update {count('updateContact'):,}, get {count('getContacts')}); "
      f"needed by the changed and added records {needed:,}: {sent / needed:.3f} × (target ≤ 1.05)")
print(f"[{backend}] wall {second['wall']:.1f} s; read + map {readmap:.1f} s + 1.15 × API bound {bound:.1f} s = {readmap + 1.15 * bound:.1f} s "
      f"(ratio {second['wall'] / (readmap + 1.15 * bound):.3f}, target ≤ 1); client CPU {second['user'] + second['system']:.1f} s, peak RSS {second['rssKB'] / 1024:.0f} MB")
print(f"[{backend}] state after both runs: {state / 1e6:.1f} MB = {state / records:.0f} bytes per record (target ≤ 300)")
PY
done

#!/usr/bin/env bash
# Plans and reports at migration scale. Makes a 1,000,000-record Google-style export (`sample`), a
# workspace that already holds about 70% of its people (Benchmarks/report-workspace.py), and dry-runs the
# import against the sandbox served on a port. Then measures:
#   - the dry run's wall time, peak RSS and sizing line, and the size of report.html, plan.csv's parts and plan.jsonl;
#   - report.html's first render in headless Chromium (the page's own `data-ready-ms`: from navigation to the
#     first page of rows drawn), median of 3, and a screenshot;
#   - `report serve`: the index build, a search for a record in the last part of the plan and paging deep into
#     the updates (curl's total time, median of 5, and the server's own time), and screenshots of both.
#
#   Benchmarks/report-scale.sh [RECORDS]      (default 1000000; about 10 minutes)
#   HATIF=path/to/hatif-import (default the release build in SCRATCH, default .build)
set -euo pipefail
records=${1:-1000000}
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
work=${WORK:-/tmp/hatif-report-scale}
mkdir -p "$work" && rm -rf "$work/empty" "$work/plan" "$work"/*.png
scratch=${SCRATCH:-$root/.build}
if [ -z "${HATIF:-}" ]; then
  echo "Building the release binary…" >&2
  swift build -c release --package-path "$root" --scratch-path "$scratch" --product hatif-import 2>&1 | grep -E "error|Build" | tail -2 >&2
fi
hatif=${HATIF:-$scratch/release/hatif-import}
chromium=${CHROMIUM:-chromium}
command -v "$chromium" >/dev/null || { echo "needs Chromium (apt-get install chromium)" >&2; exit 2; }
browse() { "$chromium" --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1400,1100 "$@" 2>/dev/null; }
. "$here/bench-lib.sh"
middle() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }  # the median of numbers, one a line

input="$work/contacts-$records.csv"
[ -s "$input" ] || "$hatif" sample --format csv --count "$records" --dialect google --seed 1 -o "$input"

"$hatif" sandbox --port 0 --rate-limit 0 >"$work/sandbox.log" 2>&1 &
sandbox=$!
server=
trap 'kill $sandbox $server 2>/dev/null || true' EXIT
url=$(sandbox_url "$work/sandbox.log")
dry_run() { # report-folder
  HATIF_API_URL=$url HATIF_CLIENT_ID=sandbox HATIF_CLIENT_SECRET=sandbox-secret \
    /usr/bin/time -f '{"wall":%e,"user":%U,"system":%S,"rssKB":%M}' -o "$1.time" \
    "$hatif" import "$input" --mapping "$here/import-mapping.yml" --dry-run --report "$1" --max-rps 20 --output json >"$1.json" 2>"$1.err" || true
}
echo "Planning against an empty workspace…" >&2
dry_run "$work/empty"
python3 "$here/report-workspace.py" "$work/empty/plan.jsonl" "$work/workspace.json"
curl -sf -X POST "$url/_sandbox/load" -H 'Content-Type: application/json' --data-binary @"$work/workspace.json" >/dev/null
echo "Planning against the workspace that holds most of them…" >&2
dry_run "$work/plan"

echo "Rendering report.html in headless Chromium…" >&2
for _ in 1 2 3; do
  browse --dump-dom "file://$work/plan/report.html" | grep -o 'data-ready-ms="[0-9]*"' | grep -o '[0-9]*'
done | middle >"$work/render.ms"
browse --screenshot="$work/report-html.png" "file://$work/plan/report.html" >/dev/null

echo "Serving the plan…" >&2
"$hatif" report serve "$work/plan" --port 0 >"$work/serve.out" 2>"$work/serve.err" &
server=$!
for _ in $(seq 1200); do grep -q "Serving" "$work/serve.out" && break; sleep 0.1; done
serve=$(grep -o 'http://127.0.0.1:[0-9]*' "$work/serve.out" | head -1)
# The last record of the plan that has an e-mail: a search for it must scan the whole index.
needle=$(tail -n 2000 "$work/plan/plan.jsonl" | grep -o '"field":"Email","old":[^,]*,"new":"[^"]*"' | tail -1 | sed 's/.*"new":"\([^"]*\)"/\1/')
timed() { for _ in 1 2 3 4 5; do curl -s -o /dev/null -w '%{time_total}\n' "$1"; done | middle; }
search_s=$(timed "$serve/api/records?q=$needle")
curl -s "$serve/api/records?q=$needle" >"$work/search.json"
pages=$(python3 -c "import json; print(json.load(open('$work/plan/report-index/index.json'))['counts'].get('update', 0) // 100)")
deep=$((pages * 9 / 10))
page_s=$(timed "$serve/api/records?kind=update&page=$deep")
all_s=$(timed "$serve/api/records?page=9990")
browse --virtual-time-budget=10000 --screenshot="$work/serve-search.png" "$serve/?q=$needle" >/dev/null
browse --virtual-time-budget=10000 --screenshot="$work/serve-page.png" "$serve/?kind=update&page=$((deep + 1))" >/dev/null

python3 - "$work" "$needle" "$search_s" "$page_s" "$all_s" "$deep" <<'PY'
import json, os, sys
work, needle, search_s, page_s, all_s, deep = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5]), int(sys.argv[6])
plan = json.load(open(f"{work}/plan/summary.json"))
timing = json.loads(open(f"{work}/plan.time").read().strip().splitlines()[-1])
line = json.loads(open(f"{work}/plan.json").read())
mb = lambda path: os.path.getsize(path) / 1e6
parts = sorted(n for n in os.listdir(f"{work}/plan") if n.startswith("plan") and n.endswith(".csv"))
found = json.load(open(f"{work}/search.json"))
index_line = [l for l in open(f"{work}/serve.err") if l.startswith("Indexed")]
changed = plan["create"] + plan["update"]
print(f"plan                     {plan['records']:,} records: {plan['create']:,} create, {plan['update']:,} update ({changed / plan['records']:.1%} together), {plan['unchanged']:,} unchanged, {plan['reject']:,} reject, {plan['merged']:,} merged")
print(f"dry run                  {timing['wall']:.1f} s wall, {timing['user'] + timing['system']:.1f} s CPU, peak RSS {timing['rssKB'] / 1024:.1f} MB")
requests = [l.strip() for l in open(f"{work}/plan.err") if l.startswith("Requests:")]
print(f"sizing                   {requests[0] if requests else '?'}")
print(f"report.html              {mb(work + '/plan/report.html'):.1f} MB (target ≤ 60 MB); first render {int(open(work + '/render.ms').read())} ms in headless Chromium (target ≤ 2000)")
print(f"plan.csv                 {len(parts)} parts: " + ", ".join(f"{n} {mb(work + '/plan/' + n):.0f} MB" for n in parts) + f"; plan.jsonl {mb(work + '/plan/plan.jsonl'):.0f} MB")
print(f"report serve index       {index_line[0].strip() if index_line else '?'}")
print(f"search (last record)     {search_s * 1000:.0f} ms by curl, {found['milliseconds']} ms in the server; {found['total']} found for {needle} (target ≤ 1000 ms)")
print(f"page {deep + 1} of the updates  {page_s * 1000:.0f} ms by curl (target ≤ 200 ms); page 9,991 of all: {all_s * 1000:.0f} ms")
PY
echo "Screenshots: $work/report-html.png $work/serve-search.png $work/serve-page.png" >&2

#!/usr/bin/env bash
# The crash-and-resume chaos test. Serves the sandbox on a port with 5% 503s, 2% 429s, 1% connections
# dropped after the write and 50 ± 30 ms latency; imports RECORDS contacts (with properties, 10% already
# in the workspace with other values, 2% in-file duplicates); kills the importer with SIGKILL after
# seeded random delays KILLS times, resuming each time, then lets it finish; and compares the sandbox's
# export with the end state scripts/chaos.py computes from the input alone.
#
#   scripts/chaos-test.sh [RECORDS] [KILLS] [SEED]     (default 5000 10 1: the version make test runs)
#   scripts/chaos-test.sh 100000 50                    (the long one)
#
# HATIF (default .build/debug/hatif-import) picks the binary; STATE (default an SQLite file in the work
# folder; a postgres:// URL for PostgreSQL) the run state; KILL_MIN and KILL_MAX (default 0.4 and 3.0)
# bound the seconds before each kill; RUN_TIME_LIMIT (default 1800) the seconds a run after the kills may
# take. Exits 1 when any contact is duplicated, missing or holds a wrong value, or a run hangs.
set -euo pipefail
records=${1:-5000}
kills=${2:-10}
seed=${3:-1}
root=$(cd "$(dirname "$0")/.." && pwd)
hatif=${HATIF:-$root/.build/debug/hatif-import}
work=${WORK:-$(mktemp -d /tmp/hatif-chaos.XXXXXX)}
mkdir -p "$work"
start=$(date +%s.%N)

python3 "$root/scripts/chaos.py" generate "$records" "$seed" "$work/input.csv" "$work/workspace.json"
cat >"$work/mapping.yml" <<'EOF'
region: SA
fields:
  - {source: first, target: FirstName}
  - {source: last, target: LastName}
  - {source: phone, target: PhoneNumber}
  - {source: email, target: Email}
  - {source: tier, target: "property:tier"}
  - {source: city, target: "property:city"}
properties:
  tier: {type: SingleSelect, options: [Gold, Silver, Bronze]}
  city: {type: Text}
EOF

"$hatif" sandbox --port 0 --seed "$seed" --rate-limit 0 --latency-ms 50 --jitter-ms 30 \
  --error-503-rate 0.05 --error-429-rate 0.02 --drop-rate 0.01 >"$work/sandbox.log" 2>&1 &
sandbox=$!
trap 'kill $sandbox 2>/dev/null || true' EXIT
for _ in $(seq 200); do grep -q "listening on" "$work/sandbox.log" && break; sleep 0.05; done
url=$(grep -o 'http://127.0.0.1:[0-9]*' "$work/sandbox.log" | head -1)
curl -sf -X POST "$url/_sandbox/load" -H 'Content-Type: application/json' --data-binary @"$work/workspace.json" >/dev/null

export HATIF_API_URL=$url HATIF_CLIENT_ID=sandbox HATIF_CLIENT_SECRET=sandbox-secret
run() { # [a command to run the import under, e.g. timeout]
  "$@" "$hatif" import "$work/input.csv" --mapping "$work/mapping.yml" --report "$work/report" \
    --state "${STATE:-$work/state.sqlite}" --concurrency 8 --max-rps 0 --batch-size 100 --progress-every 5 \
    >>"$work/import.out" 2>>"$work/import.err"
}

read -r -a delays <<<"$(python3 "$root/scripts/chaos.py" delays "$seed" "$kills" "${KILL_MIN:-0.4}" "${KILL_MAX:-3.0}")"
killed=0
runs=0
finished=no
for delay in "${delays[@]}"; do
  runs=$((runs + 1))
  run &
  importer=$!
  sleep "$delay"
  if kill -0 "$importer" 2>/dev/null; then
    pkill -KILL -P "$importer" 2>/dev/null || true
    kill -KILL "$importer" 2>/dev/null || true
    wait "$importer" 2>/dev/null || true
    killed=$((killed + 1))
    echo "run $runs: killed after ${delay}s" >&2
  else
    wait "$importer" && code=0 || code=$?
    echo "run $runs: ended by itself with code $code before the kill" >&2
    if [ "$code" -le 1 ]; then finished=yes; break; fi
  fi
done
# A last run that hangs fails the test (code 124, from timeout) instead of holding CI.
until [ "$finished" = yes ]; do
  runs=$((runs + 1))
  run timeout --kill-after=10 "${RUN_TIME_LIMIT:-1800}" && code=0 || code=$?
  echo "run $runs: ended with code $code" >&2
  if [ "$code" -le 1 ]; then finished=yes; elif [ "$code" -ne 5 ] && [ "$code" -ne 3 ]; then
    echo "the importer failed with code $code; see $work/import.err" >&2
    exit 1
  fi
done

curl -sf "$url/_sandbox/export" >"$work/export.json"
curl -sf "$url/_sandbox/stats" >"$work/stats.json"
end=$(date +%s.%N)
result=0
python3 "$root/scripts/chaos.py" check "$work/input.csv" "$work/workspace.json" "$work/export.json" || result=1
python3 - "$work/stats.json" "$records" "$killed" "$runs" "$start" "$end" <<'PY'
import json, sys
stats = json.load(open(sys.argv[1]))
ops = stats.get("Operations", {})
count = lambda status: sum(n for statuses in ops.values() for s, n in statuses.items() if s == status)
dropped = sum(stats.get("Dropped", {}).values())
print(f"records {int(sys.argv[2])}, kills {sys.argv[3]}, resumes {int(sys.argv[4]) - 1}, wall {float(sys.argv[6]) - float(sys.argv[5]):.0f} s; "
      f"injected: {count('503')} × 503, {count('429')} × 429, {dropped} dropped connections")
PY
lines=$(wc -l <"$work/report/results.jsonl")
echo "run state: ${STATE:-$work/state.sqlite}" | sed -E 's#(://[^:/@]*:)[^@]*@#\1•••@#'
echo "results.jsonl: $lines lines for $(($(wc -l <"$work/input.csv") - 1)) records; work folder $work"
[ "$lines" -eq $(($(wc -l <"$work/input.csv") - 1)) ] || { echo "results.jsonl does not list each record once" >&2; result=1; }
exit $result

# Shell helpers the comparison scripts share (sourced, not run).

# median command… → the run with the median records/s of $runs runs, as JSON
median() {
  local results=()
  for _ in $(seq "$runs"); do results+=("$("$@")"); done
  printf '%s\n' "${results[@]}" | python3 -c '
import json, sys
runs = sorted((json.loads(line) for line in sys.stdin if line.strip()), key=lambda run: run["recordsPerSecond"])
print(json.dumps(runs[len(runs) // 2]))'
}

# field JSON NAME → the member NAME of the JSON object
field() { python3 -c "import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])" "$1" "$2"; }

# sandbox_url LOG → waits (up to 10 s) until the sandbox writing LOG listens, and prints its URL
sandbox_url() {
  for _ in $(seq 100); do grep -q "listening on" "$1" && break; sleep 0.1; done
  grep -o 'http://127.0.0.1:[0-9]*' "$1" | head -1
}

# hatif_binary → the release hatif-import: $HATIF when set, else built in $SCRATCH (default $root/.build,
# $root the package) and printed
hatif_binary() {
  local scratch=${SCRATCH:-$root/.build}
  if [ -z "${HATIF:-}" ]; then
    echo "Building the release binary…" >&2
    swift build -c release --package-path "$root" --scratch-path "$scratch" --product hatif-import 2>&1 | grep -E "error|Build" | tail -2 >&2
  fi
  echo "${HATIF:-$scratch/release/hatif-import}"
}

# validate_run FILE MAPPING REJECTS → one timed `$hatif validate` (in $work) as JSON: recordsPerSecond, wall,
# records, valid, rejected (unreadable included), rssMB
validate_run() {
  /usr/bin/time -f '%e %M' -o "$work/time" "$hatif" validate "$1" --mapping "$2" --rejects "$3" --json \
    >"$work/summary.json" || true
  python3 - "$work" <<'PY'
import json, sys
work = sys.argv[1]
wall, rss = open(f"{work}/time").read().split()[-2:]
summary = json.load(open(f"{work}/summary.json"))
print(json.dumps({"recordsPerSecond": summary["records"] / float(wall), "wall": float(wall), "records": summary["records"],
                  "valid": summary["valid"], "rejected": summary["rejected"] + summary["unreadable"], "rssMB": int(rss) / 1024}))
PY
}

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

# paired A… -- B… → A and B run in turn $runs times (A, B, A, B, …), each printing one JSON object with
# recordsPerSecond; prints A's median run, B's median run and their ratio, the median of each pair's
# A/B, as one JSON object {"a":…,"b":…,"ratio":…}. A pair is measured within seconds, so a slow minute
# of the machine slows both of its sides, where medians of separate series can catch it on one side only.
paired() {
  local a=() b=()
  while [ "$1" != "--" ]; do a+=("$1"); shift; done
  shift
  local results=()
  for _ in $(seq "$runs"); do results+=("$("${a[@]}")" "$("$@")"); done
  printf '%s\n' "${results[@]}" | python3 -c '
import json, statistics, sys
runs = [json.loads(line) for line in sys.stdin if line.strip()]
a, b = runs[0::2], runs[1::2]
middle = lambda side: sorted(side, key=lambda run: run["recordsPerSecond"])[len(side) // 2]
ratio = statistics.median(x["recordsPerSecond"] / y["recordsPerSecond"] for x, y in zip(a, b))
print(json.dumps({"a": middle(a), "b": middle(b), "ratio": ratio}))'
}

# field JSON NAME → the member NAME of the JSON object (an object or a list as JSON)
field() {
  python3 -c "import json,sys; v = json.loads(sys.argv[1])[sys.argv[2]]; print(json.dumps(v) if isinstance(v, (dict, list)) else v)" "$1" "$2"
}

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

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

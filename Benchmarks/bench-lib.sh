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

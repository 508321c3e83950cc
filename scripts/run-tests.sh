#!/usr/bin/env bash
# Runs the built tests (`swift test --skip-build` and any arguments given) with a time limit, so a hung
# test fails the run with its name instead of holding CI until CI's own limit. On time-out it stops the
# tests (SIGTERM, SIGKILL 10 s later) and lists every test that started and never finished.
#
#   scripts/run-tests.sh [swift test arguments]
#
# TEST_TIME_LIMIT (default 2400 seconds; the suite takes about 10 minutes on 2 cores) sets the limit;
# SWIFT (default swift) the toolchain. Exits with the tests' status, or 124 on time-out.
set -uo pipefail
limit=${TEST_TIME_LIMIT:-2400}
swift=${SWIFT:-swift}
log=$(mktemp /tmp/hatif-tests.XXXXXX)
trap 'rm -f "$log" "$log.timed-out" "$log".stacks.*' EXIT

# The processes of session $1, read from /proc (procps' pkill is not on every machine).
session_pids() {
    local stat line fields
    for stat in /proc/[0-9]*/stat; do
        read -r line < "$stat" 2> /dev/null || continue
        # pid (comm) state ppid pgrp session …: the fields after the command name, which may hold spaces.
        read -r -a fields <<< "${line##*) }"
        [ "${fields[3]:-}" = "$1" ] && echo "${stat//[!0-9]/}"
    done
}

# Sends signal $1 to every process of session $2.
signal_session() {
    local target
    for target in $(session_pids "$2"); do kill -s "$1" "$target" 2> /dev/null; done
}

# Its own session, so that on time-out every process it started goes too: SwiftPM starts the test binary,
# and the tests start the CLI, each in a process group of its own. Line-buffered, so that the log holds
# every line printed before a stop.
setsid stdbuf -oL -eL "$swift" test --skip-build "$@" > "$log" 2>&1 &
pid=$!
tail -n +1 -f --pid="$pid" "$log" &
printer=$!
flag=$log.timed-out
# The watchdog: on time-out, SIGTERM to the session, SIGKILL to what is left 10 s later. Its output goes
# nowhere, so that nothing it leaves holds the caller's output open; stopped, it stops its sleep too.
(
    trap 'kill "$sleeper" 2> /dev/null; exit 0' TERM
    sleep "$limit" &
    sleeper=$!
    wait "$sleeper"
    : > "$flag"
    # What each thread of the test process was doing, for the log (gdb is not on every machine).
    if command -v gdb > /dev/null; then
        for target in $(session_pids "$pid"); do
            case $(readlink "/proc/$target/exe" 2> /dev/null) in
            *.xctest | *PackageTests*)
                timeout 60 gdb -p "$target" -batch -ex "thread apply all bt 40" > "$log.stacks.$target" 2>&1 ;;
            esac
        done
    fi
    signal_session TERM "$pid"
    for _ in $(seq 20); do [ -n "$(session_pids "$pid")" ] || break; sleep 0.5; done
    signal_session KILL "$pid"
) < /dev/null > /dev/null 2>&1 &
watchdog=$!
wait "$pid"
rc=$?
kill "$watchdog" 2> /dev/null
wait "$printer"
# A test's helper process left behind would outlive the run.
signal_session KILL "$pid"
timed_out=0
[ -e "$flag" ] && timed_out=1
if [ "$timed_out" -eq 1 ]; then
    echo "run-tests: the tests did not finish within $limit s; still running when stopped:"
    # Swift Testing prints `◇ Test "NAME" started.` and then `✔`/`✘ Test "NAME" …` when it ends
    # (parameterized tests and suites the same way, with `Suite`).
    python3 - "$log" <<'EOF'
import re, sys
started, ended = {}, set()
for line in open(sys.argv[1], encoding="utf-8", errors="replace"):
    m = re.match(r'^(\S+) (Test|Suite) (".*?"|\S+?\(\S*?\))(?: with \d+ test cases?)? (started|passed|failed|skipped|recorded)', line)
    if not m:
        continue
    key = (m.group(2), m.group(3))
    if m.group(4) == "started":
        started.setdefault(key, len(started))
    elif m.group(4) != "recorded":
        ended.add(key)
hung = [key for key in sorted(started, key=started.get) if key not in ended]
# Tests name the hang; their suites only when no test is left.
tests = [key for key in hung if key[0] == "Test"]
for kind, name in tests or hung:
    print(f"  {kind} {name}")
if not hung:
    print("  (none by the log: the hang is outside any test, or before the first one started)")
EOF
    for stacks in "$log".stacks.*; do
        [ -e "$stacks" ] || continue
        echo "run-tests: the threads of process ${stacks##*.} when stopped (gdb):"
        grep -E '^(Thread|#)' "$stacks" | cut -c1-240 | head -n 1200
        rm -f "$stacks"
    done
    exit 124
fi
exit "$rc"

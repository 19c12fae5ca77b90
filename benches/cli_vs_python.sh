#!/usr/bin/env bash
# Wall time of one `acs-identity token issue` process, start to exit, next to the same
# operation as a Python script on the official SDK (azure-communication-identity 1.5.0),
# against one local emulator. Both start fresh for every run: this is what a shell script
# or a CI step pays per token.
#
#   benches/cli_vs_python.sh            # RUNS=50 by default
#
# 1. builds the CLI and the emulator (release) and starts the emulator on an ephemeral port
#    (plain http);
# 2. installs the Python SDK the way the interop tests do (tests/interop/.venv, gitignored,
#    reused when present);
# 3. creates one identity with the CLI; both then issue it a `chat` token at api-version
#    2023-10-01 (the Python SDK's);
# 4. runs both with hyperfine (no shell in between, 3 warm-up runs) when it is installed,
#    else a loop timed in python;
# 5. prints a table and the ratio Python / CLI (benches/user_facing.py cold).
#
# Environment: RUNS (default 50), PYTHON (default python3), COLD_RESULTS (keep hyperfine's
# JSON there). Needs cargo and python3.
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
INTEROP="$ROOT/tests/interop"
RUNS="${RUNS:-50}"
PYTHON="${PYTHON:-python3}"
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"

echo "== building the CLI and the emulator (release)" >&2
(cd "$ROOT" && cargo build --quiet --release -p acs-identity-cli -p acs-identity-emulator)
CLI="$TARGET_DIR/release/acs-identity"
EMULATOR="$TARGET_DIR/release/acs-identity-emulator"

echo "== installing the Python SDK" >&2
if [ ! -x "$INTEROP/.venv/bin/python" ]; then
  "$PYTHON" -m venv "$INTEROP/.venv"
fi
"$INTEROP/.venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$INTEROP/python/requirements.txt"
PY="$INTEROP/.venv/bin/python"

TMP="$(mktemp -d)"
EMU_PID=""
cleanup() {
  if [ -n "$EMU_PID" ]; then
    kill "$EMU_PID" 2>/dev/null || true
    wait "$EMU_PID" 2>/dev/null || true
  fi
  rm -rf "$TMP"
}
trap cleanup EXIT

"$EMULATOR" --port 0 >"$TMP/emu.out" 2>"$TMP/emu.err" &
EMU_PID="$!"
for _ in $(seq 1 200); do
  grep -q '^RESOURCE_ID=' "$TMP/emu.out" 2>/dev/null && break
  kill -0 "$EMU_PID" 2>/dev/null || { cat "$TMP/emu.err" >&2; exit 1; }
  sleep 0.05
done
CS="$(grep '^CONNECTION_STRING=' "$TMP/emu.out" | head -n1 | cut -d= -f2-)"
[ -n "$CS" ] || { echo "the emulator did not start" >&2; exit 1; }
export COMMUNICATION_SERVICES_CONNECTION_STRING="$CS"

ID="$("$CLI" --api-version 2023-10-01 --output json user create |
  "$PY" -c 'import json, sys; print(json.load(sys.stdin)["id"])')"
export ACS_BENCH_USER_ID="$ID"

CLI_CMD="$CLI --api-version 2023-10-01 token issue $ID --scope chat"
PY_CMD="$PY $HERE/official/issue_token.py"
# Both work before they are timed.
$CLI_CMD >/dev/null
$PY_CMD >/dev/null

echo "== $(nproc) cores; $RUNS runs each" >&2
# Both ways write hyperfine's JSON (results[]: command, mean, stddev, median, min, max, times
# in seconds); benches/user_facing.py prints the table and the ratio from it.
RESULT_JSON="${COLD_RESULTS:-$TMP/cold.json}"
if command -v hyperfine >/dev/null; then
  hyperfine -N --warmup 3 --runs "$RUNS" --export-json "$RESULT_JSON" \
    -n "acs-identity token issue" "$CLI_CMD" \
    -n "Python SDK 1.5.0 script" "$PY_CMD" >&2
else
  echo "(hyperfine is not installed: timing a loop in python, which adds its own fork/exec to both)" >&2
  python3 - "$RUNS" "$RESULT_JSON" "acs-identity token issue" "$CLI_CMD" "Python SDK 1.5.0 script" "$PY_CMD" <<'PY'
import json, shlex, statistics, subprocess, sys, time
runs, out, pairs = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
results = []
for name, cmd in zip(pairs[::2], pairs[1::2]):
    argv = shlex.split(cmd)
    for _ in range(3):  # warm-up, as hyperfine --warmup 3
        subprocess.run(argv, stdout=subprocess.DEVNULL, check=True)
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(argv, stdout=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - t0)
    results.append({"command": name, "mean": statistics.mean(times),
                    "stddev": statistics.stdev(times) if runs > 1 else 0.0,
                    "median": statistics.median(times), "min": min(times), "max": max(times),
                    "times": times})
json.dump({"results": results}, open(out, "w"))
PY
fi
echo "Cold start: one process that builds a client from a connection string and prints one token, start to exit; $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'); $(date -u +%Y-%m-%d); load at the end $(cut -d' ' -f1-3 /proc/loadavg)"
echo
python3 "$HERE/user_facing.py" cold "$RESULT_JSON"

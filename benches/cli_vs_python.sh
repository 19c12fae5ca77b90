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
#    else a loop timed with `date`.
#
# Environment: RUNS (default 50), PYTHON (default python3). Needs cargo and python3.
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
if command -v hyperfine >/dev/null; then
  hyperfine -N --warmup 3 --runs "$RUNS" --export-markdown "$TMP/result.md" \
    -n "acs-identity token issue" "$CLI_CMD" \
    -n "Python SDK 1.5.0 script" "$PY_CMD" >&2
  cat "$TMP/result.md"
else
  for name in cli py; do
    if [ "$name" = cli ]; then cmd="$CLI_CMD"; else cmd="$PY_CMD"; fi
    start="$(date +%s%N)"
    for _ in $(seq 1 "$RUNS"); do $cmd >/dev/null; done
    end="$(date +%s%N)"
    echo "$name: mean $(( (end - start) / RUNS / 1000 )) us over $RUNS runs"
  done
fi

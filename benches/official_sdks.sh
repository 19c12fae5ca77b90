#!/usr/bin/env bash
# get_token throughput of acs-identity next to the official Python and JS SDKs, against
# ONE emulator, in one run, printed as one table.
#
#   benches/official_sdks.sh
#
# 1. builds the emulator (release) and starts it on an ephemeral port (plain http);
# 2. installs the official SDKs the way the interop tests do (Python
#    azure-communication-identity 1.5.0 + aiohttp into tests/interop/.venv, JS
#    @azure/communication-identity 1.3.1 into tests/interop/js/node_modules; both
#    gitignored, reused when present);
# 3. creates one identity, then runs our rows (`cargo bench --bench throughput`: the hyper
#    floor, acs-identity, and acs-identity over azure_core's reqwest transport, at
#    concurrency 1, 16 and 64) and the official rows (Python sync at 1, Python aio at 16,
#    JS at 1 and 16), each ACS_BENCH_REPEAT times (median reported);
# 4. prints one table (benches/official/table.py).
#
# Environment: ACS_BENCH_SECS (measured seconds per row, default 2), ACS_BENCH_REPEAT
# (default 3), PYTHON (default python3). Linux only (/proc). Needs cargo, python3, node/npm.
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
INTEROP="$ROOT/tests/interop"
export ACS_BENCH_SECS="${ACS_BENCH_SECS:-2}"
export ACS_BENCH_REPEAT="${ACS_BENCH_REPEAT:-3}"
PYTHON="${PYTHON:-python3}"

echo "== building the emulator (release) and the throughput bench" >&2
(cd "$ROOT" && cargo build --quiet --release -p acs-identity-emulator --bin acs-identity-emulator)
(cd "$ROOT" && cargo bench --quiet --bench throughput --no-run 2>/dev/null)
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
EMULATOR="$TARGET_DIR/release/acs-identity-emulator"

echo "== installing the official SDKs (reusing tests/interop)" >&2
if [ ! -x "$INTEROP/.venv/bin/python" ]; then
  "$PYTHON" -m venv "$INTEROP/.venv"
fi
"$INTEROP/.venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$INTEROP/python/requirements.txt"
if [ ! -d "$INTEROP/js/node_modules/@azure/communication-identity" ]; then
  (cd "$INTEROP/js" && npm ci --no-audit --no-fund --loglevel=error)
fi
PY="$INTEROP/.venv/bin/python"
export ACS_SDK_NODE_BASE="$INTEROP/js"

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
  grep -q '^CONNECTION_STRING=' "$TMP/emu.out" 2>/dev/null && break
  kill -0 "$EMU_PID" 2>/dev/null || { cat "$TMP/emu.err" >&2; exit 1; }
  sleep 0.05
done
export ACS_BENCH_CONNECTION_STRING="$(grep '^CONNECTION_STRING=' "$TMP/emu.out" | head -n1 | cut -d= -f2-)"
export ACS_BENCH_EMULATOR_PID="$EMU_PID"
ENDPOINT="$(grep '^ENDPOINT=' "$TMP/emu.out" | head -n1 | cut -d= -f2-)"
KEY="${ACS_BENCH_CONNECTION_STRING##*accesskey=}"
export ACS_BENCH_USER_ID="$("$PY" -c '
import sys
from azure.communication.identity import CommunicationIdentityClient
from azure.core.credentials import AzureKeyCredential
print(CommunicationIdentityClient(sys.argv[1], AzureKeyCredential(sys.argv[2])).create_user().properties["id"])
' "$ENDPOINT" "$KEY")"
echo "== emulator pid $EMU_PID at $ENDPOINT; identity $ACS_BENCH_USER_ID; load: $(cut -d' ' -f1-3 /proc/loadavg)" >&2

RESULTS="$TMP/results.jsonl"
echo "== acs-identity rows (cargo bench --bench throughput)" >&2
(cd "$ROOT" && ACS_BENCH_RESULTS="$RESULTS" ACS_BENCH_KINDS="${ACS_BENCH_KINDS:-floor,sdk}" \
  cargo bench --quiet --bench throughput 2>&1 >/dev/null | grep -v '^\s*$' >&2 || true)
[ -s "$RESULTS" ] || { echo "the throughput bench wrote no rows" >&2; exit 1; }

run_row() { # label, command...
  local label="$1"
  shift
  local out
  out="$("$@" | grep '^RESULT ' | head -n1 | cut -d' ' -f2-)" || true
  if [ -z "$out" ]; then
    echo "  $label: no RESULT" >&2
    return 1
  fi
  echo "$out" >>"$RESULTS"
  echo "  $label: $(echo "$out" | "$PY" -c 'import json,sys; r=json.load(sys.stdin); print("%.0f calls/s, p50 %.2f ms, rss %.0f MB, conns %d, errors %d" % (r["calls_per_s"], r["p50_ms"], r["rss_mb"], r["conns"], r["errors"]))')" >&2
}

echo "== official SDK rows" >&2
for _ in $(seq 1 "$ACS_BENCH_REPEAT"); do
  run_row "Python sync c=1" "$PY" "$HERE/official/get_token.py" sync 1
  run_row "Python aio c=16" "$PY" "$HERE/official/get_token.py" aio 16
  run_row "JS c=1" node "$HERE/official/get_token.mjs" 1
  run_row "JS c=16" node "$HERE/official/get_token.mjs" 16
done

echo
echo "get_token against one emulator on loopback: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'); loadavg at the end $(cut -d' ' -f1-3 /proc/loadavg); ${ACS_BENCH_SECS} s per row, median of ${ACS_BENCH_REPEAT}"
"$PYTHON" "$HERE/official/table.py" "$RESULTS"

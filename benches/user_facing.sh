#!/usr/bin/env bash
# The four benchmarks of what users feel (benches/README.md), in one run, printed as four
# markdown tables with the machine line:
#
#   benches/user_facing.sh                   # all four (~30 min on 2 cores, most of it builds)
#   ONLY=cpu,latency benches/user_facing.sh  # a subset: cpu, latency, cold, build
#
# 1. cpu      client CPU µs per get_token: acs-identity (default options, so its default
#             transport) and the raw hyper client of benches/throughput.rs (a bench baseline)
#             at concurrency 1 and 16, the official Python SDK (sync at 1, aio at 16) and JS
#             SDK (1 and 16), against ONE emulator on loopback, in alternating rounds.
# 2. latency  get_token p50 / p99 with the emulator started with `--latency 10ms`:
#             acs-identity beside the raw hyper client at concurrency 1 and 16, paired runs,
#             exact quantiles (ACS_BENCH_EXACT=1), a random pause of up to 1 ms before each
#             call so that the emulator's 1 ms timer ticks do not hide the client's time.
# 3. cold     benches/cli_vs_python.sh: `acs-identity token issue` process start to exit vs a
#             Python script on the official SDK.
# 4. build    benches/build_cost.sh: a new binary crate on acs-identity vs on
#             azure_security_keyvault_secrets, built from clean.
#
# Environment (defaults in brackets):
#   ONLY [cpu,latency,cold,build]
#   CPU_SECS [2] CPU_ROUNDS [3]         measured seconds per row, rounds of all cpu rows
#   LATENCY [10ms] LAT_SECS [10] LAT_REPEAT [3]   the emulator's --latency, per-row seconds, pairs
#   LAT_PAUSE_US [1000]                 random pause before each call (ACS_BENCH_PAUSE_US: why
#                                       in benches/throughput.rs); 0 for back-to-back calls
#   COLD_RUNS [30]                      runs of each process (cold)
#   BUILD_ROUNDS [1]                    alternating clean builds of each crate (build)
#   OUT [a new temporary directory]     where the raw results are kept (printed at the end)
#   PYTHON [python3]
# Needs cargo, python3, node/npm (cpu), hyperfine if installed (cold). Linux only (/proc).
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
INTEROP="$ROOT/tests/interop"
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
ONLY=",${ONLY:-cpu,latency,cold,build},"
CPU_SECS="${CPU_SECS:-2}"
CPU_ROUNDS="${CPU_ROUNDS:-3}"
LATENCY="${LATENCY:-10ms}"
LAT_SECS="${LAT_SECS:-10}"
LAT_REPEAT="${LAT_REPEAT:-3}"
LAT_PAUSE_US="${LAT_PAUSE_US:-1000}"
COLD_RUNS="${COLD_RUNS:-30}"
BUILD_ROUNDS="${BUILD_ROUNDS:-1}"
PYTHON="${PYTHON:-python3}"
OUT="${OUT:-$(mktemp -d -t acs-user-facing.XXXXXX)}"
mkdir -p "$OUT"

wants() { [[ "$ONLY" == *",$1,"* ]]; }
machine() {
  echo "$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(rustc --version), $(date -u '+%Y-%m-%d %H:%M UTC'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
}
MACHINE_START="$(machine)"
echo "== $MACHINE_START; raw results in $OUT" >&2

EMU_PID=""
stop_emulator() {
  if [ -n "$EMU_PID" ]; then
    kill "$EMU_PID" 2>/dev/null || true
    wait "$EMU_PID" 2>/dev/null || true
    EMU_PID=""
  fi
}
trap stop_emulator EXIT

# start_emulator [flags...]: the release emulator on an ephemeral loopback port (plain http);
# sets EMU_PID and exports ACS_BENCH_CONNECTION_STRING / ACS_BENCH_EMULATOR_PID.
start_emulator() {
  "$EMULATOR" --host 127.0.0.1 --port 0 "$@" >"$OUT/emu.out" 2>"$OUT/emu.err" &
  EMU_PID="$!"
  for _ in $(seq 1 200); do
    grep -q '^RESOURCE_ID=' "$OUT/emu.out" 2>/dev/null && break
    if ! kill -0 "$EMU_PID" 2>/dev/null; then
      cat "$OUT/emu.err" >&2
      EMU_PID=""
      return 1
    fi
    sleep 0.05
  done
  ACS_BENCH_CONNECTION_STRING="$(grep '^CONNECTION_STRING=' "$OUT/emu.out" | head -n1 | cut -d= -f2-)"
  [ -n "$ACS_BENCH_CONNECTION_STRING" ] || return 1
  export ACS_BENCH_CONNECTION_STRING ACS_BENCH_EMULATOR_PID="$EMU_PID"
  ACS_BENCH_USER_ID="$(ACS_BENCH_ROLE=create-user "$BENCH")"
  export ACS_BENCH_USER_ID
  echo "== emulator $* (pid $EMU_PID), identity $ACS_BENCH_USER_ID" >&2
}

# The throughput bench's executable, run directly: `--bench` makes it benchmark, and with
# ACS_BENCH_CONNECTION_STRING it uses our emulator instead of starting its own.
if wants cpu || wants latency; then
  echo "== building the emulator (release) and benches/throughput.rs" >&2
  # The same packages as benches/cli_vs_python.sh builds, so that one build serves both.
  (cd "$ROOT" && cargo build --quiet --release -p acs-identity-cli -p acs-identity-emulator)
  EMULATOR="$TARGET_DIR/release/acs-identity-emulator"
  BENCH="$(cd "$ROOT" && cargo bench --quiet --bench throughput --no-run --message-format=json |
    "$PYTHON" -c 'import json, sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m["target"]["name"] == "throughput" and m.get("executable"):
        print(m["executable"])')"
  [ -x "$BENCH" ] || { echo "benches/throughput.rs did not build" >&2; exit 1; }
fi

run_bench() { # results file; the rest of the settings come from the environment
  ACS_BENCH_RESULTS="$1" "$BENCH" --bench >>"$OUT/throughput-tables.txt" ||
    echo "  benches/throughput.rs failed (its rows are missing from the table)" >&2
}

# ---------------------------------------------------------------------------------------
# 1. Client CPU per call
if wants cpu; then
  echo "== 1. client CPU per call: installing the official SDKs (reusing tests/interop)" >&2
  if [ ! -x "$INTEROP/.venv/bin/python" ]; then
    "$PYTHON" -m venv "$INTEROP/.venv"
  fi
  "$INTEROP/.venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$INTEROP/python/requirements.txt"
  if [ ! -d "$INTEROP/js/node_modules/@azure/communication-identity" ]; then
    (cd "$INTEROP/js" && npm ci --no-audit --no-fund --loglevel=error)
  fi
  PY="$INTEROP/.venv/bin/python"
  export ACS_SDK_NODE_BASE="$INTEROP/js"
  CPU_RESULTS="$OUT/cpu.jsonl"
  : >"$CPU_RESULTS"
  official_row() { # label, command...
    local label="$1" line
    shift
    line="$(ACS_BENCH_SECS="$CPU_SECS" "$@" | grep '^RESULT ' | head -n1 | cut -d' ' -f2-)" || true
    if [ -z "$line" ]; then
      echo "  $label: no RESULT" >&2
      return 0
    fi
    echo "$line" >>"$CPU_RESULTS"
    echo "  $label: $(echo "$line" | "$PYTHON" -c 'import json,sys; r=json.load(sys.stdin); print("%.0f calls/s, %.1f µs CPU/call, errors %d" % (r["calls_per_s"], 1e6*r["client_cpu_s"]/max(r["calls"],1), r["errors"]))')" >&2
  }
  if start_emulator; then
    for round in $(seq 1 "$CPU_ROUNDS"); do
      echo "  round $round of $CPU_ROUNDS" >&2
      ACS_BENCH_KINDS=floor,sdk ACS_BENCH_CONCURRENCY=1,16 ACS_BENCH_SECS="$CPU_SECS" ACS_BENCH_REPEAT=1 \
        run_bench "$CPU_RESULTS"
      official_row "Python sync c=1" "$PY" "$HERE/official/get_token.py" sync 1
      official_row "Python aio c=16" "$PY" "$HERE/official/get_token.py" aio 16
      official_row "JS c=1" node "$HERE/official/get_token.mjs" 1
      official_row "JS c=16" node "$HERE/official/get_token.mjs" 16
    done
    {
      echo "One emulator on loopback, no added latency; $CPU_SECS s per row after 0.5 s of warm-up, $CPU_ROUNDS alternating rounds; $(machine)"
      echo
      "$PYTHON" "$HERE/user_facing.py" cpu "$CPU_RESULTS"
    } >"$OUT/1-cpu.md"
  else
    echo "not run: the emulator did not start (see $OUT/emu.err)" >"$OUT/1-cpu.md"
  fi
  stop_emulator
fi

# ---------------------------------------------------------------------------------------
# 2. Overhead at a real round trip
if wants latency; then
  echo "== 2. overhead at a real round trip: emulator --latency $LATENCY" >&2
  LAT_RESULTS="$OUT/latency.jsonl"
  : >"$LAT_RESULTS"
  if start_emulator --latency "$LATENCY"; then
    ACS_BENCH_KINDS=floor,sdk ACS_BENCH_CONCURRENCY=1,16 ACS_BENCH_SECS="$LAT_SECS" \
      ACS_BENCH_REPEAT="$LAT_REPEAT" ACS_BENCH_EXACT=1 ACS_BENCH_PAUSE_US="$LAT_PAUSE_US" \
      run_bench "$LAT_RESULTS"
    {
      echo "Emulator started with \`--latency $LATENCY\`; $LAT_SECS s per row after 0.5 s of warm-up, $LAT_REPEAT pairs (floor, acs-identity) per concurrency; each task pauses a random 0–$LAT_PAUSE_US µs before each call (unmeasured); $(machine)"
      echo
      "$PYTHON" "$HERE/user_facing.py" latency "$LAT_RESULTS"
    } >"$OUT/2-latency.md"
  else
    echo "not run: the emulator did not start with \`--latency $LATENCY\` (an emulator without that flag? see $OUT/emu.err)" >"$OUT/2-latency.md"
  fi
  stop_emulator
fi

# ---------------------------------------------------------------------------------------
# 3. Cold start
if wants cold; then
  echo "== 3. cold start: benches/cli_vs_python.sh" >&2
  if ! RUNS="$COLD_RUNS" COLD_RESULTS="$OUT/cold.json" PYTHON="$PYTHON" "$HERE/cli_vs_python.sh" >"$OUT/3-cold.md"; then
    echo "not run: benches/cli_vs_python.sh failed" >>"$OUT/3-cold.md"
  fi
fi

# ---------------------------------------------------------------------------------------
# 4. Cost to a user's build
if wants build; then
  echo "== 4. cost to a user's build: benches/build_cost.sh (ROUNDS=$BUILD_ROUNDS)" >&2
  if ! ROUNDS="$BUILD_ROUNDS" "$HERE/build_cost.sh" >"$OUT/4-build.md"; then
    echo "not run: benches/build_cost.sh failed" >>"$OUT/4-build.md"
  fi
fi

echo
echo "Machine at the start: $MACHINE_START"
echo "Machine at the end:   $(machine)"
for section in "1-cpu:1. Client CPU per call" "2-latency:2. Overhead at a real round trip" \
  "3-cold:3. Cold start" "4-build:4. Cost to a user's build"; do
  file="$OUT/${section%%:*}.md"
  [ -f "$file" ] || continue
  echo
  echo "### ${section#*:}"
  echo
  cat "$file"
done
echo
echo "(raw results: $OUT)"

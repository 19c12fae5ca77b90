#!/usr/bin/env bash
# Client instructions per get_token call, counted by callgrind: the floor (a raw
# hyper client that signs each request) and acs-identity, against the emulator
# in another process (so that the server's instructions are not counted).
#
# Each kind runs ACS_CALLGRIND_LOW (1000) and ACS_CALLGRIND_HIGH (3000) sequential
# calls under `valgrind --tool=callgrind`; (Ir(high) - Ir(low)) / (high - low) is
# the marginal cost of one call, process setup and warm-up excluded. Instruction
# counts do not depend on the machine's load.
#
#   benches/callgrind.sh                         # floor and sdk
#   ACS_BENCH_KINDS=sdk benches/callgrind.sh     # other kinds of benches/throughput.rs
#   ACS_CALLGRIND_KEEP=/tmp/cg benches/callgrind.sh   # keep callgrind.out files there
#   ACS_CALLGRIND_BIN=path/to/throughput-<hash> benches/callgrind.sh   # no cargo build
#   ACS_CALLGRIND_CONC=16 benches/callgrind.sh   # 16 workers sharing one client
#                                                # (one thread) split the calls
#
# Profile the marginal call: callgrind_annotate --inclusive=yes on the HIGH file
# minus the LOW one (callgrind_annotate --diff in valgrind >= 3.21), or just read
# the HIGH file's inclusive costs.
set -euo pipefail
cd "$(dirname "$0")/.."
low=${ACS_CALLGRIND_LOW:-1000}
high=${ACS_CALLGRIND_HIGH:-3000}
kinds=${ACS_BENCH_KINDS:-floor,sdk}
conc=${ACS_CALLGRIND_CONC:-1}

# ACS_CALLGRIND_BIN: an already built benches/throughput.rs executable.
bin=${ACS_CALLGRIND_BIN:-$(cargo bench --bench throughput --no-run --message-format=json \
    | jq -r 'select(.reason == "compiler-artifact" and .target.name == "throughput" and .executable != null) | .executable')}
tmp=$(mktemp -d)
out=${ACS_CALLGRIND_KEEP:-$tmp}
mkdir -p "$out"

# The emulator runs until its stdin closes.
mkfifo "$tmp/stdin"
ACS_BENCH_ROLE=emulator "$bin" <"$tmp/stdin" >"$tmp/emulator.out" &
emulator=$!
exec 3>"$tmp/stdin"
cleanup() {
    exec 3>&-
    wait "$emulator" || true
    rm -rf "$tmp"
}
trap cleanup EXIT
until grep -q '^CONNECTION_STRING=' "$tmp/emulator.out"; do sleep 0.1; done
export ACS_BENCH_CONNECTION_STRING
ACS_BENCH_CONNECTION_STRING=$(sed -n 's/^CONNECTION_STRING=//p' "$tmp/emulator.out")
export ACS_BENCH_USER_ID
ACS_BENCH_USER_ID=$(ACS_BENCH_ROLE=create-user "$bin")

echo "concurrency $conc"
printf '%-16s %14s %14s %12s\n' kind "Ir($low)" "Ir($high)" "Ir/call"
for kind in ${kinds//,/ }; do
    declare -A ir=()
    for n in "$low" "$high"; do
        file="$out/callgrind.$kind.$n.out"
        ACS_BENCH_ROLE=sequential ACS_BENCH_KIND=$kind ACS_BENCH_CALLS=$n ACS_BENCH_CONC=$conc \
            valgrind --tool=callgrind --callgrind-out-file="$file" "$bin" \
            >/dev/null 2>"$out/valgrind.$kind.$n.log"
        ir[$n]=$(sed -n 's/^summary: *\([0-9]*\).*/\1/p' "$file")
    done
    printf '%-16s %14d %14d %12d\n' "$kind" "${ir[$low]}" "${ir[$high]}" \
        $(( (ir[$high] - ir[$low]) / (high - low) ))
    unset ir
done

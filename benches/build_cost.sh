#!/usr/bin/env bash
# What depending on acs-identity costs a user's build, next to the official Azure SDK for
# Rust crate of the same family (azure_security_keyvault_secrets), measured in one run.
#
#   benches/build_cost.sh            # dev profile; PROFILE=release for --release
#
# For each of the two, a new binary crate is made in a temporary directory with that one
# dependency (default features) and a main() that builds a client, so nothing is dead code.
# Sources are fetched first (downloads are not timed); then each crate is built from an
# empty target directory with `cargo build` (jobs = the machine's cores), timing wall clock
# and the cargo process tree's CPU (user + system), and counting the `Compiling` lines
# (crates compiled, the crate itself included). The two builds alternate ROUNDS times
# (default 2) and each figure is the median, so a load change on the machine hits both.
#
# Environment: ROUNDS (2), PROFILE (dev|release), KEYVAULT_VERSION (=1.0.1), CRATES (both:
# "uses-acs-identity uses-keyvault-secrets"; one of them to build only that one).
# Needs cargo and python3. The registry must be reachable for the first fetch.
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
ROUNDS="${ROUNDS:-2}"
PROFILE="${PROFILE:-dev}"
KEYVAULT_VERSION="${KEYVAULT_VERSION:-=1.0.1}"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

make_crate() { # dir, dependency line, main body
  mkdir -p "$1/src"
  cat >"$1/Cargo.toml" <<EOF
[package]
name = "$(basename "$1")"
version = "0.1.0"
edition = "2021"
publish = false

[dependencies]
$2

[workspace]
EOF
  printf '%s\n' "$3" >"$1/src/main.rs"
}

make_crate "$TMP/uses-acs-identity" \
  "acs-identity = { path = \"$ROOT\" }" \
  'fn main() {
    let client = acs_identity::CommunicationIdentityClient::from_connection_string(
        "endpoint=https://example.communication.azure.com/;accesskey=cHc9PQ==",
        None,
    );
    println!("{}", client.is_ok());
}'

make_crate "$TMP/uses-keyvault-secrets" \
  "azure_security_keyvault_secrets = \"$KEYVAULT_VERSION\"
azure_core = \"1\"
async-trait = \"0.1\"" \
  'use std::sync::Arc;

#[derive(Debug)]
struct NoCredential;

// azure_core does not re-export async_trait; the crate is in its graph already.
#[async_trait::async_trait]
impl azure_core::credentials::TokenCredential for NoCredential {
    async fn get_token(
        &self,
        _scopes: &[&str],
        _options: Option<azure_core::credentials::TokenRequestOptions<'"'"'_>>,
    ) -> azure_core::Result<azure_core::credentials::AccessToken> {
        Err(azure_core::Error::with_message(azure_core::error::ErrorKind::Credential, "none"))
    }
}

fn main() {
    let client = azure_security_keyvault_secrets::SecretClient::new(
        "https://example.vault.azure.net/",
        Arc::new(NoCredential),
        None,
    );
    println!("{}", client.is_ok());
}'

CRATES="${CRATES:-uses-acs-identity uses-keyvault-secrets}"
for crate in $CRATES; do
  (cd "$TMP/$crate" && cargo generate-lockfile -q && cargo fetch -q)
done

flag=""
[ "$PROFILE" = release ] && flag="--release"
RESULTS="$TMP/results.txt"
for round in $(seq 1 "$ROUNDS"); do
  for crate in $CRATES; do
    dir="$TMP/$crate"
    rm -rf "$dir/target"
    # /usr/bin/time is not on every machine: python measures the child's wall and CPU time.
    python3 - "$dir" "$flag" "$crate" "$round" >>"$RESULTS" <<'PY'
import os, resource, subprocess, sys, time
directory, flag, crate, round_ = sys.argv[1:5]
cmd = ["cargo", "build", "--offline"] + ([flag] if flag else [])
start = time.monotonic()
out = subprocess.run(cmd, cwd=directory, capture_output=True, text=True)
wall = time.monotonic() - start
if out.returncode != 0:
    sys.stderr.write(out.stderr)
    sys.exit(f"{crate}: cargo build failed")
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
crates = sum(1 for line in out.stderr.splitlines() if line.strip().startswith("Compiling "))
print(f"{crate} {round_} {wall:.1f} {usage.ru_utime + usage.ru_stime:.1f} {crates}")
PY
    tail -n1 "$RESULTS" >&2
  done
done

echo
echo "A new binary crate built from clean (cargo build ${flag:-(dev)}), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'); $(rustc --version); $(date -u +%Y-%m-%d); median of $ROUNDS alternating rounds; load at the end $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$RESULTS" <<'PY'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    crate, _round, wall, cpu, crates = line.split()
    rows.setdefault(crate, []).append((float(wall), float(cpu), int(crates)))
med = {c: tuple(statistics.median(v[i] for v in r) for i in range(3)) for c, r in rows.items()}
print("| dependency | wall s | CPU s | crates compiled |")
print("|---|---:|---:|---:|")
for crate, label in (("uses-acs-identity", "acs-identity (default features)"),
                     ("uses-keyvault-secrets", "azure_security_keyvault_secrets (default features)")):
    if crate not in med:
        continue
    w, c, n = med[crate]
    print(f"| {label} | {w:.1f} | {c:.1f} | {n:.0f} |")
if len(med) < 2:
    sys.exit(0)
a, k = med["uses-acs-identity"], med["uses-keyvault-secrets"]
print(f"\nacs-identity / keyvault secrets: wall {a[0] / k[0]:.2f}, CPU {a[1] / k[1]:.2f}, crates {a[2]:.0f} vs {k[2]:.0f}")
ok = a[0] <= k[0] and a[2] <= k[2]
print(f"- Target: no more wall time and no more crates than azure_security_keyvault_secrets: {'**met**' if ok else '**missed**'}")
PY

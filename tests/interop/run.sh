#!/usr/bin/env bash
# Interop: the official Python (azure-communication-identity 1.5.0) and JS
# (@azure/communication-identity 1.3.1) SDKs run their quickstart flow against the
# acs-identity-emulator binary, and the official JS common SDK's Entra credential
# (@azure/communication-common 2.5.0) exchanges tokens through both exchange endpoints
# after this repository's command line made the assignments. Builds the emulator, installs the SDKs (Python into
# tests/interop/.venv, JS into tests/interop/js/node_modules, both gitignored), starts two
# emulators on ephemeral ports (one with --tls, one plain http), runs both SDKs, stops the
# emulators, and exits non-zero if anything failed.
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"

echo "== interop: building the emulator"
(cd "$ROOT" && cargo build --quiet -p acs-identity-emulator --bin acs-identity-emulator -p acs-identity-cli --bin acs-identity)
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
BIN="$TARGET_DIR/debug/acs-identity-emulator"
CLI="$TARGET_DIR/debug/acs-identity"

echo "== interop: installing the Python SDK"
PYTHON="${PYTHON:-python3}"
if [ ! -x "$HERE/.venv/bin/python" ]; then
  "$PYTHON" -m venv "$HERE/.venv"
fi
"$HERE/.venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$HERE/python/requirements.txt"

echo "== interop: installing the JS SDK"
(cd "$HERE/js" && npm ci --no-audit --no-fund --loglevel=error)

TMP="$(mktemp -d)"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$TMP"
}
trap cleanup EXIT

# start_emulator NAME [FLAGS...]: starts the binary, waits for its CONNECTION_STRING line.
start_emulator() {
  local name="$1"
  shift
  "$BIN" --port 0 "$@" >"$TMP/$name.out" 2>"$TMP/$name.err" &
  PIDS+=("$!")
  for _ in $(seq 1 200); do
    if grep -q '^RESOURCE_ID=' "$TMP/$name.out" 2>/dev/null; then
      return 0
    fi
    if ! kill -0 "${PIDS[-1]}" 2>/dev/null; then
      echo "emulator $name exited:" >&2
      cat "$TMP/$name.err" >&2
      return 1
    fi
    sleep 0.05
  done
  echo "emulator $name did not start" >&2
  return 1
}

value() { grep "^$2=" "$TMP/$1.out" | head -n1 | cut -d= -f2-; }

start_emulator tls --tls --ca-cert-out "$TMP/ca.pem"
start_emulator http
CA="$(value tls CA_CERT)"
export EMU_TLS_CONNECTION_STRING="$(value tls CONNECTION_STRING)"
export EMU_HTTP_ENDPOINT="$(value http ENDPOINT)"
export EMU_ACCESS_KEY="$(value http CONNECTION_STRING | sed 's/.*accesskey=//')"
echo "== interop: emulators at $(value tls ENDPOINT) (TLS) and $EMU_HTTP_ENDPOINT"

status=0
echo "== interop: Python SDK"
if ! REQUESTS_CA_BUNDLE="$CA" SSL_CERT_FILE="$CA" "$HERE/.venv/bin/python" "$HERE/python/quickstart.py"; then
  status=1
fi
echo "== interop: JS SDK"
if ! (cd "$HERE/js" && NODE_EXTRA_CA_CERTS="$CA" node quickstart.mjs); then
  status=1
fi
echo "== interop: JS common SDK's Entra credential (assignments made with acs-identity)"
export EMU_TLS_ENDPOINT="$(value tls ENDPOINT)"
export ENTRA_TENANT=45ab2481-1c1c-4005-be24-0ffb879b1130
export ENTRA_USER=207ffef6-9444-41fb-92ab-20eacaae2768
export ENTRA_APP=1fd5d3a1-8f0b-4a7c-9e2d-6b5a4c3d2e1f
# The command line trusts the emulator's CA through SSL_CERT_FILE (the platform verifier
# reads it on Linux).
if SSL_CERT_FILE="$CA" "$CLI" --connection-string "$EMU_TLS_CONNECTION_STRING" \
     assignment teams-extension set --tenant-id "$ENTRA_TENANT" --object-id "$ENTRA_USER" \
     --principal-type user --client-id "$ENTRA_APP" >/dev/null \
  && SSL_CERT_FILE="$CA" "$CLI" --connection-string "$EMU_TLS_CONNECTION_STRING" \
     assignment entra set --object-id "$ENTRA_USER" --tenant-id "$ENTRA_TENANT" \
     --principal-type user --client-id "$ENTRA_APP" >/dev/null; then
  if ! (cd "$HERE/js" && NODE_EXTRA_CA_CERTS="$CA" node entra.mjs); then
    status=1
  fi
else
  echo "FAIL creating the assignments with acs-identity" >&2
  status=1
fi
if [ "$status" -ne 0 ]; then
  echo "== interop: FAILED; emulator logs:" >&2
  cat "$TMP/tls.err" "$TMP/http.err" >&2 || true
fi
exit "$status"

"""get_token throughput of the official Python SDK (azure-communication-identity 1.5.0).

    python get_token.py sync 1     # CommunicationIdentityClient (requests), one caller
    python get_token.py aio 16     # aio CommunicationIdentityClient (aiohttp), 16 tasks

Environment (set by ../official_sdks.sh): ACS_BENCH_CONNECTION_STRING (a plain-http
emulator), ACS_BENCH_USER_ID, ACS_BENCH_EMULATOR_PID (for its CPU), ACS_BENCH_SECS
(measured seconds, after 0.5 s of warm-up). Prints one `RESULT {json}` line in the same
format as benches/throughput.rs.

The client is built with the explicit constructor and an http:// endpoint, because
from_connection_string always uses https (see official-sdk-behaviour.md); this is the
same plain-http emulator the Rust rows use.
"""

import asyncio
import json
import os
import resource
import sys
import time

from azure.communication.identity import (
    CommunicationIdentityClient,
    CommunicationTokenScope,
    CommunicationUserIdentifier,
)
from azure.communication.identity.aio import (
    CommunicationIdentityClient as AsyncCommunicationIdentityClient,
)
from azure.core.credentials import AzureKeyCredential

WARM_UP = 0.5
SCOPES = [CommunicationTokenScope.CHAT, CommunicationTokenScope.VOIP]


def parse_connection_string(cs):
    parts = dict(p.split("=", 1) for p in cs.split(";") if "=" in p)
    parts = {k.strip().lower(): v.strip() for k, v in parts.items()}
    return parts["endpoint"].rstrip("/"), parts["accesskey"]


def cpu_seconds(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            stat = f.read()
    except OSError:
        return None
    fields = stat[stat.rfind(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def tcp_connection_keys(port):
    """Same keys as tcp_connection_keys in benches/throughput.rs: (client port, inode)."""
    keys = set()
    for name in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(name) as f:
                lines = f.readlines()[1:]
        except OSError:
            continue
        for line in lines:
            cols = line.split()
            if len(cols) < 10:
                continue
            lp = int(cols[1].rsplit(":", 1)[1], 16)
            rp = int(cols[2].rsplit(":", 1)[1], 16)
            state, inode = cols[3], int(cols[9])
            if rp == port and lp != port:
                keys.add((lp, inode))
            elif lp == port and rp != 0 and state not in ("01", "0A"):
                keys.add((rp, 0))
    return keys


class Window:
    """Measured-window bookkeeping shared by the callers."""

    def __init__(self, secs, emu_pid, port):
        self.start = time.perf_counter()
        self.measure_from = self.start + WARM_UP
        self.end = self.measure_from + secs
        self.emu_pid = emu_pid
        self.port = port
        self.keys_after = set()
        self.latencies = []
        self.errors = 0
        self.c0 = self.e0 = self.c1 = self.e1 = None

    def open(self):
        self.c0, self.e0 = cpu_seconds("self"), cpu_seconds(self.emu_pid)

    def close(self):
        self.c1, self.e1 = cpu_seconds("self"), cpu_seconds(self.emu_pid)

    def snapshot_connections(self):
        """Called while the client (and its pooled connections) is still alive."""
        self.keys_after = tcp_connection_keys(self.port)

    def record(self, t0, t1, ok):
        if t0 >= self.measure_from and t1 <= self.end:
            if ok:
                self.latencies.append(t1 - t0)
            else:
                self.errors += 1


def run_sync(endpoint, key, user, window):
    client = CommunicationIdentityClient(endpoint, AzureKeyCredential(key))
    opened = False
    while True:
        t0 = time.perf_counter()
        if t0 >= window.end:
            break
        if not opened and t0 >= window.measure_from:
            window.open()
            opened = True
        ok = True
        try:
            client.get_token(user, SCOPES)
        except Exception as e:  # noqa: BLE001
            if window.errors == 0:
                print(f"error: {e}", file=sys.stderr)
            ok = False
        window.record(t0, time.perf_counter(), ok)
    window.close()
    window.snapshot_connections()


async def run_aio(endpoint, key, user, window, concurrency):
    async with AsyncCommunicationIdentityClient(endpoint, AzureKeyCredential(key)) as client:

        async def worker():
            while True:
                t0 = time.perf_counter()
                if t0 >= window.end:
                    return
                ok = True
                try:
                    await client.get_token(user, SCOPES)
                except Exception as e:  # noqa: BLE001
                    if window.errors == 0:
                        print(f"error: {e}", file=sys.stderr)
                    ok = False
                window.record(t0, time.perf_counter(), ok)

        async def edges():
            await asyncio.sleep(max(0.0, window.measure_from - time.perf_counter()))
            window.open()
            await asyncio.sleep(max(0.0, window.end - time.perf_counter()))
            window.close()

        await asyncio.gather(edges(), *(worker() for _ in range(concurrency)))
        window.snapshot_connections()


def main():
    mode, concurrency = sys.argv[1], int(sys.argv[2])
    cs = os.environ["ACS_BENCH_CONNECTION_STRING"]
    endpoint, key = parse_connection_string(cs)
    port = int(endpoint.rsplit(":", 1)[1])
    user = CommunicationUserIdentifier(os.environ["ACS_BENCH_USER_ID"])
    secs = float(os.environ.get("ACS_BENCH_SECS", "2"))
    before = tcp_connection_keys(port)
    window = Window(secs, os.environ.get("ACS_BENCH_EMULATOR_PID", "-"), port)
    if mode == "sync":
        assert concurrency == 1, "the sync workload runs one caller"
        run_sync(endpoint, key, user, window)
        label = "Python SDK 1.5.0 (sync)"
    else:
        asyncio.run(run_aio(endpoint, key, user, window, concurrency))
        label = "Python SDK 1.5.0 (aio)"
    conns = len(window.keys_after - before)
    lat = sorted(window.latencies)

    def pct(p):
        if not lat:
            return 0.0
        i = min(len(lat), max(1, -(-len(lat) * p // 1))) - 1
        return lat[int(i)] * 1000.0

    emu = None
    if window.e0 is not None and window.e1 is not None:
        emu = window.e1 - window.e0
    result = {
        "client": label,
        "concurrency": concurrency,
        "calls": len(lat),
        "errors": window.errors,
        "secs": secs,
        "calls_per_s": len(lat) / secs,
        "p50_ms": pct(0.50),
        "p99_ms": pct(0.99),
        "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0,
        "conns": conns,
        "client_cpu_s": (window.c1 or 0) - (window.c0 or 0),
        "emu_cpu_s": emu,
    }
    print("RESULT " + json.dumps(result), flush=True)


if __name__ == "__main__":
    main()

"""Prints the combined table of benches/official_sdks.sh from JSON result lines.

    python3 table.py results.jsonl

Rows with the same (client, concurrency) are reduced to their median by calls/s.
"vs floor" divides by the hyper floor at the same concurrency; "acs-identity / this"
divides our SDK's calls/s at the same concurrency by the row's.
"""

import json
import sys

FLOOR = "floor (hyper)"
OURS = "acs-identity (Rust)"


def main():
    rows = {}
    with open(sys.argv[1]) as f:
        for line in f:
            line = line.strip()
            if line:
                r = json.loads(line)
                rows.setdefault((r["client"], r["concurrency"]), []).append(r)
    table = []
    for runs in rows.values():
        runs.sort(key=lambda r: r["calls_per_s"])
        table.append(runs[len(runs) // 2])
    order = {FLOOR: 0, OURS: 1}
    table.sort(key=lambda r: (r["concurrency"], order.get(r["client"], 2), r["client"]))
    by = {(r["client"], r["concurrency"]): r for r in table}

    print("| client | concurrency | calls/s | vs floor | acs-identity / this | p50 ms | p99 ms "
          "| peak RSS MB | TCP conns | client CPU | emulator CPU | errors |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in table:
        floor = by.get((FLOOR, r["concurrency"]))
        ours = by.get((OURS, r["concurrency"]))
        vs_floor = f"{r['calls_per_s'] / floor['calls_per_s']:.2f}" if floor else ""
        ours_ratio = ""
        if ours and r["client"] not in (FLOOR, OURS) and not r["client"].startswith("acs-identity"):
            ours_ratio = f"{ours['calls_per_s'] / max(r['calls_per_s'], 1e-9):.1f}x"
        emu = "n/a" if r.get("emu_cpu_s") is None else f"{100 * r['emu_cpu_s'] / r['secs']:.0f}%"
        print(
            f"| {r['client']} | {r['concurrency']} | {r['calls_per_s']:.0f} | {vs_floor} | {ours_ratio} "
            f"| {r['p50_ms']:.3f} | {r['p99_ms']:.3f} | {r['rss_mb']:.1f} | {r['conns']} "
            f"| {100 * r['client_cpu_s'] / r['secs']:.0f}% | {emu} | {r['errors']} |"
        )
    print("(CPU columns: share of one core over the measured window. One emulator served every row.)")


if __name__ == "__main__":
    main()

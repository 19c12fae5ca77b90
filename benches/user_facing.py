"""The tables of benches/user_facing.sh, from the JSON lines its runs wrote.

    python3 user_facing.py cpu cpu.jsonl          # 1. client CPU per call
    python3 user_facing.py latency latency.jsonl  # 2. overhead at a real round trip
    python3 user_facing.py cold cold.json         # 3. cold start (hyperfine --export-json)

Each line of a .jsonl file is one run of one row, as benches/throughput.rs (ACS_BENCH_RESULTS)
and benches/official/get_token.{py,mjs} print it: client, concurrency, calls, secs,
client_cpu_s, p50_ms, p99_ms, ... Figures are medians over the runs of a row; ratios between
two clients are computed per run where the runs were paired (latency), else from the medians.
Each table ends with its targets, "met" or "missed", computed here from the same numbers.
"""

import json
import statistics
import sys

FLOOR = "floor (hyper)"
OURS = "acs-identity (Rust)"


def load(path):
    rows = []
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line:
                rows.append(json.loads(line))
    return rows


def by_row(rows):
    out = {}
    for r in rows:
        out.setdefault((r["client"], r["concurrency"]), []).append(r)
    return out


def us_per_call(r):
    return 1e6 * r["client_cpu_s"] / max(r["calls"], 1)


def verdict(ok):
    return "**met**" if ok else "**missed**"


def cpu(path):
    rows = by_row(load(path))
    levels = sorted({c for _, c in rows})
    print("| client | concurrency | runs | calls/s | client CPU µs per call | acs-identity CPU / this | errors |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    med = {}
    for level in levels:
        clients = [k for k in rows if k[1] == level]
        order = {FLOOR: 0, OURS: 1}
        clients.sort(key=lambda k: (order.get(k[0], 2), k[0]))
        for key in clients:
            runs = rows[key]
            med[key] = statistics.median(us_per_call(r) for r in runs)
        ours = med.get((OURS, level))
        for key in clients:
            runs = rows[key]
            ratio = ""
            if ours is not None and key[0] not in (FLOOR, OURS):
                ratio = f"{ours / med[key]:.3f}"
            label = "raw hyper client (floor; bench baseline)" if key[0] == FLOOR else key[0]
            print(
                f"| {label} | {level} | {len(runs)} "
                f"| {statistics.median(r['calls_per_s'] for r in runs):.0f} "
                f"| {med[key]:.1f} | {ratio} | {sum(r['errors'] for r in runs)} |"
            )
    print()
    print("client CPU: utime + stime of the client process over the measured window / calls in it "
          "(median over the runs); one emulator served every row.")
    for prefix, target, name in (("Python", 0.10, "Python"), ("JS", 0.25, "JS")):
        parts, oks = [], []
        for level in levels:
            ours = med.get((OURS, level))
            for key, value in med.items():
                if key[1] == level and key[0].startswith(prefix) and ours is not None:
                    ratio = ours / value
                    parts.append(f"{ratio:.3f} at concurrency {level} ({key[0]})")
                    oks.append(ratio <= target)
        if parts:
            print(f"- acs-identity / {name}: {'; '.join(parts)}. Target at most {target:.2f} "
                  f"(1/{round(1 / target)}): {verdict(all(oks))}")
        else:
            print(f"- acs-identity / {name}: no {name} rows (not run)")


def latency(path):
    rows = by_row(load(path))
    levels = sorted({c for _, c in rows})
    print("| concurrency | runs × s | calls per run: floor / acs-identity | p50 ms: floor | p50 ms: acs-identity "
          "| p50 ratio (median of paired runs, min–max) | p50 difference µs | p99 ms: floor | p99 ms: acs-identity "
          "| p50 within 1% |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    oks = []
    for level in levels:
        floor = sorted(rows.get((FLOOR, level), []), key=lambda r: r.get("run", 0))
        ours = sorted(rows.get((OURS, level), []), key=lambda r: r.get("run", 0))
        if not floor or not ours:
            print(f"| {level} | missing rows (floor {len(floor)}, acs-identity {len(ours)}) |||||||||")
            oks.append(False)
            continue
        pairs = list(zip(floor, ours))
        ratios = sorted(o["p50_ms"] / f["p50_ms"] for f, o in pairs)
        diffs = [1000 * (o["p50_ms"] - f["p50_ms"]) for f, o in pairs]
        ratio = statistics.median(ratios)
        ok = ratio <= 1.01
        oks.append(ok)
        exact = all(r.get("exact") for r in floor + ours)
        m = lambda rs, k: statistics.median(r[k] for r in rs)  # noqa: E731
        print(
            f"| {level} | {len(pairs)} × {floor[0]['secs']:g} "
            f"| {m(floor, 'calls'):.0f} / {m(ours, 'calls'):.0f} "
            f"| {m(floor, 'p50_ms'):.3f} | {m(ours, 'p50_ms'):.3f} "
            f"| {ratio:.4f} ({ratios[0]:.4f}–{ratios[-1]:.4f}) | {statistics.median(diffs):+.0f} "
            f"| {m(floor, 'p99_ms'):.3f} | {m(ours, 'p99_ms'):.3f} | {'yes' if ok else 'no'} |"
        )
        errors = sum(r["errors"] for r in floor + ours)
        if errors:
            print(f"\n({errors} errors at concurrency {level})")
        if not exact:
            print("\n(quantiles from the 1.6% histogram: set ACS_BENCH_EXACT=1 for exact ones)")
    print()
    print("Latencies: each call from start to its parsed result, every call of the measured window; "
          "quantiles exact (sorted), median over the runs. Paired: the floor row and the acs-identity "
          "row of the same run, back to back.")
    print(f"- Target: acs-identity p50 within 1% of the raw hyper client's at every concurrency: {verdict(all(oks))}")


def cold(path):
    with open(path) as f:
        results = json.load(f)["results"]
    print("| process, start to exit | runs | mean ms | σ ms | median ms | min ms | max ms |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for r in results:
        print(
            f"| {r['command']} | {len(r['times'])} | {1000 * r['mean']:.1f} | {1000 * (r['stddev'] or 0):.1f} "
            f"| {1000 * r['median']:.1f} | {1000 * r['min']:.1f} | {1000 * r['max']:.1f} |"
        )
    if len(results) == 2:
        cli, py = results
        ratio = py["median"] / cli["median"]
        print()
        print(f"- {py['command']} / {cli['command']}: {ratio:.1f}x (medians), "
              f"{py['mean'] / cli['mean']:.1f}x (means). Target at least 10x: {verdict(ratio >= 10)}")


if __name__ == "__main__":
    {"cpu": cpu, "latency": latency, "cold": cold}[sys.argv[1]](sys.argv[2])

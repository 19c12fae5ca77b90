#!/usr/bin/env python3
"""Fails when a locked normal dependency of a workspace crate needs a newer Rust
than the workspace's `rust-version` (read from `cargo metadata`).

The workspace uses resolver "3", which picks versions by rust-version when the lock
file is updated; this check keeps a hand-edited or older lock file honest.
"""
import json
import subprocess
import sys


def version(text):
    parts = (text or "0").split(".") + ["0", "0"]
    return tuple(int(p) for p in parts[:3])


def main():
    meta = json.loads(
        subprocess.check_output(["cargo", "metadata", "--format-version", "1", "--locked"])
    )
    members = [p for p in meta["packages"] if p["id"] in meta["workspace_members"]]
    msrv = max(version(p.get("rust_version")) for p in members)
    needs = {(p["name"], "v" + p["version"]): p.get("rust_version") for p in meta["packages"]}
    bad = set()
    for member in members:
        tree = subprocess.check_output(
            ["cargo", "tree", "--locked", "-q", "-p", member["name"], "-e", "normal",
             "--prefix", "none", "--format", "{p}"]
        ).decode()
        for line in tree.splitlines():
            fields = line.split()
            if len(fields) < 2:
                continue
            needed = needs.get((fields[0], fields[1]))
            if needed and version(needed) > msrv:
                bad.add(f"{fields[0]} {fields[1]} needs Rust {needed} ({member['name']})")
    shown = ".".join(str(p) for p in msrv)
    if bad:
        print(f"rust-version {shown} is not true of Cargo.lock:")
        for line in sorted(bad):
            print(f"  {line}")
        sys.exit(1)
    print(f"every locked normal dependency supports rust-version {shown}")


if __name__ == "__main__":
    main()

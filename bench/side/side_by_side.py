#!/usr/bin/env python3
"""Two rased binaries side by side in one run: `analyze` on the same input, on one core.

For a claimed speed-up: each binary runs `analyze INPUT` --runs times, alternating (old, new,
old, new, …) so that load on the machine hits both alike, pinned to one CPU (`taskset -c
--cpu`) with one analysis thread (RAYON_NUM_THREADS=1), output discarded. Reports per binary
the median wall and user seconds, articles/s (records in the input / median wall), peak RSS
(max over runs, from /usr/bin/time), and the new/old ratios.

With --callgrind N it also counts instructions (valgrind callgrind, repeatable whatever the
load) for the first N records, total and inside `Analyzer::analyze`.

    bench/side/side_by_side.py --old /tmp/rased-main --new target/release/rased \
        --input /tmp/ms5000.jsonl [--runs 3] [--cpu 0] [--callgrind 150]
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile


def timed(binary: str, input_path: str, cpu: int) -> tuple[float, float, int]:
    env = dict(os.environ, RAYON_NUM_THREADS="1")
    with tempfile.NamedTemporaryFile("r") as t:
        cmd = ["/usr/bin/time", "-f", "%e %U %M", "-o", t.name,
               "taskset", "-c", str(cpu), binary, "analyze", input_path]
        proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
        if proc.returncode not in (0, 1):
            sys.exit(f"{binary}: exit {proc.returncode}: {proc.stderr.decode()[-500:]}")
        wall, user, rss = t.read().split()[-3:]
    return float(wall), float(user), int(rss)


def instructions(binary: str, input_path: str, n: int) -> tuple[int, int]:
    env = dict(os.environ, RAYON_NUM_THREADS="1")
    with tempfile.TemporaryDirectory() as d:
        part = os.path.join(d, "part.jsonl")
        with open(input_path, encoding="utf-8") as src, open(part, "w", encoding="utf-8") as dst:
            for i, line in enumerate(src):
                if i >= n:
                    break
                dst.write(line)
        out = os.path.join(d, "cg.out")
        subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}",
                        binary, "analyze", part], stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, env=env, check=False)
        ann = subprocess.run(["callgrind_annotate", "--inclusive=yes", out],
                             capture_output=True, text=True).stdout
    total = int(re.search(r"([\d,]+) \([\d.]+%\)\s+PROGRAM TOTALS", ann).group(1).replace(",", ""))
    m = re.search(r"([\d,]+) \([ \d.]+%\)\s+\S*pipeline\.rs:rased_analyze::pipeline::Analyzer::analyze \[", ann)
    analyze = int(m.group(1).replace(",", "")) if m else 0
    return total, analyze


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--old", required=True)
    ap.add_argument("--new", required=True)
    ap.add_argument("--input", required=True, help="JSON Lines (one article a line)")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--cpu", type=int, default=0)
    ap.add_argument("--callgrind", type=int, default=0, metavar="N")
    args = ap.parse_args()
    with open(args.input, encoding="utf-8") as f:
        records = sum(1 for line in f if line.strip())
    runs: dict[str, list[tuple[float, float, int]]] = {"old": [], "new": []}
    for _ in range(args.runs):
        for name in ("old", "new"):
            runs[name].append(timed(getattr(args, name), args.input, args.cpu))
    rows = {}
    for name, rs in runs.items():
        wall = statistics.median(r[0] for r in rs)
        user = statistics.median(r[1] for r in rs)
        rows[name] = (wall, user, records / wall, max(r[2] for r in rs))
    print(f"`analyze` on {records} records, {args.runs} alternating runs each, one CPU, one thread\n")
    print("| binary | median wall s | median user s | articles/s (wall) | peak RSS MB |")
    print("|---|---:|---:|---:|---:|")
    for name in ("old", "new"):
        wall, user, aps, rss = rows[name]
        print(f"| {name} (`{getattr(args, name)}`) | {wall:.2f} | {user:.2f} | {aps:,.0f} | {rss / 1024:.1f} |")
    o, n = rows["old"], rows["new"]
    print(f"| new / old | {o[0] / n[0]:.2f}x faster | {o[1] / n[1]:.2f}x less CPU | | {n[3] / o[3]:.3f} |")
    if args.callgrind:
        (ot, oa), (nt, na) = (instructions(args.old, args.input, args.callgrind),
                              instructions(args.new, args.input, args.callgrind))
        print(f"\nInstructions (callgrind, first {args.callgrind} records): total old {ot:,} / new "
              f"{nt:,} = {ot / nt:.2f}x; inside Analyzer::analyze old {oa:,} / new {na:,} = "
              f"{oa / max(na, 1):.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())

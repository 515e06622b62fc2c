#!/usr/bin/env python3
"""How rased's cost grows with the work: ingest time and peak memory for 1k, 10k and 40k
articles (prefixes of the two ANT corpora read in order, each into a fresh data directory),
and search latency as the index grows (`rased bench --stage search --data DIR` on each).

    bench/scaling/run.sh [--sizes 1000,10000,40000] [--runs 3] [--big-runs 1]

Peak memory is the ingest process's maximum RSS from `/usr/bin/time -v` (Debian package
`time`), or from getrusage(RUSAGE_CHILDREN) when that is absent. Writes
bench/results/scaling.md, scaling.json and scaling.png (when matplotlib imports).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def write_prefix(corpora: list[Path], n: int, out: Path) -> int:
    """The first n records of the corpora read one after the other."""
    count = 0
    with open(out, "wb") as w:
        for corpus in corpora:
            opener = gzip.open if corpus.suffix == ".gz" else open
            with opener(corpus, "rb") as f:
                for line in f:
                    if count >= n:
                        return count
                    if not line.strip():
                        continue
                    w.write(line if line.endswith(b"\n") else line + b"\n")
                    count += 1
    return count


def du_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6


def ingest(rased: str, jsonl: Path, data: Path):
    """(wall seconds, peak RSS MiB, summary) of one `rased ingest` into a fresh directory."""
    if data.exists():
        shutil.rmtree(data)
    cmd = [rased, "ingest", str(jsonl), "--data", str(data), "--quiet", "--json"]
    gnu_time = shutil.which("time") and Path("/usr/bin/time").exists()
    if gnu_time:
        cmd = ["/usr/bin/time", "-v", *cmd]
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t = time.perf_counter()
    out = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - t
    if out.returncode not in (0, 1):
        sys.exit(f"scaling.py: rased ingest failed ({out.returncode}):\n{out.stderr[-2000:]}")
    rss = None
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", out.stderr)
    if m:
        rss = int(m.group(1)) / 1024
    else:
        after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        if after > before:  # the largest child so far: only meaningful when growing
            rss = after / 1024
    summary = json.loads(out.stdout.strip().splitlines()[-1])
    return wall, rss, summary


def search_latency(rased: str, data: Path, runs: int):
    out = subprocess.run(
        [rased, "bench", "--stage", "search", "--data", str(data), "--threads", "1",
         "--runs", str(runs), "--json"],
        capture_output=True, text=True, check=True,
    )
    row = json.loads(out.stdout.strip().splitlines()[-1])
    return row


def plot(rows, path: Path, cores):
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib not available: no plot (bench/compare/run.sh installs it)", file=sys.stderr)
        return
    xs = [r["articles"] for r in rows]
    fig, axes = plt.subplots(1, 4, figsize=(16, 3.8))
    ax = axes[0]
    ax.plot(xs, [r["ingest_s"] for r in rows], "o-", label="measured")
    # What linear growth from the smallest size would give.
    ax.plot(xs, [rows[0]["ingest_s"] * x / xs[0] for x in xs], ":", color="gray", label="linear from first")
    ax.set(title="ingest time", xlabel="articles", ylabel="seconds", yscale="log")
    ax.legend()
    ax = axes[1]
    ax.plot(xs, [r["articles_per_s"] for r in rows], "o-")
    ax.set(title="ingest throughput (all cores)", xlabel="articles", ylabel="articles/s", ylim=(0, None))
    ax = axes[2]
    ax.plot(xs, [r["peak_rss_mb"] or 0 for r in rows], "o-", label="peak RSS")
    ax.plot(xs, [r["data_dir_mb"] for r in rows], "s--", label="data dir on disk")
    ax.set(title="memory and disk", xlabel="articles", ylabel="MB", yscale="log")
    ax.legend()
    ax = axes[3]
    ax.plot(xs, [r["search_p50_ms"] for r in rows], "o-", label="p50")
    ax.plot(xs, [r["search_p99_ms"] for r in rows], "s--", label="p99")
    ax.set(title="search latency (1 thread)", xlabel="articles indexed", ylabel="ms", ylim=(0, None))
    ax.legend()
    for ax in axes:
        ax.set_xscale("log")
        ax.grid(True, alpha=0.3)
    fig.suptitle(f"rased scaling ({cores} cores)")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    print(f"wrote {path}", file=sys.stderr)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rased", default=str(ROOT / "target/release/rased"))
    ap.add_argument(
        "--corpus",
        default=",".join(str(ROOT / f"../shared/data/corpus/{c}") for c in ["ant-multisource.jsonl.gz", "ant-jawharafm.jsonl.gz"]),
        help="comma-separated JSON Lines files (plain or gzip), read in order (default: both ANT corpora, 41.7k articles)",
    )
    ap.add_argument("--sizes", default="1000,10000,40000")
    ap.add_argument("--runs", type=int, default=3, help="ingest runs per size up to 10k articles")
    ap.add_argument("--big-runs", type=int, default=1, help="ingest runs per size above 10k articles")
    ap.add_argument("--search-runs", type=int, default=5)
    ap.add_argument("--out", default=str(ROOT / "bench/results"))
    ap.add_argument("--workdir", default=None, help="where the data directories go (default: a temp dir)")
    ap.add_argument("--plot-only", action="store_true", help="redraw scaling.png from scaling.json")
    args = ap.parse_args()
    if args.plot_only:
        out = Path(args.out)
        plot(json.loads((out / "scaling.json").read_text()), out / "scaling.png", os.cpu_count())
        return

    corpora = [Path(c) for c in args.corpus.split(",") if c]
    for corpus in corpora:
        if not corpus.exists():
            sys.exit(f"scaling.py: corpus not found: {corpus}")
    if not Path(args.rased).exists():
        sys.exit(f"scaling.py: rased binary not found: {args.rased}")
    sizes = [int(s) for s in args.sizes.split(",")]
    work = Path(args.workdir) if args.workdir else Path(tempfile.mkdtemp(prefix="rased-scaling-"))
    work.mkdir(parents=True, exist_ok=True)
    rows = []
    try:
        for n in sizes:
            jsonl = work / f"corpus-{n}.jsonl"
            got = write_prefix(corpora, n, jsonl)
            runs = args.runs if n <= 10_000 else args.big_runs
            walls, rsss, summary = [], [], None
            for r in range(runs):
                print(f"ingest {got} articles, run {r + 1}/{runs}…", file=sys.stderr)
                wall, rss, summary = ingest(args.rased, jsonl, work / f"data-{n}")
                walls.append(wall)
                if rss is not None:
                    rsss.append(rss)
            data = work / f"data-{n}"
            print(f"search over {got} articles…", file=sys.stderr)
            s = search_latency(args.rased, data, args.search_runs)
            rows.append({
                "articles": got,
                "jsonl_mb": jsonl.stat().st_size / 1e6,
                "ingest_runs": walls,
                "ingest_s": statistics.median(walls),
                "articles_per_s": got / statistics.median(walls),
                "peak_rss_mb": statistics.median(rsss) if rsss else None,
                "data_dir_mb": du_mb(data),
                "new_articles": summary.get("new_articles"),
                "search_p50_ms": s["p50_ms"],
                "search_p99_ms": s["p99_ms"],
                "search_qps_1thread": s["items_per_s"],
            })
            shutil.rmtree(data, ignore_errors=True)
            jsonl.unlink()
    finally:
        if not args.workdir:
            shutil.rmtree(work, ignore_errors=True)

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    cores = os.cpu_count()
    md = [
        f"Ingest on all {cores} cores (`rased ingest --quiet --json`, fresh data directory each run; "
        f"median of {args.runs} runs up to 10k articles, {args.big_runs} above); search: 20 queries × 10 "
        f"on 1 thread, {args.search_runs} runs (`rased bench --stage search --data DIR --threads 1`).",
        "",
        "| articles | JSONL MB | ingest s | articles/s | peak RSS MB | data dir MB | search p50 ms | search p99 ms | queries/s (1 thread) |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    f = lambda x, d=1: "-" if x is None else f"{x:,.{d}f}"  # noqa: E731
    for r in rows:
        md.append(
            f"| {r['articles']:,} | {f(r['jsonl_mb'])} | {f(r['ingest_s'])} | {f(r['articles_per_s'], 0)} | "
            f"{f(r['peak_rss_mb'], 0)} | {f(r['data_dir_mb'], 0)} | {f(r['search_p50_ms'], 2)} | "
            f"{f(r['search_p99_ms'], 2)} | {f(r['search_qps_1thread'], 0)} |"
        )
    text = "\n".join(md) + "\n"
    print(text)
    (out / "scaling.md").write_text(text, encoding="utf-8")
    (out / "scaling.json").write_text(json.dumps(rows, indent=1), encoding="utf-8")
    plot(rows, out / "scaling.png", cores)
    print(f"wrote {out / 'scaling.md'} and scaling.json", file=sys.stderr)


if __name__ == "__main__":
    main()

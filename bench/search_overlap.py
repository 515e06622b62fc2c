#!/usr/bin/env python3
"""Top-hit overlap of PostgreSQL search with the embedded index, on the benchmark queries.

    bench/search_overlap.py --data DIR --store postgres://... [--rased target/release/rased] [-k 10]
                            [--runs N]

Both stores must hold the same articles (e.g. the same input ingested into each). For every
query of bench/queries.txt prints the two totals (they should be equal: the same articles
match) and how many of the embedded index's top k are in PostgreSQL's top k. Then the latency
of each backend: the wall time of one `rased search` process per query (start-up included),
after one untimed pass over the queries (warm caches), --runs passes timed (default 3),
p50 and p95 over all of them.
"""
import argparse
import json
import pathlib
import subprocess
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent


def search(rased, where, query, k):
    out = subprocess.run([rased, "search", "--json", "--limit", str(k), *where, query],
                         check=True, capture_output=True).stdout
    return json.loads(out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--store", required=True)
    ap.add_argument("--rased", default=str(ROOT / "target/release/rased"))
    ap.add_argument("-k", type=int, default=10)
    ap.add_argument("--runs", type=int, default=3)
    a = ap.parse_args()
    queries = [q for q in (ROOT / "bench/queries.txt").read_text().splitlines() if q]
    same_total = overlap = compared = 0
    for q in queries:
        emb = search(a.rased, ["--data", a.data], q, a.k)
        pg = search(a.rased, ["--store", a.store], q, a.k)
        e = [h["id"] for h in emb["hits"]]
        p = {h["id"] for h in pg["hits"]}
        n = sum(1 for i in e if i in p)
        overlap += n
        compared += len(e)
        same_total += emb["total"] == pg["total"]
        print(f"{q}\tembedded {emb['total']}\tpostgres {pg['total']}\ttop-{a.k} overlap {n}/{len(e)}")
    print(f"totals equal on {same_total}/{len(queries)} queries; "
          f"top-{a.k} overlap {overlap}/{compared} ({100 * overlap / max(compared, 1):.0f} %)")
    if a.runs < 1:
        return
    for name, where in (("embedded", ["--data", a.data]), ("postgres", ["--store", a.store])):
        times = []
        slowest = (0.0, "")
        for _ in range(a.runs):
            for q in queries:
                t = time.perf_counter()
                search(a.rased, where, q, a.k)
                ms = 1000 * (time.perf_counter() - t)
                times.append(ms)
                slowest = max(slowest, (ms, q))
        print(f"{name}: {len(times)} searches, p50 {percentile(times, 50):.0f} ms, "
              f"p95 {percentile(times, 95):.0f} ms, slowest {slowest[0]:.0f} ms ({slowest[1]})")


def percentile(xs, p):
    """The nearest-rank percentile."""
    xs = sorted(xs)
    return xs[max(0, min(len(xs) - 1, -(-p * len(xs) // 100) - 1))]


if __name__ == "__main__":
    main()

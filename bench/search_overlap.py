#!/usr/bin/env python3
"""Top-hit overlap of PostgreSQL search with the embedded index, on the benchmark queries.

    bench/search_overlap.py --data DIR --store postgres://... [--rased target/release/rased] [-k 10]

Both stores must hold the same articles (e.g. the same input ingested into each). For every
query of bench/queries.txt prints the two totals (they should be equal: the same articles
match) and how many of the embedded index's top k are in PostgreSQL's top k.
"""
import argparse
import json
import pathlib
import subprocess

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


if __name__ == "__main__":
    main()

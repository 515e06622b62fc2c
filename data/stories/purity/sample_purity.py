#!/usr/bin/env python3
"""Draws the purity sample: 50 multi-outlet stories of a store, none holding an article of the
judged pairs (`data/stories/pairs.tsv`, on which the clusterer was tuned), with every member's
outlet, date, title and lead, for a judge to read.

    python3 data/stories/purity/sample_purity.py RASED DATA_DIR CORPUS > sample.md

RASED is the rased binary, DATA_DIR a store that ingested CORPUS (JSON Lines, gzip). Standard
library only; the draw is `random.Random(20181)` over the stories sorted by id, so the same store
gives the same sample.
"""
import gzip
import json
import random
import subprocess
import sys

SAMPLE = 50
LEAD_SENTENCES = 2
MAX_MEMBERS = 40


def rased(binary, data, *args):
    out = subprocess.run([binary, *args, "--data", data, "--json"], check=True,
                         capture_output=True, text=True).stdout
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def lead(text):
    sentences = [s.strip() for s in text.replace("\n", " ").split(".") if s.strip()]
    return ". ".join(sentences[:LEAD_SENTENCES])[:250]


def main():
    binary, data, corpus = sys.argv[1:4]
    judged = set()
    with open("data/stories/pairs.tsv", encoding="utf-8") as f:
        for line in f:
            cols = line.rstrip("\n").split("\t")
            if len(cols) >= 2 and cols[0] != "a":
                judged.update(cols[:2])
    by_title = {}
    with gzip.open(corpus, "rt", encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            by_title.setdefault(((r.get("title") or "").strip(), r.get("outlet")), r)
    stories = rased(binary, data, "stories", "--min-outlets", "2", "--limit", "1000000")
    stories.sort(key=lambda s: s["id"])
    rng = random.Random(20181)
    rng.shuffle(stories)
    picked, skipped = [], 0
    for s in stories:
        if len(picked) == SAMPLE:
            break
        detail = rased(binary, data, "stories", s["id"])[0]
        members = []
        for a in detail["articles"]:
            r = by_title.get(((a.get("title") or "").strip(), a.get("outlet")))
            members.append((a, r))
        if any(r is not None and r["id"] in judged for _, r in members):
            skipped += 1
            continue
        picked.append((s, members))
    print(f"# Purity sample: {len(picked)} multi-outlet stories "
          f"({skipped} skipped for holding a judged-pair article)\n")
    for n, (s, members) in enumerate(picked, 1):
        print(f"## S{n:02d} story {s['id']} — {s['articles']} articles, "
              f"{len(s['outlets'])} outlets, {s.get('copies', 0)} copies")
        print(f"label: {s.get('label') or ''}\n")
        for i, (a, r) in enumerate(members[:MAX_MEMBERS], 1):
            copy = " (copy)" if a.get("copy_of") else ""
            text = lead(r["text"]) if r else ""
            print(f"{i}. [{a.get('outlet')}] {(a.get('published') or '')[:16]}{copy} — "
                  f"{a.get('title') or ''}\n   {text}")
        if len(members) > MAX_MEMBERS:
            print(f"   … {len(members) - MAX_MEMBERS} more members not shown")
        print()


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Compare what two rased binaries print for the same inputs, article by article.

A restructuring must not change output; a fix must change only what it fixes. This runs
`OLD analyze INPUTS…` and `NEW analyze INPUTS…` (or `events`), pairs the JSON records by
article id (by line number for records without one), and reports:

* how many records are identical, differ, or exist on one side only;
* for each top-level field, how many records differ in it;
* the first --examples differing records, field by field (list fields as removed/added
  items, so one changed entity does not print the whole list).

Exit status: 0 when every record is identical, 1 when something differs, 2 on a usage error
or when a binary fails to run.

    bench/diff/diff_outputs.py --old /tmp/rased-main --new target/release/rased \
        [--command analyze|events] [--examples 5] [--json] INPUT...

INPUT is anything `rased analyze` reads (files, directories, JSON Lines). The binaries run
one after the other with the same arguments and environment; their stderr is kept in the
report's `stderr` lines only when they fail.
"""

from __future__ import annotations

import argparse
import collections
import json
import subprocess
import sys


def run(binary: str, command: str, inputs: list[str]) -> list[dict]:
    proc = subprocess.run(
        [binary, command, *inputs], capture_output=True, text=True, check=False
    )
    # Exit 1 means some input failed (recorded on stderr); the records printed still count.
    if proc.returncode not in (0, 1):
        sys.stderr.write(f"{binary} {command}: exit {proc.returncode}\n{proc.stderr[-2000:]}\n")
        sys.exit(2)
    records = []
    for n, line in enumerate(proc.stdout.splitlines(), 1):
        if not line.strip():
            continue
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError as err:
            sys.stderr.write(f"{binary}: line {n} is not JSON: {err}\n")
            sys.exit(2)
    return records


def keyed(records: list[dict], command: str) -> dict:
    """Records by a stable key: the article id (analyze), or id + position (events)."""
    out = {}
    seen = collections.Counter()
    for i, r in enumerate(records):
        base = r.get("id") or r.get("article_id") or r.get("article") or f"#{i}"
        seen[base] += 1
        out[(str(base), seen[base])] = r
    return out


def canon(v) -> str:
    return json.dumps(v, ensure_ascii=False, sort_keys=True)


def field_diff(old, new) -> str:
    """A short human description of how one field changed."""
    if isinstance(old, list) and isinstance(new, list):
        o = collections.Counter(canon(x) for x in old)
        n = collections.Counter(canon(x) for x in new)
        removed = list((o - n).elements())
        added = list((n - o).elements())
        if not removed and not added:
            return "      same items, other order"
        lines = [f"      - {x[:300]}" for x in removed[:6]]
        lines += [f"      + {x[:300]}" for x in added[:6]]
        more = len(removed) + len(added) - len(lines)
        if more > 0:
            lines.append(f"      … {more} more")
        return "\n".join(lines)
    return f"      - {canon(old)[:300]}\n      + {canon(new)[:300]}"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--old", required=True, help="the reference binary")
    ap.add_argument("--new", required=True, help="the binary under test")
    ap.add_argument("--command", default="analyze", choices=["analyze", "events"])
    ap.add_argument("--examples", type=int, default=5, help="differing records to show")
    ap.add_argument("--json", action="store_true", help="print the summary as JSON")
    ap.add_argument("inputs", nargs="+")
    args = ap.parse_args()

    old = keyed(run(args.old, args.command, args.inputs), args.command)
    new = keyed(run(args.new, args.command, args.inputs), args.command)

    only_old = [k for k in old if k not in new]
    only_new = [k for k in new if k not in old]
    fields = collections.Counter()
    differing = []
    for k in old:
        if k not in new:
            continue
        a, b = old[k], new[k]
        if a == b:
            continue
        changed = sorted(f for f in set(a) | set(b) if a.get(f) != b.get(f))
        fields.update(changed)
        differing.append((k, changed))

    summary = {
        "old": args.old,
        "new": args.new,
        "command": args.command,
        "records_old": len(old),
        "records_new": len(new),
        "identical": len(old) - len(only_old) - len(differing),
        "differing": len(differing),
        "only_old": len(only_old),
        "only_new": len(only_new),
        "fields": dict(fields.most_common()),
    }
    if args.json:
        print(json.dumps(summary, ensure_ascii=False, indent=2))
    else:
        print(f"{args.command}: {summary['records_old']} records (old), "
              f"{summary['records_new']} (new)")
        print(f"identical {summary['identical']}, differing {summary['differing']}, "
              f"only in old {summary['only_old']}, only in new {summary['only_new']}")
        for f, n in fields.most_common():
            print(f"  field {f}: {n} records")
        for k, changed in differing[: args.examples]:
            print(f"\n== {k[0]}" + (f" (#{k[1]})" if k[1] > 1 else ""))
            for f in changed:
                print(f"   {f}:")
                print(field_diff(old[k].get(f), new[k].get(f)))
        for k in only_old[: args.examples]:
            print(f"\n== only in old: {k[0]}")
        for k in only_new[: args.examples]:
            print(f"\n== only in new: {k[0]}")
    same = not differing and not only_old and not only_new
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())

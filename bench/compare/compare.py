#!/usr/bin/env python3
"""rased side by side with Python peers, on the same inputs, in one run.

Four comparisons:

* normalization of N corpus article bodies (one line each): `rased text normalize --level
  match` (one process over stdin) vs arabic-norm, arabic-normalize, pyarabic, camel-tools
  utilities (in-process); speed, and agreement of the outputs with rased's;
* stemming of the same lines: `rased text stem` vs arabic-normalize's Light10, PyStemmer
  (Snowball Arabic), NLTK ISRI; speed, and agreement on the distinct words of the lines;
* HTML main-content extraction on the pages with ground truth: `rased analyze
  --extract-only` vs trafilatura, readability-lxml; bag-of-tokens body F1 and pages/s;
* publication dates on the pages with a gold date: rased vs htmldate, trafilatura.

Every timing is the median of --runs runs (default 3). Speed ratios are rased / peer
throughput (above 1: rased is faster); quality ratios are rased / peer scores.

Run through bench/compare/run.sh, which creates the virtualenv and builds rased.
"""

from __future__ import annotations

import argparse
import collections
import gzip
import importlib
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


# ---------------------------------------------------------------- helpers


def median_time(fn, runs):
    """Runs fn() `runs` times; returns (median seconds, all seconds, last result)."""
    times, result = [], None
    for _ in range(runs):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), times, result


def rased_stdin(rased, args, text: str) -> str:
    out = subprocess.run(
        [rased, *args], input=text.encode(), capture_output=True, check=True
    )
    return out.stdout.decode()


def token_f1(got: str, want: str):
    """Bag-of-whitespace-tokens precision, recall, F1 (as crates/extract/tests do)."""
    g = collections.Counter(got.split())
    w = collections.Counter(want.split())
    overlap = sum((g & w).values())
    p = overlap / max(1, sum(g.values()))
    r = overlap / max(1, sum(w.values()))
    f = 0.0 if p + r == 0 else 2 * p * r / (p + r)
    return p, r, f


TASHKEEL = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed\u0640]")
FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه"})


def fold(s: str) -> str:
    """Search-level folding, to compare stems made at different normalization levels."""
    return TASHKEEL.sub("", s).translate(FOLD)


ARABIC_WORD = re.compile("[\u0621-\u063a\u0641-\u064a\u064b-\u0652\u0640\u0670]+")
WORD = re.compile(r"\w+")


def load_lines(corpus: Path, n: int):
    """The first n article bodies, one line each (newlines → spaces)."""
    opener = gzip.open if corpus.suffix == ".gz" else open
    lines = []
    with opener(corpus, "rt", encoding="utf-8") as f:
        for raw in f:
            if not raw.strip():
                continue
            text = json.loads(raw).get("text") or ""
            lines.append(" ".join(text.split()))
            if len(lines) >= n:
                break
    return lines


class Table:
    def __init__(self, title, columns):
        self.title, self.columns, self.rows = title, columns, []

    def add(self, *cells):
        self.rows.append([fmt(c) for c in cells])

    def markdown(self):
        out = [f"### {self.title}", "", "| " + " | ".join(self.columns) + " |"]
        out.append("|" + "|".join("---" if i == 0 else "---:" for i in range(len(self.columns))) + "|")
        out += ["| " + " | ".join(r) + " |" for r in self.rows]
        return "\n".join(out) + "\n"


def fmt(x):
    if x is None:
        return "-"
    if isinstance(x, float):
        if x >= 1000:
            return f"{x:,.0f}"
        if x >= 100:
            return f"{x:.0f}"
        if x >= 10:
            return f"{x:.1f}"
        return f"{x:.2f}"
    return str(x)


def ratio(a, b):
    return None if a is None or not b else a / b


# ---------------------------------------------------------------- peers


def try_import(name, build):
    """(callable, version) or (None, reason): a peer that cannot be imported is missing."""
    try:
        fn = build()
    except Exception as e:  # noqa: BLE001 — any failure means "missing", reported
        return None, f"missing ({type(e).__name__}: {str(e).splitlines()[0][:60]})"
    try:
        from importlib.metadata import version

        v = version(name)
    except Exception:  # noqa: BLE001
        v = "?"
    return fn, v


def normalizers():
    """Match-level normalization in each peer, as close to rased's match level as it goes:
    strip tashkeel and tatweel, unify alif forms, ى → ي (and digits → ASCII when offered)."""

    def arabic_norm():
        import arabic_norm

        return arabic_norm.normalize

    def arabic_normalize():
        import arabic_normalize

        n = arabic_normalize.Normalizer(alef_maqsura=True, digits="western")
        return n.normalize

    def pyarabic():
        import pyarabic.araby as ar

        def f(t):
            # ى → ي first: pyarabic's normalize_alef would fold ى into ا.
            t = ar.strip_tatweel(ar.strip_tashkeel(t)).replace("ى", "ي")
            return ar.normalize_alef(t)

        return f

    def camel():
        from camel_tools.utils.dediac import dediac_ar
        from camel_tools.utils.normalize import normalize_alef_ar, normalize_alef_maksura_ar

        return lambda t: normalize_alef_maksura_ar(normalize_alef_ar(dediac_ar(t))).replace("\u0640", "")

    return [
        ("arabic-norm", "arabic-norm", arabic_norm),
        ("arabic-normalize", "arabic-normalize", arabic_normalize),
        ("pyarabic", "pyarabic", pyarabic),
        ("camel-tools (utils)", "camel-tools", camel),
    ]


def stemmers():
    """Word → stem in each peer; the peers get words from a \\w+ regex over the line."""

    def light10():
        import arabic_normalize

        return arabic_normalize.light_stem, True  # expects a normalized word

    def snowball():
        import Stemmer

        s = Stemmer.Stemmer("arabic")
        return s.stemWord, False

    def isri():
        from nltk.stem.isri import ISRIStemmer

        return ISRIStemmer().stem, False

    return [
        ("arabic-normalize light_stem (Light10)", "arabic-normalize", light10),
        ("PyStemmer (Snowball arabic)", "PyStemmer", snowball),
        ("NLTK ISRI", "nltk", isri),
    ]


# ---------------------------------------------------------------- comparisons


def compare_normalize(rased, lines, runs, report):
    text = "\n".join(lines) + "\n"
    mb = len(text.encode()) / 1e6
    t, times, out = median_time(lambda: rased_stdin(rased, ["text", "normalize", "--level", "match"], text), runs)
    mine = out.split("\n")[: len(lines)]
    rased_mbs = mb / t
    table = Table(
        f"Normalization (match level), {len(lines)} articles, {mb:.1f} MB, median of {runs} runs",
        ["tool", "version", "MB/s", "speed ratio rased/peer", "same output (lines)", "same tokens"],
    )
    table.add("rased text normalize --level match", "this tree", rased_mbs, None, None, None)
    report["normalize"] = {"rased": {"seconds": times, "mb": mb}}
    for label, dist, build in normalizers():
        fn, version = try_import(dist, build)
        if fn is None:
            table.add(label, version, None, None, None, None)
            continue
        pt, ptimes, theirs = median_time(lambda: [fn(line) for line in lines], runs)
        same_lines = sum(a == b for a, b in zip(mine, theirs)) / len(lines)
        tok_same = tok_all = 0
        for a, b in zip(mine, theirs):
            ta, tb = a.split(), b.split()
            tok_all += max(len(ta), len(tb))
            tok_same += sum(x == y for x, y in zip(ta, tb))
        table.add(label, version, mb / pt, rased_mbs / (mb / pt), f"{same_lines:.1%}", f"{tok_same / max(1, tok_all):.1%}")
        report["normalize"][label] = {"seconds": ptimes, "same_lines": same_lines, "same_tokens": tok_same / max(1, tok_all)}
    return table


def compare_stem(rased, lines, runs, report):
    text = "\n".join(lines) + "\n"
    mb = len(text.encode()) / 1e6
    t, times, out = median_time(lambda: rased_stdin(rased, ["text", "stem"], text), runs)
    nwords = sum(len(l.split()) for l in out.split("\n"))
    rased_wps = nwords / t
    # Agreement: the distinct Arabic words of the lines, one per line, through each stemmer.
    words = sorted({w for line in lines for w in ARABIC_WORD.findall(line)})
    mine = rased_stdin(rased, ["text", "stem"], "\n".join(words) + "\n").split("\n")[: len(words)]
    table = Table(
        f"Stemming, {len(lines)} articles ({nwords:,} rased tokens), median of {runs} runs; "
        f"agreement over {len(words):,} distinct Arabic words (stems compared after ة→ه / alif / ى folding)",
        ["tool", "version", "words/s", "speed ratio rased/peer", "same stem as rased"],
    )
    table.add("rased text stem (Light10 + clitics, search level)", "this tree", rased_wps, None, None)
    report["stem"] = {"rased": {"seconds": times, "words": nwords}}
    for label, dist, build in stemmers():
        got, version = try_import(dist, build)
        if got is None:
            table.add(label, version, None, None, None)
            continue
        fn, wants_normalized = got
        if wants_normalized:
            import arabic_normalize

            prep = arabic_normalize.normalize_for_search
            run = lambda: [[fn(w) for w in WORD.findall(prep(line))] for line in lines]  # noqa: E731
            one = lambda w: fn(prep(w))  # noqa: E731
        else:
            run = lambda: [[fn(w) for w in WORD.findall(line)] for line in lines]  # noqa: E731
            one = fn
        pt, ptimes, res = median_time(run, runs)
        pw = sum(len(r) for r in res)
        same = sum(fold(one(w)) == fold(m) for w, m in zip(words, mine)) / max(1, len(words))
        table.add(label, version, pw / pt, rased_wps / (pw / pt), f"{same:.1%}")
        report["stem"][label] = {"seconds": ptimes, "words": pw, "same": same}
    return table


def gold_pages(html: Path):
    """(path, gold body or None, gold date or None, must, must_not) for each page with gold."""
    pages = []
    cnn_gold = (html / "newspaper4k/arabic_article.txt").read_text(encoding="utf-8")
    for f in ["newspaper4k/arabic_article.html", "derived/encoding/cnn_arabic_cp1256.html",
              "derived/encoding/cnn_arabic_cp1256_nometa.html"]:
        if (html / f).exists():
            pages.append(dict(path=html / f, body=cnn_gold, date=None, must=[], must_not=[]))
    lbc = html / "fundus/LBCGroup.expected.json"
    if lbc.exists():
        exp = json.loads(lbc.read_text(encoding="utf-8"))["V1"]
        body = "\n".join(p for s in exp["body"]["sections"] for p in s["paragraphs"])
        date = (exp.get("publishing_date") or "")[:10] or None
        pages.append(dict(path=html / "fundus/LBCGroup_2026_01_08.html", body=body, date=date, must=[], must_not=[]))
    tra = html / "trafilatura/assabah.com.tn.article.expected.json"
    if tra.exists():
        exp = next(iter(json.loads(tra.read_text(encoding="utf-8")).values()))
        pages.append(dict(path=html / "trafilatura" / exp["file"], body=None, date=exp.get("date") or None,
                          must=exp.get("with", []), must_not=exp.get("without", [])))
    gold = html / "htmldate/gold_dates.json"
    if gold.exists():
        for f, g in json.loads(gold.read_text(encoding="utf-8")).items():
            if (html / "htmldate" / f).exists():
                pages.append(dict(path=html / "htmldate" / f, body=None, date=g.get("date") or None, must=[], must_not=[]))
    return pages


def rased_extract(rased, paths, reps):
    """Main article (body with its dateline put back in front, as the page printed it, and
    date) of each page, from one `rased analyze --extract-only` process over all pages
    repeated `reps` times."""
    args = [str(p) for _ in range(reps) for p in paths]
    out = subprocess.run([rased, "analyze", "--extract-only", *args], capture_output=True, check=False)
    results = {}
    for line in out.stdout.decode().splitlines():
        a = json.loads(line)
        if a.get("role") != "main":
            continue
        name = a.get("input") or ""
        key = next((str(p) for p in paths if name == str(p) or name.startswith(f"{p}#")), None)
        if key is None or key in results:
            continue
        body = a.get("body") or ""
        dl = a.get("dateline")
        if dl and (dl.get("place") or dl.get("outlet")):
            body = f"{dl.get('place') or ''} ({dl.get('outlet') or ''}) -- {body}"
        results[key] = (body, (a.get("published") or "")[:10] or None)
    return results


def html_extractors():
    def trafilatura_():
        import trafilatura

        return lambda b: trafilatura.extract(b) or ""

    def readability_():
        import lxml.html
        from readability import Document

        def f(b):
            summary = Document(b).summary()
            return lxml.html.fromstring(summary).text_content() if summary else ""

        return f

    return [("trafilatura", "trafilatura", trafilatura_), ("readability-lxml", "readability-lxml", readability_)]


def date_finders():
    def htmldate_():
        from htmldate import find_date

        return lambda b: find_date(b, original_date=True)

    def trafilatura_():
        import trafilatura

        def f(b):
            m = trafilatura.extract_metadata(b)
            return m.date if m is not None else None

        return f

    return [("htmldate (original_date=True)", "htmldate", htmldate_), ("trafilatura metadata", "trafilatura", trafilatura_)]


def compare_html(rased, html: Path, runs, reps, report):
    pages = gold_pages(html)
    paths = [p["path"] for p in pages]
    blobs = {str(p): p.read_bytes() for p in paths}
    mb = sum(len(b) for b in blobs.values()) * reps / 1e6
    t, times, res = median_time(lambda: rased_extract(rased, paths, reps), runs)
    rased_pps = len(paths) * reps / t

    def score(extract_one):
        f1s, must_ok, must_n = [], 0, 0
        for p in pages:
            body = extract_one(p)
            if body is None:
                continue
            if p["body"] is not None:
                f1s.append(token_f1(body, p["body"])[2])
            for s in p["must"]:
                must_n += 1
                must_ok += s in body
            for s in p["must_not"]:
                must_n += 1
                must_ok += s not in body
        return (statistics.mean(f1s) if f1s else None), f1s, (must_ok, must_n)

    with_body = [p for p in pages if p["body"] is not None]
    table = Table(
        f"HTML main content: {len(with_body)} pages with a gold body (mean bag-of-tokens F1), "
        f"the assabah page's must/must-not snippets; speed over all {len(paths)} gold pages × {reps}, "
        f"{mb:.1f} MB, median of {runs} runs",
        ["tool", "version", "body F1", "F1 ratio rased/peer", "snippets ok", "pages/s", "speed ratio rased/peer"],
    )
    rf1, rlist, (rok, rn) = score(lambda p: res.get(str(p["path"]), ("", None))[0])
    table.add("rased analyze --extract-only", "this tree", rf1, None, f"{rok}/{rn}", rased_pps, None)
    report["html"] = {"rased": {"seconds": times, "f1": rlist, "snippets": [rok, rn]}}
    # The same extraction warm, in-process, with no JSON output: `rased bench` over the
    # directory (which holds exactly these pages when it is ../shared/data/html).
    try:
        out = subprocess.run(
            [rased, "bench", "--stage", "extract-html", "--html", str(html), "--threads", "1",
             "--runs", str(runs), "--json"],
            capture_output=True, text=True, check=True,
        )
        row = json.loads(out.stdout.strip().splitlines()[-1])
        table.add("rased, warm in-process (rased bench --stage extract-html)", "this tree", None, None, None,
                  row["items_per_s"], None)
        report["html"]["rased warm"] = row
    except (subprocess.CalledProcessError, ValueError, IndexError) as e:
        print(f"warning: rased bench --stage extract-html failed: {e}", file=sys.stderr)
    for label, dist, build in html_extractors():
        fn, version = try_import(dist, build)
        if fn is None:
            table.add(label, version, None, None, None, None, None)
            continue
        outs = {}

        def run():
            for _ in range(reps):
                for p in paths:
                    try:
                        outs[str(p)] = fn(blobs[str(p)])
                    except Exception as e:  # noqa: BLE001 — a crash on a page scores 0 there
                        outs[str(p)] = ""
                        print(f"warning: {label} failed on {p.name}: {e}", file=sys.stderr)

        pt, ptimes, _ = median_time(run, runs)
        f1, flist, (ok, n) = score(lambda p: outs.get(str(p["path"]), ""))
        pps = len(paths) * reps / pt
        table.add(label, version, f1, ratio(rf1, f1), f"{ok}/{n}", pps, rased_pps / pps)
        report["html"][label] = {"seconds": ptimes, "f1": flist, "snippets": [ok, n]}

    # Per page: one bad page (a mis-decoded charset, say) moves a mean of four a lot.
    names = [p["path"].relative_to(html).as_posix() for p in with_body]
    per_page = Table(
        "Body F1 per page",
        ["page", *[k for k in report["html"] if "f1" in report["html"][k] and report["html"][k]["f1"] is not None]],
    )
    tools = per_page.columns[1:]
    for i, name in enumerate(names):
        per_page.add(name, *[report["html"][t]["f1"][i] for t in tools])

    dated = [p for p in pages if p["date"]]
    dtable = Table(
        f"Publication date: {len(dated)} pages with a gold date (exact day), median of {runs} runs",
        ["tool", "version", "right", "accuracy", "accuracy ratio rased/peer", "pages/s"],
    )
    right = sum(res.get(str(p["path"]), ("", None))[1] == p["date"] for p in dated)
    racc = right / max(1, len(dated))
    dtable.add("rased analyze --extract-only", "this tree", f"{right}/{len(dated)}", racc, None, rased_pps)
    report["dates"] = {"rased": {"right": right, "pages": [str(p["path"].name) for p in dated]}}
    for label, dist, build in date_finders():
        fn, version = try_import(dist, build)
        if fn is None:
            dtable.add(label, version, None, None, None, None)
            continue
        got = {}

        def run():
            for _ in range(reps):
                for p in paths:
                    try:
                        got[str(p)] = fn(blobs[str(p)])
                    except Exception:  # noqa: BLE001
                        got[str(p)] = None

        pt, _, _ = median_time(run, runs)
        n_ok = sum((got.get(str(p["path"])) or "")[:10] == p["date"] for p in dated)
        acc = n_ok / max(1, len(dated))
        dtable.add(label, version, f"{n_ok}/{len(dated)}", acc, ratio(racc, acc), len(paths) * reps / pt)
        report["dates"][label] = {"right": n_ok, "got": {Path(k).name: v for k, v in got.items()}}
    return [table, per_page, dtable]


def machine():
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "?"
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f"{kb / 1024 / 1024:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    return f"{os.cpu_count()} cores, {cpu}, {mem} RAM, {platform.system()} {platform.release()}, Python {platform.python_version()}"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rased", default=str(ROOT / "target/release/rased"))
    ap.add_argument("--corpus", default=str(ROOT / "../shared/data/corpus/ant-multisource.jsonl.gz"))
    ap.add_argument("--html", default=str(ROOT / "../shared/data/html"))
    ap.add_argument("--articles", type=int, default=2000, help="corpus articles for normalization and stemming")
    ap.add_argument("--runs", type=int, default=3, help="timed runs; medians are reported")
    ap.add_argument("--reps", type=int, default=5, help="passes over the HTML pages per run")
    ap.add_argument("--out", default=str(ROOT / "bench/results"))
    args = ap.parse_args()

    corpus, html = Path(args.corpus), Path(args.html)
    for p, what in [(corpus, "corpus"), (html, "HTML directory")]:
        if not p.exists():
            sys.exit(f"compare.py: {what} not found: {p}")
    if not Path(args.rased).exists():
        sys.exit(f"compare.py: rased binary not found: {args.rased} (cargo build --release -p rased)")

    report = {"machine": machine(), "args": vars(args)}
    lines = load_lines(corpus, args.articles)
    tables = []
    print(f"normalization on {len(lines)} articles…", file=sys.stderr)
    tables.append(compare_normalize(args.rased, lines, args.runs, report))
    print("stemming…", file=sys.stderr)
    tables.append(compare_stem(args.rased, lines, args.runs, report))
    print("HTML pages…", file=sys.stderr)
    tables += compare_html(args.rased, html, args.runs, args.reps, report)

    head = (
        f"Machine: {report['machine']}. rased: {args.rased}. "
        f"Timings: median of {args.runs} runs; rased runs as one process per run (startup included), "
        "peers in-process. All single-threaded.\n"
    )
    md = head + "\n" + "\n".join(t.markdown() for t in tables)
    print(md)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "compare.md").write_text(md, encoding="utf-8")
    (out / "compare.json").write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"wrote {out / 'compare.md'} and compare.json", file=sys.stderr)


if __name__ == "__main__":
    main()

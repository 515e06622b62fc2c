#!/usr/bin/env python3
"""Fills fuzz/corpus/TARGET/ with small seeds taken from the repository's fixtures (and the
HTML pages of ../shared/data/html when present). The corpora are not committed: run this
before `cargo fuzz run` (.ci/run does). Each seed is cut to 64 KiB."""
import glob
import os

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
LIMIT = 64 * 1024


def put(target, name, data):
    d = os.path.join(HERE, "corpus", target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data[:LIMIT])


def read(path):
    with open(path, "rb") as f:
        return f.read()


def main():
    fx = os.path.join(ROOT, "tests", "fixtures", "extract")
    sample = os.path.join(ROOT, "data", "samples", "ant-multisource-sample.jsonl")
    seed_page = read(os.path.join(fx, "seed-page.txt"))
    lines = read(sample).splitlines(keepends=True)
    html = (b"<!DOCTYPE html><html><head><meta charset=utf-8><title>t</title>"
            b"<meta property='article:published_time' content='2025-08-25'></head><body>"
            b"<article><h1>\xd8\xb9\xd9\x86\xd9\x88\xd8\xa7\xd9\x86</h1><p>"
            + seed_page.split(b"\n")[2] + b"</p></article><footer>x</footer></body></html>")
    pages = [html]
    shared = os.path.join(ROOT, "..", "shared", "data", "html")
    pages += [read(p) for p in sorted(glob.glob(os.path.join(shared, "*", "*.html")))]
    for i, p in enumerate(pages):
        put("extract_html", f"page{i}.html", p)
    put("extract_textpage", "seed-page.txt", seed_page)
    for name in ["BBC.rss.xml", "jawharafm.atom.xml"]:
        put("extract_feed", name, read(os.path.join(fx, name)))
    for i, line in enumerate(lines[:3]):
        put("extract_jsonl", f"line{i}.jsonl", line)
    put("extract_jsonl", "lines.jsonl", b"".join(lines[:4]))
    payload = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + html
    warc = (b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: https://example.com/a\r\n"
            b"Content-Type: application/http; msgtype=response\r\n"
            + f"Content-Length: {len(payload)}\r\n\r\n".encode() + payload + b"\r\n\r\n")
    put("extract_warc", "one.warc", warc)
    text_fx = os.path.join(ROOT, "crates", "text", "tests", "fixtures")
    for name in ["dates.tsv", "segment_words.tsv", "name_variants.tsv"]:
        for i, line in enumerate(read(os.path.join(text_fx, name)).splitlines()[:20]):
            put("text", f"{name}-{i}", line)
    put("text", "seed-page", seed_page)
    for i, q in enumerate(["حفتر", '"خليفة حفتر"', "«قالين» تركيا", "وبالجنرال\x012025-08\x012025-09-01",
                           'x "unbalanced', "-+*:^()[]{}"]):
        put("search_query", f"q{i}", q.encode())
    for i, q in enumerate(["q=%D8%AD%D9%81%D8%AA%D8%B1&limit=5&offset=10",
                           "from=2025&to=2025-08-31", "q=a&q=b", "limit=999999999999999999999",
                           "bogus=1", "from=2025-13-40", "q=%FF"]):
        put("api_params", f"p{i}", q.encode())


if __name__ == "__main__":
    main()

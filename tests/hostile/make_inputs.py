#!/usr/bin/env python3
"""Writes the hostile inputs of issue 17 into a directory (default /tmp/rased-hostile).

Each file is a kind of page that an attacker or an unlucky crawler can hand to `rased analyze`
or `rased ingest`: deep nesting, huge attribute lists, very many lines or names, one endless
sentence, one giant token. The files are generated, never committed (several are megabytes).
Usage: tests/hostile/make_inputs.py [DIR] [--scale F]   (F < 1 makes smaller files)
"""
import argparse
import os

HEAD = "<html><head><meta charset=utf-8><title>عنوان الصفحة</title></head><body>"
PARA = ("<p>التقى رئيس الاستخبارات التركية إبراهيم قالين بالجنرال خليفة حفتر في بنغازي "
        "يوم الاثنين لبحث التعاون بين البلدين.</p>")
NAMES = ["إبراهيم قالين", "خليفة حفتر", "رجب طيب أردوغان", "عبد الحميد الدبيبة",
         "الأمم المتحدة", "طرابلس", "بنغازي", "تركيا", "ليبيا", "مصر"]
SHORT = ["مصر", "ليبيا", "تركيا", "قطر", "حفتر", "تونس"]


def write(out, name, text):
    path = os.path.join(out, name)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    print(f"{path}\t{os.path.getsize(path)} bytes")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", nargs="?", default="/tmp/rased-hostile")
    ap.add_argument("--scale", type=float, default=1.0)
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    n = lambda k: max(1, int(k * a.scale))

    # 1. 200,000 nested <div>s (about 1 MB), with a sane article before the nesting.
    depth = n(200_000)
    write(a.out, "nested-divs.html",
          HEAD + PARA * 3 + "<div>" * depth + "نص عميق" + "</div>" * depth + "</body></html>")

    # 2. 200,000 short lines, each a sentence with names (about 6 MB), as a text page.
    lines = [f"زار {NAMES[i % 10]} {SHORT[(i * 7 + 3) % 6]}." for i in range(n(200_000))]
    write(a.out, "many-lines.txt", "عنوان طويل جدا\n" + "\n".join(lines) + "\n")

    # 3. 300,000 comma-separated entity names (about 3 MB) on one line.
    write(a.out, "many-names.txt",
          "قائمة الأسماء\n" + "، ".join(SHORT[i % 6] for i in range(n(300_000))) + "\n")

    # 4. One unpunctuated sentence of 160,000 tokens.
    words = "قال الرئيس إن الوزير خليفة حفتر زار طرابلس مع وفد كبير من رجال الأعمال".split()
    write(a.out, "long-sentence.txt",
          "عنوان\n" + " ".join(words[i % len(words)] for i in range(n(160_000))) + "\n")

    # 5. A 2.3 MB page with 200,000 attributes on one tag.
    attrs = " ".join(f'data-a{i}="v{i}"' for i in range(n(200_000)))
    write(a.out, "many-attributes.html", HEAD + f"<div {attrs}>" + PARA * 3 + "</div></body></html>")

    # 5b. 17,000 lines, each a different four-part person name (about 170,000 tokens, under
    # the token budget): thousands of distinct entities in one article.
    first = "محمد أحمد علي حسن خالد عمر يوسف إبراهيم سعيد محمود عبدالله سالم ناصر فهد سلمان طارق وليد هشام كريم رامي".split()
    last = "الدبيبة حفتر قالين أردوغان السيسي المشري الكبير العتيبي الشمري القحطاني الزهراني الحربي المطيري الغامدي الدوسري العنزي السبيعي البلوشي الكعبي النعيمي".split()
    people = [f"{f} {m} {g} {l}" for f in first for m in ["بن", "ولد", "أبو"] for g in first for l in last]
    write(a.out, "distinct-names.txt",
          "عنوان\n" + "\n".join(f"قال الوزير {p} إن الاجتماع ناجح." for p in people[:n(17_000)]) + "\n")

    # 6. One token over 65,535 bytes (Arabic letters, 2 bytes each), in a sentence.
    write(a.out, "giant-token.txt",
          "عنوان\nقال الرئيس إن " + "ب" * n(40_000) + " وصل إلى طرابلس.\n")
    # ... and the same as a word with a clitic in front, the segmenter's path.
    write(a.out, "giant-token-clitic.txt",
          "عنوان\nقال الرئيس إن وبال" + "جنرال" * n(8_000) + " وصل إلى طرابلس.\n")


if __name__ == "__main__":
    main()

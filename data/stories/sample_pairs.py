#!/usr/bin/env python3
"""Draw candidate article pairs for the rased story gold set.

Standard library only. Deterministic (fixed seed). Usage:

    nice -n 10 python3 data/stories/sample_pairs.py \
        /work/shared/data/corpus/ant-multisource.jsonl.gz > data/stories/candidates.tsv

Every candidate is a pair of articles published within +-3 days of each other.
Similarity is an idf-weighted cosine over the normalized word set of the
title plus the lead (first three sentences, at most 60 words). The samplers
(`how` column) are:

  high       different outlets, sim >= 0.40
  medium     different outlets, 0.18 <= sim < 0.40
  rarename   different outlets, sim < 0.18, but both title+lead contain the same
             rare proper name (gazetteer person/place, corpus df <= 40)
  topic      different outlets, same category, 0.08 <= sim < 0.18, sharing a
             place/country name and a mid-frequency content word (same-topic
             hard negatives: two strikes in Syria, two matches in one league)
  sameoutlet same outlet, published 12 h .. 3 days apart, sim >= 0.12
             (follow-ups by one outlet, or the same outlet's other news)
  random     different outlets, any sim, uniformly drawn within +-3 days
  hardneg    (second round, drawn after the others so they are unchanged)
             different outlets, same category, 18 h .. 3 days apart,
             0.06 <= sim < 0.18, sharing at least two gazetteer names
             (person/place, corpus df <= 3000): same people or places on
             other days, the likeliest different-story look-alikes

No article is used in more than two candidates. Output columns:
a  b  how  sim  days  shared  (shared = up to 6 shared words, rarest first)
"""
import gzip
import json
import math
import random
import re
import sys
from collections import Counter, defaultdict
from email.utils import parsedate_to_datetime

SEED = 20180301
QUOTA = {"high": 130, "medium": 170, "rarename": 110, "topic": 70,
         "sameoutlet": 80, "random": 30, "hardneg": 70}
MAX_USES = 2
WINDOW_S = 3 * 86400
MAX_DF = 250  # words indexed for candidate generation
GAZ_TAGS = {"PNAME", "PLAST", "CITY", "BIGCITY", "COUNTRY"}

DIAC = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
NONWORD = re.compile(r"[^0-9a-z\u0621-\u064a]+")
SENT = re.compile(r"(?<=[.!?؟])\s+|\n+")

STOP_RAW = """
في من على الى إلى عن مع هذا هذه ذلك تلك التي الذي الذين اللذين اللتين اللواتي
ان أن إن كان كانت يكون تكون كما قد لقد لم لن لا ما ماذا متى اين أين كيف هل او أو
ثم بل لكن حتى اذا إذا بين بعد قبل عند عندما منذ خلال حول ضد نحو دون غير سوى كل بعض
اي أي هو هي هم هن انه أنه انها أنها إنه إنها لها له لهم بها به بهم فيها فيه منها منه
عليها عليه عنها عنه اليوم امس أمس غدا الآن الان ايضا أيضا جدا فقط وقد وكان وكانت
وفي ومن وعلى والى وإلى وعن ومع وهو وهي ولا وما وأن وان وإن فان فإن كذلك بينما حيث
وقال قال قالت وقالت اكد أكد وأكد اضاف أضاف وأضاف اوضح أوضح وأوضح اشار أشار وأشار
يوم الأحد الاثنين الثلاثاء الأربعاء الخميس الجمعة السبت الماضي المقبل الحالي العام
عام الشهر الاسبوع الأسبوع شهر سنة مساء صباح عدد عبر وفق وفقا بحسب حسب نقلا نقلت
ذكرت وذكرت أعلن اعلن وأعلن اعلنت أعلنت أفادت افادت اليه إليه اليها إليها لدى تم يتم
التي الى أكثر اكثر أقل اقل كبير كبيرة جديد جديدة أول اول ثاني آخر اخر أخرى اخرى
مليون مليار ألف الف واحد اثنين ثلاثة عشرة مئة مائة مئات آلاف الاف
سكاي نيوز عربية العربية نت بي سي فرانس 24 سي ان ان مصدر وكالة وكالات رويترز فرانس برس
ا ب ت ف ل و ك
"""


def norm(s):
    s = DIAC.sub("", s.lower())
    s = re.sub("[أإآٱ]", "ا", s)
    return s.replace("ى", "ي").replace("ة", "ه").replace("ؤ", "و").replace("ئ", "ي")


PREFIXES = ("وال", "بال", "فال", "كال", "لل", "ال", "و")


def stem(w):
    for p in PREFIXES:
        if w.startswith(p) and len(w) - len(p) >= 3:
            return w[len(p):]
    return w


STOP = {stem(norm(w)) for w in STOP_RAW.split()} | {norm(w) for w in STOP_RAW.split()}


def words(s):
    out = []
    for w in NONWORD.split(norm(s)):
        if len(w) < 2 or w.isdigit():
            continue
        st = stem(w)
        if st in STOP or w in STOP or len(st) < 2:
            continue
        out.append(st)
    return out


def lead(text):
    sents = [x for x in SENT.split(text or "") if x.strip()]
    return " ".join(sents[:3])


def when(d):
    try:
        return parsedate_to_datetime(d["published"]).timestamp()
    except Exception:
        m = re.search(r"(\d{8})$", d["id"])
        from datetime import datetime, timezone
        return datetime.strptime(m.group(1), "%Y%m%d").replace(tzinfo=timezone.utc).timestamp()


def main(path, gaz_path):
    gaz = set()
    with open(gaz_path, encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) == 2 and " " not in parts[0] and set(parts[1].split(",")) & GAZ_TAGS:
                gaz.add(stem(norm(parts[0])))
    places = set()
    with open(gaz_path, encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) == 2 and set(parts[1].split(",")) & {"COUNTRY", "BIGCITY"}:
                places.add(stem(norm(parts[0])))

    arts = []
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            ws = words(d["title"] or "")
            ws += words(lead(d["text"] or d["abstract"] or ""))[:60]
            arts.append((d["id"], d["outlet"], d["category"], when(d), set(ws)))
    n = len(arts)
    df = Counter()
    for a in arts:
        df.update(a[4])
    idf = {w: math.log(n / c) for w, c in df.items()}
    norms = [math.sqrt(sum(idf[w] ** 2 for w in a[4])) or 1.0 for a in arts]

    order = sorted(range(n), key=lambda i: arts[i][3])
    rank = {i: r for r, i in enumerate(order)}
    times = [arts[i][3] for i in order]
    # inverted index over words that are not too common
    post = defaultdict(list)
    for i in order:
        for w in arts[i][4]:
            if df[w] <= MAX_DF:
                post[w].append(i)

    import bisect
    # candidate pairs: accumulate shared idf mass over rare-ish words
    acc = defaultdict(float)
    for w, lst in post.items():
        if len(lst) < 2:
            continue
        lt = [arts[i][3] for i in lst]
        wt = idf[w] ** 2
        for x, i in enumerate(lst):
            hi = bisect.bisect_right(lt, arts[i][3] + WINDOW_S)
            for j in lst[x + 1:hi]:
                key = (i, j) if i < j else (j, i)
                acc[key] += wt

    rng = random.Random(SEED)
    buckets = defaultdict(list)
    for (i, j), _ in acc.items():
        A, B = arts[i], arts[j]
        if A[0] == B[0]:
            continue
        shared = A[4] & B[4]
        sim = sum(idf[w] ** 2 for w in shared) / (norms[i] * norms[j])
        dt = abs(A[3] - B[3])
        same_outlet = A[1] == B[1]
        if same_outlet:
            if dt >= 12 * 3600 and sim >= 0.12:
                buckets["sameoutlet"].append((i, j, sim))
            continue
        if sim >= 0.40:
            buckets["high"].append((i, j, sim))
        elif sim >= 0.18:
            buckets["medium"].append((i, j, sim))
        else:
            if (0.06 <= sim and A[2] == B[2] and dt >= 18 * 3600
                    and sum(1 for w in shared if w in gaz and df[w] <= 3000) >= 2):
                buckets["hardneg"].append((i, j, sim))
            rare = [w for w in shared if w in gaz and df[w] <= 40 and len(w) >= 3]
            if rare:
                buckets["rarename"].append((i, j, sim))
            elif (sim >= 0.08 and A[2] == B[2] and shared & places
                  and any(30 <= df[w] <= 600 and w not in places for w in shared)):
                buckets["topic"].append((i, j, sim))
    # random pairs within the window
    rand = []
    while len(rand) < QUOTA["random"] * 20:
        i = rng.randrange(n)
        r = rank[i]
        lo = bisect.bisect_left(times, arts[i][3] - WINDOW_S)
        hi = bisect.bisect_right(times, arts[i][3] + WINDOW_S)
        j = order[rng.randrange(lo, hi)]
        if arts[j][1] != arts[i][1]:
            shared = arts[i][4] & arts[j][4]
            sim = sum(idf[w] ** 2 for w in shared) / (norms[i] * norms[j])
            rand.append((min(i, j), max(i, j), sim))
    buckets["random"] = rand

    uses = Counter()
    seen = set()
    out = []
    for how in ["high", "medium", "rarename", "topic", "sameoutlet", "random", "hardneg"]:
        cands = sorted(buckets[how])
        rng.shuffle(cands)
        if how in ("high", "medium"):
            # spread over the similarity range: stratify into 4 bins
            lo, hi = (0.40, 1.0001) if how == "high" else (0.18, 0.40)
            step = (hi - lo) / 4
            bins = [[c for c in cands if lo + k * step <= c[2] < lo + (k + 1) * step] for k in range(4)]
            cands = [c for tup in zip(*[b + [None] * (max(map(len, bins)) - len(b)) for b in bins])
                     for c in tup if c is not None]
        got = 0
        for i, j, sim in cands:
            if got >= QUOTA[how]:
                break
            if (i, j) in seen or uses[i] >= MAX_USES or uses[j] >= MAX_USES:
                continue
            seen.add((i, j))
            uses[i] += 1
            uses[j] += 1
            got += 1
            shared = sorted(arts[i][4] & arts[j][4], key=lambda w: (df[w], w))[:6]
            days = abs(arts[i][3] - arts[j][3]) / 86400
            out.append((arts[i][0], arts[j][0], how, "%.3f" % sim, "%.1f" % days, " ".join(shared)))
        print("%s: %d of %d candidates" % (how, got, len(buckets[how])), file=sys.stderr)
    print("a\tb\thow\tsim\tdays\tshared")
    for row in out:
        print("\t".join(row))


if __name__ == "__main__":
    here = __file__.rsplit("/", 1)[0] if "/" in __file__ else "."
    main(sys.argv[1] if len(sys.argv) > 1 else "/work/shared/data/corpus/ant-multisource.jsonl.gz",
         sys.argv[2] if len(sys.argv) > 2 else here + "/../ner/gazetteer.tsv")

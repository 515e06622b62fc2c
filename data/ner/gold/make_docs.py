#!/usr/bin/env python3
"""Sample, tokenize and assemble the in-domain NER gold documents.

  make_docs.py sample                 -> writes sample.tsv (the ordered random queue)
  make_docs.py tokenize DOC... [--out DIR]
                                      -> DIR/<doc>.sents: numbered sentences, one token per
                                         line, for the annotator to read
  make_docs.py apply SPANFILE... [--work DIR]
                                      -> docs/<doc>.txt in ANERcorp format (DIR: where
                                         tokenize wrote the .json files, default /tmp/nerwork)
  make_docs.py split                  -> split.tsv: per annotation batch (BATCHES) and
                                         outlet, a seeded third of the batch's documents
                                         goes to `test`; earlier batches never move

Sentences: the title is the first sentence (tokenized as one line, not split); every non-empty
line of the body is split by `rased text sentences`, and every sentence is tokenized by
`rased text tokens --json` (tokens kept exactly as the tokenizer gives them, clitics attached).

Span files (written by the annotator, one block per document):
  ## <doc>
  PERS: رجب طيب أردوغان | أردوغان        phrases tagged everywhere in the document
  s7 ORG: الوطني                          a phrase tagged only in sentence 7 (0 = title)
  O: عمر المختار                           a phrase kept O (blocks shorter matches)
  s4 O: العربية                            a phrase kept O in sentence 4 only
Matching is longest-first, left to right, on exact token text; the first token of a phrase
also matches with an attached proclitic (و ف ب ل ك, وب, ول, فب, فل, and ال→لل/ولل/فلل).
"""
import gzip, json, os, random, subprocess, sys

HERE = os.path.dirname(os.path.abspath(__file__))
CORPORA = {
    'ant-multisource': '/work/shared/data/corpus/ant-multisource.jsonl.gz',
    'ant-jawharafm': '/work/shared/data/corpus/ant-jawharafm.jsonl.gz',
}
RASED = os.environ.get('RASED', '/tmp/rased-doc4')
SEED = 20251201
MIN_CHARS, MAX_CHARS = 400, 3000     # skip near-empty bodies; keep documents annotatable whole
SPLIT_SEED = 20251203
# annotation batches: (first rank, last rank, split seed); a batch's split never moves an
# earlier batch's documents
BATCHES = [(0, 11, SPLIT_SEED), (12, 18, 20261202)]
PER_OUTLET = 30                       # length of each outlet's random queue
TAGS = {'O'} | {f'{p}-{t}' for p in 'BI' for t in ('PERS', 'LOC', 'ORG', 'MISC')}


def load(corpus, ids=None):
    out = {}
    with gzip.open(CORPORA[corpus], 'rt', encoding='utf8') as fh:
        for line in fh:
            d = json.loads(line)
            if ids is None or d['id'] in ids:
                out[d['id']] = d
    return out


def sample():
    rng = random.Random(SEED)
    rows = []
    for corpus in sorted(CORPORA):
        docs = load(corpus)
        by_outlet = {}
        for d in docs.values():
            t = (d.get('text') or '').strip()
            if d.get('outlet') in (None, 'None') or not (MIN_CHARS <= len(t) <= MAX_CHARS):
                continue
            if not (d.get('title') or '').strip():
                continue
            by_outlet.setdefault(d['outlet'], {}).setdefault(d['category'], []).append(d['id'])
        for outlet in sorted(by_outlet):
            cats = by_outlet[outlet]
            for c in cats:
                cats[c].sort()
                rng.shuffle(cats[c])
            order = sorted(cats)
            rng.shuffle(order)
            queue, i = [], 0
            while len(queue) < PER_OUTLET and any(cats.values()):
                c = order[i % len(order)]; i += 1
                if cats[c]:
                    queue.append(cats[c].pop())
            for k, did in enumerate(queue):
                d = docs[did]
                rows.append((outlet, k, f'{corpus}-{did}', corpus, d['category'], d['published']))
    with open(os.path.join(HERE, 'sample.tsv'), 'w', encoding='utf8') as f:
        f.write('outlet\trank\tdoc\tcorpus\tcategory\tpublished\n')
        for r in rows:
            f.write('\t'.join(map(str, r)) + '\n')
    print(len(rows), 'rows; seed', SEED)


def run(args, lines):
    p = subprocess.run([RASED, 'text'] + args, input='\n'.join(lines) + '\n',
                       capture_output=True, text=True, check=True)
    return p.stdout


def sentences_of(d):
    """[(sentence_text, [tokens])] for one corpus record; title first."""
    title = ' '.join(d['title'].split())
    body = [l.strip() for l in (d.get('text') or '').split('\n') if l.strip()]
    sents = [title]
    if body:
        groups, cur = [], []
        for l in run(['sentences'], body).split('\n'):
            if l.strip():
                cur.append(l.strip())
            elif cur:
                groups.append(cur); cur = []
        if cur:
            groups.append(cur)
        for g in groups:
            sents.extend(g)
    toks = [[t['text'] for t in json.loads(l)] for l in run(['tokens', '--json'], sents).split('\n') if l.strip()]
    assert len(toks) == len(sents), (d['id'], len(toks), len(sents))
    return [(s, t) for s, t in zip(sents, toks) if t]


def split_doc(doc):
    for c in CORPORA:
        if doc.startswith(c + '-'):
            return c, doc[len(c) + 1:]
    raise ValueError(doc)


def records(docs):
    want = {}
    for doc in docs:
        c, i = split_doc(doc)
        want.setdefault(c, set()).add(i)
    out = {}
    for c, ids in want.items():
        for i, d in load(c, ids).items():
            out[f'{c}-{i}'] = d
    return out


def tokenize(docs, outdir):
    os.makedirs(outdir, exist_ok=True)
    recs = records(docs)
    for doc in docs:
        s = sentences_of(recs[doc])
        with open(os.path.join(outdir, doc + '.sents'), 'w', encoding='utf8') as f:
            for k, (txt, toks) in enumerate(s):
                f.write(f's{k}: {" ".join(toks)}\n')
        with open(os.path.join(outdir, doc + '.json'), 'w', encoding='utf8') as f:
            json.dump([t for _, t in s], f, ensure_ascii=False)
        print(doc, sum(len(t) for _, t in s), 'tokens', len(s), 'sentences')


PROCLITICS = ['و', 'ف', 'ب', 'ل', 'ك', 'وب', 'ول', 'فب', 'فل', 'وك']


def variants(first):
    v = {first}
    for p in PROCLITICS:
        v.add(p + first)
    if first.startswith('ال'):
        for p in ('لل', 'ولل', 'فلل'):
            v.add(p + first[2:])
    return v


def parse_spans(path):
    blocks, cur = {}, None
    for raw in open(path, encoding='utf8'):
        line = raw.strip()
        if not line or line.startswith('#') and not line.startswith('##'):
            continue
        if line.startswith('##'):
            cur = line[2:].strip(); blocks[cur] = []
            continue
        head, _, rest = line.partition(':')
        head = head.split()
        sent = None
        if head[0].startswith('s') and head[0][1:].isdigit():
            sent = int(head[0][1:]); head = head[1:]
        typ = head[0]
        assert typ in ('PERS', 'LOC', 'ORG', 'MISC', 'O'), line
        for ph in rest.split('|'):
            ph = ph.split()
            if ph:
                blocks[cur].append((sent, typ, ph))
    return blocks


def tag_sentence(k, toks, rules):
    tags = ['O'] * len(toks)
    used = [False] * len(rules)
    i = 0
    while i < len(toks):
        best = None
        for r, (sent, typ, ph) in enumerate(rules):
            if sent is not None and sent != k:
                continue
            n = len(ph)
            if i + n > len(toks) or toks[i] not in variants(ph[0]) or toks[i + 1:i + n] != ph[1:]:
                continue
            # exact first-token matches beat clitic variants of the same length
            score = (n, toks[i] == ph[0], sent is not None)
            if best is None or score > best[0]:
                best = (score, r, typ, n)
        if best is None:
            i += 1; continue
        _, r, typ, n = best
        used[r] = True
        if typ != 'O':
            tags[i] = 'B-' + typ
            for j in range(i + 1, i + n):
                tags[j] = 'I-' + typ
        i += n
    return tags, used


def apply(path, outdir=None, workdir='/tmp/nerwork'):
    outdir = outdir or os.path.join(HERE, 'docs')
    os.makedirs(outdir, exist_ok=True)
    for doc, rules in parse_spans(path).items():
        sents = json.load(open(os.path.join(workdir, doc + '.json'), encoding='utf8'))
        used_any = [False] * len(rules)
        with open(os.path.join(outdir, doc + '.txt'), 'w', encoding='utf8') as f:
            for k, toks in enumerate(sents):
                tags, used = tag_sentence(k, toks, rules)
                used_any = [a or b for a, b in zip(used_any, used)]
                for t, g in zip(toks, tags):
                    f.write(f'{t} {g}\n')
                f.write('\n')
        for (sent, typ, ph), u in zip(rules, used_any):
            if not u and typ != 'O':
                print(f'WARNING {doc}: rule never matched: s{sent} {typ}: {" ".join(ph)}')


def split():
    """Document-level split, batch by batch (BATCHES): within each annotation batch, per
    outlet, shuffle the batch's queue ranks (sorted by rank) with the batch's seed and put
    round(n/3) of them in test. A later batch never moves a document of an earlier one (checked against the
    existing split.tsv). Test documents are never to be trained on."""
    rows = {}
    for line in list(open(os.path.join(HERE, 'sample.tsv'), encoding='utf8'))[1:]:
        outlet, rank, doc, corpus, cat, pub = line.rstrip('\n').split('\t')
        rows[doc] = (outlet, int(rank), corpus, cat, pub)
    ddir = os.path.join(HERE, 'docs')
    docs = sorted(f[:-4] for f in os.listdir(ddir) if f.endswith('.txt'))
    stats = {}
    for doc in docs:
        ntok = nment = 0
        for line in open(os.path.join(ddir, doc + '.txt'), encoding='utf8'):
            line = line.rstrip('\n')
            if line:
                ntok += 1
                nment += line.rsplit(' ', 1)[1].startswith('B-')
        stats[doc] = (ntok, nment)
    for doc in docs:
        if not any(lo <= rows[doc][1] <= hi for lo, hi, _ in BATCHES):
            raise SystemExit(f'{doc}: rank {rows[doc][1]} is in no batch of BATCHES')
    # the draw is over the batch's ranks in the queue, so it is fixed before annotation
    # ends (a document left out as unusable simply does not appear)
    test = set()
    for lo, hi, seed in BATCHES:
        rng = random.Random(seed)
        mine_b = [d for d in rows if lo <= rows[d][1] <= hi]
        for outlet in sorted({rows[d][0] for d in mine_b}):
            mine = sorted((d for d in mine_b if rows[d][0] == outlet), key=lambda d: rows[d][1])
            rng.shuffle(mine)
            test.update(d for d in mine[:round(len(mine) / 3)] if d in stats)
    old = os.path.join(HERE, 'split.tsv')
    if os.path.exists(old):
        for line in list(open(old, encoding='utf8'))[1:]:
            f = line.rstrip('\n').split('\t')
            if f[0] in stats and (f[-1] == 'test') != (f[0] in test):
                raise SystemExit(f'{f[0]} would move from {f[-1]}: a batch is incomplete or BATCHES changed')
    with open(os.path.join(HERE, 'split.tsv'), 'w', encoding='utf8') as f:
        f.write('doc\tcorpus\toutlet\tcategory\tpublished\ttokens\tmentions\tsplit\n')
        for doc in sorted(docs, key=lambda d: (rows[d][0], rows[d][1])):
            outlet, rank, corpus, cat, pub = rows[doc]
            f.write('\t'.join([doc, corpus, outlet, cat, pub, str(stats[doc][0]), str(stats[doc][1]),
                               'test' if doc in test else 'train']) + '\n')
    t = sum(stats[d][0] for d in test)
    print(f'{len(test)}/{len(docs)} documents, {t}/{sum(v[0] for v in stats.values())} tokens in test')


if __name__ == '__main__':
    cmd = sys.argv[1]
    if cmd == 'sample':
        sample()
    elif cmd == 'tokenize':
        args = sys.argv[2:]
        out = '/tmp/nerwork'
        if '--out' in args:
            k = args.index('--out'); out = args[k + 1]; del args[k:k + 2]
        tokenize(args, out)
    elif cmd == 'split':
        split()
    elif cmd == 'apply':
        args = sys.argv[2:]
        work = '/tmp/nerwork'
        if '--work' in args:
            k = args.index('--work'); work = args[k + 1]; del args[k:k + 2]
        for a in args:
            apply(a, workdir=work)
    else:
        sys.exit(__doc__)

#!/usr/bin/env python3
"""Validate the NER gold documents and print their counts.

For every docs/<doc>.txt:
  * the tokens of each sentence equal what the rased tokenizer gives for that sentence
    (the sentences are rebuilt from the corpus record exactly as make_docs.py builds them);
  * every line is `token TAG` with a single space and a tag from the BIO set;
  * no I-X follows anything but B-X or I-X.
Then prints documents, tokens and mentions per type for all/train/test (split.tsv), and
exits 1 if anything failed.   Usage: check.py [--no-tokenizer]
"""
import collections, csv, os, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_docs as md

HERE = md.HERE
TYPES = ('PERS', 'LOC', 'ORG', 'MISC')


def read_doc(path):
    sents, cur, errors = [], [], []
    for n, raw in enumerate(open(path, encoding='utf8'), 1):
        line = raw.rstrip('\n')
        if line == '':
            if cur:
                sents.append(cur); cur = []
            continue
        parts = line.split(' ')
        if len(parts) != 2 or not parts[0]:
            errors.append(f'{path}:{n}: not `token TAG`: {line!r}')
            continue
        tok, tag = parts
        if tag not in md.TAGS:
            errors.append(f'{path}:{n}: bad tag {tag!r}')
        cur.append((tok, tag))
    if cur:
        sents.append(cur)
    return sents, errors


def mentions(sents):
    out = []
    for k, s in enumerate(sents):
        prev = 'O'
        for i, (tok, tag) in enumerate(s):
            # an orphan I- (reported by bio_errors) is counted as a mention of its own
            if tag.startswith('B-') or (tag.startswith('I-') and prev[2:] != tag[2:]):
                out.append([tag[2:], k, i, i + 1])
            elif tag.startswith('I-'):
                out[-1][3] = i + 1
            prev = tag
    return out


def bio_errors(path, sents):
    errs = []
    for k, s in enumerate(sents):
        prev = 'O'
        for i, (tok, tag) in enumerate(s):
            if tag.startswith('I-') and prev[2:] != tag[2:]:
                errs.append(f'{path}: sentence {k} token {i} ({tok}): {tag} after {prev}')
            prev = tag
    return errs


def main():
    check_tok = '--no-tokenizer' not in sys.argv
    ddir = os.path.join(HERE, 'docs')
    docs = sorted(f[:-4] for f in os.listdir(ddir) if f.endswith('.txt'))
    errors, stats = [], {}
    recs = md.records(docs) if check_tok else {}
    for doc in docs:
        path = os.path.join(ddir, doc + '.txt')
        sents, errs = read_doc(path)
        errors += errs + bio_errors(path, sents)
        if check_tok:
            want = [t for _, t in md.sentences_of(recs[doc])]
            got = [[t for t, _ in s] for s in sents]
            if want != got:
                for k in range(max(len(want), len(got))):
                    w = want[k] if k < len(want) else None
                    g = got[k] if k < len(got) else None
                    if w != g:
                        errors.append(f'{path}: sentence {k} differs from the tokenizer: {g} vs {w}')
                        break
        c = collections.Counter(m[0] for m in mentions(sents))
        stats[doc] = (sum(len(s) for s in sents), c)
    split = {}
    sp = os.path.join(HERE, 'split.tsv')
    if os.path.exists(sp):
        for row in csv.DictReader(open(sp, encoding='utf8'), delimiter='\t'):
            split[row['doc']] = row['split']
            if row['doc'] not in stats:
                errors.append(f'split.tsv: {row["doc"]} has no document')
            elif int(row['tokens']) != stats[row['doc']][0] or int(row['mentions']) != sum(stats[row['doc']][1].values()):
                errors.append(f'split.tsv: counts of {row["doc"]} are stale')
        for d in docs:
            if d not in split:
                errors.append(f'split.tsv: {d} missing')
    print('| split | documents | tokens | mentions | PERS | LOC | ORG | MISC |')
    print('|---|---:|---:|---:|---:|---:|---:|---:|')
    for name in ('train', 'test', 'all'):
        ds = [d for d in docs if name == 'all' or split.get(d) == name]
        tok = sum(stats[d][0] for d in ds)
        c = collections.Counter()
        for d in ds:
            c.update(stats[d][1])
        print(f'| {name} | {len(ds)} | {tok} | {sum(c.values())} | ' + ' | '.join(str(c[t]) for t in TYPES) + ' |')
    for e in errors:
        print('ERROR', e)
    print('OK' if not errors else f'{len(errors)} error(s)')
    sys.exit(1 if errors else 0)


if __name__ == '__main__':
    main()

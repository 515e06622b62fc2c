//! Training the tagger: CoNLL data, the dev split, the averaged structured perceptron
//! (an ensemble of shuffles) and evaluation.

use std::path::Path;

use super::{allowed, viterbi, IdMap, Model, NerError, Tag, NTAGS, START};
use crate::eval::Evaluation;
use crate::features::sentence_features_masked;
use crate::resources::Resources;

/// A sentence of the training data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence {
    pub tokens: Vec<String>,
    pub tags: Vec<Tag>,
}

/// Reads CoNLL-style `token TAG` lines, blank lines between sentences. Unknown tags are O.
pub fn read_conll(path: &Path) -> Result<Vec<Sentence>, NerError> {
    let text = std::fs::read_to_string(path).map_err(|source| NerError::Io {
        path: path.display().to_string(),
        source,
    })?;
    let mut out = Vec::new();
    let mut cur = Sentence {
        tokens: Vec::new(),
        tags: Vec::new(),
    };
    for (ln, line) in text.lines().enumerate() {
        let mut cols = line.split_whitespace();
        let Some(tok) = cols.next() else {
            if !cur.tokens.is_empty() {
                out.push(std::mem::replace(
                    &mut cur,
                    Sentence {
                        tokens: Vec::new(),
                        tags: Vec::new(),
                    },
                ));
            }
            continue;
        };
        let tag = cols.last().ok_or_else(|| NerError::Format {
            path: path.display().to_string(),
            line: ln + 1,
            msg: "expected `token TAG`".into(),
        })?;
        cur.tokens.push(tok.to_string());
        cur.tags.push(Tag::parse(tag).unwrap_or(Tag::O));
    }
    if !cur.tokens.is_empty() {
        out.push(cur);
    }
    Ok(out)
}

/// Splits sentences into (train, dev): with `every = Some(n)`, sentence `i` goes to dev when
/// `i % n == n - 1` (every n-th sentence). Deterministic.
pub fn split_dev(sentences: Vec<Sentence>, every: Option<usize>) -> (Vec<Sentence>, Vec<Sentence>) {
    let mut train = Vec::new();
    let mut dev = Vec::new();
    for (i, s) in sentences.into_iter().enumerate() {
        match every {
            Some(n) if n > 0 && i % n == n - 1 => dev.push(s),
            _ => train.push(s),
        }
    }
    (train, dev)
}

/// Training options.
#[derive(Debug, Clone)]
pub struct TrainOptions {
    pub epochs: usize,
    /// Hold out every n-th sentence as the dev split (`None`: train on everything).
    pub dev_every: Option<usize>,
    /// Shuffle seed.
    pub seed: u64,
    /// Features whose largest averaged weight is below this are dropped.
    pub prune: f32,
    /// Number of perceptrons (different shuffles) whose weights are averaged.
    pub ensemble: usize,
    /// When above 0, every training sentence is added a second time with this fraction of
    /// its tokens stripped of their word-identity features (see
    /// [`sentence_features_masked`]).
    pub word_dropout: f64,
}

impl Default for TrainOptions {
    fn default() -> Self {
        TrainOptions {
            epochs: 12,
            dev_every: Some(10),
            seed: 17,
            prune: 0.01,
            ensemble: 5,
            word_dropout: 0.0,
        }
    }
}

/// Evaluates a model on gold sentences.
pub fn evaluate(model: &Model, sentences: &[Sentence]) -> Evaluation {
    let mut e = Evaluation::default();
    for s in sentences {
        let toks: Vec<&str> = s.tokens.iter().map(String::as_str).collect();
        let pred = model.tag_tokens(&toks);
        let g: Vec<String> = s.tags.iter().map(Tag::to_string).collect();
        let p: Vec<String> = pred.iter().map(Tag::to_string).collect();
        e.add(&g, &p);
    }
    e
}

/// Reads the training file, holds out the dev split, trains. See [`train_on`].
pub fn train(train_path: &Path, options: &TrainOptions) -> Result<Model, NerError> {
    let (train, _dev) = split_dev(read_conll(train_path)?, options.dev_every);
    Ok(train_on(&train, options, |_, _| {}))
}

/// Trains an averaged perceptron on `train`. `on_epoch(epoch, &model)` is called after each
/// epoch with the averaged model so far (for progress and dev scores).
pub fn train_on(
    train: &[Sentence],
    options: &TrainOptions,
    mut on_epoch: impl FnMut(usize, &Model),
) -> Model {
    let res = Resources::embedded();
    // Intern features.
    let mut ids: IdMap<u32> = IdMap::default();
    let mut keys: Vec<u32> = Vec::new();
    let mut data: Vec<(Vec<Vec<u32>>, Vec<usize>)> = Vec::with_capacity(train.len());
    let mut buf = Vec::new();
    let mut rng = options.seed.wrapping_mul(0x2545_F491_4F6C_DD1D).max(1);
    let mut coin = |p: f64| {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        ((rng >> 11) as f64 / (1u64 << 53) as f64) < p
    };
    for s in train {
        let toks: Vec<&str> = s.tokens.iter().map(String::as_str).collect();
        // Repair the few gold sequences with an I- that continues nothing (CoNLL reads it as
        // a B-), so that the constrained decoder can reproduce them.
        let mut gold: Vec<usize> = Vec::with_capacity(s.tags.len());
        for t in &s.tags {
            let mut t = t.index();
            if !allowed(gold.last().copied().unwrap_or(START), t) {
                t -= 1;
            }
            gold.push(t);
        }
        let copies = if options.word_dropout > 0.0 { 2 } else { 1 };
        for copy in 0..copies {
            let hide: Vec<bool> = if copy == 0 {
                Vec::new()
            } else {
                toks.iter().map(|_| coin(options.word_dropout)).collect()
            };
            sentence_features_masked(&toks, res, &hide, &mut buf);
            let feats: Vec<Vec<u32>> = buf
                .iter()
                .map(|fs| {
                    fs.iter()
                        .map(|&h| {
                            *ids.entry(h).or_insert_with(|| {
                                keys.push(h);
                                (keys.len() - 1) as u32
                            })
                        })
                        .collect()
                })
                .collect();
            data.push((feats, gold.clone()));
        }
    }
    let nf = keys.len();
    let runs = options.ensemble.max(1);
    let mut sum = Averaged::zero(nf);
    for run in 0..runs {
        let mut p = Perceptron::new(nf, options.seed.wrapping_add(run as u64 * 7919));
        for epoch in 0..options.epochs {
            p.epoch(&data);
            if run + 1 == runs && epoch + 1 < options.epochs && runs == 1 {
                on_epoch(epoch + 1, &p.averaged().into_model(&keys, 0.0, res));
            }
        }
        sum.add(&p.averaged());
    }
    sum.scale(1.0 / runs as f32);
    let m = sum.into_model(&keys, options.prune, res);
    on_epoch(options.epochs, &m);
    m
}

/// Dense weights of a trained perceptron (indexed by interned feature id).
struct Averaged {
    w: Vec<f32>,
    trans: [[f32; NTAGS]; NTAGS + 1],
    end: [f32; NTAGS],
}

impl Averaged {
    fn zero(nf: usize) -> Averaged {
        Averaged {
            w: vec![0.0; nf * NTAGS],
            trans: [[0.0; NTAGS]; NTAGS + 1],
            end: [0.0; NTAGS],
        }
    }
    fn add(&mut self, o: &Averaged) {
        self.w.iter_mut().zip(&o.w).for_each(|(a, b)| *a += b);
        for (a, b) in self.trans.iter_mut().zip(&o.trans) {
            a.iter_mut().zip(b).for_each(|(x, y)| *x += y);
        }
        self.end.iter_mut().zip(&o.end).for_each(|(a, b)| *a += b);
    }
    fn scale(&mut self, k: f32) {
        self.w.iter_mut().for_each(|a| *a *= k);
        self.trans.iter_mut().flatten().for_each(|a| *a *= k);
        self.end.iter_mut().for_each(|a| *a *= k);
    }
    fn into_model(self, keys: &[u32], prune: f32, res: &'static Resources) -> Model {
        let mut weights: IdMap<[f32; NTAGS]> = IdMap::default();
        for (i, &k) in keys.iter().enumerate() {
            let mut row = [0f32; NTAGS];
            row.copy_from_slice(&self.w[i * NTAGS..(i + 1) * NTAGS]);
            if row.iter().any(|v| v.abs() >= prune) && row.iter().any(|v| *v != 0.0) {
                weights.insert(k, row);
            }
        }
        Model::quantize(&weights, self.trans, self.end, res)
    }
}

/// Structured perceptron with lazy weight averaging.
struct Perceptron {
    w: Vec<f32>,
    u: Vec<f32>,
    tw: [[f32; NTAGS]; NTAGS + 1],
    tu: [[f32; NTAGS]; NTAGS + 1],
    ew: [f32; NTAGS],
    eu: [f32; NTAGS],
    c: f32,
    rng: u64,
}

type Example = (Vec<Vec<u32>>, Vec<usize>);

impl Perceptron {
    fn new(nf: usize, seed: u64) -> Perceptron {
        Perceptron {
            w: vec![0.0; nf * NTAGS],
            u: vec![0.0; nf * NTAGS],
            tw: [[0.0; NTAGS]; NTAGS + 1],
            tu: [[0.0; NTAGS]; NTAGS + 1],
            ew: [0.0; NTAGS],
            eu: [0.0; NTAGS],
            c: 1.0,
            rng: seed.max(1),
        }
    }

    fn averaged(&self) -> Averaged {
        let c = self.c;
        let mut trans = [[0f32; NTAGS]; NTAGS + 1];
        for (a, (x, y)) in trans.iter_mut().zip(self.tw.iter().zip(&self.tu)) {
            for (e, (w, u)) in a.iter_mut().zip(x.iter().zip(y)) {
                *e = w - u / c;
            }
        }
        let mut end = [0f32; NTAGS];
        for (e, (w, u)) in end.iter_mut().zip(self.ew.iter().zip(&self.eu)) {
            *e = w - u / c;
        }
        Averaged {
            w: self.w.iter().zip(&self.u).map(|(w, u)| w - u / c).collect(),
            trans,
            end,
        }
    }

    fn epoch(&mut self, data: &[Example]) {
        let mut order: Vec<usize> = (0..data.len()).collect();
        // Fisher-Yates with xorshift.
        for i in (1..order.len()).rev() {
            self.rng ^= self.rng << 13;
            self.rng ^= self.rng >> 7;
            self.rng ^= self.rng << 17;
            order.swap(i, (self.rng % (i as u64 + 1)) as usize);
        }
        for &si in &order {
            let (feats, gold) = &data[si];
            let scores: Vec<[f32; NTAGS]> = feats
                .iter()
                .map(|fs| {
                    let mut s = [0f32; NTAGS];
                    for &f in fs {
                        let row = &self.w[f as usize * NTAGS..(f as usize + 1) * NTAGS];
                        for (a, b) in s.iter_mut().zip(row) {
                            *a += b;
                        }
                    }
                    s
                })
                .collect();
            let pred = viterbi(&scores, &self.tw, &self.ew);
            let c = self.c;
            if pred != *gold {
                let (w, u) = (&mut self.w, &mut self.u);
                let mut upd = |fs: &[u32], t: usize, d: f32| {
                    for &f in fs {
                        let k = f as usize * NTAGS + t;
                        w[k] += d;
                        u[k] += c * d;
                    }
                };
                for i in 0..gold.len() {
                    if gold[i] != pred[i] {
                        upd(&feats[i], gold[i], 1.0);
                        upd(&feats[i], pred[i], -1.0);
                    }
                }
                let mut pg = START;
                let mut pp = START;
                for i in 0..gold.len() {
                    self.tw[pg][gold[i]] += 1.0;
                    self.tu[pg][gold[i]] += c;
                    self.tw[pp][pred[i]] -= 1.0;
                    self.tu[pp][pred[i]] -= c;
                    pg = gold[i];
                    pp = pred[i];
                }
                self.ew[pg] += 1.0;
                self.eu[pg] += c;
                self.ew[pp] -= 1.0;
                self.eu[pp] -= c;
            }
            self.c += 1.0;
        }
    }
}

//! The named-entity tagger: an averaged structured perceptron over hashed features with
//! first-order Viterbi decoding constrained to valid BIO sequences.
//!
//! ```no_run
//! let ner = rased_analyze::ner::Model::embedded();
//! let tags = ner.tag_tokens(&["التقى", "الرئيس", "رجب", "طيب", "أردوغان"]);
//! let mentions = ner.tag_text("التقى المشير خليفة حفتر في بنغازي.");
//! ```

use std::collections::HashMap;
use std::fmt;
use std::hash::{BuildHasherDefault, Hasher};
use std::path::Path;
use std::sync::OnceLock;

use crate::eval::Evaluation;
use rased_text::Document;

use crate::features::{
    sentence_features, sentence_features_masked, token_info, window_features, TokenInfo,
    FEATURE_VERSION,
};
use crate::resources::Resources;

const MODEL: &[u8] = include_bytes!("../../../data/ner/model.bin");
const MAGIC: &[u8; 8] = b"RASEDNER";

/// Sentences longer than this are tagged in consecutive windows of this many tokens.
pub const MAX_WINDOW: usize = 400;

/// Number of BIO tags.
pub const NTAGS: usize = 9;
const START: usize = NTAGS;

/// Errors of the NER layer.
#[derive(Debug, thiserror::Error)]
pub enum NerError {
    #[error("{path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}:{line}: {msg}")]
    Format {
        path: String,
        line: usize,
        msg: String,
    },
    #[error("bad model file: {0}")]
    Model(String),
}

/// Entity types of ANERcorp.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EntityType {
    Pers,
    Loc,
    Org,
    Misc,
}

impl EntityType {
    pub const ALL: [EntityType; 4] = [
        EntityType::Pers,
        EntityType::Loc,
        EntityType::Org,
        EntityType::Misc,
    ];
    /// ANERcorp name: PERS, LOC, ORG, MISC.
    pub fn as_str(self) -> &'static str {
        match self {
            EntityType::Pers => "PERS",
            EntityType::Loc => "LOC",
            EntityType::Org => "ORG",
            EntityType::Misc => "MISC",
        }
    }
    /// Name in the `rased analyze` output contract: PER, LOC, ORG, MISC.
    pub fn contract_name(self) -> &'static str {
        match self {
            EntityType::Pers => "PER",
            other => other.as_str(),
        }
    }
}

/// A BIO tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Tag {
    O,
    B(EntityType),
    I(EntityType),
}

impl Tag {
    /// Dense index: O, B-PERS, I-PERS, B-LOC, I-LOC, B-ORG, I-ORG, B-MISC, I-MISC.
    pub fn index(self) -> usize {
        match self {
            Tag::O => 0,
            Tag::B(t) => 1 + 2 * t as usize,
            Tag::I(t) => 2 + 2 * t as usize,
        }
    }
    pub fn from_index(i: usize) -> Tag {
        if i == 0 || i >= NTAGS {
            return Tag::O;
        }
        let t = EntityType::ALL[(i - 1) / 2];
        if i % 2 == 1 {
            Tag::B(t)
        } else {
            Tag::I(t)
        }
    }
    /// Parses `O`, `B-PERS`, `I-LOC`… (unknown tags are `None`).
    pub fn parse(s: &str) -> Option<Tag> {
        if s == "O" {
            return Some(Tag::O);
        }
        let (p, t) = s.split_once('-')?;
        let t = EntityType::ALL.into_iter().find(|e| e.as_str() == t)?;
        match p {
            "B" => Some(Tag::B(t)),
            "I" => Some(Tag::I(t)),
            _ => None,
        }
    }
    pub fn entity_type(self) -> Option<EntityType> {
        match self {
            Tag::O => None,
            Tag::B(t) | Tag::I(t) => Some(t),
        }
    }
}

impl fmt::Display for Tag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Tag::O => f.write_str("O"),
            Tag::B(t) => write!(f, "B-{}", t.as_str()),
            Tag::I(t) => write!(f, "I-{}", t.as_str()),
        }
    }
}

/// May tag `to` follow tag `from` (`START` for the sentence start)? `I-X` only continues X.
fn allowed(from: usize, to: usize) -> bool {
    if to == 0 || to % 2 == 1 {
        return true;
    }
    from != START && from != 0 && (from - 1) / 2 == (to - 1) / 2
}

/// Token spans `(start, end, type)`, half-open, from a tag sequence (CoNLL chunk rules).
pub fn entity_spans(tags: &[Tag]) -> Vec<(usize, usize, EntityType)> {
    let mut out = Vec::new();
    let mut open: Option<(usize, EntityType)> = None;
    for (i, tag) in tags.iter().enumerate() {
        let cont = matches!((tag, open), (Tag::I(t), Some((_, o))) if *t == o);
        if !cont {
            if let Some((s, t)) = open.take() {
                out.push((s, i, t));
            }
            if let Some(t) = tag.entity_type() {
                open = Some((i, t));
            }
        }
    }
    if let Some((s, t)) = open {
        out.push((s, tags.len(), t));
    }
    out
}

/// A hasher for keys that already are hashes.
#[derive(Default)]
pub(crate) struct IdHasher(u64);
impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) | b as u64;
        }
    }
    fn write_u32(&mut self, n: u32) {
        self.0 = (n as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}
type IdMap<V> = HashMap<u32, V, BuildHasherDefault<IdHasher>>;

/// An entity mention found in a text, with code-point offsets (half-open).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    pub start: usize,
    pub end: usize,
    pub kind: EntityType,
    pub text: String,
}

/// An entity span of a [`Document`]: a range of its tokens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocSpan {
    /// Indexes into [`Document::tokens`], half-open.
    pub tokens: std::ops::Range<usize>,
    pub kind: EntityType,
}

/// A trained tagger.
#[derive(Debug, Clone)]
pub struct Model {
    weights: IdMap<[f32; NTAGS]>,
    /// `trans[from][to]`, `from == NTAGS` is the sentence start.
    trans: [[f32; NTAGS]; NTAGS + 1],
    end: [f32; NTAGS],
    resources: &'static Resources,
}

impl Model {
    /// The model shipped in `data/ner/model.bin` (trained on the ANERcorp training split
    /// minus every 10th sentence, which is the dev split).
    pub fn embedded() -> &'static Model {
        static M: OnceLock<Model> = OnceLock::new();
        M.get_or_init(|| Model::from_bytes(MODEL).expect("embedded NER model is valid"))
    }

    /// Number of features with weights.
    pub fn num_features(&self) -> usize {
        self.weights.len()
    }

    fn scores(&self, feats: &[Vec<u32>]) -> Vec<[f32; NTAGS]> {
        feats
            .iter()
            .map(|fs| {
                let mut s = [0f32; NTAGS];
                for f in fs {
                    if let Some(w) = self.weights.get(f) {
                        for (a, b) in s.iter_mut().zip(w) {
                            *a += b;
                        }
                    }
                }
                s
            })
            .collect()
    }

    /// Tags a sentence of tokens.
    pub fn tag_tokens(&self, tokens: &[&str]) -> Vec<Tag> {
        let mut out = Vec::with_capacity(tokens.len());
        let mut feats = Vec::new();
        for window in tokens.chunks(MAX_WINDOW) {
            sentence_features(window, self.resources, &mut feats);
            let scores = self.scores(&feats);
            out.extend(
                viterbi(&scores, &self.trans, &self.end)
                    .into_iter()
                    .map(Tag::from_index),
            );
        }
        out
    }

    /// Entity spans `(start_token, end_token, type)` (half-open) of a sentence of tokens.
    pub fn entity_spans(&self, tokens: &[&str]) -> Vec<(usize, usize, EntityType)> {
        entity_spans(&self.tag_tokens(tokens))
    }

    /// Finds the entity mentions of a raw text: splits sentences, tokenizes, tags. Offsets
    /// are code points into `text`.
    pub fn tag_text(&self, text: &str) -> Vec<Mention> {
        self.tag_doc(&Document::new(text, None))
    }

    /// Finds the entity mentions of an annotated document. Offsets are code points into the
    /// document's text.
    pub fn tag_doc(&self, doc: &Document) -> Vec<Mention> {
        let tokens = doc.tokens();
        self.doc_spans(doc)
            .into_iter()
            .map(|span| {
                let (a, b) = (&tokens[span.tokens.start], &tokens[span.tokens.end - 1]);
                Mention {
                    start: a.char_start,
                    end: b.char_end,
                    kind: span.kind,
                    text: doc.text()[a.start..b.end].to_string(),
                }
            })
            .collect()
    }

    /// The entity spans of an annotated document as token ranges, sentence by sentence (long
    /// ones in windows of [`MAX_WINDOW`] tokens). What the features know about a word alone
    /// is computed once per word type.
    pub fn doc_spans(&self, doc: &Document) -> Vec<DocSpan> {
        let infos: Vec<TokenInfo> = doc
            .types()
            .iter()
            .map(|w| token_info(w.text, self.resources))
            .collect();
        let mut out = Vec::new();
        let mut feats = Vec::new();
        let mut window: Vec<&TokenInfo> = Vec::with_capacity(MAX_WINDOW);
        let mut tags = Vec::new();
        for sentence in doc.sentences() {
            let tokens = &doc.tokens()[sentence.tokens.clone()];
            tags.clear();
            for chunk in tokens.chunks(MAX_WINDOW) {
                window.clear();
                window.extend(chunk.iter().map(|t| &infos[t.ty as usize]));
                window_features(&window, self.resources, &[], &mut feats);
                let scores = self.scores(&feats);
                let best = viterbi(&scores, &self.trans, &self.end);
                tags.extend(best.into_iter().map(Tag::from_index));
            }
            let first = sentence.tokens.start;
            out.extend(entity_spans(&tags).into_iter().map(|(s, e, kind)| DocSpan {
                tokens: first + s..first + e,
                kind,
            }));
        }
        out
    }

    /// Serializes the model: weights quantized to i16, only the non-zero ones.
    pub fn to_bytes(&self) -> Vec<u8> {
        let max = self
            .weights
            .values()
            .flat_map(|w| w.iter())
            .fold(0f32, |m, v| m.max(v.abs()))
            .max(1e-9);
        let scale = max / 32767.0;
        let mut keys: Vec<u32> = self.weights.keys().copied().collect();
        keys.sort_unstable();
        let mut out = Vec::new();
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&FEATURE_VERSION.to_le_bytes());
        out.extend_from_slice(&scale.to_le_bytes());
        for row in self.trans.iter().chain(std::iter::once(&self.end)) {
            for v in row {
                out.extend_from_slice(&v.to_le_bytes());
            }
        }
        let mut body = Vec::new();
        let mut count = 0u32;
        for k in keys {
            let w = &self.weights[&k];
            let q: Vec<i16> = w.iter().map(|v| (v / scale).round() as i16).collect();
            let mask: u16 = q
                .iter()
                .enumerate()
                .filter(|(_, v)| **v != 0)
                .fold(0, |m, (i, _)| m | (1 << i));
            if mask == 0 {
                continue;
            }
            count += 1;
            body.extend_from_slice(&k.to_le_bytes());
            body.extend_from_slice(&mask.to_le_bytes());
            for v in q.iter().filter(|v| **v != 0) {
                body.extend_from_slice(&v.to_le_bytes());
            }
        }
        out.extend_from_slice(&count.to_le_bytes());
        out.extend_from_slice(&body);
        out
    }

    /// Writes the model file.
    pub fn save(&self, path: &Path) -> Result<(), NerError> {
        std::fs::write(path, self.to_bytes()).map_err(|source| NerError::Io {
            path: path.display().to_string(),
            source,
        })
    }

    /// Reads a model file written by [`Model::save`]; features use the embedded lexicons.
    pub fn load(path: &Path) -> Result<Model, NerError> {
        let bytes = std::fs::read(path).map_err(|source| NerError::Io {
            path: path.display().to_string(),
            source,
        })?;
        Model::from_bytes(&bytes)
    }

    /// Parses a serialized model.
    pub fn from_bytes(b: &[u8]) -> Result<Model, NerError> {
        let bad = |m: &str| NerError::Model(m.to_string());
        let mut pos = 0usize;
        let mut take = |n: usize| -> Result<&[u8], NerError> {
            let s = b.get(pos..pos + n).ok_or_else(|| bad("truncated"))?;
            pos += n;
            Ok(s)
        };
        if take(8)? != MAGIC {
            return Err(bad("not a rased NER model"));
        }
        let u32le = |s: &[u8]| u32::from_le_bytes([s[0], s[1], s[2], s[3]]);
        let f32le = |s: &[u8]| f32::from_le_bytes([s[0], s[1], s[2], s[3]]);
        let version = u32le(take(4)?);
        if version != FEATURE_VERSION {
            return Err(NerError::Model(format!(
                "model has feature version {version}, this build extracts version {FEATURE_VERSION}: retrain with `rased train-ner`"
            )));
        }
        let scale = f32le(take(4)?);
        let mut trans = [[0f32; NTAGS]; NTAGS + 1];
        for row in trans.iter_mut() {
            for v in row.iter_mut() {
                *v = f32le(take(4)?);
            }
        }
        let mut end = [0f32; NTAGS];
        for v in end.iter_mut() {
            *v = f32le(take(4)?);
        }
        let count = u32le(take(4)?) as usize;
        let mut weights: IdMap<[f32; NTAGS]> = IdMap::default();
        weights.reserve(count);
        for _ in 0..count {
            let k = u32le(take(4)?);
            let m = take(2)?;
            let mask = u16::from_le_bytes([m[0], m[1]]);
            let mut w = [0f32; NTAGS];
            for (i, v) in w.iter_mut().enumerate() {
                if mask & (1 << i) != 0 {
                    let q = take(2)?;
                    *v = i16::from_le_bytes([q[0], q[1]]) as f32 * scale;
                }
            }
            weights.insert(k, w);
        }
        Ok(Model {
            weights,
            trans,
            end,
            resources: Resources::embedded(),
        })
    }
}

/// Best tag sequence (indices) under the scores, transitions and BIO constraints. Linear in
/// the sentence length.
fn viterbi(
    scores: &[[f32; NTAGS]],
    trans: &[[f32; NTAGS]; NTAGS + 1],
    end: &[f32; NTAGS],
) -> Vec<usize> {
    let n = scores.len();
    if n == 0 {
        return Vec::new();
    }
    const NEG: f32 = f32::NEG_INFINITY;
    let mut delta = vec![[NEG; NTAGS]; n];
    let mut back = vec![[0u8; NTAGS]; n];
    for t in 0..NTAGS {
        if allowed(START, t) {
            delta[0][t] = trans[START][t] + scores[0][t];
        }
    }
    for i in 1..n {
        for t in 0..NTAGS {
            let mut best = NEG;
            let mut arg = 0u8;
            for p in 0..NTAGS {
                if !allowed(p, t) || delta[i - 1][p] == NEG {
                    continue;
                }
                let s = delta[i - 1][p] + trans[p][t];
                if s > best {
                    best = s;
                    arg = p as u8;
                }
            }
            if best > NEG {
                delta[i][t] = best + scores[i][t];
                back[i][t] = arg;
            }
        }
    }
    let mut last = 0;
    let mut best = NEG;
    for t in 0..NTAGS {
        let s = delta[n - 1][t] + end[t];
        if s > best {
            best = s;
            last = t;
        }
    }
    let mut out = vec![0usize; n];
    out[n - 1] = last;
    for i in (1..n).rev() {
        out[i - 1] = back[i][out[i]] as usize;
    }
    out
}

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
        Model {
            weights,
            trans: self.trans,
            end: self.end,
            resources: res,
        }
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

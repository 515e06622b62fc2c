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
use std::sync::OnceLock;

use rased_text::Document;

use crate::features::{
    analyze_tokens, phrase_matches, token_info_from_match, TokenInfo, FEATURE_VERSION,
};
use crate::resources::Resources;

pub mod gold;
mod model_file;
pub(crate) mod scoring;
mod train;

use scoring::{window_scores, Edges, TypeScores, Weights};

pub use gold::{
    analyzed_tags, evaluate_docs, evaluate_docs_analyzed, evaluate_docs_with, GoldDoc, GoldReport,
    GoldSet, MentionError, Split,
};
pub use train::{evaluate, read_conll, split_dev, train, train_on, Sentence, TrainOptions};

const MODEL: &[u8] = include_bytes!("../../../../data/ner/model.bin");
const MAGIC: &[u8; 8] = b"RASEDNER";

/// Sentences longer than this are tagged in consecutive windows of this many tokens.
pub const MAX_WINDOW: usize = 400;

/// Number of BIO tags.
pub const NTAGS: usize = 9;
pub(crate) const START: usize = NTAGS;

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
    /// The type a contract name (PER, LOC, ORG, MISC) stands for.
    pub fn from_contract_name(name: &str) -> Option<EntityType> {
        EntityType::ALL
            .into_iter()
            .find(|t| t.contract_name() == name)
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
pub(crate) fn allowed(from: usize, to: usize) -> bool {
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
    /// Feature hash → one weight per tag, quantized: the weight is `q as f32 * scale`.
    weights: Weights,
    scale: f32,
    /// `trans[from][to]`, `from == NTAGS` is the sentence start.
    trans: [[f32; NTAGS]; NTAGS + 1],
    end: [f32; NTAGS],
    /// What the window's edges contribute, from `weights`.
    edges: Edges,
    resources: &'static Resources,
}

impl Model {
    /// The model shipped in `data/ner/model.bin` (trained on the ANERcorp training split
    /// minus every 10th sentence, which is the dev split, plus the in-domain gold `train`
    /// documents; see `data/ner/README.md`).
    pub fn embedded() -> &'static Model {
        static M: OnceLock<Model> = OnceLock::new();
        M.get_or_init(|| Model::from_bytes(MODEL).expect("embedded NER model is valid"))
    }

    /// A model from quantized weights (what the model file holds).
    pub(crate) fn from_quantized(
        weights: IdMap<[i16; NTAGS]>,
        scale: f32,
        trans: [[f32; NTAGS]; NTAGS + 1],
        end: [f32; NTAGS],
        resources: &'static Resources,
    ) -> Model {
        let weights = Weights::new(weights);
        let edges = Edges::of(&weights);
        Model {
            weights,
            scale,
            trans,
            end,
            edges,
            resources,
        }
    }

    /// A model from trained weights, quantized to i16 with one scale (the largest weight
    /// maps to 32767); rows that quantize to all zeros are dropped.
    pub(crate) fn quantize(
        weights: &IdMap<[f32; NTAGS]>,
        trans: [[f32; NTAGS]; NTAGS + 1],
        end: [f32; NTAGS],
        resources: &'static Resources,
    ) -> Model {
        let max = weights
            .values()
            .flat_map(|w| w.iter())
            .fold(0f32, |m, v| m.max(v.abs()))
            .max(1e-9);
        let scale = max / 32767.0;
        let quantized = weights
            .iter()
            .map(|(&k, w)| (k, w.map(|v| (v / scale).round() as i16)))
            .filter(|(_, q)| q.iter().any(|&v| v != 0))
            .collect();
        Model::from_quantized(quantized, scale, trans, end, resources)
    }

    /// Number of features with weights.
    pub fn num_features(&self) -> usize {
        self.weights.table().len()
    }

    /// Best tags of one window of analyzed tokens; `typed[i]` is what `info[i]`'s word
    /// contributes (see [`scoring`]).
    fn tag_window(&self, info: &[&TokenInfo], typed: &[&TypeScores]) -> Vec<usize> {
        let phrases = phrase_matches(info, self.resources);
        let scores = window_scores(
            info,
            typed,
            &phrases,
            &self.weights,
            &self.edges,
            self.scale,
        );
        viterbi(&scores, &self.trans, &self.end)
    }

    /// Tags a sentence of tokens.
    pub fn tag_tokens(&self, tokens: &[&str]) -> Vec<Tag> {
        let info = analyze_tokens(tokens, self.resources);
        let typed: Vec<TypeScores> = info
            .iter()
            .map(|t| TypeScores::of(t, &self.weights))
            .collect();
        let mut out = Vec::with_capacity(tokens.len());
        for (info, typed) in info.chunks(MAX_WINDOW).zip(typed.chunks(MAX_WINDOW)) {
            let info: Vec<&TokenInfo> = info.iter().collect();
            let typed: Vec<&TypeScores> = typed.iter().collect();
            out.extend(
                self.tag_window(&info, &typed)
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
            .map(|w| token_info_from_match(w.text, &w.norm, self.resources))
            .collect();
        let typed: Vec<TypeScores> = infos
            .iter()
            .map(|t| TypeScores::of(t, &self.weights))
            .collect();
        let mut out = Vec::new();
        let mut window: Vec<&TokenInfo> = Vec::with_capacity(MAX_WINDOW);
        let mut window_typed: Vec<&TypeScores> = Vec::with_capacity(MAX_WINDOW);
        let mut tags = Vec::new();
        for sentence in doc.sentences() {
            let tokens = &doc.tokens()[sentence.tokens.clone()];
            tags.clear();
            for chunk in tokens.chunks(MAX_WINDOW) {
                window.clear();
                window.extend(chunk.iter().map(|t| &infos[t.ty as usize]));
                window_typed.clear();
                window_typed.extend(chunk.iter().map(|t| &typed[t.ty as usize]));
                let best = self.tag_window(&window, &window_typed);
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
}

/// Best tag sequence (indices) under the scores, transitions and BIO constraints. Linear in
/// the sentence length.
pub(crate) fn viterbi(
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

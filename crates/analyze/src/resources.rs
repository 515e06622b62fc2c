//! The lexicons the tagger's features read: gazetteer, trigger words and word clusters.
//! Embedded from `data/ner/` at compile time and parsed once on first use.

use std::sync::OnceLock;

use rustc_hash::FxHashMap;

use crate::features::norm_token;

const GAZETTEER: &str = include_str!("../../../data/ner/gazetteer.tsv");
const TRIGGERS: &str = include_str!("../../../data/ner/triggers.tsv");
const CLUSTERS: &str = include_str!("../../../data/ner/clusters.tsv");
const AUTOGAZ: &str = include_str!("../../../data/ner/autogaz.tsv");

/// Gazetteer classes, as bits.
pub const GAZ_CLASSES: [&str; 14] = [
    "PFIRST", "PLAST", "PNAME", "PFULL", "COUNTRY", "CITY", "APERS", "ALOC", "AORG", "XPERS",
    "XLOC", "XORG", "XMISC", "BIGCITY",
];
/// Trigger classes.
pub const TRIGGER_CLASSES: [&str; 5] = ["TITLE", "NAMEPART", "ORG", "LOC", "SAY"];

/// Longest gazetteer phrase, in words, that matching tries.
pub const MAX_PHRASE: usize = 5;

/// Word clusters at three granularities, and the word's frequency rank in the corpus.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cluster {
    pub c64: u16,
    pub c256: u16,
    pub c1024: u16,
    /// The same three levels from a second, independent clustering (0 when absent).
    pub d64: u16,
    pub d256: u16,
    pub d1024: u16,
    pub rank: u32,
}

/// The lexicons.
#[derive(Debug, Default)]
pub struct Resources {
    /// Phrase hash (see [`phrase_hash`]) → class bits.
    gazetteer: FxHashMap<u64, u16>,
    triggers: FxHashMap<String, u8>,
    clusters: FxHashMap<String, Cluster>,
}

/// FNV-1a over bytes, continuing from `h`.
#[inline]
pub fn fnv(mut h: u64, bytes: &[u8]) -> u64 {
    for &b in bytes {
        h ^= b as u64;
        h = h.wrapping_mul(0x100_0000_01b3);
    }
    h
}

/// FNV offset basis.
pub const FNV_START: u64 = 0xcbf2_9ce4_8422_2325;

/// Hash of a phrase of normalized words: words joined by one space.
pub fn phrase_hash<'a>(words: impl IntoIterator<Item = &'a str>) -> u64 {
    let mut h = FNV_START;
    for (i, w) in words.into_iter().enumerate() {
        if i > 0 {
            h = fnv(h, b" ");
        }
        h = fnv(h, w.as_bytes());
    }
    h
}

impl Resources {
    /// The lexicons shipped in `data/ner/`.
    pub fn embedded() -> &'static Resources {
        static R: OnceLock<Resources> = OnceLock::new();
        R.get_or_init(|| {
            let mut gazetteer = String::with_capacity(GAZETTEER.len() + AUTOGAZ.len() + 1);
            gazetteer.push_str(GAZETTEER);
            gazetteer.push('\n');
            gazetteer.push_str(AUTOGAZ);
            Resources::parse(&gazetteer, TRIGGERS, CLUSTERS)
        })
    }

    /// Parses the three lexicon files (formats in `data/ner/README.md`).
    pub fn parse(gazetteer: &str, triggers: &str, clusters: &str) -> Resources {
        let mut r = Resources::default();
        for line in gazetteer.lines() {
            let Some((p, classes)) = line.split_once('\t') else {
                continue;
            };
            let mut bits = 0u16;
            for c in classes.split(',') {
                if let Some(i) = GAZ_CLASSES.iter().position(|g| *g == c.trim()) {
                    bits |= 1 << i;
                }
            }
            let words: Vec<String> = p.split(' ').map(norm_token).collect();
            *r.gazetteer
                .entry(phrase_hash(words.iter().map(String::as_str)))
                .or_default() |= bits;
        }
        for line in triggers.lines() {
            if line.starts_with('#') {
                continue;
            }
            let Some((w, class)) = line.split_once('\t') else {
                continue;
            };
            if let Some(i) = TRIGGER_CLASSES.iter().position(|t| *t == class.trim()) {
                *r.triggers.entry(norm_token(w.trim())).or_default() |= 1 << i;
            }
        }
        for (rank, line) in clusters.lines().enumerate() {
            let f: Vec<&str> = line.split('\t').collect();
            if f.len() < 4 {
                continue;
            }
            let p = |i: usize| {
                f.get(i)
                    .and_then(|s| s.trim().parse::<u16>().ok())
                    .unwrap_or(0)
            };
            r.clusters.entry(f[0].to_string()).or_insert(Cluster {
                c64: p(1),
                c256: p(2),
                c1024: p(3),
                d64: p(4),
                d256: p(5),
                d1024: p(6),
                rank: rank as u32,
            });
        }
        r
    }

    /// Gazetteer class bits of a phrase hash.
    #[inline]
    pub fn gazetteer_hash(&self, h: u64) -> u16 {
        self.gazetteer.get(&h).copied().unwrap_or(0)
    }

    /// Gazetteer class bits of one normalized word.
    pub fn gazetteer_word(&self, w: &str) -> u16 {
        self.gazetteer_hash(phrase_hash([w]))
    }

    /// Trigger class bits of a normalized word.
    pub fn trigger(&self, w: &str) -> u8 {
        self.triggers.get(w).copied().unwrap_or(0)
    }

    /// Cluster of a normalized word.
    pub fn cluster(&self, w: &str) -> Option<Cluster> {
        self.clusters.get(w).copied()
    }

    /// Corpus frequency rank of a normalized word (0 = most frequent), if in the vocabulary.
    pub fn rank(&self, w: &str) -> Option<u32> {
        self.clusters.get(w).map(|c| c.rank)
    }
}

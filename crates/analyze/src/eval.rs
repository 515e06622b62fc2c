//! Entity-level evaluation with the CoNLL (`conlleval`) rules: an entity is a maximal chunk of
//! one type starting at `B-X`, or at `I-X` that follows `O` or another type; it counts as
//! correct only when gold and prediction have the same start, end and type.

use std::collections::BTreeMap;
use std::fmt;

/// An entity chunk: token range `start..end` (half-open) and its type.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Chunk {
    pub start: usize,
    pub end: usize,
    pub kind: String,
}

fn split(tag: &str) -> (char, &str) {
    match tag.split_once('-') {
        Some((p, t)) if p.len() == 1 => (p.chars().next().unwrap_or('O'), t),
        _ => ('O', ""),
    }
}

/// The chunks of a tag sequence (`B-X` / `I-X` / `O`; anything else counts as `O`).
pub fn chunks<S: AsRef<str>>(tags: &[S]) -> Vec<Chunk> {
    let mut out = Vec::new();
    let mut open: Option<(usize, &str)> = None;
    for (i, tag) in tags.iter().enumerate() {
        let (p, t) = split(tag.as_ref());
        let continues = p == 'I' && open.is_some_and(|(_, ot)| ot == t);
        if !continues {
            if let Some((s, ot)) = open.take() {
                out.push(Chunk {
                    start: s,
                    end: i,
                    kind: ot.to_string(),
                });
            }
            if p == 'B' || p == 'I' {
                open = Some((i, t));
            }
        }
    }
    if let Some((s, ot)) = open {
        out.push(Chunk {
            start: s,
            end: tags.len(),
            kind: ot.to_string(),
        });
    }
    out
}

/// Precision, recall and F1 with the counts behind them.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Prf {
    pub tp: usize,
    pub fp: usize,
    pub fn_: usize,
}

impl Prf {
    pub fn precision(&self) -> f64 {
        if self.tp + self.fp == 0 {
            0.0
        } else {
            self.tp as f64 / (self.tp + self.fp) as f64
        }
    }
    pub fn recall(&self) -> f64 {
        if self.tp + self.fn_ == 0 {
            0.0
        } else {
            self.tp as f64 / (self.tp + self.fn_) as f64
        }
    }
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
    /// Number of gold entities.
    pub fn gold(&self) -> usize {
        self.tp + self.fn_
    }
}

/// Per-type and overall (micro-averaged) scores.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Evaluation {
    pub per_type: BTreeMap<String, Prf>,
    pub overall: Prf,
}

impl Evaluation {
    /// Adds one sentence's gold and predicted tags (same length).
    pub fn add<G: AsRef<str>, P: AsRef<str>>(&mut self, gold: &[G], pred: &[P]) {
        let g = chunks(gold);
        let p = chunks(pred);
        for c in &g {
            let e = self.per_type.entry(c.kind.clone()).or_default();
            if p.contains(c) {
                e.tp += 1;
                self.overall.tp += 1;
            } else {
                e.fn_ += 1;
                self.overall.fn_ += 1;
            }
        }
        for c in &p {
            if !g.contains(c) {
                self.per_type.entry(c.kind.clone()).or_default().fp += 1;
                self.overall.fp += 1;
            }
        }
    }
}

/// Scores gold against predicted tag sequences, sentence by sentence.
pub fn evaluate<G: AsRef<str>, P: AsRef<str>>(gold: &[Vec<G>], pred: &[Vec<P>]) -> Evaluation {
    let mut e = Evaluation::default();
    for (g, p) in gold.iter().zip(pred) {
        e.add(g, p);
    }
    e
}

impl fmt::Display for Evaluation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "type      gold   prec    rec     F1")?;
        for (t, s) in &self.per_type {
            writeln!(
                f,
                "{t:<8} {:>5} {:>6.2} {:>6.2} {:>6.2}",
                s.gold(),
                100.0 * s.precision(),
                100.0 * s.recall(),
                100.0 * s.f1()
            )?;
        }
        let s = &self.overall;
        write!(
            f,
            "{:<8} {:>5} {:>6.2} {:>6.2} {:>6.2}",
            "overall",
            s.gold(),
            100.0 * s.precision(),
            100.0 * s.recall(),
            100.0 * s.f1()
        )
    }
}

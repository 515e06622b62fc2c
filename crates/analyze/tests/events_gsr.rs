//! Event type and argument spans against the Arabic event GSR (ASSAULT and PROTEST sentences
//! with source/target spans), from `../shared/data/events/arabic_event_gsr`.
//!
//! Every sentence of `assault_spans.json` is an ASSAULT, every one of `protest_spans.json` a
//! PROTEST. Type precision/recall per type: a sentence coded with the type counts as a true
//! positive if it comes from that type's file, a false positive otherwise. Spans: token
//! overlap (match-normalized, و stripped) between the actors/targets of the events of the
//! gold type and `source_gold` / `target_gold`, micro-averaged over sentences whose gold
//! span is non-empty. Skipped (with a note) when `../shared` is absent.
//!
//! Only the sentences the detection annotators (`detection/*_train.csv`) labelled `yes` are
//! scored: the others (most of the protest spans are `ambiguous`) mention an attack or protest
//! without reporting one, and the learned decision is right to drop them. These sentences are
//! part of the decision model's training data, so this checks the coder end to end (triggers,
//! spans, the decision wired in), not how it generalizes: `rased train-events` (cross-validated)
//! and `rased eval-events` (held-out documents) measure that.

#[path = "../../../tests/common/shared.rs"]
mod shared_data;

use std::collections::HashSet;

use rased_analyze::events::{code_sentence_decided, CodedEvent, Modality};
use rased_text::normalize::{normalize_str, Level};

fn toks(s: &str) -> HashSet<String> {
    s.split_whitespace()
        .map(|w| {
            let n = normalize_str(w, Level::Match);
            let n: String = n.chars().filter(|c| c.is_alphanumeric()).collect();
            let n = if n.chars().count() > 3 {
                n.strip_prefix('و').map(str::to_string).unwrap_or(n)
            } else {
                n
            };
            n
        })
        .filter(|w| !w.is_empty())
        .collect()
}

#[derive(Default)]
struct Prf {
    tp: f64,
    fp: f64,
    fn_: f64,
}

impl Prf {
    fn p(&self) -> f64 {
        if self.tp + self.fp == 0.0 {
            0.0
        } else {
            self.tp / (self.tp + self.fp)
        }
    }
    fn r(&self) -> f64 {
        if self.tp + self.fn_ == 0.0 {
            0.0
        } else {
            self.tp / (self.tp + self.fn_)
        }
    }
    fn f(&self) -> f64 {
        let (p, r) = (self.p(), self.r());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

fn counts(ev: &CodedEvent) -> bool {
    matches!(
        ev.modality,
        Modality::Asserted | Modality::Historical | Modality::Background
    )
}

#[test]
fn gsr_precision_recall() {
    let Some(dir) = shared_data::shared_path("data/events/arabic_event_gsr") else {
        return;
    };
    let dir = dir.as_path();
    let types = ["ASSAULT", "PROTEST"];
    let mut reported = HashSet::new();
    for t in types {
        let path = dir.join(format!(
            "detection/{}_detection_train.csv",
            t.to_lowercase()
        ));
        let mut reader = csv::Reader::from_path(&path).expect("read detection labels");
        for row in reader.records() {
            let row = row.expect("csv row");
            if &row[2] == "yes" {
                reported.insert(row[6].trim().to_string());
            }
        }
    }
    let mut data = Vec::new();
    for t in types {
        let path = dir.join(format!("{}_spans.json", t.to_lowercase()));
        let text = std::fs::read_to_string(&path).expect("read gsr");
        let v: serde_json::Value = serde_json::from_str(&text).expect("json");
        for rec in v.as_array().expect("array") {
            if !reported.contains(rec["text"].as_str().unwrap_or("").trim()) {
                continue;
            }
            data.push((
                t,
                rec["text"].as_str().unwrap_or("").to_string(),
                rec["source_gold"].as_str().unwrap_or("").to_string(),
                rec["target_gold"].as_str().unwrap_or("").to_string(),
            ));
        }
    }
    let mut type_prf: Vec<Prf> = types.iter().map(|_| Prf::default()).collect();
    // [type][actor=0/target=1]: (overlap, predicted, gold)
    let mut span = [[(0.0f64, 0.0f64, 0.0f64); 2]; 2];
    let mut misses = Vec::new();
    for (gold, text, src, tgt) in &data {
        let events = code_sentence_decided(text, None);
        let kinds: HashSet<&str> = events
            .iter()
            .filter(|e| counts(e))
            .map(|e| e.event.kind.as_str())
            .collect();
        for (ti, t) in types.iter().enumerate() {
            let pred = kinds.contains(t);
            let is = gold == t;
            match (pred, is) {
                (true, true) => type_prf[ti].tp += 1.0,
                (true, false) => {
                    type_prf[ti].fp += 1.0;
                    if std::env::var("GSR_FP").is_ok() {
                        let trig: Vec<&str> = events
                            .iter()
                            .filter(|e| counts(e) && e.event.kind == *t)
                            .map(|e| e.event.evidence.trigger.as_str())
                            .collect();
                        eprintln!("{t} FP {trig:?}: {text}");
                    }
                }
                (false, true) => {
                    type_prf[ti].fn_ += 1.0;
                    misses.push(format!("{t} missed: {text}"));
                }
                _ => {}
            }
        }
        let ti = types.iter().position(|t| t == gold).unwrap_or(0);
        // The sentence's main event of the gold type: the most confident, then the first.
        let of_type: Vec<&CodedEvent> = events
            .iter()
            .filter(|e| counts(e) && e.event.kind == *gold)
            .fold(None::<&CodedEvent>, |best, e| match best {
                Some(b) if b.event.confidence >= e.event.confidence => Some(b),
                _ => Some(e),
            })
            .into_iter()
            .collect();
        for (si, gold_span) in [src, tgt].into_iter().enumerate() {
            let g = toks(gold_span);
            if g.is_empty() {
                continue;
            }
            let mut p = HashSet::new();
            for e in &of_type {
                let ps = if si == 0 {
                    &e.event.actors
                } else {
                    &e.event.recipients
                };
                for x in ps {
                    p.extend(toks(&x.text));
                }
            }
            let inter = p.intersection(&g).count() as f64;
            if std::env::var("GSR_SHOW").is_ok_and(|v| v == si.to_string()) {
                eprintln!("{gold} gold={gold_span:?} pred={p:?}\n   {text}");
            }
            span[ti][si].0 += inter;
            span[ti][si].1 += p.len() as f64;
            span[ti][si].2 += g.len() as f64;
        }
    }
    for m in misses
        .iter()
        .filter(|m| std::env::var("GSR_MISSES").is_ok_and(|t| m.starts_with(t.as_str())))
    {
        eprintln!("{m}");
    }
    for (ti, t) in types.iter().enumerate() {
        let prf = &type_prf[ti];
        eprintln!(
            "{t}: type P={:.3} R={:.3} F1={:.3} (tp={} fp={} fn={})",
            prf.p(),
            prf.r(),
            prf.f(),
            prf.tp,
            prf.fp,
            prf.fn_
        );
        for (si, role) in ["source/actor", "target"].iter().enumerate() {
            let (i, p, g) = span[ti][si];
            let pp = if p > 0.0 { i / p } else { 0.0 };
            let rr = if g > 0.0 { i / g } else { 0.0 };
            eprintln!("{t}: {role} token overlap P={pp:.3} R={rr:.3}");
        }
    }
    // Thresholds reached by this version (raise them as the coder improves). Without entities
    // the decision sees other features than it was trained on (noun phrases for participants,
    // no topic), so ASSAULT recall here is lower than in the analysis (0.81 vs 0.94 without the
    // decision).
    assert!(
        type_prf[0].p() >= 0.85 && type_prf[0].r() >= 0.85,
        "ASSAULT type"
    );
    assert!(
        type_prf[1].p() >= 0.93 && type_prf[1].r() >= 0.92,
        "PROTEST type"
    );
    let ratio = |x: (f64, f64, f64)| (x.0 / x.1.max(1.0), x.0 / x.2.max(1.0));
    assert!(
        ratio(span[0][0]).0 >= 0.2 && ratio(span[0][1]).0 >= 0.3,
        "ASSAULT spans"
    );
    // 0.42 before the decision stopped training on `difficult no` sentences (2026-12-07): ASSAULT
    // type recall rose 0.85 -> 0.90 here, and one PROTEST event with its actor was lost.
    assert!(ratio(span[1][0]).1 >= 0.38, "PROTEST actor recall");
}

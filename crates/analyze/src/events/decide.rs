//! The learned decision on every trigger candidate: is it an event of its type?
//!
//! The lexicon proposes; this model disposes. Its features are what the coder already knows
//! about the candidate: the trigger's form and exact spelling (`هنا` is not `هنأ`), its
//! morphology and neighbours, the clause's shape (actor, recipient, place found), the named
//! mentions and numbers of the sentence, the rule-based modality, question and quotation
//! marks, the sentence's words, and the article's topic. It is a multinomial logistic
//! regression over the 16 PLOVER types and `NONE` (`crate::linear`), trained by
//! `rased train-events` from the shared detection sentences and the annotated candidates of
//! `data/events/gold` (`data/events/README.md`); its probability for the candidate's type is the
//! event's `confidence`, and a candidate below [`THRESHOLD`] is no event.

use std::sync::LazyLock;

use rased_text::stem::light_stem;

use super::args::Args;
use super::context::{MKind, Sent};
use super::lexicon::Form;
use super::triggers::Hit;
use super::Modality;
use crate::linear::{feature_hash, Linear};
use crate::topic::Topic;

/// Candidates whose probability of being an event of their type is below this are dropped
/// (chosen on the training folds, see `data/events/README.md`).
pub(crate) const THRESHOLD: f32 = 0.5;

static MODEL: LazyLock<Linear> = LazyLock::new(|| {
    Linear::parse(include_str!("../../../../data/events/decision.tsv"))
        .expect("data/events/decision.tsv is a valid model")
});

/// The embedded model.
pub(crate) fn model() -> &'static Linear {
    &MODEL
}

/// The second learned decision, on an event the text does not date: is it the day's news
/// (dated with the publication day) or something the report mentions without saying when
/// (`unknown`, as the annotators of `data/events/gold` write it)? Classes `undated`, `dated`;
/// trained by `rased train-events` on the gold training documents, over the same features.
static DATING: LazyLock<Linear> = LazyLock::new(|| {
    Linear::parse(include_str!("../../../../data/events/dating.tsv"))
        .expect("data/events/dating.tsv is a valid model")
});

/// An undated event is given the publication day unless the dating model's probability of
/// `dated` is below this (chosen on the training folds: a wrong `unknown` hides the day's news
/// from event groups and stories, so only a clear `undated` wins).
pub(crate) const DATED_THRESHOLD: f32 = 0.35;

/// Whether an event with these features, which its text does not date, is background the
/// report gives no day for; `false` when the dating model is untrained.
pub(crate) fn undated(hashes: &[u64]) -> bool {
    let model = &*DATING;
    let Some(dated) = model.class_index("dated").filter(|_| model.is_trained()) else {
        return false;
    };
    model.probabilities(hashes.iter().copied())[dated] < DATED_THRESHOLD
}

/// The model's probability that a candidate with these features is an event of `kind`; `None`
/// when the model is untrained.
pub(crate) fn probability(model: &Linear, hashes: &[u64], kind: &str) -> Option<f32> {
    if !model.is_trained() {
        return None;
    }
    let c = model.class_index(kind)?;
    let p = model.probabilities(hashes.iter().copied());
    Some(p[c])
}

/// The decision on a candidate of type `kind`: the type it is coded with (its own, or another
/// type the model is sure of: `رحّب` read as a meeting is support) and that type's probability;
/// `None` when the model takes it for no event (or does not know `kind`).
pub(crate) fn decide<'m>(model: &'m Linear, hashes: &[u64], kind: &str) -> Option<(&'m str, f32)> {
    let own = model.class_index(kind)?;
    let p = model.probabilities(hashes.iter().copied());
    if p[own] >= THRESHOLD {
        return Some((&model.classes()[own], p[own]));
    }
    // Class 0 is NONE; another type wins only when the model gives it the threshold itself.
    let (best, pb) = p
        .iter()
        .copied()
        .enumerate()
        .skip(1)
        .fold((own, p[own]), |a, b| if b.1 > a.1 { b } else { a });
    (best != own && pb >= THRESHOLD).then(|| (model.classes()[best].as_str(), pb))
}

/// What the coder knows about one candidate.
pub(crate) struct Candidate<'a> {
    pub s: &'a Sent,
    pub hit: &'a Hit,
    pub kind: &'a str,
    pub has_condition: bool,
    pub modality: Modality,
    pub args: &'a Args,
    pub explicit_date: bool,
    pub sentence_text: &'a str,
    pub sentence_index: usize,
    pub topic: Option<Topic>,
}

/// Words of the sentence (either side of the trigger) read as context.
const SENTENCE_WORDS: usize = 25;

/// The candidate's features.
pub(crate) fn features(c: &Candidate, keep_strings: bool) -> Features {
    let s = c.s;
    let h = c.hit;
    let t = c.kind;
    let mut f = Features::new(keep_strings);
    f.add(format_args!("type={t}"));
    let trigger: Vec<&str> = s.toks[h.start..h.end]
        .iter()
        .map(|k| k.norm.as_str())
        .collect();
    f.add(format_args!("{t}|trig={}", trigger.join("_")));
    f.add(format_args!("trig={}", trigger.join("_")));
    // The exact spelling, hamzas kept: the folded form hides هنا/هنأ, سال/سأل.
    let surface: String = s.toks[h.start]
        .orig
        .chars()
        .filter(|ch| !matches!(ch, '\u{064B}'..='\u{0652}' | '\u{0640}'))
        .collect();
    f.add(format_args!("surf={surface}"));
    let form = match h.form {
        Form::Past => "past",
        Form::Present => "present",
        Form::Passive => "passive",
        Form::Noun => "noun",
        Form::Phrase => "phrase",
    };
    f.both(t, format_args!("form={form}"));
    for (on, name) in [
        (h.definite, "definite"),
        (h.lam, "lam"),
        (h.enclitic, "enclitic"),
        (h.waw, "waw"),
        (h.future, "rowfuture"),
        (c.has_condition, "condition"),
    ] {
        if on {
            f.both(t, format_args!("{name}"));
        }
    }
    let word = |i: usize| -> &str {
        s.toks
            .get(i)
            .filter(|k| k.kind.is_word())
            .map_or("<none>", |k| k.norm.as_str())
    };
    for (name, i) in [
        ("p1", h.start.checked_sub(1)),
        ("p2", h.start.checked_sub(2)),
        ("n1", Some(h.end)),
        ("n2", Some(h.end + 1)),
    ] {
        let w = i.map_or("<none>", word);
        f.both(t, format_args!("{name}={w}"));
    }
    let modality = serde_json::to_value(c.modality)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    f.both(t, format_args!("mod={modality}"));
    let kind_name = |m: usize| match s.ments[m].kind {
        MKind::Per => "per",
        MKind::Org => "org",
        MKind::Loc => "loc",
        MKind::Misc => "misc",
        MKind::Np => "np",
    };
    f.both(
        t,
        format_args!("actor={}", c.args.actor.map_or("none", kind_name)),
    );
    f.both(
        t,
        format_args!("recipient={}", c.args.recipient.map_or("none", kind_name)),
    );
    f.both(
        t,
        format_args!(
            "place={}",
            if c.args.place.is_some() { "yes" } else { "no" }
        ),
    );
    if c.explicit_date {
        f.both(t, format_args!("date"));
    }
    let count = |k: MKind| s.ments.iter().filter(|m| m.kind == k).count().min(3);
    for (k, name) in [
        (MKind::Per, "nper"),
        (MKind::Org, "norg"),
        (MKind::Loc, "nloc"),
    ] {
        f.both(t, format_args!("{name}={}", count(k)));
    }
    if s.toks
        .iter()
        .any(|k| k.norm.chars().any(|ch| ch.is_ascii_digit()))
    {
        f.both(t, format_args!("number"));
    }
    if c.sentence_text.contains(['؟', '?']) {
        f.both(t, format_args!("question"));
    }
    // Inside a quotation: more opening than closing marks before the trigger.
    let (mut opened, mut closed, mut straight) = (0, 0, 0);
    for ch in c.sentence_text.chars().take(s.toks[h.start].cs) {
        match ch {
            '«' | '“' => opened += 1,
            '»' | '”' => closed += 1,
            '"' => straight += 1,
            _ => {}
        }
    }
    if opened > closed || straight % 2 == 1 {
        f.both(t, format_args!("quoted"));
    }
    f.both(t, format_args!("sentence={}", c.sentence_index.min(3)));
    let words = s.toks.iter().filter(|k| k.kind.is_word()).count();
    f.both(t, format_args!("length={}", (words / 10).min(5)));
    let lo = h.start.saturating_sub(SENTENCE_WORDS);
    let hi = (h.end + SENTENCE_WORDS).min(s.toks.len());
    for (i, k) in s.toks[lo..hi].iter().enumerate() {
        if (h.start..h.end).contains(&(lo + i)) || !k.kind.is_word() {
            continue;
        }
        let stem = light_stem(&k.norm);
        if stem.chars().count() >= 2 {
            f.add(format_args!("{t}|w:{stem}"));
            f.add(format_args!("w:{stem}"));
        }
    }
    // Word clusters generalize the context beyond the words the training sentences had.
    let res = crate::resources::Resources::embedded();
    for (i, k) in s.toks[lo..hi].iter().enumerate() {
        let at = lo + i;
        if (h.start..h.end).contains(&at) || !k.kind.is_word() {
            continue;
        }
        if let Some(cl) = res.cluster(&k.norm) {
            f.add(format_args!("c256:{}", cl.c256));
            f.add(format_args!("{t}|c256:{}", cl.c256));
            let near = at + 5 >= h.start && at <= h.end + 4;
            if near {
                let side = if at < h.start { "b" } else { "a" };
                f.add(format_args!("{t}|c1024{side}:{}", cl.c1024));
                f.add(format_args!("{t}|w{side}:{}", light_stem(&k.norm)));
            }
        }
        if k.norm.chars().any(|ch| ch.is_ascii_digit()) && at + 6 >= h.start && at <= h.end + 6 {
            f.both(t, format_args!("number-near"));
        }
    }
    if let Some(cl) = res.cluster(&s.toks[h.start].norm) {
        f.both(t, format_args!("trigc:{}", cl.c1024));
    }
    match c.topic {
        Some(topic) => {
            f.both(t, format_args!("topic={}", topic.label));
            if topic.probability >= 0.8 {
                f.both(t, format_args!("topic!={}", topic.label));
            }
        }
        None => f.both(t, format_args!("topic=none")),
    }
    f.finish();
    f
}

/// A candidate's features as the model reads them (hashes) and, when training, as strings.
/// Each feature is formatted into one reused buffer, so scoring allocates nothing per feature.
pub(crate) struct Features {
    pub hashes: Vec<u64>,
    pub strings: Vec<String>,
    keep_strings: bool,
    buf: String,
}

impl Features {
    fn new(keep_strings: bool) -> Features {
        Features {
            hashes: Vec::with_capacity(160),
            strings: Vec::new(),
            keep_strings,
            buf: String::with_capacity(64),
        }
    }

    fn emit(&mut self, from: usize) {
        let name = &self.buf[from..];
        self.hashes.push(feature_hash(name));
        if self.keep_strings {
            self.strings.push(name.to_string());
        }
    }

    /// One feature.
    fn add(&mut self, name: std::fmt::Arguments) {
        use std::fmt::Write;
        self.buf.clear();
        let _ = self.buf.write_fmt(name);
        self.emit(0);
    }

    /// A feature alone and conjoined with the candidate's type (`TYPE|name`).
    fn both(&mut self, kind: &str, name: std::fmt::Arguments) {
        use std::fmt::Write;
        self.buf.clear();
        self.buf.push_str(kind);
        self.buf.push('|');
        let mark = self.buf.len();
        let _ = self.buf.write_fmt(name);
        self.emit(0);
        self.emit(mark);
    }

    /// Each feature once (the model was trained on feature sets).
    fn finish(&mut self) {
        self.hashes.sort_unstable();
        self.hashes.dedup();
        self.strings.sort_unstable();
        self.strings.dedup();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_models_are_trained() {
        assert!(model().is_trained(), "data/events/decision.tsv");
        assert!(DATING.is_trained(), "data/events/dating.tsv");
        assert_eq!(DATING.classes(), ["undated", "dated"]);
        // No features: the prior, which leaves an event its publication day (half of the
        // training events are dated).
        assert!(!undated(&[]));
    }
}

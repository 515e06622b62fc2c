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

/// The model's probability that a candidate with these features is an event of `kind`; `None`
/// when the model is untrained.
pub(crate) fn probability(model: &Linear, features: &[String], kind: &str) -> Option<f32> {
    if !model.is_trained() {
        return None;
    }
    let c = model.class_index(kind)?;
    let p = model.probabilities(features.iter().map(|f| feature_hash(f)));
    Some(p[c])
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
pub(crate) fn features(c: &Candidate) -> Vec<String> {
    let s = c.s;
    let h = c.hit;
    let t = c.kind;
    let mut f: Vec<String> = Vec::with_capacity(96);
    let both = |f: &mut Vec<String>, name: String| {
        f.push(format!("{t}|{name}"));
        f.push(name);
    };
    f.push(format!("type={t}"));
    let trigger: Vec<&str> = s.toks[h.start..h.end]
        .iter()
        .map(|k| k.norm.as_str())
        .collect();
    f.push(format!("{t}|trig={}", trigger.join("_")));
    f.push(format!("trig={}", trigger.join("_")));
    // The exact spelling, hamzas kept: the folded form hides هنا/هنأ, سال/سأل.
    let surface: String = s.toks[h.start]
        .orig
        .chars()
        .filter(|ch| !matches!(ch, '\u{064B}'..='\u{0652}' | '\u{0640}'))
        .collect();
    f.push(format!("surf={surface}"));
    let form = match h.form {
        Form::Past => "past",
        Form::Present => "present",
        Form::Passive => "passive",
        Form::Noun => "noun",
        Form::Phrase => "phrase",
    };
    both(&mut f, format!("form={form}"));
    for (on, name) in [
        (h.definite, "definite"),
        (h.lam, "lam"),
        (h.enclitic, "enclitic"),
        (h.waw, "waw"),
        (h.future, "rowfuture"),
        (c.has_condition, "condition"),
    ] {
        if on {
            both(&mut f, name.to_string());
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
        both(&mut f, format!("{name}={w}"));
    }
    let modality = serde_json::to_value(c.modality)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    both(&mut f, format!("mod={modality}"));
    let kind_name = |m: usize| match s.ments[m].kind {
        MKind::Per => "per",
        MKind::Org => "org",
        MKind::Loc => "loc",
        MKind::Misc => "misc",
        MKind::Np => "np",
    };
    both(
        &mut f,
        format!("actor={}", c.args.actor.map_or("none", kind_name)),
    );
    both(
        &mut f,
        format!("recipient={}", c.args.recipient.map_or("none", kind_name)),
    );
    both(
        &mut f,
        format!(
            "place={}",
            if c.args.place.is_some() { "yes" } else { "no" }
        ),
    );
    if c.explicit_date {
        both(&mut f, "date".to_string());
    }
    let count = |k: MKind| s.ments.iter().filter(|m| m.kind == k).count().min(3);
    for (k, name) in [
        (MKind::Per, "nper"),
        (MKind::Org, "norg"),
        (MKind::Loc, "nloc"),
    ] {
        both(&mut f, format!("{name}={}", count(k)));
    }
    if s.toks
        .iter()
        .any(|k| k.norm.chars().any(|ch| ch.is_ascii_digit()))
    {
        both(&mut f, "number".to_string());
    }
    if c.sentence_text.contains(['؟', '?']) {
        both(&mut f, "question".to_string());
    }
    let before: String = c.sentence_text.chars().take(s.toks[h.start].cs).collect();
    let opened = before.chars().filter(|ch| matches!(ch, '«' | '“')).count();
    let closed = before.chars().filter(|ch| matches!(ch, '»' | '”')).count();
    if opened > closed || before.chars().filter(|&ch| ch == '"').count() % 2 == 1 {
        both(&mut f, "quoted".to_string());
    }
    both(&mut f, format!("sentence={}", c.sentence_index.min(3)));
    let words = s.toks.iter().filter(|k| k.kind.is_word()).count();
    both(&mut f, format!("length={}", (words / 10).min(5)));
    let lo = h.start.saturating_sub(SENTENCE_WORDS);
    let hi = (h.end + SENTENCE_WORDS).min(s.toks.len());
    for (i, k) in s.toks[lo..hi].iter().enumerate() {
        if (h.start..h.end).contains(&(lo + i)) || !k.kind.is_word() {
            continue;
        }
        let stem = light_stem(&k.norm);
        if stem.chars().count() >= 2 {
            f.push(format!("{t}|w:{stem}"));
            f.push(format!("w:{stem}"));
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
            f.push(format!("c256:{}", cl.c256));
            f.push(format!("{t}|c256:{}", cl.c256));
            let near = at + 5 >= h.start && at <= h.end + 4;
            if near {
                let side = if at < h.start { "b" } else { "a" };
                f.push(format!("{t}|c1024{side}:{}", cl.c1024));
                f.push(format!("{t}|w{side}:{}", light_stem(&k.norm)));
            }
        }
        if k.norm.chars().any(|ch| ch.is_ascii_digit()) && at + 6 >= h.start && at <= h.end + 6 {
            both(&mut f, "number-near".to_string());
        }
    }
    if let Some(cl) = res.cluster(&s.toks[h.start].norm) {
        both(&mut f, format!("trigc:{}", cl.c1024));
    }
    match c.topic {
        Some(topic) => {
            both(&mut f, format!("topic={}", topic.label));
            if topic.probability >= 0.8 {
                both(&mut f, format!("topic!={}", topic.label));
            }
        }
        None => both(&mut f, "topic=none".to_string()),
    }
    f.sort_unstable();
    f.dedup();
    f
}

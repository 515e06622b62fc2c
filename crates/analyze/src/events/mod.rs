//! Political events coded in PLOVER from native Arabic text.
//!
//! Per sentence: triggers from the lexicon (`data/events/triggers.tsv`: verbs in their
//! conjugations, verbal nouns, light-verb phrases; matched on match-normalized tokens with
//! clitics stripped), then for each trigger its context:
//!
//! * conditions from the lexicon (بحث مع، دعم عسكري → AID, حذّر + consequence, وصل إلى + place);
//! * skips: reporting verbs (قال، أعلن) are attribution; a noun after a stop word (إيقاف هجومه،
//!   توقفت الاشتباكات), a purpose (لمناقشة، من أجل شنّ) or a request object (دعاه إلى الانسحاب)
//!   is not an event of its own;
//! * modality: negated (لم/لن/لا/ما، نفى، عدم), future (سـ، سوف، من المقرر، يعتزم …),
//!   hypothetical (إذا، لو، في حال، إنْ، قد + present), generic (متكررة، تشهد المنطقة …),
//!   background (وكان … قد) and historical (a resolved date long before the article);
//! * arguments: the entity mentions of the sentence (or, with no entities, noun phrases),
//!   each with the preposition that governs it; VSO and SVO order, passives (the subject is the
//!   recipient), verbal nouns (genitive = actor, مع/بـ/على/ضد = recipient, بين X وY), light
//!   verbs, relative clauses (الذي التقى → the nearest person before), pronouns (متهما إياه →
//!   the person the clause addressed), coordinated verbs sharing their subject;
//! * place (في/بمنطقة/بمدينة/بمحيط + place, إلى + place for visits, else the dateline);
//! * date (relative expressions resolved against the article date; `بعد يوم من اجتماع X`).
//!
//! Across the article, a definite or argument-less mention of an event type (اللقاء، الاجتماع)
//! refers to the latest event of that type and adds its place and date rather than making a
//! new event; two reports with the same type and the same participants are one event.
//!
//! Public API: [`code_events`] (the article-level contract), [`code_events_detailed`] (every
//! candidate as a [`CodedEvent`] with CAMEO code, quad class, [`Modality`], [`PlaceSource`] and
//! the other sentences that reported it), [`code_sentence`] (one sentence without entities:
//! arguments are noun phrases; for sentence-level gold data), [`quad_class`],
//! [`lexicon_size`], [`plover_record`].
//!
//! The shared [`Event`] has `cameo`, `quad_class`, `modality` and `place_source`;
//! [`CodedEvent::into_event`] fills them in. `mode` is the PLOVER mode of the trigger only
//! (`disapprove`); whether an event is background or historical is its `modality`.
//!
//! Layout: `context` (article and sentence contexts, tokens, mentions), `triggers` (trigger
//! hits, lexicon conditions, clause bounds), `args` (argument markers, noun phrases,
//! actor/recipient/place), `modality`, `dates` (date expressions and how they attach to
//! events), `sentence` (coding one sentence), `merge` (co-referent reports), `words` (the word
//! lists in `data/events/*.txt`) and `lexicon` (the trigger lexicon).

mod args;
mod context;
mod dates;
mod decide;
mod lexicon;
mod merge;
mod modality;
mod sentence;
mod triggers;
mod words;

use chrono::NaiveDate;
use rased_model::{Entity, Event};

use rased_text::Document;

use crate::topic::Topic;

use context::{doc_tokens, kind_of, ArticleCtx, Decision, Ment, SentenceCtx};
use lexicon::{norm, Class, LEXICON};

/// How the text presents an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Modality {
    /// Reported as happened or happening.
    Asserted,
    /// Denied: لم يلتقِ، نفى أن.
    Negated,
    /// Planned or announced for later: سيلتقي، من المقرر.
    Future,
    /// Conditional or possible: إذا، لو، قد يهاجم.
    Hypothetical,
    /// A purpose or requested action: لمناقشة، دعا إلى الانسحاب، من أجل شنّ.
    Intended,
    /// A general statement, not one event: اعتداءات متكررة.
    Generic,
    /// Pluperfect background (وكان … قد التقى): happened earlier, date unknown.
    Background,
    /// Long before the article (قبل خمس سنوات).
    Historical,
}

/// Where the place of an event came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PlaceSource {
    Sentence,
    Dateline,
}

/// An event with what the shared [`Event`] type cannot hold yet.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct CodedEvent {
    pub event: Event,
    /// CAMEO code of the trigger (e.g. `040`, `0871`).
    pub cameo: String,
    /// CAMEO quad class: 1 verbal cooperation, 2 material cooperation, 3 verbal conflict,
    /// 4 material conflict.
    pub quad_class: u8,
    pub modality: Modality,
    pub place_source: Option<PlaceSource>,
    /// Other sentences (code-point start offsets into the body) that reported the same event.
    pub also_reported: Vec<usize>,
    /// The decision model's features of the trigger (kept only when collecting candidates for
    /// training, [`candidates`]).
    #[serde(skip)]
    pub features: Vec<String>,
}

/// CAMEO quad class from a CAMEO code: roots 01–05 → 1, 06–09 → 2, 10–14 → 3, 15–20 → 4.
pub fn quad_class(cameo: &str) -> u8 {
    let root: u32 = cameo.get(..2).and_then(|r| r.parse().ok()).unwrap_or(0);
    match root {
        1..=5 => 1,
        6..=9 => 2,
        10..=14 => 3,
        15..=20 => 4,
        _ => 0,
    }
}

/// (lexicon rows, distinct trigger forms incl. generated conjugations and phrases).
pub fn lexicon_size() -> (usize, usize) {
    let lex = &*LEXICON;
    (
        lex.rows.iter().filter(|r| r.class == Class::Event).count(),
        lex.forms,
    )
}

/// Codes the events of an article. `entities` are the article's resolved entities with
/// code-point mention offsets into `body`. Keeps asserted, negated (`negated`), future
/// (`future`), background and historical events (those two marked in `modality`); drops
/// hypothetical, intended and generic ones (see [`code_events_detailed`]).
pub fn code_events(
    body: &str,
    entities: &[Entity],
    published: Option<NaiveDate>,
    dateline_place: Option<&str>,
) -> Vec<Event> {
    code_document(&Document::new(body, published), entities, dateline_place)
}

impl CodedEvent {
    /// The shared [`Event`] with CAMEO code, quad class, modality and place source filled in.
    pub fn into_event(self) -> Event {
        let label = |v: serde_json::Value| v.as_str().map(str::to_string);
        Event {
            cameo: Some(self.cameo),
            quad_class: Some(self.quad_class),
            modality: serde_json::to_value(self.modality).ok().and_then(label),
            place_source: self
                .place_source
                .and_then(|p| serde_json::to_value(p).ok())
                .and_then(label),
            ..self.event
        }
    }
}

/// Codes one sentence with no entities (actors and targets are noun phrases) by the rules
/// alone, for tests of the lexicon and the rules and for sentence-level gold data. Returns
/// every candidate with its modality; the learned decision does not drop any (see
/// [`code_sentence_decided`]).
pub fn code_sentence(sentence: &str, published: Option<NaiveDate>) -> Vec<CodedEvent> {
    code_one(sentence, published, Decision::Rules)
}

/// [`code_sentence`] with the learned decision: the candidates it rejects are dropped and the
/// others carry its probability as `confidence`.
pub fn code_sentence_decided(sentence: &str, published: Option<NaiveDate>) -> Vec<CodedEvent> {
    code_one(sentence, published, Decision::Apply)
}

fn code_one(sentence: &str, published: Option<NaiveDate>, decision: Decision) -> Vec<CodedEvent> {
    let mut out = Vec::new();
    let mut ctx = ArticleCtx {
        decision,
        ..ArticleCtx::default()
    };
    let sc = SentenceCtx {
        text: sentence,
        char_start: 0,
        index: 0,
        mentions: &[],
        published,
        dateline: None,
        use_entities: false,
        toks: None,
        dates: None,
    };
    sentence::code_one_sentence(&sc, &mut ctx, &mut out);
    out
}

/// Like [`code_events`] but returns every candidate with CAMEO code, quad class, modality
/// and place source, after merging co-referent reports.
pub fn code_events_detailed(
    body: &str,
    entities: &[Entity],
    published: Option<NaiveDate>,
    dateline_place: Option<&str>,
) -> Vec<CodedEvent> {
    let doc = Document::new(body, published);
    code_document_detailed(&doc, entities, dateline_place)
}

/// [`code_events`] on an annotated body: its sentences and tokens, the document's reference
/// date as the article date.
pub fn code_document(
    doc: &Document,
    entities: &[Entity],
    dateline_place: Option<&str>,
) -> Vec<Event> {
    keep_reported(code_document_detailed(doc, entities, dateline_place))
}

/// The events an article reports (hypothetical, intended and generic ones left out) in the
/// shared shape.
fn keep_reported(coded: Vec<CodedEvent>) -> Vec<Event> {
    coded
        .into_iter()
        .filter(|c| {
            !matches!(
                c.modality,
                Modality::Hypothetical | Modality::Intended | Modality::Generic
            )
        })
        .map(CodedEvent::into_event)
        .collect()
}

/// [`code_events_detailed`] on an annotated body.
pub fn code_document_detailed(
    doc: &Document,
    entities: &[Entity],
    dateline_place: Option<&str>,
) -> Vec<CodedEvent> {
    code_with(doc, entities, dateline_place, None, Decision::Apply)
}

/// Every trigger candidate of an annotated body with its decision features, before the
/// decision and before co-referent reports merge: the training examples of the decision
/// model (`rased train-events`).
pub fn candidates(
    doc: &Document,
    entities: &[Entity],
    dateline_place: Option<&str>,
    topic: Option<Topic>,
) -> Vec<CodedEvent> {
    code_with(doc, entities, dateline_place, topic, Decision::Collect)
}

/// The hashes of a feature list, each once, as the model scores them.
fn feature_set(features: &[String]) -> Vec<u64> {
    let mut hashes: Vec<u64> = features
        .iter()
        .map(|f| crate::linear::feature_hash(f))
        .collect();
    hashes.sort_unstable();
    hashes.dedup();
    hashes
}

/// The type a candidate with these features is coded with (its own `kind` or another the model
/// is sure of) and its probability; `None` when it is no event or no model is trained.
pub fn decision(features: &[String], kind: &str) -> Option<(String, f32)> {
    decide::decide(decide::model(), &feature_set(features), kind).map(|(k, p)| (k.to_string(), p))
}

/// Whether the dating model takes an event with these features, which its text does not
/// date, for background without a day (see `decide::undated`).
pub fn undated(features: &[String]) -> bool {
    decide::undated(&feature_set(features))
}

/// [`code_document`] given the article's topic, as the analysis pipeline runs it.
pub fn code_document_with_topic(
    doc: &Document,
    entities: &[Entity],
    dateline_place: Option<&str>,
    topic: Option<Topic>,
) -> Vec<Event> {
    keep_reported(code_with(
        doc,
        entities,
        dateline_place,
        topic,
        Decision::Apply,
    ))
}

fn code_with(
    doc: &Document,
    entities: &[Entity],
    dateline_place: Option<&str>,
    topic: Option<Topic>,
    decision: Decision,
) -> Vec<CodedEvent> {
    // Callers without the pipeline's topic (which reads the title too) get the body's.
    let topic = topic.or_else(|| crate::topic::classify(&Document::new("", None), doc));
    let body = doc.text();
    let mentions = article_mentions(entities);
    let mut out: Vec<CodedEvent> = Vec::new();
    let mut ctx = ArticleCtx {
        title_owner: title_owners(body, entities),
        entity_ids: entities
            .iter()
            .map(|e| (e.id.clone(), e.kind.clone()))
            .collect(),
        topic,
        decision,
        ..ArticleCtx::default()
    };
    for (si, sentence) in doc.sentences().iter().enumerate() {
        let (cstart, cend) = (sentence.chars.start, sentence.chars.end);
        // Mentions are ordered by start: those of this sentence are one run of them.
        let from = mentions.partition_point(|m| m.start < cstart);
        let ms: Vec<Ment> = mentions[from..]
            .iter()
            .take_while(|m| m.start < cend)
            .filter(|m| m.end <= cend)
            .map(|m| Ment {
                start: m.start - cstart,
                end: m.end - cstart,
                ..m.clone()
            })
            .collect();
        let toks = doc_tokens(doc, si);
        let sc = SentenceCtx {
            text: doc.sentence_text(si),
            char_start: cstart,
            index: si,
            mentions: &ms,
            published: doc.reference(),
            dateline: dateline_place,
            use_entities: true,
            toks: Some(&toks),
            dates: Some((doc.dates(), sentence.bytes.start)),
        };
        sentence::code_one_sentence(&sc, &mut ctx, &mut out);
    }
    out
}

/// Every mention of every entity, in code points into the body, ordered by start (longest
/// first).
fn article_mentions(entities: &[Entity]) -> Vec<Ment> {
    let mut mentions: Vec<Ment> = Vec::new();
    for (ei, e) in entities.iter().enumerate() {
        for m in &e.mentions {
            if m.start < m.end {
                mentions.push(Ment {
                    start: m.start,
                    end: m.end,
                    entity: Some(ei),
                    kind: kind_of(&e.kind),
                    text: m.text.clone(),
                });
            }
        }
    }
    mentions.sort_by_key(|m| (m.start, std::cmp::Reverse(m.end)));
    mentions
}

/// Titles written before each person's mentions (بالجنرال خليفة حفتر → الجنرال): title word →
/// the one person who carries it (`None` when several do).
fn title_owners(
    body: &str,
    entities: &[Entity],
) -> std::collections::HashMap<String, Option<usize>> {
    let mut owners = std::collections::HashMap::new();
    let chars: Vec<char> = body.chars().collect();
    for (ei, e) in entities.iter().enumerate() {
        if e.kind != "PER" {
            continue;
        }
        for m in &e.mentions {
            let mut before: Vec<char> = chars[..m.start.min(chars.len())]
                .iter()
                .rev()
                .skip_while(|c| c.is_whitespace())
                .take_while(|c| !c.is_whitespace())
                .copied()
                .collect();
            before.reverse();
            let w = norm(&before.into_iter().collect::<String>());
            let w = w.trim_start_matches(['و', 'ف']);
            let w = w
                .strip_prefix('ب')
                .or_else(|| w.strip_prefix('ل'))
                .filter(|r| r.starts_with("ال"))
                .unwrap_or(w);
            if w.starts_with("ال") && rased_kb::resolve::is_title(w) {
                let slot = owners.entry(w.to_string()).or_insert(Some(ei));
                if *slot != Some(ei) {
                    *slot = None;
                }
            }
        }
    }
    owners
}

/// One event as a PLOVER-style record (the fields of the PLOVER GSR examples plus CAMEO code,
/// quad class, modality and the evidence offsets), for `rased events` and `rased export`.
pub fn plover_record(
    id: &str,
    e: &Event,
    outlet: Option<&str>,
    published: Option<&str>,
) -> serde_json::Value {
    let actors = |ps: &[rased_model::Participant]| -> serde_json::Value {
        ps.iter()
            .map(|p| serde_json::json!({"actorText": p.text, "entity": p.entity}))
            .collect()
    };
    serde_json::json!({
        "id": id,
        "date": e.date,
        "dateText": e.date_text,
        "event": e.kind,
        "mode": e.mode,
        "source": actors(&e.actors),
        "target": actors(&e.recipients),
        "location": e.place.as_ref().map(|p| serde_json::json!({
            "placeText": p.text,
            "entity": p.entity,
            "from": e.place_source,
        })),
        "text": e.evidence.sentence,
        "textStart": e.evidence.start,
        "textEnd": e.evidence.end,
        "eventText": e.evidence.trigger,
        "cameo": e.cameo,
        "quadClass": e.quad_class,
        "modality": e.modality,
        "negated": e.negated,
        "future": e.future,
        "confidence": e.confidence,
        "language": "ar",
        "publication": outlet,
        "published": published,
    })
}

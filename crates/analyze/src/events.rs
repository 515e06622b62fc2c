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
//! [`lexicon_size`].
//!
//! CAMEO code and quad class live in [`CodedEvent`] because the shared `Event` has no fields
//! for them yet (requested: `cameo: Option<String>`, `quad_class: Option<u8>`,
//! `modality: Option<String>`, `place_source: Option<String>`, all
//! `#[serde(default, skip_serializing_if = "Option::is_none")]`). Until then [`code_events`]
//! puts modality that `Event` cannot store into `mode` (`historical`, `background`, appended
//! after the PLOVER mode with `;`, e.g. `disapprove;historical`).

mod lexicon;

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use rased_model::{Entity, Event, Evidence, Participant};
use rased_text::tokenize::{tokenize, TokenKind};

use lexicon::{lookup, loose_eq, norm, Class, Cond, Form, LEXICON};

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
/// (`future`), background and historical events (those two marked in `mode`); drops
/// hypothetical, intended and generic ones (see [`code_events_detailed`]).
pub fn code_events(
    body: &str,
    entities: &[Entity],
    published: Option<NaiveDate>,
    dateline_place: Option<&str>,
) -> Vec<Event> {
    code_events_detailed(body, entities, published, dateline_place)
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

/// Codes one sentence with no entities (actors and targets are noun phrases), for evaluation
/// on sentence-level gold data. Returns every candidate with its modality.
pub fn code_sentence(sentence: &str, published: Option<NaiveDate>) -> Vec<CodedEvent> {
    let mut out = Vec::new();
    let mut ctx = ArticleCtx::default();
    code_one_sentence(
        sentence,
        0,
        0,
        &[],
        published,
        None,
        false,
        &mut ctx,
        &mut out,
    );
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
    let mut out: Vec<CodedEvent> = Vec::new();
    let mut ctx = ArticleCtx::default();
    // Titles written before each person's mentions (بالجنرال خليفة حفتر → الجنرال).
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
                let slot = ctx.title_owner.entry(w.to_string()).or_insert(Some(ei));
                if *slot != Some(ei) {
                    *slot = None;
                }
            }
        }
    }
    let ents: Vec<(String, String)> = entities
        .iter()
        .map(|e| (e.id.clone(), e.kind.clone()))
        .collect();
    for (si, range) in rased_text::sentence::sentences(body)
        .into_iter()
        .enumerate()
    {
        let sent = &body[range.clone()];
        let cstart = rased_text::char_offset(body, range.start);
        let cend = cstart + sent.chars().count();
        let ms: Vec<Ment> = mentions
            .iter()
            .filter(|m| m.start >= cstart && m.end <= cend)
            .map(|m| Ment {
                start: m.start - cstart,
                end: m.end - cstart,
                ..m.clone()
            })
            .collect();
        ctx.entity_ids = ents.clone();
        code_one_sentence(
            sent,
            cstart,
            si,
            &ms,
            published,
            dateline_place,
            true,
            &mut ctx,
            &mut out,
        );
    }
    out
}

// ---------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum MKind {
    Per,
    Org,
    Loc,
    Misc,
    Np,
}

fn kind_of(k: &str) -> MKind {
    match k {
        "PER" => MKind::Per,
        "ORG" => MKind::Org,
        "LOC" => MKind::Loc,
        _ => MKind::Misc,
    }
}

/// A mention in the sentence, in code points relative to the sentence.
#[derive(Debug, Clone)]
struct Ment {
    start: usize,
    end: usize,
    entity: Option<usize>,
    kind: MKind,
    text: String,
}

#[derive(Debug, Default)]
struct ArticleCtx {
    entity_ids: Vec<(String, String)>,
    /// Title word (match-normalized, with ال) → the one person entity the article gives it
    /// (`None` when several people carry it).
    title_owner: std::collections::HashMap<String, Option<usize>>,
    /// The entity leading "the delegation" (وفد … بقيادة X), once the article named it.
    delegation: Option<usize>,
    /// Per output event: sentence index and whether its date came from an expression.
    meta: Vec<EvMeta>,
}

#[derive(Debug, Clone, Copy)]
struct EvMeta {
    sentence: usize,
    explicit_date: bool,
    explicit_place: bool,
}

#[derive(Debug, Clone)]
struct Tok {
    norm: String,
    orig: String,
    kind: TokenKind,
    cs: usize,
    ce: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Marker {
    None,
    /// مع، بـ، على، ضد، إلى، لـ، لدى، بحق
    Recip,
    /// بين (X و Y)
    Between,
    /// في، بمنطقة … (a place)
    Place,
    /// إلى (a destination or an addressee)
    To,
    /// من، بقيادة … (part of the noun phrase before)
    Modifier,
}

#[derive(Debug, Clone)]
struct Hit {
    start: usize,
    end: usize,
    row: usize,
    form: Form,
    future: bool,
    definite: bool,
    lam: bool,
    enclitic: bool,
    waw: bool,
}

const NEG: &[&str] = &["لم", "لن", "لا", "ما", "ليس", "لما", "عدم", "دون"];
const FUTURE_WORDS: &[&str] = &[
    "سوف",
    "المقرر",
    "المنتظر",
    "المتوقع",
    "المزمع",
    "يعتزم",
    "تعتزم",
    "يعتزمون",
    "ينوي",
    "تنوي",
    "ينوون",
    "يخطط",
    "تخطط",
    "يستعد",
    "تستعد",
    "غدا",
    "المقبل",
    "المقبلة",
    "القادم",
    "القادمة",
];
const HYPO: &[&str] = &[
    "اذا",
    "لو",
    "لولا",
    "حال",
    "حالة",
    "ربما",
    "يمكن",
    "محتمل",
    "قد",
];
const GENERIC_AFTER: &[&str] = &[
    "المتكررة",
    "متكررة",
    "المتكرره",
    "المستمرة",
    "مستمرة",
    "المتواصلة",
    "متواصلة",
];
const GENERIC_BEFORE: &[&str] = &["تشهد", "يشهد", "تعاني", "يعاني", "تشهدها", "يشهدها"];
const PURPOSE: &[&str] = &["اجل", "بهدف", "لاجل", "سعيا", "بغية", "كي", "لكي", "بقصد"];
const RECIP_WORDS: &[&str] = &["مع", "علي", "ضد", "لدي", "بحق", "تجاه", "نحو"];
const PLACE_WORDS: &[&str] = &["في", "داخل", "قرب", "بالقرب", "شمال", "جنوب", "شرق", "غرب"];
const MODIFIER_WORDS: &[&str] = &["من", "بقيادة", "برئاسة", "باسم", "عن", "التابع", "التابعة"];
const PLACE_NOUNS: &[&str] = &[
    "منطقة",
    "مدينة",
    "محيط",
    "بلدة",
    "قرية",
    "العاصمة",
    "محافظة",
    "ولاية",
    "حي",
    "حيي",
    "احياء",
    "مخيم",
    "شمال",
    "جنوب",
    "شرق",
    "غرب",
    "وسط",
    "ضواحي",
    "مقر",
    "قاعدة",
];
const FUNCTION_WORDS: &[&str] = &[
    "في",
    "من",
    "الي",
    "علي",
    "عن",
    "مع",
    "ضد",
    "بين",
    "حول",
    "عند",
    "لدي",
    "منذ",
    "خلال",
    "بعد",
    "قبل",
    "حتي",
    "ان",
    "انه",
    "انها",
    "لكن",
    "او",
    "ام",
    "ثم",
    "كما",
    "قد",
    "لقد",
    "كان",
    "كانت",
    "الذي",
    "التي",
    "الذين",
    "اللذين",
    "اللتين",
    "هذا",
    "هذه",
    "ذلك",
    "تلك",
    "هو",
    "هي",
    "هم",
    "ما",
    "لا",
    "لم",
    "لن",
    "و",
    "ف",
    "كل",
    "بعض",
    "اي",
    "اياه",
    "اياها",
    "اياهم",
    "عقب",
    "اثر",
    "وقال",
    "حيث",
    "فيما",
    "بينما",
    "وكان",
    "وكانت",
    "امس",
    "اليوم",
    "يوم",
    "مساء",
    "صباح",
    "بشدة",
    "نحو",
    "اكثر",
    "اقل",
    "علي",
    "الاقل",
    "نفسه",
    "نفسها",
    "جميعا",
    "مما",
    "عما",
    "الاثنين",
    "الثلاثاء",
    "الاربعاء",
    "الخميس",
    "الجمعة",
    "السبت",
    "الاحد",
    "لدى",
    "وفي",
    "اول",
    "ظهر",
    "ليلا",
    "نهارا",
    "صباحا",
    "مساء",
    "الماضي",
    "الماضية",
    "الجاري",
    "الحالي",
    "الاسبوع",
    "الشهر",
    "العام",
    "عدد",
    "عددا",
    "عشرات",
    "العشرات",
    "مئات",
    "المئات",
    "الاف",
    "الالاف",
    "بعض",
    "احد",
    "احدي",
    "اثنين",
    "ثلاثة",
    "اربعة",
    "خمسة",
    "ستة",
    "سبعة",
    "ثمانية",
    "تسعة",
    "عشرة",
    "ثلاث",
    "اربع",
    "خمس",
    "ست",
    "سبع",
    "ثماني",
    "تسع",
    "عشر",
    "عشرين",
    "ثلاثين",
    "اربعين",
    "خمسين",
    "مئة",
    "مائة",
    "الف",
    "نحو",
    "حوالي",
    "قرابة",
    "زهاء",
    "انهم",
    "انه",
    "انها",
    "فيه",
    "فيها",
    "منهم",
    "بينهم",
    "عليه",
    "عليها",
    "له",
    "لها",
    "لهم",
    "ومن",
    "والي",
    "وعلي",
    "كذلك",
    "ايضا",
    "بأن",
    "بان",
    "وان",
    "فان",
    "الى",
];
const PRONOUN_OBJ: &[&str] = &["اياه", "اياها", "اياهم", "اياهما"];

fn is_word(k: TokenKind) -> bool {
    k.is_word()
}

fn weekday(w: &str) -> Option<Weekday> {
    Some(match w {
        "الاثنين" => Weekday::Mon,
        "الثلاثاء" => Weekday::Tue,
        "الاربعاء" => Weekday::Wed,
        "الخميس" => Weekday::Thu,
        "الجمعة" | "الجمعه" => Weekday::Fri,
        "السبت" => Weekday::Sat,
        "الاحد" => Weekday::Sun,
        _ => return None,
    })
}

fn number_word(w: &str) -> Option<i64> {
    let w = w.strip_prefix('ب').unwrap_or(w);
    Some(match w {
        "واحد" | "واحدة" => 1,
        "اثنين" | "اثنتين" => 2,
        "ثلاث" | "ثلاثة" => 3,
        "اربع" | "اربعة" => 4,
        "خمس" | "خمسة" => 5,
        "ست" | "ستة" => 6,
        "سبع" | "سبعة" => 7,
        "ثماني" | "ثمانية" | "ثمان" => 8,
        "تسع" | "تسعة" => 9,
        "عشر" | "عشرة" => 10,
        "عشرين" => 20,
        _ => return w.parse().ok(),
    })
}

/// A date expression found in a sentence.
#[derive(Debug, Clone)]
struct DateExpr {
    tok_start: usize,
    tok_end: usize,
    date: Option<NaiveDate>,
    /// Days before the reference (for year-scale expressions: historical).
    text: String,
}

fn find_dates(toks: &[Tok], sent: &str, published: Option<NaiveDate>) -> Vec<DateExpr> {
    let mut out = Vec::new();
    let n = toks.len();
    let mut i = 0;
    while i < n {
        let w = toks[i].norm.as_str();
        let w = w.strip_prefix('و').filter(|r| *r == "امس").unwrap_or(w);
        // [مساء|صباح|ليلة] [يوم] أمس [الاثنين]
        if w == "امس" {
            let mut s = i;
            let day_before = i >= 2 && toks[i - 1].norm == "من" && toks[i - 2].norm == "اول"
                || i >= 1 && toks[i - 1].norm == "اول";
            if day_before {
                s = if toks[i - 1].norm == "من" {
                    i - 2
                } else {
                    i - 1
                };
                out.push(DateExpr {
                    tok_start: s,
                    tok_end: i + 1,
                    date: published.map(|d| d - Duration::days(2)),
                    text: span_text(toks, s, i + 1, sent),
                });
                i += 1;
                continue;
            }
            while s > 0
                && matches!(
                    toks[s - 1].norm.as_str(),
                    "يوم" | "مساء" | "صباح" | "ليلة" | "ليل" | "ظهر" | "فجر"
                )
                && i - s < 2
            {
                s -= 1;
            }
            let mut e = i + 1;
            if e < n && weekday(&toks[e].norm).is_some() {
                e += 1;
            }
            if e < n && toks[e].norm == "الاول" {
                e += 1;
            }
            let back = if toks[e - 1].norm == "الاول" {
                2
            } else {
                1
            };
            out.push(DateExpr {
                tok_start: s,
                tok_end: e,
                date: published.map(|d| d - Duration::days(back)),
                text: span_text(toks, s, e, sent),
            });
            i = e;
            continue;
        }
        if w == "اليوم" && !(i > 0 && matches!(toks[i - 1].norm.as_str(), "حتي" | "الي"))
        {
            let mut e = i + 1;
            let mut date = published;
            if e < n {
                if let Some(wd) = weekday(&toks[e].norm) {
                    e += 1;
                    if let Some(p) = published {
                        let mut d = p;
                        for _ in 0..7 {
                            if d.weekday() == wd {
                                break;
                            }
                            d -= Duration::days(1);
                        }
                        // An article published the day after names the same weekday.
                        date = Some(if d.weekday() == wd { d } else { p });
                    }
                }
            }
            out.push(DateExpr {
                tok_start: i,
                tok_end: e,
                date,
                text: span_text(toks, i, e, sent),
            });
            i = e;
            continue;
        }
        // قبل N unit / قبل unit
        if w == "قبل" && i + 1 < n {
            let (num, unit_at) = match number_word(&toks[i + 1].norm) {
                Some(k) if i + 2 < n => (k, i + 2),
                _ => (1, i + 1),
            };
            let unit = toks[unit_at].norm.as_str();
            let days = match unit {
                "يوم" | "ايام" | "يومين" => Some(1),
                "اسبوع" | "اسابيع" | "اسبوعين" => Some(7),
                "شهر" | "اشهر" | "شهور" | "شهرين" => Some(30),
                "سنة" | "سنوات" | "عام" | "اعوام" | "سنتين" | "عامين" => {
                    Some(365)
                }
                "عقد" | "عقود" => Some(3652),
                _ => None,
            };
            if let Some(d) = days {
                let dual = unit.ends_with("ين") && unit != "عشرين";
                let k = if unit_at == i + 1 && dual { 2 } else { num };
                out.push(DateExpr {
                    tok_start: i,
                    tok_end: unit_at + 1,
                    date: published.map(|p| p - Duration::days(d * k)),
                    text: span_text(toks, i, unit_at + 1, sent),
                });
                i = unit_at + 1;
                continue;
            }
        }
        // عام/سنة YYYY (not after منذ: that is a duration)
        if matches!(w, "عام" | "سنة" | "العام")
            && i + 1 < n
            && toks[i + 1].kind == TokenKind::Number
            && !(i > 0 && toks[i - 1].norm.ends_with("منذ"))
        {
            if let Ok(y) = toks[i + 1].norm.parse::<i32>() {
                if (1900..=2100).contains(&y) {
                    out.push(DateExpr {
                        tok_start: i,
                        tok_end: i + 2,
                        date: NaiveDate::from_ymd_opt(y, 7, 1),
                        text: span_text(toks, i, i + 2, sent),
                    });
                    i += 2;
                    continue;
                }
            }
        }
        i += 1;
    }
    if out.is_empty() {
        // The text layer's parser (full Gregorian/Hijri/relative support lands on main).
        if let Some(m) = rased_text::date::parse_date(sent, published) {
            let cs = rased_text::char_offset(sent, m.span.start.min(sent.len()));
            let ts = toks.iter().position(|t| t.ce > cs).unwrap_or(0);
            let text = sent.get(m.span.clone()).unwrap_or("").to_string();
            let te = (ts + text.split_whitespace().count().max(1)).min(n);
            out.push(DateExpr {
                tok_start: ts,
                tok_end: te,
                date: Some(m.date),
                text,
            });
        }
    }
    out
}

fn span_text(toks: &[Tok], s: usize, e: usize, sent: &str) -> String {
    let cs = toks[s].cs;
    let ce = toks[e - 1].ce;
    sent.chars().skip(cs).take(ce - cs).collect()
}

struct Sent {
    toks: Vec<Tok>,
    ments: Vec<Ment>,
    /// token index range for each mention
    mtok: Vec<(usize, usize)>,
    markers: Vec<Marker>,
    hits: Vec<Hit>,
}

fn strip_waw(w: &str) -> &str {
    if w.chars().count() > 2 {
        w.strip_prefix('و').unwrap_or(w)
    } else {
        w
    }
}

/// The text naming a participant: the mention, or for a nationality adjective the noun
/// phrase it qualifies (قوات النظام السوري، رئيس الاستخبارات التركية).
fn participant_text(s: &Sent, m: usize, sent: &str) -> String {
    let mt = &s.ments[m];
    if mt.kind != MKind::Loc || !is_nisba(&mt.text) {
        return mt.text.clone();
    }
    let (ts, te) = s.mtok[m];
    let mut start = ts;
    while start > 0 && ts - start < 3 {
        let t = &s.toks[start - 1];
        let w = t.norm.as_str();
        let blocked = !is_word(t.kind)
            || FUNCTION_WORDS.contains(&w)
            || FUNCTION_WORDS.contains(&strip_waw(w))
            || s.hits.iter().any(|h| start > h.start && start - 1 < h.end)
            || s.mtok.iter().any(|&(a, b)| start > a && start - 1 < b);
        if blocked {
            break;
        }
        start -= 1;
        // Stop at a head noun carrying a preposition (بالقنصل، للقوات): keep the noun, drop
        // the clitic by starting after it only if it is the whole word.
        if w.starts_with("بال") || w.starts_with("لل") {
            break;
        }
    }
    if start == ts {
        return mt.text.clone();
    }
    let cs = s.toks[start].cs;
    let ce = s.toks[te - 1].ce.max(mt.end);
    let text: String = sent.chars().skip(cs).take(ce - cs).collect();
    // Drop a leading preposition clitic (بالقنصل التركي → القنصل التركي).
    let first = &s.toks[start].orig;
    let n = norm(first);
    if n.starts_with("بال") || n.starts_with("لل") {
        return text.chars().skip(1).collect();
    }
    text
}

/// A nationality adjective (التركية، السوري): a country by adjective, not a place name.
fn is_nisba(text: &str) -> bool {
    let n = norm(text);
    !n.contains(' ')
        && n.starts_with("ال")
        && (n.ends_with('ي') || n.ends_with("ية") || n.ends_with("يه"))
        && n.chars().count() > 4
}

fn is_place_noun(w: &str) -> bool {
    let w = strip_waw(w);
    let w = w.strip_prefix('ب').unwrap_or(w);
    let w2 = w.strip_prefix("ال").unwrap_or(w);
    PLACE_NOUNS.contains(&w) || PLACE_NOUNS.contains(&w2)
}

/// A noun naming the participants of its event (المتظاهرون، المحتجين): both trigger and actor.
fn is_agent_noun(toks: &[Tok], h: &Hit) -> bool {
    h.form == Form::Noun
        && LEXICON.rows[h.row].plover == "PROTEST"
        && (toks[h.start].norm.contains("متظاهر") || toks[h.start].norm.contains("محتج"))
}

/// Noun phrases as pseudo-mentions when the caller has no entities.
fn noun_phrases(toks: &[Tok], hits: &[Hit], sent: &str) -> Vec<Ment> {
    let is_lex: Vec<bool> = toks
        .iter()
        .map(|t| is_word(t.kind) && lookup(&t.norm).is_some())
        .collect();
    let mut in_hit = vec![false; toks.len()];
    let mut agent = vec![false; toks.len()];
    for h in hits {
        let a = is_agent_noun(toks, h);
        for k in h.start..h.end {
            in_hit[k] = !a;
            agent[k] = a;
        }
    }
    let mut out = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        let t = &toks[i];
        let stop = !is_word(t.kind)
            || in_hit[i]
            || FUNCTION_WORDS.contains(&t.norm.as_str())
            || FUNCTION_WORDS.contains(&strip_waw(&t.norm))
            || (is_lex[i] && !agent[i]);
        if stop {
            i += 1;
            continue;
        }
        let s = i;
        i += 1;
        while i < toks.len() && i - s < 4 {
            let u = &toks[i];
            if !is_word(u.kind)
                || in_hit[i]
                || FUNCTION_WORDS.contains(&u.norm.as_str())
                || (is_lex[i] && !agent[i])
                || u.norm.starts_with('و')
                    && u.norm.chars().count() > 3
                    && !u.norm.starts_with("وز")
                || u.norm.starts_with("بال")
                || u.norm.starts_with("لل")
            {
                break;
            }
            i += 1;
        }
        out.push(Ment {
            start: toks[s].cs,
            end: toks[i - 1].ce,
            entity: None,
            kind: MKind::Np,
            text: span_text(toks, s, i, sent),
        });
    }
    out
}

fn build_sentence(sent: &str, ments: &[Ment], use_entities: bool) -> Sent {
    let toks: Vec<Tok> = tokenize(sent)
        .into_iter()
        .map(|t| Tok {
            norm: norm(t.text),
            orig: t.text.to_string(),
            kind: t.kind,
            cs: t.char_start,
            ce: t.char_end,
        })
        .collect();
    let hits = find_hits(&toks);
    let ments: Vec<Ment> = if toks.is_empty() {
        Vec::new()
    } else if use_entities {
        // Drop nested mentions (keep the longest, leftmost).
        let mut kept: Vec<Ment> = Vec::new();
        for m in ments {
            if kept.iter().any(|k| m.start < k.end && k.start < m.end) {
                continue;
            }
            // A place noun matched as a name (بمدينة → المدينة) is not a mention.
            if m.kind == MKind::Loc && is_place_noun(&norm(&m.text)) {
                continue;
            }
            kept.push(m.clone());
        }
        kept
    } else {
        noun_phrases(&toks, &hits, sent)
    };
    let mtok: Vec<(usize, usize)> = ments
        .iter()
        .map(|m| {
            let s = toks.iter().position(|t| t.ce > m.start).unwrap_or(0);
            let e = toks
                .iter()
                .rposition(|t| t.cs < m.end)
                .map(|x| x + 1)
                .unwrap_or(s + 1)
                .max(s + 1);
            (s, e)
        })
        .collect();
    let mut markers = Vec::with_capacity(ments.len());
    let mut own = Vec::with_capacity(ments.len());
    for (mi, m) in ments.iter().enumerate() {
        let (ts, _) = mtok[mi];
        let tok = &toks[ts];
        // A clitic inside the mention's own token: بعبدي، لحفتر، وقالين.
        let mut marker = None;
        let mut coordinated = false;
        if m.start > tok.cs {
            let pre: String = tok.orig.chars().take(m.start - tok.cs).collect();
            let pre = norm(&pre);
            if pre.ends_with('ب') || pre.ends_with('ل') {
                marker = Some(Marker::Recip);
            } else if pre == "و" {
                coordinated = true;
            }
        } else if m.kind == MKind::Np {
            let w = strip_waw(&tok.norm);
            if w.starts_with("بال") || w.starts_with("لل") {
                marker = Some(Marker::Recip);
            }
        }
        if let Some(mk) = marker {
            markers.push(mk);
            own.push(true);
            continue;
        }
        // X وY: the second conjunct shares the first one's preposition (بين X وY).
        if coordinated && mi > 0 && ts.saturating_sub(mtok[mi - 1].1) <= 1 {
            markers.push(markers[mi - 1]);
            own.push(false);
            continue;
        }
        // Walk back over titles, place nouns and punctuation to a governing word.
        let prev_end = if mi > 0 { mtok[mi - 1].1 } else { 0 };
        let mut j = ts;
        let mut found = Marker::None;
        let mut inherited = false;
        let mut steps = 0;
        while j > 0 && steps < 4 {
            j -= 1;
            steps += 1;
            if j < prev_end {
                // Apposition: only punctuation/titles since the previous mention.
                if mi > 0 && !own[mi - 1] && markers[mi - 1] != Marker::Modifier {
                    found = markers[mi - 1];
                    inherited = true;
                }
                break;
            }
            let t = &toks[j];
            if t.kind == TokenKind::Punct {
                if t.orig == "،" || t.orig == "," {
                    continue;
                }
                break;
            }
            let w = t.norm.as_str();
            let ws = strip_waw(w);
            if hits.iter().any(|h| j >= h.start && j < h.end)
                || matches!(
                    ws,
                    "الذي" | "التي" | "الذين" | "اللذين" | "اللتين" | "اللواتي"
                )
            {
                break;
            }
            if ws == "بين" {
                found = Marker::Between;
                break;
            }
            if ws == "الي" {
                found = Marker::To;
                break;
            }
            if RECIP_WORDS.contains(&ws) {
                found = Marker::Recip;
                break;
            }
            if MODIFIER_WORDS.contains(&ws) {
                found = Marker::Modifier;
                break;
            }
            if PLACE_WORDS.contains(&ws) {
                found = Marker::Place;
                break;
            }
            if is_place_noun(w) {
                if ws.starts_with('ب') && !ws.starts_with("بال") || ws.starts_with("بال") {
                    found = Marker::Place;
                    break;
                }
                continue;
            }
            if ws.starts_with("بال") || ws.starts_with("لل") {
                found = Marker::Recip;
                break;
            }
            if rased_kb::resolve::is_title(w) || rased_kb::resolve::is_title(ws) {
                continue;
            }
            // Any other word: a head noun (حكومة X، قوات النظام X) — keep walking a little.
            if steps >= 3 {
                break;
            }
        }
        let _ = inherited;
        markers.push(found);
        own.push(false);
    }
    Sent {
        toks,
        ments,
        mtok,
        markers,
        hits,
    }
}

fn find_hits(toks: &[Tok]) -> Vec<Hit> {
    let lex = &*LEXICON;
    let mut hits = Vec::new();
    let mut i = 0;
    'outer: while i < toks.len() {
        if !is_word(toks[i].kind) {
            i += 1;
            continue;
        }
        for pi in lexicon::phrases_starting(&toks[i].norm) {
            let (words, row) = &lex.phrases[pi];
            if i + words.len() > toks.len() {
                continue;
            }
            if words
                .iter()
                .enumerate()
                .all(|(k, w)| loose_eq(&toks[i + k].norm, w))
            {
                hits.push(Hit {
                    start: i,
                    end: i + words.len(),
                    row: *row,
                    form: Form::Phrase,
                    future: false,
                    definite: false,
                    lam: false,
                    enclitic: false,
                    waw: false,
                });
                i += words.len();
                continue 'outer;
            }
        }
        if let Some(h) = lookup(&toks[i].norm) {
            // After a preposition a verb form is a noun (على تجمع للمواطنين): not a trigger.
            if matches!(h.form, Form::Past | Form::Present)
                && i > 0
                && matches!(
                    toks[i - 1].norm.as_str(),
                    "في" | "علي" | "من" | "الي" | "عن" | "ضد" | "مع" | "الى"
                )
            {
                i += 1;
                continue;
            }
            // فجرًا (at dawn) unless someone blew themselves up (فجرا نفسيهما).
            if toks[i].norm == "فجرا"
                && !toks
                    .get(i + 1)
                    .is_some_and(|n| n.norm.starts_with("نفس") || n.norm.starts_with("انفس"))
            {
                i += 1;
                continue;
            }
            // فجر أمس / فجر اليوم / صباح … : "dawn", a time, not "detonated".
            if matches!(strip_waw(&toks[i].norm), "فجر" | "الفجر")
                && toks.get(i + 1).is_some_and(|n| {
                    matches!(
                        n.norm.as_str(),
                        "امس"
                            | "اليوم"
                            | "السبت"
                            | "الاحد"
                            | "الاثنين"
                            | "الثلاثاء"
                            | "الاربعاء"
                            | "الخميس"
                            | "الجمعة"
                            | "يوم"
                    )
                })
            {
                i += 1;
                continue;
            }
            let mut form = h.form;
            // Tashkeel says passive: قُتل، اُعتُقل.
            if matches!(form, Form::Past) {
                let marks: Vec<char> = toks[i].orig.chars().take(4).collect();
                if marks.contains(&'\u{064F}') && !marks.contains(&'\u{064E}') {
                    form = Form::Passive;
                }
            }
            // An unvocalized قتل/خطف followed by a count is passive: قتل 5 أشخاص.
            if form == Form::Past
                && i + 1 < toks.len()
                && LEXICON.rows[h.row].plover == "ASSAULT"
                && (toks[i + 1].kind == TokenKind::Number
                    || number_word(&toks[i + 1].norm).is_some()
                    || matches!(
                        toks[i + 1].norm.as_str(),
                        "عشرات"
                            | "العشرات"
                            | "مئات"
                            | "المئات"
                            | "عدد"
                            | "اكثر"
                            | "نحو"
                            | "حوالي"
                    ))
            {
                form = Form::Passive;
            }
            hits.push(Hit {
                start: i,
                end: i + 1,
                row: h.row,
                form,
                future: h.future,
                definite: h.definite,
                lam: h.lam,
                enclitic: h.enclitic,
                waw: h.waw,
            });
        }
        i += 1;
    }
    hits
}

fn cond_ok(s: &Sent, h: &Hit, cond: &Cond) -> bool {
    let n = s.toks.len();
    match cond {
        Cond::None => true,
        Cond::Next(words, k) => (h.end..(h.end + k).min(n)).any(|j| {
            let w = &s.toks[j].norm;
            words.iter().any(|x| {
                w == x
                    || strip_waw(w) == x
                    || (x == "ب"
                        && w.starts_with('ب')
                        && s.ments
                            .iter()
                            .any(|m| m.start > s.toks[j].cs && m.start < s.toks[j].ce))
                    || (x == "ب" && w.starts_with("بال"))
            })
        }),
        Cond::Near(words, k) => {
            let lo = h.start.saturating_sub(*k);
            (lo..(h.end + k).min(n)).any(|j| {
                let w = &s.toks[j].norm;
                words.iter().any(|x| loose_eq(w, x))
            })
        }
        Cond::Visit => {
            let lim = (h.end + 25).min(n);
            (h.end..lim).any(|j| {
                s.toks[j].norm == "الي"
                    && (j + 1 < n
                        && (is_place_noun(&s.toks[j + 1].norm)
                            || s.ments.iter().enumerate().any(|(mi, m)| {
                                matches!(m.kind, MKind::Loc)
                                    && s.mtok[mi].0 > j
                                    && s.mtok[mi].0 <= j + 3
                            })))
            })
        }
        Cond::Consequence => {
            let rest: Vec<&str> = s.toks[h.end..].iter().map(|t| t.norm.as_str()).collect();
            rest.windows(2).any(|w| w[0] == "من" && w[1] == "ان")
                || rest.iter().any(|w| {
                    matches!(
                        *w,
                        "والا" | "عواقب" | "بعواقب" | "مغبة" | "برد" | "سترد" | "بالرد"
                    )
                })
        }
    }
}

/// Clause bounds around a hit: previous/next verb trigger (event, report or light) or أن.
fn clause(s: &Sent, hi: usize) -> (usize, usize) {
    let h = &s.hits[hi];
    let lex = &*LEXICON;
    let is_verbish = |x: &Hit| {
        matches!(x.form, Form::Past | Form::Present | Form::Passive)
            || lex.rows[x.row].class == Class::Report
    };
    let mut left = 0;
    for (k, x) in s.hits.iter().enumerate() {
        if k < hi && is_verbish(x) && x.end <= h.start {
            left = x.end;
        }
    }
    for j in (left..h.start).rev() {
        if s.toks[j].kind == TokenKind::Punct
            && matches!(
                s.toks[j].orig.as_str(),
                "–" | "—" | "-" | ":" | ")" | "(" | "«" | "»"
            )
        {
            left = j + 1;
            break;
        }
        if matches!(s.toks[j].norm.as_str(), "ان" | "بان" | "وان")
            && !s.toks[j].orig.starts_with('إ')
        {
            left = j + 1;
            break;
        }
    }
    let mut right = s.toks.len();
    for x in s.hits.iter().skip(hi + 1) {
        if is_verbish(x) && x.start >= h.end {
            right = x.start;
            break;
        }
    }
    (left, right)
}

fn rank(k: MKind) -> u8 {
    match k {
        MKind::Per => 0,
        MKind::Org => 1,
        MKind::Np => 2,
        MKind::Misc => 3,
        MKind::Loc => 4,
    }
}

/// Groups of mentions in apposition (only titles/punctuation/nisba between).
fn pick_best(s: &Sent, cands: &[usize]) -> Option<usize> {
    cands
        .iter()
        .copied()
        .min_by_key(|&m| (rank(s.ments[m].kind), s.mtok[m].0))
}

struct Args {
    actor: Option<usize>,
    recipient: Option<usize>,
    place: Option<(String, Option<usize>)>,
}

fn find_args(s: &Sent, hi: usize, prev_actor: Option<usize>) -> Args {
    let h = &s.hits[hi];
    let (left, right) = clause(s, hi);
    let n_m = s.ments.len();
    let right = if h.form == Form::Noun {
        s.hits
            .iter()
            .skip(hi + 1)
            .find(|x| LEXICON.rows[x.row].class == Class::Event && x.start >= h.end)
            .map_or(right, |x| x.start.min(right))
    } else {
        right
    };
    let after: Vec<usize> = (0..n_m)
        .filter(|&m| s.mtok[m].0 >= h.end && s.mtok[m].0 < right)
        .collect();
    let before: Vec<usize> = (0..n_m)
        .filter(|&m| s.mtok[m].1 <= h.start && s.mtok[m].0 >= left)
        .collect();
    let is_visit = LEXICON.rows[h.row].mode.as_deref() == Some("visit");
    let placey = |m: usize| {
        let mk = s.markers[m];
        matches!(s.ments[m].kind, MKind::Loc | MKind::Np)
            && (mk == Marker::Place || (mk == Marker::To && is_visit))
            || (mk == Marker::Place && s.ments[m].kind != MKind::Per)
    };
    let mut actor = None;
    let mut recipient = None;
    // Light verb before a noun: arguments between them count as the subject.
    let mut light_at = None;
    if h.form == Form::Noun {
        for j in (h.start.saturating_sub(7)..h.start).rev() {
            if let Some(w) = lookup(&s.toks[j].norm) {
                if LEXICON.rows[w.row].class == Class::Light {
                    light_at = Some(j);
                }
            }
        }
    }
    // بين X و Y
    let between: Vec<usize> = after
        .iter()
        .copied()
        .skip_while(|&m| s.markers[m] != Marker::Between)
        .filter(|&m| !placey(m))
        .collect();
    let first_recip_pos = after.iter().position(|&m| {
        matches!(s.markers[m], Marker::Recip | Marker::To | Marker::Between) && !placey(m)
    });
    let subject_zone: Vec<usize> = after[..first_recip_pos.unwrap_or(after.len())]
        .iter()
        .copied()
        .filter(|&m| !placey(m) && matches!(s.markers[m], Marker::None | Marker::Modifier))
        .collect();
    // Unmarked before-subject close to the verb (SVO).
    let svo: Vec<usize> = before
        .iter()
        .copied()
        .filter(|&m| s.markers[m] == Marker::None && h.start - s.mtok[m].1 <= 3)
        .collect();
    // The subject group: from the first unmarked mention through its appositions.
    let group_from = |zone: &[usize], max_start: usize| -> Vec<usize> {
        // From the first unmarked mention; failing that, a modifier (وفد بقيادة X).
        let Some(fi) = zone
            .iter()
            .position(|&m| s.markers[m] == Marker::None)
            .or_else(|| zone.iter().position(|&m| s.markers[m] == Marker::Modifier))
        else {
            return Vec::new();
        };
        let first = zone[fi];
        if s.mtok[first].0 > max_start {
            return Vec::new();
        }
        let mut group = vec![first];
        let mut last_end = s.mtok[first].1;
        for &m in &zone[fi + 1..] {
            if s.toks[s.mtok[m].0].norm.starts_with('و') && s.mtok[m].0 <= last_end {
                break;
            }
            let gap = s.mtok[m].0.saturating_sub(last_end);
            let only_apposition = (last_end..s.mtok[m].0).all(|j| {
                s.toks[j].kind == TokenKind::Punct
                    || rased_kb::resolve::is_title(&s.toks[j].norm)
                    || MODIFIER_WORDS.contains(&strip_waw(&s.toks[j].norm))
            });
            if gap <= 4 && (only_apposition || s.markers[m] == Marker::Modifier) {
                group.push(m);
                last_end = s.mtok[m].1;
            } else {
                break;
            }
        }
        group
    };
    let nearest_person_before = || {
        let unmarked: Vec<usize> = before
            .iter()
            .copied()
            .filter(|&m| s.markers[m] == Marker::None && !placey(m))
            .collect();
        unmarked
            .iter()
            .rev()
            .copied()
            .find(|&m| s.ments[m].kind == MKind::Per)
            .or_else(|| unmarked.last().copied())
    };
    match h.form {
        Form::Passive => {
            recipient = subject_zone
                .first()
                .copied()
                .or_else(|| svo.last().copied());
        }
        Form::Noun => {
            if let Some(l) = light_at {
                let between_lv: Vec<usize> = (0..n_m)
                    .filter(|&m| {
                        s.mtok[m].0 > l && s.mtok[m].1 <= h.start && s.markers[m] == Marker::None
                    })
                    .collect();
                actor = pick_best(s, &between_lv);
                if actor.is_none() {
                    // SVO before the light verb: الطائرات الإسرائيلية أطلقت صواريخ.
                    actor = (0..n_m).rev().find(|&m| {
                        s.mtok[m].1 <= l && l - s.mtok[m].1 <= 3 && s.markers[m] == Marker::None
                    });
                }
            }
            // هجوم شنّه مسلحون، عمليات نفذها قراصنة: the agent follows a light verb with a
            // pronoun pointing back at the noun.
            if actor.is_none() {
                let lv_after = (h.end..(h.end + 3).min(s.toks.len())).find(|&j| {
                    lookup(&s.toks[j].norm)
                        .is_some_and(|w| LEXICON.rows[w.row].class == Class::Light && w.enclitic)
                });
                if let Some(j) = lv_after {
                    actor = (0..n_m).find(|&m| {
                        s.mtok[m].0 > j && s.mtok[m].0 <= j + 2 && s.markers[m] == Marker::None
                    });
                }
            }
            let group = group_from(&subject_zone, h.end + 1);
            // مقتل X، اغتيال X، اعتقال X: the genitive is the one it happened to.
            let patient = matches!(
                LEXICON.rows[h.row].cameo.as_str(),
                "186" | "181" | "173" | "174" | "084"
            );
            if patient && light_at.is_none() {
                recipient = pick_best(s, &group);
            } else if actor.is_none() {
                actor = pick_best(s, &group);
            }
            if let Some(a) = actor {
                // لقاء حفتر وقالين: a coordinated second genitive is the other party.
                recipient = subject_zone.iter().copied().find(|&m| {
                    s.mtok[m].0 >= s.mtok[a].1
                        && !group.contains(&m)
                        && s.toks[s.mtok[m].0].norm.starts_with('و')
                        && s.mtok[m].0 <= s.mtok[a].1 + 1
                });
            } else if !h.definite
                && h.start > 0
                && !matches!(
                    strip_waw(&s.toks[h.start - 1].norm),
                    "في" | "من" | "الي" | "علي" | "بعد" | "قبل" | "عن"
                )
            {
                // A circumstantial noun (متهما إياه) takes the clause's subject.
                actor = nearest_person_before();
            }
        }
        _ => {
            let transitive_obj;
            let group = group_from(&subject_zone, usize::MAX);
            let right_after = group
                .first()
                .is_some_and(|&m| s.mtok[m].0 <= h.end + 1 && s.ments[m].kind != MKind::Loc);
            if h.waw && prev_actor.is_some() && !right_after {
                // Coordinated verbs share their subject: تدعم تركيا … وساعدت.
                actor = prev_actor;
                transitive_obj = group.first().copied().filter(|&m| s.mtok[m].0 <= h.end + 3);
            } else if !svo.is_empty()
                && (group.is_empty() || h.form == Form::Present || !right_after)
            {
                actor = pick_best(s, &svo);
                transitive_obj = group.first().copied().filter(|&m| s.mtok[m].0 <= h.end + 3);
            } else if !group.is_empty() {
                actor = pick_best(s, &group);
                transitive_obj = subject_zone
                    .iter()
                    .copied()
                    .find(|m| !group.contains(m) && s.markers[*m] == Marker::None);
            } else {
                // Relative clause or distant subject: nearest person before.
                actor = nearest_person_before();
                if actor.is_none() && h.waw {
                    actor = prev_actor;
                }
                transitive_obj = None;
            }
            recipient = transitive_obj;
        }
    }
    // A pronoun object (متهما إياه، دعاه) refers to the addressee named earlier.
    let pron_after = s.toks[h.end..right.min(s.toks.len())]
        .iter()
        .take(2)
        .any(|t| PRONOUN_OBJ.contains(&t.norm.as_str()));
    if pron_after || (h.enclitic && h.form != Form::Noun) {
        let antecedent = (0..n_m)
            .filter(|&m| {
                s.mtok[m].1 <= h.start && matches!(s.markers[m], Marker::To | Marker::Recip)
            })
            .rfind(|&m| s.ments[m].kind != MKind::Loc || s.ments[m].entity.is_none());
        if antecedent.is_some() && antecedent != actor {
            recipient = antecedent;
        }
    }
    if recipient.is_none() {
        if let Some(p) = first_recip_pos {
            let m = after[p];
            if s.markers[m] == Marker::Between {
                if actor.is_none() {
                    actor = between.first().copied();
                    recipient = between.get(1).copied();
                } else {
                    recipient = between.first().copied();
                }
            } else if Some(m) != actor {
                // Skip the rest of the apposition group of a nisba: بالقنصل التركي، سركان …
                let mut r = m;
                if s.ments[m].kind == MKind::Loc {
                    if let Some(&next) = after.iter().find(|&&x| {
                        s.mtok[x].0 > s.mtok[m].1
                            && s.mtok[x].0 <= s.mtok[m].1 + 2
                            && s.markers[x] == s.markers[m]
                            && s.ments[x].kind == MKind::Per
                    }) {
                        r = next;
                    }
                }
                recipient = Some(r);
            }
        }
    }
    if h.form == Form::Noun && actor.is_some() && recipient.is_none() {
        if let Some(b) = between.first().copied() {
            if Some(b) != actor {
                recipient = Some(b);
            }
        }
    }
    if h.form == Form::Noun && actor.is_none() && recipient.is_none() {
        // A noun after its subject in a nominal clause is rare; leave it to co-reference.
    }
    if is_agent_noun(&s.toks, h) {
        if let Some(m) = (0..n_m).find(|&m| s.mtok[m].0 <= h.start && s.mtok[m].1 > h.start) {
            actor = Some(m);
        }
    }
    if actor == recipient {
        recipient = None;
    }
    // Place.
    let used = [actor, recipient];
    let mut place = None;
    let next_event = s
        .hits
        .iter()
        .skip(hi + 1)
        .find(|x| LEXICON.rows[x.row].class == Class::Event && x.start >= h.end)
        .map(|x| x.start)
        .unwrap_or(s.toks.len());
    let mut order: Vec<usize> = (0..n_m)
        .filter(|&m| s.mtok[m].0 >= h.end && s.mtok[m].0 < next_event)
        .chain(before.iter().rev().copied())
        .collect();
    if is_visit {
        order.sort_by_key(|&m| s.markers[m] != Marker::To);
    }
    order.sort_by_key(|&m| is_nisba(&s.ments[m].text));
    for m in order {
        if used.contains(&Some(m)) {
            continue;
        }
        if placey(m) && s.ments[m].kind != MKind::Np {
            place = Some((s.ments[m].text.clone(), Some(m)));
            break;
        }
    }
    if place.is_none() {
        // بمنطقة X / في منطقة X / في مدينة X with no entity for X.
        for j in h.end..next_event.min(s.toks.len()).saturating_sub(1) {
            let w = s.toks[j].norm.as_str();
            let ws = strip_waw(w);
            let lead = ws.starts_with('ب') && is_place_noun(ws) && !ws.starts_with("بال")
                || (j > 0
                    && s.toks[j - 1].norm == "في"
                    && is_place_noun(ws)
                    && !ws.starts_with("ال"));
            if lead
                && matches!(
                    ws.trim_start_matches('ب'),
                    "منطقة" | "مدينة" | "بلدة" | "قرية" | "محافظة" | "حي" | "مخيم"
                )
            {
                let k = j + 1;
                if is_word(s.toks[k].kind) && !FUNCTION_WORDS.contains(&s.toks[k].norm.as_str()) {
                    let mi = (0..n_m).find(|&m| s.mtok[m].0 == k);
                    place = Some((s.toks[k].orig.clone(), mi));
                    break;
                }
            }
        }
    }
    Args {
        actor,
        recipient,
        place,
    }
}

fn modality(s: &Sent, hi: usize, row_future: bool) -> (Modality, bool, bool) {
    let h = &s.hits[hi];
    let (left, _) = clause(s, hi);
    let lo = h.start.saturating_sub(4).max(left);
    let prev: Vec<&str> = s.toks[lo..h.start]
        .iter()
        .map(|t| t.norm.as_str())
        .collect();
    let prev_orig: Vec<&str> = s.toks[left..h.start]
        .iter()
        .map(|t| t.orig.as_str())
        .collect();
    let mut negated = prev
        .iter()
        .rev()
        .take(2)
        .any(|w| NEG.contains(w) || NEG.contains(&strip_waw(w)));
    let whole_before: Vec<&str> = s.toks[..h.start].iter().map(|t| t.norm.as_str()).collect();
    if whole_before
        .iter()
        .any(|w| matches!(strip_waw(w), "نفي" | "نفت" | "ينفي" | "تنفي" | "نفوا"))
    {
        negated = true;
    }
    // Future markers govern an أن-clause too: من المقرر أن يجتمع.
    let wide: Vec<&str> = s.toks[h.start.saturating_sub(5)..h.start]
        .iter()
        .map(|t| t.norm.as_str())
        .collect();
    let mut future = row_future
        || wide
            .iter()
            .any(|w| FUTURE_WORDS.contains(w) || FUTURE_WORDS.contains(&strip_waw(w)));
    if h.form == Form::Present || h.form == Form::Noun {
        let after: Vec<&str> = s.toks[h.end..(h.end + 8).min(s.toks.len())]
            .iter()
            .map(|t| t.norm.as_str())
            .collect();
        if after
            .iter()
            .any(|w| matches!(*w, "غدا" | "المقبل" | "المقبلة" | "القادم" | "القادمة"))
        {
            future = true;
        }
    }
    let hypo = prev_orig.iter().any(|w| {
        let n = norm(w);
        let n = strip_waw(&n).to_string();
        (HYPO.contains(&n.as_str()) && n != "قد") || (n == "قد" && h.form == Form::Present)
    });
    let generic = s.toks[h.end..(h.end + 2).min(s.toks.len())]
        .iter()
        .any(|t| GENERIC_AFTER.contains(&t.norm.as_str()))
        || prev.iter().any(|w| GENERIC_BEFORE.contains(&strip_waw(w)));
    // Purpose / requested action / stopped.
    let lam_before = h.form == Form::Noun
        && (1..=2).any(|k| {
            h.start >= k && {
                let w = strip_waw(&s.toks[h.start - k].norm);
                w.starts_with('ل')
                    && !w.starts_with("لل")
                    && matches!(
                        &w[2..],
                        "اجراء"
                            | "عقد"
                            | "شن"
                            | "تنفيذ"
                            | "توقيع"
                            | "ابرام"
                            | "تنظيم"
                            | "بحث"
                    )
            }
        });
    let exposed = h.start > 0 && {
        let p = strip_waw(&s.toks[h.start - 1].norm);
        p.contains("تعرض") || p.starts_with("ادي") || p.starts_with("يؤدي") || p.starts_with("ادت")
    };
    let purpose = lam_before
        || (h.lam
            && h.form != Form::Past
            && h.form != Form::Phrase
            && !exposed
            && LEXICON.rows[h.row].plover != "PROTEST")
        || s.toks[left..h.start]
            .iter()
            .any(|t| PURPOSE.contains(&strip_waw(&t.norm)))
        || (h.form == Form::Noun
            && h.start > 0
            && {
                let p = strip_waw(&s.toks[h.start - 1].norm);
                p == "الي" || p == "علي" || p == "ضد"
            }
            && s.hits.iter().take(hi).any(|x| {
                let r = &LEXICON.rows[x.row];
                r.plover == "REQUEST" || r.plover == "PROTEST" || r.class == Class::Stop
            }));
    let stopped = h.start > 0
        && (1..=2).any(|k| {
            h.start >= k
                && lookup(&s.toks[h.start - k].norm)
                    .is_some_and(|w| LEXICON.rows[w.row].class == Class::Stop)
        })
        && LEXICON.rows[h.row].plover != "RETREAT";
    let pluperfect = {
        let ws: Vec<&str> = s.toks[..h.start].iter().map(|t| t.norm.as_str()).collect();
        let has_kana = ws
            .iter()
            .any(|w| matches!(strip_waw(w), "كان" | "كانت" | "كانوا"));
        let has_qad = ws.iter().rev().take(3).any(|w| *w == "قد");
        has_kana && has_qad && h.form == Form::Past
    };
    let m = if purpose || stopped {
        Modality::Intended
    } else if hypo {
        Modality::Hypothetical
    } else if generic {
        Modality::Generic
    } else if negated {
        Modality::Negated
    } else if future {
        Modality::Future
    } else if pluperfect {
        Modality::Background
    } else {
        Modality::Asserted
    };
    (m, negated, future)
}

#[allow(clippy::too_many_arguments)]
fn code_one_sentence(
    sent: &str,
    cstart: usize,
    si: usize,
    ments: &[Ment],
    published: Option<NaiveDate>,
    dateline: Option<&str>,
    use_entities: bool,
    ctx: &mut ArticleCtx,
    out: &mut Vec<CodedEvent>,
) {
    if sent.trim().is_empty() {
        return;
    }
    // Very long "sentences" (lists, tables, unpunctuated text) are coded in windows so that
    // the work per trigger stays bounded.
    const WINDOW: usize = 120;
    let words: Vec<(usize, &str)> = sent
        .split_whitespace()
        .map(|w| (w.as_ptr() as usize - sent.as_ptr() as usize, w))
        .collect();
    if words.len() > WINDOW * 3 / 2 {
        let mut from = 0;
        while from < words.len() {
            let to = (from + WINDOW).min(words.len());
            let bs = words[from].0;
            let be = words[to - 1].0 + words[to - 1].1.len();
            let piece = &sent[bs..be];
            let off = rased_text::char_offset(sent, bs);
            let len = piece.chars().count();
            let sub: Vec<Ment> = ments
                .iter()
                .filter(|m| m.start >= off && m.end <= off + len)
                .map(|m| Ment {
                    start: m.start - off,
                    end: m.end - off,
                    ..m.clone()
                })
                .collect();
            code_one_sentence(
                piece,
                cstart + off,
                si,
                &sub,
                published,
                dateline,
                use_entities,
                ctx,
                out,
            );
            from = to;
        }
        return;
    }
    // "The delegation" (الوفد) stands for the entity that led it, once known.
    let mut with_delegation;
    let ments = match ctx.delegation.filter(|_| use_entities) {
        Some(ei) => {
            with_delegation = ments.to_vec();
            for t in tokenize(sent) {
                let n = norm(t.text);
                let w = strip_waw(&n);
                if matches!(w, "الوفد" | "بالوفد" | "للوفد") {
                    let skip = w.chars().count() - "الوفد".chars().count();
                    with_delegation.push(Ment {
                        start: t.char_start + skip + usize::from(w != n),
                        end: t.char_end,
                        entity: Some(ei),
                        kind: MKind::Org,
                        text: t.text.chars().skip(skip + usize::from(w != n)).collect(),
                    });
                }
            }
            with_delegation.sort_by_key(|m| (m.start, std::cmp::Reverse(m.end)));
            &with_delegation[..]
        }
        None => ments,
    };
    let s = build_sentence(sent, ments, use_entities);
    if s.hits.is_empty() {
        return;
    }
    let dates = find_dates(&s.toks, sent, published);
    // Each date expression belongs to the event trigger nearest to it.
    let event_hits: Vec<usize> = (0..s.hits.len())
        .filter(|&k| LEXICON.rows[s.hits[k].row].class == Class::Event)
        .collect();
    let mut date_of: Vec<Option<usize>> = vec![None; s.hits.len()];
    for (di, d) in dates.iter().enumerate() {
        let dist = |k: usize| {
            let h = &s.hits[k];
            if d.tok_start >= h.end {
                d.tok_start - h.end
            } else {
                h.start.saturating_sub(d.tok_end) + 1
            }
        };
        if let Some(&k) = event_hits.iter().min_by_key(|&&k| dist(k)) {
            date_of[k] = Some(di);
        }
    }
    let sentence_chars = sent.chars().count();
    let mut prev_actor: Option<usize> = None;
    let mut last_event_in_sentence: Option<usize> = None;
    for &hi in &event_hits {
        let mut h = s.hits[hi].clone();
        // A conditioned row that fails falls back to a later row of the same word
        // (دعم عسكري → AID, else دعم → SUPPORT).
        while !cond_ok(&s, &h, &LEXICON.rows[h.row].cond) {
            let next = (h.form != Form::Phrase)
                .then(|| lexicon::lookup_from(&s.toks[h.start].norm, h.row + 1))
                .flatten()
                .filter(|w| LEXICON.rows[w.row].class == Class::Event);
            match next {
                Some(w) => {
                    h.row = w.row;
                    if h.form != Form::Passive {
                        h.form = w.form;
                    }
                }
                None => break,
            }
        }
        let row = &LEXICON.rows[h.row];
        if !cond_ok(&s, &h, &row.cond) {
            continue;
        }
        let (mut modality, negated, future) = modality(&s, hi, h.future);
        let args = find_args(&s, hi, prev_actor);
        if args.actor.is_some() {
            prev_actor = args.actor;
        }
        // وصل وفد … بقيادة X: X leads "the delegation" from now on.
        if let Some(a) = args.actor {
            let has_delegation = s
                .toks
                .iter()
                .any(|t| matches!(t.norm.as_str(), "وفد" | "ووفد" | "الوفد" | "والوفد"));
            if has_delegation && s.ments[a].kind != MKind::Loc {
                if let Some(e) = s.ments[a].entity {
                    ctx.delegation = Some(e);
                }
            }
        }
        // Date.
        let mut date = published;
        let mut date_text = None;
        let mut explicit_date = false;
        if let Some(di) = date_of[hi] {
            date = dates[di].date.or(published);
            date_text = Some(dates[di].text.clone());
            explicit_date = true;
        } else if let Some(d) = dates.iter().find(|d| {
            d.tok_end <= h.start
                && d.date
                    .zip(published)
                    .is_some_and(|(d, p)| (p - d).num_days() > 180)
        }) {
            // A year-scale expression earlier in the sentence frames what follows it.
            date = d.date;
            date_text = Some(d.text.clone());
            explicit_date = true;
        } else if modality == Modality::Background {
            date = None;
        }
        // بعد يوم من <event>: that event was N days before the reference.
        if h.start >= 3 && s.toks[h.start - 1].norm == "من" {
            let unit = s.toks[h.start - 2].norm.as_str();
            let days = match unit {
                "يوم" => Some(1),
                "يومين" => Some(2),
                "ايام" => number_word(&s.toks[h.start.saturating_sub(3)].norm),
                "اسبوع" => Some(7),
                _ => None,
            };
            let bad = if unit == "ايام" {
                h.start < 4
            } else {
                false
            };
            let lead_at = if unit == "ايام" {
                h.start.saturating_sub(4)
            } else {
                h.start - 3
            };
            if let (Some(d), false) = (days, bad) {
                if matches!(strip_waw(&s.toks[lead_at].norm), "بعد" | "عقب") {
                    let reference = last_event_in_sentence
                        .and_then(|k: usize| out.get(k))
                        .and_then(|e| e.event.date.as_deref())
                        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
                        .or(published);
                    date = reference.map(|r| r - Duration::days(d));
                    date_text = Some(span_text(&s.toks, lead_at, h.start, sent));
                    explicit_date = true;
                }
            }
        }
        if let (Some(d), Some(p)) = (date, published) {
            if (p - d).num_days() > 180 && modality == Modality::Asserted
                || (p - d).num_days() > 180 && modality == Modality::Background
            {
                modality = Modality::Historical;
            }
        }
        let part = |m: usize| {
            let mt = &s.ments[m];
            let mut entity = mt.entity;
            // "الجنرال الليبي": a title with a nationality adjective names the one person the
            // article gives that title.
            if mt.kind == MKind::Loc && is_nisba(&mt.text) && s.mtok[m].0 > 0 {
                let w = norm(&s.toks[s.mtok[m].0 - 1].orig);
                if let Some(Some(owner)) = ctx.title_owner.get(strip_waw(&w)) {
                    entity = Some(*owner);
                }
            }
            Participant {
                text: participant_text(&s, m, sent),
                entity: entity.and_then(|e| ctx.entity_ids.get(e).map(|x| x.0.clone())),
            }
        };
        let mut actors: Vec<Participant> = args.actor.map(part).into_iter().collect();
        let mut recipients: Vec<Participant> = args.recipient.map(part).into_iter().collect();
        // "The two sides" (الطرفين، الجانبين) are the parties of the latest two-sided event.
        let two_sides = s.toks.iter().any(|t| {
            matches!(
                strip_waw(&t.norm),
                "الطرفين" | "الطرفان" | "الجانبين" | "الجانبان"
            )
        });
        if actors.is_empty() && recipients.is_empty() && two_sides {
            let prev = out.iter().enumerate().rev().take(4).find(|(k, e)| {
                !e.event.actors.is_empty()
                    && !e.event.recipients.is_empty()
                    && ctx.meta.get(*k).is_some_and(|m| m.sentence + 2 >= si)
            });
            if let Some((_, prev)) = prev {
                actors = prev.event.actors.clone();
                recipients = prev.event.recipients.clone();
            }
        }
        let (place, place_source, explicit_place) = match &args.place {
            Some((t, m)) => (
                Some(Participant {
                    text: t.clone(),
                    entity: m.and_then(|m| {
                        s.ments[m]
                            .entity
                            .and_then(|e| ctx.entity_ids.get(e).map(|x| x.0.clone()))
                    }),
                }),
                Some(PlaceSource::Sentence),
                true,
            ),
            None => match dateline {
                Some(d) => (
                    Some(Participant {
                        text: d.to_string(),
                        entity: None,
                    }),
                    Some(PlaceSource::Dateline),
                    false,
                ),
                None => (None, None, false),
            },
        };
        let trigger = span_text(&s.toks, h.start, h.end, sent);
        let mut confidence: f32 = match h.form {
            Form::Phrase => 0.55,
            Form::Past | Form::Present | Form::Passive => 0.5,
            Form::Noun => 0.4,
        };
        if row.cond != Cond::None {
            confidence += 0.1;
        }
        if !actors.is_empty() {
            confidence += 0.2;
        }
        if !recipients.is_empty() {
            confidence += 0.15;
        }
        if explicit_place {
            confidence += 0.05;
        }
        let confidence = confidence.min(0.95);
        let mode = match (row.mode.clone(), modality) {
            (m, Modality::Historical) => Some(match m {
                Some(m) => format!("{m};historical"),
                None => "historical".into(),
            }),
            (m, Modality::Background) => Some(match m {
                Some(m) => format!("{m};background"),
                None => "background".into(),
            }),
            (m, _) => m,
        };
        let ev = CodedEvent {
            event: Event {
                kind: row.plover.clone(),
                mode,
                actors,
                recipients,
                place,
                date: date.map(|d| d.format("%Y-%m-%d").to_string()),
                date_text,
                negated,
                future,
                evidence: Evidence {
                    sentence: sent.to_string(),
                    start: cstart,
                    end: cstart + sentence_chars,
                    trigger,
                },
                confidence,
                ..Default::default()
            },
            cameo: row.cameo.clone(),
            quad_class: quad_class(&row.cameo),
            modality,
            place_source,
            also_reported: Vec::new(),
        };
        let meta = EvMeta {
            sentence: si,
            explicit_date,
            explicit_place,
        };
        if use_entities {
            let anaphoric = h.definite && h.form == Form::Noun;
            if let Some(k) = merge_target(out, &ctx.meta, &ev, meta, anaphoric) {
                absorb(&mut out[k], &mut ctx.meta[k], ev, meta);
                last_event_in_sentence = Some(k);
                continue;
            }
        }
        out.push(ev);
        ctx.meta.push(meta);
        last_event_in_sentence = Some(out.len() - 1);
    }
}

/// Participant identities: the entity id and the name key of the last word of each
/// participant's text, so that حفتر / خليفة حفتر and قالين / كالين count as the same party
/// even when resolution kept them apart.
fn participant_ids(e: &Event) -> Vec<(Option<String>, String)> {
    e.actors
        .iter()
        .chain(e.recipients.iter())
        .map(|p| {
            let key = p
                .text
                .split_whitespace()
                .last()
                .map(|w| skeleton(&rased_text::namekey::name_key(w)))
                .unwrap_or_default();
            (p.entity.clone(), key)
        })
        .collect()
}

fn same_party(a: &(Option<String>, String), b: &(Option<String>, String)) -> bool {
    (a.0.is_some() && a.0 == b.0) || (!a.1.is_empty() && a.1 == b.1)
}

/// How many of `a`'s participants are among `b`'s.
fn shared(a: &[(Option<String>, String)], b: &[(Option<String>, String)]) -> usize {
    a.iter()
        .filter(|x| b.iter().any(|y| same_party(x, y)))
        .count()
}

/// A consonant skeleton for comparing transliterated names (قالين / كالين / قالن).
fn skeleton(w: &str) -> String {
    let n = norm(w);
    let n = n.strip_prefix("ال").unwrap_or(&n);
    n.chars()
        .enumerate()
        .filter(|&(i, c)| i == 0 || !matches!(c, 'ا' | 'و' | 'ي' | 'ء' | 'ة' | 'ه'))
        .map(|(_, c)| {
            if c == 'ق' || c == 'ك' || c == 'گ' {
                'ك'
            } else {
                c
            }
        })
        .collect()
}

/// An earlier event that `ev` reports again.
fn merge_target(
    out: &[CodedEvent],
    meta: &[EvMeta],
    ev: &CodedEvent,
    m: EvMeta,
    anaphoric: bool,
) -> Option<usize> {
    let argless = ev.event.actors.is_empty() && ev.event.recipients.is_empty();
    let ids = participant_ids(&ev.event);
    for k in (0..out.len()).rev() {
        let o = &out[k];
        if o.event.kind != ev.event.kind || o.modality != ev.modality && !argless {
            continue;
        }
        let near = m.sentence.saturating_sub(meta[k].sentence) <= 5;
        if (argless || anaphoric) && near && ev.modality == Modality::Asserted
            || argless && near && o.modality == ev.modality
        {
            // A definite noun with its own different participants is not the same event.
            let oids = participant_ids(&o.event);
            if !ids.is_empty() && !oids.is_empty() && shared(&ids, &oids) == 0 {
                continue;
            }
            return Some(k);
        }
        if !ids.is_empty() && ids.len() >= 2 {
            let oids = participant_ids(&o.event);
            let same_day =
                o.event.date == ev.event.date || !m.explicit_date || !meta[k].explicit_date;
            let all_shared = shared(&ids, &oids) == ids.len() && shared(&oids, &ids) == oids.len();
            if all_shared && same_day {
                return Some(k);
            }
        }
    }
    None
}

fn absorb(target: &mut CodedEvent, tm: &mut EvMeta, ev: CodedEvent, m: EvMeta) {
    let t = &mut target.event;
    if m.explicit_place && !tm.explicit_place {
        t.place = ev.event.place.clone();
        target.place_source = ev.place_source;
        tm.explicit_place = true;
    } else if m.explicit_place && tm.explicit_place && ev.event.place.is_some() {
        // A place said of the event itself (عقد في …) beats one inside a description.
        let trig = norm(&ev.event.evidence.trigger);
        if trig.contains("عقد")
            || ev.event.evidence.sentence.contains("عقد في")
            || ev.event.evidence.sentence.contains("عُقد في")
        {
            t.place = ev.event.place.clone();
        }
    }
    if m.explicit_date && !tm.explicit_date {
        t.date = ev.event.date.clone();
        t.date_text = ev.event.date_text.clone();
        tm.explicit_date = true;
    }
    if t.actors.is_empty() {
        t.actors = ev.event.actors.clone();
    }
    if t.recipients.is_empty() {
        t.recipients = ev
            .event
            .recipients
            .iter()
            .filter(|r| !t.actors.contains(r))
            .cloned()
            .collect();
    }
    if ev.event.evidence.start != t.evidence.start
        && !target.also_reported.contains(&ev.event.evidence.start)
    {
        target.also_reported.push(ev.event.evidence.start);
        t.confidence = (t.confidence + 0.05).min(0.99);
    }
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

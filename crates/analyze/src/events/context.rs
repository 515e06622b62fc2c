//! What the coder knows while it codes: the article context carried from sentence to
//! sentence ([`ArticleCtx`]), the sentence being coded ([`SentenceCtx`]), and the analysed
//! sentence ([`Sent`]: tokens, mentions, argument markers, trigger hits).

use std::collections::HashMap;

use chrono::NaiveDate;
use rased_text::tokenize::{tokenize, TokenKind};
use rased_text::Document;

use super::args::{agent_phrases, is_place_noun, markers, noun_phrases, Marker};
use super::lexicon::norm;
use super::triggers::{find_hits, Hit};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MKind {
    Per,
    Org,
    Loc,
    Misc,
    /// A noun phrase standing in for a mention (no entities).
    Np,
}

pub(crate) fn kind_of(k: &str) -> MKind {
    match k {
        "PER" => MKind::Per,
        "ORG" => MKind::Org,
        "LOC" => MKind::Loc,
        _ => MKind::Misc,
    }
}

/// A mention in the sentence, in code points relative to the sentence.
#[derive(Debug, Clone)]
pub(crate) struct Ment {
    pub start: usize,
    pub end: usize,
    pub entity: Option<usize>,
    pub kind: MKind,
    pub text: String,
}

/// What the coder carries across the sentences of one article.
#[derive(Debug, Default)]
pub(crate) struct ArticleCtx {
    /// (id, kind) of each entity of the article, by entity index.
    pub entity_ids: Vec<(String, String)>,
    /// Title word (match-normalized, with ال) → the one person entity the article gives it
    /// (`None` when several people carry it).
    pub title_owner: HashMap<String, Option<usize>>,
    /// The entity leading "the delegation" (وفد … بقيادة X), once the article named it.
    pub delegation: Option<usize>,
    /// Per output event: sentence index and whether its date came from an expression.
    pub meta: Vec<EvMeta>,
    /// The article's topic (a feature of the event decision).
    pub topic: Option<crate::topic::Topic>,
    /// What the learned decision does to this article's candidates.
    pub decision: Decision,
}

/// How the coder uses the learned decision.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) enum Decision {
    /// The rules alone: every candidate is kept (confidence from the model when it has one).
    #[default]
    Rules,
    /// Drop the candidates the model rejects, retype those it is sure are another type.
    Apply,
    /// Keep every candidate with its features, none merged (the training examples).
    Collect,
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct EvMeta {
    pub sentence: usize,
    pub explicit_date: bool,
    pub explicit_place: bool,
}

/// The sentence to code and what the article says about it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct SentenceCtx<'a> {
    pub text: &'a str,
    /// Code-point offset of the sentence in the body.
    pub char_start: usize,
    /// Sentence index in the body.
    pub index: usize,
    /// Entity mentions, code points relative to the sentence, ordered by start.
    pub mentions: &'a [Ment],
    /// The article date (reference of relative dates).
    pub published: Option<NaiveDate>,
    /// The dateline place, the place of events whose sentence names none.
    pub dateline: Option<&'a str>,
    /// Arguments are entity mentions (else noun phrases).
    pub use_entities: bool,
    /// The tokens of `text` (code points relative to it) when the document gave them; else
    /// the sentence is tokenized here.
    pub toks: Option<&'a [Tok]>,
    /// The date expressions of the document and the byte offset of `text` in it, when the
    /// document found them; else they are found here.
    pub dates: Option<(&'a [rased_text::date::DateMatch], usize)>,
}

#[derive(Debug, Clone)]
pub(crate) struct Tok {
    pub norm: String,
    pub orig: String,
    pub kind: TokenKind,
    pub cs: usize,
    pub ce: usize,
}

/// An analysed sentence.
pub(crate) struct Sent {
    pub toks: Vec<Tok>,
    pub ments: Vec<Ment>,
    /// token index range for each mention
    pub mtok: Vec<(usize, usize)>,
    pub markers: Vec<Marker>,
    pub hits: Vec<Hit>,
}

pub(crate) fn is_word(k: TokenKind) -> bool {
    k.is_word()
}

/// Drops a leading و from words longer than two letters.
pub(crate) fn strip_waw(w: &str) -> &str {
    if w.chars().count() > 2 {
        w.strip_prefix('و').unwrap_or(w)
    } else {
        w
    }
}

/// The text of tokens `s..e`.
pub(crate) fn span_text(toks: &[Tok], s: usize, e: usize, sent: &str) -> String {
    let cs = toks[s].cs;
    let ce = toks[e - 1].ce;
    sent.chars().skip(cs).take(ce - cs).collect()
}

/// The tokens of sentence `s` of a document, offsets relative to the sentence.
pub(crate) fn doc_tokens(doc: &Document, s: usize) -> Vec<Tok> {
    let start = doc.sentences()[s].chars.start;
    doc.sentence_tokens(s)
        .iter()
        .map(|t| Tok {
            norm: doc.norm(t).to_string(),
            orig: doc.token_text(t).to_string(),
            kind: t.kind,
            cs: t.char_start - start,
            ce: t.char_end - start,
        })
        .collect()
}

pub(crate) fn tokens(sent: &str) -> Vec<Tok> {
    tokenize(sent)
        .into_iter()
        .map(|t| Tok {
            norm: norm(t.text),
            orig: t.text.to_string(),
            kind: t.kind,
            cs: t.char_start,
            ce: t.char_end,
        })
        .collect()
}

/// Token range of a mention (code points relative to the sentence).
fn token_span(toks: &[Tok], m: &Ment) -> (usize, usize) {
    let s = toks.iter().position(|t| t.ce > m.start).unwrap_or(0);
    let e = toks
        .iter()
        .rposition(|t| t.cs < m.end)
        .map(|x| x + 1)
        .unwrap_or(s + 1)
        .max(s + 1);
    (s, e)
}

pub(crate) fn is_title_tok(t: &Tok) -> bool {
    rased_kb::resolve::is_title(&t.norm) || rased_kb::resolve::is_title(strip_waw(&t.norm))
}

/// Drops the place or organisation inside a title phrase that introduces a person (`القائد
/// العام للجيش الليبي المشير خليفة حفتر`, `رئيس المخابرات التركية إبراهيم قالين`): the person
/// is the participant, not the country or army of their title. A mention is such a
/// descriptor when a title word stands at most three words before it and a person follows it
/// with nothing but titles or a comma between. Also returns, for each kept mention, where its
/// title phrase starts when that phrase is a trigger's genitive, so that the person takes
/// the descriptor's place (`اجتماع رئيس المخابرات المصرية اللواء حسن رشاد`: the genitive of
/// the meeting); elsewhere the person keeps its own span.
fn drop_descriptors(
    toks: &[Tok],
    hits: &[Hit],
    ments: Vec<Ment>,
) -> (Vec<Ment>, Vec<Option<usize>>) {
    let spans: Vec<(usize, usize)> = ments.iter().map(|m| token_span(toks, m)).collect();
    // The title phrase's first token when mention `i` is a descriptor.
    let descriptor = |i: usize| -> Option<usize> {
        let m = &ments[i];
        if !matches!(m.kind, MKind::Loc | MKind::Org) {
            return None;
        }
        if ments.get(i + 1).is_none_or(|n| n.kind != MKind::Per) {
            return None;
        }
        let (ms, me) = spans[i];
        let ns = spans[i + 1].0;
        let prev_end = if i > 0 { spans[i - 1].1 } else { 0 };
        let gap_ok = ns >= me
            && ns - me <= 2
            && toks[me..ns]
                .iter()
                .all(|t| is_title_tok(t) || t.orig == "،" || t.orig == ",");
        if !gap_ok {
            return None;
        }
        (ms.saturating_sub(3).max(prev_end)..ms).find(|&j| is_title_tok(&toks[j]))
    };
    let phrase_start: Vec<Option<usize>> = (0..ments.len()).map(descriptor).collect();
    let mut kept = Vec::with_capacity(ments.len());
    let mut starts = Vec::with_capacity(ments.len());
    let mut pending: Option<usize> = None;
    for (m, start) in ments.into_iter().zip(phrase_start) {
        if start.is_some() {
            pending = start;
            continue;
        }
        kept.push(m);
        let genitive = |t: &usize| hits.iter().any(|h| h.end <= *t && *t <= h.end + 1);
        starts.push(pending.take().filter(genitive));
    }
    (kept, starts)
}

/// The named mentions with the common-noun participants between them (`الشرطة`، `محتجين`),
/// in text order; a phrase has no title-phrase start.
fn with_agent_phrases(
    toks: &[Tok],
    hits: &[Hit],
    sent: &str,
    named: Vec<Ment>,
    starts: Vec<Option<usize>>,
) -> (Vec<Ment>, Vec<Option<usize>>) {
    let mut taken = vec![false; toks.len()];
    for (m, start) in named.iter().zip(&starts) {
        let (s, e) = token_span(toks, m);
        let end = e.min(toks.len());
        taken[start.unwrap_or(s).min(s).min(end)..end].fill(true);
    }
    let phrases = agent_phrases(toks, hits, &taken, sent);
    if phrases.is_empty() {
        return (named, starts);
    }
    let mut all: Vec<(Ment, Option<usize>)> = named.into_iter().zip(starts).collect();
    all.extend(phrases.into_iter().map(|p| (p, None)));
    all.sort_by_key(|(m, _)| m.start);
    all.into_iter().unzip()
}

/// Tokens, trigger hits, the mentions that can be arguments (entity mentions, or noun phrases
/// without entities) and the word governing each.
pub(crate) fn build_sentence(
    sent: &str,
    toks: Option<&[Tok]>,
    ments: &[Ment],
    use_entities: bool,
) -> Sent {
    let toks = toks.map_or_else(|| tokens(sent), <[Tok]>::to_vec);
    let hits = find_hits(&toks);
    let (ments, starts): (Vec<Ment>, Vec<Option<usize>>) = if toks.is_empty() {
        (Vec::new(), Vec::new())
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
        let (named, starts) = drop_descriptors(&toks, &hits, kept);
        with_agent_phrases(&toks, &hits, sent, named, starts)
    } else {
        let phrases = noun_phrases(&toks, &hits, sent);
        let starts = vec![None; phrases.len()];
        (phrases, starts)
    };
    let mtok: Vec<(usize, usize)> = ments
        .iter()
        .zip(&starts)
        .map(|(m, start)| {
            let (s, e) = token_span(&toks, m);
            (start.unwrap_or(s), e)
        })
        .collect();
    let markers = markers(&toks, &ments, &mtok, &hits);
    Sent {
        toks,
        ments,
        mtok,
        markers,
        hits,
    }
}

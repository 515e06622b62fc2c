//! Coding one sentence: its triggers, each with modality, arguments, place and date, merged
//! into the article's events where they report one again.

use rased_model::{Event, Evidence, Participant};

use super::args::{find_args, is_nisba, participant_text, Args};
use super::context::{
    build_sentence, strip_waw, tokens, ArticleCtx, Decision, EvMeta, MKind, Ment, Sent,
    SentenceCtx, Tok,
};
use super::dates::{attach_dates, date_of_event, event_date, event_hits, find_dates, DateExpr};
use super::decide;
use super::lexicon::{self, norm, Cond, Form, Row, LEXICON};
use super::merge::{absorb, merge_target};
use super::modality::modality;
use super::triggers::{resolve_row, Hit};
use super::{quad_class, CodedEvent, Modality, PlaceSource};

/// Very long "sentences" (lists, tables, unpunctuated text) are coded in windows of this many
/// words so that the work per trigger stays bounded.
const WINDOW: usize = 120;

/// Codes the events of one sentence into `out` (merging repeats when coding with entities).
pub(crate) fn code_one_sentence(sc: &SentenceCtx, ctx: &mut ArticleCtx, out: &mut Vec<CodedEvent>) {
    let sent = sc.text;
    if sent.trim().is_empty() {
        return;
    }
    let words: Vec<(usize, &str)> = sent
        .split_whitespace()
        .map(|w| (w.as_ptr() as usize - sent.as_ptr() as usize, w))
        .collect();
    if words.len() > WINDOW * 3 / 2 {
        code_windows(sc, &words, ctx, out);
        return;
    }
    // "The delegation" (الوفد) stands for the entity that led it, once known.
    let with_delegation;
    let ments = match ctx.delegation.filter(|_| sc.use_entities) {
        Some(ei) => {
            let toks = sc.toks.map_or_else(|| tokens(sent), <[Tok]>::to_vec);
            with_delegation = delegation_mentions(&toks, sc.mentions, ei);
            &with_delegation[..]
        }
        None => sc.mentions,
    };
    let s = build_sentence(sent, sc.toks, ments, sc.use_entities);
    if s.hits.is_empty() {
        return;
    }
    let found: Vec<rased_text::date::DateMatch> = match sc.dates {
        // The document's dates inside this sentence, spans made relative to it.
        Some((all, at)) => all
            .iter()
            .filter(|d| d.span.start >= at && d.span.end <= at + sent.len())
            .map(|d| rased_text::date::DateMatch {
                span: d.span.start - at..d.span.end - at,
                ..d.clone()
            })
            .collect(),
        None => rased_text::date::find_dates(sent, sc.published),
    };
    let dates = find_dates(&s.toks, sent, &found, sc.published);
    let event_hits = event_hits(&s);
    let mut coder = SentenceCoder {
        date_of: attach_dates(&s, &dates, &event_hits),
        s,
        sc,
        dates,
        prev_actor: None,
        last_event: None,
    };
    for &hi in &event_hits {
        coder.code_hit(hi, ctx, out);
    }
}

/// Codes a very long sentence window by window.
fn code_windows(
    sc: &SentenceCtx,
    words: &[(usize, &str)],
    ctx: &mut ArticleCtx,
    out: &mut Vec<CodedEvent>,
) {
    let sent = sc.text;
    let mut from = 0;
    while from < words.len() {
        let to = (from + WINDOW).min(words.len());
        let bs = words[from].0;
        let be = words[to - 1].0 + words[to - 1].1.len();
        let piece = &sent[bs..be];
        let off = rased_text::char_offset(sent, bs);
        let len = piece.chars().count();
        let sub: Vec<Ment> = sc
            .mentions
            .iter()
            .filter(|m| m.start >= off && m.end <= off + len)
            .map(|m| Ment {
                start: m.start - off,
                end: m.end - off,
                ..m.clone()
            })
            .collect();
        let sub_toks: Option<Vec<Tok>> = sc.toks.map(|toks| {
            toks.iter()
                .filter(|t| t.cs >= off && t.ce <= off + len)
                .map(|t| Tok {
                    cs: t.cs - off,
                    ce: t.ce - off,
                    ..t.clone()
                })
                .collect()
        });
        let window = SentenceCtx {
            text: piece,
            char_start: sc.char_start + off,
            mentions: &sub,
            toks: sub_toks.as_deref(),
            dates: sc.dates.map(|(all, at)| (all, at + bs)),
            ..*sc
        };
        code_one_sentence(&window, ctx, out);
        from = to;
    }
}

/// The mentions with each الوفد/بالوفد/للوفد added as a mention of entity `ei`.
fn delegation_mentions(toks: &[Tok], ments: &[Ment], ei: usize) -> Vec<Ment> {
    let mut with_delegation = ments.to_vec();
    for t in toks {
        let n = &t.norm;
        let w = strip_waw(n);
        if matches!(w, "الوفد" | "بالوفد" | "للوفد") {
            let skip = w.chars().count() - "الوفد".chars().count();
            with_delegation.push(Ment {
                start: t.cs + skip + usize::from(w != n),
                end: t.ce,
                entity: Some(ei),
                kind: MKind::Org,
                text: t.orig.chars().skip(skip + usize::from(w != n)).collect(),
            });
        }
    }
    with_delegation.sort_by_key(|m| (m.start, std::cmp::Reverse(m.end)));
    with_delegation
}

/// The analysed sentence and what carries from one trigger to the next.
struct SentenceCoder<'a> {
    s: Sent,
    sc: &'a SentenceCtx<'a>,
    dates: Vec<DateExpr>,
    /// For each hit, the index of its date expression.
    date_of: Vec<Option<usize>>,
    /// Actor of the previous event (coordinated verbs share it).
    prev_actor: Option<usize>,
    /// Output index of the previous event of the sentence.
    last_event: Option<usize>,
}

impl SentenceCoder<'_> {
    fn code_hit(&mut self, hi: usize, ctx: &mut ArticleCtx, out: &mut Vec<CodedEvent>) {
        let s = &self.s;
        let sc = self.sc;
        let Some(h) = resolve_row(s, s.hits[hi].clone()) else {
            return;
        };
        let row = &LEXICON.rows[h.row];
        let (mut modality, negated, future) = modality(s, hi, h.future);
        let args = find_args(s, hi, self.prev_actor);
        if args.actor.is_some() {
            self.prev_actor = args.actor;
        }
        self.note_delegation(args.actor, ctx);
        let date = event_date(
            s,
            sc,
            &h,
            self.date_of[hi].map(|di| &self.dates[di]),
            &self.dates,
            modality,
            date_of_event(out, self.last_event),
        );
        if let (Some(d), Some(p)) = (date.middle, sc.published) {
            if (p - d).num_days() > 180
                && matches!(modality, Modality::Asserted | Modality::Background)
            {
                modality = Modality::Historical;
            }
        }
        let features = decide::features(
            &decide::Candidate {
                s,
                hit: &h,
                kind: &row.plover,
                has_condition: row.cond != Cond::None,
                modality,
                args: &args,
                explicit_date: date.explicit,
                sentence_text: sc.text,
                sentence_index: sc.index,
                topic: ctx.topic,
            },
            ctx.decision == Decision::Collect,
        );
        let model = decide::model();
        let mut kind = row.plover.as_str();
        let mut cameo = row.cameo.clone();
        let mut mode = row.mode.clone();
        let mut learned = None;
        if model.is_trained() && ctx.decision != Decision::Collect {
            match decide::decide(model, &features.hashes, kind) {
                Some((decided, p)) => {
                    if decided != kind {
                        // Another type: its lexicon's first code, no mode of the trigger's.
                        kind = decided;
                        cameo = lexicon::first_cameo(decided).unwrap_or_default();
                        mode = None;
                    }
                    learned = Some(p);
                }
                None if ctx.decision == Decision::Apply => return,
                None => learned = decide::probability(model, &features.hashes, kind),
            }
        }
        // The publication day dates an event the text does not, unless it reads as background.
        let undated = !date.explicit
            && modality == Modality::Asserted
            && ctx.decision != Decision::Collect
            && decide::undated(&features.hashes);
        let day = date.date.filter(|_| !undated);
        let (actors, recipients) = self.participants(&args, ctx, out);
        let (place, place_source) = self.place(&args, ctx);
        let explicit_place = place_source == Some(PlaceSource::Sentence);
        let ev = CodedEvent {
            event: Event {
                kind: kind.to_string(),
                mode,
                confidence: learned
                    .unwrap_or_else(|| confidence(&h, row, &actors, &recipients, explicit_place)),
                actors,
                recipients,
                place,
                date: day.map(|d| d.format("%Y-%m-%d").to_string()),
                date_text: date.text,
                negated,
                future,
                evidence: Evidence {
                    sentence: sc.text.to_string(),
                    start: sc.char_start,
                    end: sc.char_start + sc.text.chars().count(),
                    trigger: super::context::span_text(&s.toks, h.start, h.end, sc.text),
                },
                ..Default::default()
            },
            quad_class: quad_class(&cameo),
            cameo,
            modality,
            place_source,
            also_reported: Vec::new(),
            features: features.strings,
        };
        let meta = EvMeta {
            sentence: sc.index,
            explicit_date: date.explicit,
            explicit_place,
        };
        if sc.use_entities && ctx.decision != Decision::Collect {
            let anaphoric = h.definite && h.form == Form::Noun;
            if let Some(k) = merge_target(out, &ctx.meta, &ev, meta, anaphoric) {
                absorb(&mut out[k], &mut ctx.meta[k], ev, meta);
                self.last_event = Some(k);
                return;
            }
        }
        out.push(ev);
        ctx.meta.push(meta);
        self.last_event = Some(out.len() - 1);
    }

    /// وصل وفد … بقيادة X: X leads "the delegation" from now on.
    fn note_delegation(&self, actor: Option<usize>, ctx: &mut ArticleCtx) {
        let s = &self.s;
        if let Some(a) = actor {
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
    }

    /// Mention `m` as a participant, with its entity id.
    fn participant(&self, m: usize, ctx: &ArticleCtx) -> Participant {
        let s = &self.s;
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
            text: participant_text(s, m, self.sc.text),
            entity: entity.and_then(|e| ctx.entity_ids.get(e).map(|x| x.0.clone())),
        }
    }

    /// Actors and recipients; "the two sides" (الطرفين، الجانبين) with no arguments are the
    /// parties of the latest two-sided event.
    fn participants(
        &self,
        args: &Args,
        ctx: &ArticleCtx,
        out: &[CodedEvent],
    ) -> (Vec<Participant>, Vec<Participant>) {
        let mut actors: Vec<Participant> = args
            .actor
            .map(|m| self.participant(m, ctx))
            .into_iter()
            .collect();
        let mut recipients: Vec<Participant> = args
            .recipient
            .map(|m| self.participant(m, ctx))
            .into_iter()
            .collect();
        let two_sides = self.s.toks.iter().any(|t| {
            matches!(
                strip_waw(&t.norm),
                "الطرفين" | "الطرفان" | "الجانبين" | "الجانبان"
            )
        });
        if actors.is_empty() && recipients.is_empty() && two_sides {
            let si = self.sc.index;
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
        (actors, recipients)
    }

    /// The place named in the sentence, else the dateline.
    fn place(&self, args: &Args, ctx: &ArticleCtx) -> (Option<Participant>, Option<PlaceSource>) {
        match &args.place {
            Some((t, m)) => (
                Some(Participant {
                    text: t.clone(),
                    entity: m.and_then(|m| {
                        self.s.ments[m]
                            .entity
                            .and_then(|e| ctx.entity_ids.get(e).map(|x| x.0.clone()))
                    }),
                }),
                Some(PlaceSource::Sentence),
            ),
            None => match self.sc.dateline {
                Some(d) => (
                    Some(Participant {
                        text: d.to_string(),
                        entity: None,
                    }),
                    Some(PlaceSource::Dateline),
                ),
                None => (None, None),
            },
        }
    }
}

/// Confidence from how the trigger matched and what was found around it.
fn confidence(
    h: &Hit,
    row: &Row,
    actors: &[Participant],
    recipients: &[Participant],
    explicit_place: bool,
) -> f32 {
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
    confidence.min(0.95)
}

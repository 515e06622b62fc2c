//! Co-reference of event reports: a later report of an earlier event (same type, an anaphoric
//! or argument-less mention nearby, or the same participants) is merged into it.

use rased_model::Event;

use super::context::EvMeta;
use super::lexicon::norm;
use super::{CodedEvent, Modality};

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

/// A consonant skeleton for comparing transliterated names (قالين / كالين / قالن), applied
/// to a [`name_key`](rased_text::namekey::name_key): every vowel letter and ه/ة after the
/// first letter dropped, ق/ك/گ folded.
///
/// Not [`rased_text::namekey::name_skeleton`]: that one is a blocking key, meant to be
/// confirmed by a similarity check. It folds whole consonant classes (ج/غ/ك, ح/ه, ث/س, ض/د,
/// ظ/ز), so جبر and كبر, حمد and همد would count as one party here, and it keeps a final
/// long vowel and ه, so عمرو/عمر and موسى/موس would not.
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

/// The most earlier events of the same type that one report is compared with, latest first.
/// Comparing with every earlier event made merging quadratic in the events of an article
/// (40,000 one-line reports of visits took seconds); a real article has a few dozen events, so
/// the bound changes nothing on news (identical output on the ANT corpus) and keeps hostile
/// pages linear.
pub const MAX_MERGE_CANDIDATES: usize = 128;

/// An earlier event that `ev` reports again.
pub(crate) fn merge_target(
    out: &[CodedEvent],
    meta: &[EvMeta],
    ev: &CodedEvent,
    m: EvMeta,
    anaphoric: bool,
) -> Option<usize> {
    let argless = ev.event.actors.is_empty() && ev.event.recipients.is_empty();
    let ids = participant_ids(&ev.event);
    let mut candidates = 0usize;
    for k in (0..out.len()).rev() {
        let o = &out[k];
        if o.event.kind != ev.event.kind {
            continue;
        }
        candidates += 1;
        if candidates > MAX_MERGE_CANDIDATES {
            break;
        }
        if o.modality != ev.modality && !argless {
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

/// Merges report `ev` into `target`: a stated place or date fills in what the target lacked,
/// missing participants are taken over, and the report's sentence is recorded.
pub(crate) fn absorb(target: &mut CodedEvent, tm: &mut EvMeta, ev: CodedEvent, m: EvMeta) {
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

//! Arguments of a trigger: the word governing each mention ([`Marker`]), noun phrases as
//! pseudo-mentions, and actor, recipient and place of an event ([`find_args`]).

use rased_text::tokenize::TokenKind;

use super::context::{is_title_tok, is_word, span_text, strip_waw, MKind, Ment, Sent, Tok};
use super::lexicon::{lookup, norm, Class, Form, LEXICON};
use super::triggers::{clause, is_agent_noun, Hit};
use super::words::{
    AGENT_NOUNS, FUNCTION_WORDS, MODIFIER_WORDS, NON_CIRCUMSTANTIAL_PREPS, PLACE_HEADS,
    PLACE_NOUNS, PLACE_WORDS, PRONOUN_OBJ, RECIP_WORDS, RELATIVE_PRONOUNS,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Marker {
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

/// The text naming a participant: the mention, or for a nationality adjective the noun
/// phrase it qualifies (قوات النظام السوري، رئيس الاستخبارات التركية).
pub(crate) fn participant_text(s: &Sent, m: usize, sent: &str) -> String {
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
            || FUNCTION_WORDS.contains(w)
            || FUNCTION_WORDS.contains(strip_waw(w))
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
pub(crate) fn is_nisba(text: &str) -> bool {
    let n = norm(text);
    !n.contains(' ')
        && n.starts_with("ال")
        && (n.ends_with('ي') || n.ends_with("ية") || n.ends_with("يه"))
        && n.chars().count() > 4
}

pub(crate) fn is_place_noun(w: &str) -> bool {
    let w = strip_waw(w);
    let w = w.strip_prefix('ب').unwrap_or(w);
    let w2 = w.strip_prefix("ال").unwrap_or(w);
    PLACE_NOUNS.contains(w) || PLACE_NOUNS.contains(w2)
}

/// Noun phrases as pseudo-mentions when the caller has no entities.
pub(crate) fn noun_phrases(toks: &[Tok], hits: &[Hit], sent: &str) -> Vec<Ment> {
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
            || FUNCTION_WORDS.contains(&t.norm)
            || FUNCTION_WORDS.contains(strip_waw(&t.norm))
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
                || FUNCTION_WORDS.contains(&u.norm)
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

/// Whether a token is an agent noun (`والشرطة`، `لمحتجين`، `بالمدنيين`): the list's word once a
/// conjunction, preposition and article are stripped.
fn is_agent_tok(norm_tok: &str) -> bool {
    let w = strip_waw(norm_tok);
    let bare = ["بال", "لل", "ال", "ب", "ل"]
        .iter()
        .find_map(|p| w.strip_prefix(p).filter(|r| r.chars().count() >= 3));
    AGENT_NOUNS.contains(w) || bare.is_some_and(|b| AGENT_NOUNS.contains(b))
}

/// Common-noun participants outside the entity mentions `taken` (tokens marked `true`): an
/// agent noun (`data/events/agent_nouns.txt`) with up to two words after it that qualify it,
/// a nationality adjective or a definite genitive (`قوات الأمن`، `مسلحين مجهولين`،
/// `الشرطة الإسرائيلية`). Trigger words neither start nor extend one, except the protest
/// nouns that name their own participants (`المحتجين`).
pub(crate) fn agent_phrases(toks: &[Tok], hits: &[Hit], taken: &[bool], sent: &str) -> Vec<Ment> {
    let mut in_hit = vec![false; toks.len()];
    for h in hits {
        let agent = is_agent_noun(toks, h);
        let end = h.end.min(toks.len());
        in_hit[h.start.min(end)..end].fill(!agent);
    }
    let free = |i: usize| !taken[i] && !in_hit[i] && is_word(toks[i].kind);
    let mut out = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        if !free(i) || !is_agent_tok(&toks[i].norm) || in_larger_noun_phrase(toks, i) {
            i += 1;
            continue;
        }
        let start = i;
        // A definite head takes adjectives only (`الشرطة الإسرائيلية`); a definite noun after
        // it is another phrase (`رفضت المحكمة الاستئناف`), not its genitive (`قوات الأمن`).
        let head_definite = has_article(&toks[i].norm);
        i += 1;
        while i < toks.len() && i - start < 3 && free(i) {
            let w = &toks[i].norm;
            let genitive = w.starts_with("ال") && !head_definite;
            let qualifies =
                (genitive || is_nisba(w) || is_nisba(&format!("ال{w}")) || is_plural_nisba(w))
                    && !is_title_tok(&toks[i])
                    && !FUNCTION_WORDS.contains(w)
                    && !is_place_noun(w)
                    && lookup(w).is_none();
            if !qualifies {
                break;
            }
            i += 1;
        }
        // A nationality adjective named right after it already stands for the whole phrase
        // (`قوات النظام السوري`, see `participant_text`).
        if i < toks.len() && taken[i] && is_nisba(&toks[i].norm) {
            continue;
        }
        out.push(Ment {
            start: toks[start].cs,
            end: toks[i - 1].ce,
            entity: None,
            kind: MKind::Np,
            text: without_proclitic(&span_text(toks, start, i, sent)),
        });
    }
    out
}

/// Whether token `i` is the genitive of a larger noun phrase rather than a participant of
/// its own: after a title (`رئيس الحكومة`، `قائد الجيش`) or after a noun in the construct
/// state, which ends in ة (`إذاعة الجيش`، `أغلبية السكان`; a verb never does).
fn in_larger_noun_phrase(toks: &[Tok], i: usize) -> bool {
    let Some(prev) = i.checked_sub(1).map(|p| &toks[p]) else {
        return false;
    };
    is_word(prev.kind)
        && (is_title_tok(prev)
            || !prev.norm.starts_with("ال")
                && !FUNCTION_WORDS.contains(&prev.norm)
                && lookup(&prev.norm).is_none()
                && (prev.orig.ends_with('ة') || prev.orig.ends_with("ات")))
}

/// A plural relative adjective (`السياسيين`، `المدنيون`، `الفلسطينيات`), which qualifies the
/// group before it.
fn is_plural_nisba(norm_tok: &str) -> bool {
    norm_tok.starts_with("ال")
        && norm_tok.chars().count() > 6
        && ["يين", "يون", "يات"].iter().any(|e| norm_tok.ends_with(e))
}

/// Whether a word carries the article, after a conjunction or preposition (`والشرطة`،
/// `للمحتجين`).
fn has_article(norm_tok: &str) -> bool {
    let w = strip_waw(norm_tok);
    ["ال", "بال", "لل", "فال", "كال"]
        .iter()
        .any(|p| w.starts_with(p))
}

/// A phrase's text without the conjunction and preposition glued to its first word
/// (`وللمحتجين` → `المحتجين`, `لقوات الشرعية` → `قوات الشرعية`).
fn without_proclitic(text: &str) -> String {
    let n = norm(text);
    let rest = |k: usize| text.chars().skip(k).collect::<String>();
    let first = n.split(' ').next().unwrap_or_default();
    let bare_listed = |k: usize| AGENT_NOUNS.contains(&first.chars().skip(k).collect::<String>());
    if n.starts_with("وبال") {
        rest(2)
    } else if n.starts_with("بال") || n.starts_with("وال") {
        rest(1)
    } else if n.starts_with("ولل") {
        format!("ا{}", rest(2))
    } else if n.starts_with("لل") {
        format!("ا{}", rest(1))
    } else if ["وب", "ول"].iter().any(|p| n.starts_with(p)) && bare_listed(2) {
        rest(2)
    } else if ["و", "ب", "ل"].iter().any(|p| n.starts_with(p)) && bare_listed(1) {
        rest(1)
    } else {
        text.to_string()
    }
}

/// The word governing each mention: a clitic on its own token (بعبدي، لحفتر), the marker of
/// the conjunct before (بين X وY), or a preposition found walking back over titles, place
/// nouns and commas.
pub(crate) fn markers(
    toks: &[Tok],
    ments: &[Ment],
    mtok: &[(usize, usize)],
    hits: &[Hit],
) -> Vec<Marker> {
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
        let prev_end = if mi > 0 { mtok[mi - 1].1 } else { 0 };
        // Apposition: only punctuation/titles since the previous mention.
        let inherited = (mi > 0 && !own[mi - 1] && markers[mi - 1] != Marker::Modifier)
            .then(|| markers[mi - 1]);
        markers.push(governing_word(toks, hits, ts, prev_end, inherited));
        own.push(false);
    }
    markers
}

/// Walks back from token `ts` over titles, place nouns and punctuation to a governing word.
/// Reaching the previous mention (`prev_end`) gives `inherited` (apposition) or nothing.
fn governing_word(
    toks: &[Tok],
    hits: &[Hit],
    ts: usize,
    prev_end: usize,
    inherited: Option<Marker>,
) -> Marker {
    let mut j = ts;
    let mut steps = 0;
    while j > 0 && steps < 4 {
        j -= 1;
        steps += 1;
        if j < prev_end {
            return inherited.unwrap_or(Marker::None);
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
        if hits.iter().any(|h| j >= h.start && j < h.end) || RELATIVE_PRONOUNS.contains(ws) {
            break;
        }
        if ws == "بين" {
            return Marker::Between;
        }
        if ws == "الي" {
            return Marker::To;
        }
        if RECIP_WORDS.contains(ws) {
            return Marker::Recip;
        }
        if MODIFIER_WORDS.contains(ws) {
            return Marker::Modifier;
        }
        if PLACE_WORDS.contains(ws) {
            return Marker::Place;
        }
        if is_place_noun(w) {
            if ws.starts_with('ب') && !ws.starts_with("بال") || ws.starts_with("بال") {
                return Marker::Place;
            }
            continue;
        }
        if ws.starts_with("بال") || ws.starts_with("لل") {
            // The complement of a title (القائد العام للجيش الليبي المشير حفتر) is part of
            // the name's title phrase, not a preposition governing it.
            let title_before = (j.saturating_sub(2)..j).any(|k| {
                rased_kb::resolve::is_title(&toks[k].norm)
                    || rased_kb::resolve::is_title(strip_waw(&toks[k].norm))
            });
            if !title_before {
                return Marker::Recip;
            }
            continue;
        }
        if rased_kb::resolve::is_title(w) || rased_kb::resolve::is_title(ws) {
            continue;
        }
        // Any other word: a head noun (حكومة X، قوات النظام X) — keep walking a little.
        if steps >= 3 {
            break;
        }
    }
    Marker::None
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

/// The best-ranked candidate (people before organisations …), leftmost on ties.
fn pick_best(s: &Sent, cands: &[usize]) -> Option<usize> {
    cands
        .iter()
        .copied()
        .min_by_key(|&m| (rank(s.ments[m].kind), s.mtok[m].0))
}

pub(crate) struct Args {
    pub actor: Option<usize>,
    pub recipient: Option<usize>,
    pub place: Option<(String, Option<usize>)>,
}

/// The mentions around a trigger, sorted by the role they can play.
struct Zones {
    hi: usize,
    /// End of the trigger's argument span (the clause; for a noun, the next event).
    right: usize,
    /// Mentions after the trigger, before `right`.
    after: Vec<usize>,
    /// Mentions before the trigger, inside its clause.
    before: Vec<usize>,
    /// The mentions from بين on (not places).
    between: Vec<usize>,
    /// Index into `after` of the first recipient-marked mention.
    first_recip_pos: Option<usize>,
    /// Unmarked (or modifier) mentions after the trigger, before the first recipient.
    subject_zone: Vec<usize>,
    /// Unmarked mentions just before the trigger (SVO).
    svo: Vec<usize>,
    is_visit: bool,
}

impl Zones {
    fn new(s: &Sent, hi: usize) -> Zones {
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
        let mut z = Zones {
            hi,
            right,
            after,
            before,
            between: Vec::new(),
            first_recip_pos: None,
            subject_zone: Vec::new(),
            svo: Vec::new(),
            is_visit,
        };
        // بين X و Y
        z.between = z
            .after
            .iter()
            .copied()
            .skip_while(|&m| s.markers[m] != Marker::Between)
            .filter(|&m| !z.placey(s, m))
            .collect();
        z.first_recip_pos = z.after.iter().position(|&m| {
            matches!(s.markers[m], Marker::Recip | Marker::To | Marker::Between) && !z.placey(s, m)
        });
        z.subject_zone = z.after[..z.first_recip_pos.unwrap_or(z.after.len())]
            .iter()
            .copied()
            .filter(|&m| !z.placey(s, m) && matches!(s.markers[m], Marker::None | Marker::Modifier))
            .collect();
        z.svo = z
            .before
            .iter()
            .copied()
            .filter(|&m| s.markers[m] == Marker::None && h.start - s.mtok[m].1 <= 3)
            .collect();
        z
    }

    /// A mention that names the event's place rather than a participant.
    fn placey(&self, s: &Sent, m: usize) -> bool {
        let mk = s.markers[m];
        matches!(s.ments[m].kind, MKind::Loc | MKind::Np)
            && (mk == Marker::Place || (mk == Marker::To && self.is_visit))
            || (mk == Marker::Place && s.ments[m].kind != MKind::Per)
    }

    /// The nearest unmarked person before the trigger (a relative clause's antecedent),
    /// else the nearest unmarked mention.
    fn nearest_person_before(&self, s: &Sent) -> Option<usize> {
        let unmarked: Vec<usize> = self
            .before
            .iter()
            .copied()
            .filter(|&m| s.markers[m] == Marker::None && !self.placey(s, m))
            .collect();
        unmarked
            .iter()
            .rev()
            .copied()
            .find(|&m| s.ments[m].kind == MKind::Per)
            .or_else(|| unmarked.last().copied())
    }
}

/// The subject group: from the first unmarked mention (failing that, a modifier: وفد بقيادة
/// X) through its appositions.
fn group_from(s: &Sent, zone: &[usize], max_start: usize) -> Vec<usize> {
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
        // Two names side by side with nothing between are subject and object (VSO: انتقد
        // ترامب إيران), unless one is a nationality adjective (الرئيس الأمريكي دونالد ترامب).
        let prev = *group.last().expect("the group has its first mention");
        if gap == 0 && !is_nisba(&s.ments[prev].text) && !is_nisba(&s.ments[m].text) {
            break;
        }
        let only_apposition = (last_end..s.mtok[m].0).all(|j| {
            s.toks[j].kind == TokenKind::Punct
                || rased_kb::resolve::is_title(&s.toks[j].norm)
                || MODIFIER_WORDS.contains(strip_waw(&s.toks[j].norm))
        });
        if gap <= 4 && (only_apposition || s.markers[m] == Marker::Modifier) {
            group.push(m);
            last_end = s.mtok[m].1;
        } else {
            break;
        }
    }
    group
}

/// Actor, recipient and place of trigger `hi`. `prev_actor` is the actor of the previous
/// event of the sentence (coordinated verbs share it).
pub(crate) fn find_args(s: &Sent, hi: usize, prev_actor: Option<usize>) -> Args {
    let h = &s.hits[hi];
    let z = Zones::new(s, hi);
    let (mut actor, mut recipient) = match h.form {
        Form::Passive => (
            None,
            z.subject_zone
                .first()
                .copied()
                .or_else(|| z.svo.last().copied()),
        ),
        Form::Noun => noun_args(s, h, &z),
        Form::Phrase if is_nominal_phrase(s, h) => noun_args(
            s,
            &Hit {
                definite: true,
                ..h.clone()
            },
            &z,
        ),
        _ => verb_args(s, h, &z, prev_actor),
    };
    if let Some(r) = pronoun_recipient(s, h, &z, actor) {
        recipient = Some(r);
    }
    if recipient.is_none() {
        fallback_recipient(s, &z, &mut actor, &mut recipient);
    }
    if h.form == Form::Noun && actor.is_some() && recipient.is_none() {
        if let Some(b) = z.between.first().copied() {
            if Some(b) != actor {
                recipient = Some(b);
            }
        }
    }
    // A noun after its subject in a nominal clause is rare; it is left to co-reference.
    if is_agent_noun(&s.toks, h) {
        let n_m = s.ments.len();
        if let Some(m) = (0..n_m).find(|&m| s.mtok[m].0 <= h.start && s.mtok[m].1 > h.start) {
            actor = Some(m);
        }
    }
    if actor == recipient {
        recipient = None;
    }
    let place = find_place(s, &z, [actor, recipient]);
    Args {
        actor,
        recipient,
        place,
    }
}

/// Whether a phrase trigger opens with a definite verbal noun (`الإفراج عن`، `بالإفراج عن`;
/// the article is the mark that it is not a verb): its arguments are a noun's (the genitive,
/// the object of its preposition), not a verb's subject and object.
fn is_nominal_phrase(s: &Sent, h: &Hit) -> bool {
    has_article(&s.toks[h.start].norm)
}

/// Actor and recipient of a verbal noun: the subject of a light verb before it or after it
/// (هجوم شنّه مسلحون), the genitive, a coordinated second genitive, or the clause's subject
/// for a circumstantial noun.
fn noun_args(s: &Sent, h: &Hit, z: &Zones) -> (Option<usize>, Option<usize>) {
    let n_m = s.ments.len();
    let mut actor = None;
    let mut recipient = None;
    // Light verb before a noun: arguments between them count as the subject.
    let mut light_at = None;
    for j in (h.start.saturating_sub(7)..h.start).rev() {
        if let Some(w) = lookup(&s.toks[j].norm) {
            if LEXICON.rows[w.row].class == Class::Light {
                light_at = Some(j);
            }
        }
    }
    if let Some(l) = light_at {
        let between_lv: Vec<usize> = (0..n_m)
            .filter(|&m| s.mtok[m].0 > l && s.mtok[m].1 <= h.start && s.markers[m] == Marker::None)
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
            actor = (0..n_m)
                .find(|&m| s.mtok[m].0 > j && s.mtok[m].0 <= j + 2 && s.markers[m] == Marker::None);
        }
    }
    let group = group_from(s, &z.subject_zone, h.end + 1);
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
        recipient = z.subject_zone.iter().copied().find(|&m| {
            s.mtok[m].0 >= s.mtok[a].1
                && !group.contains(&m)
                && s.toks[s.mtok[m].0].norm.starts_with('و')
                && s.mtok[m].0 <= s.mtok[a].1 + 1
        });
    } else if !h.definite
        && h.start > 0
        && !NON_CIRCUMSTANTIAL_PREPS.contains(strip_waw(&s.toks[h.start - 1].norm))
    {
        // A circumstantial noun (متهما إياه) takes the clause's subject.
        actor = z.nearest_person_before(s);
    }
    (actor, recipient)
}

/// Actor and object of a verb: VSO, SVO, coordinated verbs sharing their subject, or a
/// relative clause's antecedent.
fn verb_args(
    s: &Sent,
    h: &Hit,
    z: &Zones,
    prev_actor: Option<usize>,
) -> (Option<usize>, Option<usize>) {
    let actor;
    let transitive_obj;
    let group = group_from(s, &z.subject_zone, usize::MAX);
    let right_after = group
        .first()
        .is_some_and(|&m| s.mtok[m].0 <= h.end + 1 && s.ments[m].kind != MKind::Loc);
    if h.waw && prev_actor.is_some() && !right_after {
        // Coordinated verbs share their subject: تدعم تركيا … وساعدت.
        actor = prev_actor;
        transitive_obj = group.first().copied().filter(|&m| s.mtok[m].0 <= h.end + 3);
    } else if !z.svo.is_empty() && (group.is_empty() || h.form == Form::Present || !right_after) {
        actor = pick_best(s, &z.svo);
        transitive_obj = group.first().copied().filter(|&m| s.mtok[m].0 <= h.end + 3);
    } else if !group.is_empty() {
        actor = pick_best(s, &group);
        transitive_obj = z
            .subject_zone
            .iter()
            .copied()
            .find(|m| !group.contains(m) && s.markers[*m] == Marker::None);
    } else {
        // Relative clause or distant subject: nearest person before.
        let nearest = z.nearest_person_before(s);
        actor = if nearest.is_none() && h.waw {
            prev_actor
        } else {
            nearest
        };
        transitive_obj = None;
    }
    (actor, transitive_obj)
}

/// A pronoun object (متهما إياه، دعاه) refers to the addressee named earlier.
fn pronoun_recipient(s: &Sent, h: &Hit, z: &Zones, actor: Option<usize>) -> Option<usize> {
    let pron_after = s.toks[h.end..z.right.min(s.toks.len())]
        .iter()
        .take(2)
        .any(|t| PRONOUN_OBJ.contains(&t.norm));
    if !(pron_after || (h.enclitic && h.form != Form::Noun)) {
        return None;
    }
    let antecedent = (0..s.ments.len())
        .filter(|&m| s.mtok[m].1 <= h.start && matches!(s.markers[m], Marker::To | Marker::Recip))
        .rfind(|&m| s.ments[m].kind != MKind::Loc || s.ments[m].entity.is_none());
    antecedent.filter(|_| antecedent != actor)
}

/// With no recipient yet: the first recipient-marked mention after the trigger (بين X وY gives
/// both parties when there is no actor).
fn fallback_recipient(
    s: &Sent,
    z: &Zones,
    actor: &mut Option<usize>,
    recipient: &mut Option<usize>,
) {
    let Some(p) = z.first_recip_pos else {
        return;
    };
    let m = z.after[p];
    if s.markers[m] == Marker::Between {
        if actor.is_none() {
            *actor = z.between.first().copied();
            *recipient = z.between.get(1).copied();
        } else {
            *recipient = z.between.first().copied();
        }
    } else if Some(m) != *actor {
        // Skip the rest of the apposition group of a nisba: بالقنصل التركي، سركان …
        let mut r = m;
        if s.ments[m].kind == MKind::Loc {
            if let Some(&next) = z.after.iter().find(|&&x| {
                s.mtok[x].0 > s.mtok[m].1
                    && s.mtok[x].0 <= s.mtok[m].1 + 2
                    && s.markers[x] == s.markers[m]
                    && s.ments[x].kind == MKind::Per
            }) {
                r = next;
            }
        }
        *recipient = Some(r);
    }
}

/// The place: a place-marked mention not used as an argument (for visits the destination
/// first, nationality adjectives last), else the word after بمنطقة/في مدينة ….
fn find_place(s: &Sent, z: &Zones, used: [Option<usize>; 2]) -> Option<(String, Option<usize>)> {
    let h = &s.hits[z.hi];
    let n_m = s.ments.len();
    let next_event = s
        .hits
        .iter()
        .skip(z.hi + 1)
        .find(|x| LEXICON.rows[x.row].class == Class::Event && x.start >= h.end)
        .map(|x| x.start)
        .unwrap_or(s.toks.len());
    let mut order: Vec<usize> = (0..n_m)
        .filter(|&m| s.mtok[m].0 >= h.end && s.mtok[m].0 < next_event)
        .chain(z.before.iter().rev().copied())
        .collect();
    if z.is_visit {
        order.sort_by_key(|&m| s.markers[m] != Marker::To);
    }
    order.sort_by_key(|&m| is_nisba(&s.ments[m].text));
    for m in order {
        if used.contains(&Some(m)) {
            continue;
        }
        if z.placey(s, m) && s.ments[m].kind != MKind::Np {
            return Some((s.ments[m].text.clone(), Some(m)));
        }
    }
    // بمنطقة X / في منطقة X / في مدينة X with no entity for X.
    for j in h.end..next_event.min(s.toks.len()).saturating_sub(1) {
        let w = s.toks[j].norm.as_str();
        let ws = strip_waw(w);
        let lead = ws.starts_with('ب') && is_place_noun(ws) && !ws.starts_with("بال")
            || (j > 0 && s.toks[j - 1].norm == "في" && is_place_noun(ws) && !ws.starts_with("ال"));
        if lead && PLACE_HEADS.contains(ws.trim_start_matches('ب')) {
            let k = j + 1;
            if is_word(s.toks[k].kind) && !FUNCTION_WORDS.contains(&s.toks[k].norm) {
                let mi = (0..n_m).find(|&m| s.mtok[m].0 == k);
                return Some((s.toks[k].orig.clone(), mi));
            }
        }
    }
    None
}

//! Entity resolution: mentions (from the tagger and the gazetteer) → one entity per real
//! person, organisation or place, linked to the KB where possible.
//!
//! Within an article, in text order:
//! 1. a mention whose name tokens equal (by name key) those of an entity's name joins it
//!    (إبراهيم قالين / إبراهيم كالين);
//! 2. a longer name joins an entity whose name it extends with the same first and last token
//!    (صدام حفتر ⊂ صدام خليفة حفتر), but never one with a different first token
//!    (خليفة حفتر ≠ صدام حفتر);
//! 3. a one-word mention (حفتر، قالين) joins the entity whose last name it is; if several
//!    entities share it, the one introduced first (the article's protagonist);
//! 4. an abbreviation defined in the text, `قوات سوريا الديمقراطية (قسد)`, joins its long form.
//!
//! Then each entity is linked to the KB by any of its names (exact alias key, then name key),
//! keeping only candidates of a compatible type; among several, the one whose country the
//! article mentions most, then the most populous. A wrong merge is worse than a missed one:
//! every rule above needs the name keys to agree, and ambiguous cases stay apart.

use std::collections::HashMap;
use std::sync::LazyLock;

use rased_model::{Entity, Mention};
use rased_text::namekey::name_key;
use rased_text::normalize::{normalize_str, Level};
use rustc_hash::FxHashSet;

use crate::coref::is_word_char;
use crate::gazetteer::{GazetteerMatch, MatchKind};
use crate::{alias_key, KnowledgeBase};

/// A mention proposed by a recognizer, as byte offsets into the text.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub start: usize,
    pub end: usize,
    /// `PER`, `ORG`, `LOC` or `MISC`.
    pub kind: String,
    pub confidence: f32,
}

static TITLES: LazyLock<rustc_hash::FxHashSet<String>> = LazyLock::new(|| {
    include_str!("../../../data/kb/titles.txt")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(alias_key)
        .collect()
});

/// Is `word` a title or role noun (الرئيس، اللواء)? Titles are evidence, not names.
pub fn is_title(word: &str) -> bool {
    TITLES.contains(&alias_key(word))
}

#[derive(Debug)]
struct Cluster {
    kind: String,
    /// Name-key tokens of the longest name seen.
    tokens: Vec<String>,
    names: Vec<String>,
    mentions: Vec<(usize, usize)>,
    /// Mentions added by coreference, with how they were linked.
    linked: Vec<(usize, usize, &'static str)>,
    kb: Option<usize>,
    /// A gazetteer match told us the KB entries directly.
    kb_candidates: Vec<usize>,
    first_seen: usize,
}

/// Resolves the mentions of `text` into entities with code-point offsets.
pub fn resolve(
    text: &str,
    tagged: &[Candidate],
    gazetteer: &[GazetteerMatch],
    kb: &KnowledgeBase,
) -> Vec<Entity> {
    resolve_at(text, tagged, gazetteer, kb, None)
}

/// [`resolve`] for an article of `date` (`YYYY-MM-DD`): a role phrase naming nobody of the
/// article (`رئيس جهاز المخابرات التركي`) is linked to the one person the KB gives that role
/// on that day.
pub fn resolve_at(
    text: &str,
    tagged: &[Candidate],
    gazetteer: &[GazetteerMatch],
    kb: &KnowledgeBase,
    date: Option<&str>,
) -> Vec<Entity> {
    let mentions = merge_mentions(text, tagged, gazetteer, kb);
    let nisba_at: FxHashSet<usize> = mentions
        .iter()
        .filter(|m| m.nisba)
        .map(|m| m.start)
        .collect();
    let mut clusters: Vec<Cluster> = Vec::new();
    let mut index = ClusterIndex::default();
    for m in &mentions {
        let name = &text[m.start..m.end];
        let tokens = name_tokens(name);
        if tokens.is_empty() {
            continue;
        }
        let target = find_cluster(&clusters, &index, &m.kind, &tokens, &m.kb_candidates);
        match target {
            Some(i) => {
                let c = &mut clusters[i];
                if tokens.len() > c.tokens.len() {
                    c.tokens = tokens;
                    index.add_tokens(i, &c.tokens);
                }
                if !c.names.iter().any(|n| n == name) {
                    c.names.push(name.to_string());
                }
                c.mentions.push((m.start, m.end));
                for k in &m.kb_candidates {
                    if !c.kb_candidates.contains(k) {
                        c.kb_candidates.push(*k);
                    }
                }
                if c.kb_candidates.len() == 1 {
                    index.add_kb(i, c.kb_candidates[0]);
                }
            }
            None => {
                let i = clusters.len();
                index.add_tokens(i, &tokens);
                if m.kb_candidates.len() == 1 {
                    index.add_kb(i, m.kb_candidates[0]);
                }
                clusters.push(Cluster {
                    kind: m.kind.clone(),
                    tokens,
                    names: vec![name.to_string()],
                    mentions: vec![(m.start, m.end)],
                    linked: Vec::new(),
                    kb: None,
                    kb_candidates: m.kb_candidates.clone(),
                    first_seen: m.start,
                })
            }
        }
    }
    fold_early_surnames(&mut clusters);
    attach_abbreviations(text, &mut clusters);
    link_to_kb(&mut clusters, kb);
    add_repeats(text, &mut clusters, &nisba_at);
    add_coreferences(text, &mut clusters, kb, date);
    to_entities(text, clusters, kb, &nisba_at)
}

/// Other occurrences of the organisation, place and other names the article recognized
/// ([`crate::repeats`]); country adjectives (`nisba_at`) are references, not names, and do
/// not spread.
fn add_repeats(text: &str, clusters: &mut [Cluster], nisba_at: &FxHashSet<usize>) {
    let mut names: Vec<crate::repeats::Name> = Vec::new();
    for (i, c) in clusters.iter().enumerate() {
        if c.kind == "PER" {
            continue;
        }
        let mut seen: Vec<Vec<String>> = Vec::new();
        for &(s, e) in &c.mentions {
            if nisba_at.contains(&s) {
                continue;
            }
            let words: Vec<String> = text[s..e]
                .split(|ch: char| !is_word_char(ch))
                .filter(|w| !w.is_empty())
                .map(|w| normalize_str(w, Level::Match))
                .collect();
            if !words.is_empty() && !seen.contains(&words) {
                seen.push(words.clone());
                names.push(crate::repeats::Name {
                    cluster: i,
                    words,
                    mentions: c.mentions.len(),
                });
            }
        }
    }
    if names.is_empty() {
        return;
    }
    let mut taken: Vec<(usize, usize)> = clusters
        .iter()
        .flat_map(|c| c.mentions.iter().copied())
        .collect();
    taken.sort_unstable();
    for (c, s, e) in crate::repeats::repeats(text, &names, &taken) {
        clusters[c].mentions.push((s, e));
    }
}

/// Later references to people already named (a surname alone, a title, a role, a nominal),
/// found by [`crate::coref::corefer`]; with the article's date, a role phrase naming nobody
/// of the article goes to the one person the KB gives that role that day (`link: role`). A
/// place adjective or organisation inside one (الليبي in الجنرال الليبي) stops being a
/// mention of its own: mentions never overlap.
fn add_coreferences(
    text: &str,
    clusters: &mut Vec<Cluster>,
    kb: &KnowledgeBase,
    date: Option<&str>,
) {
    let (mut links, unnamed) = {
        let targets: Vec<crate::coref::Target<'_>> = clusters
            .iter()
            .map(|c| crate::coref::Target {
                kind: &c.kind,
                tokens: &c.tokens,
                mentions: &c.mentions,
                kb: c.kb.map(|i| &kb.entities()[i]),
            })
            .collect();
        crate::coref::corefer_all(text, &targets, kb)
    };
    if let Some(date) = date {
        links.extend(role_holder_links(&unnamed, clusters, kb, date));
        links.sort_by_key(|l| l.start);
    }
    if links.is_empty() {
        return;
    }
    let inside = |s: usize, e: usize| -> bool {
        let i = links.partition_point(|l| l.start <= s);
        i > 0 && links[i - 1].end >= e
    };
    for c in clusters.iter_mut() {
        if c.kind != "PER" {
            c.mentions.retain(|&(s, e)| !inside(s, e));
        }
    }
    for l in links {
        clusters[l.target].linked.push((l.start, l.end, l.how));
    }
}

/// Links for role phrases naming nobody of the article: to the one person the KB gives the
/// role in that country on `date` (none when it gives several or nobody), through that
/// person's cluster, a new one if the article never names them. Bounded: one indexed KB
/// lookup per phrase.
fn role_holder_links(
    unnamed: &[crate::coref::UnnamedRole],
    clusters: &mut Vec<Cluster>,
    kb: &KnowledgeBase,
    date: &str,
) -> Vec<crate::coref::Link> {
    let mut links = Vec::new();
    for r in unnamed {
        let mut holders: Vec<usize> = r
            .kinds
            .iter()
            .flat_map(|k| kb.role_holders(&format!("{}{k}", r.country), date))
            .collect();
        holders.sort_unstable();
        holders.dedup();
        let [person] = holders[..] else { continue };
        let target = match clusters.iter().position(|c| c.kb == Some(person)) {
            Some(t) => t,
            None => {
                clusters.push(Cluster {
                    kind: "PER".to_string(),
                    tokens: name_tokens(&kb.entities()[person].name),
                    names: Vec::new(),
                    mentions: Vec::new(),
                    linked: Vec::new(),
                    kb: Some(person),
                    kb_candidates: vec![person],
                    first_seen: r.start,
                });
                clusters.len() - 1
            }
        };
        links.push(crate::coref::Link {
            target,
            start: r.start,
            end: r.end,
            how: "role",
        });
    }
    links
}

#[derive(Debug, Clone)]
struct Merged {
    start: usize,
    end: usize,
    kind: String,
    kb_candidates: Vec<usize>,
    /// A country adjective (السعودي، التركية): a reference to the country, not its name.
    nisba: bool,
}

/// Combines tagger spans and gazetteer matches: overlapping spans keep the longer one (the
/// tagger's type wins for the same span, the gazetteer's KB candidates are kept); titles are
/// trimmed off the front; weak gazetteer aliases count only where the tagger agrees.
fn merge_mentions(
    text: &str,
    tagged: &[Candidate],
    gazetteer: &[GazetteerMatch],
    kb: &KnowledgeBase,
) -> Vec<Merged> {
    let mut all: Vec<Merged> = Vec::new();
    for c in tagged {
        if let Some((s, e)) = trim_span(text, c.start, c.end, &c.kind) {
            all.push(Merged {
                start: s,
                end: e,
                kind: c.kind.clone(),
                kb_candidates: vec![],
                nisba: false,
            });
        }
    }
    // Tagger spans come sorted and disjoint, gazetteer matches too (leftmost-longest). Then a
    // match can overlap only the tagger spans whose original extent overlaps it: a tagger span
    // an earlier match replaced now has that match's extent, disjoint from this one, and the
    // matches pushed before it are disjoint from it. So each match looks at a window found by
    // binary search instead of at every mention: linear, where the plain scan was quadratic
    // (300,000 names on one page took minutes). Spans out of order take the plain scan.
    let tagged_spans: Vec<(usize, usize)> = all.iter().map(|m| (m.start, m.end)).collect();
    let ordered = tagged_spans.windows(2).all(|w| w[0].1 <= w[1].0)
        && gazetteer.windows(2).all(|w| w[0].end <= w[1].start);
    for g in gazetteer {
        let strong: Vec<usize> = g
            .candidates
            .iter()
            .filter(|(_, k)| *k != MatchKind::Weak)
            .map(|&(i, _)| i)
            .collect();
        let weak_only = strong.is_empty();
        // The elements of `all` that overlap the match: every one of them when the spans are
        // not in order, else only the run of tagger spans around it (see `overlap_window`).
        let window = if ordered {
            overlap_window(&tagged_spans, g.start, g.end)
        } else {
            0..all.len()
        };
        let overlaps_tagged = all[window.clone()]
            .iter()
            .any(|m| m.start < g.end && g.start < m.end);
        if weak_only && !overlaps_tagged {
            continue;
        }
        let ids: Vec<usize> = if weak_only {
            g.candidates.iter().map(|&(i, _)| i).collect()
        } else {
            strong
        };
        let nisba = g.candidates.iter().all(|(_, k)| *k == MatchKind::Nisba);
        // بالفرنسية، اللغة الإنجليزية: a language, not the country.
        if nisba && names_language(text, g.start) {
            continue;
        }
        let kind = if nisba {
            "LOC".to_string()
        } else {
            kb.entities()[ids[0]].kind.clone()
        };
        // A tagger span that covers the same text or less gives way to the gazetteer match
        // (which knows the KB entry); a longer tagger span (a full name around a place) stays.
        let mut absorbed = false;
        for m in all[window].iter_mut() {
            if m.start < g.end && g.start < m.end {
                if m.start >= g.start && m.end <= g.end {
                    if m.start == g.start && m.end == g.end && !nisba {
                        // Same span: the tagger's type stands unless the KB disagrees in kind.
                        m.kb_candidates = ids.clone();
                    } else {
                        *m = Merged {
                            start: g.start,
                            end: g.end,
                            kind: kind.clone(),
                            kb_candidates: ids.clone(),
                            nisba,
                        };
                    }
                    absorbed = true;
                } else {
                    absorbed = true; // a longer tagged name contains the match
                }
            }
        }
        if !absorbed {
            all.push(Merged {
                start: g.start,
                end: g.end,
                kind,
                kb_candidates: ids,
                nisba,
            });
        }
    }
    all.sort_by_key(|m| (m.start, std::cmp::Reverse(m.end)));
    let mut out: Vec<Merged> = Vec::with_capacity(all.len());
    for m in all {
        if out.last().is_some_and(|l: &Merged| m.start < l.end) {
            continue;
        }
        out.push(m);
    }
    out
}

/// The indexes of the sorted, disjoint `spans` that overlap `start..end`.
fn overlap_window(spans: &[(usize, usize)], start: usize, end: usize) -> std::ops::Range<usize> {
    let first = spans.partition_point(|&(_, e)| e <= start);
    let last = first + spans[first..].partition_point(|&(s, _)| s < end);
    first..last
}

/// Words after which a feminine country adjective names a language (`اللغة الفرنسية`,
/// `يتحدث الإنجليزية`), match-normalized, from `data/kb/language_cues.txt`.
static LANGUAGE_CUES: LazyLock<FxHashSet<String>> = LazyLock::new(|| {
    include_str!("../../../data/kb/language_cues.txt")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| normalize_str(l, Level::Match))
        .collect()
});

/// Does the country adjective at byte `start` name a language: with ب glued before it
/// (بالفرنسية، وبالعربية), after a language word (اللغة الفرنسية، يتحدث الإنجليزية), or
/// coordinated with such a language (بالعربية والفرنسية)? Only feminine forms (…ية) do.
fn names_language(text: &str, start: usize) -> bool {
    let word_start = text[..start]
        .rfind(|c: char| !is_word_char(c))
        .map_or(0, |i| {
            i + text[i..].chars().next().map_or(1, char::len_utf8)
        });
    let word_end = text[start..]
        .find(|c: char| !is_word_char(c))
        .map_or(text.len(), |i| start + i);
    if !normalize_str(&text[start..word_end], Level::Match).ends_with("ية") {
        return false;
    }
    let glued = &text[word_start..start];
    let mut before = text[..word_start].rsplit(|c: char| !is_word_char(c));
    let mut previous = || {
        before
            .find(|w| !w.is_empty())
            .map(|w| normalize_str(w, Level::Match))
            .unwrap_or_default()
    };
    let (p1, p2) = (previous(), previous());
    let language = |w: &str, cue: &str| {
        w.ends_with("ية")
            && (w.starts_with("بال") || w.starts_with("وبال") || LANGUAGE_CUES.contains(cue))
    };
    glued.ends_with('ب')
        || LANGUAGE_CUES.contains(p1.as_str())
        || (glued.ends_with('و') && language(&p1, &p2))
}

/// Drops leading titles (الرئيس، اللواء), proclitics glued to the first word (بسوريا،
/// وباراك — the segmenter keeps names like بنغازي whole) and trailing punctuation.
fn trim_span(text: &str, mut start: usize, end: usize, kind: &str) -> Option<(usize, usize)> {
    let end = start
        + text[start..end]
            .trim_end_matches(|c: char| !c.is_alphanumeric())
            .len();
    if start >= end {
        return None;
    }
    let first_len = text[start..end]
        .find(char::is_whitespace)
        .unwrap_or(end - start);
    let first = &text[start..start + first_len];
    let cut: usize = if rased_text::segment::may_start_with_particle(first) {
        rased_text::segment::segment(first)
            .proclitics
            .iter()
            .take_while(|p| !matches!(**p, "ال" | "لل"))
            .map(|p| p.len())
            .sum()
    } else {
        0
    };
    if cut > 0 && first[cut..].chars().count() >= 3 {
        start += cut;
    }
    if kind == "PER" {
        loop {
            let rest = &text[start..end];
            let first = rest.split_whitespace().next()?;
            if is_title(first) && rest.len() > first.len() {
                let skip = rest.find(first).unwrap_or(0) + first.len();
                start += skip + (rest[skip..].len() - rest[skip..].trim_start().len());
            } else {
                break;
            }
        }
    }
    (start < end).then_some((start, end))
}

/// Name-key tokens of a name, with the particles عبد/أبو glued to the next word
/// (عبد الحميد and عبدالحميد give the same tokens).
pub fn name_tokens(name: &str) -> Vec<String> {
    let words: Vec<&str> = name.split_whitespace().collect();
    let mut out = Vec::with_capacity(words.len());
    let mut i = 0;
    while i < words.len() {
        let key = alias_key(words[i]);
        if matches!(key.as_str(), "عبد" | "ابو" | "ابي" | "ابن" | "بو") && i + 1 < words.len()
        {
            out.push(name_key(&format!("{}{}", words[i], words[i + 1])));
            i += 2;
        } else {
            out.push(name_key(words[i]));
            i += 1;
        }
    }
    out.retain(|t| !t.is_empty());
    out
}

/// Where clusters are found by their tokens and KB entry, so that each mention looks at the
/// few clusters that can take it, not all of them. Lists hold cluster indexes in ascending
/// order; an entry may be stale (the cluster's tokens grew), so every hit is checked again.
#[derive(Default)]
struct ClusterIndex {
    by_kb: HashMap<usize, Vec<usize>>,
    by_tokens: HashMap<Vec<String>, Vec<usize>>,
    by_last: HashMap<String, Vec<usize>>,
}

impl ClusterIndex {
    fn add_tokens(&mut self, i: usize, tokens: &[String]) {
        let list = self.by_tokens.entry(tokens.to_vec()).or_default();
        if list.last() != Some(&i) {
            list.push(i);
        }
        if let Some(last) = tokens.last() {
            let list = self.by_last.entry(last.clone()).or_default();
            if list.last() != Some(&i) {
                list.push(i);
            }
        }
    }

    fn add_kb(&mut self, i: usize, kb: usize) {
        let list = self.by_kb.entry(kb).or_default();
        if !list.contains(&i) {
            list.push(i);
            list.sort_unstable();
        }
    }
}

/// The cluster a mention joins, by the rules in the module docs.
fn find_cluster(
    clusters: &[Cluster],
    index: &ClusterIndex,
    kind: &str,
    tokens: &[String],
    kb_candidates: &[usize],
) -> Option<usize> {
    let compatible = |c: &Cluster| c.kind == kind || (kind == "MISC" || c.kind == "MISC");
    // Same KB entity proposed by the gazetteer.
    if kb_candidates.len() == 1 {
        if let Some(&i) = index.by_kb.get(&kb_candidates[0]).and_then(|l| {
            l.iter()
                .find(|&&i| clusters[i].kb_candidates == kb_candidates)
        }) {
            return Some(i);
        }
    }
    // Rule 1: same tokens.
    if let Some(i) = index.by_tokens.get(tokens).and_then(|l| {
        l.iter()
            .copied()
            .filter(|&i| compatible(&clusters[i]) && clusters[i].tokens == tokens)
            .min()
    }) {
        return Some(i);
    }
    if kind != "PER" && kind != "MISC" {
        return None;
    }
    let same_last = index
        .by_last
        .get(tokens.last()?)
        .map(Vec::as_slice)
        .unwrap_or_default();
    if tokens.len() == 1 {
        // Rule 3: a last name alone, the earliest entity that carries it.
        return same_last
            .iter()
            .copied()
            .filter(|&i| clusters[i].kind == "PER" && clusters[i].tokens.len() > 1)
            .filter(|&i| clusters[i].tokens.last() == tokens.last())
            .min_by_key(|&i| (clusters[i].first_seen, i));
    }
    // Rule 2: one name extends the other with the same first and last tokens.
    let mut hits = same_last.iter().copied().filter(|&i| {
        let c = &clusters[i];
        c.kind == "PER"
            && c.tokens.len() > 1
            && c.tokens.first() == tokens.first()
            && c.tokens.last() == tokens.last()
            && (is_subsequence(&c.tokens, tokens) || is_subsequence(tokens, &c.tokens))
    });
    let first = hits.next()?;
    Some(hits.fold(first, usize::min))
}

fn is_subsequence(short: &[String], long: &[String]) -> bool {
    let mut it = long.iter();
    short.iter().all(|s| it.any(|l| l == s))
}

/// A bare surname used before the full name (a headline's حفتر before the body's خليفة حفتر)
/// started a cluster of its own: fold it into the first full name that ends with it.
fn fold_early_surnames(clusters: &mut Vec<Cluster>) {
    // Last token → the earliest-introduced full name that ends with it.
    let mut full_by_last: HashMap<&str, usize> = HashMap::new();
    for (j, o) in clusters.iter().enumerate() {
        if o.kind != "PER" || o.tokens.len() < 2 {
            continue;
        }
        let last = o.tokens.last().map(String::as_str).unwrap_or_default();
        let best = full_by_last.entry(last).or_insert(j);
        if (o.first_seen, j) < (clusters[*best].first_seen, *best) {
            *best = j;
        }
    }
    let moves: Vec<(usize, usize)> = clusters
        .iter()
        .enumerate()
        .filter(|(_, c)| c.kind == "PER" && c.tokens.len() == 1)
        .filter_map(|(i, c)| full_by_last.get(c.tokens[0].as_str()).map(|&j| (i, j)))
        .collect();
    if moves.is_empty() {
        return;
    }
    let mut taken: Vec<Option<Cluster>> = clusters.drain(..).map(Some).collect();
    for &(i, j) in &moves {
        let short = taken[i].take().expect("each short cluster moves once");
        let full = taken[j].as_mut().expect("full names stay");
        full.mentions.extend(short.mentions);
        for n in short.names {
            if !full.names.contains(&n) {
                full.names.push(n);
            }
        }
        full.first_seen = full.first_seen.min(short.first_seen);
    }
    clusters.extend(taken.into_iter().flatten());
}

/// `قوات سوريا الديمقراطية (قسد)`: a one-word parenthesis right after an entity's mention is
/// its abbreviation. Every whole-word use of it in the text becomes a mention of that entity,
/// and an entity already built from the abbreviation alone is folded in.
fn attach_abbreviations(text: &str, clusters: &mut Vec<Cluster>) {
    let mut i = 0;
    while i < clusters.len() {
        let abbreviations: Vec<String> = clusters[i]
            .mentions
            .iter()
            .filter_map(|&(_, end)| abbreviation_after(text, end))
            .collect();
        for abbr in abbreviations {
            let key = vec![name_key(&abbr)];
            if let Some(j) = (0..clusters.len()).find(|&j| j != i && clusters[j].tokens == key) {
                let other = clusters.remove(j);
                if j < i {
                    i -= 1;
                }
                let c = &mut clusters[i];
                c.mentions.extend(other.mentions);
                c.names.extend(other.names);
                c.kb_candidates.extend(other.kb_candidates);
            }
            for (s, e) in whole_word_occurrences(text, &abbr) {
                let taken = clusters
                    .iter()
                    .any(|c| c.mentions.iter().any(|&(ms, me)| ms < e && s < me));
                if !taken {
                    clusters[i].mentions.push((s, e));
                }
            }
            if !clusters[i].names.contains(&abbr) {
                clusters[i].names.push(abbr);
            }
        }
        i += 1;
    }
}

/// The abbreviation in `(…)` right after byte `end`, if it is one short word. Not in a
/// dateline, `أتلانتا، الولايات المتحدة (CNN) --`, where the parenthesis names the outlet.
fn abbreviation_after(text: &str, end: usize) -> Option<String> {
    let inner = text[end..].trim_start().strip_prefix('(')?;
    let close = inner.find(')')?;
    let abbr = inner[..close].trim();
    let dateline = inner[close + 1..]
        .trim_start_matches([' ', '\u{a0}'])
        .starts_with(['-', '–', '—', ':']);
    let ok = !dateline
        && !abbr.is_empty()
        && !abbr.contains(char::is_whitespace)
        && abbr.chars().count() <= 12
        && abbr.chars().all(char::is_alphabetic);
    ok.then(|| abbr.to_string())
}

/// Byte ranges where `word` occurs in `text` as a whole word (a proclitic و/ب/ل/ف may be glued
/// before it: وقسد).
fn whole_word_occurrences(text: &str, word: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for (s, _) in text.match_indices(word) {
        let e = s + word.len();
        let after_ok = !text[e..].chars().next().is_some_and(char::is_alphanumeric);
        let before = &text[..s];
        let glued: String = before
            .chars()
            .rev()
            .take_while(|c| c.is_alphanumeric())
            .collect();
        let before_ok = glued.is_empty()
            || (glued.chars().count() <= 2 && glued.chars().all(|c| "وبلفك".contains(c)));
        if after_ok && before_ok {
            out.push((s, e));
        }
    }
    out
}

fn link_to_kb(clusters: &mut [Cluster], kb: &KnowledgeBase) {
    // Countries the article mentions, for choosing among same-named places or people.
    let mut country_votes: HashMap<String, usize> = HashMap::new();
    for c in clusters.iter() {
        for &k in &c.kb_candidates {
            if let Some(country) = &kb.entities()[k].country {
                *country_votes.entry(country.clone()).or_default() += c.mentions.len();
            }
        }
    }
    for c in clusters.iter_mut() {
        let mut candidates: Vec<usize> = c.kb_candidates.clone();
        if candidates.is_empty() {
            for name in &c.names {
                for e in kb.lookup(name) {
                    if let Some(i) = kb.index_of(&e.id) {
                        if !candidates.contains(&i) {
                            candidates.push(i);
                        }
                    }
                }
            }
        }
        candidates.retain(|&i| {
            let k = &kb.entities()[i].kind;
            *k == c.kind || c.kind == "MISC"
        });
        c.kb = candidates.into_iter().max_by_key(|&i| {
            let e = &kb.entities()[i];
            let votes = e
                .country
                .as_ref()
                .and_then(|cc| country_votes.get(cc))
                .copied()
                .unwrap_or(0);
            (votes, e.population.unwrap_or(0), std::cmp::Reverse(i))
        });
    }
}

/// The entities of the clusters, mentions in code points; a mention starting at a byte of
/// `nisba_at` is a country adjective and says so (`link: nisba`).
fn to_entities(
    text: &str,
    clusters: Vec<Cluster>,
    kb: &KnowledgeBase,
    nisba_at: &FxHashSet<usize>,
) -> Vec<Entity> {
    // Byte → char offsets for every mention boundary, in one pass.
    let mut bounds: Vec<usize> = clusters
        .iter()
        .flat_map(|c| {
            c.mentions
                .iter()
                .flat_map(|&(s, e)| [s, e])
                .chain(c.linked.iter().flat_map(|&(s, e, _)| [s, e]))
        })
        .collect();
    bounds.sort_unstable();
    bounds.dedup();
    let mut char_of: HashMap<usize, usize> = HashMap::with_capacity(bounds.len());
    let (mut byte, mut chars) = (0, 0);
    for b in bounds {
        chars += text[byte..b].chars().count();
        byte = b;
        char_of.insert(b, chars);
    }
    let mut merged: Vec<Entity> = Vec::new();
    let mut by_id: HashMap<String, usize> = HashMap::new();
    for c in clusters {
        if c.mentions.is_empty() && c.linked.is_empty() {
            continue;
        }
        let kb_entity = c.kb.map(|i| &kb.entities()[i]);
        let longest = c
            .names
            .iter()
            .max_by_key(|n| n.chars().count())
            .cloned()
            .unwrap_or_default();
        let id = match kb_entity {
            Some(e) => e.id.clone(),
            None => format!("new:{}:{}", c.kind, c.tokens.join("_")),
        };
        let name = kb_entity.map_or(longest, |e| e.name.clone());
        let mut mentions: Vec<Mention> = c
            .mentions
            .iter()
            .map(|&(s, e)| (s, e, nisba_at.contains(&s).then_some("nisba")))
            .chain(c.linked.iter().map(|&(s, e, how)| (s, e, Some(how))))
            .map(|(s, e, how)| Mention {
                text: text[s..e].to_string(),
                start: char_of[&s],
                end: char_of[&e],
                link: how.map(str::to_string),
            })
            .collect();
        mentions.sort_by_key(|m| m.start);
        let aliases: Vec<String> = c.names.into_iter().filter(|n| *n != name).collect();
        // Two clusters linked to the same KB entity are one entity.
        if let Some(existing) = by_id.get(&id).map(|&i| &mut merged[i]) {
            existing.mentions.extend(mentions);
            existing.mentions.sort_by_key(|m| m.start);
            for a in aliases {
                if !existing.aliases.contains(&a) && a != existing.name {
                    existing.aliases.push(a);
                }
            }
            continue;
        }
        by_id.insert(id.clone(), merged.len());
        merged.push(Entity {
            id,
            kind: kb_entity.map_or(c.kind, |e| e.kind.clone()),
            name,
            aliases,
            mentions,
        });
    }
    merged.sort_by_key(|e| e.mentions.first().map_or(0, |m| m.start));
    merged
}

#[cfg(test)]
mod tests {
    use super::overlap_window;

    /// The window holds exactly the spans a plain scan finds overlapping, for every query
    /// over sorted disjoint spans with gaps, touching ends and empty queries.
    #[test]
    fn overlap_window_is_the_plain_scan() {
        let spans = [(0, 2), (2, 5), (7, 8), (10, 14), (14, 15), (20, 30)];
        for start in 0..32 {
            for end in start..33 {
                let plain: Vec<usize> = (0..spans.len())
                    .filter(|&i| spans[i].0 < end && start < spans[i].1)
                    .collect();
                let window = overlap_window(&spans, start, end);
                let found: Vec<usize> = window
                    .clone()
                    .filter(|&i| spans[i].0 < end && start < spans[i].1)
                    .collect();
                assert_eq!(found, plain, "{start}..{end}");
                if start < end {
                    assert_eq!(window.collect::<Vec<_>>(), plain, "{start}..{end}");
                }
            }
        }
        assert_eq!(overlap_window(&[], 3, 9), 0..0);
    }
}

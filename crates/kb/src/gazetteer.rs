//! Gazetteer matching: every KB name found in a text, leftmost-longest, clitic-aware.
//!
//! The text is normalized at the search level (no tashkeel, folded alif/yeh/ة, ASCII digits)
//! with an offset map; a double-array Aho-Corasick automaton (daachorse) holds the normalized
//! names. A hit counts only on word boundaries, where the left boundary may be a run of
//! proclitics glued to the name (بطرابلس، ولليبيا، وللدبيبة: ل + ال merge to لل). Overlapping
//! hits are resolved leftmost-longest. Offsets point into the original text.

use daachorse::{CharwiseDoubleArrayAhoCorasick, CharwiseDoubleArrayAhoCorasickBuilder};
use rased_text::clitics::proclitic_run;
use rased_text::normalize::{normalize, Level, Normalized};

use crate::{alias_key, KbError, KnowledgeBase};

/// How a name points at its entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MatchKind {
    /// The canonical name or a strong alias.
    Name,
    /// An ambiguous alias: evidence only when something else (the tagger) agrees.
    Weak,
    /// A nationality adjective pointing at a country (التركية → Turkey).
    Nisba,
}

/// A name found in text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GazetteerMatch {
    /// Byte range in the original text (the name, without its proclitics).
    pub start: usize,
    pub end: usize,
    /// Code-point range in the original text.
    pub char_start: usize,
    pub char_end: usize,
    /// Candidate entities (KB indexes into [`KnowledgeBase::entities`]) with how each matched.
    pub candidates: Vec<(usize, MatchKind)>,
}

struct Pattern {
    candidates: Vec<(usize, MatchKind)>,
    /// The pattern is an ال-name written with the alif swallowed by a preceding ل (للدبيبه);
    /// it matches only right after that ل.
    lam_merged: bool,
}

/// An automaton over the names of a KB.
pub struct Gazetteer {
    automaton: CharwiseDoubleArrayAhoCorasick<u32>,
    patterns: Vec<Pattern>,
}

impl Gazetteer {
    /// Builds the automaton over every name, alias and nisba of `kb`.
    pub fn new(kb: &KnowledgeBase) -> Result<Self, KbError> {
        let mut index: std::collections::HashMap<(String, bool), usize> =
            std::collections::HashMap::new();
        let mut patterns: Vec<Pattern> = Vec::new();
        let mut keys: Vec<String> = Vec::new();
        let mut add = |key: String, lam_merged: bool, entity: usize, kind: MatchKind| {
            if key.chars().count() < 2 {
                return;
            }
            let slot = *index.entry((key.clone(), lam_merged)).or_insert_with(|| {
                patterns.push(Pattern {
                    candidates: Vec::new(),
                    lam_merged,
                });
                keys.push(key);
                patterns.len() - 1
            });
            let candidates = &mut patterns[slot].candidates;
            if !candidates.iter().any(|&(e, _)| e == entity) {
                candidates.push((entity, kind));
            }
        };
        for (i, e) in kb.entities().iter().enumerate() {
            // A canonical name that the builder judged ambiguous (a town called كان) is
            // listed among the weak aliases too: it stays weak.
            let names = std::iter::once(&e.name)
                .filter(|n| !e.weak_aliases.contains(n))
                .chain(&e.aliases)
                .map(|n| (n, MatchKind::Name))
                .chain(e.weak_aliases.iter().map(|n| (n, MatchKind::Weak)))
                .chain(e.nisba.iter().map(|n| (n, MatchKind::Nisba)));
            for (name, kind) in names {
                let key = alias_key(name);
                if let Some(rest) = key.strip_prefix("ال") {
                    add(format!("ل{rest}"), true, i, kind);
                }
                add(key, false, i, kind);
            }
        }
        let automaton = CharwiseDoubleArrayAhoCorasickBuilder::new()
            .build_with_values(keys.iter().enumerate().map(|(i, k)| (k.as_str(), i as u32)))
            .map_err(|e| KbError::Automaton(e.to_string()))?;
        Ok(Gazetteer {
            automaton,
            patterns,
        })
    }

    /// Finds KB names in `text`, leftmost-longest, on word boundaries.
    pub fn find(&self, text: &str) -> Vec<GazetteerMatch> {
        self.find_normalized(text, &normalize(text, Level::Search))
    }

    /// [`Gazetteer::find`] on an annotated document: reads its search-level text.
    pub fn find_in_document(&self, doc: &rased_text::Document) -> Vec<GazetteerMatch> {
        self.find_normalized(doc.text(), doc.search_text())
    }

    /// Finds KB names in `text`, given its search-level normalization.
    fn find_normalized(&self, text: &str, normalized: &Normalized) -> Vec<GazetteerMatch> {
        let norm = rased_text::normalize::lowercase(&normalized.text);
        if norm.len() != normalized.text.len() {
            // Lowercasing changed byte lengths (rare scripts): fall back to the exact case.
            return self.find_in(text, &normalized.text, normalized);
        }
        self.find_in(text, &norm, normalized)
    }

    fn find_in(&self, text: &str, norm: &str, map: &Normalized) -> Vec<GazetteerMatch> {
        let mut hits: Vec<(usize, usize, usize)> = Vec::new();
        for m in self.automaton.find_overlapping_iter(norm) {
            let (s, e, p) = (m.start(), m.end(), m.value() as usize);
            if is_word_char_at_start(norm, e) {
                continue;
            }
            let pattern = &self.patterns[p];
            if !left_boundary_ok(norm, s, pattern.lam_merged) {
                continue;
            }
            hits.push((s, e, p));
        }
        hits.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
        let mut out = Vec::new();
        let mut last_end = 0;
        let mut chars_seen = (0usize, 0usize); // (byte, char) cursor for offset conversion
        for (s, e, p) in hits {
            if s < last_end {
                continue;
            }
            last_end = e;
            let original = map.to_original(s..e);
            let char_start = advance(text, &mut chars_seen, original.start);
            let char_end = advance(text, &mut chars_seen, original.end);
            out.push(GazetteerMatch {
                start: original.start,
                end: original.end,
                char_start,
                char_end,
                candidates: self.patterns[p].candidates.clone(),
            });
        }
        out
    }

    /// Number of distinct patterns in the automaton.
    pub fn len(&self) -> usize {
        self.patterns.len()
    }

    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }
}

/// Moves a (byte, char) cursor forward to `byte` and returns its char offset.
fn advance(text: &str, cursor: &mut (usize, usize), byte: usize) -> usize {
    if byte < cursor.0 {
        *cursor = (0, 0);
    }
    cursor.1 += text[cursor.0..byte].chars().count();
    cursor.0 = byte;
    cursor.1
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

fn is_word_char_at_start(s: &str, at: usize) -> bool {
    s[at..].chars().next().is_some_and(is_word_char)
}

/// Is the hit starting at byte `start` at a word start, or after proclitics glued at one?
fn left_boundary_ok(norm: &str, start: usize, lam_merged: bool) -> bool {
    let before = &norm[..start];
    let word_start = before
        .char_indices()
        .rev()
        .find(|&(_, c)| !is_word_char(c))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let glued = &before[word_start..];
    if glued.is_empty() {
        return !lam_merged;
    }
    // A run that can stand before the article glues onto a name: و ف ب ك ل, وب … فل (the
    // runs are search-normalized as they are match-normalized).
    let Some(run) = proclitic_run(glued).filter(|r| r.can_precede_article()) else {
        return false;
    };
    // للدبيبه: the pattern starts with the merged ل, so a run ending in ل must precede it:
    // ل، ول، فل.
    !lam_merged || run.prep == Some('ل')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::KbEntity;

    fn entity(id: &str, kind: &str, name: &str, aliases: &[&str], nisba: &[&str]) -> KbEntity {
        KbEntity {
            id: id.into(),
            kind: kind.into(),
            name: name.into(),
            aliases: aliases.iter().map(|s| s.to_string()).collect(),
            weak_aliases: vec![],
            country: None,
            nisba: nisba.iter().map(|s| s.to_string()).collect(),
            roles: vec![],
            population: None,
            source: "test".into(),
        }
    }

    fn kb() -> KnowledgeBase {
        KnowledgeBase::from_entities(vec![
            entity(
                "iso:LBY",
                "LOC",
                "ليبيا",
                &["Libya"],
                &["الليبي", "الليبية"],
            ),
            entity("iso:TUR", "LOC", "تركيا", &[], &["التركية", "التركي"]),
            entity("gn:1", "LOC", "طرابلس", &[], &[]),
            entity("gn:2", "LOC", "طرابلس الغرب", &[], &[]),
            entity("p:1", "PER", "عبد الحميد الدبيبة", &["الدبيبة"], &[]),
        ])
    }

    fn found(text: &str) -> Vec<(&str, Vec<String>)> {
        let kb = kb();
        let gaz = Gazetteer::new(&kb).unwrap();
        gaz.find(text)
            .into_iter()
            .map(|m| {
                let ids = m
                    .candidates
                    .iter()
                    .map(|&(i, _)| kb.entities()[i].id.clone());
                (&text[m.start..m.end], ids.collect())
            })
            .collect()
    }

    #[test]
    fn clitics_and_boundaries() {
        let hits = found("وصل إلى بطرابلس ثم ولليبيا، وليس إلى طرابلسي أو ليبيات.");
        let names: Vec<&str> = hits.iter().map(|h| h.0).collect();
        assert_eq!(names, vec!["طرابلس", "ليبيا"]);
    }

    #[test]
    fn lam_merged_article_and_longest_match() {
        let hits =
            found("قال للدبيبه إن طرابلس الغرب هادئة، حسب الحكومة الليبية والاستخبارات التركية.");
        let names: Vec<&str> = hits.iter().map(|h| h.0).collect();
        assert_eq!(names, vec!["لدبيبه", "طرابلس الغرب", "الليبية", "التركية"]);
        assert_eq!(hits[0].1, vec!["p:1"]);
        assert_eq!(hits[2].1, vec!["iso:LBY"]);
    }

    #[test]
    fn tashkeel_and_hamza_variants_match_with_original_offsets() {
        let text = "زار تُرْكِيا";
        let hits = found(text);
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].0, "تُرْكِيا");
    }
}

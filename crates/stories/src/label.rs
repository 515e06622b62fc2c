//! A story's label: the most central of its members' titles.

use rustc_hash::FxHashMap;

use crate::profile::{content_stems, Vocabulary};

/// The index of the most central of `titles`: the one whose content words (IDF-weighted
/// search stems, unit length) lie closest to the sum of all the titles, so the label says what
/// most reports say rather than what the first one did. Ties go to the earliest; `None` when no
/// title has a content word.
pub fn central_title(titles: &[&str], vocab: &Vocabulary) -> Option<usize> {
    let vectors: Vec<Vec<(String, f32)>> = titles.iter().map(|t| title_vector(t, vocab)).collect();
    let mut sum: FxHashMap<&str, f32> = FxHashMap::default();
    for v in &vectors {
        for (stem, w) in v {
            *sum.entry(stem.as_str()).or_default() += w;
        }
    }
    let mut best: Option<(usize, f32)> = None;
    for (i, v) in vectors.iter().enumerate() {
        if v.is_empty() {
            continue;
        }
        let score: f32 = v.iter().map(|(s, w)| w * sum[s.as_str()]).sum();
        if best.is_none_or(|(_, b)| score > b) {
            best = Some((i, score));
        }
    }
    best.map(|(i, _)| i)
}

/// A title's distinct content stems weighted by IDF, scaled to unit length.
fn title_vector(title: &str, vocab: &Vocabulary) -> Vec<(String, f32)> {
    let mut stems: Vec<String> = content_stems(title, vocab, usize::MAX).collect();
    stems.sort_unstable();
    stems.dedup();
    let mut v: Vec<(String, f32)> = stems
        .into_iter()
        .map(|s| {
            let w = vocab.idf(&s);
            (s, w)
        })
        .filter(|(_, w)| *w > 0.0)
        .collect();
    let norm = v.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
    for (_, w) in &mut v {
        *w /= norm;
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_title_most_reports_share_is_the_label() {
        let vocab = Vocabulary::embedded();
        // Not the first report (a follow-up's angle) nor the longest: the one whose words the
        // others share.
        let titles = [
            "أردوغان يزور المناطق المنكوبة",
            "زلزال بقوة 6 درجات يضرب جنوب تركيا",
            "مقتل 12 شخصا في زلزال جنوب تركيا",
            "زلزال تركيا: مقتل 12 شخصا وإصابة العشرات في الجنوب",
        ];
        assert_eq!(central_title(&titles, vocab), Some(2));
        assert_eq!(central_title(&["", "في"], vocab), None);
        assert_eq!(central_title(&[], vocab), None);
    }
}

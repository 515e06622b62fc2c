//! Near-duplicate detection: 64-bit SimHash over word 3-shingles of the match-normalized body.
//!
//! The same wire story republished by several outlets differs in boilerplate, datelines and a
//! few edits; its SimHash differs in a few bits (5 for a 45-word story with a new dateline
//! and a share line). Candidates are found by banding (eight 8-bit bands: two fingerprints
//! within 7 bits of each other share at least one band exactly), then confirmed by Hamming
//! distance.

/// Fingerprints within this many differing bits are near-duplicates.
pub const MAX_DISTANCE: u32 = 6;

/// SimHash of a text: words are split on anything that is not alphanumeric, Arabic letters
/// are match-normalized (no tashkeel, folded alif/yeh) so spelling noise does not count.
pub fn simhash(text: &str) -> u64 {
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| rased_text::normalize_str(w, rased_text::Level::Search))
        .collect();
    let mut weights = [0i32; 64];
    let mut add = |shingle: u64| {
        for (bit, w) in weights.iter_mut().enumerate() {
            if shingle >> bit & 1 == 1 {
                *w += 1;
            } else {
                *w -= 1;
            }
        }
    };
    if words.len() < 3 {
        for w in &words {
            add(rased_text::hash::fnv64(w.as_bytes()));
        }
    } else {
        for window in words.windows(3) {
            let mut h = rased_text::hash::fnv64(window[0].as_bytes());
            h = mix(h, rased_text::hash::fnv64(window[1].as_bytes()));
            h = mix(h, rased_text::hash::fnv64(window[2].as_bytes()));
            add(h);
        }
    }
    weights
        .iter()
        .enumerate()
        .filter(|(_, w)| **w > 0)
        .fold(0u64, |acc, (bit, _)| acc | 1 << bit)
}

/// The eight 8-bit bands of a fingerprint, tagged with their position.
pub fn bands(hash: u64) -> [i64; 8] {
    std::array::from_fn(|i| ((i as i64) << 8) | ((hash >> (8 * i)) & 0xFF) as i64)
}

pub fn distance(a: u64, b: u64) -> u32 {
    (a ^ b).count_ones()
}

fn mix(a: u64, b: u64) -> u64 {
    (a.rotate_left(21) ^ b).wrapping_mul(0x9E3779B97F4A7C15)
}

#[cfg(test)]
mod tests {
    use super::*;

    const STORY: &str = "التقى رئيس الاستخبارات التركية إبراهيم قالين بالجنرال خليفة حفتر قائد الجيش في شرق ليبيا وذكر بيان صادر عن مكتب حفتر اليوم الاثنين أن اللقاء عقد في مقر القيادة العامة بمنطقة الرجمة ووفق البيان شهد اللقاء مناقشة سبل التعاون بين البلدين في مختلف المجالات";

    #[test]
    fn republished_copy_is_near_and_other_text_is_far() {
        let copy = format!("أنقرة (وكالات) - {STORY}. تابعونا على تويتر");
        let diacritics = STORY.replace("قالين", "قالِين");
        let other = "أعلنت وزارة الصحة المصرية تسجيل حالات جديدة من فيروس كورونا في عدد من المحافظات خلال الأسبوع الماضي وسط إجراءات احترازية مشددة في المدارس والجامعات";
        let h = simhash(STORY);
        assert!(distance(h, simhash(&copy)) <= MAX_DISTANCE);
        assert_eq!(simhash(&diacritics), h);
        assert!(distance(h, simhash(other)) > 12);
    }
}

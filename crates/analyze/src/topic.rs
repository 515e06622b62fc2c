//! The article's topic: news (politics and security), economy, sport, culture, technology or
//! society, from a linear model over the light stems of its title and body words.
//!
//! Trained by `rased train-events` from the sections the shared ANT corpora file their articles
//! under (`data/topic/README.md`). The event decision reads the topic, so a striker who
//! "attacks" or a film's "assassination" is not coded as political violence unless the
//! sentence says so.

use std::sync::LazyLock;

use rased_text::stem::light_stem;
use rased_text::Document;

use crate::linear::{Example, Linear};
use crate::resources::{fnv, FNV_START};

/// The topics, in the model's class order.
pub const TOPICS: [&str; 6] = [
    "news",
    "economy",
    "sport",
    "culture",
    "technology",
    "society",
];

/// Words of the body read for the topic (the lead carries it; long bodies cost no more).
const BODY_WORDS: usize = 400;

static MODEL: LazyLock<Linear> = LazyLock::new(|| {
    Linear::parse(include_str!("../../../data/topic/model.tsv"))
        .expect("data/topic/model.tsv is a valid model")
});

/// An article's topic with the model's probability for it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Topic {
    pub label: &'static str,
    pub probability: f32,
}

/// The ANT corpora's section names → topic (`None`: a section that says nothing of the topic).
pub fn topic_of_section(section: &str) -> Option<&'static str> {
    Some(match section {
        "middleEast" | "internationalNews" | "localNews" | "politic" => "news",
        "economy" => "economy",
        "sport" => "sport",
        "culture" => "culture",
        "technology" => "technology",
        "society" => "society",
        _ => return None,
    })
}

/// The features of an article: each distinct light stem of the title (`t:`) and of the first
/// body words (`w:`).
pub fn features(title: &Document, body: &Document) -> Vec<String> {
    let mut out = Vec::new();
    for_each_feature(title, body, |prefix, stem| {
        out.push(format!("{prefix}{stem}"))
    });
    out
}

/// The hashes of [`features`], without building the strings (FNV-1a runs on over the stem).
fn feature_hashes(title: &Document, body: &Document) -> Vec<u64> {
    let mut out = Vec::new();
    for_each_feature(title, body, |prefix, stem| {
        out.push(fnv(fnv(FNV_START, prefix.as_bytes()), stem.as_bytes()))
    });
    out
}

fn for_each_feature(title: &Document, body: &Document, mut emit: impl FnMut(&str, &str)) {
    let mut each = |prefix: &str, doc: &Document, limit: usize| {
        let mut seen = rustc_hash::FxHashSet::default();
        for t in doc.tokens().iter().filter(|t| t.kind.is_word()).take(limit) {
            if seen.insert(t.ty) {
                let stem = light_stem(doc.norm(t));
                if stem.chars().count() >= 2 && !stem.chars().any(|c| c.is_ascii_digit()) {
                    emit(prefix, stem);
                }
            }
        }
    };
    each("t:", title, usize::MAX);
    each("w:", body, BODY_WORDS);
}

/// A training example of the topic model.
pub fn example(title: &Document, body: &Document, topic: &str) -> Option<Example> {
    let class = TOPICS.iter().position(|t| *t == topic)?;
    Some(Example {
        features: features(title, body),
        class,
        weight: 1.0,
    })
}

/// The article's topic; `None` when the model is untrained.
pub fn classify(title: &Document, body: &Document) -> Option<Topic> {
    classify_with(&MODEL, title, body)
}

/// [`classify`] with another model (training and evaluation).
pub fn classify_with(model: &Linear, title: &Document, body: &Document) -> Option<Topic> {
    if !model.is_trained() {
        return None;
    }
    let p = model.probabilities(feature_hashes(title, body));
    let (best, probability) =
        p.iter()
            .copied()
            .enumerate()
            .fold((0, f32::MIN), |a, b| if b.1 > a.1 { b } else { a });
    let label = model.classes().get(best)?;
    let label = TOPICS.iter().find(|t| **t == label.as_str())?;
    Some(Topic { label, probability })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::linear::feature_hash;

    #[test]
    fn hashes_are_those_of_the_feature_strings() {
        let title = Document::new("المنتخب يفوز في المباراة", None);
        let body = Document::new("سجل اللاعب هدفين في الشوط الثاني من المباراة.", None);
        let strings: Vec<u64> = features(&title, &body)
            .iter()
            .map(|f| feature_hash(f))
            .collect();
        assert_eq!(strings, feature_hashes(&title, &body));
        assert!(strings.len() > 5);
    }

    #[test]
    fn the_embedded_model_knows_sport_from_news() {
        let doc = |title, body| (Document::new(title, None), Document::new(body, None));
        let (title, body) = doc(
            "ريال مدريد يفوز على برشلونة في الدوري الإسباني",
            "سجل رونالدو هدفين في المباراة التي أقيمت على ملعب سانتياغو برنابيو، ليتصدر الفريق \
             ترتيب الدوري بفارق ثلاث نقاط عن أقرب منافسيه.",
        );
        assert_eq!(classify(&title, &body).map(|t| t.label), Some("sport"));
        let (title, body) = doc(
            "وزير الخارجية يبحث مع نظيره الروسي الأزمة السورية",
            "بحث وزير الخارجية مع نظيره الروسي تطورات الأزمة في سوريا والجهود السياسية لإنهاء \
             الحرب، وأكد الجانبان ضرورة وقف إطلاق النار.",
        );
        assert_eq!(classify(&title, &body).map(|t| t.label), Some("news"));
    }
}

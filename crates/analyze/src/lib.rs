//! Analysis stages of rased: what an article says, natively in Arabic.
//!
//! * [`ner`]: named-entity recognition with a statistical sequence tagger (averaged
//!   structured perceptron, first-order Viterbi over BIO tags) trained on ANERcorp, with
//!   gazetteer, trigger-word and distributional word-cluster features; [`features`],
//!   [`resources`] and [`eval`] (CoNLL entity-level evaluation) support it
//! * [`events`]: PLOVER event coding from Arabic triggers and their arguments
//! * [`keyphrase`]: ranked keyphrases like an aggregator's كلمات دلالية
//! * [`annotated`]: the [`AnnotatedDoc`] of an article — its title and body split, tokenized
//!   and normalized once ([`rased_text::Document`]) — and the [`Annotator`] stages that add
//!   their layers to it
//! * [`pipeline`]: all of the above on one article, with entities resolved against the KB
//!
//! ```no_run
//! use rased_analyze::ner::{entity_spans, Model};
//! let ner = Model::embedded(); // data/ner/model.bin, parsed once
//! let tags = ner.tag_tokens(&["التقى", "المشير", "خليفة", "حفتر"]); // Vec<Tag>: B-PERS…
//! let spans = entity_spans(&tags); // (start_token, end_token, EntityType), half-open
//! for m in ner.tag_text("التقى إبراهيم قالين بخليفة حفتر في بنغازي.") {
//!     println!("{}..{} {} {}", m.start, m.end, m.kind.as_str(), m.text); // code points
//! }
//! ```
//!
//! Training: [`ner::train`] (file → model) or [`ner::train_on`] (sentences → model), scored
//! with [`ner::evaluate`]; `rased train-ner` wraps them.

pub mod annotated;
pub mod currency;
pub mod eval;
pub mod event_eval;
pub mod events;
pub mod features;
pub mod keyphrase;
pub mod linear;
pub mod ner;
pub mod orgs;
pub mod pipeline;
pub mod quoted;
pub mod resources;
pub mod topic;

pub use annotated::{AnnotatedDoc, Annotator};
pub use ner::{EntityType, Mention, Model, Tag};
pub use pipeline::{AnalyzeError, Analyzer};
pub use rased_text::Limits;

/// Test support shared by the stages that rewrite the tagger's candidates.
#[cfg(test)]
pub(crate) mod test_support {
    use rased_kb::resolve::Candidate;
    use rased_text::doc::Document;

    /// Runs `stage` over `text` with the tagger's spans `tagged` (`(phrase, type)`, each at
    /// its first occurrence) and returns what it keeps as `(text, type)`.
    pub(crate) fn spans_after(
        text: &str,
        tagged: &[(&str, &str)],
        stage: fn(&Document<'_>, Vec<Candidate>) -> Vec<Candidate>,
    ) -> Vec<(String, String)> {
        let doc = Document::new(text, None);
        let candidates: Vec<Candidate> = tagged
            .iter()
            .map(|(phrase, kind)| {
                let start = text.find(phrase).expect("phrase in text");
                Candidate {
                    start,
                    end: start + phrase.len(),
                    kind: kind.to_string(),
                    confidence: 1.0,
                }
            })
            .collect();
        stage(&doc, candidates)
            .into_iter()
            .map(|c| (text[c.start..c.end].to_string(), c.kind))
            .collect()
    }
}

//! Analysis stages of rased: what an article says, natively in Arabic.
//!
//! * [`ner`]: named-entity recognition with a statistical sequence tagger (averaged
//!   structured perceptron, first-order Viterbi over BIO tags) trained on ANERcorp, with
//!   gazetteer, trigger-word and distributional word-cluster features; [`features`],
//!   [`resources`] and [`eval`] (CoNLL entity-level evaluation) support it
//! * [`events`]: PLOVER event coding from Arabic triggers and their arguments
//! * [`keyphrase`]: ranked keyphrases like an aggregator's كلمات دلالية
//! * [`pipeline`]: all of the above on one article, with entities resolved against the KB

pub mod eval;
pub mod events;
pub mod features;
pub mod keyphrase;
pub mod ner;
pub mod pipeline;
pub mod resources;

pub use ner::{EntityType, Mention, Model, Tag};
pub use pipeline::Analyzer;

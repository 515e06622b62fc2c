//! Analysis stages of rased. For now: named-entity recognition with a statistical sequence
//! tagger (averaged structured perceptron, first-order Viterbi over BIO tags) trained on
//! ANERcorp, with gazetteer, trigger-word and distributional word-cluster features.
//!
//! * [`ner`]: the tagger, its training and evaluation
//! * [`features`]: token normalization and feature extraction
//! * [`resources`]: the embedded lexicons (gazetteer, trigger words, word clusters)
//! * [`eval`]: CoNLL entity-level evaluation

pub mod eval;
pub mod features;
pub mod ner;
pub mod resources;

pub use ner::{EntityType, Mention, Model, Tag};

//! The dating model of `rased train-events`: for an event its text does not date, is it the
//! day's news (the publication day) or background the report gives no day for? Trained on the
//! annotated candidates of `data/events/gold`'s training documents, whose `date` column says
//! which (`unknown` or a day), over the event decision's own features.

use rased_analyze::linear::{self, feature_hash, Example, Linear, TrainSettings};

/// The model's classes, in the order `crates/analyze/src/events/decide.rs` reads them.
const CLASSES: [&str; 2] = ["undated", "dated"];

/// The settings: the decision's, with a stronger L2 (a tenth of its examples).
const SETTINGS: TrainSettings = TrainSettings {
    epochs: 10,
    rate: 0.03,
    l2: 1e-3,
    prune: 1e-2,
    seed: 20261204,
};

/// One real event the coder dated with the publication day, and whether the annotators did.
pub(crate) struct DatingExample {
    pub features: Vec<String>,
    /// Cross-validation group (document).
    pub group: String,
    pub dated: bool,
}

fn train(examples: &[&DatingExample], header: &[String]) -> String {
    let ex: Vec<Example> = examples
        .iter()
        .map(|e| Example {
            features: e.features.clone(),
            class: usize::from(e.dated),
            weight: 1.0,
        })
        .collect();
    linear::train(&CLASSES, &ex, SETTINGS, header)
}

/// Prints the share of right dates by cross-validation (folds by document) for a range of
/// thresholds on P(dated), against always giving the publication day (threshold 0).
pub(crate) fn cross_validate(examples: &[DatingExample], folds: usize) {
    let fold_of = |group: &str| (feature_hash(group) % folds as u64) as usize;
    let mut predicted: Vec<(bool, f32)> = Vec::new();
    for k in 0..folds {
        let train_part: Vec<&DatingExample> =
            examples.iter().filter(|e| fold_of(&e.group) != k).collect();
        let model = Linear::parse(&train(&train_part, &[])).expect("a trained model parses");
        for e in examples.iter().filter(|e| fold_of(&e.group) == k) {
            let p = model.probabilities(e.features.iter().map(|f| feature_hash(f)))[1];
            predicted.push((e.dated, p));
        }
    }
    eprintln!(
        "dating, cross-validation ({folds} folds by document, {} events dated by the publication day, {} of them dated by the annotators):",
        predicted.len(),
        predicted.iter().filter(|p| p.0).count()
    );
    for threshold in [0.0, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5] {
        let right = predicted
            .iter()
            .filter(|&&(dated, p)| dated == (p >= threshold))
            .count();
        let undated = predicted.iter().filter(|p| p.1 < threshold).count();
        eprintln!(
            "  threshold {threshold:.2}: {undated} left undated, dates right {:.1}%",
            100.0 * right as f64 / predicted.len().max(1) as f64
        );
    }
}

/// The model file trained on all `examples`.
pub(crate) fn model_text(examples: &[DatingExample]) -> String {
    let all: Vec<&DatingExample> = examples.iter().collect();
    train(
        &all,
        &[
            "The dating model of rased (crates/analyze/src/events/decide.rs), written by".into(),
            format!(
                "`rased train-events`: {} annotated events dated by the publication day.",
                examples.len()
            ),
        ],
    )
}

//! Sparse multinomial logistic regression: the learned decisions of the analysis (the article's
//! topic, whether a trigger candidate is an event) are linear models over string features.
//!
//! A model is a text file (`data/topic/model.tsv`, `data/events/decision.tsv`): a `classes`
//! line, a `bias` line, then one line per feature with its non-zero weights as
//! `class-index:weight`. Features are hashed (FNV-1a) on load, so scoring allocates nothing
//! per feature but the caller's strings. Training ([`train`]) is plain SGD with L2 shrinkage
//! in a fixed order (a seeded shuffle), so the same samples give the same file, byte for byte.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap;

use crate::resources::{fnv, FNV_START};

/// Hash of a feature string, as the model file's features are keyed on load.
pub fn feature_hash(feature: &str) -> u64 {
    fnv(FNV_START, feature.as_bytes())
}

/// A loaded linear model.
#[derive(Debug, Default)]
pub struct Linear {
    classes: Vec<String>,
    bias: Vec<f32>,
    weights: FxHashMap<u64, Box<[(u8, f32)]>>,
}

impl Linear {
    /// Parses a model file; `Err` names the line that is malformed.
    pub fn parse(text: &str) -> Result<Linear, String> {
        let mut model = Linear::default();
        for (n, line) in text.lines().enumerate() {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (key, rest) = line.split_once('\t').unwrap_or((line, ""));
            let bad = || format!("line {}: malformed model line", n + 1);
            match key {
                "classes" => model.classes = rest.split('\t').map(str::to_string).collect(),
                "bias" => {
                    model.bias = rest
                        .split('\t')
                        .map(|v| v.parse().map_err(|_| bad()))
                        .collect::<Result<_, _>>()?
                }
                _ => {
                    let mut ws = Vec::new();
                    for cw in rest.split(' ').filter(|s| !s.is_empty()) {
                        let (c, w) = cw.split_once(':').ok_or_else(bad)?;
                        let c: u8 = c.parse().map_err(|_| bad())?;
                        if usize::from(c) >= model.classes.len() {
                            return Err(bad());
                        }
                        ws.push((c, w.parse().map_err(|_| bad())?));
                    }
                    model
                        .weights
                        .insert(feature_hash(key), ws.into_boxed_slice());
                }
            }
        }
        if model.bias.len() != model.classes.len() {
            model.bias = vec![0.0; model.classes.len()];
        }
        Ok(model)
    }

    /// The class names, in the order of [`Linear::probabilities`].
    pub fn classes(&self) -> &[String] {
        &self.classes
    }

    /// The index of a class.
    pub fn class_index(&self, name: &str) -> Option<usize> {
        self.classes.iter().position(|c| c == name)
    }

    /// Whether the model has any weights (an untrained model scores every class alike).
    pub fn is_trained(&self) -> bool {
        !self.weights.is_empty()
    }

    /// Class probabilities (softmax of the scores) for the features' hashes.
    pub fn probabilities(&self, features: impl IntoIterator<Item = u64>) -> Vec<f32> {
        let mut scores = self.bias.clone();
        for f in features {
            if let Some(ws) = self.weights.get(&f) {
                for &(c, w) in ws.iter() {
                    scores[usize::from(c)] += w;
                }
            }
        }
        softmax(&mut scores);
        scores
    }
}

fn softmax(scores: &mut [f32]) {
    let max = scores.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let mut sum = 0.0;
    for s in scores.iter_mut() {
        *s = (*s - max).exp();
        sum += *s;
    }
    if sum > 0.0 {
        for s in scores.iter_mut() {
            *s /= sum;
        }
    }
}

/// One training example: its features, its class index and its weight.
#[derive(Debug, Clone)]
pub struct Example {
    pub features: Vec<String>,
    pub class: usize,
    pub weight: f32,
}

/// Training settings.
#[derive(Debug, Clone, Copy)]
pub struct TrainSettings {
    pub epochs: usize,
    /// Initial learning rate; it decays as `rate / (1 + epoch)`.
    pub rate: f64,
    /// L2 regularization per example.
    pub l2: f64,
    /// Weights smaller than this are left out of the file.
    pub prune: f64,
    pub seed: u64,
}

impl Default for TrainSettings {
    fn default() -> Self {
        TrainSettings {
            epochs: 12,
            rate: 0.2,
            l2: 1e-4,
            prune: 5e-4,
            seed: 20261202,
        }
    }
}

/// Trains a model and returns its file text. `header` lines are written first as comments.
pub fn train(
    classes: &[&str],
    examples: &[Example],
    settings: TrainSettings,
    header: &[String],
) -> String {
    let k = classes.len();
    let mut ids: FxHashMap<&str, usize> = FxHashMap::default();
    let mut names: Vec<&str> = Vec::new();
    let encoded: Vec<Vec<usize>> = examples
        .iter()
        .map(|e| {
            let mut fs: Vec<usize> = e
                .features
                .iter()
                .map(|f| {
                    *ids.entry(f.as_str()).or_insert_with(|| {
                        names.push(f.as_str());
                        names.len() - 1
                    })
                })
                .collect();
            fs.sort_unstable();
            fs.dedup();
            fs
        })
        .collect();
    let mut w = vec![0f64; names.len() * k];
    let mut bias = vec![0f64; k];
    let mut order: Vec<usize> = (0..examples.len()).collect();
    let mut rng = settings.seed | 1;
    let mut p = vec![0f64; k];
    for epoch in 0..settings.epochs {
        shuffle(&mut order, &mut rng);
        let rate = settings.rate / (1.0 + epoch as f64);
        for &i in &order {
            let (e, fs) = (&examples[i], &encoded[i]);
            for (c, pc) in p.iter_mut().enumerate() {
                *pc = bias[c] + fs.iter().map(|&f| w[f * k + c]).sum::<f64>();
            }
            let max = p.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            let mut sum = 0.0;
            for pc in p.iter_mut() {
                *pc = (*pc - max).exp();
                sum += *pc;
            }
            for (c, pc) in p.iter().enumerate() {
                let g = (pc / sum - f64::from(u8::from(c == e.class))) * f64::from(e.weight);
                if g == 0.0 {
                    continue;
                }
                bias[c] -= rate * g;
                for &f in fs {
                    w[f * k + c] -= rate * g;
                }
            }
        }
        // The per-example L2 step (1 − rate·λ), applied once for the whole epoch.
        let shrink = (1.0 - rate * settings.l2)
            .clamp(0.0, 1.0)
            .powf(examples.len() as f64);
        w.iter_mut().for_each(|x| *x *= shrink);
    }
    let mut out = String::new();
    for h in header {
        out.push_str("# ");
        out.push_str(h);
        out.push('\n');
    }
    out.push_str("classes\t");
    out.push_str(&classes.join("\t"));
    out.push_str("\nbias\t");
    out.push_str(
        &bias
            .iter()
            .map(|b| format!("{b:.4}"))
            .collect::<Vec<_>>()
            .join("\t"),
    );
    out.push('\n');
    let sorted: BTreeMap<&str, usize> = names.iter().enumerate().map(|(i, n)| (*n, i)).collect();
    for (name, f) in sorted {
        let ws: Vec<String> = (0..k)
            .filter(|&c| w[f * k + c].abs() >= settings.prune)
            .map(|c| format!("{c}:{:.4}", w[f * k + c]))
            .collect();
        if ws.is_empty() || name.contains(['\t', '\n']) {
            continue;
        }
        out.push_str(name);
        out.push('\t');
        out.push_str(&ws.join(" "));
        out.push('\n');
    }
    out
}

/// Fisher–Yates with xorshift64: the same seed, the same order on every platform.
fn shuffle(v: &mut [usize], state: &mut u64) {
    for i in (1..v.len()).rev() {
        *state ^= *state << 13;
        *state ^= *state >> 7;
        *state ^= *state << 17;
        let j = (*state % (i as u64 + 1)) as usize;
        v.swap(i, j);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ex(fs: &[&str], class: usize) -> Example {
        Example {
            features: fs.iter().map(|s| s.to_string()).collect(),
            class,
            weight: 1.0,
        }
    }

    #[test]
    fn learns_a_separable_problem_and_round_trips() {
        let data: Vec<Example> = (0..40)
            .map(|i| {
                if i % 2 == 0 {
                    ex(&["w:goal", "w:match"], 0)
                } else {
                    ex(&["w:minister", "w:match"], 1)
                }
            })
            .collect();
        let text = train(&["sport", "news"], &data, TrainSettings::default(), &[]);
        assert_eq!(
            text,
            train(&["sport", "news"], &data, TrainSettings::default(), &[])
        );
        let m = Linear::parse(&text).unwrap();
        let p = m.probabilities(["w:goal", "w:match"].map(feature_hash));
        assert!(p[0] > 0.9, "{p:?}");
        let p = m.probabilities(["w:minister"].map(feature_hash));
        assert!(p[1] > 0.9, "{p:?}");
    }

    #[test]
    fn malformed_lines_are_named() {
        let err = Linear::parse("classes\ta\tb\nw:x\t7:1.0\n").unwrap_err();
        assert!(err.contains("line 2"), "{err}");
    }
}

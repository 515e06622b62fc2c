//! Builds `data/ner/autogaz.tsv`, a gazetteer learned by the tagger itself from unlabelled
//! news (self-training of a lexicon): a model trained *without* the dev split tags the shared
//! corpus (`../shared/data/corpus/*.jsonl.gz`), and the names it tags often and consistently
//! become entries of class XPERS / XLOC / XORG / XMISC. A name seen in many contexts is
//! judged by all of them, which single-sentence tagging cannot do.
//!
//! Kept: phrases tagged at least `MIN_COUNT` times, with one type in at least 75% of those,
//! and (for single words) tagged in at least a quarter of the word's occurrences.
//!
//! ```text
//! cargo run --release -p rased-analyze --example build_autogaz -- MODEL CORPUS_DIR OUT
//! ```

use std::collections::HashMap;
use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

use rased_analyze::features::{norm_token, strip_clitics};
use rased_analyze::ner::{EntityType, Model};
use rased_analyze::resources::Resources;

const MIN_COUNT: u32 = 3;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let model = Model::load(&PathBuf::from(&args[1])).expect("model");
    let corpus_dir = PathBuf::from(&args[2]);
    let out_path = PathBuf::from(&args[3]);
    let res = Resources::embedded();
    let t0 = Instant::now();
    let mut tagged: HashMap<String, [u32; 4]> = HashMap::new();
    let mut freq: HashMap<String, u32> = HashMap::new();
    let mut ntok = 0usize;
    let texts = rased_kb::corpus::for_each_text(&corpus_dir, |text| {
        for tok in rased_text::tokenize::tokenize(text) {
            ntok += 1;
            let n = norm_token(tok.text);
            *freq.entry(strip_clitics(&n, res).stem).or_default() += 1;
        }
        for m in model.tag_text(text) {
            let words: Vec<String> = m.text.split_whitespace().map(norm_token).collect();
            if words.is_empty() || words.len() > 5 {
                continue;
            }
            let mut words = words;
            words[0] = strip_clitics(&words[0], res).stem;
            let key = words.join(" ");
            let ti = EntityType::ALL
                .iter()
                .position(|t| *t == m.kind)
                .unwrap_or(0);
            tagged.entry(key).or_default()[ti] += 1;
        }
    })
    .expect("reading the corpus");
    eprintln!(
        "{texts} texts, {ntok} tokens, {} phrases, {:.1}s",
        tagged.len(),
        t0.elapsed().as_secs_f32()
    );
    let mut keep: Vec<(String, &str)> = Vec::new();
    for (k, counts) in &tagged {
        let total: u32 = counts.iter().sum();
        let (best, &bc) = counts.iter().enumerate().max_by_key(|(_, c)| **c).unwrap();
        if bc < MIN_COUNT || (bc as f64) < 0.75 * total as f64 {
            continue;
        }
        if !k.contains(' ') {
            let f = freq.get(k).copied().unwrap_or(total);
            if (total as f64) < f as f64 / 4.0 {
                continue;
            }
        }
        if !k.chars().any(char::is_alphabetic) {
            continue;
        }
        keep.push((k.clone(), ["XPERS", "XLOC", "XORG", "XMISC"][best]));
    }
    keep.sort();
    let mut out = std::io::BufWriter::new(std::fs::File::create(&out_path).expect("create"));
    for (k, c) in &keep {
        writeln!(out, "{k}\t{c}").unwrap();
    }
    eprintln!("{} entries -> {}", keep.len(), out_path.display());
}

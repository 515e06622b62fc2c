//! Trains the NER model and reports dev scores per epoch (a developer tool; `rased train-ner`
//! is the user-facing entry).
//!
//! ```text
//! cargo run --release -p rased-analyze --example train_ner -- TRAIN OUT [EPOCHS] [DEV_EVERY]
//! ```

use std::path::PathBuf;
use std::time::Instant;

use rased_analyze::ner::{evaluate, read_conll, split_dev, train_on, TrainOptions};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let train_path = PathBuf::from(
        args.get(1)
            .map(String::as_str)
            .unwrap_or("../shared/data/ner/anercorp-camel-train.txt"),
    );
    let out = PathBuf::from(
        args.get(2)
            .map(String::as_str)
            .unwrap_or("data/ner/model.bin"),
    );
    let mut opts = TrainOptions::default();
    if let Some(e) = args.get(3) {
        opts.epochs = e.parse().expect("epochs");
    }
    if let Some(d) = args.get(4) {
        let d: usize = d.parse().expect("dev_every");
        opts.dev_every = (d > 0).then_some(d);
    }
    if let Ok(e) = std::env::var("ENSEMBLE") {
        opts.ensemble = e.parse().expect("ENSEMBLE");
    }
    if let Ok(e) = std::env::var("DROPOUT") {
        opts.word_dropout = e.parse().expect("DROPOUT");
    }
    let t0 = Instant::now();
    let all = read_conll(&train_path).expect("read");
    // TAIL=1: hold out the last 10% instead (whole documents unseen in training).
    let (train, dev) = if std::env::var("TAIL").is_ok() {
        let cut = all.len() * 9 / 10;
        (all[..cut].to_vec(), all[cut..].to_vec())
    } else {
        split_dev(all, opts.dev_every)
    };
    eprintln!("{} train / {} dev sentences", train.len(), dev.len());
    let model = train_on(&train, &opts, |epoch, m| {
        if !dev.is_empty() {
            let e = evaluate(m, &dev);
            eprintln!(
                "epoch {epoch}: dev F1 {:.2} ({:.1}s)",
                100.0 * e.overall.f1(),
                t0.elapsed().as_secs_f32()
            );
        }
    });
    if !dev.is_empty() {
        eprintln!("{}", evaluate(&model, &dev));
    }
    model.save(&out).expect("save");
    eprintln!(
        "{} features, {} bytes -> {}",
        model.num_features(),
        std::fs::metadata(&out).map(|m| m.len()).unwrap_or(0),
        out.display()
    );
}

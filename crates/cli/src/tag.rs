//! `rased tag --conll FILE` (the NER evaluation interface) and `rased train-ner` (rebuilds
//! the tagger model from ANERcorp).

use std::io::{self, BufRead, BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use clap::Args;
use rased_analyze::ner::{evaluate, read_conll, split_dev, train_on, Model, TrainOptions};

/// Tag a CoNLL file: one token per line, blank lines between sentences.
#[derive(Args, Debug)]
pub struct TagArgs {
    /// Input: one token per line (first column; any other column, such as a gold tag, is
    /// ignored), blank line between sentences. `-` reads stdin.
    #[arg(long)]
    pub conll: PathBuf,
    /// Model file to use instead of the embedded one (written by `rased train-ner`).
    #[arg(long)]
    pub model: Option<PathBuf>,
}

/// Train the NER tagger on ANERcorp and report dev-split scores.
#[derive(Args, Debug)]
pub struct TrainNerArgs {
    /// Training data: `token TAG` per line, blank line between sentences.
    #[arg(long, default_value = "../shared/data/ner/anercorp-camel-train.txt")]
    pub train: PathBuf,
    /// Where to write the model.
    #[arg(long, default_value = "data/ner/model.bin")]
    pub out: PathBuf,
    /// Hold out every N-th sentence as the dev split (0: train on everything, no dev scores).
    #[arg(long, default_value_t = 10)]
    pub dev_every: usize,
    /// Passes over the training data.
    #[arg(long, default_value_t = TrainOptions::default().epochs)]
    pub epochs: usize,
    /// Number of perceptrons (different shuffles) averaged into the model.
    #[arg(long, default_value_t = TrainOptions::default().ensemble)]
    pub ensemble: usize,
    /// Shuffle seed.
    #[arg(long, default_value_t = TrainOptions::default().seed)]
    pub seed: u64,
    /// When above 0, every training sentence is added a second time with this fraction of its
    /// tokens stripped of their word-identity features.
    #[arg(long, default_value_t = TrainOptions::default().word_dropout)]
    pub word_dropout: f64,
    /// Hold out the last tenth of the data (whole documents unseen in training) as the dev
    /// split instead of every N-th sentence: the honest score for new text.
    #[arg(long)]
    pub holdout_tail: bool,
}

fn flush_sentence(
    model: &Model,
    tokens: &mut Vec<String>,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    if tokens.is_empty() {
        return Ok(());
    }
    let refs: Vec<&str> = tokens.iter().map(String::as_str).collect();
    let tags = model.tag_tokens(&refs);
    for (tok, tag) in refs.iter().zip(&tags) {
        writeln!(out, "{tok}\t{tag}")?;
    }
    tokens.clear();
    Ok(())
}

/// Runs `rased tag`.
pub fn run_tag(args: &TagArgs) -> anyhow::Result<ExitCode> {
    let loaded;
    let model: &Model = match &args.model {
        Some(p) => {
            loaded = Model::load(p)?;
            &loaded
        }
        None => Model::embedded(),
    };
    let input: Box<dyn BufRead> = if args.conll.as_os_str() == "-" {
        Box::new(io::stdin().lock())
    } else {
        Box::new(io::BufReader::new(
            std::fs::File::open(&args.conll)
                .with_context(|| format!("cannot open {}", args.conll.display()))?,
        ))
    };
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut tokens: Vec<String> = Vec::new();
    let mut buf = Vec::new();
    let mut input = input;
    loop {
        buf.clear();
        if input
            .read_until(b'\n', &mut buf)
            .with_context(|| format!("reading {}", args.conll.display()))?
            == 0
        {
            break;
        }
        let line = String::from_utf8_lossy(&buf);
        match line.split_whitespace().next() {
            Some(tok) => tokens.push(tok.to_string()),
            None => {
                flush_sentence(model, &mut tokens, &mut out)?;
                writeln!(out)?;
            }
        }
    }
    flush_sentence(model, &mut tokens, &mut out)?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// Runs `rased train-ner`: trains, prints per-type dev precision / recall / F1, writes the
/// model.
pub fn run_train(args: &TrainNerArgs) -> anyhow::Result<ExitCode> {
    let t0 = Instant::now();
    let options = TrainOptions {
        epochs: args.epochs,
        dev_every: (args.dev_every > 0).then_some(args.dev_every),
        seed: args.seed,
        ensemble: args.ensemble,
        word_dropout: args.word_dropout,
        ..TrainOptions::default()
    };
    let sentences = read_conll(&args.train)?;
    let (train, dev) = if args.holdout_tail {
        let cut = sentences.len() * 9 / 10;
        (sentences[..cut].to_vec(), sentences[cut..].to_vec())
    } else {
        split_dev(sentences, options.dev_every)
    };
    eprintln!(
        "training on {} sentences, {} held out as dev",
        train.len(),
        dev.len()
    );
    let model = train_on(&train, &options, |epoch, m| {
        if dev.is_empty() {
            eprintln!("epoch {epoch} ({:.1}s)", t0.elapsed().as_secs_f32());
        } else {
            let e = evaluate(m, &dev);
            eprintln!(
                "epoch {epoch}: dev F1 {:.2} ({:.1}s)",
                100.0 * e.overall.f1(),
                t0.elapsed().as_secs_f32()
            );
        }
    });
    if !dev.is_empty() {
        println!("{}", evaluate(&model, &dev));
    }
    model.save(&args.out)?;
    eprintln!(
        "wrote {} ({} features, {} bytes)",
        args.out.display(),
        model.num_features(),
        std::fs::metadata(&args.out).map(|m| m.len()).unwrap_or(0)
    );
    Ok(ExitCode::SUCCESS)
}

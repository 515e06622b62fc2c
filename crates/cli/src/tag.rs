//! `rased tag --conll FILE` (the NER evaluation interface), `rased train-ner` (rebuilds the
//! tagger model from ANERcorp and optionally the in-domain gold `train` documents) and
//! `rased eval-ner` (scores a model on the gold `test` documents).

use std::borrow::Cow;
use std::io::{self, BufRead, BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use clap::Args;
use rased_analyze::eval::{Evaluation, Prf};
use rased_analyze::ner::{
    evaluate, evaluate_docs, evaluate_docs_analyzed, read_conll, split_dev, train_on, GoldDoc,
    GoldReport, GoldSet, Model, Sentence, TrainOptions,
};

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
    /// In-domain gold sets (directories with `split.tsv` and `docs/`, such as `data/ner/gold`)
    /// whose `train` documents are added to the training data; their `test` documents are
    /// never read for training. Repeatable or comma-separated.
    #[arg(long, value_delimiter = ',')]
    pub extra: Vec<PathBuf>,
    /// Copies of each extra sentence in the training data (upsampling the in-domain data).
    #[arg(long, default_value_t = 1)]
    pub extra_weight: usize,
    /// Hold out every N-th `train` document of each extra set (in `split.tsv` order) as a
    /// second dev split, scored at the end (0: train on all of them). For choosing
    /// `--extra-weight` without touching `test`.
    #[arg(long, default_value_t = 0)]
    pub extra_dev_every: usize,
    /// With `--extra-dev-every N`: hold out the documents `i` with `i % N == FOLD` instead of
    /// the default `N - 1` (folds `0..N` cross-validate over all the train documents).
    #[arg(long)]
    pub extra_dev_fold: Option<usize>,
}

/// Score a NER model on the documents of the in-domain gold set's `test` split.
#[derive(Args, Debug)]
pub struct EvalNerArgs {
    /// The gold set: a directory with `split.tsv` and `docs/<doc>.txt`.
    #[arg(long, default_value = "data/ner/gold")]
    pub gold: PathBuf,
    /// Model file to use instead of the embedded one (written by `rased train-ner`).
    #[arg(long)]
    pub model: Option<PathBuf>,
    /// Score the dev carve-out of the `train` documents instead (every N-th, as
    /// `rased train-ner --extra-dev-every N` holds them out), not `test`.
    #[arg(long, default_value_t = 0)]
    pub dev_every: usize,
    /// Print JSON instead of the table.
    #[arg(long)]
    pub json: bool,
    /// Also list every mention error (TSV on stderr: doc, sentence, gold, predicted, context).
    #[arg(long)]
    pub errors: bool,
    /// Score the whole analysis (tagger, gazetteer, resolution, coreference: the mentions of
    /// the entities `rased analyze` outputs) instead of the tagger alone. Uses the embedded
    /// model; title, role and nominal references are not names and are left out.
    #[arg(long, conflicts_with = "model")]
    pub analyzed: bool,
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

/// The model file at `path`, or the embedded model.
fn load_model(path: Option<&std::path::Path>) -> anyhow::Result<Cow<'static, Model>> {
    Ok(match path {
        Some(p) => Cow::Owned(Model::load(p)?),
        None => Cow::Borrowed(Model::embedded()),
    })
}

/// Runs `rased tag`.
pub fn run_tag(args: &TagArgs) -> anyhow::Result<ExitCode> {
    let model = load_model(args.model.as_deref())?;
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
                flush_sentence(&model, &mut tokens, &mut out)?;
                writeln!(out)?;
            }
        }
    }
    flush_sentence(&model, &mut tokens, &mut out)?;
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
    let (mut train, dev) = if args.holdout_tail {
        let cut = sentences.len() * 9 / 10;
        (sentences[..cut].to_vec(), sentences[cut..].to_vec())
    } else {
        split_dev(sentences, options.dev_every)
    };
    let anercorp = train.len();
    let mut extra_dev: Vec<GoldDoc> = Vec::new();
    let mut extra_sentences = 0;
    for dir in &args.extra {
        let set = GoldSet::read(dir)?;
        let every = (args.extra_dev_every > 0).then_some(args.extra_dev_every);
        let fold = args
            .extra_dev_fold
            .unwrap_or(args.extra_dev_every.saturating_sub(1));
        let (tr, dv) = set.train_docs_fold(every, fold);
        let sentences: Vec<&Sentence> = tr.iter().flat_map(|d| &d.sentences).collect();
        extra_sentences += sentences.len();
        for _ in 0..args.extra_weight {
            train.extend(sentences.iter().map(|s| (*s).clone()));
        }
        eprintln!(
            "{}: {} train documents ({} sentences) × {}, {} held out as gold dev",
            dir.display(),
            tr.len(),
            sentences.len(),
            args.extra_weight,
            dv.len()
        );
        extra_dev.extend(dv.into_iter().cloned());
    }
    eprintln!(
        "training on {} sentences ({anercorp} ANERcorp + {extra_sentences} extra × {}), {} held out as dev",
        train.len(),
        args.extra_weight,
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
    if !extra_dev.is_empty() {
        let r = evaluate_docs(&model, &extra_dev);
        println!(
            "gold dev ({} documents, {} tokens):\n{}",
            r.docs, r.tokens, r.eval
        );
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

fn prf_json(s: &Prf) -> serde_json::Value {
    serde_json::json!({
        "gold": s.gold(),
        "predicted": s.tp + s.fp,
        "correct": s.tp,
        "precision": s.precision(),
        "recall": s.recall(),
        "f1": s.f1(),
    })
}

fn eval_json(e: &Evaluation) -> serde_json::Value {
    let per_type: serde_json::Map<String, serde_json::Value> = e
        .per_type
        .iter()
        .map(|(t, s)| (t.clone(), prf_json(s)))
        .collect();
    serde_json::json!({ "per_type": per_type, "overall": prf_json(&e.overall) })
}

fn span_text(
    tokens: &[String],
    span: Option<(usize, usize, rased_analyze::ner::EntityType)>,
) -> String {
    match span {
        Some((a, b, t)) => format!("{}:{}", t.as_str(), tokens[a..b].join(" ")),
        None => "-".into(),
    }
}

/// Prints a report's mention errors as TSV: doc, sentence, gold, predicted, context.
fn print_errors(r: &GoldReport, out: &mut impl Write) -> io::Result<()> {
    writeln!(out, "doc\tsentence\tgold\tpredicted\tcontext")?;
    for e in &r.errors {
        let (a, b) = [e.gold, e.pred]
            .into_iter()
            .flatten()
            .fold((usize::MAX, 0), |(a, b), s| (a.min(s.0), b.max(s.1)));
        let ctx = e.tokens[a.saturating_sub(4)..(b + 4).min(e.tokens.len())].join(" ");
        writeln!(
            out,
            "{}\t{}\t{}\t{}\t{}",
            e.doc,
            e.sentence,
            span_text(&e.tokens, e.gold),
            span_text(&e.tokens, e.pred),
            ctx
        )?;
    }
    Ok(())
}

/// Runs `rased eval-ner`: tags the gold `test` documents (or the train dev carve-out) and
/// prints entity-level P/R/F1 per type and overall, with mention counts.
pub fn run_eval(args: &EvalNerArgs) -> anyhow::Result<ExitCode> {
    let set = GoldSet::read(&args.gold)?;
    let (part, docs): (&str, Vec<&GoldDoc>) = if args.dev_every > 0 {
        ("train dev", set.train_docs(Some(args.dev_every)).1)
    } else {
        ("test", set.test_docs().collect())
    };
    anyhow::ensure!(
        !docs.is_empty(),
        "{}: no {part} documents",
        args.gold.display()
    );
    let t0 = Instant::now();
    let r = if args.analyzed {
        let analyzer = rased_analyze::Analyzer::new()?;
        evaluate_docs_analyzed(&analyzer, docs)
    } else {
        evaluate_docs(&*load_model(args.model.as_deref())?, docs)
    };
    let what = if args.analyzed { "analysis" } else { "tagger" };
    let secs = t0.elapsed().as_secs_f64();
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    if args.json {
        let v = serde_json::json!({
            "gold": args.gold.display().to_string(),
            "split": part,
            "scored": what,
            "model": args.model.as_ref().map(|p| p.display().to_string()).unwrap_or_else(|| "embedded".into()),
            "documents": r.docs,
            "sentences": r.sentences,
            "tokens": r.tokens,
            "scores": eval_json(&r.eval),
        });
        writeln!(out, "{}", serde_json::to_string_pretty(&v)?)?;
    } else {
        let o = &r.eval.overall;
        writeln!(
            out,
            "{} {part}, {what}: {} documents, {} sentences, {} tokens ({:.2}s)",
            args.gold.display(),
            r.docs,
            r.sentences,
            r.tokens,
            secs
        )?;
        writeln!(out, "{}", r.eval)?;
        writeln!(
            out,
            "mentions: {} gold, {} predicted, {} correct",
            o.gold(),
            o.tp + o.fp,
            o.tp
        )?;
    }
    out.flush()?;
    if args.errors {
        print_errors(&r, &mut io::stderr().lock())?;
    }
    Ok(ExitCode::SUCCESS)
}

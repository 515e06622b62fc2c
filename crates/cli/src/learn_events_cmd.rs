//! `rased train-events` and `rased eval-events`: the topic model and the event decision model,
//! trained from `../shared` and `data/events/gold`, and scored on the gold test documents.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context};
use rased_analyze::eval::Prf;
use rased_analyze::linear::{self, feature_hash, Example, Linear, TrainSettings};
use rased_analyze::{events, topic, Analyzer};
use rased_model::{Article, Event};
use rayon::prelude::*;

use crate::bench_cmd::read_records;
use crate::learn_dating;

/// The decision model's classes: no event, then the PLOVER types the lexicon codes.
const CLASSES: [&str; 17] = [
    "NONE",
    "AGREE",
    "CONSULT",
    "SUPPORT",
    "CONCEDE",
    "COOPERATE",
    "AID",
    "RETREAT",
    "REQUEST",
    "ACCUSE",
    "REJECT",
    "THREATEN",
    "PROTEST",
    "SANCTION",
    "MOBILIZE",
    "COERCE",
    "ASSAULT",
];

/// The modalities `rased analyze` outputs (the others are dropped after the decision).
const REPORTED: [&str; 5] = ["asserted", "negated", "future", "historical", "background"];
/// The modalities that count as "the sentence reports an event" on the detection sentences.
const HAPPENED: [&str; 3] = ["asserted", "historical", "background"];

/// Weight of an event example against a `NONE` one: events are the minority (a third of the
/// candidates, a tenth of the protest sentences) and missing one costs an analyst more.
const EVENT_WEIGHT: f32 = 1.0;

/// Weight of a `difficult no` detection sentence's candidate (see `--difficult-weight`).
const DIFFICULT_WEIGHT: f32 = 0.0;

/// Weight of an annotated in-domain candidate against one detection sentence's candidate.
const GOLD_WEIGHT: f32 = 2.0;

/// Arguments of `rased train-events`.
#[derive(clap::Args, Debug)]
pub struct TrainEventsArgs {
    /// The shared data directory (corpora, detection sentences).
    #[arg(long, default_value = "../shared")]
    pub shared: PathBuf,
    /// The annotated candidates (`candidates.jsonl`, `labels.tsv`).
    #[arg(long, default_value = "data/events/gold")]
    pub gold: PathBuf,
    /// Where the topic model is written.
    #[arg(long, default_value = "data/topic/model.tsv")]
    pub topic_out: PathBuf,
    /// Where the decision model is written.
    #[arg(long, default_value = "data/events/decision.tsv")]
    pub decision_out: PathBuf,
    /// Where the dating model is written.
    #[arg(long, default_value = "data/events/dating.tsv")]
    pub dating_out: PathBuf,
    /// Keep the embedded topic model (train only the decision).
    #[arg(long)]
    pub skip_topic: bool,
    /// Cross-validation folds on the detection sentences and the gold training documents
    /// (0: none).
    #[arg(long, default_value_t = 5)]
    pub folds: usize,
    /// SGD epochs of the decision model.
    #[arg(long, default_value_t = DECISION.epochs)]
    pub epochs: usize,
    /// Initial learning rate of the decision model.
    #[arg(long, default_value_t = DECISION.rate)]
    pub rate: f64,
    /// L2 regularization of the decision model, per example.
    #[arg(long, default_value_t = DECISION.l2)]
    pub l2: f64,
    /// Weight of event examples against `NONE` ones (above 1 trades precision for recall).
    #[arg(long, default_value_t = EVENT_WEIGHT)]
    pub event_weight: f32,
    /// Decision-model weights smaller than this are left out of the file.
    #[arg(long, default_value_t = DECISION.prune)]
    pub prune: f64,
    /// Weight of the candidates of `difficult no` detection sentences (the coders split on
    /// them) against 1 for a unanimous label; 0 leaves them out of training.
    #[arg(long, default_value_t = DIFFICULT_WEIGHT)]
    pub difficult_weight: f32,
}

/// The decision model's training settings (chosen by cross-validation, data/events/README.md).
const DECISION: TrainSettings = TrainSettings {
    epochs: 10,
    rate: 0.03,
    l2: 1e-4,
    prune: 1e-2,
    seed: 20261202,
};

/// Arguments of `rased eval-events`.
#[derive(clap::Args, Debug)]
pub struct EvalEventsArgs {
    /// The annotated candidates (`candidates.jsonl`, `labels.tsv`).
    #[arg(long, default_value = "data/events/gold")]
    pub gold: PathBuf,
    /// The shared data directory (the corpora the gold documents come from).
    #[arg(long, default_value = "../shared")]
    pub shared: PathBuf,
    /// Which gold documents to score: `test` (the report) or `train`.
    #[arg(long, default_value = "test")]
    pub split: String,
    /// Print the candidates the decision gets wrong.
    #[arg(long)]
    pub errors: bool,
    /// Print the rightly typed events whose actor, recipient or date is not the annotators'.
    #[arg(long)]
    pub role_errors: bool,
}

/// A candidate with its features and gold class (an index into [`CLASSES`]).
#[derive(Clone)]
struct Labelled {
    features: Vec<String>,
    kind: String,
    modality: String,
    class: usize,
    weight: f32,
    /// Cross-validation group (document).
    group: String,
    /// Detection sentence it came from (for sentence-level scoring), if any.
    sentence: Option<usize>,
}

pub fn train(args: &TrainEventsArgs) -> anyhow::Result<ExitCode> {
    // The decision reads the topic: from the model trained now, else the embedded one.
    let fresh = if args.skip_topic {
        None
    } else {
        Some(train_topic(args)?)
    };
    let topic_of = |doc: &rased_analyze::AnnotatedDoc| match &fresh {
        Some(model) => topic::classify_with(model, &doc.title, &doc.body),
        None => doc.topic,
    };
    let analyzer = Analyzer::new()?;
    let (detection, sentences) =
        detection_examples(&args.shared, &analyzer, &topic_of, args.difficult_weight)?;
    // The annotated training candidates, analyzed once for both models.
    let matched = if args.gold.join("labels.tsv").exists() {
        gold_matched(&args.gold, &args.shared, &analyzer, &topic_of, "train")?
    } else {
        eprintln!(
            "{}: no labels.tsv, training on the detection sentences only",
            args.gold.display()
        );
        Vec::new()
    };
    let gold: Vec<Labelled> = matched.iter().map(|(_, l, _)| l.clone()).collect();
    eprintln!(
        "decision: {} detection candidates ({} sentences), {} annotated candidates",
        detection.len(),
        sentences.len(),
        gold.len()
    );
    let settings = TrainSettings {
        epochs: args.epochs,
        rate: args.rate,
        l2: args.l2,
        prune: args.prune,
        ..DECISION
    };
    if args.folds > 1 {
        cross_validate(
            &detection,
            &sentences,
            &gold,
            args.folds,
            settings,
            args.event_weight,
        );
    }
    let all: Vec<Labelled> = detection.iter().chain(&gold).cloned().collect();
    let text = train_decision(
        &all,
        settings,
        args.event_weight,
        &[
            "The event decision of rased (crates/analyze/src/events/decide.rs), written by".into(),
            format!(
                "`rased train-events`: {} detection candidates and {} annotated candidates.",
                detection.len(),
                gold.len()
            ),
        ],
    );
    std::fs::write(&args.decision_out, text)
        .with_context(|| format!("writing {}", args.decision_out.display()))?;
    eprintln!("wrote {}", args.decision_out.display());
    if !matched.is_empty() {
        let dating = dating_examples(matched);
        if args.folds > 1 {
            learn_dating::cross_validate(&dating, args.folds);
        }
        std::fs::write(&args.dating_out, learn_dating::model_text(&dating))
            .with_context(|| format!("writing {}", args.dating_out.display()))?;
        eprintln!("wrote {}", args.dating_out.display());
    }
    Ok(ExitCode::SUCCESS)
}

/// The real events of the gold training documents that the coder dates with the publication
/// day (asserted, no date in the text), each with whether the annotators gave it a day.
fn dating_examples(
    matched: Vec<(GoldCandidate, Labelled, Event)>,
) -> Vec<learn_dating::DatingExample> {
    matched
        .into_iter()
        .filter(|(g, l, e)| is_dated_by_publication(l, e) && g.label.kind != "NONE")
        .map(|(g, l, _)| learn_dating::DatingExample {
            features: l.features,
            group: g.doc,
            dated: g.label.date != "unknown",
        })
        .collect()
}

/// Whether the coder dated this asserted event with the publication day, its text giving none:
/// the events the dating model decides on.
fn is_dated_by_publication(l: &Labelled, e: &Event) -> bool {
    l.modality == "asserted" && e.date.is_some() && e.date_text.is_none()
}

fn train_decision(
    examples: &[Labelled],
    settings: TrainSettings,
    event_weight: f32,
    header: &[String],
) -> String {
    let ex: Vec<Example> = examples
        .iter()
        .map(|l| Example {
            features: l.features.clone(),
            class: l.class,
            weight: if l.class == 0 {
                l.weight
            } else {
                l.weight * event_weight
            },
        })
        .collect();
    linear::train(&CLASSES, &ex, settings, header)
}

fn class_of(kind: &str) -> Option<usize> {
    CLASSES.iter().position(|c| *c == kind)
}

const CORPORA: [&str; 2] = [
    "data/corpus/ant-multisource.jsonl.gz",
    "data/corpus/ant-jawharafm.jsonl.gz",
];

/// One article in ten (by a hash of its id) is held out to measure the topic model.
fn topic_held_out(id: &str) -> bool {
    feature_hash(id).is_multiple_of(10)
}

/// The topic of an annotated article, as the decision's features read it.
type TopicOf<'a> = dyn Fn(&rased_analyze::AnnotatedDoc) -> Option<topic::Topic> + Sync + 'a;

fn train_topic(args: &TrainEventsArgs) -> anyhow::Result<Linear> {
    let mut train = Vec::new();
    let mut held = Vec::new();
    for corpus in CORPORA {
        let docs = read_records(&args.shared.join(corpus), &|_| true)?;
        let examples: Vec<(bool, Example)> = docs
            .par_iter()
            .filter_map(|r| {
                let label = topic::topic_of_section(r.section.as_deref()?)?;
                let a = &r.article;
                let title = rased_text::Document::new(a.title.as_deref().unwrap_or(""), None);
                let body = rased_text::Document::new(&a.body, None);
                Some((topic_held_out(&r.id), topic::example(&title, &body, label)?))
            })
            .collect();
        for (h, e) in examples {
            if h {
                held.push(e)
            } else {
                train.push(e)
            }
        }
    }
    eprintln!(
        "topic: {} training articles, {} held out",
        train.len(),
        held.len()
    );
    let settings = TrainSettings {
        epochs: 8,
        prune: 1e-2,
        ..TrainSettings::default()
    };
    let text = linear::train(&topic::TOPICS, &train, settings, &[
        "The topic model of rased (crates/analyze/src/topic.rs), written by `rased train-events`"
            .into(),
        format!(
            "from the sections of the ANT corpora: {} articles (one in ten held out).",
            train.len()
        ),
    ]);
    let model = Linear::parse(&text).map_err(anyhow::Error::msg)?;
    let mut confusion: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    let mut right = 0;
    for e in &held {
        let p = model.probabilities(e.features.iter().map(|f| feature_hash(f)));
        let best = (0..p.len()).fold(0, |b, c| if p[c] > p[b] { c } else { b });
        right += usize::from(best == e.class);
        *confusion
            .entry((topic::TOPICS[e.class], topic::TOPICS[best]))
            .or_default() += 1;
    }
    eprintln!(
        "topic: held-out accuracy {:.1}% ({right}/{})",
        100.0 * right as f64 / held.len().max(1) as f64,
        held.len()
    );
    for t in topic::TOPICS {
        let n: usize = confusion
            .iter()
            .filter(|((g, _), _)| *g == t)
            .map(|(_, c)| c)
            .sum();
        let ok = confusion.get(&(t, t)).copied().unwrap_or(0);
        let predicted: usize = confusion
            .iter()
            .filter(|((_, p), _)| *p == t)
            .map(|(_, c)| c)
            .sum();
        eprintln!(
            "  {t:<10} recall {:>5.1}% precision {:>5.1}% ({n} articles)",
            100.0 * ok as f64 / n.max(1) as f64,
            100.0 * ok as f64 / predicted.max(1) as f64
        );
    }
    std::fs::write(&args.topic_out, text)
        .with_context(|| format!("writing {}", args.topic_out.display()))?;
    eprintln!(
        "wrote {} (rebuild rased to embed it)",
        args.topic_out.display()
    );
    Ok(model)
}

/// A detection sentence: its type, whether it reports such an event, its document.
struct DetectionSentence {
    kind: &'static str,
    yes: bool,
    /// Labelled `difficult no`: the coders split (one or two said yes), where `easy no` is
    /// a unanimous no.
    difficult: bool,
    group: String,
}

/// The candidates of the shared detection sentences: a candidate of the sentence's type is
/// an event when the annotators said `yes`, none when they said `easy no` or `difficult no`
/// (`ambiguous` sentences are left out; candidates of other types are unknown and left out).
fn detection_examples(
    shared: &Path,
    analyzer: &Analyzer,
    topic_of: &TopicOf,
    difficult_weight: f32,
) -> anyhow::Result<(Vec<Labelled>, Vec<DetectionSentence>)> {
    let mut sentences = Vec::new();
    let mut texts = Vec::new();
    for (kind, file) in [
        ("ASSAULT", "assault_detection_train.csv"),
        ("PROTEST", "protest_detection_train.csv"),
    ] {
        let path = shared
            .join("data/events/arabic_event_gsr/detection")
            .join(file);
        let mut reader =
            csv::Reader::from_path(&path).with_context(|| format!("reading {}", path.display()))?;
        for row in reader.records() {
            let row = row.with_context(|| format!("reading {}", path.display()))?;
            let (id, label, text) = (&row[0], &row[2], &row[6]);
            if label == "ambiguous" {
                continue;
            }
            // The document is the id without its sentence number.
            let group = id.rsplit_once('-').map_or(id, |(d, _)| d).to_string();
            sentences.push(DetectionSentence {
                kind,
                yes: label == "yes",
                difficult: label == "difficult no",
                group,
            });
            texts.push(text.to_string());
        }
    }
    let per_sentence: Vec<Vec<Labelled>> = texts
        .par_iter()
        .enumerate()
        .map(|(si, text)| {
            let s = &sentences[si];
            let article = Article {
                body: text.clone(),
                ..Article::default()
            };
            let doc = analyzer.annotate(&article);
            events::candidates(&doc.body, &doc.entities, doc.dateline, topic_of(&doc))
                .into_iter()
                .filter(|c| c.event.kind == s.kind)
                .map(|c| Labelled {
                    kind: c.event.kind.clone(),
                    modality: modality_name(c.modality),
                    class: if s.yes {
                        class_of(s.kind).unwrap_or(0)
                    } else {
                        0
                    },
                    weight: if s.difficult { difficult_weight } else { 1.0 },
                    group: s.group.clone(),
                    sentence: Some(si),
                    features: c.features,
                })
                .collect()
        })
        .collect();
    Ok((per_sentence.into_iter().flatten().collect(), sentences))
}

fn modality_name(m: events::Modality) -> String {
    serde_json::to_value(m)
        .ok()
        .and_then(|v| v.as_str().map(String::from))
        .unwrap_or_default()
}

/// One annotated candidate (`candidates.jsonl` joined with `labels.tsv` on `cid`).
struct GoldCandidate {
    cid: String,
    doc: String,
    split: String,
    sentence: String,
    trigger: String,
    sys_type: String,
    label: GoldLabel,
}

/// An annotator's row of `labels.tsv` (columns after the candidate id).
#[derive(Clone, Default)]
struct GoldLabel {
    kind: String,
    actor: String,
    recipient: String,
    date: String,
}

fn read_gold(dir: &Path) -> anyhow::Result<Vec<GoldCandidate>> {
    let path = dir.join("labels.tsv");
    let labels: HashMap<String, GoldLabel> = std::fs::read_to_string(&path)
        .with_context(|| format!("reading {}", path.display()))?
        .lines()
        .skip(1)
        .filter_map(|l| {
            let mut f = l.split('\t').map(str::to_string);
            let cid = f.next()?;
            let mut field = || f.next().unwrap_or_default();
            let kind = field();
            let _modality = field();
            let label = GoldLabel {
                kind,
                actor: field(),
                recipient: field(),
                date: field(),
            };
            Some((cid, label))
        })
        .collect();
    let path = dir.join("candidates.jsonl");
    let mut out = Vec::new();
    for line in std::fs::read_to_string(&path)
        .with_context(|| format!("reading {}", path.display()))?
        .lines()
    {
        let v: serde_json::Value = serde_json::from_str(line)?;
        let s = |k: &str| v[k].as_str().unwrap_or("").to_string();
        let Some(label) = labels.get(&s("cid")) else {
            bail!(
                "{}: candidate {} has no label in labels.tsv",
                path.display(),
                s("cid")
            );
        };
        out.push(GoldCandidate {
            cid: s("cid"),
            doc: s("doc"),
            split: s("split"),
            sentence: s("sentence"),
            trigger: s("trigger"),
            sys_type: s("sys_type"),
            label: label.clone(),
        });
    }
    Ok(out)
}

/// The annotated candidates of one split with their features and the coded event: each gold
/// candidate is found again among its article's candidates by sentence, trigger and type.
fn gold_matched(
    dir: &Path,
    shared: &Path,
    analyzer: &Analyzer,
    topic_of: &TopicOf,
    split: &str,
) -> anyhow::Result<Vec<(GoldCandidate, Labelled, Event)>> {
    let gold: Vec<GoldCandidate> = read_gold(dir)?
        .into_iter()
        .filter(|g| g.split == split)
        .collect();
    let docs: HashSet<String> = gold.iter().map(|g| g.doc.clone()).collect();
    let mut articles: HashMap<String, Article> = HashMap::new();
    for corpus in CORPORA {
        for r in read_records(&shared.join(corpus), &|id| docs.contains(id))? {
            articles.insert(r.id, r.article);
        }
    }
    let mut by_doc: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, g) in gold.iter().enumerate() {
        by_doc.entry(&g.doc).or_default().push(i);
    }
    let matched: Vec<Vec<(usize, Labelled, Event)>> = by_doc
        .par_iter()
        .map(|(doc, gs)| {
            let Some(article) = articles.get(*doc) else {
                return Vec::new();
            };
            let mut article = article.clone();
            if article.outlet.is_none() {
                article.outlet = article.source.clone();
            }
            let ann = analyzer.annotate(&article);
            let mut cands =
                events::candidates(&ann.body, &ann.entities, ann.dateline, topic_of(&ann));
            let mut out = Vec::new();
            for &i in gs {
                let g = &gold[i];
                let k = cands.iter().position(|c| {
                    c.event.kind == g.sys_type
                        && c.event.evidence.trigger == g.trigger
                        && c.event.evidence.sentence == g.sentence
                });
                let Some(k) = k else { continue };
                let c = cands.swap_remove(k);
                let class = class_of(&g.label.kind).unwrap_or(0);
                out.push((
                    i,
                    Labelled {
                        kind: c.event.kind.clone(),
                        modality: modality_name(c.modality),
                        class,
                        weight: GOLD_WEIGHT,
                        group: g.doc.clone(),
                        sentence: None,
                        features: c.features,
                    },
                    c.event,
                ));
            }
            out
        })
        .collect();
    let mut pairs: Vec<(usize, Labelled, Event)> = matched.into_iter().flatten().collect();
    pairs.sort_by_key(|(i, _, _)| *i);
    if pairs.len() < gold.len() {
        eprintln!(
            "gold {split}: {} of {} candidates found again (the others' sentences changed)",
            pairs.len(),
            gold.len()
        );
    }
    let mut gold: Vec<Option<GoldCandidate>> = gold.into_iter().map(Some).collect();
    Ok(pairs
        .into_iter()
        .filter_map(|(i, l, e)| Some((gold[i].take()?, l, e)))
        .collect())
}

/// K-fold cross-validation by document: sentence-level detection P/R/F1 for ASSAULT and
/// PROTEST, and candidate-level precision on the gold training documents, per threshold.
fn cross_validate(
    detection: &[Labelled],
    sentences: &[DetectionSentence],
    gold: &[Labelled],
    folds: usize,
    settings: TrainSettings,
    event_weight: f32,
) {
    let fold_of = |group: &str| (feature_hash(group) % folds as u64) as usize;
    let mut predicted: Vec<(usize, f32)> = Vec::new();
    let mut gold_predicted: Vec<(usize, f32)> = Vec::new();
    for k in 0..folds {
        let train: Vec<Labelled> = detection
            .iter()
            .chain(gold)
            .filter(|l| fold_of(&l.group) != k)
            .cloned()
            .collect();
        let model = Linear::parse(&train_decision(&train, settings, event_weight, &[]))
            .expect("a trained model parses");
        let p = |l: &Labelled| {
            let c = class_of(&l.kind).unwrap_or(0);
            model.probabilities(l.features.iter().map(|f| feature_hash(f)))[c]
        };
        for (i, l) in detection.iter().enumerate() {
            if fold_of(&l.group) == k {
                predicted.push((i, p(l)));
            }
        }
        for (i, l) in gold.iter().enumerate() {
            if fold_of(&l.group) == k {
                gold_predicted.push((i, p(l)));
            }
        }
    }
    eprintln!("cross-validation ({folds} folds by document):");
    for threshold in [0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7] {
        let mut line = format!("  threshold {threshold:.1}:");
        for kind in ["ASSAULT", "PROTEST"] {
            let mut fired = vec![false; sentences.len()];
            for &(i, p) in &predicted {
                let l = &detection[i];
                if p >= threshold && HAPPENED.contains(&l.modality.as_str()) {
                    if let Some(s) = l.sentence {
                        fired[s] = true;
                    }
                }
            }
            // Against every `no`, and against the unanimous ones (`easy no`) only.
            for unanimous in [false, true] {
                let (mut tp, mut fp, mut fn_) = (0, 0, 0);
                for (s, d) in sentences.iter().enumerate() {
                    if d.kind != kind || (unanimous && d.difficult) {
                        continue;
                    }
                    match (d.yes, fired[s]) {
                        (true, true) => tp += 1,
                        (true, false) => fn_ += 1,
                        (false, true) => fp += 1,
                        _ => {}
                    }
                }
                let s = Prf { tp, fp, fn_ };
                line.push_str(&format!(
                    " {kind}{} P {:.2} R {:.2} F1 {:.2}",
                    if unanimous { " (unanimous no)" } else { "" },
                    s.precision(),
                    s.recall(),
                    s.f1()
                ));
            }
        }
        let (mut kept, mut right, mut real) = (0, 0, 0);
        for &(i, p) in &gold_predicted {
            let l = &gold[i];
            let correct = CLASSES[l.class] == l.kind;
            real += usize::from(correct);
            if p >= threshold && REPORTED.contains(&l.modality.as_str()) {
                kept += 1;
                right += usize::from(correct);
            }
        }
        line.push_str(&format!(
            " | gold kept {kept}, right {:.1}%, recall {:.1}%",
            100.0 * right as f64 / kept.max(1) as f64,
            100.0 * right as f64 / real.max(1) as f64
        ));
        eprintln!("{line}");
    }
}

pub fn eval(args: &EvalEventsArgs) -> anyhow::Result<ExitCode> {
    let analyzer = Analyzer::new()?;
    let matched = gold_matched(
        &args.gold,
        &args.shared,
        &analyzer,
        &|d| d.topic,
        &args.split,
    )?;
    if matched.is_empty() {
        bail!("no annotated candidates in split {}", args.split);
    }
    // Per lexicon type: candidates, real events of that type, kept, kept with the annotators'
    // type, real events of any type.
    let mut per: BTreeMap<String, [usize; 5]> = BTreeMap::new();
    let mut total = [0usize; 5];
    let mut roles: BTreeMap<String, RoleCounts> = BTreeMap::new();
    let mut total_roles = RoleCounts::default();
    for (g, l, event) in &matched {
        // Right before: the lexicon's type is the annotators'. After: the decision keeps the
        // candidate (with its own type or another) and that type is the annotators'; recall
        // counts the candidates that are real events of any type.
        let real_before = g.label.kind == l.kind;
        let decided = events::decision(&l.features, &l.kind)
            .filter(|_| REPORTED.contains(&l.modality.as_str()));
        let (coded, p) = decided.clone().unwrap_or_else(|| ("NONE".to_string(), 0.0));
        let kept = decided.is_some();
        let real_after = kept && coded == g.label.kind;
        let row = per.entry(l.kind.clone()).or_default();
        for r in [row, &mut total] {
            r[0] += 1;
            r[1] += usize::from(real_before);
            r[2] += usize::from(kept);
            r[3] += usize::from(real_after);
            r[4] += usize::from(g.label.kind != "NONE");
        }
        if kept {
            // The analysis leaves undated what the dating model reads as background.
            let mut event = event.clone();
            if is_dated_by_publication(l, &event) && events::undated(&l.features) {
                event.date = None;
            }
            let event = &event;
            let right = real_after.then(|| score_roles(event, &g.label));
            for r in [roles.entry(coded.clone()).or_default(), &mut total_roles] {
                r.add(right);
            }
            if args.role_errors {
                if let Some(right) = right.filter(|r| !r.all()) {
                    print_role_error(g, event, right);
                }
            }
        }
        if args.errors && (kept || g.label.kind != "NONE") && !real_after {
            println!(
                "{}\t{}\t{}\t{coded}\tp={p:.2}\t{}\t{}",
                g.cid,
                if kept { "kept-wrong" } else { "dropped-real" },
                l.kind,
                g.label.kind,
                g.sentence
            );
        }
    }
    println!(
        "gold {} candidates: {} ({} documents), by the lexicon's type; right = coded with the \
         annotators' type; recall = real events (of any type) coded with their type",
        args.split,
        matched.len(),
        matched
            .iter()
            .map(|(g, _, _)| &g.doc)
            .collect::<HashSet<_>>()
            .len()
    );
    println!("| type | candidates | right before | kept | right after | recall |");
    println!("|---|---:|---:|---:|---:|---:|");
    for (kind, r) in per
        .iter()
        .map(|(k, r)| (k.as_str(), r))
        .chain([("all", &total)])
    {
        println!(
            "| {kind} | {} | {:.1}% | {} | {:.1}% | {:.1}% |",
            r[0],
            100.0 * r[1] as f64 / r[0].max(1) as f64,
            r[2],
            100.0 * r[3] as f64 / r[2].max(1) as f64,
            100.0 * r[3] as f64 / r[4].max(1) as f64
        );
    }
    println!();
    println!(
        "kept events by the coded type; of those with the annotators' type: actor, recipient, \
         date the annotators'; fully right = type, actor, recipient and date right, of all kept"
    );
    println!("| type | kept | right type | actor | recipient | date | fully right |");
    println!("|---|---:|---:|---:|---:|---:|---:|");
    for (kind, r) in roles
        .iter()
        .map(|(k, r)| (k.as_str(), r))
        .chain([("all", &total_roles)])
    {
        println!("| {kind} | {r} |");
    }
    Ok(ExitCode::SUCCESS)
}

/// Whether a rightly typed event's actor, recipient and date are the annotators'.
#[derive(Clone, Copy)]
struct RoleScore {
    actor: bool,
    recipient: bool,
    date: bool,
}

impl RoleScore {
    fn all(&self) -> bool {
        self.actor && self.recipient && self.date
    }
}

fn score_roles(event: &Event, label: &GoldLabel) -> RoleScore {
    use rased_analyze::event_eval::{same_date, same_participants};
    RoleScore {
        actor: same_participants(&texts(&event.actors), &label.actor),
        recipient: same_participants(&texts(&event.recipients), &label.recipient),
        date: same_date(event.date.as_deref(), &label.date),
    }
}

/// Kept events of one type and how many of them are right in each respect.
#[derive(Default)]
struct RoleCounts {
    kept: usize,
    typed: usize,
    actor: usize,
    recipient: usize,
    date: usize,
    fully: usize,
}

impl RoleCounts {
    /// One kept event: `None` when its type is not the annotators'.
    fn add(&mut self, right: Option<RoleScore>) {
        self.kept += 1;
        if let Some(r) = right {
            self.typed += 1;
            self.actor += usize::from(r.actor);
            self.recipient += usize::from(r.recipient);
            self.date += usize::from(r.date);
            self.fully += usize::from(r.all());
        }
    }
}

impl std::fmt::Display for RoleCounts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let pct = |n: usize, of: usize| 100.0 * n as f64 / of.max(1) as f64;
        write!(
            f,
            "{} | {} | {:.1}% | {:.1}% | {:.1}% | {:.1}%",
            self.kept,
            self.typed,
            pct(self.actor, self.typed),
            pct(self.recipient, self.typed),
            pct(self.date, self.typed),
            pct(self.fully, self.kept)
        )
    }
}

/// The words of each participant, as the annotators' columns hold them.
fn texts(ps: &[rased_model::Participant]) -> Vec<&str> {
    ps.iter().map(|p| p.text.as_str()).collect()
}

fn print_role_error(g: &GoldCandidate, event: &Event, right: RoleScore) {
    let joined = |ps: &[rased_model::Participant]| texts(ps).join(" | ");
    let mark = |ok: bool| if ok { "ok" } else { "WRONG" };
    println!(
        "{}\t{}\t{}\tactor {} [{}] gold [{}]\trecipient {} [{}] gold [{}]\tdate {} {} gold {}\t{}",
        g.cid,
        event.kind,
        event.evidence.trigger,
        mark(right.actor),
        joined(&event.actors),
        g.label.actor,
        mark(right.recipient),
        joined(&event.recipients),
        g.label.recipient,
        mark(right.date),
        event.date.as_deref().unwrap_or("none"),
        g.label.date,
        g.sentence
    );
}

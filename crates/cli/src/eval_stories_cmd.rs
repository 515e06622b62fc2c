//! `rased eval-stories`: the story clustering against the judged pairs of `data/stories`.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context};
use rased_analyze::Analyzer;
use rased_stories::{Clusterer, MemoryIndex, Profile, Settings, Vocabulary};
use rayon::prelude::*;

/// Arguments of `rased eval-stories`.
#[derive(clap::Args, Debug)]
pub struct EvalStoriesArgs {
    /// The corpus the pairs were drawn from (JSON Lines with an `id` per record, plain or gzip).
    #[arg(long, default_value = "../shared/data/corpus/ant-multisource.jsonl.gz")]
    pub corpus: PathBuf,
    /// The judged pairs (`a b label split how note`).
    #[arg(long, default_value = "data/stories/pairs.tsv")]
    pub pairs: PathBuf,
    /// Which pairs to score: `dev` (for choosing settings), `test` (the report) or `all`.
    #[arg(long, default_value = "dev")]
    pub split: String,
    /// Similarity threshold (default: the shipped setting).
    #[arg(long)]
    pub threshold: Option<f32>,
    /// Score a range of thresholds around the setting instead of one.
    #[arg(long)]
    pub sweep: bool,
    /// Words of the body read after the title (default: the shipped setting).
    #[arg(long)]
    pub lead_words: Option<usize>,
    /// Weight of entity identities (default: the shipped setting).
    #[arg(long)]
    pub entity_weight: Option<f32>,
    /// Threshold added per day between an article and a story (default: the shipped setting).
    #[arg(long)]
    pub day_penalty: Option<f32>,
    /// Strongest terms that look candidate stories up (default: the shipped setting).
    #[arg(long)]
    pub index_terms: Option<usize>,
    /// Other settings, `name=value` or `name=v1,v2,…` (every combination is scored):
    /// `event_bonus`, `event_conflict`, `event_terms`, `max_span_days`, `window_days`,
    /// `title_weight`, `lead_words`, `max_terms`, `centroid_terms`, `max_candidates`.
    #[arg(long = "set")]
    pub set: Vec<String>,
    /// Cluster in the corpus's own order instead of by publication time.
    #[arg(long)]
    pub input_order: bool,
    /// Skip the analysis (profiles from words alone, no entities).
    #[arg(long)]
    pub no_entities: bool,
    /// Print the pairs the clustering gets wrong.
    #[arg(long)]
    pub errors: bool,
    /// Keep the analyzed corpus in this file (gzip JSON Lines): read it when it exists, write it
    /// otherwise. For iterating on the clusterer; delete it when the analysis changes.
    #[arg(long)]
    pub cache: Option<PathBuf>,
    /// Print each pair's own profile similarities and distance in days instead of clustering:
    /// `label how sim days stems entities title key slot same-outlet note` (the cosine of the
    /// whole profile, of stems only, entities only and title only; whether they share an event
    /// key, an event slot, an outlet).
    #[arg(long)]
    pub pair_similarities: bool,
}

struct Pair {
    a: String,
    b: String,
    same: bool,
    how: String,
    hard: bool,
    note: String,
}

pub fn run(args: &EvalStoriesArgs) -> anyhow::Result<ExitCode> {
    let pairs = read_pairs(&args.pairs, &args.split)?;
    if pairs.is_empty() {
        bail!("{}: no pairs in split {}", args.pairs.display(), args.split);
    }
    let analyzer = if args.no_entities || args.cache.as_ref().is_some_and(|c| c.exists()) {
        None
    } else {
        Some(Analyzer::new().context("loading the analysis resources")?)
    };
    let mut docs = match &args.cache {
        Some(c) if c.exists() => read_cache(c)?,
        _ => {
            let docs = read_corpus(&args.corpus, analyzer.as_ref())?;
            if let Some(c) = &args.cache {
                write_cache(c, &docs)?;
            }
            docs
        }
    };
    eprintln!("{} articles profiled", docs.len());
    if !args.input_order {
        docs.sort_by(|x, y| x.published.cmp(&y.published).then(x.seq.cmp(&y.seq)));
    }
    let mut base = Settings::default();
    if let Some(v) = args.lead_words {
        base.lead_words = v;
    }
    if let Some(v) = args.entity_weight {
        base.entity_weight = v;
    }
    if let Some(v) = args.day_penalty {
        base.day_penalty = v;
    }
    if let Some(v) = args.index_terms {
        base.index_terms = v;
    }
    let thresholds: Vec<f32> = match (args.sweep, args.threshold) {
        (true, _) => (10..=30).map(|i| i as f32 * 0.025).collect(),
        (false, Some(t)) => vec![t],
        (false, None) => vec![base.threshold],
    };
    let mut grid: Vec<(String, Settings)> = vec![(String::new(), base.clone())];
    for kv in &args.set {
        let (name, values) = kv
            .split_once('=')
            .with_context(|| format!("--set {kv}: expected name=value"))?;
        let mut next = Vec::new();
        for (label, s) in &grid {
            for v in values.split(',') {
                let mut s = s.clone();
                set(&mut s, name, v)?;
                next.push((format!("{label}{name}={v} "), s));
            }
        }
        grid = next;
    }
    let vocab = Vocabulary::embedded();
    let mut configs = Vec::new();
    for (label, s) in &grid {
        for &t in &thresholds {
            configs.push((
                format!("{label}{t:.3}"),
                Settings {
                    threshold: t,
                    ..s.clone()
                },
            ));
        }
    }
    let mut profiles: Vec<Profile> = Vec::new();
    let mut profiled_with: Option<Settings> = None;
    if args.pair_similarities {
        profiles = docs
            .par_iter()
            .map(|d| Profile::of(&d.article, vocab, &base))
            .collect();
        let variant = |f: &dyn Fn(&mut Settings)| -> Vec<Profile> {
            let mut st = base.clone();
            f(&mut st);
            docs.par_iter()
                .map(|d| Profile::of(&d.article, vocab, &st))
                .collect()
        };
        let stems = variant(&|s| s.entity_weight = 0.0);
        let ents = variant(&|s| {
            s.lead_words = 0;
            s.title_weight = 0.0;
        });
        let titles = variant(&|s| {
            s.lead_words = 0;
            s.entity_weight = 0.0;
        });
        print_pair_similarities(&pairs, &docs, &[&profiles, &stems, &ents, &titles]);
        return Ok(ExitCode::SUCCESS);
    }
    println!("| settings | same together | different apart | hard negatives apart | stories |");
    println!("|---|---:|---:|---:|---:|");
    for (t, settings) in &configs {
        let t = t.as_str();
        let settings = settings.clone();
        let profile_settings = Settings {
            threshold: 0.0,
            event_bonus: 0.0,
            event_conflict: 0.0,
            event_terms: 0,
            max_span_days: 0,
            window_days: 0,
            centroid_terms: 0,
            max_candidates: 0,
            index_terms: 0,
            day_penalty: 0.0,
            ..settings.clone()
        };
        if profiled_with.as_ref() != Some(&profile_settings) {
            profiles = docs
                .par_iter()
                .map(|d| Profile::of(&d.article, vocab, &settings))
                .collect();
            profiled_with = Some(profile_settings);
        }
        let clusterer = Clusterer::new(settings.clone());
        let mut index = MemoryIndex::new();
        let mut story_of: HashMap<&str, String> = HashMap::new();
        for (d, profile) in docs.iter().zip(&profiles) {
            let a = clusterer
                .assign(&mut index, &d.id, profile)
                .unwrap_or_else(|never| match never {});
            story_of.insert(d.id.as_str(), a.story);
        }
        let score = Score::of(&pairs, &story_of);
        println!(
            "| {t} | {} | {} | {} | {} |",
            score.ratio(true, None),
            score.ratio(false, None),
            score.ratio(false, Some(true)),
            index.len()
        );
        if configs.len() == 1 {
            println!();
            println!("| sampler | same together | different apart |");
            println!("|---|---:|---:|");
            for (how, (s, d)) in &score.by_how {
                println!("| {how} | {} | {} |", frac(s.0, s.1), frac(d.0, d.1));
            }
            if args.errors {
                for p in &pairs {
                    let together = together(&story_of, p);
                    if together != p.same {
                        println!(
                            "{}\t{}\t{}\t{}\t{}",
                            if p.same { "split" } else { "joined" },
                            p.a,
                            p.b,
                            p.how,
                            p.note
                        );
                    }
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Sets the setting `name` from `--set`.
fn set(s: &mut Settings, name: &str, v: &str) -> anyhow::Result<()> {
    let f = || {
        v.parse::<f32>()
            .with_context(|| format!("--set {name}={v}"))
    };
    let n = || {
        v.parse::<usize>()
            .with_context(|| format!("--set {name}={v}"))
    };
    match name {
        "event_bonus" => s.event_bonus = f()?,
        "event_conflict" => s.event_conflict = f()?,
        "event_terms" => s.event_terms = n()?,
        "max_span_days" => s.max_span_days = n()? as i32,
        "window_days" => s.window_days = n()? as i32,
        "title_weight" => s.title_weight = f()?,
        "max_terms" => s.max_terms = n()?,
        "lead_words" => s.lead_words = n()?,
        "centroid_terms" => s.centroid_terms = n()?,
        "max_candidates" => s.max_candidates = n()?,
        "day_penalty" => s.day_penalty = f()?,
        "entity_weight" => s.entity_weight = f()?,
        _ => bail!("--set {name}: no such setting"),
    }
    Ok(())
}

/// `variants[0]` holds the whole profiles, the others the stem, entity and title profiles.
fn print_pair_similarities(pairs: &[Pair], docs: &[Doc], variants: &[&[Profile]]) {
    let profiles = variants[0];
    let at: HashMap<&str, usize> = docs
        .iter()
        .enumerate()
        .map(|(i, d)| (d.id.as_str(), i))
        .collect();
    for p in pairs {
        let (Some(&a), Some(&b)) = (at.get(p.a.as_str()), at.get(p.b.as_str())) else {
            continue;
        };
        let days = match (profiles[a].day, profiles[b].day) {
            (Some(x), Some(y)) => (x - y).abs().to_string(),
            _ => "?".into(),
        };
        let extra: Vec<String> = variants[1..]
            .iter()
            .map(|v| format!("{:.3}", v[a].cosine(&v[b].terms)))
            .collect();
        let keys_a: std::collections::HashSet<_> = profiles[a].events.iter().map(|e| e.1).collect();
        let slots_a: std::collections::HashSet<_> =
            profiles[a].events.iter().map(|e| e.0).collect();
        let key = profiles[b].events.iter().any(|e| keys_a.contains(&e.1));
        let slot = profiles[b].events.iter().any(|e| slots_a.contains(&e.0));
        let label = if p.same {
            "same"
        } else if p.hard {
            "hard"
        } else {
            "different"
        };
        println!(
            "{label}\t{}\t{:.3}\t{days}\t{}\t{}\t{}\t{}\t{}",
            p.how,
            profiles[a].cosine(&profiles[b].terms),
            extra.join("\t"),
            key as u8,
            slot as u8,
            (p.a.get(..2) == p.b.get(..2)) as u8,
            p.note
        );
    }
}

fn together(story_of: &HashMap<&str, String>, p: &Pair) -> bool {
    matches!((story_of.get(p.a.as_str()), story_of.get(p.b.as_str())), (Some(x), Some(y)) if x == y)
}

/// `(right, total)` of some pairs.
type Tally = (usize, usize);

#[derive(Default)]
struct Score {
    /// (same, hard) → (right, total)
    counts: HashMap<(bool, bool), Tally>,
    /// how → ((same right, same total), (different right, different total))
    by_how: BTreeMap<String, (Tally, Tally)>,
}

impl Score {
    fn of(pairs: &[Pair], story_of: &HashMap<&str, String>) -> Score {
        let mut s = Score::default();
        for p in pairs {
            let right = together(story_of, p) == p.same;
            let c = s.counts.entry((p.same, p.hard)).or_default();
            c.0 += right as usize;
            c.1 += 1;
            let h = s.by_how.entry(p.how.clone()).or_default();
            let c = if p.same { &mut h.0 } else { &mut h.1 };
            c.0 += right as usize;
            c.1 += 1;
        }
        s
    }

    /// The share right of the `same` (or different) pairs, optionally only hard or not.
    fn ratio(&self, same: bool, hard: Option<bool>) -> String {
        let (mut r, mut n) = (0, 0);
        for (&(s, h), &(right, total)) in &self.counts {
            if s == same && hard.is_none_or(|want| want == h) {
                r += right;
                n += total;
            }
        }
        frac(r, n)
    }
}

fn frac(r: usize, n: usize) -> String {
    if n == 0 {
        return "–".into();
    }
    format!("{:.1}% ({r}/{n})", 100.0 * r as f64 / n as f64)
}

fn read_pairs(path: &Path, split: &str) -> anyhow::Result<Vec<Pair>> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("reading the pairs {}", path.display()))?;
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate().skip(1) {
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() < 5 {
            bail!(
                "{}:{}: expected a b label split how note",
                path.display(),
                n + 1
            );
        }
        if f[2] == "unsure" || (split != "all" && f[3] != split) {
            continue;
        }
        let note = f.get(5).copied().unwrap_or("");
        out.push(Pair {
            a: f[0].to_string(),
            b: f[1].to_string(),
            same: f[2] == "same",
            how: f[4].to_string(),
            hard: note.starts_with("hard:"),
            note: note.to_string(),
        });
    }
    Ok(out)
}

/// An article of the corpus with its corpus id and position.
struct Doc {
    id: String,
    seq: usize,
    published: Option<String>,
    article: rased_model::Article,
}

/// Every record of the corpus, extracted (and analyzed when `analyzer` is given).
fn read_corpus(path: &Path, analyzer: Option<&Analyzer>) -> anyhow::Result<Vec<Doc>> {
    let records = crate::bench_cmd::read_records(path, &|_| true)?;
    Ok(records
        .into_par_iter()
        .filter_map(|mut r| {
            if let Some(a) = analyzer {
                // An article the analysis refuses (too complex) is left out, as ingest would.
                a.analyze(&mut r.article).ok()?;
            }
            Some(Doc {
                id: r.id,
                seq: r.seq,
                published: r.article.published.clone(),
                article: r.article,
            })
        })
        .collect())
}

fn write_cache(path: &Path, docs: &[Doc]) -> anyhow::Result<()> {
    use std::io::Write;
    let f = std::fs::File::create(path).with_context(|| format!("creating {}", path.display()))?;
    let mut w =
        flate2::write::GzEncoder::new(std::io::BufWriter::new(f), flate2::Compression::fast());
    for d in docs {
        serde_json::to_writer(&mut w, &(&d.id, d.seq, &d.article))?;
        w.write_all(b"\n")?;
    }
    w.finish()?.flush()?;
    Ok(())
}

fn read_cache(path: &Path) -> anyhow::Result<Vec<Doc>> {
    use std::io::BufRead;
    let f = std::fs::File::open(path).with_context(|| format!("opening {}", path.display()))?;
    let r = std::io::BufReader::new(flate2::read::GzDecoder::new(f));
    let mut out = Vec::new();
    for line in r.lines() {
        let (id, seq, article): (String, usize, rased_model::Article) =
            serde_json::from_str(&line?)?;
        out.push(Doc {
            id,
            seq,
            published: article.published.clone(),
            article,
        });
    }
    Ok(out)
}

//! The in-domain gold set (`data/ner/gold/`): whole documents in the ANERcorp `token TAG`
//! format, one file per document under `docs/`, and `split.tsv` assigning each document to
//! `train` or `test`. The `test` documents are for evaluation only: nothing here hands them
//! to training ([`GoldSet::train_docs`] never returns them).

use std::path::{Path, PathBuf};

use super::train::{read_conll, Sentence};
use super::{entity_spans, EntityType, Model, NerError, Tag};
use crate::eval::Evaluation;

/// Which part of the gold set a document belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Split {
    Train,
    Test,
}

/// One gold document: its name (the file stem), split and sentences (the title first).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoldDoc {
    pub name: String,
    pub split: Split,
    pub sentences: Vec<Sentence>,
}

impl GoldDoc {
    /// Number of tokens.
    pub fn tokens(&self) -> usize {
        self.sentences.iter().map(|s| s.tokens.len()).sum()
    }
    /// Number of gold mentions (CoNLL chunks).
    pub fn mentions(&self) -> usize {
        self.sentences
            .iter()
            .map(|s| entity_spans(&s.tags).len())
            .sum()
    }
}

/// A gold set: its documents in `split.tsv` order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoldSet {
    pub dir: PathBuf,
    pub docs: Vec<GoldDoc>,
}

impl GoldSet {
    /// Reads `dir/split.tsv` (a header line, then `doc … split` with the split in the last
    /// column) and every listed `dir/docs/<doc>.txt`. A document without a file, a split other
    /// than `train` / `test`, or a file not listed is an error (nothing is silently left out).
    pub fn read(dir: &Path) -> Result<GoldSet, NerError> {
        let split_path = dir.join("split.tsv");
        let text = std::fs::read_to_string(&split_path).map_err(|source| NerError::Io {
            path: split_path.display().to_string(),
            source,
        })?;
        let format = |line: usize, msg: String| NerError::Format {
            path: split_path.display().to_string(),
            line,
            msg,
        };
        let mut docs = Vec::new();
        for (ln, line) in text.lines().enumerate().skip(1) {
            if line.trim().is_empty() {
                continue;
            }
            let cols: Vec<&str> = line.split('\t').collect();
            let (name, split) = (cols[0].trim(), cols[cols.len() - 1].trim());
            let split = match split {
                "train" => Split::Train,
                "test" => Split::Test,
                other => return Err(format(ln + 1, format!("split `{other}`"))),
            };
            if docs.iter().any(|d: &GoldDoc| d.name == name) {
                return Err(format(ln + 1, format!("`{name}` listed twice")));
            }
            let sentences = read_conll(&dir.join("docs").join(format!("{name}.txt")))?;
            docs.push(GoldDoc {
                name: name.to_string(),
                split,
                sentences,
            });
        }
        if let Ok(entries) = std::fs::read_dir(dir.join("docs")) {
            for e in entries.flatten() {
                let p = e.path();
                if p.extension().is_some_and(|x| x == "txt") {
                    let stem = p.file_stem().unwrap_or_default().to_string_lossy();
                    if !docs.iter().any(|d| d.name == stem) {
                        return Err(format(0, format!("docs/{stem}.txt is not in split.tsv")));
                    }
                }
            }
        }
        Ok(GoldSet {
            dir: dir.to_path_buf(),
            docs,
        })
    }

    /// The `test` documents (for evaluation only).
    pub fn test_docs(&self) -> impl Iterator<Item = &GoldDoc> {
        self.docs.iter().filter(|d| d.split == Split::Test)
    }

    /// The `train` documents, split into (train, dev): with `dev_every = Some(n)` the i-th
    /// train document (in `split.tsv` order) goes to dev when `i % n == n - 1`. Never returns a
    /// `test` document.
    pub fn train_docs(&self, dev_every: Option<usize>) -> (Vec<&GoldDoc>, Vec<&GoldDoc>) {
        self.train_docs_fold(dev_every, dev_every.map_or(0, |n| n.saturating_sub(1)))
    }

    /// As [`GoldSet::train_docs`], with the i-th train document in dev when
    /// `i % n == fold % n`: folds `0..n` cover every train document once (cross-validation).
    pub fn train_docs_fold(
        &self,
        dev_every: Option<usize>,
        fold: usize,
    ) -> (Vec<&GoldDoc>, Vec<&GoldDoc>) {
        let mut train = Vec::new();
        let mut dev = Vec::new();
        for (i, d) in self
            .docs
            .iter()
            .filter(|d| d.split == Split::Train)
            .enumerate()
        {
            match dev_every {
                Some(n) if n > 0 && i % n == fold % n => dev.push(d),
                _ => train.push(d),
            }
        }
        (train, dev)
    }
}

/// One mention error: a gold mention the model did not reproduce exactly, or a predicted one
/// that is not in the gold (token ranges within the sentence, half-open).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MentionError {
    pub doc: String,
    pub sentence: usize,
    /// The gold mention (`None`: a spurious prediction overlapping no gold mention).
    pub gold: Option<(usize, usize, EntityType)>,
    /// The predicted mention overlapping it (`None`: missed entirely).
    pub pred: Option<(usize, usize, EntityType)>,
    pub tokens: Vec<String>,
}

/// A model's scores on a set of gold documents.
#[derive(Debug, Clone, Default)]
pub struct GoldReport {
    pub docs: usize,
    pub sentences: usize,
    pub tokens: usize,
    /// Entity-level scores (CoNLL rules, per type and micro-averaged overall).
    pub eval: Evaluation,
    /// Every mention error, in document order: each gold mention not found exactly (with the
    /// overlapping prediction, if any), then each wrong prediction overlapping no gold one.
    pub errors: Vec<MentionError>,
}

fn overlaps(a: (usize, usize, EntityType), b: (usize, usize, EntityType)) -> bool {
    a.0 < b.1 && b.0 < a.1
}

/// Tags every sentence of `docs` with `model` and scores the result against the gold tags.
pub fn evaluate_docs<'a>(model: &Model, docs: impl IntoIterator<Item = &'a GoldDoc>) -> GoldReport {
    evaluate_docs_with(docs, |d| {
        d.sentences
            .iter()
            .map(|s| {
                let toks: Vec<&str> = s.tokens.iter().map(String::as_str).collect();
                model.tag_tokens(&toks)
            })
            .collect()
    })
}

/// Scores the whole analysis — tagger, gazetteer, resolution and coreference — on `docs`: the
/// mentions of the entities [`crate::Analyzer`] finds, as token tags (see [`analyzed_tags`]).
pub fn evaluate_docs_analyzed<'a>(
    analyzer: &crate::Analyzer,
    docs: impl IntoIterator<Item = &'a GoldDoc>,
) -> GoldReport {
    evaluate_docs_with(docs, |d| analyzed_tags(analyzer, d))
}

/// The document as the analyzer sees it: every sentence (the title first) on its own line,
/// tokens joined by spaces, and each token's range in that text in code points (the unit of
/// the output's mention offsets).
fn document_text(doc: &GoldDoc) -> (String, Vec<Vec<(usize, usize)>>) {
    let mut text = String::new();
    let mut chars = 0;
    let mut offsets = Vec::with_capacity(doc.sentences.len());
    for s in &doc.sentences {
        if !text.is_empty() {
            text.push('\n');
            chars += 1;
        }
        let mut spans = Vec::with_capacity(s.tokens.len());
        for (i, t) in s.tokens.iter().enumerate() {
            if i > 0 {
                text.push(' ');
                chars += 1;
            }
            let n = t.chars().count();
            spans.push((chars, chars + n));
            chars += n;
            text.push_str(t);
        }
        offsets.push(spans);
    }
    (text, offsets)
}

/// The publication date of a gold document, from the `YYYYMMDD` that ends its name.
fn published_of(name: &str) -> Option<String> {
    let d = name.rsplit('-').next()?;
    (d.len() == 8 && d.bytes().all(|b| b.is_ascii_digit()))
        .then(|| format!("{}-{}-{}", &d[..4], &d[4..6], &d[6..]))
}

/// The analyzer's entity mentions of `doc` as BIO tags per gold sentence. A token is inside a
/// mention when their ranges overlap (a mention may start after a token's proclitic,
/// `وحفتر` → `حفتر`; the gold tags the whole token). Mentions coreference linked through a
/// title, role or nominal (`الجنرال الليبي`), and country adjectives (`السعودي`), are references,
/// not names, and are left out.
pub fn analyzed_tags(analyzer: &crate::Analyzer, doc: &GoldDoc) -> Vec<Vec<Tag>> {
    let (text, offsets) = document_text(doc);
    let mut article = rased_model::Article {
        id: doc.name.clone(),
        title: doc.sentences.first().map(|s| s.tokens.join(" ")),
        published: published_of(&doc.name),
        body: text,
        ..Default::default()
    };
    let mut tags: Vec<Vec<Tag>> = offsets.iter().map(|s| vec![Tag::O; s.len()]).collect();
    if analyzer.analyze(&mut article).is_err() {
        return tags;
    }
    let mut mentions: Vec<(usize, usize, EntityType)> = Vec::new();
    for e in &article.entities {
        let Some(kind) = EntityType::from_contract_name(&e.kind) else {
            continue;
        };
        for m in &e.mentions {
            if matches!(
                m.link.as_deref(),
                Some("title" | "role" | "nominal" | "nisba")
            ) {
                continue;
            }
            mentions.push((m.start, m.end, kind));
        }
    }
    mentions.sort_unstable_by_key(|m| (m.0, m.1));
    for (si, spans) in offsets.iter().enumerate() {
        let mut open: Option<usize> = None;
        for (ti, &(ts, te)) in spans.iter().enumerate() {
            let i = mentions.partition_point(|m| m.1 <= ts);
            let hit = mentions.get(i).filter(|m| m.0 < te);
            tags[si][ti] = match hit {
                Some(&(ms, _, kind)) => {
                    let continues = open == Some(ms) && ti > 0;
                    open = Some(ms);
                    if continues {
                        Tag::I(kind)
                    } else {
                        Tag::B(kind)
                    }
                }
                None => {
                    open = None;
                    Tag::O
                }
            };
        }
    }
    tags
}

/// Scores `predict`'s tags (one sequence per sentence of a document) against the gold tags.
pub fn evaluate_docs_with<'a>(
    docs: impl IntoIterator<Item = &'a GoldDoc>,
    mut predict: impl FnMut(&GoldDoc) -> Vec<Vec<Tag>>,
) -> GoldReport {
    let mut r = GoldReport::default();
    for d in docs {
        r.docs += 1;
        let predicted = predict(d);
        for (si, (s, pred)) in d.sentences.iter().zip(predicted).enumerate() {
            r.sentences += 1;
            r.tokens += s.tokens.len();
            let g: Vec<String> = s.tags.iter().map(Tag::to_string).collect();
            let p: Vec<String> = pred.iter().map(Tag::to_string).collect();
            r.eval.add(&g, &p);
            let gs = entity_spans(&s.tags);
            let ps = entity_spans(&pred);
            let err = |gold, pred| MentionError {
                doc: d.name.clone(),
                sentence: si,
                gold,
                pred,
                tokens: s.tokens.clone(),
            };
            for &gm in &gs {
                if !ps.contains(&gm) {
                    let pm = ps.iter().copied().find(|&pm| overlaps(gm, pm));
                    r.errors.push(err(Some(gm), pm));
                }
            }
            for &pm in &ps {
                if !gs.contains(&pm) && !gs.iter().any(|&gm| overlaps(gm, pm)) {
                    r.errors.push(err(None, Some(pm)));
                }
            }
        }
    }
    r
}

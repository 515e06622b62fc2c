//! The embedded index's ranking, reproduced outside tantivy: a backend that stores each
//! article's field lengths, the corpus totals and each term's positions (PostgreSQL's
//! `tsvector`) scores a match exactly as the tantivy query of [`crate::SearchIndex`] does —
//! tantivy's own [`Bm25Weight`] (same idf, same one-byte field-norm buckets), the query
//! plan's boosts and phrase frequency for phrases. Filters select without scoring.

use std::collections::HashMap;

use rased_model::Article;
use tantivy::query::{Bm25StatisticsProvider, Bm25Weight};
use tantivy::schema::Field;
use tantivy::Term;

use crate::analyzer::{exact_terms, name_terms, stem_terms};
use crate::lexemes::lexeme;
use crate::plan::{Alternative, TextField};

/// How many lengths an article keeps: one per [`TextField`], in its order.
pub const FIELD_COUNT: usize = 4;

/// An article's field lengths as tantivy counts them for its field norms: the tokens each
/// text field indexes (stem and name over title and body).
pub type FieldLengths = [u32; FIELD_COUNT];

/// The lengths of an article's fields, as [`crate::SearchIndex::add`] indexes it.
pub fn field_lengths(article: &Article) -> FieldLengths {
    let title = article.title.as_deref().unwrap_or("");
    let body = article.body.as_str();
    let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    let both = |terms: fn(&str) -> Vec<String>| count(terms(title).len() + terms(body).len());
    [
        count(exact_terms(title).len()),
        count(exact_terms(body).len()),
        both(stem_terms),
        both(name_terms),
    ]
}

/// What BM25 needs of the whole corpus: the number of documents and each field's total
/// length (the sums of [`FieldLengths`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CorpusStats {
    pub docs: u64,
    pub tokens: [u64; FIELD_COUNT],
}

impl CorpusStats {
    /// Adds one article.
    pub fn add(&mut self, lengths: &FieldLengths) {
        self.docs += 1;
        for (total, n) in self.tokens.iter_mut().zip(lengths) {
            *total += u64::from(*n);
        }
    }
}

/// The scores of one query over documents described by their lengths and term positions.
pub struct Bm25Query {
    parts: Vec<Vec<Weighted>>,
    /// The score of every match when the query has neither text nor filters (tantivy's
    /// match-all scores 1); 0 otherwise.
    constant: f32,
}

struct Weighted {
    lexemes: Vec<String>,
    field: usize,
    weight: Bm25Weight,
}

/// Tantivy's statistics interface over counts given up front. Counts are clamped to the
/// document total: tantivy asserts `df ≤ N`, and totals read apart from the counts (another
/// writer in between) may lag them.
struct Statistics<'a> {
    corpus: CorpusStats,
    doc_freq: &'a HashMap<String, u64>,
}

const TEXT_FIELDS: [TextField; 4] = [
    TextField::Title,
    TextField::Body,
    TextField::Stem,
    TextField::Name,
];

impl Bm25StatisticsProvider for Statistics<'_> {
    fn total_num_tokens(&self, field: Field) -> tantivy::Result<u64> {
        // An empty field would make the average length zero (and every score NaN).
        Ok(self.corpus.tokens[field.field_id() as usize].max(1))
    }

    fn total_num_docs(&self) -> tantivy::Result<u64> {
        Ok(self.corpus.docs.max(1))
    }

    fn doc_freq(&self, term: &Term) -> tantivy::Result<u64> {
        let field = TEXT_FIELDS[term.field().field_id() as usize];
        let value = term.value();
        let df = self
            .doc_freq
            .get(&lexeme(field, value.as_str().unwrap_or("")));
        let df = df.copied();
        Ok(df.unwrap_or(0).min(self.corpus.docs.max(1)))
    }
}

impl Bm25Query {
    /// The lexemes of a plan whose document frequencies [`Bm25Query::new`] needs, and whose
    /// positions [`Bm25Query::score`] reads; each once.
    pub fn lexemes(plan: &[Vec<Alternative>]) -> Vec<String> {
        let mut out: Vec<String> = plan
            .iter()
            .flatten()
            .flat_map(|a| a.terms.iter().map(|t| lexeme(a.field, t)))
            .collect();
        out.sort();
        out.dedup();
        out
    }

    /// Weighs a plan: `doc_freq` holds the count of each of [`Bm25Query::lexemes`];
    /// `filtered` says whether the query has any filter (an entity, a date range…).
    pub fn new(
        plan: &[Vec<Alternative>],
        corpus: CorpusStats,
        doc_freq: &HashMap<String, u64>,
        filtered: bool,
    ) -> Bm25Query {
        let stats = Statistics { corpus, doc_freq };
        let parts = plan
            .iter()
            .map(|part| {
                part.iter()
                    .map(|a| {
                        let field = Field::from_field_id(a.field.index() as u32);
                        let terms: Vec<Term> = a
                            .terms
                            .iter()
                            .map(|t| Term::from_field_text(field, t))
                            .collect();
                        let weight = Bm25Weight::for_terms(&stats, &terms)
                            .expect("counts given up front cannot fail")
                            .boost_by(a.boost);
                        Weighted {
                            lexemes: a.terms.iter().map(|t| lexeme(a.field, t)).collect(),
                            field: a.field.index(),
                            weight,
                        }
                    })
                    .collect()
            })
            .collect();
        let matches_all = plan.is_empty() && !filtered;
        let constant = if matches_all { 1.0 } else { 0.0 };
        Bm25Query { parts, constant }
    }

    /// The score of a matching document, from its field lengths and the positions of the
    /// query's lexemes in it (sorted, as a `tsvector` holds them).
    pub fn score(&self, lengths: &FieldLengths, positions: &HashMap<&str, Vec<u32>>) -> f32 {
        let norm =
            |field: usize| tantivy::fieldnorm::FieldNormReader::fieldnorm_to_id(lengths[field]);
        let mut score = 0.0f32;
        for part in &self.parts {
            for w in part {
                let tf = phrase_frequency(&w.lexemes, positions);
                if tf > 0 {
                    score += w.weight.score(norm(w.field), tf);
                }
            }
        }
        score + self.constant
    }
}

/// How often a sequence of lexemes occurs at consecutive positions (a single lexeme: how
/// often it occurs).
fn phrase_frequency(lexemes: &[String], positions: &HashMap<&str, Vec<u32>>) -> u32 {
    let Some(first) = lexemes.first().and_then(|l| positions.get(l.as_str())) else {
        return 0;
    };
    let rest: Vec<&Vec<u32>> = match lexemes[1..]
        .iter()
        .map(|l| positions.get(l.as_str()))
        .collect::<Option<Vec<_>>>()
    {
        Some(rest) => rest,
        None => return 0,
    };
    let count = first
        .iter()
        .filter(|&&p| {
            rest.iter()
                .enumerate()
                .all(|(i, ps)| ps.binary_search(&(p + i as u32 + 1)).is_ok())
        })
        .count();
    u32::try_from(count).unwrap_or(u32::MAX)
}

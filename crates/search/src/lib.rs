//! Arabic full-text search over articles (tantivy).
//!
//! Three analyzers over the same text, each its own field, queried together:
//! * `ar_exact`: tokens at the search normalization level (no tashkeel, folded alif/yeh/ة,
//!   ASCII digits, lowercase Latin) — exact words and phrases;
//! * `ar_stem`: clitic-segmented Light10 stems (والمدارس → مدارس, بالجنرال → جنرال);
//! * `ar_name`: name keys, so that كالين finds قالين and الدبيبه finds الدبيبة.
//!
//! The index is a derived copy: the store is the source of truth, and re-adding an article
//! replaces its document (by id), so indexing is idempotent.

mod analyzer;
pub mod bm25;
pub mod lexemes;
pub mod plan;
mod snippet;

use std::ops::Bound;
use std::path::Path;

use rased_model::Article;
use serde::Serialize;
use tantivy::collector::{Count, FacetCollector, TopDocs};
use tantivy::query::{
    BooleanQuery, ConstScoreQuery, Occur, PhraseQuery, Query, RangeQuery, TermQuery,
};
use tantivy::schema::{
    Facet, FacetOptions, Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, Value,
    FAST, INDEXED, STORED, STRING,
};
use tantivy::{Index, IndexReader, TantivyDocument, Term};

/// The writer handle for adding documents; [`SearchIndex::commit`] makes them durable.
pub type IndexWriter = tantivy::IndexWriter<TantivyDocument>;

pub use analyzer::{exact_terms, name_terms, stem_terms};
pub use plan::{query_plan, Alternative, TextField};
pub use snippet::{snippet, QueryTerms, Snippet};

/// Errors of the search index.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("search index {path}: {reason}")]
    Open { path: String, reason: String },
    #[error("search index: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
}

impl SearchError {
    pub fn code(&self) -> &'static str {
        match self {
            SearchError::Open { .. } => "index_open",
            SearchError::Tantivy(e) if tantivy_write_error(e) => "index_write",
            SearchError::Tantivy(_) => "index_error",
        }
    }

    /// Whether the index could not be written (full disk, file size limit, read-only).
    pub fn is_write_error(&self) -> bool {
        matches!(self, SearchError::Tantivy(e) if tantivy_write_error(e))
    }
}

/// A tantivy error that comes from the file system refusing a write.
fn tantivy_write_error(e: &tantivy::TantivyError) -> bool {
    use tantivy::TantivyError as T;
    match e {
        T::IoError(_) | T::OpenWriteError(_) | T::LockFailure(..) => true,
        // A failed merge or commit reports the I/O error as text.
        T::SystemError(m) | T::InternalError(m) => {
            let m = m.to_ascii_lowercase();
            m.contains("file too large") || m.contains("no space") || m.contains("read-only")
        }
        _ => false,
    }
}

pub type Result<T> = std::result::Result<T, SearchError>;

/// What to search for.
#[derive(Debug, Clone, Default)]
pub struct SearchQuery {
    /// Free text; `"…"` marks a phrase. Syntax characters are plain text.
    pub text: String,
    /// ISO dates, inclusive.
    pub from: Option<String>,
    pub to: Option<String>,
    /// Entity id.
    pub entity: Option<String>,
    /// PLOVER event type.
    pub event_type: Option<String>,
    pub outlet: Option<String>,
    pub limit: usize,
    pub offset: usize,
}

/// One result.
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    pub id: String,
    pub score: f32,
    pub title: String,
    pub outlet: Option<String>,
    pub published: Option<String>,
    pub snippet: Snippet,
}

/// Results with facet counts over all matches.
#[derive(Debug, Clone, Serialize, Default)]
pub struct SearchResults {
    pub total: usize,
    pub hits: Vec<Hit>,
    pub outlets: Vec<(String, u64)>,
    pub entities: Vec<(String, u64)>,
    pub months: Vec<(String, u64)>,
}

#[derive(Clone, Copy)]
struct Fields {
    id: Field,
    title: Field,
    body: Field,
    stem: Field,
    name: Field,
    outlet: Field,
    published: Field,
    day: Field,
    entity: Field,
    event_type: Field,
    facets: Field,
}

/// The article index in a directory.
pub struct SearchIndex {
    index: Index,
    reader: IndexReader,
    fields: Fields,
}

fn text_field(tokenizer: &str, stored: bool) -> TextOptions {
    let options = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(tokenizer)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    if stored {
        options.set_stored()
    } else {
        options
    }
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let fields = Fields {
        id: b.add_text_field("id", STRING | STORED),
        title: b.add_text_field("title", text_field("ar_exact", true)),
        body: b.add_text_field("body", text_field("ar_exact", true)),
        stem: b.add_text_field("stem", text_field("ar_stem", false)),
        name: b.add_text_field("name", text_field("ar_name", false)),
        outlet: b.add_text_field("outlet", STRING | STORED),
        published: b.add_text_field("published", STRING | STORED),
        day: b.add_u64_field("day", INDEXED | FAST),
        entity: b.add_text_field("entity", STRING),
        event_type: b.add_text_field("event_type", STRING),
        facets: b.add_facet_field("facets", FacetOptions::default()),
    };
    (b.build(), fields)
}

impl SearchIndex {
    /// Opens or creates the index in `dir`.
    pub fn open(dir: &Path) -> Result<Self> {
        std::fs::create_dir_all(dir).map_err(|e| SearchError::Open {
            path: dir.display().to_string(),
            reason: e.to_string(),
        })?;
        let (schema, fields) = schema();
        let directory =
            tantivy::directory::MmapDirectory::open(dir).map_err(|e| SearchError::Open {
                path: dir.display().to_string(),
                reason: e.to_string(),
            })?;
        let index = Index::open_or_create(directory, schema)?;
        analyzer::register(&index);
        let reader = index.reader()?;
        Ok(SearchIndex {
            index,
            reader,
            fields,
        })
    }

    /// A writer for adding articles; commit it to make them searchable.
    pub fn writer(&self) -> Result<IndexWriter> {
        Ok(self.index.writer(64 * 1024 * 1024)?)
    }

    /// Adds (or replaces) an article's document.
    pub fn add(&self, writer: &IndexWriter, article: &Article) -> Result<()> {
        let f = self.fields;
        writer.delete_term(Term::from_field_text(f.id, &article.id));
        let mut doc = TantivyDocument::default();
        doc.add_text(f.id, &article.id);
        let title = article.title.as_deref().unwrap_or("");
        doc.add_text(f.title, title);
        doc.add_text(f.body, &article.body);
        for text in [title, article.body.as_str()] {
            doc.add_text(f.stem, text);
            doc.add_text(f.name, text);
        }
        if let Some(outlet) = &article.outlet {
            doc.add_text(f.outlet, outlet);
            doc.add_facet(f.facets, Facet::from_path(["outlet", outlet.as_str()]));
        }
        if let Some(published) = &article.published {
            doc.add_text(f.published, published);
            if let Some(day) = day_number(published) {
                doc.add_u64(f.day, day);
                doc.add_facet(f.facets, Facet::from_path(["month", &published[..7]]));
            }
        }
        for e in &article.entities {
            doc.add_text(f.entity, &e.id);
            doc.add_facet(f.facets, Facet::from_path(["entity", e.id.as_str()]));
        }
        for ev in &article.events {
            doc.add_text(f.event_type, &ev.kind);
        }
        writer.add_document(doc)?;
        Ok(())
    }

    /// Commits added documents, recording `seq` (the highest store sequence number they
    /// include) in the commit so a later run knows where the index stands.
    pub fn commit(&self, writer: &mut IndexWriter, seq: i64) -> Result<()> {
        let mut prepared = writer.prepare_commit()?;
        prepared.set_payload(&seq.to_string());
        prepared.commit()?;
        self.reader.reload()?;
        Ok(())
    }

    /// The store sequence number of the last commit (0 for a new index).
    pub fn indexed_seq(&self) -> Result<i64> {
        let metas = self.index.load_metas()?;
        Ok(metas
            .payload
            .as_deref()
            .and_then(|p| p.parse().ok())
            .unwrap_or(0))
    }

    /// Makes committed changes visible to searches from this handle.
    pub fn reload(&self) -> Result<()> {
        Ok(self.reader.reload()?)
    }

    /// Number of indexed articles.
    pub fn len(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Runs a search.
    pub fn search(&self, q: &SearchQuery) -> Result<SearchResults> {
        let query = self.build_query(q);
        let searcher = self.reader.searcher();
        let limit = if q.limit == 0 { 20 } else { q.limit };
        let mut facets = FacetCollector::for_field("facets");
        for root in ["/outlet", "/entity", "/month"] {
            facets.add_facet(root);
        }
        let top = TopDocs::with_limit(limit)
            .and_offset(q.offset)
            .order_by_score();
        let (top, total, facet_counts) = searcher.search(&query, &(top, Count, facets))?;
        let query_terms = snippet::QueryTerms::new(&q.text);
        let mut hits = Vec::with_capacity(top.len());
        for (score, address) in top {
            let doc: TantivyDocument = searcher.doc(address)?;
            let text = |field: Field| {
                doc.get_first(field)
                    .and_then(|v| v.as_str())
                    .map(str::to_string)
            };
            let body = text(self.fields.body).unwrap_or_default();
            hits.push(Hit {
                id: text(self.fields.id).unwrap_or_default(),
                score,
                title: text(self.fields.title).unwrap_or_default(),
                outlet: text(self.fields.outlet),
                published: text(self.fields.published),
                snippet: snippet(&body, &query_terms, 40),
            });
        }
        let counts = |root: &str| -> Vec<(String, u64)> {
            facet_counts
                .top_k(root, 20)
                .into_iter()
                .map(|(facet, n)| {
                    let path = facet.to_path();
                    (path.last().map_or(String::new(), |s| s.to_string()), n)
                })
                .collect()
        };
        Ok(SearchResults {
            total,
            hits,
            outlets: counts("/outlet"),
            entities: counts("/entity"),
            months: counts("/month"),
        })
    }

    fn build_query(&self, q: &SearchQuery) -> Box<dyn Query> {
        let f = self.fields;
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for part in plan::query_plan(&q.text) {
            let alternatives: Vec<(Occur, Box<dyn Query>)> = part
                .iter()
                .map(|a| (Occur::Should, self.alternative_query(a)))
                .collect();
            clauses.push((Occur::Must, Box::new(BooleanQuery::new(alternatives))));
        }
        let filter_term = |field: Field, value: &Option<String>| {
            value.as_ref().map(|v| {
                (
                    Occur::Must,
                    filter(term_query_raw(Term::from_field_text(field, v))),
                )
            })
        };
        clauses.extend(filter_term(f.entity, &q.entity));
        clauses.extend(filter_term(f.event_type, &q.event_type));
        clauses.extend(filter_term(f.outlet, &q.outlet));
        if q.from.is_some() || q.to.is_some() {
            let bound = |d: &Option<String>| match d.as_deref().and_then(day_number) {
                Some(n) => Bound::Included(Term::from_field_u64(f.day, n)),
                None => Bound::Unbounded,
            };
            let (from, to) = (bound(&q.from), bound(&q.to));
            // Dates that do not parse bound nothing (callers check them first); tantivy panics
            // on a range with no bound at all (found by the `search_query` fuzz target).
            if !matches!((&from, &to), (Bound::Unbounded, Bound::Unbounded)) {
                clauses.push((Occur::Must, filter(Box::new(RangeQuery::new(from, to)))));
            }
        }
        if clauses.is_empty() {
            clauses.push((Occur::Must, Box::new(tantivy::query::AllQuery)));
        }
        Box::new(BooleanQuery::new(clauses))
    }
}

impl SearchIndex {
    /// One alternative of a query part as a tantivy query: a term, or a phrase of terms.
    fn alternative_query(&self, a: &plan::Alternative) -> Box<dyn Query> {
        let f = self.fields;
        let field = match a.field {
            TextField::Title => f.title,
            TextField::Body => f.body,
            TextField::Stem => f.stem,
            TextField::Name => f.name,
        };
        let query = match a.terms.as_slice() {
            [term] => term_query(field, term),
            terms => Box::new(PhraseQuery::new(
                terms
                    .iter()
                    .map(|t| Term::from_field_text(field, t))
                    .collect(),
            )),
        };
        if a.boost == 1.0 {
            query
        } else {
            boosted(query, a.boost)
        }
    }
}

fn term_query(field: Field, text: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, text),
        IndexRecordOption::WithFreqs,
    ))
}

fn term_query_raw(term: Term) -> Box<dyn Query> {
    Box::new(TermQuery::new(term, IndexRecordOption::Basic))
}

/// A clause that selects without scoring: filters do not rank (tantivy would otherwise score
/// an entity filter higher in an article that names fewer entities, and a date range by
/// whether it covers a whole segment), so ranking is the text's BM25 alone.
fn filter(q: Box<dyn Query>) -> Box<dyn Query> {
    Box::new(ConstScoreQuery::new(q, 0.0))
}

fn boosted(q: Box<dyn Query>, boost: f32) -> Box<dyn Query> {
    Box::new(tantivy::query::BoostQuery::new(q, boost))
}

/// `2025-08-25…` → 20250825 (the day number date filters compare).
pub fn day_number(date: &str) -> Option<u64> {
    let d = date.get(..10)?;
    let digits: String = d.chars().filter(char::is_ascii_digit).collect();
    (digits.len() == 8).then(|| digits.parse().ok()).flatten()
}

/// A word or a quoted phrase of a query.
#[derive(Debug, PartialEq, Eq)]
pub enum QueryPart {
    Word(String),
    Phrase(String),
}

/// Splits a user query into words and `"…"`/`«…»` phrases. An unbalanced quote is plain text;
/// every other character is text too (no query syntax to get wrong).
pub fn split_query(text: &str) -> Vec<QueryPart> {
    let mut parts = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        let open = rest.find(['"', '«', '“']);
        let Some(open) = open else {
            parts.extend(words(rest));
            break;
        };
        let quote = rest[open..].chars().next().unwrap_or('"');
        let close_char = match quote {
            '«' => '»',
            '“' => '”',
            _ => '"',
        };
        let after = &rest[open + quote.len_utf8()..];
        match after.find(close_char) {
            Some(close) => {
                parts.extend(words(&rest[..open]));
                let phrase = after[..close].trim();
                if !phrase.is_empty() {
                    parts.push(QueryPart::Phrase(phrase.to_string()));
                }
                rest = &after[close + close_char.len_utf8()..];
            }
            None => {
                parts.extend(words(rest));
                break;
            }
        }
    }
    parts
}

fn words(text: &str) -> Vec<QueryPart> {
    rased_text::tokenize::Tokens::new(text)
        .filter(|t| t.kind.is_word() || t.kind == rased_text::tokenize::TokenKind::Number)
        .map(|t| QueryPart::Word(t.text.to_string()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_splitting_handles_phrases_and_unbalanced_quotes() {
        assert_eq!(
            split_query("حفتر \"شرق ليبيا\" «الهجرة غير الشرعية»"),
            vec![
                QueryPart::Word("حفتر".into()),
                QueryPart::Phrase("شرق ليبيا".into()),
                QueryPart::Phrase("الهجرة غير الشرعية".into())
            ]
        );
        assert_eq!(
            split_query("\"حفتر (AND) OR*"),
            vec![
                QueryPart::Word("حفتر".into()),
                QueryPart::Word("AND".into()),
                QueryPart::Word("OR".into())
            ]
        );
    }
}

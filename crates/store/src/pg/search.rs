//! Search on PostgreSQL with rased's own analyzers: the query becomes a `tsquery` of the same
//! lexemes the articles' `tsvector`s hold ([`rased_search::lexemes`]), matched on the GIN
//! index; filters are SQL. Ranking is the embedded index's BM25, computed by rased
//! ([`rased_search::bm25`]) from what one statement returns per match — its field lengths and
//! the positions of the query's lexemes — with document frequencies counted on the GIN index
//! and corpus totals from `search_totals`. The same statement's rows give the total and the
//! facets; only the page of hits reads titles and bodies (for rased's snippets).

use std::collections::{BTreeSet, HashMap};

use rased_search::bm25::{self, Bm25Query, CorpusStats};
use rased_search::{query_plan, snippet, Hit, QueryTerms, SearchQuery, SearchResults};

use super::{push_arg, refs, PgStore};
use crate::Result;

/// How many values each facet lists (as the embedded index's facets do).
const FACET_LIMIT: usize = 20;

/// One matching article as the ranking statement returns it.
struct Match {
    seq: i64,
    score: f32,
}

impl PgStore {
    /// Runs a search with the embedded index's syntax, semantics and ranking.
    pub fn search(&self, q: &SearchQuery) -> Result<SearchResults> {
        let plan = query_plan(&q.text);
        let lexemes = Bm25Query::lexemes(&plan);
        let mut args: Vec<String> = Vec::new();
        let mut conditions = String::new();
        let mut conn = self.conn()?;
        let mut tx = conn.transaction()?;
        if let Some(tsquery) = rased_search::lexemes::query_tsquery(&q.text) {
            // The planner underrates what reading each row's tsvector costs (it is large and
            // stored out of line) and chose a sequential scan for common words: 2.2 s at 40k
            // articles against 0.1 s through the GIN index, which is always right here.
            tx.batch_execute("SET LOCAL enable_seqscan = off")?;
            // Inlined as a literal (quotes doubled), not a parameter: with a parameter the
            // planner does not see the query's lexemes and scanned the table.
            conditions.push_str(&format!(" AND a.tsv @@ {}", tsquery_literal(&tsquery)));
        }
        if let Some(entity) = &q.entity {
            let n = push_arg(&mut args, entity.clone());
            conditions.push_str(&format!(" AND a.entity_ids @> ARRAY[${n}]::text[]"));
        }
        if let Some(kind) = &q.event_type {
            let n = push_arg(&mut args, kind.clone());
            conditions.push_str(&format!(" AND ${n} = ANY(a.event_types)"));
        }
        if let Some(outlet) = &q.outlet {
            let n = push_arg(&mut args, outlet.clone());
            conditions.push_str(&format!(" AND a.outlet = ${n}"));
        }
        let day = |d: &Option<String>| d.as_deref().and_then(rased_search::day_number);
        let (from, to) = (day(&q.from), day(&q.to));
        if let Some(from) = from {
            conditions.push_str(&format!(" AND a.day >= {from}"));
        }
        if let Some(to) = to {
            conditions.push_str(&format!(" AND a.day <= {to}"));
        }
        let filtered = !args.is_empty() || from.is_some() || to.is_some();
        let scorer = weigh(&mut tx, &plan, &lexemes, filtered)?;

        let mut params = refs(&args);
        let lexeme_param = format!("${}", params.len() + 1);
        params.push(&lexemes as &(dyn postgres::types::ToSql + Sync));
        let rows = tx.query(
            &format!(
                "SELECT a.seq, a.field_lengths, a.outlet, a.entity_ids,
                    CASE WHEN a.day IS NOT NULL THEN substr(a.published, 1, 7) END,
                    ARRAY(SELECT u.lexeme || ' ' || array_to_string(u.positions, ' ')
                          FROM unnest(a.tsv) u WHERE u.lexeme = ANY({lexeme_param}))
                 FROM articles a WHERE true{conditions}"
            ),
            &params,
        )?;
        let mut facets = Facets::default();
        let mut matches: Vec<Match> = Vec::with_capacity(rows.len());
        for row in &rows {
            let lengths = lengths_of(row.get::<_, Option<Vec<i32>>>(1));
            let found: Vec<String> = row.get(5);
            let positions = positions_of(&found);
            matches.push(Match {
                seq: row.get(0),
                score: scorer.score(&lengths, &positions),
            });
            facets.count(row.get(2), row.get(3), row.get(4));
        }
        // Best first; ties in storage order, as the embedded index breaks them (by document
        // address, i.e. in the order articles were added).
        matches.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.seq.cmp(&b.seq)));
        let limit = if q.limit == 0 { 20 } else { q.limit };
        let page: Vec<&Match> = matches.iter().skip(q.offset).take(limit).collect();
        let hits = hits_of(&mut tx, q, &page)?;
        tx.commit()?;
        Ok(SearchResults {
            total: matches.len(),
            hits,
            outlets: facets.outlets.top(),
            entities: facets.entities.top(),
            months: facets.months.top(),
        })
    }
}

fn tsquery_literal(tsquery: &str) -> String {
    format!("'{}'::tsquery", tsquery.replace('\'', "''"))
}

/// The query's BM25 weights: corpus totals, and each lexeme's document frequency over all
/// articles (as tantivy's, over the whole index, not the filtered matches), in one
/// statement of counts on the GIN index.
fn weigh(
    tx: &mut postgres::Transaction<'_>,
    plan: &[Vec<rased_search::Alternative>],
    lexemes: &[String],
    filtered: bool,
) -> Result<Bm25Query> {
    let totals: Vec<i64> = tx
        .query("SELECT total FROM search_totals ORDER BY slot", &[])?
        .iter()
        .map(|r| r.get(0))
        .collect();
    let mut corpus = CorpusStats::default();
    if let Some((docs, tokens)) = totals.split_first() {
        corpus.docs = (*docs).max(0) as u64;
        for (slot, n) in corpus.tokens.iter_mut().zip(tokens) {
            *slot = (*n).max(0) as u64;
        }
    }
    let mut doc_freq: HashMap<String, u64> = HashMap::new();
    if !lexemes.is_empty() {
        let counts: Vec<String> = lexemes
            .iter()
            .map(|l| {
                let tsquery = tsquery_literal(&rased_search::lexemes::quoted_lexeme(l));
                format!("(SELECT COUNT(*) FROM articles WHERE tsv @@ {tsquery})")
            })
            .collect();
        let row = tx.query_one(&format!("SELECT {}", counts.join(", ")), &[])?;
        for (i, l) in lexemes.iter().enumerate() {
            doc_freq.insert(l.clone(), row.get::<_, i64>(i).max(0) as u64);
        }
    }
    Ok(Bm25Query::new(plan, corpus, &doc_freq, filtered))
}

/// A row's `field_lengths` (zeros for an article not yet measured).
fn lengths_of(stored: Option<Vec<i32>>) -> bm25::FieldLengths {
    let mut lengths = [0u32; bm25::FIELD_COUNT];
    for (slot, n) in lengths.iter_mut().zip(stored.unwrap_or_default()) {
        *slot = n.max(0) as u32;
    }
    lengths
}

/// `lexeme p1 p2 …` strings (what the ranking statement returns) as positions by lexeme.
/// A lexeme holds no space: the analyzers split words at spaces.
fn positions_of(found: &[String]) -> HashMap<&str, Vec<u32>> {
    found
        .iter()
        .filter_map(|s| {
            let (lexeme, positions) = s.split_once(' ')?;
            let positions = positions
                .split(' ')
                .filter_map(|p| p.parse().ok())
                .collect();
            Some((lexeme, positions))
        })
        .collect()
}

/// The page's hits, in rank order, with rased's snippets.
fn hits_of(
    tx: &mut postgres::Transaction<'_>,
    q: &SearchQuery,
    page: &[&Match],
) -> Result<Vec<Hit>> {
    let seqs: Vec<i64> = page.iter().map(|m| m.seq).collect();
    let query_terms = QueryTerms::new(&q.text);
    let mut by_seq: HashMap<i64, Hit> = tx
        .query(
            "SELECT seq, id, COALESCE(title, ''), outlet, published, body
             FROM articles WHERE seq = ANY($1)",
            &[&seqs],
        )?
        .iter()
        .map(|r| {
            let hit = Hit {
                id: r.get(1),
                score: 0.0,
                title: r.get(2),
                outlet: r.get(3),
                published: r.get(4),
                snippet: snippet(r.get::<_, &str>(5), &query_terms, 40),
            };
            (r.get(0), hit)
        })
        .collect();
    Ok(page
        .iter()
        .filter_map(|m| {
            let mut hit = by_seq.remove(&m.seq)?;
            hit.score = m.score;
            Some(hit)
        })
        .collect())
}

/// Facet counts over the matches: each article once per value.
#[derive(Default)]
struct Facets {
    outlets: Counts,
    entities: Counts,
    months: Counts,
}

impl Facets {
    fn count(&mut self, outlet: Option<String>, entities: Vec<String>, month: Option<String>) {
        self.outlets.add(outlet);
        let distinct: BTreeSet<String> = entities.into_iter().collect();
        for e in distinct {
            self.entities.add(Some(e));
        }
        self.months.add(month);
    }
}

#[derive(Default)]
struct Counts(HashMap<String, u64>);

impl Counts {
    fn add(&mut self, value: Option<String>) {
        if let Some(v) = value {
            *self.0.entry(v).or_default() += 1;
        }
    }

    /// The most frequent values, ties in value order.
    fn top(self) -> Vec<(String, u64)> {
        let mut counts: Vec<(String, u64)> = self.0.into_iter().collect();
        counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        counts.truncate(FACET_LIMIT);
        counts
    }
}

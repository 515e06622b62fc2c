//! Search on PostgreSQL with rased's own analyzers: the query becomes a `tsquery` of the same
//! lexemes the articles' `tsvector`s hold ([`rased_search::lexemes`]), matched on the GIN
//! index; filters and facets are SQL over the matching rows; snippets are rased's, as the
//! embedded index makes them. Ranking approaches the embedded index's BM25: the sum, over the
//! query's lexemes (and phrases), of `ts_rank` with the embedded index's field boosts as
//! weights times the lexeme's inverse document frequency (counted on the GIN index at query
//! time). `ts_rank`'s term-frequency and length terms are not BM25's, so top hits overlap
//! the embedded index's but are not always the same; BENCHMARKS.md reports the overlap.

use rased_search::{snippet, Hit, QueryTerms, SearchQuery, SearchResults};

use super::{refs, PgStore};
use crate::Result;

/// How many values each facet lists (as the embedded index's facets do).
const FACET_LIMIT: i64 = 20;

impl PgStore {
    /// Runs a search with the embedded index's syntax and semantics.
    pub fn search(&self, q: &SearchQuery) -> Result<SearchResults> {
        let mut args: Vec<String> = Vec::new();
        let mut conditions = String::new();
        let terms = rased_search::lexemes::query_tsquery_terms(&q.text);
        // Inlined as literals (quotes doubled), not parameters: with a parameter the planner
        // does not see the query's lexemes and scanned the table (1 s per statement at 40k
        // articles instead of 0.1 s).
        let literal = |t: &str| format!("'{}'::tsquery", t.replace('\'', "''"));
        let mut conn = self.conn()?;
        let mut tx = conn.transaction()?;
        let rank = if terms.is_empty() {
            "1.0::float4".to_string()
        } else {
            // The planner underrates what reading each row's tsvector costs (it is large and
            // stored out of line) and chose a sequential scan for common words: 2.2 s at 40k
            // articles against 0.1 s through the GIN index, which is always right here.
            tx.batch_execute("SET LOCAL enable_seqscan = off")?;
            conditions.push_str(&format!(" AND a.tsv @@ {}", literal(&terms.join(" & "))));
            // Ranked as BM25 ranks (tantivy scores every field term of a word or phrase):
            // each alternative of each query part weighs its `ts_rank` (field weights,
            // document length) by its inverse document frequency.
            let alternatives: Vec<String> =
                rased_search::lexemes::query_tsquery_alternatives(&q.text)
                    .into_iter()
                    .flatten()
                    .collect();
            let idf = term_idf(&mut tx, &alternatives)?;
            let parts: Vec<String> = alternatives
                .iter()
                .zip(idf)
                .map(|(t, idf)| {
                    format!(
                        "{idf:.6}::float4 * ts_rank('{}'::float4[], a.tsv, {}, 1)",
                        rased_search::lexemes::RANK_WEIGHTS,
                        literal(t)
                    )
                })
                .collect();
            parts.join(" + ")
        };
        if let Some(entity) = &q.entity {
            args.push(entity.clone());
            conditions.push_str(&format!(
                " AND a.entity_ids @> ARRAY[${}]::text[]",
                args.len()
            ));
        }
        if let Some(kind) = &q.event_type {
            args.push(kind.clone());
            conditions.push_str(&format!(" AND ${} = ANY(a.event_types)", args.len()));
        }
        if let Some(outlet) = &q.outlet {
            args.push(outlet.clone());
            conditions.push_str(&format!(" AND a.outlet = ${}", args.len()));
        }
        let day = |d: &Option<String>| d.as_deref().and_then(rased_search::day_number);
        if let Some(from) = day(&q.from) {
            conditions.push_str(&format!(" AND a.day >= {from}"));
        }
        if let Some(to) = day(&q.to) {
            conditions.push_str(&format!(" AND a.day <= {to}"));
        }
        let limit = if q.limit == 0 { 20 } else { q.limit };
        let hits_sql = format!(
            "SELECT a.id, {rank} AS score, COALESCE(a.title, ''), a.outlet, a.published, a.body
             FROM articles a WHERE true{conditions}
             ORDER BY score DESC, a.seq LIMIT {limit} OFFSET {}",
            q.offset
        );
        let params = refs(&args);
        let query_terms = QueryTerms::new(&q.text);
        let hits: Vec<Hit> = tx
            .query(&hits_sql, &params)?
            .iter()
            .map(|r| Hit {
                id: r.get(0),
                score: r.get(1),
                title: r.get(2),
                outlet: r.get(3),
                published: r.get(4),
                snippet: snippet(r.get::<_, &str>(5), &query_terms, 40),
            })
            .collect();
        let total: i64 = tx
            .query_one(
                &format!("SELECT COUNT(*) FROM articles a WHERE true{conditions}"),
                &params,
            )?
            .get(0);
        // Each facet counts the matching articles per value (an article once per value).
        let mut facet = |select: &str| -> Result<Vec<(String, u64)>> {
            let sql = format!(
                "SELECT v, COUNT(*) AS n FROM (SELECT DISTINCT a.id, {select} AS v
                 FROM articles a WHERE true{conditions}) f WHERE v IS NOT NULL
                 GROUP BY v ORDER BY n DESC, v LIMIT {FACET_LIMIT}"
            );
            Ok(tx
                .query(&sql, &params)?
                .iter()
                .map(|r| (r.get(0), r.get::<_, i64>(1) as u64))
                .collect())
        };
        let outlets = facet("a.outlet")?;
        let entities = facet("unnest(a.entity_ids)")?;
        let months = facet("CASE WHEN a.day IS NOT NULL THEN substr(a.published, 1, 7) END")?;
        tx.commit()?;
        Ok(SearchResults {
            total: total as usize,
            hits,
            outlets,
            entities,
            months,
        })
    }
}

/// BM25's inverse document frequency of each `tsquery` over all articles (as tantivy's, over
/// the whole index, not the filtered matches), ln(1 + (N − df + 0.5) / (df + 0.5)): one
/// statement of indexed counts, one per `tsquery` (a few per query word).
fn term_idf(tx: &mut postgres::Transaction<'_>, terms: &[String]) -> Result<Vec<f64>> {
    let counts: Vec<String> = terms
        .iter()
        .map(|t| {
            format!(
                "(SELECT COUNT(*) FROM articles WHERE tsv @@ '{}'::tsquery)",
                t.replace('\'', "''")
            )
        })
        .collect();
    let row = tx.query_one(
        &format!(
            "SELECT (SELECT COUNT(*) FROM articles), {}",
            counts.join(", ")
        ),
        &[],
    )?;
    let n = row.get::<_, i64>(0) as f64;
    Ok((0..terms.len())
        .map(|i| {
            let df = row.get::<_, i64>(i + 1) as f64;
            (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
        })
        .collect())
}

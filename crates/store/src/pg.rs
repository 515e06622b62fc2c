//! The PostgreSQL store: the same [`Store`] over a shared database, for many ingest workers
//! and many stateless API servers.
//!
//! * Idempotent under concurrency without read-then-write: an input claims its content key
//!   with `INSERT … ON CONFLICT DO NOTHING` first thing in its transaction, so a second worker
//!   holding the same unit waits on the unique index until the first commits, then finds it
//!   taken and writes nothing; articles, entities, mentions and events are inserted the same
//!   way by their keys.
//! * Stories and event groups stay consistent when several workers write at once: assigning
//!   them reads what earlier articles stored (fingerprint bands, group keys), so the part of
//!   each transaction that assigns them holds one transaction-scoped advisory lock until its
//!   commit. Per-key locks would not buy parallelism here: an article's eight fingerprint
//!   bands are drawn from only 2,048 band keys, so a batch of 128 articles touches most of
//!   them. Analysis (most of ingest time) runs outside the transaction
//!   and in parallel across workers; only the writes take turns.
//! * Search lives in the same rows: each article's `tsvector` of rased's lexemes is written in
//!   the transaction that stores the article (see [`rased_search::lexemes`]).

mod schema;
mod search;
mod watch;

use std::collections::BTreeMap;

use postgres::types::ToSql;
use postgres::NoTls;
use r2d2_postgres::PostgresConnectionManager;
use rased_model::Article;
use rased_search::bm25::{CorpusStats, FieldLengths};

use crate::{
    ArticleFilter, ArticleSummary, EntityRecord, EventFilter, EventRecord, Failure, InputRecord,
    PutOutcome, Result, Stats, Store, StoreError, StoryRecord,
};

type Pool = r2d2::Pool<PostgresConnectionManager<NoTls>>;
type Conn = r2d2::PooledConnection<PostgresConnectionManager<NoTls>>;
type Param<'a> = &'a (dyn ToSql + Sync);

/// The advisory lock key (`'rased'` in ASCII) that serializes story and event-group
/// assignment; the migration lock is the next key.
const ASSIGN_LOCK: i64 = 0x72_6173_6564;
const MIGRATE_LOCK: i64 = ASSIGN_LOCK + 1;

/// The PostgreSQL store: a pool of connections to one database.
pub struct PgStore {
    pool: Pool,
    url: String,
}

impl PgStore {
    /// Connects to `url` (`postgres://user@host:port/db`) with up to `connections` pooled
    /// connections, creating or migrating the schema.
    pub fn open(url: &str, connections: u32) -> Result<Self> {
        let shown = redact(url);
        let open_error = |reason: String| StoreError::Open {
            path: shown.clone(),
            reason,
        };
        let config: postgres::Config = url
            .parse()
            .map_err(|e: postgres::Error| open_error(format!("not a PostgreSQL URL: {e}")))?;
        let manager = PostgresConnectionManager::new(config, NoTls);
        let pool = r2d2::Pool::builder()
            .max_size(connections.max(1))
            .min_idle(Some(1))
            .connection_timeout(std::time::Duration::from_secs(15))
            .build(manager)
            .map_err(|e| open_error(e.to_string()))?;
        let store = PgStore { pool, url: shown };
        store.migrate()?;
        Ok(store)
    }

    /// The URL without its password, for messages.
    pub fn url(&self) -> &str {
        &self.url
    }

    fn conn(&self) -> Result<Conn> {
        self.pool.get().map_err(|e| StoreError::Open {
            path: self.url.clone(),
            reason: e.to_string(),
        })
    }

    fn migrate(&self) -> Result<()> {
        let mut conn = self.conn()?;
        // Workers start together: one migrates, the others wait and find it done.
        conn.execute("SELECT pg_advisory_lock($1)", &[&MIGRATE_LOCK])?;
        let result = (|| -> Result<()> {
            conn.batch_execute(
                "CREATE TABLE IF NOT EXISTS rased_schema (version BIGINT NOT NULL)",
            )?;
            let version: i64 = conn
                .query_opt("SELECT version FROM rased_schema", &[])?
                .map_or(0, |r| r.get(0));
            if version > schema::CURRENT {
                return Err(StoreError::NewerSchema {
                    path: self.url.clone(),
                    found: version,
                    supported: schema::CURRENT,
                });
            }
            for (i, sql) in schema::MIGRATIONS.iter().enumerate().skip(version as usize) {
                let mut tx = conn.transaction()?;
                tx.batch_execute(
                    &sql.replace("CTEXT[]", "TEXT[] COLLATE \"C\"")
                        .replace("CTEXT", "TEXT COLLATE \"C\""),
                )?;
                if i as i64 + 1 == schema::STORIES_VERSION && version > 0 {
                    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&ASSIGN_LOCK])?;
                    crate::stories::rebuild(&mut PgStories { tx: &mut tx })?;
                }
                if i as i64 + 1 == schema::SEARCH_TOTALS_VERSION {
                    measure_stored_articles(&mut tx)?;
                }
                tx.execute("DELETE FROM rased_schema", &[])?;
                tx.execute("INSERT INTO rased_schema VALUES ($1)", &[&(i as i64 + 1)])?;
                tx.commit()?;
            }
            Ok(())
        })();
        conn.execute("SELECT pg_advisory_unlock($1)", &[&MIGRATE_LOCK])?;
        result
    }

    /// Deletes every row (tests and benchmarks start from an empty database).
    pub fn clear(&self) -> Result<()> {
        self.conn()?.batch_execute(
            "TRUNCATE inputs, articles, entities, mentions, events, event_entities, failures,
                      dedup_bands, stories, story_terms, watchlists, alerts, sources,
                      http_cache, seen_urls;
             ALTER SEQUENCE article_seq RESTART;
             UPDATE search_totals SET total = 0",
        )?;
        Ok(())
    }
}

/// `postgres://user:secret@host/db` → `postgres://user:***@host/db`.
fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    match rest.split_once('@') {
        Some((user, host)) if user.contains(':') => {
            let name = user.split(':').next().unwrap_or("");
            format!("{scheme}://{name}:***@{host}")
        }
        _ => url.to_string(),
    }
}

fn now() -> String {
    crate::unix_now().to_string()
}

/// `$n` placeholders over string arguments, the way the SQLite store builds its filters.
fn push_arg(args: &mut Vec<String>, value: String) -> usize {
    args.push(value);
    args.len()
}

fn refs(args: &[String]) -> Vec<Param<'_>> {
    args.iter().map(|a| a as Param<'_>).collect()
}

fn push_article_conditions(sql: &mut String, args: &mut Vec<String>, filter: &ArticleFilter) {
    if let Some(outlet) = &filter.outlet {
        let n = push_arg(args, outlet.clone());
        sql.push_str(&format!(" AND a.outlet = ${n}"));
    }
    if let Some(entity) = &filter.entity {
        let n = push_arg(args, entity.clone());
        sql.push_str(&format!(
            " AND EXISTS (SELECT 1 FROM mentions m WHERE m.article = a.id AND m.entity = ${n})"
        ));
    }
    push_date_conditions(
        sql,
        args,
        "a.published",
        filter.from.as_deref(),
        filter.to.as_deref(),
    );
}

fn push_date_conditions(
    sql: &mut String,
    args: &mut Vec<String>,
    column: &str,
    from: Option<&str>,
    to: Option<&str>,
) {
    if let Some(from) = from {
        let n = push_arg(args, from.to_string());
        sql.push_str(&format!(" AND {column} >= ${n}"));
    }
    if let Some(to) = to {
        let n = push_arg(args, format!("{to}\u{10FFFF}"));
        sql.push_str(&format!(" AND {column} <= ${n}"));
    }
}

fn event_conditions(filter: &EventFilter) -> (String, Vec<String>) {
    let mut sql = String::new();
    let mut args: Vec<String> = Vec::new();
    if let Some(kind) = &filter.kind {
        let n = push_arg(&mut args, kind.clone());
        sql.push_str(&format!(" AND ev.type = ${n}"));
    }
    if let Some(entity) = &filter.entity {
        let n = push_arg(&mut args, entity.clone());
        sql.push_str(&format!(
            " AND (ev.article, ev.ord) IN
                  (SELECT article, ord FROM event_entities WHERE entity = ${n})"
        ));
    }
    if let Some(place) = &filter.place {
        let n = push_arg(&mut args, place.clone());
        sql.push_str(&format!(" AND strpos(ev.json, ${n}) > 0"));
    }
    push_date_conditions(
        &mut sql,
        &mut args,
        "ev.day",
        filter.from.as_deref(),
        filter.to.as_deref(),
    );
    (sql, args)
}

const ENTITY_SELECT: &str = "SELECT e.id, e.type, e.name, e.aliases,
    (SELECT COUNT(*) FROM mentions m WHERE m.entity = e.id) AS mentions,
    (SELECT COUNT(DISTINCT m.article) FROM mentions m WHERE m.entity = e.id) AS articles
    FROM entities e";

fn entity_row(r: &postgres::Row) -> EntityRecord {
    let aliases: String = r.get(3);
    EntityRecord {
        id: r.get(0),
        kind: r.get(1),
        name: r.get(2),
        aliases: serde_json::from_str(&aliases).unwrap_or_default(),
        mentions: r.get::<_, i64>(4) as u64,
        articles: r.get::<_, i64>(5) as u64,
    }
}

/// An article summary from a row of `id, title, outlet, published[, copy_of]`.
fn summary_row(r: &postgres::Row) -> ArticleSummary {
    ArticleSummary {
        id: r.get(0),
        title: r.get(1),
        outlet: r.get(2),
        published: r.get(3),
        copy_of: if r.len() > 4 { r.get(4) } else { None },
    }
}

/// An article's BM25 field lengths as the `field_lengths` column holds them.
fn field_lengths(article: &Article) -> Vec<i32> {
    column_lengths(&rased_search::bm25::field_lengths(article))
}

fn column_lengths(lengths: &FieldLengths) -> Vec<i32> {
    lengths
        .iter()
        .map(|&n| i32::try_from(n).unwrap_or(i32::MAX))
        .collect()
}

/// Adds what a transaction stored to `search_totals` (slot 0 the articles, 1 + i field i's
/// length), under the assignment lock: writers take turns.
fn add_search_totals(tx: &mut postgres::Transaction<'_>, added: &CorpusStats) -> Result<()> {
    if added.docs == 0 {
        return Ok(());
    }
    let deltas: Vec<i64> = std::iter::once(added.docs)
        .chain(added.tokens)
        .map(|n| i64::try_from(n).unwrap_or(i64::MAX))
        .collect();
    tx.execute(
        "UPDATE search_totals t SET total = t.total + d.n
         FROM unnest($1::bigint[]) WITH ORDINALITY AS d(n, i) WHERE t.slot = d.i - 1",
        &[&deltas],
    )?;
    Ok(())
}

/// Measures the field lengths of articles stored before they were kept, and recounts the
/// totals from all articles (the migration to [`schema::SEARCH_TOTALS_VERSION`]).
fn measure_stored_articles(tx: &mut postgres::Transaction<'_>) -> Result<()> {
    loop {
        let rows = tx.query(
            "SELECT seq, json FROM articles WHERE field_lengths IS NULL ORDER BY seq LIMIT 500",
            &[],
        )?;
        if rows.is_empty() {
            break;
        }
        let mut seqs: Vec<i64> = Vec::with_capacity(rows.len());
        let mut lengths: Vec<String> = Vec::with_capacity(rows.len());
        for row in &rows {
            let article: Article = serde_json::from_str(row.get(1))?;
            let l: Vec<String> = field_lengths(&article).iter().map(i32::to_string).collect();
            seqs.push(row.get(0));
            lengths.push(format!("{{{}}}", l.join(",")));
        }
        tx.execute(
            "UPDATE articles a SET field_lengths = d.l::integer[]
             FROM unnest($1::bigint[], $2::text[]) AS d(seq, l) WHERE a.seq = d.seq",
            &[&seqs, &lengths],
        )?;
    }
    tx.batch_execute(
        "UPDATE search_totals t SET total = CASE WHEN t.slot = 0
             THEN (SELECT COUNT(*) FROM articles)
             ELSE (SELECT COALESCE(SUM(field_lengths[t.slot]), 0) FROM articles) END",
    )?;
    Ok(())
}

/// What an article needs written, computed before the transaction opens so that the
/// transaction (and the assignment lock) is as short as it can be.
struct Prepared {
    role: String,
    json: String,
    simhash: u64,
    bands: [i64; 8],
    day: Option<i64>,
    entity_ids: Vec<String>,
    event_types: Vec<String>,
    tsv: String,
    lengths: FieldLengths,
    profile: rased_stories::Profile,
}

fn prepare(article: &Article) -> Result<Prepared> {
    let simhash = crate::dedup::simhash(&article.body);
    let mut entity_ids: Vec<String> = article.entities.iter().map(|e| e.id.clone()).collect();
    entity_ids.dedup();
    let mut event_types: Vec<String> = article.events.iter().map(|e| e.kind.clone()).collect();
    event_types.sort();
    event_types.dedup();
    Ok(Prepared {
        role: serde_json::to_value(article.role)?
            .as_str()
            .unwrap_or("main")
            .to_string(),
        json: serde_json::to_string(article)?,
        simhash,
        bands: crate::dedup::bands(simhash),
        day: article
            .published
            .as_deref()
            .and_then(rased_search::day_number)
            .map(|d| d as i64),
        entity_ids,
        event_types,
        tsv: rased_search::lexemes::article_tsvector(article),
        lengths: rased_search::bm25::field_lengths(article),
        profile: crate::stories::profile(article),
    })
}

impl Store for PgStore {
    fn match_watchlists(&self, after_seq: i64) -> Result<usize> {
        self.match_watchlists_after(after_seq)
    }

    fn input_done(&self, content_hash: &str) -> Result<bool> {
        Ok(self
            .conn()?
            .query_opt(
                "SELECT 1 FROM inputs WHERE content_hash = $1",
                &[&content_hash],
            )?
            .is_some())
    }

    fn put_input(&self, input: &InputRecord, articles: &[Article]) -> Result<PutOutcome> {
        let prepared: Vec<Prepared> = articles.iter().map(prepare).collect::<Result<_>>()?;
        let mut conn = self.conn()?;
        let mut tx = conn.transaction()?;
        let mut outcome = PutOutcome::default();
        let mut added = CorpusStats::default();
        // Claim the input first: a concurrent worker with the same unit waits here until this
        // transaction ends, then finds the key taken.
        let claimed = tx.execute(
            "INSERT INTO inputs (content_hash, name, articles, ingested_at)
             VALUES ($1, $2, $3, $4) ON CONFLICT (content_hash) DO NOTHING",
            &[
                &input.content_hash,
                &input.name,
                &(articles.len() as i64),
                &now(),
            ],
        )?;
        if claimed == 0 {
            outcome.duplicate_articles = articles.len();
            return Ok(outcome);
        }
        if !articles.is_empty() {
            tx.execute("SELECT pg_advisory_xact_lock($1)", &[&ASSIGN_LOCK])?;
        }
        let insert_article = tx.prepare(
            "INSERT INTO articles (id, page, role, url, title, published, outlet, source, author,
                 body, json, input, seq, day, entity_ids, event_types, tsv, field_lengths)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, nextval('article_seq'),
                 $13, $14, $15, $16::text::tsvector, $17)
             ON CONFLICT (id) DO NOTHING",
        )?;
        let find_bands = tx.prepare(
            "SELECT simhash, copies FROM dedup_bands WHERE band = ANY($1) AND article <> $2",
        )?;
        let insert_band = tx.prepare(
            "INSERT INTO dedup_bands (band, article, simhash, copies) VALUES ($1, $2, $3, $4)
             ON CONFLICT DO NOTHING",
        )?;
        let insert_entity = tx.prepare(
            "INSERT INTO entities (id, type, name, aliases) VALUES ($1, $2, $3, $4)
             ON CONFLICT (id) DO NOTHING",
        )?;
        let insert_mention = tx.prepare(
            "INSERT INTO mentions (article, entity, text, start, \"end\")
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
        )?;
        let insert_event = tx.prepare(
            "INSERT INTO events (article, ord, type, date, json, event_group, day)
             VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING",
        )?;
        let insert_participant = tx.prepare(
            "INSERT INTO event_entities (entity, article, ord) VALUES ($1, $2, $3)
             ON CONFLICT DO NOTHING",
        )?;
        for (article, p) in articles.iter().zip(&prepared) {
            let inserted = tx.execute(
                &insert_article,
                &[
                    &article.id,
                    &article.page,
                    &p.role,
                    &article.url,
                    &article.title,
                    &article.published,
                    &article.outlet,
                    &article.source,
                    &article.author,
                    &article.body,
                    &p.json,
                    &input.name,
                    &p.day,
                    &p.entity_ids,
                    &p.event_types,
                    &p.tsv,
                    &column_lengths(&p.lengths),
                ],
            )?;
            if inserted == 0 {
                outcome.duplicate_articles += 1;
                continue;
            }
            outcome.new_articles += 1;
            added.add(&p.lengths);
            // The near-duplicate group: the nearest earlier near-duplicate's, else its own.
            let mut best: Option<(u32, String)> = None;
            for row in tx.query(&find_bands, &[&p.bands.to_vec(), &article.id])? {
                let other: i64 = row.get(0);
                let d = crate::dedup::distance(p.simhash, other as u64);
                if d <= crate::dedup::MAX_DISTANCE && best.as_ref().is_none_or(|(bd, _)| d < *bd) {
                    best = Some((d, row.get(1)));
                }
            }
            let copies = best.map_or_else(|| article.id.clone(), |(_, s)| s);
            if copies != article.id {
                outcome.near_duplicates += 1;
            }
            tx.execute(
                "UPDATE articles SET simhash = $2, copies = $3 WHERE id = $1",
                &[&article.id, &(p.simhash as i64), &copies],
            )?;
            for band in p.bands {
                tx.execute(
                    &insert_band,
                    &[&band, &article.id, &(p.simhash as i64), &copies],
                )?;
            }
            let mut tables = PgStories { tx: &mut tx };
            if crate::stories::assign(&mut tables, &article.id, &copies, &p.profile)? != article.id
            {
                outcome.joined_stories += 1;
            }
            for entity in &article.entities {
                let aliases = serde_json::to_string(&entity.aliases)?;
                let new = tx.execute(
                    &insert_entity,
                    &[&entity.id, &entity.kind, &entity.name, &aliases],
                )? as usize;
                outcome.entities += new;
                if new == 0 {
                    merge_aliases(&mut tx, &entity.id, &entity.aliases)?;
                }
                for m in &entity.mentions {
                    tx.execute(
                        &insert_mention,
                        &[
                            &article.id,
                            &entity.id,
                            &m.text,
                            &(m.start as i64),
                            &(m.end as i64),
                        ],
                    )?;
                }
            }
            for (ord, event) in article.events.iter().enumerate() {
                let group = event_group(&mut tx, event)?;
                let day = event.date.as_ref().or(article.published.as_ref());
                tx.execute(
                    &insert_event,
                    &[
                        &article.id,
                        &(ord as i64),
                        &event.kind,
                        &event.date,
                        &serde_json::to_string(event)?,
                        &group,
                        &day,
                    ],
                )?;
                let participants = event
                    .actors
                    .iter()
                    .chain(&event.recipients)
                    .chain(event.place.iter());
                for entity in participants.filter_map(|p| p.entity.as_ref()) {
                    tx.execute(&insert_participant, &[entity, &article.id, &(ord as i64)])?;
                }
                outcome.events += 1;
            }
        }
        add_search_totals(&mut tx, &added)?;
        tx.execute("DELETE FROM failures WHERE input = $1", &[&input.name])?;
        tx.commit()?;
        Ok(outcome)
    }

    fn record_failure(&self, input: &str, code: &str, reason: &str) -> Result<()> {
        self.conn()?.execute(
            "INSERT INTO failures (input, code, reason, at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (input, reason) DO UPDATE SET at = excluded.at, code = excluded.code",
            &[&input, &code, &reason, &now()],
        )?;
        Ok(())
    }

    fn failures(&self) -> Result<Vec<Failure>> {
        let rows = self.conn()?.query(
            "SELECT input, code, reason, at FROM failures ORDER BY at, input",
            &[],
        )?;
        Ok(rows
            .iter()
            .map(|r| Failure {
                input: r.get(0),
                code: r.get(1),
                reason: r.get(2),
                at: r.get(3),
            })
            .collect())
    }

    fn article(&self, id: &str) -> Result<Option<Article>> {
        let row = self
            .conn()?
            .query_opt("SELECT json FROM articles WHERE id = $1", &[&id])?;
        Ok(match row {
            Some(r) => Some(serde_json::from_str(r.get::<_, &str>(0))?),
            None => None,
        })
    }

    fn articles(&self, filter: &ArticleFilter) -> Result<Vec<Article>> {
        let mut sql = String::from("SELECT a.json FROM articles a WHERE true");
        let mut args: Vec<String> = Vec::new();
        push_article_conditions(&mut sql, &mut args, filter);
        let limit = if filter.limit == 0 { 50 } else { filter.limit };
        sql.push_str(&format!(
            " ORDER BY a.published DESC NULLS LAST, a.seq DESC LIMIT {limit} OFFSET {}",
            filter.offset
        ));
        let rows = self.conn()?.query(&sql, &refs(&args))?;
        rows.iter()
            .map(|r| Ok(serde_json::from_str(r.get::<_, &str>(0))?))
            .collect()
    }

    fn max_seq(&self) -> Result<i64> {
        Ok(self
            .conn()?
            .query_one("SELECT COALESCE(MAX(seq), 0)::BIGINT FROM articles", &[])?
            .get(0))
    }

    fn articles_after_seq(&self, seq: i64, limit: usize) -> Result<Vec<(i64, Article)>> {
        let rows = self.conn()?.query(
            "SELECT seq, json FROM articles WHERE seq > $1 ORDER BY seq LIMIT $2",
            &[&seq, &(limit as i64)],
        )?;
        rows.iter()
            .map(|r| {
                Ok((
                    r.get::<_, i64>(0),
                    serde_json::from_str(r.get::<_, &str>(1))?,
                ))
            })
            .collect()
    }

    fn story_of(&self, article: &str) -> Result<Option<String>> {
        Ok(self
            .conn()?
            .query_opt("SELECT story FROM articles WHERE id = $1", &[&article])?
            .and_then(|r| r.get(0)))
    }

    fn story_members(&self, story: &str) -> Result<Vec<String>> {
        let rows = self.conn()?.query(
            "SELECT id FROM articles WHERE story = $1 ORDER BY seq",
            &[&story],
        )?;
        Ok(rows.iter().map(|r| r.get(0)).collect())
    }

    fn stats(&self) -> Result<Stats> {
        let mut conn = self.conn()?;
        let mut count = |table: &str| -> Result<u64> {
            let n: i64 = conn
                .query_one(&format!("SELECT COUNT(*) FROM {table}"), &[])?
                .get(0);
            Ok(n as u64)
        };
        Ok(Stats {
            inputs: count("inputs")?,
            articles: count("articles")?,
            entities: count("entities")?,
            mentions: count("mentions")?,
            events: count("events")?,
            failures: count("failures")?,
            stories: self
                .conn()?
                .query_one(
                    "SELECT (SELECT COUNT(DISTINCT story) FROM articles)
                          + (SELECT COUNT(*) FROM articles WHERE story IS NULL)",
                    &[],
                )?
                .get::<_, i64>(0) as u64,
        })
    }

    fn outlets(&self) -> Result<Vec<(String, u64)>> {
        let rows = self.conn()?.query(
            "SELECT outlet, COUNT(*) AS n FROM articles WHERE outlet IS NOT NULL
             GROUP BY outlet ORDER BY n DESC, outlet",
            &[],
        )?;
        Ok(rows
            .iter()
            .map(|r| (r.get(0), r.get::<_, i64>(1) as u64))
            .collect())
    }

    fn related_articles(&self, id: &str, limit: usize) -> Result<Vec<(String, f64)>> {
        let mut conn = self.conn()?;
        let rows = conn.query(
            "WITH mine AS (SELECT DISTINCT entity FROM mentions WHERE article = $1),
                  pairs AS MATERIALIZED (SELECT DISTINCT m.article, m.entity FROM mentions m
                                         WHERE m.entity IN (SELECT entity FROM mine)),
                  weight AS (SELECT entity, 1.0::float8 / COUNT(*) AS w FROM pairs
                             GROUP BY entity)
             SELECT p.article, SUM(weight.w)::float8 AS score
             FROM pairs p JOIN weight USING (entity)
             WHERE p.article <> $1
             GROUP BY p.article ORDER BY score DESC, p.article LIMIT $2",
            &[&id, &(limit as i64 * 4)],
        )?;
        let scored: Vec<(String, f64)> = rows.iter().map(|r| (r.get(0), r.get(1))).collect();
        crate::stories::read_also(id, scored, limit, |a| {
            Ok(conn
                .query_opt("SELECT story FROM articles WHERE id = $1", &[&a])?
                .and_then(|r| r.get(0)))
        })
    }

    fn entity(&self, id: &str) -> Result<Option<EntityRecord>> {
        Ok(self
            .conn()?
            .query_opt(&format!("{ENTITY_SELECT} WHERE e.id = $1"), &[&id])?
            .map(|r| entity_row(&r)))
    }

    fn find_entities(&self, name: &str) -> Result<Vec<EntityRecord>> {
        let rows = self
            .conn()?
            .query("SELECT id, name, aliases FROM entities", &[])?;
        let names = rows.iter().map(|r| {
            let aliases: Vec<String> =
                serde_json::from_str(r.get::<_, &str>(2)).unwrap_or_default();
            (r.get::<_, String>(0), r.get::<_, String>(1), aliases)
        });
        crate::sqlite::entities_by_name(name, names, |id| self.entity(id))
    }

    fn entities(
        &self,
        kind: Option<&str>,
        limit: usize,
        offset: usize,
    ) -> Result<Vec<EntityRecord>> {
        let rows = self.conn()?.query(
            &format!(
                "{ENTITY_SELECT} WHERE ($3::text IS NULL OR e.type = $3)
                 ORDER BY mentions DESC, e.id LIMIT $1 OFFSET $2"
            ),
            &[&(limit as i64), &(offset as i64), &kind],
        )?;
        Ok(rows.iter().map(entity_row).collect())
    }

    fn cooccurring(&self, id: &str, limit: usize) -> Result<Vec<(EntityRecord, u64)>> {
        let rows = self.conn()?.query(
            "WITH mine AS (SELECT DISTINCT article FROM mentions WHERE entity = $1)
             SELECT m.entity, COUNT(DISTINCT m.article) AS n
             FROM mine JOIN mentions m ON m.article = mine.article
             WHERE m.entity <> $1
             GROUP BY m.entity ORDER BY n DESC, m.entity LIMIT $2",
            &[&id, &(limit as i64)],
        )?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            let other: String = r.get(0);
            if let Some(e) = self.entity(&other)? {
                out.push((e, r.get::<_, i64>(1) as u64));
            }
        }
        Ok(out)
    }

    fn links_among(&self, ids: &[String]) -> Result<Vec<(String, String, u64)>> {
        let rows = self.conn()?.query(
            "WITH seen AS MATERIALIZED (SELECT DISTINCT article, entity FROM mentions
                                        WHERE entity = ANY($1))
             SELECT a.entity, b.entity, COUNT(*)
             FROM seen a JOIN seen b ON b.article = a.article AND a.entity < b.entity
             GROUP BY a.entity, b.entity",
            &[&ids],
        )?;
        Ok(rows
            .iter()
            .map(|r| (r.get(0), r.get(1), r.get::<_, i64>(2) as u64))
            .collect())
    }

    fn mentions_by_month(&self, id: &str) -> Result<Vec<(String, u64)>> {
        let rows = self.conn()?.query(
            "SELECT substr(a.published, 1, 7) AS month, COUNT(*)
             FROM mentions m JOIN articles a ON a.id = m.article
             WHERE m.entity = $1 AND a.published IS NOT NULL
             GROUP BY month ORDER BY month",
            &[&id],
        )?;
        Ok(rows
            .iter()
            .map(|r| (r.get(0), r.get::<_, i64>(1) as u64))
            .collect())
    }

    fn find_events(&self, filter: &EventFilter) -> Result<Vec<EventRecord>> {
        let mut sql = String::from(
            "SELECT ev.article, a.published, a.outlet, ev.json, ev.event_group,
                    (SELECT COUNT(DISTINCT g.article) FROM events g
                     WHERE g.event_group = ev.event_group)
             FROM events ev JOIN articles a ON a.id = ev.article
             WHERE true",
        );
        let (conditions, args) = event_conditions(filter);
        sql.push_str(&conditions);
        // SQLite sorts NULL first ascending and last descending; say so here.
        let order = if filter.newest_first {
            "DESC NULLS LAST"
        } else {
            "ASC NULLS FIRST"
        };
        sql.push_str(&format!(" ORDER BY ev.day {order}, ev.article, ev.ord"));
        let rows = self.conn()?.query(&sql, &refs(&args))?;
        let mut out = Vec::new();
        let mut skipped = 0;
        for r in rows {
            let event: rased_model::Event = serde_json::from_str(r.get::<_, &str>(3))?;
            if !crate::sqlite::event_matches(&event, filter) {
                continue;
            }
            if skipped < filter.offset {
                skipped += 1;
                continue;
            }
            out.push(EventRecord {
                article: r.get(0),
                published: r.get(1),
                outlet: r.get(2),
                event,
                reports: r.get::<_, i64>(5).max(1) as u64,
                group: r.get(4),
            });
            if filter.limit > 0 && out.len() >= filter.limit {
                break;
            }
        }
        Ok(out)
    }

    fn event_reports(&self, group: &str) -> Result<Vec<ArticleSummary>> {
        let rows = self.conn()?.query(
            "SELECT a.id, a.title, a.outlet, a.published FROM articles a
             WHERE a.id IN (SELECT article FROM events WHERE event_group = $1)
             ORDER BY a.seq",
            &[&group],
        )?;
        Ok(rows.iter().map(summary_row).collect())
    }

    fn event_months(&self, filter: &EventFilter) -> Result<Vec<(String, String, u64)>> {
        let (conditions, args) = event_conditions(filter);
        let from = "FROM events ev WHERE true";
        let exact = filter.entity.is_none() && filter.place.is_none() && filter.modality.is_none();
        let mut conn = self.conn()?;
        if exact {
            let sql = format!(
                "SELECT substr(ev.day, 1, 7) AS m, ev.type, COUNT(*)
                 {from}{conditions} AND ev.day IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 2"
            );
            let rows = conn.query(&sql, &refs(&args))?;
            return Ok(rows
                .iter()
                .map(|r| (r.get(0), r.get(1), r.get::<_, i64>(2) as u64))
                .collect());
        }
        let sql = format!("SELECT ev.day, ev.json {from}{conditions}");
        let rows = conn.query(&sql, &refs(&args))?;
        let mut counts: BTreeMap<(String, String), u64> = BTreeMap::new();
        for r in rows {
            let date: Option<String> = r.get(0);
            let event: rased_model::Event = serde_json::from_str(r.get::<_, &str>(1))?;
            let Some(month) = date.as_deref().and_then(|d| d.get(..7)) else {
                continue;
            };
            if crate::sqlite::event_matches(&event, filter) {
                *counts.entry((month.to_string(), event.kind)).or_default() += 1;
            }
        }
        Ok(counts.into_iter().map(|((m, t), n)| (m, t, n)).collect())
    }

    fn stories(&self, filter: &ArticleFilter) -> Result<Vec<StoryRecord>> {
        let mut sql = String::from(
            "SELECT COALESCE(a.story, a.id) AS s, MAX(COALESCE(a.published, '')) AS latest
             FROM articles a WHERE true",
        );
        let mut args: Vec<String> = Vec::new();
        push_article_conditions(&mut sql, &mut args, filter);
        let limit = if filter.limit == 0 { 50 } else { filter.limit };
        sql.push_str(&format!(
            " GROUP BY s ORDER BY latest DESC, MAX(a.seq) DESC LIMIT {limit} OFFSET {}",
            filter.offset
        ));
        let ids: Vec<String> = self
            .conn()?
            .query(&sql, &refs(&args))?
            .iter()
            .map(|r| r.get(0))
            .collect();
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            if let Some((story, _)) = self.story(&id)? {
                out.push(story);
            }
        }
        Ok(out)
    }

    fn rebuild_stories(&self) -> Result<(u64, u64)> {
        let mut conn = self.conn()?;
        let mut tx = conn.transaction()?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&ASSIGN_LOCK])?;
        let counts = crate::stories::rebuild(&mut PgStories { tx: &mut tx })?;
        tx.commit()?;
        Ok(counts)
    }

    fn story(&self, id: &str) -> Result<Option<(StoryRecord, Vec<ArticleSummary>)>> {
        let members: Vec<ArticleSummary> = self
            .conn()?
            .query(
                "SELECT id, title, outlet, published, NULLIF(copies, id) FROM articles
                 WHERE story = $1 OR (story IS NULL AND id = $1) ORDER BY seq",
                &[&id],
            )?
            .iter()
            .map(summary_row)
            .collect();
        Ok(crate::stories::story_record(members))
    }
}

/// The story index in the database, inside an open transaction.
struct PgStories<'a, 'b> {
    tx: &'a mut postgres::Transaction<'b>,
}

impl rased_stories::StoryIndex for PgStories<'_, '_> {
    type Error = StoreError;

    fn candidates(
        &mut self,
        terms: &[rased_stories::Term],
        day: Option<i32>,
        window: i32,
        limit: usize,
    ) -> Result<Vec<rased_stories::StoryState>> {
        if terms.is_empty() {
            return Ok(Vec::new());
        }
        let keys: Vec<i64> = terms.iter().map(|&t| crate::stories::term_key(t)).collect();
        // The window is a range of the `(term, last_day)` index per term.
        let (from, to) = crate::stories::window_bounds(day, window);
        let rows = self.tx.query(
            "SELECT s.id, s.first_day, s.last_day, s.size, s.centroid
             FROM (SELECT story, COUNT(*) AS n FROM story_terms
                   WHERE term = ANY($1) AND last_day >= $2 AND first_day <= $3
                   GROUP BY story ORDER BY n DESC, story LIMIT $4) c
             JOIN stories s ON s.id = c.story
             ORDER BY c.n DESC, c.story",
            &[&keys, &from, &to, &(limit as i64)],
        )?;
        Ok(rows
            .iter()
            .map(|r| rased_stories::StoryState {
                id: r.get(0),
                first_day: r.get(1),
                last_day: r.get(2),
                size: r.get::<_, i64>(3) as u32,
                centroid: crate::stories::decode_centroid(r.get(4)),
            })
            .collect())
    }

    fn put(
        &mut self,
        story: &rased_stories::StoryState,
        index_terms: &[rased_stories::Term],
    ) -> Result<()> {
        self.tx.execute(
            "INSERT INTO stories (id, first_day, last_day, size, centroid)
             VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (id) DO UPDATE SET first_day = excluded.first_day,
                 last_day = excluded.last_day, size = excluded.size,
                 centroid = excluded.centroid",
            &[
                &story.id,
                &story.first_day,
                &story.last_day,
                &i64::from(story.size),
                &crate::stories::encode_centroid(&story.centroid),
            ],
        )?;
        let keys: Vec<i64> = index_terms
            .iter()
            .map(|&t| crate::stories::term_key(t))
            .collect();
        let (first, last) = crate::stories::index_span(story);
        // Most joins leave a story's strongest terms and span as they are: only the rows
        // that differ are written (one statement, one round trip).
        self.tx.execute(
            "WITH gone AS (
                 DELETE FROM story_terms WHERE story = $2 AND term <> ALL($1)
             ), moved AS (
                 UPDATE story_terms SET first_day = $3, last_day = $4
                 WHERE story = $2 AND term = ANY($1)
                   AND (first_day IS DISTINCT FROM $3 OR last_day IS DISTINCT FROM $4)
             )
             INSERT INTO story_terms (term, story, first_day, last_day)
             SELECT t, $2, $3, $4 FROM UNNEST($1::BIGINT[]) AS t ON CONFLICT DO NOTHING",
            &[&keys, &story.id, &first, &last],
        )?;
        Ok(())
    }
}

impl crate::stories::StoryTables for PgStories<'_, '_> {
    fn story_of(&mut self, article: &str) -> Result<Option<String>> {
        Ok(self
            .tx
            .query_opt("SELECT story FROM articles WHERE id = $1", &[&article])?
            .and_then(|r| r.get(0)))
    }

    fn set_story(&mut self, article: &str, story: &str) -> Result<()> {
        self.tx.execute(
            "UPDATE articles SET story = $2 WHERE id = $1",
            &[&article, &story],
        )?;
        Ok(())
    }

    fn clear_stories(&mut self) -> Result<()> {
        self.tx.batch_execute(
            "DELETE FROM stories; DELETE FROM story_terms; UPDATE articles SET story = NULL;",
        )?;
        Ok(())
    }

    fn articles_after(
        &mut self,
        seq: i64,
        limit: usize,
    ) -> Result<Vec<crate::stories::StoredArticle>> {
        Ok(self
            .tx
            .query(
                "SELECT seq, id, copies, json FROM articles WHERE seq > $1 ORDER BY seq LIMIT $2",
                &[&seq, &(limit as i64)],
            )?
            .iter()
            .map(|r| (r.get(0), r.get(1), r.get(2), r.get(3)))
            .collect())
    }

    fn count_stories(&mut self) -> Result<u64> {
        let n: i64 = self
            .tx
            .query_one("SELECT COUNT(*) FROM stories", &[])?
            .get(0);
        Ok(n as u64)
    }
}

/// The event's group key (see the SQLite store's `event_group`): the same rule, looked up
/// here. Called under the assignment lock.
fn event_group(
    tx: &mut postgres::Transaction<'_>,
    event: &rased_model::Event,
) -> Result<Option<String>> {
    let Some((base, day)) = crate::sqlite::event_group_base(event) else {
        return Ok(None);
    };
    for offset in [0i64, -1, 1] {
        let key = format!("{base}|{}", day + offset);
        let found = tx.query_opt(
            "SELECT event_group FROM events WHERE event_group = $1 LIMIT 1",
            &[&key],
        )?;
        if let Some(row) = found {
            return Ok(row.get(0));
        }
    }
    Ok(Some(format!("{base}|{day}")))
}

fn merge_aliases(tx: &mut postgres::Transaction<'_>, id: &str, aliases: &[String]) -> Result<()> {
    if aliases.is_empty() {
        return Ok(());
    }
    let stored: String = tx
        .query_one("SELECT aliases FROM entities WHERE id = $1", &[&id])?
        .get(0);
    let mut list: Vec<String> = serde_json::from_str(&stored).unwrap_or_default();
    let before = list.len();
    for a in aliases {
        if !list.contains(a) {
            list.push(a.clone());
        }
    }
    if list.len() != before {
        tx.execute(
            "UPDATE entities SET aliases = $2 WHERE id = $1",
            &[&id, &serde_json::to_string(&list)?],
        )?;
    }
    Ok(())
}

/// Creates (dropping it first when it exists) the database `name` on the server of
/// `server_url`, and returns the URL of the new database: each test and benchmark run gets a
/// database of its own.
#[doc(hidden)]
pub fn fresh_database(server_url: &str, name: &str) -> Result<String> {
    let mut client = postgres::Client::connect(server_url, NoTls)?;
    // Two statements, each on its own: neither may run inside a transaction block.
    client.batch_execute(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))?;
    client.batch_execute(&format!("CREATE DATABASE \"{name}\""))?;
    let base = match server_url.split_once('?') {
        Some((base, _)) => base,
        None => server_url,
    };
    let (server, _) = base.rsplit_once('/').unwrap_or((base, ""));
    Ok(format!("{server}/{name}"))
}

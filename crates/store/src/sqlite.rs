//! The embedded store: one SQLite database in the data directory.

pub(crate) mod watch;

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

use rased_model::Article;
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};

use crate::schema::{CURRENT, MIGRATIONS, STORIES_VERSION};
use crate::{
    ArticleFilter, ArticleSummary, EntityRecord, EventFilter, EventRecord, Failure, InputRecord,
    PutOutcome, Result, Stats, Store, StoreError, StoryRecord,
};

/// The SQLite store: a few connections, each behind a mutex. The ingest pipeline funnels its
/// writes through one thread, and SQLite serializes writers anyway; more connections let
/// concurrent readers (the HTTP server) run side by side, which WAL mode allows even while
/// another process writes.
pub struct SqliteStore {
    conns: Vec<Mutex<Connection>>,
    next: std::sync::atomic::AtomicUsize,
    path: PathBuf,
}

impl SqliteStore {
    /// Opens (creating if needed) the store in `data_dir`, migrating the schema forward.
    pub fn open(data_dir: &Path) -> Result<Self> {
        Self::open_with_connections(data_dir, 1)
    }

    /// Opens the store with `n` connections (at least one) for concurrent readers.
    pub fn open_with_connections(data_dir: &Path, n: usize) -> Result<Self> {
        std::fs::create_dir_all(data_dir).map_err(|e| StoreError::Open {
            path: data_dir.display().to_string(),
            reason: e.to_string(),
        })?;
        let path = data_dir.join("rased.sqlite");
        let mut conns = Vec::new();
        for i in 0..n.max(1) {
            let conn = open_connection(&path)?;
            if i == 0 {
                migrate(&conn, &path)?;
            }
            conns.push(Mutex::new(conn));
        }
        Ok(SqliteStore {
            conns,
            next: Default::default(),
            path,
        })
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// A free connection, or (all busy) the next in turn.
    fn conn(&self) -> std::sync::MutexGuard<'_, Connection> {
        // A panic while holding the lock cannot leave SQLite inconsistent (transactions roll
        // back on drop), so a poisoned lock is safe to reuse.
        for c in &self.conns {
            match c.try_lock() {
                Ok(guard) => return guard,
                Err(std::sync::TryLockError::Poisoned(p)) => return p.into_inner(),
                Err(std::sync::TryLockError::WouldBlock) => {}
            }
        }
        let i = self.next.fetch_add(1, std::sync::atomic::Ordering::Relaxed) % self.conns.len();
        self.conns[i].lock().unwrap_or_else(|p| p.into_inner())
    }
}

fn open_connection(path: &Path) -> Result<Connection> {
    let conn = Connection::open(path).map_err(|e| StoreError::Open {
        path: path.display().to_string(),
        reason: e.to_string(),
    })?;
    // WAL: readers (the server) never block the writer (ingest); a second writer waits.
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.busy_timeout(std::time::Duration::from_secs(30))?;
    // One article's write runs some forty distinct statements: with rusqlite's default cache
    // of 16 they pushed each other out and were compiled again for every article (33
    // compilations per article, 3% of ingest's instructions under callgrind).
    conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
    Ok(conn)
}

/// Prepared statements a connection keeps.
const STATEMENT_CACHE: usize = 128;

/// Appends the `WHERE` conditions on articles `a` shared by article and story listings.
fn push_article_conditions(sql: &mut String, args: &mut Vec<String>, filter: &ArticleFilter) {
    if let Some(outlet) = &filter.outlet {
        args.push(outlet.to_string());
        sql.push_str(&format!(" AND a.outlet = ?{}", args.len()));
    }
    if let Some(entity) = &filter.entity {
        args.push(entity.to_string());
        sql.push_str(&format!(
            " AND EXISTS (SELECT 1 FROM mentions m WHERE m.article = a.id AND m.entity = ?{})",
            args.len()
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
        args.push(from.to_string());
        sql.push_str(&format!(" AND {column} >= ?{}", args.len()));
    }
    if let Some(to) = to {
        // Dates with times sort after the bare date: compare with the day's last string.
        args.push(format!("{to}\u{10FFFF}"));
        sql.push_str(&format!(" AND {column} <= ?{}", args.len()));
    }
}

fn migrate(conn: &Connection, path: &Path) -> Result<()> {
    let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if version > CURRENT {
        return Err(StoreError::NewerSchema {
            path: path.display().to_string(),
            found: version,
            supported: CURRENT,
        });
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
        let tx = conn.unchecked_transaction()?;
        tx.execute_batch(sql)?;
        if i as i64 + 1 == STORIES_VERSION && version > 0 {
            crate::stories::rebuild(&mut SqliteStories { tx: &tx })?;
        }
        tx.pragma_update(None, "user_version", i as i64 + 1)?;
        tx.commit()?;
    }
    Ok(())
}

fn now() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    secs.to_string()
}

impl Store for SqliteStore {
    fn match_watchlists(&self, after_seq: i64) -> Result<usize> {
        self.match_watchlists_after(after_seq)
    }

    fn input_done(&self, content_hash: &str) -> Result<bool> {
        let conn = self.conn();
        let found: Option<i64> = conn
            .query_row(
                "SELECT 1 FROM inputs WHERE content_hash = ?1",
                [content_hash],
                |r| r.get(0),
            )
            .optional()?;
        Ok(found.is_some())
    }

    fn put_input(&self, input: &InputRecord, articles: &[Article]) -> Result<PutOutcome> {
        // Outside the write lock: the profile reads only the article.
        let profiles: Vec<rased_stories::Profile> =
            articles.iter().map(crate::stories::profile).collect();
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut outcome = PutOutcome::default();
        let already: Option<i64> = tx
            .query_row(
                "SELECT 1 FROM inputs WHERE content_hash = ?1",
                [&input.content_hash],
                |r| r.get(0),
            )
            .optional()?;
        if already.is_some() {
            outcome.duplicate_articles = articles.len();
            return Ok(outcome);
        }
        let mut seq: i64 = tx.query_row("SELECT COALESCE(MAX(seq), 0) FROM articles", [], |r| {
            r.get(0)
        })?;
        for (article, profile) in articles.iter().zip(&profiles) {
            seq += 1;
            let inserted = tx
                .prepare_cached(
                    "INSERT OR IGNORE INTO articles
                 (id, page, role, url, title, published, outlet, source, author, body, json, input, seq)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
                )?
                .execute(params![
                    article.id,
                    article.page,
                    serde_json::to_value(article.role)?.as_str().unwrap_or("main"),
                    article.url,
                    article.title,
                    article.published,
                    article.outlet,
                    article.source,
                    article.author,
                    article.body,
                    serde_json::to_string(article)?,
                    input.name,
                    seq,
                ])?;
            if inserted == 0 {
                outcome.duplicate_articles += 1;
                continue;
            }
            outcome.new_articles += 1;
            let copies = assign_copies(&tx, article)?;
            if copies != article.id {
                outcome.near_duplicates += 1;
            }
            let story = crate::stories::assign(
                &mut SqliteStories { tx: &tx },
                &article.id,
                &copies,
                profile,
            )?;
            if story != article.id {
                outcome.joined_stories += 1;
            }
            for entity in &article.entities {
                let aliases = serde_json::to_string(&entity.aliases)?;
                let new = tx
                    .prepare_cached(
                        "INSERT INTO entities (id, type, name, aliases) VALUES (?1, ?2, ?3, ?4)
                     ON CONFLICT(id) DO NOTHING",
                    )?
                    .execute(params![entity.id, entity.kind, entity.name, aliases])?;
                outcome.entities += new;
                if new == 0 {
                    merge_aliases(&tx, &entity.id, &entity.aliases)?;
                }
                for m in &entity.mentions {
                    tx.prepare_cached(
                        "INSERT OR IGNORE INTO mentions (article, entity, text, start, \"end\")
                         VALUES (?1, ?2, ?3, ?4, ?5)",
                    )?
                    .execute(params![
                        article.id,
                        entity.id,
                        m.text,
                        m.start as i64,
                        m.end as i64
                    ])?;
                }
            }
            for (ord, event) in article.events.iter().enumerate() {
                let group = event_group(&tx, event)?;
                tx.prepare_cached(
                    "INSERT OR IGNORE INTO events (article, ord, type, date, json, event_group, day)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                )?
                .execute(params![
                        article.id,
                        ord as i64,
                        event.kind,
                        event.date,
                        serde_json::to_string(event)?,
                        group,
                        event.date.as_ref().or(article.published.as_ref())
                    ],
                )?;
                let participants = event
                    .actors
                    .iter()
                    .chain(&event.recipients)
                    .chain(event.place.iter());
                for entity in participants.filter_map(|p| p.entity.as_ref()) {
                    tx.prepare_cached(
                        "INSERT OR IGNORE INTO event_entities (entity, article, ord)
                         VALUES (?1, ?2, ?3)",
                    )?
                    .execute(params![entity, article.id, ord as i64])?;
                }
                outcome.events += 1;
            }
        }
        tx.prepare_cached(
            "INSERT INTO inputs (content_hash, name, articles, ingested_at) VALUES (?1, ?2, ?3, ?4)",
        )?
        .execute(params![
            input.content_hash,
            input.name,
            articles.len() as i64,
            now()
        ])?;
        // A success clears an earlier failure of the same input.
        tx.prepare_cached("DELETE FROM failures WHERE input = ?1")?
            .execute([&input.name])?;
        tx.commit()?;
        Ok(outcome)
    }

    fn record_failure(&self, input: &str, code: &str, reason: &str) -> Result<()> {
        self.conn().execute(
            "INSERT INTO failures (input, code, reason, at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT(input, reason) DO UPDATE SET at = excluded.at, code = excluded.code",
            params![input, code, reason, now()],
        )?;
        Ok(())
    }

    fn failures(&self) -> Result<Vec<Failure>> {
        let conn = self.conn();
        let mut stmt =
            conn.prepare("SELECT input, code, reason, at FROM failures ORDER BY at, input")?;
        let rows = stmt.query_map([], |r| {
            Ok(Failure {
                input: r.get(0)?,
                code: r.get(1)?,
                reason: r.get(2)?,
                at: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }

    fn article(&self, id: &str) -> Result<Option<Article>> {
        let conn = self.conn();
        let json: Option<String> = conn
            .query_row("SELECT json FROM articles WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .optional()?;
        Ok(match json {
            Some(j) => Some(serde_json::from_str(&j)?),
            None => None,
        })
    }

    fn articles(&self, filter: &ArticleFilter) -> Result<Vec<Article>> {
        let conn = self.conn();
        let mut sql = String::from("SELECT a.json FROM articles a WHERE 1=1");
        let mut args: Vec<String> = Vec::new();
        push_article_conditions(&mut sql, &mut args, filter);
        let limit = if filter.limit == 0 { 50 } else { filter.limit };
        sql.push_str(&format!(
            " ORDER BY a.published DESC, a.seq DESC LIMIT {limit} OFFSET {}",
            filter.offset
        ));
        let mut stmt = conn.prepare(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(args.iter()), |r| {
            r.get::<_, String>(0)
        })?;
        let mut out = Vec::new();
        for json in rows {
            out.push(serde_json::from_str(&json?)?);
        }
        Ok(out)
    }

    fn max_seq(&self) -> Result<i64> {
        let conn = self.conn();
        Ok(
            conn.query_row("SELECT COALESCE(MAX(seq), 0) FROM articles", [], |r| {
                r.get(0)
            })?,
        )
    }

    fn articles_after_seq(&self, seq: i64, limit: usize) -> Result<Vec<(i64, Article)>> {
        let conn = self.conn();
        let mut stmt =
            conn.prepare("SELECT seq, json FROM articles WHERE seq > ?1 ORDER BY seq LIMIT ?2")?;
        let rows = stmt.query_map(params![seq, limit as i64], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (s, json) = row?;
            out.push((s, serde_json::from_str(&json)?));
        }
        Ok(out)
    }

    fn story_of(&self, article: &str) -> Result<Option<String>> {
        let conn = self.conn();
        Ok(conn
            .query_row("SELECT story FROM articles WHERE id = ?1", [article], |r| {
                r.get(0)
            })
            .optional()?
            .flatten())
    }

    fn story_members(&self, story: &str) -> Result<Vec<String>> {
        let conn = self.conn();
        let mut stmt = conn.prepare("SELECT id FROM articles WHERE story = ?1 ORDER BY seq")?;
        let rows = stmt.query_map([story], |r| r.get(0))?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }

    fn entity(&self, id: &str) -> Result<Option<EntityRecord>> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(&format!("{ENTITY_SELECT} WHERE e.id = ?1"))?;
        Ok(stmt.query_row([id], entity_row).optional()?)
    }

    fn find_entities(&self, name: &str) -> Result<Vec<EntityRecord>> {
        let names: Vec<(String, String, Vec<String>)> = {
            let conn = self.conn();
            let mut stmt = conn.prepare_cached("SELECT id, name, aliases FROM entities")?;
            let rows = stmt.query_map([], |r| {
                let aliases: Vec<String> =
                    serde_json::from_str(&r.get::<_, String>(2)?).unwrap_or_default();
                Ok((r.get(0)?, r.get(1)?, aliases))
            })?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        entities_by_name(name, names, |id| self.entity(id))
    }

    fn entities(
        &self,
        kind: Option<&str>,
        limit: usize,
        offset: usize,
    ) -> Result<Vec<EntityRecord>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(&format!(
            "{ENTITY_SELECT} WHERE (?3 IS NULL OR e.type = ?3)
             ORDER BY mentions DESC, e.id LIMIT ?1 OFFSET ?2"
        ))?;
        let rows = stmt.query_map(params![limit as i64, offset as i64, kind], entity_row)?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }

    fn cooccurring(&self, id: &str, limit: usize) -> Result<Vec<(EntityRecord, u64)>> {
        let pairs: Vec<(String, i64)> = {
            let conn = self.conn();
            let mut stmt = conn.prepare(
                "WITH mine AS (SELECT DISTINCT article FROM mentions WHERE entity = ?1)
                 SELECT m.entity, COUNT(DISTINCT m.article) AS n
                 FROM mine JOIN mentions m ON m.article = mine.article
                 WHERE m.entity != ?1
                 GROUP BY m.entity ORDER BY n DESC, m.entity LIMIT ?2",
            )?;
            let rows = stmt.query_map(params![id, limit as i64], |r| Ok((r.get(0)?, r.get(1)?)))?;
            rows.collect::<std::result::Result<_, _>>()?
        };
        let mut out = Vec::with_capacity(pairs.len());
        for (other, n) in pairs {
            if let Some(e) = self.entity(&other)? {
                out.push((e, n as u64));
            }
        }
        Ok(out)
    }

    fn links_among(&self, ids: &[String]) -> Result<Vec<(String, String, u64)>> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(
            "WITH ids(id) AS (SELECT value FROM json_each(?1)),
                  seen AS MATERIALIZED (SELECT DISTINCT article, entity FROM mentions
                                        WHERE entity IN ids)
             SELECT a.entity, b.entity, COUNT(*)
             FROM seen a JOIN seen b ON b.article = a.article AND a.entity < b.entity
             GROUP BY a.entity, b.entity",
        )?;
        let rows = stmt.query_map([serde_json::to_string(ids)?], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get::<_, i64>(2)? as u64))
        })?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }

    fn mentions_by_month(&self, id: &str) -> Result<Vec<(String, u64)>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT substr(a.published, 1, 7) AS month, COUNT(*)
             FROM mentions m JOIN articles a ON a.id = m.article
             WHERE m.entity = ?1 AND a.published IS NOT NULL
             GROUP BY month ORDER BY month",
        )?;
        let rows = stmt.query_map([id], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)? as u64))
        })?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }

    fn find_events(&self, filter: &EventFilter) -> Result<Vec<EventRecord>> {
        let conn = self.conn();
        let mut sql = String::from(
            "SELECT ev.article, a.published, a.outlet, ev.json, ev.event_group,
                    (SELECT COUNT(DISTINCT g.article) FROM events g
                     WHERE g.event_group = ev.event_group)
             FROM events ev JOIN articles a ON a.id = ev.article
             WHERE 1=1",
        );
        let (conditions, args) = event_conditions(filter)?;
        sql.push_str(&conditions);
        let order = if filter.newest_first { "DESC" } else { "ASC" };
        sql.push_str(&format!(" ORDER BY ev.day {order}, ev.article, ev.ord"));
        let mut stmt = conn.prepare(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(args.iter()), |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, Option<String>>(1)?,
                r.get::<_, Option<String>>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, Option<String>>(4)?,
                r.get::<_, i64>(5)?,
            ))
        })?;
        let mut out = Vec::new();
        let mut skipped = 0;
        for row in rows {
            let (article, published, outlet, json, group, reports) = row?;
            let event: rased_model::Event = serde_json::from_str(&json)?;
            if !event_matches(&event, filter) {
                continue;
            }
            if skipped < filter.offset {
                skipped += 1;
                continue;
            }
            out.push(EventRecord {
                article,
                published,
                outlet,
                event,
                reports: reports.max(1) as u64,
                group,
            });
            if filter.limit > 0 && out.len() >= filter.limit {
                break;
            }
        }
        Ok(out)
    }

    fn event_reports(&self, group: &str) -> Result<Vec<ArticleSummary>> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(
            "SELECT a.id, a.title, a.outlet, a.published FROM articles a
             WHERE a.id IN (SELECT article FROM events WHERE event_group = ?1)
             ORDER BY a.seq",
        )?;
        let rows = stmt.query_map([group], |r| {
            Ok(ArticleSummary {
                id: r.get(0)?,
                title: r.get(1)?,
                outlet: r.get(2)?,
                published: r.get(3)?,
                copy_of: None,
            })
        })?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }

    fn event_months(&self, filter: &EventFilter) -> Result<Vec<(String, String, u64)>> {
        let conn = self.conn();
        let (conditions, args) = event_conditions(filter)?;
        let from = "FROM events ev WHERE 1=1";
        let exact = filter.entity.is_none() && filter.place.is_none() && filter.modality.is_none();
        if exact {
            // The SQL conditions are the whole filter: count in the database.
            let sql = format!(
                "SELECT substr(ev.day, 1, 7) AS m, ev.type, COUNT(*)
                 {from}{conditions} AND m IS NOT NULL GROUP BY m, ev.type ORDER BY m, ev.type"
            );
            let mut stmt = conn.prepare(&sql)?;
            let rows = stmt.query_map(rusqlite::params_from_iter(args.iter()), |r| {
                Ok((r.get(0)?, r.get(1)?, r.get::<_, i64>(2)? as u64))
            })?;
            return Ok(rows.collect::<std::result::Result<_, _>>()?);
        }
        // Entity, place and modality need the decoded event.
        let sql = format!("SELECT ev.day, ev.json {from}{conditions}");
        let mut stmt = conn.prepare(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(args.iter()), |r| {
            Ok((r.get::<_, Option<String>>(0)?, r.get::<_, String>(1)?))
        })?;
        let mut counts: std::collections::BTreeMap<(String, String), u64> = Default::default();
        for row in rows {
            let (date, json) = row?;
            let event: rased_model::Event = serde_json::from_str(&json)?;
            let Some(month) = date.as_deref().and_then(|d| d.get(..7)) else {
                continue;
            };
            if event_matches(&event, filter) {
                *counts.entry((month.to_string(), event.kind)).or_default() += 1;
            }
        }
        Ok(counts.into_iter().map(|((m, t), n)| (m, t, n)).collect())
    }

    fn stories(&self, filter: &ArticleFilter) -> Result<Vec<StoryRecord>> {
        let ids: Vec<String> = {
            let conn = self.conn();
            let mut sql = String::from(
                "SELECT COALESCE(a.story, a.id) AS s, MAX(COALESCE(a.published, '')) AS latest
                 FROM articles a WHERE 1=1",
            );
            let mut args: Vec<String> = Vec::new();
            push_article_conditions(&mut sql, &mut args, filter);
            let limit = if filter.limit == 0 { 50 } else { filter.limit };
            sql.push_str(&format!(
                " GROUP BY s ORDER BY latest DESC, MAX(a.seq) DESC LIMIT {limit} OFFSET {}",
                filter.offset
            ));
            let mut stmt = conn.prepare(&sql)?;
            let rows = stmt.query_map(rusqlite::params_from_iter(args.iter()), |r| r.get(0))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            if let Some((story, _)) = self.story(&id)? {
                out.push(story);
            }
        }
        Ok(out)
    }

    fn rebuild_stories(&self) -> Result<(u64, u64)> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let counts = crate::stories::rebuild(&mut SqliteStories { tx: &tx })?;
        tx.commit()?;
        Ok(counts)
    }

    fn story(&self, id: &str) -> Result<Option<(StoryRecord, Vec<ArticleSummary>)>> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(
            "SELECT id, title, outlet, published, NULLIF(copies, id) FROM articles
             WHERE story = ?1 OR (story IS NULL AND id = ?1) ORDER BY seq",
        )?;
        let members: Vec<ArticleSummary> = stmt
            .query_map([id], |r| {
                Ok(ArticleSummary {
                    id: r.get(0)?,
                    title: r.get(1)?,
                    outlet: r.get(2)?,
                    published: r.get(3)?,
                    copy_of: r.get(4)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(crate::stories::story_record(members))
    }

    fn related_articles(&self, id: &str, limit: usize) -> Result<Vec<(String, f64)>> {
        let conn = self.conn();
        // Shared entities, each weighted by how rare it is (a country mentioned everywhere
        // says little), plus a bonus for near-identical text.
        let mut stmt = conn.prepare(
            "WITH mine AS (SELECT DISTINCT entity FROM mentions WHERE article = ?1),
                  pairs AS MATERIALIZED (SELECT DISTINCT m.article, m.entity FROM mentions m
                                         WHERE m.entity IN mine),
                  weight AS (SELECT entity, 1.0 / COUNT(*) AS w FROM pairs GROUP BY entity)
             SELECT p.article, SUM(weight.w) AS score
             FROM pairs p JOIN weight USING (entity)
             WHERE p.article != ?1
             GROUP BY p.article ORDER BY score DESC, p.article LIMIT ?2",
        )?;
        let rows = stmt.query_map(params![id, limit as i64 * 4], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, f64>(1)?))
        })?;
        let scored: Vec<(String, f64)> = rows.collect::<std::result::Result<_, _>>()?;
        let mut story_of = conn.prepare_cached("SELECT story FROM articles WHERE id = ?1")?;
        crate::stories::read_also(id, scored, limit, |a| {
            Ok(story_of.query_row([a], |r| r.get(0)).optional()?.flatten())
        })
    }

    fn outlets(&self) -> Result<Vec<(String, u64)>> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(
            "SELECT outlet, COUNT(*) AS n FROM articles WHERE outlet IS NOT NULL
             GROUP BY outlet ORDER BY n DESC, outlet",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get::<_, i64>(1)? as u64)))?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }

    fn stats(&self) -> Result<Stats> {
        let conn = self.conn();
        let count = |table: &str| -> Result<u64> {
            let n: i64 =
                conn.query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |r| r.get(0))?;
            Ok(n as u64)
        };
        Ok(Stats {
            inputs: count("inputs")?,
            articles: count("articles")?,
            entities: count("entities")?,
            mentions: count("mentions")?,
            events: count("events")?,
            failures: count("failures")?,
            // Every article stored since schema 2 has its story; older ones count alone.
            stories: conn.query_row(
                "SELECT (SELECT COUNT(DISTINCT story) FROM articles)
                      + (SELECT COUNT(*) FROM articles WHERE story IS NULL)",
                [],
                |r| r.get::<_, i64>(0),
            )? as u64,
        })
    }
}

/// The group of reports an event belongs to: the same PLOVER type, the same resolved actors
/// and recipients, and a date within a day of an earlier report's. Events whose participants
/// are not resolved to entities, or that have no date, stay alone (a wrong merge is worse
/// than a missed one).
fn event_group(
    tx: &rusqlite::Transaction<'_>,
    event: &rased_model::Event,
) -> Result<Option<String>> {
    let Some((base, day)) = event_group_base(event) else {
        return Ok(None);
    };
    // A report dated a day apart (time zones, "yesterday" read a day late) joins the group.
    for offset in [0i64, -1, 1] {
        let key = format!("{base}|{}", day + offset);
        let found: Option<String> = tx
            .prepare_cached("SELECT event_group FROM events WHERE event_group = ?1 LIMIT 1")?
            .query_row([&key], |r| r.get(0))
            .optional()?;
        if let Some(group) = found {
            return Ok(Some(group));
        }
    }
    Ok(Some(format!("{base}|{day}")))
}

/// PLOVER types whose two sides do the same thing to each other: outlets name either side
/// first (`استقبل حفتر قالين`, `التقى قالين حفتر`), so their groups key on both sides as one set.
const SYMMETRIC_TYPES: [&str; 2] = ["CONSULT", "COOPERATE"];

/// The key of an event's group without its day (`TYPE|actors|recipients`, for a symmetric
/// type `TYPE|both sides|`) and the event's day number; `None` when its participants are
/// unresolved or it has no date.
pub(crate) fn event_group_base(event: &rased_model::Event) -> Option<(String, i64)> {
    let ids = |ps: &[rased_model::Participant]| -> Option<String> {
        let mut ids: Vec<&str> = ps
            .iter()
            .map(|p| p.entity.as_deref())
            .collect::<Option<_>>()?;
        ids.sort_unstable();
        ids.dedup();
        (!ids.is_empty()).then(|| ids.join("+"))
    };
    let (actors, date) = (ids(&event.actors)?, event.date.as_deref()?);
    let day = event_day(date)?;
    let recipients = ids(&event.recipients).unwrap_or_default();
    if SYMMETRIC_TYPES.contains(&event.kind.as_str()) {
        let mut sides: Vec<&str> = event
            .actors
            .iter()
            .chain(&event.recipients)
            .filter_map(|p| p.entity.as_deref())
            .collect();
        sides.sort_unstable();
        sides.dedup();
        return Some((format!("{}|{}|", event.kind, sides.join("+")), day));
    }
    Some((format!("{}|{actors}|{recipients}", event.kind), day))
}

/// The day number of an ISO date (`YYYY-MM-DD…`) used in event group keys. Keys written by
/// schema v3 count days from 0000-03-01, which is chrono's day count from 0001-01-01 plus 305;
/// the offset keeps stored keys valid.
fn event_day(date: &str) -> Option<i64> {
    use chrono::Datelike;
    let day = chrono::NaiveDate::parse_from_str(date.get(..10)?, "%Y-%m-%d").ok()?;
    Some(i64::from(day.num_days_from_ce()) + 305)
}

const ENTITY_SELECT: &str = "SELECT e.id, e.type, e.name, e.aliases,
    (SELECT COUNT(*) FROM mentions m WHERE m.entity = e.id) AS mentions,
    (SELECT COUNT(DISTINCT m.article) FROM mentions m WHERE m.entity = e.id) AS articles
    FROM entities e";

fn entity_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<EntityRecord> {
    let aliases: String = r.get(3)?;
    Ok(EntityRecord {
        id: r.get(0)?,
        kind: r.get(1)?,
        name: r.get(2)?,
        aliases: serde_json::from_str(&aliases).unwrap_or_default(),
        mentions: r.get::<_, i64>(4)? as u64,
        articles: r.get::<_, i64>(5)? as u64,
    })
}

/// Fingerprints an article and puts it in the near-duplicate group (`copies`) of its nearest
/// near-duplicate, or a group of its own, returning the group's id.
fn assign_copies(tx: &rusqlite::Transaction<'_>, article: &Article) -> Result<String> {
    // The body only: outlets rewrite headlines of the same wire story.
    let hash = crate::dedup::simhash(&article.body);
    let bands = crate::dedup::bands(hash);
    let mut best: Option<(u32, String)> = None;
    {
        let mut stmt = tx.prepare_cached(
            "SELECT simhash, copies FROM dedup_bands WHERE band = ?1 AND article != ?2",
        )?;
        for band in bands {
            let rows = stmt.query_map(params![band, article.id], |r| {
                Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
            })?;
            for row in rows {
                let (other, group) = row?;
                let d = crate::dedup::distance(hash, other as u64);
                if d <= crate::dedup::MAX_DISTANCE && best.as_ref().is_none_or(|(bd, _)| d < *bd) {
                    best = Some((d, group));
                }
            }
        }
    }
    let group = best.map_or_else(|| article.id.clone(), |(_, g)| g);
    tx.prepare_cached("UPDATE articles SET simhash = ?2, copies = ?3 WHERE id = ?1")?
        .execute(params![article.id, hash as i64, group])?;
    let mut insert = tx.prepare_cached(
        "INSERT OR IGNORE INTO dedup_bands (band, article, simhash, copies)
         VALUES (?1, ?2, ?3, ?4)",
    )?;
    for band in bands {
        insert.execute(params![band, article.id, hash as i64, group])?;
    }
    Ok(group)
}

/// The story index in the database (`stories`, `story_terms`), inside an open transaction.
struct SqliteStories<'a> {
    tx: &'a rusqlite::Transaction<'a>,
}

impl rased_stories::StoryIndex for SqliteStories<'_> {
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
        let marks = vec!["?"; terms.len()].join(",");
        let mut args: Vec<rusqlite::types::Value> = terms
            .iter()
            .map(|&t| crate::stories::term_key(t).into())
            .collect();
        // One query: the best-matching stories of the window with their state, so a
        // candidate costs no lookup of its own; the window is a range of the
        // `(term, last_day)` index per term.
        let sql = format!(
            "SELECT s.id, s.first_day, s.last_day, s.size, s.centroid
             FROM (SELECT story, COUNT(*) AS n FROM story_terms
                   WHERE term IN ({marks}) AND last_day >= ? AND first_day <= ?
                   GROUP BY story ORDER BY n DESC, story LIMIT ?) c
             JOIN stories s ON s.id = c.story ORDER BY c.n DESC, c.story"
        );
        let (from, to) = crate::stories::window_bounds(day, window);
        args.push(i64::from(from).into());
        args.push(i64::from(to).into());
        args.push((limit as i64).into());
        let mut stmt = self.tx.prepare_cached(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(args), |r| {
            Ok(rased_stories::StoryState {
                id: r.get(0)?,
                first_day: r.get(1)?,
                last_day: r.get(2)?,
                size: r.get(3)?,
                centroid: crate::stories::decode_centroid(&r.get::<_, Vec<u8>>(4)?),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn put(
        &mut self,
        story: &rased_stories::StoryState,
        index_terms: &[rased_stories::Term],
    ) -> Result<()> {
        self.tx
            .prepare_cached(
                "INSERT INTO stories (id, first_day, last_day, size, centroid)
                 VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT(id) DO UPDATE SET first_day = excluded.first_day,
                     last_day = excluded.last_day, size = excluded.size,
                     centroid = excluded.centroid",
            )?
            .execute(params![
                story.id,
                story.first_day,
                story.last_day,
                story.size,
                crate::stories::encode_centroid(&story.centroid)
            ])?;
        // A story's index rows change only when its strongest terms or its span do: most
        // joins leave them as they are, so they are rewritten only where they differ.
        let keys: Vec<i64> = index_terms
            .iter()
            .map(|&t| crate::stories::term_key(t))
            .collect();
        let stored: Vec<(i64, i32, i32)> = self
            .tx
            .prepare_cached("SELECT term, first_day, last_day FROM story_terms WHERE story = ?1")?
            .query_map([&story.id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let (first, last) = crate::stories::index_span(story);
        if stored.iter().any(|&(_, f, l)| (f, l) != (first, last)) {
            self.tx
                .prepare_cached(
                    "UPDATE story_terms SET first_day = ?2, last_day = ?3 WHERE story = ?1",
                )?
                .execute(params![story.id, first, last])?;
        }
        let mut delete = self
            .tx
            .prepare_cached("DELETE FROM story_terms WHERE term = ?1 AND story = ?2")?;
        for &(term, _, _) in &stored {
            if !keys.contains(&term) {
                delete.execute(params![term, story.id])?;
            }
        }
        let mut insert = self.tx.prepare_cached(
            "INSERT OR IGNORE INTO story_terms (term, story, first_day, last_day)
             VALUES (?1, ?2, ?3, ?4)",
        )?;
        for &term in &keys {
            if !stored.iter().any(|s| s.0 == term) {
                insert.execute(params![term, story.id, first, last])?;
            }
        }
        Ok(())
    }
}

impl crate::stories::StoryTables for SqliteStories<'_> {
    fn story_of(&mut self, article: &str) -> Result<Option<String>> {
        Ok(self
            .tx
            .prepare_cached("SELECT story FROM articles WHERE id = ?1")?
            .query_row([article], |r| r.get(0))
            .optional()?
            .flatten())
    }

    fn set_story(&mut self, article: &str, story: &str) -> Result<()> {
        self.tx
            .prepare_cached("UPDATE articles SET story = ?2 WHERE id = ?1")?
            .execute(params![article, story])?;
        Ok(())
    }

    fn clear_stories(&mut self) -> Result<()> {
        self.tx.execute_batch(
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
            .prepare_cached(
                "SELECT seq, id, copies, json FROM articles WHERE seq > ?1 ORDER BY seq LIMIT ?2",
            )?
            .query_map(params![seq, limit as i64], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })?
            .collect::<rusqlite::Result<_>>()?)
    }

    fn count_stories(&mut self) -> Result<u64> {
        let n: i64 = self
            .tx
            .query_row("SELECT COUNT(*) FROM stories", [], |r| r.get(0))?;
        Ok(n as u64)
    }
}

/// Adds aliases an article found to a stored entity's list.
fn merge_aliases(tx: &rusqlite::Transaction<'_>, id: &str, aliases: &[String]) -> Result<()> {
    if aliases.is_empty() {
        return Ok(());
    }
    let stored: String = tx
        .prepare_cached("SELECT aliases FROM entities WHERE id = ?1")?
        .query_row([id], |r| r.get(0))?;
    let mut list: Vec<String> = serde_json::from_str(&stored).unwrap_or_default();
    let before = list.len();
    for a in aliases {
        if !list.contains(a) {
            list.push(a.clone());
        }
    }
    if list.len() != before {
        tx.prepare_cached("UPDATE entities SET aliases = ?2 WHERE id = ?1")?
            .execute(params![id, serde_json::to_string(&list)?])?;
    }
    Ok(())
}

/// The SQL part of an event filter: ` AND …` conditions on `ev` (events) with their
/// arguments. The entity is looked up in `event_entities`; the place is narrowed by a
/// substring test on the stored JSON; [`event_matches`] is the exact test on the decoded
/// event.
fn event_conditions(filter: &EventFilter) -> Result<(String, Vec<String>)> {
    let mut sql = String::new();
    let mut args: Vec<String> = Vec::new();
    if let Some(kind) = &filter.kind {
        args.push(kind.clone());
        sql.push_str(&format!(" AND ev.type = ?{}", args.len()));
    }
    if let Some(entity) = &filter.entity {
        args.push(entity.clone());
        sql.push_str(&format!(
            " AND (ev.article, ev.ord) IN
                  (SELECT article, ord FROM event_entities WHERE entity = ?{})",
            args.len()
        ));
    }
    if let Some(place) = &filter.place {
        args.push(place.clone());
        sql.push_str(&format!(" AND instr(ev.json, ?{}) > 0", args.len()));
    }
    push_date_conditions(
        &mut sql,
        &mut args,
        "ev.day",
        filter.from.as_deref(),
        filter.to.as_deref(),
    );
    Ok((sql, args))
}

/// The exact part of an event filter, on a decoded event.
pub(crate) fn event_matches(event: &rased_model::Event, filter: &EventFilter) -> bool {
    if let Some(id) = &filter.entity {
        let involved = event
            .actors
            .iter()
            .chain(&event.recipients)
            .chain(event.place.iter())
            .any(|p| p.entity.as_deref() == Some(id.as_str()));
        if !involved {
            return false;
        }
    }
    if let Some(wanted) = &filter.modality {
        let modality = event.modality.as_deref().unwrap_or("asserted");
        if modality != wanted {
            return false;
        }
    }
    if let Some(place) = &filter.place {
        let at = event.place.as_ref().is_some_and(|p| {
            p.entity.as_deref() == Some(place.as_str()) || p.text.contains(place.as_str())
        });
        if !at {
            return false;
        }
    }
    true
}

/// The entities a name means, ranked: exact names first (0), then spelling variants (name
/// keys, 1), then a name that is one word of the entity's name (قالين for إبراهيم قالين, 2).
/// Names are few compared with mentions: both stores compare normalized forms here, then
/// count mentions for the matches only.
/// The entities `name` finds among `entities` (id, name, aliases), loaded by `load`: best
/// rank first ([`rank_entity_names`]), each rank most mentioned first. Both stores answer
/// `find_entities` with it.
pub(crate) fn entities_by_name(
    name: &str,
    entities: impl IntoIterator<Item = (String, String, Vec<String>)>,
    load: impl Fn(&str) -> Result<Option<EntityRecord>>,
) -> Result<Vec<EntityRecord>> {
    let ranked = rank_entity_names(name, entities);
    let mut found = Vec::with_capacity(ranked.len());
    for (rank, id) in ranked {
        if let Some(e) = load(&id)? {
            found.push((rank, e));
        }
    }
    found.sort_by(|a, b| {
        a.0.cmp(&b.0)
            .then(b.1.mentions.cmp(&a.1.mentions))
            .then_with(|| a.1.id.cmp(&b.1.id))
    });
    Ok(found.into_iter().map(|(_, e)| e).collect())
}

pub(crate) fn rank_entity_names(
    name: &str,
    entities: impl IntoIterator<Item = (String, String, Vec<String>)>,
) -> Vec<(u8, String)> {
    let wanted = rased_text::normalize_str(name.trim(), rased_text::Level::Search);
    let wanted_key = rased_text::namekey::name_key(name);
    let mut ranked: Vec<(u8, String)> = Vec::new();
    for (id, own, aliases) in entities {
        let names: Vec<&String> = std::iter::once(&own).chain(&aliases).collect();
        let rank = if id == name
            || names
                .iter()
                .any(|n| rased_text::normalize_str(n, rased_text::Level::Search) == wanted)
        {
            0
        } else if names
            .iter()
            .any(|n| rased_text::namekey::name_key(n) == wanted_key)
        {
            1
        } else if !wanted_key.contains(' ')
            && names.iter().any(|n| {
                n.split_whitespace()
                    .any(|w| rased_text::namekey::name_key(w) == wanted_key)
            })
        {
            2
        } else {
            continue;
        };
        ranked.push((rank, id));
    }
    ranked
}

#[cfg(test)]
mod migration_tests {
    use super::*;

    /// A version-3 store (fingerprints in `simhash_bands`) is migrated with its candidates:
    /// a copy ingested after the upgrade still finds its story, and old events get a day and
    /// their participants indexed.
    #[test]
    fn version_3_fingerprints_survive_the_upgrade() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("rased.sqlite");
        let body = "التقى رئيس الاستخبارات التركية إبراهيم قالين بالجنرال خليفة حفتر قائد الجيش في شرق ليبيا وذكر بيان صادر عن مكتب حفتر أن اللقاء عقد في مقر القيادة العامة بمنطقة الرجمة";
        let hash = crate::dedup::simhash(body);
        {
            let conn = Connection::open(&path).unwrap();
            for sql in &MIGRATIONS[..3] {
                conn.execute_batch(sql).unwrap();
            }
            conn.pragma_update(None, "user_version", 3).unwrap();
            conn.execute(
                "INSERT INTO articles (id, page, role, body, json, input, seq, simhash, story)
                 VALUES ('old', 'p', 'main', ?1, ?2, 'i', 1, ?3, 'old')",
                params![
                    body,
                    serde_json::to_string(&Article {
                        id: "old".into(),
                        body: body.into(),
                        ..Default::default()
                    })
                    .unwrap(),
                    hash as i64
                ],
            )
            .unwrap();
            for band in crate::dedup::bands(hash) {
                conn.execute(
                    "INSERT INTO simhash_bands (band, article) VALUES (?1, 'old')",
                    [band],
                )
                .unwrap();
            }
            conn.execute(
                "UPDATE articles SET published = '2024-05-03' WHERE id = 'old'",
                [],
            )
            .unwrap();
            let event = rased_model::Event {
                kind: "CONSULT".into(),
                actors: vec![rased_model::Participant {
                    text: "قالين".into(),
                    entity: Some("kalin".into()),
                }],
                ..Default::default()
            };
            conn.execute(
                "INSERT INTO events (article, ord, type, date, json) VALUES ('old', 0, 'CONSULT', NULL, ?1)",
                [serde_json::to_string(&event).unwrap()],
            )
            .unwrap();
        }
        let store = SqliteStore::open(dir.path()).unwrap();
        let copy = Article {
            id: "copy".into(),
            page: "p2".into(),
            body: format!("{body}. تابعونا"),
            ..Default::default()
        };
        let input = InputRecord {
            name: "x".into(),
            content_hash: "h".into(),
        };
        store.put_input(&input, &[copy]).unwrap();
        assert_eq!(store.story_of("copy").unwrap().as_deref(), Some("old"));
        // Version 5 dates an undated event by its article.
        let months = store.event_months(&EventFilter::default()).unwrap();
        assert_eq!(
            months,
            vec![("2024-05".to_string(), "CONSULT".to_string(), 1)]
        );
        // Version 6 indexes the participants of old events.
        let kalin = EventFilter {
            entity: Some("kalin".into()),
            ..Default::default()
        };
        assert_eq!(store.find_events(&kalin).unwrap().len(), 1);
    }
}

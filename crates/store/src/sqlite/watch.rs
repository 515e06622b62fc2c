//! The store side of `rased watch`: source health and schedules, HTTP validators for
//! conditional GET, the article URLs already handled, watchlists and alerts (schema 7).

use rusqlite::{params, OptionalExtension};

use super::SqliteStore;
use crate::matching::watchlist_matches;
use crate::{
    Alert, AlertFilter, HttpValidators, PollRecord, Result, SourceHealth, Store, WatchStore,
    Watchlist,
};

/// Seconds since the Unix epoch.
pub fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

fn source_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<SourceHealth> {
    Ok(SourceHealth {
        url: r.get(0)?,
        kind: r.get(1)?,
        last_poll: r.get(2)?,
        last_success: r.get(3)?,
        last_status: r.get(4)?,
        last_error: r.get(5)?,
        items_found: r.get::<_, i64>(6)? as u64,
        new_items: r.get::<_, i64>(7)? as u64,
        polls: r.get::<_, i64>(8)? as u64,
        errors: r.get::<_, i64>(9)? as u64,
        consecutive_errors: r.get::<_, i64>(10)? as u64,
        interval_s: r.get(11)?,
        next_poll: r.get(12)?,
    })
}

const SOURCE_COLUMNS: &str = "url, kind, last_poll, last_success, last_status, last_error,
    items_found, new_items, polls, errors, consecutive_errors, interval_s, next_poll";

fn watchlist_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Watchlist> {
    Ok(Watchlist {
        name: r.get(0)?,
        query: r.get(1)?,
        entity: r.get(2)?,
        event_type: r.get(3)?,
        place: r.get(4)?,
        outlet: r.get(5)?,
        webhook: r.get(6)?,
        created_at: r.get(7)?,
    })
}

const WATCHLIST_COLUMNS: &str =
    "name, query, entity, event_type, place, outlet, webhook, created_at";

const ALERT_SELECT: &str = "SELECT al.id, al.watchlist, al.article, a.url, a.title, al.matched,
    al.at, al.delivered_at, al.attempts, al.last_error
    FROM alerts al LEFT JOIN articles a ON a.id = al.article";

fn alert_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Alert> {
    Ok(Alert {
        id: r.get(0)?,
        watchlist: r.get(1)?,
        article: r.get(2)?,
        url: r.get(3)?,
        title: r.get(4)?,
        matched: r.get(5)?,
        at: r.get(6)?,
        delivered_at: r.get(7)?,
        attempts: r.get::<_, i64>(8)? as u32,
        last_error: r.get(9)?,
    })
}

impl SqliteStore {
    /// Makes sure a source has a row (a source listed but never polled shows in `rased
    /// sources`).
    pub fn ensure_source(&self, url: &str) -> Result<()> {
        self.conn()
            .execute("INSERT OR IGNORE INTO sources (url) VALUES (?1)", [url])?;
        Ok(())
    }

    pub fn source(&self, url: &str) -> Result<Option<SourceHealth>> {
        let conn = self.conn();
        Ok(conn
            .query_row(
                &format!("SELECT {SOURCE_COLUMNS} FROM sources WHERE url = ?1"),
                [url],
                source_row,
            )
            .optional()?)
    }

    /// Every source, in URL order.
    pub fn sources(&self) -> Result<Vec<SourceHealth>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(&format!(
            "SELECT {SOURCE_COLUMNS} FROM sources ORDER BY url"
        ))?;
        let rows = stmt.query_map([], source_row)?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }

    /// Records one poll of a source: its counters, its status and its next poll.
    pub fn record_poll(&self, p: &PollRecord) -> Result<()> {
        let now = unix_now();
        self.conn().execute(
            "INSERT INTO sources (url, kind, last_poll, last_success, last_status, last_error,
                items_found, new_items, polls, errors, consecutive_errors, interval_s, next_poll)
             VALUES (?1, ?2, ?3, CASE WHEN ?4 THEN ?3 END, ?5, ?6, ?7, ?8, 1,
                CASE WHEN ?4 THEN 0 ELSE 1 END, CASE WHEN ?4 THEN 0 ELSE 1 END, ?9, ?10)
             ON CONFLICT(url) DO UPDATE SET
                kind = COALESCE(excluded.kind, kind),
                last_poll = excluded.last_poll,
                last_success = CASE WHEN ?4 THEN excluded.last_poll ELSE last_success END,
                last_status = excluded.last_status,
                last_error = excluded.last_error,
                items_found = items_found + excluded.items_found,
                new_items = new_items + excluded.new_items,
                polls = polls + 1,
                errors = errors + CASE WHEN ?4 THEN 0 ELSE 1 END,
                consecutive_errors = CASE WHEN ?4 THEN 0 ELSE consecutive_errors + 1 END,
                interval_s = excluded.interval_s,
                next_poll = excluded.next_poll",
            params![
                p.url,
                p.kind,
                now,
                p.ok,
                p.status,
                p.error,
                p.items_found as i64,
                p.new_items as i64,
                p.interval_s,
                p.next_poll,
            ],
        )?;
        Ok(())
    }

    /// The `ETag` and `Last-Modified` of the last answer for `url`.
    pub fn validators(&self, url: &str) -> Result<Option<HttpValidators>> {
        let conn = self.conn();
        Ok(conn
            .query_row(
                "SELECT etag, last_modified FROM http_cache WHERE url = ?1",
                [url],
                |r| {
                    Ok(HttpValidators {
                        etag: r.get(0)?,
                        last_modified: r.get(1)?,
                    })
                },
            )
            .optional()?)
    }

    pub fn set_validators(&self, url: &str, v: &HttpValidators) -> Result<()> {
        self.conn().execute(
            "INSERT INTO http_cache (url, etag, last_modified, checked_at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT(url) DO UPDATE SET etag = excluded.etag,
                last_modified = excluded.last_modified, checked_at = excluded.checked_at",
            params![url, v.etag, v.last_modified, unix_now()],
        )?;
        Ok(())
    }

    /// Remembers the child sitemaps of a sitemap index (JSON list).
    pub fn set_children(&self, url: &str, children: &[String]) -> Result<()> {
        self.conn().execute(
            "INSERT INTO http_cache (url, checked_at, children) VALUES (?1, ?2, ?3)
             ON CONFLICT(url) DO UPDATE SET children = excluded.children",
            params![url, unix_now(), serde_json::to_string(children)?],
        )?;
        Ok(())
    }

    /// The child sitemaps last listed by the sitemap index at `url`.
    pub fn children(&self, url: &str) -> Result<Vec<String>> {
        let conn = self.conn();
        let json: Option<Option<String>> = conn
            .query_row(
                "SELECT children FROM http_cache WHERE url = ?1",
                [url],
                |r| r.get(0),
            )
            .optional()?;
        match json.flatten() {
            Some(j) => Ok(serde_json::from_str(&j)?),
            None => Ok(Vec::new()),
        }
    }

    /// Of the article URLs a poll of `source` found, those to fetch: never seen, or failed
    /// with a passing error whose retry time has come (fewer than `max_attempts` tries). The
    /// source's own retries that are due come too, even when the source no longer lists
    /// them (a feed that answered 304 lists nothing).
    pub fn urls_to_fetch(
        &self,
        source: &str,
        found: &[String],
        max_attempts: u32,
    ) -> Result<Vec<String>> {
        let now = unix_now();
        let conn = self.conn();
        let mut out = Vec::new();
        let mut seen = std::collections::HashSet::new();
        {
            let mut stmt = conn
                .prepare_cached("SELECT state, attempts, next_try FROM seen_urls WHERE url = ?1")?;
            for url in found {
                if !seen.insert(url.clone()) {
                    continue;
                }
                let row: Option<(String, i64, Option<i64>)> = stmt
                    .query_row([url], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                    .optional()?;
                let due = match row {
                    None => true,
                    Some((state, attempts, next_try)) => {
                        state == "retry"
                            && (attempts as u32) < max_attempts
                            && next_try.unwrap_or(0) <= now
                    }
                };
                if due {
                    out.push(url.clone());
                }
            }
        }
        let mut stmt = conn.prepare_cached(
            "SELECT url FROM seen_urls WHERE source = ?1 AND state = 'retry'
             AND attempts < ?2 AND COALESCE(next_try, 0) <= ?3 ORDER BY url",
        )?;
        let retries = stmt.query_map(params![source, max_attempts as i64, now], |r| {
            r.get::<_, String>(0)
        })?;
        for url in retries {
            let url = url?;
            if seen.insert(url.clone()) {
                out.push(url);
            }
        }
        Ok(out)
    }

    /// Records what became of an article URL: `done` (ingested, or nothing to ingest),
    /// `failed` (for good: not retried) or `retry` (a passing error: tried again after
    /// `retry_in_s` seconds).
    pub fn mark_url(
        &self,
        url: &str,
        source: &str,
        state: &str,
        code: Option<&str>,
        retry_in_s: i64,
    ) -> Result<()> {
        let now = unix_now();
        self.conn().execute(
            "INSERT INTO seen_urls (url, source, state, code, attempts, next_try, seen_at)
             VALUES (?1, ?2, ?3, ?4, 1, ?5, ?6)
             ON CONFLICT(url) DO UPDATE SET state = excluded.state, code = excluded.code,
                attempts = attempts + 1, next_try = excluded.next_try",
            params![url, source, state, code, now + retry_in_s, now],
        )?;
        Ok(())
    }

    /// How many tries an article URL has had (0 when never seen).
    pub fn url_attempts(&self, url: &str) -> Result<u32> {
        let conn = self.conn();
        let n: Option<i64> = conn
            .query_row(
                "SELECT attempts FROM seen_urls WHERE url = ?1",
                [url],
                |r| r.get(0),
            )
            .optional()?;
        Ok(n.unwrap_or(0) as u32)
    }

    /// Adds a watchlist; `false` when one of that name exists (it is left as it is).
    pub fn add_watchlist(&self, w: &Watchlist) -> Result<bool> {
        let n = self.conn().execute(
            &format!(
                "INSERT OR IGNORE INTO watchlists ({WATCHLIST_COLUMNS})
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
            ),
            params![
                w.name,
                w.query,
                w.entity,
                w.event_type,
                w.place,
                w.outlet,
                w.webhook,
                if w.created_at > 0 {
                    w.created_at
                } else {
                    unix_now()
                },
            ],
        )?;
        Ok(n == 1)
    }

    pub fn watchlists(&self) -> Result<Vec<Watchlist>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(&format!(
            "SELECT {WATCHLIST_COLUMNS} FROM watchlists ORDER BY name"
        ))?;
        let rows = stmt.query_map([], watchlist_row)?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }

    pub fn watchlist(&self, name: &str) -> Result<Option<Watchlist>> {
        let conn = self.conn();
        Ok(conn
            .query_row(
                &format!("SELECT {WATCHLIST_COLUMNS} FROM watchlists WHERE name = ?1"),
                [name],
                watchlist_row,
            )
            .optional()?)
    }

    /// Removes a watchlist and its alerts; `false` when there was none of that name.
    pub fn remove_watchlist(&self, name: &str) -> Result<bool> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        tx.execute("DELETE FROM alerts WHERE watchlist = ?1", [name])?;
        let n = tx.execute("DELETE FROM watchlists WHERE name = ?1", [name])?;
        tx.commit()?;
        Ok(n == 1)
    }

    /// Matches every watchlist against the articles stored after sequence `after_seq` and
    /// records an alert for each match; an alert already there (the same watchlist and
    /// article) is kept as it is. Returns how many alerts are new.
    pub fn match_watchlists_after(&self, after_seq: i64) -> Result<usize> {
        let watchlists = self.watchlists()?;
        if watchlists.is_empty() {
            return Ok(0);
        }
        let mut new = 0;
        let mut from = after_seq;
        loop {
            let page = self.articles_after_seq(from, 256)?;
            let Some(last) = page.last() else { break };
            from = last.0;
            let now = unix_now();
            let conn = self.conn();
            let mut stmt = conn.prepare_cached(
                "INSERT OR IGNORE INTO alerts (watchlist, article, matched, at)
                 VALUES (?1, ?2, ?3, ?4)",
            )?;
            for (_, article) in &page {
                for w in &watchlists {
                    if let Some(why) = watchlist_matches(w, article) {
                        new += stmt.execute(params![w.name, article.id, why.join("; "), now])?;
                    }
                }
            }
        }
        Ok(new)
    }

    /// Alerts, newest first.
    pub fn alerts(&self, f: &AlertFilter) -> Result<Vec<Alert>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(&format!(
            "{ALERT_SELECT} WHERE (?1 IS NULL OR al.watchlist = ?1) AND al.at >= ?2
             ORDER BY al.at DESC, al.id DESC LIMIT ?3"
        ))?;
        let limit = if f.limit == 0 { -1 } else { f.limit as i64 };
        let rows = stmt.query_map(
            params![f.watchlist, f.since.unwrap_or(i64::MIN), limit],
            alert_row,
        )?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }

    /// Alerts of watchlists with a webhook not delivered yet, with fewer than
    /// `max_attempts` tries, oldest first, with their webhook.
    pub fn pending_webhooks(&self, max_attempts: u32) -> Result<Vec<(Alert, String)>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(&format!(
            "SELECT * FROM ({ALERT_SELECT} WHERE al.delivered_at IS NULL AND al.attempts < ?1)
             x JOIN watchlists w ON w.name = x.watchlist
             WHERE w.webhook IS NOT NULL AND w.webhook <> '' ORDER BY x.id"
        ))?;
        let rows = stmt.query_map([max_attempts as i64], |r| {
            Ok((alert_row(r)?, r.get::<_, String>("webhook")?))
        })?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }

    /// Claims up to `limit` (0: every) pending alerts after id `after` that no one holds,
    /// each leased for `lease` (see [`WatchStore::claim_webhooks`]): one immediate
    /// transaction, so another process writing the same directory claims the others.
    pub fn claim_webhooks(
        &self,
        max_attempts: u32,
        lease: std::time::Duration,
        after: i64,
        limit: usize,
    ) -> Result<Vec<(Alert, String)>> {
        let now = unix_now();
        let until = now.saturating_add(crate::lease_secs(lease));
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let claimed: Vec<(Alert, String)> = {
            let mut stmt = tx.prepare(&format!(
                "SELECT * FROM ({ALERT_SELECT} WHERE al.delivered_at IS NULL AND al.attempts < ?1
                    AND al.id > ?2 AND (al.claimed_until IS NULL OR al.claimed_until < ?3)) x
                 JOIN watchlists w ON w.name = x.watchlist
                 WHERE w.webhook IS NOT NULL AND w.webhook <> '' ORDER BY x.id LIMIT ?4"
            ))?;
            let limit = if limit == 0 { -1 } else { limit as i64 };
            let rows = stmt.query_map(params![max_attempts as i64, after, now, limit], |r| {
                Ok((alert_row(r)?, r.get::<_, String>("webhook")?))
            })?;
            rows.collect::<std::result::Result<_, _>>()?
        };
        {
            let mut stmt = tx.prepare("UPDATE alerts SET claimed_until = ?2 WHERE id = ?1")?;
            for (alert, _) in &claimed {
                stmt.execute(params![alert.id, until])?;
            }
        }
        tx.commit()?;
        Ok(claimed)
    }

    /// Gives back a claimed alert without a try.
    pub fn release_webhook(&self, alert: i64) -> Result<()> {
        self.conn().execute(
            "UPDATE alerts SET claimed_until = NULL WHERE id = ?1",
            [alert],
        )?;
        Ok(())
    }

    /// Records a webhook delivery: `None` for success, else the error; the claim ends.
    pub fn record_delivery(&self, alert: i64, error: Option<&str>) -> Result<()> {
        let now = unix_now();
        self.conn().execute(
            "UPDATE alerts SET attempts = attempts + 1, last_error = ?2,
                delivered_at = CASE WHEN ?2 IS NULL THEN ?3 END, claimed_until = NULL
             WHERE id = ?1",
            params![alert, error, now],
        )?;
        Ok(())
    }
}

impl WatchStore for SqliteStore {
    fn ensure_source(&self, url: &str) -> Result<()> {
        SqliteStore::ensure_source(self, url)
    }
    fn source(&self, url: &str) -> Result<Option<SourceHealth>> {
        SqliteStore::source(self, url)
    }
    fn sources(&self) -> Result<Vec<SourceHealth>> {
        SqliteStore::sources(self)
    }
    fn record_poll(&self, p: &PollRecord) -> Result<()> {
        SqliteStore::record_poll(self, p)
    }
    fn validators(&self, url: &str) -> Result<Option<HttpValidators>> {
        SqliteStore::validators(self, url)
    }
    fn set_validators(&self, url: &str, v: &HttpValidators) -> Result<()> {
        SqliteStore::set_validators(self, url, v)
    }
    fn set_children(&self, url: &str, children: &[String]) -> Result<()> {
        SqliteStore::set_children(self, url, children)
    }
    fn children(&self, url: &str) -> Result<Vec<String>> {
        SqliteStore::children(self, url)
    }
    fn urls_to_fetch(
        &self,
        source: &str,
        found: &[String],
        max_attempts: u32,
    ) -> Result<Vec<String>> {
        SqliteStore::urls_to_fetch(self, source, found, max_attempts)
    }
    fn mark_url(
        &self,
        url: &str,
        source: &str,
        state: &str,
        code: Option<&str>,
        retry_in_s: i64,
    ) -> Result<()> {
        SqliteStore::mark_url(self, url, source, state, code, retry_in_s)
    }
    fn url_attempts(&self, url: &str) -> Result<u32> {
        SqliteStore::url_attempts(self, url)
    }
    fn pending_webhooks(&self, max_attempts: u32) -> Result<Vec<(Alert, String)>> {
        SqliteStore::pending_webhooks(self, max_attempts)
    }
    fn claim_webhooks(
        &self,
        max_attempts: u32,
        lease: std::time::Duration,
        after: i64,
        limit: usize,
    ) -> Result<Vec<(Alert, String)>> {
        SqliteStore::claim_webhooks(self, max_attempts, lease, after, limit)
    }
    fn release_webhook(&self, alert: i64) -> Result<()> {
        SqliteStore::release_webhook(self, alert)
    }
    fn record_delivery(&self, alert: i64, error: Option<&str>) -> Result<()> {
        SqliteStore::record_delivery(self, alert, error)
    }
}

//! Watchlists, alerts and source watching on PostgreSQL: the same rules as the SQLite
//! store's (one alert per watchlist and article, by a unique key, so workers matching the
//! same article at once raise it once; source health, HTTP validators and the article URLs
//! handled, for `rased watch --store postgres://…`).

use super::PgStore;
use crate::matching::watchlist_matches;
use crate::{
    unix_now, Alert, AlertFilter, HttpValidators, PollRecord, Result, SourceHealth, Store,
    WatchStore, Watchlist,
};

const WATCHLIST_COLUMNS: &str =
    "name, query, entity, event_type, place, outlet, webhook, created_at";

fn watchlist_row(r: &postgres::Row) -> Watchlist {
    Watchlist {
        name: r.get(0),
        query: r.get(1),
        entity: r.get(2),
        event_type: r.get(3),
        place: r.get(4),
        outlet: r.get(5),
        webhook: r.get(6),
        created_at: r.get(7),
    }
}

impl PgStore {
    /// Adds a watchlist; `false` when one of that name exists (it is left as it is).
    pub fn add_watchlist(&self, w: &Watchlist) -> Result<bool> {
        let created = if w.created_at > 0 {
            w.created_at
        } else {
            unix_now()
        };
        let n = self.conn()?.execute(
            &format!(
                "INSERT INTO watchlists ({WATCHLIST_COLUMNS})
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (name) DO NOTHING"
            ),
            &[
                &w.name,
                &w.query,
                &w.entity,
                &w.event_type,
                &w.place,
                &w.outlet,
                &w.webhook,
                &created,
            ],
        )?;
        Ok(n == 1)
    }

    pub fn watchlists(&self) -> Result<Vec<Watchlist>> {
        let rows = self.conn()?.query(
            &format!("SELECT {WATCHLIST_COLUMNS} FROM watchlists ORDER BY name"),
            &[],
        )?;
        Ok(rows.iter().map(watchlist_row).collect())
    }

    /// Removes a watchlist and its alerts; `false` when there was none of that name.
    pub fn remove_watchlist(&self, name: &str) -> Result<bool> {
        let mut conn = self.conn()?;
        let mut tx = conn.transaction()?;
        tx.execute("DELETE FROM alerts WHERE watchlist = $1", &[&name])?;
        let n = tx.execute("DELETE FROM watchlists WHERE name = $1", &[&name])?;
        tx.commit()?;
        Ok(n == 1)
    }

    /// Matches every watchlist against the articles stored after `after_seq`; returns how
    /// many alerts are new.
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
            let mut conn = self.conn()?;
            let stmt = conn.prepare(
                "INSERT INTO alerts (watchlist, article, matched, at) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (watchlist, article) DO NOTHING",
            )?;
            for (_, article) in &page {
                for w in &watchlists {
                    if let Some(why) = watchlist_matches(w, article) {
                        new += conn
                            .execute(&stmt, &[&w.name, &article.id, &why.join("; "), &now])?
                            as usize;
                    }
                }
            }
        }
        Ok(new)
    }

    /// Alerts, newest first.
    pub fn alerts(&self, f: &AlertFilter) -> Result<Vec<Alert>> {
        let limit = if f.limit == 0 {
            i64::MAX
        } else {
            f.limit as i64
        };
        let rows = self.conn()?.query(
            &format!(
                "{ALERT_SELECT} WHERE ($1::text IS NULL OR al.watchlist = $1) AND al.at >= $2
                 ORDER BY al.at DESC, al.id DESC LIMIT $3"
            ),
            &[&f.watchlist, &f.since.unwrap_or(i64::MIN), &limit],
        )?;
        Ok(rows.iter().map(alert_row).collect())
    }
}

const ALERT_SELECT: &str = "SELECT al.id, al.watchlist, al.article, a.url, a.title, al.matched,
    al.at, al.delivered_at, al.attempts, al.last_error
    FROM alerts al LEFT JOIN articles a ON a.id = al.article";

fn alert_row(r: &postgres::Row) -> Alert {
    Alert {
        id: r.get(0),
        watchlist: r.get(1),
        article: r.get(2),
        url: r.get(3),
        title: r.get(4),
        matched: r.get(5),
        at: r.get(6),
        delivered_at: r.get(7),
        attempts: r.get::<_, i64>(8).max(0) as u32,
        last_error: r.get(9),
    }
}

const SOURCE_COLUMNS: &str = "url, kind, last_poll, last_success, last_status, last_error,
    items_found, new_items, polls, errors, consecutive_errors, interval_s, next_poll";

fn source_row(r: &postgres::Row) -> SourceHealth {
    let count = |i: usize| r.get::<_, i64>(i).max(0) as u64;
    SourceHealth {
        url: r.get(0),
        kind: r.get(1),
        last_poll: r.get(2),
        last_success: r.get(3),
        last_status: r.get(4),
        last_error: r.get(5),
        items_found: count(6),
        new_items: count(7),
        polls: count(8),
        errors: count(9),
        consecutive_errors: count(10),
        interval_s: r.get(11),
        next_poll: r.get(12),
    }
}

impl WatchStore for PgStore {
    fn ensure_source(&self, url: &str) -> Result<()> {
        self.conn()?.execute(
            "INSERT INTO sources (url) VALUES ($1) ON CONFLICT (url) DO NOTHING",
            &[&url],
        )?;
        Ok(())
    }

    fn source(&self, url: &str) -> Result<Option<SourceHealth>> {
        let row = self.conn()?.query_opt(
            &format!("SELECT {SOURCE_COLUMNS} FROM sources WHERE url = $1"),
            &[&url],
        )?;
        Ok(row.as_ref().map(source_row))
    }

    fn sources(&self) -> Result<Vec<SourceHealth>> {
        let rows = self.conn()?.query(
            &format!("SELECT {SOURCE_COLUMNS} FROM sources ORDER BY url"),
            &[],
        )?;
        Ok(rows.iter().map(source_row).collect())
    }

    fn record_poll(&self, p: &PollRecord) -> Result<()> {
        let now = unix_now();
        let (items, new) = (p.items_found as i64, p.new_items as i64);
        self.conn()?.execute(
            "INSERT INTO sources AS s (url, kind, last_poll, last_success, last_status,
                last_error, items_found, new_items, polls, errors, consecutive_errors,
                interval_s, next_poll)
             VALUES ($1, $2, $3::bigint, CASE WHEN $4::boolean THEN $3::bigint END, $5, $6,
                $7, $8, 1,
                CASE WHEN $4 THEN 0 ELSE 1 END, CASE WHEN $4 THEN 0 ELSE 1 END, $9, $10)
             ON CONFLICT (url) DO UPDATE SET
                kind = COALESCE(excluded.kind, s.kind),
                last_poll = excluded.last_poll,
                last_success = CASE WHEN $4 THEN excluded.last_poll ELSE s.last_success END,
                last_status = excluded.last_status,
                last_error = excluded.last_error,
                items_found = s.items_found + excluded.items_found,
                new_items = s.new_items + excluded.new_items,
                polls = s.polls + 1,
                errors = s.errors + CASE WHEN $4 THEN 0 ELSE 1 END,
                consecutive_errors = CASE WHEN $4 THEN 0 ELSE s.consecutive_errors + 1 END,
                interval_s = excluded.interval_s,
                next_poll = excluded.next_poll",
            &[
                &p.url,
                &p.kind,
                &now,
                &p.ok,
                &p.status,
                &p.error,
                &items,
                &new,
                &p.interval_s,
                &p.next_poll,
            ],
        )?;
        Ok(())
    }

    fn validators(&self, url: &str) -> Result<Option<HttpValidators>> {
        let row = self.conn()?.query_opt(
            "SELECT etag, last_modified FROM http_cache WHERE url = $1",
            &[&url],
        )?;
        Ok(row.map(|r| HttpValidators {
            etag: r.get(0),
            last_modified: r.get(1),
        }))
    }

    fn set_validators(&self, url: &str, v: &HttpValidators) -> Result<()> {
        self.conn()?.execute(
            "INSERT INTO http_cache (url, etag, last_modified, checked_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (url) DO UPDATE SET etag = excluded.etag,
                last_modified = excluded.last_modified, checked_at = excluded.checked_at",
            &[&url, &v.etag, &v.last_modified, &unix_now()],
        )?;
        Ok(())
    }

    fn set_children(&self, url: &str, children: &[String]) -> Result<()> {
        self.conn()?.execute(
            "INSERT INTO http_cache (url, checked_at, children) VALUES ($1, $2, $3)
             ON CONFLICT (url) DO UPDATE SET children = excluded.children",
            &[&url, &unix_now(), &serde_json::to_string(children)?],
        )?;
        Ok(())
    }

    fn children(&self, url: &str) -> Result<Vec<String>> {
        let row = self
            .conn()?
            .query_opt("SELECT children FROM http_cache WHERE url = $1", &[&url])?;
        match row.and_then(|r| r.get::<_, Option<String>>(0)) {
            Some(j) => Ok(serde_json::from_str(&j)?),
            None => Ok(Vec::new()),
        }
    }

    fn urls_to_fetch(
        &self,
        source: &str,
        found: &[String],
        max_attempts: u32,
    ) -> Result<Vec<String>> {
        let now = unix_now();
        let mut conn = self.conn()?;
        let mut seen: std::collections::HashSet<String> = std::collections::HashSet::new();
        let unique: Vec<&String> = found.iter().filter(|u| seen.insert((*u).clone())).collect();
        // One statement for the whole list: what is known of each URL.
        let mut known = std::collections::HashMap::new();
        let urls: Vec<&str> = unique.iter().map(|u| u.as_str()).collect();
        for r in conn.query(
            "SELECT url, state, attempts, next_try FROM seen_urls WHERE url = ANY($1)",
            &[&urls],
        )? {
            let (url, state, attempts, next_try): (String, String, i64, Option<i64>) =
                (r.get(0), r.get(1), r.get(2), r.get(3));
            known.insert(url, (state, attempts, next_try));
        }
        let mut out = Vec::new();
        for url in unique {
            let due = match known.get(url) {
                None => true,
                Some((state, attempts, next_try)) => {
                    state == "retry"
                        && *attempts < max_attempts as i64
                        && next_try.unwrap_or(0) <= now
                }
            };
            if due {
                out.push(url.clone());
            }
        }
        let retries = conn.query(
            "SELECT url FROM seen_urls WHERE source = $1 AND state = 'retry'
             AND attempts < $2 AND COALESCE(next_try, 0) <= $3 ORDER BY url",
            &[&source, &(max_attempts as i64), &now],
        )?;
        for r in retries {
            let url: String = r.get(0);
            if seen.insert(url.clone()) {
                out.push(url);
            }
        }
        Ok(out)
    }

    fn mark_url(
        &self,
        url: &str,
        source: &str,
        state: &str,
        code: Option<&str>,
        retry_in_s: i64,
    ) -> Result<()> {
        let now = unix_now();
        self.conn()?.execute(
            "INSERT INTO seen_urls AS u (url, source, state, code, attempts, next_try, seen_at)
             VALUES ($1, $2, $3, $4, 1, $5, $6)
             ON CONFLICT (url) DO UPDATE SET state = excluded.state, code = excluded.code,
                attempts = u.attempts + 1, next_try = excluded.next_try",
            &[
                &url,
                &source,
                &state,
                &code,
                &now.saturating_add(retry_in_s),
                &now,
            ],
        )?;
        Ok(())
    }

    fn url_attempts(&self, url: &str) -> Result<u32> {
        let row = self
            .conn()?
            .query_opt("SELECT attempts FROM seen_urls WHERE url = $1", &[&url])?;
        Ok(row.map_or(0, |r| r.get::<_, i64>(0).max(0) as u32))
    }

    fn pending_webhooks(&self, max_attempts: u32) -> Result<Vec<(Alert, String)>> {
        let rows = self.conn()?.query(
            &format!(
                "SELECT x.*, w.webhook FROM ({ALERT_SELECT}
                    WHERE al.delivered_at IS NULL AND al.attempts < $1) x
                 JOIN watchlists w ON w.name = x.watchlist
                 WHERE w.webhook IS NOT NULL AND w.webhook <> '' ORDER BY x.id"
            ),
            &[&(max_attempts as i64)],
        )?;
        Ok(rows.iter().map(|r| (alert_row(r), r.get(10))).collect())
    }

    /// One statement: the pending alerts no one holds are locked (`FOR UPDATE SKIP LOCKED`:
    /// a worker claiming at the same moment takes others, never waits for these) and leased;
    /// a row another claim leased meanwhile is read again under its lock and left out.
    fn claim_webhooks(
        &self,
        max_attempts: u32,
        lease: std::time::Duration,
        after: i64,
        limit: usize,
    ) -> Result<Vec<(Alert, String)>> {
        let now = unix_now();
        let until = now.saturating_add(crate::lease_secs(lease));
        let limit = if limit == 0 { i64::MAX } else { limit as i64 };
        let rows = self.conn()?.query(
            &format!(
                "WITH claimed AS (
                    UPDATE alerts SET claimed_until = $5 WHERE id IN (
                        SELECT al.id FROM alerts al JOIN watchlists w ON w.name = al.watchlist
                        WHERE al.delivered_at IS NULL AND al.attempts < $1 AND al.id > $2
                          AND (al.claimed_until IS NULL OR al.claimed_until < $3)
                          AND w.webhook IS NOT NULL AND w.webhook <> ''
                        ORDER BY al.id LIMIT $4
                        FOR UPDATE OF al SKIP LOCKED)
                    RETURNING id)
                 SELECT x.*, w.webhook FROM ({ALERT_SELECT}
                    WHERE al.id IN (SELECT id FROM claimed)) x
                 JOIN watchlists w ON w.name = x.watchlist ORDER BY x.id"
            ),
            &[&(max_attempts as i64), &after, &now, &limit, &until],
        )?;
        Ok(rows.iter().map(|r| (alert_row(r), r.get(10))).collect())
    }

    fn release_webhook(&self, alert: i64) -> Result<()> {
        self.conn()?.execute(
            "UPDATE alerts SET claimed_until = NULL WHERE id = $1",
            &[&alert],
        )?;
        Ok(())
    }

    fn record_delivery(&self, alert: i64, error: Option<&str>) -> Result<()> {
        self.conn()?.execute(
            "UPDATE alerts SET attempts = attempts + 1, last_error = $2::text,
                delivered_at = CASE WHEN $2::text IS NULL THEN $3::bigint END,
                claimed_until = NULL
             WHERE id = $1",
            &[&alert, &error, &unix_now()],
        )?;
        Ok(())
    }
}

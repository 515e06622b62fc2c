//! Watchlists and alerts on PostgreSQL: the same rules as the SQLite store's (one alert per
//! watchlist and article, by a unique key, so workers matching the same article at once
//! raise it once).

use super::PgStore;
use crate::matching::watchlist_matches;
use crate::{unix_now, Alert, AlertFilter, Result, Store, Watchlist};

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
            "SELECT al.id, al.watchlist, al.article, a.url, a.title, al.matched, al.at,
                    al.delivered_at, al.attempts, al.last_error
             FROM alerts al LEFT JOIN articles a ON a.id = al.article
             WHERE ($1::text IS NULL OR al.watchlist = $1) AND al.at >= $2
             ORDER BY al.at DESC, al.id DESC LIMIT $3",
            &[&f.watchlist, &f.since.unwrap_or(i64::MIN), &limit],
        )?;
        Ok(rows
            .iter()
            .map(|r| Alert {
                id: r.get(0),
                watchlist: r.get(1),
                article: r.get(2),
                url: r.get(3),
                title: r.get(4),
                matched: r.get(5),
                at: r.get(6),
                delivered_at: r.get(7),
                attempts: r.get::<_, i64>(8) as u32,
                last_error: r.get(9),
            })
            .collect())
    }
}

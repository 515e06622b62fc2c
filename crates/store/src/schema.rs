//! Versioned schema migrations. Each entry upgrades the schema by one version; the version
//! lives in `PRAGMA user_version`. A database newer than this build is refused, never touched.

/// Migrations in order: `MIGRATIONS[i]` takes the schema from version `i` to `i + 1`.
pub const MIGRATIONS: &[&str] = &[
    // 1: inputs, articles, entities, mentions, events, failures.
    r#"
    CREATE TABLE inputs (
        content_hash TEXT PRIMARY KEY,
        name         TEXT NOT NULL,
        articles     INTEGER NOT NULL,
        ingested_at  TEXT NOT NULL
    );
    CREATE TABLE articles (
        id            TEXT PRIMARY KEY,
        page          TEXT NOT NULL,
        role          TEXT NOT NULL,
        url           TEXT,
        title         TEXT,
        published     TEXT,
        outlet        TEXT,
        source        TEXT,
        author        TEXT,
        body          TEXT NOT NULL,
        json          TEXT NOT NULL,
        input         TEXT NOT NULL,
        seq           INTEGER NOT NULL
    );
    CREATE INDEX articles_published ON articles(published);
    CREATE INDEX articles_outlet ON articles(outlet);
    CREATE INDEX articles_page ON articles(page);
    CREATE TABLE entities (
        id       TEXT PRIMARY KEY,
        type     TEXT NOT NULL,
        name     TEXT NOT NULL,
        aliases  TEXT NOT NULL DEFAULT '[]'
    );
    CREATE TABLE mentions (
        article  TEXT NOT NULL REFERENCES articles(id),
        entity   TEXT NOT NULL REFERENCES entities(id),
        text     TEXT NOT NULL,
        start    INTEGER NOT NULL,
        "end"    INTEGER NOT NULL,
        PRIMARY KEY (article, start, "end")
    );
    CREATE INDEX mentions_entity ON mentions(entity);
    CREATE TABLE events (
        article   TEXT NOT NULL REFERENCES articles(id),
        ord       INTEGER NOT NULL,
        type      TEXT NOT NULL,
        date      TEXT,
        json      TEXT NOT NULL,
        PRIMARY KEY (article, ord)
    );
    CREATE INDEX events_type_date ON events(type, date);
    CREATE TABLE failures (
        input   TEXT NOT NULL,
        code    TEXT NOT NULL,
        reason  TEXT NOT NULL,
        at      TEXT NOT NULL,
        PRIMARY KEY (input, reason)
    );
    "#,
    // 2: near-duplicate fingerprints and stories.
    r#"
    ALTER TABLE articles ADD COLUMN simhash INTEGER;
    ALTER TABLE articles ADD COLUMN story TEXT;
    CREATE INDEX articles_story ON articles(story);
    CREATE TABLE simhash_bands (
        band     INTEGER NOT NULL,
        article  TEXT NOT NULL REFERENCES articles(id),
        PRIMARY KEY (band, article)
    );
    "#,
    // 3: one real-world event reported by several articles: a shared group key.
    r#"
    ALTER TABLE events ADD COLUMN event_group TEXT;
    CREATE INDEX events_group ON events(event_group);
    "#,
    // 4: near-duplicate candidates carry their fingerprint and story, so the lookup reads
    // one small index instead of each candidate's whole article row (the simhash and story
    // columns sit behind the body and JSON, in overflow pages): ingest slowed down with the
    // store's size.
    r#"
    CREATE TABLE dedup_bands (
        band     INTEGER NOT NULL,
        article  TEXT NOT NULL,
        simhash  INTEGER NOT NULL,
        story    TEXT NOT NULL,
        PRIMARY KEY (band, article)
    ) WITHOUT ROWID;
    INSERT INTO dedup_bands (band, article, simhash, story)
        SELECT b.band, b.article, a.simhash, a.story
        FROM simhash_bands b JOIN articles a ON a.id = b.article
        WHERE a.simhash IS NOT NULL AND a.story IS NOT NULL;
    DROP TABLE simhash_bands;
    "#,
    // 5: covering indexes for what the server asks most: which entities share articles
    // (co-occurrence, read-also) and the story feed, without reading whole article rows; and
    // each event's effective date (its own, else its article's) as an indexed column, so
    // event lists and timelines sort and group without joining every article.
    r#"
    CREATE INDEX mentions_article_entity ON mentions(article, entity);
    DROP INDEX mentions_entity;
    CREATE INDEX mentions_entity_article ON mentions(entity, article);
    CREATE INDEX articles_story_published ON articles(story, published, seq);
    ALTER TABLE events ADD COLUMN day TEXT;
    UPDATE events SET day = COALESCE(date, (SELECT published FROM articles a
                                            WHERE a.id = events.article));
    CREATE INDEX events_day ON events(day, type);
    "#,
    // 6: the entities taking part in each event (actors, recipients, place), so that the
    // events of an entity are an index lookup rather than a scan of every event's JSON.
    r#"
    CREATE TABLE event_entities (
        entity   TEXT NOT NULL,
        article  TEXT NOT NULL,
        ord      INTEGER NOT NULL,
        PRIMARY KEY (entity, article, ord)
    ) WITHOUT ROWID;
    INSERT OR IGNORE INTO event_entities (entity, article, ord)
        SELECT json_extract(p.value, '$.entity'), ev.article, ev.ord
        FROM events ev, json_each(ev.json, '$.actors') p
        WHERE json_extract(p.value, '$.entity') IS NOT NULL;
    INSERT OR IGNORE INTO event_entities (entity, article, ord)
        SELECT json_extract(p.value, '$.entity'), ev.article, ev.ord
        FROM events ev, json_each(ev.json, '$.recipients') p
        WHERE json_extract(p.value, '$.entity') IS NOT NULL;
    INSERT OR IGNORE INTO event_entities (entity, article, ord)
        SELECT json_extract(ev.json, '$.place.entity'), ev.article, ev.ord
        FROM events ev
        WHERE json_extract(ev.json, '$.place.entity') IS NOT NULL;
    "#,
    // 7: watching sources (`rased watch`): the health and schedule of each source, the HTTP
    // validators of every feed and sitemap fetched (conditional GET; a sitemap index keeps
    // its child sitemaps, polled even when the index answers 304), the article URLs already
    // handled, watchlists and their alerts (one per watchlist and article). Times are Unix
    // seconds.
    r#"
    CREATE TABLE sources (
        url                 TEXT PRIMARY KEY,
        kind                TEXT,
        last_poll           INTEGER,
        last_success        INTEGER,
        last_status         TEXT,
        last_error          TEXT,
        items_found         INTEGER NOT NULL DEFAULT 0,
        new_items           INTEGER NOT NULL DEFAULT 0,
        polls               INTEGER NOT NULL DEFAULT 0,
        errors              INTEGER NOT NULL DEFAULT 0,
        consecutive_errors  INTEGER NOT NULL DEFAULT 0,
        interval_s          INTEGER,
        next_poll           INTEGER
    );
    CREATE TABLE http_cache (
        url            TEXT PRIMARY KEY,
        etag           TEXT,
        last_modified  TEXT,
        checked_at     INTEGER NOT NULL,
        children       TEXT
    );
    CREATE TABLE seen_urls (
        url        TEXT PRIMARY KEY,
        source     TEXT NOT NULL,
        state      TEXT NOT NULL,
        code       TEXT,
        attempts   INTEGER NOT NULL DEFAULT 0,
        next_try   INTEGER,
        seen_at    INTEGER NOT NULL
    );
    CREATE INDEX seen_urls_retry ON seen_urls(source, state, next_try);
    CREATE TABLE watchlists (
        name        TEXT PRIMARY KEY,
        query       TEXT,
        entity      TEXT,
        event_type  TEXT,
        place       TEXT,
        outlet      TEXT,
        webhook     TEXT,
        created_at  INTEGER NOT NULL
    );
    CREATE TABLE alerts (
        id           INTEGER PRIMARY KEY,
        watchlist    TEXT NOT NULL,
        article      TEXT NOT NULL,
        matched      TEXT NOT NULL,
        at           INTEGER NOT NULL,
        delivered_at INTEGER,
        attempts     INTEGER NOT NULL DEFAULT 0,
        last_error   TEXT,
        UNIQUE (watchlist, article)
    );
    CREATE INDEX alerts_at ON alerts(at);
    "#,
    // 8: stories across outlets. `story` is now the cross-outlet story (the online
    // clusterer's, see `stories.rs`) and `copies` the near-duplicate group it was before;
    // `stories` keeps each story's span, size and centroid, `story_terms` the strongest terms
    // it is found by, with its span so that a lookup reads only stories near a date. The
    // stories of the articles already stored are rebuilt right after this migration.
    r#"
    ALTER TABLE articles ADD COLUMN copies TEXT;
    UPDATE articles SET copies = story;
    CREATE INDEX articles_copies ON articles(copies);
    ALTER TABLE dedup_bands RENAME COLUMN story TO copies;
    CREATE TABLE stories (
        id         TEXT PRIMARY KEY,
        first_day  INTEGER,
        last_day   INTEGER,
        size       INTEGER NOT NULL,
        centroid   BLOB NOT NULL
    );
    CREATE TABLE story_terms (
        term       INTEGER NOT NULL,
        story      TEXT NOT NULL,
        first_day  INTEGER,
        last_day   INTEGER,
        PRIMARY KEY (term, story)
    ) WITHOUT ROWID;
    CREATE INDEX story_terms_story ON story_terms(story);
    "#,
    // 9: the story index found by term and window: a lookup reads only the stories of a
    // term that end after the window opens, not every story that ever had the term. An
    // undated story's rows span every day (`stories::index_span`).
    r#"
    UPDATE story_terms SET first_day = -2147483648 WHERE first_day IS NULL;
    UPDATE story_terms SET last_day = 2147483647 WHERE last_day IS NULL;
    CREATE INDEX story_terms_window ON story_terms(term, last_day);
    "#,
    // 10: webhook deliveries are claimed: an alert being posted is leased to its deliverer
    // until `claimed_until` (Unix seconds), so that two deliverers never post it twice and a
    // crashed one's alerts are taken again once the lease runs out.
    r#"
    ALTER TABLE alerts ADD COLUMN claimed_until INTEGER;
    "#,
];

/// The first version with cross-outlet stories: a store migrated past it has its stories
/// rebuilt.
pub const STORIES_VERSION: i64 = 8;

/// The schema version this build writes.
pub const CURRENT: i64 = MIGRATIONS.len() as i64;

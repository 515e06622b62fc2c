//! The PostgreSQL schema: versioned migrations, the version in `rased_schema`. The tables
//! mirror the SQLite schema at its current version (the first migration created all but the
//! source-watching tables, the second adds those; never edit one that has shipped), with
//! the search columns beside each article: a `tsvector` of rased's own lexemes (GIN), the
//! day number and the entity ids and event types the search filters on. Text compares
//! byte-wise (`COLLATE "C"`), as in SQLite, so that sorting and ranges agree whatever the
//! database's locale. `CTEXT` below is `TEXT COLLATE "C"`.

pub const MIGRATIONS: &[&str] = &[
    r#"
    CREATE TABLE inputs (
        content_hash CTEXT PRIMARY KEY,
        name         CTEXT NOT NULL,
        articles     BIGINT NOT NULL,
        ingested_at  CTEXT NOT NULL
    );
    CREATE SEQUENCE article_seq;
    CREATE TABLE articles (
        id          CTEXT PRIMARY KEY,
        page        CTEXT NOT NULL,
        role        CTEXT NOT NULL,
        url         CTEXT,
        title       CTEXT,
        published   CTEXT,
        outlet      CTEXT,
        source      CTEXT,
        author      CTEXT,
        body        CTEXT NOT NULL,
        json        CTEXT NOT NULL,
        input       CTEXT NOT NULL,
        seq         BIGINT NOT NULL UNIQUE,
        simhash     BIGINT,
        story       CTEXT,
        day         BIGINT,
        entity_ids  CTEXT[] NOT NULL DEFAULT '{}',
        event_types CTEXT[] NOT NULL DEFAULT '{}',
        tsv         TSVECTOR NOT NULL DEFAULT ''
    );
    CREATE INDEX articles_published ON articles(published);
    CREATE INDEX articles_outlet ON articles(outlet);
    CREATE INDEX articles_page ON articles(page);
    CREATE INDEX articles_story_published ON articles(story, published, seq);
    CREATE INDEX articles_day ON articles(day);
    CREATE INDEX articles_tsv ON articles USING GIN (tsv);
    CREATE INDEX articles_entity_ids ON articles USING GIN (entity_ids);
    CREATE TABLE entities (
        id       CTEXT PRIMARY KEY,
        type     CTEXT NOT NULL,
        name     CTEXT NOT NULL,
        aliases  CTEXT NOT NULL DEFAULT '[]'
    );
    CREATE TABLE mentions (
        article  CTEXT NOT NULL REFERENCES articles(id),
        entity   CTEXT NOT NULL REFERENCES entities(id),
        text     CTEXT NOT NULL,
        start    BIGINT NOT NULL,
        "end"    BIGINT NOT NULL,
        PRIMARY KEY (article, start, "end")
    );
    CREATE INDEX mentions_article_entity ON mentions(article, entity);
    CREATE INDEX mentions_entity_article ON mentions(entity, article);
    CREATE TABLE events (
        article      CTEXT NOT NULL REFERENCES articles(id),
        ord          BIGINT NOT NULL,
        type         CTEXT NOT NULL,
        date         CTEXT,
        json         CTEXT NOT NULL,
        event_group  CTEXT,
        day          CTEXT,
        PRIMARY KEY (article, ord)
    );
    CREATE INDEX events_type_date ON events(type, date);
    CREATE INDEX events_group ON events(event_group);
    CREATE INDEX events_day ON events(day, type);
    CREATE TABLE event_entities (
        entity   CTEXT NOT NULL,
        article  CTEXT NOT NULL,
        ord      BIGINT NOT NULL,
        PRIMARY KEY (entity, article, ord)
    );
    CREATE TABLE failures (
        input   CTEXT NOT NULL,
        code    CTEXT NOT NULL,
        reason  CTEXT NOT NULL,
        at      CTEXT NOT NULL,
        PRIMARY KEY (input, reason)
    );
    CREATE TABLE dedup_bands (
        band     BIGINT NOT NULL,
        article  CTEXT NOT NULL,
        simhash  BIGINT NOT NULL,
        story    CTEXT NOT NULL,
        PRIMARY KEY (band, article)
    );
    CREATE TABLE watchlists (
        name        CTEXT PRIMARY KEY,
        query       CTEXT,
        entity      CTEXT,
        event_type  CTEXT,
        place       CTEXT,
        outlet      CTEXT,
        webhook     CTEXT,
        created_at  BIGINT NOT NULL
    );
    CREATE TABLE alerts (
        id           BIGSERIAL PRIMARY KEY,
        watchlist    CTEXT NOT NULL,
        article      CTEXT NOT NULL,
        matched      CTEXT NOT NULL,
        at           BIGINT NOT NULL,
        delivered_at BIGINT,
        attempts     BIGINT NOT NULL DEFAULT 0,
        last_error   CTEXT,
        UNIQUE (watchlist, article)
    );
    CREATE INDEX alerts_at ON alerts(at);
"#,
    // 2: watching sources (`rased watch` on PostgreSQL): the tables of SQLite's schema 7 for
    // each source's health and schedule, the HTTP validators (and a sitemap index's
    // children) and the article URLs handled with their retry state.
    r#"
    CREATE TABLE sources (
        url                 CTEXT PRIMARY KEY,
        kind                CTEXT,
        last_poll           BIGINT,
        last_success        BIGINT,
        last_status         CTEXT,
        last_error          CTEXT,
        items_found         BIGINT NOT NULL DEFAULT 0,
        new_items           BIGINT NOT NULL DEFAULT 0,
        polls               BIGINT NOT NULL DEFAULT 0,
        errors              BIGINT NOT NULL DEFAULT 0,
        consecutive_errors  BIGINT NOT NULL DEFAULT 0,
        interval_s          BIGINT,
        next_poll           BIGINT
    );
    CREATE TABLE http_cache (
        url            CTEXT PRIMARY KEY,
        etag           CTEXT,
        last_modified  CTEXT,
        checked_at     BIGINT NOT NULL,
        children       CTEXT
    );
    CREATE TABLE seen_urls (
        url        CTEXT PRIMARY KEY,
        source     CTEXT NOT NULL,
        state      CTEXT NOT NULL,
        code       CTEXT,
        attempts   BIGINT NOT NULL DEFAULT 0,
        next_try   BIGINT,
        seen_at    BIGINT NOT NULL
    );
    CREATE INDEX seen_urls_retry ON seen_urls(source, state, next_try);
"#,
    // 3: stories across outlets, as SQLite's version 8 (`story` the cross-outlet story,
    // `copies` the near-duplicate group, the story index); the stories of the articles
    // already stored are rebuilt right after it.
    r#"
    ALTER TABLE articles ADD COLUMN copies CTEXT;
    UPDATE articles SET copies = story;
    CREATE INDEX articles_copies ON articles(copies);
    ALTER TABLE dedup_bands RENAME COLUMN story TO copies;
    CREATE TABLE stories (
        id         CTEXT PRIMARY KEY,
        first_day  INTEGER,
        last_day   INTEGER,
        size       BIGINT NOT NULL,
        centroid   BYTEA NOT NULL
    );
    CREATE TABLE story_terms (
        term       BIGINT NOT NULL,
        story      CTEXT NOT NULL,
        first_day  INTEGER,
        last_day   INTEGER,
        PRIMARY KEY (term, story)
    );
    CREATE INDEX story_terms_story ON story_terms(story);
"#,
    // 4: the story index found by term and window, as SQLite's version 9.
    r#"
    UPDATE story_terms SET first_day = -2147483648 WHERE first_day IS NULL;
    UPDATE story_terms SET last_day = 2147483647 WHERE last_day IS NULL;
    CREATE INDEX story_terms_window ON story_terms(term, last_day);
"#,
    // 5: webhook deliveries are claimed, as SQLite's version 10: an alert being posted is
    // leased to one deliverer until `claimed_until` (Unix seconds); workers claim with
    // `FOR UPDATE SKIP LOCKED`, and a crashed worker's alerts are taken again once the lease
    // runs out.
    r#"
    ALTER TABLE alerts ADD COLUMN claimed_until BIGINT;
"#,
    // 6: what search needs to rank as the embedded index's BM25 does: each article's field
    // lengths (`rased_search::bm25::FieldLengths`; NULL until measured, which the migration
    // does for stored articles right after this) and the corpus totals, one row per slot:
    // slot 0 the number of articles, slot 1 + i the total length of field i. Writers add to
    // the totals under the assignment lock.
    r#"
    ALTER TABLE articles ADD COLUMN field_lengths INTEGER[];
    CREATE TABLE search_totals (
        slot   SMALLINT PRIMARY KEY,
        total  BIGINT NOT NULL
    );
    INSERT INTO search_totals SELECT s, 0 FROM generate_series(0, 4) s;
"#,
];

/// The first version with BM25 field lengths and totals.
pub const SEARCH_TOTALS_VERSION: i64 = 6;

/// The first version with cross-outlet stories (see SQLite's `STORIES_VERSION`).
pub const STORIES_VERSION: i64 = 3;

/// The schema version this build writes.
pub const CURRENT: i64 = MIGRATIONS.len() as i64;

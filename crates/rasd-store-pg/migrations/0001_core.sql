-- 0001: documents, articles, events and evidence, as in the embedded store, for several
-- ingest workers writing at once. Dates are ISO 8601 text so that they sort and compare
-- the same way as in SQLite; JSON columns hold serde_json of the rasd-model types.

CREATE TABLE documents (
    id           BIGSERIAL PRIMARY KEY,
    doc_id       TEXT   NOT NULL,
    content_hash TEXT   NOT NULL UNIQUE,     -- lower-case hex sha256 of `bytes`
    origin_kind  TEXT   NOT NULL,            -- file | url | inline
    origin       TEXT,
    kind         TEXT   NOT NULL,            -- html | text | feed_item | unknown
    meta         TEXT   NOT NULL DEFAULT '{}',
    bytes        BYTEA  NOT NULL,
    size         BIGINT NOT NULL,
    seen_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    worker       TEXT                        -- who stored it (host:pid), for operators
);
CREATE INDEX documents_doc_id ON documents (doc_id);

CREATE TABLE articles (
    document_id   BIGINT PRIMARY KEY REFERENCES documents (id) ON DELETE CASCADE,
    doc_id        TEXT NOT NULL,
    url           TEXT,
    source        TEXT,
    title         TEXT,
    published     TEXT,
    published_day TEXT,
    dateline      TEXT,
    text          TEXT NOT NULL,
    article       TEXT NOT NULL,             -- the whole Article JSON
    extracted_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX articles_doc_id ON articles (doc_id);

CREATE TABLE events (
    id             BIGSERIAL PRIMARY KEY,
    document_id    BIGINT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    doc_id         TEXT   NOT NULL,
    ordinal        INTEGER NOT NULL,
    event_type     TEXT   NOT NULL,
    sub_event_type TEXT   NOT NULL,
    date_start     TEXT   NOT NULL,
    date_end       TEXT   NOT NULL,
    location_name  TEXT   NOT NULL,
    location_key   TEXT   NOT NULL,          -- folded (rasd_store::fold_for_index)
    admin1         TEXT,
    admin1_key     TEXT,
    admin2         TEXT,
    admin2_key     TEXT,
    country        TEXT   NOT NULL,
    lat            DOUBLE PRECISION,
    lon            DOUBLE PRECISION,
    actor1         TEXT   NOT NULL,
    actors         TEXT   NOT NULL,          -- every actor, lower-cased, one per line
    fatalities     INTEGER,
    search_text    TEXT   NOT NULL,          -- folded evidence, place and actors
    event          TEXT   NOT NULL,          -- the event JSON exactly as `rasd code` writes it
    coded_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (document_id, ordinal)
);
CREATE INDEX events_date ON events (date_start, date_end);
CREATE INDEX events_type ON events (event_type, sub_event_type);
CREATE INDEX events_admin1 ON events (admin1_key);
CREATE INDEX events_location ON events (location_key);
CREATE INDEX events_fatalities ON events (fatalities);

CREATE TABLE evidence (
    event_id   BIGINT  NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    ordinal    INTEGER NOT NULL,
    text       TEXT    NOT NULL,
    char_start INTEGER,
    char_end   INTEGER,
    PRIMARY KEY (event_id, ordinal)
);

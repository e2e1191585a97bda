-- 0001: the spine's tables: documents, articles, events, evidence, full-text indexes.
-- Dates are ISO 8601 text (YYYY-MM-DD, RFC 3339 for instants); JSON columns hold
-- serde_json of the rasd-model types.

-- One ingested document, stored once per distinct content (sha256 of the bytes).
CREATE TABLE documents (
    id           INTEGER PRIMARY KEY,
    doc_id       TEXT    NOT NULL,           -- file name up to its first dot, NAME#k for items
    content_hash TEXT    NOT NULL UNIQUE,    -- lower-case hex sha256 of `bytes`
    origin_kind  TEXT    NOT NULL,           -- file | url | inline
    origin       TEXT,                       -- the path or the URL
    kind         TEXT    NOT NULL,           -- html | text | feed_item | unknown
    meta         TEXT    NOT NULL DEFAULT '{}',  -- DocumentMeta JSON
    bytes        BLOB    NOT NULL,
    size         INTEGER NOT NULL,
    seen_at      TEXT    NOT NULL            -- when it was first ingested (UTC)
);
CREATE INDEX documents_doc_id ON documents (doc_id);

-- The article extracted from a document (at most one per document).
CREATE TABLE articles (
    document_id  INTEGER PRIMARY KEY REFERENCES documents (id) ON DELETE CASCADE,
    doc_id       TEXT NOT NULL,
    url          TEXT,
    source       TEXT,
    title        TEXT,
    published    TEXT,                       -- as the article gives it (may lack time/offset)
    published_day TEXT,                      -- local calendar day, YYYY-MM-DD
    dateline     TEXT,
    text         TEXT NOT NULL,
    paragraphs   TEXT NOT NULL DEFAULT '[]', -- [{"span": {"start", "end"}, "heading"?}]
    article      TEXT NOT NULL,              -- the whole Article JSON
    extracted_at TEXT NOT NULL
);
CREATE INDEX articles_doc_id ON articles (doc_id);
CREATE INDEX articles_published_day ON articles (published_day);

-- One coded event. The columns carry every events.md field for filtering; `event`
-- holds the full JSON exactly as `rasd code` writes it.
CREATE TABLE events (
    id                 INTEGER PRIMARY KEY,
    document_id        INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    doc_id             TEXT    NOT NULL,
    ordinal            INTEGER NOT NULL,     -- position in the document's event list
    event_type         TEXT    NOT NULL,
    sub_event_type     TEXT    NOT NULL,
    date_start         TEXT    NOT NULL,
    date_end           TEXT    NOT NULL,
    date_precision     TEXT    NOT NULL,
    location_name      TEXT    NOT NULL,
    location_key       TEXT    NOT NULL,     -- folded location_name
    admin1             TEXT,
    admin1_key         TEXT,                 -- folded admin1
    admin2             TEXT,
    admin2_key         TEXT,
    admin3             TEXT,
    country            TEXT    NOT NULL,
    location_precision TEXT    NOT NULL,
    lat                REAL,
    lon                REAL,
    place_id           TEXT,
    actor1             TEXT    NOT NULL,
    assoc_actor1       TEXT    NOT NULL DEFAULT '[]',
    actor2             TEXT,
    assoc_actor2       TEXT    NOT NULL DEFAULT '[]',
    fatalities         INTEGER,
    fatalities_vague   TEXT,
    fatalities_by_side TEXT    NOT NULL DEFAULT '{}',
    injured            INTEGER,
    injured_vague      TEXT,
    arrested           INTEGER,
    arrested_vague     TEXT,
    confidence         REAL,
    event              TEXT    NOT NULL,
    coded_at           TEXT    NOT NULL,
    UNIQUE (document_id, ordinal)
);
CREATE INDEX events_date ON events (date_start, date_end);
CREATE INDEX events_type ON events (event_type, sub_event_type);
CREATE INDEX events_admin1 ON events (admin1_key);
CREATE INDEX events_location ON events (location_key);
CREATE INDEX events_lat_lon ON events (lat, lon);
CREATE INDEX events_fatalities ON events (fatalities);

-- The sentences an event was coded from, with character offsets into the article text.
CREATE TABLE evidence (
    id         INTEGER PRIMARY KEY,
    event_id   INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    ordinal    INTEGER NOT NULL,
    text       TEXT    NOT NULL,
    char_start INTEGER,
    char_end   INTEGER
);
CREATE INDEX evidence_event ON evidence (event_id);

-- Full-text indexes over FOLDED Arabic text (rasd_arabic::fold: no diacritics, one
-- alef, ى→ي, Western digits ...). The trigram tokenizer matches substrings, so a
-- search for a town also finds it with a clitic attached (بدرعا, لدرعا).
-- rowid = events.id / documents.id. Contentless: the text lives in events/articles.
CREATE VIRTUAL TABLE events_fts USING fts5 (
    body, content = '', contentless_delete = 1, tokenize = 'trigram'
);
CREATE VIRTUAL TABLE articles_fts USING fts5 (
    title, body, content = '', contentless_delete = 1, tokenize = 'trigram'
);

-- Facts about the store itself (e.g. which folding built the full-text index).
CREATE TABLE store_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- 0002: cross-source merging (rasd-dedup): incidents and their source events,
-- near-duplicate article fingerprints and the copies found.
-- Owned by the dedup engineer; the Rust side is src/incidents.rs.

-- One incident (rasd_dedup::IncidentIndex id). `record` is the merged record
-- (rasd_dedup::IncidentRecord JSON, one line of `rasd export --format jsonl`); the
-- columns beside it are copies for filtering.
CREATE TABLE incidents (
    id              INTEGER PRIMARY KEY,
    event_type      TEXT    NOT NULL,
    sub_event_type  TEXT    NOT NULL,
    date_start      TEXT    NOT NULL,
    date_end        TEXT    NOT NULL,
    location_name   TEXT    NOT NULL,
    admin1          TEXT,
    country         TEXT    NOT NULL,
    lat             REAL,
    lon             REAL,
    fatalities      INTEGER,
    fatalities_low  INTEGER,
    fatalities_high INTEGER,
    sources         INTEGER NOT NULL,           -- number of linked source events
    record          TEXT    NOT NULL,
    updated_at      TEXT    NOT NULL
);
CREATE INDEX incidents_date ON incidents (date_start, date_end);
CREATE INDEX incidents_type ON incidents (event_type);

-- Which incident each stored event belongs to. A re-coded document's old events go,
-- and their links with them; the next clustering pass links the new events.
CREATE TABLE incident_events (
    event_id    INTEGER PRIMARY KEY REFERENCES events (id) ON DELETE CASCADE,
    incident_id INTEGER NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    linked_at   TEXT    NOT NULL
);
CREATE INDEX incident_events_incident ON incident_events (incident_id);

-- The MinHash fingerprint of each article body (rasd_dedup::Fingerprint), so the
-- near-duplicate index is rebuilt without re-reading the texts.
CREATE TABLE article_fingerprints (
    document_id INTEGER PRIMARY KEY REFERENCES documents (id) ON DELETE CASCADE,
    minhash     BLOB    NOT NULL,               -- little-endian u64 values
    shingles    INTEGER NOT NULL,
    exact       TEXT    NOT NULL                -- hex u64 of the folded text's hash
);

-- Articles found to be near-duplicates (syndicated copies, re-posts) of a kept one.
CREATE TABLE article_copies (
    document_id INTEGER PRIMARY KEY REFERENCES documents (id) ON DELETE CASCADE,
    original_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    similarity  REAL    NOT NULL,
    found_at    TEXT    NOT NULL
);
CREATE INDEX article_copies_original ON article_copies (original_id);

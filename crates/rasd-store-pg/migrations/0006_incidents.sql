-- 0006: incidents on the shared store, as in the embedded one (its 0002): incidents and
-- the links of events to them, article fingerprints and near-duplicate copies. Workers
-- cluster what they stored at the end of each ingest, one at a time (an advisory lock,
-- see incidents.rs), so two reports of one incident coded at the same moment by two
-- workers end in one incident.

CREATE TABLE incidents (
    id              BIGINT PRIMARY KEY,
    event_type      TEXT   NOT NULL,
    sub_event_type  TEXT   NOT NULL,
    date_start      TEXT   NOT NULL,
    date_end        TEXT   NOT NULL,
    location_name   TEXT   NOT NULL,
    admin1          TEXT,
    country         TEXT   NOT NULL,
    lat             DOUBLE PRECISION,
    lon             DOUBLE PRECISION,
    fatalities      INTEGER,
    fatalities_low  INTEGER,
    fatalities_high INTEGER,
    sources         INTEGER NOT NULL,
    record          TEXT   NOT NULL,         -- rasd_dedup::IncidentRecord JSON
    updated_at      TEXT   NOT NULL
);
CREATE INDEX incidents_date ON incidents (date_start, date_end);

CREATE TABLE incident_events (
    event_id    BIGINT PRIMARY KEY REFERENCES events (id) ON DELETE CASCADE,
    incident_id BIGINT NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    linked_at   TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX incident_events_incident ON incident_events (incident_id);

CREATE TABLE article_fingerprints (
    document_id BIGINT  PRIMARY KEY REFERENCES documents (id) ON DELETE CASCADE,
    minhash     BYTEA   NOT NULL,            -- little-endian u64 values
    shingles    INTEGER NOT NULL,
    exact       TEXT    NOT NULL             -- hex u64
);

CREATE TABLE article_copies (
    document_id BIGINT PRIMARY KEY REFERENCES documents (id) ON DELETE CASCADE,
    original_id BIGINT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    similarity  DOUBLE PRECISION NOT NULL,
    found_at    TEXT   NOT NULL
);

-- 0003: the review workflow (rasd serve): analysts, their corrections, the audit log.
-- Owned by rasd-server's engineer; the Rust side is src/review.rs.

-- An analyst who may write through the API. Only a sha256 of the token is kept.
CREATE TABLE review_users (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    token_hash TEXT NOT NULL UNIQUE,         -- lower-case hex sha256 of the bearer token
    created_at TEXT NOT NULL,
    disabled   INTEGER NOT NULL DEFAULT 0
);

-- Every change an analyst made, kept forever, in order. Keyed by the article (doc_id)
-- and a stable key of the event as the coder wrote it (review::event_key), not by
-- events.id, so re-coding the same article (new ids) gets the same corrections back.
CREATE TABLE review_corrections (
    id         INTEGER PRIMARY KEY,
    doc_id     TEXT    NOT NULL,
    event_key  TEXT    NOT NULL,
    kind       TEXT    NOT NULL CHECK (kind IN ('field', 'wrong', 'incident')),
    field      TEXT,                          -- dotted path for kind = 'field' (location.name)
    value      TEXT    NOT NULL,              -- JSON: the new value / true|false / incident group
    note       TEXT,
    user_id    INTEGER NOT NULL REFERENCES review_users (id),
    created_at TEXT    NOT NULL
);
CREATE INDEX review_corrections_key ON review_corrections (doc_id, event_key, id);

-- Which stored events have been checked against the corrections, what the coder wrote
-- (`original`), and the review state. Rows go with their event (re-coding deletes
-- them, and the next review::reapply_corrections puts the corrections back).
CREATE TABLE review_applied (
    event_id       INTEGER PRIMARY KEY REFERENCES events (id) ON DELETE CASCADE,
    doc_id         TEXT    NOT NULL,
    event_key      TEXT    NOT NULL,
    original       TEXT    NOT NULL,          -- the Event JSON as the coder wrote it
    corrected      INTEGER NOT NULL DEFAULT 0,
    wrong          INTEGER NOT NULL DEFAULT 0,
    incident_group TEXT                       -- analyst's incident grouping, overrides clustering
);
CREATE INDEX review_applied_key ON review_applied (doc_id, event_key);
CREATE INDEX review_applied_wrong ON review_applied (wrong) WHERE wrong = 1;
CREATE INDEX review_applied_group ON review_applied (incident_group) WHERE incident_group IS NOT NULL;

-- Everything that changed the store through the review API or the user command.
CREATE TABLE review_audit (
    id      INTEGER PRIMARY KEY,
    at      TEXT NOT NULL,
    user_id INTEGER REFERENCES review_users (id),
    action  TEXT NOT NULL,                    -- user_add | correct | mark_wrong | merge | split
    target  TEXT,                             -- event:ID, incident:ID, user:NAME
    detail  TEXT NOT NULL DEFAULT '{}'        -- JSON
);
CREATE INDEX review_audit_at ON review_audit (at);

-- Indexes for the server's queries (GET /api/events: a filter plus "latest first",
-- or "deadliest first"), so a page stays fast over a million events. They carry
-- date_end (and the place and toll) so that filtering and counting need no table row.
CREATE INDEX events_type_date ON events (event_type, date_start, date_end);
CREATE INDEX events_sub_type_date ON events (sub_event_type, date_start, date_end);
CREATE INDEX events_admin1_date ON events (admin1_key, date_start, date_end);
CREATE INDEX events_date_cover ON events (date_start, date_end, lat, lon, fatalities);
CREATE INDEX events_deadliest ON events (fatalities IS NULL, fatalities DESC, date_start DESC);

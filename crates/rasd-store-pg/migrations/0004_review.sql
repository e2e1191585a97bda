-- 0004: the review workflow on the shared store, as in the embedded one (its
-- migrations 0003 and 0005; rasd_store::reconcile decides for both): analysts, the
-- targets their changes hang off, the changes, each event's review state and the
-- audit log. Times are RFC 3339 text, as in the embedded store.

CREATE TABLE review_users (
    id         BIGSERIAL PRIMARY KEY,
    name       TEXT    NOT NULL UNIQUE,
    token_hash TEXT    NOT NULL UNIQUE,      -- lower-case hex sha256 of the bearer token
    created_at TEXT    NOT NULL,
    disabled   BOOLEAN NOT NULL DEFAULT FALSE
);

CREATE TABLE review_targets (
    id          BIGSERIAL PRIMARY KEY,
    document_id BIGINT  NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    doc_id      TEXT    NOT NULL,
    event_key   TEXT    NOT NULL,
    original    TEXT,                         -- Event JSON as the coder wrote it
    pieces      INTEGER,                      -- events its sentences gave then
    state       TEXT    NOT NULL DEFAULT 'attached'
                CHECK (state IN ('attached', 'orphan', 'dismissed')),
    reason      TEXT,                         -- orphan: key_changed | split
    changed_at  TEXT    NOT NULL
);
CREATE UNIQUE INDEX review_targets_attached ON review_targets (document_id, event_key)
    WHERE state = 'attached';
CREATE INDEX review_targets_document ON review_targets (document_id, state);
CREATE INDEX review_targets_orphans ON review_targets (state) WHERE state = 'orphan';

CREATE TABLE review_corrections (
    id         BIGSERIAL PRIMARY KEY,
    target_id  BIGINT NOT NULL REFERENCES review_targets (id),
    doc_id     TEXT   NOT NULL,
    event_key  TEXT   NOT NULL,               -- the key when the change was made
    kind       TEXT   NOT NULL CHECK (kind IN ('field', 'wrong', 'incident')),
    field      TEXT,
    value      TEXT   NOT NULL,               -- JSON
    note       TEXT,
    user_id    BIGINT NOT NULL REFERENCES review_users (id),
    created_at TEXT   NOT NULL
);
CREATE INDEX review_corrections_target ON review_corrections (target_id, id);

CREATE TABLE review_applied (
    event_id       BIGINT  PRIMARY KEY REFERENCES events (id) ON DELETE CASCADE,
    doc_id         TEXT    NOT NULL,
    event_key      TEXT    NOT NULL,
    original       TEXT    NOT NULL,          -- the Event JSON as the coder wrote it
    corrected      BOOLEAN NOT NULL DEFAULT FALSE,
    wrong          BOOLEAN NOT NULL DEFAULT FALSE,
    incident_group TEXT
);
CREATE INDEX review_applied_wrong ON review_applied (event_id) WHERE wrong;
CREATE INDEX review_applied_group ON review_applied (incident_group) WHERE incident_group IS NOT NULL;

CREATE TABLE review_audit (
    id      BIGSERIAL PRIMARY KEY,
    at      TEXT   NOT NULL,
    user_id BIGINT REFERENCES review_users (id),
    action  TEXT   NOT NULL,
    target  TEXT,
    detail  TEXT   NOT NULL DEFAULT '{}'
);

-- 0010: alerts (`rasd alert`, src/alerts.rs): saved filters with a webhook, and an
-- outbox of the deliveries they owe. The outbox is filled from the change log (0008)
-- by a scan that advances each alert's cursor in the same transaction as the rows it
-- queues, so a scan killed half-way queues nothing and is simply redone; the unique
-- (alert, incident) pair makes queuing the same incident twice impossible.

CREATE TABLE alerts (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused: part of the idempotency key
    name       TEXT    NOT NULL UNIQUE,
    filter     TEXT    NOT NULL,                   -- rasd_store::alerts::AlertFilter JSON
    webhook    TEXT    NOT NULL,
    cursor     INTEGER NOT NULL,                   -- changes.seq scanned up to
    created_at TEXT    NOT NULL
);

-- One incident an alert owes (or owed) a POST for. `state`: pending (to send, at
-- next_attempt), delivered, failed (gave up after the last attempt), or baseline
-- (matched already when the alert was added: never sent). No foreign key on the
-- incident: the payload is kept, so a queued delivery survives its incident being
-- merged away.
CREATE TABLE alert_deliveries (
    id           INTEGER PRIMARY KEY,
    alert_id     INTEGER NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
    incident_id  INTEGER NOT NULL,
    state        TEXT    NOT NULL CHECK (state IN ('pending', 'delivered', 'failed', 'baseline')),
    payload      TEXT,                              -- the JSON body; NULL for baseline rows
    attempts     INTEGER NOT NULL DEFAULT 0,
    next_attempt INTEGER NOT NULL DEFAULT 0,        -- unix milliseconds
    leased_until INTEGER,                           -- unix ms: a sender is working on it
    queued_at    TEXT    NOT NULL,
    delivered_at TEXT,
    last_error   TEXT,
    UNIQUE (alert_id, incident_id)
);
CREATE INDEX alert_deliveries_due ON alert_deliveries (state, next_attempt);

-- The reports (a document's event, known by its type, first day and place) of every
-- incident an alert has queued or baselined. An incident that holds one of them
-- continues one the alert already told of — the clusterer merged two incidents, or
-- a re-coded document's new events formed a new incident id — so it is not sent
-- again. Keyed by the report rather than the event id because re-coding replaces
-- the event rows; rows go with their document.
CREATE TABLE alert_events (
    alert_id    INTEGER NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
    document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    report      TEXT    NOT NULL,                -- event_type|date_start|location_key
    PRIMARY KEY (alert_id, document_id, report)
) WITHOUT ROWID;
CREATE INDEX alert_events_document ON alert_events (document_id);

-- 0032: alerts on the shared database, as the embedded store's 0010: saved filters with
-- a webhook, the outbox of the deliveries they owe (unique per alert and incident), and
-- the reports each alert has told of. Several senders (`rasd alert run`, `rasd watch`)
-- share the outbox: a sender leases due rows with FOR UPDATE SKIP LOCKED, so two never
-- take the same row, and a pass filling the outbox holds an advisory lock, so passes
-- run one after another (`rasd_store_pg::alerts`). Lease times are the database's
-- clock, in unix milliseconds.

CREATE TABLE alerts (
    id         BIGSERIAL PRIMARY KEY,           -- never reused: part of the idempotency key
    name       TEXT   NOT NULL UNIQUE,
    filter     TEXT   NOT NULL,                 -- rasd_store::alerts::AlertFilter JSON
    webhook    TEXT   NOT NULL,
    cursor     BIGINT NOT NULL,                 -- changes.seq scanned up to
    created_at TEXT   NOT NULL
);

CREATE TABLE alert_deliveries (
    id           BIGSERIAL PRIMARY KEY,
    alert_id     BIGINT  NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
    incident_id  BIGINT  NOT NULL,
    state        TEXT    NOT NULL CHECK (state IN ('pending', 'delivered', 'failed', 'baseline')),
    payload      TEXT,
    attempts     INTEGER NOT NULL DEFAULT 0,
    next_attempt BIGINT  NOT NULL DEFAULT 0,
    leased_until BIGINT,
    queued_at    TEXT    NOT NULL,
    delivered_at TEXT,
    last_error   TEXT,
    UNIQUE (alert_id, incident_id)
);
CREATE INDEX alert_deliveries_due ON alert_deliveries (state, next_attempt);

CREATE TABLE alert_events (
    alert_id    BIGINT NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
    document_id BIGINT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    report      TEXT   NOT NULL,
    PRIMARY KEY (alert_id, document_id, report)
);
CREATE INDEX alert_events_document ON alert_events (document_id);

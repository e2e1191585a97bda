-- 0020: `rasd watch` on a shared database: the embedded store's watch state
-- (SQLite 0007) plus what lets several watch workers share it. A source is leased to
-- one worker at a time (`lease_holder` until `lease_until`, renewed while it works);
-- `due_at` is when the next poll is due, whichever worker makes it. An item is
-- claimed (`claimed_by` until `claimed_until`) before its page is fetched; the claim
-- becomes the stored item in the transaction that stores its document and events.
-- Lease and claim times are the database's clock, so workers' clocks do not matter.

CREATE TABLE watch_sources (
    name          TEXT PRIMARY KEY,
    url           TEXT    NOT NULL,
    kind          TEXT    NOT NULL,           -- feed | listing
    etag          TEXT,                       -- validators of the last 200 answer
    last_modified TEXT,
    last_poll     TEXT,                       -- RFC 3339, UTC
    last_success  TEXT,
    last_error    TEXT,
    last_error_at TEXT,
    failures      INTEGER NOT NULL DEFAULT 0, -- consecutive
    polls         BIGINT  NOT NULL DEFAULT 0,
    not_modified  BIGINT  NOT NULL DEFAULT 0,
    items_read    BIGINT  NOT NULL DEFAULT 0,
    events_coded  BIGINT  NOT NULL DEFAULT 0,
    lease_holder  TEXT,                       -- the worker polling it (host:pid#n)
    lease_until   TIMESTAMPTZ,                -- taken over by another worker after this
    due_at        TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- An item is stored once `fetched_at` is set; before that it is a claim of the worker
-- fetching it, which another worker may take over once it has expired.
CREATE TABLE watch_items (
    item_key      TEXT PRIMARY KEY,
    source        TEXT   NOT NULL,
    url           TEXT,
    document_id   BIGINT REFERENCES documents (id) ON DELETE SET NULL,
    events        INTEGER NOT NULL DEFAULT 0,
    fetched_at    TEXT,
    error         TEXT,
    claimed_by    TEXT,
    claimed_until TIMESTAMPTZ,
    CHECK ((fetched_at IS NULL) = (claimed_by IS NOT NULL))
);
CREATE INDEX watch_items_source ON watch_items (source);
CREATE INDEX watch_items_claimed ON watch_items (claimed_by) WHERE claimed_by IS NOT NULL;

-- 0007: `rasd watch` (crate rasd-watch): the state of each watched source and the
-- items already taken from them. Both are written in the same transaction as the
-- documents and events an item produced, so a watcher killed at any moment neither
-- loses an item (its validators are not saved without it) nor stores one twice.

-- One watched source, by the name the sources file gives it.
CREATE TABLE watch_sources (
    name                 TEXT PRIMARY KEY,
    url                  TEXT    NOT NULL,
    kind                 TEXT    NOT NULL,          -- feed | listing
    etag                 TEXT,                      -- validators of the last 200 answer
    last_modified        TEXT,
    last_poll            TEXT,                      -- RFC 3339, UTC
    last_success         TEXT,
    last_error           TEXT,                      -- the reason, as logged
    last_error_at        TEXT,
    failures             INTEGER NOT NULL DEFAULT 0, -- consecutive; drives the back-off
    polls                INTEGER NOT NULL DEFAULT 0,
    not_modified         INTEGER NOT NULL DEFAULT 0, -- 304 answers
    items_read           INTEGER NOT NULL DEFAULT 0, -- new items stored
    events_coded         INTEGER NOT NULL DEFAULT 0
);

-- An item taken from a source: its key is the article's URL (or the feed item's
-- guid, or its content hash when it has neither). An item whose key is here is never
-- fetched or stored again, whichever source lists it.
CREATE TABLE watch_items (
    item_key    TEXT PRIMARY KEY,
    source      TEXT    NOT NULL,
    url         TEXT,
    document_id INTEGER REFERENCES documents (id) ON DELETE SET NULL,
    events      INTEGER NOT NULL DEFAULT 0,
    fetched_at  TEXT    NOT NULL,
    error       TEXT                                 -- set when the item could not be read
);
CREATE INDEX watch_items_source ON watch_items (source);

-- 0004: indexes that keep GET /api/events fast over a million events (rasd-server's
-- engineer; the Rust side is src/plan.rs and the index writes in src/write.rs).
--
-- Both tables hold FOLDED text (rasd_arabic folding, lower case), which SQL cannot
-- compute: they are filled from Rust. This migration creates them empty and drops the
-- stored folding probe, so the next Store::open rebuilds every text index and key
-- (write::refresh_folding) — the backfill of a store written before 0004.

-- Every distinct actor name, once, with its normalised form (folded, lower case,
-- apostrophes dropped, other punctuation a space): the `actor=` filter matches the
-- query against this small table, then joins the events through event_actors.
CREATE TABLE actor_names (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL,                    -- as first written
    norm TEXT NOT NULL UNIQUE
);

-- Which events name which actor (actor1, actor2, associated actors), with the
-- event's first day, so one actor's events come out latest first from the primary
-- key alone, without reading an events row.
CREATE TABLE event_actors (
    actor_id   INTEGER NOT NULL REFERENCES actor_names (id),
    date_start TEXT    NOT NULL,
    event_id   INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    PRIMARY KEY (actor_id, date_start, event_id)
) WITHOUT ROWID;
-- For "does this event name one of these actors" and for the cascade on delete.
CREATE INDEX event_actors_event ON event_actors (event_id, actor_id);

-- The events' full-text index again, keyed by DATE: rowid = YYYYMMDD of date_start
-- shifted left 36 bits, plus events.id (plan::text_key). FTS5 walks a match in rowid
-- order, so "latest first" pages come straight off the index, however many events
-- match, with no sort of every hit. (events_fts, keyed by events.id, is replaced.)
CREATE VIRTUAL TABLE events_text USING fts5 (
    body, content = '', contentless_delete = 1, tokenize = 'trigram'
);
DROP TABLE events_fts;

DELETE FROM store_meta WHERE key = 'fold_probe';

-- 0031: the change log (0015) kept bounded, with the embedded store's semantics
-- (its 0013 and `rasd_store::changes::Retention`): an entity's older rows go once
-- settled, since every entry is read with the entity's state now; the rows of
-- entities that no longer exist go after the tombstone retention, and the highest
-- seq removed that way is the horizon, below which a cursor is answered 410 Gone.
-- `PgStore::compact_changes` does it, one worker at a time (an advisory lock), and
-- the rows it moves above the newest are numbered at its commit like any other
-- write's (0016), so readers never see a number taken out of commit order.

CREATE INDEX changes_entity_key ON changes (entity, key, seq);

CREATE TABLE changes_horizon (
    id  INTEGER PRIMARY KEY CHECK (id = 1),
    seq BIGINT NOT NULL
);
INSERT INTO changes_horizon (id, seq) VALUES (1, 0);

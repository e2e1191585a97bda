-- 0013: the change log (0008) kept bounded without leaving followers incomplete
-- (`Store::compact_changes`). Entries carry the entity's state when read, so only an
-- entity's latest row is ever needed: older rows of the same entity are removed once
-- they are older than a short settling time. Rows of entities that no longer exist
-- (a follower's tombstones) are removed after a longer retention; the highest `seq`
-- removed that way is the horizon, below which a cursor is answered 410 Gone (the
-- follower drops its copy and follows again from 0, which is complete).

CREATE INDEX changes_entity_key ON changes (entity, key, seq);

CREATE TABLE changes_horizon (
    id  INTEGER PRIMARY KEY CHECK (id = 1),
    seq INTEGER NOT NULL
);
INSERT INTO changes_horizon (id, seq) VALUES (1, 0);

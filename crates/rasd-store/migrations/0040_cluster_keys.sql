-- 0040: what lets a clustering pass (rasd's incidents::sync) read only the stored
-- incidents and articles that new events and articles may meet, instead of all of them.
-- The keys are computed in Rust (rasd_dedup::keys); store_meta's 'cluster_scheme'
-- records how. A store with another scheme, or none (as after this migration), has
-- every key computed afresh by its next pass.

-- Where each clustered event is filed in the incident index: one row per key and day.
CREATE TABLE event_keys (
    key      INTEGER NOT NULL,
    day      INTEGER NOT NULL,                  -- days since 1970-01-01
    event_id INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    PRIMARY KEY (key, day, event_id)
) WITHOUT ROWID;
CREATE INDEX event_keys_event ON event_keys (event_id);

-- Where each fingerprinted article is filed in the near-duplicate index (LSH bands and
-- its exact hash).
CREATE TABLE article_keys (
    key         INTEGER NOT NULL,
    document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    PRIMARY KEY (key, document_id)
) WITHOUT ROWID;
CREATE INDEX article_keys_document ON article_keys (document_id);

-- Incidents that lost a source since the last pass (a re-coded document's events go,
-- and their links by cascade): the next pass saves them again, or deletes them when
-- nothing is left.
CREATE TABLE incidents_stale (incident_id INTEGER PRIMARY KEY);
CREATE TRIGGER incidents_stale_link_deleted AFTER DELETE ON incident_events BEGIN
    INSERT OR IGNORE INTO incidents_stale (incident_id) VALUES (OLD.incident_id);
END;
INSERT OR IGNORE INTO incidents_stale (incident_id)
    SELECT i.id FROM incidents i
    WHERE i.sources <> (SELECT count(*) FROM incident_events l WHERE l.incident_id = i.id);

-- Events corrected in place (review): their keys go, and the next pass files them again.
CREATE TABLE events_rekey (
    event_id INTEGER PRIMARY KEY REFERENCES events (id) ON DELETE CASCADE
);
CREATE TRIGGER events_rekey_corrected AFTER UPDATE OF event ON events
WHEN OLD.event IS NOT NEW.event BEGIN
    DELETE FROM event_keys WHERE event_id = NEW.id;
    INSERT OR IGNORE INTO events_rekey (event_id) VALUES (NEW.id);
END;

-- 0040: what lets a clustering pass (rasd's incidents::sync) read only the stored
-- incidents and articles that new events and articles may meet, as the embedded
-- store's 0040. The keys are computed in Rust (rasd_dedup::keys); cluster_meta's
-- 'cluster_scheme' records how. A store with another scheme, or none (as after this
-- migration), has every key computed afresh by its next pass.

CREATE TABLE cluster_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- Where each clustered event is filed in the incident index: one row per key and day.
CREATE TABLE event_keys (
    key      BIGINT  NOT NULL,
    day      INTEGER NOT NULL,                  -- days since 1970-01-01
    event_id BIGINT  NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    PRIMARY KEY (key, day, event_id)
);
CREATE INDEX event_keys_event ON event_keys (event_id);

-- Where each fingerprinted article is filed in the near-duplicate index.
CREATE TABLE article_keys (
    key         BIGINT NOT NULL,
    document_id BIGINT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    PRIMARY KEY (key, document_id)
);
CREATE INDEX article_keys_document ON article_keys (document_id);

-- Incidents that lost a source since the last pass: the next pass saves them again,
-- or deletes them when nothing is left.
CREATE TABLE incidents_stale (incident_id BIGINT PRIMARY KEY);
CREATE FUNCTION rasd_incidents_stale() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO incidents_stale (incident_id) VALUES (OLD.incident_id) ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;
CREATE TRIGGER incidents_stale_link_deleted AFTER DELETE ON incident_events
    FOR EACH ROW EXECUTE FUNCTION rasd_incidents_stale();
INSERT INTO incidents_stale (incident_id)
    SELECT i.id FROM incidents i
    WHERE i.sources <> (SELECT count(*) FROM incident_events l WHERE l.incident_id = i.id);

-- Events corrected in place (review): their keys go, and the next pass files them again.
CREATE TABLE events_rekey (
    event_id BIGINT PRIMARY KEY REFERENCES events (id) ON DELETE CASCADE
);
CREATE FUNCTION rasd_events_rekey() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM event_keys WHERE event_id = NEW.id;
    INSERT INTO events_rekey (event_id) VALUES (NEW.id) ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;
CREATE TRIGGER events_rekey_corrected AFTER UPDATE OF event ON events
    FOR EACH ROW WHEN (OLD.event IS DISTINCT FROM NEW.event)
    EXECUTE FUNCTION rasd_events_rekey();

-- 0008: the change log behind GET /api/changes and /api/stream (rasd-server).
-- Triggers write it inside the transaction of every write to the tables a reader
-- sees events and incidents through, whoever writes them (ingest, re-coding, rasd
-- watch, the clustering pass, analyst corrections, wrong marks, merges and splits),
-- so it cannot miss a change nor record one that was rolled back. A row says which
-- entity changed; readers fetch its state as it is now. `seq` only grows
-- (AUTOINCREMENT), and SQLite commits one writer at a time, so a reader that has
-- seen up to seq N never later finds a row below N appear.

CREATE TABLE changes (
    seq    INTEGER PRIMARY KEY AUTOINCREMENT,
    entity TEXT NOT NULL CHECK (entity IN ('event', 'incident')),
    key    TEXT NOT NULL,            -- events.id, or the incident's id (inc-N, grp-G)
    op     TEXT NOT NULL CHECK (op IN ('created', 'updated', 'deleted')),
    at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

CREATE TRIGGER changes_events_insert AFTER INSERT ON events BEGIN
    INSERT INTO changes (entity, key, op) VALUES ('event', NEW.id, 'created');
END;

-- A corrected event changes the incident it is in, too.
CREATE TRIGGER changes_events_update AFTER UPDATE ON events BEGIN
    INSERT INTO changes (entity, key, op) VALUES ('event', NEW.id, 'updated');
    INSERT INTO changes (entity, key, op)
        SELECT 'incident', 'inc-' || incident_id, 'updated' FROM incident_events
        WHERE event_id = NEW.id;
    INSERT INTO changes (entity, key, op)
        SELECT 'incident', 'grp-' || incident_group, 'updated' FROM review_applied
        WHERE event_id = NEW.id AND incident_group IS NOT NULL;
END;

-- Links and review rows go by cascade, and their own triggers log their incidents.
CREATE TRIGGER changes_events_delete AFTER DELETE ON events BEGIN
    INSERT INTO changes (entity, key, op) VALUES ('event', OLD.id, 'deleted');
END;

CREATE TRIGGER changes_incidents_insert AFTER INSERT ON incidents BEGIN
    INSERT INTO changes (entity, key, op) VALUES ('incident', 'inc-' || NEW.id, 'created');
END;

CREATE TRIGGER changes_incidents_update AFTER UPDATE ON incidents BEGIN
    INSERT INTO changes (entity, key, op) VALUES ('incident', 'inc-' || NEW.id, 'updated');
END;

CREATE TRIGGER changes_incidents_delete AFTER DELETE ON incidents BEGIN
    INSERT INTO changes (entity, key, op) VALUES ('incident', 'inc-' || OLD.id, 'deleted');
END;

-- A link changes the event's incident, so the event is logged too.
CREATE TRIGGER changes_links_insert AFTER INSERT ON incident_events BEGIN
    INSERT INTO changes (entity, key, op) VALUES ('event', NEW.event_id, 'updated');
    INSERT INTO changes (entity, key, op) VALUES ('incident', 'inc-' || NEW.incident_id, 'updated');
END;

CREATE TRIGGER changes_links_update AFTER UPDATE ON incident_events
WHEN OLD.incident_id IS NOT NEW.incident_id BEGIN
    INSERT INTO changes (entity, key, op) VALUES ('event', NEW.event_id, 'updated');
    INSERT INTO changes (entity, key, op) VALUES ('incident', 'inc-' || OLD.incident_id, 'updated');
    INSERT INTO changes (entity, key, op) VALUES ('incident', 'inc-' || NEW.incident_id, 'updated');
END;

CREATE TRIGGER changes_links_delete AFTER DELETE ON incident_events BEGIN
    INSERT INTO changes (entity, key, op) VALUES ('incident', 'inc-' || OLD.incident_id, 'updated');
END;

-- Wrong marks and analyst groups (merge, split): the event, the group it leaves and
-- the one it joins, and the automatic incident it is linked to.
CREATE TRIGGER changes_review_insert AFTER INSERT ON review_applied BEGIN
    INSERT INTO changes (entity, key, op) VALUES ('event', NEW.event_id, 'updated');
    INSERT INTO changes (entity, key, op)
        SELECT 'incident', 'grp-' || NEW.incident_group, 'updated'
        WHERE NEW.incident_group IS NOT NULL;
    INSERT INTO changes (entity, key, op)
        SELECT 'incident', 'inc-' || incident_id, 'updated' FROM incident_events
        WHERE event_id = NEW.event_id;
END;

CREATE TRIGGER changes_review_update AFTER UPDATE ON review_applied
WHEN OLD.wrong IS NOT NEW.wrong OR OLD.incident_group IS NOT NEW.incident_group
  OR OLD.corrected IS NOT NEW.corrected BEGIN
    INSERT INTO changes (entity, key, op) VALUES ('event', NEW.event_id, 'updated');
    INSERT INTO changes (entity, key, op)
        SELECT 'incident', 'grp-' || OLD.incident_group, 'updated'
        WHERE OLD.incident_group IS NOT NULL;
    INSERT INTO changes (entity, key, op)
        SELECT 'incident', 'grp-' || NEW.incident_group, 'updated'
        WHERE NEW.incident_group IS NOT NULL AND NEW.incident_group IS NOT OLD.incident_group;
    INSERT INTO changes (entity, key, op)
        SELECT 'incident', 'inc-' || incident_id, 'updated' FROM incident_events
        WHERE event_id = NEW.event_id;
END;

CREATE TRIGGER changes_review_delete AFTER DELETE ON review_applied BEGIN
    INSERT INTO changes (entity, key, op)
        SELECT 'event', OLD.event_id, 'updated'
        WHERE EXISTS (SELECT 1 FROM events WHERE id = OLD.event_id);
    INSERT INTO changes (entity, key, op)
        SELECT 'incident', 'grp-' || OLD.incident_group, 'updated'
        WHERE OLD.incident_group IS NOT NULL;
END;

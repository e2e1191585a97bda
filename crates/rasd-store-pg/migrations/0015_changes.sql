-- 0015: the change log behind GET /api/changes and /api/stream, as the embedded
-- store's 0008: triggers on events, incidents, incident links and review rows write
-- it inside each write's transaction, so it misses nothing and keeps nothing rolled
-- back.
--
-- One difference the dialect forces: SQLite commits one writer at a time, so its
-- AUTOINCREMENT order is commit order. Here several workers write at once, and a
-- sequence value taken early by a transaction that commits late would appear below
-- a cursor a reader already passed. So the triggers only queue rows (seq NULL); a
-- deferred constraint trigger numbers them at COMMIT, holding an advisory lock that
-- is released only once the transaction is visible. Numbers are then handed out in
-- commit order, and the lock is held for the last instant of a transaction only,
-- when it waits on nothing else (no deadlock can form through it).

CREATE SEQUENCE changes_seq;

CREATE TABLE changes (
    id     BIGSERIAL PRIMARY KEY,
    seq    BIGINT UNIQUE,                -- NULL until the writing transaction commits
    entity TEXT NOT NULL CHECK (entity IN ('event', 'incident')),
    key    TEXT NOT NULL,                -- events.id, or the incident's id (inc-N, grp-G)
    op     TEXT NOT NULL CHECK (op IN ('created', 'updated', 'deleted')),
    at     TEXT NOT NULL DEFAULT to_char(clock_timestamp() AT TIME ZONE 'UTC',
                                         'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
);

CREATE FUNCTION rasd_change(entity TEXT, key TEXT, op TEXT) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO changes (entity, key, op) VALUES (entity, key, op);
$$;

-- "rchg": the lock that orders commits of logged writes.
CREATE FUNCTION rasd_changes_number() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(1919117415);
    UPDATE changes SET seq = nextval('changes_seq') WHERE id = NEW.id AND seq IS NULL;
    RETURN NULL;
END $$;

CREATE CONSTRAINT TRIGGER changes_number AFTER INSERT ON changes
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION rasd_changes_number();

CREATE FUNCTION rasd_changes_events() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM rasd_change('event', NEW.id::text, 'created');
    ELSIF TG_OP = 'UPDATE' THEN
        -- A corrected event changes the incident it is in, too.
        PERFORM rasd_change('event', NEW.id::text, 'updated');
        PERFORM rasd_change('incident', 'inc-' || incident_id, 'updated')
            FROM incident_events WHERE event_id = NEW.id;
        PERFORM rasd_change('incident', 'grp-' || incident_group, 'updated')
            FROM review_applied WHERE event_id = NEW.id AND incident_group IS NOT NULL;
    ELSE
        -- Links and review rows go by cascade, and their own triggers log their incidents.
        PERFORM rasd_change('event', OLD.id::text, 'deleted');
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER changes_events AFTER INSERT OR UPDATE OR DELETE ON events
    FOR EACH ROW EXECUTE FUNCTION rasd_changes_events();

CREATE FUNCTION rasd_changes_incidents() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM rasd_change('incident', 'inc-' || NEW.id, 'created');
    ELSIF TG_OP = 'UPDATE' THEN
        PERFORM rasd_change('incident', 'inc-' || NEW.id, 'updated');
    ELSE
        PERFORM rasd_change('incident', 'inc-' || OLD.id, 'deleted');
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER changes_incidents AFTER INSERT OR UPDATE OR DELETE ON incidents
    FOR EACH ROW EXECUTE FUNCTION rasd_changes_incidents();

-- A link changes the event's incident, so the event is logged too.
CREATE FUNCTION rasd_changes_links() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM rasd_change('event', NEW.event_id::text, 'updated');
        PERFORM rasd_change('incident', 'inc-' || NEW.incident_id, 'updated');
    ELSIF TG_OP = 'UPDATE' THEN
        IF OLD.incident_id IS DISTINCT FROM NEW.incident_id THEN
            PERFORM rasd_change('event', NEW.event_id::text, 'updated');
            PERFORM rasd_change('incident', 'inc-' || OLD.incident_id, 'updated');
            PERFORM rasd_change('incident', 'inc-' || NEW.incident_id, 'updated');
        END IF;
    ELSE
        PERFORM rasd_change('incident', 'inc-' || OLD.incident_id, 'updated');
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER changes_links AFTER INSERT OR UPDATE OR DELETE ON incident_events
    FOR EACH ROW EXECUTE FUNCTION rasd_changes_links();

-- Wrong marks and analyst groups (merge, split): the event, the group it leaves and
-- the one it joins, and the automatic incident it is linked to.
CREATE FUNCTION rasd_changes_review() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM rasd_change('event', NEW.event_id::text, 'updated');
        IF NEW.incident_group IS NOT NULL THEN
            PERFORM rasd_change('incident', 'grp-' || NEW.incident_group, 'updated');
        END IF;
        PERFORM rasd_change('incident', 'inc-' || incident_id, 'updated')
            FROM incident_events WHERE event_id = NEW.event_id;
    ELSIF TG_OP = 'UPDATE' THEN
        IF OLD.wrong IS DISTINCT FROM NEW.wrong
           OR OLD.incident_group IS DISTINCT FROM NEW.incident_group
           OR OLD.corrected IS DISTINCT FROM NEW.corrected THEN
            PERFORM rasd_change('event', NEW.event_id::text, 'updated');
            IF OLD.incident_group IS NOT NULL THEN
                PERFORM rasd_change('incident', 'grp-' || OLD.incident_group, 'updated');
            END IF;
            IF NEW.incident_group IS NOT NULL
               AND NEW.incident_group IS DISTINCT FROM OLD.incident_group THEN
                PERFORM rasd_change('incident', 'grp-' || NEW.incident_group, 'updated');
            END IF;
            PERFORM rasd_change('incident', 'inc-' || incident_id, 'updated')
                FROM incident_events WHERE event_id = NEW.event_id;
        END IF;
    ELSE
        IF EXISTS (SELECT 1 FROM events WHERE id = OLD.event_id) THEN
            PERFORM rasd_change('event', OLD.event_id::text, 'updated');
        END IF;
        IF OLD.incident_group IS NOT NULL THEN
            PERFORM rasd_change('incident', 'grp-' || OLD.incident_group, 'updated');
        END IF;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER changes_review AFTER INSERT OR UPDATE OR DELETE ON review_applied
    FOR EACH ROW EXECUTE FUNCTION rasd_changes_review();

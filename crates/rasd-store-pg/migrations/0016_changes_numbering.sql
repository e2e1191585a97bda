-- 0016: the change log's numbering at commit (0015) in one statement per
-- transaction. 0015 numbered each row by its own UPDATE from its own deferred
-- trigger; a write of many rows (a bulk load, a batch re-coding many documents) then
-- paid one lookup per row, and a plan cached while the table was small could turn
-- each into a scan. Now the first of a transaction's deferred triggers numbers all of
-- its rows at once, in insertion order, and the others see a transaction-local flag
-- and return. Only the writing transaction's rows can be unnumbered and visible to
-- it (others' are uncommitted, hence invisible), and numbers are taken under the
-- commit-order lock, so the block of numbers reserved here is this transaction's.

CREATE INDEX changes_unnumbered ON changes (id) WHERE seq IS NULL;

CREATE OR REPLACE FUNCTION rasd_changes_number() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    n    BIGINT;
    base BIGINT;
BEGIN
    IF current_setting('rasd.changes_numbered', true) = 'yes' THEN
        RETURN NULL;
    END IF;
    PERFORM pg_advisory_xact_lock(1919117415);
    SELECT count(*) INTO n FROM changes WHERE seq IS NULL;
    IF n > 0 THEN
        base := nextval('changes_seq');
        IF n > 1 THEN
            PERFORM setval('changes_seq', base + n - 1);
        END IF;
        UPDATE changes c SET seq = base - 1 + o.rn
        FROM (SELECT id, row_number() OVER (ORDER BY id) AS rn
              FROM changes WHERE seq IS NULL) o
        WHERE c.id = o.id;
    END IF;
    PERFORM set_config('rasd.changes_numbered', 'yes', true);
    RETURN NULL;
END $$;

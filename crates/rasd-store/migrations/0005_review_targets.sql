-- 0005: review follows an article through re-coding inside the write path
-- (rasd_store::reconcile). Every reviewed event has a target: the document, the key
-- of the event the analyst reviewed, that event as the coder wrote it and how many
-- events its sentences gave. Corrections hang off their target; a target whose event
-- the coder no longer produces is an orphan until an analyst re-attaches or dismisses it.

CREATE TABLE review_targets (
    id          INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    doc_id      TEXT    NOT NULL,
    event_key   TEXT    NOT NULL,             -- key of the event the changes apply to
    original    TEXT,                         -- Event JSON as the coder wrote it (NULL: from before 0005)
    pieces      INTEGER,                      -- events its sentences gave then (NULL: unknown)
    state       TEXT    NOT NULL DEFAULT 'attached'
                CHECK (state IN ('attached', 'orphan', 'dismissed')),
    reason      TEXT,                         -- orphan: key_changed | split
    changed_at  TEXT    NOT NULL
);
CREATE UNIQUE INDEX review_targets_attached ON review_targets (document_id, event_key)
    WHERE state = 'attached';
CREATE INDEX review_targets_document ON review_targets (document_id, state);
CREATE INDEX review_targets_orphans ON review_targets (state) WHERE state = 'orphan';

ALTER TABLE review_corrections ADD COLUMN target_id INTEGER REFERENCES review_targets (id);
CREATE INDEX review_corrections_target ON review_corrections (target_id, id);

-- Corrections made before this migration: one target per (doc_id, key), on the
-- document whose event carries it (else the newest document of that doc_id). The
-- store then reconciles those documents once when it is opened (review.rs).
INSERT INTO review_targets (document_id, doc_id, event_key, original, pieces, state, changed_at)
SELECT coalesce(
           (SELECT e.document_id FROM review_applied ra JOIN events e ON e.id = ra.event_id
            WHERE ra.doc_id = c.doc_id AND ra.event_key = c.event_key LIMIT 1),
           (SELECT max(d.id) FROM documents d WHERE d.doc_id = c.doc_id)),
       c.doc_id, c.event_key,
       (SELECT ra.original FROM review_applied ra
        WHERE ra.doc_id = c.doc_id AND ra.event_key = c.event_key LIMIT 1),
       NULL, 'attached', ''
FROM (SELECT DISTINCT doc_id, event_key FROM review_corrections) c
WHERE EXISTS (SELECT 1 FROM documents d WHERE d.doc_id = c.doc_id);

UPDATE review_corrections SET target_id = (
    SELECT t.id FROM review_targets t
    WHERE t.doc_id = review_corrections.doc_id AND t.event_key = review_corrections.event_key);

INSERT OR IGNORE INTO store_meta (key, value) VALUES ('review_reconcile_pending', '1');

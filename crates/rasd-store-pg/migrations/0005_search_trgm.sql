-- 0005: free-text search over the folded Arabic of search_text (rasd_store::fold_for_index,
-- the folding of the embedded store's FTS5 trigram index) through a pg_trgm GIN index,
-- which serves the `search_text LIKE '%term%'` filters of every term of 3+ characters.
-- pg_trgm ships with PostgreSQL (contrib) and is a trusted extension since PostgreSQL 13,
-- so the database's owner may create it. Where it cannot be created the search still
-- works, by scanning; the migration says so and goes on.
DO $$
BEGIN
    CREATE EXTENSION IF NOT EXISTS pg_trgm;
    CREATE INDEX IF NOT EXISTS events_search_trgm ON events USING gin (search_text gin_trgm_ops);
EXCEPTION
    WHEN insufficient_privilege OR undefined_file OR feature_not_supported THEN
        RAISE WARNING 'rasd: pg_trgm unavailable (%): free-text search will scan the events table', SQLERRM;
END
$$;

-- 0017: indexes for the dashboard's pages at a million events. A page is the first
-- rows of a filter in one of the list orders, so each order has an index that gives
-- it directly (the scan stops after a page of matches): latest/oldest first by
-- (date_start, id), deadliest first by (fatalities DESC NULLS LAST, id DESC). The
-- actor filter matches the start of a name or of a word in `actors`
-- (E'\n' || actors LIKE '%\nq%' / '% q%'), which a trigram index on that expression
-- serves, as 0005's serves the free text.

CREATE INDEX events_date_id ON events (date_start, id);
CREATE INDEX events_fatalities_id ON events (fatalities DESC NULLS LAST, id DESC);
DO $$
BEGIN
    CREATE INDEX events_actors_trgm ON events USING gin ((E'\n' || actors) gin_trgm_ops);
EXCEPTION
    WHEN undefined_object THEN
        RAISE WARNING 'rasd: pg_trgm unavailable (%): the actor filter will scan', SQLERRM;
END
$$;
-- The planner chooses between walking an order's index and collecting the matches
-- from its estimates: the statistics of the new expression, now.
ANALYZE events;

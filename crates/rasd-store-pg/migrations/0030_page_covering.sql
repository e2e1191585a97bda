-- 0030: a page of events in date order without reading the events table. Walking
-- 0017's (date_start, id) index reads each candidate's row to check the filter, and
-- at a million events those rows (about 1 kB each, the event JSON among them) are
-- far more than the buffer cache holds: a free-text + actor page read 7,000 rows from
-- the operating system, over 150 ms. This index carries every column a filter
-- checks, the folded text and the normalised actors included, so the walk is an
-- index-only scan over tuples in page order.
--
-- A B-tree entry must fit in a third of a page (about 2.7 kB), so the index holds
-- only events whose text and actors fit in 2,000 bytes (nearly all); the few longer
-- ones have their own small date index, and a page query asks both (a UNION ALL of
-- the two, merged in date order: rasd_store_pg's `page_sql`). The predicate is
-- written exactly as the queries write it, so the planner can prove it.
CREATE INDEX IF NOT EXISTS events_page ON events (date_start, id)
    INCLUDE (date_end, event_type, sub_event_type, admin1_key, admin2_key, location_key,
             lat, lon, fatalities, actors, search_text)
    WHERE octet_length(actors) + octet_length(search_text) <= 2000;
CREATE INDEX IF NOT EXISTS events_page_long ON events (date_start, id)
    WHERE octet_length(actors) + octet_length(search_text) > 2000;
ANALYZE events;

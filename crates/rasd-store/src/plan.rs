//! Pages of events for `GET /api/events` and `rasd events`: which index drives the
//! query, so that every filter stays fast over a million events.
//!
//! SQLite alone picks badly for the two filters that are not plain columns: the
//! actor (a join through `event_actors`) and the free text (the FTS5 index
//! `events_text`). Asked for "latest first, 50 rows", it materialises every hit of a
//! common word and sorts them all. So the page is planned here:
//!
//! 1. Neither actor nor text: one SQL statement; the column indexes of 0001/0003
//!    serve the filter and the order.
//! 2. The events passing the column conditions (from their index), the actor's events
//!    and the text's hits are fetched as *candidate lists*, each only up to a cap
//!    ([`INDEX_LIST_CAP`] for the index-only lists, [`CANDIDATE_CAP`] for the text);
//!    all are turned into page order by their keys ([`text_key`]: first day, then
//!    id). The shortest complete list is walked in order; the other conditions are
//!    checked in memory against their own complete lists, or (for at most
//!    [`CANDIDATE_CAP`] candidates) by a primary-key lookup, or, for a long text list,
//!    against the text hits of the days the walk spans. The walk stops when the page
//!    is full (and a little later, for the count).
//! 3. Every list is long (a common word, a frequent actor, a broad filter): matches
//!    are dense, so the page comes from walking an index in page order and checking
//!    the rest per row — the text index itself (its rowids are in date order) when
//!    there is a text and the order is by date, else the events' indexes.
//!
//! Every page runs under a budget of SQLite VM steps ([`SCAN_BUDGET_STEPS`]): a filter
//! whose matches are spread too thin to be found in time returns what it found, with
//! `complete: false`, rather than scanning for seconds. Counts stop at [`COUNT_CAP`]
//! and have their own budget ([`COUNT_BUDGET_STEPS`]).

use crate::filter::SqlValue as Value;
use crate::filter::{ACTOR_MATCH, EventFilter, Sort, SqlWhere, fts_query};
use crate::{EventId, Result};
use jiff::civil::Date;
use rusqlite::{Connection, OptionalExtension, params_from_iter};
use serde::Serialize;
use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Bits of an `events_text` rowid that hold the event id; the bits above hold the
/// event's first day as the number YYYYMMDD.
pub const KEY_SHIFT: u32 = 36;
/// Mask of the event id in an `events_text` rowid.
pub const KEY_ID_MASK: i64 = (1 << KEY_SHIFT) - 1;
// The SQL below spells the shift and the mask out as numbers.
const _: () = assert!(KEY_SHIFT == 36 && KEY_ID_MASK == 68_719_476_735);
/// The `events_text` key of an event, in SQL over alias `e` (the same as [`text_key`]).
const SQL_KEY: &str = "((CAST(replace(e.date_start, '-', '') AS INTEGER) << 36) | e.id)";

/// Longest candidate list (actor's events, text hits) walked candidate by candidate;
/// longer lists mean dense matches, served by walking an index in page order.
pub const CANDIDATE_CAP: usize = 3000;
/// Longest index-only candidate list (column conditions, actors) fetched; such a list
/// is walked beyond [`CANDIDATE_CAP`] only when every other condition is checked in
/// memory (no lookup per candidate).
pub const INDEX_LIST_CAP: usize = 20_000;
/// Counting stops here: an exact count of a million rows costs more than a page.
pub const COUNT_CAP: u64 = 10_000;
/// SQLite VM steps one page may take (a few tens of milliseconds of one core).
pub const SCAN_BUDGET_STEPS: u64 = 3_000_000;
/// Time a page may take, whatever SQLite is doing (a safety net behind the steps).
pub const SCAN_BUDGET_TIME: Duration = Duration::from_millis(1000);
/// Time the count of a page's total may take.
pub const COUNT_BUDGET_TIME: Duration = Duration::from_millis(15);
/// SQLite VM steps the count of a page's total may take.
pub const COUNT_BUDGET_STEPS: u64 = 100_000;
/// Most text hits fetched for the days a candidate list spans (a long text list
/// narrowed to those days); more, and the text is checked per candidate.
pub const TEXT_RANGE_CAP: usize = 30_000;
/// Candidates checked beyond a full page to count the rest of a candidate list.
pub const COUNT_EXTRA_PROBES: usize = 600;
/// The list caps a plan uses ([`CANDIDATE_CAP`], [`INDEX_LIST_CAP`] by default);
/// smaller caps make small stores take the plans of big ones (tests).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Caps {
    pub candidates: usize,
    pub index_list: usize,
}

impl Default for Caps {
    fn default() -> Caps {
        Caps {
            candidates: CANDIDATE_CAP,
            index_list: INDEX_LIST_CAP,
        }
    }
}

/// VM steps between two calls of the budget's progress handler.
const STEPS_PER_CALL: i32 = 1000;

/// The `events_text` rowid of event `id` whose first day is `day`: the day (YYYYMMDD)
/// above [`KEY_SHIFT`] bits of id, so rowid order is (first day, id) order.
pub fn text_key(day: Date, id: i64) -> i64 {
    let ymd = i64::from(day.year().clamp(0, 9999)) * 10_000
        + i64::from(day.month()) * 100
        + i64::from(day.day());
    (ymd << KEY_SHIFT) | (id & KEY_ID_MASK)
}

/// One page of event ids and what is known of the total.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EventPage {
    pub ids: Vec<EventId>,
    /// Events that pass the filter, counted up to [`COUNT_CAP`] (a lower bound when
    /// `total_exact` is false).
    pub total: u64,
    pub total_exact: bool,
    /// False when the scan budget ran out before the page was filled: the page holds
    /// the matches found so far (narrow the filter for the rest).
    pub complete: bool,
}

impl EventPage {
    fn empty() -> EventPage {
        EventPage {
            ids: Vec::new(),
            total: 0,
            total_exact: true,
            complete: true,
        }
    }
}

fn interrupted(e: &rusqlite::Error) -> bool {
    matches!(e, rusqlite::Error::SqliteFailure(f, _) if f.code == rusqlite::ErrorCode::OperationInterrupted)
}

/// The budget of the current phase: VM steps left, counted down by a progress handler
/// on the connection (installed by [`with_budget`]), and a deadline as a safety net
/// for work SQLite does outside its VM (inside the FTS5 module).
#[derive(Clone)]
pub(crate) struct Budget {
    steps_left: Arc<AtomicI64>,
    /// Nanoseconds after `base` when the phase must stop.
    deadline: Arc<AtomicU64>,
    base: Instant,
}

/// Runs `f` with a progress handler on `conn` that interrupts any statement once the
/// phase in progress (see [`budgeted`]) has used up its steps or its time.
pub(crate) fn with_budget<T>(
    conn: &mut Connection,
    f: impl FnOnce(&Connection, &Budget) -> Result<T>,
) -> Result<T> {
    let budget = Budget {
        steps_left: Arc::new(AtomicI64::new(i64::MAX)),
        deadline: Arc::new(AtomicU64::new(u64::MAX)),
        base: Instant::now(),
    };
    let (left, deadline, base) = (
        budget.steps_left.clone(),
        budget.deadline.clone(),
        budget.base,
    );
    conn.progress_handler(
        STEPS_PER_CALL,
        Some(move || {
            left.fetch_sub(1, Ordering::Relaxed) <= 0
                || base.elapsed().as_nanos() as u64 > deadline.load(Ordering::Relaxed)
        }),
    )?;
    let out = f(conn, &budget);
    conn.progress_handler(0, None::<fn() -> bool>)?;
    out
}

/// Runs `f` as a phase of at most `steps` VM steps and `time` (unbounded without a
/// budget).
fn budgeted<T>(budget: Option<&Budget>, steps: u64, time: Duration, f: impl FnOnce() -> T) -> T {
    let Some(b) = budget else {
        return f();
    };
    b.steps_left
        .store((steps / STEPS_PER_CALL as u64) as i64, Ordering::Relaxed);
    let end = b.base.elapsed() + time;
    b.deadline.store(end.as_nanos() as u64, Ordering::Relaxed);
    let out = f();
    b.steps_left.store(i64::MAX, Ordering::Relaxed);
    b.deadline.store(u64::MAX, Ordering::Relaxed);
    out
}

/// The first column (an integer) of every row, until the end or an interruption:
/// (values, finished).
fn collect_ints(conn: &Connection, sql: &str, params: &[Value]) -> Result<(Vec<i64>, bool)> {
    let mut stmt = conn.prepare_cached(sql)?;
    let mut rows = stmt.query(params_from_iter(params.iter()))?;
    let mut out = Vec::new();
    loop {
        match rows.next() {
            Ok(Some(r)) => out.push(r.get(0)?),
            Ok(None) => return Ok((out, true)),
            Err(e) if interrupted(&e) => return Ok((out, false)),
            Err(e) => return Err(e.into()),
        }
    }
}

/// Ids of the actors the filter's `actor` names (none when it names no known actor).
fn actor_ids(conn: &Connection, query: &str) -> Result<Vec<i64>> {
    if query.is_empty() {
        return Ok(Vec::new());
    }
    let v = Value::Text(query.to_string());
    let mut w = SqlWhere::default();
    w.push(ACTOR_MATCH, vec![v.clone(), v.clone(), v.clone(), v]);
    let sql = format!("SELECT id FROM actor_names {}", w.sql());
    Ok(collect_ints(conn, &sql, &w.params)?.0)
}

/// The events of the actors, as `events_text` keys latest first, or `None` when
/// there are more than [`CANDIDATE_CAP`].
fn actor_candidates(conn: &Connection, ids: &str, caps: Caps) -> Result<Option<Vec<i64>>> {
    // Counting the index entries is cheaper than reading them: a frequent actor is
    // told from a rare one before any is read.
    let n: i64 = conn
        .prepare_cached(
            "SELECT count(*) FROM (SELECT 1 FROM event_actors
             WHERE actor_id IN (SELECT value FROM json_each(?1)) LIMIT ?2)",
        )?
        .query_row(rusqlite::params![ids, caps.index_list as i64 + 1], |r| {
            r.get(0)
        })?;
    if n as usize > caps.index_list {
        return Ok(None);
    }
    let mut stmt = conn.prepare_cached(
        "SELECT date_start, event_id FROM event_actors
         WHERE actor_id IN (SELECT value FROM json_each(?1)) LIMIT ?2",
    )?;
    let rows = stmt
        .query_map(rusqlite::params![ids, caps.index_list as i64 + 1], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    if rows.len() > caps.index_list {
        return Ok(None);
    }
    let mut keys: Vec<i64> = rows
        .into_iter()
        .filter_map(|(d, id)| d.parse::<Date>().ok().map(|d| text_key(d, id)))
        .collect();
    keys.sort_unstable_by(|a, b| b.cmp(a));
    keys.dedup();
    Ok(Some(keys))
}

/// The text hits as `events_text` keys latest first, or `None` when there are more
/// than [`CANDIDATE_CAP`].
fn text_candidates(conn: &Connection, query: &str, caps: Caps) -> Result<Option<Vec<i64>>> {
    let mut stmt = conn.prepare_cached(
        "SELECT rowid FROM events_text WHERE events_text MATCH ?1 ORDER BY rowid DESC LIMIT ?2",
    )?;
    let keys = stmt
        .query_map(rusqlite::params![query, caps.candidates as i64 + 1], |r| {
            r.get::<_, i64>(0)
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok((keys.len() <= caps.candidates).then_some(keys))
}

/// Ids of the events marked wrong (few: analysts mark them one by one).
fn wrong_ids(conn: &Connection) -> Result<HashSet<i64>> {
    let mut stmt = conn.prepare_cached("SELECT event_id FROM review_applied WHERE wrong = 1")?;
    let ids = stmt
        .query_map([], |r| r.get::<_, i64>(0))?
        .collect::<rusqlite::Result<HashSet<_>>>()?;
    Ok(ids)
}

/// The actor condition over alias `e`, for actor ids given as a JSON array.
fn push_actor(w: &mut SqlWhere, ids_json: &str) {
    push_actor_of(w, "e.id", ids_json);
}

/// The actor condition for the event whose id is the SQL expression `id`.
fn push_actor_of(w: &mut SqlWhere, id: &str, ids_json: &str) {
    w.push(
        &format!(
            "EXISTS (SELECT 1 FROM event_actors ea WHERE ea.event_id = {id} \
             AND ea.actor_id IN (SELECT value FROM json_each(?)))"
        ),
        vec![Value::Text(ids_json.to_string())],
    );
}

/// The text condition over alias `e`, checked per row against the text index.
fn push_text_probe(w: &mut SqlWhere, query: &str) {
    w.push(
        &format!(
            "EXISTS (SELECT 1 FROM events_text t WHERE t.events_text MATCH ? AND t.rowid = {SQL_KEY})"
        ),
        vec![Value::Text(query.to_string())],
    );
}

/// The filter's conditions resolved against the small tables.
struct Resolved {
    /// JSON array of the matching actor ids, when filtering by actor.
    actors: Option<String>,
    /// The FTS5 query, when filtering by text.
    text: Option<String>,
    /// JSON array of the ids of every text hit, when a dense text is checked row by
    /// row and there are no more than [`TEXT_RANGE_CAP`] hits: one set built per
    /// query instead of a text-index lookup per row.
    text_ids: Option<String>,
    /// A lower bound of `date_start` implied by `from` (see [`start_floor`]).
    start_floor: Option<String>,
}

/// The filter's column conditions, plus the first-day floor: `from` bounds
/// `date_end`, which no index orders; with it an index on the first day can start
/// at the floor instead of at the store's first event.
fn push_cols(f: &EventFilter, r: &Resolved, w: &mut SqlWhere) {
    f.push_structured(w);
    if let Some(d) = &r.start_floor {
        w.push("e.date_start >= ?", vec![Value::Text(d.clone())]);
    }
}

/// The earliest first day an event ending on or after `from` can have: `from` less
/// the longest span (date_end - date_start) any stored event has had (kept by the
/// index writes in `store_meta`). `None` without a `from` or before any is known.
fn start_floor(conn: &Connection, f: &EventFilter) -> Result<Option<String>> {
    let Some(from) = f.from else {
        return Ok(None);
    };
    let days: Option<i64> = conn
        .prepare_cached(
            "SELECT CAST(value AS INTEGER) FROM store_meta WHERE key = 'max_event_days'",
        )?
        .query_row([], |r| r.get(0))
        .optional()?;
    Ok(days.and_then(|d| {
        from.checked_sub(jiff::Span::new().days(d))
            .ok()
            .map(|d| d.to_string())
    }))
}

/// Plans and runs one page. With a `budget` the page may take [`SCAN_BUDGET_STEPS`]
/// and its count [`COUNT_BUDGET_STEPS`]; without, it is an unbounded read (the CLI,
/// exports). `count`: whether the total is wanted.
pub(crate) fn page_ids(
    conn: &Connection,
    f: &EventFilter,
    budget: Option<&Budget>,
    count: bool,
    caps: Caps,
) -> Result<EventPage> {
    let actors = match f.actor_query() {
        None => None,
        Some(q) => {
            let ids = actor_ids(conn, &q)?;
            if ids.is_empty() {
                return Ok(EventPage::empty());
            }
            Some(serde_json::Value::from(ids).to_string())
        }
    };
    let text = match &f.text {
        None => None,
        // No term long enough to search for: nothing matches.
        Some(t) => match fts_query(t) {
            Some(q) => Some(q),
            None => return Ok(EventPage::empty()),
        },
    };
    let mut r = Resolved {
        actors,
        text,
        text_ids: None,
        start_floor: start_floor(conn, f)?,
    };
    if r.actors.is_none() && r.text.is_none() {
        return sql_plan(conn, f, &r, Driver::Events, budget, count);
    }
    let date_sort = matches!(f.sort, Sort::DateDesc | Sort::DateAsc);
    // Text alone, latest or oldest first: the text index is already in page order,
    // whatever the number of hits.
    if r.actors.is_none() && !f.has_structured() && date_sort {
        return sql_plan(conn, f, &r, Driver::Text, budget, count);
    }
    let actor_list = match &r.actors {
        Some(ids) => actor_candidates(conn, ids, caps)?,
        None => None,
    };
    let text_list = match &r.text {
        Some(q) => text_candidates(conn, q, caps)?,
        None => None,
    };
    let structured_list = if f.has_structured() {
        structured_candidates(conn, f, &r, caps)?
    } else {
        None
    };
    // Walk the shortest complete list.
    let walk = [
        (Source::Structured, &structured_list),
        (Source::Actor, &actor_list),
        (Source::Text, &text_list),
    ]
    .into_iter()
    .filter_map(|(src, l)| l.as_ref().map(|l| (src, l)))
    .min_by_key(|(_, l)| l.len());
    if let Some((src, keys)) = walk {
        let lists = Lists {
            walk: src,
            structured: structured_list.as_ref(),
            actor: actor_list.as_ref(),
            text: text_list.as_ref(),
            caps,
        };
        if let Some(page) = list_plan(conn, f, &r, keys, lists, budget, count)? {
            return Ok(page);
        }
    }
    // Dense matches everywhere: walk an index in page order.
    let driver = if r.text.is_some() && date_sort {
        Driver::Text
    } else {
        Driver::Events
    };
    if driver == Driver::Events {
        if let Some(q) = &r.text {
            if let Some(ids) = text_in_range(conn, q, i64::MIN, i64::MAX)? {
                let ids: Vec<i64> = ids.into_iter().collect();
                r.text_ids = Some(serde_json::Value::from(ids).to_string());
            }
        }
    }
    sql_plan(conn, f, &r, driver, budget, count)
}

/// The events that pass the column conditions alone, as `events_text` keys latest
/// first, or `None` when there are more than [`CANDIDATE_CAP`] (read from the column
/// indexes, usually without an events row).
fn structured_candidates(
    conn: &Connection,
    f: &EventFilter,
    r: &Resolved,
    caps: Caps,
) -> Result<Option<Vec<i64>>> {
    let mut w = SqlWhere::default();
    push_cols(f, r, &mut w);
    let limit = w.param(Value::Integer(caps.index_list as i64 + 1));
    // As for actors: a broad filter is told by counting before any row is read.
    let n: i64 = conn
        .prepare_cached(&format!(
            "SELECT count(*) FROM (SELECT 1 FROM events e {} LIMIT {limit})",
            w.sql()
        ))?
        .query_row(params_from_iter(w.params.iter()), |r| r.get(0))?;
    if n as usize > caps.index_list {
        return Ok(None);
    }
    let sql = format!(
        "SELECT e.date_start, e.id FROM events e {} LIMIT {limit}",
        w.sql()
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt
        .query_map(params_from_iter(w.params.iter()), |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    if rows.len() > caps.index_list {
        return Ok(None);
    }
    let mut keys: Vec<i64> = rows
        .into_iter()
        .filter_map(|(d, id)| d.parse::<Date>().ok().map(|d| text_key(d, id)))
        .collect();
    keys.sort_unstable_by(|a, b| b.cmp(a));
    Ok(Some(keys))
}

/// The ids of the text hits between two keys (inclusive), or `None` when there are
/// more than [`TEXT_RANGE_CAP`]: a long text list narrowed to the days another list
/// spans.
fn text_in_range(conn: &Connection, query: &str, lo: i64, hi: i64) -> Result<Option<HashSet<i64>>> {
    let mut stmt = conn.prepare_cached(
        "SELECT rowid FROM events_text WHERE events_text MATCH ?1 AND rowid BETWEEN ?2 AND ?3 LIMIT ?4",
    )?;
    let ids = stmt
        .query_map(
            rusqlite::params![query, lo, hi, TEXT_RANGE_CAP as i64 + 1],
            |r| r.get::<_, i64>(0),
        )?
        .map(|k| k.map(|k| k & KEY_ID_MASK))
        .collect::<rusqlite::Result<HashSet<_>>>()?;
    Ok((ids.len() <= TEXT_RANGE_CAP).then_some(ids))
}

/// Which table a single-statement plan walks.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Driver {
    /// `events` through whichever index SQLite picks for the conditions and order.
    Events,
    /// `events_text` in rowid (= date) order; the events row only when a column
    /// condition needs it.
    Text,
}

/// A page from one SQL statement, and its count from another.
fn sql_plan(
    conn: &Connection,
    f: &EventFilter,
    r: &Resolved,
    driver: Driver,
    budget: Option<&Budget>,
    count: bool,
) -> Result<EventPage> {
    let mut w = SqlWhere::default();
    let (from, order, id) = match driver {
        Driver::Events => {
            push_cols(f, r, &mut w);
            if let Some(ids) = &r.actors {
                push_actor(&mut w, ids);
            }
            if let Some(q) = &r.text {
                match &r.text_ids {
                    Some(ids) => w.push(
                        "e.id IN (SELECT value FROM json_each(?))",
                        vec![Value::Text(ids.clone())],
                    ),
                    None => push_text_probe(&mut w, q),
                }
            }
            f.push_wrong(&mut w);
            (
                "events e".to_string(),
                f.order_clause().to_string(),
                "e.id".to_string(),
            )
        }
        Driver::Text => {
            let q = r.text.as_deref().unwrap_or_default();
            w.push("t.events_text MATCH ?", vec![Value::Text(q.to_string())]);
            // A day bound is a rowid bound: the index skips straight to it.
            if let Some(to) = f.to {
                w.push(
                    "t.rowid <= ?",
                    vec![Value::Integer(text_key(to, KEY_ID_MASK))],
                );
            }
            // The actor index and the wrong marks need only the id, which the rowid
            // holds; the events row is read only for column conditions.
            let needs_row = f.has_structured();
            if needs_row {
                push_cols(f, r, &mut w);
            }
            if let Some(ids) = &r.actors {
                push_actor_of(&mut w, &format!("(t.rowid & {KEY_ID_MASK})"), ids);
            }
            if !f.include_wrong {
                w.push(
                    &format!(
                        "(t.rowid & {KEY_ID_MASK}) NOT IN (SELECT event_id FROM review_applied WHERE wrong = 1)"
                    ),
                    vec![],
                );
            }
            let from = if needs_row {
                format!("events_text t CROSS JOIN events e ON e.id = (t.rowid & {KEY_ID_MASK})")
            } else {
                "events_text t".to_string()
            };
            let order = if f.sort == Sort::DateAsc {
                "ORDER BY t.rowid ASC"
            } else {
                "ORDER BY t.rowid DESC"
            };
            (
                from,
                order.to_string(),
                format!("(t.rowid & {KEY_ID_MASK})"),
            )
        }
    };
    let mut page_w = w.clone();
    let limit = page_w.param(Value::Integer(f.limit.map_or(-1, i64::from)));
    let offset = page_w.param(Value::Integer(i64::from(f.offset)));
    let sql = format!(
        "SELECT {id} FROM {from} {} {order} LIMIT {limit} OFFSET {offset}",
        page_w.sql()
    );
    let (ids, complete) = budgeted(budget, SCAN_BUDGET_STEPS, SCAN_BUDGET_TIME, || {
        collect_ints(conn, &sql, &page_w.params)
    })?;
    let full = f.limit.is_some_and(|l| ids.len() == l as usize);
    // What the page proves: an empty page past the end proves nothing.
    let at_least = if ids.is_empty() {
        0
    } else {
        u64::from(f.offset) + ids.len() as u64 + u64::from(full || !complete)
    };
    // Long lists on both sides (actor and text, or either with a broad column
    // filter): an exact count would check tens of thousands of rows against two
    // indexes, more than the page itself; the page's lower bound is the answer.
    let two_dense = (r.actors.is_some() || r.text.is_some())
        && (r.actors.is_some() && r.text.is_some() || f.has_structured());
    let (total, total_exact) = if !count {
        (at_least, false)
    } else if f.offset == 0 && !full && complete {
        // The page holds every match.
        (ids.len() as u64, true)
    } else if two_dense {
        (at_least, false)
    } else {
        // One index answers alone when it is the only condition besides the wrong
        // marks: count its entries (no events row, no probe per match).
        let single = match (&r.actors, &r.text, f.has_structured()) {
            (Some(ids), None, false) => Some((
                "ea.event_id",
                "event_actors ea WHERE ea.actor_id IN (SELECT value FROM json_each(?))",
                ids,
            )),
            (None, Some(q), false) => Some((
                "(t.rowid & 68719476735)",
                "events_text t WHERE t.events_text MATCH ?",
                q,
            )),
            _ => None,
        };
        let (sql, w) = match single {
            Some((id, from_where, value)) => {
                let mut c = SqlWhere::default();
                c.push(from_where, vec![Value::Text(value.clone())]);
                if !f.include_wrong {
                    c.push(
                        &format!(
                            "{id} NOT IN (SELECT event_id FROM review_applied WHERE wrong = 1)"
                        ),
                        vec![],
                    );
                }
                let cap = c.param(Value::Integer(COUNT_CAP as i64 + 1));
                // `from_where` starts the clause; the rest are ANDed to it.
                // One actor (or the text index) lists each event once; several
                // actors may name the same event.
                let distinct = if value.starts_with('[') && value.contains(',') {
                    "DISTINCT"
                } else {
                    ""
                };
                let sql = format!(
                    "SELECT count(*) FROM (SELECT {distinct} {id} FROM {} LIMIT {cap})",
                    c.clauses.join(" AND ")
                );
                (sql, c)
            }
            None => {
                let mut w = w;
                let cap = w.param(Value::Integer(COUNT_CAP as i64 + 1));
                let sql = format!(
                    "SELECT count(*) FROM (SELECT 1 FROM {from} {} LIMIT {cap})",
                    w.sql()
                );
                (sql, w)
            }
        };
        let counted = budgeted(budget, COUNT_BUDGET_STEPS, COUNT_BUDGET_TIME, || {
            conn.prepare_cached(&sql).and_then(|mut s| {
                s.query_row(params_from_iter(w.params.iter()), |r| r.get::<_, i64>(0))
            })
        });
        match counted {
            Ok(n) => {
                let n = n as u64;
                (n.min(COUNT_CAP), n <= COUNT_CAP)
            }
            Err(e) if interrupted(&e) => (at_least, false),
            Err(e) => return Err(e.into()),
        }
    };
    Ok(EventPage {
        ids: ids.into_iter().map(EventId).collect(),
        total,
        total_exact,
        complete,
    })
}

/// Which list a page walks.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Source {
    Structured,
    Actor,
    Text,
}

/// The candidate lists of a filter (`None`: not filtered that way, or too long).
struct Lists<'a> {
    walk: Source,
    structured: Option<&'a Vec<i64>>,
    actor: Option<&'a Vec<i64>>,
    text: Option<&'a Vec<i64>>,
    caps: Caps,
}

/// Candidates that passed (key, fatalities), whether the list was walked to its end,
/// and whether the walk finished within its budget.
type Walked = (Vec<(i64, Option<i64>)>, bool, bool);

/// A page from walking a complete candidate list (`walk`: keys latest first) in page
/// order. The other conditions are checked in memory when their list is complete
/// too, else per candidate by primary key (columns, actor) or against the text hits
/// of the days the walk spans.
fn list_plan(
    conn: &Connection,
    f: &EventFilter,
    r: &Resolved,
    walk: &[i64],
    lists: Lists<'_>,
    budget: Option<&Budget>,
    count: bool,
) -> Result<Option<EventPage>> {
    let ids_of = |l: &Vec<i64>| -> HashSet<i64> { l.iter().map(|k| k & KEY_ID_MASK).collect() };
    let mut members: Vec<HashSet<i64>> = Vec::new();
    // What only the events row or a long list can tell, checked per candidate by
    // primary key; ?1 is the candidate.
    let mut w = SqlWhere::default();
    w.push("e.id = ?", vec![Value::Integer(0)]);
    if lists.walk != Source::Structured {
        match lists.structured {
            Some(l) => members.push(ids_of(l)),
            None => push_cols(f, r, &mut w),
        }
    }
    if let Some(ids) = &r.actors {
        if lists.walk != Source::Actor {
            match lists.actor {
                Some(l) => members.push(ids_of(l)),
                None => push_actor(&mut w, ids),
            }
        }
    }
    if let Some(q) = &r.text {
        if lists.walk != Source::Text {
            match lists.text {
                Some(l) => members.push(ids_of(l)),
                None => {
                    let lo = walk.iter().copied().min().unwrap_or(0);
                    let hi = walk.iter().copied().max().unwrap_or(0);
                    match text_in_range(conn, q, lo, hi)? {
                        Some(set) => members.push(set),
                        // Too many hits even there: ask the text index per candidate.
                        None => push_text_probe(&mut w, q),
                    }
                }
            }
        }
    }
    let wrong = if f.include_wrong {
        HashSet::new()
    } else {
        wrong_ids(conn)?
    };
    let needs_probe = w.clauses.len() > 1 || f.sort == Sort::FatalitiesDesc;
    if needs_probe && walk.len() > lists.caps.candidates {
        // Too many lookups: an index walk in page order does better.
        return Ok(None);
    }
    let probe_sql = format!("SELECT e.fatalities FROM events e {}", w.sql());

    let mut order: Vec<i64> = walk.to_vec();
    match f.sort {
        Sort::DateDesc | Sort::FatalitiesDesc => {}
        Sort::DateAsc => order.reverse(),
        Sort::StoredDesc => order.sort_unstable_by_key(|k| std::cmp::Reverse(k & KEY_ID_MASK)),
    }
    let want = f.limit.map_or(usize::MAX, |l| {
        (f.offset as usize).saturating_add(l as usize)
    });
    let exhaustive = f.sort == Sort::FatalitiesDesc;

    let run = || -> Result<Walked> {
        let mut stmt = conn.prepare_cached(&probe_sql)?;
        let mut passed: Vec<(i64, Option<i64>)> = Vec::new();
        let mut extra = 0usize;
        for (i, key) in order.iter().enumerate() {
            let id = key & KEY_ID_MASK;
            if wrong.contains(&id) || members.iter().any(|m| !m.contains(&id)) {
                continue;
            }
            if passed.len() >= want && !exhaustive {
                // The page is full; what remains only feeds the count.
                if !count || (needs_probe && extra >= COUNT_EXTRA_PROBES) {
                    return Ok((passed, i == order.len(), true));
                }
                extra += 1;
            }
            if !needs_probe {
                passed.push((*key, None));
                continue;
            }
            w.params[0] = Value::Integer(id);
            let mut rows = match stmt.query(params_from_iter(w.params.iter())) {
                Ok(rows) => rows,
                Err(e) if interrupted(&e) => return Ok((passed, false, false)),
                Err(e) => return Err(e.into()),
            };
            match rows.next() {
                Ok(Some(row)) => passed.push((*key, row.get(0)?)),
                Ok(None) => {}
                Err(e) if interrupted(&e) => return Ok((passed, false, false)),
                Err(e) => return Err(e.into()),
            }
        }
        Ok((passed, true, true))
    };
    let (mut passed, exhausted, complete) =
        budgeted(budget, SCAN_BUDGET_STEPS, SCAN_BUDGET_TIME, run)?;
    if exhaustive {
        // Deadliest first; no figure last; then latest first (the key order).
        passed.sort_by_key(|&(key, fat)| {
            (
                fat.is_none(),
                std::cmp::Reverse(fat),
                std::cmp::Reverse(key),
            )
        });
    }
    let total_found = passed.len() as u64;
    let ids: Vec<EventId> = passed
        .into_iter()
        .skip(f.offset as usize)
        .take(f.limit.map_or(usize::MAX, |l| l as usize))
        .map(|(key, _)| EventId(key & KEY_ID_MASK))
        .collect();
    let total_exact = exhausted && complete;
    Ok(Some(EventPage {
        total: total_found.min(COUNT_CAP),
        total_exact: total_exact && total_found <= COUNT_CAP,
        ids,
        complete,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_keys_order_by_day_then_id() {
        let a = text_key(jiff::civil::date(2024, 3, 2), 7);
        let b = text_key(jiff::civil::date(2024, 3, 2), 8);
        let c = text_key(jiff::civil::date(2024, 3, 3), 1);
        assert!(a < b && b < c);
        assert_eq!(b & KEY_ID_MASK, 8);
        assert_eq!(a >> KEY_SHIFT, 20240302);
    }

    #[test]
    fn sql_key_matches_text_key() {
        let conn = Connection::open_in_memory().unwrap();
        let sql_key = SQL_KEY.replace("e.date_start", "?1").replace("e.id", "?2");
        let k: i64 = conn
            .query_row(
                &format!("SELECT {sql_key}"),
                rusqlite::params!["2019-11-05", 123456],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(k, text_key(jiff::civil::date(2019, 11, 5), 123456));
    }
}

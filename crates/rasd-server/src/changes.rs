//! The change feed: `GET /api/changes?since=CURSOR&limit=N` and the same as
//! Server-Sent Events on `GET /api/stream?since=CURSOR` (or `Last-Event-ID`), read
//! from the store's change log (`rasd_store::changes`, written by triggers in the
//! transaction of every write). Each entry carries the entity's state as it is when
//! read (`null` once deleted), so a follower that applies the entries in order holds
//! what the store holds. An event entry also names its incident, and that
//! incident's entry follows in the same page, so incidents formed on the fly for
//! events the clustering pass has not linked yet reach followers too.
//! The log is compacted (`rasd_store::changes::Retention`): a cursor below its
//! horizon may have missed a deletion and is answered `410 Gone` (the stream sends a
//! `gone` event and ends), telling the follower to drop its copy and start again from
//! 0, which is always complete.
//! Also `GET /api/watch/sources`: the state of each source `rasd watch` polls.

use crate::incidents::Built;
use crate::{AppState, ServerError};
use axum::Json;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use rasd_store::EventId;
use rasd_store::changes::Change;
use serde::Deserialize;
use serde_json::{Value, json};
use std::collections::{HashMap, HashSet, VecDeque};
use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

/// Entries per page when the client does not say, and at most.
const DEFAULT_LIMIT: u32 = 100;
const MAX_LIMIT: u32 = 1000;
/// How often a stream looks for new changes when it has none to send.
const STREAM_POLL: Duration = Duration::from_millis(250);

#[derive(Debug, Deserialize)]
pub struct ChangesQuery {
    pub since: Option<i64>,
    pub limit: Option<u32>,
}

/// One page of the feed: the entries and the cursor to ask from next.
struct FeedPage {
    entries: Vec<(i64, Value)>,
    next: i64,
}

/// The answer to a cursor the compacted log can no longer serve completely.
fn gone(since: i64, horizon: i64) -> ServerError {
    ServerError::Gone(format!(
        "cursor {since} is older than the change log keeps (horizon {horizon}): \
         deletions before it are no longer listed; drop what you hold and follow again from since=0"
    ))
}

async fn page(state: &AppState, since: i64, limit: u32) -> Result<FeedPage, ServerError> {
    // The horizon is read after the page, so a compaction in between is seen.
    let (changes, horizon): (Vec<Change>, i64) = state
        .pool
        .run(move |store| {
            let changes = store.changes_since(since, limit)?;
            Ok((changes, store.changes_horizon()?))
        })
        .await?;
    if since > 0 && since < horizon {
        return Err(gone(since, horizon));
    }
    let Some(last) = changes.last() else {
        return Ok(FeedPage {
            entries: Vec::new(),
            next: since,
        });
    };
    let next = last.seq;
    // Read after the log, so the states are at least as new as the changes.
    let built = state.incidents.get(&state.pool).await?;
    let built2 = built.clone();
    let entries = state
        .pool
        .run(move |store| resolve(store, &built2, changes))
        .await?;
    Ok(FeedPage { entries, next })
}

/// The entries of `changes`: each entity once, at its last change in the page, with
/// its state now.
fn resolve(
    store: &mut dyn rasd_store::Backend,
    built: &Arc<Built>,
    changes: Vec<Change>,
) -> Result<Vec<(i64, Value)>, ServerError> {
    let mut last: HashMap<(String, String), usize> = HashMap::new();
    let mut created: HashSet<(String, String)> = HashSet::new();
    for (i, c) in changes.iter().enumerate() {
        let k = (c.entity.clone(), c.key.clone());
        if c.op == "created" {
            created.insert(k.clone());
        }
        last.insert(k, i);
    }
    let mut out = Vec::new();
    let mut incidents_sent: HashSet<String> = HashSet::new();
    let mut incidents_owed: Vec<(i64, String, String)> = Vec::new();
    for (i, c) in changes.iter().enumerate() {
        let k = (c.entity.clone(), c.key.clone());
        if last.get(&k) != Some(&i) {
            continue;
        }
        let was_created = created.contains(&k);
        if c.entity == "event" {
            let id: i64 = c.key.parse().map_err(|_| {
                ServerError::Internal(format!("change {}: bad event key {:?}", c.seq, c.key))
            })?;
            let state = event_state(store, built, id)?;
            if let Some(label) = state
                .as_ref()
                .and_then(|s| s.get("incident"))
                .and_then(Value::as_str)
            {
                incidents_owed.push((c.seq, label.to_string(), c.at.clone()));
            }
            out.push((c.seq, entry(c, was_created, "event", json!(id), state)));
        } else {
            incidents_sent.insert(c.key.clone());
            let state = incident_state(built, &c.key);
            out.push((
                c.seq,
                entry(c, was_created, "incident", json!(c.key), state),
            ));
        }
    }
    for (seq, label, at) in incidents_owed {
        if incidents_sent.insert(label.clone()) {
            let state = incident_state(built, &label);
            out.push((
                seq,
                json!({"seq": seq, "at": at, "entity": "incident", "id": label,
                       "op": "updated", "incident": state}),
            ));
        }
    }
    out.sort_by_key(|(seq, _)| *seq);
    Ok(out)
}

fn entry(c: &Change, created: bool, entity: &str, id: Value, state: Option<Value>) -> Value {
    let op = match (&state, created) {
        (None, _) => "deleted",
        (Some(_), true) => "created",
        (Some(_), false) => "updated",
    };
    json!({"seq": c.seq, "at": c.at, "entity": entity, "id": id, "op": op, entity: state})
}

/// An event as a follower keeps it: the record (corrections in), where it came from,
/// its review flags and its incident. `None` when it is gone.
fn event_state(
    store: &mut dyn rasd_store::Backend,
    built: &Built,
    id: i64,
) -> Result<Option<Value>, ServerError> {
    let Some(ev) = store.get_event(EventId(id))? else {
        return Ok(None);
    };
    let review = store.event_review(EventId(id))?;
    let (corrected, wrong) = review.map_or((false, false), |r| (r.corrected, r.wrong));
    Ok(Some(json!({
        "id": id,
        "doc_id": ev.doc_id,
        "ordinal": ev.ordinal,
        "source": ev.source,
        "url": ev.url,
        "title": ev.title,
        "published": ev.published,
        "coded_at": ev.coded_at,
        "corrected": corrected,
        "wrong": wrong,
        "incident": built.label_of(id),
        "record": ev.event,
    })))
}

/// An incident as the dashboard serves it: the merged record and its member events.
fn incident_state(built: &Built, label: &str) -> Option<Value> {
    built.find(label).map(|(record, members)| {
        let mut v = serde_json::to_value(record).unwrap_or(Value::Null);
        if let Value::Object(m) = &mut v {
            m.insert("event_ids".into(), json!(members));
        }
        v
    })
}

pub async fn list_changes(
    State(state): State<AppState>,
    Query(q): Query<ChangesQuery>,
) -> Result<Json<Value>, ServerError> {
    let since = q.since.unwrap_or(0);
    if since < 0 {
        return Err(ServerError::BadRequest(format!(
            "since must be a cursor of this feed (0 or above), not {since}"
        )));
    }
    let limit = q.limit.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT);
    let p = page(&state, since, limit).await?;
    let last = state.pool.run(|store| Ok(store.last_change()?)).await?;
    let count = p.entries.len();
    Ok(Json(json!({
        "changes": p.entries.into_iter().map(|(_, v)| v).collect::<Vec<_>>(),
        "count": count,
        "next": p.next,
        "more": p.next < last,
    })))
}

/// The stream starts after `Last-Event-ID` (a reconnecting browser sends it), else
/// after `since`, else at the newest change (only what happens from now on).
pub async fn stream(
    State(state): State<AppState>,
    Query(q): Query<ChangesQuery>,
    headers: HeaderMap,
) -> Result<Sse<impl futures_util::Stream<Item = Result<SseEvent, Infallible>>>, ServerError> {
    let resume = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<i64>().ok());
    let cursor = match resume.or(q.since) {
        Some(c) if c >= 0 => c,
        Some(c) => {
            return Err(ServerError::BadRequest(format!(
                "since must be 0 or above, not {c}"
            )));
        }
        None => state.pool.run(|store| Ok(store.last_change()?)).await?,
    };
    let horizon = state.pool.run(|store| Ok(store.changes_horizon()?)).await?;
    if cursor > 0 && cursor < horizon {
        return Err(gone(cursor, horizon));
    }
    // First an event that says where the stream starts, so a client knows its cursor
    // even before anything changes.
    let hello = SseEvent::default()
        .event("hello")
        .id(cursor.to_string())
        .data(json!({"cursor": cursor}).to_string());
    let queue = VecDeque::from([hello]);
    let s = futures_util::stream::unfold(
        (state, cursor, queue, false),
        |(state, mut cursor, mut queue, mut ending)| async move {
            loop {
                if state.closing.load(std::sync::atomic::Ordering::Relaxed) {
                    return None;
                }
                if let Some(ev) = queue.pop_front() {
                    return Some((Ok(ev), (state, cursor, queue, ending)));
                }
                if ending {
                    return None;
                }
                match page(&state, cursor, 200).await {
                    Err(ServerError::Gone(why)) => {
                        // Said once, then the stream ends: the client starts again.
                        queue.push_back(
                            SseEvent::default()
                                .event("gone")
                                .data(json!({"error": why}).to_string()),
                        );
                        ending = true;
                        continue;
                    }
                    Ok(p) if !p.entries.is_empty() => {
                        cursor = p.next;
                        for (seq, v) in p.entries {
                            queue.push_back(
                                SseEvent::default()
                                    .event("change")
                                    .id(seq.to_string())
                                    .data(v.to_string()),
                            );
                        }
                    }
                    Ok(p) => {
                        cursor = p.next;
                        tokio::time::sleep(STREAM_POLL).await;
                    }
                    Err(e) => {
                        tracing::warn!("change stream: {e}");
                        tokio::time::sleep(Duration::from_secs(1)).await;
                    }
                }
            }
        },
    );
    Ok(Sse::new(s).keep_alive(KeepAlive::default()))
}

/// `GET /api/watch/sources`: each watched source's last success, last error, items
/// read and events coded (what `rasd watch --status` prints).
pub async fn watch_sources(State(state): State<AppState>) -> Result<Json<Value>, ServerError> {
    let sources = state.pool.run(|store| Ok(store.watch_sources()?)).await?;
    Ok(Json(json!({ "sources": sources })))
}

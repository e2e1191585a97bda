//! The write endpoints (bearer token) and the audit log.

use crate::incidents::GROUP_PREFIX;
use crate::{AppState, ServerError};
use axum::Json;
use axum::extract::{FromRequestParts, Path, Query, State};
use axum::http::request::Parts;
use rasd_store::EventId;
use rasd_store::review::User;
use serde::Deserialize;
use serde_json::{Value, json};

/// Longest note kept with a change.
pub const MAX_NOTE_CHARS: usize = 2000;
/// Most events one merge or split may touch.
pub const MAX_GROUP_EVENTS: usize = 1000;

/// A signed-in analyst (from `Authorization: Bearer TOKEN`).
pub struct Analyst(pub User);

impl FromRequestParts<AppState> for Analyst {
    type Rejection = ServerError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let header = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .ok_or(ServerError::Unauthorized)?;
        let token = header
            .strip_prefix("Bearer ")
            .map(str::trim)
            .filter(|t| !t.is_empty() && t.len() <= 256)
            .ok_or(ServerError::Unauthorized)?
            .to_string();
        let user = state
            .pool
            .run(move |store| Ok(store.user_for_token(&token)?))
            .await?;
        user.map(Analyst).ok_or(ServerError::Unauthorized)
    }
}

fn check_note(note: &Option<String>) -> Result<Option<String>, ServerError> {
    match note.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
        Some(n) if n.chars().count() > MAX_NOTE_CHARS => Err(ServerError::BadRequest(format!(
            "note longer than {MAX_NOTE_CHARS} characters"
        ))),
        other => Ok(other.map(str::to_string)),
    }
}

fn event_id(id: &str) -> Result<EventId, ServerError> {
    id.parse::<i64>()
        .map(EventId)
        .map_err(|_| ServerError::BadRequest(format!("event id {id:?} is not a number")))
}

pub async fn me(Analyst(user): Analyst) -> Json<Value> {
    Json(json!({"user": user.name, "since": user.created_at}))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CorrectionBody {
    /// Field path → new value, e.g. {"fatalities": 4, "location.name": "جاسم"}.
    pub changes: serde_json::Map<String, Value>,
    #[serde(default)]
    pub note: Option<String>,
}

pub async fn correct(
    State(state): State<AppState>,
    Analyst(user): Analyst,
    Path(id): Path<String>,
    Json(body): Json<CorrectionBody>,
) -> Result<Json<Value>, ServerError> {
    let id = event_id(&id)?;
    let note = check_note(&body.note)?;
    let changes: Vec<(String, Value)> = body.changes.into_iter().collect();
    let event = state
        .pool
        .run(move |store| Ok(store.correct_event(id, &user, &changes, note.as_deref())?))
        .await?;
    Ok(Json(json!({"id": id.0, "event": event})))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WrongBody {
    pub wrong: bool,
    #[serde(default)]
    pub note: Option<String>,
}

pub async fn mark_wrong(
    State(state): State<AppState>,
    Analyst(user): Analyst,
    Path(id): Path<String>,
    Json(body): Json<WrongBody>,
) -> Result<Json<Value>, ServerError> {
    let id = event_id(&id)?;
    let note = check_note(&body.note)?;
    let wrong = body.wrong;
    state
        .pool
        .run(move |store| Ok(store.mark_wrong(id, &user, wrong, note.as_deref())?))
        .await?;
    Ok(Json(json!({"id": id.0, "wrong": wrong})))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MergeBody {
    pub incident_ids: Vec<String>,
    #[serde(default)]
    pub note: Option<String>,
}

/// A fresh analyst group name: unique, and readable in the audit log.
fn new_group(user: &User) -> Result<String, ServerError> {
    let token = crate::new_token()?;
    Ok(format!("{}-{}", user.id, &token[..10]))
}

pub async fn merge(
    State(state): State<AppState>,
    Analyst(user): Analyst,
    Json(body): Json<MergeBody>,
) -> Result<Json<Value>, ServerError> {
    let note = check_note(&body.note)?;
    if body.incident_ids.len() < 2 {
        return Err(ServerError::BadRequest(
            "a merge needs at least two incident_ids".into(),
        ));
    }
    let built = state.incidents.get(&state.pool).await?;
    let mut ids: Vec<EventId> = Vec::new();
    for label in &body.incident_ids {
        let (_, members) = built
            .find(label)
            .ok_or_else(|| ServerError::NotFound(format!("incident {label:?}")))?;
        ids.extend(members.iter().map(|&e| EventId(e)));
    }
    if ids.len() > MAX_GROUP_EVENTS {
        return Err(ServerError::BadRequest(format!(
            "more than {MAX_GROUP_EVENTS} events"
        )));
    }
    let group = new_group(&user)?;
    let g = group.clone();
    state
        .pool
        .run(move |store| {
            Ok(store.set_incident_group(&ids, &user, Some(&g), "merge", note.as_deref())?)
        })
        .await?;
    Ok(Json(
        json!({"incident_id": format!("{GROUP_PREFIX}{group}")}),
    ))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SplitBody {
    pub event_ids: Vec<i64>,
    #[serde(default)]
    pub note: Option<String>,
}

pub async fn split(
    State(state): State<AppState>,
    Analyst(user): Analyst,
    Path(incident): Path<String>,
    Json(body): Json<SplitBody>,
) -> Result<Json<Value>, ServerError> {
    let note = check_note(&body.note)?;
    let built = state.incidents.get(&state.pool).await?;
    let (_, members) = built
        .find(&incident)
        .ok_or_else(|| ServerError::NotFound(format!("incident {incident:?}")))?;
    if body.event_ids.is_empty() || body.event_ids.len() >= members.len() {
        return Err(ServerError::BadRequest(
            "a split moves some, not all, of the incident's events".into(),
        ));
    }
    if body.event_ids.len() > MAX_GROUP_EVENTS {
        return Err(ServerError::BadRequest(format!(
            "more than {MAX_GROUP_EVENTS} events"
        )));
    }
    if let Some(x) = body.event_ids.iter().find(|e| !members.contains(e)) {
        return Err(ServerError::BadRequest(format!(
            "event {x} is not in {incident}"
        )));
    }
    // The events that stay are pinned together too, so the split holds however the
    // clusterer would regroup them.
    let moved: Vec<EventId> = body.event_ids.iter().map(|&e| EventId(e)).collect();
    let stay: Vec<EventId> = members
        .iter()
        .filter(|e| !body.event_ids.contains(e))
        .map(|&e| EventId(e))
        .collect();
    let (g_new, g_stay) = (new_group(&user)?, new_group(&user)?);
    let (a, b) = (g_new.clone(), g_stay.clone());
    state
        .pool
        .run(move |store| {
            store.set_incident_group(&moved, &user, Some(&a), "split", note.as_deref())?;
            store.set_incident_group(&stay, &user, Some(&b), "split", note.as_deref())?;
            Ok(())
        })
        .await?;
    Ok(Json(json!({
        "incident_ids": [format!("{GROUP_PREFIX}{g_stay}"), format!("{GROUP_PREFIX}{g_new}")]
    })))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct AuditQuery {
    pub limit: Option<u32>,
}

pub async fn audit(
    State(state): State<AppState>,
    Query(q): Query<AuditQuery>,
) -> Result<Json<Value>, ServerError> {
    let limit = q.limit.unwrap_or(100).min(1000);
    let log = state
        .pool
        .run(move |store| Ok(store.audit_log(limit)?))
        .await?;
    Ok(Json(json!({"items": log})))
}

/// `GET /api/review/orphans`: every orphan with its original, its changes and the
/// document's current events as candidates.
pub async fn orphans(State(state): State<AppState>) -> Result<Json<Value>, ServerError> {
    let items = state.pool.run(|store| Ok(store.orphans()?)).await?;
    Ok(Json(json!({"total": items.len(), "items": items})))
}

fn orphan_id(id: &str) -> Result<i64, ServerError> {
    id.parse::<i64>()
        .map_err(|_| ServerError::BadRequest(format!("orphan id {id:?} is not a number")))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AttachBody {
    pub event_id: i64,
    #[serde(default)]
    pub note: Option<String>,
}

/// `POST /api/review/orphans/{id}/attach`: the orphan's changes onto one event of
/// its document.
pub async fn attach(
    State(state): State<AppState>,
    Analyst(user): Analyst,
    Path(id): Path<String>,
    Json(body): Json<AttachBody>,
) -> Result<Json<Value>, ServerError> {
    let orphan = orphan_id(&id)?;
    let note = check_note(&body.note)?;
    let event = EventId(body.event_id);
    let exists = state
        .pool
        .run(move |store| Ok(store.orphan(orphan)?))
        .await?;
    if exists.is_none() {
        return Err(ServerError::NotFound(format!("orphan {orphan}")));
    }
    let e = state
        .pool
        .run(move |store| Ok(store.reattach(orphan, event, &user, note.as_deref())?))
        .await?;
    Ok(Json(json!({"orphan": orphan, "id": event.0, "event": e})))
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DismissBody {
    #[serde(default)]
    pub note: Option<String>,
}

/// `POST /api/review/orphans/{id}/dismiss`: sets the orphan aside (kept on record).
pub async fn dismiss(
    State(state): State<AppState>,
    Analyst(user): Analyst,
    Path(id): Path<String>,
    Json(body): Json<DismissBody>,
) -> Result<Json<Value>, ServerError> {
    let orphan = orphan_id(&id)?;
    let note = check_note(&body.note)?;
    let exists = state
        .pool
        .run(move |store| Ok(store.orphan(orphan)?))
        .await?;
    if exists.is_none() {
        return Err(ServerError::NotFound(format!("orphan {orphan}")));
    }
    state
        .pool
        .run(move |store| Ok(store.dismiss_orphan(orphan, &user, note.as_deref())?))
        .await?;
    Ok(Json(json!({"orphan": orphan, "dismissed": true})))
}

//! Incidents as the dashboard and the exports see them: the stored events (with
//! analyst corrections already written into them, wrong ones left out) in the
//! incidents the clustering pass stored (`incident_events`, migration 0002), events
//! not linked yet clustered by `rasd_dedup::IncidentIndex` in arrival order, and the
//! events an analyst put into a group (merge/split) in their own incidents. Records
//! are merged afresh from the current events, so corrections show in them. Built on demand and kept
//! until the store changes (new events, re-coding, a correction).

use crate::api::EventQuery;
use crate::{AppState, MAX_PAGE, Pool, ServerError};
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use rasd_dedup::{Incident, IncidentIndex, IncidentRecord, SourceEvent};
use rasd_store::Backend;
use serde_json::{Value, json};
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

/// Prefix of the ids of analyst-made incidents (`grp-…`); automatic ones are `inc-N`.
pub const GROUP_PREFIX: &str = "grp-";

pub struct Built {
    /// (record, member event ids) in creation order.
    pub incidents: Vec<(IncidentRecord, Vec<i64>)>,
    by_label: HashMap<String, usize>,
    by_event: HashMap<i64, usize>,
}

/// What changes when the incidents must be rebuilt.
type Key = rasd_store::backend::ChangeKey;

#[derive(Default)]
pub struct IncidentCache {
    built: Mutex<Option<(Key, Arc<Built>)>>,
}

fn build(store: &mut dyn Backend) -> Result<Built, ServerError> {
    let out = store
        .incident_rows()?
        .into_iter()
        .map(|(e, group, incident)| IncidentRow {
            id: e.id.0,
            source: source_of(e),
            group,
            incident,
        });
    let incidents = incidents_from_rows(out);
    let by_label = incidents
        .iter()
        .enumerate()
        .map(|(i, (r, _))| (r.incident_id.clone(), i))
        .collect();
    let by_event = incidents
        .iter()
        .enumerate()
        .flat_map(|(i, (_, m))| m.iter().map(move |&e| (e, i)))
        .collect();
    Ok(Built {
        incidents,
        by_label,
        by_event,
    })
}

/// A stored event as the clustering reads it.
pub fn source_of(e: rasd_store::StoredEvent) -> SourceEvent {
    SourceEvent {
        doc_id: e.doc_id,
        index: e.ordinal as usize,
        url: e.url,
        source: e.source,
        published: e.published,
        event: e.event,
    }
}

/// One stored event as incidents are built from it: its id, the event as a source,
/// the analyst group it was put in and the incident the clustering pass stored for it.
pub struct IncidentRow {
    pub id: i64,
    pub source: SourceEvent,
    pub group: Option<String>,
    pub incident: Option<i64>,
}

/// The incidents as analysts see them, from every event not marked wrong (`rows`, in
/// storage order): events in an analyst group in that group's incident (`grp-…`),
/// linked ones in their stored incident, the rest clustered in arrival order. Each
/// comes with its member event ids. Either store's rows give the same incidents.
pub fn incidents_from_rows(
    rows: impl IntoIterator<Item = IncidentRow>,
) -> Vec<(IncidentRecord, Vec<i64>)> {
    let mut index = IncidentIndex::new();
    let mut auto_members: HashMap<u64, Vec<i64>> = HashMap::new();
    let mut groups: BTreeMap<String, (Vec<SourceEvent>, Vec<i64>)> = BTreeMap::new();
    let mut unlinked: Vec<(i64, SourceEvent)> = Vec::new();
    for IncidentRow {
        id,
        source: src,
        group,
        incident: stored,
    } in rows
    {
        match group {
            Some(g) => {
                let entry = groups.entry(g).or_default();
                entry.0.push(src);
                entry.1.push(id);
            }
            // Keep the incident the clustering pass stored (same ids as `rasd
            // export`); events it has not linked yet are clustered here.
            None => match stored.and_then(|i| u64::try_from(i).ok()) {
                Some(inc) => {
                    index.restore(inc, src);
                    auto_members.entry(inc).or_default().push(id);
                }
                None => unlinked.push((id, src)),
            },
        }
    }
    for (id, src) in unlinked {
        let out = index.insert(src);
        // An event that bridges incidents folds them into `out.incident_id`: their
        // members go with them, or they would drop out of every incident.
        let mut members = auto_members.remove(&out.incident_id).unwrap_or_default();
        for gone in &out.absorbed {
            if let Some(m) = auto_members.remove(gone) {
                members.extend(m);
            }
        }
        members.push(id);
        members.sort_unstable();
        auto_members.insert(out.incident_id, members);
    }
    let mut incidents = Vec::new();
    for inc in index.incidents() {
        if let Some(rec) = inc.record() {
            let members = auto_members.remove(&inc.id).unwrap_or_default();
            incidents.push((rec, members));
        }
    }
    for (g, (sources, members)) in groups {
        let inc = Incident { id: 0, sources };
        if let Some(mut rec) = inc.record() {
            rec.incident_id = format!("{GROUP_PREFIX}{g}");
            incidents.push((rec, members));
        }
    }
    incidents
}

/// The incidents of the store as analysts see them (corrections in, wrong events out,
/// analyst groups kept), each with its member event ids: what the dashboard lists and
/// what `/api/export` writes. `rasd export` uses it too, so the file a user exports
/// from the command line is the same as the one the dashboard hands out.
pub fn current_incidents(
    store: &mut dyn Backend,
) -> Result<Vec<(IncidentRecord, Vec<i64>)>, ServerError> {
    Ok(build(store)?.incidents)
}

impl IncidentCache {
    /// The incidents of the store as it is now.
    pub async fn get(&self, pool: &Arc<Pool>) -> Result<Arc<Built>, ServerError> {
        let cached = self.built.lock().ok().and_then(|g| g.clone());
        let built = pool
            .run(move |store| {
                let key = store.incident_change_key()?;
                if let Some((k, b)) = cached {
                    if k == key {
                        return Ok((key, b, false));
                    }
                }
                Ok((key, Arc::new(build(store)?), true))
            })
            .await?;
        let (key, b, fresh) = built;
        if fresh {
            if let Ok(mut g) = self.built.lock() {
                *g = Some((key, b.clone()));
            }
        }
        Ok(b)
    }

    /// The incident id of event `id`, if it is in one.
    pub async fn incident_of(
        &self,
        pool: &Arc<Pool>,
        id: i64,
    ) -> Result<Option<String>, ServerError> {
        let b = self.get(pool).await?;
        Ok(b.by_event
            .get(&id)
            .map(|&i| b.incidents[i].0.incident_id.clone()))
    }
}

impl Built {
    pub fn find(&self, label: &str) -> Option<&(IncidentRecord, Vec<i64>)> {
        self.by_label.get(label).map(|&i| &self.incidents[i])
    }

    /// The id (`inc-N`, `grp-G`) of the incident event `id` is in.
    pub fn label_of(&self, id: i64) -> Option<&str> {
        self.by_event
            .get(&id)
            .map(|&i| self.incidents[i].0.incident_id.as_str())
    }
}

/// The dedup export filter from the query string (date range, type, governorate).
fn export_filter(q: &EventQuery) -> Result<rasd_dedup::Filter, ServerError> {
    let f = q.filter(0, u32::MAX)?;
    Ok(rasd_dedup::Filter {
        from: f.from,
        to: f.to,
        event_type: f.event_type,
        country: None,
        admin1: f.admin1,
        min_sources: 0,
    })
}

/// Extra filters the dashboard offers that the dedup filter lacks.
fn matches_more(q: &EventQuery, r: &IncidentRecord) -> Result<bool, ServerError> {
    let f = q.filter(0, u32::MAX)?;
    let e = &r.event;
    Ok(f.sub_event_type.is_none_or(|s| e.sub_event_type == s)
        && f.min_fatalities
            .is_none_or(|m| e.fatalities.is_some_and(|x| x >= m))
        && f.actor.as_deref().is_none_or(|a| {
            std::iter::once(&e.actor1)
                .chain(e.actor2.iter())
                .chain(e.assoc_actor1.iter())
                .chain(e.assoc_actor2.iter())
                .any(|x| rasd_store::actor_matches(a, x))
        })
        && f.bbox
            .is_none_or(|b| match (e.location.lat, e.location.lon) {
                (Some(lat), Some(lon)) => {
                    lat >= b.min_lat && lat <= b.max_lat && lon >= b.min_lon && lon <= b.max_lon
                }
                _ => false,
            }))
}

fn selected<'b>(
    b: &'b Built,
    q: &EventQuery,
) -> Result<Vec<&'b (IncidentRecord, Vec<i64>)>, ServerError> {
    let f = export_filter(q)?;
    let mut out = Vec::new();
    for item in &b.incidents {
        if f.matches(&item.0) && matches_more(q, &item.0)? {
            out.push(item);
        }
    }
    Ok(out)
}

fn incident_summary(r: &IncidentRecord, members: &[i64]) -> Value {
    let e = &r.event;
    json!({
        "incident_id": r.incident_id,
        "event_type": e.event_type.as_str(), "sub_event_type": e.sub_event_type.as_str(),
        "date_start": e.date_start.to_string(), "date_end": e.date_end.to_string(),
        "location": {"name": e.location.name, "admin1": e.location.admin1, "lat": e.location.lat, "lon": e.location.lon,
                     "precision": e.location.precision.as_str()},
        "actor1": e.actor1, "actor2": e.actor2,
        "fatalities": e.fatalities, "fatalities_low": r.fatalities_low, "fatalities_high": r.fatalities_high,
        "sources": r.sources.len(), "event_ids": members,
    })
}

pub async fn list_incidents(
    State(state): State<AppState>,
    Query(q): Query<EventQuery>,
) -> Result<Json<Value>, ServerError> {
    let limit = q.limit.unwrap_or(crate::api::DEFAULT_PAGE);
    if limit > MAX_PAGE {
        return Err(ServerError::BadRequest(format!(
            "limit={limit}: at most {MAX_PAGE}"
        )));
    }
    let offset = q.offset.unwrap_or(0) as usize;
    let b = state.incidents.get(&state.pool).await?;
    let mut items = selected(&b, &q)?;
    match q.sort.as_deref().unwrap_or("date_desc") {
        "date_desc" | "-date" => items.sort_by_key(|a| std::cmp::Reverse(a.0.event.date_start)),
        "date_asc" | "date" => items.sort_by_key(|a| a.0.event.date_start),
        "fatalities_desc" | "-fatalities" => {
            items.sort_by_key(|a| std::cmp::Reverse(a.0.event.fatalities))
        }
        other => {
            return Err(ServerError::BadRequest(format!(
                "sort={other:?}: date_desc, date_asc or fatalities_desc"
            )));
        }
    }
    let total = items.len();
    let page: Vec<Value> = items
        .into_iter()
        .skip(offset)
        .take(limit as usize)
        .map(|(r, m)| incident_summary(r, m))
        .collect();
    Ok(Json(
        json!({"total": total, "limit": limit, "offset": offset, "items": page}),
    ))
}

pub async fn get_incident(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ServerError> {
    let b = state.incidents.get(&state.pool).await?;
    let (rec, members) = b
        .find(&id)
        .ok_or_else(|| ServerError::NotFound(format!("incident {id:?}")))?;
    let mut v = serde_json::to_value(rec).map_err(|e| ServerError::Internal(e.to_string()))?;
    if let Some(o) = v.as_object_mut() {
        o.insert("event_ids".into(), json!(members));
    }
    Ok(Json(v))
}

/// Export options beside the filters: `excel=true` (UTF-8 BOM and CRLF, for Excel) and
/// `acled_columns_only=true` (no Arabic columns after ACLED's).
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct ExportQuery {
    pub excel: Option<bool>,
    pub acled_columns_only: Option<bool>,
}

/// The bundled actor register: ACLED's actor names and types for the exports, Arabic
/// display names for the dashboard.
pub fn actor_table() -> &'static rasd_dedup::ActorKindTable {
    static T: std::sync::OnceLock<rasd_dedup::ActorKindTable> = std::sync::OnceLock::new();
    T.get_or_init(rasd_dedup::ActorKindTable::bundled)
}

/// `GET /api/export/{acled.csv|ucdp.csv|incidents.geojson|incidents.jsonl}`.
pub async fn export(
    State(state): State<AppState>,
    Path(file): Path<String>,
    Query(q): Query<EventQuery>,
    Query(x): Query<ExportQuery>,
) -> Result<Response, ServerError> {
    let (format, ct) = match file.as_str() {
        "acled.csv" => (rasd_dedup::Format::Acled, "text/csv; charset=utf-8"),
        "ucdp.csv" => (rasd_dedup::Format::Ucdp, "text/csv; charset=utf-8"),
        "incidents.geojson" => (rasd_dedup::Format::Geojson, "application/geo+json"),
        "incidents.jsonl" => (rasd_dedup::Format::Jsonl, "application/x-ndjson"),
        other => {
            return Err(ServerError::NotFound(format!(
                "export {other:?}: acled.csv, ucdp.csv, incidents.geojson or incidents.jsonl"
            )));
        }
    };
    let b = state.incidents.get(&state.pool).await?;
    // Filters the incident filter cannot apply (free text, district, place): keep the
    // incidents holding an event the dashboard's list shows for them.
    let listed: Option<std::collections::HashSet<i64>> = if [&q.q, &q.place, &q.admin2]
        .iter()
        .any(|v| v.as_deref().is_some_and(|s| !s.trim().is_empty()))
    {
        let filter = q.filter(u32::MAX, u32::MAX)?;
        Some(
            state
                .pool
                .run(move |store| {
                    Ok(store
                        .query_events(&filter)?
                        .into_iter()
                        .map(|e| e.id.0)
                        .collect())
                })
                .await?,
        )
    } else {
        None
    };
    let records: Vec<IncidentRecord> = selected(&b, &q)?
        .into_iter()
        .filter(|(_, members)| {
            listed
                .as_ref()
                .is_none_or(|ids| members.iter().any(|m| ids.contains(m)))
        })
        .map(|(r, _)| r.clone())
        .collect();
    let opts = rasd_dedup::ExportOptions {
        kinds: actor_table(),
        timestamp: jiff::Timestamp::now().as_second(),
        excel: x.excel.unwrap_or(false),
        arabic_columns: !x.acled_columns_only.unwrap_or(false),
    };
    let mut out = Vec::new();
    rasd_dedup::export::write(format, &records, &opts, &mut out)?;
    let mut res = out.into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(ct));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"rasd-{file}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(res)
}

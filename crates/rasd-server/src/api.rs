//! The read endpoints over events, articles and statistics.

use crate::{AppState, MAX_GEOJSON, MAX_PAGE, ServerError};
use axum::Json;
use axum::extract::{Path, Query, State};
use rasd_model::{Event, TextSpan};
use rasd_store::backend::{Bucket, StatGroup};
use rasd_store::{BBox, Backend, EventFilter, EventId, Sort, StoredEvent};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

/// Default page size of `/api/events`.
pub const DEFAULT_PAGE: u32 = 50;

/// The query string of the event endpoints (all optional).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct EventQuery {
    pub from: Option<String>,
    pub to: Option<String>,
    #[serde(rename = "type")]
    pub event_type: Option<String>,
    pub sub_type: Option<String>,
    pub actor: Option<String>,
    pub admin1: Option<String>,
    pub admin2: Option<String>,
    pub place: Option<String>,
    pub bbox: Option<String>,
    pub q: Option<String>,
    pub min_fatalities: Option<String>,
    pub doc_id: Option<String>,
    pub include_wrong: Option<bool>,
    pub limit: Option<u32>,
    pub offset: Option<u32>,
    pub sort: Option<String>,
    pub bucket: Option<String>,
}

fn nonempty(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

fn parse<T: std::str::FromStr>(name: &str, v: Option<&str>) -> Result<Option<T>, ServerError>
where
    T::Err: std::fmt::Display,
{
    v.map(|s| {
        s.parse::<T>()
            .map_err(|e| ServerError::BadRequest(format!("{name}={s:?}: {e}")))
    })
    .transpose()
}

impl EventQuery {
    /// The store filter; `max_limit` caps the page.
    pub fn filter(&self, default_limit: u32, max_limit: u32) -> Result<EventFilter, ServerError> {
        let limit = self.limit.unwrap_or(default_limit);
        if limit > max_limit {
            return Err(ServerError::BadRequest(format!(
                "limit={limit}: at most {max_limit}"
            )));
        }
        let sort = match nonempty(&self.sort) {
            Some(s) => s.parse::<Sort>().map_err(ServerError::BadRequest)?,
            None => Sort::default(),
        };
        let bbox = match nonempty(&self.bbox) {
            Some(s) => Some(s.parse::<BBox>().map_err(ServerError::BadRequest)?),
            None => None,
        };
        Ok(EventFilter {
            from: parse("from", nonempty(&self.from))?,
            to: parse("to", nonempty(&self.to))?,
            event_type: parse("type", nonempty(&self.event_type))?,
            sub_event_type: parse("sub_type", nonempty(&self.sub_type))?,
            actor: nonempty(&self.actor).map(str::to_string),
            admin1: nonempty(&self.admin1).map(str::to_string),
            admin2: nonempty(&self.admin2).map(str::to_string),
            place: nonempty(&self.place).map(str::to_string),
            bbox,
            text: nonempty(&self.q).map(str::to_string),
            min_fatalities: parse("min_fatalities", nonempty(&self.min_fatalities))?,
            doc_id: nonempty(&self.doc_id).map(str::to_string),
            include_wrong: self.include_wrong.unwrap_or(false),
            limit: Some(limit),
            offset: self.offset.unwrap_or(0),
            sort,
        })
    }
}

/// One event in a list.
#[derive(Debug, Serialize)]
pub struct EventSummary {
    pub id: i64,
    pub doc_id: String,
    pub event_type: &'static str,
    pub sub_event_type: &'static str,
    pub date_start: String,
    pub date_end: String,
    pub location: Value,
    pub actor1: String,
    pub actor2: Option<String>,
    /// The actors' Arabic display names from the register, where it has them.
    pub actor1_ar: Option<String>,
    pub actor2_ar: Option<String>,
    pub fatalities: Option<u32>,
    pub source: Option<String>,
    pub corrected: bool,
    pub wrong: bool,
}

#[derive(Debug, Serialize)]
pub struct Page<T> {
    /// Matching events, counted up to [`rasd_store::plan::COUNT_CAP`] and within a
    /// budget of work.
    pub total: u64,
    /// False when `total` is a lower bound (more than the cap, or the count ran out
    /// of budget).
    pub total_exact: bool,
    /// False when the query's scan budget ran out before the page was filled: the
    /// items are the matches found so far; a narrower filter finds the rest.
    pub complete: bool,
    pub limit: u32,
    pub offset: u32,
    pub items: Vec<T>,
}

/// The events of a planned page ([`rasd_store::Backend::page_event_ids`]), in order.
fn page_events(
    store: &mut dyn Backend,
    filter: &EventFilter,
) -> Result<(Vec<StoredEvent>, rasd_store::EventPage), ServerError> {
    let page = store.page_event_ids(filter)?;
    let out = store.get_events(&page.ids)?;
    Ok((out, page))
}

/// The English names of an event's place (ACLED's spelling, from the gazetteer), for the
/// dashboard's English interface.
pub fn location_en(e: &Event) -> Value {
    let n = rasd_dedup::export::places::english(&e.location);
    let opt = |s: String| if s.is_empty() { None } else { Some(s) };
    json!({"name": opt(n.location), "admin1": opt(n.admin1), "admin2": opt(n.admin2)})
}

/// The Arabic display name of an actor, from the register.
pub fn actor_ar(actor: &str) -> Option<String> {
    use rasd_dedup::ActorKinds as _;
    crate::incidents::actor_table().name_ar(actor)
}

fn location_json(e: &Event) -> Value {
    let l = &e.location;
    json!({"name": l.name, "admin1": l.admin1, "admin2": l.admin2, "country": l.country,
           "precision": l.precision.as_str(), "lat": l.lat, "lon": l.lon, "place_id": l.place_id,
           "en": location_en(e)})
}

fn summary(s: &StoredEvent, flags: Option<&(bool, bool)>) -> EventSummary {
    let e = &s.event;
    let (corrected, wrong) = flags.copied().unwrap_or((false, false));
    EventSummary {
        id: s.id.0,
        doc_id: s.doc_id.clone(),
        event_type: e.event_type.as_str(),
        sub_event_type: e.sub_event_type.as_str(),
        date_start: e.date_start.to_string(),
        date_end: e.date_end.to_string(),
        location: location_json(e),
        actor1: e.actor1.clone(),
        actor2: e.actor2.clone(),
        actor1_ar: actor_ar(&e.actor1),
        actor2_ar: e.actor2.as_deref().and_then(actor_ar),
        fatalities: e.fatalities,
        source: s.source.clone(),
        corrected,
        wrong,
    }
}

pub async fn list_events(
    State(state): State<AppState>,
    Query(q): Query<EventQuery>,
) -> Result<Json<Page<EventSummary>>, ServerError> {
    let filter = q.filter(DEFAULT_PAGE, MAX_PAGE)?;
    let page = state
        .pool
        .run(move |store| {
            let (events, planned) = page_events(store, &filter)?;
            let ids: Vec<i64> = events.iter().map(|e| e.id.0).collect();
            let flags = store.review_flags(&ids)?;
            Ok(Page {
                total: planned.total,
                total_exact: planned.total_exact,
                complete: planned.complete,
                limit: filter.limit.unwrap_or(DEFAULT_PAGE),
                offset: filter.offset,
                items: events
                    .iter()
                    .map(|e| summary(e, flags.get(&e.id.0)))
                    .collect(),
            })
        })
        .await?;
    Ok(Json(page))
}

pub async fn events_geojson(
    State(state): State<AppState>,
    Query(q): Query<EventQuery>,
) -> Result<axum::response::Response, ServerError> {
    let filter = q.filter(MAX_GEOJSON, MAX_GEOJSON)?;
    let body = state
        .pool
        .run(move |store| {
            let events = store.query_events(&filter)?;
            let features: Vec<Value> = events
                .iter()
                .map(|s| {
                    let e = &s.event;
                    let geometry = match (e.location.lat, e.location.lon) {
                        (Some(lat), Some(lon)) => {
                            json!({"type": "Point", "coordinates": [lon, lat]})
                        }
                        _ => Value::Null,
                    };
                    let mut props = serde_json::to_value(e).unwrap_or(Value::Null);
                    if let Some(o) = props.as_object_mut() {
                        o.insert("id".into(), json!(s.id.0));
                        o.insert("doc_id".into(), json!(s.doc_id));
                        o.insert("location_name".into(), json!(e.location.name));
                        o.insert("location_en".into(), location_en(e));
                        o.insert("source".into(), json!(s.source));
                        o.insert("url".into(), json!(s.url));
                    }
                    json!({"type": "Feature", "id": s.id.0, "geometry": geometry, "properties": props})
                })
                .collect();
            Ok(json!({"type": "FeatureCollection", "features": features}))
        })
        .await?;
    let mut res = axum::response::IntoResponse::into_response(Json(body));
    res.headers_mut().insert(
        axum::http::header::CONTENT_TYPE,
        axum::http::HeaderValue::from_static("application/geo+json"),
    );
    Ok(res)
}

fn parse_id(id: &str) -> Result<i64, ServerError> {
    id.parse::<i64>()
        .map_err(|_| ServerError::BadRequest(format!("event id {id:?} is not a number")))
}

pub async fn get_event(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ServerError> {
    let id = parse_id(&id)?;
    let incidents = state.incidents.clone();
    let pool = state.pool.clone();
    let body = state
        .pool
        .run(move |store| {
            let Some(ev) = store.get_event(EventId(id))? else {
                return Err(ServerError::NotFound(format!("event {id}")));
            };
            let review = store.event_review(EventId(id))?;
            Ok((ev, review))
        })
        .await?;
    let (ev, review) = body;
    let incident_id = incidents.incident_of(&pool, id).await.ok().flatten();
    let evidence: Vec<Value> = ev
        .event
        .evidence_with_spans()
        .map(|(text, span)| json!({"text": text, "span": span}))
        .collect();
    let (wrong, corrected, corrections, original, key) = match review {
        Some(r) => (
            r.wrong,
            r.corrected,
            serde_json::to_value(&r.corrections).unwrap_or(Value::Null),
            Some(r.original),
            Some(r.event_key),
        ),
        None => (false, false, json!([]), None, None),
    };
    let names_ar: serde_json::Map<String, Value> = std::iter::once(&ev.event.actor1)
        .chain(ev.event.actor2.iter())
        .chain(ev.event.assoc_actor1.iter())
        .chain(ev.event.assoc_actor2.iter())
        .filter_map(|a| actor_ar(a).map(|n| (a.clone(), json!(n))))
        .collect();
    Ok(Json(json!({
        "id": ev.id.0,
        "doc_id": ev.doc_id,
        "location_en": location_en(&ev.event),
        "actors_ar": names_ar,
        "event_key": key,
        "event": ev.event,
        "original": original,
        "evidence": evidence,
        "article": {"doc_id": ev.doc_id, "title": ev.title, "source": ev.source, "url": ev.url, "published": ev.published},
        "coded_at": ev.coded_at,
        "incident_id": incident_id,
        "corrected": corrected,
        "wrong": wrong,
        "corrections": corrections,
    })))
}

/// Where each coded field of `e` sits in `text` (character spans): the place from
/// the coder's span, else the first occurrence of the place name in an evidence
/// sentence; actors and figures where their words occur in the evidence.
fn field_spans(text: &str, e: &Event) -> Vec<Value> {
    let mut out = Vec::new();
    let evidence: Vec<TextSpan> = e.evidence_with_spans().filter_map(|(_, s)| s).collect();
    let find_in_evidence = |needle: &str| -> Option<TextSpan> {
        if needle.trim().is_empty() {
            return None;
        }
        for s in &evidence {
            let range = s.to_byte_range(text);
            let sentence = &text[range.clone()];
            if let Some(i) = sentence.find(needle) {
                let start = range.start + i;
                return Some(TextSpan::from_byte_range(text, start..start + needle.len()));
            }
        }
        None
    };
    let loc = e
        .location
        .span
        .or_else(|| find_in_evidence(&e.location.name));
    if let Some(span) = loc {
        out.push(json!({"field": "location.name", "span": span}));
    }
    for (field, value) in [
        ("fatalities", e.fatalities),
        ("injured", e.injured),
        ("arrested", e.arrested),
    ] {
        if let Some(v) = value.filter(|&v| v > 0) {
            let western = v.to_string();
            let eastern: String = western
                .chars()
                .map(|c| char::from_u32(0x0660 + c.to_digit(10).unwrap_or(0)).unwrap_or(c))
                .collect();
            if let Some(span) = find_in_evidence(&western).or_else(|| find_in_evidence(&eastern)) {
                out.push(json!({"field": field, "span": span}));
            }
        }
    }
    out
}

pub async fn get_article(
    State(state): State<AppState>,
    Path(doc_id): Path<String>,
) -> Result<Json<Value>, ServerError> {
    let body = state
        .pool
        .run(move |store| {
            let docs = store.documents_by_doc_id(&doc_id)?;
            // The latest stored document with an article under this doc_id.
            for &d in docs.iter().rev() {
                let Some(article) = store.get_article(d)? else {
                    continue;
                };
                let events = store.document_events(d)?;
                let ids: Vec<i64> = events.iter().map(|e| e.id.0).collect();
                let flags = store.review_flags(&ids)?;
                let coded: Vec<Value> = events
                    .iter()
                    .map(|s| {
                        let spans: Vec<TextSpan> = s
                            .event
                            .evidence_with_spans()
                            .filter_map(|(_, sp)| sp)
                            .collect();
                        let (corrected, wrong) =
                            flags.get(&s.id.0).copied().unwrap_or((false, false));
                        json!({
                            "id": s.id.0,
                            "event_type": s.event.event_type.as_str(),
                            "sub_event_type": s.event.sub_event_type.as_str(),
                            "evidence": spans,
                            "fields": field_spans(&article.text, &s.event),
                            "corrected": corrected, "wrong": wrong,
                        })
                    })
                    .collect();
                return Ok(json!({
                    "doc_id": article.doc_id,
                    "title": article.title,
                    "source": article.source,
                    "url": article.url,
                    "published": article.published.map(|p| p.to_string()),
                    "dateline": article.dateline,
                    "language": article.language,
                    "text": article.text,
                    "paragraphs": article.paragraphs,
                    "events": coded,
                }));
            }
            Err(ServerError::NotFound(format!("article {doc_id:?}")))
        })
        .await?;
    Ok(Json(body))
}

/// Aggregates per period, type and governorate of the filtered events.
pub async fn stats(
    State(state): State<AppState>,
    Query(q): Query<EventQuery>,
) -> Result<Json<Value>, ServerError> {
    let week = match nonempty(&q.bucket) {
        None | Some("day") => false,
        Some("week") => true,
        Some(other) => {
            return Err(ServerError::BadRequest(format!(
                "bucket={other:?}: day or week"
            )));
        }
    };
    let filter = q.filter(0, u32::MAX)?;
    let bucket = if week { Bucket::Week } else { Bucket::Day };
    let body = state
        .pool
        .run(move |store| {
            let stats = store.event_stats(&filter, bucket)?;
            let group = |g: &StatGroup, key: &str| {
                json!({key: g.key, "events": g.events, "fatalities": g.fatalities})
            };
            let by_period: Vec<Value> = stats.by_period.iter().map(|g| group(g, "period")).collect();
            let by_type: Vec<Value> = stats.by_type.iter().map(|g| group(g, "key")).collect();
            let by_admin1: Vec<Value> = stats.by_admin1.iter().map(|g| group(g, "key")).collect();
            let total: i64 = stats.by_period.iter().map(|g| g.events).sum();
            let fatalities: i64 = stats.by_period.iter().map(|g| g.fatalities).sum();
            Ok(json!({
                "bucket": if week { "week" } else { "day" },
                "events": total, "fatalities": fatalities,
                "by_period": by_period, "by_type": by_type, "by_admin1": by_admin1,
            }))
        })
        .await?;
    Ok(Json(body))
}

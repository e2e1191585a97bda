//! Alerts (migration `0010_alerts.sql`): saved filters with a webhook, and the outbox
//! of POSTs they owe. The sending is rasd-watch's (`rasd_watch::alerts`); this module
//! decides what is owed and keeps the ledger.
//!
//! ```text
//! Store::add_alert(&mut self, name, &AlertFilter, webhook) -> Result<Alert>  // baseline: what matches now is never sent
//! Store::alerts(&self) -> Result<Vec<AlertStatus>>                          // by name, with delivery counts
//! Store::remove_alert(&self, name) -> Result<bool>
//! Store::queue_alerts(&mut self) -> Result<u32>              // change log → outbox, one transaction
//! Store::lease_deliveries(&mut self, now_ms, lease_ms, limit) -> Result<Vec<Delivery>>
//! Store::delivery_done(&self, id, attempts) / delivery_failed(&self, id, attempts, error, retry_at_ms)
//! Store::release_delivery(&self, id) / next_delivery_due(&self) -> Result<Option<i64>>
//! Store::deliveries(&self, alert) -> Result<Vec<DeliveryRow>>                // the ledger of one alert
//! ```
//!
//! [`AlertStore`] is the same interface as a trait, which `rasd_store_pg::PgStore`
//! implements too (its migration 0032, for several senders on one database); the
//! payload's shape is shared ([`payload_body`]).
//!
//! **What is owed.** An incident matches an alert when one of its source events
//! (not marked wrong) passes the alert's filter — the store's own [`EventFilter`]
//! conditions, plus the country. An alert owes one POST per incident the first time
//! the incident matches after the alert was added: incidents that matched already
//! then are recorded as `baseline` and never sent. An incident that did not match
//! and later does (a report adding deaths joins it) is owed then, once. Nothing is
//! owed again for the same incident, whatever it becomes, nor for an incident that
//! holds a report of one already owed or baselined (the clusterer merged them, or a
//! re-coded document's events came back under a new incident id): a report is a
//! document's event known by its type, first day and place, which re-coding keeps.
//!
//! **Exactly once.** [`Store::queue_alerts`] reads the change log after each alert's
//! cursor and inserts the owed rows and the new cursor in one transaction, so a crash
//! loses no change and queues nothing twice (rows are unique per alert and
//! incident). A sender leases due rows ([`Store::lease_deliveries`]), POSTs, then
//! records the outcome. Only the gap between the receiver's 2xx and that record is
//! not covered by the store: a sender killed there sends again once the lease
//! runs out, with the same idempotency key ([`Delivery::key`]), which a receiver
//! uses to drop the repeat.

use crate::SqlValue as Value;
use crate::{EventFilter, Result, Store, StoreError};
use rasd_model::{EventType, SubEventType};
use rusqlite::{OptionalExtension, params, params_from_iter};
use serde::{Deserialize, Serialize};
use serde_json::json;

/// The conditions of an alert. Set fields are combined with AND; each means what
/// the same field of [`EventFilter`] means, and `country` is the event's ISO code.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AlertFilter {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event_type: Option<EventType>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sub_event_type: Option<SubEventType>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub admin1: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub admin2: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actor: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_fatalities: Option<u32>,
}

impl AlertFilter {
    /// The event conditions, as the store's filter (wrong events left out).
    pub fn event_filter(&self) -> EventFilter {
        EventFilter {
            event_type: self.event_type,
            sub_event_type: self.sub_event_type,
            admin1: self.admin1.clone(),
            admin2: self.admin2.clone(),
            place: self.place.clone(),
            actor: self.actor.clone(),
            text: self.text.clone(),
            min_fatalities: self.min_fatalities,
            ..EventFilter::default()
        }
    }

    /// `key=value` pairs, for tables and messages.
    pub fn describe(&self) -> String {
        let v = serde_json::to_value(self).unwrap_or_default();
        let parts: Vec<String> = v
            .as_object()
            .into_iter()
            .flatten()
            .map(|(k, v)| match v {
                serde_json::Value::String(s) => format!("{k}={s}"),
                other => format!("{k}={other}"),
            })
            .collect();
        if parts.is_empty() {
            "(every incident)".into()
        } else {
            parts.join(" ")
        }
    }

    /// The conditions over `events e` and their parameters (numbered ?1.. in order).
    fn conditions(&self) -> (Vec<String>, Vec<Value>) {
        let (clause, mut params) = self.event_filter().where_clause();
        let mut conds = Vec::new();
        if let Some(c) = clause.strip_prefix("WHERE ") {
            conds.push(c.to_string());
        }
        if let Some(c) = &self.country {
            params.push(Value::Text(c.clone()));
            conds.push(format!("e.country = ?{}", params.len()));
        }
        (conds, params)
    }
}

/// A saved alert.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Alert {
    pub id: i64,
    pub name: String,
    pub filter: AlertFilter,
    pub webhook: String,
    pub created_at: String,
}

/// An alert with what its outbox holds.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AlertStatus {
    #[serde(flatten)]
    pub alert: Alert,
    pub pending: u32,
    pub delivered: u32,
    pub failed: u32,
    /// The newest error of a delivery not yet made (pending or given up).
    pub last_error: Option<String>,
    pub last_delivered: Option<String>,
}

/// A delivery leased to a sender.
#[derive(Debug, Clone, PartialEq)]
pub struct Delivery {
    pub id: i64,
    pub alert_id: i64,
    pub alert: String,
    pub webhook: String,
    pub incident_id: i64,
    pub payload: String,
    /// Attempts made before this one.
    pub attempts: u32,
}

impl Delivery {
    /// The idempotency key sent with every attempt of this delivery: the same for its
    /// retries, different for every other (alert ids are never reused).
    pub fn key(&self) -> String {
        format!("rasd-alert-{}-inc-{}", self.alert_id, self.incident_id)
    }
}

/// One row of an alert's ledger.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DeliveryRow {
    pub incident_id: i64,
    pub state: String,
    pub attempts: u32,
    pub queued_at: String,
    pub delivered_at: Option<String>,
    pub last_error: Option<String>,
}

/// The time written in the ledger (RFC 3339, UTC).
pub fn now_text() -> String {
    jiff::Timestamp::now().to_string()
}

fn alert_from_row(
    r: &rusqlite::Row<'_>,
) -> rusqlite::Result<(i64, String, String, String, String)> {
    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
}

/// An alert from its row ([`ALERT_COLUMNS`]), its filter parsed.
pub fn finish_alert(
    (id, name, filter, webhook, created_at): (i64, String, String, String, String),
) -> Result<Alert> {
    let filter = serde_json::from_str(&filter).map_err(|source| StoreError::Corrupt {
        what: "alert filter",
        id,
        source,
    })?;
    Ok(Alert {
        id,
        name,
        filter,
        webhook,
        created_at,
    })
}

/// The columns of an alert, as both stores name them.
pub const ALERT_COLUMNS: &str = "id, name, filter, webhook, created_at";

/// The ids of the incidents `filter` matches now.
fn matching_incidents(conn: &rusqlite::Connection, filter: &AlertFilter) -> Result<Vec<i64>> {
    let (mut conds, params) = filter.conditions();
    conds.push("1".into());
    let sql = format!(
        "SELECT DISTINCT l.incident_id FROM events e JOIN incident_events l ON l.event_id = e.id \
         WHERE {} ORDER BY 1",
        conds.join(" AND ")
    );
    Ok(conn
        .prepare(&sql)?
        .query_map(params_from_iter(params), |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?)
}

fn incident_event_ids(conn: &rusqlite::Connection, incident: i64) -> Result<Vec<i64>> {
    Ok(conn
        .prepare_cached(
            "SELECT event_id FROM incident_events WHERE incident_id = ?1 ORDER BY event_id",
        )?
        .query_map([incident], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?)
}

/// How a report is known across re-coding (see migration 0010), over `events e` in
/// both stores.
pub const REPORT: &str = "e.event_type || '|' || e.date_start || '|' || e.location_key";

/// Whether incident `incident` holds a report alert `alert` has seen in another.
fn continues_known(conn: &rusqlite::Connection, alert: i64, incident: i64) -> Result<bool> {
    Ok(conn.prepare_cached(&format!(
        "SELECT count(*) > 0 FROM incident_events l JOIN events e ON e.id = l.event_id
         JOIN alert_events s ON s.alert_id = ?1 AND s.document_id = e.document_id AND s.report = {REPORT}
         WHERE l.incident_id = ?2"
    ))?
    .query_row(params![alert, incident], |r| r.get(0))?)
}

/// Records the reports of incident `incident` as seen by alert `alert`.
fn remember_reports(conn: &rusqlite::Connection, alert: i64, incident: i64) -> Result<()> {
    conn.prepare_cached(&format!(
        "INSERT OR IGNORE INTO alert_events (alert_id, document_id, report)
         SELECT ?1, e.document_id, {REPORT} FROM incident_events l JOIN events e ON e.id = l.event_id
         WHERE l.incident_id = ?2"
    ))?
    .execute(params![alert, incident])?;
    Ok(())
}

impl Store {
    /// Saves an alert. Incidents that match it already are recorded as seen, so it
    /// tells only of what happens from now on. Refuses a name already taken.
    pub fn add_alert(&mut self, name: &str, filter: &AlertFilter, webhook: &str) -> Result<Alert> {
        let tx = self
            .connection_mut()
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let taken: bool = tx.query_row(
            "SELECT count(*) > 0 FROM alerts WHERE name = ?1",
            [name],
            |r| r.get(0),
        )?;
        if taken {
            return Err(StoreError::AlertRejected(format!(
                "an alert named {name:?} exists already (rasd alert list shows it; rasd alert rm {name} removes it)"
            )));
        }
        let cursor: i64 = tx.query_row("SELECT coalesce(max(seq), 0) FROM changes", [], |r| {
            r.get(0)
        })?;
        let json = serde_json::to_string(filter).map_err(|source| StoreError::Serialise {
            what: "alert filter",
            source,
        })?;
        let at = now_text();
        tx.execute(
            "INSERT INTO alerts (name, filter, webhook, cursor, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![name, json, webhook, cursor, at],
        )?;
        let id = tx.last_insert_rowid();
        for incident in matching_incidents(&tx, filter)? {
            tx.execute(
                "INSERT INTO alert_deliveries (alert_id, incident_id, state, queued_at)
                 VALUES (?1, ?2, 'baseline', ?3)",
                params![id, incident, at],
            )?;
            remember_reports(&tx, id, incident)?;
        }
        tx.commit()?;
        Ok(Alert {
            id,
            name: name.to_string(),
            filter: filter.clone(),
            webhook: webhook.to_string(),
            created_at: at,
        })
    }

    /// The alert named `name`.
    pub fn alert(&self, name: &str) -> Result<Option<Alert>> {
        let row = self
            .connection()
            .query_row(
                &format!("SELECT {ALERT_COLUMNS} FROM alerts WHERE name = ?1"),
                [name],
                alert_from_row,
            )
            .optional()?;
        row.map(finish_alert).transpose()
    }

    /// Every alert, by name, with the state of its outbox.
    pub fn alerts(&self) -> Result<Vec<AlertStatus>> {
        let rows = self
            .connection()
            .prepare(&format!("SELECT {ALERT_COLUMNS} FROM alerts ORDER BY name"))?
            .query_map([], alert_from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let alert = finish_alert(row)?;
            let (pending, delivered, failed, last_delivered): (u32, u32, u32, Option<String>) =
                self.connection().query_row(
                    "SELECT count(*) FILTER (WHERE state = 'pending'),
                            count(*) FILTER (WHERE state = 'delivered'),
                            count(*) FILTER (WHERE state = 'failed'),
                            max(delivered_at)
                     FROM alert_deliveries WHERE alert_id = ?1",
                    [alert.id],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
                )?;
            let last_error = self
                .connection()
                .query_row(
                    "SELECT last_error FROM alert_deliveries
                     WHERE alert_id = ?1 AND state IN ('pending', 'failed') AND last_error IS NOT NULL
                     ORDER BY id DESC LIMIT 1",
                    [alert.id],
                    |r| r.get(0),
                )
                .optional()?;
            out.push(AlertStatus {
                alert,
                pending,
                delivered,
                failed,
                last_error,
                last_delivered,
            });
        }
        Ok(out)
    }

    /// Removes the alert named `name` and its outbox (pending deliveries are dropped).
    /// False when there is no such alert.
    pub fn remove_alert(&self, name: &str) -> Result<bool> {
        Ok(self
            .connection()
            .execute("DELETE FROM alerts WHERE name = ?1", [name])?
            > 0)
    }

    /// Reads the change log after each alert's cursor and queues a delivery for every
    /// incident it now owes (see the module's doc), advancing the cursors in the same
    /// transaction. Returns how many deliveries were queued.
    pub fn queue_alerts(&mut self) -> Result<u32> {
        let tx = self
            .connection_mut()
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let last: i64 = tx.query_row("SELECT coalesce(max(seq), 0) FROM changes", [], |r| {
            r.get(0)
        })?;
        let alerts: Vec<(i64, String, String, i64)> = tx
            .prepare("SELECT id, name, filter, cursor FROM alerts WHERE cursor < ?1 ORDER BY id")?
            .query_map([last], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let mut queued = 0;
        let at = now_text();
        for (alert_id, name, filter, cursor) in alerts {
            let filter: AlertFilter =
                serde_json::from_str(&filter).map_err(|source| StoreError::Corrupt {
                    what: "alert filter",
                    id: alert_id,
                    source,
                })?;
            // Every incident whose row, links or events changed after the cursor: the
            // triggers of 0008 log an incident for each of these.
            let touched: Vec<i64> = tx
                .prepare_cached(
                    "SELECT DISTINCT CAST(substr(key, 5) AS INTEGER) FROM changes
                     WHERE seq > ?1 AND seq <= ?2 AND entity = 'incident' AND key LIKE 'inc-%'
                     ORDER BY 1",
                )?
                .query_map(params![cursor, last], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            let (mut conds, mut params) = filter.conditions();
            params.push(Value::Integer(0));
            conds.push(format!(
                "e.id IN (SELECT event_id FROM incident_events WHERE incident_id = ?{})",
                params.len()
            ));
            let sql = format!(
                "SELECT e.id FROM events e WHERE {} LIMIT 1",
                conds.join(" AND ")
            );
            for incident in touched {
                let known: bool = tx.query_row(
                    "SELECT count(*) > 0 FROM alert_deliveries WHERE alert_id = ?1 AND incident_id = ?2",
                    params![alert_id, incident],
                    |r| r.get(0),
                )?;
                if known {
                    continue;
                }
                *params.last_mut().expect("the incident parameter") = Value::Integer(incident);
                let matches = tx
                    .prepare_cached(&sql)?
                    .query_row(params_from_iter(params.iter()), |r| r.get::<_, i64>(0))
                    .optional()?
                    .is_some();
                if !matches {
                    continue;
                }
                let continued = continues_known(&tx, alert_id, incident)?;
                remember_reports(&tx, alert_id, incident)?;
                if continued {
                    continue;
                }
                let events = incident_event_ids(&tx, incident)?;
                let payload = payload(&tx, &name, incident, &events)?;
                tx.execute(
                    "INSERT INTO alert_deliveries (alert_id, incident_id, state, payload, queued_at)
                     VALUES (?1, ?2, 'pending', ?3, ?4)",
                    params![alert_id, incident, payload, at],
                )?;
                queued += 1;
            }
            tx.execute(
                "UPDATE alerts SET cursor = ?2 WHERE id = ?1",
                params![alert_id, last],
            )?;
        }
        tx.commit()?;
        Ok(queued)
    }

    /// Up to `limit` pending deliveries due at `now_ms` and not leased by another
    /// sender, oldest first, leased to the caller until `now_ms + lease_ms`.
    pub fn lease_deliveries(
        &mut self,
        now_ms: i64,
        lease_ms: i64,
        limit: u32,
    ) -> Result<Vec<Delivery>> {
        let tx = self
            .connection_mut()
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let due: Vec<Delivery> = tx
            .prepare_cached(
                "SELECT d.id, d.alert_id, a.name, a.webhook, d.incident_id, d.payload, d.attempts
                 FROM alert_deliveries d JOIN alerts a ON a.id = d.alert_id
                 WHERE d.state = 'pending' AND d.next_attempt <= ?1
                   AND (d.leased_until IS NULL OR d.leased_until <= ?1)
                 ORDER BY d.next_attempt, d.id LIMIT ?2",
            )?
            .query_map(params![now_ms, limit], |r| {
                Ok(Delivery {
                    id: r.get(0)?,
                    alert_id: r.get(1)?,
                    alert: r.get(2)?,
                    webhook: r.get(3)?,
                    incident_id: r.get(4)?,
                    payload: r.get::<_, Option<String>>(5)?.unwrap_or_default(),
                    attempts: r.get(6)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        for d in &due {
            tx.execute(
                "UPDATE alert_deliveries SET leased_until = ?2 WHERE id = ?1",
                params![d.id, now_ms.saturating_add(lease_ms)],
            )?;
        }
        tx.commit()?;
        Ok(due)
    }

    /// Gives back a leased delivery unsent (a sender stopping), due again at once.
    pub fn release_delivery(&self, id: i64) -> Result<()> {
        self.connection().execute(
            "UPDATE alert_deliveries SET leased_until = NULL WHERE id = ?1",
            [id],
        )?;
        Ok(())
    }

    /// The soonest time (unix ms) a pending delivery is due, if any is.
    pub fn next_delivery_due(&self) -> Result<Option<i64>> {
        Ok(self.connection().query_row(
            "SELECT min(max(next_attempt, coalesce(leased_until, 0))) FROM alert_deliveries
             WHERE state = 'pending'",
            [],
            |r| r.get(0),
        )?)
    }

    /// Records that delivery `id` was accepted by its receiver, after `attempts` in all.
    pub fn delivery_done(&self, id: i64, attempts: u32) -> Result<()> {
        self.connection().execute(
            "UPDATE alert_deliveries SET state = 'delivered', attempts = ?2, delivered_at = ?3,
                    leased_until = NULL, last_error = NULL
             WHERE id = ?1",
            params![id, attempts, now_text()],
        )?;
        Ok(())
    }

    /// Records a failed attempt of delivery `id` (`attempts` made in all): retried at
    /// `retry_at_ms`, or, when `None`, given up.
    pub fn delivery_failed(
        &self,
        id: i64,
        attempts: u32,
        error: &str,
        retry_at_ms: Option<i64>,
    ) -> Result<()> {
        self.connection().execute(
            "UPDATE alert_deliveries SET state = ?2, attempts = ?3, last_error = ?4,
                    next_attempt = ?5, leased_until = NULL
             WHERE id = ?1",
            params![
                id,
                if retry_at_ms.is_some() {
                    "pending"
                } else {
                    "failed"
                },
                attempts,
                error,
                retry_at_ms.unwrap_or(0)
            ],
        )?;
        Ok(())
    }

    /// The ledger of alert `name`, oldest first (baseline rows left out).
    pub fn deliveries(&self, name: &str) -> Result<Vec<DeliveryRow>> {
        Ok(self
            .connection()
            .prepare(
                "SELECT d.incident_id, d.state, d.attempts, d.queued_at, d.delivered_at, d.last_error
                 FROM alert_deliveries d JOIN alerts a ON a.id = d.alert_id
                 WHERE a.name = ?1 AND d.state != 'baseline' ORDER BY d.id",
            )?
            .query_map([name], |r| {
                Ok(DeliveryRow {
                    incident_id: r.get(0)?,
                    state: r.get(1)?,
                    attempts: r.get(2)?,
                    queued_at: r.get(3)?,
                    delivered_at: r.get(4)?,
                    last_error: r.get(5)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?)
    }
}

/// The JSON body of the POST for `incident`: the alert, the incident's summary and
/// every source event with its place, actors, figures and source.
fn payload(
    conn: &rusqlite::Connection,
    alert: &str,
    incident: i64,
    events: &[i64],
) -> Result<String> {
    let summary = conn
        .query_row(
            &format!("SELECT {INCIDENT_SUMMARY_COLUMNS} FROM incidents WHERE id = ?1"),
            [incident],
            |r| {
                Ok(incident_summary(IncidentSummaryRow {
                    event_type: r.get(0)?,
                    sub_event_type: r.get(1)?,
                    date_start: r.get(2)?,
                    date_end: r.get(3)?,
                    location_name: r.get(4)?,
                    admin1: r.get(5)?,
                    country: r.get(6)?,
                    lat: r.get(7)?,
                    lon: r.get(8)?,
                    fatalities: r.get(9)?,
                    fatalities_low: r.get(10)?,
                    fatalities_high: r.get(11)?,
                    sources: r.get(12)?,
                }))
            },
        )
        .optional()?
        .unwrap_or(serde_json::Value::Null);
    let mut stored = Vec::with_capacity(events.len());
    for &id in events {
        if let Some(s) = crate::events::get_event(conn, crate::EventId(id))? {
            stored.push(s);
        }
    }
    payload_body(alert, incident, summary, &stored)
}

/// The columns of an incident's summary in a payload, in [`IncidentSummaryRow`]'s order
/// (the same names on both stores).
pub const INCIDENT_SUMMARY_COLUMNS: &str = "event_type, sub_event_type, date_start, date_end, \
     location_name, admin1, country, lat, lon, fatalities, fatalities_low, fatalities_high, sources";

/// One row of [`INCIDENT_SUMMARY_COLUMNS`], however the backend read it.
pub struct IncidentSummaryRow {
    pub event_type: String,
    pub sub_event_type: String,
    pub date_start: String,
    pub date_end: String,
    pub location_name: String,
    pub admin1: Option<String>,
    pub country: String,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub fatalities: Option<u32>,
    pub fatalities_low: Option<u32>,
    pub fatalities_high: Option<u32>,
    pub sources: u32,
}

/// The `incident` object of a payload.
pub fn incident_summary(r: IncidentSummaryRow) -> serde_json::Value {
    json!({
        "event_type": r.event_type,
        "sub_event_type": r.sub_event_type,
        "date_start": r.date_start,
        "date_end": r.date_end,
        "place": {
            "name": r.location_name,
            "admin1": r.admin1,
            "country": r.country,
            "lat": r.lat,
            "lon": r.lon,
        },
        "fatalities": r.fatalities,
        "fatalities_low": r.fatalities_low,
        "fatalities_high": r.fatalities_high,
        "sources": r.sources,
    })
}

/// The body of the POST for `incident` from its summary and its source events, the
/// same whichever store read them.
pub fn payload_body(
    alert: &str,
    incident: i64,
    summary: serde_json::Value,
    events: &[crate::StoredEvent],
) -> Result<String> {
    let mut list = Vec::with_capacity(events.len());
    for s in events {
        let e = &s.event;
        let l = &e.location;
        list.push(json!({
            "id": s.id.0,
            "event_type": e.event_type.as_str(),
            "sub_event_type": e.sub_event_type.as_str(),
            "date_start": e.date_start.to_string(),
            "date_end": e.date_end.to_string(),
            "place": {
                "name": l.name,
                "admin1": l.admin1,
                "admin2": l.admin2,
                "admin3": l.admin3,
                "country": l.country,
                "precision": l.precision,
                "lat": l.lat,
                "lon": l.lon,
            },
            "actor1": e.actor1,
            "assoc_actor1": e.assoc_actor1,
            "actor2": e.actor2,
            "assoc_actor2": e.assoc_actor2,
            "fatalities": e.fatalities,
            "injured": e.injured,
            "arrested": e.arrested,
            "source": {
                "outlet": s.source,
                "url": s.url,
                "title": s.title,
                "published": s.published,
                "doc_id": s.doc_id,
            },
            "evidence": e.evidence,
        }));
    }
    let label = format!("inc-{incident}");
    let body = json!({
        "alert": alert,
        "incident_id": label,
        "link": format!("/api/incidents/{label}"),
        "dashboard": format!("/#/incident/{label}"),
        "incident": summary,
        "events": list,
    });
    serde_json::to_string(&body).map_err(|source| StoreError::Serialise {
        what: "alert payload",
        source,
    })
}

/// What the alerts' commands and sender need of a store: the embedded store's
/// methods of the same names, and `rasd_store_pg::PgStore`'s (migration 0032 there),
/// which several senders may share.
pub trait AlertStore: Send {
    fn add_alert(&mut self, name: &str, filter: &AlertFilter, webhook: &str) -> Result<Alert>;
    fn alerts(&mut self) -> Result<Vec<AlertStatus>>;
    fn remove_alert(&mut self, name: &str) -> Result<bool>;
    fn queue_alerts(&mut self) -> Result<u32>;
    fn lease_deliveries(&mut self, now_ms: i64, lease_ms: i64, limit: u32)
    -> Result<Vec<Delivery>>;
    fn release_delivery(&mut self, id: i64) -> Result<()>;
    fn next_delivery_due(&mut self) -> Result<Option<i64>>;
    fn delivery_done(&mut self, id: i64, attempts: u32) -> Result<()>;
    fn delivery_failed(
        &mut self,
        id: i64,
        attempts: u32,
        error: &str,
        retry_at_ms: Option<i64>,
    ) -> Result<()>;
    fn deliveries(&mut self, name: &str) -> Result<Vec<DeliveryRow>>;
}

impl AlertStore for Store {
    fn add_alert(&mut self, name: &str, filter: &AlertFilter, webhook: &str) -> Result<Alert> {
        Store::add_alert(self, name, filter, webhook)
    }
    fn alerts(&mut self) -> Result<Vec<AlertStatus>> {
        Store::alerts(self)
    }
    fn remove_alert(&mut self, name: &str) -> Result<bool> {
        Store::remove_alert(self, name)
    }
    fn queue_alerts(&mut self) -> Result<u32> {
        Store::queue_alerts(self)
    }
    fn lease_deliveries(
        &mut self,
        now_ms: i64,
        lease_ms: i64,
        limit: u32,
    ) -> Result<Vec<Delivery>> {
        Store::lease_deliveries(self, now_ms, lease_ms, limit)
    }
    fn release_delivery(&mut self, id: i64) -> Result<()> {
        Store::release_delivery(self, id)
    }
    fn next_delivery_due(&mut self) -> Result<Option<i64>> {
        Store::next_delivery_due(self)
    }
    fn delivery_done(&mut self, id: i64, attempts: u32) -> Result<()> {
        Store::delivery_done(self, id, attempts)
    }
    fn delivery_failed(
        &mut self,
        id: i64,
        attempts: u32,
        error: &str,
        retry_at_ms: Option<i64>,
    ) -> Result<()> {
        Store::delivery_failed(self, id, attempts, error, retry_at_ms)
    }
    fn deliveries(&mut self, name: &str) -> Result<Vec<DeliveryRow>> {
        Store::deliveries(self, name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::EventId;
    use crate::incidents::IncidentSave;

    fn event(admin1: &str, fatalities: Option<u32>) -> rasd_model::Event {
        let mut e: rasd_model::Event = serde_json::from_str(
            r#"{"event_type":"explosions_remote_violence","sub_event_type":"shelling_artillery_missile_attack",
                "date_start":"2024-09-02","date_end":"2024-09-02","date_precision":"day",
                "location":{"name":"بلدة متخيلة","admin1":"درعا","country":"SY","precision":"community",
                            "lat":32.7,"lon":36.0},
                "actor1":"a","actor2":null,"fatalities":null,"injured":null,"arrested":null,
                "evidence":["قصف متخيل"]}"#,
        )
        .unwrap();
        e.location.admin1 = Some(admin1.into());
        e.fatalities = fatalities;
        e
    }

    /// Stores one document with `events` and returns their ids.
    fn put(store: &mut Store, name: &str, events: &[rasd_model::Event]) -> Vec<EventId> {
        let d = store
            .put_document(&rasd_model::RawDocument {
                doc_id: name.into(),
                origin: rasd_model::Origin::Inline,
                kind: rasd_model::ContentKind::Text,
                bytes: name.as_bytes().to_vec(),
                meta: Default::default(),
            })
            .unwrap()
            .id();
        store.put_events(d, events).unwrap()
    }

    /// Saves incident `id` linking `events` (what the clustering pass does).
    fn link(store: &Store, id: i64, events: &[EventId]) {
        store
            .save_incident(&IncidentSave {
                id,
                event_type: "explosions_remote_violence",
                sub_event_type: "shelling_artillery_missile_attack",
                date_start: "2024-09-02",
                date_end: "2024-09-02",
                location_name: "بلدة متخيلة",
                admin1: Some("درعا"),
                country: "SY",
                lat: Some(32.7),
                lon: Some(36.0),
                fatalities: None,
                fatalities_low: None,
                fatalities_high: None,
                record: "{}",
                events,
            })
            .unwrap();
    }

    fn daraa_deaths() -> AlertFilter {
        AlertFilter {
            admin1: Some("درعا".into()),
            min_fatalities: Some(1),
            ..AlertFilter::default()
        }
    }

    fn pending(store: &Store, name: &str) -> Vec<i64> {
        store
            .deliveries(name)
            .unwrap()
            .into_iter()
            .filter(|d| d.state == "pending")
            .map(|d| d.incident_id)
            .collect()
    }

    #[test]
    fn names_are_unique_and_alerts_are_listed_and_removed() {
        let mut store = Store::open_in_memory().unwrap();
        let a = store
            .add_alert("daraa-deaths", &daraa_deaths(), "http://127.0.0.1:9/hook")
            .unwrap();
        let err = store
            .add_alert(
                "daraa-deaths",
                &AlertFilter::default(),
                "http://127.0.0.1:9/x",
            )
            .unwrap_err()
            .to_string();
        assert!(err.contains("\"daraa-deaths\" exists already"), "{err}");
        let list = store.alerts().unwrap();
        assert_eq!(list.len(), 1);
        assert_eq!(list[0].alert, a);
        assert_eq!(a.filter.describe(), "admin1=درعا min_fatalities=1");
        assert_eq!(store.alert("daraa-deaths").unwrap(), Some(a));
        assert!(store.remove_alert("daraa-deaths").unwrap());
        assert!(!store.remove_alert("daraa-deaths").unwrap());
        assert!(store.alerts().unwrap().is_empty());
        // A new alert of the same name is another alert: another idempotency key.
        let b = store
            .add_alert("daraa-deaths", &daraa_deaths(), "http://127.0.0.1:9/hook")
            .unwrap();
        assert!(b.id > list[0].alert.id);
    }

    #[test]
    fn an_incident_is_owed_once_when_it_first_matches() {
        let mut store = Store::open_in_memory().unwrap();
        store
            .add_alert("daraa-deaths", &daraa_deaths(), "http://127.0.0.1:9/hook")
            .unwrap();
        // Not matching: elsewhere, and in Daraa without deaths.
        let idlib = put(&mut store, "idlib", &[event("إدلب", Some(3))]);
        link(&store, 1, &idlib);
        let first = put(&mut store, "first", &[event("درعا", None)]);
        link(&store, 2, &first);
        assert_eq!(store.queue_alerts().unwrap(), 0);
        assert!(pending(&store, "daraa-deaths").is_empty());
        // A later report with deaths joins incident 2: it matches now, and is owed once.
        let later = put(&mut store, "later", &[event("دَرْعا", Some(2))]);
        link(&store, 2, &later);
        assert_eq!(store.queue_alerts().unwrap(), 1);
        assert_eq!(pending(&store, "daraa-deaths"), vec![2]);
        // More reports of it, or another scan, owe nothing more.
        let third = put(&mut store, "third", &[event("درعا", Some(5))]);
        link(&store, 2, &third);
        assert_eq!(store.queue_alerts().unwrap(), 0);
        assert_eq!(store.queue_alerts().unwrap(), 0);
        // The clusterer merges incident 2 into a new incident 3: the same events, not
        // a new incident to tell of.
        let other = put(&mut store, "other", &[event("درعا", Some(1))]);
        link(&store, 3, &other);
        store.absorb_incident(2, 3).unwrap();
        let owed = store.queue_alerts().unwrap();
        assert_eq!(owed, 0, "{:?}", store.deliveries("daraa-deaths").unwrap());
        // Re-coding the later report replaces its event; the new one, clustered into a
        // new incident 4, is the same report: nothing is owed.
        let doc = store.get_event(later[0]).unwrap().unwrap().document_id;
        let recoded = store.put_events(doc, &[event("درعا", Some(2))]).unwrap();
        link(&store, 4, &recoded);
        assert_eq!(store.queue_alerts().unwrap(), 0);
        // The payload: the alert, the incident, its events with place and source.
        let d = store.lease_deliveries(i64::MAX / 2, 1000, 10).unwrap();
        assert_eq!(d.len(), 1);
        let p: serde_json::Value = serde_json::from_str(&d[0].payload).unwrap();
        assert_eq!(p["alert"], "daraa-deaths");
        assert_eq!(p["incident_id"], "inc-2");
        assert_eq!(p["link"], "/api/incidents/inc-2");
        assert_eq!(p["events"].as_array().unwrap().len(), 2);
        assert_eq!(p["events"][1]["fatalities"], 2);
        assert_eq!(p["events"][1]["place"]["admin1"], "دَرْعا");
        assert_eq!(p["events"][1]["place"]["lat"], 32.7);
        assert_eq!(p["events"][1]["source"]["doc_id"], "later");
        assert_eq!(p["incident"]["place"]["name"], "بلدة متخيلة");
        assert_eq!(d[0].key(), format!("rasd-alert-{}-inc-2", d[0].alert_id));
    }

    #[test]
    fn what_matches_when_the_alert_is_added_is_never_sent() {
        let mut store = Store::open_in_memory().unwrap();
        let old = put(&mut store, "old", &[event("درعا", Some(1))]);
        link(&store, 1, &old);
        store
            .add_alert("daraa-deaths", &daraa_deaths(), "http://127.0.0.1:9/hook")
            .unwrap();
        // A new report of the old incident: still the old incident.
        let more = put(&mut store, "more", &[event("درعا", Some(4))]);
        link(&store, 1, &more);
        assert_eq!(store.queue_alerts().unwrap(), 0);
        let new = put(&mut store, "new", &[event("درعا", Some(1))]);
        link(&store, 2, &new);
        assert_eq!(store.queue_alerts().unwrap(), 1);
        assert_eq!(pending(&store, "daraa-deaths"), vec![2]);
    }

    #[test]
    fn other_conditions_come_from_the_event_filter() {
        let mut store = Store::open_in_memory().unwrap();
        let lebanon = AlertFilter {
            country: Some("LB".into()),
            ..AlertFilter::default()
        };
        let text = AlertFilter {
            text: Some("قصف".into()),
            event_type: Some(EventType::ExplosionsRemoteViolence),
            ..AlertFilter::default()
        };
        store
            .add_alert("lebanon", &lebanon, "http://127.0.0.1:9/a")
            .unwrap();
        store
            .add_alert("shelling", &text, "http://127.0.0.1:9/b")
            .unwrap();
        let e = put(&mut store, "e", &[event("درعا", None)]);
        link(&store, 1, &e);
        assert_eq!(store.queue_alerts().unwrap(), 1);
        assert!(pending(&store, "lebanon").is_empty());
        assert_eq!(pending(&store, "shelling"), vec![1]);
    }

    #[test]
    fn leases_keep_two_senders_apart_and_failures_are_rescheduled() {
        let mut store = Store::open_in_memory().unwrap();
        store
            .add_alert("daraa-deaths", &daraa_deaths(), "http://127.0.0.1:9/hook")
            .unwrap();
        let e = put(&mut store, "e", &[event("درعا", Some(1))]);
        link(&store, 1, &e);
        store.queue_alerts().unwrap();
        let now = 1_000_000;
        let d = store.lease_deliveries(now, 500, 10).unwrap();
        assert_eq!(d.len(), 1);
        // Leased: another sender gets nothing until the lease runs out.
        assert!(
            store
                .lease_deliveries(now + 10, 500, 10)
                .unwrap()
                .is_empty()
        );
        assert_eq!(store.next_delivery_due().unwrap(), Some(now + 500));
        store
            .delivery_failed(d[0].id, 1, "HTTP 500", Some(now + 2000))
            .unwrap();
        assert!(
            store
                .lease_deliveries(now + 1000, 500, 10)
                .unwrap()
                .is_empty()
        );
        let again = store.lease_deliveries(now + 2000, 500, 10).unwrap();
        assert_eq!(again[0].attempts, 1);
        let status = &store.alerts().unwrap()[0];
        assert_eq!((status.pending, status.delivered), (1, 0));
        assert_eq!(status.last_error.as_deref(), Some("HTTP 500"));
        store.delivery_done(again[0].id, 2).unwrap();
        assert!(
            store
                .lease_deliveries(i64::MAX / 2, 500, 10)
                .unwrap()
                .is_empty()
        );
        let status = &store.alerts().unwrap()[0];
        assert_eq!((status.pending, status.delivered), (0, 1));
        assert_eq!(status.last_error, None);
        assert_eq!(store.next_delivery_due().unwrap(), None);
    }
}

//! Alerts on the shared database (migration 0032), with the embedded store's semantics
//! (`rasd_store::alerts`: what is owed, the baseline, the reports already told of, the
//! payload) for several senders at once.
//!
//! - Filling the outbox ([`PgStore::queue_alerts`]) holds an advisory lock for its
//!   transaction and reads each alert's cursor under it (READ COMMITTED: after the
//!   lock), so two workers' passes run one after the other and the second starts where
//!   the first left the cursors; the unique (alert, incident) pair stops a second row.
//! - A sender leases due rows with `FOR UPDATE SKIP LOCKED` and the database's clock
//!   ([`PgStore::lease_deliveries`]): senders asking at once take different rows, and
//!   a row is leased again only once its lease has run out (its sender died).
//!
//! So each owed POST is made by one sender, once; as on the embedded store, only a
//! sender killed between the receiver's 2xx and recording it sends again, with the
//! same idempotency key.

use crate::{EVENT_COLUMNS, PgStore, Result, as_refs, param, stored_event, where_sql};
use postgres::Transaction;
use rasd_store::alerts::{
    ALERT_COLUMNS, Alert, AlertFilter, AlertStatus, Delivery, DeliveryRow,
    INCIDENT_SUMMARY_COLUMNS, IncidentSummaryRow, REPORT, finish_alert, incident_summary, now_text,
    payload_body,
};
use rasd_store::{SqlValue, StoreError};

/// "ralq": held by the transaction that fills the outbox (and by one adding an alert).
const QUEUE_LOCK: i64 = 0x7261_6c71;

/// The database's clock in unix milliseconds, in SQL.
const NOW_MS: &str = "(extract(epoch FROM clock_timestamp()) * 1000)::bigint";

/// `filter`'s conditions over `events e` as a WHERE clause, with `extra` conditions
/// appended, each `?` of them numbered after the filter's own parameters.
fn alert_where(filter: &AlertFilter, extra: &[(&str, SqlValue)]) -> (String, Vec<crate::Param>) {
    let (clause, mut params) = where_sql(&filter.event_filter());
    let mut conds: Vec<String> = clause
        .strip_prefix(" WHERE ")
        .map(|c| vec![c.to_string()])
        .unwrap_or_default();
    let mut push = |template: &str, v: SqlValue| {
        let placeholder = match &v {
            SqlValue::Integer(_) => format!("${}::bigint", params.len() + 1),
            _ => format!("${}::text", params.len() + 1),
        };
        conds.push(template.replace('?', &placeholder));
        params.push(param(v));
    };
    if let Some(c) = &filter.country {
        push("e.country = ?", SqlValue::Text(c.clone()));
    }
    for (template, v) in extra {
        push(template, v.clone());
    }
    let clause = if conds.is_empty() {
        String::new()
    } else {
        format!(" WHERE {}", conds.join(" AND "))
    };
    (clause, params)
}

fn corrupt_filter(id: i64, source: serde_json::Error) -> StoreError {
    StoreError::Corrupt {
        what: "alert filter",
        id,
        source,
    }
}

/// Records the reports of `incident` as seen by `alert`.
fn remember_reports(tx: &mut Transaction<'_>, alert: i64, incident: i64) -> Result<()> {
    tx.execute(
        &format!(
            "INSERT INTO alert_events (alert_id, document_id, report)
             SELECT $1, e.document_id, {REPORT} FROM incident_events l JOIN events e ON e.id = l.event_id
             WHERE l.incident_id = $2
             ON CONFLICT DO NOTHING"
        ),
        &[&alert, &incident],
    )?;
    Ok(())
}

/// Whether `incident` holds a report `alert` has seen in another incident.
fn continues_known(tx: &mut Transaction<'_>, alert: i64, incident: i64) -> Result<bool> {
    Ok(tx
        .query_one(
            &format!(
                "SELECT EXISTS (SELECT 1 FROM incident_events l JOIN events e ON e.id = l.event_id
                 JOIN alert_events s ON s.alert_id = $1 AND s.document_id = e.document_id AND s.report = {REPORT}
                 WHERE l.incident_id = $2)"
            ),
            &[&alert, &incident],
        )?
        .get(0))
}

fn count(v: Option<i32>) -> Option<u32> {
    v.map(|n| u32::try_from(n).unwrap_or(0))
}

/// The POST body for `incident` (the shared shape, `rasd_store::alerts::payload_body`).
fn payload(tx: &mut Transaction<'_>, alert: &str, incident: i64) -> Result<String> {
    let summary = tx
        .query_opt(
            &format!("SELECT {INCIDENT_SUMMARY_COLUMNS} FROM incidents WHERE id = $1"),
            &[&incident],
        )?
        .map(|r| {
            incident_summary(IncidentSummaryRow {
                event_type: r.get(0),
                sub_event_type: r.get(1),
                date_start: r.get(2),
                date_end: r.get(3),
                location_name: r.get(4),
                admin1: r.get(5),
                country: r.get(6),
                lat: r.get(7),
                lon: r.get(8),
                fatalities: count(r.get(9)),
                fatalities_low: count(r.get(10)),
                fatalities_high: count(r.get(11)),
                sources: count(Some(r.get(12))).unwrap_or(0),
            })
        })
        .unwrap_or(serde_json::Value::Null);
    let rows = tx.query(
        &format!(
            "SELECT {EVENT_COLUMNS} FROM incident_events l JOIN events e ON e.id = l.event_id
             LEFT JOIN articles a ON a.document_id = e.document_id
             WHERE l.incident_id = $1 ORDER BY e.id"
        ),
        &[&incident],
    )?;
    let events = rows.iter().map(stored_event).collect::<Result<Vec<_>>>()?;
    Ok(payload_body(alert, incident, summary, &events)?)
}

impl PgStore {
    /// Saves an alert; incidents that match it already are recorded as seen (never
    /// sent). Refuses a name already taken.
    pub fn add_alert(&mut self, name: &str, filter: &AlertFilter, webhook: &str) -> Result<Alert> {
        let mut tx = self.client.transaction()?;
        // Not while a pass fills the outbox: the new alert's cursor and baseline are
        // then read after that pass's writes.
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&QUEUE_LOCK])?;
        let taken: bool = tx
            .query_one(
                "SELECT EXISTS (SELECT 1 FROM alerts WHERE name = $1)",
                &[&name],
            )?
            .get(0);
        if taken {
            return Err(StoreError::AlertRejected(format!(
                "an alert named {name:?} exists already (rasd alert list shows it; rasd alert rm {name} removes it)"
            ))
            .into());
        }
        // The cursor first, the baseline after: an incident written in between is in
        // the baseline and after the cursor, and a pass skips what the outbox knows.
        let cursor: i64 = tx
            .query_one("SELECT coalesce(max(seq), 0) FROM changes", &[])?
            .get(0);
        let json = serde_json::to_string(filter).map_err(|source| StoreError::Serialise {
            what: "alert filter",
            source,
        })?;
        let at = now_text();
        let id: i64 = tx
            .query_one(
                "INSERT INTO alerts (name, filter, webhook, cursor, created_at)
                 VALUES ($1, $2, $3, $4, $5) RETURNING id",
                &[&name, &json, &webhook, &cursor, &at],
            )?
            .get(0);
        let (clause, params) = alert_where(filter, &[]);
        let incidents: Vec<i64> = tx
            .query(
                &format!(
                    "SELECT DISTINCT l.incident_id FROM events e
                     JOIN incident_events l ON l.event_id = e.id{clause} ORDER BY 1"
                ),
                &as_refs(&params),
            )?
            .iter()
            .map(|r| r.get(0))
            .collect();
        for incident in incidents {
            tx.execute(
                "INSERT INTO alert_deliveries (alert_id, incident_id, state, queued_at)
                 VALUES ($1, $2, 'baseline', $3)",
                &[&id, &incident, &at],
            )?;
            remember_reports(&mut tx, id, incident)?;
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

    /// Every alert, by name, with the state of its outbox.
    pub fn alerts(&mut self) -> Result<Vec<AlertStatus>> {
        let rows = self.client.query(
            &format!(
                "SELECT {ALERT_COLUMNS},
                        (SELECT count(*) FROM alert_deliveries d WHERE d.alert_id = a.id AND d.state = 'pending'),
                        (SELECT count(*) FROM alert_deliveries d WHERE d.alert_id = a.id AND d.state = 'delivered'),
                        (SELECT count(*) FROM alert_deliveries d WHERE d.alert_id = a.id AND d.state = 'failed'),
                        (SELECT max(delivered_at) FROM alert_deliveries d WHERE d.alert_id = a.id),
                        (SELECT last_error FROM alert_deliveries d
                         WHERE d.alert_id = a.id AND d.state IN ('pending', 'failed') AND d.last_error IS NOT NULL
                         ORDER BY d.id DESC LIMIT 1)
                 FROM alerts a ORDER BY name"
            ),
            &[],
        )?;
        rows.iter()
            .map(|r| {
                let alert = finish_alert((r.get(0), r.get(1), r.get(2), r.get(3), r.get(4)))?;
                let n = |i: usize| u32::try_from(r.get::<_, i64>(i)).unwrap_or(u32::MAX);
                Ok(AlertStatus {
                    alert,
                    pending: n(5),
                    delivered: n(6),
                    failed: n(7),
                    last_delivered: r.get(8),
                    last_error: r.get(9),
                })
            })
            .collect()
    }

    /// Removes the alert named `name` and its outbox. False when there is none.
    pub fn remove_alert(&mut self, name: &str) -> Result<bool> {
        Ok(self
            .client
            .execute("DELETE FROM alerts WHERE name = $1", &[&name])?
            > 0)
    }

    /// Reads the change log after each alert's cursor and queues a delivery for every
    /// incident now owed, advancing the cursors in the same transaction; one worker's
    /// pass at a time. Returns how many deliveries were queued.
    pub fn queue_alerts(&mut self) -> Result<u32> {
        let mut tx = self.client.transaction()?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&QUEUE_LOCK])?;
        let last: i64 = tx
            .query_one("SELECT coalesce(max(seq), 0) FROM changes", &[])?
            .get(0);
        let alerts: Vec<(i64, String, String, i64)> = tx
            .query(
                "SELECT id, name, filter, cursor FROM alerts WHERE cursor < $1 ORDER BY id",
                &[&last],
            )?
            .iter()
            .map(|r| (r.get(0), r.get(1), r.get(2), r.get(3)))
            .collect();
        let mut queued = 0;
        let at = now_text();
        for (alert_id, name, filter, cursor) in alerts {
            let filter: AlertFilter =
                serde_json::from_str(&filter).map_err(|e| corrupt_filter(alert_id, e))?;
            // Every incident whose row, links or events changed after the cursor (the
            // triggers of 0015 log an incident for each of these).
            let touched: Vec<i64> = tx
                .query(
                    "SELECT DISTINCT substr(key, 5)::bigint FROM changes
                     WHERE seq > $1 AND seq <= $2 AND entity = 'incident' AND key ~ '^inc-[0-9]{1,18}$'
                     ORDER BY 1",
                    &[&cursor, &last],
                )?
                .iter()
                .map(|r| r.get(0))
                .collect();
            for incident in touched {
                let known: bool = tx
                    .query_one(
                        "SELECT EXISTS (SELECT 1 FROM alert_deliveries WHERE alert_id = $1 AND incident_id = $2)",
                        &[&alert_id, &incident],
                    )?
                    .get(0);
                if known {
                    continue;
                }
                let (clause, params) = alert_where(
                    &filter,
                    &[(
                        "e.id IN (SELECT event_id FROM incident_events WHERE incident_id = ?)",
                        SqlValue::Integer(incident),
                    )],
                );
                let matches = tx
                    .query_opt(
                        &format!("SELECT e.id FROM events e{clause} LIMIT 1"),
                        &as_refs(&params),
                    )?
                    .is_some();
                if !matches {
                    continue;
                }
                let continued = continues_known(&mut tx, alert_id, incident)?;
                remember_reports(&mut tx, alert_id, incident)?;
                if continued {
                    continue;
                }
                let body = payload(&mut tx, &name, incident)?;
                queued += tx.execute(
                    "INSERT INTO alert_deliveries (alert_id, incident_id, state, payload, queued_at)
                     VALUES ($1, $2, 'pending', $3, $4) ON CONFLICT (alert_id, incident_id) DO NOTHING",
                    &[&alert_id, &incident, &body, &at],
                )? as u32;
            }
            tx.execute(
                "UPDATE alerts SET cursor = $2 WHERE id = $1",
                &[&alert_id, &last],
            )?;
        }
        tx.commit()?;
        Ok(queued)
    }

    /// Up to `limit` pending deliveries due now and leased by no live sender, oldest
    /// first, leased to the caller for `lease_ms`. Due and lease times are the
    /// database's clock (`_now_ms`, the caller's, is not used: workers on several
    /// machines may disagree on the time, and a lease must mean the same to all).
    pub fn lease_deliveries(
        &mut self,
        _now_ms: i64,
        lease_ms: i64,
        limit: u32,
    ) -> Result<Vec<Delivery>> {
        let rows = self.client.query(
            &format!(
                "WITH now AS (SELECT {NOW_MS} AS ms),
                 due AS (
                     SELECT d.id FROM alert_deliveries d, now
                     WHERE d.state = 'pending' AND d.next_attempt <= now.ms
                       AND (d.leased_until IS NULL OR d.leased_until <= now.ms)
                     ORDER BY d.next_attempt, d.id LIMIT $2
                     FOR UPDATE OF d SKIP LOCKED)
                 UPDATE alert_deliveries d SET leased_until = now.ms + $1
                 FROM due, now, alerts a
                 WHERE d.id = due.id AND a.id = d.alert_id
                 RETURNING d.id, d.alert_id, a.name, a.webhook, d.incident_id, d.payload, d.attempts, d.next_attempt"
            ),
            &[&lease_ms, &i64::from(limit)],
        )?;
        let mut due: Vec<(i64, Delivery)> = rows
            .iter()
            .map(|r| {
                (
                    r.get(7),
                    Delivery {
                        id: r.get(0),
                        alert_id: r.get(1),
                        alert: r.get(2),
                        webhook: r.get(3),
                        incident_id: r.get(4),
                        payload: r.get::<_, Option<String>>(5).unwrap_or_default(),
                        attempts: u32::try_from(r.get::<_, i32>(6)).unwrap_or(0),
                    },
                )
            })
            .collect();
        due.sort_by_key(|(next, d)| (*next, d.id));
        Ok(due.into_iter().map(|(_, d)| d).collect())
    }

    /// Gives back a leased delivery unsent, due again at once.
    pub fn release_delivery(&mut self, id: i64) -> Result<()> {
        self.client.execute(
            "UPDATE alert_deliveries SET leased_until = NULL WHERE id = $1",
            &[&id],
        )?;
        Ok(())
    }

    /// The soonest time a pending delivery is due (unix ms, the database's clock).
    pub fn next_delivery_due(&mut self) -> Result<Option<i64>> {
        Ok(self
            .client
            .query_one(
                "SELECT min(greatest(next_attempt, coalesce(leased_until, 0))) FROM alert_deliveries
                 WHERE state = 'pending'",
                &[],
            )?
            .get(0))
    }

    /// Records that delivery `id` was accepted, after `attempts` in all.
    pub fn delivery_done(&mut self, id: i64, attempts: u32) -> Result<()> {
        self.client.execute(
            "UPDATE alert_deliveries SET state = 'delivered', attempts = $2, delivered_at = $3,
                    leased_until = NULL, last_error = NULL
             WHERE id = $1",
            &[&id, &(attempts.min(i32::MAX as u32) as i32), &now_text()],
        )?;
        Ok(())
    }

    /// Records a failed attempt: retried at `retry_at_ms`, or given up when `None`.
    pub fn delivery_failed(
        &mut self,
        id: i64,
        attempts: u32,
        error: &str,
        retry_at_ms: Option<i64>,
    ) -> Result<()> {
        let state = if retry_at_ms.is_some() {
            "pending"
        } else {
            "failed"
        };
        self.client.execute(
            "UPDATE alert_deliveries SET state = $2, attempts = $3, last_error = $4,
                    next_attempt = $5, leased_until = NULL
             WHERE id = $1",
            &[
                &id,
                &state,
                &(attempts.min(i32::MAX as u32) as i32),
                &error,
                &retry_at_ms.unwrap_or(0),
            ],
        )?;
        Ok(())
    }

    /// The ledger of alert `name`, oldest first (baseline rows left out).
    pub fn deliveries(&mut self, name: &str) -> Result<Vec<DeliveryRow>> {
        Ok(self
            .client
            .query(
                "SELECT d.incident_id, d.state, d.attempts, d.queued_at, d.delivered_at, d.last_error
                 FROM alert_deliveries d JOIN alerts a ON a.id = d.alert_id
                 WHERE a.name = $1 AND d.state != 'baseline' ORDER BY d.id",
                &[&name],
            )?
            .iter()
            .map(|r| DeliveryRow {
                incident_id: r.get(0),
                state: r.get(1),
                attempts: u32::try_from(r.get::<_, i32>(2)).unwrap_or(0),
                queued_at: r.get(3),
                delivered_at: r.get(4),
                last_error: r.get(5),
            })
            .collect())
    }
}

impl rasd_store::alerts::AlertStore for PgStore {
    fn add_alert(
        &mut self,
        name: &str,
        filter: &AlertFilter,
        webhook: &str,
    ) -> rasd_store::Result<Alert> {
        Ok(PgStore::add_alert(self, name, filter, webhook)?)
    }
    fn alerts(&mut self) -> rasd_store::Result<Vec<AlertStatus>> {
        Ok(PgStore::alerts(self)?)
    }
    fn remove_alert(&mut self, name: &str) -> rasd_store::Result<bool> {
        Ok(PgStore::remove_alert(self, name)?)
    }
    fn queue_alerts(&mut self) -> rasd_store::Result<u32> {
        Ok(PgStore::queue_alerts(self)?)
    }
    fn lease_deliveries(
        &mut self,
        now_ms: i64,
        lease_ms: i64,
        limit: u32,
    ) -> rasd_store::Result<Vec<Delivery>> {
        Ok(PgStore::lease_deliveries(self, now_ms, lease_ms, limit)?)
    }
    fn release_delivery(&mut self, id: i64) -> rasd_store::Result<()> {
        Ok(PgStore::release_delivery(self, id)?)
    }
    fn next_delivery_due(&mut self) -> rasd_store::Result<Option<i64>> {
        Ok(PgStore::next_delivery_due(self)?)
    }
    fn delivery_done(&mut self, id: i64, attempts: u32) -> rasd_store::Result<()> {
        Ok(PgStore::delivery_done(self, id, attempts)?)
    }
    fn delivery_failed(
        &mut self,
        id: i64,
        attempts: u32,
        error: &str,
        retry_at_ms: Option<i64>,
    ) -> rasd_store::Result<()> {
        Ok(PgStore::delivery_failed(
            self,
            id,
            attempts,
            error,
            retry_at_ms,
        )?)
    }
    fn deliveries(&mut self, name: &str) -> rasd_store::Result<Vec<DeliveryRow>> {
        Ok(PgStore::deliveries(self, name)?)
    }
}

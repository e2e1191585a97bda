//! Alert delivery: the sender that empties the store's outbox of alerts
//! (`rasd_store::alerts`) by POSTing each payload to its webhook.
//!
//! A round reads the change log into the outbox ([`Store::queue_alerts`]), then
//! leases the deliveries due and POSTs them one by one; a 2xx marks one delivered,
//! anything else schedules a retry after `retry_base × 2^(attempts-1)` (capped by
//! `retry_max`, lengthened to what a `Retry-After` asks) until `max_attempts`, after
//! which it is given up and listed as failed. `rasd watch` runs [`Sender::run`] on a
//! thread of its own beside the pollers; `rasd alert run [--once]` runs it alone.
//!
//! Every attempt carries `Idempotency-Key: rasd-alert-<alert id>-inc-<incident>`: a
//! sender killed after the receiver's 2xx but before the store records it sends the
//! same key again once its lease runs out, and that repeat is the receiver's to drop.
//!
//! The client is careful with a URL a user typed: connect and whole-request timeouts,
//! at most `max_response_bytes` of an answer read, and redirects followed only when
//! they keep the method and body (307, 308) and stay on the webhook's own host.

use crate::links::{origin, resolve};
use rasd_store::Store;
use rasd_store::alerts::{AlertStore, Delivery};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// How long a sender owns a delivery it leased, beyond the time its requests may take
/// (a timeout per redirect followed): a sender that died is replaced after this.
const LEASE_MARGIN: Duration = Duration::from_secs(5);
/// Deliveries leased at once: few, so that a stopping sender gives few back.
const LEASE_BATCH: u32 = 8;
/// How much of an error answer is kept in the ledger.
const ERROR_SNIPPET_CHARS: usize = 200;

/// How alerts are sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertSettings {
    pub user_agent: String,
    /// The whole request, answer included.
    pub timeout: Duration,
    pub connect_timeout: Duration,
    /// Bytes of an answer read at most (the rest is not read).
    pub max_response_bytes: u64,
    /// Same-host 307/308 redirects followed at most.
    pub max_redirects: u32,
    /// The wait after the first failed attempt; it doubles with each failure.
    pub retry_base: Duration,
    pub retry_max: Duration,
    /// Attempts before a delivery is given up.
    pub max_attempts: u32,
    /// How often [`Sender::run`] reads the change log for new incidents.
    pub poll: Duration,
}

impl Default for AlertSettings {
    fn default() -> Self {
        AlertSettings {
            user_agent: crate::config::USER_AGENT.to_string(),
            timeout: Duration::from_secs(15),
            connect_timeout: Duration::from_secs(5),
            max_response_bytes: 64 * 1024,
            max_redirects: 3,
            retry_base: Duration::from_secs(5),
            retry_max: Duration::from_secs(3600),
            max_attempts: 20,
            poll: Duration::from_secs(1),
        }
    }
}

/// Checks a webhook URL as a user gave it: absolute http(s), with a host, nothing a
/// request line cannot carry. The error says what is wrong with it.
pub fn check_webhook(url: &str) -> Result<(), String> {
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(format!(
            "webhook {url:?}: contains spaces or control characters"
        ));
    }
    if origin(url).is_none() {
        return Err(format!(
            "webhook {url:?}: not an http:// or https:// URL with a host (e.g. https://hooks.example.org/rasd)"
        ));
    }
    let uri: ureq::http::Uri = url
        .parse()
        .map_err(|e| format!("webhook {url:?}: not a valid URL ({e})"))?;
    if uri.host().is_none_or(str::is_empty) {
        return Err(format!("webhook {url:?}: has no host"));
    }
    Ok(())
}

/// Why an attempt failed, and how long the receiver asked us to wait.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostError {
    pub reason: String,
    pub retry_after: Option<Duration>,
}

impl std::fmt::Display for PostError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.reason)
    }
}

fn failed(reason: impl Into<String>) -> PostError {
    PostError {
        reason: reason.into(),
        retry_after: None,
    }
}

/// What a round or a run did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Totals {
    /// Deliveries queued from the change log.
    pub queued: u32,
    pub delivered: u32,
    /// Attempts that failed (and were rescheduled or given up).
    pub failed_attempts: u32,
    pub given_up: u32,
}

impl Totals {
    fn add(&mut self, o: Totals) {
        self.queued += o.queued;
        self.delivered += o.delivered;
        self.failed_attempts += o.failed_attempts;
        self.given_up += o.given_up;
    }
}

/// The alert sender.
pub struct Sender {
    agent: ureq::Agent,
    settings: AlertSettings,
}

fn now_ms() -> i64 {
    jiff::Timestamp::now().as_millisecond()
}

fn ms(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

impl Sender {
    pub fn new(settings: AlertSettings) -> Sender {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .timeout_global(Some(settings.timeout))
            .timeout_connect(Some(settings.connect_timeout))
            // Redirects are looked at here, not followed blindly (see `post`).
            .max_redirects(0)
            .user_agent(settings.user_agent.as_str())
            .http_status_as_error(false)
            .build()
            .into();
        Sender { agent, settings }
    }

    pub fn settings(&self) -> &AlertSettings {
        &self.settings
    }

    /// One POST of `body` to `url` with its idempotency key, following same-host
    /// 307/308 redirects. `Ok` on a 2xx answer.
    pub fn post(&self, url: &str, key: &str, attempt: u32, body: &[u8]) -> Result<u16, PostError> {
        let mut url = url.to_string();
        let timeout = self.settings.timeout.as_secs_f64();
        let mut hops = 0;
        loop {
            let mut resp = self
                .agent
                .post(&url)
                .header("Content-Type", "application/json; charset=utf-8")
                .header("Idempotency-Key", key)
                .header("X-Rasd-Attempt", attempt.to_string())
                .send(body)
                .map_err(|e| {
                    failed(match e {
                        ureq::Error::Timeout(what) => {
                            format!("{url}: no answer within {timeout} s ({what})")
                        }
                        ureq::Error::Io(io) => format!("{url}: connection failed: {io}"),
                        other => format!("{url}: {other}"),
                    })
                })?;
            let status = resp.status().as_u16();
            let header = |name: &str| {
                resp.headers()
                    .get(name)
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_string)
            };
            let retry_after = header("retry-after")
                .and_then(|v| v.trim().parse::<u64>().ok())
                .map(Duration::from_secs);
            let location = header("location");
            // Read (a capped part of) the answer: a receiver may say why it refused.
            let answer = resp
                .body_mut()
                .with_config()
                .limit(self.settings.max_response_bytes)
                .read_to_vec()
                .unwrap_or_default();
            match status {
                200..=299 => return Ok(status),
                300..=399 => {
                    let target = location
                        .as_deref()
                        .and_then(|l| resolve(&url, l))
                        .unwrap_or_else(|| location.clone().unwrap_or_default());
                    let same_host = origin(&target).is_some() && origin(&target) == origin(&url);
                    if matches!(status, 307 | 308)
                        && same_host
                        && hops < self.settings.max_redirects
                    {
                        hops += 1;
                        url = target;
                        continue;
                    }
                    return Err(failed(format!(
                        "{url}: HTTP {status} redirect to {target:?} not followed (only 307/308 \
                         within the webhook's host, at most {}, are)",
                        self.settings.max_redirects
                    )));
                }
                _ => {
                    let text = String::from_utf8_lossy(&answer);
                    let snippet: String = text.trim().chars().take(ERROR_SNIPPET_CHARS).collect();
                    return Err(PostError {
                        reason: format!(
                            "{url}: HTTP {status}{}",
                            if snippet.is_empty() {
                                String::new()
                            } else {
                                format!(": {snippet}")
                            }
                        ),
                        retry_after,
                    });
                }
            }
        }
    }

    /// The wait before attempt `attempts + 1`, or `None` when `attempts` is the last.
    pub fn retry_delay(&self, attempts: u32, asked: Option<Duration>) -> Option<Duration> {
        if attempts >= self.settings.max_attempts {
            return None;
        }
        let factor = 2u32.saturating_pow(attempts.saturating_sub(1).min(30));
        let backoff = self
            .settings
            .retry_base
            .saturating_mul(factor)
            .min(self.settings.retry_max);
        Some(backoff.max(asked.unwrap_or_default().min(self.settings.retry_max)))
    }

    fn attempt(
        &self,
        store: &mut dyn AlertStore,
        d: &Delivery,
        totals: &mut Totals,
    ) -> rasd_store::Result<()> {
        let attempts = d.attempts + 1;
        match self.post(&d.webhook, &d.key(), attempts, d.payload.as_bytes()) {
            Ok(status) => {
                store.delivery_done(d.id, attempts)?;
                totals.delivered += 1;
                tracing::info!(
                    "alert {}: incident inc-{} delivered (HTTP {status}, attempt {attempts})",
                    d.alert,
                    d.incident_id
                );
            }
            Err(e) => {
                totals.failed_attempts += 1;
                match self.retry_delay(attempts, e.retry_after) {
                    Some(wait) => {
                        tracing::warn!(
                            "alert {}: incident inc-{}: attempt {attempts} failed: {}; retried in {:?}",
                            d.alert,
                            d.incident_id,
                            e.reason,
                            wait
                        );
                        store.delivery_failed(
                            d.id,
                            attempts,
                            &e.reason,
                            Some(now_ms().saturating_add(ms(wait))),
                        )?;
                    }
                    None => {
                        totals.given_up += 1;
                        tracing::error!(
                            "alert {}: incident inc-{}: given up after {attempts} attempts: {}",
                            d.alert,
                            d.incident_id,
                            e.reason
                        );
                        store.delivery_failed(d.id, attempts, &e.reason, None)?;
                    }
                }
            }
        }
        Ok(())
    }

    /// Queues what the change log owes, then sends every delivery due now (each
    /// once: a failure is rescheduled for later). Stops early when `stop` is set,
    /// giving back what it leased and did not send.
    pub fn round(
        &self,
        store: &mut dyn AlertStore,
        stop: &AtomicBool,
    ) -> rasd_store::Result<Totals> {
        let mut totals = Totals {
            queued: store.queue_alerts()?,
            ..Totals::default()
        };
        let lease = ms(self
            .settings
            .timeout
            .saturating_mul(self.settings.max_redirects + 1))
        .saturating_add(ms(LEASE_MARGIN));
        loop {
            let due = store.lease_deliveries(now_ms(), lease, LEASE_BATCH)?;
            if due.is_empty() {
                return Ok(totals);
            }
            for d in &due {
                if stop.load(Ordering::Relaxed) {
                    store.release_delivery(d.id)?;
                    continue;
                }
                self.attempt(store, d, &mut totals)?;
            }
            if stop.load(Ordering::Relaxed) {
                return Ok(totals);
            }
        }
    }

    /// Rounds until `stop` is set: the change log is read every `poll`, and a retry
    /// is sent when it falls due. A store error is logged and the round retried.
    /// `db` is the embedded store's file or a `postgres://` URL; on PostgreSQL several
    /// senders may run at once (`rasd_store_pg::alerts`), and a lost connection is
    /// made again before the next round.
    pub fn run(&self, db: &Path, stop: &AtomicBool) -> Result<Totals, crate::WatchError> {
        let url = db.to_str().filter(|s| rasd_store_pg::is_postgres_url(s));
        let open = || -> Result<Box<dyn AlertStore>, crate::WatchError> {
            let err = |e: &dyn std::fmt::Display| crate::WatchError::Store(e.to_string());
            Ok(match url {
                Some(url) => Box::new(rasd_store_pg::PgStore::connect(url).map_err(|e| err(&e))?),
                None => Box::new(Store::open(db).map_err(|e| err(&e))?),
            })
        };
        let mut store = open()?;
        let mut totals = Totals::default();
        while !stop.load(Ordering::Relaxed) {
            match self.round(store.as_mut(), stop) {
                Ok(t) => totals.add(t),
                Err(e) => {
                    tracing::error!("alerts: {e}; trying again");
                    if url.is_some() {
                        match open() {
                            Ok(again) => store = again,
                            Err(e) => tracing::error!("alerts: {e}"),
                        }
                    }
                }
            }
            let next = store.next_delivery_due().ok().flatten();
            let wait = next.map_or(self.settings.poll, |at| {
                Duration::from_millis(u64::try_from(at - now_ms()).unwrap_or(0))
                    .min(self.settings.poll)
            });
            sleep_unless(stop, wait);
        }
        Ok(totals)
    }
}

/// Sleeps `d`, waking early when `stop` is set.
fn sleep_unless(stop: &AtomicBool, d: Duration) {
    let step = Duration::from_millis(50);
    let end = std::time::Instant::now() + d;
    while !stop.load(Ordering::Relaxed) {
        let left = end.saturating_duration_since(std::time::Instant::now());
        if left.is_zero() {
            return;
        }
        std::thread::sleep(left.min(step));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::Receiver;
    use rasd_store::EventId;
    use rasd_store::alerts::AlertFilter;
    use rasd_store::incidents::IncidentSave;
    use std::net::TcpListener;
    use std::sync::Arc;
    use std::time::Instant;

    fn settings() -> AlertSettings {
        AlertSettings {
            timeout: Duration::from_secs(5),
            retry_base: Duration::from_millis(50),
            retry_max: Duration::from_millis(400),
            max_attempts: 6,
            poll: Duration::from_millis(50),
            ..AlertSettings::default()
        }
    }

    /// A store with an alert on Daraa deaths pointing at `hook`.
    fn store_with_alert(dir: &Path, hook: &str) -> Store {
        let mut store = Store::open(&dir.join("a.db")).unwrap();
        let filter = AlertFilter {
            admin1: Some("درعا".into()),
            min_fatalities: Some(1),
            ..AlertFilter::default()
        };
        store.add_alert("daraa-deaths", &filter, hook).unwrap();
        store
    }

    /// Stores a report and links it to incident `incident`.
    fn report(store: &mut Store, name: &str, admin1: &str, deaths: Option<u32>, incident: i64) {
        let mut e: rasd_model::Event = serde_json::from_str(
            r#"{"event_type":"battles","sub_event_type":"armed_clash","date_start":"2024-09-02",
                "date_end":"2024-09-02","date_precision":"day",
                "location":{"name":"قرية متخيلة","admin1":"درعا","country":"SY","precision":"community"},
                "actor1":"a","actor2":null,"fatalities":null,"injured":null,"arrested":null,
                "evidence":["اشتباك متخيل"]}"#,
        )
        .unwrap();
        e.location.admin1 = Some(admin1.into());
        e.fatalities = deaths;
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
        let ids: Vec<EventId> = store.put_events(d, &[e]).unwrap();
        store
            .save_incident(&IncidentSave {
                id: incident,
                event_type: "battles",
                sub_event_type: "armed_clash",
                date_start: "2024-09-02",
                date_end: "2024-09-02",
                location_name: "قرية متخيلة",
                admin1: Some(admin1),
                country: "SY",
                lat: None,
                lon: None,
                fatalities: deaths,
                fatalities_low: None,
                fatalities_high: None,
                record: "{}",
                events: &ids,
            })
            .unwrap();
    }

    /// Runs rounds until `done` holds (at most 20 s).
    fn rounds_until(sender: &Sender, store: &mut Store, what: &str, done: impl Fn(&Store) -> bool) {
        let stop = AtomicBool::new(false);
        let start = Instant::now();
        while !done(store) {
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "timed out waiting for {what}: {:?}",
                store.deliveries("daraa-deaths").unwrap()
            );
            sender.round(store, &stop).unwrap();
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn state(store: &Store) -> Vec<(i64, String, u32)> {
        store
            .deliveries("daraa-deaths")
            .unwrap()
            .into_iter()
            .map(|d| (d.incident_id, d.state, d.attempts))
            .collect()
    }

    #[test]
    fn a_matching_incident_is_posted_once_and_a_restart_sends_nothing_again() {
        let hook = Receiver::scripted(&[(200, "ok")]);
        let dir = tempfile::tempdir().unwrap();
        let mut store = store_with_alert(dir.path(), &format!("{}/hook", hook.url));
        report(&mut store, "idlib", "إدلب", Some(4), 1);
        report(&mut store, "daraa", "درعا", Some(2), 2);
        let sender = Sender::new(settings());
        let stop = AtomicBool::new(false);
        let t = sender.round(&mut store, &stop).unwrap();
        assert_eq!((t.queued, t.delivered), (1, 1));
        let got = hook.got();
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].path, "/hook");
        let alert_id = store.alert("daraa-deaths").unwrap().unwrap().id;
        assert_eq!(got[0].key, Some(format!("rasd-alert-{alert_id}-inc-2")));
        let p: serde_json::Value = serde_json::from_str(&got[0].body).unwrap();
        assert_eq!(p["alert"], "daraa-deaths");
        assert_eq!(p["incident_id"], "inc-2");
        assert_eq!(p["events"][0]["fatalities"], 2);
        assert_eq!(state(&store), vec![(2, "delivered".into(), 1)]);
        // Another round, and a sender on the store opened again, send nothing more.
        assert_eq!(sender.round(&mut store, &stop).unwrap(), Totals::default());
        drop(store);
        let mut store = Store::open(&dir.path().join("a.db")).unwrap();
        let t = Sender::new(settings()).round(&mut store, &stop).unwrap();
        assert_eq!(t, Totals::default());
        assert_eq!(hook.got().len(), 1);
    }

    #[test]
    fn a_failing_receiver_is_retried_and_the_payload_delivered_once() {
        let hook = Receiver::scripted(&[(500, "busy"), (500, "busy"), (200, "ok")]);
        let dir = tempfile::tempdir().unwrap();
        let mut store = store_with_alert(dir.path(), &hook.url);
        report(&mut store, "daraa", "درعا", Some(2), 1);
        let sender = Sender::new(settings());
        rounds_until(&sender, &mut store, "delivery", |s| {
            state(s).iter().any(|d| d.1 == "delivered")
        });
        assert_eq!(state(&store), vec![(1, "delivered".into(), 3)]);
        let got = hook.got();
        assert_eq!(got.len(), 3);
        assert!(
            got.iter()
                .all(|g| g.key == got[0].key && g.body == got[0].body)
        );
        // Delivered: nothing more is sent, however long we go on.
        let stop = AtomicBool::new(false);
        std::thread::sleep(Duration::from_millis(500));
        sender.round(&mut store, &stop).unwrap();
        assert_eq!(hook.got().len(), 3);
    }

    #[test]
    fn a_receiver_that_is_down_gets_the_payload_when_it_is_up() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        drop(listener);
        let dir = tempfile::tempdir().unwrap();
        let mut store = store_with_alert(dir.path(), &format!("http://{addr}/in"));
        report(&mut store, "daraa", "درعا", Some(1), 1);
        let sender = Sender::new(settings());
        let stop = AtomicBool::new(false);
        let t = sender.round(&mut store, &stop).unwrap();
        assert_eq!((t.queued, t.delivered, t.failed_attempts), (1, 0, 1));
        let list = store.alerts().unwrap();
        let err = list[0].last_error.clone().unwrap();
        assert!(err.contains("connection failed"), "{err}");
        let hook = Receiver::on(TcpListener::bind(addr).unwrap(), &[(204, "")]);
        rounds_until(&sender, &mut store, "delivery", |s| {
            state(s).iter().any(|d| d.1 == "delivered")
        });
        assert_eq!(hook.got().len(), 1);
        assert_eq!(store.alerts().unwrap()[0].last_error, None);
    }

    #[test]
    fn an_incident_that_grows_into_a_match_is_posted_once() {
        let hook = Receiver::scripted(&[(200, "ok")]);
        let dir = tempfile::tempdir().unwrap();
        let mut store = store_with_alert(dir.path(), &hook.url);
        let sender = Sender::new(settings());
        let stop = AtomicBool::new(false);
        report(&mut store, "first", "درعا", None, 1);
        sender.round(&mut store, &stop).unwrap();
        assert!(hook.got().is_empty(), "no deaths yet: nothing to send");
        report(&mut store, "second", "درعا", Some(3), 1);
        sender.round(&mut store, &stop).unwrap();
        report(&mut store, "third", "درعا", Some(5), 1);
        sender.round(&mut store, &stop).unwrap();
        let got = hook.got();
        assert_eq!(got.len(), 1);
        let p: serde_json::Value = serde_json::from_str(&got[0].body).unwrap();
        assert_eq!(p["events"].as_array().unwrap().len(), 2);
    }

    #[test]
    fn redirects_are_followed_only_within_the_host_and_failures_are_given_up() {
        let target = Receiver::scripted(&[(200, "ok")]);
        // 307 to another path of the same host: followed.
        let same = Receiver::scripted(&[(307, "/moved"), (200, "ok")]);
        let sender = Sender::new(settings());
        assert_eq!(sender.post(&same.url, "k", 1, b"{}"), Ok(200));
        assert_eq!(same.got()[1].path, "/moved");
        // To another host, or a 302: not followed, and nothing reaches the target.
        let away = Receiver::scripted(&[(308, &format!("{}/x", target.url))]);
        let err = sender.post(&away.url, "k", 1, b"{}").unwrap_err().reason;
        assert!(err.contains("not followed"), "{err}");
        let found = Receiver::scripted(&[(302, "/x")]);
        assert!(sender.post(&found.url, "k", 1, b"{}").is_err());
        assert!(target.got().is_empty());
        // A long error answer is cut for the ledger.
        let long = "x".repeat(10_000);
        let loud = Receiver::scripted(&[(503, long.as_str())]);
        let err = sender.post(&loud.url, "k", 1, b"{}").unwrap_err().reason;
        assert!(err.len() < 400, "{}", err.len());
        // Attempts run out: the delivery is given up and listed as failed.
        let dir = tempfile::tempdir().unwrap();
        let mut store = store_with_alert(dir.path(), &loud.url);
        report(&mut store, "daraa", "درعا", Some(1), 1);
        rounds_until(&sender, &mut store, "giving up", |s| {
            state(s).iter().any(|d| d.1 == "failed")
        });
        assert_eq!(state(&store), vec![(1, "failed".into(), 6)]);
        assert_eq!(store.alerts().unwrap()[0].failed, 1);
        assert_eq!(loud.got().len(), 1 + 6);
    }

    #[test]
    fn backoff_doubles_up_to_its_cap_and_honours_retry_after() {
        let s = Sender::new(settings());
        assert_eq!(s.retry_delay(1, None), Some(Duration::from_millis(50)));
        assert_eq!(s.retry_delay(3, None), Some(Duration::from_millis(200)));
        assert_eq!(s.retry_delay(5, None), Some(Duration::from_millis(400)));
        assert_eq!(
            s.retry_delay(1, Some(Duration::from_secs(60))),
            Some(Duration::from_millis(400))
        );
        assert_eq!(s.retry_delay(6, None), None);
    }

    #[test]
    fn webhook_urls_are_checked() {
        assert!(check_webhook("https://hooks.example.org/rasd?x=1").is_ok());
        assert!(check_webhook("http://127.0.0.1:8080/in").is_ok());
        for bad in [
            "ftp://x/y",
            "hooks.example.org/x",
            "http://",
            "http://a b/",
            "https:///x",
        ] {
            let err = check_webhook(bad).unwrap_err();
            assert!(err.contains(&format!("{bad:?}")), "{err}");
        }
    }

    #[test]
    fn run_sends_as_incidents_arrive_and_stops_when_told() {
        let hook = Receiver::scripted(&[(200, "ok")]);
        let dir = tempfile::tempdir().unwrap();
        let mut store = store_with_alert(dir.path(), &hook.url);
        let stop = Arc::new(AtomicBool::new(false));
        let db = dir.path().join("a.db");
        let runner = {
            let stop = stop.clone();
            std::thread::spawn(move || Sender::new(settings()).run(&db, &stop))
        };
        report(&mut store, "daraa", "درعا", Some(1), 1);
        let start = Instant::now();
        while hook.got().is_empty() {
            assert!(start.elapsed() < Duration::from_secs(20), "nothing sent");
            std::thread::sleep(Duration::from_millis(20));
        }
        stop.store(true, Ordering::SeqCst);
        let totals = runner.join().unwrap().unwrap();
        assert_eq!((totals.queued, totals.delivered), (1, 1));
    }
}

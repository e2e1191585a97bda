//! HTTP as a polite client: one agent with connect and whole-request timeouts, a
//! redirect cap (a loop is an error), a body-size limit applied after decompression,
//! compressed answers accepted, conditional GETs, robots.txt read and obeyed per
//! host, and a gate that bounds the requests in flight to one host and spaces them.

use crate::config::Settings;
use crate::links::{origin, path_and_query};
use crate::robots::Robots;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

/// How long a host's robots.txt is trusted before it is read again.
const ROBOTS_TTL: Duration = Duration::from_secs(6 * 3600);
/// robots.txt files above this size are cut (RFC 9309 asks parsers to take 500 KiB).
const ROBOTS_MAX_BYTES: u64 = 512 * 1024;

/// The validators of the last answer, sent back as `If-None-Match` and
/// `If-Modified-Since`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Validators {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

/// A successful answer.
#[derive(Debug)]
pub enum Fetched {
    /// 304: nothing changed since the validators.
    NotModified,
    Body(Body),
}

#[derive(Debug)]
pub struct Body {
    /// The URL after redirects.
    pub url: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
    pub validators: Validators,
    pub at: jiff::Timestamp,
}

/// Why a fetch failed, in words for the log and the status, and how long the server
/// asked us to wait (`Retry-After`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchError {
    pub reason: String,
    pub retry_after: Option<Duration>,
}

impl FetchError {
    fn new(reason: impl Into<String>) -> Self {
        FetchError {
            reason: reason.into(),
            retry_after: None,
        }
    }
}

impl std::fmt::Display for FetchError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.reason)
    }
}

#[derive(Default)]
struct HostState {
    in_flight: usize,
    next_allowed: Option<Instant>,
    robots: Option<(Robots, Instant)>,
}

/// The shared client of every worker.
pub struct Client {
    agent: ureq::Agent,
    settings: Settings,
    product: String,
    hosts: Mutex<HashMap<String, HostState>>,
    freed: Condvar,
    stop: Arc<AtomicBool>,
}

/// A slot in a host's gate, given back on drop.
struct Slot<'a> {
    client: &'a Client,
    host: String,
}

impl Drop for Slot<'_> {
    fn drop(&mut self) {
        let mut hosts = self.client.hosts.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(h) = hosts.get_mut(&self.host) {
            h.in_flight = h.in_flight.saturating_sub(1);
        }
        self.client.freed.notify_all();
    }
}

impl Client {
    pub fn new(settings: &Settings, stop: Arc<AtomicBool>) -> Client {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .timeout_global(Some(settings.timeout))
            .timeout_connect(Some(settings.connect_timeout))
            .max_redirects(settings.max_redirects)
            .max_redirects_will_error(true)
            .user_agent(settings.user_agent.as_str())
            .http_status_as_error(false)
            .build()
            .into();
        // The product token robots.txt groups are matched against: the User-Agent's
        // first word without its version.
        let product = settings
            .user_agent
            .split(['/', ' '])
            .next()
            .unwrap_or("rasd-watch")
            .to_ascii_lowercase();
        Client {
            agent,
            settings: settings.clone(),
            product,
            hosts: Mutex::new(HashMap::new()),
            freed: Condvar::new(),
            stop,
        }
    }

    /// Waits for a free slot on `host` and for its spacing delay; `None` when the
    /// watcher is stopping.
    fn slot(&self, host: &str) -> Option<Slot<'_>> {
        let mut hosts = self.hosts.lock().unwrap_or_else(|p| p.into_inner());
        loop {
            if self.stop.load(Ordering::Relaxed) {
                return None;
            }
            let now = Instant::now();
            let h = hosts.entry(host.to_string()).or_default();
            let delay = h
                .robots
                .as_ref()
                .and_then(|(r, _)| r.crawl_delay)
                .unwrap_or_default()
                .max(self.settings.host_delay);
            let wait = match h.next_allowed {
                Some(t) if t > now => Some(t - now),
                _ => None,
            };
            if h.in_flight < self.settings.per_host && wait.is_none() {
                h.in_flight += 1;
                h.next_allowed = Some(now + delay);
                return Some(Slot {
                    client: self,
                    host: host.to_string(),
                });
            }
            // Wake at the end of the spacing delay, when a slot frees, or to look at
            // the stop flag.
            let nap = wait
                .unwrap_or(Duration::from_millis(200))
                .min(Duration::from_millis(200));
            hosts = self
                .freed
                .wait_timeout(hosts, nap)
                .unwrap_or_else(|p| p.into_inner())
                .0;
        }
    }

    /// The robots rules of `origin`, read when missing or stale.
    fn robots(&self, origin: &str) -> Robots {
        {
            let hosts = self.hosts.lock().unwrap_or_else(|p| p.into_inner());
            if let Some((r, at)) = hosts.get(origin).and_then(|h| h.robots.as_ref()) {
                if at.elapsed() < ROBOTS_TTL {
                    return r.clone();
                }
            }
        }
        let url = format!("{origin}/robots.txt");
        let robots = match self.agent.get(&url).call() {
            Ok(mut resp) => {
                let status = resp.status().as_u16();
                match status {
                    200..=299 => {
                        let text = resp
                            .body_mut()
                            .with_config()
                            .limit(ROBOTS_MAX_BYTES)
                            .read_to_vec()
                            .map(|b| String::from_utf8_lossy(&b).into_owned())
                            .unwrap_or_default();
                        Robots::parse(&text, &self.product)
                    }
                    // RFC 9309: unavailable (4xx) means no rules; unreachable (5xx)
                    // means assume nothing is allowed, and ask again later.
                    400..=499 => Robots::allow_all(),
                    _ => Robots::disallow_all(),
                }
            }
            Err(e) => {
                tracing::debug!("{url}: {e}; no robots rules applied");
                Robots::allow_all()
            }
        };
        let mut hosts = self.hosts.lock().unwrap_or_else(|p| p.into_inner());
        hosts.entry(origin.to_string()).or_default().robots =
            Some((robots.clone(), Instant::now()));
        robots
    }

    /// One GET of `url`, conditional on `validators`, after robots.txt and the host's
    /// gate allow it.
    pub fn get(&self, url: &str, validators: &Validators) -> Result<Fetched, FetchError> {
        let host =
            origin(url).ok_or_else(|| FetchError::new(format!("{url} is not an http(s) URL")))?;
        let robots = self.robots(&host);
        if !robots.allows(&path_and_query(url)) {
            return Err(FetchError::new(format!(
                "robots.txt of {host} disallows {}",
                path_and_query(url)
            )));
        }
        let Some(_slot) = self.slot(&host) else {
            return Err(FetchError::new("stopping"));
        };
        let mut req = self.agent.get(url);
        if let Some(etag) = &validators.etag {
            req = req.header("If-None-Match", etag);
        }
        if let Some(lm) = &validators.last_modified {
            req = req.header("If-Modified-Since", lm);
        }
        let timeout = self.settings.timeout.as_secs_f64();
        let mut resp = req.call().map_err(|e| {
            FetchError::new(match e {
                ureq::Error::Timeout(what) => format!("no answer within {timeout} s ({what})"),
                ureq::Error::TooManyRedirects => format!(
                    "more than {} redirects (a redirect loop?)",
                    self.settings.max_redirects
                ),
                ureq::Error::Io(io) => format!("connection failed: {io}"),
                other => format!("cannot fetch: {other}"),
            })
        })?;
        let status = resp.status();
        if status.as_u16() == 304 {
            return Ok(Fetched::NotModified);
        }
        let header = |name: &str| {
            resp.headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        if !status.is_success() {
            let retry_after = header("retry-after")
                .and_then(|v| v.trim().parse::<u64>().ok())
                .map(Duration::from_secs);
            return Err(FetchError {
                reason: format!(
                    "HTTP {} {}",
                    status.as_u16(),
                    status.canonical_reason().unwrap_or("")
                )
                .trim_end()
                .to_string(),
                retry_after,
            });
        }
        let max = self.settings.max_bytes;
        if let Some(len) = header("content-length").and_then(|v| v.trim().parse::<u64>().ok()) {
            if len > max {
                return Err(FetchError::new(format!(
                    "the answer is {len} bytes, above the limit of {max}"
                )));
            }
        }
        let validators = Validators {
            etag: header("etag"),
            last_modified: header("last-modified"),
        };
        let content_type = header("content-type")
            .unwrap_or_default()
            .to_ascii_lowercase();
        let final_url = {
            use ureq::ResponseExt as _;
            resp.get_uri().to_string()
        };
        let bytes = resp
            .body_mut()
            .with_config()
            .limit(max)
            .read_to_vec()
            .map_err(|e| {
                FetchError::new(match e {
                    ureq::Error::BodyExceedsLimit(_) => {
                        format!("the answer is larger than the limit of {max} bytes")
                    }
                    ureq::Error::Timeout(_) => {
                        format!("the body did not arrive within {timeout} s")
                    }
                    other => format!("reading the body: {other}"),
                })
            })?;
        Ok(Fetched::Body(Body {
            url: final_url,
            content_type,
            bytes,
            validators,
            at: jiff::Timestamp::now(),
        }))
    }
}

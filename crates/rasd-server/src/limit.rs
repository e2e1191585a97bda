//! Per-client token buckets: one for reads, a stricter one for writes.

use crate::{AppState, ServerError};
use axum::extract::{ConnectInfo, Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::Mutex;
use std::time::Instant;

/// Rates (requests per second) and bursts per client address.
#[derive(Debug, Clone, PartialEq)]
pub struct Limits {
    pub read_per_sec: f64,
    pub read_burst: f64,
    pub write_per_sec: f64,
    pub write_burst: f64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            read_per_sec: 100.0,
            read_burst: 400.0,
            write_per_sec: 2.0,
            write_burst: 30.0,
        }
    }
}

impl Limits {
    /// No practical limit (benchmarks on loopback).
    pub fn unlimited() -> Self {
        Limits {
            read_per_sec: 1e9,
            read_burst: 1e9,
            write_per_sec: 1e9,
            write_burst: 1e9,
        }
    }
}

/// Buckets forgotten after this many idle seconds (keeps the map small).
const IDLE_SECS: f64 = 600.0;

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

pub struct RateLimiter {
    limits: Limits,
    buckets: Mutex<HashMap<(IpAddr, bool), Bucket>>,
}

impl RateLimiter {
    pub fn new(limits: Limits) -> Self {
        RateLimiter {
            limits,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one token for `ip` (write or read bucket); false when empty.
    pub fn allow(&self, ip: IpAddr, write: bool) -> bool {
        let (rate, burst) = if write {
            (self.limits.write_per_sec, self.limits.write_burst)
        } else {
            (self.limits.read_per_sec, self.limits.read_burst)
        };
        let now = Instant::now();
        let Ok(mut map) = self.buckets.lock() else {
            return false;
        };
        if map.len() > 10_000 {
            map.retain(|_, b| now.duration_since(b.at).as_secs_f64() < IDLE_SECS);
        }
        let b = map.entry((ip, write)).or_insert(Bucket {
            tokens: burst,
            at: now,
        });
        b.tokens = (b.tokens + now.duration_since(b.at).as_secs_f64() * rate).min(burst);
        b.at = now;
        if b.tokens >= 1.0 {
            b.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

pub async fn middleware(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let ip = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map_or(IpAddr::from([127, 0, 0, 1]), |c| c.0.ip());
    let write = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if !state.limiter.allow(ip, write) {
        return ServerError::RateLimited.into_response();
    }
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bucket_empties_and_refills() {
        let l = RateLimiter::new(Limits {
            read_per_sec: 1000.0,
            read_burst: 3.0,
            write_per_sec: 0.001,
            write_burst: 2.0,
        });
        let ip = IpAddr::from([127, 0, 0, 1]);
        assert!(l.allow(ip, true));
        assert!(l.allow(ip, true));
        assert!(!l.allow(ip, true));
        for _ in 0..3 {
            assert!(l.allow(ip, false));
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
        assert!(l.allow(ip, false));
        assert!(l.allow(IpAddr::from([127, 0, 0, 2]), true));
    }
}

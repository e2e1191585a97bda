//! A webhook receiver on 127.0.0.1 for the alert tests (this crate's and the `rasd`
//! binary's, through the `test-support` feature): answers each request with the next
//! status of its script (the last one repeated, a redirect's target as `Location`),
//! optionally after a delay, and keeps each request's path, idempotency key and body.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A request the receiver got.
#[derive(Debug, Clone)]
pub struct Hook {
    pub path: String,
    pub key: Option<String>,
    pub body: String,
}

#[derive(Clone)]
pub struct Receiver {
    /// `http://127.0.0.1:PORT`.
    pub url: String,
    got: Arc<Mutex<Vec<Hook>>>,
    /// Milliseconds to wait, after taking a request, before answering it.
    delay: Arc<AtomicU64>,
}

impl Receiver {
    /// Answers every request 200.
    pub fn start() -> Receiver {
        Self::scripted(&[(200, "ok")])
    }

    /// Answers the n-th request with `script[n]` (status, and the body, or the target of
    /// a redirect); the last entry answers every request after it.
    pub fn scripted(script: &[(u16, &str)]) -> Receiver {
        Self::on(TcpListener::bind("127.0.0.1:0").unwrap(), script)
    }

    /// As [`scripted`](Self::scripted), on a listener the caller bound.
    pub fn on(listener: TcpListener, script: &[(u16, &str)]) -> Receiver {
        assert!(!script.is_empty(), "a receiver needs an answer");
        let url = format!("http://{}", listener.local_addr().unwrap());
        let got = Arc::new(Mutex::new(Vec::new()));
        let delay = Arc::new(AtomicU64::new(0));
        let script: Arc<Vec<(u16, String)>> =
            Arc::new(script.iter().map(|(s, b)| (*s, (*b).to_string())).collect());
        let (g, wait) = (got.clone(), delay.clone());
        std::thread::spawn(move || {
            for s in listener.incoming().flatten() {
                // A thread per connection: a held answer never holds up the next one.
                let (g, wait, script) = (g.clone(), wait.clone(), script.clone());
                std::thread::spawn(move || answer(s, &script, &g, &wait));
            }
        });
        Receiver { url, got, delay }
    }

    /// Answers each request `ms` milliseconds after taking it.
    pub fn set_delay(&self, ms: u64) {
        self.delay.store(ms, Ordering::SeqCst);
    }

    pub fn got(&self) -> Vec<Hook> {
        self.got.lock().unwrap().clone()
    }

    /// Waits (up to `secs`) until `n` requests have come, and returns them.
    pub fn wait_for(&self, n: usize, secs: u64) -> Vec<Hook> {
        let start = Instant::now();
        while self.got().len() < n {
            assert!(
                start.elapsed() < Duration::from_secs(secs),
                "the webhook got {} requests, waited for {n}",
                self.got().len()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        self.got()
    }
}

fn answer(mut s: TcpStream, script: &[(u16, String)], got: &Mutex<Vec<Hook>>, wait: &AtomicU64) {
    let _ = s.set_read_timeout(Some(Duration::from_secs(10)));
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        if s.read(&mut byte).unwrap_or(0) == 0 {
            return;
        }
        head.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&head).to_string();
    let header = |name: &str| {
        head.lines().find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case(name).then(|| v.trim().to_string())
        })
    };
    let len: usize = header("content-length")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0u8; len];
    if s.read_exact(&mut body).is_err() {
        return;
    }
    let n = {
        let mut got = got.lock().unwrap();
        got.push(Hook {
            path: head.split_whitespace().nth(1).unwrap_or("").to_string(),
            key: header("idempotency-key"),
            body: String::from_utf8_lossy(&body).into_owned(),
        });
        got.len() - 1
    };
    std::thread::sleep(Duration::from_millis(wait.load(Ordering::SeqCst)));
    let (status, extra) = &script[n.min(script.len() - 1)];
    let (location, text) = if (300..400).contains(status) {
        (format!("Location: {extra}\r\n"), "")
    } else {
        (String::new(), extra.as_str())
    };
    let _ = write!(
        s,
        "HTTP/1.1 {status} X\r\n{location}Content-Length: {}\r\nConnection: close\r\n\r\n{text}",
        text.len()
    );
}

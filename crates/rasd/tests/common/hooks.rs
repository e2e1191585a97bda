//! A webhook receiver for the alert tests, on 127.0.0.1: answers every POST with a
//! fixed status and keeps each request's path, idempotency key and JSON body.

#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[derive(Clone, Debug)]
pub struct Hook {
    pub path: String,
    pub key: Option<String>,
    pub body: serde_json::Value,
}

#[derive(Clone)]
pub struct Receiver {
    pub url: String,
    got: Arc<Mutex<Vec<Hook>>>,
    /// Milliseconds to wait, after taking a request, before answering it.
    delay: Arc<AtomicU64>,
}

impl Receiver {
    pub fn start() -> Receiver {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/hook", listener.local_addr().unwrap());
        let got = Arc::new(Mutex::new(Vec::new()));
        let g = got.clone();
        let delay = Arc::new(AtomicU64::new(0));
        let wait = delay.clone();
        std::thread::spawn(move || {
            for s in listener.incoming().flatten() {
                // A thread per connection: a held answer never holds up the next one.
                let (g, wait) = (g.clone(), wait.clone());
                std::thread::spawn(move || take(s, &g, &wait));
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

fn take(mut s: std::net::TcpStream, got: &Mutex<Vec<Hook>>, wait: &AtomicU64) {
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
    got.lock().unwrap().push(Hook {
        path: head.split_whitespace().nth(1).unwrap_or("").to_string(),
        key: header("idempotency-key"),
        body: serde_json::from_slice(&body).unwrap_or(serde_json::Value::Null),
    });
    std::thread::sleep(Duration::from_millis(wait.load(Ordering::SeqCst)));
    let _ = s.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok");
}

//! A news site for the watch tests, on 127.0.0.1: routes the test changes while
//! `rasd watch` polls them (feeds gaining items, ETags, errors, slowness, redirect
//! loops, huge answers), and a log of every request with its validators.

#![allow(dead_code)]

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// What a route answers.
#[derive(Clone, Debug, Default)]
pub struct Reply {
    pub status: u16,
    pub content_type: String,
    pub body: Vec<u8>,
    /// Sent as `ETag`; a request whose `If-None-Match` equals it gets a 304.
    pub etag: Option<String>,
    pub location: Option<String>,
    /// Wait this long before answering.
    pub delay: Duration,
}

impl Reply {
    pub fn ok(content_type: &str, body: impl Into<Vec<u8>>) -> Reply {
        Reply {
            status: 200,
            content_type: content_type.into(),
            body: body.into(),
            ..Reply::default()
        }
    }

    pub fn status(code: u16) -> Reply {
        Reply {
            status: code,
            content_type: "text/plain".into(),
            body: b"error".to_vec(),
            ..Reply::default()
        }
    }

    pub fn redirect(to: &str) -> Reply {
        Reply {
            status: 302,
            location: Some(to.into()),
            ..Reply::status(302)
        }
    }
}

/// One request as the server saw it.
#[derive(Clone, Debug)]
pub struct Hit {
    pub path: String,
    pub if_none_match: Option<String>,
    pub user_agent: Option<String>,
    pub status: u16,
    /// When the request arrived.
    pub at: std::time::Instant,
}

#[derive(Default)]
struct State {
    routes: HashMap<String, Reply>,
    hits: Vec<Hit>,
    /// Requests being answered now, and the most at once, per path.
    in_flight: HashMap<String, usize>,
    peak: HashMap<String, usize>,
}

#[derive(Clone)]
pub struct Site {
    pub base: String,
    state: Arc<Mutex<State>>,
}

impl Site {
    pub fn start() -> Site {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let state = Arc::new(Mutex::new(State::default()));
        let st = state.clone();
        std::thread::spawn(move || {
            for s in listener.incoming().flatten() {
                let st = st.clone();
                std::thread::spawn(move || serve(s, &st));
            }
        });
        Site { base, state }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub fn set(&self, path: &str, reply: Reply) {
        self.state
            .lock()
            .unwrap()
            .routes
            .insert(path.to_string(), reply);
    }

    pub fn hits(&self) -> Vec<Hit> {
        self.state.lock().unwrap().hits.clone()
    }

    pub fn hits_of(&self, path: &str) -> Vec<Hit> {
        self.hits().into_iter().filter(|h| h.path == path).collect()
    }

    /// The most requests for `path` that were being answered at one moment.
    pub fn peak_in_flight(&self, path: &str) -> usize {
        self.state
            .lock()
            .unwrap()
            .peak
            .get(path)
            .copied()
            .unwrap_or(0)
    }
}

fn serve(mut s: TcpStream, state: &Mutex<State>) {
    let _ = s.set_read_timeout(Some(Duration::from_secs(10)));
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        match s.read(&mut byte) {
            Ok(1) => head.push(byte[0]),
            _ => return,
        }
        if head.len() > 64 * 1024 {
            return;
        }
    }
    let head = String::from_utf8_lossy(&head).into_owned();
    let path = head.split_whitespace().nth(1).unwrap_or("/").to_string();
    let header = |name: &str| {
        head.lines().find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.trim()
                .eq_ignore_ascii_case(name)
                .then(|| v.trim().to_string())
        })
    };
    let if_none_match = header("if-none-match");
    let reply = state
        .lock()
        .unwrap()
        .routes
        .get(&path)
        .cloned()
        .unwrap_or_else(|| Reply::status(404));
    let not_modified = reply.etag.is_some() && if_none_match == reply.etag;
    let status = if not_modified { 304 } else { reply.status };
    {
        let mut st = state.lock().unwrap();
        st.hits.push(Hit {
            path: path.clone(),
            if_none_match: if_none_match.clone(),
            user_agent: header("user-agent"),
            status,
            at: std::time::Instant::now(),
        });
        let now = {
            let n = st.in_flight.entry(path.clone()).or_default();
            *n += 1;
            *n
        };
        let peak = st.peak.entry(path.clone()).or_default();
        *peak = (*peak).max(now);
    }
    if !reply.delay.is_zero() {
        std::thread::sleep(reply.delay);
    }
    let mut extra = String::new();
    if let Some(e) = &reply.etag {
        extra.push_str(&format!("ETag: {e}\r\n"));
    }
    if let Some(l) = &reply.location {
        extra.push_str(&format!("Location: {l}\r\n"));
    }
    let body: &[u8] = if not_modified { b"" } else { &reply.body };
    let _ = write!(
        s,
        "HTTP/1.1 {status} X\r\nContent-Type: {}\r\nContent-Length: {}\r\n{extra}Connection: close\r\n\r\n",
        reply.content_type,
        body.len()
    );
    let _ = s.write_all(body);
    if let Some(n) = state.lock().unwrap().in_flight.get_mut(&path) {
        *n -= 1;
    }
}

/// An RSS feed of `items` (title, link, body paragraph), in that order.
pub fn rss(title: &str, items: &[(&str, &str, &str)]) -> String {
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?><rss version=\"2.0\"><channel><title>{title}</title>"
    );
    for (t, link, body) in items {
        out.push_str(&format!(
            "<item><title>{t}</title><link>{link}</link><pubDate>Mon, 02 Sep 2024 09:00:00 +0300</pubDate>\
             <description><![CDATA[<p>{body}</p>]]></description></item>"
        ));
    }
    out.push_str("</channel></rss>");
    out
}

/// An article page.
pub fn page(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html><html lang=\"ar\" dir=\"rtl\"><head><meta charset=\"utf-8\"><title>{title}</title>\
         <meta property=\"article:published_time\" content=\"2024-09-02T09:00:00+03:00\"></head>\
         <body><article><h1>{title}</h1><p>{body}</p></article></body></html>"
    )
}

// Fictional reports, written for these tests.
pub const TAFAS: &str = "درعا - قُتل مدنيان اثنان وأصيب ثلاثة آخرون صباح اليوم الاثنين جراء قصف مدفعي لقوات النظام استهدف بلدة طفس في ريف درعا الغربي.";
pub const IDLIB: &str = "إدلب - قُتل ثلاثة عناصر من هيئة تحرير الشام مساء اليوم الاثنين في اشتباكات مع قوات النظام على محور كفرنبل جنوب إدلب.";
pub const NAWA: &str = "درعا - قُتل شاب برصاص مسلحين مجهولين على الطريق بين مدينة نوى وبلدة الشيخ سعد في ريف درعا الغربي مساء اليوم الاثنين.";
pub const RAQQA: &str = "الرقة - أصيب أربعة مدنيين بانفجار عبوة ناسفة زرعها مجهولون في سوق مدينة الرقة صباح اليوم الاثنين.";

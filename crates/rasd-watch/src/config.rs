//! The sources file: TOML with one `[[source]]` table per outlet, and an optional
//! `[watch]` table of settings shared by all of them.
//!
//! ```toml
//! [watch]
//! user_agent = "rasd/0.1 (+mailto:desk@example.org)"   # who is asking (default: rasd's)
//! workers = 8               # polls in flight at once
//! per_host = 2              # of which at most this many on one host
//! host_delay = "1s"         # least time between two requests to one host
//! timeout = "30s"           # connection to last byte, per request
//! connect_timeout = "10s"
//! max_bytes = 8388608       # largest answer read
//! max_redirects = 5
//! max_backoff = "1h"        # longest wait after repeated failures
//! lease = "30s"             # PostgreSQL: a dead worker's sources are taken over after this
//! changes_retention = "7d"  # how long the change log keeps deleted entities' entries
//!
//! [[source]]
//! name = "local-feed"
//! url = "http://127.0.0.1:8000/feed.xml"
//! kind = "feed"             # "feed" (RSS/Atom) or "listing" (HTML page of links)
//! interval = "5m"
//! follow = false            # feed: fetch each item's page instead of its summary
//! links = "/news/"          # listing: only links whose URL contains this
//! outlet = "Local Daily"    # the outlet's name on stored documents
//! ```

use crate::WatchError;
use serde::Deserialize;
use std::collections::HashSet;
use std::path::Path;
use std::time::Duration;

/// What a source's URL serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceKind {
    /// RSS or Atom: each item is one document.
    Feed,
    /// An HTML page listing articles: each new link is fetched as one document.
    Listing,
}

impl SourceKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SourceKind::Feed => "feed",
            SourceKind::Listing => "listing",
        }
    }
}

/// One watched source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    pub name: String,
    pub url: String,
    pub kind: SourceKind,
    pub interval: Duration,
    /// Feed only: fetch each new item's linked page rather than store its summary.
    pub follow: bool,
    /// Listing only: a link is an article when its URL contains this.
    pub links: Option<String>,
    /// The outlet's name, stored as the documents' source when the page lacks one.
    pub outlet: Option<String>,
}

/// Settings shared by every source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    pub user_agent: String,
    pub workers: usize,
    pub per_host: usize,
    pub host_delay: Duration,
    pub timeout: Duration,
    pub connect_timeout: Duration,
    pub max_bytes: u64,
    pub max_redirects: u32,
    pub max_backoff: Duration,
    /// On a shared PostgreSQL store: how long a source (and the items being fetched
    /// from it) stays leased to a worker that stopped renewing it.
    pub lease: Duration,
    /// How long the store's change log keeps the entries of deleted events and
    /// incidents (`rasd_store::changes::Retention::tombstones`).
    pub changes_retention: Duration,
}

/// rasd's own User-Agent: the program, its version and what it does.
pub const USER_AGENT: &str = concat!(
    "rasd-watch/",
    env!("CARGO_PKG_VERSION"),
    " (Arabic conflict-news monitor; polls feeds at the interval its operator set)"
);

impl Default for Settings {
    fn default() -> Self {
        Settings {
            user_agent: USER_AGENT.to_string(),
            workers: 8,
            per_host: 2,
            host_delay: Duration::from_millis(500),
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            max_bytes: 8 << 20,
            max_redirects: 5,
            max_backoff: Duration::from_secs(3600),
            lease: Duration::from_secs(30),
            changes_retention: Duration::from_secs(7 * 86_400),
        }
    }
}

/// A parsed sources file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    pub settings: Settings,
    pub sources: Vec<Source>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    watch: Option<RawSettings>,
    #[serde(default)]
    source: Vec<RawSource>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSettings {
    user_agent: Option<String>,
    workers: Option<usize>,
    per_host: Option<usize>,
    host_delay: Option<String>,
    timeout: Option<String>,
    connect_timeout: Option<String>,
    max_bytes: Option<u64>,
    max_redirects: Option<u32>,
    max_backoff: Option<String>,
    lease: Option<String>,
    changes_retention: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSource {
    name: String,
    url: String,
    kind: SourceKind,
    interval: String,
    #[serde(default)]
    follow: bool,
    links: Option<String>,
    outlet: Option<String>,
}

impl Config {
    pub fn load(path: &Path) -> Result<Config, WatchError> {
        let text = std::fs::read_to_string(path).map_err(|e| WatchError::Config {
            file: path.display().to_string(),
            detail: e.to_string(),
        })?;
        Config::parse(&text, &path.display().to_string())
    }

    /// Parses the text of a sources file; errors name `file` and the source.
    pub fn parse(text: &str, file: &str) -> Result<Config, WatchError> {
        let bad = |detail: String| WatchError::Config {
            file: file.to_string(),
            detail,
        };
        let raw: RawFile = toml::from_str(text).map_err(|e| bad(e.to_string()))?;
        let mut settings = Settings::default();
        if let Some(w) = raw.watch {
            let dur = |v: Option<String>, key: &str, default: Duration| match v {
                Some(s) => parse_duration(&s).map_err(|e| bad(format!("[watch] {key}: {e}"))),
                None => Ok(default),
            };
            settings.host_delay = dur(w.host_delay, "host_delay", settings.host_delay)?;
            settings.timeout = dur(w.timeout, "timeout", settings.timeout)?;
            settings.connect_timeout = dur(
                w.connect_timeout,
                "connect_timeout",
                settings.connect_timeout,
            )?;
            settings.max_backoff = dur(w.max_backoff, "max_backoff", settings.max_backoff)?;
            settings.lease = dur(w.lease, "lease", settings.lease)?;
            // Renewed every third of it: shorter would be mostly renewals.
            if settings.lease < Duration::from_secs(1) {
                return Err(bad("[watch] lease must be at least 1s".into()));
            }
            settings.changes_retention = dur(
                w.changes_retention,
                "changes_retention",
                settings.changes_retention,
            )?;
            if let Some(ua) = w.user_agent {
                if ua.trim().is_empty() || ua.chars().any(char::is_control) {
                    return Err(bad("[watch] user_agent must be one non-empty line".into()));
                }
                settings.user_agent = ua;
            }
            settings.workers = w.workers.unwrap_or(settings.workers);
            settings.per_host = w.per_host.unwrap_or(settings.per_host);
            settings.max_bytes = w.max_bytes.unwrap_or(settings.max_bytes);
            settings.max_redirects = w.max_redirects.unwrap_or(settings.max_redirects);
            if settings.workers == 0 || settings.per_host == 0 {
                return Err(bad("[watch] workers and per_host must be at least 1".into()));
            }
        }
        let mut names = HashSet::new();
        let mut sources = Vec::with_capacity(raw.source.len());
        for (i, s) in raw.source.into_iter().enumerate() {
            let which = format!("source {} ({:?})", i + 1, s.name);
            if s.name.trim().is_empty() {
                return Err(bad(format!("source {} has an empty name", i + 1)));
            }
            if !names.insert(s.name.clone()) {
                return Err(bad(format!("{which}: the name is used twice")));
            }
            if !rasd_ingest::fetch::is_url(&s.url) {
                return Err(bad(format!(
                    "{which}: url {:?} is not an http(s) URL",
                    s.url
                )));
            }
            let interval = parse_duration(&s.interval).map_err(|e| bad(format!("{which}: {e}")))?;
            if interval.is_zero() {
                return Err(bad(format!("{which}: the interval must be above zero")));
            }
            sources.push(Source {
                name: s.name,
                url: s.url,
                kind: s.kind,
                interval,
                follow: s.follow,
                links: s.links.filter(|l| !l.is_empty()),
                outlet: s.outlet,
            });
        }
        if sources.is_empty() {
            return Err(bad("no [[source]] in the file".into()));
        }
        Ok(Config { settings, sources })
    }
}

/// Reads `250ms`, `1s`, `5m`, `2h`, `1d` (one number and one unit).
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    let s = s.trim();
    let split = s
        .find(|c: char| !c.is_ascii_digit())
        .ok_or_else(|| format!("duration {s:?} has no unit (say \"30s\", \"5m\", \"1h\")"))?;
    let (n, unit) = s.split_at(split);
    let n: u64 = n
        .parse()
        .map_err(|_| format!("duration {s:?} does not start with a whole number"))?;
    let secs = match unit.trim() {
        "ms" => return Ok(Duration::from_millis(n)),
        "s" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86_400,
        other => {
            return Err(format!(
                "duration {s:?}: unknown unit {other:?} (ms, s, m, h, d)"
            ));
        }
    };
    n.checked_mul(secs)
        .map(Duration::from_secs)
        .ok_or_else(|| format!("duration {s:?} is too long"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("1s"), Ok(Duration::from_secs(1)));
        assert_eq!(parse_duration("5m"), Ok(Duration::from_secs(300)));
        assert_eq!(parse_duration("250ms"), Ok(Duration::from_millis(250)));
        assert_eq!(parse_duration(" 2h "), Ok(Duration::from_secs(7200)));
        assert!(parse_duration("5").unwrap_err().contains("no unit"));
        assert!(parse_duration("5w").unwrap_err().contains("unknown unit"));
        assert!(parse_duration("m").is_err());
        assert!(parse_duration("99999999999999999999d").is_err());
    }

    #[test]
    fn a_sources_file() {
        let c = Config::parse(
            r#"
            [watch]
            per_host = 1
            host_delay = "2s"
            [[source]]
            name = "a"
            url = "http://127.0.0.1:8000/feed.xml"
            kind = "feed"
            interval = "1s"
            [[source]]
            name = "b"
            url = "https://b.example/news/"
            kind = "listing"
            interval = "5m"
            links = "/news/"
            "#,
            "s.toml",
        )
        .unwrap();
        assert_eq!(c.sources.len(), 2);
        assert_eq!(c.sources[0].kind, SourceKind::Feed);
        assert_eq!(c.sources[1].interval, Duration::from_secs(300));
        assert_eq!(c.sources[1].links.as_deref(), Some("/news/"));
        assert_eq!(c.settings.per_host, 1);
        assert_eq!(c.settings.host_delay, Duration::from_secs(2));
        assert_eq!(c.settings.workers, 8);
    }

    #[test]
    fn mistakes_name_the_file_and_source() {
        let one = |body: &str| Config::parse(body, "s.toml").unwrap_err().to_string();
        let src = |extra: &str| {
            format!(
                "[[source]]\nname = \"a\"\nurl = \"http://x.example/\"\nkind = \"feed\"\n{extra}"
            )
        };
        let e = one(&src("interval = \"soon\""));
        assert!(e.contains("s.toml") && e.contains("\"a\""), "{e}");
        let e = one(&src("interval = \"0s\""));
        assert!(e.contains("above zero"), "{e}");
        let e = one(&src("interval = \"1s\"\ncolour = 1"));
        assert!(e.contains("colour"), "{e}");
        let e = one(&format!(
            "{}\n{}",
            src("interval = \"1s\""),
            src("interval = \"1s\"")
        ));
        assert!(e.contains("twice"), "{e}");
        let e =
            one("[[source]]\nname = \"a\"\nurl = \"ftp://x\"\nkind = \"feed\"\ninterval = \"1s\"");
        assert!(e.contains("not an http(s) URL"), "{e}");
        let e =
            one("[[source]]\nname = \"a\"\nurl = \"http://x\"\nkind = \"blog\"\ninterval = \"1s\"");
        assert!(e.contains("blog"), "{e}");
        assert!(one("").contains("no [[source]]"));
        let e = one(&format!(
            "[watch]\nlease = \"500ms\"\n{}",
            src("interval = \"1s\"")
        ));
        assert!(e.contains("lease must be at least 1s"), "{e}");
        let ok = Config::parse(
            &format!("[watch]\nlease = \"2s\"\n{}", src("interval = \"1s\"")),
            "s.toml",
        )
        .unwrap();
        assert_eq!(ok.settings.lease, Duration::from_secs(2));
    }
}

#[cfg(test)]
mod example {
    use super::*;

    #[test]
    fn the_shipped_example_parses() {
        let text = include_str!("../../../sources.example.toml");
        let c = Config::parse(text, "sources.example.toml").unwrap();
        assert!(c.sources.len() >= 5);
        assert_eq!(
            c.settings,
            Settings::default(),
            "the comments show the defaults"
        );
        assert!(c.sources.iter().all(|s| s.url.starts_with("https://")));
    }
}

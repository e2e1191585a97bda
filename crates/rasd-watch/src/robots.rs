//! robots.txt as RFC 9309 reads it: the group naming our product token (else `*`),
//! its `Allow`/`Disallow` rules with `*` and `$`, the longest match winning and
//! `Allow` winning a tie; `Crawl-delay` (not in the RFC, widely used) is kept too.

use std::time::Duration;

/// The rules of one host for one user agent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Robots {
    /// (allow, pattern), in file order.
    rules: Vec<(bool, String)>,
    pub crawl_delay: Option<Duration>,
}

impl Robots {
    /// Everything allowed (no robots.txt, or a 4xx answer for it).
    pub fn allow_all() -> Robots {
        Robots::default()
    }

    /// Nothing allowed (RFC 9309: a 5xx answer for robots.txt means "assume complete
    /// disallow" until it can be read).
    pub fn disallow_all() -> Robots {
        Robots {
            rules: vec![(false, "/".to_string())],
            crawl_delay: None,
        }
    }

    /// The rules of `text` that apply to `agent` (the product token, e.g. `rasd-watch`).
    pub fn parse(text: &str, agent: &str) -> Robots {
        let agent = agent.to_ascii_lowercase();
        // Groups: the agents they name, then their rules.
        let mut groups: Vec<(Vec<String>, Robots)> = Vec::new();
        let mut in_agents = false;
        for line in text.lines() {
            let line = line.split('#').next().unwrap_or("").trim();
            let Some((key, value)) = line.split_once(':') else {
                continue;
            };
            let key = key.trim().to_ascii_lowercase();
            let value = value.trim();
            match key.as_str() {
                "user-agent" => {
                    if !in_agents {
                        groups.push((Vec::new(), Robots::default()));
                        in_agents = true;
                    }
                    if let Some(g) = groups.last_mut() {
                        g.0.push(value.to_ascii_lowercase());
                    }
                }
                "allow" | "disallow" => {
                    in_agents = false;
                    // An empty Disallow allows everything: it adds no rule.
                    if let Some(g) = groups.last_mut().filter(|_| !value.is_empty()) {
                        g.1.rules.push((key == "allow", value.to_string()));
                    }
                }
                "crawl-delay" => {
                    in_agents = false;
                    if let (Some(g), Ok(secs)) = (groups.last_mut(), value.parse::<f64>()) {
                        if secs.is_finite() && secs >= 0.0 {
                            g.1.crawl_delay = Some(Duration::from_secs_f64(secs.min(3600.0)));
                        }
                    }
                }
                _ => {}
            }
        }
        let mine: Vec<&Robots> = groups
            .iter()
            .filter(|(agents, _)| {
                agents
                    .iter()
                    .any(|a| a != "*" && agent.starts_with(a.as_str()))
            })
            .map(|(_, r)| r)
            .collect();
        let chosen: Vec<&Robots> = if mine.is_empty() {
            groups
                .iter()
                .filter(|(agents, _)| agents.iter().any(|a| a == "*"))
                .map(|(_, r)| r)
                .collect()
        } else {
            mine
        };
        let mut out = Robots::default();
        for r in chosen {
            out.rules.extend(r.rules.iter().cloned());
            out.crawl_delay = out.crawl_delay.or(r.crawl_delay);
        }
        out
    }

    /// Whether `path` (with its query) may be fetched.
    pub fn allows(&self, path: &str) -> bool {
        if path == "/robots.txt" {
            return true;
        }
        let mut best: Option<(usize, bool)> = None;
        for (allow, pattern) in &self.rules {
            if matches(pattern, path) {
                let len = pattern.len();
                best = match best {
                    Some((l, a)) if l > len || (l == len && a) => Some((l, a)),
                    _ => Some((len, *allow)),
                };
            }
        }
        best.is_none_or(|(_, allow)| allow)
    }
}

/// `pattern` against the start of `path`: `*` any run of characters, a final `$`
/// the end. The classic two-pointer wildcard match: patterns come from the network,
/// and it stays O(pattern × path) whatever they hold.
fn matches(pattern: &str, path: &str) -> bool {
    let (p, anchored) = match pattern.strip_suffix('$') {
        Some(p) => (p.as_bytes(), true),
        None => (pattern.as_bytes(), false),
    };
    let s = path.as_bytes();
    let (mut i, mut j) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    loop {
        if i == p.len() && (!anchored || j == s.len()) {
            return true;
        }
        if i < p.len() && p[i] == b'*' {
            star = Some((i, j));
            i += 1;
        } else if i < p.len() && j < s.len() && p[i] == s[j] {
            i += 1;
            j += 1;
        } else if let Some((si, sj)) = star.filter(|&(_, sj)| sj < s.len()) {
            star = Some((si, sj + 1));
            i = si + 1;
            j = sj + 1;
        } else {
            return false;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TXT: &str = "
# comment
User-agent: *
Disallow: /private/
Allow: /private/open
Crawl-delay: 2

User-agent: rasd-watch
User-agent: other
Disallow: /feeds/secret$
Disallow: /*.pdf
";

    #[test]
    fn our_group_wins_over_the_star() {
        let r = Robots::parse(TXT, "rasd-watch");
        assert!(r.allows("/private/x"), "the * group does not apply to us");
        assert!(!r.allows("/feeds/secret"));
        assert!(r.allows("/feeds/secret/more"));
        assert!(!r.allows("/a/b.pdf"));
        assert_eq!(r.crawl_delay, None);
    }

    #[test]
    fn the_star_group_and_longest_match() {
        let r = Robots::parse(TXT, "somebot");
        assert!(!r.allows("/private/x"));
        assert!(r.allows("/private/open/1"));
        assert!(r.allows("/news/"));
        assert!(r.allows("/robots.txt"));
        assert_eq!(r.crawl_delay, Some(Duration::from_secs(2)));
    }

    #[test]
    fn empty_and_hostile_files() {
        assert!(Robots::parse("", "x").allows("/a"));
        assert!(Robots::parse("Disallow: /\n", "x").allows("/a"), "no group");
        assert!(Robots::parse("User-agent: *\nDisallow:\n", "x").allows("/a"));
        assert!(!Robots::disallow_all().allows("/a"));
        let evil = format!("User-agent: *\nDisallow: /{}x$\n", "*a".repeat(40));
        assert!(Robots::parse(&evil, "x").allows(&"a".repeat(5000)));
        assert!(matches("/a*b$", "/axxb") && !matches("/a*b$", "/axxbc"));
        assert!(matches("/a*b", "/axxbc") && matches("*", "/") && !matches("/b", "/a"));
        let r = Robots::parse("User-agent: *\nCrawl-delay: -1\nCrawl-delay: nan\n", "x");
        assert_eq!(r.crawl_delay, None);
    }
}

//! URLs: their parts, resolving a link against the page it was found on, and the
//! article links of a listing page.

/// `scheme://authority` of an absolute http(s) URL, lower-cased (the key of the
/// per-host limits and of the robots.txt cache).
pub fn origin(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    if scheme != "http" && scheme != "https" {
        return None;
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    // Credentials never belong to the key.
    let host = authority.rsplit('@').next().unwrap_or(authority);
    if host.is_empty() {
        return None;
    }
    Some(format!("{scheme}://{}", host.to_ascii_lowercase()))
}

/// The path and query of an absolute URL (`/` when it has none), fragment dropped.
pub fn path_and_query(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let rest = rest.split('#').next().unwrap_or(rest);
    match rest.find(['/', '?']) {
        Some(i) if rest[i..].starts_with('?') => format!("/{}", &rest[i..]),
        Some(i) => rest[i..].to_string(),
        None => "/".to_string(),
    }
}

/// `link` as found on page `base`, made absolute (fragment dropped). `None` for
/// links that are not http(s) pages (`mailto:`, `javascript:`, `#top`, ...).
pub fn resolve(base: &str, link: &str) -> Option<String> {
    let link = decode_entities(link.trim());
    let link = link.split('#').next().unwrap_or("");
    if link.is_empty() {
        return None;
    }
    if let Some((scheme, _)) = link.split_once(':') {
        if scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        {
            return origin(link).map(|_| link.to_string());
        }
    }
    let base_origin = origin(base)?;
    if let Some(rest) = link.strip_prefix("//") {
        let scheme = base_origin.split("://").next().unwrap_or("https");
        return Some(format!("{scheme}://{rest}"));
    }
    if link.starts_with('/') {
        return Some(format!("{base_origin}{link}"));
    }
    let base_path = path_and_query(base);
    let base_path = base_path.split('?').next().unwrap_or("/");
    if link.starts_with('?') {
        return Some(format!("{base_origin}{base_path}{link}"));
    }
    let dir = &base_path[..base_path.rfind('/').map_or(0, |i| i + 1)];
    let mut segments: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
    let (link_path, query) = match link.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (link, None),
    };
    let parts: Vec<&str> = link_path.split('/').collect();
    for (i, seg) in parts.iter().enumerate() {
        match *seg {
            "." => {}
            ".." => {
                segments.pop();
            }
            "" if i + 1 < parts.len() => {}
            s => segments.push(s),
        }
    }
    let trailing = link_path.ends_with('/') || link_path.ends_with("/.") || link_path == "..";
    let mut out = format!("{base_origin}/{}", segments.join("/"));
    if trailing && !out.ends_with('/') {
        out.push('/');
    }
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    Some(out)
}

fn decode_entities(s: &str) -> String {
    s.replace("&amp;", "&").replace("&#38;", "&")
}

/// The article links of a listing page, in page order, each once: same host as the
/// page, not the page itself, and containing `filter` when one is given.
pub fn article_links(html: &str, page_url: &str, filter: Option<&str>) -> Vec<String> {
    let page_origin = origin(page_url);
    let page_key = page_url.split('#').next().unwrap_or(page_url);
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    for href in hrefs(html) {
        let Some(url) = resolve(page_url, &href) else {
            continue;
        };
        if origin(&url) != page_origin || url == page_key {
            continue;
        }
        if filter.is_some_and(|f| !url.contains(f)) {
            continue;
        }
        if path_and_query(&url) == "/" {
            continue;
        }
        if seen.insert(url.clone()) {
            out.push(url);
        }
    }
    out
}

/// The `href` values of `<a>` tags. A scan, not a parse: listing pages are only
/// mined for links, and a scan cannot be made to loop or blow up by a broken page.
fn hrefs(html: &str) -> Vec<String> {
    let lower = html.to_ascii_lowercase();
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = lower[from..].find("<a") {
        let start = from + i;
        from = start + 2;
        if !lower[from..].starts_with(|c: char| c.is_ascii_whitespace()) {
            continue;
        }
        let end = lower[from..].find('>').map_or(lower.len(), |e| from + e);
        let tag = &html[from..end];
        let tag_lower = &lower[from..end];
        let mut k = 0;
        while let Some(h) = tag_lower[k..].find("href") {
            let at = k + h + 4;
            k = at;
            // An attribute name, not the tail of another (data-href).
            let before = tag_lower[..at - 4].chars().last();
            if before.is_some_and(|c| !c.is_ascii_whitespace()) {
                continue;
            }
            let rest = tag[at..].trim_start();
            let Some(rest) = rest.strip_prefix('=') else {
                continue;
            };
            let rest = rest.trim_start();
            let value = match rest.chars().next() {
                Some(q @ ('"' | '\'')) => rest[1..].split(q).next().unwrap_or(""),
                _ => rest
                    .split(|c: char| c.is_ascii_whitespace())
                    .next()
                    .unwrap_or(""),
            };
            out.push(value.to_string());
            break;
        }
        from = end;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_of_urls() {
        assert_eq!(
            origin("HTTP://User@Example.ORG:8080/a?b").as_deref(),
            Some("http://example.org:8080")
        );
        assert_eq!(origin("ftp://x/"), None);
        assert_eq!(origin("http:///x"), None);
        assert_eq!(path_and_query("http://x.example"), "/");
        assert_eq!(path_and_query("http://x.example?q=1"), "/?q=1");
        assert_eq!(path_and_query("http://x.example/a/b?q=1#f"), "/a/b?q=1");
    }

    #[test]
    fn links_are_resolved_against_their_page() {
        let base = "https://x.example/news/list.html?page=2";
        assert_eq!(
            resolve(base, "a.html").unwrap(),
            "https://x.example/news/a.html"
        );
        assert_eq!(resolve(base, "../b/c").unwrap(), "https://x.example/b/c");
        assert_eq!(
            resolve(base, "/d?x=1&amp;y=2").unwrap(),
            "https://x.example/d?x=1&y=2"
        );
        assert_eq!(
            resolve(base, "//cdn.example/e").unwrap(),
            "https://cdn.example/e"
        );
        assert_eq!(
            resolve(base, "?page=3").unwrap(),
            "https://x.example/news/list.html?page=3"
        );
        assert_eq!(
            resolve(base, "http://y.example/f#top").unwrap(),
            "http://y.example/f"
        );
        assert_eq!(resolve(base, "./").unwrap(), "https://x.example/news/");
        assert_eq!(resolve(base, "mailto:a@b"), None);
        assert_eq!(resolve(base, "javascript:void(0)"), None);
        assert_eq!(resolve(base, "#top"), None);
    }

    #[test]
    fn a_listing_yields_its_article_links_once() {
        let html = r#"<html><body>
            <a href="/">home</a>
            <A HREF='/news/1.html'>one</A>
            <a class="x" href=/news/2.html>two</a>
            <a data-href="/news/bogus" href="/news/1.html#c">one again</a>
            <a href="https://other.example/news/3.html">elsewhere</a>
            <a href="/about">about</a>
            <a href="/news/list">self</a>
            <a href="/news/4.html"
        "#;
        let links = article_links(html, "http://127.0.0.1:9/news/list", Some("/news/"));
        assert_eq!(
            links,
            vec![
                "http://127.0.0.1:9/news/1.html",
                "http://127.0.0.1:9/news/2.html",
                "http://127.0.0.1:9/news/4.html",
            ]
        );
        assert!(article_links("<a", "http://x/", None).is_empty());
        assert!(article_links("<<<a href=\"", "http://x/", None).is_empty());
    }
}

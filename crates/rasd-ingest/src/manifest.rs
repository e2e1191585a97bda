//! The metadata a user already has about their documents, as JSON Lines:
//!
//! ```text
//! {"path": "crawl/2023/page-17.html", "url": "https://...", "published": "2023-06-07T16:45:00+03:00", "source": "Outlet"}
//! {"doc_id": "dev-004", "source": "Outlet"}
//! ```
//!
//! An entry matches a document by `doc_id` (exactly, or the file's base name for an
//! item `NAME#k`), by path (absolute, or relative to the manifest's folder or to the
//! working directory, compared after lexical normalisation), or by file name. A
//! `path` entry for a file holding several documents gives them all its `source`,
//! but `url` and `published` only to a single-document file. Manifest values win
//! over what the document carries; [`Manifest::apply`] sets `meta.from_manifest`.

use crate::IngestError;
use rasd_model::{Origin, PublishedTime, RawDocument};
use serde::Deserialize;
use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};

/// One line of a manifest. Other keys (a crawler's own fields) are ignored.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct Entry {
    #[serde(default)]
    pub path: Option<String>,
    #[serde(default)]
    pub doc_id: Option<String>,
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default, deserialize_with = "published_field")]
    pub published: Option<PublishedTime>,
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub title: Option<String>,
}

fn published_field<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<PublishedTime>, D::Error> {
    let s: Option<String> = Option::deserialize(d)?;
    match s {
        None => Ok(None),
        Some(s) if s.trim().is_empty() => Ok(None),
        Some(s) => s
            .parse::<PublishedTime>()
            .ok()
            .or_else(|| crate::feed::parse_date(&s))
            .map(Some)
            .ok_or_else(|| {
                serde::de::Error::custom(format!(
                    "published {s:?} is not a date (YYYY-MM-DD), an RFC 3339 time or an RFC 2822 date"
                ))
            }),
    }
}

/// A loaded manifest.
#[derive(Debug, Clone, Default)]
pub struct Manifest {
    entries: Vec<Entry>,
    by_doc_id: HashMap<String, usize>,
    by_path: HashMap<PathBuf, usize>,
    by_name: HashMap<String, usize>,
}

impl Manifest {
    /// Reads a JSON Lines manifest. Blank lines and lines starting with `#` are
    /// skipped; any other unreadable line is an error naming `file:line`.
    pub fn load(path: impl AsRef<Path>) -> Result<Manifest, IngestError> {
        let path = path.as_ref();
        let text = std::fs::read(path).map_err(|e| IngestError::io(path, e))?;
        let text = crate::encoding::decode(&text, None).text;
        let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
        Self::parse(&text, path, &base)
    }

    /// Parses manifest text; `file` names it in errors, `base` is the folder that
    /// relative paths are read against (besides the working directory).
    pub fn parse(text: &str, file: &Path, base: &Path) -> Result<Manifest, IngestError> {
        let mut m = Manifest::default();
        let bad = |line: usize, detail: String| IngestError::Manifest {
            path: file.to_path_buf(),
            line,
            detail,
        };
        for (i, line) in text.lines().enumerate() {
            let n = i + 1;
            let t = line.trim();
            if t.is_empty() || t.starts_with('#') {
                continue;
            }
            let entry: Entry = serde_json::from_str(t).map_err(|e| bad(n, e.to_string()))?;
            if entry.path.is_none() && entry.doc_id.is_none() {
                return Err(bad(
                    n,
                    "the entry has neither \"path\" nor \"doc_id\"".into(),
                ));
            }
            let idx = m.entries.len();
            if let Some(id) = &entry.doc_id {
                if m.by_doc_id.insert(id.clone(), idx).is_some() {
                    return Err(bad(n, format!("doc_id {id:?} appears twice")));
                }
            }
            if let Some(p) = &entry.path {
                let p = Path::new(p);
                let mut keys = Vec::new();
                if p.is_absolute() {
                    keys.push(lexical(p));
                } else {
                    keys.push(lexical(&base.join(p)));
                    if let Ok(cwd) = std::env::current_dir() {
                        keys.push(lexical(&cwd.join(p)));
                    }
                }
                for k in keys {
                    m.by_path.entry(k).or_insert(idx);
                }
                if let Some(name) = p.file_name().and_then(|n| n.to_str()) {
                    m.by_name.entry(name.to_string()).or_insert(idx);
                }
            }
            m.entries.push(entry);
        }
        Ok(m)
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The entry for a document, and whether it names this very document (by
    /// doc_id) rather than the file that holds it.
    pub fn lookup(&self, doc: &RawDocument) -> Option<(&Entry, bool)> {
        if let Some(&i) = self.by_doc_id.get(&doc.doc_id) {
            return Some((&self.entries[i], true));
        }
        let whole_file = !doc.doc_id.contains('#');
        if let Some((base, _)) = doc.doc_id.split_once('#') {
            if let Some(&i) = self.by_doc_id.get(base) {
                return Some((&self.entries[i], false));
            }
        }
        let Origin::File { path } = &doc.origin else {
            return None;
        };
        let p = Path::new(path);
        let abs = if p.is_absolute() {
            lexical(p)
        } else {
            std::env::current_dir()
                .map(|c| lexical(&c.join(p)))
                .unwrap_or_else(|_| lexical(p))
        };
        if let Some(&i) = self.by_path.get(&abs) {
            return Some((&self.entries[i], whole_file));
        }
        let name = p.file_name().and_then(|n| n.to_str())?;
        self.by_name
            .get(name)
            .map(|&i| (&self.entries[i], whole_file))
    }

    /// Fills the document's metadata from its entry (manifest values win) and sets
    /// `meta.from_manifest`. Returns false when no entry matches.
    pub fn apply(&self, doc: &mut RawDocument) -> bool {
        let Some((entry, exact)) = self.lookup(doc) else {
            return false;
        };
        let meta = &mut doc.meta;
        if let Some(s) = &entry.source {
            meta.source = Some(s.clone());
        }
        if exact {
            if let Some(u) = &entry.url {
                meta.url = Some(u.clone());
            }
            if let Some(p) = entry.published {
                meta.published = Some(p);
            }
            if let Some(t) = &entry.title {
                meta.title = Some(t.clone());
            }
        }
        meta.from_manifest = true;
        true
    }
}

/// `a/./b/../c` → `a/c`, without touching the file system.
fn lexical(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use rasd_model::{ContentKind, DocumentMeta};

    fn doc(id: &str, path: &str) -> RawDocument {
        RawDocument {
            doc_id: id.into(),
            origin: Origin::File { path: path.into() },
            kind: ContentKind::Text,
            bytes: Vec::new(),
            meta: DocumentMeta {
                source: Some("from page".into()),
                ..DocumentMeta::default()
            },
        }
    }

    const TEXT: &str = r#"
{"doc_id": "a-1", "url": "https://x.example/1", "published": "2023-01-02T10:00:00+03:00", "source": "Outlet One"}
# a comment
{"path": "pages/b.html", "published": "2023-01-03", "source": "Outlet Two"}
{"path": "/abs/feeds/c.xml", "url": "https://x.example/feed", "source": "Outlet Three"}
"#;

    fn manifest() -> Manifest {
        Manifest::parse(TEXT, Path::new("m.jsonl"), Path::new("/data")).unwrap()
    }

    #[test]
    fn matches_by_doc_id_path_and_name() {
        let m = manifest();
        assert_eq!(m.len(), 3);
        let mut a = doc("a-1", "/elsewhere/a-1.txt");
        assert!(m.apply(&mut a));
        assert_eq!(a.meta.source.as_deref(), Some("Outlet One"));
        assert_eq!(
            a.meta.published.unwrap().to_string(),
            "2023-01-02T10:00:00+03:00"
        );
        assert!(a.meta.from_manifest);

        let mut b = doc("b", "/data/pages/../pages/b.html");
        assert!(m.apply(&mut b));
        assert_eq!(b.meta.published.unwrap().to_string(), "2023-01-03");

        let mut b2 = doc("b", "/other/b.html");
        assert!(m.apply(&mut b2), "file name match");

        // Items of a feed share the source, not the URL.
        let mut c = doc("c#2", "/abs/feeds/./c.xml");
        assert!(m.apply(&mut c));
        assert_eq!(c.meta.source.as_deref(), Some("Outlet Three"));
        assert_eq!(c.meta.url, None);

        let mut none = doc("zzz", "/q/zzz.txt");
        assert!(!m.apply(&mut none));
        assert!(!none.meta.from_manifest);
    }

    #[test]
    fn bad_lines_name_file_and_line() {
        for (text, want) in [
            ("{\"doc_id\": \"a\"}\n{oops}\n", "m.jsonl:2:"),
            ("{\"url\": \"u\"}", "neither"),
            ("{\"doc_id\": \"a\", \"published\": \"soon\"}", "not a date"),
            ("{\"doc_id\": \"a\", \"url\": 7}", "invalid type"),
            ("[1, 2]", "m.jsonl:1:"),
            ("{\"doc_id\": \"a\"}\n{\"doc_id\": \"a\"}", "twice"),
        ] {
            let err = Manifest::parse(text, Path::new("m.jsonl"), Path::new("."))
                .unwrap_err()
                .to_string();
            assert!(err.contains(want), "{err} lacks {want}");
        }
    }
}

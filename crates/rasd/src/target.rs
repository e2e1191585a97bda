//! Where `--db` points: the embedded SQLite file (the default) or a PostgreSQL URL
//! shared by several workers. The commands that read and review (events, export,
//! serve, user, review) share the store interface ([`rasd_store::Backend`],
//! [`Target::backend`]); `rasd alert` still needs the embedded store.

use anyhow::{Context as _, bail};
use rasd_model::{Article, Event, RawDocument};
use rasd_store::{DocumentId, EventFilter, PutDocument, Store, StoredEvent};
use rasd_store_pg::{PgBatch, PgStore, is_postgres_url, redact};
use std::path::Path;

pub enum Target {
    Sqlite(Store),
    Postgres(Box<PgStore>),
}

/// The name to show for `db` (a URL without its password).
pub fn display(db: &Path) -> String {
    let s = db.to_string_lossy();
    if is_postgres_url(&s) {
        redact(&s)
    } else {
        db.display().to_string()
    }
}

/// True when `db` is a PostgreSQL URL.
pub fn is_postgres(db: &Path) -> bool {
    is_postgres_url(&db.to_string_lossy())
}

impl Target {
    /// Opens the store, creating it when `create` (ingest) and it does not exist.
    pub fn open(db: &Path, create: bool) -> anyhow::Result<Target> {
        if is_postgres(db) {
            let url = db.to_string_lossy();
            return Ok(Target::Postgres(Box::new(PgStore::connect(&url)?)));
        }
        if !create && !db.exists() {
            bail!(
                "no store at {} (create one with `rasd ingest PATH --db {}`)",
                db.display(),
                db.display()
            );
        }
        Ok(Target::Sqlite(
            Store::open(db).with_context(|| format!("store {}", db.display()))?,
        ))
    }

    /// The store as the interface both backends implement.
    pub fn backend(&mut self) -> &mut dyn rasd_store::Backend {
        match self {
            Target::Sqlite(s) => s,
            Target::Postgres(p) => p.as_mut(),
        }
    }

    pub fn batch(&mut self) -> anyhow::Result<TargetBatch<'_>> {
        Ok(match self {
            Target::Sqlite(s) => TargetBatch::Sqlite(s.batch()?),
            Target::Postgres(p) => TargetBatch::Postgres(p.batch()?),
        })
    }

    pub fn query_events(&mut self, filter: &EventFilter) -> anyhow::Result<Vec<StoredEvent>> {
        Ok(match self {
            Target::Sqlite(s) => s.query_events(filter)?,
            Target::Postgres(p) => p.query_events(filter)?,
        })
    }

    pub fn count_events(&mut self, filter: &EventFilter) -> anyhow::Result<u64> {
        Ok(match self {
            Target::Sqlite(s) => s.count_events(filter)?,
            Target::Postgres(p) => p.count_events(filter)?,
        })
    }
}

/// One transaction of either store.
pub enum TargetBatch<'a> {
    Sqlite(rasd_store::Batch<'a>),
    Postgres(PgBatch<'a>),
}

impl TargetBatch<'_> {
    pub fn put_documents(&mut self, docs: &[&RawDocument]) -> anyhow::Result<Vec<PutDocument>> {
        Ok(match self {
            TargetBatch::Sqlite(b) => docs
                .iter()
                .map(|d| b.put_document(d))
                .collect::<Result<_, _>>()?,
            TargetBatch::Postgres(b) => b.put_documents(docs)?,
        })
    }

    pub fn put_article(&mut self, id: DocumentId, article: &Article) -> anyhow::Result<()> {
        match self {
            TargetBatch::Sqlite(b) => b.put_article(id, article)?,
            TargetBatch::Postgres(b) => b.put_article(id, article)?,
        }
        Ok(())
    }

    pub fn put_events(&mut self, id: DocumentId, events: &[Event]) -> anyhow::Result<()> {
        match self {
            TargetBatch::Sqlite(b) => {
                b.put_events(id, events)?;
            }
            TargetBatch::Postgres(b) => {
                b.put_events(id, events)?;
            }
        }
        Ok(())
    }

    pub fn commit(self) -> anyhow::Result<()> {
        match self {
            TargetBatch::Sqlite(b) => b.commit()?,
            TargetBatch::Postgres(b) => b.commit()?,
        }
        Ok(())
    }
}

/// `--shard K/N`: this worker's share of the input, chosen by content hash so that
/// every worker agrees without talking to the others.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: u64,
    pub count: u64,
}

impl std::str::FromStr for Shard {
    type Err = String;
    fn from_str(s: &str) -> Result<Shard, String> {
        let bad = || format!("shard {s:?}: expected K/N with 0 <= K < N, e.g. 0/4");
        let (k, n) = s.split_once('/').ok_or_else(bad)?;
        let index: u64 = k.trim().parse().map_err(|_| bad())?;
        let count: u64 = n.trim().parse().map_err(|_| bad())?;
        if count == 0 || index >= count {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }
}

impl Shard {
    /// True when the document with these bytes is this worker's.
    pub fn takes(&self, bytes: &[u8]) -> bool {
        let hash = rasd_store::content_hash(bytes);
        let head = u64::from_str_radix(&hash[..16], 16).unwrap_or(0);
        head % self.count == self.index
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_parse_and_split_the_input_without_overlap() {
        assert!("4/4".parse::<Shard>().is_err());
        assert!("1/0".parse::<Shard>().is_err());
        assert!("x".parse::<Shard>().is_err());
        let shards: Vec<Shard> = (0..3).map(|k| format!("{k}/3").parse().unwrap()).collect();
        let mut per_shard = [0usize; 3];
        for i in 0..300 {
            let bytes = format!("document {i}");
            let owners: Vec<usize> = (0..3)
                .filter(|&k| shards[k].takes(bytes.as_bytes()))
                .collect();
            assert_eq!(owners.len(), 1, "each document has exactly one shard");
            per_shard[owners[0]] += 1;
        }
        assert!(per_shard.iter().all(|&n| n > 60), "{per_shard:?}");
    }

    #[test]
    fn urls_choose_postgres_and_hide_the_password() {
        let url = Path::new("postgres://rasd:hunter2@db/rasd");
        assert!(is_postgres(url));
        assert!(!display(url).contains("hunter2"));
        assert!(!is_postgres(Path::new("rasd.db")));
    }
}

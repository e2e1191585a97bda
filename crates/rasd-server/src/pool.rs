//! A small pool of store connections, of either backend ([`rasd_store::Backend`]):
//! both clients are synchronous, so every query runs on tokio's blocking threads with
//! a connection taken from here. A connection lost to a panicking query is replaced
//! by a fresh one from the same opener.

use crate::ServerError;
use rasd_store::{Backend, Store};
use std::path::Path;
use std::sync::{Arc, Mutex};
use tokio::sync::Semaphore;

/// A connection of either backend.
pub type Conn = Box<dyn Backend>;

type Opener = Box<dyn Fn() -> Result<Conn, ServerError> + Send + Sync>;

/// `size` open connections to one store (SQLite in WAL mode, or PostgreSQL).
pub struct Pool {
    open: Opener,
    conns: Mutex<Vec<Conn>>,
    permits: Arc<Semaphore>,
}

impl Pool {
    /// `size` connections to `db`: a PostgreSQL URL (`postgres://…`) or a SQLite file.
    pub fn open(db: &Path, size: usize) -> Result<Pool, ServerError> {
        let text = db.to_string_lossy().into_owned();
        if rasd_store_pg::is_postgres_url(&text) {
            return Pool::with_opener(size, move || {
                Ok(Box::new(
                    rasd_store_pg::PgStore::connect(&text)
                        .map_err(|e| ServerError::Store(rasd_store::StoreError::from(e)))?,
                ) as Conn)
            });
        }
        let path = db.to_path_buf();
        Pool::with_opener(size, move || Ok(Box::new(open_tuned(&path)?) as Conn))
    }

    /// `size` connections made by `open` (the first one migrates the schema; the
    /// others find it up to date).
    pub fn with_opener(
        size: usize,
        open: impl Fn() -> Result<Conn, ServerError> + Send + Sync + 'static,
    ) -> Result<Pool, ServerError> {
        let mut conns = Vec::with_capacity(size);
        for _ in 0..size {
            conns.push(open()?);
        }
        Ok(Pool {
            open: Box::new(open),
            conns: Mutex::new(conns),
            permits: Arc::new(Semaphore::new(size)),
        })
    }

    fn take(&self) -> Result<Conn, ServerError> {
        let popped = self.conns.lock().map_err(|_| poisoned())?.pop();
        match popped {
            Some(s) => Ok(s),
            None => (self.open)(),
        }
    }

    fn give_back(&self, conn: Conn) {
        if let Ok(mut v) = self.conns.lock() {
            v.push(conn);
        }
    }

    /// Runs `f` with a connection on a blocking thread.
    pub async fn run<T, F>(self: &Arc<Self>, f: F) -> Result<T, ServerError>
    where
        T: Send + 'static,
        F: FnOnce(&mut dyn Backend) -> Result<T, ServerError> + Send + 'static,
    {
        let _permit = self
            .permits
            .clone()
            .acquire_owned()
            .await
            .map_err(|e| ServerError::Internal(format!("pool closed: {e}")))?;
        let pool = self.clone();
        // Taking may open a connection, and the PostgreSQL client blocks on its own
        // runtime: both happen on the blocking thread, never on tokio's workers.
        tokio::task::spawn_blocking(move || {
            let mut conn = pool.take()?;
            let out = f(conn.as_mut());
            pool.give_back(conn);
            out
        })
        .await
        .map_err(|e| ServerError::Internal(format!("query task: {e}")))?
    }
}

impl Drop for Pool {
    /// The PostgreSQL client closes its connection by blocking on a runtime of its
    /// own, which may not happen on a tokio worker (where the server's state is
    /// dropped): the connections are closed on a thread of their own.
    fn drop(&mut self) {
        let conns = std::mem::take(self.conns.get_mut().unwrap_or_else(|e| e.into_inner()));
        let _ = std::thread::spawn(move || drop(conns)).join();
    }
}

/// Bytes of the database file a reading connection maps into memory: pages are then
/// read from the shared OS page cache without a system call each, which a B-tree
/// lookup per candidate (the planner's probes) otherwise pays several times.
pub const MMAP_BYTES: i64 = 8 << 30;
/// Each connection's own page cache, KiB (SQLite's default is 2 MB).
pub const CACHE_KIB: i64 = 32 * 1024;

/// A SQLite store with the server's read tuning.
fn open_tuned(path: &Path) -> Result<Store, ServerError> {
    let store = Store::open(path)?;
    let conn = store.connection();
    conn.pragma_update(None, "mmap_size", MMAP_BYTES)
        .and_then(|_| conn.pragma_update(None, "cache_size", -CACHE_KIB))
        .map_err(rasd_store::StoreError::from)?;
    Ok(store)
}

fn poisoned() -> ServerError {
    ServerError::Internal("store pool lock poisoned".into())
}

//! A small pool of store connections: rusqlite is synchronous, so every query runs on
//! tokio's blocking threads with a connection taken from here.

use crate::ServerError;
use rasd_store::Store;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use tokio::sync::Semaphore;

/// `size` open stores on one database file (WAL: readers do not block each other).
pub struct Pool {
    path: PathBuf,
    stores: Mutex<Vec<Store>>,
    permits: Arc<Semaphore>,
}

impl Pool {
    pub fn open(path: &Path, size: usize) -> Result<Pool, ServerError> {
        // The first open migrates; the others find the schema up to date.
        let mut stores = Vec::with_capacity(size);
        for _ in 0..size {
            stores.push(open_tuned(path)?);
        }
        Ok(Pool {
            path: path.to_path_buf(),
            stores: Mutex::new(stores),
            permits: Arc::new(Semaphore::new(size)),
        })
    }

    fn take(&self) -> Result<Store, ServerError> {
        let popped = self.stores.lock().map_err(|_| poisoned())?.pop();
        match popped {
            Some(s) => Ok(s),
            // A store lost to a panicking query is replaced.
            None => open_tuned(&self.path),
        }
    }

    fn give_back(&self, store: Store) {
        if let Ok(mut v) = self.stores.lock() {
            v.push(store);
        }
    }

    /// Runs `f` with a store on a blocking thread.
    pub async fn run<T, F>(self: &Arc<Self>, f: F) -> Result<T, ServerError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Store) -> Result<T, ServerError> + Send + 'static,
    {
        let _permit = self
            .permits
            .clone()
            .acquire_owned()
            .await
            .map_err(|e| ServerError::Internal(format!("pool closed: {e}")))?;
        let mut store = self.take()?;
        let pool = self.clone();
        tokio::task::spawn_blocking(move || {
            let out = f(&mut store);
            pool.give_back(store);
            out
        })
        .await
        .map_err(|e| ServerError::Internal(format!("query task: {e}")))?
    }
}

/// Bytes of the database file a reading connection maps into memory: pages are then
/// read from the shared OS page cache without a system call each, which a B-tree
/// lookup per candidate (the planner's probes) otherwise pays several times.
pub const MMAP_BYTES: i64 = 8 << 30;
/// Each connection's own page cache, KiB (SQLite's default is 2 MB).
pub const CACHE_KIB: i64 = 32 * 1024;

/// A store with the server's read tuning.
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

//! rasd-server: `rasd serve` — the HTTP API, the map dashboard and the review workflow
//! over either store (a SQLite file or a PostgreSQL URL), through the interface both
//! implement ([`rasd_store::Backend`]; see [`Pool`]).
//!
//! It owns the routes below, the dashboard assets embedded in the binary
//! (`assets/`, with the vendored Leaflet, Leaflet.markercluster and uPlot and their
//! licences, and Syria's governorate outlines), the analyst authentication and the
//! rate limits. The review tables themselves live in `rasd_store::review`.
//!
//! ```text
//! GET  /                          dashboard (assets under /assets/...)
//! GET  /openapi.json              OpenAPI 3.1 description of everything below
//! GET  /api/events                filtered, sorted, paged events
//! GET  /api/events/{id}           one event: record, evidence, source article, review history
//! GET  /api/events.geojson        filtered events as GeoJSON points
//! GET  /api/incidents             merged incidents (rasd_dedup clustering + analyst groups)
//! GET  /api/incidents/{id}        one incident: merged record, claims, sources, member events
//! GET  /api/articles/{doc_id}     article text with the span of every coded field
//! GET  /api/stats                 counts and fatalities per day/week, type, governorate
//! GET  /api/changes?since=&limit= every event and incident created, updated or deleted, in order
//! GET  /api/stream?since=         the same as Server-Sent Events (resumes at Last-Event-ID)
//! GET  /api/watch/sources         each source `rasd watch` polls: last success, last error, counts
//! GET  /api/export/{acled.csv|ucdp.csv|incidents.geojson|incidents.jsonl}
//!                                 (the event filters, `excel=true`, `acled_columns_only=true`)
//! GET  /api/audit                 the review audit log
//! GET  /api/me                    who the bearer token belongs to           (token)
//! POST /api/events/{id}/corrections {"changes": {field: value}, "note"}     (token)
//! POST /api/events/{id}/wrong       {"wrong": bool, "note"}                 (token)
//! POST /api/incidents/merge         {"incident_ids": [..], "note"}          (token)
//! POST /api/incidents/{id}/split    {"event_ids": [..], "note"}             (token)
//! GET  /api/review/orphans        review work whose event re-coding took away, with candidates
//! POST /api/review/orphans/{id}/attach  {"event_id", "note"}              (token)
//! POST /api/review/orphans/{id}/dismiss {"note"}                          (token)
//! ```
//!
//! Corrections need no help from the server to survive re-coding: the store applies
//! them whenever it writes a document's events (`rasd_store::review`).
//!
//! Rust API:
//! ```text
//! ServerConfig { db: PathBuf, pool_size: usize, limits: Limits }   ServerConfig::new(db)   // file or postgres:// URL
//! start(config: ServerConfig, addr: SocketAddr) -> Result<RunningServer, ServerError>
//! RunningServer { addr() -> SocketAddr, wait(self), shutdown(self) }
//! router(state: AppState) -> axum::Router      AppState::new(config) -> Result<AppState, ServerError>
//! new_token() -> String                          // 256-bit random, URL-safe
//! ```

mod api;
mod assets;
mod changes;
mod incidents;
mod limit;
mod openapi;
mod pool;
mod review_api;

pub use incidents::{IncidentRow, current_incidents, incidents_from_rows, source_of};
pub use limit::Limits;
pub use pool::Pool;

use axum::Router;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

/// Largest request body accepted (corrections are small JSON objects).
pub const MAX_BODY_BYTES: usize = 64 * 1024;
/// Default number of store connections serving requests.
pub const DEFAULT_POOL_SIZE: usize = 4;
/// Largest page of `/api/events` and `/api/incidents`.
pub const MAX_PAGE: u32 = 500;
/// Largest number of features in one `/api/events.geojson` answer.
pub const MAX_GEOJSON: u32 = 20_000;

/// The one error type of the server.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    #[error(transparent)]
    Store(#[from] rasd_store::StoreError),
    #[error("bad request: {0}")]
    BadRequest(String),
    #[error("not found: {0}")]
    NotFound(String),
    #[error("a valid bearer token is needed (Authorization: Bearer TOKEN)")]
    Unauthorized,
    #[error("too many requests; retry in a moment")]
    RateLimited,
    /// A change-feed cursor older than the compacted log can serve (410).
    #[error("gone: {0}")]
    Gone(String),
    #[error("cannot bind {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("export failed: {0}")]
    Export(#[from] rasd_dedup::DedupError),
    #[error("internal error: {0}")]
    Internal(String),
}

impl IntoResponse for ServerError {
    fn into_response(self) -> Response {
        let status = match &self {
            ServerError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ServerError::Store(rasd_store::StoreError::BadCorrection(_)) => {
                StatusCode::UNPROCESSABLE_ENTITY
            }
            ServerError::NotFound(_) | ServerError::Store(rasd_store::StoreError::NoEvent(_)) => {
                StatusCode::NOT_FOUND
            }
            ServerError::Unauthorized => StatusCode::UNAUTHORIZED,
            ServerError::RateLimited => StatusCode::TOO_MANY_REQUESTS,
            ServerError::Gone(_) => StatusCode::GONE,
            _ => StatusCode::INTERNAL_SERVER_ERROR,
        };
        if status == StatusCode::INTERNAL_SERVER_ERROR {
            tracing::error!("{self}");
        }
        let mut res = (
            status,
            axum::Json(serde_json::json!({"error": self.to_string()})),
        )
            .into_response();
        if status == StatusCode::UNAUTHORIZED {
            res.headers_mut().insert(
                axum::http::header::WWW_AUTHENTICATE,
                axum::http::HeaderValue::from_static("Bearer"),
            );
        }
        if status == StatusCode::TOO_MANY_REQUESTS {
            res.headers_mut().insert(
                axum::http::header::RETRY_AFTER,
                axum::http::HeaderValue::from_static("1"),
            );
        }
        res
    }
}

/// What `rasd serve` runs with.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    pub db: PathBuf,
    pub pool_size: usize,
    pub limits: Limits,
}

impl ServerConfig {
    pub fn new(db: impl Into<PathBuf>) -> Self {
        ServerConfig {
            db: db.into(),
            pool_size: DEFAULT_POOL_SIZE,
            limits: Limits::default(),
        }
    }
}

/// Shared state of the handlers.
#[derive(Clone)]
pub struct AppState {
    pub(crate) pool: Arc<Pool>,
    pub(crate) limiter: Arc<limit::RateLimiter>,
    pub(crate) incidents: Arc<incidents::IncidentCache>,
    /// Set when the server stops: change streams end, so graceful shutdown is not
    /// held open by them.
    pub(crate) closing: Arc<std::sync::atomic::AtomicBool>,
}

impl AppState {
    /// Opens the store (migrating it) with `config.pool_size` connections.
    pub fn new(config: &ServerConfig) -> Result<AppState, ServerError> {
        let pool = Arc::new(Pool::open(&config.db, config.pool_size.max(1))?);
        Ok(AppState {
            pool,
            limiter: Arc::new(limit::RateLimiter::new(config.limits.clone())),
            incidents: Arc::new(incidents::IncidentCache::default()),
            closing: Arc::new(std::sync::atomic::AtomicBool::new(false)),
        })
    }
}

/// Every route, with the body limit and the rate limits.
pub fn router(state: AppState) -> Router {
    use axum::routing::{get, post};
    Router::new()
        .route("/", get(assets::index))
        .route("/assets/{*path}", get(assets::asset))
        .route("/openapi.json", get(openapi::document))
        .route("/api/events", get(api::list_events))
        .route("/api/events.geojson", get(api::events_geojson))
        .route("/api/events/{id}", get(api::get_event))
        .route("/api/incidents", get(incidents::list_incidents))
        .route("/api/incidents/{id}", get(incidents::get_incident))
        .route("/api/articles/{doc_id}", get(api::get_article))
        .route("/api/stats", get(api::stats))
        .route("/api/changes", get(changes::list_changes))
        .route("/api/stream", get(changes::stream))
        .route("/api/watch/sources", get(changes::watch_sources))
        .route("/api/export/{file}", get(incidents::export))
        .route("/api/audit", get(review_api::audit))
        .route("/api/me", get(review_api::me))
        .route("/api/events/{id}/corrections", post(review_api::correct))
        .route("/api/events/{id}/wrong", post(review_api::mark_wrong))
        .route("/api/incidents/merge", post(review_api::merge))
        .route("/api/incidents/{id}/split", post(review_api::split))
        .route("/api/review/orphans", get(review_api::orphans))
        .route("/api/review/orphans/{id}/attach", post(review_api::attach))
        .route(
            "/api/review/orphans/{id}/dismiss",
            post(review_api::dismiss),
        )
        .fallback(|| async { ServerError::NotFound("no such route".into()) })
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            limit::middleware,
        ))
        .layer(axum::extract::DefaultBodyLimit::max(MAX_BODY_BYTES))
        .with_state(state)
}

/// A 256-bit random token, hex: what `rasd user add` prints.
pub fn new_token() -> Result<String, ServerError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| ServerError::Internal(format!("randomness: {e}")))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// A server running on its own thread (and tokio runtime).
pub struct RunningServer {
    addr: SocketAddr,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl RunningServer {
    /// The address it listens on (useful after binding port 0).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Blocks until the server stops (it stops on Ctrl-C).
    pub fn wait(mut self) {
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }

    /// Stops the server and waits for it.
    pub fn shutdown(mut self) {
        self.stop();
    }

    fn stop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for RunningServer {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Opens the store, binds `addr` (loopback in tests; port 0 picks a free port) and
/// serves on a background thread until [`RunningServer::shutdown`] or Ctrl-C.
pub fn start(config: ServerConfig, addr: SocketAddr) -> Result<RunningServer, ServerError> {
    let state = AppState::new(&config)?;
    let std_listener =
        std::net::TcpListener::bind(addr).map_err(|source| ServerError::Bind { addr, source })?;
    std_listener
        .set_nonblocking(true)
        .map_err(|source| ServerError::Bind { addr, source })?;
    let local = std_listener
        .local_addr()
        .map_err(|source| ServerError::Bind { addr, source })?;
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get().min(4));
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(workers)
        .enable_all()
        .build()
        .map_err(|e| ServerError::Internal(format!("tokio runtime: {e}")))?;
    let thread = std::thread::Builder::new()
        .name("rasd-server".into())
        .spawn(move || {
            runtime.block_on(async move {
                let listener = match tokio::net::TcpListener::from_std(std_listener) {
                    Ok(l) => l,
                    Err(e) => {
                        tracing::error!("listener: {e}");
                        return;
                    }
                };
                let closing = state.closing.clone();
                let app = router(state).into_make_service_with_connect_info::<SocketAddr>();
                let stop = async move {
                    tokio::select! {
                        _ = rx => {}
                        _ = tokio::signal::ctrl_c() => {}
                    }
                    closing.store(true, std::sync::atomic::Ordering::SeqCst);
                };
                if let Err(e) = axum::serve(listener, app)
                    .with_graceful_shutdown(stop)
                    .await
                {
                    tracing::error!("server: {e}");
                }
            });
        })
        .map_err(|e| ServerError::Internal(format!("server thread: {e}")))?;
    Ok(RunningServer {
        addr: local,
        shutdown: Some(tx),
        thread: Some(thread),
    })
}

//! `rasd serve [--db rasd.db] [--addr 127.0.0.1:8080]`: the HTTP API and the map
//! dashboard over the store (rasd_server).

use anyhow::Context as _;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// The store written by `rasd ingest`: a SQLite file or a PostgreSQL URL
    /// (`postgres://user:password@host/db`) shared by several workers.
    #[arg(long, default_value = "rasd.db")]
    pub db: PathBuf,
    /// Address to listen on (keep it on loopback unless a proxy guards it).
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    /// Store connections serving requests.
    #[arg(long, default_value_t = rasd_server::DEFAULT_POOL_SIZE)]
    pub pool: usize,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    if !crate::target::is_postgres(&args.db) && !args.db.exists() {
        anyhow::bail!(
            "{}: no store here; run `rasd ingest PATH --db {}` first",
            args.db.display(),
            args.db.display()
        );
    }
    let mut config = rasd_server::ServerConfig::new(&args.db);
    config.pool_size = args.pool.max(1);
    let server = rasd_server::start(config, args.addr).with_context(|| {
        format!(
            "starting the server on {} over {}",
            args.addr,
            crate::target::display(&args.db)
        )
    })?;
    eprintln!(
        "rasd: dashboard on http://{}/ (API: /api/events, /openapi.json); Ctrl-C stops",
        server.addr()
    );
    server.wait();
    Ok(ExitCode::SUCCESS)
}

//! `rasd`: the command-line tool. One file per subcommand in `commands/`; the
//! pipeline shared by `ingest` and `code` is in `pipeline.rs`.
//!
//! Exit codes: 0 everything went well, 1 some input failed (or a gate failed, or
//! the command could not run), 2 the command line was wrong.

mod commands;
mod incidents;
mod pipeline;
mod progress;
mod target;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "rasd",
    version,
    about = "Arabic conflict news -> ACLED-coded, geolocated, deduplicated events",
    propagate_version = true
)]
struct Cli {
    /// More log output on stderr (-v info, -vv debug); RUST_LOG overrides.
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    verbose: u8,
    /// Only errors on stderr.
    #[arg(short, long, global = true)]
    quiet: bool,
    #[command(subcommand)]
    command: Command,
}

// Each variant is `Name(commands::name::Args)` and dispatches to `commands::name::run`.
#[derive(Subcommand)]
enum Command {
    /// Read files and folders into the store: documents, articles, coded events.
    Ingest(commands::ingest::Args),
    /// Run the pipeline without a store and print one record of events per document.
    Code(commands::code::Args),
    /// Print the article extracted from each document.
    Extract(commands::extract::Args),
    /// List stored events, filtered.
    Events(commands::events::Args),
    /// Score predicted events against a gold set (as score_events.py does).
    Eval(commands::eval::Args),
    /// Serve the HTTP API and the map dashboard over the store.
    Serve(commands::serve::Args),
    /// Manage the analysts who may correct events (`rasd user add NAME` prints a token).
    User(commands::user::Args),
    /// List the places named in an Arabic text with the gazetteer entry chosen for each.
    Geocode(commands::geocode::Args),
    /// Merged incidents as ACLED CSV, UCDP GED-style CSV, GeoJSON or JSON Lines.
    Export(commands::export::Args),
    /// Analyst review from the command line: orphaned corrections, re-attaching, correcting.
    Review(commands::review::Args),
    /// Poll news feeds and listing pages, storing and coding each new item as it appears.
    Watch(commands::watch::Args),
    /// Saved filters that POST each new matching incident to a webhook, once.
    Alert(commands::alert::Args),
}

fn init_logging(verbose: u8, quiet: bool) {
    use tracing_subscriber::EnvFilter;
    let default = match (quiet, verbose) {
        (true, _) => "error",
        (false, 0) => "warn",
        (false, 1) => "info",
        (false, _) => "debug",
    };
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_target(false)
        .without_time()
        .init();
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging(cli.verbose, cli.quiet);
    progress::set_quiet(cli.quiet);
    let result = match cli.command {
        Command::Ingest(args) => commands::ingest::run(args),
        Command::Code(args) => commands::code::run(args),
        Command::Extract(args) => commands::extract::run(args),
        Command::Events(args) => commands::events::run(args),
        Command::Eval(args) => commands::eval::run(args),
        Command::Serve(args) => commands::serve::run(args),
        Command::User(args) => commands::user::run(args),
        Command::Geocode(args) => commands::geocode::run(args),
        Command::Export(args) => commands::export::run(args),
        Command::Review(args) => commands::review::run(args),
        Command::Watch(args) => commands::watch::run(args),
        Command::Alert(args) => commands::alert::run(args),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("rasd: error: {e:#}");
            ExitCode::from(1)
        }
    }
}

//! One module per subcommand: `pub struct Args` (clap) and
//! `pub fn run(args: Args) -> anyhow::Result<std::process::ExitCode>`.

pub mod alert;
pub mod code;
pub mod eval;
pub mod events;
pub mod export;
pub mod extract;
pub mod geocode;
pub mod ingest;
pub mod review;
pub mod serve;
pub mod user;
pub mod watch;

//! `rasd user add NAME [--db rasd.db|postgres://…]`: registers an analyst for the
//! review API and `rasd review`, and prints their bearer token once (the store keeps
//! only its sha256). `rasd user list`: the analysts.

use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub action: Action,
}

#[derive(clap::Subcommand)]
pub enum Action {
    /// Add an analyst and print their token.
    Add {
        name: String,
        /// The store: a SQLite file or a PostgreSQL URL.
        #[arg(long, default_value = "rasd.db")]
        db: PathBuf,
    },
    /// List the analysts.
    List {
        #[arg(long, default_value = "rasd.db")]
        db: PathBuf,
    },
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    use crate::target::Target;
    match args.action {
        Action::Add { name, db } => {
            let mut store = Target::open(&db, false)?;
            let token = rasd_server::new_token()?;
            let user = match &mut store {
                Target::Sqlite(s) => s.add_user(&name, &token)?,
                Target::Postgres(p) => p.add_user(&name, &token)?,
            };
            eprintln!(
                "added analyst {:?}; their token (shown once, send it as `Authorization: Bearer TOKEN`):",
                user.name
            );
            println!("{token}");
        }
        Action::List { db } => {
            let users = match Target::open(&db, false)? {
                Target::Sqlite(s) => s.users()?,
                Target::Postgres(mut p) => p.users()?,
            };
            for u in users {
                println!("{}\t{}", u.name, u.created_at);
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

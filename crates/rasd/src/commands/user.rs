//! `rasd user add NAME [--db rasd.db]`: registers an analyst for the review API and
//! prints their bearer token once (the store keeps only its sha256).
//! `rasd user list`: the analysts.

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
    match args.action {
        Action::Add { name, db } => {
            crate::target::require_sqlite(&db, "the review workflow")?;
            let store = rasd_store::Store::open(&db)?;
            let token = rasd_server::new_token()?;
            let user = store.add_user(&name, &token)?;
            eprintln!(
                "added analyst {:?}; their token (shown once, send it as `Authorization: Bearer TOKEN`):",
                user.name
            );
            println!("{token}");
        }
        Action::List { db } => {
            crate::target::require_sqlite(&db, "the review workflow")?;
            let store = rasd_store::Store::open(&db)?;
            for u in store.users()? {
                println!("{}\t{}", u.name, u.created_at);
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

//! `rasd user add NAME [--db rasd.db|postgres://…]`: registers an analyst for the
//! review API and `rasd review`, and prints their bearer token once (the store keeps
//! only its sha256). `rasd user list`: the analysts.

use rasd_store::review::ReviewStore;
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
    let db = match &args.action {
        Action::Add { db, .. } | Action::List { db } => db.clone(),
    };
    match Target::open(&db, false)? {
        Target::Sqlite(mut s) => act(&mut s, args.action)?,
        Target::Postgres(mut p) => act(&mut *p, args.action)?,
    }
    Ok(ExitCode::SUCCESS)
}

fn act<S: ReviewStore>(store: &mut S, action: Action) -> anyhow::Result<()> {
    match action {
        Action::Add { name, .. } => {
            let token = rasd_server::new_token()?;
            let user = store.add_user(&name, &token)?;
            eprintln!(
                "added analyst {:?}; their token (shown once, send it as `Authorization: Bearer TOKEN`):",
                user.name
            );
            println!("{token}");
        }
        Action::List { .. } => {
            for u in store.users()? {
                println!("{}\t{}", u.name, u.created_at);
            }
        }
    }
    Ok(())
}

//! `rasd review …`: analyst review from the command line, on either store.
//!
//! - `rasd review orphans [--format table|json]`: corrections, wrong marks and incident
//!   groups whose event re-coding took away (the key no longer matches, or the coder
//!   split the event), each with the event as the analyst saw it, the changes and the
//!   document's current events ranked as candidates;
//! - `rasd review attach ORPHAN EVENT --as NAME`: puts an orphan's changes onto an
//!   event of its document; `rasd review dismiss ORPHAN --as NAME` sets it aside;
//! - `rasd review correct EVENT --set FIELD=VALUE… --as NAME`: corrects an event, as
//!   `POST /api/events/{id}/corrections` does.
//!
//! Changes are recorded under the analyst named by `--as` (see `rasd user`).

use crate::target::{Target, display};
use anyhow::{Context as _, bail};
use rasd_model::Event;
use rasd_store::EventId;
use rasd_store::review::{Orphan, ReviewStore, User};
use serde_json::Value;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub action: Action,
}

#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum OrphanFormat {
    Table,
    Json,
}

#[derive(clap::Subcommand)]
pub enum Action {
    /// List review work whose event re-coding took away, with candidate events.
    Orphans {
        #[arg(long, default_value = "rasd.db")]
        db: PathBuf,
        #[arg(long, value_enum, default_value = "table")]
        format: OrphanFormat,
    },
    /// Put an orphan's changes onto one event of its document.
    Attach {
        orphan: i64,
        event: i64,
        /// The analyst making the change (`rasd user list`).
        #[arg(long = "as")]
        user: String,
        #[arg(long)]
        note: Option<String>,
        #[arg(long, default_value = "rasd.db")]
        db: PathBuf,
    },
    /// Set an orphan aside: its changes stay on record and apply to nothing.
    Dismiss {
        orphan: i64,
        #[arg(long = "as")]
        user: String,
        #[arg(long)]
        note: Option<String>,
        #[arg(long, default_value = "rasd.db")]
        db: PathBuf,
    },
    /// Correct fields of an event: --set fatalities=9 --set location.name=طفس.
    Correct {
        event: i64,
        /// FIELD=VALUE; VALUE is read as JSON when it parses (9, null, ["a"]), else as text.
        #[arg(long = "set", required = true)]
        set: Vec<String>,
        #[arg(long = "as")]
        user: String,
        #[arg(long)]
        note: Option<String>,
        #[arg(long, default_value = "rasd.db")]
        db: PathBuf,
    },
}

fn open(db: &std::path::Path) -> anyhow::Result<Target> {
    Target::open(db, false).with_context(|| format!("opening {}", display(db)))
}

fn analyst<S: ReviewStore>(store: &mut S, name: &str) -> anyhow::Result<User> {
    store
        .user_by_name(name)?
        .with_context(|| format!("no analyst {name:?}; add one with `rasd user add {name}`"))
}

/// `FIELD=VALUE` → (field, JSON value).
fn parse_set(s: &str) -> anyhow::Result<(String, Value)> {
    let Some((field, value)) = s.split_once('=') else {
        bail!("--set {s:?}: expected FIELD=VALUE, e.g. fatalities=9");
    };
    let value = serde_json::from_str(value).unwrap_or_else(|_| Value::String(value.to_string()));
    Ok((field.trim().to_string(), value))
}

fn summary(e: &Event) -> String {
    let toll = e
        .fatalities
        .map_or_else(|| "-".to_string(), |f| f.to_string());
    format!(
        "{} {} {} | {} | fatalities {toll}",
        e.sub_event_type.as_str(),
        e.date_start,
        e.location.name,
        e.actor1
    )
}

fn print_table(orphans: &[Orphan]) {
    if orphans.is_empty() {
        println!("no orphans: every analyst change is attached to an event");
        return;
    }
    for o in orphans {
        println!(
            "orphan {}  {}  {}  since {}",
            o.id,
            o.doc_id,
            o.reason.as_deref().unwrap_or("-"),
            o.since
        );
        match &o.original {
            Some(e) => println!("  reviewed event: {}", summary(e)),
            None => println!("  reviewed event: {} (not kept)", o.event_key),
        }
        for c in &o.corrections {
            let what = match (c.kind.as_str(), &c.field) {
                ("field", Some(f)) => format!("{f} = {}", c.value),
                (kind, _) => format!("{kind} = {}", c.value),
            };
            let note = c
                .note
                .as_deref()
                .map(|n| format!(" ({n})"))
                .unwrap_or_default();
            println!("  change: {what} by {} at {}{note}", c.user, c.created_at);
        }
        if o.candidates.is_empty() {
            println!("  no candidate: the document has no events now");
        }
        for c in &o.candidates {
            let shared = if c.shares_evidence {
                " shares a sentence;"
            } else {
                ""
            };
            println!(
                "  candidate event {}:{shared} {}",
                c.event_id,
                summary(&c.event)
            );
        }
    }
}

/// The store `action` names.
fn db_of(action: &Action) -> &std::path::Path {
    match action {
        Action::Orphans { db, .. }
        | Action::Attach { db, .. }
        | Action::Dismiss { db, .. }
        | Action::Correct { db, .. } => db,
    }
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    match open(db_of(&args.action))? {
        Target::Sqlite(mut s) => act(&mut s, args.action)?,
        Target::Postgres(mut p) => act(&mut *p, args.action)?,
    }
    Ok(ExitCode::SUCCESS)
}

/// Does `action` on either store, through the one review interface.
fn act<S: ReviewStore>(store: &mut S, action: Action) -> anyhow::Result<()> {
    match action {
        Action::Orphans { format, .. } => {
            let orphans = store.orphans()?;
            match format {
                OrphanFormat::Json => println!("{}", serde_json::to_string_pretty(&orphans)?),
                OrphanFormat::Table => print_table(&orphans),
            }
        }
        Action::Attach {
            orphan,
            event,
            user,
            note,
            ..
        } => {
            let user = analyst(store, &user)?;
            let e = store.reattach(orphan, EventId(event), &user, note.as_deref())?;
            println!("orphan {orphan} attached to event {event}: {}", summary(&e));
        }
        Action::Dismiss {
            orphan, user, note, ..
        } => {
            let user = analyst(store, &user)?;
            store.dismiss_orphan(orphan, &user, note.as_deref())?;
            println!("orphan {orphan} dismissed");
        }
        Action::Correct {
            event,
            set,
            user,
            note,
            ..
        } => {
            let changes = set
                .iter()
                .map(|s| parse_set(s))
                .collect::<anyhow::Result<Vec<_>>>()?;
            let user = analyst(store, &user)?;
            let e = store.correct_event(EventId(event), &user, &changes, note.as_deref())?;
            println!("event {event} corrected: {}", summary(&e));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_values_are_json_when_they_parse() {
        assert_eq!(
            parse_set("fatalities=9").unwrap(),
            ("fatalities".into(), serde_json::json!(9))
        );
        assert_eq!(
            parse_set("location.name=طفس").unwrap(),
            ("location.name".into(), serde_json::json!("طفس"))
        );
        assert_eq!(parse_set("actor2=null").unwrap().1, Value::Null);
        assert!(parse_set("fatalities").is_err());
    }
}

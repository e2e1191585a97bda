//! `rasd alert add|list|rm|run`: saved filters that POST a JSON payload to a webhook
//! once per new matching incident. The store keeps the alerts and their outbox
//! (`rasd_store::alerts`); rasd-watch sends (`rasd_watch::alerts`), inside
//! `rasd watch` or here with `rasd alert run` for stores filled by batch ingests.

use rasd_model::{EventType, SubEventType};
use rasd_store::Store;
use rasd_store::alerts::{AlertFilter, AlertStore};
use rasd_watch::alerts::{AlertSettings, Sender, check_webhook};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub action: Action,
}

#[derive(clap::Subcommand)]
pub enum Action {
    /// Save an alert: a filter and the webhook each new matching incident is POSTed to.
    /// Incidents that match already are not sent; one that comes to match later
    /// (a report adds deaths, say) is sent then, once.
    Add(AddArgs),
    /// List the alerts with what they delivered, what waits and the last error.
    List {
        #[arg(long, default_value = "rasd.db")]
        db: PathBuf,
        /// As JSON.
        #[arg(long)]
        json: bool,
    },
    /// Remove an alert (deliveries not yet made are dropped).
    Rm {
        name: String,
        #[arg(long, default_value = "rasd.db")]
        db: PathBuf,
    },
    /// Send what the alerts owe: until SIGTERM, or with --once what is due now.
    /// `rasd watch` does this by itself; this is for stores filled by `rasd ingest`
    /// (run `rasd export` first, which clusters the events into incidents).
    Run {
        #[arg(long, default_value = "rasd.db")]
        db: PathBuf,
        /// Queue and send what is due now, then exit (failed deliveries wait for the
        /// next run, at their retry time).
        #[arg(long)]
        once: bool,
        /// The wait after a first failed attempt (doubling per failure, up to 1h).
        #[arg(long, default_value = "5s", value_parser = parse_duration)]
        retry_base: Duration,
        /// The longest a webhook may take to answer.
        #[arg(long, default_value = "15s", value_parser = parse_duration)]
        timeout: Duration,
    },
}

#[derive(clap::Args)]
pub struct AddArgs {
    /// The alert's name (letters, digits, '-', '_' and '.').
    #[arg(long, value_parser = parse_name)]
    pub name: String,
    /// Where to POST: an http:// or https:// URL.
    #[arg(long, value_name = "URL", value_parser = parse_webhook)]
    pub webhook: String,
    #[arg(long, default_value = "rasd.db")]
    pub db: PathBuf,
    /// Event type, e.g. battles, explosions_remote_violence.
    #[arg(long = "type", value_parser = parse_type)]
    pub event_type: Option<EventType>,
    /// Sub-event type, e.g. air_drone_strike.
    #[arg(long, value_parser = parse_sub_type)]
    pub sub_type: Option<SubEventType>,
    /// Governorate (Arabic, e.g. درعا).
    #[arg(long)]
    pub admin1: Option<String>,
    /// District (Arabic).
    #[arg(long)]
    pub admin2: Option<String>,
    /// A place: the event's town or its district or governorate (Arabic).
    #[arg(long)]
    pub place: Option<String>,
    /// An actor: a name, or the start of one of its words, compared after folding.
    #[arg(long)]
    pub actor: Option<String>,
    /// Words that must all occur in the evidence, place or actors.
    #[arg(long)]
    pub text: Option<String>,
    /// Country, as its ISO 3166-1 alpha-2 code (SY, LB, IQ, ...).
    #[arg(long, value_parser = parse_country)]
    pub country: Option<String>,
    #[arg(long)]
    pub min_fatalities: Option<u32>,
}

fn parse_type(s: &str) -> Result<EventType, String> {
    s.parse().map_err(|e| format!("{e}"))
}

fn parse_sub_type(s: &str) -> Result<SubEventType, String> {
    s.parse().map_err(|e| format!("{e}"))
}

fn parse_duration(s: &str) -> Result<Duration, String> {
    rasd_watch::config::parse_duration(s)
}

fn parse_webhook(s: &str) -> Result<String, String> {
    check_webhook(s).map(|()| s.to_string())
}

fn parse_name(s: &str) -> Result<String, String> {
    if s.is_empty() || s.chars().count() > 64 {
        return Err(format!("alert name {s:?}: give 1 to 64 characters"));
    }
    if let Some(c) = s
        .chars()
        .find(|c| !(c.is_alphanumeric() || matches!(c, '-' | '_' | '.')))
    {
        return Err(format!(
            "alert name {s:?}: {c:?} is not allowed (letters, digits, '-', '_' and '.')"
        ));
    }
    Ok(s.to_string())
}

fn parse_country(s: &str) -> Result<String, String> {
    let up = s.trim().to_ascii_uppercase();
    if up.len() == 2 && up.chars().all(|c| c.is_ascii_uppercase()) {
        Ok(up)
    } else {
        Err(format!(
            "country {s:?}: give the two-letter ISO code (SY, LB, IQ, ...)"
        ))
    }
}

/// Opens an existing store (every action but `add`, which may create it).
/// The store at `db`: an existing embedded store, or a PostgreSQL database (its
/// schema made on first connection), where several senders may share the outbox.
fn existing(db: &Path) -> anyhow::Result<Box<dyn AlertStore>> {
    if crate::target::is_postgres(db) {
        let url = db.to_string_lossy();
        return Ok(Box::new(rasd_store_pg::PgStore::connect(&url)?));
    }
    if !db.exists() {
        anyhow::bail!("{}: no store here (give --db the store)", db.display());
    }
    Ok(Box::new(Store::open(db)?))
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    match args.action {
        Action::Add(a) => add(a),
        Action::List { db, json } => list(&db, json),
        Action::Rm { name, db } => {
            let mut store = existing(&db)?;
            if !store.remove_alert(&name)? {
                anyhow::bail!(
                    "no alert named {name:?} in {} (rasd alert list shows them)",
                    crate::target::display(&db)
                );
            }
            eprintln!("removed alert {name:?}");
            Ok(ExitCode::SUCCESS)
        }
        Action::Run {
            db,
            once,
            retry_base,
            timeout,
        } => send(&db, once, retry_base, timeout),
    }
}

fn add(a: AddArgs) -> anyhow::Result<ExitCode> {
    let filter = AlertFilter {
        event_type: a.event_type,
        sub_event_type: a.sub_type,
        admin1: a.admin1,
        admin2: a.admin2,
        place: a.place,
        actor: a.actor,
        text: a.text,
        country: a.country,
        min_fatalities: a.min_fatalities,
    };
    let mut store: Box<dyn AlertStore> = if crate::target::is_postgres(&a.db) {
        Box::new(rasd_store_pg::PgStore::connect(&a.db.to_string_lossy())?)
    } else {
        Box::new(Store::open(&a.db)?)
    };
    let alert = store.add_alert(&a.name, &filter, &a.webhook)?;
    eprintln!(
        "added alert {:?}: {} → POST {}",
        alert.name,
        alert.filter.describe(),
        alert.webhook
    );
    Ok(ExitCode::SUCCESS)
}

fn list(db: &Path, json: bool) -> anyhow::Result<ExitCode> {
    let mut store = existing(db)?;
    let alerts = store.alerts()?;
    if json {
        println!("{}", serde_json::to_string_pretty(&alerts)?);
        return Ok(ExitCode::SUCCESS);
    }
    if alerts.is_empty() {
        println!(
            "{}: no alerts (rasd alert add saves one)",
            crate::target::display(db)
        );
        return Ok(ExitCode::SUCCESS);
    }
    println!(
        "{:<20} {:>5} {:>5} {:>5}  {:<40} filter / last error",
        "alert", "sent", "wait", "fail", "webhook"
    );
    for s in alerts {
        println!(
            "{:<20} {:>5} {:>5} {:>5}  {:<40} {}",
            s.alert.name,
            s.delivered,
            s.pending,
            s.failed,
            s.alert.webhook,
            s.alert.filter.describe()
        );
        if let Some(e) = &s.last_error {
            println!("{:<20} last error: {e}", "");
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn send(
    db: &Path,
    once: bool,
    retry_base: Duration,
    timeout: Duration,
) -> anyhow::Result<ExitCode> {
    let settings = AlertSettings {
        retry_base,
        timeout,
        ..AlertSettings::default()
    };
    let sender = Sender::new(settings);
    if once {
        let mut store = existing(db)?;
        let t = sender.round(store.as_mut(), &AtomicBool::new(false))?;
        eprintln!(
            "rasd: {} deliveries queued, {} delivered, {} attempts failed ({} given up)",
            t.queued, t.delivered, t.failed_attempts, t.given_up
        );
        return Ok(ExitCode::SUCCESS);
    }
    drop(existing(db)?);
    let stop = Arc::new(AtomicBool::new(false));
    rasd_watch::stop_on_signals(stop.clone())?;
    eprintln!(
        "rasd: sending alerts from {}; SIGTERM or Ctrl-C stops",
        crate::target::display(db)
    );
    let t = sender.run(db, &stop)?;
    eprintln!(
        "rasd: stopped: {} delivered, {} attempts failed ({} given up)",
        t.delivered, t.failed_attempts, t.given_up
    );
    Ok(ExitCode::SUCCESS)
}

//! ACLED CSV: ACLED's columns in ACLED's order, one row per active day.
//!
//! A span of N days gives N rows; the fatalities are split evenly with the remainder
//! on the first day; a vague amount becomes ACLED's number; `time_precision` and
//! `geo_precision` use ACLED's codes; the split, the sources' figures and any dispute
//! go to `notes`. Columns rasd has no data for (`tags`, `source_scale`) stay empty.
//!
//! The values are ACLED's too, so that the rows sit beside an ACLED download:
//! - actors carry ACLED's names from the register's `acled` column, state forces the
//!   name of the period the row's day falls in («Military Forces of Syria
//!   (2000-2024)»); an actor the register has no ACLED name for keeps rasd's name;
//! - `inter1`/`inter2` are ACLED's actor-type labels («State forces», «Rebel group»,
//!   …, «External/Other forces») and `interaction` the label of the pair as ACLED's
//!   interaction table writes it («State forces-Civilians», «Rioters only»);
//! - `location` and `admin1`–`admin3` are English, ASCII, as ACLED writes them
//!   ([`super::places`]); the Arabic names follow in `location_ar`, `admin1_ar`,
//!   `admin2_ar` and `admin3_ar` after ACLED's columns (unless
//!   [`ExportOptions::arabic_columns`] is off);
//! - `event_id_cnty` is the country's ISO alpha-3 code, `RASD` and the incident's stored
//!   number («SYRRASD12»), so it stays the same from one export to the next and never
//!   collides with one of ACLED's own (digits only after the code); the second and later
//!   days of a multi-day incident add `-2`, `-3`, ….

use super::countries::country;
use super::places::english;
use super::{ExportOptions, csv_writer};
use crate::DedupError;
use crate::actors::ActorKind;
use crate::incident::IncidentRecord;
use rasd_model::{EventType, SubEventType};
use std::io::Write;

/// The Arabic columns written after ACLED's.
pub const ARABIC_COLUMNS: [&str; 4] = ["location_ar", "admin1_ar", "admin2_ar", "admin3_ar"];

/// What `event_id_cnty` puts between the country code and the incident number.
pub const ID_MARK: &str = "RASD";

/// ACLED's export columns, in order.
pub const COLUMNS: [&str; 31] = [
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
];

/// ACLED's name of an event type.
pub fn event_type_label(t: EventType) -> &'static str {
    match t {
        EventType::Battles => "Battles",
        EventType::ExplosionsRemoteViolence => "Explosions/Remote violence",
        EventType::ViolenceAgainstCivilians => "Violence against civilians",
        EventType::Protests => "Protests",
        EventType::Riots => "Riots",
        EventType::StrategicDevelopments => "Strategic developments",
    }
}

/// ACLED's name of a sub-event type.
pub fn sub_event_type_label(s: SubEventType) -> &'static str {
    use SubEventType::*;
    match s {
        ArmedClash => "Armed clash",
        GovernmentRegainsTerritory => "Government regains territory",
        NonStateActorOvertakesTerritory => "Non-state actor overtakes territory",
        ChemicalWeapon => "Chemical weapon",
        AirDroneStrike => "Air/drone strike",
        SuicideBomb => "Suicide bomb",
        ShellingArtilleryMissileAttack => "Shelling/artillery/missile attack",
        RemoteExplosiveLandmineIed => "Remote explosive/landmine/IED",
        Grenade => "Grenade",
        SexualViolence => "Sexual violence",
        Attack => "Attack",
        AbductionForcedDisappearance => "Abduction/forced disappearance",
        PeacefulProtest => "Peaceful protest",
        ProtestWithIntervention => "Protest with intervention",
        ExcessiveForceAgainstProtesters => "Excessive force against protesters",
        ViolentDemonstration => "Violent demonstration",
        MobViolence => "Mob violence",
        Agreement => "Agreement",
        Arrests => "Arrests",
        ChangeToGroupActivity => "Change to group/activity",
        DisruptedWeaponsUse => "Disrupted weapons use",
        HeadquartersOrBaseEstablished => "Headquarters or base established",
        LootingPropertyDestruction => "Looting/property destruction",
        NonViolentTransferOfTerritory => "Non-violent transfer of territory",
        Other => "Other",
    }
}

/// ACLED's disorder type of a sub-event type.
pub fn disorder_type(s: SubEventType) -> &'static str {
    use SubEventType::*;
    match s.event_type() {
        EventType::Battles
        | EventType::ExplosionsRemoteViolence
        | EventType::ViolenceAgainstCivilians => "Political violence",
        EventType::Protests | EventType::Riots => match s {
            ExcessiveForceAgainstProtesters | MobViolence => "Political violence; Demonstrations",
            _ => "Demonstrations",
        },
        EventType::StrategicDevelopments => "Strategic developments",
    }
}

/// Splits `total` over `days` days: even shares, the remainder on the first day.
pub fn split_even(total: u32, days: u32) -> Vec<u32> {
    let days = days.max(1);
    let share = total / days;
    let mut out = vec![share; days as usize];
    out[0] += total % days;
    out
}

/// The death toll ACLED would write: the figure, or the number for a vague amount, or 0.
pub fn acled_fatalities(r: &IncidentRecord) -> (u32, Option<String>) {
    match (r.event.fatalities, r.event.fatalities_vague) {
        (Some(f), _) => (f, None),
        (None, Some(v)) => (
            v.acled_number(),
            Some(format!(
                "The sources give only a vague toll ({v}), coded as {}.",
                v.acled_number()
            )),
        ),
        (None, None) => (0, None),
    }
}

/// ACLED's interaction label of two actor types: the pair in the order of ACLED's numeric
/// codes (lower first), «X only» for one actor. ACLED's table names 78 (civilians with
/// external forces) the other way round.
pub fn interaction(a: Option<ActorKind>, b: Option<ActorKind>) -> String {
    match (a, b) {
        (Some(a), Some(b)) => {
            let (lo, hi) = if a.acled_inter() <= b.acled_inter() {
                (a, b)
            } else {
                (b, a)
            };
            if (lo, hi) == (ActorKind::Civilians, ActorKind::ExternalForces) {
                format!("{}-{}", hi.acled_label(), lo.acled_label())
            } else {
                format!("{}-{}", lo.acled_label(), hi.acled_label())
            }
        }
        (Some(a), None) | (None, Some(a)) => format!("{} only", a.acled_label()),
        (None, None) => String::new(),
    }
}

/// ACLED's numeric code of an interaction label (10 … 88), as its API filters take it.
pub fn interaction_code(a: Option<ActorKind>, b: Option<ActorKind>) -> Option<u8> {
    match (a, b) {
        (Some(a), Some(b)) => {
            let (x, y) = (a.acled_inter(), b.acled_inter());
            Some(x.min(y) * 10 + x.max(y))
        }
        (Some(a), None) | (None, Some(a)) => Some(a.acled_inter() * 10),
        (None, None) => None,
    }
}

struct Names<'a> {
    place: &'a str,
    actor1: &'a str,
    actor2: Option<&'a str>,
}

fn notes(
    r: &IncidentRecord,
    names: &Names<'_>,
    days: u32,
    split: &[u32],
    vague_note: Option<&str>,
) -> String {
    let e = &r.event;
    let when = if e.date_end != e.date_start {
        format!("From {} to {}", e.date_start, e.date_end)
    } else {
        format!("On {}", e.date_start)
    };
    let mut n = format!(
        "{when}: {} in {}, {}",
        sub_event_type_label(e.sub_event_type).to_lowercase(),
        names.place,
        names.actor1
    );
    if let Some(a2) = names.actor2 {
        n.push_str(&format!(" against {a2}"));
    }
    n.push('.');
    if let Some(v) = vague_note {
        n.push(' ');
        n.push_str(v);
    }
    let figures: Vec<String> = r
        .claims
        .iter()
        .filter_map(|c| {
            c.fatalities
                .map(|f| format!("{}: {f}", c.source.as_deref().unwrap_or(c.doc_id.as_str())))
        })
        .collect();
    if r.disputed() {
        n.push_str(&format!(
            " Fatality reports differ ({}); the lowest credible figure, {}, is coded.",
            figures.join("; "),
            e.fatalities
                .map_or_else(|| "none".to_string(), |f| f.to_string())
        ));
    } else if figures.len() > 1 {
        n.push_str(&format!(
            " Sources agree on the toll ({}).",
            figures.join("; ")
        ));
    }
    if days > 1 {
        n.push_str(&format!(
            " One of {days} daily rows: the incident spans {} to {}; its {} fatalities are split evenly ({} on the first day, {} on each other day).",
            e.date_start,
            e.date_end,
            split.iter().sum::<u32>(),
            split[0],
            split.get(1).copied().unwrap_or(0)
        ));
    }
    n
}

/// Writes the records as ACLED CSV.
pub fn write<W: Write>(
    records: &[IncidentRecord],
    opts: &ExportOptions<'_>,
    out: W,
) -> Result<(), DedupError> {
    let mut w = csv_writer(opts, out)?;
    if opts.arabic_columns {
        w.write_record(COLUMNS.iter().chain(ARABIC_COLUMNS.iter()))?;
    } else {
        w.write_record(COLUMNS)?;
    }
    for r in records {
        for row in rows(r, opts) {
            w.write_record(row)?;
        }
    }
    w.flush()?;
    Ok(())
}

/// ACLED's name of `actor` on `date`, else rasd's name.
fn acled_actor(opts: &ExportOptions<'_>, actor: &str, date: jiff::civil::Date) -> String {
    opts.kinds
        .acled_name(actor, date)
        .unwrap_or_else(|| actor.to_string())
}

/// The `event_id_cnty` of an incident's `day`-th row (0-based).
pub fn event_id(country_code: &str, incident_id: &str, day: usize) -> String {
    let n = incident_id.trim_start_matches("inc-");
    if day == 0 {
        format!("{country_code}{ID_MARK}{n}")
    } else {
        format!("{country_code}{ID_MARK}{n}-{}", day + 1)
    }
}

/// The CSV rows of one record (one per active day).
pub fn rows(r: &IncidentRecord, opts: &ExportOptions<'_>) -> Vec<Vec<String>> {
    let e = &r.event;
    let span = e.days().max(1);
    let too_long = span > crate::params::ACLED_MAX_DAILY_ROWS;
    let days = if too_long { 1 } else { span as u32 };
    let (total, vague_note) = acled_fatalities(r);
    let split = split_even(total, days);
    let place = english(&e.location);
    let actor1 = acled_actor(opts, &e.actor1, e.date_start);
    let actor2 = e
        .actor2
        .as_deref()
        .map(|a| acled_actor(opts, a, e.date_start));
    let assoc = |v: &[String], date: jiff::civil::Date| {
        v.iter()
            .map(|a| acled_actor(opts, a, date))
            .collect::<Vec<_>>()
            .join("; ")
    };
    let names = Names {
        place: if place.location.is_empty() {
            &e.location.name
        } else {
            &place.location
        },
        actor1: &actor1,
        actor2: actor2.as_deref(),
    };
    let mut note = notes(r, &names, days, &split, vague_note.as_deref());
    if too_long {
        note.push_str(&format!(
            " The incident spans {span} days ({} to {}), too long for daily rows: one row at month precision.",
            e.date_start, e.date_end
        ));
    }
    let time_precision = if too_long {
        3
    } else {
        e.date_precision.acled_code()
    };
    let c = country(&e.location.country);
    let kind1 = opts.kinds.kind(&e.actor1);
    let kind2 = e.actor2.as_deref().and_then(|a| opts.kinds.kind(a));
    let label = |k: Option<ActorKind>| k.map(|k| k.acled_label().to_string()).unwrap_or_default();
    // ACLED marks civilian targeting on political violence only (not on arrests).
    let civilian_targeting = if kind2 == Some(ActorKind::Civilians)
        && disorder_type(e.sub_event_type).starts_with("Political violence")
    {
        "Civilian targeting"
    } else {
        ""
    };
    let code = c.map_or_else(
        || e.location.country.to_ascii_uppercase(),
        |c| c.alpha3.to_string(),
    );
    let opt = |v: Option<f64>| v.map(|x| format!("{x:.4}")).unwrap_or_default();
    let mut out = Vec::with_capacity(days as usize);
    let mut date = e.date_start;
    for (k, deaths) in split.iter().enumerate() {
        let mut row = vec![
            event_id(&code, &r.incident_id, k),
            date.to_string(),
            date.year().to_string(),
            time_precision.to_string(),
            disorder_type(e.sub_event_type).to_string(),
            event_type_label(e.event_type).to_string(),
            sub_event_type_label(e.sub_event_type).to_string(),
            acled_actor(opts, &e.actor1, date),
            assoc(&e.assoc_actor1, date),
            label(kind1),
            e.actor2
                .as_deref()
                .map(|a| acled_actor(opts, a, date))
                .unwrap_or_default(),
            assoc(&e.assoc_actor2, date),
            label(kind2),
            interaction(kind1, kind2),
            civilian_targeting.to_string(),
            c.map(|c| c.numeric.to_string()).unwrap_or_default(),
            c.map(|c| c.acled_region.to_string()).unwrap_or_default(),
            c.map_or_else(|| e.location.country.clone(), |c| c.name.to_string()),
            place.admin1.clone(),
            place.admin2.clone(),
            place.admin3.clone(),
            place.location.clone(),
            opt(e.location.lat),
            opt(e.location.lon),
            e.location.precision.acled_code().to_string(),
            r.outlets().join("; "),
            String::new(),
            note.clone(),
            deaths.to_string(),
            String::new(),
            opts.timestamp.to_string(),
        ];
        if opts.arabic_columns {
            row.extend([
                e.location.name.clone(),
                e.location.admin1.clone().unwrap_or_default(),
                e.location.admin2.clone().unwrap_or_default(),
                e.location.admin3.clone().unwrap_or_default(),
            ]);
        }
        out.push(row);
        date = date.tomorrow().unwrap_or(date);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_puts_the_remainder_first() {
        assert_eq!(split_even(10, 3), vec![4, 3, 3]);
        assert_eq!(split_even(2, 5), vec![2, 0, 0, 0, 0]);
        assert_eq!(split_even(7, 1), vec![7]);
        assert_eq!(split_even(0, 2), vec![0, 0]);
        assert_eq!(split_even(5, 0), vec![5]);
    }

    #[test]
    fn interaction_labels_follow_acleds_table() {
        use ActorKind::*;
        assert_eq!(
            interaction(Some(RebelGroup), Some(StateForces)),
            "State forces-Rebel group"
        );
        assert_eq!(
            interaction_code(Some(RebelGroup), Some(StateForces)),
            Some(12)
        );
        assert_eq!(interaction(Some(Protesters), None), "Protesters only");
        assert_eq!(interaction_code(Some(Protesters), None), Some(60));
        assert_eq!(
            interaction(Some(PoliticalMilitia), Some(Civilians)),
            "Political militia-Civilians"
        );
        assert_eq!(
            interaction(Some(ExternalForces), Some(Civilians)),
            "External/Other forces-Civilians"
        );
        assert_eq!(
            interaction_code(Some(ExternalForces), Some(Civilians)),
            Some(78)
        );
        assert_eq!(
            interaction(Some(ExternalForces), Some(StateForces)),
            "State forces-External/Other forces"
        );
        assert_eq!(interaction(None, None), "");
        assert_eq!(interaction_code(None, None), None);
    }

    #[test]
    fn ids_keep_the_first_day_and_never_look_like_acleds() {
        assert_eq!(event_id("SYR", "inc-12", 0), "SYRRASD12");
        assert_eq!(event_id("SYR", "inc-12", 2), "SYRRASD12-3");
        assert_eq!(event_id("SYR", "grp-7", 0), "SYRRASDgrp-7");
    }

    #[test]
    fn every_sub_type_has_a_label_and_disorder_type() {
        for &s in SubEventType::ALL {
            assert!(!sub_event_type_label(s).is_empty());
            assert!(!disorder_type(s).is_empty());
        }
    }
}

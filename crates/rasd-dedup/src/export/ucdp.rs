//! UCDP GED-style CSV: one row per incident with its span, best/low/high and deaths by side.
//!
//! Columns follow the order of UCDP's GED files (a subset of them): `best` is the
//! record's fatalities (the lowest credible figure), `low`/`high` the lowest and highest
//! figures among the sources; `deaths_a`/`deaths_b`/`deaths_civilians` come from the
//! record's deaths by side where known, and `deaths_unknown` is the rest of `best`.
//!
//! Only what GED holds is written ([`included`]): organised violence (battles,
//! explosions/remote violence, violence against civilians; not protests, riots or
//! strategic developments) by a known organised actor, with at least one death. The
//! dyad gives `type_of_violence`: a state's forces on either side make it state-based
//! (1), two organised non-state groups non-state (2), an organised actor against
//! civilians one-sided (3). In a state-based event the state is side A, as in GED, and
//! the deaths by side follow the sides. A killing of civilians with no second side
//! named is one-sided; any other event with no second side is left out, since GED
//! attributes every event to a dyad.

use super::countries::country;
use super::{ExportOptions, csv_writer};
use crate::DedupError;
use crate::actors::{ActorKind, actor_key, is_unknown_actor};
use crate::incident::IncidentRecord;
use rasd_model::{DatePrecision, EventType, LocationPrecision};
use std::io::Write;

/// The columns, in UCDP GED's order.
pub const COLUMNS: [&str; 25] = [
    "id",
    "year",
    "type_of_violence",
    "side_a",
    "side_b",
    "source_article",
    "source_office",
    "source_date",
    "where_prec",
    "where_coordinates",
    "adm_1",
    "adm_2",
    "latitude",
    "longitude",
    "country",
    "date_prec",
    "date_start",
    "date_end",
    "deaths_a",
    "deaths_b",
    "deaths_civilians",
    "deaths_unknown",
    "low",
    "best",
    "high",
];

fn is_state(k: Option<ActorKind>) -> bool {
    matches!(k, Some(ActorKind::StateForces | ActorKind::ExternalForces))
}

/// Armed and organised: what GED counts as a party to organised violence.
fn is_organised(k: Option<ActorKind>) -> bool {
    matches!(
        k,
        Some(
            ActorKind::StateForces
                | ActorKind::ExternalForces
                | ActorKind::RebelGroup
                | ActorKind::PoliticalMilitia
                | ActorKind::IdentityMilitia
        )
    )
}

/// UCDP's type of violence: 1 state-based, 2 non-state, 3 one-sided.
pub fn type_of_violence(kind1: Option<ActorKind>, kind2: Option<ActorKind>) -> u8 {
    if kind2 == Some(ActorKind::Civilians) || kind1 == Some(ActorKind::Civilians) {
        3
    } else if is_state(kind1) || is_state(kind2) {
        1
    } else {
        2
    }
}

/// The deaths GED's `best` counts: the figure, or ACLED's number for a vague amount.
fn best_of(r: &IncidentRecord) -> u32 {
    let e = &r.event;
    e.fatalities
        .or_else(|| e.fatalities_vague.map(|v| v.acled_number()))
        .unwrap_or(0)
}

/// Whether GED would hold the incident (see the module doc).
pub fn included(r: &IncidentRecord, opts: &ExportOptions<'_>) -> bool {
    let e = &r.event;
    let violent = matches!(
        e.event_type,
        EventType::Battles
            | EventType::ExplosionsRemoteViolence
            | EventType::ViolenceAgainstCivilians
    );
    let kind1 = opts.kinds.kind(&e.actor1);
    let kind2 = e.actor2.as_deref().and_then(|a| opts.kinds.kind(a));
    let dyad = match e.actor2.as_deref() {
        Some(a2) => {
            (is_organised(kind2) && !is_unknown_actor(a2)) || kind2 == Some(ActorKind::Civilians)
        }
        None => e.event_type == EventType::ViolenceAgainstCivilians,
    };
    violent && best_of(r) >= 1 && is_organised(kind1) && !is_unknown_actor(&e.actor1) && dyad
}

fn where_prec(p: LocationPrecision) -> u8 {
    match p {
        LocationPrecision::Community => 1,
        LocationPrecision::Subdistrict => 2,
        LocationPrecision::District => 3,
        LocationPrecision::Governorate => 4,
        LocationPrecision::Country => 6,
    }
}

fn date_prec(p: DatePrecision) -> u8 {
    match p {
        DatePrecision::Day => 1,
        DatePrecision::Week => 3,
        DatePrecision::Month => 4,
    }
}

/// Writes the records as UCDP GED-style CSV.
pub fn write<W: Write>(
    records: &[IncidentRecord],
    opts: &ExportOptions<'_>,
    out: W,
) -> Result<(), DedupError> {
    let mut w = csv_writer(opts, out)?;
    w.write_record(COLUMNS)?;
    for r in records.iter().filter(|r| included(r, opts)) {
        w.write_record(row(r, opts))?;
    }
    w.flush()?;
    Ok(())
}

/// The CSV row of one record.
pub fn row(r: &IncidentRecord, opts: &ExportOptions<'_>) -> Vec<String> {
    let e = &r.event;
    let kind1 = opts.kinds.kind(&e.actor1);
    let kind2 = e.actor2.as_deref().and_then(|a| opts.kinds.kind(a));
    let side_of = |name: &str| -> Option<u8> {
        let k = actor_key(name);
        let on = |principal: Option<&str>, assoc: &[String]| {
            principal.is_some_and(|p| actor_key(p) == k) || assoc.iter().any(|a| actor_key(a) == k)
        };
        if on(Some(&e.actor1), &e.assoc_actor1) {
            Some(0)
        } else if on(e.actor2.as_deref(), &e.assoc_actor2) {
            Some(1)
        } else {
            None
        }
    };
    let (mut deaths_a, mut deaths_b, mut deaths_civ) = (0u32, 0u32, 0u32);
    for (name, &n) in &e.fatalities_by_side {
        if opts.kinds.kind(name) == Some(ActorKind::Civilians) {
            deaths_civ = deaths_civ.saturating_add(n);
        } else {
            match side_of(name) {
                Some(0) => deaths_a = deaths_a.saturating_add(n),
                Some(_) => deaths_b = deaths_b.saturating_add(n),
                None => {}
            }
        }
    }
    let best = best_of(r);
    if e.fatalities_by_side.is_empty()
        && (kind2 == Some(ActorKind::Civilians)
            || (e.actor2.is_none() && e.event_type == EventType::ViolenceAgainstCivilians))
    {
        deaths_civ = best;
    }
    let known = deaths_a.saturating_add(deaths_b).saturating_add(deaths_civ);
    let deaths_unknown = best.saturating_sub(known);
    let low = r.fatalities_low.unwrap_or(best).min(best);
    let high = r.fatalities_high.unwrap_or(best).max(best);
    let violence = if e.actor2.is_none() && e.event_type == EventType::ViolenceAgainstCivilians {
        3
    } else {
        type_of_violence(kind1, kind2)
    };
    let mut side_a = std::iter::once(e.actor1.clone())
        .chain(e.assoc_actor1.iter().cloned())
        .collect::<Vec<_>>()
        .join(", ");
    let mut side_b = e
        .actor2
        .iter()
        .cloned()
        .chain(e.assoc_actor2.iter().cloned())
        .collect::<Vec<_>>()
        .join(", ");
    if side_b.is_empty() && violence == 3 {
        side_b = "Civilians".to_string();
    }
    if violence == 1 && !is_state(kind1) && is_state(kind2) {
        std::mem::swap(&mut side_a, &mut side_b);
        std::mem::swap(&mut deaths_a, &mut deaths_b);
    }
    let c = country(&e.location.country);
    let opt = |v: Option<f64>| v.map(|x| format!("{x:.6}")).unwrap_or_default();
    let docs: Vec<String> = r
        .sources
        .iter()
        .map(|s| s.url.clone().unwrap_or_else(|| s.doc_id.clone()))
        .collect();
    let dates: Vec<String> = r
        .claims
        .iter()
        .map(|c| c.published.clone().unwrap_or_default())
        .collect();
    vec![
        r.incident_id.clone(),
        e.date_start.year().to_string(),
        violence.to_string(),
        side_a,
        side_b,
        docs.join("; "),
        r.outlets().join("; "),
        dates.join("; "),
        where_prec(e.location.precision).to_string(),
        e.location.name.clone(),
        e.location.admin1.clone().unwrap_or_default(),
        e.location.admin2.clone().unwrap_or_default(),
        opt(e.location.lat),
        opt(e.location.lon),
        c.map_or_else(|| e.location.country.clone(), |c| c.name.to_string()),
        date_prec(e.date_precision).to_string(),
        e.date_start.to_string(),
        e.date_end.to_string(),
        deaths_a.to_string(),
        deaths_b.to_string(),
        deaths_civ.to_string(),
        deaths_unknown.to_string(),
        low.to_string(),
        best.to_string(),
        high.to_string(),
    ]
}

//! Actor names as the clusterer and the exports need them: comparison keys, wildcards,
//! ACLED's actor types, ACLED's own actor names and the Arabic display names.
//!
//! The facts come from the actor register (`crates/rasd-coder/data/actors.tsv`, or a
//! user's file in the same format): `kind` gives the type, the optional `acled` column
//! ACLED's name of the actor and the optional `name_ar` column its Arabic display name.
//! An `acled` value is either one name, or `|`-separated periods `FROM..TO=NAME` (either
//! end may be left open) for state forces, whose ACLED names carry the period of the
//! government they served («Military Forces of Syria (2000-2024)»): the event's date
//! picks the name.

use crate::DedupError;
use jiff::civil::Date;
use std::collections::HashMap;

/// ACLED's actor types (the `kind` column of the actor list).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ActorKind {
    StateForces,
    RebelGroup,
    PoliticalMilitia,
    IdentityMilitia,
    Rioters,
    Protesters,
    Civilians,
    ExternalForces,
}

impl ActorKind {
    /// ACLED's numeric `inter1`/`inter2` code.
    pub fn acled_inter(self) -> u8 {
        match self {
            ActorKind::StateForces => 1,
            ActorKind::RebelGroup => 2,
            ActorKind::PoliticalMilitia => 3,
            ActorKind::IdentityMilitia => 4,
            ActorKind::Rioters => 5,
            ActorKind::Protesters => 6,
            ActorKind::Civilians => 7,
            ActorKind::ExternalForces => 8,
        }
    }

    /// ACLED's text label of the type, as the `inter1`/`inter2` columns of an ACLED
    /// download write it.
    pub fn acled_label(self) -> &'static str {
        match self {
            ActorKind::StateForces => "State forces",
            ActorKind::RebelGroup => "Rebel group",
            ActorKind::PoliticalMilitia => "Political militia",
            ActorKind::IdentityMilitia => "Identity militia",
            ActorKind::Rioters => "Rioters",
            ActorKind::Protesters => "Protesters",
            ActorKind::Civilians => "Civilians",
            ActorKind::ExternalForces => "External/Other forces",
        }
    }

    /// Reads a `kind` value of the actor list (`state_forces`, `rebel_group`, …).
    pub fn from_kind_name(s: &str) -> Option<ActorKind> {
        Some(match s.trim() {
            "state_forces" => ActorKind::StateForces,
            "rebel_group" => ActorKind::RebelGroup,
            "political_militia" => ActorKind::PoliticalMilitia,
            "identity_militia" => ActorKind::IdentityMilitia,
            "rioters" => ActorKind::Rioters,
            "protesters" => ActorKind::Protesters,
            "civilians" => ActorKind::Civilians,
            "external_forces" => ActorKind::ExternalForces,
            _ => return None,
        })
    }
}

/// Tells an actor's type (and, where the source knows them, its ACLED and Arabic names)
/// from its canonical name.
pub trait ActorKinds {
    fn kind(&self, actor: &str) -> Option<ActorKind>;

    /// ACLED's name of the actor on `date`, when known.
    fn acled_name(&self, _actor: &str, _date: Date) -> Option<String> {
        None
    }

    /// The actor's Arabic display name, when known.
    fn name_ar(&self, _actor: &str) -> Option<String> {
        None
    }
}

/// Guesses a type from the naming conventions of canonical actor names
/// («Civilians (Syria)», «Military Forces of Russia», «Police Forces of Syria» …).
#[derive(Debug, Clone, Copy, Default)]
pub struct NameConventions;

impl ActorKinds for NameConventions {
    fn kind(&self, actor: &str) -> Option<ActorKind> {
        let a = actor.trim();
        let starts = |p: &str| a.starts_with(p);
        Some(if starts("Civilians") {
            ActorKind::Civilians
        } else if starts("Protesters") {
            ActorKind::Protesters
        } else if starts("Rioters") {
            ActorKind::Rioters
        } else if starts("Military Forces of") {
            ActorKind::ExternalForces
        } else if starts("Police Forces of")
            || a.contains("Government Forces")
            || a.contains("Intelligence")
            || a.contains("Security (")
        {
            ActorKind::StateForces
        } else if starts("Unidentified") || starts("Local armed group") {
            ActorKind::PoliticalMilitia
        } else {
            return None;
        })
    }
}

/// One ACLED name and the days it applies to (inclusive; `None` is open).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AcledPeriod {
    pub from: Option<Date>,
    pub to: Option<Date>,
    pub name: String,
}

/// What the register says about one actor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActorFacts {
    pub kind: ActorKind,
    pub acled: Vec<AcledPeriod>,
    pub name_ar: Option<String>,
}

/// The register bundled with rasd (the coder's actor list).
const BUNDLED_REGISTER: &str = include_str!("../../rasd-coder/data/actors.tsv");

/// Actor facts read from a TSV with `canonical` and `kind` columns and optionally `acled`
/// and `name_ar` (the actor list's format); names it lacks fall back to [`NameConventions`].
#[derive(Debug, Clone, Default)]
pub struct ActorKindTable {
    actors: HashMap<String, ActorFacts>,
}

/// Reads an `acled` cell: one name, or `FROM..TO=NAME` periods separated by `|`.
fn parse_acled(cell: &str) -> Result<Vec<AcledPeriod>, String> {
    let mut out = Vec::new();
    for part in cell.split('|').map(str::trim).filter(|p| !p.is_empty()) {
        let Some((range, name)) = part.split_once('=') else {
            out.push(AcledPeriod {
                from: None,
                to: None,
                name: part.to_string(),
            });
            continue;
        };
        let (from, to) = range
            .split_once("..")
            .ok_or_else(|| format!("period {range:?} is not FROM..TO"))?;
        let day = |d: &str| -> Result<Option<Date>, String> {
            let d = d.trim();
            if d.is_empty() {
                Ok(None)
            } else {
                d.parse::<Date>()
                    .map(Some)
                    .map_err(|e| format!("bad day {d:?} in {part:?}: {e}"))
            }
        };
        let name = name.trim();
        if name.is_empty() {
            return Err(format!("period {range:?} has no name"));
        }
        out.push(AcledPeriod {
            from: day(from)?,
            to: day(to)?,
            name: name.to_string(),
        });
    }
    Ok(out)
}

impl ActorKindTable {
    /// The bundled register (`crates/rasd-coder/data/actors.tsv`).
    pub fn bundled() -> Self {
        Self::from_tsv(BUNDLED_REGISTER, "actors.tsv").expect("the bundled actors.tsv is valid")
    }

    /// Parses the TSV; `origin` names it in errors.
    pub fn from_tsv(tsv: &str, origin: &str) -> Result<Self, DedupError> {
        let mut lines = tsv
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#'));
        let Some((_, header)) = lines.next() else {
            return Ok(Self::default());
        };
        let cols: Vec<&str> = header.split('\t').map(str::trim).collect();
        let find = |name: &str| {
            cols.iter()
                .position(|c| *c == name)
                .ok_or_else(|| DedupError::Input {
                    origin: origin.to_string(),
                    line: 1,
                    message: format!("no `{name}` column in the header"),
                })
        };
        let (ci, ki) = (find("canonical")?, find("kind")?);
        let ai = cols.iter().position(|c| *c == "acled");
        let ni = cols.iter().position(|c| *c == "name_ar");
        let mut actors = HashMap::new();
        for (n, line) in lines {
            let err = |message: String| DedupError::Input {
                origin: origin.to_string(),
                line: n + 1,
                message,
            };
            let fields: Vec<&str> = line.split('\t').collect();
            let (Some(name), Some(kind)) = (fields.get(ci), fields.get(ki)) else {
                return Err(err("fewer columns than the header".into()));
            };
            let kind = ActorKind::from_kind_name(kind)
                .ok_or_else(|| err(format!("unknown actor kind {kind:?}")))?;
            let acled = match ai.and_then(|i| fields.get(i)) {
                Some(cell) => parse_acled(cell).map_err(|m| err(format!("acled column: {m}")))?,
                None => Vec::new(),
            };
            let name_ar = ni
                .and_then(|i| fields.get(i))
                .map(|s| s.trim())
                .filter(|s| !s.is_empty())
                .map(String::from);
            actors.insert(
                name.trim().to_string(),
                ActorFacts {
                    kind,
                    acled,
                    name_ar,
                },
            );
        }
        Ok(Self { actors })
    }

    /// Lays `other` over this table: its actors replace the same-named ones.
    pub fn merge(&mut self, other: ActorKindTable) {
        for (name, facts) in other.actors {
            let entry = self.actors.entry(name).or_insert_with(|| facts.clone());
            entry.kind = facts.kind;
            if !facts.acled.is_empty() {
                entry.acled = facts.acled;
            }
            if facts.name_ar.is_some() {
                entry.name_ar = facts.name_ar;
            }
        }
    }

    /// What the table holds about `actor`.
    pub fn facts(&self, actor: &str) -> Option<&ActorFacts> {
        self.actors.get(actor.trim())
    }

    /// Every actor name with an Arabic display name, sorted (for the dashboard).
    pub fn arabic_names(&self) -> Vec<(&str, &str)> {
        let mut v: Vec<(&str, &str)> = self
            .actors
            .iter()
            .filter_map(|(k, f)| f.name_ar.as_deref().map(|a| (k.as_str(), a)))
            .collect();
        v.sort_unstable();
        v
    }
}

impl ActorKinds for ActorKindTable {
    fn kind(&self, actor: &str) -> Option<ActorKind> {
        self.facts(actor)
            .map(|f| f.kind)
            .or_else(|| NameConventions.kind(actor))
    }

    fn acled_name(&self, actor: &str, date: Date) -> Option<String> {
        self.facts(actor)?
            .acled
            .iter()
            .find(|p| p.from.is_none_or(|f| date >= f) && p.to.is_none_or(|t| date <= t))
            .map(|p| p.name.clone())
    }

    fn name_ar(&self, actor: &str) -> Option<String> {
        self.facts(actor)?.name_ar.clone()
    }
}

/// The comparison key of an actor: its canonical name folded, without a trailing
/// parenthesised qualifier («Local armed group (Jasim)» and «Local armed group»
/// compare equal; the places of the events tell them apart anyway).
pub fn actor_key(actor: &str) -> String {
    let a = actor.trim();
    let base = match a.rfind(" (") {
        Some(i) if a.ends_with(')') && i > 0 => &a[..i],
        _ => a,
    };
    crate::text::fold_key(base)
}

/// True for a name that says the actor is not known («Unidentified armed group (Syria)»):
/// it is compatible with any side.
pub fn is_unknown_actor(actor: &str) -> bool {
    let a = actor.trim().as_bytes();
    let starts = |p: &str| a.len() >= p.len() && a[..p.len()].eq_ignore_ascii_case(p.as_bytes());
    a.is_empty() || starts("unidentified") || starts("unknown")
}

/// The hash of [`actor_key`], remembered (the clusterer compares actors by it).
pub fn actor_hash(actor: &str) -> u64 {
    crate::text::memo_hash(crate::text::MEMO_ACTOR, actor, actor_key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_drop_the_qualifier() {
        assert_eq!(
            actor_key("Local armed group (Jasim)"),
            actor_key("Local armed group")
        );
        assert_ne!(actor_key("Islamic State"), actor_key("Hezbollah"));
        assert!(is_unknown_actor("Unidentified armed group (Syria)"));
        assert!(!is_unknown_actor("Islamic State"));
    }

    #[test]
    fn table_reads_the_actor_list_format() {
        let tsv = "canonical\tkind\tcountry\nAlpha Brigade\trebel_group\tXX\nBeta Police\tstate_forces\tXX\n";
        let t = ActorKindTable::from_tsv(tsv, "test.tsv").unwrap();
        assert_eq!(t.kind("Alpha Brigade"), Some(ActorKind::RebelGroup));
        assert_eq!(t.kind("Civilians (Syria)"), Some(ActorKind::Civilians));
        assert_eq!(t.kind("Gamma"), None);
        let bad = ActorKindTable::from_tsv("canonical\tkind\nX\twizards\n", "bad.tsv").unwrap_err();
        assert!(bad.to_string().contains("bad.tsv") && bad.to_string().contains("wizards"));
    }

    #[test]
    fn acled_names_follow_the_event_date() {
        let tsv = "canonical\tkind\tcountry\tacled\tname_ar\n\
                   Gondor Army\tstate_forces\tXX\t..2020-06-30=Military Forces of Gondor (1990-2020)|2020-07-01..=Military Forces of Gondor (2020-)\tجيش غوندور\n\
                   Orc Band\tpolitical_militia\tXX\tOrcs of Mordor\t\n";
        let t = ActorKindTable::from_tsv(tsv, "test.tsv").unwrap();
        let d = |s: &str| s.parse::<Date>().unwrap();
        assert_eq!(
            t.acled_name("Gondor Army", d("2020-06-30")).as_deref(),
            Some("Military Forces of Gondor (1990-2020)")
        );
        assert_eq!(
            t.acled_name("Gondor Army", d("2020-07-01")).as_deref(),
            Some("Military Forces of Gondor (2020-)")
        );
        assert_eq!(
            t.acled_name("Orc Band", d("1999-01-01")).as_deref(),
            Some("Orcs of Mordor")
        );
        assert_eq!(t.acled_name("Elves", d("1999-01-01")), None);
        assert_eq!(t.name_ar("Gondor Army").as_deref(), Some("جيش غوندور"));
        assert_eq!(t.name_ar("Orc Band"), None);
        for bad in ["2020-01-01=X", "..2020-13-01=X", "2020-01-01..="] {
            let tsv = format!("canonical\tkind\tacled\nA\trebel_group\t{bad}\n");
            let e = ActorKindTable::from_tsv(&tsv, "p.tsv")
                .unwrap_err()
                .to_string();
            assert!(e.starts_with("p.tsv:2: acled column"), "{bad}: {e}");
        }
    }

    #[test]
    fn the_bundled_register_maps_state_forces_by_period() {
        let t = ActorKindTable::bundled();
        let d = |s: &str| s.parse::<Date>().unwrap();
        assert_eq!(
            t.acled_name("Syrian Government Forces", d("2024-12-07"))
                .as_deref(),
            Some("Military Forces of Syria (2000-2024)")
        );
        assert_eq!(
            t.acled_name("Syrian Government Forces", d("2024-12-08"))
                .as_deref(),
            Some("Military Forces of Syria (2024-)")
        );
        assert_eq!(
            t.kind("Syrian Government Forces"),
            Some(ActorKind::StateForces)
        );
        assert!(t.name_ar("Syrian Government Forces").is_some());
        // Every actor of the register has an Arabic display name.
        for (name, f) in &t.actors {
            assert!(f.name_ar.is_some(), "{name} has no name_ar in actors.tsv");
        }
    }
}

//! Actor names as the clusterer and the exports need them: comparison keys, wildcards
//! and ACLED's actor types.

use crate::DedupError;
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

/// Tells an actor's type from its canonical name.
pub trait ActorKinds {
    fn kind(&self, actor: &str) -> Option<ActorKind>;
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

/// Actor types read from a TSV with `canonical` and `kind` columns (the actor list's
/// format); names it lacks fall back to [`NameConventions`].
#[derive(Debug, Clone, Default)]
pub struct ActorKindTable {
    kinds: HashMap<String, ActorKind>,
}

impl ActorKindTable {
    /// Parses the TSV; `origin` names it in errors.
    pub fn from_tsv(tsv: &str, origin: &str) -> Result<Self, DedupError> {
        let mut lines = tsv
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty());
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
        let mut kinds = HashMap::new();
        for (n, line) in lines {
            let fields: Vec<&str> = line.split('\t').collect();
            let (Some(name), Some(kind)) = (fields.get(ci), fields.get(ki)) else {
                return Err(DedupError::Input {
                    origin: origin.to_string(),
                    line: n + 1,
                    message: "fewer columns than the header".into(),
                });
            };
            let kind = ActorKind::from_kind_name(kind).ok_or_else(|| DedupError::Input {
                origin: origin.to_string(),
                line: n + 1,
                message: format!("unknown actor kind {kind:?}"),
            })?;
            kinds.insert(name.trim().to_string(), kind);
        }
        Ok(Self { kinds })
    }
}

impl ActorKinds for ActorKindTable {
    fn kind(&self, actor: &str) -> Option<ActorKind> {
        self.kinds
            .get(actor.trim())
            .copied()
            .or_else(|| NameConventions.kind(actor))
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
    let a = actor.trim().to_ascii_lowercase();
    a.is_empty() || a.starts_with("unidentified") || a.starts_with("unknown")
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
}

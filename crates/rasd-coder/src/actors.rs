//! The actor register: canonical actor names with their kind, country and
//! Arabic/English aliases, read from a TSV file with the columns of
//! `spec/actors.tsv` (`canonical kind country aliases_ar aliases_en`, aliases
//! separated by `|`). The bundled register is `data/actors.tsv`; users merge
//! their own file over it (`--actors FILE`).

use std::collections::HashMap;

use crate::CoderError;
use crate::lexicon::{PhraseSet, tsv_rows};

const BUNDLED_ACTORS: &str = include_str!("../data/actors.tsv");
const BUNDLED_COUNTRIES: &str = include_str!("../data/countries.tsv");

/// What kind of side an actor is (the `kind` column).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ActorKind {
    StateForces,
    RebelGroup,
    PoliticalMilitia,
    IdentityMilitia,
    ExternalForces,
    Protesters,
    Rioters,
    Civilians,
    Other,
}

impl ActorKind {
    fn parse(s: &str) -> ActorKind {
        match s {
            "state_forces" => ActorKind::StateForces,
            "rebel_group" => ActorKind::RebelGroup,
            "political_militia" => ActorKind::PoliticalMilitia,
            "identity_militia" => ActorKind::IdentityMilitia,
            "external_forces" => ActorKind::ExternalForces,
            "protesters" => ActorKind::Protesters,
            "rioters" => ActorKind::Rioters,
            "civilians" => ActorKind::Civilians,
            _ => ActorKind::Other,
        }
    }

    /// Armed, organised forces (everything but civilians, protesters, rioters).
    pub fn is_armed(self) -> bool {
        !matches!(
            self,
            ActorKind::Civilians | ActorKind::Protesters | ActorKind::Rioters
        )
    }
}

/// One actor of the register.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub canonical: String,
    pub kind: ActorKind,
    /// ISO 3166-1 alpha-2 code.
    pub country: String,
    pub aliases_ar: Vec<String>,
    pub aliases_en: Vec<String>,
}

/// The register of known actors, matched in text through their Arabic aliases.
#[derive(Debug, Clone, Default)]
pub struct ActorRegister {
    actors: Vec<Actor>,
    by_name: HashMap<String, usize>,
    /// Alias → actor ids (an alias can name actors of several countries, e.g.
    /// «مسلحون مجهولون»; the event's country picks one).
    phrases: PhraseSet<Vec<usize>>,
    countries: HashMap<String, String>,
}

impl ActorRegister {
    /// The register bundled with rasd (`data/actors.tsv`).
    pub fn bundled() -> ActorRegister {
        ActorRegister::from_tsv(BUNDLED_ACTORS).expect("the bundled actors.tsv is valid")
    }

    /// Read a register from TSV text.
    pub fn from_tsv(s: &str) -> Result<Self, CoderError> {
        let mut reg = ActorRegister::default();
        for (line, cols) in tsv_rows(s, "canonical") {
            if cols.len() < 4 {
                return Err(CoderError::BadData {
                    file: "actors".into(),
                    line,
                    reason: format!("expected 5 tab-separated columns, found {}", cols.len()),
                });
            }
            if cols[0].is_empty() {
                return Err(CoderError::BadData {
                    file: "actors".into(),
                    line,
                    reason: "empty canonical name".into(),
                });
            }
            let split = |c: Option<&&str>| -> Vec<String> {
                c.map(|c| {
                    c.split('|')
                        .map(str::trim)
                        .filter(|a| !a.is_empty())
                        .map(String::from)
                        .collect()
                })
                .unwrap_or_default()
            };
            reg.insert(Actor {
                canonical: cols[0].to_string(),
                kind: ActorKind::parse(cols[1]),
                country: cols[2].to_uppercase(),
                aliases_ar: split(cols.get(3)),
                aliases_en: split(cols.get(4)),
            });
        }
        for (_, cols) in tsv_rows(BUNDLED_COUNTRIES, "code") {
            if cols.len() >= 2 {
                reg.countries
                    .insert(cols[0].to_string(), cols[1].to_string());
            }
        }
        reg.rebuild();
        Ok(reg)
    }

    /// Merge `other` over this register: an actor of `other` with the same
    /// canonical name replaces its kind and country and adds its aliases; new
    /// actors are appended.
    pub fn merge(&mut self, other: ActorRegister) {
        for a in other.actors {
            self.insert(a);
        }
        for (k, v) in other.countries {
            self.countries.entry(k).or_insert(v);
        }
        self.rebuild();
    }

    fn insert(&mut self, a: Actor) {
        match self.by_name.get(&a.canonical) {
            Some(&i) => {
                let old = &mut self.actors[i];
                old.kind = a.kind;
                old.country = a.country;
                for al in a.aliases_ar {
                    if !old.aliases_ar.contains(&al) {
                        old.aliases_ar.push(al);
                    }
                }
                for al in a.aliases_en {
                    if !old.aliases_en.contains(&al) {
                        old.aliases_en.push(al);
                    }
                }
            }
            None => {
                self.by_name.insert(a.canonical.clone(), self.actors.len());
                self.actors.push(a);
            }
        }
    }

    fn rebuild(&mut self) {
        let mut by_alias: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, a) in self.actors.iter().enumerate() {
            for al in &a.aliases_ar {
                by_alias.entry(al.clone()).or_default().push(i);
            }
        }
        let mut phrases = PhraseSet::new();
        let mut aliases: Vec<_> = by_alias.into_iter().collect();
        aliases.sort();
        for (al, ids) in aliases {
            phrases.add_with_case_variants(&al, ids);
        }
        self.phrases = phrases;
    }

    /// Number of actors.
    pub fn len(&self) -> usize {
        self.actors.len()
    }

    /// True when the register holds no actor.
    pub fn is_empty(&self) -> bool {
        self.actors.is_empty()
    }

    /// The actor with this canonical name.
    pub fn get(&self, canonical: &str) -> Option<&Actor> {
        self.by_name.get(canonical).map(|&i| &self.actors[i])
    }

    /// All actors, in file order.
    pub fn actors(&self) -> &[Actor] {
        &self.actors
    }

    pub(crate) fn actor(&self, id: usize) -> &Actor {
        &self.actors[id]
    }

    pub(crate) fn id_of(&self, canonical: &str) -> Option<usize> {
        self.by_name.get(canonical).copied()
    }

    pub(crate) fn phrases(&self) -> &PhraseSet<Vec<usize>> {
        &self.phrases
    }

    /// The English country name for a code («SY» → «Syria»), for generic actors.
    pub fn country_name(&self, code: &str) -> Option<&str> {
        self.countries.get(code).map(String::as_str)
    }

    /// The generic actor `base (Country)` for a country, e.g.
    /// `Civilians (Iraq)`: the register's entry when it has one, else the name
    /// built from the country list, else `base (code)`.
    pub fn generic(&self, base: &str, country: &str) -> String {
        let name = self.country_name(country).unwrap_or(country);
        format!("{base} ({name})")
    }

    /// A place-qualified variant of a generic actor when the register has it
    /// («Local armed group» in Jasim → «Local armed group (Jasim)»).
    pub(crate) fn qualified(&self, base: &str, place_en: &str, place_ar: &str) -> Option<usize> {
        if let Some(id) = self.id_of(&format!("{base} ({place_en})")) {
            return Some(id);
        }
        // Else an actor «base (…)» whose Arabic aliases name the place
        // («الفصائل المحلية في جاسم» for «Local armed group (Jasim)»).
        let prefix = format!("{base} (");
        if !self.actors.iter().any(|a| a.canonical.starts_with(&prefix)) {
            return None;
        }
        let key = crate::text::key_of(place_ar);
        self.actors.iter().position(|a| {
            a.canonical.starts_with(&prefix)
                && a.aliases_ar
                    .iter()
                    .any(|al| crate::text::phrase_keys(al).contains(&key))
        })
    }

    /// Among actor ids sharing an alias, the one for `country` (else the first).
    pub(crate) fn pick(&self, ids: &[usize], country: Option<&str>) -> usize {
        if let Some(c) = country
            && let Some(&i) = ids.iter().find(|&&i| self.actors[i].country == c)
        {
            return i;
        }
        ids[0]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::analyse;

    const MINI: &str = "canonical\tkind\tcountry\taliases_ar\taliases_en\n\
        Blue Guard\tstate_forces\tXA\tالحرس الأزرق|قوات الحرس\tBlue Guard\n\
        Unidentified armed group (Xland)\tpolitical_militia\tXA\tمسلحون مجهولون\tunknown\n\
        Unidentified armed group (Yland)\tpolitical_militia\tXB\tمسلحون مجهولون\tunknown\n";

    #[test]
    fn aliases_match_through_clitics_and_case() {
        let reg = ActorRegister::from_tsv(MINI).unwrap();
        let text = "ولقوات الحرس برصاص مسلحين مجهولين";
        let a = analyse(text, std::slice::from_ref(&(0..text.len())));
        let hits = reg.phrases().find(&a.tokens, 0..a.tokens.len());
        assert_eq!(hits.len(), 2);
        assert_eq!(reg.actor(hits[0].value[0]).canonical, "Blue Guard");
        let id = reg.pick(hits[1].value, Some("XB"));
        assert_eq!(reg.actor(id).canonical, "Unidentified armed group (Yland)");
    }

    #[test]
    fn merge_adds_aliases_and_actors() {
        let mut reg = ActorRegister::from_tsv(MINI).unwrap();
        let user = "canonical\tkind\tcountry\taliases_ar\taliases_en\n\
            Blue Guard\tstate_forces\tXA\tحرس المدينة\t\n\
            Red Band\trebel_group\tXA\tالعصبة الحمراء\tRed Band\n";
        reg.merge(ActorRegister::from_tsv(user).unwrap());
        assert_eq!(reg.len(), 4);
        assert_eq!(reg.get("Blue Guard").unwrap().aliases_ar.len(), 3);
    }

    #[test]
    fn bad_rows_are_errors() {
        let err = ActorRegister::from_tsv("canonical\tkind\nX\n").unwrap_err();
        assert!(err.to_string().contains("line 2"), "{err}");
    }

    #[test]
    fn bundled_register_loads() {
        let reg = ActorRegister::bundled();
        assert!(reg.len() >= 40);
        assert_eq!(reg.generic("Civilians", "LY"), "Civilians (Libya)");
    }
}

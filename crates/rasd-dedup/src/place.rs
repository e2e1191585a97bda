//! Where two reports put an incident, compared on the gazetteer's hierarchy.
//!
//! Outlets name one incident at different precisions: a village and the countryside
//! region that holds it («ريف درعا الشرقي»), a quarter and its city, a town and «محيط»
//! the town (rule 11 codes it as the town at district precision, with the town's
//! entry). [`PlaceKey::relation`] says whether two locations are the same place, one
//! holds the other, or they are apart, from what the locations carry and what the
//! bundled gazetteer ([`rasd_geo::Gazetteer::bundled`]) knows of their entries: the
//! OCHA admin codes, the entry's kind, and for the generated «ريف X» regions the side
//! of the governorate they cover. The words an outlet used never decide it.
//!
//! Without a gazetteer entry (a location coded elsewhere, or a place the gazetteer
//! lacks) the admin names and coordinates of [`rasd_model::Location`] stand in.

use crate::geo::{haversine_km, valid_point};
use crate::params::{
    QUARTER_OF_CITY_KM, RIF_CENTRAL_KM, RIF_SIDE_MARGIN_DEG, SAME_PLACE_KM, SAME_SETTLEMENT_KM,
};
use crate::text::{MEMO_PLACE, combine, fold_key, hash64, memo_hash, mix64};
use rasd_geo::{Gazetteer, PlaceKind};
use rasd_model::{Location, LocationPrecision};

/// How finely a location places an incident, finest first. A quarter (neighbourhood,
/// camp, site, crossing) is finer than the town it lies in although both have
/// `community` precision; a named region is finer than its whole governorate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    Quarter,
    Community,
    Subdistrict,
    District,
    Region,
    Governorate,
    Country,
}

impl Level {
    fn of_precision(p: LocationPrecision) -> Level {
        match p {
            LocationPrecision::Community => Level::Community,
            LocationPrecision::Subdistrict => Level::Subdistrict,
            LocationPrecision::District => Level::District,
            LocationPrecision::Governorate => Level::Governorate,
            LocationPrecision::Country => Level::Country,
        }
    }
}

/// What the gazetteer says about a location's entry.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Entry {
    /// No entry, or one the bundled gazetteer does not hold.
    Unknown,
    Quarter,
    /// A town or village; `notable` for one that has quarters (a city, a large town).
    Settlement {
        notable: bool,
    },
    /// An admin unit (governorate, district, sub-district) or the country.
    Admin,
    /// A generated «ريف X» region: the governorate's countryside, or one side of it
    /// (`dir` is (north +1 / south −1, east +1 / west −1); (0, 0) with `central`).
    Rif {
        gov_lat: f64,
        gov_lon: f64,
        dir: (i8, i8),
        central: bool,
    },
    /// Another named region («اللجاة», «الغوطة الشرقية»): known by its governorate only.
    Region,
}

/// A location reduced to what place comparison needs.
#[derive(Debug, Clone)]
pub struct PlaceKey {
    /// Hash of the gazetteer id.
    pub id: Option<u64>,
    /// Hash of the folded name, governorate and country (precision left out, so that
    /// a town and «محيط» the town share it).
    pub name: u64,
    pub level: Level,
    /// Hashes of country + admin1, admin2, admin3 (the folded names of the gazetteer
    /// entry, else those the location carries).
    admin: [Option<u64>; 3],
    country: u64,
    /// The location's point, at any precision.
    point: Option<(f64, f64)>,
    entry: Entry,
}

/// How two locations relate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum PlaceRel {
    /// The same place, `km` apart (0 for one entry or name).
    Same(f64),
    /// One location holds the other (a region and its village, a city and its quarter).
    Holds,
    /// Two different places.
    Apart,
}

/// The hash of a folded name (memoised: the same names come again and again).
fn folded(name: &str) -> u64 {
    memo_hash(MEMO_PLACE, name, fold_key)
}

/// A key of `parts` under `tag` (a small constant per kind of key).
fn h(tag: u64, parts: &[u64]) -> u64 {
    parts.iter().fold(mix64(tag), |acc, &p| combine(acc, p))
}

const TAG_ID: u64 = 1;
const TAG_NAME: u64 = 2;
const TAG_ADMIN: [u64; 3] = [3, 4, 5];
const TAG_COUNTRY: u64 = 6;

fn nonempty(s: Option<&str>) -> Option<&str> {
    s.map(str::trim).filter(|s| !s.is_empty())
}

impl PlaceKey {
    pub fn of(loc: &Location) -> PlaceKey {
        let country = folded(&loc.country);
        let place_id = nonempty(loc.place_id.as_deref());
        let id = place_id.map(|p| h(TAG_ID, &[hash64(p.as_bytes())]));
        let admin1 = folded(loc.admin1.as_deref().unwrap_or(""));
        let name = h(TAG_NAME, &[folded(&loc.name), admin1, country]);
        let point = match (loc.lat, loc.lon) {
            (Some(lat), Some(lon)) if valid_point(lat, lon) => Some((lat, lon)),
            _ => None,
        };
        let admin =
            |i: usize, a: Option<&str>| nonempty(a).map(|a| h(TAG_ADMIN[i], &[country, folded(a)]));
        let mut key = PlaceKey {
            id,
            name,
            level: Level::of_precision(loc.precision),
            admin: [
                admin(0, loc.admin1.as_deref()),
                admin(1, loc.admin2.as_deref()),
                admin(2, loc.admin3.as_deref()),
            ],
            country: h(TAG_COUNTRY, &[country]),
            point,
            entry: Entry::Unknown,
        };
        if let Some(pid) = place_id {
            key.read_entry(pid, loc.precision);
        }
        key
    }

    /// Fills the admin codes and kind from the gazetteer entry, when it has one.
    fn read_entry(&mut self, place_id: &str, precision: LocationPrecision) {
        let g = Gazetteer::bundled();
        let Some(pid) = g.by_id(place_id) else {
            return;
        };
        let p = g.get(pid);
        let country = folded(&p.country);
        // The entry's admin names (as the coder copies them into a location), so that a
        // location with an entry and one without compare alike.
        let admin = |i: usize, a: &Option<String>| {
            nonempty(a.as_deref()).map(|a| h(TAG_ADMIN[i], &[country, folded(a)]))
        };
        self.admin = [
            admin(0, &p.admin1_ar),
            admin(1, &p.admin2_ar),
            admin(2, &p.admin3_ar),
        ];
        self.country = h(TAG_COUNTRY, &[country]);
        if self.point.is_none() {
            self.point = Some((p.lat, p.lon));
        }
        self.entry = match p.kind {
            PlaceKind::Neighbourhood | PlaceKind::Camp | PlaceKind::Site | PlaceKind::Crossing => {
                Entry::Quarter
            }
            PlaceKind::Region => rif_of(g, &p.id).unwrap_or(Entry::Region),
            k if k.is_admin() => Entry::Admin,
            _ => Entry::Settlement {
                notable: p.is_notable(),
            },
        };
        // «محيط X» is X's entry at district precision: the level stays the coded one.
        if precision == LocationPrecision::Community && self.entry == Entry::Quarter {
            self.level = Level::Quarter;
        }
        if matches!(self.entry, Entry::Rif { .. } | Entry::Region) {
            self.level = Level::Region;
        }
    }

    /// Country + governorate key for the index (by code or by name, as compared).
    pub fn admin1(&self) -> Option<u64> {
        self.admin[0]
    }

    /// A point fine enough for the 10 km rule (a community or a quarter).
    pub fn fine_point(&self) -> Option<(f64, f64)> {
        (self.level <= Level::Community)
            .then_some(self.point)
            .flatten()
    }

    /// True for a location coarser than a community (a region, an admin unit).
    pub fn coarse(&self) -> bool {
        self.level > Level::Community
    }

    /// How `self` and `other` relate.
    pub fn relation(&self, other: &PlaceKey) -> PlaceRel {
        let same_entry = match (self.id, other.id) {
            (Some(a), Some(b)) => a == b,
            _ => false,
        };
        if same_entry || ((self.id.is_none() || other.id.is_none()) && self.name == other.name) {
            return PlaceRel::Same(0.0);
        }
        let (fine, coarse) = if self.level <= other.level {
            (self, other)
        } else {
            (other, self)
        };
        if coarse.level <= Level::Community {
            return fine.beside(coarse);
        }
        if fine.level == coarse.level {
            // Two regions or admin units at one level: one may hold the other only
            // when it is the whole countryside and the other a side of it.
            return match (fine.entry, coarse.entry) {
                (
                    Entry::Rif {
                        central: false,
                        dir: (0, 0),
                        ..
                    },
                    Entry::Rif { .. },
                )
                | (
                    Entry::Rif { .. },
                    Entry::Rif {
                        central: false,
                        dir: (0, 0),
                        ..
                    },
                ) if fine.admin[0] == coarse.admin[0] => PlaceRel::Holds,
                _ => PlaceRel::Apart,
            };
        }
        if coarse.holds(fine) {
            PlaceRel::Holds
        } else {
            PlaceRel::Apart
        }
    }

    /// Two community-level places (towns, villages, quarters).
    fn beside(&self, other: &PlaceKey) -> PlaceRel {
        let km = match (self.point, other.point) {
            (Some((a, b)), Some((c, d))) => Some(haversine_km(a, b, c, d)),
            _ => None,
        };
        let same_admin1 = self.admin[0].is_some() && self.admin[0] == other.admin[0];
        match (self.entry, other.entry) {
            // Two quarters with their own entries are two places, however close.
            (Entry::Quarter, Entry::Quarter) => PlaceRel::Apart,
            (Entry::Quarter, Entry::Settlement { notable: true })
            | (Entry::Settlement { notable: true }, Entry::Quarter)
                if same_admin1 && km.is_some_and(|k| k <= QUARTER_OF_CITY_KM) =>
            {
                PlaceRel::Holds
            }
            (Entry::Quarter, _) | (_, Entry::Quarter) => PlaceRel::Apart,
            // Two settlements of the gazetteer are one place only when they are one
            // spot under two entries (a suburb, a duplicate record).
            (Entry::Settlement { .. }, Entry::Settlement { .. }) => match km {
                Some(k) if k <= SAME_SETTLEMENT_KM => PlaceRel::Same(k),
                _ => PlaceRel::Apart,
            },
            // Without an entry on one side only the distance tells (spec "Matching").
            _ => match km {
                Some(k) if k <= SAME_PLACE_KM => PlaceRel::Same(k),
                _ => PlaceRel::Apart,
            },
        }
    }

    /// True when this coarser location holds the finer `fine`.
    fn holds(&self, fine: &PlaceKey) -> bool {
        if self.country != fine.country {
            return false;
        }
        match self.level {
            Level::Country => true,
            Level::Governorate => self.admin[0].is_some() && self.admin[0] == fine.admin[0],
            Level::Region => {
                if self.admin[0].is_none() || self.admin[0] != fine.admin[0] {
                    return false;
                }
                match (self.entry, fine.point) {
                    (
                        Entry::Rif {
                            gov_lat,
                            gov_lon,
                            dir,
                            central,
                        },
                        Some((lat, lon)),
                    ) => {
                        if central {
                            return haversine_km(gov_lat, gov_lon, lat, lon) <= RIF_CENTRAL_KM;
                        }
                        let side = |d: i8, x: f64, c: f64| {
                            d == 0 || (x - c) * f64::from(d) > -RIF_SIDE_MARGIN_DEG
                        };
                        side(dir.0, lat, gov_lat) && side(dir.1, lon, gov_lon)
                    }
                    // A region of unknown extent: its governorate is all we know.
                    _ => true,
                }
            }
            Level::District => self.unit_holds(fine, 1),
            Level::Subdistrict => self.unit_holds(fine, 2),
            Level::Community | Level::Quarter => false,
        }
    }

    /// An admin unit at `depth` (1 district, 2 sub-district) holds places with its code.
    fn unit_holds(&self, fine: &PlaceKey, depth: usize) -> bool {
        if self.admin[0].is_none() || self.admin[0] != fine.admin[0] {
            return false;
        }
        match (self.admin[depth], fine.admin[depth]) {
            (Some(a), Some(b)) => a == b,
            // A town at «محيط» precision without admin codes: compare by name.
            _ => self.name == fine.name,
        }
    }
}

/// A generated «ريف X» region (`x:rif-<governorate p-code>[-<side>]`, as
/// `rasd-geo/data/build_gazetteer.py` names them) and the governorate point it is cut from.
fn rif_of(g: &Gazetteer, id: &str) -> Option<Entry> {
    let rest = id.strip_prefix("x:rif-")?;
    let (pcode, side) = match rest.split_once('-') {
        Some((p, s)) => (p, s),
        None => (rest, ""),
    };
    let gov = g.get(g.by_id(&format!("sy:{pcode}"))?);
    let (dir, central) = match side {
        "" => ((0, 0), false),
        "central" => ((0, 0), true),
        "north" => ((1, 0), false),
        "south" => ((-1, 0), false),
        "east" => ((0, 1), false),
        "west" => ((0, -1), false),
        "north-east" => ((1, 1), false),
        "north-west" => ((1, -1), false),
        "south-east" => ((-1, 1), false),
        "south-west" => ((-1, -1), false),
        _ => return None,
    };
    Some(Entry::Rif {
        gov_lat: gov.lat,
        gov_lon: gov.lon,
        dir,
        central,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A location as the coder writes it for a gazetteer entry.
    pub(crate) fn at(id: &str, precision: LocationPrecision) -> PlaceKey {
        let g = Gazetteer::bundled();
        let mut loc = g.get(g.by_id(id).expect(id)).to_location();
        loc.precision = precision;
        PlaceKey::of(&loc)
    }

    use LocationPrecision::*;

    #[test]
    fn a_village_lies_in_its_side_of_the_countryside() {
        // Al-Karak al-Sharqi, in the east of Daraa governorate.
        let village = at("x:karak-east", Community);
        let east = at("x:rif-SY12-east", Governorate);
        let west = at("x:rif-SY12-west", Governorate);
        let whole = at("x:rif-SY12", Governorate);
        assert_eq!(village.relation(&east), PlaceRel::Holds);
        assert_eq!(east.relation(&village), PlaceRel::Holds);
        assert_eq!(village.relation(&west), PlaceRel::Apart);
        assert_eq!(village.relation(&whole), PlaceRel::Holds);
        assert_eq!(east.relation(&whole), PlaceRel::Holds);
        assert_eq!(east.relation(&west), PlaceRel::Apart);
        // Another governorate's countryside does not hold it.
        assert_eq!(
            village.relation(&at("x:rif-SY02-east", Governorate)),
            PlaceRel::Apart
        );
    }

    #[test]
    fn quarters_and_their_city() {
        let city = at("wof:421168647", Community); // Homs
        let q1 = PlaceKey::of(&quarter("x:homs-khalidiya"));
        let q2 = PlaceKey::of(&quarter("x:homs-waer"));
        assert_eq!(q1.relation(&city), PlaceRel::Holds);
        assert_eq!(q1.relation(&q2), PlaceRel::Apart);
        assert!(q1.level < city.level);
    }

    fn quarter(id: &str) -> Location {
        let g = Gazetteer::bundled();
        g.get(g.by_id(id).expect(id)).to_location()
    }

    #[test]
    fn a_town_and_its_surroundings_are_one_place() {
        let town = at("wof:890428813", Community); // Al-Hirak
        let around = at("wof:890428813", District);
        assert_eq!(town.relation(&around), PlaceRel::Same(0.0));
    }
}

//! English place names for the exports, written the way ACLED writes them.
//!
//! The record holds the gazetteer's Arabic names; ACLED writes ASCII transliterations
//! («Jasim», «Izra'», «Dar'a»). The English names come from the bundled gazetteer
//! (`rasd-geo`: OCHA/OpenSyria admin names, Who's On First/GeoNames localities), found
//! through the location's `place_id`, or, for an admin area or a region the record only
//! names, through its Arabic name. They are then made ASCII as ACLED does: accents and
//! macrons dropped, `‘`/`’`/`ʿ`/`ʾ`/`` ` `` written `'`, hyphens between words written as
//! spaces («Deir ez-Zor» → «Deir ez Zor»). Syria's governorates and the few districts
//! whose ACLED spelling differs from OCHA's take ACLED's spelling ([`ACLED_ADMIN`]).

use rasd_geo::{Gazetteer, Place, PlaceId, PlaceKind};
use rasd_model::Location;
use std::collections::HashMap;
use std::sync::OnceLock;
use unicode_normalization::UnicodeNormalization;

/// ACLED's spelling of Syrian admin areas, by OCHA p-code, where it differs from the
/// gazetteer's English name made ASCII: the governorates (ACLED writes them with spaces
/// and its own transliteration, «Al Hasakeh», «Deir ez Zor», «Idleb»), Aleppo's seat
/// district (OCHA's «Mount Simeon») and Izra'. Other districts named like their
/// governorate take the governorate's name (see `admin_name`).
pub const ACLED_ADMIN: &[(&str, &str)] = &[
    ("SY01", "Damascus"),
    ("SY02", "Aleppo"),
    ("SY03", "Rural Damascus"),
    ("SY04", "Homs"),
    ("SY05", "Hama"),
    ("SY06", "Lattakia"),
    ("SY07", "Idleb"),
    ("SY08", "Al Hasakeh"),
    ("SY09", "Deir ez Zor"),
    ("SY10", "Tartous"),
    ("SY11", "Ar Raqqa"),
    ("SY12", "Dar'a"),
    ("SY13", "As Sweida"),
    ("SY14", "Quneitra"),
    ("SY0200", "Jebel Saman"),
    ("SY1203", "Izra'"),
];

/// The English names of an event's place, ACLED-style.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EnglishPlace {
    pub location: String,
    pub admin1: String,
    pub admin2: String,
    pub admin3: String,
}

/// Latin text as ACLED writes place names: ASCII, no diacritics, `'` for ayn and hamza,
/// spaces for hyphens between words.
pub fn acled_ascii(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.nfd() {
        match c {
            '\u{2018}' | '\u{2019}' | '\u{02BF}' | '\u{02BE}' | '`' | '\u{00B4}' | '\u{02BB}'
            | '\u{02BC}' => out.push('\''),
            '-' | '\u{2010}' | '\u{2013}' => out.push(' '),
            c if c.is_ascii() => out.push(c),
            // Combining marks (macrons, dots, accents) and anything else non-ASCII.
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn acled_admin(pcode: &str) -> Option<&'static str> {
    ACLED_ADMIN
        .iter()
        .find(|(p, _)| *p == pcode)
        .map(|(_, n)| *n)
}

/// A Latin name made ASCII; a name the source gives in Arabic script has no English form.
fn latin(s: Option<&str>) -> String {
    match s {
        Some(s) if !s.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c)) => acled_ascii(s),
        _ => String::new(),
    }
}

/// An admin area's ACLED name: ACLED's own spelling where [`ACLED_ADMIN`] has one; a
/// district or subdistrict named like its governorate (the seat) takes the governorate's
/// name, as ACLED writes it; else the English name made ASCII.
fn admin_name(p: &Place, level: u8) -> String {
    let (pcode, ar, en) = match level {
        1 => (&p.admin1_pcode, &p.admin1_ar, &p.admin1_en),
        2 => (&p.admin2_pcode, &p.admin2_ar, &p.admin2_en),
        _ => (&p.admin3_pcode, &p.admin3_ar, &p.admin3_en),
    };
    if let Some(n) = pcode.as_deref().and_then(acled_admin) {
        return n.to_string();
    }
    if level > 1 && ar.is_some() && *ar == p.admin1_ar {
        if let Some(n) = p.admin1_pcode.as_deref().and_then(acled_admin) {
            return n.to_string();
        }
    }
    latin(en.as_deref())
}

fn names_of(p: &Place) -> EnglishPlace {
    let admin1 = admin_name(p, 1);
    let admin2 = admin_name(p, 2);
    let admin3 = admin_name(p, 3);
    let same = |ar: &Option<String>| ar.as_deref() == Some(p.name_ar.as_str());
    let own = match p.kind {
        PlaceKind::Governorate => admin1.clone(),
        PlaceKind::District => admin2.clone(),
        PlaceKind::Subdistrict => admin3.clone(),
        // A town that is the seat of its subdistrict or district takes the admin area's
        // OCHA spelling, as ACLED does («Daret Azza», where GeoNames has «Dar Ta izzah»).
        _ if same(&p.admin3_ar) && !admin3.is_empty() => admin3.clone(),
        _ if same(&p.admin2_ar) && !admin2.is_empty() => admin2.clone(),
        _ => latin(Some(&p.name_en)),
    };
    // A town the sources name only in Arabic: the admin area named after it (a seat),
    // else the finest admin area it lies in.
    let location = if own.is_empty() {
        [
            (same(&p.admin2_ar), &admin2),
            (same(&p.admin1_ar), &admin1),
            (true, &admin3),
            (true, &admin2),
            (true, &admin1),
        ]
        .into_iter()
        .find(|(ok, n)| *ok && !n.is_empty())
        .map(|(_, n)| n.clone())
        .unwrap_or_default()
    } else {
        own
    };
    EnglishPlace {
        location,
        admin1,
        admin2,
        admin3,
    }
}

/// Admin areas and regions by (country, kind, Arabic name), for records that name an
/// area without a gazetteer id.
fn areas() -> &'static HashMap<(String, &'static str, String), PlaceId> {
    static AREAS: OnceLock<HashMap<(String, &'static str, String), PlaceId>> = OnceLock::new();
    AREAS.get_or_init(|| {
        let g = Gazetteer::bundled();
        let mut m = HashMap::new();
        for i in 0..g.len() {
            let id = PlaceId(i as u32);
            let p = g.get(id);
            let kind = match p.kind {
                PlaceKind::Governorate => "admin1",
                PlaceKind::District => "admin2",
                PlaceKind::Subdistrict => "admin3",
                PlaceKind::Region => "region",
                _ => continue,
            };
            for n in p.names() {
                m.entry((p.country.clone(), kind, n.to_string()))
                    .or_insert(id);
            }
        }
        m
    })
}

fn area(country: &str, kind: &'static str, name_ar: Option<&str>) -> Option<&'static Place> {
    let name = name_ar?.trim();
    let id = areas().get(&(country.to_ascii_uppercase(), kind, name.to_string()))?;
    Some(Gazetteer::bundled().get(*id))
}

/// The English names of `loc`. A place the gazetteer has gives all four; otherwise each
/// admin area is looked up by its Arabic name, and the location falls back to the finest
/// area found (a region the article words its own way has no English name).
pub fn english(loc: &Location) -> EnglishPlace {
    let g = Gazetteer::bundled();
    if let Some(p) = loc.place_id.as_deref().and_then(|id| g.by_id(id)) {
        return names_of(g.get(p));
    }
    let c = loc.country.as_str();
    let level =
        |kind: &'static str, name: Option<&str>| area(c, kind, name).map(|p| names_of(p).location);
    let admin1 = level("admin1", loc.admin1.as_deref()).unwrap_or_default();
    let admin2 = level("admin2", loc.admin2.as_deref()).unwrap_or_default();
    let admin3 = level("admin3", loc.admin3.as_deref()).unwrap_or_default();
    let location = area(c, "region", Some(&loc.name))
        .or_else(|| area(c, "admin3", Some(&loc.name)))
        .or_else(|| area(c, "admin2", Some(&loc.name)))
        .or_else(|| area(c, "admin1", Some(&loc.name)))
        .map(|p| names_of(p).location)
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| {
            [&admin3, &admin2, &admin1]
                .into_iter()
                .find(|n| !n.is_empty())
                .cloned()
                .unwrap_or_default()
        });
    EnglishPlace {
        location,
        admin1,
        admin2,
        admin3,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rasd_model::LocationPrecision;

    #[test]
    fn ascii_as_acled_writes_it() {
        assert_eq!(acled_ascii("Jāsim"), "Jasim");
        assert_eq!(acled_ascii("Ma‘arrat an Nu‘mān"), "Ma'arrat an Nu'man");
        assert_eq!(acled_ascii("Al `Alamiyah"), "Al 'Alamiyah");
        assert_eq!(acled_ascii("Deir ez-Zor"), "Deir ez Zor");
        assert_eq!(acled_ascii("Qaḑā’ al Ḩamdānīyah"), "Qada' al Hamdaniyah");
        assert_eq!(acled_ascii("  Batroûn "), "Batroun");
    }

    #[test]
    fn jasim_in_izra_in_dara() {
        let g = Gazetteer::bundled();
        let jasim = g
            .lookup("جاسم")
            .into_iter()
            .map(|id| g.get(id))
            .find(|p| p.kind == PlaceKind::Locality && p.admin1_pcode.as_deref() == Some("SY12"))
            .expect("Jasim is in the gazetteer");
        let loc = jasim.to_location();
        let e = english(&loc);
        assert_eq!(
            e,
            EnglishPlace {
                location: "Jasim".into(),
                admin1: "Dar'a".into(),
                admin2: "Izra'".into(),
                admin3: "Jasim".into(),
            }
        );
        assert!(e.location.is_ascii() && e.admin1.is_ascii());
    }

    #[test]
    fn areas_without_an_id_are_found_by_their_arabic_name() {
        let loc = Location {
            name: "ريف حماة الغربي".into(),
            admin1: Some("حماة".into()),
            country: "SY".into(),
            precision: LocationPrecision::Governorate,
            admin2: None,
            admin3: None,
            lat: None,
            lon: None,
            place_id: None,
            span: None,
        };
        let e = english(&loc);
        assert_eq!(e.admin1, "Hama");
        assert!(!e.location.is_empty() && e.location.is_ascii(), "{e:?}");
        let nowhere = Location {
            name: "مكان لا يعرفه أحد".into(),
            admin1: None,
            ..loc
        };
        assert_eq!(english(&nowhere), EnglishPlace::default());
    }

    #[test]
    fn every_syrian_governorate_has_acleds_name() {
        let g = Gazetteer::bundled();
        let govs: Vec<&Place> = g
            .places()
            .filter(|p| p.kind == PlaceKind::Governorate && p.country == "SY")
            .collect();
        assert_eq!(govs.len(), 14);
        for p in govs {
            let n = names_of(p);
            let code = p.pcode.as_deref().unwrap_or_default();
            assert_eq!(Some(n.location.as_str()), acled_admin(code), "{code}");
        }
    }
}

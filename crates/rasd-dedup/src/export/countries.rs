//! The few country facts the exports need, for the countries rasd's sources cover.

/// ISO alpha-3, ISO numeric, English name and ACLED region of a country.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Country {
    pub alpha2: &'static str,
    pub alpha3: &'static str,
    pub numeric: u16,
    pub name: &'static str,
    pub acled_region: &'static str,
}

const fn c(
    alpha2: &'static str,
    alpha3: &'static str,
    numeric: u16,
    name: &'static str,
    acled_region: &'static str,
) -> Country {
    Country {
        alpha2,
        alpha3,
        numeric,
        name,
        acled_region,
    }
}

const ME: &str = "Middle East";
const NA: &str = "Northern Africa";

/// The table (Middle East and North Africa, and the states whose forces act there).
pub const COUNTRIES: &[Country] = &[
    c("SY", "SYR", 760, "Syria", ME),
    c("IQ", "IRQ", 368, "Iraq", ME),
    c("LB", "LBN", 422, "Lebanon", ME),
    c("JO", "JOR", 400, "Jordan", ME),
    c("TR", "TUR", 792, "Turkey", ME),
    c("IL", "ISR", 376, "Israel", ME),
    c("PS", "PSE", 275, "Palestine", ME),
    c("YE", "YEM", 887, "Yemen", ME),
    c("SA", "SAU", 682, "Saudi Arabia", ME),
    c("IR", "IRN", 364, "Iran", ME),
    c("KW", "KWT", 414, "Kuwait", ME),
    c("BH", "BHR", 48, "Bahrain", ME),
    c("QA", "QAT", 634, "Qatar", ME),
    c("AE", "ARE", 784, "United Arab Emirates", ME),
    c("OM", "OMN", 512, "Oman", ME),
    c("EG", "EGY", 818, "Egypt", NA),
    c("LY", "LBY", 434, "Libya", NA),
    c("TN", "TUN", 788, "Tunisia", NA),
    c("DZ", "DZA", 12, "Algeria", NA),
    c("MA", "MAR", 504, "Morocco", NA),
    c("SD", "SDN", 729, "Sudan", NA),
];

/// The facts of an alpha-2 code, when the table has it.
pub fn country(alpha2: &str) -> Option<&'static Country> {
    let a = alpha2.trim();
    COUNTRIES.iter().find(|c| c.alpha2.eq_ignore_ascii_case(a))
}

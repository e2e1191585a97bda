//! The publication day of an article that has none in its metadata (a
//! Telegram post, a pasted text), read from how the text names «today»:
//! «اليوم الاثنين 25 أيلول» is a Monday 25 September, so the latest year up to
//! the reference day in which 25 September fell on a Monday. Dates come from
//! `rasd_arabic::dates`; this module only adds the weekday check.

use jiff::civil::Date;
use rasd_arabic::dates::{DateKind, WEEKDAYS};

use crate::thresholds::PUBLISHED_SEARCH_YEARS;

/// The day the text calls «today», when it names it with a weekday, a day and
/// a month; `reference` is the latest day it can be (normally the day the
/// article is coded).
pub(crate) fn infer(text: &str, reference: Date) -> Option<Date> {
    for d in rasd_arabic::dates::find_dates(text, reference) {
        if d.kind != DateKind::MonthName || !d.relative || d.start != d.end {
            continue;
        }
        let words = rasd_arabic::fold_loose(&text[d.range.clone()]);
        if !words.split(' ').any(|w| w == "اليوم") {
            continue;
        }
        let Some(weekday) = words
            .split(' ')
            .find_map(|w| WEEKDAYS.iter().find(|(n, _)| *n == w).map(|(_, d)| *d))
        else {
            continue;
        };
        let (month, day) = (d.start.month(), d.start.day());
        for back in 0..PUBLISHED_SEARCH_YEARS {
            let year = reference.year() - back;
            if let Ok(date) = Date::new(year, month, day)
                && date <= reference
                && date.weekday() == weekday
            {
                return Some(date);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weekday_and_day_fix_the_year() {
        let reference = Date::constant(2026, 11, 25);
        // 14 March fell on a Thursday in 2024.
        let text = "اندلعت اشتباكات فجر اليوم الخميس 14 آذار في البلدة.";
        assert_eq!(infer(text, reference), Some(Date::constant(2024, 3, 14)));
        assert_eq!(infer("لا تاريخ هنا", reference), None);
    }
}

//! Publication times as news pages give them: sometimes a full timestamp with its
//! UTC offset, sometimes a local time with no offset, sometimes only a day.

use jiff::civil::{Date, DateTime, Time};
use jiff::tz::{Offset, TimeZone};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// A publication time. `date` is always the local (publisher's) calendar day;
/// `time` and `offset` are present when the source gave them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PublishedTime {
    pub date: Date,
    pub time: Option<Time>,
    pub offset: Option<Offset>,
}

/// A string that is not a publication time rasd can read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a date or date-time: {0:?}")]
pub struct BadTime(pub String);

impl PublishedTime {
    pub fn from_date(date: Date) -> Self {
        Self {
            date,
            time: None,
            offset: None,
        }
    }

    /// A local date-time read in zone `tz` (the offset in force then is recorded).
    pub fn from_local(dt: DateTime, tz: &TimeZone) -> Self {
        // A local time that falls in a DST gap is read as the clock would show it after the jump.
        let offset = tz
            .to_ambiguous_timestamp(dt)
            .compatible()
            .map(|ts| tz.to_offset(ts))
            .unwrap_or(Offset::UTC);
        Self {
            date: dt.date(),
            time: Some(dt.time()),
            offset: Some(offset),
        }
    }

    /// An instant shown in zone `tz`, e.g. a UTC meta tag shown on Damascus' clock.
    pub fn from_timestamp(ts: jiff::Timestamp, tz: &TimeZone) -> Self {
        let offset = tz.to_offset(ts);
        let dt = offset.to_datetime(ts);
        Self {
            date: dt.date(),
            time: Some(dt.time()),
            offset: Some(offset),
        }
    }

    /// The instant, when both the time and the offset are known.
    pub fn timestamp(&self) -> Option<jiff::Timestamp> {
        let dt = self.date.to_datetime(self.time?);
        self.offset?.to_timestamp(dt).ok()
    }

    /// The same instant on another zone's clock (a time without offset is taken as
    /// already local to that zone, a bare date stays as it is).
    pub fn in_zone(&self, tz: &TimeZone) -> Self {
        match (self.timestamp(), self.time) {
            (Some(ts), _) => Self::from_timestamp(ts, tz),
            (None, Some(t)) => Self::from_local(self.date.to_datetime(t), tz),
            (None, None) => *self,
        }
    }
}

impl fmt::Display for PublishedTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.date)?;
        if let Some(t) = self.time {
            write!(f, "T{:02}:{:02}:{:02}", t.hour(), t.minute(), t.second())?;
            if let Some(o) = self.offset {
                let secs = o.seconds();
                let sign = if secs < 0 { '-' } else { '+' };
                let secs = secs.unsigned_abs();
                write!(f, "{sign}{:02}:{:02}", secs / 3600, (secs % 3600) / 60)?;
            }
        }
        Ok(())
    }
}

impl FromStr for PublishedTime {
    type Err = BadTime;

    /// Reads `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM[:SS[.f]]`, optionally followed by `Z` or
    /// `±HH:MM` (a space may stand for the `T`).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || BadTime(s.to_string());
        let t = s.trim();
        if t.len() == 10 {
            return t.parse::<Date>().map(Self::from_date).map_err(|_| bad());
        }
        let (local, offset) = split_offset(t).ok_or_else(bad)?;
        let local = local.replacen(' ', "T", 1);
        let dt: DateTime = local.parse().map_err(|_| bad())?;
        Ok(Self {
            date: dt.date(),
            time: Some(dt.time()),
            offset,
        })
    }
}

fn split_offset(s: &str) -> Option<(&str, Option<Offset>)> {
    if let Some(rest) = s.strip_suffix('Z').or_else(|| s.strip_suffix('z')) {
        return Some((rest, Some(Offset::UTC)));
    }
    let bytes = s.as_bytes();
    // "+03:00", "+0300" or "+03" after a date-time of at least 16 characters.
    for len in [6usize, 5, 3] {
        if s.len() > 16 + len - 1 && s.is_char_boundary(s.len() - len) {
            let tail = &s[s.len() - len..];
            let sign = match bytes[s.len() - len] {
                b'+' => 1,
                b'-' => -1,
                _ => continue,
            };
            let digits: String = tail[1..].chars().filter(|c| *c != ':').collect();
            if digits.len() != 4 && digits.len() != 2 || !digits.bytes().all(|b| b.is_ascii_digit())
            {
                continue;
            }
            let hours: i32 = digits[..2].parse().ok()?;
            let minutes: i32 = if digits.len() == 4 {
                digits[2..].parse().ok()?
            } else {
                0
            };
            let offset = Offset::from_seconds(sign * (hours * 3600 + minutes * 60)).ok()?;
            return Some((&s[..s.len() - len], Some(offset)));
        }
    }
    Some((s, None))
}

impl Serialize for PublishedTime {
    fn serialize<S: Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        ser.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for PublishedTime {
    fn deserialize<D: Deserializer<'de>>(de: D) -> Result<Self, D::Error> {
        let s = String::deserialize(de)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_form_the_corpus_uses() {
        for s in [
            "2022-10-25T12:48:00+03:00",
            "2022-10-26T10:20",
            "2023-08-07",
            "2022-01-26T11:05:00+02:00",
        ] {
            let p: PublishedTime = s.parse().unwrap();
            let shown = p.to_string();
            assert!(shown.starts_with(&s[..s.len().min(16)]), "{s} -> {shown}");
        }
        let p: PublishedTime = "2022-10-25T09:48:00Z".parse().unwrap();
        assert_eq!(p.offset, Some(Offset::UTC));
    }

    #[test]
    fn utc_is_shown_on_damascus_clock() {
        let p: PublishedTime = "2022-10-25T22:30:00Z".parse().unwrap();
        let tz = TimeZone::get("Asia/Damascus").unwrap();
        let local = p.in_zone(&tz);
        assert_eq!(local.to_string(), "2022-10-26T01:30:00+03:00");
    }

    #[test]
    fn local_time_gets_the_offset_in_force() {
        let p: PublishedTime = "2022-03-23T13:55".parse().unwrap();
        let tz = TimeZone::get("Asia/Damascus").unwrap();
        assert_eq!(p.in_zone(&tz).to_string(), "2022-03-23T13:55:00+02:00");
    }

    #[test]
    fn rejects_junk() {
        assert!("yesterday".parse::<PublishedTime>().is_err());
        assert!("2022-13-40".parse::<PublishedTime>().is_err());
    }
}

//! [`EventFilter`]: what `rasd events` and `GET /api/events` select, as SQL.

use crate::fold_for_index;
use jiff::civil::Date;
use rasd_model::{EventType, SubEventType};
use rusqlite::types::Value;
use serde::{Deserialize, Serialize};

/// A geographic box, in degrees (WGS 84).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct BBox {
    pub min_lon: f64,
    pub min_lat: f64,
    pub max_lon: f64,
    pub max_lat: f64,
}

impl std::str::FromStr for BBox {
    type Err = String;
    /// `min_lon,min_lat,max_lon,max_lat` (the GeoJSON / OGC order).
    fn from_str(s: &str) -> Result<Self, String> {
        let v: Vec<f64> = s
            .split(',')
            .map(|p| p.trim().parse::<f64>())
            .collect::<Result<_, _>>()
            .map_err(|e| format!("bbox {s:?}: {e}"))?;
        match v[..] {
            [min_lon, min_lat, max_lon, max_lat]
                if min_lon <= max_lon && min_lat <= max_lat && v.iter().all(|x| x.is_finite()) =>
            {
                Ok(BBox {
                    min_lon,
                    min_lat,
                    max_lon,
                    max_lat,
                })
            }
            _ => Err(format!(
                "bbox {s:?}: expected min_lon,min_lat,max_lon,max_lat with min <= max"
            )),
        }
    }
}

/// Event order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sort {
    /// Latest `date_start` first (ties: latest stored first).
    #[default]
    DateDesc,
    DateAsc,
    /// Deadliest first; events with no figure last.
    FatalitiesDesc,
    /// Most recently stored first.
    StoredDesc,
}

impl std::str::FromStr for Sort {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "date_desc" | "-date" => Ok(Sort::DateDesc),
            "date_asc" | "date" => Ok(Sort::DateAsc),
            "fatalities_desc" | "-fatalities" => Ok(Sort::FatalitiesDesc),
            "stored_desc" | "-stored" => Ok(Sort::StoredDesc),
            _ => Err(format!(
                "sort {s:?}: expected date_desc, date_asc, fatalities_desc or stored_desc"
            )),
        }
    }
}

/// Which events to return. Every field is optional; set fields are combined with AND.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct EventFilter {
    /// Events that end on or after this day.
    pub from: Option<Date>,
    /// Events that start on or before this day.
    pub to: Option<Date>,
    pub event_type: Option<EventType>,
    pub sub_event_type: Option<SubEventType>,
    /// Case-insensitive (ASCII) substring of actor1, actor2 or an associated actor.
    pub actor: Option<String>,
    /// Governorate, compared after folding («درعا» = «دَرْعا»).
    pub admin1: Option<String>,
    pub admin2: Option<String>,
    /// A place name matched (folded, exactly) against the event's place, its admin2 or its admin1.
    pub place: Option<String>,
    pub bbox: Option<BBox>,
    /// Free text over the folded evidence, place and actors: every term of 3 or more
    /// characters must occur (as a substring, so clitics do not hide a word). A
    /// query with no such term matches nothing.
    pub text: Option<String>,
    pub min_fatalities: Option<u32>,
    /// Only the events of documents with this doc_id.
    pub doc_id: Option<String>,
    /// Also return events an analyst marked wrong (review::Store::mark_wrong); by
    /// default they are left out.
    pub include_wrong: bool,
    pub limit: Option<u32>,
    pub offset: u32,
    pub sort: Sort,
}

/// `body MATCH` query for folded `text`: each term quoted, all required. `None` when
/// no term is long enough for the trigram index.
pub(crate) fn fts_query(text: &str) -> Option<String> {
    let folded = fold_for_index(text);
    let terms: Vec<String> = folded
        .split(|c: char| c.is_whitespace() || (c.is_ascii_punctuation() && c != '-'))
        .filter(|t| t.chars().count() >= 3)
        .map(|t| format!("\"{}\"", t.replace('"', "\"\"")))
        .collect();
    if terms.is_empty() {
        None
    } else {
        Some(terms.join(" AND "))
    }
}

fn like_pattern(s: &str) -> String {
    let mut out = String::from("%");
    for c in s.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}

impl EventFilter {
    /// The WHERE clause (over table alias `e`, the `events` table) and its parameters,
    /// numbered ?1.. in order: for readers that aggregate (the server's stats).
    pub fn where_clause(&self) -> (String, Vec<Value>) {
        let mut clauses: Vec<String> = Vec::new();
        let mut params: Vec<Value> = Vec::new();
        // Each `?` of a template becomes the numbered parameter of the next value.
        let mut push = |template: &str, values: Vec<Value>| {
            let mut sql = String::with_capacity(template.len() + 8);
            let mut values = values.into_iter();
            for c in template.chars() {
                if c == '?' {
                    params.push(values.next().expect("one value per placeholder"));
                    sql.push_str(&format!("?{}", params.len()));
                } else {
                    sql.push(c);
                }
            }
            clauses.push(sql);
        };
        if let Some(d) = self.from {
            push("e.date_end >= ?", vec![Value::Text(d.to_string())]);
        }
        if let Some(d) = self.to {
            push("e.date_start <= ?", vec![Value::Text(d.to_string())]);
        }
        if let Some(t) = self.event_type {
            push("e.event_type = ?", vec![Value::Text(t.as_str().into())]);
        }
        if let Some(t) = self.sub_event_type {
            push("e.sub_event_type = ?", vec![Value::Text(t.as_str().into())]);
        }
        if let Some(a) = self
            .actor
            .as_deref()
            .map(str::trim)
            .filter(|a| !a.is_empty())
        {
            let p = Value::Text(like_pattern(a));
            push(
                "(e.actor1 LIKE ? ESCAPE '\\' OR e.actor2 LIKE ? ESCAPE '\\' \
                 OR e.assoc_actor1 LIKE ? ESCAPE '\\' OR e.assoc_actor2 LIKE ? ESCAPE '\\')",
                vec![p.clone(), p.clone(), p.clone(), p],
            );
        }
        if let Some(a) = &self.admin1 {
            push("e.admin1_key = ?", vec![Value::Text(fold_for_index(a))]);
        }
        if let Some(a) = &self.admin2 {
            push("e.admin2_key = ?", vec![Value::Text(fold_for_index(a))]);
        }
        if let Some(p) = &self.place {
            let k = Value::Text(fold_for_index(p));
            push(
                "(e.location_key = ? OR e.admin2_key = ? OR e.admin1_key = ?)",
                vec![k.clone(), k.clone(), k],
            );
        }
        if let Some(b) = self.bbox {
            push(
                // `+` keeps SQLite from choosing the lat index and sorting every hit:
                // scanning the date-ordered covering index (0003) finds a page sooner.
                "(+e.lat BETWEEN ? AND ? AND +e.lon BETWEEN ? AND ?)",
                vec![
                    Value::Real(b.min_lat),
                    Value::Real(b.max_lat),
                    Value::Real(b.min_lon),
                    Value::Real(b.max_lon),
                ],
            );
        }
        if let Some(t) = &self.text {
            match fts_query(t) {
                Some(q) => push(
                    "e.id IN (SELECT rowid FROM events_fts WHERE events_fts MATCH ?)",
                    vec![Value::Text(q)],
                ),
                None => push("0", vec![]),
            }
        }
        if let Some(n) = self.min_fatalities {
            push("+e.fatalities >= ?", vec![Value::Integer(i64::from(n))]);
        }
        if let Some(d) = &self.doc_id {
            push("e.doc_id = ?", vec![Value::Text(d.clone())]);
        }
        if !self.include_wrong {
            push(
                "e.id NOT IN (SELECT event_id FROM review_applied WHERE wrong = 1)",
                vec![],
            );
        }
        let sql = if clauses.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", clauses.join(" AND "))
        };
        (sql, params)
    }

    /// The ORDER BY clause (over alias `e`) of [`EventFilter::sort`].
    pub fn order_clause(&self) -> &'static str {
        match self.sort {
            Sort::DateDesc => "ORDER BY e.date_start DESC, e.id DESC",
            Sort::DateAsc => "ORDER BY e.date_start ASC, e.id ASC",
            Sort::FatalitiesDesc => {
                "ORDER BY e.fatalities IS NULL, e.fatalities DESC, e.date_start DESC, e.id DESC"
            }
            Sort::StoredDesc => "ORDER BY e.id DESC",
        }
    }
}

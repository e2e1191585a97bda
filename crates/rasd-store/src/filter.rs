//! [`EventFilter`]: what `rasd events` and `GET /api/events` select, as SQL.

use crate::fold_for_index;
use jiff::civil::Date;
use rasd_model::{EventType, SubEventType};
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
    /// An actor named as actor1, actor2 or an associated actor: after normalising
    /// both sides ([`actor_norm`]: folded, lower case, punctuation ignored) the value
    /// equals the actor's name or is a prefix of it or of one of its words.
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

/// The normalised form of an actor name, as `actor_names.norm` holds it and as the
/// `actor` filter compares: folded (rasd_arabic), lower case, apostrophes dropped
/// («Hay'at» = «Hayat»), every other non-alphanumeric character a single space.
pub fn actor_norm(name: &str) -> String {
    let folded = fold_for_index(name).to_lowercase();
    let mut out = String::with_capacity(folded.len());
    let mut space = false;
    for c in folded.chars() {
        if matches!(
            c,
            '\'' | '\u{2018}' | '\u{2019}' | '\u{02BC}' | '`' | '\u{00B4}'
        ) {
            continue;
        }
        if c.is_alphanumeric() {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(c);
        } else {
            space = true;
        }
    }
    out
}

/// Whether actor `name` matches the `actor` filter `query` the way the store's index
/// does ([`EventFilter::actor`]): for filtering records outside the store (incidents).
pub fn actor_matches(query: &str, name: &str) -> bool {
    let q = actor_norm(query);
    let n = actor_norm(name);
    !q.is_empty() && (n.starts_with(&q) || n.contains(&format!(" {q}")))
}

/// SQL condition over `actor_names` (alias-free `norm`) for the `actor` filter: the
/// normalised query equals the name, or is a prefix of the name or of one of its
/// words («islamic», «state», «tahrir al sham» and «syria» all find their actors).
pub(crate) const ACTOR_MATCH: &str =
    "(norm = ? OR substr(norm, 1, length(?)) = ? OR instr(norm, ' ' || ?) > 0)";

/// A value bound to a query built by [`SqlWhere`], whichever backend runs it.
#[derive(Debug, Clone, PartialEq)]
pub enum SqlValue {
    Text(String),
    Integer(i64),
    Real(f64),
}

impl rusqlite::ToSql for SqlValue {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::{ToSqlOutput, ValueRef};
        Ok(ToSqlOutput::Borrowed(match self {
            SqlValue::Text(s) => ValueRef::Text(s.as_bytes()),
            SqlValue::Integer(i) => ValueRef::Integer(*i),
            SqlValue::Real(f) => ValueRef::Real(*f),
        }))
    }
}

/// How a backend numbers its parameters.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Placeholders {
    /// `?1`, `?2` … (SQLite).
    #[default]
    Sqlite,
    /// `$1::text`, `$2::bigint` … (PostgreSQL: typed, since its client checks each
    /// parameter's Rust type against the type the server infers).
    Postgres,
}

/// A WHERE clause under construction: conditions and their numbered parameters.
/// Conditions are written once with `?` for each value, and numbered in the style of
/// the backend that runs them.
#[derive(Debug, Default, Clone)]
pub struct SqlWhere {
    pub clauses: Vec<String>,
    pub params: Vec<SqlValue>,
    pub style: Placeholders,
}

impl SqlWhere {
    /// An empty clause numbering its parameters in `style`.
    pub fn new(style: Placeholders) -> SqlWhere {
        SqlWhere {
            style,
            ..SqlWhere::default()
        }
    }

    fn placeholder(&self, v: &SqlValue) -> String {
        let n = self.params.len();
        match (self.style, v) {
            (Placeholders::Sqlite, _) => format!("?{n}"),
            (Placeholders::Postgres, SqlValue::Text(_)) => format!("${n}::text"),
            (Placeholders::Postgres, SqlValue::Integer(_)) => format!("${n}::bigint"),
            (Placeholders::Postgres, SqlValue::Real(_)) => format!("${n}::float8"),
        }
    }

    /// Adds `template` as a condition; each `?` becomes the numbered parameter of the
    /// next value (so conditions can be combined in any order).
    pub fn push(&mut self, template: &str, values: Vec<SqlValue>) {
        let mut sql = String::with_capacity(template.len() + 8);
        let mut values = values.into_iter();
        for c in template.chars() {
            if c == '?' {
                let v = values.next().expect("one value per placeholder");
                self.params.push(v);
                let v = self.params.last().expect("just pushed");
                sql.push_str(&self.placeholder(v));
            } else {
                sql.push(c);
            }
        }
        self.clauses.push(sql);
    }

    /// The placeholder of one more parameter (for LIMIT and the like).
    pub fn param(&mut self, v: SqlValue) -> String {
        self.params.push(v);
        let v = self.params.last().expect("just pushed");
        self.placeholder(v)
    }

    /// `WHERE a AND b ...`, or nothing.
    pub fn sql(&self) -> String {
        if self.clauses.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", self.clauses.join(" AND "))
        }
    }
}

impl EventFilter {
    /// Whether any condition other than actor, text and the wrong mark is set.
    pub(crate) fn has_structured(&self) -> bool {
        self.from.is_some()
            || self.to.is_some()
            || self.event_type.is_some()
            || self.sub_event_type.is_some()
            || self.admin1.is_some()
            || self.admin2.is_some()
            || self.place.is_some()
            || self.bbox.is_some()
            || self.min_fatalities.is_some()
            || self.doc_id.is_some()
    }

    /// The conditions other than actor, text and the wrong mark (over alias `e`), the
    /// same on both backends: columns of the same names and folded keys.
    pub fn push_structured(&self, w: &mut SqlWhere) {
        if let Some(d) = self.from {
            w.push("e.date_end >= ?", vec![SqlValue::Text(d.to_string())]);
        }
        if let Some(d) = self.to {
            w.push("e.date_start <= ?", vec![SqlValue::Text(d.to_string())]);
        }
        if let Some(t) = self.event_type {
            w.push("e.event_type = ?", vec![SqlValue::Text(t.as_str().into())]);
        }
        if let Some(t) = self.sub_event_type {
            w.push(
                "e.sub_event_type = ?",
                vec![SqlValue::Text(t.as_str().into())],
            );
        }
        if let Some(a) = &self.admin1 {
            w.push("e.admin1_key = ?", vec![SqlValue::Text(fold_for_index(a))]);
        }
        if let Some(a) = &self.admin2 {
            w.push("e.admin2_key = ?", vec![SqlValue::Text(fold_for_index(a))]);
        }
        if let Some(p) = &self.place {
            let k = SqlValue::Text(fold_for_index(p));
            w.push(
                "(e.location_key = ? OR e.admin2_key = ? OR e.admin1_key = ?)",
                vec![k.clone(), k.clone(), k],
            );
        }
        if let Some(b) = self.bbox {
            w.push(
                // `+` keeps SQLite from choosing the lat index and sorting every hit:
                // scanning the date-ordered covering index (0003) finds a page sooner.
                "(+e.lat BETWEEN ? AND ? AND +e.lon BETWEEN ? AND ?)",
                vec![
                    SqlValue::Real(b.min_lat),
                    SqlValue::Real(b.max_lat),
                    SqlValue::Real(b.min_lon),
                    SqlValue::Real(b.max_lon),
                ],
            );
        }
        if let Some(n) = self.min_fatalities {
            w.push("+e.fatalities >= ?", vec![SqlValue::Integer(i64::from(n))]);
        }
        if let Some(d) = &self.doc_id {
            w.push("e.doc_id = ?", vec![SqlValue::Text(d.clone())]);
        }
    }

    /// The wrong-mark condition, unless wrong events are asked for.
    pub(crate) fn push_wrong(&self, w: &mut SqlWhere) {
        if !self.include_wrong {
            w.push(
                "e.id NOT IN (SELECT event_id FROM review_applied WHERE wrong = 1)",
                vec![],
            );
        }
    }

    /// The actor value to match, normalised ([`actor_norm`]); `None` when not filtering.
    pub(crate) fn actor_query(&self) -> Option<String> {
        self.actor
            .as_deref()
            .map(str::trim)
            .filter(|a| !a.is_empty())
            .map(actor_norm)
    }

    /// Every condition as one self-contained WHERE clause (over table alias `e`, the
    /// `events` table) and its parameters, numbered ?1.. in order: for readers that
    /// aggregate (the server's stats) and for whole-table reads. Pages of events go
    /// through the planner ([`crate::Store::page_event_ids`]) instead.
    pub fn where_clause(&self) -> (String, Vec<SqlValue>) {
        let mut w = SqlWhere::default();
        self.push_structured(&mut w);
        if let Some(a) = self.actor_query() {
            let v = SqlValue::Text(a);
            w.push(
                &format!(
                    "EXISTS (SELECT 1 FROM event_actors ea WHERE ea.event_id = e.id AND ea.actor_id IN \
                     (SELECT id FROM actor_names WHERE {ACTOR_MATCH}))"
                ),
                vec![v.clone(), v.clone(), v.clone(), v],
            );
        }
        if let Some(t) = &self.text {
            match fts_query(t) {
                Some(q) => w.push(
                    &format!(
                        "e.id IN (SELECT rowid & {} FROM events_text WHERE events_text MATCH ?)",
                        crate::plan::KEY_ID_MASK
                    ),
                    vec![SqlValue::Text(q)],
                ),
                None => w.push("0", vec![]),
            }
        }
        self.push_wrong(&mut w);
        (w.sql(), w.params)
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

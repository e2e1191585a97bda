//! SQL written once for both backends: statements whose text both SQLite and
//! PostgreSQL accept (`RETURNING`, `ON CONFLICT … DO UPDATE SET x = excluded.x`,
//! `EXISTS`), with `?` for each value, run through [`Sql`], which each backend
//! implements over its own connection. The backend numbers the placeholders
//! ([`numbered`]: `?1` for SQLite, a typed `$1::bigint` for PostgreSQL, as
//! [`crate::SqlWhere`] does for filters) and reads each row into [`Cell`]s, so the
//! code that reads a row ([`Row`]) is the same for both.
//!
//! Booleans are bound as [`Val::Bool`] and compared as values (`disabled = ?`), never
//! written as literals, since SQLite keeps them as 0/1 and PostgreSQL as `BOOLEAN`.
//! A `?` in a statement is always a placeholder (the statements hold no string
//! literal with one).

use crate::{Placeholders, Result, StoreError};

/// A value bound to a placeholder. The type travels with a NULL too, since
/// PostgreSQL needs one for every parameter.
#[derive(Debug, Clone, PartialEq)]
pub enum Val {
    Int(Option<i64>),
    Text(Option<String>),
    Bool(bool),
}

impl Val {
    pub fn int(v: i64) -> Val {
        Val::Int(Some(v))
    }
    pub fn text(v: impl Into<String>) -> Val {
        Val::Text(Some(v.into()))
    }
    pub fn opt_text(v: Option<&str>) -> Val {
        Val::Text(v.map(str::to_string))
    }
}

/// `sql` with its `?` placeholders numbered in `style`, each typed on PostgreSQL by
/// the value bound to it.
pub fn numbered(sql: &str, style: Placeholders, params: &[Val]) -> String {
    let mut out = String::with_capacity(sql.len() + 4 * params.len());
    let mut n = 0;
    for c in sql.chars() {
        if c != '?' {
            out.push(c);
            continue;
        }
        n += 1;
        match (style, params.get(n - 1)) {
            (Placeholders::Sqlite, _) => out.push_str(&format!("?{n}")),
            (Placeholders::Postgres, Some(Val::Int(_))) => out.push_str(&format!("${n}::bigint")),
            (Placeholders::Postgres, Some(Val::Bool(_))) => out.push_str(&format!("${n}::boolean")),
            (Placeholders::Postgres, _) => out.push_str(&format!("${n}::text")),
        }
    }
    debug_assert_eq!(n, params.len(), "one value per placeholder in {sql}");
    out
}

/// One column of a row as read.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
    Bool(bool),
}

/// One row of a result, read the same way on both backends: each getter names the
/// column it wanted when the row holds something else (a schema that is not rasd's).
#[derive(Debug, Clone, PartialEq)]
pub struct Row(pub Vec<Cell>);

impl Row {
    fn cell(&self, i: usize) -> &Cell {
        self.0.get(i).unwrap_or(&Cell::Null)
    }

    fn mismatch(&self, i: usize, wanted: &str) -> StoreError {
        StoreError::Backend(
            format!(
                "column {i} of a review row: wanted {wanted}, found {:?}",
                self.cell(i)
            )
            .into(),
        )
    }

    pub fn opt_int(&self, i: usize) -> Result<Option<i64>> {
        match self.cell(i) {
            Cell::Null => Ok(None),
            Cell::Int(v) => Ok(Some(*v)),
            _ => Err(self.mismatch(i, "an integer")),
        }
    }

    pub fn int(&self, i: usize) -> Result<i64> {
        self.opt_int(i)?
            .ok_or_else(|| self.mismatch(i, "an integer"))
    }

    pub fn opt_text(&self, i: usize) -> Result<Option<String>> {
        match self.cell(i) {
            Cell::Null => Ok(None),
            Cell::Text(v) => Ok(Some(v.clone())),
            _ => Err(self.mismatch(i, "text")),
        }
    }

    pub fn text(&self, i: usize) -> Result<String> {
        self.opt_text(i)?.ok_or_else(|| self.mismatch(i, "text"))
    }

    /// A boolean: PostgreSQL's `BOOLEAN`, or SQLite's 0/1.
    pub fn bool(&self, i: usize) -> Result<bool> {
        match self.cell(i) {
            Cell::Bool(v) => Ok(*v),
            Cell::Int(v) => Ok(*v != 0),
            _ => Err(self.mismatch(i, "a boolean")),
        }
    }
}

/// A connection (in practice: a transaction) that runs shared SQL.
pub trait Sql {
    /// Runs a statement; how many rows it changed.
    fn execute(&mut self, sql: &str, params: &[Val]) -> Result<u64>;
    /// Runs a query; its rows.
    fn query(&mut self, sql: &str, params: &[Val]) -> Result<Vec<Row>>;
    /// The first row of a query, if any.
    fn query_opt(&mut self, sql: &str, params: &[Val]) -> Result<Option<Row>> {
        Ok(self.query(sql, params)?.into_iter().next())
    }
    /// The one row a query must give (an aggregate, an `INSERT … RETURNING`).
    fn query_one(&mut self, sql: &str, params: &[Val]) -> Result<Row> {
        self.query_opt(sql, params)?
            .ok_or_else(|| StoreError::Backend(format!("no row from: {sql}").into()))
    }
}

mod sqlite {
    use super::*;
    use rusqlite::types::{ToSqlOutput, ValueRef};

    impl rusqlite::ToSql for Val {
        fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
            Ok(match self {
                Val::Int(v) => {
                    v.map_or(ToSqlOutput::from(rusqlite::types::Null), ToSqlOutput::from)
                }
                Val::Text(v) => match v {
                    Some(s) => ToSqlOutput::Borrowed(ValueRef::Text(s.as_bytes())),
                    None => ToSqlOutput::from(rusqlite::types::Null),
                },
                Val::Bool(b) => ToSqlOutput::from(*b),
            })
        }
    }

    fn cell(v: ValueRef<'_>) -> Cell {
        match v {
            ValueRef::Null => Cell::Null,
            ValueRef::Integer(i) => Cell::Int(i),
            ValueRef::Real(f) => Cell::Real(f),
            ValueRef::Text(t) | ValueRef::Blob(t) => {
                Cell::Text(String::from_utf8_lossy(t).into_owned())
            }
        }
    }

    /// A SQLite connection runs shared SQL as it is (`?N`), statements cached.
    impl Sql for &rusqlite::Connection {
        fn execute(&mut self, sql: &str, params: &[Val]) -> Result<u64> {
            let sql = numbered(sql, Placeholders::Sqlite, params);
            let n = self
                .prepare_cached(&sql)?
                .execute(rusqlite::params_from_iter(params))?;
            Ok(n as u64)
        }

        fn query(&mut self, sql: &str, params: &[Val]) -> Result<Vec<Row>> {
            let sql = numbered(sql, Placeholders::Sqlite, params);
            let mut stmt = self.prepare_cached(&sql)?;
            let width = stmt.column_count();
            let rows = stmt
                .query_map(rusqlite::params_from_iter(params), |r| {
                    (0..width)
                        .map(|i| r.get_ref(i).map(cell))
                        .collect::<rusqlite::Result<Vec<_>>>()
                        .map(Row)
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(rows)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_numbered_and_typed_per_dialect() {
        let params = [
            Val::int(1),
            Val::text("x"),
            Val::Bool(true),
            Val::Text(None),
        ];
        let sql = "UPDATE t SET a = ?, b = ? WHERE c = ? AND d IS ?";
        assert_eq!(
            numbered(sql, Placeholders::Sqlite, &params),
            "UPDATE t SET a = ?1, b = ?2 WHERE c = ?3 AND d IS ?4"
        );
        assert_eq!(
            numbered(sql, Placeholders::Postgres, &params),
            "UPDATE t SET a = $1::bigint, b = $2::text WHERE c = $3::boolean AND d IS $4::text"
        );
    }

    #[test]
    fn rows_read_alike_and_name_what_they_wanted() {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        // Through the trait: a connection's own methods of the same names take
        // rusqlite's parameters.
        let db = &mut &conn;
        Sql::execute(
            db,
            "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, flag INTEGER NOT NULL)",
            &[],
        )
        .unwrap();
        let row = Sql::query_one(
            db,
            "INSERT INTO t (name, flag) VALUES (?, ?) RETURNING id, name, flag",
            &[Val::text("نوى"), Val::Bool(true)],
        )
        .unwrap();
        assert_eq!(row.int(0).unwrap(), 1);
        assert_eq!(row.text(1).unwrap(), "نوى");
        assert!(row.bool(2).unwrap());
        assert!(row.opt_int(1).is_err(), "text is not an integer");
        let none = Sql::query_opt(db, "SELECT id FROM t WHERE flag = ?", &[Val::Bool(false)]);
        assert_eq!(none.unwrap(), None);
        assert!(Sql::query_one(db, "SELECT id FROM t WHERE id = ?", &[Val::int(7)]).is_err());
    }
}

//! Bulk loading through `COPY … FROM STDIN`: many documents and their coded events in
//! one transaction, with the same derived columns (folded keys, normalised actors,
//! search text) as [`PgBatch::put_events`](crate::PgBatch::put_events), for filling a
//! database from an archive already coded elsewhere (and the 1,000,000-event bench).
//! The change-log triggers fire as for any insert, so followers see the new events.
//! Documents already stored (same content hash) are refused: this is for new data;
//! `rasd ingest` is the path that skips duplicates and applies review.

use crate::{PgStore, Result, derived_columns, json};
use rasd_model::{Event, Origin, RawDocument};
use rasd_store::{content_hash, fold_for_index};
use std::fmt::Write as _;
use std::io::Write as _;

/// A field of COPY's text format: `\N` for NULL, backslash, tab and line ends escaped.
fn field(out: &mut String, v: Option<&str>) {
    let Some(v) = v else {
        out.push_str("\\N");
        return;
    };
    for c in v.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
}

/// A row of fields, tab-separated, with its line end.
fn row(out: &mut String, fields: &[Option<&str>]) {
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            out.push('\t');
        }
        field(out, *f);
    }
    out.push('\n');
}

impl PgStore {
    /// Stores `docs` (each document with its events, in order) in one transaction
    /// through COPY; returns how many events were stored.
    pub fn bulk_load(&mut self, docs: &[(RawDocument, Vec<Event>)]) -> Result<u64> {
        let n_events: usize = docs.iter().map(|(_, e)| e.len()).sum();
        let mut tx = self.client.transaction()?;
        tx.execute(
            "SELECT pg_advisory_xact_lock_shared($1)",
            &[&crate::CLUSTER_LOCK],
        )?;
        // Ids from the tables' own sequences, so loads and workers never collide.
        let ids = |tx: &mut postgres::Transaction<'_>, seq: &str, n: usize| -> Result<Vec<i64>> {
            Ok(tx
                .query(
                    &format!("SELECT nextval('{seq}') FROM generate_series(1, $1::bigint)"),
                    &[&(n as i64)],
                )?
                .iter()
                .map(|r| r.get(0))
                .collect())
        };
        let doc_ids = ids(&mut tx, "documents_id_seq", docs.len())?;
        let event_ids = ids(&mut tx, "events_id_seq", n_events)?;

        let mut text = String::new();
        for ((doc, _), id) in docs.iter().zip(&doc_ids) {
            let (origin_kind, origin) = match &doc.origin {
                Origin::File { path } => ("file", Some(path.as_str())),
                Origin::Url { url } => ("url", Some(url.as_str())),
                Origin::Inline => ("inline", None),
            };
            let kind = json("document kind", &doc.kind)?;
            let mut hex = String::with_capacity(2 + 2 * doc.bytes.len());
            hex.push_str("\\x");
            for b in &doc.bytes {
                let _ = write!(hex, "{b:02x}");
            }
            row(
                &mut text,
                &[
                    Some(&id.to_string()),
                    Some(&doc.doc_id),
                    Some(&content_hash(&doc.bytes)),
                    Some(origin_kind),
                    origin,
                    Some(kind.trim_matches('"')),
                    Some(&json("document meta", &doc.meta)?),
                    Some(&hex),
                    Some(&doc.bytes.len().to_string()),
                ],
            );
        }
        let mut w = tx.copy_in(
            "COPY documents (id, doc_id, content_hash, origin_kind, origin, kind, meta, bytes, size)
             FROM STDIN",
        )?;
        w.write_all(text.as_bytes()).map_err(copy_error)?;
        w.finish()?;

        let (mut events, mut evidence) = (String::new(), String::new());
        let mut next = event_ids.iter();
        for ((doc, evs), doc_id) in docs.iter().zip(&doc_ids) {
            for (ordinal, e) in evs.iter().enumerate() {
                let id = next.next().copied().unwrap_or_default();
                let loc = &e.location;
                let (actors, search) = derived_columns(e);
                let num = |v: Option<f64>| v.map(|x| x.to_string());
                let (lat, lon) = (num(loc.lat), num(loc.lon));
                row(
                    &mut events,
                    &[
                        Some(&id.to_string()),
                        Some(&doc_id.to_string()),
                        Some(&doc.doc_id),
                        Some(&ordinal.to_string()),
                        Some(e.event_type.as_str()),
                        Some(e.sub_event_type.as_str()),
                        Some(&e.date_start.to_string()),
                        Some(&e.date_end.to_string()),
                        Some(&loc.name),
                        Some(&fold_for_index(&loc.name)),
                        loc.admin1.as_deref(),
                        loc.admin1.as_deref().map(fold_for_index).as_deref(),
                        loc.admin2.as_deref(),
                        loc.admin2.as_deref().map(fold_for_index).as_deref(),
                        Some(&loc.country),
                        lat.as_deref(),
                        lon.as_deref(),
                        Some(&e.actor1),
                        Some(&actors),
                        e.fatalities
                            .map(|f| i32::try_from(f).unwrap_or(i32::MAX).to_string())
                            .as_deref(),
                        Some(&search),
                        Some(&json("event", e)?),
                    ],
                );
                for (k, (sentence, span)) in e.evidence_with_spans().enumerate() {
                    let start = span.map(|s| s.start.to_string());
                    let end = span.map(|s| s.end.to_string());
                    row(
                        &mut evidence,
                        &[
                            Some(&id.to_string()),
                            Some(&k.to_string()),
                            Some(sentence),
                            start.as_deref(),
                            end.as_deref(),
                        ],
                    );
                }
            }
        }
        let mut w = tx.copy_in(
            "COPY events (id, document_id, doc_id, ordinal, event_type, sub_event_type, date_start,
                 date_end, location_name, location_key, admin1, admin1_key, admin2, admin2_key,
                 country, lat, lon, actor1, actors, fatalities, search_text, event)
             FROM STDIN",
        )?;
        w.write_all(events.as_bytes()).map_err(copy_error)?;
        w.finish()?;
        let mut w =
            tx.copy_in("COPY evidence (event_id, ordinal, text, char_start, char_end) FROM STDIN")?;
        w.write_all(evidence.as_bytes()).map_err(copy_error)?;
        w.finish()?;
        tx.commit()?;
        Ok(n_events as u64)
    }
}

fn copy_error(e: std::io::Error) -> crate::PgStoreError {
    crate::PgStoreError::Review(rasd_store::StoreError::Backend(Box::new(e)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copy_fields_escape_what_the_text_format_reads() {
        let mut s = String::new();
        row(&mut s, &[Some("a\tb\\c\nd"), None, Some("")]);
        assert_eq!(s, "a\\tb\\\\c\\nd\t\\N\t\n");
    }
}

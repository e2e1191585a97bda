//! JSON Lines: one incident per line — `incident_id`, the merged record in the spec's
//! event fields, `fatalities_low`/`fatalities_high`, the claims side by side and the
//! `sources` (`doc_id`, `url`, and that source's event exactly as the coder wrote it).

use crate::DedupError;
use crate::incident::IncidentRecord;
use std::io::Write;

/// Writes one line per record.
pub fn write<W: Write>(records: &[IncidentRecord], mut out: W) -> Result<(), DedupError> {
    for r in records {
        serde_json::to_writer(&mut out, r)?;
        out.write_all(b"\n")?;
    }
    out.flush()?;
    Ok(())
}

/// Reads lines written by [`write`] (blank lines skipped); `origin` names the input in errors.
pub fn read(text: &str, origin: &str) -> Result<Vec<IncidentRecord>, DedupError> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            serde_json::from_str(l).map_err(|e| DedupError::Input {
                origin: origin.to_string(),
                line: i + 1,
                message: e.to_string(),
            })
        })
        .collect()
}

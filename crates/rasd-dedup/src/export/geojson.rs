//! GeoJSON: a FeatureCollection with one Point per incident, the record as properties
//! (an incident without coordinates gets a null geometry, which GeoJSON allows).

use crate::DedupError;
use crate::incident::IncidentRecord;
use serde_json::{Value, json};
use std::io::Write;

/// The feature of one record.
pub fn feature(r: &IncidentRecord) -> Result<Value, DedupError> {
    let geometry = match (r.event.location.lat, r.event.location.lon) {
        (Some(lat), Some(lon)) if crate::geo::valid_point(lat, lon) => {
            json!({"type": "Point", "coordinates": [lon, lat]})
        }
        _ => Value::Null,
    };
    Ok(json!({
        "type": "Feature",
        "id": r.incident_id,
        "geometry": geometry,
        "properties": serde_json::to_value(r)?,
    }))
}

/// Writes the records as one FeatureCollection.
pub fn write<W: Write>(records: &[IncidentRecord], mut out: W) -> Result<(), DedupError> {
    let features = records.iter().map(feature).collect::<Result<Vec<_>, _>>()?;
    let fc = json!({"type": "FeatureCollection", "features": features});
    serde_json::to_writer(&mut out, &fc)?;
    out.write_all(b"\n")?;
    out.flush()?;
    Ok(())
}

//! Distances and the place grid of the incident index.

use crate::params::{EARTH_RADIUS_KM, GRID_CELL_DEG};

/// Great-circle distance between two points given in degrees, in kilometres.
pub fn haversine_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = p2 - p1;
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_KM * a.sqrt().min(1.0).asin()
}

/// The grid cell holding a point.
pub fn cell(lat: f64, lon: f64) -> (i32, i32) {
    (
        (lat / GRID_CELL_DEG).floor() as i32,
        (lon / GRID_CELL_DEG).floor() as i32,
    )
}

/// The cells that may hold a point within `radius_km` of (`lat`, `lon`).
pub fn cells_within(lat: f64, lon: f64, radius_km: f64) -> Vec<(i32, i32)> {
    let km_per_deg_lat = EARTH_RADIUS_KM.to_radians();
    let dlat = radius_km / km_per_deg_lat;
    // Longitude degrees shrink with latitude; near the poles take every cell of the band.
    let cos = lat.to_radians().cos().abs().max(0.01);
    let dlon = (radius_km / (km_per_deg_lat * cos)).min(180.0);
    let (lat0, lon0) = cell(lat - dlat, lon - dlon);
    let (lat1, lon1) = cell(lat + dlat, lon + dlon);
    let mut out = Vec::with_capacity(((lat1 - lat0 + 1) * (lon1 - lon0 + 1)).max(0) as usize);
    for a in lat0..=lat1 {
        for o in lon0..=lon1 {
            out.push((a, o));
        }
    }
    out
}

/// True when both coordinates are finite and on the globe.
pub fn valid_point(lat: f64, lon: f64) -> bool {
    lat.is_finite()
        && lon.is_finite()
        && (-90.0..=90.0).contains(&lat)
        && (-180.0..=180.0).contains(&lon)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_distances() {
        // Two fictional points one degree of latitude apart: about 111 km.
        let d = haversine_km(10.0, 20.0, 11.0, 20.0);
        assert!((d - 111.2).abs() < 0.5, "{d}");
        assert_eq!(haversine_km(33.0, 36.0, 33.0, 36.0), 0.0);
    }

    #[test]
    fn neighbourhood_cells_cover_the_radius() {
        let (lat, lon) = (35.95, 36.63);
        let cells = cells_within(lat, lon, 10.0);
        // Points 9.9 km away in each direction fall in one of the cells.
        for (dlat, dlon) in [(0.089, 0.0), (-0.089, 0.0), (0.0, 0.109), (0.0, -0.109)] {
            let (a, b) = (lat + dlat, lon + dlon);
            assert!(haversine_km(lat, lon, a, b) < 10.0);
            assert!(cells.contains(&cell(a, b)), "{a},{b}");
        }
    }
}

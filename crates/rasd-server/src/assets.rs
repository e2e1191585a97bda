//! The dashboard's files, embedded in the binary at build time.

use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// (path under /assets/, bytes, content type)
static ASSETS: &[(&str, &[u8], &str)] = &[
    (
        "app.js",
        include_bytes!("../assets/app.js"),
        "text/javascript; charset=utf-8",
    ),
    (
        "app.css",
        include_bytes!("../assets/app.css"),
        "text/css; charset=utf-8",
    ),
    (
        "syria-adm1.geojson",
        include_bytes!("../assets/syria-adm1.geojson"),
        "application/geo+json",
    ),
    (
        "NOTICE",
        include_bytes!("../assets/NOTICE"),
        "text/plain; charset=utf-8",
    ),
    (
        "vendor/leaflet/leaflet.js",
        include_bytes!("../assets/vendor/leaflet/leaflet.js"),
        "text/javascript; charset=utf-8",
    ),
    (
        "vendor/leaflet/leaflet.css",
        include_bytes!("../assets/vendor/leaflet/leaflet.css"),
        "text/css; charset=utf-8",
    ),
    (
        "vendor/leaflet/LICENSE",
        include_bytes!("../assets/vendor/leaflet/LICENSE"),
        "text/plain; charset=utf-8",
    ),
    (
        "vendor/leaflet/images/layers.png",
        include_bytes!("../assets/vendor/leaflet/images/layers.png"),
        "image/png",
    ),
    (
        "vendor/leaflet/images/layers-2x.png",
        include_bytes!("../assets/vendor/leaflet/images/layers-2x.png"),
        "image/png",
    ),
    (
        "vendor/leaflet/images/marker-icon.png",
        include_bytes!("../assets/vendor/leaflet/images/marker-icon.png"),
        "image/png",
    ),
    (
        "vendor/leaflet/images/marker-icon-2x.png",
        include_bytes!("../assets/vendor/leaflet/images/marker-icon-2x.png"),
        "image/png",
    ),
    (
        "vendor/leaflet/images/marker-shadow.png",
        include_bytes!("../assets/vendor/leaflet/images/marker-shadow.png"),
        "image/png",
    ),
    (
        "vendor/markercluster/leaflet.markercluster.js",
        include_bytes!("../assets/vendor/markercluster/leaflet.markercluster.js"),
        "text/javascript; charset=utf-8",
    ),
    (
        "vendor/markercluster/MarkerCluster.css",
        include_bytes!("../assets/vendor/markercluster/MarkerCluster.css"),
        "text/css; charset=utf-8",
    ),
    (
        "vendor/markercluster/MarkerCluster.Default.css",
        include_bytes!("../assets/vendor/markercluster/MarkerCluster.Default.css"),
        "text/css; charset=utf-8",
    ),
    (
        "vendor/markercluster/MIT-LICENCE.txt",
        include_bytes!("../assets/vendor/markercluster/MIT-LICENCE.txt"),
        "text/plain; charset=utf-8",
    ),
    (
        "vendor/uplot/uPlot.iife.min.js",
        include_bytes!("../assets/vendor/uplot/uPlot.iife.min.js"),
        "text/javascript; charset=utf-8",
    ),
    (
        "vendor/uplot/uPlot.min.css",
        include_bytes!("../assets/vendor/uplot/uPlot.min.css"),
        "text/css; charset=utf-8",
    ),
    (
        "vendor/uplot/LICENSE",
        include_bytes!("../assets/vendor/uplot/LICENSE"),
        "text/plain; charset=utf-8",
    ),
];

static INDEX: &[u8] = include_bytes!("../assets/index.html");

/// Content-Security-Policy of the dashboard: everything from this server, nothing else.
const CSP: &str = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'";

fn file(bytes: &'static [u8], content_type: &'static str) -> Response {
    let mut res = bytes.into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    res
}

pub async fn index() -> Response {
    let mut res = file(INDEX, "text/html; charset=utf-8");
    res.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    res
}

pub async fn asset(Path(path): Path<String>) -> Response {
    match ASSETS.iter().find(|(p, ..)| *p == path) {
        Some((_, bytes, ct)) => file(bytes, ct),
        None => (StatusCode::NOT_FOUND, "no such asset").into_response(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_asset_the_page_names_is_embedded() {
        let html = std::str::from_utf8(super::INDEX).unwrap();
        for part in html.split("/assets/").skip(1) {
            let path: String = part.chars().take_while(|&c| c != '"').collect();
            assert!(
                super::ASSETS.iter().any(|(p, ..)| *p == path),
                "index.html loads /assets/{path}, which is not embedded"
            );
        }
    }
}

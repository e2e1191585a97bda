//! The OpenAPI 3.1 document served at `/openapi.json`, written by hand.

use axum::Json;
use serde_json::{Value, json};

fn param(name: &str, description: &str, schema: Value) -> Value {
    json!({"name": name, "in": "query", "required": false, "description": description, "schema": schema})
}

fn filters() -> Vec<Value> {
    let s = json!({"type": "string"});
    vec![
        param(
            "from",
            "events that end on or after this day (YYYY-MM-DD)",
            json!({"type": "string", "format": "date"}),
        ),
        param(
            "to",
            "events that start on or before this day (YYYY-MM-DD)",
            json!({"type": "string", "format": "date"}),
        ),
        param(
            "type",
            "event_type (spec/events.md)",
            json!({"type": "string", "enum": ["battles", "explosions_remote_violence", "violence_against_civilians", "protests", "riots", "strategic_developments"]}),
        ),
        param("sub_type", "sub_event_type (spec/events.md)", s.clone()),
        param(
            "actor",
            "an actor named as actor1, actor2 or an associated actor. Both sides are normalised \
             (Arabic folding, lower case, apostrophes dropped, other punctuation a space); the value \
             matches an actor whose normalised name equals it, starts with it, or has a word that \
             starts with it: «islamic» and «state» find «Islamic State», «hayat tahrir» finds \
             «Hay'at Tahrir al-Sham». Served from an actor index (event_actors).",
            s.clone(),
        ),
        param(
            "admin1",
            "governorate, compared after Arabic folding",
            s.clone(),
        ),
        param(
            "admin2",
            "district, compared after Arabic folding",
            s.clone(),
        ),
        param(
            "place",
            "place name (folded) matched against the place, admin2 or admin1",
            s.clone(),
        ),
        param("bbox", "min_lon,min_lat,max_lon,max_lat", s.clone()),
        param(
            "q",
            "free text over the folded evidence, place and actors (SQLite FTS5, trigram index over \
             rasd's own normalised Arabic: diacritics, alef forms, ta marbuta folded). Every term of \
             3 or more characters must occur, as a substring, so clitics do not hide a word; a \
             query with no such term matches nothing.",
            s.clone(),
        ),
        param(
            "min_fatalities",
            "at least this many deaths",
            json!({"type": "integer", "minimum": 0}),
        ),
        param("doc_id", "only the events of this article", s.clone()),
        param(
            "include_wrong",
            "also events an analyst marked wrong",
            json!({"type": "boolean"}),
        ),
    ]
}

fn paging() -> Vec<Value> {
    vec![
        param(
            "limit",
            "page size (at most 500)",
            json!({"type": "integer", "minimum": 0, "maximum": 500, "default": 50}),
        ),
        param(
            "offset",
            "matches to skip (each query has a scan budget: far pages of a sparse filter may \
             come back with complete=false)",
            json!({"type": "integer", "minimum": 0, "default": 0}),
        ),
        param(
            "sort",
            "order",
            json!({"type": "string", "enum": ["date_desc", "date_asc", "fatalities_desc", "stored_desc"], "default": "date_desc"}),
        ),
    ]
}

fn ok(description: &str, content_type: &str, schema: Value) -> Value {
    json!({"200": {"description": description, "content": {content_type: {"schema": schema}}},
           "400": {"$ref": "#/components/responses/Error"}})
}

fn path_param(name: &str, description: &str) -> Value {
    json!({"name": name, "in": "path", "required": true, "description": description, "schema": {"type": "string"}})
}

fn write_op(summary: &str, params: Vec<Value>, body: Value) -> Value {
    json!({"post": {
        "summary": summary, "security": [{"bearer": []}], "parameters": params,
        "requestBody": {"required": true, "content": {"application/json": {"schema": body}}},
        "responses": {"200": {"description": "done", "content": {"application/json": {"schema": {"type": "object"}}}},
                      "401": {"$ref": "#/components/responses/Error"},
                      "404": {"$ref": "#/components/responses/Error"},
                      "422": {"$ref": "#/components/responses/Error"},
                      "429": {"$ref": "#/components/responses/Error"}}
    }})
}

pub fn spec() -> Value {
    let mut list_params = filters();
    list_params.extend(paging());
    let mut stats_params = filters();
    stats_params.push(param(
        "bucket",
        "period",
        json!({"type": "string", "enum": ["day", "week"], "default": "day"}),
    ));
    let obj = json!({"type": "object"});
    let mut export_params = vec![path_param(
        "file",
        "acled.csv | ucdp.csv | incidents.geojson | incidents.jsonl",
    )];
    export_params.extend(filters());
    export_params.push(param(
        "excel",
        "a UTF-8 byte order mark and CRLF line ends, for Excel (CSV formats)",
        json!({"type": "boolean", "default": false}),
    ));
    export_params.push(param(
        "acled_columns_only",
        "ACLED CSV without the Arabic name columns after ACLED's",
        json!({"type": "boolean", "default": false}),
    ));
    json!({
        "openapi": "3.1.0",
        "info": {"title": "rasd API", "version": env!("CARGO_PKG_VERSION"),
                 "description": "Conflict events coded from Arabic news (ACLED taxonomy), their incidents, articles and the analysts' review. Read endpoints are open; write endpoints need `Authorization: Bearer TOKEN` (`rasd user add NAME`)."},
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "responses": {"Error": {"description": "an error", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}},
            "schemas": {
                "Error": {"type": "object", "required": ["error"], "properties": {"error": {"type": "string"}}},
                "Span": {"type": "object", "description": "character (Unicode scalar) offsets, half-open", "properties": {"start": {"type": "integer"}, "end": {"type": "integer"}}},
                "EventSummary": {"type": "object", "properties": {
                    "id": {"type": "integer"}, "doc_id": {"type": "string"}, "event_type": {"type": "string"},
                    "sub_event_type": {"type": "string"}, "date_start": {"type": "string", "format": "date"},
                    "date_end": {"type": "string", "format": "date"},
                    "location": {"type": "object", "description": "the stored (Arabic) names, and `en`: the gazetteer's English names as ACLED spells them"},
                    "actor1": {"type": "string"}, "actor2": {"type": ["string", "null"]},
                    "actor1_ar": {"type": ["string", "null"], "description": "the register's Arabic display name"},
                    "actor2_ar": {"type": ["string", "null"]},
                    "fatalities": {"type": ["integer", "null"]}, "source": {"type": ["string", "null"]},
                    "corrected": {"type": "boolean"}, "wrong": {"type": "boolean"}}},
                "EventPage": {"type": "object", "properties": {
                    "total": {"type": "integer", "description": "matching events, counted up to 10000 within a budget"},
                    "total_exact": {"type": "boolean", "description": "false when total is a lower bound"},
                    "complete": {"type": "boolean", "description": "false when the query's scan budget ran out before the page was full: items are the matches found so far; narrow the filter for the rest"},
                    "limit": {"type": "integer"}, "offset": {"type": "integer"},
                    "items": {"type": "array", "items": {"$ref": "#/components/schemas/EventSummary"}}}}
            }
        },
        "paths": {
            "/api/events": {"get": {"summary": "filtered, sorted, paged events", "parameters": list_params,
                "responses": ok("a page of events", "application/json", json!({"$ref": "#/components/schemas/EventPage"}))}},
            "/api/events.geojson": {"get": {"summary": "filtered events as GeoJSON points (limit up to 20000)", "parameters": filters(),
                "responses": ok("a FeatureCollection", "application/geo+json", obj.clone())}},
            "/api/events/{id}": {"get": {"summary": "one event: the record (with corrections), what the coder wrote, evidence with spans, source article, incident, review history",
                "parameters": [path_param("id", "event id")],
                "responses": ok("the event", "application/json", obj.clone())}},
            "/api/incidents": {"get": {"summary": "merged incidents (one per real-world event), filtered and paged", "parameters": list_params.clone(),
                "responses": ok("a page of incidents", "application/json", obj.clone())}},
            "/api/incidents/{id}": {"get": {"summary": "one incident: merged record, fatalities low/best/high, each source's claim, sources with their events, member event ids",
                "parameters": [path_param("id", "incident id (inc-N or grp-…)")],
                "responses": ok("the incident", "application/json", obj.clone())}},
            "/api/articles/{doc_id}": {"get": {"summary": "one article: text, metadata, and for each coded event its evidence spans and the span of each coded field found in the text",
                "parameters": [path_param("doc_id", "document id")],
                "responses": ok("the article", "application/json", obj.clone())}},
            "/api/stats": {"get": {"summary": "counts and fatalities per day or week, per type and per governorate", "parameters": stats_params,
                "responses": ok("aggregates", "application/json", obj.clone())}},
            "/api/changes": {"get": {"summary": "every event and incident created, updated or deleted after the cursor, in order, each with its state now (null once deleted): re-coding, corrections, wrong marks, merges and splits included; follow `next` until `more` is false. The log keeps one entry per entity (an entity not held yet may come as `updated`: treat both as an upsert); a cursor below the horizon of removed deletions is answered 410 Gone: drop what you hold and follow again from since=0",
                "parameters": [param("since", "cursor: the `next` of the previous page (0 for the beginning)", json!({"type": "integer"})),
                               param("limit", "changes per page (default 100, at most 1000)", json!({"type": "integer"}))],
                "responses": ok("{changes: [{seq, at, entity: event|incident, id, op: created|updated|deleted, event|incident}], next, more}", "application/json", obj.clone())}},
            "/api/stream": {"get": {"summary": "the change feed as Server-Sent Events: a `hello` event with the starting cursor, then one `change` event per entry (id = seq); resumes after Last-Event-ID, else after `since`, else from now; a cursor below the log's horizon is answered 410, and a stream that falls below it sends `gone` and ends",
                "parameters": [param("since", "cursor to start after", json!({"type": "integer"}))],
                "responses": ok("an event stream", "text/event-stream", json!({"type": "string"}))}},
            "/api/watch/sources": {"get": {"summary": "each source `rasd watch` polls: last poll, last success, last error and when, failures in a row, polls, 304 answers, items read, events coded; on PostgreSQL, the worker leasing it and until when",
                "responses": ok("{sources: [...]}", "application/json", obj.clone())}},
            "/api/export/{file}": {"get": {"summary": "incidents as ACLED CSV (acled.csv), UCDP GED-style CSV (ucdp.csv), GeoJSON (incidents.geojson) or JSON Lines (incidents.jsonl); corrections applied, wrong events left out",
                "parameters": export_params,
                "responses": ok("the export", "text/csv", json!({"type": "string"}))}},
            "/api/audit": {"get": {"summary": "the review audit log, newest first",
                "parameters": [param("limit", "entries (at most 1000)", json!({"type": "integer"}))],
                "responses": ok("audit entries", "application/json", obj.clone())}},
            "/api/me": {"get": {"summary": "who the bearer token belongs to", "security": [{"bearer": []}],
                "responses": {"200": {"description": "the analyst"}, "401": {"$ref": "#/components/responses/Error"}}}},
            "/api/events/{id}/corrections": write_op("correct fields of an event (kept with who and when; applied to the re-coded event in the same transaction that writes it)",
                vec![path_param("id", "event id")],
                json!({"type": "object", "required": ["changes"], "properties": {
                    "changes": {"type": "object", "description": "field path → new value; fields: event_type, sub_event_type, date_start, date_end, date_precision, location.name, location.admin1, location.admin2, location.admin3, location.country, location.precision, location.lat, location.lon, location.place_id, actor1, assoc_actor1, actor2, assoc_actor2, fatalities, fatalities_vague, fatalities_by_side, injured, injured_vague, arrested, arrested_vague"},
                    "note": {"type": "string"}}})),
            "/api/events/{id}/wrong": write_op("mark an event wrong (or clear the mark)", vec![path_param("id", "event id")],
                json!({"type": "object", "required": ["wrong"], "properties": {"wrong": {"type": "boolean"}, "note": {"type": "string"}}})),
            "/api/incidents/merge": write_op("merge incidents into one", vec![],
                json!({"type": "object", "required": ["incident_ids"], "properties": {"incident_ids": {"type": "array", "items": {"type": "string"}, "minItems": 2}, "note": {"type": "string"}}})),
            "/api/incidents/{id}/split": write_op("move some events of an incident into a new incident", vec![path_param("id", "incident id")],
                json!({"type": "object", "required": ["event_ids"], "properties": {"event_ids": {"type": "array", "items": {"type": "integer"}}, "note": {"type": "string"}}})),
            "/api/review/orphans": {"get": {"summary": "review work whose event re-coding took away (the key no longer matches, or the coder split the event): each with the event as the analyst saw it, the changes, the reason and the document's current events ranked as candidates",
                "responses": ok("orphans", "application/json", obj.clone())}},
            "/api/review/orphans/{id}/attach": write_op("put an orphan's changes onto one event of its document", vec![path_param("id", "orphan id")],
                json!({"type": "object", "required": ["event_id"], "properties": {"event_id": {"type": "integer"}, "note": {"type": "string"}}})),
            "/api/review/orphans/{id}/dismiss": write_op("set an orphan aside (its changes stay on record, applied to nothing)", vec![path_param("id", "orphan id")],
                json!({"type": "object", "properties": {"note": {"type": "string"}}})),
        }
    })
}

pub async fn document() -> Json<Value> {
    Json(spec())
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_route_is_documented() {
        let spec = super::spec();
        let paths = spec["paths"].as_object().unwrap();
        let lib = include_str!("lib.rs");
        for line in lib.lines().filter(|l| l.contains(".route(\"/api/")) {
            let path = line.split('"').nth(1).unwrap();
            assert!(paths.contains_key(path), "{path} is not in openapi.json");
        }
    }
}

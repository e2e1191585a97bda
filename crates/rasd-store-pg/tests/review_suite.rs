//! The review test suite, run against both stores through the one review interface
//! (`rasd_store::review::ReviewStore`): each case is written once and run on the
//! embedded store and on PostgreSQL (`RASD_TEST_POSTGRES`, a fresh database per case;
//! the PostgreSQL half skips, saying so, without it).

use rasd_model::{ContentKind, DocumentMeta, Event, Origin, RawDocument};
use rasd_store::review::ReviewStore;
use rasd_store::{Backend, DocumentId, EventFilter, EventId, Store};
use rasd_store_pg::PgStore;
use rasd_store_pg::scratch::ScratchDb;
use serde_json::{Value, json};
use std::collections::HashMap;

/// What the cases need besides review: writing documents and events, reading them.
trait Subject: ReviewStore<Error: std::fmt::Debug> {
    fn document(&mut self, name: &str) -> DocumentId;
    /// Writes `events` as the document's new coding (one transaction).
    fn code(&mut self, doc: DocumentId, events: &[Event]) -> Vec<EventId>;
    /// The event as every reader sees it (marked wrong or not).
    fn stored(&mut self, id: EventId) -> Option<Event>;
    /// How many events the default filter shows (wrong ones left out).
    fn visible(&mut self) -> u64;
    /// The change log after `cursor`: (seq, entity, key, op).
    fn changes_after(&mut self, cursor: i64) -> Vec<(i64, String, String, String)>;
}

fn changes_of(b: &mut dyn Backend, cursor: i64) -> Vec<(i64, String, String, String)> {
    b.changes_since(cursor, 10_000)
        .unwrap()
        .into_iter()
        .map(|c| (c.seq, c.entity, c.key, c.op))
        .collect()
}

fn raw(name: &str) -> RawDocument {
    RawDocument {
        doc_id: name.into(),
        origin: Origin::Inline,
        kind: ContentKind::Text,
        bytes: name.as_bytes().to_vec(),
        meta: DocumentMeta::default(),
    }
}

impl Subject for Store {
    fn document(&mut self, name: &str) -> DocumentId {
        self.put_document(&raw(name)).unwrap().id()
    }
    fn code(&mut self, doc: DocumentId, events: &[Event]) -> Vec<EventId> {
        self.put_events(doc, events).unwrap()
    }
    fn stored(&mut self, id: EventId) -> Option<Event> {
        self.get_event(id).unwrap().map(|e| e.event)
    }
    fn visible(&mut self) -> u64 {
        self.count_events(&EventFilter::default()).unwrap()
    }
    fn changes_after(&mut self, cursor: i64) -> Vec<(i64, String, String, String)> {
        changes_of(self, cursor)
    }
}

impl Subject for PgStore {
    fn document(&mut self, name: &str) -> DocumentId {
        let mut b = self.batch().unwrap();
        let id = b.put_document(&raw(name)).unwrap().id();
        b.commit().unwrap();
        id
    }
    fn code(&mut self, doc: DocumentId, events: &[Event]) -> Vec<EventId> {
        let mut b = self.batch().unwrap();
        let ids = b.put_events(doc, events).unwrap();
        b.commit().unwrap();
        ids
    }
    fn stored(&mut self, id: EventId) -> Option<Event> {
        self.query_events(&EventFilter {
            include_wrong: true,
            ..Default::default()
        })
        .unwrap()
        .into_iter()
        .find(|e| e.id == id)
        .map(|e| e.event)
    }
    fn visible(&mut self) -> u64 {
        self.count_events(&EventFilter::default()).unwrap()
    }
    fn changes_after(&mut self, cursor: i64) -> Vec<(i64, String, String, String)> {
        changes_of(self, cursor)
    }
}

fn event(place: &str, fatalities: u32, sentence: &str) -> Event {
    serde_json::from_value(json!({
        "event_type": "battles", "sub_event_type": "armed_clash",
        "date_start": "2024-03-02", "date_end": "2024-03-02", "date_precision": "day",
        "location": {"name": place, "admin1": "درعا", "country": "SY", "precision": "community"},
        "actor1": "Fictional Front", "actor2": "Other Fictional Group",
        "fatalities": fatalities, "injured": null, "arrested": null,
        "evidence": [sentence]
    }))
    .unwrap()
}

fn toll(s: &mut impl Subject, id: EventId) -> Option<u32> {
    s.stored(id).unwrap().fatalities
}

fn users_keep_hashes_and_unique_names(s: &mut impl Subject) {
    let user = s.add_user("mona", "0123456789abcdef0123").unwrap();
    assert_eq!(
        s.user_for_token("0123456789abcdef0123").unwrap(),
        Some(user.clone())
    );
    assert_eq!(s.user_for_token("not-the-token-at-all").unwrap(), None);
    assert_eq!(s.user_by_name("mona").unwrap(), Some(user));
    assert!(s.add_user("mona", "another-token-000000").is_err());
    assert!(s.add_user("short", "abc").is_err());
    assert_eq!(s.users().unwrap().len(), 1);
}

fn corrections_hold_through_recoding(s: &mut impl Subject) {
    let user = s.add_user("mona", "0123456789abcdef0123").unwrap();
    let d = s.document("doc-a");
    let coded = [event("تلكلخ", 5, "s1"), event("القصير", 2, "s2")];
    let ids = s.code(d, &coded);
    let fixed = s
        .correct_event(
            ids[1],
            &user,
            &[("fatalities".into(), json!(3))],
            Some("three"),
        )
        .unwrap();
    assert_eq!(fixed.fatalities, Some(3));
    s.mark_wrong(ids[0], &user, true, None).unwrap();
    assert_eq!(s.visible(), 1);
    let new = s.code(d, &coded);
    // New rows (SQLite may hand the freed ids out again) carrying the review.
    assert_eq!(
        toll(s, new[1]),
        Some(3),
        "held the moment the coding is written"
    );
    assert_eq!(s.visible(), 1, "still marked wrong");
    let review = s.event_review(new[1]).unwrap().unwrap();
    assert!(review.corrected);
    assert_eq!(review.original.fatalities, Some(2));
    assert_eq!(review.corrections[0].user, "mona");
    assert_eq!(review.corrections[0].note.as_deref(), Some("three"));
    assert!(s.event_review(new[0]).unwrap().unwrap().wrong);
    assert!(s.orphans().unwrap().is_empty());
    let log = s.audit_log(10).unwrap();
    assert_eq!(log[0].action, "mark_wrong");
    assert!(log.iter().any(|a| a.action == "correct"));
}

fn invalid_corrections_are_refused(s: &mut impl Subject) {
    let user = s.add_user("mona", "0123456789abcdef0123").unwrap();
    let d = s.document("doc-b");
    let ids = s.code(d, &[event("تدمر", 1, "s1")]);
    for (field, value) in [
        ("event_type", json!("protests")),
        ("evidence", json!([])),
        ("fatalities", json!("many")),
    ] {
        let r = s.correct_event(ids[0], &user, &[(field.into(), value)], None);
        assert!(r.is_err(), "{field}");
    }
    assert!(
        s.correct_event(
            EventId(999_999),
            &user,
            &[("fatalities".into(), json!(1))],
            None
        )
        .is_err()
    );
    assert_eq!(toll(s, ids[0]), Some(1));
    assert!(
        s.event_review(ids[0])
            .unwrap()
            .unwrap()
            .corrections
            .is_empty()
    );
}

fn a_split_orphans_and_is_reattached(s: &mut impl Subject) {
    let user = s.add_user("mona", "0123456789abcdef0123").unwrap();
    let d = s.document("doc-split");
    let ids = s.code(d, &[event("طفس", 7, "s1")]);
    s.correct_event(ids[0], &user, &[("fatalities".into(), json!(9))], None)
        .unwrap();
    let pieces = [event("طفس", 4, "s1"), event("نوى", 3, "s1")];
    let new = s.code(d, &pieces);
    assert_eq!(toll(s, new[0]), Some(4), "applied to no piece");
    let orphans = s.orphans().unwrap();
    assert_eq!(orphans.len(), 1);
    let o = &orphans[0];
    assert_eq!(o.reason.as_deref(), Some("split"));
    assert_eq!(o.original.as_ref().unwrap().fatalities, Some(7));
    assert_eq!(o.corrections[0].value, json!(9));
    assert_eq!(
        o.candidates.iter().map(|c| c.event_id).collect::<Vec<_>>(),
        [new[0].0, new[1].0]
    );
    let other = s.document("doc-other");
    let foreign = s.code(other, &[event("درعا", 1, "s9")]);
    assert!(s.reattach(o.id, foreign[0], &user, None).is_err());
    assert_eq!(
        s.reattach(o.id, new[0], &user, None).unwrap().fatalities,
        Some(9)
    );
    assert_eq!(toll(s, new[0]), Some(9));
    assert!(s.orphans().unwrap().is_empty());
    assert!(s.reattach(o.id, new[0], &user, None).is_err());
    let again = s.code(d, &pieces);
    assert_eq!(toll(s, again[0]), Some(9), "the same coding keeps it");
    assert_eq!(toll(s, again[1]), Some(3));
    assert!(s.orphans().unwrap().is_empty());
}

fn a_changed_key_orphans_comes_back_and_is_dismissed(s: &mut impl Subject) {
    let user = s.add_user("mona", "0123456789abcdef0123").unwrap();
    let d = s.document("doc-key");
    let ids = s.code(d, &[event("تدمر", 1, "s1")]);
    s.mark_wrong(ids[0], &user, true, None).unwrap();
    let moved = s.code(d, &[event("السخنة", 1, "s1")]);
    assert!(!s.event_review(moved[0]).unwrap().unwrap().wrong);
    let orphans = s.orphans().unwrap();
    assert_eq!(orphans[0].reason.as_deref(), Some("key_changed"));
    assert_eq!(orphans[0].candidates[0].event_id, moved[0].0);
    let back = s.code(d, &[event("تدمر", 1, "s1")]);
    assert!(
        s.event_review(back[0]).unwrap().unwrap().wrong,
        "home again"
    );
    assert!(s.orphans().unwrap().is_empty());
    s.code(d, &[event("السخنة", 1, "s1")]);
    let o = s.orphans().unwrap()[0].id;
    s.dismiss_orphan(o, &user, Some("not worth it")).unwrap();
    assert!(s.orphans().unwrap().is_empty());
    assert!(s.dismiss_orphan(o, &user, None).is_err());
    let back = s.code(d, &[event("تدمر", 1, "s1")]);
    assert!(!s.event_review(back[0]).unwrap().unwrap().wrong);
    assert!(s.orphan(o).unwrap().is_some(), "kept on record");
}

fn groups_follow_repeated_keys(s: &mut impl Subject) {
    let user = s.add_user("mona", "0123456789abcdef0123").unwrap();
    let d = s.document("doc-c");
    let coded = [event("حماة", 1, "s1"), event("حماة", 4, "s2")];
    let ids = s.code(d, &coded);
    s.set_incident_group(&ids[1..], &user, Some("g1"), "split", None)
        .unwrap();
    let (a, b) = (
        s.event_review(ids[0]).unwrap().unwrap(),
        s.event_review(ids[1]).unwrap().unwrap(),
    );
    assert_ne!(a.event_key, b.event_key);
    assert_eq!(b.incident_group.as_deref(), Some("g1"));
    assert_eq!(a.incident_group, None);
    let new = s.code(d, &coded);
    assert_eq!(
        s.incident_groups().unwrap(),
        vec![(new[1], "g1".to_string())]
    );
}

fn merge_then_split_gives_each_report_its_group_back(s: &mut impl Subject) {
    let user = s.add_user("mona", "0123456789abcdef0123").unwrap();
    let (a, b) = (s.document("doc-a"), s.document("doc-b"));
    let ea = s.code(a, &[event("جاسم", 21, "s1")]);
    let eb = s.code(b, &[event("جاسم", 19, "s2")]);
    s.set_incident_group(&[ea[0], eb[0]], &user, Some("m1"), "merge", None)
        .unwrap();
    assert_eq!(
        s.incident_groups().unwrap(),
        vec![(ea[0], "m1".to_string()), (eb[0], "m1".to_string())]
    );
    // The split the server makes: the moved reports to one new group, the rest to
    // another.
    s.set_incident_group(
        &[eb[0]],
        &user,
        Some("s-moved"),
        "split",
        Some("two days apart"),
    )
    .unwrap();
    s.set_incident_group(&[ea[0]], &user, Some("s-stay"), "split", None)
        .unwrap();
    let split = vec![
        (ea[0], "s-stay".to_string()),
        (eb[0], "s-moved".to_string()),
    ];
    assert_eq!(s.incident_groups().unwrap(), split);
    // Both groups outlive re-coding either report.
    let ea = s.code(a, &[event("جاسم", 21, "s1")]);
    let eb = s.code(b, &[event("جاسم", 19, "s2")]);
    assert_eq!(
        s.incident_groups().unwrap(),
        vec![
            (ea[0], "s-stay".to_string()),
            (eb[0], "s-moved".to_string())
        ]
    );
    let review = s.event_review(eb[0]).unwrap().unwrap();
    let kinds: Vec<(&str, &Value)> = review
        .corrections
        .iter()
        .map(|c| (c.kind.as_str(), &c.value))
        .collect();
    assert_eq!(
        kinds,
        [("incident", &json!("m1")), ("incident", &json!("s-moved"))]
    );
    assert!(
        !review.corrected && !review.wrong,
        "a regrouping corrects no field"
    );
    // Handed back to automatic clustering, neither report has a group.
    s.set_incident_group(&[ea[0], eb[0]], &user, None, "ungroup", None)
        .unwrap();
    assert!(s.incident_groups().unwrap().is_empty());
    let actions: Vec<String> = s
        .audit_log(10)
        .unwrap()
        .into_iter()
        .rev()
        .map(|a| format!("{} {}", a.action, a.target.unwrap_or_default()))
        .collect();
    assert_eq!(
        actions,
        [
            "user_add user:mona",
            "merge group:m1",
            "split group:s-moved",
            "split group:s-stay",
            "ungroup group:-"
        ]
    );
}

/// What a sequence of review operations left behind, with every event id replaced
/// by the name the script gave the event (the two stores number rows differently,
/// and SQLite hands a deleted row's id out again).
#[derive(Debug, Default, PartialEq)]
struct Trail {
    /// Per operation: its new audit lines (user, action, target, detail).
    audit: Vec<(Option<String>, String, Option<String>, Value)>,
    /// Per review operation: the change-log entries it wrote (entity, key, op), sorted.
    changes: Vec<Vec<(String, String, String)>>,
    /// The review of every event at the end, and the orphans.
    reviews: Vec<Value>,
    orphans: Vec<Value>,
}

struct Script<'s, S: Subject> {
    s: &'s mut S,
    names: HashMap<i64, String>,
    trail: Trail,
    audit_seen: i64,
    cursor: i64,
}

impl<S: Subject> Script<'_, S> {
    fn name(&self, id: i64) -> String {
        self.names
            .get(&id)
            .cloned()
            .unwrap_or_else(|| format!("unnamed #{id}"))
    }

    fn code(&mut self, doc: DocumentId, label: &str, events: &[Event]) -> Vec<EventId> {
        let ids = self.s.code(doc, events);
        for (i, id) in ids.iter().enumerate() {
            self.names.insert(id.0, format!("{label}/{i}"));
        }
        self.settle();
        ids
    }

    /// An event id in a detail or target, by its name.
    fn rename(&self, v: &Value) -> Value {
        match v {
            Value::Number(n) => Value::String(self.name(n.as_i64().unwrap())),
            Value::Array(a) => Value::Array(a.iter().map(|x| self.rename(x)).collect()),
            other => other.clone(),
        }
    }

    /// Takes in what the last write left in the audit log and the change log.
    fn settle(&mut self) -> Vec<(String, String, String)> {
        let mut fresh: Vec<_> = self
            .s
            .audit_log(1000)
            .unwrap()
            .into_iter()
            .filter(|a| a.id > self.audit_seen)
            .collect();
        fresh.reverse();
        for a in fresh {
            self.audit_seen = a.id;
            let target = a.target.map(|t| match t.strip_prefix("event:") {
                Some(id) => format!("event:{}", self.name(id.parse().unwrap())),
                None => t,
            });
            let mut detail = a.detail;
            for k in ["event", "events"] {
                if let Some(v) = detail.get(k).cloned() {
                    detail[k] = self.rename(&v);
                }
            }
            self.trail.audit.push((a.user, a.action, target, detail));
        }
        let changes = self.s.changes_after(self.cursor);
        self.cursor = changes.last().map_or(self.cursor, |c| c.0);
        let mut out: Vec<(String, String, String)> = changes
            .into_iter()
            .map(|(_, entity, key, op)| {
                let key = match (entity.as_str(), key.parse::<i64>()) {
                    ("event", Ok(id)) => self.name(id),
                    _ => key,
                };
                (entity, key, op)
            })
            .collect();
        out.sort();
        out
    }

    /// A review operation, with the change-log entries it wrote.
    fn review<T>(&mut self, op: impl FnOnce(&mut S) -> T) -> T {
        let out = op(self.s);
        let changes = self.settle();
        self.trail.changes.push(changes);
        out
    }
}

fn script(s: &mut impl Subject) -> Trail {
    let mut run = Script {
        s,
        names: HashMap::new(),
        trail: Trail::default(),
        audit_seen: 0,
        cursor: 0,
    };
    let user = run.review(|s| s.add_user("mona", "0123456789abcdef0123").unwrap());
    let (a, b) = (run.s.document("doc-a"), run.s.document("doc-b"));
    let ea = run.code(
        a,
        "a1",
        &[event("تلكلخ", 5, "s1"), event("القصير", 2, "s2")],
    );
    let eb = run.code(b, "b1", &[event("حماة", 1, "s3")]);
    run.review(|s| {
        s.correct_event(
            ea[1],
            &user,
            &[("fatalities".into(), json!(3))],
            Some("three"),
        )
        .unwrap()
    });
    run.review(|s| s.mark_wrong(ea[0], &user, true, None).unwrap());
    run.review(|s| {
        s.set_incident_group(&[ea[1], eb[0]], &user, Some("m1"), "merge", None)
            .unwrap()
    });
    run.review(|s| {
        s.set_incident_group(&[eb[0]], &user, Some("s1"), "split", None)
            .unwrap()
    });
    // Re-coded: the corrected report's sentence now gives two places (an orphan), the
    // wrong one is unchanged.
    let ea = run.code(
        a,
        "a2",
        &[
            event("تلكلخ", 5, "s1"),
            event("القصير", 1, "s2"),
            event("نوى", 1, "s2"),
        ],
    );
    let orphan = run.s.orphans().unwrap()[0].id;
    run.review(|s| s.reattach(orphan, ea[1], &user, Some("back")).unwrap());
    // Re-coded again: the wrong one's key changes (another orphan), set aside.
    run.code(
        a,
        "a3",
        &[
            event("السخنة", 5, "s1"),
            event("القصير", 1, "s2"),
            event("نوى", 1, "s2"),
        ],
    );
    let orphan = run.s.orphans().unwrap()[0].id;
    run.review(|s| {
        s.dismiss_orphan(orphan, &user, Some("not worth it"))
            .unwrap()
    });
    let mut ids: Vec<i64> = run.names.keys().copied().collect();
    ids.sort_unstable();
    for id in ids {
        if let Some(r) = run.s.event_review(EventId(id)).unwrap() {
            let corrections: Vec<Value> = r
                .corrections
                .iter()
                .map(|c| json!([c.kind, c.field, c.value, c.note, c.user]))
                .collect();
            run.trail.reviews.push(json!({
                "event": run.name(id), "key": r.event_key, "corrected": r.corrected,
                "wrong": r.wrong, "group": r.incident_group, "corrections": corrections,
            }));
        }
    }
    for o in run.s.orphan(orphan).unwrap().into_iter() {
        run.trail.orphans.push(json!({
            "key": o.event_key, "reason": o.reason, "changes": o.corrections.len(),
            "candidates": o.candidates.iter().map(|c| run.name(c.event_id)).collect::<Vec<_>>(),
        }));
    }
    run.trail
}

/// The same operations on both stores leave the same audit trail, change log, review
/// state and orphans.
#[test]
fn both_stores_leave_the_same_trail() {
    let Some(db) = ScratchDb::from_env() else {
        return;
    };
    let sqlite = script(&mut Store::open_in_memory().unwrap());
    let postgres = script(&mut PgStore::connect(&db.url).unwrap());
    assert_eq!(sqlite.audit.len(), 9, "{:#?}", sqlite.audit);
    // Adding a user and setting an orphan aside touch no event; the five others do.
    let touching: Vec<usize> = (0..sqlite.changes.len())
        .filter(|&i| !sqlite.changes[i].is_empty())
        .collect();
    assert_eq!(touching, [1, 2, 3, 4, 5], "{:#?}", sqlite.changes);
    assert_eq!(sqlite.audit, postgres.audit);
    assert_eq!(sqlite.changes, postgres.changes);
    assert_eq!(sqlite.reviews, postgres.reviews);
    assert_eq!(sqlite.orphans, postgres.orphans);
}

macro_rules! both_stores {
    ($($case:ident),* $(,)?) => {
        mod sqlite {
            $(#[test]
            fn $case() {
                super::$case(&mut rasd_store::Store::open_in_memory().unwrap());
            })*
        }
        mod postgres {
            $(#[test]
            fn $case() {
                let Some(db) = super::ScratchDb::from_env() else {
                    return;
                };
                super::$case(&mut super::PgStore::connect(&db.url).unwrap());
            })*
        }
    };
}

both_stores!(
    users_keep_hashes_and_unique_names,
    corrections_hold_through_recoding,
    invalid_corrections_are_refused,
    a_split_orphans_and_is_reattached,
    a_changed_key_orphans_comes_back_and_is_dismissed,
    groups_follow_repeated_keys,
    merge_then_split_gives_each_report_its_group_back,
);

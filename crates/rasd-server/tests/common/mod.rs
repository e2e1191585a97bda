//! Seed data for the server tests: short fictional Arabic reports written for these
//! tests, stored through the real store API (documents, articles, coded events) —
//! and the two stores the suites run on: each test body is written once, taking a
//! [`Kind`], and [`on_both_stores!`] runs it on a SQLite file and on a scratch
//! PostgreSQL database (when `RASD_TEST_POSTGRES` names a server, as `.ci/run` sets
//! it; otherwise the PostgreSQL run says it skipped).
#![allow(dead_code)]

use rasd_model::{Article, ContentKind, DocumentMeta, Event, Origin, RawDocument, TextSpan};
use rasd_store::incidents::{IncidentSave, IncidentStore};
use rasd_store::{Backend, EventFilter, EventId};
use rasd_store_pg::scratch::ScratchDb;
use std::collections::BTreeSet;
use std::path::PathBuf;

/// Which store a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Sqlite,
    Postgres,
}

/// Runs each named `fn NAME(kind: Kind)` as two tests, `sqlite::NAME` and
/// `postgres::NAME`.
#[macro_export]
macro_rules! on_both_stores {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $( #[test] fn $name() { super::$name($crate::common::Kind::Sqlite) } )*
        }
        mod postgres {
            $( #[test] fn $name() { super::$name($crate::common::Kind::Postgres) } )*
        }
    };
}

/// A fresh, empty store of one kind, removed when dropped.
pub struct TestStore {
    pub kind: Kind,
    /// What `--db` / [`rasd_server::ServerConfig::new`] takes: the file or the URL.
    pub db: PathBuf,
    _dir: Option<tempfile::TempDir>,
    _scratch: Option<ScratchDb>,
}

impl TestStore {
    /// `None` (the PostgreSQL run skips, saying so) when no server is configured.
    pub fn new(kind: Kind) -> Option<TestStore> {
        match kind {
            Kind::Sqlite => {
                let dir = tempfile::tempdir().unwrap();
                let db = dir.path().join("rasd.db");
                Some(TestStore {
                    kind,
                    db,
                    _dir: Some(dir),
                    _scratch: None,
                })
            }
            Kind::Postgres => {
                let scratch = ScratchDb::from_env()?;
                Some(TestStore {
                    kind,
                    db: PathBuf::from(&scratch.url),
                    _dir: None,
                    _scratch: Some(scratch),
                })
            }
        }
    }

    /// A connection of its own (as another process would have).
    pub fn open(&self) -> Box<dyn Backend> {
        match self.kind {
            Kind::Sqlite => Box::new(rasd_store::Store::open(&self.db).unwrap()),
            Kind::Postgres => {
                Box::new(rasd_store_pg::PgStore::connect(&self.db.to_string_lossy()).unwrap())
            }
        }
    }

    /// A server over this store on 127.0.0.1, any free port.
    pub fn config(&self) -> rasd_server::ServerConfig {
        rasd_server::ServerConfig::new(&self.db)
    }

    /// Writes as the clustering pass does, through the incidents interface both
    /// stores implement (on PostgreSQL, in a pass holding the clustering lock).
    fn clustering(&self, f: impl FnOnce(&mut dyn FnMut(Write<'_>))) {
        match self.kind {
            Kind::Sqlite => {
                let store = rasd_store::Store::open(&self.db).unwrap();
                f(&mut |w| apply(&mut &store, w));
            }
            Kind::Postgres => {
                let mut pg = rasd_store_pg::PgStore::connect(&self.db.to_string_lossy()).unwrap();
                let mut pass = pg.incidents().unwrap();
                f(&mut |w| apply(&mut pass, w));
                pass.commit().unwrap();
            }
        }
    }

    /// Saves a stored incident linking `events`, as the clustering pass would.
    pub fn save_incident(&self, inc: &IncidentSave<'_>) {
        self.clustering(|c| c(Write::Save(inc)));
    }

    pub fn delete_incident(&self, id: i64) {
        self.clustering(|c| c(Write::Delete(id)));
    }

    /// The id of every stored event (wrong ones too).
    pub fn event_ids(&self) -> BTreeSet<i64> {
        self.open()
            .query_events(&EventFilter {
                include_wrong: true,
                ..Default::default()
            })
            .unwrap()
            .into_iter()
            .map(|e| e.id.0)
            .collect()
    }
}

pub struct Sample {
    pub doc_id: &'static str,
    pub source: &'static str,
    pub title: &'static str,
    pub published: &'static str,
    pub text: &'static str,
    /// (event JSON without evidence, evidence sentences)
    pub events: Vec<(serde_json::Value, Vec<&'static str>)>,
}

pub fn samples() -> Vec<Sample> {
    use serde_json::json;
    let clash = |place: &str,
                 admin1: &str,
                 lat: f64,
                 lon: f64,
                 start: &str,
                 end: &str,
                 deaths: u32| {
        json!({"event_type": "battles", "sub_event_type": "armed_clash", "date_start": start, "date_end": end,
               "date_precision": "day",
               "location": {"name": place, "admin1": admin1, "country": "SY", "precision": "community", "lat": lat, "lon": lon},
               "actor1": "Local armed group (Jasim)", "assoc_actor1": [], "actor2": "Islamic State", "assoc_actor2": [],
               "fatalities": deaths, "injured": null, "arrested": null})
    };
    vec![
        Sample {
            doc_id: "sample-jasim-a",
            source: "وكالة الشاهد",
            title: "انتهاء المواجهات في جاسم بريف درعا",
            published: "2022-10-25T13:00:00+03:00",
            text: "درعا - الشاهد\nانتهت اليوم مواجهات استمرت خمسة أيام في مدينة جاسم بين مقاتلين محليين وخلايا تنظيم الدولة.\nوقال مصدر محلي إن 21 شخصاً قتلوا خلال المواجهات.\nوعاد الهدوء إلى أحياء المدينة مساء اليوم.",
            events: vec![(
                clash(
                    "جاسم",
                    "درعا",
                    32.992,
                    36.060,
                    "2022-10-21",
                    "2022-10-25",
                    21,
                ),
                vec![
                    "انتهت اليوم مواجهات استمرت خمسة أيام في مدينة جاسم بين مقاتلين محليين وخلايا تنظيم الدولة.",
                    "وقال مصدر محلي إن 21 شخصاً قتلوا خلال المواجهات.",
                ],
            )],
        },
        Sample {
            doc_id: "sample-jasim-b",
            source: "شبكة السهل",
            title: "حصيلة معارك جاسم",
            published: "2022-10-26T09:30:00+03:00",
            text: "أفادت شبكة السهل بأن معارك جاسم أسفرت عن مقتل 19 شخصاً بين الطرفين.\nوكانت الاشتباكات قد اندلعت يوم الجمعة الماضي.",
            events: vec![(
                clash(
                    "جاسم",
                    "درعا",
                    32.992,
                    36.060,
                    "2022-10-21",
                    "2022-10-25",
                    19,
                ),
                vec!["أفادت شبكة السهل بأن معارك جاسم أسفرت عن مقتل 19 شخصاً بين الطرفين."],
            )],
        },
        Sample {
            doc_id: "sample-ariha",
            source: "منصة الشمال",
            title: "غارة جوية على أريحا",
            published: "2023-03-04T18:00:00+03:00",
            text: "إدلب - منصة الشمال\nقتل ثلاثة مدنيين بينهم طفل في غارة جوية استهدفت سوقاً شعبياً في مدينة أريحا جنوبي إدلب صباح اليوم.",
            events: vec![(
                json!({"event_type": "explosions_remote_violence", "sub_event_type": "air_drone_strike",
                       "date_start": "2023-03-04", "date_end": "2023-03-04", "date_precision": "day",
                       "location": {"name": "أريحا", "admin1": "إدلب", "country": "SY", "precision": "community", "lat": 35.813, "lon": 36.607},
                       "actor1": "Syrian Government Forces", "assoc_actor1": [], "actor2": "Civilians (Syria)", "assoc_actor2": [],
                       "fatalities": 3, "injured": null, "arrested": null}),
                vec![
                    "قتل ثلاثة مدنيين بينهم طفل في غارة جوية استهدفت سوقاً شعبياً في مدينة أريحا جنوبي إدلب صباح اليوم.",
                ],
            )],
        },
        Sample {
            doc_id: "sample-raqqa",
            source: "صوت الفرات",
            title: "حملة اعتقالات في الرقة",
            published: "2023-05-10T11:00:00+03:00",
            text: "شنت قوات سوريا الديمقراطية حملة دهم في مدينة الرقة اليوم واعتقلت 12 شاباً.\nولم تعلن القوات أسباب الحملة.",
            events: vec![(
                json!({"event_type": "strategic_developments", "sub_event_type": "arrests",
                       "date_start": "2023-05-10", "date_end": "2023-05-10", "date_precision": "day",
                       "location": {"name": "الرقة", "admin1": "الرقة", "country": "SY", "precision": "community", "lat": 35.950, "lon": 39.010},
                       "actor1": "Syrian Democratic Forces", "assoc_actor1": [], "actor2": "Civilians (Syria)", "assoc_actor2": [],
                       "fatalities": null, "injured": null, "arrested": 12}),
                vec!["شنت قوات سوريا الديمقراطية حملة دهم في مدينة الرقة اليوم واعتقلت 12 شاباً."],
            )],
        },
        Sample {
            doc_id: "sample-homs",
            source: "حمص اليوم",
            title: "وقفة احتجاجية في حمص",
            published: "2023-06-02T20:00:00+03:00",
            text: "تجمع عشرات الأهالي في ساحة الساعة بمدينة حمص اليوم للمطالبة بتحسين الخدمات، وانتهت الوقفة دون تدخل.",
            events: vec![(
                json!({"event_type": "protests", "sub_event_type": "peaceful_protest",
                       "date_start": "2023-06-02", "date_end": "2023-06-02", "date_precision": "day",
                       "location": {"name": "حمص", "admin1": "حمص", "country": "SY", "precision": "community", "lat": 34.730, "lon": 36.710},
                       "actor1": "Protesters (Syria)", "assoc_actor1": [], "actor2": null, "assoc_actor2": [],
                       "fatalities": null, "injured": null, "arrested": null}),
                vec![
                    "تجمع عشرات الأهالي في ساحة الساعة بمدينة حمص اليوم للمطالبة بتحسين الخدمات، وانتهت الوقفة دون تدخل.",
                ],
            )],
        },
    ]
}

/// The coded events of one sample, with evidence spans located in its text.
pub fn events_of(s: &Sample) -> Vec<Event> {
    s.events
        .iter()
        .map(|(json, evidence)| {
            let mut v = json.clone();
            v["evidence"] = serde_json::json!(evidence);
            let mut e: Event = serde_json::from_value(v).expect("sample event");
            e.evidence_spans = evidence
                .iter()
                .map(|sent| {
                    let b = s.text.find(sent).expect("evidence is in the text");
                    TextSpan::from_byte_range(s.text, b..b + sent.len())
                })
                .collect();
            assert!(e.validate().is_empty(), "{:?}", e.validate());
            e
        })
        .collect()
}

/// A write of the clustering pass.
enum Write<'a> {
    Save(&'a IncidentSave<'a>),
    Delete(i64),
}

fn apply<S: IncidentStore>(s: &mut S, w: Write<'_>) {
    match w {
        Write::Save(inc) => s.save_incident(inc).unwrap(),
        Write::Delete(id) => s.delete_incident(id).unwrap(),
    }
}

/// Stores every sample; returns the event ids per sample, in order.
pub fn seed(store: &mut dyn Backend) -> Vec<Vec<EventId>> {
    samples()
        .iter()
        .map(|s| {
            let doc = store
                .put_document(&RawDocument {
                    doc_id: s.doc_id.into(),
                    origin: Origin::Inline,
                    kind: ContentKind::Text,
                    bytes: s.text.as_bytes().to_vec(),
                    meta: DocumentMeta::default(),
                })
                .expect("document")
                .id();
            let article: Article = serde_json::from_value(serde_json::json!({
                "doc_id": s.doc_id, "url": format!("https://news.example/{}", s.doc_id), "source": s.source,
                "title": s.title, "published": s.published, "text": s.text,
                "paragraphs": [], "language": "ar"
            }))
            .expect("article");
            store.put_article(doc, &article).expect("article stored");
            store.put_events(doc, &events_of(s)).expect("events stored")
        })
        .collect()
}

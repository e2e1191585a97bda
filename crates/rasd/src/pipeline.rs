//! The pipeline as `rasd ingest` and `rasd code` both run it:
//! read (rasd-ingest) → manifest → extract (rasd-extract) → code (rasd-coder).
//! Each stage is called through its crate's public API only.

use anyhow::Context as _;
use rasd_coder::{ActorRegister, Coder};
use rasd_ingest::{IngestError, Manifest, ReadOptions};
use rasd_model::{Article, CodedDocument, Event, RawDocument};
use std::path::PathBuf;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

/// What the user can change about a run.
#[derive(Debug, Clone, Default)]
pub struct PipelineOptions {
    /// JSON Lines of `{"path" or "doc_id", "url", "published", "source"}`.
    pub manifest: Option<PathBuf>,
    /// An actor register (TSV) merged over the bundled one.
    pub actors: Option<PathBuf>,
}

/// A configured pipeline. The coder (and its gazetteer) is built on first use.
pub struct Pipeline {
    manifest: Option<Manifest>,
    actors: Option<ActorRegister>,
    read: ReadOptions,
    coder: OnceLock<Coder>,
}

/// One document through extract and code.
pub struct Processed {
    pub article: Article,
    pub events: Vec<Event>,
}

impl Pipeline {
    pub fn new(opts: &PipelineOptions) -> anyhow::Result<Pipeline> {
        let manifest = opts
            .manifest
            .as_deref()
            .map(|p| Manifest::load(p).with_context(|| format!("manifest {}", p.display())))
            .transpose()?;
        let actors = opts
            .actors
            .as_deref()
            .map(|p| -> anyhow::Result<ActorRegister> {
                let text = std::fs::read_to_string(p)
                    .with_context(|| format!("cannot read actor register {}", p.display()))?;
                ActorRegister::from_tsv(&text)
                    .with_context(|| format!("actor register {}", p.display()))
            })
            .transpose()?;
        Ok(Pipeline {
            manifest,
            actors,
            read: ReadOptions::default(),
            coder: OnceLock::new(),
        })
    }

    /// Every document under `paths` (files, folders, feeds, archives), with the
    /// manifest applied; errors name the file and the others go on.
    pub fn documents<'a>(
        &'a self,
        paths: &'a [PathBuf],
    ) -> impl Iterator<Item = Result<Input, IngestError>> + 'a {
        paths
            .iter()
            .flat_map(move |p| rasd_ingest::read_path(p, &self.read))
            .map(move |doc| {
                let mut doc = doc?;
                let mut page_meta = None;
                if let Some(m) = &self.manifest {
                    let before = doc.meta.clone();
                    if m.apply(&mut doc) {
                        page_meta = Some(before);
                    }
                }
                Ok(Input { doc, page_meta })
            })
    }

    pub fn extract(&self, doc: &RawDocument) -> Result<Article, rasd_extract::ExtractError> {
        rasd_extract::extract(doc)
    }

    fn coder(&self) -> &Coder {
        self.coder.get_or_init(|| {
            let mut actors = ActorRegister::bundled();
            if let Some(extra) = &self.actors {
                actors.merge(extra.clone());
            }
            Coder::new(actors, rasd_geo::Gazetteer::bundled())
        })
    }

    pub fn code(&self, article: &Article) -> Vec<Event> {
        self.coder().code(article)
    }

    /// The coder's trace for one article: what it read in each sentence and the
    /// mentions it built (`rasd code --format explain`).
    pub fn explain(&self, article: &Article) -> String {
        self.coder().explain(article, &Default::default())
    }

    /// Extract then code one document.
    pub fn process(&self, input: &Input) -> Result<Processed, rasd_extract::ExtractError> {
        let article = self.extract_input(input)?;
        let events = self.code(&article);
        Ok(Processed { article, events })
    }

    /// [`Pipeline::process`] over `inputs` on up to `jobs` threads; the results come
    /// back in the order of `inputs`, so what is stored or printed does not depend
    /// on how many threads ran. Documents are handed out one at a time, so a long
    /// page does not hold up a whole share of the batch.
    pub fn process_all(
        &self,
        inputs: &[Input],
        jobs: usize,
    ) -> Vec<Result<Processed, rasd_extract::ExtractError>> {
        let jobs = jobs.clamp(1, inputs.len().max(1));
        if jobs == 1 {
            return inputs.iter().map(|i| self.process(i)).collect();
        }
        // Build the coder once before the workers race for it.
        self.coder();
        let next = AtomicUsize::new(0);
        let mut done: Vec<(usize, Result<Processed, rasd_extract::ExtractError>)> =
            std::thread::scope(|scope| {
                let workers: Vec<_> = (0..jobs)
                    .map(|_| {
                        scope.spawn(|| {
                            let mut mine = Vec::new();
                            loop {
                                let i = next.fetch_add(1, Ordering::Relaxed);
                                let Some(input) = inputs.get(i) else { break };
                                mine.push((i, self.process(input)));
                            }
                            mine
                        })
                    })
                    .collect();
                workers
                    .into_iter()
                    .flat_map(|w| match w.join() {
                        Ok(v) => v,
                        // A panic in extraction or coding is a bug; re-raise it on
                        // this thread rather than losing the document silently.
                        Err(panic) => std::panic::resume_unwind(panic),
                    })
                    .collect()
            });
        done.sort_by_key(|(i, _)| *i);
        done.into_iter().map(|(_, r)| r).collect()
    }

    /// Extracts the article; when the manifest supplied metadata, also reads what the
    /// page itself says and logs every disagreement (the manifest's value is kept).
    pub fn extract_input(&self, input: &Input) -> Result<Article, rasd_extract::ExtractError> {
        let article = self.extract(&input.doc)?;
        if let Some(page_meta) = &input.page_meta {
            let mut page_doc = input.doc.clone();
            page_doc.meta = page_meta.clone();
            if let Ok(page) = self.extract(&page_doc) {
                log_conflicts(&input.doc, &article, &page);
            }
        }
        Ok(article)
    }
}

/// Threads to use when the user does not say: one per core.
pub fn default_jobs() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// One document as read, with the metadata it had before the manifest was applied
/// (`None` when no manifest entry matched it).
pub struct Input {
    pub doc: RawDocument,
    pub page_meta: Option<rasd_model::DocumentMeta>,
}

fn log_conflicts(doc: &RawDocument, chosen: &Article, page: &Article) {
    let label = origin_label(doc);
    let pairs = [
        (
            "published",
            chosen.published.map(|p| p.to_string()),
            page.published.map(|p| p.to_string()),
        ),
        ("source", chosen.source.clone(), page.source.clone()),
        ("url", chosen.url.clone(), page.url.clone()),
        ("title", chosen.title.clone(), page.title.clone()),
    ];
    for (field, manifest, own) in pairs {
        if let (Some(m), Some(o)) = (&manifest, &own) {
            if m != o {
                tracing::warn!(
                    "{label}: the manifest gives {field} {m:?} but the page says {o:?}; keeping the manifest's"
                );
            }
        }
    }
}

/// The record `rasd code` writes for one document (the evaluation interface):
/// `{"doc_id", "published", "source", "events": [...]}`.
pub fn coded_document(
    doc: &RawDocument,
    article: Option<&Article>,
    events: Vec<Event>,
) -> CodedDocument {
    let published = article
        .and_then(|a| a.published)
        .or(doc.meta.published)
        .map(|p| p.to_string());
    let source = article
        .and_then(|a| a.source.clone())
        .or_else(|| doc.meta.source.clone());
    let url = article
        .and_then(|a| a.url.clone())
        .or_else(|| doc.meta.url.clone());
    CodedDocument {
        doc_id: doc.doc_id.clone(),
        published,
        source,
        url,
        events,
    }
}

/// The path a document came from, for messages.
pub fn origin_label(doc: &RawDocument) -> String {
    match &doc.origin {
        rasd_model::Origin::File { path } => {
            if doc.doc_id.contains('#') {
                format!("{path} ({})", doc.doc_id)
            } else {
                path.clone()
            }
        }
        rasd_model::Origin::Url { url } => url.clone(),
        rasd_model::Origin::Inline => doc.doc_id.clone(),
    }
}

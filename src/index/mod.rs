//! The tantivy index of a corpus's passages, with the documents themselves
//! kept beside it, built on first use and updated file by file after.
//!
//! The passages (tantivy) and the documents (the store) must always agree:
//! a passage is found by tantivy but quoted from the store. They are two
//! files, so they cannot be written at once; instead every write puts the
//! documents in a new store file named by a fresh stamp, flushes it, and
//! then commits tantivy with that stamp as the commit's payload. tantivy's
//! commit (an atomic rename of its `meta.json`) is then the one moment both
//! change: a process killed before it leaves the previous commit and its
//! store file as they were, one killed after it leaves the new pair. Opening
//! reads the payload and loads that stamp's store, nothing else.

pub mod analyzer;
mod store;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;
use tantivy::collector::TopDocs;
use tantivy::columnar::Column;
use tantivy::directory::{DirectoryLock, INDEX_WRITER_LOCK, Lock, MmapDirectory};
use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::{Directory, Index, IndexReader, IndexWriter, ReloadPolicy, Term, doc};

use crate::corpus::meta::{SOURCES_FILE, SourcesToml};
use crate::corpus::{self, BlockStatus, Document, SourceFile};
pub use store::Skipped;
use store::Store;

#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    #[error("corpus folder {0} does not exist or is not a folder")]
    NoCorpus(PathBuf),
    #[error("{0}")]
    Metadata(#[from] corpus::meta::MetaError),
    #[error("index at {path}: {source}")]
    Tantivy {
        path: PathBuf,
        source: tantivy::TantivyError,
    },
    #[error("index at {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// The fields of one indexed passage.
#[derive(Clone, Copy)]
struct Fields {
    /// Which document (a hash of its path).
    file_id: Field,
    /// Which passage of it.
    passage: Field,
    title: Field,
    /// The headings, definition terms and labels above the passage.
    context: Field,
    body: Field,
    /// Whole identifiers of all three (`json.loads`, `--release`).
    identifiers: Field,
}

impl Fields {
    fn schema() -> (Schema, Fields) {
        let mut builder = Schema::builder();
        let text = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(analyzer::ANALYZER)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        );
        let fields = Fields {
            file_id: builder.add_u64_field("file_id", INDEXED | FAST),
            passage: builder.add_u64_field("passage", FAST),
            title: builder.add_text_field("title", text.clone()),
            context: builder.add_text_field("context", text.clone()),
            body: builder.add_text_field("body", text),
            identifiers: builder.add_text_field(
                "identifiers",
                TextOptions::default().set_indexing_options(
                    TextFieldIndexing::default()
                        .set_tokenizer(analyzer::IDENTIFIER_ANALYZER)
                        .set_index_option(IndexRecordOption::WithFreqs),
                ),
            ),
        };
        (builder.build(), fields)
    }
}

/// A passage found by a query.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PassageHit {
    /// Index into [`CorpusIndex::documents`].
    pub document: usize,
    pub passage: usize,
    pub score: f32,
}

/// How a query term is weighed and where it is searched.
#[derive(Debug, Clone, PartialEq)]
pub struct QueryTerm {
    /// A stem from [`analyzer::analyzer`], or a whole identifier from
    /// [`analyzer::identifiers`].
    pub text: String,
    pub identifier: bool,
    pub weight: f32,
}

impl QueryTerm {
    /// Every stem and identifier at the same weight: a plain search for the words.
    pub fn unweighted(stems: &[String], identifiers: &[String]) -> Vec<QueryTerm> {
        let stems = stems.iter().map(|s| (s, false));
        let identifiers = identifiers.iter().map(|s| (s, true));
        stems
            .chain(identifiers)
            .map(|(text, identifier)| QueryTerm {
                text: text.clone(),
                identifier,
                weight: 1.0,
            })
            .collect()
    }
}

/// What changed in the corpus since the index was last written.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Refresh {
    pub added: usize,
    pub changed: usize,
    pub removed: usize,
    pub rebuilt: bool,
}

pub struct CorpusIndex {
    dir: PathBuf,
    index: Index,
    reader: IndexReader,
    fields: Fields,
    store: Store,
    /// The stamp of the commit `reader` and `store` were opened at.
    stamp: u64,
    by_file_id: HashMap<u64, usize>,
    /// Per document: whether it repeats another's page and is left out of searches.
    shadowed: Vec<bool>,
}

/// Waiting for another process that holds the index's write lock.
const LOCK_WAIT: Duration = Duration::from_secs(120);
/// Opening again when another process commits while the index is opened.
const OPEN_ATTEMPTS: usize = 5;
/// Held by a build in its folder from when it makes it until it is renamed
/// into place, so other builds know the folder is not abandoned.
const BUILDING_LOCK: &str = ".quarry-building.lock";

impl CorpusIndex {
    /// Opens the index of `corpus` in `dir`: builds it when there is none
    /// (or it is from another version), updates the files that were added,
    /// changed or removed since.
    pub fn open(corpus: &Path, dir: &Path) -> Result<(CorpusIndex, Refresh), IndexError> {
        if !corpus.is_dir() {
            return Err(IndexError::NoCorpus(corpus.to_path_buf()));
        }
        let files = corpus::list_files(corpus).map_err(|source| io(corpus, source))?;
        let sources_fingerprint = store::fingerprint(&corpus.join(SOURCES_FILE));
        for _ in 0..OPEN_ATTEMPTS {
            let Some(mut index) = CorpusIndex::open_existing(dir) else {
                break;
            };
            if index.store.sources_fingerprint != sources_fingerprint {
                break;
            }
            if let Some(refresh) = index.update(corpus, &files)? {
                return Ok((index, refresh));
            }
        }
        let index = CorpusIndex::build(corpus, dir)?;
        let refresh = Refresh {
            added: index.store.files.len(),
            rebuilt: true,
            ..Refresh::default()
        };
        Ok((index, refresh))
    }

    /// Builds the whole index aside and moves it into `dir` when done.
    pub fn build(corpus: &Path, dir: &Path) -> Result<CorpusIndex, IndexError> {
        let started = Instant::now();
        let metadata = SourcesToml::load(corpus)?;
        let files = corpus::list_files(corpus).map_err(|e| io(corpus, e))?;
        let mut store = Store::new(store::fingerprint(&corpus.join(SOURCES_FILE)));

        let parent = dir.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(parent).map_err(|e| io(parent, e))?;
        let name = dir
            .file_name()
            .map_or("index".into(), |n| n.to_string_lossy().into_owned());
        remove_abandoned(parent, &name);
        // Names of this build alone, even beside another build in this process.
        let unique = format!("{:016x}", store::new_stamp());
        let building = parent.join(format!(".{name}.building-{unique}"));
        std::fs::create_dir(&building).map_err(|e| io(&building, e))?;
        let in_use = lock(&building, BUILDING_LOCK, false).map_err(|e| tantivy(&building, e))?;
        let (schema, fields) = Fields::schema();
        let index = Index::create_in_dir(&building, schema).map_err(|e| tantivy(&building, e))?;
        register_analyzer(&index);
        // One indexing thread writes one segment: a question then walks one
        // list of passages per word instead of one per thread.
        let mut writer: IndexWriter = index
            .writer_with_num_threads(1, 200_000_000)
            .map_err(|e| tantivy(&building, e))?;
        add_files(
            &mut writer,
            fields,
            corpus,
            &files,
            &metadata,
            &mut store,
            &building,
        )?;
        store.find_shadowed();
        commit(&mut writer, &mut store, &building)?;
        drop(writer);

        // Swap the new index in; a reader of the old one keeps its open files.
        let old = parent.join(format!(".{name}.old-{unique}"));
        {
            // An update in another process finishes first, or its commit
            // would land in the new index.
            let _updates_done = lock(dir, INDEX_WRITER_LOCK.filepath.as_path(), true).ok();
            if dir.exists() {
                std::fs::rename(dir, &old).map_err(|e| io(dir, e))?;
            }
            std::fs::rename(&building, dir).map_err(|e| io(dir, e))?;
        }
        let _ = std::fs::remove_file(dir.join(BUILDING_LOCK));
        drop(in_use);
        let _ = std::fs::remove_dir_all(&old);
        let index = CorpusIndex::open_existing(dir).ok_or_else(|| {
            io(
                dir,
                std::io::Error::other("the index just built cannot be opened"),
            )
        })?;
        tracing::info!(
            documents = index.store.document_count(),
            passages = index.passage_count(),
            skipped = index.store.skipped.len(),
            seconds = started.elapsed().as_secs_f64(),
            "index built"
        );
        Ok(index)
    }

    /// The index in `dir` with the documents of its last commit; `None` when
    /// there is none, it is from another version, or it cannot be read.
    fn open_existing(dir: &Path) -> Option<CorpusIndex> {
        let index = Index::open_in_dir(dir).ok()?;
        register_analyzer(&index);
        let (schema, fields) = Fields::schema();
        if index.schema() != schema {
            return None;
        }
        // Another process may commit (and remove the previous store file)
        // at any moment: the stamp read before and after opening the reader
        // being the same proves the reader and the store are of one commit.
        for _ in 0..OPEN_ATTEMPTS {
            let stamp = committed_stamp(&index)?;
            let store = Store::load(dir, stamp);
            let reader = index
                .reader_builder()
                .reload_policy(ReloadPolicy::Manual)
                .try_into();
            let (Some(store), Ok(reader)) = (store, reader) else {
                continue;
            };
            if committed_stamp(&index) != Some(stamp) {
                continue;
            }
            let mut opened = CorpusIndex {
                dir: dir.to_path_buf(),
                index,
                reader,
                fields,
                store,
                stamp,
                by_file_id: HashMap::new(),
                shadowed: Vec::new(),
            };
            opened.map_file_ids();
            return Some(opened);
        }
        None
    }

    fn map_file_ids(&mut self) {
        self.by_file_id = self
            .store
            .paths()
            .enumerate()
            .map(|(i, path)| (file_id(path), i))
            .collect();
        let shadowed: std::collections::HashSet<&str> =
            self.store.shadowed.iter().map(String::as_str).collect();
        self.shadowed = self
            .store
            .paths()
            .map(|path| shadowed.contains(path))
            .collect();
    }

    /// Whether the document at this index repeats another's page.
    pub fn is_shadowed(&self, document: usize) -> bool {
        self.shadowed.get(document).copied().unwrap_or(false)
    }

    /// Reindexes only the files added, changed or removed since the last
    /// write. `None` when another process wrote the index since it was
    /// opened: open it again and start over.
    fn update(
        &mut self,
        corpus: &Path,
        files: &[SourceFile],
    ) -> Result<Option<Refresh>, IndexError> {
        let known: HashMap<&str, &SourceFile> = self
            .store
            .files
            .iter()
            .map(|f| (f.path.as_str(), f))
            .collect();
        let current: HashMap<&str, &SourceFile> =
            files.iter().map(|f| (f.path.as_str(), f)).collect();
        let added: Vec<SourceFile> = files
            .iter()
            .filter(|f| !known.contains_key(f.path.as_str()))
            .cloned()
            .collect();
        let changed: Vec<SourceFile> = files
            .iter()
            .filter(|f| known.get(f.path.as_str()).is_some_and(|k| *k != *f))
            .cloned()
            .collect();
        let removed: Vec<String> = self
            .store
            .files
            .iter()
            .filter(|f| !current.contains_key(f.path.as_str()))
            .map(|f| f.path.clone())
            .collect();
        let refresh = Refresh {
            added: added.len(),
            changed: changed.len(),
            removed: removed.len(),
            rebuilt: false,
        };
        if added.is_empty() && changed.is_empty() && removed.is_empty() {
            return Ok(Some(refresh));
        }
        let started = Instant::now();
        let metadata = SourcesToml::load(corpus)?;
        let mut writer = self.writer()?;
        if committed_stamp(&self.index) != Some(self.stamp) {
            return Ok(None);
        }
        // A process killed in its commit may have left files this commit
        // would write again under the same name (a segment's deletes are
        // named by the operation count, the same after the same changes).
        writer
            .garbage_collect_files()
            .wait()
            .map_err(|e| tantivy(&self.dir, e))?;
        for path in removed.iter().chain(changed.iter().map(|f| &f.path)) {
            writer.delete_term(Term::from_field_u64(self.fields.file_id, file_id(path)));
            self.store.forget(path);
        }
        let todo: Vec<SourceFile> = added.into_iter().chain(changed).collect();
        add_files(
            &mut writer,
            self.fields,
            corpus,
            &todo,
            &metadata,
            &mut self.store,
            &self.dir,
        )?;
        self.store.sort();
        self.store.find_shadowed();
        self.stamp = commit(&mut writer, &mut self.store, &self.dir)?;
        self.reader.reload().map_err(|e| tantivy(&self.dir, e))?;
        self.map_file_ids();
        // Still under the writer's lock: no other process is writing a store.
        store::remove_others(&self.dir, self.stamp);
        drop(writer);
        tracing::info!(
            added = refresh.added,
            changed = refresh.changed,
            removed = refresh.removed,
            seconds = started.elapsed().as_secs_f64(),
            "index updated"
        );
        Ok(Some(refresh))
    }

    /// The index writer, waiting while another process holds it.
    fn writer(&self) -> Result<IndexWriter, IndexError> {
        let started = Instant::now();
        loop {
            match self.index.writer(100_000_000) {
                Ok(writer) => return Ok(writer),
                Err(tantivy::TantivyError::LockFailure(..)) if started.elapsed() < LOCK_WAIT => {
                    std::thread::sleep(Duration::from_millis(200));
                }
                Err(e) => return Err(tantivy(&self.dir, e)),
            }
        }
    }

    /// Every document, in the order [`PassageHit::document`] counts them.
    /// Decodes them all: for one, use [`CorpusIndex::document_at`].
    pub fn documents(&self) -> Vec<&Document> {
        self.store.documents()
    }

    /// Document `i` (a [`PassageHit::document`]), read on first use.
    pub fn document_at(&self, i: usize) -> Option<&Document> {
        self.store.document(i)
    }

    pub fn document_count(&self) -> usize {
        self.store.document_count()
    }

    /// The documents' paths, without reading the documents.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.store.paths()
    }

    pub fn skipped(&self) -> &[Skipped] {
        &self.store.skipped
    }

    pub fn passage_count(&self) -> usize {
        self.store.passage_count()
    }

    /// The document at `path` (relative to the corpus root).
    pub fn document(&self, path: &str) -> Option<&Document> {
        self.by_file_id
            .get(&file_id(path))
            .and_then(|&i| self.store.document(i))
            .filter(|d| d.path == path)
    }

    /// Number of passages whose body holds `stem`.
    pub fn doc_freq(&self, stem: &str) -> u64 {
        let term = Term::from_field_text(self.fields.body, stem);
        self.reader.searcher().doc_freq(&term).unwrap_or(0)
    }

    /// Whether the corpus uses `stem` in a heading or a title (its text is
    /// [`CorpusIndex::doc_freq`]'s).
    pub fn in_headings(&self, stem: &str) -> bool {
        let searcher = self.reader.searcher();
        [self.fields.context, self.fields.title]
            .into_iter()
            .any(|field| {
                searcher
                    .doc_freq(&Term::from_field_text(field, stem))
                    .is_ok_and(|df| df > 0)
            })
    }

    /// Number of passages that hold the whole identifier `identifier`.
    pub fn identifier_freq(&self, identifier: &str) -> u64 {
        let term = Term::from_field_text(self.fields.identifiers, identifier);
        self.reader.searcher().doc_freq(&term).unwrap_or(0)
    }

    pub fn num_passages(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// The best passages for weighted terms, searched in body, title and
    /// headings (titles and headings weigh more: a page titled `VACUUM`
    /// answers a question about VACUUM before a page that mentions it).
    pub fn search(&self, terms: &[QueryTerm], limit: usize) -> Vec<PassageHit> {
        if terms.is_empty() || limit == 0 {
            return Vec::new();
        }
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let word_fields = [
            (self.fields.body, 1.0),
            (self.fields.title, 1.5),
            (self.fields.context, 1.2),
        ];
        let identifier_fields = [(self.fields.identifiers, 1.0)];
        for term in terms {
            let fields: &[(Field, f32)] = if term.identifier {
                &identifier_fields
            } else {
                &word_fields
            };
            for &(field, boost) in fields {
                let query = TermQuery::new(
                    Term::from_field_text(field, &term.text),
                    IndexRecordOption::WithFreqs,
                );
                clauses.push((
                    Occur::Should,
                    Box::new(BoostQuery::new(Box::new(query), boost * term.weight)),
                ));
            }
        }
        let searcher = self.reader.searcher();
        // Passages of shadowed documents are dropped below: fetch enough more.
        let fetch = if self.store.shadowed.is_empty() {
            limit
        } else {
            limit * 2
        };
        let Ok(top) = searcher.search(
            &BooleanQuery::new(clauses),
            &TopDocs::with_limit(fetch).order_by_score(),
        ) else {
            return Vec::new();
        };
        // Each segment's columns are opened once, not once per hit.
        let columns: Vec<Option<(Column<u64>, Column<u64>)>> = searcher
            .segment_readers()
            .iter()
            .map(|segment| {
                let fast = segment.fast_fields();
                Some((fast.u64("file_id").ok()?, fast.u64("passage").ok()?))
            })
            .collect();
        top.into_iter()
            .filter_map(|(score, address)| {
                let (files, passages) = columns.get(address.segment_ord as usize)?.as_ref()?;
                let file = files.first(address.doc_id)?;
                let passage = passages.first(address.doc_id)?;
                let document = *self.by_file_id.get(&file)?;
                Some(PassageHit {
                    document,
                    passage: passage as usize,
                    score,
                })
            })
            .filter(|hit| !self.is_shadowed(hit.document))
            .take(limit)
            .collect()
    }
}

/// Writes `store` and commits what `writer` added, the commit naming the
/// store file by its stamp (see the module's comment); returns the stamp.
fn commit(writer: &mut IndexWriter, store: &mut Store, dir: &Path) -> Result<u64, IndexError> {
    let stamp = store::new_stamp();
    let mut prepared = writer.prepare_commit().map_err(|e| tantivy(dir, e))?;
    store.save(dir, stamp).map_err(|e| io(dir, e))?;
    prepared.set_payload(&format!("{stamp:016x}"));
    prepared.commit().map_err(|e| tantivy(dir, e))?;
    Ok(stamp)
}

/// The stamp the last commit of `index` names; `None` for an index written
/// by an earlier version, which is then rebuilt.
fn committed_stamp(index: &Index) -> Option<u64> {
    let payload = index.load_metas().ok()?.payload?;
    u64::from_str_radix(&payload, 16).ok()
}

/// Locks the file `name` in the folder `dir` until the lock is dropped (or
/// the process ends), waiting for another holder when `blocking`.
fn lock(dir: &Path, name: impl AsRef<Path>, blocking: bool) -> tantivy::Result<DirectoryLock> {
    let directory = MmapDirectory::open(dir)?;
    let lock = Lock {
        filepath: name.as_ref().to_path_buf(),
        is_blocking: blocking,
    };
    Ok(directory.acquire_lock(&lock)?)
}

/// Removes what builds killed midway left beside the index in `parent`:
/// `.old-*` folders (an index already replaced, safe to remove even while
/// their build still runs) and the `.building-*` folders no build holds.
fn remove_abandoned(parent: &Path, name: &str) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    let old = format!(".{name}.old-");
    let building = format!(".{name}.building-");
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(file_name) = file_name.to_str() else {
            continue;
        };
        let path = entry.path();
        // A build locks its folder right after making it; a folder without
        // the lock file was left by a build killed in between.
        let abandoned = file_name.starts_with(&old)
            || (file_name.starts_with(&building) && lock(&path, BUILDING_LOCK, false).is_ok());
        if abandoned && std::fs::remove_dir_all(&path).is_ok() {
            tracing::info!(folder = %path.display(), "removed what an interrupted build left");
        }
    }
}

fn register_analyzer(index: &Index) {
    let tokenizers = index.tokenizers();
    tokenizers.register(analyzer::ANALYZER, analyzer::analyzer());
    tokenizers.register(
        analyzer::IDENTIFIER_ANALYZER,
        analyzer::identifier_analyzer(),
    );
}

/// A stable id for a corpus path.
fn file_id(path: &str) -> u64 {
    let hash = blake3::hash(path.as_bytes());
    u64::from_le_bytes(hash.as_bytes()[..8].try_into().unwrap_or_default())
}

/// Reads `files` in parallel and adds their passages to the index; files
/// that cannot be read are recorded as skipped with one warning each.
fn add_files(
    writer: &mut IndexWriter,
    fields: Fields,
    corpus: &Path,
    files: &[SourceFile],
    metadata: &SourcesToml,
    store: &mut Store,
    dir: &Path,
) -> Result<(), IndexError> {
    let progress = indicatif::ProgressBar::new(files.len() as u64).with_message("indexing");
    progress.set_style(
        indicatif::ProgressStyle::with_template("{msg} {bar:30} {pos}/{len} files ({eta} left)")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let read: Vec<(SourceFile, Result<Document, corpus::SkipReason>)> = files
        .par_iter()
        .map(|file| {
            let result = corpus::read_document(corpus, file, metadata);
            progress.inc(1);
            (file.clone(), result)
        })
        .collect();
    progress.finish_and_clear();
    for (file, result) in read {
        match result {
            Ok(document) => {
                let id = file_id(&document.path);
                for (p, passage) in document.passages.iter().enumerate() {
                    let context: Vec<&str> = passage
                        .context
                        .iter()
                        .map(|&b| document.slice(document.blocks[b as usize].span))
                        .collect();
                    let body: Vec<&str> = passage
                        .blocks
                        .iter()
                        .map(|&b| &document.blocks[b as usize])
                        .filter(|b| b.status == BlockStatus::Text)
                        .map(|b| document.slice(b.span))
                        .collect();
                    let context = context.join("\n");
                    let body = body.join("\n");
                    let identifiers =
                        analyzer::identifiers(&format!("{}\n{context}\n{body}", document.title));
                    writer
                        .add_document(doc!(
                            fields.file_id => id,
                            fields.passage => p as u64,
                            fields.title => document.title.as_str(),
                            fields.context => context,
                            fields.body => body,
                            fields.identifiers => identifiers.join(" "),
                        ))
                        .map_err(|e| tantivy(dir, e))?;
                }
                store.add(file, document);
            }
            Err(reason) => {
                tracing::warn!(file = %file.path, "skipped: {reason}");
                store.skip(file, reason.to_string());
            }
        }
    }
    Ok(())
}

fn io(path: &Path, source: std::io::Error) -> IndexError {
    IndexError::Io {
        path: path.to_path_buf(),
        source,
    }
}

fn tantivy(path: &Path, source: tantivy::TantivyError) -> IndexError {
    IndexError::Tantivy {
        path: path.to_path_buf(),
        source,
    }
}

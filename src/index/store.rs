//! The documents beside the tantivy index: their text, blocks, sentences
//! and line maps, so quotes are sliced from the same text that was indexed.
//!
//! One file holds them: a header (format version, manifest length), a small
//! manifest (the corpus files seen, those skipped, and where each document's
//! encoding lies), then the documents encoded one by one. Opening reads the
//! manifest only; a document is read and decoded the first time it is asked
//! for, so a question pays for the few documents it quotes, not the corpus.
//!
//! Each write goes to a new file named by a stamp (`documents-<stamp>.bin`),
//! flushed to disk before the tantivy commit that names the same stamp: the
//! index's commit is the single point where both change (see
//! [`crate::index`]).

use std::borrow::Cow;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock, PoisonError};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::corpus::{Document, LineMap, SourceFile};

const STORE_PREFIX: &str = "documents-";
const STORE_SUFFIX: &str = ".bin";
/// Bumped whenever what is stored (or how text is cleaned) changes.
const STORE_VERSION: u32 = 9;
/// The format version (u32) and the manifest's length (u64), little-endian.
const HEADER_LEN: u64 = 12;

/// A corpus file left out, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Skipped {
    pub file: SourceFile,
    pub reason: String,
}

/// Where one document's encoding lies, after the manifest.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Entry {
    path: String,
    passages: usize,
    start: u64,
    len: u64,
}

/// What the store file says before its documents.
#[derive(Serialize, Deserialize)]
struct Manifest<'a> {
    sources_fingerprint: Option<(u64, u128)>,
    files: Cow<'a, [SourceFile]>,
    skipped: Cow<'a, [Skipped]>,
    documents: Cow<'a, [Entry]>,
    shadowed: Cow<'a, [String]>,
}

/// One document: where it is stored, and the document once decoded.
struct Stored {
    entry: Entry,
    document: OnceLock<Document>,
}

/// The store file the documents not yet decoded are read from.
struct Data {
    file: Mutex<File>,
    /// Offset of the first document, after the manifest.
    start: u64,
}

#[derive(Default)]
pub struct Store {
    /// Size and modification time of `sources.toml`, if any.
    pub sources_fingerprint: Option<(u64, u128)>,
    /// Every corpus file seen, read or skipped.
    pub files: Vec<SourceFile>,
    pub skipped: Vec<Skipped>,
    /// Paths of documents that repeat another one's page (see
    /// [`crate::corpus::near_duplicates`]): kept, but never searched.
    pub shadowed: Vec<String>,
    documents: Vec<Stored>,
    data: Option<Data>,
}

impl Store {
    pub fn new(sources_fingerprint: Option<(u64, u128)>) -> Store {
        Store {
            sources_fingerprint,
            ..Store::default()
        }
    }

    /// Reads the manifest of the store written with `stamp` in `dir`; `None`
    /// when there is none, or it is of another version or damaged.
    pub fn load(dir: &Path, stamp: u64) -> Option<Store> {
        let mut file = File::open(dir.join(file_name(stamp))).ok()?;
        let size = file.metadata().ok()?.len();
        let mut header = [0; HEADER_LEN as usize];
        file.read_exact(&mut header).ok()?;
        let (version, manifest_len) = header.split_at(4);
        if u32::from_le_bytes(version.try_into().ok()?) != STORE_VERSION {
            return None;
        }
        let manifest_len = u64::from_le_bytes(manifest_len.try_into().ok()?);
        let start = HEADER_LEN.checked_add(manifest_len)?;
        let mut bytes = vec![0; usize::try_from(manifest_len).ok()?];
        file.read_exact(&mut bytes).ok()?;
        let manifest: Manifest = postcard::from_bytes(&bytes).ok()?;
        let documents = manifest
            .documents
            .into_owned()
            .into_iter()
            .map(|entry| {
                let end = start.checked_add(entry.start)?.checked_add(entry.len)?;
                (end <= size).then(|| Stored {
                    entry,
                    document: OnceLock::new(),
                })
            })
            .collect::<Option<Vec<Stored>>>()?;
        Some(Store {
            sources_fingerprint: manifest.sources_fingerprint,
            files: manifest.files.into_owned(),
            skipped: manifest.skipped.into_owned(),
            shadowed: manifest.shadowed.into_owned(),
            documents,
            data: Some(Data {
                file: Mutex::new(file),
                start,
            }),
        })
    }

    /// Writes the store next to the index as a new file named by `stamp`,
    /// on disk when this returns, and reads its documents from it from then on.
    pub fn save(&mut self, dir: &Path, stamp: u64) -> std::io::Result<()> {
        let mut encoded = Vec::new();
        let mut entries = Vec::with_capacity(self.documents.len());
        for stored in &self.documents {
            let start = encoded.len();
            match stored.document.get() {
                Some(document) => {
                    encoded =
                        postcard::to_extend(document, encoded).map_err(std::io::Error::other)?;
                }
                None => encoded.extend_from_slice(&self.read(&stored.entry)?),
            }
            entries.push(Entry {
                start: start as u64,
                len: (encoded.len() - start) as u64,
                ..stored.entry.clone()
            });
        }
        let manifest = postcard::to_stdvec(&Manifest {
            sources_fingerprint: self.sources_fingerprint,
            files: Cow::Borrowed(&self.files),
            skipped: Cow::Borrowed(&self.skipped),
            documents: Cow::Borrowed(&entries),
            shadowed: Cow::Borrowed(&self.shadowed),
        })
        .map_err(std::io::Error::other)?;

        // A new name: no reader of an earlier commit ever sees this file change.
        let file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create_new(true)
            .open(dir.join(file_name(stamp)))?;
        let mut out = std::io::BufWriter::new(file);
        out.write_all(&STORE_VERSION.to_le_bytes())?;
        out.write_all(&(manifest.len() as u64).to_le_bytes())?;
        out.write_all(&manifest)?;
        out.write_all(&encoded)?;
        let file = out.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;

        for (stored, entry) in self.documents.iter_mut().zip(entries) {
            stored.entry = entry;
        }
        self.data = Some(Data {
            file: Mutex::new(file),
            start: HEADER_LEN + manifest.len() as u64,
        });
        Ok(())
    }

    /// Finds the documents that repeat another's page, after any change.
    pub fn find_shadowed(&mut self) {
        let documents = self.documents();
        let shadowed: Vec<String> = crate::corpus::near_duplicates::shadowed(&documents)
            .into_iter()
            .map(|i| documents[i].path.clone())
            .collect();
        self.shadowed = shadowed;
    }

    pub fn add(&mut self, file: SourceFile, document: Document) {
        self.files.push(file);
        self.documents.push(Stored {
            entry: Entry {
                path: document.path.clone(),
                passages: document.passages.len(),
                start: 0,
                len: 0,
            },
            document: OnceLock::from(document),
        });
    }

    pub fn skip(&mut self, file: SourceFile, reason: String) {
        self.files.push(file.clone());
        self.skipped.push(Skipped { file, reason });
    }

    pub fn forget(&mut self, path: &str) {
        self.files.retain(|f| f.path != path);
        self.documents.retain(|d| d.entry.path != path);
        self.skipped.retain(|s| s.file.path != path);
    }

    /// Keeps everything in path order, as a fresh build has it.
    pub fn sort(&mut self) {
        self.files.sort_by(|a, b| a.path.cmp(&b.path));
        self.documents
            .sort_by(|a, b| a.entry.path.cmp(&b.entry.path));
        self.skipped.sort_by(|a, b| a.file.path.cmp(&b.file.path));
    }

    pub fn document_count(&self) -> usize {
        self.documents.len()
    }

    pub fn passage_count(&self) -> usize {
        self.documents.iter().map(|d| d.entry.passages).sum()
    }

    /// The documents' paths, in store order.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.documents.iter().map(|d| d.entry.path.as_str())
    }

    /// Document `i`, decoded on first use.
    pub fn document(&self, i: usize) -> Option<&Document> {
        self.documents.get(i).map(|stored| self.decode(stored))
    }

    /// Every document, decoded (in parallel) where not yet.
    pub fn documents(&self) -> Vec<&Document> {
        self.documents
            .par_iter()
            .map(|stored| self.decode(stored))
            .collect()
    }

    /// A document that cannot be read back (a damaged file) is logged and
    /// stands as an empty one, so it only goes unanswered.
    fn decode<'s>(&'s self, stored: &'s Stored) -> &'s Document {
        stored.document.get_or_init(|| {
            let entry = &stored.entry;
            let decoded = self.read(entry).and_then(|bytes| {
                postcard::from_bytes::<Document>(&bytes)
                    .map_err(std::io::Error::other)
                    .and_then(|document| {
                        (document.path == entry.path)
                            .then_some(document)
                            .ok_or_else(|| std::io::Error::other("another document is stored there"))
                    })
            });
            decoded.unwrap_or_else(|error| {
                tracing::error!(
                    file = %entry.path,
                    "cannot read the document from the index ({error}); rebuild it with `quarry index`"
                );
                unreadable(&entry.path)
            })
        })
    }

    /// The stored encoding of one document.
    fn read(&self, entry: &Entry) -> std::io::Result<Vec<u8>> {
        let data = self
            .data
            .as_ref()
            .ok_or_else(|| std::io::Error::other("the documents were never saved"))?;
        let mut bytes = vec![0; usize::try_from(entry.len).map_err(std::io::Error::other)?];
        let mut file = data.file.lock().unwrap_or_else(PoisonError::into_inner);
        file.seek(SeekFrom::Start(data.start + entry.start))?;
        file.read_exact(&mut bytes)?;
        Ok(bytes)
    }
}

/// An empty document in place of one that cannot be read.
fn unreadable(path: &str) -> Document {
    Document {
        path: path.to_string(),
        title: path.to_string(),
        published: None,
        url: None,
        author: None,
        bytes: 0,
        text: String::new(),
        line_map: LineMap::default(),
        blocks: Vec::new(),
        passages: Vec::new(),
        release_history: false,
        decoding: None,
    }
}

/// A stamp no other write of any index uses: the process, the time and a
/// count within the process, hashed.
pub fn new_stamp() -> u64 {
    static COUNT: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let mut hasher = blake3::Hasher::new();
    hasher.update(&std::process::id().to_le_bytes());
    hasher.update(&nanos.to_le_bytes());
    hasher.update(&COUNT.fetch_add(1, Ordering::Relaxed).to_le_bytes());
    let hash = hasher.finalize();
    u64::from_le_bytes(hash.as_bytes()[..8].try_into().unwrap_or_default())
}

fn file_name(stamp: u64) -> String {
    format!("{STORE_PREFIX}{stamp:016x}{STORE_SUFFIX}")
}

/// Removes the store files of `dir` other than the one written with `stamp`:
/// those of earlier commits, and any written by a process that died before
/// its commit. Only while holding the index's writer lock, so no other
/// process is writing one. A process still reading an earlier file keeps it
/// open, which is enough on Unix.
pub fn remove_others(dir: &Path, stamp: u64) {
    let keep = file_name(stamp);
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        let stale = name != keep && name.starts_with(STORE_PREFIX) && name.ends_with(STORE_SUFFIX);
        if stale && let Err(error) = std::fs::remove_file(entry.path()) {
            tracing::warn!(file = %entry.path().display(), "cannot remove an old store file: {error}");
        }
    }
}

/// Size and modification time of a file, to notice when it changes.
pub fn fingerprint(path: &Path) -> Option<(u64, u128)> {
    let meta = std::fs::metadata(path).ok()?;
    let modified = meta
        .modified()
        .ok()?
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?
        .as_nanos();
    Some((meta.len(), modified))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::meta::SourcesToml;
    use crate::corpus::parse_document;

    fn file(path: &str) -> SourceFile {
        SourceFile {
            path: path.to_string(),
            bytes: 1,
            modified: 1,
        }
    }

    fn document(path: &str, text: &str) -> Document {
        parse_document(path, text.as_bytes(), &SourcesToml::default()).expect("a document")
    }

    fn owned(store: &Store) -> Vec<Document> {
        store.documents().into_iter().cloned().collect()
    }

    #[test]
    fn documents_read_back_one_by_one_as_saved() {
        let dir = tempfile::tempdir().expect("temp dir");
        let a = document("a.txt", "The first file says one thing.\n\nThen another.");
        let b = document("b.md", "# B\n\nThe second file says something else.");
        let mut store = Store::new(Some((3, 4)));
        store.add(file("a.txt"), a.clone());
        store.skip(file("empty.txt"), "empty file".to_string());
        store.add(file("b.md"), b.clone());
        store.save(dir.path(), 7).expect("saved");

        assert!(Store::load(dir.path(), 8).is_none(), "another stamp");
        let loaded = Store::load(dir.path(), 7).expect("loaded");
        assert_eq!(loaded.sources_fingerprint, Some((3, 4)));
        assert_eq!(loaded.files, store.files);
        assert_eq!(loaded.skipped, store.skipped);
        assert_eq!(loaded.paths().collect::<Vec<_>>(), ["a.txt", "b.md"]);
        assert_eq!(loaded.passage_count(), a.passages.len() + b.passages.len());
        assert!(loaded.documents.iter().all(|d| d.document.get().is_none()));
        assert_eq!(loaded.document(1), Some(&b));
        assert!(
            loaded.documents[0].document.get().is_none(),
            "only the document asked for is read"
        );
        assert_eq!(loaded.document(2), None);
        assert_eq!(owned(&loaded), [a, b]);
    }

    #[test]
    fn an_update_keeps_the_documents_it_did_not_read() {
        let dir = tempfile::tempdir().expect("temp dir");
        let a = document("a.txt", "Alpha is the first letter.");
        let b = document("b.txt", "Beta is the second letter.");
        let c = document("c.txt", "Gamma is the third letter.");
        let mut store = Store::new(None);
        store.add(file("a.txt"), a.clone());
        store.add(file("c.txt"), c.clone());
        store.save(dir.path(), 1).expect("saved");

        let mut loaded = Store::load(dir.path(), 1).expect("loaded");
        let changed = document("c.txt", "Gamma is now the last letter.");
        assert!(loaded.documents[0].document.get().is_none());
        loaded.forget("c.txt");
        loaded.add(file("c.txt"), changed.clone());
        loaded.add(file("b.txt"), b.clone());
        loaded.sort();
        loaded.save(dir.path(), 2).expect("saved again");
        assert_eq!(owned(&loaded), [a.clone(), b.clone(), changed.clone()]);

        let earlier = Store::load(dir.path(), 1).expect("the earlier commit's file is untouched");
        assert_eq!(owned(&earlier), [a.clone(), c]);
        remove_others(dir.path(), 2);
        assert!(Store::load(dir.path(), 1).is_none(), "removed");
        let reloaded = Store::load(dir.path(), 2).expect("reloaded");
        assert_eq!(owned(&reloaded), [a, b, changed]);
    }

    #[test]
    fn another_version_or_a_cut_file_is_not_loaded() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut store = Store::new(None);
        store.add(file("a.txt"), document("a.txt", "Some text to keep."));
        store.save(dir.path(), 3).expect("saved");
        let path = dir.path().join(file_name(3));
        let bytes = std::fs::read(&path).expect("read");

        std::fs::write(&path, &bytes[..bytes.len() - 1]).expect("cut");
        assert!(Store::load(dir.path(), 3).is_none());

        let mut older = bytes;
        older[..4].copy_from_slice(&(STORE_VERSION - 1).to_le_bytes());
        std::fs::write(&path, older).expect("write");
        assert!(Store::load(dir.path(), 3).is_none());
    }
}

//! The documents beside the tantivy index: their text, blocks, sentences
//! and line maps, so quotes are sliced from the same text that was indexed.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::corpus::{Document, SourceFile};

const STORE_FILE: &str = "documents.bin";
/// Bumped whenever what is stored (or how text is cleaned) changes.
const STORE_VERSION: u32 = 3;

/// A corpus file left out, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Skipped {
    pub file: SourceFile,
    pub reason: String,
}

#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Store {
    version: u32,
    /// Size and modification time of `sources.toml`, if any.
    pub sources_fingerprint: Option<(u64, u128)>,
    /// Every corpus file seen, read or skipped.
    pub files: Vec<SourceFile>,
    pub documents: Vec<Document>,
    pub skipped: Vec<Skipped>,
    /// Paths of documents that repeat another one's page (see
    /// [`crate::corpus::near_duplicates`]): kept, but never searched.
    pub shadowed: Vec<String>,
}

impl Store {
    pub fn new(sources_fingerprint: Option<(u64, u128)>) -> Store {
        Store {
            version: STORE_VERSION,
            sources_fingerprint,
            ..Store::default()
        }
    }

    pub fn load(dir: &Path) -> Option<Store> {
        let bytes = std::fs::read(dir.join(STORE_FILE)).ok()?;
        let store: Store = postcard::from_bytes(&bytes).ok()?;
        (store.version == STORE_VERSION).then_some(store)
    }

    /// Writes the store next to the index, atomically.
    pub fn save(&self, dir: &Path) -> std::io::Result<()> {
        let bytes = postcard::to_stdvec(self).map_err(std::io::Error::other)?;
        let partial = dir.join(format!("{STORE_FILE}.partial-{}", std::process::id()));
        std::fs::write(&partial, bytes)?;
        std::fs::rename(&partial, dir.join(STORE_FILE))
    }

    /// Finds the documents that repeat another's page, after any change.
    pub fn find_shadowed(&mut self) {
        self.shadowed = crate::corpus::near_duplicates::shadowed(&self.documents)
            .into_iter()
            .map(|i| self.documents[i].path.clone())
            .collect();
    }

    pub fn add(&mut self, file: SourceFile, document: Document) {
        self.files.push(file);
        self.documents.push(document);
    }

    pub fn skip(&mut self, file: SourceFile, reason: String) {
        self.files.push(file.clone());
        self.skipped.push(Skipped { file, reason });
    }

    pub fn forget(&mut self, path: &str) {
        self.files.retain(|f| f.path != path);
        self.documents.retain(|d| d.path != path);
        self.skipped.retain(|s| s.file.path != path);
    }

    /// Keeps everything in path order, as a fresh build has it.
    pub fn sort(&mut self) {
        self.files.sort_by(|a, b| a.path.cmp(&b.path));
        self.documents.sort_by(|a, b| a.path.cmp(&b.path));
        self.skipped.sort_by(|a, b| a.file.path.cmp(&b.file.path));
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

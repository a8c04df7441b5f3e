//! Document metadata: `sources.toml` at the corpus root, and Markdown front
//! matter. A `published` date may be `2025`, `2025-09` or `2025-09-08`.

use std::collections::HashMap;
use std::path::Path;

use serde::Deserialize;

use crate::dates::PartialDate;

/// The metadata file's name, at the corpus root.
pub const SOURCES_FILE: &str = "sources.toml";

/// What is known of one document beyond its text.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SourceMeta {
    pub title: Option<String>,
    pub published: Option<PartialDate>,
    pub url: Option<String>,
    pub author: Option<String>,
}

impl SourceMeta {
    /// Fills what `self` lacks from `other`.
    pub fn or(self, other: SourceMeta) -> SourceMeta {
        SourceMeta {
            title: self.title.or(other.title),
            published: self.published.or(other.published),
            url: self.url.or(other.url),
            author: self.author.or(other.author),
        }
    }
}

/// `sources.toml`: a table per file, keyed by its path relative to the corpus.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SourcesToml {
    by_file: HashMap<String, SourceMeta>,
}

#[derive(Debug, thiserror::Error)]
pub enum MetaError {
    #[error("{file}: {message}")]
    Invalid { file: String, message: String },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntry {
    title: Option<String>,
    published: Option<toml::Value>,
    url: Option<String>,
    author: Option<String>,
}

impl SourcesToml {
    /// Reads `sources.toml` from the corpus root; none is an empty table.
    pub fn load(corpus: &Path) -> Result<SourcesToml, MetaError> {
        let path = corpus.join(SOURCES_FILE);
        match std::fs::read_to_string(&path) {
            Ok(text) => SourcesToml::parse(&text),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(SourcesToml::default()),
            Err(err) => Err(invalid(err.to_string())),
        }
    }

    pub fn parse(text: &str) -> Result<SourcesToml, MetaError> {
        let raw: HashMap<String, RawEntry> =
            toml::from_str(text).map_err(|e| invalid(e.to_string()))?;
        let mut by_file = HashMap::new();
        for (file, entry) in raw {
            let published = match entry.published {
                None => None,
                Some(value) => Some(published_date(&value).ok_or_else(|| {
                    invalid(format!(
                        "[{file}] published = {value}: expected 2025, \"2025-09\" or \"2025-09-08\""
                    ))
                })?),
            };
            let meta = SourceMeta {
                title: entry.title,
                published,
                url: entry.url,
                author: entry.author,
            };
            by_file.insert(file.trim_start_matches("./").to_string(), meta);
        }
        Ok(SourcesToml { by_file })
    }

    pub fn get(&self, file: &str) -> Option<&SourceMeta> {
        self.by_file.get(file)
    }
}

fn invalid(message: String) -> MetaError {
    MetaError::Invalid {
        file: SOURCES_FILE.to_string(),
        message,
    }
}

fn published_date(value: &toml::Value) -> Option<PartialDate> {
    match value {
        toml::Value::Integer(year) => PartialDate::parse_iso(&format!("{year:04}")),
        toml::Value::String(text) => PartialDate::parse_iso(text),
        toml::Value::Datetime(dt) => date_prefix(&dt.to_string()),
        _ => None,
    }
}

/// The date at the start of a timestamp (`2024-05-02T10:00:00Z` → `2024-05-02`).
fn date_prefix(text: &str) -> Option<PartialDate> {
    [10, 7, 4]
        .iter()
        .find_map(|&n| PartialDate::parse_iso(text.get(..n)?))
}

/// Reads Markdown front matter (`---` YAML-style `key: value` lines, or
/// `+++` TOML). Returns the metadata and the byte offset where the body starts.
pub fn parse_front_matter(raw: &str) -> Option<(SourceMeta, usize)> {
    let fence = if raw.starts_with("---") {
        "---"
    } else if raw.starts_with("+++") {
        "+++"
    } else {
        return None;
    };
    let first_break = raw.find('\n')?;
    if raw[..first_break].trim() != fence {
        return None;
    }
    let body = &raw[first_break + 1..];
    let mut offset = first_break + 1;
    let mut lines = Vec::new();
    for line in body.split_inclusive('\n') {
        offset += line.len();
        if line.trim() == fence {
            return Some((front_matter_meta(&lines, fence == "+++"), offset));
        }
        lines.push(line);
    }
    None
}

fn front_matter_meta(lines: &[&str], is_toml: bool) -> SourceMeta {
    let mut meta = SourceMeta::default();
    let pairs: Vec<(String, String)> = if is_toml {
        toml::from_str::<toml::Table>(&lines.concat())
            .map(|t| {
                t.into_iter()
                    .map(|(k, v)| (k, v.as_str().map_or(v.to_string(), str::to_string)))
                    .collect()
            })
            .unwrap_or_default()
    } else {
        lines
            .iter()
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| {
                (
                    k.trim().to_string(),
                    v.trim().trim_matches(['"', '\'']).to_string(),
                )
            })
            .collect()
    };
    for (key, value) in pairs {
        let value = value.trim().to_string();
        match key.to_ascii_lowercase().as_str() {
            "title" => meta.title = Some(value),
            "date" | "published" => meta.published = date_prefix(&value),
            "url" => meta.url = Some(value),
            "author" => meta.author = Some(value),
            _ => {}
        }
    }
    meta
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_toml_reads_every_precision() {
        let toml = r#"
            ["a.txt"]
            title = "A"
            published = 2025
            ["b.txt"]
            published = "2025-09"
            author = "Michael Rossi"
            ["c.txt"]
            published = "2025-09-08"
            url = "https://example.org/c"
        "#;
        let sources = SourcesToml::parse(toml).expect("valid");
        assert_eq!(
            sources.get("a.txt").and_then(|m| m.published),
            Some(PartialDate::year(2025))
        );
        assert_eq!(
            sources.get("b.txt").and_then(|m| m.published),
            PartialDate::month(2025, 9)
        );
        assert_eq!(
            sources.get("c.txt").and_then(|m| m.published),
            PartialDate::day(2025, 9, 8)
        );
        assert_eq!(
            sources
                .get("b.txt")
                .and_then(|m| m.author.clone())
                .as_deref(),
            Some("Michael Rossi")
        );
        assert!(sources.get("d.txt").is_none());
    }

    #[test]
    fn sources_toml_rejects_bad_dates_and_keys() {
        assert!(SourcesToml::parse("[\"a.txt\"]\npublished = \"Sept 2025\"").is_err());
        assert!(SourcesToml::parse("[\"a.txt\"]\npublisher = \"x\"").is_err());
        assert!(SourcesToml::parse("not toml [").is_err());
    }

    #[test]
    fn front_matter_yaml_and_toml() {
        let (meta, end) =
            parse_front_matter("---\ntitle: \"Guide\"\ndate: 2024-05-02T10:00:00Z\n---\nBody")
                .expect("fm");
        assert_eq!(meta.title.as_deref(), Some("Guide"));
        assert_eq!(meta.published, PartialDate::day(2024, 5, 2));
        assert_eq!(
            end,
            "---\ntitle: \"Guide\"\ndate: 2024-05-02T10:00:00Z\n---\n".len()
        );
        let (meta, _) =
            parse_front_matter("+++\ntitle = \"T\"\npublished = \"2023\"\n+++\n").expect("fm");
        assert_eq!(meta.published, Some(PartialDate::year(2023)));
        assert!(parse_front_matter("no front matter").is_none());
        assert!(parse_front_matter("---\nnever closed").is_none());
    }
}

//! `quarry index` and `quarry ask` killed with SIGKILL at random moments
//! while the corpus changes between runs, so kills land in full builds,
//! incremental updates and the swap of a new index. After every kill the
//! next run answers correctly and finds every note exactly as it is on disk:
//! none missing, none indexed twice, no removed or rewritten text left. At
//! the end `quarry index` reports the corpus as it is and nothing a killed
//! run wrote is left behind.

use std::collections::BTreeMap;
use std::collections::hash_map::RandomState;
use std::hash::BuildHasher;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

#[path = "support/made_up.rs"]
mod made_up;
use made_up::{document, sentence, word};

/// Runs killed before they finished.
const KILLS: usize = 24;
/// Generated documents beside the bundled ones, so a run lasts long enough
/// to be killed in its middle.
const FILLERS: usize = 10;
const QUESTION: &str = "When was the C5+1 summit at the White House held?";
const SIGKILL: i32 = 9;

struct Corpus {
    root: tempfile::TempDir,
    /// Note file name → the made-up word only it holds.
    notes: BTreeMap<String, String>,
    /// Words of notes since removed or rewritten, which no search may find.
    gone: Vec<String>,
}

impl Corpus {
    fn new() -> Corpus {
        let root = tempfile::tempdir().expect("temp dir");
        let corpus = root.path().join("corpus");
        std::fs::create_dir(&corpus).expect("corpus folder");
        let bundled = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
        for entry in std::fs::read_dir(bundled).expect("bundled corpus") {
            let entry = entry.expect("entry");
            std::fs::copy(entry.path(), corpus.join(entry.file_name())).expect("copy");
        }
        for f in 0..FILLERS {
            std::fs::write(
                corpus.join(format!("filler-{f:02}.txt")),
                document(100_000 + f * 1_000, 40),
            )
            .expect("filler");
        }
        Corpus {
            root,
            notes: BTreeMap::new(),
            gone: Vec::new(),
        }
    }

    fn corpus(&self) -> PathBuf {
        self.root.path().join("corpus")
    }

    fn index(&self) -> PathBuf {
        self.root.path().join("index")
    }

    /// Writes note `n` (version `v`) around a word of its own.
    fn write_note(&mut self, n: usize, v: usize) {
        let file = format!("note-{n:02}.md");
        let marker = word(1_000_000 + n * 10 + v);
        // A second version is longer, so its size changes too.
        let sentences: Vec<String> = (0..=v)
            .map(|i| sentence(n * 100 + v * 50 + i * 12))
            .collect();
        let text = format!("The {marker} note. {}\n", sentences.join(" "));
        std::fs::write(self.corpus().join(&file), text).expect("write note");
        if let Some(old) = self.notes.insert(file, marker) {
            self.gone.push(old);
        }
    }

    fn remove_note(&mut self, n: usize) {
        let file = format!("note-{n:02}.md");
        if let Some(old) = self.notes.remove(&file) {
            std::fs::remove_file(self.corpus().join(&file)).expect("remove note");
            self.gone.push(old);
        }
    }

    /// Round `r`'s changes: a note added, the previous one rewritten and
    /// the one three rounds back removed.
    fn change(&mut self, r: usize) {
        self.write_note(r, 0);
        if r >= 1 {
            self.write_note(r - 1, 1);
        }
        if r >= 3 {
            self.remove_note(r - 3);
        }
    }

    fn quarry(&self, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_quarry"));
        command
            .arg("--corpus")
            .arg(self.corpus())
            .arg("--index")
            .arg(self.index())
            .args(args)
            .env_remove("RUST_LOG");
        command
    }

    fn run(&self, args: &[&str]) -> Output {
        let output = self.quarry(args).output().expect("run quarry");
        assert!(
            output.status.success(),
            "quarry {args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        output
    }

    /// An un-killed run of `args`, and how long it took.
    fn timed(&self, args: &[&str]) -> (Output, Duration) {
        let started = Instant::now();
        let output = self.run(args);
        (output, started.elapsed())
    }

    /// Starts `args`, kills it after `delay`; whether it was killed before it finished.
    fn kill_after(&self, args: &[&str], delay: Duration) -> bool {
        let mut child = self
            .quarry(args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start quarry");
        std::thread::sleep(delay);
        let _ = child.kill();
        let status = child.wait().expect("wait for quarry");
        status.signal() == Some(SIGKILL)
    }

    /// The answer is right, and each note is found once, in its own file.
    fn check(&self, after: &str) {
        let answer = json(&self.run(&["ask", "--json", QUESTION]));
        assert_eq!(answer["answered"], true, "{after}: {answer}");
        let short = answer["answer"].as_str().unwrap_or_default();
        assert!(short.contains("November 6"), "{after}: {answer}");

        let recent_gone = &self.gone[self.gone.len().saturating_sub(6)..];
        let words: Vec<&str> = self
            .notes
            .values()
            .chain(recent_gone)
            .map(String::as_str)
            .collect();
        let hits = json(&self.run(&["search", "--json", "--limit", "100", &words.join(" ")]));
        let hits = hits.as_array().expect("a list of hits");
        let holding = |word: &str| -> Vec<&str> {
            hits.iter()
                .filter(|hit| {
                    hit["text"]
                        .as_str()
                        .unwrap_or_default()
                        .split(|c: char| !c.is_alphanumeric())
                        .any(|w| w == word)
                })
                .map(|hit| hit["file"].as_str().unwrap_or_default())
                .collect()
        };
        for (file, word) in &self.notes {
            assert_eq!(holding(word), [file.as_str()], "{after}: {word}");
        }
        for word in recent_gone {
            assert!(holding(word).is_empty(), "{after}: {word} is gone");
        }
    }
}

/// The documents `quarry index` reports: "Indexed N documents (…".
fn documents(report: &Output) -> usize {
    let text = String::from_utf8_lossy(&report.stdout);
    text.strip_prefix("Indexed ")
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("not an index report: {text}"))
}

fn json(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout).expect("JSON on standard output")
}

/// A random duration below `limit`.
fn random_below(limit: Duration) -> Duration {
    let random = RandomState::new().hash_one(Instant::now());
    let nanos = u64::try_from(limit.as_nanos()).unwrap_or(u64::MAX).max(1);
    Duration::from_nanos(random % nanos)
}

#[test]
fn killed_runs_never_leave_the_index_and_its_documents_disagreeing() {
    let mut corpus = Corpus::new();
    let without_notes = documents(&corpus.run(&["index"]));
    // Timed with an index in place, as in the rounds below.
    let (_, index_run) = corpus.timed(&["index"]);
    corpus.change(0);
    let (_, ask_run) = corpus.timed(&["ask", "--json", QUESTION]);
    corpus.check("an un-killed run");

    let mut killed = 0;
    let mut round = 1;
    while killed < KILLS {
        assert!(
            round < 4 * KILLS,
            "only {killed} of {round} runs were killed"
        );
        corpus.change(round);
        // A full rebuild after an update, or an update alone.
        let (args, limit): (&[&str], Duration) = if round % 2 == 0 {
            (&["index"], index_run)
        } else {
            (&["ask", "--json", QUESTION], ask_run)
        };
        let delay = random_below(limit);
        if corpus.kill_after(args, delay) {
            killed += 1;
            corpus.check(&format!("round {round}: {args:?} killed after {delay:?}"));
        }
        round += 1;
    }

    let report = corpus.run(&["index"]);
    assert_eq!(documents(&report), without_notes + corpus.notes.len());
    corpus.check("the last `quarry index`");

    let mut left: Vec<String> = std::fs::read_dir(corpus.root.path())
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(left, ["corpus", "index"], "no interrupted build left");
    let stores = std::fs::read_dir(corpus.index())
        .expect("list the index")
        .filter(|e| {
            let name = e.as_ref().expect("entry").file_name();
            name.to_string_lossy().starts_with("documents-")
        })
        .count();
    assert_eq!(stores, 1, "one documents file");
}

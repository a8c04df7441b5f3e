//! The real binary on the bundled corpus and on generated corpora.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

fn quarry(corpus: &Path, index: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_quarry"))
        .args(args)
        .arg("--corpus")
        .arg(corpus)
        .arg("--index")
        .arg(index)
        .env_remove("RUST_LOG")
        .output()
        .expect("quarry runs")
}

/// `quarry ask --json QUESTION`, its answer parsed.
fn ask(corpus: &Path, index: &Path, question: &str) -> Value {
    json(&quarry(corpus, index, &["ask", "--json", question]))
}

/// Asks `question` of a corpus holding only the page `file` with `text`.
fn ask_page(file: &str, text: &str, question: &str) -> Value {
    let corpus = tempfile::tempdir().expect("tempdir");
    let index = tempfile::tempdir().expect("tempdir");
    std::fs::write(corpus.path().join(file), text).expect("write");
    ask(corpus.path(), index.path(), question)
}

fn json(output: &Output) -> Value {
    assert!(
        output.status.success(),
        "failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("valid JSON")
}

fn bundled() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/corpus"))
}

/// Every quote's pieces occur, in order, inside its cited lines.
fn assert_verbatim(corpus: &Path, quote: &Value) {
    let file = std::fs::read_to_string(corpus.join(quote["file"].as_str().expect("file")))
        .expect("cited file");
    assert_verbatim_in(&file, quote);
}

/// Every quote's pieces occur, in order, inside its cited lines of `file`.
fn assert_verbatim_in(file: &str, quote: &Value) {
    let lines: Vec<&str> = file.split('\n').collect();
    let (a, b) = (
        quote["line_start"].as_u64().expect("line") as usize,
        quote["line_end"].as_u64().expect("line") as usize,
    );
    assert!(1 <= a && a <= b && b <= lines.len(), "lines {a}-{b}");
    let cited: String = lines[a - 1..b].join("\n").split_whitespace().collect();
    let mut at = 0;
    for piece in quote["text"].as_str().expect("text").split('…') {
        let piece: String = piece.split_whitespace().collect();
        if piece.is_empty() {
            continue;
        }
        let found = cited[at..]
            .find(&piece)
            .unwrap_or_else(|| panic!("{piece:?} not in lines {a}-{b}"));
        at += found + piece.len();
    }
}

#[test]
fn ask_answers_with_a_cited_verbatim_quote() {
    let index = tempfile::tempdir().expect("tempdir");
    let question = "How many Uzbek nationals were deported in April?";
    let answer = json(&quarry(
        bundled(),
        index.path(),
        &["ask", "--json", question],
    ));
    assert_eq!(answer["answered"], true);
    let first = &answer["quotes"][0];
    assert_eq!(first["file"], "003_0d359dd9f4c93256.txt");
    assert!(
        first["text"]
            .as_str()
            .expect("text")
            .contains("131 Uzbek nationals")
    );
    assert_eq!(answer["answer"], "131 Uzbek nationals");
    for quote in answer["quotes"].as_array().expect("quotes") {
        assert_verbatim(bundled(), quote);
    }
    let human = quarry(bundled(), index.path(), &["ask", question]);
    let text = String::from_utf8_lossy(&human.stdout);
    assert!(
        text.contains("Answer: 131 Uzbek nationals")
            && text.contains("003_0d359dd9f4c93256.txt:15"),
        "{text}"
    );
}

#[test]
fn unanswerable_questions_abstain_plainly() {
    let index = tempfile::tempdir().expect("tempdir");
    let answer = ask(bundled(), index.path(), "How do I bake sourdough bread?");
    assert_eq!(answer["answered"], false);
    let human = quarry(
        bundled(),
        index.path(),
        &["ask", "Who won the 2022 FIFA World Cup?"],
    );
    assert!(String::from_utf8_lossy(&human.stdout).contains("The corpus holds no answer"));
}

#[test]
fn hostile_questions_never_fail() {
    let index = tempfile::tempdir().expect("tempdir");
    let long = "tariffs ".repeat(1300);
    for question in [
        "",
        "   \t ",
        long.as_str(),
        "AND ( \" ~ ^ :",
        "🙂🙂 🚀",
        "ما هو الطريق الأوسط؟",
        "\u{1}\u{7}\u{1b}[31m",
        "*:*",
        "title:x OR",
    ] {
        let answer = json(&quarry(
            bundled(),
            index.path(),
            &["ask", "--json", question],
        ));
        assert_eq!(answer["question"], question);
        if question.trim().is_empty() {
            assert_eq!(answer["answered"], false);
        }
    }
}

#[test]
fn questions_from_standard_input_become_json_lines() {
    let index = tempfile::tempdir().expect("tempdir");
    let mut child = Command::new(env!("CARGO_BIN_EXE_quarry"))
        .args(["ask", "--json", "--corpus"])
        .arg(bundled())
        .arg("--index")
        .arg(index.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(
            b"What is the Middle Route?\n\nHow many Uzbek nationals were deported in April?\n",
        )
        .expect("write");
    let output = child.wait_with_output().expect("output");
    let lines: Vec<Value> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect();
    assert_eq!(lines.len(), 2);
    assert!(
        lines[1]["quotes"][0]["text"]
            .as_str()
            .expect("text")
            .contains("131 Uzbek nationals")
    );
}

#[test]
fn bad_files_are_skipped_with_one_warning_each() {
    let corpus = tempfile::tempdir().expect("tempdir");
    let index = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        corpus.path().join("good.md"),
        "# Kettles\n\nThe blue kettle boils water in ninety seconds.\n",
    )
    .expect("write");
    std::fs::write(corpus.path().join("binary.txt"), [0u8, 159, 146, 150, 0, 1]).expect("write");
    std::fs::write(corpus.path().join("empty.html"), "").expect("write");
    let output = quarry(
        corpus.path(),
        index.path(),
        &["ask", "--json", "What does the blue kettle boil?"],
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    for file in ["binary.txt", "empty.html"] {
        assert_eq!(
            stderr.matches(file).count(),
            1,
            "one warning for {file}: {stderr}"
        );
    }
    let answer = json(&output);
    assert_eq!(answer["answered"], true);
    assert_eq!(answer["quotes"][0]["file"], "good.md");
    assert_eq!(answer["quotes"][0]["line_start"], 3);
}

#[test]
fn prose_answers_before_a_code_listing() {
    let answer = ask_page(
        "zipper.html",
        "<html><head><title>zipper</title></head><body>\n\
         <h2>Example</h2>\n\
         <pre>const archive = zipper.open('backup.zip');\nzipper.open(archive);</pre>\n\
         <h2>Methods</h2>\n\
         <p>The zipper.open() method opens an archive for reading.</p>\n\
         </body></html>\n",
        "What does zipper.open do?",
    );
    assert_eq!(answer["answered"], true);
    assert_eq!(
        answer["quotes"][0]["text"],
        "The zipper.open() method opens an archive for reading."
    );
}

#[test]
fn the_index_follows_added_changed_and_removed_files() {
    let corpus = tempfile::tempdir().expect("tempdir");
    let index = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        corpus.path().join("a.txt"),
        "The red lighthouse stands on the northern cape.\n",
    )
    .expect("write");
    let ask = |q: &str| json(&quarry(corpus.path(), index.path(), &["ask", "--json", q]));
    assert_eq!(
        ask("Where does the red lighthouse stand?")["answered"],
        true
    );
    assert_eq!(ask("What colour is the submarine?")["answered"], false);
    std::fs::write(
        corpus.path().join("b.txt"),
        "The yellow submarine colour was chosen in 1966.\n",
    )
    .expect("write");
    assert_eq!(
        ask("What colour is the yellow submarine?")["quotes"][0]["file"],
        "b.txt"
    );
    std::fs::write(
        corpus.path().join("a.txt"),
        "The lighthouse was painted green in 1990.\nIt stands on the cape.\n",
    )
    .expect("write");
    let changed = ask("When was the lighthouse painted green?");
    assert_eq!(changed["quotes"][0]["line_start"], 1);
    assert!(
        changed["quotes"][0]["text"]
            .as_str()
            .expect("text")
            .contains("green")
    );
    std::fs::remove_file(corpus.path().join("b.txt")).expect("remove");
    assert_eq!(
        ask("What colour is the yellow submarine?")["answered"],
        false
    );
}

#[test]
fn source_docs_and_search() {
    let index = tempfile::tempdir().expect("tempdir");
    let source = quarry(
        bundled(),
        index.path(),
        &["source", "003_0d359dd9f4c93256.txt:14"],
    );
    assert!(String::from_utf8_lossy(&source.stdout).contains("Two months later"));
    for outside in [
        "../../etc/passwd",
        "/etc/passwd",
        "sources.toml",
        "nope.txt:3",
    ] {
        let refused = quarry(bundled(), index.path(), &["source", outside]);
        assert_eq!(refused.status.code(), Some(2), "{outside}");
        assert!(String::from_utf8_lossy(&refused.stderr).contains("not a file of the corpus"));
    }
    let docs = json(&quarry(bundled(), index.path(), &["docs", "--json"]));
    let docs = docs.as_array().expect("docs");
    assert_eq!(docs.len(), 5);
    assert_eq!(docs[4]["author"], "Michael Rossi");
    assert_eq!(docs[4]["published"], "2023-09");
    let hits = json(&quarry(
        bundled(),
        index.path(),
        &["search", "--json", "uranium producer"],
    ));
    let hit = &hits[0];
    let text = hit["text"].as_str().expect("text");
    let (s, e) = (
        hit["highlights"][0][0].as_u64().expect("s") as usize,
        hit["highlights"][0][1].as_u64().expect("e") as usize,
    );
    assert!(["uranium", "producer"].contains(&text[s..e].to_lowercase().as_str()));
}

#[test]
fn a_missing_corpus_is_a_clear_error() {
    let index = tempfile::tempdir().expect("tempdir");
    let output = quarry(
        Path::new("/nonexistent/corpus"),
        index.path(),
        &["ask", "anything"],
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("does not exist"));
}

/// The event at `date` whose quote holds `words`.
fn event_at<'a>(events: &'a [Value], date: &str, words: &str) -> &'a Value {
    events
        .iter()
        .find(|e| e["date"] == date && e["text"].as_str().is_some_and(|t| t.contains(words)))
        .unwrap_or_else(|| panic!("no event at {date} quoting {words:?}"))
}

#[test]
fn timeline_is_a_dated_sourced_chronology() {
    let index = tempfile::tempdir().expect("tempdir");
    let timeline = json(&quarry(bundled(), index.path(), &["timeline", "--json"]));
    let events = timeline["events"].as_array().expect("events");
    assert!(events.len() >= 20, "{} events", events.len());

    let dates: Vec<&str> = events.iter().map(|e| e["date"].as_str().unwrap()).collect();
    let mut sorted = dates.clone();
    sorted.sort();
    assert_eq!(dates, sorted, "events in date order");
    let mut seen = std::collections::HashSet::new();
    for e in events {
        assert!(
            seen.insert((e["date"].to_string(), e["text"].to_string())),
            "{e}"
        );
        for c in e["citations"].as_array().expect("citations") {
            assert_verbatim(bundled(), c);
        }
    }

    // One withdrawal, told by two files.
    let withdrawal = event_at(events, "2021", "withdrawn its troops from Afghanistan");
    let files: Vec<&str> = withdrawal["citations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| &c["file"].as_str().unwrap()[..3])
        .collect();
    assert_eq!(files, ["000", "004"]);

    // Dates worked out, and how.
    let later = event_at(events, "2025-06", "Two months later");
    assert_eq!(
        (&later["resolution"], &later["anchor"]),
        (&"narrative".into(), &"2025-04".into())
    );
    let july = event_at(events, "2025-07", "reached out in July");
    assert_eq!(
        (&july["resolution"], &july["anchor"]),
        (&"document_relative".into(), &"2025-09".into())
    );
    let period = event_at(events, "2019", "2019-2025 period");
    assert_eq!(
        (&period["end"], &period["kind"]),
        (&"2025".into(), &"range".into())
    );
    assert_eq!(event_at(events, "2017", "Since 2017")["kind"], "since");
    // 000 has no publication date: its "last year" counts from its latest date.
    let last_year = event_at(events, "2024", "Central Asian countries last year");
    assert_eq!(last_year["inferred"], true);
}

#[test]
fn timeline_filters_by_topic_dates_and_limit() {
    let index = tempfile::tempdir().expect("tempdir");
    let run = |args: &[&str]| json(&quarry(bundled(), index.path(), args));

    let about = run(&["timeline", "--topic", "C5+1", "--json"]);
    let events = about["events"].as_array().expect("events");
    assert!(events.len() >= 3);
    assert!(
        events
            .iter()
            .all(|e| e["text"].as_str().unwrap().contains("C5+1"))
    );

    let window = run(&["timeline", "--from", "2025-04", "--to", "2025-09", "--json"]);
    let dates: Vec<&str> = window["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["date"].as_str().unwrap())
        .collect();
    assert!(dates.contains(&"2025-06") && dates.contains(&"2025-09-07"));
    // A date known only to the year may fall in the window; it is kept.
    assert!(
        dates
            .iter()
            .all(|d| *d == "2025" || ("2025-04".."2025-10").contains(d)),
        "{dates:?}"
    );

    let summary = run(&["timeline", "--limit", "3", "--json"]);
    assert_eq!(summary["events"].as_array().unwrap().len(), 3);
    assert!(summary["total"].as_u64().unwrap() > 3);
    // The most reported event is in any summary.
    assert!(
        summary["events"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["date"] == "2021")
    );

    let human = quarry(bundled(), index.path(), &["timeline", "--topic", "tariffs"]);
    let text = String::from_utf8_lossy(&human.stdout);
    assert!(text.contains("\n2025\n"), "grouped by year: {text}");
    assert!(
        text.contains("“in July” read against the document's date, 2025-09"),
        "{text}"
    );

    let bad = quarry(
        bundled(),
        index.path(),
        &["timeline", "--from", "last week"],
    );
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("is not a date"));
}

#[test]
fn releases_are_events_and_their_changes_are_found_by_topic() {
    let corpus = tempfile::tempdir().expect("tempdir");
    let index = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        corpus.path().join("CHANGELOG.md"),
        "# Changelog\n\n\
         ## Version 2.0 (2024-05-01)\n\n\
         The parser was rewritten after the outage of March 2024.\n\n\
         ```\nlet released = \"2019-01-01\"; // see RFC 2008\n```\n\n\
         ## Version 1.0 (2023-01-15)\n\n\
         First release.\n",
    )
    .expect("write");
    std::fs::write(
        corpus.path().join("notes.md"),
        "# Widget changelog\n\n\
         ## Widget 3.11.2 final\n\n\
         *Release date: 2023-02-07*\n\n\
         - Fix a crash in the asyncio loop.\n\
         - Support years before 1902 in the calendar.\n\n\
         ## Widget 3.11.0 release candidate 2\n\n\
         *Release date: 2022-09-11*\n\n\
         - Add IDNA 2003 and 2008 test cases.\n",
    )
    .expect("write");
    let events = |args: &[&str]| -> Vec<(String, String)> {
        json(&quarry(corpus.path(), index.path(), args))["events"]
            .as_array()
            .expect("events")
            .iter()
            .map(|e| {
                (
                    e["date"].as_str().unwrap().to_string(),
                    e["text"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    // One event per release; what a release lists is not an event of its own.
    let all = events(&["timeline", "--json"]);
    let all: Vec<(&str, &str)> = all.iter().map(|(d, t)| (d.as_str(), t.as_str())).collect();
    assert_eq!(
        all,
        [
            (
                "2022-09-11",
                "Widget 3.11.0 release candidate 2 … *Release date: 2022-09-11*"
            ),
            ("2023-01-15", "Version 1.0 (2023-01-15)"),
            (
                "2023-02-07",
                "Widget 3.11.2 final … *Release date: 2023-02-07*"
            ),
            ("2024-05-01", "Version 2.0 (2024-05-01)"),
        ]
    );
    // Its changes find it.
    let dates = |topic: &str| -> Vec<String> {
        events(&["timeline", "--topic", topic, "--json"])
            .into_iter()
            .map(|(d, _)| d)
            .collect()
    };
    assert_eq!(dates("outage"), ["2024-05-01"]);
    assert_eq!(dates("asyncio"), ["2023-02-07"]);
    // A "when" question about a release is answered by its date line.
    let answer = ask(
        corpus.path(),
        index.path(),
        "When was Widget 3.11.2 released?",
    );
    assert_eq!(answer["answer"], "2023-02-07");
    assert_eq!(answer["quotes"][0]["file"], "notes.md");
    assert_eq!(answer["quotes"][0]["line_start"], 5);
}

#[test]
fn when_questions_lead_with_a_date() {
    let index = tempfile::tempdir().expect("tempdir");
    let answer = ask(
        bundled(),
        index.path(),
        "When was the C5+1 summit at the White House held?",
    );
    assert_eq!(answer["answer"], "November 6");
    let first = answer["quotes"][0]["text"].as_str().expect("text");
    assert!(first.contains("November 6"), "{first}");
}

#[test]
fn which_release_questions_lead_with_a_version() {
    let answer = ask_page(
        "compound_stmts.html",
        "<html><head><title>Compound statements</title></head><body>\n\
         <h1>Compound statements</h1>\n\
         <p>Compound statements contain groups of other statements.</p>\n\
         <h2>The match statement</h2>\n\
         <p>A match statement compares a subject with each case added to it, \
         and the statement runs the first case whose pattern matches.</p>\n\
         <p>New in version 3.10.</p>\n\
         <h2>The if statement</h2>\n\
         <p>The if statement is used for conditional execution.</p>\n\
         </body></html>\n",
        "Which release added the match/case statement?",
    );
    assert_eq!(answer["answer"], "version 3.10");
    assert_eq!(answer["quotes"][0]["text"], "New in version 3.10.");
    // The sentence holding more of the question's words still follows it.
    let second = answer["quotes"][1]["text"].as_str().expect("text");
    assert!(second.starts_with("A match statement"), "{second}");
}

#[test]
fn which_x_questions_lead_with_the_sentence_naming_one() {
    let answer = ask_page(
        "manifest.md",
        "# The manifest format\n\n\
         ## The edition field\n\n\
         The edition field tells which Rust edition the package is compiled \
         with, and the new command writes it.\n\
         The new command writes the 2024 edition.\n",
        "Which edition does the new command write?",
    );
    // Both sentences hold every word of the question; one names an edition.
    assert_eq!(
        answer["quotes"][0]["text"],
        "The new command writes the 2024 edition."
    );
}

/// A small reference manual as a documentation build folder holds it: the
/// rendered page, and its source beside it.
fn manual(corpus: &Path) {
    std::fs::write(
        corpus.join("runtime-config.html"),
        "<html><head><title>Resource Consumption — Manual</title></head><body>\n\
         <nav><a href=\"index.html\">Home</a></nav>\n\
         <h1>Resource Consumption</h1>\n\
         <p>These settings control how the server uses memory and disk.</p>\n\
         <dl>\n\
         <dt id=\"shared-buffers\"><code>shared_buffers</code> (<code>integer</code>)</dt>\n\
         <dd><p>Sets the amount of memory the database server uses for shared memory buffers.\n\
         The default is typically 128 megabytes.</p>\n\
         <pre>shared_buffers = 128MB\nwork_mem = 4MB</pre>\n\
         <p>Larger settings for shared_buffers usually require a corresponding increase in checkpoints.</p></dd>\n\
         <dt id=\"work-mem\"><code>work_mem</code> (<code>integer</code>)</dt>\n\
         <dd><p>Sets the base maximum amount of memory to be used by a query operation before writing to temporary disk files.</p></dd>\n\
         </dl>\n\
         </body></html>\n",
    )
    .expect("write");
    std::fs::create_dir_all(corpus.join("_sources")).expect("mkdir");
    std::fs::write(
        corpus.join("_sources/runtime-config.rst.txt"),
        "Resource Consumption\n====================\n\n\
         These settings control how the server uses memory and disk.\n\n\
         .. option:: shared_buffers (integer)\n\n\
         \x20  :synopsis: Sets the amount of memory the database server uses for shared memory buffers.\n\
         \x20  The default is typically 128 megabytes.\n\n\
         \x20  Larger settings for :option:`shared_buffers` usually require a corresponding increase in checkpoints.\n\n\
         .. option:: work_mem (integer)\n\n\
         \x20  Sets the base maximum amount of memory to be used by a query operation before writing to temporary disk files.\n",
    )
    .expect("write");
}

#[test]
fn reference_docs_answer_under_the_term_they_define() {
    let corpus = tempfile::tempdir().expect("tempdir");
    let index = tempfile::tempdir().expect("tempdir");
    manual(corpus.path());
    let answer = ask(corpus.path(), index.path(), "What does shared_buffers set?");
    assert_eq!(answer["answered"], true);
    let quotes = answer["quotes"].as_array().expect("quotes");
    assert_eq!(
        quotes[0]["text"],
        "Sets the amount of memory the database server uses for shared memory buffers."
    );
    for quote in quotes {
        assert_eq!(
            quote["file"], "runtime-config.html",
            "the rendered page, not its source"
        );
        let text = quote["text"].as_str().expect("text");
        assert!(
            !text.contains("= 128MB"),
            "a code line quoted unasked: {text}"
        );
    }
    let answer = ask(
        corpus.path(),
        index.path(),
        "If I leave work_mem unset, how much memory can a query use?",
    );
    assert!(
        answer["quotes"][0]["text"]
            .as_str()
            .expect("text")
            .starts_with("Sets the base maximum amount of memory"),
        "{answer}"
    );
}

#[test]
fn markdown_books_keep_list_items_whole_and_skip_link_definitions() {
    let corpus = tempfile::tempdir().expect("tempdir");
    let index = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        corpus.path().join("profiles.md"),
        "# Profiles\n\n## lto\n\nThe `lto` setting controls the [`-C lto` flag].\n\n\
         * `false`: Performs \"thin local LTO\" which performs thin LTO on the local\n  \
         crate only across its codegen units.\n\
         * `\"off\"`: Disables LTO.\n\n\
         [`-C lto`]: ../../rustc/codegen-options/index.html#lto\n",
    )
    .expect("write");
    let answer = ask(
        corpus.path(),
        index.path(),
        "What does lto = false do across codegen units?",
    );
    let first = &answer["quotes"][0];
    assert_eq!(
        first["text"],
        "`false`: Performs \"thin local LTO\" which performs thin LTO on the local\n  crate only across its codegen units."
    );
    assert_eq!(
        (first["line_start"].clone(), first["line_end"].clone()),
        (7.into(), 8.into())
    );
    let search = quarry(
        corpus.path(),
        index.path(),
        &["search", "rustc codegen-options"],
    );
    assert!(
        !String::from_utf8_lossy(&search.stdout).contains("../../rustc"),
        "a link definition was indexed"
    );
}

fn gzip(text: &str) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(text.as_bytes()).expect("compress");
    encoder.finish().expect("compress")
}

/// A corpus of one Markdown page about a kettle, and an empty `notes` folder.
fn kettle_and_notes() -> tempfile::TempDir {
    let corpus = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        corpus.path().join("kettle.md"),
        "# Kettles\n\nThe blue kettle boils water in ninety seconds.\n",
    )
    .expect("write");
    std::fs::create_dir(corpus.path().join("notes")).expect("mkdir");
    corpus
}

#[test]
fn gzipped_documents_are_read_and_cited_by_their_file_name() {
    let corpus = kettle_and_notes();
    let index = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        corpus.path().join("notes/lighthouse.md.gz"),
        gzip(
            "# Lighthouse\n\nThe red lighthouse was painted green in 1990.\n\n\
             Its lamp is visible for twenty nautical miles.\n",
        ),
    )
    .expect("write");
    std::fs::write(
        corpus.path().join("fake.txt.gz"),
        "Plain text under a gzip name.\n",
    )
    .expect("write");
    std::fs::write(corpus.path().join("archive.tar.gz"), gzip("not a document")).expect("write");

    let output = quarry(
        corpus.path(),
        index.path(),
        &[
            "ask",
            "--json",
            "For how many nautical miles is the lighthouse lamp visible?",
        ],
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(stderr.matches("fake.txt.gz").count(), 1, "{stderr}");
    assert!(stderr.contains("gzip"), "{stderr}");
    assert!(!stderr.contains("archive.tar.gz"), "{stderr}");
    let answer = json(&output);
    assert_eq!(answer["answered"], true);
    let quote = &answer["quotes"][0];
    assert_eq!(quote["file"], "notes/lighthouse.md.gz");
    assert_eq!(quote["line_start"], 5);
    assert!(
        quote["text"]
            .as_str()
            .expect("text")
            .contains("twenty nautical miles")
    );

    let source = quarry(
        corpus.path(),
        index.path(),
        &["source", "notes/lighthouse.md.gz:5"],
    );
    let text = String::from_utf8_lossy(&source.stdout);
    assert!(source.status.success(), "{text}");
    assert!(
        text.contains("notes/lighthouse.md.gz:5") && text.contains("twenty nautical miles"),
        "{text}"
    );
}

#[test]
fn legacy_encodings_are_decoded_reported_and_quoted() {
    let corpus = kettle_and_notes();
    let index = tempfile::tempdir().expect("tempdir");
    // Windows-1252: é è û as single bytes, curly quotes 0x93/0x94, the euro sign 0x80.
    let old = b"Caf\xe9 notes\n\nThe caf\xe9 on Rue Cler reopened in March 1998.\n\n\
                The owner said \x93we kept the cr\xe8me br\xfbl\xe9e at \x804.50\x94 on the menu.\n";
    std::fs::write(corpus.path().join("notes/old.txt"), old).expect("write");
    std::fs::write(corpus.path().join("binary.txt"), [0u8, 159, 146, 150, 0, 1]).expect("write");

    let output = quarry(corpus.path(), index.path(), &["index"]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}");
    assert!(stdout.contains("Indexed 2 documents"), "{stdout}");
    assert!(
        stdout.contains("decoded from windows-1252 (detected): notes/old.txt"),
        "{stdout}"
    );
    assert_eq!(stdout.matches("decoded from").count(), 1, "{stdout}");
    assert!(
        stdout.contains("skipped binary.txt: binary file"),
        "{stdout}"
    );

    let answer = ask(
        corpus.path(),
        index.path(),
        "What did the owner say about the crème brûlée?",
    );
    assert_eq!(answer["answered"], true);
    let quote = &answer["quotes"][0];
    assert_eq!(quote["file"], "notes/old.txt");
    assert_eq!(
        (&quote["line_start"], &quote["line_end"]),
        (&5.into(), &5.into())
    );
    let text = quote["text"].as_str().expect("text");
    assert!(
        text.contains("said “we kept the crème brûlée at €4.50” on the menu."),
        "{text}"
    );
    let (decoded, _, _) = encoding_rs::WINDOWS_1252.decode(old);
    assert_verbatim_in(&decoded, quote);

    // The decoding is kept in the stored index.
    let docs = json(&quarry(corpus.path(), index.path(), &["docs", "--json"]));
    let docs = docs.as_array().expect("docs");
    let doc = |file: &str| docs.iter().find(|d| d["file"] == file).expect(file);
    assert_eq!(
        doc("notes/old.txt")["decoding"],
        serde_json::json!({"encoding": "windows-1252", "by": "detected", "replaced": false})
    );
    assert!(doc("kettle.md").get("decoding").is_none());
}

#[test]
fn letters_whose_case_changes_length_and_wide_spaces_never_crash() {
    let corpus = tempfile::tempdir().expect("tempdir");
    let index = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        corpus.path().join("visits.txt"),
        "İlham Aliyev hosted “Tokayev” in Baku on May 5, 2025.\n\n\
         The talks closed on\u{a0}May\u{a0}6, 2025 with a joint statement.\n",
    )
    .expect("write");
    let answer = ask(corpus.path(), index.path(), "Who hosted Baku?");
    assert_eq!(answer["answered"], true);
    assert_eq!(answer["answer"], "İlham Aliyev");
    assert_eq!(answer["quotes"][0]["file"], "visits.txt");
    let human = quarry(corpus.path(), index.path(), &["ask", "Who hosted Baku?"]);
    assert!(human.status.success());

    let timeline = json(&quarry(
        corpus.path(),
        index.path(),
        &["timeline", "--json"],
    ));
    let events = timeline["events"].as_array().expect("events");
    event_at(events, "2025-05-05", "hosted");
    event_at(events, "2025-05-06", "joint statement");
}

#[test]
fn a_manual_page_reports_no_examples_bounds_or_guessed_dates() {
    let corpus = tempfile::tempdir().expect("tempdir");
    let index = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        corpus.path().join("datetime.html"),
        "<html><head><title>Date/Time Input</title></head><body>\n\
         <h1>Date/Time Input</h1>\n\
         <p>This rule describes current (as of 2020) practice in Paris.</p>\n\
         <p>The day of the year runs from 1 to 365, and February 29 is not counted.</p>\n\
         <p>Julian Date 0 corresponds to 24 November 4714 BC in the Gregorian calendar.</p>\n\
         <p>A key holds between 1 and 2024 bytes.</p>\n\
         <p>For example, 2005-01-01 is part of the 53rd week of year 2004.</p>\n\
         <table><tr><td>1999-01-08</td><td>January 8, 1999</td></tr></table>\n\
         <pre>SELECT date '2021-06-23';</pre>\n\
         </body></html>\n",
    )
    .expect("write");
    let timeline = json(&quarry(
        corpus.path(),
        index.path(),
        &["timeline", "--json"],
    ));
    let dates: Vec<&str> = timeline["events"]
        .as_array()
        .expect("events")
        .iter()
        .map(|e| e["date"].as_str().unwrap())
        .collect();
    assert_eq!(dates, ["2020"], "only the stated year stays: {timeline}");
}

/// `quarry serve` in an empty folder (no `.env`) with these variables only.
fn serve_with(env: &[(&str, &str)]) -> Output {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut command = Command::new(env!("CARGO_BIN_EXE_quarry"));
    command
        .arg("serve")
        .arg("--corpus")
        .arg(bundled())
        .current_dir(dir.path())
        .env("QUARRY_DATA_DIR", dir.path())
        .env_remove("RUST_LOG");
    for name in [
        "DISCORD_TOKEN",
        "QUARRY_MATRIX_HOMESERVER",
        "QUARRY_MATRIX_USER",
        "MATRIX_PASSWORD",
        "MATRIX_ACCESS_TOKEN",
    ] {
        command.env_remove(name);
    }
    command.envs(env.iter().copied());
    command.output().expect("quarry runs")
}

#[test]
fn serve_needs_a_platform_and_says_which_settings_make_one() {
    let none = serve_with(&[]);
    assert_eq!(none.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&none.stderr);
    assert!(stderr.contains("DISCORD_TOKEN"), "{stderr}");
    assert!(stderr.contains("QUARRY_MATRIX_HOMESERVER"), "{stderr}");

    let half = serve_with(&[("QUARRY_MATRIX_HOMESERVER", "https://matrix.example.org")]);
    assert_eq!(half.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&half.stderr).contains("MATRIX_PASSWORD"));

    let secret = "do-not-print-me";
    let no_user = serve_with(&[
        ("QUARRY_MATRIX_HOMESERVER", "https://matrix.example.org"),
        ("MATRIX_PASSWORD", secret),
    ]);
    assert_eq!(no_user.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&no_user.stderr);
    assert!(stderr.contains("matrix.user"), "{stderr}");
    assert!(!stderr.contains(secret), "{stderr}");
}

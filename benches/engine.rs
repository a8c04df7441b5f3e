//! Prints ask latency (p50/p99, in process), a whole `quarry ask` process's
//! time on the warm index, index build time and speed, the timeline's build
//! time and `--topic` latency, and peak memory, on the
//! bundled corpus and on a generated 1000-page HTML corpus (or on
//! `QUARRY_BENCH_HTML=DIR`, a real one, asked the questions of
//! `QUARRY_BENCH_QUESTIONS=FILE.jsonl` when given, and for its timeline the
//! comma-separated topics of `QUARRY_BENCH_TOPICS`). Figures, not asserts.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use quarry::engine::{AskOptions, Engine, TimelineQuery};

/// Timeline topics: a name, a word, a code, a phrase, and one found nowhere.
const TOPICS: &[&str] = &[
    "Kazakhstan",
    "tariffs",
    "C5+1",
    "critical minerals",
    "Mongolia",
];

const FALLBACK_QUESTIONS: &[&str] = &[
    "When was the C5+1 summit at the White House held?",
    "What tariff did the United States impose on Kazakh goods?",
    "Who analyzed the outcomes of the C5+1 summit?",
    "How many Uzbek nationals were deported in April?",
    "What is the population of Mongolia?",
];

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let questions = dev_questions(&root.join("../shared/eval/seed_dev.jsonl"));
    let bundled = root.join("corpus");
    let topics: Vec<String> = TOPICS.iter().map(|t| t.to_string()).collect();
    report("bundled corpus", &bundled, &questions, &topics);

    let html = match std::env::var_os("QUARRY_BENCH_HTML") {
        Some(dir) => PathBuf::from(dir),
        None => generate_html_corpus(&bundled, 1000),
    };
    let html_questions = match std::env::var_os("QUARRY_BENCH_QUESTIONS") {
        Some(file) => dev_questions(Path::new(&file)),
        None => questions,
    };
    let html_topics = match std::env::var("QUARRY_BENCH_TOPICS") {
        Ok(list) => list.split(',').map(|t| t.trim().to_string()).collect(),
        Err(_) => topics,
    };
    report("HTML corpus", &html, &html_questions, &html_topics);
    println!("peak RSS: {:.0} MB", peak_rss_mb());
}

fn report(name: &str, corpus: &Path, questions: &[String], topics: &[String]) {
    let bytes: u64 = walk_bytes(corpus);
    let index = tempfile::tempdir().expect("tempdir");
    let started = Instant::now();
    let engine = Engine::open(corpus, index.path()).expect("index builds");
    let build = started.elapsed().as_secs_f64();
    let mut times = Vec::new();
    for _ in 0..20 {
        for q in questions {
            let t = Instant::now();
            std::hint::black_box(engine.ask(q, &AskOptions::default()));
            times.push(t.elapsed().as_secs_f64() * 1000.0);
        }
    }
    let (ask_p50, ask_p99) = percentiles(&mut times);
    println!(
        "{name}: {} documents, {:.1} MB; index build {:.2} s ({:.1} MB/s); ask p50 {:.3} ms, p99 {:.3} ms over {} questions",
        engine.document_count(),
        bytes as f64 / 1e6,
        build,
        bytes as f64 / 1e6 / build,
        ask_p50,
        ask_p99,
        times.len()
    );

    // A whole `quarry ask` process, start-up and index opening included.
    let mut times = Vec::new();
    for q in questions.iter().cycle().take(20) {
        let t = Instant::now();
        let status = Command::new(env!("CARGO_BIN_EXE_quarry"))
            .arg("ask")
            .arg("--corpus")
            .arg(corpus)
            .arg("--index")
            .arg(index.path())
            .args(["--json", q])
            .stdout(Stdio::null())
            .status()
            .expect("quarry runs");
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        assert!(status.success(), "quarry ask failed");
    }
    let (process_p50, process_p99) = percentiles(&mut times);
    println!(
        "{name}: whole `quarry ask` process on the warm index p50 {process_p50:.1} ms, p99 {process_p99:.1} ms over {} runs",
        times.len()
    );

    // The first timeline request builds the chronology; later ones reuse it.
    let started = Instant::now();
    let all = engine.timeline(&TimelineQuery::default());
    let chronology = started.elapsed().as_secs_f64();
    let mut times = Vec::new();
    for _ in 0..20 {
        for topic in topics {
            let query = TimelineQuery {
                topic: Some(topic.clone()),
                limit: Some(10),
                ..TimelineQuery::default()
            };
            let t = Instant::now();
            std::hint::black_box(engine.timeline(&query));
            times.push(t.elapsed().as_secs_f64() * 1000.0);
        }
    }
    let (topic_p50, topic_p99) = percentiles(&mut times);
    println!(
        "{name}: timeline of {} events built in {chronology:.2} s; --topic p50 {topic_p50:.2} ms, p99 {topic_p99:.2} ms over {} requests",
        all.total,
        times.len()
    );
}

/// p50 and p99 of `times`.
fn percentiles(times: &mut [f64]) -> (f64, f64) {
    times.sort_by(f64::total_cmp);
    let at = |p: f64| times[((times.len() - 1) as f64 * p) as usize];
    (at(0.5), at(0.99))
}

/// The questions of a JSON Lines file, or a few fixed ones without it.
fn dev_questions(path: &Path) -> Vec<String> {
    let from_file: Vec<String> = std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v["question"].as_str().map(str::to_string))
        .collect();
    if from_file.is_empty() {
        FALLBACK_QUESTIONS.iter().map(|q| q.to_string()).collect()
    } else {
        from_file
    }
}

/// 1000 HTML pages of about 20 kB, made of the bundled corpus's paragraphs
/// in varying order, with headings, navigation and scripts around them.
fn generate_html_corpus(bundled: &Path, pages: usize) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("quarry-bench-html-{pages}"));
    if dir.join("page-0000.html").exists() {
        return dir;
    }
    std::fs::create_dir_all(&dir).expect("bench dir");
    let mut paragraphs: Vec<String> = Vec::new();
    for entry in std::fs::read_dir(bundled).expect("corpus").flatten() {
        let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
        paragraphs.extend(
            text.lines()
                .filter(|l| l.len() > 80)
                .map(|l| l.replace('<', "&lt;")),
        );
    }
    for page in 0..pages {
        let mut html = format!(
            "<!DOCTYPE html><html><head><title>Chapter {page} — Manual</title><script>var p = {page};</script></head><body>\n\
             <div class=\"navheader\"><a href=\"p{}.html\">Prev</a> <a href=\"p{}.html\">Next</a></div>\n<h1>Chapter {page}</h1>\n",
            page.saturating_sub(1),
            page + 1
        );
        let mut size = html.len();
        let mut i = page * 7;
        while size < 20_000 {
            let p = &paragraphs[i % paragraphs.len()];
            let block = if i % 5 == 0 {
                format!("<h2>Section {i}</h2>\n<p>{p}</p>\n")
            } else {
                format!("<p>{p}</p>\n")
            };
            size += block.len();
            html.push_str(&block);
            i += 3;
        }
        html.push_str("<footer>Copyright</footer></body></html>\n");
        std::fs::write(dir.join(format!("page-{page:04}.html")), html).expect("write page");
    }
    dir
}

fn walk_bytes(dir: &Path) -> u64 {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter_map(|e| e.metadata().ok())
        .filter(|m| m.is_file())
        .map(|m| m.len())
        .sum()
}

fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

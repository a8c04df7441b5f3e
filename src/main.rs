//! `quarry`: the command line. Every subcommand answers from the same engine
//! the chat bot uses; none of them needs a chat platform.

use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};
use quarry::config::Platforms;
use quarry::dates::PartialDate;
use quarry::engine::{AskOptions, Engine, TimelineQuery};
use quarry::{Settings, render};

#[derive(Parser)]
#[command(
    name = "quarry",
    version,
    about = "Answers questions from your documents, with verbatim, cited quotes."
)]
struct Cli {
    /// The folder of documents [default: corpus, or corpus_dir in the config]
    #[arg(long, global = true, value_name = "DIR")]
    corpus: Option<PathBuf>,
    /// Where the index lives [default: a cache folder keyed by the corpus path]
    #[arg(long, global = true, value_name = "DIR")]
    index: Option<PathBuf>,
    /// Settings file [default: config/quarry.toml when present]
    #[arg(long, global = true, value_name = "FILE")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Answer a question with quotes and their sources. Without a question,
    /// answers one question per line of standard input.
    Ask {
        question: Option<String>,
        /// Print JSON (JSON Lines when reading questions from standard input)
        #[arg(long)]
        json: bool,
        /// Only documents published on or before this date (2025, 2025-09, 2025-09-08)
        #[arg(long, value_name = "DATE", value_parser = parse_date)]
        as_of: Option<PartialDate>,
        /// Print, as JSON, why: the question's weighted words and the leading
        /// candidate sentences with the features that ranked them
        #[arg(long)]
        explain: bool,
    },
    /// Ranked passages for a query, with the matching words marked.
    Search {
        query: String,
        #[arg(long, default_value_t = 10)]
        limit: usize,
        #[arg(long)]
        json: bool,
    },
    /// Every document: file, title, date, size.
    Docs {
        #[arg(long)]
        json: bool,
    },
    /// The passage around a line of a file: FILE or FILE:LINE.
    Source { location: String },
    /// Rebuild the index now.
    Index,
    /// Run the chat bot on every configured platform: Discord (DISCORD_TOKEN)
    /// and Matrix (QUARRY_MATRIX_HOMESERVER with MATRIX_PASSWORD or
    /// MATRIX_ACCESS_TOKEN), from the environment or .env.
    Serve,
    /// Ask a running bot's health listener (http.listen) whether it is
    /// healthy: exit 0 if so, 1 if not. For container health checks.
    Health,
    /// The dated events the corpus reports, oldest first.
    Timeline {
        /// Only events about this (a word, a name, a phrase)
        #[arg(long)]
        topic: Option<String>,
        /// From this date on (any ISO prefix: 2024, 2024-06, 2024-06-01)
        #[arg(long, value_parser = parse_date)]
        from: Option<PartialDate>,
        /// Up to this date
        #[arg(long, value_parser = parse_date)]
        to: Option<PartialDate>,
        /// Keep the N most relevant (or most reported) events
        #[arg(long)]
        limit: Option<usize>,
        #[arg(long)]
        json: bool,
    },
}

fn parse_date(text: &str) -> Result<PartialDate, String> {
    PartialDate::parse_iso(text)
        .ok_or_else(|| format!("`{text}` is not a date: use 2025, 2025-09 or 2025-09-08"))
}

/// A failure the user caused (bad input, missing token): exit code 2.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
struct UsageError(String);

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging(matches!(cli.command, Command::Index | Command::Serve));
    match run(cli) {
        Ok(code) => code,
        Err(err) => {
            let usage = err.downcast_ref::<UsageError>().is_some();
            eprintln!("error: {err:#}");
            ExitCode::from(if usage { 2 } else { 1 })
        }
    }
}

fn init_logging(verbose: bool) {
    let default = if verbose { "info" } else { "warn" };
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(false)
        .init();
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let mut settings =
        Settings::load(cli.config.as_deref()).map_err(|e| UsageError(e.to_string()))?;
    if let Some(corpus) = cli.corpus {
        settings.corpus_dir = corpus;
    }
    if cli.index.is_some() {
        settings.index_dir = cli.index;
    }
    // Checked before anything else so a bad token fails fast, offline.
    let platforms = match cli.command {
        Command::Serve => {
            Some(Platforms::from_env(&settings.matrix).map_err(|e| UsageError(e.to_string()))?)
        }
        _ => None,
    };
    if let Command::Health = cli.command {
        return check_health(&settings);
    }
    if !settings.corpus_dir.is_dir() {
        return Err(UsageError(format!(
            "corpus folder {} does not exist or is not a folder",
            settings.corpus_dir.display()
        ))
        .into());
    }
    let index_dir = settings.index_dir();
    if let Command::Index = cli.command {
        let engine = Engine::open(&settings.corpus_dir, &index_dir)?;
        let report = engine.reindex()?;
        println!(
            "Indexed {} documents ({} passages) in {:.2} s into {}.",
            report.documents,
            report.passages,
            report.seconds,
            index_dir.display()
        );
        for decoded in &report.decoded {
            println!("decoded from {}: {}", decoded.decoding, decoded.file);
        }
        for skipped in &report.skipped {
            println!("skipped {skipped}");
        }
        return Ok(ExitCode::SUCCESS);
    }
    let engine = Engine::open(&settings.corpus_dir, &index_dir)
        .with_context(|| format!("opening the index of {}", settings.corpus_dir.display()))?;
    if let Some(platforms) = platforms {
        quarry::serve::run(&settings, engine, platforms)?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut out = std::io::stdout().lock();
    match cli.command {
        Command::Ask {
            question,
            json,
            as_of,
            explain,
        } => {
            let options = AskOptions { as_of };
            let Some(question) = question else {
                if std::io::stdin().is_terminal() {
                    return Err(UsageError(
                        "give a question, or pipe questions in, one per line".into(),
                    )
                    .into());
                }
                for line in std::io::stdin().lock().lines() {
                    let line = line.context("reading questions from standard input")?;
                    if !line.trim().is_empty() {
                        print_answer(&mut out, &engine, &line, &options, explain, json, true)?;
                    }
                }
                return Ok(ExitCode::SUCCESS);
            };
            print_answer(&mut out, &engine, &question, &options, explain, json, false)?;
        }
        Command::Search { query, limit, json } => {
            let hits = engine.search(&query, limit);
            if json {
                writeln!(out, "{}", serde_json::to_string_pretty(&hits)?)?;
            } else {
                write!(
                    out,
                    "{}",
                    render::text::search(&hits, std::io::stdout().is_terminal())
                )?;
            }
        }
        Command::Docs { json } => {
            let docs = engine.docs();
            if json {
                writeln!(out, "{}", serde_json::to_string_pretty(&docs)?)?;
            } else {
                write!(out, "{}", render::text::docs(&docs))?;
            }
        }
        Command::Source { location } => {
            let (file, line) = split_location(&location)?;
            let passage = engine
                .source(file, line)
                .map_err(|e| UsageError(e.to_string()))?;
            write!(out, "{}", render::text::source(&passage))?;
        }
        Command::Timeline {
            topic,
            from,
            to,
            limit,
            json,
        } => {
            let timeline = engine.timeline(&TimelineQuery {
                topic,
                from,
                to,
                limit,
            });
            if json {
                writeln!(out, "{}", serde_json::to_string_pretty(&timeline)?)?;
            } else {
                write!(out, "{}", render::text::timeline(&timeline))?;
            }
        }
        Command::Index | Command::Serve | Command::Health => unreachable!("handled above"),
    }
    Ok(ExitCode::SUCCESS)
}

/// Prints one answer (or its explanation) as text, JSON, or one JSON line
/// per question when they come from standard input.
fn print_answer(
    out: &mut impl Write,
    engine: &Engine,
    question: &str,
    options: &AskOptions,
    explain: bool,
    json: bool,
    one_per_line: bool,
) -> anyhow::Result<()> {
    if explain {
        let explanation = engine.explain(question, options);
        writeln!(out, "{}", json_text(&explanation, one_per_line)?)?;
    } else if json {
        let answer = engine.ask(question, options);
        writeln!(out, "{}", json_text(&answer, one_per_line)?)?;
    } else if one_per_line {
        let answer = engine.ask(question, options);
        writeln!(
            out,
            "Q: {}\n{}",
            question.trim(),
            render::text::answer(&answer)
        )?;
    } else {
        write!(
            out,
            "{}",
            render::text::answer(&engine.ask(question, options))
        )?;
    }
    Ok(())
}

/// JSON on one line (JSON Lines), or pretty for one answer.
fn json_text(value: &impl serde::Serialize, one_line: bool) -> serde_json::Result<String> {
    if one_line {
        serde_json::to_string(value)
    } else {
        serde_json::to_string_pretty(value)
    }
}

/// GETs `/healthz` from the listener in the settings, on this host.
fn check_health(settings: &Settings) -> anyhow::Result<ExitCode> {
    let Some(listen) = settings.http.listen else {
        return Err(
            UsageError("http.listen is not set, so there is no health listener".into()).into(),
        );
    };
    let host = if listen.ip().is_unspecified() {
        std::net::IpAddr::from([127, 0, 0, 1])
    } else {
        listen.ip()
    };
    let url = format!(
        "http://{}/healthz",
        std::net::SocketAddr::new(host, listen.port())
    );
    let runtime = tokio::runtime::Runtime::new().context("starting the async runtime")?;
    let reply = runtime.block_on(async {
        let client = reqwest::Client::builder()
            .timeout(std::time::Duration::from_secs(5))
            .build()?;
        let response = client.get(&url).send().await?;
        Ok::<_, reqwest::Error>((response.status(), response.text().await?))
    });
    match reply {
        Ok((status, body)) => {
            println!("{} {}", status.as_u16(), body.trim());
            Ok(if status.is_success() {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            })
        }
        Err(err) => {
            println!("no answer from {url}: {err}");
            Ok(ExitCode::FAILURE)
        }
    }
}

/// `file.txt:12` → (`file.txt`, 12); `file.txt` → line 1.
fn split_location(location: &str) -> anyhow::Result<(&str, u32)> {
    match location.rsplit_once(':') {
        Some((file, line)) if !line.is_empty() && line.bytes().all(|b| b.is_ascii_digit()) => {
            let line = line
                .parse()
                .map_err(|_| UsageError(format!("line number too large: {line}")))?;
            Ok((file, line))
        }
        _ => Ok((location, 1)),
    }
}

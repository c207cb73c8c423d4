//! `lagebild`: turns a pile of news articles into one picture with evidence for every fact.

use anyhow::{bail, Context, Result};
use clap::{Parser, Subcommand, ValueEnum};
use lagebild_core::eval::{EvalOptions, Task, TaskKind};
use lagebild_core::output::Report;
use lagebild_ingest::{IngestOptions, Ingested};
use lagebild_pipeline::Pipeline;
use lagebild_render::Format;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "lagebild",
    version,
    about = "News intelligence: from a pile of articles to one picture with evidence"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Analyse articles and write a dossier (Markdown, HTML) or the JSON contract.
    Analyze {
        /// Files, directories (recursive) or `-` for stdin: .txt, .jsonl, .html, feeds, WARC.
        #[arg(required = true)]
        inputs: Vec<String>,
        #[arg(long, value_enum, default_value_t = OutputFormat::Md)]
        format: OutputFormat,
        /// Write to this file instead of stdout.
        #[arg(long)]
        out: Option<PathBuf>,
        /// JSONL or CSV sidecar mapping document id → published, source, url, title.
        #[arg(long)]
        meta: Option<PathBuf>,
    },
    /// Score a capability on evaluation data; without TASK, list the tasks.
    Eval(TaskArgs),
    /// Measure throughput and memory of a capability; without TASK, list the benchmarks.
    Bench(TaskArgs),
    /// Train a model shipped with lagebild.
    Train {
        #[arg(value_enum)]
        model: Model,
        /// Training data (default: the shared GermEval 2014 dev split).
        #[arg(long)]
        data: Option<PathBuf>,
        /// Where to write the model (default: the shipped model file).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Add articles to a persistent store (idempotent: the same text is stored once).
    Ingest {
        #[arg(required = true)]
        inputs: Vec<String>,
        /// Store directory (created when missing).
        #[arg(long)]
        db: PathBuf,
        #[arg(long)]
        meta: Option<PathBuf>,
    },
    /// Full-text search (BM25) over a store, with filters and highlighted snippets.
    Search {
        query: String,
        #[arg(long)]
        db: PathBuf,
        /// Entity id (`e12`) or a name or alias.
        #[arg(long)]
        entity: Option<String>,
        /// Earliest publication date (YYYY-MM-DD).
        #[arg(long)]
        from: Option<jiff::civil::Date>,
        /// Latest publication date (YYYY-MM-DD).
        #[arg(long)]
        to: Option<jiff::civil::Date>,
        #[arg(long)]
        source: Option<String>,
        /// Story id (`s1`).
        #[arg(long)]
        story: Option<String>,
        #[arg(long, default_value_t = 10)]
        limit: usize,
        /// Print the hits as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Serve the HTTP API and the web UI over a store.
    Serve {
        #[arg(long)]
        db: PathBuf,
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: std::net::SocketAddr,
        /// Bearer token that enables `POST /api/documents` (or env LAGEBILD_TOKEN).
        #[arg(long, env = "LAGEBILD_TOKEN")]
        token: Option<String>,
    },
    /// Check a `--format json` output against the contract and the evidence invariant.
    Check { file: PathBuf },
}

#[derive(clap::Args)]
struct TaskArgs {
    task: Option<String>,
    /// Dataset (default: the task's folder under ../shared/data).
    #[arg(long)]
    data: Option<PathBuf>,
    /// Print the figures as one JSON object on the last line of stdout.
    #[arg(long)]
    json: bool,
    /// Only the first N items (a fast subset).
    #[arg(long)]
    limit: Option<usize>,
    /// Also run the peer tool in the same command for a side-by-side comparison.
    #[arg(long)]
    peer: bool,
    /// Record date, command and figures in this Markdown file (e.g. docs/EVALUATION.md).
    #[arg(long)]
    record: Option<PathBuf>,
}

#[derive(Clone, Copy, ValueEnum)]
enum OutputFormat {
    Md,
    Json,
    Html,
}

#[derive(Clone, Copy, ValueEnum)]
enum Model {
    Ner,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Analyze {
            inputs,
            format,
            out,
            meta,
        } => analyze(&inputs, format, out, meta),
        Command::Eval(args) => run_task(TaskKind::Eval, args),
        Command::Bench(args) => run_task(TaskKind::Bench, args),
        Command::Train { model, data, out } => train(model, data, out),
        Command::Check { file } => check(&file),
        Command::Ingest { inputs, db, meta } => ingest(&inputs, &db, meta),
        Command::Search {
            query,
            db,
            entity,
            from,
            to,
            source,
            story,
            limit,
            json,
        } => search(
            &db,
            lagebild_store::Query {
                text: query,
                entity,
                from,
                to,
                source,
                story,
                limit,
                offset: 0,
            },
            json,
        ),
        Command::Serve { db, addr, token } => lagebild_server::serve(&db, addr, token),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("lagebild: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// Reads all inputs, reporting warnings and per-record errors on stderr; fails only when
/// no document could be read at all.
fn read_documents(
    inputs: &[String],
    meta: Option<PathBuf>,
) -> Result<Vec<lagebild_core::Document>> {
    let opts = IngestOptions {
        meta,
        ..IngestOptions::default()
    };
    let mut docs = Vec::new();
    let mut errors = 0;
    for item in lagebild_ingest::read(inputs, &opts) {
        match item {
            Ingested::Document(d) => docs.push(d),
            Ingested::Warning(w) => eprintln!("warning: {w}"),
            Ingested::Error(e) => {
                errors += 1;
                eprintln!("error: {e}");
            }
        }
    }
    if docs.is_empty() {
        bail!("nothing could be read ({errors} inputs failed)");
    }
    Ok(docs)
}

fn analyze(
    inputs: &[String],
    format: OutputFormat,
    out: Option<PathBuf>,
    meta: Option<PathBuf>,
) -> Result<()> {
    let docs = read_documents(inputs, meta)?;
    let corpus = Pipeline::standard().run(docs);
    let format = match format {
        OutputFormat::Md => Format::Markdown,
        OutputFormat::Json => Format::Json,
        OutputFormat::Html => Format::Html,
    };
    let rendered = lagebild_render::render(&corpus, format);
    match out {
        Some(path) => std::fs::write(&path, rendered)
            .with_context(|| format!("cannot write {}", path.display()))?,
        None => print!("{rendered}"),
    }
    Ok(())
}

fn ingest(inputs: &[String], db: &std::path::Path, meta: Option<PathBuf>) -> Result<()> {
    let docs = read_documents(inputs, meta)?;
    let store = lagebild_store::Store::open(db)
        .with_context(|| format!("cannot open store {}", db.display()))?;
    let summary = store.ingest(docs)?;
    for conflict in &summary.conflicts {
        eprintln!("warning: {conflict}");
    }
    println!("{summary}");
    Ok(())
}

fn search(db: &std::path::Path, query: lagebild_store::Query, json: bool) -> Result<()> {
    let store = lagebild_store::Store::open(db)
        .with_context(|| format!("cannot open store {}", db.display()))?;
    let hits = store.search(&query)?;
    if json {
        println!("{}", serde_json::to_string_pretty(&hits)?);
        return Ok(());
    }
    if hits.is_empty() {
        println!("no hits for {:?}", query.text);
    }
    for hit in hits {
        let mut snippet = String::new();
        let mut at = 0;
        for &(start, end) in &hit.highlights {
            snippet.push_str(&hit.snippet[at..start]);
            snippet.push_str(&format!("**{}**", &hit.snippet[start..end]));
            at = end;
        }
        snippet.push_str(&hit.snippet[at..]);
        let published = hit.doc.published.map(|d| d.to_string()).unwrap_or_default();
        println!(
            "{:.2}  {}  {}  {}\n      {}",
            hit.score,
            hit.doc.id,
            published,
            hit.doc.title.as_deref().unwrap_or(""),
            snippet.split_whitespace().collect::<Vec<_>>().join(" ")
        );
    }
    Ok(())
}

/// Every evaluation and benchmark the stage crates offer.
fn all_tasks() -> Vec<Task> {
    [
        lagebild_ingest::tasks(),
        lagebild_clean::tasks(),
        lagebild_segment::tasks(),
        lagebild_time::tasks(),
        lagebild_entities::tasks(),
        lagebild_speech::tasks(),
        lagebild_cluster::tasks(),
        lagebild_pipeline::eval::tasks(),
        lagebild_server::tasks(),
    ]
    .concat()
}

fn run_task(kind: TaskKind, args: TaskArgs) -> Result<()> {
    let tasks: Vec<Task> = all_tasks().into_iter().filter(|t| t.kind == kind).collect();
    let Some(name) = args.task else {
        for t in &tasks {
            println!("{:<12} {}  (data: {})", t.name, t.about, t.default_data);
        }
        return Ok(());
    };
    let Some(task) = tasks.iter().find(|t| t.name == name) else {
        let names: Vec<&str> = tasks.iter().map(|t| t.name).collect();
        bail!("unknown task {name:?}; available: {}", names.join(", "));
    };
    let opts = EvalOptions {
        limit: args.limit,
        peer: args.peer,
    };
    lagebild_core::eval::execute(
        task,
        args.data.as_deref(),
        &opts,
        args.json,
        args.record.as_deref(),
    )?;
    Ok(())
}

fn train(model: Model, data: Option<PathBuf>, out: Option<PathBuf>) -> Result<()> {
    match model {
        Model::Ner => {
            let data = match data {
                Some(d) => d,
                None => lagebild_core::eval::data_root()
                    .context("no shared/data folder found; pass --data")?
                    .join("germeval2014/NER-de-dev.tsv"),
            };
            let out = out.unwrap_or_else(|| {
                PathBuf::from(concat!(
                    env!("CARGO_MANIFEST_DIR"),
                    "/../entities/models/ner-de.bin"
                ))
            });
            let summary = lagebild_entities::train_ner(&data, &out)?;
            println!("{summary}");
        }
    }
    Ok(())
}

fn check(file: &PathBuf) -> Result<()> {
    let text =
        std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
    let report: Report = serde_json::from_str(&text)
        .with_context(|| format!("{} does not follow the lagebild/1 contract", file.display()))?;
    let violations = report.violations();
    for v in &violations {
        eprintln!("{}: {v}", file.display());
    }
    if !violations.is_empty() {
        bail!("{} violations of the contract", violations.len());
    }
    let spans = report.timexes.len()
        + report.quotes.len()
        + report.events.len()
        + report
            .entities
            .iter()
            .map(|e| e.mentions.len() + e.roles.len())
            .sum::<usize>();
    println!(
        "{}: contract lagebild/1 ok; {} documents, {} evidence spans checked",
        file.display(),
        report.documents.len(),
        spans
    );
    Ok(())
}

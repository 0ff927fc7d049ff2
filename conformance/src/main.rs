//! `hyperabi`: the command-line front of the conformance engine.
//!
//! Exit codes: 0 conformant, 1 conformance failures or regressions, 2 bad usage or bad input
//! file, 3 infrastructure error.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use conformance::report;

mod list;

#[derive(Parser)]
#[command(name = "hyperabi", version, about = "Hypercall ABI conformance suite")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// List the ABIs hyperabi knows, with their calls.
    List {
        /// Only this ABI (by id, e.g. xen-arm64).
        #[arg(long)]
        abi: Option<String>,
    },
    /// Re-render a JSON report in another format.
    Report {
        /// The report, as `run` wrote it (report.json).
        input: PathBuf,
        #[arg(long, value_enum)]
        format: report::Format,
        /// Write to this file instead of standard output.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Merge the shard reports of one run (`run --shard i/n`) into one JSON report.
    Merge {
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
        /// Write to this file instead of standard output.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Work with the ABI specs themselves.
    Spec {
        #[command(subcommand)]
        command: SpecCommand,
    },
}

#[derive(Subcommand)]
enum SpecCommand {
    /// Export ABIs in a machine-readable form (every ABI unless --abi is given).
    Export {
        #[arg(long)]
        abi: Vec<String>,
        #[arg(long, value_enum, default_value_t = Format::Json)]
        format: Format,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Json,
}

/// An error that ends the command with a distinct exit code.
struct Failure {
    code: u8,
    message: String,
}

fn usage(message: impl Into<String>) -> Failure {
    Failure {
        code: 2,
        message: message.into(),
    }
}

fn select(ids: &[String]) -> Result<Vec<&'static abi_spec::Abi>, Failure> {
    if ids.is_empty() {
        return Ok(specs::all().to_vec());
    }
    ids.iter()
        .map(|id| {
            specs::find(id).ok_or_else(|| {
                let known: Vec<_> = specs::all().iter().map(|a| a.id).collect();
                usage(format!("unknown ABI `{id}`; known: {}", known.join(", ")))
            })
        })
        .collect()
}

/// Writes `text` to `dest`, or to standard output.
fn emit(dest: Option<&Path>, text: &str) -> Result<(), Failure> {
    let result = match dest {
        Some(path) => std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display())),
        None => std::io::stdout()
            .lock()
            .write_all(text.as_bytes())
            .map_err(|e| e.to_string()),
    };
    result.map_err(|e| Failure {
        code: 3,
        message: format!("writing output: {e}"),
    })
}

fn run(cli: Cli) -> Result<(), Failure> {
    let mut out = std::io::stdout().lock();
    let io = |e: std::io::Error| Failure {
        code: 3,
        message: format!("writing output: {e}"),
    };
    match cli.command {
        Command::List { abi } => {
            let abis = select(&abi.into_iter().collect::<Vec<_>>())?;
            out.write_all(list::render(&abis).as_bytes()).map_err(io)?;
        }
        Command::Spec {
            command:
                SpecCommand::Export {
                    abi,
                    format: Format::Json,
                },
        } => {
            let abis = select(&abi)?;
            let doc = abi_spec::export::SpecExport::new(&abis);
            let json = serde_json::to_string_pretty(&doc).map_err(|e| Failure {
                code: 3,
                message: format!("serialising the export: {e}"),
            })?;
            writeln!(out, "{json}").map_err(io)?;
        }
        Command::Report {
            input,
            format,
            out: dest,
        } => {
            let r = report::json::read(&input).map_err(|e| usage(e.to_string()))?;
            emit(dest.as_deref(), &format.render(&r))?;
        }
        Command::Merge { inputs, out: dest } => {
            let shards = inputs
                .iter()
                .map(|p| Ok((p.display().to_string(), report::json::read(p)?)))
                .collect::<Result<Vec<_>, report::ReadError>>()
                .map_err(|e| usage(e.to_string()))?;
            let merged = report::merge_named(shards).map_err(|e| usage(e.to_string()))?;
            emit(dest.as_deref(), &report::json::to_string(&merged))?;
        }
    }
    Ok(())
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            eprintln!("hyperabi: {}", f.message);
            ExitCode::from(f.code)
        }
    }
}

//! `hyperabi`: the command-line front of the conformance engine.
//!
//! Exit codes: 0 conformant, 1 conformance failures or regressions, 2 bad usage or bad input
//! file, 3 infrastructure error.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use conformance::{diff, list, spec_md};

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
    /// Compare two spec exports (`spec export --format json`): every change, compatible or
    /// breaking. Exits 1 when any change is breaking.
    Diff {
        old: PathBuf,
        new: PathBuf,
        #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
        format: DiffFormat,
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
        /// Write into this directory instead of stdout: `spec.json`, or one `<id>.md` per ABI
        /// and a `README.md` index.
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Json,
    /// Markdown reference pages.
    Md,
}

#[derive(Clone, Copy, ValueEnum)]
enum DiffFormat {
    Text,
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

fn run(cli: Cli) -> Result<(), Failure> {
    let mut out = std::io::stdout().lock();
    let io = |e: std::io::Error| Failure {
        code: 3,
        message: format!("writing output: {e}"),
    };
    match cli.command {
        Command::Diff { old, new, format } => {
            let load = |p: &PathBuf| diff::load(p).map_err(|e| usage(e.to_string()));
            let (o, n) = (load(&old)?, load(&new)?);
            let changes = diff::diff(&o, &n);
            let (old, new) = (old.display().to_string(), new.display().to_string());
            let text = match format {
                DiffFormat::Text => diff::render_text(&old, &new, &changes),
                DiffFormat::Json => diff::render_json(&old, &new, &changes),
            };
            out.write_all(text.as_bytes()).map_err(io)?;
            let (breaking, _) = diff::counts(&changes);
            if breaking > 0 {
                return Err(Failure {
                    code: 1,
                    message: format!("{breaking} breaking change(s) from {old} to {new}"),
                });
            }
        }
        Command::List { abi } => {
            let abis = select(&abi.into_iter().collect::<Vec<_>>())?;
            out.write_all(list::render(&abis).as_bytes()).map_err(io)?;
        }
        Command::Spec {
            command:
                SpecCommand::Export {
                    abi,
                    format,
                    out: dir,
                },
        } => {
            let abis = select(&abi)?;
            let files: Vec<(String, String)> = match format {
                Format::Json => {
                    let doc = abi_spec::export::SpecExport::new(&abis);
                    let json = serde_json::to_string_pretty(&doc).map_err(|e| Failure {
                        code: 3,
                        message: format!("serialising the export: {e}"),
                    })?;
                    vec![("spec.json".into(), format!("{json}\n"))]
                }
                Format::Md => match dir {
                    Some(_) => spec_md::pages(&abis),
                    None => vec![(String::new(), spec_md::render_all(&abis))],
                },
            };
            match dir {
                None => {
                    for (_, text) in files {
                        out.write_all(text.as_bytes()).map_err(io)?;
                    }
                }
                Some(dir) => {
                    let infra = |what: &std::path::Path, e: std::io::Error| Failure {
                        code: 3,
                        message: format!("{}: {e}", what.display()),
                    };
                    std::fs::create_dir_all(&dir).map_err(|e| infra(&dir, e))?;
                    for (name, text) in files {
                        let path = dir.join(name);
                        std::fs::write(&path, text).map_err(|e| infra(&path, e))?;
                    }
                }
            }
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

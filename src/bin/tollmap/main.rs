//! The `tollmap` binary: parses the command line, runs the library, maps errors to exit codes.
//!
//! Exit codes: 0 success; 1 finished, but a `--strict`/`--max-unresolved` policy was breached
//! (or, for `geocode`, some name did not resolve); 2 usage or fatal error.

// Unsafe code lives in `alloc` and `signals` alone, with its reasons.
#![deny(unsafe_code)]

use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;

use tollmap::gazetteer::Gazetteer;

use cli::{Cli, Command, GazetteerCommand, ImportCommand};

#[allow(unsafe_code)]
mod alloc;
mod build;
mod cli;
mod extract;
mod gazetteer;
mod geocode;
mod project;
mod refresh;
mod review;
mod serve;
#[allow(unsafe_code)]
mod signals;
mod tiles;

/// mimalloc: the extractor and the layer writers allocate many small strings; glibc's
/// allocator spent about a tenth of extraction time in malloc and free.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = match project::parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "tollmap: error: {e:#}");
            return ExitCode::from(2);
        }
    };
    alloc::purge(match cli.command {
        Command::Tiles(_) => alloc::Purge::AtOnce,
        _ => alloc::Purge::Never,
    });
    match run(&cli) {
        Ok(code) => code,
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "tollmap: error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn say(quiet: bool, msg: &str) {
    if !quiet {
        let _ = writeln!(std::io::stderr(), "{msg}");
    }
}

/// Prints what went wrong with inputs that were skipped or served from the cache; true when
/// there was any (the run then ends with exit code 1).
fn warned(warnings: &[String]) -> bool {
    for w in warnings {
        let _ = writeln!(std::io::stderr(), "tollmap: warning: {w}");
    }
    if !warnings.is_empty() {
        let _ = writeln!(
            std::io::stderr(),
            "tollmap: {} input problem(s); the other inputs were processed",
            warnings.len()
        );
    }
    !warnings.is_empty()
}

/// A progress bar on stderr for fetching and extracting, when stderr is a terminal and
/// the run is not `--quiet` (else none: one summary line says what was done). The bar is
/// returned too, to be cleared when the work is over.
fn progress_bar(
    quiet: bool,
) -> (
    Option<tollmap::util::progress::Progress>,
    Option<indicatif::ProgressBar>,
) {
    use std::io::IsTerminal;
    if quiet || !std::io::stderr().is_terminal() {
        return (None, None);
    }
    let bar = indicatif::ProgressBar::new(0);
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "tollmap: {msg:<10} [{bar:30}] {pos}/{len} ({elapsed})",
    ) {
        bar.set_style(style.progress_chars("=> "));
    }
    let drawn = bar.clone();
    let progress = tollmap::util::progress::Progress::new(move |what, done, total| {
        drawn.set_message(what);
        drawn.set_length(total as u64);
        drawn.set_position(done as u64);
    });
    (Some(progress), Some(bar))
}

/// Fails (exit 2) when a command that reads inputs was given none, directly or by a project.
fn require_inputs(args: &cli::InputArgs) -> Result<()> {
    if args.inputs.is_empty() {
        anyhow::bail!("no inputs: give files, folders or URLs, or a project file (--project FILE)");
    }
    Ok(())
}

/// How URL inputs are fetched, from the command line.
fn fetch_options(args: &cli::InputArgs) -> tollmap::ingest::fetch::FetchOptions {
    let timeout = std::time::Duration::from_secs_f64(args.timeout.clamp(0.1, 3600.0));
    tollmap::ingest::fetch::FetchOptions {
        timeout,
        connect_timeout: timeout.min(std::time::Duration::from_secs(10)),
        retries: args.retries,
        max_bytes: args.max_mb.saturating_mul(1024 * 1024),
        cache: args.cache.clone(),
        deadline: Some(std::time::Duration::from_secs_f64(
            args.fetch_deadline.clamp(1.0, 86400.0),
        )),
        host_delay: std::time::Duration::from_secs_f64(args.host_delay.clamp(0.0, 60.0)),
        ..Default::default()
    }
}

/// The bundled gazetteer with the command's overlays layered over it.
fn gazetteer_of(args: &cli::GazetteerArgs) -> Result<Gazetteer> {
    let paths: Vec<&std::path::Path> = args.overlays.iter().map(|p| p.as_path()).collect();
    let mut g = Gazetteer::bundled()?;
    if let Some(dir) = &args.world {
        g = g.with_world(dir)?;
    }
    Ok(g.with_overlays(&paths)?)
}

fn run(cli: &Cli) -> Result<ExitCode> {
    let quiet = cli.quiet;
    match &cli.command {
        Command::Build(args) => build::run(args, quiet),
        Command::Extract(args) => extract::run(args, quiet),
        Command::Geocode(args) => geocode::run(args),
        Command::Serve(args) => serve::run(args, quiet),
        Command::Tiles(args) => tiles::run(args, quiet),
        Command::Refresh(args) => refresh::run(args, quiet),
        Command::Review(args) => review::run(args, quiet),
        Command::Init(args) => project::init(args, quiet),
        Command::Gazetteer(GazetteerCommand::Stats { format }) => gazetteer::stats(*format),
        Command::Gazetteer(GazetteerCommand::Import(ImportCommand::Geonames { file, out })) => {
            gazetteer::import_geonames(file, out, quiet)
        }
        Command::Gazetteer(GazetteerCommand::Check { gazetteer, format }) => {
            gazetteer::check(gazetteer, *format, quiet)
        }
        Command::Gazetteer(GazetteerCommand::Build { data, out }) => {
            gazetteer::build(data, out, quiet)
        }
    }
}

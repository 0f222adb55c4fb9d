//! The `tollmap` binary: parses the command line, runs the library, maps errors to exit codes.
//!
//! Exit codes: 0 success; 1 finished, but a `--strict`/`--max-unresolved` policy was breached
//! (or, for `geocode`, some name did not resolve); 2 usage or fatal error.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;
use clap::Parser;

use tollmap::gazetteer::Gazetteer;

use cli::{Cli, Command, GazetteerCommand, ImportCommand};

mod build;
mod cli;
mod extract;
mod gazetteer;
mod geocode;
mod serve;
mod tiles;

/// mimalloc: the extractor and the layer writers allocate many small strings; glibc's
/// allocator spent about a tenth of extraction time in malloc and free.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

unsafe extern "C" {
    /// mimalloc's run-time options (`mi_option_t` is a C enum).
    fn mi_option_set(option: std::ffi::c_int, value: std::ffi::c_long);
}

/// `mi_option_purge_delay` in mimalloc v3's `mi_option_t`.
const MI_OPTION_PURGE_DELAY: std::ffi::c_int = 15;

fn main() -> ExitCode {
    // Freed memory is kept for reuse instead of handed back to the system after 10 ms: a build
    // frees and allocates gigabytes, and on a VM each page handed back costs a fault and a
    // clearing when it is touched again (about a sixth of a 1M-claim build's CPU time). A
    // `MIMALLOC_PURGE_DELAY` in the environment still wins.
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
        // SAFETY: sets an integer option of the allocator linked into this binary; called
        // before any thread is started.
        unsafe { mi_option_set(MI_OPTION_PURGE_DELAY, -1) };
    }
    let cli = Cli::parse();
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

/// How URL inputs are fetched, from the command line.
fn fetch_options(args: &cli::InputArgs) -> tollmap::ingest::fetch::FetchOptions {
    let timeout = std::time::Duration::from_secs_f64(args.timeout.clamp(0.1, 3600.0));
    tollmap::ingest::fetch::FetchOptions {
        timeout,
        connect_timeout: timeout.min(std::time::Duration::from_secs(10)),
        retries: args.retries,
        max_bytes: args.max_mb.saturating_mul(1024 * 1024),
        cache: args.cache.clone(),
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

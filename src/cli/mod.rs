//! The `tollmap` command line (feature `cli`): parses the arguments, runs the library, maps
//! errors to exit codes. The binary and the Python package's `tollmap` command both call
//! [`main`].
//!
//! Exit codes: 0 success; 1 finished, but a `--strict`/`--max-unresolved` policy was breached
//! (or, for `geocode`, some name did not resolve); 2 usage or fatal error.

use std::ffi::OsString;
use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;

use crate::gazetteer::Gazetteer;

use args::{Cli, Command, GazetteerCommand, ImportCommand};

// mimalloc's C interface: with `signals`, the library's only unsafe code outside `util::sys`.
#[allow(unsafe_code)]
pub mod alloc;
mod args;
mod build;
pub use build::{build_quietly, BuildReport};
mod extract;
mod gazetteer;
mod geocode;
pub use geocode::answers as geocode_answers;
mod project;
mod refresh;
mod review;
mod serve;
// Installs the handlers of SIGINT and SIGTERM during a build: the library's only unsafe code
// outside `util::sys`, with its reasons.
#[allow(unsafe_code)]
mod signals;
mod tiles;

/// A parsed command line, not yet run.
#[derive(Debug)]
pub struct Invocation {
    cli: Cli,
}

impl Invocation {
    /// Parses `args` (the program's name first), with a project's settings when `--project`
    /// names one. On a usage error, `--help` or `--version`, the message is printed and the
    /// exit code returned instead (2, or 0 for help and version).
    pub fn parse<I, T>(args: I) -> Result<Invocation, ExitCode>
    where
        I: IntoIterator<Item = T>,
        T: Into<OsString>,
    {
        match project::parse(args.into_iter().map(Into::into).collect()) {
            Ok(cli) => Ok(Invocation { cli }),
            Err(e) => Err(report_parse_error(&e)),
        }
    }

    /// True for commands that should hand freed memory back at once (the tiler frees each
    /// zoom's work before the next); the binary sets its allocator by it.
    pub fn frees_memory_at_once(&self) -> bool {
        matches!(self.cli.command, Command::Tiles(_))
    }

    /// Runs the command; errors are printed on standard error and give exit code 2.
    pub fn run(self) -> ExitCode {
        match run(&self.cli) {
            Ok(code) => code,
            Err(e) => {
                let _ = writeln!(std::io::stderr(), "tollmap: error: {e:#}");
                ExitCode::from(2)
            }
        }
    }
}

/// Parses and runs a command line (the program's name first), as the `tollmap` program does.
pub fn main<I, T>(args: I) -> ExitCode
where
    I: IntoIterator<Item = T>,
    T: Into<OsString>,
{
    match Invocation::parse(args) {
        Ok(invocation) => invocation.run(),
        Err(code) => code,
    }
}

/// [`main`], with the exit code as a number (the Python package's `tollmap` command).
pub fn main_code<I, T>(args: I) -> u8
where
    I: IntoIterator<Item = T>,
    T: Into<OsString>,
{
    let code = main(args);
    // `ExitCode` does not give its number back; the commands use 0 to 4 (README, "Exit
    // codes"), and every value is tried.
    (0..=u8::MAX)
        .find(|n| code == ExitCode::from(*n))
        .unwrap_or(2)
}

/// Prints a parse error the way clap does (help and version on standard output, exit 0) or as
/// tollmap's own error (a project file that cannot be read), and gives the exit code.
fn report_parse_error(e: &anyhow::Error) -> ExitCode {
    if let Some(clap_error) = e.downcast_ref::<clap::Error>() {
        let _ = clap_error.print();
        return ExitCode::from(if clap_error.use_stderr() { 2 } else { 0 });
    }
    let _ = writeln!(std::io::stderr(), "tollmap: error: {e:#}");
    ExitCode::from(2)
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
    Option<crate::util::progress::Progress>,
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
    let progress = crate::util::progress::Progress::new(move |what, done, total| {
        drawn.set_message(what);
        drawn.set_length(total as u64);
        drawn.set_position(done as u64);
    });
    (Some(progress), Some(bar))
}

/// Fails (exit 2) when a command that reads inputs was given none, directly or by a project.
fn require_inputs(args: &args::InputArgs) -> Result<()> {
    if args.inputs.is_empty() {
        anyhow::bail!("no inputs: give files, folders or URLs, or a project file (--project FILE)");
    }
    Ok(())
}

/// How URL inputs are fetched, from the command line.
fn fetch_options(args: &args::InputArgs) -> crate::ingest::fetch::FetchOptions {
    let timeout = std::time::Duration::from_secs_f64(args.timeout.clamp(0.1, 3600.0));
    crate::ingest::fetch::FetchOptions {
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
fn gazetteer_of(args: &args::GazetteerArgs) -> Result<Gazetteer> {
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

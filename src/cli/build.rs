//! `tollmap build`: inputs in, the output folder written (layers, tables, tiles, page).

use std::io::Write as _;
use std::process::ExitCode;

use anyhow::{Context as _, Result};

use crate::Pipeline;

use super::args::BuildArgs;
use super::{fetch_options, gazetteer_of, say, warned};
use crate::util::report::counted;

/// Runs `build`.
pub fn run(args: &BuildArgs, quiet: bool) -> Result<ExitCode> {
    super::require_inputs(&args.input)?;
    // Held until the process ends: a second build into the same folder is refused.
    let _lock = crate::output::OutputLock::take(&args.out)?;
    // Outputs are staged inside the folder; what a killed build left there goes now, and
    // Ctrl-C or SIGTERM removes this build's before the process ends.
    let staging = crate::output::Staging::create(&args.out)?;
    super::signals::remove_on_stop(staging.path().to_path_buf())?;
    let (progress, bar) = super::progress_bar(quiet);
    let pipeline = pipeline_of(args)?.progress(progress);
    let run = pipeline.build(&args.input.inputs);
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    report_and_exit(args, run?, quiet)
}

/// The pipeline a build's options make.
pub fn pipeline_of(args: &BuildArgs) -> Result<Pipeline> {
    Ok(
        Pipeline::with_gazetteer(gazetteer_of(&args.input.gazetteer)?)
            .published(args.input.published)
            .fetch(fetch_options(&args.input))
            .period(args.period)
            .event_rules(crate::aggregate::EventRules {
                distance_km: args.event_km.max(0.0),
                window_days: args.event_days.max(0),
                same_district: !args.no_district_events,
            })
            .tiles((!args.no_tiles).then(|| crate::output::build_tile_options(args.tiles_max_zoom)))
            .mbtiles(args.mbtiles)
            .web((!args.no_web).then(|| crate::output::web::WebOptions {
                assets: args.web_assets.clone(),
            }))
            .corrections(
                args.corrections
                    .as_deref()
                    .map(crate::corrections::Corrections::read)
                    .transpose()?,
            ),
    )
}

/// Says what the corrections did; true when some were not applied (each named, as a
/// warning: exit code 1).
pub fn corrections_said(report: Option<&crate::pipeline::CorrectionsReport>, quiet: bool) -> bool {
    let Some(r) = report else { return false };
    say(
        quiet,
        &format!(
            "tollmap: {}: {} of {} applied ({} rejected)",
            r.path.display(),
            r.applied,
            counted(r.rows, "correction"),
            counted(r.rejected, "claim")
        ),
    );
    if r.not_applied.is_empty() {
        return false;
    }
    let shown: Vec<&str> = r.not_applied.iter().take(10).map(String::as_str).collect();
    let _ = writeln!(
        std::io::stderr(),
        "tollmap: warning: {} not applied (their claims are gone, or a link between claims cannot be followed; see {}): {}{}",
        counted(r.not_applied.len(), "correction"),
        crate::corrections::UNMATCHED_FILE,
        shown.join(", "),
        if r.not_applied.len() > shown.len() { ", …" } else { "" }
    );
    true
}

/// What a build made and why its exit code is what it is: the CLI prints it, the Python
/// package's `tollmap.build` returns it.
#[derive(Debug, Clone)]
pub struct BuildReport {
    /// The output folder.
    pub out: std::path::PathBuf,
    /// What the build counted.
    pub counts: crate::output::Counts,
    /// Files skipped inside folders (not a type tollmap reads).
    pub skipped: Vec<std::path::PathBuf>,
    /// Inputs that failed or were served from the cache (the others were built).
    pub warnings: Vec<String>,
    /// What the corrections did, when a file was given.
    pub corrections: Option<crate::pipeline::CorrectionsReport>,
    /// Unresolved place mentions over the `--strict`/`--max-unresolved` limit: the limit.
    pub unresolved_over: Option<usize>,
    /// 0, or 1 when inputs failed, corrections were not applied or the limit was passed.
    pub exit_code: u8,
}

/// Writes a build's files into `args.out` and says what it made, without printing.
pub fn finish(args: &BuildArgs, run: crate::BuildRun) -> Result<BuildReport> {
    let t0 = std::time::Instant::now();
    run.files
        .write(&args.out)
        .with_context(|| format!("writing outputs to {}", args.out.display()))?;
    crate::util::timing::phase("moved into place", t0);
    let counts = run.files.counts;
    let limit = if args.strict {
        Some(0)
    } else {
        args.max_unresolved
    };
    let unresolved_over = limit.filter(|max| counts.unresolved_mentions > *max);
    let unmatched = run
        .corrections
        .as_ref()
        .is_some_and(|r| !r.not_applied.is_empty());
    let exit_code =
        u8::from(!run.ingested.warnings.is_empty() || unmatched || unresolved_over.is_some());
    let report = BuildReport {
        out: args.out.clone(),
        counts,
        skipped: run.ingested.skipped.clone(),
        warnings: run.ingested.warnings.clone(),
        corrections: run.corrections.clone(),
        unresolved_over,
        exit_code,
    };
    // The files are in place: freeing a million claims one allocation at a time
    // would only cost time (seconds) before the process ends.
    std::mem::forget(run);
    Ok(report)
}

/// Builds as `tollmap build` does, without printing or handling signals: the Python
/// package's `tollmap.build`. `argv` are the arguments after `build`.
pub fn build_quietly(argv: &[std::ffi::OsString]) -> Result<BuildReport> {
    let mut all: Vec<std::ffi::OsString> = vec!["tollmap".into(), "build".into()];
    all.extend_from_slice(argv);
    let cli = super::project::parse(all)?;
    let super::args::Command::Build(args) = &cli.command else {
        anyhow::bail!("not a build");
    };
    super::require_inputs(&args.input)?;
    let _lock = crate::output::OutputLock::take(&args.out)?;
    let _staging = crate::output::Staging::create(&args.out)?;
    let run = pipeline_of(args)?.build(&args.input.inputs)?;
    finish(args, run)
}

/// Writes a build's files, says what it made and gives the exit code (1 when inputs failed
/// or the unresolved limit was passed).
pub fn report_and_exit(args: &BuildArgs, run: crate::BuildRun, quiet: bool) -> Result<ExitCode> {
    let r = finish(args, run)?;
    for skipped in &r.skipped {
        say(
            quiet,
            &format!(
                "tollmap: skipped {} (not .txt, .md, .jsonl, .html, .xml or .csv)",
                skipped.display()
            ),
        );
    }
    let c = r.counts;
    say(
        quiet,
        &format!(
            "tollmap: {}, {} ({} on the map, {} cumulative), {}, {}, {} -> {}",
            counted(c.documents, "document"),
            counted(c.claims, "claim"),
            c.claims_on_map,
            c.cumulative_claims,
            counted(c.events, "event"),
            counted(c.place_periods, "place-period"),
            counted(c.unresolved_mentions, "unresolved mention"),
            args.out.display()
        ),
    );
    let unmatched = corrections_said(r.corrections.as_ref(), quiet);
    let warned_inputs = warned(&r.warnings) | unmatched;
    if warned_inputs {
        return Ok(ExitCode::from(1));
    }
    if let Some(max) = r.unresolved_over {
        say(
            quiet,
            &format!(
                "tollmap: {} unresolved place mentions exceed the limit of {max} (see unresolved.csv)",
                c.unresolved_mentions
            ),
        );
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

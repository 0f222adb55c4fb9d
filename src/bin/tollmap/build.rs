//! `tollmap build`: inputs in, the output folder written (layers, tables, tiles, page).

use std::io::Write as _;
use std::process::ExitCode;

use anyhow::{Context as _, Result};

use tollmap::Pipeline;

use crate::cli::BuildArgs;
use crate::{fetch_options, gazetteer_of, say, warned};
use tollmap::util::report::counted;

/// Runs `build`.
pub fn run(args: &BuildArgs, quiet: bool) -> Result<ExitCode> {
    crate::require_inputs(&args.input)?;
    // Held until the process ends: a second build into the same folder is refused.
    let _lock = tollmap::output::OutputLock::take(&args.out)?;
    // Outputs are staged inside the folder; what a killed build left there goes now, and
    // Ctrl-C or SIGTERM removes this build's before the process ends.
    let staging = tollmap::output::Staging::create(&args.out)?;
    crate::signals::remove_on_stop(staging.path().to_path_buf())?;
    let (progress, bar) = crate::progress_bar(quiet);
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
            .event_rules(tollmap::aggregate::EventRules {
                distance_km: args.event_km.max(0.0),
                window_days: args.event_days.max(0),
                same_district: !args.no_district_events,
            })
            .tiles(
                (!args.no_tiles).then(|| tollmap::output::build_tile_options(args.tiles_max_zoom)),
            )
            .mbtiles(args.mbtiles)
            .web((!args.no_web).then(|| tollmap::output::web::WebOptions {
                assets: args.web_assets.clone(),
            }))
            .corrections(
                args.corrections
                    .as_deref()
                    .map(tollmap::corrections::Corrections::read)
                    .transpose()?,
            ),
    )
}

/// Says what the corrections did; true when some were not applied (each named, as a
/// warning: exit code 1).
pub fn corrections_said(
    report: Option<&tollmap::pipeline::CorrectionsReport>,
    quiet: bool,
) -> bool {
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
        tollmap::corrections::UNMATCHED_FILE,
        shown.join(", "),
        if r.not_applied.len() > shown.len() { ", …" } else { "" }
    );
    true
}

/// Writes a build's files, says what it made and gives the exit code (1 when inputs failed
/// or the unresolved limit was passed).
pub fn report_and_exit(args: &BuildArgs, run: tollmap::BuildRun, quiet: bool) -> Result<ExitCode> {
    for skipped in &run.ingested.skipped {
        say(
            quiet,
            &format!(
                "tollmap: skipped {} (not .txt, .md, .jsonl, .html, .xml or .csv)",
                skipped.display()
            ),
        );
    }
    let t0 = std::time::Instant::now();
    run.files
        .write(&args.out)
        .with_context(|| format!("writing outputs to {}", args.out.display()))?;
    tollmap::util::timing::phase("moved into place", t0);
    let c = run.files.counts;
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
    let unmatched = corrections_said(run.corrections.as_ref(), quiet);
    let warned_inputs = warned(&run.ingested.warnings) | unmatched;
    // The files are in place: freeing a million claims one allocation at a time
    // would only cost time (seconds) before the process ends.
    std::mem::forget(run);
    if warned_inputs {
        return Ok(ExitCode::from(1));
    }
    let limit = if args.strict {
        Some(0)
    } else {
        args.max_unresolved
    };
    if let Some(max) = limit {
        if c.unresolved_mentions > max {
            say(
                quiet,
                &format!(
                    "tollmap: {} unresolved place mentions exceed the limit of {max} (see unresolved.csv)",
                    c.unresolved_mentions
                ),
            );
            return Ok(ExitCode::from(1));
        }
    }
    Ok(ExitCode::SUCCESS)
}

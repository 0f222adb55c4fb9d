//! `tollmap refresh`: the sources into the archive, the layers from the whole archive, and
//! `changes.json` / `changes.md` saying what moved.

use crate::util::report::counted;
use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context as _, Result};

use crate::archive::Archive;
use crate::refresh::{layers_differ, refresh, Changes, RefreshError, Snapshot};

use super::args::RefreshArgs;
use super::{say, warned};

/// Exit code: `--check` found the layers would change.
const CHANGED: u8 = 3;
/// Exit code: every source failed and the archive holds nothing.
const NOTHING: u8 = 4;

/// Runs `refresh`.
pub fn run(args: &RefreshArgs, quiet: bool) -> Result<ExitCode> {
    let b = &args.build;
    let archive_path = args
        .archive
        .clone()
        .unwrap_or_else(|| PathBuf::from(crate::project::DEFAULT_ARCHIVE));
    let mut archive = Archive::open(&archive_path)?;
    // The output folder is taken (and staged into) only when it will be written.
    let _lock = (!args.check)
        .then(|| crate::output::OutputLock::take(&b.out))
        .transpose()?;
    let staging = (!args.check)
        .then(|| crate::output::Staging::create(&b.out))
        .transpose()?;
    if let Some(s) = &staging {
        super::signals::remove_on_stop(s.path().to_path_buf())?;
    }
    let (progress, bar) = super::progress_bar(quiet);
    let pipeline = super::build::pipeline_of(b)?.progress(progress);
    let now = jiff::Timestamp::now().to_string();
    let t0 = std::time::Instant::now();
    // The previous layers are read while the sources are fetched and the archive read.
    let (before, refreshed) = std::thread::scope(|s| {
        let before = s.spawn(|| {
            let snapshot = Snapshot::of_folder(&b.out);
            crate::util::timing::phase("the previous layers read", t0);
            snapshot
        });
        let refreshed = refresh(&pipeline, &mut archive, &b.input.inputs, args.offline, &now);
        (before.join(), refreshed)
    });
    let before = before.map_err(|_| anyhow::anyhow!("reading the previous layers failed"))?;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    let (run, report) = match refreshed {
        Ok(done) => done,
        Err(RefreshError::NothingToBuild(e)) => {
            let _ = writeln!(
                std::io::stderr(),
                "tollmap: error: every source failed and {} holds no documents: {}",
                archive_path.display(),
                crate::util::report::chain(&e)
            );
            return Ok(ExitCode::from(NOTHING));
        }
        Err(e) => return Err(e.into()),
    };
    let counts = format!(
        "{} new, {} changed, {} unchanged documents; {} extracted, {} in the archive",
        report.added, report.changed, report.unchanged, report.extracted, report.documents
    );
    if args.check {
        archive.roll_back()?;
        let differ = layers_differ(&before, &run.files);
        say(
            quiet,
            &format!(
                "tollmap: {counts}; the layers {}",
                if differ {
                    "would change"
                } else {
                    "would not change"
                }
            ),
        );
        return Ok(ExitCode::from(if differ { CHANGED } else { 0 }));
    }
    run.files
        .write(&b.out)
        .with_context(|| format!("writing outputs to {}", b.out.display()))?;
    let run_corrections = run.corrections.clone();
    crate::util::timing::phase("written", t0);
    let after = Snapshot::of_folder(&b.out);
    let changes = Changes::between(&before, &after, &report, archive.not_seen_at(&now)?);
    crate::util::timing::phase("changes", t0);
    let json = serde_json::to_vec_pretty(&changes).context("changes.json")?;
    for (name, bytes) in [
        ("changes.json", json),
        ("changes.md", changes.markdown().into_bytes()),
    ] {
        let path = b.out.join(name);
        crate::util::atomic::write(&path, &bytes).with_context(|| path.display().to_string())?;
    }
    // The archive keeps the run only once its layers are in place: a run killed before
    // this leaves the archive as it was.
    archive.commit()?;
    crate::util::timing::phase("archive committed", t0);
    say(
        quiet,
        &format!(
            "tollmap: {counts}; {} added, {} removed, {} place and area totals moved -> {}",
            counted(changes.claims_added.len(), "claim"),
            changes.claims_removed.len(),
            changes.moved.len(),
            b.out.display()
        ),
    );
    drop(staging);
    let unmatched = super::build::corrections_said(run_corrections.as_ref(), quiet);
    Ok(ExitCode::from(u8::from(
        warned(&report.warnings) | unmatched,
    )))
}

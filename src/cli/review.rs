//! `tollmap review`: the review sheet of the inputs' claims (review.csv and review.html).

use std::process::ExitCode;

use anyhow::{Context as _, Result};

use crate::review::{self, ReviewOptions};
use crate::Pipeline;

use super::args::ReviewArgs;
use super::{fetch_options, gazetteer_of, say, warned};
use crate::util::report::counted;

/// Runs `review`.
pub fn run(args: &ReviewArgs, quiet: bool) -> Result<ExitCode> {
    super::require_inputs(&args.input)?;
    let corrections = args
        .corrections
        .as_deref()
        .map(crate::corrections::Corrections::read)
        .transpose()?;
    let (progress, bar) = super::progress_bar(quiet);
    let pipeline = Pipeline::with_gazetteer(gazetteer_of(&args.input.gazetteer)?)
        .published(args.input.published)
        .fetch(fetch_options(&args.input))
        .progress(progress);
    let mut ingested = pipeline.ingest(&args.input.inputs)?;
    let mut claims = pipeline.extract(&ingested.documents);
    claims.extend(pipeline.resolve_table_claims(
        std::mem::take(&mut ingested.claims),
        &std::mem::take(&mut ingested.claims_placed),
    ));
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    let mut report = None;
    let mut unmatched_csv = None;
    if let Some(c) = &corrections {
        let applied = c.apply(&mut claims, pipeline.gazetteer());
        report = Some(crate::pipeline::CorrectionsReport::of(c, &applied));
        let mut csv = Vec::new();
        crate::corrections::unmatched_csv(&applied.not_applied, &mut csv)?;
        unmatched_csv = Some(csv);
    }
    let docs: Vec<&crate::model::Document> = ingested
        .documents
        .iter()
        .chain(&ingested.table_documents)
        .collect();
    let opts = ReviewOptions {
        limit: (args.limit > 0).then_some(args.limit),
        below: args.below,
    };
    let sheet = review::sheet(&claims, &docs, &opts);
    review::write(&args.out, &sheet).context("writing the review sheet")?;
    if let Some(csv) = unmatched_csv {
        let path = args.out.join(crate::corrections::UNMATCHED_FILE);
        crate::util::atomic::write(&path, &csv)
            .with_context(|| format!("writing {}", path.display()))?;
    }
    say(
        quiet,
        &format!(
            "tollmap: {} of {} to review -> {}",
            sheet.len(),
            counted(claims.len(), "claim"),
            args.out.join("review.html").display()
        ),
    );
    let warned = warned(&ingested.warnings);
    let unmatched = super::build::corrections_said(report.as_ref(), quiet);
    Ok(if warned || unmatched {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

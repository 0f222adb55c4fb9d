//! `tollmap extract`: the claims of the inputs, as JSON, JSON Lines or text on standard output.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;

use crate::Pipeline;

use super::args::{ExtractArgs, Format};
use super::{fetch_options, gazetteer_of, say, warned};
use crate::util::report::counted;

/// Runs `extract`.
pub fn run(args: &ExtractArgs, quiet: bool) -> Result<ExitCode> {
    super::require_inputs(&args.input)?;
    let (progress, bar) = super::progress_bar(quiet);
    let pipeline = Pipeline::with_gazetteer(gazetteer_of(&args.input.gazetteer)?)
        .published(args.input.published)
        .fetch(fetch_options(&args.input))
        .progress(progress);
    let ingested = pipeline.ingest(&args.input.inputs)?;
    // Not locked: the writer runs on a worker thread while the next documents are
    // extracted.
    let mut out = std::io::BufWriter::new(std::io::stdout());
    let table = pipeline.table_claims(&ingested.claims, &ingested.claims_placed);
    let count = match args.format {
        // One JSON document needs every claim at once.
        Format::Json => {
            let mut claims = pipeline.extract(&ingested.documents);
            claims.extend(table);
            writeln!(out, "{}", serde_json::to_string_pretty(&claims)?)?;
            claims.len()
        }
        // Lines are written as each document is done: memory holds one document's
        // claims, not the corpus's.
        format => {
            let mut write = |claims: &[crate::model::Claim]| {
                for c in claims {
                    if format == Format::Jsonl {
                        serde_json::to_writer(&mut out, c)?;
                        out.write_all(b"\n")?;
                        continue;
                    }
                    writeln!(out, "{}\t{}", c.id, c.summary())?;
                }
                Ok::<(), anyhow::Error>(())
            };
            let n = pipeline.extract_each(&ingested.documents, &mut write)?;
            write(&table)?;
            n + table.len()
        }
    };
    out.flush()?;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    say(
        quiet,
        &format!(
            "tollmap: {}, {}",
            counted(ingested.documents.len(), "document"),
            counted(count, "claim")
        ),
    );
    let code = if warned(&ingested.warnings) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    };
    // The process ends here: freeing the corpus and the gazetteer one allocation at
    // a time would only cost time.
    std::mem::forget(ingested);
    std::mem::forget(pipeline);
    Ok(code)
}

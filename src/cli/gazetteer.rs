//! `tollmap gazetteer`: the gazetteer's counts, its checks, and rebuilding or importing one.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;
use serde_json::json;

use crate::gazetteer::Gazetteer;

use super::args::{Format, GazetteerArgs};
use super::{gazetteer_of, say};

/// Runs `gazetteer stats`.
pub fn stats(format: Format) -> Result<ExitCode> {
    let gaz = Gazetteer::bundled()?;
    let mut by_kind: std::collections::BTreeMap<&str, usize> = Default::default();
    let mut syrian = 0;
    for e in gaz.iter() {
        *by_kind.entry(e.kind.as_str()).or_default() += 1;
        syrian += usize::from(e.country == "SY");
    }
    let stats = json!({
        "entries": gaz.len(), "names": gaz.name_count(), "syrian": syrian,
        "foreign": gaz.len() - syrian, "by_kind": by_kind, "version": gaz.version(),
    });
    match format {
        Format::Text => {
            println!(
                "entries\t{}\nnames\t{}\nsyrian\t{syrian}\nforeign\t{}\nversion\t{}",
                gaz.len(),
                gaz.name_count(),
                gaz.len() - syrian,
                gaz.version()
            );
            for (k, n) in by_kind {
                println!("kind:{k}\t{n}");
            }
        }
        _ => println!("{stats}"),
    }
    Ok(ExitCode::SUCCESS)
}

/// Runs `gazetteer import geonames`.
pub fn import_geonames(file: &str, out: &Path, quiet: bool) -> Result<ExitCode> {
    let started = std::time::Instant::now();
    let report = crate::bundle::import::import_geonames(file, out)?;
    say(
        quiet,
        &format!(
            "tollmap: imported {} places ({} names, {} distinct keys) from {} into {} in {:.1} s",
            report.entries,
            report.names,
            report.keys,
            file,
            out.display(),
            started.elapsed().as_secs_f64()
        ),
    );
    Ok(ExitCode::SUCCESS)
}

/// Runs `gazetteer check`.
pub fn check(gazetteer: &GazetteerArgs, format: Format, quiet: bool) -> Result<ExitCode> {
    let g = gazetteer_of(gazetteer)?;
    let problems = g.check();
    match format {
        Format::Text => {
            for p in &problems {
                println!("{}\t{}", p.id, p.message);
            }
        }
        Format::Jsonl => {
            for p in &problems {
                println!("{}", serde_json::to_string(p)?);
            }
        }
        Format::Json => println!("{}", serde_json::to_string_pretty(&problems)?),
    }
    say(
        quiet,
        &format!(
            "tollmap: {} entries checked ({} overlay), {} problems",
            g.len(),
            g.overlay_len(),
            problems.len()
        ),
    );
    Ok(if problems.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// Runs `gazetteer build`.
pub fn build(data: &Path, out: &Path, quiet: bool) -> Result<ExitCode> {
    let report = crate::bundle::build::write_bundle(data, out)?;
    say(
        quiet,
        &format!(
            "tollmap: wrote {} ({} Syrian, {} foreign entries; {} records merged, {} outside Syria dropped) by kind {:?}",
            out.join("places.tsv").display(),
            report.syrian,
            report.foreign,
            report.merged,
            report.outside_syria,
            report.by_kind
        ),
    );
    Ok(ExitCode::SUCCESS)
}

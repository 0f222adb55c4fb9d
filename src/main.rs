//! The `tollmap` binary: parses the command line, runs the library, maps errors to exit codes.
//!
//! Exit codes: 0 success; 1 finished, but a `--strict`/`--max-unresolved` policy was breached
//! (or, for `geocode`, some name did not resolve); 2 usage or fatal error.

use std::io::Write;
use std::process::ExitCode;

use anyhow::{Context as _, Result};
use clap::Parser;
use serde_json::json;

use tollmap::cli::{Cli, Command, Format, GazetteerCommand, ImportCommand};
use tollmap::gazetteer::{self, Gazetteer};
use tollmap::Pipeline;

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
fn fetch_options(args: &tollmap::cli::InputArgs) -> tollmap::ingest::fetch::FetchOptions {
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
fn gazetteer_of(args: &tollmap::cli::GazetteerArgs) -> Result<Gazetteer> {
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
        Command::Build(args) => {
            let pipeline = Pipeline::with_gazetteer(gazetteer_of(&args.input.gazetteer)?)
                .published(args.input.published)
                .fetch(fetch_options(&args.input))
                .period(args.period)
                .event_rules(tollmap::aggregate::EventRules {
                    distance_km: args.event_km.max(0.0),
                    window_days: args.event_days.max(0),
                    same_district: !args.no_district_events,
                })
                .tiles(
                    (!args.no_tiles)
                        .then(|| tollmap::output::build_tile_options(args.tiles_max_zoom)),
                )
                .web((!args.no_web).then(|| tollmap::output::web::WebOptions {
                    assets: args.web_assets.clone(),
                }));
            let run = pipeline.build(&args.input.inputs)?;
            for skipped in &run.ingested.skipped {
                say(
                    quiet,
                    &format!(
                        "tollmap: skipped {} (not .txt, .md, .jsonl, .html or .csv)",
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
                    "tollmap: {} documents, {} claims ({} on the map, {} cumulative), {} events, {} place-periods, {} unresolved mentions -> {}",
                    c.documents,
                    c.claims,
                    c.claims_on_map,
                    c.cumulative_claims,
                    c.events,
                    c.place_periods,
                    c.unresolved_mentions,
                    args.out.display()
                ),
            );
            let warned_inputs = warned(&run.ingested.warnings);
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
        Command::Extract(args) => {
            let pipeline = Pipeline::with_gazetteer(gazetteer_of(&args.input.gazetteer)?)
                .published(args.input.published)
                .fetch(fetch_options(&args.input));
            let ingested = pipeline.ingest(&args.input.inputs)?;
            // Not locked: the writer runs on a worker thread while the next documents are
            // extracted.
            let mut out = std::io::BufWriter::new(std::io::stdout());
            let table = pipeline.table_claims(&ingested.claims);
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
                    let mut write = |claims: &[tollmap::model::Claim]| {
                        for c in claims {
                            if format == Format::Jsonl {
                                serde_json::to_writer(&mut out, c)?;
                                out.write_all(b"\n")?;
                                continue;
                            }
                            let place = c
                                .event_place()
                                .and_then(|p| p.name.clone())
                                .unwrap_or_else(|| "(no place)".into());
                            writeln!(
                                out,
                                "{}\t{} {} {} at {} [{}]{}",
                                c.id,
                                c.count.text,
                                c.victims.as_str(),
                                c.outcome.as_str(),
                                place,
                                c.scope.as_str(),
                                c.claimant
                                    .as_deref()
                                    .map(|s| format!(" according to {s}"))
                                    .unwrap_or_default()
                            )?;
                        }
                        Ok::<(), anyhow::Error>(())
                    };
                    let n = pipeline.extract_each(&ingested.documents, &mut write)?;
                    write(&table)?;
                    n + table.len()
                }
            };
            out.flush()?;
            say(
                quiet,
                &format!(
                    "tollmap: {} documents, {} claims",
                    ingested.documents.len(),
                    count
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
        Command::Geocode(args) => {
            let gaz = gazetteer_of(&args.gazetteer)?;
            let text_places = args
                .context
                .as_deref()
                .map(|t| tollmap::extract::TextPlaces::of_text(t, &gaz))
                .unwrap_or_default();
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            let mut all = true;
            for name in &args.names {
                let ctx = text_places.context_without(name);
                let answer = gaz.look_up(name, &ctx);
                let cands = answer.candidates;
                let phrase = answer.landmark_to_add;
                let landmark_fallback = answer.fallback;
                let best = cands.first();
                all &= best.is_some();
                let alts: Vec<serde_json::Value> = cands
                    .iter()
                    .skip(1)
                    .take(args.alternatives)
                    .map(|c| {
                        json!({"name": c.entry.name, "gazetteer_id": c.entry.id, "lat": c.entry.lat,
                               "lon": c.entry.lon, "kind": c.entry.kind, "admin1": c.entry.admin1,
                               "country": c.entry.country, "score": (c.score * 1000.0).round() / 1000.0})
                    })
                    .collect();
                // Nothing fits: with a context, the place the context is about (precision 2).
                let fallback = if best.is_none() {
                    landmark_fallback.or(ctx.anchor.as_ref())
                } else {
                    None
                };
                let line = match (best, fallback) {
                    (Some(c), _) => json!({
                        "query": name, "name": c.entry.name, "gazetteer_id": c.entry.id,
                        "lat": c.entry.lat, "lon": c.entry.lon, "kind": c.entry.kind,
                        "admin1": c.entry.admin1, "admin2": c.entry.admin2, "country": c.entry.country,
                        "precision": c.entry.kind.precision(),
                        "score": (c.score * 1000.0).round() / 1000.0, "alternatives": alts,
                        "fallback": false,
                        "near": c.entry.site.as_ref().and_then(|s| s.near.as_deref()),
                        "radius_m": c.entry.site.as_ref().and_then(|s| s.radius_m),
                        "weak_source": c.entry.weak_source(),
                    }),
                    (None, Some(e)) => json!({
                        "query": name, "name": e.name, "gazetteer_id": e.id,
                        "lat": e.lat, "lon": e.lon, "kind": e.kind,
                        "admin1": e.admin1, "admin2": e.admin2, "country": e.country,
                        "precision": gazetteer::FALLBACK_PRECISION, "score": null,
                        "alternatives": [], "fallback": true,
                        "landmark_to_add": phrase.map(|k| k.as_str()),
                    }),
                    (None, None) => json!({
                        "query": name, "name": null, "gazetteer_id": null, "lat": null, "lon": null,
                        "kind": null, "admin1": null, "admin2": null, "country": null,
                        "precision": null, "score": null, "alternatives": [], "fallback": false,
                    }),
                };
                match args.format {
                    Format::Text => match best {
                        None if fallback.is_some() => writeln!(
                            out,
                            "{name}\t(not found; within about 25 km of {}){}",
                            fallback.map(|e| e.name.as_str()).unwrap_or_default(),
                            match phrase {
                                Some(k) => format!("\t{} to add", k.label()),
                                None => String::new(),
                            }
                        )?,
                        Some(c) => writeln!(
                            out,
                            "{name}\t{}\t{}\t{:.5}, {:.5}\t{}\t{}",
                            c.entry.name,
                            c.entry.id,
                            c.entry.lat,
                            c.entry.lon,
                            kind_text(c.entry),
                            c.entry.admin1.as_deref().unwrap_or(&c.entry.country)
                        )?,
                        None => writeln!(out, "{name}\t(not found)")?,
                    },
                    _ => writeln!(out, "{line}")?,
                }
            }
            out.flush()?;
            Ok(if all {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
        Command::Serve(args) => {
            tollmap::serve::serve(&args.dir, &args.bind, args.port, |url| {
                // The URL goes to stdout (scripts read it); it is flushed at once.
                let mut out = std::io::stdout();
                let _ = writeln!(out, "{url}");
                let _ = out.flush();
                say(
                    quiet,
                    &format!(
                        "tollmap: serving {} at {url} (Ctrl-C stops)",
                        args.dir.display()
                    ),
                );
            })
            .with_context(|| format!("serving {}", args.dir.display()))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Tiles(args) => {
            let opts = tollmap::tiles::TileOptions {
                min_zoom: args.min_zoom,
                max_zoom: args.max_zoom,
                cluster_distance: args.cluster_distance,
                buffer: args.buffer,
                max_tile_bytes: args.max_tile_bytes,
                accumulate: args.accumulate.clone(),
                attribution: args.attribution.clone(),
                ..Default::default()
            };
            let started = std::time::Instant::now();
            let (layers, stats) = tollmap::tiles::tile_files(
                &args.inputs,
                args.layer.as_deref(),
                &args.output,
                &opts,
            )?;
            for l in &layers {
                if l.skipped > 0 {
                    say(
                        quiet,
                        &format!(
                            "tollmap: layer {}: {} features without a point or polygon geometry left out",
                            l.name, l.skipped
                        ),
                    );
                }
            }
            if stats.over_cap > 0 {
                say(
                    quiet,
                    &format!(
                        "tollmap: warning: {} tiles stay over {} bytes (their polygons alone)",
                        stats.over_cap, args.max_tile_bytes
                    ),
                );
            }
            let points: usize = layers.iter().map(|l| l.points).sum();
            let polygons: usize = layers.iter().map(|l| l.polygons).sum();
            say(
                quiet,
                &format!(
                    "tollmap: {points} points, {polygons} polygons in {} layers -> {} tiles, zooms {}-{} ({} clustered harder to fit) -> {} in {:.2} s",
                    layers.len(),
                    stats.tiles,
                    args.min_zoom,
                    args.max_zoom,
                    stats.reclustered,
                    args.output.display(),
                    started.elapsed().as_secs_f64()
                ),
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Gazetteer(GazetteerCommand::Stats { format }) => {
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
        Command::Gazetteer(GazetteerCommand::Import(ImportCommand::Geonames { file, out })) => {
            let started = std::time::Instant::now();
            let report = tollmap::bundle::import::import_geonames(file, out)?;
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
        Command::Gazetteer(GazetteerCommand::Check { gazetteer, format }) => {
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
        Command::Gazetteer(GazetteerCommand::Build { data, out }) => {
            let report = tollmap::bundle::build::write_bundle(data, out)?;
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
    }
}

/// A place's kind for text output: "airbase, near Kuweires Sharqi, within 1500 m, weak
/// source" for a landmark, the kind alone for the rest.
fn kind_text(e: &gazetteer::Entry) -> String {
    let mut out = e.kind.label();
    if let Some(site) = &e.site {
        if let Some(near) = &site.near {
            out.push_str(&format!(", near {near}"));
        }
        if let Some(r) = site.radius_m {
            out.push_str(&format!(", within {r} m"));
        }
    }
    if e.weak_source() {
        out.push_str(", weak source");
    }
    out
}

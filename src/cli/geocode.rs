//! `tollmap geocode`: what the resolver answers for place names.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;
use serde_json::json;

use crate::gazetteer;

use super::args::{Format, GeocodeArgs};
use super::gazetteer_of;

/// Runs `geocode`.
pub fn run(args: &GeocodeArgs) -> Result<ExitCode> {
    let gaz = gazetteer_of(&args.gazetteer)?;
    let text_places = args
        .context
        .as_deref()
        .map(|t| crate::extract::TextPlaces::of_text(t, &gaz))
        .unwrap_or_default();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let mut all = true;
    for name in &args.names {
        let a = answer(&gaz, &text_places, name, args.alternatives);
        all &= a.found;
        match args.format {
            Format::Text => writeln!(out, "{}", a.text)?,
            _ => writeln!(out, "{}", a.json)?,
        }
    }
    out.flush()?;
    Ok(if all {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// The resolver's answer for each of `names`, as `tollmap geocode --format jsonl` writes
/// them (one JSON object each): the best candidate and up to `alternatives` others, or the
/// place `context` (a text the names come from) is about when nothing fits, or nulls.
pub fn answers(
    gaz: &gazetteer::Gazetteer,
    names: &[String],
    context: Option<&str>,
    alternatives: usize,
) -> Vec<serde_json::Value> {
    let text_places = context
        .map(|t| crate::extract::TextPlaces::of_text(t, gaz))
        .unwrap_or_default();
    names
        .iter()
        .map(|name| answer(gaz, &text_places, name, alternatives).json)
        .collect()
}

/// One name's answer, as JSON and as a line of text.
struct Answer {
    json: serde_json::Value,
    text: String,
    /// A candidate fits (a fallback to the context's place does not count).
    found: bool,
}

fn answer(
    gaz: &gazetteer::Gazetteer,
    text_places: &crate::extract::TextPlaces,
    name: &str,
    alternatives: usize,
) -> Answer {
    let ctx = text_places.context_without(name);
    let answer = gaz.look_up(name, &ctx);
    let cands = answer.candidates;
    let phrase = answer.landmark_to_add;
    let landmark_fallback = answer.fallback;
    let best = cands.first();
    let alts: Vec<serde_json::Value> = cands
        .iter()
        .skip(1)
        .take(alternatives)
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
    let json = match (best, fallback) {
        (Some(c), _) => json!({
            "query": name, "name": c.entry.name, "gazetteer_id": c.entry.id,
            "lat": c.entry.lat, "lon": c.entry.lon, "kind": c.entry.kind,
            "admin1": c.entry.admin1, "admin2": c.entry.admin2, "country": c.entry.country,
            "precision": c.precision(),
            "matched": c.matched.as_str(),
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
    let text = match best {
        None if fallback.is_some() => format!(
            "{name}\t(not found; within about 25 km of {}){}",
            fallback.map(|e| e.name.as_str()).unwrap_or_default(),
            match phrase {
                Some(k) => format!("\t{} to add", k.label()),
                None => String::new(),
            }
        ),
        Some(c) => format!(
            "{name}\t{}\t{}\t{:.5}, {:.5}\t{}\t{}",
            c.entry.name,
            c.entry.id,
            c.entry.lat,
            c.entry.lon,
            kind_text(c.entry),
            c.entry.admin1.as_deref().unwrap_or(&c.entry.country)
        ),
        None => format!("{name}\t(not found)"),
    };
    Answer {
        json,
        text,
        found: best.is_some(),
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

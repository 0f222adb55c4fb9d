//! CSV tables: every claim flat (`claims.csv`, `cumulative.csv`) and the place mentions nothing fits (`unresolved.csv`).

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;

use crate::model::{Claim, PlaceRole, Scope};

/// The columns of `claims.csv` and `cumulative.csv`.
pub const CLAIM_COLUMNS: &[&str] = &[
    "id",
    "doc",
    "published",
    "count_low",
    "count_high",
    "count_text",
    "qualifier",
    "outcome",
    "victims",
    "victims_text",
    "claimant",
    "scope",
    "part_of",
    "date_start",
    "date_end",
    "date_precision",
    "date_text",
    "place_mention",
    "place_name",
    "gazetteer_id",
    "lat",
    "lon",
    "admin1",
    "admin2",
    "precision",
    "origin",
    "remains",
    "quote",
    "span_start",
    "span_end",
];

fn s<T: ToString>(x: Option<T>) -> String {
    x.map(|v| v.to_string()).unwrap_or_default()
}

fn enum_str<T: serde::Serialize>(x: &T) -> String {
    serde_json::to_value(x)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// Claims as CSV rows, in the order given; `filter` picks which.
pub fn claims_table(
    claims: &[Claim],
    filter: impl Fn(&Claim) -> bool,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(CLAIM_COLUMNS)?;
    for c in claims.iter().filter(|c| filter(c)) {
        let p = c.event_place();
        let names_of = |role: PlaceRole| {
            c.places
                .iter()
                .filter(|x| x.role == role)
                .map(|x| x.name.clone().unwrap_or_else(|| x.mention.clone()))
                .collect::<Vec<_>>()
                .join("; ")
        };
        let row: Vec<String> = vec![
            c.id.clone(),
            c.doc.clone(),
            s(c.published),
            c.count.low.to_string(),
            s(c.count.high),
            c.count.text.clone(),
            enum_str(&c.count.qualifier),
            enum_str(&c.outcome),
            enum_str(&c.victims),
            s(c.victims_text.as_deref()),
            s(c.claimant.as_deref()),
            enum_str(&c.scope),
            s(c.part_of.as_deref()),
            s(c.date.start),
            s(c.date.end),
            enum_str(&c.date.precision),
            s(c.date.text.as_deref()),
            s(p.map(|p| p.mention.as_str())),
            s(p.and_then(|p| p.name.as_deref())),
            s(p.and_then(|p| p.gazetteer_id.as_deref())),
            s(p.and_then(|p| p.lat).map(|x| format!("{:.6}", x))),
            s(p.and_then(|p| p.lon).map(|x| format!("{:.6}", x))),
            s(p.and_then(|p| p.admin1.as_deref())),
            s(p.and_then(|p| p.admin2.as_deref())),
            s(p.and_then(|p| p.precision)),
            names_of(PlaceRole::Origin),
            names_of(PlaceRole::Remains),
            c.quote.clone(),
            c.span[0].to_string(),
            c.span[1].to_string(),
        ];
        w.write_record(&row)?;
    }
    w.flush()
}

/// Every claim.
pub fn claims_csv(claims: &[Claim], out: &mut dyn Write) -> std::io::Result<()> {
    claims_table(claims, |_| true, out)
}

/// Running totals only.
pub fn cumulative_csv(claims: &[Claim], out: &mut dyn Write) -> std::io::Result<()> {
    claims_table(claims, |c| c.scope == Scope::Cumulative, out)
}

/// `unresolved.csv`: place mentions of claims that nothing in the gazetteer fits, with how
/// often and where they occur, most frequent first. Mentions placed at an enclosing place
/// (precision 2) are listed too, with that place in `fallback_to`.
pub fn unresolved_csv(claims: &[Claim], out: &mut dyn Write) -> std::io::Result<()> {
    #[derive(Default)]
    struct Row {
        occurrences: usize,
        documents: BTreeSet<String>,
        claims: Vec<String>,
        roles: BTreeSet<&'static str>,
        fallback_to: BTreeSet<String>,
    }
    let mut rows: BTreeMap<String, Row> = BTreeMap::new();
    for c in claims {
        let fallback = |p: &&crate::model::Place| p.is_fallback();
        for p in c.places.iter().filter(|p| !p.is_resolved() || fallback(p)) {
            let r = rows.entry(p.mention.clone()).or_default();
            if let (true, Some(name)) = (fallback(&p), &p.name) {
                r.fallback_to.insert(name.clone());
            }
            r.occurrences += 1;
            r.documents.insert(c.doc.clone());
            r.claims.push(c.id.clone());
            r.roles.insert(p.role.as_str());
        }
    }
    let mut sorted: Vec<(String, Row)> = rows.into_iter().collect();
    sorted.sort_by(|a, b| b.1.occurrences.cmp(&a.1.occurrences).then(a.0.cmp(&b.0)));
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "mention",
        "occurrences",
        "documents",
        "roles",
        "fallback_to",
        "claims",
    ])?;
    for (mention, r) in sorted {
        w.write_record([
            mention,
            r.occurrences.to_string(),
            r.documents.into_iter().collect::<Vec<_>>().join(" "),
            r.roles.into_iter().collect::<Vec<_>>().join(" "),
            r.fallback_to.into_iter().collect::<Vec<_>>().join("; "),
            r.claims.join(" "),
        ])?;
    }
    w.flush()
}

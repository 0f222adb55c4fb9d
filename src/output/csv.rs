//! CSV tables: every claim flat (`claims.csv`, `cumulative.csv`) and the place mentions nothing fits (`unresolved.csv`).

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;

use crate::model::{Claim, Document, PlaceRole, Scope};
use crate::util::hash::FnvHashMap as HashMap;

/// A cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, a tab or a carriage
/// return first), or one that starts with the quote this escape adds, gets a `'` in front;
/// tollmap's table reader takes it off again (`ingest::table`), so the tables read back the
/// same.
pub fn spreadsheet_safe(cell: &str) -> std::borrow::Cow<'_, str> {
    let trigger = |c: char| matches!(c, '=' | '+' | '-' | '@' | '\t' | '\r');
    let mut chars = cell.chars();
    let escape = match chars.next() {
        Some('\'') => chars.next().is_some_and(|c| trigger(c) || c == '\''),
        Some(c) => trigger(c),
        None => false,
    };
    if escape {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

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
    "title",
    "outlet",
    "url",
    "places",
    "inherited",
    "confidence",
    "reasons",
    "corrections",
];

/// Claims as CSV rows, in the order given; `filter` picks which. Fields are written one by
/// one from the claims (numbers and dates through one reused buffer). The last columns make
/// the table whole, so that a build of it gives the same layers: the document's `title`,
/// `outlet` and `url` (from `docs`), and the claim's `places` and `inherited` as the JSON of
/// the claim contract (`places` `[]` when it has none, `inherited` empty when nothing was).
pub fn claims_table(
    claims: &[Claim],
    docs: &HashMap<&str, &Document>,
    filter: impl Fn(&Claim) -> bool,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    use std::fmt::Write as _;
    let mut w = csv::Writer::from_writer(out);
    w.write_record(CLAIM_COLUMNS)?;
    let mut buf = String::new();
    // A field made by `fill` into the buffer.
    let mut field =
        |w: &mut csv::Writer<&mut dyn Write>, fill: &dyn Fn(&mut String)| -> csv::Result<()> {
            buf.clear();
            fill(&mut buf);
            w.write_field(buf.as_bytes())
        };
    for c in claims.iter().filter(|c| filter(c)) {
        let p = c.event_place();
        let names_of = |role: PlaceRole| {
            c.places
                .iter()
                .filter(|x| x.role == role)
                .map(|x| x.name.as_deref().unwrap_or(&x.mention))
                .collect::<Vec<_>>()
                .join("; ")
        };
        let date = |d: Option<jiff::civil::Date>| {
            move |b: &mut String| {
                if let Some(d) = d {
                    let _ = write!(b, "{d}");
                }
            }
        };
        let number = |n: Option<u64>| {
            move |b: &mut String| {
                if let Some(n) = n {
                    let _ = write!(b, "{n}");
                }
            }
        };
        let degrees = |x: Option<f64>| {
            move |b: &mut String| {
                if let Some(x) = x {
                    let _ = write!(b, "{x:.6}");
                }
            }
        };
        w.write_field(spreadsheet_safe(&c.id).as_bytes())?;
        w.write_field(spreadsheet_safe(&c.doc).as_bytes())?;
        field(&mut w, &date(c.published))?;
        field(&mut w, &number(Some(c.count.low)))?;
        field(&mut w, &number(c.count.high))?;
        w.write_field(spreadsheet_safe(&c.count.text).as_bytes())?;
        w.write_field(c.count.qualifier.as_str())?;
        w.write_field(c.outcome.as_str())?;
        w.write_field(c.victims.as_str())?;
        w.write_field(spreadsheet_safe(c.victims_text.as_deref().unwrap_or_default()).as_bytes())?;
        w.write_field(spreadsheet_safe(c.claimant.as_deref().unwrap_or_default()).as_bytes())?;
        w.write_field(c.scope.as_str())?;
        w.write_field(spreadsheet_safe(c.part_of.as_deref().unwrap_or_default()).as_bytes())?;
        field(&mut w, &date(c.date.start))?;
        field(&mut w, &date(c.date.end))?;
        w.write_field(c.date.precision.as_str())?;
        w.write_field(spreadsheet_safe(c.date.text.as_deref().unwrap_or_default()).as_bytes())?;
        w.write_field(spreadsheet_safe(p.map_or("", |p| p.mention.as_str())).as_bytes())?;
        w.write_field(
            spreadsheet_safe(p.and_then(|p| p.name.as_deref()).unwrap_or_default()).as_bytes(),
        )?;
        w.write_field(
            spreadsheet_safe(
                p.and_then(|p| p.gazetteer_id.as_deref())
                    .unwrap_or_default(),
            )
            .as_bytes(),
        )?;
        field(&mut w, &degrees(p.and_then(|p| p.lat)))?;
        field(&mut w, &degrees(p.and_then(|p| p.lon)))?;
        w.write_field(
            spreadsheet_safe(p.and_then(|p| p.admin1.as_deref()).unwrap_or_default()).as_bytes(),
        )?;
        w.write_field(
            spreadsheet_safe(p.and_then(|p| p.admin2.as_deref()).unwrap_or_default()).as_bytes(),
        )?;
        field(&mut w, &number(p.and_then(|p| p.precision).map(u64::from)))?;
        w.write_field(spreadsheet_safe(&names_of(PlaceRole::Origin)).as_bytes())?;
        w.write_field(spreadsheet_safe(&names_of(PlaceRole::Remains)).as_bytes())?;
        w.write_field(spreadsheet_safe(&c.quote).as_bytes())?;
        field(&mut w, &number(Some(c.span[0] as u64)))?;
        field(&mut w, &number(Some(c.span[1] as u64)))?;
        let doc = docs.get(c.doc.as_str());
        // A coded event without a document of its own links to its source's event page.
        let page = doc
            .and_then(|d| d.url.as_ref())
            .is_none()
            .then(|| crate::model::Provenance::event_url(&c.doc))
            .flatten();
        for text in [
            doc.and_then(|d| d.title.as_deref()),
            doc.and_then(|d| d.outlet.as_deref()),
            doc.and_then(|d| d.url.as_deref()).or(page.as_deref()),
        ] {
            w.write_field(spreadsheet_safe(text.unwrap_or_default()).as_bytes())?;
        }
        w.write_field(serde_json::to_string(&c.places)?.as_bytes())?;
        if c.inherited.is_empty() {
            w.write_field(b"")?;
        } else {
            w.write_field(serde_json::to_string(&c.inherited)?.as_bytes())?;
        }
        field(&mut w, &|b: &mut String| {
            let _ = write!(b, "{:.2}", c.confidence);
        })?;
        w.write_field(crate::confidence::words(&c.reasons).as_bytes())?;
        if c.corrections.is_empty() {
            w.write_field(b"")?;
        } else {
            w.write_field(serde_json::to_string(&c.corrections)?.as_bytes())?;
        }
        w.write_record(std::iter::empty::<&[u8]>())?;
    }
    w.flush()
}

/// Every claim.
pub fn claims_csv(
    claims: &[Claim],
    docs: &HashMap<&str, &Document>,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    claims_table(claims, docs, |_| true, out)
}

/// Running totals only.
pub fn cumulative_csv(
    claims: &[Claim],
    docs: &HashMap<&str, &Document>,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    claims_table(claims, docs, |c| c.scope == Scope::Cumulative, out)
}

/// `unresolved.csv`: place mentions of claims that nothing in the gazetteer fits, with how
/// often and where they occur, most frequent first. Mentions placed at an enclosing place
/// (precision 2) are listed too, with that place in `fallback_to`; a landmark phrase ("the
/// Hamdaniyeh stadium") says in `landmark_to_add` the kind of site to add.
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
        "landmark_to_add",
    ])?;
    for (mention, r) in sorted {
        // "the Hamdaniyeh stadium": a site to add to the gazetteer, of this kind.
        let landmark = crate::gazetteer::landmarks::phrase(&mention)
            .map(|p| p.kinds[0].as_str())
            .unwrap_or_default();
        w.write_record([
            spreadsheet_safe(&mention).into_owned(),
            r.occurrences.to_string(),
            r.documents.into_iter().collect::<Vec<_>>().join(" "),
            r.roles.into_iter().collect::<Vec<_>>().join(" "),
            r.fallback_to.into_iter().collect::<Vec<_>>().join("; "),
            r.claims.join(" "),
            landmark.to_string(),
        ])?;
    }
    w.flush()
}

//! The review sheet: the claims most in need of a look first (lowest confidence, then largest
//! counts), as `review.csv` for spreadsheets and `review.html`, a page that shows each claim's
//! sentence with its count, place, date and victims marked, the choices the tool made, and a
//! form per claim that writes rows of a corrections file (`corrections`), downloaded as CSV
//! with no server. Article text reaches the page as JSON data and is set as text, never HTML.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::model::{Claim, Corrected, Document, Outcome, Victims};

/// The page and its script and style, written beside the data.
const PAGE: &str = include_str!("../web/review.html");
const SCRIPT: &str = include_str!("../web/review.js");
const STYLE: &str = include_str!("../web/review.css");

/// The files `write` makes, in the order it makes them.
pub const FILES: [&str; 5] = [
    "review.csv",
    "review-data.js",
    "review.js",
    "review.css",
    "review.html",
];

/// Which claims the sheet holds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ReviewOptions {
    /// At most this many claims (the first in review order); `None`: all.
    pub limit: Option<usize>,
    /// Only claims whose confidence is below this.
    pub below: Option<f64>,
}

impl Default for ReviewOptions {
    fn default() -> ReviewOptions {
        ReviewOptions {
            limit: Some(500),
            below: None,
        }
    }
}

/// A piece of a claim's sentence, marked when it is what the tool read as the claim's count,
/// place, date, victims or claimant.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Segment {
    /// The text.
    pub text: String,
    /// `count`, `place`, `date`, `victims` or `claimant`; absent for plain text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mark: Option<&'static str>,
}

/// What the tool chose for a claim, in the values a correction of each field takes (so the
/// page's form starts from them and writes a row only for what the reviewer changed).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reading {
    /// `low-high`, `low-` (open) or `n`.
    pub count: String,
    /// The count's words.
    pub count_words: String,
    /// What happened to them.
    pub outcome: &'static str,
    /// Who they were.
    pub victims: &'static str,
    /// The words that say who they were.
    pub victims_words: Option<String>,
    /// The event place as a correction gives it: a gazetteer id or `lat,lon`; empty for none.
    pub place: String,
    /// Its name, governorate and how it was found ("Ariha, Idlib; precision 1").
    pub place_label: Option<String>,
    /// The words that named it.
    pub place_words: Option<String>,
    /// `YYYY-MM-DD` or `A/B`; empty when the text gives none.
    pub date: String,
    /// The date's words.
    pub date_words: Option<String>,
    /// Who says so (none: the article).
    pub claimant: Option<String>,
    /// `event` or `cumulative`.
    pub scope: &'static str,
    /// The total it breaks down (empty for none).
    pub part_of: String,
    /// The fields taken from around the sentence ("place from the lead").
    pub inherited: Vec<String>,
}

/// One claim of the sheet.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Entry {
    /// Its place in review order, from 1.
    pub rank: usize,
    /// The claim's id.
    pub id: String,
    /// How sure the tool is, 0 to 1.
    pub confidence: f64,
    /// What lowered the confidence, worst first.
    pub reasons: Vec<&'static str>,
    /// The document's id.
    pub doc: String,
    /// The document's title.
    pub title: Option<String>,
    /// The document's address, when it is a web address (`http`, `https`).
    pub url: Option<String>,
    /// The document's publication day.
    pub published: Option<String>,
    /// The claim's sentence in pieces, the tool's readings marked.
    pub segments: Vec<Segment>,
    /// What the tool chose.
    pub reading: Reading,
    /// Corrections already applied to it.
    pub corrections: Vec<Corrected>,
}

/// The review order: lowest confidence first, then the largest count, then the id.
pub fn order(claims: &[Claim]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..claims.len()).collect();
    order.sort_by(|&a, &b| {
        let (a, b) = (&claims[a], &claims[b]);
        a.confidence
            .total_cmp(&b.confidence)
            .then(b.count.low.cmp(&a.count.low))
            .then_with(|| a.id.cmp(&b.id))
    });
    order
}

/// The sheet of `claims` (their documents in `docs`, found by id), in review order.
pub fn sheet(claims: &[Claim], docs: &[&Document], opts: &ReviewOptions) -> Vec<Entry> {
    let by_id: HashMap<&str, &Document> = docs.iter().map(|d| (d.id.as_str(), *d)).collect();
    order(claims)
        .into_iter()
        .map(|i| &claims[i])
        .filter(|c| opts.below.is_none_or(|b| c.confidence < b))
        .take(opts.limit.unwrap_or(usize::MAX))
        .enumerate()
        .map(|(n, c)| entry(n + 1, c, by_id.get(c.doc.as_str()).copied()))
        .collect()
}

fn entry(rank: usize, c: &Claim, doc: Option<&Document>) -> Entry {
    let place = c.event_place();
    let place_label = place.and_then(|p| {
        let name = p.name.as_deref()?;
        let mut label = name.to_string();
        if let Some(a) = p.admin1.as_deref().filter(|a| *a != name) {
            label.push_str(", ");
            label.push_str(a);
        }
        if let Some(pr) = p.precision {
            label.push_str(&format!("; precision {}", pr.code()));
        }
        if let Some(m) = p.matched {
            label.push_str(&format!("; matched {}", m.as_str()));
        }
        Some(label)
    });
    let claimant_words = c.claimant.as_deref();
    let marks = [
        ("count", Some(c.count.text.as_str())),
        ("place", place.map(|p| p.mention.as_str())),
        ("date", c.date.text.as_deref()),
        ("victims", c.victims_text.as_deref()),
        ("claimant", claimant_words),
    ];
    Entry {
        rank,
        id: c.id.clone(),
        confidence: c.confidence,
        reasons: c.reasons.iter().map(|r| r.as_str()).collect(),
        doc: c.doc.clone(),
        title: doc.and_then(|d| d.title.clone()),
        url: doc
            .and_then(|d| d.url.clone())
            .filter(|u| u.starts_with("https://") || u.starts_with("http://")),
        published: c.published.map(|d| d.to_string()),
        segments: segments(&c.quote, &marks),
        reading: Reading {
            count: crate::corrections::count_value(&c.count),
            count_words: c.count.text.clone(),
            outcome: c.outcome.as_str(),
            victims: c.victims.as_str(),
            victims_words: c.victims_text.clone(),
            place: crate::corrections::place_value(c),
            place_label,
            place_words: place.map(|p| p.mention.clone()),
            // A claim whose text gives no date has only its publication day as the end:
            // nothing a `date` correction would take.
            date: if c.date.start.is_some() {
                crate::corrections::date_value(c)
            } else {
                String::new()
            },
            date_words: c.date.text.clone(),
            claimant: c.claimant.clone(),
            scope: c.scope.as_str(),
            part_of: c.part_of.clone().unwrap_or_default(),
            inherited: c
                .inherited
                .iter()
                .map(|i| format!("{} from the {}", i.field, i.from))
                .collect(),
        },
        corrections: c.corrections.clone(),
    }
}

/// `text` cut into pieces, each phrase of `marks` (in that order of priority) marked at its
/// first place that is a whole word (or words) and that no earlier phrase took: exactly, else
/// ignoring ASCII case.
pub fn segments(text: &str, marks: &[(&'static str, Option<&str>)]) -> Vec<Segment> {
    let mut taken: Vec<(usize, usize, &'static str)> = Vec::new();
    let lower = text.to_ascii_lowercase();
    for &(mark, phrase) in marks {
        let Some(phrase) = phrase.map(str::trim).filter(|p| !p.is_empty()) else {
            continue;
        };
        let inside_word = |c: char| c.is_alphanumeric() || c == '-' || c == '\'';
        let free = |s: usize| {
            let e = s + phrase.len();
            text.is_char_boundary(s)
                && text.is_char_boundary(e)
                && !text[..s].chars().next_back().is_some_and(inside_word)
                && !text[e..].chars().next().is_some_and(inside_word)
                && taken.iter().all(|&(a, b, _)| e <= a || b <= s)
        };
        let find = |hay: &str, needle: &str| -> Option<usize> {
            hay.match_indices(needle).map(|(s, _)| s).find(|&s| free(s))
        };
        let at = find(text, phrase).or_else(|| find(&lower, &phrase.to_ascii_lowercase()));
        if let Some(s) = at {
            taken.push((s, s + phrase.len(), mark));
        }
    }
    taken.sort_unstable();
    let mut out = Vec::new();
    let mut at = 0;
    for (s, e, mark) in taken {
        if s > at {
            out.push(Segment {
                text: text[at..s].to_string(),
                mark: None,
            });
        }
        out.push(Segment {
            text: text[s..e].to_string(),
            mark: Some(mark),
        });
        at = e;
    }
    if at < text.len() || out.is_empty() {
        out.push(Segment {
            text: text[at..].to_string(),
            mark: None,
        });
    }
    out
}

/// The header of `review.csv`.
pub const CSV_HEADER: [&str; 20] = [
    "rank",
    "claim_id",
    "confidence",
    "reasons",
    "count",
    "outcome",
    "victims",
    "place",
    "place_id",
    "date",
    "claimant",
    "scope",
    "part_of",
    "inherited",
    "doc",
    "title",
    "url",
    "quote",
    "corrected",
    "count_words",
];

/// The sheet as CSV (cells a spreadsheet would run as formulas are quoted as text).
pub fn write_csv(entries: &[Entry], out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(CSV_HEADER)?;
    let safe = |s: &str| crate::output::spreadsheet_safe(s).into_owned();
    for e in entries {
        let r = &e.reading;
        let quote: String = e.segments.iter().map(|s| s.text.as_str()).collect();
        w.write_record([
            e.rank.to_string(),
            safe(&e.id),
            format!("{:.2}", e.confidence),
            e.reasons.join(" "),
            r.count.clone(),
            r.outcome.to_string(),
            r.victims.to_string(),
            safe(r.place_label.as_deref().unwrap_or_default()),
            safe(&r.place),
            r.date.clone(),
            safe(r.claimant.as_deref().unwrap_or_default()),
            r.scope.to_string(),
            safe(&r.part_of),
            r.inherited.join("; "),
            safe(&e.doc),
            safe(e.title.as_deref().unwrap_or_default()),
            safe(e.url.as_deref().unwrap_or_default()),
            safe(&quote),
            u8::from(!e.corrections.is_empty()).to_string(),
            safe(&r.count_words),
        ])?;
    }
    w.flush()
}

/// What the page's forms offer.
#[derive(Serialize)]
struct Choices {
    outcomes: Vec<&'static str>,
    victims: Vec<&'static str>,
}

/// The page's data: `window.TOLLMAP_REVIEW = {...};`.
fn write_data(entries: &[Entry], out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let outcomes = [
        Outcome::Killed,
        Outcome::Wounded,
        Outcome::KilledOrWounded,
        Outcome::Captured,
        Outcome::Missing,
    ];
    let data = serde_json::json!({
        "header": crate::corrections::HEADER,
        "choices": Choices {
            outcomes: outcomes.iter().map(|o| o.as_str()).collect(),
            victims: Victims::ALL.iter().map(|v| v.as_str()).collect(),
        },
        "claims": entries,
    });
    out.write_all(b"window.TOLLMAP_REVIEW = ")?;
    serde_json::to_writer(&mut *out, &data).map_err(std::io::Error::other)?;
    out.write_all(b";\n")
}

/// Why the sheet could not be written.
#[derive(Debug, thiserror::Error)]
#[error("{}", path.display())]
pub struct ReviewError {
    /// The file or folder.
    pub path: PathBuf,
    /// Why.
    #[source]
    pub source: std::io::Error,
}

/// Writes the sheet's files (`FILES`) into `dir` (made if needed), each atomically.
pub fn write(dir: &Path, entries: &[Entry]) -> Result<Vec<PathBuf>, ReviewError> {
    let err = |path: &Path| {
        let path = path.to_path_buf();
        move |source| ReviewError { path, source }
    };
    std::fs::create_dir_all(dir).map_err(err(dir))?;
    let mut written = Vec::new();
    for name in FILES {
        let mut bytes = Vec::new();
        match name {
            "review.csv" => write_csv(entries, &mut bytes),
            "review-data.js" => write_data(entries, &mut bytes),
            "review.js" => {
                bytes.extend_from_slice(SCRIPT.as_bytes());
                Ok(())
            }
            "review.css" => {
                bytes.extend_from_slice(STYLE.as_bytes());
                Ok(())
            }
            _ => {
                bytes.extend_from_slice(PAGE.as_bytes());
                Ok(())
            }
        }
        .map_err(err(&dir.join(name)))?;
        let path = dir.join(name);
        crate::util::atomic::write(&path, &bytes).map_err(err(&path))?;
        written.push(path);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_readings_are_marked_in_the_sentence() {
        type Marks<'a> = &'a [(&'static str, Option<&'a str>)];
        type Pieces<'a> = &'a [(&'a str, Option<&'a str>)];
        let cases: &[(&str, Marks<'_>, Pieces<'_>)] = &[
            (
                "Shelling killed 12 civilians in Ariha on Monday.",
                &[
                    ("count", Some("12")),
                    ("place", Some("Ariha")),
                    ("date", Some("on Monday")),
                    ("victims", Some("civilians")),
                ],
                &[
                    ("Shelling killed ", None),
                    ("12", Some("count")),
                    (" ", None),
                    ("civilians", Some("victims")),
                    (" in ", None),
                    ("Ariha", Some("place")),
                    (" ", None),
                    ("on Monday", Some("date")),
                    (".", None),
                ],
            ),
            // A phrase found only in another case; a phrase not in the sentence (inherited)
            // is not marked; the count's "two" is not the "two" inside "twenty-two".
            (
                "Twenty-two died in Binnish; two more later.",
                &[
                    ("count", Some("two")),
                    ("place", Some("Idlib")),
                    ("victims", None),
                ],
                &[
                    ("Twenty-two died in Binnish; ", None),
                    ("two", Some("count")),
                    (" more later.", None),
                ],
            ),
            // Hostile text is only text: pieces, never parsed.
            (
                "Five <img src=x onerror=alert(1)> killed",
                &[("count", Some("Five"))],
                &[
                    ("Five", Some("count")),
                    (" <img src=x onerror=alert(1)> killed", None),
                ],
            ),
            ("", &[("count", Some("3"))], &[("", None)]),
        ];
        for (text, marks, want) in cases {
            let got: Vec<(String, Option<&str>)> = segments(text, marks)
                .into_iter()
                .map(|s| (s.text, s.mark))
                .collect();
            let want: Vec<(String, Option<&str>)> =
                want.iter().map(|(t, m)| (t.to_string(), *m)).collect();
            assert_eq!(got, want, "{text}");
        }
    }
}

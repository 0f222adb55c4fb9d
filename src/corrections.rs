//! Corrections: a researcher's fixes to claims, read from a CSV file
//! (`claim_id,action,value,note,by`), applied after extraction and before aggregation, each
//! kept on its claim with the value it replaced. Claim ids are stable (`extract::claims`),
//! so a correction lands on its claim in every later build and refresh; one whose claim is
//! gone is reported, never applied to another claim.

use std::path::{Path, PathBuf};

use crate::gazetteer::Gazetteer;
use crate::model::{word, Outcome, Precision, Qualifier, Victims, TABLE_POINT_PREFIX};
use crate::model::{Claim, ClaimDate, Corrected, Count, DatePrecision, Place, PlaceRole};

/// The header a corrections file must have, in this order.
pub const HEADER: [&str; 5] = ["claim_id", "action", "value", "note", "by"];

/// The file `build` writes the corrections it could not apply to.
pub const UNMATCHED_FILE: &str = "corrections-unmatched.csv";

/// What a corrections file could not be read for.
#[derive(Debug, thiserror::Error)]
pub enum CorrectionsError {
    /// The file could not be read.
    #[error("{}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// A row (or the header) is wrong.
    #[error("{}:{line}: {message}", path.display())]
    Line {
        /// The file.
        path: PathBuf,
        /// Its line, from 1 (the header is line 1).
        line: usize,
        /// What is wrong.
        message: String,
    },
}

/// Where a `place` correction puts the claim.
#[derive(Debug, Clone, PartialEq)]
pub enum PlaceFix {
    /// A gazetteer place, by id (`geonames:170063`).
    Gazetteer(String),
    /// A point, latitude and longitude (WGS 84).
    Point(f64, f64),
}

/// One action on a claim.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Not a claim: left out of every layer.
    Reject,
    /// The count: `low-high`, or `low-` when open-ended.
    Count(u64, Option<u64>),
    /// What happened to them.
    Outcome(Outcome),
    /// Who they were.
    Victims(Victims),
    /// Where it happened.
    Place(PlaceFix),
    /// When: a day, or a first and last day.
    Date(jiff::civil::Date, jiff::civil::Date),
    /// The total it breaks down (`None`: none, detached).
    PartOf(Option<String>),
    /// Counted in one event with another claim (their events merged).
    SameEvent(String),
    /// Never counted in one event with another claim (their event split).
    OtherEvent(String),
}

/// One row of a corrections file.
#[derive(Debug, Clone, PartialEq)]
pub struct Correction {
    /// Its line in the file.
    pub line: usize,
    /// The claim it corrects.
    pub claim_id: String,
    /// The action's name as written (`count`, `place` ...).
    pub action_name: String,
    /// The value as written.
    pub value: String,
    /// What it does.
    pub action: Action,
    /// Why (free text).
    pub note: String,
    /// Who.
    pub by: String,
}

/// A corrections file, read.
#[derive(Debug, Clone)]
pub struct Corrections {
    /// Where it was read from.
    pub path: PathBuf,
    /// The SHA-256 of its bytes (for the manifest).
    pub sha256: String,
    /// Its rows, in file order.
    pub rows: Vec<Correction>,
}

/// A correction that was not applied, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct NotApplied<'c> {
    /// The row.
    pub correction: &'c Correction,
    /// Why: the claim is gone, the claim it names is gone, or a link between claims cannot be followed.
    pub reason: String,
}

/// What applying corrections did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Applied<'c> {
    /// Rows applied.
    pub applied: usize,
    /// Claims rejected (left out).
    pub rejected: usize,
    /// Rows not applied, in file order.
    pub not_applied: Vec<NotApplied<'c>>,
}

impl Corrections {
    /// Reads a corrections file.
    pub fn read(path: &Path) -> Result<Corrections, CorrectionsError> {
        let bytes = std::fs::read(path).map_err(|source| CorrectionsError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        Corrections::parse(path, &bytes)
    }

    /// Reads a corrections file's bytes (`path` names it in errors).
    pub fn parse(path: &Path, bytes: &[u8]) -> Result<Corrections, CorrectionsError> {
        let err = |line: usize, message: String| CorrectionsError::Line {
            path: path.to_path_buf(),
            line,
            message,
        };
        let mut reader = csv::ReaderBuilder::new().flexible(false).from_reader(bytes);
        let header: Vec<String> = reader
            .headers()
            .map_err(|e| err(1, format!("not a CSV header: {e}")))?
            .iter()
            .map(|h| h.trim().trim_start_matches('\u{feff}').to_string())
            .collect();
        if header != HEADER {
            return Err(err(
                1,
                format!(
                    "the header must be `{}`, not `{}`",
                    HEADER.join(","),
                    header.join(",")
                ),
            ));
        }
        let mut rows = Vec::new();
        for record in reader.records() {
            let record = record.map_err(|e| {
                let line = e.position().map_or(0, |p| p.line() as usize);
                err(line, format!("not valid CSV: {e}"))
            })?;
            let line = record.position().map_or(0, |p| p.line() as usize);
            let cell = |i: usize| record.get(i).unwrap_or_default().trim().to_string();
            let (claim_id, action_name, value) = (cell(0), cell(1), cell(2));
            if claim_id.is_empty() {
                return Err(err(line, "no claim_id".into()));
            }
            let action = parse_action(&action_name, &value).map_err(|m| err(line, m))?;
            rows.push(Correction {
                line,
                claim_id,
                action_name,
                value,
                action,
                note: cell(3),
                by: cell(4),
            });
        }
        use sha2::Digest;
        Ok(Corrections {
            path: path.to_path_buf(),
            sha256: crate::util::hash::hex(&sha2::Sha256::digest(bytes)),
            rows,
        })
    }

    /// Applies every row to the claim with its id, in file order: each corrected claim keeps
    /// what was replaced (`Claim::corrections`) and is judged again (`confidence`); rejected
    /// claims are left out. Rows whose claim (or, for `part_of`, whose total) is not among
    /// `claims` are returned, not applied. `same_event` and `other_event` are checked once
    /// every other row is applied (both claims kept; for `same_event`, both counted, with one
    /// outcome and victims that agree) and kept on the claim for the event grouping
    /// (`aggregate::events`) to follow.
    pub fn apply<'c>(&'c self, claims: &mut Vec<Claim>, gaz: &Gazetteer) -> Applied<'c> {
        let mut out = Applied::default();
        // Where each claim the rows name is (the claims themselves, and the totals `part_of`
        // names): a few ids copied, not every claim's.
        let named: crate::util::hash::FnvHashSet<&str> = self
            .rows
            .iter()
            .flat_map(|r| match &r.action {
                Action::PartOf(Some(other))
                | Action::SameEvent(other)
                | Action::OtherEvent(other) => vec![r.claim_id.as_str(), other.as_str()],
                _ => vec![r.claim_id.as_str()],
            })
            .collect();
        let index: crate::util::hash::FnvHashMap<String, usize> = claims
            .iter()
            .enumerate()
            .filter(|(_, c)| named.contains(c.id.as_str()))
            .map(|(i, c)| (c.id.clone(), i))
            .collect();
        let mut places: Option<crate::util::hash::FnvHashMap<&str, &crate::gazetteer::Entry>> =
            None;
        let mut rejected = vec![false; claims.len()];
        // The links between claims, checked once the other rows are applied.
        let mut links: Vec<(&Correction, usize, usize)> = Vec::new();
        for row in &self.rows {
            let not = |reason: &str| NotApplied {
                correction: row,
                reason: reason.to_string(),
            };
            let Some(&i) = index.get(row.claim_id.as_str()) else {
                out.not_applied
                    .push(not("no claim has this id (the article changed?)"));
                continue;
            };
            let c = &mut claims[i];
            let original = match &row.action {
                Action::Reject => {
                    rejected[i] = true;
                    out.rejected += 1;
                    String::new()
                }
                Action::Count(low, high) => {
                    let was = count_value(&c.count);
                    c.count = Count {
                        low: *low,
                        high: *high,
                        text: c.count.text.clone(),
                        qualifier: match high {
                            Some(h) if h == low => Qualifier::Exact,
                            Some(_) => Qualifier::Range,
                            None => Qualifier::AtLeast,
                        },
                    };
                    was
                }
                Action::Outcome(o) => std::mem::replace(&mut c.outcome, *o).as_str().to_string(),
                Action::Victims(v) => std::mem::replace(&mut c.victims, *v).as_str().to_string(),
                Action::Place(fix) => {
                    let place = match fix {
                        PlaceFix::Point(lat, lon) => point_place(*lat, *lon),
                        PlaceFix::Gazetteer(id) => {
                            let by_id = places.get_or_insert_with(|| {
                                gaz.iter().map(|e| (e.id.as_str(), e)).collect()
                            });
                            match by_id.get(id.as_str()) {
                                Some(e) => {
                                    crate::gazetteer::place_from_entry(&e.name, PlaceRole::Event, e)
                                }
                                None => {
                                    out.not_applied
                                        .push(not("no place of the gazetteer has this id"));
                                    continue;
                                }
                            }
                        }
                    };
                    let was = place_value(c);
                    // The claim's event places give way to the one given.
                    for p in c.places.iter_mut().filter(|p| p.role == PlaceRole::Event) {
                        p.role = PlaceRole::Mentioned;
                    }
                    c.places.insert(0, place);
                    c.inherited.retain(|i| i.field != "place");
                    was
                }
                Action::Date(start, end) => {
                    let was = date_value(c);
                    c.date = ClaimDate {
                        start: Some(*start),
                        end: Some(*end),
                        precision: if start == end {
                            DatePrecision::Day
                        } else {
                            DatePrecision::Range
                        },
                        text: c.date.text.clone(),
                    };
                    was
                }
                Action::PartOf(total) => {
                    if let Some(t) = total {
                        if !index.contains_key(t.as_str()) {
                            out.not_applied
                                .push(not("the total it names is not a claim (any more)"));
                            continue;
                        }
                    }
                    std::mem::replace(&mut c.part_of, total.clone()).unwrap_or_default()
                }
                Action::SameEvent(other) | Action::OtherEvent(other) => {
                    match index.get(other.as_str()) {
                        Some(&j) if j != i => links.push((row, i, j)),
                        Some(_) => out
                            .not_applied
                            .push(not("a claim is its own event already")),
                        None => out
                            .not_applied
                            .push(not("the other claim it names is not a claim (any more)")),
                    }
                    continue;
                }
            };
            c.corrections.push(Corrected {
                action: row.action_name.clone(),
                value: row.value.clone(),
                original,
                note: (!row.note.is_empty()).then(|| row.note.clone()),
                by: (!row.by.is_empty()).then(|| row.by.clone()),
            });
            out.applied += 1;
        }
        for (row, i, j) in links {
            let why = link_refused(
                &row.action,
                &claims[i],
                &claims[j],
                rejected[i] || rejected[j],
            );
            if let Some(reason) = why {
                out.not_applied.push(NotApplied {
                    correction: row,
                    reason: reason.to_string(),
                });
                continue;
            }
            claims[i].corrections.push(Corrected {
                action: row.action_name.clone(),
                value: row.value.clone(),
                original: String::new(),
                note: (!row.note.is_empty()).then(|| row.note.clone()),
                by: (!row.by.is_empty()).then(|| row.by.clone()),
            });
            out.applied += 1;
        }
        // Rows out of file order when links were checked last: back in file order.
        out.not_applied.sort_by_key(|n| n.correction.line);
        let mut at = 0;
        claims.retain(|_| {
            at += 1;
            !rejected[at - 1]
        });
        for c in claims.iter_mut().filter(|c| !c.corrections.is_empty()) {
            crate::confidence::assess(c);
        }
        out
    }
}

/// Why a `same_event` or `other_event` link between claims `a` and `b` cannot be followed,
/// if it cannot.
fn link_refused(action: &Action, a: &Claim, b: &Claim, rejected: bool) -> Option<&'static str> {
    if rejected {
        return Some("one of the two claims is rejected");
    }
    if !matches!(action, Action::SameEvent(_)) {
        return None;
    }
    let counted = |c: &Claim| {
        c.scope == crate::model::Scope::Event
            && c.event_place().is_some_and(|p| p.gazetteer_id.is_some())
    };
    if !counted(a) || !counted(b) {
        return Some("one of the two claims is in no event (a running total, or no place)");
    }
    if a.outcome != b.outcome {
        return Some("the two claims differ in outcome: correct the outcome first");
    }
    if a.victims != b.victims && a.victims != Victims::Unknown && b.victims != Victims::Unknown {
        return Some("the two claims differ in victims: correct the victims first");
    }
    None
}

/// A claim's event place as a `place` correction gives it: its gazetteer id, else `lat,lon`;
/// empty for none.
pub(crate) fn place_value(c: &Claim) -> String {
    c.event_place()
        .map(|p| match (&p.gazetteer_id, p.lat, p.lon) {
            (Some(id), _, _) => id.clone(),
            (None, Some(lat), Some(lon)) => format!("{lat},{lon}"),
            _ => String::new(),
        })
        .unwrap_or_default()
}

/// A claim's dates as a `date` correction gives them: `YYYY-MM-DD` for one day, else `A/B`
/// (a side empty when unknown; empty for no date at all).
pub(crate) fn date_value(c: &Claim) -> String {
    match (c.date.start, c.date.end) {
        (Some(a), Some(b)) if a == b => a.to_string(),
        (None, None) => String::new(),
        (a, b) => format!(
            "{}/{}",
            a.map(|d| d.to_string()).unwrap_or_default(),
            b.map(|d| d.to_string()).unwrap_or_default()
        ),
    }
}

/// A count as a `count` correction gives it: `low-high`, `low-` (open), or `n`.
pub(crate) fn count_value(c: &Count) -> String {
    match c.high {
        Some(h) if h == c.low => c.low.to_string(),
        Some(h) => format!("{}-{h}", c.low),
        None => format!("{}-", c.low),
    }
}

/// A point a correction gives, as an event table's point is.
fn point_place(lat: f64, lon: f64) -> Place {
    let mut p = Place::unresolved(&format!("{lat},{lon}"), PlaceRole::Event);
    p.gazetteer_id = Some(format!("{TABLE_POINT_PREFIX}{lat},{lon}"));
    p.lat = Some(lat);
    p.lon = Some(lon);
    p.precision = Some(Precision::EXACT);
    p
}

fn day(s: &str) -> Result<jiff::civil::Date, String> {
    s.trim()
        .parse()
        .map_err(|_| format!("`{s}` is not a date (YYYY-MM-DD)"))
}

/// An action and its value, or what is wrong with them.
fn parse_action(action: &str, value: &str) -> Result<Action, String> {
    let number = |s: &str| -> Result<u64, String> {
        s.trim()
            .parse::<u64>()
            .ok()
            .filter(|&n| n <= crate::model::MAX_COUNT)
            .ok_or_else(|| format!("`{s}` is not a count"))
    };
    match action {
        "reject" if value.is_empty() => Ok(Action::Reject),
        "reject" => Err("`reject` takes no value".into()),
        "count" => {
            let (low, high) = match value.split_once('-') {
                Some((low, "")) => (number(low)?, None),
                Some((low, high)) => (number(low)?, Some(number(high)?)),
                None => {
                    let n = number(value)?;
                    (n, Some(n))
                }
            };
            if high.is_some_and(|h| h < low) {
                return Err(format!("count `{value}`: the high is below the low"));
            }
            Ok(Action::Count(low, high))
        }
        "outcome" => word(value)
            .map(Action::Outcome)
            .ok_or_else(|| format!("`{value}` is not an outcome (killed, wounded, killed_or_wounded, captured, missing)")),
        "victims" => word(value).map(Action::Victims).ok_or_else(|| {
            format!("`{value}` is not a victims category (civilians, pro_government, opposition, jihadist, kurdish_forces, foreign_forces, unknown)")
        }),
        "place" => {
            if let Some((lat, lon)) = value.split_once(',') {
                let (lat, lon) = (lat.trim().parse::<f64>(), lon.trim().parse::<f64>());
                match (lat, lon) {
                    (Ok(lat), Ok(lon)) if (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon) => {
                        return Ok(Action::Place(PlaceFix::Point(lat, lon)))
                    }
                    _ => return Err(format!("place `{value}`: not a latitude,longitude")),
                }
            }
            if value.contains(':') && !value.contains(char::is_whitespace) {
                Ok(Action::Place(PlaceFix::Gazetteer(value.to_string())))
            } else {
                Err(format!("place `{value}`: give a gazetteer id (geonames:170063) or lat,lon"))
            }
        }
        "date" => {
            let (a, b) = match value.split_once('/') {
                Some((a, b)) => (day(a)?, day(b)?),
                None => {
                    let d = day(value)?;
                    (d, d)
                }
            };
            if b < a {
                return Err(format!("date `{value}`: the end is before the start"));
            }
            Ok(Action::Date(a, b))
        }
        "part_of" => Ok(Action::PartOf((!value.is_empty()).then(|| value.to_string()))),
        "same_event" | "other_event" if value.is_empty() => {
            Err(format!("`{action}` needs another claim's id"))
        }
        "same_event" => Ok(Action::SameEvent(value.to_string())),
        "other_event" => Ok(Action::OtherEvent(value.to_string())),
        other => Err(format!(
            "unknown action `{other}` (reject, count, outcome, victims, place, date, part_of, same_event, other_event)"
        )),
    }
}

/// The rows not applied, as `corrections-unmatched.csv`: the row, its line and why.
pub fn unmatched_csv(
    not_applied: &[NotApplied<'_>],
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "claim_id", "action", "value", "note", "by", "line", "reason",
    ])?;
    for n in not_applied {
        let c = n.correction;
        let safe = crate::output::spreadsheet_safe;
        w.write_record([
            safe(&c.claim_id).as_ref(),
            safe(&c.action_name).as_ref(),
            safe(&c.value).as_ref(),
            safe(&c.note).as_ref(),
            safe(&c.by).as_ref(),
            &c.line.to_string(),
            &n.reason,
        ])?;
    }
    w.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actions_and_values() {
        let ok: &[(&str, &str, Action)] = &[
            ("reject", "", Action::Reject),
            ("count", "12-20", Action::Count(12, Some(20))),
            ("count", "12-", Action::Count(12, None)),
            ("count", "7", Action::Count(7, Some(7))),
            ("outcome", "wounded", Action::Outcome(Outcome::Wounded)),
            ("victims", "civilians", Action::Victims(Victims::Civilians)),
            (
                "place",
                "geonames:170063",
                Action::Place(PlaceFix::Gazetteer("geonames:170063".into())),
            ),
            (
                "place",
                "35.5, 36.25",
                Action::Place(PlaceFix::Point(35.5, 36.25)),
            ),
            (
                "date",
                "2016-08-01",
                Action::Date(jiff::civil::date(2016, 8, 1), jiff::civil::date(2016, 8, 1)),
            ),
            (
                "date",
                "2016-08-01/2016-08-03",
                Action::Date(jiff::civil::date(2016, 8, 1), jiff::civil::date(2016, 8, 3)),
            ),
            ("part_of", "", Action::PartOf(None)),
            ("part_of", "d#1", Action::PartOf(Some("d#1".into()))),
            ("same_event", "d#2", Action::SameEvent("d#2".into())),
        ];
        for (a, v, want) in ok {
            assert_eq!(parse_action(a, v).as_ref(), Ok(want), "{a} {v}");
        }
        for (a, v) in [
            ("reject", "yes"),
            ("count", "20-12"),
            ("count", "many"),
            ("outcome", "died"),
            ("victims", "men"),
            ("place", "Ariha"),
            ("place", "95,36"),
            ("date", "2016-08-03/2016-08-01"),
            ("date", "yesterday"),
            ("same_event", ""),
            ("delete", ""),
        ] {
            assert!(parse_action(a, v).is_err(), "{a} {v}");
        }
    }

    #[test]
    fn a_bad_file_is_named_by_line() {
        let p = Path::new("fix.csv");
        let e = Corrections::parse(p, b"id,action\nx,reject\n").unwrap_err();
        assert!(e.to_string().starts_with("fix.csv:1: the header"), "{e}");
        let e = Corrections::parse(
            p,
            b"claim_id,action,value,note,by\nx#1,count,3,,\nx#2,count,lots,,\n",
        )
        .unwrap_err();
        assert!(e.to_string().starts_with("fix.csv:3: `lots`"), "{e}");
        let ok = Corrections::parse(
            p,
            b"claim_id,action,value,note,by\nx#1,reject,,not a claim,ana\n",
        )
        .unwrap();
        assert_eq!(ok.rows.len(), 1);
        assert_eq!(ok.rows[0].note, "not a claim");
        assert_eq!(ok.sha256.len(), 64);
    }
}

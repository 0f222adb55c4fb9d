//! Event tables (CSV) that become claims directly, keeping their own coordinates and precision:
//! UCDP GED, ACLED, and tollmap's own `claims.csv` columns. The format is told by the header.
//!
//! - **UCDP GED**: `id`, `latitude`, `longitude`, `where_prec` (1–7, kept as the precision),
//!   `date_start`/`date_end` (or `year` alone: the whole year), `best`/`low`/`high` (when `best`
//!   is absent it is `deaths_a + deaths_b + deaths_civilians + deaths_unknown`, as UCDP
//!   defines it), the four `deaths_*` columns (a breakdown by victims, `part_of` the event's
//!   total when more than one is non-zero), `side_a`, `side_b`, `where_coordinates`, `adm_1`,
//!   `source_original` (the claimant).
//! - **ACLED**: `event_date`, `location`, `latitude`, `longitude`, `geo_precision` (1 → 1,
//!   2 → 2, 3 → 4), `fatalities`, `notes` (the quote), `source` (the claimant).
//! - **tollmap claims** (what `build` writes to `claims.csv`): `count_low` and `outcome`
//!   required; `count_high`, `qualifier`, `victims`, `victims_text`, `claimant`, `scope`,
//!   `part_of`, `date_start`, `date_end`, `date_precision`, `place_mention`, `place_name`,
//!   `gazetteer_id`, `lat`, `lon`, `admin1`, `admin2`, `precision`, `quote`, `id`, `doc`
//!   optional. A row with a place name but no coordinates is resolved through the gazetteer
//!   by the pipeline.
//!
//! Each row is its own document (`ucdp:<id>`, `acled:<row>`, or the row's `doc`), so that two
//! events at one place add up instead of restating each other.

use std::path::Path;

use crate::util::hash::FnvHashMap as HashMap;

use jiff::civil::Date;

use super::IngestError;
use crate::model::{
    Claim, ClaimDate, Count, DatePrecision, Outcome, Place, PlaceRole, Precision, Provenance,
    Qualifier, Reason, Scope, Victims, TABLE_POINT_PREFIX,
};

/// Which table a header describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableKind {
    /// UCDP Georeferenced Event Dataset.
    Ucdp,
    /// ACLED events.
    Acled,
    /// tollmap's own claims columns.
    Claims,
}

/// The kind of table a header row describes, if tollmap reads it.
pub fn kind_of_header(header: &[String]) -> Option<TableKind> {
    let has = |c: &str| header.iter().any(|h| h == c);
    if has("count_low") && has("outcome") {
        Some(TableKind::Claims)
    } else if has("event_date") && has("fatalities") {
        Some(TableKind::Acled)
    } else if has("where_prec") && (has("best") || has("deaths_a")) {
        Some(TableKind::Ucdp)
    } else {
        None
    }
}

/// One row: its cells by column name.
struct Row<'a> {
    cells: &'a csv::StringRecord,
    columns: &'a HashMap<String, usize>,
    path: &'a Path,
    line: usize,
}

impl Row<'_> {
    /// A cell, trimmed; `None` when empty. The `'` that tollmap's CSV writer puts before a
    /// cell a spreadsheet would run as a formula is taken off (`output::csv`).
    fn get(&self, column: &str) -> Option<&str> {
        let i = *self.columns.get(column)?;
        let cell = self.cells.get(i).map(str::trim).filter(|s| !s.is_empty())?;
        let unescaped = cell
            .strip_prefix('\'')
            .filter(|rest| rest.starts_with(['=', '+', '-', '@', '\t', '\r', '\'']));
        Some(unescaped.unwrap_or(cell))
    }

    fn err(&self, message: String) -> IngestError {
        IngestError::Line {
            path: self.path.to_path_buf(),
            line: self.line,
            message,
        }
    }

    fn number<T: std::str::FromStr>(&self, column: &str) -> Result<Option<T>, IngestError> {
        match self.get(column) {
            None => Ok(None),
            Some(v) => v
                .parse()
                .map(Some)
                .map_err(|_| self.err(format!("column `{column}`: `{v}` is not a number"))),
        }
    }

    /// A whole number of people (`12`, or `12.0` as some exports write it), at most
    /// `MAX_TABLE_COUNT`; anything else is an error naming the column and the value.
    fn count(&self, column: &str) -> Result<Option<u64>, IngestError> {
        let Some(v) = self.get(column) else {
            return Ok(None);
        };
        let whole = v.split_once('.').map_or(v, |(w, fraction)| {
            if fraction.bytes().all(|b| b == b'0') {
                w
            } else {
                v
            }
        });
        if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit()) {
            return Err(self.err(format!("column `{column}`: `{v}` is not a count of people")));
        }
        match whole.parse::<u64>() {
            Ok(n) if n <= MAX_TABLE_COUNT => Ok(Some(n)),
            _ => Err(self.err(format!(
                "column `{column}`: `{v}` is more than {MAX_TABLE_COUNT} people, not a count of \
                 one event"
            ))),
        }
    }

    fn date(&self, column: &str) -> Result<Option<Date>, IngestError> {
        match self.get(column) {
            None => Ok(None),
            Some(v) => parse_table_date(v)
                .map(Some)
                .ok_or_else(|| self.err(format!("column `{column}`: `{v}` is not a date"))),
        }
    }

    fn point(&self, lat: &str, lon: &str) -> Result<Option<(f64, f64)>, IngestError> {
        match (self.number::<f64>(lat)?, self.number::<f64>(lon)?) {
            (Some(a), Some(b)) if (-90.0..=90.0).contains(&a) && (-180.0..=180.0).contains(&b) => {
                Ok(Some((a, b)))
            }
            (Some(a), Some(b)) => Err(self.err(format!("coordinates out of range: {a}, {b}"))),
            _ => Ok(None),
        }
    }
}

/// "2019-03-14", "14 March 2019", "14-Mar-2019", "2019-03-14 00:00:00.000".
fn parse_table_date(s: &str) -> Option<Date> {
    if let Some(d) = super::parse_date(s) {
        return Some(d);
    }
    if let Some(d) = s.get(..10).and_then(super::parse_date) {
        return Some(d);
    }
    let parts: Vec<&str> = s.split([' ', '-', '/']).filter(|p| !p.is_empty()).collect();
    if let [d, m, y] = parts.as_slice() {
        let month = crate::util::calendar::MONTHS
            .iter()
            .position(|name| name.starts_with(&m.to_ascii_lowercase()) && m.len() >= 3)
            .map(|p| p as i8 + 1)?;
        return Date::new(y.parse().ok()?, month, d.parse().ok()?).ok();
    }
    None
}

/// A place with its own coordinates and precision; `id` is the point itself, so that events
/// at the same coordinates share a map feature.
fn table_place(mention: Option<&str>, point: (f64, f64), precision: Option<Precision>) -> Place {
    let (lat, lon) = point;
    Place {
        mention: mention
            .map(str::to_string)
            .unwrap_or_else(|| format!("{lat:.5}, {lon:.5}")),
        role: PlaceRole::Event,
        name: mention.map(str::to_string),
        gazetteer_id: Some(format!("{TABLE_POINT_PREFIX}{lat:.5},{lon:.5}")),
        lat: Some(lat),
        lon: Some(lon),
        admin1: None,
        admin2: None,
        kind: None,
        precision,
        near: None,
        radius_m: None,
        weak_source: false,
        matched: None,
    }
}

fn claim(id: String, doc: String, quote: String, count: Count) -> Claim {
    Claim {
        id,
        doc,
        published: None,
        span: [0, quote.len()],
        quote,
        count,
        outcome: Outcome::Killed,
        victims: Victims::Unknown,
        victims_text: None,
        claimant: None,
        scope: Scope::Event,
        part_of: None,
        date: ClaimDate::unknown(None),
        places: Vec::new(),
        inherited: Vec::new(),
        confidence: 1.0,
        reasons: Vec::new(),
        corrections: Vec::new(),
    }
}

fn exact(n: u64, text: String) -> Count {
    Count {
        low: n,
        high: Some(n),
        text,
        qualifier: Qualifier::Exact,
    }
}

/// The kind of a table from its header, and the index of each column by name.
fn table_kind(
    path: &Path,
    reader: &mut csv::Reader<&[u8]>,
) -> Result<(TableKind, HashMap<String, usize>), IngestError> {
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| IngestError::Line {
            path: path.to_path_buf(),
            line: 1,
            message: format!("not a CSV header: {e}"),
        })?
        .iter()
        .map(|h| h.trim().trim_start_matches('\u{feff}').to_string())
        .collect();
    let kind = kind_of_header(&header).ok_or_else(|| IngestError::Line {
        path: path.to_path_buf(),
        line: 1,
        message: "unknown columns: expected a UCDP GED table (where_prec, best or deaths_a ...), \
                  an ACLED table (event_date, fatalities ...) or tollmap claims (count_low, \
                  outcome ...)"
            .into(),
    })?;
    let columns: HashMap<String, usize> = header
        .iter()
        .enumerate()
        .map(|(i, h)| (h.clone(), i))
        .collect();
    Ok((kind, columns))
}

/// What tollmap's own claims table says beyond its claims: the documents it describes, and
/// which rows carry their places whole.
#[derive(Debug, Default)]
pub struct Described {
    /// `title`, `outlet`, `url` and `published` of each `doc`, from its first row, in the
    /// order they first appear (none without those columns).
    pub documents: Vec<crate::model::Document>,
    /// For each row (each claim, in order), true when its `places` cell gives the claim's
    /// places: taken as they are, never resolved again (empty without a `places` column).
    pub placed: Vec<bool>,
}

/// What a claims table describes (`Described`); nothing for other tables. Rows are not
/// checked here: `read_table` does that, and reads one claim from each row.
pub fn described(path: &Path, text: &str) -> Described {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let Ok((TableKind::Claims, columns)) = table_kind(path, &mut reader) else {
        return Described::default();
    };
    let about_docs = ["title", "outlet", "url"]
        .iter()
        .any(|c| columns.contains_key(*c));
    let with_places = columns.contains_key("places");
    let mut out = Described::default();
    if !about_docs && !with_places {
        return out;
    }
    let mut seen = crate::util::hash::FnvHashSet::default();
    let mut record = csv::StringRecord::new();
    while let Ok(true) = reader.read_record(&mut record) {
        let row = Row {
            cells: &record,
            columns: &columns,
            path,
            line: 0,
        };
        if with_places {
            out.placed.push(row.get("places").is_some());
        }
        let Some(doc) = row.get("doc").filter(|_| about_docs) else {
            continue;
        };
        if !seen.insert(doc.to_string()) {
            continue;
        }
        let text = |c: &str| row.get(c).map(str::to_string);
        out.documents.push(crate::model::Document {
            id: doc.to_string(),
            title: text("title"),
            text: String::new(),
            source: path.display().to_string(),
            url: text("url"),
            outlet: text("outlet"),
            published: row.date("published").ok().flatten(),
        });
    }
    out
}

/// Every record checked as CSV (one error names its line), and where each chunk of
/// `TABLE_CHUNK` rows starts (byte, line, row number); with the number of records.
#[allow(clippy::type_complexity)]
fn chunk_starts(
    path: &Path,
    reader: &mut csv::Reader<&[u8]>,
) -> Result<(Vec<(u64, u64, usize)>, usize), IngestError> {
    let mut starts: Vec<(u64, u64, usize)> = Vec::new();
    let mut record = csv::ByteRecord::new();
    let mut n = 0usize;
    loop {
        let line = reader.position().line() as usize;
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                return Err(IngestError::Line {
                    path: path.to_path_buf(),
                    line: e.position().map_or(line, |p| p.line() as usize),
                    message: format!("not valid CSV: {e}"),
                })
            }
        }
        if n.is_multiple_of(TABLE_CHUNK) {
            if let Some(p) = record.position() {
                starts.push((p.byte(), p.line(), n));
            }
        }
        n += 1;
    }
    Ok((starts, n))
}

/// The claims of an event table.
pub fn read_table(path: &Path, text: &str) -> Result<Vec<Claim>, IngestError> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .from_reader(text.as_bytes());
    let (kind, columns) = table_kind(path, &mut reader)?;
    let stem = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("table")
        .to_string();
    // First pass: every record checked as CSV (one error names its line), and where each
    // chunk of rows starts. Second pass: the chunks made into claims in parallel, each
    // numbered by its place in the table, then put together in table order.
    let (starts, records) = chunk_starts(path, &mut reader)?;
    // The claims of chunk `k`, handed to `emit` in row order.
    let each = |k: usize,
                emit: &mut dyn FnMut(Claim) -> Result<(), IngestError>|
     -> Result<(), IngestError> {
        let (byte, first_line, first) = starts[k];
        let end = starts
            .get(k + 1)
            .map_or(text.len(), |&(b, _, _)| b as usize);
        let part = text.get(byte as usize..end).unwrap_or_default();
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(part.as_bytes());
        let mut record = csv::StringRecord::new();
        let mut n = first;
        let mut several = Vec::new();
        while reader
            .read_record(&mut record)
            .map_err(|e| IngestError::Line {
                path: path.to_path_buf(),
                line: first_line as usize,
                message: format!("not valid CSV: {e}"),
            })?
        {
            n += 1;
            let row = Row {
                cells: &record,
                columns: &columns,
                path,
                line: record.position().map_or(first_line as usize, |p| {
                    (first_line + p.line() - 1) as usize
                }),
            };
            match kind {
                TableKind::Ucdp => ucdp_row(&row, n, &mut several)?,
                TableKind::Acled => acled_row(&row, n, &stem, &mut several)?,
                TableKind::Claims => emit(claims_row(&row, n, &stem)?)?,
            }
            for c in several.drain(..) {
                emit(c)?;
            }
        }
        Ok(())
    };
    use rayon::prelude::*;
    if kind == TableKind::Claims {
        return claims_in_place(records, &each, path);
    }
    let parts: Vec<Result<Vec<Claim>, IngestError>> = (0..starts.len())
        .into_par_iter()
        .map(|k| {
            let mut out = Vec::new();
            each(k, &mut |c| {
                out.push(c);
                Ok(())
            })?;
            Ok(out)
        })
        .collect();
    let mut out = Vec::with_capacity(parts.iter().map(|p| p.as_ref().map_or(0, Vec::len)).sum());
    // The first bad row in table order.
    for part in parts {
        out.extend(part?);
    }
    Ok(out)
}

/// The claims of a tollmap claims table (one per row, `records` rows), each chunk of rows
/// made in parallel straight into its place in the vector (no second copy of a million
/// claims to allocate and fill).
fn claims_in_place(
    records: usize,
    each: &ChunkRows<'_>,
    path: &Path,
) -> Result<Vec<Claim>, IngestError> {
    let mismatch = || IngestError::Line {
        path: path.to_path_buf(),
        line: 0,
        message: "rows changed while the table was read".into(),
    };
    crate::util::sys::fill_in_parallel(records, TABLE_CHUNK, each, &mismatch)
}

/// The largest count of people one row of an event table may give (`model::MAX_COUNT`); a
/// larger one is an error, not a figure to map.
pub const MAX_TABLE_COUNT: u64 = crate::model::MAX_COUNT;

/// Makes the claims of chunk `k` and hands them to `emit`, in row order.
type ChunkRows<'a> = crate::util::sys::ChunkItems<'a, Claim, IngestError>;

/// Rows made into claims at a time (in parallel).
const TABLE_CHUNK: usize = 8192;

/// Victim category of a UCDP side ("Government of Syria", "IS", "SDF" ...).
fn side_victims(side: Option<&str>) -> Victims {
    let s = side.unwrap_or("").to_lowercase();
    if s.starts_with("government of syria") || s.contains("hezbollah") {
        Victims::ProGovernment
    } else if s.starts_with("government of") {
        Victims::ForeignForces
    } else if s == "is" || s.contains("islamic state") || s.contains("nusra") || s.contains("qaeda")
    {
        Victims::Jihadist
    } else if s.contains("sdf") || s.contains("pyd") || s.contains("ypg") || s.contains("kurd") {
        Victims::KurdishForces
    } else if s.is_empty() {
        Victims::Unknown
    } else {
        Victims::Opposition
    }
}

/// A UCDP row's deaths by side (`deaths_*` columns with a value: column, victims, count) and
/// its best estimate (`best`, else the sum of the sides as UCDP defines it).
type SideDeaths = Vec<(&'static str, Victims, u64)>;

fn ucdp_deaths(row: &Row<'_>) -> Result<(SideDeaths, u64), IngestError> {
    let deaths = [
        ("deaths_a", side_victims(row.get("side_a"))),
        ("deaths_b", side_victims(row.get("side_b"))),
        ("deaths_civilians", Victims::Civilians),
        ("deaths_unknown", Victims::Unknown),
    ];
    let mut parts = Vec::new();
    for (column, victims) in deaths {
        if let Some(d) = row.count(column)? {
            parts.push((column, victims, d));
        }
    }
    let best = match row.count("best")? {
        Some(b) => b,
        None if !parts.is_empty() => parts
            .iter()
            .try_fold(0u64, |sum, p| sum.checked_add(p.2))
            .filter(|&sum| sum <= MAX_TABLE_COUNT)
            .ok_or_else(|| {
                row.err(format!(
                    "the `deaths_*` columns add up to more than {MAX_TABLE_COUNT} people"
                ))
            })?,
        None => return Err(row.err("no `best` and no `deaths_*` columns with a value".into())),
    };
    Ok((parts, best))
}

fn ucdp_row(row: &Row<'_>, n: usize, out: &mut Vec<Claim>) -> Result<(), IngestError> {
    let id = row
        .get("id")
        .map(str::to_string)
        .unwrap_or_else(|| n.to_string());
    let (parts, best) = ucdp_deaths(row)?;
    let (low, high) = (row.count("low")?, row.count("high")?);
    let count = match (low, high) {
        (Some(l), Some(h)) if l <= best && best <= h && l < h => Count {
            low: l,
            high: Some(h),
            text: format!("{best} (best; low {l}, high {h})"),
            qualifier: Qualifier::Range,
        },
        _ => exact(best, best.to_string()),
    };
    let Some(point) = row.point("latitude", "longitude")? else {
        return Err(row.err("no latitude/longitude".into()));
    };
    let precision = row.count("where_prec")?.map(Precision::clamped);
    let name = row.get("where_coordinates").or(row.get("adm_1"));
    let mut place = table_place(name, point, precision);
    place.admin1 = row.get("adm_1").map(str::to_string);
    let date = match (row.date("date_start")?, row.date("date_end")?) {
        (Some(a), Some(b)) if a == b => ClaimDate {
            start: Some(a),
            end: Some(b),
            precision: DatePrecision::Day,
            text: None,
        },
        (Some(a), Some(b)) => ClaimDate {
            start: Some(a.min(b)),
            end: Some(a.max(b)),
            precision: DatePrecision::Range,
            text: None,
        },
        (Some(a), None) | (None, Some(a)) => ClaimDate {
            start: Some(a),
            end: Some(a),
            precision: DatePrecision::Day,
            text: None,
        },
        (None, None) => match row.count("year")? {
            Some(y) => {
                let y = i16::try_from(y).map_err(|_| {
                    row.err(format!("year {y} is out of range (a year of four digits)"))
                })?;
                let bad = |_| row.err(format!("year {y} is not a date"));
                ClaimDate {
                    start: Some(Date::new(y, 1, 1).map_err(bad)?),
                    end: Some(Date::new(y, 12, 31).map_err(bad)?),
                    precision: DatePrecision::Year,
                    text: Some(y.to_string()),
                }
            }
            None => ClaimDate::unknown(None),
        },
    };
    let doc = Provenance::Ucdp.doc_id(&id);
    let sides = [row.get("side_a"), row.get("side_b")]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" vs ");
    let quote = format!(
        "UCDP GED event {id}{}: {best} deaths",
        if sides.is_empty() {
            String::new()
        } else {
            format!(" ({sides})")
        }
    );
    let mut total = claim(format!("{doc}#1"), doc.clone(), quote.clone(), count);
    total.claimant = Some(
        row.get("source_original")
            .map(|s| format!("UCDP GED ({s})"))
            .unwrap_or_else(|| "UCDP GED".into()),
    );
    total.date = date;
    total.places = vec![place];
    let nonzero: Vec<_> = parts.iter().filter(|p| p.2 > 0).collect();
    if let [only] = nonzero.as_slice() {
        total.victims = only.1;
    }
    let total_id = total.id.clone();
    let template = total.clone();
    out.push(total);
    // A breakdown by side when more than one side lost people: parts of the total.
    if nonzero.len() > 1 {
        for (k, (column, victims, d)) in nonzero.into_iter().enumerate() {
            let mut part = template.clone();
            part.id = format!("{doc}#{}", k + 2);
            part.count = exact(*d, format!("{d} ({column})"));
            part.victims = *victims;
            part.victims_text = Some((*column).to_string());
            part.part_of = Some(total_id.clone());
            out.push(part);
        }
    }
    Ok(())
}

fn acled_row(row: &Row<'_>, n: usize, stem: &str, out: &mut Vec<Claim>) -> Result<(), IngestError> {
    let fatalities = row
        .count("fatalities")?
        .ok_or_else(|| row.err("no `fatalities`".into()))?;
    let id = row
        .get("event_id_cnty")
        .or(row.get("data_id"))
        .map(str::to_string)
        .unwrap_or_else(|| format!("{stem}-{n}"));
    let doc = Provenance::Acled.doc_id(&id);
    let quote = row
        .get("notes")
        .map(str::to_string)
        .unwrap_or_else(|| format!("ACLED event {id}: {fatalities} fatalities"));
    let mut c = claim(
        format!("{doc}#1"),
        doc,
        quote,
        exact(fatalities, fatalities.to_string()),
    );
    c.claimant = Some(
        row.get("source")
            .map(|s| format!("ACLED ({s})"))
            .unwrap_or_else(|| "ACLED".into()),
    );
    if let Some(d) = row.date("event_date")? {
        c.date = ClaimDate {
            start: Some(d),
            end: Some(d),
            precision: DatePrecision::Day,
            text: None,
        };
    }
    let precision = row.count("geo_precision")?.map(|p| match p {
        1 => Precision::EXACT,
        2 => Precision::NEAR,
        _ => Precision::GOVERNORATE,
    });
    let Some(point) = row.point("latitude", "longitude")? else {
        return Err(row.err("no latitude/longitude".into()));
    };
    c.places = vec![table_place(row.get("location"), point, precision)];
    out.push(c);
    Ok(())
}

fn parse_enum<T: serde::de::DeserializeOwned>(
    row: &Row<'_>,
    column: &str,
) -> Result<Option<T>, IngestError> {
    match row.get(column) {
        None => Ok(None),
        Some(v) => crate::model::word(v)
            .map(Some)
            .ok_or_else(|| row.err(format!("column `{column}`: unknown value `{v}`"))),
    }
}

fn claims_row(row: &Row<'_>, n: usize, stem: &str) -> Result<Claim, IngestError> {
    let low = row
        .count("count_low")?
        .ok_or_else(|| row.err("no `count_low`".into()))?;
    let high = row.count("count_high")?;
    if let Some(h) = high.filter(|&h| h < low) {
        return Err(row.err(format!("count_high {h} is below count_low {low}")));
    }
    let doc = row
        .get("doc")
        .map(str::to_string)
        .unwrap_or_else(|| format!("{stem}:{n}"));
    let id = row
        .get("id")
        .map(str::to_string)
        .unwrap_or_else(|| format!("{doc}#1"));
    let count = Count {
        low,
        high,
        text: row
            .get("count_text")
            .map(str::to_string)
            .unwrap_or_else(|| low.to_string()),
        qualifier: parse_enum(row, "qualifier")?.unwrap_or(if high == Some(low) {
            Qualifier::Exact
        } else {
            Qualifier::AtLeast
        }),
    };
    let quote = row.get("quote").map(str::to_string).unwrap_or_default();
    let mut c = claim(id, doc, quote, count);
    if let (Some(start), Some(end)) = (row.number("span_start")?, row.number("span_end")?) {
        if start <= end {
            c.span = [start, end];
        }
    }
    c.outcome = parse_enum(row, "outcome")?.ok_or_else(|| row.err("no `outcome`".into()))?;
    c.victims = parse_enum(row, "victims")?.unwrap_or(Victims::Unknown);
    c.victims_text = row.get("victims_text").map(str::to_string);
    c.claimant = row.get("claimant").map(str::to_string);
    c.scope = parse_enum(row, "scope")?.unwrap_or(Scope::Event);
    c.part_of = row.get("part_of").map(str::to_string);
    c.published = row.date("published")?;
    let (start, end) = (row.date("date_start")?, row.date("date_end")?);
    c.date = ClaimDate {
        start,
        end,
        precision: parse_enum(row, "date_precision")?.unwrap_or(match (start, end) {
            (Some(a), Some(b)) if a == b => DatePrecision::Day,
            (Some(_), Some(_)) => DatePrecision::Range,
            _ => DatePrecision::Unknown,
        }),
        text: row.get("date_text").map(str::to_string),
    };
    // The claim's places and what it inherited, whole, as tollmap's own tables give them;
    // else the flat columns of its event place.
    if let Some(corrections) = row.get("corrections") {
        c.corrections = serde_json::from_str(corrections)
            .map_err(|e| row.err(format!("column `corrections`: {e}")))?;
    }
    if let Some(inherited) = row.get("inherited") {
        c.inherited = serde_json::from_str(inherited)
            .map_err(|e| row.err(format!("column `inherited`: {e}")))?;
    }
    if let Some(places) = row.get("places") {
        c.places =
            serde_json::from_str(places).map_err(|e| row.err(format!("column `places`: {e}")))?;
        // The claim is whole: its confidence as the table gives it, else assessed now.
        match row.number::<f64>("confidence")? {
            Some(x) if (0.0..=1.0).contains(&x) => {
                c.confidence = x;
                c.reasons = row
                    .get("reasons")
                    .unwrap_or_default()
                    .split_whitespace()
                    .map(|r| {
                        crate::model::word::<Reason>(r).ok_or_else(|| {
                            row.err(format!("column `reasons`: unknown reason `{r}`"))
                        })
                    })
                    .collect::<Result<_, _>>()?;
            }
            Some(x) => {
                return Err(row.err(format!("column `confidence`: {x} is not between 0 and 1")))
            }
            None => crate::confidence::assess(&mut c),
        }
        return Ok(c);
    }
    let mention = row.get("place_mention").or(row.get("place_name"));
    match (row.point("lat", "lon")?, mention) {
        (Some(point), m) => {
            let mut p = table_place(m, point, row.count("precision")?.map(Precision::clamped));
            if let Some(g) = row.get("gazetteer_id") {
                p.gazetteer_id = Some(g.to_string());
            }
            p.name = row.get("place_name").map(str::to_string).or(p.name);
            p.admin1 = row.get("admin1").map(str::to_string);
            p.admin2 = row.get("admin2").map(str::to_string);
            c.places = vec![p];
        }
        // Resolved through the gazetteer by the pipeline.
        (None, Some(m)) => c.places = vec![Place::unresolved(m, PlaceRole::Event)],
        (None, None) => {}
    }
    Ok(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<Vec<Claim>, IngestError> {
        read_table(Path::new("t.csv"), text)
    }

    /// A claims table of `n` rows (more than one chunk), row `bad` (1-based) with a count
    /// that is not a number.
    fn long_table(n: usize, bad: Option<usize>) -> String {
        let mut t = String::from("id,doc,count_low,outcome,lat,lon,place_name\n");
        for i in 1..=n {
            let count = if Some(i) == bad {
                "many".to_string()
            } else {
                (i % 7).to_string()
            };
            t.push_str(&format!(
                "c{i},d{i},{count},killed,35.5,36.{},Place {i}\n",
                i % 1000
            ));
        }
        t
    }

    #[test]
    fn claims_tables_give_places_whole_and_say_what_they_describe() {
        let text = "id,doc,count_low,outcome,place_name,lat,lon,span_start,span_end,title,outlet,url,places,inherited\n\
            a#1,a,3,killed,Ariha,35.8,36.6,10,40,Shelling,Wire,https://x.test/a,\"[{\"\"mention\"\":\"\"Ariha\"\",\"\"role\"\":\"\"event\"\",\"\"lat\"\":35.81,\"\"lon\"\":36.61},{\"\"mention\"\":\"\"SOHR\"\",\"\"role\"\":\"\"origin\"\"}]\",\"[{\"\"field\"\":\"\"place\"\",\"\"from\"\":\"\"lead\"\",\"\"span\"\":[0,5]}]\"\n\
            a#2,a,2,wounded,Binnish,,,50,60,,,,,\n\
            b#1,b,1,killed,Idlib,35.9,36.6,0,9,,,,[],\n";
        let cs = read(text).unwrap();
        // The `places` cell wins over the flat columns, whole (an unresolved origin too).
        assert_eq!(cs[0].places.len(), 2);
        assert_eq!(cs[0].places[0].lat, Some(35.81));
        assert_eq!(cs[0].places[1].mention, "SOHR");
        assert!(cs[0].places[1].lat.is_none());
        assert_eq!(cs[0].inherited.len(), 1);
        assert_eq!(cs[0].span, [10, 40]);
        // An empty cell: the flat columns (a place to resolve); `[]`: no places.
        assert_eq!(cs[1].places.len(), 1);
        assert_eq!(cs[1].places[0].mention, "Binnish");
        assert!(cs[2].places.is_empty());
        let d = described(Path::new("t.csv"), text);
        assert_eq!(d.placed, [true, false, true]);
        type About<'a> = (&'a str, Option<&'a str>, Option<&'a str>, Option<&'a str>);
        let docs: Vec<About> = d
            .documents
            .iter()
            .map(|d| {
                (
                    d.id.as_str(),
                    d.title.as_deref(),
                    d.outlet.as_deref(),
                    d.url.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            docs,
            [
                (
                    "a",
                    Some("Shelling"),
                    Some("Wire"),
                    Some("https://x.test/a")
                ),
                ("b", None, None, None)
            ]
        );
        // A bad `places` cell is an error naming the column and line.
        let bad = "id,doc,count_low,outcome,places\nx#1,x,1,killed,[{\n";
        match read(bad) {
            Err(IngestError::Line { line, message, .. }) => {
                assert_eq!(line, 2);
                assert!(message.contains("places"), "{message}");
            }
            other => panic!("expected an error, got {:?}", other.map(|c| c.len())),
        }
        // Other tables describe nothing.
        let ucdp = "id,year,latitude,longitude,where_prec,best\n7,2014,36.2,37.15,1,3\n";
        let d = described(Path::new("u.csv"), ucdp);
        assert!(d.documents.is_empty() && d.placed.is_empty());
    }

    #[test]
    fn tables_over_several_chunks_keep_row_order() {
        let n = TABLE_CHUNK * 2 + 17;
        let claims = read(&long_table(n, None)).unwrap();
        assert_eq!(claims.len(), n);
        for (i, c) in claims.iter().enumerate() {
            assert_eq!(c.id, format!("c{}", i + 1));
            assert_eq!(c.count.low, ((i + 1) % 7) as u64);
        }
    }

    #[test]
    fn a_bad_row_in_a_later_chunk_is_named_by_its_line() {
        // Rows of the first chunks are made (and dropped) before the error is returned.
        let bad = TABLE_CHUNK + 5;
        match read(&long_table(TABLE_CHUNK * 2 + 3, Some(bad))) {
            Err(IngestError::Line { line, message, .. }) => {
                assert_eq!(line, bad + 1, "header is line 1");
                assert!(message.contains("count_low"), "{message}");
            }
            other => panic!("expected an error, got {:?}", other.map(|c| c.len())),
        }
    }

    #[test]
    fn ucdp_rows_become_claims_with_their_points_and_breakdowns() {
        let text = "id,year,latitude,longitude,where_prec,side_a,side_b,deaths_a,deaths_b,deaths_civilians,deaths_unknown\n\
                    7,2014,36.2,37.15,1,Government of Syria,Syrian insurgents,3,2,5,0\n\
                    8,2015,35.5,36.0,4,Government of Syria,IS,0,0,0,4\n";
        let cs = read(text).unwrap();
        // Event 7: a total of 10 and three parts; event 8: 4 unknown, no parts.
        let got: Vec<(&str, u64, Victims, Option<&str>)> = cs
            .iter()
            .map(|c| (c.id.as_str(), c.count.low, c.victims, c.part_of.as_deref()))
            .collect();
        assert_eq!(
            got,
            [
                ("ucdp:7#1", 10, Victims::Unknown, None),
                ("ucdp:7#2", 3, Victims::ProGovernment, Some("ucdp:7#1")),
                ("ucdp:7#3", 2, Victims::Opposition, Some("ucdp:7#1")),
                ("ucdp:7#4", 5, Victims::Civilians, Some("ucdp:7#1")),
                ("ucdp:8#1", 4, Victims::Unknown, None),
            ]
        );
        let p = &cs[0].places[0];
        assert_eq!(
            (p.lat, p.lon, p.precision.map(u8::from)),
            (Some(36.2), Some(37.15), Some(1))
        );
        assert_eq!(cs[0].date.precision, DatePrecision::Year);
        assert_eq!(cs[0].date.start, Date::new(2014, 1, 1).ok());
        assert_eq!(cs[4].places[0].precision, Some(Precision::GOVERNORATE));
    }

    #[test]
    fn acled_and_claims_tables_and_their_errors() {
        let acled =
            "event_date,location,latitude,longitude,geo_precision,fatalities,notes,source\n\
                     14 March 2019,Maarat al-Numan,35.64,36.67,3,6,Shelling killed six.,SOHR\n";
        let cs = read(acled).unwrap();
        assert_eq!(cs[0].count.low, 6);
        assert_eq!(cs[0].date.start, Date::new(2019, 3, 14).ok());
        assert_eq!(cs[0].places[0].precision, Some(Precision::GOVERNORATE));
        assert_eq!(cs[0].claimant.as_deref(), Some("ACLED (SOHR)"));

        let claims = "count_low,count_high,outcome,victims,place_name,date_start,date_end\n\
                      12,12,killed,civilians,Jableh,2016-08-05,2016-08-05\n";
        let cs = read(claims).unwrap();
        assert_eq!(cs[0].victims, Victims::Civilians);
        assert_eq!(cs[0].places[0].mention, "Jableh");
        assert!(cs[0].places[0].lat.is_none());
        assert_eq!(cs[0].date.precision, DatePrecision::Day);

        for (bad, needle) in [
            ("a,b\n1,2\n", "t.csv:1: unknown columns"),
            (
                "count_low,outcome\nx,killed\n",
                "t.csv:2: column `count_low`: `x` is not a count of people",
            ),
            (
                "count_low,outcome\n3,exploded\n",
                "t.csv:2: column `outcome`: unknown value",
            ),
            (
                "event_date,latitude,longitude,fatalities\n2019-01-01,95,1,2\n",
                "t.csv:2: coordinates out of range",
            ),
            (
                "count_low,outcome\n3,killed,extra\n",
                "t.csv:2: not valid CSV",
            ),
            (
                "count_low,outcome\n99999999999999999999,killed\n",
                "t.csv:2: column `count_low`: `99999999999999999999` is more than 10000000",
            ),
            (
                "count_low,outcome\n1e400,killed\n",
                "t.csv:2: column `count_low`: `1e400` is not a count of people",
            ),
            (
                "count_low,outcome\n2.5,killed\n",
                "t.csv:2: column `count_low`: `2.5` is not a count of people",
            ),
            (
                "id,year,latitude,longitude,where_prec,side_a,side_b,deaths_a,deaths_b,deaths_civilians,deaths_unknown\n\
                 1,2016,36.2,37.1,1,Government of Syria,IS,9223372036854775807,9223372036854775807,5,5\n",
                "t.csv:2: column `deaths_a`: `9223372036854775807` is more than 10000000",
            ),
            (
                "id,year,latitude,longitude,where_prec,side_a,side_b,deaths_a,deaths_b,deaths_civilians,deaths_unknown\n\
                 1,2016,36.2,37.1,1,Government of Syria,IS,9000000,9000000,5,5\n",
                "t.csv:2: the `deaths_*` columns add up to more than 10000000 people",
            ),
        ] {
            let e = read(bad).unwrap_err().to_string();
            assert!(e.contains(needle), "{e}");
        }
    }
}

//! Importing a GeoNames dump into an on-disk gazetteer with its name index, memory-mapped when opened.
//!
//! `tollmap gazetteer import geonames FILE --out DIR` reads either the standard GeoNames dump
//! format (19 tab-separated columns, no header: `allCountries.txt`, `SY.txt`, `cities500.txt`)
//! or a headered TSV with `geonameid`, `name`, `latitude`, `longitude`, `country_code`,
//! `population` and `|`-separated `alternatenames` columns (as in `shared/data`), and writes
//! into DIR: `places.tsv` (the bundled format) and the index files of `gazetteer::index`,
//! which `gazetteer::world` maps into memory.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::gazetteer::index;
use crate::gazetteer::{Entry, GazetteerError, LineFault, TSV_HEADER};
use crate::model::PlaceKind;
use crate::util::hash::sha256_hex;

/// What an import wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportReport {
    /// Places written.
    pub entries: usize,
    /// Names indexed (all spellings of all places).
    pub names: usize,
    /// Distinct strict keys in the index.
    pub keys: usize,
}

fn io(path: &Path, cause: std::io::Error) -> GazetteerError {
    GazetteerError::Io {
        path: path.to_path_buf(),
        cause,
    }
}

fn line_err(path: &Path, line: usize, message: String) -> GazetteerError {
    GazetteerError::Format {
        source_name: path.display().to_string(),
        line,
        message,
    }
}

/// The largest download accepted (GeoNames' allCountries.zip is about 400 MB).
#[cfg(feature = "fetch")]
const MAX_DOWNLOAD: u64 = 2 << 30;

/// Imports a GeoNames dump into `out_dir`: a file path or an `http(s)://` URL, plain text or
/// a zip archive (the first `.txt` member that is not a readme, as in GeoNames' own zips).
pub fn import_geonames(source: &str, out_dir: &Path) -> Result<ImportReport, GazetteerError> {
    let input = Path::new(source);
    let raw = if source.starts_with("http://") || source.starts_with("https://") {
        download(source)?
    } else {
        std::fs::read(input).map_err(|e| io(input, e))?
    };
    let named_zip = input
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("zip"));
    let bytes = if raw.starts_with(b"PK\x03\x04") {
        unzip(input, &raw, MAX_UNPACKED)?
    } else if named_zip {
        return Err(GazetteerError::Data {
            path: input.to_path_buf(),
            message: "named .zip but not a zip archive (a download cut short, or an error page?)"
                .into(),
        });
    } else {
        raw
    };
    let text = std::str::from_utf8(&bytes).map_err(|e| {
        let line = bytes[..e.valid_up_to()]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            + 1;
        line_err(input, line, format!("not valid UTF-8: {e}"))
    })?;
    let entries = parse(input, text)?;
    write(&entries, &sha256_hex(&bytes), out_dir)
}

/// Fetches a URL with connect and total timeouts, a size limit and a descriptive User-Agent.
/// Without the `fetch` feature: a URL cannot be downloaded.
#[cfg(not(feature = "fetch"))]
fn download(url: &str) -> Result<Vec<u8>, GazetteerError> {
    Err(GazetteerError::Data {
        path: PathBuf::from(url),
        message: "this tollmap was built without the `fetch` feature: download it first".into(),
    })
}

#[cfg(feature = "fetch")]
fn download(url: &str) -> Result<Vec<u8>, GazetteerError> {
    use crate::ingest::fetch::{FetchOptions, Fetcher};
    // The fetcher of URL inputs: one deadline per request with its body, retries of resets,
    // 5xx and 429, redirects to http(s) only, the size limit.
    let timeout = std::time::Duration::from_secs(1800);
    let fetcher = Fetcher::new(FetchOptions {
        connect_timeout: std::time::Duration::from_secs(15),
        timeout,
        max_bytes: MAX_DOWNLOAD,
        deadline: Some(timeout * 2),
        concurrency: 1,
        ..FetchOptions::default()
    })
    .map_err(|e| GazetteerError::Data {
        path: PathBuf::from(url),
        message: crate::util::report::chain(&e),
    })?;
    fetcher
        .fetch(url)
        .map(|f| f.bytes)
        .map_err(|e| GazetteerError::Data {
            path: PathBuf::from(crate::ingest::fetch::public_url(url)),
            message: crate::util::report::chain(&e.fault),
        })
}

/// The largest dump unpacked from a zip archive (GeoNames' allCountries.txt is about
/// 1.6 GB): a zip bomb stops here instead of filling memory.
const MAX_UNPACKED: u64 = 4 << 30;

/// The dump inside a zip archive: its first `.txt` member that is not a readme, at most
/// `limit` bytes unpacked.
fn unzip(input: &Path, bytes: &[u8], limit: u64) -> Result<Vec<u8>, GazetteerError> {
    use std::io::Read;
    let bad = |m: String| GazetteerError::Data {
        path: input.to_path_buf(),
        message: format!("zip archive: {m}"),
    };
    let mut archive =
        zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| bad(e.to_string()))?;
    let name = archive
        .file_names()
        .filter(|n| n.ends_with(".txt") && !n.to_ascii_lowercase().contains("readme"))
        .min()
        .map(str::to_string)
        .ok_or_else(|| bad("no .txt member".into()))?;
    let mut member = archive.by_name(&name).map_err(|e| bad(e.to_string()))?;
    let mut out = Vec::new();
    member
        .by_ref()
        .take(limit.saturating_add(1))
        .read_to_end(&mut out)
        .map_err(|e| bad(format!("{name}: {e}")))?;
    if out.len() as u64 > limit {
        return Err(bad(format!(
            "{name} unpacks to more than {limit} bytes (a zip bomb?)"
        )));
    }
    Ok(out)
}

/// The columns a headered dump must have.
const HEADER_NEEDS: [&str; 4] = ["geonameid", "name", "latitude", "longitude"];

/// Places of a GeoNames dump, in file order.
pub fn parse(input: &Path, text: &str) -> Result<Vec<Entry>, GazetteerError> {
    let mut lines = text.lines().enumerate().peekable();
    let header: Option<Vec<&str>> = match lines.peek() {
        Some((_, l)) if l.starts_with("geonameid\t") => {
            let cols: Vec<&str> = l.split('\t').collect();
            let missing: Vec<&str> = HEADER_NEEDS
                .iter()
                .copied()
                .filter(|c| !cols.contains(c))
                .collect();
            if !missing.is_empty() {
                return Err(line_err(
                    input,
                    1,
                    format!(
                        "the header has no {} column (a headered dump needs {})",
                        missing.join(", "),
                        HEADER_NEEDS.join(", ")
                    ),
                ));
            }
            lines.next();
            Some(cols)
        }
        _ => None,
    };
    let mut out = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (i, line) in lines {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let f: Vec<&str> = line.split('\t').collect();
        let entry = match &header {
            Some(cols) => headered(&f, cols),
            None => standard(&f),
        }
        .map_err(|m| line_err(input, i + 1, m.to_string()))?;
        if entry.name.trim().is_empty() {
            return Err(line_err(input, i + 1, "no name".into()));
        }
        if let Some(first) = seen.insert(entry.id.clone(), i + 1) {
            return Err(line_err(
                input,
                i + 1,
                format!("{} repeats line {first}", entry.id),
            ));
        }
        out.push(entry);
    }
    if out.is_empty() {
        return Err(GazetteerError::Data {
            path: input.to_path_buf(),
            message: "no places in the dump".into(),
        });
    }
    Ok(out)
}

fn number<T: std::str::FromStr>(s: &str, what: &'static str) -> Result<T, LineFault> {
    LineFault::number(s, what)
}

fn names_of<'a>(first: &[&'a str], alternates: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut seen = HashSet::new();
    first
        .iter()
        .copied()
        .chain(alternates)
        .map(str::trim)
        .filter(|n| !n.is_empty() && n.chars().count() <= 80)
        .filter(|n| seen.insert(*n))
        .map(str::to_string)
        .collect()
}

/// The standard 19-column GeoNames format.
fn standard(f: &[&str]) -> Result<Entry, LineFault> {
    if f.len() != 19 {
        return Err(LineFault::Fields {
            expected: "the 19 tab-separated GeoNames columns",
            found: f.len(),
        });
    }
    if f[1].trim().is_empty() {
        return Err(LineFault::Empty("name"));
    }
    let (lat, lon) = LineFault::on_globe(number(f[4], "latitude")?, number(f[5], "longitude")?)?;
    let population: u64 = number(f[14], "population").unwrap_or(0);
    let kind = kind_of(f[6], f[7], population);
    Ok(Entry {
        site: None,
        id: format!("geonames:{}", number::<u64>(f[0], "geonameid")?),
        kind,
        name: f[1].to_string(),
        lat,
        lon,
        country: f[8].to_string(),
        admin1: None,
        admin2: None,
        population,
        sources: vec!["geonames-import".into()],
        names: names_of(&[f[1], f[2]], f[3].split(',')),
    })
}

/// A headered TSV (geonameid, name, latitude, longitude, country_code, population,
/// alternatenames ...), as in `shared/data/gazetteer/world_cities500.tsv`.
fn headered(f: &[&str], cols: &[&str]) -> Result<Entry, LineFault> {
    let get = |name: &str| -> &str {
        cols.iter()
            .position(|c| *c == name)
            .and_then(|i| f.get(i))
            .copied()
            .unwrap_or("")
    };
    let (lat, lon) = LineFault::on_globe(
        number(get("latitude"), "latitude")?,
        number(get("longitude"), "longitude")?,
    )?;
    let population: u64 = number(get("population"), "population").unwrap_or(0);
    let code = get("feature_code");
    let class = match get("feature_class") {
        "" => "P",
        c => c,
    };
    Ok(Entry {
        site: None,
        id: format!("geonames:{}", number::<u64>(get("geonameid"), "geonameid")?),
        kind: kind_of(class, code, population),
        name: get("name").to_string(),
        lat,
        lon,
        country: get("country_code").to_string(),
        admin1: None,
        admin2: None,
        population,
        sources: vec!["geonames-import".into()],
        names: names_of(
            &[get("name"), get("asciiname")],
            get("alternatenames").split('|'),
        ),
    })
}

/// The kind of a GeoNames feature class and code.
fn kind_of(class: &str, code: &str, population: u64) -> PlaceKind {
    match class {
        "P" => super::build::populated_kind(code, population),
        "A" => match code {
            c if c.starts_with("PCL") => PlaceKind::Country,
            "ADM1" | "ADM1H" => PlaceKind::Governorate,
            "ADM2" | "ADM2H" => PlaceKind::District,
            c if c.starts_with("ADM") => PlaceKind::Subdistrict,
            _ => PlaceKind::Region,
        },
        "L" => PlaceKind::Region,
        _ => PlaceKind::Landmark,
    }
}

/// Writes entries and their index into `out_dir` (each file atomically).
pub fn write(
    entries: &[Entry],
    version: &str,
    out_dir: &Path,
) -> Result<ImportReport, GazetteerError> {
    std::fs::create_dir_all(out_dir).map_err(|e| io(out_dir, e))?;
    let mut tsv = String::with_capacity(entries.len() * 120);
    tsv.push_str(TSV_HEADER);
    tsv.push('\n');
    for e in entries {
        tsv.push_str(&e.to_tsv());
        tsv.push('\n');
    }
    let names: Vec<Vec<&str>> = entries
        .iter()
        .map(|e| e.names.iter().map(String::as_str).collect())
        .collect();
    let name_count = names.iter().map(Vec::len).sum();
    let parts = index::build(
        names
            .iter()
            .enumerate()
            .map(|(i, n)| (i as u32, n.as_slice())),
    );
    let keys = parts.keys.iter().filter(|&&b| b == b'\n').count();
    let version = version.chars().take(16).collect::<String>();
    let files = parts.files();
    for (name, bytes) in [("places.tsv", tsv.as_bytes())]
        .into_iter()
        .chain(files.iter().copied())
        .chain([("version.txt", version.as_bytes())])
    {
        let path = out_dir.join(name);
        crate::util::atomic::write(&path, bytes).map_err(|e| io(&path, e))?;
    }
    Ok(ImportReport {
        entries: entries.len(),
        names: name_count,
        keys,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: &str, name: &str) -> String {
        format!("{id}\t{name}\t{name}\t\t35.5\t36.5\tP\tPPL\tSY\t\t01\t\t\t\t100\t\t100\tAsia/Damascus\t2024-01-01")
    }

    #[test]
    fn a_dump_with_wrong_columns_repeated_ids_no_names_or_no_places_is_refused() {
        let input = Path::new("dump.txt");
        assert_eq!(parse(input, &row("1", "Ariha")).unwrap().len(), 1);
        for (text, want) in [
            (format!("{}\textra", row("1", "Ariha")), "expected the 19"),
            (
                row("1", "Ariha").rsplit_once('\t').unwrap().0.to_string(),
                "expected the 19",
            ),
            (
                format!("{}\n{}", row("1", "Ariha"), row("1", "Douma")),
                "repeats line 1",
            ),
            (row("2", ""), "no name"),
            (String::new(), "no places"),
            ("# only a comment".to_string(), "no places"),
            (
                "geonameid\tname\tlatitude\n1\tAriha\t35.8".to_string(),
                "dump.txt:1: the header has no longitude column",
            ),
        ] {
            let err = parse(input, &text).unwrap_err().to_string();
            assert!(err.contains(want), "{text:?}: {err}");
            assert!(!err.contains(":0:"), "{err}");
        }
    }

    #[test]
    fn a_file_named_zip_that_is_none_or_holds_no_dump_is_named_without_a_line() {
        let dir = tempfile::tempdir().unwrap();
        let not_zip = dir.path().join("cut.zip");
        std::fs::write(&not_zip, "<html>maintenance</html>").unwrap();
        let mut buf = std::io::Cursor::new(Vec::new());
        {
            use std::io::Write;
            let mut z = zip::ZipWriter::new(&mut buf);
            z.start_file("readme.txt", zip::write::SimpleFileOptions::default())
                .unwrap();
            z.write_all(b"about").unwrap();
            z.finish().unwrap();
        }
        let no_dump = dir.path().join("readme-only.zip");
        std::fs::write(&no_dump, buf.into_inner()).unwrap();
        for (path, want) in [
            (&not_zip, "cut.zip: named .zip but not a zip archive"),
            (&no_dump, "readme-only.zip: zip archive: no .txt member"),
        ] {
            let out = dir.path().join("out");
            let err = import_geonames(path.to_str().unwrap(), &out)
                .unwrap_err()
                .to_string();
            assert!(err.contains(want), "{err}");
        }
    }

    #[test]
    fn a_zip_member_past_the_limit_is_refused_before_it_fills_memory() {
        use std::io::Write;
        let mut buf = std::io::Cursor::new(Vec::new());
        {
            let mut z = zip::ZipWriter::new(&mut buf);
            let opts = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated);
            z.start_file("allCountries.txt", opts).unwrap();
            z.write_all(&vec![b'\n'; 1 << 20]).unwrap();
            z.finish().unwrap();
        }
        let bytes = buf.into_inner();
        assert!(bytes.len() < 20_000, "a small zip: {}", bytes.len());
        let err = unzip(Path::new("bomb.zip"), &bytes, 100_000).unwrap_err();
        assert!(err.to_string().contains("more than 100000 bytes"), "{err}");
        assert_eq!(
            unzip(Path::new("ok.zip"), &bytes, 1 << 20).unwrap().len(),
            1 << 20
        );
    }
}

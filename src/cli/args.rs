//! The command line: clap derive definitions for every subcommand and its options.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::aggregate::Granularity;

/// Turn reports of war casualties into maps.
#[derive(Debug, Parser)]
#[command(name = "tollmap", version, about, long_about = None)]
pub struct Cli {
    /// Print nothing but errors.
    #[arg(short, long, global = true)]
    pub quiet: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Extract claims, resolve places and write the map layers into a folder.
    ///
    /// Writes the layers claims, events, places, origins, admin1 and admin2 (.geojson each,
    /// and all six in tollmap.gpkg), claims.csv, cumulative.csv, unresolved.csv,
    /// tiles.pmtiles (unless --no-tiles), the web map index.html with map.js, map.css and
    /// data.js (unless --no-web), corrections-unmatched.csv (with --corrections) and
    /// manifest.json. All are made before any is moved into place: a failed run leaves the
    /// previous output whole. README, "Try this first" lists what each holds.
    ///
    /// Example: tollmap build examples/ --out output/
    Build(BuildArgs),
    /// Print the claims found in the inputs.
    ///
    /// Example: tollmap extract --format jsonl article.txt --published 2016-08-08
    Extract(ExtractArgs),
    /// Look place names up in the gazetteer.
    ///
    /// Exit code 0 when every name resolved, 1 when some did not.
    ///
    /// Example: tollmap geocode Jableh "Beit Yashout" --format jsonl
    Geocode(GeocodeArgs),
    /// Inspect or rebuild the bundled gazetteer.
    #[command(subcommand)]
    Gazetteer(GazetteerCommand),
    /// Make vector tiles (PMTiles or MBTiles) of any GeoJSON points and polygons.
    ///
    /// Points are clustered at low zooms with `point_count` and the --accumulate fields
    /// summed, so totals survive at every zoom; the same input gives the same bytes.
    ///
    /// Example: tollmap tiles output/places.geojson -o places.pmtiles --cluster-distance 10
    /// --accumulate killed_low:sum --accumulate killed_high:upper
    Tiles(TilesArgs),
    /// Serve an output folder over HTTP (with range requests, for tiles.pmtiles) to open its
    /// web map in a browser.
    ///
    /// Example: tollmap serve output/ --port 8000   (then open http://127.0.0.1:8000/)
    Serve(ServeArgs),
    /// Refresh a map from its sources into an archive that forgets nothing, and say what
    /// changed.
    ///
    /// Fetches what is new, keeps every document ever read (and each edit of it) in the
    /// archive, extracts only new or changed documents, makes the layers again from the whole
    /// archive and writes changes.json and changes.md. Exit codes: 0 done, 1 done with
    /// warnings (a source failed; the archive was used), 2 bad input or configuration,
    /// 3 changed (with --check), 4 every source failed and the archive is empty.
    ///
    /// Example: tollmap refresh --project tollmap.toml
    Refresh(RefreshArgs),
    /// Write a review sheet of the claims most in need of a look: lowest confidence, then
    /// largest counts, first.
    ///
    /// Writes review.csv (for spreadsheets) and review.html (with review.js, review.css and
    /// review-data.js): each claim's sentence with its count, place, date and victims marked,
    /// the tool's choices, and a form whose changes become rows of a corrections file,
    /// downloaded as corrections.csv for `build --corrections`. Exit code 1 when an input or
    /// a correction had a problem.
    ///
    /// Example: tollmap review examples/ --out review/   (then open review/review.html)
    Review(ReviewArgs),
    /// Write a commented example project file (tollmap.toml).
    ///
    /// Example: tollmap init && tollmap refresh --project tollmap.toml
    Init(InitArgs),
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The folder to serve (a `build` output).
    #[arg(value_name = "DIR", default_value = "output")]
    pub dir: PathBuf,
    /// Port; 0 picks a free one (the URL is printed).
    #[arg(long, default_value_t = 8000)]
    pub port: u16,
    /// Address to listen on; the default serves this machine only.
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: String,
}

#[derive(Debug, Args)]
pub struct TilesArgs {
    /// GeoJSON files (FeatureCollection or Feature), read as a stream; each is a layer named
    /// after its file, unless --layer puts them all in one.
    #[arg(required = true, value_name = "IN.geojson")]
    pub inputs: Vec<PathBuf>,
    /// The archive to write: .pmtiles or .mbtiles.
    #[arg(short = 'o', long = "output", value_name = "OUT")]
    pub output: PathBuf,
    /// Lowest zoom.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub min_zoom: u8,
    /// Highest zoom (at most 20); every point is its own feature there.
    #[arg(long, value_name = "N", default_value_t = 14)]
    pub max_zoom: u8,
    /// One layer of this name for all inputs.
    #[arg(long, value_name = "NAME")]
    pub layer: Option<String>,
    /// Cluster points closer than this many pixels (of a 256-pixel tile) below the highest
    /// zoom; 0 clusters only what the tile size cap needs.
    #[arg(long, value_name = "PIXELS", default_value_t = 0.0, value_parser = between(0.0, 256.0))]
    pub cluster_distance: f64,
    /// How clusters combine a field: FIELD:OP with OP sum, min, max, count, or upper (a sum
    /// that is null when a member has none: for unbounded upper bounds). Repeatable.
    #[arg(long, value_name = "FIELD:OP")]
    pub accumulate: Vec<crate::tiles::Accumulate>,
    /// Pixels (of a 256-pixel tile) drawn around each tile.
    #[arg(long, value_name = "PIXELS", default_value_t = 5.0, value_parser = between(0.0, 128.0))]
    pub buffer: f64,
    /// Largest gzip tile; bigger tiles have their points clustered harder.
    #[arg(long, value_name = "BYTES", default_value_t = 500_000)]
    pub max_tile_bytes: usize,
    /// Attribution stored in the metadata.
    #[arg(long, value_name = "TEXT", default_value = "")]
    pub attribution: String,
    /// Only these properties go into the tiles (tippecanoe's -y); repeatable or
    /// comma-separated.
    #[arg(short = 'y', long, value_name = "FIELD", value_delimiter = ',')]
    pub include: Vec<String>,
    /// Leave these properties out of the tiles (tippecanoe's -x), such as the id lists of an
    /// area layer; repeatable or comma-separated.
    #[arg(short = 'x', long, value_name = "FIELD", value_delimiter = ',')]
    pub exclude: Vec<String>,
}

/// Options shared by the commands that read documents.
#[derive(Debug, Args)]
pub struct InputArgs {
    /// Input files (.txt, .md, .jsonl, .html, .csv), folders of them, or http(s) URLs of
    /// article pages and RSS/Atom feeds (given here, they replace the project's sources).
    #[arg(value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,
    /// A project file (`tollmap init` writes one): its sources, overlays and options, which
    /// flags given here override.
    #[arg(long, value_name = "FILE")]
    pub project: Option<PathBuf>,
    /// Keep downloads here and revalidate them (ETag / Last-Modified) on the next run; a
    /// server that fails then serves the last good copy (with a warning and exit code 1).
    #[arg(long, value_name = "DIR")]
    pub cache: Option<PathBuf>,
    /// Seconds a request may take, body included.
    #[arg(long, value_name = "SECS", default_value_t = 30.0, value_parser = between(0.1, 3600.0))]
    pub timeout: f64,
    /// Retries after a 429 or 5xx answer, a timeout, a reset connection or a body cut short
    /// (exponential backoff from 0.5 s; Retry-After, in seconds or as a date, wins; no wait
    /// is longer than 30 s).
    #[arg(long, value_name = "N", default_value_t = 3)]
    pub retries: u32,
    /// Seconds all fetching of the run may take (every URL, feed link and retry); URLs not
    /// fetched by then fail, each named.
    #[arg(long, value_name = "SECS", default_value_t = 1800.0, value_parser = between(1.0, 86400.0))]
    pub fetch_deadline: f64,
    /// Seconds between two requests to one host (0 to 60; 0: none), for sites whose feeds
    /// link many pages.
    #[arg(long, value_name = "SECS", default_value_t = 0.0, value_parser = between(0.0, 60.0))]
    pub host_delay: f64,
    /// Largest body accepted, in megabytes (1 to 4096).
    #[arg(long, value_name = "MB", default_value_t = 20, value_parser = clap::value_parser!(u64).range(1..=4096))]
    pub max_mb: u64,
    /// Publication date (YYYY-MM-DD) of text files that carry none; relative dates such as
    /// "on Thursday" are resolved against it.
    #[arg(long, value_name = "DATE", value_parser = parse_date_arg)]
    pub published: Option<jiff::civil::Date>,
    #[command(flatten)]
    pub gazetteer: GazetteerArgs,
}

/// Options that change the gazetteer.
#[derive(Debug, Args)]
pub struct GazetteerArgs {
    /// Extra places and aliases (CSV or GeoJSON) that win over the bundled gazetteer;
    /// repeatable. The columns: README, "Options by purpose" (Gazetteer, Landmarks).
    #[arg(long = "gazetteer-overlay", value_name = "FILE")]
    pub overlays: Vec<PathBuf>,
    /// A gazetteer folder written by `tollmap gazetteer import` (e.g. the world's cities),
    /// consulted after the bundled one for what it does not hold.
    #[arg(long = "gazetteer-world", value_name = "DIR")]
    pub world: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Output folder (created if missing).
    #[arg(short, long, value_name = "DIR", default_value = "output")]
    pub out: PathBuf,
    /// Period the place layers are summed by: day, week (ISO, Monday first), month or year.
    #[arg(long, default_value = "month", value_parser = period_parser())]
    pub period: Granularity,
    /// Claims whose places are at most this far apart (km) may report one event.
    #[arg(long, value_name = "KM", default_value_t = 10.0, value_parser = between(0.0, 1000.0))]
    pub event_km: f64,
    /// Days each claim's dates are widened by before they must overlap to be one event.
    #[arg(long, value_name = "DAYS", default_value_t = 1, value_parser = clap::value_parser!(i32).range(0..=366))]
    pub event_days: i32,
    /// Do not group claims of two places of one district into one event (only places within
    /// --event-km).
    #[arg(long)]
    pub no_district_events: bool,
    /// Highest zoom of tiles.pmtiles (0-20); every place is its own point there.
    #[arg(long, value_name = "N", default_value_t = 12, value_parser = clap::value_parser!(u8).range(0..=20))]
    pub tiles_max_zoom: u8,
    /// Do not write tiles.pmtiles.
    #[arg(long)]
    pub no_tiles: bool,
    /// Write the tiles as tiles.mbtiles too: QGIS 3.22 and GDAL before 3.8 open MBTiles,
    /// not PMTiles.
    #[arg(long, conflicts_with = "no_tiles")]
    pub mbtiles: bool,
    /// Copy Leaflet (leaflet.js and leaflet.css, or the npm package `leaflet` holding them in
    /// dist/) next to index.html instead of loading it from its pinned CDN URL: for offline use.
    #[arg(long, value_name = "DIR")]
    pub web_assets: Option<PathBuf>,
    /// Do not write the web map (index.html, map.js, map.css, data.js).
    #[arg(long)]
    pub no_web: bool,
    /// Corrections to apply to the claims before they are summed: a CSV with the header
    /// `claim_id,action,value,note,by` (actions: reject, count, outcome, victims, place, date,
    /// part_of; README, "Corrections"). Rows whose claim is gone go to
    /// corrections-unmatched.csv and are named in the summary.
    #[arg(long, value_name = "FILE")]
    pub corrections: Option<PathBuf>,
    /// Exit with code 1 when any place mention stays unresolved (outputs are still written).
    #[arg(long)]
    pub strict: bool,
    /// Exit with code 1 when more than N place mentions stay unresolved.
    #[arg(long, value_name = "N")]
    pub max_unresolved: Option<usize>,
}

#[derive(Debug, Args)]
pub struct RefreshArgs {
    #[command(flatten)]
    pub build: BuildArgs,
    /// The archive (SQLite); default: the project's, else tollmap-archive.sqlite here.
    #[arg(long, value_name = "FILE")]
    pub archive: Option<PathBuf>,
    /// Write nothing: exit 3 when the layers would change, 0 when not.
    #[arg(long)]
    pub check: bool,
    /// Fetch nothing: make the layers from the archive alone.
    #[arg(long)]
    pub offline: bool,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The project file to write.
    #[arg(default_value = "tollmap.toml", value_name = "FILE")]
    pub file: PathBuf,
    /// Replace the file if it exists.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct ReviewArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Folder to write review.csv and review.html into (created if missing).
    #[arg(short, long, value_name = "DIR", default_value = "review")]
    pub out: PathBuf,
    /// Apply these corrections first (claim_id,action,value,note,by): the sheet shows the
    /// claims as corrected.
    #[arg(long, value_name = "FILE")]
    pub corrections: Option<PathBuf>,
    /// At most this many claims (the first in review order); 0 for all.
    #[arg(long, value_name = "N", default_value_t = 500)]
    pub limit: usize,
    /// Only claims whose confidence is below this (0 to 1).
    #[arg(long, value_name = "C", value_parser = between(0.0, 1.0))]
    pub below: Option<f64>,
}

#[derive(Debug, Args)]
pub struct ExtractArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Jsonl)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct GeocodeArgs {
    /// Place names to look up.
    #[arg(required = true, value_name = "NAME")]
    pub names: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Jsonl)]
    pub format: Format,
    /// Nearby text or a governorate name that helps choose among namesakes
    /// (e.g. "Tartous" for the coastal Baniyas). A name nothing fits falls back to the
    /// place the context is about, with precision 2 and "fallback": true (exit code 1).
    #[arg(long, value_name = "TEXT")]
    pub context: Option<String>,
    /// How many other candidates to list.
    #[arg(long, default_value_t = 3)]
    pub alternatives: usize,
    #[command(flatten)]
    pub gazetteer: GazetteerArgs,
}

#[derive(Debug, Subcommand)]
pub enum GazetteerCommand {
    /// Counts of the bundled gazetteer by kind and country.
    ///
    /// Example: tollmap gazetteer stats --format json
    Stats {
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Check the gazetteer (with any overlays and world layer): unique ids, coordinates in
    /// range, Syrian places inside Syria with a governorate, names present. Exit 1 on problems.
    ///
    /// Example: tollmap gazetteer check --gazetteer-overlay my-places.csv
    Check {
        #[command(flatten)]
        gazetteer: GazetteerArgs,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Rebuild gazetteer/places.tsv from the source datasets.
    ///
    /// Example: tollmap gazetteer build --data ../shared/data --out gazetteer/
    Build {
        /// The shared data folder (with gazetteer/ and boundaries/).
        #[arg(long, value_name = "DIR")]
        data: PathBuf,
        /// Where to write places.tsv.
        #[arg(long, value_name = "DIR", default_value = "gazetteer")]
        out: PathBuf,
    },
    /// Import another gazetteer into a folder that --gazetteer-world opens (memory-mapped).
    #[command(subcommand)]
    Import(ImportCommand),
}

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// A GeoNames dump: the standard 19-column format (allCountries.txt, SY.txt,
    /// cities500.txt) or a headered TSV with geonameid, name, latitude, longitude,
    /// country_code, population and |-separated alternatenames.
    ///
    /// Example: tollmap gazetteer import geonames ../shared/data/gazetteer/world_cities500.tsv --out world/
    ///
    /// Example: tollmap gazetteer import geonames https://download.geonames.org/export/dump/SY.zip --out sy/
    Geonames {
        /// The dump: a file or an http(s):// URL, plain text or zip.
        #[arg(value_name = "FILE|URL")]
        file: String,
        /// The folder to write (created if missing).
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// One JSON object per line.
    Jsonl,
    /// One JSON document.
    Json,
    /// Lines for people.
    Text,
}

/// A number from `low` to `high` (not NaN, not infinite).
fn between(low: f64, high: f64) -> impl Fn(&str) -> Result<f64, String> + Clone {
    move |s: &str| {
        let v: f64 = s
            .trim()
            .parse()
            .map_err(|_| format!("`{s}` is not a number"))?;
        if v.is_finite() && (low..=high).contains(&v) {
            Ok(v)
        } else {
            Err(format!("`{s}` is out of range: expected {low} to {high}"))
        }
    }
}

fn parse_date_arg(s: &str) -> Result<jiff::civil::Date, String> {
    crate::ingest::parse_date(s).ok_or_else(|| format!("`{s}` is not a date (expected YYYY-MM-DD)"))
}

/// `--period`: the names of `Granularity`, listed in the help.
fn period_parser() -> impl clap::builder::TypedValueParser<Value = Granularity> {
    use clap::builder::TypedValueParser as _;
    clap::builder::PossibleValuesParser::new(Granularity::ALL.map(Granularity::as_str))
        .map(|name| Granularity::parse(&name).unwrap_or_default())
}

//! The gazetteer: place records with all their names, the name index, and resolving a mention to a place.
//!
//! The bundled data (`gazetteer/places.tsv`, built by `tollmap gazetteer build` from
//! `../shared/data`) is compiled into the binary, so a fresh clone needs no download.

pub(crate) mod index;
pub mod landmarks;
pub mod nearby;
pub(crate) mod normalize;
mod overlay;
mod world;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use index::{Bytes, Index};

use crate::model::{Place, PlaceKind, PlaceRole, Precision};
use crate::util::{geodesy::distance_km, hash::sha256_hex};

/// The bundled gazetteer, as written by `tollmap gazetteer build`.
pub const BUNDLED_TSV: &str = include_str!("../../gazetteer/places.tsv");

/// The column header of the gazetteer TSV format.
pub const TSV_HEADER: &str =
    "id\tkind\tname\tlat\tlon\tcountry\tadmin1\tadmin2\tpopulation\tsources\tnames\tnear\tradius_m";

/// The header of gazetteers written before landmarks (no `near`, no `radius_m`): still read.
pub const TSV_HEADER_V1: &str =
    "id\tkind\tname\tlat\tlon\tcountry\tadmin1\tadmin2\tpopulation\tsources\tnames";

/// Why one line of a place list (the gazetteer TSV, a GeoNames dump) does not fit its format.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum LineFault {
    /// Too few or too many fields.
    #[error("expected {expected}, found {found}")]
    Fields {
        /// The fields the format has.
        expected: &'static str,
        /// The fields the line has.
        found: usize,
    },
    /// A kind the gazetteer does not know.
    #[error("unknown kind `{0}`")]
    Kind(String),
    /// A field that should be a number.
    #[error("`{field}` is not a number: `{value}`")]
    Number {
        /// The field.
        field: &'static str,
        /// What it holds.
        value: String,
    },
    /// Coordinates off the globe.
    #[error("coordinates out of range: {0}, {1}")]
    Range(f64, f64),
    /// A field that must not be empty.
    #[error("no {0}")]
    Empty(&'static str),
}

impl LineFault {
    /// A number read from `field`, or the fault naming it.
    pub(crate) fn number<T: std::str::FromStr>(
        value: &str,
        field: &'static str,
    ) -> Result<T, LineFault> {
        value.trim().parse().map_err(|_| LineFault::Number {
            field,
            value: value.to_string(),
        })
    }

    /// The coordinates, when they are on the globe.
    pub(crate) fn on_globe(lat: f64, lon: f64) -> Result<(f64, f64), LineFault> {
        if (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon) {
            Ok((lat, lon))
        } else {
            Err(LineFault::Range(lat, lon))
        }
    }
}

/// What can go wrong loading or building a gazetteer.
#[derive(Debug, thiserror::Error)]
pub enum GazetteerError {
    /// A gazetteer line that does not fit the format.
    #[error("{source_name}:{line}: {message}")]
    Format {
        /// The file or source (`bundled`, an overlay path).
        source_name: String,
        /// Its line, counting from 1.
        line: usize,
        /// What does not fit.
        message: String,
    },
    /// A source file that could not be read.
    #[error("{path}")]
    Io {
        /// The file.
        path: PathBuf,
        /// Why it could not be read.
        #[source]
        cause: std::io::Error,
    },
    /// A source file whose content does not fit what the builder expects.
    #[error("{path}: {message}")]
    Data {
        /// The file.
        path: PathBuf,
        /// What does not fit.
        message: String,
    },
}

/// One place of the gazetteer, with every name it is known by. Names starting with `~` are
/// demonyms ("~Syrian"): `geocode` resolves them, running text never takes them as places.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// `geonames:N`, `wof:N`, `ocha:PCODE` or `opensyria:ID`.
    pub id: String,
    /// Kind of place.
    pub kind: PlaceKind,
    /// Display name (English).
    pub name: String,
    /// Latitude, WGS 84.
    pub lat: f64,
    /// Longitude, WGS 84.
    pub lon: f64,
    /// ISO 3166-1 alpha-2 country code.
    pub country: String,
    /// Governorate (OCHA English name) for Syrian places.
    pub admin1: Option<String>,
    /// District (OCHA English name) for Syrian places.
    pub admin2: Option<String>,
    /// Population, 0 when unknown.
    pub population: u64,
    /// The sources the record was merged from.
    pub sources: Vec<String>,
    /// Every name, the display name first. A name starting with `^` is a landmark's name
    /// that is also a settlement's: it resolves to the landmark only with a kind word
    /// ("Kweiris airbase"); alone it is the town's.
    pub names: Vec<String>,
    /// What a landmark has of its own: the town it is described with, its radius.
    pub site: Option<Site>,
}

/// What a landmark record carries besides its point: the town it is described with and the
/// radius within which the real site lies.
#[derive(Debug, Clone, PartialEq)]
pub struct Site {
    /// The town the site is usually described with ("Kuweires" for its airbase).
    pub near: Option<String>,
    /// Radius in metres within which the site lies, as its source allows.
    pub radius_m: Option<u32>,
}

/// The source tag of a record whose only source is weak (a single editor-placed map mark).
pub const WEAK_SOURCE: &str = "landmarks-syria-weak";

impl Entry {
    /// One TSV line (no newline) in the bundled format.
    pub fn to_tsv(&self) -> String {
        let clean = |s: &str| s.replace(['\t', '\n', '\r', '|'], " ");
        format!(
            "{}\t{}\t{}\t{:.5}\t{:.5}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
            self.id,
            self.kind.as_str(),
            clean(&self.name),
            self.lat,
            self.lon,
            self.country,
            self.admin1.as_deref().map(clean).unwrap_or_default(),
            self.admin2.as_deref().map(clean).unwrap_or_default(),
            self.population,
            self.sources.join("|"),
            self.names
                .iter()
                .map(|n| clean(n))
                .collect::<Vec<_>>()
                .join("|"),
            self.site
                .as_ref()
                .and_then(|s| s.near.as_deref())
                .map(clean)
                .unwrap_or_default(),
            self.site
                .as_ref()
                .and_then(|s| s.radius_m)
                .map(|r| r.to_string())
                .unwrap_or_default(),
        )
    }

    /// True when the record's only source is weak (see [`WEAK_SOURCE`]).
    pub fn weak_source(&self) -> bool {
        self.sources.iter().any(|s| s == WEAK_SOURCE)
    }

    /// How important the place is on its own, before any context: kind and population.
    fn importance(&self) -> f64 {
        // A bare name means the city more often than the governorate or district named after
        // it ("Aleppo", "Hama"); "X province" passes a kind hint that outweighs this.
        let kind = match self.kind {
            // A country outranks a same-named city ("Armenia", "Jordan").
            PlaceKind::Country => 0.9,
            PlaceKind::City => 0.5,
            PlaceKind::Town => 0.3,
            // A first-level division abroad (a US state, a Canadian province) is bundled
            // because world news names it: like a country, it outranks a same-named city.
            PlaceKind::Governorate if self.country != "SY" => 0.9,
            PlaceKind::Governorate => 0.25,
            // "The Middle East" is the region before it is a hamlet of that name.
            PlaceKind::Region => 0.45,
            PlaceKind::District => 0.05,
            PlaceKind::Village => 0.0,
            PlaceKind::Subdistrict => -0.05,
            PlaceKind::Neighbourhood => -0.1,
            // A site yields to a settlement of the same name: "Kuweires" is the town.
            _ => -0.2,
        };
        let populated = matches!(
            self.kind,
            PlaceKind::City | PlaceKind::Town | PlaceKind::Village
        );
        let pop = if populated { self.population } else { 0 };
        kind + ((pop as f64) + 1.0).log10() / 20.0
    }
}

/// What [`Gazetteer::look_up`] answers for a name.
#[derive(Debug)]
pub struct LookUp<'g> {
    /// Every entry the name may name, best first.
    pub candidates: Vec<Candidate<'g>>,
    /// No candidate: the place a landmark phrase is named after (precision 2).
    pub fallback: Option<&'g Entry>,
    /// No candidate: the kind of landmark the phrase asks for, to add to the gazetteer.
    pub landmark_to_add: Option<PlaceKind>,
}

/// How a name matched a gazetteer entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MatchKind {
    /// The strict keys are equal.
    Exact,
    /// The loose keys are equal and the strict keys close.
    Loose,
    /// Nothing matched exactly or loosely; a key within one or two edits did.
    Fuzzy,
}

impl MatchKind {
    /// The word the claim JSON and `geocode` give it.
    pub fn as_str(self) -> &'static str {
        match self {
            MatchKind::Exact => "exact",
            MatchKind::Loose => "loose",
            MatchKind::Fuzzy => "fuzzy",
        }
    }

    /// As a place records it: `None` for an exact match.
    pub fn name_match(self) -> Option<crate::model::NameMatch> {
        match self {
            MatchKind::Exact => None,
            MatchKind::Loose => Some(crate::model::NameMatch::Loose),
            MatchKind::Fuzzy => Some(crate::model::NameMatch::Fuzzy),
        }
    }
}

impl Candidate<'_> {
    /// How closely the mention places the claim: the entry's own precision, but never
    /// better than 2 for a name one or two letters off (it may be another place nearby).
    pub fn precision(&self) -> Precision {
        let own = self.entry.kind.precision();
        if self.matched == MatchKind::Fuzzy {
            own.max(Precision::NEAR)
        } else {
            own
        }
    }
}

/// A possible place for a mention, with its score.
#[derive(Debug, Clone)]
pub struct Candidate<'g> {
    /// The gazetteer entry.
    pub entry: &'g Entry,
    /// How the name matched.
    pub matched: MatchKind,
    /// Similarity of the mention to the closest name of the entry, in [0, 1].
    pub similarity: f64,
    /// The overall score: similarity, importance and context.
    pub score: f64,
}

/// What the rest of a document says about where its places are.
#[derive(Debug, Clone, Default)]
pub struct Context {
    /// Governorates (OCHA names) the document names.
    pub admin1: Vec<String>,
    /// Points of places already resolved in the document.
    pub points: Vec<(f64, f64)>,
    /// A preferred kind, when the text says "X province" or "X city".
    pub kind_hint: Option<PlaceKind>,
    /// Countries (ISO codes) the document's places are in.
    pub countries: Vec<String>,
    /// The place the document is about (its most-named Syrian populated place): where a
    /// mention nothing fits falls back to, with precision 2.
    pub anchor: Option<Entry>,
}

impl Context {
    /// What the context adds to a place's score: `in_admin1` when the place lies in a
    /// governorate the document names, up to `near_points` the closer it lies to the
    /// document's places (halving about every 35 km).
    fn closeness(&self, e: &Entry, in_admin1: f64, near_points: f64) -> f64 {
        let mut s = 0.0;
        if e.admin1.as_ref().is_some_and(|a| self.admin1.contains(a)) {
            s += in_admin1;
        }
        if let Some(d) = self
            .points
            .iter()
            .map(|&(lat, lon)| distance_km(lat, lon, e.lat, e.lon))
            .reduce(f64::min)
        {
            s += near_points * (-d / 50.0).exp();
        }
        s
    }
}

/// A key's matches before scoring: (entry index, how it matched, similarity).
type RawMatches = std::sync::Arc<Vec<(u32, MatchKind, f64)>>;

/// A bounded, thread-safe memo of `Gazetteer::raw_matches`; a clone starts empty.
#[derive(Default)]
struct MatchCache(std::sync::Mutex<crate::util::hash::FnvHashMap<String, RawMatches>>);

/// The best place with no context for each mention text (with the number of candidates),
/// memoised: extraction asks it of every mention of every document.
#[derive(Debug, Default)]
struct DefaultMemo(std::sync::Mutex<crate::util::hash::FnvHashMap<Box<str>, Option<BestDefault>>>);

/// Verdicts of a caller's test on a span of text ("does this name a place well enough?"),
/// memoised per gazetteer: a corpus names the same places over and over. Bit 0 holds the
/// verdict in a risky position, bit 1 elsewhere; bits 2 and 3 say which are known.
#[derive(Debug, Default)]
struct SpanMemo(std::sync::Mutex<crate::util::hash::FnvHashMap<Box<str>, u8>>);

/// The sites a core key fits: (entry index, fit), context aside.
type SiteFits = std::sync::Arc<Vec<(u32, f64)>>;

/// The sites a core key and kinds fit, memoised per gazetteer.
#[derive(Debug, Default)]
struct SiteMemo(std::sync::Mutex<crate::util::hash::FnvHashMap<Box<str>, SiteFits>>);

/// The best entry for a mention with no context, and how many candidates it had.
pub type BestDefault = (std::sync::Arc<Entry>, usize);

/// Keys kept before the cache is emptied and refilled.
const CACHE_LIMIT: usize = 200_000;

impl Clone for MatchCache {
    fn clone(&self) -> Self {
        MatchCache::default()
    }
}

impl std::fmt::Debug for MatchCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MatchCache")
    }
}

/// The lowest similarity a loose match must reach to count.
const LOOSE_MIN_SIMILARITY: f64 = 0.7;

/// A loaded gazetteer: entries (parsed when first used) and the name index.
#[derive(Debug)]
pub struct Gazetteer {
    /// The TSV text the entries come from (empty when built from entries).
    text: Bytes,
    /// Byte ranges of the entry lines in `text`.
    lines: Vec<(usize, usize)>,
    /// Entries, parsed on first access (`None`: a line that does not parse).
    entries: Vec<OnceLock<Option<Entry>>>,
    /// `best_default` answers so far.
    default_memo: DefaultMemo,
    /// `span_verdict` answers so far.
    span_memo: SpanMemo,
    /// The strict key of each entry's own name, computed on first use.
    primary_keys: Vec<OnceLock<Box<str>>>,
    index: Index,
    /// Context-free matches of keys already looked up (names repeat across a corpus).
    cache: MatchCache,
    /// Content hash of the data it was loaded from.
    version: String,
    /// The look-up keys of the landmarks, gathered on first use.
    sites: OnceLock<Vec<landmarks::SiteKeys>>,
    /// `site_fits` answers so far.
    site_memo: SiteMemo,
    /// User places that win over these (`--gazetteer-overlay`).
    overlay: Option<Box<Gazetteer>>,
    /// A larger imported gazetteer consulted after this one (`--gazetteer-world`).
    world: Option<Box<Gazetteer>>,
}

/// How much an overlay candidate's score is raised: it wins over any bundled one.
const OVERLAY_BONUS: f64 = 5.0;

fn bundled_bytes(b: &'static [u8]) -> Bytes {
    Bytes::Static(b)
}

impl Gazetteer {
    /// The gazetteer compiled into the binary, with the index `build.rs` made for it.
    pub fn bundled() -> Result<Gazetteer, GazetteerError> {
        let out = |message: &str| GazetteerError::Format {
            source_name: "bundled gazetteer/places.tsv".into(),
            line: 1,
            message: message.into(),
        };
        let index = Index::from_parts(
            bundled_bytes(include_bytes!(concat!(env!("OUT_DIR"), "/exact.fst"))),
            bundled_bytes(include_bytes!(concat!(env!("OUT_DIR"), "/loose.fst"))),
            bundled_bytes(include_bytes!(concat!(env!("OUT_DIR"), "/postings.bin"))),
            bundled_bytes(include_bytes!(concat!(env!("OUT_DIR"), "/keys.txt"))),
            bundled_bytes(include_bytes!(concat!(env!("OUT_DIR"), "/key_offsets.bin"))),
            include_bytes!(concat!(env!("OUT_DIR"), "/demonyms.txt")),
            bundled_bytes(include_bytes!(concat!(env!("OUT_DIR"), "/deletes.fst"))),
        )
        .ok_or_else(|| out("the compiled index is not valid"))?;
        let text = BUNDLED_TSV;
        if !text.starts_with(TSV_HEADER_V1) {
            return Err(out(&format!("expected the header `{TSV_HEADER}`")));
        }
        let lines = line_ranges(text);
        Ok(Gazetteer {
            entries: (0..lines.len()).map(|_| OnceLock::new()).collect(),
            primary_keys: (0..lines.len()).map(|_| OnceLock::new()).collect(),
            lines,
            text: Bytes::Static(text.as_bytes()),
            index,
            cache: MatchCache::default(),
            default_memo: DefaultMemo::default(),
            span_memo: SpanMemo::default(),
            sites: OnceLock::new(),
            site_memo: SiteMemo::default(),
            version: include_str!(concat!(env!("OUT_DIR"), "/version.txt")).to_string(),
            overlay: None,
            world: None,
        })
    }

    /// The bundled gazetteer, loaded once per process and shared.
    pub fn shared() -> Result<&'static Gazetteer, GazetteerError> {
        static SHARED: OnceLock<Gazetteer> = OnceLock::new();
        if let Some(g) = SHARED.get() {
            return Ok(g);
        }
        let g = Gazetteer::bundled()?;
        Ok(SHARED.get_or_init(|| g))
    }

    /// Loads a gazetteer TSV file.
    pub fn from_path(path: &Path) -> Result<Gazetteer, GazetteerError> {
        let text = std::fs::read_to_string(path).map_err(|cause| GazetteerError::Io {
            path: path.to_path_buf(),
            cause,
        })?;
        Gazetteer::from_tsv(&text, &path.display().to_string())
    }

    /// Parses (and checks) the TSV format that `tollmap gazetteer build` writes.
    pub fn from_tsv(text: &str, source_name: &str) -> Result<Gazetteer, GazetteerError> {
        let mut entries = Vec::new();
        for (i, line) in text.lines().enumerate() {
            if i == 0 {
                if line != TSV_HEADER && line != TSV_HEADER_V1 {
                    return Err(GazetteerError::Format {
                        source_name: source_name.to_string(),
                        line: 1,
                        message: format!("expected the header `{TSV_HEADER}`"),
                    });
                }
                continue;
            }
            if line.is_empty() {
                continue;
            }
            entries.push(parse_line(line).map_err(|fault| GazetteerError::Format {
                source_name: source_name.to_string(),
                line: i + 1,
                message: fault.to_string(),
            })?);
        }
        Gazetteer::from_entries(entries, &sha256_hex(text.as_bytes()))
    }

    /// A gazetteer over entries, its index built in memory.
    pub fn from_entries(entries: Vec<Entry>, version: &str) -> Result<Gazetteer, GazetteerError> {
        let names: Vec<Vec<&str>> = entries
            .iter()
            .map(|e| e.names.iter().map(String::as_str).collect())
            .collect();
        let parts = index::build(
            names
                .iter()
                .enumerate()
                .map(|(i, n)| (i as u32, n.as_slice())),
        );
        let index = Index::from_built(parts).ok_or_else(|| GazetteerError::Format {
            source_name: "index built in memory".into(),
            line: 0,
            message: "the fst index is not valid".into(),
        })?;
        let n = entries.len();
        Ok(Gazetteer {
            text: Bytes::Static(b""),
            lines: Vec::new(),
            entries: entries
                .into_iter()
                .map(|e| OnceLock::from(Some(e)))
                .collect(),
            primary_keys: (0..n).map(|_| OnceLock::new()).collect(),
            index,
            cache: MatchCache::default(),
            default_memo: DefaultMemo::default(),
            span_memo: SpanMemo::default(),
            sites: OnceLock::new(),
            site_memo: SiteMemo::default(),
            version: version.chars().take(16).collect(),
            overlay: None,
            world: None,
        })
    }

    /// This gazetteer with an imported one (`tollmap gazetteer import`) consulted after it.
    pub fn with_world(mut self, dir: &Path) -> Result<Gazetteer, GazetteerError> {
        let world = world::open(dir)?;
        self.version = format!("{}+{}", self.version, world.version);
        self.world = Some(Box::new(world));
        self.forget_answers();
        Ok(self)
    }

    /// A gazetteer over TSV text already in memory (or mapped), with an index of its own.
    pub(crate) fn from_parts(
        text: Bytes,
        index: Index,
        version: String,
    ) -> Result<Gazetteer, GazetteerError> {
        let s = std::str::from_utf8(&text).map_err(|e| GazetteerError::Format {
            source_name: "imported places.tsv".into(),
            line: 0,
            message: format!("not UTF-8: {e}"),
        })?;
        if !s.starts_with(TSV_HEADER_V1) {
            return Err(GazetteerError::Format {
                source_name: "imported places.tsv".into(),
                line: 1,
                message: format!("expected the header `{TSV_HEADER}`"),
            });
        }
        let lines = line_ranges(s);
        Ok(Gazetteer {
            entries: (0..lines.len()).map(|_| OnceLock::new()).collect(),
            primary_keys: (0..lines.len()).map(|_| OnceLock::new()).collect(),
            lines,
            text,
            index,
            cache: MatchCache::default(),
            default_memo: DefaultMemo::default(),
            span_memo: SpanMemo::default(),
            sites: OnceLock::new(),
            site_memo: SiteMemo::default(),
            version,
            overlay: None,
            world: None,
        })
    }

    /// This gazetteer with the places of overlay files (CSV or GeoJSON) layered over it:
    /// where an overlay place fits a name, it wins.
    pub fn with_overlays(mut self, paths: &[&Path]) -> Result<Gazetteer, GazetteerError> {
        if paths.is_empty() {
            return Ok(self);
        }
        let (entries, content_hash) = overlay::read(paths, &self)?;
        let layer = Gazetteer::from_entries(entries, &content_hash)?;
        self.version = format!("{}+{}", self.version, layer.version);
        self.overlay = Some(Box::new(layer));
        self.forget_answers();
        Ok(self)
    }

    /// The places an overlay file's text (CSV or GeoJSON, by the extension of `path`) would
    /// add to this gazetteer, without adding them: what `with_overlays` reads of each file.
    pub fn read_overlay(&self, path: &Path, text: &str) -> Result<Vec<Entry>, GazetteerError> {
        overlay::parse(path, text, self)
    }

    /// Empties the memos: answers given before a layer was added no longer hold.
    fn forget_answers(&mut self) {
        self.cache = MatchCache::default();
        self.default_memo = DefaultMemo::default();
        self.span_memo = SpanMemo::default();
        self.site_memo = SiteMemo::default();
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when there is no entry.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Entry `i`, parsed on first use; `None` for a line that does not parse.
    pub fn entry(&self, i: usize) -> Option<&Entry> {
        self.entries
            .get(i)?
            .get_or_init(|| {
                let (a, b) = *self.lines.get(i)?;
                parse_line(std::str::from_utf8(self.text.get(a..b)?).ok()?).ok()
            })
            .as_ref()
    }

    /// The strict key of entry `i`'s own name.
    fn primary_key(&self, i: usize) -> &str {
        match (self.primary_keys.get(i), self.entry(i)) {
            (Some(cell), Some(e)) => cell.get_or_init(|| normalize::key(&e.name).into()),
            _ => "",
        }
    }

    /// The landmarks' look-up keys, gathered on first use: a line is parsed only when its
    /// kind field names a landmark kind.
    fn sites(&self) -> &[landmarks::SiteKeys] {
        self.sites.get_or_init(|| {
            let mut out = Vec::new();
            for i in 0..self.len() {
                let is_site = match self.lines.get(i) {
                    Some(&(a, b)) => self
                        .text
                        .get(a..b)
                        .and_then(|line| line.split(|&c| c == b'\t').nth(1))
                        .and_then(|k| std::str::from_utf8(k).ok())
                        .and_then(PlaceKind::parse)
                        .is_some_and(PlaceKind::is_landmark),
                    None => self.entry(i).is_some_and(|e| e.kind.is_landmark()),
                };
                let Some(e) = is_site.then(|| self.entry(i)).flatten() else {
                    continue;
                };
                let near = e.site.as_ref().and_then(|s| s.near.as_deref()).map(|n| {
                    let k = normalize::key(landmarks::strip_parentheses(n));
                    let lk = normalize::loose_key_of_key(&k);
                    (k, lk)
                });
                let cores = landmarks::core_keys(&e.names);
                out.push(landmarks::SiteKeys {
                    entry: i as u32,
                    kind: e.kind,
                    folded: cores
                        .iter()
                        .map(|(k, _)| landmarks::fold_endings(k))
                        .collect(),
                    cores,
                    near,
                });
            }
            out
        })
    }

    /// The landmark a core name and the kinds its words fit name ("Kuweires" and an airbase
    /// word: Kuweires Military Airbase), scored by how well the name fits and by the context;
    /// an overlay's sites first.
    pub fn site(&self, core: &str, kinds: &[PlaceKind], ctx: &Context) -> Option<&Entry> {
        if let Some(e) = self.overlay.as_ref().and_then(|o| o.site(core, kinds, ctx)) {
            return Some(e);
        }
        let key = normalize::key(core);
        if key.chars().count() < 2 {
            return None;
        }
        let mut best: Option<(f64, &Entry)> = None;
        for (i, fit) in self.site_fits(key, kinds).iter().copied() {
            let Some(e) = self.entry(i as usize) else {
                continue;
            };
            let mut score = fit + ctx.closeness(e, 0.2, 0.2);
            if kinds.first() == Some(&e.kind) {
                score += 0.1;
            }
            let better = match best {
                None => true,
                Some((b, be)) => score > b || (score == b && e.id < be.id),
            };
            if better {
                best = Some((score, e));
            }
        }
        best.map(|(_, e)| e)
    }

    /// The sites of the given kinds a core key fits, with how well (context aside),
    /// memoised: a corpus names the same sites over and over.
    fn site_fits(&self, key: String, kinds: &[PlaceKind]) -> SiteFits {
        let memo_key = format!("{key}\t{kinds:?}");
        if let Ok(memo) = self.site_memo.0.lock() {
            if let Some(hit) = memo.get(memo_key.as_str()) {
                return hit.clone();
            }
        }
        let loose = normalize::loose_key_of_key(&key);
        let folded = landmarks::fold_endings(&key);
        let fits: Vec<(u32, f64)> = self
            .sites()
            .iter()
            .filter(|s| kinds.contains(&s.kind))
            .map(|s| {
                let by_town = kinds.first() == Some(&s.kind);
                (s.entry, landmarks::fit(s, &key, &loose, &folded, by_town))
            })
            .filter(|&(_, fit)| fit >= 0.6)
            .collect();
        let fits = std::sync::Arc::new(fits);
        if let Ok(mut memo) = self.site_memo.0.lock() {
            if memo.len() >= CACHE_LIMIT {
                memo.clear();
            }
            memo.insert(memo_key.into(), fits.clone());
        }
        fits
    }

    /// A landmark phrase as a claim place: the site at its own point (precision 1) when the
    /// gazetteer holds it; else, at precision 2, the place the phrase is named after ("the
    /// Hamdaniyeh stadium" within about 25 km of Hamdaniyeh), unless it lies far from the
    /// place the text puts the site in (`around`: "... in Aleppo"), which is then taken;
    /// `None` when none is known.
    pub fn site_place(
        &self,
        mention: &str,
        role: PlaceRole,
        phrase: &landmarks::Phrase<'_>,
        ctx: &Context,
        around: impl FnOnce() -> Option<Entry>,
    ) -> Option<Place> {
        if let Some(e) = self.site(phrase.core, phrase.kinds, ctx) {
            return Some(place_from_entry(mention, role, e));
        }
        let town = self.site_town(phrase.core, ctx);
        let around = around();
        let chosen = match (town, around.as_ref()) {
            (Some(t), Some(e)) if distance_km(t.lat, t.lon, e.lat, e.lon) > SITE_TOWN_KM => e,
            (Some(t), _) => t,
            (None, e) => e?,
        };
        Some(fallback_place(mention, role, chosen))
    }

    /// What `geocode` answers for a name: its candidates, best first. A landmark phrase
    /// ("Kuweires airbase") names the site before anything else; when the gazetteer does not
    /// hold the site and no place has the whole phrase for its exact name, there is no
    /// candidate but the place it is named after, as `fallback` (precision 2), and the kind
    /// of landmark to add.
    pub fn look_up(&self, name: &str, ctx: &Context) -> LookUp<'_> {
        let mut candidates = self.candidates(name, ctx);
        let Some(p) = landmarks::phrase(name) else {
            return LookUp {
                candidates,
                fallback: None,
                landmark_to_add: None,
            };
        };
        let exact = candidates
            .first()
            .is_some_and(|c| c.matched == MatchKind::Exact);
        // The whole phrase is a site's own name ("Fuel Storage Base (al-Wadihi)").
        if exact && candidates[0].entry.kind.is_landmark() {
            return LookUp {
                candidates,
                fallback: None,
                landmark_to_add: None,
            };
        }
        match self.site(p.core, p.kinds, ctx) {
            Some(e) => {
                candidates.retain(|c| c.entry.id != e.id);
                candidates.insert(
                    0,
                    Candidate {
                        entry: e,
                        matched: MatchKind::Exact,
                        similarity: 1.0,
                        score: 1.0,
                    },
                );
            }
            None if exact => {}
            None => {
                return LookUp {
                    candidates: Vec::new(),
                    fallback: self.site_town(p.core, ctx),
                    landmark_to_add: Some(p.kinds[0]),
                }
            }
        }
        LookUp {
            candidates,
            fallback: None,
            landmark_to_add: None,
        }
    }

    /// The Syrian place a landmark the gazetteer does not hold is named after ("Hamdaniyeh"
    /// of "the Hamdaniyeh stadium"), if it holds that.
    pub fn site_town(&self, core: &str, ctx: &Context) -> Option<&Entry> {
        self.candidates(core, ctx)
            .into_iter()
            .find(|c| c.entry.country == "SY" && !c.entry.kind.is_landmark() && c.similarity >= 0.8)
            .map(|c| c.entry)
    }

    /// Every entry that parses, in file order.
    pub fn iter(&self) -> impl Iterator<Item = &Entry> {
        (0..self.len()).filter_map(|i| self.entry(i))
    }

    /// Short content hash identifying the data.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// Number of distinct strict keys (names) in the index.
    pub fn name_count(&self) -> usize {
        self.index.len()
    }

    /// True when some entry has exactly this strict key.
    pub fn has_exact(&self, mention: &str) -> bool {
        self.has_exact_key(&normalize::key(mention))
    }

    /// `has_exact` of a name already normalised with `normalize::key`.
    pub fn has_exact_key(&self, key: &str) -> bool {
        self.index.exact(key).next().is_some()
            || self.overlay.as_ref().is_some_and(|o| o.has_exact_key(key))
    }

    /// True when the name is a demonym or adjective of a place ("Syrian", "Turkish").
    pub fn is_demonym(&self, mention: &str) -> bool {
        self.is_demonym_key(&normalize::key(mention))
    }

    /// `is_demonym` of a name already normalised with `normalize::key`.
    pub fn is_demonym_key(&self, key: &str) -> bool {
        self.index.is_demonym(key)
    }

    /// The entries with exactly this name (up to case, marks and articles): the index alone,
    /// no spelling variants and no ranking.
    pub fn exact(&self, name: &str) -> impl Iterator<Item = &Entry> {
        let k = normalize::key(name);
        self.index
            .exact(&k)
            .filter_map(move |i| self.entry(i as usize))
    }

    /// Number of overlay places layered over this gazetteer.
    pub fn overlay_len(&self) -> usize {
        self.overlay.as_ref().map_or(0, |o| o.len())
    }

    /// Every entry the mention may name, best first.
    pub fn candidates(&self, mention: &str, ctx: &Context) -> Vec<Candidate<'_>> {
        self.candidates_hinted(mention, ctx, None)
    }

    /// `candidates`, with a kind the words ask for ("Idlib province") that overrides the
    /// context's.
    pub fn candidates_hinted(
        &self,
        mention: &str,
        ctx: &Context,
        hint: Option<PlaceKind>,
    ) -> Vec<Candidate<'_>> {
        let hint = hint.or(ctx.kind_hint);
        let k = normalize::key(mention);
        if k.is_empty() {
            return Vec::new();
        }
        let raw = self.raw_matches(&k);
        let mut primary: Vec<bool> = Vec::with_capacity(raw.len());
        let mut out: Vec<Candidate<'_>> = raw
            .iter()
            .filter_map(|&(i, matched, similarity)| {
                let entry = self.entry(i as usize)?;
                primary.push(matched == MatchKind::Exact && self.primary_key(i as usize) == k);
                Some(Candidate {
                    entry,
                    matched,
                    similarity,
                    score: 0.0,
                })
            })
            .collect();
        let demonym = self.index.is_demonym(&k);
        for (c, own_name) in out.iter_mut().zip(primary) {
            c.score = score(c, ctx, hint);
            // The place's own name, not one of its alternate, historic or foreign-language
            // names ("Iraq" is the country before it is an old name of Arak).
            if own_name {
                c.score += PRIMARY_NAME_BONUS;
            }
            // "Iraqi" means Iraq, not a village called Al Iraqi.
            if demonym && matches!(c.entry.kind, PlaceKind::Country | PlaceKind::Region) {
                c.score += 1.5;
            }
        }
        if let Some(world) = &self.world {
            // The imported layer adds what the bundled data does not hold; a place both hold
            // (same id) comes from the bundled data, with its governorate and district.
            for c in world.candidates_hinted(mention, ctx, hint) {
                if !out.iter().any(|o| o.entry.id == c.entry.id) {
                    out.push(c);
                }
            }
        }
        if let Some(layer) = &self.overlay {
            let mut mine = layer.candidates_hinted(mention, ctx, hint);
            for c in &mut mine {
                c.score += OVERLAY_BONUS;
            }
            // An overlay alias of a bundled place (`same_as`) replaces that place.
            out.retain(|c| !mine.iter().any(|m| m.entry.id == c.entry.id));
            out.extend(mine);
        }
        // A name one or two letters off a place abroad whose country the text does not name
        // matches nothing well ("Atlantis" is not Atlanta): no candidate.
        out.retain(|c| {
            c.matched != MatchKind::Fuzzy
                || c.entry.country == "SY"
                || ctx.countries.contains(&c.entry.country)
        });
        out.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then_with(|| a.entry.id.cmp(&b.entry.id))
        });
        out
    }

    /// Exact, loose, and (when neither finds anything) fuzzy matches of a strict key, memoised.
    fn raw_matches(&self, k: &str) -> RawMatches {
        if let Ok(cache) = self.cache.0.lock() {
            if let Some(hit) = cache.get(k) {
                return hit.clone();
            }
        }
        let mut out: Vec<(u32, MatchKind, f64)> = self
            .index
            .exact(k)
            .map(|i| (i, MatchKind::Exact, 1.0))
            .collect();
        let klen = k.chars().count();
        for (i, kid) in self.index.loose(&normalize::loose_key_of_key(k)) {
            let name_key = self.index.key(kid);
            // Lengths too far apart cannot reach the threshold: skip the edit distance.
            let nlen = name_key.chars().count();
            let longer = klen.max(nlen).max(1) as f64;
            if (klen.abs_diff(nlen) as f64) / longer > 1.0 - LOOSE_MIN_SIMILARITY {
                continue;
            }
            let similarity = normalize::similarity(k, name_key);
            if similarity < LOOSE_MIN_SIMILARITY {
                continue;
            }
            match out.iter_mut().find(|c| c.0 == i) {
                Some(c) => {
                    if c.1 == MatchKind::Loose && similarity > c.2 {
                        c.2 = similarity;
                    }
                }
                None => out.push((i, MatchKind::Loose, similarity)),
            }
        }
        if out.is_empty() {
            out = self.fuzzy_matches(k);
        }
        let out = std::sync::Arc::new(out);
        if let Ok(mut cache) = self.cache.0.lock() {
            if cache.len() >= CACHE_LIMIT {
                cache.clear();
            }
            cache.insert(k.to_string(), out.clone());
        }
        out
    }

    /// Entries whose names are within one edit of the key, or (for keys of 8 characters or
    /// more, when none is) two edits, start with its first letter, and are similar enough.
    fn fuzzy_matches(&self, k: &str) -> Vec<(u32, MatchKind, f64)> {
        let max_distance = match k.chars().count() {
            0..=4 => return Vec::new(),
            5..=7 => 1,
            _ => 2,
        };
        // One edit first (most misspellings), two only when one finds nothing.
        let mut found = Vec::new();
        for distance in 1..=max_distance {
            found = self.index.fuzzy(k, distance);
            if !found.is_empty() {
                break;
            }
        }
        let mut out: Vec<(u32, MatchKind, f64)> = Vec::new();
        for name_key in found {
            let similarity = normalize::similarity(k, &name_key);
            if similarity < LOOSE_MIN_SIMILARITY {
                continue;
            }
            for i in self.index.exact(&name_key) {
                match out.iter_mut().find(|c| c.0 == i) {
                    Some(c) if similarity > c.2 => c.2 = similarity,
                    Some(_) => {}
                    None => out.push((i, MatchKind::Fuzzy, similarity)),
                }
            }
        }
        out
    }

    /// The best place for a mention with no context and the number of candidates, memoised
    /// by the mention text (the layers are fixed once a gazetteer is built).
    pub fn best_default(&self, mention: &str) -> Option<BestDefault> {
        if let Ok(memo) = self.default_memo.0.lock() {
            if let Some(hit) = memo.get(mention) {
                return hit.clone();
            }
        }
        let cands = self.candidates(mention, &Context::default());
        let best = cands
            .first()
            .map(|c| (std::sync::Arc::new(c.entry.clone()), cands.len()));
        if let Ok(mut memo) = self.default_memo.0.lock() {
            if memo.len() >= CACHE_LIMIT {
                memo.clear();
            }
            memo.insert(mention.into(), best.clone());
        }
        best
    }

    /// The verdict of `test` on a span of text in a risky position or not, memoised by the
    /// text (the gazetteer's names are fixed, so a test that depends only on them and on the
    /// text always answers alike).
    pub fn span_verdict(&self, text: &str, risky: bool, test: impl FnOnce() -> bool) -> bool {
        let (value_bit, known_bit) = if risky { (1u8, 4u8) } else { (2u8, 8u8) };
        if let Ok(memo) = self.span_memo.0.lock() {
            if let Some(&v) = memo.get(text) {
                if v & known_bit != 0 {
                    return v & value_bit != 0;
                }
            }
        }
        let verdict = test();
        if let Ok(mut memo) = self.span_memo.0.lock() {
            if memo.len() >= CACHE_LIMIT {
                memo.clear();
            }
            let v = memo.entry(text.into()).or_insert(0);
            *v |= known_bit | if verdict { value_bit } else { 0 };
        }
        verdict
    }

    /// The best place for a mention in its context, or `None` when nothing fits.
    pub fn resolve(&self, mention: &str, ctx: &Context) -> Option<Candidate<'_>> {
        self.candidates(mention, ctx).into_iter().next()
    }

    /// A claim place for a mention: resolved when the gazetteer knows it, else with nulls.
    pub fn place(&self, mention: &str, role: PlaceRole, ctx: &Context) -> Place {
        self.place_hinted(mention, role, ctx, None)
    }

    /// `place`, with a kind the words ask for.
    pub fn place_hinted(
        &self,
        mention: &str,
        role: PlaceRole,
        ctx: &Context,
        hint: Option<PlaceKind>,
    ) -> Place {
        match self
            .candidates_hinted(mention, ctx, hint)
            .into_iter()
            .next()
        {
            Some(c) => {
                let mut p = place_from_entry(mention, role, c.entry);
                p.matched = c.matched.name_match();
                p.precision = Some(c.precision());
                p
            }
            None => Place::unresolved(mention, role),
        }
    }
}

/// Byte ranges of the non-empty lines after the header.
fn line_ranges(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0usize;
    let mut first = true;
    for line in text.split_inclusive('\n') {
        let end = start + line.trim_end_matches(['\n', '\r']).len();
        if !first && end > start {
            out.push((start, end));
        }
        first = false;
        start += line.len();
    }
    out
}

/// A problem `Gazetteer::check` found.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Problem {
    /// The entry's id (or line, for a line that does not parse).
    pub id: String,
    /// What is wrong.
    pub message: String,
}

/// Syria's bounding box (with a little margin for border villages): lat, lon ranges.
const SYRIA_BOX: ((f64, f64), (f64, f64)) = ((32.2, 37.5), (35.5, 42.5));

impl Gazetteer {
    /// Every problem of this gazetteer and its layers.
    pub fn check(&self) -> Vec<Problem> {
        let mut out = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for i in 0..self.len() {
            let Some(e) = self.entry(i) else {
                out.push(Problem {
                    id: format!("line {}", i + 2),
                    message: "the line does not parse".into(),
                });
                continue;
            };
            let mut say = |message: String| {
                out.push(Problem {
                    id: e.id.clone(),
                    message,
                })
            };
            if !seen.insert(e.id.clone()) {
                say("duplicate id".into());
            }
            if e.names.is_empty() || e.name.trim().is_empty() {
                say("no name".into());
            }
            let ((la0, la1), (lo0, lo1)) = SYRIA_BOX;
            let in_box = (la0..=la1).contains(&e.lat) && (lo0..=lo1).contains(&e.lon);
            if e.country == "SY" && !in_box {
                say(format!("Syrian place outside Syria: {}, {}", e.lat, e.lon));
            }
            let needs_admin1 =
                e.country == "SY" && !matches!(e.kind, PlaceKind::Country | PlaceKind::Region);
            if needs_admin1 && e.admin1.is_none() {
                say("Syrian place without a governorate (admin1)".into());
            }
        }
        for layer in [&self.overlay, &self.world].into_iter().flatten() {
            out.extend(layer.check());
        }
        out
    }
}

/// A mention nothing in the gazetteer fits, placed at the known place that encloses it
/// ("Al-Daatour, a suburb of Lattakia"): precision 2 (within about 25 km of a named place),
/// the original words kept in `mention`.
pub fn fallback_place(mention: &str, role: PlaceRole, enclosing: &Entry) -> Place {
    let mut p = place_from_entry(mention, role, enclosing);
    p.precision = Some(FALLBACK_PRECISION);
    p
}

/// How far the town a landmark is named after may lie from the place the text puts it in.
const SITE_TOWN_KM: f64 = 30.0;

/// The precision of a fallback place; no gazetteer entry has it of its own.
pub const FALLBACK_PRECISION: Precision = Precision::NEAR;

/// A claim place at a gazetteer entry.
pub fn place_from_entry(mention: &str, role: PlaceRole, e: &Entry) -> Place {
    Place {
        mention: mention.to_string(),
        role,
        name: Some(e.name.clone()),
        gazetteer_id: Some(e.id.clone()),
        lat: Some(e.lat),
        lon: Some(e.lon),
        admin1: e.admin1.clone(),
        admin2: e.admin2.clone(),
        kind: Some(e.kind),
        precision: Some(e.kind.precision()),
        near: e.site.as_ref().and_then(|s| s.near.clone()),
        radius_m: e.site.as_ref().and_then(|s| s.radius_m),
        weak_source: e.weak_source(),
        matched: None,
    }
}

/// What matching a place's own name (not an alternate one) adds to its score.
const PRIMARY_NAME_BONUS: f64 = 0.3;

fn score(c: &Candidate<'_>, ctx: &Context, hint: Option<PlaceKind>) -> f64 {
    let e = c.entry;
    let mut s = match c.matched {
        MatchKind::Exact => 1.0,
        // A spelling variant counts clearly less than an exact name: importance alone
        // (a big foreign city) must not beat an exact match ("Qardaha" is not Ghardaïa).
        MatchKind::Loose => c.similarity - 0.45,
        MatchKind::Fuzzy => c.similarity - 0.55,
    };
    s += e.importance();
    s += ctx.closeness(e, 0.5, 0.4);
    if let Some(hint) = hint {
        if e.kind == hint {
            s += 1.0;
        }
    }
    if e.country != "SY" && e.country != "ZZ" && !ctx.admin1.is_empty() {
        s -= 0.2;
    }
    if ctx.countries.contains(&e.country) {
        s += 0.3;
    } else if e.country != "SY" && c.matched != MatchKind::Exact {
        // Syria is the default context: a spelling variant abroad needs its country named.
        s -= 0.4;
    }
    s
}

fn parse_line(line: &str) -> Result<Entry, LineFault> {
    let f: Vec<&str> = line.split('\t').collect();
    if f.len() != 11 && f.len() != 13 {
        return Err(LineFault::Fields {
            expected: "13 tab-separated fields (or 11, without near and radius_m)",
            found: f.len(),
        });
    }
    let opt = |s: &str| (!s.is_empty()).then(|| s.to_string());
    let kind = PlaceKind::parse(f[1]).ok_or_else(|| LineFault::Kind(f[1].to_string()))?;
    let (lat, lon) = LineFault::on_globe(
        LineFault::number(f[3], "latitude")?,
        LineFault::number(f[4], "longitude")?,
    )?;
    let population: u64 = LineFault::number(f[8], "population")?;
    let split = |s: &str| -> Vec<String> {
        s.split('|')
            .filter(|x| !x.is_empty())
            .map(str::to_string)
            .collect()
    };
    Ok(Entry {
        id: f[0].to_string(),
        kind,
        name: f[2].to_string(),
        lat,
        lon,
        country: f[5].to_string(),
        admin1: opt(f[6]),
        admin2: opt(f[7]),
        population,
        sources: split(f[9]),
        names: split(f[10]),
        site: match (
            f.get(11).copied().filter(|x| !x.is_empty()),
            f.get(12).copied(),
        ) {
            (None, None | Some("")) => None,
            (near, radius) => Some(Site {
                near: near.map(str::to_string),
                radius_m: match radius.filter(|x| !x.is_empty()) {
                    Some(r) => Some(LineFault::number(r, "radius_m")?),
                    None => None,
                },
            }),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gaz() -> &'static Gazetteer {
        Gazetteer::shared().expect("bundled gazetteer loads")
    }

    fn resolve_name(g: &Gazetteer, name: &str) -> Option<Entry> {
        g.resolve(name, &Context::default())
            .map(|c| c.entry.clone())
    }

    #[test]
    fn bundled_gazetteer_resolves_the_seed_places() {
        let g = gaz();
        // (mention, expected admin1, expected lat, lon within 10 km)
        for (name, admin1, lat, lon) in [
            ("Aleppo", "Aleppo", 36.20, 37.16),
            ("Idlib", "Idleb", 35.93, 36.63),
            ("Lattakia", "Lattakia", 35.53, 35.79),
            ("Latakia", "Lattakia", 35.53, 35.79),
            ("Jableh", "Lattakia", 35.36, 35.93),
            ("Qardaha", "Lattakia", 35.46, 36.06),
            ("Baniyas", "Tartous", 35.18, 35.95),
            ("Tartous", "Tartous", 34.89, 35.89),
            ("Damascus", "Damascus", 33.51, 36.29),
            ("Beit Yashout", "Lattakia", 35.31, 36.12),
            ("Deir Ezzor", "Deir-ez-Zor", 35.34, 40.14),
        ] {
            let e = resolve_name(g, name).unwrap_or_else(|| panic!("{name} unresolved"));
            assert_eq!(e.admin1.as_deref(), Some(admin1), "{name}: {e:?}");
            let d = distance_km(e.lat, e.lon, lat, lon);
            assert!(d < 10.0, "{name}: {d} km off ({e:?})");
        }
    }

    #[test]
    fn spelling_variants_and_regions_resolve() {
        let g = gaz();
        for (name, id_or_admin1, precision) in [
            ("Bahlawaliyet", "Lattakia", 1),
            ("Beit Yashoot", "Lattakia", 1),
            ("Lattakiya", "Lattakia", 1),
            ("Jebleh", "Lattakia", 1),
            ("Tartus", "Tartous", 1),
            ("Hama", "Hama", 1),
            ("Eastern Ghouta", "Rural Damascus", 5),
            ("اللاذقية", "Lattakia", 1),
            ("Al-Ladhiqiyah", "Lattakia", 1),
        ] {
            let e = resolve_name(g, name).unwrap_or_else(|| panic!("{name} unresolved"));
            assert_eq!(e.admin1.as_deref(), Some(id_or_admin1), "{name}: {e:?}");
            assert_eq!(e.kind.precision().code(), precision, "{name}: {e:?}");
        }
        let hama = resolve_name(g, "Hama").unwrap();
        assert_eq!(hama.kind, PlaceKind::City);
    }

    #[test]
    fn demonyms_resolve_to_countries_not_villages() {
        let g = gaz();
        for (name, iso) in [
            ("Iraqi", "IQ"),
            ("Turkish", "TR"),
            ("Syrian", "SY"),
            ("U.S.", "US"),
        ] {
            let e = resolve_name(g, name).unwrap_or_else(|| panic!("{name}"));
            assert_eq!(
                (e.kind, e.country.as_str()),
                (PlaceKind::Country, iso),
                "{name}"
            );
        }
        assert!(g.is_demonym("Syrian"));
        assert!(!g.is_demonym("Syria"));
    }

    #[test]
    fn first_level_divisions_and_regions_abroad_beat_namesakes() {
        let g = gaz();
        for (name, id, precision) in [
            // A US state, not Floridablanca (which GeoNames also calls "Florida").
            ("Florida", "tollmap:admin1-us-fl", 4),
            ("Texas", "tollmap:admin1-us-tx", 4),
            ("Ontario", "tollmap:admin1-ca-on", 4),
            // The country, not Arak (an old name of which is "Iraq").
            ("Iraq", "geonames:99237", 6),
            ("Middle East", "tollmap:region-middle-east", 5),
            // Adjectives in `geocode` name their region.
            ("Kurdish", "tollmap:region-kurdistan", 5),
            ("Kashmir", "tollmap:region-kashmir", 5),
        ] {
            let c = g
                .resolve(name, &Context::default())
                .unwrap_or_else(|| panic!("{name}"));
            assert_eq!(
                (c.entry.id.as_str(), c.entry.kind.precision().code()),
                (id, precision),
                "{name}"
            );
        }
        // "Georgia" alone stays the country; the state needs its qualifier.
        let georgia = g.resolve("Georgia", &Context::default()).unwrap();
        assert_eq!(georgia.entry.kind, PlaceKind::Country);
        let state = g.resolve("Georgia State", &Context::default()).unwrap();
        assert_eq!(state.entry.id, "tollmap:admin1-us-ga");
    }

    #[test]
    fn fallback_places_have_precision_2_and_keep_the_mention() {
        let g = gaz();
        let aleppo = resolve_name(g, "Aleppo").unwrap();
        let p = fallback_place("the Hikmeh school", PlaceRole::Event, &aleppo);
        assert_eq!(p.mention, "the Hikmeh school");
        assert_eq!(p.precision, Some(Precision::NEAR));
        assert_eq!(p.name.as_deref(), Some("Aleppo"));
    }

    #[test]
    fn every_bundled_line_parses() {
        let g = gaz();
        assert!(g.len() > 18_000);
        assert_eq!(g.iter().count(), g.len());
        assert!(g.name_count() > 80_000, "{}", g.name_count());
    }

    #[test]
    fn index_built_in_memory_matches_the_compiled_one() {
        let g = gaz();
        let entries: Vec<Entry> = g.iter().cloned().collect();
        let h = Gazetteer::from_entries(entries, "test").unwrap();
        for name in [
            "Aleppo",
            "Jableh",
            "Bahlawaliyet",
            "Beit Yashout",
            "Moscow",
            "Syrian",
        ] {
            let a = g
                .resolve(name, &Context::default())
                .map(|c| c.entry.id.clone());
            let b = h
                .resolve(name, &Context::default())
                .map(|c| c.entry.id.clone());
            assert_eq!(a, b, "{name}");
        }
        assert_eq!(g.name_count(), h.name_count());
    }

    #[test]
    fn province_hint_prefers_the_governorate() {
        let g = gaz();
        let ctx = Context {
            kind_hint: Some(PlaceKind::Governorate),
            ..Context::default()
        };
        let c = g.resolve("Idlib", &ctx).expect("resolves");
        assert_eq!(c.entry.kind, PlaceKind::Governorate);
        assert_eq!(c.entry.kind.precision(), Precision::GOVERNORATE);
    }

    #[test]
    fn foreign_capital_is_not_a_syrian_village() {
        let g = gaz();
        let e = resolve_name(g, "Moscow").expect("resolves");
        assert_eq!(e.country, "RU");
    }

    #[test]
    fn nonsense_stays_unresolved() {
        let g = gaz();
        assert!(resolve_name(g, "Xqzzvw Plorb").is_none());
    }

    #[test]
    fn malformed_line_names_source_and_line() {
        let text = format!("{TSV_HEADER}\nx\tcity\tX\tnot-a-number\t1\tSY\t\t\t0\t\tX\n");
        let err = Gazetteer::from_tsv(&text, "overlay.tsv").unwrap_err();
        let msg = err.to_string();
        assert!(msg.starts_with("overlay.tsv:2:"), "{msg}");
        assert!(msg.contains("latitude"), "{msg}");
    }
}

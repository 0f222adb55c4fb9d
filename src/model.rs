//! The types every stage shares: documents in, claims with counts, dates and places out.
//!
//! Field names and values follow the claim contract of `docs/contract.md`; changing them breaks
//! the tools and checks that read `tollmap extract --format jsonl`.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// One input text: an article, a page or a line of a JSON Lines file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Document {
    /// Stable identifier: the file stem, or the `id` field of a JSON Lines record.
    pub id: String,
    /// Title, when the input has one (JSON Lines `title`, HTML `<title>`).
    pub title: Option<String>,
    /// The text the extractor reads.
    pub text: String,
    /// Where the text came from: a path, or `path:line` for JSON Lines.
    pub source: String,
    /// The article's address, when known.
    pub url: Option<String>,
    /// The outlet that published it, when known.
    pub outlet: Option<String>,
    /// Publication date; `None` leaves relative dates unresolved.
    pub published: Option<Date>,
}

impl Document {
    /// The hash that tells two versions of a document apart (lower-case hex SHA-256): its
    /// text and what extraction reads besides it (title, publication date). The archive keys
    /// versions by it and the manifest lists it.
    pub fn content_hash(&self) -> String {
        let mut all = String::new();
        for part in [
            self.text.as_str(),
            self.title.as_deref().unwrap_or(""),
            &self.published.map(|d| d.to_string()).unwrap_or_default(),
        ] {
            all.push_str(part);
            all.push('\u{1f}');
        }
        crate::util::hash::sha256_hex(all.as_bytes())
    }
}

/// One of the claim contract's words as its type (`killed` as `Outcome::Killed`,
/// `no_place` as `Reason::NoPlace` ...), or `None` for any other text.
pub fn word<T: serde::de::DeserializeOwned>(text: &str) -> Option<T> {
    T::deserialize(serde::de::value::StrDeserializer::<serde::de::value::Error>::new(text)).ok()
}

/// How a number of people was stated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Qualifier {
    /// "eight", "35".
    Exact,
    /// "at least 75".
    AtLeast,
    /// "more than 60", "over 70", "higher than 60".
    MoreThan,
    /// "up to 20", "at most".
    AtMost,
    /// "about", "around", "nearly", "some".
    About,
    /// "between 10 and 15", "10 to 15".
    Range,
    /// "dozens", "scores", "hundreds".
    Vague,
}

impl Qualifier {
    /// The contract's spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Qualifier::Exact => "exact",
            Qualifier::AtLeast => "at_least",
            Qualifier::MoreThan => "more_than",
            Qualifier::AtMost => "at_most",
            Qualifier::About => "about",
            Qualifier::Range => "range",
            Qualifier::Vague => "vague",
        }
    }
}

/// The range of people a count's words allow.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Count {
    /// The smallest number the words allow.
    pub low: u64,
    /// The largest number the words allow; `None` when unbounded ("at least 75").
    pub high: Option<u64>,
    /// The words of the count as written.
    pub text: String,
    /// How the count was qualified.
    pub qualifier: Qualifier,
}

/// What happened to the people counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Killed (dead, including executed and died of wounds).
    Killed,
    /// Wounded or injured.
    Wounded,
    /// Killed or wounded, not told apart ("casualties").
    KilledOrWounded,
    /// Captured, detained, abducted or taken prisoner.
    Captured,
    /// Missing or disappeared.
    Missing,
}

impl Outcome {
    /// The contract's spelling, as used in CSV columns and property names.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Killed => "killed",
            Outcome::Wounded => "wounded",
            Outcome::KilledOrWounded => "killed_or_wounded",
            Outcome::Captured => "captured",
            Outcome::Missing => "missing",
        }
    }
}

/// Who the people counted were.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Victims {
    /// Civilians, including children, women, medics and journalists.
    Civilians,
    /// Government forces and their allies (army, police, militias).
    ProGovernment,
    /// Opposition armed groups.
    Opposition,
    /// Jihadist groups (ISIS, al-Nusra / HTS and the like).
    Jihadist,
    /// Kurdish-led forces (YPG, SDF).
    KurdishForces,
    /// Foreign forces (Turkish, Russian, US-led coalition and others).
    ForeignForces,
    /// Not said, or not one of the above.
    Unknown,
}

impl Victims {
    /// Every category, in the contract's order.
    pub const ALL: [Victims; 7] = [
        Victims::Civilians,
        Victims::ProGovernment,
        Victims::Opposition,
        Victims::Jihadist,
        Victims::KurdishForces,
        Victims::ForeignForces,
        Victims::Unknown,
    ];

    /// The contract's spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Victims::Civilians => "civilians",
            Victims::ProGovernment => "pro_government",
            Victims::Opposition => "opposition",
            Victims::Jihadist => "jihadist",
            Victims::KurdishForces => "kurdish_forces",
            Victims::ForeignForces => "foreign_forces",
            Victims::Unknown => "unknown",
        }
    }
}

/// Whether a claim reports deaths at a time and place or a running total.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// Deaths at a time and place: enters the event layers.
    Event,
    /// A running total ("more than 500,000 deaths since 2011"): never enters event layers.
    Cumulative,
}

impl Scope {
    /// The contract's spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Event => "event",
            Scope::Cumulative => "cumulative",
        }
    }
}

/// How precisely a claim's date is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DatePrecision {
    /// One day: `start == end`.
    Day,
    /// One week.
    Week,
    /// One month.
    Month,
    /// One year.
    Year,
    /// A span from `start` to `end` ("since the start of the battle", "in five weeks").
    Range,
    /// Nothing in the text dates the deaths. With a publication date, `end` is that date
    /// (the deaths happened no later) and `start` is null; without one, both are null.
    Unknown,
}

impl DatePrecision {
    /// The contract's spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            DatePrecision::Day => "day",
            DatePrecision::Week => "week",
            DatePrecision::Month => "month",
            DatePrecision::Year => "year",
            DatePrecision::Range => "range",
            DatePrecision::Unknown => "unknown",
        }
    }
}

/// When the deaths a claim reports happened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClaimDate {
    /// First day, or `None` when unbounded or unknown.
    pub start: Option<Date>,
    /// Last day, or `None` when unknown.
    pub end: Option<Date>,
    /// How precisely the span is known.
    pub precision: DatePrecision,
    /// The words that dated it, or `None` when nothing did.
    pub text: Option<String>,
}

impl ClaimDate {
    /// A date nothing in the text fixes: bounded above by the publication date if known.
    pub fn unknown(published: Option<Date>) -> Self {
        ClaimDate {
            start: None,
            end: published,
            precision: DatePrecision::Unknown,
            text: None,
        }
    }
}

/// What a place is to a claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlaceRole {
    /// Where the deaths happened.
    Event,
    /// Where the dead came from ("eight of its residents").
    Origin,
    /// Where the remains went: funerals, morgues, burials.
    Remains,
    /// Named near the claim, with no stated relation to it.
    Mentioned,
}

impl PlaceRole {
    /// The contract's spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            PlaceRole::Event => "event",
            PlaceRole::Origin => "origin",
            PlaceRole::Remains => "remains",
            PlaceRole::Mentioned => "mentioned",
        }
    }
}

/// What kind of place a gazetteer record is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlaceKind {
    /// A country.
    Country,
    /// A governorate (first-level division).
    Governorate,
    /// A district (second-level division).
    District,
    /// A subdistrict (nahiya).
    Subdistrict,
    /// A region without a boundary of its own (a plain, a valley, a coast).
    Region,
    /// A city.
    City,
    /// A town.
    Town,
    /// A village.
    Village,
    /// A neighbourhood of a city.
    Neighbourhood,
    /// A named site of no more specific kind (a port, a station, a citadel, a shrine).
    Landmark,
    /// An airbase, airport, airstrip or heliport.
    Airbase,
    /// An army base, brigade, checkpoint, hilltop position or security branch.
    MilitaryBase,
    /// A military, police or air-defence academy or college.
    MilitaryAcademy,
    /// A prison or detention centre.
    Prison,
    /// A refugee, displacement or detention camp.
    Camp,
    /// A dam.
    Dam,
    /// A hospital.
    Hospital,
    /// A school or a university.
    School,
    /// A border crossing.
    BorderCrossing,
    /// An oil or gas field.
    OilField,
    /// A hill, mountain or mountain position.
    Hill,
    /// A road or highway.
    Road,
    /// A junction, crossroads or roundabout.
    Junction,
    /// A bridge.
    Bridge,
    /// A stadium.
    Stadium,
    /// An industrial area or a single plant (cement, power, silos, pumping stations).
    IndustrialZone,
}

/// The landmark kinds, in the contract's spelling, in declaration order.
pub const LANDMARK_KINDS: &[PlaceKind] = &[
    PlaceKind::Landmark,
    PlaceKind::Airbase,
    PlaceKind::MilitaryBase,
    PlaceKind::MilitaryAcademy,
    PlaceKind::Prison,
    PlaceKind::Camp,
    PlaceKind::Dam,
    PlaceKind::Hospital,
    PlaceKind::School,
    PlaceKind::BorderCrossing,
    PlaceKind::OilField,
    PlaceKind::Hill,
    PlaceKind::Road,
    PlaceKind::Junction,
    PlaceKind::Bridge,
    PlaceKind::Stadium,
    PlaceKind::IndustrialZone,
];

impl PlaceKind {
    /// The contract's spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            PlaceKind::Country => "country",
            PlaceKind::Governorate => "governorate",
            PlaceKind::District => "district",
            PlaceKind::Subdistrict => "subdistrict",
            PlaceKind::Region => "region",
            PlaceKind::City => "city",
            PlaceKind::Town => "town",
            PlaceKind::Village => "village",
            PlaceKind::Neighbourhood => "neighbourhood",
            PlaceKind::Landmark => "landmark",
            PlaceKind::Airbase => "airbase",
            PlaceKind::MilitaryBase => "military_base",
            PlaceKind::MilitaryAcademy => "military_academy",
            PlaceKind::Prison => "prison",
            PlaceKind::Camp => "camp",
            PlaceKind::Dam => "dam",
            PlaceKind::Hospital => "hospital",
            PlaceKind::School => "school",
            PlaceKind::BorderCrossing => "border_crossing",
            PlaceKind::OilField => "oil_field",
            PlaceKind::Hill => "hill",
            PlaceKind::Road => "road",
            PlaceKind::Junction => "junction",
            PlaceKind::Bridge => "bridge",
            PlaceKind::Stadium => "stadium",
            PlaceKind::IndustrialZone => "industrial_zone",
        }
    }

    /// Parses the contract's spelling.
    pub fn parse(s: &str) -> Option<PlaceKind> {
        Some(match s {
            "country" => PlaceKind::Country,
            "governorate" => PlaceKind::Governorate,
            "district" => PlaceKind::District,
            "subdistrict" => PlaceKind::Subdistrict,
            "region" => PlaceKind::Region,
            "city" => PlaceKind::City,
            "town" => PlaceKind::Town,
            "village" => PlaceKind::Village,
            "neighbourhood" => PlaceKind::Neighbourhood,
            "landmark" => PlaceKind::Landmark,
            other => return LANDMARK_KINDS.iter().copied().find(|k| k.as_str() == other),
        })
    }

    /// True for a named site (an airbase, a prison, a hill ...), not a settlement or an area.
    pub fn is_landmark(self) -> bool {
        LANDMARK_KINDS.contains(&self)
    }

    /// The kind in words, for popups and text output ("border crossing").
    pub fn label(self) -> String {
        self.as_str().replace('_', " ")
    }

    /// How closely a place of this kind named exactly is known.
    pub fn precision(self) -> Precision {
        match self {
            PlaceKind::Country => Precision::COUNTRY,
            PlaceKind::Governorate => Precision::GOVERNORATE,
            PlaceKind::Region => Precision::REGION,
            PlaceKind::District | PlaceKind::Subdistrict => Precision::DISTRICT,
            // Settlements, neighbourhoods and every landmark kind: the place itself.
            _ => Precision::EXACT,
        }
    }
}

/// How closely a place is known, as UCDP GED's `where_prec` codes it: 1 the place itself ...
/// 7 international waters. Smaller is finer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub struct Precision(u8);

impl Precision {
    /// 1: the place itself (a village, town, neighbourhood or site).
    pub const EXACT: Precision = Precision(1);
    /// 2: near a known place, within about 25 km: the enclosing place a mention the gazetteer
    /// lacks falls back to.
    pub const NEAR: Precision = Precision(2);
    /// 3: a district or subdistrict.
    pub const DISTRICT: Precision = Precision(3);
    /// 4: a governorate.
    pub const GOVERNORATE: Precision = Precision(4);
    /// 5: a region larger than a governorate ("the north", "the coast").
    pub const REGION: Precision = Precision(5);
    /// 6: the country.
    pub const COUNTRY: Precision = Precision(6);
    /// 7: international waters or air space.
    pub const WATERS: Precision = Precision(7);

    /// The precision of a `where_prec` code, when it is one (1 to 7).
    pub fn new(code: u8) -> Option<Precision> {
        (1..=7).contains(&code).then_some(Precision(code))
    }

    /// The nearest precision to a code that may be out of range (a table's column).
    pub fn clamped(code: u64) -> Precision {
        Precision(code.clamp(1, 7) as u8)
    }

    /// The `where_prec` code.
    pub fn code(self) -> u8 {
        self.0
    }

    /// True for a place no larger than a district: one that names where people were, not a
    /// governorate or region holding many places.
    pub fn is_local(self) -> bool {
        self <= Precision::DISTRICT
    }

    /// True for a region, the country or international waters: too coarse to map at a point.
    pub fn is_coarse(self) -> bool {
        self >= Precision::REGION
    }
}

/// A `where_prec` code outside 1 to 7.
#[derive(Debug, thiserror::Error)]
#[error("precision {0} is not a UCDP where_prec code (1 to 7)")]
pub struct PrecisionError(u8);

impl TryFrom<u8> for Precision {
    type Error = PrecisionError;
    fn try_from(code: u8) -> Result<Precision, PrecisionError> {
        Precision::new(code).ok_or(PrecisionError(code))
    }
}

impl From<Precision> for u8 {
    fn from(p: Precision) -> u8 {
        p.0
    }
}

impl From<Precision> for u64 {
    fn from(p: Precision) -> u64 {
        u64::from(p.0)
    }
}

/// Where a claim was read from, as its document id says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Provenance {
    /// A text: an article, a page, a feed item, a JSON Lines record.
    Text,
    /// A row of a UCDP GED table (document `ucdp:ID`).
    Ucdp,
    /// A row of an ACLED table (document `acled:ID`).
    Acled,
}

impl Provenance {
    /// The document id prefix of UCDP GED rows.
    pub const UCDP_PREFIX: &'static str = "ucdp:";
    /// The document id prefix of ACLED rows.
    pub const ACLED_PREFIX: &'static str = "acled:";

    /// Where the document with this id came from.
    pub fn of_doc(doc: &str) -> Provenance {
        if doc.starts_with(Provenance::UCDP_PREFIX) {
            Provenance::Ucdp
        } else if doc.starts_with(Provenance::ACLED_PREFIX) {
            Provenance::Acled
        } else {
            Provenance::Text
        }
    }

    /// The document id of row `id` of a table of this provenance.
    pub fn doc_id(self, id: &str) -> String {
        match self {
            Provenance::Ucdp => format!("{}{id}", Provenance::UCDP_PREFIX),
            Provenance::Acled => format!("{}{id}", Provenance::ACLED_PREFIX),
            Provenance::Text => id.to_string(),
        }
    }

    /// The public page of the coded event a document id names: UCDP's event browser for a
    /// UCDP GED row with a numeric id (`ucdp:267659`); none for other documents (ACLED
    /// publishes no page per event).
    pub fn event_url(doc: &str) -> Option<String> {
        let id = doc.strip_prefix(Provenance::UCDP_PREFIX)?;
        (!id.is_empty() && id.len() <= 12 && id.bytes().all(|b| b.is_ascii_digit()))
            .then(|| format!("https://ucdp.uu.se/event/{id}"))
    }

    /// True for rows of a coded event table, each a distinct event coded by hand.
    pub fn is_coded(self) -> bool {
        matches!(self, Provenance::Ucdp | Provenance::Acled)
    }
}

/// The largest count of people one claim may give (ten million: more than every death of the
/// Syrian war). A text's larger figure ("five billion") is not read as a count; an event
/// table's is an error naming its row.
pub const MAX_COUNT: u64 = 10_000_000;

/// The gazetteer id prefix of a point an event table gives (`point:LAT,LON`).
pub const TABLE_POINT_PREFIX: &str = "point:";

/// A place mention in a claim, resolved through the gazetteer or not.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Place {
    /// The words of the text that name the place.
    pub mention: String,
    /// What the place is to the claim.
    pub role: PlaceRole,
    /// The gazetteer's name, or `None` when unresolved.
    pub name: Option<String>,
    /// The gazetteer record, e.g. `geonames:170063`.
    pub gazetteer_id: Option<String>,
    /// Latitude (WGS 84), `None` when unresolved.
    pub lat: Option<f64>,
    /// Longitude (WGS 84), `None` when unresolved.
    pub lon: Option<f64>,
    /// Governorate (OCHA name).
    pub admin1: Option<String>,
    /// District (OCHA name).
    pub admin2: Option<String>,
    /// The gazetteer record's kind.
    pub kind: Option<PlaceKind>,
    /// How closely the place is known (UCDP GED `where_prec`); `None` when unresolved.
    pub precision: Option<Precision>,
    /// For a landmark: the town it is described with ("near Kuweires").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub near: Option<String>,
    /// For a landmark: the radius in metres within which the site lies, as its source allows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub radius_m: Option<u32>,
    /// True when the place's only source is weak (a single editor-placed map mark).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub weak_source: bool,
    /// How the mention matched the gazetteer's name when not exactly (`loose`: the same
    /// letters but for spelling variants; `fuzzy`: a name one or two edits away); absent for
    /// an exact match, a table's point or an unresolved mention.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub matched: Option<NameMatch>,
}

/// How a mention matched a gazetteer name that is not its own spelling.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NameMatch {
    /// The loose keys (vowels and doubled letters folded) are equal.
    Loose,
    /// Only a key one or two edits away matched.
    Fuzzy,
}

impl NameMatch {
    /// The contract's word: `loose` or `fuzzy`.
    pub fn as_str(self) -> &'static str {
        match self {
            NameMatch::Loose => "loose",
            NameMatch::Fuzzy => "fuzzy",
        }
    }
}

impl Place {
    /// A mention nothing in the gazetteer fits: every field but the words and role null.
    pub fn unresolved(mention: &str, role: PlaceRole) -> Place {
        Place {
            mention: mention.to_string(),
            role,
            name: None,
            gazetteer_id: None,
            lat: None,
            lon: None,
            admin1: None,
            admin2: None,
            kind: None,
            precision: None,
            near: None,
            radius_m: None,
            weak_source: false,
            matched: None,
        }
    }

    /// True when the gazetteer gave the mention coordinates.
    pub fn is_resolved(&self) -> bool {
        self.lat.is_some() && self.lon.is_some()
    }

    /// True when the place is a point an event table gave (`point:lat,lon`), not a gazetteer
    /// place.
    pub fn is_table_point(&self) -> bool {
        self.gazetteer_id
            .as_deref()
            .is_some_and(|id| id.starts_with(TABLE_POINT_PREFIX))
    }

    /// True when the mention was not found and the place is the enclosing one it sits in
    /// (precision 2); a table's own point of precision 2, or a name matched fuzzily (also
    /// precision 2), is no fallback.
    pub fn is_fallback(&self) -> bool {
        self.precision == Some(Precision::NEAR) && !self.is_table_point() && self.matched.is_none()
    }
}

/// One claim of people killed, wounded, captured or missing, as a reader can check it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Claim {
    /// `DOC#HASH`, stable across edits elsewhere in the document and newer extractors (see
    /// `extract::claims`); a table row's own id (`ucdp:267659`).
    pub id: String,
    /// The document's id.
    pub doc: String,
    /// The document's publication date.
    pub published: Option<Date>,
    /// The sentence (or headline) the claim came from.
    pub quote: String,
    /// Byte offsets of the quote in the document text, `[start, end)`.
    pub span: [usize; 2],
    /// How many.
    pub count: Count,
    /// What happened to them.
    pub outcome: Outcome,
    /// Who they were.
    pub victims: Victims,
    /// The words that say who they were.
    pub victims_text: Option<String>,
    /// Who says so; `None` when the article asserts it.
    pub claimant: Option<String>,
    /// Event or running total.
    pub scope: Scope,
    /// The id of the total this claim breaks down, if any.
    pub part_of: Option<String>,
    /// When.
    pub date: ClaimDate,
    /// Where, with roles.
    pub places: Vec<Place>,
    /// The fields this claim took from its context rather than its own sentence, each with
    /// the span it came from (empty when the sentence said everything).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inherited: Vec<Inherited>,
    /// How likely the claim is right, in [0, 1] (two decimals): 1 less what each of
    /// `reasons` takes off (`confidence::assess`).
    #[serde(default = "certain")]
    pub confidence: f64,
    /// What made the tool less sure of the claim, worst first (empty: nothing).
    #[serde(default)]
    pub reasons: Vec<Reason>,
    /// The corrections applied to the claim (`corrections`), each with what it replaced;
    /// absent when none was.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub corrections: Vec<Corrected>,
}

/// A correction applied to a claim, with the value it replaced.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Corrected {
    /// `count`, `outcome`, `victims`, `place`, `date` or `part_of`.
    pub action: String,
    /// The value given.
    pub value: String,
    /// What it replaced, in the same form (`12-` for an open count, a gazetteer id or
    /// `lat,lon` for a place, `A/B` for dates; empty for none).
    pub original: String,
    /// Why, as the corrections file says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Who.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
}

/// The confidence of a claim nothing was found to doubt.
fn certain() -> f64 {
    1.0
}

/// What lowers a claim's confidence (`confidence::weight` says by how much).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// No place on the map: no event place was found, or none resolved.
    NoPlace,
    /// The event place is the place enclosing a name nothing fits (precision 2).
    FallbackPlace,
    /// The event place matched its name only loosely or fuzzily.
    FuzzyPlace,
    /// The event place came from another sentence of the paragraph (the one before or after).
    PlaceFromNearby,
    /// The event place came from the lead, the headline, a restatement or the total.
    InheritedPlace,
    /// The event place is a district, a governorate or coarser.
    CoarsePlace,
    /// The place's only source is weak (a single editor-placed map mark).
    WeakPlace,
    /// Who the victims were is unknown.
    VictimsUnknown,
    /// The victims came from another sentence of the paragraph.
    VictimsFromNearby,
    /// The count is vague ("dozens", "hundreds").
    VagueCount,
    /// The count mixes outcomes ("killed or wounded").
    MixedOutcome,
    /// Nobody is named as the source, in the sentence or around it.
    NoClaimant,
    /// The claimant came from another sentence of the paragraph.
    ClaimantFromNearby,
}

impl Reason {
    /// The name as JSON and the tables write it.
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::NoPlace => "no_place",
            Reason::FallbackPlace => "fallback_place",
            Reason::FuzzyPlace => "fuzzy_place",
            Reason::PlaceFromNearby => "place_from_nearby",
            Reason::InheritedPlace => "inherited_place",
            Reason::CoarsePlace => "coarse_place",
            Reason::WeakPlace => "weak_place",
            Reason::VictimsUnknown => "victims_unknown",
            Reason::VictimsFromNearby => "victims_from_nearby",
            Reason::VagueCount => "vague_count",
            Reason::MixedOutcome => "mixed_outcome",
            Reason::NoClaimant => "no_claimant",
            Reason::ClaimantFromNearby => "claimant_from_nearby",
        }
    }

    /// Every reason, in the order of their weights.
    pub const ALL: [Reason; 13] = [
        Reason::NoPlace,
        Reason::PlaceFromNearby,
        Reason::FallbackPlace,
        Reason::VictimsUnknown,
        Reason::ClaimantFromNearby,
        Reason::FuzzyPlace,
        Reason::MixedOutcome,
        Reason::CoarsePlace,
        Reason::VictimsFromNearby,
        Reason::VagueCount,
        Reason::InheritedPlace,
        Reason::WeakPlace,
        Reason::NoClaimant,
    ];
}

/// A field a claim took from its context: which field, from which part of the document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Inherited {
    /// `place`, `claimant`, `victims` or `outcome`.
    pub field: String,
    /// Where it came from: `total` (the total a part breaks down), `sentence` (an earlier
    /// claim of the same sentence), `paragraph`, `lead`, `headline` or `outlet`.
    pub from: String,
    /// Byte offsets of the sentence it came from, `None` for the outlet.
    pub span: Option<[usize; 2]>,
}

impl Claim {
    /// The first resolved place with role `event`: where the claim goes on the map.
    pub fn event_place(&self) -> Option<&Place> {
        self.places
            .iter()
            .find(|p| p.role == PlaceRole::Event && p.is_resolved())
    }

    /// The claim in one line of text, for people (`extract --format text`): the range and the
    /// count's words, the outcome, the victims, the place, the dates, the scope, the total it
    /// breaks down and the claimant.
    pub fn summary(&self) -> String {
        let range = match self.count.high {
            Some(h) if h == self.count.low => self.count.low.to_string(),
            Some(h) => format!("{}\u{2013}{h}", self.count.low),
            None => format!("{}+", self.count.low),
        };
        let victims = match self.victims {
            Victims::Unknown => "victims not said".to_string(),
            v => v.as_str().replace('_', "-"),
        };
        let place = match self.event_place() {
            Some(p) => format!(
                "at {} (precision {})",
                p.name.as_deref().unwrap_or(&p.mention),
                p.precision.map_or(0, Precision::code)
            ),
            None => match self.places.iter().find(|p| p.role == PlaceRole::Event) {
                Some(p) => format!("at \"{}\" (not found)", p.mention),
                None => "no place".to_string(),
            },
        };
        let date = match (self.date.start, self.date.end) {
            (Some(a), Some(b)) if a == b => format!("on {a}"),
            (Some(a), Some(b)) => format!("{a} to {b}"),
            (None, Some(b)) => format!("by {b} (no date in the text)"),
            (Some(a), None) => format!("from {a}"),
            (None, None) => "no date".to_string(),
        };
        let mut line = format!(
            "{range} (\"{}\") {}, {victims}, {place}, {date} [{}]",
            self.count.text,
            self.outcome.as_str().replace('_', " "),
            self.scope.as_str()
        );
        if let Some(t) = &self.part_of {
            line.push_str(&format!("; part of {t}"));
        }
        match &self.claimant {
            Some(c) => line.push_str(&format!("; according to {c}")),
            None => line.push_str("; no claimant"),
        }
        line
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn claim_serialises_with_contract_field_names() {
        let claim = Claim {
            id: "d#1".into(),
            doc: "d".into(),
            published: Some(jiff::civil::date(2016, 8, 1)),
            quote: "q".into(),
            span: [0, 1],
            count: Count {
                low: 61,
                high: None,
                text: "higher than 60".into(),
                qualifier: Qualifier::MoreThan,
            },
            outcome: Outcome::Killed,
            victims: Victims::ProGovernment,
            victims_text: Some("regime forces".into()),
            claimant: None,
            scope: Scope::Event,
            part_of: None,
            date: ClaimDate::unknown(None),
            places: vec![],
            inherited: vec![],
            confidence: 1.0,
            reasons: vec![],
            corrections: vec![],
        };
        let v = serde_json::to_value(&claim).unwrap();
        let keys: Vec<&str> = v.as_object().unwrap().keys().map(|k| k.as_str()).collect();
        for k in [
            "id",
            "doc",
            "published",
            "quote",
            "span",
            "count",
            "outcome",
            "victims",
            "victims_text",
            "claimant",
            "scope",
            "part_of",
            "date",
            "places",
        ] {
            assert!(keys.contains(&k), "missing {k}");
        }
        assert_eq!(v["published"], "2016-08-01");
        assert_eq!(v["count"]["qualifier"], "more_than");
        assert_eq!(v["count"]["high"], serde_json::Value::Null);
        assert_eq!(v["victims"], "pro_government");
        assert_eq!(v["date"]["precision"], "unknown");
        for (doc, url) in [
            ("ucdp:267659", Some("https://ucdp.uu.se/event/267659")),
            ("ucdp:../x", None),
            ("acled:SYR1", None),
            ("article-1", None),
        ] {
            assert_eq!(Provenance::event_url(doc).as_deref(), url, "{doc}");
        }
        // The one line for people: range, words, outcome, victims, place, date, scope.
        let mut part = claim.clone();
        part.part_of = Some("d#0".into());
        part.claimant = Some("a monitor".into());
        part.count = Count {
            low: 36,
            high: Some(44),
            text: "about 40".into(),
            qualifier: Qualifier::About,
        };
        part.victims = Victims::Unknown;
        let cases = [
            (
                &claim,
                "61+ (\"higher than 60\") killed, pro-government, no place, no date [event]; no claimant",
            ),
            (
                &part,
                "36\u{2013}44 (\"about 40\") killed, victims not said, no place, no date [event]; part of d#0; according to a monitor",
            ),
        ];
        for (c, want) in cases {
            assert_eq!(c.summary(), want);
        }
    }
}

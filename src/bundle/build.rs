//! Building the bundled gazetteer from the source datasets in `shared/data`.
//!
//! Sources (see `gazetteer/README.md` for licences): OpenSyria admin units, Who's On First
//! Syria, GeoNames cities500 (Syria), OCHA admin capitals, OCHA city neighbourhoods, GeoNames
//! world cities and countries (so that foreign places resolve to themselves), and the OCHA
//! governorate/district boundaries that give every Syrian place its admin1/admin2.
//! Records of the same place (same GeoNames id, or the same loose name within a few km) are
//! merged into one entry with all their names.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::admin::{locate, read_areas, Area};

use crate::gazetteer::landmarks;
use crate::gazetteer::normalize::{self, loose_key};
use crate::gazetteer::{Entry, GazetteerError, TSV_HEADER};
use crate::model::PlaceKind;
use crate::util::geodesy::distance_km;

/// How far apart two records of the same name may be and still be merged as one place.
const MERGE_KM: f64 = 6.0;

/// Country reference points, names and demonyms written for tollmap (see gazetteer/README.md).
const CURATED_COUNTRIES: &str = include_str!("../../gazetteer/curated-countries.tsv");

/// Continents, seas and regions news names, with representative points written for tollmap.
const CURATED_REGIONS: &str = include_str!("../../gazetteer/curated-regions.tsv");
/// First-level divisions abroad that news names (US states, Canadian provinces ...), kind
/// `governorate` (precision 4), in the same columns as the regions; their points are
/// approximate geographic centres.
const CURATED_ADMIN1: &str = include_str!("../../gazetteer/curated-admin1.tsv");

/// The OCHA subdistricts (adm3 P-codes) that make up Eastern Ghouta.
const EASTERN_GHOUTA: &[&str] = &[
    "SY030106", // Arbin
    "SY030105", // Kafr Batna
    "SY030201", // Harasta
    "SY030200", // Duma
    "SY030104", // Maliha
    "SY030204", // Nashabiyeh
];

/// Curated country: (lat, lon, names, demonyms) by ISO code.
fn curated_countries() -> HashMap<String, (f64, f64, Vec<String>, Vec<String>)> {
    let mut out = HashMap::new();
    for line in CURATED_COUNTRIES.lines().skip(1) {
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() < 5 {
            continue;
        }
        let (Ok(lat), Ok(lon)) = (f[1].parse(), f[2].parse()) else {
            continue;
        };
        let split = |s: &str| {
            s.split('|')
                .filter(|x| !x.is_empty())
                .map(str::to_string)
                .collect()
        };
        out.insert(f[0].to_string(), (lat, lon, split(f[3]), split(f[4])));
    }
    out
}

/// Countries next to Syria: their towns are named in Syrian news (Beirut, Gaziantep, Mosul).
const NEIGHBOURS: &[&str] = &["LB", "TR", "IQ", "JO", "IL", "PS", "CY"];

/// What a build produced, for the command's report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildReport {
    /// Entries by kind.
    pub by_kind: BTreeMap<String, usize>,
    /// Entries by country ("SY" and the rest).
    pub syrian: usize,
    /// Entries outside Syria.
    pub foreign: usize,
    /// Records merged into another entry.
    pub merged: usize,
    /// Records labelled Syrian but lying outside Syria, dropped.
    pub outside_syria: usize,
}

/// Reads the datasets under `data` (the `shared/data` folder) and returns the merged entries,
/// sorted by id.
pub fn entries_from_data(data: &Path) -> Result<(Vec<Entry>, BuildReport), super::BundleError> {
    let gz = data.join("gazetteer");
    let bd = data.join("boundaries");
    let adm1 = read_areas(&bd.join("ocha_syr_adm1_governorates.geojson"), "adm1")?;
    let adm2 = read_areas(&bd.join("ocha_syr_adm2_districts.geojson"), "adm2")?;
    let pcode_names = read_pcode_names(&bd)?;

    let mut b = Builder::default();
    b.add_syria()?;
    b.add_coast(&adm1);
    b.add_eastern_ghouta(&bd.join("ocha_syr_adm3_subdistricts.geojson"))?;
    b.add_curated_regions();
    b.add_opensyria(&gz.join("opensyria_admin_units.tsv"), &pcode_names)?;
    b.add_wof(&gz.join("wof_sy_places.tsv"))?;
    b.add_cities500_sy(&gz.join("geonames_sy_cities500.tsv"))?;
    b.add_ocha_capitals(&gz.join("ocha_syr_admin_capitals.tsv"))?;
    b.add_neighbourhoods(&gz.join("ocha_syr_city_neighbourhoods.tsv"))?;
    b.add_world(
        &gz.join("world_cities500.tsv"),
        &gz.join("world_countries.tsv"),
    )?;
    b.add_landmarks(&gz.join("landmarks_syria.tsv"))?;

    let mut entries = b.entries;
    for e in &mut entries {
        if e.country != "SY" || matches!(e.kind, PlaceKind::Country) {
            continue;
        }
        if e.kind != PlaceKind::Governorate || e.admin1.is_none() {
            if let Some(a) = locate(&adm2, e.lon, e.lat) {
                if e.admin2.is_none() && e.kind != PlaceKind::Governorate {
                    e.admin2 = Some(a.name.clone());
                }
                if e.admin1.is_none() {
                    e.admin1 = a.parent.clone();
                }
            }
            if e.admin1.is_none() {
                e.admin1 = locate(&adm1, e.lon, e.lat).map(|a| a.name.clone());
            }
        }
        dedup_names(&mut e.names);
        e.sources.sort();
        e.sources.dedup();
    }
    // Records labelled Syrian that lie more than about 5 km outside every governorate are
    // source errors (they fall in a neighbouring country): dropped, and counted.
    let before = entries.len();
    entries.retain(|e| {
        e.country != "SY"
            || e.admin1.is_some()
            || matches!(e.kind, PlaceKind::Country | PlaceKind::Region)
    });
    let outside = before - entries.len();
    entries.sort_by(|a, b| a.id.cmp(&b.id));
    let mut report = BuildReport {
        by_kind: BTreeMap::new(),
        syrian: 0,
        foreign: 0,
        merged: b.merged,
        outside_syria: outside,
    };
    for e in &entries {
        *report
            .by_kind
            .entry(e.kind.as_str().to_string())
            .or_default() += 1;
        if e.country == "SY" {
            report.syrian += 1;
        } else {
            report.foreign += 1;
        }
    }
    Ok((entries, report))
}

/// Writes entries in the bundled TSV format.
pub fn to_tsv(entries: &[Entry]) -> String {
    let mut out = String::with_capacity(entries.len() * 200);
    out.push_str(TSV_HEADER);
    out.push('\n');
    for e in entries {
        out.push_str(&e.to_tsv());
        out.push('\n');
    }
    out
}

#[derive(Default)]
struct Builder {
    entries: Vec<Entry>,
    by_geonames: HashMap<u64, usize>,
    merged: usize,
}

impl Builder {
    fn push(&mut self, e: Entry) -> usize {
        let i = self.entries.len();
        if let Some(gid) = e.id.strip_prefix("geonames:").and_then(|s| s.parse().ok()) {
            self.by_geonames.insert(gid, i);
        }
        self.entries.push(e);
        i
    }

    /// The index of an entry of a compatible kind whose names share a loose key with `names`
    /// within `km` of the point.
    fn find_near(
        &self,
        names: &[String],
        lat: f64,
        lon: f64,
        km: f64,
        admin: bool,
    ) -> Option<usize> {
        let keys: HashSet<String> = names.iter().map(|n| loose_key(n)).collect();
        let mut best: Option<(f64, usize)> = None;
        for (i, e) in self.entries.iter().enumerate() {
            if is_admin(e.kind) != admin || e.country != "SY" {
                continue;
            }
            let d = distance_km(lat, lon, e.lat, e.lon);
            if d > km {
                continue;
            }
            if !e.names.iter().any(|n| keys.contains(&loose_key(n))) {
                continue;
            }
            if best.is_none_or(|(bd, _)| d < bd) {
                best = Some((d, i));
            }
        }
        best.map(|(_, i)| i)
    }

    fn merge_into(&mut self, i: usize, names: Vec<String>, source: &str, population: u64) {
        let e = &mut self.entries[i];
        e.names.extend(names);
        e.sources.push(source.to_string());
        e.population = e.population.max(population);
        self.merged += 1;
    }

    fn add_syria(&mut self) -> Result<(), GazetteerError> {
        let curated = curated_countries();
        let (lat, lon, names, demonyms) = curated
            .get("SY")
            .cloned()
            .ok_or_else(|| data_err(Path::new("gazetteer/curated-countries.tsv"), "no SY row"))?;
        let mut all = names;
        all.extend(demonyms.iter().map(|d| format!("~{d}")));
        self.push(Entry {
            site: None,
            id: "geonames:163843".into(),
            kind: PlaceKind::Country,
            name: "Syria".into(),
            lat,
            lon,
            country: "SY".into(),
            admin1: None,
            admin2: None,
            population: 0,
            sources: vec!["tollmap-curated".into()],
            names: all,
        });
        Ok(())
    }

    fn add_curated_regions(&mut self) {
        let lines = CURATED_REGIONS
            .lines()
            .skip(1)
            .chain(CURATED_ADMIN1.lines().skip(1));
        for line in lines {
            let f: Vec<&str> = line.split('\t').collect();
            if f.len() < 7 {
                continue;
            }
            let (Ok(lat), Ok(lon), Some(kind)) =
                (f[3].parse(), f[4].parse(), PlaceKind::parse(f[1]))
            else {
                continue;
            };
            self.push(Entry {
                site: None,
                id: f[0].to_string(),
                kind,
                name: f[2].to_string(),
                lat,
                lon,
                // Regions spanning countries have none; "ZZ" keeps them out of country context.
                country: if f[5].is_empty() {
                    "ZZ".into()
                } else {
                    f[5].to_string()
                },
                admin1: None,
                admin2: None,
                population: 0,
                sources: vec!["tollmap-curated".into()],
                names: f[6].split('|').map(str::to_string).collect(),
            });
        }
    }

    /// Eastern Ghouta: the mean of the OCHA centre points of its subdistricts (precision 5).
    fn add_eastern_ghouta(&mut self, adm3: &Path) -> Result<(), GazetteerError> {
        let fc = read_geojson(adm3)?;
        let mut points = Vec::new();
        for f in &fc.features {
            let Some(props) = &f.properties else { continue };
            let code = props
                .get("adm3_pcode")
                .and_then(|v| v.as_str())
                .unwrap_or("");
            if EASTERN_GHOUTA.contains(&code) {
                let lat = props.get("center_lat").and_then(|v| v.as_f64());
                let lon = props.get("center_lon").and_then(|v| v.as_f64());
                if let (Some(lat), Some(lon)) = (lat, lon) {
                    points.push((lat, lon));
                }
            }
        }
        if points.len() != EASTERN_GHOUTA.len() {
            return Err(data_err(adm3, "Eastern Ghouta subdistricts not all found"));
        }
        let n = points.len() as f64;
        self.push(Entry {
            site: None,
            id: "tollmap:region-eastern-ghouta".into(),
            kind: PlaceKind::Region,
            name: "Eastern Ghouta".into(),
            lat: points.iter().map(|p| p.0).sum::<f64>() / n,
            lon: points.iter().map(|p| p.1).sum::<f64>() / n,
            country: "SY".into(),
            admin1: Some("Rural Damascus".into()),
            admin2: None,
            population: 0,
            sources: vec![
                "ocha-adm3 (Arbin, Kafr Batna, Harasta, Duma, Maliha, Nashabiyeh)".into(),
            ],
            names: [
                "Eastern Ghouta",
                "East Ghouta",
                "Ghouta",
                "Eastern Ghouta suburbs",
                "Ghouta al-Sharqiya",
                "al-Ghouta al-Sharqiyah",
                "الغوطة الشرقية",
                "الغوطة",
            ]
            .iter()
            .map(|s| s.to_string())
            .collect(),
        });
        Ok(())
    }

    /// The Syrian coast: Lattakia and Tartous governorates together, at their joint centroid
    /// (precision 5: larger than a governorate). News names it in lower case ("the western
    /// coastal region", "coastal areas"); `extract::places` finds those phrases.
    fn add_coast(&mut self, adm1: &[Area]) {
        use geo::{Area as _, Centroid};
        let parts: Vec<&Area> = adm1
            .iter()
            .filter(|a| a.name == "Lattakia" || a.name == "Tartous")
            .collect();
        let (mut sx, mut sy, mut sw) = (0.0, 0.0, 0.0);
        for a in &parts {
            if let Some(c) = a.shape.centroid() {
                let w = a.shape.unsigned_area();
                sx += c.x() * w;
                sy += c.y() * w;
                sw += w;
            }
        }
        if sw == 0.0 {
            return;
        }
        self.push(Entry {
            site: None,
            id: "tollmap:region-syrian-coast".into(),
            kind: PlaceKind::Region,
            name: "Syrian coast".into(),
            lat: sy / sw,
            lon: sx / sw,
            country: "SY".into(),
            admin1: None,
            admin2: None,
            population: 0,
            sources: vec!["ocha-adm1 (Lattakia + Tartous)".into()],
            names: [
                "Syrian coast",
                "Syrian coastal region",
                "coastal region",
                "coastal regions",
                "coastal areas",
                "coastal province",
                "coastal provinces",
                "coastline",
                "الساحل السوري",
            ]
            .iter()
            .map(|s| s.to_string())
            .collect(),
        });
    }

    fn add_opensyria(
        &mut self,
        path: &Path,
        pcodes: &HashMap<String, String>,
    ) -> Result<(), GazetteerError> {
        for row in read_tsv(path, true)? {
            let get = |k: &str| row.get(k).map(String::as_str).unwrap_or("");
            let kind = match get("level") {
                "adm1" => PlaceKind::Governorate,
                "adm2" => PlaceKind::District,
                "adm3" => PlaceKind::Subdistrict,
                other => return Err(data_err(path, &format!("unknown level `{other}`"))),
            };
            let pcode = get("ocha_pcode");
            let lat = parse_f64(get("centroid_lat"), path)?;
            let lon = parse_f64(get("centroid_lon"), path)?;
            let mut names = vec![get("name_en").to_string(), get("name_ar").to_string()];
            for alias in get("aliases").split('|') {
                let name = alias.rsplit_once('@').map(|(n, _)| n).unwrap_or(alias);
                names.push(name.to_string());
            }
            let admin1 = pcodes.get(pcode.get(..4).unwrap_or("")).cloned();
            let admin2 = if kind == PlaceKind::Governorate {
                None
            } else {
                pcodes.get(pcode.get(..6).unwrap_or("")).cloned()
            };
            let display = match kind {
                PlaceKind::Governorate => admin1.clone(),
                PlaceKind::District => admin2.clone(),
                _ => None,
            }
            .unwrap_or_else(|| get("name_en").to_string());
            names.insert(0, display.clone());
            let id = match get("geonameid") {
                "" => format!("opensyria:{}", get("opensyria_id")),
                g => format!("geonames:{g}"),
            };
            self.push(Entry {
                site: None,
                id,
                kind,
                name: display,
                lat,
                lon,
                country: "SY".into(),
                admin1,
                admin2,
                population: get("population").parse().unwrap_or(0),
                sources: vec!["opensyria".into()],
                names,
            });
        }
        Ok(())
    }

    fn add_wof(&mut self, path: &Path) -> Result<(), GazetteerError> {
        let rows = read_tsv(path, true)?;
        let mut later: Vec<Entry> = Vec::new();
        for row in rows {
            let get = |k: &str| row.get(k).map(String::as_str).unwrap_or("");
            if get("deprecated") == "1" || !get("superseded_by").is_empty() {
                continue;
            }
            let population: u64 = get("population").parse().unwrap_or(0);
            let code = get("gn_feature_code");
            let kind = match get("placetype") {
                "locality" => populated_kind(code, population),
                "neighbourhood" => PlaceKind::Neighbourhood,
                "campus" => PlaceKind::Landmark,
                "county" => PlaceKind::District,
                "region" if !get("geonameid").is_empty() => PlaceKind::Governorate,
                "region" => PlaceKind::Region,
                _ => continue,
            };
            let lat = parse_f64(get("latitude"), path)?;
            let lon = parse_f64(get("longitude"), path)?;
            let mut names = Vec::new();
            for n in [get("name"), get("gn_name"), get("gn_asciiname")] {
                names.push(n.to_string());
            }
            names.extend(get("names_en_und").split('|').map(str::to_string));
            names.extend(get("names_ar").split('|').map(str::to_string));
            for other in get("names_other").split('|') {
                if let Some((_, n)) = other.split_once(':') {
                    if is_latin_or_arabic(n) {
                        names.push(n.to_string());
                    }
                }
            }
            names.retain(|n| !n.trim().is_empty());
            let display = names
                .iter()
                .find(|n| is_latin(n))
                .cloned()
                .unwrap_or_else(|| get("name").to_string());
            names.insert(0, display.clone());
            let gid: Option<u64> = get("geonameid").parse().ok();
            let source = format!("wof:{}", get("wof_id"));
            if let Some(g) = gid {
                if let Some(&i) = self.by_geonames.get(&g) {
                    self.merge_into(i, names, &source, population);
                    continue;
                }
            }
            let entry = Entry {
                site: None,
                id: match gid {
                    Some(g) => format!("geonames:{g}"),
                    None => source.clone(),
                },
                kind,
                name: display,
                lat,
                lon,
                country: "SY".into(),
                admin1: None,
                admin2: None,
                population,
                sources: vec![source],
                names,
            };
            if gid.is_some() {
                self.push(entry);
            } else {
                later.push(entry);
            }
        }
        // Records without a GeoNames id merge into a same-named record nearby when one exists.
        for e in later {
            let km = if is_admin(e.kind) { 40.0 } else { MERGE_KM };
            match self.find_near(&e.names, e.lat, e.lon, km, is_admin(e.kind)) {
                Some(i) => {
                    let source = e.sources.join("|");
                    self.merge_into(i, e.names, &source, e.population)
                }
                None => {
                    self.push(e);
                }
            }
        }
        Ok(())
    }

    fn add_cities500_sy(&mut self, path: &Path) -> Result<(), GazetteerError> {
        for row in read_tsv(path, false)? {
            let get = |i: usize| row.get(&i.to_string()).map(String::as_str).unwrap_or("");
            let gid: u64 = get(0)
                .parse()
                .map_err(|_| data_err(path, &format!("bad geonameid `{}`", get(0))))?;
            let population: u64 = get(14).parse().unwrap_or(0);
            let mut names = vec![get(1).to_string(), get(2).to_string()];
            names.extend(get(3).split(',').map(str::to_string));
            names.retain(|n| !n.is_empty());
            let kind = populated_kind(get(7), population);
            let source = format!("geonames-cities500:{gid}");
            if let Some(&i) = self.by_geonames.get(&gid) {
                // cities500 knows the feature code and population better than WOF's copy.
                let e = &mut self.entries[i];
                if !is_admin(e.kind) {
                    e.kind = e.kind.min(kind);
                }
                self.merge_into(i, names, &source, population);
                continue;
            }
            self.push(Entry {
                site: None,
                id: format!("geonames:{gid}"),
                kind,
                name: get(2).to_string(),
                lat: parse_f64(get(4), path)?,
                lon: parse_f64(get(5), path)?,
                country: "SY".into(),
                admin1: None,
                admin2: None,
                population,
                sources: vec![source],
                names,
            });
        }
        Ok(())
    }

    fn add_ocha_capitals(&mut self, path: &Path) -> Result<(), GazetteerError> {
        for row in read_tsv(path, true)? {
            let get = |k: &str| row.get(k).map(String::as_str).unwrap_or("");
            let name = get("name").to_string();
            if name.is_empty() {
                continue;
            }
            let lon = parse_f64(get("x_coord"), path)?;
            let lat = parse_f64(get("y_coord"), path)?;
            let level: u8 = get("adm_p_lvl").parse().unwrap_or(3);
            // The seat's own P-code is empty in this release: the unit it is the seat of
            // names it uniquely.
            let unit = match level {
                0 => "SY",
                1 => get("adm1_pcode"),
                2 => get("adm2_pcode"),
                _ => get("adm3_pcode"),
            };
            let code = match get("loc_pcode") {
                "" => format!("seat-{unit}"),
                c => c.to_string(),
            };
            let source = format!("ocha-capitals:{code}");
            let names = vec![name.clone()];
            if let Some(i) = self.find_near(&names, lat, lon, MERGE_KM, false) {
                // OCHA's spelling is the one Syrian news mostly uses: make it the display name.
                let e = &mut self.entries[i];
                if level <= 2 {
                    e.kind = e.kind.min(if level <= 1 {
                        PlaceKind::City
                    } else {
                        PlaceKind::Town
                    });
                }
                e.name = name.clone();
                self.merge_into(i, names, &source, 0);
                continue;
            }
            self.push(Entry {
                site: None,
                id: format!("ocha:{code}"),
                kind: if level <= 1 {
                    PlaceKind::City
                } else {
                    PlaceKind::Town
                },
                name,
                lat,
                lon,
                country: "SY".into(),
                admin1: None,
                admin2: None,
                population: 0,
                sources: vec![source],
                names,
            });
        }
        Ok(())
    }

    fn add_neighbourhoods(&mut self, path: &Path) -> Result<(), GazetteerError> {
        for row in read_tsv(path, true)? {
            let get = |k: &str| row.get(k).map(String::as_str).unwrap_or("");
            let mut names: Vec<String> = ["name_en", "nam_en_ref", "name_ar", "nam_ar_ref"]
                .iter()
                .map(|k| get(k).to_string())
                .filter(|n| !n.is_empty() && n != "<Null>")
                .collect();
            if names.is_empty() {
                continue;
            }
            names.dedup();
            self.push(Entry {
                site: None,
                id: format!("ocha:{}", get("pcode")),
                kind: PlaceKind::Neighbourhood,
                name: names[0].clone(),
                lat: parse_f64(get("latitude"), path)?,
                lon: parse_f64(get("longitude"), path)?,
                country: "SY".into(),
                admin1: None,
                admin2: None,
                population: 0,
                sources: vec!["ocha-neighbourhoods".into()],
                names,
            });
        }
        Ok(())
    }

    /// The war-reported landmarks (airbases, prisons, camps, hills ...), each its own entry
    /// at its own point, with the town it is described with and its radius. A name the
    /// landmark shares with a Syrian settlement or area is kept marked `^`: it names the site
    /// only with a kind word ("Kweiris airbase"), alone it stays the town's.
    fn add_landmarks(&mut self, path: &Path) -> Result<(), GazetteerError> {
        let settled: HashSet<String> = self
            .entries
            .iter()
            .filter(|e| e.country == "SY" && !e.kind.is_landmark())
            .flat_map(|e| e.names.iter().map(|n| loose_key(n)))
            .collect();
        for row in read_tsv(path, true)? {
            let get = |k: &str| row.get(k).map(String::as_str).unwrap_or("").trim();
            let name = get("name");
            if name.is_empty() {
                continue;
            }
            let mut names: Vec<String> = Vec::new();
            let mut add = |n: &str| {
                let n = n.trim();
                if !n.is_empty() && !names.iter().any(|x| x == n) {
                    names.push(n.to_string());
                }
            };
            add(name);
            for part in name.split(" / ") {
                add(landmarks::strip_parentheses(part));
            }
            for alt in get("alt_names").split('|') {
                add(landmarks::strip_parentheses(alt));
            }
            let (lat, lon) = (parse_f64(get("lat"), path)?, parse_f64(get("lon"), path)?);
            // Places across the border count too: the Rukban camp is by Jordan's Rukban.
            let neighbours: HashSet<String> = self
                .entries
                .iter()
                .filter(|e| e.country != "SY" && distance_km(lat, lon, e.lat, e.lon) < 25.0)
                .flat_map(|e| e.names.iter().map(|n| loose_key(n)))
                .collect();
            for n in &mut names {
                let key = loose_key(n);
                let shared = landmarks::phrase(n).is_none()
                    && (settled.contains(&key) || neighbours.contains(&key));
                if shared {
                    n.insert(0, '^');
                }
            }
            let kind = PlaceKind::parse(get("kind"))
                .filter(|k| k.is_landmark())
                .unwrap_or(PlaceKind::Landmark);
            let weak = !get("note").starts_with("[strong]");
            let radius_m =
                match get("precision_m") {
                    "" => None,
                    r => Some(r.parse::<u32>().map_err(|_| {
                        data_err(path, &format!("bad precision_m `{r}` for {name}"))
                    })?),
                };
            let near = Some(get("near"))
                .filter(|n| !n.is_empty())
                .map(str::to_string);
            self.push(Entry {
                site: Some(crate::gazetteer::Site { near, radius_m }),
                id: get("id").to_string(),
                kind,
                name: name.to_string(),
                lat,
                lon,
                country: "SY".into(),
                admin1: Some(get("admin1").to_string()).filter(|a| !a.is_empty()),
                admin2: None,
                population: 0,
                sources: vec![if weak {
                    crate::gazetteer::WEAK_SOURCE.to_string()
                } else {
                    "landmarks-syria".to_string()
                }],
                names,
            });
        }
        Ok(())
    }

    fn add_world(&mut self, cities: &Path, countries: &Path) -> Result<(), GazetteerError> {
        let country_rows = read_tsv(countries, true)?;
        let capitals: HashSet<(String, String)> = country_rows
            .iter()
            .map(|r| {
                (
                    r.get("iso").cloned().unwrap_or_default(),
                    r.get("capital").cloned().unwrap_or_default(),
                )
            })
            .collect();
        let mut capital_points: HashMap<String, (f64, f64, u64)> = HashMap::new();
        for row in read_tsv(cities, true)? {
            let get = |k: &str| row.get(k).map(String::as_str).unwrap_or("");
            let cc = get("country_code");
            if cc == "SY" || cc.is_empty() {
                continue;
            }
            let population: u64 = get("population").parse().unwrap_or(0);
            let name = get("name");
            let is_capital = capitals.contains(&(cc.to_string(), name.to_string()));
            let lat = parse_f64(get("latitude"), cities)?;
            let lon = parse_f64(get("longitude"), cities)?;
            if is_capital {
                let slot = capital_points
                    .entry(cc.to_string())
                    .or_insert((lat, lon, 0));
                if population >= slot.2 {
                    *slot = (lat, lon, population);
                }
            }
            let keep = population >= 100_000
                || (is_capital && population >= 10_000)
                || (NEIGHBOURS.contains(&cc) && population >= 20_000);
            if !keep {
                continue;
            }
            // The name and its Latin-script spellings (Arabic too for the neighbours): each
            // plain-ASCII spelling (how English news writes it: "New York" beside "New Yorc"),
            // and the others each distinct loose key once: small enough to bundle.
            let mut names = vec![name.to_string()];
            let mut keys: HashSet<String> = HashSet::from([loose_key(name)]);
            let mut strict: HashSet<String> = HashSet::from([normalize::key(name)]);
            let arabic_too = NEIGHBOURS.contains(&cc) || population >= 1_000_000;
            for n in get("alternatenames").split('|') {
                let script_ok = is_latin(n) || (arabic_too && is_latin_or_arabic(n));
                if n.chars().count() < 4 || !script_ok || n.chars().all(|c| c.is_ascii_uppercase())
                {
                    continue;
                }
                let plain = n.is_ascii() && strict.insert(normalize::key(n));
                if keys.insert(loose_key(n)) || plain {
                    names.push(n.to_string());
                }
            }
            self.push(Entry {
                site: None,
                id: format!("geonames:{}", get("geonameid")),
                kind: if population >= 100_000 || is_capital {
                    PlaceKind::City
                } else {
                    PlaceKind::Town
                },
                name: name.to_string(),
                lat,
                lon,
                country: cc.to_string(),
                admin1: None,
                admin2: None,
                population,
                sources: vec!["geonames-world-cities500".into()],
                names,
            });
        }
        let curated = curated_countries();
        for row in country_rows {
            let get = |k: &str| row.get(k).map(String::as_str).unwrap_or("");
            let iso = get("iso");
            if iso == "SY" {
                continue;
            }
            let mut names = vec![get("name").to_string()];
            // A curated reference point where tollmap has one, else the capital.
            let point = match curated.get(iso) {
                Some((lat, lon, more, demonyms)) => {
                    names.extend(more.iter().cloned());
                    names.extend(demonyms.iter().map(|d| format!("~{d}")));
                    Some((*lat, *lon))
                }
                None => capital_points.get(iso).map(|&(lat, lon, _)| (lat, lon)),
            };
            let Some((lat, lon)) = point else {
                continue;
            };
            self.push(Entry {
                site: None,
                id: format!("geonames:{}", get("geonameid")),
                kind: PlaceKind::Country,
                name: get("name").to_string(),
                lat,
                lon,
                country: iso.to_string(),
                admin1: None,
                admin2: None,
                population: get("population").parse().unwrap_or(0),
                sources: vec!["geonames-countries".into()],
                names,
            });
        }
        Ok(())
    }
}

fn is_admin(kind: PlaceKind) -> bool {
    matches!(
        kind,
        PlaceKind::Governorate | PlaceKind::District | PlaceKind::Subdistrict | PlaceKind::Region
    )
}

/// City, town or village from a GeoNames feature code and population.
pub(crate) fn populated_kind(code: &str, population: u64) -> PlaceKind {
    match code {
        "PPLC" | "PPLA" => PlaceKind::City,
        _ if population >= 100_000 => PlaceKind::City,
        "PPLA2" => PlaceKind::Town,
        _ if population >= 10_000 => PlaceKind::Town,
        _ => PlaceKind::Village,
    }
}

fn is_latin(s: &str) -> bool {
    s.chars().any(|c| c.is_alphabetic())
        && s.chars().all(|c| {
            !c.is_alphabetic() || (c as u32) < 0x0250 || ('\u{1E00}'..='\u{1EFF}').contains(&c)
        })
}

fn is_latin_or_arabic(s: &str) -> bool {
    is_latin(s)
        || s.chars()
            .all(|c| !c.is_alphabetic() || ('\u{0600}'..='\u{06FF}').contains(&c))
}

fn dedup_names(names: &mut Vec<String>) {
    let mut seen = HashSet::new();
    names.retain(|n| {
        let n = n.trim();
        !n.is_empty() && seen.insert(n.to_string())
    });
    for n in names.iter_mut() {
        *n = n.trim().to_string();
    }
}

fn data_err(path: &Path, message: &str) -> GazetteerError {
    GazetteerError::Data {
        path: path.to_path_buf(),
        message: message.to_string(),
    }
}

fn parse_f64(s: &str, path: &Path) -> Result<f64, GazetteerError> {
    s.trim()
        .parse()
        .map_err(|_| data_err(path, &format!("bad number `{s}`")))
}

/// Rows of a plain (unquoted) TSV file as maps from column name (or index) to value.
fn read_tsv(path: &Path, header: bool) -> Result<Vec<HashMap<String, String>>, GazetteerError> {
    let text = std::fs::read_to_string(path).map_err(|cause| GazetteerError::Io {
        path: path.to_path_buf(),
        cause,
    })?;
    let mut lines = text.lines();
    let cols: Vec<String> = if header {
        lines
            .next()
            .ok_or_else(|| data_err(path, "empty file"))?
            .split('\t')
            .map(str::to_string)
            .collect()
    } else {
        (0..64).map(|i| i.to_string()).collect()
    };
    Ok(lines
        .filter(|l| !l.is_empty())
        .map(|l| {
            cols.iter()
                .cloned()
                .zip(l.split('\t').map(str::to_string))
                .collect()
        })
        .collect())
}

fn read_geojson(path: &Path) -> Result<geojson::FeatureCollection, GazetteerError> {
    let text = std::fs::read_to_string(path).map_err(|cause| GazetteerError::Io {
        path: path.to_path_buf(),
        cause,
    })?;
    text.parse::<geojson::FeatureCollection>()
        .map_err(|e| data_err(path, &e.to_string()))
}

/// P-code to OCHA English name for governorates (SYnn) and districts (SYnnnn).
fn read_pcode_names(bd: &Path) -> Result<HashMap<String, String>, GazetteerError> {
    let mut out = HashMap::new();
    for (file, level) in [
        ("ocha_syr_adm1_governorates.geojson", "adm1"),
        ("ocha_syr_adm2_districts.geojson", "adm2"),
    ] {
        let path = bd.join(file);
        for f in read_geojson(&path)?.features {
            let props = f.properties.unwrap_or_default();
            let get = |k: String| props.get(&k).and_then(|v| v.as_str()).map(str::to_string);
            if let (Some(code), Some(name)) =
                (get(format!("{level}_pcode")), get(format!("{level}_name")))
            {
                out.insert(code, name);
            }
        }
    }
    Ok(out)
}

/// Builds the gazetteer from `data` and writes `places.tsv` into `out_dir` atomically.
pub fn write_bundle(data: &Path, out_dir: &Path) -> Result<BuildReport, super::BundleError> {
    let (entries, report) = entries_from_data(data)?;
    std::fs::create_dir_all(out_dir).map_err(|cause| GazetteerError::Io {
        path: out_dir.to_path_buf(),
        cause,
    })?;
    super::admin::write_bundle(data, out_dir)?;
    let path: PathBuf = out_dir.join("places.tsv");
    crate::util::atomic::write(&path, to_tsv(&entries).as_bytes()).map_err(|cause| {
        GazetteerError::Io {
            path: path.clone(),
            cause,
        }
    })?;
    Ok(report)
}

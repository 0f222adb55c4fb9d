//! Landmarks of the bundled gazetteer: every site found by each of its names and by spelling
//! variants the gazetteer does not hold, within its own radius; `geocode` prints the kind.

use std::process::Command;

use tollmap::gazetteer::{landmarks, Context, Entry, Gazetteer};
use tollmap::model::PlaceKind;
use tollmap::util::geodesy::distance_km;

/// The kind word a name takes when alone it is a town's ("Kweiris" + "airbase").
fn kind_word(kind: PlaceKind) -> &'static str {
    match kind {
        PlaceKind::Airbase => "airbase",
        PlaceKind::MilitaryBase => "base",
        PlaceKind::MilitaryAcademy => "academy",
        PlaceKind::Prison => "prison",
        PlaceKind::Camp => "camp",
        PlaceKind::Dam => "dam",
        PlaceKind::Hospital => "hospital",
        PlaceKind::School => "school",
        PlaceKind::BorderCrossing => "crossing",
        PlaceKind::OilField => "oil field",
        PlaceKind::Hill => "hill",
        PlaceKind::Road => "road",
        PlaceKind::Junction => "junction",
        PlaceKind::Bridge => "bridge",
        PlaceKind::Stadium => "stadium",
        PlaceKind::IndustrialZone => "factory",
        _ => "citadel",
    }
}

/// Spellings of a name the gazetteer need not hold: the article as al-, el- or none, the
/// ending -eh, -ah or -a, and the airbase words swapped.
fn variants(name: &str, kind: PlaceKind) -> Vec<String> {
    let mut out = Vec::new();
    for (from, to) in [("al-", "el-"), ("Al-", "El-"), ("al-", ""), ("Al-", "")] {
        if let Some(rest) = name.strip_prefix(from) {
            out.push(format!("{to}{rest}"));
        }
    }
    if let Some(p) = landmarks::phrase(name) {
        let core = p.core;
        let rest = &name[name.find(core).map_or(0, |i| i + core.len())..];
        for (from, to) in [("eh", "ah"), ("ah", "eh"), ("ah", "a"), ("eh", "a")] {
            if let Some(stem) = core.strip_suffix(from) {
                out.push(format!("{stem}{to}{rest}"));
            }
        }
        if kind == PlaceKind::Airbase {
            for w in ["Airbase", "Air Base", "Airport", "Military Airport"] {
                out.push(format!("{core} {w}"));
            }
        }
    }
    out
}

/// Whether the best answer for `query` lands within the site's radius (at least 1 km: the
/// points of one site from two sources differ by that much).
/// A miss: what was answered, and whether it is another site of the same kind (a twin).
struct Miss {
    text: String,
    twin: bool,
}

fn lands(gaz: &Gazetteer, query: &str, site: &Entry) -> Result<(), Miss> {
    let ctx = Context {
        admin1: site.admin1.iter().cloned().collect(),
        ..Context::default()
    };
    let answer = gaz.look_up(query, &ctx);
    let Some(best) = answer.candidates.first() else {
        return Err(Miss {
            text: format!("{query:?}: nothing (site {})", site.id),
            twin: false,
        });
    };
    let radius = site
        .site
        .as_ref()
        .and_then(|s| s.radius_m)
        .unwrap_or(1000)
        .max(1000);
    let d = distance_km(best.entry.lat, best.entry.lon, site.lat, site.lon) * 1000.0;
    if d <= f64::from(radius) {
        Ok(())
    } else {
        Err(Miss {
            text: format!(
                "{query:?}: {} ({}) is {d:.0} m from {} ({}), radius {radius} m",
                best.entry.name, best.entry.id, site.name, site.id
            ),
            twin: best.entry.kind == site.kind,
        })
    }
}

#[test]
fn every_landmark_is_found_by_each_of_its_names_and_variants() {
    let gaz = Gazetteer::shared().expect("bundled gazetteer");
    let sites: Vec<&Entry> = gaz.iter().filter(|e| e.kind.is_landmark()).collect();
    assert!(sites.len() >= 1000, "{} landmarks bundled", sites.len());
    let (mut tried, mut failed) = (0usize, Vec::new());
    for site in &sites {
        for name in &site.names {
            // A name shared with a settlement names the site with its kind word only.
            let query = match name.strip_prefix('^') {
                Some(bare) => format!("{bare} {}", kind_word(site.kind)),
                None => name.clone(),
            };
            let mut queries = vec![query.clone()];
            queries.extend(variants(&query, site.kind));
            for q in queries {
                tried += 1;
                if let Err(e) = lands(gaz, &q, site) {
                    failed.push(e);
                }
            }
        }
    }
    // Two sites of one kind may share a name in one governorate (twin checkpoints, hills of
    // the same name): those, and nothing else, may land on the twin.
    let twins: Vec<&str> = failed
        .iter()
        .filter(|f| f.twin)
        .map(|f| f.text.as_str())
        .collect();
    let other: Vec<&str> = failed
        .iter()
        .filter(|f| !f.twin)
        .map(|f| f.text.as_str())
        .collect();
    eprintln!(
        "{tried} look-ups, {} landed on a same-named twin",
        twins.len()
    );
    assert!(
        other.is_empty(),
        "{} of {tried} look-ups missed:\n{}",
        other.len(),
        other
            .iter()
            .take(40)
            .copied()
            .collect::<Vec<_>>()
            .join("\n")
    );
    assert!(
        twins.len() * 100 <= tried,
        "{} of {tried} look-ups landed on another site:\n{}",
        twins.len(),
        twins
            .iter()
            .take(40)
            .copied()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn a_bare_town_name_stays_the_town_and_its_kind_word_names_the_site() {
    let gaz = Gazetteer::shared().expect("bundled gazetteer");
    let ctx = Context::default();
    let town = gaz.look_up("Adra", &ctx);
    assert!(
        !town.candidates[0].entry.kind.is_landmark(),
        "Adra is the town"
    );
    let prison = gaz.look_up("Adra prison", &ctx);
    assert_eq!(prison.candidates[0].entry.kind, PlaceKind::Prison);
    let school = gaz.look_up("the Hikmeh school", &ctx);
    assert_eq!(school.candidates[0].entry.kind, PlaceKind::School);
    let stadium = gaz.look_up("the Hamdaniyah stadium", &ctx);
    assert!(stadium.candidates.is_empty());
    assert_eq!(stadium.landmark_to_add, Some(PlaceKind::Stadium));
    let fallback = stadium.fallback.expect("the town it is named after");
    assert!(!fallback.kind.is_landmark());
}

#[test]
fn geocode_prints_the_kind_and_the_town_of_a_site() {
    let out = Command::new(env!("CARGO_BIN_EXE_tollmap"))
        .args([
            "geocode",
            "--format",
            "text",
            "Kuweires airbase",
            "Hikmeh school",
            "Hamdaniyah stadium",
        ])
        .output()
        .expect("run tollmap");
    let text = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "{text}");
    assert!(lines[0].contains("\tairbase, near "), "{}", lines[0]);
    assert!(lines[1].contains("\tschool, near Aleppo"), "{}", lines[1]);
    assert!(lines[1].contains("weak source"), "{}", lines[1]);
    assert!(
        lines[2].contains("within about 25 km of") && lines[2].ends_with("stadium to add"),
        "{}",
        lines[2]
    );
    // Every name resolved but the stadium, placed near its town: exit 1.
    assert_eq!(out.status.code(), Some(1));
}

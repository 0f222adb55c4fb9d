//! Landmarks: the kind words that make a phrase name a site ("the Hikmeh school", "Kuweires
//! airbase", "Sednaya prison", "سجن صيدنايا"), the core name a site is known by once its kind
//! words are set aside, and the look-up of sites by core name and kind.
//!
//! A phrase names a landmark when a kind word ends it (English: "X airbase", "X prison", "the
//! X hills") or starts it (Arabic: "مطار X", "سجن X"). The look-up compares the phrase's core
//! ("Kuweires") with the core names of the sites whose kind fits the words ("airbase" fits an
//! airbase or a military base), and with the town each site is described with, so "the
//! Kuweires airbase" finds "Kuweires Military Airbase" whatever the file calls it.

use super::normalize;
use crate::model::PlaceKind;

/// Kinds an airbase word fits.
const AIR: &[PlaceKind] = &[PlaceKind::Airbase, PlaceKind::MilitaryBase];
/// Kinds a base word fits.
const BASE: &[PlaceKind] = &[
    PlaceKind::MilitaryBase,
    PlaceKind::Airbase,
    PlaceKind::MilitaryAcademy,
];
/// Kinds a checkpoint word fits (a checkpoint often stands at a junction).
const CHECKPOINT: &[PlaceKind] = &[PlaceKind::MilitaryBase, PlaceKind::Junction];
const PRISON: &[PlaceKind] = &[PlaceKind::Prison, PlaceKind::MilitaryBase];
const CAMP: &[PlaceKind] = &[PlaceKind::Camp, PlaceKind::MilitaryBase];
const DAM: &[PlaceKind] = &[PlaceKind::Dam];
const HOSPITAL: &[PlaceKind] = &[PlaceKind::Hospital];
const SCHOOL: &[PlaceKind] = &[PlaceKind::School, PlaceKind::MilitaryAcademy];
const ACADEMY: &[PlaceKind] = &[PlaceKind::MilitaryAcademy, PlaceKind::School];
const CROSSING: &[PlaceKind] = &[PlaceKind::BorderCrossing, PlaceKind::Junction];
const OIL: &[PlaceKind] = &[PlaceKind::OilField, PlaceKind::IndustrialZone];
const HILL: &[PlaceKind] = &[PlaceKind::Hill, PlaceKind::MilitaryBase];
const ROAD: &[PlaceKind] = &[PlaceKind::Road, PlaceKind::Junction];
const JUNCTION: &[PlaceKind] = &[PlaceKind::Junction, PlaceKind::Road];
const BRIDGE: &[PlaceKind] = &[PlaceKind::Bridge];
const STADIUM: &[PlaceKind] = &[PlaceKind::Stadium];
const INDUSTRY: &[PlaceKind] = &[PlaceKind::IndustrialZone, PlaceKind::OilField];
const SITE: &[PlaceKind] = &[PlaceKind::Landmark];

/// Kind words that end an English landmark phrase, in lower case, longest first where one
/// ends another ("military airport" before "airport"), with the kinds each fits (the first
/// is the kind the words name).
const SUFFIXES: &[(&str, &[PlaceKind])] = &[
    ("military airbase", AIR),
    ("military air base", AIR),
    ("military airport", AIR),
    ("international airport", AIR),
    ("air force base", AIR),
    ("air base", AIR),
    ("airbase", AIR),
    ("airport", AIR),
    ("airfield", AIR),
    ("air field", AIR),
    ("airstrip", AIR),
    ("heliport", AIR),
    ("military base", BASE),
    ("base", BASE),
    ("barracks", BASE),
    ("checkpoint", CHECKPOINT),
    ("central prison", PRISON),
    ("prison", PRISON),
    ("jail", PRISON),
    ("refugee camp", CAMP),
    ("idp camp", CAMP),
    ("displacement camp", CAMP),
    ("camps", CAMP),
    ("camp", CAMP),
    ("dam", DAM),
    ("national hospital", HOSPITAL),
    ("military hospital", HOSPITAL),
    ("hospital", HOSPITAL),
    ("school", SCHOOL),
    ("university", SCHOOL),
    ("military academy", ACADEMY),
    ("police academy", ACADEMY),
    ("academy", ACADEMY),
    ("military college", ACADEMY),
    ("college", ACADEMY),
    ("border crossing", CROSSING),
    ("crossing", CROSSING),
    ("oil field", OIL),
    ("oil fields", OIL),
    ("gas field", OIL),
    ("oil/gas field", OIL),
    ("oilfield", OIL),
    ("hills", HILL),
    ("hill", HILL),
    ("mountains", HILL),
    ("mountain", HILL),
    ("heights", HILL),
    ("road", ROAD),
    ("highway", ROAD),
    ("roundabout", JUNCTION),
    ("junction", JUNCTION),
    ("crossroads", JUNCTION),
    ("intersection", JUNCTION),
    ("bridge", BRIDGE),
    ("stadium", STADIUM),
    ("sports city", STADIUM),
    ("industrial zone", INDUSTRY),
    ("industrial area", INDUSTRY),
    ("industrial city", INDUSTRY),
    ("power plant", INDUSTRY),
    ("power station", INDUSTRY),
    ("cement plant", INDUSTRY),
    ("refinery", INDUSTRY),
    ("silos", INDUSTRY),
    ("factory", INDUSTRY),
    ("train station", SITE),
    ("port", SITE),
    ("citadel", SITE),
    ("castle", SITE),
];

/// Kind words that start an Arabic landmark phrase ("مطار X", "سجن X").
const PREFIXES: &[(&str, &[PlaceKind])] = &[
    ("مطار", AIR),
    ("قاعدة", BASE),
    ("سجن", PRISON),
    ("مخيم", CAMP),
    ("سد", DAM),
    ("مشفى", HOSPITAL),
    ("مستشفى", HOSPITAL),
    ("مدرسة", SCHOOL),
    ("جامعة", SCHOOL),
    ("كلية", ACADEMY),
    ("معبر", CROSSING),
    ("حقل", OIL),
    ("دوار", JUNCTION),
    ("جسر", BRIDGE),
    ("ملعب", STADIUM),
];

/// Lower-case words that may stand between a name and its kind word ("the Deir ez-Zor
/// suspension bridge", "the Rastan old hospital").
pub const MODIFIERS: &[&str] = &[
    "suspension",
    "old",
    "new",
    "main",
    "central",
    "national",
    "general",
    "military",
    "civil",
    "civilian",
    "international",
    "grain",
    "water",
    "refugee",
    "displacement",
    "detention",
    "army",
    "naval",
    "football",
    "surgical",
    "field",
];

/// The kind phrases by their words joined with spaces, and every word any of them has
/// (most words of a text are none: they are turned away without joining anything).
struct KindTable {
    phrases: std::collections::HashMap<&'static str, &'static [PlaceKind]>,
    words: std::collections::HashSet<&'static str>,
    /// The most words a phrase has.
    max_words: usize,
}

fn kind_table() -> &'static KindTable {
    static TABLE: std::sync::OnceLock<KindTable> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let mut phrases = std::collections::HashMap::new();
        let mut words = std::collections::HashSet::new();
        let mut max_words = 0;
        for &(p, k) in SUFFIXES.iter().chain(PREFIXES) {
            phrases.entry(p).or_insert(k);
            words.extend(p.split(' '));
            max_words = max_words.max(p.split(' ').count());
        }
        KindTable {
            phrases,
            words,
            max_words,
        }
    })
}

/// True when a lower-case word is part of some kind phrase.
pub fn is_kind_word(w: &str) -> bool {
    kind_table().words.contains(w)
}

/// The kind words a sequence of lower-case words is, if it is one: the kinds they fit.
pub fn kind_words(words: &[&str]) -> Option<&'static [PlaceKind]> {
    let table = kind_table();
    if words.is_empty() || words.len() > table.max_words {
        return None;
    }
    if !words.iter().all(|w| table.words.contains(w)) {
        return None;
    }
    match words {
        [one] => table.phrases.get(one).copied(),
        _ => table.phrases.get(words.join(" ").as_str()).copied(),
    }
}

/// The most words a kind phrase has.
pub fn max_kind_words() -> usize {
    kind_table().max_words
}

/// A landmark phrase split into its core name and the kinds its words fit.
#[derive(Debug, Clone, PartialEq)]
pub struct Phrase<'a> {
    /// The name without its kind words and article ("Hikmeh" of "the Hikmeh school").
    pub core: &'a str,
    /// The kinds the words fit, the one they name first.
    pub kinds: &'static [PlaceKind],
}

/// Reads a name as a landmark phrase: "the Hikmeh school", "Kuweires Military Airbase",
/// "Hama's military airport", "سجن صيدنايا". `None` when no kind word ends (or, in Arabic,
/// starts) it, or nothing is left of the name without it.
pub fn phrase(name: &str) -> Option<Phrase<'_>> {
    let name = strip_parentheses(name.trim());
    let lower = name.to_lowercase();
    // Lower-casing Arabic and the Latin letters of names keeps byte lengths here: an
    // exception only shortens the match, never misplaces the cut.
    if lower.len() == name.len() {
        for &(words, kinds) in SUFFIXES {
            let Some(head) = lower.strip_suffix(words) else {
                continue;
            };
            if !head.is_empty() && !head.ends_with(' ') {
                continue;
            }
            let mut core = clean_core(&name[..head.len()]);
            // "Deir ez-Zor suspension bridge": the modifier is no part of the name.
            if let Some((rest, last)) = core.rsplit_once(' ') {
                if MODIFIERS.contains(&last) {
                    core = clean_core(rest);
                }
            }
            if !core.is_empty() {
                return Some(Phrase { core, kinds });
            }
        }
    }
    for &(word, kinds) in PREFIXES {
        if let Some(rest) = name.strip_prefix(word) {
            if rest.starts_with(' ') {
                let core = clean_core(rest);
                if !core.is_empty() {
                    return Some(Phrase { core, kinds });
                }
            }
        }
    }
    None
}

/// A core name without a leading article word, a trailing possessive or spaces.
fn clean_core(s: &str) -> &str {
    let mut s = s.trim().trim_end_matches([',', '-']).trim();
    for article in ["the ", "The "] {
        if let Some(rest) = s.strip_prefix(article) {
            s = rest.trim_start();
        }
    }
    for possessive in ["'s", "’s", "'", "’"] {
        if let Some(rest) = s.strip_suffix(possessive) {
            s = rest.trim_end();
            break;
        }
    }
    // "the school", "a camp", "its hospital": no name at all.
    let function_word = matches!(
        s.to_ascii_lowercase().as_str(),
        "the" | "a" | "an" | "its" | "their" | "this" | "that" | "his" | "her" | "our" | "one"
    );
    if function_word {
        ""
    } else {
        s
    }
}

/// A name without what stands in parentheses ("Hamidiyah Air Base (Tartus)").
pub fn strip_parentheses(name: &str) -> &str {
    match name.find(" (") {
        Some(i) if name.ends_with(')') => name[..i].trim_end(),
        _ => name,
    }
}

/// The core names of a site: each name without its kind words and parentheses, as keys.
pub fn core_keys(names: &[String]) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for n in names {
        let n = n.trim_start_matches('^');
        let n = strip_parentheses(n);
        let core = phrase(n).map_or(n, |p| p.core);
        let k = normalize::key(core);
        if k.chars().count() < 2 || out.iter().any(|(x, _)| *x == k) {
            continue;
        }
        let lk = normalize::loose_key_of_key(&k);
        out.push((k, lk));
    }
    out
}

/// The keys a site is looked up by: its kind, its core names, the town it is described with.
#[derive(Debug, Clone)]
pub struct SiteKeys {
    /// The entry's index in its gazetteer.
    pub entry: u32,
    /// The kind of landmark the phrase names.
    pub kind: PlaceKind,
    /// (strict, loose) keys of the core names.
    pub cores: Vec<(String, String)>,
    /// The core keys with their endings folded (see `fold_endings`), as `cores`.
    pub folded: Vec<String>,
    /// (strict, loose) keys of the town it is described with.
    pub near: Option<(String, String)>,
}

/// A key with each word's final -eh, -ah, -a or -e folded away, so that spellings that
/// differ only there compare as equal ("Mezzeh" and "Mezza").
pub fn fold_endings(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    for (i, w) in key.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let mut stem = w;
        for end in ["eh", "ah", "a", "e"] {
            if let Some(s) = w.strip_suffix(end) {
                if s.chars().count() >= 3 {
                    stem = s;
                    break;
                }
            }
        }
        out.push_str(stem);
    }
    out
}

/// How well a core key fits a site, in [0, 1]; 0 when it does not. `by_town`: whether the
/// site may be found by the town it is described with (only when its kind is the one the
/// words name: "the Kuweires airbase" is an airbase near Kuweires, but "the Latakia
/// mountains" are no army base near Latakia).
/// `loose` and `folded` are `key`'s loose key and `fold_endings(key)`.
pub fn fit(site: &SiteKeys, key: &str, loose: &str, folded: &str, by_town: bool) -> f64 {
    let mut best: f64 = 0.0;
    for ((k, lk), other) in site.cores.iter().zip(&site.folded) {
        let s = if k == key {
            1.0
        } else {
            // Keys of very different lengths are no spelling variants of each other.
            if folded.len().abs_diff(other.len()) * 2 > folded.len().max(other.len()) {
                continue;
            }
            let sim = normalize::similarity(folded, other);
            // "Assad" keys as "sad" (an assimilated article), "Al-Assad" as "assad".
            let assimilated = folded.len() >= 3
                && other.len() >= 3
                && (other.ends_with(folded) || folded.ends_with(other.as_str()));
            if folded == other {
                0.98
            } else if lk == loose && (sim >= 0.75 || assimilated) {
                0.7 + 0.25 * sim
            } else if sim >= 0.85 && key.chars().count() >= 5 {
                sim - 0.1
            } else {
                0.0
            }
        };
        best = best.max(s);
    }
    if let Some((k, lk)) = site.near.as_ref().filter(|_| by_town) {
        // Named after the town it is described with: "the Kuweires airbase".
        let s = if k == key {
            0.75
        } else if lk == loose && normalize::similarity(key, k) >= 0.75 {
            0.7
        } else {
            0.0
        };
        best = best.max(s);
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phrases_split_into_core_and_kind() {
        let cases: &[(&str, Option<(&str, PlaceKind)>)] = &[
            ("the Hikmeh school", Some(("Hikmeh", PlaceKind::School))),
            ("Kuweires airbase", Some(("Kuweires", PlaceKind::Airbase))),
            ("Kuweires Air Base", Some(("Kuweires", PlaceKind::Airbase))),
            (
                "Kuweires Military Airport",
                Some(("Kuweires", PlaceKind::Airbase)),
            ),
            (
                "Hama's military airport",
                Some(("Hama", PlaceKind::Airbase)),
            ),
            ("Sednaya prison", Some(("Sednaya", PlaceKind::Prison))),
            ("al-Hol camp", Some(("al-Hol", PlaceKind::Camp))),
            (
                "the Al-Masheerfa hills",
                Some(("Al-Masheerfa", PlaceKind::Hill)),
            ),
            (
                "Bab al-Hawa border crossing",
                Some(("Bab al-Hawa", PlaceKind::BorderCrossing)),
            ),
            (
                "Hamidiyah Air Base (Tartus)",
                Some(("Hamidiyah", PlaceKind::Airbase)),
            ),
            ("سجن صيدنايا", Some(("صيدنايا", PlaceKind::Prison))),
            ("Kuweires", None),
            ("airbase", None),
            ("the school", None),
            ("Embassy", None),
        ];
        for (text, want) in cases {
            let got = phrase(text).map(|p| (p.core, p.kinds[0]));
            assert_eq!(got, *want, "{text}");
        }
    }

    #[test]
    fn core_keys_drop_kind_words_and_duplicates() {
        let names: Vec<String> = ["Tishrin Dam", "Tishreen Dam", "^Tishrin", "سد تشرين"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let keys: Vec<String> = core_keys(&names).into_iter().map(|(k, _)| k).collect();
        assert_eq!(keys.len(), 3, "{keys:?}");
        assert_eq!(keys[0], normalize::key("Tishrin"));
    }
}

//! Place mentions in a sentence: gazetteer names found in runs of capitalized words, with their roles.
//!
//! A name counts only when it fills a whole run of capitalized words (less a leading
//! function word and a trailing "Province", "City" ...), so "Bashar al-Assad" or "Al-Souria
//! Net" never yield a village; in headlines, whose every word is capitalized, any sub-span
//! may match. Unknown capitalized words after "in", "at", "near" or "from" are kept as
//! unresolved mentions, so that nothing is dropped silently.

use super::text::Token;
use crate::gazetteer::{landmarks, normalize, Context, Gazetteer, MatchKind};
use crate::model::{PlaceKind, PlaceRole};

/// A place mention in a sentence.
#[derive(Debug, Clone, PartialEq)]
pub struct Mention {
    /// The words as written.
    pub text: String,
    /// First token index.
    pub first: usize,
    /// One past the last token index.
    pub end: usize,
    /// The role the surrounding words give it.
    pub role: PlaceRole,
    /// The kind the words ask for ("Idlib province" -> governorate).
    pub kind_hint: Option<PlaceKind>,
    /// True when the gazetteer has a name for it.
    pub known: bool,
    /// A landmark phrase ("the Hikmeh school"): its core name and the kinds its words fit.
    pub site: Option<(String, &'static [PlaceKind])>,
}

impl Mention {
    /// The landmark phrase the mention is, if it is one.
    pub fn phrase(&self) -> Option<landmarks::Phrase<'_>> {
        self.site.as_ref().map(|(core, kinds)| landmarks::Phrase {
            core: core.as_str(),
            kinds,
        })
    }
}

/// Capitalized words that are never place names on their own in this domain.
const NOT_PLACES_WORDS: &[&str] = &[
    "the",
    "a",
    "an",
    "in",
    "on",
    "at",
    "of",
    "and",
    "or",
    "for",
    "from",
    "to",
    "by",
    "with",
    "as",
    "but",
    "after",
    "before",
    "since",
    "during",
    "while",
    "when",
    "where",
    "this",
    "that",
    "these",
    "those",
    "it",
    "its",
    "he",
    "she",
    "they",
    "we",
    "his",
    "her",
    "their",
    "our",
    "some",
    "most",
    "many",
    "more",
    "other",
    "another",
    "all",
    "both",
    "each",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "at",
    "about",
    "among",
    "despite",
    "under",
    "over",
    "according",
    "also",
    "but",
    "however",
    "meanwhile",
    "yesterday",
    "today",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "january",
    "february",
    "march",
    "ramadan",
    "eid",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "syrian",
    "syrians",
    "russian",
    "iranian",
    "iraqi",
    "lebanese",
    "turkish",
    "kurdish",
    "arab",
    "alawite",
    "alawites",
    "sunni",
    "shia",
    "shiite",
    "islamist",
    "islamic",
    "state",
    "army",
    "forces",
    "regime",
    "government",
    "president",
    "minister",
    "observatory",
    "human",
    "rights",
    "monitor",
    "media",
    "news",
    "rebels",
    "rebel",
    "opposition",
    "hezbollah",
    "daesh",
    "isis",
    "isil",
    "nusra",
    "fsa",
    "sdf",
    "ypg",
    "hts",
    "ndf",
    "assad",
    "bashar",
    "reuters",
    "afp",
    "ap",
    "sana",
    "facebook",
    "twitter",
    "residents",
    "fighters",
    "troops",
    "soldiers",
    "civilians",
    "children",
    "activists",
    "activist",
    "source",
    "sources",
    "official",
    "officials",
    "kremlin",
    "un",
    "united",
    "nations",
    "comments",
    "photo",
    "related",
    "latest",
    "source",
    "breaking",
    "logo",
    "watch",
    "helpful",
    "keywords",
    "please",
    "local",
    "council",
    "front",
    "legion",
    "movement",
    "brigade",
    "brigades",
    "battalion",
    "division",
    "eastern",
    "western",
    "northern",
    "southern",
    "central",
    "east",
    "west",
    "north",
    "south",
    "new",
    "old",
    "greater",
    "city",
    "province",
    "governorate",
    "district",
    "countryside",
    "village",
    "town",
    "area",
    "suburb",
    "dozens",
    "scores",
    "hundreds",
    "thousands",
    "killed",
    "dead",
    "death",
    "deaths",
    "wounded",
    "injured",
    "mourn",
    "mourns",
    "battle",
    "battles",
    "clashes",
    "attack",
    "fighting",
    "air",
    "base",
    "airbase",
    "strike",
    "strikes",
    "ahmed",
    "ahmad",
    "mohammad",
    "mohammed",
    "muhammad",
    "ali",
    "hassan",
    "hussein",
    "omar",
    "abdulrahman",
    "rami",
];
static NOT_PLACES: super::WordSet = super::WordSet::new(NOT_PLACES_WORDS);

/// Words dropped from the start of a capitalized run ("In Damascus", "The Bahlawaliyet area").
const LEADING_FUNCTION_WORDS: &[&str] = &[
    "the", "a", "an", "in", "on", "at", "of", "and", "from", "to", "by", "for", "with", "near",
    "since", "after", "during", "while", "when", "as", "this", "despite", "across", "outside",
    "inside", "around", "also",
];

/// Capitalized words that may stand next to a place name in one run without making the run
/// a name of something else ("Eastern Aleppo", "Aleppo Battles"); organisation words
/// ("Legion", "Front", "Army") are not among them: "Sham Legion" is no place.
const SAFE_LEFTOVERS: &[&str] = &[
    "the",
    "in",
    "on",
    "at",
    "of",
    "and",
    "from",
    "to",
    "eastern",
    "western",
    "northern",
    "southern",
    "central",
    "east",
    "west",
    "north",
    "south",
    "rural",
    "greater",
    "city",
    "province",
    "governorate",
    "district",
    "countryside",
    "village",
    "town",
    "area",
    "suburb",
    "suburbs",
    "outskirts",
    "battles",
    "battle",
    "clashes",
    "fighting",
    "killed",
    "dead",
    "mourn",
    "mourns",
    "residents",
    "countryside",
    "syria",
    "syrian",
];

/// Lower-case words after a name that make it a site of no bundled kind ("the Omari mosque");
/// kind words ("school", "airbase") are read by `site_words` first.
const LANDMARK_WORDS: &[&str] = &["mosque", "church", "square", "market", "quarter", "street"];

/// Words after a name that say what kind of place it is.
fn kind_word(w: &str) -> Option<PlaceKind> {
    match w {
        "province" | "provinces" | "governorate" | "governorates" => Some(PlaceKind::Governorate),
        "district" | "districts" => Some(PlaceKind::District),
        _ => None,
    }
}

fn is_trailing_generic(w: &str) -> bool {
    matches!(
        w,
        "province"
            | "provinces"
            | "governorate"
            | "city"
            | "town"
            | "village"
            | "district"
            | "countryside"
            | "suburbs"
            | "area"
            | "region"
            | "battles"
            | "battle"
            | "front"
    )
}

/// Words that, just before a place, make it the place of the event.
const EVENT_CUES: &[&str] = &[
    "in",
    "at",
    "near",
    "outside",
    "around",
    "across",
    "inside",
    "into",
    "on",
    "over",
    "of",
    "for",
    "toward",
    "towards",
    "within",
    "throughout",
];
/// Words that, just before a place, make it where the dead came from.
const ORIGIN_CUES: &[&str] = &["from", "native", "natives", "residents", "sons", "locals"];
/// Words before a place that make it where the remains went.
const REMAINS_CUES: &[&str] = &[
    "morgue",
    "morgues",
    "hospital",
    "hospitals",
    "cemetery",
    "buried",
    "funeral",
    "funerals",
];

/// Finds the place mentions of a sentence.
pub fn mentions(
    toks: &[Token<'_>],
    sentence: &str,
    headline: bool,
    gaz: &Gazetteer,
) -> Vec<Mention> {
    let mut out: Vec<Mention> = Vec::new();
    let mut i = 0usize;
    while i < toks.len() {
        if !starts_run(toks, i) {
            i += 1;
            continue;
        }
        let mut end = i;
        while end < toks.len() && in_run(toks, end, i) {
            end += 1;
        }
        find_in_run(toks, sentence, i, end, headline, gaz, &mut out);
        i = end.max(i + 1);
    }
    coastal_phrases(toks, sentence, gaz, &mut out);
    // "Abu Kinan said", "Kinan told Reuters": a speaker, not a place.
    out.retain(|m| {
        !toks
            .get(m.end)
            .is_some_and(|t| matches!(t.lw(), "said" | "says" | "told" | "added" | "stated"))
            || m.first > 0 && {
                let prev = toks[m.first - 1].lw();
                EVENT_CUES.contains(&prev) || ORIGIN_CUES.contains(&prev)
            }
    });
    out.sort_by_key(|m| m.first);
    for k in 0..out.len() {
        let role = role_of(toks, &out, k);
        out[k].role = role;
        // "the countryside of Idlib", "the province of Hama": the governorate.
        let lw = |i: usize| toks.get(i).map(|t| t.lw()).unwrap_or("");
        let f = out[k].first;
        if f >= 2
            && lw(f - 1) == "of"
            && matches!(lw(f - 2), "countryside" | "province" | "governorate")
        {
            out[k].kind_hint = Some(PlaceKind::Governorate);
        }
    }
    // "Idlib and Hama provinces": the plural applies to both.
    for k in (1..out.len()).rev() {
        let (a, b) = out.split_at_mut(k);
        let prev = &mut a[k - 1];
        if b[0].kind_hint.is_some()
            && prev.kind_hint.is_none()
            && b[0].first == prev.end + 1
            && matches!(toks[prev.end].text, "and" | ",")
        {
            prev.kind_hint = b[0].kind_hint;
        }
    }
    out
}

/// Lower-case names of the coast: "the (western) coastal region", "coastal areas", "the coastline".
fn coastal_phrases(toks: &[Token<'_>], sentence: &str, gaz: &Gazetteer, out: &mut Vec<Mention>) {
    for i in 0..toks.len() {
        let w = toks[i].text;
        let end = match w {
            "coastal" => match toks.get(i + 1).map(|t| t.text) {
                Some("region" | "regions" | "areas" | "province" | "provinces") => i + 2,
                _ => continue,
            },
            "coastline" => i + 1,
            _ => continue,
        };
        let text = sentence[toks[i].start..toks[end - 1].end()].to_string();
        if gaz.has_exact(&text) && !out.iter().any(|m| m.first <= i && i < m.end) {
            out.push(Mention {
                text,
                first: i,
                end,
                role: PlaceRole::Mentioned,
                kind_hint: None,
                known: true,
                site: None,
            });
        }
    }
}

fn arabic(t: &Token<'_>) -> bool {
    t.text
        .chars()
        .next()
        .is_some_and(|c| ('\u{0600}'..='\u{06FF}').contains(&c))
}

fn starts_run(toks: &[Token<'_>], i: usize) -> bool {
    let t = &toks[i];
    (t.is_word() && t.is_capitalized()) || arabic(t) || is_article_prefixed(t.text)
}

fn is_article_prefixed(w: &str) -> bool {
    // "al-Bab", "el-Hol", "ad-Dana": a lower-case article joined to a capitalized name.
    // The article is two or three letters: look no further than the fourth byte.
    let Some(dash) = w.bytes().take(4).position(|b| b == b'-') else {
        return false;
    };
    let (a, rest) = (&w[..dash], &w[dash + 1..]);
    {
        matches!(
            a,
            "al" | "el" | "ad" | "ar" | "as" | "ash" | "at" | "az" | "an" | "ed" | "ez"
        ) && rest.chars().next().is_some_and(char::is_uppercase)
    }
}

fn in_run(toks: &[Token<'_>], k: usize, first: usize) -> bool {
    let t = &toks[k];
    if k == first {
        return true;
    }
    // "in the city of Latakia Thursday": a day or month ends the name.
    if super::claimants::dates_word(t.lw()) {
        return false;
    }
    if t.is_word() && (t.is_capitalized() || is_article_prefixed(t.text)) {
        return true;
    }
    if arabic(t) {
        return true;
    }
    // A transliterated ʿayn written as an apostrophe at a word's end: "Nab’ Al-Sakhr",
    // "Tal'" (glued to the word before, a capitalized word after).
    if matches!(t.text, "’" | "'" | "`" | "ʿ")
        && toks[k - 1].end() == t.start
        && toks
            .get(k + 1)
            .is_some_and(|n| n.is_capitalized() || is_article_prefixed(n.text))
    {
        return true;
    }
    // Bare articles inside a name: "Deir ez Zor", "Ras al Ain".
    let lw = t.lw();
    matches!(
        lw,
        "al" | "el" | "ez" | "ad" | "as" | "ash" | "an" | "ar" | "az"
    ) && toks.get(k + 1).is_some_and(|n| n.is_capitalized())
}

/// The longest known sub-spans of the run `[a, b)`, left to right.
fn known_sub_spans(
    toks: &[Token<'_>],
    sentence: &str,
    a: usize,
    b: usize,
    gaz: &Gazetteer,
) -> Vec<(usize, usize)> {
    let text_of = |x: usize, y: usize| &sentence[toks[x].start..toks[y - 1].end()];
    let mut x = a;
    let mut found = Vec::new();
    while x < b {
        let matched = (x + 1..=b).rev().find(|&y| {
            !(y - x == 1 && NOT_PLACES.contains(&toks[x].lw())) && accept(gaz, text_of(x, y), true)
        });
        match matched {
            Some(y) => {
                found.push((x, y));
                x = y;
            }
            None => x += 1,
        }
    }
    found
}

/// "Kuweires airbase", "the Hikmeh school", "Sednaya Prison", "Hama's military airport",
/// "the Al-Mahbeh and Al-Masheerfa hills": the run `[a, b)` (ending at token `end`) as a
/// site, looked up by its core name and kind.
fn site_mention(
    toks: &[Token<'_>],
    sentence: &str,
    a: usize,
    b: usize,
    end: usize,
    gaz: &Gazetteer,
) -> Option<Mention> {
    let text_of = |x: usize, y: usize| &sentence[toks[x].start..toks[y - 1].end()];
    let (core_end, phrase_end, kinds) = site_words(toks, a, b, end)?;
    if core_end <= a || core_end - a > 4 {
        return None;
    }
    let core = landmarks::phrase(text_of(a, phrase_end))
        .filter(|p| p.kinds == kinds)
        .map_or_else(|| text_of(a, core_end).to_string(), |p| p.core.to_string());
    let known = gaz.site(&core, kinds, &Context::default()).is_some();
    Some(Mention {
        text: text_of(a, phrase_end).to_string(),
        first: a,
        end: phrase_end,
        role: PlaceRole::Mentioned,
        kind_hint: None,
        known,
        site: Some((core, kinds)),
    })
}

/// True when the unknown run `[a, b)` (of the capitalized run from `first` to `end`) is
/// still a place: after a locative preposition ("in", "at", "near", "from"), or after "the"
/// and before an area word ("the Bahlawaliyet area"), four words at most, none that is
/// never a place.
fn unknown_place_cued(toks: &[Token<'_>], first: usize, a: usize, b: usize, end: usize) -> bool {
    let lower = |k: usize| toks[k].lw();
    let prev = a.checked_sub(1).map(lower);
    let cue = prev.is_some_and(|p| matches!(p, "in" | "at" | "near" | "from"));
    let leading_article = first < a && lower(first) == "the";
    let followed_by_area = toks.get(end).is_some_and(|t| {
        matches!(
            t.lw(),
            "area" | "village" | "town" | "district" | "neighbourhood" | "neighborhood"
        )
    });
    let all_names = (a..b).all(|k| !NOT_PLACES.contains(&lower(k)));
    all_names && (cue || (leading_article && followed_by_area)) && b - a <= 4
}

#[allow(clippy::too_many_arguments)]
fn find_in_run(
    toks: &[Token<'_>],
    sentence: &str,
    first: usize,
    end: usize,
    headline: bool,
    gaz: &Gazetteer,
    out: &mut Vec<Mention>,
) {
    let lower = |k: usize| toks[k].lw();
    // Drop leading function words ("In Damascus", "The Bahlawaliyet area").
    let mut a = first;
    while a < end && LEADING_FUNCTION_WORDS.contains(&lower(a)) {
        a += 1;
    }
    // Drop trailing generic words, remembering the kind they ask for.
    let mut b = end;
    let mut hint = toks.get(end).and_then(|t| kind_word(t.lw()));
    while b > a && is_trailing_generic(lower(b - 1)) {
        hint = hint.or_else(|| kind_word(lower(b - 1)));
        b -= 1;
    }
    if a >= b {
        return;
    }
    let text_of = |x: usize, y: usize| &sentence[toks[x].start..toks[y - 1].end()];
    // "Kuweires airbase", "the Hikmeh school", "Sednaya Prison", "Hama's military airport",
    // "the Al-Mahbeh and Al-Masheerfa hills": a site, looked up by its core name and kind.
    if let Some(site) = site_mention(toks, sentence, a, b, end, gaz) {
        out.push(site);
        return;
    }
    // "the Hikmeh school", "the Al-Mahbeh hill": a landmark no gazetteer holds, named after
    // something else; never the village of the same name. Kept with its generic word.
    if !headline && b == end {
        if let Some(w) = toks.get(end).map(|t| t.lw()) {
            if LANDMARK_WORDS.contains(&w) && b - a <= 3 {
                out.push(Mention {
                    text: text_of(a, end + 1).to_string(),
                    first: a,
                    end: end + 1,
                    role: PlaceRole::Mentioned,
                    kind_hint: None,
                    known: false,
                    site: None,
                });
                return;
            }
        }
    }
    let sentence_initial = first == 0;
    let whole = text_of(a, b);
    // "the town of Kouya", "Thebah village": a settlement word vouches for a spelling the
    // gazetteer holds only as a variant.
    let settlement = |w: &str| {
        matches!(
            w,
            "town" | "village" | "city" | "neighbourhood" | "neighborhood" | "suburb" | "hamlet"
        )
    };
    let cued = toks.get(end).is_some_and(|t| settlement(t.lw()))
        || (a >= 2 && lower(a - 1) == "of" && settlement(lower(a - 2)));
    if accept(gaz, whole, sentence_initial && a == first)
        || (cued && b - a <= 3 && accept_cued(gaz, whole))
    {
        out.push(Mention {
            text: whole.to_string(),
            first: a,
            end: b,
            role: PlaceRole::Mentioned,
            kind_hint: hint,
            known: true,
            site: None,
        });
        return;
    }
    if headline || b - a > 1 {
        // Longest known sub-spans, left to right; in prose only when the rest of the run is
        // made of words that are never names themselves.
        let found = known_sub_spans(toks, sentence, a, b, gaz);
        let leftovers_are_safe = (a..b).all(|k| {
            found.iter().any(|&(x, y)| x <= k && k < y) || SAFE_LEFTOVERS.contains(&lower(k))
        });
        if headline || leftovers_are_safe {
            for (x, y) in found {
                out.push(Mention {
                    text: text_of(x, y).to_string(),
                    first: x,
                    end: y,
                    role: PlaceRole::Mentioned,
                    kind_hint: if y == b { hint } else { None },
                    known: true,
                    site: None,
                });
            }
            return;
        }
    }
    // Unknown name after a locative preposition: keep it, unresolved.
    if !headline && unknown_place_cued(toks, first, a, b, end) {
        out.push(Mention {
            text: whole.to_string(),
            first: a,
            end: b,
            role: PlaceRole::Mentioned,
            kind_hint: hint,
            known: false,
            site: None,
        });
    }
}

/// The kind words of a landmark phrase around the run `[a, b)` (ending at token `end`):
/// capitalized at the run's end ("Sednaya Prison"), in lower case after it ("Kuweires
/// airbase", "Hama's military airport"), or shared with the names after it ("the Al-Mahbeh
/// and Al-Masheerfa hills"). Returns (end of the core, end of the phrase, kinds).
fn site_words(
    toks: &[Token<'_>],
    a: usize,
    b: usize,
    end: usize,
) -> Option<(usize, usize, &'static [PlaceKind])> {
    let words = |x: usize, y: usize| -> Option<Vec<&str>> {
        let ws = toks.get(x..y)?;
        // Turned away before anything is gathered: the last word is no kind word.
        if !landmarks::is_kind_word(ws.last()?.lw()) {
            return None;
        }
        Some(ws.iter().map(|t| t.lw()).collect())
    };
    let max_words = landmarks::max_kind_words();
    // Capitalized, closing the run.
    if b == end {
        for n in (1..=max_words).rev() {
            if b > a + n {
                if let Some(kinds) = words(b - n, b).and_then(|w| landmarks::kind_words(&w)) {
                    return Some((b - n, b, kinds));
                }
            }
        }
    }
    // Arabic: the kind word opens the name ("سجن صيدنايا").
    if b > a + 1 && arabic(&toks[a]) {
        if let Some(kinds) = landmarks::kind_words(&[toks[a].lw()]) {
            return Some((b, b, kinds));
        }
    }
    if b != end {
        return None;
    }
    // In lower case after the run, or after its possessive ("Hama's military airport").
    let possessive = toks.get(end).is_some_and(|t| {
        matches!(t.text, "'s" | "’s" | "'" | "’") && t.start == toks[end - 1].end()
    });
    let mut after = end + usize::from(possessive);
    // "the Deir ez-Zor suspension bridge": one modifier before the kind word.
    if toks
        .get(after)
        .is_some_and(|t| landmarks::MODIFIERS.contains(&t.lw()))
        && (1..=max_words).any(|n| {
            words(after + 1, after + 1 + n).is_some_and(|w| landmarks::kind_words(&w).is_some())
        })
    {
        after += 1;
    }
    for n in (1..=max_words).rev() {
        if let Some(kinds) = words(after, after + n).and_then(|w| landmarks::kind_words(&w)) {
            if toks[after..after + n].iter().all(|t| t.is_word()) {
                return Some((end, after + n, kinds));
            }
        }
    }
    // Shared with the names after it: "X and Y hills", "X, Y and Z camps".
    let mut k = end;
    for _ in 0..4 {
        if !toks
            .get(k)
            .is_some_and(|t| matches!(t.lw(), "and" | "," | "&"))
        {
            return None;
        }
        k += 1;
        let start = k;
        while k < toks.len() && starts_run(toks, k) && k - start < 4 {
            k += 1;
        }
        if k == start {
            return None;
        }
        for n in (1..=max_words).rev() {
            if let Some(kinds) = words(k, k + n).and_then(|w| landmarks::kind_words(&w)) {
                let plural = toks[k + n - 1].lw().ends_with('s');
                return plural.then_some((end, end, kinds));
            }
        }
    }
    None
}

/// Whether a span names a gazetteer place well enough to take it from running text
/// (memoised by the gazetteer).
fn accept(gaz: &Gazetteer, text: &str, risky_position: bool) -> bool {
    gaz.span_verdict(text, risky_position, || {
        accept_uncached(gaz, text, risky_position)
    })
}

fn accept_uncached(gaz: &Gazetteer, text: &str, risky_position: bool) -> bool {
    let key = normalize::key(text);
    if key.chars().count() < 3 {
        return false;
    }
    if NOT_PLACES.contains(&key.as_str()) || gaz.is_demonym_key(&key) {
        return false;
    }
    // An exact name is enough; spelling variants only where no capitalized word could be
    // read as one, and only close and long ones (the costly look-ups run only here).
    if gaz.has_exact_key(&key) {
        return true;
    }
    if risky_position || key.chars().count() < 6 {
        return false;
    }
    gaz.resolve(text, &Context::default()).is_some_and(|best| {
        matches!(best.matched, MatchKind::Loose | MatchKind::Fuzzy) && best.similarity >= 0.8
    })
}

/// A spelling variant after a settlement word: shorter names and looser matches pass.
fn accept_cued(gaz: &Gazetteer, text: &str) -> bool {
    let key = normalize::key(text);
    if key.chars().count() < 4 || NOT_PLACES.contains(&key.as_str()) || gaz.is_demonym_key(&key) {
        return false;
    }
    gaz.resolve(text, &Context::default())
        .is_some_and(|best| best.entry.country == "SY" && best.similarity >= 0.7)
}

fn role_of(toks: &[Token<'_>], all: &[Mention], k: usize) -> PlaceRole {
    let m = &all[k];
    let lw = |i: usize| toks.get(i).map(|t| t.lw()).unwrap_or("");
    let before = |n: usize| -> Vec<&str> { (m.first.saturating_sub(n)..m.first).map(lw).collect() };
    let near = before(4);
    // "X, a suburb of Y": Y shares X's role.
    let before_article = match lw(m.first.wrapping_sub(1)) {
        "the" => lw(m.first.wrapping_sub(2)),
        w => w,
    };
    let joined = matches!(before_article, "and" | "'s" | "’s" | ",");
    if near.contains(&"suburb") || joined {
        if let Some(prev) = k.checked_sub(1).map(|p| &all[p]) {
            if m.first - prev.end <= 5 {
                return role_of(toks, all, k - 1);
            }
        }
    }
    let window = before(6);
    if window.iter().any(|w| REMAINS_CUES.contains(w)) {
        return PlaceRole::Remains;
    }
    let prev = lw(m.first.wrapping_sub(1));
    if ORIGIN_CUES.contains(&prev)
        || (prev == "of" && ORIGIN_CUES.contains(&lw(m.first.wrapping_sub(2))))
    {
        return PlaceRole::Origin;
    }
    // "The Bahlawaliyet area also mourned": a place that mourns its dead is their origin.
    let after: Vec<&str> = (m.end..(m.end + 4).min(toks.len())).map(lw).collect();
    if after.iter().any(|w| w.starts_with("mourn")) {
        return PlaceRole::Origin;
    }
    if EVENT_CUES.contains(&prev) {
        return PlaceRole::Event;
    }
    // "in the al-Hol camp", "attacked the Hikmeh school", "shelled Jisr al-Shughur": the
    // article passed over; the target of an attack is where it happened.
    let cue = if prev == "the" {
        lw(m.first.wrapping_sub(2))
    } else {
        prev
    };
    if EVENT_CUES.contains(&cue) || ATTACK_VERBS.contains(&cue) {
        return PlaceRole::Event;
    }
    PlaceRole::Mentioned
}

/// Verbs whose object is the place an attack struck.
const ATTACK_VERBS: &[&str] = &[
    "attacked",
    "attacking",
    "stormed",
    "storming",
    "shelled",
    "shelling",
    "bombed",
    "bombing",
    "targeted",
    "targeting",
    "struck",
    "hit",
    "raided",
    "besieged",
    "overran",
    "captured",
    "seized",
    "recaptured",
];

#[cfg(test)]
mod tests {
    use super::super::text::tokens;
    use super::*;

    fn found(s: &str, headline: bool) -> Vec<(String, PlaceRole, bool)> {
        let g = Gazetteer::shared().unwrap();
        let t = tokens(s);
        mentions(&t, s, headline, g)
            .into_iter()
            .map(|m| (m.text, m.role, m.known))
            .collect()
    }

    #[test]
    #[allow(clippy::type_complexity)]
    fn mentions_table() {
        use PlaceRole::*;
        let cases: &[(&str, bool, &[(&str, PlaceRole, bool)])] = &[
            (
                "Locals from Beit Yashout said eight were killed in Aleppo.",
                false,
                &[("Beit Yashout", Origin, true), ("Aleppo", Event, true)],
            ),
            ("President Bashar al-Assad spoke on Monday.", false, &[]),
            (
                "Rebels attacked in Idlib and Hama provinces.",
                false,
                &[("Idlib", Event, true), ("Hama", Event, true)],
            ),
            (
                "Bodies were taken to hospital morgues in Tartous and Jableh.",
                false,
                &[("Tartous", Remains, true), ("Jableh", Remains, true)],
            ),
            (
                "Barrel Bombs Kill 13 in Syria's Aleppo",
                true,
                &[("Syria", Event, true), ("Aleppo", Event, true)],
            ),
            (
                "Fighters from Kfar Zibbanoun, a suburb of Latakia, died.",
                false,
                &[("Kfar Zibbanoun", Origin, false), ("Latakia", Origin, true)],
            ),
        ];
        for (s, headline, want) in cases {
            let want: Vec<(String, PlaceRole, bool)> = want
                .iter()
                .map(|(a, r, k)| (a.to_string(), *r, *k))
                .collect();
            assert_eq!(found(s, *headline), want, "{s}");
        }
    }
}

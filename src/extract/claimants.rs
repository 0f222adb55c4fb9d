//! Claimants: who says so ("according to X", "X said ...", ", a monitor said", a headline's
//! ": monitor"), cleaned to the speaker's name, and generic ones named from a neighbouring
//! sentence.

use super::text::{self, Token};
use super::words::SAYS;
use super::{outcome_word, places};
use crate::model::Claim;

/// "according to a war monitoring group. The Syrian Observatory for Human Rights disclosed
/// ...": a generic claimant takes the name a neighbouring sentence (two either side) gives a
/// body of the same kind.
pub(super) fn name_generic_claimants(
    out: &mut [Claim],
    sentences: &[text::Sentence<'_>],
    analysed: &[(Vec<Token<'_>>, Vec<places::Mention>)],
) {
    const KINDS: &[(&str, &[&str])] = &[
        ("monitor", &["Observatory", "Monitor", "Network"]),
        ("observatory", &["Observatory"]),
        ("rights group", &["Rights", "Observatory"]),
        ("watchdog", &["Observatory", "Monitor", "Watch"]),
    ];
    let generic = |c: &str| -> Option<&'static [&'static str]> {
        let lower = c.to_lowercase();
        let unnamed = lower == c || ["a ", "an ", "the "].iter().any(|a| lower.starts_with(a));
        if !unnamed {
            return None;
        }
        KINDS
            .iter()
            .find(|(k, _)| lower.contains(k))
            .map(|(_, names)| *names)
    };
    for claim in out.iter_mut() {
        let Some(names) = claim.claimant.as_deref().and_then(generic) else {
            continue;
        };
        let Ok(at) = sentences.binary_search_by_key(&claim.span[0], |s| s.start) else {
            continue;
        };
        // Nearest sentence first, the following one before the preceding one.
        let mut near: Vec<usize> = (at.saturating_sub(2)..(at + 3).min(sentences.len()))
            .filter(|&k| k != at)
            .collect();
        near.sort_by_key(|&k| (k.abs_diff(at), k < at));
        let named = near.into_iter().find_map(|k| {
            claimant_of(sentences[k].text, &analysed[k].0).filter(|n| {
                generic(n).is_none() && names.iter().any(|w| n.split_whitespace().any(|x| x == *w))
            })
        });
        if let Some(n) = named {
            claim.claimant = Some(n);
        }
    }
}

/// "according to X", "X said ...": who says so. Not a pronoun ("..., he said" after a
/// quote), nor the adverb or clause that opens a sentence ("Later, the source added", "As
/// ISIS have continued ..., SOHR activists have documented").
pub(super) fn claimant_of(sentence: &str, toks: &[Token<'_>]) -> Option<String> {
    speaker(sentence, toks).filter(|c| {
        let lower = c.to_lowercase();
        let first = lower.split_whitespace().next().unwrap_or("");
        let pronoun = matches!(lower.as_str(), "he" | "she" | "they" | "it" | "we" | "i");
        let opener = matches!(
            first,
            "later" | "initial" | "meanwhile" | "as" | "while" | "also" | "however" | "moreover"
        );
        !c.is_empty() && !pronoun && !opener
    })
}

fn speaker(sentence: &str, toks: &[Token<'_>]) -> Option<String> {
    let lw: Vec<&str> = toks.iter().map(|t| t.lw()).collect();
    let slice = |a: usize, b: usize| sentence[toks[a].start..toks[b - 1].end()].to_string();
    for i in 0..toks.len() {
        if lw[i] == "according" && lw.get(i + 1).copied() == Some("to") {
            let a = i + 2;
            let mut b = a;
            while b < toks.len() && !matches!(toks[b].text, "." | "," | ";" | ":" | "—" | ")") {
                b += 1;
            }
            if b > a {
                return Some(clean_claimant(&slice(a, b)));
            }
        }
    }
    // "..., a war monitor said on Friday."
    for i in (1..toks.len()).rev() {
        if !SAYS.contains(&lw[i]) {
            continue;
        }
        let tail_ok = lw[i + 1..].iter().all(|w| {
            w.chars().all(|c| !c.is_alphanumeric())
                || matches!(
                    *w,
                    "on" | "in"
                        | "late"
                        | "early"
                        | "yesterday"
                        | "today"
                        | "last"
                        | "week"
                        | "night"
                )
                || dates_word(w)
        });
        if !tail_ok {
            break;
        }
        if let Some(comma) = (0..i).rev().find(|&k| toks[k].text == ",") {
            if i - comma > 1 && i - comma - 1 <= 8 {
                return Some(clean_claimant(&slice(comma + 1, i)));
            }
        }
        break;
    }
    // "X said/reported ..." with X at the start of the sentence.
    let says = (1..toks.len()).find(|&i| SAYS.contains(&lw[i]))?;
    subject_speaker(sentence, toks, says)
}

/// The speaker before the verb of saying at token `i` ("Ahmed told Al-Souria Net"): the
/// sentence's subject, past a dateline and an opening adverb, with the body a named person
/// speaks for; `None` for a pronoun, a subject with an outcome word or a long one.
fn subject_speaker(sentence: &str, toks: &[Token<'_>], i: usize) -> Option<String> {
    let lw: Vec<&str> = toks.iter().map(|t| t.lw()).collect();
    let slice = |a: usize, b: usize| sentence[toks[a].start..toks[b - 1].end()].to_string();
    let mut a = 0;
    // "Ahmed told Al-Souria Net": the subject is before the verb.
    let subject_end = i;
    if lw[..subject_end].iter().any(|w| outcome_word(w).is_some()) {
        return None;
    }
    while a < subject_end && toks[a].is_punct() {
        a += 1;
    }
    if a >= subject_end {
        return None;
    }
    let subject = slice(a, subject_end);
    let subject = subject.trim_end_matches([',', ' ']);
    // "ERBIL, Kurdistan Region - The SDF announced": the dateline is where the
    // reporter is; the speaker follows its dash.
    let dateline = subject
        .split(|c: char| !c.is_alphabetic())
        .next()
        .is_some_and(|w| w.chars().count() >= 3 && w.chars().all(char::is_uppercase));
    let subject = [" - ", " – ", " — "]
        .iter()
        .filter_map(|d| subject.find(d).map(|at| (at, d.len())))
        .min()
        .filter(|_| dateline)
        .map_or(subject, |(at, n)| &subject[at + n..])
        .trim()
        .to_string();
    // "..., he said" after a quote: the speaker is named elsewhere.
    let subject = subject
        .trim_start_matches(|c: char| !c.is_alphanumeric())
        .to_string();
    // "Later, the source added": the adverb that opens the sentence is no speaker.
    let subject = match subject.split_once(", ") {
        Some((first, rest))
            if matches!(
                first.to_lowercase().as_str(),
                "later" | "meanwhile" | "however" | "moreover" | "also" | "earlier"
            ) =>
        {
            rest.to_string()
        }
        _ => subject,
    };
    let pronoun = matches!(
        subject.to_lowercase().as_str(),
        "he" | "she" | "they" | "it" | "we" | "i"
    );
    if subject.is_empty() || pronoun {
        return None;
    }
    // Keep the name and the body it speaks for: "Ahmed al-Ahmed, ... in the Sham Legion".
    if let Some((name, rest)) = subject.split_once(',') {
        let org = rest
            .split(['—', '–'])
            .next()
            .unwrap_or(rest)
            .rsplit_once(" the ")
            .map(|(_, o)| o.trim().to_string());
        return Some(clean_claimant(&match org {
            Some(o) if o.chars().next().is_some_and(char::is_uppercase) => {
                format!("{}, {}", name.trim(), o)
            }
            _ => name.trim().to_string(),
        }));
    }
    if subject.split_whitespace().count() <= 8 {
        return Some(clean_claimant(&subject));
    }
    None
}

pub(super) fn dates_word(w: &str) -> bool {
    matches!(
        w,
        "monday"
            | "tuesday"
            | "wednesday"
            | "thursday"
            | "friday"
            | "saturday"
            | "sunday"
            | "morning"
            | "evening"
    )
}

/// A headline's trailing ": NGO", ": monitor", ": Rebels".
pub(super) fn headline_claimant(s: &text::Sentence<'_>) -> Option<String> {
    // A headline, or a short line without a final full stop in sentence case ("Air strikes
    // kill 18 in Idlib: monitor").
    let line = s.text.trim();
    let short_line = !line.ends_with(['.', '!', '?']) && line.split_whitespace().count() <= 16;
    if !(s.headline || short_line) {
        return None;
    }
    let (_, tail) = line.rsplit_once(':').or_else(|| line.rsplit_once(" - "))?;
    let tail = tail.trim();
    let words: Vec<String> = tail.split_whitespace().map(str::to_lowercase).collect();
    let source_like = tail.chars().next().is_some_and(char::is_uppercase)
        || words.iter().any(|w| SOURCE_WORDS.contains(&w.as_str()));
    // "... - Hundreds of civilians killed" is a second headline, not a source.
    let tells_a_toll = words.iter().any(|w| {
        outcome_word(w.trim_matches(|c: char| !c.is_alphanumeric())).is_some()
            || w.starts_with(|c: char| c.is_ascii_digit())
    });
    (!words.is_empty() && words.len() <= 4 && source_like && !tells_a_toll)
        .then(|| clean_claimant(tail))
}

/// Words that make a headline's trailing ": ..." a source ("monitor", "state media").
const SOURCE_WORDS: &[&str] = &[
    "monitor",
    "observatory",
    "ngo",
    "activists",
    "activist",
    "media",
    "medics",
    "army",
    "rebels",
    "official",
    "officials",
    "source",
    "sources",
    "group",
    "ministry",
    "report",
    "witnesses",
    "police",
    "military",
    "hospital",
    "residents",
    "tv",
    "agency",
    "sohr",
    "un",
    "spokesman",
    "spokesperson",
    "monitors",
    "doctors",
    "rescuers",
    "government",
];

fn clean_claimant(s: &str) -> String {
    // Quote marks left of the speaker: "” the SDF Media Centre said".
    let mut s = s
        .trim()
        .trim_start_matches(|c: char| !c.is_alphanumeric())
        .trim_start();
    // "a new estimate by the Syrian Observatory" -> the body that made it.
    for sep in [" by ", " from "] {
        if let Some((head, tail)) = s.split_once(sep) {
            let h = head.to_lowercase();
            if [
                "estimate",
                "report",
                "tally",
                "count",
                "statement",
                "figures",
                "toll",
            ]
            .iter()
            .any(|w| h.ends_with(w))
            {
                s = tail;
                break;
            }
        }
    }
    let s = s
        .strip_prefix("The ")
        .or_else(|| s.strip_prefix("the "))
        .unwrap_or(s);
    // "the authorities have (reported)", "SOHR also (said)": the speaker without the verb's
    // auxiliaries.
    // "... Forces (SDF) on Friday (announced)": nor the day it spoke.
    let mut s = s.trim_end();
    while let Some((head, last)) = s.rsplit_once(' ') {
        let day = matches!(head.rsplit_once(' '), Some((h, "on")) if !h.is_empty())
            && dates_word(&last.to_lowercase());
        if day {
            s = head.rsplit_once(' ').map_or(head, |(h, _)| h).trim_end();
        } else if matches!(
            last,
            "have" | "has" | "had" | "also" | "was" | "were" | "is" | "are" | "then" | "later"
        ) {
            s = head.trim_end();
        } else {
            break;
        }
    }
    s.chars().take(120).collect::<String>().trim().to_string()
}

//! Counts of people in text: digits, number words, vague quantities, and their qualifiers.
//!
//! Vague quantities become documented conservative ranges: "several" 3–9, "dozens" 24–99,
//! "scores" 40–199, "hundreds" 200–999, "thousands" 2,000–9,999, "tens of thousands"
//! 20,000–99,999, "hundreds of thousands" 200,000–999,999. "About N" allows N ± 10%,
//! "nearly N" N − 10% to N − 1, "more than N" N + 1 and up, "up to N" 1 to N.
//! Four-digit numbers from 1800 to 2100 without a separator are years, never counts.

use super::text::Token;
use crate::model::{Count, Outcome, Qualifier};

/// A count found in a sentence's tokens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountMatch {
    /// The count.
    pub count: Count,
    /// Index of the first token (the qualifier's, when there is one).
    pub first: usize,
    /// Index one past the last token of the number.
    pub end: usize,
}

fn unit_value(w: &str) -> Option<u64> {
    if let Some(&(_, v)) = super::words::UNITS.iter().find(|(n, _)| *n == w) {
        return Some(v);
    }
    // "thirty-five"
    let (tens, unit) = w.split_once('-')?;
    let t = super::words::UNITS.iter().find(|(n, _)| *n == tens)?.1;
    let u = super::words::UNITS.iter().find(|(n, _)| *n == unit)?.1;
    (t >= 20 && t % 10 == 0 && u < 10).then_some(t + u)
}

fn multiplier(w: &str) -> Option<u64> {
    match w {
        "hundred" => Some(100),
        "thousand" => Some(1_000),
        "million" => Some(1_000_000),
        _ => None,
    }
}

/// Parses a plain number (digits or words) starting at token `i`: its value and end index.
fn number_at(toks: &[Token<'_>], i: usize) -> Option<(u64, usize)> {
    let t = toks.get(i)?;
    if t.text.chars().next()?.is_ascii_digit() {
        if t.text.contains('.') {
            return None;
        }
        let has_sep = t.text.contains(',');
        if has_sep && !valid_thousands(t.text) {
            return None;
        }
        let digits: String = t.text.chars().filter(char::is_ascii_digit).collect();
        if digits.len() != t.text.chars().filter(|c| *c != ',').count() {
            return None; // "3rd", "10km"
        }
        let v: u64 = digits.parse().ok()?;
        if !has_sep && digits.len() == 4 && (1800..=2100).contains(&v) {
            return None;
        }
        let mut end = i + 1;
        let mut value = v;
        if let Some(m) = toks.get(end).and_then(|n| multiplier(n.lw())) {
            value = value.checked_mul(m)?;
            end += 1;
        }
        return Some((value, end));
    }
    // Words: [a|an|unit] (hundred|thousand)? [and]? [unit]? ...
    let mut value: u64 = 0;
    let mut current: u64 = 0;
    let mut end = i;
    let mut any = false;
    let mut k = i;
    while k < toks.len() {
        let w = toks[k].lw();
        if let Some(u) = unit_value(w) {
            if !current.is_multiple_of(100) && current > 0 {
                break; // "five six"
            }
            current += u;
            any = true;
            k += 1;
            end = k;
            continue;
        }
        if (w == "a" || w == "an") && !any {
            // "a hundred", "a dozen"
            let next = toks.get(k + 1).map(|t| t.lw());
            match next {
                Some("hundred" | "thousand" | "million" | "dozen") => {
                    current = 1;
                    any = true;
                    k += 1;
                    continue;
                }
                _ => return None,
            }
        }
        if w == "dozen" && any {
            current *= 12;
            k += 1;
            end = k;
            continue;
        }
        if let Some(m) = multiplier(w) {
            if !any {
                return None;
            }
            if m == 100 {
                current = current.max(1) * 100;
            } else {
                value += current.max(1) * m;
                current = 0;
            }
            k += 1;
            end = k;
            continue;
        }
        if w == "and" && any && k + 1 < toks.len() && unit_value(toks[k + 1].lw()).is_some() {
            k += 1;
            continue;
        }
        break;
    }
    if !any || end == i {
        return None;
    }
    Some((value + current, end))
}

fn valid_thousands(s: &str) -> bool {
    let mut parts = s.split(',');
    let first = parts.next().unwrap_or("");
    !first.is_empty() && first.len() <= 3 && parts.all(|p| p.len() == 3)
}

/// A vague quantity at token `i`: (low, high, end index).
fn vague_at(toks: &[Token<'_>], i: usize) -> Option<(u64, u64, usize)> {
    let w = |k: usize| toks.get(k).map(|t| t.lw()).unwrap_or("");
    let first = w(i);
    match first {
        "tens" | "hundreds" if w(i + 1) == "of" && w(i + 2) == "thousands" => {
            let (lo, hi) = if first == "tens" {
                (20_000, 99_999)
            } else {
                (200_000, 999_999)
            };
            Some((lo, hi, i + 3))
        }
        "tens" if w(i + 1) == "of" => Some((20, 99, i + 1)),
        "several" => Some((3, 9, i + 1)),
        "dozens" => Some((24, 99, i + 1)),
        "scores" => Some((40, 199, i + 1)),
        "hundreds" => Some((200, 999, i + 1)),
        "thousands" => Some((2_000, 9_999, i + 1)),
        _ => None,
    }
}

/// Qualifier words ending just before token `i`: (qualifier, index of their first token).
fn qualifier_before(toks: &[Token<'_>], i: usize) -> Option<(Qualifier, usize)> {
    let w = |k: usize| toks.get(k).map(|t| t.lw()).unwrap_or("");
    let two = if i >= 2 {
        format!("{} {}", w(i - 2), w(i - 1))
    } else {
        String::new()
    };
    let three = if i >= 3 {
        format!("{} {} {}", w(i - 3), w(i - 2), w(i - 1))
    } else {
        String::new()
    };
    match three.as_str() {
        "in excess of" => return Some((Qualifier::MoreThan, i - 3)),
        "as many as" | "no more than" | "not more than" => return Some((Qualifier::AtMost, i - 3)),
        _ => {}
    }
    match two.as_str() {
        "at least" | "no fewer" | "no less" => return Some((Qualifier::AtLeast, i - 2)),
        "more than" | "higher than" | "greater than" | "upwards of" => {
            return Some((Qualifier::MoreThan, i - 2))
        }
        "up to" | "at most" | "fewer than" | "less than" => {
            return Some((Qualifier::AtMost, i - 2))
        }
        "close to" | "just under" => return Some((Qualifier::About, i - 2)),
        _ => {}
    }
    if i == 0 {
        return None;
    }
    match w(i - 1) {
        "over" | "exceeding" | "passes" | "passed" | "exceeds" | "exceeded" | "surpassed" => {
            Some((Qualifier::MoreThan, i - 1))
        }
        "about" | "around" | "approximately" | "roughly" | "some" | "nearly" | "almost"
        | "estimated" | "circa" => Some((Qualifier::About, i - 1)),
        _ => None,
    }
}

/// Every count in a sentence's tokens, left to right, not overlapping.
pub fn counts(sentence: &str, toks: &[Token<'_>]) -> Vec<CountMatch> {
    let mut out = Vec::new();
    let mut i = 0usize;
    while i < toks.len() {
        if let Some((low, high, end)) = vague_at(toks, i) {
            out.push(CountMatch {
                count: Count {
                    low,
                    high: Some(high),
                    text: span_text(sentence, toks, i, end),
                    qualifier: Qualifier::Vague,
                },
                first: i,
                end,
            });
            i = end;
            continue;
        }
        let Some((n, end)) = number_at(toks, i) else {
            i += 1;
            continue;
        };
        if let Some(range) = range_at(sentence, toks, i, n, end) {
            i = range.end;
            out.push(range);
            continue;
        }
        if counts_no_one(toks, i, end, out.last()) {
            i = end;
            continue;
        }
        let count = qualified(sentence, toks, i, n, end);
        i = count.end;
        out.push(count);
    }
    // Singular victims ("a woman was killed", "including a child and two players") where no
    // number stands.
    let singles: Vec<CountMatch> = implicit_ones(sentence, toks)
        .into_iter()
        .filter(|m| {
            !out.iter()
                .any(|c| c.first < m.end.max(m.first + 1) && m.first < c.end)
        })
        .collect();
    if !singles.is_empty() {
        out.extend(singles);
        out.sort_by_key(|c| c.first);
    }
    // Every reader of counts takes the words between one and the next: they never overlap
    // (a qualifier read back over the number before, "Eight At least 21"). A figure past
    // `MAX_COUNT` ("five billion") is no count of people.
    let mut last_end = 0;
    out.retain(|c| {
        let apart = c.first >= last_end && c.count.low <= crate::model::MAX_COUNT;
        if apart {
            last_end = c.end;
        }
        apart
    });
    out
}

/// A range from the number `n` at tokens `i..end`: "between X and Y", "X to Y", "X-Y", and
/// the hedged "two or three people", "Two, maybe four people" (one figure, not two).
fn range_at(
    sentence: &str,
    toks: &[Token<'_>],
    i: usize,
    n: u64,
    end: usize,
) -> Option<CountMatch> {
    let lw = |k: usize| toks.get(k).map(|t| t.lw()).unwrap_or("");
    if lw(end) == "to" || lw(end) == "and" || lw(end) == "-" {
        if let Some((m, end2)) = number_at(toks, end + 1) {
            if m > n && (lw(end) != "and" || (i > 0 && lw(i - 1) == "between")) {
                let first = if i > 0 && lw(i - 1) == "between" {
                    i - 1
                } else {
                    i
                };
                return Some(CountMatch {
                    count: Count {
                        low: n,
                        high: Some(m),
                        text: span_text(sentence, toks, first, end2),
                        qualifier: Qualifier::Range,
                    },
                    first,
                    end: end2,
                });
            }
        }
    }
    let hedge = if lw(end) == "or" {
        Some(end + 1)
    } else if lw(end) == "," && matches!(lw(end + 1), "maybe" | "perhaps" | "possibly") {
        Some(end + 2)
    } else {
        None
    };
    let (m, end2) = hedge.and_then(|k| number_at(toks, k))?;
    (m > n).then(|| CountMatch {
        count: Count {
            low: n,
            high: Some(m),
            text: span_text(sentence, toks, i, end2),
            qualifier: Qualifier::Range,
        },
        first: i,
        end: end2,
    })
}

/// True when the number at tokens `i..end` counts no one: an age ("a 20-year-old soldier",
/// "aged 35"), a day of a month ("March 26"), the whole a part is of ("two of its seven
/// members", right after the count `last`).
fn counts_no_one(toks: &[Token<'_>], i: usize, end: usize, last: Option<&CountMatch>) -> bool {
    let lw = |k: usize| toks.get(k).map(|t| t.lw()).unwrap_or("");
    (lw(end) == "-" && lw(end + 1).starts_with("year"))
        || (lw(end) == "years" && lw(end + 1) == "old")
        || (i > 0 && lw(i - 1) == "aged")
        || (i > 1 && lw(i - 1) == "of" && lw(i - 2) == "age")
        // Days of a month: "March 26", "26 March" ("may" only after the number).
        || (i > 0 && is_month(lw(i - 1)) && lw(i - 1) != "may")
        || (is_month(lw(end)) && toks[i].text.chars().all(|c| c.is_ascii_digit()))
        || (i >= 3
            && matches!(lw(i - 1), "its" | "their" | "the" | "his")
            && lw(i - 2) == "of"
            && last.is_some_and(|c| c.end + 2 == i))
}

/// The count of the number `n` at tokens `i..end` with its qualifier: "at least", "more
/// than", "about", "nearly", SOHR's postposed "56 at least", "82 persons at least".
fn qualified(sentence: &str, toks: &[Token<'_>], i: usize, n: u64, end: usize) -> CountMatch {
    let lw = |k: usize| toks.get(k).map(|t| t.lw()).unwrap_or("");
    let (mut qualifier, first) = qualifier_before(toks, i).unwrap_or((Qualifier::Exact, i));
    let mut end = end;
    // "eight at least 21": the "at least" is the next number's.
    let a_number = |k: usize| {
        let w = lw(k);
        w.starts_with(|c: char| c.is_ascii_digit()) || unit_value(w).is_some()
    };
    if qualifier == Qualifier::Exact {
        if lw(end) == "at" && lw(end + 1) == "least" && !a_number(end + 2) {
            qualifier = Qualifier::AtLeast;
            end += 2;
        } else if toks.get(end).is_some_and(|t| t.is_word())
            && lw(end + 1) == "at"
            && lw(end + 2) == "least"
            && !a_number(end + 3)
        {
            qualifier = Qualifier::AtLeast;
        }
    }
    let near = |n: u64| (n / 10).max(1);
    let (low, high) = match qualifier {
        Qualifier::Exact => (n, Some(n)),
        Qualifier::AtLeast => (n, None),
        Qualifier::MoreThan => (n.saturating_add(1), None),
        Qualifier::AtMost => (n.min(1), Some(n)),
        Qualifier::About => {
            let nearly = matches!(lw(i.saturating_sub(1)), "nearly" | "almost" | "under")
                || lw(first) == "close";
            if nearly && n >= 2 {
                (n.saturating_sub(near(n)).max(1), Some(n - 1))
            } else {
                (n.saturating_sub(near(n)).max(1), Some(n + near(n)))
            }
        }
        Qualifier::Range | Qualifier::Vague => (n, Some(n)),
    };
    CountMatch {
        count: Count {
            low,
            high,
            text: span_text(sentence, toks, first, end),
            qualifier,
        },
        first,
        end,
    }
}

/// True when token `at` stands in a list of people opened by "including", "among", "of
/// whom", a parenthesis or a colon within the twelve tokens before it.
fn in_a_list(toks: &[Token<'_>], at: usize) -> bool {
    let lw = |k: usize| toks[k].lw();
    // "identified the victims as a woman and a young man": the dead named one by one.
    let named_as = |k: usize| {
        lw(k) == "as"
            && (k.saturating_sub(4)..k).any(|i| {
                matches!(
                    lw(i),
                    "victims" | "dead" | "deceased" | "identified" | "named"
                )
            })
    };
    if at > 0 && named_as(at - 1) {
        return true;
    }
    if at > 1 && lw(at - 1) == "and" && (at.saturating_sub(8)..at - 1).any(named_as) {
        return true;
    }
    if at == 0
        || !matches!(
            lw(at - 1),
            "including" | "included" | "and" | "," | "(" | ":" | "them" | "whom"
        )
    {
        return false;
    }
    (at.saturating_sub(12)..at)
        .rev()
        .take_while(|&k| !matches!(lw(k), ")" | ";" | "." | "were" | "was"))
        .any(|k| {
            matches!(
                lw(k),
                "including" | "included" | "among" | "whom" | "(" | ":"
            )
        })
}

/// "A rebel commander was killed", "kills cleric": one person, with no number written. The
/// count starts at the article (or the noun phrase) and ends before the noun, so that the
/// noun is read as the count's people noun.
pub(crate) fn implicit_ones(sentence: &str, toks: &[Token<'_>]) -> Vec<CountMatch> {
    let lw = |k: usize| toks.get(k).map(|t| t.lw()).unwrap_or("");
    let mut found = Vec::new();
    let mut j = 0usize;
    // The second noun of a pair already counted ("a man and a woman").
    let mut skip_to = 0usize;
    while j < toks.len() {
        j += 1;
        let j = j - 1;
        if j < skip_to {
            continue;
        }
        if !super::ONE_PERSON.contains(&lw(j)) {
            continue;
        }
        // "a citizen woman", "a civilian man": one person, read at the last noun.
        if super::ONE_PERSON.contains(&lw(j + 1)) {
            continue;
        }
        // Back over the modifiers ("rebel", "20-year-old") to an article, if any.
        // Never back into the pair or noun of the one before ("a volunteer e volunteer").
        let mut start = j;
        while start > skip_to
            && j - start < 6
            && (!toks[start - 1].is_punct() || toks[start - 1].text == "-")
            && !matches!(lw(start - 1), "a" | "an" | "the" | "one" | "another")
            && !FUNCTION_WORDS.contains(&lw(start - 1))
            && super::outcome_word(lw(start - 1)).is_none()
        {
            start -= 1;
        }
        // "the jihadist Nusra Front": a body named after the noun, not a person.
        if lw(start.saturating_sub(1)) == "the"
            && toks.get(j + 1).is_some_and(|t| t.is_capitalized())
        {
            continue;
        }
        let article = start > 0 && matches!(lw(start - 1), "a" | "an" | "the" | "one" | "another");
        let first = if article { start - 1 } else { start };
        let listed = article && lw(first) != "the" && in_a_list(toks, first);
        if !one_with_outcome(toks, j, first, article, listed) {
            continue;
        }
        // "a man and a woman": a pair with no numeral is one figure of two.
        // Parts named one by one ("identified as a woman and a young man", "including a
        // woman and a child") stay one each.
        let pair = article
            && !listed
            && lw(j + 1) == "and"
            && matches!(lw(j + 2), "a" | "an")
            && super::ONE_PERSON.contains(&lw(j + 3))
            && !super::ONE_PERSON.contains(&lw(j + 4));
        let (n, noun) = if pair { (2, j + 3) } else { (1, j) };
        skip_to = noun + 1;
        found.push(CountMatch {
            count: Count {
                low: n,
                high: Some(n),
                text: span_text(sentence, toks, first, noun + 1),
                qualifier: Qualifier::Exact,
            },
            first,
            end: noun,
        });
    }
    found
}

/// True when the one person named by the noun at token `j` (its phrase from `first`, with
/// an article or not; `listed` in a list of people) is killed, wounded or abducted: a
/// passive after the noun ("was killed", "has been shot dead", "died"), an active verb
/// before the phrase ("kills cleric"), "the death of", "leaving a child dead".
fn one_with_outcome(
    toks: &[Token<'_>],
    j: usize,
    first: usize,
    article: bool,
    listed: bool,
) -> bool {
    let lw = |k: usize| toks.get(k).map(|t| t.lw()).unwrap_or("");
    // Passive after the noun ("was killed", "has been shot dead", "died"), or an active
    // verb before the phrase ("kills cleric").
    let after = (j + 1..(j + 5).min(toks.len()))
        .take_while(|&k| !toks[k].is_punct())
        .any(|k| {
            // One person arrested or missing is rarely a war claim: killed, wounded or
            // abducted only.
            matches!(
                super::outcome_word(lw(k)),
                Some(Outcome::Killed | Outcome::Wounded | Outcome::KilledOrWounded)
            ) || matches!(lw(k), "died" | "abducted" | "kidnapped")
        });
    let passive = after && matches!(lw(j + 1), "was" | "is" | "has" | "had" | "died" | "dies");
    // "A man and a woman were killed": the verb after the pair.
    let pair_passive = article
        && lw(j + 1) == "and"
        && matches!(lw(j + 2), "a" | "an")
        && super::ONE_PERSON.contains(&lw(j + 3))
        && matches!(lw(j + 4), "were" | "have" | "had" | "died")
        && (j + 4..(j + 7).min(toks.len())).any(|k| {
            matches!(
                super::outcome_word(lw(k)),
                Some(Outcome::Killed | Outcome::Wounded | Outcome::KilledOrWounded)
            ) || lw(k) == "died"
        });
    let passive = passive || pair_passive;
    // Headline passive: "Top Syria rebel killed as ...", "MSF surgeon killed in Syria"
    // (not "the soldier killed two", whose object follows).
    let object_follows = matches!(
        lw(j + 2),
        "a" | "an" | "the" | "his" | "her" | "their" | "its" | "two" | "three" | "several"
    ) || lw(j + 2).starts_with(|c: char| c.is_ascii_digit());
    let bare_passive = matches!(lw(j + 1), "killed" | "wounded" | "injured") && !object_follows;
    // "freezes to death", "shot dead".
    let dies_of = (lw(j + 2) == "to" && lw(j + 3) == "death") || lw(j + 2) == "dead";
    // "shot dead a shepherd".
    let shot_dead = first >= 2 && lw(first - 1) == "dead" && lw(first - 2) == "shot";
    let active = (first > 0 && super::ACTIVE_VERBS.contains(&lw(first - 1))) || shot_dead;
    // "the death of another aid worker", "the killing of a journalist".
    let death_of = first > 1
        && lw(first - 1) == "of"
        && matches!(
            lw(first - 2),
            "death" | "killing" | "murder" | "assassination" | "lives"
        );
    // "leaving a child dead".
    let left_dead = lw(j + 1) == "dead" && article;
    // "..., and then another person in Maala": one more of the figure before.
    let another_in = lw(first) == "another"
        && first > 0
        && matches!(lw(first - 1), "and" | "then" | ",")
        && matches!(lw(j + 1), "in" | "at" | "near");
    let (passive, active) = (
        passive || bare_passive || dies_of || left_dead,
        active || death_of || listed || another_in,
    );
    passive || active
}

fn is_month(w: &str) -> bool {
    crate::util::calendar::MONTHS.contains(&w)
        || matches!(
            w,
            "jan"
                | "feb"
                | "mar"
                | "apr"
                | "jun"
                | "jul"
                | "aug"
                | "sep"
                | "sept"
                | "oct"
                | "nov"
                | "dec"
        )
}

/// Words a noun phrase's modifiers never are: the walk back to an article stops at them.
const FUNCTION_WORDS: &[&str] = &[
    "when", "as", "while", "after", "before", "and", "or", "in", "on", "of", "at", "by", "with",
    "for", "to", "from", "that", "who", "which", "where", "but", "into", "near",
];

fn span_text(sentence: &str, toks: &[Token<'_>], first: usize, end: usize) -> String {
    let a = toks[first].start;
    let b = toks[end - 1].end();
    sentence[a..b].to_string()
}

#[cfg(test)]
mod tests {
    use super::super::text::tokens;
    use super::*;

    fn one(s: &str) -> Option<(u64, Option<u64>, Qualifier, String)> {
        let t = tokens(s);
        counts(s, &t)
            .into_iter()
            .next()
            .map(|m| (m.count.low, m.count.high, m.count.qualifier, m.count.text))
    }

    #[test]
    fn counts_never_overlap_and_at_least_goes_with_the_number_after_it() {
        for (s, want) in [
            ("Eight at least 21 killed", vec!["Eight", "at least 21"]),
            ("eight at least were killed", vec!["eight at least"]),
            ("a man a man a man", vec![]),
            ("5000000000 people were killed", vec![]),
            ("10,000,000 people were killed", vec!["10,000,000"]),
        ] {
            let t = tokens(s);
            let found = counts(s, &t);
            for w in found.windows(2) {
                assert!(w[0].end <= w[1].first, "{s}: overlap");
            }
            let texts: Vec<String> = found.into_iter().map(|c| c.count.text).collect();
            assert_eq!(texts, want, "{s}");
        }
    }

    #[test]
    #[allow(clippy::type_complexity)]
    fn counts_table() {
        use Qualifier::*;
        let cases: &[(&str, Option<(u64, Option<u64>, Qualifier, &str)>)] = &[
            ("eight were killed", Some((8, Some(8), Exact, "eight"))),
            ("35 soldiers", Some((35, Some(35), Exact, "35"))),
            ("1,556 fighters", Some((1556, Some(1556), Exact, "1,556"))),
            (
                "119,000 troops",
                Some((119000, Some(119000), Exact, "119,000")),
            ),
            (
                "at least 75 troops",
                Some((75, None, AtLeast, "at least 75")),
            ),
            (
                "more than 60 dead",
                Some((61, None, MoreThan, "more than 60")),
            ),
            (
                "higher than 60",
                Some((61, None, MoreThan, "higher than 60")),
            ),
            ("over 70 fatalities", Some((71, None, MoreThan, "over 70"))),
            (
                "about 100 people",
                Some((90, Some(110), About, "about 100")),
            ),
            (
                "nearly 100 people",
                Some((90, Some(99), About, "nearly 100")),
            ),
            ("up to 20 people", Some((1, Some(20), AtMost, "up to 20"))),
            (
                "between 10 and 15 people",
                Some((10, Some(15), Range, "between 10 and 15")),
            ),
            ("10 to 15 people", Some((10, Some(15), Range, "10 to 15"))),
            (
                "two or three people",
                Some((2, Some(3), Range, "two or three")),
            ),
            (
                "Two, maybe four people",
                Some((2, Some(4), Range, "Two, maybe four")),
            ),
            (
                "thirty-five men",
                Some((35, Some(35), Exact, "thirty-five")),
            ),
            (
                "two hundred men",
                Some((200, Some(200), Exact, "two hundred")),
            ),
            ("a dozen men", Some((12, Some(12), Exact, "a dozen"))),
            ("dozens of fighters", Some((24, Some(99), Vague, "dozens"))),
            ("scores of fighters", Some((40, Some(199), Vague, "scores"))),
            (
                "tens of thousands",
                Some((20000, Some(99999), Vague, "tens of thousands")),
            ),
            ("in 2011 it began", None),
            ("a large number of bodies", None),
            ("3.5 km away", None),
        ];
        for (s, want) in cases {
            let got = one(s);
            let want = want.map(|(l, h, q, t)| (l, h, q, t.to_string()));
            assert_eq!(got, want, "{s}");
        }
    }

    #[test]
    fn several_counts_in_one_sentence() {
        let s = "the deaths of 35 government forces, 32 Assad loyalists, and four civilians";
        let t = tokens(s);
        let lows: Vec<u64> = counts(s, &t).iter().map(|m| m.count.low).collect();
        assert_eq!(lows, [35, 32, 4]);
    }
}

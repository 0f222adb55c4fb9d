//! Victims from context: the side of a claim whose own words name none ("63 others", "two of
//! them", "18 people" under a total of civilians, "at least 16 people" after a headline's 16
//! truffle hunters), and the side a claim's date gives loyalists of the old regime.
//!
//! The order a claim looks in (the README's "Victims" table gives the words):
//! 1. its own words (`victims_of` in the sentence rules);
//! 2. its sentence: the total it breaks down, the claim "others", "another" or a bare count
//!    follows ("one demonstrator was killed and five wounded"), civilians the sentence names
//!    as the target ("fire on protesters, killing six people");
//! 3. the sentence after it in its paragraph, when that one names the target and gives no
//!    figures of its own ("... the service was attended by worshippers");
//! 4. the document: the claimant's own side ("four of our fighters", the SDF said), a total
//!    whose parts are all civilians and add up to it, and a figure that restates another
//!    claim's (same outcome, the same or a close figure, no other place).
//!
//! Each inherited side is recorded in the claim's `inherited` list with where it came from.

use crate::model::{Claim, Inherited, PlaceRole, Scope, Victims};

/// The day the transitional government took the state (the fall of Damascus): from the next
/// day on, the state's forces are the new government's and Assad's loyalists are armed
/// opposition to it.
const TRANSITION: (i16, i8, i8) = (2024, 12, 8);

/// Sides relative to the Syrian state on the claim's date: after 8 December 2024 "Assad
/// loyalists", "remnants of the former regime" and "pro-Assad gunmen" are `opposition`.
pub(super) fn state_side(
    victims: Victims,
    victims_text: Option<&str>,
    day: Option<jiff::civil::Date>,
) -> Victims {
    let (y, m, d) = TRANSITION;
    let after = day.is_some_and(|day| day > jiff::civil::date(y, m, d));
    if !after || victims != Victims::ProGovernment {
        return victims;
    }
    let t = victims_text.unwrap_or_default().to_lowercase();
    let old_regime = [
        "loyalist",
        "remnant",
        "former regime",
        "assad",
        "ousted",
        "shabiha",
    ]
    .iter()
    .any(|w| t.contains(w));
    if old_regime {
        Victims::Opposition
    } else {
        victims
    }
}

/// Nouns for civilians who were the target a sentence names: "fire on protesters, killing six
/// people", "a bomb among worshippers killed 20 people".
const CIVILIAN_TARGETS: &[&str] = &[
    "protesters",
    "demonstrators",
    "worshippers",
    "worshipers",
    "mourners",
    "civilians",
    "villagers",
    "passengers",
    "shoppers",
    "congregation",
    "churchgoers",
    "hunters",
];

/// True for victims words that say nothing of a side: "people", "persons", none at all.
pub(super) fn generic(victims_text: Option<&str>) -> bool {
    victims_text.is_none_or(|t| {
        let t = t.to_lowercase();
        let first = t.split_whitespace().next().unwrap_or("");
        matches!(
            first,
            "people"
                | "persons"
                | "person"
                | "dead"
                | "killed"
                | "wounded"
                | "injured"
                | "were"
                | "was"
                | "more"
                | "victims"
                | "bodies"
                | "had"
                | "have"
                | "fatalities"
                | "deaths"
                | "casualties"
                | "number"
                | "toll"
        ) || t.is_empty()
    })
}

/// True for a count with no people noun at all ("and five wounded", "more than 30 were
/// wounded"): the people of the figure before it, said once for both.
fn bare(c: &Claim) -> bool {
    c.victims_text.as_deref().is_none_or(|t| {
        let t = t.to_lowercase();
        let first = t.split_whitespace().next().unwrap_or("");
        t.is_empty()
            || matches!(
                first,
                "killed" | "wounded" | "injured" | "dead" | "were" | "was" | "had" | "have"
            )
    })
}

/// True for "others", "another eight", "dozens more": people besides those counted before.
fn others(c: &Claim) -> bool {
    let other = |t: &str| {
        let t = t.to_lowercase();
        t.starts_with("other") || t.starts_with("another")
    };
    let more = |t: &str| t.to_lowercase().starts_with("more");
    c.victims_text
        .as_deref()
        .is_some_and(|t| other(t) || more(t))
        || other(&c.count.text)
}

fn inherit(c: &mut Claim, victims: Victims, from: &str, span: [usize; 2]) {
    c.victims = victims;
    c.inherited.push(Inherited {
        field: "victims".into(),
        from: from.into(),
        span: Some(span),
    });
}

/// Victims from a claim's own sentence, for the claims from `first` on (one sentence's):
/// parts take their total's side, civilians named as the target make generic figures
/// civilians, and "others" or a bare count take the side of the figure before them.
pub(super) fn from_sentence(out: &mut [Claim], first: usize, lw: &[&str]) {
    take_totals(out, first);
    civilian_targets(out, first, lw, "sentence");
    target_side(out, first, lw, "sentence");
    take_antecedents(out, first);
}

/// Nouns for fighters of no side: the side is the one their sentence says was attacked.
fn fighters(c: &Claim) -> bool {
    c.victims_text.as_deref().is_some_and(|t| {
        let t = t.to_lowercase();
        let mut words = t
            .split_whitespace()
            .skip_while(|w| matches!(*w, "its" | "their"));
        matches!(
            words.next(),
            Some(
                "fighters"
                    | "fighter"
                    | "combatants"
                    | "combatant"
                    | "members"
                    | "member"
                    | "guards"
                    | "guard"
                    | "personnel"
                    | "commander"
                    | "commanders"
                    | "elements"
            )
        ) && super::victims_of(&t.split_whitespace().collect::<Vec<_>>()) == Victims::Unknown
    })
}

/// True when some claim is fighters of no side: only then is a target side looked for.
pub(super) fn wants_target_side(claims: &[Claim]) -> bool {
    claims
        .iter()
        .any(|c| c.victims == Victims::Unknown && fighters(c))
}

/// Fighters of no side (from `first` on) whose sentence (`from` "sentence"), or the sentence
/// before them in their paragraph (`from` "previous_sentence"), names the side attacked:
/// "13 attacks against Kurdish forces ..., killing 11 fighters", "opened fire on members of
/// a checkpoint of the SDF" then "the attack left two members of the checkpoint dead". An
/// armed side after "against", "on", "targeting" or "targeted", within the clause.
pub(super) fn target_side(out: &mut [Claim], first: usize, lw: &[&str], from: &str) {
    if !wants_target_side(&out[first..]) {
        return;
    }
    let mut side = None;
    for (i, w) in lw.iter().enumerate() {
        if !matches!(*w, "against" | "on" | "targeting" | "targeted") {
            continue;
        }
        let end = (i + 1..(i + 11).min(lw.len()))
            .find(|&k| matches!(lw[k], "," | "." | ";" | "while" | "killing" | "leaving"))
            .unwrap_or((i + 11).min(lw.len()));
        let v = super::victims_of(&lw[i + 1..end]);
        if v != Victims::Unknown && v != Victims::Civilians {
            side = Some(v);
            break;
        }
    }
    let Some(v) = side else {
        return;
    };
    for c in &mut out[first..] {
        if c.victims == Victims::Unknown && fighters(c) {
            let span = c.span;
            inherit(c, v, from, span);
        }
    }
}

/// Parts whose own words name no side take their total's ("10 pro-Iranian fighters,
/// including three Syrians"; "18 people" in a list under 65 civilians). Returns whether any
/// changed.
fn take_totals(out: &mut [Claim], first: usize) -> bool {
    let mut changed = false;
    for i in first..out.len() {
        if out[i].victims != Victims::Unknown {
            continue;
        }
        let total = out[i]
            .part_of
            .as_ref()
            .and_then(|id| out[..i].iter().rposition(|c| &c.id == id));
        if let Some(t) = total.filter(|&t| out[t].victims != Victims::Unknown) {
            let (v, span) = (out[t].victims, out[t].span);
            inherit(&mut out[i], v, "total", span);
            changed = true;
        }
    }
    changed
}

/// "Others", "another eight", "dozens more" and bare counts take the side of the figure they
/// follow: the nearest whole figure before them in their sentence ("At least 16 people,
/// including nine women, were killed, and six others were wounded": the 16), else, for
/// "others", the claim just before. Returns whether any changed.
fn take_antecedents(out: &mut [Claim], first: usize) -> bool {
    let mut changed = false;
    for i in first.max(1)..out.len() {
        if out[i].victims != Victims::Unknown || out[i].part_of.is_some() {
            continue;
        }
        let (is_others, is_bare) = (others(&out[i]), bare(&out[i]));
        if !is_others && !is_bare {
            continue;
        }
        let span = out[i].span;
        let in_sentence = (0..i)
            .rev()
            .take_while(|&j| out[j].span == span)
            .find(|&j| out[j].part_of.is_none());
        let antecedent = match in_sentence {
            Some(j) => Some((j, "sentence")),
            None if is_others && out[i - 1].span != span => Some((i - 1, "paragraph")),
            None => None,
        };
        let Some((j, from)) = antecedent else {
            continue;
        };
        if out[j].victims != Victims::Unknown {
            let (v, sp) = (out[j].victims, out[j].span);
            inherit(&mut out[i], v, from, sp);
            changed = true;
        }
    }
    changed
}

/// Generic figures (from `first` on) whose sentence, or the sentence after them (`from`
/// says which), names civilians as the target: "fire on protesters, killing six people". A
/// target word that is a claim's own noun ("800 people, including 100 civilians") is none.
pub(super) fn civilian_targets(out: &mut [Claim], first: usize, lw: &[&str], from: &str) {
    // Most sentences name no target, and most claims have a side: look no further.
    if !lw.iter().any(|w| CIVILIAN_TARGETS.contains(w))
        || !out[first..]
            .iter()
            .any(|c| c.victims == Victims::Unknown && generic(c.victims_text.as_deref()))
    {
        return;
    }
    let claim_words: Vec<String> = out[first..]
        .iter()
        .filter(|c| c.span == out[first].span || from != "sentence")
        .flat_map(|c| {
            let mut w: Vec<String> = c
                .count
                .text
                .to_lowercase()
                .split_whitespace()
                .map(str::to_string)
                .collect();
            if let Some(t) = c.victims_text.as_deref() {
                w.extend(t.to_lowercase().split_whitespace().map(str::to_string));
            }
            w
        })
        .collect();
    let own = |i: usize| {
        from == "sentence"
            && (claim_words.iter().any(|w| w == lw[i])
                || (i.saturating_sub(3)..i).any(|k| {
                    lw[k].chars().any(|ch| ch.is_ascii_digit())
                        && claim_words.iter().any(|w| w == lw[k])
                }))
    };
    // "both civilians and members of the security forces": a mixed toll, no target.
    let mixed = |i: usize| {
        let window = &lw[i.saturating_sub(5)..(i + 6).min(lw.len())];
        window.contains(&"and")
            && window.iter().any(|w| {
                super::VICTIM_WORDS
                    .iter()
                    .any(|(v, side)| v == w && *side != Victims::Civilians)
            })
    };
    if !(0..lw.len()).any(|i| CIVILIAN_TARGETS.contains(&lw[i]) && !own(i) && !mixed(i)) {
        return;
    }
    for c in &mut out[first..] {
        if c.victims == Victims::Unknown && generic(c.victims_text.as_deref()) {
            let span = c.span;
            inherit(c, Victims::Civilians, from, span);
        }
    }
}

/// Victims from the whole document, once every claim is read: the claimant's own side, a
/// total made of civilians, restated figures, then the parts and "others" of what these
/// changed.
pub(super) fn from_document(out: &mut [Claim]) {
    from_parts(out);
    own_side(out);
    restated(out);
    for _ in 0..3 {
        let a = take_totals(out, 0);
        let b = take_antecedents(out, 0);
        if !a && !b {
            break;
        }
    }
}

/// A total whose parts are all civilians and add up to it is a total of civilians.
fn from_parts(out: &mut [Claim]) {
    // Each total's parts, in document order (found once: a long document has thousands).
    let mut parts_of: std::collections::HashMap<String, Vec<usize>> =
        std::collections::HashMap::new();
    for (i, c) in out.iter().enumerate() {
        if let Some(t) = &c.part_of {
            parts_of.entry(t.clone()).or_default().push(i);
        }
    }
    for t in 0..out.len() {
        if out[t].victims != Victims::Unknown {
            continue;
        }
        let parts: Vec<&Claim> = parts_of
            .get(&out[t].id)
            .map(|ix| ix.iter().map(|&i| &out[i]).collect())
            .unwrap_or_default();
        let sum: u64 = parts.iter().map(|c| c.count.low).sum();
        let all_civilians =
            !parts.is_empty() && parts.iter().all(|c| c.victims == Victims::Civilians);
        if all_civilians && sum >= out[t].count.low && out[t].count.high.is_none_or(|h| sum <= h) {
            let span = parts[0].span;
            inherit(&mut out[t], Victims::Civilians, "parts", span);
        }
    }
}

/// "Four of our fighters", "two of its members": the side of the claimant that speaks.
fn own_side(out: &mut [Claim]) {
    for c in out.iter_mut() {
        if c.victims != Victims::Unknown {
            continue;
        }
        let text = c.victims_text.as_deref().unwrap_or_default().to_lowercase();
        if !text.split_whitespace().any(|w| matches!(w, "our" | "its")) {
            continue;
        }
        let Some(claimant) = c.claimant.as_deref() else {
            continue;
        };
        let words: Vec<String> = claimant
            .to_lowercase()
            .split_whitespace()
            .map(str::to_string)
            .collect();
        let words: Vec<&str> = words.iter().map(String::as_str).collect();
        let v = super::victims_of(&words);
        if v != Victims::Unknown && v != Victims::Civilians {
            let span = c.span;
            inherit(c, v, "claimant", span);
        }
    }
}

/// A generic figure that restates another of the document takes its side: the same outcome
/// and the same figure ("16 truffle hunters" in the headline, "at least 16 people" in the
/// lead), or a close one for an open figure of one event (at least 19 and at least 22 killed
/// in one attack), with no own place elsewhere. Running totals restate nothing, and a part
/// is never a restatement.
fn restated(out: &mut [Claim]) {
    let own_place = |c: &Claim| {
        (!c.inherited.iter().any(|x| x.field == "place"))
            .then(|| {
                c.places
                    .iter()
                    .find(|p| p.role == PlaceRole::Event && super::context::is_local(p))
                    .and_then(|p| Some((p.lat?, p.lon?)))
            })
            .flatten()
    };
    let same_figure = |a: &Claim, b: &Claim| {
        let (al, bl) = (a.count.low, b.count.low);
        if al == bl
            && (a.count.high == b.count.high || a.count.high.is_none() || b.count.high.is_none())
        {
            return true;
        }
        // Close open figures: both "at least", within a quarter of each other.
        let open = a.count.high.is_none() && b.count.high.is_none();
        let (lo, hi) = (al.min(bl), al.max(bl));
        open && lo >= 5 && hi * 4 <= lo * 5
    };
    for i in 0..out.len() {
        let c = &out[i];
        if c.victims != Victims::Unknown
            || !generic(c.victims_text.as_deref())
            || c.part_of.is_some()
            || c.scope == Scope::Cumulative
        {
            continue;
        }
        let here = own_place(c);
        let far = |t: &Claim| match (here, own_place(t)) {
            (Some(a), Some(b)) => crate::util::geodesy::distance_km(a.0, a.1, b.0, b.1) > 50.0,
            _ => false,
        };
        // The nearest such figure, earlier ones first.
        let found = (0..i).rev().chain(i + 1..out.len()).find(|&j| {
            let t = &out[j];
            t.span != c.span
                && t.outcome == c.outcome
                && t.part_of.is_none()
                && t.scope != Scope::Cumulative
                && t.victims != Victims::Unknown
                && !t
                    .inherited
                    .iter()
                    .any(|x| x.field == "victims" && x.from == "restated")
                && same_figure(t, c)
                && !far(t)
        });
        if let Some(j) = found {
            let (v, span) = (out[j].victims, out[j].span);
            inherit(&mut out[i], v, "restated", span);
        }
    }
}

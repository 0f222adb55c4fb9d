//! Document context: what a claim takes from around it when its own sentence does not say
//! it — the victims of the total it breaks down or of the claim before it, the outlet that
//! speaks for itself, and which places count as where a claim happened.
//!
//! The order a claim looks in is documented in the README ("How claims read their
//! context"): its clause and sentence, the earlier sentences of its paragraph, the lead (the
//! document's first claim with a place or claimant), the headline, and for the claimant the
//! outlet when the outlet is itself a monitor or a news agency that reports its own figures.

use crate::model::{Claim, Document, Inherited, Place, PlaceKind, Victims};

/// A resolved place in Syria finer than the country: one a claim can be mapped at.
pub(super) fn is_local(p: &Place) -> bool {
    p.is_resolved() && super::in_syria(p) && p.kind != Some(PlaceKind::Country)
}

/// Outlets that publish their own documentation, and the name their figures go by.
const SELF_REPORTING: &[(&str, &str)] = &[
    ("syrian observatory for human rights", "SOHR"),
    ("sohr", "SOHR"),
    ("syrian arab news agency", "SANA"),
    ("sana", "SANA"),
    ("syrian network for human rights", "SNHR"),
    ("snhr", "SNHR"),
    ("violations documentation center", "VDC"),
    ("hawar news", "Hawar News"),
    ("anha", "Hawar News"),
    ("sdf media centre", "SDF Media Centre"),
    ("sdf media center", "SDF Media Centre"),
    ("white helmets", "Syria Civil Defence"),
    ("syria civil defence", "Syria Civil Defence"),
    ("syria civil defense", "Syria Civil Defence"),
];

fn self_reporting(name: &str) -> Option<&'static str> {
    let n = name
        .trim()
        .trim_start_matches("The ")
        .trim_start_matches("the ");
    let n = n.to_lowercase();
    SELF_REPORTING
        .iter()
        .find(|(k, _)| n == *k)
        .map(|(_, short)| *short)
}

/// The claimant of figures an outlet gives in its own voice, when the outlet is a monitor or
/// agency that documents casualties itself: from the document's `outlet`, or from a banner
/// line naming it at the top of the text.
pub(super) fn outlet_claimant(doc: &Document) -> Option<String> {
    if let Some(short) = doc.outlet.as_deref().and_then(self_reporting) {
        return Some(short.to_string());
    }
    let first = doc.text.lines().find(|l| !l.trim().is_empty())?;
    self_reporting(first).map(str::to_string)
}

/// Victims from context for the claims from `first` on (one sentence's): a part of a total
/// of civilians is a civilian; "others" are who the claim before them were.
pub(super) fn inherit_victims(out: &mut [Claim], first: usize) {
    for i in first..out.len() {
        if out[i].victims != Victims::Unknown {
            continue;
        }
        let total = out[i]
            .part_of
            .as_ref()
            .and_then(|id| out[..i].iter().rposition(|c| &c.id == id));
        if let Some(t) = total.filter(|&t| out[t].victims == Victims::Civilians) {
            let span = out[t].span;
            out[i].victims = Victims::Civilians;
            out[i].inherited.push(Inherited {
                field: "victims".into(),
                from: "total".into(),
                span: Some(span),
            });
            continue;
        }
        let others = out[i].victims_text.as_deref().is_some_and(|t| {
            let t = t.to_lowercase();
            t.starts_with("other") || t.starts_with("another")
        });
        if others && i > 0 && out[i - 1].victims != Victims::Unknown {
            let (v, span) = (out[i - 1].victims, out[i - 1].span);
            let from = if span == out[i].span {
                "sentence"
            } else {
                "paragraph"
            };
            out[i].victims = v;
            out[i].inherited.push(Inherited {
                field: "victims".into(),
                from: from.into(),
                span: Some(span),
            });
        }
    }
}

/// Breakdowns across sentences, in two forms a coder links:
/// - the items of a list under a total that ends in a colon ("... left 40 fatalities:" then
///   "• 27 members of ...", "• Six civilians ..."), until a sentence that is no list item
///   gives figures of its own;
/// - the components of the story's total: a later figure smaller than a total of the
///   headline or lead with the same outcome ("Eight citizens were killed ..." then "the
///   shell killed a civilian").
///
/// A part takes its total's scope, and a part of a total of civilians is a civilian. Parts of
/// a bounded total are linked only while their sum fits in it.
pub(super) fn link_parts_across_sentences(
    out: &mut [Claim],
    sentences: &[super::text::Sentence<'_>],
) {
    use crate::model::Outcome;
    let sentence_of = |c: &Claim| sentences.binary_search_by_key(&c.span[0], |s| s.start).ok();
    let is_list_item = |k: usize| {
        let t = sentences[k].text.trim_start();
        t.starts_with(['•', '-', '*', '·', '–']) || t.starts_with(|c: char| c.is_ascii_digit())
    };
    let fits = |t: &Claim, c: &Claim| {
        let outcome_ok = t.outcome == c.outcome
            || (t.outcome == Outcome::KilledOrWounded
                && matches!(c.outcome, Outcome::Killed | Outcome::Wounded));
        let smaller = c.count.high.is_some_and(|h| h < t.count.low.max(1))
            || (t.count.high.is_none() && c.count.high.is_some_and(|h| h <= t.count.low));
        // Civilians are no part of a toll of fighters, nor fighters of a toll of civilians.
        let civ = |v: Victims| v == Victims::Civilians;
        let known = |v: Victims| v != Victims::Unknown;
        let victims_ok =
            !(known(t.victims) && known(c.victims) && civ(t.victims) != civ(c.victims));
        outcome_ok && smaller && victims_ok
    };
    // The story's totals: the headline's figures (the short lines before the first full
    // sentence) and the first full sentence that gives figures.
    let first_full = sentences
        .iter()
        .position(|s| s.text.trim_end().ends_with(['.', ':', '!', '?']))
        .unwrap_or(0);
    let mut lead_sentences: Vec<usize> = Vec::new();
    for c in out.iter() {
        if let Some(k) = sentence_of(c) {
            let headline = k < first_full;
            let body_lead = !lead_sentences.iter().any(|&j| j >= first_full);
            if !lead_sentences.contains(&k) && (headline || body_lead) {
                lead_sentences.push(k);
            }
        }
    }
    let mut list_total: Option<usize> = None;
    let mut used: Vec<u64> = vec![0; out.len()];
    let mut last_sentence = None;
    for i in 0..out.len() {
        let Some(k) = sentence_of(&out[i]) else {
            continue;
        };
        let new_sentence = last_sentence != Some(k);
        last_sentence = Some(k);
        if new_sentence && list_total.is_some() && !is_list_item(k) {
            list_total = None;
        }
        // An item of a list whose part_of points at a sibling item (the sum of a bullet's
        // figures fitting an earlier bullet) belongs to the list's total.
        if let (Some(t), Some(p)) = (list_total, out[i].part_of.clone()) {
            let sibling = out[..i].iter().find(|c| c.id == p).is_some_and(|c| {
                c.part_of.as_deref() == Some(out[t].id.as_str()) && c.span != out[i].span
            });
            if sibling {
                out[i].part_of = None;
            }
        }
        if out[i].part_of.is_none() && !lead_sentences.contains(&k) {
            let candidate = list_total.filter(|&t| fits(&out[t], &out[i])).or_else(|| {
                // The latest lead total that fits.
                (0..i)
                    .rev()
                    .filter(|&t| {
                        // A vague total ("dozens") is too loose to hold components.
                        out[t].part_of.is_none()
                            && out[t].count.qualifier != crate::model::Qualifier::Vague
                            && sentence_of(&out[t]).is_some_and(|s| lead_sentences.contains(&s))
                    })
                    .find(|&t| {
                        fits(&out[t], &out[i])
                            && out[t]
                                .count
                                .high
                                .is_none_or(|h| used[t] + out[i].count.low <= h)
                    })
            });
            if let Some(t) = candidate {
                used[t] += out[i].count.low;
                let (id, scope, span) = (out[t].id.clone(), out[t].scope, out[t].span);
                let civilians = out[t].victims == Victims::Civilians;
                let c = &mut out[i];
                c.part_of = Some(id);
                c.scope = scope;
                if civilians && c.victims == Victims::Unknown {
                    c.victims = Victims::Civilians;
                    c.inherited.push(Inherited {
                        field: "victims".into(),
                        from: "total".into(),
                        span: Some(span),
                    });
                }
            }
        }
        // A total that ends its sentence with a colon opens a list.
        if sentences[k].text.trim_end().ends_with(':') && out[i].part_of.is_none() {
            list_total = Some(i);
        }
    }
}

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
fn generic(victims_text: Option<&str>) -> bool {
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
        ) || t.is_empty()
    })
}

/// Victims a sentence's own words give its generic claims (from `first` on): "people" killed
/// where the sentence names protesters or worshippers as the target are civilians.
pub(super) fn victims_from_sentence(out: &mut [Claim], first: usize, lw: &[&str]) {
    // The target must be no count's own people ("800 people, including 100 civilians").
    let counted = |w: &str| {
        out[first..].iter().any(|c| {
            c.victims_text
                .as_deref()
                .is_some_and(|t| t.to_lowercase().split_whitespace().any(|x| x == w))
        })
    };
    if !lw
        .iter()
        .any(|w| CIVILIAN_TARGETS.contains(w) && !counted(w))
    {
        return;
    }
    for c in &mut out[first..] {
        if c.victims == Victims::Unknown && generic(c.victims_text.as_deref()) {
            c.victims = Victims::Civilians;
            c.inherited.push(Inherited {
                field: "victims".into(),
                from: "sentence".into(),
                span: Some(c.span),
            });
        }
    }
}

/// A total whose parts are all civilians and add up to it is a total of civilians ("two
/// people ... identified as a woman and a young man" aside, which names no count).
pub(super) fn victims_from_parts(out: &mut [Claim]) {
    for t in 0..out.len() {
        if out[t].victims != Victims::Unknown {
            continue;
        }
        let id = out[t].id.clone();
        let parts: Vec<&Claim> = out
            .iter()
            .filter(|c| c.part_of.as_deref() == Some(id.as_str()))
            .collect();
        let sum: u64 = parts.iter().map(|c| c.count.low).sum();
        let all_civilians =
            !parts.is_empty() && parts.iter().all(|c| c.victims == Victims::Civilians);
        if all_civilians && sum >= out[t].count.low && out[t].count.high.is_none_or(|h| sum <= h) {
            let span = parts[0].span;
            out[t].victims = Victims::Civilians;
            out[t].inherited.push(Inherited {
                field: "victims".into(),
                from: "parts".into(),
                span: Some(span),
            });
        }
    }
}

/// Victims from the rest of the document: "four of our fighters" are the claimant's side
/// ("the SDF said"); a generic figure that restates an earlier one (same range, same outcome:
/// "six protesters were killed ... the six people") is who that one counted.
pub(super) fn victims_from_document(out: &mut [Claim]) {
    for i in 0..out.len() {
        if out[i].victims != Victims::Unknown {
            continue;
        }
        let text = out[i]
            .victims_text
            .as_deref()
            .unwrap_or_default()
            .to_lowercase();
        let own_side = text.split_whitespace().any(|w| matches!(w, "our" | "its"));
        if own_side {
            if let Some(claimant) = out[i].claimant.as_deref() {
                let words: Vec<String> = claimant
                    .to_lowercase()
                    .split_whitespace()
                    .map(str::to_string)
                    .collect();
                let words: Vec<&str> = words.iter().map(String::as_str).collect();
                let v = super::victims_of(&words);
                if v != Victims::Unknown && v != Victims::Civilians {
                    out[i].victims = v;
                    out[i].inherited.push(Inherited {
                        field: "victims".into(),
                        from: "claimant".into(),
                        span: Some(out[i].span),
                    });
                    continue;
                }
            }
        }
        if !generic(out[i].victims_text.as_deref()) {
            continue;
        }
        // A restatement is a whole figure said again in another sentence, never a part.
        if out[i].part_of.is_some() {
            continue;
        }
        let (low, high, outcome, span) = (
            out[i].count.low,
            out[i].count.high,
            out[i].outcome,
            out[i].span,
        );
        let restated = out[..i].iter().rev().find(|t| {
            t.count.low == low
                && t.count.high == high
                && t.outcome == outcome
                && t.span != span
                && t.part_of.is_none()
                && t.victims != Victims::Unknown
        });
        if let Some(t) = restated {
            let (v, span) = (t.victims, t.span);
            out[i].victims = v;
            out[i].inherited.push(Inherited {
                field: "victims".into(),
                from: "restated".into(),
                span: Some(span),
            });
        }
    }
}

/// Several places joined in one claim ("in Kafr Batna and Saqba", "in Homs and Rif Dimashq"):
/// the smallest area that holds them all (their district, else their governorate, else the
/// country), at that area's precision, named by the words that list them. `None` when the
/// sentence joins no two distinct places, or when one place holds the other ("Azaz and
/// Aleppo province").
pub(super) fn joined_area(
    gaz: &crate::gazetteer::Gazetteer,
    ctx: &crate::gazetteer::Context,
    sentence: &str,
    toks: &[super::text::Token<'_>],
    mentions: &[super::places::Mention],
    places: &[Place],
) -> Option<Place> {
    use crate::model::PlaceRole;
    let usable = |p: &Place| {
        is_local(p)
            && p.kind.is_some_and(|k| {
                k.is_landmark()
                    || matches!(
                        k,
                        PlaceKind::City
                            | PlaceKind::Town
                            | PlaceKind::Village
                            | PlaceKind::Neighbourhood
                            | PlaceKind::Governorate
                            | PlaceKind::District
                            | PlaceKind::Subdistrict
                    )
            })
    };
    if mentions.len() != places.len() {
        return None;
    }
    // The first run of two or more mentions joined by "and" / "or" (with commas before).
    let mut group: Vec<usize> = Vec::new();
    for k in 1..mentions.len() {
        let gap: Vec<&str> = toks[mentions[k - 1].end..mentions[k].first]
            .iter()
            .map(|t| t.lw())
            .collect();
        // "the Hikmeh school and the Al-Mahbeh hill": an article may open the next name.
        let gap: Vec<&str> = match gap.split_last() {
            Some((&"the", rest)) if !rest.is_empty() => rest.to_vec(),
            _ => gap,
        };
        let joined = !gap.is_empty()
            && gap.len() <= 2
            && gap.iter().all(|w| matches!(*w, "and" | "or" | ","))
            && (gap.contains(&"and") || gap.contains(&"or") || {
                // "X, Y and Z": a comma counts when an "and" follows in the list.
                mentions.get(k + 1).is_some_and(|n| {
                    toks[mentions[k].end..n.first]
                        .iter()
                        .any(|t| t.lw() == "and")
                        && n.first - mentions[k].end <= 2
                })
            });
        if joined && usable(&places[k - 1]) && usable(&places[k]) {
            if group.last() != Some(&(k - 1)) {
                if group.len() >= 2 {
                    break;
                }
                group = vec![k - 1];
            }
            group.push(k);
        } else if group.len() >= 2 {
            break;
        }
    }
    if group.len() < 2
        || places[group[0]].role != PlaceRole::Event
            && places[group[0]].role != PlaceRole::Mentioned
    {
        return None;
    }
    let members: Vec<&Place> = group.iter().map(|&k| &places[k]).collect();
    let mut ids: Vec<&str> = members
        .iter()
        .filter_map(|p| p.gazetteer_id.as_deref())
        .collect();
    ids.sort_unstable();
    ids.dedup();
    if ids.len() < 2 {
        return None;
    }
    // One holding another: a governorate or district with a place inside it.
    let holds = |a: &Place, b: &Place| {
        (matches!(a.kind, Some(PlaceKind::Governorate))
            && a.admin1.is_some()
            && a.admin1 == b.admin1)
            || (matches!(a.kind, Some(PlaceKind::District))
                && a.admin2.is_some()
                && a.admin2 == b.admin2)
    };
    for a in &members {
        for b in &members {
            if !std::ptr::eq(*a, *b) && holds(a, b) {
                return None;
            }
        }
    }
    let same = |f: fn(&Place) -> Option<&String>| {
        let first = f(members[0])?;
        members
            .iter()
            .all(|p| f(p) == Some(first))
            .then(|| first.clone())
    };
    let district_kind = members
        .iter()
        .all(|p| !matches!(p.kind, Some(PlaceKind::Governorate)));
    let area = match (
        district_kind.then(|| same(|p| p.admin2.as_ref())).flatten(),
        same(|p| p.admin1.as_ref()),
    ) {
        (Some(d), _) => {
            let p = gaz.place_hinted(&d, PlaceRole::Event, ctx, Some(PlaceKind::District));
            (p.kind == Some(PlaceKind::District)).then_some(p)
        }
        (None, Some(g)) => {
            let p = gaz.place_hinted(&g, PlaceRole::Event, ctx, Some(PlaceKind::Governorate));
            (p.kind == Some(PlaceKind::Governorate)).then_some(p)
        }
        // Towns of two governorates joined in a sentence are more often a reading slip than
        // a country-wide claim: only governorates make one.
        (None, None)
            if !members
                .iter()
                .all(|p| matches!(p.kind, Some(PlaceKind::Governorate | PlaceKind::City))) =>
        {
            None
        }
        (None, None) => {
            let p = gaz.place_hinted("Syria", PlaceRole::Event, ctx, Some(PlaceKind::Country));
            (p.kind == Some(PlaceKind::Country)).then_some(p)
        }
    }?;
    let (a, b) = (mentions[group[0]].first, mentions[*group.last()?].end);
    let mut area = area;
    area.mention = sentence[toks[a].start..toks[b - 1].end()].to_string();
    area.role = PlaceRole::Event;
    Some(area)
}

/// A claim with no place of its own, or only one from the lead or headline, takes the own
/// place of another claim of the document that tells the same figure (same outcome, ranges
/// that overlap, no other side): "strikes killed at least 10 fighters, a monitor said" and,
/// later, "10 fighters were killed ... in Albu Kamal".
pub(super) fn places_from_restatements(out: &mut [Claim]) {
    use crate::model::PlaceRole;
    let own_local = |c: &Claim| {
        let inherited_place = c.inherited.iter().any(|i| i.field == "place");
        (!inherited_place)
            .then(|| {
                c.places
                    .iter()
                    .find(|p| p.role == PlaceRole::Event && is_local(p))
            })
            .flatten()
            .cloned()
    };
    let weak = |c: &Claim| {
        c.inherited
            .iter()
            .any(|i| i.field == "place" && matches!(i.from.as_str(), "lead" | "headline"))
            || !c
                .places
                .iter()
                .any(|p| p.role == PlaceRole::Event && is_local(p))
    };
    let overlaps = |a: &Claim, b: &Claim| {
        let (al, ah) = (a.count.low, a.count.high.unwrap_or(u64::MAX));
        let (bl, bh) = (b.count.low, b.count.high.unwrap_or(u64::MAX));
        al <= bh && bl <= ah
    };
    for i in 0..out.len() {
        if !weak(&out[i]) || out[i].part_of.is_some() || out[i].scope != crate::model::Scope::Event
        {
            continue;
        }
        let found = out.iter().enumerate().find_map(|(j, t)| {
            let same_side = t.victims == out[i].victims
                || t.victims == Victims::Unknown
                || out[i].victims == Victims::Unknown;
            (j != i
                && t.span != out[i].span
                && t.outcome == out[i].outcome
                && t.part_of.is_none()
                && same_side
                && overlaps(t, &out[i]))
            .then(|| own_local(t).map(|p| (p, t.span)))
            .flatten()
        });
        if let Some((place, span)) = found {
            let c = &mut out[i];
            for q in c.places.iter_mut() {
                if q.role == PlaceRole::Event {
                    q.role = PlaceRole::Mentioned;
                }
            }
            c.inherited.retain(|x| x.field != "place");
            c.places.push(place);
            c.inherited.push(Inherited {
                field: "place".into(),
                from: "restated".into(),
                span: Some(span),
            });
        }
    }
}

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

/// Breakdowns across sentences, in two forms a coder links:
/// - the items of a list under a total that ends in a colon ("... left 40 fatalities:" then
///   "• 27 members of ...", "• Six civilians ..."), or that the list follows, until a
///   sentence that is no list item gives figures of its own;
/// - the components of the story's total: a later figure smaller than a total of the
///   headline or lead with the same outcome ("Eight citizens were killed ..." then "the
///   shell killed a civilian").
///
/// A part takes its total's scope, and its side when its own words name none. Parts of a
/// bounded total are linked only while their sum fits in it; a figure another source gives
/// in its own name is no part.
pub(super) fn link_parts_across_sentences(
    out: &mut [Claim],
    sentences: &[super::text::Sentence<'_>],
) {
    let sentence_of = |c: &Claim| sentences.binary_search_by_key(&c.span[0], |s| s.start).ok();
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
    // The claims of the lead sentences, in order: the only totals a later figure can join
    // outside a list (found once, not by a scan back over every claim before each figure).
    let lead_claims: Vec<usize> = (0..out.len())
        .filter(|&t| sentence_of(&out[t]).is_some_and(|s| lead_sentences.contains(&s)))
        .collect();
    let mut linker = PartLinker {
        sentence_of: &sentence_of,
        first_full,
        lead_sentences,
        lead_claims,
        used: vec![0; out.len()],
    };
    let heads = list_heads(out, sentences, &sentence_of);
    let mut list_total: Option<usize> = None;
    let mut last_sentence = None;
    for i in 0..out.len() {
        let Some(k) = sentence_of(&out[i]) else {
            continue;
        };
        let new_sentence = last_sentence != Some(k);
        last_sentence = Some(k);
        if new_sentence && list_total.is_some() && !is_list_item(&sentences[k]) {
            list_total = None;
        }
        if let Some(t) = list_total {
            detach_from_sibling(out, i, t);
        }
        linker.link_to_headline_sum(out, i, k);
        linker.link_to_total(out, i, k, list_total);
        if heads[i] {
            list_total = Some(i);
        }
    }
    link_headline_sums(out, &sentence_of, first_full);
}

/// A bulleted line ("• 27 members of ...", "- Six civilians ...").
fn is_bulleted(s: &super::text::Sentence<'_>) -> bool {
    s.text.trim_start().starts_with(['•', '-', '*', '·', '–'])
}

/// A line of a list: bulleted or numbered.
fn is_list_item(s: &super::text::Sentence<'_>) -> bool {
    is_bulleted(s)
        || s.text
            .trim_start()
            .starts_with(|c: char| c.is_ascii_digit())
}

/// For each claim, whether it heads a list: a total that ends its sentence with a colon, or
/// one whose sentence is followed by list items ("65 civilians, including ... Here are the
/// details" then "• 24 civilians ...", "• 18 people ..."), the first figure of its sentence
/// that is no part of another of that sentence.
fn list_heads(
    out: &[Claim],
    sentences: &[super::text::Sentence<'_>],
    sentence_of: &dyn Fn(&Claim) -> Option<usize>,
) -> Vec<bool> {
    (0..out.len())
        .map(|i| {
            let Some(k) = sentence_of(&out[i]) else {
                return false;
            };
            let first_of_sentence = i == 0 || sentence_of(&out[i - 1]) != Some(k);
            let next_claim_sentence = out[i + 1..]
                .iter()
                .filter_map(sentence_of)
                .find(|&j| j != k);
            let colon = sentences[k].text.trim_end().ends_with(':');
            let items_follow = !is_bulleted(&sentences[k])
                && next_claim_sentence.is_some_and(|j| is_bulleted(&sentences[j]));
            first_of_sentence && (colon || items_follow)
        })
        .collect()
}

/// True when claim `c` can be a part of total `t`: the same outcome (or one of a "killed or
/// wounded" sum), smaller, not civilians of a toll of fighters (nor the other way round),
/// and not another source's toll.
fn fits(t: &Claim, c: &Claim) -> bool {
    use crate::model::Outcome;
    let outcome_ok = t.outcome == c.outcome
        || (t.outcome == Outcome::KilledOrWounded
            && matches!(c.outcome, Outcome::Killed | Outcome::Wounded));
    let smaller = c.count.high.is_some_and(|h| h < t.count.low.max(1))
        || (t.count.high.is_none() && c.count.high.is_some_and(|h| h < t.count.low));
    // Civilians are no part of a toll of fighters, nor fighters of a toll of civilians.
    let civ = |v: Victims| v == Victims::Civilians;
    let known = |v: Victims| v != Victims::Unknown;
    let victims_ok = !(known(t.victims) && known(c.victims) && civ(t.victims) != civ(c.victims));
    // Another source's toll ("SANA confirmed four fatalities" under a monitor's six
    // civilians) is a second figure for the story, not a part of it.
    let own_claimant = !c.inherited.iter().any(|x| x.field == "claimant");
    let other_source = own_claimant
        && c.claimant.is_some()
        && c.claimant != t.claimant
        && c.victims_text.as_deref().is_some_and(|v| {
            let first = v.split_whitespace().next().unwrap_or("").to_lowercase();
            matches!(
                first.as_str(),
                "fatalities" | "deaths" | "casualties" | "dead"
            )
        });
    outcome_ok && smaller && victims_ok && !other_source
}

/// An item of a list whose part_of points at a sibling item (the sum of a bullet's figures
/// fitting an earlier bullet) belongs to the list's total `t`, and takes no side from that
/// sibling.
fn detach_from_sibling(out: &mut [Claim], i: usize, t: usize) {
    let Some(p) = out[i].part_of.clone() else {
        return;
    };
    let sibling = out[..i]
        .iter()
        .find(|c| c.id == p)
        .is_some_and(|c| c.part_of.as_deref() == Some(out[t].id.as_str()) && c.span != out[i].span);
    if !sibling {
        return;
    }
    out[i].part_of = None;
    let from_sibling = out[..i].iter().find(|c| c.id == p).map(|c| c.span);
    if let Some(pos) = out[i]
        .inherited
        .iter()
        .position(|x| x.field == "victims" && x.from == "total" && x.span == from_sibling)
    {
        out[i].inherited.remove(pos);
        out[i].victims = Victims::Unknown;
    }
}

/// Links the parts of a document to the story's totals, keeping each bounded total's sum.
struct PartLinker<'f> {
    sentence_of: &'f dyn Fn(&Claim) -> Option<usize>,
    /// The first full sentence: the lines before it are the headline.
    first_full: usize,
    /// The sentences of the headline's figures and of the first full sentence with figures.
    lead_sentences: Vec<usize>,
    /// The claims of those sentences, in document order.
    lead_claims: Vec<usize>,
    /// How much of each total its parts have taken.
    used: Vec<u64>,
}

impl PartLinker<'_> {
    /// A bounded total holds parts only while their sum fits in it.
    fn budget(&self, out: &[Claim], t: usize, i: usize) -> bool {
        out[t]
            .count
            .high
            .is_none_or(|h| self.used[t] + out[i].count.low <= h)
    }

    /// Makes claim `i` a part of total `t`, with the total's scope.
    fn attach(&mut self, out: &mut [Claim], i: usize, t: usize) {
        self.used[t] += out[i].count.low;
        let (id, scope) = (out[t].id.clone(), out[t].scope);
        out[i].part_of = Some(id);
        out[i].scope = scope;
    }

    /// The body lead's killed and wounded are the parts of a headline's "killed or
    /// injured" sum ("... kills and injures nearly ten SDF members" over "left two SDF
    /// fighters dead and five others wounded"); an exact repeat of the headline is one
    /// total.
    fn link_to_headline_sum(&mut self, out: &mut [Claim], i: usize, k: usize) {
        use crate::model::Outcome;
        if out[i].part_of.is_some()
            || !self.lead_sentences.contains(&k)
            || k < self.first_full
            || !matches!(out[i].outcome, Outcome::Killed | Outcome::Wounded)
        {
            return;
        }
        let sum = (0..i)
            .filter(|&t| {
                out[t].outcome == Outcome::KilledOrWounded
                    && out[t].part_of.is_none()
                    && (self.sentence_of)(&out[t]).is_some_and(|s| s < self.first_full)
            })
            .find(|&t| {
                // "the injury of more than 7 others" under "nearly 10 killed or injured".
                let open_fits = out[i].count.high.is_none()
                    && out[i].count.low < out[t].count.low
                    && out[t].outcome == Outcome::KilledOrWounded;
                (fits(&out[t], &out[i]) || open_fits) && self.budget(out, t, i)
            })
            .map(|t| first_copy(out, t));
        if let Some(t) = sum {
            self.attach(out, i, t);
        }
    }

    /// A figure after the lead is a part of the list it is an item of, else of the latest
    /// lead total it fits in; it takes that total's side when its own words name none.
    fn link_to_total(&mut self, out: &mut [Claim], i: usize, k: usize, list: Option<usize>) {
        if out[i].part_of.is_some() || self.lead_sentences.contains(&k) {
            return;
        }
        // A list may break its total down twice (by side, then by region).
        let candidate = list.filter(|&t| fits(&out[t], &out[i])).or_else(|| {
            // The latest lead total that fits.
            let before = self.lead_claims.partition_point(|&t| t < i);
            self.lead_claims[..before]
                .iter()
                .rev()
                .copied()
                .filter(|&t| {
                    // A vague total ("dozens") is too loose to hold components.
                    out[t].part_of.is_none()
                        && out[t].count.qualifier != crate::model::Qualifier::Vague
                })
                .find(|&t| fits(&out[t], &out[i]) && self.budget(out, t, i))
                .map(|t| first_copy(out, t))
        });
        let Some(t) = candidate else {
            return;
        };
        self.attach(out, i, t);
        let (span, side) = (out[t].span, out[t].victims);
        let c = &mut out[i];
        if side != Victims::Unknown && c.victims == Victims::Unknown {
            c.victims = side;
            c.inherited.push(Inherited {
                field: "victims".into(),
                from: "total".into(),
                span: Some(span),
            });
        }
    }
}

/// A headline printed twice is one total: the first copy.
fn first_copy(out: &[Claim], t: usize) -> usize {
    (0..t)
        .find(|&e| out[e].quote == out[t].quote && out[e].count == out[t].count)
        .unwrap_or(t)
}

/// The body figures that add up exactly to a headline's ("kills 82 persons at least" over
/// "it rose to 56 at least the number of persons killed ..." and "also it rose to 26 at
/// least, the number of IS members killed"): a run of two or more whole figures of the
/// same outcome, each smaller than the headline's, whose lows sum to its low.
fn link_headline_sums(
    out: &mut [Claim],
    sentence_of: &dyn Fn(&Claim) -> Option<usize>,
    first_full: usize,
) {
    use crate::model::Qualifier;
    for t in 0..out.len() {
        let total = &out[t];
        let headline = sentence_of(total).is_some_and(|k| k < first_full);
        if !headline || total.part_of.is_some() || total.count.qualifier == Qualifier::Vague {
            continue;
        }
        let (low, outcome, span) = (total.count.low, total.outcome, total.span);
        let body: Vec<usize> = (t + 1..out.len())
            .filter(|&i| {
                out[i].part_of.is_none()
                    && out[i].outcome == outcome
                    && out[i].span != span
                    && sentence_of(&out[i]).is_some_and(|k| k >= first_full)
            })
            .collect();
        for start in 0..body.len() {
            let mut sum = 0u64;
            let mut end = start;
            while end < body.len() && sum < low && out[body[end]].count.low < low {
                sum += out[body[end]].count.low;
                end += 1;
            }
            if sum == low && end - start >= 2 {
                let (id, scope) = (out[t].id.clone(), out[t].scope);
                for &i in &body[start..end] {
                    out[i].part_of = Some(id.clone());
                    out[i].scope = scope;
                }
                break;
            }
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
    if mentions.len() != places.len() {
        return None;
    }
    let group = joined_run(toks, mentions, places);
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
    let mut area = holding_area(gaz, ctx, &members)?;
    let (a, b) = (mentions[group[0]].first, mentions[*group.last()?].end);
    area.mention = sentence[toks[a].start..toks[b - 1].end()].to_string();
    area.role = PlaceRole::Event;
    Some(area)
}

/// A place that can be one of several joined in a claim: a Syrian populated place, a
/// landmark or an administrative area.
fn joinable(p: &Place) -> bool {
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
}

/// The first run of two or more joinable mentions joined by "and" / "or" (with commas
/// before), by their indices.
fn joined_run(
    toks: &[super::text::Token<'_>],
    mentions: &[super::places::Mention],
    places: &[Place],
) -> Vec<usize> {
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
        if joined && joinable(&places[k - 1]) && joinable(&places[k]) {
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
    group
}

/// The smallest area holding every member: their district, else their governorate, else
/// the country (only when governorates or cities are joined), resolved as an event place.
fn holding_area(
    gaz: &crate::gazetteer::Gazetteer,
    ctx: &crate::gazetteer::Context,
    members: &[&Place],
) -> Option<Place> {
    use crate::model::PlaceRole;
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
    match (
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
    }
}

/// A claim with no place of its own, or only one from the lead or headline, takes the own
/// place of another claim of the document that tells the same figure (same outcome, ranges
/// that overlap, no other side): "strikes killed at least 10 fighters, a monitor said" and,
/// later, "10 fighters were killed ... in Albu Kamal".
pub(super) fn places_from_restatements(out: &mut [Claim]) {
    use crate::model::PlaceRole;
    // A place the story's next sentence gave is the figure's own ("... killing at least 50
    // people. Troops swept into Bayda ...").
    let own_local = |c: &Claim| {
        let inherited_place = c
            .inherited
            .iter()
            .any(|i| i.field == "place" && i.from != "next_sentence");
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
            || !c.places.iter().any(|p| {
                // A multi-place claim mapped at the country holding its places is placed.
                p.role == PlaceRole::Event
                    && (is_local(p) || (p.is_resolved() && p.mention.contains(" and ")))
            })
    };
    // "5 dead in raids on a town in Al-Quneitra countryside": the claim's own place is an
    // area (a governorate, a district, a city's countryside) that a restating figure names
    // a town inside of.
    let area_only = |c: &Claim| {
        let quote = c.quote.to_lowercase();
        let events: Vec<&Place> = c
            .places
            .iter()
            .filter(|p| p.role == PlaceRole::Event && is_local(p))
            .collect();
        !events.is_empty()
            && events.iter().all(|p| {
                matches!(
                    p.kind,
                    Some(PlaceKind::Governorate | PlaceKind::District | PlaceKind::Region)
                ) || {
                    let m = p.mention.to_lowercase();
                    quote.find(&m).is_some_and(|at| {
                        // "Al-Quneitra central countryside", "a town in Hama".
                        let after = quote.get(at + m.len()..).unwrap_or("");
                        let before = quote.get(..at).unwrap_or("");
                        after
                            .split_whitespace()
                            .take(3)
                            .any(|w| matches!(w, "countryside" | "province" | "governorate"))
                            || before.ends_with("a town in ")
                            || before.ends_with("a village in ")
                    })
                }
            })
    };
    let finer_inside = |area: &Claim, p: &Place| {
        matches!(
            p.kind,
            Some(PlaceKind::Town | PlaceKind::Village | PlaceKind::Neighbourhood)
        ) && area
            .places
            .iter()
            .any(|a| a.role == PlaceRole::Event && a.admin1.is_some() && a.admin1 == p.admin1)
    };
    let overlaps = |a: &Claim, b: &Claim| {
        let (al, ah) = (a.count.low, a.count.high.unwrap_or(u64::MAX));
        let (bl, bh) = (b.count.low, b.count.high.unwrap_or(u64::MAX));
        al <= bh && bl <= ah
    };
    for i in 0..out.len() {
        let coarse = area_only(&out[i]);
        if !(weak(&out[i]) || coarse)
            || out[i].part_of.is_some()
            || out[i].scope != crate::model::Scope::Event
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
            .filter(|(p, _)| !coarse || weak(&out[i]) || finer_inside(&out[i], p))
        });
        if let Some((place, span)) = found {
            take_event_place(&mut out[i], place, "restated", Some(span));
        }
    }
}

/// A total with no local place of its own whose parts, two or more, account for all of it
/// (their lows add up to its low at least) and each happened at the same local place,
/// happened there too: "the battle has killed nearly 50 fighters" over "the fighting in X
/// killed 14 ... and 35 ...". A part placed only by the document's lead or headline, or not
/// at all, or at several places, tells nothing, and parts at two places leave the total as
/// it is.
pub(super) fn place_from_parts(out: &mut [Claim]) {
    use crate::model::PlaceRole;
    let placed_by_story = |c: &Claim| {
        c.inherited
            .iter()
            .any(|i| i.field == "place" && matches!(i.from.as_str(), "lead" | "headline" | "total"))
    };
    for t in 0..out.len() {
        if out[t]
            .places
            .iter()
            .any(|p| p.role == PlaceRole::Event && is_local(p))
        {
            continue;
        }
        let parts: Vec<usize> = (0..out.len())
            .filter(|&j| j != t && out[j].part_of.as_deref() == Some(out[t].id.as_str()))
            .collect();
        if parts.len() < 2
            || parts.iter().map(|&j| out[j].count.low).sum::<u64>() < out[t].count.low
        {
            continue;
        }
        let mut common: Option<&Place> = None;
        let agree = parts.iter().all(|&j| {
            // One place each: a part of a list that names several ("three in X, two in Y")
            // holds them all, and says not which is its own.
            let mut own = out[j]
                .places
                .iter()
                .filter(|p| p.role == PlaceRole::Event && is_local(p));
            let (Some(p), None) = (own.next(), own.next()) else {
                return false;
            };
            if placed_by_story(&out[j]) {
                return false;
            }
            match common {
                None => {
                    common = Some(p);
                    p.gazetteer_id.is_some()
                }
                Some(q) => q.gazetteer_id == p.gazetteer_id,
            }
        });
        let Some(place) = common.filter(|_| agree).cloned() else {
            continue;
        };
        take_event_place(&mut out[t], place, "parts", None);
    }
}

/// Makes `place` the claim's event place, taken from its context (`from`, the sentence at
/// `span`): its own event places become mentions, and an earlier inherited place is dropped.
fn take_event_place(c: &mut Claim, place: Place, from: &str, span: Option<[usize; 2]>) {
    use crate::model::PlaceRole;
    for q in c.places.iter_mut() {
        if q.role == PlaceRole::Event {
            q.role = PlaceRole::Mentioned;
        }
    }
    c.inherited.retain(|x| x.field != "place");
    c.places.push(place);
    c.inherited.push(Inherited {
        field: "place".into(),
        from: from.into(),
        span,
    });
}

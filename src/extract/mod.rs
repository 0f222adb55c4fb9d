//! Claim extraction: from a document to claims of people killed, wounded, captured or missing.
//!
//! A claim is a count of people tied to an outcome word in its clause ("at least 75 regime
//! troops were killed", "killing 34", "the deaths of 35 government forces"). Counts of things
//! that are not people ("15 villages", "14 years") are passed over. Each claim takes its
//! victims from the words around the count, its claimant, date and scope from its sentence,
//! and its places from the sentence; what the sentence does not say comes from the document
//! (`context`): the paragraph, the lead, the headline, the next sentences, the outlet.
//!
//! The modules: `text` (sentences and tokens), `numbers` (counts), `words` (the word lists),
//! `sentence` (the sentence rules: the claims one sentence makes), `breakdown` (totals and
//! their parts in a sentence), `claimants`, `dates`, `places` (place mentions), `context`
//! (the document around a claim: parts across sentences, joined areas, restated places),
//! `victims` (victims from context), `document` (the walk from sentence to sentence and
//! what it carries); this file holds the entry (`claims`) and the resolution of a
//! sentence's places.

mod breakdown;
mod claimants;
mod context;
mod dates;
mod document;
mod numbers;
mod places;
mod sentence;
mod text;
mod victims;
mod words;

use crate::gazetteer::{Context, Gazetteer, MatchKind};
use crate::model::{Claim, Document, Outcome, Place, PlaceKind, PlaceRole, Scope, Victims};
use claimants::{claimant_of, dates_word, headline_claimant, name_generic_claimants};
use numbers::CountMatch;
use sentence::*;
use text::Token;
use words::*;

/// The extractor's revision: raised with every change to the claims it gives (ids included),
/// so that a refresh extracts again the documents whose claims the archive keeps from an
/// earlier one. 2: stable claim ids. 3: a total takes the place of its parts.
pub const REVISION: u32 = 3;

/// A place with the byte span of the sentence that named it.
type Located = (Place, [usize; 2]);

/// Extracts every claim of a document, resolving places through the gazetteer.
pub fn claims(doc: &Document, gaz: &Gazetteer) -> Vec<Claim> {
    let reader = document::Reader::new(doc, gaz);
    let mut walk = document::Walk::new(&reader);
    for si in 0..reader.sentences.len() {
        walk.read(si);
    }
    let mut out = walk.out;
    context::link_parts_across_sentences(&mut out, &reader.sentences);
    context::places_from_restatements(&mut out);
    context::place_from_parts(&mut out);
    victims::from_document(&mut out);
    name_generic_claimants(&mut out, &reader.sentences, &reader.analysed);
    stable_ids(&mut out);
    for c in &mut out {
        crate::confidence::assess(c);
    }
    out
}

/// Gives each claim its stable id, `DOC#HASH`: the first 10 hex digits of the SHA-256 of the
/// document id, the claim's sentence (its words, whitespace collapsed), the count's number
/// (the last word of its phrase, in lower case: "12" of "at least 12") and which of the
/// sentence's claims on that number it is (1 for the first). Nothing else of the document
/// goes in, so the id stays when paragraphs are added, removed or edited elsewhere, when
/// other claims appear or vanish, and when a newer extractor reads the claim's qualifier,
/// outcome or victims differently. A sentence repeated word for word in one document gives
/// its second claim the suffix `-2`. References (`part_of`) follow the new ids.
fn stable_ids(out: &mut [Claim]) {
    use std::collections::HashMap;
    let mut on_number: HashMap<([usize; 2], String), usize> = HashMap::new();
    let mut used: HashMap<String, usize> = HashMap::new();
    let mut renamed: HashMap<String, String> = HashMap::new();
    for c in out.iter_mut() {
        let number = c
            .count
            .text
            .split_whitespace()
            .next_back()
            .unwrap_or("")
            .trim_matches(|ch: char| !ch.is_alphanumeric())
            .to_lowercase();
        let nth = on_number.entry((c.span, number.clone())).or_insert(0);
        *nth += 1;
        let sentence = c.quote.split_whitespace().collect::<Vec<_>>().join(" ");
        let key = format!("{}\u{1f}{sentence}\u{1f}{number}\u{1f}{nth}", c.doc);
        let hash = crate::util::hash::sha256_hex(key.as_bytes());
        let mut id = format!("{}#{}", c.doc, &hash[..10]);
        let times = used.entry(id.clone()).or_insert(0);
        *times += 1;
        if *times > 1 {
            id = format!("{id}-{times}");
        }
        renamed.insert(std::mem::replace(&mut c.id, id.clone()), id);
    }
    for c in out.iter_mut() {
        if let Some(p) = c.part_of.as_mut() {
            if let Some(id) = renamed.get(p.as_str()) {
                p.clone_from(id);
            }
        }
    }
}

/// The places of a sentence's mentions that `wanted` selects, resolved in the document's
/// context; an unknown name falls back to the place that encloses it.
fn resolve_mentions(
    gaz: &Gazetteer,
    toks: &[Token<'_>],
    mentions: &[places::Mention],
    ctx: &Context,
    wanted: impl Fn(&places::Mention) -> bool,
) -> Vec<Place> {
    let chosen: Vec<&places::Mention> = mentions.iter().filter(|m| wanted(m)).collect();
    let mut out: Vec<Place> = chosen
        .iter()
        .map(|m| {
            // A landmark phrase: the site, else within about 25 km of the place it is named
            // after, else the enclosing place.
            if let Some(p) = m.phrase() {
                return site_place(gaz, toks, mentions, m, &p, ctx);
            }
            if m.known {
                resolve(gaz, &m.text, m.role, m.kind_hint, ctx)
            } else {
                match enclosing(gaz, toks, mentions, m, ctx) {
                    Some(e) => crate::gazetteer::fallback_place(&m.text, m.role, &e),
                    None => Place::unresolved(&m.text, m.role),
                }
            }
        })
        .collect();
    // "Bayda, a village outside the city of Banias": a name read abroad while the same
    // sentence names Syrian places is read again with those places as its context.
    let local: Vec<(f64, f64, Option<String>)> = out
        .iter()
        .filter(|p| context::is_local(p))
        .filter_map(|p| Some((p.lat?, p.lon?, p.admin1.clone())))
        .collect();
    if !local.is_empty() {
        for (k, m) in chosen.iter().enumerate() {
            let p = &out[k];
            let abroad = m.known
                && p.is_resolved()
                && !in_syria(p)
                && !matches!(p.kind, Some(PlaceKind::Country | PlaceKind::Region));
            if !abroad {
                continue;
            }
            let mut near = ctx.clone();
            for (lat, lon, a1) in &local {
                near.points.push((*lat, *lon));
                if let Some(a1) = a1 {
                    if !near.admin1.contains(a1) {
                        near.admin1.push(a1.clone());
                    }
                }
            }
            let again = resolve(gaz, &m.text, m.role, m.kind_hint, &near);
            if context::is_local(&again) {
                out[k] = again;
            }
        }
    }
    out
}

/// A landmark phrase's place (`Gazetteer::site_place`), the place that encloses the mention
/// in the sentence as where the text puts it; unresolved when nothing is known.
fn site_place(
    gaz: &Gazetteer,
    toks: &[Token<'_>],
    mentions: &[places::Mention],
    m: &places::Mention,
    phrase: &crate::gazetteer::landmarks::Phrase<'_>,
    ctx: &Context,
) -> Place {
    gaz.site_place(&m.text, m.role, phrase, ctx, || {
        enclosing(gaz, toks, mentions, m, ctx)
    })
    .unwrap_or_else(|| Place::unresolved(&m.text, m.role))
}

/// The first Syrian event place named in a paragraph so far. Sentences without claims are
/// kept pending and resolved only when a claim needs the paragraph's place.
#[derive(Default)]
struct ParagraphPlace {
    paragraph: Option<usize>,
    /// The place and the span of the sentence that named it.
    place: Option<Located>,
    /// Earlier sentences of the paragraph not resolved yet, in order.
    pending: Vec<usize>,
}

impl ParagraphPlace {
    /// Resolves the pending sentences, in order, until one names an event place.
    fn settle(&mut self, mut places_of: impl FnMut(usize) -> (Vec<Place>, [usize; 2])) {
        for k in std::mem::take(&mut self.pending) {
            if self.place.is_some() {
                break;
            }
            let (places, span) = places_of(k);
            self.offer(&places, span);
        }
    }

    /// Takes the first event place of a sentence's places if the paragraph has none yet.
    fn offer(&mut self, places: &[Place], span: [usize; 2]) {
        if self.place.is_none() {
            self.place = places
                .iter()
                .find(|p| p.role == PlaceRole::Event && context::is_local(p))
                .map(|p| (p.clone(), span));
        }
    }
}

/// The known place that encloses an unknown mention: one named right after it ("Al-Daatour,
/// a suburb of Lattakia city", "the Hikmeh school in Aleppo"), else the document's anchor.
fn enclosing(
    gaz: &Gazetteer,
    toks: &[Token<'_>],
    mentions: &[places::Mention],
    m: &places::Mention,
    ctx: &Context,
) -> Option<crate::gazetteer::Entry> {
    let linked = mentions.iter().find(|n| {
        n.known
            && n.site.is_none()
            && n.first >= m.end
            && n.first - m.end <= 6
            && toks[m.end..n.first].iter().any(|t| {
                matches!(
                    t.lw(),
                    "suburb"
                        | "near"
                        | "outside"
                        | "in"
                        | "of"
                        | "outskirts"
                        | "district"
                        | "neighbourhood"
                        | "neighborhood"
                        | "countryside"
                        | "east"
                        | "west"
                        | "north"
                        | "south"
                )
            })
    });
    if let Some(n) = linked {
        let c = gaz.resolve(&n.text, ctx)?;
        if c.entry.country == "SY" {
            return Some(c.entry.clone());
        }
    }
    // Where the dead came from or were taken is elsewhere by nature: no anchor for those.
    match m.role {
        PlaceRole::Origin | PlaceRole::Remains => None,
        _ => ctx.anchor.clone(),
    }
}

pub(super) fn in_syria(p: &Place) -> bool {
    // Every Syrian entry has a governorate but the country itself; the bundled Syrian
    // regions have one too (world regions and seas, "Mediterranean Sea", have none).
    p.admin1.is_some() || p.gazetteer_id.as_deref() == Some("geonames:163843")
}

fn resolve(
    gaz: &Gazetteer,
    mention: &str,
    role: PlaceRole,
    kind_hint: Option<PlaceKind>,
    ctx: &Context,
) -> Place {
    gaz.place_hinted(mention, role, ctx, kind_hint)
}

/// Governorates the document names, and points of its unambiguous places, as context.
fn document_context<'m>(
    mentions: impl Iterator<Item = &'m places::Mention>,
    gaz: &Gazetteer,
) -> Context {
    let mut ctx = Context::default();
    let mut anchors = Anchors::default();
    for m in mentions {
        if !m.known || m.site.is_some() {
            continue;
        }
        if let Some((e, n_candidates)) = gaz.best_default(&m.text) {
            anchors.add(e.clone());
            if !ctx.countries.contains(&e.country) {
                ctx.countries.push(e.country.clone());
            }
            if matches!(e.kind, PlaceKind::Governorate) || m.kind_hint.is_some() {
                if let Some(a1) = &e.admin1 {
                    if !ctx.admin1.contains(a1) {
                        ctx.admin1.push(a1.clone());
                    }
                }
            }
            // Cities are strong anchors: their governorate is context too.
            // So are towns no other place shares a name with.
            if matches!(e.kind, PlaceKind::City | PlaceKind::Town)
                && e.country == "SY"
                && n_candidates == 1
            {
                ctx.points.push((e.lat, e.lon));
            }
        }
    }
    ctx.anchor = anchors.best();
    ctx
}

/// Counts of the Syrian populated places a text names, to find what it is about.
struct Anchors<E>(Vec<(E, usize)>);

impl<E: std::borrow::Borrow<crate::gazetteer::Entry>> Anchors<E> {
    fn add(&mut self, e: E) {
        let entry: &crate::gazetteer::Entry = e.borrow();
        let populated = matches!(
            entry.kind,
            PlaceKind::City | PlaceKind::Town | PlaceKind::Village | PlaceKind::Neighbourhood
        );
        if !populated || entry.country != "SY" {
            return;
        }
        match self.0.iter_mut().find(|(x, _)| x.borrow().id == entry.id) {
            Some((_, n)) => *n += 1,
            None => self.0.push((e, 1)),
        }
    }

    /// The most-named place; the first named among equals.
    fn best(self) -> Option<crate::gazetteer::Entry> {
        let mut best: Option<(E, usize)> = None;
        for (e, n) in self.0 {
            if best.as_ref().is_none_or(|(_, m)| n > *m) {
                best = Some((e, n));
            }
        }
        best.map(|(e, _)| e.borrow().clone())
    }
}

impl<E> Default for Anchors<E> {
    fn default() -> Self {
        Anchors(Vec::new())
    }
}

/// The places a free text names (a governorate, a sentence, an article), each resolved on
/// its own: the context for geocoding names of that text.
#[derive(Debug, Default)]
pub struct TextPlaces {
    /// (strict key of the mention, best entry, true when named exactly and clearly ahead of
    /// its namesakes).
    found: Vec<(String, crate::gazetteer::Entry, bool)>,
    /// Countries of the demonyms the text uses ("British", "American").
    demonym_countries: Vec<String>,
}

impl TextPlaces {
    /// Finds and resolves the place names of a text.
    pub fn of_text(t: &str, gaz: &Gazetteer) -> TextPlaces {
        let mut found = Vec::new();
        let mut demonym_countries: Vec<String> = Vec::new();
        for s in text::sentences(t) {
            let toks = text::tokens(s.text);
            // Demonyms are no places in running text, but they say which countries it is about.
            for tok in toks.iter().filter(|t| t.is_word() && t.is_capitalized()) {
                if !gaz.is_demonym(tok.text) {
                    continue;
                }
                let cands = gaz.candidates(tok.text, &Context::default());
                if let Some(c) = cands.first().filter(|c| c.entry.kind == PlaceKind::Country) {
                    if !demonym_countries.contains(&c.entry.country) {
                        demonym_countries.push(c.entry.country.clone());
                    }
                }
            }
            for m in places::mentions(&toks, s.text, true, gaz)
                .into_iter()
                .filter(|m| m.known && m.site.is_none())
            {
                let cands = gaz.candidates(&m.text, &Context::default());
                if let Some(best) = cands.first() {
                    let clear = cands
                        .get(1)
                        .is_none_or(|second| best.score - second.score >= 0.3);
                    found.push((
                        crate::gazetteer::normalize::key(&m.text),
                        best.entry.clone(),
                        best.matched == MatchKind::Exact && clear,
                    ));
                }
            }
        }
        TextPlaces {
            found,
            demonym_countries,
        }
    }

    /// The context of every place the text names: their governorates, the countries and
    /// points of those named clearly (nearby places win over far ones), and the most-named
    /// Syrian place as the anchor for fallbacks.
    pub fn context(&self) -> Context {
        self.context_without("")
    }

    /// The context for a name of the text: the other places, not the name's own mentions,
    /// so that a name does not vote for its own first reading ("London" with "Canada").
    pub fn context_without(&self, name: &str) -> Context {
        let own = crate::gazetteer::normalize::key(name);
        let mut ctx = Context::default();
        let mut anchors = Anchors::default();
        for (key, e, clear) in &self.found {
            anchors.add(e);
            if !own.is_empty() && *key == own {
                continue;
            }
            if let Some(a1) = &e.admin1 {
                if !ctx.admin1.contains(a1) {
                    ctx.admin1.push(a1.clone());
                }
            }
            // Only a place named clearly says which country the text is about: "Richmond"
            // alone does not make it American.
            if *clear {
                if !ctx.countries.contains(&e.country) {
                    ctx.countries.push(e.country.clone());
                }
                ctx.points.push((e.lat, e.lon));
            }
        }
        for c in &self.demonym_countries {
            if !ctx.countries.contains(c) {
                ctx.countries.push(c.clone());
            }
        }
        ctx.anchor = anchors.best();
        ctx
    }
}

/// Context from free text (a governorate, a sentence): see `TextPlaces::context`.
pub fn context_of_text(t: &str, gaz: &Gazetteer) -> Context {
    TextPlaces::of_text(t, gaz).context()
}

/// Parts whose own sentence names no event place happened where their total did.
fn inherit_total_places(out: &mut [Claim], first: usize, sentence_places: &[Place]) {
    let own_event = sentence_places
        .iter()
        .any(|p| p.role == PlaceRole::Event && p.is_resolved() && in_syria(p));
    if own_event {
        return;
    }
    for i in first..out.len() {
        let Some(parent) = out[i].part_of.clone() else {
            continue;
        };
        let Some(total) = out[..first].iter().find(|c| c.id == parent) else {
            continue;
        };
        let places: Vec<Place> = total
            .places
            .iter()
            .filter(|p| p.role == PlaceRole::Event)
            .cloned()
            .collect();
        if places.is_empty() {
            continue;
        }
        let claim = &mut out[i];
        claim.places.retain(|p| p.role != PlaceRole::Event);
        claim.places.extend(places);
    }
}

/// Links the claims from `first` on (a list of parts) to an earlier total of the same outcome
/// whose range their sum fits.
fn link_breakdown(out: &mut [Claim], first: usize) {
    let (before, parts) = out.split_at_mut(first);
    let sum: u64 = parts.iter().map(|c| c.count.low).sum();
    let outcome_of_parts = parts[0].outcome;
    let total = before.iter().rev().take(8).find(|t| {
        t.part_of.is_none()
            && t.outcome == outcome_of_parts
            && t.count.low <= sum
            && t.count.high.is_none_or(|h| h >= sum)
            && sum <= t.count.low.saturating_mul(2)
    });
    if let Some(t) = total {
        let id = t.id.clone();
        for p in parts.iter_mut() {
            p.part_of = Some(id.clone());
            p.scope = t.scope;
        }
    }
}

#[cfg(test)]
mod table;
#[cfg(test)]
mod tests;

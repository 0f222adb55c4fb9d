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
//! `victims` (victims from context); this file holds the document loop (`claims`) and the
//! resolution of a sentence's places.

mod breakdown;
mod claimants;
mod context;
mod dates;
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

/// A place with the byte span of the sentence that named it.
type Located = (Place, [usize; 2]);

/// Extracts every claim of a document, resolving places through the gazetteer.
pub fn claims(doc: &Document, gaz: &Gazetteer) -> Vec<Claim> {
    let sentences = text::sentences(&doc.text);
    let analysed: Vec<(Vec<Token<'_>>, Vec<places::Mention>)> = sentences
        .iter()
        .map(|s| {
            let toks = text::tokens(s.text);
            let mentions = places::mentions(&toks, s.text, s.headline, gaz);
            (toks, mentions)
        })
        .collect();
    let title_mentions: Vec<places::Mention> = doc
        .title
        .as_deref()
        .map(|t| places::mentions(&text::tokens(t), t, text::is_headline(t), gaz))
        .unwrap_or_default();
    // Paragraphs of photo captions and credits: page furniture, no context for the story.
    let caption_paragraphs: Vec<usize> = sentences
        .iter()
        .filter(|s| s.is_caption())
        .map(|s| s.paragraph)
        .collect();
    let ctx = document_context(
        analysed
            .iter()
            .flat_map(|(_, m)| m.iter())
            .chain(title_mentions.iter()),
        gaz,
    );
    // The headline's places: the document's title, else the short lines that open the text
    // before its first full sentence.
    // Each headline line is resolved once: its places, and the area holding its joined places.
    let mut headline_area: Option<Located> = None;
    let headline: Vec<Located> = if doc.title.is_some() {
        title_mentions
            .iter()
            .filter(|m| m.known)
            .map(|m| {
                let place = m
                    .phrase()
                    .and_then(|p| gaz.site_place(&m.text, PlaceRole::Event, &p, &ctx, || None));
                let place = place
                    .unwrap_or_else(|| resolve(gaz, &m.text, PlaceRole::Event, m.kind_hint, &ctx));
                (place, [0, 0])
            })
            .collect()
    } else {
        let mut found = Vec::new();
        for (s, (toks, mentions)) in sentences
            .iter()
            .zip(&analysed)
            .take_while(|(s, _)| s.paragraph <= 3 && !s.text.ends_with('.'))
            .filter(|(s, _)| !caption_paragraphs.contains(&s.paragraph))
        {
            let span = [s.start, s.end()];
            let places = resolve_mentions(gaz, toks, mentions, &ctx, |_| true);
            if headline_area.is_none() {
                headline_area = context::joined_area(gaz, &ctx, s.text, toks, mentions, &places)
                    .map(|p| (p, span));
            }
            found.extend(
                places
                    .into_iter()
                    .filter(|p| p.role != PlaceRole::Origin)
                    .map(|p| (p, span)),
            );
        }
        found
    };
    let headline_place = headline_area
        .as_ref()
        .or_else(|| headline.iter().find(|(p, _)| context::is_local(p)))
        .or_else(|| {
            headline
                .iter()
                .find(|(p, _)| p.is_resolved() && in_syria(p))
        })
        .map(|(p, span)| {
            let mut p = p.clone();
            p.role = PlaceRole::Event;
            (p, *span)
        });
    let outlet_claimant = context::outlet_claimant(doc);

    let mut out: Vec<Claim> = Vec::new();
    // The first event place of the current paragraph, for sentences that name none.
    let mut paragraph = ParagraphPlace::default();
    // Who the current paragraph says is speaking, and who the lead said.
    let mut paragraph_claimant: Option<(String, [usize; 2])> = None;
    let mut lead_claimant: Option<(String, [usize; 2])> = None;
    // The first place a claim of the document happened at.
    let mut lead_place: Option<Located> = None;
    // The outcome a heading gives the lines under it.
    let mut heading_outcome: Option<Outcome> = None;
    let mut claim_sentences = 0usize;
    // The last sentence with claims: its index, paragraph and first claim.
    let mut last_claims: Option<(usize, usize, usize)> = None;
    // The place of the sentence after a sentence (by its index), looked up once.
    let mut next_place: Option<(usize, Option<Located>)> = None;
    // Up to three sentences on; a short line with no full stop (a sidebar headline) is passed
    // over, a sentence with figures of its own ends the search.
    let next_sentence_place = |si: usize| -> Option<Located> {
        for k in si + 1..(si + 4).min(sentences.len()) {
            let next = &sentences[k];
            let (toks, mentions) = &analysed[k];
            let sidebar = !next.text.trim_end().ends_with(['.', '"', '”']) && toks.len() <= 16;
            if sidebar || caption_paragraphs.contains(&next.paragraph) {
                continue;
            }
            if !numbers::counts(next.text, toks).is_empty() {
                return None;
            }
            let found =
                resolve_mentions(gaz, toks, mentions, &ctx, |m| m.role != PlaceRole::Origin)
                    .into_iter()
                    .find(context::is_local)
                    .map(|mut p| {
                        p.role = PlaceRole::Event;
                        (p, [next.start, next.end()])
                    });
            if found.is_some() {
                return found;
            }
        }
        None
    };
    // "near a school in the town": the place a bare "the town" (village, city) stands for,
    // the latest earlier name the text calls a town, else the first later one ("... Tal
    // Rifaat town houses many displaced"), resolved in the document's context.
    let anaphor_place = |si: usize, word: &str| -> Option<Located> {
        let called = |k: usize| -> Option<usize> {
            let (toks, mentions) = &analysed[k];
            mentions.iter().position(|m| {
                let after = toks.get(m.end).map(|t| t.lw());
                let before = m
                    .first
                    .checked_sub(2)
                    .map(|i| (toks[i].lw(), toks[i + 1].lw()));
                m.known && (after == Some(word) || before == Some((word, "of")))
            })
        };
        let order = (0..si).rev().chain(si + 1..sentences.len());
        order.into_iter().find_map(|k| {
            let at = called(k)?;
            let (toks, mentions) = &analysed[k];
            let m = &mentions[at..=at];
            let mut p = resolve_mentions(gaz, toks, m, &ctx, |_| true).pop()?;
            context::is_local(&p).then(|| {
                p.role = PlaceRole::Event;
                (p, [sentences[k].start, sentences[k].end()])
            })
        })
    };
    for (si, (s, (toks, mentions))) in sentences.iter().zip(&analysed).enumerate() {
        let toks = toks.as_slice();
        let span = [s.start, s.end()];
        if paragraph.paragraph != Some(s.paragraph) {
            paragraph = ParagraphPlace {
                paragraph: Some(s.paragraph),
                ..ParagraphPlace::default()
            };
            paragraph_claimant = None;
        }
        // Every claim needs an outcome word: other sentences skip the claim rules, and their
        // places are resolved only if a later sentence of the paragraph needs them.
        let has_outcome_word = toks
            .iter()
            .any(|t| outcome_word(t.lw()).is_some() || t.lw() == "fate");
        // A heading or a line ending in a colon that names an outcome ("Civilian
        // fatalities", "the deaths are as follows:") gives it to the list below it.
        let short_line = !s.text.ends_with('.') && toks.len() <= 8;
        // A short line without one is a new heading that ends the last; a line ending in a
        // colon without one ("-40 military personnel ...:") stays under the heading above.
        let own_outcome = toks.iter().find_map(|t| outcome_word(t.lw()));
        let colon = s.text.ends_with(':');
        if (short_line && !colon) || (colon && own_outcome.is_some()) {
            heading_outcome = own_outcome;
        }
        // "... identified the victims as a woman and a young man": the people of the last
        // figure, one by one, with its outcome.
        let victims_named = !has_outcome_word
            && toks.windows(3).any(|w| {
                matches!(w[0].lw(), "identified" | "named")
                    && matches!(w[2].lw(), "victims" | "dead" | "deceased")
            });
        let default_outcome = heading_outcome.or_else(|| {
            victims_named
                .then(|| out.last().map(|c: &Claim| c.outcome))
                .flatten()
        });
        let sentence_claims = if has_outcome_word || default_outcome.is_some() {
            let counts = numbers::counts(s.text, toks);
            claims_in_sentence(s.text, toks, &counts, default_outcome)
        } else {
            Vec::new()
        };
        if sentence_claims.is_empty() {
            // The sentence after a claim's, telling the same story with no figures: "... the
            // attack came during a service attended by worshippers".
            if let Some((k, par, first)) = last_claims {
                if k + 1 == si && par == s.paragraph {
                    let lw: Vec<&str> = toks.iter().map(|t| t.lw()).collect();
                    victims::civilian_targets(&mut out, first, &lw, "next_sentence");
                }
            }
            if paragraph.place.is_none() {
                paragraph.pending.push(si);
            }
            // "According to X, ..." with no figure still governs the paragraph's figures.
            if toks
                .iter()
                .any(|t| SAYS.contains(&t.lw()) || t.lw() == "according")
            {
                if let Some(c) = claimant_of(s.text, toks) {
                    paragraph_claimant = Some((c, span));
                }
            }
            continue;
        }
        let mut sentence_places = resolve_mentions(gaz, toks, mentions, &ctx, |_| true);
        // Several places joined in the claim's sentence: mapped at the area holding them,
        // even when that area is the whole country ("in Homs and Rif Dimashq").
        let mut joined = false;
        if let Some(area) =
            context::joined_area(gaz, &ctx, s.text, toks, mentions, &sentence_places)
        {
            joined = true;
            for p in sentence_places.iter_mut() {
                if p.role == PlaceRole::Event {
                    p.role = PlaceRole::Mentioned;
                }
            }
            sentence_places.insert(0, area);
        }
        paragraph.settle(|k| {
            let (toks, mentions) = &analysed[k];
            let places =
                resolve_mentions(gaz, toks, mentions, &ctx, |m| m.role == PlaceRole::Event);
            (places, [sentences[k].start, sentences[k].end()])
        });
        let first_id = out.len();
        // Who says so and when: properties of the sentence, the same for each of its claims.
        let own_claimant = claimant_of(s.text, toks).or_else(|| headline_claimant(s));
        if let Some(c) = &own_claimant {
            paragraph_claimant = Some((c.clone(), span));
            lead_claimant.get_or_insert((c.clone(), span));
        }
        let (claimant, claimant_from) = match &own_claimant {
            Some(c) => (Some(c.clone()), None),
            None => match (&paragraph_claimant, &lead_claimant, &outlet_claimant) {
                (Some((c, sp)), _, _) => (Some(c.clone()), Some(("paragraph", Some(*sp)))),
                (None, Some((c, sp)), _) => (Some(c.clone()), Some(("lead", Some(*sp)))),
                (None, None, Some(c)) => (Some(c.clone()), Some(("outlet", None))),
                _ => (None, None),
            },
        };
        let sentence_date = dates::date_of(s.text, toks, doc.published);
        let lw_all: Vec<&str> = toks.iter().map(|t| t.lw()).collect();
        let refers_back = lw_all
            .windows(2)
            .any(|w| matches!(w[0], "these" | "those") && NOT_PEOPLE.contains(&w[1]));
        let previous_since = refers_back
            && si > 0
            && since_a_time(
                &analysed[si - 1]
                    .0
                    .iter()
                    .map(|t| t.lw())
                    .collect::<Vec<_>>(),
            );
        for sc in &sentence_claims {
            let mut places = sentence_places.clone();
            let mut inherited = Vec::new();
            if let Some((from, span)) = claimant_from {
                inherited.push(crate::model::Inherited {
                    field: "claimant".into(),
                    from: from.into(),
                    span,
                });
            }
            // A sea, a region or a country abroad ("near the Mediterranean coast", "the
            // Middle East") is no event place for a claim the context can place.
            for p in places.iter_mut() {
                if p.role == PlaceRole::Event
                    && p.is_resolved()
                    && !in_syria(p)
                    && matches!(p.kind, Some(PlaceKind::Region | PlaceKind::Country))
                {
                    p.role = PlaceRole::Mentioned;
                }
            }
            let has_event = joined
                || places
                    .iter()
                    .any(|p| p.role == PlaceRole::Event && context::is_local(p));
            if !has_event {
                // A Syrian place named with no cue in the sentence is where it happened.
                if let Some(p) = places
                    .iter_mut()
                    .find(|p| p.role == PlaceRole::Mentioned && context::is_local(p))
                {
                    p.role = PlaceRole::Event;
                } else if let Some((p, sp)) = lw_all
                    .windows(3)
                    .find(|w| {
                        matches!(w[0], "in" | "at" | "near" | "on" | "into")
                            && w[1] == "the"
                            && matches!(w[2], "town" | "village" | "city")
                    })
                    .and_then(|w| anaphor_place(si, w[2]))
                {
                    places.push(p);
                    inherited.push(crate::model::Inherited {
                        field: "place".into(),
                        from: "anaphor".into(),
                        span: Some(sp),
                    });
                } else {
                    // The next sentence, when it tells the same story with no figure of
                    // its own: "... killing at least 14 people. The shells fell on X."
                    if paragraph.place.is_none()
                        && next_place.as_ref().is_none_or(|(k, _)| *k != si)
                    {
                        next_place = Some((si, next_sentence_place(si)));
                    }
                    let next = next_place.as_ref().and_then(|(_, p)| p.as_ref());
                    let from_context = paragraph
                        .place
                        .as_ref()
                        .map(|(p, sp)| (p, *sp, "paragraph"))
                        .or_else(|| next.map(|(p, sp)| (p, *sp, "next_sentence")))
                        .or_else(|| lead_place.as_ref().map(|(p, sp)| (p, *sp, "lead")))
                        .or_else(|| {
                            headline_place
                                .as_ref()
                                .filter(|(_, sp)| *sp != span)
                                .map(|(p, sp)| (p, *sp, "headline"))
                        });
                    if let Some((p, sp, from)) = from_context {
                        // The country named alone says less than the context's place.
                        for q in places.iter_mut() {
                            if q.role == PlaceRole::Event && q.kind == Some(PlaceKind::Country) {
                                q.role = PlaceRole::Mentioned;
                            }
                        }
                        places.push(p.clone());
                        inherited.push(crate::model::Inherited {
                            field: "place".into(),
                            from: from.into(),
                            span: (sp != [0, 0]).then_some(sp),
                        });
                    }
                }
            }
            let mut scope = scope_of(toks, sc);
            // "... 75 operations since early 2024. These operations left 40 fatalities": the
            // figure of the events the sentence before dated as a running span.
            if scope == Scope::Event && refers_back && previous_since {
                scope = Scope::Cumulative;
            }
            let mut part_of = sc
                .part_of
                .and_then(|k| out.get(first_id + k).map(|c: &Claim| c.id.clone()));
            if sc.of_the_counted && part_of.is_none() {
                part_of = out
                    .iter()
                    .rev()
                    .take(8)
                    .find(|t| {
                        t.outcome == sc.outcome
                            && t.part_of.is_none()
                            && t.count.low >= sc.count.count.low
                    })
                    .map(|t| t.id.clone());
            }
            let n = out.len() + 1;
            let victims = victims::state_side(
                residents_far_from_home(sc, &places),
                sc.victims_text.as_deref(),
                sentence_date.start.or(doc.published),
            );
            let quote = s.text.to_string();
            out.push(Claim {
                id: format!("{}#{n}", doc.id),
                doc: doc.id.clone(),
                published: doc.published,
                quote,
                span,
                count: sc.count.count.clone(),
                outcome: sc.outcome,
                victims,
                victims_text: sc.victims_text.clone(),
                claimant: claimant.clone(),
                scope,
                part_of,
                date: {
                    let mut d = sentence_date.clone();
                    if scope == Scope::Cumulative
                        && d.precision != crate::model::DatePrecision::Unknown
                    {
                        // A running total counts from its date to publication.
                        if d.end < doc.published {
                            d.end = doc.published;
                            d.precision = crate::model::DatePrecision::Range;
                        }
                    }
                    d
                },
                places,
                inherited,
            });
        }
        // A list of parts with no total of its own breaks down an earlier total.
        if sentence_claims.len() >= 2 && !sentence_claims.iter().any(|c| c.part_of.is_some()) {
            link_breakdown(&mut out, first_id);
        }
        inherit_total_places(&mut out, first_id, &sentence_places);
        victims::from_sentence(&mut out, first_id, &lw_all);
        if let Some(k) = si
            .checked_sub(1)
            .filter(|&k| sentences[k].paragraph == s.paragraph)
            .filter(|_| victims::wants_target_side(&out[first_id..]))
        {
            let before: Vec<&str> = analysed[k].0.iter().map(|t| t.lw()).collect();
            victims::target_side(&mut out, first_id, &before, "previous_sentence");
        }
        last_claims = Some((si, s.paragraph, first_id));
        paragraph.offer(&sentence_places, span);
        claim_sentences += 1;
        // The lead is the document's first two sentences with figures.
        if lead_place.is_none() && claim_sentences <= 2 {
            lead_place = out[first_id..]
                .iter()
                .find_map(|c| {
                    c.places
                        .iter()
                        .find(|p| p.role == PlaceRole::Event && context::is_local(p))
                })
                .map(|p| (p.clone(), span));
        }
    }
    context::link_parts_across_sentences(&mut out, &sentences);
    context::places_from_restatements(&mut out);
    victims::from_document(&mut out);
    name_generic_claimants(&mut out, &sentences, &analysed);
    out
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

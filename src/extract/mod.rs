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
//! `breakdown` (totals and their parts in a sentence), `claimants`, `dates`, `places` (place
//! mentions), `context` (the document around a claim); this file holds the sentence rules
//! (`claims_in_sentence`) and the document loop (`claims`).

mod breakdown;
mod claimants;
mod context;
pub mod dates;
pub mod numbers;
pub mod places;
pub mod text;
mod victims;
mod words;

use crate::gazetteer::{Context, Gazetteer, MatchKind};
use crate::model::{Claim, Document, Outcome, Place, PlaceKind, PlaceRole, Scope, Victims};
use claimants::{claimant_of, dates_word, headline_claimant, name_generic_claimants};
use numbers::CountMatch;
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
        let has_outcome_word = toks.iter().any(|t| outcome_word(t.lw()).is_some());
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

/// A claim found in a sentence before places and dates are attached.
#[derive(Debug, Clone)]
struct SentenceClaim {
    count: CountMatch,
    outcome: Outcome,
    victims: Victims,
    victims_text: Option<String>,
    /// The claim of the same sentence this one breaks down ("12, including 5 children"), by
    /// its index among the sentence's claims.
    part_of: Option<usize>,
    /// True for "four of the wounded", "two of them": a part of an earlier total.
    of_the_counted: bool,
}

fn claims_in_sentence(
    sentence: &str,
    toks: &[Token<'_>],
    counts: &[CountMatch],
    default_outcome: Option<Outcome>,
) -> Vec<SentenceClaim> {
    let lw: Vec<&str> = toks.iter().map(|t| t.lw()).collect();
    let groups = breakdown::groups(&lw, counts);
    let mut out: Vec<SentenceClaim> = Vec::new();
    // The claim each count became, by count index.
    let mut claim_of: Vec<Option<usize>> = vec![None; counts.len()];
    for (ci, c) in counts.iter().enumerate() {
        // What follows the number: "of its residents", "regime troops", "fighters from X".
        let mut k = c.end;
        if lw.get(k).copied() == Some("of") {
            k += 1;
            while lw.get(k).is_some_and(|w| {
                matches!(
                    *w,
                    "its" | "their" | "the" | "them" | "his" | "her" | "our" | "whom"
                )
            }) {
                k += 1;
            }
        }
        let one = c.count.low == 1 && c.count.high == Some(1);
        // A singular noun after a number is a slip ("Three ISIS member"), still people.
        let person = |w: &str| {
            PEOPLE.contains(&w)
                || ((one || c.count.qualifier != crate::model::Qualifier::Vague)
                    && ONE_PERSON.contains(&w))
        };
        // The people noun, within the clause: "kills four as rebels take a town" counts no
        // rebels.
        let noun_end = (k..(k + 5).min(toks.len()))
            .take_while(|&j| !CLAUSE_WORDS.contains(&lw[j]))
            .find(|&j| {
                let w = lw[j];
                person(w) || NOT_PEOPLE.contains(&w) || toks[j].is_punct()
            })
            .unwrap_or(k);
        let head = lw.get(noun_end).copied().unwrap_or("");
        if NOT_PEOPLE.contains(&head) {
            continue;
        }
        let has_people_noun = person(head);
        // "Sweida 24 identified ...", "France 24 reported": digits that end a name.
        let name_number = (!has_people_noun || noun_end > c.end)
            && c.first > 1
            && toks[c.first - 1].is_capitalized()
            && !toks[c.first - 2].is_punct()
            && outcome_word(lw[c.first - 1]).is_none()
            && !ACTIVE_VERBS.contains(&lw[c.first - 1])
            && toks[c.first].text.chars().all(|ch| ch.is_ascii_digit())
            && toks.get(c.end).is_some_and(|t| {
                !t.is_capitalized() && !t.is_punct() && outcome_word(t.lw()).is_none()
            });
        if name_number {
            continue;
        }
        // "Two gunmen ... shot dead a member": those who did the killing, the subject of an
        // active verb (not "two gunmen were killed", nor a part of a list of the dead).
        if PERPETRATORS.contains(&head) && noun_end <= c.end + 1 && groups.parent[ci].is_none() {
            let outcome_before = lw[c.first.saturating_sub(4)..c.first]
                .iter()
                .any(|w| outcome_word(w).is_some() || matches!(*w, "including" | "among"));
            let verb_at = (noun_end..(noun_end + 14).min(toks.len()))
                .find(|&k| outcome_word(lw[k]).is_some());
            let passive = verb_at.is_some_and(|v| {
                lw[noun_end..v]
                    .iter()
                    .any(|w| matches!(*w, "were" | "was" | "been" | "are" | "is"))
            });
            if !outcome_before && verb_at.is_some() && !passive {
                continue;
            }
        }
        // The outcome: an active verb right before the count ("killed 20 people and
        // wounded 35"), else forward in the clause, else just before the count.
        // A total's breakdown ("34, including 12 children and 5 women, were killed") is
        // passed over when its outcome is looked for.
        let group_end = groups.end[ci];
        let next_count_start = match group_end {
            Some(g) => counts[ci + 1..]
                .iter()
                .find(|n| n.first >= g)
                .map(|n| n.first)
                .unwrap_or(toks.len()),
            None => counts.get(ci + 1).map(|n| n.first).unwrap_or(toks.len()),
        };
        let parent = groups.parent[ci].and_then(|p| claim_of[p]);
        // "injured another eight", "killed the other two": the verb stands over "another".
        let verb_at = c.first.checked_sub(1).and_then(|i| {
            if matches!(lw[i], "another" | "other") {
                i.checked_sub(1)
            } else {
                Some(i)
            }
        });
        let direct = verb_at
            .filter(|&i| ACTIVE_VERBS.contains(&lw[i]))
            .and_then(|i| {
                let o = outcome_word(lw[i])?;
                // "kills and injures nearly ten": both verbs stand over the count.
                let before = i
                    .checked_sub(2)
                    .filter(|&k| matches!(lw[k + 1], "and" | "or"))
                    .and_then(|k| outcome_word(lw[k]));
                Some(match (before, o) {
                    (Some(Outcome::Killed), Outcome::Wounded)
                    | (Some(Outcome::Wounded), Outcome::Killed) => Outcome::KilledOrWounded,
                    _ => combine(&lw, i, o),
                })
            })
            // "the deaths of five officers", "the martyrdom of four fighters", "the injury of
            // three members": the noun the count is "of".
            .or_else(|| {
                let of = c.first.checked_sub(1).filter(|&i| lw[i] == "of")?;
                let noun = of.checked_sub(1)?;
                matches!(
                    lw[noun],
                    "death"
                        | "deaths"
                        | "killing"
                        | "martyrdom"
                        | "injury"
                        | "injuries"
                        | "wounding"
                        | "execution"
                        | "murder"
                        | "kidnapping"
                        | "abduction"
                        | "arrest"
                        | "detention"
                        | "lives"
                )
                .then(|| outcome_word(lw[noun]))
                .flatten()
                .or(match lw[noun] {
                    // "claiming the lives of a man and a woman".
                    "murder" | "lives" => Some(Outcome::Killed),
                    "abduction" | "arrest" | "detention" => Some(Outcome::Captured),
                    _ => None,
                })
            });
        // "another person" is one besides, no part of the figure before.
        let included = !out.is_empty()
            && lw[c.first] != "another"
            && lw[..c.first]
                .iter()
                .rev()
                .take(12)
                .any(|w| matches!(*w, "including" | "among" | "whom"));
        // "... killed in Jableh on Monday, including 22 soldiers, ...": a list of people after
        // "including" shares its total's outcome, however far back that was said.
        let in_a_count = |i: usize| counts[..ci].iter().any(|k| k.first <= i && i < k.end);
        let list_after_including = included
            && has_people_noun
            && (0..c.first)
                .rev()
                .take_while(|&i| !matches!(lw[i], "including" | "among" | "whom"))
                .all(|i| {
                    let w = lw[i];
                    matches!(w, "," | "and" | "them")
                        || in_a_count(i)
                        || PEOPLE.contains(&w)
                        || VICTIM_WORDS.iter().any(|(v, _)| *v == w)
                });
        let forward_from = group_end.map_or(noun_end, |g| g.max(noun_end));
        // A part takes its total's outcome unless an outcome word stands right by it.
        let own = outcome_adjacent(&lw, c);
        let from_total = parent.filter(|_| !own).map(|p| out[p].outcome);
        // "19 combatants, one member of ISIS and five civilians ... dead": a list of counts
        // shares the outcome after its last member.
        let list_end = list_chain_end(&lw, counts, ci);
        let after_list = counts[ci + 1..]
            .iter()
            .enumerate()
            .find(|(k, n)| n.first >= list_end && groups.parent[ci + 1 + k].is_none())
            .map(|(_, n)| n.first)
            .unwrap_or(toks.len());
        // "122 bodies were found", "the bodies of 200 people": the dead.
        let bodies = head == "bodies"
            || (c.first >= 2 && lw[c.first - 1] == "of" && lw[c.first - 2] == "bodies");
        let outcome = from_total
            .or(direct)
            .or_else(|| {
                // "14 dead, of whom 6 were children": the total's own outcome word before
                // its list of parts.
                group_end
                    .and_then(|_| counts.get(ci + 1))
                    .and_then(|n| outcome_forward(&lw, toks, noun_end, n.first))
            })
            .or_else(|| outcome_forward(&lw, toks, forward_from, next_count_start))
            .or_else(|| {
                (list_end > c.end)
                    .then(|| outcome_forward(&lw, toks, list_end, after_list))
                    .flatten()
            })
            .or_else(|| bodies.then_some(Outcome::Killed))
            .or_else(|| outcome_backward(&lw, toks, c.first, counts, ci))
            .or_else(|| {
                list_after_including
                    .then(|| out.first().map(|t| t.outcome))
                    .flatten()
            })
            .or_else(|| default_outcome.filter(|_| has_people_noun));
        // "the number of dead among regime forces ... estimated at higher than 60".
        // A part's people are its own words or its total's, never the sentence's subject.
        let subject = if parent.is_none()
            && (outcome.is_none() || (!has_people_noun && !outcome_adjacent(&lw, c)))
        {
            // "It rose to 23 ... the number of deaths": the subject after a rising toll.
            let rising = c.first >= 2
                && lw[c.first - 1] == "to"
                && matches!(
                    lw[c.first - 2],
                    "rose"
                        | "risen"
                        | "rises"
                        | "rise"
                        | "reached"
                        | "climbed"
                        | "increased"
                        | "jumped"
                );
            toll_subject(&lw, c.first).or_else(|| {
                rising
                    .then(|| toll_subject(&lw, lw.len()).filter(|(_, (a, _))| *a > c.end))
                    .flatten()
            })
        } else {
            None
        };
        // "Three people were killed in Homs, two in Damascus and one in a village": a bare
        // count before "in" continues the claim before it.
        // "..., and then another person in Maala": "another" with a noun continues it too.
        let another = c.first > 0 && lw[c.first] == "another";
        let elliptic = (!has_people_noun || another)
            && direct.is_none()
            && c.first > 1
            && (matches!(lw[c.first - 1], "," | "and")
                || (lw[c.first - 1] == "then" && lw[c.first - 2] == "and"))
            && matches!(
                lw.get(noun_end + usize::from(has_people_noun)).copied(),
                Some("in" | "at" | "near")
            )
            && !out.is_empty();
        let outcome = if elliptic {
            out.last().map(|t| t.outcome)
        } else {
            outcome
        };
        let outcome = match (subject, outcome) {
            (_, Some(o)) if from_total.is_some() || direct.is_some() || elliptic => Some(o),
            (Some((o, _)), _) => Some(o),
            (None, o) if has_people_noun || outcome_adjacent(&lw, c) => o,
            _ => None,
        };
        let Some(outcome) = outcome else {
            continue;
        };
        // "Syria frees 64 detainees": a release, not a capture.
        let released = (c.first.saturating_sub(3)..c.first).any(|i| RELEASE_WORDS.contains(&lw[i]))
            || (noun_end..(noun_end + 3).min(toks.len())).any(|i| RELEASE_WORDS.contains(&lw[i]));
        if outcome == Outcome::Captured && released {
            continue;
        }
        // Victims: the words from the number to the head noun (and "from X" after it).
        let vt_end = if has_people_noun { noun_end + 1 } else { c.end };
        let mut vt_end2 = vt_end;
        if lw.get(vt_end).copied() == Some("from")
            && toks.get(vt_end + 1).is_some_and(|t| t.is_capitalized())
        {
            vt_end2 = vt_end + 2;
        }
        // "a fighter from the Islamic factions": the body they came from, when the words
        // name a side (not a place of origin, which the places read).
        if has_people_noun && lw.get(vt_end).copied() == Some("from") && vt_end2 == vt_end {
            let stop = (vt_end + 6).min(next_count_start).min(toks.len());
            let j = (vt_end + 1..stop)
                .take_while(|&j| !toks[j].is_punct() && outcome_word(lw[j]).is_none())
                .last()
                .map_or(vt_end + 1, |j| j + 1);
            if victims_of(&lw[vt_end + 1..j]) != Victims::Unknown {
                vt_end2 = j;
            }
        }
        // "regime forces and allied militias", "40 casualties among rebels": the noun
        // phrase goes on to a second people noun (not a second count's).
        if has_people_noun && matches!(lw.get(vt_end).copied(), Some("and" | "among" | "amongst")) {
            let stop = (vt_end + 4).min(next_count_start).min(toks.len());
            if let Some(j) = (vt_end + 1..stop)
                .take_while(|&j| !toks[j].is_punct())
                .find(|&j| PEOPLE.contains(&lw[j]))
            {
                vt_end2 = j + 1;
            }
        }
        // "two members of SDF", "27 of the NDF": the body they belonged to.
        if has_people_noun || lw.get(c.end).copied() == Some("of") {
            let mut k = vt_end2.max(c.end);
            if lw.get(k).copied() == Some("of") {
                let stop = (k + 5).min(next_count_start).min(toks.len());
                let mut j = k + 1;
                while j < stop
                    && !toks[j].is_punct()
                    && !CLAUSE_WORDS.contains(&lw[j])
                    && outcome_word(lw[j]).is_none()
                    && !matches!(lw[j], "were" | "was" | "in" | "on" | "at" | "and" | "who")
                {
                    j += 1;
                }
                if j > k + 1 {
                    k = j;
                    vt_end2 = k;
                }
            }
        }
        // "a member Hezbollah": a body's name right after the noun.
        if has_people_noun
            && vt_end2 == vt_end
            && toks.get(vt_end).is_some_and(|t| t.is_capitalized())
            && victims_of(&lw[vt_end..vt_end + 1]) != Victims::Unknown
        {
            vt_end2 = vt_end + 1;
        }
        let own_words =
            has_people_noun && victims_of(&lw[c.first..vt_end2.max(c.end)]) != Victims::Unknown;
        let subject = subject.filter(|_| !own_words);
        let victims_text = if let Some((_, (a, b))) = subject {
            Some(sentence[toks[a].start..toks[b - 1].end()].to_string())
        } else {
            (vt_end2 > c.end)
                .then(|| {
                    sentence[toks[c.end].start..toks[vt_end2 - 1].end()]
                        .trim()
                        .to_string()
                })
                .map(|t| t.trim_start_matches("of ").to_string())
        };
        let mut victims = victims_of(&lw[c.first..vt_end2.max(c.end)]);
        if let Some((_, (a, b))) = subject {
            victims = victims_of(&lw[a..b]);
        }
        // "regime lost 20" looks just before the count; "regime kills 17" names who killed.
        let perpetrator_before = direct.is_some()
            || c.first
                .checked_sub(1)
                .is_some_and(|i| ACTIVE_VERBS.contains(&lw[i]));
        if victims == Victims::Unknown && !perpetrator_before {
            let mut a = c.first;
            while a > 0 && c.first - a < 2 && !toks[a - 1].is_punct() {
                a -= 1;
            }
            victims = victims_of(&lw[a..c.first]);
        }
        let of_the_counted = lw.get(c.end).copied() == Some("of")
            && matches!(lw.get(c.end + 1).copied(), Some("the" | "them" | "those"))
            && (lw.get(c.end + 1).copied() == Some("them")
                || lw.get(c.end + 2).and_then(|w| outcome_word(w)).is_some());
        // "..., while 11 civilians died in Talbiseh, including three children": the part of
        // the nearest whole figure before "including".
        let nearest_whole = (0..out.len()).rev().find(|&k| out[k].part_of.is_none());
        let part_of = parent.or(included.then_some(nearest_whole).flatten());
        claim_of[ci] = Some(out.len());
        out.push(SentenceClaim {
            count: unique_count_text(sentence, toks, c),
            outcome,
            victims,
            victims_text,
            part_of,
            of_the_counted,
        });
    }
    out
}

/// The count with words enough to find it in its sentence: where its text stands earlier in
/// the sentence too ("two women ... two journalists"), the words after it up to its noun are
/// added until the first occurrence of the text is the count's own.
fn unique_count_text(sentence: &str, toks: &[Token<'_>], c: &CountMatch) -> CountMatch {
    let mut m = c.clone();
    let Some(first) = toks.get(c.first) else {
        return m;
    };
    let at = first.start;
    let last = c.end.max(c.first + 1);
    for j in last..(last + 6).min(toks.len() + 1) {
        let text = &sentence[at..toks[j - 1].end()];
        if sentence.find(text) == Some(at) {
            if j > last {
                m.count.text = text.to_string();
            }
            return m;
        }
    }
    m
}

/// "Residents" are civilians where they were killed at home ("air strikes killed 14
/// residents of Maarat al-Numan"), but "eight residents of Qardaha were killed in Deir
/// Ezzor" says where they came from, not what they were: unknown.
fn residents_far_from_home(sc: &SentenceClaim, places: &[Place]) -> Victims {
    let only_residents = sc.victims_text.as_deref().is_some_and(|t| {
        let t = t.to_lowercase();
        (t.contains("resident") || t.contains("villager"))
            && victims_of(
                &t.split_whitespace()
                    .filter(|w| !w.starts_with("resident") && !w.starts_with("villager"))
                    .collect::<Vec<_>>(),
            ) == Victims::Unknown
    });
    let origin = places.iter().find(|p| p.role == PlaceRole::Origin);
    let event = places.iter().find(|p| p.role == PlaceRole::Event);
    match (origin, event) {
        (Some(o), Some(e)) if only_residents && o.mention != e.mention => Victims::Unknown,
        _ => sc.victims,
    }
}

/// "number of dead/deaths/killed ... [among X]" or "death toll" earlier in the sentence:
/// the outcome, and the token span saying who ("regime forces and allied militias").
fn toll_subject(lw: &[&str], before: usize) -> Option<(Outcome, (usize, usize))> {
    for i in 0..before.saturating_sub(1) {
        let phrase = lw[i] == "number" && lw.get(i + 1).copied() == Some("of");
        // "the death toll", and "the toll rose to ..." with no "death" before it.
        let toll = lw[i] == "toll"
            && ((i > 0 && lw[i - 1] == "death")
                // "would bring the toll ... to 270", "raising the toll to".
                || (i > 1
                    && lw[i - 1] == "the"
                    && matches!(
                        lw[i - 2],
                        "bring" | "brings" | "brought" | "bringing" | "raise" | "raises"
                            | "raised" | "raising" | "pushed" | "pushing" | "put" | "puts"
                    ))
                || lw.get(i + 1).is_some_and(|w| {
                    matches!(
                        *w,
                        "rose"
                            | "risen"
                            | "rises"
                            | "climbed"
                            | "reached"
                            | "stands"
                            | "stood"
                            | "increased"
                            | "has"
                            | "had"
                    )
                }));
        if !(phrase || toll) {
            continue;
        }
        // "the number of deaths", "the number of civilians who were killed".
        let o = if toll {
            Some(Outcome::Killed)
        } else {
            (i + 2..(i + 14).min(before))
                .take_while(|&k| !matches!(lw[k], "," | ";" | "."))
                .find_map(|k| outcome_word(lw[k]).filter(|_| lw[k] != "toll"))
        };
        let Some(o) = o else {
            continue;
        };
        // Who: after "among" / "of" up to the next function word that ends the noun phrase.
        let from = (i..before).find(|&k| matches!(lw[k], "among" | "amongst"));
        let span = from.map(|f| {
            let a = f + 1;
            let b = (a..before)
                .find(|&k| {
                    matches!(
                        lw[k],
                        "since"
                            | "in"
                            | "during"
                            | "were"
                            | "was"
                            | "is"
                            | "are"
                            | ","
                            | "had"
                            | "has"
                            | "have"
                    )
                })
                .unwrap_or(before);
            (a, b.max(a + 1).min(before))
        });
        // Without "among": the words of the subject up to its outcome word ("the number of
        // members of the Islamic State organization who were killed").
        let subject_end = (i + 2..before.min(i + 16))
            .find(|&k| outcome_word(lw[k]).is_some() || matches!(lw[k], "," | ";"))
            .unwrap_or((i + 3).min(before));
        return Some((o, span.unwrap_or((i, subject_end.max(i + 1)))));
    }
    None
}

fn outcome_word(w: &str) -> Option<Outcome> {
    OUTCOME_WORDS
        .get_or_init(|| {
            // In order of precedence: a word in two lists keeps the first one's outcome.
            let lists: [(&[&'static str], Outcome); 5] = [
                (KILLED_WORDS, Outcome::Killed),
                (WOUNDED_WORDS, Outcome::Wounded),
                (CASUALTIES_WORDS, Outcome::KilledOrWounded),
                (CAPTURED_WORDS, Outcome::Captured),
                (MISSING_WORDS, Outcome::Missing),
            ];
            let mut map = crate::hash::FnvHashMap::default();
            for (words, outcome) in lists {
                for w in words {
                    map.entry(*w).or_insert(outcome);
                }
            }
            map
        })
        .get(w)
        .copied()
}

/// Every outcome word with its outcome, built on first use: one hash per word.
static OUTCOME_WORDS: std::sync::OnceLock<crate::hash::FnvHashMap<&'static str, Outcome>> =
    std::sync::OnceLock::new();

/// "killed and wounded" -> killed_or_wounded; otherwise the word's own outcome.
fn combine(lw: &[&str], i: usize, first: Outcome) -> Outcome {
    let joined = lw.get(i + 1).is_some_and(|w| *w == "and" || *w == "or");
    let second = lw.get(i + 2).and_then(|w| outcome_word(w));
    match (first, joined, second) {
        (Outcome::Killed, true, Some(Outcome::Wounded))
        | (Outcome::Wounded, true, Some(Outcome::Killed)) => Outcome::KilledOrWounded,
        _ => first,
    }
}

fn is_clause_break(t: &Token<'_>) -> bool {
    matches!(t.text, ";" | ":" | "—" | "–" | "(" | ")")
}

fn outcome_forward(lw: &[&str], toks: &[Token<'_>], from: usize, limit: usize) -> Option<Outcome> {
    // "two of its fighters, who were guarding a camp ..., were killed": a relative clause
    // between commas right after the noun is passed over.
    let mut start = from;
    let comma = [from, from + 1]
        .into_iter()
        .find(|&k| lw.get(k).copied() == Some(","));
    if let Some(k) = comma.filter(|&k| matches!(lw.get(k + 1).copied(), Some("who" | "which"))) {
        if let Some(close) =
            (k + 2..(k + 24).min(toks.len()).min(limit.max(from))).find(|&j| lw[j] == ",")
        {
            start = close + 1;
        }
    }
    let end = (start + 14).min(toks.len()).min(limit.max(start));
    for i in start..end {
        if is_clause_break(&toks[i]) {
            return None;
        }
        let w = lw[i];
        // "... said Hilal Assad was killed": a speaker's verb opens another statement.
        if matches!(
            w,
            "that" | "but" | "while" | "whereas" | "although" | "because" | "though"
        ) || (i > from && SAYS.contains(&w))
        {
            return None;
        }
        // "lives" and "toll" only in "lost their lives" / "death toll".
        if w == "lives" && !(i >= 2 && lw[i - 2].starts_with("lost")) {
            continue;
        }
        if w == "bodies" || w == "toll" {
            continue;
        }
        // "opened fire on thousands of protesters, killing at least six": the verb's object
        // is the next count, not this one.
        if ACTIVE_VERBS.contains(&w) && i + 1 == limit && limit < lw.len() {
            return None;
        }
        // "... and wounding the father", ", also these strikes left": a new clause with its
        // own object or subject.
        if i > from && matches!(lw[i - 1], "and" | ",") {
            let object_follows = lw.get(i + 1).is_some_and(|n| {
                matches!(
                    *n,
                    "a" | "an" | "the" | "his" | "her" | "their" | "its" | "another"
                )
            });
            if (ACTIVE_VERBS.contains(&w) && w.ends_with("ing") && object_follows)
                || (lw[i - 1] == "," && w == "also")
            {
                return None;
            }
        }
        if let Some(o) = outcome_word(w) {
            return Some(combine(lw, i, o));
        }
    }
    None
}

/// Where the list of counts that count `ci` opens ends: "19 combatants, one member of ISIS
/// and five civilians" (counts joined by commas and "and" with only their nouns between).
fn list_chain_end(lw: &[&str], counts: &[CountMatch], ci: usize) -> usize {
    let mut end = counts[ci].end;
    let mut j = ci;
    while let Some(next) = counts.get(j + 1) {
        let between = &lw[counts[j].end..next.first];
        let joined = between.iter().any(|w| *w == "," || *w == "and");
        let plain = between.len() <= 7
            && between.iter().all(|w| {
                matches!(*w, "," | "and" | "of" | "the")
                    || PEOPLE.contains(w)
                    || ONE_PERSON.contains(w)
                    || VICTIM_WORDS.iter().any(|(v, _)| v == w)
                    || w.chars().next().is_some_and(|c| c.is_alphabetic())
                        && outcome_word(w).is_none()
                        && !CLAUSE_WORDS.contains(w)
                        && !matches!(*w, "were" | "was" | "while" | "in" | "on")
            });
        if !(joined && plain) {
            break;
        }
        j += 1;
        end = next.end;
    }
    // The last member's noun phrase.
    while end < lw.len()
        && end < counts[j].end + 4
        && !matches!(lw[end], "," | "." | ";")
        && outcome_word(lw[end]).is_none()
        && !matches!(lw[end], "were" | "was" | "in" | "on" | "including")
    {
        end += 1;
    }
    end
}

fn outcome_backward(
    lw: &[&str],
    toks: &[Token<'_>],
    first: usize,
    counts: &[CountMatch],
    ci: usize,
) -> Option<Outcome> {
    // Counts listed together ("the deaths of 35 ..., 32 ... and four ...") share the word
    // before the first of them.
    let mut start = first;
    let mut j = ci;
    while j > 0 {
        let prev = &counts[j - 1];
        let between = &lw[prev.end..counts[j].first];
        // An outcome word between the two is the later count's own ("five months, killing
        // 11"): the list stops there. A long noun phrase ("14 members of the Kurdish People's
        // Protection Units (YPG) and 35 jihadists") still joins when it ends in "and".
        if let Some(k) = between.iter().rposition(|w| outcome_word(w).is_some()) {
            return Some(combine(lw, prev.end + k, outcome_word(between[k])?));
        }
        let verbless = !between
            .iter()
            .any(|w| matches!(*w, "were" | "was" | "is" | "are" | "had" | "has" | "have"));
        let joined = between.iter().any(|w| *w == "," || *w == "and");
        let ends_joined = matches!(between.last().copied(), Some("and" | ","));
        if joined && (between.len() <= 6 || (between.len() <= 14 && ends_joined && verbless)) {
            start = prev.first;
            j -= 1;
        } else {
            break;
        }
    }
    let lo = start.saturating_sub(6);
    for i in (lo..start).rev() {
        if is_clause_break(&toks[i]) {
            return None;
        }
        let w = lw[i];
        if w == "lives" || w == "bodies" {
            continue;
        }
        if let Some(o) = outcome_word(w) {
            // "toll" counts only as "death toll"; "dead" before a count ("dead 5") is rare.
            return Some(combine(lw, i, o));
        }
    }
    None
}

/// True when an outcome word touches the count: "34 killed", "killing 34", "34 dead".
fn outcome_adjacent(lw: &[&str], c: &CountMatch) -> bool {
    // Quote marks around the count ("'hundreds' had been wounded") stand between no words.
    let quote = |w: &str| matches!(w, "\"" | "'" | "´" | "`" | "“" | "”" | "‘" | "’");
    let mut a = c.end;
    while lw.get(a).is_some_and(|w| quote(w)) {
        a += 1;
    }
    let after = lw.get(a).copied().unwrap_or("");
    // "were killed", "had been wounded", "have been killed".
    let mut b = a;
    while lw
        .get(b)
        .is_some_and(|w| matches!(*w, "were" | "was" | "are" | "have" | "had" | "has" | "been"))
        && b < a + 2
    {
        b += 1;
    }
    let after2 = lw.get(b).copied().unwrap_or("");
    let mut f = c.first;
    while f > 0 && quote(lw[f - 1]) {
        f -= 1;
    }
    let before = f.checked_sub(1).map(|i| lw[i]).unwrap_or("");
    let before2 = f.checked_sub(2).map(|i| lw[i]).unwrap_or("");
    outcome_word(after).is_some()
        || (b > a && outcome_word(after2).is_some())
        || outcome_word(before).is_some()
        || (matches!(before, "to" | "at" | "of") && outcome_word(before2).is_some())
}

pub(super) fn victims_of(words: &[&str]) -> Victims {
    fn bare(w: &str) -> &str {
        w.trim_matches(|c: char| !c.is_alphanumeric() && c != '-')
    }
    for pair in words.windows(2) {
        let (a, b) = (bare(pair[0]), bare(pair[1]));
        if let Some((_, _, v)) = VICTIM_PHRASES.iter().find(|(x, y, _)| *x == a && *y == b) {
            return *v;
        }
    }
    for (w, v) in VICTIM_WORDS {
        if words.iter().any(|x| x == w) {
            return *v;
        }
    }
    Victims::Unknown
}

/// A "since" that opens a span long enough to make a running total: "since early 2024",
/// "since the start of the year", "since protests began". Not a reason ("since they ..."),
/// not a battle's span ("since the start of the battle for X": one long event), not a span
/// of days ("since Monday", "since dawn", "since the beginning of Ramadan").
fn since_a_time(lw: &[&str]) -> bool {
    let Some(i) = lw.iter().position(|w| *w == "since") else {
        return false;
    };
    let next = lw.get(i + 1).copied().unwrap_or("");
    let phrase = &lw[i + 1..(i + 6).min(lw.len())];
    let battle = phrase
        .iter()
        .any(|w| matches!(*w, "battle" | "fighting" | "clashes"));
    let days = phrase.iter().any(|w| {
        dates_word(w)
            || matches!(
                *w,
                "dawn" | "yesterday" | "night" | "week" | "ramadan" | "eid" | "weekend" | "hours"
            )
    });
    !battle
        && !days
        && !matches!(
            next,
            "it" | "they" | "he" | "she" | "we" | "you" | "i" | "there" | "then" | "," | ""
        )
}

/// Running totals: "since 2011", "since the start of the war", national figures of 20,000 or more.
fn scope_of(toks: &[Token<'_>], c: &SentenceClaim) -> Scope {
    let lw: Vec<&str> = toks.iter().map(|t| t.lw()).collect();
    for (i, w) in lw.iter().enumerate() {
        if *w == "since" {
            if let Some(next) = toks.get(i + 1) {
                if let Ok(y) = next.text.parse::<u32>() {
                    if (1900..=2100).contains(&y) {
                        return Scope::Cumulative;
                    }
                }
            }
            let phrase: Vec<&str> = lw[i + 1..(i + 7).min(lw.len())].to_vec();
            if phrase.iter().any(|x| {
                matches!(
                    *x,
                    "war" | "conflict" | "uprising" | "revolution" | "crisis"
                )
            }) {
                return Scope::Cumulative;
            }
        }
    }
    // "since early 2024", "since the start of the year", "since protests began": any
    // "since" that opens a time, not a reason ("since they ...").
    if since_a_time(&lw) {
        return Scope::Cumulative;
    }
    // "in the last five months", "over the past year", "during a whole year".
    let span_word = |x: &str| matches!(x, "months" | "month" | "years" | "year" | "weeks");
    if lw.windows(4).any(|w| {
        matches!(w[0], "in" | "over" | "during")
            && matches!(w[1], "the" | "a")
            && matches!(w[2], "last" | "past" | "whole")
            && span_word(w[3])
    }) {
        return Scope::Cumulative;
    }
    if lw.windows(5).any(|w| {
        matches!(w[0], "in" | "over" | "during")
            && matches!(w[1], "the")
            && matches!(w[2], "last" | "past")
            && span_word(w[4])
    }) {
        return Scope::Cumulative;
    }
    if c.count.count.low >= 20_000 {
        return Scope::Cumulative;
    }
    if lw
        .windows(2)
        .any(|w| w[0] == "new" && matches!(w[1], "estimate" | "tally" | "toll"))
        || lw.iter().any(|w| *w == "overall" || *w == "cumulative")
    {
        return Scope::Cumulative;
    }
    Scope::Event
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

//! The document walk: a document read sentence by sentence, with what each sentence leaves
//! for the next (the paragraph's place and speaker, the lead, the heading's outcome) and what
//! the whole document offers a claim its sentence does not complete (the headline's place,
//! the next sentence's, the town a bare "the town" stands for, the outlet).

use super::*;

/// Who says so, and where a claimant came from when the sentence does not say: the context
/// (`paragraph`, `lead`, `outlet`) and the span that named it.
type ClaimantSource = Option<(&'static str, Option<[usize; 2]>)>;

/// A document cut into sentences, each with its tokens and place mentions, and the context
/// its places are resolved in. Read-only while the document is walked.
pub(super) struct Reader<'a> {
    pub(super) doc: &'a Document,
    pub(super) gaz: &'a Gazetteer,
    pub(super) sentences: Vec<text::Sentence<'a>>,
    pub(super) analysed: Vec<(Vec<Token<'a>>, Vec<places::Mention>)>,
    /// Paragraphs of photo captions and credits: page furniture, no context for the story.
    captions: Vec<usize>,
    title_mentions: Vec<places::Mention>,
    ctx: Context,
}

impl<'a> Reader<'a> {
    /// Cuts the document and finds its place mentions and their context.
    pub(super) fn new(doc: &'a Document, gaz: &'a Gazetteer) -> Reader<'a> {
        let sentences = text::sentences(&doc.text);
        let analysed: Vec<(Vec<Token<'a>>, Vec<places::Mention>)> = sentences
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
        let captions: Vec<usize> = sentences
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
        Reader {
            doc,
            gaz,
            sentences,
            analysed,
            captions,
            title_mentions,
            ctx,
        }
    }

    /// The places of sentence `k`'s mentions that `wanted` selects.
    fn places_of(&self, k: usize, wanted: impl Fn(&places::Mention) -> bool) -> Vec<Place> {
        let (toks, mentions) = &self.analysed[k];
        resolve_mentions(self.gaz, toks, mentions, &self.ctx, wanted)
    }

    /// The byte span of sentence `k`.
    fn span(&self, k: usize) -> [usize; 2] {
        [self.sentences[k].start, self.sentences[k].end()]
    }

    /// The headline's place: the area holding its joined places, else its first Syrian
    /// local place, else its first place in Syria. The headline is the document's title,
    /// else the short lines that open the text before its first full sentence; each line is
    /// resolved once.
    fn headline_place(&self) -> Option<Located> {
        let mut headline_area: Option<Located> = None;
        let headline: Vec<Located> = if self.doc.title.is_some() {
            self.title_mentions
                .iter()
                .filter(|m| m.known)
                .map(|m| {
                    let place = m.phrase().and_then(|p| {
                        self.gaz
                            .site_place(&m.text, PlaceRole::Event, &p, &self.ctx, || None)
                    });
                    let place = place.unwrap_or_else(|| {
                        resolve(self.gaz, &m.text, PlaceRole::Event, m.kind_hint, &self.ctx)
                    });
                    (place, [0, 0])
                })
                .collect()
        } else {
            let mut found = Vec::new();
            for (k, (s, (toks, mentions))) in self
                .sentences
                .iter()
                .zip(&self.analysed)
                .enumerate()
                .take_while(|(_, (s, _))| s.paragraph <= 3 && !s.text.ends_with('.'))
                .filter(|(_, (s, _))| !self.captions.contains(&s.paragraph))
            {
                let span = self.span(k);
                let places = self.places_of(k, |_| true);
                if headline_area.is_none() {
                    headline_area =
                        context::joined_area(self.gaz, &self.ctx, s.text, toks, mentions, &places)
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
        headline_area
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
            })
    }

    /// The place of the story told on after sentence `si`: up to three sentences on; a short
    /// line with no full stop (a sidebar headline) is passed over, a sentence with figures of
    /// its own ends the search.
    fn next_sentence_place(&self, si: usize) -> Option<Located> {
        for k in si + 1..(si + 4).min(self.sentences.len()) {
            let next = &self.sentences[k];
            let toks = &self.analysed[k].0;
            let sidebar = !next.text.trim_end().ends_with(['.', '"', '”']) && toks.len() <= 16;
            if sidebar || self.captions.contains(&next.paragraph) {
                continue;
            }
            if !numbers::counts(next.text, toks).is_empty() {
                return None;
            }
            let found = self
                .places_of(k, |m| m.role != PlaceRole::Origin)
                .into_iter()
                .find(context::is_local)
                .map(|mut p| {
                    p.role = PlaceRole::Event;
                    (p, self.span(k))
                });
            if found.is_some() {
                return found;
            }
        }
        None
    }

    /// "near a school in the town": the place a bare "the town" (village, city) stands for,
    /// the latest earlier name the text calls a town, else the first later one ("... Tal
    /// Rifaat town houses many displaced"), resolved in the document's context.
    fn anaphor_place(&self, si: usize, word: &str) -> Option<Located> {
        let called = |k: usize| -> Option<usize> {
            let (toks, mentions) = &self.analysed[k];
            mentions.iter().position(|m| {
                let after = toks.get(m.end).map(|t| t.lw());
                let before = m
                    .first
                    .checked_sub(2)
                    .map(|i| (toks[i].lw(), toks[i + 1].lw()));
                m.known && (after == Some(word) || before == Some((word, "of")))
            })
        };
        let order = (0..si).rev().chain(si + 1..self.sentences.len());
        order.into_iter().find_map(|k| {
            let at = called(k)?;
            let (toks, mentions) = &self.analysed[k];
            let m = &mentions[at..=at];
            let mut p = resolve_mentions(self.gaz, toks, m, &self.ctx, |_| true).pop()?;
            context::is_local(&p).then(|| {
                p.role = PlaceRole::Event;
                (p, self.span(k))
            })
        })
    }

    /// The places of a sentence with claims; several places joined in it are mapped at the
    /// area holding them, even when that area is the whole country ("in Homs and Rif
    /// Dimashq"), and the flag says so.
    fn claim_places(&self, si: usize) -> (Vec<Place>, bool) {
        let (toks, mentions) = &self.analysed[si];
        let mut places = self.places_of(si, |_| true);
        let text = self.sentences[si].text;
        let Some(area) = context::joined_area(self.gaz, &self.ctx, text, toks, mentions, &places)
        else {
            return (places, false);
        };
        for p in places.iter_mut() {
            if p.role == PlaceRole::Event {
                p.role = PlaceRole::Mentioned;
            }
        }
        places.insert(0, area);
        (places, true)
    }
}

/// What the walk carries from sentence to sentence, and the claims found so far.
pub(super) struct Walk<'r, 'a> {
    r: &'r Reader<'a>,
    pub(super) out: Vec<Claim>,
    headline_place: Option<Located>,
    outlet_claimant: Option<String>,
    /// The first event place of the current paragraph, for sentences that name none.
    paragraph: ParagraphPlace,
    /// Who the current paragraph says is speaking, and who the lead said.
    paragraph_claimant: Option<(String, [usize; 2])>,
    lead_claimant: Option<(String, [usize; 2])>,
    /// The first place a claim of the document happened at.
    lead_place: Option<Located>,
    /// The outcome a heading gives the lines under it.
    heading_outcome: Option<Outcome>,
    claim_sentences: usize,
    /// The last sentence with claims: its index, paragraph and first claim.
    last_claims: Option<(usize, usize, usize)>,
    /// The place of the sentence after a sentence (by its index), looked up once.
    next_place: Option<(usize, Option<Located>)>,
}

/// What a sentence with claims says for all of them.
struct SentenceFacts<'s> {
    si: usize,
    span: [usize; 2],
    lw: Vec<&'s str>,
    places: Vec<Place>,
    joined: bool,
    claimant: Option<String>,
    claimant_from: ClaimantSource,
    date: crate::model::ClaimDate,
    /// "these operations", "those attacks": a figure of events an earlier sentence told.
    refers_back: bool,
    /// The sentence before dates its events as a running span ("since early 2024").
    previous_since: bool,
}

impl<'r, 'a> Walk<'r, 'a> {
    pub(super) fn new(r: &'r Reader<'a>) -> Walk<'r, 'a> {
        Walk {
            r,
            out: Vec::new(),
            headline_place: r.headline_place(),
            outlet_claimant: context::outlet_claimant(r.doc),
            paragraph: ParagraphPlace::default(),
            paragraph_claimant: None,
            lead_claimant: None,
            lead_place: None,
            heading_outcome: None,
            claim_sentences: 0,
            last_claims: None,
            next_place: None,
        }
    }

    /// Reads sentence `si`: its claims, or what it leaves for the sentences after it.
    pub(super) fn read(&mut self, si: usize) {
        let s = &self.r.sentences[si];
        if self.paragraph.paragraph != Some(s.paragraph) {
            self.paragraph = ParagraphPlace {
                paragraph: Some(s.paragraph),
                ..ParagraphPlace::default()
            };
            self.paragraph_claimant = None;
        }
        let sentence_claims = self.sentence_claims(si);
        if sentence_claims.is_empty() {
            self.without_claims(si);
        } else {
            self.with_claims(si, &sentence_claims);
        }
    }

    /// The claims the sentence rules find in sentence `si`. Every claim needs an outcome
    /// word, its own or the one a heading above gives; other sentences skip the rules.
    fn sentence_claims(&mut self, si: usize) -> Vec<SentenceClaim> {
        let s = &self.r.sentences[si];
        let toks = self.r.analysed[si].0.as_slice();
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
            self.heading_outcome = own_outcome;
        }
        // "... identified the victims as a woman and a young man": the people of the last
        // figure, one by one, with its outcome.
        let victims_named = !has_outcome_word
            && toks.windows(3).any(|w| {
                matches!(w[0].lw(), "identified" | "named")
                    && matches!(w[2].lw(), "victims" | "dead" | "deceased")
            });
        let default_outcome = self.heading_outcome.or_else(|| {
            victims_named
                .then(|| self.out.last().map(|c: &Claim| c.outcome))
                .flatten()
        });
        if has_outcome_word || default_outcome.is_some() {
            let counts = numbers::counts(s.text, toks);
            claims_in_sentence(s.text, toks, &counts, default_outcome)
        } else {
            Vec::new()
        }
    }

    /// A sentence without claims: it may tell the victims of the last claims, names a place
    /// the paragraph may need, or says who speaks for the paragraph.
    fn without_claims(&mut self, si: usize) {
        let s = &self.r.sentences[si];
        let toks = self.r.analysed[si].0.as_slice();
        // The sentence after a claim's, telling the same story with no figures: "... the
        // attack came during a service attended by worshippers".
        if let Some((k, par, first)) = self.last_claims {
            if k + 1 == si && par == s.paragraph {
                let lw: Vec<&str> = toks.iter().map(|t| t.lw()).collect();
                victims::civilian_targets(&mut self.out, first, &lw, "next_sentence");
            }
        }
        if self.paragraph.place.is_none() {
            self.paragraph.pending.push(si);
        }
        // "According to X, ..." with no figure still governs the paragraph's figures.
        if toks
            .iter()
            .any(|t| SAYS.contains(&t.lw()) || t.lw() == "according")
        {
            if let Some(c) = claimant_of(s.text, toks) {
                self.paragraph_claimant = Some((c, self.r.span(si)));
            }
        }
    }

    /// Who says so for the claims of sentence `si`: the sentence itself, else the
    /// paragraph's speaker, the lead's, the outlet.
    fn claimant(&mut self, si: usize) -> (Option<String>, ClaimantSource) {
        let s = &self.r.sentences[si];
        let toks = self.r.analysed[si].0.as_slice();
        let span = self.r.span(si);
        let own_claimant = claimant_of(s.text, toks).or_else(|| headline_claimant(s));
        if let Some(c) = &own_claimant {
            self.paragraph_claimant = Some((c.clone(), span));
            self.lead_claimant.get_or_insert((c.clone(), span));
        }
        match &own_claimant {
            Some(c) => (Some(c.clone()), None),
            None => match (
                &self.paragraph_claimant,
                &self.lead_claimant,
                &self.outlet_claimant,
            ) {
                (Some((c, sp)), _, _) => (Some(c.clone()), Some(("paragraph", Some(*sp)))),
                (None, Some((c, sp)), _) => (Some(c.clone()), Some(("lead", Some(*sp)))),
                (None, None, Some(c)) => (Some(c.clone()), Some(("outlet", None))),
                _ => (None, None),
            },
        }
    }

    /// A sentence with claims: each claim with its places, claimant, date and scope, then
    /// the links between them and what they leave for the sentences after.
    fn with_claims(&mut self, si: usize, sentence_claims: &[SentenceClaim]) {
        let r = self.r;
        let s = &r.sentences[si];
        let toks = r.analysed[si].0.as_slice();
        let span = r.span(si);
        let (places, joined) = r.claim_places(si);
        self.paragraph
            .settle(|k| (r.places_of(k, |m| m.role == PlaceRole::Event), r.span(k)));
        let first_id = self.out.len();
        let (claimant, claimant_from) = self.claimant(si);
        let lw: Vec<&str> = toks.iter().map(|t| t.lw()).collect();
        let refers_back = lw
            .windows(2)
            .any(|w| matches!(w[0], "these" | "those") && NOT_PEOPLE.contains(&w[1]));
        let previous_since = refers_back
            && si > 0
            && since_a_time(
                &r.analysed[si - 1]
                    .0
                    .iter()
                    .map(|t| t.lw())
                    .collect::<Vec<_>>(),
            );
        let facts = SentenceFacts {
            si,
            span,
            lw,
            places,
            joined,
            claimant,
            claimant_from,
            date: dates::date_of(s.text, toks, r.doc.published),
            refers_back,
            previous_since,
        };
        for sc in sentence_claims {
            let claim = self.claim(&facts, sc, first_id);
            self.out.push(claim);
        }
        let out = &mut self.out;
        // A list of parts with no total of its own breaks down an earlier total.
        if sentence_claims.len() >= 2 && !sentence_claims.iter().any(|c| c.part_of.is_some()) {
            link_breakdown(out, first_id);
        }
        inherit_total_places(out, first_id, &facts.places);
        victims::from_sentence(out, first_id, &facts.lw);
        if let Some(k) = si
            .checked_sub(1)
            .filter(|&k| r.sentences[k].paragraph == s.paragraph)
            .filter(|_| victims::wants_target_side(&out[first_id..]))
        {
            let before: Vec<&str> = r.analysed[k].0.iter().map(|t| t.lw()).collect();
            victims::target_side(out, first_id, &before, "previous_sentence");
        }
        self.last_claims = Some((si, s.paragraph, first_id));
        self.paragraph.offer(&facts.places, span);
        self.claim_sentences += 1;
        // The lead is the document's first two sentences with figures.
        if self.lead_place.is_none() && self.claim_sentences <= 2 {
            self.lead_place = self.out[first_id..]
                .iter()
                .find_map(|c| {
                    c.places
                        .iter()
                        .find(|p| p.role == PlaceRole::Event && context::is_local(p))
                })
                .map(|p| (p.clone(), span));
        }
    }

    /// One claim of a sentence, completed from the sentence's facts and the context.
    fn claim(&mut self, f: &SentenceFacts<'_>, sc: &SentenceClaim, first_id: usize) -> Claim {
        let r = self.r;
        let doc = r.doc;
        let toks = r.analysed[f.si].0.as_slice();
        let mut places = f.places.clone();
        let mut inherited = Vec::new();
        if let Some((from, span)) = f.claimant_from {
            inherited.push(crate::model::Inherited {
                field: "claimant".into(),
                from: from.into(),
                span,
            });
        }
        self.event_place(f, &mut places, &mut inherited);
        let mut scope = scope_of(toks, sc);
        // "... 75 operations since early 2024. These operations left 40 fatalities": the
        // figure of the events the sentence before dated as a running span.
        if scope == Scope::Event && f.refers_back && f.previous_since {
            scope = Scope::Cumulative;
        }
        let mut part_of = sc
            .part_of
            .and_then(|k| self.out.get(first_id + k).map(|c: &Claim| c.id.clone()));
        if sc.of_the_counted && part_of.is_none() {
            part_of = self
                .out
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
        let n = self.out.len() + 1;
        let victims = victims::state_side(
            residents_far_from_home(sc, &places),
            sc.victims_text.as_deref(),
            f.date.start.or(doc.published),
        );
        let mut date = f.date.clone();
        if scope == Scope::Cumulative && date.precision != crate::model::DatePrecision::Unknown {
            // A running total counts from its date to publication.
            if date.end < doc.published {
                date.end = doc.published;
                date.precision = crate::model::DatePrecision::Range;
            }
        }
        Claim {
            id: format!("{}#{n}", doc.id),
            doc: doc.id.clone(),
            published: doc.published,
            quote: r.sentences[f.si].text.to_string(),
            span: f.span,
            count: sc.count.count.clone(),
            outcome: sc.outcome,
            victims,
            victims_text: sc.victims_text.clone(),
            claimant: f.claimant.clone(),
            scope,
            part_of,
            date,
            places,
            inherited,
            confidence: 1.0,
            reasons: Vec::new(),
            corrections: Vec::new(),
        }
    }

    /// Makes sure a claim has an event place when one can be found: a sea, a region or a
    /// country abroad is none; a Syrian place named with no cue is one; else the town a bare
    /// "the town" stands for, else the context (paragraph, next sentence, lead, headline).
    fn event_place(
        &mut self,
        f: &SentenceFacts<'_>,
        places: &mut Vec<Place>,
        inherited: &mut Vec<crate::model::Inherited>,
    ) {
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
        let has_event = f.joined
            || places
                .iter()
                .any(|p| p.role == PlaceRole::Event && context::is_local(p));
        if has_event {
            return;
        }
        // A Syrian place named with no cue in the sentence is where it happened.
        if let Some(p) = places
            .iter_mut()
            .find(|p| p.role == PlaceRole::Mentioned && context::is_local(p))
        {
            p.role = PlaceRole::Event;
            return;
        }
        if let Some((p, sp)) =
            f.lw.windows(3)
                .find(|w| {
                    matches!(w[0], "in" | "at" | "near" | "on" | "into")
                        && w[1] == "the"
                        && matches!(w[2], "town" | "village" | "city")
                })
                .and_then(|w| self.r.anaphor_place(f.si, w[2]))
        {
            places.push(p);
            inherited.push(crate::model::Inherited {
                field: "place".into(),
                from: "anaphor".into(),
                span: Some(sp),
            });
            return;
        }
        // The next sentence, when it tells the same story with no figure of its own:
        // "... killing at least 14 people. The shells fell on X."
        let si = f.si;
        if self.paragraph.place.is_none() && self.next_place.as_ref().is_none_or(|(k, _)| *k != si)
        {
            self.next_place = Some((si, self.r.next_sentence_place(si)));
        }
        let next = self.next_place.as_ref().and_then(|(_, p)| p.as_ref());
        let from_context = self
            .paragraph
            .place
            .as_ref()
            .map(|(p, sp)| (p, *sp, "paragraph"))
            .or_else(|| next.map(|(p, sp)| (p, *sp, "next_sentence")))
            .or_else(|| self.lead_place.as_ref().map(|(p, sp)| (p, *sp, "lead")))
            .or_else(|| {
                self.headline_place
                    .as_ref()
                    .filter(|(_, sp)| *sp != f.span)
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

//! The sentence rules: the claims one sentence makes, before places, dates and context are
//! attached. A count becomes a claim when an outcome word stands in its clause ("at least 75
//! regime troops were killed", "killing 34", "the deaths of 35 government forces"); its
//! people are the words from the number to its noun, its part of a total comes from the
//! sentence's breakdown groups (`breakdown`), and its scope from "since ..." and national
//! figures.

use super::*;
/// A claim found in a sentence before places and dates are attached.
#[derive(Debug, Clone)]
pub(super) struct SentenceClaim {
    pub(super) count: CountMatch,
    pub(super) outcome: Outcome,
    pub(super) victims: Victims,
    pub(super) victims_text: Option<String>,
    /// The claim of the same sentence this one breaks down ("12, including 5 children"), by
    /// its index among the sentence's claims.
    pub(super) part_of: Option<usize>,
    /// True for "four of the wounded", "two of them": a part of an earlier total.
    pub(super) of_the_counted: bool,
}

pub(super) fn claims_in_sentence(
    sentence: &str,
    toks: &[Token<'_>],
    counts: &[CountMatch],
    default_outcome: Option<Outcome>,
) -> Vec<SentenceClaim> {
    let lw: Vec<&str> = toks.iter().map(|t| t.lw()).collect();
    let groups = breakdown::groups(&lw, counts);
    let read = Read {
        sentence,
        toks,
        lw,
        counts,
        groups,
        default_outcome,
    };
    let mut out: Vec<SentenceClaim> = Vec::new();
    // The claim each count became, by count index.
    let mut claim_of: Vec<Option<usize>> = vec![None; counts.len()];
    for (ci, c) in counts.iter().enumerate() {
        let Some(noun) = read.noun(ci) else {
            continue;
        };
        let parent = read.groups.parent[ci].and_then(|p| claim_of[p]);
        let Some(found) = read.outcome(ci, &noun, parent, &out) else {
            continue;
        };
        let lw = &read.lw;
        // "Syria frees 64 detainees": a release, not a capture.
        let released = (c.first.saturating_sub(3)..c.first).any(|i| RELEASE_WORDS.contains(&lw[i]))
            || (noun.end..(noun.end + 3).min(toks.len())).any(|i| RELEASE_WORDS.contains(&lw[i]));
        if found.outcome == Outcome::Captured && released {
            continue;
        }
        let (victims, victims_text) = read.victims(c, &noun, &found);
        let of_the_counted = lw.get(c.end).copied() == Some("of")
            && matches!(lw.get(c.end + 1).copied(), Some("the" | "them" | "those"))
            && (lw.get(c.end + 1).copied() == Some("them")
                || lw.get(c.end + 2).and_then(|w| outcome_word(w)).is_some());
        // "..., while 11 civilians died in Talbiseh, including three children": the part of
        // the nearest whole figure before "including".
        let nearest_whole = (0..out.len()).rev().find(|&k| out[k].part_of.is_none());
        let part_of = parent.or(found.included.then_some(nearest_whole).flatten());
        claim_of[ci] = Some(out.len());
        out.push(SentenceClaim {
            count: unique_count_text(sentence, toks, c),
            outcome: found.outcome,
            victims,
            victims_text,
            part_of,
            of_the_counted,
        });
    }
    out
}

/// A sentence the rules read: its text, tokens and their lower-case words, its counts and
/// their breakdown groups, and the outcome a heading above gives it.
struct Read<'a> {
    sentence: &'a str,
    toks: &'a [Token<'a>],
    lw: Vec<&'a str>,
    counts: &'a [CountMatch],
    groups: breakdown::Groups,
    default_outcome: Option<Outcome>,
}

/// The noun a count counts: where it stands and whether it names people.
struct Noun<'a> {
    /// Token index of the head noun (the count's end when none was found).
    end: usize,
    head: &'a str,
    people: bool,
}

/// What a count's outcome was read from, for the rules after it.
struct Found {
    outcome: Outcome,
    /// The sentence's subject the count's people are ("the number of dead among regime
    /// forces ... estimated at 60"), by its token span.
    subject: Option<(Outcome, (usize, usize))>,
    /// An active verb (or "the deaths of") stands right before the count.
    direct: bool,
    /// "including", "among", "whom" stands before the count.
    included: bool,
    /// Token index where the next count not in this count's breakdown starts.
    next_count_start: usize,
}

impl<'a> Read<'a> {
    /// The noun count `ci` counts, or `None` when the count is no claim: things not people
    /// ("15 villages"), digits ending a name ("France 24"), those who did the killing.
    fn noun(&self, ci: usize) -> Option<Noun<'a>> {
        let (lw, toks, c) = (&self.lw, self.toks, &self.counts[ci]);
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
            return None;
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
            return None;
        }
        // "Two gunmen ... shot dead a member": those who did the killing, the subject of an
        // active verb (not "two gunmen were killed", nor a part of a list of the dead).
        if PERPETRATORS.contains(&head) && noun_end <= c.end + 1 && self.groups.parent[ci].is_none()
        {
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
                return None;
            }
        }
        Some(Noun {
            end: noun_end,
            head,
            people: has_people_noun,
        })
    }

    /// The outcome of an active verb right before the count ("killed 20 people and wounded
    /// 35"), or of the noun the count is "of" ("the deaths of five officers").
    fn direct_outcome(&self, c: &CountMatch) -> Option<Outcome> {
        let lw = &self.lw;
        // "injured another eight", "killed the other two": the verb stands over "another".
        let verb_at = c.first.checked_sub(1).and_then(|i| {
            if matches!(lw[i], "another" | "other") {
                i.checked_sub(1)
            } else {
                Some(i)
            }
        });
        verb_at
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
                    _ => combine(lw, i, o),
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
            })
    }

    /// "the number of dead among regime forces ... estimated at higher than 60", "It rose to
    /// 23 ... the number of deaths": the toll's subject the count's people are.
    fn toll_subject_of(&self, c: &CountMatch) -> Option<(Outcome, (usize, usize))> {
        let lw = &self.lw;
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
        toll_subject(lw, c.first).or_else(|| {
            rising
                .then(|| toll_subject(lw, lw.len()).filter(|(_, (a, _))| *a > c.end))
                .flatten()
        })
    }

    /// "... killed in Jableh on Monday, including 22 soldiers, ...": a list of people after
    /// "including", which shares its total's outcome however far back that was said.
    fn list_after_including(&self, ci: usize) -> bool {
        let (lw, counts, c) = (&self.lw, self.counts, &self.counts[ci]);
        let in_a_count = |i: usize| counts[..ci].iter().any(|k| k.first <= i && i < k.end);
        (0..c.first)
            .rev()
            .take_while(|&i| !matches!(lw[i], "including" | "among" | "whom"))
            .all(|i| {
                let w = lw[i];
                matches!(w, "," | "and" | "them")
                    || in_a_count(i)
                    || PEOPLE.contains(&w)
                    || VICTIM_WORDS.iter().any(|(v, _)| *v == w)
            })
    }

    /// Token index where the next count not in count `ci`'s breakdown starts.
    fn next_count_start(&self, ci: usize) -> usize {
        let (counts, end) = (self.counts, self.toks.len());
        match self.groups.end[ci] {
            Some(g) => counts[ci + 1..]
                .iter()
                .find(|n| n.first >= g)
                .map(|n| n.first)
                .unwrap_or(end),
            None => counts.get(ci + 1).map(|n| n.first).unwrap_or(end),
        }
    }

    /// "Three people were killed in Homs, two in Damascus and one in a village": a bare
    /// count before "in" continues the claim before it; "..., and then another person in
    /// Maala": "another" with a noun continues it too.
    fn elliptic(&self, c: &CountMatch, noun: &Noun<'_>) -> bool {
        let lw = &self.lw;
        let another = c.first > 0 && lw[c.first] == "another";
        (!noun.people || another)
            && c.first > 1
            && (matches!(lw[c.first - 1], "," | "and")
                || (lw[c.first - 1] == "then" && lw[c.first - 2] == "and"))
            && matches!(
                lw.get(noun.end + usize::from(noun.people)).copied(),
                Some("in" | "at" | "near")
            )
    }

    /// The outcome of count `ci`: its total's (`parent`, a claim of `out`), an active verb
    /// right before it, else forward in the clause, else just before the count; `None` when
    /// the count is no claim. A total's breakdown ("34, including 12 children and 5 women,
    /// were killed") is passed over when its outcome is looked for.
    fn outcome(
        &self,
        ci: usize,
        noun: &Noun<'_>,
        parent: Option<usize>,
        out: &[SentenceClaim],
    ) -> Option<Found> {
        let (lw, toks, counts, c) = (&self.lw, self.toks, self.counts, &self.counts[ci]);
        let (noun_end, has_people_noun) = (noun.end, noun.people);
        let group_end = self.groups.end[ci];
        let next_count_start = self.next_count_start(ci);
        let direct = self.direct_outcome(c);
        // "another person" is one besides, no part of the figure before.
        let included = !out.is_empty()
            && lw[c.first] != "another"
            && lw[..c.first]
                .iter()
                .rev()
                .take(12)
                .any(|w| matches!(*w, "including" | "among" | "whom"));
        let list_after_including = included && has_people_noun && self.list_after_including(ci);
        let forward_from = group_end.map_or(noun_end, |g| g.max(noun_end));
        // A part takes its total's outcome unless an outcome word stands right by it.
        let own = outcome_adjacent(lw, c);
        let from_total = parent.filter(|_| !own).map(|p| out[p].outcome);
        // "19 combatants, one member of ISIS and five civilians ... dead": a list of counts
        // shares the outcome after its last member.
        let list_end = list_chain_end(lw, counts, ci);
        let after_list = counts[ci + 1..]
            .iter()
            .enumerate()
            .find(|(k, n)| n.first >= list_end && self.groups.parent[ci + 1 + k].is_none())
            .map(|(_, n)| n.first)
            .unwrap_or(toks.len());
        // "122 bodies were found", "the bodies of 200 people": the dead.
        let bodies = noun.head == "bodies"
            || (c.first >= 2 && lw[c.first - 1] == "of" && lw[c.first - 2] == "bodies");
        // "the fate of the remaining three remains unknown", "whose fate is unknown": missing.
        let fate_unknown = (c.first.saturating_sub(4)..c.first).any(|k| lw[k] == "fate")
            && (c.end..(c.end + 8).min(lw.len()))
                .take_while(|&k| !matches!(lw[k], "," | "." | ";"))
                .any(|k| lw[k] == "unknown");
        let outcome = from_total
            .or(direct)
            .or(fate_unknown.then_some(Outcome::Missing))
            .or_else(|| {
                // "14 dead, of whom 6 were children": the total's own outcome word before
                // its list of parts.
                group_end
                    .and_then(|_| counts.get(ci + 1))
                    .and_then(|n| outcome_forward(lw, toks, noun_end, n.first))
            })
            .or_else(|| outcome_forward(lw, toks, forward_from, next_count_start))
            .or_else(|| {
                (list_end > c.end)
                    .then(|| outcome_forward(lw, toks, list_end, after_list))
                    .flatten()
            })
            .or_else(|| bodies.then_some(Outcome::Killed))
            .or_else(|| outcome_backward(lw, toks, c.first, counts, ci))
            .or_else(|| {
                list_after_including
                    .then(|| out.first().map(|t| t.outcome))
                    .flatten()
            })
            .or_else(|| self.default_outcome.filter(|_| has_people_noun))
            // "those killed in the strike were all military personnel, including 1 SDF
            // leader": the outcome of the people the list is of, said before it.
            .or_else(|| {
                let at = (c.first.saturating_sub(3)..c.first).find(|&k| lw[k] == "including")?;
                (has_people_noun && out.is_empty())
                    .then(|| lw[..at].iter().rev().find_map(|w| outcome_word(w)))
                    .flatten()
            });
        // A part's people are its own words or its total's, never the sentence's subject.
        let subject = if parent.is_none()
            && (outcome.is_none() || (!has_people_noun && !outcome_adjacent(lw, c)))
        {
            self.toll_subject_of(c)
        } else {
            None
        };
        let elliptic = direct.is_none() && !out.is_empty() && self.elliptic(c, noun);
        let outcome = if elliptic {
            out.last().map(|t| t.outcome)
        } else {
            outcome
        };
        let outcome = match (subject, outcome) {
            (_, Some(o))
                if from_total.is_some() || direct.is_some() || elliptic || fate_unknown =>
            {
                Some(o)
            }
            (Some((o, _)), _) => Some(o),
            (None, o) if has_people_noun || outcome_adjacent(lw, c) => o,
            _ => None,
        }?;
        Some(Found {
            outcome,
            subject,
            direct: direct.is_some(),
            included,
            next_count_start,
        })
    }

    /// Token index one past a count's victims words: the words from the number to the head
    /// noun, and what goes on to name them ("from X", "and allied militias", "of SDF").
    fn victims_end(&self, c: &CountMatch, noun: &Noun<'_>, next_count_start: usize) -> usize {
        let (lw, toks) = (&self.lw, self.toks);
        let has_people_noun = noun.people;
        let vt_end = if has_people_noun { noun.end + 1 } else { c.end };
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
            let k = vt_end2.max(c.end);
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
                    vt_end2 = j;
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
        vt_end2
    }

    /// A count's victims and the words that say who they are: its own words, else the
    /// toll's subject, else the words just before the count.
    fn victims(&self, c: &CountMatch, noun: &Noun<'_>, found: &Found) -> (Victims, Option<String>) {
        let (lw, toks, sentence) = (&self.lw, self.toks, self.sentence);
        let vt_end2 = self.victims_end(c, noun, found.next_count_start);
        let own_words =
            noun.people && victims_of(&lw[c.first..vt_end2.max(c.end)]) != Victims::Unknown;
        let subject = found.subject.filter(|_| !own_words);
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
        let perpetrator_before = found.direct
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
        (victims, victims_text)
    }
}

/// The count with words enough to find it in its sentence: where its text stands earlier in
/// the sentence too ("two women ... two journalists"), the words after it up to its noun are
/// added until the first occurrence of the text is the count's own.
pub(super) fn unique_count_text(sentence: &str, toks: &[Token<'_>], c: &CountMatch) -> CountMatch {
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
pub(super) fn residents_far_from_home(sc: &SentenceClaim, places: &[Place]) -> Victims {
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
pub(super) fn toll_subject(lw: &[&str], before: usize) -> Option<(Outcome, (usize, usize))> {
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
        // "among" right before the count names no one: no span (it would be empty).
        let from = (i..before)
            .find(|&k| matches!(lw[k], "among" | "amongst"))
            .filter(|&f| f + 1 < before);
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

pub(super) fn outcome_word(w: &str) -> Option<Outcome> {
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
            let mut map = crate::util::hash::FnvHashMap::default();
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
pub(super) static OUTCOME_WORDS: std::sync::OnceLock<
    crate::util::hash::FnvHashMap<&'static str, Outcome>,
> = std::sync::OnceLock::new();

/// "killed and wounded" -> killed_or_wounded; otherwise the word's own outcome.
pub(super) fn combine(lw: &[&str], i: usize, first: Outcome) -> Outcome {
    let joined = lw.get(i + 1).is_some_and(|w| *w == "and" || *w == "or");
    let second = lw.get(i + 2).and_then(|w| outcome_word(w));
    match (first, joined, second) {
        (Outcome::Killed, true, Some(Outcome::Wounded))
        | (Outcome::Wounded, true, Some(Outcome::Killed)) => Outcome::KilledOrWounded,
        _ => first,
    }
}

pub(super) fn is_clause_break(t: &Token<'_>) -> bool {
    matches!(t.text, ";" | ":" | "—" | "–" | "(" | ")")
}

pub(super) fn outcome_forward(
    lw: &[&str],
    toks: &[Token<'_>],
    from: usize,
    limit: usize,
) -> Option<Outcome> {
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
pub(super) fn list_chain_end(lw: &[&str], counts: &[CountMatch], ci: usize) -> usize {
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

pub(super) fn outcome_backward(
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
pub(super) fn outcome_adjacent(lw: &[&str], c: &CountMatch) -> bool {
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
pub(super) fn since_a_time(lw: &[&str]) -> bool {
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
pub(super) fn scope_of(toks: &[Token<'_>], c: &SentenceClaim) -> Scope {
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

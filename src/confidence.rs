//! How sure tollmap is of a claim: a confidence in [0, 1] and the reasons that lowered it,
//! read from what the extractor and the resolver did (a place or claimant taken from another
//! sentence, a fuzzy or fallback place, unknown victims, a vague count ...), never from the
//! claim's own figures.

use crate::model::{Claim, Outcome, Precision, Qualifier, Reason, Scope, Victims};

/// What a reason takes off, as a share of what is left: the confidence is the product of
/// `1 - weight` over the claim's reasons. Set from how often claims with each reason were
/// wrong on hand-coded articles (BENCHMARKS.md, "Confidence"), in steps of 0.05; every
/// reason but the three mildest brings a claim to 0.8 or below.
pub fn weight(reason: Reason) -> f64 {
    match reason {
        Reason::NoPlace => 0.6,
        Reason::PlaceFromNearby => 0.35,
        Reason::FallbackPlace => 0.3,
        Reason::VictimsUnknown => 0.3,
        Reason::ClaimantFromNearby => 0.3,
        Reason::FuzzyPlace => 0.25,
        Reason::MixedOutcome => 0.25,
        Reason::CoarsePlace => 0.2,
        Reason::VictimsFromNearby => 0.2,
        Reason::VagueCount => 0.2,
        Reason::InheritedPlace => 0.1,
        Reason::WeakPlace => 0.1,
        Reason::NoClaimant => 0.1,
    }
}

/// Where a field a claim inherited came from, when that is another sentence of its
/// paragraph (the sentence before or after, or the paragraph's place): the weakest links.
fn from_nearby(c: &Claim, field: &str) -> Option<bool> {
    let mut found = None;
    for i in c.inherited.iter().filter(|i| i.field == field) {
        let nearby = matches!(
            i.from.as_str(),
            "paragraph" | "next_sentence" | "previous_sentence"
        );
        found = Some(found.unwrap_or(false) || nearby);
    }
    found
}

/// The reasons to doubt a claim, worst first. A running total needs no place: its place is
/// not judged.
pub fn reasons(c: &Claim) -> Vec<Reason> {
    let mut out = Vec::new();
    if c.scope == Scope::Event {
        match c.event_place() {
            None => out.push(Reason::NoPlace),
            Some(p) => {
                if p.is_fallback() {
                    out.push(Reason::FallbackPlace);
                }
                if p.matched.is_some() {
                    out.push(Reason::FuzzyPlace);
                }
                match from_nearby(c, "place") {
                    Some(true) => out.push(Reason::PlaceFromNearby),
                    Some(false) => out.push(Reason::InheritedPlace),
                    None => {}
                }
                if p.precision
                    .is_some_and(|x| x.code() >= Precision::DISTRICT.code())
                {
                    out.push(Reason::CoarsePlace);
                }
                if p.weak_source {
                    out.push(Reason::WeakPlace);
                }
            }
        }
    }
    if c.victims == Victims::Unknown {
        out.push(Reason::VictimsUnknown);
    } else if from_nearby(c, "victims") == Some(true) {
        out.push(Reason::VictimsFromNearby);
    }
    if c.count.qualifier == Qualifier::Vague {
        out.push(Reason::VagueCount);
    }
    if c.outcome == Outcome::KilledOrWounded {
        out.push(Reason::MixedOutcome);
    }
    if c.claimant.is_none() {
        out.push(Reason::NoClaimant);
    } else if from_nearby(c, "claimant") == Some(true) {
        out.push(Reason::ClaimantFromNearby);
    }
    out.sort_by(|a, b| weight(*b).total_cmp(&weight(*a)).then(a.cmp(b)));
    out
}

/// The confidence that `reasons` leave: the product of `1 - weight`, to two decimals.
pub fn of(reasons: &[Reason]) -> f64 {
    let left: f64 = reasons.iter().map(|r| 1.0 - weight(*r)).product();
    (left * 100.0).round() / 100.0
}

/// Reasons as the layers and tables write them: their words, space-separated.
pub fn words(reasons: &[Reason]) -> String {
    reasons
        .iter()
        .map(|r| r.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Sets a claim's reasons and confidence.
pub fn assess(c: &mut Claim) {
    c.reasons = reasons(c);
    c.confidence = of(&c.reasons);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_order_of_all_reasons_is_the_order_of_their_weights() {
        let w: Vec<f64> = Reason::ALL.iter().map(|r| weight(*r)).collect();
        assert!(w.windows(2).all(|p| p[0] >= p[1]), "{w:?}");
        // Every reason but the mildest takes a claim to 0.8 or below.
        for r in Reason::ALL {
            assert!((of(&[r]) <= 0.8) == (weight(r) >= 0.2), "{r:?}");
        }
        assert_eq!(of(&[]), 1.0);
        assert_eq!(of(&[Reason::NoPlace, Reason::VictimsUnknown]), 0.28);
    }
}

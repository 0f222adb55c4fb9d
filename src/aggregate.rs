//! Aggregation: claims summed by place and period, counted once each.
//!
//! Rules (documented in the README):
//! - Only `event`-scope claims with a resolved place of the layer's role count; running totals
//!   (`cumulative`) never enter a layer.
//! - A claim that breaks down a total (`part_of`) is not added when its total is counted.
//! - Within one document, the claims of one place, period and outcome are restatements of
//!   one figure (headline, lead and body; "75 on Thursday" inside "180 in five weeks"): the
//!   largest counts, the others are listed but not added.
//! - Within one document, a country-level claim ("Scores Killed in Syria") restates the
//!   document's more precise claims of the same outcome and period when there are any, and
//!   is not added.
//! - A claim is put in the period of its date's end (the publication date when the text
//!   gives no date); a claim with no date at all goes to the period `undated`.
//! - `*_high` is null when any claim added into it is unbounded ("at least 75").

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use jiff::civil::{Date, ISOWeekDate};

use crate::model::{Claim, Outcome, Place, PlaceRole, Scope, Victims};

/// How long a period is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Granularity {
    Day,
    Week,
    #[default]
    Month,
    Year,
}

impl Granularity {
    /// The name used on the command line and in the manifest.
    pub fn as_str(self) -> &'static str {
        match self {
            Granularity::Day => "day",
            Granularity::Week => "week",
            Granularity::Month => "month",
            Granularity::Year => "year",
        }
    }
}

/// A period of time a layer row covers.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Period {
    /// "2016-08", "2016-W31", "2016-08-04", "2016", or "undated".
    pub label: String,
    /// First day, `None` for `undated`.
    pub start: Option<Date>,
    /// Last day, `None` for `undated`.
    pub end: Option<Date>,
}

impl Granularity {
    /// Finer periods rank lower: day, week, month, year.
    fn rank(self) -> u8 {
        match self {
            Granularity::Day => 0,
            Granularity::Week => 1,
            Granularity::Month => 2,
            Granularity::Year => 3,
        }
    }
}

impl Period {
    /// The period of the given granularity that contains a day.
    pub fn containing(d: Date, g: Granularity) -> Period {
        let (label, start, end) = match g {
            Granularity::Day => (d.to_string(), d, d),
            Granularity::Week => {
                let w = ISOWeekDate::from(d);
                let start = w.first_of_week().map(|x| x.date()).unwrap_or(d);
                let end = w.last_of_week().map(|x| x.date()).unwrap_or(d);
                (format!("{:04}-W{:02}", w.year(), w.week()), start, end)
            }
            Granularity::Month => (
                format!("{:04}-{:02}", d.year(), d.month()),
                d.first_of_month(),
                d.last_of_month(),
            ),
            Granularity::Year => (
                format!("{:04}", d.year()),
                d.first_of_year(),
                d.last_of_year(),
            ),
        };
        Period {
            label,
            start: Some(start),
            end: Some(end),
        }
    }

    /// The period of claims with no date.
    pub fn undated() -> Period {
        Period {
            label: "undated".into(),
            start: None,
            end: None,
        }
    }
}

/// A low/high range summed over claims.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Range {
    /// Sum of the lows.
    pub low: u64,
    /// Sum of the highs, `None` when any was unbounded.
    pub high: Option<u64>,
    /// Whether anything was added.
    pub any: bool,
}

impl Range {
    fn add(&mut self, low: u64, high: Option<u64>) {
        if !self.any {
            self.high = Some(0);
        }
        self.any = true;
        self.low = self.low.saturating_add(low);
        self.high = match (self.high, high) {
            (Some(a), Some(b)) => Some(a.saturating_add(b)),
            _ => None,
        };
    }
}

/// One row of a layer: a place in a period with its totals.
#[derive(Debug, Clone, PartialEq)]
pub struct PlacePeriod {
    /// The place (as the first claim resolved it).
    pub place: Place,
    /// The period.
    pub period: Period,
    /// Totals by outcome.
    pub outcomes: BTreeMap<Outcome, Range>,
    /// Killed totals by victim category.
    pub killed_by_victims: BTreeMap<Victims, Range>,
    /// Ids of the claims counted.
    pub claims: Vec<String>,
    /// Ids of claims of the same documents that restate a counted figure (not added).
    pub restated: Vec<String>,
    /// Ids of the documents they came from.
    pub documents: BTreeSet<String>,
    /// Who said so.
    pub claimants: BTreeSet<String>,
}

/// Sums claims by place (of the given role) and period.
pub fn by_place_and_period(claims: &[Claim], role: PlaceRole, g: Granularity) -> Vec<PlacePeriod> {
    let counted_totals: HashSet<&str> = claims
        .iter()
        .filter(|c| c.scope == Scope::Event && c.event_place().is_some())
        .map(|c| c.id.as_str())
        .collect();
    let mut parts_of: HashMap<&str, Vec<&Claim>> = HashMap::new();
    for c in claims {
        if let Some(t) = c.part_of.as_deref() {
            if c.outcome == Outcome::Killed {
                parts_of.entry(t).or_default().push(c);
            }
        }
    }
    // Pick, per document, place, period and outcome, the claim with the largest count.
    let mut chosen: BTreeMap<(String, String, Period, Outcome), &Claim> = BTreeMap::new();
    let mut order: Vec<(String, String, Period, Outcome)> = Vec::new();
    let mut restated: HashMap<(String, String, Period, Outcome), Vec<String>> = HashMap::new();
    for c in claims {
        if c.scope != Scope::Event {
            continue;
        }
        if c.part_of
            .as_deref()
            .is_some_and(|t| counted_totals.contains(t))
        {
            continue;
        }
        let Some(place) = place_of(c, role) else {
            continue;
        };
        let Some(pid) = place.gazetteer_id.clone() else {
            continue;
        };
        // A claim known only to its month or year keeps that period rather than landing in
        // the last day's week or month (UCDP events dated by their year alone).
        let own = match c.date.precision {
            crate::model::DatePrecision::Year => Some(Granularity::Year),
            crate::model::DatePrecision::Month => Some(Granularity::Month),
            _ => None,
        };
        let g_claim = match own {
            Some(o) if o.rank() > g.rank() => o,
            _ => g,
        };
        let period = c
            .date
            .end
            .or(c.date.start)
            .map(|d| Period::containing(d, g_claim))
            .unwrap_or_else(Period::undated);
        let key = (c.doc.clone(), pid, period, c.outcome);
        restated.entry(key.clone()).or_default().push(c.id.clone());
        match chosen.get(&key) {
            None => {
                order.push(key.clone());
                chosen.insert(key, c);
            }
            Some(prev) if c.count.low > prev.count.low => {
                chosen.insert(key, c);
            }
            Some(_) => {}
        }
    }
    // Country-level claims of a document that also has more precise ones restate them.
    let precise: HashSet<(String, Period, Outcome)> = chosen
        .iter()
        .filter(|(_, c)| {
            place_of(c, role)
                .and_then(|p| p.precision)
                .is_some_and(|p| p < 6)
        })
        .map(|((doc, _, period, outcome), _)| (doc.clone(), period.clone(), *outcome))
        .collect();
    let mut rows: BTreeMap<(Period, String), PlacePeriod> = BTreeMap::new();
    for key in order {
        let c = chosen[&key];
        let country_level = place_of(c, role).and_then(|p| p.precision) == Some(6);
        if country_level && precise.contains(&(key.0.clone(), key.2.clone(), key.3)) {
            continue;
        }
        let (_, pid, period, _) = key.clone();
        let Some(place) = place_of(c, role) else {
            continue;
        };
        let row = rows
            .entry((period.clone(), pid))
            .or_insert_with(|| PlacePeriod {
                place: place.clone(),
                period,
                outcomes: BTreeMap::new(),
                killed_by_victims: BTreeMap::new(),
                claims: Vec::new(),
                restated: Vec::new(),
                documents: BTreeSet::new(),
                claimants: BTreeSet::new(),
            });
        row.outcomes
            .entry(c.outcome)
            .or_default()
            .add(c.count.low, c.count.high);
        if c.outcome == Outcome::Killed {
            // A total whose parts add up to it exactly (an event table's deaths by side) is
            // split by their victims; otherwise it counts under its own.
            let parts: Vec<&Claim> = parts_of.get(c.id.as_str()).cloned().unwrap_or_default();
            let sum = |f: fn(&Claim) -> Option<u64>| {
                parts.iter().try_fold(0u64, |acc, p| Some(acc + f(p)?))
            };
            let exact_split = !parts.is_empty()
                && sum(|p| Some(p.count.low)) == Some(c.count.low)
                && sum(|p| p.count.high) == c.count.high;
            if exact_split {
                for p in parts {
                    row.killed_by_victims
                        .entry(p.victims)
                        .or_default()
                        .add(p.count.low, p.count.high);
                }
            } else {
                row.killed_by_victims
                    .entry(c.victims)
                    .or_default()
                    .add(c.count.low, c.count.high);
            }
        }
        row.claims.push(c.id.clone());
        if let Some(others) = restated.get(&key) {
            row.restated
                .extend(others.iter().filter(|id| **id != c.id).cloned());
        }
        row.documents.insert(c.doc.clone());
        if let Some(cl) = &c.claimant {
            row.claimants.insert(cl.clone());
        }
    }
    rows.into_values().collect()
}

fn place_of(c: &Claim, role: PlaceRole) -> Option<&Place> {
    match role {
        PlaceRole::Event => c.event_place(),
        r => c
            .places
            .iter()
            .find(|p| p.role == r && p.is_resolved() && p.gazetteer_id.is_some()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::*;
    use jiff::civil::date;

    fn place(id: &str) -> Place {
        Place {
            mention: id.into(),
            role: PlaceRole::Event,
            name: Some(id.into()),
            gazetteer_id: Some(id.into()),
            lat: Some(36.0),
            lon: Some(37.0),
            admin1: Some("Aleppo".into()),
            admin2: None,
            kind: Some(PlaceKind::City),
            precision: Some(1),
        }
    }

    fn claim(id: &str, doc: &str, low: u64, high: Option<u64>, day: Date) -> Claim {
        Claim {
            id: id.into(),
            doc: doc.into(),
            published: Some(day),
            quote: String::new(),
            span: [0, 0],
            count: Count {
                low,
                high,
                text: String::new(),
                qualifier: Qualifier::Exact,
            },
            outcome: Outcome::Killed,
            victims: Victims::Civilians,
            victims_text: None,
            claimant: None,
            scope: Scope::Event,
            part_of: None,
            date: ClaimDate {
                start: Some(day),
                end: Some(day),
                precision: DatePrecision::Day,
                text: None,
            },
            places: vec![place("p1")],
        }
    }

    #[test]
    fn sums_by_place_and_month_counting_each_claim_once() {
        let d = date(2016, 8, 4);
        let mut total = claim("a#1", "a", 71, None, d);
        total.count.qualifier = Qualifier::MoreThan;
        let mut part = claim("a#2", "a", 35, Some(35), d);
        part.part_of = Some("a#1".into());
        let repeat = claim("a#3", "a", 71, None, d);
        let other = claim("b#1", "b", 5, Some(5), date(2016, 8, 20));
        let mut cumulative = claim("b#2", "b", 500_000, None, d);
        cumulative.scope = Scope::Cumulative;
        let september = claim("b#3", "b", 2, Some(2), date(2016, 9, 1));
        let rows = by_place_and_period(
            &[total, part, repeat, other, cumulative, september],
            PlaceRole::Event,
            Granularity::Month,
        );
        assert_eq!(rows.len(), 2);
        let aug = &rows[0];
        assert_eq!(aug.period.label, "2016-08");
        assert_eq!(aug.period.start, Some(date(2016, 8, 1)));
        assert_eq!(aug.period.end, Some(date(2016, 8, 31)));
        let k = aug.outcomes[&Outcome::Killed];
        assert_eq!((k.low, k.high), (76, None));
        assert_eq!(aug.claims, ["a#1", "b#1"]);
        assert_eq!(rows[1].period.label, "2016-09");
    }

    #[test]
    fn a_claim_known_to_its_year_keeps_the_year() {
        let mut c = claim("u#1", "u", 10, Some(10), date(2014, 12, 31));
        c.date.start = Some(date(2014, 1, 1));
        c.date.precision = crate::model::DatePrecision::Year;
        let rows = by_place_and_period(&[c], PlaceRole::Event, Granularity::Month);
        assert_eq!(rows[0].period.label, "2014");
        assert_eq!(rows[0].period.start, Some(date(2014, 1, 1)));
    }

    #[test]
    fn periods_of_each_granularity() {
        let d = date(2016, 8, 4);
        assert_eq!(Period::containing(d, Granularity::Day).label, "2016-08-04");
        let w = Period::containing(d, Granularity::Week);
        assert_eq!(w.label, "2016-W31");
        assert_eq!(w.start, Some(date(2016, 8, 1)));
        assert_eq!(w.end, Some(date(2016, 8, 7)));
        assert_eq!(Period::containing(d, Granularity::Year).label, "2016");
    }
}

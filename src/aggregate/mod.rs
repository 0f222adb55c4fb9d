//! Aggregation: claims grouped into events, and events summed by place, area and period.
//!
//! Rules (documented with worked examples in the README, "How claims become layer totals"):
//! - Only `event`-scope claims with a resolved event place count; running totals
//!   (`cumulative`) never enter a layer. A claim that breaks down a counted total (`part_of`)
//!   is not added: its total is.
//! - Claims that report the same deaths form one **event**: same outcome; compatible victims
//!   (equal, or one `unknown`); no two different origin places; dates that overlap once each
//!   is widened by `window_days`; places that are the same, within `distance_km`, in the same
//!   district, or a governorate and a place inside it. A country- or region-level claim joins
//!   only an event its own document reports. Every claim of an event must fit every other
//!   (no chains), and an event holds at most one row of a coded event table (UCDP, ACLED),
//!   whose rows are distinct events already.
//! - A researcher's corrections overrule the grouping: two claims linked `other_event` are
//!   never in one event, and the events of two claims linked `same_event` are merged into one
//!   (when the two links disagree, `same_event` wins).
//! - Within an event, each document's figure is its largest claim (a headline, lead and body
//!   restate one figure); the others are listed as restated. Across documents the event runs
//!   from the lowest low of the figures that cover its whole span (a sub-period's count is
//!   not a low of the whole) to the highest high (unbounded when any is).
//! - An event is counted once, in the period of its last day (`spanning` says how many of a
//!   row's events started before the row's period); a claim known only to its month or year
//!   keeps that period; an undated one goes to the period `undated`.
//! - `*_high` is null when any event added into it is unbounded ("at least 75").

mod summarise;

pub use summarise::{summarise, Summary};

use std::collections::BTreeMap;

use crate::util::hash::{FnvHashMap as HashMap, FnvHashSet as HashSet};

use jiff::civil::{Date, ISOWeekDate};
use rayon::prelude::*;

use crate::model::{Claim, Outcome, Place, PlaceRole, Precision, Provenance, Scope, Victims};

/// How long a period is.
/// Ordered from the finest (`Day`) to the coarsest (`Year`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum Granularity {
    /// A calendar day.
    Day,
    /// An ISO week, Monday first.
    Week,
    /// A calendar month.
    #[default]
    Month,
    /// A calendar year.
    Year,
}

impl Granularity {
    /// Every granularity, finest first.
    pub const ALL: [Granularity; 4] = [
        Granularity::Day,
        Granularity::Week,
        Granularity::Month,
        Granularity::Year,
    ];

    /// The granularity a name (`as_str`) stands for.
    pub fn parse(name: &str) -> Option<Granularity> {
        Granularity::ALL.into_iter().find(|g| g.as_str() == name)
    }

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

/// A few values by key, sorted by key in one small vector: a layer row has one to seven, and a
/// tree would cost a node of some 300 bytes per row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmallMap<K, V>(Vec<(K, V)>);

impl<K, V> Default for SmallMap<K, V> {
    fn default() -> Self {
        SmallMap(Vec::new())
    }
}

impl<K: Ord + Copy, V: Default> SmallMap<K, V> {
    /// The value of `k`.
    pub fn get(&self, k: &K) -> Option<&V> {
        self.0.iter().find(|(x, _)| x == k).map(|(_, v)| v)
    }

    /// The value of `k`, added as the default if absent.
    pub fn entry_or_default(&mut self, k: K) -> &mut V {
        let i = match self.0.binary_search_by(|(x, _)| x.cmp(&k)) {
            Ok(i) => i,
            Err(i) => {
                self.0.insert(i, (k, V::default()));
                i
            }
        };
        &mut self.0[i].1
    }
}

impl<'a, K, V> IntoIterator for &'a SmallMap<K, V> {
    type Item = (&'a K, &'a V);
    type IntoIter = std::iter::Map<std::slice::Iter<'a, (K, V)>, fn(&'a (K, V)) -> (&'a K, &'a V)>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter().map(|(k, v)| (k, v))
    }
}

impl<K: Ord + Copy, V: Default> std::ops::Index<&K> for SmallMap<K, V> {
    type Output = V;
    /// Panics when `k` is absent, as a map's index does.
    fn index(&self, k: &K) -> &V {
        match self.get(k) {
            Some(v) => v,
            None => panic!("no such key"),
        }
    }
}

/// How claims are grouped into events: where researchers disagree, they choose.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EventRules {
    /// Two places this close (kilometres) may be one event's.
    pub distance_km: f64,
    /// Days each claim's dates are widened by before they must overlap.
    pub window_days: i32,
    /// Whether two places of one district may be one event's.
    pub same_district: bool,
}

impl Default for EventRules {
    fn default() -> Self {
        EventRules {
            distance_km: 10.0,
            window_days: 1,
            same_district: true,
        }
    }
}

/// Claims of several documents (or one) that report the same deaths.
#[derive(Debug, Clone, PartialEq)]
pub struct Event<'c> {
    /// `event:` and the id of its first claim.
    pub id: String,
    /// What happened to the victims (each outcome is grouped apart).
    pub outcome: Outcome,
    /// The victims its claims name (`unknown` when none does).
    pub victims: Victims,
    /// Where: the most precise of its claims' event places.
    pub place: &'c Place,
    /// Where the dead came from, when its claims say: each origin place with the largest
    /// count of its claims.
    pub origins: Vec<(&'c Place, Range)>,
    /// First and last day its claims cover (`None`: undated).
    pub start: Option<Date>,
    /// Last day, when the claims give a span.
    pub end: Option<Date>,
    /// The period granularity its claims' dates allow at best (year, month or day).
    pub date_precision: crate::model::DatePrecision,
    /// The range: lowest credible low to highest high.
    pub range: Range,
    /// Killed totals by victim category (the range under the event's victims, or a coded
    /// event's exact breakdown by side).
    pub killed_by_victims: SmallMap<Victims, Range>,
    /// Ids of the claims that are their documents' figures, sorted.
    pub claims: Vec<&'c str>,
    /// Ids of the other claims of the same documents, which restate a figure.
    pub restated: Vec<&'c str>,
    /// The documents, sorted.
    pub documents: Vec<&'c str>,
    /// Who says so, sorted, each once.
    pub claimants: Vec<&'c str>,
    /// How many of its claims (figures and restatements) a corrections file changed.
    pub corrected: usize,
}

/// One row of a layer: a place (or an area) in a period with the totals of its events.
/// The row refers to its events by index into the slice it was made from, so that a claim id
/// is not copied into every row and area that counts it.
#[derive(Debug, Clone, PartialEq)]
pub struct PlacePeriod<'c> {
    /// The place (the first event's).
    pub place: &'c Place,
    /// The period.
    pub period: Period,
    /// Totals by outcome.
    pub outcomes: SmallMap<Outcome, Range>,
    /// Killed totals by victim category.
    pub killed_by_victims: SmallMap<Victims, Range>,
    /// The events counted (indices into the events).
    pub events: Vec<usize>,
    /// Events that began before this period (counted here, at their last day).
    pub spanning: usize,
}

impl<'c> PlacePeriod<'c> {
    fn new(place: &'c Place, period: Period) -> PlacePeriod<'c> {
        PlacePeriod {
            place,
            period,
            outcomes: SmallMap::default(),
            killed_by_victims: SmallMap::default(),
            events: Vec::new(),
            spanning: 0,
        }
    }

    /// Adds event `i`, with `range` in place of its own (an origin's share).
    fn add(&mut self, i: usize, e: &Event<'_>, range: Option<Range>) {
        let range = range.unwrap_or(e.range);
        self.outcomes
            .entry_or_default(e.outcome)
            .add(range.low, range.high);
        if range == e.range {
            for (v, r) in &e.killed_by_victims {
                self.killed_by_victims
                    .entry_or_default(*v)
                    .add(r.low, r.high);
            }
        } else if e.outcome == Outcome::Killed {
            self.killed_by_victims
                .entry_or_default(e.victims)
                .add(range.low, range.high);
        }
        self.events.push(i);
        if let (Some(s), Some(ps)) = (e.start, self.period.start) {
            if s < ps {
                self.spanning += 1;
            }
        }
    }

    /// The events counted, out of the slice the row was made from.
    pub fn events_of<'a>(
        &'a self,
        events: &'a [Event<'c>],
    ) -> impl Iterator<Item = &'a Event<'c>> + 'a {
        self.events.iter().filter_map(move |&i| events.get(i))
    }

    /// The ids of the claims counted (each document's figure of each event).
    pub fn claim_ids<'a>(&'a self, events: &'a [Event<'c>]) -> impl Iterator<Item = &'c str> + 'a {
        self.events_of(events)
            .flat_map(|e| e.claims.iter().copied())
    }

    /// The ids of claims that restate a counted figure (not added).
    pub fn restated_ids<'a>(
        &'a self,
        events: &'a [Event<'c>],
    ) -> impl Iterator<Item = &'c str> + 'a {
        self.events_of(events)
            .flat_map(|e| e.restated.iter().copied())
    }

    /// The documents the counted claims come from, sorted, each once.
    pub fn documents(&self, events: &[Event<'c>]) -> Vec<&'c str> {
        self.distinct(events, |e| &e.documents)
    }

    /// Who said so, sorted, each once.
    pub fn claimants(&self, events: &[Event<'c>]) -> Vec<&'c str> {
        self.distinct(events, |e| &e.claimants)
    }

    /// A list of each counted event, merged: sorted, each once.
    fn distinct(
        &self,
        events: &[Event<'c>],
        list: impl for<'e> Fn(&'e Event<'c>) -> &'e [&'c str],
    ) -> Vec<&'c str> {
        let mut v: Vec<&'c str> = self
            .events_of(events)
            .flat_map(|e| list(e).iter().copied())
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    }
}

/// Day number of a date (days since 1970-01-01), for fast interval tests.
fn day_number(d: Date) -> i32 {
    // Howard Hinnant's days_from_civil.
    let (y, m, dd) = (
        i32::from(d.year()),
        i32::from(d.month()),
        i32::from(d.day()),
    );
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + dd - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// A claim as the grouping sees it: what the grouping compares is copied in, so that it
/// reads items in order and no claim or place.
#[derive(Clone, Copy)]
struct Item<'c> {
    claim: &'c Claim,
    outcome: Outcome,
    victims: Victims,
    /// The place's precision and coordinates.
    precision: Option<Precision>,
    lat: Option<f64>,
    lon: Option<f64>,
    /// The claim's place in id order.
    rank: u32,
    place: &'c Place,
    origin: Option<&'c Place>,
    /// Day numbers of the claim's first and last day.
    days: Option<(i32, i32)>,
    /// A country- or region-level place: fits any place, within its own document.
    coarse: bool,
    coded: bool,
    /// Interned ids (equal ids, equal numbers; 0 for none) of the document, the place, its
    /// district and governorate, and the precise origin: compared as integers.
    doc: u32,
    gid: u32,
    adm2: u32,
    adm1: u32,
    origin_id: u32,
}

/// Small integers for strings, so that the grouping compares numbers.
#[derive(Default)]
struct Interner<'a> {
    ids: HashMap<&'a str, u32>,
}

impl<'a> Interner<'a> {
    /// The number of `s` (from 1); 0 for none.
    fn id(&mut self, s: Option<&'a str>) -> u32 {
        let Some(s) = s else { return 0 };
        let next = self.ids.len() as u32 + 1;
        *self.ids.entry(s).or_insert(next)
    }
}

/// An event being grouped.
struct Open {
    outcome: Outcome,
    victims: Victims,
    /// Precise origin places with the document that named each (interned ids).
    origins: Vec<(u32, u32)>,
    /// Days every member's widened dates share.
    common: Option<(i32, i32)>,
    /// The distinct precise places (index of a member holding each).
    places: Vec<usize>,
    /// The documents of the members (interned ids; few per event).
    docs: Vec<u32>,
    coded: bool,
    members: Vec<usize>,
}

fn widened(days: (i32, i32), w: i32) -> (i32, i32) {
    (days.0 - w, days.1 + w)
}

impl Item<'_> {
    /// True when the claim's place is a whole governorate.
    fn is_governorate(&self) -> bool {
        self.precision == Some(Precision::GOVERNORATE)
    }
}

/// Whether two precise places can be one event's.
fn places_fit(a: &Item<'_>, b: &Item<'_>, rules: &EventRules) -> bool {
    if a.gid != 0 && a.gid == b.gid {
        return true;
    }
    let governorate = |i: &Item<'_>| i.is_governorate();
    // A governorate and a place inside it.
    if (governorate(a) || governorate(b)) && a.adm1 != 0 && a.adm1 == b.adm1 {
        return true;
    }
    if governorate(a) || governorate(b) {
        return false;
    }
    if rules.same_district && a.adm2 != 0 && a.adm2 == b.adm2 {
        return true;
    }
    match (a.lat, a.lon, b.lat, b.lon) {
        (Some(la), Some(lo), Some(lb), Some(lob)) => {
            crate::util::geodesy::distance_km(la, lo, lb, lob) <= rules.distance_km
        }
        _ => false,
    }
}

impl Open {
    /// A new event for the item `it`, empty until it takes the item.
    fn starting(it: &Item<'_>, rules: &EventRules) -> Open {
        Open {
            outcome: it.outcome,
            victims: Victims::Unknown,
            origins: Vec::new(),
            common: it.days.map(|d| widened(d, rules.window_days)),
            places: Vec::new(),
            docs: Vec::new(),
            coded: false,
            members: Vec::new(),
        }
    }

    fn fits(
        &self,
        items: &[Item<'_>],
        it: &Item<'_>,
        rules: &EventRules,
        apart: &HashMap<u32, Vec<u32>>,
    ) -> bool {
        if self.outcome != it.outcome || (self.coded && it.coded) {
            return false;
        }
        if let Some(not_with) = apart.get(&it.rank) {
            if self
                .members
                .iter()
                .any(|&m| not_with.contains(&items[m].rank))
            {
                return false;
            }
        }
        let v = it.victims;
        if v != Victims::Unknown && self.victims != Victims::Unknown && v != self.victims {
            return false;
        }
        // Two documents naming different home villages report different dead (one document
        // may list several villages' dead under one headline count).
        if it.origin_id != 0
            && self
                .origins
                .iter()
                .any(|&(p, d)| p != it.origin_id && d != it.doc)
        {
            return false;
        }
        match (self.common, it.days) {
            (Some(c), Some(d)) => {
                let d = widened(d, rules.window_days);
                if d.1 < c.0 || c.1 < d.0 {
                    return false;
                }
            }
            // Undated claims are one event only within a document.
            (None, None) => return self.docs.contains(&it.doc),
            _ => return false,
        }
        if it.coarse {
            return self.docs.contains(&it.doc);
        }
        if self.places.is_empty() {
            // Only coarse members so far: same document only.
            return self.docs.contains(&it.doc);
        }
        self.places
            .iter()
            .all(|&k| places_fit(&items[k], it, rules))
    }

    /// Adds claim `k`; true when its place is one the event did not hold yet.
    fn take(&mut self, items: &[Item<'_>], k: usize, rules: &EventRules) -> bool {
        let it = &items[k];
        if self.victims == Victims::Unknown {
            self.victims = it.victims;
        }
        if it.origin_id != 0 {
            let entry = (it.origin_id, it.doc);
            if !self.origins.contains(&entry) {
                self.origins.push(entry);
            }
        }
        if let (Some(c), Some(d)) = (self.common, it.days) {
            let d = widened(d, rules.window_days);
            self.common = Some((c.0.max(d.0), c.1.min(d.1)));
        }
        let new_place = !it.coarse && !self.places.iter().any(|&m| items[m].gid == it.gid);
        if new_place {
            self.places.push(k);
        }
        if !self.docs.contains(&it.doc) {
            self.docs.push(it.doc);
        }
        self.coded |= it.coded;
        self.members.push(k);
        new_place
    }
}

/// The id of a claim's origin place when it is a village, town or district (not a region
/// or governorate, which hold many villages).
fn precise_origin(origin: Option<&Place>) -> Option<&str> {
    origin
        .filter(|p| p.precision.is_some_and(Precision::is_local))
        .and_then(|p| p.gazetteer_id.as_deref())
}

/// How many days before publication a claim whose text gives no date may refer to.
const UNDATED_DAYS: i32 = 7;

/// Whether a claim comes from a coded event table, whose rows are distinct events.
fn is_coded(c: &Claim) -> bool {
    Provenance::of_doc(&c.doc).is_coded()
}

/// Groups the claims that report the same deaths into events (see the module's rules).
pub fn events<'c>(claims: &'c [Claim], rules: &EventRules) -> Vec<Event<'c>> {
    events_indexed(claims, &id_order(claims), rules).0
}

/// The indices of the claims in id order (a stable sort: equal ids keep their order).
pub(crate) fn id_order(claims: &[Claim]) -> Vec<u32> {
    let mut by_id: Vec<u32> = (0..claims.len() as u32).collect();
    by_id.par_sort_by(|&a, &b| claims[a as usize].id.cmp(&claims[b as usize].id));
    by_id
}

/// `events`, given the claims' `id_order` (made once when the caller needs it too), and
/// each claim's event: its index in the events plus one, 0 for a claim in none (indexed like
/// `claims`).
pub(crate) fn events_indexed<'c>(
    claims: &'c [Claim],
    by_id: &[u32],
    rules: &EventRules,
) -> (Vec<Event<'c>>, Vec<u32>) {
    let (counted_totals, parts_of) = breakdowns(claims);
    // Each claim's place in id order: sorting by it is sorting by id, with integers.
    let mut rank = vec![0u32; claims.len()];
    for (r, &i) in by_id.iter().enumerate() {
        if let Some(x) = rank.get_mut(i as usize) {
            *x = r as u32;
        }
    }
    let mut items: Vec<Item<'c>> = Vec::with_capacity(claims.len());
    items.extend(
        claims
            .iter()
            .zip(&rank)
            .filter(|(c, _)| c.scope == Scope::Event)
            .filter(|(c, _)| {
                !c.part_of
                    .as_deref()
                    .is_some_and(|t| counted_totals.contains(t))
            })
            .filter_map(|(c, &rank)| item_of(c, rank)),
    );
    intern(&mut items);
    // The grouping order: earliest first (undated last), then by id (ranks are distinct: the
    // grouping is deterministic). The items are put in that order, so that the grouping reads
    // them one after the other.
    items.par_sort_unstable_by_key(|i| (i.days.is_none(), i.days, i.rank));
    // Each outcome's claims grouped on their own, at the same time: no event mixes outcomes.
    let mut by_outcome: Vec<(Outcome, Vec<usize>)> = Vec::new();
    for (k, it) in items.iter().enumerate() {
        let o = it.outcome;
        match by_outcome.iter_mut().find(|(x, _)| *x == o) {
            Some((_, v)) => v.push(k),
            None => by_outcome.push((o, vec![k])),
        }
    }
    let links = Links::of(claims, by_id, &counted_totals);
    let mut open: Vec<Open> = by_outcome
        .par_iter()
        .map(|(_, which)| group(&items, which, rules, &links.apart))
        .flatten()
        .collect();
    links.merge(&mut open, &items);
    // Events in the order of their ids ("event:" and the first claim's id), each finished on
    // its own, in parallel.
    let first = |e: &Open| e.members.iter().map(|&k| items[k].rank).min();
    open.par_sort_by_cached_key(first);
    let (events, event_of) = rayon::join(
        || {
            open.par_iter()
                .map(|e| finish(e, &items, &parts_of, rules))
                .collect()
        },
        || {
            // A claim's place in id order is its rank: `by_id` gives back its index.
            let mut event_of = vec![0u32; claims.len()];
            for (n, e) in open.iter().enumerate() {
                for &k in &e.members {
                    let claim = by_id.get(items[k].rank as usize).copied();
                    if let Some(slot) = claim.and_then(|c| event_of.get_mut(c as usize)) {
                        *slot = n as u32 + 1;
                    }
                }
            }
            event_of
        },
    );
    (events, event_of)
}

/// The links between claims that corrections make (`same_event`, `other_event`, kept in each
/// claim's `corrections`), by the claims' places in id order (their items' ranks).
#[derive(Default)]
struct Links {
    /// Claims never grouped together, both ways.
    apart: HashMap<u32, Vec<u32>>,
    /// Claims whose events are one.
    same: Vec<(u32, u32)>,
}

impl Links {
    /// The links the claims' corrections give. A part of a counted total stands for its
    /// total (it is counted in the total's event); a link to a claim that is gone is
    /// dropped (`corrections::apply` reports those).
    fn of(claims: &[Claim], by_id: &[u32], counted: &HashSet<&str>) -> Links {
        let mut links = Links::default();
        let rank_of = |id: &str| -> Option<u32> {
            let at = by_id
                .binary_search_by(|&i| claims[i as usize].id.as_str().cmp(id))
                .ok()?;
            let c = &claims[by_id[at] as usize];
            match c.part_of.as_deref() {
                Some(total) if counted.contains(total) => {
                    let t = by_id
                        .binary_search_by(|&i| claims[i as usize].id.as_str().cmp(total))
                        .ok()?;
                    Some(t as u32)
                }
                _ => Some(at as u32),
            }
        };
        for c in claims.iter().filter(|c| !c.corrections.is_empty()) {
            for fix in &c.corrections {
                let same = match fix.action.as_str() {
                    "same_event" => true,
                    "other_event" => false,
                    _ => continue,
                };
                let (Some(a), Some(b)) = (rank_of(&c.id), rank_of(&fix.value)) else {
                    continue;
                };
                if same {
                    links.same.push((a, b));
                } else {
                    links.apart.entry(a).or_default().push(b);
                    links.apart.entry(b).or_default().push(a);
                }
            }
        }
        links
    }

    /// Merges the events holding claims linked as one event (the merged event keeps its
    /// members in the grouping order; emptied events are removed).
    fn merge(&self, open: &mut Vec<Open>, items: &[Item<'_>]) {
        if self.same.is_empty() {
            return;
        }
        let wanted: HashSet<u32> = self.same.iter().flat_map(|&(a, b)| [a, b]).collect();
        let mut event_of: HashMap<u32, usize> = HashMap::default();
        for (n, e) in open.iter().enumerate() {
            for &k in &e.members {
                if wanted.contains(&items[k].rank) {
                    event_of.insert(items[k].rank, n);
                }
            }
        }
        // Union-find over the events, the smaller index the root.
        let mut parent: Vec<usize> = (0..open.len()).collect();
        fn root(parent: &mut [usize], mut n: usize) -> usize {
            while parent[n] != n {
                parent[n] = parent[parent[n]];
                n = parent[n];
            }
            n
        }
        for &(a, b) in &self.same {
            let (Some(&x), Some(&y)) = (event_of.get(&a), event_of.get(&b)) else {
                continue;
            };
            let (x, y) = (root(&mut parent, x), root(&mut parent, y));
            // Events of different outcomes stay apart (`corrections::apply` refuses them).
            if x != y && open[x].outcome == open[y].outcome {
                parent[x.max(y)] = x.min(y);
            }
        }
        for n in 0..open.len() {
            let r = root(&mut parent, n);
            if r == n {
                continue;
            }
            let moved = std::mem::take(&mut open[n].members);
            let docs = std::mem::take(&mut open[n].docs);
            let (victims, coded) = (open[n].victims, open[n].coded);
            let into = &mut open[r];
            into.members.extend(moved);
            into.members.sort_unstable();
            for d in docs {
                if !into.docs.contains(&d) {
                    into.docs.push(d);
                }
            }
            if into.victims == Victims::Unknown {
                into.victims = victims;
            }
            into.coded |= coded;
        }
        open.retain(|e| !e.members.is_empty());
    }
}

/// The totals that breakdowns name and that are counted themselves (their parts are not
/// counted again), and each total's parts of the killed.
#[allow(clippy::type_complexity)]
fn breakdowns(claims: &[Claim]) -> (HashSet<&str>, HashMap<&str, Vec<&Claim>>) {
    let targets: HashSet<&str> = claims.iter().filter_map(|c| c.part_of.as_deref()).collect();
    let counted_totals: HashSet<&str> = if targets.is_empty() {
        HashSet::default()
    } else {
        claims
            .iter()
            .filter(|c| targets.contains(c.id.as_str()))
            .filter(|c| c.scope == Scope::Event && c.event_place().is_some())
            .map(|c| c.id.as_str())
            .collect()
    };
    let mut parts_of: HashMap<&str, Vec<&Claim>> = HashMap::default();
    for c in claims {
        if let Some(t) = c.part_of.as_deref() {
            if c.outcome == Outcome::Killed {
                parts_of.entry(t).or_default().push(c);
            }
        }
    }
    (counted_totals, parts_of)
}

/// A claim as an item of the grouping (`rank`: its place in id order), or `None` when it
/// has no located event place; the interned ids are filled in later.
fn item_of(c: &Claim, rank: u32) -> Option<Item<'_>> {
    let place = c.event_place()?;
    place.gazetteer_id.as_ref()?;
    let days = match (c.date.start, c.date.end) {
        (Some(a), Some(b)) => Some((day_number(a), day_number(b).max(day_number(a)))),
        // No date in the text, only the publication's: the week before it.
        (None, Some(b)) => Some((day_number(b) - UNDATED_DAYS, day_number(b))),
        (Some(a), None) => Some((day_number(a), day_number(a))),
        (None, None) => None,
    };
    let origin = c
        .places
        .iter()
        .find(|p| p.role == PlaceRole::Origin && p.is_resolved());
    Some(Item {
        claim: c,
        outcome: c.outcome,
        victims: c.victims,
        precision: place.precision,
        lat: place.lat,
        lon: place.lon,
        rank,
        place,
        origin,
        days,
        coarse: place.precision.is_some_and(Precision::is_coarse),
        coded: is_coded(c),
        doc: 0,
        gid: 0,
        adm2: 0,
        adm1: 0,
        origin_id: 0,
    })
}

/// Interns the items' ids: the documents on one thread, the places on another (ids are only
/// compared within a field).
fn intern(items: &mut [Item<'_>]) {
    let (doc_ids, place_ids) = rayon::join(
        || {
            let mut names = Interner {
                ids: HashMap::with_capacity_and_hasher(items.len(), Default::default()),
            };
            let ids: Vec<u32> = items
                .iter()
                .map(|it| names.id(Some(it.claim.doc.as_str())))
                .collect();
            ids
        },
        || {
            let mut names = Interner::default();
            let ids: Vec<[u32; 4]> = items
                .iter()
                .map(|it| {
                    [
                        names.id(it.place.gazetteer_id.as_deref()),
                        names.id(it.place.admin2.as_deref()),
                        names.id(it.place.admin1.as_deref()),
                        names.id(precise_origin(it.origin)),
                    ]
                })
                .collect();
            ids
        },
    );
    for ((it, doc), [gid, adm2, adm1, origin]) in items.iter_mut().zip(doc_ids).zip(place_ids) {
        (it.doc, it.gid, it.adm2, it.adm1, it.origin_id) = (doc, gid, adm2, adm1, origin);
    }
}

/// The areas (interned ids; 0 for none) a claim's place is looked up in when it joins an
/// open event: ('a', governorate) for a governorate-level place, else its district (when
/// events keep to one) and ('g', governorate).
fn areas_to_search(it: &Item<'_>, rules: &EventRules) -> [(u8, u32); 2] {
    if it.is_governorate() {
        [(b'a', it.adm1), (b'a', 0)]
    } else {
        [
            (b'd', if rules.same_district { it.adm2 } else { 0 }),
            (b'g', it.adm1),
        ]
    }
}

/// The areas an event holding the item is filed under: ('d', district) and ('a',
/// governorate) always, ('g', governorate) when the place is the governorate itself.
fn areas_to_file(it: &Item<'_>) -> [(u8, u32); 3] {
    let governorate = if it.is_governorate() { it.adm1 } else { 0 };
    [(b'd', it.adm2), (b'a', it.adm1), (b'g', governorate)]
}

/// The most open events of one document searched for a claim of the same document.
const DOC_OPEN_EVENTS: usize = 256;

/// Of those, the document's first events (its headline and lead), always kept.
const DOC_LEAD_EVENTS: usize = 32;

/// Groups the items `which` (indices into `items`, in the grouping order) into events, each
/// claim joining the first open event it fits. Events never mix outcomes, so each outcome's
/// items are grouped on their own (and at the same time).
fn group(
    items: &[Item<'_>],
    which: &[usize],
    rules: &EventRules,
    apart: &HashMap<u32, Vec<u32>>,
) -> Vec<Open> {
    // Open events (all of one outcome), found by a grid cell of about 20 km (0.2 degree) of
    // each of their places, by district and by governorate; events no later claim can reach are
    // dropped from the lookup as the days advance.
    let mut open: Vec<Open> = Vec::new();
    let mut by_cell: HashMap<(i32, i32), Vec<usize>> = HashMap::default();
    // Areas: ('d', district) for every event, ('g', governorate) for events holding a
    // governorate-level place, ('a', governorate) for every event.
    let mut by_area: HashMap<(u8, u32), Vec<usize>> = HashMap::default();
    let areas_to_search = |it: &Item<'_>| areas_to_search(it, rules);
    // Open events by document: documents are numbered densely from 1.
    let docs = which
        .iter()
        .map(|&k| items[k].doc as usize)
        .max()
        .unwrap_or(0);
    let mut by_doc: Vec<Vec<usize>> = vec![Vec::new(); docs + 1];
    let cell_of = |it: &Item<'_>| -> (i32, i32) {
        (
            (it.lat.unwrap_or(0.0) * 5.0).floor() as i32,
            (it.lon.unwrap_or(0.0) * 5.0).floor() as i32,
        )
    };
    // Cells to search either side: enough for `distance_km` (a cell is at least 17 km wide
    // in Syria's latitudes).
    let reach = ((rules.distance_km / 17.0).ceil() as i32).clamp(1, 20);
    let mut candidates: Vec<usize> = Vec::new();
    // A coded row joins only an event of texts' claims: with no text among the items (an
    // event table alone), every row is its own event and nothing need be looked up or filed.
    let texts = which.iter().any(|&k| !items[k].coded);
    for &k in which {
        let it = &items[k];
        if !texts {
            let mut e = Open::starting(it, rules);
            e.take(items, k, rules);
            open.push(e);
            continue;
        }
        candidates.clear();
        let alive = |e: &Open| match (e.common, it.days) {
            (Some(c), Some(d)) => c.1 >= d.0 - rules.window_days,
            _ => true,
        };
        let gather = |list: Option<&mut Vec<usize>>, candidates: &mut Vec<usize>| {
            if let Some(list) = list {
                list.retain(|&e| alive(&open[e]));
                candidates.extend(list.iter().copied());
            }
        };
        gather(by_doc.get_mut(it.doc as usize), &mut candidates);
        if !it.coarse {
            let (ci, cj) = cell_of(it);
            for di in -reach..=reach {
                for dj in -reach..=reach {
                    gather(by_cell.get_mut(&(ci + di, cj + dj)), &mut candidates);
                }
            }
            for (kind, area) in areas_to_search(it) {
                if area != 0 {
                    gather(by_area.get_mut(&(kind, area)), &mut candidates);
                }
            }
        }
        candidates.sort_unstable();
        candidates.dedup();
        let found = candidates
            .iter()
            .copied()
            .find(|&e| open[e].fits(items, it, rules, apart));
        let e = match found {
            Some(e) => e,
            None => {
                open.push(Open::starting(it, rules));
                open.len() - 1
            }
        };
        let new_place = open[e].take(items, k, rules);
        // Filing an event in a list: a repeat is dropped when the candidates are gathered;
        // a list that doubles is cleared of events no later claim can reach (lists that are
        // rarely searched, such as all the events of a governorate, stay short).
        let now = it.days.map(|d| d.0 - rules.window_days);
        let file = |list: &mut Vec<usize>, open: &[Open]| {
            if list.last() != Some(&e) {
                list.push(e);
            }
            if list.len() >= 64 && list.len().is_power_of_two() {
                list.retain(|&k| match (open[k].common, now) {
                    (Some(c), Some(n)) => c.1 >= n,
                    _ => true,
                });
            }
        };
        if let Some(list) = by_doc.get_mut(it.doc as usize) {
            file(list, &open);
            // A document restates its own figures near them or in its lead: past
            // DOC_OPEN_EVENTS, its first events and its latest stay searchable, so that one
            // very long document is not grouped in quadratic time.
            if list.len() > DOC_OPEN_EVENTS {
                list.drain(DOC_LEAD_EVENTS..list.len() - (DOC_OPEN_EVENTS - DOC_LEAD_EVENTS));
            }
        }
        if new_place {
            let cell = cell_of(it);
            file(by_cell.entry(cell).or_default(), &open);
            for (kind, area) in areas_to_file(it) {
                if area == 0 {
                    continue;
                }
                file(by_area.entry((kind, area)).or_default(), &open);
            }
        }
    }
    open
}

/// An open event's members made into its figures, range and breakdown.
fn finish<'c>(
    e: &Open,
    items: &[Item<'c>],
    parts_of: &HashMap<&str, Vec<&Claim>>,
    rules: &EventRules,
) -> Event<'c> {
    let members: Vec<&Item<'_>> = e.members.iter().map(|&k| &items[k]).collect();
    // Each document's figure: its largest claim, or the sum of its claims about different
    // home villages when that is larger ("eight from A" and "three from B" add up).
    // Members by document (interned ids; a stable sort keeps each document's claims in the
    // grouping order); the figures sorted by document.
    let mut by_doc = members.clone();
    by_doc.sort_by_key(|it| it.doc);
    let mut figures: Vec<(&'c str, Figure<'_, 'c>)> = by_doc
        .chunk_by(|a, b| a.doc == b.doc)
        .map(|list| (list[0].claim.doc.as_str(), document_figure(list)))
        .collect();
    figures.sort_unstable_by(|a, b| a.0.cmp(b.0));
    let figure_list = || figures.iter().map(|(_, f)| f);
    let range = event_range(&figures, &members, rules);
    // The place: the most precise, then the most claimed, then the smallest id.
    let place = members
        .iter()
        .filter(|i| !i.coarse)
        .chain(members.iter())
        .min_by(|a, b| {
            let key = |i: &Item<'c>| {
                (
                    i.place.precision.map_or(9, Precision::code),
                    i.place.gazetteer_id.as_deref(),
                )
            };
            key(a).cmp(&key(b))
        })
        .map(|i| i.place)
        .unwrap_or(members[0].place);
    let origins = event_origins(&members);
    let mut claims: Vec<&'c str> = figure_list()
        .flat_map(|f| f.claims.iter().map(|i| i.claim.id.as_str()))
        .collect();
    claims.sort_unstable();
    let mut restated: Vec<&'c str> = members
        .iter()
        .map(|i| i.claim.id.as_str())
        .filter(|id| !claims.contains(id))
        .collect();
    restated.sort();
    let killed_by_victims = if e.outcome == Outcome::Killed {
        killed_by_victims(e.victims, &figures, parts_of, &range)
    } else {
        SmallMap::default()
    };
    // The coarsest precision every member shares (a year-only table row stays a year).
    use crate::model::DatePrecision as P;
    let coarse_rank = |p: P| match p {
        P::Year => 2,
        P::Month => 1,
        _ => 0,
    };
    let date_precision = members
        .iter()
        .map(|i| i.claim.date.precision)
        .min_by_key(|p| coarse_rank(*p))
        .unwrap_or(P::Unknown);
    let first = members
        .iter()
        .min_by_key(|i| i.rank)
        .map(|i| i.claim.id.as_str())
        .unwrap_or_default();
    let mut claimants: Vec<&'c str> = figure_list()
        .flat_map(|f| f.claims.iter().filter_map(|i| i.claim.claimant.as_deref()))
        .collect();
    claimants.sort_unstable();
    claimants.dedup();
    Event {
        id: format!("event:{first}"),
        outcome: e.outcome,
        victims: e.victims,
        place,
        origins,
        start: members
            .iter()
            .filter_map(|i| i.claim.date.start.or(i.claim.date.end))
            .min(),
        end: members
            .iter()
            .filter_map(|i| i.claim.date.end.or(i.claim.date.start))
            .max(),
        date_precision,
        range,
        killed_by_victims,
        claims,
        restated,
        documents: figures.iter().map(|(d, _)| *d).collect(),
        claimants,
        corrected: members
            .iter()
            .filter(|i| !i.claim.corrections.is_empty())
            .count(),
    }
}

/// An event's range from its documents' figures: the lowest figure of a document whose
/// claims all cover the event's days (else the highest low), up to the highest high.
fn event_range(
    figures: &[(&str, Figure<'_, '_>)],
    members: &[&Item<'_>],
    rules: &EventRules,
) -> Range {
    let figure_list = || figures.iter().map(|(_, f)| f);
    let span = members
        .iter()
        .filter_map(|i| i.days)
        .reduce(|a, b| (a.0.min(b.0), a.1.max(b.1)));
    let covers = |it: &Item<'_>| match (it.days, span) {
        (Some(d), Some(s)) => {
            let d = widened(d, rules.window_days);
            d.0 <= s.0 && s.1 <= d.1
        }
        _ => true,
    };
    let covering_low = figure_list()
        .filter(|f| f.claims.iter().all(|i| covers(i)))
        .map(|f| f.low)
        .min();
    let low = covering_low
        .or_else(|| figure_list().map(|f| f.low).max())
        .unwrap_or(0);
    let high = figure_list()
        .map(|f| f.high)
        .try_fold(low, |acc, h| Some(acc.max(h?)));
    Range {
        low,
        high,
        any: true,
    }
}

/// The places an event's dead came from, each with its largest figure, by gazetteer id.
fn event_origins<'c>(members: &[&Item<'c>]) -> Vec<(&'c Place, Range)> {
    let mut origins: Vec<(&'c Place, Range)> = Vec::new();
    for it in members {
        let Some(o) = it.origin.filter(|o| o.gazetteer_id.is_some()) else {
            continue;
        };
        let (low, high) = (it.claim.count.low, it.claim.count.high);
        match origins
            .iter_mut()
            .find(|(p, _)| p.gazetteer_id == o.gazetteer_id)
        {
            Some((_, r)) if low > r.low => {
                *r = Range {
                    low,
                    high,
                    any: true,
                }
            }
            Some(_) => {}
            None => origins.push((
                o,
                Range {
                    low,
                    high,
                    any: true,
                },
            )),
        }
    }
    origins.sort_by(|a, b| a.0.gazetteer_id.cmp(&b.0.gazetteer_id));
    origins
}

/// An event's killed by victims: a single figure whose parts add up to it exactly (a coded
/// event's deaths by side) is split by their victims; otherwise the range counts under the
/// event's `victims`.
fn killed_by_victims(
    victims: Victims,
    figures: &[(&str, Figure<'_, '_>)],
    parts_of: &HashMap<&str, Vec<&Claim>>,
    range: &Range,
) -> SmallMap<Victims, Range> {
    let figure_list = || figures.iter().map(|(_, f)| f);
    let mut killed_by_victims: SmallMap<Victims, Range> = SmallMap::default();
    // A single figure whose parts add up to it exactly (a coded event's deaths by
    // side) is split by their victims; otherwise the range counts under the victims.
    let single = (figures.len() == 1)
        .then(|| figure_list().next())
        .flatten()
        .filter(|f| f.claims.len() == 1)
        .map(|f| f.claims[0].claim);
    let parts: Vec<&Claim> = single
        .and_then(|c| parts_of.get(c.id.as_str()).cloned())
        .unwrap_or_default();
    let sum =
        |f: fn(&Claim) -> Option<u64>| parts.iter().try_fold(0u64, |acc, p| Some(acc + f(p)?));
    let exact_split = single.is_some_and(|c| {
        !parts.is_empty()
            && sum(|p| Some(p.count.low)) == Some(c.count.low)
            && sum(|p| p.count.high) == c.count.high
    });
    if exact_split {
        for p in parts {
            killed_by_victims
                .entry_or_default(p.victims)
                .add(p.count.low, p.count.high);
        }
    } else {
        killed_by_victims
            .entry_or_default(victims)
            .add(range.low, range.high);
    }
    killed_by_victims
}

/// What one document says of an event: a range and the claims it comes from.
struct Figure<'a, 'c> {
    low: u64,
    high: Option<u64>,
    claims: Vec<&'a Item<'c>>,
}

/// A document's figure for an event: its largest claim (of equal ones, the first in the
/// text), or the sum of the largest claim of each home village it names when that is larger.
fn document_figure<'a, 'c>(list: &[&'a Item<'c>]) -> Figure<'a, 'c> {
    let largest = list.iter().copied().max_by(|a, b| {
        (
            a.claim.count.low,
            a.claim.count.high.is_none(),
            b.claim.span[0],
            &b.claim.id,
        )
            .cmp(&(
                b.claim.count.low,
                b.claim.count.high.is_none(),
                a.claim.span[0],
                &a.claim.id,
            ))
    });
    let single = match largest {
        Some(l) => Figure {
            low: l.claim.count.low,
            high: l.claim.count.high,
            claims: vec![l],
        },
        None => Figure {
            low: 0,
            high: Some(0),
            claims: Vec::new(),
        },
    };
    let mut by_origin: BTreeMap<&str, &'a Item<'c>> = BTreeMap::new();
    for it in list {
        if let Some(o) = precise_origin(it.origin) {
            match by_origin.get(o) {
                Some(prev) if prev.claim.count.low >= it.claim.count.low => {}
                _ => {
                    by_origin.insert(o, it);
                }
            }
        }
    }
    if by_origin.len() < 2 {
        return single;
    }
    let low: u64 = by_origin.values().map(|i| i.claim.count.low).sum();
    if low <= single.low {
        return single;
    }
    Figure {
        low,
        high: by_origin
            .values()
            .try_fold(0u64, |acc, i| Some(acc + i.claim.count.high?)),
        claims: by_origin.into_values().collect(),
    }
}

/// The period an event is counted in: the one containing its last day, at the granularity
/// asked or the coarser one its dates allow.
pub fn period_of(e: &Event<'_>, g: Granularity) -> Period {
    match period_day(e, g) {
        (g, Some(d)) => Period::containing(d, g),
        (_, None) => Period::undated(),
    }
}

/// The granularity of an event's period (its own when its date is coarser than `g`) and the
/// day that places it, `None` when undated.
fn period_day(e: &Event<'_>, g: Granularity) -> (Granularity, Option<Date>) {
    let own = match e.date_precision {
        crate::model::DatePrecision::Year => Some(Granularity::Year),
        crate::model::DatePrecision::Month => Some(Granularity::Month),
        _ => None,
    };
    let g = match own {
        Some(o) if o > g => o,
        _ => g,
    };
    (g, e.end.or(e.start))
}

/// The periods of a list of events (`period_of`), worked out once for all the sums: the
/// distinct periods in order, and each event's as an index into them.
#[derive(Debug, Clone, Default)]
pub(crate) struct EventPeriods {
    /// The distinct periods, sorted (the rows' order).
    pub list: Vec<Period>,
    /// Each event's period: an index into `list`.
    pub of: Vec<u32>,
}

impl EventPeriods {
    /// The periods of `events` at granularity `g`. Labels are made once per distinct day,
    /// not once per event and sum.
    pub fn new(events: &[Event<'_>], g: Granularity) -> EventPeriods {
        let keys: Vec<(Granularity, Option<Date>)> =
            events.iter().map(|e| period_day(e, g)).collect();
        let mut days = keys.clone();
        days.sort_unstable();
        days.dedup();
        let periods: Vec<Period> = days
            .iter()
            .map(|&(g, d)| d.map_or_else(Period::undated, |d| Period::containing(d, g)))
            .collect();
        let mut list = periods.clone();
        list.sort();
        list.dedup();
        let index_of_day: Vec<u32> = periods
            .iter()
            .map(|p| list.binary_search(p).unwrap_or(0) as u32)
            .collect();
        let of = keys
            .iter()
            .map(|k| days.binary_search(k).map_or(0, |i| index_of_day[i]))
            .collect();
        EventPeriods { list, of }
    }

    fn period(&self, i: usize) -> (u32, &Period) {
        let k = self.of.get(i).copied().unwrap_or(0);
        (k, &self.list[k as usize])
    }
}

/// Sums events by place (the event place, or the origin for `PlaceRole::Origin`) and period.
#[cfg(test)]
fn by_place_and_period<'c>(
    events: &[Event<'c>],
    role: PlaceRole,
    g: Granularity,
) -> Vec<PlacePeriod<'c>> {
    by_place_and_period_in(events, role, &EventPeriods::new(events, g))
}

/// `by_place_and_period`, with the events' periods worked out.
pub(crate) fn by_place_and_period_in<'c>(
    events: &[Event<'c>],
    role: PlaceRole,
    periods: &EventPeriods,
) -> Vec<PlacePeriod<'c>> {
    // Rows by period (its index: periods are sorted) and place id, in the order they begin.
    let mut index: HashMap<(u32, &'c str), usize> = HashMap::default();
    let mut rows: Vec<((u32, &'c str), PlacePeriod<'c>)> = Vec::new();
    let mut add = |key: (u32, &'c str), place: &'c Place, period: &Period, i, e, range| {
        let k = *index.entry(key).or_insert_with(|| {
            rows.push((key, PlacePeriod::new(place, period.clone())));
            rows.len() - 1
        });
        rows[k].1.add(i, e, range);
    };
    for (i, e) in events.iter().enumerate() {
        let (k, period) = periods.period(i);
        if role == PlaceRole::Origin {
            // Each home village with the count of its own dead.
            for (p, r) in &e.origins {
                if let Some(pid) = p.gazetteer_id.as_deref() {
                    add((k, pid), p, period, i, e, Some(*r));
                }
            }
            continue;
        }
        if let Some(pid) = e.place.gazetteer_id.as_deref() {
            add((k, pid), e.place, period, i, e, None);
        }
    }
    // Keys are distinct: the order is fixed.
    rows.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    rows.into_iter().map(|(_, r)| r).collect()
}

/// Sums events by area and period, with `area_of` naming each event's area (an index into
/// the caller's `areas` areas); events in no area are left out and counted in the answer.
/// Every area has a row in every period of the events, zeros included, so that a map of one
/// period has no holes where nobody died.
pub(crate) fn by_area_and_period_in<'c>(
    events: &[Event<'c>],
    periods: &EventPeriods,
    areas: usize,
    mut area_of: impl FnMut(&Event<'c>) -> Option<usize>,
) -> (Vec<(usize, PlacePeriod<'c>)>, usize) {
    let mut rows: BTreeMap<(usize, u32), PlacePeriod<'c>> = BTreeMap::new();
    let mut outside = 0;
    for (i, e) in events.iter().enumerate() {
        let Some(a) = area_of(e) else {
            outside += 1;
            continue;
        };
        let (k, period) = periods.period(i);
        rows.entry((a, k))
            .or_insert_with(|| PlacePeriod::new(e.place, period.clone()))
            .add(i, e, None);
    }
    // The rows of no event: an area's row stands for the area, not a place.
    static NOWHERE: std::sync::OnceLock<Place> = std::sync::OnceLock::new();
    let nowhere = NOWHERE.get_or_init(|| Place::unresolved("", PlaceRole::Event));
    for a in 0..areas {
        for (k, period) in periods.list.iter().enumerate() {
            rows.entry((a, k as u32))
                .or_insert_with(|| PlacePeriod::new(nowhere, period.clone()));
        }
    }
    (
        rows.into_iter().map(|((a, _), r)| (a, r)).collect(),
        outside,
    )
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
            precision: Some(Precision::EXACT),
            near: None,
            radius_m: None,
            weak_source: false,
            matched: None,
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
            inherited: vec![],
            confidence: 1.0,
            reasons: vec![],
            corrections: vec![],
        }
    }

    fn at(mut c: Claim, id: &str, lat: f64, lon: f64, admin2: &str, precision: u8) -> Claim {
        let p = &mut c.places[0];
        p.gazetteer_id = Some(id.into());
        p.name = Some(id.into());
        p.lat = Some(lat);
        p.lon = Some(lon);
        p.admin2 = Some(admin2.into());
        p.precision = Precision::new(precision);
        c
    }

    fn grouped(claims: &[Claim]) -> Vec<Vec<String>> {
        events(claims, &EventRules::default())
            .into_iter()
            .map(|e| {
                let mut ids: Vec<String> = e
                    .claims
                    .into_iter()
                    .chain(e.restated)
                    .map(str::to_string)
                    .collect();
                ids.sort();
                ids
            })
            .collect()
    }

    #[test]
    fn three_documents_reporting_one_event_give_one_event() {
        let d = date(2016, 8, 4);
        let a = claim("a#1", "a", 12, Some(12), d);
        let mut b = claim("b#1", "b", 15, None, date(2016, 8, 5));
        b.victims = Victims::Unknown;
        // Reported next day from a neighbourhood 3 km away.
        let c = at(
            claim("c#1", "c", 14, Some(14), d),
            "p2",
            36.02,
            37.01,
            "Jebel Saman",
            1,
        );
        let claims = [a, b, c];
        let ev = events(&claims, &EventRules::default());
        assert_eq!(ev.len(), 1, "{ev:#?}");
        let e = &ev[0];
        assert_eq!(e.claims, ["a#1", "b#1", "c#1"]);
        assert_eq!(e.documents.len(), 3);
        // Lowest low to highest high: 12, unbounded (b says "at least 15").
        assert_eq!((e.range.low, e.range.high), (12, None));
        assert_eq!(e.victims, Victims::Civilians);
        let rows = by_place_and_period(&ev, PlaceRole::Event, Granularity::Month);
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].outcomes[&Outcome::Killed].low, 12);
    }

    #[test]
    fn what_keeps_claims_apart() {
        let d = date(2016, 8, 4);
        let base = || claim("a#1", "a", 10, Some(10), d);
        let cases: Vec<(&str, Claim, bool)> = vec![
            (
                "same place, same day",
                claim("b#1", "b", 9, Some(9), d),
                true,
            ),
            (
                "two days later",
                claim("b#1", "b", 9, Some(9), date(2016, 8, 6)),
                true,
            ),
            (
                "three days later",
                claim("b#1", "b", 9, Some(9), date(2016, 8, 7)),
                false,
            ),
            (
                "wounded",
                {
                    let mut c = claim("b#1", "b", 9, Some(9), d);
                    c.outcome = Outcome::Wounded;
                    c
                },
                false,
            ),
            (
                "other victims",
                {
                    let mut c = claim("b#1", "b", 9, Some(9), d);
                    c.victims = Victims::ProGovernment;
                    c
                },
                false,
            ),
            (
                "8 km away, other district",
                at(claim("b#1", "b", 9, Some(9), d), "p3", 36.07, 37.0, "X", 1),
                true,
            ),
            (
                "30 km away, other district",
                at(claim("b#1", "b", 9, Some(9), d), "p3", 36.27, 37.0, "X", 1),
                false,
            ),
            (
                "30 km away, same district",
                at(claim("b#1", "b", 9, Some(9), d), "p3", 36.27, 37.0, "D", 1),
                true,
            ),
            (
                "other origin",
                {
                    let mut c = claim("b#1", "b", 9, Some(9), d);
                    let mut o = place("o2");
                    o.role = PlaceRole::Origin;
                    c.places.push(o);
                    c
                },
                false,
            ),
            (
                "undated, other document",
                {
                    let mut c = claim("b#1", "b", 9, Some(9), d);
                    c.date = ClaimDate::unknown(None);
                    c
                },
                false,
            ),
        ];
        for (what, other, together) in cases {
            let mut a = base();
            a.places[0].admin2 = Some("D".into());
            let mut o1 = place("o1");
            o1.role = PlaceRole::Origin;
            a.places.push(o1);
            let g = grouped(&[a, other]);
            assert_eq!(g.len() == 1, together, "{what}: {g:?}");
        }
        // One document listing the dead of two villages, under a headline count: one event,
        // the larger of the headline and the villages' sum; each village in the origins.
        let mut a = claim("a#1", "a", 8, Some(8), d);
        let mut b = claim("a#2", "a", 3, Some(3), d);
        for (c, o) in [(&mut a, "o1"), (&mut b, "o2")] {
            let mut p = place(o);
            p.role = PlaceRole::Origin;
            c.places.push(p);
        }
        let mut headline = claim("a#3", "a", 24, Some(99), d);
        headline.date.start = None;
        let claims = [a.clone(), b.clone()];
        let ev = events(&claims, &EventRules::default());
        assert_eq!(ev.len(), 1);
        assert_eq!((ev[0].range.low, ev[0].range.high), (11, Some(11)));
        let claims = [a, b, headline];
        let ev = events(&claims, &EventRules::default());
        assert_eq!(ev.len(), 1);
        assert_eq!((ev[0].range.low, ev[0].range.high), (24, Some(99)));
        let origins = by_place_and_period(&ev, PlaceRole::Origin, Granularity::Month);
        let o: Vec<(String, u64)> = origins
            .iter()
            .map(|r| {
                (
                    r.place.name.clone().unwrap_or_default(),
                    r.outcomes[&Outcome::Killed].low,
                )
            })
            .collect();
        assert_eq!(o, [("o1".to_string(), 8), ("o2".to_string(), 3)]);
    }

    #[test]
    fn no_chains_and_coded_rows_stay_apart() {
        // Daily reports at one place: each day fits the next, but not the first the third.
        let days: Vec<Claim> = (1..=6)
            .map(|i| {
                claim(
                    &format!("d{i}#1"),
                    &format!("d{i}"),
                    5,
                    Some(5),
                    date(2016, 8, i),
                )
            })
            .collect();
        let g = grouped(&days);
        assert!(g.len() >= 2, "{g:?}");
        assert!(g.iter().all(|e| e.len() <= 3), "{g:?}");
        // Two UCDP events at one place and day are two events; a text claim joins one.
        let u1 = claim("ucdp:1#1", "ucdp:1", 4, Some(4), date(2016, 8, 4));
        let u2 = claim("ucdp:2#1", "ucdp:2", 6, Some(6), date(2016, 8, 4));
        let t = claim("t#1", "t", 6, Some(6), date(2016, 8, 4));
        let g = grouped(&[u1, u2, t]);
        assert_eq!(g.len(), 2, "{g:?}");
        let coded = [
            claim("ucdp:1#1", "ucdp:1", 4, Some(4), date(2016, 8, 4)),
            claim("ucdp:2#1", "ucdp:2", 6, Some(6), date(2016, 8, 4)),
        ];
        let rows = by_place_and_period(
            &events(&coded, &EventRules::default()),
            PlaceRole::Event,
            Granularity::Month,
        );
        assert_eq!(rows[0].outcomes[&Outcome::Killed].low, 10);
    }

    #[test]
    fn a_total_with_its_breakdown_counts_once_and_cumulative_tolls_count_never() {
        let d = date(2016, 8, 4);
        let mut total = claim("a#1", "a", 71, None, d);
        total.count.qualifier = Qualifier::MoreThan;
        total.victims = Victims::Unknown;
        let mut parts = Vec::new();
        for (i, (n, v)) in [
            (35, Victims::ProGovernment),
            (32, Victims::ProGovernment),
            (4, Victims::Civilians),
        ]
        .into_iter()
        .enumerate()
        {
            let mut p = claim(&format!("a#{}", i + 2), "a", n, Some(n), d);
            p.part_of = Some("a#1".into());
            p.victims = v;
            parts.push(p);
        }
        // Another outlet's "70 killed" the same day.
        let mut other = claim("b#1", "b", 70, Some(70), d);
        other.victims = Victims::Unknown;
        let mut cumulative = claim("c#1", "c", 500_000, None, d);
        cumulative.scope = Scope::Cumulative;
        let mut all = vec![total, other, cumulative];
        all.extend(parts);
        let ev = events(&all, &EventRules::default());
        assert_eq!(ev.len(), 1, "{ev:#?}");
        assert_eq!((ev[0].range.low, ev[0].range.high), (70, None));
        assert_eq!(ev[0].claims, ["a#1", "b#1"]);
        let rows = by_place_and_period(&ev, PlaceRole::Event, Granularity::Month);
        assert_eq!(rows[0].outcomes[&Outcome::Killed].low, 70);
        assert!(!rows[0].claim_ids(&ev).any(|c| c.starts_with("c#")));
    }

    #[test]
    fn a_five_week_claim_counts_once_at_its_last_day() {
        // "180 killed in five weeks" published 2016-08-04, and "75 on Thursday" in it.
        let mut weeks = claim("a#1", "a", 180, None, date(2016, 8, 4));
        weeks.date.start = Some(date(2016, 6, 30));
        weeks.date.precision = DatePrecision::Range;
        let thursday = claim("a#2", "a", 75, None, date(2016, 7, 28));
        let claims = [weeks, thursday];
        let ev = events(&claims, &EventRules::default());
        assert_eq!(ev.len(), 1);
        assert_eq!(ev[0].range.low, 180);
        assert_eq!(ev[0].restated, ["a#2"]);
        for (g, label) in [
            (Granularity::Week, "2016-W31"),
            (Granularity::Month, "2016-08"),
            (Granularity::Day, "2016-08-04"),
        ] {
            let rows = by_place_and_period(&ev, PlaceRole::Event, g);
            assert_eq!(rows.len(), 1);
            assert_eq!(rows[0].period.label, label);
            assert_eq!(rows[0].outcomes[&Outcome::Killed].low, 180);
            assert_eq!(rows[0].spanning, 1);
        }
        // Another outlet's count of the Thursday alone does not lower the five weeks' low.
        let mut weeks = claim("a#1", "a", 180, None, date(2016, 8, 4));
        weeks.date.start = Some(date(2016, 6, 30));
        let b = claim("b#1", "b", 75, Some(75), date(2016, 7, 28));
        let claims = [weeks, b];
        let ev = events(&claims, &EventRules::default());
        assert_eq!(ev.len(), 1);
        assert_eq!((ev[0].range.low, ev[0].range.high), (180, None));
    }

    #[test]
    fn a_claim_known_to_its_year_keeps_the_year() {
        let mut c = claim("u#1", "u", 10, Some(10), date(2014, 12, 31));
        c.date.start = Some(date(2014, 1, 1));
        c.date.precision = crate::model::DatePrecision::Year;
        let claims = [c];
        let ev = events(&claims, &EventRules::default());
        let rows = by_place_and_period(&ev, PlaceRole::Event, Granularity::Month);
        assert_eq!(rows[0].period.label, "2014");
        assert_eq!(rows[0].period.start, Some(date(2014, 1, 1)));
    }

    #[test]
    fn day_numbers_count_days() {
        assert_eq!(day_number(date(1970, 1, 1)), 0);
        assert_eq!(
            day_number(date(2016, 8, 4)) - day_number(date(2016, 7, 28)),
            7
        );
        assert_eq!(
            day_number(date(2000, 3, 1)) - day_number(date(2000, 2, 28)),
            2
        );
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

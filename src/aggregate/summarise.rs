//! The whole aggregation of a build as one value: the claims grouped into events, and the
//! events summed by place, by origin, by governorate and by district in each period. This is
//! what every layer is made from; a library user gets it without writing a file.

use crate::admin::{self, Area};
use crate::model::{Claim, PlaceRole};
use crate::util::hash::FnvHashMap as HashMap;

use super::{
    by_area_and_period_in, by_place_and_period_in, events_indexed, id_order, Event, EventPeriods,
    EventRules, Granularity, PlacePeriod,
};

/// The aggregated claims of a build, borrowing the claims.
#[derive(Debug)]
pub struct Summary<'c> {
    /// The claims summed.
    pub claims: &'c [Claim],
    /// The indices of the claims in id order.
    pub id_order: Vec<u32>,
    /// The events: claims that report the same deaths, grouped.
    pub events: Vec<Event<'c>>,
    /// Each claim's event, as its index in `events` plus one; 0 for a claim in none.
    pub event_of: Vec<u32>,
    /// The events summed by event place and period.
    pub places: Vec<PlacePeriod<'c>>,
    /// The events summed by the places the dead came from, and period.
    pub origins: Vec<PlacePeriod<'c>>,
    /// The events summed by governorate (an index into `admin1_areas`) and period.
    pub admin1: Vec<(usize, PlacePeriod<'c>)>,
    /// The events summed by district (an index into `admin2_areas`) and period.
    pub admin2: Vec<(usize, PlacePeriod<'c>)>,
    /// Events with a point in no governorate.
    pub outside_admin1: usize,
    /// Events with a point in no district.
    pub outside_admin2: usize,
    /// The governorates `admin1` indexes.
    pub admin1_areas: &'static [Area],
    /// The districts `admin2` indexes.
    pub admin2_areas: &'static [Area],
}

impl Summary<'_> {
    /// The killed of every place row (low ends): the scale of the clusters of a tiled map.
    pub fn killed_total(&self) -> u64 {
        self.places
            .iter()
            .filter_map(|r| r.outcomes.get(&crate::model::Outcome::Killed))
            .map(|r| r.low)
            .sum()
    }

    /// The largest number killed in any place or origin row (its low end): the scale of the
    /// map's circles.
    pub fn max_killed(&self) -> u64 {
        self.places
            .iter()
            .chain(self.origins.iter())
            .filter_map(|r| r.outcomes.get(&crate::model::Outcome::Killed))
            .map(|r| r.low)
            .max()
            .unwrap_or(0)
    }
}

/// Groups `claims` into events by `rules` and sums the events by place, origin and area in
/// periods of `period` (the bundled governorates and districts).
pub fn summarise<'c>(claims: &'c [Claim], period: Granularity, rules: &EventRules) -> Summary<'c> {
    let t0 = std::time::Instant::now();
    let order = id_order(claims);
    let (events, event_of) = events_indexed(claims, &order, rules);
    crate::util::timing::phase("events", t0);
    let (adm1, adm2) = admin::bundled();
    // Each event place's governorate and district (events share places: located once).
    let mut located: HashMap<(u64, u64), (Option<usize>, Option<usize>)> = HashMap::default();
    for e in &events {
        if let (Some(lat), Some(lon)) = (e.place.lat, e.place.lon) {
            located
                .entry((lat.to_bits(), lon.to_bits()))
                .or_insert_with(|| {
                    (
                        admin::locate_index(adm1, lon, lat),
                        admin::locate_index(adm2, lon, lat),
                    )
                });
        }
    }
    let locate = |e: &Event<'_>| match (e.place.lat, e.place.lon) {
        (Some(lat), Some(lon)) => located
            .get(&(lat.to_bits(), lon.to_bits()))
            .copied()
            .unwrap_or((None, None)),
        _ => (None, None),
    };
    // The four sums are independent: made at the same time.
    let periods = EventPeriods::new(&events, period);
    let (events_ref, periods) = (&events, &periods);
    let ((places, origins), ((admin1, outside_admin1), (admin2, outside_admin2))) = rayon::join(
        || {
            rayon::join(
                || by_place_and_period_in(events_ref, PlaceRole::Event, periods),
                || by_place_and_period_in(events_ref, PlaceRole::Origin, periods),
            )
        },
        || {
            rayon::join(
                || by_area_and_period_in(events_ref, periods, adm1.len(), |e| locate(e).0),
                || by_area_and_period_in(events_ref, periods, adm2.len(), |e| locate(e).1),
            )
        },
    );
    crate::util::timing::phase("places, origins and areas", t0);
    Summary {
        claims,
        id_order: order,
        events,
        event_of,
        places,
        origins,
        admin1,
        admin2,
        outside_admin1,
        outside_admin2,
        admin1_areas: adm1,
        admin2_areas: adm2,
    }
}

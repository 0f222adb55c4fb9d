//! `places.geojson` and `origins.geojson`'s features: one point per place and period, with
//! the totals by outcome and by victims (the area layers share the totals).

use std::borrow::Cow;

use crate::aggregate::{Event, PlacePeriod};
use crate::model::{Outcome, Victims};

use super::claims::site_props;
use super::{in_parallel, names, Feature, FeatureSink, Geom, Prop, Props};

/// The `<outcome>_low` / `<outcome>_high` columns of place and area layers.
const OUTCOME_COLUMNS: [(Outcome, &str, &str); 5] = [
    (Outcome::Killed, names::KILLED_LOW, names::KILLED_HIGH),
    (Outcome::Wounded, names::WOUNDED_LOW, names::WOUNDED_HIGH),
    (
        Outcome::KilledOrWounded,
        names::KILLED_OR_WOUNDED_LOW,
        names::KILLED_OR_WOUNDED_HIGH,
    ),
    (Outcome::Captured, names::CAPTURED_LOW, names::CAPTURED_HIGH),
    (Outcome::Missing, names::MISSING_LOW, names::MISSING_HIGH),
];

/// The `killed_<victims>_low` / `_high` columns.
const VICTIM_COLUMNS: [(Victims, &str, &str); 7] = [
    (
        Victims::Civilians,
        names::KILLED_CIVILIANS_LOW,
        names::KILLED_CIVILIANS_HIGH,
    ),
    (
        Victims::ProGovernment,
        names::KILLED_PRO_GOVERNMENT_LOW,
        names::KILLED_PRO_GOVERNMENT_HIGH,
    ),
    (
        Victims::Opposition,
        names::KILLED_OPPOSITION_LOW,
        names::KILLED_OPPOSITION_HIGH,
    ),
    (
        Victims::Jihadist,
        names::KILLED_JIHADIST_LOW,
        names::KILLED_JIHADIST_HIGH,
    ),
    (
        Victims::KurdishForces,
        names::KILLED_KURDISH_FORCES_LOW,
        names::KILLED_KURDISH_FORCES_HIGH,
    ),
    (
        Victims::ForeignForces,
        names::KILLED_FOREIGN_FORCES_LOW,
        names::KILLED_FOREIGN_FORCES_HIGH,
    ),
    (
        Victims::Unknown,
        names::KILLED_UNKNOWN_LOW,
        names::KILLED_UNKNOWN_HIGH,
    ),
];

/// The period and totals of a row, as properties.
pub(super) fn totals<'a>(r: &'a PlacePeriod, events: &'a [Event], props: &mut Props<'a>) {
    props.insert(names::PERIOD, Prop::Str(&r.period.label));
    props.insert(names::PERIOD_START, Prop::date(r.period.start));
    props.insert(names::PERIOD_END, Prop::date(r.period.end));
    for (o, low, high) in OUTCOME_COLUMNS {
        let range = r.outcomes.get(&o).copied().unwrap_or_default();
        props.insert(low, Prop::count(range.low));
        props.insert(
            high,
            Prop::opt_count(if range.any { range.high } else { Some(0) }),
        );
    }
    for (v, low, high) in VICTIM_COLUMNS {
        let range = r.killed_by_victims.get(&v).copied().unwrap_or_default();
        props.insert(low, Prop::count(range.low));
        props.insert(
            high,
            Prop::opt_count(if range.any { range.high } else { Some(0) }),
        );
    }
    let join = |ids: &mut dyn Iterator<Item = &str>, sep: &str| -> (usize, String) {
        let mut n = 0;
        let mut out = String::new();
        for id in ids {
            if n > 0 {
                out.push_str(sep);
            }
            out.push_str(id);
            n += 1;
        }
        (n, out)
    };
    let (n_events, event_ids) = join(&mut r.events_of(events).map(|e| e.id.as_str()), " ");
    let (n_claims, claim_ids) = join(&mut r.claim_ids(events), " ");
    props.insert(names::EVENTS, Prop::count(n_events as u64));
    props.insert(names::EVENT_IDS, Prop::Text(event_ids));
    props.insert(names::SPANNING, Prop::count(r.spanning as u64));
    props.insert(names::CLAIMS, Prop::count(n_claims as u64));
    props.insert(names::CLAIM_IDS, Prop::Text(claim_ids));
    props.insert(
        names::RESTATED_IDS,
        Prop::Text(join(&mut r.restated_ids(events), " ").1),
    );
    props.insert(
        names::DOCUMENTS,
        Prop::count(r.documents(events).len() as u64),
    );
    props.insert(
        names::CLAIMANTS,
        Prop::Text(join(&mut r.claimants(events).into_iter(), "; ").1),
    );
    // The corrected claims of its events.
    props.insert(
        names::CORRECTED,
        Prop::count(r.events_of(events).map(|e| e.corrected as u64).sum()),
    );
}

/// `places.geojson` (or `origins.geojson`): one point per place and period with totals.
pub fn places_layer<'a>(
    rows: &'a [PlacePeriod],
    events: &'a [Event],
    sink: &mut dyn FeatureSink<'a>,
) {
    let mut keyed: Vec<(String, &PlacePeriod)> = rows
        .iter()
        .filter_map(|r| {
            let pid = r.place.gazetteer_id.as_deref()?;
            Some((format!("{pid}|{}", r.period.label), r))
        })
        .collect();
    keyed.sort_by(|a, b| a.0.cmp(&b.0));
    let feature = |(id, r): &(String, &'a PlacePeriod)| {
        let (Some(lat), Some(lon), Some(pid)) = (r.place.lat, r.place.lon, &r.place.gazetteer_id)
        else {
            return None;
        };
        let mut props = Props::with_capacity(41);
        props.insert(names::PLACE_ID, Prop::Str(pid));
        props.insert(names::NAME, Prop::opt(r.place.name.as_deref()));
        props.insert(names::ADMIN1, Prop::opt(r.place.admin1.as_deref()));
        props.insert(names::ADMIN2, Prop::opt(r.place.admin2.as_deref()));
        props.insert(names::KIND, Prop::opt(r.place.kind.map(|k| k.as_str())));
        props.insert(
            names::PRECISION,
            Prop::opt_count(r.place.precision.map(u64::from)),
        );
        site_props(r.place, false, &mut props);
        totals(r, events, &mut props);
        Some(Feature {
            id: Cow::Owned(id.clone()),
            geom: Geom::Point { lon, lat },
            props,
        })
    };
    in_parallel(&keyed, feature, sink);
}

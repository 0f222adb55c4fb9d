//! `events.geojson`'s features: one point per event, with its range and its claims.

use std::borrow::Cow;

use crate::aggregate::Event;

use super::{in_parallel, names, Feature, FeatureSink, Geom, Prop, Props};

/// `events.geojson`: one point per event, with its range and the claims it holds.
pub fn events_layer<'a>(events: &'a [Event], sink: &mut dyn FeatureSink<'a>) {
    let mut sorted: Vec<&Event> = events.iter().collect();
    sorted.sort_by(|a, b| a.id.cmp(&b.id));
    let feature = |e: &&'a Event| {
        let (Some(lat), Some(lon)) = (e.place.lat, e.place.lon) else {
            return None;
        };
        let mut props = Props::with_capacity(18);
        props.insert(names::ID, Prop::Str(&e.id));
        props.insert(names::OUTCOME, Prop::Str(e.outcome.as_str()));
        props.insert(names::VICTIMS, Prop::Str(e.victims.as_str()));
        props.insert(names::LOW, Prop::count(e.range.low));
        props.insert(names::HIGH, Prop::opt_count(e.range.high));
        props.insert(names::START, Prop::date(e.start));
        props.insert(names::END, Prop::date(e.end));
        props.insert(names::PLACE_ID, Prop::opt(e.place.gazetteer_id.as_deref()));
        props.insert(names::NAME, Prop::opt(e.place.name.as_deref()));
        props.insert(names::ADMIN1, Prop::opt(e.place.admin1.as_deref()));
        props.insert(names::ADMIN2, Prop::opt(e.place.admin2.as_deref()));
        props.insert(
            names::PRECISION,
            Prop::opt_count(e.place.precision.map(u64::from)),
        );
        props.insert(
            names::ORIGINS,
            Prop::Text(
                e.origins
                    .iter()
                    .filter_map(|(o, _)| o.name.as_deref())
                    .collect::<Vec<_>>()
                    .join("; "),
            ),
        );
        props.insert(names::CLAIMS, Prop::count(e.claims.len() as u64));
        props.insert(names::CLAIM_IDS, Prop::Text(e.claims.join(" ")));
        props.insert(names::RESTATED_IDS, Prop::Text(e.restated.join(" ")));
        props.insert(names::DOCUMENTS, Prop::count(e.documents.len() as u64));
        props.insert(names::CLAIMANTS, Prop::Text(e.claimants.join("; ")));
        props.insert(names::CORRECTED, Prop::count(e.corrected as u64));
        Some(Feature {
            id: Cow::Borrowed(&e.id),
            geom: Geom::Point { lon, lat },
            props,
        })
    };
    in_parallel(&sorted, feature, sink);
}

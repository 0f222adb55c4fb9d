//! `admin1.geojson` and `admin2.geojson`'s features: one outline per area and period, with
//! the totals.

use std::borrow::Cow;

use crate::admin::Area;
use crate::aggregate::{Event, PlacePeriod};

use super::places::totals;
use super::{names, Feature, FeatureSink, Geom, Prop, Props};

/// `admin1.geojson` / `admin2.geojson`: one polygon per area and period with totals.
pub fn areas_layer<'a>(
    rows: &'a [(usize, PlacePeriod)],
    areas: &'a [Area],
    events: &'a [Event],
    sink: &mut dyn FeatureSink<'a>,
) {
    let mut keyed: Vec<(String, &Area, &PlacePeriod)> = rows
        .iter()
        .filter_map(|(i, r)| {
            let a = areas.get(*i)?;
            Some((format!("{}|{}", a.pcode, r.period.label), a, r))
        })
        .collect();
    keyed.sort_by(|a, b| a.0.cmp(&b.0));
    for (id, a, r) in keyed {
        let mut props = Props::with_capacity(39);
        props.insert(names::PCODE, Prop::Str(&a.pcode));
        props.insert(names::NAME, Prop::Str(&a.name));
        props.insert(names::NAME_AR, Prop::Str(&a.name_ar));
        if let Some(p) = &a.parent {
            props.insert(names::ADMIN1, Prop::Str(p));
        }
        totals(r, events, &mut props);
        sink.feature(Feature {
            id: Cow::Owned(id),
            geom: Geom::Area(a),
            props,
        });
    }
}

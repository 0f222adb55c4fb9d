//! `claims.geojson`'s features: one point per event claim at its event place.

use std::borrow::Cow;

use crate::aggregate::Event;
use crate::model::{Claim, Document, Place, Scope};
use crate::util::hash::FnvHashMap as HashMap;

use super::{names, Feature, FeatureSink, Geom, Prop, Props};

/// `claims.geojson`: every event-scope claim with a resolved event place, as a point there,
/// with the event it was counted in (`event_id`, empty when it was not counted), in id order
/// (`by_id`: `aggregate::id_order`). `event_of` gives each claim's event as
/// `aggregate::events_indexed` does (an index into `events` plus one, 0 for none).
pub fn claims_layer<'a>(
    claims: &'a [Claim],
    by_id: &[u32],
    docs: &HashMap<&str, &'a Document>,
    (events, event_of): (&'a [Event], &[u32]),
    sink: &mut dyn FeatureSink<'a>,
) {
    let sorted = by_id
        .iter()
        .filter_map(|&i| Some((claims.get(i as usize)?, i as usize)));
    for (c, i) in sorted {
        if c.scope != Scope::Event {
            continue;
        }
        let Some(p) = c.event_place() else { continue };
        let (Some(lat), Some(lon)) = (p.lat, p.lon) else {
            continue;
        };
        let doc = docs.get(c.doc.as_str());
        let mut props = Props::with_capacity(28);
        props.insert(names::ID, Prop::Str(&c.id));
        props.insert(names::DOC, Prop::Str(&c.doc));
        props.insert(
            names::EVENT_ID,
            Prop::Str(
                event_of
                    .get(i)
                    .and_then(|&n| events.get((n as usize).checked_sub(1)?))
                    .map_or("", |e| e.id.as_str()),
            ),
        );
        // An empty title, address or outlet is none (as a table of the claims reads it).
        let text = |t: Option<&'a str>| Prop::opt(t.filter(|t| !t.trim().is_empty()));
        props.insert(names::TITLE, text(doc.and_then(|d| d.title.as_deref())));
        // A coded event without a document of its own links to its source's event page.
        let url = doc.and_then(|d| d.url.as_deref());
        props.insert(
            names::URL,
            match (url, crate::model::Provenance::event_url(&c.doc)) {
                (None, Some(page)) => Prop::Text(page),
                _ => text(url),
            },
        );
        props.insert(names::OUTLET, text(doc.and_then(|d| d.outlet.as_deref())));
        props.insert(names::PUBLISHED, Prop::date(c.published));
        props.insert(names::QUOTE, Prop::Str(&c.quote));
        props.insert(names::COUNT_LOW, Prop::count(c.count.low));
        props.insert(names::COUNT_HIGH, Prop::opt_count(c.count.high));
        props.insert(names::COUNT_TEXT, Prop::Str(&c.count.text));
        props.insert(names::QUALIFIER, Prop::Str(c.count.qualifier.as_str()));
        props.insert(names::OUTCOME, Prop::Str(c.outcome.as_str()));
        props.insert(names::VICTIMS, Prop::Str(c.victims.as_str()));
        props.insert(names::VICTIMS_TEXT, Prop::opt(c.victims_text.as_deref()));
        props.insert(names::CLAIMANT, Prop::opt(c.claimant.as_deref()));
        props.insert(names::PART_OF, Prop::opt(c.part_of.as_deref()));
        props.insert(names::DATE_START, Prop::date(c.date.start));
        props.insert(names::DATE_END, Prop::date(c.date.end));
        props.insert(names::DATE_PRECISION, Prop::Str(c.date.precision.as_str()));
        props.insert(names::DATE_TEXT, Prop::opt(c.date.text.as_deref()));
        props.insert(names::PLACE_MENTION, Prop::Str(&p.mention));
        props.insert(names::PLACE_NAME, Prop::opt(p.name.as_deref()));
        props.insert(names::GAZETTEER_ID, Prop::opt(p.gazetteer_id.as_deref()));
        props.insert(names::ADMIN1, Prop::opt(p.admin1.as_deref()));
        props.insert(names::ADMIN2, Prop::opt(p.admin2.as_deref()));
        props.insert(
            names::PRECISION,
            Prop::opt_count(p.precision.map(u64::from)),
        );
        site_props(p, true, &mut props);
        props.insert(names::CONFIDENCE, Prop::Real(c.confidence));
        props.insert(
            names::REASONS,
            Prop::Text(crate::confidence::words(&c.reasons)),
        );
        // 1 when a corrections file changed the claim (`corrections` in claims.csv says how).
        props.insert(
            names::CORRECTED,
            Prop::Int(i64::from(!c.corrections.is_empty())),
        );
        sink.feature(Feature {
            id: Cow::Borrowed(&c.id),
            geom: Geom::Point { lon, lat },
            props,
        });
    }
}

/// What a place says of itself as a site: its kind (`place_kind`; `kind` in the place
/// layers says it already), the town it is described with, its radius in metres, and
/// `weak_source` 1 when a single editor-placed map mark is all its source is.
pub(super) fn site_props<'a>(p: &'a Place, with_kind: bool, props: &mut Props<'a>) {
    if with_kind {
        props.insert(names::PLACE_KIND, Prop::opt(p.kind.map(|k| k.as_str())));
    }
    props.insert(names::NEAR, Prop::opt(p.near.as_deref()));
    props.insert(names::RADIUS_M, Prop::opt_count(p.radius_m.map(u64::from)));
    props.insert(names::WEAK_SOURCE, Prop::Int(i64::from(p.weak_source)));
}

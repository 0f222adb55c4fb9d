//! Names for bare points: the settlement of the gazetteer nearest a point (an event table's
//! coordinates), found through a grid of about 20 km cells.

use std::collections::HashMap;

use super::{Entry, Gazetteer};
use crate::model::PlaceKind;
use crate::util::geodesy::distance_km;

/// Cells of 0.2 degree: 22 km of latitude, about 18 km of longitude in Syria.
const CELL: f64 = 0.2;

/// The Syrian cities, towns, villages and neighbourhoods of a gazetteer, by grid cell.
pub struct Settlements<'g> {
    cells: HashMap<(i32, i32), Vec<&'g Entry>>,
}

fn cell_of(lat: f64, lon: f64) -> (i32, i32) {
    ((lat / CELL).floor() as i32, (lon / CELL).floor() as i32)
}

/// How far a settlement reaches from its point, by its population: 1 km for a village (or
/// a place of unknown size), about 4 km for a town of 30,000, 7 km for a city of a million.
pub fn extent_km(e: &Entry) -> f64 {
    1.0 + 2.0 * ((e.population.max(1000) as f64) / 1000.0).log10()
}

impl<'g> Settlements<'g> {
    /// The settlements of `gaz` (Syria's: event tables here are of Syria).
    pub fn of(gaz: &'g Gazetteer) -> Settlements<'g> {
        let mut cells: HashMap<(i32, i32), Vec<&Entry>> = HashMap::new();
        for e in gaz.iter().filter(|e| {
            e.country == "SY"
                && e.site.is_none()
                && matches!(
                    e.kind,
                    PlaceKind::City
                        | PlaceKind::Town
                        | PlaceKind::Village
                        | PlaceKind::Neighbourhood
                )
        }) {
            cells.entry(cell_of(e.lat, e.lon)).or_default().push(e);
        }
        // Each cell's entries in id order: ties in distance go to the same place every run.
        for list in cells.values_mut() {
            list.sort_by(|a, b| a.id.cmp(&b.id));
        }
        Settlements { cells }
    }

    /// The settlement nearest (`lat`, `lon`) within `km` kilometres (at most 40), and its
    /// distance. Distances are measured in each place's own size (`extent_km`), so a city's
    /// centre names a point between its neighbourhoods: a point 1 km from Aleppo's centre and
    /// 200 m from one of its neighbourhoods' is Aleppo; of two as near, the larger, then the
    /// smaller id.
    pub fn nearest(&self, lat: f64, lon: f64, km: f64) -> Option<(&'g Entry, f64)> {
        self.nearest_of(lat, lon, km, |_| true)
    }

    /// `nearest` among the cities and towns (places of 10,000 people or more count as
    /// towns): what "near X" names when a point is only known within 25 km.
    pub fn nearest_town(&self, lat: f64, lon: f64, km: f64) -> Option<(&'g Entry, f64)> {
        self.nearest_of(lat, lon, km, |e| {
            matches!(e.kind, PlaceKind::City | PlaceKind::Town) || e.population >= 10_000
        })
    }

    fn nearest_of(
        &self,
        lat: f64,
        lon: f64,
        km: f64,
        keep: impl Fn(&Entry) -> bool,
    ) -> Option<(&'g Entry, f64)> {
        let km = km.min(40.0);
        let reach = (km / 18.0).ceil() as i32;
        let (ci, cj) = cell_of(lat, lon);
        let mut best: Option<(&Entry, f64)> = None;
        for di in -reach..=reach {
            for dj in -reach..=reach {
                for &e in self
                    .cells
                    .get(&(ci + di, cj + dj))
                    .into_iter()
                    .flatten()
                    .filter(|e| keep(e))
                {
                    let d = distance_km(lat, lon, e.lat, e.lon);
                    if d > km {
                        continue;
                    }
                    let scaled = d / extent_km(e);
                    let better = match best {
                        None => true,
                        Some((b, bd)) => {
                            let bs = bd / extent_km(b);
                            scaled < bs - 1e-9
                                || ((scaled - bs).abs() <= 1e-9
                                    && (e.population, std::cmp::Reverse(&e.id))
                                        > (b.population, std::cmp::Reverse(&b.id)))
                        }
                    };
                    if better {
                        best = Some((e, d));
                    }
                }
            }
        }
        best
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_nearest_settlement_within_reach() {
        let gaz = Gazetteer::bundled().unwrap();
        let near = Settlements::of(&gaz);
        // Points at or near known places, and one in the desert far from any.
        let cases: &[(f64, f64, f64, Option<&str>)] = &[
            (36.20124, 37.16117, 5.0, Some("Aleppo")),
            (35.36, 35.93, 5.0, Some("Jablah")),
            (34.0, 40.5, 25.0, None),
            // At a neighbourhood's own point, the neighbourhood.
            (36.20238, 37.15953, 5.0, Some("Al-Farafra")),
        ];
        for &(lat, lon, km, want) in cases {
            let got = near.nearest(lat, lon, km).map(|(e, _)| e.name.as_str());
            assert_eq!(got, want, "{lat},{lon}");
        }
    }
}

//! Distances on the Earth and the rounding of coordinates for output.

use geo::{Distance, Haversine, Point};

/// Great-circle distance in kilometres between two latitude/longitude pairs (the haversine
/// formula on the mean Earth radius, 6,371.0088 km).
pub fn distance_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    Haversine.distance(Point::new(lon1, lat1), Point::new(lon2, lat2)) / 1000.0
}

/// A coordinate rounded to six decimals (about 0.1 m), as every layer writes it.
pub fn round6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances_and_rounding() {
        // Latakia to Jableh, about 24 km along the coast.
        let d = distance_km(35.5167, 35.7833, 35.3608, 35.9256);
        assert!((d - 21.5).abs() < 1.0, "{d}");
        assert_eq!(distance_km(35.0, 36.0, 35.0, 36.0), 0.0);
        assert_eq!(round6(36.123_456_789), 36.123457);
        assert_eq!(round6(-0.000_000_4), -0.0);
    }
}

//! Small helpers every stage shares, below all of them in the layer order: atomic file
//! writes, hashes and digests, distances and coordinate rounding, error reports, per-position
//! name caches, and phase timing for the benchmarks. Nothing here knows about claims or places.

pub mod atomic;
pub mod calendar;
pub mod geodesy;
pub mod hash;
pub mod report;
pub mod slots;
pub mod timing;

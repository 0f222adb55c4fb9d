//! Small helpers every stage shares, below all of them in the layer order: atomic file
//! writes, hashes and digests, distances and coordinate rounding, error reports, per-position
//! name caches, progress reports, phase timing for the benchmarks, and (in `sys`) the library's only unsafe
//! code. Nothing here knows about claims or places.

pub mod atomic;
pub mod calendar;
pub mod geodesy;
pub mod hash;
pub mod progress;
pub mod report;
pub mod slots;
#[allow(unsafe_code)]
pub mod sys;
pub mod timing;

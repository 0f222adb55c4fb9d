//! Progress reports: a callback a caller hands the stages (the binary draws a bar with it
//! when stderr is a terminal); stages report what they do, how many are done, of how many.

use std::sync::Arc;

/// Called as work goes on: `(what, done, total)`, `what` such as `"fetching"` or
/// `"extracting"`. Cheap to clone; called from any thread.
#[derive(Clone)]
pub struct Progress(Arc<dyn Fn(&'static str, usize, usize) + Send + Sync>);

impl Progress {
    /// A report calling `f`.
    pub fn new(f: impl Fn(&'static str, usize, usize) + Send + Sync + 'static) -> Progress {
        Progress(Arc::new(f))
    }

    /// Reports `done` of `total` for `what`.
    pub fn tick(&self, what: &'static str, done: usize, total: usize) {
        (self.0)(what, done, total);
    }
}

impl std::fmt::Debug for Progress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Progress")
    }
}

/// Reports `done` of `total` through `progress`, if any, every `every` items and at the end.
pub fn tick(
    progress: Option<&Progress>,
    what: &'static str,
    done: usize,
    total: usize,
    every: usize,
) {
    if let Some(p) = progress {
        if done.is_multiple_of(every.max(1)) || done == total {
            p.tick(what, done, total);
        }
    }
}

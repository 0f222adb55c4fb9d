//! Phase timing for the benchmarks: with `TOLLMAP_TIMING` set (to anything but `0` or an
//! empty value), each phase's time and the resident memory go to standard error.

/// Whether `TOLLMAP_TIMING` asks for timing.
pub fn enabled() -> bool {
    std::env::var_os("TOLLMAP_TIMING").is_some_and(|v| !v.is_empty() && v != "0")
}

/// Prints a phase's time since `t0` and the resident memory, when timing is enabled.
pub fn phase(what: &str, t0: std::time::Instant) {
    if !enabled() {
        return;
    }
    let rss = std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .map(|l| l.trim_start_matches("VmRSS:").trim().to_string())
        })
        .unwrap_or_default();
    // Every phase also gives the time since the first timed phase, one clock for the run.
    static START: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
    let start = *START.get_or_init(|| t0);
    eprintln!(
        "{what}: {:.2?} (at {:.2?}; resident {rss})",
        t0.elapsed(),
        start.elapsed()
    );
}

//! Phase timing for the benchmarks: with `TOLLMAP_TIMING=1` (or `true`, `yes`, `on`), each
//! phase's time and the resident memory go to standard error; unset, empty, `0`, `false`,
//! `no` or `off` is no timing.

/// Whether `TOLLMAP_TIMING` asks for timing.
pub fn enabled() -> bool {
    std::env::var("TOLLMAP_TIMING").is_ok_and(|v| switched_on(&v))
}

/// Whether a switch's value turns it on (by value, not by being set).
fn switched_on(v: &str) -> bool {
    matches!(
        v.trim().to_ascii_lowercase().as_str(),
        "1" | "true" | "yes" | "on"
    )
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

#[cfg(test)]
mod tests {
    #[test]
    fn the_switch_is_read_by_value() {
        for (v, on) in [
            ("1", true),
            ("true", true),
            ("YES", true),
            ("on", true),
            ("0", false),
            ("", false),
            ("false", false),
            ("no", false),
            ("off", false),
        ] {
            assert_eq!(super::switched_on(v), on, "{v}");
        }
    }
}

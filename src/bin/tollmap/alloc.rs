//! The binary's only unsafe code: one run-time option of the mimalloc allocator it links.

unsafe extern "C" {
    /// mimalloc's run-time options (`mi_option_t` is a C enum).
    fn mi_option_set(option: std::ffi::c_int, value: std::ffi::c_long);
}

/// `mi_option_purge_delay` in mimalloc v3's `mi_option_t`.
const MI_OPTION_PURGE_DELAY: std::ffi::c_int = 15;

/// Freed memory is kept for reuse instead of handed back to the system after 10 ms: a build
/// frees and allocates gigabytes, and on a VM each page handed back costs a fault and a
/// clearing when it is touched again (about a sixth of a 1M-claim build's CPU time). A
/// `MIMALLOC_PURGE_DELAY` in the environment still wins. Call before any thread starts.
pub fn keep_freed_memory() {
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
        // SAFETY: sets an integer option of the allocator linked into this binary, with an
        // option number of its `mi_option_t`; called from `main` before any thread starts.
        unsafe { mi_option_set(MI_OPTION_PURGE_DELAY, -1) };
    }
}

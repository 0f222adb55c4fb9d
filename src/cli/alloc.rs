//! The allocator of the `tollmap` binary and the Python extension (mimalloc) and its one
//! run-time option, set through its C interface (unsafe code, with its reasons).

/// The allocator: the extractor and the layer writers allocate many small strings; glibc's
/// allocator spent about a tenth of extraction time in malloc and free. Install it with
/// `#[global_allocator] static A: MiMalloc = MiMalloc;`.
pub use mimalloc::MiMalloc;

unsafe extern "C" {
    /// mimalloc's run-time options (`mi_option_t` is a C enum).
    fn mi_option_set(option: std::ffi::c_int, value: std::ffi::c_long);
}

/// `mi_option_purge_delay` in mimalloc v3's `mi_option_t`.
const MI_OPTION_PURGE_DELAY: std::ffi::c_int = 15;

/// When memory a command frees goes back to the system.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purge {
    /// Kept for reuse, never handed back: a build frees and allocates gigabytes, and on a VM
    /// each page handed back costs a fault and a clearing when it is touched again (about a
    /// sixth of a 1M-claim build's CPU time).
    Never,
    /// Handed back at once: the tiler frees each zoom's work before the next, and keeping it
    /// raised its peak memory by half (84 MB against 41 MB on 100,000 points) at no gain in
    /// speed.
    AtOnce,
}

/// Sets when freed memory goes back to the system; a `MIMALLOC_PURGE_DELAY` in the
/// environment still wins. Call before the work starts.
pub fn purge(when: Purge) {
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_some() {
        return;
    }
    let delay_ms = match when {
        Purge::Never => -1,
        Purge::AtOnce => 0,
    };
    // SAFETY: sets an integer option of the allocator linked in (through `MiMalloc`), with
    // an option number of its `mi_option_t`; an atomic store inside mimalloc.
    unsafe { mi_option_set(MI_OPTION_PURGE_DELAY, delay_ms) };
}

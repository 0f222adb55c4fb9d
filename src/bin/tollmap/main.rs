//! The `tollmap` binary: the library's command line ([`tollmap::cli`]) with the mimalloc
//! allocator.
//!
//! Exit codes: 0 success; 1 finished, but a `--strict`/`--max-unresolved` policy was breached
//! (or, for `geocode`, some name did not resolve); 2 usage or fatal error.

// Unsafe code lives in `alloc` alone, with its reasons.
#![deny(unsafe_code)]

use std::process::ExitCode;

use tollmap::cli::Invocation;

#[allow(unsafe_code)]
mod alloc;

/// mimalloc: the extractor and the layer writers allocate many small strings; glibc's
/// allocator spent about a tenth of extraction time in malloc and free.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let invocation = match Invocation::parse(std::env::args_os()) {
        Ok(invocation) => invocation,
        Err(code) => return code,
    };
    alloc::purge(if invocation.frees_memory_at_once() {
        alloc::Purge::AtOnce
    } else {
        alloc::Purge::Never
    });
    invocation.run()
}

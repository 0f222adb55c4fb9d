//! The `tollmap` binary: the library's command line ([`tollmap::cli`]) with the mimalloc
//! allocator.
//!
//! Exit codes: 0 success; 1 finished, but a `--strict`/`--max-unresolved` policy was breached
//! (or, for `geocode`, some name did not resolve); 2 usage or fatal error.

#![forbid(unsafe_code)]

use std::process::ExitCode;

use tollmap::cli::{alloc, Invocation};

/// mimalloc (`tollmap::cli::alloc`).
#[global_allocator]
static ALLOCATOR: alloc::MiMalloc = alloc::MiMalloc;

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

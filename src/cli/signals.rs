//! Ctrl-C and SIGTERM during a build: the build's staging folder is removed and the process
//! ends with exit code 130. The handler only sets a flag (all a signal handler may safely
//! do); a thread watching the flag does the rest.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// Set by the signal handler.
static STOPPED: AtomicBool = AtomicBool::new(false);

extern "C" fn on_signal(_signal: libc::c_int) {
    STOPPED.store(true, Ordering::SeqCst);
}

/// From now on, SIGINT and SIGTERM remove `staging` and end the process with 130.
pub fn remove_on_stop(staging: PathBuf) -> std::io::Result<()> {
    let handler = on_signal as extern "C" fn(libc::c_int) as libc::sighandler_t;
    // SAFETY: `on_signal` only stores to an atomic, which is async-signal-safe; the
    // handlers are installed once, from the main thread.
    unsafe {
        libc::signal(libc::SIGINT, handler);
        libc::signal(libc::SIGTERM, handler);
    }
    std::thread::Builder::new()
        .name("signals".into())
        .spawn(move || loop {
            if STOPPED.load(Ordering::SeqCst) {
                let _ = std::fs::remove_dir_all(&staging);
                eprintln!("tollmap: stopped; the staged outputs were removed");
                std::process::exit(130);
            }
            std::thread::sleep(Duration::from_millis(50));
        })?;
    Ok(())
}

//! `tollmap serve`: runs the library's preview server (`crate::serve`) on a folder.

use std::io::Write;
use std::process::ExitCode;

use crate::serve::serve;

use super::args::ServeArgs;
use super::say;

/// Runs `serve`.
pub fn run(args: &ServeArgs, quiet: bool) -> anyhow::Result<ExitCode> {
    use anyhow::Context as _;
    serve(&args.dir, &args.bind, args.port, |url| {
        // The URL goes to stdout (scripts read it); it is flushed at once.
        let mut out = std::io::stdout();
        let _ = writeln!(out, "{url}");
        let _ = out.flush();
        say(
            quiet,
            &format!(
                "tollmap: serving {} at {url} (Ctrl-C stops)",
                args.dir.display()
            ),
        );
    })
    .with_context(|| format!("serving {}", args.dir.display()))?;
    Ok(ExitCode::SUCCESS)
}

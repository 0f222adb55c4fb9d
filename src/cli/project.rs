//! `--project FILE`: the project's settings become the command's flags, placed before the
//! ones given on the command line, which win; `tollmap init` writes an example.

use std::ffi::OsString;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{bail, Context as _, Result};
use clap::{CommandFactory, FromArgMatches, Parser};

use crate::project::{Project, Value};

use super::args::{Cli, Command, InitArgs};

/// The command line `raw` (the program's name first), with the project's settings when
/// `--project` names one. A usage error, `--help` and `--version` come back as a
/// `clap::Error` in the chain.
pub fn parse(raw: Vec<OsString>) -> Result<Cli> {
    let cli = Cli::try_parse_from(&raw)?;
    let (sub, input) = match &cli.command {
        Command::Build(a) => ("build", &a.input),
        Command::Extract(a) => ("extract", &a.input),
        Command::Refresh(a) => ("refresh", &a.build.input),
        _ => return Ok(cli),
    };
    let Some(path) = &input.project else {
        return Ok(cli);
    };
    let project = Project::read(path)?;
    let flags = flags_of(&project, sub, !input.inputs.is_empty())?;
    // The project's flags go right after the subcommand, so the user's own come later and
    // win.
    let at = raw
        .iter()
        .position(|a| a.to_str() == Some(sub))
        .context("the subcommand is not on the command line")?;
    let mut merged: Vec<OsString> = raw[..=at].to_vec();
    merged.extend(flags.into_iter().map(OsString::from));
    merged.extend_from_slice(&raw[at + 1..]);
    let matches = command().try_get_matches_from(merged)?;
    Ok(Cli::from_arg_matches(&matches)?)
}

/// The command, with flags given twice taking the last value (the user's over the project's).
fn command() -> clap::Command {
    let mut c = Cli::command();
    for sub in ["build", "extract", "refresh"] {
        c = c.mut_subcommand(sub, |s| s.args_override_self(true));
    }
    c
}

/// Which commands take a section's settings.
fn takes(sub: &str, section: &str, key: &str) -> bool {
    match (section, key) {
        ("", "out") | ("build", _) => sub != "extract",
        ("", "archive") => sub == "refresh",
        _ => true,
    }
}

/// The project's settings as `sub`'s flags, each checked on its own so that a bad value is
/// named with its line. The sources are left out when the command line gives inputs.
fn flags_of(project: &Project, sub: &str, has_inputs: bool) -> Result<Vec<String>> {
    let mut flags = Vec::new();
    let mut inputs = Vec::new();
    for s in &project.settings {
        if !takes(sub, s.section, s.key) {
            continue;
        }
        let flag = match s.key {
            "inputs" => {
                if !has_inputs {
                    inputs.extend(s.value.as_args());
                }
                continue;
            }
            "overlays" => "--gazetteer-overlay".to_string(),
            "world" => "--gazetteer-world".to_string(),
            key => format!("--{}", key.replace('_', "-")),
        };
        let these: Vec<String> = match &s.value {
            Value::Switch(false) => continue,
            Value::Switch(true) => vec![flag],
            Value::List(l) => l.iter().flat_map(|v| [flag.clone(), v.clone()]).collect(),
            other => std::iter::once(flag).chain(other.as_args()).collect(),
        };
        let mut alone = vec!["tollmap".to_string(), sub.to_string()];
        alone.extend(these.iter().cloned());
        if let Err(e) = command().try_get_matches_from(&alone) {
            let said = e.to_string();
            let first = said
                .lines()
                .next()
                .unwrap_or("")
                .trim_start_matches("error: ");
            bail!(
                "{}:{}: `{}`: {first}",
                project.path.display(),
                s.line,
                s.key
            );
        }
        flags.extend(these);
    }
    if sub == "refresh" && project.get("", "archive").is_none() {
        flags.push("--archive".into());
        flags.push(project.archive().display().to_string());
    }
    flags.extend(inputs);
    Ok(flags)
}

/// Runs `init`: writes the example project, never over a file unless `--force`.
pub fn init(args: &InitArgs, quiet: bool) -> Result<ExitCode> {
    write_new(&args.file, crate::project::EXAMPLE, args.force)?;
    super::say(
        quiet,
        &format!(
            "tollmap: wrote {}; edit its sources, then run `tollmap refresh --project {}`",
            args.file.display(),
            args.file.display()
        ),
    );
    Ok(ExitCode::SUCCESS)
}

fn write_new(path: &Path, text: &str, force: bool) -> Result<()> {
    let mut file = std::fs::OpenOptions::new();
    file.write(true);
    if force {
        file.create(true).truncate(true);
    } else {
        file.create_new(true);
    }
    let mut f = file.open(path).with_context(|| {
        if path.exists() && !force {
            format!("{} exists (--force replaces it)", path.display())
        } else {
            path.display().to_string()
        }
    })?;
    f.write_all(text.as_bytes())
        .with_context(|| path.display().to_string())
}

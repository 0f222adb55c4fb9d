//! The project file, `tollmap.toml`: a run's sources, gazetteer overlays, options, output
//! folder and archive, read with every key's line so that a bad one is named where it is.
//!
//! Keys are the command-line flags' names with `_` for `-`, grouped in sections; paths are
//! relative to the project file's folder. `tollmap init` writes a commented example
//! (`EXAMPLE`).

use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

/// A project file read.
#[derive(Debug, Clone, Default)]
pub struct Project {
    /// The file.
    pub path: PathBuf,
    /// Every setting, in file order: section, key, value and line.
    pub settings: Vec<Setting>,
}

/// One key of the project file.
#[derive(Debug, Clone, PartialEq)]
pub struct Setting {
    /// The section (`""` for the top of the file, else `sources`, `fetch`, `gazetteer`,
    /// `build`).
    pub section: &'static str,
    /// The key.
    pub key: &'static str,
    /// Its value; paths already made relative to the current folder.
    pub value: Value,
    /// The line the value is on (1-based).
    pub line: usize,
}

/// A setting's value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// A word, a path or a URL.
    Text(String),
    /// A number.
    Number(f64),
    /// A switch.
    Switch(bool),
    /// Several words, paths or URLs.
    List(Vec<String>),
}

impl Value {
    /// The value as the command line would give it (`None` for a switch that is off).
    pub fn as_args(&self) -> Vec<String> {
        match self {
            Value::Text(t) => vec![t.clone()],
            Value::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => {
                vec![format!("{}", *n as i64)]
            }
            Value::Number(n) => vec![n.to_string()],
            Value::Switch(_) => Vec::new(),
            Value::List(l) => l.clone(),
        }
    }
}

/// A project file that cannot be used: the file, the line and what is wrong.
#[derive(Debug, thiserror::Error)]
pub enum ProjectError {
    /// The file cannot be read.
    #[error("{}", path.display())]
    Io {
        /// The project file.
        path: PathBuf,
        /// Why.
        #[source]
        cause: std::io::Error,
    },
    /// A key, value or the TOML itself is wrong.
    #[error("{}:{line}: {message}", path.display())]
    Invalid {
        /// The project file.
        path: PathBuf,
        /// The line (1-based).
        line: usize,
        /// What is wrong, naming the key.
        message: String,
    },
}

/// The keys a project may set, by section, and whether each holds a path (made relative to
/// the project's folder) or a list.
const KEYS: &[(&str, &[(&str, Kind)])] = &[
    ("", &[("out", Kind::Path), ("archive", Kind::Path)]),
    (
        "sources",
        &[("inputs", Kind::Inputs), ("published", Kind::Word)],
    ),
    (
        "fetch",
        &[
            ("cache", Kind::Path),
            ("timeout", Kind::Word),
            ("retries", Kind::Word),
            ("max_mb", Kind::Word),
            ("fetch_deadline", Kind::Word),
            ("host_delay", Kind::Word),
        ],
    ),
    (
        "gazetteer",
        &[("overlays", Kind::Paths), ("world", Kind::Path)],
    ),
    (
        "build",
        &[
            ("period", Kind::Word),
            ("event_km", Kind::Word),
            ("event_days", Kind::Word),
            ("no_district_events", Kind::Word),
            ("tiles_max_zoom", Kind::Word),
            ("no_tiles", Kind::Word),
            ("mbtiles", Kind::Word),
            ("no_web", Kind::Word),
            ("web_assets", Kind::Path),
            ("corrections", Kind::Path),
            ("strict", Kind::Word),
            ("max_unresolved", Kind::Word),
        ],
    ),
];

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    /// A word, number or switch, as it is.
    Word,
    /// A path.
    Path,
    /// A list of paths.
    Paths,
    /// A list of paths or URLs.
    Inputs,
}

impl Project {
    /// Reads a project file; every key is checked against those a project may set.
    pub fn read(path: &Path) -> Result<Project, ProjectError> {
        let text = std::fs::read_to_string(path).map_err(|cause| ProjectError::Io {
            path: path.to_path_buf(),
            cause,
        })?;
        Project::parse(path, &text)
    }

    /// Reads a project file's text (`path` names it and anchors its relative paths).
    pub fn parse(path: &Path, text: &str) -> Result<Project, ProjectError> {
        let invalid = |line: usize, message: String| ProjectError::Invalid {
            path: path.to_path_buf(),
            line,
            message,
        };
        let line_of = |offset: usize| text[..offset.min(text.len())].matches('\n').count() + 1;
        type Doc = std::collections::BTreeMap<Spanned<String>, Spanned<toml::Value>>;
        let doc: Doc = toml::from_str(text).map_err(|e| {
            let line = e.span().map_or(1, |s| line_of(s.start));
            invalid(line, e.message().trim().to_string())
        })?;
        let base = path.parent().unwrap_or(Path::new(""));
        let mut settings = Vec::new();
        // (section, key, value, line of the value); TOML gives map keys no span of their own.
        let mut entries: Vec<(&str, &Spanned<String>, &Spanned<toml::Value>, usize)> = Vec::new();
        for (k, v) in &doc {
            match v.get_ref() {
                toml::Value::Table(_) => {
                    // A section: its keys, with their own spans, are read again below.
                    let section = KEYS
                        .iter()
                        .find(|(s, _)| !s.is_empty() && *s == k.get_ref());
                    if section.is_none() {
                        let header = format!("[{}]", k.get_ref());
                        let line = text
                            .lines()
                            .position(|l| l.trim_start().starts_with(&header))
                            .map_or(1, |i| i + 1);
                        return Err(invalid(
                            line,
                            format!(
                                "unknown section [{}] (a project has [sources], [fetch], [gazetteer] and [build])",
                                k.get_ref()
                            ),
                        ));
                    }
                }
                _ => entries.push(("", k, v, line_of(v.span().start))),
            }
        }
        // The keys of sections, with spans: read as maps of spanned values.
        #[derive(Deserialize)]
        struct Sections {
            #[serde(default)]
            sources: std::collections::BTreeMap<Spanned<String>, Spanned<toml::Value>>,
            #[serde(default)]
            fetch: std::collections::BTreeMap<Spanned<String>, Spanned<toml::Value>>,
            #[serde(default)]
            gazetteer: std::collections::BTreeMap<Spanned<String>, Spanned<toml::Value>>,
            #[serde(default)]
            build: std::collections::BTreeMap<Spanned<String>, Spanned<toml::Value>>,
        }
        // The sections again, with their keys' spans (the top-level keys, read above, are
        // fields `Sections` ignores).
        let sections: Sections = toml::from_str(text).map_err(|e| {
            let line = e.span().map_or(1, |s| line_of(s.start));
            invalid(line, e.message().trim().to_string())
        })?;
        for (name, map) in [
            ("sources", &sections.sources),
            ("fetch", &sections.fetch),
            ("gazetteer", &sections.gazetteer),
            ("build", &sections.build),
        ] {
            for (k, v) in map {
                entries.push((name, k, v, line_of(v.span().start)));
            }
        }
        entries.sort_by_key(|e| e.3);
        for (section, k, v, line) in entries {
            let (section, keys) = KEYS
                .iter()
                .find(|(s, _)| *s == section)
                .map(|(s, keys)| (*s, *keys))
                .unwrap_or(("", &[]));
            let Some(&(key, kind)) = keys.iter().find(|(name, _)| *name == k.get_ref()) else {
                let known: Vec<&str> = keys.iter().map(|(n, _)| *n).collect();
                let place = if section.is_empty() {
                    "at the top of the file".to_string()
                } else {
                    format!("in [{section}]")
                };
                return Err(invalid(
                    line,
                    format!(
                        "unknown key `{}` {place} (known: {})",
                        k.get_ref(),
                        known.join(", ")
                    ),
                ));
            };
            let value = value_of(v.get_ref(), kind, base)
                .map_err(|m| invalid(line, format!("`{key}`: {m}")))?;
            settings.push(Setting {
                section,
                key,
                value,
                line,
            });
        }
        Ok(Project {
            path: path.to_path_buf(),
            settings,
        })
    }

    /// The setting of `key` in `section`, if the file has it.
    pub fn get(&self, section: &str, key: &str) -> Option<&Setting> {
        self.settings
            .iter()
            .find(|s| s.section == section && s.key == key)
    }

    /// The archive of `refresh`: the file's `archive`, else `tollmap-archive.sqlite` beside
    /// the project file.
    pub fn archive(&self) -> PathBuf {
        match self.get("", "archive").map(|s| &s.value) {
            Some(Value::Text(p)) => PathBuf::from(p),
            _ => self
                .path
                .parent()
                .unwrap_or(Path::new(""))
                .join(DEFAULT_ARCHIVE),
        }
    }
}

/// The archive's name when nothing names it.
pub const DEFAULT_ARCHIVE: &str = "tollmap-archive.sqlite";

/// A value of the kind its key takes.
fn value_of(v: &toml::Value, kind: Kind, base: &Path) -> Result<Value, String> {
    let path = |p: &str| -> String {
        if p.starts_with("http://") || p.starts_with("https://") || Path::new(p).is_absolute() {
            p.to_string()
        } else {
            base.join(p).display().to_string()
        }
    };
    let list = |v: &toml::Value| -> Result<Vec<String>, String> {
        match v {
            toml::Value::Array(a) => a
                .iter()
                .map(|x| {
                    x.as_str().map(str::to_string).ok_or_else(|| {
                        format!("expected a list of strings, found {}", x.type_str())
                    })
                })
                .collect(),
            toml::Value::String(s) => Ok(vec![s.clone()]),
            other => Err(format!(
                "expected a list of strings, found {}",
                other.type_str()
            )),
        }
    };
    Ok(match (kind, v) {
        (Kind::Word, toml::Value::Boolean(b)) => Value::Switch(*b),
        (Kind::Word, toml::Value::Integer(n)) => Value::Number(*n as f64),
        (Kind::Word, toml::Value::Float(n)) => Value::Number(*n),
        (Kind::Word, toml::Value::String(s)) => Value::Text(s.clone()),
        (Kind::Path, toml::Value::String(s)) => Value::Text(path(s)),
        (Kind::Paths | Kind::Inputs, v) => Value::List(list(v)?.iter().map(|p| path(p)).collect()),
        (_, other) => return Err(format!("expected a string, found {}", other.type_str())),
    })
}

/// The project `tollmap init` writes: every key, commented, with its default.
pub const EXAMPLE: &str = r#"# tollmap project: `tollmap refresh --project tollmap.toml` (or `build`, `extract`).
# Keys are the command-line flags with `_` for `-`; a flag given on the command line wins.
# Paths are relative to this file.

# The output folder (build, refresh).
out = "site"
# Every document ever read, with its versions and claims (refresh).
archive = "tollmap-archive.sqlite"

[sources]
# Files, folders, article pages and RSS/Atom feeds.
inputs = [
    "articles/",
    # "https://example.org/syria/feed.xml",
]
# Publication date of text files that carry none (YYYY-MM-DD).
# published = "2019-05-14"

[fetch]
# Downloads kept and revalidated (ETag / Last-Modified).
cache = ".tollmap-cache"
timeout = 30          # seconds per request, body included
retries = 3
max_mb = 20
fetch_deadline = 1800 # seconds for all fetching of a run
host_delay = 1        # seconds between two requests to one site

[gazetteer]
# Extra places and aliases (CSV or GeoJSON) that win over the bundled gazetteer.
overlays = []
# A folder written by `tollmap gazetteer import`.
# world = "world/"

[build]
period = "month"      # day, week, month or year
event_km = 10
event_days = 1
no_district_events = false
tiles_max_zoom = 12
no_tiles = false
mbtiles = false       # tiles.mbtiles too (QGIS 3.22 opens MBTiles, not PMTiles)
no_web = false
strict = false
# max_unresolved = 100
# corrections = "corrections.csv"   # claim_id,action,value,note,by (README, "Corrections")
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_example_reads_and_paths_are_the_projects() {
        let p = Project::parse(Path::new("/srv/map/tollmap.toml"), EXAMPLE).expect("reads");
        assert_eq!(
            p.get("", "out").map(|s| &s.value),
            Some(&Value::Text("/srv/map/site".into()))
        );
        assert_eq!(
            p.get("sources", "inputs").map(|s| &s.value),
            Some(&Value::List(vec!["/srv/map/articles/".into()]))
        );
        assert_eq!(p.get("build", "period").map(|s| s.line), Some(35));
        assert_eq!(
            p.archive(),
            PathBuf::from("/srv/map/tollmap-archive.sqlite")
        );
    }

    #[test]
    fn bad_keys_and_values_are_named_at_their_line() {
        for (text, want) in [
            (
                "out = \"a\"\n[build]\nperod = \"month\"\n",
                "t.toml:3: unknown key `perod` in [build]",
            ),
            (
                "outt = 1\n",
                "t.toml:1: unknown key `outt` at the top of the file",
            ),
            (
                "out = \"a\"\n\n[builds]\nperiod = \"month\"\n",
                "t.toml:3: unknown section [builds]",
            ),
            (
                "[sources]\ninputs = [1, 2]\n",
                "t.toml:2: `inputs`: expected a list of strings",
            ),
            ("[build]\nperiod = \n", "t.toml:2:"),
            (
                "[gazetteer]\nworld = 3\n",
                "t.toml:2: `world`: expected a string",
            ),
        ] {
            let err = Project::parse(Path::new("t.toml"), text)
                .expect_err(text)
                .to_string();
            assert!(err.starts_with(want), "{text:?}: {err}");
        }
    }
}

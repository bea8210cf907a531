//! `odoo-lint.toml`: found in the checked directory or its ancestors (the closest wins, the
//! way ruff finds ruff.toml), or named with `--config`; `--isolated` ignores it.
//!
//! In each directory, from the checked one up, the first of `odoo-lint.toml`,
//! `.odoo-lint.toml` and a `pyproject.toml` with a `[tool.odoo-lint]` table is the
//! configuration; files are never merged, except through `extend = "../base.toml"`, which
//! reads another file first and lets this one override it (lists of `extend-select`,
//! `ignore` and `exclude` add up; `select`, scalars and `[host]` keys replace; `[severity]`
//! and `[per-file-ignores]` entries replace the same key; `[[stack]]`s replace the stack of
//! the same name). Paths in a file are relative to that file's directory.

use crate::diagnostic::Severity;
use crate::host::{Fact, FactOrigin, HostFacts};
use crate::units::parse_human_bytes;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub const FILE_NAME: &str = "odoo-lint.toml";

/// The names a configuration may have, in the order they are looked for in one directory.
pub const FILE_NAMES: [&str; 3] = [FILE_NAME, ".odoo-lint.toml", "pyproject.toml"];

/// How deep `extend` chains may go (a cycle is reported before).
const MAX_EXTEND_DEPTH: usize = 16;

/// The file as written.
#[derive(Debug, Default, Deserialize, Clone)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ConfigFile {
    /// Another configuration file this one extends (relative to this file's directory).
    #[serde(default)]
    pub extend: Option<String>,
    /// Rule codes or names to check (default: all).
    #[serde(default)]
    pub select: Option<Vec<String>>,
    /// Rule codes or names to add to `select`.
    #[serde(default)]
    pub extend_select: Vec<String>,
    /// Rule codes or names never to report.
    #[serde(default)]
    pub ignore: Vec<String>,
    /// Lowest severity that makes the exit code 1: error, warning, info or never.
    #[serde(default)]
    pub fail_on: Option<String>,
    /// Severity overrides: `OL301 = "error"`.
    #[serde(default)]
    pub severity: BTreeMap<String, String>,
    /// The Odoo major version of every stack (detection is skipped).
    #[serde(default)]
    pub odoo_version: Option<u32>,
    #[serde(default)]
    pub host: Option<HostSection>,
    /// Stacks named explicitly.
    #[serde(default)]
    pub stack: Vec<StackSection>,
    /// Globs of paths never read.
    #[serde(default)]
    pub exclude: Vec<String>,
    /// Rules not reported in files matching a glob: `"envs/dev/**" = ["OL8"]`.
    #[serde(default)]
    pub per_file_ignores: BTreeMap<String, Vec<String>>,
    /// What `odoo-lint tune` must know or leave alone.
    #[serde(default)]
    pub tune: Option<TuneSection>,
}

/// `[tune]`: inputs of the auto-tuner and the values it must not change.
#[derive(Debug, Default, Deserialize, Clone)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TuneSection {
    /// Settings `tune` never changes (`max_connections`, `workers`, `LimitNOFILE`, …).
    #[serde(default)]
    pub keep: Vec<String>,
    /// Concurrent users the stack serves at its busiest (Odoo sizes about 6 per worker).
    #[serde(default)]
    pub users: Option<u64>,
    /// The database's storage: `ssd` (default) or `hdd`; sets PostgreSQL's planner costs.
    #[serde(default)]
    pub storage: Option<String>,
}

#[derive(Debug, Default, Deserialize, Clone)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct HostSection {
    pub cpus: Option<u32>,
    pub memory: Option<String>,
}

#[derive(Debug, Default, Deserialize, Clone)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct StackSection {
    pub name: String,
    /// Files (or globs) of this stack, relative to the directory of odoo-lint.toml.
    pub files: Vec<String>,
    #[serde(default)]
    pub odoo_version: Option<u32>,
    #[serde(default)]
    pub host: Option<HostSection>,
    /// The compose files of this stack in `docker compose -f` order (later files override
    /// earlier ones), relative to the directory of odoo-lint.toml.
    #[serde(default)]
    pub compose: Vec<String>,
}

/// A loaded configuration.
#[derive(Debug, Default, Clone)]
pub struct Config {
    pub path: Option<PathBuf>,
    pub file: ConfigFile,
}

impl Config {
    /// The directory relative paths in the file are resolved against.
    pub fn base_dir(&self) -> PathBuf {
        self.path.as_ref().and_then(|p| p.parent()).map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from("."))
    }

    pub fn fail_on(&self) -> Result<Option<FailOn>, String> {
        self.file.fail_on.as_deref().map(FailOn::parse).transpose()
    }

    pub fn host(&self) -> Result<HostFacts, String> {
        match &self.file.host {
            Some(h) => host_facts(h, &self.display()),
            None => Ok(HostFacts::default()),
        }
    }

    pub fn display(&self) -> String {
        self.path.as_deref().map(crate::source::display_path).unwrap_or_else(|| FILE_NAME.to_string())
    }

    /// Severity overrides, validated.
    pub fn severities(&self) -> Result<Vec<(String, Severity)>, String> {
        self.file
            .severity
            .iter()
            .map(|(code, sev)| {
                if !crate::rules::is_known_selector(code) {
                    return Err(format!("{}: [severity] `{code}` {}", self.display(), crate::rules::unknown_selector(code)));
                }
                Severity::parse(sev)
                    .map(|s| (code.clone(), s))
                    .ok_or_else(|| format!("{}: severity of {code} must be error, warning or info, not `{sev}`", self.display()))
            })
            .collect()
    }
}

pub fn host_facts(h: &HostSection, origin: &str) -> Result<HostFacts, String> {
    let cpus = h.cpus.map(|c| Fact { value: c, origin: FactOrigin::Config(origin.to_string()) });
    let memory = match &h.memory {
        Some(m) => Some(Fact {
            value: parse_human_bytes(m)
                .ok_or_else(|| format!("{origin}: [host] memory = \"{m}\" is not a size (try \"16GiB\")"))?,
            origin: FactOrigin::Config(origin.to_string()),
        }),
        None => None,
    };
    if cpus.as_ref().is_some_and(|c| c.value == 0) {
        return Err(format!("{origin}: [host] cpus must be at least 1"));
    }
    Ok(HostFacts { cpus, memory })
}

/// The lowest severity that fails the run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FailOn {
    Severity(Severity),
    Never,
}

impl FailOn {
    pub fn parse(s: &str) -> Result<FailOn, String> {
        if s.eq_ignore_ascii_case("never") {
            return Ok(FailOn::Never);
        }
        Severity::parse(s)
            .map(FailOn::Severity)
            .ok_or_else(|| format!("fail-on must be error, warning, info or never, not `{s}`"))
    }
    pub fn fails(self, s: Severity) -> bool {
        match self {
            FailOn::Never => false,
            FailOn::Severity(min) => s >= min,
        }
    }
}

/// Finds the configuration for `start` (a directory, or a file's directory): the first of
/// [`FILE_NAMES`] in it or its closest ancestor (a pyproject.toml only with `[tool.odoo-lint]`).
pub fn find(start: &Path) -> Option<PathBuf> {
    let abs = if start.is_absolute() { start.to_path_buf() } else { std::env::current_dir().ok()?.join(start) };
    let mut dir = if abs.is_dir() { abs } else { abs.parent()?.to_path_buf() };
    loop {
        for name in FILE_NAMES {
            let candidate = dir.join(name);
            if candidate.is_file() && (name != "pyproject.toml" || pyproject_has_section(&candidate)) {
                return Some(candidate);
            }
        }
        if !dir.pop() {
            return None;
        }
    }
}

fn pyproject_has_section(path: &Path) -> bool {
    std::fs::read_to_string(path)
        .ok()
        .and_then(|t| toml::from_str::<toml::Table>(&t).ok())
        .is_some_and(|t| t.get("tool").and_then(|v| v.get("odoo-lint")).is_some())
}

/// Reads and validates a configuration file (and the files it extends).
pub fn load(path: &Path) -> Result<Config, String> {
    let file = read_chain(path, &mut Vec::new())?;
    let config = Config { path: Some(path.to_path_buf()), file };
    config.fail_on().map_err(|e| format!("{}: {e}", config.display()))?;
    config.host()?;
    config.severities()?;
    if let Some(t) = &config.file.tune
        && let Some(storage) = &t.storage
        && !matches!(storage.as_str(), "ssd" | "hdd")
    {
        return Err(format!("{}: [tune] storage must be \"ssd\" or \"hdd\", not \"{storage}\"", config.display()));
    }
    for s in &config.file.stack {
        if let Some(h) = &s.host {
            host_facts(h, &config.display())?;
        }
    }
    let lists = [
        ("select", config.file.select.clone().unwrap_or_default()),
        ("extend-select", config.file.extend_select.clone()),
        ("ignore", config.file.ignore.clone()),
    ];
    for (key, list) in lists {
        for sel in list {
            if !crate::rules::is_known_selector(&sel) {
                return Err(format!("{}: `{sel}` in `{key}` {}", config.display(), crate::rules::unknown_selector(&sel)));
            }
        }
    }
    for (glob, list) in &config.file.per_file_ignores {
        for sel in list {
            if !crate::rules::is_known_selector(sel) {
                return Err(format!(
                    "{}: `{sel}` in per-file-ignores \"{glob}\" {}",
                    config.display(),
                    crate::rules::unknown_selector(sel)
                ));
            }
        }
    }
    Ok(config)
}

/// Reads one file and, first, the chain it extends; `seen` holds the files being read (to
/// report a cycle).
fn read_chain(path: &Path, seen: &mut Vec<PathBuf>) -> Result<ConfigFile, String> {
    let shown = crate::source::display_path(path);
    let canon = std::fs::canonicalize(path).map_err(|e| format!("{shown}: {e}"))?;
    if seen.contains(&canon) {
        return Err(format!(
            "{shown}: `extend` makes a cycle ({})",
            seen.iter().map(|p| crate::source::display_path(p)).collect::<Vec<_>>().join(" → ")
        ));
    }
    if seen.len() >= MAX_EXTEND_DEPTH {
        return Err(format!("{shown}: `extend` chains more than {MAX_EXTEND_DEPTH} files"));
    }
    seen.push(canon.clone());
    let file = read_one(path)?;
    let Some(parent_rel) = file.extend.clone() else {
        return Ok(file);
    };
    let dir = canon.parent().map(Path::to_path_buf).unwrap_or_default();
    let parent_path = dir.join(&parent_rel);
    if !parent_path.is_file() {
        return Err(format!("{shown}: extend = \"{parent_rel}\": no such file ({})", parent_path.display()));
    }
    let mut parent = read_chain(&parent_path, seen)?;
    let parent_dir = std::fs::canonicalize(&parent_path).ok().and_then(|p| p.parent().map(Path::to_path_buf)).unwrap_or_default();
    absolutize(&mut parent, &parent_dir);
    Ok(merge(parent, file))
}

/// Reads one file as written (a pyproject.toml's `[tool.odoo-lint]` table).
fn read_one(path: &Path) -> Result<ConfigFile, String> {
    let shown = crate::source::display_path(path);
    let text = std::fs::read_to_string(path).map_err(|e| format!("{shown}: {e}"))?;
    if path.file_name().is_some_and(|n| n == "pyproject.toml") {
        let table: toml::Table = toml::from_str(&text).map_err(|e| format!("{shown}: {}", e.to_string().trim_end()))?;
        let Some(section) = table.get("tool").and_then(|t| t.get("odoo-lint")) else {
            return Err(format!("{shown}: no [tool.odoo-lint] table"));
        };
        return section
            .clone()
            .try_into()
            .map_err(|e: toml::de::Error| format!("{shown}: [tool.odoo-lint]: {}", explain(&e.to_string())));
    }
    toml::from_str(&text).map_err(|e| format!("{shown}: {}", explain(&e.to_string())))
}

/// Every key a configuration may hold, per table, for "did you mean".
const KEYS: &[&str] = &[
    "extend",
    "select",
    "extend-select",
    "ignore",
    "fail-on",
    "severity",
    "odoo-version",
    "host",
    "stack",
    "exclude",
    "per-file-ignores",
    "cpus",
    "memory",
    "name",
    "files",
    "compose",
    "tune",
    "keep",
    "users",
    "storage",
];

/// serde's "unknown field `selec`, expected one of …" becomes "unknown key `selec`; did you
/// mean `select`?" (the position and snippet before it stay).
fn explain(message: &str) -> String {
    let message = message.trim_end();
    let Some(at) = message.find("unknown field `") else { return message.to_string() };
    let rest = &message[at + "unknown field `".len()..];
    let Some(end) = rest.find('`') else { return message.to_string() };
    let key = &rest[..end];
    // the keys valid where it was written, as serde lists them
    let expected: Vec<&str> = rest[end + 1..].split('`').skip(1).step_by(2).collect();
    let candidates: Vec<&str> = if expected.is_empty() { KEYS.to_vec() } else { expected.clone() };
    let hint = match crate::suggest::closest(key, &candidates) {
        Some(c) => format!("did you mean `{c}`?"),
        None => format!("valid keys here: {}", candidates.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")),
    };
    format!("{}unknown key `{key}`; {hint}", &message[..at])
}

/// Makes a parent's relative paths absolute, since they are relative to its own directory.
fn absolutize(file: &mut ConfigFile, dir: &Path) {
    let abs = |p: &String| if Path::new(p).is_absolute() { p.clone() } else { dir.join(p).to_string_lossy().into_owned() };
    file.exclude = file.exclude.iter().map(abs).collect();
    file.per_file_ignores = std::mem::take(&mut file.per_file_ignores).into_iter().map(|(k, v)| (abs(&k), v)).collect();
    for s in &mut file.stack {
        s.files = s.files.iter().map(abs).collect();
        s.compose = s.compose.iter().map(abs).collect();
    }
}

/// `child` over `parent`.
fn merge(parent: ConfigFile, child: ConfigFile) -> ConfigFile {
    let host = match (parent.host, child.host) {
        (Some(p), Some(c)) => Some(HostSection { cpus: c.cpus.or(p.cpus), memory: c.memory.or(p.memory) }),
        (p, c) => c.or(p),
    };
    let mut severity = parent.severity;
    severity.extend(child.severity);
    let mut per_file_ignores = parent.per_file_ignores;
    per_file_ignores.extend(child.per_file_ignores);
    let mut stack: Vec<StackSection> =
        parent.stack.into_iter().filter(|p| !child.stack.iter().any(|c| c.name == p.name)).collect();
    stack.extend(child.stack);
    ConfigFile {
        extend: None,
        select: child.select.or(parent.select),
        extend_select: [parent.extend_select, child.extend_select].concat(),
        ignore: [parent.ignore, child.ignore].concat(),
        fail_on: child.fail_on.or(parent.fail_on),
        severity,
        odoo_version: child.odoo_version.or(parent.odoo_version),
        host,
        stack,
        exclude: [parent.exclude, child.exclude].concat(),
        per_file_ignores,
        tune: match (parent.tune, child.tune) {
            (Some(p), Some(c)) => Some(TuneSection {
                keep: [p.keep, c.keep].concat(),
                users: c.users.or(p.users),
                storage: c.storage.or(p.storage),
            }),
            (p, c) => c.or(p),
        },
    }
}

impl Config {
    /// Whether `exclude` leaves `path` out: a relative glob matches the path relative to the
    /// configuration's directory, an absolute one (from an extended file) the absolute path.
    pub fn is_excluded(&self, path: &Path) -> bool {
        if self.file.exclude.is_empty() {
            return false;
        }
        let base = crate::workspace::canonical(&self.base_dir());
        let abs = crate::workspace::canonical(path);
        let rel = abs.strip_prefix(&base).map(|r| r.to_string_lossy().replace('\\', "/"));
        self.file.exclude.iter().any(|g| {
            let g = g.trim_start_matches("./");
            rel.as_deref().is_ok_and(|r| crate::workspace::glob_match(g, r))
                || crate::workspace::glob_match(g, &abs.to_string_lossy())
                || crate::workspace::glob_match(g, &path.to_string_lossy())
        })
    }

    /// `per-file-ignores`, ready for [`crate::lint::Selection`].
    pub fn per_file_ignores(&self) -> Vec<crate::lint::PerFileIgnore> {
        self.file
            .per_file_ignores
            .iter()
            .map(|(glob, rules)| crate::lint::PerFileIgnore { base: self.base_dir(), glob: glob.clone(), rules: rules.clone() })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_full_file() {
        let f: ConfigFile = toml::from_str(
            r#"
            select = ["OL3"]
            ignore = ["OL803"]
            fail-on = "error"
            odoo-version = 17
            [host]
            cpus = 4
            memory = "8GiB"
            [severity]
            OL301 = "error"
            [[stack]]
            name = "prod"
            files = ["envs/prod/*"]
            host = { cpus = 8 }
            [tune]
            keep = ["max_connections"]
            users = 120
            "#,
        )
        .unwrap();
        assert_eq!(f.odoo_version, Some(17));
        assert_eq!(f.tune.as_ref().unwrap().keep, ["max_connections"]);
        assert_eq!(f.tune.as_ref().unwrap().users, Some(120));
        assert_eq!(f.stack[0].host.as_ref().unwrap().cpus, Some(8));
        let c = Config { path: None, file: f };
        assert_eq!(c.host().unwrap().memory.unwrap().value, crate::units::Bytes::gib(8));
    }

    #[test]
    fn rejects_unknown_keys() {
        let err = toml::from_str::<ConfigFile>("selec = []").unwrap_err().to_string();
        assert!(err.contains("unknown field `selec`"), "{err}");
    }
}

//! `odoo-lint.toml`: found in the checked directory or its ancestors (the closest wins, the
//! way ruff finds ruff.toml), or named with `--config`; `--isolated` ignores it.

use crate::diagnostic::Severity;
use crate::host::{Fact, FactOrigin, HostFacts};
use crate::units::parse_human_bytes;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub const FILE_NAME: &str = "odoo-lint.toml";

/// The file as written.
#[derive(Debug, Default, Deserialize, Clone)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ConfigFile {
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

/// Finds odoo-lint.toml in `start` (a directory, or a file's directory) or its ancestors.
pub fn find(start: &Path) -> Option<PathBuf> {
    let abs = if start.is_absolute() { start.to_path_buf() } else { std::env::current_dir().ok()?.join(start) };
    let mut dir = if abs.is_dir() { abs } else { abs.parent()?.to_path_buf() };
    loop {
        let candidate = dir.join(FILE_NAME);
        if candidate.is_file() {
            return Some(candidate);
        }
        if !dir.pop() {
            return None;
        }
    }
}

/// Reads and validates an odoo-lint.toml.
pub fn load(path: &Path) -> Result<Config, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let file: ConfigFile =
        toml::from_str(&text).map_err(|e| format!("{}: {}", crate::source::display_path(path), e.to_string().trim_end()))?;
    let config = Config { path: Some(path.to_path_buf()), file };
    config.fail_on()?;
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
    Ok(config)
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

//! A unit merged with its drop-ins, as systemd loads it.
//!
//! systemd reads the unit file, then every drop-in (`NAME.service.d/*.conf`, from all unit
//! directories, sorted by file name; a name in /etc hides the same name in /run and /usr/lib),
//! all into the same unit: repeated sections simply continue. For each key the assignments are
//! applied in that order: a single-value key keeps the last value systemd accepted (an invalid
//! one is ignored and the previous value stays; an empty one restores the default), a list key
//! (`Environment=`, `ExecStart=`, `After=`…) accumulates and an empty assignment empties it
//! (systemd.unit(5) "Description", systemd.syntax(7)).
//!
//! Every value read here comes with the file (by index into the slice given) and byte range
//! it was read from.

use std::path::{Path, PathBuf};

use crate::formats::SyntaxError;
use crate::formats::systemd::exec::{EnvAssignment, EnvFile, ExecCommand, parse_env_file, parse_environment, parse_exec};
use crate::formats::systemd::values::{
    DEFAULT_LIMIT_NOFILE, DEFAULT_TIMEOUT_STOP, MemoryLimit, Rlimit, parse_cpu_quota, parse_memory_limit, parse_rlimit,
    parse_timeout,
};
use crate::formats::systemd::{Assignment, UnitFile};
use crate::source::TextRange;
use crate::units::SystemdTimespan;

/// The order systemd applies drop-ins in: only `*.conf`, sorted by file name (byte order); of
/// two with the same name, the first given wins (list /etc before /run before /usr/lib).
pub fn dropin_order(paths: &[PathBuf]) -> Vec<PathBuf> {
    let name = |p: &Path| p.file_name().map(|n| n.as_encoded_bytes().to_vec()).unwrap_or_default();
    let mut out: Vec<PathBuf> = Vec::new();
    for p in paths {
        let n = name(p);
        if n.ends_with(b".conf") && !out.iter().any(|q| name(q) == n) {
            out.push(p.clone());
        }
    }
    out.sort_by_key(|p| name(p));
    out
}

/// systemd's `path_simplify()`: repeated slashes and `.` components dropped, no trailing
/// slash (`/opt/odoo/` → `/opt/odoo`).
pub fn simplify_path(p: &str) -> String {
    let absolute = p.starts_with('/');
    let parts: Vec<&str> = p.split('/').filter(|c| !c.is_empty() && *c != ".").collect();
    let joined = parts.join("/");
    if absolute {
        format!("/{joined}")
    } else if joined.is_empty() {
        ".".into()
    } else {
        joined
    }
}

/// Where a value was read: file index (into the slice given to [`EffectiveUnit::new`]) and the
/// byte range of the value (or the whole assignment, see each accessor).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Origin {
    pub file: usize,
    pub range: TextRange,
    /// The `Key=value` line.
    pub line_range: TextRange,
}

/// A value with its origin, or systemd's default.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Setting<T> {
    pub value: T,
    /// `None`: not set anywhere, `value` is systemd's default.
    pub origin: Option<Origin>,
}

/// A unit with its drop-ins applied.
pub struct EffectiveUnit<'a> {
    files: Vec<&'a UnitFile>,
}

impl<'a> EffectiveUnit<'a> {
    /// `files`: the unit file first (if any), then its drop-ins in [`dropin_order`].
    pub fn new(files: &[&'a UnitFile]) -> Self {
        EffectiveUnit { files: files.to_vec() }
    }

    /// systemd refuses the unit if the unit file or any drop-in has a
    /// load error.
    pub fn load_error(&self) -> bool {
        self.files.iter().any(|f| f.load_error)
    }

    /// All applied assignments of `section`/`key`, in the order systemd applies them.
    pub fn assignments(&self, section: &'a str, key: &'a str) -> impl Iterator<Item = (usize, &'a Assignment)> + 'a {
        let files = self.files.clone();
        files.into_iter().enumerate().flat_map(move |(i, f)| f.values(section, key).map(move |a| (i, a)))
    }

    fn origin(i: usize, a: &Assignment) -> Origin {
        Origin { file: i, range: a.value.range(), line_range: a.range }
    }

    /// The raw text of a single-value key: the last assignment (an empty one resets to unset).
    pub fn last_value(&self, section: &'a str, key: &'a str) -> Option<Setting<String>> {
        let (i, a) = self.assignments(section, key).last()?;
        if a.value.is_empty() {
            return None;
        }
        Some(Setting { value: a.value.text.clone(), origin: Some(Self::origin(i, a)) })
    }

    /// A single-value key read with `parse`: the last valid value wins, invalid ones are
    /// skipped (systemd logs and ignores them), an empty one resets to the default.
    fn last_valid<T>(&self, section: &'a str, keys: &[&'a str], parse: impl Fn(&str) -> Result<T, String>) -> Option<Setting<T>> {
        let mut items: Vec<(usize, &Assignment)> = Vec::new();
        for (i, f) in self.files.iter().enumerate() {
            for a in &f.assignments {
                if a.ignored.is_none() && f.section_name(a) == Some(section) && keys.contains(&a.key.as_str()) {
                    items.push((i, a));
                }
            }
        }
        let mut cur = None;
        for (i, a) in items {
            if a.value.is_empty() {
                cur = None;
                continue;
            }
            if let Ok(v) = parse(&a.value.text) {
                cur = Some(Setting { value: v, origin: Some(Self::origin(i, a)) });
            }
        }
        cur
    }

    /// Problems systemd would log while reading the typed keys below (value errors); syntax
    /// errors are in each [`UnitFile::errors`].
    pub fn value_errors(&self) -> Vec<(usize, SyntaxError)> {
        let mut out = Vec::new();
        for (i, f) in self.files.iter().enumerate() {
            for a in &f.assignments {
                if a.ignored.is_some() || f.section_name(a) != Some("Service") || a.value.is_empty() {
                    continue;
                }
                let t = a.value.text.as_str();
                let err = match a.key.as_str() {
                    "LimitNOFILE" | "LimitNPROC" => parse_rlimit(t).err(),
                    "MemoryMax" | "MemoryHigh" | "MemoryLimit" => parse_memory_limit(t, false).err(),
                    "MemoryLow" | "MemoryMin" | "MemorySwapMax" => parse_memory_limit(t, true).err(),
                    "CPUQuota" => parse_cpu_quota(t).err(),
                    "TimeoutStopSec" | "TimeoutSec" | "TimeoutStartSec" => parse_timeout(t).err(),
                    k if k.starts_with("Exec") => {
                        for e in parse_exec(&a.value).errors {
                            out.push((i, e));
                        }
                        None
                    }
                    "Environment" => {
                        for e in parse_environment(&a.value).1 {
                            out.push((i, e));
                        }
                        None
                    }
                    "EnvironmentFile" => parse_env_file(&a.value).err().map(|e| e.message),
                    _ => None,
                };
                if let Some(m) = err {
                    out.push((i, SyntaxError::new(a.value.range(), m)));
                }
            }
        }
        out
    }

    /// `LimitNOFILE=`, or systemd's default 1024:524288.
    pub fn limit_nofile(&self) -> Setting<Rlimit> {
        self.last_valid("Service", &["LimitNOFILE"], parse_rlimit)
            .unwrap_or(Setting { value: DEFAULT_LIMIT_NOFILE, origin: None })
    }

    /// `MemoryMax=` (unset: no limit).
    pub fn memory_max(&self) -> Option<Setting<MemoryLimit>> {
        self.last_valid("Service", &["MemoryMax"], |t| parse_memory_limit(t, false))
    }

    /// `MemoryHigh=` (unset: no limit).
    pub fn memory_high(&self) -> Option<Setting<MemoryLimit>> {
        self.last_valid("Service", &["MemoryHigh"], |t| parse_memory_limit(t, false))
    }

    /// `MemoryLimit=`, the cgroup-v1 predecessor of `MemoryMax=` (deprecated).
    pub fn memory_limit(&self) -> Option<Setting<MemoryLimit>> {
        self.last_valid("Service", &["MemoryLimit"], |t| parse_memory_limit(t, false))
    }

    /// `CPUQuota=` in per ten thousand of one CPU (unset: no quota).
    pub fn cpu_quota(&self) -> Option<Setting<u64>> {
        self.last_valid("Service", &["CPUQuota"], parse_cpu_quota)
    }

    /// The stop timeout: the last of `TimeoutStopSec=` and `TimeoutSec=` (which sets both start
    /// and stop), or the default 90 s.
    pub fn timeout_stop(&self) -> Setting<SystemdTimespan> {
        self.last_valid("Service", &["TimeoutStopSec", "TimeoutSec"], parse_timeout)
            .unwrap_or(Setting { value: DEFAULT_TIMEOUT_STOP, origin: None })
    }

    /// `User=` (unset: root).
    pub fn user(&self) -> Option<Setting<String>> {
        self.last_value("Service", "User")
    }

    /// `Group=` (unset: the user's primary group).
    pub fn group(&self) -> Option<Setting<String>> {
        self.last_value("Service", "Group")
    }

    /// `WorkingDirectory=` as written (`-` prefix and `~` kept; systemd uses it after
    /// [`simplify_path`]).
    pub fn working_directory(&self) -> Option<Setting<String>> {
        self.last_value("Service", "WorkingDirectory")
    }

    /// `Environment=`: the variables in effect, a later assignment of a name replacing the
    /// earlier one where it stands (systemd's `strv_env_replace`), each with its file.
    pub fn environment(&self) -> Vec<(usize, EnvAssignment)> {
        let mut out: Vec<(usize, EnvAssignment)> = Vec::new();
        for (i, a) in self.assignments("Service", "Environment") {
            if a.value.is_empty() {
                out.clear();
                continue;
            }
            for e in parse_environment(&a.value).0 {
                match out.iter().position(|(_, x)| x.name == e.name) {
                    Some(k) => out[k] = (i, e),
                    None => out.push((i, e)),
                }
            }
        }
        out
    }

    /// `EnvironmentFile=` entries, in order.
    pub fn environment_files(&self) -> Vec<(usize, EnvFile)> {
        let mut out = Vec::new();
        for (i, a) in self.assignments("Service", "EnvironmentFile") {
            if a.value.is_empty() {
                out.clear();
                continue;
            }
            if let Ok(f) = parse_env_file(&a.value) {
                out.push((i, f));
            }
        }
        out
    }

    /// The commands of an `Exec*=` key (`ExecStart`, `ExecStartPre`…), in order, each with
    /// its file.
    pub fn exec(&self, key: &'a str) -> Vec<(usize, ExecCommand)> {
        let mut out = Vec::new();
        for (i, a) in self.assignments("Service", key) {
            if a.value.is_empty() {
                out.clear();
                continue;
            }
            for c in parse_exec(&a.value).commands {
                out.push((i, c));
            }
        }
        out
    }

    /// `ExecStart=` commands.
    pub fn exec_start(&self) -> Vec<(usize, ExecCommand)> {
        self.exec("ExecStart")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::systemd::values::RlimitValue;
    use crate::formats::systemd::{UnitType, parse};
    use crate::source::SourceFile;

    fn files(texts: &[&str]) -> (Vec<SourceFile>, Vec<UnitFile>) {
        let s: Vec<SourceFile> = texts.iter().map(|t| SourceFile::from_text("odoo.service", t)).collect();
        let f = s.iter().map(|s| parse(s, UnitType::Service)).collect();
        (s, f)
    }

    #[test]
    fn dropins_override_and_lists_reset() {
        let (s, f) = files(&[
            "[Service]\nUser=odoo\nLimitNOFILE=1024\nEnvironment=A=1 B=2\nExecStart=/usr/bin/odoo -c /etc/odoo.conf\nTimeoutSec=30\n",
            "[Service]\nLimitNOFILE=65536\nLimitNOFILE=bad\nEnvironment=B=3\nExecStart=\nExecStart=/usr/bin/odoo --workers=4\n",
            "[Service]\nEnvironment=\nEnvironment=C=4\nTimeoutStopSec=0\n",
        ]);
        let refs: Vec<&UnitFile> = f.iter().collect();
        let u = EffectiveUnit::new(&refs);
        let n = u.limit_nofile();
        assert_eq!(n.value.hard, RlimitValue::Finite(65536));
        let o = n.origin.unwrap();
        assert_eq!((o.file, o.range.of(&s[1].text)), (1, "65536"));
        assert_eq!(u.user().unwrap().value, "odoo");
        let env: Vec<(usize, String)> = u.environment().into_iter().map(|(i, e)| (i, e.name)).collect();
        assert_eq!(env, [(2, "C".to_string())]);
        let ex = u.exec_start();
        assert_eq!(ex.len(), 1);
        assert_eq!(ex[0].0, 1);
        assert_eq!(ex[0].1.argv[1].range.of(&s[1].text), "--workers=4");
        assert_eq!(u.timeout_stop().value, SystemdTimespan::Infinity);
        assert_eq!(u.value_errors().len(), 1);
    }

    #[test]
    fn defaults_and_timeout_order() {
        let (_, f) = files(&["[Service]\nTimeoutStopSec=10\nTimeoutSec=20\n"]);
        let refs: Vec<&UnitFile> = f.iter().collect();
        let u = EffectiveUnit::new(&refs);
        assert_eq!(u.timeout_stop().value, SystemdTimespan::Usec(20_000_000));
        assert_eq!(u.limit_nofile(), Setting { value: DEFAULT_LIMIT_NOFILE, origin: None });
        let (_, f) = files(&["[Service]\nTimeoutSec=20\nTimeoutStopSec=10\nMemoryMax=100M\nMemoryMax=\n"]);
        let refs: Vec<&UnitFile> = f.iter().collect();
        let u = EffectiveUnit::new(&refs);
        assert_eq!(u.timeout_stop().value, SystemdTimespan::Usec(10_000_000));
        assert_eq!(u.memory_max(), None);
        let (_, f) = files(&["[Service]\n"]);
        let refs: Vec<&UnitFile> = f.iter().collect();
        assert_eq!(EffectiveUnit::new(&refs).timeout_stop().value, DEFAULT_TIMEOUT_STOP);
    }

    #[test]
    fn paths_are_simplified_like_systemd() {
        assert_eq!(simplify_path("/opt/odoo/"), "/opt/odoo");
        assert_eq!(simplify_path("//opt/./odoo"), "/opt/odoo");
        assert_eq!(simplify_path("/"), "/");
    }

    #[test]
    fn dropin_files_sorted_by_name() {
        let got = dropin_order(&[
            PathBuf::from("/etc/systemd/system/odoo.service.d/50-limits.conf"),
            PathBuf::from("/usr/lib/systemd/system/odoo.service.d/10-base.conf"),
            PathBuf::from("/etc/systemd/system/odoo.service.d/10-base.conf"),
            PathBuf::from("/etc/systemd/system/odoo.service.d/notes.txt"),
        ]);
        assert_eq!(
            got,
            [
                PathBuf::from("/usr/lib/systemd/system/odoo.service.d/10-base.conf"),
                PathBuf::from("/etc/systemd/system/odoo.service.d/50-limits.conf"),
            ]
        );
    }
}

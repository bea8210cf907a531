//! Odoo's settings in a stack, each with where it came from: a line of odoo.conf, a
//! command-line flag (a systemd `ExecStart`, a compose `command`), an environment variable,
//! or the built-in default of the detected Odoo version.
//!
//! Values are read the way the detected version reads them (see [`crate::odoo::options`]):
//! integers with optparse's rules on 14–18 and Python's `int()` on 19, booleans loosely on
//! 14–18 (any non-empty text but `False` is true) and strictly on 19.

use crate::files::{FileKind, FileSet};
use crate::formats::odoo_conf::{self, optparse_int, py_isspace};
use crate::odoo::options::{self, Reading};
use crate::source::{FileId, Span, TextRange};
use crate::stack::OdooVersion;
use std::collections::BTreeMap;
use std::fmt;

/// Where a setting's value came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// A line of odoo.conf: the key and the value (the value range may be empty).
    File { file: FileId, key: TextRange, value: TextRange },
    /// A command-line flag: the span of the words that set it.
    Flag { span: Span, flag: String },
    /// An environment variable (Odoo 19's `ODOO_*`/`PG*`, or the official image's `HOST`…).
    Env { span: Span, var: String },
    /// Odoo's built-in default for the version.
    Default { major: u8, assumed: bool },
    /// The official `odoo` Docker image's own choice: its built-in `/etc/odoo/odoo.conf`
    /// (`addons_path`, `data_dir`) or its entrypoint's defaults (`--db_host db`…). The span is
    /// the service's `image:` value.
    Image { span: Span },
}

impl Origin {
    /// The place to point at, if the value was written somewhere.
    pub fn span(&self) -> Option<Span> {
        match self {
            Origin::File { file, key, value } => Some(Span::new(*file, key.cover(*value))),
            Origin::Flag { span, .. } | Origin::Env { span, .. } | Origin::Image { span } => Some(*span),
            Origin::Default { .. } => None,
        }
    }

    /// The span of the value itself (for edits), if written in odoo.conf.
    pub fn value_span(&self) -> Option<Span> {
        match self {
            Origin::File { file, value, .. } => Some(Span::new(*file, *value)),
            _ => None,
        }
    }

    pub fn is_default(&self) -> bool {
        matches!(self, Origin::Default { .. } | Origin::Image { .. })
    }
}

impl fmt::Display for Origin {
    /// `odoo.conf`, `--workers flag`, `ODOO_WORKERS`, `Odoo 17 default`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::File { .. } => f.write_str("set in odoo.conf"),
            Origin::Flag { flag, .. } => write!(f, "from `{flag}`"),
            Origin::Env { var, .. } => write!(f, "from ${var}"),
            Origin::Default { major, assumed: false } => write!(f, "Odoo {major} default"),
            Origin::Default { major, assumed: true } => write!(f, "Odoo {major} default; version assumed"),
            Origin::Image { .. } => f.write_str("official image default"),
        }
    }
}

/// One setting as written.
#[derive(Clone, Debug)]
pub struct Setting {
    pub key: String,
    /// The text as Odoo receives it (configparser's joined value, or the flag's value).
    pub raw: String,
    pub origin: Origin,
}

/// A value read with its origin.
#[derive(Clone, Debug)]
pub struct Typed<T> {
    pub value: T,
    pub origin: Origin,
}

/// The Odoo settings of one stack.
#[derive(Clone, Debug)]
pub struct OdooSettings {
    /// The odoo.conf whose `[options]` were read (the stack's first), if any.
    pub conf: Option<FileId>,
    pub major: u8,
    pub version_known: bool,
    /// The `image:` value of a container whose configuration is the official `odoo` image's
    /// built-in one (nothing mounted over it): the settings are known without an odoo.conf.
    pub image: Option<Span>,
    set: BTreeMap<String, Setting>,
}

impl OdooSettings {
    /// Reads the settings of the stack made of `files`.
    pub fn build(fs: &FileSet, files: &[FileId], version: &OdooVersion) -> OdooSettings {
        let conf = files.iter().copied().find(|&f| fs.get(f).kind == FileKind::OdooConf);
        let mut set = BTreeMap::new();
        if let Some(id) = conf
            && let Some(c) = fs.odoo_conf(id)
        {
            for e in c.items("options") {
                set.insert(
                    e.key.clone(),
                    Setting {
                        key: e.key.clone(),
                        raw: e.value.clone(),
                        origin: Origin::File { file: id, key: e.key_range, value: e.value_full_range },
                    },
                );
            }
            // 14–18 map the old names on load; a later line wins when both are present.
            if version.major <= 18 {
                for (old, new) in
                    [("xmlrpc_port", "http_port"), ("xmlrpc_interface", "http_interface"), ("xmlrpc", "http_enable")]
                {
                    if let Some(s) = set.get(old).cloned() {
                        let newer = set.get(new).is_none_or(|n| line_of(&n.origin) < line_of(&s.origin));
                        if newer {
                            set.insert(new.to_string(), Setting { key: new.to_string(), ..s });
                        }
                    }
                }
            }
            // 16–17: a truthy longpolling_port overrides gevent_port.
            if (16..=17).contains(&version.major)
                && let Some(s) = set.get("longpolling_port").cloned()
                && optparse_int(&s.raw).is_some_and(|v| v != 0)
            {
                set.insert("gevent_port".into(), Setting { key: "gevent_port".into(), ..s });
            }
        }
        OdooSettings { conf, major: version.major, version_known: version.is_known(), image: None, set }
    }

    /// Whether the configuration Odoo reads is known: the stack's odoo.conf, or the official
    /// image's built-in one. Rules about Odoo's settings stay silent otherwise.
    pub fn known(&self) -> bool {
        self.conf.is_some() || self.image.is_some()
    }

    /// The setting as explicitly written, if it was.
    pub fn get(&self, key: &str) -> Option<&Setting> {
        self.set.get(key)
    }

    /// Adds or replaces a setting (a later source: flags, environment).
    pub fn set(&mut self, setting: Setting) {
        self.set.insert(setting.key.clone(), setting);
    }

    /// Every explicitly written setting.
    pub fn iter(&self) -> impl Iterator<Item = &Setting> {
        self.set.values()
    }

    fn default_origin(&self) -> Origin {
        Origin::Default { major: self.major, assumed: !self.version_known }
    }

    /// The default of `key` in this version, as Python source text.
    pub fn default_text(&self, key: &str) -> Option<&'static str> {
        options::lookup(key).and_then(|o| o.default_in(self.major))
    }

    /// An integer option's effective value. `None` when the written value cannot be read
    /// (rule OL005 reports it) or the option has no integer default.
    pub fn int(&self, key: &str) -> Option<Typed<i64>> {
        match self.set.get(key) {
            Some(s) => read_int(&s.raw, self.major).map(|value| Typed { value, origin: s.origin.clone() }),
            None => eval_python_int(self.default_text(key)?).map(|value| Typed { value, origin: self.default_origin() }),
        }
    }

    /// A boolean option's effective truth, the way Odoo tests it. `None` when Odoo 19 would
    /// refuse the value.
    pub fn flag(&self, key: &str) -> Option<Typed<bool>> {
        match self.set.get(key) {
            Some(s) => read_bool(&s.raw, self.major).map(|value| Typed { value, origin: s.origin.clone() }),
            None => {
                let d = self.default_text(key)?;
                Some(Typed { value: d == "True", origin: self.default_origin() })
            }
        }
    }

    /// A string option's effective value (defaults without their Python quotes).
    pub fn string(&self, key: &str) -> Option<Typed<String>> {
        match self.set.get(key) {
            Some(s) => Some(Typed { value: s.raw.clone(), origin: s.origin.clone() }),
            None => {
                let d = self.default_text(key)?;
                let v = d.trim_matches(|c| c == '\'' || c == '"');
                let v = if v == "None" || v == "False" { "" } else { v };
                Some(Typed { value: v.to_string(), origin: self.default_origin() })
            }
        }
    }

    /// A comma-list option's items (stripped, empty items dropped).
    pub fn list(&self, key: &str) -> Option<Typed<Vec<String>>> {
        let s = self.string(key)?;
        let text = s.value.trim_matches(|c| c == '[' || c == ']');
        let items = text
            .split([',', '\n'])
            .map(|i| i.trim_matches(py_isspace).trim_matches(|c| c == '\'' || c == '"').to_string())
            .filter(|i| !i.is_empty())
            .collect();
        Some(Typed { value: items, origin: s.origin })
    }

    /// Whether Odoo runs in prefork mode (`workers` truthy: positive, or negative for a
    /// cron-only node) rather than threaded.
    pub fn prefork(&self) -> bool {
        self.int("workers").is_some_and(|w| w.value != 0)
    }

    /// The Odoo processes that hold memory and database connections: `workers` HTTP workers
    /// plus `max_cron_threads` cron workers plus the gevent process in prefork mode; one
    /// process in threaded mode.
    pub fn processes(&self) -> Processes {
        let workers = self.int("workers").map(|w| w.value).unwrap_or(0);
        let cron = self.int("max_cron_threads").map(|c| c.value.max(0)).unwrap_or(2);
        if workers == 0 {
            return Processes { http: 0, cron: 0, gevent: 0, threaded: true };
        }
        // No machine runs more than a million Odoo processes: absurd values stay countable.
        Processes {
            http: workers.clamp(0, MAX_PROCESSES) as u64,
            cron: cron.min(MAX_PROCESSES) as u64,
            gevent: 1,
            threaded: false,
        }
    }

    /// "`limit_time_real` is 120 s (Odoo 17 default)"-style description of an int option.
    pub fn describe_int(&self, key: &str, unit: &str) -> String {
        match self.int(key) {
            Some(t) if unit.is_empty() => format!("`{key}` is {} ({})", t.value, t.origin),
            Some(t) => format!("`{key}` is {} {unit} ({})", t.value, t.origin),
            None => format!("`{key}` is unreadable"),
        }
    }
}

impl OdooSettings {
    /// Where to point for `key`: its line in odoo.conf (or the flag/variable that set it), else
    /// the `[options]` header (or the start of the file), with a label saying it is the default.
    pub fn place(&self, fs: &FileSet, key: &str) -> Option<(Span, String)> {
        if let Some(s) = self.set.get(key)
            && let Some(span) = s.origin.span()
        {
            return Some((span, String::new()));
        }
        let default = self.default_text(key).unwrap_or("unset");
        let Some(conf) = self.conf else {
            // the official image's built-in configuration: point at the image
            let span = self.image?;
            let shown = self.int(key).map(|t| t.value.to_string()).unwrap_or_else(|| default.trim_matches('\'').to_string());
            return Some((span, format!("`{key}` not set: {shown} ({})", self.default_origin())));
        };
        let c = fs.odoo_conf(conf)?;
        let range = c.sections.iter().find(|s| s.name == "options").map(|s| s.header).unwrap_or_default();
        let shown = match eval_python_int(default) {
            Some(n) if key.starts_with("limit_memory") && n > 0 => format!("{n} = {}", crate::units::Bytes(n as u64)),
            Some(n) if default.contains('*') => n.to_string(),
            _ => default.trim_matches('\'').to_string(),
        };
        Some((Span::new(conf, range), format!("`{key}` not set: {shown} ({})", self.default_origin())))
    }

    /// Edits that set `key = value` in the stack's odoo.conf. `None` when the current value
    /// comes from somewhere else (a command-line flag, the environment), which this edit
    /// would not change.
    pub fn set_edits(&self, fs: &FileSet, key: &str, value: &str) -> Option<Vec<crate::diagnostic::Edit>> {
        if let Some(s) = self.set.get(key)
            && !matches!(s.origin, Origin::File { .. })
        {
            return None;
        }
        let conf = self.conf?;
        let c = fs.odoo_conf(conf)?;
        let src = fs.source(conf);
        Some(
            odoo_conf::set_value_edits(c, src, "options", key, value)
                .into_iter()
                .map(|(range, text)| crate::diagnostic::Edit::replace(conf, range, text))
                .collect(),
        )
    }
}

/// A cap on process counts read from files (`workers = 99999999999`), for arithmetic.
const MAX_PROCESSES: i64 = 1_000_000;

/// Counts of Odoo processes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Processes {
    pub http: u64,
    pub cron: u64,
    pub gevent: u64,
    /// Threaded mode: one process does everything.
    pub threaded: bool,
}

impl Processes {
    pub fn total(&self) -> u64 {
        if self.threaded { 1 } else { self.http + self.cron + self.gevent }
    }
    /// "7 processes (4 HTTP + 2 cron + 1 gevent)" or "1 threaded process".
    pub fn describe(&self) -> String {
        if self.threaded {
            "1 threaded process".to_string()
        } else {
            format!("{} processes ({} HTTP + {} cron + {} gevent)", self.total(), self.http, self.cron, self.gevent)
        }
    }
}

fn line_of(o: &Origin) -> u32 {
    match o {
        Origin::File { key, .. } => key.start,
        _ => 0,
    }
}

/// Reads an integer option's file text the way Odoo `major` does.
pub fn read_int(raw: &str, major: u8) -> Option<i64> {
    if major <= 18 {
        match odoo_conf::odoo_legacy_bool(raw) {
            Some(b) => Some(i64::from(b)),
            None => optparse_int(raw),
        }
    } else {
        python_int(raw)
    }
}

/// Python's `int(text)`: decimal, optional sign, surrounding whitespace, `_` between digits.
pub fn python_int(raw: &str) -> Option<i64> {
    let v = raw.trim_matches(py_isspace);
    let (neg, digits) = match v.strip_prefix('-') {
        Some(d) => (true, d),
        None => (false, v.strip_prefix('+').unwrap_or(v)),
    };
    if digits.is_empty() || digits.starts_with('_') || digits.ends_with('_') || digits.contains("__") {
        return None;
    }
    let clean: String = digits.chars().filter(|&c| c != '_').collect();
    if !clean.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let n: i64 = clean.parse().ok()?;
    Some(if neg { -n } else { n })
}

/// Reads a boolean option's file text the way Odoo `major` tests it: 14–18 keep any text but
/// `True`/`true`/`False`/`false` as a string, truthy unless empty; 19 accepts
/// `1/yes/true/on/0/no/false/off` and refuses the rest.
pub fn read_bool(raw: &str, major: u8) -> Option<bool> {
    if major <= 18 { Some(odoo_conf::odoo_legacy_bool(raw).unwrap_or(!raw.is_empty())) } else { odoo_conf::odoo19_bool(raw) }
}

/// How an option's value is read in `major`, if Odoo knows it.
pub fn reading(key: &str, major: u8) -> Option<Reading> {
    options::lookup(key).and_then(|o| o.reading(major))
}

/// Evaluates the integer defaults of Odoo's source: `120`, `2048 * 1024 * 1024`, `2**16`,
/// `-1`, `False` (0).
pub fn eval_python_int(expr: &str) -> Option<i64> {
    let e = expr.trim();
    if e == "False" || e == "None" {
        return Some(0);
    }
    let mut product: i64 = 1;
    // `a ** b` binds tighter than `*`: split on `**` first within `*`-separated factors.
    let normalized = e.replace("**", "^");
    for factor in normalized.split('*') {
        let factor = factor.trim();
        let value = match factor.split_once('^') {
            Some((base, exp)) => {
                let b: i64 = base.trim().parse().ok()?;
                let x: u32 = exp.trim().parse().ok()?;
                b.checked_pow(x)?
            }
            None => factor.parse().ok()?,
        };
        product = product.checked_mul(value)?;
    }
    Some(product)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceFile;

    fn settings(text: &str, major: u8) -> OdooSettings {
        let mut fs = FileSet::new();
        let id = fs.add(SourceFile::from_text("odoo.conf", text), FileKind::OdooConf);
        let version = OdooVersion { major, source: crate::stack::VersionSource::Configured("test".into()), out_of_range: None };
        OdooSettings::build(&fs, &[id], &version)
    }

    #[test]
    fn python_defaults() {
        assert_eq!(eval_python_int("2048 * 1024 * 1024"), Some(2147483648));
        assert_eq!(eval_python_int("2**16"), Some(65536));
        assert_eq!(eval_python_int("-1"), Some(-1));
        assert_eq!(eval_python_int("'base,web'"), None);
    }

    #[test]
    fn defaults_carry_their_version() {
        let s = settings("[options]\n", 17);
        let t = s.int("limit_time_real").unwrap();
        assert_eq!(t.value, 120);
        assert_eq!(s.describe_int("limit_time_real", "s"), "`limit_time_real` is 120 s (Odoo 17 default)");
        assert_eq!(s.int("limit_memory_soft").unwrap().value, 2 << 30);
        assert!(!s.flag("proxy_mode").unwrap().value);
        assert!(s.flag("list_db").unwrap().value);
    }

    #[test]
    fn reads_like_the_version() {
        let s = settings("[options]\nworkers = 010\nlist_db = no\n", 17);
        assert_eq!(s.int("workers").unwrap().value, 8);
        assert!(s.flag("list_db").unwrap().value, "14-18: `no` is a non-empty string, so true");
        let s = settings("[options]\nworkers = 010\nlist_db = no\n", 19);
        assert_eq!(s.int("workers").unwrap().value, 10);
        assert!(!s.flag("list_db").unwrap().value);
        let s = settings("[options]\nworkers = four\n", 17);
        assert!(s.int("workers").is_none());
    }

    #[test]
    fn old_names_map_on_14_to_18() {
        let s = settings("[options]\nxmlrpc_port = 8070\n", 16);
        assert_eq!(s.int("http_port").unwrap().value, 8070);
        let s = settings("[options]\nxmlrpc_port = 8070\n", 19);
        assert_eq!(s.int("http_port").unwrap().value, 8069);
        let s = settings("[options]\nlongpolling_port = 9000\ngevent_port = 8072\n", 16);
        assert_eq!(s.int("gevent_port").unwrap().value, 9000, "16-17: a truthy alias overrides");
    }

    #[test]
    fn processes() {
        let s = settings("[options]\nworkers = 4\n", 17);
        assert_eq!(s.processes().total(), 7);
        assert_eq!(s.processes().describe(), "7 processes (4 HTTP + 2 cron + 1 gevent)");
        let s = settings("[options]\n", 17);
        assert!(s.processes().threaded);
    }
}

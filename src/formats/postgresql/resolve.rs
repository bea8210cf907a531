//! A whole configuration as PostgreSQL reads it at start-up: the main file, the files its
//! include directives pull in (in place, in order: [`super::include`]), then
//! `postgresql.auto.conf`, then the command line over all of them. For each parameter: the
//! winning value, where it comes from, the occurrences it overrides, typed accessors, and the
//! errors that keep the server from starting.

use std::io;
use std::path::{Path, PathBuf};

use super::argv::{ArgSetting, CommandLine};
use super::edit::EditLocation;
use super::fs::ConfigFs;
use super::include::{self, IncludeProblem};
use super::params;
use super::syntax::{CommentedSetting, LineKind, PgConf, Setting};
use super::value::{self, TypedValue, ValueError};
use crate::source::{SourceFile, TextRange, display_path};

/// Why a file was read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileRole {
    /// The postgresql.conf given.
    Main,
    /// Named by an include directive: the file holding it and the directive's value range.
    Included { by: usize, directive: TextRange, depth: u32 },
    /// postgresql.auto.conf, read after everything else (ALTER SYSTEM writes it).
    AutoConf,
}

/// One file of the configuration.
#[derive(Debug)]
pub struct ConfFile {
    pub source: SourceFile,
    pub conf: PgConf,
    pub role: FileRole,
}

/// Where a value comes from.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Origin<'a> {
    /// PostgreSQL's built-in default (`boot_val`): no file or option sets it.
    Default,
    /// A line of `files[file]`.
    File { file: usize, setting: &'a Setting },
    /// A command line option.
    CommandLine(&'a ArgSetting),
}

impl<'a> Origin<'a> {
    /// The value as written (escapes resolved), or `None` for a default.
    pub fn raw(&self) -> Option<&'a str> {
        match self {
            Origin::Default => None,
            Origin::File { setting, .. } => Some(&setting.value.text),
            Origin::CommandLine(a) => Some(&a.value),
        }
    }
    /// The name as written, or `None` for a default.
    pub fn name(&self) -> Option<&'a str> {
        match self {
            Origin::Default => None,
            Origin::File { setting, .. } => Some(&setting.name.text),
            Origin::CommandLine(a) => Some(&a.name),
        }
    }
}

/// A parameter that is set somewhere: the occurrence that wins and the ones it overrides.
#[derive(Clone, Debug, PartialEq)]
pub struct ParamView<'a> {
    /// The lookup key ([`params::canonical_key`]).
    pub key: String,
    pub winner: Origin<'a>,
    /// The earlier occurrences, in reading order (files first, then the command line).
    pub overridden: Vec<Origin<'a>>,
}

/// A value with where it comes from.
#[derive(Clone, Debug, PartialEq)]
pub struct Effective<'a, T> {
    pub value: T,
    pub origin: Origin<'a>,
}

/// A value PostgreSQL refuses, with where it is.
#[derive(Clone, Debug, PartialEq)]
pub struct ValueProblem<'a> {
    pub origin: Origin<'a>,
    pub error: ValueError,
}

/// An error PostgreSQL logs when it reads the configuration at start-up, before it gives up
/// with `configuration file "..." contains errors`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StartupError {
    /// The file at fault, or `None` for the command line.
    pub file: Option<usize>,
    /// The bytes at fault in that file (for the command line: empty).
    pub range: TextRange,
    /// For the command line: the index of the word at fault.
    pub word: Option<usize>,
    pub message: String,
    pub hint: Option<String>,
}

/// Where to read postgresql.auto.conf from.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum AutoConf {
    /// PostgreSQL's rule: in the data directory, which is `data_directory` when the files set
    /// it (a relative one taken from the main file's directory), else the main file's
    /// directory (`postgres -D DIR` reads `DIR/postgresql.conf`).
    #[default]
    DataDirectory,
    /// `postgresql.auto.conf` in the main file's directory.
    Beside,
    /// This path (the data directory's, when postgresql.conf lives elsewhere, as on Debian).
    At(PathBuf),
    /// Do not read one.
    None,
}

/// A whole configuration, as PostgreSQL reads it.
#[derive(Debug)]
pub struct PgConfig {
    /// The main file first, then included files in the order read, postgresql.auto.conf last.
    pub files: Vec<ConfFile>,
    pub problems: Vec<IncludeProblem>,
    pub command_line: Option<CommandLine>,
    /// Every setting PostgreSQL reads, in its order: (file, line index).
    pub(super) order: Vec<(usize, usize)>,
    /// Syntax errors and include problems in the order PostgreSQL meets them.
    pub(super) read_log: Vec<ReadEvent>,
}

/// A parse-time error, in reading order.
#[derive(Clone, Copy, Debug)]
pub(super) enum ReadEvent {
    /// `files[file].conf.errors[error]`
    Syntax { file: usize, error: usize },
    /// `problems[i]`
    Include(usize),
}

impl PgConfig {
    /// Reads the main file from `fs`, then what it includes and postgresql.auto.conf.
    pub fn load(main: &Path, fs: &dyn ConfigFs, auto_conf: AutoConf) -> io::Result<PgConfig> {
        let bytes = fs.read(main)?;
        Ok(PgConfig::from_source(SourceFile::new(main, bytes), fs, auto_conf))
    }

    /// Starts from a main file already read; includes and postgresql.auto.conf come from `fs`.
    pub fn from_source(main: SourceFile, fs: &dyn ConfigFs, auto_conf: AutoConf) -> PgConfig {
        include::load(main, fs, auto_conf)
    }

    /// Adds a command line (`-c name=value` ...): its settings override every file.
    pub fn with_command_line(mut self, command_line: CommandLine) -> PgConfig {
        self.command_line = Some(command_line);
        self
    }

    /// The file that was given.
    pub fn main(&self) -> &ConfFile {
        &self.files[0]
    }

    /// postgresql.auto.conf, if it was read.
    pub fn auto_conf(&self) -> Option<&ConfFile> {
        self.files.iter().find(|f| f.role == FileRole::AutoConf)
    }

    /// Every setting read from the files, in PostgreSQL's order (includes expanded in place,
    /// postgresql.auto.conf last), with its file. Include directives are not settings.
    pub fn occurrences(&self) -> impl Iterator<Item = (usize, &Setting)> {
        self.order.iter().filter_map(|&(f, l)| match &self.files[f].conf.lines[l].kind {
            LineKind::Setting(s) => Some((f, s)),
            _ => None,
        })
    }

    /// Every occurrence of the parameter, in reading order: files, then the command line.
    fn all_of(&self, key: &str) -> Vec<Origin<'_>> {
        let mut out: Vec<Origin<'_>> =
            self.occurrences().filter(|(_, s)| s.name.key == key).map(|(file, setting)| Origin::File { file, setting }).collect();
        if let Some(cl) = &self.command_line {
            out.extend(cl.settings.iter().filter(|a| a.key == key).map(Origin::CommandLine));
        }
        out
    }

    /// The parameter `name` (any case, aliases mapped) if something sets it.
    pub fn param(&self, name: &str) -> Option<ParamView<'_>> {
        let key = params::canonical_key(name);
        let mut all = self.all_of(&key);
        let winner = all.pop()?;
        Some(ParamView { key, winner, overridden: all })
    }

    /// Every parameter set somewhere, in the order of first appearance.
    pub fn params(&self) -> Vec<ParamView<'_>> {
        let mut keys: Vec<&str> = Vec::new();
        let command_line = self.command_line.iter().flat_map(|c| c.settings.iter().map(|a| a.key.as_str()));
        for key in self.occurrences().map(|(_, s)| s.name.key.as_str()).chain(command_line) {
            if !keys.contains(&key) {
                keys.push(key);
            }
        }
        keys.into_iter().filter_map(|k| self.param(k)).collect()
    }

    /// The parameters set more than once (rule OL004 says which occurrence wins).
    pub fn duplicates(&self) -> Vec<ParamView<'_>> {
        self.params().into_iter().filter(|p| !p.overridden.is_empty()).collect()
    }

    /// The winning value of `name` after PostgreSQL's checks, in the parameter's unit, or its
    /// built-in default. `None` when nothing sets an unknown or extension parameter.
    pub fn typed(&self, name: &str) -> Option<Result<Effective<'_, TypedValue>, ValueError>> {
        let def = params::lookup(name);
        let origin = self.param(name).map(|p| p.winner).unwrap_or(Origin::Default);
        let (written, raw) = match (origin.name(), origin.raw()) {
            (Some(n), Some(r)) => (n, r),
            _ => (def?.name, def?.boot),
        };
        let value = match def {
            Some(def) => value::check(def, written, raw),
            None if params::is_custom_name(written) => Ok(TypedValue::String(raw.to_string())),
            None => Err(ValueError::unrecognized(written, None)),
        };
        Some(value.map(|value| Effective { value, origin }))
    }

    /// A memory parameter in bytes (`shared_buffers = 128MB` is 134217728). PostgreSQL's `-1`
    /// ("use the default" or "no limit") stays -1.
    pub fn memory_bytes(&self, name: &str) -> Option<Result<Effective<'_, i64>, ValueError>> {
        self.quantity(name, true)
    }

    /// A time parameter in milliseconds (`checkpoint_timeout = 5min` is 300000); a real one is
    /// rounded to the millisecond. PostgreSQL's `-1` ("off") stays -1.
    pub fn time_ms(&self, name: &str) -> Option<Result<Effective<'_, i64>, ValueError>> {
        self.quantity(name, false)
    }

    fn quantity(&self, name: &str, memory: bool) -> Option<Result<Effective<'_, i64>, ValueError>> {
        let unit = params::lookup(name).and_then(|d| d.unit).filter(|u| u.is_memory() == memory);
        let Some(unit) = unit else {
            let what = if memory { "a memory size" } else { "a time" };
            return Some(Err(ValueError::wrong_type(name, what)));
        };
        Some(self.typed(name)?.and_then(|e| {
            let base = match e.value {
                TypedValue::Integer(i) => i as f64,
                TypedValue::Real(r) => r,
                _ => return Err(ValueError::wrong_type(name, "a number")),
            };
            let scaled = if base < 0.0 { base } else { unit.scale(base) };
            Ok(Effective { value: scaled.round() as i64, origin: e.origin })
        }))
    }

    /// An integer parameter in its own unit (`shared_buffers` in 8 kB blocks); an extension's
    /// parameter read as a plain integer.
    pub fn int(&self, name: &str) -> Option<Result<Effective<'_, i64>, ValueError>> {
        self.convert(name, |v, written| match v {
            TypedValue::Integer(i) => Ok(i),
            TypedValue::String(s) => value::parse_int(&s, None).map_err(|_| ValueError::invalid(written, &s)),
            _ => Err(ValueError::wrong_type(written, "an integer")),
        })
    }

    /// A real (or integer) parameter in its own unit.
    pub fn real(&self, name: &str) -> Option<Result<Effective<'_, f64>, ValueError>> {
        self.convert(name, |v, written| match v {
            TypedValue::Integer(i) => Ok(i as f64),
            TypedValue::Real(r) => Ok(r),
            TypedValue::String(s) => value::parse_real(&s, None).map_err(|_| ValueError::invalid(written, &s)),
            _ => Err(ValueError::wrong_type(written, "a number")),
        })
    }

    /// A boolean parameter, with PostgreSQL's spellings (`on`, `off`, `true`, `yes`, `1`, any
    /// unambiguous prefix, any case).
    pub fn bool(&self, name: &str) -> Option<Result<Effective<'_, bool>, ValueError>> {
        self.convert(name, |v, written| match v {
            TypedValue::Bool(b) => Ok(b),
            TypedValue::String(s) => value::parse_bool(&s).ok_or_else(|| ValueError::not_boolean(written)),
            _ => Err(ValueError::wrong_type(written, "a boolean")),
        })
    }

    /// The value as text: a string parameter's value, an enum's canonical spelling, a number as
    /// written.
    pub fn string(&self, name: &str) -> Option<Result<Effective<'_, String>, ValueError>> {
        let raw = self.param(name).and_then(|p| p.winner.raw().map(str::to_string));
        self.convert(name, move |v, _| {
            Ok(match v {
                TypedValue::String(s) => s,
                TypedValue::Enum(e) => e.to_string(),
                other => raw.clone().unwrap_or_else(|| other.display()),
            })
        })
    }

    fn convert<T>(
        &self,
        name: &str,
        f: impl FnOnce(TypedValue, &str) -> Result<T, ValueError>,
    ) -> Option<Result<Effective<'_, T>, ValueError>> {
        Some(self.typed(name)?.and_then(|e| Ok(Effective { value: f(e.value, name)?, origin: e.origin })))
    }

    /// Every value PostgreSQL would refuse at start-up, with where it is: unknown names,
    /// invalid values of the occurrences it checks (it skips an earlier occurrence of the same
    /// name, spelled the same, in the files), and command line values.
    pub fn value_problems(&self) -> Vec<ValueProblem<'_>> {
        let (unknown, invalid) = self.file_value_problems();
        let mut out = self.command_line_problems();
        out.extend(unknown);
        out.extend(invalid);
        out
    }

    fn command_line_problems(&self) -> Vec<ValueProblem<'_>> {
        let Some(cl) = &self.command_line else {
            return Vec::new();
        };
        cl.settings
            .iter()
            .filter_map(|a| {
                let error = match params::lookup(&a.name) {
                    Some(def) => value::check(def, &a.name, &a.value).err()?,
                    None if params::is_custom_name(&a.name) => return None,
                    None => ValueError::unrecognized(&a.name, None),
                };
                Some(ValueProblem { origin: Origin::CommandLine(a), error })
            })
            .collect()
    }

    /// (unknown names, invalid values) in the files, in reading order.
    fn file_value_problems(&self) -> (Vec<ValueProblem<'_>>, Vec<ValueProblem<'_>>) {
        let items: Vec<(usize, &Setting)> = self.occurrences().collect();
        // PostgreSQL marks an earlier occurrence as ignored when a later one has the very same
        // name (strcmp: `Work_mem` then `work_mem` are both checked), and does not check it.
        let mut later_names = std::collections::HashSet::new();
        let mut overridden = vec![false; items.len()];
        for (i, (_, s)) in items.iter().enumerate().rev() {
            overridden[i] = !later_names.insert(s.name.text.as_str());
        }
        let mut unknown = Vec::new();
        let mut invalid = Vec::new();
        for (&(file, setting), overridden) in items.iter().zip(overridden) {
            let origin = Origin::File { file, setting };
            let name = &setting.name.text;
            match params::lookup(name) {
                None if params::is_custom_name(name) => {}
                None => {
                    let f = display_path(&self.files[file].source.path);
                    let error = ValueError::unrecognized(name, Some((&f, setting.line)));
                    unknown.push(ValueProblem { origin, error });
                }
                Some(_) if overridden => {}
                Some(def) => {
                    if let Err(error) = value::check(def, name, &setting.value.text) {
                        invalid.push(ValueProblem { origin, error });
                    }
                }
            }
        }
        (unknown, invalid)
    }

    /// What PostgreSQL logs when it reads this configuration at start-up, phase by phase as it
    /// does: a bad command line option stops it at once; then syntax and include errors (it
    /// goes no further if there are any); then unknown parameter names (likewise); then invalid
    /// values. Empty when PostgreSQL would start (as far as these checks go: check hooks such
    /// as locale or time zone names are not run).
    pub fn startup_errors(&self) -> Vec<StartupError> {
        let on_command_line = |word: usize, message: String, hint: Option<String>| StartupError {
            file: None,
            range: TextRange::default(),
            word: Some(word),
            message,
            hint,
        };
        if let Some(cl) = &self.command_line {
            if let Some(e) = cl.errors.first() {
                return vec![on_command_line(e.word, e.message.clone(), None)];
            }
            if let Some(p) = self.command_line_problems().into_iter().next()
                && let Origin::CommandLine(a) = p.origin
            {
                return vec![on_command_line(a.word, p.error.message, p.error.hint)];
            }
        }
        // Syntax and include errors, in the order PostgreSQL meets them.
        let out: Vec<StartupError> = self
            .read_log
            .iter()
            .filter_map(|event| match *event {
                ReadEvent::Syntax { file, error } => {
                    let e = &self.files[file].conf.errors[error];
                    Some(StartupError { file: Some(file), range: e.range, word: None, message: e.message.clone(), hint: None })
                }
                ReadEvent::Include(i) => {
                    let p = &self.problems[i];
                    p.is_fatal().then(|| StartupError {
                        file: Some(p.file),
                        range: p.range,
                        word: None,
                        message: p.message.clone(),
                        hint: None,
                    })
                }
            })
            .collect();
        if !out.is_empty() {
            return out;
        }
        let (unknown, invalid) = self.file_value_problems();
        let to_error = |p: ValueProblem<'_>| {
            let (file, range) = match p.origin {
                Origin::File { file, setting } => (Some(file), setting.value.range),
                _ => (None, TextRange::default()),
            };
            StartupError { file, range, word: None, message: p.error.message, hint: p.error.hint }
        };
        if !unknown.is_empty() {
            return unknown.into_iter().map(to_error).collect();
        }
        invalid.into_iter().map(to_error).collect()
    }

    /// Where a fix should set `name`: the winning active line (its value), else the last
    /// commented-out line for it outside postgresql.auto.conf (uncommented in place), else the
    /// end of the main file.
    pub fn edit_location(&self, name: &str) -> EditLocation<'_> {
        if let Some(p) = self.param(name) {
            match p.winner {
                Origin::File { file, setting } => return EditLocation::Value { file, setting },
                Origin::CommandLine(a) => return EditLocation::CommandLine(a),
                Origin::Default => {}
            }
        }
        let key = params::canonical_key(name);
        let mut last: Option<(usize, &CommentedSetting)> = None;
        for (i, f) in self.files.iter().enumerate() {
            if f.role == FileRole::AutoConf {
                continue;
            }
            if let Some(c) = f.conf.commented().filter(|c| c.setting.name.key == key).last() {
                last = Some((i, c));
            }
        }
        match last {
            Some((file, commented)) => EditLocation::Uncomment { file, commented },
            None => EditLocation::append(0, &self.files[0].source),
        }
    }
}

//! A whole configuration as PostgreSQL reads it at start-up: the main file, the files its
//! `include`, `include_if_exists` and `include_dir` directives pull in (in place, in order), then
//! `postgresql.auto.conf`, then the command line over all of them. For each parameter: the
//! winning value, where it comes from, and the occurrences it overrides.
//!
//! PostgreSQL's rules (guc-file.l, `ParseConfigFile`, `ParseConfigDirectory`,
//! `AbsoluteConfigLocation`): a relative include is relative to the directory of the file that
//! includes it; `include_dir` reads the files whose names end in `.conf` and do not start with
//! `.`, sorted byte-wise (C locale), skipping directories, and stops at the first one that fails;
//! nesting deeper than 10 levels is an error, and so is a file that includes itself; a missing
//! `include` (not `include_if_exists`) or `include_dir` is an error. Every error stops the
//! server from starting.

use std::io;
use std::path::{Path, PathBuf};

use super::argv::{ArgSetting, CommandLine};
use super::fs::ConfigFs;
use super::params;
use super::syntax::{CommentedSetting, LineKind, PgConf, Setting};
use super::value::{self, TypedValue, ValueError, ValueErrorKind};
use crate::source::{SourceFile, TextRange, display_path};

/// PostgreSQL's `CONF_FILE_MAX_DEPTH`: the main file is depth 0.
pub const MAX_INCLUDE_DEPTH: u32 = 10;
/// A bound on the number of files read, against include loops that fan out through directories.
const MAX_FILES: usize = 1000;

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

/// What went wrong with an include directive.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IncludeProblemKind {
    /// `include` of a missing file.
    NotFound,
    /// `include_if_exists` of a missing file: PostgreSQL only logs it (not fatal).
    SkippedMissing,
    /// `include_dir` of a missing directory.
    DirNotFound,
    /// A file or directory that exists but cannot be read (a directory named by `include`, a
    /// dangling link in an `include_dir`, permissions).
    Unreadable,
    /// More than 10 levels of nesting, or a loop of includes.
    DepthExceeded,
    /// A file that includes itself.
    Recursion,
    /// A blank file or directory name.
    EmptyName,
}

/// A problem with an include directive (rule OL006 reports the missing ones).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IncludeProblem {
    pub kind: IncludeProblemKind,
    /// The file that holds the directive.
    pub file: usize,
    /// The directive's value (the path as written, quotes included).
    pub range: TextRange,
    /// The path PostgreSQL tries.
    pub target: PathBuf,
    /// PostgreSQL's message (`could not open configuration file "...": No such file or directory`).
    pub message: String,
    pub help: Option<String>,
}

impl IncludeProblem {
    /// Whether PostgreSQL refuses to start because of it.
    pub fn is_fatal(&self) -> bool {
        self.kind != IncludeProblemKind::SkippedMissing
    }
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
    fn name(&self) -> Option<&'a str> {
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
    order: Vec<(usize, usize)>,
    /// Syntax errors and include problems in the order PostgreSQL meets them.
    read_log: Vec<ReadEvent>,
}

/// A parse-time error, in reading order.
#[derive(Clone, Copy, Debug)]
enum ReadEvent {
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
        let main_path = pg_absolute(&main.path);
        let mut loader = Loader {
            fs,
            config: PgConfig {
                files: Vec::new(),
                problems: Vec::new(),
                command_line: None,
                order: Vec::new(),
                read_log: Vec::new(),
            },
            stack: Vec::new(),
        };
        let conf = PgConf::parse(&main);
        loader.config.files.push(ConfFile { source: main, conf, role: FileRole::Main });
        loader.read_file(0, main_path.clone(), "", 0);
        let beside = || Some(parent(&main_path).join("postgresql.auto.conf"));
        let auto_path = match auto_conf {
            AutoConf::DataDirectory => match loader.config.param("data_directory") {
                Some(ParamView { winner: Origin::File { setting, .. }, .. }) => {
                    let dir = parent(&main_path).join(&setting.value.text);
                    Some(pg_canonical(&dir).join("postgresql.auto.conf"))
                }
                _ => beside(),
            },
            AutoConf::Beside => beside(),
            AutoConf::At(p) => Some(pg_absolute(&p)),
            AutoConf::None => None,
        };
        // postgresql.auto.conf: depth 0, and missing is fine (ParseConfigFile, strict = false).
        if let Some(path) = auto_path
            && let Ok(bytes) = fs.read(&path)
        {
            let source = SourceFile::new(path.clone(), bytes);
            let conf = PgConf::parse(&source);
            loader.config.files.push(ConfFile { source, conf, role: FileRole::AutoConf });
            let idx = loader.config.files.len() - 1;
            loader.read_file(idx, path, "", 0);
        }
        loader.config
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
            None => Err(unrecognized(written)),
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
            return Some(Err(wrong_type(name, what)));
        };
        Some(self.typed(name)?.and_then(|e| {
            let base = match e.value {
                TypedValue::Integer(i) => i as f64,
                TypedValue::Real(r) => r,
                _ => return Err(wrong_type(name, "a number")),
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
            TypedValue::String(s) => value::parse_int(&s, None).map_err(|_| invalid(written, &s)),
            _ => Err(wrong_type(written, "an integer")),
        })
    }

    /// A real (or integer) parameter in its own unit.
    pub fn real(&self, name: &str) -> Option<Result<Effective<'_, f64>, ValueError>> {
        self.convert(name, |v, written| match v {
            TypedValue::Integer(i) => Ok(i as f64),
            TypedValue::Real(r) => Ok(r),
            TypedValue::String(s) => value::parse_real(&s, None).map_err(|_| invalid(written, &s)),
            _ => Err(wrong_type(written, "a number")),
        })
    }

    /// A boolean parameter, with PostgreSQL's spellings (`on`, `off`, `true`, `yes`, `1`, any
    /// unambiguous prefix, any case).
    pub fn bool(&self, name: &str) -> Option<Result<Effective<'_, bool>, ValueError>> {
        self.convert(name, |v, written| match v {
            TypedValue::Bool(b) => Ok(b),
            TypedValue::String(s) => value::parse_bool(&s).ok_or_else(|| ValueError {
                kind: ValueErrorKind::NotBoolean,
                message: format!("parameter \"{written}\" requires a Boolean value"),
                hint: None,
            }),
            _ => Err(wrong_type(written, "a boolean")),
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
                    None => ValueError {
                        kind: ValueErrorKind::Unrecognized,
                        message: format!("unrecognized configuration parameter \"{}\"", a.name),
                        hint: None,
                    },
                };
                Some(ValueProblem { origin: Origin::CommandLine(a), error })
            })
            .collect()
    }

    /// (unknown names, invalid values) in the files, in reading order.
    fn file_value_problems(&self) -> (Vec<ValueProblem<'_>>, Vec<ValueProblem<'_>>) {
        let items: Vec<(usize, &Setting)> = self.occurrences().collect();
        let mut unknown = Vec::new();
        let mut invalid = Vec::new();
        for (i, &(file, setting)) in items.iter().enumerate() {
            let origin = Origin::File { file, setting };
            let name = &setting.name.text;
            let Some(def) = params::lookup(name) else {
                if !params::is_custom_name(name) {
                    let f = display_path(&self.files[file].source.path);
                    let message =
                        format!("unrecognized configuration parameter \"{name}\" in file \"{f}\" line {}", setting.line);
                    let error = ValueError { kind: ValueErrorKind::Unrecognized, message, hint: None };
                    unknown.push(ValueProblem { origin, error });
                }
                continue;
            };
            // PostgreSQL marks an earlier occurrence as ignored when a later one has the very
            // same name (strcmp), and does not check its value.
            if items[i + 1..].iter().any(|(_, later)| later.name.text == *name) {
                continue;
            }
            if let Err(error) = value::check(def, name, &setting.value.text) {
                invalid.push(ValueProblem { origin, error });
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
        let cl_error = |a: &ArgSetting, message: String, hint: Option<String>| StartupError {
            file: None,
            range: TextRange::default(),
            word: Some(a.word),
            message,
            hint,
        };
        if let Some(cl) = &self.command_line {
            if let Some(e) = cl.errors.first() {
                return vec![StartupError {
                    file: None,
                    range: TextRange::default(),
                    word: Some(e.word),
                    message: e.message.clone(),
                    hint: None,
                }];
            }
            if let Some(p) = self.command_line_problems().into_iter().next()
                && let Origin::CommandLine(a) = p.origin
            {
                return vec![cl_error(a, p.error.message, p.error.hint)];
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
    pub fn edit_location(&self, name: &str) -> super::edit::EditLocation<'_> {
        use super::edit::EditLocation;
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

fn unrecognized(name: &str) -> ValueError {
    ValueError {
        kind: ValueErrorKind::Unrecognized,
        message: format!("unrecognized configuration parameter \"{name}\""),
        hint: None,
    }
}

fn invalid(name: &str, value: &str) -> ValueError {
    ValueError {
        kind: ValueErrorKind::Invalid,
        message: format!("invalid value for parameter \"{name}\": \"{value}\""),
        hint: None,
    }
}

fn wrong_type(name: &str, what: &str) -> ValueError {
    ValueError { kind: ValueErrorKind::WrongType, message: format!("parameter \"{name}\" is not {what}"), hint: None }
}

/// Reads files and follows their include directives.
struct Loader<'a> {
    fs: &'a dyn ConfigFs,
    config: PgConfig,
    /// The files being read, outermost first: path (lexically normalised, to stop loops) and
    /// the name the directive that included it wrote. The index is the nesting depth.
    stack: Vec<(PathBuf, String)>,
}

impl Loader<'_> {
    /// Walks the settings of `files[idx]` (already parsed), following include directives in
    /// place. Returns whether PostgreSQL would read it without error (`ParseConfigFp`'s result).
    fn read_file(&mut self, idx: usize, path: PathBuf, name: &str, depth: u32) -> bool {
        let conf = &self.config.files[idx].conf;
        let mut ok = conf.is_valid();
        let error_count = conf.errors.len();
        // What PostgreSQL meets line by line: settings (some of them include directives) and
        // invalid lines, whose errors are in line order.
        enum Met {
            Error(usize),
            Setting { line: usize, key: String, value: String, range: TextRange },
        }
        let mut met = Vec::new();
        let mut errors = 0..error_count;
        for (line, l) in conf.lines[..conf.read_line_count()].iter().enumerate() {
            match &l.kind {
                LineKind::Setting(s) => {
                    let (key, value) = (s.name.key.clone(), s.value.text.clone());
                    met.push(Met::Setting { line, key, value, range: s.value.range });
                }
                LineKind::Invalid => met.extend(errors.next().map(Met::Error)),
                _ => {}
            }
        }
        self.stack.push((normalize(&path), name.to_string()));
        for m in met {
            let (line, key, value, range) = match m {
                Met::Error(error) => {
                    self.config.read_log.push(ReadEvent::Syntax { file: idx, error });
                    continue;
                }
                Met::Setting { line, key, value, range } => (line, key, value, range),
            };
            let directive = Directive { file: idx, path: &path, range, depth };
            ok &= match key.as_str() {
                "include" => self.include(&directive, &value, true),
                "include_if_exists" => self.include(&directive, &value, false),
                "include_dir" => self.include_dir(&directive, &value),
                _ => {
                    self.config.order.push((idx, line));
                    true
                }
            };
        }
        // "too many syntax errors found, abandoning file"
        for error in errors {
            self.config.read_log.push(ReadEvent::Syntax { file: idx, error });
        }
        self.stack.pop();
        ok
    }

    fn problem(&mut self, d: &Directive<'_>, kind: IncludeProblemKind, target: PathBuf, message: String) -> bool {
        self.config.read_log.push(ReadEvent::Include(self.config.problems.len()));
        self.config.problems.push(IncludeProblem { kind, file: d.file, range: d.range, target, message, help: None });
        false
    }

    /// `ParseConfigFile` for an include directive.
    fn include(&mut self, d: &Directive<'_>, name: &str, strict: bool) -> bool {
        if is_blank(name) {
            let msg = format!("empty configuration file name: \"{name}\"");
            return self.problem(d, IncludeProblemKind::EmptyName, PathBuf::new(), msg);
        }
        let target = config_location(name, d.path);
        self.open(d, name, target, strict, d.depth + 1)
    }

    /// The part of `ParseConfigFile` after the name checks: depth, recursion, open, parse.
    fn open(&mut self, d: &Directive<'_>, name: &str, target: PathBuf, strict: bool, depth: u32) -> bool {
        let shown = display_path(&target);
        if depth > MAX_INCLUDE_DEPTH {
            let msg = format!("could not open configuration file \"{name}\": maximum nesting depth exceeded");
            return self.problem(d, IncludeProblemKind::DepthExceeded, target, msg);
        }
        if target == d.path {
            let msg = format!("configuration file recursion in \"{}\"", display_path(d.path));
            return self.problem(d, IncludeProblemKind::Recursion, target, msg);
        }
        if let Some(pos) = self.stack.iter().position(|(p, _)| *p == normalize(&target)) {
            // PostgreSQL follows the loop until it is too deep, then names the file it meets
            // there (as its directive wrote it): the one at depth 11 going round the loop.
            let cycle = &self.stack[pos..];
            let at = (MAX_INCLUDE_DEPTH as usize + 1).saturating_sub(pos) % cycle.len();
            let deepest = if at == 0 { name } else { cycle[at].1.as_str() };
            let msg = format!("could not open configuration file \"{deepest}\": maximum nesting depth exceeded");
            let chain: Vec<String> = cycle.iter().map(|(p, _)| display_path(p)).collect();
            let help = format!("include loop: {} -> {}", chain.join(" -> "), chain[0]);
            self.problem(d, IncludeProblemKind::DepthExceeded, target, msg);
            if let Some(p) = self.config.problems.last_mut() {
                p.help = Some(help);
            }
            return false;
        }
        if self.config.files.len() >= MAX_FILES {
            let msg = format!("could not open configuration file \"{shown}\": too many configuration files");
            return self.problem(d, IncludeProblemKind::DepthExceeded, target, msg);
        }
        let bytes = match self.fs.read(&target) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == io::ErrorKind::IsADirectory => {
                let msg = format!("input in flex scanner failed at file \"{shown}\" line 1");
                return self.problem(d, IncludeProblemKind::Unreadable, target, msg);
            }
            Err(_) if !strict => {
                let msg = format!("skipping missing configuration file \"{shown}\"");
                self.problem(d, IncludeProblemKind::SkippedMissing, target, msg);
                return true;
            }
            Err(e) => {
                let kind = if e.kind() == io::ErrorKind::NotFound {
                    IncludeProblemKind::NotFound
                } else {
                    IncludeProblemKind::Unreadable
                };
                let msg = format!("could not open configuration file \"{shown}\": {}", io_message(&e));
                return self.problem(d, kind, target, msg);
            }
        };
        let source = SourceFile::new(target.clone(), bytes);
        let conf = PgConf::parse(&source);
        let role = FileRole::Included { by: d.file, directive: d.range, depth };
        self.config.files.push(ConfFile { source, conf, role });
        let idx = self.config.files.len() - 1;
        self.read_file(idx, target, name, depth)
    }

    /// `ParseConfigDirectory`.
    fn include_dir(&mut self, d: &Directive<'_>, name: &str) -> bool {
        if is_blank(name) {
            let msg = format!("empty configuration directory name: \"{name}\"");
            return self.problem(d, IncludeProblemKind::EmptyName, PathBuf::new(), msg);
        }
        let dir = config_location(name, d.path);
        let entries = match self.fs.read_dir(&dir) {
            Ok(entries) => entries,
            Err(e) => {
                let kind = if e.kind() == io::ErrorKind::NotFound {
                    IncludeProblemKind::DirNotFound
                } else {
                    IncludeProblemKind::Unreadable
                };
                let msg = format!("could not open configuration directory \"{}\": {}", display_path(&dir), io_message(&e));
                return self.problem(d, kind, dir, msg);
            }
        };
        let mut files = Vec::new();
        for (file_name, is_dir) in entries {
            let bytes = file_name.as_encoded_bytes();
            if bytes.len() < 6 || bytes[0] == b'.' || !bytes.ends_with(b".conf") {
                continue;
            }
            let path = dir.join(&file_name);
            match is_dir {
                Ok(true) => {}
                Ok(false) => files.push(path),
                Err(e) => {
                    let msg = format!("could not stat file \"{}\": {}", display_path(&path), io_message(&e));
                    return self.problem(d, IncludeProblemKind::Unreadable, path, msg);
                }
            }
        }
        // strcmp order, the C locale's
        files.sort_by(|a, b| a.as_os_str().as_encoded_bytes().cmp(b.as_os_str().as_encoded_bytes()));
        for path in files {
            let name = path.to_string_lossy().into_owned();
            // The files of the directory are one level below the directive.
            if !self.open(d, &name, path, true, d.depth + 1) {
                return false; // PostgreSQL stops at the first file that fails
            }
        }
        true
    }
}

/// An include directive being followed.
struct Directive<'a> {
    file: usize,
    path: &'a Path,
    range: TextRange,
    depth: u32,
}

/// PostgreSQL's blank-name test: only spaces, tabs, CR and LF (or nothing).
fn is_blank(name: &str) -> bool {
    name.bytes().all(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
}

/// The message of an I/O error as `%m` prints it (`No such file or directory`).
fn io_message(e: &io::Error) -> String {
    let s = e.to_string();
    match s.find(" (os error") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}

/// `AbsoluteConfigLocation`: an absolute path as is, a relative one joined to the directory of
/// the including file and canonicalised.
fn config_location(name: &str, including: &Path) -> PathBuf {
    let p = PathBuf::from(name);
    if p.is_absolute() { p } else { pg_canonical(&parent(including).join(p)) }
}

fn parent(path: &Path) -> PathBuf {
    path.parent().map(Path::to_path_buf).unwrap_or_default()
}

/// The main file's path made absolute, as PostgreSQL does for `config_file`.
fn pg_absolute(path: &Path) -> PathBuf {
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    pg_canonical(&abs)
}

/// PostgreSQL 15's `canonicalize_path`: no doubled or trailing separators, no trailing `.`,
/// trailing `..` applied; `..` in the middle stays (the operating system resolves it).
fn pg_canonical(path: &Path) -> PathBuf {
    let mut parts: Vec<&std::ffi::OsStr> = Vec::new();
    let absolute = path.has_root();
    for c in path.components() {
        match c {
            std::path::Component::CurDir => {}
            other => parts.push(other.as_os_str()),
        }
    }
    // Trailing `..`: drop it with the component before it.
    let mut pending = 0;
    while let Some(last) = parts.last() {
        if *last == ".." {
            parts.pop();
            pending += 1;
        } else if pending > 0 && !(absolute && parts.len() == 1) {
            parts.pop();
            pending -= 1;
        } else {
            break;
        }
    }
    let mut out = PathBuf::new();
    for p in &parts {
        out.push(p);
    }
    if out.as_os_str().is_empty() {
        out.push(if absolute { "/" } else { "." });
    }
    out
}

/// A lexical normal form (no `.`, `..` applied) used only to notice include loops.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

//! Following include directives the way PostgreSQL does (guc-file.l: `ParseConfigFile`,
//! `ParseConfigDirectory`, `AbsoluteConfigLocation`): a relative path is relative to the
//! directory of the file that holds the directive; `include_dir` reads the files whose names end
//! in `.conf` and do not start with `.`, sorted byte-wise (C locale), skipping directories, and
//! stops at the first one that fails; nesting deeper than 10 levels is an error, and so is a
//! file that includes itself; a missing `include` (not `include_if_exists`) or `include_dir` is
//! an error. Each file's settings join the reading order where its directive stands.

use std::io;
use std::path::{Path, PathBuf};

use super::fs::ConfigFs;
use super::resolve::{AutoConf, ConfFile, FileRole, Origin, ParamView, PgConfig, ReadEvent};
use super::syntax::{LineKind, PgConf};
use crate::source::{SourceFile, TextRange, display_path};

/// Reads the configuration that starts at `main`: the main file with everything it includes,
/// in PostgreSQL's reading order, then postgresql.auto.conf.
pub(super) fn load(main: SourceFile, fs: &dyn ConfigFs, auto_conf: AutoConf) -> PgConfig {
    let main_path = pg_absolute(&main.path);
    let config =
        PgConfig { files: Vec::new(), problems: Vec::new(), command_line: None, order: Vec::new(), read_log: Vec::new() };
    let mut loader = Loader { fs, config, stack: Vec::new() };
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

/// PostgreSQL's `CONF_FILE_MAX_DEPTH`: the main file is depth 0.
pub const MAX_INCLUDE_DEPTH: u32 = 10;
/// A bound on the number of files read, against include loops that fan out through directories.
const MAX_FILES: usize = 1000;

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

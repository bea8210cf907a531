//! A compose project from its files, in compose-go's order: the project `.env`, then each
//! compose file (base, then overrides) document by document: interpolate, apply
//! `extends`, merge into what came before, collapse duplicates.
//!
//! Paths in the base and override files are relative to the project directory (the first
//! file's directory); paths in a file reached through `extends: {file: …}` are relative to
//! that file. Every file read (compose files, extended files, `.env`, `env_file`s) gets a
//! [`FileId`] in [`Project::files`] so every span can point into it.

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use crate::formats::SyntaxError;
use crate::source::{FileId, SourceFile, Span, TextRange};

use super::dotenv::{self, DotEnv};
use super::merge;
use super::model::{self, Service};
use super::value::{Converter, EnvVar, Environment, Origin, Val, Value, VarSource};
use super::yaml::{self, YamlFile};
use super::{ComposeError, ErrorKind};

/// Reads files; tests use [`MemoryFs`].
pub trait FileSystem {
    fn read(&self, path: &Path) -> std::io::Result<Vec<u8>>;
    fn exists(&self, path: &Path) -> bool {
        self.read(path).is_ok()
    }
    /// The tree of a compose file whose text is `text`, when it was parsed already (the run
    /// parses every compose file it finds; the loader need not parse it again).
    fn yaml(&self, _path: &Path, _text: &str) -> Option<Arc<YamlFile>> {
        None
    }
}

/// The real file system.
pub struct RealFs;

impl FileSystem for RealFs {
    fn read(&self, path: &Path) -> std::io::Result<Vec<u8>> {
        crate::source::read_file(path)
    }
    fn exists(&self, path: &Path) -> bool {
        path.is_file()
    }
}

/// Files in memory, by path.
#[derive(Default)]
pub struct MemoryFs {
    pub files: HashMap<PathBuf, Vec<u8>>,
}

impl MemoryFs {
    pub fn with(mut self, path: impl Into<PathBuf>, text: &str) -> Self {
        self.files.insert(path.into(), text.as_bytes().to_vec());
        self
    }
}

impl FileSystem for MemoryFs {
    fn read(&self, path: &Path) -> std::io::Result<Vec<u8>> {
        self.files.get(&normalize_path(path)).cloned().ok_or_else(|| std::io::Error::from(std::io::ErrorKind::NotFound))
    }
}

/// The names `docker compose` looks for when given no `-f`, in order of preference.
pub const DEFAULT_FILE_NAMES: [&str; 4] = ["compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml"];
/// The override files it then adds, in order of preference (the first found is used).
pub const DEFAULT_OVERRIDE_NAMES: [&str; 4] =
    ["compose.override.yml", "compose.override.yaml", "docker-compose.override.yml", "docker-compose.override.yaml"];

/// The files `docker compose` would read in `dir` without `-f`: the first default name
/// found, plus the first override found.
pub fn discover(dir: &Path, fs: &dyn FileSystem) -> Vec<PathBuf> {
    let Some(base) = DEFAULT_FILE_NAMES.iter().map(|n| dir.join(n)).find(|p| fs.exists(p)) else {
        return Vec::new();
    };
    let mut out = vec![base];
    if let Some(o) = DEFAULT_OVERRIDE_NAMES.iter().map(|n| dir.join(n)).find(|p| fs.exists(p)) {
        out.push(o);
    }
    out
}

/// The files of a project whose base file is `path`: the file, plus the override file
/// compose would add when the base has one of the default names.
pub fn with_override(path: &Path, fs: &dyn FileSystem) -> Vec<PathBuf> {
    let is_default = path.file_name().and_then(|n| n.to_str()).is_some_and(|n| DEFAULT_FILE_NAMES.contains(&n));
    let mut out = vec![path.to_path_buf()];
    if is_default {
        let dir = path.parent().unwrap_or(Path::new("."));
        if let Some(o) = DEFAULT_OVERRIDE_NAMES.iter().map(|n| dir.join(n)).find(|p| fs.exists(p)) {
            out.push(o);
        }
    }
    out
}

/// What to load.
#[derive(Clone, Debug, Default)]
pub struct LoadOptions {
    /// The compose files, as with `-f` (base first, then overrides).
    pub files: Vec<PathBuf>,
    /// The project directory (default: the first file's directory); `.env` is read there.
    pub project_dir: Option<PathBuf>,
    /// The process environment (inject it for tests; `std::env::vars()` for real use).
    pub env: Vec<(String, String)>,
    /// Whether to read `<project_dir>/.env` (compose does).
    pub dotenv: bool,
}

impl LoadOptions {
    /// Files as given, the project `.env`, and this process's environment.
    pub fn new(files: Vec<PathBuf>) -> Self {
        LoadOptions { files, project_dir: None, env: std::env::vars().collect(), dotenv: true }
    }
}

/// Why a file is part of the project.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileRole {
    /// The first compose file.
    Base,
    /// A later compose file.
    Override,
    /// A file named by `extends: {file: …}`.
    Extends,
    /// The project `.env`.
    DotEnv,
    /// A service's `env_file`.
    EnvFile,
}

/// A file a project refers to but that is not there (rule OL006).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MissingFile {
    pub path: PathBuf,
    pub role: FileRole,
    /// The value that names it (None for a compose file given on the command line).
    pub referenced_at: Option<Span>,
    /// False for `env_file: {path: …, required: false}`, which compose skips silently.
    pub required: bool,
}

/// One file read for the project.
pub struct ProjectFile {
    pub source: SourceFile,
    pub role: FileRole,
    /// The YAML tree (empty for env files).
    pub yaml: Arc<YamlFile>,
    /// The directory its relative paths are resolved against.
    pub base_dir: PathBuf,
    /// The parsed env file, for `.env` and `env_file`s.
    pub dotenv: Option<DotEnv>,
}

/// A loaded compose project.
pub struct Project {
    /// Every file read; `FileId(i)` is `files[i]`.
    pub files: Vec<ProjectFile>,
    pub project_dir: PathBuf,
    /// The variables interpolation used.
    pub env: Environment,
    /// The merged data, as `docker compose config` would print it before typing.
    pub root: Option<Value>,
    /// The resolved services, in the order of the merged data.
    pub services: Vec<Service>,
    pub errors: Vec<ComposeError>,
    pub missing: Vec<MissingFile>,
}

impl Project {
    pub fn file(&self, id: FileId) -> &ProjectFile {
        &self.files[id.0 as usize]
    }
    pub fn service(&self, name: &str) -> Option<&Service> {
        self.services.iter().find(|s| s.name == name)
    }
    /// The compose files given (base and overrides), in order.
    pub fn compose_files(&self) -> impl Iterator<Item = (FileId, &ProjectFile)> {
        self.files
            .iter()
            .enumerate()
            .filter(|(_, f)| matches!(f.role, FileRole::Base | FileRole::Override))
            .map(|(i, f)| (FileId(i as u32), f))
    }
    /// The env file already read at `path`, if any.
    pub(crate) fn find_file(&self, path: &Path) -> Option<FileId> {
        self.files.iter().position(|f| f.source.path == path).map(|i| FileId(i as u32))
    }
    pub(crate) fn add_file(&mut self, path: PathBuf, bytes: Vec<u8>, role: FileRole, base_dir: PathBuf) -> FileId {
        let id = FileId(self.files.len() as u32);
        self.files.push(ProjectFile { source: SourceFile::new(path, bytes), role, yaml: Arc::default(), base_dir, dotenv: None });
        id
    }
}

/// Lexically normalises a path (`a/./b/../c` → `a/c`), as Go's `filepath.Clean`.
pub fn normalize_path(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    if out.as_os_str().is_empty() { PathBuf::from(".") } else { out }
}

/// `rel` against `dir`, with `~` as the home directory from `env`.
pub fn resolve_path(dir: &Path, rel: &str, env: &Environment) -> PathBuf {
    if let Some(rest) = rel.strip_prefix('~')
        && (rest.is_empty() || rest.starts_with('/'))
        && let Some(home) = env.value("HOME")
    {
        return normalize_path(&PathBuf::from(format!("{home}{rest}")));
    }
    normalize_path(&dir.join(rel))
}

struct Loader<'a> {
    fs: &'a dyn FileSystem,
    project: Project,
    /// Files loaded for `extends`, by path: their merged data (services before extends).
    extends_files: HashMap<PathBuf, Option<(FileId, Value)>>,
}

/// Loads a project. Never fails: problems are in [`Project::errors`] and
/// [`Project::missing`], and the model holds whatever could be read.
pub fn load(options: &LoadOptions, fs: &dyn FileSystem) -> Project {
    let files: Vec<PathBuf> = options.files.iter().map(|p| normalize_path(p)).collect();
    let project_dir = options
        .project_dir
        .clone()
        .or_else(|| files.first().and_then(|f| f.parent()).map(Path::to_path_buf))
        .unwrap_or_else(|| PathBuf::from("."));
    let project = Project {
        files: Vec::new(),
        project_dir: project_dir.clone(),
        env: Environment::from_process(options.env.iter().cloned()),
        root: None,
        services: Vec::new(),
        errors: Vec::new(),
        missing: Vec::new(),
    };
    let mut l = Loader { fs, project, extends_files: HashMap::new() };
    if options.dotenv {
        l.read_dotenv(&project_dir, &options.env);
    }
    let mut dict: Option<Value> = None;
    for (i, path) in files.iter().enumerate() {
        let role = if i == 0 { FileRole::Base } else { FileRole::Override };
        let Ok(bytes) = fs.read(path) else {
            l.project.missing.push(MissingFile { path: path.clone(), role, referenced_at: None, required: true });
            continue;
        };
        let id = l.project.add_file(path.clone(), bytes, role, project_dir.clone());
        for doc in l.documents(id) {
            let mut doc = doc;
            l.apply_extends(id, &mut doc);
            dict = Some(merge_into(dict, doc));
        }
    }
    let empty = dict.as_ref().is_none_or(|d| d.as_map().is_some_and(|m| m.is_empty()));
    let first = l.project.compose_files().next().map(|(id, _)| id);
    if empty && let Some(first) = first {
        let yaml_ok = !l.project.errors.iter().any(|e| e.kind == ErrorKind::Yaml);
        if yaml_ok {
            l.error(first, ErrorKind::Model, SyntaxError::new(TextRange::empty(0), "empty compose file"));
        }
    }
    if let Some(root) = dict.as_mut() {
        // `version` is obsolete and ignored; compose drops it.
        if let Val::Map(entries) = &mut root.val {
            entries.retain(|e| e.key != "version");
        }
    }
    l.project.root = dict;
    model::build(&mut l.project, fs);
    l.project
}

fn merge_into(dict: Option<Value>, doc: Value) -> Value {
    let mut path = Vec::new();
    let mut merged = match dict {
        None => merge::merge(Value { val: Val::Map(Vec::new()), ..doc.clone() }, doc, &mut path),
        Some(d) => merge::merge(d, doc, &mut path),
    };
    merge::clean_tags(&mut merged);
    merge::enforce_unicity(&mut merged, &mut path);
    merged
}

impl Loader<'_> {
    fn error(&mut self, file: FileId, kind: ErrorKind, error: SyntaxError) {
        self.project.errors.push(ComposeError { file, kind, error });
    }

    fn read_dotenv(&mut self, dir: &Path, process: &[(String, String)]) {
        let path = normalize_path(&dir.join(".env"));
        let Ok(bytes) = self.fs.read(&path) else {
            return;
        };
        let id = self.project.add_file(path, bytes, FileRole::DotEnv, dir.to_path_buf());
        let text = self.project.files[id.0 as usize].source.text.clone();
        let lookup = |k: &str| process.iter().rev().find(|(n, _)| n == k).map(|(_, v)| v.clone());
        let parsed = dotenv::parse(&text, &lookup);
        for e in &parsed.errors {
            self.error(id, ErrorKind::DotEnv, e.clone());
        }
        let mut vars: HashMap<String, EnvVar> = HashMap::new();
        for v in &parsed.vars {
            let source = VarSource::DotEnv { file: id, key_range: v.key_range, value_range: v.value_range };
            vars.insert(v.key.clone(), EnvVar { value: v.value.clone(), source });
        }
        // the shell wins over .env
        for (k, v) in process {
            vars.insert(k.clone(), EnvVar { value: v.clone(), source: VarSource::Process });
        }
        self.project.env = Environment { vars };
        self.project.files[id.0 as usize].dotenv = Some(parsed);
    }

    /// Parses a compose file and converts its documents (normalised, not yet extended).
    fn documents(&mut self, id: FileId) -> Vec<Value> {
        let idx = id.0 as usize;
        let text = self.project.files[idx].source.text.clone();
        let path = self.project.files[idx].source.path.clone();
        let y = self.fs.yaml(&path, &text).unwrap_or_else(|| Arc::new(yaml::parse(&text)));
        for e in &y.errors {
            self.error(id, ErrorKind::Yaml, e.clone());
        }
        let mut out = Vec::new();
        if y.errors.is_empty() {
            let mut conv = Converter::new(&y, &text, id, &self.project.env);
            for doc in &y.docs {
                let Some(root) = doc.root else { continue };
                let mut v = conv.document(root);
                match &v.val {
                    Val::Map(_) => {}
                    _ => {
                        conv.errors.push(ComposeError {
                            file: id,
                            kind: ErrorKind::Model,
                            error: SyntaxError::new(y.node(root).range, "top-level object must be a mapping"),
                        });
                        continue;
                    }
                }
                merge::normalize(&mut v, &mut Vec::new());
                out.push(v);
            }
            let errs = std::mem::take(&mut conv.errors);
            self.project.errors.extend(errs);
        }
        self.project.files[idx].yaml = y;
        out
    }

    /// Applies `extends` to every service of a document.
    fn apply_extends(&mut self, file: FileId, doc: &mut Value) {
        let Some(services) = doc.get("services").cloned() else {
            return;
        };
        let Some(entries) = services.as_map() else {
            return;
        };
        let names: Vec<String> = entries.iter().map(|e| e.key.clone()).collect();
        let mut resolved = services.clone();
        for name in names {
            let mut chain = Vec::new();
            if let Some(v) = self.extend_service(file, &services, &name, &mut chain)
                && let Some(slot) = resolved.get_mut(&name)
            {
                *slot = v;
            }
        }
        if let Some(slot) = doc.get_mut("services") {
            *slot = resolved;
        }
    }

    /// The service `name` of `services` (in `file`) with its `extends` chain applied.
    fn extend_service(
        &mut self,
        file: FileId,
        services: &Value,
        name: &str,
        chain: &mut Vec<(FileId, String, Origin)>,
    ) -> Option<Value> {
        let service = services.get(name)?.clone();
        let Some(ext) = service.get("extends").cloned() else {
            return Some(service);
        };
        if chain.iter().any(|(f, n, _)| *f == file && n == name) || chain.len() > 32 {
            let cycle: Vec<String> = chain.iter().map(|(_, n, _)| n.clone()).chain([name.to_string()]).collect();
            // point at the `extends` that closes the loop
            let at = chain.last().map(|(_, _, o)| o.clone()).unwrap_or(ext.origin.clone());
            self.error(
                at.file,
                ErrorKind::ExtendsCycle,
                SyntaxError::new(at.range, format!("circular reference with extends: {}", cycle.join(" -> "))),
            );
            return Some(without_extends(service));
        }
        let points_at = match &ext.val {
            Val::Map(_) => ext.get("service").map(|s| s.origin.clone()).unwrap_or(ext.origin.clone()),
            _ => ext.origin.clone(),
        };
        chain.push((file, name.to_string(), points_at));
        let (reference, ref_value, file_value) = match &ext.val {
            Val::Str { text, .. } => (text.clone(), ext.clone(), None),
            Val::Map(_) => {
                let Some(svc) = ext.get("service").cloned() else {
                    self.error(
                        file,
                        ErrorKind::Model,
                        SyntaxError::new(ext.origin.range, format!("extends.{name}.service is required")),
                    );
                    chain.pop();
                    return Some(without_extends(service));
                };
                (svc.as_str().unwrap_or("").to_string(), svc, ext.get("file").cloned())
            }
            _ => {
                chain.pop();
                return Some(without_extends(service));
            }
        };
        let base = match file_value.as_ref().and_then(|f| f.as_str().map(|s| (s.to_string(), f.clone()))) {
            Some((rel, fval)) => {
                let dir = self.project.files[fval.origin.file.0 as usize].base_dir.clone();
                let path = resolve_path(&dir, &rel, &self.project.env);
                match self.extends_file(&path, &fval) {
                    None => None,
                    Some((bid, bservices)) => {
                        if bservices.get(&reference).is_none() {
                            self.error(
                                file,
                                ErrorKind::Model,
                                SyntaxError::new(
                                    ref_value.origin.range,
                                    format!("cannot extend service {name:?}: service {reference:?} not found in {rel}"),
                                ),
                            );
                            None
                        } else {
                            self.extend_service(bid, &bservices, &reference, chain)
                        }
                    }
                }
            }
            None => {
                if services.get(&reference).is_none() {
                    self.error(
                        file,
                        ErrorKind::Model,
                        SyntaxError::new(
                            ref_value.origin.range,
                            format!("cannot extend service {name:?}: service {reference:?} not found"),
                        ),
                    );
                    None
                } else {
                    self.extend_service(file, services, &reference, chain)
                }
            }
        };
        chain.pop();
        let service = without_extends(service);
        let Some(base) = base else {
            return Some(service);
        };
        let mut path = vec!["services".to_string(), "x".to_string()];
        let mut merged = merge::merge(base, service, &mut path);
        merge::clean_tags(&mut merged);
        let mut wrapped = Value { val: Val::Map(vec![super::value::Entry { key: "x".into(), value: merged }]), ..ext.clone() };
        let mut p = vec!["services".to_string()];
        merge::enforce_unicity(&mut wrapped, &mut p);
        match wrapped.val {
            Val::Map(mut e) if !e.is_empty() => Some(e.remove(0).value),
            _ => None,
        }
    }

    /// Loads a file named by `extends: {file: …}` once; records it as missing if absent.
    fn extends_file(&mut self, path: &Path, named_by: &Value) -> Option<(FileId, Value)> {
        if let Some(cached) = self.extends_files.get(path) {
            return cached.clone();
        }
        let Ok(bytes) = self.fs.read(path) else {
            let at = named_by.origin.span();
            self.project.missing.push(MissingFile {
                path: path.to_path_buf(),
                role: FileRole::Extends,
                referenced_at: Some(at),
                required: true,
            });
            self.error(
                at.file,
                ErrorKind::MissingFile,
                SyntaxError::new(at.range, format!("extends file {} not found", path.display())).with_label("no such file"),
            );
            self.extends_files.insert(path.to_path_buf(), None);
            return None;
        };
        let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        let id = self.project.add_file(path.to_path_buf(), bytes, FileRole::Extends, dir);
        self.extends_files.insert(path.to_path_buf(), None);
        let mut dict: Option<Value> = None;
        for doc in self.documents(id) {
            dict = Some(merge_into(dict, doc));
        }
        let services = dict.and_then(|d| d.get("services").cloned()).filter(|s| s.as_map().is_some());
        let result = services.map(|s| (id, s));
        if result.is_none() {
            self.error(
                named_by.origin.file,
                ErrorKind::Model,
                SyntaxError::new(named_by.origin.range, format!("cannot extend from {}: no services section", path.display())),
            );
        }
        self.extends_files.insert(path.to_path_buf(), result.clone());
        result
    }
}

fn without_extends(mut v: Value) -> Value {
    if let Val::Map(entries) = &mut v.val {
        entries.retain(|e| e.key != "extends");
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::compose::interpolate::Outcome;
    use crate::formats::compose::model::{EnvSource, HealthTest};
    use crate::units::{Bytes, Millis};

    fn fs(files: &[(&str, &str)]) -> MemoryFs {
        files.iter().fold(MemoryFs::default(), |fs, (p, t)| fs.with(*p, t))
    }

    fn opts(files: &[&str], env: &[(&str, &str)]) -> LoadOptions {
        LoadOptions {
            files: files.iter().map(PathBuf::from).collect(),
            project_dir: None,
            env: env.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
            dotenv: true,
        }
    }

    #[test]
    fn discovery_follows_compose_preferences() {
        let f = fs(&[("/p/docker-compose.yml", ""), ("/p/compose.yaml", ""), ("/p/docker-compose.override.yml", "")]);
        assert_eq!(
            discover(Path::new("/p"), &f),
            [PathBuf::from("/p/compose.yaml"), PathBuf::from("/p/docker-compose.override.yml")]
        );
        assert_eq!(
            with_override(Path::new("/p/docker-compose.yml"), &f),
            [PathBuf::from("/p/docker-compose.yml"), PathBuf::from("/p/docker-compose.override.yml")]
        );
        assert_eq!(with_override(Path::new("/p/prod.yml"), &f), [PathBuf::from("/p/prod.yml")]);
        assert!(discover(Path::new("/q"), &f).is_empty());
    }

    #[test]
    fn dotenv_values_keep_their_place() {
        let compose = "services:\n  odoo:\n    image: odoo:${TAG}\n    environment:\n      PW: ${PW}\n";
        let dotenv = "TAG=17.0\nPW=from-file\n";
        let f = fs(&[("/p/compose.yaml", compose), ("/p/.env", dotenv)]);
        let p = load(&opts(&["/p/compose.yaml"], &[("PW", "from-shell")]), &f);
        assert!(p.errors.is_empty(), "{:?}", p.errors);
        let s = p.service("odoo").unwrap();
        let img = s.image.as_ref().unwrap();
        assert_eq!(img.value.tag.as_deref(), Some("17.0"));
        let i = &img.interpolations[0];
        assert_eq!(i.range.unwrap().of(compose), "${TAG}");
        let Some(VarSource::DotEnv { file, value_range, key_range }) = &i.source else { panic!("{:?}", i.source) };
        assert_eq!(p.file(*file).role, FileRole::DotEnv);
        assert_eq!(value_range.of(dotenv), "17.0");
        assert_eq!(key_range.of(dotenv), "TAG");
        // the shell wins over .env
        let pw = s.env("PW").unwrap();
        assert_eq!(pw.value.as_deref(), Some("from-shell"));
        assert_eq!(pw.interpolations[0].source, Some(VarSource::Process));
    }

    #[test]
    fn defaults_are_placed() {
        let compose = "services:\n  odoo:\n    image: odoo\n    stop_grace_period: ${GRACE:-30s}\n";
        let p = load(&opts(&["/p/compose.yaml"], &[]), &fs(&[("/p/compose.yaml", compose)]));
        let g = p.service("odoo").unwrap().stop_grace_period.as_ref().unwrap();
        assert_eq!(g.value, Millis::secs(30));
        assert_eq!(g.interpolations[0].record.outcome, Outcome::Default);
        assert_eq!(g.interpolations[0].argument_range.unwrap().of(compose), "30s");
    }

    #[test]
    fn required_variable_error() {
        let compose = "services:\n  db:\n    image: postgres\n    environment:\n      PW: \"${PW:?set PW}\"\n";
        let p = load(&opts(&["/p/compose.yaml"], &[]), &fs(&[("/p/compose.yaml", compose)]));
        assert_eq!(p.errors.len(), 1);
        assert_eq!(p.errors[0].kind, ErrorKind::Interpolation);
        assert_eq!(p.errors[0].error.range.of(compose), "${PW:?set PW}");
        assert_eq!(p.errors[0].error.message, "required variable PW is missing a value: set PW");
    }

    #[test]
    fn yaml_error_is_reported_with_its_range() {
        let compose = "services:\n  db:\n\timage: postgres\n";
        let p = load(&opts(&["/p/compose.yaml"], &[]), &fs(&[("/p/compose.yaml", compose)]));
        assert_eq!(p.errors[0].kind, ErrorKind::Yaml);
        assert_eq!(p.errors[0].error.range.of(compose), "\t");
        assert!(p.services.is_empty());
    }

    #[test]
    fn missing_files() {
        let compose = "services:\n  a:\n    image: x\n    env_file:\n      - a.env\n      - path: b.env\n        required: false\n  b:\n    extends:\n      file: nope.yml\n      service: x\n";
        let p = load(&opts(&["/p/compose.yaml", "/p/absent.yaml"], &[]), &fs(&[("/p/compose.yaml", compose)]));
        let missing: Vec<(String, FileRole)> = p.missing.iter().map(|m| (m.path.display().to_string(), m.role)).collect();
        assert!(missing.contains(&("/p/absent.yaml".into(), FileRole::Override)));
        assert!(missing.contains(&("/p/a.env".into(), FileRole::EnvFile)));
        assert!(missing.contains(&("/p/nope.yml".into(), FileRole::Extends)));
        assert!(!missing.iter().any(|(p, _)| p.ends_with("b.env")));
        let ext = p.missing.iter().find(|m| m.role == FileRole::Extends).unwrap();
        assert_eq!(ext.referenced_at.unwrap().range.of(compose), "nope.yml");
        let kinds: Vec<ErrorKind> = p.errors.iter().map(|e| e.kind).collect();
        assert_eq!(kinds.iter().filter(|k| **k == ErrorKind::MissingFile).count(), 2);
    }

    #[test]
    fn empty_file() {
        let p = load(&opts(&["/p/compose.yaml"], &[]), &fs(&[("/p/compose.yaml", "# nothing\n")]));
        assert_eq!(p.errors.len(), 1);
        assert_eq!(p.errors[0].error.message, "empty compose file");
    }

    #[test]
    fn extends_cycle() {
        let compose = "services:\n  a:\n    image: x\n    extends: b\n  b:\n    extends: a\n";
        let p = load(&opts(&["/p/compose.yaml"], &[]), &fs(&[("/p/compose.yaml", compose)]));
        let e = p.errors.iter().find(|e| e.kind == ErrorKind::ExtendsCycle).unwrap();
        assert!(e.error.message.contains("a -> b -> a"), "{}", e.error.message);
        // the `extends` that closes the loop
        assert_eq!(e.error.range, TextRange::new(compose.rfind('a').unwrap(), compose.len() - 1));
    }

    #[test]
    fn extends_paths_are_relative_to_their_file() {
        let compose = "services:\n  odoo:\n    extends: {file: sub/base.yml, service: b}\n    volumes: [\"./here:/here\"]\n";
        let base = "services:\n  b:\n    image: odoo\n    volumes: [\"./addons:/mnt/addons\"]\n    env_file: b.env\n";
        let f = fs(&[("/p/compose.yaml", compose), ("/p/sub/base.yml", base), ("/p/sub/b.env", "X=1\n")]);
        let p = load(&opts(&["/p/compose.yaml"], &[]), &f);
        assert!(p.errors.is_empty(), "{:?}", p.errors);
        let s = p.service("odoo").unwrap();
        let srcs: Vec<String> =
            s.volumes.iter().map(|v| v.value.resolved_source.as_ref().unwrap().display().to_string()).collect();
        assert_eq!(srcs, ["/p/sub/addons", "/p/here"]);
        assert_eq!(s.env("X").unwrap().value.as_deref(), Some("1"));
        assert!(matches!(s.env("X").unwrap().source, EnvSource::EnvFile(_)));
    }

    #[test]
    fn override_paths_are_relative_to_the_project() {
        let base = "services:\n  odoo:\n    image: odoo\n";
        let over = "services:\n  odoo:\n    volumes: [\"./x:/x\"]\n";
        let f = fs(&[("/p/compose.yaml", base), ("/p/sub/over.yaml", over)]);
        let p = load(&opts(&["/p/compose.yaml", "/p/sub/over.yaml"], &[]), &f);
        let v = &p.service("odoo").unwrap().volumes[0];
        assert_eq!(v.value.resolved_source.as_deref(), Some(Path::new("/p/x")));
        assert_eq!(v.origin.file, FileId(1));
    }

    #[test]
    fn typed_values_with_spans() {
        let compose = "services:\n  odoo:\n    image: odoo:17.0\n    mem_limit: 2g\n    cpus: '1.5'\n    ulimits:\n      nofile: {soft: 1024, hard: 65536}\n    healthcheck:\n      test: curl -f localhost\n      start_period: 1m30s\n      retries: 5\n    deploy:\n      resources:\n        limits: {memory: 2048M}\n    command: odoo --workers=4 && true\n    environment:\n      - KEY\n      - LIST_DB=False\n";
        let p = load(&opts(&["/p/compose.yaml"], &[("KEY", "host")]), &fs(&[("/p/compose.yaml", compose)]));
        assert!(p.errors.is_empty(), "{:?}", p.errors);
        let s = p.service("odoo").unwrap();
        let m = s.mem_limit.as_ref().unwrap();
        assert_eq!(m.value, Bytes::gib(2));
        assert_eq!(m.span().range.of(compose), "2g");
        assert_eq!(s.cpus.as_ref().unwrap().span().range.of(compose), "'1.5'");
        let nofile = s.ulimit("nofile").unwrap();
        assert_eq!((nofile.soft.as_ref().unwrap().value, nofile.hard.as_ref().unwrap().value), (1024, 65536));
        let hc = s.healthcheck.as_ref().unwrap();
        assert_eq!(hc.test.as_ref().unwrap().value, HealthTest::Shell("curl -f localhost".into()));
        assert_eq!(hc.start_period.as_ref().unwrap().value, Millis::secs(90));
        assert_eq!(s.memory_limit().unwrap().value, Bytes::gib(2));
        assert_eq!(s.command.as_ref().unwrap().value.args, ["odoo", "--workers=4"]);
        let key = s.env("KEY").unwrap();
        assert_eq!((key.value.as_deref(), &key.source), (Some("host"), &EnvSource::Host(VarSource::Process)));
        assert_eq!(key.origin.range.of(compose), "KEY");
        let list_db = s.env("LIST_DB").unwrap();
        assert_eq!(list_db.value.as_deref(), Some("False"));
        assert_eq!(list_db.origin.range.of(compose), "False");
    }

    #[test]
    fn invalid_values_are_model_errors() {
        let compose =
            "services:\n  odoo:\n    image: odoo\n    mem_limit: lots\n    stop_grace_period: 30\n    ports: [\"x:80\"]\n";
        let p = load(&opts(&["/p/compose.yaml"], &[]), &fs(&[("/p/compose.yaml", compose)]));
        let mut ranges: Vec<&str> = p.errors.iter().map(|e| e.error.range.of(compose)).collect();
        ranges.sort();
        assert_eq!(ranges, ["\"x:80\"", "30", "lots"]);
        assert!(p.errors.iter().all(|e| e.kind == ErrorKind::Model));
    }
}

//! docker-compose as the spine of a stack: each compose project of the stack, loaded once
//! (base file, override files beside it, `extends`, `.env`, `env_file`s), its files joined to
//! the run, and its services read for what they run.
//!
//! Which files form a project: every compose file of the stack is a base, with the default
//! override beside it (`docker-compose.override.yml`, as `docker compose` adds it); a variant
//! such as `docker-compose.prod.yml` beside `docker-compose.yml` is loaded on top of that base
//! (the way it is meant to be used: `-f docker-compose.yml -f docker-compose.prod.yml`); a
//! file another project reaches through `extends: {file: …}` is not a project of its own.
//! Interpolation sees the project's `.env` only: odoo-lint does not read the shell it runs in,
//! which says nothing about the server's.
//!
//! What a service runs, from its image or command ([`Role`]):
//! - Odoo (image `odoo`, `*/odoo*`, or a command `odoo`/`odoo-bin`). With the official
//!   image, its configuration is the image's built-in `/etc/odoo/odoo.conf` (`addons_path =
//!   /mnt/extra-addons`, `data_dir = /var/lib/odoo`) unless a bind mount puts a file there (a
//!   folder at `/etc/odoo`, or the file itself; `-c` or `$ODOO_RC` move it), and its
//!   entrypoint passes `HOST`/`PORT`/`USER`/`PASSWORD` on as `--db_host`… for each key the
//!   config file lacks (odoo/docker entrypoint.sh, 17.0–19.0). Folders mounted at
//!   `/mnt/extra-addons` (or any target naming addons) are read for the addons they hold.
//! - PostgreSQL (image `postgres`, `postgis`, `timescaledb…`, `*/postgres*`, or a command
//!   `postgres`): `-c name=value` in `command` are settings; a postgresql.conf mounted where
//!   `-c config_file=` or `$PGDATA` says is its configuration.
//! - nginx (image `nginx*` or `openresty`): the stack's nginx files under its bind mounts run
//!   inside the compose network, where service names and aliases are host names.
//!
//! Spans of the project (its own [`crate::source::FileId`]s) are mapped to the run's through
//! [`ComposeModel::ids`].

use crate::diagnostic::Edit;
use crate::files::{FileKind, FileSet};
use crate::formats::compose::edit::{EditLocation, InsertStyle, Written, edit_location};
use crate::formats::compose::loader::{DEFAULT_FILE_NAMES, DEFAULT_OVERRIDE_NAMES, FileRole, with_override};
use crate::formats::compose::model::{Service, Volume, clean_unix_path};
use crate::formats::compose::value::Origin as ComposeOrigin;
use crate::formats::compose::yaml::ScalarStyle;
use crate::formats::compose::{FileSystem, LoadOptions, Project, load};
use crate::host::{Fact, FactOrigin, HostFacts};
use crate::source::{FileId, Span, TextRange};
use crate::stack::odoo::{OdooSettings, Origin, Setting};
use crate::units::Bytes;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// How the workspace gives the compose projects its files.
pub trait Registry: FileSystem {
    fn files(&self) -> &FileSet;
    /// The id of the file at `path` (canonical paths compared), adding it as a file of `kind`
    /// when the run does not have it yet.
    fn register(&mut self, path: &Path, bytes: Vec<u8>, kind: FileKind) -> FileId;
    /// Reads a file again as another kind (an `env_file` first taken for something else).
    fn reparse(&mut self, id: FileId, kind: FileKind);
}

/// A compose project of the stack.
#[derive(Clone)]
pub struct ComposeModel {
    pub project: Arc<Project>,
    /// The run's id of each of `project.files`.
    pub ids: Vec<Option<FileId>>,
    /// What each of `project.services` runs (same order).
    pub services: Vec<ServiceModel>,
    /// The service whose Odoo is the stack's (see [`ComposeModel::link_odoo`]).
    pub odoo: Option<usize>,
}

impl std::fmt::Debug for ComposeModel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let files: Vec<String> = self.project.files.iter().map(|f| f.source.display.clone()).collect();
        let services: Vec<&str> = self.project.services.iter().map(|s| s.name.as_str()).collect();
        f.debug_struct("ComposeModel")
            .field("files", &files)
            .field("ids", &self.ids)
            .field("services", &services)
            .field("roles", &self.services)
            .field("odoo", &self.odoo)
            .finish()
    }
}

/// An addon a `pip install` line installs (`odoo-addon-queue_job`, see
/// [`crate::discover::addon_of_requirement`]).
#[derive(Clone, Debug)]
pub struct Install {
    pub addon: String,
    pub at: InstallPlace,
}

#[derive(Clone, Debug)]
pub enum InstallPlace {
    /// A word of the service's `command` or `entrypoint`.
    Compose(Span),
    /// A line (1-based) of the Dockerfile the service is built from.
    Dockerfile(PathBuf, usize),
}

/// What a service is to the stack.
#[derive(Clone, Debug)]
pub struct ServiceModel {
    pub role: Role,
    /// Odoo addons its `pip install` lines install (in `command`/`entrypoint`, or in the
    /// Dockerfile it is built from).
    pub installs: Vec<Install>,
    /// The names other containers reach it by: the service name, `container_name`, network
    /// aliases and `links` aliases (Docker's embedded DNS).
    pub hostnames: Vec<String>,
}

#[derive(Clone, Debug)]
pub enum Role {
    Odoo(Box<OdooContainer>),
    Postgres(PgContainer),
    Nginx(NginxContainer),
    Other,
}

/// Where an Odoo container's configuration file comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConfigLink {
    /// The official image's built-in file (nothing mounted over it).
    Image,
    /// A file of the stack, bind-mounted (the span is the volume entry).
    File { file: FileId, mount: Span },
    /// Something we do not have: a mounted file that is not in the stack, or an image whose
    /// built-in configuration we do not know.
    Unknown { mount: Option<Span> },
}

/// One command-line option of Odoo in a compose `command`.
#[derive(Clone, Debug)]
pub struct CmdOption {
    pub flag: String,
    pub value: Option<String>,
    /// From the flag to its value.
    pub span: Span,
    /// The value's own text, when it can be edited in place (written plainly).
    pub value_span: Option<Span>,
    /// As written: `--workers=4`, `--workers 4`.
    pub written: String,
}

/// An Odoo container.
#[derive(Clone, Debug)]
pub struct OdooContainer {
    /// The official image (its built-in configuration and entrypoint apply).
    pub official: bool,
    /// The image's entrypoint runs Odoo with the command's options (no `entrypoint:`
    /// override, and a command that is `odoo …`, `-- …`, options, or none).
    pub entrypoint_runs_odoo: bool,
    /// Odoo's options from `command` (None: the command does not start Odoo's server in a
    /// way we can read, e.g. `bash -c …`).
    pub options: Option<Vec<CmdOption>>,
    /// The configuration file's path inside the container.
    pub config_path: String,
    pub config: ConfigLink,
    /// Addons folders mounted into the container, with the addons each holds.
    pub addons: Vec<AddonsMount>,
}

/// A host folder of addons mounted into an Odoo container.
#[derive(Clone, Debug)]
pub struct AddonsMount {
    pub host: PathBuf,
    pub target: String,
    /// The volume entry.
    pub span: Span,
    /// Addons found there: (name, manifest path).
    pub addons: Vec<(String, PathBuf)>,
}

/// A PostgreSQL container.
#[derive(Clone, Debug, Default)]
pub struct PgContainer {
    /// Its command, word by word, with each word's span (empty: the image's default).
    pub args: Vec<(String, Span)>,
    /// `$PGDATA` inside the container.
    pub data_dir: Option<String>,
    /// The postgresql.conf of the stack it reads, if mounted.
    pub config: Option<FileId>,
    /// Its server in [`crate::stack::Stack::postgres`].
    pub model: Option<usize>,
    /// The PostgreSQL major version its image tag names (`postgres:16-alpine`).
    pub version: Option<u32>,
    /// Its image is the official one or a kin with the same entrypoint (`postgis`,
    /// `timescaledb`): its command is `postgres`, and a command of options is passed to it.
    pub official: bool,
    /// Its command runs the server with the words that follow (or, on an official image,
    /// is the image's own or a list of options), so `-c name=value` added at the end counts.
    pub runs_postgres: bool,
}

/// An nginx container.
#[derive(Clone, Debug, Default)]
pub struct NginxContainer {
    /// The stack's nginx files it mounts.
    pub files: Vec<FileId>,
}

impl ServiceModel {
    pub fn odoo(&self) -> Option<&OdooContainer> {
        match &self.role {
            Role::Odoo(o) => Some(o),
            _ => None,
        }
    }
    pub fn postgres(&self) -> Option<&PgContainer> {
        match &self.role {
            Role::Postgres(p) => Some(p),
            _ => None,
        }
    }
    pub fn nginx(&self) -> Option<&NginxContainer> {
        match &self.role {
            Role::Nginx(n) => Some(n),
            _ => None,
        }
    }
}

/// Whether an image is the official `odoo` one.
pub fn is_official_odoo(name: &str) -> bool {
    matches!(name, "odoo" | "library/odoo" | "docker.io/library/odoo" | "docker.io/odoo")
}

fn last_component(name: &str) -> &str {
    name.rsplit('/').next().unwrap_or(name)
}

fn is_odoo_image(name: &str) -> bool {
    last_component(name).starts_with("odoo")
}

fn is_postgres_image(name: &str) -> bool {
    let last = last_component(name);
    (last.starts_with("postgres") && !last.contains("backup") && !last.contains("exporter"))
        || last == "postgis"
        || last.starts_with("timescaledb")
}

fn is_nginx_image(name: &str) -> bool {
    let last = last_component(name);
    last.starts_with("nginx") && !last.contains("exporter") || last == "openresty"
}

fn program(word: &str) -> &str {
    last_component(word)
}

/// The Odoo major version an image reference names: `odoo:17`, `odoo:17.0`,
/// `odoo:17.0-20240101`, or a name such as `odoo17`; `latest` and no tag say nothing.
pub fn image_version(name: &str, tag: Option<&str>) -> Option<u32> {
    if let Some(tag) = tag {
        let digits: String = tag.chars().take_while(|c| c.is_ascii_digit()).collect();
        let rest = &tag[digits.len()..];
        if !digits.is_empty()
            && digits.len() <= 2
            && (rest.is_empty() || rest.starts_with(".0") || rest.starts_with('-'))
            && let Ok(n) = digits.parse::<u32>()
            && (8..=30).contains(&n)
        {
            return Some(n);
        }
    }
    crate::stack::version::version_in(last_component(name)).map(|(n, _)| n)
}

/// The PostgreSQL major version an image tag names (`16`, `16-alpine`, `15.5`, `pg17.6-ts…`).
pub fn postgres_image_version(tag: Option<&str>) -> Option<u32> {
    let tag = tag?.trim_start_matches("pg");
    let digits: String = tag.chars().take_while(|c| c.is_ascii_digit()).collect();
    digits.parse().ok().filter(|n| (9..=40).contains(n))
}

/// The services of a compose file (first document), each with whether it names an image, a
/// build or a service it extends.
fn top_services(y: &crate::formats::compose::yaml::YamlFile) -> Vec<(String, bool)> {
    let Some(root) = y.docs.first().and_then(|d| d.root) else { return Vec::new() };
    let Some((_, services)) = y.get(y.resolve(root), "services") else { return Vec::new() };
    let crate::formats::compose::yaml::NodeKind::Mapping { entries, .. } = &y.node(y.resolve(services)).kind else {
        return Vec::new();
    };
    entries
        .iter()
        .filter_map(|(k, v)| {
            let name = y.node(*k).scalar()?.0.to_string();
            let v = y.resolve(*v);
            let whole = ["image", "build", "extends", "<<"].iter().any(|key| y.get(v, key).is_some());
            Some((name, whole))
        })
        .collect()
}

/// The base file a variant is loaded over, when it is in the same folder: one named after the
/// base (`docker-compose.prod.yml` over `docker-compose.yml`), or one whose services lack an
/// image and a build and are all defined by the base (an override meant for `-f base -f it`).
fn variant_base(path: &Path, exists: &dyn Fn(&Path) -> bool, services: &dyn Fn(&Path) -> Vec<(String, bool)>) -> Option<PathBuf> {
    let name = path.file_name()?.to_str()?;
    if DEFAULT_FILE_NAMES.contains(&name) || DEFAULT_OVERRIDE_NAMES.contains(&name) {
        return None;
    }
    let dir = path.parent()?;
    let bases: Vec<PathBuf> = DEFAULT_FILE_NAMES.iter().map(|b| dir.join(b)).filter(|b| exists(b)).collect();
    for base in &bases {
        let base_name = base.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let stem = base_name.rsplit_once('.').map(|x| x.0).unwrap_or(base_name);
        if name.starts_with(&format!("{stem}.")) && (name.ends_with(".yml") || name.ends_with(".yaml")) {
            return Some(base.clone());
        }
    }
    let mine = services(path);
    let partial: Vec<&String> = mine.iter().filter(|(_, whole)| !whole).map(|(n, _)| n).collect();
    if partial.is_empty() {
        return None;
    }
    bases.into_iter().find(|b| {
        let theirs = services(b);
        partial.iter().all(|p| theirs.iter().any(|(n, _)| n == *p))
    })
}

/// Loads the compose projects of the stack made of `stack_files`, adding the files they read
/// (and the configuration files their services mount) to the run and the stack.
pub fn build<R: Registry>(reg: &mut R, stack_files: &mut Vec<FileId>) -> Vec<ComposeModel> {
    let compose: Vec<PathBuf> = stack_files
        .iter()
        .filter(|&&f| reg.files().get(f).kind == FileKind::Compose)
        .map(|&f| reg.files().source(f).path.clone())
        .collect();
    if compose.is_empty() {
        return Vec::new();
    }
    let canon = |p: &Path| crate::workspace::canonical(p);
    let in_stack: Vec<PathBuf> = compose.iter().map(|p| canon(p)).collect();
    let exists = |p: &Path| in_stack.contains(&canon(p));
    let mut lists: Vec<Vec<PathBuf>> = Vec::new();
    for path in &compose {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let dir = path.parent().unwrap_or(Path::new("."));
        // an override is loaded with the base beside it
        if DEFAULT_OVERRIDE_NAMES.contains(&name) && DEFAULT_FILE_NAMES.iter().any(|b| reg.exists(&dir.join(b))) {
            continue;
        }
        let services = |p: &Path| {
            let key = canon(p);
            stack_files
                .iter()
                .find(|&&f| canon(&reg.files().source(f).path) == key)
                .and_then(|&f| reg.files().compose(f))
                .map(top_services)
                .unwrap_or_default()
        };
        let files = match variant_base(path, &exists, &services) {
            Some(base) => vec![base, path.clone()],
            None => with_override(path, &*reg),
        };
        if !lists.contains(&files) {
            lists.push(files);
        }
    }
    let mut projects: Vec<Project> = lists
        .into_iter()
        .map(|files| load(&LoadOptions { files, project_dir: None, env: Vec::new(), dotenv: true }, &*reg))
        .collect();
    // a file reached through `extends` is part of the project that extends it
    let extended: Vec<PathBuf> = projects
        .iter()
        .flat_map(|p| p.files.iter().filter(|f| f.role == FileRole::Extends).map(|f| canon(&f.source.path)))
        .collect();
    projects.retain(|p| p.compose_files().next().is_none_or(|(_, f)| !extended.contains(&canon(&f.source.path))));

    let mut out = Vec::new();
    for project in projects {
        let mut ids = Vec::new();
        for f in &project.files {
            let kind = match f.role {
                FileRole::Base | FileRole::Override | FileRole::Extends => FileKind::Compose,
                FileRole::DotEnv | FileRole::EnvFile => FileKind::DotEnv,
            };
            let id = reg.register(&f.source.path, f.source.bytes.clone(), kind);
            let current = reg.files().get(id).kind;
            if current != kind && current != FileKind::Compose {
                reg.reparse(id, kind);
            }
            if !stack_files.contains(&id) {
                stack_files.push(id);
            }
            ids.push(Some(id));
        }
        let mut model = ComposeModel { project: Arc::new(project), ids, services: Vec::new(), odoo: None };
        let services: Vec<ServiceModel> =
            (0..model.project.services.len()).map(|i| classify(reg, stack_files, &model, i)).collect();
        model.services = services;
        model.odoo = choose_odoo(reg.files(), stack_files, &model);
        out.push(model);
    }
    out
}

/// The Odoo service of a project: the first one running one of the stack's odoo.conf files,
/// else the first running the image's built-in configuration, else the first.
fn choose_odoo(fs: &FileSet, stack_files: &[FileId], m: &ComposeModel) -> Option<usize> {
    let odoo: Vec<(usize, &OdooContainer)> =
        m.services.iter().enumerate().filter_map(|(i, s)| s.odoo().map(|o| (i, o))).collect();
    let conf = stack_files.iter().copied().find(|&f| fs.get(f).kind == FileKind::OdooConf);
    odoo.iter()
        .find(|(_, o)| matches!(o.config, ConfigLink::File { file, .. } if Some(file) == conf))
        .or_else(|| odoo.iter().find(|(_, o)| conf.is_none() && o.config == ConfigLink::Image))
        .or(odoo.first())
        .map(|(i, _)| *i)
}

fn classify<R: Registry>(reg: &mut R, stack_files: &mut Vec<FileId>, m: &ComposeModel, i: usize) -> ServiceModel {
    let s = &m.project.services[i];
    let mut hostnames = vec![s.name.clone()];
    if let Some(c) = &s.container_name {
        hostnames.push(c.value.clone());
    }
    for n in &s.networks {
        hostnames.extend(n.aliases.iter().map(|a| a.value.clone()));
    }
    if let Some(links) = s.raw.get("links").and_then(|l| l.as_seq()) {
        for l in links {
            if let Some(t) = l.as_str() {
                hostnames.push(t.split_once(':').map(|x| x.1).unwrap_or(t).to_string());
            }
        }
    }
    hostnames.dedup();
    let image = s.image.as_ref().map(|i| i.value.name.as_str()).unwrap_or("");
    let entry: Vec<&str> = s.entrypoint.iter().flat_map(|c| c.value.args.iter().map(String::as_str)).collect();
    let cmd: Vec<&str> = s.command.iter().flat_map(|c| c.value.args.iter().map(String::as_str)).collect();
    let words: Vec<&str> = entry.iter().chain(cmd.iter()).copied().collect();
    let runs = |names: &[&str]| words.iter().take(3).any(|w| names.contains(&program(w)));
    // a service built from a Dockerfile, without an image name that says what it runs
    let built_odoo = image.is_empty()
        && s.raw.get("build").is_some()
        && s.name.to_ascii_lowercase().starts_with("odoo")
        && !["db", "postgres", "pg", "nginx", "proxy", "redis"].iter().any(|w| s.name.to_ascii_lowercase().contains(w));
    let role = if is_odoo_image(image) || runs(&["odoo", "odoo-bin", "odoo.py"]) || built_odoo {
        Role::Odoo(Box::new(odoo_container(reg, stack_files, m, s)))
    } else if is_postgres_image(image) || runs(&["postgres", "postmaster"]) {
        Role::Postgres(pg_container(reg, stack_files, m, s))
    } else if is_nginx_image(image) || runs(&["nginx"]) {
        Role::Nginx(nginx_container(reg.files(), stack_files, s))
    } else {
        Role::Other
    };
    let mut installs = Vec::new();
    for key in ["command", "entrypoint"] {
        let words = command_words(m, s.raw.get(key));
        // `sh -c "pip install … && odoo"` is one word: look inside it too
        for (w, span, _) in &words {
            for token in w.split_whitespace() {
                if let Some(addon) = crate::discover::addon_of_requirement(token) {
                    installs.push(Install { addon, at: InstallPlace::Compose(*span) });
                }
            }
        }
    }
    if let Some(path) = dockerfile(m, s)
        && let Ok(bytes) = reg.read(&path)
        && bytes.len() < 256 * 1024
    {
        let text = String::from_utf8_lossy(&bytes);
        for (n, line) in text.lines().enumerate() {
            if !(line.contains("pip") || line.contains("odoo")) {
                continue;
            }
            for token in line.split_whitespace() {
                if let Some(addon) = crate::discover::addon_of_requirement(token) {
                    installs.push(Install { addon, at: InstallPlace::Dockerfile(path.clone(), n + 1) });
                }
            }
        }
    }
    ServiceModel { role, hostnames, installs }
}

/// The Dockerfile a service is built from: `build: DIR` or `build: {context, dockerfile}`.
fn dockerfile(m: &ComposeModel, s: &Service) -> Option<PathBuf> {
    let build = s.raw.get("build")?;
    let base = m.project.file(build.origin.file).base_dir.clone();
    let (context, file) = match build.as_str() {
        Some(c) => (c.to_string(), "Dockerfile".to_string()),
        None => (
            build.get("context").and_then(|c| c.as_str()).unwrap_or(".").to_string(),
            build.get("dockerfile").and_then(|d| d.as_str()).unwrap_or("Dockerfile").to_string(),
        ),
    };
    if context.contains("://") || context.starts_with("git@") {
        return None;
    }
    let dir = crate::formats::compose::loader::resolve_path(&base, &context, &m.project.env);
    Some(crate::formats::compose::loader::normalize_path(&dir.join(file)))
}

impl ComposeModel {
    /// The run's id of a project file.
    pub fn id(&self, file: FileId) -> Option<FileId> {
        self.ids.get(file.0 as usize).copied().flatten()
    }

    /// The span of a value in the run's files.
    pub fn span(&self, o: &ComposeOrigin) -> Option<Span> {
        Some(Span::new(self.id(o.file)?, o.range))
    }

    /// The span of a value's key (`mem_limit:`), else of the value.
    pub fn key_span(&self, o: &ComposeOrigin) -> Option<Span> {
        Some(Span::new(self.id(o.file)?, o.key_range.unwrap_or(o.range)))
    }

    /// Where findings about a whole service point: its name under `services:` in the last
    /// compose file of the project that names it (else where its definition comes from, e.g.
    /// the file it extends).
    pub fn service_span(&self, i: usize) -> Option<Span> {
        let s = self.project.services.get(i)?;
        for (id, f) in self.project.compose_files().collect::<Vec<_>>().into_iter().rev() {
            let y = &f.yaml;
            for doc in &y.docs {
                let Some(root) = doc.root else { continue };
                let Some((_, services)) = y.get(y.resolve(root), "services") else { continue };
                if let Some((key, _)) = y.get(y.resolve(services), &s.name) {
                    return Some(Span::new(self.id(id)?, y.node(key).range));
                }
            }
        }
        self.key_span(&s.origin)
    }

    pub fn service(&self, i: usize) -> &Service {
        &self.project.services[i]
    }

    /// The stack's Odoo service.
    pub fn odoo_service(&self) -> Option<(usize, &Service, &OdooContainer)> {
        let i = self.odoo?;
        Some((i, &self.project.services[i], self.services[i].odoo()?))
    }

    /// Whether the Odoo service runs the configuration the stack's settings come from: the
    /// stack's odoo.conf (`conf`), or, with none, the image's own or an unknown one.
    pub fn linked(&self, conf: Option<FileId>) -> bool {
        match self.odoo_service().map(|(_, _, c)| &c.config) {
            Some(ConfigLink::File { file, .. }) => conf == Some(*file),
            Some(ConfigLink::Image | ConfigLink::Unknown { .. }) => conf.is_none(),
            None => false,
        }
    }

    /// Every Odoo service.
    pub fn odoo_services(&self) -> impl Iterator<Item = (usize, &Service, &OdooContainer)> {
        self.services.iter().enumerate().filter_map(|(i, m)| m.odoo().map(|o| (i, &self.project.services[i], o)))
    }

    /// Every PostgreSQL service.
    pub fn postgres_services(&self) -> impl Iterator<Item = (usize, &Service, &PgContainer)> {
        self.services.iter().enumerate().filter_map(|(i, m)| m.postgres().map(|p| (i, &self.project.services[i], p)))
    }

    /// Every nginx service.
    pub fn nginx_services(&self) -> impl Iterator<Item = (usize, &Service, &NginxContainer)> {
        self.services.iter().enumerate().filter_map(|(i, m)| m.nginx().map(|n| (i, &self.project.services[i], n)))
    }

    /// The service another container reaches as `host` (case-insensitive, as DNS).
    pub fn resolve(&self, host: &str) -> Option<usize> {
        self.services.iter().position(|s| s.hostnames.iter().any(|h| h.eq_ignore_ascii_case(host)))
    }

    /// The file name of the project's first compose file, for messages.
    pub fn name(&self) -> String {
        self.project
            .compose_files()
            .next()
            .and_then(|(_, f)| f.source.path.file_name().map(|n| n.to_string_lossy().into_owned()))
            .unwrap_or_else(|| "docker-compose.yml".into())
    }

    /// "service `odoo` in docker-compose.yml" (the project's first file).
    pub fn describe_service(&self, i: usize) -> String {
        format!("service `{}` in {}", self.service(i).name, self.name())
    }

    /// The edit that sets `path` (`stop_grace_period`, `healthcheck.start_period`,
    /// `ulimits.nofile`, `environment.X`) of service `i` to `value` (YAML text, unquoted),
    /// in place and in the file's style: the value that wins is replaced (keeping its quotes;
    /// for `${VAR:-default}` the default, or the `.env` line that sets the variable), or the key
    /// is inserted where the service's mapping is written. `Err` says why not.
    pub fn set_edit(&self, i: usize, path: &str, value: &str) -> Result<Edit, String> {
        let s = self.service(i);
        let loc = edit_location(&self.project, s, path).ok_or_else(|| format!("no place to write `{path}`"))?;
        match loc {
            EditLocation::Replace { file, range, written, rest, shared, interpolations } => {
                if let Some(sh) = shared.as_ref().filter(|sh| sh.users.len() > 1) {
                    return Err(format!(
                        "`{path}` is written in the anchor `&{}`, which services {} share: change it there if it suits them all",
                        sh.anchor,
                        sh.users.join(", ")
                    ));
                }
                if !rest.is_empty() {
                    return Err(format!("`{path}` is not a mapping here"));
                }
                let id = self.id(file).ok_or("the file is not in the run")?;
                if let Some(i) = interpolations.first() {
                    use crate::formats::compose::interpolate::Outcome;
                    use crate::formats::compose::value::VarSource;
                    let text = &self.project.file(file).source.text;
                    let whole = i.range.is_some_and(|r| r == range || r.of(text) == range.of(text).trim_matches(['"', '\'']));
                    if interpolations.len() == 1 && whole {
                        match (&i.source, &i.record.outcome, i.argument_range) {
                            (Some(VarSource::DotEnv { file, value_range, .. }), _, _) => {
                                let env = self.id(*file).ok_or("the .env file is not in the run")?;
                                return Ok(Edit::replace(env, *value_range, value));
                            }
                            (None, Outcome::Default, Some(arg)) => return Ok(Edit::replace(id, arg, value)),
                            _ => {}
                        }
                    }
                    return Err(format!("`{path}` comes from `${{{}}}`: set that variable to {value}", i.record.var));
                }
                let text = match written {
                    Written::Scalar(ScalarStyle::Plain) | Written::EnvFile => value.to_string(),
                    Written::Scalar(ScalarStyle::DoubleQuoted) => format!("\"{value}\""),
                    Written::Scalar(ScalarStyle::SingleQuoted) => format!("'{value}'"),
                    Written::Empty => format!(" {value}"),
                    _ => return Err(format!("`{path}` is written as a block; set it to {value}")),
                };
                Ok(Edit::replace(id, range, text))
            }
            EditLocation::Insert(ins) => {
                let id = self.id(ins.file).ok_or("the file is not in the run")?;
                let value = match ins.style {
                    InsertStyle::BlockList | InsertStyle::FlowList { .. } => value.to_string(),
                    _ => value.to_string(),
                };
                Ok(Edit::insert(id, ins.at, ins.text(&value)))
            }
        }
    }

    /// The edit that adds `words` at the end of the `command` of service `i`, in the form it
    /// is written; without a `command`, one is added: `program` then the words (the image's
    /// own command is `program`; `None`: the image's command is unknown, so none is added).
    pub fn append_command(&self, i: usize, words: &[String], program: Option<&str>) -> Result<Edit, String> {
        let s = self.service(i);
        if s.raw.get("command").is_some_and(|c| !c.is_null()) {
            let (file, at, text) = crate::formats::compose::edit::append_words(&self.project, s, "command", words)?;
            let id = self.id(file).ok_or("the file is not in the run")?;
            return Ok(Edit::insert(id, at, text));
        }
        let program =
            program.ok_or_else(|| format!("{} has no `command`, and its image's is unknown", self.describe_service(i)))?;
        let value = std::iter::once(program.to_string()).chain(words.iter().cloned()).collect::<Vec<_>>().join(" ");
        self.set_edit(i, "command", &value)
    }

    /// The edit that gives Odoo option `key` the value `value` on the command line of the
    /// stack's Odoo service, for a key set nowhere: `--flag=value` (a switch: the flag alone,
    /// when it means `value`) after its options. Only where the options are read as Odoo's:
    /// the official image's entrypoint running Odoo with the command's options, or a command
    /// that runs Odoo and ends with its options.
    pub fn odoo_add_flag(&self, key: &str, value: &str, major: u8) -> Result<Edit, String> {
        use crate::odoo::options::{Reading, options_for};
        let (i, s, c) = self.odoo_service().ok_or("no Odoo service")?;
        if c.options.is_none() {
            return Err(format!(
                "the `command` of {} does not run Odoo's server in a way odoo-lint reads",
                self.describe_service(i)
            ));
        }
        let opt = options_for(major).find(|o| o.key == key).ok_or_else(|| format!("Odoo {major} has no option `{key}`"))?;
        let flag = opt
            .flags
            .iter()
            .find(|f| f.name.starts_with("--") && f.versions.contains(major))
            .ok_or_else(|| format!("`{key}` has no command-line flag in Odoo {major}: mount an odoo.conf"))?;
        let is_bool = opt.reading(major) == Some(Reading::Bool);
        let word = if is_bool {
            let means = !flag.name.starts_with("--no-");
            let wanted = matches!(value.to_ascii_lowercase().as_str(), "true" | "1" | "yes" | "on");
            if means != wanted {
                return Err(format!("`{}` sets `{key}` to {means}, not {value}", flag.name));
            }
            flag.name.to_string()
        } else {
            format!("{}={value}", flag.name)
        };
        let cmd = command_words(self, s.raw.get("command"));
        if cmd.iter().skip(1).any(|(w, _, _)| w == "--") {
            return Err(format!("the `command` of {} passes words after `--`", self.describe_service(i)));
        }
        if !c.entrypoint_runs_odoo && cmd.is_empty() {
            return Err(format!("Odoo's options come from the `entrypoint` of {}", self.describe_service(i)));
        }
        self.append_command(i, &[word], (c.official && c.entrypoint_runs_odoo).then_some("odoo"))
    }

    /// The edit that sets PostgreSQL parameter `name` of the server that PostgreSQL service `i`
    /// runs (`config`, its configuration under its command line): the value of its `-c
    /// name=value` word when the command sets it, else `-c name=value` added to the command of
    /// an image that runs `postgres` with it (the official image and its kin; without a
    /// `command`, `postgres -c name=value`), when the server reads no file of the stack.
    pub fn pg_set_edit(
        &self,
        fs: &FileSet,
        i: usize,
        config: &crate::formats::postgresql::PgConfig,
        name: &str,
        value: &str,
    ) -> Result<Edit, String> {
        use crate::formats::postgresql::EditLocation as PgLocation;
        let pg = self.services.get(i).and_then(ServiceModel::postgres).ok_or("not a PostgreSQL service")?;
        if let PgLocation::CommandLine(a) = config.edit_location(name) {
            let (word, span) = pg.args.get(a.word).ok_or("no such word")?;
            let written = span.range.of(&fs.source(span.file).text);
            let eq = word.find('=').ok_or_else(|| format!("`{word}` has no `=`"))?;
            if written != word {
                return Err(format!("`{word}` in {} is quoted or escaped: set `{name}` there", self.describe_service(i)));
            }
            let start = span.range.start as usize + eq + 1;
            return Ok(Edit::replace(span.file, TextRange::new(start, span.range.end as usize), value));
        }
        if pg.config.is_some() {
            return Err(format!("{} reads a postgresql.conf of the stack: set `{name}` there", self.describe_service(i)));
        }
        if !pg.runs_postgres {
            return Err(format!("odoo-lint does not know how {} starts PostgreSQL", self.describe_service(i)));
        }
        let words = ["-c".to_string(), format!("{name}={value}")];
        self.append_command(i, &words, pg.official.then_some("postgres"))
    }

    /// Applies the stack's Odoo service to Odoo's settings: the official image's built-in
    /// configuration when nothing is mounted over it, on Odoo 19 the `ODOO_*` and `PG*`
    /// variables (over the file), the options of `command` (over both), and the image
    /// entrypoint's `--db_host`/`--db_port`/`--db_user`/`--db_password` for each key the
    /// configuration file lacks (they come last on its command line).
    pub fn link_odoo(&self, fs: &FileSet, odoo: &mut OdooSettings) {
        let Some((_, s, c)) = self.odoo_service() else { return };
        if !self.linked(odoo.conf) {
            // the container runs another configuration than the stack's odoo.conf
            return;
        }
        let image_span = s.image.as_ref().and_then(|i| self.span(&i.origin));
        match &c.config {
            ConfigLink::Image => {
                let Some(span) = image_span else { return };
                odoo.image = Some(span);
                for (key, value) in [("addons_path", "/mnt/extra-addons"), ("data_dir", "/var/lib/odoo")] {
                    odoo.set(Setting { key: key.into(), raw: value.into(), origin: Origin::Image { span } });
                }
            }
            ConfigLink::File { .. } | ConfigLink::Unknown { .. } => {}
        }
        let env = |name: &str| s.env(name).and_then(|e| Some((e.value.clone()?, self.span(&e.origin)?)));
        if odoo.major >= 19 {
            for e in &s.environment {
                let Some(opt) = crate::odoo::options::options_for(19).find(|o| o.env19 == Some(e.name.as_str())) else {
                    continue;
                };
                let (Some(v), Some(span)) = (&e.value, self.span(&e.origin)) else { continue };
                odoo.set(Setting { key: opt.key.into(), raw: v.clone(), origin: Origin::Env { span, var: e.name.clone() } });
            }
        }
        if let Some(options) = &c.options {
            for o in options {
                if o.value.is_some() && is_config_flag(&o.flag) {
                    continue;
                }
                let Some(key) = crate::stack::system::option_key(&o.flag, odoo.major) else { continue };
                let raw = match &o.value {
                    Some(v) => v.clone(),
                    None if o.flag.starts_with("--no-") => "False".into(),
                    None => "True".into(),
                };
                odoo.set(Setting { key: key.into(), raw, origin: Origin::Flag { span: o.span, flag: o.written.clone() } });
            }
        }
        if !(c.official && c.entrypoint_runs_odoo) {
            return;
        }
        let conf_text = match &c.config {
            ConfigLink::Image => Some(String::new()),
            ConfigLink::File { file, .. } => Some(fs.source(*file).text.clone()),
            ConfigLink::Unknown { .. } => None,
        };
        let Some(conf_text) = conf_text else { return };
        let legacy = odoo.major <= 18;
        let params: [(&str, &[&str], &str, &str); 4] = [
            ("db_host", &["HOST", "DB_PORT_5432_TCP_ADDR"], "PGHOST", "db"),
            ("db_port", &["PORT", "DB_PORT_5432_TCP_PORT"], "PGPORT", "5432"),
            ("db_user", &["USER", "DB_ENV_POSTGRES_USER", "POSTGRES_USER"], "PGUSER", "odoo"),
            ("db_password", &["PASSWORD", "DB_ENV_POSTGRES_PASSWORD", "POSTGRES_PASSWORD"], "PGPASSWORD", "odoo"),
        ];
        for (key, vars, pg_var, default) in params {
            // 19 leaves the parameter to Odoo when its PG* variable is set
            if !legacy && s.env(pg_var).is_some_and(|e| e.value.is_some()) {
                continue;
            }
            if has_key_line(&conf_text, key) {
                continue;
            }
            if key == "db_password" && s.env("PASSWORD_FILE").is_some() {
                continue;
            }
            let mut chain: Vec<&str> = vars.to_vec();
            if legacy {
                chain.push(pg_var);
            }
            let found = chain.iter().find_map(|v| env(v).filter(|(val, _)| !val.is_empty()).map(|(val, span)| (v, val, span)));
            let setting = match (found, image_span) {
                (Some((var, val, span)), _) => {
                    Setting { key: key.into(), raw: val, origin: Origin::Env { span, var: var.to_string() } }
                }
                (None, Some(span)) => Setting { key: key.into(), raw: default.into(), origin: Origin::Image { span } },
                (None, None) => continue,
            };
            odoo.set(setting);
        }
    }

    /// The edit that sets Odoo option `key` where a `command` option of the Odoo service sets
    /// it now (its value written plainly), or where its Odoo 19 variable is written.
    pub fn odoo_set_edit(&self, odoo: &OdooSettings, key: &str, value: &str) -> Option<Edit> {
        let setting = odoo.get(key)?;
        match &setting.origin {
            Origin::Flag { span, .. } => {
                let (_, _, c) = self.odoo_service()?;
                let o = c.options.as_ref()?.iter().find(|o| o.span == *span)?;
                let v = o.value_span?;
                Some(Edit::replace(v.file, v.range, value))
            }
            Origin::Env { var, .. } => {
                let (i, _, _) = self.odoo_service()?;
                self.set_edit(i, &format!("environment.{var}"), value).ok()
            }
            _ => None,
        }
    }

    /// The memory and CPUs of the Odoo container, when it has limits: `mem_limit` or
    /// `deploy.resources.limits.memory`, `cpus` or `deploy.resources.limits.cpus`.
    pub fn narrow_budget(&self, fs: &FileSet, host: HostFacts) -> HostFacts {
        let Some((i, s, _)) = self.odoo_service() else { return host };
        let mut out = host;
        let file = |o: &ComposeOrigin| {
            self.project.file(o.file).source.path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
        };
        if let Some(m) = s.memory_limit()
            && out.memory.as_ref().is_none_or(|h| m.value < h.value)
        {
            let key = if s.mem_limit.is_some() { "mem_limit" } else { "deploy.resources.limits.memory" };
            let what = format!("{key}: {} of service `{}` in {}", written(fs, self, &m.origin), s.name, file(&m.origin));
            out.memory = Some(Fact { value: m.value, origin: FactOrigin::Unit(what) });
        }
        if let Some(c) = s.cpu_limit() {
            let cpus = (c.value.round() as u32).max(1);
            if out.cpus.as_ref().is_none_or(|h| cpus < h.value) {
                let key = if s.cpus.is_some() { "cpus" } else { "deploy.resources.limits.cpus" };
                let what = format!("{key}: {} of service `{}` in {}", written(fs, self, &c.origin), s.name, file(&c.origin));
                out.cpus = Some(Fact { value: cpus, origin: FactOrigin::Unit(what) });
            }
        }
        let _ = i;
        out
    }

    /// The memory limit of the container running `pg` (an index into the stack's servers).
    pub fn postgres_limit(&self, pg: usize) -> Option<Bytes> {
        self.postgres_services().find(|(_, _, c)| c.model == Some(pg)).and_then(|(_, s, _)| s.memory_limit()).map(|m| m.value)
    }
}

/// The text of a value as written (for messages).
fn written(fs: &FileSet, m: &ComposeModel, o: &ComposeOrigin) -> String {
    match m.id(o.file) {
        Some(f) => o.range.of(&fs.source(f).text).trim_matches(['"', '\'']).to_string(),
        None => String::new(),
    }
}

/// Whether a flag is Odoo's `-c`/`--config` (or an abbreviation of it).
fn is_config_flag(flag: &str) -> bool {
    flag == "-c" || (flag.len() >= 6 && "--config".starts_with(flag))
}

/// The image entrypoint's test for a key in the config file: a line `^\s*\bKEY\b\s*=`.
fn has_key_line(text: &str, key: &str) -> bool {
    text.lines().any(|l| {
        let t = l.trim_start();
        t.strip_prefix(key).is_some_and(|rest| rest.trim_start().starts_with('='))
    })
}

/// The words of a command with the span of each (a list: each item; a string: each word
/// found in the text, else the whole string).
fn command_words(m: &ComposeModel, v: Option<&crate::formats::compose::value::Value>) -> Vec<(String, Span, bool)> {
    let Some(v) = v else { return Vec::new() };
    use crate::formats::compose::value::Val;
    match &v.val {
        Val::Seq(items) => items
            .iter()
            .filter_map(|i| {
                let text = i.as_str()?.to_string();
                let span = m.span(&i.origin)?;
                if !i.interpolations().is_empty() {
                    return Some((text, span, false));
                }
                // the word's own text, inside its quotes when it is written without escapes
                let raw = m.project.file(i.origin.file).source.text.get(i.origin.range.range()).unwrap_or("");
                let quoted = raw.len() >= 2 && (raw.starts_with('"') || raw.starts_with('\''));
                if quoted && raw[1..raw.len() - 1] == text {
                    let r = TextRange::new(span.range.start as usize + 1, span.range.end as usize - 1);
                    return Some((text, Span::new(span.file, r), true));
                }
                Some((text.clone(), span, i.is_plain() && raw == text))
            })
            .collect(),
        Val::Str { text, .. } => {
            let Ok(words) = crate::formats::compose::syntax::shell_words(text) else { return Vec::new() };
            let Some(span) = m.span(&v.origin) else { return Vec::new() };
            let raw = m.project.file(v.origin.file).source.text.get(v.origin.range.range()).unwrap_or("").to_string();
            let mut from = 0;
            let mut out = Vec::new();
            for w in words {
                match raw[from..].find(&w) {
                    Some(at) if !w.is_empty() && v.interpolations().is_empty() => {
                        let start = span.range.start as usize + from + at;
                        out.push((w.clone(), Span::new(span.file, TextRange::new(start, start + w.len())), true));
                        from += at + w.len();
                    }
                    _ => out.push((w, span, false)),
                }
            }
            out
        }
        _ => Vec::new(),
    }
}

/// Splits Odoo's options the way optparse does (see [`crate::formats::systemd::commands`]).
fn odoo_options(words: &[(String, Span, bool)]) -> Vec<CmdOption> {
    use crate::formats::systemd::commands::ODOO_FLAGS;
    let is_flag = |f: &str| {
        ODOO_FLAGS.contains(&f)
            || (f.starts_with("--") && f.len() > 3 && ODOO_FLAGS.iter().filter(|x| x.starts_with(f)).count() == 1)
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let (t, span, plain) = &words[i];
        i += 1;
        if t == "--" {
            break;
        }
        if !t.starts_with('-') || t.len() < 2 {
            continue;
        }
        let long = t.starts_with("--");
        if long && let Some(eq) = t.find('=') {
            let value_span =
                plain.then(|| Span::new(span.file, TextRange::new(span.range.start as usize + eq + 1, span.range.end as usize)));
            out.push(CmdOption {
                flag: t[..eq].into(),
                value: Some(t[eq + 1..].into()),
                span: *span,
                value_span: value_span.filter(|_| span.range.len() == t.len()),
                written: t.clone(),
            });
            continue;
        }
        // a short option is `-` and one character, which may take more than one byte
        let short = t.char_indices().nth(2).map_or(t.len(), |(at, _)| at);
        if is_flag(t) || (!long && is_flag(&t[..short])) {
            out.push(CmdOption { flag: t.clone(), value: None, span: *span, value_span: None, written: t.clone() });
            continue;
        }
        if !long && short < t.len() {
            out.push(CmdOption {
                flag: t[..short].into(),
                value: Some(t[short..].into()),
                span: *span,
                value_span: None,
                written: t.clone(),
            });
            continue;
        }
        let next = words.get(i);
        i += 1;
        let whole = match next {
            Some((_, n, _)) if n.file == span.file => Span::new(span.file, span.range.cover(n.range)),
            _ => *span,
        };
        out.push(CmdOption {
            flag: t.clone(),
            value: next.map(|n| n.0.clone()),
            span: whole,
            value_span: next.filter(|n| n.2 && n.1.range.len() == n.0.len()).map(|n| n.1),
            written: match next {
                Some(n) => format!("{t} {}", n.0),
                None => t.clone(),
            },
        });
    }
    out
}

/// The host path a bind mount gives `container_path`, with the volume it comes from.
fn host_path<'a>(s: &'a Service, container_path: &str) -> Option<(PathBuf, &'a crate::formats::compose::model::Spanned<Volume>)> {
    let target = clean_unix_path(container_path);
    // the deepest mount wins
    let mut best: Option<(PathBuf, &crate::formats::compose::model::Spanned<Volume>, usize)> = None;
    for v in &s.volumes {
        let vol = &v.value;
        let mount = vol.target.trim_end_matches('/');
        let rest = if target == mount {
            Some("")
        } else {
            target.strip_prefix(mount).filter(|r| r.starts_with('/')).map(|r| r.trim_start_matches('/'))
        };
        let Some(rest) = rest else { continue };
        if best.as_ref().is_some_and(|(_, _, len)| *len > mount.len()) {
            continue;
        }
        let host = match (&vol.kind[..], &vol.resolved_source) {
            ("bind", Some(src)) => {
                if rest.is_empty() {
                    src.clone()
                } else {
                    src.join(rest)
                }
            }
            // a named volume or tmpfs: nothing of the stack
            _ => PathBuf::new(),
        };
        best = Some((host, v, mount.len()));
    }
    best.map(|(p, v, _)| (p, v))
}

/// The run's file at `path`, registering it from disk as `kind` when it exists there.
fn link_file<R: Registry>(reg: &mut R, stack_files: &mut Vec<FileId>, path: &Path, kind: FileKind) -> Option<FileId> {
    if path.as_os_str().is_empty() {
        return None;
    }
    let key = crate::workspace::canonical(path);
    let existing = stack_files.iter().copied().find(|&f| crate::workspace::canonical(&reg.files().source(f).path) == key);
    if let Some(f) = existing {
        return Some(f);
    }
    let bytes = reg.read(path).ok()?;
    if !std::fs::metadata(path).map(|m| m.is_file()).unwrap_or(true) {
        return None;
    }
    let id = reg.register(path, bytes, kind);
    if !stack_files.contains(&id) {
        stack_files.push(id);
    }
    Some(id)
}

fn odoo_container<R: Registry>(reg: &mut R, stack_files: &mut Vec<FileId>, m: &ComposeModel, s: &Service) -> OdooContainer {
    let image = s.image.as_ref().map(|i| i.value.name.as_str()).unwrap_or("");
    let official = is_official_odoo(image);
    let cmd = command_words(m, s.raw.get("command"));
    let has_entrypoint = s.raw.get("entrypoint").is_some_and(|e| !e.is_null());
    // What the image's entrypoint does with the command: `odoo …` and `-- …` lose their first
    // word, options are passed on, anything else is run as is.
    let (entrypoint_runs_odoo, options) = if has_entrypoint {
        let words = command_words(m, s.raw.get("entrypoint"));
        let all: Vec<(String, Span, bool)> = words.into_iter().chain(cmd.iter().cloned()).collect();
        match all.iter().position(|(w, _, _)| matches!(program(w), "odoo" | "odoo-bin" | "odoo.py")) {
            Some(p) => (false, Some(odoo_options(&all[p + 1..]))),
            None => (false, None),
        }
    } else {
        match cmd.first().map(|(w, _, _)| w.as_str()) {
            None => (true, Some(Vec::new())),
            Some("odoo" | "--") => {
                let rest = &cmd[1..];
                if rest.first().is_some_and(|(w, _, _)| !w.starts_with('-')) {
                    // a subcommand (`odoo shell`, `odoo scaffold`): not the server
                    (false, None)
                } else {
                    (true, Some(odoo_options(rest)))
                }
            }
            Some(w) if w.starts_with('-') => (true, Some(odoo_options(&cmd))),
            Some(_) => match cmd.iter().position(|(w, _, _)| matches!(program(w), "odoo" | "odoo-bin" | "odoo.py")) {
                Some(p) => (false, Some(odoo_options(&cmd[p + 1..]))),
                None => (false, None),
            },
        }
    };
    let config_flag = options.iter().flatten().find(|o| is_config_flag(&o.flag) && o.value.is_some());
    let config_path = match (config_flag, s.env("ODOO_RC").and_then(|e| e.value.clone())) {
        (Some(o), _) => o.value.clone().unwrap_or_default(),
        (None, Some(rc)) => rc,
        (None, None) => "/etc/odoo/odoo.conf".to_string(),
    };
    let config = match host_path(s, &config_path) {
        Some((host, vol)) => {
            let mount = m.span(&vol.origin);
            match link_file(reg, stack_files, &host, FileKind::OdooConf) {
                Some(file) if reg.files().get(file).kind == FileKind::OdooConf => {
                    ConfigLink::File { file, mount: mount.unwrap_or_else(|| Span::new(file, TextRange::empty(0))) }
                }
                _ => ConfigLink::Unknown { mount },
            }
        }
        None if official && config_path == "/etc/odoo/odoo.conf" => ConfigLink::Image,
        None => ConfigLink::Unknown { mount: None },
    };
    let mut addons = Vec::new();
    for v in &s.volumes {
        let vol = &v.value;
        let Some(src) = vol.resolved_source.as_ref().filter(|_| vol.kind == "bind") else { continue };
        if !(vol.target == "/mnt/extra-addons" || vol.target.contains("addons")) {
            continue;
        }
        let Some(span) = m.span(&v.origin) else { continue };
        addons.push(AddonsMount { host: src.clone(), target: vol.target.clone(), span, addons: addons_in(src, &vol.target) });
    }
    OdooContainer { official, entrypoint_runs_odoo, options, config_path, config, addons }
}

/// The addons a mounted folder holds: its subfolders with a manifest, or the folder itself.
fn addons_in(dir: &Path, target: &str) -> Vec<(String, PathBuf)> {
    let manifest = |d: &Path| ["__manifest__.py", "__openerp__.py"].iter().map(|m| d.join(m)).find(|p| p.is_file());
    if let Some(m) = manifest(dir) {
        let name = target.rsplit('/').next().unwrap_or(target).to_string();
        return vec![(name, m)];
    }
    let mut out = Vec::new();
    let Ok(rd) = std::fs::read_dir(dir) else { return out };
    for e in rd.flatten().take(5000) {
        let p = e.path();
        if p.is_dir()
            && let Some(m) = manifest(&p)
        {
            out.push((e.file_name().to_string_lossy().into_owned(), m));
        }
    }
    out.sort();
    out
}

fn pg_container<R: Registry>(reg: &mut R, stack_files: &mut Vec<FileId>, m: &ComposeModel, s: &Service) -> PgContainer {
    let image = s.image.as_ref().map(|i| (i.value.name.clone(), i.value.tag.clone()));
    let args: Vec<(String, Span)> = command_words(m, s.raw.get("command")).into_iter().map(|(w, s, _)| (w, s)).collect();
    let bitnami = image.as_ref().is_some_and(|(n, _)| n.contains("bitnami"));
    let official = !bitnami
        && image.as_ref().is_some_and(|(n, _)| {
            let last = last_component(n);
            last == "postgres" || last == "postgis" || last.starts_with("timescaledb") || last.starts_with("postgres-")
        });
    let data_dir = s.env("PGDATA").and_then(|e| e.value.clone()).or_else(|| {
        if bitnami {
            return Some("/bitnami/postgresql/data".to_string());
        }
        if image.as_ref().is_some_and(|(n, _)| last_component(n).starts_with("timescaledb-ha")) {
            return Some("/home/postgres/pgdata/data".to_string());
        }
        if !official {
            return None;
        }
        // The image's PGDATA moved in PostgreSQL 18 (docker-library/postgres).
        match postgres_image_version(image.as_ref().and_then(|(_, t)| t.as_deref())) {
            Some(v) if v >= 18 => Some(format!("/var/lib/postgresql/{v}/docker")),
            _ => Some("/var/lib/postgresql/data".to_string()),
        }
    });
    let words: Vec<String> = args.iter().map(|(w, _)| w.clone()).collect();
    let cl = crate::formats::postgresql::parse_command_line(&words);
    let config_path = cl
        .get("config_file")
        .map(|c| c.value.clone())
        .or_else(|| data_dir.as_ref().map(|d| format!("{}/postgresql.conf", d.trim_end_matches('/'))));
    let config = config_path
        .and_then(|p| host_path(s, &p))
        .and_then(|(host, _)| link_file(reg, stack_files, &host, FileKind::Postgresql))
        .filter(|&f| reg.files().get(f).kind == FileKind::Postgresql);
    let version = postgres_image_version(image.as_ref().and_then(|(_, t)| t.as_deref()));
    let has_entrypoint = s.raw.get("entrypoint").is_some_and(|e| !e.is_null());
    let runs_postgres = !has_entrypoint
        && match words.first() {
            None => official,
            Some(w) if w.starts_with('-') => official,
            Some(_) => crate::formats::postgresql::postgres_at(&words).is_some(),
        };
    PgContainer { args, data_dir, config, model: None, version, official, runs_postgres }
}

fn nginx_container(fs: &FileSet, stack_files: &[FileId], s: &Service) -> NginxContainer {
    let mut files = Vec::new();
    for v in &s.volumes {
        let Some(src) = v.value.resolved_source.as_ref().filter(|_| v.value.kind == "bind") else { continue };
        let src = crate::workspace::canonical(src);
        for &f in stack_files {
            if fs.get(f).kind != FileKind::Nginx {
                continue;
            }
            let p = crate::workspace::canonical(&fs.source(f).path);
            if (p == src || p.starts_with(&src)) && !files.contains(&f) {
                files.push(f);
            }
        }
    }
    NginxContainer { files }
}

/// The Odoo version the image of the stack's Odoo service names (`odoo:17.0`), with its place.
pub fn image_version_of(models: &[ComposeModel]) -> Option<crate::stack::OdooVersion> {
    use crate::stack::version::{NEWEST, OLDEST};
    let m = models.first()?;
    let (_, s, _) = m.odoo_service()?;
    let image = s.image.as_ref()?;
    let n = image_version(&image.value.name, image.value.tag.as_deref())?;
    let span = m.span(&image.origin)?;
    let shown = match &image.value.tag {
        Some(t) => format!("{}:{t}", image.value.name),
        None => image.value.name.clone(),
    };
    let major = n.clamp(OLDEST as u32, NEWEST as u32) as u8;
    Some(crate::stack::OdooVersion {
        major,
        source: crate::stack::VersionSource::Named { what: format!("service `{}` runs image `{shown}`", s.name), span },
        out_of_range: (n != major as u32).then_some(n),
    })
}

/// PostgreSQL's share of the budget, capped by its own container's memory limit.
pub fn postgres_share(models: &[ComposeModel], share: Option<Bytes>) -> Option<Bytes> {
    let share = share?;
    match models.iter().find_map(|m| m.postgres_limit(0)) {
        Some(limit) if limit < share => Some(limit),
        _ => Some(share),
    }
}

/// Joins the PostgreSQL services of each project to the stack's servers: a service whose
/// mounted postgresql.conf is a server's main file gives it its command line; a service
/// without one becomes a server of its own, with the image's configuration
/// (`listen_addresses = '*'`, the rest PostgreSQL's defaults) under its command line.
pub fn attach_postgres<R: crate::stack::postgres::Registry>(
    reg: &mut R,
    models: &mut [ComposeModel],
    servers: &mut Vec<crate::stack::postgres::PgModel>,
) {
    use crate::formats::postgresql::{AutoConf, MemFs, PgConfig, parse_command_line};
    use crate::stack::postgres::{PgModel, PgUnitLink};
    for m in models.iter_mut() {
        for i in 0..m.services.len() {
            let Some(pg) = m.services[i].postgres() else { continue };
            let s = &m.project.services[i];
            let words: Vec<String> = pg.args.iter().map(|(w, _)| w.clone()).collect();
            let cl = parse_command_line(&words);
            let file = pg.args.first().map(|(_, sp)| sp.file).or_else(|| m.service_span(i).map(|sp| sp.file));
            let Some(file) = file else { continue };
            let mut ranges: Vec<TextRange> = pg.args.iter().map(|(_, sp)| sp.range).collect();
            if ranges.is_empty()
                && let Some(sp) = s.image.as_ref().and_then(|im| m.span(&im.origin)).or_else(|| m.service_span(i))
            {
                ranges.push(sp.range);
            }
            let link = PgUnitLink { unit: usize::MAX, name: format!("service `{}`", s.name), file, words: ranges };
            let existing = pg.config.and_then(|c| servers.iter().position(|srv| srv.main() == Some(c)));
            let index = match existing {
                Some(at) => {
                    let main = servers[at].main().expect("found by its main file");
                    let src = reg.files().source(main);
                    let source = crate::source::SourceFile::new(src.path.clone(), src.bytes.clone());
                    let config = PgConfig::from_source(source, &*reg, AutoConf::DataDirectory).with_command_line(cl);
                    servers[at].config = Arc::new(config);
                    servers[at].unit = Some(link);
                    at
                }
                None => {
                    let path = PathBuf::from(format!("(postgresql.conf of the image of service `{}`)", s.name));
                    let source = crate::source::SourceFile::new(path, b"listen_addresses = '*'\n".to_vec());
                    let config = PgConfig::from_source(source, &MemFs::new(), AutoConf::None).with_command_line(cl);
                    servers.push(PgModel { config: Arc::new(config), ids: vec![None], unit: Some(link) });
                    servers.len() - 1
                }
            };
            if let Role::Postgres(p) = &mut m.services[i].role {
                p.model = Some(index);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::compose::MemoryFs;
    use crate::source::SourceFile;
    use crate::stack::OdooVersion;

    /// A registry over a FileSet and files in memory (the "disk").
    struct Reg {
        files: FileSet,
        disk: MemoryFs,
    }

    impl FileSystem for Reg {
        fn read(&self, path: &Path) -> std::io::Result<Vec<u8>> {
            match self.files.find(path) {
                Some(id) => Ok(self.files.source(id).bytes.clone()),
                None => self.disk.read(path),
            }
        }
    }

    impl Registry for Reg {
        fn files(&self) -> &FileSet {
            &self.files
        }
        fn register(&mut self, path: &Path, bytes: Vec<u8>, kind: FileKind) -> FileId {
            match self.files.find(path) {
                Some(id) => id,
                None => self.files.add(SourceFile::new(path, bytes), kind),
            }
        }
        fn reparse(&mut self, id: FileId, kind: FileKind) {
            self.files.reparse_as(id, kind);
        }
    }

    /// Loads `stack` (path, text, kind) with `disk` behind it; returns the registry, the
    /// stack's files and its models.
    fn stack(stack: &[(&str, &str, FileKind)], disk: &[(&str, &str)]) -> (Reg, Vec<FileId>, Vec<ComposeModel>) {
        let mut reg = Reg { files: FileSet::new(), disk: disk.iter().fold(MemoryFs::default(), |fs, (p, t)| fs.with(*p, t)) };
        let mut ids: Vec<FileId> = stack.iter().map(|(p, t, k)| reg.files.add(SourceFile::from_text(*p, t), *k)).collect();
        let models = build(&mut reg, &mut ids);
        (reg, ids, models)
    }

    fn settings(reg: &Reg, ids: &[FileId], m: &ComposeModel, major: u8) -> OdooSettings {
        let version = OdooVersion { major, source: crate::stack::VersionSource::Configured("test".into()), out_of_range: None };
        let mut odoo = OdooSettings::build(&reg.files, ids, &version);
        m.link_odoo(&reg.files, &mut odoo);
        odoo
    }

    #[test]
    fn official_image_configuration_and_entrypoint() {
        let compose = "services:\n  web:\n    image: odoo:17.0\n    command: odoo --workers=4\n    environment:\n      HOST: database\n      PGPORT: \"5433\"\n  database:\n    image: postgres:16-alpine\n";
        let (reg, ids, models) = stack(&[("/p/docker-compose.yml", compose, FileKind::Compose)], &[]);
        let m = &models[0];
        let (_, s, c) = m.odoo_service().unwrap();
        assert_eq!(s.name, "web");
        assert_eq!(c.config, ConfigLink::Image);
        assert!(c.official && c.entrypoint_runs_odoo);
        let odoo = settings(&reg, &ids, m, 17);
        assert!(odoo.known());
        assert_eq!(odoo.string("data_dir").unwrap().value, "/var/lib/odoo");
        assert_eq!(odoo.string("data_dir").unwrap().origin.to_string(), "official image default");
        assert_eq!(odoo.int("workers").unwrap().value, 4);
        let host = odoo.get("db_host").unwrap();
        assert_eq!((host.raw.as_str(), host.origin.to_string().as_str()), ("database", "from $HOST"));
        // 17 falls back to PGPORT for PORT
        assert_eq!(odoo.int("db_port").unwrap().value, 5433);
        assert_eq!(odoo.get("db_user").unwrap().raw, "odoo", "the entrypoint's default");
        assert_eq!(m.services[1].postgres().unwrap().version, Some(16));
        assert_eq!(m.resolve("DATABASE"), Some(1), "DNS names are case-insensitive");
    }

    #[test]
    fn odoo_19_reads_pg_variables_itself() {
        let compose = "services:\n  odoo:\n    image: odoo:19.0\n    environment:\n      PGHOST: pg\n      ODOO_WORKERS: \"3\"\n      HOST: ignored\n";
        let (reg, ids, models) = stack(&[("/p/compose.yaml", compose, FileKind::Compose)], &[]);
        let odoo = settings(&reg, &ids, &models[0], 19);
        assert_eq!(odoo.get("db_host").unwrap().raw, "pg", "19 skips --db_host when PGHOST is set");
        assert_eq!(odoo.get("db_host").unwrap().origin.to_string(), "from $PGHOST");
        assert_eq!(odoo.int("workers").unwrap().value, 3);
    }

    #[test]
    fn mounted_configuration_wins_over_host() {
        let compose =
            "services:\n  odoo:\n    image: odoo:18.0\n    volumes: [\"./config:/etc/odoo:ro\"]\n    environment: [HOST=db]\n";
        let conf = "[options]\ndb_host = localhost\n";
        let (reg, ids, models) = stack(
            &[("/p/docker-compose.yml", compose, FileKind::Compose), ("/p/config/odoo.conf", conf, FileKind::OdooConf)],
            &[],
        );
        let m = &models[0];
        let (_, _, c) = m.odoo_service().unwrap();
        assert!(matches!(c.config, ConfigLink::File { file, .. } if file == ids[1]));
        let odoo = settings(&reg, &ids, m, 18);
        assert_eq!(odoo.get("db_host").unwrap().raw, "localhost", "the entrypoint passes HOST only for keys the file lacks");
        assert_eq!(odoo.get("db_port").unwrap().raw, "5432");
    }

    #[test]
    fn config_path_from_flag_and_unknown_files() {
        let compose = "services:\n  odoo:\n    image: odoo:17\n    command: [\"--config\", \"/srv/odoo.conf\", \"--workers\", \"2\"]\n    volumes: [\"./srv:/srv\"]\n";
        let (reg, ids, models) =
            stack(&[("/p/docker-compose.yml", compose, FileKind::Compose)], &[("/p/srv/odoo.conf", "[options]\nworkers = 9\n")]);
        let m = &models[0];
        let (_, _, c) = m.odoo_service().unwrap();
        assert_eq!(c.config_path, "/srv/odoo.conf");
        // read from disk and joined to the stack
        let ConfigLink::File { file, .. } = c.config else { panic!("{:?}", c.config) };
        assert!(ids.contains(&file));
        let odoo = settings(&reg, &ids, m, 17);
        assert_eq!(odoo.int("workers").unwrap().value, 2, "the flag wins over the file");
        // a folder mounted over /etc/odoo that the stack does not have: unknown
        let compose = "services:\n  odoo:\n    image: odoo:17\n    volumes: [\"./etc:/etc/odoo\"]\n";
        let (_, _, models) = stack(&[("/q/docker-compose.yml", compose, FileKind::Compose)], &[]);
        assert!(matches!(models[0].odoo_service().unwrap().2.config, ConfigLink::Unknown { .. }));
    }

    #[test]
    fn commands_the_entrypoint_passes_on() {
        let opts = |cmd: &str| {
            let compose = format!("services:\n  odoo:\n    image: odoo:17\n    command: {cmd}\n");
            let (_, _, models) = stack(&[("/p/docker-compose.yml", &compose, FileKind::Compose)], &[]);
            let (_, _, c) = models[0].odoo_service().unwrap();
            (c.entrypoint_runs_odoo, c.options.as_ref().map(|o| o.iter().map(|x| x.written.clone()).collect::<Vec<_>>()))
        };
        assert_eq!(opts("-- --workers 4"), (true, Some(vec!["--workers 4".to_string()])));
        assert_eq!(opts("[\"--proxy-mode\", \"-p8070\"]"), (true, Some(vec!["--proxy-mode".into(), "-p8070".into()])));
        assert_eq!(opts("odoo shell"), (false, None), "a subcommand is not the server");
        assert_eq!(opts("bash -c \"sleep 1\""), (false, None));
        assert_eq!(opts("python3 /opt/odoo/odoo-bin --workers=2"), (false, Some(vec!["--workers=2".to_string()])));
    }

    #[test]
    fn projects_overrides_variants_and_extends() {
        let base = "services:\n  odoo:\n    image: odoo:17\n";
        let over = "services:\n  odoo:\n    mem_limit: 2g\n";
        let prod = "services:\n  odoo:\n    cpus: 2\n";
        let common = "services:\n  db:\n    image: postgres:16\n";
        let devel = "services:\n  db:\n    extends: {file: common.yaml, service: db}\n";
        let (reg, _, models) = stack(
            &[
                ("/p/docker-compose.yml", base, FileKind::Compose),
                ("/p/docker-compose.override.yml", over, FileKind::Compose),
                ("/p/docker-compose.prod.yml", prod, FileKind::Compose),
                ("/p/common.yaml", common, FileKind::Compose),
                ("/p/devel.yaml", devel, FileKind::Compose),
            ],
            &[],
        );
        let names: Vec<String> = models
            .iter()
            .map(|m| m.project.compose_files().map(|(_, f)| f.source.display.clone()).collect::<Vec<_>>().join("+"))
            .collect();
        assert_eq!(
            names,
            [
                "/p/docker-compose.yml+/p/docker-compose.override.yml",
                "/p/docker-compose.yml+/p/docker-compose.prod.yml",
                "/p/devel.yaml"
            ]
        );
        let host = HostFacts {
            cpus: Some(Fact { value: 8, origin: FactOrigin::Flag("--cpus") }),
            memory: Some(Fact { value: Bytes::gib(16), origin: FactOrigin::Flag("--memory") }),
        };
        let fs = &reg.files;
        let narrowed = models[0].narrow_budget(fs, host.clone());
        assert_eq!(narrowed.memory.as_ref().unwrap().value, Bytes::gib(2));
        assert_eq!(
            narrowed.memory.unwrap().origin.to_string(),
            "from mem_limit: 2g of service `odoo` in docker-compose.override.yml"
        );
        assert_eq!(models[1].narrow_budget(fs, host).cpus.unwrap().value, 2);
    }

    #[test]
    fn nginx_containers_and_postgres_configuration() {
        let compose = "services:\n  web:\n    image: nginx\n    volumes: [\"./nginx:/etc/nginx/conf.d:ro\"]\n  db:\n    image: postgres:15\n    command: postgres -c config_file=/etc/postgresql/postgresql.conf\n    volumes: [\"./pg/postgresql.conf:/etc/postgresql/postgresql.conf\"]\n";
        let (_, ids, models) = stack(
            &[
                ("/p/docker-compose.yml", compose, FileKind::Compose),
                ("/p/nginx/odoo.conf", "server { listen 80; }\n", FileKind::Nginx),
                ("/p/other/site.conf", "server { listen 81; }\n", FileKind::Nginx),
            ],
            &[("/p/pg/postgresql.conf", "max_connections = 50\n")],
        );
        let m = &models[0];
        assert_eq!(m.services[0].nginx().unwrap().files, vec![ids[1]]);
        let pg = m.services[1].postgres().unwrap();
        assert!(pg.config.is_some_and(|c| ids.contains(&c)), "the mounted file joined the stack");
        assert_eq!(pg.data_dir.as_deref(), Some("/var/lib/postgresql/data"));
    }

    #[test]
    fn image_versions() {
        assert_eq!(image_version("odoo", Some("17")), Some(17));
        assert_eq!(image_version("odoo", Some("17.0")), Some(17));
        assert_eq!(image_version("odoo", Some("17.0-20240101")), Some(17));
        assert_eq!(image_version("odoo", Some("latest")), None);
        assert_eq!(image_version("odoo", None), None);
        assert_eq!(image_version("myorg/odoo17", Some("prod")), Some(17));
        assert_eq!(postgres_image_version(Some("16-alpine")), Some(16));
        assert_eq!(postgres_image_version(Some("pg17.6-ts2.22.1")), Some(17));
        assert_eq!(postgres_image_version(Some("latest")), None);
    }

    #[test]
    fn images() {
        assert!(is_odoo_image("odoo") && is_odoo_image("ghcr.io/acme/odoo-custom") && !is_odoo_image("postgres"));
        assert!(is_official_odoo("odoo") && !is_official_odoo("acme/odoo"));
        assert!(is_postgres_image("postgres") && is_postgres_image("tecnativa/postgres-autoconf"));
        assert!(!is_postgres_image("prodrigestivill/postgres-backup-local") && !is_postgres_image("edoburu/pgbouncer"));
        assert!(is_postgres_image("timescale/timescaledb-ha") && is_postgres_image("postgis/postgis"));
        assert!(is_nginx_image("nginx") && is_nginx_image("nginxinc/nginx-unprivileged") && !is_nginx_image("odoo"));
    }

    #[test]
    fn entrypoint_key_test() {
        assert!(has_key_line("[options]\n  db_host = x\n", "db_host"));
        assert!(!has_key_line("[options]\n;db_host = x\n", "db_host"));
        assert!(!has_key_line("[options]\ndb_hostname = x\n", "db_host"));
    }

    #[test]
    fn variants() {
        let exists = |p: &Path| p == Path::new("/p/docker-compose.yml");
        let yaml = |t: &str| top_services(&crate::formats::compose::yaml::parse(t));
        let services = |p: &Path| match p.to_str() {
            Some("/p/docker-compose.yml") => yaml("services:\n  odoo:\n    image: odoo\n  db:\n    image: postgres\n"),
            Some("/p/dev.yml") => yaml("services:\n  odoo:\n    ports: [\"8069:8069\"]\n"),
            Some("/p/other.yml") => yaml("services:\n  odoo:\n    image: odoo\n"),
            Some("/p/stray.yml") => yaml("services:\n  web:\n    ports: [\"80:80\"]\n"),
            _ => Vec::new(),
        };
        let base = Some(PathBuf::from("/p/docker-compose.yml"));
        assert_eq!(variant_base(Path::new("/p/docker-compose.prod.yml"), &exists, &services), base);
        assert_eq!(variant_base(Path::new("/p/docker-compose.yml"), &exists, &services), None);
        assert_eq!(variant_base(Path::new("/p/docker-compose.override.yml"), &exists, &services), None);
        assert_eq!(
            variant_base(Path::new("/p/dev.yml"), &exists, &services),
            base,
            "services without image, defined by the base"
        );
        assert_eq!(variant_base(Path::new("/p/other.yml"), &exists, &services), None, "a whole project");
        assert_eq!(variant_base(Path::new("/p/stray.yml"), &exists, &services), None, "a service the base lacks");
    }
}

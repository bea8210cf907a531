//! From what the user named to stacks ready to check: discover the files, read and parse each
//! one once, group them into stacks, and give each stack its host facts and Odoo version.

use crate::config::{self, Config};
use crate::discover::{self, Clue, DiscoverError, Found, StackFiles};
use crate::files::{FileKind, FileSet};
use crate::host::{self, Fact, FactOrigin, HostFacts};
use crate::source::{FileId, SourceFile};
use crate::stack::{Stack, version};
use crate::units::Bytes;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// What to read and how.
#[derive(Clone, Debug, Default)]
pub struct Inputs {
    pub paths: Vec<PathBuf>,
    /// Kinds forced for given paths (`--kind nginx=PATH`).
    pub kinds: Vec<(FileKind, PathBuf)>,
    pub cpus: Option<u32>,
    pub memory: Option<Bytes>,
    pub odoo_version: Option<u32>,
    /// Read this machine's CPUs and memory.
    pub system: bool,
    /// Contents to use instead of what is on disk, by canonical path (fixes being checked).
    pub overlay: HashMap<PathBuf, Vec<u8>>,
    /// `--root DIR`: a copy of a server's tree; absolute paths in the files (nginx includes)
    /// are read under it.
    pub root: Option<PathBuf>,
    /// The name of the stack of the files named on the command line (default: the file's
    /// path, or "named files").
    pub stack_name: Option<String>,
    /// Keep only the stacks that hold one of these files (`check --changed`).
    pub only_stacks_with: Option<Vec<PathBuf>>,
}

/// Everything one run reads.
#[derive(Debug, Default)]
pub struct Workspace {
    pub files: FileSet,
    pub stacks: Vec<Stack>,
    /// Paths that could not be used (reported, exit code 2 when nothing else is left).
    pub errors: Vec<DiscoverError>,
}

/// A stack in the making: its files, its odoo-lint.toml section if named there, its clues.
type Group<'c> = (StackFiles, Vec<FileId>, Option<&'c config::StackSection>, Vec<Clue>);

struct Loader<'a> {
    files: FileSet,
    by_path: HashMap<PathBuf, FileId>,
    overlay: &'a HashMap<PathBuf, Vec<u8>>,
}

impl crate::formats::postgresql::ConfigFs for Loader<'_> {
    /// The run's files first (with the contents being checked), then the disk.
    fn read(&self, path: &Path) -> std::io::Result<Vec<u8>> {
        let key = canonical(path);
        match (self.by_path.get(&key), self.overlay.get(&key)) {
            (Some(&id), _) => Ok(self.files.source(id).bytes.clone()),
            (None, Some(bytes)) => Ok(bytes.clone()),
            (None, None) => crate::formats::postgresql::RealFs.read(path),
        }
    }
    fn read_dir(&self, path: &Path) -> std::io::Result<Vec<(std::ffi::OsString, std::io::Result<bool>)>> {
        crate::formats::postgresql::RealFs.read_dir(path)
    }
}

impl crate::stack::postgres::Registry for Loader<'_> {
    fn files(&self) -> &FileSet {
        &self.files
    }
    fn register(&mut self, path: &Path, bytes: &[u8]) -> FileId {
        self.take(&mut Found { path: path.to_path_buf(), kind: FileKind::Postgresql, bytes: bytes.to_vec() })
    }
}

impl Loader<'_> {
    /// Adds a discovered file, taking its bytes (a file already read keeps its first id).
    fn take(&mut self, found: &mut Found) -> FileId {
        let key = canonical(&found.path);
        if let Some(&id) = self.by_path.get(&key) {
            return id;
        }
        let bytes = self.overlay.get(&key).cloned().unwrap_or_else(|| std::mem::take(&mut found.bytes));
        let id = self.files.add(SourceFile::new(found.path.clone(), bytes), found.kind);
        self.by_path.insert(key, id);
        id
    }
}

impl crate::formats::compose::FileSystem for Loader<'_> {
    /// The run's files first (with the contents being checked), then the disk.
    fn read(&self, path: &Path) -> std::io::Result<Vec<u8>> {
        crate::formats::postgresql::ConfigFs::read(self, path)
    }
    fn exists(&self, path: &Path) -> bool {
        let key = canonical(path);
        self.by_path.contains_key(&key) || self.overlay.contains_key(&key) || crate::fscache::is_file(path)
    }
    fn yaml(&self, path: &Path, text: &str) -> Option<std::sync::Arc<crate::formats::compose::yaml::YamlFile>> {
        let &id = self.by_path.get(&canonical(path))?;
        (self.files.source(id).text == text).then(|| self.files.compose_shared(id).cloned()).flatten()
    }
}

impl crate::stack::compose::Registry for Loader<'_> {
    fn files(&self) -> &FileSet {
        &self.files
    }
    fn register(&mut self, path: &Path, bytes: Vec<u8>, kind: FileKind) -> FileId {
        self.take(&mut Found { path: path.to_path_buf(), kind, bytes })
    }
    fn reparse(&mut self, id: FileId, kind: FileKind) {
        self.files.reparse_as(id, kind);
    }
}

impl crate::formats::nginx::include::NginxFiles for Loader<'_> {
    fn nginx(&self, id: FileId) -> Option<(&SourceFile, &crate::formats::nginx::SyntaxTree)> {
        crate::formats::nginx::include::NginxFiles::nginx(&self.files, id)
    }
}

impl crate::formats::nginx::include::NginxLoader for Loader<'_> {
    fn load(&mut self, path: &Path) -> Result<FileId, String> {
        let key = canonical(path);
        if let Some(&id) = self.by_path.get(&key) {
            // a file first taken for another kind is nginx when nginx includes it
            self.files.reparse_as(id, FileKind::Nginx);
            return Ok(id);
        }
        let bytes = match self.overlay.get(&key) {
            Some(b) => b.clone(),
            None => crate::source::read_file(path).map_err(|e| e.to_string())?,
        };
        let id = self.files.add(SourceFile::new(path.to_path_buf(), bytes), FileKind::Nginx);
        self.by_path.insert(key, id);
        Ok(id)
    }

    fn load_virtual(&mut self, path: &Path, content: &str) -> FileId {
        let key = PathBuf::from(format!("(stock){}", path.display()));
        if let Some(&id) = self.by_path.get(&key) {
            return id;
        }
        let id = self.files.add_virtual(SourceFile::from_text(path, content), FileKind::Nginx);
        self.by_path.insert(key, id);
        id
    }
}

/// The path with symlinks, `.` and `..` resolved (`realpath`); the path itself when that
/// fails (it does not exist). Cheaper inside a [`CanonicalScope`] ([`crate::fscache`]).
pub fn canonical(p: &Path) -> PathBuf {
    crate::fscache::canonical(p)
}

pub use crate::fscache::Scope as CanonicalScope;

/// Builds the workspace for `inputs` under `config`.
pub fn build(inputs: &Inputs, config: &Config) -> Workspace {
    load(inputs, config, plan(inputs, config)).workspace
}

/// What discovery found, before any file is parsed: the files in the order the run reads
/// them, and the stacks they make. [`load`] turns it into a [`Workspace`]; a plan whose stacks
/// share no file can be [`Plan::split`] and its parts loaded apart (in parallel, each part's
/// trees dropped once it is checked: [`crate::fleet`]).
#[derive(Debug, Default)]
pub struct Plan<'c> {
    found: Vec<Found>,
    /// The files in the order they are read (indices into `found`, repeats allowed): file ids
    /// follow it, as do the names of files read twice.
    order: Vec<usize>,
    /// Each stack's files as indices into `found`, its odoo-lint.toml section, its clues.
    groups: Vec<(StackFiles, Option<&'c config::StackSection>, Vec<Clue>)>,
    /// The files named on the command line (indices into `found`): one more stack.
    named: Vec<usize>,
    errors: Vec<DiscoverError>,
}

impl<'c> Plan<'c> {
    /// How many stacks the plan makes at most (the files named on the command line make one).
    pub fn stack_count(&self) -> usize {
        self.groups.len() + usize::from(!self.named.is_empty())
    }

    /// Splits the plan into parts of about `stacks` stacks each, in order, when no discovered
    /// file belongs to two stacks (a file outside every stack root joins the stacks beside it; a file
    /// named on the command line may also be in a walked tree): otherwise the whole plan is
    /// the one part. Files a part reads later (includes) may still meet: [`Loaded::keys`]
    /// tells.
    pub fn split(mut self, stacks: usize) -> Vec<Plan<'c>> {
        let mut owners = vec![0u32; self.found.len()];
        for (sf, _, _) in &self.groups {
            for &i in &sf.files {
                owners[i] += 1;
            }
        }
        for &i in &self.named {
            owners[i] += 1;
        }
        let shared = owners.iter().any(|&n| n > 1);
        if shared || self.stack_count() <= stacks.max(1) {
            return vec![self];
        }
        // where each file is first read: the parts keep the run's reading order
        let mut first = vec![usize::MAX; self.found.len()];
        for (pos, &i) in self.order.iter().enumerate() {
            first[i] = first[i].min(pos);
        }
        let mut found: Vec<Option<Found>> = std::mem::take(&mut self.found).into_iter().map(Some).collect();
        let errors = std::mem::take(&mut self.errors);
        let mut parts: Vec<Plan<'c>> = Vec::new();
        let mut groups = std::mem::take(&mut self.groups).into_iter().peekable();
        while groups.peek().is_some() {
            let mut part = Plan::default();
            let mut taken: Vec<(usize, usize)> = Vec::new(); // (first read, old index)
            for (mut sf, section, clues) in groups.by_ref().take(stacks.max(1)) {
                for i in &mut sf.files {
                    taken.push((first[*i], *i));
                }
                part.groups.push((sf, section, clues));
            }
            taken.sort_unstable();
            let mut renumber: HashMap<usize, usize> = HashMap::new();
            for (_, old) in taken {
                if let Some(f) = found[old].take() {
                    renumber.insert(old, part.found.len());
                    part.order.push(part.found.len());
                    part.found.push(f);
                }
            }
            for (sf, _, _) in &mut part.groups {
                for i in &mut sf.files {
                    *i = renumber[i];
                }
            }
            parts.push(part);
        }
        if !self.named.is_empty() {
            let mut part = Plan::default();
            for &i in &self.named {
                if let Some(f) = found[i].take() {
                    part.order.push(part.found.len());
                    part.named.push(part.found.len());
                    part.found.push(f);
                }
            }
            parts.push(part);
        }
        if let Some(p) = parts.first_mut() {
            p.errors = errors;
        }
        parts
    }
}

/// Finds the files `inputs` names, reads them and groups them into stacks (nothing parsed yet).
pub fn plan<'c>(inputs: &Inputs, config: &'c Config) -> Plan<'c> {
    let _dirs = CanonicalScope::enter();
    let mut plan = Plan::default();
    fn read(plan: &mut Plan, found: Found) -> usize {
        plan.order.push(plan.found.len());
        plan.found.push(found);
        plan.found.len() - 1
    }

    // Stacks named in odoo-lint.toml claim their files first.
    let base = config.base_dir();
    let mut claimed: Vec<PathBuf> = Vec::new();
    for section in &config.file.stack {
        let mut files = Vec::new();
        for pattern in section.files.iter().chain(&section.compose) {
            for path in expand(&base, pattern) {
                match discover::read_named(&path, forced_kind(inputs, &path)) {
                    Ok(found) => {
                        claimed.push(canonical(&found.path));
                        files.push(read(&mut plan, found));
                    }
                    Err(e) => plan.errors.push(e),
                }
            }
        }
        let sf = StackFiles { name: section.name.clone(), root: Some(base.clone()), files };
        plan.groups.push((sf, Some(section), Vec::new()));
    }

    for path in &inputs.paths {
        if path.is_dir() {
            let mut clues = Vec::new();
            let found: Vec<Found> = discover::walk(path, &mut plan.errors, &mut clues)
                .into_iter()
                .filter(|f| claimed.is_empty() || !claimed.contains(&canonical(&f.path)))
                .filter(|f| !is_excluded(config, &f.path))
                .collect();
            clues.retain(|c| !is_excluded(config, &c.path));
            let label = crate::source::display_path(path);
            let stacks = discover::group(path, &found, if label.is_empty() { "." } else { &label });
            // A clue belongs to the stack whose root holds it (the deepest); one no root holds, to all.
            let roots: std::collections::HashSet<&Path> = stacks.iter().filter_map(|s| s.root.as_deref()).collect();
            let mut held: HashMap<PathBuf, Vec<usize>> = HashMap::new();
            let mut unheld: Vec<usize> = Vec::new();
            for (i, c) in clues.iter().enumerate() {
                match c.path.ancestors().find(|a| roots.contains(a)) {
                    Some(root) => held.entry(root.to_path_buf()).or_default().push(i),
                    None => unheld.push(i),
                }
            }
            let offset = plan.found.len();
            plan.found.extend(found);
            for mut sf in stacks {
                for i in &mut sf.files {
                    *i += offset;
                    plan.order.push(*i);
                }
                let mut mine: Vec<usize> = sf.root.as_ref().and_then(|r| held.get(r)).cloned().unwrap_or_default();
                mine.extend(&unheld);
                mine.sort_unstable();
                let mine: Vec<Clue> = mine.into_iter().map(|i| clues[i].clone()).collect();
                plan.groups.push((sf, None, mine));
            }
        } else {
            match discover::read_named(path, forced_kind(inputs, path)) {
                Ok(found) => {
                    let i = read(&mut plan, found);
                    plan.named.push(i);
                }
                Err(e) => plan.errors.push(e),
            }
        }
    }
    plan
}

/// A loaded [`Plan`]: the workspace, and what tells whether parts loaded apart may be merged.
pub struct Loaded {
    pub workspace: Workspace,
    /// Every file read, by canonical path (stock files by their name): two parts that read
    /// the same file must be loaded together.
    pub keys: Vec<PathBuf>,
    /// Whether this machine's CPUs and memory were read (`--system`, or a file under /etc):
    /// they count for every stack of the run, so parts must agree.
    pub live: bool,
}

/// Reads and parses the files of a [`Plan`] and builds its stacks.
pub fn load(inputs: &Inputs, config: &Config, plan: Plan) -> Loaded {
    let _dirs = CanonicalScope::enter();
    let Plan { mut found, order, groups: planned, named, errors } = plan;
    let mut loader = Loader { files: FileSet::new(), by_path: HashMap::new(), overlay: &inputs.overlay };
    let mut ids: Vec<Option<FileId>> = vec![None; found.len()];
    for i in order {
        let id = loader.take(&mut found[i]);
        ids[i].get_or_insert(id);
    }
    drop(found);
    let id_of = |i: usize| ids[i].unwrap_or(FileId(0));
    let mut groups: Vec<Group> = Vec::new();
    for (sf, section, clues) in planned {
        let files = sf.files.iter().map(|&i| id_of(i)).collect();
        groups.push((StackFiles { files: Vec::new(), ..sf }, files, section, clues));
    }
    let mut named_files: Vec<FileId> = Vec::new();
    for id in named.into_iter().map(id_of) {
        if !named_files.contains(&id) {
            named_files.push(id);
        }
    }
    if !named_files.is_empty() {
        let name = if let Some(n) = &inputs.stack_name {
            n.clone()
        } else if named_files.len() == 1 {
            loader.files.source(named_files[0]).display.clone()
        } else {
            "named files".to_string()
        };
        groups.push((StackFiles { name, root: None, files: Vec::new() }, named_files, None, Vec::new()));
    }

    // nginx: load what each site includes, find the roots (files no other file of the stack
    // includes), and read each root's configuration.
    let live_any = inputs.system;
    let mut nginx_configs: Vec<Vec<crate::stack::proxy::NginxConfig>> = Vec::new();
    for (_, ids, _, _) in groups.iter_mut() {
        let nginx_ids: Vec<FileId> = ids.iter().copied().filter(|&id| loader.files.get(id).kind == FileKind::Nginx).collect();
        let mut graphs = Vec::new();
        let mut included: std::collections::HashSet<FileId> = std::collections::HashSet::new();
        for &id in &nginx_ids {
            let path = loader.files.source(id).path.clone();
            let live = live_any || path.starts_with("/etc/nginx");
            let opts = match &inputs.root {
                // a copied server: its absolute paths are under the copy
                Some(root) => crate::formats::nginx::include::ResolveOptions {
                    prefix: Some(root.join("etc/nginx")),
                    mounts: vec![(PathBuf::from("/"), root.clone())],
                    ..Default::default()
                },
                None => crate::formats::nginx::include::ResolveOptions {
                    prefix: live.then(|| PathBuf::from("/etc/nginx")),
                    system_paths: live,
                    ..Default::default()
                },
            };
            let graph = crate::formats::nginx::include::load_includes(&mut loader, id, &opts);
            included.extend(graph.files.iter().skip(1).copied());
            graphs.push((id, graph));
        }
        let mut configs = Vec::new();
        let any_root = graphs.iter().any(|(id, _)| !included.contains(id));
        for (id, graph) in graphs {
            // every file included by another is read as part of that one (in a cycle where
            // every file is included, the first one stands as the root)
            if included.contains(&id) && (any_root || !configs.is_empty()) {
                continue;
            }
            for &f in &graph.files {
                if !ids.contains(&f) {
                    ids.push(f);
                }
            }
            let model = crate::formats::nginx::model::build(&loader, id, &graph);
            configs.push(crate::stack::proxy::NginxConfig { root: id, graph, model });
        }
        nginx_configs.push(configs);
    }

    // The compose projects of each stack (their env files, extended files and the
    // configuration files their services mount join the run).
    let mut compose_models = Vec::new();
    for (_, ids, _, _) in &mut groups {
        compose_models.push(crate::stack::compose::build(&mut loader, ids));
    }

    // The operating-system side and the PostgreSQL servers of each stack (reading included
    // files may add files to the run).
    let mut os_models = Vec::new();
    for ((_, ids, _, _), compose) in groups.iter_mut().zip(compose_models.iter_mut()) {
        let system = crate::stack::system::System::build(&loader.files, ids);
        let mut postgres = crate::stack::postgres::build(&mut loader, ids, &system);
        crate::stack::compose::attach_postgres(&mut loader, compose, &mut postgres);
        os_models.push((system, postgres));
    }
    let keys: Vec<PathBuf> = loader.by_path.into_keys().collect();
    let files = loader.files;
    let live = inputs.system || files.ids().any(|id| files.source(id).path.starts_with("/etc"));
    let detected = if live { host::detect() } else { HostFacts::default() };
    let flags = HostFacts {
        cpus: inputs.cpus.map(|value| Fact { value, origin: FactOrigin::Flag("--cpus") }),
        memory: inputs.memory.map(|value| Fact { value, origin: FactOrigin::Flag("--memory") }),
    };
    let global_host = config.host().unwrap_or_default();
    let mut stacks = Vec::new();
    for ((((sf, ids, section, clues), nginx), (mut system, postgres)), compose) in
        groups.into_iter().zip(nginx_configs).zip(os_models).zip(compose_models)
    {
        if ids.is_empty() {
            continue;
        }
        let stack_host =
            section.and_then(|s| s.host.as_ref()).and_then(|h| config::host_facts(h, &config.display()).ok()).unwrap_or_default();
        let host = flags.clone().or(&stack_host).or(&global_host).or(&detected);
        let configured = inputs
            .odoo_version
            .map(|v| (v, "--odoo-version".to_string()))
            .or_else(|| section.and_then(|s| s.odoo_version).map(|v| (v, format!("stack `{}` in {}", sf.name, config.display()))))
            .or_else(|| config.file.odoo_version.map(|v| (v, config.display())));
        let version = match (&configured, crate::stack::compose::image_version_of(&compose)) {
            (None, Some(v)) => v,
            _ => version::detect(&files, &ids, configured, &clues),
        };
        let mut odoo = crate::stack::odoo::OdooSettings::build(&files, &ids, &version);
        system.link_odoo(&files, odoo.conf.map(|c| files.source(c).path.as_path()), &mut odoo);
        if let Some(m) = compose.first() {
            m.link_odoo(&files, &mut odoo);
        }
        let host = system.narrow_budget(&files, host);
        let host = match compose.first().filter(|m| m.linked(odoo.conf)) {
            Some(m) => m.narrow_budget(&files, host),
            None => host,
        };
        let postgres_share = crate::stack::postgres::host_share(&postgres, &host);
        let postgres_share = crate::stack::compose::postgres_share(&compose, postgres_share);
        stacks.push(Stack {
            name: sf.name,
            root: sf.root,
            files: ids,
            host,
            version,
            odoo,
            postgres_share,
            other_cron_runner: false,
            clues,
            nginx,
            routes: Vec::new(),
            postgres,
            system,
            compose,
        });
        let last = stacks.len() - 1;
        let routes = crate::stack::proxy::odoo_routes(&files, &stacks[last]);
        stacks[last].routes = routes;
    }
    if let Some(changed) = &inputs.only_stacks_with {
        let wanted: Vec<PathBuf> = changed.iter().map(|p| canonical(p)).collect();
        stacks.retain(|s| s.files.iter().any(|&id| wanted.contains(&canonical(&files.source(id).path))));
    }
    Loaded { workspace: Workspace { files, stacks, errors }, keys, live }
}

fn forced_kind(inputs: &Inputs, path: &Path) -> Option<FileKind> {
    let c = canonical(path);
    inputs.kinds.iter().find(|(_, p)| canonical(p) == c).map(|(k, _)| *k)
}

fn is_excluded(config: &Config, path: &Path) -> bool {
    config.is_excluded(path)
}

/// Expands a path or glob relative to `base`.
fn expand(base: &Path, pattern: &str) -> Vec<PathBuf> {
    let full = if Path::new(pattern).is_absolute() { PathBuf::from(pattern) } else { base.join(pattern) };
    if !pattern.contains(['*', '?', '[']) {
        return vec![full];
    }
    let full_s = full.to_string_lossy().into_owned();
    // walk from the longest literal prefix directory
    let literal: String = full_s.chars().take_while(|c| !matches!(c, '*' | '?' | '[')).collect();
    let root = Path::new(&literal).parent().map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from("."));
    let mut out = Vec::new();
    for entry in ignore::WalkBuilder::new(&root).hidden(false).git_ignore(false).build().flatten() {
        if entry.file_type().is_some_and(|t| t.is_file()) && glob_match(&full_s, &entry.path().to_string_lossy()) {
            out.push(entry.path().to_path_buf());
        }
    }
    out.sort();
    out
}

/// A small glob matcher: `*` within a path segment, `**` across segments, `?` one character.
pub fn glob_match(pattern: &str, path: &str) -> bool {
    fn inner(p: &[u8], s: &[u8]) -> bool {
        if p.is_empty() {
            return s.is_empty();
        }
        if p.starts_with(b"**") {
            let rest = p[2..].strip_prefix(b"/").unwrap_or(&p[2..]);
            return (0..=s.len()).any(|i| inner(rest, &s[i..]));
        }
        match p[0] {
            b'*' => (0..=s.len()).take_while(|&i| i == 0 || s[i - 1] != b'/').any(|i| inner(&p[1..], &s[i..])),
            b'?' => !s.is_empty() && s[0] != b'/' && inner(&p[1..], &s[1..]),
            c => !s.is_empty() && s[0] == c && inner(&p[1..], &s[1..]),
        }
    }
    inner(pattern.as_bytes(), path.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::glob_match;

    #[test]
    fn globs() {
        assert!(glob_match("envs/*/odoo.conf", "envs/prod/odoo.conf"));
        assert!(!glob_match("envs/*/odoo.conf", "envs/prod/x/odoo.conf"));
        assert!(glob_match("**/odoo.conf", "a/b/odoo.conf"));
        assert!(glob_match("**/odoo.conf", "odoo.conf"));
        assert!(glob_match("legacy/**", "legacy/a/b.conf"));
        assert!(glob_match("a?c", "abc"));
    }
}

//! `include`: which files a parsed nginx file pulls in, and where they are.
//!
//! nginx resolves a relative include against its *conf prefix* (the directory of the main
//! configuration, normally `/etc/nginx`), not against the including file's directory; an
//! argument with `*`, `?` or `[` is a glob, which may match nothing. A repository checkout
//! is not laid out like a server, so [`resolve`] also tries the including file's directory
//! and the prefix inferred from the checkout ([`inferred_prefix`]), and maps absolute
//! `/etc/nginx/...` paths (and compose-style mounts) onto it. Files every distribution
//! ships but repositories omit (`mime.types`, `proxy_params`, …) are reported as stock,
//! assumed present ([`StockFile`]); `proxy_params`'s known content can be loaded in their
//! place so that header inheritance through it is right.
//!
//! The caller owns the files: [`load_includes`] asks an [`NginxLoader`] to load and parse
//! each path it resolves, and records the result per include directive in an
//! [`IncludeGraph`], which the model builder reads.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Component, Path, PathBuf};

use super::glob;
use super::syntax::{DirectiveId, SyntaxTree};
use crate::source::{FileId, SourceFile, TextRange};

/// One `include` directive of a file.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct IncludeRef {
    pub directive: DirectiveId,
    /// The argument as nginx reads it (unquoted, unescaped).
    pub pattern: String,
    /// The argument's range (quotes included).
    pub range: TextRange,
}

/// The `include` directives of a file, in source order (any depth: nginx allows them in
/// every block, `map` and `types` included). Directives with other than one argument are
/// skipped (nginx rejects them).
pub fn include_directives(tree: &SyntaxTree, text: &str) -> Vec<IncludeRef> {
    tree.directives()
        .filter(|(_, d)| d.is(text, "include") && d.args.len() == 1 && d.block().is_none())
        .map(|(id, d)| IncludeRef { directive: id, pattern: d.args[0].value(text).into_owned(), range: d.args[0].range })
        .collect()
}

/// A file that nginx packages install next to `nginx.conf` (or that certbot installs), so
/// that configurations include it without shipping it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct StockFile {
    /// Path relative to the nginx prefix, or absolute for files outside it.
    pub name: &'static str,
    /// Who installs it.
    pub shipped_by: &'static str,
    /// Its directives, when they matter to the model (`proxy_params` sets proxy headers).
    pub content: Option<&'static str>,
}

/// Debian's `/etc/nginx/proxy_params` (nginx-common; the comment that explains `$host` is left
/// out). Older Debian and Ubuntu releases set `Host $http_host`; the header names, which are
/// what inheritance rules look at, are the same.
pub const DEBIAN_PROXY_PARAMS: &str = "\
proxy_set_header Host $host;
proxy_set_header X-Real-IP $remote_addr;
proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
proxy_set_header X-Forwarded-Proto $scheme;
";

const NGINX_PACKAGES: &str = "nginx packages (nginx.org, Debian, Ubuntu, Alpine, the official Docker image)";
const DEBIAN: &str = "Debian and Ubuntu nginx packages (not the official nginx Docker image)";

/// The stock files we know.
pub const STOCK_FILES: &[StockFile] = &[
    StockFile { name: "mime.types", shipped_by: NGINX_PACKAGES, content: None },
    StockFile { name: "fastcgi_params", shipped_by: NGINX_PACKAGES, content: None },
    StockFile { name: "fastcgi.conf", shipped_by: NGINX_PACKAGES, content: None },
    StockFile { name: "uwsgi_params", shipped_by: NGINX_PACKAGES, content: None },
    StockFile { name: "scgi_params", shipped_by: NGINX_PACKAGES, content: None },
    StockFile { name: "koi-utf", shipped_by: NGINX_PACKAGES, content: None },
    StockFile { name: "koi-win", shipped_by: NGINX_PACKAGES, content: None },
    StockFile { name: "win-utf", shipped_by: NGINX_PACKAGES, content: None },
    StockFile { name: "proxy_params", shipped_by: DEBIAN, content: Some(DEBIAN_PROXY_PARAMS) },
    StockFile { name: "snippets/snakeoil.conf", shipped_by: DEBIAN, content: None },
    StockFile { name: "snippets/fastcgi-php.conf", shipped_by: DEBIAN, content: None },
    StockFile { name: "/etc/letsencrypt/options-ssl-nginx.conf", shipped_by: "certbot's nginx plugin", content: None },
];

/// Install prefixes of nginx builds; an absolute include under one of them is looked up
/// under the checkout's prefix too.
pub const SYSTEM_PREFIXES: &[&str] = &[
    "/etc/nginx/",
    "/usr/local/nginx/conf/",
    "/usr/local/etc/nginx/",
    "/opt/homebrew/etc/nginx/",
    "/usr/local/openresty/nginx/conf/",
    "/etc/openresty/",
];

/// The stock file an include pattern names, if any.
pub fn stock_file(pattern: &str) -> Option<&'static StockFile> {
    let rel = SYSTEM_PREFIXES.iter().find_map(|p| pattern.strip_prefix(p)).unwrap_or(pattern);
    let rel = rel.strip_prefix("./").unwrap_or(rel);
    STOCK_FILES.iter().find(|s| s.name == rel || s.name == pattern)
}

/// How to resolve includes.
#[derive(Clone, Debug)]
pub struct ResolveOptions {
    /// nginx's conf prefix, when known (`nginx -p`/the directory of `-c`; `/etc/nginx` on a
    /// server). Tried first for relative paths.
    pub prefix: Option<PathBuf>,
    /// Whether absolute paths may be read from this machine (a live server). Off for a
    /// checkout: `/etc/nginx` on a developer's machine says nothing about the deployment.
    pub system_paths: bool,
    /// Deployment paths mapped onto the checkout, e.g. a compose volume
    /// `./nginx/conf.d:/etc/nginx/conf.d` as (`/etc/nginx/conf.d`, `<repo>/nginx/conf.d`).
    pub mounts: Vec<(PathBuf, PathBuf)>,
    /// At most this many files per glob.
    pub max_glob_files: usize,
    /// At most this many files in one configuration (the root and everything it includes).
    pub max_files: usize,
}

impl Default for ResolveOptions {
    fn default() -> Self {
        ResolveOptions { prefix: None, system_paths: false, mounts: Vec::new(), max_glob_files: 1000, max_files: 5000 }
    }
}

/// What one `include` resolves to.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Resolution {
    /// Existing files, in the order nginx reads them.
    Files(Vec<PathBuf>),
    /// A glob that matches nothing: nginx accepts it.
    EmptyGlob,
    /// A stock file absent from the checkout, assumed present on the server.
    Stock(&'static StockFile),
    /// Not found anywhere we looked: nginx would refuse to start (`open() "…" failed`).
    Missing { tried: Vec<PathBuf> },
    /// A glob that matches more files than [`ResolveOptions::max_glob_files`]: the first ones.
    TooMany { files: Vec<PathBuf>, total: usize },
}

/// The directory a checkout's nginx configuration treats as nginx's prefix: walking up from
/// the root file (at most three levels), the first directory that holds `nginx.conf`, or
/// else the first that holds `conf.d`, `sites-enabled`, `sites-available` or `snippets`.
pub fn inferred_prefix(root: &Path) -> Option<PathBuf> {
    let start = root.parent()?;
    let ancestors: Vec<&Path> = start.ancestors().take(4).collect();
    if root.file_name().is_some_and(|n| n == "nginx.conf") {
        return Some(start.to_path_buf());
    }
    if let Some(d) = ancestors.iter().find(|d| crate::fscache::is_file(&d.join("nginx.conf"))) {
        return Some(d.to_path_buf());
    }
    ancestors
        .iter()
        .find(|d| ["conf.d", "sites-enabled", "sites-available", "snippets"].iter().any(|s| crate::fscache::is_dir(&d.join(s))))
        .map(|d| d.to_path_buf())
}

/// Resolves one include pattern found in `including` (a file of the configuration whose
/// main file is `root`).
pub fn resolve(pattern: &str, including: &Path, root: &Path, opts: &ResolveOptions) -> Resolution {
    let mut bases: Vec<PathBuf> = Vec::new();
    let mut push = |p: PathBuf| {
        let p = normalize(&p);
        if !bases.contains(&p) {
            bases.push(p);
        }
    };
    let inferred = inferred_prefix(root);
    let path = Path::new(pattern);
    // (base directory, path relative to it) pairs to try, in order
    let mut tries: Vec<(PathBuf, String)> = Vec::new();
    if path.is_absolute() {
        for (target, source) in &opts.mounts {
            if let Ok(rest) = path.strip_prefix(target) {
                tries.push((source.clone(), rest.to_string_lossy().into_owned()));
            }
        }
        if opts.system_paths {
            tries.push((PathBuf::from("/"), pattern.trim_start_matches('/').to_string()));
        }
        if let Some(rest) = SYSTEM_PREFIXES.iter().find_map(|p| pattern.strip_prefix(p)) {
            if let Some(p) = &opts.prefix {
                push(p.clone());
            }
            if let Some(p) = &inferred {
                push(p.clone());
            }
            if let Some(d) = root.parent() {
                push(d.to_path_buf());
            }
            for b in &bases {
                tries.push((b.clone(), rest.to_string()));
            }
        }
    } else {
        if let Some(p) = &opts.prefix {
            push(p.clone());
        }
        if let Some(p) = &inferred {
            push(p.clone());
        }
        if let Some(d) = including.parent() {
            push(d.to_path_buf());
        }
        if let Some(d) = root.parent() {
            push(d.to_path_buf());
        }
        for b in &bases {
            tries.push((b.clone(), pattern.to_string()));
        }
    }
    let magic = glob::has_magic(pattern);
    let mut tried = Vec::new();
    for (base, rel) in &tries {
        if magic {
            let m = glob::expand(base, rel, opts.max_glob_files);
            if m.total > m.paths.len() {
                return Resolution::TooMany { files: m.paths, total: m.total };
            }
            if !m.paths.is_empty() {
                return Resolution::Files(m.paths);
            }
        } else {
            let p = normalize(&base.join(rel));
            if p.is_file() {
                return Resolution::Files(vec![p]);
            }
            tried.push(p);
        }
    }
    if magic {
        return Resolution::EmptyGlob;
    }
    match stock_file(pattern) {
        Some(s) => Resolution::Stock(s),
        None => {
            if tried.is_empty() {
                tried.push(PathBuf::from(pattern));
            }
            Resolution::Missing { tried }
        }
    }
}

/// Removes `.` and `..` components without touching the file system.
fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            c => out.push(c),
        }
    }
    out
}

/// Read access to parsed nginx files by id (the caller's file set).
pub trait NginxFiles {
    /// The source and tree of a file, if it is a parsed nginx file.
    fn nginx(&self, id: FileId) -> Option<(&SourceFile, &SyntaxTree)>;
}

/// A file set that can also load files as includes are found.
pub trait NginxLoader: NginxFiles {
    /// Reads and parses the file at `path`, or returns the id of the copy already loaded.
    fn load(&mut self, path: &Path) -> Result<FileId, String>;
    /// Adds a file that is not on disk: a stock file's known content, shown as `path`.
    fn load_virtual(&mut self, path: &Path, content: &str) -> FileId;
}

/// What one include directive brought in.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct IncludeTarget {
    pub pattern: String,
    /// The argument's range in the including file.
    pub range: TextRange,
    pub resolution: Resolution,
    /// The files loaded for it, in order (a stock file with known content is one of them).
    pub files: Vec<FileId>,
}

/// Something to report about includes (rule OL006 and friends).
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum IncludeProblem {
    /// The include names a file that does not exist: nginx refuses to start.
    Missing { file: FileId, directive: DirectiveId, range: TextRange, pattern: String, tried: Vec<PathBuf> },
    /// The include names a stock file that the checkout lacks; assumed present.
    Stock { file: FileId, directive: DirectiveId, range: TextRange, stock: &'static StockFile },
    /// A file exists but could not be read.
    Unreadable { file: FileId, directive: DirectiveId, range: TextRange, path: PathBuf, error: String },
    /// A glob matched more files than the limit; the rest were ignored.
    TooManyFiles { file: FileId, directive: DirectiveId, range: TextRange, total: usize },
    /// Following this include leads back to a file that includes it: nginx would recurse
    /// until it runs out of file descriptors. `chain` runs from the included file back to it.
    Cycle { file: FileId, directive: DirectiveId, range: TextRange, chain: Vec<FileId> },
    /// The configuration has more files than [`ResolveOptions::max_files`]; later includes
    /// were not loaded.
    FileLimit { file: FileId, directive: DirectiveId, range: TextRange },
}

/// Every include of one configuration, resolved.
#[derive(Clone, Debug, Default)]
pub struct IncludeGraph {
    /// What each include directive of each loaded file resolved to.
    pub includes: BTreeMap<(FileId, DirectiveId), IncludeTarget>,
    pub problems: Vec<IncludeProblem>,
    /// The files of the configuration in the order they were reached (the root first).
    pub files: Vec<FileId>,
}

impl IncludeGraph {
    /// The files an include directive brought in (none if it was not resolved).
    pub fn targets(&self, file: FileId, directive: DirectiveId) -> &[FileId] {
        self.includes.get(&(file, directive)).map(|t| t.files.as_slice()).unwrap_or(&[])
    }
}

/// Loads everything `root` includes, transitively, through `loader`.
pub fn load_includes(loader: &mut impl NginxLoader, root: FileId, opts: &ResolveOptions) -> IncludeGraph {
    let mut graph = IncludeGraph::default();
    let Some((root_src, _)) = loader.nginx(root) else {
        return graph;
    };
    let root_path = root_src.path.clone();
    let mut queue = std::collections::VecDeque::from([root]);
    let mut seen: HashSet<FileId> = HashSet::from([root]);
    let mut virtual_ids: HashMap<&'static str, FileId> = HashMap::new();
    graph.files.push(root);
    while let Some(file) = queue.pop_front() {
        let Some((src, tree)) = loader.nginx(file) else {
            continue;
        };
        let including = src.path.clone();
        let refs = include_directives(tree, &src.text);
        for r in refs {
            let resolution = resolve(&r.pattern, &including, &root_path, opts);
            let mut files = Vec::new();
            let paths: &[PathBuf] = match &resolution {
                Resolution::Files(p) => p,
                Resolution::TooMany { files: p, total } => {
                    graph.problems.push(IncludeProblem::TooManyFiles {
                        file,
                        directive: r.directive,
                        range: r.range,
                        total: *total,
                    });
                    p
                }
                Resolution::Missing { tried } => {
                    graph.problems.push(IncludeProblem::Missing {
                        file,
                        directive: r.directive,
                        range: r.range,
                        pattern: r.pattern.clone(),
                        tried: tried.clone(),
                    });
                    &[]
                }
                Resolution::Stock(stock) => {
                    graph.problems.push(IncludeProblem::Stock { file, directive: r.directive, range: r.range, stock });
                    if let Some(content) = stock.content {
                        let id = *virtual_ids.entry(stock.name).or_insert_with(|| {
                            let shown = if stock.name.starts_with('/') {
                                PathBuf::from(stock.name)
                            } else {
                                Path::new("/etc/nginx").join(stock.name)
                            };
                            loader.load_virtual(&shown, content)
                        });
                        files.push(id);
                        if seen.insert(id) {
                            graph.files.push(id);
                        }
                    }
                    &[]
                }
                Resolution::EmptyGlob => &[],
            };
            for path in paths {
                if seen.len() >= opts.max_files {
                    graph.problems.push(IncludeProblem::FileLimit { file, directive: r.directive, range: r.range });
                    break;
                }
                match loader.load(path) {
                    Ok(id) => {
                        files.push(id);
                        if seen.insert(id) {
                            graph.files.push(id);
                            queue.push_back(id);
                        }
                    }
                    Err(error) => graph.problems.push(IncludeProblem::Unreadable {
                        file,
                        directive: r.directive,
                        range: r.range,
                        path: path.clone(),
                        error,
                    }),
                }
            }
            graph.includes.insert((file, r.directive), IncludeTarget { pattern: r.pattern, range: r.range, resolution, files });
        }
    }
    find_cycles(&mut graph, root);
    graph
}

/// Marks the include edges that close a cycle (depth-first from the root, iteratively).
fn find_cycles(graph: &mut IncludeGraph, root: FileId) {
    let mut edges: BTreeMap<FileId, Vec<(DirectiveId, FileId)>> = BTreeMap::new();
    for ((file, directive), target) in &graph.includes {
        for &to in &target.files {
            edges.entry(*file).or_default().push((*directive, to));
        }
    }
    // 0 = unvisited, 1 = on the current path, 2 = done
    let mut state: HashMap<FileId, u8> = HashMap::new();
    let mut path: Vec<FileId> = vec![root];
    let mut stack: Vec<(FileId, usize)> = vec![(root, 0)];
    state.insert(root, 1);
    let mut cycles = Vec::new();
    while let Some((file, i)) = stack.pop() {
        let out = edges.get(&file).map(|v| v.as_slice()).unwrap_or(&[]);
        if let Some(&(directive, to)) = out.get(i) {
            stack.push((file, i + 1));
            match state.get(&to).copied().unwrap_or(0) {
                0 => {
                    state.insert(to, 1);
                    path.push(to);
                    stack.push((to, 0));
                }
                1 => {
                    let from = path.iter().position(|f| *f == to).unwrap_or(0);
                    cycles.push((file, directive, path[from..].to_vec()));
                }
                _ => {}
            }
        } else {
            state.insert(file, 2);
            path.pop();
        }
    }
    for (file, directive, chain) in cycles {
        let range = graph.includes.get(&(file, directive)).map(|t| t.range).unwrap_or_default();
        graph.problems.push(IncludeProblem::Cycle { file, directive, range, chain });
    }
}

/// A simple [`NginxLoader`] that reads files from disk and keeps them; for tests and small
/// tools (the application's own file set implements the traits itself).
#[derive(Default)]
pub struct DiskLoader {
    files: Vec<(SourceFile, SyntaxTree)>,
    by_path: HashMap<PathBuf, FileId>,
}

impl DiskLoader {
    pub fn new() -> Self {
        DiskLoader::default()
    }

    /// Adds a file from memory (e.g. a test's root file).
    pub fn add(&mut self, source: SourceFile) -> FileId {
        let tree = super::parse(&source.text);
        let id = FileId(self.files.len() as u32);
        if let Ok(canonical) = std::fs::canonicalize(&source.path) {
            self.by_path.insert(canonical, id);
        }
        self.by_path.insert(source.path.clone(), id);
        self.files.push((source, tree));
        id
    }

    pub fn source(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize].0
    }

    pub fn tree(&self, id: FileId) -> &SyntaxTree {
        &self.files[id.0 as usize].1
    }
}

impl NginxFiles for DiskLoader {
    fn nginx(&self, id: FileId) -> Option<(&SourceFile, &SyntaxTree)> {
        self.files.get(id.0 as usize).map(|(s, t)| (s, t))
    }
}

impl NginxLoader for DiskLoader {
    fn load(&mut self, path: &Path) -> Result<FileId, String> {
        let key = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        if let Some(id) = self.by_path.get(&key) {
            return Ok(*id);
        }
        let bytes = crate::source::read_file(path).map_err(|e| e.to_string())?;
        let id = self.add(SourceFile::new(path, bytes));
        self.by_path.insert(key, id);
        Ok(id)
    }

    fn load_virtual(&mut self, path: &Path, content: &str) -> FileId {
        let source = SourceFile::from_text(path, content);
        let tree = super::parse(&source.text);
        let id = FileId(self.files.len() as u32);
        self.files.push((source, tree));
        id
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(root: &Path, rel: &str, text: &str) -> PathBuf {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, text).unwrap();
        p
    }

    fn load(path: &Path, opts: &ResolveOptions) -> (DiskLoader, FileId, IncludeGraph) {
        let mut l = DiskLoader::new();
        let root = l.load(path).unwrap();
        let g = load_includes(&mut l, root, opts);
        (l, root, g)
    }

    fn names(l: &DiskLoader, ids: &[FileId]) -> Vec<String> {
        ids.iter().map(|id| l.source(*id).path.file_name().unwrap().to_string_lossy().into_owned()).collect()
    }

    #[test]
    fn repository_layout_resolves_against_the_inferred_prefix() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let main = write(
            d,
            "deploy/nginx/nginx.conf",
            "events {}\nhttp {\n include /etc/nginx/mime.types;\n include conf.d/*.conf;\n}\n",
        );
        write(d, "deploy/nginx/conf.d/b.conf", "server { include snippets/ssl.conf; include proxy_params; }");
        write(d, "deploy/nginx/conf.d/a.conf", "server { include /etc/nginx/snippets/headers.conf; }");
        write(d, "deploy/nginx/snippets/ssl.conf", "ssl_protocols TLSv1.3;");
        write(d, "deploy/nginx/snippets/headers.conf", "add_header X-A a;");
        let (l, root, g) = load(&main, &ResolveOptions::default());
        assert_eq!(names(&l, &g.files), ["nginx.conf", "a.conf", "b.conf", "headers.conf", "ssl.conf", "proxy_params"]);
        let stock: Vec<&str> = g
            .problems
            .iter()
            .filter_map(|p| match p {
                IncludeProblem::Stock { stock, .. } => Some(stock.name),
                _ => None,
            })
            .collect();
        assert_eq!(stock, ["mime.types", "proxy_params"]);
        assert_eq!(g.problems.len(), 2, "{:?}", g.problems);
        // the glob's files, sorted, hang off the include directive
        let inc = include_directives(l.tree(root), &l.source(root).text);
        assert_eq!(names(&l, g.targets(root, inc[1].directive)), ["a.conf", "b.conf"]);
        // proxy_params is a virtual file with Debian's content
        let pp = *g.files.last().unwrap();
        assert_eq!(l.source(pp).path, Path::new("/etc/nginx/proxy_params"));
        assert_eq!(l.tree(pp).directive_count(), 4);
    }

    #[test]
    fn site_snippet_finds_its_prefix_and_its_neighbours() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let site = write(d, "nginx/conf.d/odoo.conf", "server { include common.conf; include /etc/nginx/conf.d/x/*.conf; }");
        write(d, "nginx/conf.d/common.conf", "gzip on;");
        assert_eq!(inferred_prefix(&site).unwrap(), d.join("nginx"));
        let (l, _, g) = load(&site, &ResolveOptions::default());
        assert_eq!(names(&l, &g.files), ["odoo.conf", "common.conf"]);
        assert!(g.problems.is_empty(), "{:?}", g.problems);
        let empty = g.includes.values().find(|t| t.pattern.contains('*')).unwrap();
        assert_eq!(empty.resolution, Resolution::EmptyGlob);
    }

    #[test]
    fn missing_files_are_reported_with_the_paths_tried() {
        let dir = tempfile::tempdir().unwrap();
        let site = write(dir.path(), "site.conf", "server { include nope.conf; include /etc/ssl/nope.conf; }");
        let (_, root, g) = load(&site, &ResolveOptions::default());
        let missing: Vec<_> = g
            .problems
            .iter()
            .filter_map(|p| match p {
                IncludeProblem::Missing { file, pattern, tried, .. } => Some((*file, pattern.clone(), tried.len())),
                _ => None,
            })
            .collect();
        assert_eq!(missing.len(), 2);
        assert_eq!(missing[0].0, root);
        assert_eq!(missing[0].1, "nope.conf");
        assert!(missing[0].2 >= 1);
    }

    #[test]
    fn cycles_and_self_includes_are_reported_and_bounded() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let a = write(d, "a.conf", "include b.conf;\ninclude a.conf;");
        write(d, "b.conf", "include a.conf;");
        let (l, _, g) = load(&a, &ResolveOptions::default());
        assert_eq!(names(&l, &g.files), ["a.conf", "b.conf"]);
        let cycles: Vec<Vec<String>> = g
            .problems
            .iter()
            .filter_map(|p| match p {
                IncludeProblem::Cycle { chain, .. } => Some(names(&l, chain)),
                _ => None,
            })
            .collect();
        assert_eq!(cycles, [vec!["a.conf", "b.conf"], vec!["a.conf"]]);
    }

    #[test]
    fn huge_globs_are_cut() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        for i in 0..1200 {
            write(d, &format!("conf.d/{i:04}.conf"), "");
        }
        let main = write(d, "nginx.conf", "include conf.d/*.conf;");
        let (_, _, g) = load(&main, &ResolveOptions::default());
        assert_eq!(g.files.len(), 1001);
        assert!(matches!(g.problems[..], [IncludeProblem::TooManyFiles { total: 1200, .. }]));
        let opts = ResolveOptions { max_files: 10, ..ResolveOptions::default() };
        let (_, _, g) = load(&main, &opts);
        assert!(g.files.len() <= 10);
        assert!(g.problems.iter().any(|p| matches!(p, IncludeProblem::FileLimit { .. })));
    }

    #[test]
    fn prefix_mounts_and_system_paths() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        write(d, "etc-nginx/snippets/x.conf", "a b;");
        write(d, "repo/proxy.conf", "c d;");
        let site = write(d, "repo/site.conf", "include snippets/x.conf; include /srv/conf/proxy.conf;");
        let opts = ResolveOptions {
            prefix: Some(d.join("etc-nginx")),
            mounts: vec![(PathBuf::from("/srv/conf"), d.join("repo"))],
            ..ResolveOptions::default()
        };
        let (l, _, g) = load(&site, &opts);
        assert_eq!(names(&l, &g.files), ["site.conf", "x.conf", "proxy.conf"]);
        // without system paths, an absolute path outside any known prefix is missing
        let abs = write(d, "abs/real.conf", "x y;");
        let r = resolve(abs.to_str().unwrap(), &site, &site, &ResolveOptions::default());
        assert!(matches!(r, Resolution::Missing { .. }));
        let r = resolve(abs.to_str().unwrap(), &site, &site, &ResolveOptions { system_paths: true, ..Default::default() });
        assert_eq!(r, Resolution::Files(vec![abs]));
    }

    #[test]
    fn stock_names() {
        assert_eq!(stock_file("/etc/nginx/proxy_params").unwrap().name, "proxy_params");
        assert_eq!(stock_file("mime.types").unwrap().name, "mime.types");
        assert_eq!(stock_file("/etc/letsencrypt/options-ssl-nginx.conf").unwrap().content, None);
        assert!(stock_file("conf.d/odoo.conf").is_none());
    }
}

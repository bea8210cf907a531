//! Finding the stack files under the paths a user gives, telling what each one is from its
//! name *and* its content, and grouping them into stacks.
//!
//! A file's name is only a hint: a file named `odoo.conf` in an nginx folder that holds
//! `server { … }` blocks is nginx, and files in `sites-available/` have no extension at all.
//! The content decides.
//!
//! A tree may hold several stacks (`envs/prod`, `envs/staging`). A stack is rooted where its
//! Odoo configuration lives, widened to the highest ancestor directory that holds no other
//! Odoo configuration, and takes the other files beneath that root. Files that no stack root
//! holds belong to the stacks beside them, those under the nearest directory above that holds
//! any (a shared nginx or compose file); a compose project beside no stack is one; with no
//! stack at all, the files form one of their own. A file several stacks hold goes by its name
//! when the name says whose it is (`share_by_name`).

use crate::files::FileKind;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Largest file we read while walking a directory (explicitly named files are always read).
pub const MAX_WALK_FILE: u64 = 8 * 1024 * 1024;

/// Directories never entered.
const SKIP_DIRS: &[&str] = &[".git", ".hg", ".svn", "target", "node_modules", "__pycache__", ".venv", ".tox"];

/// A file found during discovery.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found {
    pub path: PathBuf,
    pub kind: FileKind,
    pub bytes: Vec<u8>,
}

/// Something found beside the stack files that tells about the stack without being
/// configuration itself: an Odoo addon in the tree, a requirements file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Clue {
    pub path: PathBuf,
    pub kind: ClueKind,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ClueKind {
    /// An Odoo addon (a directory with `__manifest__.py`): its name and its manifest's
    /// `version` (OCA addons start it with the Odoo series: `17.0.1.0.0`).
    Addon { name: String, version: Option<String> },
    /// A Python requirements file: the Odoo addon packages it installs, with their 1-based line.
    Requirements { addons: Vec<(usize, String)> },
}

/// The addon an installable Python package provides: `odoo-addon-queue_job`,
/// `odoo14-addon-queue-job`, `odoo-addon-queue_job==17.0.1.2.0`, or a VCS URL ending in
/// `#subdirectory=setup/queue_job` / `egg=odoo14-addon-queue_job`.
pub fn addon_of_requirement(line: &str) -> Option<String> {
    // pip: `#` starts a comment at the start of a line or after whitespace (a URL's
    // `#subdirectory=` fragment is not a comment)
    let cut = line.char_indices().find(|&(i, c)| c == '#' && (i == 0 || line[..i].ends_with([' ', '\t']))).map(|(i, _)| i);
    let line = line[..cut.unwrap_or(line.len())].trim();
    let lower = line.to_ascii_lowercase();
    if let Some(pos) = lower.find("subdirectory=setup/") {
        let rest = &lower[pos + "subdirectory=setup/".len()..];
        let name: String = rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
        return (!name.is_empty()).then_some(name);
    }
    let spec = lower.rsplit("egg=").next().unwrap_or(&lower);
    let pkg = spec.split(['=', '<', '>', '~', '!', ';', '[', ' ', '@']).next().unwrap_or("");
    let pkg = pkg.trim();
    let idx = pkg.find("-addon-")?;
    let prefix = &pkg[..idx];
    if !prefix.starts_with("odoo") {
        return None;
    }
    let name = pkg[idx + "-addon-".len()..].replace('-', "_");
    (!name.is_empty()).then_some(name)
}

fn manifest_version(text: &str) -> Option<String> {
    // 'version': '17.0.1.0.0' (either quote style, any spacing)
    let i = text.find("'version'").or_else(|| text.find("\"version\""))?;
    let rest = &text[i + 9..];
    let rest = rest.trim_start().strip_prefix(':')?.trim_start();
    let quote = rest.chars().next().filter(|c| *c == '\'' || *c == '"')?;
    let end = rest[1..].find(quote)?;
    Some(rest[1..1 + end].to_string())
}

/// Reads a clue from a file the walk passes, if it is one.
fn clue(path: &Path) -> Option<Clue> {
    let name = path.file_name()?.to_str()?;
    if name == "__manifest__.py" || name == "__openerp__.py" {
        let module = path.parent()?.file_name()?.to_str()?.to_string();
        let text = crate::source::read_file(path).ok().filter(|b| b.len() < 256 * 1024)?;
        let version = manifest_version(&String::from_utf8_lossy(&text));
        return Some(Clue { path: path.to_path_buf(), kind: ClueKind::Addon { name: module, version } });
    }
    let lower = name.to_ascii_lowercase();
    if lower.starts_with("requirements") && lower.ends_with(".txt") {
        let text = crate::source::read_file(path).ok().filter(|b| b.len() < 1024 * 1024)?;
        let addons: Vec<(usize, String)> = String::from_utf8_lossy(&text)
            .lines()
            .enumerate()
            .filter_map(|(i, l)| addon_of_requirement(l).map(|a| (i + 1, a)))
            .collect();
        return (!addons.is_empty()).then(|| Clue { path: path.to_path_buf(), kind: ClueKind::Requirements { addons } });
    }
    None
}

/// A group of files linted together.
#[derive(Clone, Debug, Default)]
pub struct StackFiles {
    /// A name for messages: the root directory relative to where the user pointed, or the
    /// name given in odoo-lint.toml.
    pub name: String,
    pub root: Option<PathBuf>,
    pub files: Vec<usize>,
}

/// Why a path could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DiscoverError {
    NotFound(PathBuf),
    Unreadable(PathBuf, String),
    UnknownKind(PathBuf),
}

impl std::fmt::Display for DiscoverError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DiscoverError::NotFound(p) => {
                write!(f, "{}: no such file or directory", p.display())?;
                match near_miss(p) {
                    Some(close) => write!(f, "; did you mean {}?", close.display()),
                    None => Ok(()),
                }
            }
            DiscoverError::Unreadable(p, e) => write!(f, "{}: cannot read: {e}", p.display()),
            DiscoverError::UnknownKind(p) => write!(
                f,
                "{}: cannot tell what kind of file this is (not an odoo.conf, nginx, postgresql.conf, limits.conf, systemd unit or compose file); name its kind with `--kind KIND=PATH`",
                p.display()
            ),
        }
    }
}

/// An existing path whose last part is close to the missing `path`'s (`odoo.cnf` →
/// `odoo.conf`), in the nearest existing ancestor directory.
fn near_miss(path: &Path) -> Option<PathBuf> {
    let name = path.file_name()?.to_str()?;
    let parent = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    if !parent.is_dir() {
        return None;
    }
    let entries: Vec<String> =
        std::fs::read_dir(parent).ok()?.filter_map(|e| e.ok()?.file_name().into_string().ok()).take(10_000).collect();
    let refs: Vec<&str> = entries.iter().map(String::as_str).collect();
    let close = crate::suggest::closest(name, &refs)?;
    Some(path.with_file_name(close))
}

/// Whether a file's name makes it worth reading while walking a directory.
pub fn is_candidate_name(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    let lower = name.to_ascii_lowercase();
    let parent = path.parent().and_then(|p| p.file_name()).and_then(|n| n.to_str()).unwrap_or("").to_ascii_lowercase();
    if matches!(
        parent.as_str(),
        "sites-available" | "sites-enabled" | "conf.d" | "snippets" | "limits.d" | "http.d" | "servers" | "vhosts.d"
    ) || parent.ends_with(".service.d")
    {
        return !is_obviously_not_config(&lower);
    }
    if matches!(lower.as_str(), ".odoorc" | ".openerp_serverrc" | ".env" | "odoorc" | "nginx" | "odoo") {
        return true;
    }
    let ext = lower.rsplit('.').next().unwrap_or("");
    match ext {
        "conf" | "cfg" | "ini" | "service" | "yml" | "yaml" | "odoorc" | "rc" | "types" => true,
        "example" | "sample" | "template" | "tmpl" | "dist" | "orig" => {
            let stem = lower.rsplit_once('.').map(|x| x.0).unwrap_or("");
            stem.ends_with(".conf")
                || stem.ends_with(".cfg")
                || stem.ends_with(".yml")
                || stem.ends_with(".yaml")
                || stem.contains("odoo")
        }
        _ => lower.contains("odoo") && !is_obviously_not_config(&lower) && !lower.contains('.'),
    }
}

fn is_obviously_not_config(lower: &str) -> bool {
    const NOT: &[&str] = &[
        ".md", ".rst", ".txt", ".py", ".pyc", ".sh", ".js", ".json", ".png", ".jpg", ".gif", ".svg", ".pem", ".crt", ".key",
        ".gz", ".zip", ".tar", ".html", ".css", ".lua", ".csv", ".xml", ".po", ".pot", ".sql", ".log",
    ];
    NOT.iter().any(|e| lower.ends_with(e))
}

/// Option names that only an odoo.conf has.
const ODOO_KEYS: &[&str] = &[
    "addons_path",
    "admin_passwd",
    "db_host",
    "db_port",
    "db_user",
    "db_password",
    "db_name",
    "dbfilter",
    "db_maxconn",
    "data_dir",
    "xmlrpc_port",
    "http_port",
    "longpolling_port",
    "gevent_port",
    "workers",
    "max_cron_threads",
    "limit_memory_soft",
    "limit_memory_hard",
    "limit_time_cpu",
    "limit_time_real",
    "limit_time_real_cron",
    "limit_request",
    "proxy_mode",
    "list_db",
    "server_wide_modules",
    "without_demo",
    "logfile",
    "log_level",
    "xmlrpc_interface",
    "http_interface",
    "smtp_server",
    "email_from",
    "db_template",
    "unaccent",
];

/// Whether `key` is a well-known odoo.conf option (for sniffing, not for linting).
pub fn is_odoo_key(key: &str) -> bool {
    ODOO_KEYS.contains(&key)
}

/// Parameter names that only a postgresql.conf has.
const PG_KEYS: &[&str] = &[
    "max_connections",
    "shared_buffers",
    "work_mem",
    "maintenance_work_mem",
    "effective_cache_size",
    "listen_addresses",
    "wal_level",
    "max_wal_size",
    "min_wal_size",
    "checkpoint_completion_target",
    "random_page_cost",
    "effective_io_concurrency",
    "superuser_reserved_connections",
    "log_min_duration_statement",
    "datestyle",
    "default_text_search_config",
    "lc_messages",
    "dynamic_shared_memory_type",
    "shared_preload_libraries",
    "autovacuum",
    "wal_buffers",
    "hba_file",
    "data_directory",
    "log_line_prefix",
    "timezone",
    "log_timezone",
    "max_wal_senders",
    "huge_pages",
];

/// limits.conf items.
const LIMIT_ITEMS: &[&str] = &[
    "core",
    "data",
    "fsize",
    "memlock",
    "nofile",
    "rss",
    "stack",
    "cpu",
    "nproc",
    "as",
    "maxlogins",
    "maxsyslogins",
    "priority",
    "locks",
    "sigpending",
    "msgqueue",
    "nice",
    "rtprio",
    "chroot",
    "nonewprivs",
];

/// Tells a file's kind from its name and content; `None` when it is none of ours.
pub fn sniff(path: &Path, text: &str) -> Option<FileKind> {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("").to_ascii_lowercase();
    let parent = path.parent().and_then(|p| p.file_name()).and_then(|n| n.to_str()).unwrap_or("").to_ascii_lowercase();
    let path_lower = path.to_string_lossy().to_ascii_lowercase();

    if name == ".env" || name.ends_with(".env") && !name.contains("odoo") {
        return Some(FileKind::DotEnv);
    }
    let yaml =
        name.ends_with(".yml") || name.ends_with(".yaml") || name.ends_with(".yml.example") || name.ends_with(".yaml.example");
    if yaml {
        return has_top_level_services(text).then_some(FileKind::Compose);
    }

    let mut odoo = 0i32;
    let mut nginx = 0i32;
    let mut pg = 0i32;
    let mut limits = 0i32;
    let mut systemd = 0i32;

    if name.contains("odoo") || name.contains("openerp") {
        odoo += 2;
    }
    if name.contains("postgres") || name.starts_with("pg") {
        pg += 3;
    }
    if name.ends_with(".service") || parent.ends_with(".service.d") {
        systemd += 3;
    }
    if name.starts_with("limits") || parent == "limits.d" {
        limits += 3;
    }
    if path_lower.contains("nginx") || matches!(parent.as_str(), "sites-available" | "sites-enabled" | "snippets") {
        nginx += 2;
    }

    for (i, raw) in text.lines().enumerate() {
        if i > 2000 {
            break;
        }
        let line = raw.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        if line.starts_with('[') && line.ends_with(']') {
            match &line[1..line.len() - 1] {
                "options" => odoo += 10,
                "Unit" | "Service" | "Install" | "Socket" | "Timer" => systemd += 10,
                _ => {}
            }
            continue;
        }
        let first = line.split(|c: char| c.is_whitespace() || c == '=' || c == ':').next().unwrap_or("");
        if line.ends_with(';') || line.ends_with('{') || line == "}" {
            nginx += 1;
            if matches!(
                first,
                "server"
                    | "http"
                    | "events"
                    | "location"
                    | "upstream"
                    | "proxy_pass"
                    | "listen"
                    | "server_name"
                    | "map"
                    | "include"
            ) || line.starts_with("server{")
                || line.starts_with("http{")
            {
                nginx += 3;
            }
        }
        if let Some(eq) = line.find('=') {
            let key = line[..eq].trim();
            if ODOO_KEYS.contains(&key) {
                odoo += 2;
            }
            if PG_KEYS.iter().any(|k| k.eq_ignore_ascii_case(key)) {
                pg += 2;
            }
            if !key.is_empty()
                && key.chars().next().is_some_and(|c| c.is_ascii_uppercase())
                && key.chars().all(|c| c.is_ascii_alphanumeric())
            {
                systemd += 1;
                if matches!(key, "ExecStart" | "User" | "Restart" | "LimitNOFILE" | "WantedBy" | "Description" | "Type") {
                    systemd += 2;
                }
            }
        }
        // four fields: domain, type, item, value
        let mut fields = line.split_whitespace();
        if let (Some(_), Some(kind), Some(item), Some(_), None) =
            (fields.next(), fields.next(), fields.next(), fields.next(), fields.next())
            && matches!(kind, "soft" | "hard" | "-")
            && LIMIT_ITEMS.contains(&item)
        {
            limits += 4;
        }
    }

    let scores = [
        (odoo, FileKind::OdooConf),
        (nginx, FileKind::Nginx),
        (pg, FileKind::Postgresql),
        (systemd, FileKind::Systemd),
        (limits, FileKind::Limits),
    ];
    let (best, kind) = scores.iter().copied().max_by_key(|(s, _)| *s)?;
    if best >= 4 { Some(kind) } else { None }
}

/// For a file named on the command line that its content alone does not settle (a snippet of
/// nginx headers, a compose fragment, an empty postgresql.auto.conf): its name decides.
fn sniff_by_name(path: &Path, text: &str) -> Option<FileKind> {
    let name = path.file_name()?.to_str()?.to_ascii_lowercase();
    if name.ends_with(".yml") || name.ends_with(".yaml") {
        return Some(FileKind::Compose);
    }
    if name.contains("postgresql") {
        return Some(FileKind::Postgresql);
    }
    if name.ends_with(".service") || name.ends_with(".socket") {
        return Some(FileKind::Systemd);
    }
    if name.starts_with("limits") {
        return Some(FileKind::Limits);
    }
    let nginxish = text.lines().map(str::trim).any(|l| !l.starts_with('#') && (l.ends_with(';') || l.ends_with('{')));
    if nginxish || name.contains("nginx") {
        return Some(FileKind::Nginx);
    }
    if name.contains("odoo") || name.contains("openerp") {
        return Some(FileKind::OdooConf);
    }
    None
}

/// Whether a YAML text has a top-level `services:` key (the mark of a compose file).
fn has_top_level_services(text: &str) -> bool {
    text.lines().any(|l| {
        let l = l.trim_end();
        l == "services:" || l.starts_with("services:") && l[9..].trim_start().starts_with(['#', '{'])
    })
}

/// Reads a file named on the command line.
fn read_file(path: &Path) -> Result<Vec<u8>, DiscoverError> {
    crate::source::read_file(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => DiscoverError::NotFound(path.to_path_buf()),
        _ => DiscoverError::Unreadable(path.to_path_buf(), e.to_string()),
    })
}

fn looks_binary(bytes: &[u8]) -> bool {
    bytes[..bytes.len().min(8192)].contains(&0)
}

/// Walks a directory and returns the stack files it holds, in path order.
///
/// The directory tree is listed first, in order; the files are then read and sniffed on every
/// core when there are many (a fleet's tree), and their results taken back in that order.
pub fn walk(dir: &Path, errors: &mut Vec<DiscoverError>, clues: &mut Vec<Clue>) -> Vec<Found> {
    let mut builder = ignore::WalkBuilder::new(dir);
    builder.hidden(false).git_global(false).follow_links(false).filter_entry(|e| {
        let is_dir = e.file_type().is_some_and(|t| t.is_dir());
        !(is_dir && e.depth() > 0 && e.file_name().to_str().is_some_and(|n| SKIP_DIRS.contains(&n)))
    });
    let entries = if is_wide(dir) { list_parallel(&builder, dir) } else { list_sequential(builder, dir) };
    let read = |e: Entry| match e {
        Entry::File { path, symlink } => read_entry(path, symlink),
        Entry::Error(e) => Read::Error(e),
    };
    // below this many files the threads cost more than they save (a single stack)
    let results: Vec<Read> = if entries.len() >= 64 {
        use rayon::prelude::*;
        entries.into_par_iter().map(read).collect()
    } else {
        entries.into_iter().map(read).collect()
    };
    let mut out = Vec::new();
    for r in results {
        match r {
            Read::Found(f) => out.push(f),
            Read::Clue(c) => clues.push(c),
            Read::Error(e) => errors.push(e),
            Read::Nothing => {}
        }
    }
    out
}

/// What the listing met.
enum Entry {
    File { path: PathBuf, symlink: bool },
    Error(DiscoverError),
}

impl Entry {
    fn of(result: Result<ignore::DirEntry, ignore::Error>, dir: &Path) -> Option<Entry> {
        let entry = match result {
            Ok(e) => e,
            Err(err) => {
                let path = match &err {
                    ignore::Error::WithPath { path, .. } => path.clone(),
                    _ => dir.to_path_buf(),
                };
                return Some(Entry::Error(DiscoverError::Unreadable(path, err.to_string())));
            }
        };
        let ft = entry.file_type()?;
        (ft.is_file() || ft.is_symlink()).then(|| Entry::File { symlink: ft.is_symlink(), path: entry.into_path() })
    }
}

/// Whether a directory holds so many directories (a fleet's tree) that listing it on every
/// core pays for the threads.
fn is_wide(dir: &Path) -> bool {
    std::fs::read_dir(dir)
        .map(|entries| entries.flatten().filter(|e| e.file_type().is_ok_and(|t| t.is_dir())).take(8).count() >= 8)
        .unwrap_or(false)
}

/// The listing in path order (each directory's entries sorted, depth first).
fn list_sequential(mut builder: ignore::WalkBuilder, dir: &Path) -> Vec<Entry> {
    builder.sort_by_file_path(|a, b| a.cmp(b)).build().filter_map(|r| Entry::of(r, dir)).collect()
}

/// [`list_sequential`] on every core: the same entries, sorted afterwards into the same order (a
/// directory's error where its entries would be).
fn list_parallel(builder: &ignore::WalkBuilder, dir: &Path) -> Vec<Entry> {
    let found = std::sync::Mutex::new(Vec::new());
    builder.build_parallel().run(|| {
        let found = &found;
        Box::new(move |r| {
            if let Some(e) = Entry::of(r, dir) {
                found.lock().unwrap_or_else(|p| p.into_inner()).push(e);
            }
            ignore::WalkState::Continue
        })
    });
    let mut entries = found.into_inner().unwrap_or_else(|p| p.into_inner());
    let key = |e: &Entry| match e {
        Entry::File { path, .. } => (path.clone(), 0, String::new()),
        Entry::Error(DiscoverError::Unreadable(path, why)) => (path.clone(), 1, why.clone()),
        Entry::Error(other) => (PathBuf::new(), 2, other.to_string()),
    };
    entries.sort_by_cached_key(key);
    entries
}

/// What one listed file turned out to be.
enum Read {
    Found(Found),
    Clue(Clue),
    Error(DiscoverError),
    Nothing,
}

/// Reads and sniffs one file of a walk (`symlink`: the listing saw a symlink).
fn read_entry(path: PathBuf, symlink: bool) -> Read {
    if !is_candidate_name(&path) {
        return clue(&path).map_or(Read::Nothing, Read::Clue);
    }
    // A symlink may lead to anything (a FIFO would block a read): look first. A regular file
    // is opened at once (non-blocking, should it have been replaced by a FIFO meanwhile), and
    // its size and type taken from the open file.
    if symlink {
        match std::fs::metadata(&path) {
            Ok(m) if m.is_file() && m.len() <= MAX_WALK_FILE => {}
            _ => return Read::Nothing, // a dangling symlink, or not a file: nothing to lint
        }
    }
    let bytes = match read_regular(&path) {
        Ok(Some(b)) => b,
        Ok(None) => return Read::Nothing,
        // as when looking first: what is gone, not a file or too large is passed over
        Err(e) => {
            return match std::fs::metadata(&path) {
                Ok(m) if m.is_file() && m.len() <= MAX_WALK_FILE => Read::Error(DiscoverError::Unreadable(path, e.to_string())),
                _ => Read::Nothing,
            };
        }
    };
    if looks_binary(&bytes) {
        return Read::Nothing;
    }
    match sniff(&path, &String::from_utf8_lossy(&bytes)) {
        Some(kind) => Read::Found(Found { path, kind, bytes }),
        None => Read::Nothing,
    }
}

/// The bytes of a regular file of at most [`MAX_WALK_FILE`] bytes; `None` for anything else.
fn read_regular(path: &Path) -> std::io::Result<Option<Vec<u8>>> {
    use std::io::Read as _;
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut options, libc::O_NONBLOCK);
    let mut file = options.open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() || meta.len() > MAX_WALK_FILE {
        return Ok(None);
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize + 1);
    // through `Take`: `File::read_to_end` would ask the size again (an fstat and an lseek)
    (&mut file).take(MAX_WALK_FILE + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_WALK_FILE {
        return Ok(None);
    }
    Ok(Some(bytes))
}

/// Reads the files named on the command line (`kind` forces a kind).
pub fn read_named(path: &Path, kind: Option<FileKind>) -> Result<Found, DiscoverError> {
    let bytes = read_file(path)?;
    let kind = match kind {
        Some(k) => k,
        None => {
            let text = String::from_utf8_lossy(&bytes);
            if looks_binary(&bytes) {
                return Err(DiscoverError::UnknownKind(path.to_path_buf()));
            }
            sniff(path, &text)
                .or_else(|| sniff_by_name(path, &text))
                .ok_or_else(|| DiscoverError::UnknownKind(path.to_path_buf()))?
        }
    };
    Ok(Found { path: path.to_path_buf(), kind, bytes })
}

/// Groups the files found under one checked directory into stacks (indices into `found`).
///
/// Near-linear in the number of files (a fleet holds tens of thousands): the Odoo directories
/// are sorted once, so the configurations under a directory are a range found by binary
/// search, and each file finds the deepest root holding it by looking its ancestors up.
pub fn group(walk_root: &Path, found: &[Found], label: &str) -> Vec<StackFiles> {
    let (mut stacks, unclaimed) = group_by_directory(walk_root, found, label);
    place_unclaimed(walk_root, found, &mut stacks, unclaimed, label);
    share_by_name(walk_root, found, &mut stacks);
    stacks
}

/// Words too common in configuration paths to tell two deployments apart.
const COMMON_WORDS: &[&str] = &[
    "odoo",
    "openerp",
    "erp",
    "conf",
    "config",
    "configs",
    "configuration",
    "cfg",
    "etc",
    "nginx",
    "site",
    "sites",
    "available",
    "enabled",
    "default",
    "server",
    "servers",
    "postgresql",
    "postgres",
    "pg",
    "limits",
    "security",
    "service",
    "system",
    "systemd",
    "docker",
    "compose",
    "override",
    "yml",
    "yaml",
    "env",
    "example",
    "template",
    "dist",
    "sample",
    "main",
    "data",
    "files",
    "snippets",
    "proxy",
    "params",
    "ssl",
    "www",
    "com",
    "org",
    "net",
];

/// The distinctive words of a path below `root`: its components split at every character
/// that is not a letter or a digit, lower-cased, without the [`COMMON_WORDS`] and single
/// characters.
fn path_words(root: &Path, path: &Path) -> Vec<String> {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let mut words: Vec<String> = rel
        .to_string_lossy()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 2)
        .map(str::to_lowercase)
        .filter(|w| !COMMON_WORDS.contains(&w.as_str()))
        .collect();
    words.sort_unstable();
    words.dedup();
    words
}

/// A file that the directories gave to several stacks (one directory holding several Odoo
/// configurations, or a file no stack's directory holds) goes only to the stacks whose Odoo
/// configuration shares the most distinctive words with it: `client1-nginx.conf` beside
/// `client1-odoo.conf` and `client2-odoo.conf` is client1's, `limits-prod.conf` the prod
/// stack's. A file that shares none with any of them (`nginx.conf`, `limits.conf`) stays
/// shared by all: a proxy serving several instances, a host's limits.
fn share_by_name(walk_root: &Path, found: &[Found], stacks: &mut [StackFiles]) {
    if stacks.len() < 2 {
        return;
    }
    // (a fleet's stacks share nothing: counted first, in one pass)
    let mut count = vec![0u32; found.len()];
    for s in stacks.iter() {
        for &f in s.files.iter().skip(1) {
            count[f] += 1;
        }
    }
    if count.iter().all(|&c| c < 2) {
        return;
    }
    let mut holders: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (si, s) in stacks.iter().enumerate() {
        for &f in s.files.iter().skip(1).filter(|&&f| count[f] > 1) {
            holders.entry(f).or_default().push(si);
        }
    }
    // the words of each stack's Odoo configuration (its first file)
    let words: Vec<Vec<String>> =
        stacks.iter().map(|s| s.files.first().map(|&o| path_words(walk_root, &found[o].path)).unwrap_or_default()).collect();
    let mut drop: Vec<(usize, usize)> = Vec::new();
    for (file, held) in holders {
        let mine = path_words(walk_root, &found[file].path);
        if mine.is_empty() {
            continue;
        }
        // words every candidate has do not tell them apart
        let distinctive = |w: &String| !held.iter().all(|&si| words[si].binary_search(w).is_ok());
        let score = |si: usize| mine.iter().filter(|w| distinctive(w) && words[si].binary_search(w).is_ok()).count();
        let best = held.iter().map(|&si| score(si)).max().unwrap_or(0);
        if best == 0 {
            continue;
        }
        drop.extend(held.iter().filter(|&&si| score(si) < best).map(|&si| (si, file)));
    }
    for (si, file) in drop {
        stacks[si].files.retain(|&f| f != file);
    }
}

/// The run of `sorted` (in `Path` order, which compares components) that lies under `dir`:
/// the paths under a directory follow it in one run, found by binary search.
fn run_under<T>(sorted: &[T], dir: &Path, path: impl Fn(&T) -> &Path) -> std::ops::Range<usize> {
    let start = sorted.partition_point(|x| path(x) < dir);
    start..start + sorted[start..].partition_point(|x| path(x).starts_with(dir))
}

/// [`group`] by directories alone: the stacks of the Odoo configurations, and the files
/// none of their directories holds.
fn group_by_directory(walk_root: &Path, found: &[Found], label: &str) -> (Vec<StackFiles>, Vec<usize>) {
    let mut odoo_dirs: Vec<&Path> =
        found.iter().filter(|f| f.kind == FileKind::OdooConf).map(|f| f.path.parent().unwrap_or(Path::new(""))).collect();
    odoo_dirs.sort_unstable();
    let under = |dir: &Path| run_under(&odoo_dirs, dir, |d| d).len();
    // For every Odoo configuration, widen its directory while the wider directory holds no
    // Odoo configuration outside the narrower one.
    let mut roots: BTreeMap<PathBuf, Vec<usize>> = BTreeMap::new();
    for (i, f) in found.iter().enumerate() {
        if f.kind != FileKind::OdooConf {
            continue;
        }
        let mut root = f.path.parent().unwrap_or(Path::new(""));
        while root != walk_root && root.starts_with(walk_root) {
            let Some(parent) = root.parent() else { break };
            let crowded = under(parent) > under(root);
            if crowded {
                break;
            }
            root = parent;
        }
        roots.entry(root.to_path_buf()).or_default().push(i);
    }
    // The other files: the deepest root holding each one takes it.
    let index: std::collections::HashMap<&Path, usize> = roots.keys().enumerate().map(|(i, r)| (r.as_path(), i)).collect();
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); roots.len()];
    for (i, f) in found.iter().enumerate() {
        if f.kind == FileKind::OdooConf {
            continue;
        }
        if let Some(&root) = f.path.ancestors().find_map(|a| index.get(a)) {
            members[root].push(i);
        }
    }
    // Each Odoo configuration makes a stack with the other files under its root.
    let mut stacks: Vec<StackFiles> = Vec::new();
    let mut claimed = vec![false; found.len()];
    for ((root, odoo_files), members) in roots.iter().zip(&members) {
        for &m in members {
            claimed[m] = true;
        }
        for &o in odoo_files {
            claimed[o] = true;
            let mut files = vec![o];
            files.extend(members.iter().copied());
            let rel = root.strip_prefix(walk_root).unwrap_or(root);
            let mut name = if rel.as_os_str().is_empty() { label.to_string() } else { join_label(label, rel) };
            if odoo_files.len() > 1 {
                let file_name = found[o].path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                name = format!("{name} ({file_name})");
            }
            stacks.push(StackFiles { name, root: Some(root.clone()), files });
        }
    }
    let unclaimed: Vec<usize> = (0..found.len()).filter(|&i| !claimed[i]).collect();
    (stacks, unclaimed)
}

/// Places the files no Odoo configuration's directory holds.
///
/// - With no Odoo configuration at all, they make one stack.
/// - A compose project in a directory that holds no stack (`monitoring/docker-compose.yml`
///   beside `prod/` and `staging/`) is a stack of its own, with the other such files under
///   its directory (its `.env`, its proxy's configuration).
/// - Any other file belongs to the stacks beside it: those under the nearest directory above
///   it that holds any (`nginx/shared.conf` is for the stacks of the repository it sits in,
///   not for every stack under the directory checked).
fn place_unclaimed(walk_root: &Path, found: &[Found], stacks: &mut Vec<StackFiles>, unclaimed: Vec<usize>, label: &str) {
    if unclaimed.is_empty() {
        return;
    }
    if stacks.is_empty() {
        stacks.push(StackFiles { name: label.to_string(), root: Some(walk_root.to_path_buf()), files: unclaimed });
        return;
    }
    let mut roots: Vec<(PathBuf, usize)> =
        stacks.iter().enumerate().filter_map(|(i, s)| s.root.clone().map(|r| (r, i))).collect();
    roots.sort();
    let under = |dir: &Path| run_under(&roots, dir, |(r, _)| r.as_path());
    let mut anchors: BTreeMap<PathBuf, Vec<usize>> = BTreeMap::new();
    for &i in &unclaimed {
        let dir = found[i].path.parent().unwrap_or(Path::new(""));
        if found[i].kind == FileKind::Compose && under(dir).is_empty() {
            anchors.entry(dir.to_path_buf()).or_default();
        }
    }
    let mut rest = Vec::new();
    for &i in &unclaimed {
        match found[i].path.ancestors().skip(1).find(|a| anchors.contains_key(*a)).and_then(|a| anchors.get_mut(a)) {
            Some(files) => files.push(i),
            None => rest.push(i),
        }
    }
    for (dir, files) in anchors {
        let rel = dir.strip_prefix(walk_root).unwrap_or(&dir);
        let name = if rel.as_os_str().is_empty() { label.to_string() } else { join_label(label, rel) };
        stacks.push(StackFiles { name, root: Some(dir), files });
    }
    for i in rest {
        let beside = found[i].path.ancestors().skip(1).map(under).find(|r| !r.is_empty());
        match beside {
            Some(range) => {
                for (_, s) in &roots[range] {
                    stacks[*s].files.push(i);
                }
            }
            None => {
                for s in &mut stacks[..roots.len()] {
                    s.files.push(i);
                }
            }
        }
    }
}

fn join_label(label: &str, rel: &Path) -> String {
    let rel = rel.to_string_lossy().replace('\\', "/");
    if label == "." || label.is_empty() { rel } else { format!("{}/{rel}", label.trim_end_matches('/')) }
}

/// The live configuration of an Odoo server, as `check --system` reads it, under `root` (`/`
/// on the server itself, a copied tree with `--root`): Odoo's configuration
/// (`/etc/odoo/*.conf`, `/etc/odoo*.conf` such as `/etc/odoo-server.conf`), nginx's main file
/// (its includes, `sites-enabled/` among them, are followed from it) and the sites and
/// `conf.d` files it may not include, each cluster's `postgresql.conf` under
/// `/etc/postgresql/*/main/` (its `include_dir` is followed from it), pam_limits'
/// `limits.conf` and `limits.d/*.conf`, and the systemd units of Odoo, nginx and PostgreSQL
/// with their drop-ins, from `/etc/systemd/system` and `/lib/systemd/system` (and
/// `/usr/lib/systemd/system`). Paths that do not exist are left out. Each path comes with
/// its kind, known from where it lives (a file in `conf.d/` need not look like nginx).
pub fn system_paths(root: &Path) -> Vec<(PathBuf, FileKind)> {
    let mut out: Vec<(PathBuf, FileKind)> = Vec::new();
    let mut add = |p: PathBuf, k: FileKind| {
        if p.is_file() && !out.iter().any(|(q, _)| *q == p) {
            out.push((p, k));
        }
    };
    let etc = root.join("etc");
    for p in list(&etc.join("odoo")) {
        if p.extension().is_some_and(|e| e == "conf" || e == "cfg") {
            add(p, FileKind::OdooConf);
        }
    }
    for p in list(&etc) {
        let name = p.file_name().map(|n| n.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
        if (name.starts_with("odoo") || name.starts_with("openerp")) && name.ends_with(".conf") {
            add(p, FileKind::OdooConf);
        }
    }
    add(etc.join("nginx/nginx.conf"), FileKind::Nginx);
    for dir in ["nginx/sites-enabled", "nginx/conf.d"] {
        for p in list(&etc.join(dir)) {
            if dir.ends_with("sites-enabled") || p.extension().is_some_and(|e| e == "conf") {
                add(p, FileKind::Nginx);
            }
        }
    }
    for version in list(&etc.join("postgresql")) {
        add(version.join("main/postgresql.conf"), FileKind::Postgresql);
    }
    add(etc.join("security/limits.conf"), FileKind::Limits);
    for p in list(&etc.join("security/limits.d")) {
        if p.extension().is_some_and(|e| e == "conf") {
            add(p, FileKind::Limits);
        }
    }
    for dir in ["etc/systemd/system", "lib/systemd/system", "usr/lib/systemd/system"] {
        let dir = root.join(dir);
        for p in list(&dir) {
            let name = p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            if let Some(unit) = name.strip_suffix(".d")
                && unit.ends_with(".service")
                && is_stack_unit(&dir.join(unit), unit)
            {
                for d in list(&p) {
                    if d.extension().is_some_and(|e| e == "conf") {
                        add(d, FileKind::Systemd);
                    }
                }
            } else if name.ends_with(".service") && is_stack_unit(&p, &name) {
                add(p, FileKind::Systemd);
            }
        }
    }
    out
}

/// Whether a unit is one of the stack's: named after Odoo, nginx or PostgreSQL, or (under
/// any name) starting Odoo.
fn is_stack_unit(path: &Path, name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    if ["odoo", "openerp", "nginx", "postgresql"].iter().any(|p| lower.starts_with(p)) {
        return true;
    }
    crate::source::read_file(path).ok().filter(|b| b.len() < 256 * 1024).is_some_and(|b| {
        let t = String::from_utf8_lossy(&b).to_ascii_lowercase();
        t.lines().any(|l| l.trim_start().starts_with("execstart") && (l.contains("odoo") || l.contains("openerp")))
    })
}

/// Whether `root` looks like an Odoo server: an Odoo configuration at one of the paths
/// packages and install scripts use.
pub fn is_odoo_server(root: &Path) -> bool {
    let etc = root.join("etc");
    list(&etc.join("odoo")).iter().any(|p| p.extension().is_some_and(|e| e == "conf"))
        || list(&etc).iter().any(|p| {
            let name = p.file_name().map(|n| n.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
            (name.starts_with("odoo") || name.starts_with("openerp")) && name.ends_with(".conf") && p.is_file()
        })
}

/// The entries of a directory, sorted; nothing when it cannot be read.
fn list(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> =
        std::fs::read_dir(dir).map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect()).unwrap_or_default();
    v.sort();
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(name: &str, text: &str) -> Option<FileKind> {
        sniff(Path::new(name), text)
    }

    #[test]
    fn sniffs_by_content_over_name() {
        assert_eq!(
            kind("nginx/conf.d/odoo.conf", "server {\n listen 80;\n location / { proxy_pass http://odoo:8069; }\n}\n"),
            Some(FileKind::Nginx)
        );
        assert_eq!(kind("config/odoo.conf", "[options]\naddons_path = /mnt\n"), Some(FileKind::OdooConf));
        assert_eq!(kind("conf.d/20-database.conf", "[options]\ndb_host = db\n"), Some(FileKind::OdooConf));
        assert_eq!(kind("etc/odoo-server.conf", "[options]\n"), Some(FileKind::OdooConf));
        assert_eq!(kind("sites-available/odoo", "upstream odoo {\n server 127.0.0.1:8069;\n}\n"), Some(FileKind::Nginx));
        assert_eq!(kind("postgresql.conf", "max_connections = 100\nshared_buffers = 128MB\n"), Some(FileKind::Postgresql));
        assert_eq!(
            kind("odoo.service", "[Unit]\nDescription=Odoo\n[Service]\nExecStart=/usr/bin/odoo\n"),
            Some(FileKind::Systemd)
        );
        assert_eq!(kind("limits.conf", "odoo soft nofile 65536\n"), Some(FileKind::Limits));
        assert_eq!(kind("docker-compose.yml", "services:\n  odoo:\n    image: odoo:17\n"), Some(FileKind::Compose));
        assert_eq!(kind("random.yml", "steps:\n  - run: x\n"), None);
        assert_eq!(kind("notes.conf", "hello world\n"), None);
    }

    #[test]
    fn a_missing_path_suggests_its_neighbour() {
        let d = tempfile::tempdir().unwrap();
        std::fs::write(d.path().join("odoo.conf"), "[options]\n").unwrap();
        let e = DiscoverError::NotFound(d.path().join("odoo.cnf")).to_string();
        assert!(e.ends_with(&format!("did you mean {}?", d.path().join("odoo.conf").display())), "{e}");
        let e = DiscoverError::NotFound(d.path().join("nothing/like/it")).to_string();
        assert!(e.ends_with("no such file or directory"), "{e}");
    }

    #[test]
    fn candidate_names() {
        assert!(is_candidate_name(Path::new("a/odoo.conf")));
        assert!(is_candidate_name(Path::new("a/.odoorc")));
        assert!(is_candidate_name(Path::new("a/sites-enabled/odoo")));
        assert!(is_candidate_name(Path::new("a/odoo.conf.example")));
        assert!(is_candidate_name(Path::new("a/docker-compose.yml")));
        assert!(!is_candidate_name(Path::new("a/README.md")));
        assert!(!is_candidate_name(Path::new("a/sites-enabled/README.md")));
        assert!(!is_candidate_name(Path::new("a/script.sh")));
    }

    #[test]
    fn requirement_lines_name_addons() {
        assert_eq!(addon_of_requirement("odoo-addon-queue_job==17.0.1.2.0").as_deref(), Some("queue_job"));
        assert_eq!(addon_of_requirement("odoo14-addon-queue-job>=14.0").as_deref(), Some("queue_job"));
        assert_eq!(
            addon_of_requirement("git+https://github.com/OCA/queue@16.0#subdirectory=setup/queue_job").as_deref(),
            Some("queue_job")
        );
        assert_eq!(addon_of_requirement("requests==2.31"), None);
        assert_eq!(addon_of_requirement("# odoo-addon-queue_job"), None);
        assert_eq!(manifest_version("{'name': 'Job Queue', 'version': '17.0.1.2.0',}").as_deref(), Some("17.0.1.2.0"));
        assert_eq!(manifest_version("{\"version\" : \"16.0.1.0.0\"}").as_deref(), Some("16.0.1.0.0"));
    }

    fn f(path: &str, kind: FileKind) -> Found {
        Found { path: PathBuf::from(path), kind, bytes: Vec::new() }
    }

    #[test]
    fn groups_a_single_repo_stack() {
        let found = vec![
            f("/r/config/odoo.conf", FileKind::OdooConf),
            f("/r/docker-compose.yml", FileKind::Compose),
            f("/r/nginx/odoo.conf", FileKind::Nginx),
        ];
        let stacks = group(Path::new("/r"), &found, "r");
        assert_eq!(stacks.len(), 1);
        assert_eq!(stacks[0].root.as_deref(), Some(Path::new("/r")));
        assert_eq!(stacks[0].files, vec![0, 1, 2]);
    }

    #[test]
    fn groups_environments_and_shares_the_rest() {
        let found = vec![
            f("/r/envs/prod/odoo.conf", FileKind::OdooConf),
            f("/r/envs/prod/nginx.conf", FileKind::Nginx),
            f("/r/envs/staging/odoo.conf", FileKind::OdooConf),
            f("/r/envs/staging/nginx/site", FileKind::Nginx),
            f("/r/limits.conf", FileKind::Limits),
        ];
        let stacks = group(Path::new("/r"), &found, ".");
        assert_eq!(stacks.len(), 2);
        assert_eq!(stacks[0].name, "envs/prod");
        assert_eq!(stacks[0].files, vec![0, 1, 4]);
        assert_eq!(stacks[1].name, "envs/staging");
        assert_eq!(stacks[1].files, vec![2, 3, 4]);
    }

    #[test]
    fn files_several_stacks_could_hold_go_by_their_names() {
        let found = vec![
            f("/r/client1-nginx.conf", FileKind::Nginx),
            f("/r/client1-odoo.conf", FileKind::OdooConf),
            f("/r/client2-nginx.conf", FileKind::Nginx),
            f("/r/client2-odoo.conf", FileKind::OdooConf),
            f("/r/limits.conf", FileKind::Limits),
            f("/r/nginx/sites-enabled/client2.example.com", FileKind::Nginx),
            f("/r/postgresql.conf", FileKind::Postgresql),
        ];
        let stacks = group(Path::new("/r"), &found, ".");
        let names = |s: &StackFiles| s.files.iter().map(|&i| found[i].path.display().to_string()).collect::<Vec<_>>();
        assert_eq!(names(&stacks[0]), ["/r/client1-odoo.conf", "/r/client1-nginx.conf", "/r/limits.conf", "/r/postgresql.conf"]);
        assert_eq!(
            names(&stacks[1]),
            [
                "/r/client2-odoo.conf",
                "/r/client2-nginx.conf",
                "/r/limits.conf",
                "/r/nginx/sites-enabled/client2.example.com",
                "/r/postgresql.conf"
            ]
        );
        // environments: a shared file named for one of them is that one's; words all the
        // stacks share (`envs`) tell nothing
        let found = vec![
            f("/r/envs/prod/odoo.conf", FileKind::OdooConf),
            f("/r/envs/staging/odoo.conf", FileKind::OdooConf),
            f("/r/envs/limits-prod.conf", FileKind::Limits),
            f("/r/envs/nginx.conf", FileKind::Nginx),
        ];
        let stacks = group(Path::new("/r"), &found, ".");
        let names = |s: &StackFiles| s.files.iter().map(|&i| found[i].path.display().to_string()).collect::<Vec<_>>();
        assert_eq!(names(&stacks[0]), ["/r/envs/prod/odoo.conf", "/r/envs/limits-prod.conf", "/r/envs/nginx.conf"]);
        assert_eq!(names(&stacks[1]), ["/r/envs/staging/odoo.conf", "/r/envs/nginx.conf"]);
    }

    #[test]
    fn unclaimed_files_stay_beside_their_stacks() {
        let found = vec![
            f("/r/infra/docker-compose.yml", FileKind::Compose),
            f("/r/infra/nginx/shared.conf", FileKind::Nginx),
            f("/r/infra/prod/odoo.conf", FileKind::OdooConf),
            f("/r/infra/staging/odoo.conf", FileKind::OdooConf),
            f("/r/monitoring/.env", FileKind::DotEnv),
            f("/r/monitoring/docker-compose.yml", FileKind::Compose),
            f("/r/other/odoo.conf", FileKind::OdooConf),
        ];
        let stacks = group(Path::new("/r"), &found, ".");
        let view: Vec<(String, Vec<usize>)> = stacks.iter().map(|s| (s.name.clone(), s.files.clone())).collect();
        assert_eq!(
            view,
            [
                // the compose file above both environments and the shared site are theirs
                ("infra/prod".to_string(), vec![2, 0, 1]),
                ("infra/staging".to_string(), vec![3, 0, 1]),
                // not the other repository's
                ("other".to_string(), vec![6]),
                // a compose project beside no stack is one
                ("monitoring".to_string(), vec![4, 5]),
            ]
        );
    }

    #[test]
    fn system_paths_of_a_copied_server() {
        let d = tempfile::tempdir().unwrap();
        let r = d.path();
        let put = |p: &str, text: &str| {
            let p = r.join(p);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        };
        put("etc/odoo/odoo.conf", "[options]\n");
        put("etc/odoo-server.conf", "[options]\n");
        put("etc/nginx/nginx.conf", "events {}\n");
        put("etc/nginx/sites-enabled/odoo", "server {}\n");
        put("etc/nginx/conf.d/README", "x\n");
        put("etc/postgresql/15/main/postgresql.conf", "max_connections = 100\n");
        put("etc/security/limits.d/odoo.conf", "odoo soft nofile 65536\n");
        put("etc/systemd/system/erp.service", "[Service]\nExecStart=/opt/odoo/odoo-bin -c /etc/odoo/odoo.conf\n");
        put("etc/systemd/system/erp.service.d/limits.conf", "[Service]\nLimitNOFILE=65536\n");
        put("etc/systemd/system/cron.service", "[Service]\nExecStart=/usr/sbin/cron\n");
        put("lib/systemd/system/postgresql@.service", "[Service]\n");
        put("lib/systemd/system/ssh.service", "[Service]\n");
        let found: Vec<String> =
            system_paths(r).iter().map(|(p, _)| p.strip_prefix(r).unwrap().to_string_lossy().into_owned()).collect();
        assert_eq!(
            found,
            [
                "etc/odoo/odoo.conf",
                "etc/odoo-server.conf",
                "etc/nginx/nginx.conf",
                "etc/nginx/sites-enabled/odoo",
                "etc/postgresql/15/main/postgresql.conf",
                "etc/security/limits.d/odoo.conf",
                "etc/systemd/system/erp.service",
                "etc/systemd/system/erp.service.d/limits.conf",
                "lib/systemd/system/postgresql@.service",
            ]
        );
        assert!(is_odoo_server(r));
        assert!(!is_odoo_server(&r.join("etc/nginx")));
    }

    #[test]
    fn files_without_odoo_form_one_stack() {
        let found = vec![f("/r/a.conf", FileKind::Nginx), f("/r/b/c.conf", FileKind::Nginx)];
        let stacks = group(Path::new("/r"), &found, "r");
        assert_eq!(stacks.len(), 1);
        assert_eq!(stacks[0].files, vec![0, 1]);
    }

    /// The grouping as first written (quadratic in the number of files), the reference the
    /// near-linear [`group`] must agree with.
    fn group_naive(walk_root: &Path, found: &[Found], label: &str) -> (Vec<StackFiles>, Vec<usize>) {
        let odoo_dirs: Vec<PathBuf> = found
            .iter()
            .filter(|f| f.kind == FileKind::OdooConf)
            .map(|f| f.path.parent().unwrap_or(Path::new("")).to_path_buf())
            .collect();
        let mut roots: BTreeMap<PathBuf, Vec<usize>> = BTreeMap::new();
        for (i, f) in found.iter().enumerate() {
            if f.kind != FileKind::OdooConf {
                continue;
            }
            let mut root = f.path.parent().unwrap_or(Path::new("")).to_path_buf();
            while root != walk_root && root.starts_with(walk_root) {
                let Some(parent) = root.parent() else { break };
                if odoo_dirs.iter().any(|d| d.starts_with(parent) && !d.starts_with(&root)) {
                    break;
                }
                root = parent.to_path_buf();
            }
            roots.entry(root).or_default().push(i);
        }
        let mut stacks: Vec<StackFiles> = Vec::new();
        let mut claimed = vec![false; found.len()];
        let root_list: Vec<&PathBuf> = roots.keys().collect();
        for (root, odoo_files) in &roots {
            let members: Vec<usize> = found
                .iter()
                .enumerate()
                .filter(|(_, f)| f.kind != FileKind::OdooConf && f.path.starts_with(root))
                .filter(|(_, f)| !root_list.iter().any(|r| *r != root && r.starts_with(root) && f.path.starts_with(r)))
                .map(|(i, _)| i)
                .collect();
            for &m in &members {
                claimed[m] = true;
            }
            for &o in odoo_files {
                claimed[o] = true;
                let mut files = vec![o];
                files.extend(members.iter().copied());
                let rel = root.strip_prefix(walk_root).unwrap_or(root);
                let mut name = if rel.as_os_str().is_empty() { label.to_string() } else { join_label(label, rel) };
                if odoo_files.len() > 1 {
                    let file_name = found[o].path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                    name = format!("{name} ({file_name})");
                }
                stacks.push(StackFiles { name, root: Some(root.clone()), files });
            }
        }
        let unclaimed: Vec<usize> = (0..found.len()).filter(|&i| !claimed[i]).collect();
        (stacks, unclaimed)
    }

    proptest::proptest! {
        /// Random trees (nested directories with few names, so prefixes such as `a` and `ab`
        /// and Odoo configurations at several depths meet): the same stacks as the reference.
        #[test]
        fn grouping_agrees_with_the_reference(
            files in proptest::collection::vec(
                (proptest::collection::vec(proptest::sample::select(vec!["a", "ab", "b", "a.b", "env"]), 0..4),
                 proptest::sample::select(vec!["odoo.conf", "nginx.conf", "pg.conf"])),
                0..24),
            relative in proptest::bool::ANY,
        ) {
            let root = if relative { PathBuf::from("r") } else { PathBuf::from("/r") };
            let mut found: Vec<Found> = files
                .iter()
                .map(|(dirs, name)| {
                    let mut p = root.clone();
                    p.extend(dirs);
                    p.push(name);
                    let kind = match *name {
                        "odoo.conf" => FileKind::OdooConf,
                        "nginx.conf" => FileKind::Nginx,
                        _ => FileKind::Postgresql,
                    };
                    f(&p.to_string_lossy(), kind)
                })
                .collect();
            found.sort_by(|a, b| a.path.cmp(&b.path));
            found.dedup_by(|a, b| a.path == b.path);
            let fast = group_by_directory(&root, &found, "r");
            let naive = group_naive(&root, &found, "r");
            let view = |(s, u): &(Vec<StackFiles>, Vec<usize>)| {
                (s.iter().map(|s| (s.name.clone(), s.root.clone(), s.files.clone())).collect::<Vec<_>>(), u.clone())
            };
            proptest::prop_assert_eq!(view(&fast), view(&naive));
        }
    }

    /// The listing on every core and the one in order agree, entry for entry: nested and
    /// sibling directories whose names sort differently as paths and as strings (`a` and
    /// `a-b`, `a.b`), skipped directories, ignored files, symlinks.
    #[test]
    fn parallel_listing_is_the_ordered_one() {
        let tmp = tempfile::tempdir().unwrap();
        let t = tmp.path();
        for d in ["a", "a-b", "a.b", "a/b", "a/b/c", "b", "node_modules/x", ".git", "z0", "z1", "z2", "z3", "z4", "z5"] {
            std::fs::create_dir_all(t.join(d)).unwrap();
        }
        for f in [
            "a/odoo.conf",
            "a-b/x.conf",
            "a.b/y.conf",
            "a/b/c/z.conf",
            "b/w.conf",
            "node_modules/x/n.conf",
            "z3/q.conf",
            "top.conf",
        ] {
            std::fs::write(t.join(f), "x").unwrap();
        }
        std::fs::write(t.join(".ignore"), "z3/\n").unwrap();
        std::os::unix::fs::symlink(t.join("a/odoo.conf"), t.join("b/link.conf")).unwrap();
        let builder = || {
            let mut b = ignore::WalkBuilder::new(t);
            b.hidden(false).git_global(false).follow_links(false);
            b
        };
        let show = |entries: Vec<Entry>| -> Vec<String> {
            entries
                .into_iter()
                .map(|e| match e {
                    Entry::File { path, symlink } => format!("{} {symlink}", path.display()),
                    Entry::Error(e) => e.to_string(),
                })
                .collect()
        };
        let ordered = show(list_sequential(builder(), t));
        assert!(
            ordered.iter().any(|p| p.contains("a/b/c/z.conf")) && !ordered.iter().any(|p| p.contains("z3/q.conf")),
            "{ordered:?}"
        );
        assert_eq!(show(list_parallel(&builder(), t)), ordered);
        assert!(is_wide(t));
        assert!(!is_wide(&t.join("a")));
    }
}

//! The PostgreSQL servers of a stack: each main postgresql.conf with what it reads (its
//! includes and postgresql.auto.conf, see [`PgConfig`]) and the command line of the unit that
//! starts it, every file mapped to its [`FileId`].
//!
//! Files are read through the run's files first (so a fix being checked is seen), then from
//! disk; an included file that discovery did not pick up joins the [`FileSet`] and the stack,
//! so that its errors are reported and fixes can edit it.
//!
//! Which file is a main one: every postgresql.conf-kind file of the stack that no other one
//! reads, those named `postgresql.conf` first. A stack may hold several (alternatives sized
//! for different hosts): each is checked; the first is the one whose memory counts against
//! the host budget. A `postgres` unit is attached to the configuration its `-c config_file=`
//! or `-D` names (or to the only one); a unit with no configuration in the stack makes a
//! server of its own, with PostgreSQL's defaults under its command line.

use crate::diagnostic::Edit;
use crate::files::{FileKind, FileSet};
use crate::formats::postgresql::{
    AutoConf, ConfigFs, EditLocation, FileRole, MemFs, Origin, PgConf, PgConfig, TypedValue, params, parse_command_line,
};
use crate::source::{FileId, SourceFile, Span, TextRange};
use crate::stack::system::System;
use crate::units::Bytes;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Where the files of a PostgreSQL configuration come from, and how new ones join the run.
pub trait Registry: ConfigFs {
    fn files(&self) -> &FileSet;
    /// The id of the file at `path` (canonical paths compared), adding it as a
    /// postgresql.conf-kind file with `bytes` when the run does not have it yet.
    fn register(&mut self, path: &Path, bytes: &[u8]) -> FileId;
}

/// The unit that starts a server.
#[derive(Clone, Debug)]
pub struct PgUnitLink {
    /// Index in [`System::units`].
    pub unit: usize,
    pub name: String,
    /// The file holding its `ExecStart=`, and the range of each argv word in it (the command
    /// line's word indexes point here).
    pub file: FileId,
    pub words: Vec<TextRange>,
}

/// One PostgreSQL server of a stack.
#[derive(Clone, Debug)]
pub struct PgModel {
    pub config: Arc<PgConfig>,
    /// The id of each of `config.files` (`None` for the empty stand-in of a server known only
    /// from its unit).
    pub ids: Vec<Option<FileId>>,
    pub unit: Option<PgUnitLink>,
}

/// PostgreSQL's memory that grows with connections: `shared_buffers` + `max_connections` ×
/// `work_mem` (each sort or hash step of a query may take `work_mem`; one per connection is
/// the usual floor of an estimate).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Share {
    pub shared_buffers: u64,
    pub max_connections: u64,
    pub work_mem: u64,
}

impl Share {
    pub fn total(&self) -> Bytes {
        Bytes(self.shared_buffers.saturating_add(self.max_connections.saturating_mul(self.work_mem)))
    }
    /// `shared_buffers 1 GiB + 100 connections × 4 MiB work_mem`.
    pub fn describe(&self) -> String {
        format!(
            "shared_buffers {} + {} connections × {} work_mem",
            Bytes(self.shared_buffers),
            self.max_connections,
            Bytes(self.work_mem)
        )
    }
}

impl PgModel {
    /// The main file's id, if the server has a file in the stack.
    pub fn main(&self) -> Option<FileId> {
        self.ids.first().copied().flatten()
    }

    /// The span of a value's origin: the `name = value` of a line, or the command-line word.
    pub fn span(&self, origin: &Origin<'_>) -> Option<Span> {
        match origin {
            Origin::File { file, setting } => {
                Some(Span::new((*self.ids.get(*file)?)?, setting.name.range.cover(setting.value.range)))
            }
            Origin::CommandLine(a) => {
                let u = self.unit.as_ref()?;
                let r = u.words.get(a.option_word)?.cover(*u.words.get(a.word)?);
                Some(Span::new(u.file, r))
            }
            Origin::Default => None,
        }
    }

    /// "PostgreSQL default", "set in postgresql.conf", "from `-c max_connections=50` in
    /// postgresql.service".
    pub fn origin_text(&self, fs: &FileSet, origin: &Origin<'_>) -> String {
        match origin {
            Origin::Default => "PostgreSQL default".to_string(),
            Origin::File { file, .. } => {
                let path = match self.ids.get(*file).copied().flatten() {
                    Some(id) => fs.source(id).path.clone(),
                    None => self.config.files[*file].source.path.clone(),
                };
                format!("set in {}", path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default())
            }
            Origin::CommandLine(a) => {
                let unit = self.unit.as_ref().map(|u| u.name.as_str()).unwrap_or("its command line");
                format!("from `-c {}={}` in {unit}", a.name, a.value)
            }
        }
    }

    /// A memory parameter in bytes with its origin (`-1` stays -1); `None` when its value is
    /// refused (rule OL005 says so).
    pub fn bytes(&self, name: &str) -> Option<(i64, Origin<'_>)> {
        self.config.memory_bytes(name)?.ok().map(|e| (e.value, e.origin))
    }

    /// An integer parameter in its own unit, with its origin.
    pub fn int(&self, name: &str) -> Option<(i64, Origin<'_>)> {
        self.config.int(name)?.ok().map(|e| (e.value, e.origin))
    }

    /// A time parameter in milliseconds, with its origin.
    pub fn millis(&self, name: &str) -> Option<(i64, Origin<'_>)> {
        self.config.time_ms(name)?.ok().map(|e| (e.value, e.origin))
    }

    /// A text parameter, with its origin.
    pub fn string(&self, name: &str) -> Option<(String, Origin<'_>)> {
        self.config.string(name)?.ok().map(|e| (e.value, e.origin))
    }

    /// "`max_connections` is 100 (PostgreSQL default)"; memory in binary units.
    pub fn describe(&self, fs: &FileSet, name: &str) -> String {
        let Some(Ok(e)) = self.config.typed(name) else { return format!("`{name}` is unreadable") };
        let shown = match (self.bytes(name), &e.value) {
            (Some((b, _)), _) if b >= 0 => Bytes(b as u64).to_string(),
            (_, TypedValue::Integer(i)) if params::lookup(name).and_then(|d| d.unit).is_some() => {
                self.millis(name).filter(|(ms, _)| *ms >= 0).map(|(ms, _)| format!("{ms} ms")).unwrap_or_else(|| i.to_string())
            }
            (_, v) => v.display(),
        };
        let shown = if shown.is_empty() { "''".to_string() } else { shown };
        format!("`{name}` is {shown} ({})", self.origin_text(fs, &e.origin))
    }

    /// Where to point for `name`: its line (or command-line word) with an empty label, else
    /// the commented-out sample line for it, else the start of the main file, else the unit,
    /// with a label saying it is not set.
    pub fn place(&self, fs: &FileSet, name: &str) -> Option<(Span, String)> {
        if let Some(p) = self.config.param(name)
            && let Some(span) = self.span(&p.winner)
        {
            return Some((span, String::new()));
        }
        let label = format!("`{name}` not set: {}", self.describe(fs, name).trim_start_matches(&format!("`{name}` is ")));
        let key = params::canonical_key(name);
        for (i, f) in self.config.files.iter().enumerate().rev() {
            if f.role == FileRole::AutoConf {
                continue;
            }
            if let Some(c) = f.conf.commented().filter(|c| c.setting.name.key == key).last()
                && let Some(id) = self.ids.get(i).copied().flatten()
            {
                return Some((Span::new(id, c.setting.line_range), label));
            }
        }
        if let Some(main) = self.main() {
            return Some((Span::new(main, TextRange::empty(0)), label));
        }
        let u = self.unit.as_ref()?;
        let range = u.words.first()?.cover(*u.words.last()?);
        Some((Span::new(u.file, range), label))
    }

    /// The edit that sets `name` to `value` (as PostgreSQL should read it: `2GB`, `1000`):
    /// in the value of the line that wins, else by uncommenting the sample line, else on a new
    /// line at the end of the main file. `Err` says why no file edit can do it (a command-line
    /// option wins, or the value lives in postgresql.auto.conf, which ALTER SYSTEM owns).
    pub fn set_edit(&self, name: &str, value: &str) -> Result<Edit, String> {
        let loc = self.config.edit_location(name);
        if let EditLocation::CommandLine(a) = loc {
            let unit = self.unit.as_ref().map(|u| u.name.as_str()).unwrap_or("the server's command line");
            return Err(format!("`-c {}={}` in {unit} overrides every file: set `{name}` there", a.name, a.value));
        }
        let file = loc.file().ok_or_else(|| "no file to edit".to_string())?;
        if self.config.files[file].role == FileRole::AutoConf {
            return Err(format!(
                "`{name}` is set in postgresql.auto.conf, which ALTER SYSTEM writes: run `ALTER SYSTEM SET {name} = '{value}';` and restart PostgreSQL"
            ));
        }
        let id = self.ids.get(file).copied().flatten().ok_or_else(|| match &self.unit {
            // a compose service running the image's own configuration
            Some(u) if u.unit == usize::MAX => format!("add `-c {name}={value}` to the `command` of {}", u.name),
            _ => "PostgreSQL's configuration is not in the stack".to_string(),
        })?;
        let edit = loc.edit(&self.config.files[file].source, name, value).ok_or_else(|| "no file to edit".to_string())?;
        Ok(Edit::replace(id, edit.range, edit.text))
    }

    /// `shared_buffers` + `max_connections` × `work_mem`, when all three are readable.
    pub fn share(&self) -> Option<Share> {
        let (sb, _) = self.bytes("shared_buffers")?;
        let (mc, _) = self.int("max_connections")?;
        let (wm, _) = self.bytes("work_mem")?;
        Some(Share { shared_buffers: sb.max(0) as u64, max_connections: mc.max(0) as u64, work_mem: wm.max(0) as u64 })
    }

    /// The port it listens on (5432 by default).
    pub fn port(&self) -> Option<(i64, Origin<'_>)> {
        self.int("port")
    }

    /// The files of this configuration that are in the stack.
    pub fn file_ids(&self) -> impl Iterator<Item = FileId> + '_ {
        self.ids.iter().copied().flatten()
    }

    /// The id of `config.files[i]`.
    pub fn id(&self, i: usize) -> Option<FileId> {
        self.ids.get(i).copied().flatten()
    }
}

/// Reads the PostgreSQL configurations of a stack (see the module documentation), adding the
/// files they read to `stack_files`.
pub fn build<R: Registry>(reg: &mut R, stack_files: &mut Vec<FileId>, system: &System) -> Vec<PgModel> {
    let mut mains: Vec<FileId> =
        stack_files.iter().copied().filter(|&f| reg.files().get(f).kind == FileKind::Postgresql).collect();
    let name_of =
        |fs: &FileSet, f: FileId| fs.source(f).path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    mains.sort_by_key(|&f| {
        let name = name_of(reg.files(), f);
        (name != "postgresql.conf", name.ends_with("postgresql.auto.conf"), reg.files().source(f).path.components().count())
    });
    let mut units: Vec<(usize, PgUnitLink, crate::formats::postgresql::CommandLine)> = system
        .postgres_units()
        .map(|(i, u, p)| {
            let link =
                PgUnitLink { unit: i, name: u.name.clone(), file: p.file, words: p.argv.iter().map(|(_, r)| *r).collect() };
            (i, link, parse_command_line(&p.words()))
        })
        .collect();
    let lone_main = mains.len() == 1;
    let mut covered: Vec<FileId> = Vec::new();
    let mut out = Vec::new();
    for main in mains {
        if covered.contains(&main) {
            continue;
        }
        let src = reg.files().source(main);
        let path = src.path.clone();
        let source = SourceFile::new(path.clone(), src.bytes.clone());
        let auto =
            if name_of(reg.files(), main).ends_with("postgresql.auto.conf") { AutoConf::None } else { AutoConf::DataDirectory };
        let mut config = PgConfig::from_source(source, &*reg, auto);
        let unit_at =
            units.iter().position(|(_, _, cl)| names_config(cl, &path)).or((lone_main && units.len() == 1).then_some(0));
        let mut unit = None;
        if let Some(at) = unit_at {
            let (_, link, cl) = units.remove(at);
            config = config.with_command_line(cl);
            unit = Some(link);
        }
        let files: Vec<(PathBuf, Vec<u8>)> =
            config.files.iter().map(|f| (f.source.path.clone(), f.source.bytes.clone())).collect();
        let mut ids = Vec::new();
        for (p, bytes) in files {
            let id = reg.register(&p, &bytes);
            if !stack_files.contains(&id) {
                stack_files.push(id);
            }
            covered.push(id);
            ids.push(Some(id));
        }
        out.push(PgModel { config: Arc::new(config), ids, unit });
    }
    // Servers known only from their unit: PostgreSQL's defaults under the command line.
    for (_, link, cl) in units {
        let empty = SourceFile::new(PathBuf::from(format!("({} has no postgresql.conf in the stack)", link.name)), Vec::new());
        let config = PgConfig::from_source(empty, &MemFs::new(), AutoConf::None).with_command_line(cl);
        out.push(PgModel { config: Arc::new(config), ids: vec![None], unit: Some(link) });
    }
    out
}

/// The memory PostgreSQL takes from the Odoo budget: the first server's [`Share`], when the
/// budget is the host's (not a cgroup limit of the Odoo service alone, which PostgreSQL, a
/// separate service, is outside of). Containers are not modelled yet: a compose stack whose
/// Odoo container has its own memory limit will leave PostgreSQL out the same way.
pub fn host_share(models: &[PgModel], host: &crate::host::HostFacts) -> Option<Bytes> {
    if host.memory.as_ref().is_some_and(|m| matches!(m.origin, crate::host::FactOrigin::Unit(_))) {
        return None;
    }
    models.first()?.share().map(|s| s.total())
}

/// Whether a command line names this postgresql.conf: `-c config_file=…` with its file name
/// and folder, or `-D DIR` with the folder the file is in.
fn names_config(cl: &crate::formats::postgresql::CommandLine, path: &Path) -> bool {
    let tail = |p: &Path, n: usize| -> Vec<String> {
        let parts: Vec<String> = p.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
        parts[parts.len().saturating_sub(n)..].to_vec()
    };
    if let Some(cf) = cl.get("config_file") {
        return tail(Path::new(&cf.value), 2) == tail(path, 2) || tail(Path::new(&cf.value), 1) == tail(path, 1);
    }
    match (&cl.data_dir, path.parent()) {
        (Some((_, dir)), Some(parent)) => tail(Path::new(dir), 1) == tail(parent, 1) && !tail(parent, 1).is_empty(),
        _ => false,
    }
}

/// How many values PostgreSQL would refuse in this file read alone (its includes left out):
/// with its syntax errors, the measure a fix must not make worse.
pub fn lone_value_problems(_conf: &PgConf, source: &SourceFile) -> usize {
    let alone = SourceFile::new(source.path.clone(), source.bytes.clone());
    PgConfig::from_source(alone, &MemFs::new(), AutoConf::None).value_problems().len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    /// A registry over a FileSet and files in memory.
    struct Mem {
        files: FileSet,
        disk: MemFs,
        by_path: HashMap<PathBuf, FileId>,
    }

    impl ConfigFs for Mem {
        fn read(&self, path: &Path) -> std::io::Result<Vec<u8>> {
            match self.by_path.get(path) {
                Some(&id) => Ok(self.files.source(id).bytes.clone()),
                None => self.disk.read(path),
            }
        }
        fn read_dir(&self, path: &Path) -> std::io::Result<Vec<(std::ffi::OsString, std::io::Result<bool>)>> {
            self.disk.read_dir(path)
        }
    }

    impl Registry for Mem {
        fn files(&self) -> &FileSet {
            &self.files
        }
        fn register(&mut self, path: &Path, bytes: &[u8]) -> FileId {
            if let Some(&id) = self.by_path.get(path) {
                return id;
            }
            let id = self.files.add(SourceFile::new(path, bytes.to_vec()), FileKind::Postgresql);
            self.by_path.insert(path.to_path_buf(), id);
            id
        }
    }

    fn mem(stack: &[(&str, &str)], disk: MemFs) -> (Mem, Vec<FileId>) {
        let mut m = Mem { files: FileSet::new(), disk, by_path: HashMap::new() };
        let mut ids = Vec::new();
        for (p, t) in stack {
            let kind = if p.ends_with(".service") { FileKind::Systemd } else { FileKind::Postgresql };
            let id = m.files.add(SourceFile::from_text(*p, t), kind);
            m.by_path.insert(PathBuf::from(p), id);
            ids.push(id);
        }
        (m, ids)
    }

    #[test]
    fn includes_join_the_stack_and_map_to_ids() {
        let disk = MemFs::new().file("/s/conf.d/10-tune.conf", "shared_buffers = 1GB\n");
        let (mut m, mut ids) = mem(
            &[
                ("/s/postgresql.conf", "max_connections = 50\ninclude_dir 'conf.d'\n#work_mem = 4MB\n"),
                ("/s/other.conf", "port = 5433\n"),
            ],
            disk,
        );
        let sys = System::default();
        let models = build(&mut m, &mut ids, &sys);
        assert_eq!(models.len(), 2, "postgresql.conf and the file it does not read");
        let pg = &models[0];
        assert_eq!(pg.ids.len(), 2);
        let tune = pg.ids[1].unwrap();
        assert!(ids.contains(&tune), "the included file joined the stack");
        assert_eq!(pg.share().unwrap().total(), Bytes(1024 * 1024 * 1024 + 50 * 4 * 1024 * 1024));
        assert_eq!(pg.describe(&m.files, "shared_buffers"), "`shared_buffers` is 1 GiB (set in 10-tune.conf)");
        assert_eq!(pg.describe(&m.files, "max_connections"), "`max_connections` is 50 (set in postgresql.conf)");
        let (span, label) = pg.place(&m.files, "work_mem").unwrap();
        assert_eq!(span.range.of(&m.files.source(ids[0]).text), "#work_mem = 4MB");
        assert_eq!(label, "`work_mem` not set: 4 MiB (PostgreSQL default)");
        let e = pg.set_edit("work_mem", "16MB").unwrap();
        assert_eq!(e.replacement, "work_mem = 16MB");
        let e = pg.set_edit("shared_buffers", "2GB").unwrap();
        assert_eq!((e.file, e.replacement.as_str()), (tune, "2GB"));
        assert_eq!(models[1].port().unwrap().0, 5433);
    }

    #[test]
    fn units_attach_their_command_line() {
        let (mut m, mut ids) = mem(
            &[
                ("/etc/postgresql/15/main/postgresql.conf", "max_connections = 50\n"),
                (
                    "/etc/systemd/system/pg.service",
                    "[Service]\nExecStart=/usr/lib/postgresql/15/bin/postgres -c config_file=/etc/postgresql/15/main/postgresql.conf -c max_connections=80\n",
                ),
                ("/etc/systemd/system/other-pg.service", "[Service]\nExecStart=/usr/bin/postgres -p 5444\n"),
            ],
            MemFs::new(),
        );
        let sys = System::build(&m.files, &ids);
        let models = build(&mut m, &mut ids, &sys);
        assert_eq!(models.len(), 2);
        let (mc, origin) = models[0].int("max_connections").unwrap();
        assert_eq!(mc, 80);
        assert_eq!(models[0].origin_text(&m.files, &origin), "from `-c max_connections=80` in pg.service");
        let span = models[0].span(&origin).unwrap();
        assert_eq!(span.range.of(&m.files.source(ids[1]).text), "-c max_connections=80");
        assert!(models[0].set_edit("max_connections", "100").unwrap_err().contains("pg.service"));
        assert_eq!(models[1].main(), None);
        assert_eq!(models[1].port().unwrap().0, 5444);
    }
}

//! The operating-system side of a stack: its systemd units (each unit file with its drop-ins,
//! and the program its `ExecStart=` runs) and its pam_limits files.
//!
//! A unit is named by its file name (`odoo.service`); a drop-in belongs to the unit its folder
//! names (`odoo.service.d/limits.conf`). The unit may be absent when only drop-ins are given
//! (the unit itself is a vendor file). The role of a unit comes from its `ExecStart=`: Odoo
//! ([`commands::odoo_command`]), PostgreSQL ([`commands::postgres_command`]), nginx, or other.
//!
//! An Odoo unit is *linked* to the stack's odoo.conf when its `-c`/`--config` names a file of
//! the same name (or it names none, or the stack has no odoo.conf). The first linked Odoo unit
//! is the stack's Odoo service: its command-line options become Odoo settings with
//! [`Origin::Flag`] (over the file, as Odoo reads them), and on Odoo 19 its `ODOO_*`/`PG*`
//! environment variables become settings with [`Origin::Env`] (over the file, under the
//! flags); its `MemoryMax=` and `CPUQuota=` narrow the host budget.

use crate::diagnostic::Edit;
use crate::files::{FileKind, FileSet};
use crate::formats::systemd::commands::{self, OdooCommand, OptionForm};
use crate::formats::systemd::effective::{self, EffectiveUnit, dropin_order};
use crate::formats::systemd::exec::parse_exec;
use crate::formats::systemd::values::MemoryLimit;
use crate::formats::systemd::{Insertion, insert_key};
use crate::host::{Fact, FactOrigin, HostFacts};
use crate::odoo::options;
use crate::source::{FileId, Span, TextRange};
use crate::stack::odoo::{OdooSettings, Origin, Setting};
use crate::units::Bytes;
use std::path::{Path, PathBuf};

/// What a unit runs.
#[derive(Clone, Debug)]
pub enum Role {
    Odoo(Box<OdooService>),
    Postgres(PostgresService),
    Nginx,
    Other,
}

/// An Odoo server started by a unit.
#[derive(Clone, Debug)]
pub struct OdooService {
    /// The command line (its ranges are in `file`).
    pub command: OdooCommand,
    /// The file holding the `ExecStart=` that runs Odoo.
    pub file: FileId,
    /// The range of that command.
    pub range: TextRange,
    /// It runs the stack's odoo.conf (see the module documentation).
    pub linked: bool,
}

impl OdooService {
    /// The config file it names, as written.
    pub fn config_path(&self) -> Option<&str> {
        self.command.config.as_ref().and_then(|c| c.value.as_deref())
    }
}

/// A PostgreSQL server started by a unit.
#[derive(Clone, Debug)]
pub struct PostgresService {
    /// The file holding the `ExecStart=`.
    pub file: FileId,
    /// Its argv: each word and its range in `file`.
    pub argv: Vec<(String, TextRange)>,
    pub range: TextRange,
}

impl PostgresService {
    pub fn words(&self) -> Vec<String> {
        self.argv.iter().map(|(w, _)| w.clone()).collect()
    }
}

/// A unit with its drop-ins.
#[derive(Clone, Debug)]
pub struct Unit {
    /// `odoo.service`.
    pub name: String,
    /// The unit file, if it is in the stack.
    pub file: Option<FileId>,
    /// Its drop-ins, in the order systemd applies them.
    pub dropins: Vec<FileId>,
    /// A vendor unit (under /usr/lib/systemd or /lib/systemd): changes belong in a drop-in.
    pub vendor: bool,
    pub role: Role,
}

impl Unit {
    /// The unit file first, then the drop-ins: the files of [`EffectiveUnit`] in its order.
    pub fn files(&self) -> Vec<FileId> {
        self.file.iter().copied().chain(self.dropins.iter().copied()).collect()
    }

    /// The unit as systemd loads it.
    pub fn effective<'a>(&self, fs: &'a FileSet) -> EffectiveUnit<'a> {
        let parsed: Vec<_> = self.files().into_iter().filter_map(|f| fs.unit(f)).collect();
        EffectiveUnit::new(&parsed)
    }

    /// The span of a value read by [`Unit::effective`].
    pub fn span(&self, origin: &effective::Origin) -> Option<Span> {
        self.files().get(origin.file).map(|&f| Span::new(f, origin.range))
    }

    /// Where unit-wide findings point: the command it runs, else the start of its first file.
    pub fn anchor(&self) -> Option<Span> {
        match &self.role {
            Role::Odoo(o) => Some(Span::new(o.file, o.range)),
            Role::Postgres(p) => Some(Span::new(p.file, p.range)),
            _ => self.files().first().map(|&f| Span::new(f, TextRange::empty(0))),
        }
    }

    /// The edit that sets `key=value` in `[Service]`: the value where `current` (the
    /// assignment that wins now) is, else a new line in the unit file, or in its last drop-in
    /// when the unit is a vendor file or absent. `None` when there is nowhere to write (a
    /// vendor unit without a drop-in: the help says which drop-in to create).
    pub fn set_edit(&self, fs: &FileSet, key: &str, value: &str, current: Option<&effective::Origin>) -> Option<Edit> {
        if let Some(o) = current {
            let file = *self.files().get(o.file)?;
            return Some(Edit::replace(file, o.range, value));
        }
        let target = if self.vendor || self.file.is_none() { self.dropins.last().copied() } else { self.file };
        let target = target?;
        let unit = fs.unit(target)?;
        let Insertion { offset, text } = insert_key(unit, fs.source(target), "Service", key, value);
        Some(Edit::insert(target, offset, text))
    }

    /// Where to create a drop-in for this unit on the server.
    pub fn dropin_path(&self) -> String {
        format!("/etc/systemd/system/{}.d/override.conf", self.name)
    }

    pub fn odoo(&self) -> Option<&OdooService> {
        match &self.role {
            Role::Odoo(o) => Some(o),
            _ => None,
        }
    }
}

/// The units and limits files of a stack.
#[derive(Clone, Debug, Default)]
pub struct System {
    pub units: Vec<Unit>,
    /// limits.conf files first, then the others (limits.d) in pam_limits' order.
    pub limits: Vec<FileId>,
    /// The host's memory before the Odoo unit's own limits narrowed the budget: PostgreSQL,
    /// a separate service, takes its share from this.
    pub host_memory: Option<Fact<Bytes>>,
}

impl System {
    /// Groups the stack's unit files and drop-ins into units and tells what each runs.
    pub fn build(fs: &FileSet, files: &[FileId]) -> System {
        let mut units: Vec<Unit> = Vec::new();
        let mut dropins: Vec<(String, FileId)> = Vec::new();
        for &id in files {
            if fs.get(id).kind != FileKind::Systemd {
                continue;
            }
            let path = &fs.source(id).path;
            match dropin_unit_name(path) {
                Some(unit) => dropins.push((unit, id)),
                None => {
                    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                    if units.iter().all(|u| u.name != name) {
                        units.push(Unit {
                            name,
                            file: Some(id),
                            dropins: Vec::new(),
                            vendor: is_vendor(path),
                            role: Role::Other,
                        });
                    }
                }
            }
        }
        for (name, id) in dropins {
            match units.iter_mut().find(|u| u.name == name) {
                Some(u) => u.dropins.push(id),
                None => units.push(Unit { name, file: None, dropins: vec![id], vendor: false, role: Role::Other }),
            }
        }
        for u in &mut units {
            let paths: Vec<PathBuf> = u.dropins.iter().map(|&d| fs.source(d).path.clone()).collect();
            let order = dropin_order(&paths);
            let mut sorted: Vec<FileId> =
                order.iter().filter_map(|p| u.dropins.iter().copied().find(|&d| &fs.source(d).path == p)).collect();
            // drop-ins systemd would not read (not *.conf) stay last, for their own checks
            let unread: Vec<FileId> = u.dropins.iter().copied().filter(|d| !sorted.contains(d)).collect();
            sorted.extend(unread);
            u.dropins = sorted;
            u.role = role(fs, u);
        }
        let mut limits: Vec<FileId> = files.iter().copied().filter(|&f| fs.get(f).kind == FileKind::Limits).collect();
        limits.sort_by_key(|&f| {
            let p = &fs.source(f).path;
            let name = p.file_name().map(|n| n.as_encoded_bytes().to_vec()).unwrap_or_default();
            (name != b"limits.conf", name)
        });
        System { units, limits, host_memory: None }
    }

    /// The units that run Odoo.
    pub fn odoo_units(&self) -> impl Iterator<Item = (&Unit, &OdooService)> {
        self.units.iter().filter_map(|u| u.odoo().map(|o| (u, o)))
    }

    /// The stack's Odoo service: the first Odoo unit linked to the stack's odoo.conf.
    pub fn odoo_unit(&self) -> Option<(&Unit, &OdooService)> {
        self.odoo_units().find(|(_, o)| o.linked)
    }

    /// The units that run PostgreSQL, with their index in [`System::units`].
    pub fn postgres_units(&self) -> impl Iterator<Item = (usize, &Unit, &PostgresService)> {
        self.units.iter().enumerate().filter_map(|(i, u)| match &u.role {
            Role::Postgres(p) => Some((i, u, p)),
            _ => None,
        })
    }

    /// Marks which Odoo units run the stack's odoo.conf (`conf_path`), then applies the
    /// Odoo service's environment (Odoo 19) and command-line options to `odoo`.
    pub fn link_odoo(&mut self, fs: &FileSet, conf_path: Option<&Path>, odoo: &mut OdooSettings) {
        let conf_name = conf_path.and_then(|p| p.file_name()).map(|n| n.to_string_lossy().into_owned());
        for u in &mut self.units {
            if let Role::Odoo(o) = &mut u.role {
                o.linked = match (&conf_name, o.config_path()) {
                    (None, _) | (_, None) => true,
                    (Some(name), Some(path)) => Path::new(path).file_name().is_some_and(|n| n.to_string_lossy() == *name),
                };
            }
        }
        let Some((unit, service)) = self.odoo_unit() else { return };
        if odoo.major >= 19 {
            for (i, var) in unit.effective(fs).environment() {
                let Some(opt) = options::options_for(19).find(|o| o.env19 == Some(var.name.as_str())) else { continue };
                let Some(&file) = unit.files().get(i) else { continue };
                let origin = Origin::Env { span: Span::new(file, var.word.range), var: var.name.clone() };
                odoo.set(Setting { key: opt.key.to_string(), raw: var.value.clone(), origin });
            }
        }
        for o in &service.command.options {
            if service.command.config.as_ref().is_some_and(|c| c.word == o.word) {
                continue;
            }
            let Some(key) = option_key(&o.flag, odoo.major) else { continue };
            let raw = match (&o.value, o.form) {
                (Some(v), _) => v.clone(),
                (None, OptionForm::Flag) if o.flag.starts_with("--no-") => "False".to_string(),
                (None, OptionForm::Flag) => "True".to_string(),
                (None, _) => continue,
            };
            let written = match (o.form, &o.value) {
                (OptionForm::Equals, Some(v)) => format!("{}={v}", o.flag),
                (OptionForm::Separate, Some(v)) => format!("{} {v}", o.flag),
                (OptionForm::Attached, Some(v)) => format!("{}{v}", o.flag),
                _ => o.flag.clone(),
            };
            let range = o.value_range.map(|v| o.flag_range.cover(v)).unwrap_or(o.flag_range);
            let origin = Origin::Flag { span: Span::new(service.file, range), flag: written };
            odoo.set(Setting { key: key.to_string(), raw, origin });
        }
    }

    /// The host budget narrowed by the Odoo service's `MemoryMax=` (or `MemoryLimit=`) and
    /// `CPUQuota=`: the smallest figure wins, and says where it came from. Remembers the
    /// host's own memory in [`System::host_memory`].
    pub fn narrow_budget(&mut self, fs: &FileSet, host: HostFacts) -> HostFacts {
        self.host_memory = host.memory.clone();
        let Some((unit, _)) = self.odoo_unit() else { return host };
        let eff = unit.effective(fs);
        let mut out = host;
        for (key, limit) in [("MemoryMax", eff.memory_max()), ("MemoryLimit", eff.memory_limit())] {
            let Some(limit) = limit else { continue };
            let bytes = match limit.value {
                MemoryLimit::Bytes(b) => b,
                MemoryLimit::Permyriad(p) => match &out.memory {
                    Some(m) => Bytes(m.value.0 / 10_000 * u64::from(p)),
                    None => continue,
                },
                MemoryLimit::Infinity => continue,
            };
            if out.memory.as_ref().is_none_or(|m| bytes < m.value) {
                let written = limit.origin.and_then(|o| unit.span(&o)).map(|s| s.range.of(&fs.source(s.file).text).to_string());
                let what = format!("{key}={} in {}", written.unwrap_or_default(), unit.name);
                out.memory = Some(Fact { value: bytes, origin: FactOrigin::Unit(what) });
            }
        }
        if let Some(q) = eff.cpu_quota() {
            let cpus = ((q.value + 5_000) / 10_000).max(1) as u32;
            if out.cpus.as_ref().is_none_or(|c| cpus < c.value) {
                let written = q.origin.and_then(|o| unit.span(&o)).map(|s| s.range.of(&fs.source(s.file).text).to_string());
                let what = format!("CPUQuota={} in {}", written.unwrap_or_default(), unit.name);
                out.cpus = Some(Fact { value: cpus, origin: FactOrigin::Unit(what) });
            }
        }
        out
    }
}

/// The unit a drop-in belongs to: `odoo.service` for `…/odoo.service.d/x.conf`.
fn dropin_unit_name(path: &Path) -> Option<String> {
    let parent = path.parent()?.file_name()?.to_string_lossy().into_owned();
    parent.strip_suffix(".d").filter(|u| u.contains('.')).map(str::to_string)
}

fn is_vendor(path: &Path) -> bool {
    let p = path.to_string_lossy();
    p.starts_with("/usr/lib/systemd/") || p.starts_with("/lib/systemd/")
}

fn role(fs: &FileSet, unit: &Unit) -> Role {
    let files = unit.files();
    let eff = unit.effective(fs);
    // `exec_start()` resets on an empty assignment like systemd; we need the file of each
    // command, so walk the assignments the same way.
    let mut commands = Vec::new();
    for (i, a) in eff.assignments("Service", "ExecStart") {
        if a.value.is_empty() {
            commands.clear();
            continue;
        }
        for c in parse_exec(&a.value).commands {
            commands.push((files.get(i).copied(), c));
        }
    }
    for (file, cmd) in &commands {
        let Some(file) = *file else { continue };
        if let Some(odoo) = commands::odoo_command(cmd) {
            return Role::Odoo(Box::new(OdooService { command: odoo, file, range: cmd.range, linked: false }));
        }
        if let Some(pg) = commands::postgres_command(cmd) {
            let argv = cmd.argv[pg.program..].iter().map(|w| (w.text.clone(), w.range)).collect();
            return Role::Postgres(PostgresService { file, argv, range: cmd.range });
        }
        if cmd.argv.first().is_some_and(|w| w.text.rsplit('/').next() == Some("nginx")) {
            return Role::Nginx;
        }
    }
    Role::Other
}

/// The option an Odoo command-line flag sets in Odoo `major`: its exact spelling, or a long
/// flag abbreviated to a unique prefix (optparse accepts both).
pub fn option_key(flag: &str, major: u8) -> Option<&'static str> {
    let mut prefixed = Vec::new();
    for o in options::options_for(major) {
        for f in o.flags_in(major) {
            if f == flag {
                return Some(o.key);
            }
            if flag.starts_with("--") && flag.len() > 2 && f.starts_with(flag) && !prefixed.contains(&o.key) {
                prefixed.push(o.key);
            }
        }
    }
    if prefixed.len() == 1 { prefixed.first().copied() } else { None }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceFile;

    fn fileset(files: &[(&str, &str)]) -> (FileSet, Vec<FileId>) {
        let mut fs = FileSet::new();
        let ids = files
            .iter()
            .map(|(p, t)| {
                let kind = if p.contains("limits") && !p.contains(".service") { FileKind::Limits } else { FileKind::Systemd };
                fs.add(SourceFile::from_text(*p, t), kind)
            })
            .collect();
        (fs, ids)
    }

    #[test]
    fn units_with_dropins_and_roles() {
        let (fs, ids) = fileset(&[
            ("/usr/lib/systemd/system/odoo.service", "[Service]\nExecStart=/usr/bin/odoo -c /etc/odoo/odoo.conf --workers=4\n"),
            ("/etc/systemd/system/odoo.service.d/z.conf", "[Service]\nLimitNOFILE=4096\n"),
            ("/etc/systemd/system/odoo.service.d/a.conf", "[Service]\nLimitNOFILE=8192\n"),
            ("pg.service", "[Service]\nExecStart=/usr/lib/postgresql/15/bin/postgres -D /var/lib/pg -c max_connections=50\n"),
            ("limits.d/90-odoo.conf", "odoo soft nofile 1\n"),
            ("limits.conf", "* soft nofile 2\n"),
        ]);
        let sys = System::build(&fs, &ids);
        assert_eq!(sys.units.len(), 2);
        let odoo = &sys.units[0];
        assert!(odoo.vendor);
        assert_eq!(odoo.dropins, vec![ids[2], ids[1]], "sorted by file name");
        assert!(matches!(odoo.role, Role::Odoo(_)));
        assert!(matches!(sys.units[1].role, Role::Postgres(_)));
        assert_eq!(sys.limits, vec![ids[5], ids[4]], "limits.conf first");
        // the drop-in that sorts last wins
        let eff = odoo.effective(&fs);
        assert_eq!(eff.limit_nofile().value.soft, crate::formats::systemd::values::RlimitValue::Finite(4096));
        // a vendor unit gets its new keys in the last drop-in
        let e = odoo.set_edit(&fs, "TimeoutStopSec", "130s", None).unwrap();
        assert_eq!(e.file, ids[1]);
    }

    #[test]
    fn flags_become_settings() {
        let (mut fs, mut ids) = fileset(&[(
            "odoo.service",
            "[Service]\nEnvironment=ODOO_WORKERS=3 PGHOST=db\nExecStart=/opt/odoo/odoo-bin -c /etc/odoo/odoo.conf --workers 5 --limit-time-real=300 --no-database-list --max-cron=1 --db_maxc=16\nMemoryMax=2G\nCPUQuota=150%\n",
        )]);
        ids.push(
            fs.add(SourceFile::from_text("odoo.conf", "[options]\nworkers = 2\nlimit_time_real = 100\n"), FileKind::OdooConf),
        );
        let version = crate::stack::OdooVersion {
            major: 17,
            source: crate::stack::VersionSource::Configured("test".into()),
            out_of_range: None,
        };
        let mut odoo = OdooSettings::build(&fs, &ids, &version);
        let mut sys = System::build(&fs, &ids);
        sys.link_odoo(&fs, Some(Path::new("odoo.conf")), &mut odoo);
        assert_eq!(odoo.int("workers").unwrap().value, 5);
        assert_eq!(odoo.int("limit_time_real").unwrap().value, 300);
        assert_eq!(odoo.int("max_cron_threads").unwrap().value, 1, "abbreviated long option");
        assert_eq!(
            odoo.int("db_maxconn").unwrap().value,
            64,
            "`--db_maxc` is ambiguous (db_maxconn_gevent): optparse refuses it"
        );
        assert!(!odoo.flag("list_db").unwrap().value);
        let t = odoo.int("workers").unwrap();
        assert_eq!(t.origin.to_string(), "from `--workers 5`");
        assert_eq!(t.origin.span().unwrap().range.of(&fs.source(ids[0]).text), "--workers 5");
        let host = HostFacts {
            cpus: Some(Fact { value: 8, origin: FactOrigin::Flag("--cpus") }),
            memory: Some(Fact { value: Bytes::gib(8), origin: FactOrigin::Flag("--memory") }),
        };
        let narrowed = sys.narrow_budget(&fs, host);
        assert_eq!(narrowed.memory.as_ref().unwrap().value, Bytes::gib(2));
        assert_eq!(narrowed.memory.unwrap().origin.to_string(), "from MemoryMax=2G in odoo.service");
        assert_eq!(narrowed.cpus.unwrap().value, 2);
        assert_eq!(sys.host_memory.as_ref().unwrap().value, Bytes::gib(8));
        // an Odoo unit running another config is not linked
        sys.link_odoo(&fs, Some(Path::new("other.conf")), &mut odoo);
        assert!(sys.odoo_unit().is_none());
    }

    #[test]
    fn odoo_19_environment() {
        let (mut fs, mut ids) = fileset(&[(
            "odoo.service",
            "[Service]\nEnvironment=ODOO_WORKERS=3 PGPORT=5433\nExecStart=/opt/odoo/odoo-bin --max-cron-threads=1\n",
        )]);
        ids.push(fs.add(SourceFile::from_text("odoo.conf", "[options]\nworkers = 2\n"), FileKind::OdooConf));
        let version = crate::stack::OdooVersion {
            major: 19,
            source: crate::stack::VersionSource::Configured("test".into()),
            out_of_range: None,
        };
        let mut odoo = OdooSettings::build(&fs, &ids, &version);
        let mut sys = System::build(&fs, &ids);
        sys.link_odoo(&fs, Some(Path::new("odoo.conf")), &mut odoo);
        assert_eq!(odoo.int("workers").unwrap().value, 3);
        assert_eq!(odoo.int("db_port").unwrap().value, 5433);
        assert_eq!(odoo.int("max_cron_threads").unwrap().value, 1);
    }

    #[test]
    fn flag_spellings() {
        assert_eq!(option_key("--workers", 17), Some("workers"));
        assert_eq!(option_key("-p", 17), Some("http_port"));
        assert_eq!(option_key("--db-filter", 17), Some("dbfilter"));
        assert_eq!(option_key("--dev", 17), Some("dev_mode"));
        assert_eq!(option_key("--limit-memory", 17), None, "ambiguous prefix");
        assert_eq!(option_key("--db_maxconn_gevent", 16), None, "17 and later");
    }
}

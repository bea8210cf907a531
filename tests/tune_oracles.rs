//! What `tune` writes, read back by the real programs: every fixture stack is tuned (as in
//! tests/tune.rs: its own host, or 4 CPUs and 8 GiB), then
//!   * each tuned postgresql.conf is loaded by PostgreSQL 15 as a cluster's configuration: the
//!     server must accept it, and `postgres -C name` must print the value tune planned;
//!   * each tuned nginx file passes `nginx -t` (in the sandbox of `nginx_t`) when the
//!     original did;
//!   * each tuned odoo.conf is read by Python's configparser with the values we read;
//!   * each tuned unit loads in `systemd --test` with the `LimitNOFILE` and
//!     `TimeoutStopSec` tune planned;
//!   * each tuned compose project loads in the real Compose (`docker-compose config`), which
//!     reads what we read, and the commands it gives Odoo and PostgreSQL carry the planned
//!     values (`--workers=N`, `-c shared_buffers=…`).
//!
//! Without the programs the tests fail when `CI` is set and print a "skipped" line otherwise.

mod common;

use common::compose;
use common::postgres::Server;
use odoo_lint::config::{self, Config};
use odoo_lint::files::FileKind;
use odoo_lint::fix::FileFix;
use odoo_lint::source::SourceFile;
use odoo_lint::tune::{self, Options};
use odoo_lint::workspace::{Inputs, canonical};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn cases() -> Vec<PathBuf> {
    let root = common::fixtures_dir();
    let mut out = vec![root.join("demo")];
    for e in std::fs::read_dir(root.join("stacks")).unwrap().flatten() {
        if e.path().is_dir() {
            out.push(e.path());
        }
    }
    for rule in std::fs::read_dir(root.join("rules")).unwrap().flatten() {
        for case in std::fs::read_dir(rule.path()).unwrap().flatten() {
            if case.path().is_dir() {
                out.push(case.path());
            }
        }
    }
    out.sort();
    out
}

/// The case's tuned files (those tune changed), with the planned values by setting.
fn tuned(case: &Path) -> (Vec<FileFix>, BTreeMap<&'static str, String>) {
    let toml = case.join(config::FILE_NAME);
    let config = if toml.is_file() { config::load(&toml).unwrap() } else { Config::default() };
    let host = config.host().unwrap_or_default();
    let inputs = Inputs {
        paths: vec![case.to_path_buf()],
        cpus: host.cpus.is_none().then_some(4),
        memory: host.memory.is_none().then_some(odoo_lint::units::Bytes::gib(8)),
        ..Default::default()
    };
    let result = tune::write::run(&inputs, &config, &Options::from_config(&config, None));
    let mut planned = BTreeMap::new();
    for plan in result.plans.iter().flatten() {
        for item in plan.changes() {
            planned.insert(item.key, item.target.written.clone());
        }
    }
    (result.fixed.files.into_values().collect(), planned)
}

fn name(case: &Path) -> String {
    case.strip_prefix(common::fixtures_dir()).unwrap().display().to_string()
}

#[test]
fn tuned_postgresql_configurations_are_accepted_by_postgresql() {
    let Some(server) = Server::start() else { return };
    let pristine = std::fs::read(server.cluster.join("postgresql.conf")).unwrap();
    let (mut configs, mut compared) = (0, 0);
    for case in cases() {
        let (fixes, planned) = tuned(&case);
        let Some(f) = fixes.iter().find(|f| f.kind == FileKind::Postgresql && f.path.ends_with("postgresql.conf")) else {
            continue;
        };
        let name = name(&case);
        let original = odoo_lint::formats::postgresql::PgConfig::from_source(
            SourceFile::new(&f.path, f.original.clone()),
            &odoo_lint::formats::postgresql::MemFs::new(),
            odoo_lint::formats::postgresql::AutoConf::None,
        );
        if !original.startup_errors().is_empty() {
            continue; // PostgreSQL refuses the file before tune: OL005's cases
        }
        // the case's other files beside it, for its includes
        let root = canonical(&case);
        for e in walk(&root) {
            let rel = e.strip_prefix(&root).unwrap();
            let target = server.cluster.join(rel);
            if rel == Path::new("postgresql.conf") {
                continue;
            }
            std::fs::create_dir_all(target.parent().unwrap()).unwrap();
            std::fs::copy(&e, &target).unwrap();
        }
        std::fs::write(server.cluster.join("postgresql.conf"), &f.fixed).unwrap();
        let (ok, _, stderr) = server.show("port");
        assert!(ok, "{name}: PostgreSQL refuses the tuned configuration:\n{stderr}");
        let mut fs = odoo_lint::formats::postgresql::MemFs::new();
        for e in walk(&root) {
            let bytes = if e.ends_with("postgresql.conf") { f.fixed.clone() } else { std::fs::read(&e).unwrap() };
            fs = fs.file(Path::new("/case").join(e.strip_prefix(&root).unwrap()), bytes);
        }
        let after = odoo_lint::formats::postgresql::PgConfig::load(
            Path::new("/case/postgresql.conf"),
            &fs,
            odoo_lint::formats::postgresql::AutoConf::None,
        )
        .unwrap();
        for key in [
            "shared_buffers",
            "work_mem",
            "maintenance_work_mem",
            "effective_cache_size",
            "max_connections",
            "random_page_cost",
            "effective_io_concurrency",
            "jit",
            "min_wal_size",
            "max_wal_size",
        ] {
            let Some(want) = planned.get(key) else { continue };
            let (ok, theirs, stderr) = server.show(key);
            assert!(ok, "{name}: postgres -C {key}: {stderr}");
            // PostgreSQL's reading of the tuned file is ours, and ours is the planned value
            let ours = match after.typed(key) {
                Some(Ok(e)) => e.value.display(),
                other => panic!("{name}: {key} unreadable after tune: {other:?}"),
            };
            assert_eq!(theirs, ours, "{name}: {key}");
            let planned_value = odoo_lint::formats::postgresql::PgConfig::from_source(
                SourceFile::from_text("p.conf", &format!("{key} = {want}\n")),
                &odoo_lint::formats::postgresql::MemFs::new(),
                odoo_lint::formats::postgresql::AutoConf::None,
            );
            let want_read = planned_value.typed(key).and_then(|r| r.ok()).map(|e| e.value.display());
            assert_eq!(Some(ours.clone()), want_read, "{name}: {key} is not the planned {want}");
            eprintln!("agree: {name}: {key} = {theirs} ({want})");
            compared += 1;
        }
        configs += 1;
        // back to initdb's configuration
        for e in walk(&root) {
            let rel = e.strip_prefix(&root).unwrap();
            if rel != Path::new("postgresql.conf") {
                let _ = std::fs::remove_file(server.cluster.join(rel));
            }
        }
        std::fs::write(server.cluster.join("postgresql.conf"), &pristine).unwrap();
    }
    eprintln!("postgresql tune oracle: {configs} tuned configurations accepted, {compared} planned values agree");
    assert!(configs >= 10, "too few tuned configurations: {configs}");
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

#[test]
fn tuned_nginx_files_pass_nginx_t() {
    use odoo_lint::formats::nginx::{model::RootContext, nginx_t::Nginx};
    if common::require_program("nginx", &[PathBuf::from("/usr/sbin/nginx")]).is_none() {
        return;
    }
    let nginx = Nginx::locate().expect("nginx found");
    let mut checked = 0;
    for case in cases() {
        let (fixes, _) = tuned(&case);
        for f in fixes.iter().filter(|f| f.kind == FileKind::Nginx) {
            let text = String::from_utf8(f.fixed.clone()).expect("fixtures are UTF-8");
            let t = text.trim_start();
            let level = if t.contains("http {") || t.contains("events {") {
                RootContext::Main
            } else if t.contains("server {") || t.contains("upstream ") {
                RootContext::Http
            } else {
                RootContext::Server
            };
            let (before, _) = nginx.test_config(&String::from_utf8_lossy(&f.original), level, &[]).unwrap();
            let (after, copy) = nginx.test_config(&text, level, &[]).unwrap();
            if before.ok {
                assert!(after.ok, "{}: nginx -t refuses the tuned file:\n{}\n---\n{copy}", f.display, after.stderr);
                checked += 1;
            }
        }
    }
    eprintln!("nginx tune oracle: {checked} tuned files pass nginx -t");
    assert!(checked >= 10, "only {checked} tuned nginx files were checked");
}

#[test]
fn tuned_odoo_confs_read_in_configparser() {
    let Some(python) = common::python3() else { return };
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/oracles/configparser_dump.py");
    let dir = tempfile::tempdir().unwrap();
    let (mut paths, mut ours) = (Vec::new(), Vec::new());
    for case in cases() {
        let (fixes, _) = tuned(&case);
        // (configparser_dump reads UTF-8; the Latin-1 fixture is read alike by fix_oracles)
        for f in fixes.iter().filter(|f| f.kind == FileKind::OdooConf && std::str::from_utf8(&f.original).is_ok()) {
            let p = dir.path().join(format!("{}.conf", paths.len()));
            std::fs::write(&p, &f.fixed).unwrap();
            let conf = odoo_lint::formats::odoo_conf::parse(&SourceFile::new(&p, f.fixed.clone()));
            let items: Vec<(String, String)> = conf.items("options").iter().map(|e| (e.key.clone(), e.value.clone())).collect();
            ours.push((f.display.clone(), conf.python_accepts(), items));
            paths.push(p);
        }
    }
    assert!(paths.len() >= 20, "only {} tuned odoo.conf files", paths.len());
    let out = std::process::Command::new(python).arg(script).args(&paths).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let mut agreed = 0;
    for (line, (display, accepted, items)) in String::from_utf8(out.stdout).unwrap().lines().zip(&ours) {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        if !accepted {
            assert!(v.get("error").is_some(), "{display}: Python reads a file we find broken");
            continue;
        }
        let theirs: Vec<(String, String)> = v["sections"]["options"]
            .as_array()
            .map(|a| a.iter().map(|kv| (kv[0].as_str().unwrap().to_string(), kv[1].as_str().unwrap().to_string())).collect())
            .unwrap_or_default();
        assert_eq!(&theirs, items, "{display}: Python reads the tuned [options] differently");
        agreed += 1;
    }
    eprintln!("configparser tune oracle: {agreed} tuned odoo.conf files read alike");
}

#[test]
fn tuned_units_load_in_systemd() {
    use common::systemd::{prop, run_systemd, systemd_binary};
    use std::os::unix::fs::PermissionsExt;
    let Some(bin) = systemd_binary() else { return };
    let mut checked = 0;
    for case in cases() {
        let (fixes, planned) = tuned(&case);
        if !fixes.iter().any(|f| f.kind == FileKind::Systemd) {
            continue;
        }
        // the case's unit files and drop-ins, tuned ones with their new contents
        let root = canonical(&case);
        let dir = tempfile::tempdir().unwrap();
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        let mut units = Vec::new();
        for e in walk(&root) {
            let rel = e.strip_prefix(&root).unwrap();
            let s = rel.to_string_lossy();
            if !(s.ends_with(".service") || s.contains(".service.d/")) {
                continue;
            }
            let bytes = fixes
                .iter()
                .find(|f| canonical(&f.path) == e)
                .map(|f| f.fixed.clone())
                .unwrap_or_else(|| std::fs::read(&e).unwrap());
            let path = dir.path().join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::set_permissions(path.parent().unwrap(), std::fs::Permissions::from_mode(0o755)).unwrap();
            std::fs::write(&path, bytes).unwrap();
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
            if s.ends_with(".service") && rel.components().count() == 1 {
                units.push(s.to_string());
            }
        }
        for unit in units {
            let dump = run_systemd(&bin, dir.path(), &unit);
            let Some(props) = &dump.props else { panic!("{}: {unit} does not load after tune:\n{}", name(&case), dump.stderr) };
            let runs_odoo = std::fs::read_to_string(dir.path().join(&unit)).unwrap_or_default().contains("odoo");
            if !runs_odoo {
                continue;
            }
            if let Some(want) = planned.get("LimitNOFILE") {
                let soft = want.split(':').next().unwrap();
                assert_eq!(prop(props, "LimitNOFILESoft"), Some(soft), "{}: LimitNOFILE", name(&case));
            }
            if let Some(want) = planned.get("TimeoutStopSec") {
                let secs: u64 = want.trim_end_matches('s').parse().unwrap();
                let (m, s) = (secs / 60, secs % 60);
                let shown = match (m, s) {
                    (0, s) => format!("{s}s"),
                    (m, 0) => format!("{m}min"),
                    (m, s) => format!("{m}min {s}s"),
                };
                assert_eq!(prop(props, "TimeoutStopSec"), Some(shown.as_str()), "{}: TimeoutStopSec", name(&case));
            }
            eprintln!(
                "agree: {}: {unit} loads with {:?}",
                name(&case),
                planned.iter().filter(|(k, _)| k.starts_with("Limit") || k.starts_with("Timeout")).collect::<Vec<_>>()
            );
            checked += 1;
        }
    }
    eprintln!("systemd tune oracle: {checked} tuned units load and agree");
    assert!(checked >= 5, "too few tuned units: {checked}");
}

/// The files of `case` with the tuned ones in place.
fn tuned_tree(case: &Path, fixes: &[FileFix]) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = compose::tree(case);
    let root = canonical(case);
    for f in fixes {
        let rel = f.path.strip_prefix(&root).expect("a tuned file lies in its case");
        files.insert(rel.to_path_buf(), f.fixed.clone());
    }
    files
}

#[test]
fn tuned_compose_projects_load_in_compose() {
    let Some(bin) = common::venv_program("docker-compose") else { return };
    let (mut checked, mut words) = (0, 0);
    for case in cases() {
        let (fixes, planned) = tuned(&case);
        if !fixes.iter().any(|f| f.kind == FileKind::Compose) {
            continue;
        }
        if compose::config(&bin, &compose::tree(&case)).1.is_err() {
            continue;
        }
        let (dir, result) = compose::config(&bin, &tuned_tree(&case, &fixes));
        let stdout = result.unwrap_or_else(|e| panic!("{}: docker-compose refuses the tuned files:\n{e}", name(&case)));
        compose::agree(&name(&case), dir.path(), &stdout);
        // every planned value of Odoo and PostgreSQL that lives on a command line is there
        let theirs: serde_json::Value = serde_json::from_slice(&stdout).unwrap();
        let commands: Vec<String> = theirs["services"]
            .as_object()
            .unwrap()
            .values()
            .flat_map(|s| s["command"].as_array().cloned().unwrap_or_default())
            .filter_map(|w| w.as_str().map(str::to_string))
            .collect();
        for (key, value) in &planned {
            let pg = format!("{key}={value}");
            let odoo = format!("={value}");
            let as_pg = commands.iter().any(|w| w == &pg);
            let as_odoo =
                commands.iter().any(|w| w.starts_with("--") && w.ends_with(&odoo) && w[2..].replace('-', "_").starts_with(*key));
            if as_pg || as_odoo {
                words += 1;
            }
        }
        checked += 1;
    }
    eprintln!("compose tune oracle: {checked} tuned projects load and agree; {words} planned values found on command lines");
    assert!(checked >= 10, "only {checked} tuned compose projects were checked");
    assert!(words >= 50, "only {words} planned values on command lines");
}

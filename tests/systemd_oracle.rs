//! Cross-check against systemd itself: `systemd --test --system --unit=NAME` (run as an
//! unprivileged user, with `SYSTEMD_UNIT_PATH` pointing at a temporary directory) loads a unit
//! the way PID 1 would and dumps every property it read, without a running systemd. For every
//! unit of the corpus and of fixtures/parsers/systemd we compare with our reading: whether the
//! unit loads, the unknown keys systemd warns about, and User, Group, WorkingDirectory,
//! Environment, LimitNOFILE, MemoryMax, TimeoutStopSec and the ExecStart argv.
//!
//! systemd comes from the Debian package `systemd` (252 on bookworm). If it is missing the test
//! fails when `CI` is set and prints a "skipped" line otherwise.

mod common;

use common::systemd::{prop, run_systemd, split_command_line, systemd_binary};
use std::collections::BTreeSet;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use odoo_lint::formats::systemd::effective::{EffectiveUnit, Setting, simplify_path};
use odoo_lint::formats::systemd::exec::parse_exec;
use odoo_lint::formats::systemd::values::{MemoryLimit, RlimitValue};
use odoo_lint::formats::systemd::{self, UnitType};
use odoo_lint::source::SourceFile;
use odoo_lint::units::SystemdTimespan;

/// `format_timespan(…, USEC_PER_SEC)` as the dump prints `TimeoutStopSec:`.
fn format_timespan(t: SystemdTimespan) -> String {
    let SystemdTimespan::Usec(mut t) = t else {
        return "infinity".into();
    };
    if t == 0 {
        return "0".into();
    }
    const S: u64 = 1_000_000;
    let table: [(&str, u64); 9] = [
        ("y", 31_557_600 * S),
        ("month", 2_629_800 * S),
        ("w", 604_800 * S),
        ("d", 86_400 * S),
        ("h", 3600 * S),
        ("min", 60 * S),
        ("s", S),
        ("ms", 1000),
        ("us", 1),
    ];
    let mut out = String::new();
    for (name, u) in table {
        if t == 0 || (t < S && !out.is_empty()) {
            break;
        }
        if t < u {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&format!("{}{name}", t / u));
        t %= u;
    }
    out
}

fn rlim(v: RlimitValue) -> String {
    match v {
        RlimitValue::Finite(n) => n.to_string(),
        RlimitValue::Infinity => u64::MAX.to_string(),
    }
}

struct Case {
    name: String,
    unit: String,
    files: Vec<(PathBuf, Vec<u8>)>,
}

fn cases() -> Vec<Case> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    let corpus = common::corpus_dir().join("limits-systemd");
    assert!(corpus.is_dir(), "corpus missing at {}", corpus.display());
    {
        let mut names: Vec<PathBuf> = std::fs::read_dir(&corpus).unwrap().filter_map(|e| e.ok()).map(|e| e.path()).collect();
        names.sort();
        for (i, p) in names.iter().filter(|p| p.to_string_lossy().ends_with(".service")).enumerate() {
            let unit = format!("c{i}.service");
            let mut files = vec![(PathBuf::from(&unit), std::fs::read(p).unwrap())];
            // the corpus drop-in belongs to the nginx unit
            let stem = p.file_name().unwrap().to_string_lossy().to_string();
            for d in &names {
                let dn = d.file_name().unwrap().to_string_lossy().to_string();
                if dn.starts_with(&format!("{stem}.d_")) {
                    files.push((
                        PathBuf::from(format!("{unit}.d/{}", dn.rsplit("d_").next().unwrap())),
                        std::fs::read(d).unwrap(),
                    ));
                }
            }
            out.push(Case { name: stem, unit, files });
        }
    }
    let fixtures = root.join("fixtures/parsers/systemd");
    let mut names: Vec<PathBuf> = std::fs::read_dir(&fixtures).unwrap().filter_map(|e| e.ok()).map(|e| e.path()).collect();
    names.sort();
    for p in names {
        let n = p.file_name().unwrap().to_string_lossy().to_string();
        out.push(Case { name: n.clone(), unit: n.clone(), files: vec![(PathBuf::from(n), std::fs::read(&p).unwrap())] });
    }
    out
}

#[test]
fn systemd_reads_units_as_we_do() {
    let Some(bin) = systemd_binary() else { return };
    let mut checked = 0;
    for case in cases() {
        let dir = tempfile::Builder::new().prefix("odoo-lint-systemd").tempdir().unwrap();
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        let mut sources = Vec::new();
        for (rel, bytes) in &case.files {
            let path = dir.path().join(rel);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).unwrap();
                std::fs::set_permissions(parent, std::fs::Permissions::from_mode(0o755)).unwrap();
            }
            std::fs::write(&path, bytes).unwrap();
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
            sources.push(SourceFile::new(rel.clone(), bytes.clone()));
        }
        let parsed: Vec<systemd::UnitFile> = sources.iter().map(|s| systemd::parse(s, UnitType::Service)).collect();
        // stub the units it requires that this machine lacks, so the transaction can be built
        let mut deps = BTreeSet::new();
        for f in &parsed {
            for key in ["Requires", "Requisite", "BindsTo", "Wants"] {
                for a in f.values("Unit", key) {
                    deps.extend(a.value.text.split_whitespace().map(str::to_string));
                }
            }
        }
        for d in deps {
            let known = ["/lib/systemd/system", "/usr/lib/systemd/system", "/etc/systemd/system"]
                .iter()
                .any(|p| Path::new(p).join(&d).exists());
            if !known && d.ends_with(".service") {
                let p = dir.path().join(&d);
                std::fs::write(&p, "[Service]\nExecStart=/bin/true\n").unwrap();
                std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o644)).unwrap();
            }
        }
        let dump = run_systemd(&bin, dir.path(), &case.unit);
        let refs: Vec<&systemd::UnitFile> = parsed.iter().collect();
        let u = EffectiveUnit::new(&refs);
        let exec_fatal = u.assignments("Service", "ExecStart").any(|(_, a)| parse_exec(&a.value).fatal);
        let we_fail = u.load_error() || exec_fatal;
        assert_eq!(we_fail, dump.props.is_none(), "{}: load failure differs; systemd said:\n{}", case.name, dump.stderr);

        // the unknown keys systemd warns about
        let theirs = dump.stderr.lines().filter(|l| l.contains("Unknown key")).count();
        let ours: usize = parsed.iter().map(|f| f.errors.iter().filter(|e| e.message.starts_with("unknown key")).count()).sum();
        assert_eq!(ours, theirs, "{}: unknown keys; systemd said:\n{}", case.name, dump.stderr);

        let Some(props) = dump.props else {
            println!("agree: {} does not load", case.name);
            checked += 1;
            continue;
        };
        let c = &case.name;
        assert_eq!(u.user().map(|s| s.value).as_deref(), prop(&props, "User"), "{c}: User");
        assert_eq!(u.group().map(|s| s.value).as_deref(), prop(&props, "Group"), "{c}: Group");
        if let Some(wd) = u.working_directory() {
            let ours = simplify_path(wd.value.trim_start_matches('-'));
            assert_eq!(Some(ours.as_str()), prop(&props, "WorkingDirectory"), "{c}: WorkingDirectory");
        }
        let env: Vec<String> =
            u.environment().into_iter().map(|(_, e)| format!("{}={}", e.name, e.value.replace("%n", &case.unit))).collect();
        let their_env: Vec<String> = props.iter().filter(|(k, _)| k == "Environment").map(|(_, v)| v.clone()).collect();
        assert_eq!(env, their_env, "{c}: Environment");
        let nofile = u.limit_nofile();
        if nofile.origin.is_some() {
            assert_eq!(Some(rlim(nofile.value.hard).as_str()), prop(&props, "LimitNOFILE"), "{c}: LimitNOFILE");
            assert_eq!(Some(rlim(nofile.value.soft).as_str()), prop(&props, "LimitNOFILESoft"), "{c}: LimitNOFILESoft");
        }
        if let Some(Setting { value: MemoryLimit::Bytes(b), .. }) = u.memory_max() {
            {
                assert_eq!(Some(b.0.to_string().as_str()), prop(&props, "MemoryMax"), "{c}: MemoryMax");
            }
        }
        assert_eq!(Some(format_timespan(u.timeout_stop().value).as_str()), prop(&props, "TimeoutStopSec"), "{c}: TimeoutStopSec");
        let ours: Vec<Vec<String>> = u
            .exec_start()
            .into_iter()
            .map(|(_, cmd)| cmd.argv.iter().map(|w| w.text.replace("%n", &case.unit)).collect())
            .collect();
        assert_eq!(ours, dump.exec_start, "{c}: ExecStart argv");
        println!("agree: {} ({} ExecStart commands, {} environment variables)", case.name, ours.len(), env.len());
        checked += 1;
    }
    assert!(checked >= 3, "only {checked} units checked");
    println!("systemd oracle: {checked} units agree");
}

#[test]
fn timespan_format_matches_dump_style() {
    assert_eq!(format_timespan(SystemdTimespan::Usec(90_000_000)), "1min 30s");
    assert_eq!(format_timespan(SystemdTimespan::Usec(1_500_000)), "1s");
    assert_eq!(format_timespan(SystemdTimespan::Usec(500_000)), "500ms");
    assert_eq!(split_command_line(r#"/bin/kill -s HUP "\$MAINPID" """#), ["/bin/kill", "-s", "HUP", "$MAINPID", ""]);
}

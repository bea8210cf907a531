//! `odoo-lint tune` on every fixture stack (fixtures/rules/*/*, fixtures/stacks/*,
//! fixtures/demo), each with the host its odoo-lint.toml names, or 4 CPUs and 8 GiB: the plan
//! is written to a copy, and `check` on the copy must report no warning or error of a
//! capacity rule (unless the plan said the host cannot avoid it), no new warning or error of
//! any other rule, and a second `tune` must find nothing to change.

mod common;

use odoo_lint::config::{self, Config};
use odoo_lint::diagnostic::Severity;
use odoo_lint::lint::{self, Selection};
use odoo_lint::tune::{self, Options};
use odoo_lint::workspace::{self, Inputs};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The rules whose verdict depends on the values tune computes: workers and CPUs, memory
/// limits against the budget, timeouts against `limit_time_real`, connections against
/// `max_connections`, PostgreSQL's memory, open files, upload size, and the bus route that
/// prefork mode needs.
const CAPACITY_RULES: &[&str] = &[
    "OL101", "OL102", "OL201", "OL202", "OL203", "OL204", "OL206", "OL301", "OL302", "OL303", "OL304", "OL401", "OL402", "OL404",
    "OL501", "OL503", "OL505", "OL603", "OL604", "OL702", "OL704", "OL707",
];

fn cases() -> Vec<PathBuf> {
    let root = common::fixtures_dir();
    let mut out = vec![root.join("demo")];
    for dir in [root.join("stacks")] {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                out.push(p);
            }
        }
    }
    for rule in std::fs::read_dir(root.join("rules")).unwrap() {
        for case in std::fs::read_dir(rule.unwrap().path()).unwrap() {
            let p = case.unwrap().path();
            if p.is_dir() {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

fn config_for(case: &Path) -> Config {
    let toml = case.join(config::FILE_NAME);
    if toml.is_file() { config::load(&toml).unwrap() } else { Config::default() }
}

/// The case's inputs: its own host when its odoo-lint.toml names one, else 4 CPUs and 8 GiB.
fn inputs(case: &Path, config: &Config) -> Inputs {
    let host = config.host().unwrap_or_default();
    Inputs {
        paths: vec![case.to_path_buf()],
        cpus: host.cpus.is_none().then_some(4),
        memory: host.memory.is_none().then_some(odoo_lint::units::Bytes::gib(8)),
        ..Default::default()
    }
}

/// Warnings and errors by rule.
fn loud(inputs: &Inputs, config: &Config) -> BTreeMap<&'static str, usize> {
    let ws = workspace::build(inputs, config);
    let mut out = BTreeMap::new();
    for d in lint::lint(&ws.files, &ws.stacks, &Selection::default()) {
        if d.severity >= Severity::Warning {
            *out.entry(d.code).or_default() += 1;
        }
    }
    out
}

#[test]
fn tuned_fixtures_are_clean_and_stay_tuned() {
    let tmp = tempfile::tempdir().unwrap();
    let mut failures = Vec::new();
    let mut tuned_files = 0;
    for (n, case) in cases().into_iter().enumerate() {
        let copy = tmp.path().join(format!("{n}"));
        common::copy_dir(&case, &copy);
        let config = config_for(&copy);
        let inputs = inputs(&copy, &config);
        let opts = Options::from_config(&config, None);
        let before = loud(&inputs, &config);
        let tuned = tune::write::run(&inputs, &config, &opts);
        let name = case.strip_prefix(common::fixtures_dir()).unwrap().display().to_string();
        if !tuned.fixed.converged {
            failures.push(format!("{name}: the plan did not settle"));
        }
        // the rules tune cannot satisfy on this host, as its notes say
        let mut excused: Vec<&str> = Vec::new();
        for plan in tuned.plans.iter().flatten() {
            excused.extend(plan.notes.iter().filter_map(|n| n.code));
            if plan.host.memory.value < odoo_lint::units::Bytes::gib(2) {
                excused.push("OL203"); // the version's memory floor: a fact of the host
            }
        }
        for (path, f) in &tuned.fixed.files {
            odoo_lint::fix::write_atomic(path, &f.fixed).unwrap();
            tuned_files += 1;
        }
        let after = loud(&inputs, &config);
        for (code, count) in &after {
            if CAPACITY_RULES.contains(code) {
                if !excused.contains(code) {
                    failures.push(format!("{name}: {count} × {code} after tune"));
                }
            } else if !before.contains_key(code) {
                // A rule silent before stays silent. (A problem the stack already has may
                // repeat in what tune adds: a bus location copies the headers of the main
                // one, forwarded headers missing included.)
                failures.push(format!("{name}: tune added {count} × {code}"));
            }
        }
        let again = tune::write::run(&inputs, &config, &opts);
        if !again.fixed.files.is_empty() {
            let keys: Vec<&str> = again.fixed.files.values().flat_map(|f| f.codes.iter().map(|c| c.2)).collect();
            failures.push(format!("{name}: a second tune still changes {keys:?}"));
        }
    }
    assert!(tuned_files > 20, "tune changed only {tuned_files} files");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The plan's edits touch only the lines of the values they set: every other byte of every
/// file stays (comments, order, blank lines, line endings).
#[test]
fn write_is_lossless() {
    let case = common::fixtures_dir().join("demo");
    let config = config_for(&case);
    let inputs = inputs(&case, &config);
    let tuned = tune::write::run(&inputs, &config, &Options::default());
    assert!(!tuned.fixed.files.is_empty());
    for f in tuned.fixed.files.values() {
        let old = String::from_utf8_lossy(&f.original);
        let new = String::from_utf8_lossy(&f.fixed);
        let diff = similar::TextDiff::from_lines(old.as_ref(), new.as_ref());
        for change in diff.iter_all_changes() {
            if change.tag() == similar::ChangeTag::Delete {
                let line = change.value();
                let key = line.split(['=', ' ', '\t']).find(|w| !w.is_empty()).unwrap_or("");
                assert!(
                    f.codes.iter().any(|c| c.2 == key || c.2.starts_with(key)),
                    "{}: the removed line {line:?} is not one of the tuned settings {:?}",
                    f.display,
                    f.codes
                );
            }
        }
        // every line of the original is still there, changed or not, in order
        assert!(new.lines().count() >= old.lines().count(), "{}", f.display);
    }
}

fn odoo_lint() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_odoo-lint"));
    c.current_dir(env!("CARGO_MANIFEST_DIR")).env("NO_COLOR", "1");
    c
}

#[test]
fn cli_plan_json_and_write() {
    let tmp = tempfile::tempdir().unwrap();
    let copy = tmp.path().join("demo");
    common::copy_dir(&common::fixtures_dir().join("demo"), &copy);
    // the plan and the diff, exit 1: there is something to change
    let out = odoo_lint().arg("tune").arg(&copy).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("Memory: 4 GiB"), "{text}");
    assert!(text.contains("workers"), "{text}");
    assert!(text.contains("+workers = "), "{text}");
    assert!(!text.contains("odoo-db-secret"), "a secret in the diff");
    // JSON: one document with every setting, its formula and inputs
    let out = odoo_lint().args(["tune", "--format", "json"]).arg(&copy).output().unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let settings = doc["stacks"][0]["settings"].as_array().unwrap();
    let workers = settings.iter().find(|s| s["key"] == "workers").unwrap();
    assert_eq!(workers["decision"], "change");
    assert!(workers["formula"].as_str().unwrap().starts_with("min(CPUs 2 × 4 + 1"));
    assert_eq!(workers["current"]["value"]["amount"], 9.0);
    assert!(doc["files"].as_array().unwrap().len() >= 3);
    // --write, then the stack is tuned: exit 0 and nothing to change
    let out = odoo_lint().args(["tune", "--write"]).arg(&copy).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let out = odoo_lint().arg("tune").arg(&copy).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stdout));
    assert!(String::from_utf8_lossy(&out.stderr).contains("nothing to change"));
    // --users and pins from odoo-lint.toml
    std::fs::write(copy.join("odoo-lint.toml"), "[host]\ncpus = 8\nmemory = \"32GiB\"\n[tune]\nkeep = [\"max_connections\"]\n")
        .unwrap();
    let out = odoo_lint().args(["tune", "--format", "json", "--users", "30"]).arg(&copy).output().unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let settings = doc["stacks"][0]["settings"].as_array().unwrap();
    let workers = settings.iter().find(|s| s["key"] == "workers").unwrap();
    assert_eq!(workers["target"]["amount"], 5.0, "⌈30 / 6⌉ = 5: {workers}");
    let max_conn = settings.iter().find(|s| s["key"] == "max_connections").unwrap();
    assert_eq!(max_conn["decision"], "pinned");
}

#[test]
fn cli_needs_the_host() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("odoo.conf"), "[options]\nworkers = 4\n").unwrap();
    let out = odoo_lint().args(["tune", "--isolated"]).arg(tmp.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("not tuned") && text.contains("--cpus"), "{text}");
}

/// Absurd values, pinned so that every formula has to live with them, never crash the
/// planner, and the plan says which kept values break a rule.
#[test]
fn absurd_values_do_not_crash() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::write(
        dir.join("odoo.conf"),
        "[options]\nworkers = 9223372036854775807\nmax_cron_threads = 9223372036854775807\ndb_maxconn = 9223372036854775807\n\
         limit_memory_soft = 9223372036854775807\nlimit_memory_hard = -5\nlimit_time_real = -9223372036854775808\n\
         limit_time_cpu = 9223372036854775807\nlimit_time_real_cron = 0\nlimit_request = -1\n[queue_job]\nchannels = root:99999999999999999999\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("postgresql.conf"),
        "max_connections = 262143\nwork_mem = 2147483647kB\nshared_buffers = 1073741823\n",
    )
    .unwrap();
    std::fs::write(dir.join("limits.conf"), "odoo soft nofile unlimited\nodoo hard nofile 1\n").unwrap();
    for keep in
        [vec![], vec!["workers", "max_cron_threads", "db_maxconn", "limit_memory_soft", "limit_time_real", "max_connections"]]
    {
        let toml = format!("odoo-version = 17\n[tune]\nkeep = {:?}\n", keep);
        std::fs::write(dir.join("odoo-lint.toml"), toml).unwrap();
        let config = config_for(dir);
        for (cpus, gib) in [(1, 1), (1024, 4096)] {
            let inputs = Inputs {
                paths: vec![dir.to_path_buf()],
                cpus: Some(cpus),
                memory: Some(odoo_lint::units::Bytes::gib(gib)),
                ..Default::default()
            };
            let tuned = tune::write::run(&inputs, &config, &Options::from_config(&config, Some(u64::MAX)));
            let text = tune::render::text(&tuned, false);
            assert!(text.contains("Memory:"), "{text}");
            let _ = tune::render::json(&tuned);
            if !keep.is_empty() {
                let plan = tuned.plans[0].as_ref().unwrap();
                assert!(plan.notes.iter().any(|n| n.text.contains("pinned")), "{text}");
            }
        }
    }
}

/// The deployment guide's worked example through the whole planner: 4 CPUs, 60 concurrent
/// users and memory to spare give 8 HTTP workers and 1 cron worker.
#[test]
fn deployment_guide_example_end_to_end() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("odoo.conf"), "[options]\nworkers = 2\n").unwrap();
    std::fs::write(tmp.path().join("odoo-lint.toml"), "odoo-version = 17\n[host]\ncpus = 4\nmemory = \"16GiB\"\n").unwrap();
    let config = config_for(tmp.path());
    let inputs = Inputs { paths: vec![tmp.path().to_path_buf()], ..Default::default() };
    let tuned = tune::write::run(&inputs, &config, &Options::from_config(&config, Some(60)));
    let plan = tuned.plans[0].as_ref().unwrap();
    let get = |k: &str| plan.items.iter().find(|i| i.key == k).unwrap().target.int();
    assert_eq!(get("workers"), 8);
    assert_eq!(get("max_cron_threads"), 1);
    // no PostgreSQL in the stack: (16 GiB − 1 GiB reserve) / 10 processes = 1.5 GiB each
    assert_eq!(get("limit_memory_soft"), 1536 << 20);
    let text = tune::render::text(&tuned, false);
    assert!(text.contains("+workers = 8"), "{text}");
}

/// The README's tune excerpt is the program's real output (`UPDATE_README=1` rewrites it).
#[test]
fn readme_excerpt_is_real_output() {
    let out = odoo_lint().args(["tune", "fixtures/demo"]).env_remove("ODOO_LINT_OUTPUT_FORMAT").output().unwrap();
    assert_eq!(out.status.code(), Some(1), "the demo has something to tune");
    let stdout = String::from_utf8(out.stdout).unwrap();
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md");
    let mut text = std::fs::read_to_string(&path).unwrap();
    let (start, end) = ("<!-- tune:start -->", "<!-- tune:end -->");
    let a = text.find(start).expect("README has a tune excerpt") + start.len();
    let b = text[a..].find(end).unwrap() + a;
    if std::env::var_os("UPDATE_README").is_some() {
        let head: Vec<&str> = stdout.lines().take(26).collect();
        text = format!("{}\n```text\n{}\n```\n{}", &text[..a], head.join("\n"), &text[b..]);
        std::fs::write(&path, &text).unwrap();
    }
    let a = text.find(start).unwrap() + start.len();
    let b = text[a..].find(end).unwrap() + a;
    let excerpt = text[a..b].trim().strip_prefix("```text\n").and_then(|t| t.strip_suffix("```")).expect("a ```text block");
    assert!(
        stdout.starts_with(excerpt),
        "the README's tune excerpt is not what `odoo-lint tune fixtures/demo` prints:\n{stdout}"
    );
}

/// Values set on Odoo's command line are reported with where to change them, never edited,
/// and the plan is made around them (here: pools too large for any sane `max_connections`).
#[test]
fn flags_are_reported_not_edited() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::write(dir.join("odoo.conf"), "[options]\nworkers = 2\nlimit_time_real = 300\n").unwrap();
    std::fs::write(
        dir.join("odoo.service"),
        "[Service]\nUser=odoo\nExecStart=/usr/bin/odoo -c /etc/odoo/odoo.conf --workers=20 --db_maxconn=64\n",
    )
    .unwrap();
    std::fs::write(dir.join("postgresql.conf"), "max_connections = 50\n").unwrap();
    std::fs::write(dir.join("odoo-lint.toml"), "odoo-version = 17\n[host]\ncpus = 4\nmemory = \"8GiB\"\n").unwrap();
    let config = config_for(dir);
    let inputs = Inputs { paths: vec![dir.to_path_buf()], ..Default::default() };
    let tuned = tune::write::run(&inputs, &config, &Options::default());
    assert!(tuned.fixed.converged);
    let plan = tuned.plans[0].as_ref().unwrap();
    let workers = plan.items.iter().find(|i| i.key == "workers").unwrap();
    assert!(
        matches!(&workers.decision, tune::plan::Decision::Blocked(w) if w.contains("--workers=20")),
        "{:?}",
        workers.decision
    );
    assert_eq!(workers.effective().int(), 20);
    // 21 × 64 + 64 pools: more than 500 connections, so max_connections stays and a note says why
    assert!(plan.notes.iter().any(|n| n.code == Some("OL402")));
    let conf = tuned.fixed.files.values().find(|f| f.display.ends_with("odoo.conf")).unwrap();
    assert!(!f_contains(&conf.fixed, "workers = 20"));
    assert!(f_contains(&conf.fixed, "workers = 2\n"), "the file's own `workers` is not the one Odoo uses: left alone");
    let pg = tuned.fixed.files.values().find(|f| f.display.ends_with("postgresql.conf")).unwrap();
    assert!(f_contains(&pg.fixed, "max_connections = 50\n"));

    fn f_contains(bytes: &[u8], s: &str) -> bool {
        String::from_utf8_lossy(bytes).contains(s)
    }
}

//! postgresql.conf against the real PostgreSQL 15: every corpus file and every fixture under
//! fixtures/parsers/postgresql is loaded as a cluster's postgresql.conf, and
//!   * when we predict start-up errors, the server must log exactly those messages (and hints);
//!   * otherwise the server must accept the file, and `postgres -D DIR -C name` must print the
//!     value we compute (after units) for every parameter the files set, and for a few defaults.
//!
//! Corpus files name locales and include directories this machine lacks: those lines are the
//! environment, not syntax; they are commented out before the comparison and counted. Corpus
//! lines PostgreSQL 15 rejects (parameters removed since the file was written) must be rejected
//! by both, then are commented out too so that the rest can be compared.
//!
//! Needs the `postgresql-15` Debian package (initdb and postgres in /usr/lib/postgresql/15/bin,
//! or ODOO_LINT_PG_BIN). As root, the server runs as the `postgres` user through `runuser`.

mod common;

use common::postgres::{Server, output};

use odoo_lint::formats::postgresql::{
    AutoConf, EditLocation, IncludeProblemKind, LineKind, PgConfig, RealFs, StartupError, TypedValue, params, parse_command_line,
};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The error messages the server logged while reading its configuration, each with its hint.
fn logged_errors(stderr: &str) -> Vec<(String, Option<String>)> {
    let mut out: Vec<(String, Option<String>)> = Vec::new();
    for line in stderr.lines() {
        if let Some((_, msg)) = line.split_once("] LOG:  ") {
            if !msg.starts_with("skipping missing configuration file") {
                out.push((msg.to_string(), None));
            }
        } else if let Some((_, hint)) = line.split_once("] HINT:  ")
            && let Some(last) = out.last_mut()
        {
            last.1 = Some(hint.to_string());
        }
    }
    out
}

/// One configuration to compare: files relative to the cluster directory.
struct Case {
    name: String,
    files: Vec<(PathBuf, Vec<u8>)>,
    /// From the corpus: lines that fail for the environment are skipped.
    corpus: bool,
}

#[derive(Default)]
struct Tally {
    cases: usize,
    values: usize,
    defaults: usize,
    error_cases: usize,
    errors: usize,
    env_skipped: Vec<String>,
    rejected_skipped: Vec<String>,
    /// Equal but for the case a check hook gives them.
    canonicalised: Vec<String>,
    disagreements: Vec<String>,
}

const DEFAULTS: &[&str] = &[
    "shared_buffers",
    "work_mem",
    "maintenance_work_mem",
    "max_connections",
    "effective_cache_size",
    "checkpoint_timeout",
    "log_min_duration_statement",
    "wal_level",
    "autovacuum",
    "random_page_cost",
    "huge_pages",
    "max_wal_size",
];

fn available_locales() -> BTreeSet<String> {
    output(Command::new("locale").arg("-a")).lines().map(normalize_locale).collect()
}

/// glibc's normalisation: `en_US.UTF-8` and `en_US.utf8` are one locale.
fn normalize_locale(s: &str) -> String {
    s.to_ascii_lowercase().replace('-', "")
}

impl Server {
    fn write_case(&self, case: &Case) {
        for (rel, bytes) in &case.files {
            let path = self.cluster.join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, bytes).unwrap();
        }
    }

    fn clear_case(&self, case: &Case, pristine: &[(PathBuf, Vec<u8>)]) {
        for (rel, _) in &case.files {
            let _ = std::fs::remove_file(self.cluster.join(rel));
        }
        for (rel, _) in &case.files {
            // empty directories the case made
            let mut dir = self.cluster.join(rel);
            while dir.pop() && dir != self.cluster {
                if std::fs::remove_dir(&dir).is_err() {
                    break;
                }
            }
        }
        for (rel, bytes) in pristine {
            std::fs::write(self.cluster.join(rel), bytes).unwrap();
        }
    }

    fn load(&self) -> PgConfig {
        PgConfig::load(&self.cluster.join("postgresql.conf"), &RealFs, AutoConf::DataDirectory).unwrap()
    }

    fn check(&self, case: &Case, tally: &mut Tally, locales: &BTreeSet<String>) {
        tally.cases += 1;
        self.write_case(case);
        let mut config = self.load();
        if case.corpus {
            // The environment: missing include targets, locales this machine lacks.
            let mut skip = Vec::new();
            for p in &config.problems {
                if matches!(p.kind, IncludeProblemKind::NotFound | IncludeProblemKind::DirNotFound) && p.file == 0 {
                    skip.push(config.main().source.line_of(p.range.start as usize));
                }
            }
            for (file, s) in config.occurrences() {
                if file == 0 && s.name.key.starts_with("lc_") && !locales.contains(&normalize_locale(&s.value.text)) {
                    skip.push(config.main().source.line_of(s.value.range.start as usize));
                }
            }
            for &l in &skip {
                let text = line_text(&config, l);
                tally.env_skipped.push(format!("{}:{}: {}", case.name, l + 1, text));
            }
            if !skip.is_empty() {
                self.comment_out(&config, &skip);
                config = self.load();
            }
        }
        let predicted = config.startup_errors();
        let (ok, _, stderr) = self.show("port");
        if !predicted.is_empty() || !ok {
            let ours: Vec<(String, Option<String>)> = predicted.iter().map(|e| (e.message.clone(), e.hint.clone())).collect();
            let theirs = logged_errors(&stderr);
            if ok || ours != theirs {
                tally.disagreements.push(format!(
                    "{}: start-up errors differ\n  ours:       {ours:?}\n  postgresql: {theirs:?} (started: {ok})",
                    case.name
                ));
                return;
            }
            tally.error_cases += 1;
            tally.errors += ours.len();
            if !case.corpus {
                return;
            }
            // Both reject these lines (PostgreSQL 15 no longer knows the parameter, ...):
            // comment them out and compare the rest.
            let lines = error_lines(&config, &predicted);
            for &l in &lines {
                tally.rejected_skipped.push(format!("{}:{}: {}", case.name, l + 1, line_text(&config, l)));
            }
            self.comment_out(&config, &lines);
            config = self.load();
            if !config.startup_errors().is_empty() || !self.show("port").0 {
                tally.disagreements.push(format!("{}: still errors after commenting out rejected lines", case.name));
                return;
            }
        }
        self.compare_values(case, &config, tally);
    }

    fn comment_out(&self, config: &PgConfig, lines: &[usize]) {
        let src = &config.main().source;
        let mut bytes = Vec::new();
        for l in 0..src.line_count() {
            let start = src.line_start(l);
            let end = if l + 1 < src.line_count() { src.line_start(l + 1) } else { src.len() };
            if lines.contains(&l) {
                bytes.extend_from_slice(b"#skipped: ");
            }
            bytes.extend_from_slice(&src.bytes[start..end]);
        }
        std::fs::write(self.cluster.join("postgresql.conf"), bytes).unwrap();
    }

    fn compare_values(&self, case: &Case, config: &PgConfig, tally: &mut Tally) {
        let mut names: Vec<(String, bool)> = config
            .params()
            .into_iter()
            // config_file is set by the server itself; a file cannot change it
            .filter(|p| p.key != "config_file")
            .map(|p| (p.key, false))
            .collect();
        names.extend(DEFAULTS.iter().filter(|d| config.param(d).is_none()).map(|d| (d.to_string(), true)));
        // (name, is a default, ours, postgres -C)
        type Compared = (String, bool, String, (bool, String, String));
        let results: Vec<Compared> = std::thread::scope(|scope| {
            let chunks: Vec<Vec<(String, bool)>> = names.chunks(names.len().div_ceil(4).max(1)).map(|c| c.to_vec()).collect();
            let handles: Vec<_> = chunks
                .into_iter()
                .map(|chunk| {
                    scope.spawn(move || {
                        chunk
                            .into_iter()
                            .map(|(name, default)| {
                                let ours = our_value(config, &name);
                                let theirs = self.show(&name);
                                (name, default, ours, theirs)
                            })
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            handles.into_iter().flat_map(|h| h.join().unwrap()).collect()
        });
        for (name, default, ours, (ok, theirs, stderr)) in results {
            if !ok {
                tally.disagreements.push(format!("{}: postgres -C {name} failed: {stderr}", case.name));
                continue;
            }
            if ours != theirs {
                if same_after_check_hook(&name, &ours, &theirs) {
                    tally.canonicalised.push(format!("{}: {name}: ours {ours:?}, postgresql {theirs:?}", case.name));
                } else {
                    tally.disagreements.push(format!("{}: {name}: ours {ours:?}, postgresql {theirs:?}", case.name));
                }
            }
            if default { tally.defaults += 1 } else { tally.values += 1 }
        }
    }
}

/// Our value of a parameter, as `postgres -C` prints it.
fn our_value(config: &PgConfig, name: &str) -> String {
    match config.typed(name) {
        Some(Ok(e)) => match (&e.value, params::lookup(name)) {
            // a placeholder keeps the text as written
            (TypedValue::String(s), None) => s.clone(),
            (v, _) => v.display(),
        },
        Some(Err(e)) => format!("<error: {}>", e.message),
        None => "<unset>".to_string(),
    }
}

/// DateStyle's check hook rewrites it in capitals (`iso, mdy` is shown as `ISO, MDY`); we keep
/// the text as written.
fn same_after_check_hook(name: &str, ours: &str, theirs: &str) -> bool {
    name == "datestyle" && ours.eq_ignore_ascii_case(theirs)
}

fn line_text(config: &PgConfig, line: usize) -> String {
    let src = &config.main().source;
    src.line_range(line).of(&src.text).to_string()
}

/// The main-file lines our predicted errors point at.
fn error_lines(config: &PgConfig, errors: &[StartupError]) -> Vec<usize> {
    let src = &config.main().source;
    let mut lines: Vec<usize> =
        errors.iter().filter(|e| e.file == Some(0)).map(|e| src.line_of(e.range.start as usize)).collect();
    lines.dedup();
    lines
}

fn read_tree(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    fn walk(base: &Path, dir: &Path, out: &mut Vec<(PathBuf, Vec<u8>)>) {
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(base, &p, out);
            } else {
                out.push((p.strip_prefix(base).unwrap().to_path_buf(), std::fs::read(&p).unwrap()));
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

fn cases() -> Vec<Case> {
    let mut cases = Vec::new();
    let corpus = common::corpus_files("postgresql");
    for path in &corpus {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name.ends_with("postgresql.auto.conf") {
            continue;
        }
        let mut files = vec![(PathBuf::from("postgresql.conf"), std::fs::read(path).unwrap())];
        // a postgresql.auto.conf from the same repository goes beside it
        let auto = path.with_file_name(name.replace("postgresql.conf", "postgresql.auto.conf"));
        if auto != *path && auto.is_file() {
            files.push((PathBuf::from("postgresql.auto.conf"), std::fs::read(&auto).unwrap()));
        }
        cases.push(Case { name, files, corpus: true });
    }
    let fixtures = common::fixtures_dir().join("parsers/postgresql");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&fixtures).unwrap().flatten().map(|e| e.path()).collect();
    dirs.sort();
    for dir in dirs {
        let name = format!("fixture {}", dir.file_name().unwrap().to_string_lossy());
        cases.push(Case { name, files: read_tree(&dir), corpus: false });
    }
    cases
}

#[test]
fn postgresql_reads_what_we_read() {
    let Some(server) = Server::start() else { return };
    let pristine: Vec<(PathBuf, Vec<u8>)> = ["postgresql.conf", "postgresql.auto.conf"]
        .iter()
        .map(|f| (PathBuf::from(f), std::fs::read(server.cluster.join(f)).unwrap()))
        .collect();
    let locales = available_locales();
    let mut tally = Tally::default();
    for case in cases() {
        server.check(&case, &mut tally, &locales);
        server.clear_case(&case, &pristine);
    }
    eprintln!(
        "postgresql oracle: {} configurations; {} values and {} defaults agree; {} configurations rejected by both \
         with the same {} messages",
        tally.cases, tally.values, tally.defaults, tally.error_cases, tally.errors
    );
    eprintln!("skipped as environment ({} lines):", tally.env_skipped.len());
    for s in &tally.env_skipped {
        eprintln!("  {s}");
    }
    eprintln!("rejected by PostgreSQL 15 and by us, then skipped ({} lines):", tally.rejected_skipped.len());
    for s in &tally.rejected_skipped {
        eprintln!("  {s}");
    }
    eprintln!("equal but for the case PostgreSQL's check hook gives them ({}):", tally.canonicalised.len());
    for s in &tally.canonicalised {
        eprintln!("  {s}");
    }
    assert!(tally.disagreements.is_empty(), "{} disagreements:\n{}", tally.disagreements.len(), tally.disagreements.join("\n"));
    assert!(tally.values > 300, "too few values compared: {}", tally.values);
}

/// initdb's own postgresql.conf: every commented-out setting in it names a real parameter (or
/// an include directive), and the file reads clean.
#[test]
fn initdb_sample_commented_settings_are_parameters() {
    let Some(server) = Server::start() else { return };
    let config = server.load();
    assert!(config.startup_errors().is_empty());
    let commented: Vec<String> = config.main().conf.commented().map(|c| c.setting.name.text.clone()).collect();
    assert!(commented.len() > 250, "{}", commented.len());
    let others: Vec<&str> = commented
        .iter()
        .map(String::as_str)
        .filter(|n| params::lookup(n).is_none() && !["include", "include_dir", "include_if_exists"].contains(n))
        .collect();
    // Two lines of the file's own header read as settings too: `#   name = value` and the unit
    // table's `#   d   = days`. They name no parameter, so no edit ever picks them.
    assert_eq!(others, ["name", "d"]);
    // and every parameter the sample shows commented out is still found by the edit finder
    let loc = config.edit_location("shared_buffers");
    assert!(matches!(loc, EditLocation::Value { .. }), "initdb sets shared_buffers");
    let loc = config.edit_location("work_mem");
    let EditLocation::Uncomment { commented, .. } = loc else { panic!("{loc:?}") };
    assert!(matches!(config.main().conf.lines[commented.setting.line as usize - 1].kind, LineKind::Commented(_)));
}

/// Command lines: `-c`, `--name=value`, short options and their order, over a file.
#[test]
fn command_lines_agree() {
    let Some(server) = Server::start() else { return };
    std::fs::write(server.cluster.join("postgresql.conf"), "max_connections = 100\nwork_mem = 4MB\nport = 5433\n").unwrap();
    let lines: &[&[&str]] = &[
        &["-c", "work_mem=64MB", "--shared-buffers=1GB", "-cmax_wal_size=2GB"],
        &["-c", "shared_buffers=300", "-B", "400", "-N", "50", "-p", "6000"],
        &["-Fi", "-S", "1000", "-c", "pg_stat_statements.max=5000", "--sort-mem=2MB"],
        &["-c", "wal_level=hot_standby", "-h", "127.0.0.1", "-k", "/tmp", "-d", "3"],
    ];
    let names = [
        "work_mem",
        "shared_buffers",
        "max_wal_size",
        "max_connections",
        "port",
        "fsync",
        "listen_addresses",
        "wal_level",
        "unix_socket_directories",
        "log_min_messages",
        "pg_stat_statements.max",
    ];
    let mut compared = 0;
    for args in lines {
        let mut words = vec!["postgres".to_string()];
        words.extend(args.iter().map(|s| s.to_string()));
        let config = server.load().with_command_line(parse_command_line(&words));
        assert!(config.startup_errors().is_empty(), "{args:?}: {:?}", config.startup_errors());
        for name in names {
            let ours = our_value(&config, name);
            if ours == "<unset>" {
                continue;
            }
            let out = server.command("postgres").arg("-D").arg(&server.cluster).args(*args).arg("-C").arg(name).output().unwrap();
            let theirs = String::from_utf8_lossy(&out.stdout).trim_end().to_string();
            // `-d 3` makes the server chatty on stderr; the value is the last stdout line
            let theirs = theirs.lines().last().unwrap_or("").to_string();
            assert!(out.status.success(), "{args:?} -C {name}: {}", String::from_utf8_lossy(&out.stderr));
            assert_eq!(ours, theirs, "{args:?}: {name}");
            compared += 1;
        }
    }
    assert!(compared > 30, "{compared}");
    eprintln!("postgresql oracle: {compared} values under command lines agree");
}

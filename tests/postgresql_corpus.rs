//! postgresql.conf: every corpus file and fixture round-trips byte for byte, never panics, and
//! reads as the corpus README says it does. (tests/postgresql_oracle.rs compares the values
//! with the real server.)

mod common;

use odoo_lint::formats::postgresql::{AutoConf, IncludeProblemKind, LineKind, PgConf, PgConfig, RealFs, TokenKind};
use odoo_lint::source::SourceFile;
use std::path::{Path, PathBuf};

fn parse(path: &Path) -> (SourceFile, PgConf) {
    let src = SourceFile::new(path, std::fs::read(path).unwrap());
    let conf = PgConf::parse(&src);
    (src, conf)
}

fn assert_round_trip(path: &Path, src: &SourceFile, conf: &PgConf) {
    let mut out = Vec::new();
    let mut at = 0;
    for r in conf.pieces() {
        assert_eq!(r.start, at, "{}: pieces must tile the file", path.display());
        out.extend_from_slice(&src.bytes[r.range()]);
        at = r.end;
    }
    assert_eq!(out, src.bytes, "{} does not reprint byte-identical", path.display());
    // every setting's spans point at what they claim
    for s in conf.settings() {
        assert_eq!(s.name.range.of(&src.text).len(), s.name.text.len().min(s.name.range.len()));
        assert!(s.line_range.contains_range(s.value.range), "{}", path.display());
        if s.value.kind == TokenKind::String {
            assert!(s.value.range.of(&src.text).starts_with('\''));
        }
    }
}

fn fixture_files() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() { walk(&p, out) } else { out.push(p) }
        }
    }
    let mut out = Vec::new();
    walk(&common::fixtures_dir().join("parsers/postgresql"), &mut out);
    out.sort();
    assert!(!out.is_empty());
    out
}

#[test]
fn corpus_round_trips_and_reads_clean() {
    for path in common::corpus_files("postgresql") {
        let (src, conf) = parse(&path);
        assert_round_trip(&path, &src, &conf);
        // PostgreSQL 15 accepts the syntax of every corpus file (corpus README)
        assert!(conf.errors.is_empty(), "{}: {:?}", path.display(), conf.errors);
        // resolving includes against the disk never panics; missing ones are problems
        let config = PgConfig::load(&path, &RealFs, AutoConf::None).unwrap();
        let _ = config.startup_errors();
        for p in config.params() {
            let _ = config.typed(&p.key);
        }
    }
}

#[test]
fn fixtures_round_trip() {
    for path in fixture_files() {
        let (src, conf) = parse(&path);
        assert_round_trip(&path, &src, &conf);
    }
}

fn corpus(name: &str) -> PathBuf {
    common::corpus_dir().join("postgresql").join(name)
}

#[test]
fn corpus_oddities_from_the_readme() {
    // a duplicate key: the second max_wal_size wins
    let config = PgConfig::load(
        &corpus("binaural-dev__docker-odoo__.resources_dbconfigs_postgresql.4gb.2cpu.conf"),
        &RealFs,
        AutoConf::None,
    )
    .unwrap();
    let dup = config.param("max_wal_size").unwrap();
    assert_eq!(dup.overridden.len(), 1);
    assert_eq!(config.memory_bytes("max_wal_size").unwrap().unwrap().value, 4 << 30);
    assert_eq!(config.memory_bytes("work_mem").unwrap().unwrap().value, 5041 * 1024);
    // include_dir of a directory that is not in the repository
    let config = PgConfig::load(&corpus("A-Souhei__PostgreSQL.Conf.Low__postgresql.conf"), &RealFs, AutoConf::None).unwrap();
    assert_eq!(config.problems.len(), 1);
    assert_eq!(config.problems[0].kind, IncludeProblemKind::DirNotFound);
    // key=value without spaces, dotted custom parameters
    let config =
        PgConfig::load(&corpus("DataDog__dd-database-monitoring-example__postgres_postgresql.conf"), &RealFs, AutoConf::None)
            .unwrap();
    assert_eq!(config.string("shared_preload_libraries").unwrap().unwrap().value, "pg_stat_statements");
    assert_eq!(config.int("pg_stat_statements.max").unwrap().unwrap().value, 10000);
    // a comment-only postgresql.auto.conf beside its postgresql.conf
    let (_, auto) = parse(&corpus("Arthav__odoo-dmnc__postgres_postgresql.auto.conf"));
    assert!(auto.lines.iter().all(|l| matches!(l.kind, LineKind::Comment | LineKind::Blank)));
    // '…'# comment with no space, tab-aligned comments
    let (src, conf) = parse(&corpus("AlexanderKiyanov__postgres-docker__config_postgresql.conf"));
    let hba = conf.get("hba_file").unwrap();
    assert_eq!(hba.comment.unwrap().of(&src.text), "# host-based authentication file");
    // the full-length sample files have their commented-out defaults
    let (src, conf) = parse(&corpus("odoo__docker__config_postgresql.conf"));
    let commented: Vec<&str> = conf.commented().map(|c| c.setting.name.text.as_str()).collect();
    assert!(commented.len() > 200, "{}", commented.len());
    let wm = conf.commented().find(|c| c.setting.name.key == "work_mem").unwrap();
    assert_eq!(wm.setting.line_range.of(&src.text), "#work_mem = 4MB\t\t\t\t# min 64kB");
}

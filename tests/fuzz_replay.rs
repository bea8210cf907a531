//! The fuzz targets' own code (`odoo_lint::fuzzing`) over their seeds and every saved crash:
//! each corpus and fixture file through the target of its format (the same choice of files
//! as `fuzz/seed.sh`), each fixture directory as a stack through the pipeline target, and
//! every input under `fuzz/regressions/<target>/` through its target. So `cargo test` keeps
//! every crash the fuzzers ever found fixed, without cargo-fuzz.

use odoo_lint::fuzzing::{self, TARGETS};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else { return };
    let mut entries: Vec<PathBuf> = rd.flatten().map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            walk(&p, out);
        } else {
            out.push(p);
        }
    }
}

/// The targets a seed file feeds, by its path (as fuzz/seed.sh chooses).
fn targets_of(rel: &str) -> Vec<&'static str> {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    let mut t = Vec::new();
    if rel.starts_with("tests/corpus/odoo/")
        || rel.starts_with("fixtures/parsers/odoo_conf/")
        || (name.starts_with("odoo") && name.ends_with(".conf"))
    {
        t.push("odoo_conf");
    }
    if rel.starts_with("tests/corpus/nginx-")
        || rel.starts_with("fixtures/parsers/nginx/")
        || rel.contains("/nginx/")
        || (name.contains("nginx") && name.ends_with(".conf"))
    {
        t.push("nginx");
    }
    if rel.starts_with("tests/corpus/postgresql/")
        || rel.starts_with("fixtures/parsers/postgresql/")
        || (name.contains("postgresql") && name.ends_with(".conf"))
    {
        t.push("postgresql");
    }
    if name.contains("limits") && name.ends_with(".conf") {
        t.push("limits");
    }
    if name.ends_with(".service")
        || rel.contains(".service.d")
        || rel.starts_with("fixtures/parsers/systemd/")
        || rel.contains("/systemd/")
    {
        t.push("systemd");
    }
    if name.ends_with(".yml") || name.ends_with(".yaml") {
        t.push("compose");
    }
    if name == ".env" || name.ends_with(".env") || rel.contains("/env-file/") || rel.contains("/dotenv/") {
        t.push("dotenv");
    }
    t
}

fn target(name: &str) -> fn(&[u8]) {
    TARGETS.iter().find(|(n, _)| *n == name).map(|(_, f)| *f).unwrap()
}

#[test]
fn every_seed_file_through_its_parser_target() {
    let mut files = Vec::new();
    walk(&root().join("tests/corpus"), &mut files);
    walk(&root().join("fixtures"), &mut files);
    let mut counts = std::collections::BTreeMap::new();
    for path in files {
        let rel = path.strip_prefix(root()).unwrap().to_string_lossy().replace('\\', "/");
        if rel.ends_with(".md") || rel.ends_with(".tsv") || rel.ends_with(".snap") {
            continue;
        }
        let bytes = std::fs::read(&path).unwrap();
        for t in targets_of(&rel) {
            target(t)(&bytes);
            *counts.entry(t).or_insert(0) += 1;
        }
    }
    // every parser target has seeds
    for (name, _) in TARGETS.iter().filter(|(n, _)| *n != "pipeline") {
        assert!(counts.get(name).copied().unwrap_or(0) >= 5, "too few seeds for {name}: {counts:?}");
    }
}

/// The fixture directories as stacks, laid out as the pipeline target lays out its input.
#[test]
fn every_fixture_stack_through_the_pipeline_target() {
    let mut dirs = Vec::new();
    for parent in ["fixtures/rules", "fixtures/stacks"] {
        for e in std::fs::read_dir(root().join(parent)).unwrap().flatten() {
            let sub: Vec<PathBuf> =
                std::fs::read_dir(e.path()).unwrap().flatten().map(|e| e.path()).filter(|p| p.is_dir()).collect();
            if parent == "fixtures/rules" { dirs.extend(sub) } else { dirs.push(e.path()) }
        }
    }
    dirs.sort();
    assert!(dirs.len() > 100);
    for dir in dirs {
        let mut files = Vec::new();
        walk(&dir, &mut files);
        let mut input = Vec::new();
        for (i, f) in files.iter().filter(|f| !f.to_string_lossy().ends_with(".snap")).take(8).enumerate() {
            if i > 0 {
                input.push(0x1E);
            }
            input.extend_from_slice(f.strip_prefix(&dir).unwrap().to_string_lossy().as_bytes());
            input.push(b'\n');
            input.extend_from_slice(&std::fs::read(f).unwrap());
        }
        let split = fuzzing::split_stack(&input);
        assert!(!split.is_empty(), "{}", dir.display());
        fuzzing::pipeline(&input);
    }
}

/// Crashes the fuzzers found, kept as fuzz/regressions/<target>/<name>.
#[test]
fn every_saved_crash_input() {
    let dir = root().join("fuzz/regressions");
    let mut n = 0;
    for (name, f) in TARGETS {
        let mut files = Vec::new();
        walk(&dir.join(name), &mut files);
        for path in files {
            eprintln!("{name}: {}", path.display());
            f(&std::fs::read(&path).unwrap());
            n += 1;
        }
    }
    eprintln!("{n} saved crash inputs replayed");
}

#[test]
fn split_stack_names_and_defaults() {
    let files = fuzzing::split_stack(b"odoo.conf\n[options]\n\x1e../../etc/passwd\nx\x1e\nno name\x1enginx/../a/b/c/d.conf\n");
    let names: Vec<String> = files.iter().map(|(p, _)| p.to_string_lossy().into_owned()).collect();
    assert_eq!(names, ["odoo.conf", "etc/passwd", "postgresql.conf", "nginx/a/b"]);
    assert_eq!(files[0].1, b"[options]\n");
    assert_eq!(files[2].1, b"no name");
}

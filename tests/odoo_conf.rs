//! odoo.conf: every corpus file round-trips byte for byte, never panics, and reads exactly
//! as Python's configparser reads it.

mod common;

use odoo_lint::formats::odoo_conf;
use odoo_lint::source::SourceFile;
use std::collections::BTreeMap;
use std::process::Command;

fn parse(path: &std::path::Path) -> (SourceFile, odoo_conf::OdooConf) {
    let bytes = std::fs::read(path).unwrap();
    let src = SourceFile::new(path, bytes);
    let conf = odoo_conf::parse(&src);
    (src, conf)
}

#[test]
fn corpus_round_trips_byte_for_byte() {
    for path in common::corpus_files("odoo") {
        let (src, conf) = parse(&path);
        let mut out = Vec::new();
        for line in &conf.lines {
            out.extend_from_slice(&src.bytes[line.full_range().range()]);
        }
        assert_eq!(out, src.bytes, "{} does not reprint byte-identical", path.display());
    }
}

/// Our reading, in the shape the Python script prints.
fn ours(src: &SourceFile, conf: &odoo_conf::OdooConf) -> serde_json::Value {
    if !src.is_utf8() {
        return serde_json::json!({"error": "UnicodeDecodeError"});
    }
    if !conf.before_first_section.is_empty() {
        return serde_json::json!({"error": "MissingSectionHeaderError"});
    }
    if conf.sections.iter().any(|s| s.duplicate_of.is_some()) {
        return serde_json::json!({"error": "DuplicateSectionError"});
    }
    if conf.entries.iter().any(|e| e.duplicate_of.is_some()) {
        return serde_json::json!({"error": "DuplicateOptionError"});
    }
    if !conf.errors.is_empty() {
        return serde_json::json!({"error": "ParsingError"});
    }
    let mut sections = serde_json::Map::new();
    for name in conf.section_names() {
        let items: Vec<serde_json::Value> = conf.items(name).iter().map(|e| serde_json::json!([e.key, e.value])).collect();
        sections.insert(name.to_string(), serde_json::Value::Array(items));
    }
    let defaults: Vec<serde_json::Value> = conf.items("DEFAULT").iter().map(|e| serde_json::json!([e.key, e.value])).collect();
    serde_json::json!({"sections": sections, "defaults": defaults})
}

fn python_reading(paths: &[std::path::PathBuf]) -> Option<BTreeMap<String, serde_json::Value>> {
    let python = common::python3()?;
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/oracles/configparser_dump.py");
    let output = Command::new(python).arg(script).args(paths).output().expect("run python3");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let mut map = BTreeMap::new();
    for line in String::from_utf8(output.stdout).unwrap().lines() {
        let mut v: serde_json::Value = serde_json::from_str(line).unwrap();
        let path = v["path"].as_str().unwrap().to_string();
        v.as_object_mut().unwrap().remove("path");
        map.insert(path, v);
    }
    Some(map)
}

fn compare(paths: Vec<std::path::PathBuf>) -> usize {
    let Some(theirs) = python_reading(&paths) else { return 0 };
    let mut compared = 0;
    for path in &paths {
        let (src, conf) = parse(path);
        let ours = ours(&src, &conf);
        let theirs = &theirs[&path.display().to_string()];
        assert_eq!(&ours, theirs, "{}: our reading differs from Python's configparser", path.display());
        compared += 1;
    }
    compared
}

#[test]
fn corpus_reads_like_python_configparser() {
    let files = common::corpus_files("odoo");
    let n = files.len();
    let compared = compare(files);
    assert!(compared == n || compared == 0);
}

#[test]
fn tricky_fixtures_read_like_python_configparser() {
    let dir = common::fixtures_dir().join("parsers/odoo_conf");
    let mut files: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    assert!(files.len() >= 10, "expected the tricky odoo.conf fixtures in {}", dir.display());
    compare(files);
}

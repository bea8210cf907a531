//! No output of odoo-lint prints a secret. A stack of every format holds passwords where
//! deployments put them (odoo.conf `admin_passwd`, `db_password`, `smtp_password`; compose
//! `POSTGRES_PASSWORD`, `PASSWORD`, `--db_password` in a command, a database URL; `.env`; a
//! unit's `Environment=PGPASSWORD` and `-w`; postgresql.conf's `primary_conninfo`; a URL
//! with credentials in nginx), and every output format, `--diff`, `--fix`, `--statistics`,
//! `--show-suppressed` and `tune` in both formats are run over it. (tests/formats.rs holds
//! the same check for odoo.conf alone.)

mod common;

use assert_cmd::Command;
use std::path::{Path, PathBuf};

const STACK: &str = "fixtures/cli/secrets-stack";

/// Every secret of the stack: each value is unique in the fixture and long enough to be
/// found in any output.
const SECRETS: &[&str] = &[
    "StackAdm1nS3cret",
    "StackDbS3cret",
    "StackDbSecondS3cret",
    "StackSmtpS3cret",
    "StackSentryUrlS3cret",
    "StackCmdS3cret",
    "StackOdooEnvS3cret",
    "StackComposeUrlS3cret",
    "StackPgEnvS3cret",
    "StackDotenvS3cret",
    "StackDotenvQuotedS3cret",
    "StackUnitEnvS3cret",
    "StackUnitQuotedS3cret",
    "StackUnitFlagS3cret",
    "StackUnitLongS3cret",
    "StackPgConnS3cret",
    "StackNginxUrlS3cret",
];

const FORMATS: [&str; 8] = ["full", "concise", "json", "json-lines", "sarif", "github", "gitlab", "junit"];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn run(dir: &Path, args: &[&str]) -> String {
    let out = Command::cargo_bin("odoo-lint")
        .unwrap()
        .current_dir(dir)
        .env_remove("ODOO_LINT_OUTPUT_FORMAT")
        .env("NO_COLOR", "1")
        .args(args)
        .args(["--cpus", "4", "--memory", "8GiB"])
        .output()
        .unwrap();
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{args:?}: exit {:?}: {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

fn assert_no_secret(what: &str, output: &str) {
    assert!(!output.trim().is_empty(), "{what} printed nothing");
    for s in SECRETS {
        assert!(!output.contains(s), "{what} prints the secret {s}:\n{output}");
    }
}

/// The fixture really holds every secret, and nothing else in it looks like one.
#[test]
fn the_stack_holds_every_secret_once() {
    let mut all = String::new();
    for f in ["odoo.conf", "docker-compose.yml", ".env", "odoo.service", "postgresql.conf", "nginx/odoo.conf"] {
        all.push_str(&std::fs::read_to_string(root().join(STACK).join(f)).unwrap());
    }
    for s in SECRETS {
        assert_eq!(all.matches(s).count(), 1, "{s}");
    }
    assert_eq!(all.matches("S3cret").count(), SECRETS.len());
}

#[test]
fn check_prints_no_secret_in_any_format() {
    let dir = root();
    for f in FORMATS {
        for extra in [&[][..], &["--unsafe-fixes"], &["--show-suppressed"]] {
            let mut args = vec!["check", STACK, "--format", f];
            args.extend_from_slice(extra);
            let out = run(&dir, &args);
            assert_no_secret(&format!("{args:?}"), &out);
        }
    }
    for args in [
        &["check", STACK, "--diff", "--unsafe-fixes"][..],
        &["check", STACK, "--statistics"],
        &["check", STACK, "--statistics", "--format", "json"],
        &["tune", STACK],
        &["tune", STACK, "--format", "json"],
    ] {
        let out = run(&dir, args);
        assert_no_secret(&format!("{args:?}"), &out);
    }
}

/// `--fix` reports what it did without a secret, and keeps every secret in the files.
#[test]
fn fix_prints_no_secret_and_keeps_them_in_the_files() {
    let tmp = tempfile::tempdir().unwrap();
    let copy = tmp.path().join("stack");
    common::copy_dir(&root().join(STACK), &copy);
    for args in [&["check", "stack", "--fix", "--unsafe-fixes"][..], &["tune", "stack", "--write"]] {
        let out = run(tmp.path(), args);
        assert_no_secret(&format!("{args:?}"), &out);
    }
    let mut all = String::new();
    for f in ["odoo.conf", "docker-compose.yml", ".env", "odoo.service", "postgresql.conf", "nginx/odoo.conf"] {
        all.push_str(&std::fs::read_to_string(copy.join(f)).unwrap());
    }
    // OL009 moves the inline comment off `db_password`: the password stays, without it
    for s in SECRETS {
        assert!(all.contains(s), "the fixes lost the secret {s}");
    }
}

//! The binary as a user meets it: exit codes, output formats, the rule commands, --diff and
//! --fix on a copy of a fixture.

mod common;

use assert_cmd::Command;
use predicates::prelude::*;
use std::path::Path;

fn odoo_lint() -> Command {
    let mut c = Command::cargo_bin("odoo-lint").unwrap();
    c.current_dir(env!("CARGO_MANIFEST_DIR")).env_remove("ODOO_LINT_OUTPUT_FORMAT").env("NO_COLOR", "1");
    c
}

const BAD: &str = "fixtures/rules/OL004-duplicate-option/bad";
const GOOD: &str = "fixtures/stacks/clean";

#[test]
fn exit_0_when_nothing_at_or_above_fail_on() {
    // Infos do not fail the default `--fail-on warning`.
    odoo_lint().args(["check", "fixtures/cli/info-only"]).assert().code(0).stdout(predicate::str::contains("2 infos"));
    odoo_lint().args(["check", GOOD]).assert().code(0).stdout(predicate::str::contains("no problems in 1 stack (1 file)"));
}

#[test]
fn exit_1_on_findings_and_fail_on_moves_the_bar() {
    odoo_lint().args(["check", BAD]).assert().code(1).stdout(predicate::str::contains("OL004"));
    odoo_lint().args(["check", BAD, "--fail-on", "never"]).assert().code(0);
    odoo_lint().args(["check", "fixtures/cli/info-only", "--fail-on", "info"]).assert().code(1);
}

#[test]
fn exit_2_on_usage_and_io_errors() {
    odoo_lint().args(["check", "no/such/dir"]).assert().code(2).stderr(predicate::str::contains("no such file or directory"));
    odoo_lint().args(["check", BAD, "--memory", "lots"]).assert().code(2).stderr(predicate::str::contains("not a size"));
    odoo_lint().args(["check", BAD, "--select", "OL999"]).assert().code(2).stderr(predicate::str::contains("names no rule"));
    odoo_lint().args(["check", BAD, "--fail-on", "sometimes"]).assert().code(2);
    odoo_lint().args(["check", "--bogus-flag"]).assert().code(2);
    odoo_lint().args(["check", "src"]).assert().code(2).stderr(predicate::str::contains("found no stack files"));
    odoo_lint().args(["check", "Cargo.toml"]).assert().code(2).stderr(predicate::str::contains("cannot tell what kind of file"));
}

#[test]
fn kind_flag_forces_a_kind() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("settings.txt");
    std::fs::write(&f, "[options]\nworkers = 2\nworkers = 3\n").unwrap();
    odoo_lint()
        .args(["check", "--kind"])
        .arg(format!("odoo={}", f.display()))
        .assert()
        .code(1)
        .stdout(predicate::str::contains("OL004"));
}

#[test]
fn concise_is_one_line_per_finding() {
    let out = odoo_lint().args(["check", BAD, "--format", "concise", "--quiet"]).assert().code(1).get_output().stdout.clone();
    let text = String::from_utf8(out).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(!lines.is_empty());
    for line in &lines {
        let re = regex_lite(line);
        assert!(re, "not `path:line:col: CODE [severity] message`: {line}");
    }
    assert!(
        text.contains(
            "fixtures/rules/OL004-duplicate-option/bad/odoo.conf:6:1: OL004 [error] `workers` is set twice in [options]"
        )
    );
}

/// `path:line:col: OLnnn [severity] message`
fn regex_lite(line: &str) -> bool {
    let mut parts = line.splitn(4, ':');
    let (Some(_path), Some(l), Some(c), Some(rest)) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    l.parse::<u32>().is_ok()
        && c.parse::<u32>().is_ok()
        && rest.starts_with(" OL")
        && (rest.contains(" [error] ") || rest.contains(" [warning] ") || rest.contains(" [info] "))
}

#[test]
fn json_is_one_object_with_the_documented_shape() {
    let out = odoo_lint().args(["check", BAD, "--format", "json"]).assert().code(1).get_output().stdout.clone();
    let v: serde_json::Value = serde_json::from_slice(&out).expect("stdout is exactly one JSON document");
    assert_eq!(v["version"], 1);
    let d = &v["diagnostics"].as_array().unwrap()[0];
    for key in
        ["code", "name", "severity", "message", "path", "line", "column", "end_line", "end_column", "labels", "help", "fix"]
    {
        assert!(d.get(key).is_some(), "diagnostic lacks `{key}`: {d}");
    }
    assert_eq!(d["path"], "fixtures/rules/OL004-duplicate-option/bad/odoo.conf");
    let s = &v["summary"];
    for key in ["files", "stacks", "errors", "warnings", "infos", "fixable"] {
        assert!(s[key].is_u64(), "summary lacks `{key}`");
    }
    insta::assert_json_snapshot!("json-OL004-bad", v);
}

#[test]
fn json_carries_fix_edits() {
    let out = odoo_lint()
        .args(["check", "fixtures/rules/OL012-options-section-missing/bad", "--format", "json"])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let fix = v["diagnostics"].as_array().unwrap().iter().find(|d| d["code"] == "OL012").unwrap()["fix"].clone();
    assert_eq!(fix["applicability"], "safe");
    let edit = &fix["edits"][0];
    assert_eq!(edit["start"], 1);
    assert_eq!(edit["end"], 8);
    assert_eq!(edit["replacement"], "options");
}

#[test]
fn format_from_the_environment() {
    odoo_lint()
        .env("ODOO_LINT_OUTPUT_FORMAT", "json")
        .args(["check", BAD])
        .assert()
        .code(1)
        .stdout(predicate::str::starts_with("{"));
}

#[test]
fn no_colour_unless_asked() {
    let out = odoo_lint().args(["check", BAD]).output().unwrap();
    assert!(!out.stdout.contains(&0x1b), "escape codes in piped output");
    let out = odoo_lint().args(["check", BAD, "--color", "always"]).output().unwrap();
    assert!(out.stdout.contains(&0x1b), "--color always gives colour");
}

#[test]
fn rules_and_rule() {
    odoo_lint()
        .args(["rules"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("OL004  duplicate-option").and(predicate::str::contains("OL013")));
    let out = odoo_lint().args(["rules", "--format", "json"]).output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v.as_array().unwrap().iter().any(|r| r["code"] == "OL012" && r["fix"] == "safe"));
    odoo_lint().args(["rule", "OL004"]).assert().code(0).stdout(predicate::str::contains("# OL004 duplicate-option"));
    odoo_lint().args(["rule", "duplicate-option"]).assert().code(0).stdout(predicate::str::contains("DuplicateOptionError"));
    odoo_lint()
        .args(["rule", "duplicate-optoin"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("did you mean `duplicate-option`"));
    odoo_lint().args(["rules", "--symptom", "refused-start"]).assert().code(0).stdout(predicate::str::contains("OL004"));
    odoo_lint().args(["rules", "--symptom", "headache"]).assert().code(2);
}

#[test]
fn diff_writes_nothing_and_fix_converges() {
    let dir = tempfile::tempdir().unwrap();
    let stack = dir.path().join("stack");
    common::copy_dir(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/rules/OL012-options-section-missing/bad-bom").as_path(),
        &stack,
    );
    let conf = stack.join("odoo.conf");
    let before = std::fs::read(&conf).unwrap();
    let check = |args: &[&str]| {
        let mut c = odoo_lint();
        c.arg("check").arg(&stack).args(["--select", "OL012"]).args(args);
        c
    };
    check(&["--diff"]).assert().code(1).stdout(predicate::str::contains("@@ -1,3 +1,3 @@ OL012"));
    assert_eq!(std::fs::read(&conf).unwrap(), before, "--diff wrote the file");
    check(&["--fix"]).assert().code(0).stdout(predicate::str::contains("fixed 1 problem in 1 file (OL012)"));
    let after = std::fs::read(&conf).unwrap();
    assert_eq!(after, &before[3..], "only the BOM is gone; CRLF line endings stay");
    check(&["--diff"]).assert().code(0);
    check(&["--fix", "--exit-non-zero-on-fix"]).assert().code(0);
}

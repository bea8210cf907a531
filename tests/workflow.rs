//! How odoo-lint fits a team's workflow, through the binary: configuration files (`extend`,
//! pyproject.toml, `per-file-ignores`, "did you mean"), suppression comments and their
//! policy flags, `--add-ignores` and `--baseline` for adopting it, `--changed` for pre-commit,
//! `--system --root` on a copied server, `odoo-lint --fix`, and `--symptom`.

mod common;

use assert_cmd::Command;
use predicates::prelude::*;
use std::path::Path;

fn odoo_lint() -> Command {
    let mut c = Command::cargo_bin("odoo-lint").unwrap();
    c.current_dir(env!("CARGO_MANIFEST_DIR")).env_remove("ODOO_LINT_OUTPUT_FORMAT").env("NO_COLOR", "1");
    c
}

fn in_dir(dir: &Path) -> Command {
    let mut c = odoo_lint();
    c.current_dir(dir);
    c
}

const SERVER: &str = "fixtures/server/debian";

fn fixture_copy(rel: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    common::copy_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join(rel), dir.path());
    dir
}

fn json(out: &[u8]) -> serde_json::Value {
    serde_json::from_slice(out).unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(out)))
}

fn codes(v: &serde_json::Value, key: &str) -> Vec<String> {
    v[key].as_array().unwrap().iter().map(|d| d["code"].as_str().unwrap().to_string()).collect()
}

fn paths(v: &serde_json::Value) -> Vec<String> {
    let mut out: Vec<String> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|d| d["labels"].as_array().unwrap().iter().map(|l| l["path"].as_str().unwrap().to_string()))
        .collect();
    out.sort();
    out.dedup();
    out
}

#[test]
fn system_root_reads_a_copied_server_through_its_absolute_includes() {
    let out = odoo_lint()
        .args(["check", "--system", "--root", SERVER, "--cpus", "4", "--memory", "16GiB", "--format", "json"])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let v = json(&out);
    let found = codes(&v, "diagnostics");
    for code in ["OL301", "OL304", "OL503"] {
        assert!(found.contains(&code.to_string()), "{code} expected in {found:?}");
    }
    // `client_max_body_size 200m` comes from conf.d through `include /etc/nginx/conf.d/*.conf`:
    // read under --root, so no 413 finding
    assert!(!found.contains(&"OL707".to_string()), "{found:?}");
    let p = paths(&v);
    assert!(p.iter().any(|p| p.ends_with("etc/nginx/sites-enabled/odoo")), "{p:?}");
    assert!(p.iter().all(|p| !p.contains("ssh.service")), "{p:?}");
    // every file of the tree but ssh.service, plus nginx's stock mime.types
    assert!(v["summary"]["files"].as_u64().unwrap() >= 10, "{}", v["summary"]);
    assert_eq!(v["summary"]["stacks"], 1);
}

#[test]
fn system_root_fixes_a_copy_and_a_second_run_has_nothing_to_fix() {
    let dir = fixture_copy(SERVER);
    let root = dir.path().to_str().unwrap().to_string();
    let args = ["check", "--system", "--root", &root, "--cpus", "4", "--memory", "16GiB"];
    odoo_lint().args(args).arg("--fix").assert().stdout(predicate::str::contains("fixed"));
    let site = std::fs::read_to_string(dir.path().join("etc/nginx/nginx.conf")).unwrap()
        + &std::fs::read_to_string(dir.path().join("etc/nginx/sites-enabled/odoo")).unwrap();
    assert!(site.contains("proxy_read_timeout"), "OL301's fix was written under the root:\n{site}");
    odoo_lint().args(args).arg("--diff").assert().code(0).stderr(predicate::str::contains("no fixes to apply"));
}

#[test]
fn system_with_nothing_to_read_says_where_it_looked() {
    let dir = tempfile::tempdir().unwrap();
    odoo_lint()
        .args(["check", "--system", "--root"])
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("found no Odoo server configuration").and(predicate::str::contains("/etc/odoo")));
    odoo_lint().args(["check", "--root", SERVER]).assert().code(2).stderr(predicate::str::contains("--system"));
}

#[test]
fn bare_fix_is_check_dot_fix_off_a_server() {
    if odoo_lint::discover::is_odoo_server(Path::new("/")) {
        eprintln!("skipped: this machine is an Odoo server");
        return;
    }
    let dir = fixture_copy("fixtures/rules/OL009-inline-comment-in-value/bad");
    in_dir(dir.path())
        .arg("--fix")
        .assert()
        .stderr(predicate::str::contains("running `odoo-lint check . --fix`"))
        .stdout(predicate::str::contains("fixed"));
    odoo_lint().assert().code(2).stderr(predicate::str::contains("Usage"));
}

#[test]
fn symptom_keeps_the_causes_most_likely_first() {
    let out = odoo_lint().args(["rules", "--symptom", "504", "--format", "json"]).assert().code(0).get_output().stdout.clone();
    let behind: Vec<String> = json(&out).as_array().unwrap().iter().map(|r| r["code"].as_str().unwrap().to_string()).collect();
    let out = odoo_lint()
        .args(["check", "--system", "--root", SERVER, "--cpus", "4", "--memory", "16GiB", "--symptom", "504", "--format", "json"])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let v = json(&out);
    let found = codes(&v, "diagnostics");
    assert!(found.contains(&"OL301".to_string()), "{found:?}");
    assert!(found.iter().all(|c| behind.contains(c)), "{found:?} must all be behind 504: {behind:?}");
    let sev: Vec<&str> = v["diagnostics"].as_array().unwrap().iter().map(|d| d["severity"].as_str().unwrap()).collect();
    let rank = |s: &str| ["error", "warning", "info"].iter().position(|x| *x == s).unwrap();
    assert!(sev.windows(2).all(|w| rank(w[0]) <= rank(w[1])), "errors first: {sev:?}");
    odoo_lint()
        .args(["check", SERVER, "--symptom", "5O4"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("did you mean `504`?"));
}

/// Two environments, each with Odoo and its nginx site.
fn two_envs(dir: &Path) {
    for env in ["prod", "staging"] {
        let d = dir.join("envs").join(env);
        std::fs::create_dir_all(&d).unwrap();
        std::fs::write(d.join("odoo.conf"), "[options]\nworkers = 2\nlimit_time_real = 600\n").unwrap();
        std::fs::write(
            d.join("nginx.conf"),
            "server {\n    listen 80;\n    location / {\n        proxy_pass http://127.0.0.1:8069;\n    }\n}\n",
        )
        .unwrap();
    }
    std::fs::write(dir.join("odoo-lint.toml"), "odoo-version = 17\nselect = [\"OL301\"]\n").unwrap();
    std::fs::write(dir.join("README.md"), "x\n").unwrap();
}

#[test]
fn changed_checks_the_whole_stacks_that_hold_the_files() {
    let dir = tempfile::tempdir().unwrap();
    two_envs(dir.path());
    // only prod's nginx file changed, but OL301 needs prod's odoo.conf too; staging is not checked
    let out = in_dir(dir.path())
        .args(["check", "--changed", "envs/prod/nginx.conf", "--format", "concise"])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    assert!(text.contains("envs/prod/nginx.conf") && text.contains("OL301"), "{text}");
    assert!(!text.contains("staging"), "{text}");
    assert!(text.contains("in 1 stack"), "{text}");
    in_dir(dir.path())
        .args(["check", "--changed", "README.md"])
        .assert()
        .code(0)
        .stderr(predicate::str::contains("no stack holds the changed files"));
    let out = in_dir(dir.path()).args(["check", "--changed", "odoo-lint.toml"]).assert().code(1).get_output().stdout.clone();
    assert!(String::from_utf8(out).unwrap().contains("in 2 stacks"), "a changed configuration checks every stack");
}

#[test]
fn config_extend_pyproject_per_file_ignores_and_did_you_mean() {
    let dir = tempfile::tempdir().unwrap();
    two_envs(&dir.path().join("repo"));
    let repo = dir.path().join("repo");
    std::fs::remove_file(repo.join("odoo-lint.toml")).unwrap();
    // the shared base, one level up, silences staging by a glob relative to *its* directory
    std::fs::write(
        dir.path().join("base.toml"),
        "odoo-version = 17\nselect = [\"OL301\", \"OL702\"]\n[per-file-ignores]\n\"repo/envs/staging/**\" = [\"OL301\"]\n",
    )
    .unwrap();
    std::fs::write(
        repo.join("pyproject.toml"),
        "[project]\nname = \"infra\"\n\n[tool.odoo-lint]\nextend = \"../base.toml\"\nignore = [\"OL702\"]\n",
    )
    .unwrap();
    let out = in_dir(&repo).args(["check", ".", "--format", "json"]).assert().code(1).get_output().stdout.clone();
    let v = json(&out);
    assert_eq!(codes(&v, "diagnostics"), ["OL301"], "prod's OL301; OL702 ignored by the child");
    assert_eq!(codes(&v, "suppressed"), ["OL301"], "staging's OL301, by the base's per-file-ignores");
    assert_eq!(v["suppressed"][0]["suppression"]["kind"], "per-file-ignores");
    // unknown keys and codes name the closest valid one
    std::fs::write(repo.join("odoo-lint.toml"), "selec = [\"OL301\"]\n").unwrap();
    in_dir(&repo)
        .args(["check", "."])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown key `selec`; did you mean `select`?").and(predicate::str::contains("line 1")));
    std::fs::write(repo.join("odoo-lint.toml"), "[host]\ncpu = 4\n").unwrap();
    in_dir(&repo).args(["check", "."]).assert().code(2).stderr(predicate::str::contains("did you mean `cpus`?"));
    std::fs::write(repo.join("odoo-lint.toml"), "ignore = [\"OL3O1\"]\n").unwrap();
    in_dir(&repo).args(["check", "."]).assert().code(2).stderr(predicate::str::contains("did you mean `OL301`?"));
    std::fs::write(repo.join("odoo-lint.toml"), "extend = \"odoo-lint.toml\"\n").unwrap();
    in_dir(&repo).args(["check", "."]).assert().code(2).stderr(predicate::str::contains("cycle"));
    std::fs::remove_file(repo.join("odoo-lint.toml")).unwrap();
    in_dir(&repo)
        .args(["check", ".", "--select", "proxy-timeout-below-odo"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("did you mean `proxy-timeout-below-odoo`?"));
}

#[test]
fn add_ignores_then_suppressed_and_refused_by_no_inline_ignores() {
    let dir = fixture_copy("fixtures/rules/OL301-proxy-timeout-below-odoo/bad");
    let before = in_dir(dir.path()).args(["check", ".", "--format", "json"]).assert().code(1).get_output().stdout.clone();
    let n = json(&before)["diagnostics"].as_array().unwrap().iter().filter(|d| d["code"] != "OL010").count();
    in_dir(dir.path())
        .args(["check", ".", "--add-ignores=known before odoo-lint"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("added").and(predicate::str::contains(format!("{n} suppressed"))));
    let nginx = std::fs::read_to_string(dir.path().join("nginx.conf")).unwrap();
    assert!(nginx.contains("    # odoo-lint: ignore[OL301, OL702, OL707] known before odoo-lint\n    location / {"), "{nginx}");
    let after = in_dir(dir.path()).args(["check", ".", "--format", "json"]).assert().code(0).get_output().stdout.clone();
    let v = json(&after);
    assert_eq!(v["suppressed"].as_array().unwrap().len(), n);
    assert!(v["suppressed"].as_array().unwrap().iter().all(|s| s["suppression"]["reason"] == "known before odoo-lint"));
    // SARIF carries them only on request, as accepted in-source suppressions
    let sarif =
        in_dir(dir.path()).args(["check", ".", "--format", "sarif", "--show-suppressed"]).assert().get_output().stdout.clone();
    let s = json(&sarif);
    let results = s["runs"][0]["results"].as_array().unwrap();
    let silenced: Vec<_> = results.iter().filter(|r| r.get("suppressions").is_some()).collect();
    assert_eq!(silenced.len(), n);
    assert_eq!(silenced[0]["suppressions"][0]["kind"], "inSource");
    assert_eq!(silenced[0]["suppressions"][0]["justification"], "known before odoo-lint");
    let plain = in_dir(dir.path()).args(["check", ".", "--format", "sarif"]).assert().get_output().stdout.clone();
    assert!(json(&plain)["runs"][0]["results"].as_array().unwrap().iter().all(|r| r.get("suppressions").is_none()));
    // CI policy: the comments are refused, and each finding names the one it ignored
    in_dir(dir.path())
        .args(["check", ".", "--no-inline-ignores", "--format", "concise"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("OL301"));
    in_dir(dir.path())
        .args(["check", ".", "--no-inline-ignores"])
        .assert()
        .stdout(predicate::str::contains("--no-inline-ignores refuses suppression comments"));
}

#[test]
fn baseline_reports_only_new_findings() {
    let dir = fixture_copy("fixtures/rules/OL301-proxy-timeout-below-odoo/bad");
    in_dir(dir.path()).args(["check", ".", "--format", "json", "-o", "baseline.json", "--fail-on", "never"]).assert().code(0);
    in_dir(dir.path())
        .args(["check", ".", "--baseline", "baseline.json"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("suppressed"));
    // lines added above keep known findings known; a new problem is reported alone
    let conf = std::fs::read_to_string(dir.path().join("odoo.conf")).unwrap();
    let conf = conf.replacen("[options]\n", "[options]\n; sized for the 2024 load\n\n", 1);
    std::fs::write(dir.path().join("odoo.conf"), format!("{conf}limit_time_cpu = 900\n")).unwrap();
    let out = in_dir(dir.path())
        .args(["check", ".", "--baseline", "baseline.json", "--format", "concise", "-q"])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    assert_eq!(text.lines().count(), 1, "{text}");
    assert!(text.contains("OL302"), "{text}");
    // a SARIF report is a baseline too
    in_dir(dir.path()).args(["check", ".", "--format", "sarif", "-o", "b.sarif", "--fail-on", "never"]).assert().code(0);
    in_dir(dir.path()).args(["check", ".", "--baseline", "b.sarif"]).assert().code(0);
    in_dir(dir.path())
        .args(["check", ".", "--baseline", "missing.json"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no such file").and(predicate::str::contains("--format json")));
}

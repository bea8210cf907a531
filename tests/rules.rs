//! Every rule has fixtures under `fixtures/rules/<CODE>-<name>/`: `bad*` stacks on which it
//! must fire and `good*` stacks that look alike and on which it must stay silent. The
//! rendered diagnostics of each bad stack, and the diff of its fixes, are insta snapshots.
//! Each case is a directory checked like `odoo-lint check DIR` (an `odoo-lint.toml` in it
//! gives host facts or the Odoo version).

mod common;

use odoo_lint::config::{self, Config};
use odoo_lint::diagnostic::Applicability;
use odoo_lint::lint::{self, Selection};
use odoo_lint::render::full::{self, Style};
use odoo_lint::rules::REGISTRY;
use odoo_lint::workspace::{self, Inputs};
use std::path::{Path, PathBuf};

fn rule_dir(code: &str, name: &str) -> PathBuf {
    Path::new("fixtures/rules").join(format!("{code}-{name}"))
}

fn cases(dir: &Path, prefix: &str) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> =
        std::fs::read_dir(dir).map(|rd| rd.filter_map(|e| e.ok()).map(|e| e.path()).collect()).unwrap_or_default();
    out.retain(|p| p.is_dir() && p.file_name().is_some_and(|n| n.to_string_lossy().starts_with(prefix)));
    out.sort();
    out
}

fn config_for(case: &Path) -> Config {
    let toml = case.join(config::FILE_NAME);
    if toml.is_file() { config::load(&toml).unwrap() } else { Config::default() }
}

fn inputs(case: &Path) -> Inputs {
    Inputs { paths: vec![case.to_path_buf()], ..Default::default() }
}

/// The diagnostics of `code` on a case, rendered, and the diff its fixes make.
fn run(case: &Path, code: &str) -> (usize, String) {
    let config = config_for(case);
    let ws = workspace::build(&inputs(case), &config);
    assert!(ws.errors.is_empty(), "{}: {:?}", case.display(), ws.errors);
    let diags = lint::lint(&ws.files, &ws.stacks, &Selection::default());
    let mine: Vec<_> = diags.iter().filter(|d| d.code == code).collect();
    let style = Style { color: false, unicode: true, width: 100 };
    let mut text = String::new();
    for d in &mine {
        text.push_str(&full::render(&ws.files, d, style));
        text.push('\n');
    }
    if mine.iter().any(|d| d.fix.is_some()) {
        // OL011 judges suppressions by what the other rules found: it needs them all to run
        let selection = if code == odoo_lint::suppress::UNUSED_SUPPRESSION {
            Selection::default()
        } else {
            Selection { select: vec![code.to_string()], ..Default::default() }
        };
        let fixed = odoo_lint::fix::run(&inputs(case), &config, &selection, Applicability::Unsafe);
        for f in fixed.files.values() {
            text.push_str(&f.diff());
        }
        // After fixing, the rule has nothing left to fix and a second run changes nothing.
        assert!(
            !fixed.remaining.iter().any(|d| d.code == code && d.fix.is_some()),
            "{}: {code} still offers a fix after --fix",
            case.display()
        );
    }
    (mine.len(), text)
}

/// Rules whose fixtures come with a later issue (the rule exists, nothing triggers it yet).
const PENDING: &[&str] = &[];

#[test]
fn every_rule_fires_on_its_bad_fixtures_and_not_on_its_good_ones() {
    let mut missing = Vec::new();
    for rule in REGISTRY {
        let m = rule.meta();
        let dir = rule_dir(m.code, m.name);
        let bad = cases(&dir, "bad");
        let good = cases(&dir, "good");
        if bad.is_empty() || good.is_empty() {
            if !PENDING.contains(&m.code) {
                missing.push(format!("{} (needs bad* and good* cases)", dir.display()));
            }
            continue;
        }
        for case in bad {
            let (n, text) = run(&case, m.code);
            assert!(n > 0, "{} must fire on {}", m.code, case.display());
            let name = format!("{}-{}", m.code, case.file_name().unwrap().to_string_lossy());
            insta::assert_snapshot!(name, text);
        }
        for case in good {
            let (n, text) = run(&case, m.code);
            assert_eq!(n, 0, "{} must not fire on {}:\n{text}", m.code, case.display());
        }
    }
    assert!(missing.is_empty(), "rules without fixtures:\n{}", missing.join("\n"));
}

/// The realistic stacks under `fixtures/stacks/` are configured well: no rule may report a
/// warning or an error on them (infos are allowed).
#[test]
fn clean_stacks_stay_clean() {
    let mut checked = 0;
    for entry in std::fs::read_dir("fixtures/stacks").unwrap() {
        let case = entry.unwrap().path();
        if !case.is_dir() {
            continue;
        }
        let config = config_for(&case);
        let ws = workspace::build(&inputs(&case), &config);
        let diags = lint::lint(&ws.files, &ws.stacks, &Selection::default());
        let loud: Vec<String> = diags
            .iter()
            .filter(|d| d.severity > odoo_lint::diagnostic::Severity::Info)
            .map(|d| odoo_lint::render::concise::render(&ws.files, d))
            .collect();
        assert!(loud.is_empty(), "{} must stay clean:\n{}", case.display(), loud.join("\n"));
        checked += 1;
    }
    assert!(checked > 0);
}

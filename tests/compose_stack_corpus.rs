//! Every corpus compose file, laid out with the other corpus files of its repository under
//! their original paths (so that base and override files, `extends`, mounted odoo.conf,
//! postgresql.conf and nginx sites meet as they do in the repository), lints and fixes without
//! a crash; every compose file parses; no compose file gets an OL001 (they are all valid for
//! Compose, see the corpus README); fixes are never refused; each fixed compose file still
//! parses. The counts of each rule are printed: the diagnostics behind them were read one by
//! one (see the report of the commit that added this test).

mod common;

use odoo_lint::config::Config;
use odoo_lint::diagnostic::Applicability;
use odoo_lint::files::FileKind;
use odoo_lint::lint::{self, Selection};
use odoo_lint::workspace::{self, Inputs};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// (kind folder, saved file name, repository, original path) of every corpus file.
fn sources() -> Vec<(String, String, String, String)> {
    let text = std::fs::read_to_string(common::corpus_dir().join("SOURCES.tsv")).expect("SOURCES.tsv");
    text.lines()
        .skip(1)
        .filter_map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            (f.len() >= 4).then(|| (f[0].to_string(), f[1].to_string(), f[2].to_string(), f[3].to_string()))
        })
        .collect()
}

/// The repositories with a compose file, each laid out in its own folder under `root`.
fn layout(root: &Path) -> Vec<PathBuf> {
    let all = sources();
    let mut repos: Vec<&str> = all.iter().filter(|s| s.0 == "compose").map(|s| s.2.as_str()).collect();
    repos.sort();
    repos.dedup();
    let mut out = Vec::new();
    for repo in repos {
        let dir = root.join(repo.replace('/', "__"));
        for (kind, saved, _, path) in all.iter().filter(|s| s.2 == repo) {
            let to = dir.join(path);
            std::fs::create_dir_all(to.parent().unwrap()).unwrap();
            std::fs::copy(common::corpus_dir().join(kind).join(saved), &to).unwrap();
        }
        out.push(dir);
    }
    out
}

#[test]
fn compose_corpus_stacks_lint_and_fix_without_a_crash() {
    let tmp = tempfile::tempdir().unwrap();
    let repos = layout(tmp.path());
    assert!(repos.len() >= 30, "only {} repositories with compose files", repos.len());
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    let mut compose_files = 0;
    for dir in &repos {
        let inputs = Inputs { paths: vec![dir.clone()], ..Default::default() };
        let ws = workspace::build(&inputs, &Config::default());
        for id in ws.files.ids() {
            let e = ws.files.get(id);
            if e.kind == FileKind::Compose {
                compose_files += 1;
                assert!(e.errors.is_empty(), "{}: {:?}", e.source.display, e.errors);
            }
        }
        let diags = lint::lint(&ws.files, &ws.stacks, &Selection::default());
        for d in &diags {
            *counts.entry(format!("{} [{}]", d.code, d.severity.as_str())).or_default() += 1;
            let file = ws.files.get(d.primary.span.file);
            assert!(
                !(d.code == "OL001" && matches!(file.kind, FileKind::Compose | FileKind::DotEnv)),
                "{}: {}",
                file.source.display,
                d.message
            );
            for l in d.labels() {
                let src = ws.files.source(l.span.file);
                assert!(
                    l.span.range.end as usize <= src.len(),
                    "{}: {} points past the end of {}",
                    dir.display(),
                    d.code,
                    src.display
                );
            }
        }
        let fixed = odoo_lint::fix::run(&inputs, &Config::default(), &Selection::default(), Applicability::Unsafe);
        assert!(fixed.refused.is_empty(), "{}: fixes refused: {:?}", dir.display(), fixed.refused);
        for f in fixed.files.values().filter(|f| f.kind == FileKind::Compose) {
            let y = odoo_lint::formats::compose::yaml::parse(&String::from_utf8_lossy(&f.fixed));
            assert!(y.errors.is_empty(), "{}: the fixed file does not parse: {:?}", f.display, y.errors);
        }
    }
    // 44 in the corpus, one of them a fragment with no `services:` (not a compose file alone)
    assert!(compose_files >= 43, "only {compose_files} compose files were read");
    eprintln!("compose corpus: {} repositories, {compose_files} compose files: {counts:?}", repos.len());
}

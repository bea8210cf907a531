//! Every corpus file of PostgreSQL, limits.conf and systemd lints and fixes without a crash,
//! alone and with the other files of its folder as one stack; every fix leaves a file that
//! reads no worse (fix.rs refuses the others, and none may be refused here). The counts of
//! each rule are printed: the diagnostics behind them were read one by one (see the report
//! of the commit that added this test).

mod common;

use odoo_lint::config::Config;
use odoo_lint::diagnostic::Applicability;
use odoo_lint::lint::{self, Selection};
use odoo_lint::workspace::{self, Inputs};
use std::collections::BTreeMap;
use std::path::PathBuf;

fn check(paths: Vec<PathBuf>, counts: &mut BTreeMap<String, usize>) {
    let inputs = Inputs { paths: paths.clone(), ..Default::default() };
    let ws = workspace::build(&inputs, &Config::default());
    let diags = lint::lint(&ws.files, &ws.stacks, &Selection::default());
    for d in &diags {
        *counts.entry(format!("{} [{}]", d.code, d.severity.as_str())).or_default() += 1;
        // every label points into its file
        for l in d.labels() {
            let src = ws.files.source(l.span.file);
            assert!(l.span.range.end as usize <= src.len(), "{paths:?}: {} points past the end of {}", d.code, src.display);
        }
    }
    let fixed = odoo_lint::fix::run(&inputs, &Config::default(), &Selection::default(), Applicability::Unsafe);
    assert!(fixed.refused.is_empty(), "{paths:?}: fixes refused: {:?}", fixed.refused);
}

#[test]
fn corpus_files_lint_and_fix_without_a_crash() {
    for kind in ["postgresql", "limits-systemd"] {
        let files = common::corpus_files(kind);
        let mut alone = BTreeMap::new();
        for f in &files {
            // postgresql.auto.conf with only comments is not recognised on its own: name its kind
            if odoo_lint::discover::read_named(f, None).is_err() {
                continue;
            }
            check(vec![f.clone()], &mut alone);
        }
        let mut together = BTreeMap::new();
        check(vec![common::corpus_dir().join(kind)], &mut together);
        eprintln!("{kind}: {} files, one by one: {alone:?}", files.len());
        eprintln!("{kind}: the folder as one stack: {together:?}");
    }
}

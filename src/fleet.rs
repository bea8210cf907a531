//! Checking many stacks at once: a hosting platform's tree of thousands of customer stacks
//! as fast as the machine allows and in bounded memory.
//!
//! Discovery ([`workspace::plan`]) finds and reads every file and groups them into stacks.
//! When no file belongs to two stacks, the plan is split into parts of [`PART_STACKS`]
//! stacks; the parts are parsed, modelled and checked on every core (rayon), and each keeps
//! only its files' text and its findings once checked, so the syntax trees and models of only
//! a few parts are alive at any moment. The parts are then put back together in their order,
//! and the findings sorted as one run sorts them: the output is the same, byte for byte, as
//! that of [`workspace::build`] and [`lint::check`] over the whole tree (a test holds this).
//!
//! Parts that turn out to share a file after all (two stacks including the same nginx
//! snippet from outside their roots) or to disagree on reading this machine's facts are not
//! merged: the whole run is then loaded and checked as one, the way a single stack is.

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::discover::DiscoverError;
use crate::files::FileSet;
use crate::lint::{self, Outcome, Selection};
use crate::source::FileId;
use crate::workspace::{self, Inputs, Loaded, Plan};
use rayon::prelude::*;
use std::collections::HashSet;

/// Stacks per part: small enough to spread the work over the cores and to keep few trees
/// alive, large enough that a part's fixed costs do not count.
pub const PART_STACKS: usize = 32;

/// A checked run, ready to report.
#[derive(Debug, Default)]
pub struct Checked {
    /// Every file read, with its text (only that when the run was split: [`FileSet::keep_text_only`]).
    pub files: FileSet,
    /// How many stacks were checked.
    pub stacks: usize,
    /// Paths that could not be used.
    pub errors: Vec<DiscoverError>,
    pub outcome: Outcome,
}

/// Finds the stacks `inputs` names and checks them all, in parts on every core when they
/// share no file.
pub fn check(inputs: &Inputs, config: &Config, selection: &Selection) -> Checked {
    let mut parts = workspace::plan(inputs, config).split(PART_STACKS);
    let ws = match parts.pop() {
        Some(whole) if parts.is_empty() => workspace::load(inputs, config, whole).workspace,
        Some(last) => {
            parts.push(last);
            match check_parts(inputs, config, selection, parts) {
                Some(checked) => return checked,
                // parts that must be read together after all
                None => workspace::build(inputs, config),
            }
        }
        None => workspace::build(inputs, config),
    };
    let outcome = lint::check(&ws.files, &ws.stacks, selection);
    Checked { stacks: ws.stacks.len(), files: ws.files, errors: ws.errors, outcome }
}

/// One part, checked: its files without their trees, its findings, and what decides whether
/// it may be merged with the others.
struct Part {
    checked: Checked,
    keys: Vec<std::path::PathBuf>,
    live: bool,
}

fn check_part(inputs: &Inputs, config: &Config, selection: &Selection, plan: Plan) -> Part {
    let Loaded { workspace: ws, keys, live } = workspace::load(inputs, config, plan);
    let outcome = lint::check(&ws.files, &ws.stacks, selection);
    let stacks = ws.stacks.len();
    drop(ws.stacks);
    let mut files = ws.files;
    files.keep_text_only();
    // the report quotes only the files findings point into; the others are listed by name
    let mut quoted = vec![false; files.len()];
    let mut mark = |f: FileId| {
        if let Some(q) = quoted.get_mut(f.0 as usize) {
            *q = true;
        }
    };
    let diags = outcome.diagnostics.iter().chain(outcome.suppressed.iter().map(|s| &s.diagnostic));
    for d in diags {
        mark(d.primary.span.file);
        d.secondary.iter().for_each(|l| mark(l.span.file));
        d.fix.iter().flat_map(|f| &f.edits).for_each(|e| mark(e.file));
    }
    outcome.suppressed.iter().filter_map(|s| s.by.at).for_each(|at| mark(at.file));
    files.keep_names_only(&quoted);
    Part { checked: Checked { files, stacks, errors: ws.errors, outcome }, keys, live }
}

/// Checks the parts in parallel and merges them; `None` when they must be read together.
fn check_parts(inputs: &Inputs, config: &Config, selection: &Selection, parts: Vec<Plan>) -> Option<Checked> {
    let parts: Vec<Part> = parts.into_par_iter().map(|p| check_part(inputs, config, selection, p)).collect();
    let mut seen: HashSet<&std::path::Path> = HashSet::new();
    for part in &parts {
        if part.live != parts[0].live || !part.keys.iter().all(|k| seen.insert(k)) {
            return None;
        }
    }
    drop(seen);
    let mut all = Checked::default();
    for part in parts {
        let Checked { files, stacks, errors, outcome } = part.checked;
        let offset = all.files.append(files);
        all.stacks += stacks;
        all.errors.extend(errors);
        for mut d in outcome.diagnostics {
            shift(&mut d, offset);
            all.outcome.diagnostics.push(d);
        }
        for mut s in outcome.suppressed {
            shift(&mut s.diagnostic, offset);
            if let Some(at) = &mut s.by.at {
                at.file = FileId(at.file.0 + offset);
            }
            all.outcome.suppressed.push(s);
        }
    }
    // the order one run gives: by file and position, then by likelihood under --symptom (both
    // sorts are stable, and findings that tie are in one file, hence in one part)
    lint::sort(&all.files, &mut all.outcome.diagnostics);
    if let Some(symptom) = selection.symptom {
        lint::sort_by_likelihood(&mut all.outcome.diagnostics, symptom);
    }
    lint::sort_suppressed(&all.files, &mut all.outcome.suppressed);
    Some(all)
}

/// Moves a finding's file ids by `offset` (its part's files now follow the earlier parts').
fn shift(d: &mut Diagnostic, offset: u32) {
    d.primary.span.file = FileId(d.primary.span.file.0 + offset);
    for l in &mut d.secondary {
        l.span.file = FileId(l.span.file.0 + offset);
    }
    if let Some(fix) = &mut d.fix {
        for e in &mut fix.edits {
            e.file = FileId(e.file.0 + offset);
        }
    }
}

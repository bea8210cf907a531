//! The check stage: every selected rule over every stack, findings de-duplicated (a file shared
//! by two stacks is reported once), overrides applied, sorted by file and position.

use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::files::FileSet;
use crate::host::HostFact;
use crate::rules::{Ctx, REGISTRY, Rule, RuleMeta, selects};
use crate::source::{Span, TextRange};
use crate::stack::Stack;
use std::collections::{BTreeMap, HashSet};

/// Which rules run and how their findings are graded.
#[derive(Clone, Debug, Default)]
pub struct Selection {
    /// Selectors that enable rules (empty: all).
    pub select: Vec<String>,
    pub extend_select: Vec<String>,
    pub ignore: Vec<String>,
    pub severity: Vec<(String, Severity)>,
}

impl Selection {
    pub fn enabled(&self, meta: &RuleMeta) -> bool {
        let selected = if self.select.is_empty() { true } else { self.select.iter().any(|s| selects(s, meta)) };
        let selected = selected || self.extend_select.iter().any(|s| selects(s, meta));
        selected && !self.ignore.iter().any(|s| selects(s, meta))
    }

    fn severity_of(&self, meta: &RuleMeta, default: Severity) -> Severity {
        self.severity.iter().rev().find(|(sel, _)| selects(sel, meta)).map(|(_, s)| *s).unwrap_or(default)
    }
}

/// The rule that reports missing host facts once per stack.
const HOST_UNKNOWN: &str = "OL010";

/// Lints every stack.
pub fn lint(files: &FileSet, stacks: &[Stack], selection: &Selection) -> Vec<Diagnostic> {
    let rules: Vec<&dyn Rule> = REGISTRY.iter().copied().filter(|r| selection.enabled(r.meta())).collect();
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    for stack in stacks {
        let mut ctx = Ctx::new(files, stack);
        for rule in &rules {
            if rule.meta().code != HOST_UNKNOWN {
                ctx.run(*rule);
            }
        }
        let missing = ctx.missing_facts().clone();
        let mut diags = ctx.into_diagnostics();
        if let Some(rule) = rules.iter().find(|r| r.meta().code == HOST_UNKNOWN)
            && !missing.is_empty()
            && let Some(d) = host_unknown(rule.meta(), files, stack, &missing)
        {
            diags.push(d);
        }
        for mut d in diags {
            if let Some(meta) = crate::rules::find(d.code).map(|r| r.meta()) {
                d.severity = selection.severity_of(meta, d.severity);
            }
            let key = (d.code, d.primary.span, d.message.clone());
            if seen.insert(key) {
                out.push(d);
            }
        }
    }
    sort(files, &mut out);
    out
}

/// Orders diagnostics by file path, then position, then code.
pub fn sort(files: &FileSet, diags: &mut [Diagnostic]) {
    diags.sort_by(|a, b| {
        let pa = &files.source(a.primary.span.file).display;
        let pb = &files.source(b.primary.span.file).display;
        pa.cmp(pb).then(a.primary.span.range.start.cmp(&b.primary.span.range.start)).then(a.code.cmp(b.code))
    });
}

fn host_unknown(
    meta: &'static RuleMeta,
    files: &FileSet,
    stack: &Stack,
    missing: &BTreeMap<HostFact, Vec<&'static str>>,
) -> Option<Diagnostic> {
    let anchor = stack.anchor(files)?;
    let facts: Vec<&str> = missing.keys().map(|f| f.as_str()).collect();
    let mut rules: Vec<&str> = missing.values().flatten().copied().collect();
    rules.sort_unstable();
    rules.dedup();
    let mut d = Diagnostic {
        code: meta.code,
        name: meta.name,
        severity: meta.severity,
        message: format!(
            "the host's {} {} unknown, so {} skipped: {}",
            facts.join(" and "),
            if facts.len() > 1 { "are" } else { "is" },
            if rules.len() > 1 { "these rules were" } else { "this rule was" },
            rules.join(", ")
        ),
        primary: Label::new(Span::new(anchor, TextRange::empty(0)), format!("stack `{}`", stack.name)),
        secondary: Vec::new(),
        help: None,
        notes: Vec::new(),
        fix: None,
    };
    let how: Vec<String> = missing.keys().map(|f| format!("{}: {}", f.as_str(), f.how())).collect();
    d.help = Some(format!(
        "give the facts of the machine this stack runs on; {}; or run `odoo-lint check --system` on the server itself",
        how.join("; ")
    ));
    Some(d)
}

/// Counts by severity.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    pub fixable: usize,
}

pub fn count(diags: &[Diagnostic]) -> Counts {
    let mut c = Counts::default();
    for d in diags {
        match d.severity {
            Severity::Error => c.errors += 1,
            Severity::Warning => c.warnings += 1,
            Severity::Info => c.infos += 1,
        }
        if d.fix.is_some() {
            c.fixable += 1;
        }
    }
    c
}

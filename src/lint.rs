//! The check stage: every selected rule over every stack, findings de-duplicated (a file shared
//! by two stacks is reported once), overrides applied, then filtered by `per-file-ignores`,
//! inline suppressions ([`crate::suppress`]) and a baseline, and sorted by file and position.

use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::files::FileSet;
use crate::host::HostFact;
use crate::rules::{Ctx, REGISTRY, Rule, RuleMeta, Symptom, selects};
use crate::source::{Span, TextRange};
use crate::stack::Stack;
use crate::suppress::{self, Suppressed, SuppressedBy};
use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;

/// Which rules run and how their findings are graded and filtered.
#[derive(Clone, Debug, Default)]
pub struct Selection {
    /// Selectors that enable rules (empty: all).
    pub select: Vec<String>,
    pub extend_select: Vec<String>,
    pub ignore: Vec<String>,
    pub severity: Vec<(String, Severity)>,
    /// Rules not reported in files matching a glob (`per-file-ignores`).
    pub per_file_ignores: Vec<PerFileIgnore>,
    /// `--no-inline-ignores`: suppression comments are refused (findings are reported, each
    /// with a note naming the comment that would have silenced it).
    pub no_inline_ignores: bool,
    /// `--symptom`: only the rules that can cause it.
    pub symptom: Option<Symptom>,
    /// `--baseline`: findings already known.
    pub baseline: Option<crate::baseline::Baseline>,
}

/// One `per-file-ignores` entry: a glob relative to `base` (the directory of the
/// odoo-lint.toml that wrote it) and the rules it silences there.
#[derive(Clone, Debug)]
pub struct PerFileIgnore {
    pub base: PathBuf,
    pub glob: String,
    pub rules: Vec<String>,
}

impl PerFileIgnore {
    fn matches(&self, path: &std::path::Path) -> bool {
        let abs = crate::workspace::canonical(path);
        let base = crate::workspace::canonical(&self.base);
        let rel = abs.strip_prefix(&base).map(|p| p.to_string_lossy().replace('\\', "/"));
        let glob = self.glob.trim_start_matches("./");
        rel.is_ok_and(|r| crate::workspace::glob_match(glob, &r))
            || crate::workspace::glob_match(glob, &abs.to_string_lossy())
            || crate::workspace::glob_match(glob, &path.to_string_lossy())
            // a glob without a slash matches a file name anywhere, as in ruff
            || (!glob.contains('/') && path.file_name().is_some_and(|n| crate::workspace::glob_match(glob, &n.to_string_lossy())))
    }
}

impl Selection {
    pub fn enabled(&self, meta: &RuleMeta) -> bool {
        let selected = if self.select.is_empty() { true } else { self.select.iter().any(|s| selects(s, meta)) };
        let selected = selected || self.extend_select.iter().any(|s| selects(s, meta));
        let symptom = self.symptom.is_none_or(|s| meta.symptoms.contains(&s) || meta.code == HOST_UNKNOWN);
        selected && symptom && !self.ignore.iter().any(|s| selects(s, meta))
    }

    fn severity_of(&self, meta: &RuleMeta, default: Severity) -> Severity {
        self.severity.iter().rev().find(|(sel, _)| selects(sel, meta)).map(|(_, s)| *s).unwrap_or(default)
    }
}

/// The rule that reports missing host facts once per stack.
const HOST_UNKNOWN: &str = "OL010";

/// What a check found: the findings to report, and those a suppression silenced (shown by
/// `--show-suppressed`, and in json with their reasons).
#[derive(Debug, Default)]
pub struct Outcome {
    pub diagnostics: Vec<Diagnostic>,
    pub suppressed: Vec<Suppressed>,
}

/// Lints every stack: the findings to report.
pub fn lint(files: &FileSet, stacks: &[Stack], selection: &Selection) -> Vec<Diagnostic> {
    check(files, stacks, selection).diagnostics
}

/// Lints every stack and sorts the findings out.
pub fn check(files: &FileSet, stacks: &[Stack], selection: &Selection) -> Outcome {
    let _dirs = crate::workspace::CanonicalScope::enter();
    let rules: Vec<&dyn Rule> = REGISTRY.iter().copied().filter(|r| selection.enabled(r.meta())).collect();
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    // rules skipped somewhere for a missing host fact: their suppressions are not "unused"
    let mut skipped: HashSet<&'static str> = HashSet::new();
    let secrets = crate::secrets::Secrets::of(files);
    for stack in stacks {
        let mut ctx = Ctx::new(files, stack);
        for rule in &rules {
            if rule.meta().code != HOST_UNKNOWN {
                ctx.run(*rule);
            }
        }
        let missing = ctx.missing_facts().clone();
        skipped.extend(missing.values().flatten().copied());
        let mut diags = ctx.into_diagnostics();
        if let Some(rule) = rules.iter().find(|r| r.meta().code == HOST_UNKNOWN)
            && !missing.is_empty()
            && let Some(d) = host_unknown(rule.meta(), files, stack, &missing, selection.symptom)
        {
            diags.push(d);
        }
        for mut d in diags {
            crate::secrets::redact_diagnostic(&mut d, &secrets);
            if let Some(meta) = crate::rules::find(d.code).map(|r| r.meta()) {
                d.severity = selection.severity_of(meta, d.severity);
            }
            let key = (d.code, d.primary.span, d.message.clone());
            if seen.insert(key) {
                out.push(d);
            }
        }
    }
    let mut suppressed = Vec::new();
    let mut out = per_file(files, out, selection, &mut suppressed);
    // the directives of the files being checked (with `--changed`, other stacks' files are
    // in the run but not checked: their directives would all look unused)
    let checked: HashSet<crate::source::FileId> = stacks.iter().flat_map(|s| s.files.iter().copied()).collect();
    let sups: Vec<suppress::Suppression> = suppress::collect(files).into_iter().filter(|s| checked.contains(&s.file)).collect();
    if !sups.is_empty() {
        let honour = !selection.no_inline_ignores;
        let mut used: Vec<Vec<bool>> = sups.iter().map(|s| vec![false; s.selectors.len()]).collect();
        let matched = suppress::apply(files, out, &sups, honour, &mut used);
        out = matched.kept;
        suppressed.extend(matched.suppressed);
        if let Some(rule) = crate::rules::find(suppress::UNUSED_SUPPRESSION)
            && honour
            && selection.enabled(rule.meta())
        {
            let ran = |m: &RuleMeta| selection.enabled(m) && !skipped.contains(m.code) && m.code != suppress::UNUSED_SUPPRESSION;
            let mut unused = suppress::unused(files, &sups, &used, rule.meta(), &ran);
            for d in &mut unused {
                d.severity = selection.severity_of(rule.meta(), d.severity);
            }
            let unused = per_file(files, unused, selection, &mut suppressed);
            let mut used2 = used.clone();
            let matched = suppress::apply(files, unused, &sups, true, &mut used2);
            out.extend(matched.kept);
            suppressed.extend(matched.suppressed);
        }
    }
    sort(files, &mut out);
    if let Some(baseline) = &selection.baseline {
        let (kept, known) = baseline.split(files, out);
        out = kept;
        suppressed.extend(known);
    }
    if let Some(symptom) = selection.symptom {
        sort_by_likelihood(&mut out, symptom);
    }
    sort_suppressed(files, &mut suppressed);
    Outcome { diagnostics: out, suppressed }
}

/// Orders silenced findings by file path, then position.
pub fn sort_suppressed(files: &FileSet, suppressed: &mut [Suppressed]) {
    suppressed.sort_by(|a, b| {
        let pa = &files.source(a.diagnostic.primary.span.file).display;
        let pb = &files.source(b.diagnostic.primary.span.file).display;
        pa.cmp(pb).then(a.diagnostic.primary.span.range.start.cmp(&b.diagnostic.primary.span.range.start))
    });
}

/// Moves the findings `per-file-ignores` silences to `suppressed`.
fn per_file(files: &FileSet, diags: Vec<Diagnostic>, selection: &Selection, suppressed: &mut Vec<Suppressed>) -> Vec<Diagnostic> {
    if selection.per_file_ignores.is_empty() {
        return diags;
    }
    let mut kept = Vec::new();
    for d in diags {
        let path = &files.source(d.primary.span.file).path;
        let meta = crate::rules::find(d.code).map(|r| r.meta());
        let hit = selection
            .per_file_ignores
            .iter()
            .find(|p| meta.is_some_and(|m| p.rules.iter().any(|r| selects(r, m))) && p.matches(path));
        match hit {
            Some(p) => suppressed.push(Suppressed {
                diagnostic: d,
                by: SuppressedBy { kind: "per-file-ignores", at: None, reason: Some(format!("per-file-ignores \"{}\"", p.glob)) },
            }),
            None => kept.push(d),
        }
    }
    kept
}

/// Orders the findings behind a symptom: errors first, then the rules for which this symptom
/// is the first consequence (a direct cause) before those that list it further down, then by
/// rule code.
pub fn sort_by_likelihood(diags: &mut [Diagnostic], symptom: Symptom) {
    let rank = |d: &Diagnostic| {
        let meta = crate::rules::find(d.code).map(|r| r.meta());
        let pos = meta.and_then(|m| m.symptoms.iter().position(|s| *s == symptom)).unwrap_or(usize::MAX);
        (std::cmp::Reverse(d.severity), pos, d.code)
    };
    diags.sort_by_key(|d| rank(d));
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
    symptom: Option<Symptom>,
) -> Option<Diagnostic> {
    let anchor = stack.anchor(files)?;
    // under --symptom, only when a skipped rule is one behind the symptom
    if let Some(s) = symptom
        && !missing.values().flatten().any(|c| crate::rules::find(c).is_some_and(|r| r.meta().symptoms.contains(&s)))
    {
        return None;
    }
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
    /// Findings silenced by a suppression, `per-file-ignores` or the baseline (set by the
    /// caller: [`count`] sees only the findings it is given).
    pub suppressed: usize,
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

//! Output formats: one module per format.
//!
//! Text formats (`full`, `concise`, `github`) end with the summary line; machine formats
//! (`json`, `json-lines`, `sarif`, `gitlab`, `junit`) print one document and nothing else.

pub mod concise;
pub mod fingerprint;
pub mod full;
pub mod github;
pub mod gitlab;
pub mod json;
pub mod json_lines;
pub mod junit;
pub mod sarif;
pub mod statistics;

use crate::lint::Counts;
use crate::rules::RuleMeta;

/// The project's home page (SARIF `informationUri`).
pub const HOMEPAGE: &str = "https://github.com/odoo-lint/odoo-lint";

/// Where the rule docs are published: `{RULE_DOCS_URL}OL202-memory-overcommit.md`. One
/// constant, so that moving the docs changes one line.
pub const RULE_DOCS_URL: &str = "https://github.com/odoo-lint/odoo-lint/blob/main/rules/";

/// The published documentation of a rule.
pub fn rule_doc_url(meta: &RuleMeta) -> String {
    format!("{RULE_DOCS_URL}{}-{}.md", meta.code, meta.name)
}

/// `1 file`, `2 files`.
pub fn plural(n: usize, word: &str) -> String {
    if n == 1 { format!("{n} {word}") } else { format!("{n} {word}s") }
}

/// `3 errors, 1 warning in 2 stacks (5 files)`, or `no problems in 1 stack (2 files)`.
pub fn summary(counts: Counts, stacks: usize, files: usize) -> String {
    let mut parts = Vec::new();
    if counts.errors > 0 {
        parts.push(plural(counts.errors, "error"));
    }
    if counts.warnings > 0 {
        parts.push(plural(counts.warnings, "warning"));
    }
    if counts.infos > 0 {
        parts.push(plural(counts.infos, "info"));
    }
    let what = if parts.is_empty() { "no problems".to_string() } else { parts.join(", ") };
    let mut line = format!("{what} in {} ({})", plural(stacks, "stack"), plural(files, "file"));
    if counts.fixable > 0 {
        line.push_str(&format!("; {} fixable", counts.fixable));
    }
    if counts.suppressed > 0 {
        line.push_str(&format!("; {} suppressed", counts.suppressed));
    }
    line
}

/// A finding's help, fix title and notes as `help:`/`note:`/`fix` lines, for formats that
/// carry one block of text per finding (github, junit).
pub fn details(d: &crate::diagnostic::Diagnostic) -> Vec<String> {
    let mut lines = Vec::new();
    if let Some(h) = &d.help {
        lines.push(format!("help: {h}"));
    }
    if let Some(fix) = &d.fix {
        let how = match fix.applicability {
            crate::diagnostic::Applicability::Safe => "--fix",
            crate::diagnostic::Applicability::Unsafe => "--fix --unsafe-fixes",
        };
        lines.push(format!("fix ({}, `{how}`): {}", fix.applicability.as_str(), fix.title));
    }
    for n in &d.notes {
        lines.push(format!("note: {n}"));
    }
    lines
}

//! `--statistics`: how many findings each rule produced and how many of them a fix can repair,
//! instead of the findings themselves.
//!
//! As a table in text formats:
//!
//! ```text
//! code   name                              count  fixable
//! OL004  duplicate-option                      3        3
//! ```
//!
//! As JSON with `--format json` (`version` and `summary` as in `--format json`):
//!
//! ```text
//! {"version":1,"statistics":[{"code","name","severity","count","fixable"}],
//!  "summary":{"files","stacks","errors","warnings","infos","fixable"}}
//! ```
//!
//! and with `--format json-lines`, one `{"code","name","severity","count","fixable"}` per
//! line. Rows are sorted by count, most frequent first, then by code.

use crate::diagnostic::Diagnostic;
use crate::lint::Counts;
use serde::Serialize;

/// One rule's counts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Stat {
    pub code: &'static str,
    pub name: &'static str,
    /// The severity its findings were reported with (after `[severity]` overrides).
    pub severity: &'static str,
    pub count: usize,
    /// Findings with a fix (safe or unsafe).
    pub fixable: usize,
}

pub fn collect(diags: &[Diagnostic]) -> Vec<Stat> {
    let mut stats: Vec<Stat> = Vec::new();
    for d in diags {
        let fixable = usize::from(d.fix.is_some());
        match stats.iter_mut().find(|s| s.code == d.code) {
            Some(s) => {
                s.count += 1;
                s.fixable += fixable;
            }
            None => stats.push(Stat { code: d.code, name: d.name, severity: d.severity.as_str(), count: 1, fixable }),
        }
    }
    stats.sort_by(|a, b| b.count.cmp(&a.count).then(a.code.cmp(b.code)));
    stats
}

pub fn table(stats: &[Stat]) -> String {
    let width = stats.iter().map(|s| s.name.len()).max().unwrap_or(0).max(4);
    let mut out = format!("{:<6} {:<width$} {:>5}  {:>7}\n", "code", "name", "count", "fixable");
    for s in stats {
        out.push_str(&format!("{:<6} {:<width$} {:>5}  {:>7}\n", s.code, s.name, s.count, s.fixable));
    }
    out
}

#[derive(Serialize)]
struct Output<'a> {
    version: u32,
    statistics: &'a [Stat],
    summary: super::json::Summary,
}

pub fn json(stats: &[Stat], counts: Counts, stacks: usize, files: usize) -> String {
    let out = Output { version: 1, statistics: stats, summary: super::json::Summary::new(counts, stacks, files) };
    serde_json::to_string_pretty(&out).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
}

pub fn json_lines(stats: &[Stat]) -> String {
    stats.iter().filter_map(|s| serde_json::to_string(s).ok()).map(|l| l + "\n").collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Fix, Label, Severity};
    use crate::source::{FileId, Span, TextRange};

    fn d(code: &'static str, name: &'static str, fix: bool) -> Diagnostic {
        Diagnostic {
            code,
            name,
            severity: Severity::Warning,
            message: String::new(),
            primary: Label::new(Span::new(FileId(0), TextRange::empty(0)), ""),
            secondary: Vec::new(),
            help: None,
            notes: Vec::new(),
            fix: fix.then(|| Fix::safe("x", Vec::new())),
        }
    }

    #[test]
    fn counts_by_code_most_frequent_first() {
        let diags =
            [d("OL008", "boolean-misread", true), d("OL004", "duplicate-option", true), d("OL004", "duplicate-option", false)];
        let stats = collect(&diags);
        assert_eq!(stats.len(), 2);
        assert_eq!((stats[0].code, stats[0].count, stats[0].fixable), ("OL004", 2, 1));
        assert_eq!((stats[1].code, stats[1].count, stats[1].fixable), ("OL008", 1, 1));
        assert_eq!(
            table(&stats),
            "code   name             count  fixable\nOL004  duplicate-option     2        1\nOL008  boolean-misread      1        1\n"
        );
        let v: serde_json::Value = serde_json::from_str(&json(&stats, crate::lint::count(&diags), 1, 2)).unwrap();
        assert_eq!(
            v["statistics"][0],
            serde_json::json!({"code": "OL004", "name": "duplicate-option", "severity": "warning", "count": 2, "fixable": 1})
        );
        assert_eq!(v["summary"]["fixable"], 2);
        assert_eq!(json_lines(&stats).lines().count(), 2);
    }
}

//! `--format gitlab`: a GitLab Code Quality report, the JSON array GitLab reads from
//! `artifacts: reports: codequality:` and shows in merge requests.
//!
//! Each finding is `{description, check_name, fingerprint, severity, location: {path,
//! lines: {begin, end}}}`, the fields GitLab documents ("Code Quality report format"; a
//! subset of the Code Climate spec). GitLab validates each entry against its own schema and
//! stops reading a report at the first invalid one (`CodequalityReports#valid_degradation?`),
//! so every entry carries every field.
//!
//! - `description` starts with the code and name: GitLab shows the description, not
//!   `check_name`.
//! - `severity`: GitLab's scale is info, minor, major, critical, blocker. An odoo-lint error
//!   (the stack refuses to start, loses data or is exposed) is `critical`, a warning (it
//!   fails under load) `major`, an info `info`. `blocker` and `minor` are unused.
//! - `fingerprint`: unique per finding and stable when lines move (see
//!   [`super::fingerprint`]); GitLab merges entries with equal fingerprints.

use crate::diagnostic::{Diagnostic, Severity};
use crate::files::FileSet;
use serde::Serialize;

#[derive(Serialize)]
struct Issue<'a> {
    description: String,
    check_name: &'a str,
    fingerprint: String,
    severity: &'static str,
    location: Location<'a>,
}

#[derive(Serialize)]
struct Location<'a> {
    path: &'a str,
    lines: Lines,
}

#[derive(Serialize)]
struct Lines {
    begin: u32,
    end: u32,
}

pub fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Error => "critical",
        Severity::Warning => "major",
        Severity::Info => "info",
    }
}

pub fn render(files: &FileSet, diags: &[Diagnostic]) -> String {
    let fingerprints = super::fingerprint::fingerprints(files, diags);
    let issues: Vec<Issue> = diags
        .iter()
        .zip(fingerprints)
        .map(|(d, fp)| {
            let src = files.source(d.primary.span.file);
            let begin = src.line_col(d.primary.span.range.start as usize).line;
            let end = src.line_col(d.primary.span.range.end as usize).line;
            Issue {
                description: format!("{} {}: {}", d.code, d.name, d.message),
                check_name: d.code,
                fingerprint: fp.unique(),
                severity: severity(d.severity),
                location: Location { path: &src.display, lines: Lines { begin, end } },
            }
        })
        .collect();
    serde_json::to_string_pretty(&issues).unwrap_or_else(|_| "[]".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Label;
    use crate::files::FileKind;
    use crate::source::{SourceFile, Span, TextRange};

    #[test]
    fn entries_carry_every_documented_field() {
        let mut files = FileSet::new();
        let a = files.add(SourceFile::from_text("odoo.conf", "[options]\nworkers = 2\nworkers = 3\n"), FileKind::OdooConf);
        let d = |at: usize, severity| Diagnostic {
            code: "OL004",
            name: "duplicate-option",
            severity,
            message: "set twice".into(),
            primary: Label::new(Span::new(a, TextRange::new(at, at + 7)), ""),
            secondary: Vec::new(),
            help: None,
            notes: Vec::new(),
            fix: None,
        };
        let v: serde_json::Value =
            serde_json::from_str(&render(&files, &[d(22, Severity::Error), d(22, Severity::Info)])).unwrap();
        let items = v.as_array().unwrap();
        assert_eq!(items[0]["description"], "OL004 duplicate-option: set twice");
        assert_eq!(items[0]["check_name"], "OL004");
        assert_eq!(items[0]["severity"], "critical");
        assert_eq!(items[1]["severity"], "info");
        assert_eq!(items[0]["location"], serde_json::json!({"path": "odoo.conf", "lines": {"begin": 3, "end": 3}}));
        assert_ne!(items[0]["fingerprint"], items[1]["fingerprint"], "GitLab would merge them");
    }

    #[test]
    fn nothing_found_is_an_empty_array() {
        assert_eq!(render(&FileSet::new(), &[]), "[]");
    }
}

//! `--format junit`: JUnit XML, for CI systems that show test reports (GitLab's `artifacts:
//! reports: junit`, Jenkins, Azure DevOps, GitHub test-report actions).
//!
//! One `<testsuite>` per file, named by its path; one `<testcase>` per finding in that file
//! (`OL004 duplicate-option (6:1)`), with a `<failure>` whose `message` is the finding and
//! whose text is the finding with its location, help, notes and fix; and one passing
//! `<testcase name="no problems">` for a file with no finding.
//!
//! Why per file rather than per rule: findings are fixed file by file, and a CI test view
//! lists suites with their pass/fail state, so per-file suites answer "which files are
//! broken" at a glance, and a clean file shows as a passing suite. Per-rule suites could not
//! show clean files at all (a rule has no "file without findings" case), and would scatter
//! one file's problems over many suites.

use crate::diagnostic::Diagnostic;
use crate::files::FileSet;
use std::fmt::Write;

/// Text safe inside an XML 1.0 element or attribute: markup characters escaped, characters
/// XML 1.0 forbids (control characters other than tab and line breaks) replaced by U+FFFD.
/// In attributes, line breaks and tabs are written as character references, which attribute
/// normalisation would otherwise turn into spaces.
pub fn escape(s: &str, attribute: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attribute => out.push_str("&quot;"),
            '\'' if attribute => out.push_str("&apos;"),
            '\n' if attribute => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' if attribute => out.push_str("&#9;"),
            '\n' | '\t' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

pub fn render(files: &FileSet, diags: &[Diagnostic]) -> String {
    let mut ids: Vec<_> = files.ids().collect();
    ids.sort_by(|a, b| files.source(*a).display.cmp(&files.source(*b).display));
    // each file's findings, in order (looked up per file: a fleet has tens of thousands of both)
    let mut by_file: Vec<Vec<&Diagnostic>> = vec![Vec::new(); files.len()];
    for d in diags {
        if let Some(list) = by_file.get_mut(d.primary.span.file.0 as usize) {
            list.push(d);
        }
    }
    let total_failures = diags.len();
    let total_tests: usize = ids.iter().map(|&id| by_file[id.0 as usize].len().max(1)).sum::<usize>();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"odoo-lint\" tests=\"{total_tests}\" failures=\"{total_failures}\" errors=\"0\" time=\"0\">"
    );
    for id in ids {
        let src = files.source(id);
        let path = escape(&src.display, true);
        let mine = std::mem::take(&mut by_file[id.0 as usize]);
        let _ = writeln!(
            out,
            "  <testsuite name=\"{path}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"0\" time=\"0\">",
            mine.len().max(1),
            mine.len()
        );
        if mine.is_empty() {
            let _ = writeln!(out, "    <testcase name=\"no problems\" classname=\"{path}\" file=\"{path}\" time=\"0\"/>");
        }
        for d in mine {
            let lc = src.line_col(d.primary.span.range.start as usize);
            let mut text = format!("{}:{}:{}: {} [{}] {}", src.display, lc.line, lc.column, d.code, d.severity, d.message);
            for line in super::details(d) {
                text.push('\n');
                text.push_str(&line);
            }
            let _ = writeln!(
                out,
                "    <testcase name=\"{} {} ({}:{})\" classname=\"{path}\" file=\"{path}\" line=\"{}\" time=\"0\">",
                d.code, d.name, lc.line, lc.column, lc.line
            );
            let _ = writeln!(
                out,
                "      <failure type=\"{}\" message=\"{}\">{}</failure>",
                d.severity,
                escape(&d.message, true),
                escape(&text, false)
            );
            out.push_str("    </testcase>\n");
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Label, Severity};
    use crate::files::FileKind;
    use crate::source::{SourceFile, Span, TextRange};

    #[test]
    fn escaping() {
        assert_eq!(escape("a<b & \"c\"\n", true), "a&lt;b &amp; &quot;c&quot;&#10;");
        assert_eq!(escape("a<b & \"c\"\n", false), "a&lt;b &amp; \"c\"\n");
        assert_eq!(escape("x\u{1A}y\u{0}", false), "x\u{FFFD}y\u{FFFD}");
    }

    #[test]
    fn a_suite_per_file_and_a_passing_case_for_a_clean_file() {
        let mut files = FileSet::new();
        let a = files.add(SourceFile::from_text("b/odoo.conf", "[options]\nworkers = 2\n"), FileKind::OdooConf);
        files.add(SourceFile::from_text("a/odoo.conf", "[options]\n"), FileKind::OdooConf);
        let d = Diagnostic {
            code: "OL004",
            name: "duplicate-option",
            severity: Severity::Error,
            message: "`workers` <twice>".into(),
            primary: Label::new(Span::new(a, TextRange::new(10, 17)), ""),
            secondary: Vec::new(),
            help: Some("keep one".into()),
            notes: Vec::new(),
            fix: None,
        };
        let xml = render(&files, &[d]);
        assert!(xml.starts_with(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"odoo-lint\" tests=\"2\" failures=\"1\""
        ));
        let a_pos = xml.find("<testsuite name=\"a/odoo.conf\"").unwrap();
        let b_pos = xml.find("<testsuite name=\"b/odoo.conf\"").unwrap();
        assert!(a_pos < b_pos, "suites sorted by path");
        assert!(xml.contains("<testcase name=\"no problems\" classname=\"a/odoo.conf\""));
        assert!(xml.contains(
            "<testcase name=\"OL004 duplicate-option (2:1)\" classname=\"b/odoo.conf\" file=\"b/odoo.conf\" line=\"2\""
        ));
        assert!(xml.contains(
            "<failure type=\"error\" message=\"`workers` &lt;twice&gt;\">b/odoo.conf:2:1: OL004 [error] `workers` &lt;twice&gt;\nhelp: keep one</failure>"
        ));
    }
}

//! `--format github`: GitHub Actions workflow commands, which GitHub turns into annotations
//! on the files of a pull request:
//!
//! ```text
//! ::error file=odoo.conf,line=6,col=1,endLine=6,endColumn=12,title=OL004 duplicate-option::`workers` is set twice…
//! ```
//!
//! Errors are `error`, warnings `warning`, infos `notice`. Data is escaped as GitHub's
//! toolkit does (`%`, `\r`, `\n`), properties also `:` and `,`, so a message keeps its line
//! breaks and a path with a comma stays one property.
//!
//! GitHub shows at most 10 annotations of each type per step (and 50 per job); the rest only
//! in the log. When more than 10 of a type were printed, a last `::notice::` says so, and the
//! caller ends the output with the plain summary line.

use crate::diagnostic::{Diagnostic, Severity};
use crate::files::FileSet;

/// GitHub's limit of annotations of one type shown per step.
pub const SHOWN_PER_TYPE: usize = 10;

/// Escapes a command's data (after `::`).
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Escapes a property value (`file=…`, `title=…`).
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

fn command(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    }
}

/// One annotation per diagnostic, then a notice when GitHub will hide some.
pub fn render(files: &FileSet, diags: &[Diagnostic]) -> String {
    let mut out = String::new();
    let mut counts = [0usize; 3];
    for d in diags {
        let src = files.source(d.primary.span.file);
        let start = src.line_col(d.primary.span.range.start as usize);
        let end = src.line_col(d.primary.span.range.end as usize);
        let mut message = d.message.clone();
        for line in super::details(d) {
            message.push('\n');
            message.push_str(&line);
        }
        out.push_str(&format!(
            "::{} file={},line={},col={},endLine={},endColumn={},title={}::{}\n",
            command(d.severity),
            escape_property(&src.display),
            start.line,
            start.column,
            end.line,
            end.column,
            escape_property(&format!("{} {}", d.code, d.name)),
            escape_data(&message)
        ));
        counts[d.severity as usize] += 1;
    }
    let over: Vec<String> = [Severity::Error, Severity::Warning, Severity::Info]
        .into_iter()
        .filter(|&s| counts[s as usize] > SHOWN_PER_TYPE)
        .map(|s| format!("{} {} annotations", counts[s as usize], command(s)))
        .collect();
    if !over.is_empty() {
        out.push_str(&format!(
            "::notice title=odoo-lint::{}\n",
            escape_data(&format!(
                "odoo-lint printed {}; GitHub shows only the first {SHOWN_PER_TYPE} of each type per step: read the job log for the rest, or upload `--format sarif` to code scanning",
                over.join(" and ")
            ))
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Label;
    use crate::files::FileKind;
    use crate::source::{SourceFile, Span, TextRange};

    fn diag(file: crate::source::FileId, severity: Severity, message: &str) -> Diagnostic {
        Diagnostic {
            code: "OL004",
            name: "duplicate-option",
            severity,
            message: message.into(),
            primary: Label::new(Span::new(file, TextRange::new(10, 17)), ""),
            secondary: Vec::new(),
            help: None,
            notes: Vec::new(),
            fix: None,
        }
    }

    #[test]
    fn escaping_follows_the_toolkit() {
        assert_eq!(escape_data("100%\r\nnext"), "100%25%0D%0Anext");
        assert_eq!(escape_property("a,b:c%\n"), "a%2Cb%3Ac%25%0A");
        // data keeps `:` and `,`
        assert_eq!(escape_data("a, b: c"), "a, b: c");
    }

    #[test]
    fn one_command_per_finding_with_position_and_title() {
        let mut files = FileSet::new();
        let a = files.add(SourceFile::from_text("envs/a,b/odoo.conf", "[options]\nworkers = 2\n"), FileKind::OdooConf);
        let mut d = diag(a, Severity::Warning, "50% of\nthe budget");
        d.help = Some("lower it".into());
        let out = render(&files, &[d, diag(a, Severity::Info, "fyi"), diag(a, Severity::Error, "bad")]);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(
            lines[0],
            "::warning file=envs/a%2Cb/odoo.conf,line=2,col=1,endLine=2,endColumn=8,title=OL004 duplicate-option::50%25 of%0Athe budget%0Ahelp: lower it"
        );
        assert!(lines[1].starts_with("::notice file="));
        assert!(lines[2].starts_with("::error file="));
        assert_eq!(lines.len(), 3, "no overflow notice for 3 findings");
    }

    #[test]
    fn says_when_github_hides_annotations() {
        let mut files = FileSet::new();
        let a = files.add(SourceFile::from_text("odoo.conf", "[options]\nworkers = 2\n"), FileKind::OdooConf);
        let mut diags: Vec<Diagnostic> = (0..11).map(|_| diag(a, Severity::Error, "x")).collect();
        diags.extend((0..10).map(|_| diag(a, Severity::Warning, "y")));
        let out = render(&files, &diags);
        let last = out.lines().last().unwrap();
        assert!(last.starts_with("::notice title=odoo-lint::odoo-lint printed 11 error annotations;"), "{last}");
        assert!(!last.contains("warning annotations"), "exactly 10 warnings are all shown: {last}");
    }
}

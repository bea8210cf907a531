//! `--format json-lines`: one JSON object per diagnostic, one per line, with exactly the
//! fields of a diagnostic of `--format json` (see [`super::json`]). No summary line: every
//! line is a finding, so `wc -l` counts them and `jq -c` filters them as a stream.

use crate::diagnostic::Diagnostic;
use crate::files::FileSet;

pub fn render(files: &FileSet, diags: &[Diagnostic]) -> String {
    render_with(files, diags, &[])
}

/// The findings, then the silenced ones (`--show-suppressed`), each with its `suppression`.
pub fn render_with(files: &FileSet, diags: &[Diagnostic], silenced: &[crate::suppress::Suppressed]) -> String {
    let (fa, fb) = super::json::all_fingerprints(files, diags, silenced);
    let mut out = String::new();
    let lines = diags
        .iter()
        .zip(fa)
        .map(|(d, f)| serde_json::to_string(&super::json::diagnostic(files, d, f)))
        .chain(silenced.iter().zip(fb).map(|(s, f)| serde_json::to_string(&super::json::suppressed(files, s, f))));
    // Serializing plain strings and numbers cannot fail; an error would drop one line rather
    // than the report.
    for line in lines.flatten() {
        out.push_str(&line);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Label, Severity};
    use crate::files::FileKind;
    use crate::lint::Counts;
    use crate::source::{SourceFile, Span, TextRange};

    #[test]
    fn each_line_equals_the_json_diagnostic() {
        let mut files = FileSet::new();
        let a = files.add(SourceFile::from_text("a.conf", "[options]\nworkers = 2\nworkers = 3\n"), FileKind::OdooConf);
        let d = |at: usize, msg: &str| Diagnostic {
            code: "OL004",
            name: "duplicate-option",
            severity: Severity::Error,
            message: msg.to_string(),
            primary: Label::new(Span::new(a, TextRange::new(at, at + 7)), "again"),
            secondary: vec![Label::new(Span::new(a, TextRange::new(10, 17)), "first\nline")],
            help: Some("keep one".into()),
            notes: vec![],
            fix: None,
        };
        let diags = vec![d(22, "twice"), d(22, "with \"quotes\" and\nnewline")];
        let text = render(&files, &diags);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 2, "{text}");
        let whole: serde_json::Value =
            serde_json::from_str(&crate::render::json::render(&files, &diags, Counts::default(), 1, 1)).unwrap();
        for (i, line) in lines.iter().enumerate() {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            assert_eq!(v, whole["diagnostics"][i]);
        }
    }

    #[test]
    fn nothing_found_prints_nothing() {
        assert_eq!(render(&FileSet::new(), &[]), "");
    }
}

//! One line per diagnostic: `path:line:col: CODE [severity] message`.

use crate::diagnostic::Diagnostic;
use crate::files::FileSet;

pub fn render(files: &FileSet, d: &Diagnostic) -> String {
    let src = files.source(d.primary.span.file);
    let lc = src.line_col(d.primary.span.range.start as usize);
    format!("{}:{}:{}: {} [{}] {}", src.display, lc.line, lc.column, d.code, d.severity, d.message)
}

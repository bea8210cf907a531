//! `--format json`: exactly one JSON object with every diagnostic and a summary.
//!
//! ```text
//! {"version":1,"diagnostics":[{"code","name","severity","message","path","line","column",
//!  "end_line","end_column","labels":[{"path","line","column","message"}],"help","notes",
//!  "fix":{"applicability","edits":[{"path","start","end","replacement"}]} | null,
//!  "fingerprint"}],
//!  "suppressed":[{…the fields of a diagnostic…, "suppression":{"kind","path","line","reason"}}],
//!  "summary":{"files","stacks","errors","warnings","infos","fixable","suppressed"}}
//! ```
//! `fingerprint` is the line hash of [`super::fingerprint`] (what `--baseline` matches on).
//! `suppressed` lists the findings silenced by an inline comment (`kind` `ignore` or
//! `ignore-file`, with the comment's `path` and `line`), by `per-file-ignores`, or by the
//! `baseline`, each with its `reason`.
//! Lines and columns are 1-based (columns in characters); `start`/`end` of edits are byte
//! offsets in the original file.

use crate::diagnostic::Diagnostic;
use crate::files::FileSet;
use crate::lint::Counts;
use crate::render::fingerprint::{Fingerprint, fingerprints};
use crate::suppress::Suppressed;
use serde::Serialize;

/// The document; its two lists are made one entry at a time as they are written.
#[derive(Serialize)]
struct Output<D: Serialize, S: Serialize> {
    version: u32,
    diagnostics: D,
    suppressed: S,
    summary: Summary,
}

/// A list serialised from an iterator, one element at a time (a fleet's report holds tens of
/// thousands of findings: no need to build them all first).
struct Lazy<F>(F);

impl<I, F> Serialize for Lazy<F>
where
    F: Fn() -> I,
    I: Iterator,
    I::Item: Serialize,
{
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq((self.0)())
    }
}

/// One diagnostic as `--format json` (and `json-lines`) prints it.
#[derive(Serialize)]
pub(crate) struct JsonDiagnostic<'a> {
    code: &'a str,
    name: &'a str,
    severity: &'a str,
    message: &'a str,
    path: &'a str,
    line: u32,
    column: u32,
    end_line: u32,
    end_column: u32,
    labels: Vec<JsonLabel<'a>>,
    help: Option<&'a str>,
    notes: &'a [String],
    fix: Option<JsonFix<'a>>,
    fingerprint: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    suppression: Option<JsonSuppression<'a>>,
}

/// Why a finding is in `suppressed`.
#[derive(Serialize)]
struct JsonSuppression<'a> {
    kind: &'a str,
    path: Option<&'a str>,
    line: Option<u32>,
    reason: Option<&'a str>,
}

#[derive(Serialize)]
struct JsonLabel<'a> {
    path: &'a str,
    line: u32,
    column: u32,
    end_line: u32,
    end_column: u32,
    message: &'a str,
}

#[derive(Serialize)]
struct JsonFix<'a> {
    applicability: &'a str,
    title: &'a str,
    edits: Vec<JsonEdit<'a>>,
}

#[derive(Serialize)]
struct JsonEdit<'a> {
    path: &'a str,
    start: u32,
    end: u32,
    replacement: &'a str,
}

/// The `summary` object (also in `--statistics --format json`).
#[derive(Serialize)]
pub(crate) struct Summary {
    files: usize,
    stacks: usize,
    errors: usize,
    warnings: usize,
    infos: usize,
    fixable: usize,
    suppressed: usize,
}

impl Summary {
    pub(crate) fn new(counts: Counts, stacks: usize, files: usize) -> Summary {
        Summary {
            files,
            stacks,
            errors: counts.errors,
            warnings: counts.warnings,
            infos: counts.infos,
            fixable: counts.fixable,
            suppressed: counts.suppressed,
        }
    }
}

/// A diagnostic in the documented shape above.
pub(crate) fn diagnostic<'a>(files: &'a FileSet, d: &'a Diagnostic, fingerprint: Fingerprint) -> JsonDiagnostic<'a> {
    let src = files.source(d.primary.span.file);
    let start = src.line_col(d.primary.span.range.start as usize);
    let end = src.line_col(d.primary.span.range.end as usize);
    JsonDiagnostic {
        code: d.code,
        name: d.name,
        severity: d.severity.as_str(),
        message: &d.message,
        path: &src.display,
        line: start.line,
        column: start.column,
        end_line: end.line,
        end_column: end.column,
        labels: d
            .labels()
            .map(|l| {
                let s = files.source(l.span.file);
                let a = s.line_col(l.span.range.start as usize);
                let b = s.line_col(l.span.range.end as usize);
                JsonLabel {
                    path: &s.display,
                    line: a.line,
                    column: a.column,
                    end_line: b.line,
                    end_column: b.column,
                    message: &l.message,
                }
            })
            .collect(),
        help: d.help.as_deref(),
        notes: &d.notes,
        fix: d.fix.as_ref().map(|f| JsonFix {
            applicability: f.applicability.as_str(),
            title: &f.title,
            edits: f
                .edits
                .iter()
                .map(|e| JsonEdit {
                    path: &files.source(e.file).display,
                    start: e.range.start,
                    end: e.range.end,
                    replacement: &e.replacement,
                })
                .collect(),
        }),
        fingerprint: fingerprint.line_hash(),
        suppression: None,
    }
}

/// A silenced finding in the documented shape above.
pub(crate) fn suppressed<'a>(files: &'a FileSet, s: &'a Suppressed, fingerprint: Fingerprint) -> JsonDiagnostic<'a> {
    let mut j = diagnostic(files, &s.diagnostic, fingerprint);
    let at = s.by.at.map(|span| {
        let src = files.source(span.file);
        (src.display.as_str(), src.line_col(span.range.start as usize).line)
    });
    j.suppression =
        Some(JsonSuppression { kind: s.by.kind, path: at.map(|a| a.0), line: at.map(|a| a.1), reason: s.by.reason.as_deref() });
    j
}

/// The fingerprints of the findings to report, then of the silenced ones (each list numbers
/// its own occurrences, as the run that wrote a baseline did).
pub(crate) fn all_fingerprints(
    files: &FileSet,
    diags: &[Diagnostic],
    silenced: &[Suppressed],
) -> (Vec<Fingerprint>, Vec<Fingerprint>) {
    let s: Vec<Diagnostic> = silenced.iter().map(|s| s.diagnostic.clone()).collect();
    (fingerprints(files, diags), fingerprints(files, &s))
}

pub fn render(files: &FileSet, diags: &[Diagnostic], counts: Counts, stacks: usize, file_count: usize) -> String {
    render_with(files, diags, &[], counts, stacks, file_count)
}

/// The report with the silenced findings too.
pub fn render_with(
    files: &FileSet,
    diags: &[Diagnostic],
    silenced: &[Suppressed],
    counts: Counts,
    stacks: usize,
    file_count: usize,
) -> String {
    let mut out = Vec::new();
    match write_with(&mut out, files, diags, silenced, counts, stacks, file_count) {
        Ok(()) => String::from_utf8(out).unwrap_or_default(),
        Err(e) => format!("{{\"error\":\"{e}\"}}"),
    }
}

/// [`render_with`], written to `w` as it is made (without a final newline).
pub fn write_with(
    w: impl std::io::Write,
    files: &FileSet,
    diags: &[Diagnostic],
    silenced: &[Suppressed],
    counts: Counts,
    stacks: usize,
    file_count: usize,
) -> std::io::Result<()> {
    let (fa, fb) = all_fingerprints(files, diags, silenced);
    let out = Output {
        version: 1,
        diagnostics: Lazy(|| diags.iter().zip(&fa).map(|(d, f)| diagnostic(files, d, *f))),
        suppressed: Lazy(|| silenced.iter().zip(&fb).map(|(s, f)| suppressed(files, s, *f))),
        summary: Summary::new(counts, stacks, file_count),
    };
    serde_json::to_writer_pretty(w, &out).map_err(std::io::Error::other)
}

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

/// The document as serde would write it whole (the reference [`write_with`] is tested
/// against).
#[cfg(test)]
#[derive(Serialize)]
struct Output<'a> {
    version: u32,
    diagnostics: Vec<JsonDiagnostic<'a>>,
    suppressed: Vec<JsonDiagnostic<'a>>,
    summary: Summary,
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

/// [`render_with`], written to `w` as it is made (without a final newline): the same bytes
/// as `serde_json::to_writer_pretty` of the whole document, with each finding serialised on
/// its own, a batch at a time on every core when there are many (a fleet's report holds tens
/// of thousands: serialising them was a tenth of its time, on one core).
pub fn write_with(
    mut w: impl std::io::Write,
    files: &FileSet,
    diags: &[Diagnostic],
    silenced: &[Suppressed],
    counts: Counts,
    stacks: usize,
    file_count: usize,
) -> std::io::Result<()> {
    let (fa, fb) = all_fingerprints(files, diags, silenced);
    w.write_all(b"{\n  \"version\": 1,\n  \"diagnostics\": ")?;
    write_list(&mut w, diags.len(), |i| diagnostic(files, &diags[i], fa[i]))?;
    w.write_all(b",\n  \"suppressed\": ")?;
    write_list(&mut w, silenced.len(), |i| suppressed(files, &silenced[i], fb[i]))?;
    w.write_all(b",\n  \"summary\": ")?;
    let summary = serde_json::to_vec_pretty(&Summary::new(counts, stacks, file_count)).map_err(std::io::Error::other)?;
    w.write_all(&indented(&summary, 2))?;
    w.write_all(b"\n}")
}

/// A list of `len` entries, one level below the top object, as the pretty printer lays it out.
fn write_list<'a>(
    w: &mut impl std::io::Write,
    len: usize,
    entry: impl Fn(usize) -> JsonDiagnostic<'a> + Sync,
) -> std::io::Result<()> {
    use rayon::prelude::*;
    // small under test, so that the tests cross batches
    const BATCH: usize = if cfg!(test) { 7 } else { 512 };
    if len == 0 {
        return w.write_all(b"[]");
    }
    let one = |i: usize| serde_json::to_vec_pretty(&entry(i)).map(|v| indented(&v, 4)).map_err(std::io::Error::other);
    w.write_all(b"[")?;
    for start in (0..len).step_by(BATCH) {
        let range = start..(start + BATCH).min(len);
        let batch: Vec<std::io::Result<Vec<u8>>> =
            if len < BATCH { range.map(one).collect() } else { range.into_par_iter().map(one).collect() };
        for (k, item) in batch.into_iter().enumerate() {
            w.write_all(if start + k == 0 { b"\n    " } else { b",\n    " })?;
            w.write_all(&item?)?;
        }
    }
    w.write_all(b"\n  ]")
}

/// A value printed at the top level, moved `by` spaces right (JSON strings hold no raw line
/// breaks, so every one is the pretty printer's).
fn indented(json: &[u8], by: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(json.len() + json.len() / 8);
    let mut from = 0;
    for nl in memchr::memchr_iter(b'\n', json) {
        out.extend_from_slice(&json[from..=nl]);
        out.extend(std::iter::repeat_n(b' ', by));
        from = nl + 1;
    }
    out.extend_from_slice(&json[from..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::workspace::{self, Inputs};

    /// The hand-laid document is serde's, byte for byte: no finding, a few, some silenced,
    /// and more than a batch.
    #[test]
    fn same_bytes_as_serde() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut cases = vec![vec![root.join("fixtures/demo")], vec![root.join("fixtures/stacks/clean")]];
        cases.push(vec![root.join("fixtures/rules/OL011-unused-suppression/bad")]);
        cases.push(std::fs::read_dir(root.join("fixtures/rules")).unwrap().flatten().map(|e| e.path()).collect());
        let (mut most, mut silenced_seen) = (0, 0);
        for paths in cases {
            let inputs = Inputs { paths, cpus: Some(2), memory: Some(crate::units::Bytes(4 << 30)), ..Default::default() };
            let ws = workspace::build(&inputs, &Config::default());
            let outcome = crate::lint::check(&ws.files, &ws.stacks, &Default::default());
            let (diags, silenced) = (&outcome.diagnostics, &outcome.suppressed);
            for (diags, silenced) in [(&diags[..], &silenced[..]), (&[][..], &silenced[..]), (&diags[..], &[][..])] {
                let counts = crate::lint::count(diags);
                let ours = render_with(&ws.files, diags, silenced, counts, ws.stacks.len(), ws.files.len());
                let (fa, fb) = all_fingerprints(&ws.files, diags, silenced);
                let reference = Output {
                    version: 1,
                    diagnostics: diags.iter().zip(fa).map(|(d, f)| diagnostic(&ws.files, d, f)).collect(),
                    suppressed: silenced.iter().zip(fb).map(|(s, f)| suppressed(&ws.files, s, f)).collect(),
                    summary: Summary::new(counts, ws.stacks.len(), ws.files.len()),
                };
                assert_eq!(ours, serde_json::to_string_pretty(&reference).unwrap());
            }
            most = most.max(outcome.diagnostics.len());
            silenced_seen += outcome.suppressed.len();
        }
        assert!(most > 3 * 7 && silenced_seen > 0, "{most} findings, {silenced_seen} silenced");
    }
}

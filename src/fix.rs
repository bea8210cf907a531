//! Applying fixes: byte-range edits on the original text (never a reprint), in passes that
//! re-parse and re-check the result, shown as unified diffs or written atomically.

use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix};
use crate::files::{FileKind, FileSet};
use crate::source::{FileId, SourceFile, TextRange};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// How many times fixes are applied and the result re-checked before giving up (ruff uses
/// 100 for far more rules; ours converge in two or three).
pub const MAX_PASSES: usize = 10;

/// One fix chosen in a pass, with the rule that offered it.
#[derive(Clone, Debug)]
pub struct Chosen {
    pub code: &'static str,
    pub fix: Fix,
}

/// The fixes of `diags` that apply at `level`, without overlaps: a fix whose edits touch a
/// range an earlier fix already edits waits for the next pass. A fix is all-or-nothing,
/// across every file it touches.
pub fn choose(diags: &[Diagnostic], level: Applicability) -> Vec<Chosen> {
    let candidates: Vec<Chosen> = diags
        .iter()
        .filter_map(|d| d.fix.as_ref().filter(|f| f.applicability >= level).map(|f| Chosen { code: d.code, fix: f.clone() }))
        .collect();
    without_overlaps(candidates)
}

/// The candidates that can be applied together, in order of their first edit: a fix whose
/// edits touch a range an earlier one already edits waits for the next pass; two fixes with
/// the same edits (one problem reached through two stacks) apply once.
pub fn without_overlaps(mut candidates: Vec<Chosen>) -> Vec<Chosen> {
    let mut taken: BTreeMap<FileId, Vec<TextRange>> = BTreeMap::new();
    let mut out = Vec::new();
    candidates.sort_by_key(|c| (c.fix.edits.first().map(|e| (e.file, e.range.start)), c.code));
    'fix: for c in candidates {
        if c.fix.edits.is_empty() {
            continue;
        }
        for e in &c.fix.edits {
            if let Some(ranges) = taken.get(&e.file)
                && ranges.iter().any(|r| overlaps(*r, e.range))
            {
                continue 'fix;
            }
        }
        if out.iter().any(|o: &Chosen| o.fix.edits == c.fix.edits) {
            continue;
        }
        for e in &c.fix.edits {
            taken.entry(e.file).or_default().push(e.range);
        }
        out.push(c);
    }
    out
}

/// Whether two edit ranges conflict. Touching ranges do not, but two insertions at the same
/// place do (their order would be arbitrary), as does an insertion inside a replaced range.
fn overlaps(a: TextRange, b: TextRange) -> bool {
    if a.is_empty() && b.is_empty() {
        return a.start == b.start;
    }
    if a.is_empty() {
        return a.start > b.start && a.start < b.end;
    }
    if b.is_empty() {
        return b.start > a.start && b.start < a.end;
    }
    a.start < b.end && b.start < a.end
}

/// Applies non-overlapping edits to `original`, copying every untouched byte.
pub fn apply_edits(original: &[u8], edits: &[&Edit]) -> Vec<u8> {
    let mut sorted: Vec<&&Edit> = edits.iter().collect();
    sorted.sort_by_key(|e| (e.range.start, e.range.end));
    let mut out = Vec::with_capacity(original.len() + 64);
    let mut last = 0usize;
    for e in sorted {
        let (start, end) = (e.range.start as usize, e.range.end as usize);
        if start < last || end > original.len() {
            continue; // cannot happen after `choose`; never corrupt the file if it does
        }
        out.extend_from_slice(&original[last..start]);
        out.extend_from_slice(e.replacement.as_bytes());
        last = end;
    }
    out.extend_from_slice(&original[last..]);
    out
}

/// The new contents of every file the chosen fixes touch.
pub fn apply(files: &FileSet, chosen: &[Chosen]) -> BTreeMap<FileId, Vec<u8>> {
    let mut by_file: BTreeMap<FileId, Vec<&Edit>> = BTreeMap::new();
    for c in chosen {
        for e in &c.fix.edits {
            by_file.entry(e.file).or_default().push(e);
        }
    }
    by_file.into_iter().map(|(f, edits)| (f, apply_edits(&files.source(f).bytes, &edits))).collect()
}

/// How many syntax errors a text of `kind` has (to refuse fixes that break a file).
pub fn error_count(path: &Path, kind: FileKind, bytes: &[u8]) -> usize {
    let mut fs = FileSet::new();
    let id = fs.add(SourceFile::new(path.to_path_buf(), bytes.to_vec()), kind);
    fs.syntax_error_count(id)
}

/// A unified diff of one file, each hunk headed by the rule codes whose edits it holds.
pub fn unified_diff(display: &str, old: &[u8], new: &[u8], codes_by_line: &[(usize, usize, &'static str)]) -> String {
    let old_s = String::from_utf8_lossy(old);
    let new_s = String::from_utf8_lossy(new);
    let diff = similar::TextDiff::from_lines(old_s.as_ref(), new_s.as_ref());
    let mut out = String::new();
    let rel = display.trim_start_matches('/');
    let _ = writeln!(out, "--- a/{rel}");
    let _ = writeln!(out, "+++ b/{rel}");
    for group in diff.grouped_ops(3) {
        let (Some(first), Some(last)) = (group.first(), group.last()) else { continue };
        let old_start = first.old_range().start;
        let old_end = last.old_range().end;
        let new_start = first.new_range().start;
        let new_end = last.new_range().end;
        let mut codes: BTreeSet<&str> = BTreeSet::new();
        for &(a, b, code) in codes_by_line {
            // an edit on old lines a..=b belongs to this hunk if it meets the hunk's old range
            // (an insertion right after the hunk's last line belongs to it too)
            if a <= old_end && b + 1 > old_start {
                codes.insert(code);
            }
        }
        let fmt_range = |start: usize, end: usize| {
            let len = end - start;
            if len == 0 {
                format!("{start},0")
            } else if len == 1 {
                format!("{}", start + 1)
            } else {
                format!("{},{len}", start + 1)
            }
        };
        let _ = write!(out, "@@ -{} +{} @@", fmt_range(old_start, old_end), fmt_range(new_start, new_end));
        if !codes.is_empty() {
            let _ = write!(out, " {}", codes.into_iter().collect::<Vec<_>>().join(", "));
        }
        out.push('\n');
        for op in &group {
            for change in diff.iter_changes(op) {
                let sign = match change.tag() {
                    similar::ChangeTag::Delete => '-',
                    similar::ChangeTag::Insert => '+',
                    similar::ChangeTag::Equal => ' ',
                };
                out.push(sign);
                let value = change.value();
                out.push_str(value);
                if change.missing_newline() {
                    out.push_str("\n\\ No newline at end of file\n");
                }
            }
        }
    }
    out
}

/// The outcome of fixing.
#[derive(Debug, Default)]
pub struct Fixed {
    /// Per changed file (canonical path): display path, original bytes, final bytes, and the
    /// codes of the fixes applied with the original lines (0-based, inclusive) they touched.
    pub files: BTreeMap<PathBuf, FileFix>,
    /// What the last check found, on the fixed contents.
    pub remaining: Vec<Diagnostic>,
    /// What suppressions silenced in the last check.
    pub suppressed: Vec<crate::suppress::Suppressed>,
    /// The workspace of the last check (for rendering `remaining`).
    pub workspace: crate::workspace::Workspace,
    /// Fixes refused because their result would not parse, with why.
    pub refused: Vec<String>,
    /// How many fixes were applied.
    pub applied: usize,
    /// The last pass found nothing more to do (rather than running out of passes).
    pub converged: bool,
}

#[derive(Debug, Clone)]
pub struct FileFix {
    pub display: String,
    pub path: PathBuf,
    pub kind: FileKind,
    pub original: Vec<u8>,
    pub fixed: Vec<u8>,
    pub codes: Vec<(usize, usize, &'static str)>,
}

impl FileFix {
    /// The unified diff of this file, secrets masked on both sides.
    pub fn diff(&self) -> String {
        let old = crate::files::masked(&self.path, self.kind, &self.original);
        let new = crate::files::masked(&self.path, self.kind, &self.fixed);
        unified_diff(&self.display, &old, &new, &self.codes)
    }
}

/// Checks, applies the fixes at `level`, re-checks the result, and repeats until nothing is
/// left to fix (at most [`MAX_PASSES`] times). Nothing is written here.
pub fn run(
    inputs: &crate::workspace::Inputs,
    config: &crate::config::Config,
    selection: &crate::lint::Selection,
    level: Applicability,
) -> Fixed {
    let mut last = None;
    let mut fixed = run_passes(inputs, config, MAX_PASSES, |ws| {
        let outcome = crate::lint::check(&ws.files, &ws.stacks, selection);
        let chosen = choose(&outcome.diagnostics, level);
        last = Some(outcome);
        chosen
    });
    let outcome = match last {
        Some(o) if fixed.converged => o,
        _ => crate::lint::check(&fixed.workspace.files, &fixed.workspace.stacks, selection),
    };
    fixed.remaining = outcome.diagnostics;
    fixed.suppressed = outcome.suppressed;
    fixed
}

/// The engine of `--fix` and `tune --write`: builds the workspace, asks `propose` for the
/// edits to make on it (already free of overlaps, see [`without_overlaps`]), applies them,
/// and repeats on the result until `propose` has nothing left (at most `max_passes` times).
/// Edits of files not on disk are dropped, and a set of edits whose result would not parse
/// is refused. `remaining` is left empty: the caller knows what to check.
pub fn run_passes(
    inputs: &crate::workspace::Inputs,
    config: &crate::config::Config,
    max_passes: usize,
    mut propose: impl FnMut(&crate::workspace::Workspace) -> Vec<Chosen>,
) -> Fixed {
    let mut inputs = inputs.clone();
    let mut fixed = Fixed::default();
    for _pass in 0..max_passes {
        let ws = crate::workspace::build(&inputs, config);
        let mut chosen = propose(&ws);
        // Files that are not on disk (a stock file's known content) are never edited.
        chosen.retain(|c| c.fix.edits.iter().all(|e| !ws.files.get(e.file).is_virtual));
        // Keep only fixes whose result reads no worse than the original, file by file. Fixes
        // that are fine alone can clash together (two fixes each adding an `[options]`
        // section): then they are taken one at a time, the rest waits for the next pass, and
        // only a fix that breaks the file on its own is refused.
        chosen = accept_readable(&ws.files, chosen, &mut fixed.refused);
        if chosen.is_empty() {
            fixed.workspace = ws;
            fixed.converged = true;
            return fixed;
        }
        let changes = apply(&ws.files, &chosen);
        for (id, bytes) in changes {
            let src = ws.files.source(id);
            let key = crate::workspace::canonical(&src.path);
            let kind = ws.files.get(id).kind;
            let entry = fixed.files.entry(key.clone()).or_insert_with(|| FileFix {
                display: src.display.clone(),
                path: src.path.clone(),
                kind,
                original: src.bytes.clone(),
                fixed: Vec::new(),
                codes: Vec::new(),
            });
            // Lines of this pass's edits, mapped back to the original text (one diff per file
            // and pass, however many edits).
            let map = LineMap::new(&entry.original, &src.bytes);
            for c in &chosen {
                for e in c.fix.edits.iter().filter(|e| e.file == id) {
                    let (a, b) = (map.get(src.line_of(e.range.start as usize)), map.get(src.line_of(e.range.end as usize)));
                    entry.codes.push((a.min(b), a.max(b), c.code));
                }
            }
            entry.fixed = bytes.clone();
            inputs.overlay.insert(key, bytes);
        }
        fixed.applied += chosen.len();
    }
    fixed.workspace = crate::workspace::build(&inputs, config);
    fixed
}

/// The changed files whose new contents read worse than the originals: more syntax errors,
/// or contents that the next run would take for another kind of file (a file found by its
/// content, half odoo.conf and half nginx, that a fix tips over: the next `--fix` would
/// then fix it as nginx).
fn readable(files: &FileSet, changes: &BTreeMap<FileId, Vec<u8>>) -> Vec<FileId> {
    changes
        .iter()
        .filter(|(id, bytes)| {
            let e = files.get(**id);
            error_count(&e.source.path, e.kind, bytes) > files.syntax_error_count(**id) || changes_kind(files, **id, bytes)
        })
        .map(|(id, _)| *id)
        .collect()
}

/// Whether a file whose kind its content decided would be taken for another kind with `new`
/// (a file no longer recognised at all is not: the next run leaves it out, or reaches it
/// through an include, as the same kind).
fn changes_kind(files: &FileSet, id: FileId, new: &[u8]) -> bool {
    let e = files.get(id);
    let sniff = |text: &str| crate::discover::sniff(&e.source.path, text);
    sniff(&e.source.text) == Some(e.kind) && sniff(&String::from_utf8_lossy(new)).is_some_and(|k| k != e.kind)
}

/// The chosen fixes that can be applied together without making a file read worse.
fn accept_readable(files: &FileSet, chosen: Vec<Chosen>, refused: &mut Vec<String>) -> Vec<Chosen> {
    let bad = readable(files, &apply(files, &chosen));
    if bad.is_empty() {
        return chosen;
    }
    // Fixes that touch no failing file go through as they are.
    let (mut accepted, suspects): (Vec<Chosen>, Vec<Chosen>) =
        chosen.into_iter().partition(|c| c.fix.edits.iter().all(|e| !bad.contains(&e.file)));
    for c in suspects {
        let alone = apply(files, std::slice::from_ref(&c));
        if let Some(&id) = readable(files, &alone).first() {
            let e = files.get(id);
            let why = if changes_kind(files, id, &alone[&id]) {
                format!("would make the next run take the file for another kind than {}", e.kind.as_str())
            } else {
                "would leave a file that does not parse".to_string()
            };
            refused.push(format!("{}: the fix for {} ({}) {why}; left alone", e.source.display, c.code, c.fix.title));
            continue;
        }
        accepted.push(c);
        if !readable(files, &apply(files, &accepted)).is_empty() {
            accepted.pop(); // fine alone, not with the others: next pass
        }
    }
    accepted
}

/// Which line of an original text each line of a text derived from it (by earlier passes)
/// came from.
enum LineMap {
    Same,
    Lines(Vec<usize>),
}

impl LineMap {
    fn new(original: &[u8], current: &[u8]) -> LineMap {
        if original == current {
            return LineMap::Same;
        }
        let old = String::from_utf8_lossy(original);
        let new = String::from_utf8_lossy(current);
        let diff = similar::TextDiff::from_lines(old.as_ref(), new.as_ref());
        let mut lines = Vec::new();
        for op in diff.ops() {
            let (or, nr) = (op.old_range(), op.new_range());
            for i in 0..nr.len() {
                lines.push(match op.tag() {
                    similar::DiffTag::Equal => or.start + i,
                    _ => or.start,
                });
            }
        }
        LineMap::Lines(lines)
    }

    fn get(&self, line: usize) -> usize {
        match self {
            LineMap::Same => line,
            LineMap::Lines(l) => l.get(line).copied().unwrap_or_else(|| l.last().map(|x| x + 1).unwrap_or(0)),
        }
    }
}

/// Why a file was not written.
#[derive(Debug)]
pub enum WriteError {
    Io(PathBuf, std::io::Error),
    NotRegular(PathBuf),
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WriteError::Io(p, e) => write!(f, "{}: {e}", p.display()),
            WriteError::NotRegular(p) => write!(f, "{}: not a regular file (or a link to one); left alone", p.display()),
        }
    }
}

/// Writes `bytes` to `path` atomically: a temporary file in the same directory, fsync, the
/// original's mode and owner, rename over the original, fsync of the directory. A symbolic
/// link is followed to its final target, which must be a regular file; the link stays.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    use std::io::Write;
    let target = std::fs::canonicalize(path).map_err(|e| WriteError::Io(path.to_path_buf(), e))?;
    let meta = std::fs::metadata(&target).map_err(|e| WriteError::Io(target.clone(), e))?;
    if !meta.is_file() {
        return Err(WriteError::NotRegular(path.to_path_buf()));
    }
    let dir = target.parent().ok_or_else(|| WriteError::NotRegular(path.to_path_buf()))?;
    let io = |e: std::io::Error| WriteError::Io(target.clone(), e);
    let mut tmp = tempfile::Builder::new().prefix(".odoo-lint-").suffix(".tmp").tempfile_in(dir).map_err(io)?;
    tmp.write_all(bytes).map_err(io)?;
    tmp.as_file().set_permissions(meta.permissions()).map_err(io)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        // Keep the owner: as root this restores it; as the owner it is a no-op; otherwise
        // the rename below would change it, so refuse.
        if let Err(e) = std::os::unix::fs::fchown(tmp.as_file(), Some(meta.uid()), Some(meta.gid())) {
            let cur_uid = std::fs::metadata(tmp.path()).map(|m| m.uid()).unwrap_or(u32::MAX);
            if cur_uid != meta.uid() {
                return Err(io(e));
            }
        }
    }
    tmp.as_file().sync_all().map_err(io)?;
    tmp.persist(&target).map_err(|e| io(e.error))?;
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_keep_untouched_bytes() {
        let text = b"a = 1\r\nb = 2\r\n";
        let e1 = Edit::replace(FileId(0), TextRange::new(4, 5), "9");
        let e2 = Edit::insert(FileId(0), 7, "c = 3\r\n");
        assert_eq!(apply_edits(text, &[&e2, &e1]), b"a = 9\r\nc = 3\r\nb = 2\r\n");
    }

    #[test]
    fn overlap_rules() {
        assert!(overlaps(TextRange::new(0, 5), TextRange::new(4, 6)));
        assert!(!overlaps(TextRange::new(0, 5), TextRange::new(5, 6)));
        assert!(overlaps(TextRange::empty(3), TextRange::empty(3)));
        assert!(!overlaps(TextRange::empty(5), TextRange::new(0, 5)));
        assert!(overlaps(TextRange::empty(3), TextRange::new(0, 5)));
    }

    #[test]
    fn diff_names_codes_per_hunk() {
        let old = b"[options]\nworkers = 2\n  max = 1\n";
        let new = b"[options]\nworkers = 2\nmax = 1\n";
        let d = unified_diff("odoo.conf", old, new, &[(2, 2, "OL013")]);
        assert!(d.contains("@@ -1,3 +1,3 @@ OL013\n"), "{d}");
        assert!(d.contains("-  max = 1\n+max = 1\n"), "{d}");
    }

    #[test]
    fn atomic_write_keeps_mode_and_links() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.conf");
        std::fs::write(&real, "old").unwrap();
        std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o640)).unwrap();
        let link = dir.path().join("link.conf");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        write_atomic(&link, b"new").unwrap();
        assert_eq!(std::fs::read(&real).unwrap(), b"new");
        assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
        assert_eq!(std::fs::metadata(&real).unwrap().permissions().mode() & 0o777, 0o640);
        let leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
            .collect();
        assert!(leftovers.is_empty());
    }

    #[test]
    fn refuses_directories_and_dangling_links() {
        let dir = tempfile::tempdir().unwrap();
        assert!(write_atomic(dir.path(), b"x").is_err());
        let link = dir.path().join("dangling");
        std::os::unix::fs::symlink(dir.path().join("nowhere"), &link).unwrap();
        assert!(write_atomic(&link, b"x").is_err());
    }
}

//! Inline suppressions: `# odoo-lint: ignore[OL301] reason` in any file's own comment syntax.
//!
//! - `ignore[...]` in a comment that ends a line silences the listed rules on that line; alone
//!   on its line, it silences them on the next line that is neither blank nor a comment (so
//!   several suppressions can be stacked above one line). In odoo.conf and systemd units a
//!   comment can only stand alone on its line (configparser and systemd keep a trailing `#` in
//!   the value), so there the suppression goes on the line before.
//! - `ignore-file[...]` anywhere in a file silences the listed rules in the whole file.
//! - The list holds codes (`OL301`), prefixes (`OL3`) or names (`proxy-timeout-below-odoo`),
//!   separated by commas or spaces; what follows the `]` is the reason, kept for the json and
//!   sarif reports.
//! - A finding is matched by the line its primary span starts on, in the file it points at.
//!
//! Comments are taken from each format's own tree (odoo.conf and systemd comment lines, nginx
//! and YAML comments, postgresql.conf and limits.conf trailing comments), so a `#` inside a
//! quoted value is never read as a suppression. A directive that silences nothing is reported
//! by OL011 (unused-suppression), whose fix removes it.

use crate::diagnostic::{Diagnostic, Edit, Fix, Label};
use crate::files::{FileEntry, FileSet, Syntax};
use crate::rules::{REGISTRY, RuleMeta};
use crate::source::{FileId, SourceFile, Span, TextRange};

/// The word every directive starts with, after the comment marker.
pub const MARKER: &str = "odoo-lint:";

/// The rule that reports unused suppressions.
pub const UNUSED_SUPPRESSION: &str = "OL011";

/// What a directive silences.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// The findings that start on this 0-based line (`None`: a comment with no line after it).
    Line(Option<usize>),
    /// Every finding in the file.
    File,
}

/// One selector of a directive, as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Selector {
    pub text: String,
    pub range: TextRange,
}

/// One `odoo-lint:` comment.
#[derive(Clone, Debug)]
pub struct Suppression {
    pub file: FileId,
    /// The comment, from its `#` or `;` to the end of the line (terminator excluded).
    pub comment: TextRange,
    /// The 0-based line of the comment.
    pub line: usize,
    /// Whether the comment is alone on its line.
    pub own_line: bool,
    pub scope: Scope,
    /// The text between the brackets (empty range when there are none).
    pub list: TextRange,
    pub selectors: Vec<Selector>,
    /// What follows the `]`, trimmed; `None` when nothing does.
    pub reason: Option<String>,
    /// Why the directive cannot be read, if it cannot.
    pub problem: Option<String>,
}

impl Suppression {
    /// Whether this suppression covers a finding starting at `offset` in `file`.
    pub fn covers(&self, file: FileId, line: usize) -> bool {
        file == self.file
            && match self.scope {
                Scope::File => true,
                Scope::Line(l) => l == Some(line),
            }
    }

    /// The directive as written (for notes and reports).
    pub fn text<'a>(&self, src: &'a SourceFile) -> &'a str {
        self.comment.of(&src.text).trim_end()
    }

    pub fn kind(&self) -> &'static str {
        match self.scope {
            Scope::File => "ignore-file",
            Scope::Line(_) => "ignore",
        }
    }
}

/// A comment of some file: its range (marker included, terminator excluded) and whether it is
/// alone on its line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Comment {
    range: TextRange,
    own_line: bool,
}

/// Every comment of a file, by its format's own reading.
fn comments(entry: &FileEntry) -> Vec<Comment> {
    let src = &entry.source;
    let text = &src.text;
    let alone = |start: usize| {
        let line_start = src.line_start(src.line_of(start));
        text[line_start..start].bytes().all(|b| b == b' ' || b == b'\t' || b == 0x0c || b == 0x0b)
    };
    let trimmed = |r: TextRange| {
        let s = r.of(text);
        let lead = s.len() - s.trim_start().len();
        let end = r.start as usize + s.trim_end_matches(['\r', '\n']).len();
        TextRange::new(r.start as usize + lead, end.max(r.start as usize + lead))
    };
    let mut out: Vec<Comment> = match &entry.syntax {
        Syntax::OdooConf(conf) => conf
            .lines
            .iter()
            .filter(|l| l.kind == crate::formats::odoo_conf::LineKind::Comment)
            .map(|l| Comment { range: trimmed(l.range), own_line: true })
            .collect(),
        Syntax::Systemd(unit) => unit
            .lines
            .iter()
            .filter(|l| l.kind == crate::formats::systemd::LineKind::Comment)
            .map(|l| Comment { range: trimmed(l.range), own_line: true })
            .collect(),
        Syntax::Nginx(tree) => {
            tree.comments().map(|(_, c)| Comment { range: trimmed(c.range), own_line: alone(c.range.start as usize) }).collect()
        }
        Syntax::Postgresql(conf) => conf
            .lines
            .iter()
            .flat_map(|l| l.tokens.iter().filter(|t| t.kind == crate::formats::postgresql::syntax::TokenKind::Comment))
            .map(|t| Comment { range: trimmed(t.range), own_line: alone(t.range.start as usize) })
            .collect(),
        Syntax::Limits(file) => file
            .lines
            .iter()
            .filter_map(|l| l.comment.map(|c| Comment { range: trimmed(c), own_line: l.fields.is_empty() }))
            .collect(),
        Syntax::Compose(yaml) => {
            yaml.comments.iter().map(|&c| Comment { range: trimmed(c), own_line: alone(c.start as usize) }).collect()
        }
        // .env files and anything else: `#` comment lines
        Syntax::DotEnv(_) | Syntax::Unparsed => (0..src.line_count())
            .filter_map(|l| {
                let r = src.line_range(l);
                r.of(text).trim_start().starts_with('#').then(|| Comment { range: trimmed(r), own_line: true })
            })
            .collect(),
    };
    out.sort_by_key(|c| c.range.start);
    out
}

/// A directive as read from its comment: scope, list range, selectors, reason, problem.
type Parsed = (Scope, TextRange, Vec<Selector>, Option<String>, Option<String>);

/// Reads a comment as a directive: `None` when it is not one (no `odoo-lint:` after the
/// marker).
fn parse(text: &str, comment: TextRange) -> Option<Parsed> {
    let body = comment.of(text);
    let base = comment.start as usize;
    // the marker (`#` or `;`, possibly repeated), spaces, `odoo-lint:`
    let after_marker = body.trim_start_matches(['#', ';']);
    let rest = after_marker.trim_start();
    if rest.len() < MARKER.len() || !rest[..MARKER.len()].eq_ignore_ascii_case(MARKER) {
        return None;
    }
    let mut at = base + (body.len() - rest.len()) + MARKER.len();
    let rest = &text[at..comment.end as usize];
    let word_start = rest.len() - rest.trim_start().len();
    at += word_start;
    let rest = &text[at..comment.end as usize];
    let word_len = rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_')).unwrap_or(rest.len());
    let word = &rest[..word_len];
    let scope = match word.to_ascii_lowercase().as_str() {
        "ignore" => Scope::Line(None),
        "ignore-file" => Scope::File,
        _ => {
            let close = crate::suggest::closest(word, &["ignore", "ignore-file"]);
            let problem = if word.is_empty() {
                "expected `ignore[CODES]` or `ignore-file[CODES]` after `odoo-lint:`".to_string()
            } else {
                format!(
                    "`{word}` is not a directive: expected `ignore[CODES]` or `ignore-file[CODES]`{}",
                    close.map(|c| format!(" (did you mean `{c}`?)")).unwrap_or_default()
                )
            };
            return Some((Scope::Line(None), TextRange::empty(at), Vec::new(), None, Some(problem)));
        }
    };
    let after_word = &rest[word_len..];
    let Some(list_rel) = after_word.strip_prefix('[') else {
        let problem = format!("`{word}` needs the rules it silences in brackets: `{word}[OL301] reason`");
        return Some((scope, TextRange::empty(at + word_len), Vec::new(), None, Some(problem)));
    };
    let list_start = at + word_len + 1;
    let Some(close) = list_rel.find(']') else {
        let problem = "the list of rules is not closed with `]`".to_string();
        return Some((scope, TextRange::new(list_start, comment.end as usize), Vec::new(), None, Some(problem)));
    };
    let list = TextRange::new(list_start, list_start + close);
    let mut selectors = Vec::new();
    let mut i = list.start as usize;
    for part in list.of(text).split([',', ' ', '\t']) {
        if !part.is_empty() {
            selectors.push(Selector { text: part.to_string(), range: TextRange::new(i, i + part.len()) });
        }
        i += part.len() + 1;
    }
    let reason = text[list.end as usize + 1..comment.end as usize].trim().trim_start_matches([':', '-', '—']).trim();
    let reason = (!reason.is_empty()).then(|| reason.to_string());
    let problem = selectors.is_empty().then(|| format!("`{word}[]` names no rule: list the codes it silences"));
    Some((scope, list, selectors, reason, problem))
}

/// Every directive of every file (stock files that are not on disk have none).
pub fn collect(files: &FileSet) -> Vec<Suppression> {
    let mut out = Vec::new();
    for id in files.ids() {
        let entry = files.get(id);
        if entry.is_virtual || !entry.source.text.contains("odoo-lint") {
            continue;
        }
        let src = &entry.source;
        let comments = comments(entry);
        let comment_lines: std::collections::HashSet<usize> =
            comments.iter().filter(|c| c.own_line).map(|c| src.line_of(c.range.start as usize)).collect();
        for c in &comments {
            let Some((scope, list, selectors, reason, problem)) = parse(&src.text, c.range) else { continue };
            let line = src.line_of(c.range.start as usize);
            let scope = match scope {
                Scope::File => Scope::File,
                Scope::Line(_) if !c.own_line => Scope::Line(Some(line)),
                Scope::Line(_) => Scope::Line(
                    (line + 1..src.line_count())
                        .find(|&l| !comment_lines.contains(&l) && !src.line_range(l).of(&src.text).trim().is_empty()),
                ),
            };
            out.push(Suppression {
                file: id,
                comment: c.range,
                line,
                own_line: c.own_line,
                scope,
                list,
                selectors,
                reason,
                problem,
            });
        }
    }
    out
}

/// Why a finding is not reported.
#[derive(Clone, Debug)]
pub struct SuppressedBy {
    /// `ignore`, `ignore-file`, `per-file-ignores` or `baseline`.
    pub kind: &'static str,
    /// Where the suppression is written: the comment, or nothing for a setting or baseline.
    pub at: Option<Span>,
    pub reason: Option<String>,
}

/// A finding that a suppression silenced.
#[derive(Clone, Debug)]
pub struct Suppressed {
    pub diagnostic: Diagnostic,
    pub by: SuppressedBy,
}

/// The outcome of matching suppressions against findings.
#[derive(Debug, Default)]
pub struct Matched {
    pub kept: Vec<Diagnostic>,
    pub suppressed: Vec<Suppressed>,
}

fn selects_code(sel: &str, code: &str) -> bool {
    crate::rules::find(code).is_some_and(|r| crate::rules::selects(sel, r.meta()))
}

/// Splits `diags` into the findings that stay and those a directive silences. With
/// `honour = false` (`--no-inline-ignores`) nothing is silenced, and each finding a directive
/// would have silenced says so in a note.
pub fn apply(files: &FileSet, diags: Vec<Diagnostic>, sups: &[Suppression], honour: bool, used: &mut [Vec<bool>]) -> Matched {
    let mut out = Matched::default();
    for mut d in diags {
        let file = d.primary.span.file;
        let line = files.source(file).line_of(d.primary.span.range.start as usize);
        let mut hit: Option<usize> = None;
        for (i, s) in sups.iter().enumerate() {
            if s.problem.is_some() || !s.covers(file, line) {
                continue;
            }
            for (j, sel) in s.selectors.iter().enumerate() {
                if selects_code(&sel.text, d.code) {
                    used[i][j] = true;
                    hit.get_or_insert(i);
                }
            }
        }
        match hit {
            Some(i) if honour => {
                let s = &sups[i];
                out.suppressed.push(Suppressed {
                    diagnostic: d,
                    by: SuppressedBy { kind: s.kind(), at: Some(Span::new(s.file, s.comment)), reason: s.reason.clone() },
                });
            }
            Some(i) => {
                let s = &sups[i];
                let src = files.source(s.file);
                d.notes.push(format!(
                    "`{}` ({}:{}) would silence this, but --no-inline-ignores refuses suppression comments",
                    s.text(src),
                    src.display,
                    s.line + 1
                ));
                out.kept.push(d);
            }
            None => out.kept.push(d),
        }
    }
    out
}

/// The OL011 findings: directives that silence nothing. `ran(code)` tells whether a rule ran
/// completely in this run (enabled, and not skipped for a missing host fact): a selector
/// naming a rule that did not run is not reported, since it may be needed on another run.
pub fn unused(
    files: &FileSet,
    sups: &[Suppression],
    used: &[Vec<bool>],
    meta: &'static RuleMeta,
    ran: &dyn Fn(&RuleMeta) -> bool,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (i, s) in sups.iter().enumerate() {
        let src = files.source(s.file);
        let new = |span: TextRange, message: String| Diagnostic {
            code: meta.code,
            name: meta.name,
            severity: meta.severity,
            message,
            primary: Label::new(Span::new(s.file, span), ""),
            secondary: Vec::new(),
            help: None,
            notes: Vec::new(),
            fix: None,
        };
        if let Some(problem) = &s.problem {
            let mut d = new(s.comment, format!("this suppression silences nothing: {problem}"));
            d.primary.message = "not a suppression odoo-lint can read".into();
            out.push(d);
            continue;
        }
        // Which selectors are dead, and why; those that name no rule get no fix (the user
        // meant some rule: removing the code would lose that).
        let mut dead: Vec<(usize, String, bool)> = Vec::new();
        for (j, sel) in s.selectors.iter().enumerate() {
            if used[i][j] {
                continue;
            }
            let metas: Vec<&RuleMeta> =
                REGISTRY.iter().map(|r| r.meta()).filter(|m| crate::rules::selects(&sel.text, m)).collect();
            if metas.is_empty() {
                dead.push((j, format!("`{}` {}", sel.text, crate::rules::unknown_selector(&sel.text)), false));
            } else if metas.iter().all(|m| ran(m)) {
                let what = match s.scope {
                    Scope::File => "in this file".to_string(),
                    Scope::Line(Some(l)) => format!("on line {}", l + 1),
                    Scope::Line(None) => "(no line follows it)".to_string(),
                };
                dead.push((j, format!("no `{}` finding {what}", sel.text), true));
            }
        }
        if dead.is_empty() {
            continue;
        }
        let all_dead = dead.len() == s.selectors.len();
        let reasons: Vec<&str> = dead.iter().map(|(_, r, _)| r.as_str()).collect();
        let (span, message) = if all_dead {
            (s.comment, format!("unused suppression: {}", reasons.join("; ")))
        } else {
            let first = s.selectors[dead[0].0].range;
            let last = s.selectors[dead[dead.len() - 1].0].range;
            (first.cover(last), format!("unused in this suppression: {}", reasons.join("; ")))
        };
        let mut d = new(span, message);
        d.primary.message = if all_dead { "silences nothing".into() } else { "silences nothing here".into() };
        let removable: Vec<usize> = dead.iter().filter(|(_, _, fixable)| *fixable).map(|(j, _, _)| *j).collect();
        if removable.len() == s.selectors.len() {
            d.fix = Some(Fix::safe("remove the unused suppression", vec![remove_comment(src, s)]));
        } else if !removable.is_empty() {
            let keep: Vec<&str> = s
                .selectors
                .iter()
                .enumerate()
                .filter(|(j, _)| !removable.contains(j))
                .map(|(_, sel)| sel.text.as_str())
                .collect();
            let sep = if s.list.of(&src.text).contains(',') { ", " } else { " " };
            let title = format!("keep only {}", keep.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", "));
            d.fix = Some(Fix::safe(title, vec![Edit::replace(s.file, s.list, keep.join(sep))]));
        }
        if dead.iter().any(|(_, _, fixable)| !fixable) {
            d.help =
                Some("write the code of the rule you meant (`odoo-lint rules` lists them), or remove the suppression".into());
        }
        out.push(d);
    }
    out
}

/// The edit that removes a whole directive: its line when it stands alone, else the comment
/// and the blanks before it.
fn remove_comment(src: &SourceFile, s: &Suppression) -> Edit {
    if s.own_line {
        let start = src.line_start(s.line);
        let end = if s.line + 1 < src.line_count() { src.line_start(s.line + 1) } else { src.text.len() };
        // the last line without a newline: take the newline before it instead
        if end == src.text.len() && !src.text.ends_with('\n') && start > 0 {
            let nl = if src.text[..start].ends_with("\r\n") { 2 } else { 1 };
            return Edit::delete(s.file, TextRange::new(start - nl, end));
        }
        return Edit::delete(s.file, TextRange::new(start, end));
    }
    let before = &src.text[..s.comment.start as usize];
    let blanks = before.len() - before.trim_end_matches([' ', '\t']).len();
    Edit::delete(s.file, TextRange::new(s.comment.start as usize - blanks, s.comment.end as usize))
}

/// What `--add-ignores` would write: per file, the new contents and how many findings the
/// new or widened comments silence.
#[derive(Debug, Default)]
pub struct Added {
    pub files: std::collections::BTreeMap<FileId, (Vec<u8>, usize)>,
    /// Findings left alone, with why (a stock file not on disk, a place no comment can go).
    pub left: Vec<String>,
}

/// Writes a suppression for every finding of `diags` (a baseline for a repository that
/// adopts odoo-lint), in each file's own comment syntax: a comment line above the line the
/// finding starts on, indented like it, listing every code found on that line; or, when a
/// readable `ignore[...]` already covers that line, its list widened. OL010 (host facts) and
/// OL011 (unused suppressions) are not silenced: the first is no problem of the files, the
/// second would silence itself. Every file's result is read again to make sure each new
/// directive covers its findings; a file where one would not is left as it was.
pub fn add_ignores(files: &FileSet, diags: &[Diagnostic], reason: Option<&str>) -> Added {
    use std::collections::BTreeMap;
    let mut added = Added::default();
    let existing = collect(files);
    // (file, line) -> codes
    let mut targets: BTreeMap<(FileId, usize), Vec<&'static str>> = BTreeMap::new();
    for d in diags {
        if d.code == "OL010" || d.code == UNUSED_SUPPRESSION {
            continue;
        }
        let file = d.primary.span.file;
        let entry = files.get(file);
        if entry.is_virtual {
            added.left.push(format!("{} {}: the finding is in a stock file that is not on disk", entry.source.display, d.code));
            continue;
        }
        let line = entry.source.line_of(d.primary.span.range.start as usize);
        let codes = targets.entry((file, line)).or_default();
        if !codes.contains(&d.code) {
            codes.push(d.code);
        }
    }
    // per file: (target line, codes, edit)
    type Planned = (usize, Vec<&'static str>, Edit);
    let mut by_file: BTreeMap<FileId, Vec<Planned>> = BTreeMap::new();
    for ((file, line), mut codes) in targets {
        codes.sort_unstable();
        let src = files.source(file);
        let widen = existing.iter().find(|s| s.problem.is_none() && s.scope == Scope::Line(Some(line)) && s.file == file);
        let edit = match widen {
            Some(s) => {
                let list = s.list.of(&src.text);
                let sep = if list.contains(',') || list.trim().is_empty() { ", " } else { " " };
                Edit::insert(file, s.list.end as usize, codes.iter().map(|c| format!("{sep}{c}")).collect::<String>())
            }
            None => {
                let at = src.line_start(line);
                let line_text = src.line_range(line).of(&src.text);
                let indent: String =
                    line_text.trim_start_matches('\u{feff}').chars().take_while(|c| *c == ' ' || *c == '\t').collect();
                let reason = reason.filter(|r| !r.trim().is_empty()).map(|r| format!(" {}", r.trim())).unwrap_or_default();
                Edit::insert(file, at, format!("{indent}# {MARKER} ignore[{}]{reason}{}", codes.join(", "), src.newline()))
            }
        };
        by_file.entry(file).or_default().push((line, codes, edit));
    }
    for (file, items) in by_file {
        let entry = files.get(file);
        let edits: Vec<&Edit> = items.iter().map(|(_, _, e)| e).collect();
        let new = crate::fix::apply_edits(&entry.source.bytes, &edits);
        // read the result again: each finding's line (shifted by the lines inserted above it)
        // must be covered by a directive naming its code
        let mut check = FileSet::new();
        let id = check.add(SourceFile::new(entry.source.path.clone(), new.clone()), entry.kind);
        let sups = collect(&check);
        // each comment line inserted at or above a line moves it down by one
        let new_lines_up_to = |line: usize| items.iter().filter(|(l, _, e)| *l <= line && e.replacement.ends_with('\n')).count();
        let ok = items.iter().all(|(line, codes, _)| {
            let shifted = line + new_lines_up_to(*line);
            codes.iter().all(|c| sups.iter().any(|s| s.covers(id, shifted) && s.selectors.iter().any(|sel| sel.text == *c)))
        }) && crate::fix::error_count(&entry.source.path, entry.kind, &new) <= files.syntax_error_count(file);
        let count: usize = items.iter().map(|(_, c, _)| c.len()).sum();
        if ok {
            added.files.insert(file, (new, count));
        } else {
            added.left.push(format!(
                "{}: no comment can be placed so that odoo-lint reads it there; left as it was",
                entry.source.display
            ));
        }
    }
    added
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::files::FileKind;

    fn sups(path: &str, kind: FileKind, text: &str) -> (FileSet, Vec<Suppression>) {
        let mut fs = FileSet::new();
        fs.add(SourceFile::from_text(path, text), kind);
        let s = collect(&fs);
        (fs, s)
    }

    #[test]
    fn odoo_conf_comment_lines_cover_the_next_line() {
        let text = "[options]\n# odoo-lint: ignore[OL102] sized for reports\n; odoo-lint: ignore[OL204]\n\nworkers = 9\n";
        let (_, s) = sups("odoo.conf", FileKind::OdooConf, text);
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].scope, Scope::Line(Some(4)));
        assert_eq!(s[1].scope, Scope::Line(Some(4)));
        assert_eq!(s[0].reason.as_deref(), Some("sized for reports"));
        assert_eq!(s[0].selectors[0].text, "OL102");
        assert_eq!(s[0].selectors[0].range.of(text), "OL102");
    }

    #[test]
    fn odoo_conf_trailing_text_is_part_of_the_value_not_a_suppression() {
        let (_, s) = sups("odoo.conf", FileKind::OdooConf, "[options]\nworkers = 9 # odoo-lint: ignore[OL102]\n");
        assert!(s.is_empty());
    }

    #[test]
    fn nginx_trailing_and_leading_comments() {
        let text = "location / {\n    proxy_read_timeout 60s; # odoo-lint: ignore[OL301, OL707] - long reports go elsewhere\n    # odoo-lint: ignore-file[OL712]\n}\n";
        let (_, s) = sups("site.conf", FileKind::Nginx, text);
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].scope, Scope::Line(Some(1)));
        assert!(!s[0].own_line);
        assert_eq!(s[0].selectors.iter().map(|x| x.text.as_str()).collect::<Vec<_>>(), ["OL301", "OL707"]);
        assert_eq!(s[0].reason.as_deref(), Some("long reports go elsewhere"));
        assert_eq!(s[1].scope, Scope::File);
    }

    #[test]
    fn nginx_hash_in_a_quoted_string_is_not_a_comment() {
        let (_, s) = sups("site.conf", FileKind::Nginx, "add_header X \"# odoo-lint: ignore[OL301]\";\n");
        assert!(s.is_empty());
    }

    #[test]
    fn postgresql_and_limits_trailing_comments() {
        let (_, s) = sups("postgresql.conf", FileKind::Postgresql, "max_connections = 100 # odoo-lint: ignore[OL401]\n");
        assert_eq!(s[0].scope, Scope::Line(Some(0)));
        let (_, s) = sups("postgresql.conf", FileKind::Postgresql, "x = 'a # odoo-lint: ignore[OL401]'\n");
        assert!(s.is_empty(), "inside a quoted string");
        let (_, s) = sups("limits.conf", FileKind::Limits, "odoo soft nofile 1024 # odoo-lint: ignore[OL501]\n");
        assert_eq!(s[0].scope, Scope::Line(Some(0)));
    }

    #[test]
    fn systemd_and_compose() {
        let (_, s) = sups("odoo.service", FileKind::Systemd, "[Service]\n# odoo-lint: ignore[OL304]\nTimeoutStopSec=5\n");
        assert_eq!(s[0].scope, Scope::Line(Some(2)));
        let text =
            "services:\n  odoo:\n    image: odoo:17 # odoo-lint: ignore[OL905]\n    command: \"# odoo-lint: ignore[OL1]\"\n";
        let (_, s) = sups("compose.yml", FileKind::Compose, text);
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].scope, Scope::Line(Some(2)));
    }

    #[test]
    fn malformed_directives_say_why() {
        let (_, s) = sups(
            "site.conf",
            FileKind::Nginx,
            "# odoo-lint: ignroe[OL301]\n# odoo-lint: ignore OL301\n# odoo-lint: ignore[OL301\n# odoo-lint: ignore[]\n# not odoo-lint: ignore[OL301]\n",
        );
        assert_eq!(s.len(), 4);
        assert!(s[0].problem.as_deref().unwrap().contains("did you mean `ignore`"), "{:?}", s[0].problem);
        assert!(s[1].problem.as_deref().unwrap().contains("in brackets"));
        assert!(s[2].problem.as_deref().unwrap().contains("not closed"));
        assert!(s[3].problem.as_deref().unwrap().contains("names no rule"));
    }

    fn diag(file: FileId, at: usize, code: &'static str) -> Diagnostic {
        let meta = crate::rules::find(code).unwrap().meta();
        Diagnostic {
            code,
            name: meta.name,
            severity: meta.severity,
            message: String::new(),
            primary: Label::new(Span::new(file, TextRange::new(at, at + 1)), ""),
            secondary: Vec::new(),
            help: None,
            notes: Vec::new(),
            fix: None,
        }
    }

    #[test]
    fn add_ignores_writes_a_comment_above_each_line_in_its_style() {
        let text = "server {\r\n    location / {\r\n        proxy_pass http://odoo;\r\n    }\r\n}\r\n";
        let mut fs = FileSet::new();
        let id = fs.add(SourceFile::from_text("site.conf", text), FileKind::Nginx);
        let at = text.find("proxy_pass").unwrap();
        let d = [diag(id, at, "OL707"), diag(id, at, "OL301"), diag(id, 0, "OL010")];
        let added = add_ignores(&fs, &d, Some("known, see ticket 42"));
        let (new, n) = &added.files[&id];
        assert_eq!(*n, 2);
        assert_eq!(
            String::from_utf8_lossy(new),
            "server {\r\n    location / {\r\n        # odoo-lint: ignore[OL301, OL707] known, see ticket 42\r\n        proxy_pass http://odoo;\r\n    }\r\n}\r\n"
        );
        // a second finding on a line already covered widens the list
        let mut fs = FileSet::new();
        let text = "[options]\n# odoo-lint: ignore[OL102] why\nworkers = 9\n";
        let id = fs.add(SourceFile::from_text("odoo.conf", text), FileKind::OdooConf);
        let added = add_ignores(&fs, &[diag(id, text.find("workers").unwrap(), "OL204")], None);
        assert_eq!(
            String::from_utf8_lossy(&added.files[&id].0),
            "[options]\n# odoo-lint: ignore[OL102 OL204] why\nworkers = 9\n"
        );
    }

    #[test]
    fn add_ignores_before_a_bom_or_leaves_the_file() {
        // systemd strips a byte-order mark from the first line that starts with one, after its
        // comment test: the comment goes before it
        let text = "\u{feff}[Service]\nTimeoutStopSec=5\n";
        let mut fs = FileSet::new();
        let id = fs.add(SourceFile::from_text("odoo.service", text), FileKind::Systemd);
        let added = add_ignores(&fs, &[diag(id, 3, "OL304")], None);
        assert_eq!(
            String::from_utf8_lossy(&added.files[&id].0),
            "# odoo-lint: ignore[OL304]\n\u{feff}[Service]\nTimeoutStopSec=5\n"
        );
        // a finding inside a quoted string that spans lines: a comment line there would be
        // part of the string, so the file is left as it was, and the user is told
        let text = "add_header X \"a\nb\";\n";
        let mut fs = FileSet::new();
        let id = fs.add(SourceFile::from_text("site.conf", text), FileKind::Nginx);
        let added = add_ignores(&fs, &[diag(id, text.find('b').unwrap(), "OL707")], None);
        assert!(added.files.is_empty());
        assert!(added.left[0].contains("left as it was"), "{:?}", added.left);
    }

    #[test]
    fn removing_keeps_the_rest_of_the_line_and_file() {
        let text = "server {\n    # odoo-lint: ignore[OL301]\n    listen 80; # odoo-lint: ignore[OL707]\n}";
        let (fs, s) = sups("site.conf", FileKind::Nginx, text);
        let src = fs.source(FileId(0));
        let e0 = remove_comment(src, &s[0]);
        assert_eq!(crate::fix::apply_edits(text.as_bytes(), &[&e0]), b"server {\n    listen 80; # odoo-lint: ignore[OL707]\n}");
        let e1 = remove_comment(src, &s[1]);
        assert_eq!(
            crate::fix::apply_edits(text.as_bytes(), &[&e1]),
            b"server {\n    # odoo-lint: ignore[OL301]\n    listen 80;\n}"
        );
        // a last line without a newline
        let text = "[options]\nworkers = 2\n# odoo-lint: ignore-file[OL102]";
        let (fs, s) = sups("odoo.conf", FileKind::OdooConf, text);
        let e = remove_comment(fs.source(FileId(0)), &s[0]);
        assert_eq!(crate::fix::apply_edits(text.as_bytes(), &[&e]), b"[options]\nworkers = 2");
        // CRLF
        let text = "[options]\r\n# odoo-lint: ignore[OL102]\r\nworkers = 2\r\n";
        let (fs, s) = sups("odoo.conf", FileKind::OdooConf, text);
        let e = remove_comment(fs.source(FileId(0)), &s[0]);
        assert_eq!(crate::fix::apply_edits(text.as_bytes(), &[&e]), b"[options]\r\nworkers = 2\r\n");
        assert_eq!(s[0].comment.of(text), "# odoo-lint: ignore[OL102]");
    }
}

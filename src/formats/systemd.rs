//! systemd unit files and drop-ins (`odoo.service`, `odoo.service.d/*.conf`).
//!
//! Read the way systemd's own `config_parse()` reads them (src/shared/conf-parser.c; checked
//! against systemd 252 with `systemd --test`, see `tests/systemd_oracle.rs`):
//!
//! * **Lines** end at `\n`, `\r` or NUL, and the pairs `\r\n`, `\n\r` (plus a NUL after either)
//!   are one line ending (`read_line_full()` in src/basic/fileio.c).
//! * **Comments**: a line whose first non-blank byte is `#` or `;` is skipped, *even in the middle
//!   of a continuation* (systemd.syntax(7), since v247; in conf-parser.c the comment test comes
//!   before the continuation is extended). A comment line never continues.
//! * **Continuation**: a line ending in an odd number of backslashes continues on the next line;
//!   the backslash becomes a space. An empty line ends a continuation; a continuation still
//!   open at the end of the file is parsed as it is.
//! * **BOM**: stripped from the first line that starts with one, *after* the comment test (so
//!   a BOM before `#` turns the comment into a line of text).
//! * A logical line is stripped of spaces, tabs, CR and LF. Bytes that are not UTF-8 in a
//!   non-comment line make the whole unit fail to load, as does a section header that does not
//!   end in `]` or holds quotes, backslashes or control characters. Unknown sections, assignments
//!   before any section, lines without `=` (or with nothing before it) and unknown keys are
//!   logged and ignored. Keys are case-sensitive.
//!
//! Why no pest grammar: which physical lines form a logical line depends on comment lines being
//! dropped from inside a continuation, on NUL and `\n\r` being line endings, and on a BOM being
//! honoured only after the comment test. A line lexer that copies conf-parser.c's loop states
//! these rules directly and keeps, for every byte of a joined value, the offset it came from.
//!
//! Typed reads of the values (`LimitNOFILE=`, `MemoryMax=`, `ExecStart=`…) are in [`values`]
//! and [`exec`]; the merge of a unit with its drop-ins in [`effective`]; Odoo and PostgreSQL
//! command lines in [`commands`].

pub mod commands;
pub mod effective;
pub mod exec;
pub mod keys;
pub mod values;

use std::ops::Range;
use std::path::Path;

use crate::formats::SyntaxError;
use crate::source::{SourceFile, TextRange};

/// systemd's `LONG_LINE_MAX`: longer lines (or continuations) make the file unreadable.
const LONG_LINE_MAX: usize = 1024 * 1024;
const BOM: &str = "\u{feff}";

/// The kind of unit a file configures (from `NAME.TYPE` or `NAME.TYPE.d/x.conf`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UnitType {
    Service,
    /// Another unit type, named by its suffix (`socket`, `timer`…).
    Other(String),
}

impl UnitType {
    /// The unit type of a unit file or drop-in path: `odoo.service`,
    /// `odoo.service.d/limits.conf` → `Service`.
    pub fn from_path(path: &Path) -> UnitType {
        let name = if path.extension().is_some_and(|e| e == "conf") {
            path.parent().and_then(|p| p.file_name()).map(|n| n.to_string_lossy().trim_end_matches(".d").to_string())
        } else {
            path.file_name().map(|n| n.to_string_lossy().to_string())
        };
        match name.as_deref().and_then(|n| n.rsplit_once('.')).map(|(_, t)| t) {
            Some("service") | None => UnitType::Service,
            Some(t) => UnitType::Other(t.to_string()),
        }
    }

    /// The sections systemd reads in this unit type (`UNIT_VTABLE(u)->sections`).
    fn knows_section(&self, name: &str) -> bool {
        match self {
            UnitType::Service => matches!(name, "Unit" | "Service" | "Install"),
            UnitType::Other(t) => {
                let mut cap = t.clone();
                if let Some(f) = cap.get_mut(0..1) {
                    f.make_ascii_uppercase();
                }
                matches!(name, "Unit" | "Install") || name == cap
            }
        }
    }
}

/// One parsed unit file or drop-in.
#[derive(Clone, Debug)]
pub struct UnitFile {
    pub unit_type: UnitType,
    /// Every physical line, in order; together they cover the file byte for byte.
    pub lines: Vec<Line>,
    /// Section headers in file order (a name may repeat: systemd merges them).
    pub sections: Vec<Section>,
    /// Assignments in file order, including ignored ones (see [`Assignment::ignored`]).
    pub assignments: Vec<Assignment>,
    /// What systemd would log about this file.
    pub errors: Vec<SyntaxError>,
    /// systemd refuses to load the unit (bad section header, bytes that are not UTF-8, an
    /// over-long line): the error is among [`UnitFile::errors`].
    pub load_error: bool,
}

/// A physical line: `range` without its terminator, `eol` the terminator (may be empty).
#[derive(Clone, Debug)]
pub struct Line {
    pub range: TextRange,
    pub eol: TextRange,
    pub kind: LineKind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineKind {
    /// Only whitespace.
    Blank,
    /// `#` or `;` comment.
    Comment,
    /// Part of logical line number `n` (an index into the file's logical lines: a header, an
    /// assignment or an ignored line).
    Content,
}

/// A `[Name]` header.
#[derive(Clone, Debug)]
pub struct Section {
    pub name: String,
    /// The header from `[` to `]`.
    pub range: TextRange,
    pub name_range: TextRange,
    /// systemd reads this section in this unit type (unknown ones are skipped whole).
    pub known: bool,
    /// Index of its physical line.
    pub line: usize,
}

/// A `Key=Value` logical line.
#[derive(Clone, Debug)]
pub struct Assignment {
    /// Index into [`UnitFile::sections`] of the section it is in (`None`: before any section).
    pub section: Option<usize>,
    pub key: String,
    pub key_range: TextRange,
    pub value: Value,
    /// From the first byte of the key to the last byte of the value (or the `=`), across
    /// continuation lines.
    pub range: TextRange,
    /// The physical lines of this logical line.
    pub lines: Range<usize>,
    /// The line number systemd reports (1-based: the last physical line read).
    pub line_number: usize,
    /// Why systemd ignores this assignment, if it does.
    pub ignored: Option<Ignored>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ignored {
    OutsideSection,
    UnknownSection,
    UnknownKey,
}

/// A value as systemd's key parsers receive it: continuation lines joined (each trailing
/// backslash turned into a space, comment lines dropped) and stripped; each byte knows the
/// file offset it came from.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Value {
    pub text: String,
    offsets: Vec<u32>,
    /// Where an empty value sits (just after `=`).
    anchor: u32,
}

impl Value {
    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// The file range of the whole value (empty after the `=` if the value is empty).
    pub fn range(&self) -> TextRange {
        self.span(0..self.text.len())
    }

    /// The file range of bytes `r` of [`Value::text`]: from the first byte's origin to just
    /// after the last byte's origin (so a range across a continuation covers the line break).
    pub fn span(&self, r: Range<usize>) -> TextRange {
        if r.start >= r.end || r.end > self.offsets.len() {
            let at =
                self.offsets.get(r.start).copied().unwrap_or_else(|| self.offsets.last().map(|o| o + 1).unwrap_or(self.anchor));
            return TextRange { start: at, end: at };
        }
        TextRange { start: self.offsets[r.start], end: self.offsets[r.end - 1] + 1 }
    }

    /// The file offset of byte `i` of the text (or the end of the value).
    pub fn offset(&self, i: usize) -> usize {
        self.offsets.get(i).map(|o| *o as usize).unwrap_or_else(|| self.range().end as usize)
    }

    /// A value that stands alone (tests, values built from strings): offsets start at 0.
    pub fn detached(text: &str) -> Value {
        Value { text: text.to_string(), offsets: (0..text.len() as u32).collect(), anchor: 0 }
    }
}

/// systemd's `WHITESPACE`.
fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

/// Splits into physical lines the way `read_line_full()` does: `\n`, `\r`, NUL, and a run of
/// them counts as one ending as long as no kind repeats (`\r\n`, `\n\r`, `\r\n\0`…).
fn split_lines(b: &[u8]) -> Vec<(usize, usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < b.len() {
        let kind = |c: u8| match c {
            b'\n' => 1u8,
            b'\r' => 2,
            0 => 4,
            _ => 0,
        };
        let k = kind(b[i]);
        if k == 0 {
            i += 1;
            continue;
        }
        let end = i;
        let mut seen = k;
        i += 1;
        while i < b.len() {
            let k2 = kind(b[i]);
            if k2 == 0 || seen & k2 != 0 {
                break;
            }
            seen |= k2;
            i += 1;
        }
        out.push((start, end, i));
        start = i;
    }
    if start < b.len() {
        out.push((start, b.len(), b.len()));
    }
    out
}

/// Builds a joined logical line.
#[derive(Default)]
struct Logical {
    text: Vec<u8>,
    offsets: Vec<u32>,
    lines: Vec<usize>,
}

/// Parses a unit file or drop-in. Never fails; see [`UnitFile::errors`] and
/// [`UnitFile::load_error`].
pub fn parse(source: &SourceFile, unit_type: UnitType) -> UnitFile {
    let b = source.text.as_bytes();
    let mut file = UnitFile {
        unit_type,
        lines: Vec::new(),
        sections: Vec::new(),
        assignments: Vec::new(),
        errors: Vec::new(),
        load_error: false,
    };
    let mut state = State { section: None, section_ignored: false };
    let mut bom_seen = false;
    let mut cont: Option<Logical> = None;
    let raw = split_lines(b);
    for (idx, &(start, end, eol_end)) in raw.iter().enumerate() {
        file.lines.push(Line { range: TextRange::new(start, end), eol: TextRange::new(end, eol_end), kind: LineKind::Blank });
        if file.load_error {
            continue;
        }
        if end - start > LONG_LINE_MAX {
            file.fail(SyntaxError::new(TextRange::new(start, end), "line too long: systemd refuses to load this file"));
            continue;
        }
        let mut l = start;
        while l < end && is_ws(b[l]) {
            l += 1;
        }
        if l < end && (b[l] == b'#' || b[l] == b';') {
            file.lines[idx].kind = LineKind::Comment;
            continue;
        }
        let mut l = start;
        if !bom_seen && source.text[start..end].starts_with(BOM) {
            l += BOM.len();
            bom_seen = true;
        }
        let mut logical = cont.take().unwrap_or_default();
        if logical.text.len() + (end - l) > LONG_LINE_MAX {
            file.fail(SyntaxError::new(
                TextRange::new(start, end),
                "continuation line too long: systemd refuses to load this file",
            ));
            continue;
        }
        logical.lines.push(idx);
        let from = logical.text.len();
        logical.text.extend_from_slice(&b[l..end]);
        logical.offsets.extend((l..end).map(|o| o as u32));
        let mut escaped = false;
        for &c in &logical.text[from..] {
            if escaped {
                escaped = false;
            } else if c == b'\\' {
                escaped = true;
            }
        }
        if escaped {
            if let Some(last) = logical.text.last_mut() {
                *last = b' ';
            }
            cont = Some(logical);
            continue;
        }
        file.parse_logical(source, logical, &mut state);
    }
    if let Some(logical) = cont.take()
        && !file.load_error
    {
        file.parse_logical(source, logical, &mut state);
    }
    file
}

struct State {
    section: Option<usize>,
    section_ignored: bool,
}

impl UnitFile {
    fn fail(&mut self, e: SyntaxError) {
        self.errors.push(e);
        self.load_error = true;
    }

    /// `parse_line()` of conf-parser.c.
    fn parse_logical(&mut self, source: &SourceFile, logical: Logical, state: &mut State) {
        let Logical { text, offsets, lines } = logical;
        let line_number = lines.last().map(|l| l + 1).unwrap_or(0);
        for &l in &lines {
            self.lines[l].kind = LineKind::Content;
        }
        let mut s = 0;
        let mut e = text.len();
        while s < e && is_ws(text[s]) {
            s += 1;
        }
        while e > s && is_ws(text[e - 1]) {
            e -= 1;
        }
        if s == e {
            for &l in &lines {
                self.lines[l].kind = LineKind::Blank;
            }
            return;
        }
        let span = |a: usize, z: usize| -> TextRange {
            if a >= z {
                let at = offsets.get(a).copied().unwrap_or(0) as usize;
                TextRange::new(at, at)
            } else {
                TextRange::new(offsets[a] as usize, offsets[z - 1] as usize + 1)
            }
        };
        let whole = span(s, e);
        // The text is the placeholder text: find real invalid bytes through the source.
        if lines.iter().any(|&l| {
            let r = self.lines[l].range;
            source.invalid.iter().any(|&i| i >= r.start && i < r.end)
        }) {
            self.fail(
                SyntaxError::new(whole, "this line is not valid UTF-8: systemd refuses to load the unit")
                    .with_help("save the file as UTF-8"),
            );
            return;
        }
        let t = &text[s..e];
        if t[0] == b'[' {
            if *t.last().unwrap_or(&0) != b']' {
                self.fail(
                    SyntaxError::new(whole, "invalid section header: systemd refuses to load the unit")
                        .with_help("close the header with `]`"),
                );
                return;
            }
            let name = String::from_utf8_lossy(&t[1..t.len() - 1]).to_string();
            if name.bytes().any(|c| c < b' ' || c == 0x7f || c == b'"' || c == b'\'' || c == b'\\') {
                self.fail(SyntaxError::new(whole, "bad characters in section header: systemd refuses to load the unit"));
                return;
            }
            let known = self.unit_type.knows_section(&name);
            if !known && !name.starts_with("X-") {
                self.errors.push(
                    SyntaxError::new(whole, format!("unknown section '{name}': systemd ignores it and its keys"))
                        .with_label("unknown section"),
                );
            }
            self.sections.push(Section { name, range: whole, name_range: span(s + 1, e - 1), known, line: lines[0] });
            if known {
                state.section = Some(self.sections.len() - 1);
                state.section_ignored = false;
            } else {
                state.section = None;
                state.section_ignored = true;
            }
            return;
        }
        let Some(eq) = t.iter().position(|&c| c == b'=') else {
            if state.section.is_some() {
                self.errors
                    .push(SyntaxError::new(whole, "missing '=': systemd ignores this line").with_help("write `Key=value`"));
            } else if !state.section_ignored {
                self.errors.push(SyntaxError::new(whole, "assignment outside of any section: systemd ignores it"));
            }
            return;
        };
        let eq = s + eq;
        let (mut ks, mut ke) = (s, eq);
        while ks < ke && is_ws(text[ks]) {
            ks += 1;
        }
        while ke > ks && is_ws(text[ke - 1]) {
            ke -= 1;
        }
        let (mut vs, mut ve) = (eq + 1, e);
        while vs < ve && is_ws(text[vs]) {
            vs += 1;
        }
        while ve > vs && is_ws(text[ve - 1]) {
            ve -= 1;
        }
        let key = String::from_utf8_lossy(&text[ks..ke]).to_string();
        let value = Value {
            text: String::from_utf8_lossy(&text[vs..ve]).to_string(),
            offsets: offsets[vs..ve].to_vec(),
            anchor: offsets[eq] + 1,
        };
        let range = whole;
        let mut ignored = None;
        if state.section.is_none() {
            if state.section_ignored {
                ignored = Some(Ignored::UnknownSection);
            } else {
                ignored = Some(Ignored::OutsideSection);
                self.errors.push(
                    SyntaxError::new(whole, "assignment outside of any section: systemd ignores it")
                        .with_help("put it under `[Service]`"),
                );
            }
        } else if eq == s {
            self.errors.push(SyntaxError::new(whole, "missing key name before '=': systemd ignores this line"));
            return;
        } else if let Some(sec) = state.section {
            let sname = &self.sections[sec].name;
            if keys::is_known(sname, &key) == Some(false) {
                ignored = Some(Ignored::UnknownKey);
                let msg = format!("unknown key '{key}' in section [{sname}]: systemd ignores it");
                self.errors.push(SyntaxError::new(span(ks, ke), msg).with_label("unknown key"));
            }
        }
        self.assignments.push(Assignment {
            section: state.section,
            key,
            key_range: span(ks, ke),
            value,
            range,
            lines: lines[0]..lines[lines.len() - 1] + 1,
            line_number,
            ignored,
        });
    }

    /// The name of the section an assignment is in.
    pub fn section_name(&self, a: &Assignment) -> Option<&str> {
        a.section.map(|s| self.sections[s].name.as_str())
    }

    /// Assignments systemd applies, in order, for `section` / `key`.
    pub fn values<'a>(&'a self, section: &'a str, key: &'a str) -> impl Iterator<Item = &'a Assignment> + 'a {
        self.assignments.iter().filter(move |a| a.ignored.is_none() && a.key == key && self.section_name(a) == Some(section))
    }

    /// The file's bytes as token ranges in order (lines and their terminators): printing them
    /// gives the file back byte for byte.
    pub fn tokens(&self) -> impl Iterator<Item = TextRange> + '_ {
        self.lines.iter().flat_map(|l| [l.range, l.eol])
    }
}

/// Text to insert into a file, at a byte offset of the original.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Insertion {
    pub offset: usize,
    pub text: String,
}

/// Where and what to insert to set `key=value` in `section`: after the last assignment of that
/// section (the last one systemd reads, across repeated headers), or after its header if it has
/// none; when the section is missing, a new one at the end of the file, separated by a blank
/// line if the file separates its sections that way. Uses the file's line ending and its
/// spacing around `=`.
pub fn insert_key(file: &UnitFile, source: &SourceFile, section: &str, key: &str, value: &str) -> Insertion {
    let text = source.text.as_str();
    let nl = source.newline();
    let spaced =
        file.assignments.first().is_some_and(|a| text[a.key_range.end as usize..a.value.range().start as usize].contains(" ="));
    let line = if spaced { format!("{key} = {value}") } else { format!("{key}={value}") };
    let last_line_of = |l: usize| -> Insertion {
        let ln = &file.lines[l];
        if ln.eol.is_empty() {
            Insertion { offset: ln.eol.end as usize, text: format!("{nl}{line}") }
        } else {
            Insertion { offset: ln.eol.end as usize, text: format!("{line}{nl}") }
        }
    };
    let in_section = |a: &Assignment| a.section.is_some_and(|s| file.sections[s].name == section);
    if let Some(a) = file.assignments.iter().rev().find(|a| in_section(a)) {
        return last_line_of(a.lines.end - 1);
    }
    if let Some(s) = file.sections.iter().rev().find(|s| s.name == section) {
        return last_line_of(s.line);
    }
    // A new section at the end.
    let blank_between = file.sections.iter().skip(1).any(|s| s.line > 0 && file.lines[s.line - 1].kind == LineKind::Blank);
    let mut out = String::new();
    if !source.ends_with_newline() {
        out.push_str(nl);
    }
    let ends_blank = file.lines.last().is_some_and(|l| l.kind == LineKind::Blank);
    if !file.lines.is_empty() && (blank_between || file.sections.len() == 1) && !ends_blank {
        out.push_str(nl);
    }
    out.push_str(&format!("[{section}]{nl}{line}{nl}"));
    Insertion { offset: text.len(), text: out }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(t: &str) -> (SourceFile, UnitFile) {
        let s = SourceFile::from_text("odoo.service", t);
        let f = parse(&s, UnitType::Service);
        (s, f)
    }

    fn reprint(f: &UnitFile, s: &SourceFile) -> String {
        f.tokens().map(|r| r.of(&s.text)).collect()
    }

    #[test]
    fn keys_values_and_spans() {
        let (s, f) = unit("[Unit]\nDescription = Odoo \n\n[Service]\nUser=odoo\n");
        assert!(f.errors.is_empty(), "{:?}", f.errors);
        assert_eq!(reprint(&f, &s), s.text);
        let a = &f.assignments[0];
        assert_eq!((a.key.as_str(), a.value.text.as_str()), ("Description", "Odoo"));
        assert_eq!(a.key_range.of(&s.text), "Description");
        assert_eq!(a.value.range().of(&s.text), "Odoo");
        assert_eq!(f.section_name(&f.assignments[1]), Some("Service"));
        assert_eq!(f.sections[1].name_range.of(&s.text), "Service");
    }

    #[test]
    fn continuation_with_comment_lines_inside() {
        // systemd.syntax(7): comment lines inside a continuation are skipped; an empty line ends it.
        let t = "[Service]\nExecStart=/usr/bin/odoo \\\n  # a comment \\\n; another\n  --workers=4 \\\n\nUser=x\n";
        let (s, f) = unit(t);
        assert_eq!(reprint(&f, &s), t);
        let a = &f.assignments[0];
        // each backslash became a space, the indentation of the next line is kept
        assert_eq!(a.value.text, "/usr/bin/odoo    --workers=4");
        assert_eq!(a.line_number, 6);
        assert_eq!(a.value.span(17..28).of(&s.text), "--workers=4");
        assert_eq!(a.value.span(0..28).of(&s.text), "/usr/bin/odoo \\\n  # a comment \\\n; another\n  --workers=4");
        assert_eq!(f.lines[2].kind, LineKind::Comment);
        assert_eq!(f.assignments[1].key, "User");
        // a comment line never continues
        let (_, f) = unit("[Service]\n#User=a \\\nGroup=g\n");
        assert_eq!(f.assignments[0].key, "Group");
    }

    #[test]
    fn line_endings_like_read_line() {
        let t = "[Service]\r\nUser=bob\n\rGroup=g1\r\nNice=5\0junk\nType=simple";
        let (s, f) = unit(t);
        assert_eq!(reprint(&f, &s), t);
        let keys: Vec<&str> = f.assignments.iter().map(|a| a.key.as_str()).collect();
        assert_eq!(keys, ["User", "Group", "Nice", "Type"]);
        assert_eq!(f.assignments[1].line_number, 3);
        // "junk" is its own line without '='
        assert_eq!(f.errors.len(), 1);
        assert_eq!(f.errors[0].range.of(&s.text), "junk");
    }

    #[test]
    fn bom_only_after_comment_test() {
        let (_, f) = unit("\u{feff}[Service]\nUser=a\n");
        assert!(f.errors.is_empty());
        let (_, f) = unit("\u{feff}# c\n[Service]\nUser=a\n");
        assert_eq!(f.errors.len(), 1, "{:?}", f.errors);
        assert!(f.errors[0].message.contains("outside"));
    }

    #[test]
    fn fatal_and_ignored_lines() {
        let (s, f) = unit("User=x\n[Service]\n[Bogus\nUser=y\n");
        assert!(f.load_error);
        assert_eq!(f.errors[0].range.of(&s.text), "User=x");
        assert_eq!(f.errors[1].range.of(&s.text), "[Bogus");
        let (s, f) = unit("[Service]\n[X-Foo]\nBar=1\n[Weird]\nBaz=2\n[Service]\nExecRestart=/x\nNice\n=3\n");
        assert!(!f.load_error);
        let msgs: Vec<(&str, &str)> = f.errors.iter().map(|e| (e.range.of(&s.text), e.message.as_str())).collect();
        assert_eq!(msgs.len(), 4, "{msgs:?}");
        assert_eq!(msgs[0].0, "[Weird]");
        assert_eq!(msgs[1].0, "ExecRestart");
        assert_eq!(msgs[2].0, "Nice");
        assert_eq!(msgs[3].0, "=3");
        assert_eq!(f.assignments.iter().filter(|a| a.ignored.is_none()).count(), 0);
        let s = SourceFile::new("x.service", b"[Service]\nUser=\xe9\n# \xff fine in a comment\n".to_vec());
        let f = parse(&s, UnitType::Service);
        assert!(f.load_error);
        assert_eq!(f.errors.len(), 1);
    }

    #[test]
    fn eof_continuation_and_odd_inputs() {
        let (_, f) = unit("[Service]\nExecStart=/bin/a \\");
        assert_eq!(f.assignments[0].value.text, "/bin/a");
        for t in ["", "\n", "\\", "[", "[]", "=", "\r\n\r\n", "[Service]\nA=\\\\\n", "\0\0\0", "[Service]\nUser="] {
            let (s, f) = unit(t);
            assert_eq!(reprint(&f, &s), t);
        }
        let (_, f) = unit("[Service]\nUser=\n");
        assert_eq!(f.assignments[0].value.range(), TextRange::new(15, 15));
    }

    #[test]
    fn unit_type_from_path() {
        assert_eq!(UnitType::from_path(Path::new("/etc/systemd/system/odoo.service")), UnitType::Service);
        assert_eq!(UnitType::from_path(Path::new("odoo.service.d/limits.conf")), UnitType::Service);
        assert_eq!(UnitType::from_path(Path::new("odoo.socket")), UnitType::Other("socket".into()));
        let s = SourceFile::from_text("x.socket", "[Socket]\nListenStream=80\n[Service]\nUser=x\n");
        let f = parse(&s, UnitType::Other("socket".into()));
        assert_eq!(f.errors.len(), 1);
    }

    #[test]
    fn insert_after_last_key_of_section() {
        let (s, f) = unit("[Service]\nUser=odoo\n\n[Install]\nWantedBy=multi-user.target\n[Service]\nGroup=odoo\n");
        let ins = insert_key(&f, &s, "Service", "LimitNOFILE", "65536");
        assert_eq!(
            &s.text[..ins.offset],
            "[Service]\nUser=odoo\n\n[Install]\nWantedBy=multi-user.target\n[Service]\nGroup=odoo\n"
        );
        assert_eq!(ins.text, "LimitNOFILE=65536\n");
        // no final newline, CRLF file, continuation
        let (s, f) = unit("[Service]\r\nExecStart=/a \\\r\n  b\r\nUser=x");
        let ins = insert_key(&f, &s, "Service", "K", "v");
        assert_eq!((ins.offset, ins.text.as_str()), (s.text.len(), "\r\nK=v"));
        let (s, f) = unit("[Service]\nExecStart=/a \\\n  b\n[Install]\n");
        let ins = insert_key(&f, &s, "Service", "K", "v");
        assert_eq!(&s.text[..ins.offset], "[Service]\nExecStart=/a \\\n  b\n");
        // missing section, file style with blank lines between sections
        let (s, f) = unit("[Unit]\nDescription=x\n\n[Install]\nWantedBy=m");
        let ins = insert_key(&f, &s, "Service", "LimitNOFILE", "65536");
        assert_eq!(ins.text, "\n\n[Service]\nLimitNOFILE=65536\n");
        let (s, f) = unit("[Unit]\nA = b\n[Install]\nWantedBy=m\n");
        let ins = insert_key(&f, &s, "Service", "K", "v");
        assert_eq!(ins.text, "[Service]\nK = v\n");
        // header with no key
        let (s, f) = unit("[Service]\n\n[Install]\n");
        let ins = insert_key(&f, &s, "Service", "K", "v");
        assert_eq!((ins.offset, ins.text.as_str()), (10, "K=v\n"));
    }
}

//! odoo.conf, read the way Odoo reads it: Python's `configparser.RawConfigParser()` with its
//! defaults (Odoo 14–19, `odoo/tools/config.py`).
//!
//! The reading follows `RawConfigParser._read` line by line, because its rules are not those of
//! a generic INI file:
//! - lines end at `\n`, `\r\n` or a lone `\r` (Python's universal newlines);
//! - a line whose stripped text starts with `#` or `;` is a comment, wherever it is indented;
//!   comments are never stripped from the end of a value (`workers = 4 ; four` has the value
//!   `4 ; four`);
//! - a line indented deeper than the key line above it continues that key's value, even if it
//!   looks like `key = value` or `[section]`; blank lines inside a value are kept, comment lines
//!   are skipped, and trailing blank lines are dropped (`'\n'.join(lines).rstrip()`);
//! - a section header is `[` + anything + `]` at the start of the stripped line, the name running
//!   to the *last* `]` (`[options] ; x` is the section `options`; `[ options ]` is ` options `);
//! - an option line splits at the first `=` or `:`; the key is right-stripped and lower-cased, the
//!   value stripped; a line with neither is a parsing error, as is an empty key;
//! - a key or section seen twice is an error (`strict=True`), and text before the first section
//!   header is an error; Odoo catches none of these, so it does not start;
//! - "whitespace" is Python's `str.isspace()`, and indentation is counted in characters.
//!
//! The tree is lossless: [`OdooConf::lines`] partition the file, and every key, delimiter and
//! value keeps its byte range for fixes.

use crate::formats::SyntaxError;
use crate::source::{SourceFile, TextRange};

/// A parsed odoo.conf.
#[derive(Debug, Default)]
pub struct OdooConf {
    /// Every physical line, in order; their ranges (content + terminator) partition the file.
    pub lines: Vec<Line>,
    /// Sections in file order, duplicates included (see [`Section::duplicate_of`]).
    pub sections: Vec<Section>,
    /// Options in file order; each belongs to a section.
    pub entries: Vec<Entry>,
    /// The UTF-8 byte-order mark at the start of the file, if any. Python reads it as text.
    pub bom: Option<TextRange>,
    /// Lines Python's configparser rejects (no `=`/`:`, empty key). Duplicates and text before
    /// the first header are not here: see [`Section::duplicate_of`], [`Entry::duplicate_of`]
    /// and [`OdooConf::before_first_section`].
    pub errors: Vec<SyntaxError>,
    /// Non-blank, non-comment lines before the first section header (including a BOM on line 1):
    /// configparser raises `MissingSectionHeaderError` on the first of them.
    pub before_first_section: Vec<usize>,
}

/// One physical line.
#[derive(Debug, Clone)]
pub struct Line {
    /// The line's text without its terminator.
    pub range: TextRange,
    /// The terminator (`\n`, `\r\n`, `\r`), empty on a last line without one.
    pub eol: TextRange,
    pub kind: LineKind,
    /// Indentation in characters (Python's index of the first non-space character).
    pub indent: usize,
}

impl Line {
    /// The line's range including its terminator.
    pub fn full_range(&self) -> TextRange {
        self.range.cover(self.eol)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    /// Only whitespace.
    Blank,
    /// `#` or `;` after optional whitespace.
    Comment,
    /// A `[section]` header: index into [`OdooConf::sections`].
    Section(usize),
    /// The first line of an option: index into [`OdooConf::entries`].
    Entry(usize),
    /// A continuation line of an option's value.
    Continuation(usize),
    /// Text configparser rejects (an error is recorded).
    Invalid,
    /// Text before the first section header.
    BeforeFirstSection,
}

#[derive(Debug, Clone)]
pub struct Section {
    /// The name exactly as configparser sees it (not trimmed, not lower-cased).
    pub name: String,
    /// The `[...]` header text (stripped line).
    pub header: TextRange,
    /// The name between `[` and the last `]`.
    pub name_range: TextRange,
    /// Index of the header line.
    pub line: usize,
    /// Entries that belong to this header, in order.
    pub entries: Vec<usize>,
    /// An earlier section of the same name: configparser raises `DuplicateSectionError`.
    pub duplicate_of: Option<usize>,
    /// Whether this is configparser's `[DEFAULT]` section, whose keys apply to every section.
    pub is_default: bool,
}

#[derive(Debug, Clone)]
pub struct Entry {
    /// The key as configparser stores it: right-stripped and lower-cased.
    pub key: String,
    /// The key as written (without surrounding whitespace).
    pub key_range: TextRange,
    /// The `=` or `:`.
    pub delimiter: TextRange,
    /// The value exactly as configparser returns it (continuations joined with `\n`).
    pub value: String,
    /// The value text on the key's own line (stripped; empty range after the delimiter if none).
    pub value_range: TextRange,
    /// From the first to the last character of the value, across continuation lines.
    pub value_full_range: TextRange,
    /// Index of the key line; continuation lines follow it.
    pub line: usize,
    /// Indices of the continuation lines (blank and comment lines inside the value excluded).
    pub continuations: Vec<usize>,
    /// Index of the section this entry belongs to.
    pub section: usize,
    /// An earlier entry with the same key in a section of the same name:
    /// configparser raises `DuplicateOptionError`.
    pub duplicate_of: Option<usize>,
}

impl OdooConf {
    /// Sections named `name` (exact, as configparser compares them).
    pub fn sections_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = (usize, &'a Section)> + 'a {
        self.sections.iter().enumerate().filter(move |(_, s)| s.name == name)
    }

    /// Whether the file has an `[options]` section.
    pub fn has_options_section(&self) -> bool {
        self.sections.iter().any(|s| s.name == "options")
    }

    /// The entries configparser returns for `items(section)`, in its order: `[DEFAULT]` keys
    /// first, then the section's own keys (a section key that overrides a default takes the
    /// default's place). Within a section the first occurrence of a key is kept (a later one
    /// is an error, see [`Entry::duplicate_of`]).
    pub fn items(&self, section: &str) -> Vec<&Entry> {
        let mut out: Vec<&Entry> = Vec::new();
        let defaults = self.sections.iter().filter(|s| s.is_default);
        for s in defaults {
            for &e in &s.entries {
                let entry = &self.entries[e];
                if !out.iter().any(|o| o.key == entry.key) {
                    out.push(entry);
                }
            }
        }
        if section == "DEFAULT" {
            return out;
        }
        let n_defaults = out.len();
        let mut own_seen: Vec<&str> = Vec::new();
        for s in self.sections.iter().filter(|s| s.name == section) {
            for &e in &s.entries {
                let entry = &self.entries[e];
                if own_seen.contains(&entry.key.as_str()) {
                    continue;
                }
                own_seen.push(&entry.key);
                match out[..n_defaults].iter().position(|o| o.key == entry.key) {
                    Some(i) => out[i] = entry,
                    None => out.push(entry),
                }
            }
        }
        out
    }

    /// The entry for `key` in `section` as configparser would return it.
    pub fn get(&self, section: &str, key: &str) -> Option<&Entry> {
        self.items(section).into_iter().find(|e| e.key == key)
    }

    /// The section names configparser lists (`sections()`: without DEFAULT, first occurrence).
    pub fn section_names(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for s in &self.sections {
            if !s.is_default && !out.contains(&s.name.as_str()) {
                out.push(&s.name);
            }
        }
        out
    }

    /// Whether Python's configparser reads this file without raising.
    pub fn python_accepts(&self) -> bool {
        self.errors.is_empty()
            && self.before_first_section.is_empty()
            && self.sections.iter().all(|s| s.duplicate_of.is_none())
            && self.entries.iter().all(|e| e.duplicate_of.is_none())
    }

    /// The indentation and delimiter style of the file's option lines, for inserted lines:
    /// (leading whitespace, text between key and value including the delimiter).
    pub fn entry_style<'a>(&self, text: &'a str, section: usize) -> (&'a str, &'a str) {
        let sec = &self.sections[section];
        let sample = sec.entries.iter().rev().find_map(|&e| {
            let entry = &self.entries[e];
            if entry.value_range.is_empty() {
                return None;
            }
            Some(entry)
        });
        match sample {
            Some(entry) => {
                let line = &self.lines[entry.line];
                let indent = &text[line.range.start as usize..entry.key_range.start as usize];
                let sep = &text[entry.key_range.end as usize..entry.value_range.start as usize];
                (indent, sep)
            }
            None => ("", " = "),
        }
    }
}

/// Python's `str.isspace()`.
pub fn py_isspace(c: char) -> bool {
    matches!(
        c,
        '\t' | '\n'
            | '\x0b'
            | '\x0c'
            | '\r'
            | '\x1c'..='\x1f'
            | ' '
            | '\u{85}'
            | '\u{a0}'
            | '\u{1680}'
            | '\u{2000}'..='\u{200a}'
            | '\u{2028}'
            | '\u{2029}'
            | '\u{202f}'
            | '\u{205f}'
            | '\u{3000}'
    )
}

/// Byte range of `s[range]` with Python's `strip()` applied.
fn strip_range(text: &str, range: TextRange) -> TextRange {
    let s = range.of(text);
    let start = s.len() - s.trim_start_matches(py_isspace).len();
    let end = s.trim_end_matches(py_isspace).len();
    if end <= start {
        return TextRange::empty(range.start as usize + start.min(end));
    }
    TextRange::new(range.start as usize + start, range.start as usize + end)
}

/// Parses an odoo.conf.
pub fn parse(file: &SourceFile) -> OdooConf {
    let text = file.text.as_str();
    let mut conf = OdooConf::default();
    if text.starts_with('\u{feff}') {
        conf.bom = Some(TextRange::new(0, 3));
    }

    // configparser state
    let mut cursect: Option<usize> = None;
    let mut optname: Option<usize> = None;
    let mut indent_level: usize = 0;
    // trailing blank lines inside a value, dropped again if no continuation follows
    for line_no in 0..file.line_count() {
        let range = file.line_range(line_no);
        let full_end = if line_no + 1 < file.line_count() { file.line_start(line_no + 1) } else { text.len() };
        let eol = TextRange::new(range.end as usize, full_end);
        let raw = range.of(text);
        let stripped = strip_range(text, range);
        let value = stripped.of(text);
        let indent = raw.chars().take_while(|&c| py_isspace(c)).count();
        let mut line = Line { range, eol, kind: LineKind::Blank, indent };

        if value.starts_with('#') || value.starts_with(';') {
            line.kind = LineKind::Comment;
            conf.lines.push(line);
            continue;
        }
        if value.is_empty() {
            // An empty line belongs to the current value (configparser appends '' and strips
            // trailing ones when joining); it does not change the indentation level.
            conf.lines.push(line);
            continue;
        }
        if let (Some(_), Some(e)) = (cursect, optname)
            && indent > indent_level
        {
            line.kind = LineKind::Continuation(e);
            let line_idx = conf.lines.len();
            let entry = &mut conf.entries[e];
            entry.continuations.push(line_idx);
            entry.value_full_range = entry.value_full_range.cover(stripped);
            if entry.value_range.is_empty() && entry.continuations.len() == 1 {
                // `key =` followed by an indented value: the value starts on this line
                entry.value_full_range = stripped;
            }
            conf.lines.push(line);
            continue;
        }
        indent_level = indent;
        let line_idx = conf.lines.len();
        if value.starts_with('[')
            && let Some(close) = value.rfind(']')
            && close >= 2
        {
            let name_range = TextRange::new(stripped.start as usize + 1, stripped.start as usize + close);
            let name = name_range.of(text).to_string();
            let is_default = name == "DEFAULT";
            let duplicate_of = if is_default { None } else { conf.sections.iter().position(|s| s.name == name) };
            let header = TextRange::new(stripped.start as usize, stripped.start as usize + close + 1);
            conf.sections.push(Section {
                name,
                header,
                name_range,
                line: line_idx,
                entries: Vec::new(),
                duplicate_of,
                is_default,
            });
            cursect = Some(conf.sections.len() - 1);
            optname = None;
            line.kind = LineKind::Section(conf.sections.len() - 1);
            conf.lines.push(line);
            continue;
        }
        let Some(sect) = cursect else {
            line.kind = LineKind::BeforeFirstSection;
            conf.before_first_section.push(line_idx);
            conf.lines.push(line);
            continue;
        };
        // option line: `(?P<option>.*?)\s*(?P<vi>=|:)\s*(?P<value>.*)$`
        let Some(delim) = value.find(['=', ':']) else {
            conf.errors.push(
                SyntaxError::new(stripped, "this line has no `=` or `:`, so it is not an option (ParsingError)")
                    .with_label("not `key = value`")
                    .with_help("write it as `key = value`, or make it a comment with `#` or `;` at the start"),
            );
            // configparser records the error and reads on; the previous option stays open,
            // so deeper-indented lines below still continue it.
            line.kind = LineKind::Invalid;
            conf.lines.push(line);
            continue;
        };
        let key_text = value[..delim].trim_end_matches(py_isspace);
        if key_text.is_empty() {
            conf.errors.push(
                SyntaxError::new(stripped, "this line has no key before its delimiter (ParsingError)")
                    .with_label("no key")
                    .with_help("write the option name before the `=`"),
            );
            line.kind = LineKind::Invalid;
            optname = None;
            conf.lines.push(line);
            continue;
        }
        let base = stripped.start as usize;
        let key_range = TextRange::new(base, base + key_text.len());
        let delimiter = TextRange::new(base + delim, base + delim + 1);
        let value_range = strip_range(text, TextRange::new(base + delim + 1, stripped.end as usize));
        let key = key_text.to_lowercase();
        let section_name = conf.sections[sect].name.clone();
        let duplicate_of = conf
            .sections
            .iter()
            .enumerate()
            .filter(|(_, s)| s.name == section_name)
            .find_map(|(_, s)| s.entries.iter().copied().find(|&e| conf.entries[e].key == key));
        let entry_idx = conf.entries.len();
        conf.entries.push(Entry {
            key,
            key_range,
            delimiter,
            value: String::new(),
            value_range,
            value_full_range: value_range,
            line: line_idx,
            continuations: Vec::new(),
            section: sect,
            duplicate_of,
        });
        conf.sections[sect].entries.push(entry_idx);
        optname = Some(entry_idx);
        line.kind = LineKind::Entry(entry_idx);
        conf.lines.push(line);
    }

    // Join multi-line values the way configparser does: every line from the key line to the
    // last continuation (blank lines included, comment lines skipped), joined by '\n', rstripped.
    for e in 0..conf.entries.len() {
        let entry = &conf.entries[e];
        let mut parts: Vec<&str> = vec![entry.value_range.of(text)];
        if let Some(&last) = entry.continuations.last() {
            for l in entry.line + 1..=last {
                let line = &conf.lines[l];
                match line.kind {
                    LineKind::Blank => parts.push(""),
                    LineKind::Continuation(_) => parts.push(strip_range(text, line.range).of(text)),
                    _ => {}
                }
            }
        }
        let joined = parts.join("\n");
        let value = joined.trim_end_matches(py_isspace).to_string();
        conf.entries[e].value = value;
    }
    conf
}

/// How Odoo 14–18 turns a file value into a boolean: the exact strings `True`/`true` and
/// `False`/`false` are booleans; every other string is left as a string, and a non-empty
/// string is truthy where Odoo tests the option.
pub fn odoo_legacy_bool(value: &str) -> Option<bool> {
    match value {
        "True" | "true" => Some(true),
        "False" | "false" => Some(false),
        _ => None,
    }
}

/// How Odoo 19 parses a boolean option: `1/yes/true/on` and `0/no/false/off`, any case.
pub fn odoo19_bool(value: &str) -> Option<bool> {
    match value.to_ascii_lowercase().as_str() {
        "1" | "yes" | "true" | "on" => Some(true),
        "0" | "no" | "false" | "off" => Some(false),
        _ => None,
    }
}

/// optparse's integer reading, which Odoo 14–18 applies to int options read from the file
/// (`optparse._parse_num`): `0x` hexadecimal, `0b` binary, a leading `0` octal, else decimal;
/// Python's `int()` also accepts surrounding whitespace, a sign and `_` between digits.
pub fn optparse_int(value: &str) -> Option<i64> {
    let v = value.trim_matches(py_isspace);
    let (neg, body) = match v.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, v.strip_prefix('+').unwrap_or(v)),
    };
    // optparse looks at the prefix of the whole string (before the sign is parsed by int()),
    // so "-0x10" is read in base 10 and fails; mirror that.
    let lower = v.to_ascii_lowercase();
    let (radix, digits) = if lower.starts_with("0x") {
        (16, &body[2..])
    } else if lower.starts_with("0b") {
        (2, &body[2..])
    } else if v.starts_with('0') {
        (8, if body.len() > 1 { &body[1..] } else { "0" })
    } else {
        (10, body)
    };
    if digits.is_empty() || digits.starts_with('_') || digits.ends_with('_') || digits.contains("__") {
        return None;
    }
    let clean: String = digits.chars().filter(|&c| c != '_').collect();
    if !clean.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    let n = i64::from_str_radix(&clean, radix).ok()?;
    Some(if neg { -n } else { n })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn conf(s: &str) -> (SourceFile, OdooConf) {
        let f = SourceFile::from_text("odoo.conf", s);
        let c = parse(&f);
        (f, c)
    }

    fn roundtrip(f: &SourceFile, c: &OdooConf) {
        let mut out = String::new();
        for l in &c.lines {
            out.push_str(l.full_range().of(&f.text));
        }
        assert_eq!(out, f.text);
    }

    #[test]
    fn basic_options() {
        let (f, c) = conf("[options]\naddons_path=/a,/b\nworkers = 4\ndb_host: db\nadmin_passwd = \n");
        roundtrip(&f, &c);
        assert!(c.python_accepts());
        assert_eq!(c.get("options", "addons_path").unwrap().value, "/a,/b");
        assert_eq!(c.get("options", "workers").unwrap().value, "4");
        assert_eq!(c.get("options", "db_host").unwrap().value, "db");
        let pw = c.get("options", "admin_passwd").unwrap();
        assert_eq!(pw.value, "");
        assert!(pw.value_range.is_empty());
    }

    #[test]
    fn no_inline_comments() {
        let (f, c) = conf("[options]\nworkers = 4 ; four\nsmtp_port = 465   #25\n");
        let w = c.get("options", "workers").unwrap();
        assert_eq!(w.value, "4 ; four");
        assert_eq!(w.value_range.of(&f.text), "4 ; four");
        assert_eq!(c.get("options", "smtp_port").unwrap().value, "465   #25");
    }

    #[test]
    fn comments_anywhere_at_line_start() {
        let (_, c) = conf("; top\n# top\n[options]\n  # indented\n;dbfilter = x\n;\nworkers = 2\n");
        assert!(c.python_accepts());
        assert!(c.get("options", "dbfilter").is_none());
        assert_eq!(c.items("options").len(), 1);
    }

    #[test]
    fn continuation_lines() {
        let (f, c) = conf("[options]\naddons_path = /a,\n    /b,\n\n    /c\n# c\n  /d\n\nworkers = 2\n");
        roundtrip(&f, &c);
        let a = c.get("options", "addons_path").unwrap();
        assert_eq!(a.value, "/a,\n/b,\n\n/c\n/d");
        assert_eq!(a.continuations.len(), 3);
        assert_eq!(c.get("options", "workers").unwrap().value, "2");
    }

    #[test]
    fn indented_key_after_key_is_a_continuation() {
        // The classic trap: an indented option after a non-indented one.
        let (_, c) = conf("[options]\nworkers = 2\n  max_cron_threads = 1\n");
        assert_eq!(c.get("options", "workers").unwrap().value, "2\nmax_cron_threads = 1");
        assert!(c.get("options", "max_cron_threads").is_none());
    }

    #[test]
    fn indented_keys_after_header_are_keys() {
        let (_, c) = conf("[options]\n  a = 1\n  b = 2\nc = 3\n");
        assert_eq!(c.items("options").len(), 3);
    }

    #[test]
    fn section_header_forms() {
        let (_, c) = conf("[options] ; trailing\na=1\n[a]b]\nx=1\n[ spaced ]\ny=1\n");
        assert_eq!(c.section_names(), vec!["options", "a]b", " spaced "]);
        let (_, c) = conf("[]\na=1\n");
        assert_eq!(c.before_first_section.len(), 2);
    }

    #[test]
    fn keys_lowercased_and_first_delimiter() {
        let (_, c) = conf("[options]\nDB_Host = x\nb:=y\nc==z\nurl = http://h:80\nA B = 1\n");
        assert_eq!(c.get("options", "db_host").unwrap().value, "x");
        assert_eq!(c.get("options", "b").unwrap().value, "=y");
        assert_eq!(c.get("options", "c").unwrap().value, "=z");
        assert_eq!(c.get("options", "url").unwrap().value, "http://h:80");
        assert_eq!(c.get("options", "a b").unwrap().value, "1");
    }

    #[test]
    fn errors_like_python() {
        let (_, c) = conf("[options]\njust a line\n= value\n");
        assert_eq!(c.errors.len(), 2);
        let (_, c) = conf("workers = 2\n[options]\n");
        assert_eq!(c.before_first_section, vec![0]);
        let (_, c) = conf("[options]\na = 1\nA = 2\n");
        assert_eq!(c.entries[1].duplicate_of, Some(0));
        assert!(!c.python_accepts());
        let (_, c) = conf("[options]\na = 1\n[options]\nb = 2\n[options]\na = 3\n");
        assert_eq!(c.sections[1].duplicate_of, Some(0));
        assert_eq!(c.entries[2].duplicate_of, Some(0));
    }

    #[test]
    fn bom_is_text_before_the_header() {
        let (f, c) = conf("\u{feff}[options]\nworkers = 2\n");
        roundtrip(&f, &c);
        assert!(c.bom.is_some());
        // Python sees "\ufeff[options]" as text, so no header is ever found
        assert_eq!(c.before_first_section, vec![0, 1]);
        assert!(!c.has_options_section());
    }

    #[test]
    fn crlf_and_lone_cr() {
        let (f, c) = conf("[options]\r\na = 1\r\nb = 2\rc = 3");
        roundtrip(&f, &c);
        assert_eq!(c.get("options", "a").unwrap().value, "1");
        assert_eq!(c.get("options", "b").unwrap().value, "2");
        assert_eq!(c.get("options", "c").unwrap().value, "3");
    }

    #[test]
    fn default_section_applies_to_options() {
        let (_, c) = conf("[DEFAULT]\nw = 1\n[options]\na = 1\n");
        let keys: Vec<_> = c.items("options").iter().map(|e| e.key.clone()).collect();
        assert_eq!(keys, vec!["w", "a"]);
        assert_eq!(c.section_names(), vec!["options"]);
    }

    #[test]
    fn unicode_whitespace_is_stripped() {
        let (_, c) = conf("[options]\na = \u{a0}x\u{3000}\n");
        assert_eq!(c.get("options", "a").unwrap().value, "x");
    }

    #[test]
    fn value_on_continuation_only() {
        let (f, c) = conf("[options]\naddons_path =\n    /a,\n    /b\n");
        let a = c.get("options", "addons_path").unwrap();
        assert_eq!(a.value, "\n/a,\n/b");
        assert_eq!(a.value_full_range.of(&f.text), "/a,\n    /b");
    }

    #[test]
    fn optparse_integers() {
        assert_eq!(optparse_int("4"), Some(4));
        assert_eq!(optparse_int(" 4 "), Some(4));
        assert_eq!(optparse_int("010"), Some(8));
        assert_eq!(optparse_int("0"), Some(0));
        assert_eq!(optparse_int("08"), None);
        assert_eq!(optparse_int("0x10"), Some(16));
        assert_eq!(optparse_int("0b11"), Some(3));
        assert_eq!(optparse_int("-1"), Some(-1));
        assert_eq!(optparse_int("1_000"), Some(1000));
        assert_eq!(optparse_int(""), None);
        assert_eq!(optparse_int("4 ; x"), None);
        assert_eq!(optparse_int("2G"), None);
        assert_eq!(optparse_int("None"), None);
    }

    #[test]
    fn booleans() {
        assert_eq!(odoo_legacy_bool("True"), Some(true));
        assert_eq!(odoo_legacy_bool("FALSE"), None);
        assert_eq!(odoo_legacy_bool("0"), None);
        assert_eq!(odoo19_bool("Off"), Some(false));
        assert_eq!(odoo19_bool("maybe"), None);
    }
}

/// Edits that set `key = value` in `section`: the existing value is replaced in place (its key
/// spelling, spacing and comments kept); a missing key is added after the section's last
/// option, indented and spaced like its neighbours; a missing section is appended.
pub fn set_value_edits(conf: &OdooConf, src: &SourceFile, section: &str, key: &str, value: &str) -> Vec<(TextRange, String)> {
    let text = src.text.as_str();
    let nl = src.newline();
    // an existing key: replace its value (all continuation lines included)
    if let Some(entry) = conf
        .sections
        .iter()
        .filter(|s| s.name == section)
        .flat_map(|s| s.entries.iter())
        .map(|&e| &conf.entries[e])
        .find(|e| e.key == key && e.duplicate_of.is_none())
    {
        if entry.value_full_range.is_empty() {
            // `key =` with nothing after it: keep the delimiter, add a space and the value
            let at = entry.delimiter.end as usize;
            let after = &text[at..conf.lines[entry.line].range.end as usize];
            let lead = if after.starts_with(' ') { "" } else { " " };
            let end = at + after.len();
            return vec![(TextRange::new(at, end), format!("{lead}{}{value}", after.trim_end()))];
        }
        return vec![(entry.value_full_range, value.to_string())];
    }
    if let Some((idx, sec)) = conf.sections.iter().enumerate().rev().find(|(_, s)| s.name == section && s.duplicate_of.is_none())
    {
        let (indent, sep) = conf.entry_style(text, idx);
        let last_line = sec.entries.last().map(|&e| {
            let entry = &conf.entries[e];
            entry.continuations.last().copied().unwrap_or(entry.line)
        });
        let after_line = last_line.unwrap_or(sec.line);
        let line = &conf.lines[after_line];
        let at = line.eol.end as usize;
        let prefix = if line.eol.is_empty() { nl } else { "" };
        return vec![(TextRange::empty(at), format!("{prefix}{indent}{key}{sep}{value}{nl}"))];
    }
    // no such section: append one at the end of the file
    let prefix = if src.ends_with_newline() { "" } else { nl };
    let blank = if text.trim().is_empty() { "" } else { nl };
    vec![(TextRange::empty(text.len()), format!("{prefix}{blank}[{section}]{nl}{key} = {value}{nl}"))]
}

#[cfg(test)]
mod edit_tests {
    use super::*;

    fn apply(text: &str, key: &str, value: &str) -> String {
        let src = SourceFile::from_text("odoo.conf", text);
        let conf = parse(&src);
        let mut edits = set_value_edits(&conf, &src, "options", key, value);
        edits.sort_by_key(|e| std::cmp::Reverse(e.0.start));
        let mut out = text.to_string();
        for (r, t) in edits {
            out.replace_range(r.range(), &t);
        }
        out
    }

    #[test]
    fn replaces_in_place() {
        assert_eq!(apply("[options]\nworkers = 4 \n", "workers", "2"), "[options]\nworkers = 2 \n");
        assert_eq!(apply("[options]\nworkers=\n", "workers", "2"), "[options]\nworkers= 2\n");
        assert_eq!(
            apply("[options]\naddons_path = /a,\n   /b\nx = 1\n", "addons_path", "/c"),
            "[options]\naddons_path = /c\nx = 1\n"
        );
    }

    #[test]
    fn adds_after_the_last_option_in_style() {
        assert_eq!(
            apply("[options]\n  a=1\n  b=2\n\n[queue_job]\nc = 1\n", "workers", "4"),
            "[options]\n  a=1\n  b=2\n  workers=4\n\n[queue_job]\nc = 1\n"
        );
        assert_eq!(apply("[options]\r\na = 1", "workers", "4"), "[options]\r\na = 1\r\nworkers = 4\r\n");
        assert_eq!(apply("[options]\n", "workers", "4"), "[options]\nworkers = 4\n");
    }

    #[test]
    fn appends_a_section() {
        assert_eq!(apply("[queue_job]\nc = 1", "workers", "4"), "[queue_job]\nc = 1\n\n[options]\nworkers = 4\n");
        assert_eq!(apply("", "workers", "4"), "[options]\nworkers = 4\n");
    }
}

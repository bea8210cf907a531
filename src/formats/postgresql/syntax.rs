//! The lossless syntax tree of one postgresql.conf file, read with PostgreSQL's own lexer rules
//! (`grammar/postgresql.pest`) and its own line parser (`ParseConfigFp` in guc-file.l).
//!
//! Every byte of the file belongs to exactly one [`Token`] or line terminator, so the file can be
//! printed back from the tree; every name, value (with and without its quotes) and comment has
//! its byte range for fixes. Lines PostgreSQL would reject get a [`SyntaxError`] worded as
//! PostgreSQL words it.

use std::borrow::Cow;

use super::params;
use super::scan::{self, Scan};
use crate::formats::SyntaxError;
use crate::source::{PLACEHOLDER, SourceFile, TextRange};

/// The pest grammar, `grammar/postgresql.pest`: the readable definition the hand-written
/// reader ([`super::scan`]) is held to (syntax_tests.rs).
#[cfg(test)]
#[path = "syntax_pest.rs"]
pub(super) mod pest_reference;

/// PostgreSQL gives up on a file after this many syntax errors (guc-file.l).
const MAX_SYNTAX_ERRORS: usize = 100;

/// What a token is, in the words of PostgreSQL's lexer (GUC_ID, GUC_STRING, ...).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TokenKind {
    /// Spaces, tabs and carriage returns.
    Whitespace,
    /// `#` to the end of the line (a `\r` before the newline included, as PostgreSQL reads it).
    Comment,
    Equals,
    /// `shared_buffers`, `on`, `posix`.
    Identifier,
    /// `pg_stat_statements.max`: a name, never a value.
    QualifiedIdentifier,
    /// `en_US.UTF-8`, `scram-sha-256`: a letter, then letters, digits and `-._:/`.
    UnquotedString,
    /// `128MB`, `-1`, `0x10`, `5min`: digits and any unit letters.
    Integer,
    /// `0.9`, `.5`, `1e3` needs a dot: `1.0e3`.
    Real,
    /// `'...'` with `''` and backslash escapes.
    String,
    /// A character no token starts with (`/`, `"`, a lone `'`, ...).
    Error,
}

impl TokenKind {
    /// Whether PostgreSQL accepts this token as a value.
    pub fn is_value(self) -> bool {
        matches!(
            self,
            TokenKind::Identifier | TokenKind::UnquotedString | TokenKind::Integer | TokenKind::Real | TokenKind::String
        )
    }
}

/// One token or piece of trivia.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    pub kind: TokenKind,
    pub range: TextRange,
}

/// A parameter name as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Name {
    pub range: TextRange,
    /// The name as written (invalid UTF-8 shown as U+FFFD).
    pub text: String,
    /// The name PostgreSQL looks up: ASCII-lowercased, old aliases mapped (`sort_mem` is
    /// `work_mem`).
    pub key: String,
}

/// A value as written and as PostgreSQL reads it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Value {
    /// The token, quotes included.
    pub range: TextRange,
    pub kind: TokenKind,
    /// The value PostgreSQL passes on: quotes removed, `''` and backslash escapes resolved.
    pub text: String,
}

impl Value {
    pub fn is_quoted(&self) -> bool {
        self.kind == TokenKind::String
    }
    /// The text inside the quotes (the whole token when it is not quoted).
    pub fn inner(&self) -> TextRange {
        if self.is_quoted() && self.range.len() >= 2 {
            TextRange { start: self.range.start + 1, end: self.range.end - 1 }
        } else {
            self.range
        }
    }
}

/// `name [=] value [# comment]` on one line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Setting {
    pub name: Name,
    pub equals: Option<TextRange>,
    pub value: Value,
    /// The trailing comment, `#` included.
    pub comment: Option<TextRange>,
    /// The line number PostgreSQL reports (1-based, counting `\n` only).
    pub line: u32,
    /// The line without its terminator (`\r\n` or `\n`): the range to replace or delete to
    /// rewrite the whole line.
    pub line_range: TextRange,
}

/// A comment line holding a setting, as initdb's sample file has for every parameter:
/// `#shared_buffers = 128MB  # min 128kB`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CommentedSetting {
    /// The `#` that comments it out.
    pub hash: TextRange,
    /// The setting after the `#` (its `equals` is always present).
    pub setting: Setting,
}

/// What a line holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LineKind {
    /// Nothing, or whitespace only.
    Blank,
    /// A comment alone.
    Comment,
    /// A comment that is a commented-out setting.
    Commented(CommentedSetting),
    Setting(Setting),
    /// A line PostgreSQL rejects (its error is in [`PgConf::errors`]).
    Invalid,
}

/// One line: its tokens cover `range` exactly; `newline` is the `\n` that ends it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    /// 1-based line number, counting `\n` only, as PostgreSQL does.
    pub number: u32,
    pub range: TextRange,
    pub newline: Option<TextRange>,
    pub tokens: Vec<Token>,
    pub kind: LineKind,
}

/// One postgresql.conf file, losslessly.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PgConf {
    pub lines: Vec<Line>,
    /// Syntax errors, in PostgreSQL's words, in file order. Any of them makes PostgreSQL refuse
    /// to start (or to reload).
    pub errors: Vec<SyntaxError>,
    /// How many lines PostgreSQL reads: after 100 syntax errors it abandons the file.
    read_lines: usize,
}

impl PgConf {
    /// Parses a file. Never fails: what PostgreSQL would reject is in [`PgConf::errors`].
    pub fn parse(source: &SourceFile) -> PgConf {
        let text = lex_text(source);
        let scan = Scan::new(&text);
        let bytes = text.as_bytes();
        let mut lines = Vec::new();
        let mut tokens = Vec::new();
        let mut start = 0;
        // file = { SOI ~ (line ~ newline)* ~ (!EOI ~ line)? ~ EOI }
        while start < bytes.len() {
            let number = lines.len() as u32 + 1;
            let mut line = read_line(source, &text, &scan, start, number, &mut tokens);
            let end = line.range.end as usize;
            if bytes.get(end) == Some(&b'\n') {
                line.newline = Some(TextRange::new(end, end + 1));
            }
            lines.push(line);
            start = end + 1;
        }
        let mut conf = PgConf { read_lines: lines.len(), lines, errors: Vec::new() };
        conf.find_errors(source);
        conf
    }

    /// The settings PostgreSQL reads, in file order (include directives among them).
    pub fn settings(&self) -> impl Iterator<Item = &Setting> {
        self.indexed_settings().map(|(_, s)| s)
    }

    /// How many lines PostgreSQL reads: all, unless it abandons the file after 100 errors.
    pub fn read_line_count(&self) -> usize {
        self.read_lines
    }

    /// The settings PostgreSQL reads, with the index of their line in [`PgConf::lines`].
    pub fn indexed_settings(&self) -> impl Iterator<Item = (usize, &Setting)> {
        self.lines[..self.read_lines].iter().enumerate().filter_map(|(i, l)| match &l.kind {
            LineKind::Setting(s) => Some((i, s)),
            _ => None,
        })
    }

    /// The commented-out settings, in file order.
    pub fn commented(&self) -> impl Iterator<Item = &CommentedSetting> {
        self.lines.iter().filter_map(|l| match &l.kind {
            LineKind::Commented(c) => Some(c),
            _ => None,
        })
    }

    /// The occurrence of `name` that wins in this file alone (the last one).
    pub fn get(&self, name: &str) -> Option<&Setting> {
        let key = params::canonical_key(name);
        self.settings().filter(|s| s.name.key == key).last()
    }

    /// Every token and line terminator in order; together they cover the file exactly.
    pub fn pieces(&self) -> impl Iterator<Item = TextRange> + '_ {
        self.lines.iter().flat_map(|l| l.tokens.iter().map(|t| t.range).chain(l.newline))
    }

    /// Whether PostgreSQL would accept this file's syntax.
    pub fn is_valid(&self) -> bool {
        self.errors.is_empty()
    }

    fn find_errors(&mut self, source: &SourceFile) {
        let file = &source.display;
        let last = self.lines.len().saturating_sub(1);
        for (i, line) in self.lines.iter().enumerate() {
            if line.kind != LineKind::Invalid {
                continue;
            }
            if self.errors.len() >= MAX_SYNTAX_ERRORS {
                let at = TextRange::empty(line.range.start as usize);
                self.errors.push(SyntaxError::new(at, format!("too many syntax errors found, abandoning file \"{file}\"")));
                self.read_lines = i;
                break;
            }
            let at_eof = i == last && line.newline.is_none();
            self.errors.push(line_error(source, file, line, at_eof));
        }
    }
}

/// The error PostgreSQL reports for an invalid line: ParseConfigFp's state machine over the
/// line's tokens (name, optional `=`, value, end of line).
fn line_error(source: &SourceFile, file: &str, line: &Line, at_eof: bool) -> SyntaxError {
    let sig: Vec<&Token> = line.tokens.iter().filter(|t| !matches!(t.kind, TokenKind::Whitespace | TokenKind::Comment)).collect();
    let mut i = 0;
    let expect = |i: usize| sig.get(i).copied();
    let (bad, label, help): (Option<&Token>, &str, Option<&str>) = 'found: {
        match expect(i) {
            Some(t) if matches!(t.kind, TokenKind::Identifier | TokenKind::QualifiedIdentifier) => {}
            t => break 'found (t, "expected a parameter name", None),
        }
        i += 1;
        if expect(i).is_some_and(|t| t.kind == TokenKind::Equals) {
            i += 1;
        }
        match expect(i) {
            Some(t) if t.kind.is_value() => {}
            Some(t) if t.kind == TokenKind::QualifiedIdentifier => {
                break 'found (Some(t), "a dotted word is not a value", Some("quote the value: 'like.this'"));
            }
            Some(t) if t.kind == TokenKind::Error => {
                break 'found (Some(t), "expected a value", Some("quote values that hold other characters: '/path/to'"));
            }
            t => break 'found (t, "expected a value", None),
        }
        let value = sig[i];
        i += 1;
        let help = match (value.kind, expect(i).map(|t| t.kind)) {
            (TokenKind::Real, Some(TokenKind::Identifier)) => Some("a number with a fraction and a unit must be quoted: '1.5GB'"),
            (TokenKind::Integer, Some(TokenKind::Identifier)) => {
                Some("write the unit right after the number (5min), or quote the value")
            }
            _ => Some("quote a value that holds spaces"),
        };
        break 'found (expect(i), "expected the end of the line", help);
    };
    // At end of file without a newline, "near end of line" names the line before (PostgreSQL
    // counts a line when it meets its `\n`); "near token" names the right one.
    let reported_line = if at_eof && bad.is_none() { line.number.saturating_sub(1) } else { line.number };
    let mut err = match bad {
        Some(t) => {
            let mut shown = String::from_utf8_lossy(&source.bytes[t.range.range()]).into_owned();
            // PostgreSQL prints the token as a C string.
            if let Some(nul) = shown.find('\0') {
                shown.truncate(nul);
            }
            SyntaxError::new(t.range, format!("syntax error in file \"{file}\" line {reported_line}, near token \"{shown}\""))
        }
        None => {
            let end = sig.last().map(|t| t.range.end as usize).unwrap_or(line.range.start as usize);
            SyntaxError::new(
                TextRange::empty(end),
                format!("syntax error in file \"{file}\" line {reported_line}, near end of line"),
            )
        }
    }
    .with_label(label);
    if let Some(help) = help {
        err = err.with_help(help);
    }
    if at_eof && bad.is_none() {
        err = err.with_help("PostgreSQL numbers this line one too low: the file does not end with a newline");
    }
    err
}

/// Whether `value` written bare is one value token that PostgreSQL reads back as `value`.
pub(super) fn is_bare_value(value: &str) -> bool {
    !value.bytes().any(|b| b == PLACEHOLDER) && scan::whole_value(value).is_some_and(|k| k != TokenKind::String)
}

/// The text the grammar reads: [`SourceFile::text`], where invalid bytes are U+001A (letters to
/// PostgreSQL, like every byte >= 0x80), with any genuine U+001A byte (not a letter) replaced by
/// U+0001, which PostgreSQL treats the same way.
fn lex_text(source: &SourceFile) -> Cow<'_, str> {
    let bytes = source.text.as_bytes();
    let genuine = |i: usize| source.invalid.binary_search(&(i as u32)).is_err();
    if !bytes.iter().enumerate().any(|(i, &b)| b == PLACEHOLDER && genuine(i)) {
        return Cow::Borrowed(&source.text);
    }
    let mapped: Vec<u8> = bytes.iter().enumerate().map(|(i, &b)| if b == PLACEHOLDER && genuine(i) { 0x01 } else { b }).collect();
    // Only one ASCII byte was swapped for another.
    Cow::Owned(String::from_utf8(mapped).unwrap_or_else(|_| source.text.clone()))
}

/// One line from `start` (at the start of a line): `line = { ws? ~ (setting ~ ws? ~ &line_end |
/// junk)? ~ comment? }`. `tokens` is scratch space, left empty.
fn read_line(
    source: &SourceFile,
    text: &str,
    scan: &Scan,
    start: usize,
    number: u32,
    tokens: &mut Vec<(TokenKind, TextRange)>,
) -> Line {
    tokens.clear();
    let mut i = start;
    if let Some(e) = scan.ws(i) {
        tokens.push((TokenKind::Whitespace, TextRange::new(i, e)));
        i = e;
    }
    let mut kind = LineKind::Blank;
    let mut setting = None;
    let first = tokens.len();
    if let Some(e) = scan::setting(scan, i, tokens) {
        setting = Some(first);
        i = e;
    } else if !scan.line_end(i) {
        kind = LineKind::Invalid;
        i = scan.junk(i, tokens);
    }
    if let Some(e) = scan.comment(i) {
        if matches!(kind, LineKind::Blank) && setting.is_none() {
            kind = comment_line(source, text, TextRange::new(i, e));
        }
        tokens.push((TokenKind::Comment, TextRange::new(i, e)));
        i = e;
    }
    // The rules above always reach the end of the line; should they not, the rest is an
    // error token, so that the line still prints back.
    let end = memchr::memchr(b'\n', &text.as_bytes()[i..]).map_or(text.len(), |p| i + p);
    if i < end {
        tokens.push((TokenKind::Error, TextRange::new(i, end)));
        kind = LineKind::Invalid;
        setting = None;
    }
    let range = TextRange::new(start, end);
    let content = trim_cr(text, range);
    if let Some(first) = setting {
        // name, then `=` if any, then the value: the first and last tokens that are not blanks
        let significant: Vec<(TokenKind, TextRange)> =
            tokens[first..].iter().copied().filter(|(k, _)| *k != TokenKind::Whitespace && *k != TokenKind::Comment).collect();
        if let (Some(&(_, name)), Some(&(value_kind, value))) = (significant.first(), significant.last()) {
            let equals = significant.iter().find(|(k, _)| *k == TokenKind::Equals).map(|(_, r)| *r);
            let comment = tokens.iter().rev().find(|(k, _)| *k == TokenKind::Comment).map(|(_, r)| *r);
            kind = LineKind::Setting(Setting {
                name: name_at(source, name),
                equals,
                value: value_at(source, value_kind, value),
                comment,
                line: number,
                line_range: content,
            });
        }
    }
    if let LineKind::Commented(c) = &mut kind {
        c.setting.line = number;
        c.setting.line_range = content;
    }
    let tokens = tokens.iter().map(|&(kind, range)| Token { kind, range }).collect();
    Line { number, range, newline: None, tokens, kind }
}

fn lossy(source: &SourceFile, range: TextRange) -> String {
    String::from_utf8_lossy(&source.bytes[range.range()]).into_owned()
}

fn name_at(source: &SourceFile, range: TextRange) -> Name {
    let text = lossy(source, range);
    let key = params::canonical_key(&text);
    Name { range, text, key }
}

fn value_at(source: &SourceFile, kind: TokenKind, range: TextRange) -> Value {
    let text = if kind == TokenKind::String {
        String::from_utf8_lossy(&deescape(&source.bytes[range.range()])).into_owned()
    } else {
        lossy(source, range)
    };
    Value { range, kind, text }
}

/// A comment line is a commented-out setting when the comment, read as a line, is one with
/// an explicit `=` (`#work_mem = 4MB`, `#  include_dir = 'conf.d'`).
fn comment_line(source: &SourceFile, text: &str, comment: TextRange) -> LineKind {
    let Some(scan::Commented { name, equals, value: (kind, value), trailing }) = scan::commented(&text[comment.range()]) else {
        return LineKind::Comment;
    };
    let base = comment.start;
    let shift = |r: TextRange| TextRange { start: r.start + base, end: r.end + base };
    // The `#` that opens the comment is the one that comments the setting out.
    let hash = TextRange { start: base, end: base + 1 };
    LineKind::Commented(CommentedSetting {
        hash,
        setting: Setting {
            name: name_at(source, shift(name)),
            equals: Some(shift(equals)),
            value: value_at(source, kind, shift(value)),
            comment: trailing.map(shift),
            line: 0,
            line_range: TextRange::default(),
        },
    })
}

/// The range without a final `\r` (the one of a `\r\n` line ending).
fn trim_cr(text: &str, range: TextRange) -> TextRange {
    if range.end > range.start && text.as_bytes()[range.end as usize - 1] == b'\r' {
        TextRange { start: range.start, end: range.end - 1 }
    } else {
        range
    }
}

/// The value of a quoted string token, as PostgreSQL's `DeescapeQuotedString` makes it: `''` is
/// `'`; `\b \f \n \r \t`; `\` and one to three octal digits is that byte; `\` before any other
/// character is that character. PostgreSQL handles the token as a C string, so a NUL byte in it
/// cuts it short (and then the byte before the NUL is lost too, as the code drops what it takes
/// for the closing quote), and so does a `\0` escape.
pub fn deescape(token: &[u8]) -> Vec<u8> {
    // Skip the opening quote; the C code stops at the first NUL of the token.
    let body = token.get(1..).unwrap_or(&[]);
    let s = match body.iter().position(|&b| b == 0) {
        Some(nul) => &body[..nul],
        None => body,
    };
    let at = |i: usize| s.get(i).copied().unwrap_or(0);
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        let c = s[i];
        if c == b'\\' {
            i += 1;
            let e = at(i);
            let byte = match e {
                b'b' => 0x08,
                b'f' => 0x0c,
                b'n' => b'\n',
                b'r' => b'\r',
                b't' => b'\t',
                b'0'..=b'7' => {
                    let mut k = 0;
                    let mut v: u32 = 0;
                    while k < 3 && matches!(at(i + k), b'0'..=b'7') {
                        v = (v << 3) + u32::from(at(i + k) - b'0');
                        k += 1;
                    }
                    i += k - 1;
                    v as u8
                }
                other => other,
            };
            out.push(byte);
        } else if c == b'\'' && at(i + 1) == b'\'' {
            i += 1;
            out.push(b'\'');
        } else {
            out.push(c);
        }
        i += 1;
    }
    // The last byte copied is (normally) the closing quote.
    out.pop();
    if let Some(nul) = out.iter().position(|&b| b == 0) {
        out.truncate(nul);
    }
    out
}

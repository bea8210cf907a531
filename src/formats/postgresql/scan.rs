//! The hand-written reader of postgresql.conf: the same tokens and line shapes as the pest
//! grammar (`grammar/postgresql.pest`, the readable definition), at a few nanoseconds a byte.
//!
//! pest spends hundreds of instructions on every combinator it enters (rule calls, stack
//! snapshots for the lookaheads that emulate flex's longest match), about a thousand per byte
//! of a typical postgresql.conf: the parse was a third of a fleet check. Each function below is
//! one rule of the grammar, written as the PEG reads it (ordered choice, greedy repetition
//! without backtracking, lookaheads that consume nothing), over bytes: every stop the rules
//! test for is ASCII, and bytes >= 0x80 (of any UTF-8 character) are letters, so a token never
//! ends inside a character. `syntax_tests.rs` holds the two readers to identical trees over
//! the corpus, the fixtures and random inputs.

use super::syntax::TokenKind;
use crate::source::TextRange;

/// `letter`: ASCII letters, `_`, every byte >= 0x80 and the invalid-byte placeholder U+001A.
fn letter(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_' || b >= 0x80 || b == 0x1A
}

fn letter_digit(b: u8) -> bool {
    letter(b) || b.is_ascii_digit()
}

fn word_char(b: u8) -> bool {
    letter_digit(b) || matches!(b, b'-' | b'.' | b':' | b'/')
}

/// The text being read, with the rules as methods returning where a match ends.
#[derive(Clone, Copy)]
pub(super) struct Scan<'a> {
    s: &'a [u8],
}

impl<'a> Scan<'a> {
    pub(super) fn new(text: &'a str) -> Scan<'a> {
        Scan { s: text.as_bytes() }
    }

    fn at(&self, i: usize) -> Option<u8> {
        self.s.get(i).copied()
    }

    fn is(&self, i: usize, f: impl Fn(u8) -> bool) -> bool {
        self.at(i).is_some_and(f)
    }

    /// The end of a run of bytes matching `f` from `i`.
    fn run(&self, mut i: usize, f: impl Fn(u8) -> bool) -> usize {
        while self.is(i, &f) {
            i += 1;
        }
        i
    }

    /// `ws = (" " | "\t" | "\r")+`
    pub(super) fn ws(&self, i: usize) -> Option<usize> {
        let e = self.run(i, |b| matches!(b, b' ' | b'\t' | b'\r'));
        (e > i).then_some(e)
    }

    /// `comment = "#" ~ (!"\n" ~ ANY)*`
    pub(super) fn comment(&self, i: usize) -> Option<usize> {
        (self.at(i) == Some(b'#')).then(|| self.run(i + 1, |b| b != b'\n'))
    }

    /// `line_end = "#" | "\n" | EOI` (a lookahead)
    pub(super) fn line_end(&self, i: usize) -> bool {
        matches!(self.at(i), None | Some(b'#' | b'\n'))
    }

    /// `id = @{ letter ~ letter_digit* ~ !word_char }`
    fn id(&self, i: usize) -> Option<usize> {
        if !self.is(i, letter) {
            return None;
        }
        let e = self.run(i + 1, letter_digit);
        (!self.is(e, word_char)).then_some(e)
    }

    /// `qualified_id = @{ letter ~ letter_digit* ~ "." ~ letter ~ letter_digit* ~ !word_char }`
    fn qualified_id(&self, i: usize) -> Option<usize> {
        if !self.is(i, letter) {
            return None;
        }
        let dot = self.run(i + 1, letter_digit);
        if self.at(dot) != Some(b'.') || !self.is(dot + 1, letter) {
            return None;
        }
        let e = self.run(dot + 2, letter_digit);
        (!self.is(e, word_char)).then_some(e)
    }

    /// `unquoted_string = @{ letter ~ word_char* }`
    fn unquoted_string(&self, i: usize) -> Option<usize> {
        self.is(i, letter).then(|| self.run(i + 1, word_char))
    }

    /// `sign?`
    fn sign(&self, i: usize) -> usize {
        if matches!(self.at(i), Some(b'+' | b'-')) { i + 1 } else { i }
    }

    /// `integer = @{ sign? ~ ("0x" ~ ASCII_HEX_DIGIT+ | ASCII_DIGIT+) ~ ASCII_ALPHA* }`
    fn integer(&self, i: usize) -> Option<usize> {
        let j = self.sign(i);
        let digits = if self.s[j.min(self.s.len())..].starts_with(b"0x") && self.is(j + 2, |b| b.is_ascii_hexdigit()) {
            self.run(j + 2, |b| b.is_ascii_hexdigit())
        } else if self.is(j, |b| b.is_ascii_digit()) {
            self.run(j, |b| b.is_ascii_digit())
        } else {
            return None;
        };
        Some(self.run(digits, |b| b.is_ascii_alphabetic()))
    }

    /// `real = @{ sign? ~ ASCII_DIGIT* ~ "." ~ ASCII_DIGIT* ~ (("e" | "E") ~ sign? ~ ASCII_DIGIT+)? }`
    fn real(&self, i: usize) -> Option<usize> {
        let dot = self.run(self.sign(i), |b| b.is_ascii_digit());
        if self.at(dot) != Some(b'.') {
            return None;
        }
        let e = self.run(dot + 1, |b| b.is_ascii_digit());
        if matches!(self.at(e), Some(b'e' | b'E')) {
            let d = self.sign(e + 1);
            if self.is(d, |b| b.is_ascii_digit()) {
                return Some(self.run(d, |b| b.is_ascii_digit()));
            }
        }
        Some(e)
    }

    /// `string_chunk = _{ (!("'" | "\\" | "\n") ~ ANY | "\\" ~ !"\n" ~ ANY)* }`
    fn string_chunk(&self, mut i: usize) -> usize {
        loop {
            match self.at(i) {
                None | Some(b'\'' | b'\n') => return i,
                Some(b'\\') => match self.at(i + 1) {
                    None | Some(b'\n') => return i,
                    // the escaped byte; the rest of a multi-byte character follows as plain bytes
                    Some(_) => i += 2,
                },
                Some(_) => i += 1,
            }
        }
    }

    /// `string = @{ "'" ~ (string_chunk ~ "''" ~ &(string_chunk ~ "'"))* ~ string_chunk ~ "'" }`
    fn string(&self, i: usize) -> Option<usize> {
        if self.at(i) != Some(b'\'') {
            return None;
        }
        let mut p = i + 1;
        let q = loop {
            let q = self.string_chunk(p);
            let doubled = self.at(q) == Some(b'\'') && self.at(q + 1) == Some(b'\'');
            if doubled && self.at(self.string_chunk(q + 2)) == Some(b'\'') {
                p = q + 2;
            } else {
                break q;
            }
        };
        (self.at(q) == Some(b'\'')).then_some(q + 1)
    }

    /// `name = { qualified_id | id }`
    pub(super) fn name(&self, i: usize) -> Option<(TokenKind, usize)> {
        match self.qualified_id(i) {
            Some(e) => Some((TokenKind::QualifiedIdentifier, e)),
            None => self.id(i).map(|e| (TokenKind::Identifier, e)),
        }
    }

    /// `value = { string | real | integer | !qualified_id ~ (id | unquoted_string) }`
    pub(super) fn value(&self, i: usize) -> Option<(TokenKind, usize)> {
        if let Some(e) = self.string(i) {
            return Some((TokenKind::String, e));
        }
        if let Some(e) = self.real(i) {
            return Some((TokenKind::Real, e));
        }
        if let Some(e) = self.integer(i) {
            return Some((TokenKind::Integer, e));
        }
        if self.qualified_id(i).is_some() {
            return None;
        }
        match self.id(i) {
            Some(e) => Some((TokenKind::Identifier, e)),
            None => self.unquoted_string(i).map(|e| (TokenKind::UnquotedString, e)),
        }
    }

    /// `plain_token = _{ real | integer | qualified_id | id | unquoted_string | equals | error_char }`
    /// with `error_char = { !("\n" | "'") ~ ANY }`.
    fn plain_token(&self, i: usize) -> Option<(TokenKind, usize)> {
        if let Some(e) = self.real(i) {
            return Some((TokenKind::Real, e));
        }
        if let Some(e) = self.integer(i) {
            return Some((TokenKind::Integer, e));
        }
        if let Some(e) = self.qualified_id(i) {
            return Some((TokenKind::QualifiedIdentifier, e));
        }
        if let Some(e) = self.id(i) {
            return Some((TokenKind::Identifier, e));
        }
        if let Some(e) = self.unquoted_string(i) {
            return Some((TokenKind::UnquotedString, e));
        }
        match self.at(i)? {
            b'=' => Some((TokenKind::Equals, i + 1)),
            b'\n' | b'\'' => None,
            // ASCII here: a byte >= 0x80 is a letter, taken above
            b => Some((TokenKind::Error, i + utf8_width(b))),
        }
    }

    /// `junk` from `i` (not at a line end): its tokens, pushed; returns where it stops.
    ///
    /// `junk = { !line_end ~ (ws | !"#" ~ (string | plain_token))* ~ (lone_quote ~ (ws | !"#" ~ (plain_token | lone_quote))*)? }`
    pub(super) fn junk(&self, mut i: usize, out: &mut Vec<(TokenKind, TextRange)>) -> usize {
        let mut push = |kind, start: usize, end: usize| out.push((kind, TextRange::new(start, end)));
        loop {
            if let Some(e) = self.ws(i) {
                push(TokenKind::Whitespace, i, e);
                i = e;
            } else if self.at(i) == Some(b'#') {
                return i;
            } else if let Some(e) = self.string(i) {
                push(TokenKind::String, i, e);
                i = e;
            } else if let Some((kind, e)) = self.plain_token(i) {
                push(kind, i, e);
                i = e;
            } else {
                break;
            }
        }
        if self.at(i) != Some(b'\'') {
            return i;
        }
        // a quote that starts no string: an error token, and no later quote is tried as a string
        push(TokenKind::Error, i, i + 1);
        i += 1;
        loop {
            if let Some(e) = self.ws(i) {
                push(TokenKind::Whitespace, i, e);
                i = e;
            } else if self.at(i) == Some(b'#') {
                return i;
            } else if let Some((kind, e)) = self.plain_token(i) {
                push(kind, i, e);
                i = e;
            } else if self.at(i) == Some(b'\'') {
                push(TokenKind::Error, i, i + 1);
                i += 1;
            } else {
                return i;
            }
        }
    }
}

/// The length of the UTF-8 character a leading byte starts (1 for ASCII and stray bytes).
fn utf8_width(b: u8) -> usize {
    match b {
        0xF0..=0xFF => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
    }
}

/// `setting` (with the line's `ws? ~ &line_end` after it) at `i`: the name, optional `=` and
/// value tokens with the whitespace between them, pushed; `None` (nothing pushed) when the
/// line is not one setting.
///
/// `setting = { name ~ ws? ~ (equals ~ ws?)? ~ value }`
pub(super) fn setting(scan: &Scan, i: usize, out: &mut Vec<(TokenKind, TextRange)>) -> Option<usize> {
    let mark = out.len();
    let result = (|| {
        let (kind, mut j) = scan.name(i)?;
        out.push((kind, TextRange::new(i, j)));
        let ws = |j: usize, out: &mut Vec<(TokenKind, TextRange)>| match scan.ws(j) {
            Some(e) => {
                out.push((TokenKind::Whitespace, TextRange::new(j, e)));
                e
            }
            None => j,
        };
        j = ws(j, out);
        if scan.at(j) == Some(b'=') {
            out.push((TokenKind::Equals, TextRange::new(j, j + 1)));
            j = ws(j + 1, out);
        }
        let (kind, e) = scan.value(j)?;
        out.push((kind, TextRange::new(j, e)));
        let e = ws(e, out);
        scan.line_end(e).then_some(e)
    })();
    if result.is_none() {
        out.truncate(mark);
    }
    result
}

/// A commented-out setting's parts, relative to the comment's start.
pub(super) struct Commented {
    pub name: TextRange,
    pub equals: TextRange,
    pub value: (TokenKind, TextRange),
    /// A comment after the value.
    pub trailing: Option<TextRange>,
}

/// `commented = { "#" ~ ws? ~ name ~ ws? ~ equals ~ ws? ~ value ~ ws? ~ comment? ~ EOI }` over
/// the text of one comment.
pub(super) fn commented(comment: &str) -> Option<Commented> {
    let scan = Scan::new(comment);
    if scan.at(0) != Some(b'#') {
        return None;
    }
    let skip = |j: usize| scan.ws(j).unwrap_or(j);
    let n = skip(1);
    let (_, ne) = scan.name(n)?;
    let eq = skip(ne);
    if scan.at(eq) != Some(b'=') {
        return None;
    }
    let v = skip(eq + 1);
    let (kind, ve) = scan.value(v)?;
    let after = skip(ve);
    let trailing = scan.comment(after).map(|end| TextRange::new(after, end));
    let end = trailing.map_or(after, |t| t.end as usize);
    (end == comment.len()).then(|| Commented {
        name: TextRange::new(n, ne),
        equals: TextRange::new(eq, eq + 1),
        value: (kind, TextRange::new(v, ve)),
        trailing,
    })
}

/// `value` over a whole text: its kind when the text is exactly one value token.
pub(super) fn whole_value(text: &str) -> Option<TokenKind> {
    Scan::new(text).value(0).filter(|&(_, end)| end == text.len()).map(|(kind, _)| kind)
}

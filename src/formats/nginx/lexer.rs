//! The token stream of an nginx file, from either of two readers that must agree byte for
//! byte: the pest grammar (`grammar/nginx.pest`, the readable definition) and a hand-written
//! scanner that follows the same rules at memchr speed.
//!
//! pest spends a few nanoseconds on every combinator it enters (its native stack probe,
//! call tracking, stack snapshots for lookaheads), which caps it near 30 MB/s on nginx
//! files, where most bytes are short words and indentation. The scanner reads several
//! hundred MB/s. Tests run both over the corpus, the fixtures and random inputs and require
//! identical tokens, so the grammar stays the reference and the scanner stays honest.

use pest::Parser;

use super::grammar::{NginxGrammar, Rule};
use crate::source::TextRange;

/// What a raw token is; the same set as the grammar's visible rules.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum RawKind {
    Comment,
    BareWord,
    DqString,
    SqString,
    /// A quote never closed: to the end of the file.
    Unterminated,
    /// A `*_by_lua_block` directive name, quoted or not, at the start of a statement.
    LuaName,
    Semicolon,
    OpenBrace,
    CloseBrace,
    /// The code of a Lua block; holds the range of an opening long bracket (`[==[`) that is
    /// never closed, if any.
    LuaBody(Option<TextRange>),
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) struct RawToken {
    pub kind: RawKind,
    pub range: TextRange,
}

/// The tokens as the pest grammar reads them. `Err` only if pest itself gives up (the grammar
/// accepts every input, so this would be a bug or a resource limit of pest).
pub(super) fn pest_tokens(text: &str) -> Result<Vec<RawToken>, String> {
    let pairs = NginxGrammar::parse(Rule::file, text).map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    for pair in pairs {
        let span = pair.as_span();
        let range = TextRange::new(span.start(), span.end());
        let kind = match pair.as_rule() {
            Rule::comment => RawKind::Comment,
            Rule::bare_word => RawKind::BareWord,
            Rule::dq_string => RawKind::DqString,
            Rule::sq_string => RawKind::SqString,
            Rule::unterminated => RawKind::Unterminated,
            Rule::lua_name => RawKind::LuaName,
            Rule::semicolon => RawKind::Semicolon,
            Rule::open_brace => RawKind::OpenBrace,
            Rule::close_brace => RawKind::CloseBrace,
            Rule::lua_body => {
                let unclosed = pair.into_inner().find(|p| p.as_rule() == Rule::lua_unclosed_long).map(|p| {
                    let s = p.as_span();
                    let opener = s.as_str().bytes().skip(1).take_while(|&b| b == b'=').count() + 2;
                    TextRange::new(s.start(), s.start() + opener)
                });
                RawKind::LuaBody(unclosed)
            }
            _ => continue,
        };
        out.push(RawToken { kind, range });
    }
    Ok(out)
}

/// The hand-written scanner: the same tokens as [`pest_tokens`], as an iterator.
pub(super) struct Scanner<'a> {
    b: &'a [u8],
    pos: usize,
    /// The next word starts a statement (start of file, or after `;`, `{` or `}`).
    statement_start: bool,
    /// The statement being read is named `*_by_lua_block`.
    lua_statement: bool,
    /// A Lua body comes next (right after the `{` of a Lua statement).
    lua_body_next: bool,
}

impl<'a> Scanner<'a> {
    pub(super) fn new(text: &'a str) -> Self {
        Scanner { b: text.as_bytes(), pos: 0, statement_start: true, lua_statement: false, lua_body_next: false }
    }

    fn token(&mut self, kind: RawKind, start: usize) -> Option<RawToken> {
        Some(RawToken { kind, range: TextRange::new(start, self.pos) })
    }

    /// A quoted string from `self.pos` (at the quote): its kind and end.
    fn quoted(&mut self, q: u8) -> RawKind {
        let b = self.b;
        let mut i = self.pos + 1;
        loop {
            match memchr::memchr2(q, b'\\', &b[i..]) {
                None => {
                    self.pos = b.len();
                    return RawKind::Unterminated;
                }
                Some(off) => {
                    i += off;
                    if b[i] == q {
                        self.pos = i + 1;
                        return if q == b'"' { RawKind::DqString } else { RawKind::SqString };
                    }
                    // a backslash escapes the next character, which must exist
                    let Some(n) = char_len_at(b, i + 1) else {
                        self.pos = b.len();
                        return RawKind::Unterminated;
                    };
                    i += 1 + n;
                }
            }
        }
    }

    /// An unquoted word from `self.pos`, up to whitespace, `;` or `{`.
    fn bare(&mut self) {
        let b = self.b;
        let mut i = self.pos;
        // (the caller has seen that the first byte is none of `# ; { } " '`, which cannot
        // start a word but are ordinary inside one)
        while i < b.len() {
            match b[i] {
                b' ' | b'\t' | b'\r' | b'\n' | b';' | b'{' => break,
                b'\\' => i += 1 + char_len_at(b, i + 1).unwrap_or(0),
                b'$' => {
                    i += 1;
                    while i < b.len() && b[i] == b'{' {
                        i += 1;
                    }
                }
                _ => i += 1,
            }
        }
        self.pos = i;
    }

    /// Whether a word names a `*_by_lua_block` directive (the grammar's `lua_name`).
    fn is_lua_name(&self, kind: RawKind, start: usize, end: usize) -> bool {
        let ident = match kind {
            RawKind::BareWord => &self.b[start..end],
            RawKind::DqString | RawKind::SqString => &self.b[start + 1..end - 1],
            _ => return false,
        };
        const SUFFIX: &[u8] = b"_by_lua_block";
        ident.len() > SUFFIX.len() && ident.ends_with(SUFFIX) && ident.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'_')
    }

    /// The Lua code after a Lua block's `{`, up to (not including) the `}` that closes it.
    fn lua_body(&mut self) -> RawKind {
        let b = self.b;
        let mut i = self.pos;
        let mut depth = 0usize;
        while i < b.len() {
            match b[i] {
                b'-' if b.get(i + 1) == Some(&b'-') => {
                    if let Some(open) = long_bracket_open(b, i + 2) {
                        match long_bracket_close(b, i + 2, open) {
                            Some(end) => i = end,
                            None => {
                                self.pos = b.len();
                                return RawKind::LuaBody(Some(TextRange::new(i + 2, i + 2 + open)));
                            }
                        }
                    } else {
                        i += 2 + memchr::memchr(b'\n', &b[i + 2..]).unwrap_or(b.len() - i - 2);
                    }
                }
                b'[' => match long_bracket_open(b, i) {
                    Some(open) => match long_bracket_close(b, i, open) {
                        Some(end) => i = end,
                        None => {
                            self.pos = b.len();
                            return RawKind::LuaBody(Some(TextRange::new(i, i + open)));
                        }
                    },
                    None => i += 1,
                },
                q @ (b'"' | b'\'') => i = lua_short_string(b, i, q).unwrap_or(i + 1),
                b'{' => {
                    depth += 1;
                    i += 1;
                }
                b'}' => {
                    if depth == 0 {
                        break;
                    }
                    depth -= 1;
                    i += 1;
                }
                _ => i += 1,
            }
        }
        self.pos = i;
        RawKind::LuaBody(None)
    }
}

impl Iterator for Scanner<'_> {
    type Item = RawToken;

    fn next(&mut self) -> Option<RawToken> {
        let b = self.b;
        if self.lua_body_next {
            self.lua_body_next = false;
            self.lua_statement = false;
            let start = self.pos;
            let kind = self.lua_body();
            // the closing `}` (if any) ends the statement; the next word starts one
            self.statement_start = true;
            return self.token(kind, start);
        }
        while self.pos < b.len() && matches!(b[self.pos], b' ' | b'\t' | b'\r' | b'\n') {
            self.pos += 1;
        }
        let start = self.pos;
        let c = *b.get(start)?;
        match c {
            b'#' => {
                self.pos = memchr::memchr(b'\n', &b[start..]).map(|i| start + i).unwrap_or(b.len());
                self.token(RawKind::Comment, start)
            }
            b';' | b'{' | b'}' => {
                self.pos += 1;
                let kind = match c {
                    b';' => RawKind::Semicolon,
                    b'{' => RawKind::OpenBrace,
                    _ => RawKind::CloseBrace,
                };
                if c == b'{' && self.lua_statement {
                    self.lua_body_next = true;
                }
                self.lua_statement = false;
                self.statement_start = true;
                self.token(kind, start)
            }
            _ => {
                let mut kind = match c {
                    b'"' | b'\'' => self.quoted(c),
                    _ => {
                        self.bare();
                        RawKind::BareWord
                    }
                };
                if self.statement_start {
                    self.statement_start = false;
                    if self.is_lua_name(kind, start, self.pos) && self.lua_head_ends_with_brace() {
                        kind = RawKind::LuaName;
                        self.lua_statement = true;
                    }
                }
                self.token(kind, start)
            }
        }
    }
}

impl Scanner<'_> {
    /// Whether the statement whose name was just read reaches a `{` (the grammar's
    /// `lua_directive` then applies; if a `;`, `}` or the end of the file comes first, its
    /// name is an ordinary word). Reads ahead without moving.
    fn lua_head_ends_with_brace(&self) -> bool {
        let mut ahead = Scanner { b: self.b, pos: self.pos, statement_start: false, lua_statement: false, lua_body_next: false };
        for t in ahead.by_ref() {
            match t.kind {
                RawKind::OpenBrace => return true,
                RawKind::Semicolon | RawKind::CloseBrace => return false,
                _ => {}
            }
        }
        false
    }
}

/// Length of the UTF-8 character starting at `i` (1 for any byte that does not start a
/// multi-byte sequence), or `None` at the end.
fn char_len_at(b: &[u8], i: usize) -> Option<usize> {
    let c = *b.get(i)?;
    let n = match c {
        0xF0..=0xF7 => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
    };
    Some(n.min(b.len() - i))
}

/// `[`, any number of `=`, `[` at `i`: the opener's length.
fn long_bracket_open(b: &[u8], i: usize) -> Option<usize> {
    if b.get(i) != Some(&b'[') {
        return None;
    }
    let eqs = b[i + 1..].iter().take_while(|&&c| c == b'=').count();
    (b.get(i + 1 + eqs) == Some(&b'[')).then_some(eqs + 2)
}

/// The end of the long bracket opened at `i` (opener of length `open`), past its `]=*]`.
fn long_bracket_close(b: &[u8], i: usize, open: usize) -> Option<usize> {
    let eqs = open - 2;
    let mut j = i + open;
    while let Some(off) = memchr::memchr(b']', &b[j..]) {
        let k = j + off;
        let after = &b[k + 1..];
        if after.len() > eqs && after[..eqs].iter().all(|&c| c == b'=') && after[eqs] == b']' {
            return Some(k + eqs + 2);
        }
        j = k + 1;
    }
    None
}

/// A one-line Lua string at `i` (quote `q`): its end, or `None` if it is not closed on its line.
fn lua_short_string(b: &[u8], i: usize, q: u8) -> Option<usize> {
    let mut j = i + 1;
    while j < b.len() {
        match b[j] {
            b'\n' => return None,
            b'\\' => {
                if b.get(j + 1).is_none_or(|&c| c == b'\n') {
                    return None;
                }
                j += 1 + char_len_at(b, j + 1).unwrap_or(1);
            }
            c if c == q => return Some(j + 1),
            _ => j += 1,
        }
    }
    None
}

//! The reference reader: `grammar/postgresql.pest` run by pest and assembled into the same
//! tree as [`PgConf::parse`] builds from the hand-written scanner. Tests only: the two must
//! agree on every input (syntax_tests.rs).

use pest::Parser;
use pest::iterators::Pair;
use pest_derive::Parser;

use super::*;

#[derive(Parser)]
#[grammar = "grammar/postgresql.pest"]
pub(crate) struct ConfParser;

/// [`PgConf::parse`], by the grammar.
pub(crate) fn parse(source: &SourceFile) -> PgConf {
    let text = lex_text(source);
    let mut conf = match ConfParser::parse(Rule::file, &text) {
        Ok(mut pairs) => {
            let mut b = Builder { source, text: &text, lines: Vec::new() };
            if let Some(file) = pairs.next() {
                b.file(file);
            }
            PgConf { lines: b.lines, errors: Vec::new(), read_lines: 0 }
        }
        Err(e) => fallback(source, &e.to_string()),
    };
    conf.read_lines = conf.lines.len();
    conf.find_errors(source);
    conf
}

/// [`is_bare_value`], by the grammar.
pub(crate) fn is_bare_value(value: &str) -> bool {
    if value.bytes().any(|b| b == PLACEHOLDER) {
        return false;
    }
    match ConfParser::parse(Rule::value, value).map(|mut p| p.next()) {
        Ok(Some(pair)) => {
            pair.as_span().end() == value.len() && pair.into_inner().next().is_some_and(|t| t.as_rule() != Rule::string)
        }
        _ => false,
    }
}

/// One error token per line, should the grammar ever refuse an input.
fn fallback(source: &SourceFile, why: &str) -> PgConf {
    let mut lines = Vec::new();
    let mut start = 0;
    let text = source.text.as_bytes();
    let mut number = 1;
    while start <= text.len() {
        let end = text[start..].iter().position(|&b| b == b'\n').map(|p| start + p);
        let content_end = end.unwrap_or(text.len());
        if end.is_none() && content_end == start {
            break;
        }
        let range = TextRange::new(start, content_end);
        let tokens = if range.is_empty() { Vec::new() } else { vec![Token { kind: TokenKind::Error, range }] };
        lines.push(Line {
            number,
            range,
            newline: end.map(|e| TextRange::new(e, e + 1)),
            tokens,
            kind: if range.is_empty() { LineKind::Blank } else { LineKind::Invalid },
        });
        number += 1;
        match end {
            Some(e) => start = e + 1,
            None => break,
        }
    }
    let mut conf = PgConf { lines, errors: Vec::new(), read_lines: 0 };
    conf.errors.push(SyntaxError::new(TextRange::empty(0), format!("could not tokenise the file: {why}")));
    conf
}

struct Builder<'a> {
    source: &'a SourceFile,
    text: &'a str,
    lines: Vec<Line>,
}

impl Builder<'_> {
    fn file(&mut self, file: Pair<'_, Rule>) {
        for pair in file.into_inner() {
            match pair.as_rule() {
                Rule::line => {
                    let line = self.line(pair, self.lines.len() as u32 + 1);
                    self.lines.push(line);
                }
                Rule::newline => {
                    if let Some(last) = self.lines.last_mut() {
                        last.newline = Some(range_of(&pair));
                    }
                }
                _ => {}
            }
        }
    }

    fn line(&self, pair: Pair<'_, Rule>, number: u32) -> Line {
        let range = range_of(&pair);
        let mut tokens = Vec::new();
        let mut kind = LineKind::Blank;
        let mut setting = None;
        for part in pair.into_inner() {
            match part.as_rule() {
                Rule::setting => setting = Some(self.setting(part, &mut tokens)),
                Rule::junk => {
                    kind = LineKind::Invalid;
                    for t in part.into_inner() {
                        tokens.push(token(&t));
                    }
                }
                Rule::comment => {
                    if matches!(kind, LineKind::Blank) && setting.is_none() {
                        kind = self.comment_line(&part);
                    }
                    tokens.push(token(&part));
                }
                _ => tokens.push(token(&part)),
            }
        }
        let content = trim_cr(self.text, range);
        if let Some((name, equals, value)) = setting {
            let comment = tokens.iter().rev().find(|t| t.kind == TokenKind::Comment).map(|t| t.range);
            kind = LineKind::Setting(Setting { name, equals, value, comment, line: number, line_range: content });
        }
        if let LineKind::Commented(c) = &mut kind {
            c.setting.line = number;
            c.setting.line_range = content;
        }
        Line { number, range, newline: None, tokens, kind }
    }

    fn setting(&self, pair: Pair<'_, Rule>, tokens: &mut Vec<Token>) -> (Name, Option<TextRange>, Value) {
        let mut name = None;
        let mut equals = None;
        let mut value = None;
        for part in pair.into_inner() {
            match part.as_rule() {
                Rule::name => {
                    let range = range_of(&part);
                    if let Some(inner) = part.into_inner().next() {
                        tokens.push(token(&inner));
                    }
                    let text = self.lossy(range);
                    let key = params::canonical_key(&text);
                    name = Some(Name { range, text, key });
                }
                Rule::value => {
                    if let Some(inner) = part.into_inner().next() {
                        let t = token(&inner);
                        tokens.push(t);
                        value = Some(self.value(t));
                    }
                }
                Rule::equals => {
                    equals = Some(range_of(&part));
                    tokens.push(token(&part));
                }
                _ => tokens.push(token(&part)),
            }
        }
        let empty = TextRange::default();
        (
            name.unwrap_or(Name { range: empty, text: String::new(), key: String::new() }),
            equals,
            value.unwrap_or(Value { range: empty, kind: TokenKind::Error, text: String::new() }),
        )
    }

    fn value(&self, t: Token) -> Value {
        let text = if t.kind == TokenKind::String {
            String::from_utf8_lossy(&deescape(&self.source.bytes[t.range.range()])).into_owned()
        } else {
            self.lossy(t.range)
        };
        Value { range: t.range, kind: t.kind, text }
    }

    /// A comment line is a commented-out setting when the comment, read as a line, is one with
    /// an explicit `=` (`#work_mem = 4MB`, `#  include_dir = 'conf.d'`).
    fn comment_line(&self, comment: &Pair<'_, Rule>) -> LineKind {
        let range = range_of(comment);
        let Ok(mut pairs) = ConfParser::parse(Rule::commented, &self.text[range.range()]) else {
            return LineKind::Comment;
        };
        let Some(pair) = pairs.next() else {
            return LineKind::Comment;
        };
        let base = range.start;
        let shift = |r: TextRange| TextRange { start: r.start + base, end: r.end + base };
        // The `#` that opens the comment is the one that comments the setting out.
        let hash = TextRange { start: base, end: base + 1 };
        let mut name = None;
        let mut equals = None;
        let mut value = None;
        let mut trailing = None;
        for part in pair.into_inner() {
            let r = shift(range_of(&part));
            match part.as_rule() {
                Rule::name => {
                    let text = self.lossy(r);
                    let key = params::canonical_key(&text);
                    name = Some(Name { range: r, text, key });
                }
                Rule::equals => equals = Some(r),
                Rule::value => {
                    let kind = part.into_inner().next().map(|t| kind_of(t.as_rule())).unwrap_or(TokenKind::Error);
                    value = Some(self.value(Token { kind, range: r }));
                }
                Rule::comment => trailing = Some(r),
                _ => {}
            }
        }
        match (name, equals, value) {
            (Some(name), Some(eq), Some(value)) => LineKind::Commented(CommentedSetting {
                hash,
                setting: Setting { name, equals: Some(eq), value, comment: trailing, line: 0, line_range: TextRange::default() },
            }),
            _ => LineKind::Comment,
        }
    }

    fn lossy(&self, range: TextRange) -> String {
        String::from_utf8_lossy(&self.source.bytes[range.range()]).into_owned()
    }
}

fn range_of(pair: &Pair<'_, Rule>) -> TextRange {
    let s = pair.as_span();
    TextRange::new(s.start(), s.end())
}

fn kind_of(rule: Rule) -> TokenKind {
    match rule {
        Rule::ws => TokenKind::Whitespace,
        Rule::comment => TokenKind::Comment,
        Rule::equals => TokenKind::Equals,
        Rule::id => TokenKind::Identifier,
        Rule::qualified_id => TokenKind::QualifiedIdentifier,
        Rule::unquoted_string => TokenKind::UnquotedString,
        Rule::integer => TokenKind::Integer,
        Rule::real => TokenKind::Real,
        Rule::string => TokenKind::String,
        // error_char, lone_quote
        _ => TokenKind::Error,
    }
}

fn token(pair: &Pair<'_, Rule>) -> Token {
    Token { kind: kind_of(pair.as_rule()), range: range_of(pair) }
}

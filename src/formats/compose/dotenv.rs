//! `.env` files as compose-go's `dotenv` package reads them (used for the project `.env`
//! and for `env_file`).
//!
//! Rules (compose-go `dotenv/parser.go`): a UTF-8 BOM is skipped; blank lines and lines
//! starting with `#` are skipped; `export ` before a key is dropped; the key ends at `=` or
//! `:` (letters, digits, `_ . - [ ]`, spaces around it trimmed, a space inside is an error);
//! a key alone on its line (`KEY`) takes the value from the process environment, or is
//! skipped; an unquoted value runs to the end of the line, is cut at the first ` #` and
//! right-trimmed, then interpolated; a `'…'` value is literal and may span lines; a `"…"`
//! value may span lines, understands `\n`, `\t`, `\"`, `\\`, `\$`… and is interpolated.
//! Interpolation sees the process environment first, then the variables defined above.

use crate::formats::SyntaxError;
use crate::source::TextRange;

use super::interpolate::{self, Interpolation};

/// One `KEY=value` statement.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DotEnvVar {
    pub key: String,
    pub key_range: TextRange,
    pub value: String,
    /// The value as written: with its quotes, without a trailing comment. For a bare
    /// `KEY` line (value from the process environment) it is the key's range.
    pub value_range: TextRange,
    /// `'` or `"` if the value is quoted.
    pub quote: Option<char>,
    /// `KEY` alone: the value was taken from the process environment.
    pub inherited: bool,
    pub interpolations: Vec<Interpolation>,
}

/// A parsed `.env` file; on the first error compose stops reading, and so do we.
#[derive(Clone, Debug, Default)]
pub struct DotEnv {
    pub vars: Vec<DotEnvVar>,
    pub errors: Vec<SyntaxError>,
}

impl DotEnv {
    /// The last value given to `key`.
    pub fn get(&self, key: &str) -> Option<&DotEnvVar> {
        self.vars.iter().rev().find(|v| v.key == key)
    }
}

/// Go's `unicode.IsSpace`.
fn go_is_space(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\u{0b}' | '\u{0c}' | '\r' | ' ' | '\u{85}' | '\u{a0}') || (c as u32 > 0xff && c.is_whitespace())
}

/// compose-go's own `isSpace`: like Go's but without `\n`.
fn dotenv_is_space(c: char) -> bool {
    matches!(c, '\t' | '\u{0b}' | '\u{0c}' | '\r' | ' ' | '\u{85}' | '\u{a0}')
}

/// Parses a `.env` text; `lookup` is the process environment.
pub fn parse(text: &str, lookup: &dyn Fn(&str) -> Option<String>) -> DotEnv {
    let mut out = DotEnv::default();
    let mut pos = if text.starts_with('\u{feff}') { 3 } else { 0 };
    loop {
        // getStatementStart: skip spaces and whole comment lines
        loop {
            match text[pos..].char_indices().find(|&(_, c)| !go_is_space(c)) {
                None => return out,
                Some((i, c)) => {
                    pos += i;
                    if c == '#' {
                        match text[pos..].find('\n') {
                            Some(n) => pos += n,
                            None => return out,
                        }
                    } else {
                        break;
                    }
                }
            }
        }
        // locateKeyName
        let line_start = pos;
        let rest = &text[pos..];
        if let Some(after) = rest.strip_prefix("export")
            && after.starts_with(|c: char| go_is_space(c))
        {
            pos += 6;
            pos += text[pos..].len() - text[pos..].trim_start_matches(dotenv_is_space).len();
        }
        let key_start = pos;
        let mut key_end = None;
        let mut inherited = false;
        for (i, c) in text[key_start..].char_indices() {
            if dotenv_is_space(c) {
                continue;
            }
            match c {
                '=' | ':' | '\n' => {
                    key_end = Some(key_start + i);
                    inherited = c == '\n';
                    break;
                }
                '_' | '.' | '-' | '[' | ']' => {}
                c if c.is_alphanumeric() => {}
                c => {
                    let at = key_start + i;
                    let line = text[line_start..].lines().next().unwrap_or("");
                    out.errors.push(SyntaxError::new(
                        TextRange::new(at, at + c.len_utf8()),
                        format!("unexpected character {c:?} in variable name {line:?}"),
                    ));
                    return out;
                }
            }
        }
        // A key at the end of the file without `=` or newline: compose-go then reads the
        // whole remainder as the value of an empty key; nothing uses it, we stop.
        let Some(key_end) = key_end else { return out };
        let key_raw = &text[key_start..key_end];
        let key = key_raw.trim_end_matches(go_is_space);
        let key_range = TextRange::new(key_start, key_start + key.len());
        if key.contains(' ') {
            out.errors.push(SyntaxError::new(key_range, "key cannot contain a space"));
            return out;
        }
        let mut vpos = key_end + 1;
        if inherited {
            if let Some(value) = lookup(key) {
                out.vars.push(DotEnvVar {
                    key: key.to_string(),
                    key_range,
                    value,
                    value_range: key_range,
                    quote: None,
                    inherited: true,
                    interpolations: Vec::new(),
                });
            }
            pos = vpos;
            continue;
        }
        vpos += text[vpos..].len() - text[vpos..].trim_start_matches(dotenv_is_space).len();
        let env_lookup = |k: &str| -> Option<String> { lookup(k).or_else(|| out.get(k).map(|v| v.value.clone())) };
        let first = text[vpos..].chars().next();
        match first {
            Some(q @ ('\'' | '"')) => {
                let b = text.as_bytes();
                let mut chars: Vec<u8> = Vec::new();
                let mut escape = false;
                let mut i = vpos + 1;
                let mut closed = None;
                while i < b.len() {
                    let c = b[i];
                    if c != q as u8 {
                        if !escape && c == b'\\' {
                            escape = true;
                        } else {
                            if escape {
                                escape = false;
                                chars.push(b'\\');
                            }
                            chars.push(c);
                        }
                    } else if escape {
                        escape = false;
                        chars.push(c);
                    } else {
                        closed = Some(i);
                        break;
                    }
                    i += 1;
                }
                let Some(close) = closed else {
                    let end = text[vpos..].find('\n').map(|n| vpos + n).unwrap_or(text.len());
                    out.errors.push(SyntaxError::new(
                        TextRange::new(vpos, end),
                        format!("unterminated quoted value {}", &text[vpos..end]),
                    ));
                    return out;
                };
                let raw = String::from_utf8_lossy(&chars).into_owned();
                let value_range = TextRange::new(vpos, close + 1);
                let (value, interpolations) = if q == '"' {
                    match interpolate::interpolate(&expand_escapes(&raw), &env_lookup) {
                        Ok(r) => (r.value, r.records),
                        Err(e) => {
                            out.errors.push(SyntaxError::new(value_range, e.message));
                            return out;
                        }
                    }
                } else {
                    (raw, Vec::new())
                };
                out.vars.push(DotEnvVar {
                    key: key.to_string(),
                    key_range,
                    value,
                    value_range,
                    quote: Some(q),
                    inherited: false,
                    interpolations,
                });
                pos = close + 1;
            }
            _ => {
                let line_end = text[vpos..].find('\n').map(|n| vpos + n).unwrap_or(text.len());
                let mut raw = &text[vpos..line_end];
                if let Some(c) = raw.find(" #") {
                    raw = &raw[..c];
                }
                let raw = raw.trim_end_matches(go_is_space);
                let value_range = TextRange::new(vpos, vpos + raw.len());
                let (value, interpolations) = match interpolate::interpolate(raw, &env_lookup) {
                    Ok(r) => (r.value, r.records),
                    Err(e) => {
                        out.errors.push(SyntaxError::new(value_range, e.message));
                        return out;
                    }
                };
                out.vars.push(DotEnvVar {
                    key: key.to_string(),
                    key_range,
                    value,
                    value_range,
                    quote: None,
                    inherited: false,
                    interpolations,
                });
                pos = (line_end + 1).min(text.len());
            }
        }
    }
}

/// compose-go's `expandEscapes`: `\a \b \c \f \n \r \t \v \" \\`, `\$` (kept as `$$` so
/// interpolation makes it a literal `$`) and `\0NNN` octal.
fn expand_escapes(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut it = s.char_indices().peekable();
    while let Some((_, c)) = it.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match it.peek().map(|&(_, n)| n) {
            Some('$') => {
                it.next();
                out.push_str("$$");
            }
            Some('0') => {
                it.next();
                let mut digits = String::new();
                while digits.len() < 3 {
                    match it.peek() {
                        Some(&(_, d)) if d.is_ascii_digit() => {
                            digits.push(d);
                            it.next();
                        }
                        _ => break,
                    }
                }
                // `\0NNN` is read as the Go escape `\NNN` (octal, exactly 3 digits).
                match u32::from_str_radix(&digits, 8).ok().filter(|_| digits.len() == 3).and_then(char::from_u32) {
                    Some(ch) if ch as u32 <= 0xff => out.push(ch),
                    _ => {
                        out.push_str("\\0");
                        out.push_str(&digits);
                    }
                }
            }
            Some(n @ ('a' | 'b' | 'c' | 'f' | 'n' | 'r' | 't' | 'v' | '"' | '\\')) => {
                it.next();
                match n {
                    'a' => out.push('\u{07}'),
                    'b' => out.push('\u{08}'),
                    'f' => out.push('\u{0c}'),
                    'n' => out.push('\n'),
                    'r' => out.push('\r'),
                    't' => out.push('\t'),
                    'v' => out.push('\u{0b}'),
                    '"' => out.push('"'),
                    '\\' => out.push('\\'),
                    // `\c` is not a Go escape: UnquoteChar fails and the text stays.
                    _ => out.push_str("\\c"),
                }
            }
            _ => out.push('\\'),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_env(_: &str) -> Option<String> {
        None
    }

    fn values(d: &DotEnv) -> Vec<(&str, &str)> {
        d.vars.iter().map(|v| (v.key.as_str(), v.value.as_str())).collect()
    }

    #[test]
    fn basics() {
        let src = "\u{feff}# comment\nA=1\nexport B = two words  # trailing\nC: colon\n\n  D=  spaced\nE=x#not-a-comment\n";
        let d = parse(src, &no_env);
        assert!(d.errors.is_empty(), "{:?}", d.errors);
        assert_eq!(values(&d), vec![("A", "1"), ("B", "two words"), ("C", "colon"), ("D", "spaced"), ("E", "x#not-a-comment")]);
        let b = d.get("B").unwrap();
        assert_eq!(b.key_range.of(src), "B");
        assert_eq!(b.value_range.of(src), "two words");
    }

    #[test]
    fn quotes() {
        let src = "A='lit $X \\n'\nB=\"esc\\n\\\"q\\\" \\$X\"\nC=\"multi\nline\" # c\nJ=\\$X\nK=\"\\c\\0101\"\nD='it''s'\n";
        let d = parse(src, &|k| (k == "X").then(|| "x".to_string()));
        assert_eq!(d.get("A").unwrap().value, "lit $X \\n");
        assert_eq!(d.get("B").unwrap().value, "esc\n\"q\" $X");
        assert_eq!(d.get("C").unwrap().value, "multi\nline");
        assert_eq!(d.get("C").unwrap().value_range.of(src), "\"multi\nline\"");
        assert_eq!(d.get("J").unwrap().value, "\\x");
        assert_eq!(d.get("K").unwrap().value, "\\cA");
        // 'it' then a new statement "'s'", which is not a valid key (compose: same error)
        assert_eq!(d.get("D").unwrap().value, "it");
        assert_eq!(d.errors[0].message, "unexpected character '\\'' in variable name \"'s'\"");
    }

    #[test]
    fn interpolation_sees_env_then_earlier_vars() {
        let src = "A=a\nB=${A}-${X:-dx}\nX=late\nC=$X\n";
        let d = parse(src, &no_env);
        assert_eq!(values(&d), vec![("A", "a"), ("B", "a-dx"), ("X", "late"), ("C", "late")]);
        let d = parse("A=file\nB=$A\n", &|k| (k == "A").then(|| "env".to_string()));
        assert_eq!(d.get("B").unwrap().value, "env");
    }

    #[test]
    fn inherited_keys() {
        let d = parse("HOME\nMISSING\nA=1\n", &|k| (k == "HOME").then(|| "/root".to_string()));
        assert_eq!(values(&d), vec![("HOME", "/root"), ("A", "1")]);
        assert!(d.vars[0].inherited);
    }

    #[test]
    fn errors() {
        let d = parse("A=1\nB C=2\n", &no_env);
        assert_eq!(d.errors[0].message, "key cannot contain a space");
        let d = parse("A=1\nB$=2\n", &no_env);
        assert_eq!(d.errors[0].range, TextRange::new(5, 6));
        let d = parse("A=\"open\n", &no_env);
        assert!(d.errors[0].message.starts_with("unterminated quoted value"));
        let d = parse("A=${B\n", &no_env);
        assert_eq!(d.errors.len(), 1);
    }

    #[test]
    fn crlf() {
        let d = parse("A=1\r\nB='x'\r\n", &no_env);
        assert_eq!(values(&d), vec![("A", "1"), ("B", "x")]);
    }
}

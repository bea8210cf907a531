//! Command lines (`ExecStart=` and the other `Exec*=` keys) and environment settings, split into
//! words the way systemd splits them.
//!
//! * Words: `extract_first_word(…, EXTRACT_UNQUOTE|EXTRACT_CUNESCAPE)` (src/basic/extract-word.c):
//!   whitespace separates words; `"…"` and `'…'` group (and may sit inside a word:
//!   `a"b c"d` is `ab cd`); backslash escapes are C escapes (`\n`, `\t`, `\s` = space, `\xNN`,
//!   `\uNNNN`, `\UNNNNNNNN`, `\NNN` octal, `\\`, `\"`, `\'`). An unknown escape such as `\ ` or
//!   `\$` is kept as written, with a warning (`extract_first_word_and_warn` retries with
//!   `EXTRACT_UNESCAPE_RELAX`); an unbalanced quote makes systemd ignore the line.
//! * `ExecStart=` (`config_parse_exec`, src/core/load-fragment.c): the first word may start with
//!   the prefixes `-` `@` `:` `+` `!` `!!`, each at most once; `@` means the next word is
//!   `argv[0]`. A word `;` separates commands, `\;` is a literal `;`. Specifiers `%x` are resolved
//!   by systemd (`%%` is `%`); we resolve `%%` and record the others. `$VAR` and `${VAR}` are
//!   expanded by systemd when the command runs (unless the `:` prefix is used): we record them.
//!   An empty value resets the list of commands.
//! * `Environment=` (`config_parse_environ`): words as above, but without the retry, so an
//!   unknown escape stops the line there ("Invalid syntax"); each word must be `NAME=value` with
//!   NAME made of letters, digits and `_`, not starting with a digit; a later assignment of a
//!   name replaces the earlier one where it stands; an empty value resets the list.
//! * `EnvironmentFile=` (`config_parse_unit_env_file`): one absolute path per line, `-` prefix
//!   for "ignore if missing"; no word splitting.
//!
//! Every word keeps the file range of its source text (quotes included) and, for each byte of
//! its value, the offset it came from, so a fix can replace exactly one option's value.

use crate::formats::SyntaxError;
use crate::formats::systemd::Value;
use crate::source::TextRange;

/// One word of a command line or environment setting.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Word {
    /// The word as systemd passes it on: quotes removed, escapes decoded, `%%` made `%`.
    pub text: String,
    /// The file range of the source text of the word, quotes included.
    pub range: TextRange,
    /// For each byte of `text`, the file offset of the source byte it came from.
    offsets: Vec<u32>,
    /// The word used quotes.
    pub quoted: bool,
    /// Specifiers other than `%%` (`%n`, `%i`…), with their ranges: systemd replaces them.
    pub specifiers: Vec<(char, TextRange)>,
}

impl Word {
    /// The file range of bytes `start..end` of [`Word::text`].
    pub fn span(&self, start: usize, end: usize) -> TextRange {
        if start >= end || end > self.offsets.len() {
            let at = self.offsets.get(start).copied().unwrap_or(self.range.end);
            return TextRange { start: at, end: at };
        }
        TextRange { start: self.offsets[start], end: self.offsets[end - 1] + 1 }
    }

    /// `$VAR` / `${VAR}` references systemd expands when the command runs (`$$` is a `$`).
    pub fn env_refs(&self) -> Vec<EnvRef> {
        let b = self.text.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < b.len() {
            if b[i] != b'$' {
                i += 1;
                continue;
            }
            if b.get(i + 1) == Some(&b'$') {
                i += 2;
                continue;
            }
            if b.get(i + 1) == Some(&b'{') {
                if let Some(close) = self.text[i + 2..].find('}') {
                    let name = &self.text[i + 2..i + 2 + close];
                    out.push(EnvRef {
                        name: name.to_string(),
                        braced: true,
                        whole_word: i == 0 && i + 3 + close == b.len(),
                        range: self.span(i, i + 3 + close),
                    });
                    i += 3 + close;
                    continue;
                }
            } else {
                let n = b[i + 1..].iter().take_while(|c| c.is_ascii_alphanumeric() || **c == b'_').count();
                if n > 0 {
                    out.push(EnvRef {
                        name: self.text[i + 1..i + 1 + n].to_string(),
                        braced: false,
                        whole_word: i == 0 && i + 1 + n == b.len(),
                        range: self.span(i, i + 1 + n),
                    });
                    i += 1 + n;
                    continue;
                }
            }
            i += 1;
        }
        out
    }
}

/// An environment variable reference in a command word.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnvRef {
    pub name: String,
    /// `${NAME}` (substituted inside the word) rather than `$NAME` (a whole word `$NAME` is
    /// split into several words on whitespace).
    pub braced: bool,
    pub whole_word: bool,
    pub range: TextRange,
}

enum Extract {
    Word(Word),
    End,
    /// Unbalanced quotes (or an escape systemd refuses).
    Invalid,
}

/// `cunescape_one()`: the decoded bytes and the number of source bytes after the backslash.
fn cunescape_one(b: &[u8]) -> Option<(Vec<u8>, usize)> {
    let hex = |c: u8| (c as char).to_digit(16);
    let c = *b.first()?;
    let simple = match c {
        b'a' => Some(7u8),
        b'b' => Some(8),
        b'f' => Some(12),
        b'n' => Some(b'\n'),
        b'r' => Some(b'\r'),
        b't' => Some(b'\t'),
        b'v' => Some(11),
        b'\\' => Some(b'\\'),
        b'"' => Some(b'"'),
        b'\'' => Some(b'\''),
        b's' => Some(b' '),
        _ => None,
    };
    if let Some(v) = simple {
        return Some((vec![v], 1));
    }
    match c {
        b'x' => {
            let a = hex(*b.get(1)?)?;
            let d = hex(*b.get(2)?)?;
            let v = (a << 4 | d) as u8;
            if v == 0 {
                return None;
            }
            Some((vec![v], 3))
        }
        b'u' | b'U' => {
            let n = if c == b'u' { 4 } else { 8 };
            let mut v: u32 = 0;
            for k in 1..=n {
                v = v.checked_mul(16)? + hex(*b.get(k)?)?;
            }
            let ch = char::from_u32(v).filter(|_| v != 0)?;
            Some((ch.to_string().into_bytes(), n + 1))
        }
        b'0'..=b'7' => {
            let o = |k: usize| b.get(k).filter(|c| (b'0'..=b'7').contains(*c)).map(|c| u32::from(c - b'0'));
            let v = o(0)? << 6 | o(1)? << 3 | o(2)?;
            if v == 0 || v > 255 {
                return None;
            }
            Some((vec![v as u8], 3))
        }
        _ => None,
    }
}

/// systemd's `extract_first_word()` with `EXTRACT_UNQUOTE|EXTRACT_CUNESCAPE` on `v.text` from
/// `*pos`, optionally with `EXTRACT_UNESCAPE_RELAX`. Unknown escapes are reported in `relaxed`.
fn extract_word(v: &Value, pos: &mut usize, relax: bool, relaxed: &mut bool) -> Extract {
    let b = v.text.as_bytes();
    let mut i = *pos;
    while i < b.len() && matches!(b[i], b' ' | b'\t' | b'\n' | b'\r') {
        i += 1;
    }
    if i >= b.len() {
        *pos = i;
        return Extract::End;
    }
    let start = i;
    let mut out: Vec<u8> = Vec::new();
    let mut offs: Vec<u32> = Vec::new();
    let mut quote: Option<u8> = None;
    let mut quoted = false;
    while i < b.len() {
        let c = b[i];
        if c == b'\\' {
            if i + 1 >= b.len() {
                // trailing backslash: kept in relax mode outside quotes
                if relax && quote.is_none() {
                    out.push(b'\\');
                    offs.push(v.offset(i) as u32);
                    i += 1;
                    break;
                }
                return Extract::Invalid;
            }
            match cunescape_one(&b[i + 1..]) {
                Some((bytes, n)) => {
                    for x in bytes {
                        out.push(x);
                        offs.push(v.offset(i) as u32);
                    }
                    i += 1 + n;
                }
                None if relax => {
                    *relaxed = true;
                    out.push(b'\\');
                    offs.push(v.offset(i) as u32);
                    // the escaped byte (a whole UTF-8 character)
                    let len = v.text[i + 1..].chars().next().map(|ch| ch.len_utf8()).unwrap_or(1);
                    for k in 0..len {
                        out.push(b[i + 1 + k]);
                        offs.push(v.offset(i + 1 + k) as u32);
                    }
                    i += 1 + len;
                }
                None => return Extract::Invalid,
            }
            continue;
        }
        match quote {
            Some(q) if c == q => {
                quote = None;
                i += 1;
            }
            Some(_) => {
                out.push(c);
                offs.push(v.offset(i) as u32);
                i += 1;
            }
            None if c == b'"' || c == b'\'' => {
                quote = Some(c);
                quoted = true;
                i += 1;
            }
            None if matches!(c, b' ' | b'\t' | b'\n' | b'\r') => break,
            None => {
                out.push(c);
                offs.push(v.offset(i) as u32);
                i += 1;
            }
        }
    }
    if quote.is_some() {
        return Extract::Invalid;
    }
    let end = i;
    *pos = i;
    let (text, offsets) = text_with_offsets(&out, &offs);
    Extract::Word(Word { text, range: v.span(start..end), offsets, quoted, specifiers: Vec::new() })
}

/// `bytes` as text, with the offset of each byte of that text: an invalid UTF-8 sequence (an
/// escape such as `\x92` makes one) becomes U+FFFD, whose three bytes all stand where the
/// sequence began, so that the text and its offsets stay the same length.
fn text_with_offsets(bytes: &[u8], offs: &[u32]) -> (String, Vec<u32>) {
    let mut text = String::with_capacity(bytes.len());
    let mut out = Vec::with_capacity(offs.len());
    let mut at = 0;
    for chunk in bytes.utf8_chunks() {
        let valid = chunk.valid();
        text.push_str(valid);
        out.extend_from_slice(&offs[at..at + valid.len()]);
        at += valid.len();
        if !chunk.invalid().is_empty() {
            text.push(char::REPLACEMENT_CHARACTER);
            let o = offs[at];
            out.extend([o, o, o]);
            at += chunk.invalid().len();
        }
    }
    (text, out)
}

/// Known specifier letters (systemd.unit(5) "Specifiers").
const SPECIFIERS: &str = "aAbBCdEfgGhHiIjJlLmMnNopPqsStTuUvVwWyY";

/// Resolves `%%` to `%` and records other specifiers; `Err` for an unknown one (systemd:
/// "Failed to resolve unit specifiers").
fn resolve_specifiers(w: &mut Word) -> Result<(), char> {
    if !w.text.contains('%') {
        return Ok(());
    }
    let b = w.text.as_bytes().to_vec();
    let mut text = Vec::with_capacity(b.len());
    let mut offs = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 1 < b.len() {
            let c = b[i + 1];
            if c == b'%' {
                text.push(b'%');
                offs.push(w.offsets[i]);
                i += 2;
                continue;
            }
            if c.is_ascii() && SPECIFIERS.contains(c as char) {
                w.specifiers.push((c as char, w.span(i, i + 2)));
            } else {
                return Err(c as char);
            }
        }
        text.push(b[i]);
        offs.push(w.offsets[i]);
        i += 1;
    }
    w.text = String::from_utf8_lossy(&text).to_string();
    w.offsets = offs;
    Ok(())
}

/// The prefixes of an `Exec*=` command.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ExecPrefixes {
    /// `-`: a failure (or a missing program) is not fatal.
    pub ignore_failure: bool,
    /// `@`: the word after the path is `argv[0]`.
    pub separate_argv0: bool,
    /// `:`: no `$VAR` expansion.
    pub no_env_expand: bool,
    /// `+`: full privileges.
    pub full_privileges: bool,
    /// `!`: no user/group switch.
    pub no_setuid: bool,
    /// `!!`: ambient capabilities.
    pub ambient_magic: bool,
}

/// One command of an `Exec*=` line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExecCommand {
    pub prefixes: ExecPrefixes,
    /// The prefix characters, if any.
    pub prefix_range: Option<TextRange>,
    /// The program: an absolute path, or a name searched in `$PATH`.
    pub path: Word,
    /// argv, as systemd passes it (`argv[0]` is the path unless `@` is used).
    pub argv: Vec<Word>,
    /// From the prefixes to the last word.
    pub range: TextRange,
}

impl ExecCommand {
    /// The arguments after `argv[0]`.
    pub fn args(&self) -> &[Word] {
        self.argv.get(1..).unwrap_or(&[])
    }
}

/// The commands of one `Exec*=` value.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ExecLine {
    pub commands: Vec<ExecCommand>,
    pub errors: Vec<SyntaxError>,
    /// systemd refuses to load the unit because of this line (an error in a command not
    /// prefixed with `-`).
    pub fatal: bool,
}

fn is_valid_filename(p: &str) -> bool {
    !p.is_empty() && p != "." && p != ".." && !p.contains('/') && p.len() <= 255
}

fn string_is_safe(s: &str) -> bool {
    !s.bytes().any(|c| c < b' ' || c == 0x7f || c == b'"' || c == b'\'' || c == b'\\')
}

/// Splits an `Exec*=` value (non-empty; an empty one resets the list) into commands.
pub fn parse_exec(v: &Value) -> ExecLine {
    let mut out = ExecLine::default();
    let b = v.text.as_bytes();
    let mut pos = 0;
    let mut relaxed = false;
    let warn_relaxed = |out: &mut ExecLine, w: &Word| {
        out.errors.push(
            SyntaxError::new(w.range, format!("unknown escape sequence kept as written: \"{}\"", w.text))
                .with_help("write `\\\\` for a backslash, `$$` for a dollar sign"),
        );
    };
    'commands: loop {
        let first = match extract_with_retry(v, &mut pos, &mut relaxed) {
            Extract::Word(w) => w,
            Extract::End => break,
            Extract::Invalid => {
                out.errors.push(SyntaxError::new(v.range(), "unbalanced quoting: systemd ignores this line"));
                out.commands.clear();
                return out;
            }
        };
        if relaxed {
            warn_relaxed(&mut out, &first);
            relaxed = false;
        }
        if first.text == ";" {
            continue;
        }
        // prefixes
        let mut p = ExecPrefixes::default();
        let fb = first.text.as_bytes();
        let mut k = 0;
        while k < fb.len() {
            match fb[k] {
                b'-' if !p.ignore_failure => p.ignore_failure = true,
                b'@' if !p.separate_argv0 => p.separate_argv0 = true,
                b':' if !p.no_env_expand => p.no_env_expand = true,
                b'+' if !(p.full_privileges || p.no_setuid || p.ambient_magic) => p.full_privileges = true,
                b'!' if !(p.full_privileges || p.no_setuid || p.ambient_magic) => p.no_setuid = true,
                b'!' if !(p.full_privileges || p.ambient_magic) => {
                    p.no_setuid = false;
                    p.ambient_magic = true;
                }
                _ => break,
            }
            k += 1;
        }
        let prefix_range = (k > 0).then(|| first.span(0, k));
        let mut path = Word {
            text: first.text[k..].to_string(),
            range: if k > 0 { TextRange { start: first.span(k, k).start, end: first.range.end } } else { first.range },
            offsets: first.offsets[k..].to_vec(),
            quoted: first.quoted,
            specifiers: Vec::new(),
        };
        let fatal = !p.ignore_failure;
        let fail = |out: &mut ExecLine, e: SyntaxError| {
            out.errors.push(e);
            if fatal {
                out.fatal = true;
            }
        };
        if let Err(c) = resolve_specifiers(&mut path) {
            fail(&mut out, SyntaxError::new(path.range, format!("unknown specifier '%{c}': systemd cannot resolve it")));
            return out;
        }
        let reason = if path.text.is_empty() {
            Some("empty path in command line")
        } else if !string_is_safe(&path.text) {
            Some("executable name contains special characters")
        } else if path.text.ends_with('/') {
            Some("executable path specifies a directory")
        } else if !(path.text.starts_with('/') || is_valid_filename(&path.text)) {
            Some("neither a valid executable name nor an absolute path")
        } else {
            None
        };
        if let Some(r) = reason {
            let range = if path.text.is_empty() { first.range } else { path.range };
            let msg =
                if fatal { format!("{r}: systemd refuses to load the unit") } else { format!("{r}: systemd ignores this line") };
            fail(&mut out, SyntaxError::new(range, msg));
            if !fatal {
                out.commands.clear();
            }
            return out;
        }
        let mut argv = Vec::new();
        if !p.separate_argv0 {
            argv.push(path.clone());
        }
        let mut semicolon = false;
        loop {
            while pos < b.len() && matches!(b[pos], b' ' | b'\t' | b'\n' | b'\r') {
                pos += 1;
            }
            if pos >= b.len() {
                break;
            }
            let ends_word = |at: usize| at >= b.len() || matches!(b[at], b' ' | b'\t' | b'\n' | b'\r');
            if b[pos] == b';' && ends_word(pos + 1) {
                pos += 1;
                semicolon = true;
                break;
            }
            if b[pos] == b'\\' && b.get(pos + 1) == Some(&b';') && ends_word(pos + 2) {
                argv.push(Word {
                    text: ";".into(),
                    range: v.span(pos..pos + 2),
                    offsets: vec![v.offset(pos + 1) as u32],
                    quoted: false,
                    specifiers: Vec::new(),
                });
                pos += 2;
                continue;
            }
            let mut w = match extract_with_retry(v, &mut pos, &mut relaxed) {
                Extract::Word(w) => w,
                Extract::End => break,
                Extract::Invalid => {
                    fail(&mut out, SyntaxError::new(v.range(), "unbalanced quoting in command line"));
                    return out;
                }
            };
            if relaxed {
                warn_relaxed(&mut out, &w);
                relaxed = false;
            }
            if let Err(c) = resolve_specifiers(&mut w) {
                fail(&mut out, SyntaxError::new(w.range, format!("unknown specifier '%{c}': systemd cannot resolve it")));
                return out;
            }
            argv.push(w);
        }
        if argv.is_empty() {
            fail(&mut out, SyntaxError::new(first.range, "empty executable name or zeroeth argument"));
            return out;
        }
        let last = argv.last().map(|w| w.range).unwrap_or(path.range);
        out.commands.push(ExecCommand { prefixes: p, prefix_range, range: first.range.cover(last), path, argv });
        if !semicolon {
            break 'commands;
        }
    }
    out
}

fn extract_with_retry(v: &Value, pos: &mut usize, relaxed: &mut bool) -> Extract {
    let save = *pos;
    let mut dummy = false;
    match extract_word(v, pos, false, &mut dummy) {
        Extract::Invalid => {
            *pos = save;
            extract_word(v, pos, true, relaxed)
        }
        other => other,
    }
}

/// One `NAME=value` of an `Environment=` line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnvAssignment {
    pub name: String,
    pub value: String,
    pub word: Word,
    /// The file range of the value part (after `=`).
    pub value_range: TextRange,
}

/// The assignments of one `Environment=` value (non-empty; an empty one resets the list).
pub fn parse_environment(v: &Value) -> (Vec<EnvAssignment>, Vec<SyntaxError>) {
    let mut pos = 0;
    let mut out = Vec::new();
    let mut errors = Vec::new();
    loop {
        let mut relaxed = false;
        let mut w = match extract_word(v, &mut pos, false, &mut relaxed) {
            Extract::Word(w) => w,
            Extract::End => break,
            Extract::Invalid => {
                let rest = TextRange { start: v.span(pos..pos + 1).start, end: v.range().end };
                errors.push(
                    SyntaxError::new(rest, "invalid syntax: systemd ignores the rest of this line")
                        .with_help("quote values with spaces (`\"NAME=a b\"`); write `\\\\` for a backslash"),
                );
                break;
            }
        };
        if let Err(c) = resolve_specifiers(&mut w) {
            errors.push(SyntaxError::new(w.range, format!("unknown specifier '%{c}': systemd ignores the rest of this line")));
            break;
        }
        let valid = w.text.split_once('=').filter(|(n, _)| {
            !n.is_empty() && !n.as_bytes()[0].is_ascii_digit() && n.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'_')
        });
        match valid {
            Some((n, val)) => {
                let name = n.to_string();
                let value = val.to_string();
                let value_range = w.span(n.len() + 1, w.text.len());
                let value_range = if value.is_empty() { TextRange { start: w.range.end, end: w.range.end } } else { value_range };
                // strv_env_replace(): a name already set is replaced where it stands
                let e = EnvAssignment { name, value, word: w, value_range };
                match out.iter().position(|x: &EnvAssignment| x.name == e.name) {
                    Some(k) => out[k] = e,
                    None => out.push(e),
                }
            }
            None => errors.push(
                SyntaxError::new(w.range, format!("invalid environment assignment, ignored: {}", w.text))
                    .with_help("write NAME=value; names use letters, digits and `_` and do not start with a digit"),
            ),
        }
    }
    (out, errors)
}

/// An `EnvironmentFile=` entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnvFile {
    pub path: String,
    /// `-` prefix: a missing file is not an error.
    pub optional: bool,
    pub path_range: TextRange,
}

/// `EnvironmentFile=` (non-empty): `Err` if systemd ignores it (not an absolute path).
pub fn parse_env_file(v: &Value) -> Result<EnvFile, SyntaxError> {
    let optional = v.text.starts_with('-');
    let skip = usize::from(optional);
    let path = v.text[skip..].to_string();
    let path_range = v.span(skip..v.text.len());
    if !path.starts_with('/') {
        return Err(SyntaxError::new(path_range, "EnvironmentFile= path is not absolute: systemd ignores it"));
    }
    Ok(EnvFile { path, optional, path_range })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(c: &ExecCommand) -> Vec<&str> {
        c.argv.iter().map(|w| w.text.as_str()).collect()
    }

    /// An escape that makes a byte which is not UTF-8 (`\x92`) reads as U+FFFD, with an offset
    /// for each of its bytes: a specifier after it is found where it is written (the pipeline
    /// fuzzer once indexed past the offsets there).
    #[test]
    fn escapes_that_are_not_utf8_keep_their_offsets() {
        let l = parse_exec(&Value::detached(r"/bin/echo x\x92%%y"));
        let c = &l.commands[0];
        assert_eq!(texts(c), ["/bin/echo", "x\u{FFFD}%y"]);
        assert!(c.argv.iter().all(|w| w.offsets.len() == w.text.len()));
        let l = parse_exec(&Value::detached(r"/usr/sbin/ss\x92%n"));
        let path = &l.commands[0].argv[0];
        assert_eq!(path.text, "/usr/sbin/ss\u{FFFD}%n");
        assert_eq!(path.specifiers.iter().map(|(c, r)| (*c, r.start, r.end)).collect::<Vec<_>>(), [('n', 16, 18)]);
    }

    /// The expected argv were checked with systemd 252 (`Command Line:` of `systemd --test`).
    #[test]
    fn quotes_escapes_prefixes_and_separators() {
        let v = Value::detached("-@/bin/echo name a\"b c\"d 's q' \\x41 \\; ; !!/bin/x 1");
        let l = parse_exec(&v);
        assert!(l.errors.is_empty(), "{:?}", l.errors);
        assert_eq!(l.commands.len(), 2);
        let c = &l.commands[0];
        assert!(c.prefixes.ignore_failure && c.prefixes.separate_argv0);
        assert_eq!(c.path.text, "/bin/echo");
        assert_eq!(texts(c), ["name", "ab cd", "s q", "A", ";"]);
        assert_eq!(c.argv[1].range.of(&v.text), "a\"b c\"d");
        assert_eq!(c.argv[2].range.of(&v.text), "'s q'");
        assert_eq!(c.prefix_range.map(|r| r.of(&v.text)), Some("-@"));
        let c = &l.commands[1];
        assert!(c.prefixes.ambient_magic && !c.prefixes.no_setuid);
        assert_eq!(texts(c), ["/bin/x", "1"]);
    }

    #[test]
    fn unknown_escapes_are_kept() {
        let v = Value::detached("!!/bin/z a\\ b $HOME ${X}y $$");
        let l = parse_exec(&v);
        assert_eq!(l.errors.len(), 1);
        let c = &l.commands[0];
        assert_eq!(texts(c), ["/bin/z", "a\\ b", "$HOME", "${X}y", "$$"]);
        let refs = c.argv[2].env_refs();
        assert_eq!(refs.len(), 1);
        assert!(refs[0].whole_word && !refs[0].braced);
        let refs = c.argv[3].env_refs();
        assert_eq!((refs[0].name.as_str(), refs[0].braced, refs[0].whole_word), ("X", true, false));
        assert!(c.argv[4].env_refs().is_empty());
    }

    #[test]
    fn relative_names_specifiers_and_errors() {
        let l = parse_exec(&Value::detached(":+odoo-bin -c x"));
        assert_eq!(texts(&l.commands[0]), ["odoo-bin", "-c", "x"]);
        assert!(l.commands[0].prefixes.no_env_expand && l.commands[0].prefixes.full_privileges);
        let l = parse_exec(&Value::detached("/bin/x 100%% %n"));
        assert_eq!(texts(&l.commands[0]), ["/bin/x", "100%", "%n"]);
        assert_eq!(l.commands[0].argv[2].specifiers[0].0, 'n');
        // corpus: a template placeholder is not a valid name, the unit fails to load
        let l = parse_exec(&Value::detached("{{ODOO_SOURCE_DIR}}/odoo-bin --config=x"));
        assert!(l.fatal);
        let l = parse_exec(&Value::detached("-relative/x"));
        assert!(!l.fatal && l.commands.is_empty() && l.errors.len() == 1);
        let l = parse_exec(&Value::detached("/bin/x \"unbalanced"));
        assert!(l.fatal);
        let l = parse_exec(&Value::detached("\"/bin/x"));
        assert!(!l.fatal && l.commands.is_empty());
        let l = parse_exec(&Value::detached("/bin/x %Z"));
        assert!(l.fatal);
    }

    #[test]
    fn word_spans_inside_values() {
        let v = Value::detached("/usr/bin/odoo --workers=4 \"--db-filter=^a b$\"");
        let l = parse_exec(&v);
        let w = &l.commands[0].argv[2];
        assert_eq!(w.text, "--db-filter=^a b$");
        assert_eq!(w.span(12, w.text.len()).of(&v.text), "^a b$");
        let w = &l.commands[0].argv[1];
        assert_eq!(w.span(10, 11).of(&v.text), "4");
    }

    /// Checked with systemd 252: `a.b=1` is refused, `"Q=a b"\ c` stops the line.
    #[test]
    fn environment_words() {
        let v = Value::detached("a.b=1 \"Y=3\" Z= Y=4 \"Q=a b\"\\ c W=x");
        let (env, errors) = parse_environment(&v);
        let got: Vec<(&str, &str)> = env.iter().map(|e| (e.name.as_str(), e.value.as_str())).collect();
        assert_eq!(got, [("Y", "4"), ("Z", "")]);
        assert_eq!(errors.len(), 2);
        assert_eq!(errors[0].range.of(&v.text), "a.b=1");
        let v = Value::detached("T=x\\ty U=\\x41 V=a\\\\b R=$HOME");
        let (env, errors) = parse_environment(&v);
        assert!(errors.is_empty());
        let got: Vec<&str> = env.iter().map(|e| e.value.as_str()).collect();
        assert_eq!(got, ["x\ty", "A", "a\\b", "$HOME"]);
        assert_eq!(env[3].value_range.of(&v.text), "$HOME");
    }

    #[test]
    fn environment_files() {
        let f = parse_env_file(&Value::detached("-/etc/odoo/odoo.env")).unwrap();
        assert!(f.optional);
        assert_eq!(f.path, "/etc/odoo/odoo.env");
        assert!(parse_env_file(&Value::detached("odoo.env")).is_err());
    }
}

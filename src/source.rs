//! Source files, byte ranges and line/column positions.
//!
//! Every parser works on [`SourceFile::text`], a `&str` with exactly the same byte length
//! as the file on disk: bytes that are not valid UTF-8 are replaced, one for one, by the
//! ASCII placeholder [`PLACEHOLDER`]. Spans are therefore byte offsets into the original
//! file, edits are applied to [`SourceFile::bytes`], and invalid bytes survive a fix.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// The byte that stands in for each byte of an invalid UTF-8 sequence in [`SourceFile::text`].
/// SUB, "substitute", has no meaning in any format we parse.
pub const PLACEHOLDER: u8 = 0x1A;

/// A half-open byte range `start..end` in one file.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct TextRange {
    pub start: u32,
    pub end: u32,
}

impl TextRange {
    pub fn new(start: usize, end: usize) -> Self {
        debug_assert!(start <= end, "range {start}..{end}");
        TextRange { start: start as u32, end: end as u32 }
    }
    pub fn empty(at: usize) -> Self {
        TextRange::new(at, at)
    }
    pub fn len(self) -> usize {
        (self.end - self.start) as usize
    }
    pub fn is_empty(self) -> bool {
        self.start == self.end
    }
    pub fn range(self) -> Range<usize> {
        self.start as usize..self.end as usize
    }
    pub fn cover(self, other: TextRange) -> TextRange {
        TextRange { start: self.start.min(other.start), end: self.end.max(other.end) }
    }
    pub fn contains_range(self, other: TextRange) -> bool {
        self.start <= other.start && other.end <= self.end
    }
    /// The text this range covers.
    pub fn of(self, text: &str) -> &str {
        &text[self.range()]
    }
}

impl fmt::Debug for TextRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..{}", self.start, self.end)
    }
}

impl From<Range<usize>> for TextRange {
    fn from(r: Range<usize>) -> Self {
        TextRange::new(r.start, r.end)
    }
}

/// Index of a file in a [`crate::files::FileSet`].
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub struct FileId(pub u32);

/// A range in a given file.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub struct Span {
    pub file: FileId,
    pub range: TextRange,
}

impl Span {
    pub fn new(file: FileId, range: TextRange) -> Self {
        Span { file, range }
    }
}

/// A 1-based line and column; the column counts characters (an invalid byte counts as one).
#[derive(Clone, Copy, PartialEq, Eq, Debug, PartialOrd, Ord)]
pub struct LineCol {
    pub line: u32,
    pub column: u32,
}

/// One file as read from disk.
pub struct SourceFile {
    /// The path as it was found (used to open and to write the file).
    pub path: PathBuf,
    /// The path to show to a user: relative to the working directory when under it.
    pub display: String,
    /// The original bytes, untouched.
    pub bytes: Vec<u8>,
    /// The same bytes as text; invalid UTF-8 bytes are replaced one for one by [`PLACEHOLDER`].
    pub text: String,
    /// Byte offsets of the bytes that were not valid UTF-8, in order.
    pub invalid: Vec<u32>,
    /// Ranges holding secrets (passwords), masked whenever the text is shown.
    pub secrets: Vec<TextRange>,
    line_starts: Vec<u32>,
    newline: &'static str,
}

impl fmt::Debug for SourceFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SourceFile").field("path", &self.path).field("len", &self.bytes.len()).finish()
    }
}

impl SourceFile {
    pub fn new(path: impl Into<PathBuf>, bytes: Vec<u8>) -> Self {
        let path = path.into();
        let display = display_path(&path);
        let (text, invalid) = placeholder_text(&bytes);
        let line_starts = line_starts(text.as_bytes());
        let secrets = crate::secrets::url_passwords(&text);
        let newline = newline_of(text.as_bytes());
        SourceFile { path, display, bytes, text, invalid, secrets, line_starts, newline }
    }

    /// A source that does not live on disk (tests, generated text).
    pub fn from_text(path: impl Into<PathBuf>, text: &str) -> Self {
        SourceFile::new(path, text.as_bytes().to_vec())
    }

    pub fn len(&self) -> usize {
        self.bytes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    /// Whether the file is entirely valid UTF-8.
    pub fn is_utf8(&self) -> bool {
        self.invalid.is_empty()
    }

    /// Number of lines (a final line without a newline counts; an empty file has one line).
    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// Byte offset where 0-based line `line` starts.
    pub fn line_start(&self, line: usize) -> usize {
        self.line_starts[line] as usize
    }

    /// The 0-based line that holds `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        match self.line_starts.binary_search(&(offset as u32)) {
            Ok(i) => i,
            Err(i) => i - 1,
        }
    }

    /// The byte range of 0-based line `line`, without its line terminator.
    pub fn line_range(&self, line: usize) -> TextRange {
        let start = self.line_starts[line] as usize;
        let mut end = self.line_starts.get(line + 1).map(|&e| e as usize).unwrap_or(self.text.len());
        let b = self.text.as_bytes();
        if end > start && b[end - 1] == b'\n' {
            end -= 1;
        }
        if end > start && b[end - 1] == b'\r' {
            end -= 1;
        }
        TextRange::new(start, end)
    }

    /// 1-based line and character column of a byte offset.
    pub fn line_col(&self, offset: usize) -> LineCol {
        let offset = offset.min(self.text.len());
        let line = self.line_of(offset);
        let start = self.line_starts[line] as usize;
        let mut off = offset;
        while !self.text.is_char_boundary(off) {
            off -= 1;
        }
        let column = self.text[start..off].chars().count() + 1;
        LineCol { line: line as u32 + 1, column: column as u32 }
    }

    /// The line terminator this file mostly uses (for inserted lines).
    pub fn newline(&self) -> &'static str {
        self.newline
    }

    /// Drops the bytes and the text, keeping the path: an empty file from then on.
    pub fn forget_contents(&mut self) {
        self.bytes = Vec::new();
        self.text = String::new();
        self.invalid = Vec::new();
        self.secrets = Vec::new();
        self.line_starts = vec![0];
    }

    /// Whether the file ends with a line terminator (or is empty).
    pub fn ends_with_newline(&self) -> bool {
        self.bytes.is_empty() || self.bytes.ends_with(b"\n")
    }

    /// Text for display: invalid bytes shown as U+FFFD. Offsets must be mapped with
    /// [`SourceFile::display_offset`].
    pub fn display_text(&self) -> std::borrow::Cow<'_, str> {
        if self.invalid.is_empty() && self.secrets.is_empty() {
            return std::borrow::Cow::Borrowed(&self.text);
        }
        let masked = crate::secrets::mask(self.text.as_bytes(), &self.secrets);
        // Masking replaces whole bytes of valid text by ASCII: still UTF-8, unless a secret
        // ended inside a character, which `from_utf8_lossy` then shows as U+FFFD.
        let text = String::from_utf8_lossy(&masked);
        let mut out = String::with_capacity(text.len() + 2 * self.invalid.len());
        let mut last = 0;
        for &i in &self.invalid {
            out.push_str(&text[last..i as usize]);
            out.push('\u{FFFD}');
            last = i as usize + 1;
        }
        out.push_str(&text[last..]);
        std::borrow::Cow::Owned(out)
    }

    /// Maps a byte offset of [`SourceFile::text`] to one of [`SourceFile::display_text`].
    pub fn display_offset(&self, offset: usize) -> usize {
        let before = self.invalid.partition_point(|&i| (i as usize) < offset);
        offset + 2 * before
    }
}

/// The largest file odoo-lint reads. Configuration files are kilobytes; the bound keeps memory
/// finite when a path (on the command line, or in an `include`) names something else.
pub const MAX_FILE: u64 = 256 * 1024 * 1024;

/// Reads a file the way every reader of odoo-lint must: a regular file (links followed) of at
/// most [`MAX_FILE`] bytes. A device, FIFO or socket is refused before it is opened (reading
/// `/dev/zero` never ends, opening a FIFO blocks), except `/dev/null`, which reads as empty
/// (`include /dev/null;` is a known idiom); a directory gives `IsADirectory`.
pub fn read_file(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::{Error, ErrorKind, Read};
    if path == Path::new("/dev/null") {
        return Ok(Vec::new());
    }
    let meta = std::fs::metadata(path)?;
    if meta.is_dir() {
        return Err(Error::new(ErrorKind::IsADirectory, "Is a directory"));
    }
    if !meta.is_file() {
        return Err(Error::other("not a regular file"));
    }
    let file = std::fs::File::open(path)?;
    let mut bytes = Vec::with_capacity(meta.len().min(MAX_FILE) as usize);
    file.take(MAX_FILE + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_FILE {
        return Err(Error::other(format!("larger than {} MiB; not read", MAX_FILE >> 20)));
    }
    Ok(bytes)
}

/// `\r\n` when most line breaks are CRLF, else `\n`.
fn newline_of(b: &[u8]) -> &'static str {
    let lf = b.iter().filter(|&&c| c == b'\n').count();
    let crlf = b.windows(2).filter(|w| w == b"\r\n").count();
    if lf > 0 && crlf * 2 > lf { "\r\n" } else { "\n" }
}

/// Line starts: after every `\n`, and after a `\r` not followed by `\n` (old Mac endings,
/// which Python's universal newlines also split on).
fn line_starts(b: &[u8]) -> Vec<u32> {
    let mut starts = vec![0u32];
    for i in memchr::memchr2_iter(b'\n', b'\r', b) {
        if b[i] == b'\n' || b.get(i + 1) != Some(&b'\n') {
            starts.push(i as u32 + 1);
        }
    }
    starts
}

/// Replaces every byte of every invalid UTF-8 sequence by [`PLACEHOLDER`].
fn placeholder_text(bytes: &[u8]) -> (String, Vec<u32>) {
    match std::str::from_utf8(bytes) {
        Ok(s) => (s.to_owned(), Vec::new()),
        Err(_) => {
            let mut out = Vec::with_capacity(bytes.len());
            let mut invalid = Vec::new();
            let mut rest = bytes;
            let mut base = 0usize;
            loop {
                match std::str::from_utf8(rest) {
                    Ok(s) => {
                        out.extend_from_slice(s.as_bytes());
                        break;
                    }
                    Err(e) => {
                        let good = e.valid_up_to();
                        out.extend_from_slice(&rest[..good]);
                        let bad = e.error_len().unwrap_or(rest.len() - good);
                        for k in 0..bad {
                            out.push(PLACEHOLDER);
                            invalid.push((base + good + k) as u32);
                        }
                        base += good + bad;
                        rest = &rest[good + bad..];
                    }
                }
            }
            // Every byte is either from a valid sequence or ASCII.
            (String::from_utf8(out).expect("placeholder text is UTF-8"), invalid)
        }
    }
}

/// A path relative to the working directory when it lies under it, with `/` separators.
pub fn display_path(path: &Path) -> String {
    let cwd = crate::fscache::current_dir();
    let rel = cwd.as_ref().and_then(|c| path.strip_prefix(c).ok()).unwrap_or(path);
    let s = rel.to_string_lossy().replace('\\', "/");
    match s.strip_prefix("./") {
        Some(rest) if !rest.is_empty() => rest.to_string(),
        _ => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters() {
        let f = SourceFile::from_text("x", "a\nçé = 1\n");
        assert_eq!(f.line_col(0), LineCol { line: 1, column: 1 });
        assert_eq!(f.line_col(2), LineCol { line: 2, column: 1 });
        // "çé" is 4 bytes, 2 characters
        assert_eq!(f.line_col(6), LineCol { line: 2, column: 3 });
    }

    #[test]
    fn crlf_and_cr_lines() {
        let f = SourceFile::from_text("x", "a\r\nb\rc\n");
        assert_eq!(f.line_count(), 4);
        assert_eq!(f.line_range(0).of(&f.text), "a");
        assert_eq!(f.line_range(1).of(&f.text), "b");
        assert_eq!(f.line_range(2).of(&f.text), "c");
        assert_eq!(f.line_col(3), LineCol { line: 2, column: 1 });
    }

    #[test]
    fn invalid_bytes_keep_offsets() {
        let bytes = b"a \xe9t\xe9 \xff\xfe;\n".to_vec();
        let f = SourceFile::new("x", bytes.clone());
        assert_eq!(f.text.len(), bytes.len());
        assert_eq!(f.invalid, vec![2, 4, 6, 7]);
        assert_eq!(f.text.as_bytes()[2], PLACEHOLDER);
        assert_eq!(f.line_col(5), LineCol { line: 1, column: 6 });
        let shown = f.display_text();
        assert_eq!(&shown[f.display_offset(8)..f.display_offset(9)], ";");
    }

    #[test]
    fn newline_style() {
        assert_eq!(SourceFile::from_text("x", "a\r\nb\r\n").newline(), "\r\n");
        assert_eq!(SourceFile::from_text("x", "a\nb\n").newline(), "\n");
        assert_eq!(SourceFile::from_text("x", "").newline(), "\n");
    }

    #[test]
    fn read_file_refuses_what_is_not_a_regular_file() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("a.conf");
        std::fs::write(&f, "x = 1\n").unwrap();
        assert_eq!(read_file(&f).unwrap(), b"x = 1\n");
        assert_eq!(read_file(dir.path()).unwrap_err().kind(), std::io::ErrorKind::IsADirectory);
        assert_eq!(read_file(&dir.path().join("nowhere")).unwrap_err().kind(), std::io::ErrorKind::NotFound);
        assert_eq!(read_file(Path::new("/dev/null")).unwrap(), b"");
        // /dev/zero never ends: refused before reading
        if Path::new("/dev/zero").exists() {
            assert!(read_file(Path::new("/dev/zero")).unwrap_err().to_string().contains("not a regular file"));
        }
        // a FIFO would block on open: refused before opening
        #[cfg(unix)]
        {
            let fifo = dir.path().join("fifo");
            if std::process::Command::new("mkfifo").arg(&fifo).status().is_ok_and(|s| s.success()) {
                assert!(read_file(&fifo).is_err());
            }
        }
    }
}

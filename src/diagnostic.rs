//! What a rule reports: a [`Diagnostic`] with labels in one or more files and an optional
//! [`Fix`] made of byte-range [`Edit`]s on the original text.

use crate::source::{FileId, Span, TextRange};
use serde::Serialize;
use std::fmt;

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
    pub fn parse(s: &str) -> Option<Severity> {
        match s.to_ascii_lowercase().as_str() {
            "info" => Some(Severity::Info),
            "warning" | "warn" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How safe a fix is to apply without a person reading it (ruff's meanings).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Applicability {
    /// Changes capacity or behaviour, or may not be what the user meant: only with
    /// `--unsafe-fixes`.
    Unsafe,
    /// Keeps what the user meant and only repairs it: applied by `--fix`.
    Safe,
}

impl Applicability {
    pub fn as_str(self) -> &'static str {
        match self {
            Applicability::Safe => "safe",
            Applicability::Unsafe => "unsafe",
        }
    }
}

/// One replacement of a byte range of one file. An empty range inserts; an empty
/// replacement deletes.
#[derive(Clone, PartialEq, Eq, Debug, Hash)]
pub struct Edit {
    pub file: FileId,
    pub range: TextRange,
    pub replacement: String,
}

impl Edit {
    pub fn replace(file: FileId, range: TextRange, replacement: impl Into<String>) -> Edit {
        Edit { file, range, replacement: replacement.into() }
    }
    pub fn insert(file: FileId, at: usize, text: impl Into<String>) -> Edit {
        Edit { file, range: TextRange::empty(at), replacement: text.into() }
    }
    pub fn delete(file: FileId, range: TextRange) -> Edit {
        Edit { file, range, replacement: String::new() }
    }
}

/// A set of edits that together repair one diagnostic.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Fix {
    /// What the fix does, in the imperative: "set `proxy_read_timeout 720s`".
    pub title: String,
    pub applicability: Applicability,
    pub edits: Vec<Edit>,
}

impl Fix {
    pub fn safe(title: impl Into<String>, edits: Vec<Edit>) -> Fix {
        Fix { title: title.into(), applicability: Applicability::Safe, edits }
    }
    pub fn unsafe_(title: impl Into<String>, edits: Vec<Edit>) -> Fix {
        Fix { title: title.into(), applicability: Applicability::Unsafe, edits }
    }
}

/// An underlined range with an optional message.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Label {
    pub span: Span,
    pub message: String,
}

impl Label {
    pub fn new(span: Span, message: impl Into<String>) -> Label {
        Label { span, message: message.into() }
    }
}

/// One finding.
#[derive(Clone, Debug)]
pub struct Diagnostic {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    pub message: String,
    /// Where the problem is. Stack-wide findings with no place of their own point at the
    /// start of the stack's main file.
    pub primary: Label,
    /// More places, in the same file or in other files.
    pub secondary: Vec<Label>,
    pub help: Option<String>,
    pub notes: Vec<String>,
    pub fix: Option<Fix>,
}

impl Diagnostic {
    /// All labels, primary first.
    pub fn labels(&self) -> impl Iterator<Item = &Label> {
        std::iter::once(&self.primary).chain(self.secondary.iter())
    }

    /// The files this diagnostic points into, primary file first, each once.
    pub fn files(&self) -> Vec<FileId> {
        let mut out = Vec::new();
        for l in self.labels() {
            if !out.contains(&l.span.file) {
                out.push(l.span.file);
            }
        }
        out
    }

    /// A key that identifies the same finding reached through two stacks.
    pub fn dedup_key(&self) -> (&'static str, Span, &str) {
        (self.code, self.primary.span, self.message.as_str())
    }
}

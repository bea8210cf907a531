//! One module per file format. Each parses a [`crate::source::SourceFile`] losslessly into
//! a syntax tree whose every token keeps its byte range, and reports the errors its own
//! program would report, without ever panicking.

pub mod compose;

use crate::source::TextRange;

/// A place where a file cannot be read the way its program would read it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    /// The exact bytes at fault (may be empty, e.g. at end of file).
    pub range: TextRange,
    /// What is wrong, in the words a user would recognise from the program itself.
    pub message: String,
    /// A label for the underlined range, if it adds to the message.
    pub label: Option<String>,
    /// More ranges in the same file that explain the error, with their labels.
    pub related: Vec<(TextRange, String)>,
    /// How to fix it.
    pub help: Option<String>,
}

impl SyntaxError {
    pub fn new(range: TextRange, message: impl Into<String>) -> Self {
        SyntaxError { range, message: message.into(), label: None, related: Vec::new(), help: None }
    }
    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
    pub fn with_related(mut self, range: TextRange, label: impl Into<String>) -> Self {
        self.related.push((range, label.into()));
        self
    }
}

pub mod limits;
pub mod nginx;
pub mod odoo_conf;
pub mod postgresql;
pub mod systemd;

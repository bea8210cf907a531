//! Where and how a fix sets a parameter: in the value of the line that wins, else by
//! uncommenting the sample line for it (as timescaledb-tune does, keeping its trailing comment),
//! else on a new line at the end of the main file (in the file's line ending, after a newline if
//! the file lacks a final one).

use super::argv::ArgSetting;
use super::syntax::{self, CommentedSetting, PgConf, Setting};
use crate::source::{SourceFile, TextRange};

/// A byte-range replacement in one file of a [`super::PgConfig`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TextEdit {
    /// Index in [`super::PgConfig::files`] (0 for a lone file).
    pub file: usize,
    pub range: TextRange,
    pub text: String,
}

/// The best place to set a parameter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EditLocation<'a> {
    /// The active line that wins: replace its value (`setting.value.range`, quotes included).
    Value { file: usize, setting: &'a Setting },
    /// No active line, but a commented-out one: replace `commented.setting.line_range` by the
    /// line without its `#`.
    Uncomment { file: usize, commented: &'a CommentedSetting },
    /// Neither: insert a line at `offset`, the end of `file`; `leading_newline` when the file
    /// does not end with one.
    Append { file: usize, offset: usize, leading_newline: bool, newline: &'static str },
    /// A command line option sets it, over every file: no file edit can change it.
    CommandLine(&'a ArgSetting),
}

impl EditLocation<'_> {
    pub(super) fn append(file: usize, source: &SourceFile) -> EditLocation<'static> {
        EditLocation::Append {
            file,
            offset: source.len(),
            leading_newline: !source.ends_with_newline(),
            newline: source.newline(),
        }
    }

    /// The file to edit, if any.
    pub fn file(&self) -> Option<usize> {
        match *self {
            EditLocation::Value { file, .. } | EditLocation::Uncomment { file, .. } | EditLocation::Append { file, .. } => {
                Some(file)
            }
            EditLocation::CommandLine(_) => None,
        }
    }

    /// The edit that sets `name` to `value` here. `value` is the text PostgreSQL should read
    /// (`2GB`, `pg_stat_statements`, `%m [%p] `): it is quoted when it must be, or when the
    /// value it replaces was. `source` is the file of [`EditLocation::file`]. `None` for
    /// [`EditLocation::CommandLine`].
    pub fn edit(&self, source: &SourceFile, name: &str, value: &str) -> Option<TextEdit> {
        let text = &source.text;
        match *self {
            EditLocation::Value { file, setting } => {
                Some(TextEdit { file, range: setting.value.range, text: render(value, setting.value.is_quoted()) })
            }
            EditLocation::Uncomment { file, commented } => {
                let s = &commented.setting;
                let line = s.line_range;
                let new = format!(
                    "{}{}{}{}",
                    &text[line.start as usize..commented.hash.start as usize],
                    &text[s.name.range.start as usize..s.value.range.start as usize],
                    render(value, s.value.is_quoted()),
                    &text[s.value.range.end as usize..line.end as usize],
                );
                Some(TextEdit { file, range: line, text: new })
            }
            EditLocation::Append { file, offset, leading_newline, newline } => {
                let lead = if leading_newline { newline } else { "" };
                Some(TextEdit {
                    file,
                    range: TextRange::empty(offset),
                    text: format!("{lead}{name} = {}{newline}", render(value, false)),
                })
            }
            EditLocation::CommandLine(_) => None,
        }
    }
}

impl PgConf {
    /// [`EditLocation`] within this file alone: its last active line for `name`, else its last
    /// commented-out one, else its end.
    pub fn edit_location(&self, source: &SourceFile, name: &str) -> EditLocation<'_> {
        if let Some(setting) = self.get(name) {
            return EditLocation::Value { file: 0, setting };
        }
        let key = super::params::canonical_key(name);
        match self.commented().filter(|c| c.setting.name.key == key).last() {
            Some(commented) => EditLocation::Uncomment { file: 0, commented },
            None => EditLocation::append(0, source),
        }
    }
}

fn render(value: &str, quoted: bool) -> String {
    if quoted { quote(value) } else { format_value(value) }
}

/// `value` as PostgreSQL should read it: bare when it reads back the same (`2GB`, `on`,
/// `scram-sha-256`), quoted otherwise (`'1.5GB'`, `'en_US.utf8'`, `''`, `'%m [%p] '`).
pub fn format_value(value: &str) -> String {
    if syntax::is_bare_value(value) { value.to_string() } else { quote(value) }
}

/// `value` in single quotes, with `'` doubled and backslashes, newlines and carriage returns
/// escaped (PostgreSQL's `DeescapeQuotedString` reads it back as `value`). A NUL byte cannot
/// be written and is dropped.
pub fn quote(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('\'');
    for c in value.chars() {
        match c {
            '\'' => out.push_str("''"),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\0' => {}
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

//! Output formats: one module per format.

pub mod concise;
pub mod full;
pub mod json;

use crate::lint::Counts;

/// `1 file`, `2 files`.
pub fn plural(n: usize, word: &str) -> String {
    if n == 1 { format!("{n} {word}") } else { format!("{n} {word}s") }
}

/// `3 errors, 1 warning in 2 stacks (5 files)`, or `no problems in 1 stack (2 files)`.
pub fn summary(counts: Counts, stacks: usize, files: usize) -> String {
    let mut parts = Vec::new();
    if counts.errors > 0 {
        parts.push(plural(counts.errors, "error"));
    }
    if counts.warnings > 0 {
        parts.push(plural(counts.warnings, "warning"));
    }
    if counts.infos > 0 {
        parts.push(plural(counts.infos, "info"));
    }
    let what = if parts.is_empty() { "no problems".to_string() } else { parts.join(", ") };
    let mut line = format!("{what} in {} ({})", plural(stacks, "stack"), plural(files, "file"));
    if counts.fixable > 0 {
        line.push_str(&format!("; {} fixable", counts.fixable));
    }
    line
}

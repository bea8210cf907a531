//! OL0xx: can the files be read at all, the way their programs read them?

pub mod boolean_misread;
pub mod deprecated_option;
pub mod duplicate_option;
pub mod host_unknown;
pub mod ignored_line;
pub mod include_not_found;
pub mod indented_key_continues_value;
pub mod inline_comment_in_value;
pub mod invalid_value;
pub mod odoo_version_unknown;
pub mod options_section_missing;
pub mod parse_error;
pub mod unknown_option;

use crate::files::FileKind;
use crate::formats::odoo_conf::{Entry, OdooConf};
use crate::rules::Ctx;
use crate::source::FileId;

/// The odoo.conf files of the stack with their parsed trees.
pub(crate) fn odoo_confs<'a>(ctx: &Ctx<'a>) -> Vec<(FileId, &'a OdooConf)> {
    let files = ctx.files;
    ctx.stack.files_of(files, FileKind::OdooConf).filter_map(|id| files.odoo_conf(id).map(|c| (id, c))).collect()
}

/// The entries Odoo reads as options: `[options]` and the `[DEFAULT]` keys it inherits, first
/// occurrences only (a repeated key is OL004's).
pub(crate) fn option_entries(conf: &OdooConf) -> Vec<&Entry> {
    conf.items("options")
}

/// Whether a limits-file error is about the value of a `nofile` line (OL005 reports those;
/// OL001 the rest).
pub(crate) fn is_nofile_value_error(file: &crate::formats::limits::LimitsFile, e: &crate::formats::SyntaxError) -> bool {
    use crate::formats::limits::{EntryKind, Item};
    file.lines.iter().any(|l| {
        matches!(
            l.entry.as_ref().map(|x| &x.kind),
            Some(EntryKind::Limit { item: Some(Item::Nofile), value_range, .. }) if value_range.contains_range(e.range)
        )
    })
}

/// Keys whose values are secrets and never printed.
pub fn is_secret(key: &str) -> bool {
    crate::secrets::is_secret_key(key)
}

/// Where a `;` or `#` comment starts in a value line: at the start, or after whitespace.
/// configparser keeps it as part of the value (Odoo enables no inline comment prefixes).
pub fn inline_comment(value: &str) -> Option<usize> {
    let b = value.as_bytes();
    for (i, &c) in b.iter().enumerate() {
        if (c == b';' || c == b'#') && (i == 0 || b[i - 1] == b' ' || b[i - 1] == b'\t') {
            return Some(i);
        }
    }
    None
}

/// Whether a value is a placeholder that a template engine fills in before Odoo reads the
/// file (`${VAR}`, `$VAR`, `{{ var }}`, `{var}`, `%(var)s`, `<CLIENT DOMAIN>`): its type is
/// checked after rendering, not here.
pub fn is_template_value(value: &str) -> bool {
    let b = value.as_bytes();
    if value.contains("${") || value.contains("{{") || value.contains("{%") || value.contains("%(") {
        return true;
    }
    for i in 0..b.len() {
        // $VAR
        if b[i] == b'$' && b.get(i + 1).is_some_and(|c| c.is_ascii_uppercase() || *c == b'_') {
            return true;
        }
        // {name}
        if b[i] == b'{'
            && let Some(end) = value[i + 1..].find('}')
            && end > 0
            && value[i + 1..i + 1 + end].chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            && value[i + 1..].starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        {
            return true;
        }
        // <CLIENT DOMAIN>
        if b[i] == b'<'
            && let Some(end) = value[i + 1..].find('>')
            && end > 0
            && value[i + 1..i + 1 + end].chars().all(|c| c.is_ascii_uppercase() || c == ' ' || c == '_' || c == '-')
        {
            return true;
        }
    }
    false
}

/// The problems systemd reports in a unit, each with whether systemd refuses the unit for it
/// (`true`) or logs it and reads on (`false`). The parser stops at a fatal syntax error (a
/// bad section header, bytes that are not UTF-8, an over-long line: the last error recorded
/// then) and a bad `Exec*=` command is fatal unless its line has the `-` prefix. Commands whose
/// program is a template placeholder (`{{ODOO_DIR}}/odoo-bin`) are left alone: the file is
/// rendered before systemd reads it.
pub(crate) fn systemd_problems(
    ctx: &Ctx,
    file: FileId,
    unit: &crate::formats::systemd::UnitFile,
) -> Vec<(crate::formats::SyntaxError, bool)> {
    let mut out = Vec::new();
    let fatal = if unit.load_error { unit.errors.len().checked_sub(1) } else { None };
    for (i, e) in unit.errors.iter().enumerate() {
        out.push((e.clone(), Some(i) == fatal));
    }
    for a in &unit.assignments {
        if a.ignored.is_some() || !a.key.starts_with("Exec") || a.value.is_empty() || unit.section_name(a) != Some("Service") {
            continue;
        }
        let line = crate::formats::systemd::exec::parse_exec(&a.value);
        let last = line.errors.len().checked_sub(1);
        let text = &ctx.files.source(file).text;
        for (i, e) in line.errors.iter().enumerate() {
            let at = e.range.of(text);
            if at.contains("{{") || at.contains("{%") {
                continue;
            }
            out.push((e.clone(), line.fatal && Some(i) == last));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_values() {
        for t in
            ["${ODOO_WORKERS}", "$WORKERS", "{{ workers }}", "80{odoo_version}", "%(workers)s", "<CLIENT DOMAIN>", "{%if x%}"]
        {
            assert!(is_template_value(t), "{t}");
        }
        for v in ["4", "^%d$", "$pbkdf2-sha512$25000$abc", "/mnt/extra-addons", "a{2}", "x <= 3"] {
            assert!(!is_template_value(v), "{v}");
        }
    }

    #[test]
    fn inline_comments() {
        assert_eq!(inline_comment("4 ; four"), Some(2));
        assert_eq!(inline_comment("465   #25"), Some(6));
        assert_eq!(inline_comment("# set me"), Some(0));
        assert_eq!(inline_comment("http://h/#/x"), None);
        assert_eq!(inline_comment("a;b"), None);
    }
}

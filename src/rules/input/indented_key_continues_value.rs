use crate::declare_rule;
use crate::diagnostic::{Edit, Fix};
use crate::files::FileKind;
use crate::formats::odoo_conf::py_isspace;
use crate::rules::{Ctx, Rule, RuleMeta};
use crate::source::{Span, TextRange};

declare_rule! {
    /// An indented `key = value` line that configparser reads as part of the value above.
    pub struct IndentedKeyContinuesValue {
        code: "OL013",
        name: "indented-key-continues-value",
        severity: Error,
        fix: Safe,
        symptoms: [Silent, RefusedStart],
        summary: "an indented `key = value` or `[section]` line is read as the continuation of the option above it",
    }
}

/// If `line` looks like an option or a section header, its key or section name.
fn looks_like_key(line: &str) -> Option<&str> {
    if line.starts_with('[') && line.ends_with(']') && line.len() > 2 {
        return Some(&line[1..line.len() - 1]);
    }
    let end = line.find(['=', ':'])?;
    let key = line[..end].trim_end();
    let is_ident = !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.');
    if !is_ident || key.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    // `name = value` is unambiguous; `name: value` only for names Odoo knows (a channel list
    // such as `root:4` continues legitimately).
    if line[end..].starts_with('=') || crate::discover::is_odoo_key(&key.to_ascii_lowercase()) { Some(key) } else { None }
}

impl Rule for IndentedKeyContinuesValue {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &mut Ctx) {
        for file in ctx.stack.files_of(ctx.files, FileKind::OdooConf).collect::<Vec<_>>() {
            let Some(conf) = ctx.files.odoo_conf(file) else {
                continue;
            };
            let src = ctx.files.source(file);
            for entry in &conf.entries {
                for &l in &entry.continuations {
                    let line = &conf.lines[l];
                    let raw = line.range.of(&src.text);
                    let stripped = raw.trim_matches(py_isspace);
                    let Some(name) = looks_like_key(stripped) else {
                        continue;
                    };
                    let is_section = stripped.starts_with('[');
                    let key_line = &conf.lines[entry.line];
                    let indent_len = raw.len() - raw.trim_start_matches(py_isspace).len();
                    let content = TextRange::new(line.range.start as usize + indent_len, line.range.end as usize);
                    let what = if is_section { format!("the section header [{name}]") } else { format!("the option `{name}`") };
                    let mut d = ctx
                        .diag(
                            Span::new(file, content),
                            format!(
                                "this line is indented deeper than `{}` above it, so configparser reads it as more of `{}`'s value, not as {what}",
                                entry.key, entry.key
                            ),
                        )
                        .with_primary_label("read as a continuation line")
                        .with_label(Span::new(file, entry.key_range), format!("`{}` continues down to here", entry.key))
                        .with_help(format!("indent this line like `{}` (configparser continues a value on every deeper-indented line)", entry.key));
                    let duplicate = !is_section
                        && conf.sections[entry.section].entries.iter().any(|&e| conf.entries[e].key == name.to_lowercase());
                    if !duplicate {
                        let key_indent = &src.text[key_line.range.start as usize..entry.key_range.start as usize];
                        let indent = TextRange::new(line.range.start as usize, line.range.start as usize + indent_len);
                        d = d.with_fix(Fix::safe(
                            format!("indent `{}` like `{}`", name, entry.key),
                            vec![Edit::replace(file, indent, key_indent.to_string())],
                        ));
                    }
                    ctx.push(d);
                }
            }
        }
    }
}

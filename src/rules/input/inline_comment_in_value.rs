use super::{inline_comment, is_secret, odoo_confs};
use crate::declare_rule;
use crate::diagnostic::{Edit, Fix};
use crate::formats::odoo_conf::{OdooConf, py_isspace};
use crate::odoo::options::Reading;
use crate::rules::{Ctx, Rule, RuleMeta};
use crate::source::{FileId, Span, TextRange};
use crate::stack::odoo::reading;

declare_rule! {
    /// A `;` or `#` comment after a value, which configparser keeps in the value.
    pub struct InlineCommentInValue {
        code: "OL009",
        name: "inline-comment-in-value",
        severity: Error,
        fix: Safe,
        symptoms: [RefusedStart, Silent],
        summary: "a `;` or `#` comment after a value in odoo.conf is kept as part of the value",
    }
}

impl Rule for InlineCommentInValue {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &mut Ctx) {
        for (file, conf) in odoo_confs(ctx) {
            for entry in &conf.entries {
                if entry.duplicate_of.is_some() {
                    continue;
                }
                // the key line, then each continuation line
                let mut lines = vec![(entry.line, entry.value_range)];
                for &l in &entry.continuations {
                    let r = conf.lines[l].range;
                    let text = r.of(&ctx.files.source(file).text);
                    let lead = text.len() - text.trim_start_matches(py_isspace).len();
                    let trail = text.len() - text.trim_end_matches(py_isspace).len();
                    lines.push((l, TextRange::new(r.start as usize + lead, r.end as usize - trail)));
                }
                for (line, value) in lines {
                    let text = value.of(&ctx.files.source(file).text);
                    if let Some(at) = inline_comment(text) {
                        report(ctx, file, conf, entry, line, value, at);
                        break;
                    }
                }
            }
        }
    }
}

fn report(
    ctx: &mut Ctx,
    file: FileId,
    conf: &OdooConf,
    entry: &crate::formats::odoo_conf::Entry,
    line: usize,
    value: TextRange,
    at: usize,
) {
    let src = ctx.files.source(file);
    let text = value.of(&src.text);
    let meant = text[..at].trim_end_matches(py_isspace);
    let comment = &text[at..];
    let key = entry.key.as_str();
    let section = &conf.sections[entry.section].name;
    let major = ctx.stack.version.major;
    let secret = is_secret(key);
    let shown = if secret { "the value".to_string() } else { format!("`{}`", entry.value.replace('\n', "\\n")) };
    let read = if section == "options" { reading(key, major) } else { None };
    let consequence = match read {
        _ if secret => format!("the comment is part of `{key}`, so the secret Odoo uses is not the one you wrote"),
        Some(Reading::Int | Reading::Float | Reading::Choice(_)) => {
            format!("`{key}` is {shown}, which Odoo cannot read as a value of its type, so it does not start")
        }
        Some(Reading::Bool) if !ctx.stack.version.is_known() => {
            format!("`{key}` is {shown}, which Odoo 19 refuses as a boolean (it does not start) and Odoo 14–18 read as true")
        }
        Some(Reading::Bool) if major >= 19 => {
            format!("`{key}` is {shown}, which Odoo 19 refuses as a boolean, so it does not start")
        }
        Some(Reading::Bool) => {
            format!("`{key}` is {shown}: not exactly `True` or `False` but a non-empty string, so Odoo reads it as true")
        }
        _ => format!("`{key}` is {shown}, comment included"),
    };
    let comment_range = TextRange::new(value.start as usize + at, value.end as usize);
    let mut d = ctx
        .diag(Span::new(file, comment_range), format!("configparser keeps inline comments in the value: {consequence}"))
        .with_primary_label("part of the value, not a comment")
        .with_help("odoo.conf comments must be on their own line, starting with `#` or `;`");
    // Fix: cut the comment (and the blank before it) off the value, and put it on its own
    // line above, indented like this line.
    let line_range = conf.lines[line].range;
    let indent_len = line_range.of(&src.text).len() - line_range.of(&src.text).trim_start_matches(py_isspace).len();
    let indent = &src.text[line_range.start as usize..line_range.start as usize + indent_len];
    let cut_from = if meant.is_empty() {
        // `key = ; note`: keep `key =`
        entry.delimiter.end as usize
    } else {
        value.start as usize + meant.len()
    };
    let edits = vec![
        Edit::insert(file, line_range.start as usize, format!("{indent}{comment}{}", src.newline())),
        Edit::delete(file, TextRange::new(cut_from, value.end as usize)),
    ];
    let title = "move the comment to its own line above";
    d = d.with_fix(if secret { Fix::unsafe_(title, edits) } else { Fix::safe(title, edits) });
    ctx.push(d);
}

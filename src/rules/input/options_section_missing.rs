use crate::declare_rule;
use crate::diagnostic::{Edit, Fix};
use crate::files::FileKind;
use crate::formats::odoo_conf::OdooConf;
use crate::rules::{Ctx, Rule, RuleMeta};
use crate::source::{FileId, Span, TextRange};

declare_rule! {
    /// Odoo reads only `[options]`; text before the first header stops it.
    pub struct OptionsSectionMissing {
        code: "OL012",
        name: "options-section-missing",
        severity: Error,
        fix: Safe,
        symptoms: [RefusedStart, Silent],
        summary: "an odoo.conf has settings but no [options] section, or text before the first section header",
    }
}

impl Rule for OptionsSectionMissing {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &mut Ctx) {
        for file in ctx.stack.files_of(ctx.files, FileKind::OdooConf).collect::<Vec<_>>() {
            let Some(conf) = ctx.files.odoo_conf(file) else {
                continue;
            };
            if !conf.before_first_section.is_empty() {
                before_first_section(ctx, file, conf);
            } else if !conf.has_options_section() && !conf.entries.is_empty() {
                no_options_section(ctx, file, conf);
            }
        }
    }
}

fn before_first_section(ctx: &mut Ctx, file: FileId, conf: &OdooConf) {
    let src = ctx.files.source(file);
    if let Some(bom) = conf.bom {
        let d = ctx
            .diag(
                Span::new(file, bom),
                "the file starts with a UTF-8 byte-order mark: Python reads it as text before the first section header, raises MissingSectionHeaderError, and Odoo does not start",
            )
            .with_primary_label("invisible U+FEFF here")
            .with_help("save the file as UTF-8 without a BOM")
            .with_fix(Fix::safe("remove the byte-order mark", vec![Edit::delete(file, bom)]));
        ctx.push(d);
        return;
    }
    let first = &conf.lines[conf.before_first_section[0]];
    let line_text = first.range.of(&src.text);
    let start = first.range.start as usize + (line_text.len() - line_text.trim_start().len());
    let span = TextRange::new(start, first.range.end as usize);
    let stray = conf.before_first_section.len();
    let mut d = ctx
        .diag(
            Span::new(file, span),
            "text before the first section header: Python's configparser raises MissingSectionHeaderError and Odoo does not start",
        )
        .with_primary_label(if stray > 1 { format!("first of {stray} lines outside any section") } else { "outside any section".to_string() });
    if conf.sections.is_empty() {
        let at = first.range.start as usize;
        d = d.with_help("Odoo reads its settings from an `[options]` section: put `[options]` on the line above").with_fix(
            Fix::safe(
                "insert an `[options]` header above the first setting",
                vec![Edit::insert(file, at, format!("[options]{}", src.newline()))],
            ),
        );
    } else if let Some(options) = conf.sections.iter().find(|s| s.name == "options") {
        let header_line = conf.lines[options.line].range;
        d = d
            .with_label(Span::new(file, header_line), "the [options] section starts here")
            .with_help("move these lines below the `[options]` header, or comment them out with `#`");
    } else {
        d = d.with_help("put these lines under an `[options]` header, or comment them out with `#`");
    }
    ctx.push(d);
}

fn no_options_section(ctx: &mut Ctx, file: FileId, conf: &OdooConf) {
    let names: Vec<String> = conf.section_names().iter().map(|n| format!("[{n}]")).collect();
    // A header that was meant to be [options]: `[Options]`, `[ options ]`, `[option]`.
    let close = conf.sections.iter().enumerate().find(|(_, s)| {
        let n = s.name.trim().to_ascii_lowercase();
        !s.is_default && (n == "options" || crate::suggest::distance(&n, "options") <= 2)
    });
    let target = close.map(|(_, s)| s).unwrap_or(&conf.sections[0]);
    let mut d = ctx
        .diag(
            Span::new(file, target.header),
            format!(
                "no [options] section: Odoo reads its settings only from [options], so it ignores this file ({}) and runs on its defaults",
                names.join(", ")
            ),
        )
        .with_primary_label(if close.is_some() { "section names are exact: this is not [options]" } else { "not [options]" });
    match close {
        Some((i, s)) if conf.entries.iter().any(|e| e.section == i) => {
            d = d.with_fix(Fix::safe(
                format!("rename [{}] to [options]", s.name),
                vec![Edit::replace(file, s.name_range, "options")],
            ));
        }
        _ => d = d.with_help("put Odoo's settings under an `[options]` header"),
    }
    ctx.push(d);
}

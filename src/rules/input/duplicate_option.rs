use crate::declare_rule;
use crate::files::FileKind;
use crate::rules::{Ctx, Rule, RuleMeta};
use crate::source::Span;

declare_rule! {
    /// The same key twice in one section, or the same section twice.
    pub struct DuplicateOption {
        code: "OL004",
        name: "duplicate-option",
        severity: Error,
        fix: None,
        symptoms: [RefusedStart],
        summary: "the same key twice in one odoo.conf section: Python's configparser refuses the file",
    }
}

impl Rule for DuplicateOption {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &mut Ctx) {
        for file in ctx.stack.files_of(ctx.files, FileKind::OdooConf).collect::<Vec<_>>() {
            let Some(conf) = ctx.files.odoo_conf(file) else {
                continue;
            };
            for section in &conf.sections {
                if let Some(first) = section.duplicate_of {
                    let first = &conf.sections[first];
                    let d = ctx
                        .diag(
                            Span::new(file, section.header),
                            format!(
                                "section [{}] appears twice: Python's configparser raises DuplicateSectionError and Odoo does not start",
                                section.name
                            ),
                        )
                        .with_primary_label("second header")
                        .with_label(Span::new(file, first.header), "first header")
                        .with_help(format!("merge the keys of both [{}] sections under the first header and delete the second", section.name));
                    ctx.push(d);
                }
            }
            for entry in &conf.entries {
                if let Some(first) = entry.duplicate_of {
                    let first = &conf.entries[first];
                    let section = &conf.sections[entry.section].name;
                    let d = ctx
                        .diag(
                            Span::new(file, entry.key_range),
                            format!(
                                "`{}` is set twice in [{section}]: Python's configparser raises DuplicateOptionError and Odoo does not start",
                                entry.key
                            ),
                        )
                        .with_primary_label("set again here")
                        .with_label(Span::new(file, first.key_range), "first set here")
                        .with_help(format!("keep one `{}` line and delete the other", entry.key));
                    ctx.push(d);
                }
            }
        }
    }
}

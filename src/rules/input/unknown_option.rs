use super::{odoo_confs, option_entries};
use crate::declare_rule;
use crate::odoo::options::{self, KeyStatus};
use crate::rules::{Ctx, Rule, RuleMeta};
use crate::source::Span;
use crate::stack::version::{NEWEST, OLDEST};

declare_rule! {
    /// A key of `[options]` that the detected Odoo version does not read.
    pub struct UnknownOption {
        code: "OL002",
        name: "unknown-option",
        severity: Warning,
        fix: None,
        symptoms: [Silent],
        summary: "an odoo.conf key in [options] is not an option of the detected Odoo version; suggests the closest name",
    }
}

impl Rule for UnknownOption {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &mut Ctx) {
        let major = ctx.stack.version.major;
        let known = ctx.stack.version.is_known();
        let label = ctx.stack.version.label();
        for (file, conf) in odoo_confs(ctx) {
            for entry in option_entries(conf) {
                let key = entry.key.as_str();
                let span = Span::new(file, entry.key_range);
                match options::key_status(key, major) {
                    KeyStatus::Ignored(opt) if known || (14..=19).all(|v| !opt.read_from_file(v)) => {
                        let flags: Vec<&str> = opt.flags_in(major).collect();
                        let flag = flags.first().map(|f| format!(" (`{f}`)")).unwrap_or_default();
                        let who = if known {
                            format!("{label} does not read")
                        } else {
                            "no Odoo version from 14 to 19 reads".to_string()
                        };
                        let d = ctx
                            .diag(
                                span,
                                format!(
                                    "{who} `{key}` from odoo.conf: it is a command-line option{flag}, so this line has no effect"
                                ),
                            )
                            .with_primary_label("ignored in the file")
                            .with_help(format!("pass it on the command line{flag}, or delete the line"));
                        ctx.push(d);
                    }
                    KeyStatus::Read(_) | KeyStatus::Renamed(..) | KeyStatus::Ignored(_) => {}
                    KeyStatus::Unknown => {
                        let anywhere = options::lookup(key);
                        if !known && anywhere.is_some() {
                            // An option of another version, and we do not know which one runs.
                            continue;
                        }
                        let suggestion = options::closest(key, major);
                        let silently = if major >= 19 { "logs a warning and ignores it" } else { "ignores it without a word" };
                        let mut message = match anywhere {
                            Some(opt) => {
                                format!("`{key}` is not an option of {label} (only of Odoo {}): Odoo {silently}", opt.versions())
                            }
                            None => format!("`{key}` is not an Odoo option: Odoo {silently}"),
                        };
                        if !known {
                            message = match anywhere {
                                Some(_) => message,
                                None => format!(
                                    "`{key}` is not an option of any Odoo version from {OLDEST} to {NEWEST}: Odoo ignores it"
                                ),
                            };
                        }
                        let mut d = ctx.diag(span, message).with_primary_label("unknown key");
                        d = match suggestion {
                            Some(s) if key.contains('-') && s.replace('_', "-") == key.replace('_', "-") || key.replace('-', "") == s.replace('_', "") => d
                                .with_help(format!("did you mean `{s}`? odoo.conf keys are the option names with underscores; hyphens are for command-line flags")),
                            Some(s) => d.with_help(format!("did you mean `{s}`?")),
                            None => d.with_help("delete the line, or, if an add-on reads it, keep it and ignore OL002 for this line"),
                        };
                        ctx.push(d);
                    }
                }
            }
        }
    }
}

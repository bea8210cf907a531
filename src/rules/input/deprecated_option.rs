use super::{odoo_confs, option_entries};
use crate::declare_rule;
use crate::diagnostic::{Edit, Fix};
use crate::odoo::options::{self, KeyStatus, RenameEffect};
use crate::rules::{Ctx, Rule, RuleMeta};
use crate::source::Span;

declare_rule! {
    /// An old option name, per the renames timeline of the detected version.
    pub struct DeprecatedOption {
        code: "OL003",
        name: "deprecated-option",
        severity: Warning,
        fix: Safe,
        symptoms: [Silent],
        summary: "an option name is an old alias or a removed option for the detected Odoo version; the fix renames the key",
    }
}

impl Rule for DeprecatedOption {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &mut Ctx) {
        let major = ctx.stack.version.major;
        let label = ctx.stack.version.label();
        for (file, conf) in odoo_confs(ctx) {
            let entries = option_entries(conf);
            for entry in &entries {
                let KeyStatus::Renamed(rename, effect) = options::key_status(&entry.key, major) else { continue };
                let (old, new) = (rename.old, rename.new);
                let both = entries.iter().find(|e| e.key == new);
                let what = match effect {
                    RenameEffect::Current => continue,
                    RenameEffect::Mapped => format!("{label} still maps it to `{new}`, but Odoo 19 ignores it"),
                    RenameEffect::Overrides => {
                        format!(
                            "{label} still honours it as a deprecated alias that overrides `{new}` when not zero; Odoo 18 ignores it"
                        )
                    }
                    RenameEffect::FallbackOrConflict => {
                        format!(
                            "{label} uses it only while `{new}` keeps its default, and refuses to start when both are set differently"
                        )
                    }
                    RenameEffect::SilentlyIgnored => format!("{label} ignores it without a word, so this value has no effect"),
                    RenameEffect::WarnedIgnored => format!("{label} logs a warning and ignores it, so this value has no effect"),
                };
                let value_note = if entry.value.is_empty() { String::new() } else { format!(" (`{old} = {}`)", entry.value) };
                let mut d = ctx
                    .diag(Span::new(file, entry.key_range), format!("`{old}` is the old name of `{new}`{value_note}: {what}"))
                    .with_primary_label(format!("renamed to `{new}`"));
                match both {
                    Some(n) => {
                        d = d
                            .with_label(Span::new(file, n.key_range), format!("`{new}` is set here too"))
                            .with_help(format!("delete the `{old}` line and keep `{new}`"));
                    }
                    None => {
                        let edit = Edit::replace(file, entry.key_range, new);
                        let title = format!("rename `{old}` to `{new}`");
                        // Renaming keeps the behaviour where the old name is still honoured;
                        // where it is ignored, the value starts to take effect.
                        d = d.with_fix(if effect.honoured() {
                            Fix::safe(title, vec![edit])
                        } else {
                            Fix::unsafe_(title, vec![edit])
                        });
                    }
                }
                ctx.push(d);
            }
        }
    }
}

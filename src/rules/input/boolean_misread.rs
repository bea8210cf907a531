use super::{odoo_confs, option_entries};
use crate::declare_rule;
use crate::diagnostic::{Edit, Fix};
use crate::odoo::options::{self, Reading};
use crate::rules::{Ctx, Rule, RuleMeta};
use crate::source::Span;

declare_rule! {
    /// A boolean option written in a way Odoo does not read as the user meant.
    pub struct BooleanMisread {
        code: "OL008",
        name: "boolean-misread",
        severity: Error,
        fix: Safe,
        symptoms: [Silent, Exposed, RefusedStart],
        summary: "a boolean option is written as anything but True/False: on 14-18 `no` and `0` mean True; on 19 other words stop startup",
    }
}

/// What the user meant by a boolean spelling, if it is clear.
fn meant(raw: &str) -> Option<bool> {
    match raw.trim().to_ascii_lowercase().as_str() {
        "1" | "yes" | "y" | "true" | "on" | "t" | "enable" | "enabled" => Some(true),
        "0" | "no" | "n" | "false" | "off" | "f" | "disable" | "disabled" | "none" => Some(false),
        _ => None,
    }
}

impl Rule for BooleanMisread {
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
                let Some(opt) = options::lookup(key) else { continue };
                if opt.reading(major) != Some(Reading::Bool) || !opt.read_from_file(major) {
                    continue;
                }
                let raw = entry.value.as_str();
                if matches!(raw, "True" | "False" | "true" | "false" | "")
                    || super::inline_comment(raw).is_some()
                    || super::is_template_value(raw)
                {
                    continue; // the canonical spellings, an empty value (false everywhere), or OL009's
                }
                let intent = meant(raw);
                let strict_ok = crate::formats::odoo_conf::odoo19_bool(raw).is_some();
                let message = if major <= 18 {
                    match intent {
                        // `list_db = 1` means true on every version: nothing misread.
                        Some(true) => continue,
                        Some(false) | None => format!(
                            "{label} reads `{key} = {raw}` as True: only `True` and `False` are booleans there, any other text is a non-empty string, which is true"
                        ),
                    }
                } else if strict_ok {
                    if known {
                        continue;
                    }
                    match intent {
                        Some(false) => format!(
                            "`{key} = {raw}` means False on Odoo 19 but True on Odoo 14–18, where only `True` and `False` are booleans (this stack's version is not known)"
                        ),
                        _ => continue,
                    }
                } else {
                    format!("Odoo 19 accepts only 1/yes/true/on and 0/no/false/off for `{key}`: `{raw}` stops it at startup")
                };
                let mut d = ctx.diag(Span::new(file, entry.value_full_range), message).with_primary_label(match intent {
                    Some(b) if major <= 18 => format!("meant {}, read as True", if b { "True" } else { "False" }),
                    _ => "not a boolean Odoo reads".to_string(),
                });
                match intent {
                    Some(b) => {
                        let word = if b { "True" } else { "False" };
                        d = d.with_fix(Fix::safe(
                            format!("write `{key} = {word}`"),
                            vec![Edit::replace(file, entry.value_full_range, word)],
                        ));
                    }
                    None => d = d.with_help(format!("write `{key} = True` or `{key} = False`")),
                }
                ctx.push(d);
            }
        }
    }
}

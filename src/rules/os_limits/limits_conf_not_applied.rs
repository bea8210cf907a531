use super::{NR_OPEN, limits_files, nofile_for, rlimit_text};
use crate::declare_rule;
use crate::diagnostic::Fix;
use crate::formats::limits::Item;
use crate::formats::systemd::values::RlimitValue;
use crate::rules::{Ctx, Rule, RuleMeta};
use crate::source::Span;

declare_rule! {
    /// limits.conf raises the open-file limit, but Odoo runs as a systemd service.
    pub struct LimitsConfNotApplied {
        code: "OL503",
        name: "limits-conf-not-applied",
        severity: Warning,
        fix: Safe,
        symptoms: [Silent, S502],
        summary: "`nofile` is raised in limits.conf but Odoo runs as a systemd service, which pam_limits does not reach",
    }
}

impl Rule for LimitsConfNotApplied {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &mut Ctx) {
        let files = limits_files(ctx);
        if files.is_empty() {
            return;
        }
        for (unit, service) in ctx.stack.system.odoo_units() {
            let eff = unit.effective(ctx.files);
            if eff.last_value("Service", "PAMName").is_some() {
                continue; // a PAM session: pam_limits does apply
            }
            let user = eff.user().map(|u| u.value).unwrap_or_else(|| "root".to_string());
            let limits = nofile_for(&files, &user);
            let Some(setter) = limits.soft.as_ref().or(limits.hard.as_ref()) else { continue };
            let wanted_soft = limits.soft_rlimit(Item::Nofile).unwrap_or(None);
            let wanted_hard = limits.hard_rlimit(Item::Nofile).unwrap_or(wanted_soft);
            let nofile = eff.limit_nofile();
            let unit_soft = match nofile.value.soft {
                RlimitValue::Finite(n) => n,
                RlimitValue::Infinity => continue,
            };
            if wanted_soft.unwrap_or(NR_OPEN) <= unit_soft {
                continue;
            }
            let span = Span::new(files[setter.at.file].0, setter.range);
            let unit_span = nofile.origin.as_ref().and_then(|o| unit.span(o)).unwrap_or(Span::new(service.file, service.range));
            let mut d = ctx
                .diag(
                    span,
                    format!(
                        "limits.conf gives `{user}` {} open files, but Odoo runs as the systemd service {}, and pam_limits applies to login sessions only: the service keeps {unit_soft}",
                        rlimit_text(wanted_soft),
                        unit.name
                    ),
                )
                .with_primary_label(format!("not applied to {}", unit.name))
                .with_label(unit_span, format!("{} open files", unit_soft));
            let value = if wanted_soft == wanted_hard {
                rlimit_text(wanted_soft)
            } else {
                format!("{}:{}", rlimit_text(wanted_soft), rlimit_text(wanted_hard))
            };
            match unit.set_edit(ctx.files, "LimitNOFILE", &value, nofile.origin.as_ref()) {
                Some(edit) => d = d.with_fix(Fix::safe(format!("set `LimitNOFILE={value}` in {}", unit.name), vec![edit])),
                None => d = d.with_help(format!("add `[Service]` `LimitNOFILE={value}` in a drop-in, {}", unit.dropin_path())),
            }
            ctx.push(d);
        }
    }
}

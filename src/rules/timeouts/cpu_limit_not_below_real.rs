use crate::declare_rule;
use crate::diagnostic::Fix;
use crate::rules::{Ctx, Rule, RuleMeta};

declare_rule! {
    /// A CPU time limit that the wall-clock limit always beats.
    pub struct CpuLimitNotBelowReal {
        code: "OL302",
        name: "cpu-limit-not-below-real",
        severity: Warning,
        fix: Safe,
        symptoms: [Silent, S504],
        summary: "`limit_time_cpu` ≥ `limit_time_real`: the CPU limit can never fire",
    }
}

impl Rule for CpuLimitNotBelowReal {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &mut Ctx) {
        let odoo = &ctx.stack.odoo;
        if !odoo.known() {
            return;
        }
        let (Some(cpu), Some(real)) = (odoo.int("limit_time_cpu"), odoo.int("limit_time_real")) else { return };
        if cpu.value <= 0 || real.value <= 0 || cpu.value < real.value || (cpu.origin.is_default() && real.origin.is_default()) {
            return;
        }
        let (Some((cpu_span, cpu_label)), Some((real_span, real_label))) =
            (odoo.place(ctx.files, "limit_time_cpu"), odoo.place(ctx.files, "limit_time_real"))
        else {
            return;
        };
        let target = real.value / 2;
        let mut d = ctx
            .diag(
                cpu_span,
                format!(
                    "{} but {}: a request cannot use more CPU seconds than wall-clock seconds, so the watchdog always kills it first and the CPU limit never fires",
                    odoo.describe_int("limit_time_cpu", "s"),
                    odoo.describe_int("limit_time_real", "s")
                ),
            )
            .with_primary_label(if cpu_label.is_empty() { format!("{} s of CPU", cpu.value) } else { cpu_label })
            .with_label(real_span, if real_label.is_empty() { format!("{} s of wall clock", real.value) } else { real_label })
            .with_help("the CPU limit stops a request that computes too long (the worker survives); the real-time limit kills a worker stuck waiting: keep CPU below real, as Odoo's defaults do (60 s and 120 s)");
        if target > 0
            && let Some(edits) = ctx.stack.odoo_set_edits(ctx.files, "limit_time_cpu", &target.to_string())
        {
            d = d.with_fix(Fix::safe(
                format!("set `limit_time_cpu = {target}` (half of `limit_time_real`, Odoo's default ratio)"),
                edits,
            ));
        }
        ctx.push(d);
    }
}

use crate::declare_rule;
use crate::diagnostic::Fix;
use crate::rules::{Ctx, Rule, RuleMeta};
use crate::stack::budget::{RAM_PER_PROCESS_MIN, RAM_PER_PROCESS_RECOMMENDED};
use crate::units::Bytes;

declare_rule! {
    /// Too little memory per Odoo process.
    pub struct RamPerWorkerLow {
        code: "OL204",
        name: "ram-per-worker-low",
        severity: Warning,
        fix: Unsafe,
        symptoms: [OomKill, S503],
        summary: "host budget ÷ processes < 512 MiB",
    }
}

impl Rule for RamPerWorkerLow {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &mut Ctx) {
        if !ctx.stack.odoo.known() || !ctx.stack.odoo.prefork() {
            return;
        }
        let Some(memory) = ctx.memory() else { return };
        let odoo = &ctx.stack.odoo;
        let p = odoo.processes();
        let per = Bytes(memory.value.0 / p.total().max(1));
        if per >= RAM_PER_PROCESS_MIN {
            return;
        }
        let Some((span, _)) = odoo.place(ctx.files, "workers") else { return };
        let mut d = ctx
            .diag(
                span,
                format!(
                    "{} ({}) for {} is {per} each, below the {RAM_PER_PROCESS_MIN} per process under which workers get OOM-killed ({RAM_PER_PROCESS_RECOMMENDED} recommended)",
                    memory.value,
                    memory.origin,
                    p.describe()
                ),
            )
            .with_primary_label(format!("{} processes", p.total()));
        let fit = memory.value.0 / RAM_PER_PROCESS_MIN.0;
        let target = fit.saturating_sub(p.cron + p.gevent);
        if target >= 1
            && let Some(edits) = ctx.stack.odoo_set_edits(ctx.files, "workers", &target.to_string())
        {
            d = d.with_fix(Fix::unsafe_(format!("set `workers = {target}` ({RAM_PER_PROCESS_MIN} per process)"), edits));
        }
        ctx.push(d);
    }
}

use crate::declare_rule;
use crate::diagnostic::Fix;
use crate::rules::{Ctx, Rule, RuleMeta};
use crate::stack::budget::max_workers_for;

declare_rule! {
    /// More busy processes than Odoo's rule of thumb for the host's CPUs.
    pub struct WorkersExceedCpu {
        code: "OL102",
        name: "workers-exceed-cpu",
        severity: Warning,
        fix: Unsafe,
        symptoms: [S504, Slow],
        summary: "`workers + max_cron_threads` > 2 × CPUs + 1 (Odoo's rule of thumb): requests queue for CPU",
    }
}

impl Rule for WorkersExceedCpu {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &mut Ctx) {
        let odoo = &ctx.stack.odoo;
        if !odoo.known() || !odoo.prefork() {
            return;
        }
        let p = odoo.processes();
        if p.http == 0 {
            return; // a cron-only node (workers = -1)
        }
        let Some(cpus) = ctx.cpus() else { return };
        let limit = max_workers_for(cpus.value);
        let busy = p.http + p.cron;
        if busy <= limit {
            return;
        }
        let odoo = &ctx.stack.odoo;
        let Some((span, _)) = odoo.place(ctx.files, "workers") else { return };
        let mut d = ctx
            .diag(
                span,
                format!(
                    "{} HTTP workers + {} cron workers = {busy} busy processes on {} CPUs ({}); Odoo's rule of thumb is at most 2 × {} + 1 = {limit}: under load requests queue for CPU and time out",
                    p.http, p.cron, cpus.value, cpus.origin, cpus.value
                ),
            )
            .with_primary_label(format!("{} HTTP workers", p.http));
        if let Some((cron_span, _)) = odoo.place(ctx.files, "max_cron_threads")
            && cron_span != span
        {
            d = d.with_label(cron_span, format!("{} cron workers", p.cron));
        }
        let target = limit.saturating_sub(p.cron).max(1);
        if let Some(edits) = ctx.stack.odoo_set_edits(ctx.files, "workers", &target.to_string()) {
            d = d.with_fix(Fix::unsafe_(format!("set `workers = {target}`"), edits));
        }
        d = d.with_help("lower `workers` (or `max_cron_threads`), or give the stack more CPUs; about 6 concurrent users per worker is Odoo's sizing figure");
        ctx.push(d);
    }
}

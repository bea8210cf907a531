use crate::declare_rule;
use crate::diagnostic::Fix;
use crate::rules::{Ctx, Rule, RuleMeta};
use crate::stack::budget::PROCESS_ESTIMATE;

declare_rule! {
    /// Fewer HTTP workers than CPUs while the memory would allow more.
    pub struct WorkersUnderuseCpu {
        code: "OL103",
        name: "workers-underuse-cpu",
        severity: Info,
        fix: Unsafe,
        symptoms: [Slow],
        summary: "`workers` < CPUs while RAM allows more",
    }
}

impl Rule for WorkersUnderuseCpu {
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
            return;
        }
        let Some(cpus) = ctx.cpus() else { return };
        if p.http >= cpus.value as u64 {
            return;
        }
        let Some(memory) = ctx.memory() else { return };
        let odoo = &ctx.stack.odoo;
        // How many HTTP workers the memory holds at Odoo's per-process estimate, beside cron
        // workers and the gevent process (and PostgreSQL's share when it shares the host).
        let reserved = ctx.stack.postgres_share.map(|b| b.0).unwrap_or(0);
        let fits = memory.value.0.saturating_sub(reserved) / PROCESS_ESTIMATE.0;
        let fits_http = fits.saturating_sub(p.cron + p.gevent);
        let target = (cpus.value as u64).min(fits_http);
        if target <= p.http {
            return;
        }
        let Some((span, _)) = odoo.place(ctx.files, "workers") else { return };
        let mut d = ctx
            .diag(
                span,
                format!(
                    "{} HTTP workers on {} CPUs, and {} of memory holds {fits_http} at Odoo's estimate of {PROCESS_ESTIMATE} per process: CPUs stay idle while requests wait for a worker",
                    p.http, cpus.value, memory.value
                ),
            )
            .with_primary_label(format!("{} HTTP workers", p.http));
        if let Some(edits) = ctx.stack.odoo_set_edits(ctx.files, "workers", &target.to_string()) {
            d = d.with_fix(Fix::unsafe_(format!("set `workers = {target}`"), edits));
        }
        ctx.push(d);
    }
}

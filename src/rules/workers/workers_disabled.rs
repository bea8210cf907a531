use crate::declare_rule;
use crate::diagnostic::Fix;
use crate::rules::{Ctx, Rule, RuleMeta};
use crate::stack::budget::{PROCESS_ESTIMATE, max_workers_for};

declare_rule! {
    /// Threaded mode on a stack that serves real traffic.
    pub struct WorkersDisabled {
        code: "OL101",
        name: "workers-disabled",
        severity: Warning,
        fix: Unsafe,
        symptoms: [S502, S504, Slow, OomKill],
        summary: "`workers = 0` (threaded mode) on a stack behind a proxy or on a host with more than one CPU",
    }
}

impl Rule for WorkersDisabled {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &mut Ctx) {
        let odoo = &ctx.stack.odoo;
        if !odoo.known() {
            return;
        }
        let Some(workers) = odoo.int("workers") else { return };
        if workers.value != 0 {
            return;
        }
        let proxied = ctx.stack.behind_proxy(ctx.files);
        let cpus = ctx.stack.host.cpus.clone();
        let many_cpus = cpus.as_ref().is_some_and(|c| c.value > 1);
        if !proxied && !many_cpus {
            if cpus.is_none() {
                ctx.cpus(); // note that the CPU count would have decided
            }
            return;
        }
        let Some((span, label)) = odoo.place(ctx.files, "workers") else { return };
        let why = match (&cpus, proxied) {
            (Some(c), true) if c.value > 1 => format!("behind a proxy on {} CPUs", c.value),
            (Some(c), false) => format!("on {} CPUs", c.value),
            _ => "behind a proxy".to_string(),
        };
        let mut d = ctx
            .diag(
                span,
                format!(
                    "{} : Odoo runs threaded {why} — one process for every request, no per-request time or memory limits, and no gevent process for the websocket",
                    odoo.describe_int("workers", "")
                )
                .replace(" :", ":"),
            )
            .with_primary_label(if label.is_empty() { "threaded mode".to_string() } else { label })
            .with_help("run in prefork mode: set `workers` to the number of HTTP workers (Odoo's rule of thumb: 2 × CPUs + 1 workers and cron threads together, about 6 concurrent users per worker)");
        if let Some(c) = &cpus {
            let cron = odoo.int("max_cron_threads").map(|c| c.value.max(0) as u64).unwrap_or(2);
            let mut target = max_workers_for(c.value).saturating_sub(cron).max(2);
            if let Some(mem) = &ctx.stack.host.memory {
                let fit = (mem.value.0 / PROCESS_ESTIMATE.0).saturating_sub(cron + 1);
                target = target.min(fit.max(2));
            }
            if let Some(edits) = ctx.stack.odoo_set_edits(ctx.files, "workers", &target.to_string()) {
                d = d.with_fix(Fix::unsafe_(format!("set `workers = {target}`"), edits));
            }
        }
        ctx.push(d);
    }
}

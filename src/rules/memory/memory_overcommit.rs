use crate::declare_rule;
use crate::diagnostic::Fix;
use crate::rules::{Ctx, Rule, RuleMeta};
use crate::stack::budget::PROCESS_ESTIMATE;
use crate::units::Bytes;

declare_rule! {
    /// The expected real memory use does not fit the budget.
    pub struct MemoryOvercommit {
        code: "OL202",
        name: "memory-overcommit",
        severity: Error,
        fix: Unsafe,
        symptoms: [OomKill, S502, S503],
        summary: "processes × Odoo's per-process estimate (+ PostgreSQL when it shares the host) > host budget",
    }
}

impl Rule for MemoryOvercommit {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &mut Ctx) {
        if !ctx.stack.odoo.known() {
            return;
        }
        let Some(memory) = ctx.memory() else { return };
        let odoo = &ctx.stack.odoo;
        let p = odoo.processes();
        let odoo_use = Bytes(p.total().saturating_mul(PROCESS_ESTIMATE.0));
        let pg = ctx.stack.postgres_share.unwrap_or_default();
        let total = Bytes(odoo_use.0.saturating_add(pg.0));
        if total <= memory.value {
            return;
        }
        let Some((span, _)) = odoo.place(ctx.files, "workers") else { return };
        // PostgreSQL's share, with what it is made of (the server that shares the budget).
        let share = ctx.stack.postgres_share.and(ctx.stack.postgres.first()).and_then(|m| m.share().map(|s| (m, s)));
        let pg_part = match &share {
            Some((_, s)) => format!(" + PostgreSQL {pg} ({})", s.describe()),
            None if pg.0 > 0 => format!(" + PostgreSQL {pg}"),
            None => String::new(),
        };
        let mut d = ctx
            .diag(
                span,
                format!(
                    "{} × {PROCESS_ESTIMATE} (Odoo's estimate per process){pg_part} = {total}, but the host has {} ({}): the OOM killer will fire under ordinary load",
                    p.describe(),
                    memory.value,
                    memory.origin
                ),
            )
            .with_primary_label(format!("{} processes", p.total()))
            .with_note("Odoo's deployment guide: RAM ≈ processes × (0.8 × 150 MB light requests + 0.2 × 1 GB heavy ones)");
        if let Some((m, _)) = &share
            && let Some((span, _)) = m.place(ctx.files, "shared_buffers")
        {
            d = d.with_label(span, format!("PostgreSQL on the same host: {pg}"));
        }
        if !p.threaded {
            let room = memory.value.0.saturating_sub(pg.0) / PROCESS_ESTIMATE.0;
            let target = room.saturating_sub(p.cron + p.gevent);
            if target >= 1
                && let Some(edits) = ctx.stack.odoo_set_edits(ctx.files, "workers", &target.to_string())
            {
                d = d.with_fix(Fix::unsafe_(format!("set `workers = {target}` to fit {}", memory.value), edits));
            } else if target >= 1 {
                d = d.with_help(format!("lower `workers` to {target} to fit {}", memory.value));
            } else {
                d = d.with_help("this host is too small for prefork mode with these cron workers: add memory");
            }
        }
        ctx.push(d);
    }
}

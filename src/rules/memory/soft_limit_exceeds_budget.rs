use crate::declare_rule;
use crate::diagnostic::Fix;
use crate::rules::{Ctx, Rule, RuleMeta};
use crate::stack::budget::SOFT_LIMIT_FLOOR;
use crate::units::{Bytes, MIB};

/// The smallest soft limit worth setting (see [`SOFT_LIMIT_FLOOR`]).
const SOFT_FLOOR: u64 = SOFT_LIMIT_FLOOR.0;

declare_rule! {
    /// The soft limits of all processes add up to more than the budget.
    pub struct SoftLimitExceedsBudget {
        code: "OL206",
        name: "soft-limit-exceeds-budget",
        severity: Warning,
        fix: Unsafe,
        symptoms: [OomKill, S502],
        summary: "processes × `limit_memory_soft` > host budget: the budget runs out before any worker is recycled",
    }
}

impl Rule for SoftLimitExceedsBudget {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &mut Ctx) {
        if !ctx.stack.odoo.known() || !ctx.stack.odoo.prefork() {
            return;
        }
        let odoo = &ctx.stack.odoo;
        let Some(soft) = odoo.int("limit_memory_soft") else { return };
        if soft.value <= 0 {
            return;
        }
        let Some(memory) = ctx.memory() else { return };
        let odoo = &ctx.stack.odoo;
        let p = odoo.processes();
        // The gevent process uses its own soft limit where the version has one (18+).
        let gevent_soft = if p.gevent > 0 && odoo.major >= 18 {
            odoo.get("limit_memory_soft_gevent")
                .and(odoo.int("limit_memory_soft_gevent"))
                .map(|t| t.value)
                .filter(|v| *v > 0)
                .unwrap_or(soft.value)
        } else {
            soft.value
        };
        let total =
            (p.http + p.cron).saturating_mul(soft.value as u64).saturating_add(p.gevent.saturating_mul(gevent_soft as u64));
        let available = memory.value.0.saturating_sub(ctx.stack.postgres_share.map(|b| b.0).unwrap_or(0));
        if total <= available {
            return;
        }
        let Some((span, label)) = odoo.place(ctx.files, "limit_memory_soft") else { return };
        let mut d = ctx
            .diag(
                span,
                format!(
                    "{} × {} soft limit = {}, but the host has {} ({}): Odoo recycles a worker only when its own virtual size passes the soft limit, so memory can run out before any worker is recycled",
                    p.describe(),
                    Bytes(soft.value as u64),
                    Bytes(total),
                    memory.value,
                    memory.origin
                ),
            )
            .with_primary_label(if label.is_empty() { format!("{} per process", Bytes(soft.value as u64)) } else { label })
            .with_note("the soft limit compares virtual size (VMS), which overstates resident memory: this is a warning, not a certainty");
        // A soft limit that fits, rounded down to 64 MiB. Below 512 MiB of virtual size an Odoo
        // worker is recycled after nearly every request (its address space alone is several
        // hundred MB): then the host is too small for this many workers, and no limit fixes it.
        // The hard limit (RLIMIT_AS) is left alone unless it would fall below the soft one.
        let per = available / p.total().max(1) / (64 * MIB) * (64 * MIB);
        if per >= SOFT_FLOOR {
            let mut edits = ctx.stack.odoo_set_edits(ctx.files, "limit_memory_soft", &per.to_string()).unwrap_or_default();
            let hard = per.saturating_add(per / 4);
            if odoo.int("limit_memory_hard").is_some_and(|h| (h.value as u64) <= per) {
                edits.extend(ctx.stack.odoo_set_edits(ctx.files, "limit_memory_hard", &hard.to_string()).unwrap_or_default());
            }
            if !edits.is_empty() {
                d = d.with_fix(Fix::unsafe_(format!("set `limit_memory_soft = {per}` ({})", Bytes(per)), edits));
            }
        } else {
            d = d.with_help(format!(
                "this host cannot give each of {} processes a soft limit of at least {}: lower `workers` (see OL202, OL204) or add memory",
                p.total(),
                Bytes(SOFT_FLOOR)
            ));
        }
        ctx.push(d);
    }
}

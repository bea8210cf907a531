use crate::declare_rule;
use crate::diagnostic::Fix;
use crate::rules::{Ctx, Rule, RuleMeta};
use crate::units::{Bytes, MIB};

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
        let total = (p.http + p.cron) * soft.value as u64 + p.gevent * gevent_soft as u64;
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
        // A soft limit that fits, rounded down to 64 MiB, and the hard limit 1.25 × above it.
        let per = available / p.total().max(1) / (64 * MIB) * (64 * MIB);
        if per >= 256 * MIB {
            let mut edits = odoo.set_edits(ctx.files, "limit_memory_soft", &per.to_string()).unwrap_or_default();
            let hard = per + per / 4;
            if odoo.int("limit_memory_hard").is_some_and(|h| h.value as u64 > hard) {
                edits.extend(odoo.set_edits(ctx.files, "limit_memory_hard", &hard.to_string()).unwrap_or_default());
            }
            if !edits.is_empty() {
                d = d.with_fix(Fix::unsafe_(
                    format!("set `limit_memory_soft = {per}` ({}) and the hard limit 1.25 × above it", Bytes(per)),
                    edits,
                ));
            }
        } else {
            d = d.with_help("this host cannot give each process a useful soft limit: lower `workers` or add memory");
        }
        ctx.push(d);
    }
}

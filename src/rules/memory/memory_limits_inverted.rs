use crate::declare_rule;
use crate::diagnostic::Fix;
use crate::rules::{Ctx, Rule, RuleMeta};
use crate::units::Bytes;

declare_rule! {
    /// The soft memory limit at or above the hard one.
    pub struct MemoryLimitsInverted {
        code: "OL201",
        name: "memory-limits-inverted",
        severity: Error,
        fix: Safe,
        symptoms: [S502, OomKill],
        summary: "`limit_memory_soft` ≥ `limit_memory_hard`",
    }
}

impl Rule for MemoryLimitsInverted {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &mut Ctx) {
        let odoo = &ctx.stack.odoo;
        if !odoo.known() {
            return;
        }
        for (soft_key, hard_key) in
            [("limit_memory_soft", "limit_memory_hard"), ("limit_memory_soft_gevent", "limit_memory_hard_gevent")]
        {
            // the gevent pair only when both are set (each falls back to the main limit)
            if soft_key.ends_with("gevent") && (odoo.get(soft_key).is_none() || odoo.get(hard_key).is_none()) {
                continue;
            }
            let (Some(soft), Some(hard)) = (odoo.int(soft_key), odoo.int(hard_key)) else { continue };
            if soft.value <= 0
                || hard.value <= 0
                || soft.value < hard.value
                || (soft.origin.is_default() && hard.origin.is_default())
            {
                continue;
            }
            let (Some((soft_span, soft_label)), Some((hard_span, hard_label))) =
                (odoo.place(ctx.files, soft_key), odoo.place(ctx.files, hard_key))
            else {
                continue;
            };
            let show = |v: i64| Bytes(v as u64).to_string();
            let mut d = ctx
                .diag(
                    soft_span,
                    format!(
                        "`{soft_key}` ({}) is not below `{hard_key}` ({}): a worker hits the hard limit, and fails its allocations (MemoryError), before it is ever recycled at the soft limit",
                        show(soft.value),
                        show(hard.value)
                    ),
                )
                .with_primary_label(if soft_label.is_empty() { format!("soft: {}", show(soft.value)) } else { soft_label })
                .with_label(hard_span, if hard_label.is_empty() { format!("hard: {}", show(hard.value)) } else { hard_label })
                .with_help("the soft limit recycles a worker between requests; the hard limit (RLIMIT_AS) makes allocations fail mid-request: keep soft below hard (Odoo's defaults: 2048 MiB and 2560 MiB)");
            if !soft.origin.is_default() && !hard.origin.is_default() && soft.value != hard.value {
                // both written: the two values were swapped
                let mut edits = ctx.stack.odoo_set_edits(ctx.files, soft_key, &hard.value.to_string()).unwrap_or_default();
                edits.extend(ctx.stack.odoo_set_edits(ctx.files, hard_key, &soft.value.to_string()).unwrap_or_default());
                if edits.len() == 2 {
                    d = d.with_fix(Fix::safe(format!("swap the values of `{soft_key}` and `{hard_key}`"), edits));
                }
            } else if hard.origin.is_default() || soft.value == hard.value {
                // raise the hard limit to Odoo's ratio (2560/2048 = 1.25) above the soft one
                let new_hard = soft.value.saturating_add(soft.value / 4);
                if let Some(edits) = ctx.stack.odoo_set_edits(ctx.files, hard_key, &new_hard.to_string()) {
                    d = d.with_fix(Fix::unsafe_(
                        format!("set `{hard_key} = {new_hard}` ({}, 1.25 × the soft limit)", show(new_hard)),
                        edits,
                    ));
                }
            }
            ctx.push(d);
        }
    }
}

use super::loads;
use crate::declare_rule;
use crate::diagnostic::Fix;
use crate::rules::{Ctx, Rule, RuleMeta};

declare_rule! {
    /// queue_job loaded on a server without enough workers.
    pub struct QueueJobNeedsWorkers {
        code: "OL604",
        name: "queue-job-needs-workers",
        severity: Warning,
        fix: Unsafe,
        symptoms: [Slow, S504],
        summary: "queue_job is loaded while `workers` < 2: its README asks for multi-process mode in production",
    }
}

impl Rule for QueueJobNeedsWorkers {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &mut Ctx) {
        let odoo = &ctx.stack.odoo;
        if !loads(ctx, "queue_job") {
            return;
        }
        let Some(workers) = odoo.int("workers") else { return };
        if workers.value >= 2 || workers.value < 0 {
            return;
        }
        let Some((span, label)) = odoo.place(ctx.files, "workers") else { return };
        let mode = if workers.value == 0 { "threaded mode" } else { "a single HTTP worker" };
        let mut d = ctx
            .diag(
                span,
                format!(
                    "queue_job is loaded server-wide but {} — {mode}: jobs run inside HTTP requests, so with fewer than 2 workers every running job takes the whole web server",
                    odoo.describe_int("workers", "")
                ),
            )
            .with_primary_label(if label.is_empty() { mode.to_string() } else { label })
            .with_note("queue_job's README: use it with `--workers` greater than 1 in production; threaded mode is for development");
        if let Some(edits) = ctx.stack.odoo_set_edits(ctx.files, "workers", "2") {
            d = d.with_fix(Fix::unsafe_("set `workers = 2` (size it with OL102 and OL202)", edits));
        }
        ctx.push(d);
    }
}

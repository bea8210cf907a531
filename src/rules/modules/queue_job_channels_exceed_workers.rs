use super::{loads, queue_job_setting, root_capacity};
use crate::declare_rule;
use crate::rules::{Ctx, Rule, RuleMeta};

declare_rule! {
    /// More concurrent jobs allowed than HTTP workers.
    pub struct QueueJobChannelsExceedWorkers {
        code: "OL603",
        name: "queue-job-channels-exceed-workers",
        severity: Warning,
        fix: None,
        symptoms: [S504, Slow],
        summary: "the root channel capacity of queue_job is ≥ `workers`: jobs can occupy every HTTP worker",
    }
}

impl Rule for QueueJobChannelsExceedWorkers {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &mut Ctx) {
        let odoo = &ctx.stack.odoo;
        if !odoo.prefork() || !loads(ctx, "queue_job") {
            return;
        }
        let Some((channels, span)) = queue_job_setting(ctx, "channels") else { return };
        let Some(capacity) = root_capacity(&channels) else { return };
        let workers = odoo.processes().http;
        if workers == 0 || capacity < workers {
            return;
        }
        let mut d = ctx
            .diag(
                span,
                format!(
                    "queue_job may run {capacity} jobs at once (root channel), and Odoo has {workers} HTTP workers: each job runs inside an HTTP worker, so jobs can take every worker and users wait"
                ),
            )
            .with_primary_label(format!("root capacity {capacity}"))
            .with_help(format!(
                "keep the root channel's capacity below `workers` (e.g. {}), or add workers",
                suggestion(ctx, &channels, span, workers.saturating_sub(1).max(1))
            ))
            .with_note("queue_job's README (16.0+): \"the number of workers must be greater than the channel capacity\"");
        if let Some((wspan, _)) = odoo.place(ctx.files, "workers") {
            d = d.with_label(wspan, format!("{workers} HTTP workers"));
        }
        ctx.push(d);
    }
}

/// The setting as it would read with the root capacity lowered, where it is written: the
/// container's `ODOO_QUEUE_JOB_CHANNELS`, or `channels` in odoo.conf's `[queue_job]`.
fn suggestion(ctx: &Ctx, channels: &str, span: crate::source::Span, capacity: u64) -> String {
    let lowered = super::with_root_capacity(channels, capacity);
    if ctx.stack.odoo.conf == Some(span.file) {
        format!("`channels = {lowered}` under `[queue_job]`")
    } else {
        format!("`ODOO_QUEUE_JOB_CHANNELS: {lowered}`")
    }
}

use crate::declare_rule;
use crate::rules::{Ctx, Rule, RuleMeta};

declare_rule! {
    /// No process runs the scheduled actions.
    pub struct CronThreadsDisabled {
        code: "OL104",
        name: "cron-threads-disabled",
        severity: Info,
        fix: None,
        symptoms: [Silent],
        summary: "`max_cron_threads = 0` and no other stack member runs crons: scheduled actions never run",
    }
}

impl Rule for CronThreadsDisabled {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &mut Ctx) {
        let odoo = &ctx.stack.odoo;
        let Some(cron) = odoo.int("max_cron_threads") else { return };
        if cron.value != 0 || cron.origin.is_default() || ctx.stack.other_cron_runner {
            return;
        }
        let Some((span, _)) = odoo.place(ctx.files, "max_cron_threads") else { return };
        let d = ctx
            .diag(
                span,
                "`max_cron_threads = 0` and nothing else in this stack runs Odoo's crons: scheduled actions (emails, reminders, queue_job's own checks) never run",
            )
            .with_primary_label("no cron workers")
            .with_help("set `max_cron_threads = 1` (or 2, Odoo's default) on one Odoo node; keep 0 only where another node runs the crons")
            .with_note("a dedicated cron node runs with `--workers=-1 --max-cron-threads=N` (Odoo's WSGI deployment notes)");
        ctx.push(d);
    }
}

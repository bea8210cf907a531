use crate::declare_rule;
use crate::rules::{Ctx, Rule, RuleMeta};

declare_rule! {
    /// Cron workers without a watchdog.
    pub struct CronTimeUnbounded {
        code: "OL303",
        name: "cron-time-unbounded",
        severity: Warning,
        fix: None,
        symptoms: [Silent, Slow],
        summary: "`limit_time_real_cron = 0` (no limit): a stuck cron holds a worker forever",
    }
}

impl Rule for CronTimeUnbounded {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &mut Ctx) {
        let odoo = &ctx.stack.odoo;
        let Some(v) = odoo.int("limit_time_real_cron") else { return };
        if v.value != 0 || v.origin.is_default() {
            return;
        }
        let Some((span, _)) = odoo.place(ctx.files, "limit_time_real_cron") else { return };
        let d = ctx
            .diag(
                span,
                "`limit_time_real_cron = 0` turns the cron watchdog off: a scheduled action that hangs (a remote API that never answers, a lock wait) keeps its cron worker busy forever and the crons behind it never run",
            )
            .with_primary_label("no time limit for crons")
            .with_help("set a limit in seconds that your longest cron fits in, or -1 to use `limit_time_real`")
            .with_note("-1 (the default) means the same limit as `limit_time_real`; 0 means none (odoo/service/server.py)");
        ctx.push(d);
    }
}

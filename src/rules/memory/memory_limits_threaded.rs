use crate::declare_rule;
use crate::rules::{Ctx, Rule, RuleMeta};

declare_rule! {
    /// Memory limits that act on the whole server in threaded mode.
    pub struct MemoryLimitsThreaded {
        code: "OL205",
        name: "memory-limits-threaded",
        severity: Info,
        fix: None,
        symptoms: [S502],
        summary: "`limit_memory_*` set while `workers = 0`: they apply to the one process as a whole",
    }
}

impl Rule for MemoryLimitsThreaded {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &mut Ctx) {
        let odoo = &ctx.stack.odoo;
        if !odoo.known() || odoo.prefork() {
            return;
        }
        let Some(key) = ["limit_memory_soft", "limit_memory_hard"].into_iter().find(|k| odoo.get(k).is_some()) else { return };
        let Some((span, _)) = odoo.place(ctx.files, key) else { return };
        let d = ctx
            .diag(
                span,
                format!("`{key}` is set while `workers` is 0: in threaded mode the limits apply to the one process that serves everything, and crossing the soft limit restarts the whole server"),
            )
            .with_primary_label("a limit for the whole server")
            .with_help("size the limits for the whole process, or run in prefork mode (`workers` > 0), where they apply per worker")
            .with_note("threaded mode checks the soft limit every 60 s and re-executes the server when it is crossed (odoo/service/server.py, ThreadedServer)");
        ctx.push(d);
    }
}

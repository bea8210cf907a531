use crate::declare_rule;
use crate::rules::{Ctx, Rule, RuleMeta};

declare_rule! {
    /// Several databases can be served and nothing picks one per host.
    pub struct DbfilterMissing {
        code: "OL803",
        name: "dbfilter-missing",
        severity: Warning,
        fix: None,
        symptoms: [Exposed, Silent],
        summary: "several databases can be served (no `db_name`, `list_db` true or unknown) and no `dbfilter` is set",
    }
}

impl Rule for DbfilterMissing {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &mut Ctx) {
        let odoo = &ctx.stack.odoo;
        if !odoo.known() || !ctx.stack.behind_proxy(ctx.files) {
            return;
        }
        let set = |k: &str| odoo.get(k).is_some_and(|s| !s.raw.trim().is_empty() && s.raw != "False" && s.raw != "false");
        if set("dbfilter") || set("db_name") {
            return;
        }
        if odoo.flag("list_db").is_some_and(|l| !l.value) {
            return;
        }
        let Some((span, label)) = odoo.place(ctx.files, "dbfilter") else { return };
        let d = ctx
            .diag(
                span,
                "neither `dbfilter` nor `db_name` is set: every database on the PostgreSQL server can be served to every visitor, who picks one in the selector (and a website with several databases needs a filter to work at all)",
            )
            .with_primary_label(if label.is_empty() { "no dbfilter".to_string() } else { label })
            .with_help("set `dbfilter = ^%d$` (the first part of the host name) or `^%h$` (the whole host name), or `db_name` for a single database");
        ctx.push(d);
    }
}

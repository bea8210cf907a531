use crate::declare_rule;
use crate::diagnostic::Fix;
use crate::rules::{Ctx, Rule, RuleMeta};

declare_rule! {
    /// The database manager open on a stack reachable from outside.
    pub struct DatabaseManagerExposed {
        code: "OL802",
        name: "database-manager-exposed",
        severity: Warning,
        fix: Safe,
        symptoms: [Exposed, LostData],
        summary: "`list_db` is true (the default, or a misread boolean) on a stack reachable from outside",
    }
}

impl Rule for DatabaseManagerExposed {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &mut Ctx) {
        let odoo = &ctx.stack.odoo;
        if !odoo.known() || !ctx.stack.behind_proxy(ctx.files) {
            return;
        }
        let Some(list_db) = odoo.flag("list_db") else { return };
        if !list_db.value {
            return;
        }
        let Some((span, label)) = odoo.place(ctx.files, "list_db") else { return };
        let written = odoo.get("list_db").map(|s| s.raw.clone());
        let why = match &written {
            None => "`list_db` is true (Odoo's default)".to_string(),
            Some(raw) if raw == "True" || raw == "true" => "`list_db` is true".to_string(),
            Some(raw) => format!("`list_db = {raw}` reads as true"),
        };
        let mut d = ctx
            .diag(
                span,
                format!("{why} and a proxy makes this Odoo reachable: the database manager (/web/database/manager) and the database list are open to anyone who reaches the site"),
            )
            .with_primary_label(if label.is_empty() { "database manager on".to_string() } else { label })
            .with_help("set `list_db = False` once `db_name` or `dbfilter` selects the database (Odoo's deployment guide, Security); or block /web/database at the proxy");
        // Safe when the site still knows its database without the selector.
        let selects = odoo.get("db_name").is_some_and(|s| !s.raw.is_empty() && s.raw != "False")
            || odoo.get("dbfilter").is_some_and(|s| !s.raw.is_empty());
        if let Some(edits) = ctx.stack.odoo_set_edits(ctx.files, "list_db", "False") {
            let title = "set `list_db = False`";
            d = d.with_fix(if selects { Fix::safe(title, edits) } else { Fix::unsafe_(title, edits) });
        }
        ctx.push(d);
    }
}

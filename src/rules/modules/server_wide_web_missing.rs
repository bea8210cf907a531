use crate::declare_rule;
use crate::diagnostic::Fix;
use crate::rules::{Ctx, Rule, RuleMeta};

declare_rule! {
    /// `server_wide_modules` set without the modules Odoo needs there.
    pub struct ServerWideWebMissing {
        code: "OL602",
        name: "server-wide-web-missing",
        severity: Error,
        fix: Safe,
        symptoms: [S502, RefusedStart],
        summary: "`server_wide_modules` is set without `web` (or `base`)",
    }
}

impl Rule for ServerWideWebMissing {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &mut Ctx) {
        let odoo = &ctx.stack.odoo;
        // Odoo 19 always adds base and web itself.
        if odoo.major >= 19 && ctx.stack.version.is_known() {
            return;
        }
        let Some(setting) = odoo.get("server_wide_modules") else { return };
        let raw = setting.raw.trim();
        if crate::rules::input::is_template_value(raw) {
            return;
        }
        let Some((span, _)) = odoo.place(ctx.files, "server_wide_modules") else { return };
        if raw == "False" || raw == "false" {
            let mut d = ctx
                .diag(span, "`server_wide_modules = False` is the boolean False on Odoo 14–18, which Odoo then splits as text: it stops at startup")
                .with_primary_label("a boolean, not a module list");
            if let Some(edits) = ctx.stack.odoo_set_edits(ctx.files, "server_wide_modules", "base,web") {
                d = d.with_fix(Fix::safe("set `server_wide_modules = base,web` (Odoo's default)", edits));
            }
            ctx.push(d);
            return;
        }
        // An empty value or `None` falls back to `base,web`.
        if raw.is_empty() || raw == "None" {
            return;
        }
        let Some(list) = odoo.list("server_wide_modules") else { return };
        let missing: Vec<&str> = ["base", "web"].into_iter().filter(|m| !list.value.iter().any(|x| x == m)).collect();
        if missing.is_empty() {
            return;
        }
        let mut d = ctx
            .diag(
                span,
                format!(
                    "`server_wide_modules = {raw}` leaves out {}: Odoo replaces its default `base,web` with this list, and without `web` the web client's routes, sessions and the websocket are not served server-wide",
                    missing.iter().map(|m| format!("`{m}`")).collect::<Vec<_>>().join(" and ")
                ),
            )
            .with_primary_label(format!("no {}", missing.join(", ")));
        let sep = if raw.contains(", ") { ", " } else { "," };
        let mut value: Vec<String> = missing.iter().map(|m| m.to_string()).collect();
        value.extend(list.value.iter().cloned());
        let value = value.join(sep);
        if let Some(edits) = ctx.stack.odoo_set_edits(ctx.files, "server_wide_modules", &value) {
            d = d.with_fix(Fix::safe(format!("set `server_wide_modules = {value}`"), edits));
        }
        ctx.push(d);
    }
}

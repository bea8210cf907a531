use crate::declare_rule;
use crate::diagnostic::Fix;
use crate::rules::{Ctx, Rule, RuleMeta};

declare_rule! {
    /// nginx fronts Odoo, but Odoo does not read the forwarded headers.
    pub struct ProxyModeOff {
        code: "OL705",
        name: "proxy-mode-off",
        severity: Error,
        fix: Safe,
        symptoms: [Silent, Exposed],
        summary: "nginx fronts Odoo but `proxy_mode` is not true: wrong client IPs, http links behind https",
    }
}

impl Rule for ProxyModeOff {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &mut Ctx) {
        let stack = ctx.stack;
        let odoo = &stack.odoo;
        if !stack.has_odoo() || stack.routes.is_empty() {
            return;
        }
        let Some(mode) = odoo.flag("proxy_mode") else { return };
        if mode.value {
            return;
        }
        let Some((span, label)) = odoo.place(ctx.files, "proxy_mode") else { return };
        let route = &stack.routes[0];
        let mut d = ctx
            .diag(
                span,
                "nginx proxies to this Odoo, but `proxy_mode` is off: Odoo ignores X-Forwarded-For/-Proto/-Host, so it logs nginx's address for every client, rate-limits and geolocates the proxy, and builds http:// links and redirects behind an https site",
            )
            .with_primary_label(if label.is_empty() { "proxy mode off".to_string() } else { label })
            .with_label(route.location_span(stack), "nginx fronts Odoo here");
        if let Some(edits) = ctx.stack.odoo_set_edits(ctx.files, "proxy_mode", "True") {
            d = d.with_fix(Fix::safe("set `proxy_mode = True`", edits));
        }
        ctx.push(d);
    }
}

use super::forwarded::{add_headers, list_level};
use crate::declare_rule;
use crate::diagnostic::Fix;
use crate::rules::{Ctx, Rule, RuleMeta};

declare_rule! {
    /// proxy_mode on, but the header that switches it on never arrives.
    pub struct ForwardedHostMissing {
        code: "OL706",
        name: "forwarded-host-missing",
        severity: Error,
        fix: Safe,
        symptoms: [Silent],
        summary: "`proxy_mode = True` but an Odoo location does not send `X-Forwarded-Host`: proxy_mode silently does nothing there",
    }
}

impl Rule for ForwardedHostMissing {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &mut Ctx) {
        let stack = ctx.stack;
        if !stack.odoo.flag("proxy_mode").is_some_and(|m| m.value) {
            return;
        }
        let mut fixed_levels = Vec::new();
        for route in &stack.routes {
            let model = route.model(stack);
            if model.proxy_header(Some(route.scope), "X-Forwarded-Host").is_some() {
                continue;
            }
            let mut d = ctx
                .diag(
                    route.location_span(stack),
                    format!(
                        "`location {}` does not send `X-Forwarded-Host`: Odoo applies the forwarded headers only when that one is present, so `proxy_mode` does nothing here — client IPs, https and the host name are all nginx's",
                        route.path
                    ),
                )
                .with_primary_label("no X-Forwarded-Host")
                .with_note("Odoo wraps its WSGI app in ProxyFix only for requests carrying X-Forwarded-Host (odoo/http.py)");
            if let Some((span, _)) = stack.odoo.place(ctx.files, "proxy_mode") {
                d = d.with_label(span, "proxy mode on");
            }
            let level = (route.config, list_level(model, route.scope));
            if !fixed_levels.contains(&level)
                && let Some(edit) = add_headers(ctx, model, route.scope, &["X-Forwarded-Host"])
            {
                fixed_levels.push(level);
                d = d.with_fix(Fix::safe("send `X-Forwarded-Host` to Odoo", vec![edit]));
            }
            ctx.push(d);
        }
    }
}

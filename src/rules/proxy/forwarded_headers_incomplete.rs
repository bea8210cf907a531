use super::forwarded::{add_headers, list_level};
use crate::declare_rule;
use crate::diagnostic::Fix;
use crate::rules::{Ctx, Rule, RuleMeta};

declare_rule! {
    /// X-Forwarded-Host sent without the headers that carry the client's address and scheme.
    pub struct ForwardedHeadersIncomplete {
        code: "OL712",
        name: "forwarded-headers-incomplete",
        severity: Warning,
        fix: Safe,
        symptoms: [Silent],
        summary: "an Odoo location sends `X-Forwarded-Host` but not `X-Forwarded-For` and `X-Forwarded-Proto`",
    }
}

impl Rule for ForwardedHeadersIncomplete {
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
            let scope = Some(route.scope);
            if model.proxy_header(scope, "X-Forwarded-Host").is_none() {
                continue; // OL706's
            }
            let missing: Vec<&str> =
                ["X-Forwarded-For", "X-Forwarded-Proto"].into_iter().filter(|h| model.proxy_header(scope, h).is_none()).collect();
            if missing.is_empty() {
                continue;
            }
            let what = missing.iter().map(|m| format!("`{m}`")).collect::<Vec<_>>().join(" and ");
            let effect = match (missing.contains(&"X-Forwarded-For"), missing.contains(&"X-Forwarded-Proto")) {
                (true, true) => "Odoo sees nginx's address for every client and builds http:// links behind https",
                (true, false) => "Odoo sees nginx's address for every client (logs, rate limits, geolocation)",
                _ => "Odoo builds http:// links and redirects behind an https site",
            };
            let mut d = ctx
                .diag(
                    route.location_span(stack),
                    format!("`location {}` sends `X-Forwarded-Host` but not {what}: {effect}", route.path),
                )
                .with_primary_label(format!("no {}", missing.join(", ")));
            let level = (route.config, list_level(model, route.scope));
            if !fixed_levels.contains(&level)
                && let Some(edit) = add_headers(ctx, model, route.scope, &missing)
            {
                fixed_levels.push(level);
                d = d.with_fix(Fix::safe(format!("send {what}"), vec![edit]));
            }
            ctx.push(d);
        }
    }
}

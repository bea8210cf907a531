use crate::declare_rule;
use crate::diagnostic::Fix;
use crate::rules::containers::{bind_to_loopback, on_all_interfaces};
use crate::rules::{Ctx, Rule, RuleMeta};

declare_rule! {
    /// Odoo trusts forwarded headers and is reachable without the proxy.
    pub struct OdooPortBypassesProxy {
        code: "OL805",
        name: "odoo-port-bypasses-proxy",
        severity: Warning,
        fix: Safe,
        symptoms: [Exposed],
        summary: "Odoo's port is published on all interfaces while nginx fronts it with `proxy_mode = True`",
    }
}

impl Rule for OdooPortBypassesProxy {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &mut Ctx) {
        let stack = ctx.stack;
        let odoo = &stack.odoo;
        if !odoo.known() || stack.routes.is_empty() {
            return;
        }
        let Some(proxy_mode) = odoo.flag("proxy_mode").filter(|p| p.value) else { return };
        let Some((m, i, s, _)) = stack.odoo_container() else { return };
        let mut ports: Vec<i64> = ["http_port", "gevent_port"].iter().filter_map(|k| odoo.int(k).map(|t| t.value)).collect();
        ports.dedup();
        for p in &s.ports {
            if !ports.contains(&i64::from(p.value.target)) || !on_all_interfaces(&p.value) {
                continue;
            }
            let Some(span) = m.span(&p.origin) else { continue };
            let host = format!("`{}`", crate::rules::containers::written_port(ctx, m, p));
            let mut d = ctx
                .diag(
                    span,
                    format!(
                        "{} publishes Odoo's port {} on every interface of the host ({host}), while nginx fronts Odoo and `proxy_mode` is on ({}): a client that talks to the port directly sets `X-Forwarded-For` and `X-Forwarded-Host` itself, and Odoo believes them (client IPs in logs and rate limits, the host it builds links with)",
                        m.describe_service(i),
                        p.value.target,
                        proxy_mode.origin
                    ),
                )
                .with_primary_label("published on 0.0.0.0");
            if let Some(route) = stack.routes.first() {
                d = d.with_label(route.pass_span(stack), "nginx sends requests to Odoo here");
            }
            match bind_to_loopback(ctx, m, s, p) {
                Some(edit) => d = d.with_fix(Fix::safe("publish it on 127.0.0.1 only", vec![edit])),
                None => {
                    d = d.with_help(
                        "publish it on 127.0.0.1 only, or remove the `ports:` entry if nginx runs in the same compose project",
                    )
                }
            }
            ctx.push(d);
        }
    }
}

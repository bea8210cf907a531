use super::edit::port_range;
use super::{gevent_port, http_port, is_local_odoo};
use crate::declare_rule;
use crate::diagnostic::{Edit, Fix};
use crate::rules::{Ctx, Rule, RuleMeta};
use crate::source::Span;
use crate::stack::proxy::RouteRole;

declare_rule! {
    /// nginx sends Odoo's pages to a port where Odoo does not listen.
    pub struct UpstreamPortMismatch {
        code: "OL701",
        name: "upstream-port-mismatch",
        severity: Error,
        fix: Safe,
        symptoms: [S502],
        summary: "the nginx `proxy_pass`/`upstream` target of Odoo's main location is not where Odoo listens",
    }
}

impl Rule for UpstreamPortMismatch {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &mut Ctx) {
        let stack = ctx.stack;
        if !stack.has_odoo() {
            return;
        }
        if !stack.odoo.known() {
            return;
        }
        let http = http_port(stack);
        let (gevent, _) = gevent_port(stack);
        let mut seen: Vec<Span> = Vec::new();
        for route in stack.routes.iter().filter(|r| r.role == RouteRole::Main) {
            for t in &route.targets {
                let Some(port) = t.port else { continue };
                if port == http || !is_local_odoo(stack, t) || seen.contains(&t.span) {
                    continue;
                }
                seen.push(t.span);
                let host = t.host.clone().unwrap_or_default();
                let what = if port == gevent && stack.odoo.prefork() {
                    format!("{port}, the gevent port, which serves only the websocket")
                } else {
                    format!("{port}")
                };
                let mut d = ctx
                    .diag(
                        t.span,
                        format!(
                            "nginx sends every page of `location {}` to {host}:{what}, but Odoo listens on {http} ({}): 502 Bad Gateway on every page",
                            route.path,
                            stack.odoo.describe_int("http_port", "").trim_start_matches("`http_port` is ")
                        ),
                    )
                    .with_primary_label(format!("port {port}"));
                if let Some((span, label)) = stack.odoo.place(ctx.files, "http_port") {
                    d = d.with_label(span, if label.is_empty() { format!("Odoo listens on {http}") } else { label });
                }
                if let Some(range) = port_range(ctx.files, t.span.file, t.span.range)
                    && !ctx.files.get(t.span.file).is_virtual
                {
                    d = d.with_fix(Fix::safe(
                        format!("send it to port {http}"),
                        vec![Edit::replace(t.span.file, range, http.to_string())],
                    ));
                }
                ctx.push(d);
            }
        }
    }
}

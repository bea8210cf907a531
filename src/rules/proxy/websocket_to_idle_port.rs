use super::edit::port_range;
use super::{gevent_port, http_port, is_local_odoo};
use crate::declare_rule;
use crate::diagnostic::{Edit, Fix};
use crate::rules::{Ctx, Rule, RuleMeta};
use crate::stack::proxy::RouteRole;

declare_rule! {
    /// In threaded mode nothing listens on the gevent port.
    pub struct WebsocketToIdlePort {
        code: "OL711",
        name: "websocket-to-idle-port",
        severity: Error,
        fix: Safe,
        symptoms: [S502],
        summary: "`workers = 0` but nginx sends `/websocket` or `/longpolling` to the gevent port, where nothing listens",
    }
}

impl Rule for WebsocketToIdlePort {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &mut Ctx) {
        let stack = ctx.stack;
        if !stack.has_odoo() {
            return;
        }
        if stack.odoo.prefork() {
            return;
        }
        let http = http_port(stack);
        let (gevent, key) = gevent_port(stack);
        if gevent == http {
            return;
        }
        for route in stack.routes.iter().filter(|r| matches!(r.role, RouteRole::Websocket | RouteRole::Longpolling)) {
            for t in &route.targets {
                if t.port != Some(gevent) || !is_local_odoo(stack, t) {
                    continue;
                }
                let mut d = ctx
                    .diag(
                        t.span,
                        format!(
                            "`location {}` sends the bus to port {gevent} (`{key}`), but {}: Odoo runs threaded, starts no gevent process, and nothing listens on {gevent}: 502 on every websocket",
                            route.path,
                            stack.odoo.describe_int("workers", "")
                        ),
                    )
                    .with_primary_label(format!("nothing listens on {gevent}"))
                    .with_help(format!("in threaded mode the one process serves the bus on {http}: send this route there, or run in prefork mode (`workers` > 0)"));
                if let Some((span, label)) = stack.odoo.place(ctx.files, "workers") {
                    d = d.with_label(span, if label.is_empty() { "threaded mode".to_string() } else { label });
                }
                if let Some(range) = port_range(ctx.files, t.span.file, t.span.range)
                    && !ctx.files.get(t.span.file).is_virtual
                {
                    d = d.with_fix(Fix::safe(
                        format!("send it to Odoo's port {http}"),
                        vec![Edit::replace(t.span.file, range, http.to_string())],
                    ));
                }
                ctx.push(d);
            }
        }
    }
}

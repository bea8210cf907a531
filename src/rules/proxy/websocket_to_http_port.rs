use super::edit::port_range;
use super::{gevent_port, http_port, is_local_odoo};
use crate::declare_rule;
use crate::diagnostic::{Edit, Fix};
use crate::rules::{Ctx, Rule, RuleMeta};
use crate::stack::proxy::RouteRole;

declare_rule! {
    /// The websocket route goes to the HTTP workers, which have no bus.
    pub struct WebsocketToHttpPort {
        code: "OL704",
        name: "websocket-to-http-port",
        severity: Error,
        fix: Safe,
        symptoms: [S502, Silent],
        summary: "the websocket/longpolling route targets `http_port` instead of `gevent_port` while `workers > 0`",
    }
}

impl Rule for WebsocketToHttpPort {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &mut Ctx) {
        let stack = ctx.stack;
        if !stack.has_odoo() {
            return;
        }
        if !stack.odoo.prefork() {
            return;
        }
        let http = http_port(stack);
        let (gevent, key) = gevent_port(stack);
        for route in stack.routes.iter().filter(|r| matches!(r.role, RouteRole::Websocket | RouteRole::Longpolling)) {
            for t in &route.targets {
                if t.port != Some(http) || !is_local_odoo(stack, t) || http == gevent {
                    continue;
                }
                let mut d = ctx
                    .diag(
                        t.span,
                        format!(
                            "`location {}` sends the bus to Odoo's HTTP port {http}, but with `workers` > 0 only the gevent process on {gevent} (`{key}`) serves it: the websocket (live chat, notifications, multi-tab sync) fails",
                            route.path
                        ),
                    )
                    .with_primary_label(format!("the HTTP workers' port {http}"))
                    .with_note("in prefork mode the HTTP workers have no bus dispatcher; Odoo starts a separate gevent process for it (odoo/service/server.py)");
                if let Some((span, label)) = stack.odoo.place(ctx.files, "workers") {
                    d = d.with_label(span, if label.is_empty() { "prefork mode".to_string() } else { label });
                }
                if let Some(range) = port_range(ctx.files, t.span.file, t.span.range)
                    && !ctx.files.get(t.span.file).is_virtual
                {
                    d = d.with_fix(Fix::safe(
                        format!("send it to the gevent port {gevent}"),
                        vec![Edit::replace(t.span.file, range, gevent.to_string())],
                    ));
                }
                ctx.push(d);
            }
        }
    }
}

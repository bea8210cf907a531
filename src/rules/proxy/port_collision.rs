use super::{gevent_port, http_port};
use crate::declare_rule;
use crate::rules::{Ctx, Rule, RuleMeta};

declare_rule! {
    /// Two listeners on one port.
    pub struct PortCollision {
        code: "OL708",
        name: "port-collision",
        severity: Error,
        fix: None,
        symptoms: [S502, RefusedStart],
        summary: "`http_port` equals `gevent_port`, or two services publish one host port",
    }
}

impl Rule for PortCollision {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &mut Ctx) {
        let stack = ctx.stack;
        let odoo = &stack.odoo;
        if !odoo.known() || !odoo.prefork() {
            return;
        }
        let http = http_port(stack);
        let (gevent, key) = gevent_port(stack);
        if http != gevent {
            return;
        }
        let (Some((g_span, g_label)), Some((h_span, h_label))) = (odoo.place(ctx.files, key), odoo.place(ctx.files, "http_port"))
        else {
            return;
        };
        let d = ctx
            .diag(g_span, format!("`{key}` and `http_port` are both {http}: in prefork mode the gevent process cannot bind a port the HTTP workers already hold, so the websocket never works"))
            .with_primary_label(if g_label.is_empty() { format!("{key} {gevent}") } else { g_label })
            .with_label(h_span, if h_label.is_empty() { format!("http_port {http}") } else { h_label })
            .with_help(format!("give `{key}` a port of its own (Odoo's default is 8072) and route the websocket there"));
        ctx.push(d);
    }
}

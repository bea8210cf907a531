use crate::declare_rule;
use crate::diagnostic::Fix;
use crate::rules::proxy::edit::replace_arg;
use crate::rules::{Ctx, Rule, RuleMeta};
use crate::stack::proxy::RouteRole;

declare_rule! {
    /// A route for the bus URL of Odoo 15 and older.
    pub struct LongpollingRouteObsolete {
        code: "OL710",
        name: "longpolling-route-obsolete",
        severity: Warning,
        fix: Safe,
        symptoms: [Silent],
        summary: "a `/longpolling` route on Odoo 16+ (the bus moved to `/websocket`)",
    }
}

impl Rule for LongpollingRouteObsolete {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &mut Ctx) {
        let stack = ctx.stack;
        if stack.odoo.major < 16 || !stack.version.is_known() {
            return;
        }
        for route in stack.routes.iter().filter(|r| r.role == RouteRole::Longpolling) {
            let model = route.model(stack);
            let server = model.location(route.location).server;
            let has_websocket = stack.routes.iter().any(|r| {
                r.config == route.config && r.role == RouteRole::Websocket && model.location(r.location).server == server
            });
            let mut d = ctx
                .diag(
                    route.location_span(stack),
                    format!(
                        "`location {}` routes the bus URL of Odoo 15 and older; {} serves its bus on `/websocket`, so this route carries nothing{}",
                        route.path,
                        stack.version.label(),
                        if has_websocket { "" } else { " and the websocket has no route (see OL702)" }
                    ),
                )
                .with_primary_label("obsolete since Odoo 16");
            let node = model.node(route.scope);
            let path_arg = node.args.iter().position(|a| a == &route.path);
            match (has_websocket, path_arg) {
                (false, Some(i)) if route.path == "/longpolling" || route.path == "/longpolling/" => {
                    if let Some(edit) = replace_arg(ctx.files, model, route.scope, i, "/websocket") {
                        d = d.with_fix(Fix::safe("route `/websocket` here instead", vec![edit]));
                    }
                }
                (true, _) => d = d.with_help("delete this location: `/websocket` already has its route"),
                _ => d = d.with_help("route `/websocket` to the gevent port instead"),
            }
            ctx.push(d);
        }
    }
}

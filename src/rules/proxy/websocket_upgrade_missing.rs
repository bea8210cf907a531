use crate::declare_rule;
use crate::diagnostic::{Edit, Fix};
use crate::rules::proxy::edit::insert_directives;
use crate::rules::{Ctx, Rule, RuleMeta};
use crate::stack::proxy::RouteRole;

declare_rule! {
    /// The websocket location does not pass the upgrade handshake.
    pub struct WebsocketUpgradeMissing {
        code: "OL703",
        name: "websocket-upgrade-missing",
        severity: Error,
        fix: Safe,
        symptoms: [S502, Silent],
        summary: "the websocket location lacks `Upgrade`/`Connection` upgrade headers or `proxy_http_version 1.1`",
    }
}

impl Rule for WebsocketUpgradeMissing {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &mut Ctx) {
        let stack = ctx.stack;
        if stack.odoo.major < 16 {
            return; // longpolling is plain HTTP
        }
        for route in stack.routes.iter().filter(|r| r.role == RouteRole::Websocket) {
            let model = route.model(stack);
            let scope = Some(route.scope);
            let upgrade_ok = model.proxy_header(scope, "Upgrade").is_some_and(|h| h.value.contains("$http_upgrade"));
            let connection_ok = model.proxy_header(scope, "Connection").is_some_and(|h| {
                let v = h.value.to_ascii_lowercase();
                v == "upgrade"
                    || v.starts_with('$')
                        && model
                            .maps
                            .iter()
                            .any(|m| m.variable.eq_ignore_ascii_case(&h.value) && m.source.eq_ignore_ascii_case("$http_upgrade"))
            });
            let version = model.effective(scope, "proxy_http_version");
            let version_ok = version.args.first().is_some_and(|v| v == "1.1");
            if upgrade_ok && connection_ok && version_ok {
                continue;
            }
            let mut missing = Vec::new();
            let mut add = Vec::new();
            if !version_ok {
                missing.push(format!(
                    "`proxy_http_version 1.1` (it is {})",
                    version.args.first().map(|v| v.as_str()).unwrap_or("1.0")
                ));
                add.push("proxy_http_version 1.1;".to_string());
            }
            let list = model.effective_list(scope, "proxy_set_header");
            let own_list = list.level == Some(scope);
            if !upgrade_ok {
                missing.push("`proxy_set_header Upgrade $http_upgrade`".to_string());
                add.push("proxy_set_header Upgrade $http_upgrade;".to_string());
            }
            if !connection_ok {
                missing.push("`proxy_set_header Connection \"upgrade\"`".to_string());
                add.push("proxy_set_header Connection \"upgrade\";".to_string());
            }
            let mut d = ctx
                .diag(
                    route.location_span(stack),
                    format!(
                        "`location {}` proxies the websocket without {}: nginx does not pass the browser's upgrade request on, so the websocket never opens and Odoo's live features fall back or fail",
                        route.path,
                        missing.join(", ")
                    ),
                )
                .with_primary_label("no upgrade handshake");
            // Adding a header here replaces an inherited list: repeat its entries.
            if !own_list && (!upgrade_ok || !connection_ok) {
                for n in &list.nodes {
                    let node = model.node(*n);
                    let raw: Vec<&str> = node.arg_ranges.iter().map(|r| r.of(&ctx.files.source(node.file).text)).collect();
                    add.push(format!("proxy_set_header {};", raw.join(" ")));
                }
            }
            let edits: Vec<Edit> = insert_directives(ctx.files, model, scope, &add).into_iter().collect();
            if !edits.is_empty() {
                d = d.with_fix(Fix::safe("add the upgrade handshake to the websocket location", edits));
            }
            ctx.push(d);
        }
    }
}

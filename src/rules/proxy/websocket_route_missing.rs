use super::{bus_path, gevent_port};
use crate::declare_rule;
use crate::diagnostic::{Edit, Fix};
use crate::files::FileSet;
use crate::formats::nginx::layout;
use crate::rules::{Ctx, Rule, RuleMeta};
use crate::stack::Stack;
use crate::stack::proxy::{Route, RouteRole};

declare_rule! {
    /// Prefork mode without a route to the gevent process.
    pub struct WebsocketRouteMissing {
        code: "OL702",
        name: "websocket-route-missing",
        severity: Error,
        fix: Safe,
        symptoms: [S502, Silent],
        summary: "`workers > 0` and no nginx location routes `/websocket` (16+) or `/longpolling` (≤ 15) to the gevent port",
    }
}

impl Rule for WebsocketRouteMissing {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &mut Ctx) {
        let stack = ctx.stack;
        if !stack.has_odoo() {
            return;
        }
        if !stack.odoo.prefork() || stack.odoo.processes().http == 0 {
            return;
        }
        let path = bus_path(stack);
        let (gevent, key) = gevent_port(stack);
        let wanted = if stack.odoo.major >= 16 { RouteRole::Websocket } else { RouteRole::Longpolling };
        for main in stack.routes.iter().filter(|r| r.role == RouteRole::Main) {
            let model = main.model(stack);
            let server = model.location(main.location).server;
            let has_bus = stack.routes.iter().any(|r| {
                r.config == main.config
                    && model.location(r.location).server == server
                    && matches!(r.role, RouteRole::Websocket | RouteRole::Longpolling)
                    && (r.role == wanted || stack.odoo.major < 16)
            });
            if has_bus {
                continue;
            }
            let mut d = ctx
                .diag(
                    main.location_span(stack),
                    format!(
                        "this server proxies Odoo's pages but has no `location {path}`: with `workers` > 0 only the gevent process on {gevent} (`{key}`) serves the bus, so the websocket — live chat, notifications, multi-tab sync — fails"
                    ),
                )
                .with_primary_label(format!("Odoo's pages, and no `{path}` route beside them"));
            if let Some((span, label)) = stack.odoo.place(ctx.files, "workers") {
                d = d.with_label(span, if label.is_empty() { "prefork mode".to_string() } else { label });
            }
            // An old `/longpolling` route in this server is turned into the websocket route by
            // OL710's fix; adding a second one here would make nginx refuse the file.
            let old_route = stack.routes.iter().any(|r| {
                r.config == main.config && model.location(r.location).server == server && r.role == RouteRole::Longpolling
            });
            if old_route {
                d = d.with_help("the `/longpolling` location of this server can become the websocket route (see OL710)");
            } else if let Some(edit) = new_bus_location(ctx.files, stack, main, path, gevent) {
                d = d.with_fix(Fix::safe(format!("add `location {path}` proxying to the gevent port {gevent}"), vec![edit]));
            }
            ctx.push(d);
        }
    }
}

/// A `location /websocket { … }` block for the server of `main`, sending to the same host on
/// the gevent port, with the headers the main location sends and the upgrade handshake.
pub(crate) fn new_bus_location(files: &FileSet, stack: &Stack, main: &Route, path: &str, gevent: u16) -> Option<Edit> {
    let model = main.model(stack);
    let host = main.targets.first().and_then(|t| t.host.clone()).unwrap_or_else(|| "127.0.0.1".to_string());
    let host = if host.contains(':') { format!("[{host}]") } else { host };
    let scheme = main.pass.target.scheme.clone().unwrap_or_else(|| "http".to_string());
    let server = model.server(model.location(main.location).server).node;
    let (file, block) = match server {
        Some(n) => (model.node(n).file, Some(model.node(n).directive)),
        None => (model.root, None),
    };
    if files.get(file).is_virtual {
        return None;
    }
    let tree = files.nginx(file)?;
    let src = files.source(file);
    let nl = src.newline();
    let outer = layout::child_indent(tree, src, block);
    let inner = format!("{outer}{}", layout::indent_unit(tree, src));
    let mut lines = vec![format!("location {path} {{"), format!("{inner}proxy_pass {scheme}://{host}:{gevent};")];
    if path == "/websocket" {
        lines.push(format!("{inner}proxy_http_version 1.1;"));
        lines.push(format!("{inner}proxy_set_header Upgrade $http_upgrade;"));
        lines.push(format!("{inner}proxy_set_header Connection \"upgrade\";"));
    }
    // A location's own proxy_set_header list replaces the inherited one: repeat the headers
    // the main location sends (the forwarded ones matter with proxy_mode).
    let mut sent: Vec<String> = Vec::new();
    for n in model.effective_list(Some(main.scope), "proxy_set_header").nodes {
        let node = model.node(n);
        if let [name, _] = node.args.as_slice()
            && !name.eq_ignore_ascii_case("upgrade")
            && !name.eq_ignore_ascii_case("connection")
        {
            let raw: Vec<&str> = node.arg_ranges.iter().map(|r| r.of(&files.source(node.file).text)).collect();
            lines.push(format!("{inner}proxy_set_header {};", raw.join(" ")));
            sent.push(name.to_ascii_lowercase());
        }
    }
    // With proxy_mode (or when the main location sends some of them), the forwarded headers
    // the main location lacks are written too: the new location should not be the next
    // finding (OL706, OL707).
    let forwarded = super::forwarded::HEADERS;
    let proxy_mode = stack.odoo.flag("proxy_mode").is_some_and(|m| m.value);
    if proxy_mode || sent.iter().any(|s| forwarded.iter().any(|f| f.eq_ignore_ascii_case(s))) {
        for name in forwarded.into_iter().filter(|f| !sent.contains(&f.to_ascii_lowercase())) {
            lines.push(format!("{inner}proxy_set_header {name} {};", super::forwarded::header_value(name, stack.odoo.major)));
        }
    }
    lines.push(format!("{outer}}}"));
    let ins = layout::insert_at_block_end(tree, src, block)?;
    Some(Edit::replace(file, ins.range, ins.text(&lines.join(nl))))
}

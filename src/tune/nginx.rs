//! nginx: the proxy timeouts of Odoo's locations above `limit_time_real` with a margin
//! (OL301's formula), the upload size Odoo accepts (OL707), and, in prefork mode, the bus
//! route to the gevent process (OL702, OL704).

use super::plan::{Bounds, Current, Goal, Input, NginxAt, Place, Value};
use super::{Draft, Planner};
use crate::formats::nginx::model::{NodeId, RootContext, Source};
use crate::rules::proxy::upload_size_too_small::ODOO_UPLOAD_LIMIT;
use crate::rules::proxy::{bus_path, gevent_port, http_port, is_local_odoo};
use crate::rules::timeouts::proxy_timeout_below_odoo::timeout_for;
use crate::stack::proxy::RouteRole;
use crate::units::{Bytes, MIB, parse_nginx_size, parse_nginx_time};

/// Where an effective value comes from: a directive, or nginx's default in a server block
/// (`None`: the root level of a snippet).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Key {
    Set(NodeId),
    Server(Option<NodeId>),
}

pub fn plan(p: &mut Planner) {
    if p.stack.routes.is_empty() {
        return;
    }
    body_size(p);
    if !p.odoo.known {
        return;
    }
    let real = p.odoo.limit_time_real;
    if real > 0 {
        for key in ["proxy_read_timeout", "proxy_send_timeout"] {
            timeouts(p, key, real as u64);
        }
    }
    if p.odoo.prefork && p.odoo.http > 0 {
        bus_routes(p);
    }
}

/// The place of a value found at `key` in configuration `config`: a directive in a file on
/// disk, else a new directive in the server block.
fn place_of(p: &Planner, config: usize, key: Key, server: Option<NodeId>) -> NginxAt {
    let model = &p.stack.nginx[config].model;
    match key {
        Key::Set(n) if !p.files.get(model.node(n).file).is_virtual => NginxAt::Directive(n),
        _ => NginxAt::New(server),
    }
}

fn where_(p: &Planner, config: usize, at: &NginxAt, routes: &[usize]) -> String {
    let model = &p.stack.nginx[config].model;
    let file = match at {
        NginxAt::Directive(n) => model.node(*n).file,
        NginxAt::New(Some(n)) => model.node(*n).file,
        _ => model.root,
    };
    let paths: Vec<String> = routes.iter().take(3).map(|&r| format!("`location {}`", p.stack.routes[r].path)).collect();
    let more = if routes.len() > 3 { format!(" and {} more", routes.len() - 3) } else { String::new() };
    format!("{} {}{more}", p.display(file), paths.join(", "))
}

/// `proxy_read_timeout` / `proxy_send_timeout` of the locations that proxy to Odoo's
/// workers, grouped by where their value comes from.
fn timeouts(p: &mut Planner, key: &'static str, real: u64) {
    let stack = p.stack;
    // (configuration, where the value comes from, its routes, its milliseconds, their server)
    type Group = (usize, Key, Vec<usize>, u64, Option<NodeId>);
    let mut groups: Vec<Group> = Vec::new();
    for (ri, route) in stack.routes.iter().enumerate() {
        if !matches!(route.role, RouteRole::Main | RouteRole::Other) {
            continue;
        }
        let model = route.model(stack);
        let eff = model.effective(Some(route.scope), key);
        // a server-level snippet: the server that includes it may set it (see OL301)
        if eff.outer_unknown && eff.source == Source::Default && model.context != RootContext::Http {
            continue;
        }
        let Some(ms) = eff.args.first().and_then(|a| parse_nginx_time(a)) else { continue };
        let server = model.server(model.location(route.location).server).node;
        let k = match eff.source {
            Source::Set(n) => Key::Set(n),
            _ => Key::Server(server),
        };
        match groups.iter_mut().find(|g| g.0 == route.config && g.1 == k) {
            Some(g) => g.2.push(ri),
            None => groups.push((route.config, k, vec![ri], ms.0, server)),
        }
    }
    let target = timeout_for(real);
    for (config, k, routes, ms, server) in groups {
        let at = place_of(p, config, k, server);
        let origin = match k {
            Key::Set(n) => format!("set in {}", p.display(stack.nginx[config].model.node(n).file)),
            Key::Server(_) => "nginx default".to_string(),
        };
        let secs = ms / 1000;
        let draft = Draft {
            key,
            location: where_(p, config, &at, &routes),
            place: Place::Nginx { config, at },
            current: Current { value: Some(Value::seconds(secs, format!("{secs}s"))), origin },
            target: Value::seconds(target, format!("{target}s")),
            goal: Goal::AtLeast,
            bounds: Bounds::at_least(real as f64),
            formula: format!(
                "limit_time_real {real} s + 5 % (at least 10 s), rounded up to 10 s = {target} s: Odoo's own limit answers first (OL301); a longer one is kept"
            ),
            inputs: vec![Input::new("limit_time_real", format!("{real} s"), "planned above")],
            writable: Ok(()),
        };
        p.push(draft);
    }
}

/// `client_max_body_size` of Odoo's main locations: at least Odoo's own upload limit.
fn body_size(p: &mut Planner) {
    let stack = p.stack;
    let target = parse_nginx_size(ODOO_UPLOAD_LIMIT).unwrap_or(Bytes(128 * MIB));
    let mut seen: Vec<(usize, Key)> = Vec::new();
    for (ri, route) in stack.routes.iter().enumerate() {
        if route.role != RouteRole::Main {
            continue;
        }
        let model = route.model(stack);
        let eff = model.effective(Some(route.scope), "client_max_body_size");
        if eff.outer_unknown && eff.source == Source::Default && model.context != RootContext::Http {
            continue;
        }
        let Some(size) = eff.args.first().and_then(|a| parse_nginx_size(a)) else { continue };
        let server = model.server(model.location(route.location).server).node;
        let k = match eff.source {
            Source::Set(n) => Key::Set(n),
            _ => Key::Server(server),
        };
        if seen.contains(&(route.config, k)) {
            continue;
        }
        seen.push((route.config, k));
        let at = place_of(p, route.config, k, server);
        let origin = match k {
            Key::Set(n) => format!("set in {}", p.display(model.node(n).file)),
            Key::Server(_) => "nginx default".to_string(),
        };
        // 0: no limit
        let amount = if size.0 == 0 { u64::MAX } else { size.0 };
        let written = eff.args.first().cloned().unwrap_or_default();
        let draft = Draft {
            key: "client_max_body_size",
            location: where_(p, route.config, &at, &[ri]),
            place: Place::Nginx { config: route.config, at },
            current: Current { value: Some(Value { amount: amount as f64, ..Value::bytes(size.0, written) }), origin },
            target: Value::bytes(target.0, ODOO_UPLOAD_LIMIT),
            goal: Goal::AtLeast,
            bounds: Bounds::at_least((MIB + 1) as f64),
            formula: format!(
                "Odoo's own upload limit, {target} (`web.max_file_upload_size`; OL707); a larger one, or 0 (none), is kept"
            ),
            inputs: vec![],
            writable: Ok(()),
        };
        p.push(draft);
    }
}

/// In prefork mode only the gevent process serves the bus: each server that proxies Odoo's
/// pages needs a bus location, to the gevent port.
fn bus_routes(p: &mut Planner) {
    let stack = p.stack;
    let path = bus_path(stack);
    let key: &'static str = if stack.odoo.major >= 16 { "location /websocket" } else { "location /longpolling" };
    let (gevent, gevent_key) = gevent_port(stack);
    let http = http_port(stack);
    let wanted = if stack.odoo.major >= 16 { RouteRole::Websocket } else { RouteRole::Longpolling };
    for (ri, main) in stack.routes.iter().enumerate().filter(|(_, r)| r.role == RouteRole::Main) {
        let model = main.model(stack);
        let server = model.location(main.location).server;
        let same_server = |r: &crate::stack::proxy::Route| r.config == main.config && model.location(r.location).server == server;
        let has_bus = stack.routes.iter().any(|r| {
            same_server(r)
                && matches!(r.role, RouteRole::Websocket | RouteRole::Longpolling)
                && (r.role == wanted || stack.odoo.major < 16)
        });
        // An old `/longpolling` route on 16+ stays (OL710 says to delete it once `/websocket`
        // has its route; its own fix, a rename, stands back when it has).
        if has_bus {
            continue;
        }
        let at = NginxAt::BusLocation { route: ri };
        let edit = crate::rules::proxy::websocket_route_missing::new_bus_location(p.files, stack, main, path, gevent);
        let draft = Draft {
            key,
            location: where_(p, main.config, &NginxAt::New(model.server(server).node), &[ri]),
            place: Place::Nginx { config: main.config, at },
            current: Current { value: Some(Value::word("none")), origin: format!("no `{path}` route in this server") },
            target: Value::word(format!("to port {gevent}")),
            goal: Goal::Near,
            bounds: Bounds::NONE,
            formula: format!(
                "prefork mode: only the gevent process (`{gevent_key}` {gevent}) serves the bus, so `{path}` goes there (OL702)"
            ),
            inputs: vec![Input::new("workers", p.odoo.http, "planned above")],
            writable: edit.map(|_| ()).ok_or_else(|| "the server is in a file tune cannot edit".to_string()),
        };
        p.push(draft);
    }
    if http == gevent {
        return;
    }
    for (ri, route) in stack.routes.iter().enumerate() {
        if !matches!(route.role, RouteRole::Websocket | RouteRole::Longpolling) {
            continue;
        }
        for (ti, t) in route.targets.iter().enumerate() {
            if t.port != Some(http) || !is_local_odoo(stack, t) {
                continue;
            }
            let model = route.model(stack);
            let draft = Draft {
                key: "bus port",
                location: where_(p, route.config, &NginxAt::New(model.server(model.location(route.location).server).node), &[ri]),
                place: Place::Nginx { config: route.config, at: NginxAt::Port { route: ri, target: ti } },
                current: Current {
                    value: Some(Value::word(http.to_string())),
                    origin: format!("set in {}", p.display(t.span.file)),
                },
                target: Value::word(gevent.to_string()),
                goal: Goal::Near,
                bounds: Bounds::NONE,
                formula: format!(
                    "prefork mode: the bus is served on the gevent port (`{gevent_key}` {gevent}), not on {http} (OL704)"
                ),
                inputs: vec![],
                writable: if p.files.get(t.span.file).is_virtual { Err("a stock file".into()) } else { Ok(()) },
            };
            p.push(draft);
        }
    }
}

use crate::declare_rule;
use crate::diagnostic::{Edit, Fix};
use crate::formats::nginx::model::{NodeId, RootContext, Source};
use crate::rules::proxy::edit::{insert_directives, replace_arg};
use crate::rules::{Ctx, Rule, RuleMeta};
use crate::stack::proxy::RouteRole;
use crate::units::{Millis, parse_nginx_time};

declare_rule! {
    /// nginx gives up on a request before Odoo does.
    pub struct ProxyTimeoutBelowOdoo {
        code: "OL301",
        name: "proxy-timeout-below-odoo",
        severity: Warning,
        fix: Safe,
        symptoms: [S504],
        summary: "the effective nginx `proxy_read_timeout` of an Odoo location is shorter than `limit_time_real`",
    }
}

/// Where a short timeout comes from.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Key {
    /// A `proxy_read_timeout` directive.
    Set(NodeId),
    /// nginx's default, in this server block (`None`: the root level of a snippet).
    Server(Option<NodeId>),
}

/// A timeout comfortably above Odoo's: 5 % more (at least 10 s), rounded up to 10 s, so that
/// Odoo's own limit answers first.
pub fn timeout_for(limit_time_real: u64) -> u64 {
    let with_margin = limit_time_real.saturating_add((limit_time_real / 20).max(10));
    with_margin.div_ceil(10).saturating_mul(10)
}

impl Rule for ProxyTimeoutBelowOdoo {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &mut Ctx) {
        let stack = ctx.stack;
        let odoo = &stack.odoo;
        if !stack.has_odoo() {
            return;
        }
        let Some(real) = odoo.int("limit_time_real") else { return };
        if real.value <= 0 {
            return;
        }
        let real_ms = Millis::secs(real.value as u64);
        let target = timeout_for(real.value as u64);
        // Group the short routes by where their timeout comes from: one finding, and one
        // edit, per directive (or per server block for nginx's default).
        let mut groups: Vec<(usize, Key, Vec<usize>, Millis)> = Vec::new();
        for (ri, route) in stack.routes.iter().enumerate() {
            if !matches!(route.role, RouteRole::Main | RouteRole::Other) {
                continue;
            }
            let model = route.model(stack);
            let eff = model.effective(Some(route.scope), "proxy_read_timeout");
            // A server-level snippet: the server block that includes it may set the timeout.
            // A site file (http level) is read inside a stock nginx.conf, which does not.
            if eff.outer_unknown && eff.source == Source::Default && model.context != RootContext::Http {
                continue;
            }
            let Some(ms) = eff.args.first().and_then(|a| parse_nginx_time(a)) else { continue };
            if ms >= real_ms {
                continue;
            }
            let key = match eff.source {
                Source::Set(n) => Key::Set(n),
                _ => Key::Server(model.server(model.location(route.location).server).node),
            };
            match groups.iter_mut().find(|g| g.0 == route.config && g.1 == key) {
                Some(g) => g.2.push(ri),
                None => groups.push((route.config, key, vec![ri], ms)),
            }
        }
        for (config, key, routes, ms) in groups {
            let model = &stack.nginx[config].model;
            let first = &stack.routes[routes[0]];
            let set_node = match key {
                Key::Set(n) => Some(n),
                Key::Server(_) => None,
            };
            let (primary, primary_label) = match set_node {
                Some(n) => {
                    (model.node(n).arg_span(0).unwrap_or_else(|| model.span(n)), format!("nginx waits {ms} for Odoo's answer"))
                }
                None => (first.location_span(stack), format!("no `proxy_read_timeout`: nginx's default, {ms}")),
            };
            let where_ =
                if routes.len() == 1 { format!("`location {}`", first.path) } else { format!("{} Odoo locations", routes.len()) };
            let mut d = ctx
                .diag(
                    primary,
                    format!(
                        "nginx gives up on {where_} after {ms} (`proxy_read_timeout`), but {}: a report or an export that takes longer gets a 504 from nginx while Odoo is still working on it",
                        odoo.describe_int("limit_time_real", "s")
                    ),
                )
                .with_primary_label(primary_label);
            if let Some((span, label)) = odoo.place(ctx.files, "limit_time_real") {
                d = d.with_label(span, if label.is_empty() { format!("Odoo allows {} s", real.value) } else { label });
            }
            for &ri in routes.iter().skip(1).take(3) {
                let r = &stack.routes[ri];
                d = d.with_label(r.location_span(stack), "also inherits it");
            }
            // The fix: raise the directive that sets it, or add both timeouts to the server.
            let value = format!("{target}s");
            let mut edits: Vec<Edit> = Vec::new();
            match key {
                Key::Set(n) => {
                    edits.extend(replace_arg(ctx.files, model, n, 0, &value));
                    let level = model.node(n).parent;
                    let send = model.directives_in(level, "proxy_send_timeout").last();
                    match send {
                        Some(s) => {
                            let short = model.node(s).args.first().and_then(|a| parse_nginx_time(a)).is_some_and(|v| v < real_ms);
                            if short {
                                edits.extend(replace_arg(ctx.files, model, s, 0, &value));
                            }
                        }
                        None => {
                            let node = model.node(n);
                            if let (Some(tree), false) = (ctx.files.nginx(node.file), ctx.files.get(node.file).is_virtual) {
                                let src = ctx.files.source(node.file);
                                let ins = crate::formats::nginx::layout::insert_after(tree, src, node.directive);
                                edits.push(Edit::replace(
                                    node.file,
                                    ins.range,
                                    ins.text(&format!("proxy_send_timeout {value};")),
                                ));
                            }
                        }
                    }
                }
                Key::Server(server) => {
                    let directives = vec![format!("proxy_read_timeout {value};"), format!("proxy_send_timeout {value};")];
                    edits.extend(insert_directives(ctx.files, model, server, &directives));
                }
            }
            if !edits.is_empty() && edits.iter().all(|e| !ctx.files.get(e.file).is_virtual) {
                d = d.with_fix(Fix::safe(format!("set `proxy_read_timeout` and `proxy_send_timeout` to {value}"), edits));
            } else {
                d = d.with_help(format!(
                    "set `proxy_read_timeout {value};` (and `proxy_send_timeout`) where nginx proxies to Odoo"
                ));
            }
            ctx.push(d);
        }
    }
}

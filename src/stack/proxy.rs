//! The proxy in front of Odoo: each nginx configuration of the stack, and the routes —
//! locations whose `proxy_pass` sends requests to Odoo — with what they target.

use crate::files::FileSet;
use crate::formats::nginx::include::IncludeGraph;
use crate::formats::nginx::model::{LocationId, NginxModel, NodeId, ProxyPass};
use crate::formats::nginx::values::LocationKind;
use crate::source::{FileId, Span};
use crate::stack::Stack;

/// One nginx configuration: a root file, what it includes, and what it means.
#[derive(Clone, Debug)]
pub struct NginxConfig {
    pub root: FileId,
    pub graph: IncludeGraph,
    pub model: NginxModel,
}

/// What a route carries.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum RouteRole {
    /// `location /`: every page.
    Main,
    /// `/websocket` (Odoo 16+): the bus, live chat, notifications.
    Websocket,
    /// `/longpolling` (Odoo ≤ 15, and the old URL on 16+).
    Longpolling,
    /// Any other location proxied to Odoo (`/web/static`, `/web/database`, …).
    Other,
}

/// An address a route sends requests to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    pub host: Option<String>,
    pub port: Option<u16>,
    /// Where it is written: the upstream `server` line, or the `proxy_pass` argument.
    pub span: Span,
    /// A UNIX socket.
    pub unix: bool,
}

/// A location that proxies to Odoo.
#[derive(Clone, Debug)]
pub struct Route {
    /// Index into [`Stack::nginx`].
    pub config: usize,
    pub location: LocationId,
    /// The location's node (the scope to ask effective values at).
    pub scope: NodeId,
    pub path: String,
    pub kind: LocationKind,
    pub role: RouteRole,
    pub pass: ProxyPass,
    pub targets: Vec<Target>,
}

impl Route {
    /// The span of the `location` directive (its name and arguments up to the block).
    pub fn location_span(&self, stack: &Stack) -> Span {
        let model = &stack.nginx[self.config].model;
        let node = model.node(self.scope);
        match (node.arg_span(0), node.arg_span(node.arg_ranges.len().saturating_sub(1))) {
            (Some(first), Some(last)) => Span::new(
                node.file,
                crate::source::TextRange::new(node.range.start as usize, last.range.end as usize).cover(first.range),
            ),
            _ => node.span(),
        }
    }

    /// The span of the `proxy_pass` URL.
    pub fn pass_span(&self, stack: &Stack) -> Span {
        let node = stack.nginx[self.config].model.node(self.pass.node);
        node.arg_span(0).unwrap_or_else(|| node.span())
    }

    pub fn model<'a>(&self, stack: &'a Stack) -> &'a NginxModel {
        &stack.nginx[self.config].model
    }

    /// The ports the route reaches (those known).
    pub fn ports(&self) -> Vec<u16> {
        self.targets.iter().filter_map(|t| t.port).collect()
    }
}

fn role_of(kind: LocationKind, path: &str) -> RouteRole {
    let p = path.to_ascii_lowercase();
    let regex = matches!(kind, LocationKind::Regex | LocationKind::RegexCaseless);
    if p.contains("websocket") {
        RouteRole::Websocket
    } else if p.contains("longpolling") {
        RouteRole::Longpolling
    } else if !regex && p == "/" {
        RouteRole::Main
    } else {
        RouteRole::Other
    }
}

/// The ports Odoo may listen on in this stack: its `http_port` and `gevent_port` (or
/// `longpolling_port` on ≤ 15), and the standard 8069 and 8072.
fn odoo_ports(stack: &Stack) -> Vec<u16> {
    let odoo = &stack.odoo;
    let mut ports = vec![8069u16, 8072];
    for key in ["http_port", "gevent_port", "longpolling_port"] {
        if let Some(p) = odoo.int(key)
            && (1..=65535).contains(&p.value)
        {
            ports.push(p.value as u16);
        }
    }
    ports
}

/// Whether `host` names an Odoo service of the stack's compose projects (its service name,
/// container name or a network alias).
fn is_odoo_service(stack: &Stack, host: &str) -> bool {
    stack.compose.iter().any(|m| m.resolve(host).is_some_and(|i| m.services[i].odoo().is_some()))
}

/// Finds the routes to Odoo in every nginx configuration of the stack.
pub fn odoo_routes(_fs: &FileSet, stack: &Stack) -> Vec<Route> {
    let ports = odoo_ports(stack);
    let mut out = Vec::new();
    for (ci, config) in stack.nginx.iter().enumerate() {
        let model = &config.model;
        let mut candidates: Vec<(Route, bool)> = Vec::new();
        for (li, loc) in model.locations.iter().enumerate() {
            let location = LocationId(li as u32);
            let Some(pass) = model.proxy_pass(Some(loc.node)) else { continue };
            let mut targets = Vec::new();
            let mut named_odoo = false;
            if let Some(up) = pass.upstream {
                let upstream = model.upstream(up);
                named_odoo |= upstream.name.to_ascii_lowercase().contains("odoo");
                for s in &upstream.servers {
                    let span = model.node(s.node).arg_span(0).unwrap_or_else(|| model.span(s.node));
                    targets.push(Target { host: s.addr.host.clone(), port: s.port(), span, unix: s.addr.unix.is_some() });
                }
            } else if !pass.target.has_variables {
                let span = model.node(pass.node).arg_span(0).unwrap_or_else(|| model.span(pass.node));
                targets.push(Target {
                    host: pass.target.addr.host.clone(),
                    port: pass.target.port(),
                    span,
                    unix: pass.target.addr.unix.is_some(),
                });
            }
            named_odoo |= pass.target.addr.host.as_deref().is_some_and(|h| h.to_ascii_lowercase().contains("odoo"));
            named_odoo |= targets.iter().filter_map(|t| t.host.as_deref()).any(|h| is_odoo_service(stack, h));
            let odoo = named_odoo || targets.iter().any(|t| t.port.is_some_and(|p| ports.contains(&p)));
            let role = role_of(loc.kind, &loc.path);
            candidates.push((
                Route { config: ci, location, scope: loc.node, path: loc.path.clone(), kind: loc.kind, role, pass, targets },
                odoo,
            ));
        }
        // In a server that proxies something to Odoo, its `location /` is Odoo's main route
        // whatever port it names (a wrong port is a finding, not a reason to look away).
        let servers_with_odoo: Vec<_> =
            candidates.iter().filter(|(_, o)| *o).map(|(r, _)| model.location(r.location).server).collect();
        for (route, odoo) in candidates {
            let server = model.location(route.location).server;
            if odoo || (route.role == RouteRole::Main && servers_with_odoo.contains(&server)) {
                out.push(route);
            }
        }
    }
    out
}

//! OL7xx: proxy routing — where nginx sends Odoo's pages and its websocket, and what it
//! tells Odoo about the client.

pub mod edit;

pub mod forwarded;
pub mod forwarded_headers_incomplete;
pub mod forwarded_host_missing;
pub mod longpolling_route_obsolete;
pub mod port_collision;
pub mod proxy_mode_off;
pub mod upload_size_too_small;
pub mod upstream_host_unknown;
pub mod upstream_port_mismatch;
pub mod websocket_route_missing;
pub mod websocket_to_http_port;
pub mod websocket_to_idle_port;
pub mod websocket_upgrade_missing;

use crate::stack::Stack;
use crate::stack::proxy::Target;

/// The port Odoo's gevent (websocket / longpolling) process listens on, and the option that
/// sets it: `gevent_port` on 16+, `longpolling_port` on 14–15.
pub(crate) fn gevent_port(stack: &Stack) -> (u16, &'static str) {
    let odoo = &stack.odoo;
    let key = if odoo.major <= 15 { "longpolling_port" } else { "gevent_port" };
    let port = odoo.int(key).map(|p| p.value).filter(|p| (1..=65535).contains(p)).unwrap_or(8072) as u16;
    (port, key)
}

/// Odoo's HTTP port.
pub(crate) fn http_port(stack: &Stack) -> u16 {
    stack.odoo.int("http_port").map(|p| p.value).filter(|p| (1..=65535).contains(p)).unwrap_or(8069) as u16
}

/// The path of the bus route for the stack's version: `/websocket` (16+) or `/longpolling`.
pub(crate) fn bus_path(stack: &Stack) -> &'static str {
    if stack.odoo.major >= 16 { "/websocket" } else { "/longpolling" }
}

/// Whether a target is this Odoo (so that its port can be compared with Odoo's): on the same
/// machine (loopback, no host, Odoo's `http_interface`) or named like Odoo (`odoo`,
/// `odoo-web`, a compose service running Odoo).
pub(crate) fn is_local_odoo(stack: &Stack, t: &Target) -> bool {
    if t.unix {
        return false;
    }
    let Some(host) = t.host.as_deref() else { return true };
    let h = host.to_ascii_lowercase();
    let interface = stack.odoo.string("http_interface").map(|s| s.value).unwrap_or_default();
    h == "localhost"
        || h.starts_with("127.")
        || h == "::1"
        || h == "0.0.0.0"
        || (!interface.is_empty() && h == interface)
        || h.contains("odoo")
}

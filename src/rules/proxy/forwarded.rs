//! The X-Forwarded-* headers an Odoo location sends, and how to add missing ones at the level
//! that provides the location's `proxy_set_header` list.

use crate::diagnostic::Edit;
use crate::formats::nginx::layout;
use crate::formats::nginx::model::{NginxModel, NodeId};
use crate::rules::Ctx;

/// The forwarded headers Odoo reads behind a proxy, each with a value from [`header_value`].
pub const HEADERS: [&str; 3] = ["X-Forwarded-Host", "X-Forwarded-For", "X-Forwarded-Proto"];

/// The value Odoo's deployment guide gives each forwarded header (16+ uses `$http_host`).
pub fn header_value(name: &str, major: u8) -> &'static str {
    match name {
        "X-Forwarded-Host" if major >= 16 => "$http_host",
        "X-Forwarded-Host" => "$host",
        "X-Forwarded-For" => "$proxy_add_x_forwarded_for",
        "X-Forwarded-Proto" => "$scheme",
        _ => "",
    }
}

/// Edits adding `proxy_set_header NAME VALUE;` lines where `scope` gets its header list: after
/// the last `proxy_set_header` of that level, or into `scope` itself when no level sets any.
pub fn add_headers(ctx: &Ctx, model: &NginxModel, scope: NodeId, names: &[&str]) -> Option<Edit> {
    let major = ctx.stack.odoo.major;
    let lines: Vec<String> = names.iter().map(|n| format!("proxy_set_header {n} {};", header_value(n, major))).collect();
    let list = model.effective_list(Some(scope), "proxy_set_header");
    match list.nodes.last() {
        Some(&last) => {
            // A header that comes from a file we cannot edit (a stock `proxy_params`) is
            // followed back to the `include` that brought it in.
            let mut at = last;
            while ctx.files.get(model.node(at).file).is_virtual {
                match model.node(at).via {
                    Some(via) => at = via,
                    None => return None,
                }
            }
            let node = model.node(at);
            if ctx.files.get(node.file).is_virtual {
                return None;
            }
            let tree = ctx.files.nginx(node.file)?;
            let src = ctx.files.source(node.file);
            let ins = layout::insert_after(tree, src, node.directive);
            let indent = layout::line_indent(src, node.range.start as usize).unwrap_or("").to_string();
            let text = lines.join(&format!("{}{indent}", src.newline()));
            Some(Edit::replace(node.file, ins.range, ins.text(&text)))
        }
        None => super::edit::insert_directives(ctx.files, model, Some(scope), &lines),
    }
}

/// Where [`add_headers`] writes for `scope` (to fix each place once): the level that provides
/// its header list, or the location itself when no level sets any.
pub fn list_level(model: &NginxModel, scope: NodeId) -> Option<Option<NodeId>> {
    match model.effective_list(Some(scope), "proxy_set_header").level {
        Some(level) => Some(level),
        None => Some(Some(scope)),
    }
}

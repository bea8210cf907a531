//! OL9xx: containers and persistence — compose services of the stack: where Odoo and
//! PostgreSQL keep their data, healthchecks, restart policies and image tags. Also the
//! helpers the other compose checks share (the services of every project of the stack, the
//! volumes that cover a path, the fix that binds a published port to the loopback).

pub mod db_data_not_persistent;
pub mod healthcheck_missing;
pub mod image_tag_unpinned;
pub mod odoo_data_not_persistent;
pub mod restart_policy_missing;

use crate::diagnostic::Edit;
use crate::formats::compose::Service;
use crate::formats::compose::model::{Port, Spanned, Volume};
use crate::formats::compose::value::Val;
use crate::rules::Ctx;
use crate::stack::compose::{ComposeModel, OdooContainer, PgContainer};
use crate::units::Millis;

/// Every Odoo service of every compose project of the stack.
pub(crate) fn odoo_services<'a>(ctx: &Ctx<'a>) -> Vec<(&'a ComposeModel, usize, &'a Service, &'a OdooContainer)> {
    ctx.stack.compose.iter().flat_map(|m| m.odoo_services().map(move |(i, s, c)| (m, i, s, c))).collect()
}

/// Every PostgreSQL service of every compose project of the stack.
pub(crate) fn postgres_services<'a>(ctx: &Ctx<'a>) -> Vec<(&'a ComposeModel, usize, &'a Service, &'a PgContainer)> {
    ctx.stack.compose.iter().flat_map(|m| m.postgres_services().map(move |(i, s, c)| (m, i, s, c))).collect()
}

/// The volume that keeps `path` (the path itself or a folder above it), if any: a named
/// volume or a bind mount; a `tmpfs` keeps nothing.
pub(crate) fn volume_at<'a>(s: &'a Service, path: &str) -> Option<&'a Spanned<Volume>> {
    let path = path.trim_end_matches('/');
    s.volumes.iter().filter(|v| matches!(v.value.kind.as_str(), "volume" | "bind")).find(|v| {
        let t = v.value.target.trim_end_matches('/');
        t == path || (path.starts_with(t) && path[t.len()..].starts_with('/')) || t.is_empty()
    })
}

/// A duration as people write it: `10 s`, `1.5 s`, `2 min`.
pub(crate) fn secs(ms: Millis) -> String {
    let s = ms.as_secs_f64();
    if s >= 60.0 && (s % 60.0) == 0.0 { format!("{} min", s / 60.0) } else { format!("{s} s") }
}

/// A `ports:` entry as written (without its quotes), for messages.
pub(crate) fn written_port(ctx: &Ctx, m: &ComposeModel, port: &Spanned<Port>) -> String {
    let text = m.span(&port.origin).map(|s| s.range.of(&ctx.files.source(s.file).text).to_string()).unwrap_or_default();
    if text.contains('\n') || text.starts_with('{') || text.contains(": ") {
        // the long syntax: say it the short way
        let p = &port.value;
        return match &p.published {
            Some(h) => format!("{h}:{}", p.target),
            None => p.target.to_string(),
        };
    }
    text.trim_matches(['"', '\'']).to_string()
}

/// Whether a published port listens on every interface of the host (no host IP, or a
/// wildcard one).
pub(crate) fn on_all_interfaces(p: &Port) -> bool {
    matches!(p.host_ip.as_deref(), None | Some("" | "0.0.0.0" | "::" | "[::]"))
}

/// The edit that binds a published port to the host's loopback: `127.0.0.1:` before the
/// short syntax (after its opening quote), in place of a wildcard address, or a `host_ip`
/// key in the long syntax. `None` when the entry is shared through an anchor or written in
/// a way we do not rewrite.
pub(crate) fn bind_to_loopback(ctx: &Ctx, m: &ComposeModel, s: &Service, port: &Spanned<Port>) -> Option<Edit> {
    if port.via_alias() {
        return None;
    }
    let span = m.span(&port.origin)?;
    let text = span.range.of(&ctx.files.source(span.file).text);
    // the entry as written in the service (the resolved value may merge several)
    let raw = s
        .raw
        .get("ports")?
        .as_seq()?
        .iter()
        .find(|v| v.origin.range == port.origin.range && v.origin.file == port.origin.file)?;
    match &raw.val {
        Val::Str { .. } => {
            let quote = usize::from(text.starts_with(['"', '\'']));
            let inner = &text[quote..];
            let at = span.range.start as usize + quote;
            for wildcard in ["0.0.0.0:", "[::]:", ":::"] {
                if inner.starts_with(wildcard) {
                    let r = crate::source::TextRange::new(at, at + wildcard.len() - 1);
                    return Some(Edit::replace(span.file, r, "127.0.0.1"));
                }
            }
            // `5432` publishes on a random port: `127.0.0.1::5432` keeps that
            let inner = inner.trim_end_matches(['"', '\'']);
            let prefix = if has_colon_outside_templates(inner) { "127.0.0.1:" } else { "127.0.0.1::" };
            Some(Edit::insert(span.file, at, prefix))
        }
        Val::Map(_) => {
            if let Some(ip) = raw.get("host_ip") {
                let r = m.span(&ip.origin)?;
                let t = r.range.of(&ctx.files.source(r.file).text);
                let q = if t.starts_with('"') {
                    "\""
                } else if t.starts_with('\'') {
                    "'"
                } else {
                    ""
                };
                return Some(Edit::replace(r.file, r.range, format!("{q}127.0.0.1{q}")));
            }
            let y = &m.project.file(raw.origin.file).yaml;
            let node = y.node(raw.origin.node?);
            let crate::formats::compose::yaml::NodeKind::Mapping { entries, flow } = &node.kind else { return None };
            let (first, _) = entries.first()?;
            let key_start = y.node(*first).range.start as usize;
            let src = ctx.files.source(span.file);
            if *flow {
                return Some(Edit::insert(span.file, key_start, "host_ip: 127.0.0.1, "));
            }
            let line_start = src.text[..key_start].rfind('\n').map(|i| i + 1).unwrap_or(0);
            let indent = " ".repeat(src.text[line_start..key_start].chars().count());
            Some(Edit::insert(span.file, key_start, format!("host_ip: 127.0.0.1{}{indent}", src.newline())))
        }
        _ => None,
    }
}

/// Whether `s` has a `:` that is not inside a `${…}` template.
fn has_colon_outside_templates(s: &str) -> bool {
    let mut depth = 0usize;
    let b = s.as_bytes();
    for (i, &c) in b.iter().enumerate() {
        match c {
            b'{' if i > 0 && b[i - 1] == b'$' => depth += 1,
            b'}' if depth > 0 => depth -= 1,
            b':' if depth == 0 => return true,
            _ => {}
        }
    }
    false
}

#[cfg(test)]
mod tests {
    #[test]
    fn colons_outside_templates() {
        assert!(super::has_colon_outside_templates("5432:5432"));
        assert!(super::has_colon_outside_templates("${P:-5432}:5432"));
        assert!(!super::has_colon_outside_templates("${P:-5432}"));
        assert!(!super::has_colon_outside_templates("5432"));
    }
}

//! OL6xx: server-wide modules and the OCA job queue.

pub mod queue_job_channels_exceed_workers;
pub mod queue_job_needs_workers;
pub mod queue_job_not_loaded;
pub mod queue_job_port_unreachable;
pub mod server_wide_web_missing;

use crate::rules::Ctx;
use crate::source::Span;

/// Where the stack says it has the OCA `queue_job` module.
pub(crate) enum QueueJobEvidence {
    /// A `[queue_job]` section in odoo.conf (its header).
    Section(Span),
    /// `queue_job/__manifest__.py` in the tree.
    Addon(String),
    /// A requirements line that installs it.
    Requirement(String),
}

impl QueueJobEvidence {
    pub fn describe(&self) -> String {
        match self {
            QueueJobEvidence::Section(_) => "odoo.conf has a [queue_job] section".to_string(),
            QueueJobEvidence::Addon(p) => format!("its addon is at {p}"),
            QueueJobEvidence::Requirement(p) => format!("{p} installs it"),
        }
    }
}

/// Whether queue_job is part of the stack, and what says so.
pub(crate) fn queue_job_evidence(ctx: &Ctx) -> Option<QueueJobEvidence> {
    let stack = ctx.stack;
    if let Some(conf) = stack.odoo.conf
        && let Some(c) = ctx.files.odoo_conf(conf)
        && let Some((_, s)) = c.sections_named("queue_job").next()
    {
        return Some(QueueJobEvidence::Section(Span::new(conf, s.header)));
    }
    if let Some(a) = stack.addon("queue_job") {
        let manifest = crate::source::display_path(&a.path);
        return Some(QueueJobEvidence::Addon(manifest));
    }
    if let Some((path, line)) = stack.required_addon("queue_job") {
        return Some(QueueJobEvidence::Requirement(format!("{}:{line}", crate::source::display_path(path))));
    }
    None
}

/// The `[queue_job]` value of `key` in odoo.conf, with its span.
pub(crate) fn queue_job_setting(ctx: &Ctx, key: &str) -> Option<(String, Span)> {
    let conf = ctx.stack.odoo.conf?;
    let c = ctx.files.odoo_conf(conf)?;
    let e = c.get("queue_job", key)?;
    let range = if e.value_full_range.is_empty() { e.key_range } else { e.value_full_range };
    Some((e.value.clone(), Span::new(conf, range)))
}

/// The capacity of queue_job's root channel in a channels string (`root:4,mail:2` → 4);
/// queue_job's default is `root:1`.
pub(crate) fn root_capacity(channels: &str) -> Option<u64> {
    for part in channels.split(',') {
        let mut fields = part.trim().split(':');
        if fields.next()?.trim() == "root" {
            return fields.next().and_then(|c| c.trim().parse().ok()).or(Some(1));
        }
    }
    None
}

/// Whether the effective `server_wide_modules` loads `module`.
pub(crate) fn loads(ctx: &Ctx, module: &str) -> bool {
    ctx.stack.odoo.list("server_wide_modules").is_some_and(|l| l.value.iter().any(|m| m == module))
}

#[cfg(test)]
mod tests {
    #[test]
    fn root_capacity() {
        assert_eq!(super::root_capacity("root:4,mail:2"), Some(4));
        assert_eq!(super::root_capacity("mail:2, root:8:sequential"), Some(8));
        assert_eq!(super::root_capacity("root"), Some(1));
        assert_eq!(super::root_capacity("mail:2"), None);
    }
}

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
    /// An addons folder mounted into the Odoo container holds it: the folder's volume entry,
    /// and the manifest.
    Mounted(Span, String),
    /// A `pip install` in a compose command, or in the Dockerfile an Odoo service is built from.
    Pip(Option<Span>, String),
    /// An `ODOO_QUEUE_JOB_*` variable of the Odoo container configures it.
    Env(Span, String),
}

impl QueueJobEvidence {
    pub fn describe(&self) -> String {
        match self {
            QueueJobEvidence::Section(_) => "odoo.conf has a [queue_job] section".to_string(),
            QueueJobEvidence::Addon(p) => format!("its addon is at {p}"),
            QueueJobEvidence::Requirement(p) => format!("{p} installs it"),
            QueueJobEvidence::Mounted(_, p) => format!("the container mounts its addon, {p}"),
            QueueJobEvidence::Pip(_, p) => format!("{p} installs it"),
            QueueJobEvidence::Env(_, v) => format!("the container sets {v}"),
        }
    }

    /// Where the evidence is written, when it is in a file of the stack.
    pub fn span(&self) -> Option<Span> {
        match self {
            QueueJobEvidence::Section(s) | QueueJobEvidence::Mounted(s, _) | QueueJobEvidence::Env(s, _) => Some(*s),
            QueueJobEvidence::Pip(s, _) => *s,
            _ => None,
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
    if let Some(e) = compose_evidence(ctx) {
        return Some(e);
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

/// queue_job in the stack's Odoo container: an addons folder mounted into it, a `pip
/// install` of its command or Dockerfile, or its `ODOO_QUEUE_JOB_*` variables.
fn compose_evidence(ctx: &Ctx) -> Option<QueueJobEvidence> {
    use crate::stack::compose::InstallPlace;
    let (m, i, s, c) = ctx.stack.odoo_container()?;
    for mount in &c.addons {
        if let Some((_, manifest)) = mount.addons.iter().find(|(n, _)| n == "queue_job") {
            return Some(QueueJobEvidence::Mounted(mount.span, crate::source::display_path(manifest)));
        }
    }
    if let Some(inst) = m.services[i].installs.iter().find(|x| x.addon == "queue_job") {
        return Some(match &inst.at {
            InstallPlace::Compose(span) => QueueJobEvidence::Pip(Some(*span), format!("the command of service `{}`", s.name)),
            InstallPlace::Dockerfile(p, line) => {
                QueueJobEvidence::Pip(None, format!("{}:{line}", crate::source::display_path(p)))
            }
        });
    }
    let e = s.environment.iter().find(|e| e.name.starts_with("ODOO_QUEUE_JOB_") && e.value.is_some())?;
    Some(QueueJobEvidence::Env(m.span(&e.origin)?, e.name.clone()))
}

/// The value of queue_job's `key`: the Odoo container's `ODOO_QUEUE_JOB_<KEY>` (which wins),
/// else `[queue_job] key` in odoo.conf; with its span.
pub(crate) fn queue_job_setting(ctx: &Ctx, key: &str) -> Option<(String, Span)> {
    if let Some((m, _, s, _)) = ctx.stack.odoo_container()
        && let Some(e) = s.env(&format!("ODOO_QUEUE_JOB_{}", key.to_ascii_uppercase()))
        && let (Some(v), Some(span)) = (&e.value, m.span(&e.origin))
    {
        return Some((v.clone(), span));
    }
    let conf = ctx.stack.odoo.conf?;
    let c = ctx.files.odoo_conf(conf)?;
    let e = c.get("queue_job", key)?;
    let range = if e.value_full_range.is_empty() { e.key_range } else { e.value_full_range };
    Some((e.value.clone(), Span::new(conf, range)))
}

/// `channels` with the root channel's capacity replaced (`root:4,mail:2` → `root:2,mail:2`).
pub(crate) fn with_root_capacity(channels: &str, capacity: u64) -> String {
    channels
        .split(',')
        .map(|part| {
            let mut fields: Vec<&str> = part.split(':').collect();
            if fields.first().map(|f| f.trim()) == Some("root") {
                let lead = &part[..part.len() - part.trim_start().len()];
                let cap = capacity.to_string();
                if fields.len() >= 2 {
                    fields[1] = &cap;
                    return format!("{lead}{}", fields.iter().map(|f| f.trim()).collect::<Vec<_>>().join(":"));
                }
                return format!("{lead}root:{cap}");
            }
            part.to_string()
        })
        .collect::<Vec<_>>()
        .join(",")
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

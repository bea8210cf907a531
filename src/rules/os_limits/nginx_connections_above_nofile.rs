use crate::declare_rule;
use crate::diagnostic::{Edit, Fix};
use crate::formats::nginx::layout;
use crate::formats::nginx::model::{NginxModel, NodeId, RootContext};
use crate::formats::systemd::values::RlimitValue;
use crate::rules::proxy::edit::replace_arg;
use crate::rules::{Ctx, Rule, RuleMeta};
use crate::stack::system::Role;

declare_rule! {
    /// nginx may accept more connections than it can open files for.
    pub struct NginxConnectionsAboveNofile {
        code: "OL505",
        name: "nginx-connections-above-nofile",
        severity: Warning,
        fix: Safe,
        symptoms: [S502, S503],
        summary: "nginx `worker_connections` (× 2 for proxying) exceeds `worker_rlimit_nofile` or nginx's own nofile limit",
    }
}

/// nginx's `worker_connections` default (ngx_event_core_module).
pub(crate) const DEFAULT_WORKER_CONNECTIONS: u64 = 512;
/// The soft open-file limit a service gets from systemd when its unit sets none.
pub(crate) const SYSTEMD_DEFAULT_SOFT: u64 = 1024;

/// The last node named `name` directly in a block named `block` at the top level (or at the
/// top level itself when `block` is `None`).
pub(crate) fn find(model: &NginxModel, block: Option<&str>, name: &str) -> Option<NodeId> {
    let scope = match block {
        Some(b) => Some(model.roots().iter().copied().find(|&n| model.node(n).name == b)?),
        None => None,
    };
    model.directives_in(scope, name).last()
}

impl Rule for NginxConnectionsAboveNofile {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &mut Ctx) {
        let stack = ctx.stack;
        for config in &stack.nginx {
            let model = &config.model;
            if model.context != RootContext::Main {
                continue; // only a main nginx.conf says how many connections a worker takes
            }
            let wc_node = find(model, Some("events"), "worker_connections");
            let connections =
                wc_node.and_then(|n| model.node(n).args.first()?.parse::<u64>().ok()).unwrap_or(DEFAULT_WORKER_CONNECTIONS);
            let needed = connections.saturating_mul(2);
            let rlimit_node = find(model, None, "worker_rlimit_nofile");
            let (limit, from) = match rlimit_node.and_then(|n| model.node(n).args.first()?.parse::<u64>().ok()) {
                Some(v) => (v, "`worker_rlimit_nofile`".to_string()),
                None => {
                    // nginx keeps the limit it was started with: its unit's, or systemd's default
                    let unit = stack.system.units.iter().find(|u| matches!(u.role, Role::Nginx));
                    match unit.map(|u| (u, u.effective(ctx.files).limit_nofile())) {
                        Some((u, setting)) => match setting.value.soft {
                            RlimitValue::Finite(n) => (n, format!("`LimitNOFILE` of {}", u.name)),
                            RlimitValue::Infinity => continue,
                        },
                        None => (
                            SYSTEMD_DEFAULT_SOFT,
                            "systemd's default soft limit for a service, as no `worker_rlimit_nofile` is set".to_string(),
                        ),
                    }
                }
            };
            if needed <= limit {
                continue;
            }
            let span = match (wc_node, rlimit_node) {
                (Some(n), _) => model.node(n).arg_span(0).unwrap_or_else(|| model.span(n)),
                (None, Some(r)) => model.span(r),
                (None, None) => match find(model, None, "events") {
                    Some(e) => model.span(e),
                    None => continue,
                },
            };
            let mut d = ctx
                .diag(
                    span,
                    format!(
                        "each nginx worker may take {connections} connections, and proxying to Odoo needs 2 file descriptors per connection ({needed}), but nginx may open only {limit} files ({from}): under load workers log \"Too many open files\" and clients get 502s"
                    ),
                )
                .with_primary_label(if wc_node.is_some() { format!("{connections} connections") } else { format!("`worker_connections` not set: {DEFAULT_WORKER_CONNECTIONS}") });
            if let Some(r) = rlimit_node {
                d = d.with_label(model.node(r).arg_span(0).unwrap_or_else(|| model.span(r)), format!("{limit} files"));
            }
            let edit = match rlimit_node {
                Some(r) => replace_arg(ctx.files, model, r, 0, &needed.to_string()),
                None => add_rlimit(ctx, model, needed),
            };
            if let Some(edit) = edit {
                d = d.with_fix(Fix::safe(format!("set `worker_rlimit_nofile {needed};`"), vec![edit]));
            }
            ctx.push(d);
        }
    }
}

/// `worker_rlimit_nofile N;` at the main level, after `worker_processes` (or at the top).
pub(crate) fn add_rlimit(ctx: &Ctx, model: &NginxModel, value: u64) -> Option<Edit> {
    let file = model.root;
    if ctx.files.get(file).is_virtual {
        return None;
    }
    let tree = ctx.files.nginx(file)?;
    let src = ctx.files.source(file);
    let text = format!("worker_rlimit_nofile {value};");
    match find(model, None, "worker_processes").filter(|n| model.node(*n).file == file) {
        Some(n) => {
            let ins = layout::insert_after(tree, src, model.node(n).directive);
            Some(Edit::replace(file, ins.range, ins.text(&text)))
        }
        None => Some(Edit::insert(file, 0, format!("{text}{}", src.newline()))),
    }
}

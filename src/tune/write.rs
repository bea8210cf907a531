//! From plan to files: the edits of each changed value (through the same helpers the rules'
//! fixes use), applied by the fix engine in passes ([`crate::fix::run_passes`]): each pass
//! re-reads the stack, re-plans, and applies the edits that do not overlap (two new lines at
//! the end of one section wait for the next pass), until the plan has nothing left to change.
//! The diff names, per hunk, the settings it changes; writing is the fix engine's (atomic,
//! mode and owner kept, refused when the result does not parse).

use super::plan::{Item, NginxAt, Place};
use super::{Options, StackPlan};
use crate::diagnostic::{Edit, Fix};
use crate::files::FileSet;
use crate::fix::{Chosen, Fixed};
use crate::formats::limits::{DomainClass, append_entry};
use crate::host::HostFact;
use crate::stack::Stack;
use crate::workspace::{Inputs, Workspace};

/// Passes at most: one per new line in the busiest section, with room to spare.
pub const MAX_PASSES: usize = 40;

/// The plan of one stack, or the host facts it lacks.
pub type Planned = Result<StackPlan, (String, Vec<HostFact>)>;

/// What `tune` did.
#[derive(Debug)]
pub struct Tuned {
    /// The plans made on the files as they were.
    pub plans: Vec<Planned>,
    /// The files changed (nothing is written here), and the workspace they make.
    pub fixed: Fixed,
}

/// Plans every stack of `inputs` and computes the files the plans make.
pub fn run(inputs: &Inputs, config: &crate::config::Config, opts: &Options) -> Tuned {
    let mut first: Option<Vec<Planned>> = None;
    let fixed = crate::fix::run_passes(inputs, config, MAX_PASSES, |ws| {
        let (plans, chosen) = propose(ws, opts);
        first.get_or_insert(plans);
        chosen
    });
    Tuned { plans: first.unwrap_or_default(), fixed }
}

/// The plans of a workspace and the edits of their changes, free of overlaps.
pub fn propose(ws: &Workspace, opts: &Options) -> (Vec<Planned>, Vec<Chosen>) {
    let mut plans = Vec::new();
    let mut chosen = Vec::new();
    for stack in &ws.stacks {
        match super::plan(&ws.files, stack, opts) {
            Ok(plan) => {
                for item in plan.changes() {
                    // an edit that writes what is there already would never let the passes end
                    let edits = edits(&ws.files, stack, item).map(|e| {
                        e.into_iter().filter(|e| e.range.of(&ws.files.source(e.file).text) != e.replacement).collect::<Vec<_>>()
                    });
                    if let Some(edits) = edits.filter(|e| !e.is_empty()) {
                        let title = format!("set `{}` to {}", item.key, item.target);
                        chosen.push(Chosen { code: item.key, fix: Fix::unsafe_(title, edits) });
                    }
                }
                plans.push(Ok(plan));
            }
            Err(missing) => plans.push(Err((stack.name.clone(), missing))),
        }
    }
    (plans, crate::fix::without_overlaps(chosen))
}

/// The edits that give `item` its target, where it lives.
pub fn edits(files: &FileSet, stack: &Stack, item: &Item) -> Option<Vec<Edit>> {
    let value = item.target.written.as_str();
    match &item.place {
        Place::Odoo { section: "options" } => stack.odoo_set(files, item.key, value).ok(),
        Place::Odoo { section } => {
            let conf = stack.odoo.conf?;
            let c = files.odoo_conf(conf)?;
            let src = files.source(conf);
            Some(
                crate::formats::odoo_conf::set_value_edits(c, src, section, item.key, value)
                    .into_iter()
                    .map(|(range, text)| Edit::replace(conf, range, text))
                    .collect(),
            )
        }
        Place::Postgres { server } => stack.pg_set_edit(files, *server, item.key, value).ok().map(|e| vec![e]),
        Place::Nginx { config, at } => nginx_edit(files, stack, *config, at, item.key, value).map(|e| vec![e]),
        Place::Unit { unit } => {
            let unit = stack.system.units.get(*unit)?;
            let eff = unit.effective(files);
            let origin = match item.key {
                "LimitNOFILE" => eff.limit_nofile().origin,
                "TimeoutStopSec" => eff.timeout_stop().origin.filter(|o| {
                    unit.files()
                        .get(o.file)
                        .is_some_and(|&f| o.line_range.of(&files.source(f).text).starts_with("TimeoutStopSec"))
                }),
                _ => None,
            };
            unit.set_edit(files, item.key, value, origin.as_ref()).map(|e| vec![e])
        }
        Place::Limits { user, hard } => limits_edit(files, stack, user, *hard, value).map(|e| vec![e]),
        Place::Compose { project, service } => compose_edits(stack.compose.get(*project)?, *service, item.key, value).ok(),
    }
}

/// The edits of a compose service's key. `ulimits.nofile` keeps its form: a single number
/// stays one; a soft/hard pair gets the soft value, and the hard one too when it would end
/// below it.
pub fn compose_edits(
    m: &crate::stack::compose::ComposeModel,
    service: usize,
    key: &str,
    value: &str,
) -> Result<Vec<Edit>, String> {
    if key != "ulimits.nofile" {
        return m.set_edit(service, key, value).map(|e| vec![e]);
    }
    let target: i64 = value.parse().map_err(|_| format!("`{value}` is not a number"))?;
    match m.service(service).ulimit("nofile") {
        Some(u) if !u.single => {
            let mut out = vec![m.set_edit(service, "ulimits.nofile.soft", value)?];
            if u.hard.as_ref().is_some_and(|h| h.value >= 0 && h.value < target) || u.hard.is_none() {
                out.push(m.set_edit(service, "ulimits.nofile.hard", value)?);
            }
            Ok(out)
        }
        _ => m.set_edit(service, "ulimits.nofile", value).map(|e| vec![e]),
    }
}

fn nginx_edit(files: &FileSet, stack: &Stack, config: usize, at: &NginxAt, key: &str, value: &str) -> Option<Edit> {
    let model = &stack.nginx.get(config)?.model;
    match at {
        NginxAt::Directive(n) => crate::rules::proxy::edit::replace_arg(files, model, *n, 0, value),
        NginxAt::New(scope) => crate::rules::proxy::edit::insert_directives(files, model, *scope, &[format!("{key} {value};")]),
        NginxAt::BusLocation { route } => {
            let main = stack.routes.get(*route)?;
            let (gevent, _) = crate::rules::proxy::gevent_port(stack);
            crate::rules::proxy::websocket_route_missing::new_bus_location(
                files,
                stack,
                main,
                crate::rules::proxy::bus_path(stack),
                gevent,
            )
        }
        NginxAt::Main => {
            let ctx = crate::rules::Ctx::new(files, stack);
            let value = value.parse().ok()?;
            crate::rules::os_limits::nginx_connections_above_nofile::add_rlimit(&ctx, model, value)
        }
        NginxAt::Port { route, target } => {
            let t = stack.routes.get(*route)?.targets.get(*target)?;
            let range = crate::rules::proxy::edit::port_range(files, t.span.file, t.span.range)?;
            Some(Edit::replace(t.span.file, range, value.to_string()))
        }
    }
}

/// `nofile` for `user` in the stack's limits files: its own line raised in place, else a new
/// line at the end of limits.conf (a line for `*` or a group is left as it is).
fn limits_edit(files: &FileSet, stack: &Stack, user: &str, hard: bool, value: &str) -> Option<Edit> {
    let limits: Vec<_> = stack.system.limits.iter().filter_map(|&f| files.limits(f).map(|l| (f, l))).collect();
    let eff = crate::rules::os_limits::nofile_for(&limits, user);
    let setter = if hard { &eff.hard } else { &eff.soft };
    if let Some(s) = setter
        && s.class == DomainClass::User
    {
        return Some(Edit::replace(limits[s.at.file].0, s.value_range, value.to_string()));
    }
    let &(target, file) = limits
        .iter()
        .rev()
        .find(|(f, _)| files.source(*f).path.file_name().is_some_and(|n| n == "limits.conf"))
        .or(limits.last())?;
    let kind = if hard { "hard" } else { "soft" };
    let ins = append_entry(file, files.source(target), [user, kind, "nofile", value]);
    Some(Edit::insert(target, files.source(target).len(), ins.text))
}

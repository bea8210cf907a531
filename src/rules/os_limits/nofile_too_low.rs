use super::{NOFILE_TARGET, limits_files, nofile_for};
use crate::declare_rule;
use crate::diagnostic::{Edit, Fix};
use crate::formats::limits::{DomainClass, Item, append_entry};
use crate::formats::systemd::values::RlimitValue;
use crate::rules::{Ctx, Rule, RuleMeta};
use crate::source::{Span, TextRange};

declare_rule! {
    /// Odoo runs with too few open files.
    pub struct NofileTooLow {
        code: "OL501",
        name: "nofile-too-low",
        severity: Warning,
        fix: Safe,
        symptoms: [S502, S503],
        summary: "the open-file limit of the Odoo process is below 65536 (or left at the default 1024)",
    }
}

impl Rule for NofileTooLow {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &mut Ctx) {
        if !crate::rules::containers::odoo_services(ctx).is_empty() {
            compose(ctx);
        } else if ctx.stack.system.odoo_units().next().is_some() {
            systemd(ctx);
        } else if ctx.stack.odoo.conf.is_some() {
            limits_conf(ctx);
        }
    }
}

/// Each unit that runs Odoo: its effective `LimitNOFILE=` soft limit (systemd's default is
/// 1024 soft, 524288 hard).
fn systemd(ctx: &mut Ctx) {
    for (unit, service) in ctx.stack.system.odoo_units() {
        let eff = unit.effective(ctx.files);
        let nofile = eff.limit_nofile();
        let soft = match nofile.value.soft {
            RlimitValue::Finite(n) => n,
            RlimitValue::Infinity => continue,
        };
        if soft >= NOFILE_TARGET {
            continue;
        }
        let (span, label, what) = match nofile.origin.as_ref().and_then(|o| unit.span(o)) {
            Some(s) => (
                s,
                format!("soft limit {soft}"),
                format!("`LimitNOFILE` gives Odoo a soft limit of {soft} open files in {}", unit.name),
            ),
            None => (
                Span::new(service.file, service.range),
                "`LimitNOFILE` not set: 1024 (systemd default)".to_string(),
                format!(
                    "`LimitNOFILE` is not set in {}, so Odoo gets systemd's default soft limit of 1024 open files",
                    unit.name
                ),
            ),
        };
        let mut d = ctx
            .diag(
                span,
                format!(
                    "{what}: every websocket client holds a socket in the gevent process, and past the limit Odoo fails with \"Too many open files\" (502s, dropped live updates)"
                ),
            )
            .with_primary_label(label);
        // Keep a hard limit the unit set higher than the target.
        let value = match (nofile.origin.is_some(), nofile.value.hard) {
            (true, RlimitValue::Finite(h)) if h > NOFILE_TARGET => format!("{NOFILE_TARGET}:{h}"),
            (true, RlimitValue::Infinity) => format!("{NOFILE_TARGET}:infinity"),
            _ => NOFILE_TARGET.to_string(),
        };
        match unit.set_edit(ctx.files, "LimitNOFILE", &value, nofile.origin.as_ref()) {
            Some(edit) => d = d.with_fix(Fix::safe(format!("set `LimitNOFILE={value}` in {}", unit.name), vec![edit])),
            None => d = d.with_help(format!("add `[Service]` `LimitNOFILE={value}` in a drop-in, {}", unit.dropin_path())),
        }
        ctx.push(d);
    }
}

/// No unit runs Odoo: when the stack has limits files, the limits pam_limits gives the user
/// `odoo` (the user of Debian's package, of the official image and of every unit we know)
/// in a login session.
fn limits_conf(ctx: &mut Ctx) {
    let files = limits_files(ctx);
    let Some(&(first, _)) = files.first() else { return };
    let user = "odoo";
    let eff = nofile_for(&files, user);
    if eff.disabled_by.is_some() {
        return;
    }
    // `None`: not set by these files; `Some(None)`: unlimited.
    let soft = eff.soft_rlimit(Item::Nofile);
    let hard = eff.hard_rlimit(Item::Nofile);
    let low = |v: Option<Option<u64>>| v.is_none_or(|v| v.is_some_and(|n| n < NOFILE_TARGET));
    if !low(soft) {
        return;
    }
    let (span, label, what) = match (&eff.soft, soft.flatten()) {
        (Some(s), Some(n)) => (
            Span::new(files[s.at.file].0, s.range),
            format!("soft limit {n}"),
            format!("pam_limits gives `{user}` a soft limit of {n} open files"),
        ),
        _ => (
            Span::new(first, TextRange::empty(0)),
            format!("no `nofile` line for `{user}`"),
            format!("no `nofile` line applies to `{user}`, so its sessions keep the default soft limit (1024 on most systems)"),
        ),
    };
    let mut d = ctx
        .diag(span, format!("{what}: past the limit Odoo fails with \"Too many open files\" (502s, dropped live updates)"))
        .with_primary_label(label)
        .with_note(format!("no systemd unit in the stack runs Odoo, so this assumes it runs as `{user}` from a login session; a systemd service ignores limits.conf (OL503)"));
    // Raise the user's own lines in place; add the missing ones (or those set for everyone
    // by `*` or a group) for the user, at the end of limits.conf.
    let mut edits = Vec::new();
    let mut missing = Vec::new();
    for (kind, setter, needed) in [("soft", &eff.soft, low(soft)), ("hard", &eff.hard, low(hard))] {
        match setter {
            _ if !needed => {}
            Some(s) if s.class == DomainClass::User => {
                edits.push(Edit::replace(files[s.at.file].0, s.value_range, NOFILE_TARGET.to_string()))
            }
            _ => missing.push(kind),
        }
    }
    let Some(&(target, target_file)) = files
        .iter()
        .rev()
        .find(|(f, _)| ctx.files.source(*f).path.file_name().is_some_and(|n| n == "limits.conf"))
        .or(files.last())
    else {
        return;
    };
    if !missing.is_empty() {
        let src = ctx.files.source(target);
        let mut text = String::new();
        for (i, kind) in missing.iter().enumerate() {
            let ins = append_entry(target_file, src, [user, kind, "nofile", &NOFILE_TARGET.to_string()]);
            // the second line needs no newline before it even if the file lacks a final one
            let t = if i > 0 { ins.text.trim_start_matches(['\r', '\n']) } else { ins.text.as_str() };
            text.push_str(t);
        }
        edits.push(Edit::insert(target, src.len(), text));
    }
    d = d.with_fix(Fix::safe(format!("give `{user}` {NOFILE_TARGET} open files in limits.conf"), edits));
    ctx.push(d);
}

/// Each compose service that runs Odoo: its `ulimits.nofile`. Without one, the container gets
/// the limit of the container runtime: containerd 2.0 no longer raises its own, so that is
/// systemd's default, 1024 soft.
fn compose(ctx: &mut Ctx) {
    for (m, i, s, _) in crate::rules::containers::odoo_services(ctx) {
        let u = s.ulimit("nofile");
        let soft = u.and_then(|u| u.soft.as_ref()).map(|v| v.value);
        let hard = u.and_then(|u| u.hard.as_ref()).map(|v| v.value);
        if soft.is_some_and(|v| v < 0 || v as u64 >= NOFILE_TARGET) {
            continue;
        }
        let (span, label, what) = match (u, soft) {
            (Some(u), Some(n)) => {
                let at = u.soft.as_ref().and_then(|v| m.span(&v.origin)).or_else(|| m.span(&u.origin));
                let Some(at) = at else { continue };
                (
                    at,
                    format!("soft limit {n}"),
                    format!("`ulimits.nofile` gives Odoo a soft limit of {n} open files in {}", m.describe_service(i)),
                )
            }
            _ => {
                let Some(at) = m.service_span(i) else { continue };
                (
                    at,
                    "no `ulimits.nofile`".to_string(),
                    format!(
                        "{} sets no `ulimits.nofile`, so Odoo inherits the container runtime's limit: 1024 open files (soft) under containerd 2.0 and later, whose unit no longer raises it",
                        m.describe_service(i)
                    ),
                )
            }
        };
        let mut d = ctx
            .diag(span, format!("{what}: every websocket client holds a socket in the gevent process, and past the limit Odoo fails with \"Too many open files\" (502s, dropped live updates)"))
            .with_primary_label(label);
        // the soft limit, and the hard one when it would end below it
        let edit = match u {
            Some(u) if !u.single && hard.is_some_and(|h| h >= NOFILE_TARGET as i64 || h < 0) => {
                m.set_edit(i, "ulimits.nofile.soft", &NOFILE_TARGET.to_string())
            }
            Some(u) if !u.single => {
                let soft = m.set_edit(i, "ulimits.nofile.soft", &NOFILE_TARGET.to_string());
                let hard = m.set_edit(i, "ulimits.nofile.hard", &NOFILE_TARGET.to_string());
                match (soft, hard) {
                    (Ok(a), Ok(b)) => {
                        d = d.with_fix(Fix::safe(format!("give Odoo {NOFILE_TARGET} open files"), vec![a, b]));
                        ctx.push(d);
                        continue;
                    }
                    (Err(e), _) | (_, Err(e)) => Err(e),
                }
            }
            _ => m.set_edit(i, "ulimits.nofile", &NOFILE_TARGET.to_string()),
        };
        match edit {
            Ok(e) => d = d.with_fix(Fix::safe(format!("give Odoo {NOFILE_TARGET} open files (`ulimits.nofile`)"), vec![e])),
            Err(why) => d = d.with_help(why),
        }
        ctx.push(d);
    }
}

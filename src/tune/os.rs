//! The operating system: open files for Odoo (systemd `LimitNOFILE=`, or pam_limits `nofile`
//! when no unit runs Odoo; OL501, OL503) and the time systemd gives Odoo to stop (OL304).

use super::plan::{Bounds, Current, Goal, Input, NginxAt, Place, Value};
use super::{Draft, Planner};
use crate::formats::limits::Item as LimitItem;
use crate::formats::systemd::values::RlimitValue;
use crate::rules::os_limits::{NOFILE_TARGET, limits_files, nofile_for};
use crate::units::SystemdTimespan;

/// Seconds the prefork master needs beyond `limit_time_real` to reap its workers (OL304).
pub const STOP_MARGIN: u64 = 10;

/// The user pam_limits entries are written for when no unit says who runs Odoo.
pub const ODOO_USER: &str = "odoo";

pub fn plan(p: &mut Planner) {
    nginx_nofile(p);
    compose(p);
    if !p.odoo.known {
        return;
    }
    let stack = p.stack;
    let files = limits_files(&p.ctx);
    let mut any_unit = false;
    for (ui, unit) in stack.system.units.iter().enumerate() {
        let Some(service) = unit.odoo() else { continue };
        any_unit = true;
        let eff = unit.effective(p.files);
        // Open files: 65536, or what limits.conf gives the unit's user if more (OL503).
        let nofile = eff.limit_nofile();
        let user = eff.user().map(|u| u.value).unwrap_or_else(|| "root".to_string());
        let from_limits = if files.is_empty() || eff.last_value("Service", "PAMName").is_some() {
            None
        } else {
            nofile_for(&files, &user).soft_rlimit(LimitItem::Nofile).map(|v| v.unwrap_or(crate::rules::os_limits::NR_OPEN))
        };
        let target = NOFILE_TARGET.max(from_limits.unwrap_or(0));
        let soft = match nofile.value.soft {
            RlimitValue::Finite(n) => n,
            RlimitValue::Infinity => u64::MAX,
        };
        let written = match (nofile.origin.is_some(), nofile.value.hard) {
            (true, RlimitValue::Finite(h)) if h > target => format!("{target}:{h}"),
            (true, RlimitValue::Infinity) => format!("{target}:infinity"),
            _ => target.to_string(),
        };
        let origin = match nofile.origin.as_ref().and_then(|o| unit.span(o)) {
            Some(s) => format!("set in {}", p.display(s.file)),
            None => "systemd default".to_string(),
        };
        let current_text = nofile
            .origin
            .as_ref()
            .and_then(|o| unit.span(o))
            .map(|s| s.range.of(&p.files.source(s.file).text).to_string())
            .unwrap_or_else(|| "1024".to_string());
        let soft_shown = if soft == u64::MAX { "infinity".to_string() } else { current_text };
        let mut inputs = vec![];
        if let Some(v) = from_limits {
            inputs.push(Input::new(format!("`nofile` for `{user}` in limits.conf"), v, "pam_limits does not reach services"));
        }
        let writable = unit
            .set_edit(p.files, "LimitNOFILE", &written, nofile.origin.as_ref())
            .map(|_| ())
            .ok_or_else(|| format!("add `LimitNOFILE={written}` in a drop-in, {}", unit.dropin_path()));
        let draft = Draft {
            key: "LimitNOFILE",
            place: Place::Unit { unit: ui },
            location: unit.name.clone(),
            current: Current {
                value: Some(Value { amount: soft as f64, written: soft_shown, kind: super::plan::Kind::Count }),
                origin,
            },
            target: Value { written, ..Value::count(target as i64) },
            goal: Goal::AtLeast,
            bounds: Bounds::at_least(target as f64),
            formula: format!(
                "{target}: every websocket client holds a socket in the gevent process, every worker files and connections (OL501{})",
                if from_limits.is_some_and(|v| v > NOFILE_TARGET) {
                    "; limits.conf's value for the service's user, OL503"
                } else {
                    ""
                }
            ),
            inputs,
            writable,
        };
        p.push(draft);
        // Stop timeout: prefork waits up to limit_time_real for the workers.
        if !(p.odoo.prefork && service.linked && p.odoo.limit_time_real > 0) {
            continue;
        }
        let real = p.odoo.limit_time_real as u64;
        let stop = eff.timeout_stop();
        let now = match stop.value {
            SystemdTimespan::Infinity => None,
            t => t.to_millis().map(|m| m.ceil_secs()),
        };
        let target = real + STOP_MARGIN;
        // `TimeoutSec=` also sets the start timeout: leave it and add `TimeoutStopSec=`.
        let current_origin = stop.origin.as_ref().filter(|o| {
            unit.files().get(o.file).is_some_and(|&f| o.line_range.of(&p.files.source(f).text).starts_with("TimeoutStopSec"))
        });
        let value = format!("{target}s");
        let writable = unit
            .set_edit(p.files, "TimeoutStopSec", &value, current_origin)
            .map(|_| ())
            .ok_or_else(|| format!("add `TimeoutStopSec={value}` in a drop-in, {}", unit.dropin_path()));
        let origin = match stop.origin.as_ref().and_then(|o| unit.span(o)) {
            Some(s) => format!("set in {}", p.display(s.file)),
            None => "systemd default".to_string(),
        };
        let current = match now {
            Some(s) => Value::seconds(s, format!("{s}s")),
            None => Value::seconds(u64::MAX / 2, "infinity"),
        };
        let draft = Draft {
            key: "TimeoutStopSec",
            place: Place::Unit { unit: ui },
            location: unit.name.clone(),
            current: Current { value: Some(current), origin },
            target: Value::seconds(target, value),
            goal: Goal::AtLeast,
            bounds: Bounds::at_least((real + 1) as f64),
            formula: format!(
                "limit_time_real {real} s + {STOP_MARGIN} s = {target} s: on a restart the master waits that long for requests in flight (OL304)"
            ),
            inputs: vec![Input::new("limit_time_real", format!("{real} s"), "planned above")],
            writable,
        };
        p.push(draft);
    }
    if any_unit || files.is_empty() || p.stack.odoo.conf.is_none() {
        return;
    }
    // No unit: the limits pam_limits gives Odoo's user in a login session.
    let eff = nofile_for(&files, ODOO_USER);
    if eff.disabled_by.is_some() {
        return;
    }
    for hard in [false, true] {
        let (setter, value) =
            if hard { (&eff.hard, eff.hard_rlimit(LimitItem::Nofile)) } else { (&eff.soft, eff.soft_rlimit(LimitItem::Nofile)) };
        let amount = match value {
            Some(Some(n)) => n as f64,
            Some(None) => f64::MAX,
            None => 1024.0,
        };
        let origin = match setter {
            Some(s) => format!("set in {}", p.display(files[s.at.file].0)),
            None => "no line for this user: the system's default".into(),
        };
        let key = if hard { "nofile (hard)" } else { "nofile (soft)" };
        let shown = match value {
            Some(Some(n)) => n.to_string(),
            Some(None) => "unlimited".into(),
            None => "1024".into(),
        };
        let draft = Draft {
            key,
            place: Place::Limits { user: ODOO_USER.to_string(), hard },
            location: p.display(files[0].0),
            current: Current { value: Some(Value { amount, written: shown, kind: super::plan::Kind::Count }), origin },
            target: Value::count(NOFILE_TARGET as i64),
            goal: Goal::AtLeast,
            bounds: Bounds::at_least(NOFILE_TARGET as f64),
            formula: format!("{NOFILE_TARGET} open files for `{ODOO_USER}`, who runs Odoo from a login session here (OL501)"),
            inputs: vec![],
            writable: Ok(()),
        };
        p.push(draft);
    }
}

/// `worker_rlimit_nofile` of each main nginx.conf: at least 2 × `worker_connections`, since
/// proxying holds the client's socket and Odoo's (OL505).
fn nginx_nofile(p: &mut Planner) {
    use crate::formats::nginx::model::RootContext;
    use crate::rules::os_limits::nginx_connections_above_nofile::{DEFAULT_WORKER_CONNECTIONS, SYSTEMD_DEFAULT_SOFT, find};
    use crate::stack::system::Role;
    let stack = p.stack;
    for (ci, config) in stack.nginx.iter().enumerate() {
        let model = &config.model;
        if model.context != RootContext::Main {
            continue;
        }
        let wc = find(model, Some("events"), "worker_connections")
            .and_then(|n| model.node(n).args.first()?.parse::<u64>().ok())
            .unwrap_or(DEFAULT_WORKER_CONNECTIONS);
        let needed = wc.saturating_mul(2);
        let rlimit = find(model, None, "worker_rlimit_nofile");
        let (now, origin) = match rlimit.and_then(|n| Some((n, model.node(n).args.first()?.parse::<u64>().ok()?))) {
            Some((n, v)) => (v, format!("set in {}", p.display(model.node(n).file))),
            None => match stack.system.units.iter().find(|u| matches!(u.role, Role::Nginx)) {
                Some(u) => match u.effective(p.files).limit_nofile().value.soft {
                    RlimitValue::Finite(n) => (n, format!("`LimitNOFILE` of {}", u.name)),
                    RlimitValue::Infinity => continue,
                },
                None => (SYSTEMD_DEFAULT_SOFT, "not set: systemd's default for a service".into()),
            },
        };
        let at = match rlimit {
            Some(n) if !p.files.get(model.node(n).file).is_virtual => NginxAt::Directive(n),
            _ => NginxAt::Main,
        };
        let draft = Draft {
            key: "worker_rlimit_nofile",
            location: p.display(model.root),
            place: Place::Nginx { config: ci, at },
            current: Current { value: Some(Value::count(now.min(i64::MAX as u64) as i64)), origin },
            target: Value::count(needed.min(i64::MAX as u64) as i64),
            goal: Goal::AtLeast,
            bounds: Bounds::at_least(needed as f64),
            formula: format!(
                "2 × worker_connections {wc} = {needed}: a proxied request holds the client's socket and Odoo's (OL505)"
            ),
            inputs: vec![],
            writable: if p.files.get(model.root).is_virtual { Err("nginx.conf is not in the stack".into()) } else { Ok(()) },
        };
        p.push(draft);
    }
}

/// The Odoo services of the stack's compose projects: `ulimits.nofile` of each (OL501), and
/// `stop_grace_period` of the one running the stack's Odoo in prefork mode (OL304).
fn compose(p: &mut Planner) {
    let stack = p.stack;
    for (pi, m) in stack.compose.iter().enumerate() {
        for (i, s, _) in m.odoo_services() {
            let location = m.describe_service(i);
            let u = s.ulimit("nofile");
            let soft = u.and_then(|u| u.soft.as_ref()).map(|v| v.value);
            let (amount, written, origin) = match soft {
                Some(v) if v < 0 => (f64::MAX, "unlimited".to_string(), "set in the service".to_string()),
                Some(v) => (v as f64, v.to_string(), "set in the service".to_string()),
                None => {
                    (1024.0, "1024".to_string(), "not set: the container runtime's under containerd 2.0 and later".to_string())
                }
            };
            let writable = super::write::compose_edits(m, i, "ulimits.nofile", &NOFILE_TARGET.to_string()).map(|_| ());
            p.push(Draft {
                key: "ulimits.nofile",
                place: Place::Compose { project: pi, service: i },
                location: location.clone(),
                current: Current { value: Some(Value { amount, written, kind: super::plan::Kind::Count }), origin },
                target: Value::count(NOFILE_TARGET as i64),
                goal: Goal::AtLeast,
                bounds: Bounds::at_least(NOFILE_TARGET as f64),
                formula: format!(
                    "{NOFILE_TARGET}: every websocket client holds a socket in the gevent process, every worker files and connections (OL501)"
                ),
                inputs: vec![],
                writable,
            });
            // Stop timeout: prefork waits up to limit_time_real for the workers.
            let linked = stack.odoo_container().is_some_and(|(lm, li, ..)| std::ptr::eq(lm, m) && li == i);
            if !(linked && p.odoo.prefork && p.odoo.limit_time_real > 0) {
                continue;
            }
            let real = p.odoo.limit_time_real as u64;
            let target = real + STOP_MARGIN;
            let (now, origin) = match &s.stop_grace_period {
                Some(g) => (g.value.0.div_ceil(1000), "set in the service".to_string()),
                None => (10, "not set: compose's default".to_string()),
            };
            let value = format!("{target}s");
            let writable = m.set_edit(i, "stop_grace_period", &value).map(|_| ());
            p.push(Draft {
                key: "stop_grace_period",
                place: Place::Compose { project: pi, service: i },
                location,
                current: Current { value: Some(Value::seconds(now, format!("{now}s"))), origin },
                target: Value::seconds(target, value),
                goal: Goal::AtLeast,
                bounds: Bounds::at_least(real as f64),
                formula: format!(
                    "limit_time_real {real} s + {STOP_MARGIN} s = {target} s: on a restart the master waits that long for requests in flight, and Docker kills it after this grace period (OL304)"
                ),
                inputs: vec![Input::new("limit_time_real", format!("{real} s"), "planned above")],
                writable,
            });
        }
    }
}

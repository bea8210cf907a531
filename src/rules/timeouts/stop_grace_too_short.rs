use crate::declare_rule;
use crate::diagnostic::Fix;
use crate::rules::{Ctx, Rule, RuleMeta};
use crate::units::SystemdTimespan;

declare_rule! {
    /// The service manager kills Odoo before its workers finish their requests.
    pub struct StopGraceTooShort {
        code: "OL304",
        name: "stop-grace-too-short",
        severity: Warning,
        fix: Safe,
        symptoms: [S502, LostData],
        summary: "compose `stop_grace_period` or systemd `TimeoutStopSec` shorter than `limit_time_real`: a restart kills requests in flight",
    }
}

/// Time the master needs beyond `limit_time_real` to reap its workers and exit.
const MARGIN_SECS: u64 = 10;

impl Rule for StopGraceTooShort {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &mut Ctx) {
        systemd(ctx);
        compose(ctx);
    }
}

/// compose's `stop_grace_period` (10 s by default) of the stack's Odoo service: `docker
/// compose stop`, `restart` and `up` with a new image send SIGTERM, wait that long, then
/// SIGKILL. The official image runs Odoo as the container's main process, so the SIGTERM
/// reaches the prefork master.
fn compose(ctx: &mut Ctx) {
    use crate::rules::containers::secs;
    let odoo = &ctx.stack.odoo;
    if !odoo.known() || !odoo.prefork() {
        return;
    }
    let Some(real) = odoo.int("limit_time_real") else { return };
    if real.value <= 0 {
        return;
    }
    let real_secs = real.value as u64;
    let Some((m, i, s, _)) = ctx.stack.odoo_container() else { return };
    let grace = s.stop_grace_period.as_ref().map(|g| g.value).unwrap_or(crate::units::Millis::secs(10));
    if grace.0 >= real_secs.saturating_mul(1000) {
        return;
    }
    let (span, label) = match s.stop_grace_period.as_ref().and_then(|g| m.span(&g.origin)) {
        Some(span) => (span, format!("{}, then SIGKILL", secs(grace))),
        None => match m.service_span(i) {
            Some(span) => (span, "`stop_grace_period` not set: 10 s (compose default)".to_string()),
            None => return,
        },
    };
    let mut d = ctx
        .diag(
            span,
            format!(
                "{} is killed {} after it is asked to stop, but {}: on a restart or deploy the master waits up to that long for workers to finish their requests, and Docker kills them first",
                m.describe_service(i),
                secs(grace),
                odoo.describe_int("limit_time_real", "s")
            ),
        )
        .with_primary_label(label);
    if let Some((s, l)) = odoo.place(ctx.files, "limit_time_real")
        && s != span
    {
        d = d.with_label(s, if l.is_empty() { format!("{real_secs} s per request") } else { l });
    }
    let value = format!("{}s", real_secs.saturating_add(MARGIN_SECS));
    match m.set_edit(i, "stop_grace_period", &value) {
        Ok(edit) => {
            d = d.with_fix(Fix::safe(
                format!("set `stop_grace_period: {value}` (`limit_time_real` + {MARGIN_SECS} s)"),
                vec![edit],
            ));
        }
        Err(why) => d = d.with_help(why),
    }
    ctx.push(d);
}

/// systemd's `TimeoutStopSec=` (or `TimeoutSec=`; 90 s by default) of the units that run the
/// stack's Odoo in prefork mode. On SIGTERM the prefork master asks its workers to finish
/// their request and waits for them up to `limit_time_real`; the threaded server waits one
/// second, so the stop timeout does not matter there.
fn systemd(ctx: &mut Ctx) {
    let odoo = &ctx.stack.odoo;
    if !odoo.prefork() {
        return;
    }
    let Some(real) = odoo.int("limit_time_real") else { return };
    if real.value <= 0 {
        return;
    }
    let real_secs = real.value as u64;
    for (unit, service) in ctx.stack.system.odoo_units().filter(|(_, o)| o.linked) {
        let eff = unit.effective(ctx.files);
        let stop = eff.timeout_stop();
        let Some(stop_ms) = (match stop.value {
            SystemdTimespan::Infinity => None,
            t => t.to_millis(),
        }) else {
            continue;
        };
        if stop_ms.0 >= real_secs.saturating_mul(1000) {
            continue;
        }
        let shown = format!("{} s", stop_ms.as_secs_f64());
        let (span, label) = match stop.origin.as_ref().and_then(|o| unit.span(o)) {
            Some(s) => (s, format!("{shown}, then SIGKILL")),
            None => (
                crate::source::Span::new(service.file, service.range),
                format!("`TimeoutStopSec` not set: {shown} (systemd default)"),
            ),
        };
        let mut d = ctx
            .diag(
                span,
                format!(
                    "{} stops Odoo after {shown}, but {}: on a restart or deploy the master waits up to that long for workers to finish their requests, and systemd kills them first",
                    unit.name,
                    odoo.describe_int("limit_time_real", "s")
                ),
            )
            .with_primary_label(label);
        if let Some((s, l)) = odoo.place(ctx.files, "limit_time_real") {
            d = d.with_label(s, if l.is_empty() { format!("{real_secs} s per request") } else { l });
        }
        let kill_mode = eff.last_value("Service", "KillMode").map(|s| s.value);
        if !matches!(kill_mode.as_deref(), Some("mixed" | "process")) {
            d = d.with_note(
                "with `KillMode=control-group` (the default) systemd sends SIGTERM to every worker at once and Odoo's workers die on it at once: set `KillMode=mixed` (as Debian's odoo.service does) so that only the master gets it",
            );
        }
        let value = format!("{}s", real_secs.saturating_add(MARGIN_SECS));
        // `TimeoutSec=` also sets the start timeout: leave it, and add `TimeoutStopSec=` after it.
        let current = stop.origin.as_ref().filter(|o| {
            unit.files().get(o.file).is_some_and(|&f| o.line_range.of(&ctx.files.source(f).text).starts_with("TimeoutStopSec"))
        });
        match unit.set_edit(ctx.files, "TimeoutStopSec", &value, current) {
            Some(edit) => {
                d = d.with_fix(Fix::safe(
                    format!("set `TimeoutStopSec={value}` (`limit_time_real` + {MARGIN_SECS} s)"),
                    vec![edit],
                ));
            }
            None => {
                d = d.with_help(format!("add `[Service]` `TimeoutStopSec={value}` in a drop-in, {}", unit.dropin_path()));
            }
        }
        ctx.push(d);
    }
}

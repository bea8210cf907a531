use super::{loads, queue_job_setting};
use crate::declare_rule;
use crate::rules::{Ctx, Rule, RuleMeta};

declare_rule! {
    /// The job runner calls an address where Odoo's HTTP server does not answer.
    pub struct QueueJobPortUnreachable {
        code: "OL605",
        name: "queue-job-port-unreachable",
        severity: Warning,
        fix: None,
        symptoms: [Silent],
        summary: "queue_job's runner calls `http_interface:http_port` (or `[queue_job] host/port`), which is not where Odoo answers",
    }
}

fn is_loopback(host: &str) -> bool {
    let h = host.trim().trim_matches(|c| c == '[' || c == ']');
    h == "localhost" || h.starts_with("127.") || h == "::1"
}

impl Rule for QueueJobPortUnreachable {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &mut Ctx) {
        if !loads(ctx, "queue_job") {
            return;
        }
        let odoo = &ctx.stack.odoo;
        let http_port = odoo.int("http_port").map(|p| p.value).unwrap_or(8069);
        let interface = odoo.string("http_interface").map(|s| s.value).unwrap_or_default();
        let http_enabled = odoo.flag("http_enable").is_none_or(|f| f.value);
        let gevent_port = odoo.int("gevent_port").map(|p| p.value);
        let port = queue_job_setting(ctx, "port");
        let host = queue_job_setting(ctx, "host");
        if let Some((p, span)) = &port
            && let Ok(p) = p.trim().parse::<i64>()
            && p != http_port
        {
            let what = if Some(p) == gevent_port {
                "the gevent port, whose process serves the websocket, not job requests"
            } else {
                "a port Odoo does not listen on"
            };
            let d = ctx
                .diag(*span, format!("queue_job's runner sends jobs to port {p}, {what}; Odoo's HTTP workers listen on {http_port}: jobs are never run"))
                .with_primary_label(format!("port {p}"))
                .with_help(format!("delete `port` from [queue_job] (the runner then uses `http_port`), or set it to {http_port}"));
            ctx.push(d);
            return;
        }
        if let Some((h, span)) = &host
            && is_loopback(&interface)
            && !is_loopback(h)
            && !crate::rules::input::is_template_value(h)
        {
            let d = ctx
                .diag(
                    *span,
                    format!("queue_job's runner calls `{}` but Odoo listens only on `{interface}` (`http_interface`): the connection is refused and jobs stay pending", h.trim()),
                )
                .with_primary_label("not where Odoo listens")
                .with_help("delete `host` from [queue_job] (the runner then uses `http_interface`), or set it to `localhost`");
            ctx.push(d);
            return;
        }
        if !http_enabled && port.is_none() {
            let Some((span, _)) = odoo.place(ctx.files, "http_enable") else { return };
            let d = ctx
                .diag(span, format!("`http_enable` is off, so nothing listens on {http_port}, where queue_job's runner sends its jobs: jobs are never run"))
                .with_primary_label("no HTTP server here")
                .with_help("point [queue_job] `host`/`port` (or ODOO_QUEUE_JOB_HOST/PORT) at the servers that answer HTTP");
            ctx.push(d);
        }
    }
}

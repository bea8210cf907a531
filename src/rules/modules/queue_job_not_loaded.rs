use super::{QueueJobEvidence, loads, queue_job_evidence};
use crate::declare_rule;
use crate::diagnostic::Fix;
use crate::rules::{Ctx, Rule, RuleMeta};

declare_rule! {
    /// queue_job is in the stack but not loaded server-wide.
    pub struct QueueJobNotLoaded {
        code: "OL601",
        name: "queue-job-not-loaded",
        severity: Error,
        fix: Safe,
        symptoms: [Silent],
        summary: "the OCA `queue_job` module is in the stack but `server_wide_modules` lacks it: jobs stay pending forever",
    }
}

impl Rule for QueueJobNotLoaded {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &mut Ctx) {
        let odoo = &ctx.stack.odoo;
        if !odoo.known() {
            return;
        }
        let Some(evidence) = queue_job_evidence(ctx) else { return };
        if loads(ctx, "queue_job") {
            return;
        }
        let Some(current) = odoo.list("server_wide_modules") else { return };
        let Some((span, label)) = odoo.place(ctx.files, "server_wide_modules") else { return };
        let shown = current.value.join(",");
        let mut d = ctx
            .diag(
                span,
                format!(
                    "queue_job is part of this stack ({}), but `server_wide_modules` is `{shown}` ({}): its job runner starts only when queue_job is loaded server-wide, so jobs stay pending forever",
                    evidence.describe(),
                    current.origin
                ),
            )
            .with_primary_label(if label.is_empty() { "queue_job missing".to_string() } else { label })
            .with_note("queue_job starts its runner by patching Odoo's server classes when it is imported at startup; installed only in the database, it is imported too late (OCA/queue, queue_job/README)");
        if let Some(s) = evidence.span() {
            let label = match evidence {
                QueueJobEvidence::Section(_) | QueueJobEvidence::Env(..) => "queue_job is configured here",
                _ => "queue_job is installed here",
            };
            d = d.with_label(s, label);
        }
        // Keep the version's defaults in front, the way Odoo's own documentation writes it.
        let value = if odoo.get("server_wide_modules").is_some() {
            let raw = odoo.get("server_wide_modules").map(|s| s.raw.clone()).unwrap_or_default();
            let sep = if raw.contains(", ") { ", " } else { "," };
            if current.value.is_empty() {
                "base,web,queue_job".to_string()
            } else {
                format!("{}{sep}queue_job", current.value.join(sep))
            }
        } else if odoo.major >= 19 {
            "base,rpc,web,queue_job".to_string()
        } else {
            "base,web,queue_job".to_string()
        };
        if let Some(edits) = ctx.stack.odoo_set_edits(ctx.files, "server_wide_modules", &value) {
            d = d.with_fix(Fix::safe(format!("set `server_wide_modules = {value}`"), edits));
        }
        ctx.push(d);
    }
}

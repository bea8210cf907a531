use crate::declare_rule;
use crate::diagnostic::Fix;
use crate::formats::compose::model::HealthTest;
use crate::rules::containers::{odoo_services, secs};
use crate::rules::{Ctx, Rule, RuleMeta};
use crate::units::Millis;

declare_rule! {
    /// Odoo is declared unhealthy before it has had time to load.
    pub struct HealthcheckStartTooShort {
        code: "OL305",
        name: "healthcheck-start-too-short",
        severity: Warning,
        fix: Safe,
        symptoms: [S502, S503, RefusedStart],
        summary: "an Odoo healthcheck gives less than 60 s before failures count (`start_period`, or interval × retries)",
    }
}

/// How long Odoo takes to load its registry before it answers (seed 000: 20–60 s with 30–50
/// modules, more with many).
pub(crate) const ODOO_START: Millis = Millis(60_000);

/// Docker's defaults (docker run reference, HEALTHCHECK): interval 30 s, 3 retries, no start
/// period.
pub(crate) const DEFAULT_INTERVAL: Millis = Millis(30_000);
pub(crate) const DEFAULT_RETRIES: u64 = 3;

impl Rule for HealthcheckStartTooShort {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &mut Ctx) {
        for (m, i, s, _) in odoo_services(ctx) {
            let Some(h) = &s.healthcheck else { continue };
            if h.disable.as_ref().is_some_and(|d| d.value) || h.test.as_ref().is_none_or(|t| t.value == HealthTest::None) {
                continue;
            }
            let interval = h.interval.as_ref().map(|v| v.value).unwrap_or(DEFAULT_INTERVAL);
            let retries = h.retries.as_ref().map(|v| v.value).unwrap_or(DEFAULT_RETRIES);
            let start = h.start_period.as_ref().map(|v| v.value).unwrap_or(Millis(0));
            let grace = Millis(start.0.saturating_add(interval.0.saturating_mul(retries)));
            if grace >= ODOO_START {
                continue;
            }
            let (span, label) = match h.start_period.as_ref().and_then(|v| m.span(&v.origin)) {
                Some(span) => (span, format!("start period {}", secs(start))),
                None => match h.origin.as_ref().and_then(|o| m.key_span(o)) {
                    Some(span) => (span, "no `start_period`".to_string()),
                    None => continue,
                },
            };
            let mut d = ctx
                .diag(
                    span,
                    format!(
                        "the healthcheck of {} gives Odoo {} before it counts as unhealthy ({} start period + {retries} retries × {} interval), but Odoo takes 20–60 s to load: services that wait for it to be healthy fail to start, and an orchestrator may restart it in a loop",
                        m.describe_service(i),
                        secs(grace),
                        secs(start),
                        secs(interval)
                    ),
                )
                .with_primary_label(label);
            let value = format!("{}s", ODOO_START.0 / 1000);
            match m.set_edit(i, "healthcheck.start_period", &value) {
                Ok(edit) => d = d.with_fix(Fix::safe(format!("set `start_period: {value}`"), vec![edit])),
                Err(why) => d = d.with_help(why),
            }
            ctx.push(d);
        }
    }
}

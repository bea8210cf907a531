use crate::declare_rule;
use crate::diagnostic::Fix;
use crate::formats::compose::model::HealthTest;
use crate::rules::containers::{odoo_services, secs};
use crate::rules::{Ctx, Rule, RuleMeta};
use crate::units::Millis;

declare_rule! {
    /// A healthcheck that probes Odoo several times a second.
    pub struct HealthcheckTooAggressive {
        code: "OL306",
        name: "healthcheck-too-aggressive",
        severity: Warning,
        fix: Safe,
        symptoms: [Slow, S503],
        summary: "a healthcheck interval under 5 s",
    }
}

/// The shortest interval worth probing Odoo at (seed 003: "we start at 5-second intervals").
const MIN_INTERVAL: Millis = Millis(5_000);

impl Rule for HealthcheckTooAggressive {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &mut Ctx) {
        for (m, i, s, _) in odoo_services(ctx) {
            let Some(h) = &s.healthcheck else { continue };
            if h.disable.as_ref().is_some_and(|d| d.value) || h.test.as_ref().is_none_or(|t| t.value == HealthTest::None) {
                continue;
            }
            let Some(interval) = &h.interval else { continue };
            if interval.value >= MIN_INTERVAL {
                continue;
            }
            let Some(span) = m.span(&interval.origin) else { continue };
            let mut d = ctx
                .diag(
                    span,
                    format!(
                        "the healthcheck of {} probes Odoo every {}: each probe is a request an Odoo worker serves (and a process Docker starts), so under load the checks add to it, and a slow answer counts as a failure",
                        m.describe_service(i),
                        secs(interval.value)
                    ),
                )
                .with_primary_label(format!("every {}", secs(interval.value)));
            match m.set_edit(i, "healthcheck.interval", "5s") {
                Ok(edit) => d = d.with_fix(Fix::safe("set `interval: 5s`", vec![edit])),
                Err(why) => d = d.with_help(why),
            }
            ctx.push(d);
        }
    }
}

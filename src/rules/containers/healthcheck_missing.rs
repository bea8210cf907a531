use super::{odoo_services, postgres_services};
use crate::declare_rule;
use crate::formats::compose::Service;
use crate::formats::compose::model::HealthTest;
use crate::rules::{Ctx, Rule, RuleMeta};

declare_rule! {
    /// Nothing tells Docker (or the services that wait on them) whether Odoo and PostgreSQL
    /// are ready.
    pub struct HealthcheckMissing {
        code: "OL903",
        name: "healthcheck-missing",
        severity: Warning,
        fix: None,
        symptoms: [S502, S503],
        summary: "Odoo or PostgreSQL has no healthcheck, or Odoo's `depends_on` does not wait for `service_healthy`",
    }
}

/// Whether the service has a working healthcheck of its own (`test: NONE` and `disable: true`
/// turn it off).
pub(crate) fn has_healthcheck(s: &Service) -> bool {
    let Some(h) = &s.healthcheck else { return false };
    if h.disable.as_ref().is_some_and(|d| d.value) {
        return false;
    }
    h.test.as_ref().is_some_and(|t| t.value != HealthTest::None)
}

/// Images known to define no HEALTHCHECK of their own (the official `odoo` and `postgres`,
/// and `postgis/postgis`, built on it).
fn image_without_healthcheck(s: &Service) -> bool {
    let Some(i) = &s.image else { return false };
    let name = i.value.name.trim_start_matches("docker.io/").trim_start_matches("library/");
    matches!(name, "odoo" | "postgres" | "postgis/postgis")
}

impl Rule for HealthcheckMissing {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &mut Ctx) {
        let odoo: Vec<_> = odoo_services(ctx).into_iter().map(|(m, i, s, _)| (m, i, s, "Odoo")).collect();
        let pg: Vec<_> = postgres_services(ctx).into_iter().map(|(m, i, s, _)| (m, i, s, "PostgreSQL")).collect();
        for (m, i, s, what) in odoo.iter().chain(pg.iter()) {
            if has_healthcheck(s) || !image_without_healthcheck(s) {
                continue;
            }
            let Some(span) = m.service_span(*i) else { continue };
            let probe = if *what == "Odoo" {
                "`test: [\"CMD-SHELL\", \"curl -fs http://localhost:8069/web/health || exit 1\"]` (Odoo 15+), with `start_period: 60s`"
            } else {
                "`test: [\"CMD-SHELL\", \"pg_isready -U $$POSTGRES_USER\"]`"
            };
            let d = ctx
                .diag(
                    span,
                    format!(
                        "{} runs {what} without a healthcheck (its image defines none): Docker reports it running while it still loads or after it stops answering, and nothing can wait for it to be ready",
                        m.describe_service(*i)
                    ),
                )
                .with_primary_label("no healthcheck")
                .with_help(format!("add a `healthcheck:` with {probe}"));
            ctx.push(d);
        }
        // Odoo waits for PostgreSQL to be ready, not just started.
        for (m, i, s, _) in odoo_services(ctx) {
            for (j, pg, _) in m.postgres_services() {
                if !has_healthcheck(pg) {
                    continue; // `service_healthy` needs a healthcheck first (reported above)
                }
                let dep = s.depends_on.iter().find(|d| d.service == pg.name);
                if dep.is_some_and(|d| d.condition == "service_healthy") {
                    continue;
                }
                let (span, label) = match dep.and_then(|d| m.key_span(&d.origin)) {
                    Some(span) => (span, format!("waits only for `{}` to start", pg.name)),
                    None => match m.service_span(i) {
                        Some(span) => (span, format!("does not wait for `{}`", pg.name)),
                        None => continue,
                    },
                };
                let mut d = ctx
                    .diag(
                        span,
                        format!(
                            "{} does not wait for PostgreSQL (`{}`) to be healthy: after a reboot or `docker compose up` Odoo can start before the database accepts connections",
                            m.describe_service(i),
                            pg.name
                        ),
                    )
                    .with_primary_label(label)
                    .with_help(format!("write `depends_on: {{{}: {{condition: service_healthy}}}}`", pg.name));
                if let Some(span) = m.service_span(j) {
                    d = d.with_label(span, "has a healthcheck");
                }
                if odoo_waits_itself(s) {
                    d = d.with_note("the official image's entrypoint also waits up to 30 s for PostgreSQL (wait-for-psql.py); a slower database still makes Odoo exit");
                }
                ctx.push(d);
            }
        }
    }
}

fn odoo_waits_itself(s: &Service) -> bool {
    s.image.as_ref().is_some_and(|i| crate::stack::compose::is_official_odoo(&i.value.name))
}

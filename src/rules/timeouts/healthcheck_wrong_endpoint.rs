use crate::declare_rule;
use crate::formats::compose::model::HealthTest;
use crate::rules::containers::odoo_services;
use crate::rules::{Ctx, Rule, RuleMeta};

declare_rule! {
    /// An Odoo healthcheck that does not ask Odoo's health route.
    pub struct HealthcheckWrongEndpoint {
        code: "OL307",
        name: "healthcheck-wrong-endpoint",
        severity: Info,
        fix: None,
        symptoms: [Slow, Silent],
        summary: "an Odoo healthcheck does not hit `/web/health` (or `/web/login` on versions without it)",
    }
}

impl Rule for HealthcheckWrongEndpoint {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &mut Ctx) {
        for (m, i, s, _) in odoo_services(ctx) {
            let Some(h) = &s.healthcheck else { continue };
            let Some(test) = &h.test else { continue };
            if h.disable.as_ref().is_some_and(|d| d.value) {
                continue;
            }
            let text = match &test.value {
                HealthTest::None => continue,
                HealthTest::Cmd(words) | HealthTest::Other(words) => words.join(" "),
                HealthTest::Shell(cmd) => cmd.clone(),
            };
            // the version this container runs: its image's, else the stack's
            let image_major =
                s.image.as_ref().and_then(|im| crate::stack::compose::image_version(&im.value.name, im.value.tag.as_deref()));
            let major = image_major.unwrap_or(ctx.stack.version.major as u32);
            let route = if major >= 15 { "/web/health" } else { "/web/login" };
            if text.contains(route) {
                continue;
            }
            let Some(span) = m.span(&test.origin) else { continue };
            let why = if major >= 15 {
                "`/web/health` (Odoo 15 and later) answers 200 as soon as the HTTP server runs, without a database, a session or a page to render; other URLs redirect, render the login page for a database, or say nothing about Odoo"
            } else {
                "Odoo 14 has no `/web/health`: `/web/login` is the cheapest page that proves the server answers"
            };
            let d = ctx
                .diag(span, format!("the healthcheck of {} does not ask `{route}`: {why}", m.describe_service(i)))
                .with_primary_label(format!("not {route}"))
                .with_help(format!("probe `curl -fs http://localhost:8069{route}` (with the container's `http_port`)"));
            ctx.push(d);
        }
    }
}

use crate::declare_rule;
use crate::diagnostic::Fix;
use crate::rules::{Ctx, Rule, RuleMeta};
use crate::stack::compose::Role;

declare_rule! {
    /// A server of the stack that stays down after a crash or a reboot.
    pub struct RestartPolicyMissing {
        code: "OL904",
        name: "restart-policy-missing",
        severity: Info,
        fix: Safe,
        symptoms: [S502, S503],
        summary: "a long-running service (Odoo, PostgreSQL, nginx) has no `restart` policy",
    }
}

impl Rule for RestartPolicyMissing {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &mut Ctx) {
        for m in &ctx.stack.compose {
            for (i, sm) in m.services.iter().enumerate() {
                let what = match sm.role {
                    Role::Odoo(_) => "Odoo",
                    Role::Postgres(_) => "PostgreSQL",
                    Role::Nginx(_) => "nginx",
                    Role::Other => continue,
                };
                let s = m.service(i);
                let swarm = s.raw.get("deploy").and_then(|d| d.get("restart_policy")).is_some();
                if s.restart.is_some() || swarm {
                    continue;
                }
                let Some(span) = m.service_span(i) else { continue };
                let mut d = ctx
                    .diag(
                        span,
                        format!(
                            "{} runs {what} with no `restart` policy (`no` by default): after a crash, an OOM kill or a reboot of the host it stays down until someone starts it",
                            m.describe_service(i)
                        ),
                    )
                    .with_primary_label("no restart policy");
                match m.set_edit(i, "restart", "unless-stopped") {
                    Ok(edit) => d = d.with_fix(Fix::safe("add `restart: unless-stopped`", vec![edit])),
                    Err(why) => d = d.with_help(why),
                }
                ctx.push(d);
            }
        }
    }
}

use crate::declare_rule;
use crate::diagnostic::Fix;
use crate::rules::containers::{bind_to_loopback, on_all_interfaces, postgres_services};
use crate::rules::{Ctx, Rule, RuleMeta};

declare_rule! {
    /// PostgreSQL reachable from the whole network.
    pub struct PostgresPortPublished {
        code: "OL804",
        name: "postgres-port-published",
        severity: Error,
        fix: Safe,
        symptoms: [Exposed],
        summary: "compose publishes PostgreSQL's port on all interfaces",
    }
}

impl Rule for PostgresPortPublished {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &mut Ctx) {
        for (m, i, s, c) in postgres_services(ctx) {
            let port = c.model.and_then(|k| ctx.stack.postgres.get(k)).and_then(|pg| pg.port()).map(|(p, _)| p).unwrap_or(5432);
            for p in &s.ports {
                if i64::from(p.value.target) != port || !on_all_interfaces(&p.value) || p.value.protocol != "tcp" {
                    continue;
                }
                let Some(span) = m.span(&p.origin) else { continue };
                let host = format!("`{}`", crate::rules::containers::written_port(ctx, m, p));
                let mut d = ctx
                    .diag(
                        span,
                        format!(
                            "{} publishes PostgreSQL (port {port}) on every interface of the host ({host}): anyone who reaches the host can try the database's passwords, and Docker's rules bypass a host firewall such as ufw",
                            m.describe_service(i)
                        ),
                    )
                    .with_primary_label("published on 0.0.0.0")
                    .with_note("Odoo reaches PostgreSQL over the compose network by its service name; publishing is only needed for tools on the host");
                match bind_to_loopback(ctx, m, s, p) {
                    Some(edit) => {
                        d = d.with_fix(Fix::safe("publish it on 127.0.0.1 only (tools on the host keep working)", vec![edit]))
                    }
                    None => d = d.with_help("publish it as `127.0.0.1:5432:5432`, or remove the `ports:` entry"),
                }
                ctx.push(d);
            }
        }
    }
}

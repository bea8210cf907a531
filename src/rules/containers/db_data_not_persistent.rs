use super::{postgres_services, volume_at};
use crate::declare_rule;
use crate::rules::{Ctx, Rule, RuleMeta};

declare_rule! {
    /// PostgreSQL's cluster lives in the container's own layer.
    pub struct DbDataNotPersistent {
        code: "OL902",
        name: "db-data-not-persistent",
        severity: Error,
        fix: None,
        symptoms: [LostData],
        summary: "the PostgreSQL service has no volume at its data directory",
    }
}

impl Rule for DbDataNotPersistent {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &mut Ctx) {
        for (m, i, s, c) in postgres_services(ctx) {
            let Some(data_dir) = c.data_dir.as_deref() else { continue };
            if volume_at(s, data_dir).is_some() {
                continue;
            }
            let Some(span) = m.service_span(i) else { continue };
            let from = if s.env("PGDATA").is_some() { "`PGDATA`" } else { "the image's `PGDATA`" };
            let mut d = ctx
                .diag(
                    span,
                    format!(
                        "{} keeps PostgreSQL's data directory `{data_dir}` ({from}) in the container: every database is lost when the container is recreated",
                        m.describe_service(i)
                    ),
                )
                .with_primary_label(format!("no volume at {data_dir}"))
                .with_help(format!(
                    "add a named volume: `volumes: [\"db-data:{data_dir}\"]` in the service, and `db-data:` under the top-level `volumes:`"
                ));
            if data_dir.ends_with("/docker")
                && let Some(v) = s.volumes.iter().find(|v| v.value.target.starts_with("/var/lib/postgresql"))
                && let Some(vspan) = m.span(&v.origin)
            {
                d = d.with_label(vspan, format!("{} is not the data directory", v.value.target)).with_note(
                    "the official image moved `PGDATA` to `/var/lib/postgresql/<major>/docker` in PostgreSQL 18; mount `/var/lib/postgresql` to cover every version",
                );
            }
            ctx.push(d);
        }
    }
}

use super::{odoo_services, volume_at};
use crate::declare_rule;
use crate::rules::{Ctx, Rule, RuleMeta};
use crate::stack::compose::ConfigLink;

declare_rule! {
    /// Odoo's filestore and sessions live in the container's own layer.
    pub struct OdooDataNotPersistent {
        code: "OL901",
        name: "odoo-data-not-persistent",
        severity: Error,
        fix: None,
        symptoms: [LostData],
        summary: "the Odoo service has no volume at its data_dir: filestore and sessions are lost when the container is recreated",
    }
}

impl Rule for OdooDataNotPersistent {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &mut Ctx) {
        for (m, i, s, c) in odoo_services(ctx) {
            // The data_dir it runs with: the stack's setting for the stack's Odoo service, the
            // official image's `/var/lib/odoo` for a container on the image's configuration.
            let linked = ctx.stack.odoo_container().is_some_and(|(lm, li, ..)| std::ptr::eq(lm, m) && li == i);
            let (data_dir, origin) = match (linked, &c.config) {
                (true, _) if ctx.stack.odoo.get("data_dir").is_some() => {
                    let Some(t) = ctx.stack.odoo.string("data_dir") else { continue };
                    (t.value, t.origin.to_string())
                }
                (_, ConfigLink::Image) => ("/var/lib/odoo".to_string(), "official image default".to_string()),
                _ => continue,
            };
            if data_dir.trim().is_empty() || !data_dir.starts_with('/') || volume_at(s, &data_dir).is_some() {
                continue;
            }
            let Some(span) = m.service_span(i) else { continue };
            let mut d = ctx
                .diag(
                    span,
                    format!(
                        "{} keeps Odoo's data_dir `{data_dir}` ({origin}) in the container: the filestore (every attachment) and the sessions are lost when the container is recreated (`docker compose down`, a new image), while the database still points at the files",
                        m.describe_service(i)
                    ),
                )
                .with_primary_label(format!("no volume at {data_dir}"))
                .with_help(format!(
                    "add a named volume: `volumes: [\"odoo-data:{data_dir}\"]` in the service, and `odoo-data:` under the top-level `volumes:`"
                ));
            if c.official && data_dir == "/var/lib/odoo" {
                d = d.with_note("the official image declares `/var/lib/odoo` a volume, so Docker gives it an anonymous one; `docker compose down` and `up` create a new one and leave the old data behind");
            }
            ctx.push(d);
        }
    }
}

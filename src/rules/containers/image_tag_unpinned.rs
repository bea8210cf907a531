use crate::declare_rule;
use crate::formats::compose::interpolate::Outcome;
use crate::rules::{Ctx, Rule, RuleMeta};
use crate::stack::compose::Role;

declare_rule! {
    /// An Odoo or PostgreSQL image that moves under the stack.
    pub struct ImageTagUnpinned {
        code: "OL905",
        name: "image-tag-unpinned",
        severity: Warning,
        fix: None,
        symptoms: [RefusedStart, LostData],
        summary: "`odoo` or `postgres` image without a tag or with `latest`",
    }
}

impl Rule for ImageTagUnpinned {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &mut Ctx) {
        for m in &ctx.stack.compose {
            for (i, sm) in m.services.iter().enumerate() {
                let what = match sm.role {
                    Role::Odoo(_) => "Odoo",
                    Role::Postgres(_) => "PostgreSQL",
                    _ => continue,
                };
                let s = m.service(i);
                let Some(image) = &s.image else { continue };
                let r = &image.value;
                // an image built here (`build:`) is tagged by the build, not pulled
                if r.digest.is_some() || r.name.is_empty() || s.raw.get("build").is_some() {
                    continue;
                }
                // a tag from a variable the checkout does not set is the server's business
                if image.interpolations.iter().any(|x| x.record.outcome == Outcome::Unset) {
                    continue;
                }
                let tag = r.tag.as_deref().unwrap_or("");
                if !(tag.is_empty() || tag == "latest") {
                    continue;
                }
                let Some(span) = m.span(&image.origin) else { continue };
                let shown = if tag.is_empty() { "no tag, so `latest`".to_string() } else { "`latest`".to_string() };
                let risk = if what == "Odoo" {
                    "the next pull can bring a new major version of Odoo, whose database needs a migration before it starts"
                } else {
                    "the next pull can bring a new major version of PostgreSQL, which refuses to start on the old data directory"
                };
                let example = if what == "Odoo" { format!("{}:18.0", r.name) } else { format!("{}:16", r.name) };
                let d = ctx
                    .diag(span, format!("{} runs image `{}` with {shown}: {risk}", m.describe_service(i), r.name))
                    .with_primary_label("unpinned")
                    .with_help(format!(
                        "name the major version you run, e.g. `{example}` (a digest `@sha256:…` pins it exactly)"
                    ));
                ctx.push(d);
            }
        }
    }
}

use crate::declare_rule;
use crate::formats::postgresql::IncludeProblemKind;
use crate::rules::{Ctx, Rule, RuleMeta};
use crate::source::Span;

declare_rule! {
    /// An include directive whose target is missing.
    pub struct IncludeNotFound {
        code: "OL006",
        name: "include-not-found",
        severity: Warning,
        fix: None,
        symptoms: [RefusedStart],
        summary: "an nginx `include`, PostgreSQL `include`/`include_dir`, or compose `env_file`/`extends` target is missing",
    }
}

impl Rule for IncludeNotFound {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &mut Ctx) {
        postgresql(ctx);
    }
}

/// `include` and `include_dir` of postgresql.conf (and of the files it includes).
fn postgresql(ctx: &mut Ctx) {
    for pg in &ctx.stack.postgres {
        for p in &pg.config.problems {
            let what = match p.kind {
                IncludeProblemKind::NotFound => "file",
                IncludeProblemKind::DirNotFound => "directory",
                _ => continue,
            };
            let Some(file) = pg.id(p.file) else { continue };
            let target = crate::source::display_path(&p.target);
            let mut d = ctx
                .diag(
                    Span::new(file, p.range),
                    format!("{}: PostgreSQL refuses to start without it", p.message),
                )
                .with_primary_label(format!("no such {what}"))
                .with_help(format!(
                    "if `{target}` exists on the server, give it to odoo-lint too so that its settings are checked; otherwise create it or remove this line"
                ));
            if let Some(h) = &p.help {
                d = d.with_note(h.clone());
            }
            ctx.push(d);
        }
    }
}

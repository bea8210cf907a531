use crate::declare_rule;
use crate::files::Syntax;
use crate::formats::SyntaxError;
use crate::rules::{Ctx, Rule, RuleMeta};
use crate::source::{FileId, Span};

declare_rule! {
    /// A file its program cannot read.
    pub struct ParseError {
        code: "OL001",
        name: "parse-error",
        severity: Error,
        fix: None,
        symptoms: [RefusedStart, S502],
        summary: "a file cannot be parsed the way its program would read it",
    }
}

impl Rule for ParseError {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &mut Ctx) {
        for &file in &ctx.stack.files {
            let entry = ctx.files.get(file);
            let program = match entry.kind {
                crate::files::FileKind::OdooConf => "Odoo (Python's configparser)",
                crate::files::FileKind::Nginx => "nginx",
                crate::files::FileKind::Postgresql => "PostgreSQL",
                crate::files::FileKind::Limits => "pam_limits",
                crate::files::FileKind::Systemd => "systemd",
                crate::files::FileKind::Compose => "docker compose",
                crate::files::FileKind::DotEnv => "docker compose",
            };
            let tree_errors: &[SyntaxError] = match &entry.syntax {
                Syntax::OdooConf(conf) => &conf.errors,
                Syntax::Nginx(tree) => tree.errors(),
                Syntax::Unparsed => &[],
            };
            for e in entry.errors.iter().chain(tree_errors) {
                report(ctx, file, program, e);
            }
        }
    }
}

fn report(ctx: &mut Ctx, file: FileId, program: &str, e: &SyntaxError) {
    let mut d = ctx
        .diag(Span::new(file, e.range), format!("{program} cannot read this file: {}", e.message))
        .with_primary_label(e.label.clone().unwrap_or_default());
    for (range, label) in &e.related {
        d = d.with_label(Span::new(file, *range), label.clone());
    }
    if let Some(h) = &e.help {
        d = d.with_help(h.clone());
    }
    ctx.push(d);
}

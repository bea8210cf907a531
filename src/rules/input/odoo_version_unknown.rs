use crate::declare_rule;
use crate::files::FileKind;
use crate::rules::{Ctx, Rule, RuleMeta};
use crate::source::{Span, TextRange};
use crate::stack::VersionSource;
use crate::stack::version::{NEWEST, OLDEST};

declare_rule! {
    /// The Odoo major version could not be found.
    pub struct OdooVersionUnknown {
        code: "OL007",
        name: "odoo-version-unknown",
        severity: Info,
        fix: None,
        symptoms: [],
        summary: "the Odoo major version could not be found; version rules then assume the newest",
    }
}

impl Rule for OdooVersionUnknown {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &mut Ctx) {
        let Some(anchor) = ctx.stack.files_of(ctx.files, FileKind::OdooConf).next() else {
            return;
        };
        let version = &ctx.stack.version;
        if let Some(n) = version.out_of_range {
            let span = match &version.source {
                VersionSource::Named { span, .. } => *span,
                _ => Span::new(anchor, TextRange::empty(0)),
            };
            let msg = if n < OLDEST as u32 {
                format!(
                    "this stack runs Odoo {n}, older than the versions odoo-lint knows ({OLDEST} to {NEWEST}): rules use Odoo {OLDEST}'s facts"
                )
            } else {
                format!(
                    "this stack runs Odoo {n}, newer than the versions odoo-lint knows ({OLDEST} to {NEWEST}): rules use Odoo {NEWEST}'s facts"
                )
            };
            let d = ctx.diag(span, msg).with_primary_label(format!("Odoo {n}"));
            ctx.push(d);
            return;
        }
        if version.is_known() {
            return;
        }
        let floor = crate::stack::version::floor(ctx.files, &ctx.stack.files);
        let (span, said) = match &floor {
            Some(f) => (f.span, format!(" (`{}` says {} or later)", f.key, f.major)),
            None => (Span::new(anchor, TextRange::empty(0)), String::new()),
        };
        let d = ctx
            .diag(span, format!("the Odoo version of stack `{}` is unknown{said}: rules that depend on it assume Odoo {NEWEST}", ctx.stack.name))
            .with_help("set `odoo-version = 17` in odoo-lint.toml (or `--odoo-version 17`); odoo-lint also reads it from image tags (`odoo:17.0`) and paths such as `/opt/odoo17` or `odoo-17.0/addons`");
        ctx.push(d);
    }
}

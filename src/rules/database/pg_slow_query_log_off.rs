use crate::declare_rule;
use crate::diagnostic::Fix;
use crate::rules::{Ctx, Rule, RuleMeta};

declare_rule! {
    /// Slow queries are not logged.
    pub struct PgSlowQueryLogOff {
        code: "OL405",
        name: "pg-slow-query-log-off",
        severity: Info,
        fix: Safe,
        symptoms: [Slow, S504],
        summary: "`log_min_duration_statement` is off (-1); log statements slower than 1 s",
    }
}

/// The threshold suggested, in milliseconds (seed 001, "Cause 7: Slow Database Query").
const SUGGESTED_MS: i64 = 1000;

impl Rule for PgSlowQueryLogOff {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &mut Ctx) {
        for pg in &ctx.stack.postgres {
            if pg.main().is_none() || pg.millis("log_min_duration_statement").is_none_or(|(ms, _)| ms != -1) {
                continue;
            }
            let Some((span, label)) = super::pg_place(ctx, pg, "log_min_duration_statement") else { continue };
            let mut d = ctx
                .diag(
                    span,
                    format!(
                        "`log_min_duration_statement` is -1 ({}): PostgreSQL logs no slow statement, so the queries behind slow pages and 504s leave no trace",
                        pg.origin_text(ctx.files, &pg.config.param("log_min_duration_statement").map(|p| p.winner).unwrap_or(crate::formats::postgresql::Origin::Default))
                    ),
                )
                .with_primary_label(if label.is_empty() { "off".to_string() } else { label });
            d = match super::set_edit(ctx, pg, "log_min_duration_statement", &SUGGESTED_MS.to_string()) {
                Ok(edit) => d.with_fix(Fix::safe(
                    format!("log statements slower than {SUGGESTED_MS} ms (a reload applies it)"),
                    vec![edit],
                )),
                Err(why) => d.with_help(why),
            };
            ctx.push(d);
        }
    }
}

use super::{PgBudget, pg_size};
use crate::declare_rule;
use crate::diagnostic::Fix;
use crate::rules::{Ctx, Rule, RuleMeta};
use crate::units::{Bytes, GIB, MIB};

declare_rule! {
    /// PostgreSQL keeps its 128MB shared buffers on a host that could give it far more.
    pub struct PgSharedBuffersDefault {
        code: "OL403",
        name: "pg-shared-buffers-default",
        severity: Info,
        fix: Unsafe,
        symptoms: [Slow],
        summary: "`shared_buffers` at its default 128MB on a host budget of 2 GiB or more",
    }
}

/// PostgreSQL's default `shared_buffers` (initdb may write it explicitly).
const DEFAULT: u64 = 128 * MIB;

impl Rule for PgSharedBuffersDefault {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &mut Ctx) {
        let has_default =
            ctx.stack.postgres.iter().any(|pg| pg.bytes("shared_buffers").is_some_and(|(b, _)| b as u64 == DEFAULT));
        if !has_default {
            return;
        }
        let Some(budget) = PgBudget::read(ctx) else { return };
        if budget.host.value.0 < 2 * GIB {
            return;
        }
        // A quarter of what PostgreSQL can count on, in whole 128MB steps.
        let share = budget.share();
        let suggested = share.0 / 4 / (128 * MIB) * (128 * MIB);
        if suggested <= DEFAULT {
            return;
        }
        for pg in &ctx.stack.postgres {
            if pg.bytes("shared_buffers").is_none_or(|(b, _)| b as u64 != DEFAULT) {
                continue;
            }
            let Some((span, label)) = super::pg_place(ctx, pg, "shared_buffers") else { continue };
            let value = pg_size(suggested);
            let mut d = ctx
                .diag(
                    span,
                    format!(
                        "{}, PostgreSQL's default size, on a host where it can count on {}: about 25 % of that, {}, keeps far more of the database in PostgreSQL's own cache",
                        pg.describe(ctx.files, "shared_buffers"),
                        budget.describe(),
                        Bytes(suggested)
                    ),
                )
                .with_primary_label(if label.is_empty() { "128 MiB".to_string() } else { label })
                .with_note("the rest of the memory still caches data through the kernel; raise `effective_cache_size` with it");
            d = match super::set_edit(ctx, pg, "shared_buffers", &value) {
                Ok(edit) => d.with_fix(Fix::unsafe_(
                    format!("set `shared_buffers = {value}` (PostgreSQL restarts to apply it)"),
                    vec![edit],
                )),
                Err(why) => d.with_help(why),
            };
            ctx.push(d);
        }
    }
}

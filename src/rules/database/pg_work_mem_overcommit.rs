use super::{PgBudget, pg_size};
use crate::declare_rule;
use crate::diagnostic::Fix;
use crate::rules::{Ctx, Rule, RuleMeta};
use crate::units::{Bytes, MIB};

declare_rule! {
    /// PostgreSQL's memory at full load does not fit its share of the host.
    pub struct PgWorkMemOvercommit {
        code: "OL404",
        name: "pg-work-mem-overcommit",
        severity: Warning,
        fix: Unsafe,
        symptoms: [OomKill, S502],
        summary: "`max_connections` × `work_mem` + `shared_buffers` + `maintenance_work_mem` > PostgreSQL's share of the budget",
    }
}

impl Rule for PgWorkMemOvercommit {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &mut Ctx) {
        if ctx.stack.postgres.is_empty() {
            return;
        }
        let Some(budget) = PgBudget::read(ctx) else { return };
        let share = budget.share();
        if share.0 == 0 {
            return; // Odoo alone exceeds the host: OL202 says so
        }
        for pg in &ctx.stack.postgres {
            let (Some(s), Some((mwm, _))) = (pg.share(), pg.bytes("maintenance_work_mem")) else { continue };
            let mwm = mwm.max(0) as u64;
            let need = s.total().0 + mwm;
            if need <= share.0 {
                continue;
            }
            let Some((span, label)) = super::pg_place(ctx, pg, "work_mem") else { continue };
            let mut d = ctx
                .diag(
                    span,
                    format!(
                        "{} + maintenance_work_mem {} = {}, but PostgreSQL can count on {}: a busy hour of sorts and hashes pushes the host into swap or the OOM killer",
                        s.describe(),
                        Bytes(mwm),
                        Bytes(need),
                        budget.describe()
                    ),
                )
                .with_primary_label(if label.is_empty() { format!("{} per sort, per connection", Bytes(s.work_mem)) } else { label });
            if let Some((mc, _)) = super::pg_place(ctx, pg, "max_connections") {
                d = d.with_label(mc, format!("{} connections", s.max_connections));
            }
            // The work_mem that fits, in whole MB, if that leaves at least 1MB.
            let left = share.0.saturating_sub(s.shared_buffers + mwm);
            let fits = left / s.max_connections.max(1) / MIB * MIB;
            if fits >= MIB {
                let value = pg_size(fits);
                d = match super::set_edit(ctx, pg, "work_mem", &value) {
                    Ok(edit) => d.with_fix(Fix::unsafe_(format!("lower `work_mem` to {value}"), vec![edit])),
                    Err(why) => d.with_help(why),
                };
                d = d.with_note(
                    "or lower `max_connections` (Odoo rarely needs more than its pools: see OL402) or `shared_buffers`",
                );
            } else {
                d = d.with_help("lower `shared_buffers` and `max_connections`, or give the host more memory");
            }
            ctx.push(d);
        }
    }
}

use super::{Pools, odoo_known, odoo_place, odoo_servers, reserved};
use crate::declare_rule;
use crate::diagnostic::Fix;
use crate::rules::{Ctx, Rule, RuleMeta};

declare_rule! {
    /// Odoo's processes need more connections than PostgreSQL allows, even at a floor of two
    /// each.
    pub struct PgConnectionsExhausted {
        code: "OL401",
        name: "pg-connections-exhausted",
        severity: Error,
        fix: Unsafe,
        symptoms: [S502, S503],
        summary: "processes × 2 + `superuser_reserved_connections` > `max_connections`",
    }
}

/// Connections one Odoo process really holds while it works: its cursor, and a second one
/// for the cron trigger's LISTEN, a registry check or a new cursor opened inside a request.
pub(crate) const FLOOR_PER_PROCESS: u64 = 2;

/// Connections per process at the least: two, or the whole pool when it is smaller.
pub(crate) fn floor_per_process(pools: &Pools) -> u64 {
    FLOOR_PER_PROCESS.min(pools.db_maxconn.max(1) as u64)
}

/// The floor of connections Odoo needs against `max_connections`: (need, max), when both are known.
pub(crate) fn floor_exceeds(pools: &Pools, pg: &crate::stack::postgres::PgModel) -> Option<(u64, i64)> {
    let need = pools.processes.total().saturating_mul(floor_per_process(pools)).saturating_add(reserved(pg).max(0) as u64);
    let (max, _) = pg.int("max_connections")?;
    (need > max.max(0) as u64).then_some((need, max))
}

impl Rule for PgConnectionsExhausted {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &mut Ctx) {
        if !odoo_known(ctx) {
            return;
        }
        let Some(pools) = Pools::read(ctx) else { return };
        for pg in odoo_servers(ctx) {
            let Some((need, max)) = floor_exceeds(&pools, pg) else { continue };
            let Some((span, label)) = super::pg_place(ctx, pg, "max_connections") else { continue };
            let p = pools.processes;
            let reserved = reserved(pg);
            let mut d = ctx
                .diag(
                    span,
                    format!(
                        "{} × {} connections (the least each one holds while it works) + {reserved} reserved for superusers = {need}, but {}: PostgreSQL refuses Odoo with \"sorry, too many clients already\" under ordinary load",
                        p.describe(),
                        floor_per_process(&pools),
                        pg.describe(ctx.files, "max_connections")
                    ),
                )
                .with_primary_label(if label.is_empty() { format!("{max} connections") } else { label });
            if let Some((odoo_span, _)) = odoo_place(ctx, "workers") {
                d = d.with_label(odoo_span, format!("{} Odoo processes", p.total()));
            }
            d = match super::set_edit(ctx, pg, "max_connections", &need.to_string()) {
                Ok(edit) => d.with_fix(Fix::unsafe_(
                    format!("raise `max_connections` to {need} (PostgreSQL restarts to apply it)"),
                    vec![edit],
                )),
                Err(why) => d.with_help(why),
            };
            d = d.with_note(
                "lowering Odoo's `workers` works too; every connection also costs PostgreSQL up to `work_mem` per sort (OL404)",
            );
            ctx.push(d);
        }
    }
}

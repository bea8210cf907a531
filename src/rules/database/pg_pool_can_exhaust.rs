use super::{Pools, odoo_known, odoo_place, odoo_servers, reserved};
use crate::declare_rule;
use crate::diagnostic::Fix;
use crate::rules::{Ctx, Rule, RuleMeta};

declare_rule! {
    /// Odoo's connection pools together can open more connections than PostgreSQL allows.
    pub struct PgPoolCanExhaust {
        code: "OL402",
        name: "pg-pool-can-exhaust",
        severity: Warning,
        fix: Unsafe,
        symptoms: [S502, S503],
        summary: "processes × `db_maxconn` + reserved > `max_connections`: a burst can exhaust PostgreSQL",
    }
}

/// The smallest pool the fix gives an Odoo process: an HTTP worker serves one request at a
/// time, but a request may open a second cursor and the gevent process serves many at once.
const MIN_POOL: i64 = 8;

/// Above this, raising `max_connections` is not the answer: each connection is a PostgreSQL
/// process; a pooler is (PostgreSQL wiki, "Number Of Database Connections").
pub(crate) const MAX_SENSIBLE_CONNECTIONS: u64 = 500;

impl Rule for PgPoolCanExhaust {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &mut Ctx) {
        if !odoo_known(ctx) {
            return;
        }
        let Some(pools) = Pools::read(ctx) else { return };
        for pg in odoo_servers(ctx) {
            if super::pg_connections_exhausted::floor_exceeds(&pools, pg).is_some() {
                continue; // OL401 reports the worse problem
            }
            let Some((max, _)) = pg.int("max_connections") else { continue };
            let reserved = reserved(pg).max(0);
            let total = pools.total();
            let need = total.saturating_add(reserved as u64);
            if need <= max.max(0) as u64 {
                continue;
            }
            let p = pools.processes;
            // The pool that fits: what PostgreSQL leaves, shared by the processes that use
            // `db_maxconn` (the gevent process apart when it has its own size).
            let available = max - reserved - pools.gevent_pool.as_ref().map(|(g, _)| *g).unwrap_or(0);
            let users =
                if p.threaded { 1 } else { (p.http + p.cron + if pools.gevent_pool.is_some() { 0 } else { p.gevent }) as i64 };
            let per = available / users.max(1);
            let message = format!(
                "{} = {total} connections + {reserved} reserved for superusers = {need}, but {}: a burst of requests can exhaust PostgreSQL (\"sorry, too many clients already\")",
                pools.describe(),
                pg.describe(ctx.files, "max_connections")
            );
            let odoo_side = odoo_place(ctx, "db_maxconn")
                .map(|(s, l)| (s, if l.is_empty() { format!("{} per process", pools.db_maxconn) } else { l }));
            let pg_side = super::pg_place(ctx, pg, "max_connections")
                .map(|(s, l)| (s, if l.is_empty() { format!("{max} connections") } else { l }));
            let lower = (per >= MIN_POOL).then(|| ctx.stack.odoo_set_edits(ctx.files, "db_maxconn", &per.to_string())).flatten();
            let (primary, other) = if lower.is_some() { (odoo_side, pg_side) } else { (pg_side, odoo_side) };
            let Some((span, label)) = primary else { continue };
            let mut d = ctx.diag(span, message).with_primary_label(label);
            if let Some((s, l)) = other {
                d = d.with_label(s, l);
            }
            match lower {
                Some(edits) => {
                    d = d
                        .with_fix(Fix::unsafe_(format!("lower `db_maxconn` to {per}, so that {users} pools of {per} fit under `max_connections` {max}"), edits))
                        .with_note(format!("or raise `max_connections` to {need} in postgresql.conf, or put PgBouncer between Odoo and PostgreSQL"));
                }
                None if need <= MAX_SENSIBLE_CONNECTIONS => {
                    d = match super::set_edit(ctx, pg, "max_connections", &need.to_string()) {
                        Ok(edit) => d.with_fix(Fix::unsafe_(
                            format!("raise `max_connections` to {need} (PostgreSQL restarts to apply it)"),
                            vec![edit],
                        )),
                        Err(why) => d.with_help(why),
                    };
                    d = d.with_note("or lower `db_maxconn`, or put PgBouncer between Odoo and PostgreSQL");
                }
                None => {
                    d = d.with_help(format!(
                        "{need} connections is more than PostgreSQL serves well: put PgBouncer (transaction pooling) between Odoo and PostgreSQL, or lower `workers`"
                    ));
                }
            }
            ctx.push(d);
        }
    }
}

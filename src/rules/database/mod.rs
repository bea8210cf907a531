//! OL4xx: Odoo's database connections against PostgreSQL's limits, and PostgreSQL's memory.
//!
//! Connections are counted per Odoo process, each with its own pool (odoo/sql_db.py): in
//! prefork mode `db_maxconn` for every HTTP and cron worker, and for the gevent process
//! `db_maxconn_gevent` (Odoo 17 and later, when set) or `db_maxconn`; in threaded mode one
//! process with one pool. PostgreSQL keeps `superuser_reserved_connections` of its
//! `max_connections` for superusers.

pub mod odoo_db_target_mismatch;
pub mod pg_connections_exhausted;
pub mod pg_pool_can_exhaust;
pub mod pg_shared_buffers_default;
pub mod pg_slow_query_log_off;
pub mod pg_work_mem_overcommit;

use crate::host::Fact;
use crate::rules::Ctx;
use crate::source::Span;
use crate::stack::budget::PROCESS_ESTIMATE;
use crate::stack::odoo::{Origin, Processes};
use crate::stack::postgres::PgModel;
use crate::units::Bytes;

/// Whether the stack tells how Odoo runs: an odoo.conf, or a unit that starts Odoo.
pub(crate) fn odoo_known(ctx: &Ctx) -> bool {
    ctx.stack.odoo.known() || ctx.stack.system.odoo_unit().is_some()
}

/// Where to point on the Odoo side for `key`: its line or flag, the `[options]` header, or the
/// command of the Odoo unit.
pub(crate) fn odoo_place(ctx: &Ctx, key: &str) -> Option<(Span, String)> {
    if let Some(p) = ctx.stack.odoo.place(ctx.files, key) {
        return Some(p);
    }
    let (unit, _) = ctx.stack.system.odoo_unit()?;
    Some((
        unit.anchor()?,
        format!("`{key}` not set: {}", ctx.stack.odoo.describe_int(key, "").trim_start_matches(&format!("`{key}` is "))),
    ))
}

/// The PostgreSQL servers Odoo may use: those its `db_host`/`db_port` do not rule out.
pub(crate) fn odoo_servers<'a>(ctx: &Ctx<'a>) -> Vec<&'a PgModel> {
    let stack = ctx.stack;
    stack
        .postgres
        .iter()
        .filter(|pg| !matches!(odoo_db_target_mismatch::verdict(ctx, pg), odoo_db_target_mismatch::Verdict::Mismatch(_)))
        .collect()
}

/// The connections Odoo's pools may open.
pub(crate) struct Pools {
    pub processes: Processes,
    pub db_maxconn: i64,
    pub db_maxconn_origin: Origin,
    /// The gevent process's own pool size when it has one (`db_maxconn_gevent`, 17+).
    pub gevent_pool: Option<(i64, Origin)>,
}

impl Pools {
    pub fn read(ctx: &Ctx) -> Option<Pools> {
        let odoo = &ctx.stack.odoo;
        let processes = odoo.processes();
        let maxconn = odoo.int("db_maxconn")?;
        let gevent_pool = if processes.gevent > 0 && odoo.major >= 17 {
            odoo.get("db_maxconn_gevent").and(odoo.int("db_maxconn_gevent")).filter(|t| t.value > 0).map(|t| (t.value, t.origin))
        } else {
            None
        };
        Some(Pools { processes, db_maxconn: maxconn.value.max(0), db_maxconn_origin: maxconn.origin, gevent_pool })
    }

    /// Every pool at its maximum.
    pub fn total(&self) -> u64 {
        let p = &self.processes;
        if p.threaded {
            return self.db_maxconn as u64;
        }
        let gevent = self.gevent_pool.as_ref().map(|(v, _)| *v).unwrap_or(self.db_maxconn) as u64;
        (p.http + p.cron).saturating_mul(self.db_maxconn as u64).saturating_add(p.gevent.saturating_mul(gevent))
    }

    /// "7 processes (4 HTTP + 2 cron + 1 gevent) × `db_maxconn` 64 (Odoo 17 default)", with the
    /// gevent pool apart when it has its own size.
    pub fn describe(&self) -> String {
        let p = &self.processes;
        match &self.gevent_pool {
            Some((g, origin)) if !p.threaded => format!(
                "{} HTTP and cron workers × `db_maxconn` {} ({}) + 1 gevent process × `db_maxconn_gevent` {g} ({origin})",
                p.http + p.cron,
                self.db_maxconn,
                self.db_maxconn_origin
            ),
            _ => format!("{} × `db_maxconn` {} ({})", p.describe(), self.db_maxconn, self.db_maxconn_origin),
        }
    }
}

/// `superuser_reserved_connections` (3 by default).
pub(crate) fn reserved(pg: &PgModel) -> i64 {
    pg.int("superuser_reserved_connections").map(|(v, _)| v).unwrap_or(3)
}

/// The memory PostgreSQL can count on: the host's memory (before the Odoo unit's own limits,
/// which PostgreSQL is outside of) minus Odoo's expected use at 325 MiB per process when Odoo
/// runs on the same host. `None` (after noting the missing fact for OL010) when unknown.
pub(crate) struct PgBudget {
    pub host: Fact<Bytes>,
    /// Odoo's expected use taken off, if Odoo shares the host.
    pub odoo: Option<(Processes, Bytes)>,
}

impl PgBudget {
    pub fn read(ctx: &mut Ctx) -> Option<PgBudget> {
        let memory = ctx.memory()?;
        let host = match ctx.stack.system.host_memory.clone() {
            Some(h) => h,
            // Only the Odoo unit's own limit is known, not the host PostgreSQL runs on.
            None if matches!(memory.origin, crate::host::FactOrigin::Unit(_)) => return None,
            None => memory,
        };
        let odoo = odoo_known(ctx).then(|| {
            let p = ctx.stack.odoo.processes();
            (p, Bytes(p.total().saturating_mul(PROCESS_ESTIMATE.0)))
        });
        Some(PgBudget { host, odoo })
    }

    pub fn share(&self) -> Bytes {
        Bytes(self.host.value.0.saturating_sub(self.odoo.map(|(_, b)| b.0).unwrap_or(0)))
    }

    /// "8 GiB (from [host] in odoo-lint.toml) − 7 Odoo processes × 325 MiB = 5.8 GiB".
    pub fn describe(&self) -> String {
        match self.odoo {
            Some((p, b)) => format!(
                "{} ({}) − {} × {PROCESS_ESTIMATE} for Odoo ({b}) = {}",
                self.host.value,
                self.host.origin,
                p.describe(),
                self.share()
            ),
            None => format!("{} ({})", self.host.value, self.host.origin),
        }
    }
}

/// A size as PostgreSQL reads it, in the largest unit that divides it: `2GB`, `640MB`, `64kB`.
pub(crate) fn pg_size(bytes: u64) -> String {
    const K: u64 = 1024;
    for (unit, name) in [(K * K * K * K, "TB"), (K * K * K, "GB"), (K * K, "MB"), (K, "kB")] {
        if bytes >= unit && bytes.is_multiple_of(unit) {
            return format!("{}{name}", bytes / unit);
        }
    }
    format!("{}kB", bytes.div_ceil(K))
}

/// The span of a PostgreSQL value's origin, else where its sample line or file is.
pub(crate) fn pg_place(ctx: &Ctx, pg: &PgModel, name: &str) -> Option<(Span, String)> {
    pg.place(ctx.files, name)
}

/// The edit that sets `name` of server `pg` where it is read (its files, or the `command` of
/// the compose service that runs it; see [`crate::stack::Stack::pg_set_edit`]).
pub(crate) fn set_edit(ctx: &Ctx, pg: &PgModel, name: &str, value: &str) -> Result<crate::diagnostic::Edit, String> {
    match ctx.stack.postgres.iter().position(|p| std::ptr::eq(p, pg)) {
        Some(server) => ctx.stack.pg_set_edit(ctx.files, server, name, value),
        None => pg.set_edit(name, value),
    }
}

#[cfg(test)]
mod tests {
    use super::pg_size;

    #[test]
    fn sizes_postgresql_reads_back() {
        assert_eq!(pg_size(2 << 30), "2GB");
        assert_eq!(pg_size(640 << 20), "640MB");
        assert_eq!(pg_size(1536 << 20), "1536MB");
        assert_eq!(pg_size(64 << 10), "64kB");
        assert_eq!(pg_size(1000), "1kB");
    }
}

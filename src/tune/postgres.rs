//! PostgreSQL's formulas, next to those of pgtune (le0pard/pgtune,
//! src/features/configuration/configurationSlice.js, "web" profile) and timescaledb-tune
//! (timescale/timescaledb-tune, pkg/pgtune) for the same inputs. `H` is the memory of the host
//! PostgreSQL runs on (the cgroup-aware host fact, or a container's limit), `C` its CPUs.
//!
//! | setting | tune, sharing the host with Odoo | tune, PostgreSQL alone | pgtune (web) | timescaledb-tune |
//! |---|---|---|---|---|
//! | shared_buffers | H/8 | H/4 | H/4 | H/4 |
//! | effective_cache_size | H − Odoo's expected use − work and maintenance memory − OS reserve | 3H/4 | 3H/4 | 3H/4 |
//! | maintenance_work_mem | H/32, ≤ 2GB | H/16, ≤ 2GB | H/16, ≤ 8GB | H/16 (128MB per GB), ≤ 2047MB |
//! | work_mem | (H/16) ÷ max_connections | (H − shared_buffers) ÷ (3 × max_connections) | (H − sb) ÷ ((max_connections + workers) × 3) | H × 400MB/GB ÷ max_connections ÷ ⌈C/2⌉ |
//! | max_connections | Odoo's pools + reserved + 10, never lowered | kept | 200 | by RAM: 25…100 |
//!
//! Where tune differs, and why: PostgreSQL shares the host with Odoo's workers, so it gets
//! half of what a dedicated server would; `work_mem` is counted once per connection against
//! PostgreSQL's share (the accounting of rule OL404: every connection may sort at once), so it
//! is smaller than pgtune's; `max_connections` comes from Odoo's connection pools and is
//! never lowered (timescaledb-tune resets deliberate values, timescale/timescaledb-tune#54);
//! the memory is the container's or the unit's when limited (timescaledb-tune#58); a value
//! set in an included file or on the command line is changed where it is set
//! (timescaledb-tune#80).

use super::plan::{Bounds, Current, Goal, Input, Place, Value};
use super::{Draft, Planner, Storage};
use crate::diagnostic::Severity;
use crate::rules::database::pg_pool_can_exhaust::MAX_SENSIBLE_CONNECTIONS;
use crate::rules::database::pg_size;
use crate::stack::budget::{PROCESS_ESTIMATE, os_reserve};
use crate::units::{Bytes, GIB, KIB, MIB};

/// On a host shared with Odoo, connections' work memory adds up to 1/16 of the host.
pub const WORK_MEM_SHARE: u64 = 16;
/// Connections kept for clients other than Odoo's pools: psql, pg_dump, monitoring,
/// queue_job's runner (one per database and its LISTEN).
pub const OTHER_CLIENTS: u64 = 10;
/// PostgreSQL's smallest `work_mem` (64kB): below it the server refuses to start
/// (timescaledb-tune#38).
pub const WORK_MEM_MIN: u64 = 64 * KIB;

/// `shared_buffers`: H/8 beside Odoo, H/4 alone (pgtune, timescaledb-tune); in 128MB steps,
/// at least PostgreSQL's default 128MB.
pub fn shared_buffers(host: Bytes, shared: bool) -> u64 {
    let raw = if shared { host.0 / 8 } else { host.0 / 4 };
    (raw / (128 * MIB) * (128 * MIB)).max(128 * MIB)
}

/// `maintenance_work_mem`: H/32 beside Odoo, H/16 alone (pgtune, timescaledb-tune), in MB, at
/// least the default 64MB and at most 2GB.
pub fn maintenance_work_mem(host: Bytes, shared: bool) -> u64 {
    let raw = if shared { host.0 / 32 } else { host.0 / 16 };
    (raw / MIB * MIB).clamp(64 * MIB, 2 * GIB)
}

/// `work_mem` for `connections`: beside Odoo, 1/16 of the host shared by every connection;
/// alone, pgtune's web formula without its parallel workers, (H − shared_buffers) / (3 ×
/// connections). Whole MB above 1MB, else kB; at least 64kB.
pub fn work_mem(host: Bytes, shared_buffers: u64, connections: u64, shared: bool) -> u64 {
    let c = connections.max(1);
    let raw = if shared { host.0 / WORK_MEM_SHARE / c } else { host.0.saturating_sub(shared_buffers) / c.saturating_mul(3) };
    round_work_mem(raw)
}

fn round_work_mem(raw: u64) -> u64 {
    let r = if raw >= MIB { raw / MIB * MIB } else { raw / KIB * KIB };
    r.max(WORK_MEM_MIN)
}

/// `max_connections` Odoo needs: its pools, the superuser reserve and other clients, rounded
/// up to 10.
pub fn max_connections(pools: u64, reserved: u64) -> u64 {
    pools.saturating_add(reserved).saturating_add(OTHER_CLIENTS).div_ceil(10).saturating_mul(10)
}

fn location(p: &Planner, server: usize, name: &str) -> String {
    let pg = &p.stack.postgres[server];
    let place = pg.place(p.files, name);
    // set on the container's command line (or to be): the service names it
    if let Some((m, i)) = p.stack.pg_service(server) {
        let in_compose = |f| m.ids.contains(&Some(f));
        let on_command = match &place {
            Some((span, _)) => in_compose(span.file),
            None => pg.main().is_none(),
        };
        if on_command {
            return m.describe_service(i);
        }
    }
    match place {
        Some((span, _)) => p.display(span.file),
        None => match pg.main().or(pg.unit.as_ref().filter(|u| u.unit == usize::MAX).map(|u| u.file)) {
            Some(f) => p.display(f),
            None => "postgresql.conf".into(),
        },
    }
}

fn current_bytes(p: &Planner, server: usize, name: &str) -> Current {
    let pg = &p.stack.postgres[server];
    match pg.bytes(name) {
        Some((b, origin)) => Current {
            value: Some(Value::bytes(b.max(0) as u64, pg_size(b.max(0) as u64))),
            origin: pg.origin_text(p.files, &origin),
        },
        None => Current { value: None, origin: "unreadable (see OL005)".into() },
    }
}

fn current_int(p: &Planner, server: usize, name: &str) -> Current {
    let pg = &p.stack.postgres[server];
    match pg.int(name) {
        Some((v, origin)) => Current { value: Some(Value::count(v)), origin: pg.origin_text(p.files, &origin) },
        None => Current { value: None, origin: "unreadable (see OL005)".into() },
    }
}

fn current_real(p: &Planner, server: usize, name: &str) -> Current {
    let pg = &p.stack.postgres[server];
    match pg.config.real(name) {
        Some(Ok(e)) => Current { value: Some(Value::number(e.value)), origin: pg.origin_text(p.files, &e.origin) },
        _ => Current { value: None, origin: "unreadable (see OL005)".into() },
    }
}

fn current_bool(p: &Planner, server: usize, name: &str) -> Current {
    let pg = &p.stack.postgres[server];
    match pg.config.bool(name) {
        Some(Ok(e)) => {
            Current { value: Some(Value::word(if e.value { "on" } else { "off" })), origin: pg.origin_text(p.files, &e.origin) }
        }
        _ => Current { value: None, origin: "unreadable (see OL005)".into() },
    }
}

#[allow(clippy::too_many_arguments)]
fn push(
    p: &mut Planner,
    server: usize,
    key: &'static str,
    current: Current,
    target: Value,
    goal: Goal,
    bounds: Bounds,
    formula: String,
    inputs: Vec<Input>,
) -> Value {
    let writable = p.stack.pg_set_edit(p.files, server, key, &target.written).map(|_| ());
    let draft = Draft {
        key,
        place: Place::Postgres { server },
        location: location(p, server, key),
        current,
        target,
        goal,
        bounds,
        formula,
        inputs,
        writable,
    };
    p.push(draft)
}

/// The memory PostgreSQL's formulas start from, and whether Odoo's processes share it.
fn host(p: &Planner) -> Option<(Bytes, Input, bool)> {
    let m = p.host.pg_memory.as_ref()?;
    let what = if p.host.pg_shares_budget { "memory beside Odoo (H)" } else { "memory for PostgreSQL (H)" };
    Some((m.value, Input::new(what, m.value, &m.origin), p.host.pg_shares_budget))
}

/// `shared_buffers` and `maintenance_work_mem` of every server (Odoo's workers are sized
/// around them).
pub fn plan_memory(p: &mut Planner) {
    if p.stack.postgres.is_empty() {
        return;
    }
    let Some((h, h_input, shared)) = host(p) else {
        p.note(
            Severity::Info,
            None,
            "PostgreSQL's memory is not planned: only the memory limit of Odoo's own unit or container is known, not the host's (give --memory)",
        );
        return;
    };
    let beside = match (shared, p.stack.has_odoo()) {
        (true, _) => "beside Odoo",
        (false, true) => "in the memory Odoo's own limit leaves",
        (false, false) => "alone",
    };
    for i in 0..p.stack.postgres.len() {
        let sb = shared_buffers(h, shared);
        let frac = if shared { "H/8" } else { "H/4" };
        let sb_eff = push(
            p,
            i,
            "shared_buffers",
            current_bytes(p, i, "shared_buffers"),
            Value::bytes(sb, pg_size(sb)),
            Goal::Near,
            Bounds::NONE,
            format!(
                "{frac} ({beside}; pgtune and timescaledb-tune use H/4 for a dedicated server) in 128MB steps = {}",
                Bytes(sb)
            ),
            vec![h_input.clone()],
        )
        .as_bytes()
        .0;
        let mwm = maintenance_work_mem(h, shared);
        let frac = if shared { "H/32" } else { "H/16" };
        let mwm_eff = push(
            p,
            i,
            "maintenance_work_mem",
            current_bytes(p, i, "maintenance_work_mem"),
            Value::bytes(mwm, pg_size(mwm)),
            Goal::Near,
            Bounds::NONE,
            format!("{frac} ({beside}), 64MB to 2GB = {}", Bytes(mwm)),
            vec![h_input.clone()],
        )
        .as_bytes()
        .0;
        p.pg[i].shared_buffers = sb_eff;
        p.pg[i].maintenance_work_mem = mwm_eff;
        p.pg[i].reserved = crate::rules::database::reserved(&p.stack.postgres[i]).max(0) as u64;
    }
}

/// `max_connections`, `work_mem`, `effective_cache_size`, WAL, planner and (alone) parallel
/// settings of every server.
pub fn plan_connections(p: &mut Planner) {
    if p.stack.postgres.is_empty() {
        return;
    }
    let users = super::odoo::odoo_servers(p);
    let host = host(p);
    let cpus = p.host.cpus.value;
    for i in 0..p.stack.postgres.len() {
        let odoo_uses = p.odoo.known && users.contains(&i);
        p.pg[i].odoo_uses = odoo_uses;
        let reserved = p.pg[i].reserved.max(crate::rules::database::reserved(&p.stack.postgres[i]).max(0) as u64);
        // Connections.
        let current = current_int(p, i, "max_connections");
        let now = current.value.as_ref().map(|v| v.int().max(0) as u64).unwrap_or(100);
        let conns = if odoo_uses {
            let pools = p.odoo.pools();
            let mut target = max_connections(pools, reserved);
            // Past 500, more connections are not the answer (OL402): a pooler is.
            if target > MAX_SENSIBLE_CONNECTIONS && target > now {
                p.note(
                    Severity::Warning,
                    Some("OL402"),
                    format!(
                        "Odoo's pools need {target} connections, more than PostgreSQL serves well ({MAX_SENSIBLE_CONNECTIONS}): lower `db_maxconn` where it is set, or put PgBouncer between Odoo and PostgreSQL"
                    ),
                );
                target = now.max(1);
            }
            let floor = if target >= pools.saturating_add(reserved) { pools.saturating_add(reserved) } else { 0 };
            push(
                p,
                i,
                "max_connections",
                current,
                Value::count(target as i64),
                Goal::AtLeast,
                Bounds::at_least(floor as f64),
                format!(
                    "Odoo's pools {pools} + {reserved} reserved for superusers + {OTHER_CLIENTS} other clients, rounded up to 10 = {target}; a larger value is never lowered"
                ),
                vec![Input::new("Odoo's pools", pools, describe_pools(p))],
            )
            .int()
            .max(1) as u64
        } else {
            push(
                p,
                i,
                "max_connections",
                current,
                Value::count(now as i64),
                Goal::Near,
                Bounds::NONE,
                if users.contains(&i) {
                    "kept: Odoo's settings, and so its pools, are not known".into()
                } else {
                    "kept: Odoo does not use this server".into()
                },
                vec![],
            )
            .int()
            .max(1) as u64
        };
        p.pg[i].max_connections = conns;
        let Some((h, h_input, shared)) = host.clone() else { continue };
        // Work memory.
        let sb = p.pg[i].shared_buffers;
        let mwm = p.pg[i].maintenance_work_mem;
        let wm = work_mem(h, sb, conns, shared);
        // OL404: connections × work_mem + shared_buffers + maintenance_work_mem ≤ PostgreSQL's
        // share of the host (the host minus Odoo's expected use).
        let odoo_use = if p.odoo.known { p.odoo.processes().saturating_mul(PROCESS_ESTIMATE.0) } else { 0 };
        let rule_host = p.host.host_memory.as_ref().map(|m| m.value.0).unwrap_or(h.0);
        let share = rule_host.saturating_sub(odoo_use);
        let ceiling = share.saturating_sub(sb.saturating_add(mwm)) / conns;
        let formula = if shared {
            format!(
                "(H/{WORK_MEM_SHARE}) / {conns} connections = {} (each connection may sort at once: OL404's accounting)",
                Bytes(wm)
            )
        } else {
            format!("(H − shared_buffers) / (3 × {conns} connections) = {} (pgtune's web formula)", Bytes(wm))
        };
        let wm_eff = push(
            p,
            i,
            "work_mem",
            current_bytes(p, i, "work_mem"),
            Value::bytes(wm, pg_size(wm)),
            Goal::Near,
            Bounds::at_most(ceiling as f64),
            formula,
            vec![h_input.clone(), Input::new("max_connections", conns, "planned above")],
        )
        .as_bytes()
        .0;
        p.pg[i].work_mem = wm_eff;
        if ceiling < WORK_MEM_MIN {
            p.note(
                Severity::Warning,
                Some("OL404"),
                format!("PostgreSQL's share of the host cannot give {conns} connections even {} of work_mem: lower max_connections or add memory", Bytes(WORK_MEM_MIN)),
            );
        }
        // The planner's estimate of the cache.
        let odoo_unknown = shared && !p.odoo.known;
        let ecs = if odoo_unknown {
            (h.0 / 2 / (64 * MIB) * (64 * MIB)).max(sb)
        } else if shared {
            let used = odoo_use.saturating_add(conns.saturating_mul(wm_eff)).saturating_add(mwm).saturating_add(os_reserve(h).0);
            (h.0.saturating_sub(used) / (64 * MIB) * (64 * MIB)).max(sb)
        } else {
            h.0 / 4 * 3 / MIB * MIB
        };
        let formula = if odoo_unknown {
            format!("H/2: the Odoo beside it runs with settings that are not known, at least shared_buffers = {}", Bytes(ecs))
        } else if shared {
            format!(
                "H − Odoo's expected use ({} processes × {PROCESS_ESTIMATE}) − work and maintenance memory − OS reserve, at least shared_buffers = {}",
                p.odoo.processes(),
                Bytes(ecs)
            )
        } else {
            format!("3H/4 (pgtune, timescaledb-tune) = {}", Bytes(ecs))
        };
        push(
            p,
            i,
            "effective_cache_size",
            current_bytes(p, i, "effective_cache_size"),
            Value::bytes(ecs, pg_size(ecs)),
            Goal::Near,
            Bounds::NONE,
            formula,
            vec![h_input.clone()],
        );
        plan_fixed(p, i, !(shared || p.stack.has_odoo()), cpus);
    }
}

fn describe_pools(p: &Planner) -> String {
    let o = &p.odoo;
    if o.prefork {
        format!("({} HTTP + {} cron) × db_maxconn {} + {} gevent × {}", o.http, o.cron, o.db_maxconn, o.gevent, o.gevent_pool)
    } else {
        format!("1 threaded process × db_maxconn {}", o.db_maxconn)
    }
}

/// WAL, planner costs, JIT and (for a server alone) parallel workers: pgtune's web profile.
fn plan_fixed(p: &mut Planner, i: usize, alone: bool, cpus: u32) {
    for (key, target, why) in [
        ("min_wal_size", GIB, "pgtune (web): 1GB, so that WAL segments are recycled rather than created"),
        ("max_wal_size", 4 * GIB, "pgtune (web): 4GB, fewer forced checkpoints under write bursts (needs that much disk)"),
    ] {
        let current = current_bytes(p, i, key);
        push(
            p,
            i,
            key,
            current,
            Value::bytes(target, pg_size(target)),
            Goal::AtLeast,
            Bounds::NONE,
            format!("{why}; a larger value is kept"),
            vec![],
        );
    }
    let current = current_real(p, i, "checkpoint_completion_target");
    push(
        p,
        i,
        "checkpoint_completion_target",
        current,
        Value::number(0.9),
        Goal::Near,
        Bounds::NONE,
        "0.9 (pgtune, timescaledb-tune; PostgreSQL 14's default)".into(),
        vec![],
    );
    let (rpc, eic, storage) = match p.opts.storage {
        Storage::Ssd => (1.1, 200, "SSD"),
        Storage::Hdd => (4.0, 2, "HDD"),
    };
    let current = current_real(p, i, "random_page_cost");
    push(
        p,
        i,
        "random_page_cost",
        current,
        Value::number(rpc),
        Goal::Near,
        Bounds::NONE,
        format!("{rpc} for {storage} storage (pgtune; `[tune] storage` says which)"),
        vec![Input::new("storage", storage, "[tune] storage, default ssd")],
    );
    let current = current_int(p, i, "effective_io_concurrency");
    push(
        p,
        i,
        "effective_io_concurrency",
        current,
        Value::count(eic),
        Goal::Near,
        Bounds::NONE,
        format!("{eic} for {storage} storage on Linux (pgtune)"),
        vec![],
    );
    if p.stack.odoo.major >= 16 && p.stack.has_odoo() {
        let current = current_bool(p, i, "jit");
        push(
            p,
            i,
            "jit",
            current,
            Value::word("off"),
            Goal::Near,
            Bounds::NONE,
            "off: Odoo's many short queries pay JIT compilation without gaining from it (pgtune and timescaledb-tune also turn it off)".into(),
            vec![],
        );
    }
    if !alone || cpus < 4 {
        return;
    }
    let half = cpus.div_ceil(2).min(4) as i64;
    for (key, target, why) in [
        ("max_worker_processes", cpus as i64, "C (pgtune)"),
        ("max_parallel_workers", cpus as i64, "C (pgtune)"),
        ("max_parallel_workers_per_gather", half, "⌈C/2⌉, at most 4 (pgtune)"),
        ("max_parallel_maintenance_workers", half, "⌈C/2⌉, at most 4 (pgtune)"),
    ] {
        let current = current_int(p, i, key);
        push(
            p,
            i,
            key,
            current,
            Value::count(target),
            Goal::Near,
            Bounds::NONE,
            format!("{why} = {target}, PostgreSQL alone on {cpus} CPUs"),
            vec![p.cpus_input()],
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// pgtune (web, PostgreSQL 15, Linux, SSD, 4 CPUs) for 8 GB and 100 connections:
    /// shared_buffers 2GB, effective_cache_size 6GB, maintenance_work_mem 512MB, work_mem
    /// (8GB − 2GB) / ((100 + 4 parallel workers) × 3) = 20164kB. For PostgreSQL alone tune
    /// agrees on the first three; its work_mem leaves the parallel workers out
    /// (le0pard/pgtune#113: they over-penalise it): 6GB / 300 = 20MB in whole MB.
    #[test]
    fn dedicated_server_matches_pgtune() {
        let h = Bytes(8 * GIB);
        assert_eq!(shared_buffers(h, false), 2 * GIB);
        assert_eq!(maintenance_work_mem(h, false), 512 * MIB);
        let pgtune = (8 * GIB - 2 * GIB) / ((100 + 4) * 3);
        assert_eq!(pgtune / KIB, 20164);
        assert_eq!(work_mem(h, 2 * GIB, 100, false), 20 * MIB);
        assert!(work_mem(h, 2 * GIB, 100, false).abs_diff(pgtune) < MIB);
    }

    /// timescaledb-tune for 8 GB, 4 CPUs, 100 connections: shared_buffers 2GB,
    /// maintenance_work_mem 1GB (128MB per GB), work_mem 8 × 400MB / 100 / 2 = 16MB.
    /// tune gives 512MB of maintenance memory (pgtune's H/16) and pgtune's work_mem.
    #[test]
    fn timescaledb_tune_differences() {
        let h = Bytes(8 * GIB);
        let tsdb_mwm = 8 * 128 * MIB;
        assert!(maintenance_work_mem(h, false) < tsdb_mwm);
        let tsdb_wm = 8 * 400 * MIB / 100 / 2;
        assert_eq!(tsdb_wm, 16 * MIB);
        assert!(work_mem(h, 2 * GIB, 100, false) > tsdb_wm);
    }

    #[test]
    fn beside_odoo_postgresql_gets_half() {
        let h = Bytes(8 * GIB);
        assert_eq!(shared_buffers(h, true), GIB);
        assert_eq!(maintenance_work_mem(h, true), 256 * MIB);
        // 512 MiB shared by 100 connections: 5 MiB each
        assert_eq!(work_mem(h, GIB, 100, true), 5 * MIB);
        // 4 GiB: 512MB buffers, 128MB maintenance
        assert_eq!(shared_buffers(Bytes(4 * GIB), true), 512 * MIB);
        assert_eq!(maintenance_work_mem(Bytes(4 * GIB), true), 128 * MIB);
        // small hosts keep PostgreSQL's defaults as floors
        assert_eq!(shared_buffers(Bytes(GIB), true), 128 * MIB);
        assert_eq!(maintenance_work_mem(Bytes(GIB), true), 64 * MIB);
    }

    #[test]
    fn work_mem_never_below_postgresql_minimum() {
        // timescaledb-tune#38: a work_mem under 64kB stops PostgreSQL
        assert_eq!(work_mem(Bytes(GIB), 128 * MIB, 100_000, true), 64 * KIB);
        assert_eq!(work_mem(Bytes(GIB), 128 * MIB, 100, true), 655 * KIB, "64 MiB / 100 in whole kB");
    }

    #[test]
    fn connections_from_pools() {
        // 8 HTTP + 1 cron at 8 each, the gevent process at 8, 3 reserved, 10 others: 93 → 100
        assert_eq!(max_connections(9 * 8 + 8, 3), 100);
        assert_eq!(max_connections(0, 3), 20);
    }
}

//! Odoo's formulas: cron workers, HTTP workers, connection pools, memory and time limits.
//!
//! Sources: Odoo's deployment guide (odoo/documentation, administration/on_premise/deploy.rst:
//! "(#CPU × 2) + 1" workers and cron threads together, about 6 concurrent users per worker,
//! `RAM ≈ workers × (0.8 × 150 MB + 0.2 × 1 GB)`), Odoo's defaults (odoo/tools/config.py) and
//! the thresholds of rules OL102, OL201, OL202, OL204, OL206, OL302, OL303, OL401, OL402.

use super::plan::{Bounds, Current, Goal, Input, Place, Value};
use super::{Draft, Planner};
use crate::diagnostic::Severity;
use crate::stack::budget::{
    PROCESS_ESTIMATE, RAM_PER_PROCESS_MIN, SOFT_LIMIT_DEFAULT, SOFT_LIMIT_FLOOR, USERS_PER_WORKER, max_workers_for, os_reserve,
};
use crate::units::{Bytes, MIB};

/// The `db_maxconn` `tune` gives a prefork process: an HTTP worker serves one request at a
/// time with one cursor, and sometimes a second (a new cursor inside a request, the cron
/// trigger's LISTEN); 8 leaves room for bursts while keeping PostgreSQL's connections — each
/// a process with its own `work_mem` — few. Odoo's default 64 is sized for threaded mode, where
/// one pool serves every thread.
pub const POOL: u64 = 8;
/// The range in which a user's own `db_maxconn` is kept in prefork mode.
pub const POOL_MIN: u64 = 4;
pub const POOL_MAX: u64 = 32;

/// Odoo's `limit_time_real` default (odoo/tools/config.py), and the range in which a user's
/// own value is kept: under a minute pages time out, over two hours a stuck worker holds its
/// slot for too long.
pub const TIME_REAL_DEFAULT: i64 = 120;
pub const TIME_REAL_RANGE: (i64, i64) = (60, 7200);

/// `limit_time_real_cron` when the user turned the cron watchdog off (0): an hour, or
/// `limit_time_real` if longer — a bound every sane cron fits in.
pub const CRON_TIME_FLOOR: i64 = 3600;

/// The deployment guide's sample `limit_request` (Odoo's default is 65536), and the range in
/// which a user's own value is kept.
pub const LIMIT_REQUEST: i64 = 8192;
pub const LIMIT_REQUEST_RANGE: (i64, i64) = (1024, 1 << 20);

/// `max_cron_threads`: 1 on up to 4 CPUs (the deployment guide's 4-CPU example uses one cron
/// worker next to 8 HTTP workers), else 2 (Odoo's default).
pub fn cron_threads(cpus: u32) -> u64 {
    if cpus <= 4 { 1 } else { 2 }
}

/// What the number of HTTP workers depends on.
#[derive(Clone, Debug)]
pub struct Sizing {
    pub cpus: u32,
    pub cron: u64,
    /// Concurrent users at the busiest hour.
    pub users: Option<u64>,
    /// queue_job's root channel capacity: jobs run inside HTTP workers.
    pub queue: Option<u64>,
    /// The memory Odoo's soft limits may add up to.
    pub memory: Bytes,
}

/// The number of HTTP workers and the bounds that gave it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Workers {
    pub value: u64,
    /// Odoo's rule: `2 × CPUs + 1` workers and cron workers together.
    pub by_cpu: u64,
    /// `⌈users / 6⌉`, plus the jobs queue_job may run at once.
    pub by_users: Option<u64>,
    /// Processes whose soft limits of 512 MiB fit the memory, minus cron and gevent.
    pub by_memory: u64,
    pub formula: String,
}

/// `workers = min(2 × CPUs + 1 − cron, ⌈users / 6⌉ + jobs, ⌊memory / 512 MiB⌋ − cron − 1)`.
pub fn workers(s: &Sizing) -> Workers {
    let by_cpu = max_workers_for(s.cpus).saturating_sub(s.cron).max(1);
    let by_users = s.users.map(|u| u.div_ceil(USERS_PER_WORKER).max(1).saturating_add(s.queue.unwrap_or(0)));
    let by_memory = (s.memory.0 / SOFT_LIMIT_FLOOR.0).saturating_sub(s.cron.saturating_add(1));
    let value = by_cpu.min(by_users.unwrap_or(u64::MAX)).min(by_memory);
    let mut parts = vec![format!("CPUs 2 × {} + 1 − {} cron = {by_cpu}", s.cpus, s.cron)];
    if let (Some(u), Some(n)) = (s.users, by_users) {
        let jobs = match s.queue {
            Some(q) => format!(" + {q} queue_job channel{}", if q == 1 { "" } else { "s" }),
            None => String::new(),
        };
        parts.push(format!("users ⌈{u} / {USERS_PER_WORKER}⌉{jobs} = {n}"));
    }
    parts.push(format!("memory ⌊{} / {SOFT_LIMIT_FLOOR}⌋ − {} cron − 1 gevent = {by_memory}", s.memory, s.cron));
    Workers { value, by_cpu, by_users, by_memory, formula: format!("min({}) = {value}", parts.join(", ")) }
}

/// `limit_memory_soft`: the memory Odoo may use, shared by its processes, rounded down to
/// 64 MiB, at most Odoo's default 2 GiB (and, for absurd process counts, at least 64 MiB).
pub fn soft_limit(memory: Bytes, processes: u64) -> u64 {
    let per = memory.0 / processes.max(1) / (64 * MIB) * (64 * MIB);
    per.clamp(64 * MIB, SOFT_LIMIT_DEFAULT.0)
}

/// `limit_memory_hard` (RLIMIT_AS, virtual size): Odoo's own ratio, 1.25 × the soft limit
/// (2560/2048 MiB), and at least 512 MiB above it so that a report's peak does not fail with
/// MemoryError; rounded up to 64 MiB.
pub fn hard_limit(soft: u64) -> u64 {
    let h = soft.saturating_add(soft / 4).max(soft.saturating_add(512 * MIB));
    h.div_ceil(64 * MIB).saturating_mul(64 * MIB)
}

/// The odoo.conf (or, without one, the Odoo unit) values live in.
fn location(p: &Planner) -> String {
    match p.stack.odoo.conf {
        Some(c) => p.display(c),
        None => match p.stack.odoo_container() {
            Some((m, i, ..)) => m.describe_service(i),
            None => p.stack.system.odoo_unit().map(|(u, _)| u.name.clone()).unwrap_or_else(|| "odoo.conf".into()),
        },
    }
}

fn writable(p: &Planner, key: &str) -> Result<(), String> {
    p.stack.odoo_set(p.files, key, "0").map(|_| ())
}

fn current(p: &Planner, key: &str, kind: super::plan::Kind) -> Current {
    let odoo = &p.stack.odoo;
    match odoo.int(key) {
        Some(t) => {
            let v = t.value;
            let value = match kind {
                super::plan::Kind::Bytes => Value::bytes(v.max(0) as u64, v.to_string()),
                super::plan::Kind::Seconds => Value::seconds(v.max(0) as u64, v.to_string()),
                _ => Value::count(v),
            };
            // negative seconds (`-1`) stay negative for the comparisons
            let value = Value { amount: v as f64, ..value };
            Current { value: Some(value), origin: t.origin.to_string() }
        }
        None if odoo.get(key).is_some() => Current { value: None, origin: "unreadable (see OL005)".into() },
        None => Current { value: None, origin: "not set".into() },
    }
}

/// Pushes an odoo.conf `[options]` value.
#[allow(clippy::too_many_arguments)]
fn push(
    p: &mut Planner,
    key: &'static str,
    kind: super::plan::Kind,
    target: Value,
    goal: Goal,
    bounds: Bounds,
    formula: String,
    inputs: Vec<Input>,
) -> Value {
    let draft = Draft {
        key,
        place: Place::Odoo { section: "options" },
        location: location(p),
        current: current(p, key, kind),
        target,
        goal,
        bounds,
        formula,
        inputs,
        writable: writable(p, key),
    };
    p.push(draft)
}

/// Whether Odoo `major` has the option.
fn has_option(p: &Planner, key: &str) -> bool {
    p.stack.odoo.default_text(key).is_some()
}

/// Says why Odoo's settings are not planned when a compose service runs Odoo with a
/// configuration file we do not have (mounted from outside the tree, or built into an image we
/// do not know).
fn unknown_config_note(p: &mut Planner) {
    use crate::stack::compose::{ConfigLink, Role};
    for m in &p.stack.compose {
        for (svc, model) in m.project.services.iter().zip(&m.services) {
            let Role::Odoo(c) = &model.role else { continue };
            let ConfigLink::Unknown { mount } = &c.config else { continue };
            let file = m.project.files.first().map(|f| f.source.display.clone()).unwrap_or_default();
            let whence = match mount {
                Some(_) => format!(
                    "mounted from `{}`, which is not in the tree; run on the directory that holds it",
                    mount_source(svc, &c.config_path)
                ),
                None => format!(
                    "built into its image{}, which odoo-lint cannot read; mount the file from the tree to have it planned",
                    svc.image.as_ref().map(|i| format!(" `{}`", i.value.name)).unwrap_or_default()
                ),
            };
            let text =
                format!("Odoo's settings are not planned: service `{}` in {file} reads `{}`, {whence}", svc.name, c.config_path);
            p.note(Severity::Info, None, text);
        }
    }
}

/// The host side of the volume that mounts `target`, as written.
fn mount_source(svc: &crate::formats::compose::Service, target: &str) -> String {
    svc.volumes
        .iter()
        .find(|v| v.value.target == target)
        .and_then(|v| v.value.source.clone())
        .unwrap_or_else(|| "a volume".to_string())
}

/// `max_cron_threads`, `workers` and the connection pools.
pub fn plan_processes(p: &mut Planner) {
    use super::plan::Kind;
    if !p.stack.has_odoo() {
        unknown_config_note(p);
        return;
    }
    p.odoo.known = true;
    let cpus = p.host.cpus.value;
    let odoo = &p.stack.odoo;

    let memory = p.host.memory.value;
    let reserve = os_reserve(memory);
    let pg_est = pg_estimate(p);
    let odoo_memory = Bytes(memory.0.saturating_sub(pg_est.saturating_add(reserve.0)));

    // Cron workers: an explicit 0 is deliberate (another node runs the crons).
    let cron_now = odoo.int("max_cron_threads");
    let deliberate_zero = cron_now.as_ref().is_some_and(|c| c.value == 0 && !c.origin.is_default());
    let cron = if deliberate_zero {
        push(
            p,
            "max_cron_threads",
            Kind::Count,
            Value::count(0),
            Goal::Near,
            Bounds::NONE,
            "0, as set: another node runs the crons".into(),
            vec![],
        )
    } else {
        // At most a third of the processes the memory holds besides the gevent process, so
        // that crons do not outnumber the HTTP workers on a small host.
        let by_memory = ((odoo_memory.0 / SOFT_LIMIT_FLOOR.0).saturating_sub(1) / 3).max(1);
        let target = cron_threads(cpus).min(by_memory);
        let hi = (cpus as u64 / 4).max(2).min(by_memory);
        // Odoo's default is no one's choice: the formula decides it.
        let goal = if cron_now.as_ref().is_none_or(|c| c.origin.is_default()) { Goal::Near } else { Goal::Sane };
        push(
            p,
            "max_cron_threads",
            Kind::Count,
            Value::count(target as i64),
            goal,
            Bounds::between(1.0, hi as f64),
            format!(
                "{target} on {cpus} CPUs (1 up to 4 CPUs, as in Odoo's deployment guide, else Odoo's default 2), at most a third of the {} processes the memory holds besides gevent; {}",
                (odoo_memory.0 / SOFT_LIMIT_FLOOR.0).saturating_sub(1),
                if hi > 1 { format!("yours stays between 1 and {hi}") } else { "yours stays at 1".to_string() }
            ),
            vec![p.cpus_input(), p.memory_input()],
        )
    }
    .int()
    .max(0) as u64;

    // HTTP workers.
    let workers_now = p.stack.odoo.int("workers");
    if let Some(w) = &workers_now
        && w.value < 0
        && !w.origin.is_default()
    {
        // a cron-only node (`workers = -1`, Odoo's WSGI deployment notes)
        push(
            p,
            "workers",
            Kind::Count,
            Value::count(w.value),
            Goal::Near,
            Bounds::NONE,
            "a cron-only node: left alone".into(),
            vec![],
        );
        p.odoo = super::OdooState { known: true, prefork: true, http: 0, cron, gevent: 1, ..Default::default() };
        plan_pools(p);
        return;
    }
    let queue = queue_capacity(p);
    let sizing = Sizing { cpus, cron, users: p.opts.users.as_ref().map(|u| u.value), queue, memory: odoo_memory };
    let w = workers(&sizing);
    let mut inputs = vec![p.cpus_input(), p.memory_input()];
    if let Some(u) = &p.opts.users {
        inputs.push(Input::new("concurrent users", u.value, &u.origin));
    }
    if pg_est > 0 {
        inputs.push(Input::new(
            "PostgreSQL's planned memory",
            Bytes(pg_est),
            "shared_buffers + work_mem budget + maintenance_work_mem",
        ));
    }
    inputs.push(Input::new("OS and page cache reserve", reserve, "1/16 of the memory, 256 MiB to 2 GiB"));
    let mut formula = if pg_est > 0 {
        format!("{} (memory = {memory} − PostgreSQL {} − OS {reserve})", w.formula, Bytes(pg_est))
    } else {
        format!("{} (memory = {memory} − OS {reserve})", w.formula)
    };
    let mut target = w.value;
    if target == 0 {
        // Too small for the 512 MiB floor with the OS reserve: give up the reserve, then the
        // floor, as long as the rules' own limits hold; else run threaded.
        let without_reserve = memory.0.saturating_sub(pg_est) / SOFT_LIMIT_FLOOR.0;
        let trio = cron.saturating_add(2);
        let processes_fit = memory.0 / RAM_PER_PROCESS_MIN.0 >= trio
            && trio.saturating_mul(PROCESS_ESTIMATE.0).saturating_add(pg_estimate_rule(p)) <= memory.0;
        if without_reserve >= trio {
            target = 1;
            formula = format!("{formula}; 1 when the OS reserve is given up");
            p.note(
                Severity::Info,
                None,
                format!(
                    "{memory} is small for Odoo in prefork mode with PostgreSQL beside it: the soft limits leave no OS reserve"
                ),
            );
        } else if processes_fit {
            target = 1;
            formula = format!("{formula}; 1 with soft limits under {SOFT_LIMIT_FLOOR}");
            p.note(
                Severity::Warning,
                None,
                format!("{memory} is small for Odoo in prefork mode with PostgreSQL beside it: soft limits under {SOFT_LIMIT_FLOOR} recycle workers often; add memory"),
            );
        } else {
            formula = format!("{formula}; 0 (threaded mode): not even 1 HTTP worker, {cron} cron and the gevent process fit");
            p.note(
                Severity::Warning,
                Some("OL101"),
                format!("{memory} cannot hold Odoo in prefork mode (3 processes at {RAM_PER_PROCESS_MIN} each) beside PostgreSQL: tune keeps threaded mode; give the stack more memory"),
            );
        }
    }
    if let (Some(u), Some(need)) = (&p.opts.users, w.by_users)
        && need > target
    {
        p.note(
            Severity::Warning,
            None,
            format!(
                "{} concurrent users need {need} HTTP workers (6 per worker), but this host gives {target}: add {}",
                u.value,
                if w.by_cpu < w.by_memory { "CPUs" } else { "memory" }
            ),
        );
    }
    let hi = w.by_cpu.min((memory.0 / RAM_PER_PROCESS_MIN.0).saturating_sub(cron.saturating_add(1))).max(target);
    let lo = if target == 0 { 0.0 } else { 1.0 };
    let eff =
        push(p, "workers", Kind::Count, Value::count(target as i64), Goal::Near, Bounds::between(lo, hi as f64), formula, inputs)
            .int();
    let prefork = eff != 0;
    p.odoo = super::OdooState {
        known: true,
        prefork,
        http: eff.max(0) as u64,
        cron: if prefork { cron } else { 0 },
        gevent: u64::from(prefork),
        ..Default::default()
    };
    if prefork && let Some(q) = queue {
        if p.odoo.http < 2 {
            // the host holds fewer: more workers would overcommit its memory (OL202)
            p.note(
                Severity::Warning,
                Some("OL604"),
                format!("queue_job asks for at least 2 HTTP workers and this host holds {}: add memory or CPUs", p.odoo.http),
            );
        }
        plan_channels(p, q);
    }
    plan_pools(p);
}

/// PostgreSQL's memory taken from Odoo's budget, as planned so far: `shared_buffers` +
/// the work-memory budget (1/16 of the host) + `maintenance_work_mem`.
fn pg_estimate(p: &Planner) -> u64 {
    if !p.host.pg_shares_budget {
        return 0;
    }
    let Some(first) = p.pg.first() else { return 0 };
    let h = p.host.pg_memory.as_ref().map(|m| m.value.0).unwrap_or(0);
    first.shared_buffers.saturating_add(h / super::postgres::WORK_MEM_SHARE).saturating_add(first.maintenance_work_mem)
}

/// PostgreSQL's memory the way OL202 counts it (no maintenance memory).
fn pg_estimate_rule(p: &Planner) -> u64 {
    pg_estimate(p).saturating_sub(p.pg.first().map(|s| s.maintenance_work_mem).unwrap_or(0))
}

/// queue_job's root channel capacity, when the module is loaded.
fn queue_capacity(p: &Planner) -> Option<u64> {
    if !crate::rules::modules::loads(&p.ctx, "queue_job") {
        return None;
    }
    let channels = crate::rules::modules::queue_job_setting(&p.ctx, "channels").map(|(c, _)| c).unwrap_or("root:1".into());
    crate::rules::modules::root_capacity(&channels)
}

/// `[queue_job] channels`: the root capacity below `workers` (queue_job's README: "the
/// number of workers must be greater than the channel capacity").
fn plan_channels(p: &mut Planner, capacity: u64) {
    let Some((channels, span)) = crate::rules::modules::queue_job_setting(&p.ctx, "channels") else {
        if p.odoo.http <= capacity {
            p.note(
                Severity::Warning,
                Some("OL603"),
                format!("queue_job's root channel runs {capacity} job at once and Odoo gets {} HTTP worker", p.odoo.http),
            );
        }
        return;
    };
    let http = p.odoo.http;
    let target = if http > capacity { capacity } else { http.saturating_sub(1).max(1) };
    if http <= target {
        p.note(
            Severity::Warning,
            Some("OL603"),
            format!("Odoo gets {http} HTTP worker: queue_job's jobs can take it; add CPUs or memory"),
        );
    }
    let written = crate::rules::modules::with_root_capacity(&channels, target);
    // `ODOO_QUEUE_JOB_CHANNELS` of the Odoo container wins over odoo.conf: it is changed there
    let in_compose = p.stack.compose.iter().enumerate().find_map(|(pi, m)| {
        let (i, ..) = m.odoo_service()?;
        m.ids.contains(&Some(span.file)).then_some((pi, i, m))
    });
    let (key, place, location, origin, writable) = match in_compose {
        Some((project, service, m)) => {
            const KEY: &str = "environment.ODOO_QUEUE_JOB_CHANNELS";
            let writable = m.set_edit(service, KEY, &written).map(|_| ());
            (
                KEY,
                Place::Compose { project, service },
                m.describe_service(service),
                "set in the container's environment",
                writable,
            )
        }
        None => (
            "channels",
            Place::Odoo { section: "queue_job" },
            format!("{} [queue_job]", p.display(span.file)),
            "set in odoo.conf",
            Ok(()),
        ),
    };
    let draft = Draft {
        key,
        place,
        location,
        current: Current {
            value: Some(Value { written: channels.clone(), ..Value::count(capacity as i64) }),
            origin: origin.into(),
        },
        target: Value { written, ..Value::count(target as i64) },
        goal: Goal::Near,
        bounds: Bounds::NONE,
        formula: format!(
            "root capacity min({capacity}, {http} workers − 1) = {target}: jobs run inside HTTP workers and must leave one to the users"
        ),
        inputs: vec![Input::new("HTTP workers", http, "planned above")],
        writable,
    };
    p.push(draft);
}

/// `db_maxconn` (and `db_maxconn_gevent` when set): pools that fit PostgreSQL's
/// `max_connections` (minus its reserved and other clients' connections) when pools of at
/// least 4 fit; else 8 each, and `max_connections` is raised.
fn plan_pools(p: &mut Planner) {
    use super::plan::Kind;
    let odoo = &p.stack.odoo;
    let current_pool = odoo.int("db_maxconn").map(|t| t.value.max(0) as u64).unwrap_or(64);
    if !p.odoo.prefork {
        p.odoo.db_maxconn = current_pool;
        p.odoo.gevent_pool = current_pool;
        return;
    }
    let own_gevent = if odoo.major >= 17 && odoo.get("db_maxconn_gevent").is_some() {
        odoo.int("db_maxconn_gevent").map(|t| t.value).filter(|v| *v > 0).map(|v| v as u64)
    } else {
        None
    };
    let users = p.odoo.http.saturating_add(p.odoo.cron).saturating_add(if own_gevent.is_some() { 0 } else { p.odoo.gevent });
    // The room each server Odoo uses leaves, as written now (max_connections is planned after).
    let servers: Vec<usize> = odoo_servers(p);
    let mut room: Option<u64> = None;
    let mut inputs = vec![Input::new(
        "pools",
        format!("{} HTTP + {} cron{}", p.odoo.http, p.odoo.cron, if own_gevent.is_some() { "" } else { " + 1 gevent" }),
        "planned above",
    )];
    for &i in &servers {
        let pg = &p.stack.postgres[i];
        let Some((max, origin)) = pg.int("max_connections") else { continue };
        let reserved = crate::rules::database::reserved(pg).max(0) as u64;
        let free = (max.max(0) as u64)
            .saturating_sub(reserved.saturating_add(super::postgres::OTHER_CLIENTS).saturating_add(own_gevent.unwrap_or(0)));
        let per = free / users.max(1);
        inputs.push(Input::new("max_connections", max, pg.origin_text(p.files, &origin)));
        room = Some(room.map_or(per, |r: u64| r.min(per)));
    }
    let (hi, formula) = match room {
        Some(per) if per >= POOL_MIN => (
            per.min(POOL_MAX),
            format!(
                "min({POOL}, ⌊(max_connections − reserved − {} other clients) / {users} pools⌋ = {per}): the pools fit PostgreSQL as it is",
                super::postgres::OTHER_CLIENTS
            ),
        ),
        Some(per) => (
            POOL_MAX,
            format!(
                "{POOL} per process; pools of {per} would fit max_connections, fewer than {POOL_MIN}: max_connections is raised instead"
            ),
        ),
        None => (POOL_MAX, format!("{POOL} per process: one request at a time, with room for a second cursor")),
    };
    let target = POOL.min(hi);
    let eff = push(
        p,
        "db_maxconn",
        Kind::Count,
        Value::count(target as i64),
        Goal::Sane,
        Bounds::between(POOL_MIN.min(target) as f64, hi as f64),
        format!("{formula}; yours is kept between {} and {hi}", POOL_MIN.min(target)),
        inputs,
    )
    .int()
    .max(1) as u64;
    p.odoo.db_maxconn = eff;
    p.odoo.gevent_pool = eff;
    if let Some(g) = own_gevent {
        let eff = push(
            p,
            "db_maxconn_gevent",
            Kind::Count,
            Value::count(g.clamp(2, 64) as i64),
            Goal::Sane,
            Bounds::between(2.0, 64.0),
            "the gevent process's own pool: yours is kept between 2 and 64".into(),
            vec![],
        );
        p.odoo.gevent_pool = eff.int().max(1) as u64;
    }
}

/// The PostgreSQL servers of the stack Odoo may use.
pub(super) fn odoo_servers(p: &Planner) -> Vec<usize> {
    let users: Vec<*const crate::stack::postgres::PgModel> =
        crate::rules::database::odoo_servers(&p.ctx).into_iter().map(|m| m as *const _).collect();
    (0..p.stack.postgres.len()).filter(|&i| users.contains(&(&p.stack.postgres[i] as *const _))).collect()
}

/// Memory and time limits.
pub fn plan_limits(p: &mut Planner) {
    use super::plan::Kind;
    if !p.odoo.known {
        return;
    }
    let major = p.stack.odoo.major;
    if p.odoo.prefork {
        let memory = p.host.memory.value;
        let reserve = os_reserve(memory).0;
        let (pg_full, pg_rule) = match (p.host.pg_shares_budget, p.pg.first()) {
            (true, Some(s)) => (s.share(true), s.share(false)),
            _ => (0, 0),
        };
        let processes = p.odoo.processes();
        let mut budget = memory.0.saturating_sub(pg_full.saturating_add(reserve));
        let pg_term = if pg_full > 0 { format!(" − PostgreSQL {}", Bytes(pg_full)) } else { String::new() };
        let mut formula = format!("⌊({memory}{pg_term} − OS {}) / {processes} processes⌋ to 64 MiB", Bytes(reserve));
        if budget / processes.max(1) < SOFT_LIMIT_FLOOR.0
            && memory.0.saturating_sub(pg_full) / processes.max(1) >= SOFT_LIMIT_FLOOR.0
        {
            budget = memory.0.saturating_sub(pg_full);
            formula = format!("⌊({memory}{pg_term}) / {processes} processes⌋ to 64 MiB (no OS reserve: small host)");
        }
        let soft = soft_limit(Bytes(budget), processes);
        let ceiling = memory.0.saturating_sub(pg_rule) / processes.max(1);
        let mut inputs = vec![p.memory_input(), Input::new("processes", processes, "planned above")];
        if pg_full > 0 {
            inputs.push(Input::new(
                "PostgreSQL",
                Bytes(pg_full),
                "shared_buffers + max_connections × work_mem + maintenance_work_mem",
            ));
        }
        let soft_eff = push(
            p,
            "limit_memory_soft",
            Kind::Bytes,
            Value::bytes(soft, soft.to_string()),
            Goal::Near,
            Bounds::at_most(ceiling as f64),
            format!("{formula}, at most Odoo's default {SOFT_LIMIT_DEFAULT} = {}", Bytes(soft)),
            inputs,
        )
        .amount
        .max(0.0) as u64;
        p.odoo.soft = soft_eff;
        p.odoo.gevent_soft = soft_eff;
        let hard = hard_limit(soft_eff);
        push(
            p,
            "limit_memory_hard",
            Kind::Bytes,
            Value::bytes(hard, hard.to_string()),
            Goal::Sane,
            Bounds::between(soft_eff.saturating_add(soft_eff / 4) as f64, soft_eff.saturating_mul(3) as f64),
            format!(
                "max(1.25 × soft, soft + 512 MiB) = {} (Odoo's ratio 2560/2048; RLIMIT_AS caps virtual size, so it stays above the soft limit); yours is kept between 1.25 and 3 × soft",
                Bytes(hard)
            ),
            vec![Input::new("limit_memory_soft", Bytes(soft_eff), "planned above")],
        );
        // 18+: the gevent process's own limits, when the user set them.
        if major >= 18 && p.stack.odoo.get("limit_memory_soft_gevent").is_some() {
            let g = push(
                p,
                "limit_memory_soft_gevent",
                Kind::Bytes,
                Value::bytes(soft_eff, soft_eff.to_string()),
                Goal::Near,
                Bounds::at_most(ceiling as f64),
                "the same as `limit_memory_soft`: the gevent process is counted at the soft limit".into(),
                vec![],
            );
            p.odoo.gevent_soft = g.amount.max(0.0) as u64;
        }
        if major >= 18 && p.stack.odoo.get("limit_memory_hard_gevent").is_some() {
            let gh = hard_limit(p.odoo.gevent_soft);
            push(
                p,
                "limit_memory_hard_gevent",
                Kind::Bytes,
                Value::bytes(gh, gh.to_string()),
                Goal::Sane,
                Bounds::between(
                    p.odoo.gevent_soft.saturating_add(p.odoo.gevent_soft / 4) as f64,
                    p.odoo.gevent_soft.saturating_mul(3) as f64,
                ),
                "as `limit_memory_hard`, over the gevent soft limit".into(),
                vec![],
            );
        }
    }
    // Time limits: the user's are kept when sane.
    let real_now = p.stack.odoo.int("limit_time_real").map(|t| t.value).unwrap_or(TIME_REAL_DEFAULT);
    let (lo, hi) = TIME_REAL_RANGE;
    let real_target = if real_now <= 0 { TIME_REAL_DEFAULT } else { real_now.clamp(lo, hi) };
    let real = push(
        p,
        "limit_time_real",
        Kind::Seconds,
        Value::seconds(real_target as u64, real_target.to_string()),
        Goal::Sane,
        Bounds::between(lo as f64, hi as f64),
        format!("yours when between {lo} s and {hi} s, else the nearest of those (Odoo's default {TIME_REAL_DEFAULT} s when unset or off)"),
        vec![],
    )
    .int();
    p.odoo.limit_time_real = real;
    let cpu_target = (real / 2).max(1);
    let cpu_target = cpu_target.min(i64::MAX / 2);
    push(
        p,
        "limit_time_cpu",
        Kind::Seconds,
        Value::seconds(cpu_target as u64, cpu_target.to_string()),
        Goal::Sane,
        Bounds::between(1.0, real.saturating_sub(1).max(1) as f64),
        format!("yours when below `limit_time_real` ({real} s), else half of it (Odoo's defaults 60/120 s; OL302)"),
        vec![Input::new("limit_time_real", format!("{real} s"), "planned above")],
    );
    if has_option(p, "limit_time_real_cron")
        && let Some(t) = p.stack.odoo.int("limit_time_real_cron")
    {
        let (target, formula) = if t.value == 0 {
            let v = real.max(CRON_TIME_FLOOR);
            (v, format!("max(limit_time_real {real} s, {CRON_TIME_FLOOR} s) = {v}: 0 turns the cron watchdog off (OL303)"))
        } else {
            (t.value, "yours (-1: the same as `limit_time_real`)".to_string())
        };
        push(
            p,
            "limit_time_real_cron",
            Kind::Seconds,
            Value { amount: target as f64, ..Value::seconds(target.max(0) as u64, target.to_string()) },
            Goal::Near,
            Bounds::NONE,
            formula,
            vec![],
        );
    }
    if p.odoo.prefork {
        let (lo, hi) = LIMIT_REQUEST_RANGE;
        let now = p.stack.odoo.int("limit_request").map(|t| t.value).unwrap_or(65536);
        let target = if (lo..=hi).contains(&now) { now } else { LIMIT_REQUEST };
        push(
            p,
            "limit_request",
            Kind::Count,
            Value::count(target),
            Goal::Sane,
            Bounds::between(lo as f64, hi as f64),
            format!("yours when between {lo} and {hi} requests per worker, else {LIMIT_REQUEST} (the deployment guide's sample)"),
            vec![],
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::units::GIB;

    /// Odoo's deployment guide, "Worker number calculation": 4 CPUs and 60 concurrent users
    /// → 60 / 6 = 10 workers needed, (4 × 2) + 1 = 9 at most → 8 HTTP workers + 1 cron; "RAM
    /// ≈ 9 × ((0.8 × 150) + (0.2 × 1024)) ≈ 3 GB".
    #[test]
    fn deployment_guide_worked_example() {
        let cron = cron_threads(4);
        assert_eq!(cron, 1);
        let w = workers(&Sizing { cpus: 4, cron, users: Some(60), queue: None, memory: Bytes(64 * GIB) });
        assert_eq!(w.by_users, Some(10));
        assert_eq!(w.by_cpu, 8);
        assert_eq!(w.value, 8, "{}", w.formula);
        assert_eq!(
            w.formula,
            "min(CPUs 2 × 4 + 1 − 1 cron = 8, users ⌈60 / 6⌉ = 10, memory ⌊64 GiB / 512 MiB⌋ − 1 cron − 1 gevent = 126) = 8"
        );
        // the guide's memory estimate for those 9 processes
        let ram = (w.value + cron) * PROCESS_ESTIMATE.0;
        assert!((2900 * MIB..=3000 * MIB).contains(&ram), "{}", Bytes(ram));
    }

    #[test]
    fn memory_binds_on_small_hosts() {
        // 4 GiB with PostgreSQL's 896 MiB and a 256 MiB reserve: ⌊2944 MiB / 512 MiB⌋ = 5 processes
        let w = workers(&Sizing { cpus: 4, cron: 1, users: None, queue: None, memory: Bytes(2944 * MIB) });
        assert_eq!((w.value, w.by_memory), (3, 3));
        // users bind when few
        let w = workers(&Sizing { cpus: 8, cron: 2, users: Some(20), queue: Some(2), memory: Bytes(32 * GIB) });
        assert_eq!(w.value, 4 + 2, "⌈20 / 6⌉ = 4 for the users, 2 for the jobs");
    }

    #[test]
    fn soft_and_hard_limits() {
        // 8 GiB host, PostgreSQL 1.75 GiB, 512 MiB reserve, 10 processes: 576 MiB each
        assert_eq!(soft_limit(Bytes(8 * GIB - 1792 * MIB - 512 * MIB), 10), 576 * MIB);
        // never above Odoo's default 2 GiB
        assert_eq!(soft_limit(Bytes(64 * GIB), 4), 2 * GIB);
        // Odoo's defaults: 2048 MiB soft → 2560 MiB hard
        assert_eq!(hard_limit(2 * GIB), 2560 * MIB);
        // small soft limits get 512 MiB above them
        assert_eq!(hard_limit(576 * MIB), 1088 * MIB);
    }

    #[test]
    fn channels_keep_their_shape() {
        assert_eq!(crate::rules::modules::with_root_capacity("root:4", 2), "root:2");
        assert_eq!(crate::rules::modules::with_root_capacity("root:4,mail:2", 3), "root:3,mail:2");
        assert_eq!(crate::rules::modules::with_root_capacity("mail:2, root : 4 : sequential", 1), "mail:2, root:1:sequential");
        assert_eq!(crate::rules::modules::with_root_capacity("root", 2), "root:2");
    }
}

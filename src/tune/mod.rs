//! `odoo-lint tune`: computes what the stack's capacity settings should be for its machine and
//! workload, and writes them as a reviewable diff.
//!
//! `check` finds what is wrong; `tune` computes what is right. For each stack it builds a
//! [`StackPlan`] ([`plan`](mod@plan)): every value with its formula and inputs, in an order where each
//! formula sees the values decided before it (PostgreSQL's memory, Odoo's workers, the
//! connection pools, PostgreSQL's connections and work memory, Odoo's memory and time limits,
//! then nginx and the operating system). The formulas use the same figures as the rules
//! ([`crate::stack::budget`]), so a tuned stack is clean by construction; `write` applies the
//! plan through the fix engine ([`crate::fix::run_passes`]).
//!
//! Modules: [`plan`](mod@plan) (items, decisions), [`odoo`], [`postgres`], [`nginx`], [`os`] (the
//! formulas), [`picture`] (the budget bars), [`render`] (text and JSON), [`write`](mod@write) (edits),
//! [`command`] (the subcommand).

pub mod command;
pub mod nginx;
pub mod odoo;
pub mod os;
pub mod picture;
pub mod plan;
pub mod postgres;
pub mod render;
pub mod write;

use crate::diagnostic::Severity;
use crate::files::FileSet;
use crate::host::{Fact, FactOrigin, HostFact};
use crate::rules::Ctx;
use crate::stack::Stack;
use crate::units::Bytes;
use plan::{Bounds, Current, Decision, Goal, Input, Item, Note, Place, Value};

/// The database's storage, for PostgreSQL's planner costs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Storage {
    #[default]
    Ssd,
    Hdd,
}

/// What the user tells `tune` beyond the files.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Concurrent users at the busiest hour, and where the figure came from.
    pub users: Option<Fact<u64>>,
    /// Settings never to change (`[tune] keep`).
    pub keep: Vec<String>,
    pub storage: Storage,
}

impl Options {
    /// Reads `[tune]` of odoo-lint.toml under the command line's `--users`.
    pub fn from_config(config: &crate::config::Config, users_flag: Option<u64>) -> Options {
        let section = config.file.tune.clone().unwrap_or_default();
        let users = match (users_flag, section.users) {
            (Some(u), _) => Some(Fact { value: u, origin: FactOrigin::Flag("--users") }),
            (None, Some(u)) => Some(Fact { value: u, origin: FactOrigin::Config(config.display()) }),
            _ => None,
        };
        let storage = if section.storage.as_deref() == Some("hdd") { Storage::Hdd } else { Storage::Ssd };
        Options { users, keep: section.keep, storage }
    }

    pub fn pinned(&self, key: &str) -> bool {
        self.keep.iter().any(|k| k.trim().eq_ignore_ascii_case(key))
    }
}

/// The machine a stack's plan is for.
#[derive(Clone, Debug)]
pub struct Host {
    pub cpus: Fact<u32>,
    /// The memory Odoo gets: the host's, or the Odoo service's own limit.
    pub memory: Fact<Bytes>,
    /// The memory PostgreSQL's formulas start from: the host's when it shares Odoo's budget
    /// (or there is no Odoo), else what Odoo's own limit leaves of the host; `None` when the
    /// host's memory is unknown.
    pub pg_memory: Option<Fact<Bytes>>,
    /// The host's memory, for the rules' accounting of PostgreSQL's share (OL404).
    pub host_memory: Option<Fact<Bytes>>,
    /// PostgreSQL takes its memory from Odoo's budget (same host, no limit of Odoo's own).
    pub pg_shares_budget: bool,
}

/// Everything `tune` computed for one stack.
#[derive(Clone, Debug)]
pub struct StackPlan {
    pub stack: String,
    pub version: String,
    pub host: Host,
    pub items: Vec<Item>,
    pub notes: Vec<Note>,
    pub budget: picture::Budget,
}

impl StackPlan {
    pub fn changes(&self) -> impl Iterator<Item = &Item> {
        self.items.iter().filter(|i| i.decision.changes())
    }
}

/// Computes the plan of `stack`. `Err` names the host facts that are missing.
pub fn plan(files: &FileSet, stack: &Stack, opts: &Options) -> Result<StackPlan, Vec<HostFact>> {
    let mut missing = Vec::new();
    if stack.host.cpus.is_none() {
        missing.push(HostFact::Cpus);
    }
    if stack.host.memory.is_none() {
        missing.push(HostFact::Memory);
    }
    let (Some(cpus), Some(memory)) = (stack.host.cpus.clone(), stack.host.memory.clone()) else { return Err(missing) };
    let unit_limited = matches!(memory.origin, FactOrigin::Unit(_));
    let host_memory = match stack.system.host_memory.clone() {
        Some(h) => Some(h),
        None if unit_limited => None,
        None => Some(memory.clone()),
    };
    let pg_memory = match &host_memory {
        // Odoo's unit has its own limit: PostgreSQL, outside it, lives in what it leaves.
        Some(h) if unit_limited && stack.has_odoo() => Some(Fact {
            value: Bytes(h.value.0.saturating_sub(memory.value.0)),
            origin: FactOrigin::Unit(format!("the host's {} ({}) − {} ({})", h.value, h.origin, memory.value, memory.origin)),
        }),
        other => other.clone(),
    };
    // an Odoo container whose settings we cannot read still shares the host with PostgreSQL
    let runs_odoo = stack.has_odoo() || stack.compose.iter().any(|m| m.odoo_service().is_some());
    let pg_shares_budget = runs_odoo && !stack.postgres.is_empty() && !unit_limited;
    let host = Host { cpus, memory, pg_memory, host_memory, pg_shares_budget };
    let mut p = Planner::new(files, stack, opts, host);
    postgres::plan_memory(&mut p);
    odoo::plan_processes(&mut p);
    postgres::plan_connections(&mut p);
    odoo::plan_limits(&mut p);
    nginx::plan(&mut p);
    os::plan(&mut p);
    let budget = picture::Budget::of(&p);
    Ok(StackPlan {
        stack: stack.name.clone(),
        version: stack.version.label(),
        host: p.host,
        items: p.items,
        notes: p.notes,
        budget,
    })
}

/// What the planner decided about Odoo so far (each formula reads the ones before it).
#[derive(Clone, Debug, Default)]
pub struct OdooState {
    pub known: bool,
    pub prefork: bool,
    pub http: u64,
    pub cron: u64,
    pub gevent: u64,
    /// The pool of each HTTP and cron worker, and of the gevent process.
    pub db_maxconn: u64,
    pub gevent_pool: u64,
    pub soft: u64,
    pub gevent_soft: u64,
    pub limit_time_real: i64,
}

impl OdooState {
    /// Processes that hold memory and connections (one in threaded mode).
    pub fn processes(&self) -> u64 {
        if self.prefork { self.http.saturating_add(self.cron).saturating_add(self.gevent) } else { 1 }
    }
    /// Every pool at its maximum.
    pub fn pools(&self) -> u64 {
        if self.prefork {
            self.http
                .saturating_add(self.cron)
                .saturating_mul(self.db_maxconn)
                .saturating_add(self.gevent.saturating_mul(self.gevent_pool))
        } else {
            self.db_maxconn
        }
    }
}

/// What the planner decided about one PostgreSQL server.
#[derive(Clone, Debug, Default)]
pub struct PgState {
    pub shared_buffers: u64,
    pub maintenance_work_mem: u64,
    pub max_connections: u64,
    pub work_mem: u64,
    pub reserved: u64,
    /// Odoo may connect to it (its `db_host`/`db_port` do not rule it out).
    pub odoo_uses: bool,
}

impl PgState {
    /// Its memory as the rules count it: `shared_buffers` + `max_connections` × `work_mem`
    /// (+ `maintenance_work_mem`, which OL404 adds).
    pub fn share(&self, with_maintenance: bool) -> u64 {
        self.shared_buffers
            .saturating_add(self.max_connections.saturating_mul(self.work_mem))
            .saturating_add(if with_maintenance { self.maintenance_work_mem } else { 0 })
    }
}

/// A value about to join the plan.
pub struct Draft {
    pub key: &'static str,
    pub place: Place,
    pub location: String,
    pub current: Current,
    pub target: Value,
    pub goal: Goal,
    pub bounds: Bounds,
    pub formula: String,
    pub inputs: Vec<Input>,
    /// `Err(where to set it)` when no file edit can change the current value.
    pub writable: Result<(), String>,
}

/// The plan in the making.
pub struct Planner<'a> {
    pub files: &'a FileSet,
    pub stack: &'a Stack,
    /// For the rules' helpers (which PostgreSQL servers Odoo uses, queue_job's channels, …).
    pub ctx: Ctx<'a>,
    pub opts: &'a Options,
    pub host: Host,
    pub items: Vec<Item>,
    pub notes: Vec<Note>,
    pub odoo: OdooState,
    pub pg: Vec<PgState>,
}

impl<'a> Planner<'a> {
    pub fn new(files: &'a FileSet, stack: &'a Stack, opts: &'a Options, host: Host) -> Planner<'a> {
        Planner {
            files,
            stack,
            ctx: Ctx::new(files, stack),
            opts,
            host,
            items: Vec::new(),
            notes: Vec::new(),
            odoo: OdooState::default(),
            pg: vec![PgState::default(); stack.postgres.len()],
        }
    }

    /// Decides `draft` and adds it; returns the value the stack has afterwards.
    pub fn push(&mut self, d: Draft) -> Value {
        let decision = if self.opts.pinned(d.key) {
            Decision::Pinned
        } else {
            match plan::decide(d.current.value.as_ref(), &d.target, d.goal, d.bounds) {
                // the same text: nothing to write, whatever the bounds say
                Decision::Change if d.current.value.as_ref().is_some_and(|c| c.written == d.target.written) => Decision::Equal,
                Decision::Change => match d.writable {
                    Ok(()) => Decision::Change,
                    Err(why) => Decision::Blocked(why),
                },
                other => other,
            }
        };
        let item = Item {
            key: d.key,
            place: d.place,
            location: d.location,
            current: d.current,
            target: d.target,
            goal: d.goal,
            bounds: d.bounds,
            formula: d.formula,
            inputs: d.inputs,
            decision,
        };
        let effective = item.effective().clone();
        // A kept value that breaks a rule's threshold: say so, with the rule.
        if matches!(item.decision, Decision::Pinned | Decision::Blocked(_))
            && let Some(c) = &item.current.value
            && !item.bounds.contains(c.amount)
        {
            let why = match &item.decision {
                Decision::Blocked(w) => w.clone(),
                _ => "pinned by `[tune] keep`".to_string(),
            };
            self.notes.push(Note {
                severity: Severity::Warning,
                code: None,
                text: format!("`{}` stays {c} ({why}), outside what the rules accept; tune planned around it", item.key),
            });
        }
        self.items.push(item);
        effective
    }

    pub fn note(&mut self, severity: Severity, code: Option<&'static str>, text: impl Into<String>) {
        self.notes.push(Note { severity, code, text: text.into() });
    }

    pub fn cpus_input(&self) -> Input {
        Input::new("CPUs", self.host.cpus.value, &self.host.cpus.origin)
    }

    pub fn memory_input(&self) -> Input {
        Input::new("memory", self.host.memory.value, &self.host.memory.origin)
    }

    /// The display path of a file.
    pub fn display(&self, file: crate::source::FileId) -> String {
        self.files.source(file).display.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pins_are_case_insensitive() {
        let o = Options { keep: vec!["Max_Connections ".into()], ..Default::default() };
        assert!(o.pinned("max_connections"));
        assert!(!o.pinned("work_mem"));
    }
}

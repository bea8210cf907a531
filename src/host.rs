//! Host facts: the CPUs and memory the stack runs on, and where each figure came from.
//!
//! Precedence: command-line flags, then `[host]` in odoo-lint.toml (a stack's own `host`
//! first), then detection on the machine itself. Detection happens only when linting the live
//! system (`--system`, or files under `/etc`): odoo-lint usually runs on a laptop or a CI
//! runner, whose CPUs say nothing about the server. Unknown facts stay unknown.

use crate::units::Bytes;
use std::fmt;

/// Where a host figure came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FactOrigin {
    /// `--cpus` or `--memory`.
    Flag(&'static str),
    /// `[host]` in an odoo-lint.toml.
    Config(String),
    /// Read from this machine.
    Detected(String),
    /// A limit of the service itself (`MemoryMax=2G in odoo.service`), smaller than the host's.
    Unit(String),
}

impl fmt::Display for FactOrigin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FactOrigin::Flag(flag) => write!(f, "from {flag}"),
            FactOrigin::Config(path) => write!(f, "from [host] in {path}"),
            FactOrigin::Detected(how) => write!(f, "detected: {how}"),
            FactOrigin::Unit(what) => write!(f, "from {what}"),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fact<T> {
    pub value: T,
    pub origin: FactOrigin,
}

/// A host fact a rule may need.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub enum HostFact {
    Cpus,
    Memory,
}

impl HostFact {
    pub fn as_str(self) -> &'static str {
        match self {
            HostFact::Cpus => "CPUs",
            HostFact::Memory => "memory",
        }
    }
    /// How a user gives this fact.
    pub fn how(self) -> &'static str {
        match self {
            HostFact::Cpus => "`--cpus N` or `cpus = N` under `[host]` in odoo-lint.toml",
            HostFact::Memory => "`--memory 16GiB` or `memory = \"16GiB\"` under `[host]` in odoo-lint.toml",
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HostFacts {
    pub cpus: Option<Fact<u32>>,
    pub memory: Option<Fact<Bytes>>,
}

impl HostFacts {
    /// Fills what `self` lacks from `other`.
    pub fn or(mut self, other: &HostFacts) -> HostFacts {
        if self.cpus.is_none() {
            self.cpus = other.cpus.clone();
        }
        if self.memory.is_none() {
            self.memory = other.memory.clone();
        }
        self
    }
}

/// Reads this machine's CPUs and memory, honouring cgroup limits (a container's quota).
pub fn detect() -> HostFacts {
    let cpus = std::thread::available_parallelism().ok().map(|n| Fact {
        value: n.get() as u32,
        origin: FactOrigin::Detected("CPUs available to this process (affinity and cgroup quota)".into()),
    });
    let memory = detect_memory();
    HostFacts { cpus, memory }
}

fn detect_memory() -> Option<Fact<Bytes>> {
    use sysinfo::{MemoryRefreshKind, RefreshKind, System};
    let sys = System::new_with_specifics(RefreshKind::nothing().with_memory(MemoryRefreshKind::nothing().with_ram())).ok()?;
    let total = sys.total_memory();
    if total == 0 {
        return None;
    }
    if let Some(limits) = sys.cgroup_limits()
        && limits.total_memory > 0
        && limits.total_memory < total
    {
        return Some(Fact { value: Bytes(limits.total_memory), origin: FactOrigin::Detected("cgroup memory limit".into()) });
    }
    Some(Fact { value: Bytes(total), origin: FactOrigin::Detected("total RAM of this machine".into()) })
}

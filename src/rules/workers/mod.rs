//! OL1xx: workers against the host's CPUs.

pub mod cron_threads_disabled;
pub mod workers_disabled;
pub mod workers_exceed_cpu;
pub mod workers_underuse_cpu;

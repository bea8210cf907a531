//! OL2xx: memory limits against the host budget.

pub mod memory_below_version_floor;
pub mod memory_limits_inverted;
pub mod memory_limits_threaded;
pub mod memory_overcommit;
pub mod ram_per_worker_low;
pub mod soft_limit_exceeds_budget;

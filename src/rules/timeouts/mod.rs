//! OL3xx: timeouts, shutdown and health.

pub mod cpu_limit_not_below_real;
pub mod cron_time_unbounded;
pub mod stop_grace_too_short;

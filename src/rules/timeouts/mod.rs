//! OL3xx: timeouts, shutdown and health.

pub mod cpu_limit_not_below_real;
pub mod cron_time_unbounded;
pub mod healthcheck_start_too_short;
pub mod healthcheck_too_aggressive;
pub mod healthcheck_wrong_endpoint;
pub mod proxy_timeout_below_odoo;
pub mod stop_grace_too_short;

//! OL8xx: security.

pub mod admin_password_weak;
pub mod database_manager_exposed;
pub mod dbfilter_missing;

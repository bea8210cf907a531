//! OL8xx: security.

pub mod admin_password_weak;
pub mod database_manager_exposed;
pub mod dbfilter_missing;
pub mod odoo_port_bypasses_proxy;
pub mod plaintext_secret_in_compose;
pub mod postgres_port_published;

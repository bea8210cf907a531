//! odoo-lint: lints and tunes the configuration of an Odoo deployment as one stack.

pub mod formats;
pub mod odoo;
pub mod source;
pub mod units;

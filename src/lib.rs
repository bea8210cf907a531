//! odoo-lint: lints and tunes the configuration of an Odoo deployment as one stack.
//!
//! Data flows one way: [`discover`] finds files and tells their kinds, [`files`] parses each
//! once into a lossless tree ([`formats`]), [`workspace`] groups them into [`stack`]s with their
//! host facts and Odoo version, [`lint`] runs the [`rules`], and [`render`] prints the
//! [`diagnostic`]s.

pub mod baseline;
pub mod cli;
pub mod config;
pub mod diagnostic;
pub mod discover;
pub mod files;
pub mod fix;
pub mod fleet;
pub mod formats;
pub mod fscache;
#[doc(hidden)]
pub mod fuzzing;
pub mod host;
pub mod lint;
pub mod odoo;
pub mod render;
pub mod rules;
pub mod secrets;
pub mod source;
pub mod stack;
pub mod suggest;
pub mod suppress;
pub mod tune;
pub mod units;
pub mod workspace;

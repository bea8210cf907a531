//! postgresql.conf, read with PostgreSQL's own semantics (PostgreSQL 15: guc-file.l and guc.c).
//!
//! - [`PgConf::parse`]: one file to a lossless tree ([`syntax`]): every setting with the
//!   ranges of its name, value (with and without quotes) and trailing comment; commented-out
//!   settings (`#shared_buffers = 128MB`); syntax errors in PostgreSQL's words.
//! - [`PgConfig`]: the main file with its includes and postgresql.auto.conf (and a command
//!   line), resolved the way the server resolves them ([`resolve`]): the winning value of each
//!   parameter, its file and span, the occurrences it overrides, typed accessors in bytes and
//!   milliseconds, the errors that stop the server from starting, and where to edit.
//! - [`parse_command_line`]: `-c name=value` and friends on a `postgres` command line ([`argv`]).
//! - [`params`]: the type, unit and range of every parameter, from the real server.
//! - [`value`]: numbers, units, booleans and enums as PostgreSQL reads them.

pub mod argv;
pub mod edit;
pub mod fs;
pub mod include;
pub mod params;
pub mod resolve;
mod scan;
pub mod syntax;
pub mod value;

pub use argv::{ArgError, ArgSetting, CommandLine, parse_command_line, postgres_at};
pub use edit::{EditLocation, TextEdit, format_value, quote};
pub use fs::{ConfigFs, MemFs, RealFs};
pub use include::{IncludeProblem, IncludeProblemKind};
pub use params::{ParamDef, VarType, lookup};
pub use resolve::{AutoConf, ConfFile, Effective, FileRole, Origin, ParamView, PgConfig, StartupError, ValueProblem};
pub use syntax::{CommentedSetting, Line, LineKind, Name, PgConf, Setting, Token, TokenKind, Value};
pub use value::{TypedValue, ValueError, ValueErrorKind};

#[cfg(test)]
mod syntax_tests;
#[cfg(test)]
mod tests;

//! docker-compose files, read the way `docker compose config` (compose-go v2) reads them.
//!
//! Layers, each usable alone:
//! - [`yaml`]: a lossless YAML tree over saphyr's event parser, byte spans for every node,
//!   anchor, tag and comment;
//! - [`interpolate`] and [`dotenv`]: compose-go's `${VAR…}` templates and `.env` files;
//! - [`value`]: YAML nodes as compose data (aliases, `<<` merge keys, duplicate keys,
//!   interpolation), every value with its origin;
//! - [`merge`]: compose's rules for documents, override files and `extends`;
//! - [`loader`]: a [`Project`] from files (override discovery, `.env`, `extends`,
//!   `env_file`), never failing: problems are [`ComposeError`]s with exact ranges;
//! - [`model`]: typed services (ports, volumes, ulimits, healthcheck, limits…);
//! - [`syntax`]: the short syntaxes (shell words, ports, volumes, image references);
//! - [`validate`]: the checks compose makes before accepting a project;
//! - [`edit`]: where a fix should write a service's key.
//!
//! Checked against `docker-compose config --format json` (v2.40.3) on the corpus and the
//! fixtures in `fixtures/parsers/compose/` by `tests/compose_oracle.rs`.

pub mod dotenv;
pub mod edit;
pub mod interpolate;
pub mod loader;
pub mod merge;
pub mod model;
pub mod syntax;
pub mod validate;
pub mod value;
pub mod yaml;

pub use loader::{FileSystem, LoadOptions, MemoryFs, Project, RealFs, load};
pub use model::Service;

use crate::formats::SyntaxError;
use crate::source::FileId;

/// What went wrong, for rules that report some kinds (OL001 parse errors, OL006 missing
/// files) and not others.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// The YAML itself (syntax, duplicate keys, aliases), as compose refuses it.
    Yaml,
    /// A `.env` file compose cannot read.
    DotEnv,
    /// `${VAR:?msg}` with VAR unset, or an invalid template.
    Interpolation,
    /// The data does not fit the compose model (wrong type, bad port, unknown service…).
    Model,
    /// An `extends` file or a required `env_file` that does not exist (rule OL006).
    MissingFile,
    /// `extends` that comes back to itself.
    ExtendsCycle,
}

/// An error in one file of a compose project, with its exact range.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ComposeError {
    pub file: FileId,
    pub kind: ErrorKind,
    pub error: SyntaxError,
}

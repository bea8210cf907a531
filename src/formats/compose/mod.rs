//! docker-compose files, read the way `docker compose config` (compose-go v2) reads them.

pub mod dotenv;
pub mod interpolate;
pub mod yaml;

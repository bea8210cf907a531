//! docker-compose files, read the way `docker compose config` (compose-go v2) reads them.

pub mod yaml;

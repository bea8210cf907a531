//! The figures capacity rules compare with, each with its source.

use crate::units::{Bytes, GIB, MIB};

/// What one Odoo process really uses, on average: Odoo's deployment guide assumes 80 % light
/// requests at about 150 MB and 20 % heavy ones at about 1 GB per worker,
/// `0.8 × 150 MB + 0.2 × 1 GB ≈ 325 MB` (odoo/documentation, administration/on_premise/deploy.rst,
/// "Worker number calculation" / "Memory size calculation").
pub const PROCESS_ESTIMATE: Bytes = Bytes(325 * MIB);

/// Below this much memory per process the OOM killer visits under ordinary load; 1 GiB is
/// recommended for production (seed 000, "Step 4 — Check for OOM Kills").
pub const RAM_PER_PROCESS_MIN: Bytes = Bytes(512 * MIB);
pub const RAM_PER_PROCESS_RECOMMENDED: Bytes = Bytes(GIB);

/// Padding added to a version's memory floor (seed 003, "Version-aware memory floors").
pub const FLOOR_PADDING: Bytes = Bytes(256 * MIB);

/// The smallest memory an Odoo major version boots and serves in (seed 003: "Odoo 14 boots on
/// 1GB. Odoo 18 needs at least 1.5GB … Odoo 19 … wants 2GB minimum"). Odoo publishes no
/// official minimum; these are a hosting platform's field figures.
pub fn version_floor(major: u8) -> Bytes {
    match major {
        0..=17 => Bytes(GIB),
        18 => Bytes(3 * GIB / 2),
        _ => Bytes(2 * GIB),
    }
}

/// Odoo's rule of thumb for how many workers (HTTP + cron) a machine's CPUs serve:
/// `(#CPU × 2) + 1` (deployment guide, "Worker number calculation").
pub fn max_workers_for(cpus: u32) -> u64 {
    cpus as u64 * 2 + 1
}

/// The smallest `limit_memory_soft` worth setting: below 512 MiB of virtual size an Odoo
/// worker is recycled after nearly every request (its address space alone is several hundred
/// MB; Odoo's deployment guide samples 600 MiB). OL206's fix and `tune` stop here.
pub const SOFT_LIMIT_FLOOR: Bytes = Bytes(512 * MIB);

/// Odoo's default `limit_memory_soft` (2048 MiB, odoo/tools/config.py): `tune` never proposes
/// more, since a larger soft limit only delays recycling a worker that leaks.
pub const SOFT_LIMIT_DEFAULT: Bytes = Bytes(2 * GIB);

/// Odoo's sizing figure: one worker serves about 6 concurrent users (deployment guide,
/// "Worker number calculation").
pub const USERS_PER_WORKER: u64 = 6;

/// Memory kept for the kernel, page cache, nginx and the other daemons when `tune` splits a
/// budget: 1/16 of it, at least 256 MiB and at most 2 GiB (odoo-lint's figure; pgtune and
/// timescaledb-tune give PostgreSQL the whole machine and keep no such reserve).
pub fn os_reserve(memory: Bytes) -> Bytes {
    Bytes((memory.0 / 16).clamp(256 * MIB, 2 * GIB))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures() {
        // the deployment guide's worked example: 4 CPUs → at most 9 workers and cron threads
        assert_eq!(max_workers_for(4), 9);
        assert_eq!(os_reserve(Bytes(8 * GIB)), Bytes(512 * MIB));
        assert_eq!(os_reserve(Bytes(GIB)), Bytes(256 * MIB));
        assert_eq!(os_reserve(Bytes(256 * GIB)), Bytes(2 * GIB));
        assert_eq!(version_floor(18), Bytes(3 * GIB / 2));
    }
}

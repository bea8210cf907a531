//! Typed readings of single systemd values, each as systemd's own parser reads it.
//!
//! * `Limit*=`: `rlimit_parse()` (src/basic/rlimit-util.c): `N` or `soft:hard`, each a number
//!   (`safe_atou64`, so `0x100` and `010` are hex and octal) or `infinity`; a soft limit above
//!   the hard one is refused. No spaces around the `:`.
//! * `MemoryMax=`, `MemoryHigh=`, `MemoryLimit=`… (`config_parse_memory_limit`, load-fragment.c):
//!   `infinity`, a percentage of physical memory (`parse_permyriad`: `50%`, `12.5%`, `12.55%`,
//!   `10‰`, `5‱`, at most 100 %), or a size in base 1024 ([`parse_systemd_size`]); `0` is out
//!   of range for the maximum/high/limit keys.
//! * `CPUQuota=` (`config_parse_cpu_quota`): a percentage above 0, which may exceed 100 %.
//! * `TimeoutStopSec=`, `TimeoutSec=` (`config_parse_service_timeout` → `parse_sec_fix_0`): a time
//!   span where `0` means infinity ([`parse_systemd_timespan`]).
//!
//! Each function returns `Err(message)` with the words systemd logs when it ignores the value.

use crate::units::{Bytes, SystemdTimespan, parse_systemd_size, parse_systemd_timespan};

/// One side of a resource limit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum RlimitValue {
    Finite(u64),
    Infinity,
}

/// `Limit*=`: soft and hard limit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rlimit {
    pub soft: RlimitValue,
    pub hard: RlimitValue,
}

/// systemd's built-in `LimitNOFILE=` when a unit sets none: soft 1024, hard 524288
/// (systemd.exec(5) "Process properties", and systemd-system.conf(5) `DefaultLimitNOFILE=`;
/// the hard limit was raised to 512K in systemd 240, NEWS). The manager may lower the hard
/// limit to the kernel's `fs.nr_open`.
pub const DEFAULT_LIMIT_NOFILE: Rlimit = Rlimit { soft: RlimitValue::Finite(1024), hard: RlimitValue::Finite(524_288) };

/// systemd's `DefaultTimeoutStopSec=`: 90 s (systemd-system.conf(5)).
pub const DEFAULT_TIMEOUT_STOP: SystemdTimespan = SystemdTimespan::Usec(90_000_000);

/// `safe_atou64()`: optional leading whitespace and `+`, base prefix `0x`/`0` honoured, nothing
/// after the digits.
fn safe_atou64(s: &str) -> Option<u64> {
    let s = s.trim_start_matches([' ', '\t', '\n', '\r']);
    let s = s.strip_prefix('+').unwrap_or(s);
    if s.is_empty() {
        return None;
    }
    if let Some(hex) = s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        return u64::from_str_radix(hex, 16).ok();
    }
    if s.len() > 1 && s.starts_with('0') {
        return u64::from_str_radix(&s[1..], 8).ok();
    }
    if !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

fn rlimit_one(s: &str) -> Option<RlimitValue> {
    if s == "infinity" {
        return Some(RlimitValue::Infinity);
    }
    let v = safe_atou64(s)?;
    if v == u64::MAX { None } else { Some(RlimitValue::Finite(v)) }
}

/// `LimitNOFILE=` (and the other count limits: `LimitNPROC=`, `LimitSIGPENDING=`…).
pub fn parse_rlimit(s: &str) -> Result<Rlimit, String> {
    let (soft, hard) = match s.split_once(':') {
        Some((a, b)) => (rlimit_one(a), rlimit_one(b)),
        None => {
            let v = rlimit_one(s);
            (v, v)
        }
    };
    match (soft, hard) {
        (Some(soft), Some(hard)) if soft > hard => {
            Err(format!("soft resource limit chosen higher than hard limit, ignoring: {s}"))
        }
        (Some(soft), Some(hard)) => Ok(Rlimit { soft, hard }),
        _ => Err(format!("failed to parse resource value, ignoring: {s}")),
    }
}

/// A memory limit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MemoryLimit {
    Bytes(Bytes),
    /// Per ten thousand of physical memory (`50%` = 5000).
    Permyriad(u32),
    Infinity,
}

/// `parse_permyriad()` (src/basic/percent-util.c): `N%`, `N.N%`, `N.NN%`, `N‰`, `N.N‰`, `N‱`.
/// Unbounded: the caller checks the range.
fn parse_permyriad_unbounded(s: &str) -> Option<u64> {
    let (num, scale, max_decimals) = if let Some(n) = s.strip_suffix('%') {
        (n, 100u64, 2usize)
    } else if let Some(n) = s.strip_suffix('\u{2030}') {
        (n, 10, 1)
    } else if let Some(n) = s.strip_suffix('\u{2031}') {
        (n, 1, 0)
    } else {
        return None;
    };
    let (int, frac) = match num.split_once('.') {
        Some((i, f)) => (i, f),
        None => (num, ""),
    };
    if int.is_empty() || !int.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if num.contains('.') && (frac.is_empty() || frac.len() > max_decimals || !frac.bytes().all(|b| b.is_ascii_digit())) {
        return None;
    }
    let mut v: u64 = int.parse().ok()?;
    v = v.checked_mul(scale)?;
    let mut unit = scale;
    for d in frac.bytes() {
        unit /= 10;
        v = v.checked_add(u64::from(d - b'0') * unit)?;
    }
    (v <= i32::MAX as u64).then_some(v)
}

/// `MemoryMax=`, `MemoryHigh=`, `MemoryLimit=`, `MemorySwapMax=`… (a non-empty value).
/// `zero_ok`: `MemoryLow=`, `MemoryMin=`, `MemorySwapMax=` accept 0.
pub fn parse_memory_limit(s: &str, zero_ok: bool) -> Result<MemoryLimit, String> {
    if s == "infinity" {
        return Ok(MemoryLimit::Infinity);
    }
    if let Some(p) = parse_permyriad_unbounded(s) {
        if p > 10_000 {
            return Err(format!("memory limit '{s}' out of range, ignoring"));
        }
        return Ok(MemoryLimit::Permyriad(p as u32));
    }
    if s.ends_with(['%', '\u{2030}', '\u{2031}']) {
        return Err(format!("invalid memory limit '{s}', ignoring"));
    }
    match parse_systemd_size(s) {
        Some(Bytes(0)) if !zero_ok => Err(format!("memory limit '{s}' out of range, ignoring")),
        Some(Bytes(u64::MAX)) => Err(format!("memory limit '{s}' out of range, ignoring")),
        Some(b) => Ok(MemoryLimit::Bytes(b)),
        None => Err(format!("invalid memory limit '{s}', ignoring")),
    }
}

/// `CPUQuota=` (a non-empty value): per ten thousand of one CPU (`150%` = 15000).
pub fn parse_cpu_quota(s: &str) -> Result<u64, String> {
    match parse_permyriad_unbounded(s) {
        Some(p) if p > 0 => Ok(p),
        _ => Err(format!("invalid CPU quota '{s}', ignoring")),
    }
}

/// `TimeoutStopSec=`, `TimeoutStartSec=`, `TimeoutSec=`: `0` means no timeout.
pub fn parse_timeout(s: &str) -> Result<SystemdTimespan, String> {
    match parse_systemd_timespan(s) {
        Some(SystemdTimespan::Usec(0)) => Ok(SystemdTimespan::Infinity),
        Some(t) => Ok(t),
        None => Err(format!("failed to parse time value, ignoring: {s}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use RlimitValue::{Finite, Infinity};

    /// Each expectation was checked with systemd 252 (`systemd --test` dumps).
    #[test]
    fn rlimits() {
        assert_eq!(parse_rlimit("65536"), Ok(Rlimit { soft: Finite(65536), hard: Finite(65536) }));
        assert_eq!(parse_rlimit("infinity"), Ok(Rlimit { soft: Infinity, hard: Infinity }));
        assert_eq!(parse_rlimit("1024:infinity"), Ok(Rlimit { soft: Finite(1024), hard: Infinity }));
        assert_eq!(parse_rlimit("0x100"), Ok(Rlimit { soft: Finite(256), hard: Finite(256) }));
        assert_eq!(parse_rlimit("010"), Ok(Rlimit { soft: Finite(8), hard: Finite(8) }));
        assert_eq!(parse_rlimit("+5"), Ok(Rlimit { soft: Finite(5), hard: Finite(5) }));
        assert_eq!(parse_rlimit("0"), Ok(Rlimit { soft: Finite(0), hard: Finite(0) }));
        for bad in ["10:5", "infinity:1000", "1K", " 100 : 200", "-1", "1024:", ":1024", ""] {
            assert!(parse_rlimit(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn memory_limits() {
        assert_eq!(parse_memory_limit("2G", false), Ok(MemoryLimit::Bytes(Bytes(2 << 30))));
        assert_eq!(parse_memory_limit("1G 512M", false), Ok(MemoryLimit::Bytes(Bytes(1_610_612_736))));
        assert_eq!(parse_memory_limit("infinity", false), Ok(MemoryLimit::Infinity));
        assert_eq!(parse_memory_limit("50%", false), Ok(MemoryLimit::Permyriad(5000)));
        assert_eq!(parse_memory_limit("12.5%", false), Ok(MemoryLimit::Permyriad(1250)));
        assert_eq!(parse_memory_limit("12.55%", false), Ok(MemoryLimit::Permyriad(1255)));
        assert!(parse_memory_limit("1g", false).is_err());
        assert!(parse_memory_limit("1GB", false).is_err());
        assert!(parse_memory_limit("0", false).is_err());
        assert_eq!(parse_memory_limit("0", true), Ok(MemoryLimit::Bytes(Bytes(0))));
        assert!(parse_memory_limit("101%", false).is_err());
        assert!(parse_memory_limit("12.555%", false).is_err());
    }

    #[test]
    fn cpu_quota_and_timeouts() {
        assert_eq!(parse_cpu_quota("150%"), Ok(15000));
        assert_eq!(parse_cpu_quota("12.55%"), Ok(1255));
        assert_eq!(parse_cpu_quota("10\u{2030}"), Ok(100));
        assert!(parse_cpu_quota("0%").is_err());
        assert!(parse_cpu_quota("50").is_err());
        assert_eq!(parse_timeout("0"), Ok(SystemdTimespan::Infinity));
        assert_eq!(parse_timeout("5min 20s"), Ok(SystemdTimespan::Usec(320_000_000)));
        assert!(parse_timeout("").is_err());
        assert!(parse_timeout("-5").is_err());
    }
}

//! Sizes and durations, each in the dialect of the program that reads them.
//!
//! The same letters mean different things in different files: `m` is mebibytes in a
//! Docker `mem_limit` and in nginx's `client_max_body_size`, but minutes in nginx's
//! `proxy_read_timeout`; PostgreSQL wants `MB` spelled exactly so; Odoo wants plain bytes.
//! Every parser here follows its program's own rules and says which one it is.

use std::fmt;

pub const KIB: u64 = 1024;
pub const MIB: u64 = 1024 * KIB;
pub const GIB: u64 = 1024 * MIB;
pub const TIB: u64 = 1024 * GIB;

/// A number of bytes.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, Default)]
pub struct Bytes(pub u64);

impl Bytes {
    pub fn mib(n: u64) -> Bytes {
        Bytes(n.saturating_mul(MIB))
    }
    pub fn gib(n: u64) -> Bytes {
        Bytes(n.saturating_mul(GIB))
    }
}

impl fmt::Display for Bytes {
    /// `512 MiB`, `2 GiB`, `2.5 GiB`, `1536 B`: binary units, at most one decimal, exact
    /// values without a decimal.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.0;
        let units = [(TIB, "TiB"), (GIB, "GiB"), (MIB, "MiB"), (KIB, "KiB")];
        for (size, name) in units {
            if n >= size {
                if n.is_multiple_of(size) {
                    return write!(f, "{} {name}", n / size);
                }
                let tenths = (n as f64 / size as f64 * 10.0).round() / 10.0;
                if tenths < 1024.0 {
                    return write!(f, "{tenths:.1} {name}");
                }
            }
        }
        write!(f, "{n} B")
    }
}

/// A duration in milliseconds.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, Default)]
pub struct Millis(pub u64);

impl Millis {
    pub fn secs(s: u64) -> Millis {
        Millis(s.saturating_mul(1000))
    }
    pub fn as_secs_f64(self) -> f64 {
        self.0 as f64 / 1000.0
    }
    /// Whole seconds, rounded up.
    pub fn ceil_secs(self) -> u64 {
        self.0.div_ceil(1000)
    }
}

impl fmt::Display for Millis {
    /// `60 s`, `1.5 s`, `250 ms`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ms = self.0;
        if ms.is_multiple_of(1000) {
            write!(f, "{} s", ms / 1000)
        } else if ms >= 1000 {
            write!(f, "{} s", (ms as f64 / 1000.0 * 100.0).round() / 100.0)
        } else {
            write!(f, "{ms} ms")
        }
    }
}

fn split_number(s: &str) -> Option<(&str, &str)> {
    let end = s.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(s.len());
    if end == 0 {
        return None;
    }
    Some((&s[..end], &s[end..]))
}

fn scale(number: &str, factor: u64) -> Option<u64> {
    if let Ok(n) = number.parse::<u64>() {
        return n.checked_mul(factor);
    }
    let x: f64 = number.parse().ok()?;
    if !x.is_finite() || x < 0.0 {
        return None;
    }
    let v = (x * factor as f64).round();
    if v > u64::MAX as f64 { None } else { Some(v as u64) }
}

/// Sizes a person types on our command line or in `odoo-lint.toml`: `16GiB`, `16G`, `16gb`,
/// `16 GB`, `512MiB`, `1.5g`, `2048` (bytes). Every unit is binary: memory is sold in GiB.
pub fn parse_human_bytes(s: &str) -> Option<Bytes> {
    let s = s.trim();
    let (num, unit) = split_number(s)?;
    let unit = unit.trim().to_ascii_lowercase();
    let factor = match unit.as_str() {
        "" | "b" => 1,
        "k" | "kb" | "kib" => KIB,
        "m" | "mb" | "mib" => MIB,
        "g" | "gb" | "gib" => GIB,
        "t" | "tb" | "tib" => TIB,
        _ => return None,
    };
    scale(num, factor).map(Bytes)
}

/// Docker and the Compose specification ("byte values", docker/go-units `RAMInBytes`):
/// a number with an optional binary unit `b`, `k`, `m`, `g`, `t`, `p`, optionally followed by
/// `i` and/or `b`, in any case, with at most one space: `512m`, `1.5g`, `2GiB`, `1 gb`.
pub fn parse_docker_bytes(s: &str) -> Option<Bytes> {
    // go-units: ^(\d+(\.\d+)*) ?([kKmMgGtTpP])?[iI]?[bB]?$
    let s = s.trim();
    let (num, rest) = split_number(s)?;
    let rest = rest.strip_prefix(' ').unwrap_or(rest).to_ascii_lowercase();
    let mut suffix = rest.as_str();
    let factor = match suffix.chars().next() {
        Some('k') => KIB,
        Some('m') => MIB,
        Some('g') => GIB,
        Some('t') => TIB,
        Some('p') => TIB * 1024,
        _ => 1,
    };
    if factor != 1 {
        suffix = &suffix[1..];
    }
    suffix = suffix.strip_prefix('i').unwrap_or(suffix);
    suffix = suffix.strip_prefix('b').unwrap_or(suffix);
    if !suffix.is_empty() {
        return None;
    }
    scale(num, factor).map(Bytes)
}

/// nginx sizes (`ngx_parse_size`/`ngx_parse_offset`): a whole number with an optional `k`/`K`,
/// `m`/`M` or `g`/`G` (binary). No fractions, no spaces, no `b`.
pub fn parse_nginx_size(s: &str) -> Option<Bytes> {
    let (num, unit) = match s.as_bytes().last()? {
        b'k' | b'K' => (&s[..s.len() - 1], KIB),
        b'm' | b'M' => (&s[..s.len() - 1], MIB),
        b'g' | b'G' => (&s[..s.len() - 1], GIB),
        _ => (s, 1),
    };
    if num.is_empty() || !num.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    num.parse::<u64>().ok()?.checked_mul(unit).map(Bytes)
}

/// nginx times (`ngx_parse_time`): one or more `<number><unit>` parts, optionally separated
/// by spaces, units `ms`, `s`, `m` (minutes), `h`, `d`, `w`, `M` (30 days), `y` (365 days);
/// a bare number is seconds. `1h 30m`, `90s`, `720`, `500ms`.
pub fn parse_nginx_time(s: &str) -> Option<Millis> {
    let b = s.as_bytes();
    if b.is_empty() {
        return None;
    }
    let mut i = 0;
    let mut total: u64 = 0;
    let mut parts = 0;
    while i < b.len() {
        if b[i] == b' ' {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == start {
            return None;
        }
        let n: u64 = s[start..i].parse().ok()?;
        let factor: u64 = if s[i..].starts_with("ms") {
            i += 2;
            1
        } else {
            let f = match b.get(i) {
                None | Some(b' ') => {
                    // a bare number is seconds
                    1000
                }
                Some(b's') => 1000,
                Some(b'm') => 60_000,
                Some(b'h') => 3_600_000,
                Some(b'd') => 86_400_000,
                Some(b'w') => 7 * 86_400_000,
                Some(b'M') => 30 * 86_400_000,
                Some(b'y') => 365 * 86_400_000,
                Some(_) => return None,
            };
            if i < b.len() && b[i] != b' ' {
                i += 1;
            }
            f
        };
        total = total.checked_add(n.checked_mul(factor)?)?;
        parts += 1;
    }
    if parts == 0 { None } else { Some(Millis(total)) }
}

/// Go's `time.ParseDuration`, which Compose uses for `stop_grace_period` and healthcheck
/// durations: `1m30s`, `10s`, `1.5h`, `300ms`, `2us`, `0`. Units are required except for `0`.
pub fn parse_go_duration(s: &str) -> Option<Millis> {
    let s = s.trim();
    if s == "0" {
        return Some(Millis(0));
    }
    let s = s.strip_prefix('+').unwrap_or(s);
    if s.is_empty() || s.starts_with('-') {
        return None;
    }
    let mut rest = s;
    let mut total_ns: f64 = 0.0;
    while !rest.is_empty() {
        let (num, after) = split_number(rest)?;
        let x: f64 = num.parse().ok()?;
        let unit_len = after.find(|c: char| c.is_ascii_digit() || c == '.').unwrap_or(after.len());
        let unit = &after[..unit_len];
        let ns = match unit {
            "ns" => 1.0,
            "us" | "µs" | "μs" => 1e3,
            "ms" => 1e6,
            "s" => 1e9,
            "m" => 60e9,
            "h" => 3600e9,
            _ => return None,
        };
        total_ns += x * ns;
        rest = &after[unit_len..];
    }
    Some(Millis((total_ns / 1e6).round() as u64))
}

/// A systemd time span: a number of microseconds, or `infinity`.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub enum SystemdTimespan {
    Usec(u64),
    Infinity,
}

impl SystemdTimespan {
    /// Milliseconds, rounded up; `None` for infinity.
    pub fn to_millis(self) -> Option<Millis> {
        match self {
            SystemdTimespan::Usec(us) => Some(Millis(us.div_ceil(1000))),
            SystemdTimespan::Infinity => None,
        }
    }
}

const USEC_PER_SEC: u64 = 1_000_000;
/// systemd's `USEC_INFINITY`: values must stay below it.
const USEC_INFINITY: u64 = u64::MAX;

/// The unit suffixes of systemd's `parse_time()` (src/basic/time-util.c, `extract_multiplier`),
/// in the order systemd tries them: the first prefix match wins, so `ms` beats `m` and `min`
/// beats `m`. `M` is a month (30.44 days), `y` a year (365.25 days).
const SYSTEMD_TIME_UNITS: &[(&str, u64)] = &[
    ("seconds", USEC_PER_SEC),
    ("second", USEC_PER_SEC),
    ("sec", USEC_PER_SEC),
    ("s", USEC_PER_SEC),
    ("minutes", 60 * USEC_PER_SEC),
    ("minute", 60 * USEC_PER_SEC),
    ("min", 60 * USEC_PER_SEC),
    ("months", 2_629_800 * USEC_PER_SEC),
    ("month", 2_629_800 * USEC_PER_SEC),
    ("M", 2_629_800 * USEC_PER_SEC),
    ("msec", 1000),
    ("ms", 1000),
    ("m", 60 * USEC_PER_SEC),
    ("hours", 3600 * USEC_PER_SEC),
    ("hour", 3600 * USEC_PER_SEC),
    ("hr", 3600 * USEC_PER_SEC),
    ("h", 3600 * USEC_PER_SEC),
    ("days", 86_400 * USEC_PER_SEC),
    ("day", 86_400 * USEC_PER_SEC),
    ("d", 86_400 * USEC_PER_SEC),
    ("weeks", 604_800 * USEC_PER_SEC),
    ("week", 604_800 * USEC_PER_SEC),
    ("w", 604_800 * USEC_PER_SEC),
    ("years", 31_557_600 * USEC_PER_SEC),
    ("year", 31_557_600 * USEC_PER_SEC),
    ("y", 31_557_600 * USEC_PER_SEC),
    ("usec", 1),
    ("us", 1),
    ("\u{3bc}s", 1),
    ("\u{b5}s", 1),
];

/// systemd's whitespace set (`WHITESPACE` in string-util.h).
fn is_systemd_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

/// Parses a leading run of ASCII digits like `strtoll`/`strtoull` do after an optional `+`.
/// Returns the value (None on overflow) and the index after the digits; `None` if no digit.
fn leading_digits(b: &[u8], start: usize) -> Option<(Option<u64>, usize)> {
    let mut i = start;
    if b.get(i) == Some(&b'+') {
        i += 1;
    }
    let digits_start = i;
    let mut v: Option<u64> = Some(0);
    while i < b.len() && b[i].is_ascii_digit() {
        v = v.and_then(|v| v.checked_mul(10)).and_then(|v| v.checked_add(u64::from(b[i] - b'0')));
        i += 1;
    }
    if i == digits_start { None } else { Some((v, i)) }
}

/// systemd time spans (`parse_sec()` → `parse_time(t, USEC_PER_SEC)`, src/basic/time-util.c):
/// `infinity`, or one or more `<number>[.<fraction>][ ]<unit>` parts, optionally separated by
/// whitespace, summed: `90`, `5min 20s`, `5min20s`, `1.5h`, `2 min`, `1y 2s`. A bare number is
/// seconds. Negative numbers and a `.` without digits are refused. Checked against systemd 252
/// (`systemd --test` dumps) in the systemd parser's oracle test.
pub fn parse_systemd_timespan(s: &str) -> Option<SystemdTimespan> {
    let b = s.as_bytes();
    let mut p = 0;
    while p < b.len() && is_systemd_ws(b[p]) {
        p += 1;
    }
    if let Some(rest) = s[p..].strip_prefix("infinity") {
        return rest.bytes().all(is_systemd_ws).then_some(SystemdTimespan::Infinity);
    }
    let mut usec: u64 = 0;
    let mut something = false;
    loop {
        while p < b.len() && is_systemd_ws(b[p]) {
            p += 1;
        }
        if p >= b.len() {
            return something.then_some(SystemdTimespan::Usec(usec));
        }
        if b[p] == b'-' {
            return None;
        }
        let (value, e) = match leading_digits(b, p) {
            Some((v, e)) => (v?, e),
            // strtoll() reads nothing from ".5"; systemd then takes the fraction alone.
            None if b[p] == b'.' => (0, p),
            None => return None,
        };
        let mut q = e;
        let fraction_start = if b.get(e) == Some(&b'.') {
            q = e + 1;
            while q < b.len() && b[q].is_ascii_digit() {
                q += 1;
            }
            Some(e + 1)
        } else {
            None
        };
        let mut u = q;
        while u < b.len() && is_systemd_ws(b[u]) {
            u += 1;
        }
        let mut multiplier = USEC_PER_SEC;
        let mut after = u;
        let mut matched = false;
        for (suffix, m) in SYSTEMD_TIME_UNITS {
            if s[u..].starts_with(suffix) {
                multiplier = *m;
                after = u + suffix.len();
                matched = true;
                break;
            }
        }
        // "Don't allow '12.34.56', but accept '12.34 .56' or '12.34s.56'"
        if !matched && u == q && q < b.len() {
            return None;
        }
        if value >= USEC_INFINITY / multiplier {
            return None;
        }
        let k = value * multiplier;
        if k >= USEC_INFINITY - usec {
            return None;
        }
        usec += k;
        something = true;
        if let Some(f) = fraction_start {
            let mut m = multiplier / 10;
            let mut i = f;
            while i < b.len() && b[i].is_ascii_digit() {
                let k = u64::from(b[i] - b'0') * m;
                if k >= USEC_INFINITY - usec {
                    return None;
                }
                usec += k;
                m /= 10;
                i += 1;
            }
            if i == f {
                return None;
            }
        }
        p = after;
    }
}

/// systemd sizes in base 1024 (`parse_size(t, 1024, …)`, src/basic/parse-util.c), as used by
/// `MemoryMax=`, `MemoryHigh=`, `LimitAS=` and friends: a number with an optional fraction and an
/// optional upper-case suffix `K`, `M`, `G`, `T`, `P`, `E` or `B`, possibly followed by more
/// parts with strictly smaller suffixes, which are summed: `1G 512M`, `1.5G`, `1024B`, `10K`.
/// Lower-case suffixes (`1g`) and `GB` are refused, as systemd refuses them.
pub fn parse_systemd_size(s: &str) -> Option<Bytes> {
    const TABLE: &[(&str, u64)] =
        &[("E", 1 << 60), ("P", 1 << 50), ("T", 1 << 40), ("G", 1 << 30), ("M", 1 << 20), ("K", 1 << 10), ("B", 1), ("", 1)];
    let b = s.as_bytes();
    let mut p = 0;
    let mut total: u64 = 0;
    let mut start_pos = 0;
    loop {
        while p < b.len() && is_systemd_ws(b[p]) {
            p += 1;
        }
        if b.get(p) == Some(&b'-') {
            return None;
        }
        let (value, mut e) = leading_digits(b, p)?;
        let value = value?;
        let mut frac = 0f64;
        if b.get(e) == Some(&b'.') {
            e += 1;
            let fs = e;
            while e < b.len() && b[e].is_ascii_digit() {
                e += 1;
            }
            if e > fs {
                let digits = &s[fs..e];
                let mut f: f64 = digits.parse().unwrap_or(0.0);
                for _ in 0..digits.len() {
                    f /= 10.0;
                }
                frac = f;
            }
        }
        while e < b.len() && is_systemd_ws(b[e]) {
            e += 1;
        }
        let i = (start_pos..TABLE.len()).find(|&i| s[e..].starts_with(TABLE[i].0))?;
        let factor = TABLE[i].1;
        let bump = u64::from(frac > 0.0);
        if value.checked_add(bump)? > u64::MAX / factor {
            return None;
        }
        let part = (value * factor).checked_add((frac * factor as f64) as u64)?;
        total = total.checked_add(part)?;
        p = e + TABLE[i].0.len();
        start_pos = i + 1;
        if p >= b.len() {
            return Some(Bytes(total));
        }
    }
}

/// The unit of a PostgreSQL parameter, as `pg_settings.unit` names it: memory in bytes
/// (`B`, `kB`, `MB`, `8kB` blocks), time in microseconds (`ms`, `s`, `min`). A number written
/// without a unit is in this unit: `shared_buffers = 1000` is 1000 blocks of 8 kB.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PgUnit {
    /// A memory unit of this many bytes.
    Memory(u64),
    /// A time unit of this many microseconds.
    Time(u64),
}

/// PostgreSQL's memory units, largest first (guc.c `memory_unit_conversion_table`). Case
/// matters: `kB`, never `KB`; `mb` is no unit.
const PG_MEMORY_UNITS: [(&str, u64); 5] = [("TB", TIB), ("GB", GIB), ("MB", MIB), ("kB", KIB), ("B", 1)];
/// PostgreSQL's time units, largest first, in microseconds (guc.c `time_unit_conversion_table`).
const PG_TIME_UNITS: [(&str, u64); 6] =
    [("d", 86_400_000_000), ("h", 3_600_000_000), ("min", 60_000_000), ("s", 1_000_000), ("ms", 1000), ("us", 1)];

impl PgUnit {
    /// Reads a `pg_settings.unit`: `B`, `kB`, `MB`, `8kB`, `ms`, `s`, `min`.
    pub fn from_pg_settings(s: &str) -> Option<PgUnit> {
        if let Some(&(_, us)) = PG_TIME_UNITS.iter().find(|(name, _)| *name == s) {
            return Some(PgUnit::Time(us));
        }
        let digits = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
        let count: u64 = if digits == 0 { 1 } else { s[..digits].parse().ok()? };
        let &(_, bytes) = PG_MEMORY_UNITS.iter().find(|(name, _)| *name == &s[digits..])?;
        Some(PgUnit::Memory(count.checked_mul(bytes)?))
    }

    /// The unit as PostgreSQL prints it in messages (`8kB`, `kB`, `ms`).
    pub fn name(self) -> String {
        let (table, size): (&[(&str, u64)], u64) = match self {
            PgUnit::Memory(b) => (&PG_MEMORY_UNITS, b),
            PgUnit::Time(us) => (&PG_TIME_UNITS, us),
        };
        if let Some((name, _)) = table.iter().find(|(_, n)| *n == size) {
            return (*name).to_string();
        }
        match self {
            PgUnit::Memory(b) if b.is_multiple_of(KIB) => format!("{}kB", b / KIB),
            PgUnit::Memory(b) => format!("{b}B"),
            PgUnit::Time(us) => format!("{us}us"),
        }
    }

    pub fn is_memory(self) -> bool {
        matches!(self, PgUnit::Memory(_))
    }

    /// PostgreSQL's `convert_to_base_unit`: `value` written with `unit` (exactly as spelled, at
    /// most 3 characters, optionally followed by whitespace) in this base unit. A fractional
    /// result is rounded to a whole number of the next smaller unit (`1.5GB` is exact, `0.3kB`
    /// is 307 bytes), as PostgreSQL 12 and later do; the caller rounds to the base unit.
    pub fn to_base(self, value: f64, unit: &str) -> Option<f64> {
        let is_space = |c: char| c.is_ascii_whitespace() || c == '\x0b';
        let unit = unit.trim_end_matches(is_space);
        if unit.len() > 3 || unit.contains(is_space) {
            return None;
        }
        let (table, base): (&[(&str, u64)], u64) = match self {
            PgUnit::Memory(b) => (&PG_MEMORY_UNITS, b),
            PgUnit::Time(us) => (&PG_TIME_UNITS, us),
        };
        let i = table.iter().position(|(name, _)| *name == unit)?;
        // Each multiplier is one correctly rounded division, as in PostgreSQL's tables.
        let multiplier = |size: u64| size as f64 / base as f64;
        let mut converted = value * multiplier(table[i].1);
        if let Some(&(_, next)) = table.get(i + 1) {
            converted = (converted / multiplier(next)).round_ties_even() * multiplier(next);
        }
        Some(converted)
    }

    /// A value in this unit, in bytes (memory) or milliseconds (time).
    pub fn scale(self, value: f64) -> f64 {
        match self {
            PgUnit::Memory(b) => value * b as f64,
            PgUnit::Time(us) => value * us as f64 / 1000.0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn human_bytes() {
        assert_eq!(parse_human_bytes("16GiB"), Some(Bytes::gib(16)));
        assert_eq!(parse_human_bytes("16G"), Some(Bytes::gib(16)));
        assert_eq!(parse_human_bytes("16gb"), Some(Bytes::gib(16)));
        assert_eq!(parse_human_bytes("16 GB"), Some(Bytes::gib(16)));
        assert_eq!(parse_human_bytes("512MiB"), Some(Bytes::mib(512)));
        assert_eq!(parse_human_bytes("1.5g"), Some(Bytes(3 * GIB / 2)));
        assert_eq!(parse_human_bytes("2048"), Some(Bytes(2048)));
        assert_eq!(parse_human_bytes("lots"), None);
        assert_eq!(parse_human_bytes("16 parsecs"), None);
    }

    #[test]
    fn docker_bytes() {
        assert_eq!(parse_docker_bytes("512m"), Some(Bytes::mib(512)));
        assert_eq!(parse_docker_bytes("1.5g"), Some(Bytes(3 * GIB / 2)));
        assert_eq!(parse_docker_bytes("2GiB"), Some(Bytes::gib(2)));
        assert_eq!(parse_docker_bytes("1 gb"), Some(Bytes::gib(1)));
        assert_eq!(parse_docker_bytes("1024"), Some(Bytes(1024)));
        assert_eq!(parse_docker_bytes("100b"), Some(Bytes(100)));
        assert_eq!(parse_docker_bytes("4x"), None);
        assert_eq!(parse_docker_bytes("4gbb"), None);
    }

    #[test]
    fn nginx_sizes_and_times() {
        assert_eq!(parse_nginx_size("1m"), Some(Bytes::mib(1)));
        assert_eq!(parse_nginx_size("100M"), Some(Bytes::mib(100)));
        assert_eq!(parse_nginx_size("0"), Some(Bytes(0)));
        assert_eq!(parse_nginx_size("1.5m"), None);
        assert_eq!(parse_nginx_time("60s"), Some(Millis::secs(60)));
        assert_eq!(parse_nginx_time("720"), Some(Millis::secs(720)));
        assert_eq!(parse_nginx_time("2m"), Some(Millis::secs(120)));
        assert_eq!(parse_nginx_time("1h 30m"), Some(Millis::secs(5400)));
        assert_eq!(parse_nginx_time("1h30m"), Some(Millis::secs(5400)));
        assert_eq!(parse_nginx_time("500ms"), Some(Millis(500)));
        assert_eq!(parse_nginx_time("1M"), Some(Millis::secs(30 * 86400)));
        assert_eq!(parse_nginx_time("10x"), None);
        assert_eq!(parse_nginx_time("s"), None);
    }

    #[test]
    fn go_durations() {
        assert_eq!(parse_go_duration("1m30s"), Some(Millis::secs(90)));
        assert_eq!(parse_go_duration("10s"), Some(Millis::secs(10)));
        assert_eq!(parse_go_duration("1.5h"), Some(Millis::secs(5400)));
        assert_eq!(parse_go_duration("300ms"), Some(Millis(300)));
        assert_eq!(parse_go_duration("0"), Some(Millis(0)));
        assert_eq!(parse_go_duration("10"), None);
        assert_eq!(parse_go_duration("-1s"), None);
    }

    #[test]
    fn display() {
        assert_eq!(Bytes::gib(2).to_string(), "2 GiB");
        assert_eq!(Bytes(2684354560).to_string(), "2.5 GiB");
        assert_eq!(Bytes::mib(600).to_string(), "600 MiB");
        assert_eq!(Bytes(100).to_string(), "100 B");
        assert_eq!(Millis::secs(60).to_string(), "60 s");
        assert_eq!(Millis(250).to_string(), "250 ms");
    }
}

#[cfg(test)]
mod systemd_tests {
    use super::*;

    fn secs(n: u64) -> Option<SystemdTimespan> {
        Some(SystemdTimespan::Usec(n * USEC_PER_SEC))
    }

    /// Expected values checked with systemd 252 (`systemd --test` dumps of `TimeoutStopSec=`).
    #[test]
    fn systemd_timespans() {
        assert_eq!(parse_systemd_timespan("90"), secs(90));
        assert_eq!(parse_systemd_timespan("5min 20s"), secs(320));
        assert_eq!(parse_systemd_timespan("5min20s"), secs(320));
        assert_eq!(parse_systemd_timespan("1.5h"), secs(5400));
        assert_eq!(parse_systemd_timespan("2 min"), secs(120));
        assert_eq!(parse_systemd_timespan("3 hours"), secs(3 * 3600));
        assert_eq!(parse_systemd_timespan("5 5"), secs(10));
        assert_eq!(parse_systemd_timespan("1 y 2 s"), secs(31_557_602));
        assert_eq!(parse_systemd_timespan("1M"), secs(2_629_800));
        assert_eq!(parse_systemd_timespan("5m"), secs(300));
        assert_eq!(parse_systemd_timespan("10ms"), Some(SystemdTimespan::Usec(10_000)));
        assert_eq!(parse_systemd_timespan("0.5s"), Some(SystemdTimespan::Usec(500_000)));
        assert_eq!(parse_systemd_timespan("1.5"), Some(SystemdTimespan::Usec(1_500_000)));
        assert_eq!(parse_systemd_timespan(".5s"), Some(SystemdTimespan::Usec(500_000)));
        assert_eq!(parse_systemd_timespan("1\u{3bc}s"), Some(SystemdTimespan::Usec(1)));
        assert_eq!(parse_systemd_timespan("infinity"), Some(SystemdTimespan::Infinity));
        assert_eq!(parse_systemd_timespan(" infinity "), Some(SystemdTimespan::Infinity));
        assert_eq!(parse_systemd_timespan("0"), secs(0));
        assert_eq!(parse_systemd_timespan("-5"), None);
        assert_eq!(parse_systemd_timespan(""), None);
        assert_eq!(parse_systemd_timespan("5x"), None);
        assert_eq!(parse_systemd_timespan("3.sec"), None);
        assert_eq!(parse_systemd_timespan("12.34.56"), None);
        assert_eq!(parse_systemd_timespan("infinityx"), None);
        assert_eq!(secs(90).and_then(SystemdTimespan::to_millis), Some(Millis::secs(90)));
    }

    /// Expected values checked with systemd 252 (`MemoryMax=` in `systemd --test` dumps).
    #[test]
    fn systemd_sizes() {
        assert_eq!(parse_systemd_size("1G 512M"), Some(Bytes(1_610_612_736)));
        assert_eq!(parse_systemd_size("1.5G"), Some(Bytes(1_610_612_736)));
        assert_eq!(parse_systemd_size("10K"), Some(Bytes(10_240)));
        assert_eq!(parse_systemd_size("1024B"), Some(Bytes(1024)));
        assert_eq!(parse_systemd_size(" 5M"), Some(Bytes(5 * MIB)));
        assert_eq!(parse_systemd_size("1T"), Some(Bytes(TIB)));
        assert_eq!(parse_systemd_size("1E"), Some(Bytes(1 << 60)));
        assert_eq!(parse_systemd_size("1g"), None);
        assert_eq!(parse_systemd_size("1GB"), None);
        assert_eq!(parse_systemd_size("512M 1G"), None);
        assert_eq!(parse_systemd_size("-1"), None);
        assert_eq!(parse_systemd_size(""), None);
        assert_eq!(parse_systemd_size("20E"), None);
    }

    #[test]
    fn postgresql_units() {
        let blocks = PgUnit::from_pg_settings("8kB").unwrap();
        assert_eq!(blocks, PgUnit::Memory(8192));
        assert_eq!(blocks.name(), "8kB");
        assert_eq!(PgUnit::from_pg_settings("kB").unwrap().name(), "kB");
        assert_eq!(PgUnit::from_pg_settings("min"), Some(PgUnit::Time(60_000_000)));
        assert_eq!(PgUnit::from_pg_settings("KB"), None);
        // shared_buffers = 128MB is 16384 blocks; 1.5GB is exact
        assert_eq!(blocks.to_base(128.0, "MB"), Some(16384.0));
        assert_eq!(blocks.to_base(1.5, "GB"), Some(196608.0));
        // units are case-sensitive and at most 3 characters, trailing spaces allowed
        assert_eq!(blocks.to_base(1.0, "mb"), None);
        assert_eq!(blocks.to_base(1.0, "KB"), None);
        assert_eq!(blocks.to_base(1.0, "MB  "), Some(128.0));
        assert_eq!(blocks.to_base(1.0, "MBs"), None);
        assert_eq!(blocks.to_base(1.0, "M B"), None);
        // work_mem (kB): 0.3kB rounds to whole bytes first (307 B), PostgreSQL 12+
        let kb = PgUnit::Memory(1024);
        assert_eq!(kb.to_base(0.3, "kB"), Some(307.0 / 1024.0));
        // times: checkpoint_timeout is in seconds, 30min = 1800; 1.5s in a seconds unit = 1.5
        let s = PgUnit::Time(1_000_000);
        assert_eq!(s.to_base(30.0, "min"), Some(1800.0));
        assert_eq!(s.to_base(1.5, "s"), Some(1.5));
        assert_eq!(s.to_base(1500.0, "ms"), Some(1.5));
        assert_eq!(s.to_base(1.0, "m"), None);
        assert_eq!(PgUnit::Time(1000).scale(250.0), 250.0);
        assert_eq!(blocks.scale(2.0), 16384.0);
    }
}

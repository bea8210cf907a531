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
        Bytes(n * MIB)
    }
    pub fn gib(n: u64) -> Bytes {
        Bytes(n * GIB)
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
                if n % size == 0 {
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
        Millis(s * 1000)
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
        if ms % 1000 == 0 {
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

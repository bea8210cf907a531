//! Values read the way PostgreSQL reads them (guc.c: `parse_int`, `parse_real`, `parse_bool`,
//! enum lookup, range checks), with its error messages.
//!
//! Numbers go through C's `strtol(…, 0)` then `strtod`, so `010` is octal 8, `0x10` is 16,
//! `1e3` (quoted) is 1000 and ` 5` is 5 while ` .5` is invalid; a unit may follow after spaces
//! (`'1 GB'`); fractions are rounded to the next smaller unit, then to the parameter's unit.

use std::fmt;

use super::params::{Context, ParamDef, VarType};
use crate::units::PgUnit;

/// A value after PostgreSQL's checks, in the parameter's own unit.
#[derive(Clone, Debug, PartialEq)]
pub enum TypedValue {
    Bool(bool),
    /// An integer in the parameter's unit (`shared_buffers = 128MB` is 16384, in 8 kB blocks).
    Integer(i64),
    /// A real in the parameter's unit.
    Real(f64),
    String(String),
    /// The canonical spelling of an enum value (`hot_standby` is `replica`).
    Enum(&'static str),
}

impl TypedValue {
    /// The value as `postgres -C` and `SHOW` print it without units (`%g` for reals).
    pub fn display(&self) -> String {
        match self {
            TypedValue::Bool(b) => if *b { "on" } else { "off" }.to_string(),
            TypedValue::Integer(i) => i.to_string(),
            TypedValue::Real(r) => format_g(*r),
            TypedValue::String(s) => s.clone(),
            TypedValue::Enum(e) => (*e).to_string(),
        }
    }
}

/// Why PostgreSQL rejects a value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValueErrorKind {
    /// Not a number, not an accepted enum spelling, or a unit the parameter does not take.
    Invalid,
    /// A number with a unit PostgreSQL does not know (`128XB`, `1 hour`, `10Mb`).
    BadUnit,
    /// Outside the parameter's range, or beyond a 32-bit integer.
    OutOfRange,
    /// Not one of PostgreSQL's boolean spellings.
    NotBoolean,
    /// An internal parameter (`block_size`): it cannot be set in a file at all.
    CannotBeChanged,
    /// A name that is neither a parameter nor a dotted extension placeholder.
    Unrecognized,
    /// Asked for as a type it is not (`memory_bytes("max_connections")`): a caller's mistake,
    /// not the file's.
    WrongType,
}

/// A value (or name) PostgreSQL refuses; any of them stops the server from starting.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValueError {
    pub kind: ValueErrorKind,
    /// PostgreSQL's own message (`invalid value for parameter "shared_buffers": "128XB"`).
    pub message: String,
    /// PostgreSQL's hint, when it gives one.
    pub hint: Option<String>,
}

impl fmt::Display for ValueError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, " ({hint})")?;
        }
        Ok(())
    }
}

impl ValueError {
    fn new(kind: ValueErrorKind, message: String) -> Self {
        ValueError { kind, message, hint: None }
    }
    pub(super) fn invalid(name: &str, value: &str) -> Self {
        ValueError::new(ValueErrorKind::Invalid, format!("invalid value for parameter \"{name}\": \"{value}\""))
    }
    pub(super) fn not_boolean(name: &str) -> Self {
        ValueError::new(ValueErrorKind::NotBoolean, format!("parameter \"{name}\" requires a Boolean value"))
    }
    /// PostgreSQL's message for an unknown name on the command line; in a file it adds where
    /// (`... in file "..." line N`).
    pub(super) fn unrecognized(name: &str, place: Option<(&str, u32)>) -> Self {
        let at = place.map(|(file, line)| format!(" in file \"{file}\" line {line}")).unwrap_or_default();
        ValueError::new(ValueErrorKind::Unrecognized, format!("unrecognized configuration parameter \"{name}\"{at}"))
    }
    pub(super) fn wrong_type(name: &str, what: &str) -> Self {
        ValueError::new(ValueErrorKind::WrongType, format!("parameter \"{name}\" is not {what}"))
    }
}

const MEMORY_HINT: &str = "Valid units for this parameter are \"B\", \"kB\", \"MB\", \"GB\", and \"TB\".";
const TIME_HINT: &str = "Valid units for this parameter are \"us\", \"ms\", \"s\", \"min\", \"h\", and \"d\".";
const RANGE_HINT: &str = "Value exceeds integer range.";

/// Checks `value` for parameter `def` as PostgreSQL does when it reads a file (`name` is the
/// name as written, which PostgreSQL quotes in its messages). Of the parameters' check hooks,
/// only those that rewrite an accepted value are applied ([`check_hook`]); those that refuse
/// values (locale and time zone names, list syntax, ...) are not run.
pub fn check(def: &ParamDef, name: &str, value: &str) -> Result<TypedValue, ValueError> {
    parse_checked(def, name, value).map(|v| check_hook(def, v))
}

/// The check hooks of guc.c that change a value PostgreSQL accepts (PostgreSQL 15):
/// `autovacuum_work_mem` below 1MB is 1MB (`-1` stays); `wal_buffers` below 4 blocks is 4 (`-1`
/// stays); `application_name` and `cluster_name` have every byte outside printable ASCII
/// replaced by `?`.
pub fn check_hook(def: &ParamDef, value: TypedValue) -> TypedValue {
    match (def.name, value) {
        ("autovacuum_work_mem", TypedValue::Integer(v)) if v != -1 && v < 1024 => TypedValue::Integer(1024),
        ("wal_buffers", TypedValue::Integer(v)) if v != -1 && v < 4 => TypedValue::Integer(4),
        ("application_name" | "cluster_name", TypedValue::String(s)) => TypedValue::String(
            s.chars().flat_map(|c| if matches!(c, ' '..='~') { vec![c] } else { vec!['?'; c.len_utf8()] }).collect(),
        ),
        (_, v) => v,
    }
}

fn parse_checked(def: &ParamDef, name: &str, value: &str) -> Result<TypedValue, ValueError> {
    if def.context == Context::Internal {
        return Err(ValueError::new(ValueErrorKind::CannotBeChanged, format!("parameter \"{name}\" cannot be changed")));
    }
    match def.vartype {
        VarType::Bool => parse_bool(value).map(TypedValue::Bool).ok_or_else(|| ValueError::not_boolean(name)),
        VarType::Integer => {
            let v = parse_int(value, def.unit).map_err(|e| number_error(e, name, value))?;
            if (v as f64) < def.min || (v as f64) > def.max {
                return Err(ValueError::new(
                    ValueErrorKind::OutOfRange,
                    format!(
                        "{v}{} is outside the valid range for parameter \"{name}\" ({} .. {})",
                        unit_suffix(def.unit),
                        def.min as i64,
                        def.max as i64
                    ),
                ));
            }
            Ok(TypedValue::Integer(v))
        }
        VarType::Real => {
            let v = parse_real(value, def.unit).map_err(|e| number_error(e, name, value))?;
            if v < def.min || v > def.max {
                return Err(ValueError::new(
                    ValueErrorKind::OutOfRange,
                    format!(
                        "{}{} is outside the valid range for parameter \"{name}\" ({} .. {})",
                        format_g(v),
                        unit_suffix(def.unit),
                        format_g(def.min),
                        format_g(def.max)
                    ),
                ));
            }
            Ok(TypedValue::Real(v))
        }
        VarType::String => Ok(TypedValue::String(value.to_string())),
        VarType::Enum => match def.enum_values.iter().find(|v| v.name.eq_ignore_ascii_case(value)) {
            Some(v) => Ok(TypedValue::Enum(v.canonical)),
            None => {
                let listed: Vec<&str> = def.enum_values.iter().filter(|v| !v.hidden).map(|v| v.name).collect();
                let mut e = ValueError::invalid(name, value);
                e.hint = Some(format!("Available values: {}.", listed.join(", ")));
                Err(e)
            }
        },
    }
}

fn unit_suffix(unit: Option<PgUnit>) -> String {
    unit.map(|u| format!(" {}", u.name())).unwrap_or_default()
}

/// Why a number was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NumberError {
    /// Not a number, or a unit on a unitless parameter.
    Invalid,
    /// A unit that is not one of this parameter's kind (memory or time).
    BadUnit { memory: bool },
    /// Beyond a 32-bit integer.
    Overflow,
}

fn number_error(e: NumberError, name: &str, value: &str) -> ValueError {
    let mut err = ValueError::invalid(name, value);
    match e {
        NumberError::Invalid => {}
        NumberError::BadUnit { memory } => {
            err.kind = ValueErrorKind::BadUnit;
            err.hint = Some(if memory { MEMORY_HINT } else { TIME_HINT }.to_string());
        }
        NumberError::Overflow => {
            err.kind = ValueErrorKind::OutOfRange;
            err.hint = Some(RANGE_HINT.to_string());
        }
    }
    err
}

/// PostgreSQL's `parse_int`: a whole number in `unit` (after an optional unit of the same kind),
/// rounded half to even, within 32 bits.
pub fn parse_int(value: &str, unit: Option<PgUnit>) -> Result<i64, NumberError> {
    let s = value.as_bytes();
    let (int, mut end, overflow) = strtol(s);
    let mut val = int as f64;
    let mut erange = false;
    // A dot or an exponent after the digits, or an overflow: read it again as a float.
    if overflow || matches!(s.get(end), Some(b'.' | b'e' | b'E')) {
        (val, end, erange) = strtod(s);
    }
    if end == 0 || erange || val.is_nan() {
        return Err(NumberError::Invalid);
    }
    val = apply_unit(val, &value[skip_space(s, end)..], unit)?;
    let val = val.round_ties_even();
    if val > f64::from(i32::MAX) || val < f64::from(i32::MIN) {
        return Err(NumberError::Overflow);
    }
    Ok(val as i64)
}

/// PostgreSQL's `parse_real`: a number in `unit`, after an optional unit of the same kind.
pub fn parse_real(value: &str, unit: Option<PgUnit>) -> Result<f64, NumberError> {
    let s = value.as_bytes();
    let (val, end, erange) = strtod(s);
    if end == 0 || erange || val.is_nan() {
        return Err(NumberError::Invalid);
    }
    apply_unit(val, &value[skip_space(s, end)..], unit)
}

fn apply_unit(val: f64, rest: &str, unit: Option<PgUnit>) -> Result<f64, NumberError> {
    if rest.is_empty() {
        return Ok(val);
    }
    let Some(unit) = unit else {
        return Err(NumberError::Invalid);
    };
    unit.to_base(val, rest).ok_or(NumberError::BadUnit { memory: unit.is_memory() })
}

/// PostgreSQL's `parse_bool`: a case-insensitive prefix of `true`, `false`, `yes`, `no`; `on`,
/// `off` (at least two letters: `of`); `1`, `0`. No spaces around it.
pub fn parse_bool(value: &str) -> Option<bool> {
    let v = value.as_bytes();
    let prefix_of =
        |word: &str, min: usize| v.len() >= min && v.len() <= word.len() && v.eq_ignore_ascii_case(&word.as_bytes()[..v.len()]);
    match v.first()? {
        b't' | b'T' if prefix_of("true", 1) => Some(true),
        b'f' | b'F' if prefix_of("false", 1) => Some(false),
        b'y' | b'Y' if prefix_of("yes", 1) => Some(true),
        b'n' | b'N' if prefix_of("no", 1) => Some(false),
        b'o' | b'O' if prefix_of("on", 2) => Some(true),
        b'o' | b'O' if prefix_of("off", 2) => Some(false),
        b'1' if v.len() == 1 => Some(true),
        b'0' if v.len() == 1 => Some(false),
        _ => None,
    }
}

/// C's `isspace` in the C locale.
fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

fn skip_space(s: &[u8], mut i: usize) -> usize {
    while s.get(i).is_some_and(|&b| is_space(b)) {
        i += 1;
    }
    i
}

/// glibc's `strtol(s, &end, 0)`: spaces, a sign, then `0x` hex, `0` octal or decimal digits.
/// Returns the value (clamped on overflow), the end offset (0 when nothing was read) and whether
/// it overflowed.
fn strtol(s: &[u8]) -> (i64, usize, bool) {
    let mut i = skip_space(s, 0);
    let negative = s.get(i) == Some(&b'-');
    if matches!(s.get(i), Some(b'+' | b'-')) {
        i += 1;
    }
    let (radix, start) = match (s.get(i), s.get(i + 1), s.get(i + 2)) {
        (Some(b'0'), Some(b'x' | b'X'), Some(h)) if h.is_ascii_hexdigit() => (16, i + 2),
        (Some(b'0'), _, _) => (8, i),
        _ => (10, i),
    };
    let mut j = start;
    let mut acc: i128 = 0;
    let mut overflow = false;
    while let Some(d) = s.get(j).and_then(|&b| (b as char).to_digit(radix)) {
        acc = acc * i128::from(radix) + i128::from(d);
        if acc > i128::from(i64::MAX) + 1 {
            overflow = true;
            acc = i128::from(i64::MAX) + 1;
        }
        j += 1;
    }
    if j == start {
        return (0, 0, false);
    }
    let signed = if negative { -acc } else { acc };
    if signed > i128::from(i64::MAX) || signed < i128::from(i64::MIN) {
        overflow = true;
    }
    (signed.clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64, j, overflow)
}

/// glibc's `strtod` in the C locale: spaces, a sign, then `inf`/`infinity`, `nan[(…)]`, a hex
/// float (`0x1.8p3`) or a decimal one (`1.5`, `.5`, `5.`, `1e3`). Returns the value, the end
/// offset (0 when nothing was read) and whether it is out of range (ERANGE: overflow, or a
/// result too small to be normal).
fn strtod(s: &[u8]) -> (f64, usize, bool) {
    let mut i = skip_space(s, 0);
    let negative = s.get(i) == Some(&b'-');
    if matches!(s.get(i), Some(b'+' | b'-')) {
        i += 1;
    }
    let sign = if negative { -1.0 } else { 1.0 };
    let rest = &s[i.min(s.len())..];
    let starts = |w: &str| rest.len() >= w.len() && rest[..w.len()].eq_ignore_ascii_case(w.as_bytes());
    if starts("infinity") {
        return (sign * f64::INFINITY, i + 8, false);
    }
    if starts("inf") {
        return (sign * f64::INFINITY, i + 3, false);
    }
    if starts("nan") {
        let mut j = i + 3;
        if s.get(j) == Some(&b'(') {
            let mut k = j + 1;
            while s.get(k).is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_') {
                k += 1;
            }
            if s.get(k) == Some(&b')') {
                j = k + 1;
            }
        }
        return (f64::NAN, j, false);
    }
    let hex = |k: usize| s.get(k).is_some_and(|b| b.is_ascii_hexdigit());
    if s.get(i) == Some(&b'0')
        && matches!(s.get(i + 1), Some(b'x' | b'X'))
        && (hex(i + 2) || (s.get(i + 2) == Some(&b'.') && hex(i + 3)))
    {
        let (v, end) = hex_float(s, i + 2);
        return finish_float(sign * v, end, v != 0.0);
    }
    let mut j = i;
    let mut nonzero = false;
    let mut digits = 0;
    while let Some(b) = s.get(j).filter(|b| b.is_ascii_digit()) {
        nonzero |= *b != b'0';
        digits += 1;
        j += 1;
    }
    if s.get(j) == Some(&b'.') {
        j += 1;
        while let Some(b) = s.get(j).filter(|b| b.is_ascii_digit()) {
            nonzero |= *b != b'0';
            digits += 1;
            j += 1;
        }
    }
    if digits == 0 {
        return (0.0, 0, false);
    }
    if matches!(s.get(j), Some(b'e' | b'E')) {
        let mut k = j + 1;
        if matches!(s.get(k), Some(b'+' | b'-')) {
            k += 1;
        }
        if s.get(k).is_some_and(|b| b.is_ascii_digit()) {
            while s.get(k).is_some_and(|b| b.is_ascii_digit()) {
                k += 1;
            }
            j = k;
        }
    }
    let text = std::str::from_utf8(&s[i..j]).unwrap_or("0");
    let v: f64 = text.parse().unwrap_or(0.0);
    finish_float(sign * v, j, nonzero)
}

fn finish_float(v: f64, end: usize, nonzero: bool) -> (f64, usize, bool) {
    let erange = v.is_infinite() || (nonzero && (v == 0.0 || v.is_subnormal()));
    (v, end, erange)
}

/// The digits of a hex float after `0x`: hex digits, an optional fraction, an optional binary
/// exponent `p[+-]digits`.
fn hex_float(s: &[u8], mut j: usize) -> (f64, usize) {
    let mut v = 0.0f64;
    while let Some(d) = s.get(j).and_then(|&b| (b as char).to_digit(16)) {
        v = v * 16.0 + f64::from(d);
        j += 1;
    }
    if s.get(j) == Some(&b'.') {
        j += 1;
        let mut scale = 1.0 / 16.0;
        while let Some(d) = s.get(j).and_then(|&b| (b as char).to_digit(16)) {
            v += f64::from(d) * scale;
            scale /= 16.0;
            j += 1;
        }
    }
    if matches!(s.get(j), Some(b'p' | b'P')) {
        let mut k = j + 1;
        let negative = s.get(k) == Some(&b'-');
        if matches!(s.get(k), Some(b'+' | b'-')) {
            k += 1;
        }
        let start = k;
        let mut exp: i32 = 0;
        while let Some(d) = s.get(k).filter(|b| b.is_ascii_digit()) {
            exp = exp.saturating_mul(10).saturating_add(i32::from(d - b'0'));
            k += 1;
        }
        if k > start {
            v *= 2f64.powi(if negative { -exp } else { exp });
            j = k;
        }
    }
    (v, j)
}

/// `printf("%g")` as PostgreSQL's own snprintf does it: six significant digits, trailing zeros
/// removed, exponent form below 1e-4 or from 1e6; `Infinity`, `-Infinity` and `NaN` spelled out.
pub fn format_g(x: f64) -> String {
    if x.is_nan() {
        return "NaN".into();
    }
    if x.is_infinite() {
        return if x > 0.0 { "Infinity" } else { "-Infinity" }.into();
    }
    if x == 0.0 {
        return if x.is_sign_negative() { "-0" } else { "0" }.into();
    }
    let sci = format!("{x:.5e}");
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let strip = |s: &str| {
        if s.contains('.') { s.trim_end_matches('0').trim_end_matches('.').to_string() } else { s.to_string() }
    };
    if !(-4..6).contains(&exp) {
        format!("{}e{}{:02}", strip(mantissa), if exp < 0 { '-' } else { '+' }, exp.abs())
    } else {
        strip(&format!("{x:.*}", (5 - exp) as usize))
    }
}

#[cfg(test)]
mod tests {
    use super::super::params::lookup;
    use super::*;

    fn int(param: &str, value: &str) -> Result<i64, ValueError> {
        match check(lookup(param).unwrap(), param, value)? {
            TypedValue::Integer(i) => Ok(i),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn memory_in_the_parameter_unit() {
        // shared_buffers is in 8 kB blocks, work_mem in kB (PostgreSQL docs, 20.1.1)
        assert_eq!(int("shared_buffers", "128MB"), Ok(16384));
        assert_eq!(int("shared_buffers", "1000"), Ok(1000));
        assert_eq!(int("shared_buffers", "1.5GB"), Ok(196608));
        assert_eq!(int("work_mem", "4MB"), Ok(4096));
        assert_eq!(int("work_mem", "5041kB"), Ok(5041));
        assert_eq!(int("work_mem", "1 GB"), Ok(1048576));
        assert_eq!(int("work_mem", " 64"), Ok(64));
        assert_eq!(int("wal_buffers", "-1"), Ok(-1));
        // 100kB in 8 kB blocks is 12.5, rounded half to even
        assert_eq!(int("wal_buffers", "100kB"), Ok(12));
        assert_eq!(int("wal_buffers", "104kB"), Ok(13));
        assert_eq!(int("effective_cache_size", "24GB"), Ok(3145728));
    }

    #[test]
    fn c_number_syntax() {
        // checked against postgres -C: 010 is octal, 08 is "0" then unit "8"
        assert_eq!(int("work_mem", "0x100"), Ok(256));
        assert_eq!(int("work_mem", "0100"), Ok(64));
        assert_eq!(int("work_mem", "1e3"), Ok(1000));
        assert_eq!(int("work_mem", "1.5MB"), Ok(1536));
        let e = int("work_mem", "08").unwrap_err();
        assert_eq!(e.kind, ValueErrorKind::BadUnit);
        assert_eq!(int("work_mem", " .5MB").unwrap_err().kind, ValueErrorKind::Invalid);
        assert_eq!(int("work_mem", ".5MB"), Ok(512));
        assert_eq!(int("max_connections", "1e").unwrap_err().kind, ValueErrorKind::Invalid);
    }

    #[test]
    fn messages_match_postgresql() {
        let e = int("shared_buffers", "128XB").unwrap_err();
        assert_eq!(e.message, "invalid value for parameter \"shared_buffers\": \"128XB\"");
        assert_eq!(e.hint.as_deref(), Some(MEMORY_HINT));
        let e = int("work_mem", "5").unwrap_err();
        assert_eq!(e.message, "5 kB is outside the valid range for parameter \"work_mem\" (64 .. 2147483647)");
        let e = int("shared_buffers", "10").unwrap_err();
        assert_eq!(e.message, "10 8kB is outside the valid range for parameter \"shared_buffers\" (16 .. 1073741823)");
        let e = int("max_connections", "100MB").unwrap_err();
        assert_eq!(e.kind, ValueErrorKind::Invalid);
        assert_eq!(e.hint, None);
        let e = int("checkpoint_timeout", "5 minutes").unwrap_err();
        assert_eq!(e.hint.as_deref(), Some(TIME_HINT));
        let e = int("work_mem", "99999999999").unwrap_err();
        assert_eq!(e.hint.as_deref(), Some(RANGE_HINT));
        let e = check(lookup("block_size").unwrap(), "block_size", "8192").unwrap_err();
        assert_eq!(e.message, "parameter \"block_size\" cannot be changed");
        let e = check(lookup("fsync").unwrap(), "fsync", "maybe").unwrap_err();
        assert_eq!(e.message, "parameter \"fsync\" requires a Boolean value");
        let e = check(lookup("huge_pages").unwrap(), "huge_pages", "always").unwrap_err();
        assert_eq!(e.hint.as_deref(), Some("Available values: off, on, try."));
        let e = check(lookup("random_page_cost").unwrap(), "random_page_cost", "-1").unwrap_err();
        assert_eq!(e.message, "-1 is outside the valid range for parameter \"random_page_cost\" (0 .. 1.79769e+308)");
    }

    #[test]
    fn times() {
        assert_eq!(int("checkpoint_timeout", "30min"), Ok(1800));
        assert_eq!(int("checkpoint_timeout", "1d"), Ok(86400));
        assert_eq!(int("log_min_duration_statement", "60s"), Ok(60000));
        assert_eq!(int("log_min_duration_statement", "1500us"), Ok(2)); // 1.5 ms, half to even
        assert_eq!(int("log_min_duration_statement", "2500us"), Ok(2));
        assert_eq!(int("checkpoint_timeout", "1min").map(|s| s * 1000), Ok(60000));
        let r = check(lookup("vacuum_cost_delay").unwrap(), "vacuum_cost_delay", "500us").unwrap();
        assert_eq!(r, TypedValue::Real(0.5));
    }

    #[test]
    fn booleans_and_enums() {
        for (s, b) in [("on", true), ("OFF", false), ("t", true), ("tRu", true), ("y", true), ("no", false)] {
            assert_eq!(parse_bool(s), Some(b), "{s}");
        }
        for (s, b) in [("1", true), ("0", false), ("of", false), ("fals", false)] {
            assert_eq!(parse_bool(s), Some(b), "{s}");
        }
        for s in ["o", "", "2", "10", "truex", " on", "on ", "enabled"] {
            assert_eq!(parse_bool(s), None, "{s:?}");
        }
        let wal_level = lookup("wal_level").unwrap();
        assert_eq!(check(wal_level, "wal_level", "HOT_STANDBY"), Ok(TypedValue::Enum("replica")));
        assert_eq!(check(wal_level, "wal_level", "logical"), Ok(TypedValue::Enum("logical")));
        assert!(check(wal_level, "wal_level", "repl").is_err());
        let huge = lookup("huge_pages").unwrap();
        assert_eq!(check(huge, "huge_pages", "true"), Ok(TypedValue::Enum("on")));
    }

    #[test]
    fn check_hooks_that_rewrite() {
        // postgres -C: autovacuum_work_mem = 100 shows 1024; wal_buffers = 1 shows 4;
        // cluster_name = 'a\tb\351' shows a?b?
        assert_eq!(int("autovacuum_work_mem", "100"), Ok(1024));
        assert_eq!(int("autovacuum_work_mem", "-1"), Ok(-1));
        assert_eq!(int("wal_buffers", "0"), Ok(4));
        assert_eq!(int("wal_buffers", "-1"), Ok(-1));
        let cluster = check(lookup("cluster_name").unwrap(), "cluster_name", "a\tbé");
        assert_eq!(cluster, Ok(TypedValue::String("a?b??".into())));
    }

    #[test]
    fn printf_g() {
        assert_eq!(format_g(0.9), "0.9");
        assert_eq!(format_g(1.1), "1.1");
        assert_eq!(format_g(100000.0), "100000");
        assert_eq!(format_g(1000000.0), "1e+06");
        assert_eq!(format_g(0.0001), "0.0001");
        assert_eq!(format_g(0.00001), "1e-05");
        assert_eq!(format_g(f64::MAX), "1.79769e+308");
        assert_eq!(format_g(2.0), "2");
        assert_eq!(format_g(-1.0), "-1");
        assert_eq!(format_g(0.123456789), "0.123457");
        // postgres -C / the range message print random_page_cost = inf as Infinity
        assert_eq!(format_g(f64::INFINITY), "Infinity");
    }
}

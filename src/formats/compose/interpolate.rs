//! Variable interpolation exactly as compose-go's `template` package does it.
//!
//! compose-go matches `\$(?i:(\$)|([_a-z][_a-z0-9]*)|{(?:([_a-z][_a-z0-9]*(?::?[-+?](.*))?)}|()))`
//! and then cuts a braced match at its first balanced `}`. The consequences we reproduce:
//! - `$$` is a literal `$`; `$` before anything that is not a name or `{` stays as it is
//!   (`$1`, `$(date)`, `$ `);
//! - `$VAR` takes the longest run of `[_A-Za-z0-9]` (case-insensitive pattern, exact lookup);
//! - `${VAR}` with no operator; with `:-`/`-` (default when unset or empty / unset),
//!   `:+`/`+` (alternative when set and non-empty / set), `:?`/`?` (error when unset or
//!   empty / unset); the default, alternative and message are interpolated in turn, so
//!   `${A:-odoo:${B:-18.0}}` nests;
//! - an operator needs a `}` later on the same line (Go's `.` stops at a newline), else the
//!   template is invalid, as is `${` followed by anything but a name (`${!}`, `${A B}`);
//! - an unset variable without operator becomes the empty string (compose warns).
//!
//! Every substitution is recorded with its range in the template, so a fix can edit the
//! default inside `${…}` or the `.env` line instead of the literal.

use std::ops::Range;

/// The operator inside `${…}`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Operator {
    /// `:-`
    DefaultIfEmpty,
    /// `-`
    DefaultIfUnset,
    /// `:+`
    AltIfNonEmpty,
    /// `+`
    AltIfSet,
    /// `:?`
    RequiredNonEmpty,
    /// `?`
    Required,
}

impl Operator {
    pub fn as_str(self) -> &'static str {
        match self {
            Operator::DefaultIfEmpty => ":-",
            Operator::DefaultIfUnset => "-",
            Operator::AltIfNonEmpty => ":+",
            Operator::AltIfSet => "+",
            Operator::RequiredNonEmpty => ":?",
            Operator::Required => "?",
        }
    }
}

/// Where a substituted text came from.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Outcome {
    /// The variable's value (see [`Interpolation::var`] in the environment for its origin).
    Variable,
    /// The default (`:-`, `-`) or the alternative (`:+`, `+`), itself interpolated.
    Default,
    /// The variable is unset and there is no default: the empty string.
    Unset,
}

/// One `$VAR` / `${…}` found in a template and what it became.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Interpolation {
    pub var: String,
    /// The whole `$VAR` or `${…}` in the template (byte offsets of the decoded string).
    pub range: Range<usize>,
    pub operator: Option<Operator>,
    /// The text after the operator (default, alternative or error message), in the template.
    pub argument: Option<Range<usize>>,
    pub outcome: Outcome,
    /// What the whole `${…}` was replaced by.
    pub value: String,
    /// Nesting depth: 0 for a top-level `${…}`, 1 inside another's default, and so on.
    pub depth: u32,
}

/// Why a template could not be interpolated (compose refuses the file).
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct InterpolationError {
    /// The offending `${…}` (or the `${` of an invalid one) in the template.
    pub range: Range<usize>,
    pub message: String,
    /// The variable, for `:?`/`?` errors.
    pub var: Option<String>,
}

/// The result of interpolating one string.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct Interpolated {
    pub value: String,
    pub records: Vec<Interpolation>,
}

/// Interpolates `template`; `lookup` returns a variable's value if it is set.
pub fn interpolate(template: &str, lookup: &dyn Fn(&str) -> Option<String>) -> Result<Interpolated, InterpolationError> {
    let mut records = Vec::new();
    let value = substitute(template, 0, 0, lookup, &mut records)?;
    Ok(Interpolated { value, records })
}

/// Whether a string contains anything interpolation would change (`$` followed by `$`,
/// a name or `{`).
pub fn has_dollar(s: &str) -> bool {
    s.contains('$')
}

fn is_name_start(c: u8) -> bool {
    c == b'_' || c.is_ascii_alphabetic()
}

fn is_name_char(c: u8) -> bool {
    c == b'_' || c.is_ascii_alphanumeric()
}

const MAX_NESTING: u32 = 64;

fn substitute(
    t: &str,
    base: usize,
    depth: u32,
    lookup: &dyn Fn(&str) -> Option<String>,
    records: &mut Vec<Interpolation>,
) -> Result<String, InterpolationError> {
    let b = t.as_bytes();
    let mut out = String::with_capacity(t.len());
    let mut i = 0;
    let mut lit = 0;
    let invalid = |at: usize, len: usize| InterpolationError {
        range: base + at..base + at + len,
        message: format!("invalid interpolation format in {t:?}: escape a literal $ as $$"),
        var: None,
    };
    if depth > MAX_NESTING {
        return Err(InterpolationError {
            range: base..base + t.len(),
            message: "interpolation nested too deeply".into(),
            var: None,
        });
    }
    while i < b.len() {
        if b[i] != b'$' {
            i += 1;
            continue;
        }
        match b.get(i + 1).copied() {
            Some(b'$') => {
                out.push_str(&t[lit..i]);
                out.push('$');
                i += 2;
                lit = i;
            }
            Some(c) if is_name_start(c) => {
                let mut e = i + 2;
                while e < b.len() && is_name_char(b[e]) {
                    e += 1;
                }
                let name = &t[i + 1..e];
                out.push_str(&t[lit..i]);
                let (value, outcome) = match lookup(name) {
                    Some(v) => (v, Outcome::Variable),
                    None => (String::new(), Outcome::Unset),
                };
                out.push_str(&value);
                records.push(Interpolation {
                    var: name.to_string(),
                    range: base + i..base + e,
                    operator: None,
                    argument: None,
                    outcome,
                    value,
                    depth,
                });
                i = e;
                lit = i;
            }
            Some(b'{') => {
                out.push_str(&t[lit..i]);
                let name_start = i + 2;
                if !b.get(name_start).is_some_and(|&c| is_name_start(c)) {
                    return Err(invalid(i, 2));
                }
                let mut k = name_start + 1;
                while k < b.len() && is_name_char(b[k]) {
                    k += 1;
                }
                let name = &t[name_start..k];
                if b.get(k) == Some(&b'}') {
                    let (value, outcome) = match lookup(name) {
                        Some(v) => (v, Outcome::Variable),
                        None => (String::new(), Outcome::Unset),
                    };
                    out.push_str(&value);
                    records.push(Interpolation {
                        var: name.to_string(),
                        range: base + i..base + k + 1,
                        operator: None,
                        argument: None,
                        outcome,
                        value,
                        depth,
                    });
                    i = k + 1;
                    lit = i;
                    continue;
                }
                let (op, op_len) = match (b.get(k), b.get(k + 1)) {
                    (Some(b':'), Some(b'-')) => (Operator::DefaultIfEmpty, 2),
                    (Some(b':'), Some(b'+')) => (Operator::AltIfNonEmpty, 2),
                    (Some(b':'), Some(b'?')) => (Operator::RequiredNonEmpty, 2),
                    (Some(b'-'), _) => (Operator::DefaultIfUnset, 1),
                    (Some(b'+'), _) => (Operator::AltIfSet, 1),
                    (Some(b'?'), _) => (Operator::Required, 1),
                    _ => return Err(invalid(i, k - i)),
                };
                let arg_start = k + op_len;
                // The greedy `(.*)}` of the pattern: the last `}` before the end of the line.
                let line_end = t[arg_start..].find('\n').map(|p| arg_start + p).unwrap_or(t.len());
                let Some(last) = t[arg_start..line_end].rfind('}').map(|p| arg_start + p) else {
                    return Err(invalid(i, k + op_len - i));
                };
                // Then compose-go cuts the match at its first balanced `}`.
                let close = first_balanced_close(&t[i..=last]).map(|p| i + p).unwrap_or(last);
                let arg = &t[arg_start..close];
                let arg_range = base + arg_start..base + close;
                let current = lookup(name);
                let (value, outcome) = match op {
                    Operator::DefaultIfEmpty | Operator::DefaultIfUnset => {
                        let absent = match (&current, op) {
                            (None, _) => true,
                            (Some(v), Operator::DefaultIfEmpty) => v.is_empty(),
                            _ => false,
                        };
                        if absent {
                            (substitute(arg, base + arg_start, depth + 1, lookup, records)?, Outcome::Default)
                        } else {
                            (current.unwrap_or_default(), Outcome::Variable)
                        }
                    }
                    Operator::AltIfNonEmpty | Operator::AltIfSet => {
                        let present = match (&current, op) {
                            (None, _) => false,
                            (Some(v), Operator::AltIfNonEmpty) => !v.is_empty(),
                            _ => true,
                        };
                        if present {
                            (substitute(arg, base + arg_start, depth + 1, lookup, records)?, Outcome::Default)
                        } else {
                            let outcome = if current.is_some() { Outcome::Variable } else { Outcome::Unset };
                            (current.unwrap_or_default(), outcome)
                        }
                    }
                    Operator::RequiredNonEmpty | Operator::Required => {
                        let ok = match (&current, op) {
                            (None, _) => false,
                            (Some(v), Operator::RequiredNonEmpty) => !v.is_empty(),
                            _ => true,
                        };
                        if !ok {
                            let reason = substitute(arg, base + arg_start, depth + 1, lookup, &mut Vec::new())?;
                            let message = if reason.is_empty() {
                                format!("required variable {name} is missing a value")
                            } else {
                                format!("required variable {name} is missing a value: {reason}")
                            };
                            return Err(InterpolationError {
                                range: base + i..base + close + 1,
                                message,
                                var: Some(name.to_string()),
                            });
                        }
                        (current.unwrap_or_default(), Outcome::Variable)
                    }
                };
                out.push_str(&value);
                records.push(Interpolation {
                    var: name.to_string(),
                    range: base + i..base + close + 1,
                    operator: Some(op),
                    argument: Some(arg_range),
                    outcome,
                    value,
                    depth,
                });
                i = close + 1;
                lit = i;
            }
            _ => i += 1,
        }
    }
    out.push_str(&t[lit..]);
    Ok(out)
}

/// compose-go's `getFirstBraceClosingIndex`: counts `{` (skipping the byte after each) and
/// `}`, and returns the `}` that closes the first `{`.
fn first_balanced_close(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let mut open = 0i32;
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'}' {
            open -= 1;
            if open == 0 {
                return Some(i);
            }
        }
        if b[i] == b'{' {
            open += 1;
            i += 1;
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    fn run(t: &str, e: &HashMap<String, String>) -> Result<String, InterpolationError> {
        interpolate(t, &|k| e.get(k).cloned()).map(|i| i.value)
    }

    #[test]
    fn plain_and_braced() {
        let e = env(&[("A", "x"), ("lower", "y")]);
        assert_eq!(run("$A-${A}", &e).unwrap(), "x-x");
        assert_eq!(run("$lower", &e).unwrap(), "y");
        assert_eq!(run("$UNSET.", &e).unwrap(), ".");
        assert_eq!(run("a$Ab", &e).unwrap(), "a");
    }

    #[test]
    fn escapes_and_literal_dollars() {
        let e = env(&[]);
        assert_eq!(run("$$HOME", &e).unwrap(), "$HOME");
        assert_eq!(run("$${!}", &e).unwrap(), "${!}");
        assert_eq!(run("cost $5 $ (x) $(date)", &e).unwrap(), "cost $5 $ (x) $(date)");
        assert_eq!(run("end$", &e).unwrap(), "end$");
        assert_eq!(run("^(.*)://${X}/(.*)$$", &e).unwrap(), "^(.*):///(.*)$");
    }

    #[test]
    fn defaults() {
        let e = env(&[("EMPTY", ""), ("SET", "v")]);
        assert_eq!(run("${EMPTY:-d}", &e).unwrap(), "d");
        assert_eq!(run("${EMPTY-d}", &e).unwrap(), "");
        assert_eq!(run("${UNSET-d}", &e).unwrap(), "d");
        assert_eq!(run("${SET:-d}", &e).unwrap(), "v");
        assert_eq!(run("${COMPOSE_OPTIONS:--update=base}", &e).unwrap(), "-update=base");
        assert_eq!(run("${UNSET:-}", &e).unwrap(), "");
        assert_eq!(run("${UNSET:-a b c}", &e).unwrap(), "a b c");
    }

    #[test]
    fn alternatives() {
        let e = env(&[("EMPTY", ""), ("SET", "v")]);
        assert_eq!(run("${SET:+alt}", &e).unwrap(), "alt");
        assert_eq!(run("${EMPTY:+alt}", &e).unwrap(), "");
        assert_eq!(run("${EMPTY+alt}", &e).unwrap(), "alt");
        assert_eq!(run("${UNSET+alt}", &e).unwrap(), "");
    }

    #[test]
    fn required() {
        let e = env(&[("EMPTY", "")]);
        let err = run("x ${PW:?Set PW in .env} y", &e).unwrap_err();
        assert_eq!(err.message, "required variable PW is missing a value: Set PW in .env");
        assert_eq!(err.range, 2..23);
        assert_eq!(err.var.as_deref(), Some("PW"));
        assert!(run("${EMPTY:?msg}", &e).is_err());
        assert_eq!(run("${EMPTY?msg}", &e).unwrap(), "");
        assert_eq!(run("${PW?}", &e).unwrap_err().message, "required variable PW is missing a value");
    }

    #[test]
    fn nested_defaults() {
        let e = env(&[]);
        let r = interpolate("${ODOO_IMAGE:-odoo:${ODOO_VERSION:-18.0}}", &|k| e.get(k).cloned()).unwrap();
        assert_eq!(r.value, "odoo:18.0");
        assert_eq!(r.records.len(), 2);
        let inner = &r.records[0];
        assert_eq!(inner.var, "ODOO_VERSION");
        assert_eq!(inner.depth, 1);
        assert_eq!(inner.argument, Some(35..39));
        let outer = &r.records[1];
        assert_eq!(outer.var, "ODOO_IMAGE");
        assert_eq!(outer.range, 0..41);
        assert_eq!(outer.argument, Some(14..40));
        let e2 = env(&[("ODOO_VERSION", "17.0")]);
        assert_eq!(run("${ODOO_IMAGE:-odoo:${ODOO_VERSION:-18.0}}", &e2).unwrap(), "odoo:17.0");
    }

    #[test]
    fn several_on_one_line() {
        let e = env(&[("A", "1")]);
        assert_eq!(run("${A:-x} and ${B:-y} and $A}", &e).unwrap(), "1 and y and 1}");
        assert_eq!(run("${A}${A}", &e).unwrap(), "11");
    }

    #[test]
    fn invalid_templates() {
        let e = env(&[]);
        assert!(run("${!}", &e).is_err());
        assert!(run("${A B}", &e).is_err());
        assert!(run("${A:x}", &e).is_err());
        assert!(run("${", &e).is_err());
        // the `}` must be on the same line
        assert!(run("${A:-x\n}", &e).is_err());
        assert!(run("${A:-x", &e).is_err());
    }

    #[test]
    fn records_outcomes() {
        let e = env(&[("SET", "v")]);
        let r = interpolate("$SET ${UNSET} ${U:-d}", &|k| e.get(k).cloned()).unwrap();
        let outcomes: Vec<_> = r.records.iter().map(|x| (x.var.as_str(), x.outcome.clone(), x.range.clone())).collect();
        assert_eq!(
            outcomes,
            vec![("SET", Outcome::Variable, 0..4), ("UNSET", Outcome::Unset, 5..13), ("U", Outcome::Default, 14..21)]
        );
    }
}

//! The plan: every value `tune` computes, with the formula and the inputs it came from, the
//! value it would replace, where that value lives, and whether it changes.
//!
//! A value is left alone when it is within 5 % of the computed one (timescaledb-tune's
//! tolerance, so that re-runs do not churn), when it lies in the range where the user's own
//! choice is sane (timeouts), when `[tune] keep` pins it, or when it is set somewhere a file
//! edit cannot change (a command-line flag, an environment variable, `ALTER SYSTEM`). Every
//! value computed later uses the value that stays, so a kept value is planned around.

use crate::diagnostic::Severity;
use crate::formats::nginx::model::NodeId;
use crate::units::Bytes;
use serde::Serialize;
use std::fmt;

/// What a value measures.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Count,
    Bytes,
    Seconds,
    Number,
    /// A word or a route: compared as text.
    Word,
}

/// A value as `tune` compares it and as its program reads it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Value {
    pub kind: Kind,
    /// The quantity (bytes, seconds, a count); 0 for words.
    pub amount: f64,
    /// As its file says it: `671088640`, `2GB`, `1270s`, `off`.
    pub written: String,
}

impl Value {
    pub fn count(n: i64) -> Value {
        Value { kind: Kind::Count, amount: n as f64, written: n.to_string() }
    }
    pub fn bytes(b: u64, written: impl Into<String>) -> Value {
        Value { kind: Kind::Bytes, amount: b as f64, written: written.into() }
    }
    pub fn seconds(s: u64, written: impl Into<String>) -> Value {
        Value { kind: Kind::Seconds, amount: s as f64, written: written.into() }
    }
    pub fn number(x: f64) -> Value {
        Value { kind: Kind::Number, amount: x, written: format!("{x}") }
    }
    pub fn word(w: impl Into<String>) -> Value {
        Value { kind: Kind::Word, amount: 0.0, written: w.into() }
    }
    /// The count as an integer (negative values stay as they are).
    pub fn int(&self) -> i64 {
        self.amount as i64
    }
    pub fn as_bytes(&self) -> Bytes {
        Bytes(self.amount.max(0.0) as u64)
    }
}

impl fmt::Display for Value {
    /// For people: `640 MiB`, `1200 s`, `9`, `off`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            Kind::Bytes if self.amount >= 0.0 => write!(f, "{}", Bytes(self.amount as u64)),
            Kind::Seconds => write!(f, "{} s", self.amount),
            _ => f.write_str(&self.written),
        }
    }
}

/// Where a value lives: the file, and the place in it, that an edit of the value goes to.
/// docker-compose plugs in as one more variant (`Compose { service, key }`, written through
/// `formats/compose/edit.rs`), with the same items, decisions and write path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Place {
    /// A section of the stack's odoo.conf (`options`, `queue_job`).
    Odoo { section: &'static str },
    /// A PostgreSQL server of the stack (index in `Stack::postgres`): the line that wins, in
    /// whichever file of its includes holds it, else a sample line or a new line.
    Postgres { server: usize },
    /// An nginx configuration of the stack (index in `Stack::nginx`).
    Nginx { config: usize, at: NginxAt },
    /// `[Service]` of a systemd unit (index in `System::units`).
    Unit { unit: usize },
    /// pam_limits `nofile` for a user, in the stack's limits files.
    Limits { user: String, hard: bool },
    /// A key of a compose service (`ulimits.nofile`, `stop_grace_period`): `project` indexes
    /// `Stack::compose`, `service` its services.
    Compose { project: usize, service: usize },
}

/// Where in an nginx configuration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NginxAt {
    /// The first argument of this directive.
    Directive(NodeId),
    /// A new directive in this block (a server or location; `None`: the root of a snippet).
    New(Option<NodeId>),
    /// A new bus location in the server of this route (index in `Stack::routes`).
    BusLocation { route: usize },
    /// The port of a target of this route.
    Port { route: usize, target: usize },
    /// A new directive at the main level of an nginx.conf (`worker_rlimit_nofile`).
    Main,
}

/// How the computed value binds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Goal {
    /// This value: the current one stays when within 5 %.
    Near,
    /// At least this value (less by up to 5 % counts).
    AtLeast,
    /// Any value within the bounds: the user's own stays when it is sane.
    Sane,
}

/// Hard limits: a current value outside them always changes (they come from the rules'
/// thresholds, so that a tuned stack is clean by construction).
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Bounds {
    pub lo: Option<f64>,
    pub hi: Option<f64>,
}

impl Bounds {
    pub const NONE: Bounds = Bounds { lo: None, hi: None };
    pub fn at_least(lo: f64) -> Bounds {
        Bounds { lo: Some(lo), hi: None }
    }
    pub fn at_most(hi: f64) -> Bounds {
        Bounds { lo: None, hi: Some(hi) }
    }
    pub fn between(lo: f64, hi: f64) -> Bounds {
        Bounds { lo: Some(lo), hi: Some(hi) }
    }
    pub fn contains(&self, x: f64) -> bool {
        self.lo.is_none_or(|lo| x >= lo) && self.hi.is_none_or(|hi| x <= hi)
    }
}

/// The share by which a value may differ from the computed one and stay.
pub const TOLERANCE: f64 = 0.05;

/// What happens to a value.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "decision", content = "why", rename_all = "kebab-case")]
pub enum Decision {
    /// Written.
    Change,
    /// Already the computed value.
    Equal,
    /// Within 5 % of it.
    Close,
    /// The user's value, within the sane range.
    Sane,
    /// Pinned by `[tune] keep` in odoo-lint.toml.
    Pinned,
    /// It should change, but it is set where no file edit reaches (the reason says where).
    Blocked(String),
}

impl Decision {
    pub fn changes(&self) -> bool {
        matches!(self, Decision::Change)
    }
}

/// Whether `current` stays, against `target` under `goal` and `bounds` (pins and unwritable
/// places are decided by the planner before this).
pub fn decide(current: Option<&Value>, target: &Value, goal: Goal, bounds: Bounds) -> Decision {
    let Some(c) = current else { return Decision::Change };
    if c.kind == Kind::Word || target.kind == Kind::Word {
        return if c.written.eq_ignore_ascii_case(&target.written) { Decision::Equal } else { Decision::Change };
    }
    let (x, t) = (c.amount, target.amount);
    if !bounds.contains(x) {
        return Decision::Change;
    }
    if x == t {
        return Decision::Equal;
    }
    let slack = (t.abs() * TOLERANCE).max(f64::EPSILON);
    match goal {
        Goal::Near if (x - t).abs() <= slack => Decision::Close,
        Goal::AtLeast if x >= t - slack => {
            if x >= t {
                Decision::Sane
            } else {
                Decision::Close
            }
        }
        Goal::Sane => Decision::Sane,
        _ => Decision::Change,
    }
}

/// An input a formula used, with where it came from.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Input {
    pub name: String,
    pub value: String,
    pub origin: String,
}

impl Input {
    pub fn new(name: impl Into<String>, value: impl fmt::Display, origin: impl fmt::Display) -> Input {
        Input { name: name.into(), value: value.to_string(), origin: origin.to_string() }
    }
}

/// The value an item replaces.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Current {
    /// `None`: not set and no default applies (a missing route), or unreadable.
    pub value: Option<Value>,
    /// "set in odoo.conf", "Odoo 17 default", "nginx default", "from `--workers 5`".
    pub origin: String,
}

/// One value of the plan.
#[derive(Clone, Debug, PartialEq)]
pub struct Item {
    /// The setting's name in its file (`workers`, `max_connections`, `proxy_read_timeout`).
    pub key: &'static str,
    pub place: Place,
    /// The file and block it is in, for people: "odoo.conf", "nginx/odoo.conf `location /`".
    pub location: String,
    pub current: Current,
    pub target: Value,
    pub goal: Goal,
    pub bounds: Bounds,
    /// How the target was computed, with the numbers: "2 × 4 CPUs + 1 − 1 cron = 8".
    pub formula: String,
    pub inputs: Vec<Input>,
    pub decision: Decision,
}

impl Item {
    /// The value the stack has after the plan: the target when it changes, else the current one.
    pub fn effective(&self) -> &Value {
        match (&self.decision, &self.current.value) {
            (Decision::Change, _) | (_, None) => &self.target,
            (_, Some(c)) => c,
        }
    }
}

/// A finding of the planner: something tune cannot fix with a value (the host is too small,
/// a value is pinned against a rule), with the rule that will report it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Note {
    pub severity: Severity,
    /// The rule `check` will report it under, if any.
    pub code: Option<&'static str>,
    pub text: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_percent_rule() {
        let t = Value::count(100);
        assert_eq!(decide(Some(&Value::count(104)), &t, Goal::Near, Bounds::NONE), Decision::Close);
        assert_eq!(decide(Some(&Value::count(96)), &t, Goal::Near, Bounds::NONE), Decision::Close);
        assert_eq!(decide(Some(&Value::count(106)), &t, Goal::Near, Bounds::NONE), Decision::Change);
        assert_eq!(decide(Some(&Value::count(100)), &t, Goal::Near, Bounds::NONE), Decision::Equal);
        assert_eq!(decide(None, &t, Goal::Near, Bounds::NONE), Decision::Change);
    }

    #[test]
    fn bounds_win_over_tolerance() {
        // within 5 % of the target, but above the rule's ceiling
        let t = Value::count(100);
        assert_eq!(decide(Some(&Value::count(103)), &t, Goal::Near, Bounds::at_most(101.0)), Decision::Change);
        assert_eq!(decide(Some(&Value::count(97)), &t, Goal::AtLeast, Bounds::at_least(98.0)), Decision::Change);
    }

    #[test]
    fn at_least_and_sane() {
        let t = Value::seconds(1270, "1270s");
        assert_eq!(decide(Some(&Value::seconds(3600, "1h")), &t, Goal::AtLeast, Bounds::at_least(1200.0)), Decision::Sane);
        assert_eq!(decide(Some(&Value::seconds(1250, "1250s")), &t, Goal::AtLeast, Bounds::at_least(1200.0)), Decision::Close);
        assert_eq!(decide(Some(&Value::seconds(60, "60s")), &t, Goal::AtLeast, Bounds::at_least(1200.0)), Decision::Change);
        let real = Value::seconds(120, "120");
        let b = Bounds::between(60.0, 7200.0);
        assert_eq!(decide(Some(&Value::seconds(1200, "1200")), &real, Goal::Sane, b), Decision::Sane);
        assert_eq!(decide(Some(&Value::seconds(0, "0")), &real, Goal::Sane, b), Decision::Change);
    }

    #[test]
    fn words_compare_as_text() {
        assert_eq!(decide(Some(&Value::word("OFF")), &Value::word("off"), Goal::Near, Bounds::NONE), Decision::Equal);
        assert_eq!(decide(Some(&Value::word("on")), &Value::word("off"), Goal::Near, Bounds::NONE), Decision::Change);
    }

    #[test]
    fn effective_value() {
        let mut item = Item {
            key: "workers",
            place: Place::Odoo { section: "options" },
            location: "odoo.conf".into(),
            current: Current { value: Some(Value::count(9)), origin: "set in odoo.conf".into() },
            target: Value::count(5),
            goal: Goal::Near,
            bounds: Bounds::NONE,
            formula: String::new(),
            inputs: Vec::new(),
            decision: Decision::Change,
        };
        assert_eq!(item.effective().int(), 5);
        item.decision = Decision::Pinned;
        assert_eq!(item.effective().int(), 9);
    }
}

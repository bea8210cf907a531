//! Typed services: what `docker compose config` resolves, each value with where it was
//! written and the interpolations it went through.
//!
//! Short and long syntaxes are both read (ports, volumes, ulimits, depends_on,
//! healthcheck.test, command/entrypoint, environment, env_file); sizes follow Docker's
//! units ([`units::parse_docker_bytes`]) and durations Go's ([`units::parse_go_duration`]).
//! A value compose would reject is a [`ErrorKind::Model`] error at its exact range.

use std::path::PathBuf;

use crate::formats::SyntaxError;
use crate::source::{FileId, Span};
use crate::units::{self, Bytes, Millis};

use super::dotenv;
use super::loader::{FileRole, FileSystem, MissingFile, Project, resolve_path};
use super::syntax::{self, ImageRef};
use super::value::{Origin, Val, Value, ValueInterpolation, VarSource};
use super::yaml::ScalarStyle;
use super::{ComposeError, ErrorKind};

/// A value with its origin and the interpolations that produced it.
#[derive(Clone, Debug, PartialEq)]
pub struct Spanned<T> {
    pub value: T,
    pub origin: Origin,
    pub interpolations: Vec<ValueInterpolation>,
}

impl<T> Spanned<T> {
    pub fn span(&self) -> Span {
        self.origin.span()
    }
    /// Whether the text was written inside an anchor and reached through an alias or `<<`
    /// (editing it changes every user of the anchor).
    pub fn via_alias(&self) -> bool {
        self.origin.via_alias.is_some()
    }
    fn from(value: T, v: &Value) -> Self {
        Spanned { value, origin: v.origin.clone(), interpolations: v.interpolations().to_vec() }
    }
}

/// `command:` or `entrypoint:`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Command {
    pub args: Vec<String>,
    /// Written as a string (split with shell rules) rather than a list.
    pub from_string: bool,
}

/// Where an environment variable's value comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EnvSource {
    /// `environment:` in a compose file.
    Compose,
    /// An `env_file`.
    EnvFile(FileId),
    /// A bare `KEY` (or `KEY:` with no value) taking the project environment's value.
    Host(VarSource),
}

#[derive(Clone, Debug, PartialEq)]
pub struct EnvEntry {
    pub name: String,
    /// None: declared without value and absent from the environment (compose passes
    /// nothing).
    pub value: Option<String>,
    pub source: EnvSource,
    /// The value's text (the key's for a bare `KEY`).
    pub origin: Origin,
    pub interpolations: Vec<ValueInterpolation>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnvFileRef {
    pub path: String,
    pub resolved: PathBuf,
    pub required: bool,
    /// The env file's id in the project, when it was read.
    pub file: Option<FileId>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Port {
    pub host_ip: Option<String>,
    pub published: Option<String>,
    pub target: u32,
    pub protocol: String,
    pub mode: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Volume {
    /// `bind`, `volume`, `tmpfs`, `npipe`, `cluster`, `image`.
    pub kind: String,
    pub source: Option<String>,
    /// A bind's source as an absolute, cleaned path (relative to its file's base dir).
    pub resolved_source: Option<PathBuf>,
    pub target: String,
    pub read_only: bool,
}

/// One `ulimits` entry: `nofile: 65536` (soft = hard) or `{soft, hard}`.
#[derive(Clone, Debug, PartialEq)]
pub struct Ulimit {
    pub name: String,
    pub soft: Option<Spanned<i64>>,
    pub hard: Option<Spanned<i64>>,
    /// Written as a single number.
    pub single: bool,
    pub origin: Origin,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Dependency {
    pub service: String,
    pub condition: String,
    pub required: bool,
    pub origin: Origin,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HealthTest {
    /// `["NONE"]`: the image's healthcheck is disabled.
    None,
    /// `["CMD", args…]`.
    Cmd(Vec<String>),
    /// `["CMD-SHELL", cmd]` or a plain string.
    Shell(String),
    /// A list whose first word is none of those (compose passes it on; Docker rejects it).
    Other(Vec<String>),
}

#[derive(Clone, Debug, PartialEq, Default)]
pub struct Healthcheck {
    pub test: Option<Spanned<HealthTest>>,
    pub interval: Option<Spanned<Millis>>,
    pub timeout: Option<Spanned<Millis>>,
    pub start_period: Option<Spanned<Millis>>,
    pub start_interval: Option<Spanned<Millis>>,
    pub retries: Option<Spanned<u64>>,
    pub disable: Option<Spanned<bool>>,
    pub origin: Option<Origin>,
}

/// `memswap_limit`: memory plus swap, or `-1` for unlimited swap.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SwapLimit {
    Unlimited,
    Bytes(Bytes),
}

/// `deploy.resources.limits` or `.reservations`.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Resources {
    pub memory: Option<Spanned<Bytes>>,
    pub cpus: Option<Spanned<f64>>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct NetworkAttachment {
    pub name: String,
    pub aliases: Vec<Spanned<String>>,
    pub origin: Origin,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SecretRef {
    pub source: String,
    pub target: Option<String>,
}

/// A service after interpolation, merge keys, `extends` and overrides.
#[derive(Clone, Debug, PartialEq)]
pub struct Service {
    pub name: String,
    /// The service's mapping where it was first defined, and its key.
    pub origin: Origin,
    /// The resolved data, for anything not modelled here.
    pub raw: Value,
    pub image: Option<Spanned<ImageRef>>,
    pub container_name: Option<Spanned<String>>,
    pub hostname: Option<Spanned<String>>,
    pub restart: Option<Spanned<String>>,
    pub command: Option<Spanned<Command>>,
    pub entrypoint: Option<Spanned<Command>>,
    /// Sorted by name, env_file values first overridden by `environment`.
    pub environment: Vec<EnvEntry>,
    pub env_files: Vec<Spanned<EnvFileRef>>,
    pub ports: Vec<Spanned<Port>>,
    pub volumes: Vec<Spanned<Volume>>,
    pub ulimits: Vec<Ulimit>,
    pub depends_on: Vec<Dependency>,
    pub healthcheck: Option<Healthcheck>,
    pub limits: Resources,
    pub reservations: Resources,
    pub mem_limit: Option<Spanned<Bytes>>,
    pub memswap_limit: Option<Spanned<SwapLimit>>,
    pub mem_reservation: Option<Spanned<Bytes>>,
    pub cpus: Option<Spanned<f64>>,
    pub stop_grace_period: Option<Spanned<Millis>>,
    pub profiles: Vec<Spanned<String>>,
    pub networks: Vec<NetworkAttachment>,
    pub secrets: Vec<Spanned<SecretRef>>,
}

impl Service {
    pub fn env(&self, name: &str) -> Option<&EnvEntry> {
        self.environment.iter().find(|e| e.name == name)
    }
    pub fn ulimit(&self, name: &str) -> Option<&Ulimit> {
        self.ulimits.iter().find(|u| u.name == name)
    }
    /// The memory limit compose applies: `mem_limit` or `deploy.resources.limits.memory`.
    pub fn memory_limit(&self) -> Option<&Spanned<Bytes>> {
        self.mem_limit.as_ref().or(self.limits.memory.as_ref())
    }
    /// The CPU limit compose applies: `cpus` or `deploy.resources.limits.cpus`.
    pub fn cpu_limit(&self) -> Option<&Spanned<f64>> {
        self.cpus.as_ref().or(self.limits.cpus.as_ref())
    }
}

/// How yaml.v3 (compose's YAML library) turns a plain scalar into a string when the
/// target is a string: `True` → `true`, `010` → `8`, `1.0` → `1`, `0x1F` → `31`.
pub fn plain_to_string(s: &str) -> String {
    match s {
        "true" | "True" | "TRUE" => return "true".into(),
        "false" | "False" | "FALSE" => return "false".into(),
        _ => {}
    }
    if let Some(i) = go_parse_int(s) {
        return i.to_string();
    }
    if is_yaml_float(s)
        && let Ok(f) = s.parse::<f64>()
    {
        return format_go_float(f);
    }
    s.to_string()
}

fn go_parse_int(s: &str) -> Option<i64> {
    let (neg, body) = match s.as_bytes().first()? {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    if body.is_empty() {
        return None;
    }
    let (radix, digits) = if let Some(d) = body.strip_prefix("0x").or_else(|| body.strip_prefix("0X")) {
        (16, d)
    } else if let Some(d) = body.strip_prefix("0o").or_else(|| body.strip_prefix("0O")) {
        (8, d)
    } else if let Some(d) = body.strip_prefix("0b").or_else(|| body.strip_prefix("0B")) {
        (2, d)
    } else if body.len() > 1 && body.starts_with('0') {
        (8, &body[1..])
    } else {
        (10, body)
    };
    // Go's base-0 parsing accepts `_` between digits
    if digits.starts_with('_') || digits.ends_with('_') || digits.contains("__") {
        return None;
    }
    let digits = digits.replace('_', "");
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    let v = i64::from_str_radix(&digits, radix).ok()?;
    Some(if neg { -v } else { v })
}

fn is_yaml_float(s: &str) -> bool {
    let b = s.strip_prefix(['-', '+']).unwrap_or(s);
    let (mantissa, exp) = match b.find(['e', 'E']) {
        Some(i) => (&b[..i], Some(&b[i + 1..])),
        None => (b, None),
    };
    let ok_m = match mantissa.split_once('.') {
        Some((a, f)) => {
            a.chars().all(|c| c.is_ascii_digit()) && f.chars().all(|c| c.is_ascii_digit()) && !(a.is_empty() && f.is_empty())
        }
        None => !mantissa.is_empty() && mantissa.chars().all(|c| c.is_ascii_digit()),
    };
    let ok_e = exp.is_none_or(|e| {
        let e = e.strip_prefix(['-', '+']).unwrap_or(e);
        !e.is_empty() && e.chars().all(|c| c.is_ascii_digit())
    });
    ok_m && ok_e
}

fn format_go_float(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e21 { format!("{}", f as i64) } else { format!("{f}") }
}

/// A scalar as compose's string fields see it (plain scalars go through YAML typing).
fn string_of(v: &Value) -> Option<String> {
    match &v.val {
        Val::Str { text, style: ScalarStyle::Plain, interpolations } if interpolations.is_empty() => Some(plain_to_string(text)),
        Val::Str { text, .. } => Some(text.clone()),
        _ => None,
    }
}

struct Ctx<'a> {
    project: &'a mut Project,
    fs: &'a dyn FileSystem,
}

impl Ctx<'_> {
    fn error(&mut self, origin: &Origin, message: impl Into<String>) {
        self.project.errors.push(ComposeError {
            file: origin.file,
            kind: ErrorKind::Model,
            error: SyntaxError::new(origin.range, message),
        });
    }

    fn string(&mut self, v: Option<&Value>, what: &str) -> Option<Spanned<String>> {
        let v = v?;
        if v.is_null() {
            return None;
        }
        match string_of(v) {
            Some(s) => Some(Spanned::from(s, v)),
            None => {
                self.error(&v.origin, format!("{what} must be a string"));
                None
            }
        }
    }

    fn bytes(&mut self, v: Option<&Value>, what: &str) -> Option<Spanned<Bytes>> {
        let v = v?;
        if v.is_null() {
            return None;
        }
        let s = v.as_str().unwrap_or("");
        match units::parse_docker_bytes(s) {
            Some(b) => Some(Spanned::from(b, v)),
            None => {
                self.error(&v.origin, format!("invalid size {s:?} for {what}"));
                None
            }
        }
    }

    fn duration(&mut self, v: Option<&Value>, what: &str) -> Option<Spanned<Millis>> {
        let v = v?;
        if v.is_null() {
            return None;
        }
        let s = v.as_str().unwrap_or("");
        if v.is_plain() && go_parse_int(s).is_some() && s != "0" {
            self.error(&v.origin, format!("{what} must be a string with a unit, like \"{s}s\""));
            return None;
        }
        match units::parse_go_duration(s) {
            Some(d) => Some(Spanned::from(d, v)),
            None => {
                self.error(&v.origin, format!("invalid duration {s:?} for {what}: missing or unknown unit"));
                None
            }
        }
    }

    fn float(&mut self, v: Option<&Value>, what: &str) -> Option<Spanned<f64>> {
        let v = v?;
        if v.is_null() {
            return None;
        }
        let s = v.as_str().unwrap_or("").trim();
        match s.parse::<f64>().ok().filter(|f| f.is_finite() && *f >= 0.0) {
            Some(f) => Some(Spanned::from(f, v)),
            None => {
                self.error(&v.origin, format!("invalid number {s:?} for {what}"));
                None
            }
        }
    }

    fn int(&mut self, v: Option<&Value>, what: &str) -> Option<Spanned<i64>> {
        let v = v?;
        if v.is_null() {
            return None;
        }
        match v.as_int() {
            Some(i) => Some(Spanned::from(i, v)),
            None => {
                self.error(&v.origin, format!("{what} must be an integer"));
                None
            }
        }
    }

    fn base_dir(&self, file: FileId) -> PathBuf {
        self.project.files[file.0 as usize].base_dir.clone()
    }
}

/// Builds [`Project::services`] from [`Project::root`], reading `env_file`s.
pub fn build(project: &mut Project, fs: &dyn FileSystem) {
    let Some(root) = project.root.clone() else {
        return;
    };
    let Some(services) = root.get("services") else {
        super::validate::validate(project);
        return;
    };
    let Some(entries) = services.as_map() else {
        project.errors.push(ComposeError {
            file: services.origin.file,
            kind: ErrorKind::Model,
            error: SyntaxError::new(services.origin.range, "services must be a mapping"),
        });
        super::validate::validate(project);
        return;
    };
    let mut ctx = Ctx { project, fs };
    let mut out = Vec::new();
    for e in entries {
        if e.value.as_map().is_none() {
            if !e.value.is_null() {
                ctx.error(&e.value.origin, format!("services.{} must be a mapping", e.key));
            }
            continue;
        }
        out.push(service(&mut ctx, &e.key, &e.value));
    }
    ctx.project.services = out;
    super::validate::validate(ctx.project);
}

/// Go's `path.Clean` for a container path: `/var/log/odoo/` → `/var/log/odoo`.
pub fn clean_unix_path(p: &str) -> String {
    if p.is_empty() {
        return String::new();
    }
    let rooted = p.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for seg in p.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|l| *l != "..") {
                    parts.pop();
                } else if !rooted {
                    parts.push("..");
                }
            }
            s => parts.push(s),
        }
    }
    let joined = parts.join("/");
    match (rooted, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".into(),
        (false, false) => joined,
    }
}

fn service(ctx: &mut Ctx<'_>, name: &str, v: &Value) -> Service {
    let image = ctx.string(v.get("image"), "image").map(|s| Spanned {
        value: syntax::split_image(&s.value),
        origin: s.origin,
        interpolations: s.interpolations,
    });
    let deploy_res = v.get("deploy").and_then(|d| d.get("resources"));
    let resources = |ctx: &mut Ctx<'_>, which: &str| {
        let r = deploy_res.and_then(|r| r.get(which));
        Resources {
            memory: ctx.bytes(r.and_then(|r| r.get("memory")), &format!("deploy.resources.{which}.memory")),
            cpus: ctx.float(r.and_then(|r| r.get("cpus")), &format!("deploy.resources.{which}.cpus")),
        }
    };
    let limits = resources(ctx, "limits");
    let reservations = resources(ctx, "reservations");
    let mut s = Service {
        name: name.to_string(),
        origin: v.origin.clone(),
        raw: v.clone(),
        image,
        container_name: ctx.string(v.get("container_name"), "container_name"),
        hostname: ctx.string(v.get("hostname"), "hostname"),
        restart: ctx.string(v.get("restart"), "restart"),
        command: command(ctx, v.get("command"), "command"),
        entrypoint: command(ctx, v.get("entrypoint"), "entrypoint"),
        environment: Vec::new(),
        env_files: Vec::new(),
        ports: ports(ctx, v.get("ports")),
        volumes: volumes(ctx, v.get("volumes")),
        ulimits: ulimits(ctx, v.get("ulimits")),
        depends_on: depends_on(ctx, v.get("depends_on")),
        healthcheck: healthcheck(ctx, v.get("healthcheck")),
        limits,
        reservations,
        mem_limit: ctx.bytes(v.get("mem_limit"), "mem_limit"),
        memswap_limit: match v.get("memswap_limit") {
            Some(m) if m.as_str().map(str::trim) == Some("-1") => Some(Spanned::from(SwapLimit::Unlimited, m)),
            m => ctx.bytes(m, "memswap_limit").map(|b| Spanned {
                value: SwapLimit::Bytes(b.value),
                origin: b.origin,
                interpolations: b.interpolations,
            }),
        },
        mem_reservation: ctx.bytes(v.get("mem_reservation"), "mem_reservation"),
        cpus: ctx.float(v.get("cpus"), "cpus"),
        stop_grace_period: ctx.duration(v.get("stop_grace_period"), "stop_grace_period"),
        profiles: string_list(ctx, v.get("profiles"), "profiles"),
        networks: networks(ctx, v.get("networks")),
        secrets: secrets(ctx, v.get("secrets")),
    };
    // compose refuses two different values for the same limit
    type Limit<'a> = &'a Option<Spanned<Bytes>>;
    let pairs: [(Limit, Limit, &str, &str); 2] = [
        (&s.mem_limit, &s.limits.memory, "mem_limit", "deploy.resources.limits.memory"),
        (&s.mem_reservation, &s.reservations.memory, "mem_reservation", "deploy.resources.reservations.memory"),
    ];
    for (a, b, an, bn) in pairs {
        if let (Some(a), Some(b)) = (a, b)
            && a.value != b.value
        {
            let o = b.origin.clone();
            ctx.error(&o, format!("can't set distinct values on '{an}' and '{bn}'"));
        }
    }
    if let (Some(a), Some(b)) = (&s.cpus, &s.limits.cpus)
        && a.value != b.value
    {
        let o = b.origin.clone();
        ctx.error(&o, "can't set distinct values on 'cpus' and 'deploy.resources.limits.cpus'");
    }
    let (env_files, from_files) = env_files(ctx, v.get("env_file"));
    s.env_files = env_files;
    s.environment = environment(ctx, v.get("environment"), from_files);
    s
}

fn command(ctx: &mut Ctx<'_>, v: Option<&Value>, what: &str) -> Option<Spanned<Command>> {
    let v = v?;
    match &v.val {
        Val::Null => None,
        Val::Str { text, .. } => match syntax::shell_words(text) {
            Ok(args) => Some(Spanned::from(Command { args, from_string: true }, v)),
            Err(e) => {
                ctx.error(&v.origin, format!("{what}: {e}"));
                None
            }
        },
        Val::Seq(items) => {
            let args = items.iter().map(|i| string_of(i).unwrap_or_default()).collect();
            Some(Spanned::from(Command { args, from_string: false }, v))
        }
        Val::Map(_) => {
            ctx.error(&v.origin, format!("{what} must be a string or a list"));
            None
        }
    }
}

fn string_list(ctx: &mut Ctx<'_>, v: Option<&Value>, what: &str) -> Vec<Spanned<String>> {
    let Some(v) = v else { return Vec::new() };
    match &v.val {
        Val::Seq(items) => items.iter().filter_map(|i| ctx.string(Some(i), what)).collect(),
        Val::Null => Vec::new(),
        _ => ctx.string(Some(v), what).into_iter().collect(),
    }
}

fn ports(ctx: &mut Ctx<'_>, v: Option<&Value>) -> Vec<Spanned<Port>> {
    let Some(items) = v.and_then(Value::as_seq) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for item in items {
        match &item.val {
            Val::Str { text, .. } => match syntax::parse_port(text) {
                Ok(specs) => {
                    for p in specs {
                        let port = Port {
                            host_ip: p.host_ip,
                            published: p.published,
                            target: p.target,
                            protocol: p.protocol,
                            mode: "ingress".into(),
                        };
                        out.push(Spanned::from(port, item));
                    }
                }
                Err(e) => ctx.error(&item.origin, format!("invalid port {text:?}: {e}")),
            },
            Val::Map(_) => {
                let Some(target) = item.get("target").and_then(Value::as_int).and_then(|t| u32::try_from(t).ok()) else {
                    ctx.error(&item.origin, "a port needs a numeric target");
                    continue;
                };
                let get = |k: &str| item.get(k).and_then(string_of).filter(|s| !s.is_empty());
                let port = Port {
                    host_ip: get("host_ip"),
                    published: get("published"),
                    target,
                    protocol: get("protocol").unwrap_or_else(|| "tcp".into()),
                    mode: get("mode").unwrap_or_else(|| "ingress".into()),
                };
                out.push(Spanned::from(port, item));
            }
            _ => ctx.error(&item.origin, "a port must be a string, a number or a mapping"),
        }
    }
    out
}

fn volumes(ctx: &mut Ctx<'_>, v: Option<&Value>) -> Vec<Spanned<Volume>> {
    let Some(items) = v.and_then(Value::as_seq) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for item in items {
        let dir = ctx.base_dir(item.origin.file);
        let vol = match &item.val {
            Val::Str { text, .. } => match syntax::parse_volume(text) {
                Ok(s) => Volume {
                    kind: s.kind.into(),
                    source: s.source,
                    resolved_source: None,
                    target: s.target,
                    read_only: s.read_only,
                },
                Err(e) => {
                    ctx.error(&item.origin, e);
                    continue;
                }
            },
            Val::Map(_) => {
                let get = |k: &str| item.get(k).and_then(string_of);
                let Some(target) = get("target") else {
                    ctx.error(&item.origin, "a volume needs a target");
                    continue;
                };
                Volume {
                    kind: get("type").unwrap_or_else(|| "volume".into()),
                    source: get("source").filter(|s| !s.is_empty()),
                    resolved_source: None,
                    target,
                    read_only: get("read_only").as_deref() == Some("true"),
                }
            }
            _ => {
                ctx.error(&item.origin, "a volume must be a string or a mapping");
                continue;
            }
        };
        let mut vol = vol;
        vol.target = clean_unix_path(&vol.target);
        if vol.kind == "bind"
            && let Some(src) = &vol.source
        {
            vol.resolved_source = Some(resolve_path(&dir, src, &ctx.project.env));
        }
        out.push(Spanned::from(vol, item));
    }
    out
}

fn ulimits(ctx: &mut Ctx<'_>, v: Option<&Value>) -> Vec<Ulimit> {
    let Some(entries) = v.and_then(Value::as_map) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for e in entries {
        let what = format!("ulimits.{}", e.key);
        let u = match &e.value.val {
            Val::Map(_) => Ulimit {
                name: e.key.clone(),
                soft: ctx.int(e.value.get("soft"), &format!("{what}.soft")),
                hard: ctx.int(e.value.get("hard"), &format!("{what}.hard")),
                single: false,
                origin: e.value.origin.clone(),
            },
            _ => {
                let n = ctx.int(Some(&e.value), &what);
                Ulimit { name: e.key.clone(), soft: n.clone(), hard: n, single: true, origin: e.value.origin.clone() }
            }
        };
        out.push(u);
    }
    out
}

fn depends_on(ctx: &mut Ctx<'_>, v: Option<&Value>) -> Vec<Dependency> {
    let Some(entries) = v.and_then(Value::as_map) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for e in entries {
        let condition = e.value.get("condition").and_then(string_of).unwrap_or_else(|| "service_started".into());
        if !matches!(condition.as_str(), "service_started" | "service_healthy" | "service_completed_successfully") {
            let o = e.value.get("condition").map(|c| c.origin.clone()).unwrap_or(e.value.origin.clone());
            ctx.error(&o, format!("invalid depends_on condition {condition:?}"));
        }
        let required = e.value.get("required").and_then(string_of).is_none_or(|r| r == "true");
        out.push(Dependency { service: e.key.clone(), condition, required, origin: e.value.origin.clone() });
    }
    out
}

fn healthcheck(ctx: &mut Ctx<'_>, v: Option<&Value>) -> Option<Healthcheck> {
    let v = v?;
    v.as_map()?;
    let test = v.get("test").and_then(|t| {
        let ht = match &t.val {
            Val::Str { text, .. } => HealthTest::Shell(text.clone()),
            Val::Seq(items) => {
                let words: Vec<String> = items.iter().map(|i| string_of(i).unwrap_or_default()).collect();
                match words.first().map(String::as_str) {
                    Some("NONE") => HealthTest::None,
                    Some("CMD") => HealthTest::Cmd(words[1..].to_vec()),
                    Some("CMD-SHELL") if words.len() == 2 => HealthTest::Shell(words[1].clone()),
                    _ => HealthTest::Other(words),
                }
            }
            _ => return None,
        };
        Some(Spanned::from(ht, t))
    });
    let disable = v.get("disable").filter(|d| !d.is_null()).map(|d| Spanned::from(string_of(d).as_deref() == Some("true"), d));
    let retries = ctx.int(v.get("retries"), "healthcheck.retries").map(|r| Spanned {
        value: r.value.max(0) as u64,
        origin: r.origin,
        interpolations: r.interpolations,
    });
    Some(Healthcheck {
        test,
        interval: ctx.duration(v.get("interval"), "healthcheck.interval"),
        timeout: ctx.duration(v.get("timeout"), "healthcheck.timeout"),
        start_period: ctx.duration(v.get("start_period"), "healthcheck.start_period"),
        start_interval: ctx.duration(v.get("start_interval"), "healthcheck.start_interval"),
        retries,
        disable,
        origin: Some(v.origin.clone()),
    })
}

fn networks(ctx: &mut Ctx<'_>, v: Option<&Value>) -> Vec<NetworkAttachment> {
    let Some(entries) = v.and_then(Value::as_map) else {
        return Vec::new();
    };
    entries
        .iter()
        .map(|e| NetworkAttachment {
            name: e.key.clone(),
            aliases: string_list(ctx, e.value.get("aliases"), "aliases"),
            origin: e.value.origin.clone(),
        })
        .collect()
}

fn secrets(ctx: &mut Ctx<'_>, v: Option<&Value>) -> Vec<Spanned<SecretRef>> {
    let Some(items) = v.and_then(Value::as_seq) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for item in items {
        let r = match &item.val {
            Val::Str { text, .. } => SecretRef { source: text.clone(), target: None },
            Val::Map(_) => SecretRef {
                source: item.get("source").and_then(string_of).unwrap_or_default(),
                target: item.get("target").and_then(string_of),
            },
            _ => {
                ctx.error(&item.origin, "a secret must be a string or a mapping");
                continue;
            }
        };
        out.push(Spanned::from(r, item));
    }
    out
}

/// Reads each `env_file`; returns the references and the variables they define.
fn env_files(ctx: &mut Ctx<'_>, v: Option<&Value>) -> (Vec<Spanned<EnvFileRef>>, Vec<EnvEntry>) {
    let Some(items) = v.and_then(Value::as_seq) else {
        return (Vec::new(), Vec::new());
    };
    let mut refs = Vec::new();
    let mut vars: Vec<EnvEntry> = Vec::new();
    for item in items {
        let (path, required, at) = match &item.val {
            Val::Str { text, .. } => (text.clone(), true, item),
            Val::Map(_) => {
                let Some(p) = item.get("path") else {
                    ctx.error(&item.origin, "env_file needs a path");
                    continue;
                };
                let required = item.get("required").and_then(string_of).is_none_or(|r| r == "true");
                (p.as_str().unwrap_or("").to_string(), required, p)
            }
            _ => continue,
        };
        let dir = ctx.base_dir(at.origin.file);
        let resolved = resolve_path(&dir, &path, &ctx.project.env);
        let file = match ctx.project.find_file(&resolved) {
            Some(id) => Some(id),
            None => match ctx.fs.read(&resolved) {
                Ok(bytes) => {
                    let id = ctx.project.add_file(resolved.clone(), bytes, FileRole::EnvFile, dir.clone());
                    let text = ctx.project.files[id.0 as usize].source.text.clone();
                    let env = ctx.project.env.clone();
                    let parsed = dotenv::parse(&text, &|k| env.value(k));
                    for e in &parsed.errors {
                        ctx.project.errors.push(ComposeError { file: id, kind: ErrorKind::DotEnv, error: e.clone() });
                    }
                    ctx.project.files[id.0 as usize].dotenv = Some(parsed);
                    Some(id)
                }
                Err(_) => {
                    if required {
                        ctx.project.missing.push(MissingFile {
                            path: resolved.clone(),
                            role: FileRole::EnvFile,
                            referenced_at: Some(at.origin.span()),
                            required,
                        });
                        ctx.project.errors.push(ComposeError {
                            file: at.origin.file,
                            kind: ErrorKind::MissingFile,
                            error: SyntaxError::new(at.origin.range, format!("env file {} not found", resolved.display()))
                                .with_label("no such file"),
                        });
                    }
                    None
                }
            },
        };
        if let Some(id) = file
            && let Some(parsed) = &ctx.project.files[id.0 as usize].dotenv
        {
            for var in &parsed.vars {
                let entry = EnvEntry {
                    name: var.key.clone(),
                    value: Some(var.value.clone()),
                    source: EnvSource::EnvFile(id),
                    origin: Origin {
                        file: id,
                        node: None,
                        range: var.value_range,
                        key_range: Some(var.key_range),
                        via_alias: None,
                    },
                    interpolations: Vec::new(),
                };
                match vars.iter_mut().find(|x| x.name == var.key) {
                    Some(x) => *x = entry,
                    None => vars.push(entry),
                }
            }
        }
        refs.push(Spanned::from(EnvFileRef { path, resolved, required, file }, at));
    }
    (refs, vars)
}

fn environment(ctx: &mut Ctx<'_>, v: Option<&Value>, mut vars: Vec<EnvEntry>) -> Vec<EnvEntry> {
    if let Some(entries) = v.and_then(Value::as_map) {
        for e in entries {
            let entry = match &e.value.val {
                Val::Null => {
                    let origin =
                        Origin { range: e.value.origin.key_range.unwrap_or(e.value.origin.range), ..e.value.origin.clone() };
                    match ctx.project.env.get(&e.key) {
                        Some(var) => EnvEntry {
                            name: e.key.clone(),
                            value: Some(var.value.clone()),
                            source: EnvSource::Host(var.source.clone()),
                            origin,
                            interpolations: Vec::new(),
                        },
                        None => EnvEntry {
                            name: e.key.clone(),
                            value: None,
                            source: EnvSource::Compose,
                            origin,
                            interpolations: Vec::new(),
                        },
                    }
                }
                Val::Str { .. } => EnvEntry {
                    name: e.key.clone(),
                    value: string_of(&e.value),
                    source: EnvSource::Compose,
                    origin: e.value.origin.clone(),
                    interpolations: e.value.interpolations().to_vec(),
                },
                _ => {
                    ctx.error(&e.value.origin, format!("environment.{} must be a string, a number, a boolean or null", e.key));
                    continue;
                }
            };
            match vars.iter_mut().find(|x| x.name == e.key) {
                Some(x) => *x = entry,
                None => vars.push(entry),
            }
        }
    }
    vars.sort_by(|a, b| a.name.cmp(&b.name));
    vars
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_typing_of_plain_scalars() {
        // checked against docker-compose v2.40.3 (`environment:` values)
        assert_eq!(plain_to_string("True"), "true");
        assert_eq!(plain_to_string("010"), "8");
        assert_eq!(plain_to_string("1.0"), "1");
        assert_eq!(plain_to_string("4"), "4");
        assert_eq!(plain_to_string("0x1F"), "31");
        assert_eq!(plain_to_string("yes"), "yes");
        assert_eq!(plain_to_string("1.5"), "1.5");
        assert_eq!(plain_to_string("08"), "8");
        assert_eq!(plain_to_string("1.2.3"), "1.2.3");
        assert_eq!(plain_to_string("1e3"), "1000");
        assert_eq!(plain_to_string(".5"), "0.5");
        assert_eq!(plain_to_string("+12"), "12");
        assert_eq!(plain_to_string("1_000"), "1000");
        assert_eq!(plain_to_string("0o17"), "15");
        assert_eq!(plain_to_string("3."), "3");
    }

    #[test]
    fn clean_paths() {
        assert_eq!(clean_unix_path("/var/log/odoo/"), "/var/log/odoo");
        assert_eq!(clean_unix_path("/a//b/./c/../d"), "/a/b/d");
        assert_eq!(clean_unix_path("/.."), "/");
        assert_eq!(clean_unix_path("a/../.."), "..");
    }
}

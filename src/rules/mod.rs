//! The rule registry and what a rule sees while it checks a stack.
//!
//! One rule per file, grouped by family folder; each declares its metadata with
//! [`declare_rule!`](crate::declare_rule), which also embeds its documentation from `rules/<CODE>-<name>.md`
//! (a rule without a doc does not compile). [`REGISTRY`] lists every rule, in code order.

use crate::diagnostic::{Diagnostic, Fix, Label, Severity};
use crate::files::FileSet;
use crate::host::{Fact, HostFact};
use crate::source::{FileId, Span, TextRange};
use crate::stack::Stack;
use crate::units::Bytes;
use std::collections::BTreeMap;

pub mod containers;
pub mod database;
pub mod input;
pub mod memory;
pub mod modules;
pub mod os_limits;
pub mod proxy;
pub mod security;
pub mod timeouts;
pub mod workers;

/// What a problem leads to, so that operators who arrive with a symptom find its causes.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub enum Symptom {
    S502,
    S503,
    S504,
    S413,
    OomKill,
    RefusedStart,
    LostData,
    Exposed,
    Slow,
    Silent,
}

impl Symptom {
    pub const ALL: [Symptom; 10] = [
        Symptom::S502,
        Symptom::S503,
        Symptom::S504,
        Symptom::S413,
        Symptom::OomKill,
        Symptom::RefusedStart,
        Symptom::LostData,
        Symptom::Exposed,
        Symptom::Slow,
        Symptom::Silent,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Symptom::S502 => "502",
            Symptom::S503 => "503",
            Symptom::S504 => "504",
            Symptom::S413 => "413",
            Symptom::OomKill => "oom-kill",
            Symptom::RefusedStart => "refused-start",
            Symptom::LostData => "lost-data",
            Symptom::Exposed => "exposed",
            Symptom::Slow => "slow",
            Symptom::Silent => "silent",
        }
    }
    pub fn parse(s: &str) -> Option<Symptom> {
        Symptom::ALL.into_iter().find(|x| x.as_str().eq_ignore_ascii_case(s.trim()))
    }
}

/// Whether and how a rule's findings can be fixed.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum FixKind {
    None,
    Safe,
    Unsafe,
}

impl FixKind {
    pub fn as_str(self) -> &'static str {
        match self {
            FixKind::None => "none",
            FixKind::Safe => "safe",
            FixKind::Unsafe => "unsafe",
        }
    }
}

/// A rule's identity and documentation.
#[derive(Debug)]
pub struct RuleMeta {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    pub fix: FixKind,
    pub symptoms: &'static [Symptom],
    /// One line: when the rule fires.
    pub summary: &'static str,
    /// The Markdown documentation, with its `+++` front matter.
    pub doc: &'static str,
}

impl RuleMeta {
    /// The documentation without its front matter.
    pub fn body(&self) -> &'static str {
        let doc = self.doc;
        if let Some(rest) = doc.strip_prefix("+++\n")
            && let Some(end) = rest.find("\n+++\n")
        {
            return rest[end + 5..].trim_start_matches('\n');
        }
        doc
    }
}

/// A check over one stack.
pub trait Rule: Sync {
    fn meta(&self) -> &'static RuleMeta;
    fn check(&self, ctx: &mut Ctx);
}

/// Declares a rule: a unit struct, its metadata and its embedded doc.
#[macro_export]
macro_rules! declare_rule {
    (
        $(#[$attr:meta])*
        $vis:vis struct $ty:ident {
            code: $code:literal,
            name: $name:literal,
            severity: $sev:ident,
            fix: $fix:ident,
            symptoms: [$($sym:ident),* $(,)?],
            summary: $summary:literal $(,)?
        }
    ) => {
        $(#[$attr])*
        $vis struct $ty;
        impl $ty {
            pub const META: $crate::rules::RuleMeta = $crate::rules::RuleMeta {
                code: $code,
                name: $name,
                severity: $crate::diagnostic::Severity::$sev,
                fix: $crate::rules::FixKind::$fix,
                symptoms: &[$($crate::rules::Symptom::$sym),*],
                summary: $summary,
                doc: include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/", $code, "-", $name, ".md")),
            };
        }
    };
}

/// Every rule, in code order.
pub static REGISTRY: &[&dyn Rule] = &[
    &input::parse_error::ParseError,
    &input::unknown_option::UnknownOption,
    &input::deprecated_option::DeprecatedOption,
    &input::duplicate_option::DuplicateOption,
    &input::invalid_value::InvalidValue,
    &input::include_not_found::IncludeNotFound,
    &input::odoo_version_unknown::OdooVersionUnknown,
    &input::boolean_misread::BooleanMisread,
    &input::inline_comment_in_value::InlineCommentInValue,
    &input::host_unknown::HostUnknown,
    &input::unused_suppression::UnusedSuppression,
    &input::options_section_missing::OptionsSectionMissing,
    &input::indented_key_continues_value::IndentedKeyContinuesValue,
    &input::ignored_line::IgnoredLine,
    &workers::workers_disabled::WorkersDisabled,
    &workers::workers_exceed_cpu::WorkersExceedCpu,
    &workers::workers_underuse_cpu::WorkersUnderuseCpu,
    &workers::cron_threads_disabled::CronThreadsDisabled,
    &memory::memory_limits_inverted::MemoryLimitsInverted,
    &memory::memory_overcommit::MemoryOvercommit,
    &memory::memory_below_version_floor::MemoryBelowVersionFloor,
    &memory::ram_per_worker_low::RamPerWorkerLow,
    &memory::memory_limits_threaded::MemoryLimitsThreaded,
    &memory::soft_limit_exceeds_budget::SoftLimitExceedsBudget,
    &timeouts::proxy_timeout_below_odoo::ProxyTimeoutBelowOdoo,
    &timeouts::cpu_limit_not_below_real::CpuLimitNotBelowReal,
    &timeouts::cron_time_unbounded::CronTimeUnbounded,
    &timeouts::stop_grace_too_short::StopGraceTooShort,
    &timeouts::healthcheck_start_too_short::HealthcheckStartTooShort,
    &timeouts::healthcheck_too_aggressive::HealthcheckTooAggressive,
    &timeouts::healthcheck_wrong_endpoint::HealthcheckWrongEndpoint,
    &database::pg_connections_exhausted::PgConnectionsExhausted,
    &database::pg_pool_can_exhaust::PgPoolCanExhaust,
    &database::pg_shared_buffers_default::PgSharedBuffersDefault,
    &database::pg_work_mem_overcommit::PgWorkMemOvercommit,
    &database::pg_slow_query_log_off::PgSlowQueryLogOff,
    &database::odoo_db_target_mismatch::OdooDbTargetMismatch,
    &os_limits::nofile_too_low::NofileTooLow,
    &os_limits::nofile_soft_above_hard::NofileSoftAboveHard,
    &os_limits::limits_conf_not_applied::LimitsConfNotApplied,
    &os_limits::inotify_watches_low::InotifyWatchesLow,
    &os_limits::nginx_connections_above_nofile::NginxConnectionsAboveNofile,
    &modules::queue_job_not_loaded::QueueJobNotLoaded,
    &modules::server_wide_web_missing::ServerWideWebMissing,
    &modules::queue_job_channels_exceed_workers::QueueJobChannelsExceedWorkers,
    &modules::queue_job_needs_workers::QueueJobNeedsWorkers,
    &modules::queue_job_port_unreachable::QueueJobPortUnreachable,
    &proxy::upstream_port_mismatch::UpstreamPortMismatch,
    &proxy::websocket_route_missing::WebsocketRouteMissing,
    &proxy::websocket_upgrade_missing::WebsocketUpgradeMissing,
    &proxy::websocket_to_http_port::WebsocketToHttpPort,
    &proxy::proxy_mode_off::ProxyModeOff,
    &proxy::forwarded_host_missing::ForwardedHostMissing,
    &proxy::upload_size_too_small::UploadSizeTooSmall,
    &proxy::port_collision::PortCollision,
    &proxy::upstream_host_unknown::UpstreamHostUnknown,
    &proxy::longpolling_route_obsolete::LongpollingRouteObsolete,
    &proxy::websocket_to_idle_port::WebsocketToIdlePort,
    &proxy::forwarded_headers_incomplete::ForwardedHeadersIncomplete,
    &security::admin_password_weak::AdminPasswordWeak,
    &security::database_manager_exposed::DatabaseManagerExposed,
    &security::dbfilter_missing::DbfilterMissing,
    &security::postgres_port_published::PostgresPortPublished,
    &security::odoo_port_bypasses_proxy::OdooPortBypassesProxy,
    &security::plaintext_secret_in_compose::PlaintextSecretInCompose,
    &containers::odoo_data_not_persistent::OdooDataNotPersistent,
    &containers::db_data_not_persistent::DbDataNotPersistent,
    &containers::healthcheck_missing::HealthcheckMissing,
    &containers::restart_policy_missing::RestartPolicyMissing,
    &containers::image_tag_unpinned::ImageTagUnpinned,
];

/// The rule with this code or name.
pub fn find(code_or_name: &str) -> Option<&'static dyn Rule> {
    let q = code_or_name.trim();
    REGISTRY.iter().copied().find(|r| r.meta().code.eq_ignore_ascii_case(q) || r.meta().name.eq_ignore_ascii_case(q))
}

/// Whether `selector` (a code, a code prefix like `OL3`, a name, or `ALL`) selects `meta`.
pub fn selects(selector: &str, meta: &RuleMeta) -> bool {
    let s = selector.trim();
    s.eq_ignore_ascii_case("all")
        || s.eq_ignore_ascii_case(meta.name)
        || (s.len() >= 2 && meta.code.len() >= s.len() && meta.code[..s.len()].eq_ignore_ascii_case(s))
}

/// "names no rule; did you mean `OL301`?" for a selector that selects nothing.
pub fn unknown_selector(selector: &str) -> String {
    let names: Vec<&str> = REGISTRY.iter().flat_map(|r| [r.meta().code, r.meta().name]).collect();
    match crate::suggest::closest(selector, &names) {
        Some(c) => format!("names no rule; did you mean `{c}`?"),
        None => "names no rule (see `odoo-lint rules`)".to_string(),
    }
}

/// Whether a selector names at least one rule.
pub fn is_known_selector(selector: &str) -> bool {
    REGISTRY.iter().any(|r| selects(selector, r.meta()))
}

/// What a rule sees while checking one stack, and where its findings go.
pub struct Ctx<'a> {
    pub files: &'a FileSet,
    pub stack: &'a Stack,
    rule: &'static RuleMeta,
    diagnostics: Vec<Diagnostic>,
    /// Host facts some rule needed but did not get, with the rules that needed them.
    missing: BTreeMap<HostFact, Vec<&'static str>>,
}

impl<'a> Ctx<'a> {
    pub fn new(files: &'a FileSet, stack: &'a Stack) -> Self {
        Ctx { files, stack, rule: REGISTRY[0].meta(), diagnostics: Vec::new(), missing: BTreeMap::new() }
    }

    /// Runs `rule` and keeps its findings.
    pub fn run(&mut self, rule: &dyn Rule) {
        self.rule = rule.meta();
        rule.check(self);
    }

    /// The rule now running.
    pub fn rule(&self) -> &'static RuleMeta {
        self.rule
    }

    /// A diagnostic of the running rule at `span`, to be completed and [`Ctx::push`]ed.
    pub fn diag(&self, span: Span, message: impl Into<String>) -> Diagnostic {
        let meta = self.rule;
        Diagnostic {
            code: meta.code,
            name: meta.name,
            severity: meta.severity,
            message: message.into(),
            primary: Label::new(span, ""),
            secondary: Vec::new(),
            help: None,
            notes: Vec::new(),
            fix: None,
        }
    }

    pub fn push(&mut self, d: Diagnostic) {
        self.diagnostics.push(d);
    }

    pub fn span(&self, file: FileId, range: TextRange) -> Span {
        Span::new(file, range)
    }

    /// The host's CPUs, or `None` after noting that the running rule needed them.
    pub fn cpus(&mut self) -> Option<Fact<u32>> {
        let v = self.stack.host.cpus.clone();
        if v.is_none() {
            self.missing.entry(HostFact::Cpus).or_default().push(self.rule.code);
        }
        v
    }

    /// The host's memory, or `None` after noting that the running rule needed it.
    pub fn memory(&mut self) -> Option<Fact<Bytes>> {
        let v = self.stack.host.memory.clone();
        if v.is_none() {
            self.missing.entry(HostFact::Memory).or_default().push(self.rule.code);
        }
        v
    }

    /// Host facts that rules needed and did not get.
    pub fn missing_facts(&self) -> &BTreeMap<HostFact, Vec<&'static str>> {
        &self.missing
    }

    pub fn into_diagnostics(self) -> Vec<Diagnostic> {
        self.diagnostics
    }
}

impl Diagnostic {
    pub fn with_primary_label(mut self, message: impl Into<String>) -> Self {
        self.primary.message = message.into();
        self
    }
    pub fn with_label(mut self, span: Span, message: impl Into<String>) -> Self {
        self.secondary.push(Label::new(span, message));
        self
    }
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }
    pub fn with_fix(mut self, fix: Fix) -> Self {
        self.fix = Some(fix);
        self
    }
    pub fn with_severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }
}

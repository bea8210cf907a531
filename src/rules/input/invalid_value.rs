use super::{inline_comment, is_secret, is_template_value, odoo_confs, option_entries};
use crate::declare_rule;
use crate::files::FileKind;
use crate::formats::odoo_conf::optparse_int;
use crate::formats::postgresql::{Origin, ValueErrorKind, params};
use crate::formats::systemd::effective::EffectiveUnit;
use crate::odoo::options::{self, Reading};
use crate::rules::{Ctx, Rule, RuleMeta};
use crate::source::Span;
use crate::stack::odoo::{eval_python_int, python_int};
use crate::units::parse_human_bytes;

declare_rule! {
    /// A value the program rejects or misreads.
    pub struct InvalidValue {
        code: "OL005",
        name: "invalid-value",
        severity: Error,
        fix: None,
        symptoms: [RefusedStart, Silent],
        summary: "a value the program rejects or misreads (`workers = four`, `limit_memory_hard = 2G`, `shared_buffers = 1 GB`, `nofile` not a number)",
    }
}

/// Options whose integers are byte sizes (so `2G` deserves a byte count in the help).
fn is_byte_size(key: &str) -> bool {
    key.starts_with("limit_memory") || key.ends_with("_maxbytes")
}

impl Rule for InvalidValue {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &mut Ctx) {
        postgresql(ctx);
        nofile(ctx);
        systemd(ctx);
        let major = ctx.stack.version.major;
        let label = ctx.stack.version.label();
        for (file, conf) in odoo_confs(ctx) {
            for entry in option_entries(conf) {
                let key = entry.key.as_str();
                let raw = entry.value.as_str();
                if is_secret(key) || inline_comment(raw).is_some() || is_template_value(raw) {
                    continue; // OL009 reports values with a comment in them; templates are filled later
                }
                let Some(opt) = options::lookup(key) else { continue };
                if !opt.read_from_file(major) {
                    continue;
                }
                let Some(read) = opt.reading(major) else { continue };
                let span =
                    Span::new(file, if entry.value_full_range.is_empty() { entry.key_range } else { entry.value_full_range });
                let shown = raw.replace('\n', "\\n");
                let legacy_bool = major <= 18 && matches!(raw, "True" | "true" | "False" | "false");
                match read {
                    Reading::Int if !legacy_bool => {
                        let ok = if major <= 18 { optparse_int(raw) } else { python_int(raw) };
                        match ok {
                            None if major >= 19 && (raw == "None" || raw == "False" || raw == "false") => {}
                            None => {
                                let mut d = ctx
                                    .diag(
                                        span,
                                        if raw.is_empty() {
                                            format!("`{key}` is empty, and {label} reads it as an integer: Odoo stops at startup")
                                        } else {
                                            format!("{label} reads `{key}` as an integer, and `{shown}` is not one: Odoo stops at startup")
                                        },
                                    )
                                    .with_primary_label("not an integer");
                                d = d.with_help(int_help(key, raw, major));
                                ctx.push(d);
                            }
                            Some(v) if major <= 18 && octal(raw) => {
                                let decimal = python_int(raw).map(|d| d.to_string()).unwrap_or_else(|| raw.to_string());
                                let d = ctx
                                    .diag(
                                        span,
                                        format!("{label} reads `{raw}` as an octal number: `{key}` is {v}, not {decimal}"),
                                    )
                                    .with_primary_label(format!("read as {v}"))
                                    .with_help(format!("drop the leading zero: `{key} = {decimal}`"));
                                ctx.push(d);
                            }
                            Some(_) => {}
                        }
                    }
                    Reading::Float if !legacy_bool && raw.trim().parse::<f64>().is_err() && !(major >= 19 && raw == "None") => {
                        let d = ctx
                            .diag(
                                span,
                                format!("{label} reads `{key}` as a number, and `{shown}` is not one: Odoo stops at startup"),
                            )
                            .with_primary_label("not a number")
                            .with_help("write a plain number such as `1.0` (a dot, no unit)");
                        ctx.push(d);
                    }
                    Reading::Choice(choices) if !(legacy_bool || choices.contains(&raw) || major >= 19 && raw == "None") => {
                        let close = choices
                            .iter()
                            .find(|c| c.eq_ignore_ascii_case(raw.trim()))
                            .copied()
                            .or_else(|| crate::suggest::closest(raw, choices));
                        let mut d = ctx
                                .diag(span, format!("`{shown}` is not a value {label} accepts for `{key}` (choices are matched exactly): Odoo stops at startup"))
                                .with_primary_label("not one of the choices");
                        d = match close {
                            Some(c) => {
                                d.with_help(format!("did you mean `{key} = {c}`? The choices are: {}", choices.join(", ")))
                            }
                            None => d.with_help(format!("the choices are: {}", choices.join(", "))),
                        };
                        ctx.push(d);
                    }
                    _ => {}
                }
            }
        }
    }
}

/// `010`: a leading zero that optparse reads as octal (not `0`, `0x…`, `0b…`).
fn octal(raw: &str) -> bool {
    let v = raw.trim();
    v.len() > 1 && v.starts_with('0') && v[1..].chars().all(|c| c.is_ascii_digit() || c == '_')
}

fn int_help(key: &str, raw: &str, major: u8) -> String {
    let trimmed = raw.trim();
    if let Some(v) = eval_python_int(&trimmed.replace(' ', ""))
        && trimmed.contains('*')
    {
        return format!("Odoo does not evaluate expressions: write `{key} = {v}`");
    }
    if is_byte_size(key)
        && let Some(b) = parse_human_bytes(trimmed)
    {
        return format!("Odoo wants a number of bytes: `{key} = {}` ({b})", b.0);
    }
    if major <= 18 && trimmed.starts_with('0') && trimmed.len() > 1 {
        return format!(
            "a leading zero makes Odoo {major} read the number as octal; write `{key} = {}`",
            trimmed.trim_start_matches('0')
        );
    }
    if trimmed == "None" {
        return format!("to leave `{key}` at its default, delete the line");
    }
    format!(
        "write a whole number, e.g. `{key} = {}`",
        options::lookup(key).and_then(|o| o.default_in(major)).and_then(eval_python_int).unwrap_or(0)
    )
}

/// Values (and names) PostgreSQL refuses at start-up, in the files and on a unit's command
/// line: any of them stops the server.
fn postgresql(ctx: &mut Ctx) {
    for pg in &ctx.stack.postgres {
        let version = params::table_version().split(['.', ' ']).next().unwrap_or("15");
        for p in pg.config.value_problems() {
            let (span, name, shown) = match p.origin {
                Origin::File { file, setting } => {
                    let Some(id) = pg.id(file) else { continue };
                    let range =
                        if p.error.kind == ValueErrorKind::Unrecognized { setting.name.range } else { setting.value.range };
                    (Span::new(id, range), setting.name.text.clone(), setting.value.text.clone())
                }
                Origin::CommandLine(a) => match pg.span(&p.origin) {
                    Some(span) => (span, a.name.clone(), a.value.clone()),
                    None => continue,
                },
                Origin::Default => continue,
            };
            let mut d = if p.error.kind == ValueErrorKind::Unrecognized {
                ctx.diag(span, format!("PostgreSQL {version} does not know the parameter `{name}`, so it does not start"))
                    .with_primary_label("unknown parameter")
            } else {
                ctx.diag(span, format!("PostgreSQL refuses `{name} = {shown}`, so it does not start: {}", p.error.message))
                    .with_primary_label("refused")
            };
            if p.error.kind == ValueErrorKind::Unrecognized {
                let names: Vec<&str> = params::all().map(|d| d.name).collect();
                if let Some((_, gone)) = REMOVED_PARAMETERS.iter().find(|(n, _)| n.eq_ignore_ascii_case(&name)) {
                    d = d.with_help(*gone);
                } else if let Some(close) = crate::suggest::closest(&name, &names) {
                    d = d.with_help(format!("did you mean `{close}`?"));
                } else {
                    d = d.with_help("parameters removed in newer PostgreSQL versions are refused too: delete the line");
                }
            } else if let Some(hint) = &p.error.hint {
                d = d.with_help(hint.clone());
            }
            ctx.push(d);
        }
    }
}

/// Parameters that older postgresql.conf files still carry, with what became of them
/// (PostgreSQL release notes).
const REMOVED_PARAMETERS: &[(&str, &str)] = &[
    ("checkpoint_segments", "removed in PostgreSQL 9.5: size the WAL with `max_wal_size` (and `min_wal_size`) instead"),
    ("wal_keep_segments", "renamed in PostgreSQL 13: `wal_keep_size` takes a size (segments × 16MB)"),
    ("stats_temp_directory", "removed in PostgreSQL 15 (statistics live in shared memory): delete the line"),
    ("min_parallel_relation_size", "renamed in PostgreSQL 10: `min_parallel_table_scan_size`"),
    ("replacement_sort_tuples", "removed in PostgreSQL 11: delete the line"),
    ("default_with_oids", "removed in PostgreSQL 12: delete the line"),
    ("operator_precedence_warning", "removed in PostgreSQL 14: delete the line"),
    ("vacuum_cleanup_index_scale_factor", "removed in PostgreSQL 14: delete the line"),
    ("unix_socket_directory", "renamed in PostgreSQL 9.3: `unix_socket_directories`"),
];

/// `nofile` values pam_limits skips or misreads.
fn nofile(ctx: &mut Ctx) {
    for file in ctx.stack.files_of(ctx.files, FileKind::Limits).collect::<Vec<_>>() {
        let Some(limits) = ctx.files.limits(file) else { continue };
        for e in limits.errors.iter().filter(|e| super::is_nofile_value_error(limits, e)) {
            let label = if e.message.contains("skips") { "skipped" } else { "misread" };
            let mut d = ctx.diag(Span::new(file, e.range), format!("pam_limits: {}", e.message)).with_primary_label(label);
            if let Some(h) = &e.help {
                d = d.with_help(h.clone());
            }
            ctx.push(d);
        }
    }
}

/// Values systemd logs and ignores (`LimitNOFILE=lots`, `MemoryMax=2 GB`): the setting keeps
/// its default. A soft limit above the hard one is OL502's; `Exec*=` lines are OL001's.
fn systemd(ctx: &mut Ctx) {
    for file in ctx.stack.files_of(ctx.files, FileKind::Systemd).collect::<Vec<_>>() {
        let Some(unit) = ctx.files.unit(file) else { continue };
        let exec: Vec<_> = unit.assignments.iter().filter(|a| a.key.starts_with("Exec")).map(|a| a.range).collect();
        for (_, e) in EffectiveUnit::new(&[unit]).value_errors() {
            if exec.iter().any(|r| r.contains_range(e.range)) || e.message.starts_with("soft resource limit chosen higher") {
                continue;
            }
            let d = ctx.diag(Span::new(file, e.range), format!("systemd: {}", e.message)).with_primary_label("ignored");
            ctx.push(d);
        }
    }
}

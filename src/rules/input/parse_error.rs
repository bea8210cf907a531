use crate::declare_rule;
use crate::diagnostic::Severity;
use crate::files::{FileKind, Syntax};
use crate::formats::SyntaxError;
use crate::formats::postgresql::IncludeProblemKind;
use crate::formats::systemd::UnitFile;
use crate::rules::{Ctx, Rule, RuleMeta};
use crate::source::{FileId, Span};

declare_rule! {
    /// A file its program cannot read.
    pub struct ParseError {
        code: "OL001",
        name: "parse-error",
        severity: Error,
        fix: None,
        symptoms: [RefusedStart, S502],
        summary: "a file cannot be parsed the way its program would read it",
    }
}

impl Rule for ParseError {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &mut Ctx) {
        for &file in &ctx.stack.files {
            let entry = ctx.files.get(file);
            let program = match entry.kind {
                FileKind::OdooConf => "Odoo (Python's configparser)",
                FileKind::Nginx => "nginx",
                FileKind::Postgresql => "PostgreSQL",
                FileKind::Limits => "pam_limits",
                FileKind::Systemd => "systemd",
                FileKind::Compose => "docker compose",
                FileKind::DotEnv => "docker compose",
            };
            for e in &entry.errors {
                report(ctx, file, program, e, None);
            }
            match &entry.syntax {
                Syntax::OdooConf(conf) => conf.errors.iter().for_each(|e| report(ctx, file, program, e, None)),
                Syntax::Nginx(tree) => tree.errors().iter().for_each(|e| report(ctx, file, program, e, None)),
                Syntax::Postgresql(conf) => conf.errors.iter().for_each(|e| report(ctx, file, program, e, None)),
                // pam_limits logs a line it cannot use and reads on: OL014's
                Syntax::Limits(_) => {}
                Syntax::Systemd(unit) => systemd(ctx, file, unit),
                Syntax::Compose(_) | Syntax::DotEnv(_) | Syntax::Unparsed => {}
            }
        }
        postgresql_includes(ctx);
        compose(ctx);
    }
}

/// What systemd refuses in a unit: a bad section header, bytes that are not UTF-8, an
/// over-long line, a bad `Exec*=` command without the `-` prefix. What it reads past and
/// ignores is OL014's.
fn systemd(ctx: &mut Ctx, file: FileId, unit: &UnitFile) {
    for (e, fatal) in super::systemd_problems(ctx, file, unit) {
        if fatal {
            report(ctx, file, "systemd", &e, None);
        }
    }
}

/// Include directives PostgreSQL cannot follow for another reason than a missing target
/// (OL006 reports those): a directory named by `include`, a loop, nesting deeper than 10, an
/// empty name. PostgreSQL refuses to start.
fn postgresql_includes(ctx: &mut Ctx) {
    for pg in &ctx.stack.postgres {
        for p in &pg.config.problems {
            if matches!(
                p.kind,
                IncludeProblemKind::NotFound | IncludeProblemKind::DirNotFound | IncludeProblemKind::SkippedMissing
            ) {
                continue;
            }
            let Some(file) = pg.id(p.file) else { continue };
            let mut e = SyntaxError::new(p.range, p.message.clone());
            e.help = p.help.clone();
            report(ctx, file, "PostgreSQL", &e, None);
        }
    }
}

/// What compose refuses in a project beyond each file's YAML (reported with the file):
/// interpolation templates it cannot read, values that do not fit its model, `extends`
/// cycles. A variable required with `${VAR:?…}` and unset is not reported: the environment
/// of the server is not the one odoo-lint runs in (a `.env` missing from the checkout is
/// the usual case).
fn compose(ctx: &mut Ctx) {
    use crate::formats::compose::ErrorKind;
    use crate::formats::compose::interpolate::{Outcome, interpolate};
    use crate::formats::compose::loader::FileRole;
    for m in &ctx.stack.compose {
        let env = &m.project.env;
        let extends_missing = m.project.missing.iter().any(|f| f.role == FileRole::Extends);
        for e in &m.project.errors {
            // A value that holds an unset variable is only wrong in this checkout: the
            // server's environment sets it.
            let text = e.error.range.of(&m.project.file(e.file).source.text);
            let unset =
                interpolate(text, &|k| env.value(k)).is_ok_and(|i| i.records.iter().any(|r| matches!(r.outcome, Outcome::Unset)));
            if e.kind == ErrorKind::Model && unset {
                continue;
            }
            // a service that extends a missing file has nothing else (OL006 says why)
            if extends_missing && e.error.message.contains("neither an image nor a build context") {
                continue;
            }
            match e.kind {
                ErrorKind::Interpolation if e.error.message.starts_with("required variable") => continue,
                ErrorKind::Interpolation | ErrorKind::Model | ErrorKind::ExtendsCycle => {}
                // missing files are OL006's
                ErrorKind::MissingFile => continue,
                // the file's own syntax is reported with the file; what only the whole
                // document shows (a duplicate key, an alias to nothing) is not
                ErrorKind::Yaml | ErrorKind::DotEnv => {}
            }
            let Some(file) = m.id(e.file) else { continue };
            if ctx.files.get(file).errors.iter().any(|x| x.range == e.error.range) {
                continue;
            }
            report(ctx, file, "docker compose", &e.error, None);
        }
    }
}

fn report(ctx: &mut Ctx, file: FileId, program: &str, e: &SyntaxError, severity: Option<Severity>) {
    let message = format!("{program} cannot read this file: {}", e.message);
    let mut d = ctx.diag(Span::new(file, e.range), message).with_primary_label(e.label.clone().unwrap_or_default());
    for (range, label) in &e.related {
        d = d.with_label(Span::new(file, *range), label.clone());
    }
    if let Some(h) = &e.help {
        d = d.with_help(h.clone());
    }
    if let Some(s) = severity {
        d = d.with_severity(s);
    }
    ctx.push(d);
}

use crate::declare_rule;
use crate::formats::postgresql::IncludeProblemKind;
use crate::rules::{Ctx, Rule, RuleMeta};
use crate::source::Span;

declare_rule! {
    /// An include directive whose target is missing.
    pub struct IncludeNotFound {
        code: "OL006",
        name: "include-not-found",
        severity: Warning,
        fix: None,
        symptoms: [RefusedStart],
        summary: "an nginx `include`, PostgreSQL `include`/`include_dir`, compose `env_file`/`extends` target, or the odoo.conf a container mounts, is missing",
    }
}

impl Rule for IncludeNotFound {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &mut Ctx) {
        postgresql(ctx);
        nginx(ctx);
        compose(ctx);
    }
}

/// compose `env_file` (unless `required: false`) and `extends: {file: …}`: `docker compose`
/// refuses the whole project when one is missing.
fn compose(ctx: &mut Ctx) {
    use crate::formats::compose::loader::FileRole;
    odoo_config_mount(ctx);
    for m in &ctx.stack.compose {
        for miss in &m.project.missing {
            if !miss.required {
                continue;
            }
            let Some(at) = miss.referenced_at.and_then(|s| Some(Span::new(m.id(s.file)?, s.range))) else { continue };
            let path = crate::source::display_path(&miss.path);
            let (what, help) = match miss.role {
                FileRole::EnvFile => (
                    "env_file",
                    "if it exists on the server (a `.env` kept out of the repository), give it to odoo-lint too so that its variables are checked; otherwise create it, or write `env_file: {path: …, required: false}`",
                ),
                FileRole::Extends => (
                    "extends file",
                    "if it exists on the server, give it to odoo-lint too so that the services it defines are checked",
                ),
                _ => continue,
            };
            let d = ctx
                .diag(at, format!("{what} `{path}` is not there: `docker compose` refuses to start the project without it"))
                .with_primary_label("not found")
                .with_help(help);
            ctx.push(d);
        }
    }
}

/// An Odoo container's configuration file bind-mounted from a relative host path that is not
/// there. Docker creates a missing bind source (short syntax) as an empty directory, and
/// Odoo's `RawConfigParser.read()` skips a path it cannot open: Odoo starts on its defaults
/// without a word. (An absolute source may exist on the server and not here: not reported.)
fn odoo_config_mount(ctx: &mut Ctx) {
    use crate::stack::compose::{ConfigLink, Role};
    for m in &ctx.stack.compose {
        for (svc, model) in m.project.services.iter().zip(&m.services) {
            let Role::Odoo(c) = &model.role else { continue };
            let ConfigLink::Unknown { mount: Some(at) } = &c.config else { continue };
            let Some(vol) = svc.volumes.iter().find(|v| m.span(&v.origin) == Some(*at)) else { continue };
            let (Some(written), Some(resolved)) = (&vol.value.source, &vol.value.resolved_source) else { continue };
            if vol.value.kind != "bind" || written.starts_with(['/', '~', '\\']) {
                continue;
            }
            let target = vol.value.target.trim_end_matches('/');
            let host = match c.config_path.strip_prefix(target).map(|r| r.trim_start_matches('/')) {
                Some("") | None => resolved.clone(),
                Some(rest) => resolved.join(rest),
            };
            if host.exists() {
                continue;
            }
            let shown = crate::source::display_path(&host);
            let (what, whence) = if host == *resolved {
                (format!("`{written}`"), "Docker creates an empty directory in its place".to_string())
            } else if resolved.exists() {
                (format!("`{shown}`"), format!("`{written}` is mounted over `{target}` without it"))
            } else {
                (format!("`{shown}`"), format!("Docker creates `{written}` as an empty directory"))
            };
            let d = ctx
                .diag(
                    *at,
                    format!(
                        "service `{}` reads Odoo's configuration `{}` from {what}, which is not there: {whence}, and Odoo, unable to read the file, starts on its defaults without a word",
                        svc.name, c.config_path
                    ),
                )
                .with_primary_label("not found")
                .with_help(
                    "if the file exists on the server (kept out of the repository), give it to odoo-lint too so that Odoo's settings are checked; otherwise create it",
                )
                .with_note(
                    "`-c` only checks that the path is readable, which a directory is, and configparser's `read()` skips what it cannot open (odoo/tools/config.py)",
                );
            ctx.push(d);
        }
    }
}

/// nginx `include`: relative paths resolve against nginx's prefix (for a checkout, also the
/// including file's directory and the prefix the checkout implies); stock files that every
/// distribution ships (`mime.types`, `proxy_params`, …) are assumed present.
fn nginx(ctx: &mut Ctx) {
    use crate::formats::nginx::include::IncludeProblem;
    let mut seen = Vec::new();
    for config in &ctx.stack.nginx {
        for p in &config.graph.problems {
            let d = match p {
                IncludeProblem::Missing { file, range, pattern, tried, .. } => {
                    let tried: Vec<String> = tried.iter().take(4).map(|t| crate::source::display_path(t)).collect();
                    ctx.diag(
                        Span::new(*file, *range),
                        format!("`include {pattern}` names a file that is not there: nginx refuses to start (open() failed)"),
                    )
                    .with_primary_label("not found")
                    .with_help(format!(
                        "looked for {}; if it exists on the server, give it to odoo-lint too so that its directives are checked",
                        tried.join(", ")
                    ))
                }
                IncludeProblem::Unreadable { file, range, path, error, .. } => ctx
                    .diag(
                        Span::new(*file, *range),
                        format!(
                            "`{}` could not be read ({error}): nginx would fail the same way",
                            crate::source::display_path(path)
                        ),
                    )
                    .with_primary_label("unreadable"),
                IncludeProblem::Cycle { file, range, chain, .. } => {
                    let names: Vec<String> = chain.iter().map(|f| ctx.files.source(*f).display.clone()).collect();
                    ctx.diag(
                        Span::new(*file, *range),
                        format!("this include leads back to itself ({}): nginx recurses until it runs out of open files and refuses to start", names.join(" → ")),
                    )
                    .with_primary_label("include cycle")
                }
                _ => continue,
            };
            let key = (d.primary.span, d.message.clone());
            if !seen.contains(&key) {
                seen.push(key);
                ctx.push(d);
            }
        }
    }
}

/// `include` and `include_dir` of postgresql.conf (and of the files it includes).
fn postgresql(ctx: &mut Ctx) {
    for pg in &ctx.stack.postgres {
        for p in &pg.config.problems {
            let what = match p.kind {
                IncludeProblemKind::NotFound => "file",
                IncludeProblemKind::DirNotFound => "directory",
                _ => continue,
            };
            let Some(file) = pg.id(p.file) else { continue };
            let target = crate::source::display_path(&p.target);
            let mut d = ctx
                .diag(
                    Span::new(file, p.range),
                    format!("{}: PostgreSQL refuses to start without it", p.message),
                )
                .with_primary_label(format!("no such {what}"))
                .with_help(format!(
                    "if `{target}` exists on the server, give it to odoo-lint too so that its settings are checked; otherwise create it or remove this line"
                ));
            if let Some(h) = &p.help {
                d = d.with_note(h.clone());
            }
            ctx.push(d);
        }
    }
}

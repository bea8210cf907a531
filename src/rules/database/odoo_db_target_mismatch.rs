use super::odoo_known;
use crate::declare_rule;
use crate::rules::{Ctx, Rule, RuleMeta};
use crate::source::Span;
use crate::stack::postgres::PgModel;

declare_rule! {
    /// Odoo connects where no PostgreSQL of the stack listens.
    pub struct OdooDbTargetMismatch {
        code: "OL406",
        name: "odoo-db-target-mismatch",
        severity: Error,
        fix: None,
        symptoms: [RefusedStart, S502, S503],
        summary: "`db_host`/`db_port` point at no PostgreSQL in the stack",
    }
}

/// Where Odoo connects.
#[derive(Clone, Debug)]
pub(crate) struct Target {
    pub host: Host,
    /// "`db_host` is 127.0.0.1 (set in odoo.conf)", "`db_host` not set: the Unix socket".
    pub host_text: String,
    pub host_span: Option<Span>,
    pub port: i64,
    pub port_text: String,
    pub port_span: Option<Span>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Host {
    /// No host, or a directory: libpq's Unix socket.
    Socket,
    Loopback,
    Named(String),
}

/// How Odoo's target compares with one server.
#[derive(Clone, Debug)]
pub(crate) enum Verdict {
    Match,
    /// It cannot be this server: why, and which side to change.
    Mismatch(Vec<String>),
    /// A host name we cannot place (DNS, another machine).
    Unknown,
}

/// Odoo's target: `db_host`/`db_port` from odoo.conf or the command line (Odoo 19: also the
/// `PGHOST`/`PGPORT` environment), else, since Odoo then leaves them out of the connection
/// string, libpq's: `PGHOST`/`PGPORT` in the Odoo unit's environment, else the Unix socket and
/// port 5432.
pub(crate) fn target(ctx: &Ctx) -> Target {
    let odoo = &ctx.stack.odoo;
    let env = |name: &str| {
        if let Some((m, _, s, _)) = ctx.stack.odoo_container() {
            // libpq reads the container's environment
            let e = s.env(name)?;
            return Some((e.value.clone()?, m.span(&e.origin)?));
        }
        let (unit, _) = ctx.stack.system.odoo_unit()?;
        let files = unit.files();
        unit.effective(ctx.files)
            .environment()
            .into_iter()
            .find(|(_, v)| v.name == name)
            .and_then(|(i, v)| Some((v.value.clone(), Span::new(*files.get(i)?, v.word.range))))
    };
    let where_env = if ctx.stack.odoo_container().is_some() { "the Odoo container" } else { "the Odoo unit" };
    let written = |key: &str| odoo.get(key).filter(|s| !matches!(s.raw.trim(), "" | "False" | "false" | "None"));
    let (host_raw, host_text, host_span) = match written("db_host") {
        Some(s) => (s.raw.trim().to_string(), format!("`db_host` is {} ({})", s.raw.trim(), s.origin), s.origin.span()),
        None => match env("PGHOST") {
            Some((v, span)) => (v.clone(), format!("`db_host` is not set, and PGHOST is {v} in {where_env}"), Some(span)),
            None => (String::new(), "`db_host` is not set, so libpq uses its Unix socket".to_string(), None),
        },
    };
    let (port, port_text, port_span) = match written("db_port").and_then(|s| odoo.int("db_port").map(|t| (s, t))) {
        Some((s, t)) => (t.value, format!("`db_port` is {} ({})", t.value, s.origin), s.origin.span()),
        None => match env("PGPORT").and_then(|(v, span)| v.trim().parse::<i64>().ok().map(|p| (p, span))) {
            Some((p, span)) => (p, format!("`db_port` is not set, and PGPORT is {p} in {where_env}"), Some(span)),
            None => (5432, "`db_port` is not set, so libpq uses 5432".to_string(), None),
        },
    };
    let lower = host_raw.to_ascii_lowercase();
    let host = if lower.is_empty() || lower.starts_with('/') || lower.starts_with('@') {
        Host::Socket
    } else if lower == "localhost" || lower == "::1" || lower.starts_with("127.") {
        Host::Loopback
    } else {
        Host::Named(lower)
    };
    Target { host, host_text, host_span, port, port_text, port_span }
}

/// Compares Odoo's target with a server: its `port` and, for TCP, `listen_addresses`; for the
/// socket, `unix_socket_directories` set empty.
pub(crate) fn verdict(ctx: &Ctx, pg: &PgModel) -> Verdict {
    let t = target(ctx);
    let fs = ctx.files;
    let (listen, _) = pg.string("listen_addresses").unwrap_or(("localhost".into(), crate::formats::postgresql::Origin::Default));
    let addresses: Vec<String> = listen.split(',').map(|a| a.trim().to_ascii_lowercase()).filter(|a| !a.is_empty()).collect();
    let any = addresses.iter().any(|a| a == "*" || a == "0.0.0.0" || a == "::");
    let mut why = Vec::new();
    match &t.host {
        Host::Socket => {
            if let Some((dirs, _)) = pg.string("unix_socket_directories")
                && dirs.trim().is_empty()
            {
                why.push(format!(
                    "{}, but {}: PostgreSQL opens no socket",
                    t.host_text,
                    pg.describe(fs, "unix_socket_directories")
                ));
            }
        }
        Host::Loopback => {
            let local = any || addresses.iter().any(|a| a == "localhost" || a == "::1" || a.starts_with("127."));
            if !local {
                let what = if addresses.is_empty() { "no TCP address" } else { "no loopback address" };
                why.push(format!("{}, but {}: PostgreSQL listens on {what}", t.host_text, pg.describe(fs, "listen_addresses")));
            }
        }
        Host::Named(name) => {
            if !(any || addresses.iter().any(|a| a == name)) {
                return Verdict::Unknown;
            }
        }
    }
    if let Some((port, _)) = pg.port()
        && port != t.port
    {
        why.push(format!("{}, but {}", t.port_text, pg.describe(fs, "port")));
    }
    if why.is_empty() { Verdict::Match } else { Verdict::Mismatch(why) }
}

impl Rule for OdooDbTargetMismatch {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &mut Ctx) {
        if ctx.stack.odoo_container().is_some() {
            compose(ctx);
            return;
        }
        // PostgreSQL in a container and Odoo outside compose: its address is not ours to judge
        if ctx.stack.compose.iter().any(|m| m.postgres_services().next().is_some()) {
            return;
        }
        if !odoo_known(ctx) || ctx.stack.postgres.is_empty() {
            return;
        }
        let verdicts: Vec<Verdict> = ctx.stack.postgres.iter().map(|pg| verdict(ctx, pg)).collect();
        if verdicts.iter().any(|v| !matches!(v, Verdict::Mismatch(_))) {
            return;
        }
        let Verdict::Mismatch(why) = &verdicts[0] else { return };
        let pg = &ctx.stack.postgres[0];
        let t = target(ctx);
        let port_wrong = pg.port().is_some_and(|(p, _)| p != t.port);
        let key = if port_wrong { "db_port" } else { "db_host" };
        let odoo_span = if port_wrong { t.port_span } else { t.host_span };
        let pg_key = if port_wrong { "port" } else { "listen_addresses" };
        let pg_span = super::pg_place(ctx, pg, pg_key);
        let Some(primary) =
            odoo_span.or_else(|| super::odoo_place(ctx, key).map(|(s, _)| s)).or(pg_span.as_ref().map(|(s, _)| *s))
        else {
            return;
        };
        let mut d = ctx
            .diag(primary, format!("Odoo connects where PostgreSQL does not listen: {}", why.join("; ")))
            .with_primary_label(format!("Odoo's `{key}`"));
        if let Some((span, _)) = pg_span {
            d = d.with_label(span, format!("PostgreSQL's `{pg_key}`"));
        }
        let help = if port_wrong {
            let (port, _) = pg.port().unwrap_or((5432, crate::formats::postgresql::Origin::Default));
            format!("set `db_port = {port}` in odoo.conf, or `port = {}` in postgresql.conf", t.port)
        } else if t.host == Host::Socket {
            "set `unix_socket_directories` in postgresql.conf (Debian: '/var/run/postgresql'), or connect over TCP with `db_host = localhost`".to_string()
        } else {
            "add `localhost` to `listen_addresses` in postgresql.conf (a restart is needed), or leave `db_host` unset to use the Unix socket".to_string()
        };
        d = d.with_help(help);
        if t.host_span.is_none() || t.port_span.is_none() {
            d = d.with_note("Odoo leaves an unset `db_host`/`db_port` out of its connection string, and libpq uses its defaults");
        }
        ctx.push(d);
    }
}

/// Odoo in a compose service: it reaches other services by their names (Docker's DNS), and
/// `localhost` or the socket is its own container.
fn compose(ctx: &mut Ctx) {
    let Some((m, odoo_index, service, _)) = ctx.stack.odoo_container() else { return };
    if !ctx.stack.odoo.known() {
        return;
    }
    let network_mode = service.raw.get("network_mode").and_then(|v| v.as_str()).unwrap_or("");
    if network_mode == "host" || network_mode.starts_with("service:") || network_mode.starts_with("container:") {
        return;
    }
    let t = target(ctx);
    let pg_services: Vec<(usize, &crate::formats::compose::Service, &crate::stack::compose::PgContainer)> =
        m.postgres_services().collect();
    let Some(primary) = t.host_span.or_else(|| super::odoo_place(ctx, "db_host").map(|(s, _)| s)) else { return };
    let (why, label, help, pg) = match &t.host {
        Host::Named(name) => {
            if name.contains('.') || name.contains(':') || name.parse::<std::net::IpAddr>().is_ok() {
                return;
            }
            match m.resolve(name) {
                None => {
                    let names: Vec<String> = pg_services.iter().map(|(_, s, _)| format!("`{}`", s.name)).collect();
                    let help = match names.first() {
                        Some(n) => format!(
                            "name the PostgreSQL service: `HOST: {}` in the environment of service `{}` (or `db_host` in odoo.conf)",
                            n.trim_matches('`'),
                            service.name
                        ),
                        None => "name the service that runs PostgreSQL, or the address of an external server".to_string(),
                    };
                    let what = if names.is_empty() {
                        "no service of the project has that name".to_string()
                    } else {
                        format!("no service of the project has that name (PostgreSQL runs as {})", names.join(", "))
                    };
                    (
                        format!("{}, but {what}: Odoo cannot resolve it and never starts", t.host_text),
                        "no such service".to_string(),
                        help,
                        pg_services.first(),
                    )
                }
                Some(i) => {
                    let Some(pg) = pg_services.iter().find(|(j, _, _)| *j == i) else { return };
                    let Some(server) = pg.2.model.and_then(|k| ctx.stack.postgres.get(k)) else { return };
                    let port = server.port().map(|(p, _)| p).unwrap_or(5432);
                    if port == t.port {
                        return;
                    }
                    let why = format!("{}, and {}, but {}", t.host_text, t.port_text, server.describe(ctx.files, "port"));
                    let help =
                        format!("set `PORT: {port}` in the environment of service `{}` (or `db_port = {port}`)", service.name);
                    (why, format!("port {}", t.port), help, Some(pg))
                }
            }
        }
        Host::Loopback | Host::Socket => {
            let Some(pg) = pg_services.first() else { return };
            let why = format!(
                "{}, but inside the container of service `{}` that is the container itself: PostgreSQL runs in service `{}`",
                t.host_text, service.name, pg.1.name
            );
            let in_file =
                ctx.stack.odoo.get("db_host").is_some_and(|s| matches!(s.origin, crate::stack::odoo::Origin::File { .. }));
            let help = if in_file {
                format!(
                    "set `db_host = {}` in odoo.conf (or remove the line: the image's entrypoint then passes `HOST` on)",
                    pg.1.name
                )
            } else {
                format!(
                    "set `HOST: {}` in the environment of service `{}` (or `db_host = {}`)",
                    pg.1.name, service.name, pg.1.name
                )
            };
            (why, "not PostgreSQL's container".to_string(), help, Some(pg))
        }
    };
    let primary = if t.port_span.is_some() && label.starts_with("port") { t.port_span.unwrap_or(primary) } else { primary };
    let mut d = ctx
        .diag(primary, format!("Odoo connects where PostgreSQL does not listen: {why}"))
        .with_primary_label(label)
        .with_help(help);
    if let Some(host) = service
        .env("HOST")
        .filter(|_| ctx.stack.odoo.get("db_host").is_some_and(|s| matches!(s.origin, crate::stack::odoo::Origin::File { .. })))
        && let Some(span) = m.span(&host.origin)
    {
        d = d
            .with_label(span, "ignored")
            .with_note("the image's entrypoint passes `HOST` on as `--db_host` only when the config file has no `db_host` line");
    }
    if let Some((i, _, _)) = pg
        && let Some(span) = m.service_span(*i)
    {
        d = d.with_label(span, "PostgreSQL's service");
    }
    if let Some(span) = m.service_span(odoo_index)
        && span != primary
    {
        d = d.with_label(span, "Odoo's service");
    }
    ctx.push(d);
}

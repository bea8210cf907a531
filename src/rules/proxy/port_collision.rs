use super::{gevent_port, http_port};
use crate::declare_rule;
use crate::rules::{Ctx, Rule, RuleMeta};

declare_rule! {
    /// Two listeners on one port.
    pub struct PortCollision {
        code: "OL708",
        name: "port-collision",
        severity: Error,
        fix: None,
        symptoms: [S502, RefusedStart],
        summary: "`http_port` equals `gevent_port`, or two services publish one host port",
    }
}

impl Rule for PortCollision {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &mut Ctx) {
        compose(ctx);
        let stack = ctx.stack;
        if !stack.has_odoo() {
            return;
        }
        let odoo = &stack.odoo;
        if !odoo.prefork() {
            return;
        }
        let http = http_port(stack);
        let (gevent, key) = gevent_port(stack);
        if http != gevent {
            return;
        }
        let (Some((g_span, g_label)), Some((h_span, h_label))) = (odoo.place(ctx.files, key), odoo.place(ctx.files, "http_port"))
        else {
            return;
        };
        let d = ctx
            .diag(g_span, format!("`{key}` and `http_port` are both {http}: in prefork mode the gevent process cannot bind a port the HTTP workers already hold, so the websocket never works"))
            .with_primary_label(if g_label.is_empty() { format!("{key} {gevent}") } else { g_label })
            .with_label(h_span, if h_label.is_empty() { format!("http_port {http}") } else { h_label })
            .with_help(format!("give `{key}` a port of its own (Odoo's default is 8072) and route the websocket there"));
        ctx.push(d);
    }
}

/// A published port: host address (None: every interface), protocol, host port range.
type Published = (Option<String>, String, u32, u32);

fn published(p: &crate::formats::compose::model::Port) -> Option<Published> {
    let text = p.published.as_deref()?;
    let (a, b) = text.split_once('-').unwrap_or((text, text));
    let (a, b) = (a.trim().parse().ok()?, b.trim().parse().ok()?);
    let ip = p.host_ip.clone().filter(|ip| !matches!(ip.as_str(), "" | "0.0.0.0" | "::" | "[::]"));
    Some((ip, p.protocol.clone(), a, b))
}

/// Two services (or one, twice) publishing the same host port: Docker starts the first and
/// refuses the second ("port is already allocated"). Services that only run under different
/// profiles never run together.
fn compose(ctx: &mut Ctx) {
    for m in &ctx.stack.compose {
        let mut seen: Vec<(usize, Published, crate::source::Span)> = Vec::new();
        for (i, s) in m.project.services.iter().enumerate() {
            for p in &s.ports {
                let Some(key) = published(&p.value) else { continue };
                let Some(span) = m.span(&p.origin) else { continue };
                let clash = seen.iter().find(|(j, k, _)| {
                    let other = m.service(*j);
                    let together = s.profiles.is_empty()
                        || other.profiles.is_empty()
                        || s.profiles.iter().any(|a| other.profiles.iter().any(|b| a.value == b.value));
                    together && k.1 == key.1 && k.2 <= key.3 && key.2 <= k.3 && (k.0.is_none() || key.0.is_none() || k.0 == key.0)
                });
                if let Some((j, k, first)) = clash {
                    let port = if key.2 == key.3 { key.2.to_string() } else { format!("{}-{}", key.2, key.3) };
                    let who = if *j == i {
                        format!("{} publishes host port {port}/{} twice", m.describe_service(i), key.1)
                    } else {
                        format!(
                            "{} and service `{}` both publish host port {port}/{}",
                            m.describe_service(i),
                            m.service(*j).name,
                            key.1
                        )
                    };
                    let _ = k;
                    let d = ctx
                        .diag(span, format!("{who}: Docker starts the first and refuses the second (\"port is already allocated\")"))
                        .with_primary_label(format!("host port {port}"))
                        .with_label(*first, "published here first")
                        .with_help("give one of them another host port, or drop the `ports:` entry a service does not need (services reach each other over the compose network without it)");
                    ctx.push(d);
                    continue;
                }
                seen.push((i, key, span));
            }
        }
    }
}

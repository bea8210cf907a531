use crate::declare_rule;
use crate::rules::{Ctx, Rule, RuleMeta};
use crate::source::Span;

declare_rule! {
    /// nginx names a host that does not exist where it runs.
    pub struct UpstreamHostUnknown {
        code: "OL709",
        name: "upstream-host-unknown",
        severity: Error,
        fix: None,
        symptoms: [RefusedStart, S502],
        summary: "`proxy_pass` names a host that is neither an `upstream` block, a compose service or alias, nor a literal address",
    }
}

/// Whether nginx needs no name resolution for `host`, or the name is one DNS may know: an
/// address, `localhost`, or a dotted name (a domain outside the project).
fn outside_compose(host: &str) -> bool {
    let h = host.trim_start_matches('[').trim_end_matches(']');
    h.parse::<std::net::IpAddr>().is_ok() || h.eq_ignore_ascii_case("localhost") || h.contains('.') || h == "*"
}

impl Rule for UpstreamHostUnknown {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    /// Only nginx configurations that run in a compose service are checked: there the names
    /// nginx can resolve are the project's services, their container names and aliases (and
    /// `extra_hosts`); elsewhere `/etc/hosts` and DNS are unknown to us.
    fn check(&self, ctx: &mut Ctx) {
        let stack = ctx.stack;
        for m in &stack.compose {
            for (ni, ns, nc) in m.nginx_services() {
                if ns.raw.get("network_mode").and_then(|v| v.as_str()).is_some_and(|v| !v.starts_with("bridge")) {
                    continue;
                }
                let extra: Vec<String> = match ns.raw.get("extra_hosts") {
                    Some(v) => match (v.as_seq(), v.as_map()) {
                        (Some(items), _) => items
                            .iter()
                            .filter_map(|i| i.as_str())
                            .map(|s| s.split(['=', ':']).next().unwrap_or("").trim().to_string())
                            .collect(),
                        (_, Some(entries)) => entries.iter().map(|e| e.key.clone()).collect(),
                        _ => Vec::new(),
                    },
                    None => Vec::new(),
                };
                for config in stack.nginx.iter().filter(|c| nc.files.contains(&c.root)) {
                    let model = &config.model;
                    // (host, where it is written, what writes it)
                    let mut names: Vec<(String, Span, &str)> = Vec::new();
                    for loc in &model.locations {
                        let Some(pass) = model.proxy_pass(Some(loc.node)) else { continue };
                        if pass.upstream.is_some() || pass.target.has_variables || pass.target.addr.unix.is_some() {
                            continue;
                        }
                        let Some(host) = pass.target.addr.host.clone() else { continue };
                        let span = model.node(pass.node).arg_span(0).unwrap_or_else(|| model.span(pass.node));
                        names.push((host, span, "proxy_pass"));
                    }
                    for up in &model.upstreams {
                        for s in &up.servers {
                            let Some(host) = s.addr.host.clone().filter(|_| s.addr.unix.is_none()) else { continue };
                            let span = model.node(s.node).arg_span(0).unwrap_or_else(|| model.span(s.node));
                            names.push((host, span, "upstream server"));
                        }
                    }
                    names.sort_by_key(|(_, s, _)| (s.file, s.range.start));
                    names.dedup_by(|a, b| a.1 == b.1);
                    for (host, span, what) in names {
                        if outside_compose(&host)
                            || m.resolve(&host).is_some()
                            || extra.iter().any(|e| e.eq_ignore_ascii_case(&host))
                        {
                            continue;
                        }
                        let services: Vec<String> = m.project.services.iter().map(|s| format!("`{}`", s.name)).collect();
                        let candidates: Vec<&str> =
                            m.services.iter().flat_map(|s| s.hostnames.iter().map(String::as_str)).collect();
                        let close = crate::suggest::closest(&host, &candidates);
                        let mut d = ctx
                            .diag(
                                span,
                                format!(
                                    "{what} names host `{host}`, but nginx runs in {} where no service, container name or alias is `{host}` (the project has {}): nginx refuses to start (\"host not found in upstream\")",
                                    m.describe_service(ni),
                                    services.join(", ")
                                ),
                            )
                            .with_primary_label("unknown host");
                        if let Some(span) = m.service_span(ni) {
                            d = d.with_label(span, "nginx runs here");
                        }
                        d = match close {
                            Some(c) => d.with_help(format!("did you mean `{c}`?")),
                            None => {
                                d.with_help("name the service that runs Odoo (its compose service name), or add a network alias")
                            }
                        };
                        ctx.push(d);
                    }
                }
            }
        }
    }
}

//! The checks `docker compose config` makes before it accepts a project (schema and
//! consistency), each reported at the exact key or value: unknown top-level or service
//! keys, an empty or invalid `container_name`, two services with one container name, a
//! service with neither `image` nor `build`, references to undeclared volumes, networks,
//! secrets or services.

use crate::formats::SyntaxError;

use super::loader::Project;
use super::value::{Origin, Value};
use super::{ComposeError, ErrorKind};

/// Top-level keys of the compose specification (besides `x-…`).
pub const TOP_LEVEL_KEYS: &[&str] =
    &["configs", "include", "models", "name", "networks", "secrets", "services", "version", "volumes"];

/// Service keys of the compose specification (besides `x-…`).
pub const SERVICE_KEYS: &[&str] = &[
    "annotations",
    "attach",
    "blkio_config",
    "build",
    "cap_add",
    "cap_drop",
    "cgroup",
    "cgroup_parent",
    "command",
    "configs",
    "container_name",
    "cpu_count",
    "cpu_percent",
    "cpu_period",
    "cpu_quota",
    "cpu_rt_period",
    "cpu_rt_runtime",
    "cpu_shares",
    "cpus",
    "cpuset",
    "credential_spec",
    "depends_on",
    "deploy",
    "develop",
    "device_cgroup_rules",
    "devices",
    "dns",
    "dns_opt",
    "dns_search",
    "domainname",
    "entrypoint",
    "env_file",
    "environment",
    "expose",
    "extends",
    "external_links",
    "extra_hosts",
    "gpus",
    "group_add",
    "healthcheck",
    "hostname",
    "image",
    "init",
    "ipc",
    "isolation",
    "label_file",
    "labels",
    "links",
    "logging",
    "mac_address",
    "mem_limit",
    "mem_reservation",
    "mem_swappiness",
    "memswap_limit",
    "models",
    "network_mode",
    "networks",
    "oom_kill_disable",
    "oom_score_adj",
    "pid",
    "pids_limit",
    "platform",
    "ports",
    "post_start",
    "pre_start",
    "pre_stop",
    "privileged",
    "profiles",
    "provider",
    "pull_policy",
    "pull_refresh_after",
    "read_only",
    "restart",
    "runtime",
    "scale",
    "secrets",
    "security_opt",
    "shm_size",
    "stdin_open",
    "stop_grace_period",
    "stop_signal",
    "storage_opt",
    "sysctls",
    "tmpfs",
    "tty",
    "ulimits",
    "use_api_socket",
    "user",
    "userns_mode",
    "uts",
    "volumes",
    "volumes_from",
    "working_dir",
];

fn key_origin(o: &Origin) -> Origin {
    Origin { range: o.key_range.unwrap_or(o.range), ..o.clone() }
}

/// The schema's unanchored `[a-zA-Z0-9][a-zA-Z0-9_.-]+`: somewhere an alphanumeric
/// followed by one of those.
fn container_name_ok(s: &str) -> bool {
    let b = s.as_bytes();
    b.windows(2).any(|w| w[0].is_ascii_alphanumeric() && (w[1].is_ascii_alphanumeric() || matches!(w[1], b'_' | b'.' | b'-')))
}

pub fn validate(project: &mut Project) {
    let Some(root) = project.root.clone() else {
        return;
    };
    let mut errors = Vec::new();
    let mut err = |o: &Origin, msg: String| {
        errors.push(ComposeError { file: o.file, kind: ErrorKind::Model, error: SyntaxError::new(o.range, msg) });
    };
    let Some(top) = root.as_map() else { return };
    for e in top {
        if !e.key.starts_with("x-") && !TOP_LEVEL_KEYS.contains(&e.key.as_str()) {
            err(&key_origin(&e.value.origin), format!("additional property '{}' not allowed at the top level", e.key));
        }
    }
    let declared = |section: &str| -> Vec<String> {
        root.get(section).and_then(Value::as_map).map(|m| m.iter().map(|e| e.key.clone()).collect()).unwrap_or_default()
    };
    let (volumes, networks, secrets) = (declared("volumes"), declared("networks"), declared("secrets"));
    let service_names = declared("services");
    let mut container_names: Vec<(String, String)> = Vec::new();
    for s in &project.services {
        if let Some(map) = s.raw.as_map() {
            for e in map {
                if !e.key.starts_with("x-") && !SERVICE_KEYS.contains(&e.key.as_str()) {
                    err(
                        &key_origin(&e.value.origin),
                        format!("services.{}: additional property '{}' not allowed", s.name, e.key),
                    );
                }
            }
        }
        if s.image.is_none() && s.raw.get("build").is_none() && s.raw.get("provider").is_none() {
            err(&key_origin(&s.origin), format!("service {:?} has neither an image nor a build context specified", s.name));
        }
        if let Some(c) = &s.container_name {
            if !container_name_ok(&c.value) {
                err(
                    &c.origin,
                    format!(
                        "services.{}.container_name {:?} does not match pattern '[a-zA-Z0-9][a-zA-Z0-9_.-]+'",
                        s.name, c.value
                    ),
                );
            } else if let Some((_, other)) = container_names.iter().find(|(n, _)| *n == c.value) {
                err(&c.origin, format!("services.{}: container name {:?} is already in use by service {other}", s.name, c.value));
            } else {
                container_names.push((c.value.clone(), s.name.clone()));
            }
        }
        for v in &s.volumes {
            if v.value.kind == "volume"
                && let Some(src) = &v.value.source
                && !volumes.contains(src)
            {
                err(&v.origin, format!("service {:?} refers to undefined volume {src}", s.name));
            }
        }
        for n in &s.networks {
            if n.name != "default" && !networks.contains(&n.name) {
                err(&key_origin(&n.origin), format!("service {:?} refers to undefined network {}", s.name, n.name));
            }
        }
        for sec in &s.secrets {
            if !secrets.contains(&sec.value.source) {
                err(&sec.origin, format!("service {:?} refers to undefined secret {}", s.name, sec.value.source));
            }
        }
        for d in &s.depends_on {
            if d.required && !service_names.contains(&d.service) {
                err(&key_origin(&d.origin), format!("service {:?} depends on undefined service {:?}", s.name, d.service));
            }
        }
    }
    project.errors.extend(errors);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn container_name_pattern_is_unanchored() {
        assert!(container_name_ok("odoo-"));
        assert!(container_name_ok("-a1"));
        assert!(!container_name_ok(""));
        assert!(!container_name_ok("a"));
        assert!(!container_name_ok("--"));
    }
}

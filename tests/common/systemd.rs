//! `systemd --test --system --unit=NAME`: systemd loads a unit the way PID 1 would and dumps
//! every property it read, without a running systemd (run as an unprivileged user, with
//! `SYSTEMD_UNIT_PATH` pointing at the unit's directory). From the Debian package `systemd`.

use std::path::{Path, PathBuf};
use std::process::Command;

pub fn systemd_binary() -> Option<PathBuf> {
    let found = ["/lib/systemd/systemd", "/usr/lib/systemd/systemd"].iter().map(PathBuf::from).find(|p| p.is_file());
    if found.is_none() {
        assert!(std::env::var_os("CI").is_none(), "systemd is not installed (Debian package `systemd`)");
        println!("skipped: systemd not installed");
    }
    found
}

pub fn is_root() -> bool {
    Command::new("id").arg("-u").output().map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0").unwrap_or(false)
}

/// What systemd printed about one unit.
pub struct Dump {
    pub stderr: String,
    /// Property lines of the unit (`Key: value`), `None` if the unit did not load.
    pub props: Option<Vec<(String, String)>>,
    pub exec_start: Vec<Vec<String>>,
}

pub fn run_systemd(bin: &Path, dir: &Path, unit: &str) -> Dump {
    let mut cmd = if is_root() {
        let mut c = Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups"]).arg(bin);
        c
    } else {
        Command::new(bin)
    };
    cmd.args(["--test", "--system", "--no-pager", "--log-target=console"])
        .arg(format!("--unit={unit}"))
        .env("SYSTEMD_UNIT_PATH", format!("{}:", dir.display()))
        .current_dir(dir);
    let out = cmd.output().expect("run systemd --test");
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    let header = format!("-> Unit {unit}:");
    let mut props = None;
    let mut exec_start = Vec::new();
    let failed = stderr.contains("bad unit file setting") || stderr.contains("failed to load properly");
    if let Some(start) = stdout.lines().position(|l| l.trim() == header)
        && !failed
    {
        {
            let mut p = Vec::new();
            let mut in_exec_start = false;
            for l in stdout.lines().skip(start + 1) {
                if l.starts_with("\t-> Unit ") {
                    break;
                }
                if let Some(rest) = l.strip_prefix("\t\t-> ") {
                    in_exec_start = rest == "ExecStart:";
                    continue;
                }
                if let Some(cl) = l.strip_prefix("\t\t\tCommand Line: ") {
                    if in_exec_start {
                        exec_start.push(split_command_line(cl));
                    }
                    continue;
                }
                if let Some(kv) = l.strip_prefix("\t\t") {
                    in_exec_start = false;
                    if let Some((k, v)) = kv.split_once(": ") {
                        p.push((k.to_string(), v.to_string()));
                    }
                }
            }
            props = Some(p);
        }
    }
    Dump { stderr, props, exec_start }
}

/// `quote_command_line()` output: words separated by spaces, special ones in double quotes with
/// backslash escapes.
pub fn split_command_line(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut in_q = false;
    let mut chars = s.chars();
    let mut any = false;
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                in_q = !in_q;
                any = true;
            }
            '\\' if in_q => {
                if let Some(n) = chars.next() {
                    cur.push(n);
                }
            }
            ' ' if !in_q => {
                if any || !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
                any = false;
            }
            c => cur.push(c),
        }
    }
    if any || !cur.is_empty() {
        out.push(cur);
    }
    out
}

pub fn prop<'a>(p: &'a [(String, String)], k: &str) -> Option<&'a str> {
    p.iter().find(|(key, _)| key == k).map(|(_, v)| v.as_str())
}

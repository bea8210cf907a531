//! Hostile inputs, beyond tests/adversarial.rs (which checks that nothing panics or hangs):
//! - memory stays bounded: the alias bomb, 10,000-deep nesting and a 1 MB line run under an
//!   address-space limit of 256 MiB, a 100 MB file named on the command line under 1 GiB (an
//!   unbounded expansion or copy aborts the process, which the exit code shows);
//! - what is not a regular file (a FIFO, /dev/zero) is refused, never opened or read forever,
//!   wherever it is named: on the command line, in an nginx or PostgreSQL include, in a
//!   compose `env_file`;
//! - a file that cannot be read gives a clear error naming it, even when the tests run as
//!   root (where `chmod 000` does not stop a read): `/proc/self/mem` fails with EIO;
//! - each case says what went wrong (the diagnostic), not only an exit code.

mod common;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

const LIMIT: Duration = Duration::from_secs(60);

struct Outcome {
    code: i32,
    out: String,
}

/// Runs odoo-lint in `dir` with its address space limited to `mem_kib` (by the shell's
/// `ulimit -v`, as an administrator would), and a time limit.
fn run_limited(dir: &Path, mem_kib: u64, args: &[&str]) -> Outcome {
    let mut cmd = Command::new("sh");
    cmd.arg("-c")
        .arg(format!("ulimit -v {mem_kib} && exec \"$0\" \"$@\""))
        .arg(env!("CARGO_BIN_EXE_odoo-lint"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null());
    let o = common::output_within(cmd, LIMIT).unwrap_or_else(|e| panic!("odoo-lint {args:?}: {e}"));
    let out = format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr));
    Outcome { code: o.status.code().unwrap_or(-1), out }
}

fn write(dir: &Path, name: &str, bytes: impl AsRef<[u8]>) {
    let p = dir.join(name);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, bytes).unwrap();
}

fn assert_finished(case: &str, o: &Outcome, codes: &[i32]) {
    assert!(
        codes.contains(&o.code),
        "{case}: exit code {} (134 is an abort: out of memory):\n{}",
        o.code,
        &o.out[..o.out.len().min(3000)]
    );
    assert!(!o.out.contains("panicked"), "{case}: panic:\n{}", o.out);
}

const MIB: u64 = 1024;

#[test]
fn memory_stays_bounded() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();

    // billion laughs: 9 levels of 9 aliases, 9^9 values if expanded
    let mut yaml = String::from("x-a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
    for w in names.windows(2) {
        let refs = vec![format!("*{}", w[0]); 9].join(",");
        yaml.push_str(&format!("x-{}: &{} [{refs}]\n", w[1], w[1]));
    }
    yaml.push_str("services:\n  odoo:\n    image: odoo:17\n    labels: *i\n");
    write(d, "bomb/docker-compose.yml", yaml);
    let o = run_limited(d, 256 * MIB, &["check", "bomb", "--format", "concise"]);
    assert_finished("alias bomb", &o, &[1]);
    assert!(o.out.contains("OL001") && o.out.contains("after expanding aliases"), "the bomb is reported: {}", o.out);

    let depth = 10_000;
    write(
        d,
        "deep/docker-compose.yml",
        format!("services:\n  odoo:\n    image: odoo\n    labels:\n      - {}{}\n", "[".repeat(depth), "]".repeat(depth)),
    );
    write(
        d,
        "deep/nginx.conf",
        format!("events {{}}\nhttp {{ server {{ listen 80; {}{} }} }}\n", "location / {\n".repeat(depth), "}\n".repeat(depth)),
    );
    let o = run_limited(d, 256 * MIB, &["check", "deep", "--format", "concise"]);
    assert_finished("10,000-deep nesting", &o, &[1]);
    assert!(o.out.contains("docker-compose.yml") && o.out.contains("OL001"), "the deep YAML is reported: {}", o.out);

    write(d, "long/odoo.conf", format!("[options]\naddons_path = {}\nworkers = 2\n", "/a".repeat(512 * 1024)));
    write(d, "long/nginx.conf", format!("server {{ server_name {}; }}\n", "a".repeat(1024 * 1024)));
    let o = run_limited(d, 256 * MIB, &["check", "long", "--format", "concise"]);
    assert_finished("1 MB lines", &o, &[0, 1]);

    // 100 MB named on the command line: read (bounded copies of it), under 1 GiB
    let line = b"; a comment line to make the file large, and nothing else on it\n";
    let mut big = b"[options]\n".to_vec();
    while big.len() < 100 * 1024 * 1024 {
        big.extend_from_slice(line);
    }
    big.extend_from_slice(b"workers = 0\n");
    write(d, "big/odoo.conf", &big);
    drop(big);
    let o = run_limited(d, 1024 * MIB, &["check", "big/odoo.conf", "--format", "concise"]);
    assert_finished("100 MB file", &o, &[1]);
    assert!(o.out.contains("OL101"), "the setting at the end of the 100 MB file is read: {}", o.out);
}

/// The limit itself works: a run that needs more memory than allowed aborts (so the test
/// above can fail).
#[test]
fn the_memory_limit_bites() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "odoo.conf", format!("[options]\naddons_path = {}\n", "/a".repeat(4 * 1024 * 1024)));
    let o = run_limited(dir.path(), 16 * MIB, &["check", "odoo.conf"]);
    assert!(!matches!(o.code, 0..=2), "16 MiB should not be enough: exit {}", o.code);
}

#[cfg(target_os = "linux")]
#[test]
fn fifos_and_devices_are_refused_not_read() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let fifo = d.join("pipe.conf");
    assert!(Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    write(d, "odoo.conf", "[options]\nworkers = 2\n");
    write(
        d,
        "nginx.conf",
        "events {}\nhttp { include pipe.conf; include /dev/zero; server { listen 80; location / { proxy_pass http://127.0.0.1:8069; } } }\n",
    );
    write(d, "postgresql.conf", "include 'pipe.conf'\ninclude '/dev/zero'\n");
    write(d, "docker-compose.yml", "services:\n  odoo:\n    image: odoo:17\n    env_file: [pipe.conf, /dev/zero]\n");

    // named on the command line: exit 2, the file named
    let o = run_limited(d, 512 * MIB, &["check", "pipe.conf"]);
    assert_finished("a FIFO named", &o, &[2]);
    assert!(o.out.contains("pipe.conf") && o.out.contains("not a regular file"), "{}", o.out);
    let o = run_limited(d, 512 * MIB, &["check", "/dev/zero"]);
    assert_finished("/dev/zero named", &o, &[2]);

    // named by includes and env_file: each reported where it is named
    let o = run_limited(d, 512 * MIB, &["check", "nginx.conf", "postgresql.conf", "odoo.conf", "--format", "concise"]);
    assert_finished("FIFO and /dev/zero included", &o, &[1]);
    for (file, line) in [("nginx.conf", ":2:"), ("postgresql.conf", ":1:"), ("postgresql.conf", ":2:")] {
        assert!(
            o.out.lines().any(|l| l.starts_with(file) && l.contains(line) && l.contains("OL00")),
            "{file}{line} reported:\n{}",
            o.out
        );
    }
    let o = run_limited(d, 512 * MIB, &["check", ".", "--format", "concise"]);
    assert_finished("FIFO in the walk and env_file", &o, &[1]);
    assert!(o.out.lines().filter(|l| l.starts_with("docker-compose.yml:4:") && l.contains("OL006")).count() == 2, "{}", o.out);
}

/// Root reads any file whatever its mode, so `chmod 000` proves nothing in CI containers:
/// `/proc/self/mem` is a regular file whose read fails (EIO) for everyone.
#[cfg(target_os = "linux")]
#[test]
fn a_file_that_fails_to_read_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::os::unix::fs::symlink("/proc/self/mem", d.join("odoo.conf")).unwrap();
    write(
        d,
        "nginx.conf",
        "events {}\nhttp { include odoo.conf; server { listen 80; location / { proxy_pass http://127.0.0.1:8069; } } }\n",
    );
    for args in [&["check", "odoo.conf"][..], &["check", "."]] {
        let o = run_limited(d, 512 * MIB, args);
        assert_finished("an unreadable file", &o, &[2]);
        assert!(o.out.contains("odoo.conf: cannot read"), "{args:?}: {}", o.out);
    }
    let o = run_limited(d, 512 * MIB, &["check", "nginx.conf", "--format", "concise"]);
    assert_finished("an unreadable include", &o, &[1]);
    assert!(o.out.contains("nginx.conf:2:") && o.out.contains("could not be read"), "{}", o.out);
}

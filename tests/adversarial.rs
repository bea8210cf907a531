//! Hostile inputs: the binary must finish with a clear exit code (0, 1 or 2) and never panic
//! (101), hang or run out of memory, whatever it is fed. Each case builds a stack in a
//! temporary directory and runs `odoo-lint check` on it under a time limit.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

/// Generous: a case that takes this long has hung (typical cases take milliseconds).
const LIMIT: Duration = Duration::from_secs(60);

struct Outcome {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(args: &[&str], dir: &Path) -> Outcome {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_odoo-lint"));
    cmd.args(args).current_dir(dir).env("NO_COLOR", "1");
    let out = common::output_within(cmd, LIMIT).unwrap_or_else(|e| panic!("odoo-lint {args:?} in {}: {e}", dir.display()));
    Outcome {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn check_dir(files: &[(&str, Vec<u8>)]) -> (tempfile::TempDir, Outcome) {
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in files {
        let p = dir.path().join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, bytes).unwrap();
    }
    let out = run(&["check", ".", "--format", "concise"], dir.path());
    (dir, out)
}

fn assert_sane(case: &str, o: &Outcome) {
    assert!(
        matches!(o.code, 0..=2),
        "{case}: exit code {} (stderr: {})",
        o.code,
        o.stderr.chars().take(2000).collect::<String>()
    );
    assert!(!o.stderr.contains("internal error"), "{case}: odoo-lint crashed: {}", o.stderr);
    assert!(!o.stderr.contains("panicked"), "{case}: panic: {}", o.stderr);
}

fn odoo(body: &str) -> Vec<u8> {
    format!("[options]\n{body}").into_bytes()
}

#[test]
fn empty_and_whitespace_files() {
    for (name, bytes) in [
        ("odoo.conf", Vec::new()),
        ("odoo.conf", b"\n\n\n".to_vec()),
        ("odoo.conf", b"\r\n".to_vec()),
        ("nginx/site.conf", Vec::new()),
        ("postgresql.conf", Vec::new()),
        ("docker-compose.yml", Vec::new()),
    ] {
        let (_d, o) = check_dir(&[(name, bytes), ("odoo-marker.conf", odoo("workers = 2\n"))]);
        assert_sane(name, &o);
    }
}

#[test]
fn binary_nul_and_invalid_utf8() {
    let mut binary: Vec<u8> = (0..=255u8).cycle().take(64 * 1024).collect();
    binary[0] = b'[';
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("odoo.conf", b"[options]\nworkers = 2\x00\nproxy_mode = True\n".to_vec()),
        ("odoo.conf", b"[options]\nadmin_passwd = \xff\xfe\xfd\n".to_vec()),
        ("odoo.conf", b"\xef\xbb\xbf\xef\xbb\xbf[options]\n".to_vec()),
        ("odoo.conf", binary.clone()),
        ("nginx.conf", b"server { listen 80\xff; location / { proxy_pass http://a\x00b; } }\n".to_vec()),
        ("postgresql.conf", b"max_connections = 100\x00\nshared_buffers = '\xff'\n".to_vec()),
        ("docker-compose.yml", b"services:\n  odoo:\n    image: \"odoo:\xff\"\n".to_vec()),
    ];
    for (name, bytes) in cases {
        let (_d, o) = check_dir(&[(name, bytes)]);
        assert_sane(name, &o);
    }
    // A file named on the command line that is binary is refused with exit 2, not read.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("odoo.conf"), &binary[1..]).unwrap();
    let o = run(&["check", "odoo.conf"], dir.path());
    assert_sane("binary named file", &o);
}

#[test]
fn mixed_line_endings_and_boms() {
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("odoo.conf", b"[options]\r\nworkers = 2\nlimit_time_real = 120\rproxy_mode = True\r\n".to_vec()),
        (
            "nginx.conf",
            b"\xef\xbb\xbfserver {\r\n listen 80;\r location / {\n proxy_pass http://127.0.0.1:8069;\r\n }\n}".to_vec(),
        ),
        ("postgresql.conf", b"\xef\xbb\xbfmax_connections = 100\r\nwork_mem = 4MB\r".to_vec()),
    ];
    for (name, bytes) in cases {
        let (_d, o) = check_dir(&[(name, bytes)]);
        assert_sane(name, &o);
    }
}

#[test]
fn a_huge_file_and_a_long_line() {
    // 100 MB is over the walk's size limit (skipped with no crash); named explicitly it is read.
    let mut big = b"[options]\n".to_vec();
    let line = b"; a comment line to make the file large, and nothing else on it\n";
    while big.len() < 100 * 1024 * 1024 {
        big.extend_from_slice(line);
    }
    big.extend_from_slice(b"workers = 2\n");
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("odoo.conf"), &big).unwrap();
    let o = run(&["check", "."], dir.path());
    assert_sane("100 MB in a walk", &o);
    let o = run(&["check", "odoo.conf", "--format", "concise"], dir.path());
    assert_sane("100 MB named", &o);
    drop(big);

    let long = format!("[options]\naddons_path = {}\nworkers = 2\n", "/a".repeat(512 * 1024));
    let (_d, o) = check_dir(&[("odoo.conf", long.into_bytes())]);
    assert_sane("1 MB line", &o);
    let long_nginx = format!("server {{ server_name {}; }}\n", "a".repeat(1024 * 1024));
    let (_d, o) = check_dir(&[("nginx.conf", long_nginx.into_bytes())]);
    assert_sane("1 MB nginx line", &o);
}

#[test]
fn deep_nesting() {
    let depth = 10_000;
    let nginx = format!("{}{}", "location / {\n".repeat(depth), "}\n".repeat(depth));
    let (_d, o) = check_dir(&[("nginx.conf", nginx.into_bytes())]);
    assert_sane("10,000-deep nginx blocks", &o);
    let yaml = format!(
        "services:\n  odoo:\n    image: odoo\n    labels:\n{}",
        "      - [".to_string() + &"[".repeat(depth) + &"]".repeat(depth) + "]\n"
    );
    let (_d, o) = check_dir(&[("docker-compose.yml", yaml.into_bytes())]);
    assert_sane("10,000-deep YAML", &o);
    let odoo_cont = format!("[options]\naddons_path = /a\n{}", "  /b,\n".repeat(depth));
    let (_d, o) = check_dir(&[("odoo.conf", odoo_cont.into_bytes())]);
    assert_sane("10,000 continuation lines", &o);
}

#[test]
fn yaml_alias_bomb() {
    let mut yaml = String::from("x-a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
    for w in names.windows(2) {
        yaml.push_str(&format!(
            "x-{}: &{} [*{},*{},*{},*{},*{},*{},*{},*{},*{}]\n",
            w[1], w[1], w[0], w[0], w[0], w[0], w[0], w[0], w[0], w[0], w[0]
        ));
    }
    yaml.push_str("services:\n  odoo:\n    image: odoo:17\n    labels: *i\n");
    let (_d, o) = check_dir(&[("docker-compose.yml", yaml.into_bytes())]);
    assert_sane("billion laughs", &o);
}

#[test]
fn include_cycles_and_globs() {
    let mut files: Vec<(String, Vec<u8>)> = vec![
        ("nginx/nginx.conf".into(), b"events {}\nhttp { include conf.d/*.conf; include nginx.conf; }\n".to_vec()),
        ("nginx/conf.d/a.conf".into(), b"include conf.d/b.conf;\n".to_vec()),
        ("nginx/conf.d/b.conf".into(), b"include conf.d/a.conf;\n".to_vec()),
        ("postgresql.conf".into(), b"include 'postgresql.conf'\ninclude_dir 'conf.d'\n".to_vec()),
        ("conf.d/x.conf".into(), b"include '../postgresql.conf'\n".to_vec()),
    ];
    for i in 0..3000 {
        files.push((format!("nginx/conf.d/many/{i:04}.conf"), format!("# file {i}\n").into_bytes()));
    }
    files.push(("nginx/conf.d/z.conf".into(), b"include conf.d/many/*.conf;\n".to_vec()));
    let borrowed: Vec<(&str, Vec<u8>)> = files.iter().map(|(n, b)| (n.as_str(), b.clone())).collect();
    let (_d, o) = check_dir(&borrowed);
    assert_sane("include cycles and a 3,000-file glob", &o);
}

#[cfg(unix)]
#[test]
fn symlink_loops_unreadable_and_vanishing_files() {
    use std::os::unix::fs::{PermissionsExt, symlink};
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(root.join("odoo.conf"), odoo("workers = 2\n")).unwrap();
    std::fs::create_dir_all(root.join("loop")).unwrap();
    symlink(root.join("loop"), root.join("loop/again")).unwrap();
    symlink(root.join("self.conf"), root.join("self.conf")).unwrap();
    symlink(root.join("nowhere.conf"), root.join("dangling.conf")).unwrap();
    std::fs::create_dir_all(root.join("locked")).unwrap();
    std::fs::write(root.join("locked/odoo.conf"), odoo("workers = 3\n")).unwrap();
    std::fs::set_permissions(root.join("locked"), std::fs::Permissions::from_mode(0o000)).unwrap();
    std::fs::write(root.join("unreadable.conf"), odoo("workers = 4\n")).unwrap();
    std::fs::set_permissions(root.join("unreadable.conf"), std::fs::Permissions::from_mode(0o000)).unwrap();
    let o = run(&["check", "."], root);
    assert_sane("symlink loops, unreadable files", &o);
    // restore so the temp dir can be removed
    std::fs::set_permissions(root.join("locked"), std::fs::Permissions::from_mode(0o755)).unwrap();

    // Files that vanish while being read: a writer thread deletes and recreates them.
    let vanish = tempfile::tempdir().unwrap();
    let paths: Vec<PathBuf> = (0..200).map(|i| vanish.path().join(format!("s{i}/odoo.conf"))).collect();
    for p in &paths {
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, odoo("workers = 2\n")).unwrap();
    }
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let stop2 = stop.clone();
    let churn = paths.clone();
    let t = std::thread::spawn(move || {
        let mut i = 0usize;
        while !stop2.load(std::sync::atomic::Ordering::Relaxed) {
            let p = &churn[i % churn.len()];
            let _ = std::fs::remove_file(p);
            let _ = std::fs::write(p, odoo("workers = 2\n"));
            i += 1;
        }
    });
    for _ in 0..5 {
        let o = run(&["check", "."], vanish.path());
        assert_sane("vanishing files", &o);
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    t.join().unwrap();
}

#[test]
fn nonsense_values_everywhere() {
    let (_d, o) = check_dir(&[
        (
            "odoo.conf",
            odoo(
                "workers = 99999999999999999999999\nmax_cron_threads = -5\nlimit_memory_soft = -1\nlimit_memory_hard = 0\nlimit_time_real = 0\nlimit_time_cpu = -1\ndb_maxconn = 0\nhttp_port = 99999\n",
            ),
        ),
        ("odoo-lint.toml", b"[host]\ncpus = 4294967295\nmemory = \"1B\"\n".to_vec()),
    ]);
    assert_sane("absurd numbers", &o);
    assert!(o.stdout.contains("OL"), "absurd values should be reported: {}", o.stdout);
}

#[test]
fn numbers_that_overflow_any_product() {
    // Values that fit an i64 or u64 but overflow any multiplication with them (a debug build
    // panics on overflow: this must finish cleanly).
    let odoo_conf = "[options]\nworkers = 9223372036854775807\nmax_cron_threads = 9223372036854775807\nlimit_memory_soft = 9223372036854775807\nlimit_memory_hard = 99999999999999999\nlimit_time_real = 99999999999999999\nlimit_time_cpu = 99999999999999999\ndb_maxconn = 9223372036854775807\nserver_wide_modules = base,web,queue_job\nproxy_mode = True\n\n[queue_job]\nchannels = root:18446744073709551615\n";
    let nginx = "events { worker_connections 18446744073709551615; }\nhttp { server { listen 80; proxy_read_timeout 9999999999999999999s; client_max_body_size 99999999999999999999g; location / { proxy_pass http://127.0.0.1:8069; } location /websocket { proxy_pass http://127.0.0.1:8072; } } }\n";
    let pg =
        "max_connections = 262143\nwork_mem = 2147483647\nshared_buffers = 1073741823\nsuperuser_reserved_connections = 262142\n";
    let unit = "[Service]\nExecStart=/usr/bin/odoo -c /etc/odoo/odoo.conf --workers=9223372036854775807 --limit-time-real=99999999999999999\nTimeoutStopSec=infinity\nLimitNOFILE=infinity\nMemoryMax=18446744073709551615\n";
    let toml = "[host]\ncpus = 4294967295\nmemory = \"18446744073709551615\"\n";
    let (_d, o) = check_dir(&[
        ("odoo.conf", odoo_conf.as_bytes().to_vec()),
        ("nginx.conf", nginx.as_bytes().to_vec()),
        ("postgresql.conf", pg.as_bytes().to_vec()),
        ("odoo.service", unit.as_bytes().to_vec()),
        ("odoo-lint.toml", toml.as_bytes().to_vec()),
    ]);
    assert_sane("overflowing numbers", &o);
    // and the same with fixes applied
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in [
        ("odoo.conf", odoo_conf),
        ("nginx.conf", nginx),
        ("postgresql.conf", pg),
        ("odoo.service", unit),
        ("odoo-lint.toml", toml),
    ] {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    let o = run(&["check", ".", "--fix", "--unsafe-fixes", "--format", "concise"], dir.path());
    assert_sane("overflowing numbers, fixed", &o);
}

#[test]
fn every_corpus_file_alone() {
    // Each real file checked on its own, as a user would name it: never a crash.
    let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let mut n = 0;
    for kind in std::fs::read_dir(&corpus).unwrap().flatten().filter(|e| e.path().is_dir()) {
        for f in std::fs::read_dir(kind.path()).unwrap().flatten() {
            let o = run(&["check", &f.path().to_string_lossy(), "--format", "concise"], &corpus);
            assert_sane(&f.path().display().to_string(), &o);
            // every corpus file is one of ours: named on the command line, its kind is found
            if !f.file_name().to_string_lossy().ends_with(".md") && !f.file_name().to_string_lossy().ends_with(".tsv") {
                assert!(o.code <= 1, "{}: exit {}: {}", f.path().display(), o.code, o.stderr);
            }
            n += 1;
        }
    }
    assert!(n > 200);
}

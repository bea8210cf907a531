//! Oracle 2: the real nginx (`nginx -t`). Our first syntax error must be nginx's (message and
//! line); files nginx accepts must parse cleanly; corpus Odoo sites, wrapped and sandboxed by
//! `nginx_t::Nginx::test_config`, must load.
//!
//! Needs nginx (`ODOO_LINT_NGINX`, `PATH` or /usr/sbin/nginx) and, for the SSL sites, openssl.

mod common;

use std::path::{Path, PathBuf};

use odoo_lint::formats::nginx::include::{DiskLoader, ResolveOptions, load_includes};
use odoo_lint::formats::nginx::model::{RootContext, build};
use odoo_lint::formats::nginx::nginx_t::Nginx;
use odoo_lint::formats::nginx::parse;
use odoo_lint::source::SourceFile;

fn nginx() -> Option<Nginx> {
    match Nginx::locate() {
        Some(n) => Some(n),
        None => {
            common::require_program("nginx", &[]);
            None
        }
    }
}

fn files_in(dir: &str) -> Vec<PathBuf> {
    let dir = common::fixtures_dir().join("parsers/nginx").join(dir);
    let mut v: Vec<PathBuf> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    v.sort();
    assert!(!v.is_empty());
    v
}

#[test]
fn our_first_syntax_error_is_nginxs() {
    let Some(nginx) = nginx() else { return };
    let mut files = files_in("errors");
    for name in [
        "nginxinc__crossplane__tests_configs_missing-semicolon_broken-above.conf",
        "nginxinc__crossplane__tests_configs_quote-behavior_nginx.conf",
    ] {
        files.push(common::corpus_dir().join("nginx-general").join(name));
    }
    let prefix = tempfile::tempdir().unwrap();
    let mut problems = Vec::new();
    for path in &files {
        let src = SourceFile::new(path, std::fs::read(path).unwrap());
        let tree = parse(&src.text);
        let ours = tree.errors().first().map(|e| (e.message.clone(), src.line_col(e.range.start as usize).line));
        let run = nginx.test_file(path, prefix.path()).unwrap();
        assert!(!run.ok, "{}: nginx accepts it", path.display());
        let theirs = run.first_error().map(|m| (m.text.clone(), m.line.unwrap_or(0)));
        if ours != theirs {
            problems.push(format!("{}: ours {ours:?}, nginx {theirs:?}\n{}", path.display(), run.stderr));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn files_nginx_accepts_parse_cleanly() {
    let Some(nginx) = nginx() else { return };
    for path in files_in("valid") {
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(parse(&text).errors().is_empty(), "{}: {:?}", path.display(), parse(&text).errors());
        let prefix = tempfile::tempdir().unwrap();
        let run = nginx.test_file(&path, prefix.path()).unwrap();
        assert!(run.ok, "{}: {}", path.display(), run.stderr);
    }
}

/// Corpus Odoo sites that cannot load even in the sandbox, and why (a part of nginx's error).
const SITES_THAT_CANNOT_LOAD: &[(&str, &str)] = &[
    // templates whose blanks a script fills in: `ssl_certificate ;`, `server 127.0.0.1:$HTTP_PORT`
    ("ASASAT-Advanced-Systems__odoo-production__ssl_nginx_default.conf", "invalid number of arguments in \"ssl_certificate\""),
    ("ryumada__docker-odoo__nginx-configurations_nginx_sites_available.conf", "invalid port"),
    // `server_name ;` (no name): nginx wants at least one argument
    ("Sin1apachai__Docker-Odoo-X-Nginx__nginx_odoo.conf", "invalid number of arguments in \"server_name\""),
    // `http2 on;` exists since nginx 1.25.1; this oracle is nginx 1.22
    ("Omar-Elsayed33__odoo-docker-nginx-proxy__nginx_conf.d_odoo.conf", "unknown directive \"http2\""),
    ("Onpoint-XS__odoo-reference-stack__config_nginx_odoo.conf", "unknown directive \"http2\""),
    // a fragment using `$connection_upgrade`, which the file that includes it defines (that
    // file, gOdoo's nginx.conf, loads below with this fragment in place)
    ("OpenJKSoftware__gOdoo__config_nginx-proxy_headers.conf", "unknown \"connection_upgrade\" variable"),
];

#[test]
fn corpus_odoo_sites_load_in_a_sandbox() {
    let Some(nginx) = nginx() else { return };
    let corpus = common::corpus_files("nginx-odoo");
    // corpus files that others include by their deployed names
    let read = |f: &str| std::fs::read(common::corpus_dir().join("nginx-odoo").join(f)).unwrap();
    let odoo_params = read("it-projects-llc__install-odoo__configs_nginx_odoo_params.conf");
    let proxy_headers = read("OpenJKSoftware__gOdoo__config_nginx-proxy_headers.conf");
    let mut loaded = Vec::new();
    let mut problems = Vec::new();
    for path in &corpus {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let bytes = std::fs::read(path).unwrap();
        let level = level_of(path, &bytes);
        let src = SourceFile::new(path, bytes);
        let extra: Vec<(&str, &[u8])> = vec![("odoo_params", &odoo_params), ("proxy_headers.conf", &proxy_headers)];
        let (run, copy) = nginx.test_config(&src.text, level, &extra).unwrap();
        let expected_failure = SITES_THAT_CANNOT_LOAD.iter().find(|(f, _)| *f == name).map(|(_, why)| *why);
        match (run.ok, expected_failure) {
            (true, None) => loaded.push(name),
            (false, Some(why)) if run.stderr.contains(why) => {}
            (ok, why) => problems.push(format!(
                "{name} ({level:?}): nginx ok={ok}, expected failure {why:?}\n{}\n--- test copy ---\n{copy}",
                run.stderr
            )),
        }
    }
    eprintln!("nginx -t loads {} of {} corpus Odoo sites in the sandbox", loaded.len(), corpus.len());
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
    assert!(loaded.len() >= 25, "only {} sites load", loaded.len());
}

/// The level our model gives the file (how the sandbox wraps it).
fn level_of(path: &Path, bytes: &[u8]) -> RootContext {
    let mut l = DiskLoader::new();
    let root = l.add(SourceFile::new(path, bytes.to_vec()));
    let g = load_includes(&mut l, root, &ResolveOptions::default());
    build(&l, root, &g).context
}

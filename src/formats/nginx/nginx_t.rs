//! Asking the real nginx: run `nginx -t` on a configuration in a throw-away prefix.
//!
//! Tests use this as an oracle (does nginx accept the file, and does it fail where our
//! parser says?), and fix tests can use it to check that a fixed file still loads.
//!
//! A site file from a repository does not load on its own: it needs a main file around it,
//! its upstream host names resolve only inside its compose network, its certificates and
//! log directories live on the server. [`sandbox`] therefore writes a TEST COPY in which,
//! with byte-range edits on the parsed file:
//! - host names in `proxy_pass`-like URLs and upstream `server` lines that are not IP
//!   addresses, `localhost` or upstream names become `127.0.0.1` (nginx resolves them when it
//!   loads, and `/etc/hosts` is not ours to edit);
//! - certificates and keys point at a self-signed pair made with `openssl` (or Debian's
//!   snakeoil pair), `ssl_dhparam`/`ssl_stapling_file`/`ssl_password_file` are dropped;
//! - log, pid and temp paths point into the prefix; `user` and `load_module` are dropped;
//! - absolute includes under `/etc/nginx` (and the other install prefixes) point into the
//!   prefix, so this machine's own files are never read; stock files (`mime.types`,
//!   `proxy_params`, certbot's options file) get small stand-ins there.
//!
//! The copy is then wrapped according to its level (a main file as it is; an http-level site
//! as `events {} http { include site; }`; a server-level snippet inside a `server`; anything
//! else inside a `location`) and nginx runs with `-p PREFIX -c FILE -e stderr`.

use std::io;
use std::path::{Path, PathBuf};
use std::process::Command;

use super::include::{DEBIAN_PROXY_PARAMS, SYSTEM_PREFIXES, stock_file};
use super::model::RootContext;
use super::syntax::{DirectiveEnd, SyntaxTree, parse};
use super::values::pass_target;
use crate::source::TextRange;

/// The nginx binary to ask.
#[derive(Clone, Debug)]
pub struct Nginx {
    pub path: PathBuf,
}

/// One line nginx logged (`[emerg] unexpected "}" in /x/site.conf:5`).
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct NginxMessage {
    /// `emerg`, `alert`, `warn`, ...
    pub level: String,
    pub text: String,
    pub file: Option<PathBuf>,
    pub line: Option<u32>,
}

/// What `nginx -t` said.
#[derive(Clone, Debug)]
pub struct TestRun {
    pub ok: bool,
    pub stderr: String,
    pub messages: Vec<NginxMessage>,
}

impl TestRun {
    /// The first `emerg` (what made the test fail).
    pub fn first_error(&self) -> Option<&NginxMessage> {
        self.messages.iter().find(|m| m.level == "emerg")
    }
}

impl Nginx {
    /// `$ODOO_LINT_NGINX`, else `nginx` on `PATH`, else `/usr/sbin/nginx`.
    pub fn locate() -> Option<Nginx> {
        if let Some(p) = std::env::var_os("ODOO_LINT_NGINX") {
            return Some(Nginx { path: PathBuf::from(p) });
        }
        let on_path = std::env::var_os("PATH")
            .and_then(|paths| std::env::split_paths(&paths).map(|d| d.join("nginx")).find(|p| p.is_file()));
        on_path.or_else(|| Some(PathBuf::from("/usr/sbin/nginx")).filter(|p| p.is_file())).map(|path| Nginx { path })
    }

    /// `nginx -v`'s version string (`nginx/1.22.1`).
    pub fn version(&self) -> Option<String> {
        let out = Command::new(&self.path).arg("-v").output().ok()?;
        let s = String::from_utf8_lossy(&out.stderr);
        s.split_whitespace().find(|w| w.starts_with("nginx/")).map(|w| w.to_string())
    }

    /// Runs `nginx -t` on `conf` as it is, with `prefix` as nginx's prefix.
    pub fn test_file(&self, conf: &Path, prefix: &Path) -> io::Result<TestRun> {
        let out = Command::new(&self.path)
            .arg("-t")
            .arg("-q")
            .arg("-p")
            .arg(prefix)
            .arg("-c")
            .arg(conf)
            .arg("-e")
            .arg("stderr")
            .output()?;
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        let messages = stderr.lines().filter_map(parse_message).collect();
        Ok(TestRun { ok: out.status.success(), stderr, messages })
    }

    /// Writes a sandboxed test copy of `text` (see the module doc) into a temp prefix,
    /// wraps it by `level`, adds `files` (paths relative to the prefix, e.g. an included
    /// snippet), and runs `nginx -t`. The site copy is `PREFIX/site.conf`.
    pub fn test_config(&self, text: &str, level: RootContext, files: &[(&str, &[u8])]) -> io::Result<(TestRun, String)> {
        let dir = tempfile::tempdir()?;
        let prefix = dir.path();
        std::fs::create_dir_all(prefix.join("logs"))?;
        let cert = make_cert(prefix);
        for (rel, bytes) in files {
            let p = prefix.join(rel);
            if let Some(parent) = p.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::write(p, bytes)?;
        }
        write_stock_files(prefix, cert.as_ref())?;
        let copy = sandbox(text, prefix, cert.as_ref());
        let site = prefix.join("site.conf");
        std::fs::write(&site, &copy)?;
        let temps = temp_paths(prefix);
        let main = match level {
            RootContext::Main => {
                let with_temps = add_to_http(&copy, &temps);
                std::fs::write(&site, &with_temps)?;
                site.clone()
            }
            _ => {
                let inner = match level {
                    RootContext::Http => format!("include {};", site.display()),
                    RootContext::Server => {
                        format!("server {{\n    listen 127.0.0.1:8080;\n    include {};\n}}", site.display())
                    }
                    _ => format!(
                        "server {{\n    listen 127.0.0.1:8080;\n    location / {{\n        include {};\n    }}\n}}",
                        site.display()
                    ),
                };
                let main = prefix.join("nginx.conf");
                std::fs::write(&main, format!("events {{}}\nhttp {{\n{temps}\n{inner}\n}}\n"))?;
                main
            }
        };
        let run = self.test_file(&main, prefix)?;
        Ok((run, copy))
    }
}

/// Parses `2026/11/21 15:01:43 [emerg] 123#123: MESSAGE in FILE:LINE` (or `nginx: [emerg] ...`).
pub fn parse_message(line: &str) -> Option<NginxMessage> {
    let open = line.find('[')?;
    let close = open + line[open..].find(']')?;
    let level = line[open + 1..close].to_string();
    let mut rest = line[close + 1..].trim_start();
    // drop the `pid#tid: ` part
    if let Some(colon) = rest.find(": ")
        && rest[..colon].contains('#')
        && rest[..colon].bytes().all(|b| b.is_ascii_digit() || b == b'#')
    {
        rest = &rest[colon + 2..];
    }
    let (text, file, line_no) = match rest.rfind(" in ") {
        Some(i) => {
            let loc = &rest[i + 4..];
            match loc.rsplit_once(':') {
                Some((f, n)) if n.bytes().all(|b| b.is_ascii_digit()) && !n.is_empty() => {
                    (rest[..i].to_string(), Some(PathBuf::from(f)), n.parse().ok())
                }
                _ => (rest.to_string(), None, None),
            }
        }
        None => (rest.to_string(), None, None),
    };
    Some(NginxMessage { level, text, file, line: line_no })
}

/// A self-signed certificate and key in `dir` (made with `openssl`), else Debian's snakeoil
/// pair if present.
fn make_cert(dir: &Path) -> Option<(PathBuf, PathBuf)> {
    let (cert, key) = (dir.join("test-cert.pem"), dir.join("test-key.pem"));
    let made = Command::new("openssl")
        .args(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=odoo-lint-test"])
        .arg("-keyout")
        .arg(&key)
        .arg("-out")
        .arg(&cert)
        .output()
        .is_ok_and(|o| o.status.success());
    if made {
        return Some((cert, key));
    }
    let (c, k) = (PathBuf::from("/etc/ssl/certs/ssl-cert-snakeoil.pem"), PathBuf::from("/etc/ssl/private/ssl-cert-snakeoil.key"));
    (c.is_file() && k.is_file()).then_some((c, k))
}

/// Stand-ins for the stock files, in the prefix (where nginx resolves relative includes).
fn write_stock_files(prefix: &Path, cert: Option<&(PathBuf, PathBuf)>) -> io::Result<()> {
    let stock_dir = prefix.join("stock");
    std::fs::create_dir_all(prefix.join("snippets"))?;
    std::fs::create_dir_all(&stock_dir)?;
    let snakeoil = match cert {
        Some((c, k)) => format!("ssl_certificate {};\nssl_certificate_key {};\n", c.display(), k.display()),
        None => String::new(),
    };
    let files: [(&str, &str); 9] = [
        ("mime.types", "types {\n    text/html html;\n    application/javascript js;\n}\n"),
        ("proxy_params", DEBIAN_PROXY_PARAMS),
        ("fastcgi_params", ""),
        ("fastcgi.conf", ""),
        ("uwsgi_params", ""),
        ("scgi_params", ""),
        ("snippets/snakeoil.conf", &snakeoil),
        ("snippets/fastcgi-php.conf", ""),
        ("stock/options-ssl-nginx.conf", "ssl_session_cache shared:le_nginx_SSL:10m;\n"),
    ];
    for (rel, content) in files {
        let p = prefix.join(rel);
        if !p.exists() {
            std::fs::write(p, content)?;
        }
    }
    Ok(())
}

fn temp_paths(prefix: &Path) -> String {
    let p = prefix.display();
    format!(
        "    client_body_temp_path {p}/tmp-body;\n    proxy_temp_path {p}/tmp-proxy;\n    fastcgi_temp_path {p}/tmp-fastcgi;\n    uwsgi_temp_path {p}/tmp-uwsgi;\n    scgi_temp_path {p}/tmp-scgi;\n    access_log {p}/logs/access.log;"
    )
}

/// Adds the temp paths at the end of a main file's `http` block (where they are not set).
fn add_to_http(text: &str, temps: &str) -> String {
    let tree = parse(text);
    let Some((id, d)) = tree.directives().find(|(_, d)| d.depth == 0 && d.is(text, "http")) else {
        return text.to_string();
    };
    let Some(close) = d.block().and_then(|b| b.close) else {
        return text.to_string();
    };
    let set: Vec<String> = tree.child_directives(Some(id)).map(|c| tree.directive(c).name(text).into_owned()).collect();
    let lines: String = temps
        .lines()
        .filter(|l| l.split_whitespace().next().is_some_and(|n| !set.iter().any(|s| s == n)))
        .map(|l| format!("{l}\n"))
        .collect();
    let mut out = text.to_string();
    out.insert_str(close.start as usize, &format!("\n{lines}"));
    out
}

/// The test copy of a configuration: see the module doc for each rewrite.
pub fn sandbox(text: &str, prefix: &Path, cert: Option<&(PathBuf, PathBuf)>) -> String {
    let tree = parse(text);
    let upstreams: Vec<String> = tree
        .directives()
        .filter(|(_, d)| d.is(text, "upstream") && d.block().is_some())
        .filter_map(|(_, d)| d.args.first().map(|w| w.value(text).to_ascii_lowercase()))
        .collect();
    let mut edits: Vec<(TextRange, String)> = Vec::new();
    let mut log_n = 0;
    for (_, d) in tree.directives() {
        let name = d.name(text);
        let arg0 = d.args.first();
        let value0 = arg0.map(|w| w.value(text).into_owned()).unwrap_or_default();
        let replace_arg = |edits: &mut Vec<(TextRange, String)>, new: String| {
            if let Some(w) = arg0 {
                edits.push((w.range, quote_if_needed(&new)));
            }
        };
        match name.as_ref() {
            "proxy_pass" | "uwsgi_pass" | "fastcgi_pass" | "grpc_pass" | "scgi_pass" => {
                if let Some(w) = arg0 {
                    let t = pass_target(&value0);
                    if let Some(host) = &t.addr.host
                        && !t.has_variables
                        && needs_local(host)
                        && !upstreams.contains(&host.to_ascii_lowercase())
                    {
                        let start = value0.find("://").map(|i| i + 3).unwrap_or(0);
                        let new = format!("{}{}{}", &value0[..start], "127.0.0.1", &value0[start + host.len()..]);
                        edits.push((w.range, quote_if_needed(&new)));
                    }
                }
            }
            "server" if d.block().is_none() && is_in(&tree, text, d.parent, "upstream") => {
                let hp = super::values::host_port(&value0, false);
                if let Some(host) = hp.host.filter(|h| needs_local(h)) {
                    replace_arg(&mut edits, format!("127.0.0.1{}", &value0[host.len()..]));
                }
            }
            "access_log" | "error_log" => {
                let keep =
                    value0 == "off" || value0 == "stderr" || value0.starts_with("syslog:") || value0.starts_with("memory:");
                if !keep && !value0.is_empty() {
                    log_n += 1;
                    replace_arg(&mut edits, format!("{}/logs/{name}-{log_n}.log", prefix.display()));
                }
            }
            "pid" => replace_arg(&mut edits, format!("{}/nginx.pid", prefix.display())),
            "ssl_certificate" | "ssl_trusted_certificate" | "ssl_client_certificate" => {
                if let Some((c, _)) = cert {
                    replace_arg(&mut edits, c.display().to_string());
                }
            }
            "ssl_certificate_key" => {
                if let Some((_, k)) = cert {
                    replace_arg(&mut edits, k.display().to_string());
                }
            }
            "ssl_dhparam" | "ssl_stapling_file" | "ssl_password_file" | "user" | "load_module" => {
                if matches!(d.end, DirectiveEnd::Semicolon(_)) {
                    edits.push((d.range, String::new()));
                }
            }
            "include" if value0.starts_with('/') => {
                let rel = match stock_file(&value0) {
                    Some(stock) if stock.name.starts_with('/') => Some(format!(
                        "stock/{}",
                        Path::new(stock.name).file_name().map(|f| f.to_string_lossy()).unwrap_or_default()
                    )),
                    _ => SYSTEM_PREFIXES.iter().find_map(|p| value0.strip_prefix(p)).map(str::to_string),
                };
                if let Some(rel) = rel {
                    replace_arg(&mut edits, format!("{}/{rel}", prefix.display()));
                }
            }
            _ => {}
        }
    }
    edits.sort_by_key(|(r, _)| std::cmp::Reverse(r.start));
    let mut out = text.to_string();
    for (r, new) in edits {
        out.replace_range(r.range(), &new);
    }
    out
}

fn is_in(tree: &SyntaxTree, text: &str, parent: Option<super::syntax::DirectiveId>, name: &str) -> bool {
    parent.is_some_and(|p| tree.directive(p).is(text, name))
}

/// Whether nginx would have to resolve this host name at load time.
fn needs_local(host: &str) -> bool {
    let is_ip = host.parse::<std::net::IpAddr>().is_ok();
    !(is_ip || host == "localhost" || host == "*" || host.starts_with("unix:") || host.contains('$'))
}

fn quote_if_needed(s: &str) -> String {
    if s.contains([' ', ';', '{', '}', '#', '"', '\'']) { format!("\"{}\"", s.replace('"', "\\\"")) } else { s.to_string() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_nginx_messages() {
        let m = parse_message("2026/11/21 15:01:43 [emerg] 27949#27949: host not found in upstream \"odoo\" in /tmp/a.conf:7")
            .unwrap();
        assert_eq!(m.level, "emerg");
        assert_eq!(m.text, "host not found in upstream \"odoo\"");
        assert_eq!(m.file.as_deref(), Some(Path::new("/tmp/a.conf")));
        assert_eq!(m.line, Some(7));
        let m = parse_message("nginx: [emerg] unexpected \"}\" in /x/y.conf:5").unwrap();
        assert_eq!((m.text.as_str(), m.line), ("unexpected \"}\"", Some(5)));
        assert!(parse_message("nginx: configuration file /x test failed").is_none());
    }

    #[test]
    fn sandbox_rewrites_only_what_nginx_cannot_load_here() {
        let text = "upstream odoo { server odoo:8069; server 10.0.0.2:8072; }\nserver {\n  listen 443 ssl;\n  ssl_certificate /etc/letsencrypt/live/x/fullchain.pem;\n  ssl_dhparam /etc/ssl/dh.pem;\n  access_log /var/log/nginx/odoo.log;\n  include /etc/letsencrypt/options-ssl-nginx.conf;\n  location / { proxy_pass http://odoo; }\n  location /w { proxy_pass http://web:8072/x; }\n  location /v { proxy_pass http://$backend; }\n}\n";
        let cert = (PathBuf::from("/p/c.pem"), PathBuf::from("/p/k.pem"));
        let out = sandbox(text, Path::new("/p"), Some(&cert));
        assert!(out.contains("server 127.0.0.1:8069;"));
        assert!(out.contains("server 10.0.0.2:8072;"));
        assert!(out.contains("ssl_certificate /p/c.pem;"));
        assert!(!out.contains("dhparam"));
        assert!(out.contains("access_log /p/logs/access_log-1.log;"));
        assert!(out.contains("include /p/stock/options-ssl-nginx.conf;"));
        assert!(out.contains("proxy_pass http://odoo;"), "upstream names stay");
        assert!(out.contains("proxy_pass http://127.0.0.1:8072/x;"));
        assert!(out.contains("proxy_pass http://$backend;"));
        assert!(parse(&out).errors().is_empty());
    }
}

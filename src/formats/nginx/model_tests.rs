//! Semantic cases. Inheritance follows nginx's merge functions: a simple directive comes from
//! the nearest level that sets it; a list (`proxy_set_header`, `add_header`, ...) comes whole
//! from the nearest level that has one entry of it.

use super::*;
use crate::formats::nginx::include::{DiskLoader, NginxLoader, ResolveOptions, load_includes};
use crate::source::SourceFile;
use std::path::Path;

/// Builds the model of `text` (in memory; includes resolve from `dir` if given).
fn model_at(path: &Path, text: &str) -> (DiskLoader, NginxModel) {
    let mut l = DiskLoader::new();
    let root = l.add(SourceFile::from_text(path, text));
    let g = load_includes(&mut l, root, &ResolveOptions::default());
    let m = build(&l, root, &g);
    (l, m)
}

fn model(text: &str) -> NginxModel {
    model_at(Path::new("/nonexistent/site.conf"), text).1
}

fn loc<'a>(m: &'a NginxModel, path: &str) -> &'a Location {
    m.locations.iter().find(|l| l.path == path).unwrap_or_else(|| panic!("no location {path}"))
}

const MAIN: &str = r#"
user www-data;
events { worker_connections 1024; }
http {
    proxy_read_timeout 300s;
    client_max_body_size 100m;
    proxy_set_header X-Forwarded-Host $host;
    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
    upstream odoo { server 127.0.0.1:8069 weight=2; server odoo2 backup; }
    upstream OdooChat { server unix:/run/odoo-chat.sock; }
    map $http_upgrade $connection_upgrade { default upgrade; '' close; hostnames; }
    server {
        listen 80;
        server_name example.com www.example.com;
        return 301 https://$host$request_uri;
    }
    server {
        listen [::]:443 ssl http2 default_server;
        listen 127.0.0.1:8443;
        server_name example.com;
        proxy_set_header X-Forwarded-Proto https;
        location / {
            proxy_pass http://odoo;
            location ~* ^/web/static/ { expires 7d; }
        }
        location /websocket {
            proxy_pass http://odoochat;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_read_timeout 720s;
        }
        location = /x { if ($arg_a) { proxy_pass http://127.0.0.1:8072/x; } limit_except GET { deny all; } }
        location @fallback { proxy_pass http://$backend; }
        location /p { proxy_pass http://odoo:8069; }
    }
}
"#;

#[test]
fn main_file_servers_locations_upstreams_maps() {
    let m = model(MAIN);
    assert_eq!(m.context, RootContext::Main);
    assert!(m.http.is_some());
    assert_eq!(m.servers.len(), 2);
    let s0 = &m.servers[0];
    assert_eq!(s0.listens[0].port, Some(80));
    assert_eq!(s0.server_names.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>(), ["example.com", "www.example.com"]);
    let s1 = &m.servers[1];
    let l = &s1.listens[0];
    assert_eq!((l.addr.host.as_deref(), l.port, l.ssl, l.http2, l.default_server), (Some("::"), Some(443), true, true, true));
    assert_eq!(s1.listens[1].addr.host.as_deref(), Some("127.0.0.1"));
    let paths: Vec<(&str, LocationKind)> =
        m.server_locations(ServerId(1)).iter().map(|l| (m.location(*l).path.as_str(), m.location(*l).kind)).collect();
    assert_eq!(
        paths,
        [
            ("/", LocationKind::Prefix),
            ("^/web/static/", LocationKind::RegexCaseless),
            ("/websocket", LocationKind::Prefix),
            ("/x", LocationKind::Exact),
            ("@fallback", LocationKind::Named),
            ("/p", LocationKind::Prefix),
        ]
    );
    let nested = loc(&m, "^/web/static/");
    assert_eq!(nested.parent, Some(LocationId(0)));
    assert_eq!(loc(&m, "/x").ifs.len(), 1);
    assert_eq!(loc(&m, "/x").limit_excepts.len(), 1);
    assert_eq!(m.upstreams.len(), 2);
    let up = &m.upstreams[0];
    assert_eq!(up.name, "odoo");
    assert_eq!(up.servers[0].port(), Some(8069));
    assert_eq!(up.servers[0].params, ["weight=2"]);
    assert_eq!((up.servers[1].addr.host.as_deref(), up.servers[1].port()), (Some("odoo2"), Some(80)));
    assert_eq!(m.upstreams[1].servers[0].port(), None);
    let map = &m.maps[0];
    assert_eq!((map.source.as_str(), map.variable.as_str()), ("$http_upgrade", "$connection_upgrade"));
    assert_eq!(map.default.as_deref(), Some("upgrade"));
    assert!(map.hostnames);
    assert_eq!(map.entries.len(), 1);
    assert_eq!((map.entries[0].key.as_str(), map.entries[0].value.as_str()), ("", "close"));
}

#[test]
fn simple_directives_come_from_the_nearest_level() {
    let m = model(MAIN);
    let ws = Some(loc(&m, "/websocket").node);
    let root = Some(loc(&m, "/").node);
    let e = m.effective(ws, "proxy_read_timeout");
    assert_eq!(e.args, ["720s"]);
    assert!(matches!(e.source, Source::Set(n) if m.node(n).parent == ws));
    let e = m.effective(root, "proxy_read_timeout");
    assert_eq!(e.args, ["300s"]);
    assert!(matches!(e.source, Source::Set(n) if m.node(n).parent == m.http));
    // nested location inherits through its parent location
    assert_eq!(m.effective(Some(loc(&m, "^/web/static/").node), "client_max_body_size").args, ["100m"]);
    // defaults
    let e = m.effective(root, "proxy_send_timeout");
    assert_eq!((e.args.as_slice(), e.source, e.outer_unknown), (&["60s".to_string()][..], Source::Default, false));
    assert_eq!(m.effective(root, "proxy_http_version").args, ["1.0"]);
    assert_eq!(m.effective(ws, "proxy_http_version").args, ["1.1"]);
    assert_eq!(m.effective(root, "proxy_buffering").args, ["on"]);
    assert_eq!(m.effective(root, "proxy_connect_timeout").args, ["60s"]);
    assert_eq!(m.effective(root, "no_such_directive").source, Source::Unset);
    // an `if` inside a location inherits from it
    let x = loc(&m, "/x");
    assert_eq!(m.effective(Some(x.ifs[0]), "proxy_read_timeout").args, ["300s"]);
}

#[test]
fn lists_come_whole_from_one_level() {
    let m = model(MAIN);
    let names = |scope| -> Vec<String> { m.proxy_headers(scope).iter().map(|h| format!("{}: {}", h.name, h.value)).collect() };
    // `/` sets none: it gets the server's one entry, which hides http's two
    assert_eq!(
        names(Some(loc(&m, "/").node)),
        [
            "X-Forwarded-Proto: https",
            "Host: $proxy_host",
            "Connection: close",
            "Content-Length: $proxy_internal_body_length",
            "Transfer-Encoding: $proxy_internal_chunked",
            "TE: ",
            "Keep-Alive: ",
            "Expect: ",
            "Upgrade: "
        ]
    );
    let ws = Some(loc(&m, "/websocket").node);
    assert!(m.proxy_header(ws, "x-forwarded-proto").is_none(), "its own list drops the server's");
    assert_eq!(m.proxy_header(ws, "upgrade").unwrap().value, "$http_upgrade");
    assert_eq!(m.proxy_header(ws, "Connection").unwrap().value, "$connection_upgrade");
    assert!(m.proxy_header(ws, "TE").is_none(), "empty defaults are not sent");
    // the first server sets none: http's list
    let l = m.effective_list(m.servers[0].scope(), "proxy_set_header");
    assert_eq!(l.level, Some(m.http));
    assert_eq!(l.nodes.len(), 2);
    // allow and deny are one list
    let le = loc(&m, "/x").limit_excepts[0];
    assert_eq!(m.effective_list(Some(le), "allow").nodes.len(), 1);
}

#[test]
fn proxy_pass_read_and_not_inherited() {
    let m = model(MAIN);
    let pp = m.proxy_pass(Some(loc(&m, "/").node)).unwrap();
    assert_eq!(pp.upstream, Some(UpstreamId(0)));
    assert!(!pp.port_on_upstream);
    let ws = m.proxy_pass(Some(loc(&m, "/websocket").node)).unwrap();
    assert_eq!(ws.upstream, Some(UpstreamId(1)), "upstream names are case-insensitive");
    assert!(m.proxy_pass(Some(loc(&m, "^/web/static/").node)).is_none(), "proxy_pass is not inherited");
    let x = loc(&m, "/x");
    assert!(m.proxy_pass(Some(x.node)).is_none());
    let in_if = m.proxy_pass(Some(x.ifs[0])).unwrap();
    assert_eq!((in_if.target.port(), in_if.target.uri.as_deref(), in_if.upstream), (Some(8072), Some("/x"), None));
    let fb = m.proxy_pass(Some(loc(&m, "@fallback").node)).unwrap();
    assert!(fb.target.has_variables);
    assert_eq!(fb.upstream, None);
    assert!(m.proxy_pass(Some(loc(&m, "/p").node)).unwrap().port_on_upstream);
}

#[test]
fn snippets_by_level() {
    let m = model("upstream o { server odoo:8069; }\nserver { listen 8080; location / { proxy_pass http://o; } }");
    assert_eq!(m.context, RootContext::Http);
    assert_eq!((m.servers.len(), m.upstreams.len()), (1, 1));
    let l = m.server_locations(ServerId(0))[0];
    let e = m.effective(Some(m.location(l).node), "proxy_read_timeout");
    assert_eq!((e.source, e.outer_unknown), (Source::Default, true));

    let m = model("location / { proxy_pass http://odoo:8069; }\nlocation /websocket { proxy_pass http://odoo:8072; }");
    assert_eq!(m.context, RootContext::Server);
    assert_eq!(m.servers.len(), 1);
    assert_eq!(m.servers[0].node, None);
    assert_eq!(m.servers[0].locations.len(), 2);

    let m = model("proxy_set_header Host $host;\nproxy_set_header X-Real-IP $remote_addr;");
    assert_eq!(m.context, RootContext::Fragment);
    assert!(m.servers.is_empty());
    assert_eq!(m.effective_list(None, "proxy_set_header").nodes.len(), 2);
}

#[test]
fn includes_expand_in_place_with_stock_proxy_params() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir_all(d.join("conf.d")).unwrap();
    std::fs::write(d.join("conf.d/odoo.conf"), "server { location / { include proxy_params; proxy_pass http://o; } }").unwrap();
    std::fs::write(d.join("common.conf"), "proxy_read_timeout 720s;").unwrap();
    let text = "events {}\nhttp {\n  include common.conf;\n  include conf.d/*.conf;\n}\n";
    std::fs::write(d.join("nginx.conf"), text).unwrap();
    let mut l = DiskLoader::new();
    let root = l.load(&d.join("nginx.conf")).unwrap();
    let g = load_includes(&mut l, root, &ResolveOptions::default());
    let m = build(&l, root, &g);
    assert_eq!(m.servers.len(), 1);
    let loc = m.server_locations(ServerId(0))[0];
    let scope = Some(m.location(loc).node);
    let e = m.effective(scope, "proxy_read_timeout");
    assert_eq!(e.args, ["720s"]);
    let Source::Set(n) = e.source else { panic!() };
    assert_eq!(l.source(m.node(n).file).path.file_name().unwrap(), "common.conf");
    assert!(m.node(n).via.is_some());
    let headers: Vec<String> =
        m.proxy_headers(scope).iter().filter(|h| h.source != Source::Default).map(|h| h.name.clone()).collect();
    assert_eq!(headers, ["Host", "X-Real-IP", "X-Forwarded-For", "X-Forwarded-Proto"]);
    assert!(m.proxy_header(scope, "X-Forwarded-Host").is_none());
    let host = m.proxy_header(scope, "Host").unwrap();
    let Source::Set(hn) = host.source else { panic!() };
    assert_eq!(l.source(m.node(hn).file).path, Path::new("/etc/nginx/proxy_params"));
}

#[test]
fn include_cycles_are_expanded_once() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("a.conf"), "server_name a;\ninclude b.conf;").unwrap();
    std::fs::write(d.join("b.conf"), "listen 80;\ninclude a.conf;").unwrap();
    let mut l = DiskLoader::new();
    let root = l.load(&d.join("a.conf")).unwrap();
    let g = load_includes(&mut l, root, &ResolveOptions::default());
    let m = build(&l, root, &g);
    let names: Vec<&str> = m.nodes().map(|(_, n)| n.name.as_str()).collect();
    assert_eq!(names, ["server_name", "include", "listen", "include"]);
    assert!(matches!(m.problems[..], [ModelProblem::CycleSkipped { .. }]));
    assert_eq!(m.context, RootContext::Server);
    assert_eq!(m.servers[0].listens[0].port, Some(80));
}

#[test]
fn include_bombs_are_bounded() {
    // each file includes the next one ten times: 10^6 copies of the last file
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    for i in 0..6 {
        std::fs::write(
            d.join(format!("f{i}.conf")),
            format!("a {i};\n").repeat(1) + &format!("include f{}.conf;\n", i + 1).repeat(10),
        )
        .unwrap();
    }
    std::fs::write(d.join("f6.conf"), "x 1;\n".repeat(5)).unwrap();
    let mut l = DiskLoader::new();
    let root = l.load(&d.join("f0.conf")).unwrap();
    let g = load_includes(&mut l, root, &ResolveOptions::default());
    let m = build(&l, root, &g);
    assert!(m.nodes().count() <= MAX_NODES);
    assert!(m.problems.iter().any(|p| matches!(p, ModelProblem::TooLarge { .. })));
}

/// `proxy_header` finds what `proxy_headers` lists: the first sent header of that name, a set
/// header (sent or emptied) hiding the default of its name, in any case.
#[test]
fn one_proxy_header_is_the_first_of_the_list() {
    let text = r#"
http {
    proxy_set_header Host $host;
    proxy_set_header host $http_host;
    proxy_set_header Connection "";
    proxy_set_header X-Real-IP $remote_addr;
    server {
        location / { proxy_pass http://a; }
        location /a { proxy_set_header TE trailers; proxy_set_header X-A ""; proxy_set_header X-A second; proxy_pass http://a; }
        location /b { proxy_set_header keep-alive ""; proxy_pass http://a; }
    }
}
"#;
    let m = model(text);
    let names = [
        "Host",
        "host",
        "HOST",
        "Connection",
        "connection",
        "X-Real-IP",
        "TE",
        "te",
        "Keep-Alive",
        "X-A",
        "x-a",
        "Content-Length",
        "Transfer-Encoding",
        "nothing",
    ];
    let mut scopes: Vec<Option<NodeId>> = vec![None];
    scopes.extend(m.locations.iter().map(|l| Some(l.node)));
    for scope in scopes {
        for name in names {
            let listed = m.proxy_headers(scope).into_iter().find(|h| h.name.eq_ignore_ascii_case(name) && h.is_sent());
            assert_eq!(m.proxy_header(scope, name), listed, "{scope:?} {name}");
        }
    }
}

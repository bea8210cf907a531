//! Reading the arguments of a few directives the way nginx does: `listen` addresses,
//! `proxy_pass` URLs, `upstream` servers and `location` modifiers.

/// A host and port as written in `listen`, `server` (upstream) or a URL.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct HostPort {
    /// The host or address (`127.0.0.1`, `::1` without brackets, `odoo`, `*`), if any.
    pub host: Option<String>,
    /// The port if written.
    pub port: Option<u16>,
    /// A UNIX socket path (`unix:/run/odoo.sock`).
    pub unix: Option<String>,
    /// The port text was there but is not a valid port (`:http`, `:99999`, `:$port`).
    pub bad_port: bool,
}

/// Splits `host:port`, `[v6]:port`, `port`, `host`, `unix:/path` (as ngx_parse_url does).
/// A bare number is a port only when `number_is_port` (as in `listen 8069`).
pub fn host_port(s: &str, number_is_port: bool) -> HostPort {
    if let Some(path) = s.strip_prefix("unix:") {
        return HostPort { unix: Some(path.to_string()), ..HostPort::default() };
    }
    let mut hp = HostPort::default();
    if let Some(rest) = s.strip_prefix('[') {
        let (host, after) = match rest.find(']') {
            Some(i) => (&rest[..i], &rest[i + 1..]),
            None => (rest, ""),
        };
        hp.host = Some(host.to_string());
        if let Some(p) = after.strip_prefix(':') {
            set_port(&mut hp, p);
        }
        return hp;
    }
    if number_is_port && !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
        set_port(&mut hp, s);
        return hp;
    }
    match s.rfind(':') {
        // `user:password@host:port`: nginx takes what follows the first colon as the port and
        // rejects it ("invalid port in upstream"); the password is not a host
        Some(_) if s.find(':') < s.find('@') => {
            hp.host = s.split(':').next().map(str::to_string);
            hp.bad_port = true;
        }
        // more than one colon without brackets: an IPv6 address without a port
        Some(i) if s[..i].contains(':') => hp.host = Some(s.to_string()),
        Some(i) => {
            hp.host = Some(s[..i].to_string());
            set_port(&mut hp, &s[i + 1..]);
        }
        None => hp.host = Some(s.to_string()),
    }
    hp
}

fn set_port(hp: &mut HostPort, p: &str) {
    match p.parse::<u16>() {
        Ok(n) if n > 0 && p.bytes().all(|b| b.is_ascii_digit()) => hp.port = Some(n),
        _ => hp.bad_port = true,
    }
}

/// A `proxy_pass` (or `grpc_pass`, `uwsgi_pass`, ...) target.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct PassTarget {
    /// `http`, `https`, `grpc`, ... (`None` if the URL has no `scheme://`, which nginx rejects
    /// for proxy_pass).
    pub scheme: Option<String>,
    pub addr: HostPort,
    /// The URI part, from its `/` (`None` when there is none: nginx then passes the request URI
    /// unchanged; `Some("/")` replaces the location's prefix).
    pub uri: Option<String>,
    /// The URL holds `$` variables: its target is only known per request.
    pub has_variables: bool,
}

impl PassTarget {
    /// The port nginx connects to: the explicit one, else the scheme's default.
    /// `None` when the port written is not one (nginx refuses to start).
    pub fn port(&self) -> Option<u16> {
        if self.addr.bad_port {
            return None;
        }
        self.addr.port.or(match self.scheme.as_deref() {
            Some("http") => Some(80),
            Some("https") => Some(443),
            _ => None,
        })
    }
}

/// Parses a `proxy_pass` URL: `http://odoo:8069`, `https://[::1]/x`, `http://unix:/s.sock:/uri`,
/// `http://$backend`, `http://odoo_upstream`.
pub fn pass_target(url: &str) -> PassTarget {
    let has_variables = url.contains('$');
    let (scheme, rest) = match url.find("://") {
        Some(i) => (Some(url[..i].to_ascii_lowercase()), &url[i + 3..]),
        None => (None, url),
    };
    if let Some(path) = rest.strip_prefix("unix:") {
        // http://unix:/path/to.sock:/uri
        let (sock, uri) = match path.find(':') {
            Some(i) => (&path[..i], Some(path[i + 1..].to_string())),
            None => (path, None),
        };
        return PassTarget { scheme, addr: HostPort { unix: Some(sock.to_string()), ..HostPort::default() }, uri, has_variables };
    }
    let (authority, uri) = match rest.find('/') {
        Some(i) => (&rest[..i], Some(rest[i..].to_string())),
        None => (rest, None),
    };
    // a `?` or `#` right after the host belongs to the URI too
    let (authority, uri) = match authority.find(['?', '#']) {
        Some(i) if uri.is_none() => (&authority[..i], Some(authority[i..].to_string())),
        _ => (authority, uri),
    };
    PassTarget { scheme, addr: host_port(authority, false), uri, has_variables }
}

/// How a `location` matches.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum LocationKind {
    /// No modifier: longest prefix.
    Prefix,
    /// `=`: exact match.
    Exact,
    /// `^~`: prefix that stops the regex search.
    PrefixNoRegex,
    /// `~`: case-sensitive regex.
    Regex,
    /// `~*`: case-insensitive regex.
    RegexCaseless,
    /// `@name`: only reached by internal redirects.
    Named,
}

/// Reads a location's arguments as `ngx_http_core_location` does: `location [mod] path` or
/// the modifier glued to the path (`location =/x`, `location ~*\.php$`). `None` for a
/// modifier nginx rejects or a wrong number of arguments.
pub fn location_kind(args: &[String]) -> Option<(LocationKind, String)> {
    match args {
        [m, path] => {
            let kind = match m.as_str() {
                "=" => LocationKind::Exact,
                "^~" => LocationKind::PrefixNoRegex,
                "~" => LocationKind::Regex,
                "~*" => LocationKind::RegexCaseless,
                _ => return None,
            };
            Some((kind, path.clone()))
        }
        [name] => Some(if let Some(p) = name.strip_prefix('=') {
            (LocationKind::Exact, p.to_string())
        } else if let Some(p) = name.strip_prefix("^~") {
            (LocationKind::PrefixNoRegex, p.to_string())
        } else if let Some(p) = name.strip_prefix("~*") {
            (LocationKind::RegexCaseless, p.to_string())
        } else if let Some(p) = name.strip_prefix('~') {
            (LocationKind::Regex, p.to_string())
        } else if name.starts_with('@') {
            (LocationKind::Named, name.clone())
        } else {
            (LocationKind::Prefix, name.clone())
        }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hp(host: Option<&str>, port: Option<u16>) -> HostPort {
        HostPort { host: host.map(String::from), port, ..HostPort::default() }
    }

    #[test]
    fn listen_and_server_addresses() {
        assert_eq!(host_port("80", true), hp(None, Some(80)));
        assert_eq!(host_port("127.0.0.1:8069", true), hp(Some("127.0.0.1"), Some(8069)));
        assert_eq!(host_port("[::]:443", true), hp(Some("::"), Some(443)));
        assert_eq!(host_port("*:80", true), hp(Some("*"), Some(80)));
        assert_eq!(host_port("localhost", true), hp(Some("localhost"), None));
        assert_eq!(host_port("odoo:8072", false), hp(Some("odoo"), Some(8072)));
        assert_eq!(host_port("8069", false), hp(Some("8069"), None));
        assert_eq!(host_port("::1", false), hp(Some("::1"), None));
        assert_eq!(host_port("unix:/run/o.sock", true).unix.as_deref(), Some("/run/o.sock"));
        assert!(host_port("odoo:$port", false).bad_port);
        assert!(host_port("odoo:70000", false).bad_port);
    }

    #[test]
    fn proxy_pass_urls() {
        let t = pass_target("http://odoo:8069");
        assert_eq!(
            (t.scheme.as_deref(), t.addr.host.as_deref(), t.port(), t.uri),
            (Some("http"), Some("odoo"), Some(8069), None)
        );
        let t = pass_target("https://example.com/web/");
        assert_eq!((t.port(), t.uri.as_deref()), (Some(443), Some("/web/")));
        let t = pass_target("http://127.0.0.1:8072/websocket");
        assert_eq!((t.addr.host.as_deref(), t.port(), t.uri.as_deref()), (Some("127.0.0.1"), Some(8072), Some("/websocket")));
        let t = pass_target("http://unix:/tmp/odoo.sock:/x");
        assert_eq!((t.addr.unix.as_deref(), t.uri.as_deref()), (Some("/tmp/odoo.sock"), Some("/x")));
        let t = pass_target("http://$backend");
        assert!(t.has_variables);
        let t = pass_target("http://[::1]:8069/");
        assert_eq!((t.addr.host.as_deref(), t.port(), t.uri.as_deref()), (Some("::1"), Some(8069), Some("/")));
        assert_eq!(pass_target("odoo:8069").scheme, None);
        // nginx: "invalid port in upstream"; neither the password nor port 80 is the target
        let t = pass_target("http://odoo:s3cret@127.0.0.1:8069");
        assert_eq!((t.addr.host.as_deref(), t.addr.bad_port, t.port()), (Some("odoo"), true, None));
        assert_eq!(pass_target("http://odoo:99999/").port(), None);
        // no colon before the `@`: the host is `user@host`, as nginx reads it
        let t = pass_target("http://user@odoo:8069");
        assert_eq!((t.addr.host.as_deref(), t.port()), (Some("user@odoo"), Some(8069)));
        assert_eq!(pass_target("http://odoo?x=1").uri.as_deref(), Some("?x=1"));
    }

    #[test]
    fn location_modifiers() {
        let s = |v: &[&str]| location_kind(&v.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        assert_eq!(s(&["/"]), Some((LocationKind::Prefix, "/".into())));
        assert_eq!(s(&["=", "/x"]), Some((LocationKind::Exact, "/x".into())));
        assert_eq!(s(&["=/x"]), Some((LocationKind::Exact, "/x".into())));
        assert_eq!(s(&["^~", "/s/"]), Some((LocationKind::PrefixNoRegex, "/s/".into())));
        assert_eq!(s(&["~*", "\\.js$"]), Some((LocationKind::RegexCaseless, "\\.js$".into())));
        assert_eq!(s(&["~*\\.js$"]), Some((LocationKind::RegexCaseless, "\\.js$".into())));
        assert_eq!(s(&["~", "^/a"]), Some((LocationKind::Regex, "^/a".into())));
        assert_eq!(s(&["@odoo"]), Some((LocationKind::Named, "@odoo".into())));
        assert_eq!(s(&["!", "/x"]), None);
        assert_eq!(s(&[]), None);
    }
}

//! Compose's short syntaxes, parsed as compose-go parses them: command strings
//! (go-shellwords), ports (docker/go-connections `nat`), volumes (`format.ParseVolume`),
//! image references.

/// Splits a `command:`/`entrypoint:` string the way go-shellwords' `Parse` does (compose
/// uses it with environment and backtick expansion off):
/// - blanks (space, tab, CR, LF) separate words; `'…'` is literal; `"…"` groups; a
///   backslash outside single quotes escapes the next character (`\t`, `\n` give a tab and
///   a newline);
/// - parsing **stops** at an unquoted `;`, `&`, `|`, `<` or `>`: `echo a && echo b` is
///   `["echo", "a"]` (a `2>` also drops the `2`);
/// - `$( … )` is kept as one word; a bare `(` or `)` or an unclosed quote is an error.
pub fn shell_words(line: &str) -> Result<Vec<String>, String> {
    let mut args = Vec::new();
    let mut buf = String::new();
    let (mut escaped, mut dq, mut sq, mut bq, mut dollar) = (false, false, false, false, false);
    // 0: no word, 1: a word, 2: a quoted word
    let mut got = 0u8;
    let err = || "invalid command line string".to_string();
    for r in line.chars() {
        if escaped {
            let r = match r {
                't' => '\t',
                'n' => '\n',
                c => c,
            };
            buf.push(r);
            escaped = false;
            got = 1;
            continue;
        }
        if r == '\\' {
            if sq {
                buf.push(r);
            } else {
                escaped = true;
            }
            continue;
        }
        if matches!(r, ' ' | '\t' | '\r' | '\n') {
            if sq || dq || bq || dollar {
                buf.push(r);
            } else if got != 0 {
                args.push(std::mem::take(&mut buf));
                got = 0;
            }
            continue;
        }
        match r {
            '`' if !sq && !dq && !dollar => bq = !bq,
            ')' if !sq && !dq && !bq => {
                if !dollar {
                    return Err(err());
                }
                buf.push(r);
                dollar = false;
                got = 1;
                continue;
            }
            '(' if !sq && !dq && !bq => {
                if !dollar && buf.ends_with('$') {
                    dollar = true;
                    buf.push('(');
                    continue;
                }
                return Err(err());
            }
            '"' if !sq && !dollar => {
                if dq {
                    got = 2;
                }
                dq = !dq;
                continue;
            }
            '\'' if !dq && !dollar => {
                if sq {
                    got = 2;
                }
                sq = !sq;
                continue;
            }
            ';' | '&' | '|' | '<' | '>' if !(sq || dq || bq || dollar) => {
                if r == '>' && buf.starts_with(|c: char| c.is_ascii_digit()) {
                    got = 0;
                }
                break;
            }
            _ => {}
        }
        got = 1;
        buf.push(r);
    }
    if got != 0 {
        args.push(buf);
    }
    if escaped || sq || dq || bq || dollar {
        return Err(err());
    }
    Ok(args)
}

/// One published port in compose's long form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PortSpec {
    pub host_ip: Option<String>,
    /// The host port or range, as written (`"8069"`, `"8000-8010"`); None when not published
    /// to a fixed port.
    pub published: Option<String>,
    pub target: u32,
    pub protocol: String,
}

fn parse_port_range(s: &str) -> Option<(u32, u32)> {
    let (a, b) = match s.split_once('-') {
        Some((a, b)) => (a, b),
        None => (s, s),
    };
    let a: u32 = a.parse().ok()?;
    let b: u32 = b.parse().ok()?;
    (a <= b && b <= 65535).then_some((a, b))
}

/// `[HOST_IP:][HOST_PORT[-END]:]CONTAINER_PORT[-END][/PROTOCOL]`, one spec per container
/// port (ranges expand), as docker's `nat.ParsePortSpec`.
pub fn parse_port(spec: &str) -> Result<Vec<PortSpec>, String> {
    let (raw, proto) = match spec.rsplit_once('/') {
        Some((r, p)) => (r, p.to_ascii_lowercase()),
        None => (spec, "tcp".to_string()),
    };
    if proto.is_empty() {
        return Err(format!("invalid proto: {spec}"));
    }
    let parts: Vec<&str> = raw.split(':').collect();
    let n = parts.len();
    let container = parts[n - 1];
    let (ip, host) = match n {
        1 => ("".to_string(), ""),
        2 => ("".to_string(), parts[0]),
        3 => (parts[0].to_string(), parts[1]),
        _ => (parts[..n - 2].join(":"), parts[n - 2]),
    };
    let ip = ip.strip_prefix('[').and_then(|s| s.strip_suffix(']')).map(str::to_string).unwrap_or(ip);
    if container.is_empty() {
        return Err(format!("no port specified: {spec}"));
    }
    let (cs, ce) = parse_port_range(container).ok_or_else(|| format!("invalid containerPort: {container}"))?;
    let host_range =
        if host.is_empty() { None } else { Some(parse_port_range(host).ok_or_else(|| format!("invalid hostPort: {host}"))?) };
    if let Some((hs, he)) = host_range
        && ce > cs
        && he - hs != ce - cs
    {
        return Err(format!("invalid ranges specified for container and host ports: {container} and {host}"));
    }
    let host_ip = (!ip.is_empty()).then_some(ip);
    let mut out = Vec::new();
    for i in 0..=(ce - cs) {
        let published = match host_range {
            None => None,
            Some((hs, he)) if ce == cs && he != hs => Some(format!("{hs}-{he}")),
            Some((hs, _)) => Some((hs + i).to_string()),
        };
        out.push(PortSpec { host_ip: host_ip.clone(), published, target: cs + i, protocol: proto.clone() });
    }
    Ok(out)
}

/// A volume's short syntax, as compose-go's `format.ParseVolume`.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct VolumeSpec {
    pub source: Option<String>,
    pub target: String,
    pub read_only: bool,
    /// `bind` when the source is a path (`.`, `/`, `~`, `\\`, `C:`), else `volume`.
    pub kind: &'static str,
    /// Options after the second colon as written (`ro,z`).
    pub options: Option<String>,
}

pub fn is_file_path(source: &str) -> bool {
    if source.starts_with(['.', '/', '~']) || source.starts_with("\\\\") {
        return true;
    }
    let mut chars = source.chars();
    matches!((chars.next(), chars.next()), (Some(d), Some(':')) if d.is_alphabetic())
}

pub fn parse_volume(spec: &str) -> Result<VolumeSpec, String> {
    let mut v = VolumeSpec { kind: "volume", ..Default::default() };
    match spec.len() {
        0 => return Err("invalid empty volume spec".into()),
        1 | 2 => {
            v.target = spec.to_string();
            return Ok(v);
        }
        _ => {}
    }
    let mut buffer = String::new();
    let mut depth = 0usize;
    let chars: Vec<char> = spec.chars().collect();
    let mut source: Option<String> = None;
    let mut target: Option<String> = None;
    for i in 0..=chars.len() {
        let c = chars.get(i).copied();
        if c == Some('$') && chars.get(i + 1) == Some(&'{') {
            depth += 1;
            buffer.push('$');
            continue;
        }
        if c == Some('}') && depth > 0 {
            depth -= 1;
            buffer.push('}');
            continue;
        }
        let windows_drive = c == Some(':') && buffer.chars().count() == 1 && buffer.chars().all(char::is_alphabetic);
        if windows_drive {
            buffer.push(':');
        } else if (c == Some(':') || c.is_none()) && depth == 0 {
            let end = c.is_none();
            if buffer.is_empty() {
                return Err(format!("invalid spec: {spec}: empty section between colons"));
            }
            let b = std::mem::take(&mut buffer);
            if source.is_none() && end {
                target = Some(b);
            } else if source.is_none() {
                source = Some(b);
            } else if target.is_none() {
                target = Some(b);
            } else if !end {
                return Err(format!("invalid spec: {spec}: too many colons"));
            } else {
                for opt in b.split(',') {
                    match opt {
                        "ro" => v.read_only = true,
                        "rw" => v.read_only = false,
                        _ => {}
                    }
                }
                v.options = Some(b);
            }
        } else if let Some(c) = c {
            buffer.push(c);
        }
    }
    v.target = target.unwrap_or_default();
    if source.as_deref().is_some_and(is_file_path) {
        v.kind = "bind";
    }
    v.source = source;
    Ok(v)
}

/// An image reference split into repository, tag and digest: `odoo:17.0`,
/// `registry:5000/team/odoo:17`, `postgres@sha256:…`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImageRef {
    pub name: String,
    pub tag: Option<String>,
    pub digest: Option<String>,
}

pub fn split_image(s: &str) -> ImageRef {
    let (rest, digest) = match s.split_once('@') {
        Some((r, d)) => (r, Some(d.to_string())),
        None => (s, None),
    };
    let slash = rest.rfind('/').map(|i| i + 1).unwrap_or(0);
    match rest[slash..].rfind(':') {
        Some(c) => ImageRef { name: rest[..slash + c].to_string(), tag: Some(rest[slash + c + 1..].to_string()), digest },
        None => ImageRef { name: rest.to_string(), tag: None, digest },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        shell_words(s).unwrap()
    }

    // Expected values from `docker-compose config` (v2.40.3), `$$` in its output unescaped.
    #[test]
    fn shell_words_like_compose() {
        assert_eq!(words("echo a && echo b"), ["echo", "a"]);
        assert_eq!(
            words(r#"sh -c "echo \"hi\" $HOME 'q'" 'single \ x' back\ slash"#),
            ["sh", "-c", "echo \"hi\" $HOME 'q'", "single \\ x", "back slash"]
        );
        assert_eq!(words("a;b"), ["a"]);
        assert_eq!(words("x > y"), ["x"]);
        assert!(words("  ").is_empty());
        assert_eq!(words("a\tb\nc  $(date) `x` #c"), ["a", "b", "c", "$(date)", "`x`", "#c"]);
        assert!(shell_words("a \"b").is_err());
        assert_eq!(words("odoo -- --workers=2 ''"), ["odoo", "--", "--workers=2", ""]);
        assert_eq!(words("run 2>&1"), ["run"]);
    }

    #[test]
    fn ports() {
        let p = parse_port("127.0.0.1:8069:8069").unwrap();
        assert_eq!(
            p,
            [PortSpec {
                host_ip: Some("127.0.0.1".into()),
                published: Some("8069".into()),
                target: 8069,
                protocol: "tcp".into()
            }]
        );
        let p = parse_port("8072").unwrap();
        assert_eq!(p[0].published, None);
        assert_eq!(p[0].target, 8072);
        let p = parse_port("5432:5432/udp").unwrap();
        assert_eq!(p[0].protocol, "udp");
        let p = parse_port("8000-8001:9000-9001").unwrap();
        assert_eq!(
            p.iter().map(|x| (x.published.clone().unwrap(), x.target)).collect::<Vec<_>>(),
            [("8000".into(), 9000), ("8001".into(), 9001)]
        );
        let p = parse_port("[::1]:80:80").unwrap();
        assert_eq!(p[0].host_ip.as_deref(), Some("::1"));
        assert_eq!(parse_port(":80").unwrap()[0].published, None);
        assert!(parse_port("80:").is_err());
        assert!(parse_port("x:80").is_err());
        assert!(parse_port("8000-8002:9000-9001").is_err());
    }

    #[test]
    fn volumes() {
        let v = parse_volume("./odoo/custom:/opt/odoo/custom:ro,z").unwrap();
        assert_eq!(
            (v.kind, v.source.as_deref(), v.target.as_str(), v.read_only),
            ("bind", Some("./odoo/custom"), "/opt/odoo/custom", true)
        );
        let v = parse_volume("odoo-data:/var/lib/odoo").unwrap();
        assert_eq!((v.kind, v.source.as_deref()), ("volume", Some("odoo-data")));
        let v = parse_volume("/var/lib/odoo").unwrap();
        assert_eq!((v.kind, v.source, v.target.as_str()), ("volume", None, "/var/lib/odoo"));
        let v = parse_volume("${HOME}/.adhoc:/home/odoo/.adhoc").unwrap();
        assert_eq!(v.target, "/home/odoo/.adhoc");
        let v = parse_volume("C:\\data:/data").unwrap();
        assert_eq!((v.kind, v.target.as_str()), ("bind", "/data"));
        assert!(parse_volume("src:/dst:ro:x").is_err());
        assert!(parse_volume("src::/dst").is_err());
    }

    #[test]
    fn images() {
        assert_eq!(split_image("odoo:17.0"), ImageRef { name: "odoo".into(), tag: Some("17.0".into()), digest: None });
        assert_eq!(split_image("odoo").tag, None);
        let r = split_image("registry:5000/team/odoo:17");
        assert_eq!((r.name.as_str(), r.tag.as_deref()), ("registry:5000/team/odoo", Some("17")));
        let r = split_image("registry:5000/team/odoo");
        assert_eq!((r.name.as_str(), r.tag), ("registry:5000/team/odoo", None));
        let r = split_image("postgres:16@sha256:abc");
        assert_eq!((r.tag.as_deref(), r.digest.as_deref()), (Some("16"), Some("sha256:abc")));
        assert_eq!(split_image(":").tag.as_deref(), Some(""));
    }
}

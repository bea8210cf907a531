//! Secrets are never printed: values of password-like keys and passwords inside URLs are
//! masked, byte for byte, in every snippet and diff we show.

use crate::source::TextRange;

/// Keys whose values are secrets (odoo.conf `admin_passwd`, `db_password`, `smtp_password`,
/// queue_job's `http_auth_password`, compose `POSTGRES_PASSWORD`, …).
pub fn is_secret_key(key: &str) -> bool {
    // case-insensitive substring search without lowercasing a copy (asked for every key of
    // every file read)
    const PARTS: [&[u8]; 6] = [b"passw", b"secret", b"token", b"api_key", b"apikey", b"private_key"];
    let k = key.as_bytes();
    PARTS.iter().any(|p| k.windows(p.len()).any(|w| w.eq_ignore_ascii_case(p)))
}

/// The password parts of URLs with credentials (`scheme://user:PASSWORD@host`).
pub fn url_passwords(text: &str) -> Vec<TextRange> {
    let mut out = Vec::new();
    let b = text.as_bytes();
    let mut from = 0;
    while let Some(pos) = text[from..].find("://") {
        let start = from + pos + 3;
        let mut end = start;
        while end < b.len() && !matches!(b[end], b'/' | b' ' | b'\t' | b'\n' | b'\r' | b'"' | b'\'' | b'@') {
            end += 1;
        }
        if end < b.len()
            && b[end] == b'@'
            && let Some(colon) = text[start..end].find(':')
            && start + colon + 1 < end
        {
            out.push(TextRange::new(start + colon + 1, end));
        }
        from = start;
    }
    out
}

/// `bytes` with every byte inside `ranges` replaced by `*` (line breaks kept).
pub fn mask(bytes: &[u8], ranges: &[TextRange]) -> Vec<u8> {
    let mut out = bytes.to_vec();
    for r in ranges {
        for b in out.iter_mut().take(r.end as usize).skip(r.start as usize) {
            if *b != b'\n' && *b != b'\r' {
                *b = b'*';
            }
        }
    }
    out
}

/// Secrets in a postgresql.conf: values of password-like parameters (extensions may define
/// them) and the `password=` part of connection strings such as `primary_conninfo`.
pub fn pg_secret_ranges(conf: &crate::formats::postgresql::PgConf, text: &str) -> Vec<TextRange> {
    let mut out = Vec::new();
    for s in conf.settings() {
        let inner = s.value.inner();
        if is_secret_key(&s.name.text) && !inner.is_empty() {
            out.push(inner);
            continue;
        }
        let raw = inner.of(text);
        let mut from = 0;
        while let Some(at) = raw[from..].find("password=") {
            let start = from + at + "password=".len();
            let len = raw[start..].find([' ', '\t', '\'']).unwrap_or(raw.len() - start);
            if len > 0 {
                out.push(TextRange::new(inner.start as usize + start, inner.start as usize + start + len));
            }
            from = start + len;
        }
    }
    out
}

/// Secrets in a systemd unit: `Environment=` values of password-like names, and the value of
/// Odoo's `-w`/`--db_password` option in a command line.
pub fn unit_secret_ranges(unit: &crate::formats::systemd::UnitFile) -> Vec<TextRange> {
    use crate::formats::systemd::commands::odoo_command;
    use crate::formats::systemd::exec::{parse_environment, parse_exec};
    let mut out = Vec::new();
    for a in &unit.assignments {
        if a.key == "Environment" {
            let (vars, _) = parse_environment(&a.value);
            out.extend(vars.iter().filter(|v| is_secret_key(&v.name) && !v.value_range.is_empty()).map(|v| v.value_range));
        } else if a.key.starts_with("Exec") {
            for cmd in parse_exec(&a.value).commands {
                let Some(odoo) = odoo_command(&cmd) else { continue };
                for o in &odoo.options {
                    let password =
                        o.flag == "-w" || (o.flag.len() >= "--db_p".len() && "--db_password".starts_with(o.flag.as_str()));
                    if password && let Some(r) = o.value_range {
                        out.push(r);
                    }
                }
            }
        }
    }
    out
}

/// Secrets in a compose file: values of password-like keys in mappings (`POSTGRES_PASSWORD:
/// x`, in any mapping, anchors included), `KEY=VALUE` list items with a password-like key,
/// Odoo's `--db_password`/`-w` values in a command, and passwords in URLs.
pub fn compose_secret_ranges(y: &crate::formats::compose::yaml::YamlFile, text: &str) -> Vec<TextRange> {
    use crate::formats::compose::yaml::NodeKind;
    let mut out = url_passwords(text);
    let inner = |r: TextRange, quoted: bool| {
        if quoted && r.len() >= 2 { TextRange::new(r.start as usize + 1, r.end as usize - 1) } else { r }
    };
    for n in &y.nodes {
        match &n.kind {
            NodeKind::Mapping { entries, .. } => {
                for (k, v) in entries {
                    let (Some((key, _)), Some((_, style))) = (y.node(*k).scalar(), y.node(*v).scalar()) else { continue };
                    let r = y.node(*v).range;
                    if is_secret_key(key)
                        && !r.is_empty()
                        && !is_variable_reference(y.node(*v).scalar().map(|x| x.0).unwrap_or(""))
                    {
                        out.push(inner(r, style.is_quoted()));
                    }
                }
            }
            NodeKind::Sequence { items, .. } => {
                let mut password_flag_before = false;
                for i in items {
                    let node = y.node(*i);
                    let Some((value, style)) = node.scalar() else {
                        password_flag_before = false;
                        continue;
                    };
                    let r = inner(node.range, style.is_quoted());
                    let raw = r.of(text);
                    if password_flag_before && !r.is_empty() {
                        out.push(r);
                    }
                    password_flag_before = is_password_flag(value);
                    if let Some((key, v)) = value.split_once('=')
                        && (is_secret_key(key) || is_password_flag(key))
                        && !is_variable_reference(v)
                        && let Some(eq) = raw.find('=')
                        && eq + 1 < raw.len()
                        && !raw.contains('\n')
                    {
                        out.push(TextRange::new(r.start as usize + eq + 1, r.end as usize));
                    }
                }
            }
            NodeKind::Scalar { value, style } if !style.is_quoted() || value.contains(' ') => {
                // a command written as one string: `odoo --db_password=x` or `-w x`
                out.extend(
                    command_password_ranges(n.range.of(text)).into_iter().map(|x| {
                        TextRange::new(n.range.start as usize + x.start as usize, n.range.start as usize + x.end as usize)
                    }),
                );
            }
            _ => {}
        }
    }
    out
}

/// `${NAME}` or `$NAME` alone: a reference to a variable, not a secret.
fn is_variable_reference(v: &str) -> bool {
    let name = v.strip_prefix("${").and_then(|r| r.strip_suffix('}')).or_else(|| v.strip_prefix('$')).unwrap_or("");
    !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Whether a command-line word is Odoo's database password option (`-w`, `--db_password` or
/// an abbreviation optparse accepts).
fn is_password_flag(word: &str) -> bool {
    word == "-w" || (word.len() >= "--db_p".len() && "--db_password".starts_with(word))
}

/// The values of `--db_password=X`, `--db_password X` and `-w X` in a command string.
fn command_password_ranges(s: &str) -> Vec<TextRange> {
    let mut out = Vec::new();
    let mut words = Vec::new();
    let mut start = None;
    for (i, c) in s.char_indices().chain(std::iter::once((s.len(), ' '))) {
        let blank = c.is_whitespace() || matches!(c, '"' | '\'' | ',' | '[' | ']');
        match (blank, start) {
            (true, Some(st)) => {
                words.push((st, i));
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    for (w, &(a, b)) in words.iter().enumerate() {
        let word = &s[a..b];
        if let Some((flag, _)) = word.split_once('=') {
            if is_password_flag(flag) && a + flag.len() + 1 < b {
                out.push(TextRange::new(a + flag.len() + 1, b));
            }
        } else if is_password_flag(word)
            && let Some(&(c, d)) = words.get(w + 1)
        {
            out.push(TextRange::new(c, d));
        }
    }
    out
}

/// Secrets in a `.env` or `env_file`: values of password-like variables, and passwords in URLs.
pub fn dotenv_secret_ranges(env: &crate::formats::compose::dotenv::DotEnv, text: &str) -> Vec<TextRange> {
    let mut out = url_passwords(text);
    for v in env.vars.iter().filter(|v| is_secret_key(&v.key) && !v.inherited && !v.value_range.is_empty()) {
        let r = v.value_range;
        if is_variable_reference(r.of(text).trim_matches(['"', '\''])) {
            continue;
        }
        out.push(if v.quote.is_some() && r.len() >= 2 { TextRange::new(r.start as usize + 1, r.end as usize - 1) } else { r });
    }
    out
}

/// Secret values shorter than this are not redacted from messages: a 3-character password
/// would mask ordinary words (OL801 reports such a password as weak anyway).
pub const MIN_REDACTED: usize = 4;

/// The secret values of `files` that a message must not quote: those of at least
/// [`MIN_REDACTED`] characters that the files never show in the clear (a value that also
/// stands outside every secret range, such as a password `odoo` next to a user `odoo`, is
/// shown by the snippets anyway, and masking it would turn every `odoo` into `****`), and
/// that are not `False`, `True` or `None`.
///
/// The values are searched for all at once (one Aho-Corasick automaton): a fleet's part holds
/// a few dozen secrets and every finding's prose is searched for each of them.
#[derive(Debug, Default)]
pub struct Secrets {
    /// Longest first.
    values: Vec<String>,
    /// Every candidate value, and whether it is kept (one that is shown in the clear is not).
    matcher: Option<(aho_corasick::AhoCorasick, Vec<bool>)>,
}

impl Secrets {
    pub fn of(files: &crate::files::FileSet) -> Secrets {
        let mut candidates: Vec<&str> = Vec::new();
        let mut known = std::collections::HashSet::new();
        for id in files.ids() {
            let src = files.source(id);
            for r in &src.secrets {
                let v = r.of(&src.text);
                // `admin_passwd = False` (no master password, Odoo 19) is a setting, not a secret
                let keyword = ["false", "true", "none"].iter().any(|k| v.eq_ignore_ascii_case(k));
                if v.chars().count() >= MIN_REDACTED && !keyword && known.insert(v) {
                    candidates.push(v);
                }
            }
        }
        if candidates.is_empty() {
            return Secrets::default();
        }
        // a contiguous NFA: a DFA searches faster but takes longer to build than a part's
        // findings take to search
        let Ok(matcher) =
            aho_corasick::AhoCorasickBuilder::new().kind(Some(aho_corasick::AhoCorasickKind::ContiguousNFA)).build(&candidates)
        else {
            // a few dozen short strings: cannot fail; masking then falls back to the snippets
            return Secrets::default();
        };
        // a value shown in the clear somewhere is not worth masking
        let mut keep = vec![true; candidates.len()];
        for id in files.ids() {
            let src = files.source(id);
            for (pattern, at, end) in whole_words(&matcher, &src.text) {
                if !src.secrets.iter().any(|r| r.contains_range(TextRange::new(at, end))) {
                    keep[pattern] = false;
                }
            }
        }
        let mut values: Vec<String> = candidates.iter().zip(&keep).filter(|(_, k)| **k).map(|(v, _)| v.to_string()).collect();
        values.sort_by_key(|v| std::cmp::Reverse(v.len()));
        let matcher = (!values.is_empty()).then_some((matcher, keep));
        Secrets { values, matcher }
    }

    /// The values, longest first.
    pub fn values(&self) -> &[String] {
        &self.values
    }

    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// `text` with every whole-word occurrence of a value replaced by asterisks (one for each
    /// character); `None` when there is none.
    pub fn redact(&self, text: &str) -> Option<String> {
        let (matcher, keep) = self.matcher.as_ref()?;
        let mut hits: Vec<(usize, usize)> =
            whole_words(matcher, text).filter(|&(p, _, _)| keep[p]).map(|(_, a, b)| (a, b)).collect();
        if hits.is_empty() {
            return None;
        }
        hits.sort_unstable();
        let mut out = String::with_capacity(text.len());
        let mut at = 0;
        for (a, b) in hits {
            // overlapping values (one holding another) are masked as their union
            let a = a.max(at);
            if b <= a {
                continue;
            }
            out.push_str(&text[at..a]);
            out.extend(std::iter::repeat_n('*', text[a..b].chars().count()));
            at = b;
        }
        out.push_str(&text[at..]);
        Some(out)
    }
}

/// Where the values of `matcher` stand in `text` as whole words (no letter, digit or `_` just
/// before or after): (value, start, end), overlapping ones included.
fn whole_words<'a>(matcher: &'a aho_corasick::AhoCorasick, text: &'a str) -> impl Iterator<Item = (usize, usize, usize)> + 'a {
    let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
    matcher.find_overlapping_iter(text).map(|m| (m.pattern().as_usize(), m.start(), m.end())).filter(move |&(_, a, b)| {
        text.is_char_boundary(a)
            && text.is_char_boundary(b)
            && !word(text[..a].chars().next_back())
            && !word(text[b..].chars().next())
    })
}

/// Redacts the prose of a finding (message, labels, help, notes, fix title): rules quote
/// values, such as a `proxy_pass` URL with its password. The edits are left alone: they
/// write the files, not the output, and every output shows them masked.
pub fn redact_diagnostic(d: &mut crate::diagnostic::Diagnostic, secrets: &Secrets) {
    if secrets.is_empty() {
        return;
    }
    let mut texts: Vec<&mut String> = vec![&mut d.message, &mut d.primary.message];
    texts.extend(d.secondary.iter_mut().map(|l| &mut l.message));
    texts.extend(d.help.iter_mut());
    texts.extend(d.notes.iter_mut());
    texts.extend(d.fix.iter_mut().map(|f| &mut f.title));
    for t in texts {
        if let Some(r) = secrets.redact(t) {
            *t = r;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_keys_in_any_case() {
        let lowered = |k: &str| {
            let k = k.to_ascii_lowercase();
            ["passw", "secret", "token", "api_key", "apikey", "private_key"].iter().any(|s| k.contains(s))
        };
        for key in [
            "db_password",
            "DB_PASSWORD",
            "PassWord",
            "client_secret",
            "GITHUB_TOKEN",
            "api_key",
            "ApiKey",
            "private_key_file",
            "pass",
            "tok",
            "",
            "pässwort",
            "PASSWé",
            "workers",
        ] {
            assert_eq!(is_secret_key(key), lowered(key), "{key}");
        }
    }

    #[test]
    fn finds_url_passwords() {
        let t = "db = postgres://odoo:s3cret@db:5432/x and http://host/a:b@c";
        let r = url_passwords(t);
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].of(t), "s3cret");
        assert_eq!(mask(t.as_bytes(), &r), b"db = postgres://odoo:******@db:5432/x and http://host/a:b@c");
    }

    #[test]
    fn postgresql_and_unit_secrets() {
        use crate::source::SourceFile;
        let t = "primary_conninfo = 'host=db user=rep password=s3cret sslmode=require'\nwork_mem = 4MB\n";
        let src = SourceFile::from_text("postgresql.conf", t);
        let conf = crate::formats::postgresql::PgConf::parse(&src);
        let r = pg_secret_ranges(&conf, &src.text);
        assert_eq!(r.iter().map(|r| r.of(t)).collect::<Vec<_>>(), ["s3cret"]);
        let t = "[Service]\nEnvironment=\"PGPASSWORD=hunter2\" PGUSER=odoo\nExecStart=/usr/bin/odoo -c /etc/odoo.conf --db_password=pw -w pw2\n";
        let src = SourceFile::from_text("odoo.service", t);
        let unit = crate::formats::systemd::parse(&src, crate::formats::systemd::UnitType::Service);
        let r = unit_secret_ranges(&unit);
        assert_eq!(r.iter().map(|r| r.of(t)).collect::<Vec<_>>(), ["hunter2", "pw", "pw2"]);
    }

    #[test]
    fn compose_and_dotenv_secrets() {
        let t = "x-db: &db\n  POSTGRES_PASSWORD: \"s1\"\nservices:\n  odoo:\n    command: odoo --db_password=s2 -w s3\n    environment:\n      - PASSWORD=s4\n      - 'ODOO_QUEUE_JOB_HTTP_AUTH_PASSWORD=s5'\n      - HOST=db\n      - URL=postgres://u:s6@db/x\n      - PGPASSWORD=${PW}\n    entrypoint: [\"odoo\", \"--db_password\", \"s7\"]\n  db:\n    environment: {POSTGRES_PASSWORD: \"${PW}\"}\n";
        let y = crate::formats::compose::yaml::parse(t);
        assert!(y.errors.is_empty());
        let mut r: Vec<&str> = compose_secret_ranges(&y, t).iter().map(|r| r.of(t)).collect();
        r.sort();
        assert_eq!(r, ["s1", "s2", "s3", "s4", "s5", "s6", "s7"]);
        let t = "PGPASSWORD=hunter2\nUSER=odoo\nexport POSTGRES_PASSWORD='x y'\n";
        let env = crate::formats::compose::dotenv::parse(t, &|_| None);
        let r: Vec<&str> = dotenv_secret_ranges(&env, t).iter().map(|r| r.of(t)).collect();
        assert_eq!(r, ["hunter2", "x y"]);
    }

    #[test]
    fn messages_are_redacted_but_not_words_that_hold_a_secret() {
        use crate::files::{FileKind, FileSet};
        use crate::source::SourceFile;
        let mut files = FileSet::new();
        let conf = "[options]\nadmin_passwd = admin\nadmin_passwd = False\ndb_password = odoo\ndb_user = odoo\nsmtp_password = Sm7pS3cret\n";
        files.add(SourceFile::from_text("odoo.conf", conf), FileKind::OdooConf);
        files
            .add(SourceFile::from_text("nginx.conf", "location / { proxy_pass http://u:UrlPa55@odoo:8069; }\n"), FileKind::Nginx);
        // `odoo` is also the user's name, in the clear: not a secret worth masking in prose
        let secrets = Secrets::of(&files);
        assert_eq!(secrets.values(), ["Sm7pS3cret", "UrlPa55", "admin"]);
        assert_eq!(secrets.redact("to u:UrlPa55@odoo:8069, admin").as_deref(), Some("to u:*******@odoo:8069, *****"));
        assert_eq!(secrets.redact("`admin_passwd` and Sm7pS3cretX"), None);
        // a value holding another, and two that overlap, are masked as one
        let conf = "[options]\nadmin_passwd = s3cret-long\ndb_password = s3cret\nsmtp_password = long-tail\n";
        let mut files2 = FileSet::new();
        files2.add(SourceFile::from_text("odoo.conf", conf), FileKind::OdooConf);
        let nested = Secrets::of(&files2);
        assert_eq!(nested.values(), ["s3cret-long", "long-tail", "s3cret"]);
        assert_eq!(nested.redact("a s3cret-long b").as_deref(), Some("a *********** b"));
        assert_eq!(nested.redact("s3cret-long-tail s3cret").as_deref(), Some("**************** ******"));
        assert_eq!(nested.redact("s3crets"), None);
        let span = crate::source::Span::new(crate::source::FileId(1), TextRange::new(0, 1));
        let mut d = crate::diagnostic::Diagnostic {
            code: "OL701",
            name: "upstream-port-mismatch",
            severity: crate::diagnostic::Severity::Error,
            message: "sends to u:UrlPa55@odoo".into(),
            primary: crate::diagnostic::Label::new(span, "admin"),
            secondary: Vec::new(),
            help: Some("Sm7pS3cret".into()),
            notes: Vec::new(),
            fix: None,
        };
        redact_diagnostic(&mut d, &secrets);
        assert_eq!((d.message.as_str(), d.help.as_deref()), ("sends to u:*******@odoo", Some("**********")));
        assert_eq!(d.primary.message, "*****");
    }

    #[test]
    fn secret_keys() {
        assert!(is_secret_key("admin_passwd"));
        assert!(is_secret_key("POSTGRES_PASSWORD"));
        assert!(is_secret_key("http_auth_password"));
        assert!(!is_secret_key("db_user"));
    }
}

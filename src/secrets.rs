//! Secrets are never printed: values of password-like keys and passwords inside URLs are
//! masked, byte for byte, in every snippet and diff we show.

use crate::source::TextRange;

/// Keys whose values are secrets (odoo.conf `admin_passwd`, `db_password`, `smtp_password`,
/// queue_job's `http_auth_password`, compose `POSTGRES_PASSWORD`, …).
pub fn is_secret_key(key: &str) -> bool {
    let k = key.to_ascii_lowercase();
    ["passw", "secret", "token", "api_key", "apikey", "private_key"].iter().any(|s| k.contains(s))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_url_passwords() {
        let t = "db = postgres://odoo:s3cret@db:5432/x and http://host/a:b@c";
        let r = url_passwords(t);
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].of(t), "s3cret");
        assert_eq!(mask(t.as_bytes(), &r), b"db = postgres://odoo:******@db:5432/x and http://host/a:b@c");
    }

    #[test]
    fn secret_keys() {
        assert!(is_secret_key("admin_passwd"));
        assert!(is_secret_key("POSTGRES_PASSWORD"));
        assert!(is_secret_key("http_auth_password"));
        assert!(!is_secret_key("db_user"));
    }
}

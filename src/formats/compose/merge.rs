//! How compose combines definitions: documents of one file, override files, and `extends`
//! (compose-go `override/merge.go` and `override/uncity.go`).
//!
//! - Mappings merge key by key; scalars are replaced; most sequences are appended, then
//!   entries that define the same thing are collapsed (the later one wins, in the place of
//!   the first): `ports` by host IP, published port, target and protocol, `volumes` by
//!   target, `secrets`/`configs` by target, `env_file` by path, `profiles`, `dns`,
//!   `cap_add`… by value.
//! - `command`, `entrypoint`, `healthcheck.test` and each `ulimits` entry are replaced
//!   whole.
//! - `environment`, `labels`, `build.args`, `sysctls`… are key/value sets in either syntax:
//!   we keep them as mappings (list items `K=V` become entries, bare `K` a null), so a later
//!   `K` replaces an earlier one. `depends_on` and `networks` lists become mappings too.
//! - `!reset` removes what the earlier files said; `!override` replaces instead of merging.
//!
//! Before merging, [`normalize`] puts a document into these shapes.

use super::syntax;
use super::value::{Entry, Origin, Val, Value};
use super::yaml::ScalarStyle;

fn matches(path: &[String], pattern: &[&str]) -> bool {
    path.len() == pattern.len() && path.iter().zip(pattern).all(|(p, q)| *q == "*" || p == q)
}

const KEY_VALUE: &[&[&str]] = &[
    &["services", "*", "environment"],
    &["services", "*", "labels"],
    &["services", "*", "annotations"],
    &["services", "*", "sysctls"],
    &["services", "*", "build", "args"],
    &["services", "*", "build", "labels"],
    &["services", "*", "build", "additional_contexts"],
    &["services", "*", "deploy", "labels"],
    &["networks", "*", "labels"],
    &["volumes", "*", "labels"],
];

const STRING_OR_LIST: &[&[&str]] = &[
    &["services", "*", "dns"],
    &["services", "*", "dns_opt"],
    &["services", "*", "dns_search"],
    &["services", "*", "env_file"],
    &["services", "*", "label_file"],
    &["services", "*", "tmpfs"],
];

fn is_key_value(path: &[String]) -> bool {
    KEY_VALUE.iter().any(|p| matches(path, p))
}

/// Puts a document into the shapes merging expects: key/value sets as mappings,
/// `depends_on` and `networks` as mappings, `build` as a mapping, string-or-list fields as
/// lists. Works in place; `path` is the value's path from the root.
pub fn normalize(v: &mut Value, path: &mut Vec<String>) {
    if path.len() > 64 {
        return;
    }
    if is_key_value(path) {
        to_key_value_map(v);
    } else if matches(path, &["services", "*", "depends_on"]) {
        list_to_map(v, true);
    } else if matches(path, &["services", "*", "networks"]) {
        list_to_map(v, false);
    } else if matches(path, &["services", "*", "build"]) {
        if let Val::Str { .. } = v.val {
            let ctx = v.clone();
            v.val = Val::Map(vec![Entry { key: "context".into(), value: ctx }]);
        }
    } else if STRING_OR_LIST.iter().any(|p| matches(path, p)) && matches!(v.val, Val::Str { .. }) {
        let item = v.clone();
        v.val = Val::Seq(vec![item]);
    }
    match &mut v.val {
        Val::Map(entries) => {
            for e in entries.iter_mut() {
                path.push(e.key.clone());
                normalize(&mut e.value, path);
                path.pop();
            }
        }
        Val::Seq(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                path.push(i.to_string());
                normalize(item, path);
                path.pop();
            }
        }
        _ => {}
    }
}

/// `["K=V", "K2"]` → `{K: V, K2: null}`; the value keeps the range of the text after `=`
/// when the item is written without escapes.
fn to_key_value_map(v: &mut Value) {
    let Val::Seq(items) = &v.val else { return };
    let mut entries: Vec<Entry> = Vec::new();
    for item in items {
        let Some(text) = item.as_str() else { continue };
        let (key, value) = match text.split_once('=') {
            Some((k, val)) => {
                let mut origin = item.origin.clone();
                let mut interpolations = item.interpolations().to_vec();
                // narrow the range to the value when the text maps one-to-one
                if let Val::Str { style, .. } = &item.val {
                    let r = origin.range;
                    let inner_len = r.len().saturating_sub(if style.is_quoted() { 2 } else { 0 });
                    if item.interpolations().is_empty() && inner_len == text.len() {
                        let off = if style.is_quoted() { 1 } else { 0 };
                        let start = r.start as usize + off + k.len() + 1;
                        origin.range = crate::source::TextRange::new(start, start + val.len());
                    }
                }
                let style = match &item.val {
                    Val::Str { style, .. } => *style,
                    _ => ScalarStyle::Plain,
                };
                // keep only the interpolations that fell in the value part
                interpolations.retain(|i| i.record.range.start > k.len());
                (
                    k.to_string(),
                    Value { val: Val::Str { text: val.to_string(), style: quoted(style), interpolations }, origin, tag: None },
                )
            }
            None => (text.to_string(), Value { val: Val::Null, origin: item.origin.clone(), tag: None }),
        };
        upsert(&mut entries, Entry { key, value });
    }
    v.val = Val::Map(entries);
}

/// A value split out of `K=V` is a string whatever it looks like.
fn quoted(style: ScalarStyle) -> ScalarStyle {
    if style == ScalarStyle::Plain { ScalarStyle::DoubleQuoted } else { style }
}

fn upsert(entries: &mut Vec<Entry>, e: Entry) {
    match entries.iter_mut().find(|x| x.key == e.key) {
        Some(x) => x.value = e.value,
        None => entries.push(e),
    }
}

/// `[a, b]` → `{a: null, b: null}` (or, for depends_on, `{a: {condition: service_started,
/// required: true}}`, compose's defaults).
fn list_to_map(v: &mut Value, depends_on: bool) {
    let Val::Seq(items) = &v.val else { return };
    let mut entries = Vec::new();
    for item in items {
        let Some(name) = item.as_str() else { continue };
        let value = if depends_on {
            let synth = |s: &str| Value {
                val: Val::Str { text: s.to_string(), style: ScalarStyle::Plain, interpolations: Vec::new() },
                origin: item.origin.clone(),
                tag: None,
            };
            Value {
                val: Val::Map(vec![
                    Entry { key: "condition".into(), value: synth("service_started") },
                    Entry { key: "required".into(), value: synth("true") },
                ]),
                origin: item.origin.clone(),
                tag: None,
            }
        } else {
            Value { val: Val::Null, origin: item.origin.clone(), tag: None }
        };
        upsert(&mut entries, Entry { key: name.to_string(), value });
    }
    v.val = Val::Map(entries);
}

/// Merges `over` onto `base` at `path` (compose's `MergeYaml`).
pub fn merge(base: Value, over: Value, path: &mut Vec<String>) -> Value {
    if over.tag.as_deref() == Some("!override") {
        return over;
    }
    let p = &*path;
    if matches(p, &["services", "*", "command"])
        || matches(p, &["services", "*", "entrypoint"])
        || matches(p, &["services", "*", "healthcheck", "test"])
        || matches(p, &["services", "*", "ulimits", "*"])
    {
        return over;
    }
    if matches(p, &["services", "*", "logging"]) {
        let d1 = base.get("driver").and_then(Value::as_str).map(str::to_string);
        let d2 = over.get("driver").and_then(Value::as_str).map(str::to_string);
        if d1.is_some() && d2.is_some() && d1 != d2 {
            return over;
        }
    }
    if matches(p, &["services", "*", "extra_hosts"]) {
        let (Val::Seq(mut a), Val::Seq(b)) = (base.val.clone(), over.val.clone()) else {
            return over;
        };
        for item in b {
            if !a.iter().any(|x| x.as_str() == item.as_str()) {
                a.push(item);
            }
        }
        return Value { val: Val::Seq(a), ..base };
    }
    if over.is_null() {
        return base;
    }
    match (base.val, over.val) {
        (Val::Map(a), Val::Map(b)) => Value { val: Val::Map(merge_maps(a, b, path)), origin: base.origin, tag: None },
        (Val::Seq(mut a), Val::Seq(b)) => {
            a.extend(b);
            Value { val: Val::Seq(a), origin: base.origin, tag: None }
        }
        (_, val) => Value { val, origin: over.origin, tag: over.tag },
    }
}

fn merge_maps(mut a: Vec<Entry>, b: Vec<Entry>, path: &mut Vec<String>) -> Vec<Entry> {
    for e in b {
        let pos = a.iter().position(|x| x.key == e.key);
        match e.value.tag.as_deref() {
            Some("!reset") => {
                if let Some(i) = pos {
                    a.remove(i);
                }
                continue;
            }
            Some("!override") => {
                match pos {
                    Some(i) => a[i].value = e.value,
                    None => a.push(e),
                }
                continue;
            }
            _ => {}
        }
        match pos {
            None => a.push(e),
            Some(i) => {
                path.push(e.key.clone());
                let old = std::mem::replace(&mut a[i].value, placeholder(&e.value.origin));
                a[i].value = merge(old, e.value, path);
                path.pop();
            }
        }
    }
    a
}

fn placeholder(origin: &Origin) -> Value {
    Value { val: Val::Null, origin: origin.clone(), tag: None }
}

/// Removes what `!reset` marks (entries and items) and forgets the tags, once a document
/// has been merged.
pub fn clean_tags(v: &mut Value) {
    v.tag = None;
    match &mut v.val {
        Val::Map(entries) => {
            entries.retain(|e| e.value.tag.as_deref() != Some("!reset"));
            for e in entries.iter_mut() {
                clean_tags(&mut e.value);
            }
        }
        Val::Seq(items) => {
            items.retain(|i| i.tag.as_deref() != Some("!reset"));
            for i in items.iter_mut() {
                clean_tags(i);
            }
        }
        _ => {}
    }
}

/// Collapses sequence entries that define the same thing (compose's `EnforceUnicity`):
/// the later definition replaces the earlier one in its place.
pub fn enforce_unicity(v: &mut Value, path: &mut Vec<String>) {
    if path.len() > 64 {
        return;
    }
    match &mut v.val {
        Val::Map(entries) => {
            for e in entries.iter_mut() {
                path.push(e.key.clone());
                enforce_unicity(&mut e.value, path);
                path.pop();
            }
        }
        Val::Seq(items) => {
            let Some(indexer) = indexer_for(path) else {
                return;
            };
            let mut out: Vec<Value> = Vec::with_capacity(items.len());
            let mut keys: Vec<String> = Vec::new();
            for item in items.drain(..) {
                let key = indexer(&item);
                match key.and_then(|k| keys.iter().position(|x| *x == k).map(|i| (i, k))) {
                    Some((i, _)) => out[i] = item,
                    None => {
                        keys.push(indexer(&item).unwrap_or_else(|| format!("\u{0}{}", keys.len())));
                        out.push(item);
                    }
                }
            }
            *items = out;
        }
        _ => {}
    }
}

type Indexer = fn(&Value) -> Option<String>;

fn indexer_for(path: &[String]) -> Option<Indexer> {
    let by_value: &[&[&str]] = &[
        &["services", "*", "cap_add"],
        &["services", "*", "cap_drop"],
        &["services", "*", "dns"],
        &["services", "*", "dns_opt"],
        &["services", "*", "dns_search"],
        &["services", "*", "links"],
        &["services", "*", "profiles"],
        &["services", "*", "tmpfs"],
        &["services", "*", "expose"],
        &["services", "*", "networks", "*", "aliases"],
        &["services", "*", "networks", "*", "link_local_ips"],
    ];
    if by_value.iter().any(|p| matches(path, p)) {
        return Some(|v| v.as_str().map(|s| s.split_once('=').map(|(k, _)| k).unwrap_or(s).to_string()));
    }
    if matches(path, &["services", "*", "ports"]) {
        return Some(port_key);
    }
    if matches(path, &["services", "*", "volumes"]) {
        return Some(|v| match &v.val {
            Val::Str { text, .. } => syntax::parse_volume(text).ok().map(|s| s.target),
            Val::Map(_) => v.get("target").and_then(Value::as_str).map(str::to_string),
            _ => None,
        });
    }
    if matches(path, &["services", "*", "secrets"]) || matches(path, &["services", "*", "configs"]) {
        let secrets = path.get(2).is_some_and(|p| p == "secrets");
        return Some(if secrets { |v| mount_key(v, "/run/secrets") } else { |v| mount_key(v, "") });
    }
    if matches(path, &["services", "*", "env_file"]) {
        return Some(|v| match &v.val {
            Val::Str { text, .. } => Some(text.clone()),
            Val::Map(_) => v.get("path").and_then(Value::as_str).map(str::to_string),
            _ => None,
        });
    }
    None
}

fn mount_key(v: &Value, default: &str) -> Option<String> {
    match &v.val {
        Val::Str { text, .. } => Some(format!("{default}/{text}")),
        Val::Map(_) => match v.get("target").and_then(Value::as_str) {
            Some(t) => Some(t.to_string()),
            None => Some(format!("{default}/{}", v.get("source").and_then(Value::as_str).unwrap_or(""))),
        },
        _ => None,
    }
}

/// `host_ip:published:target/protocol` of a port in either syntax.
pub fn port_key(v: &Value) -> Option<String> {
    match &v.val {
        Val::Str { text, .. } => {
            let specs = syntax::parse_port(text).ok()?;
            let keys: Vec<String> = specs
                .iter()
                .map(|s| {
                    format!(
                        "{}:{}:{}/{}",
                        s.host_ip.as_deref().unwrap_or("0.0.0.0"),
                        s.published.as_deref().unwrap_or(""),
                        s.target,
                        s.protocol
                    )
                })
                .collect();
            Some(keys.join(","))
        }
        Val::Map(_) => {
            let target = v.get("target")?.as_str()?.to_string();
            Some(format!(
                "{}:{}:{}/{}",
                v.get("host_ip").and_then(Value::as_str).unwrap_or("0.0.0.0"),
                v.get("published").and_then(Value::as_str).unwrap_or(""),
                target,
                v.get("protocol").and_then(Value::as_str).unwrap_or("tcp")
            ))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::compose::value::{Converter, Environment};
    use crate::formats::compose::yaml;
    use crate::source::FileId;

    fn load(src: &str, file: u32) -> Value {
        let y = yaml::parse(src);
        assert!(y.errors.is_empty(), "{:?}", y.errors);
        let env = Environment::default();
        let mut c = Converter::new(&y, src, FileId(file), &env);
        let mut v = c.document(y.docs[0].root.unwrap());
        normalize(&mut v, &mut Vec::new());
        v
    }

    fn merged(a: &str, b: &str) -> Value {
        let mut path = Vec::new();
        let mut v = merge(load(a, 0), load(b, 1), &mut path);
        clean_tags(&mut v);
        enforce_unicity(&mut v, &mut path);
        v
    }

    fn svc(v: &Value) -> &Value {
        v.get("services").unwrap().get("s").unwrap()
    }

    fn strs(v: &Value) -> Vec<String> {
        v.as_seq().unwrap().iter().map(|x| x.as_str().unwrap_or("{map}").to_string()).collect()
    }

    #[test]
    fn mappings_merge_scalars_replace() {
        let v = merged("services:\n  s:\n    image: a\n    restart: always\n", "services:\n  s:\n    image: b\n");
        assert_eq!(svc(&v).get("image").unwrap().as_str(), Some("b"));
        assert_eq!(svc(&v).get("image").unwrap().origin.file, FileId(1));
        assert_eq!(svc(&v).get("restart").unwrap().as_str(), Some("always"));
    }

    #[test]
    fn environment_merges_by_name_in_both_syntaxes() {
        let v = merged(
            "services:\n  s:\n    environment:\n      - A=1\n      - B=2\n",
            "services:\n  s:\n    environment:\n      B: 3\n      C:\n",
        );
        let env = svc(&v).get("environment").unwrap();
        assert_eq!(env.get("A").unwrap().as_str(), Some("1"));
        assert_eq!(env.get("B").unwrap().as_str(), Some("3"));
        assert!(env.get("C").unwrap().is_null());
    }

    #[test]
    fn env_list_value_range_is_the_value() {
        let src = "services:\n  s:\n    environment:\n      - \"PGPASSWORD=secret\"\n";
        let v = load(src, 0);
        let pw = svc(&v).get("environment").unwrap().get("PGPASSWORD").unwrap();
        assert_eq!(pw.origin.range.of(src), "secret");
    }

    #[test]
    fn ports_and_volumes_collapse() {
        let v = merged(
            "services:\n  s:\n    ports: [\"8069:8069\", \"8072:8072\"]\n    volumes: [\"data:/var/lib/odoo\", \"./a:/a\"]\n",
            "services:\n  s:\n    ports:\n      - target: 8069\n        published: \"8069\"\n      - \"9000:9000\"\n    volumes: [\"other:/var/lib/odoo\"]\n",
        );
        let ports = svc(&v).get("ports").unwrap();
        assert_eq!(strs(ports), ["{map}", "8072:8072", "9000:9000"]);
        let vols = svc(&v).get("volumes").unwrap();
        assert_eq!(strs(vols), ["other:/var/lib/odoo", "./a:/a"]);
    }

    #[test]
    fn command_and_ulimits_replace() {
        let v = merged(
            "services:\n  s:\n    command: [a, b]\n    ulimits:\n      nofile: {soft: 1, hard: 2}\n      nproc: 5\n",
            "services:\n  s:\n    command: [c]\n    ulimits:\n      nofile: 65536\n",
        );
        assert_eq!(strs(svc(&v).get("command").unwrap()), ["c"]);
        let u = svc(&v).get("ulimits").unwrap();
        assert_eq!(u.get("nofile").unwrap().as_str(), Some("65536"));
        assert_eq!(u.get("nproc").unwrap().as_str(), Some("5"));
    }

    #[test]
    fn reset_and_override() {
        let v = merged(
            "services:\n  s:\n    ports: [\"80:80\"]\n    environment: {A: 1, B: 2}\n    dns: [1.1.1.1]\n",
            "services:\n  s:\n    ports: !reset []\n    environment: !override {C: 3}\n    dns: 8.8.8.8\n",
        );
        assert!(svc(&v).get("ports").is_none());
        let env = svc(&v).get("environment").unwrap();
        assert!(env.get("A").is_none());
        assert_eq!(env.get("C").unwrap().as_str(), Some("3"));
        assert_eq!(strs(svc(&v).get("dns").unwrap()), ["1.1.1.1", "8.8.8.8"]);
    }

    #[test]
    fn depends_on_list_and_map() {
        let v = merged(
            "services:\n  s:\n    depends_on: [db]\n",
            "services:\n  s:\n    depends_on:\n      db:\n        condition: service_healthy\n      redis:\n        condition: service_started\n",
        );
        let d = svc(&v).get("depends_on").unwrap();
        assert_eq!(d.get("db").unwrap().get("condition").unwrap().as_str(), Some("service_healthy"));
        assert_eq!(d.get("db").unwrap().get("required").unwrap().as_str(), Some("true"));
        assert!(d.get("redis").is_some());
    }

    #[test]
    fn logging_with_other_driver_replaces() {
        let v = merged(
            "services:\n  s:\n    logging: {driver: json-file, options: {max-size: 10m}}\n",
            "services:\n  s:\n    logging: {driver: syslog}\n",
        );
        assert!(svc(&v).get("logging").unwrap().get("options").is_none());
    }
}

//! Where a fix should write a service's key: the exact scalar to replace (with its quotes,
//! so the quoting style can be kept), or the place to insert it, with the indentation and
//! the style (block or flow mapping, or a `- K=V` list) to use.
//!
//! The search starts from the resolved model, so it finds the value that wins: from an
//! override file, an `extends` base, an anchor, a `.env` line or an `env_file`. A value or
//! mapping written inside an anchor and reached through an alias or `<<` is marked
//! [`Shared`], with the services that use it: editing it changes all of them.

use crate::source::{FileId, TextRange};

use super::loader::Project;
use super::model::Service;
use super::value::{Origin, Val, Value, ValueInterpolation};
use super::yaml::{NodeId, NodeKind, ScalarStyle, YamlFile};

/// An anchor whose text a fix would change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Shared {
    pub anchor: String,
    /// The `&name`.
    pub anchor_range: TextRange,
    /// The alias the service reached the value through.
    pub alias_range: TextRange,
    /// Every service whose definition uses the anchor (sorted).
    pub users: Vec<String>,
}

/// How the existing value is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Written {
    Scalar(ScalarStyle),
    /// `key:` with nothing after it: the range is empty, just after the `:` (write a space
    /// before the value).
    Empty,
    Mapping,
    Sequence,
    /// A line of a `.env` or `env_file`.
    EnvFile,
}

/// The style of the place a key will be inserted into.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InsertStyle {
    /// A block mapping: `{indent}key: value{newline}` at the start of a line.
    Block,
    /// A flow mapping `{a: 1}`: `, key: value` before the `}`.
    Flow { empty: bool },
    /// A block list of `K=V` strings (`environment`, `labels` as lists).
    BlockList,
    /// A flow list of `K=V` strings: `, "K=V"` before the `]`.
    FlowList { empty: bool },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EditLocation {
    /// The key exists: replace `range` in `file`.
    Replace {
        file: FileId,
        range: TextRange,
        written: Written,
        /// Keys of the path below this value that do not exist because this value is not
        /// a mapping (e.g. `ulimits.nofile.soft` when `nofile: 1024`).
        rest: Vec<String>,
        shared: Option<Shared>,
        /// The `${…}` the value went through: a fix may rather edit the default inside
        /// it or the `.env` line that set the variable (see [`ValueInterpolation::source`]).
        interpolations: Vec<ValueInterpolation>,
    },
    /// The key does not exist: insert at `at` in `file`.
    Insert(Insertion),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Insertion {
    pub file: FileId,
    /// Byte offset to insert at.
    pub at: usize,
    pub style: InsertStyle,
    /// The indentation of the new line (block styles).
    pub indent: String,
    /// One more level of indentation, as the file indents.
    pub step: String,
    /// The keys to create, outermost first: `["healthcheck", "start_period"]`.
    pub missing: Vec<String>,
    /// The file's line ending.
    pub newline: &'static str,
    /// The insertion is at the end of a file without a final newline.
    pub needs_newline_before: bool,
    pub shared: Option<Shared>,
}

impl Insertion {
    /// The text to insert for `value` (already quoted as the caller wants).
    pub fn text(&self, value: &str) -> String {
        let nl = self.newline;
        let mut out = String::new();
        if self.needs_newline_before {
            out.push_str(nl);
        }
        match self.style {
            InsertStyle::Block => {
                let mut indent = self.indent.clone();
                for (i, k) in self.missing.iter().enumerate() {
                    if i + 1 == self.missing.len() {
                        out.push_str(&format!("{indent}{k}: {value}{nl}"));
                    } else {
                        out.push_str(&format!("{indent}{k}:{nl}"));
                        indent.push_str(&self.step);
                    }
                }
            }
            InsertStyle::Flow { empty } => {
                if !empty {
                    out.push_str(", ");
                }
                out.push_str(&nested_flow(&self.missing, value));
            }
            InsertStyle::BlockList => {
                out.push_str(&format!("{}- {}={value}{nl}", self.indent, self.missing.join(".")));
            }
            InsertStyle::FlowList { empty } => {
                if !empty {
                    out.push_str(", ");
                }
                out.push_str(&format!("{}={value}", self.missing.join(".")));
            }
        }
        out
    }
}

fn nested_flow(keys: &[String], value: &str) -> String {
    match keys {
        [] => value.to_string(),
        [k] => format!("{k}: {value}"),
        [k, rest @ ..] => format!("{k}: {{{}}}", nested_flow(rest, value)),
    }
}

/// Finds where to write `path` (dot-separated, e.g. `healthcheck.start_period`,
/// `ulimits.nofile`, `environment.WORKERS`) for `service`.
pub fn edit_location(project: &Project, service: &Service, path: &str) -> Option<EditLocation> {
    let keys: Vec<String> = path.split('.').map(str::to_string).collect();
    // an environment variable may come from an env_file rather than the compose file
    if keys.len() == 2 && keys[0] == "environment" {
        let in_tree = service.raw.get("environment").and_then(|e| e.get(&keys[1])).is_some();
        if !in_tree
            && let Some(e) = service.env(&keys[1])
            && e.origin.node.is_none()
        {
            let v = Value { val: Val::Null, origin: e.origin.clone(), tag: None };
            return Some(replace_at(project, service, &v, Vec::new()));
        }
    }
    // the deepest existing value along the path, in the resolved model
    let mut current: &Value = &service.raw;
    let mut depth = 0;
    while depth < keys.len() {
        let Some(v) = current.get(&keys[depth]) else {
            break;
        };
        current = v;
        depth += 1;
        if v.is_null() {
            break;
        }
    }
    if depth == keys.len() {
        return Some(replace_at(project, service, current, Vec::new()));
    }
    if depth > 0 && !matches!(current.val, Val::Map(_) | Val::Null) {
        return Some(replace_at(project, service, current, keys[depth..].to_vec()));
    }
    insertion(project, service, current, keys[depth..].to_vec())
}

/// Where and what to write to add `words` at the end of the `key` (`command`, `entrypoint`)
/// of `service`, in the form it is written: one item more per word in a list (block or
/// flow, quoted like its last item), or the words after the last one of a string (plain,
/// quoted or a `>`/`|` block). `Err` says why not: the value comes from an anchor other
/// services share, from `${…}`, or a word would need quoting the form cannot give.
pub fn append_words(
    project: &Project,
    service: &Service,
    key: &str,
    words: &[String],
) -> Result<(FileId, usize, String), String> {
    let v = service.raw.get(key).filter(|v| !v.is_null()).ok_or_else(|| format!("no `{key}` to add to"))?;
    let o = &v.origin;
    if let Some(sh) = shared(project, service, o).filter(|sh| sh.users.len() > 1) {
        return Err(format!("`{key}` is written in the anchor `&{}`, which services {} share", sh.anchor, sh.users.join(", ")));
    }
    if !v.interpolations().is_empty() {
        return Err(format!("`{key}` goes through `${{…}}`"));
    }
    let plain_safe = |w: &str| {
        !w.is_empty()
            && w.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_=.,/:+@%".contains(&b))
            && !w.contains(": ")
            && !w.ends_with(':')
    };
    if let Some(w) = words.iter().find(|w| !plain_safe(w)) {
        return Err(format!("`{w}` would need quoting"));
    }
    let file = project.file(o.file);
    let text = &file.source.text;
    let y = &file.yaml;
    let node_id = o.node.ok_or_else(|| format!("`{key}` is not written in a compose file"))?;
    let node = y.node(node_id);
    match &node.kind {
        NodeKind::Sequence { items, flow } => {
            let last = items.last().map(|i| y.node(*i));
            let quote = match last.and_then(|n| n.scalar()).map(|(_, st)| st) {
                Some(ScalarStyle::DoubleQuoted) => "\"",
                Some(ScalarStyle::SingleQuoted) => "'",
                _ => "",
            };
            if *flow {
                let (at, sep) = match last {
                    Some(n) => (n.full.end as usize, ", "),
                    None => (node.range.end as usize - 1, ""),
                };
                let list: Vec<String> = words.iter().map(|w| format!("{quote}{w}{quote}")).collect();
                return Ok((o.file, at, format!("{sep}{}", list.join(", "))));
            }
            let first = items.first().map(|i| y.node(*i).full.start as usize).ok_or("an empty list")?;
            let dash = text[..first].rfind('-').unwrap_or(first);
            let indent = line_indent(text, dash);
            let end = last.map(|n| n.full.end as usize).unwrap_or(node.range.end as usize);
            let (at, needs) = after_line(text.as_bytes(), end);
            let nl = file.source.newline();
            let mut out = String::new();
            if needs {
                out.push_str(nl);
            }
            for w in words {
                out.push_str(&format!("{indent}- {quote}{w}{quote}{nl}"));
            }
            Ok((o.file, at, out))
        }
        NodeKind::Scalar { style, .. } => {
            let r = node.range;
            let raw = r.of(text);
            let at = match style {
                ScalarStyle::Plain => r.end as usize,
                ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted => r.end as usize - 1,
                // after the last character of the block's content
                ScalarStyle::Literal | ScalarStyle::Folded => {
                    let header_end = raw.find('\n').ok_or("an empty block")?;
                    let content = raw[header_end..].trim_end();
                    if content.is_empty() {
                        return Err(format!("`{key}` is an empty block"));
                    }
                    r.start as usize + header_end + content.len()
                }
            };
            Ok((o.file, at, format!(" {}", words.join(" "))))
        }
        _ => Err(format!("`{key}` is neither a list nor a string")),
    }
}

fn file_yaml(project: &Project, file: FileId) -> &YamlFile {
    &project.file(file).yaml
}

fn replace_at(project: &Project, service: &Service, v: &Value, rest: Vec<String>) -> EditLocation {
    let o = &v.origin;
    let y = file_yaml(project, o.file);
    let written = match o.node.map(|n| &y.node(n).kind) {
        None => Written::EnvFile,
        Some(NodeKind::Scalar { style, .. }) => {
            if o.range.is_empty() {
                Written::Empty
            } else {
                Written::Scalar(*style)
            }
        }
        Some(NodeKind::Mapping { .. }) => Written::Mapping,
        Some(NodeKind::Sequence { .. }) => Written::Sequence,
        Some(NodeKind::Alias { .. }) => Written::Scalar(ScalarStyle::Plain),
    };
    EditLocation::Replace {
        file: o.file,
        range: o.range,
        written,
        rest,
        shared: shared(project, service, o),
        interpolations: v.interpolations().to_vec(),
    }
}

/// The anchor a value was reached through, with the services using it.
fn shared(project: &Project, service: &Service, o: &Origin) -> Option<Shared> {
    let alias_range = o.via_alias?;
    let y = file_yaml(project, o.file);
    let alias = y.nodes.iter().find(|n| n.range == alias_range && matches!(n.kind, NodeKind::Alias { .. }))?;
    let NodeKind::Alias { target: Some(target), name } = &alias.kind else {
        return None;
    };
    let anchor_range = y.node(*target).anchor.as_ref().map(|a| a.range).unwrap_or(y.node(*target).full);
    let mut users: Vec<String> = Vec::new();
    // every alias to this anchor, attributed to the service mapping that contains it
    let services = project.services.iter().filter(|s| s.origin.file == o.file);
    for s in services {
        let r = s.origin.range;
        let uses = y
            .nodes
            .iter()
            .any(|n| matches!(&n.kind, NodeKind::Alias { target: Some(t), .. } if t == target) && r.contains_range(n.range));
        if uses || s.name == service.name {
            users.push(s.name.clone());
        }
    }
    users.sort();
    users.dedup();
    Some(Shared { anchor: name.clone(), anchor_range, alias_range, users })
}

fn insertion(project: &Project, service: &Service, parent: &Value, missing: Vec<String>) -> Option<EditLocation> {
    let o = &parent.origin;
    let file = project.file(o.file);
    let text = &file.source.text;
    let y = &file.yaml;
    let node_id = o.node?;
    let node = y.node(node_id);
    let newline = file.source.newline();
    let shared = shared(project, service, o);
    let b = text.as_bytes();
    match &node.kind {
        NodeKind::Mapping { entries, flow: true } => {
            let at = node.range.end as usize - 1;
            Some(EditLocation::Insert(Insertion {
                file: o.file,
                at,
                style: InsertStyle::Flow { empty: entries.is_empty() },
                indent: String::new(),
                step: String::new(),
                missing,
                newline,
                needs_newline_before: false,
                shared,
            }))
        }
        NodeKind::Sequence { items, flow: true } => Some(EditLocation::Insert(Insertion {
            file: o.file,
            at: node.range.end as usize - 1,
            style: InsertStyle::FlowList { empty: items.is_empty() },
            indent: String::new(),
            step: String::new(),
            missing,
            newline,
            needs_newline_before: false,
            shared,
        })),
        NodeKind::Mapping { entries, flow: false } => {
            let first_key = entries.first().map(|(k, _)| y.node(*k).range.start as usize)?;
            let indent = line_indent(text, first_key);
            let step = indent_step(y, text, node_id, &indent);
            let (at, needs) = after_line(b, node.range.end as usize);
            Some(EditLocation::Insert(Insertion {
                file: o.file,
                at,
                style: InsertStyle::Block,
                indent,
                step,
                missing,
                newline,
                needs_newline_before: needs,
                shared,
            }))
        }
        NodeKind::Sequence { items, flow: false } => {
            let first = items.first().map(|i| y.node(*i).range.start as usize)?;
            // the `- ` before the first item
            let dash = text[..first].rfind('-').unwrap_or(first);
            let indent = line_indent(text, dash);
            let (at, needs) = after_line(b, node.range.end as usize);
            Some(EditLocation::Insert(Insertion {
                file: o.file,
                at,
                style: InsertStyle::BlockList,
                indent,
                step: "  ".into(),
                missing,
                newline,
                needs_newline_before: needs,
                shared,
            }))
        }
        NodeKind::Scalar { .. } => {
            // `key:` with no value: write a nested block under it
            let key_start = o.key_range.map(|k| k.start as usize).unwrap_or(o.range.start as usize);
            let key_indent = line_indent(text, key_start);
            let (at, needs) = after_line(b, o.range.end as usize);
            Some(EditLocation::Insert(Insertion {
                file: o.file,
                at,
                style: InsertStyle::Block,
                indent: format!("{key_indent}  "),
                step: "  ".into(),
                missing,
                newline,
                needs_newline_before: needs,
                shared,
            }))
        }
        NodeKind::Alias { .. } => None,
    }
}

/// The whitespace between the start of the line holding `at` and `at` (if it is only
/// blanks; otherwise the line's leading blanks plus padding for `- `).
fn line_indent(text: &str, at: usize) -> String {
    let start = text[..at].rfind('\n').map(|i| i + 1).unwrap_or(0);
    let prefix = &text[start..at];
    if prefix.chars().all(|c| c == ' ') {
        prefix.to_string()
    } else {
        // `- key: v`: the key's column, in spaces
        " ".repeat(prefix.chars().count())
    }
}

/// How much deeper the mapping's keys sit than its parent key (default two spaces).
fn indent_step(y: &YamlFile, text: &str, node: NodeId, indent: &str) -> String {
    for n in &y.nodes {
        if let NodeKind::Mapping { entries, .. } = &n.kind
            && let Some((k, _)) = entries.iter().find(|(_, v)| *v == node)
        {
            let parent_indent = line_indent(text, y.node(*k).range.start as usize);
            if indent.len() > parent_indent.len() {
                return " ".repeat(indent.len() - parent_indent.len());
            }
        }
    }
    "  ".into()
}

/// The start of the line after the one holding `end` (a block scalar already ends after its
/// newline), and whether the file ends there without a newline.
fn after_line(b: &[u8], end: usize) -> (usize, bool) {
    if end > 0 && b.get(end - 1) == Some(&b'\n') {
        return (end, false);
    }
    match b[end..].iter().position(|&c| c == b'\n') {
        Some(i) => (end + i + 1, false),
        None => (b.len(), true),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::compose::{LoadOptions, MemoryFs, load};

    fn project(files: &[(&str, &str)]) -> Project {
        let mut fs = MemoryFs::default();
        for (p, t) in files {
            fs = fs.with(*p, t);
        }
        let list = files.iter().filter(|(p, _)| p.contains("compose")).map(|(p, _)| p.into()).collect();
        load(&LoadOptions { files: list, project_dir: None, env: Vec::new(), dotenv: true }, &fs)
    }

    fn apply(text: &str, at: usize, ins: &str) -> String {
        format!("{}{}{}", &text[..at], ins, &text[at..])
    }

    #[test]
    fn replace_keeps_quotes() {
        let src = "services:\n  odoo:\n    image: odoo\n    stop_grace_period: \"10s\"\n";
        let p = project(&[("/p/compose.yaml", src)]);
        let s = p.service("odoo").unwrap();
        let Some(EditLocation::Replace { range, written, shared, .. }) = edit_location(&p, s, "stop_grace_period") else {
            panic!()
        };
        assert_eq!(range.of(src), "\"10s\"");
        assert_eq!(written, Written::Scalar(ScalarStyle::DoubleQuoted));
        assert!(shared.is_none());
    }

    #[test]
    fn insert_nested_block() {
        let src = "services:\n    odoo:\n        image: odoo\n        healthcheck:\n            test: curl x\n    db:\n        image: postgres\n";
        let p = project(&[("/p/compose.yaml", src)]);
        let s = p.service("odoo").unwrap();
        let Some(EditLocation::Insert(ins)) = edit_location(&p, s, "healthcheck.start_period") else { panic!() };
        assert_eq!(ins.indent, "            ");
        let out = apply(src, ins.at, &ins.text("60s"));
        assert_eq!(
            out,
            "services:\n    odoo:\n        image: odoo\n        healthcheck:\n            test: curl x\n            start_period: 60s\n    db:\n        image: postgres\n"
        );
        let Some(EditLocation::Insert(ins)) = edit_location(&p, p.service("db").unwrap(), "ulimits.nofile") else { panic!() };
        let out = apply(src, ins.at, &ins.text("65536"));
        assert!(out.ends_with("        image: postgres\n        ulimits:\n            nofile: 65536\n"), "{out}");
    }

    #[test]
    fn insert_at_end_without_newline_and_crlf() {
        let src = "services:\r\n  odoo:\r\n    image: odoo";
        let p = project(&[("/p/compose.yaml", src)]);
        let Some(EditLocation::Insert(ins)) = edit_location(&p, p.service("odoo").unwrap(), "stop_grace_period") else {
            panic!()
        };
        assert!(ins.needs_newline_before);
        assert_eq!(
            apply(src, ins.at, &ins.text("2m")),
            "services:\r\n  odoo:\r\n    image: odoo\r\n    stop_grace_period: 2m\r\n"
        );
    }

    #[test]
    fn insert_into_flow_mapping() {
        let src = "services:\n  odoo: {image: odoo, ulimits: {nproc: 5}}\n";
        let p = project(&[("/p/compose.yaml", src)]);
        let s = p.service("odoo").unwrap();
        let Some(EditLocation::Insert(ins)) = edit_location(&p, s, "ulimits.nofile") else { panic!() };
        assert_eq!(
            apply(src, ins.at, &ins.text("65536")),
            "services:\n  odoo: {image: odoo, ulimits: {nproc: 5, nofile: 65536}}\n"
        );
        let Some(EditLocation::Insert(ins)) = edit_location(&p, s, "healthcheck.start_period") else { panic!() };
        assert_eq!(
            apply(src, ins.at, &ins.text("60s")),
            "services:\n  odoo: {image: odoo, ulimits: {nproc: 5}, healthcheck: {start_period: 60s}}\n"
        );
    }

    #[test]
    fn interpolated_value_lists_its_substitutions() {
        let src = "services:\n  odoo:\n    image: odoo\n    stop_grace_period: ${GRACE:-10s}\n";
        let p = project(&[("/p/compose.yaml", src)]);
        let Some(EditLocation::Replace { range, interpolations, .. }) =
            edit_location(&p, p.service("odoo").unwrap(), "stop_grace_period")
        else {
            panic!()
        };
        assert_eq!(range.of(src), "${GRACE:-10s}");
        assert_eq!(interpolations[0].argument_range.unwrap().of(src), "10s");
    }

    #[test]
    fn scalar_in_the_way() {
        let src = "services:\n  odoo:\n    image: odoo\n    ulimits:\n      nofile: 1024\n";
        let p = project(&[("/p/compose.yaml", src)]);
        let Some(EditLocation::Replace { range, rest, .. }) =
            edit_location(&p, p.service("odoo").unwrap(), "ulimits.nofile.soft")
        else {
            panic!()
        };
        assert_eq!(range.of(src), "1024");
        assert_eq!(rest, ["soft"]);
    }

    #[test]
    fn value_in_shared_anchor() {
        let src = "x-base: &base\n  image: odoo\n  stop_grace_period: 10s\nservices:\n  a:\n    <<: *base\n  b:\n    <<: *base\n    restart: always\n  c:\n    image: other\n";
        let p = project(&[("/p/compose.yaml", src)]);
        let Some(EditLocation::Replace { range, shared, .. }) = edit_location(&p, p.service("a").unwrap(), "stop_grace_period")
        else {
            panic!()
        };
        assert_eq!(range.of(src), "10s");
        let shared = shared.unwrap();
        assert_eq!(shared.anchor, "base");
        assert_eq!(shared.anchor_range.of(src), "&base");
        assert_eq!(shared.users, ["a", "b"]);
        // a key missing everywhere is inserted in the service's own mapping, not the anchor
        let Some(EditLocation::Insert(ins)) = edit_location(&p, p.service("b").unwrap(), "healthcheck.start_period") else {
            panic!()
        };
        assert!(ins.shared.is_none());
        assert_eq!(ins.indent, "    ");
    }

    #[test]
    fn value_from_override_and_env_list() {
        let base = "services:\n  odoo:\n    image: odoo\n    environment:\n      - WORKERS=2\n";
        let over = "services:\n  odoo:\n    stop_grace_period: 1m\n";
        let p = project(&[("/p/compose.yaml", base), ("/p/compose.override.yaml", over)]);
        let s = p.service("odoo").unwrap();
        let Some(EditLocation::Replace { file, range, .. }) = edit_location(&p, s, "stop_grace_period") else { panic!() };
        assert_eq!(file, FileId(1));
        assert_eq!(range.of(over), "1m");
        let Some(EditLocation::Replace { range, .. }) = edit_location(&p, s, "environment.WORKERS") else { panic!() };
        assert_eq!(range.of(base), "2");
        let Some(EditLocation::Insert(ins)) = edit_location(&p, s, "environment.LIMIT") else { panic!() };
        assert_eq!(ins.style, InsertStyle::BlockList);
        assert_eq!(
            apply(base, ins.at, &ins.text("5")),
            "services:\n  odoo:\n    image: odoo\n    environment:\n      - WORKERS=2\n      - LIMIT=5\n"
        );
    }

    #[test]
    fn value_from_env_file() {
        let src = "services:\n  odoo:\n    image: odoo\n    env_file: odoo.env\n";
        let env = "WORKERS=2\n";
        let p = project(&[("/p/compose.yaml", src), ("/p/odoo.env", env)]);
        let Some(EditLocation::Replace { file, range, written, .. }) =
            edit_location(&p, p.service("odoo").unwrap(), "environment.WORKERS")
        else {
            panic!()
        };
        assert_eq!(written, Written::EnvFile);
        assert_eq!(range.of(&p.file(file).source.text), "2");
    }

    #[test]
    fn insert_under_empty_key() {
        let src = "services:\n  odoo:\n    image: odoo\n    healthcheck:\n    restart: always\n";
        let p = project(&[("/p/compose.yaml", src)]);
        let Some(EditLocation::Insert(ins)) = edit_location(&p, p.service("odoo").unwrap(), "healthcheck.start_period") else {
            panic!()
        };
        assert_eq!(ins.missing, ["start_period"]);
        assert_eq!(
            apply(src, ins.at, &ins.text("60s")),
            "services:\n  odoo:\n    image: odoo\n    healthcheck:\n      start_period: 60s\n    restart: always\n"
        );
    }

    #[test]
    fn value_from_extends_base() {
        let main = "services:\n  odoo:\n    extends: {file: base.yml, service: b}\n";
        let base = "services:\n  b:\n    image: odoo\n    stop_grace_period: 5s\n";
        let p = project(&[("/p/compose.yaml", main), ("/p/base.yml", base)]);
        let Some(EditLocation::Replace { file, range, .. }) = edit_location(&p, p.service("odoo").unwrap(), "stop_grace_period")
        else {
            panic!()
        };
        assert_eq!(p.file(file).source.path, std::path::PathBuf::from("/p/base.yml"));
        assert_eq!(range.of(base), "5s");
    }

    #[test]
    fn empty_value_is_replaced_after_colon() {
        let src = "services:\n  odoo:\n    image: odoo\n    restart:\n";
        let p = project(&[("/p/compose.yaml", src)]);
        let Some(EditLocation::Replace { range, written, .. }) = edit_location(&p, p.service("odoo").unwrap(), "restart") else {
            panic!()
        };
        assert_eq!(written, Written::Empty);
        assert_eq!(range, TextRange::empty(src.len() - 1));
    }
}

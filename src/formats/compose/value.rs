//! The compose data tree: YAML nodes turned into values the way compose-go's decoder sees
//! them (aliases expanded, `<<` merge keys applied, duplicate keys refused, every string
//! interpolated), each value keeping where it was written.
//!
//! A value reached through an alias or a merge key keeps the span of the anchored text (the
//! place a fix must edit) and notes the alias it was reached through, so a rule can tell
//! that editing it changes every user of the anchor.

use std::collections::HashMap;

use crate::formats::SyntaxError;
use crate::source::{FileId, Span, TextRange};

use super::interpolate::{self, Interpolation, Outcome};
use super::yaml::{NodeId, NodeKind, ScalarStyle, YamlFile};
use super::{ComposeError, ErrorKind};

/// Expanding aliases may not produce more values than this per document (compose-go caps
/// node visits at 100 000 for the same reason: alias bombs).
pub const MAX_VALUES: usize = 100_000;

/// Where a value came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Origin {
    pub file: FileId,
    /// The YAML node holding the value's text (None for a value read from an env file).
    pub node: Option<NodeId>,
    /// The value's text (scalars with their quotes; see [`super::yaml::Node::range`]).
    pub range: TextRange,
    /// The key it was written under, if any.
    pub key_range: Option<TextRange>,
    /// When reached through `*alias` or `<<: *alias`: the alias, in the same file.
    pub via_alias: Option<TextRange>,
}

impl Origin {
    pub fn span(&self) -> Span {
        Span::new(self.file, self.range)
    }
}

/// Where a variable's value came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum VarSource {
    /// The process environment (or the environment the caller injected).
    Process,
    /// A line of the project `.env`.
    DotEnv { file: FileId, key_range: TextRange, value_range: TextRange },
}

/// A variable of the project environment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnvVar {
    pub value: String,
    pub source: VarSource,
}

/// The variables interpolation sees: the project `.env` overlaid by the process
/// environment (the shell wins, as in compose).
#[derive(Clone, Debug, Default)]
pub struct Environment {
    pub vars: HashMap<String, EnvVar>,
}

impl Environment {
    pub fn from_process(pairs: impl IntoIterator<Item = (String, String)>) -> Self {
        let vars = pairs.into_iter().map(|(k, v)| (k, EnvVar { value: v, source: VarSource::Process })).collect();
        Environment { vars }
    }
    pub fn get(&self, name: &str) -> Option<&EnvVar> {
        self.vars.get(name)
    }
    pub fn value(&self, name: &str) -> Option<String> {
        self.vars.get(name).map(|v| v.value.clone())
    }
}

/// One substitution a value went through, placed in the file where possible.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValueInterpolation {
    pub record: Interpolation,
    /// The `${…}` in the file, when the scalar is written without escapes (else None: the
    /// value's whole range is the best place).
    pub range: Option<TextRange>,
    /// The default / alternative text inside `${…}` in the file, when placeable.
    pub argument_range: Option<TextRange>,
    /// Where the variable's value came from, when it was used.
    pub source: Option<VarSource>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Val {
    Null,
    /// A scalar (after interpolation). `style` tells a plain `1` (a number to YAML) from `"1"`.
    Str {
        text: String,
        style: ScalarStyle,
        interpolations: Vec<ValueInterpolation>,
    },
    Map(Vec<Entry>),
    Seq(Vec<Value>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Value {
    pub val: Val,
    pub origin: Origin,
    /// `!reset` or `!override`, which steer merging.
    pub tag: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub key: String,
    pub value: Value,
}

impl Value {
    pub fn as_str(&self) -> Option<&str> {
        match &self.val {
            Val::Str { text, .. } => Some(text),
            _ => None,
        }
    }
    pub fn is_null(&self) -> bool {
        matches!(self.val, Val::Null)
    }
    pub fn as_map(&self) -> Option<&[Entry]> {
        match &self.val {
            Val::Map(m) => Some(m),
            _ => None,
        }
    }
    pub fn as_seq(&self) -> Option<&[Value]> {
        match &self.val {
            Val::Seq(s) => Some(s),
            _ => None,
        }
    }
    /// The value under `key` of a mapping.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.as_map()?.iter().rev().find(|e| e.key == key).map(|e| &e.value)
    }
    pub fn get_mut(&mut self, key: &str) -> Option<&mut Value> {
        match &mut self.val {
            Val::Map(m) => m.iter_mut().rev().find(|e| e.key == key).map(|e| &mut e.value),
            _ => None,
        }
    }
    /// Every interpolation this scalar went through (empty for collections).
    pub fn interpolations(&self) -> &[ValueInterpolation] {
        match &self.val {
            Val::Str { interpolations, .. } => interpolations,
            _ => &[],
        }
    }
    /// A plain scalar's YAML 1.2 reading as an integer.
    pub fn as_int(&self) -> Option<i64> {
        let s = self.as_str()?.trim();
        let (neg, digits) = match s.strip_prefix('-') {
            Some(d) => (true, d),
            None => (false, s.strip_prefix('+').unwrap_or(s)),
        };
        let v: i64 = if let Some(h) = digits.strip_prefix("0x") {
            i64::from_str_radix(h, 16).ok()?
        } else if let Some(o) = digits.strip_prefix("0o") {
            i64::from_str_radix(o, 8).ok()?
        } else {
            digits.replace('_', "").parse().ok()?
        };
        Some(if neg { -v } else { v })
    }
    pub fn is_plain(&self) -> bool {
        matches!(self.val, Val::Str { style: ScalarStyle::Plain, .. })
    }
}

/// Converts YAML documents to values, expanding aliases within a budget.
pub struct Converter<'a> {
    pub yaml: &'a YamlFile,
    pub text: &'a str,
    pub file: FileId,
    pub env: &'a Environment,
    /// Whether to interpolate strings (on by default, as compose does; off shows the text as written).
    pub interpolate: bool,
    budget: usize,
    expanding: Vec<NodeId>,
    /// Interpolation errors already reported, by node (an anchor used twice fails once).
    reported: Vec<NodeId>,
    pub errors: Vec<ComposeError>,
}

impl<'a> Converter<'a> {
    pub fn new(yaml: &'a YamlFile, text: &'a str, file: FileId, env: &'a Environment) -> Self {
        Converter {
            yaml,
            text,
            file,
            env,
            interpolate: true,
            budget: MAX_VALUES,
            expanding: Vec::new(),
            reported: Vec::new(),
            errors: Vec::new(),
        }
    }

    fn error(&mut self, kind: ErrorKind, range: TextRange, message: impl Into<String>) {
        self.errors.push(ComposeError { file: self.file, kind, error: SyntaxError::new(range, message) });
    }

    /// Converts the document rooted at `root`.
    pub fn document(&mut self, root: NodeId) -> Value {
        self.budget = MAX_VALUES;
        self.convert(root, None, None, 0)
    }

    fn origin(&self, node: NodeId, key_range: Option<TextRange>, via_alias: Option<TextRange>) -> Origin {
        Origin { file: self.file, node: Some(node), range: self.yaml.node(node).range, key_range, via_alias }
    }

    fn convert(&mut self, id: NodeId, key_range: Option<TextRange>, via_alias: Option<TextRange>, depth: usize) -> Value {
        let node = self.yaml.node(id);
        let origin = self.origin(id, key_range, via_alias);
        if self.budget == 0 || depth > 4 * super::yaml::MAX_DEPTH {
            return Value { val: Val::Null, origin, tag: None };
        }
        self.budget -= 1;
        if self.budget == 0 {
            self.error(
                ErrorKind::Yaml,
                node.range,
                format!("compose file exceeds the maximum of {MAX_VALUES} values after expanding aliases"),
            );
            return Value { val: Val::Null, origin, tag: None };
        }
        let tag = node.tag.as_ref().map(|t| t.text.clone()).filter(|t| t == "!reset" || t == "!override");
        match &node.kind {
            NodeKind::Alias { target, name } => {
                let Some(target) = *target else {
                    self.error(ErrorKind::Yaml, node.range, format!("unknown anchor '{name}' referenced"));
                    return Value { val: Val::Null, origin, tag };
                };
                if self.expanding.contains(&target) {
                    self.error(ErrorKind::Yaml, node.range, format!("anchor '{name}' refers to itself"));
                    return Value { val: Val::Null, origin, tag };
                }
                let alias_site = via_alias.or(Some(node.range));
                self.expanding.push(target);
                let v = self.convert(target, key_range, alias_site, depth + 1);
                self.expanding.pop();
                v
            }
            NodeKind::Scalar { value, style } => {
                if node.is_null() {
                    return Value { val: Val::Null, origin, tag };
                }
                let (text, interpolations) = self.interpolate_scalar(id, value, *style);
                Value { val: Val::Str { text, style: *style, interpolations }, origin, tag }
            }
            NodeKind::Sequence { items, .. } => {
                let items = items.clone();
                self.expanding.push(id);
                let seq = items.iter().map(|&i| self.convert(i, None, via_alias, depth + 1)).collect();
                self.expanding.pop();
                Value { val: Val::Seq(seq), origin, tag }
            }
            NodeKind::Mapping { entries, .. } => {
                let entries = entries.clone();
                self.expanding.push(id);
                let map = self.mapping(&entries, via_alias, depth);
                self.expanding.pop();
                Value { val: Val::Map(map), origin, tag }
            }
        }
    }

    fn mapping(&mut self, entries: &[(NodeId, NodeId)], via_alias: Option<TextRange>, depth: usize) -> Vec<Entry> {
        let mut out: Vec<Entry> = Vec::with_capacity(entries.len());
        let mut seen: Vec<(String, TextRange)> = Vec::new();
        let mut merges: Vec<(NodeId, TextRange)> = Vec::new();
        for &(k, v) in entries {
            let key_node = self.yaml.node(self.yaml.resolve(k));
            let key = match &key_node.kind {
                NodeKind::Scalar { value, .. } => value.clone(),
                _ => {
                    let r = self.yaml.node(k).range;
                    self.error(ErrorKind::Model, r, "a mapping key must be a string");
                    continue;
                }
            };
            let key_range = self.yaml.node(k).range;
            if let Some((_, first)) = seen.iter().find(|(s, _)| *s == key) {
                let line = 1 + self.text[..first.start as usize].matches('\n').count();
                let here = 1 + self.text[..key_range.start as usize].matches('\n').count();
                let first = *first;
                self.errors.push(ComposeError {
                    file: self.file,
                    kind: ErrorKind::Yaml,
                    error: SyntaxError::new(
                        key_range,
                        format!("line {here}: mapping key {key:?} already defined at line {line}"),
                    )
                    .with_related(first, "first defined here"),
                });
                continue;
            }
            seen.push((key.clone(), key_range));
            if key == "<<" && self.yaml.node(k).scalar().is_some_and(|(_, s)| s == ScalarStyle::Plain) {
                merges.push((v, key_range));
                continue;
            }
            let value = self.convert(v, Some(key_range), via_alias, depth + 1);
            out.push(Entry { key, value });
        }
        // `<<`: explicit keys win; among merged mappings, the first to give a key wins.
        for (v, key_range) in merges {
            let sources: Vec<NodeId> = match &self.yaml.node(self.yaml.resolve(v)).kind {
                NodeKind::Mapping { .. } => vec![v],
                NodeKind::Sequence { items, .. } => items.clone(),
                _ => {
                    let r = self.yaml.node(v).range;
                    self.error(ErrorKind::Yaml, r, "map merge requires map or sequence of maps as the value");
                    continue;
                }
            };
            for src in sources {
                let site = match &self.yaml.node(src).kind {
                    NodeKind::Alias { .. } => Some(self.yaml.node(src).range),
                    _ => via_alias,
                };
                let merged = self.convert(src, Some(key_range), site.or(via_alias), depth + 1);
                match merged.val {
                    Val::Map(m) => {
                        for e in m {
                            if !out.iter().any(|o| o.key == e.key) {
                                out.push(e);
                            }
                        }
                    }
                    Val::Null if self.budget == 0 => {}
                    _ => {
                        let r = self.yaml.node(src).range;
                        self.error(ErrorKind::Yaml, r, "map merge requires map or sequence of maps as the value");
                    }
                }
            }
        }
        out
    }

    fn interpolate_scalar(&mut self, id: NodeId, value: &str, style: ScalarStyle) -> (String, Vec<ValueInterpolation>) {
        if !self.interpolate || !value.contains('$') {
            return (value.to_string(), Vec::new());
        }
        let env = self.env;
        match interpolate::interpolate(value, &|k| env.value(k)) {
            Ok(r) => {
                let node = self.yaml.node(id);
                let base = literal_base(self.text, node.range, value, style);
                let interpolations = r
                    .records
                    .into_iter()
                    .map(|record| {
                        let place = |range: &std::ops::Range<usize>| base.map(|b| TextRange::new(b + range.start, b + range.end));
                        let source = (record.outcome == Outcome::Variable)
                            .then(|| env.get(&record.var).map(|v| v.source.clone()))
                            .flatten();
                        ValueInterpolation {
                            range: place(&record.range),
                            argument_range: record.argument.as_ref().and_then(place),
                            source,
                            record,
                        }
                    })
                    .collect();
                (r.value, interpolations)
            }
            Err(e) => {
                if !self.reported.contains(&id) {
                    self.reported.push(id);
                    let node = self.yaml.node(id);
                    let range = match literal_base(self.text, node.range, value, style) {
                        Some(b) => TextRange::new(b + e.range.start, b + e.range.end),
                        None => node.range,
                    };
                    let mut err = SyntaxError::new(range, e.message.clone());
                    if let Some(var) = &e.var {
                        err = err.with_help(format!("set {var} in the environment or in the .env file beside the compose file"));
                    }
                    self.errors.push(ComposeError { file: self.file, kind: ErrorKind::Interpolation, error: err });
                }
                (value.to_string(), Vec::new())
            }
        }
    }
}

/// The byte offset in the file where the decoded `value` starts, if the scalar's text is
/// the value itself (plain on one line, or quoted without escapes), so template offsets
/// map one-to-one onto the file.
pub fn literal_base(text: &str, range: TextRange, value: &str, style: ScalarStyle) -> Option<usize> {
    let raw = text.get(range.range())?;
    let inner = match style {
        ScalarStyle::Plain => raw,
        ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted => raw.get(1..raw.len().saturating_sub(1))?,
        _ => return None,
    };
    let off = if style == ScalarStyle::Plain { 0 } else { 1 };
    (inner == value).then_some(range.start as usize + off)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::compose::yaml;

    fn conv(src: &str, env: &[(&str, &str)]) -> (Value, Vec<ComposeError>) {
        let y = yaml::parse(src);
        assert!(y.errors.is_empty(), "{:?}", y.errors);
        let env = Environment::from_process(env.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        let mut c = Converter::new(&y, src, FileId(0), &env);
        let v = c.document(y.docs[0].root.unwrap());
        (v, c.errors)
    }

    #[test]
    fn merge_keys_explicit_wins() {
        let src = "x-base: &base\n  image: odoo:17\n  restart: always\nx-more: &more\n  restart: no\n  tty: true\ns:\n  <<: [*base, *more]\n  image: odoo:18\n";
        let (v, errs) = conv(src, &[]);
        assert!(errs.is_empty());
        let s = v.get("s").unwrap();
        assert_eq!(s.get("image").unwrap().as_str(), Some("odoo:18"));
        let restart = s.get("restart").unwrap();
        assert_eq!(restart.as_str(), Some("always"));
        // the value points at the anchor's text, reached through the alias `*base`
        assert_eq!(restart.origin.range.of(src), "always");
        assert_eq!(restart.origin.via_alias.unwrap().of(src), "*base");
        assert_eq!(s.get("tty").unwrap().as_str(), Some("true"));
    }

    #[test]
    fn merge_single_alias_and_inline_map() {
        let src = "a: &a {k: 1}\nb:\n  <<: *a\nc:\n  <<: {k: 2}\n";
        let (v, _) = conv(src, &[]);
        assert_eq!(v.get("b").unwrap().get("k").unwrap().as_str(), Some("1"));
        assert_eq!(v.get("c").unwrap().get("k").unwrap().as_str(), Some("2"));
    }

    #[test]
    fn duplicate_keys_are_errors() {
        let (_, errs) = conv("a: 1\nb: 2\na: 3\n", &[]);
        assert_eq!(errs.len(), 1);
        assert_eq!(errs[0].error.message, "line 3: mapping key \"a\" already defined at line 1");
        assert_eq!(errs[0].error.range, TextRange::new(10, 11));
    }

    #[test]
    fn alias_bomb_is_bounded() {
        let mut src = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let p = i - 1;
            src.push_str(&format!("a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"));
        }
        let (_, errs) = conv(&src, &[]);
        assert_eq!(errs.len(), 1);
        assert!(errs[0].error.message.contains("maximum"));
    }

    #[test]
    fn self_referencing_alias() {
        let y = yaml::parse("a: &a [*a]\n");
        if y.errors.is_empty() {
            let env = Environment::default();
            let mut c = Converter::new(&y, "a: &a [*a]\n", FileId(0), &env);
            let _ = c.document(y.docs[0].root.unwrap());
            assert!(!c.errors.is_empty());
        }
    }

    #[test]
    fn interpolation_is_placed_in_the_file() {
        let src = "image: \"odoo:${V:-17.0}\"\nother: 'x$$y'\n";
        let (v, errs) = conv(src, &[]);
        assert!(errs.is_empty());
        let img = v.get("image").unwrap();
        assert_eq!(img.as_str(), Some("odoo:17.0"));
        let i = &img.interpolations()[0];
        assert_eq!(i.range.unwrap().of(src), "${V:-17.0}");
        assert_eq!(i.argument_range.unwrap().of(src), "17.0");
        assert_eq!(v.get("other").unwrap().as_str(), Some("x$y"));
    }

    #[test]
    fn interpolation_source_and_errors() {
        let src = "a: $HOST\nb: ${PW:?set it}\n";
        let (v, errs) = conv(src, &[("HOST", "h")]);
        assert_eq!(v.get("a").unwrap().interpolations()[0].source, Some(VarSource::Process));
        assert_eq!(errs.len(), 1);
        assert_eq!(errs[0].kind, ErrorKind::Interpolation);
        assert_eq!(errs[0].error.range.of(src), "${PW:?set it}");
    }

    #[test]
    fn nulls_and_tags() {
        let (v, _) = conv("a:\nb: ~\nc: !reset []\nd: !override x\n", &[]);
        assert!(v.get("a").unwrap().is_null());
        assert!(v.get("b").unwrap().is_null());
        assert_eq!(v.get("c").unwrap().tag.as_deref(), Some("!reset"));
        assert_eq!(v.get("d").unwrap().tag.as_deref(), Some("!override"));
    }
}

//! A lossless YAML layer over saphyr's event parser.
//!
//! The tree keeps, for every node, the byte range of its text in the original file (scalars
//! with their quotes, block scalars with their `|`/`>` header, flow collections with their
//! brackets), its anchor and tag with their ranges, and every comment. Nothing is ever
//! re-serialised: a fix replaces a byte range of the original text.
//!
//! saphyr counts positions in characters, not bytes ([`CharIndex`] converts), reports an empty
//! scalar at the `:` before it, and ends a block collection at the next token: we recompute
//! collection ends from their last child. Aliases are kept as [`NodeKind::Alias`] nodes that
//! point at the anchored node; expanding them (with a budget) is the model's job.

use std::borrow::Cow;

use saphyr_parser::{Event, Parser, ScalarStyle as SaphyrStyle, Span as SaphyrSpan};

use crate::formats::SyntaxError;
use crate::source::TextRange;

/// How deep collections may nest before we refuse the file (every later pass recurses).
pub const MAX_DEPTH: usize = 128;

/// Index of a node in [`YamlFile::nodes`].
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub struct NodeId(pub u32);

/// The quoting style of a scalar, as written.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ScalarStyle {
    Plain,
    SingleQuoted,
    DoubleQuoted,
    /// `|` block.
    Literal,
    /// `>` block.
    Folded,
}

impl ScalarStyle {
    pub fn is_quoted(self) -> bool {
        matches!(self, ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted)
    }
}

/// `&name` before a node.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Anchor {
    pub name: String,
    /// The range of `&name`.
    pub range: TextRange,
}

/// `!tag` before a node, e.g. compose's `!reset` and `!override`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tag {
    /// As written, with its `!`: `!reset`, `!!str`.
    pub text: String,
    pub range: TextRange,
}

#[derive(Clone, Debug)]
pub enum NodeKind {
    Scalar {
        value: String,
        style: ScalarStyle,
    },
    Mapping {
        entries: Vec<(NodeId, NodeId)>,
        flow: bool,
    },
    Sequence {
        items: Vec<NodeId>,
        flow: bool,
    },
    /// `*name`; `target` is the anchored node (None if the anchor was never defined, which
    /// the parser reports as an error first).
    Alias {
        name: String,
        target: Option<NodeId>,
    },
}

#[derive(Clone, Debug)]
pub struct Node {
    pub kind: NodeKind,
    /// The node's own text: a scalar with its quotes or block header, a flow collection
    /// with its brackets, a block collection from its first to its last child. Excludes the
    /// anchor and tag. An empty scalar (`key:`) has an empty range just after the `:`.
    pub range: TextRange,
    /// `range` plus the anchor and tag before it.
    pub full: TextRange,
    pub anchor: Option<Anchor>,
    pub tag: Option<Tag>,
}

impl Node {
    /// The scalar's decoded value and style, if this is a scalar.
    pub fn scalar(&self) -> Option<(&str, ScalarStyle)> {
        match &self.kind {
            NodeKind::Scalar { value, style } => Some((value, *style)),
            _ => None,
        }
    }

    /// Whether this is a plain scalar YAML reads as null (`~`, `null`, empty).
    pub fn is_null(&self) -> bool {
        matches!(&self.kind, NodeKind::Scalar { value, style: ScalarStyle::Plain }
            if self.tag.is_none() && matches!(value.as_str(), "" | "~" | "null" | "Null" | "NULL"))
    }
}

/// One `---`-separated document.
#[derive(Clone, Debug)]
pub struct Document {
    pub root: Option<NodeId>,
    /// Whether it starts with an explicit `---`.
    pub explicit_start: bool,
}

/// A parsed YAML file: every node of every document, comments, and errors.
#[derive(Clone, Debug, Default)]
pub struct YamlFile {
    pub nodes: Vec<Node>,
    pub docs: Vec<Document>,
    /// Every `# comment`, from `#` to the end of its line (without the line break).
    pub comments: Vec<TextRange>,
    /// The first syntax error stops parsing (as in every YAML parser): documents before it
    /// are kept, the one it is in may be partial and is not in `docs`.
    pub errors: Vec<SyntaxError>,
}

impl YamlFile {
    pub fn node(&self, id: NodeId) -> &Node {
        &self.nodes[id.0 as usize]
    }

    /// Follows aliases (a bounded number of times) to the node they stand for.
    pub fn resolve(&self, mut id: NodeId) -> NodeId {
        for _ in 0..64 {
            match &self.node(id).kind {
                NodeKind::Alias { target: Some(t), .. } => id = *t,
                _ => break,
            }
        }
        id
    }

    /// The value for `key` in mapping `map` (not following aliases or merge keys).
    pub fn get(&self, map: NodeId, key: &str) -> Option<(NodeId, NodeId)> {
        match &self.node(map).kind {
            NodeKind::Mapping { entries, .. } => {
                entries.iter().find(|(k, _)| self.node(*k).scalar().map(|(v, _)| v) == Some(key)).copied()
            }
            _ => None,
        }
    }

    /// Every range the tree accounts for (scalars, aliases, anchors, tags, flow brackets),
    /// sorted. Everything between them is trivia: whitespace, comments and YAML indicators.
    pub fn token_ranges(&self, text: &str) -> Vec<TextRange> {
        let mut out = Vec::with_capacity(self.nodes.len() * 2);
        let b = text.as_bytes();
        for n in &self.nodes {
            if let Some(a) = &n.anchor {
                out.push(a.range);
            }
            if let Some(t) = &n.tag {
                out.push(t.range);
            }
            match &n.kind {
                NodeKind::Scalar { .. } | NodeKind::Alias { .. } if !n.range.is_empty() => {
                    out.push(n.range);
                }
                NodeKind::Mapping { flow: true, .. } | NodeKind::Sequence { flow: true, .. } => {
                    out.push(TextRange::new(n.range.start as usize, n.range.start as usize + 1));
                    let end = n.range.end as usize;
                    if end > 0 && matches!(b.get(end - 1), Some(b'}') | Some(b']')) {
                        out.push(TextRange::new(end - 1, end));
                    }
                }
                _ => {}
            }
        }
        out.sort();
        out
    }
}

/// Converts saphyr's character positions to byte offsets (identity for ASCII text).
pub struct CharIndex {
    /// Byte offset of each character, plus the text length at the end; empty for ASCII.
    offsets: Vec<u32>,
    len: usize,
}

impl CharIndex {
    pub fn new(text: &str) -> Self {
        let offsets = if text.is_ascii() {
            Vec::new()
        } else {
            let mut v: Vec<u32> = text.char_indices().map(|(i, _)| i as u32).collect();
            v.push(text.len() as u32);
            v
        };
        CharIndex { offsets, len: text.len() }
    }

    /// The byte offset of character `index` (clamped to the end of the text).
    pub fn byte(&self, index: usize) -> usize {
        if self.offsets.is_empty() {
            index.min(self.len)
        } else {
            self.offsets.get(index).map(|&o| o as usize).unwrap_or(self.len)
        }
    }
}

struct Frame {
    node: NodeId,
    pending_key: Option<NodeId>,
}

struct Builder<'t> {
    text: &'t str,
    chars: CharIndex,
    file: YamlFile,
    stack: Vec<Frame>,
    /// saphyr anchor id → node.
    anchors: Vec<(usize, NodeId)>,
    doc: Option<Document>,
    /// End of the last token seen (to find block scalar headers).
    last_end: usize,
}

/// Parses a whole YAML stream. Never panics; the first syntax error ends the parse.
pub fn parse(text: &str) -> YamlFile {
    let scanned = directives_in_ascii(text);
    let mut b = Builder {
        text,
        chars: CharIndex::new(&scanned),
        file: YamlFile::default(),
        stack: Vec::new(),
        anchors: Vec::new(),
        doc: None,
        last_end: 0,
    };
    let mut parser = Parser::new_from_str(&scanned);
    while let Some(next) = parser.next_event() {
        match next {
            Ok((event, span)) => {
                if let Err(e) = b.event(event, span) {
                    b.file.errors.push(e);
                    break;
                }
            }
            Err(e) => {
                let mut at = b.chars.byte(e.marker().index());
                // saphyr points after a tab it refuses; point at the tab itself
                if e.info().contains("tab") {
                    let line_start = text[..at].rfind('\n').map(|i| i + 1).unwrap_or(0);
                    if let Some(t) = text[line_start..at].rfind('\t') {
                        at = line_start + t;
                    }
                }
                let end = text[at..].chars().next().map(|c| at + c.len_utf8()).unwrap_or(at);
                b.file.errors.push(SyntaxError::new(TextRange::new(at, end), e.info().to_string()));
                break;
            }
        }
    }
    let tokens = b.file.token_ranges(text);
    let mut comments = find_comments(text, &tokens);
    // A comment after a block scalar's header (`key: | # note`) is inside the scalar's range.
    for n in &b.file.nodes {
        if let NodeKind::Scalar { style: ScalarStyle::Literal | ScalarStyle::Folded, .. } = n.kind {
            let header = n.range.of(text).split(['\n', '\r']).next().unwrap_or("");
            if let Some(i) = header.find(" #").or_else(|| header.find("\t#")) {
                let start = n.range.start as usize + i + 1;
                let end = n.range.start as usize + header.len();
                comments.push(TextRange::new(start, end.max(start)));
            }
        }
    }
    comments.sort();
    b.file.comments = comments;
    b.file
}

/// saphyr counts the bytes, not the characters, of a directive's name and parameters (`%Ё`),
/// which shifts every later position. It reads the directive lines with each non-ASCII
/// character after the `%` replaced by as many `?` as it has bytes: the same byte offsets, and
/// nothing we read (directives are not). A directive line is a `%` line in a document's
/// prefix: before any content, at the start of the file or after a `...` line.
fn directives_in_ascii(text: &str) -> Cow<'_, str> {
    if text.is_ascii() {
        return Cow::Borrowed(text);
    }
    let mut out: Option<String> = None;
    let mut prefix = true;
    let mut pos = 0;
    for line in text.split_inclusive(['\n', '\r']) {
        let t = line.trim_end_matches(['\n', '\r']);
        let t = if pos == 0 { t.trim_start_matches('\u{feff}') } else { t };
        if prefix && t.starts_with('%') && !t.is_ascii() {
            let at = pos + (line.len() - line.trim_start_matches('\u{feff}').len());
            let patched: String =
                line[at - pos..].chars().map(|c| if c.is_ascii() { c.to_string() } else { "?".repeat(c.len_utf8()) }).collect();
            out.get_or_insert_with(|| text.to_string()).replace_range(at..pos + line.len(), &patched);
        }
        let trimmed = t.trim_start();
        if t == "..." || t.starts_with("... ") || t.starts_with("...\t") {
            prefix = true;
        } else if !(trimmed.is_empty() || trimmed.starts_with('#') || t.starts_with('%')) {
            prefix = false;
        }
        pos += line.len();
    }
    out.map_or(Cow::Borrowed(text), Cow::Owned)
}

fn is_blank(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\r' | b'\n')
}

impl<'t> Builder<'t> {
    fn span(&self, s: SaphyrSpan) -> (usize, usize) {
        let start = self.chars.byte(s.start.index());
        let end = self.chars.byte(s.end.index()).max(start);
        (start, end)
    }

    /// Reads `&anchor` and `!tag` properties starting at `pos`; returns where content starts.
    fn properties(&self, mut pos: usize, limit: usize) -> (Option<Anchor>, Option<Tag>, usize) {
        let b = self.text.as_bytes();
        let mut anchor = None;
        let mut tag = None;
        loop {
            let mut p = pos;
            while p < limit && is_blank(b[p]) {
                p += 1;
            }
            if p < limit && b[p] == b'#' {
                while p < limit && b[p] != b'\n' && b[p] != b'\r' {
                    p += 1;
                }
                pos = p;
                continue;
            }
            if p < limit && (b[p] == b'&' || b[p] == b'!') {
                let start = p;
                let mut q = p + 1;
                if b[p] == b'!' && q < limit && b[q] == b'<' {
                    while q < limit && b[q] != b'>' {
                        q += 1;
                    }
                    q = (q + 1).min(limit);
                } else {
                    while q < limit && !is_blank(b[q]) && !matches!(b[q], b',' | b'[' | b']' | b'{' | b'}') {
                        q += 1;
                    }
                }
                let range = TextRange::new(start, q);
                let text = self.text[start..q].to_string();
                if b[start] == b'&' {
                    anchor = Some(Anchor { name: text[1..].to_string(), range });
                } else {
                    tag = Some(Tag { text, range });
                }
                pos = q;
                continue;
            }
            return (anchor, tag, p.min(limit));
        }
    }

    /// Finds a block scalar's `|` or `>` header between the previous token and its content.
    fn block_header(&self, start: usize, content_start: usize) -> (Option<Anchor>, Option<Tag>, usize) {
        let b = self.text.as_bytes();
        let mut p = self.last_end.min(start);
        let mut props = (None, None);
        while p < content_start {
            match b[p] {
                b'|' | b'>' => return (props.0, props.1, p),
                b'#' => {
                    // a lone `\r` ends a line too (YAML 1.2, b-break)
                    while p < content_start && b[p] != b'\n' && b[p] != b'\r' {
                        p += 1;
                    }
                }
                b'&' | b'!' => {
                    let (a, t, q) = self.properties(p, content_start);
                    if a.is_some() {
                        props.0 = a;
                    }
                    if t.is_some() {
                        props.1 = t;
                    }
                    p = q.max(p + 1);
                }
                _ => p += 1,
            }
        }
        (props.0, props.1, start)
    }

    fn push(&mut self, node: Node) -> NodeId {
        let id = NodeId(self.file.nodes.len() as u32);
        self.file.nodes.push(node);
        id
    }

    fn attach(&mut self, id: NodeId) {
        let Some(frame) = self.stack.last_mut() else {
            if let Some(doc) = self.doc.as_mut() {
                doc.root = Some(id);
            }
            return;
        };
        match &mut self.file.nodes[frame.node.0 as usize].kind {
            NodeKind::Mapping { entries, .. } => match frame.pending_key.take() {
                Some(k) => entries.push((k, id)),
                None => frame.pending_key = Some(id),
            },
            NodeKind::Sequence { items, .. } => items.push(id),
            _ => {}
        }
    }

    fn register_anchor(&mut self, aid: usize, id: NodeId) {
        if aid != 0 {
            self.anchors.push((aid, id));
        }
    }

    fn event(&mut self, event: Event<'_>, span: SaphyrSpan) -> Result<(), SyntaxError> {
        let (start, end) = self.span(span);
        match event {
            Event::StreamStart | Event::StreamEnd | Event::Nothing => {}
            Event::DocumentStart(explicit) => {
                self.doc = Some(Document { root: None, explicit_start: explicit });
                self.anchors.clear();
                if explicit {
                    self.last_end = end;
                }
            }
            Event::DocumentEnd => {
                if let Some(doc) = self.doc.take() {
                    self.file.docs.push(doc);
                }
                self.last_end = self.last_end.max(end);
            }
            Event::Scalar(value, style, aid, _tag) => {
                let style = match style {
                    SaphyrStyle::Plain => ScalarStyle::Plain,
                    SaphyrStyle::SingleQuoted => ScalarStyle::SingleQuoted,
                    SaphyrStyle::DoubleQuoted => ScalarStyle::DoubleQuoted,
                    SaphyrStyle::Literal => ScalarStyle::Literal,
                    SaphyrStyle::Folded => ScalarStyle::Folded,
                };
                let (anchor, tag, content) = if matches!(style, ScalarStyle::Literal | ScalarStyle::Folded) {
                    self.block_header(start, end)
                } else {
                    self.properties(start, end)
                };
                let full_start = [anchor.as_ref().map(|a| a.range.start), tag.as_ref().map(|t| t.range.start)]
                    .into_iter()
                    .flatten()
                    .min()
                    .map(|s| s as usize)
                    .unwrap_or(content);
                let end = match style {
                    // saphyr may stretch a quoted scalar's span over a trailing comment
                    ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted => {
                        closing_quote(self.text, content, style).unwrap_or(end)
                    }
                    // an implicit empty value (`{a}`, `{a, b}`): saphyr spans the next indicator
                    ScalarStyle::Plain if value.is_empty() => content,
                    ScalarStyle::Plain => {
                        let b = self.text.as_bytes();
                        let mut e = end.max(content);
                        while e > content && is_blank(b[e - 1]) {
                            e -= 1;
                        }
                        e
                    }
                    _ => end,
                };
                let mut range = TextRange::new(content, end.max(content));
                if range.is_empty() && self.text.as_bytes().get(content) == Some(&b':') {
                    range = TextRange::empty(content + 1);
                }
                let full = TextRange::new(full_start.min(range.start as usize), range.end as usize);
                let value = match value {
                    Cow::Borrowed(s) => s.to_string(),
                    Cow::Owned(s) => s,
                };
                let id = self.push(Node { kind: NodeKind::Scalar { value, style }, range, full, anchor, tag });
                self.register_anchor(aid, id);
                self.attach(id);
                self.last_end = self.last_end.max(range.end as usize);
            }
            Event::Alias(aid) => {
                let target = self.anchors.iter().rev().find(|(a, _)| *a == aid).map(|(_, n)| *n);
                let name = self.text.get(start..end).unwrap_or("").trim_start_matches('*').to_string();
                let range = TextRange::new(start, end);
                let id = self.push(Node { kind: NodeKind::Alias { name, target }, range, full: range, anchor: None, tag: None });
                self.attach(id);
                self.last_end = self.last_end.max(end);
            }
            Event::MappingStart(aid, _) | Event::SequenceStart(aid, _) => {
                if self.stack.len() >= MAX_DEPTH {
                    return Err(SyntaxError::new(
                        TextRange::new(start, start),
                        format!("collections nested deeper than {MAX_DEPTH} levels"),
                    ));
                }
                let is_map = matches!(event, Event::MappingStart(..));
                let (anchor, tag, content) = self.properties(start, end);
                let b = self.text.as_bytes();
                let flow = matches!(b.get(content), Some(b'{') | Some(b'['));
                // `{a: 1}: x`, `[a]: x`: a block mapping whose first key is a flow collection
                // starts at the same bracket, which is the key's
                if flow && let Some(frame) = self.stack.last() {
                    let parent = &mut self.file.nodes[frame.node.0 as usize];
                    if parent.range.start as usize == content
                        && let NodeKind::Mapping { entries, flow: parent_flow } = &mut parent.kind
                        && entries.is_empty()
                    {
                        *parent_flow = false;
                    }
                }
                let kind = if is_map {
                    NodeKind::Mapping { entries: Vec::new(), flow }
                } else {
                    NodeKind::Sequence { items: Vec::new(), flow }
                };
                let full_start = [anchor.as_ref().map(|a| a.range.start), tag.as_ref().map(|t| t.range.start)]
                    .into_iter()
                    .flatten()
                    .min()
                    .map(|s| s as usize)
                    .unwrap_or(content);
                let range = TextRange::new(content, content);
                let id = self.push(Node { kind, range, full: TextRange::new(full_start, content), anchor, tag });
                self.register_anchor(aid, id);
                self.attach(id);
                self.stack.push(Frame { node: id, pending_key: None });
                self.last_end = self.last_end.max(if flow { content + 1 } else { content });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                let Some(frame) = self.stack.pop() else {
                    return Ok(());
                };
                let idx = frame.node.0 as usize;
                let last_child = match &self.file.nodes[idx].kind {
                    NodeKind::Mapping { entries, .. } => entries
                        .last()
                        .map(|(k, v)| self.file.nodes[k.0 as usize].range.end.max(self.file.nodes[v.0 as usize].range.end)),
                    NodeKind::Sequence { items, .. } => items.last().map(|i| self.file.nodes[i.0 as usize].range.end),
                    _ => None,
                };
                let flow = matches!(
                    self.file.nodes[idx].kind,
                    NodeKind::Mapping { flow: true, .. } | NodeKind::Sequence { flow: true, .. }
                );
                let node_end = if flow {
                    // saphyr's span starts at the closing bracket.
                    let b = self.text.as_bytes();
                    if matches!(b.get(start), Some(b'}') | Some(b']')) { start + 1 } else { start }
                } else {
                    last_child.map(|e| e as usize).unwrap_or(self.file.nodes[idx].range.start as usize)
                };
                let node = &mut self.file.nodes[idx];
                let node_end = node_end.max(node.range.start as usize);
                node.range.end = node_end as u32;
                node.full.end = node_end as u32;
                self.last_end = self.last_end.max(node_end);
            }
        }
        Ok(())
    }
}

/// The end (after the closing quote) of a quoted scalar starting at `start`.
fn closing_quote(text: &str, start: usize, style: ScalarStyle) -> Option<usize> {
    let b = text.as_bytes();
    let q = *b.get(start)?;
    if (q == b'"') != (style == ScalarStyle::DoubleQuoted) || !(q == b'"' || q == b'\'') {
        return None;
    }
    let mut i = start + 1;
    while i < b.len() {
        match b[i] {
            b'\\' if q == b'"' => i += 2,
            b'\'' if q == b'\'' && b.get(i + 1) == Some(&b'\'') => i += 2,
            c if c == q => return Some(i + 1),
            _ => i += 1,
        }
    }
    None
}

/// Comments are the `#…` runs in the gaps between tokens.
fn find_comments(text: &str, tokens: &[TextRange]) -> Vec<TextRange> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut pos = 0usize;
    let scan = |from: usize, to: usize, out: &mut Vec<TextRange>| {
        let mut i = from;
        while i < to {
            if b[i] == b'#' && (i == 0 || is_blank(b[i - 1]) || i == from) {
                let start = i;
                while i < to && b[i] != b'\n' && b[i] != b'\r' {
                    i += 1;
                }
                out.push(TextRange::new(start, i));
            } else {
                i += 1;
            }
        }
    };
    for t in tokens {
        let s = t.start as usize;
        if s > pos {
            scan(pos, s, &mut out);
        }
        pos = pos.max(t.end as usize);
    }
    if pos < b.len() {
        scan(pos, b.len(), &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn root_map(f: &YamlFile) -> NodeId {
        f.docs[0].root.expect("root")
    }

    fn text_of<'a>(src: &'a str, f: &YamlFile, id: NodeId) -> &'a str {
        f.node(id).range.of(src)
    }

    #[test]
    fn scalar_spans_include_quotes_not_anchors() {
        let src = "a: &x \"q\"\nb: 'it''s'\nc: plain text\n";
        let f = parse(src);
        assert!(f.errors.is_empty());
        let m = root_map(&f);
        let (_, a) = f.get(m, "a").unwrap();
        assert_eq!(text_of(src, &f, a), "\"q\"");
        assert_eq!(f.node(a).anchor.as_ref().unwrap().name, "x");
        assert_eq!(f.node(a).anchor.as_ref().unwrap().range.of(src), "&x");
        assert_eq!(f.node(a).full.of(src), "&x \"q\"");
        let (_, b) = f.get(m, "b").unwrap();
        assert_eq!(text_of(src, &f, b), "'it''s'");
        assert_eq!(f.node(b).scalar().unwrap().0, "it's");
        let (k, c) = f.get(m, "c").unwrap();
        assert_eq!(text_of(src, &f, k), "c");
        assert_eq!(text_of(src, &f, c), "plain text");
    }

    #[test]
    fn non_ascii_positions_are_bytes() {
        let src = "\u{feff}a: ü\nbé: \"ça\"\n";
        let f = parse(src);
        let m = root_map(&f);
        let (_, a) = f.get(m, "a").unwrap();
        assert_eq!(text_of(src, &f, a), "ü");
        let (k, v) = f.get(m, "bé").unwrap();
        assert_eq!(text_of(src, &f, k), "bé");
        assert_eq!(text_of(src, &f, v), "\"ça\"");
    }

    #[test]
    fn crlf_and_no_final_newline() {
        let src = "a: 1\r\nb:\r\n  - x\r\n  - y";
        let f = parse(src);
        assert!(f.errors.is_empty());
        let m = root_map(&f);
        let (_, b) = f.get(m, "b").unwrap();
        assert_eq!(text_of(src, &f, b), "- x\r\n  - y");
        assert_eq!(f.node(m).range.of(src), src);
    }

    #[test]
    fn a_directive_with_non_ascii_characters_shifts_nothing() {
        // found by fuzzing: saphyr counted `Ё` as two characters, every later range moved
        for src in ["%\u{401}\n---\n\"\": .\"", "\u{feff}%Ё x # é\n---\na: b\n", "%A\n---\na: é\n...\n%é\n---\nb: c\n"] {
            let f = parse(src);
            let t = f.token_ranges(src);
            assert!(t.windows(2).all(|w| w[0].end <= w[1].start), "{src}: {t:?}");
            for n in &f.nodes {
                if let NodeKind::Scalar { value, style: ScalarStyle::Plain } = &n.kind {
                    assert_eq!(n.range.of(src), value, "{src}");
                }
            }
        }
        // a `%` line inside a document is content, not a directive
        let src = "a: \"x\n %é\"\n";
        let f = parse(src);
        assert!(f.errors.is_empty(), "{:?}", f.errors);
        let (_, v) = f.get(root_map(&f), "a").unwrap();
        assert_eq!(f.node(v).scalar(), Some(("x %é", ScalarStyle::DoubleQuoted)));
    }

    #[test]
    fn a_flow_collection_as_the_first_key_of_a_block_mapping() {
        // found by fuzzing (`{]:`): the block mapping was taken for a flow one, its `{` twice
        for src in ["{a: 1}: x\n", "[a, b]: x\nc: d\n", "{]:"] {
            let f = parse(src);
            let t = f.token_ranges(src);
            assert!(t.windows(2).all(|w| w[0].end <= w[1].start), "{src}: {t:?}");
            if f.errors.is_empty() {
                let root = root_map(&f);
                assert!(matches!(f.node(root).kind, NodeKind::Mapping { flow: false, .. }), "{src}");
                assert_eq!(f.node(root).range.of(src).trim_end(), src.trim_end(), "{src}");
            }
        }
    }

    #[test]
    fn implicit_empty_values_in_flow_mappings_are_empty() {
        // found by fuzzing: `{s}` gave the empty value the range of `}`
        for (src, at) in [("{s}", 2), ("{s, t}", 2), ("{? s}", 4)] {
            let f = parse(src);
            assert!(f.errors.is_empty());
            let m = root_map(&f);
            let (_, v) = f.get(m, "s").unwrap();
            assert_eq!(f.node(v).range, TextRange::empty(at), "{src}");
            let t = f.token_ranges(src);
            assert!(t.windows(2).all(|w| w[0].end <= w[1].start), "{src}: {t:?}");
        }
    }

    #[test]
    fn block_scalar_header_after_a_comment_ended_by_a_lone_cr() {
        // found by the fuzzer: a comment ended by `\r` alone swallowed the `|` header
        let src = "# head\r|\r  literal";
        let f = parse(src);
        assert!(f.errors.is_empty());
        let root = f.nodes.iter().find(|n| matches!(n.kind, NodeKind::Scalar { .. })).unwrap();
        assert_eq!(root.range.of(src), "|\r  literal");
        assert_eq!(f.comments.iter().map(|c| c.of(src)).collect::<Vec<_>>(), ["# head"]);
        let src = "a: | # note\r  x\r";
        let f = parse(src);
        assert_eq!(f.comments.iter().map(|c| c.of(src)).collect::<Vec<_>>(), ["# note"]);
    }

    #[test]
    fn quoted_scalar_before_comment() {
        let src = "p:\n  - \"a:b\" # note\n  - 'x''y'   # n2\n  - \"e\\\"q\"\n";
        let f = parse(src);
        let m = root_map(&f);
        let (_, p) = f.get(m, "p").unwrap();
        let NodeKind::Sequence { items, .. } = &f.node(p).kind else { panic!() };
        let texts: Vec<&str> = items.iter().map(|i| text_of(src, &f, *i)).collect();
        assert_eq!(texts, ["\"a:b\"", "'x''y'", "\"e\\\"q\""]);
        assert_eq!(f.comments.len(), 2);
    }

    #[test]
    fn block_collections_end_at_last_child() {
        let src = "s:\n  a: 1\n  b: [1, 2]   # c\n# trailing\nt: x\n";
        let f = parse(src);
        let m = root_map(&f);
        let (_, s) = f.get(m, "s").unwrap();
        assert_eq!(text_of(src, &f, s), "a: 1\n  b: [1, 2]");
        let (_, b) = f.get(s, "b").unwrap();
        assert_eq!(text_of(src, &f, b), "[1, 2]");
        assert_eq!(f.comments.iter().map(|c| c.of(src)).collect::<Vec<_>>(), vec!["# c", "# trailing"]);
    }

    #[test]
    fn block_scalar_includes_header() {
        let src = "a: |\n  line1\n  line2\nb: >-\n  folded\nc: &k | # note\n  x\n";
        let f = parse(src);
        assert!(f.errors.is_empty(), "{:?}", f.errors);
        let m = root_map(&f);
        let (_, a) = f.get(m, "a").unwrap();
        assert_eq!(text_of(src, &f, a), "|\n  line1\n  line2\n");
        assert_eq!(f.node(a).scalar().unwrap(), ("line1\nline2\n", ScalarStyle::Literal));
        let (_, b) = f.get(m, "b").unwrap();
        assert!(text_of(src, &f, b).starts_with(">-\n  folded"));
        let (_, c) = f.get(m, "c").unwrap();
        assert!(text_of(src, &f, c).starts_with("| # note"));
        assert_eq!(f.node(c).anchor.as_ref().unwrap().name, "k");
        assert_eq!(f.comments.len(), 1);
    }

    #[test]
    fn empty_values_sit_after_colon() {
        let src = "a:\nb: !reset\nc: &e\n";
        let f = parse(src);
        let m = root_map(&f);
        let (_, a) = f.get(m, "a").unwrap();
        assert_eq!(f.node(a).range, TextRange::empty(2));
        assert!(f.node(a).is_null());
        let (_, b) = f.get(m, "b").unwrap();
        assert_eq!(f.node(b).tag.as_ref().unwrap().text, "!reset");
        assert!(f.node(b).range.is_empty());
    }

    #[test]
    fn aliases_and_tags() {
        let src = "x: &a {k: 1}\ny: *a\nz: !override [1]\n";
        let f = parse(src);
        let m = root_map(&f);
        let (_, x) = f.get(m, "x").unwrap();
        let (_, y) = f.get(m, "y").unwrap();
        assert_eq!(text_of(src, &f, x), "{k: 1}");
        assert_eq!(text_of(src, &f, y), "*a");
        assert_eq!(f.resolve(y), x);
        let (_, z) = f.get(m, "z").unwrap();
        assert_eq!(f.node(z).tag.as_ref().unwrap().text, "!override");
        assert_eq!(text_of(src, &f, z), "[1]");
    }

    #[test]
    fn multiple_documents() {
        let src = "---\na: 1\n---\nb: 2\n...\n";
        let f = parse(src);
        assert_eq!(f.docs.len(), 2);
        assert!(f.docs[0].explicit_start);
        let r1 = f.docs[1].root.unwrap();
        assert!(f.get(r1, "b").is_some());
    }

    #[test]
    fn tab_indentation_is_an_error() {
        let src = "a:\n\tb: 1\n";
        let f = parse(src);
        assert_eq!(f.errors.len(), 1);
        assert_eq!(f.errors[0].range, TextRange::new(3, 4));
        assert!(f.errors[0].message.contains("tab"), "{}", f.errors[0].message);
    }

    #[test]
    fn unclosed_flow_is_an_error_at_end() {
        let f = parse("b: [1,\n");
        assert_eq!(f.errors.len(), 1);
        assert_eq!(f.errors[0].range.start, 7);
    }

    #[test]
    fn deep_nesting_is_refused() {
        let src = "[".repeat(10_000);
        let f = parse(&src);
        assert_eq!(f.errors.len(), 1);
        // saphyr's own limit may fire first while scanning ahead
        let m = &f.errors[0].message;
        assert!(m.contains("nested") || m.contains("recursion limit"), "{m}");
    }

    #[test]
    fn empty_and_comment_only() {
        assert!(parse("").docs.is_empty());
        let f = parse("# only\n");
        assert!(f.docs.is_empty());
        assert_eq!(f.comments.len(), 1);
    }

    #[test]
    fn garbage_never_panics() {
        for src in ["\0\0", "\u{1a}: [", "- - - -", "? ? ?", "{a: *b}", "&a &b x", "!<x", "a: |9\n", "\"\\", ": :"] {
            let _ = parse(src);
        }
    }
}

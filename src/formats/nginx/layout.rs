//! Where and how to write new directives into an nginx file, in the file's own style: the
//! indentation its blocks use (tabs or spaces, and how many) and its line endings. Fixes are
//! byte-range edits on the original text; these helpers say which range and which text.

use super::syntax::{DirectiveEnd, DirectiveId, SyntaxTree, TokenKind};
use crate::source::{SourceFile, TextRange};

/// An edit that adds a directive: replace `range` (usually empty) with
/// `before + directive + after`.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Insertion {
    pub range: TextRange,
    pub before: String,
    pub after: String,
}

impl Insertion {
    /// The replacement text for `range`, given the directive as it should be written
    /// (e.g. `proxy_read_timeout 720s;`).
    pub fn text(&self, directive: &str) -> String {
        format!("{}{directive}{}", self.before, self.after)
    }
}

/// The whitespace that starts the line holding `offset`, if only whitespace precedes
/// `offset` on that line (`None` when something else comes first).
pub fn line_indent(src: &SourceFile, offset: usize) -> Option<&str> {
    let text = &src.text;
    let line_start = text[..offset].rfind(['\n', '\r']).map(|i| i + 1).unwrap_or(0);
    let lead = &text[line_start..offset];
    lead.bytes().all(|b| b == b' ' || b == b'\t').then_some(lead)
}

/// The indentation of the line that holds `offset`, whatever follows it.
fn indent_of_line(src: &SourceFile, offset: usize) -> &str {
    let text = &src.text;
    let line_start = text[..offset].rfind(['\n', '\r']).map(|i| i + 1).unwrap_or(0);
    let rest = &text[line_start..];
    let n = rest.bytes().take_while(|&b| b == b' ' || b == b'\t').count();
    &rest[..n]
}

/// One level of indentation in this file: what a child adds to its parent's indentation,
/// taken from the first block whose child starts its own line. Falls back to a tab if the
/// file indents with tabs, else four spaces.
pub fn indent_unit(tree: &SyntaxTree, src: &SourceFile) -> String {
    for (_, d) in tree.directives() {
        let Some(parent) = d.parent else { continue };
        let (Some(child), Some(outer)) =
            (line_indent(src, d.range.start as usize), line_indent(src, tree.directive(parent).range.start as usize))
        else {
            continue;
        };
        if let Some(step) = child.strip_prefix(outer)
            && !step.is_empty()
        {
            return step.to_string();
        }
    }
    let tabs = src.text.split('\n').any(|l| l.starts_with('\t'));
    if tabs { "\t".to_string() } else { "    ".to_string() }
}

/// The indentation of the children of a block (or of the top level for `None`): that of
/// its first child on a line of its own, else the block's own plus one [`indent_unit`].
pub fn child_indent(tree: &SyntaxTree, src: &SourceFile, block: Option<DirectiveId>) -> String {
    for node in tree.children(block) {
        if let Some(indent) = line_indent(src, tree.node_start(*node) as usize) {
            return indent.to_string();
        }
    }
    match block {
        None => String::new(),
        Some(id) => {
            let own = indent_of_line(src, tree.directive(id).range.start as usize);
            format!("{own}{}", indent_unit(tree, src))
        }
    }
}

/// How to add a directive as the last child of a block, just before its `}`; for `None`,
/// at the end of the file. `None` when the block has no `}` (a broken file) or is not a block.
pub fn insert_at_block_end(tree: &SyntaxTree, src: &SourceFile, block: Option<DirectiveId>) -> Option<Insertion> {
    let nl = src.newline();
    let indent = child_indent(tree, src, block);
    let (limit, close_start) = match block {
        None => (src.text.len(), None),
        Some(id) => match &tree.directive(id).end {
            DirectiveEnd::Block(b) => {
                let close = b.close?;
                (close.start as usize, Some(close.start as usize))
            }
            _ => return None,
        },
    };
    // the end of the last token before the `}` that is not whitespace
    let tokens = tree.tokens();
    let idx = tokens.partition_point(|t| (t.range.start as usize) < limit);
    let offset = tokens[..idx]
        .iter()
        .rev()
        .find(|t| t.kind != TokenKind::Whitespace)
        .map(|t| before_cr(src, t.range.end as usize))
        .unwrap_or(0);
    let before = if offset == 0 && block.is_none() { String::new() } else { format!("{nl}{indent}") };
    match close_start {
        // `}` on the same line as the last token: put it on a line of its own
        Some(close) if line_indent(src, close).is_none() => {
            let outer = block.map(|id| indent_of_line(src, tree.directive(id).range.start as usize)).unwrap_or("");
            Some(Insertion { range: TextRange::new(offset, close), before, after: format!("{nl}{outer}") })
        }
        _ => Some(Insertion { range: TextRange::empty(offset), before, after: String::new() }),
    }
}

/// `end`, or the offset of the CR just before it: a comment runs to the LF, so in a CRLF file
/// its range holds the CR, and an insertion after it would split the line break.
fn before_cr(src: &SourceFile, end: usize) -> usize {
    if end > 0 && src.text.as_bytes().get(end - 1) == Some(&b'\r') && src.text.as_bytes().get(end) == Some(&b'\n') {
        end - 1
    } else {
        end
    }
}

/// How to add a directive right after another one (after its comment on the same line, if
/// any), at the same indentation.
pub fn insert_after(tree: &SyntaxTree, src: &SourceFile, id: DirectiveId) -> Insertion {
    let d = tree.directive(id);
    let mut end = d.range.end as usize;
    if !matches!(d.end, DirectiveEnd::Block(_))
        && let Some(c) = tree.trailing_comment(id, &src.text)
    {
        end = before_cr(src, tree.comment(c).range.end as usize);
    }
    let indent = indent_of_line(src, d.range.start as usize);
    Insertion { range: TextRange::empty(end), before: format!("{}{indent}", src.newline()), after: String::new() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::nginx::parse;

    fn apply(text: &str, ins: &Insertion, directive: &str) -> String {
        let mut out = text.to_string();
        out.replace_range(ins.range.range(), &ins.text(directive));
        out
    }

    fn find(tree: &SyntaxTree, text: &str, name: &str) -> DirectiveId {
        tree.directives().find(|(_, d)| d.is(text, name)).unwrap().0
    }

    #[test]
    fn adds_before_the_closing_brace_with_the_childrens_indent() {
        let text = "server {\n    listen 80;\n    location / {\n        proxy_pass http://odoo;\n    }\n}\n";
        let src = SourceFile::from_text("x", text);
        let t = parse(text);
        let loc = find(&t, text, "location");
        let ins = insert_at_block_end(&t, &src, Some(loc)).unwrap();
        assert_eq!(
            apply(text, &ins, "proxy_read_timeout 720s;"),
            "server {\n    listen 80;\n    location / {\n        proxy_pass http://odoo;\n        proxy_read_timeout 720s;\n    }\n}\n"
        );
        let after = apply(text, &ins, "proxy_read_timeout 720s;");
        assert!(parse(&after).errors().is_empty());
    }

    #[test]
    fn tabs_crlf_and_empty_blocks() {
        let text = "http {\r\n\tserver {\r\n\t}\r\n}\r\n";
        let src = SourceFile::from_text("x", text);
        let t = parse(text);
        assert_eq!(indent_unit(&t, &src), "\t");
        let server = find(&t, text, "server");
        let ins = insert_at_block_end(&t, &src, Some(server)).unwrap();
        assert_eq!(apply(text, &ins, "listen 80;"), "http {\r\n\tserver {\r\n\t\tlisten 80;\r\n\t}\r\n}\r\n");
    }

    #[test]
    fn one_line_blocks_get_their_brace_on_a_new_line() {
        let text = "server {\n  location / { proxy_pass http://a; }\n  location /b {}\n}\n";
        let src = SourceFile::from_text("x", text);
        let t = parse(text);
        assert_eq!(indent_unit(&t, &src), "  ");
        let loc = find(&t, text, "location");
        let out = apply(text, &insert_at_block_end(&t, &src, Some(loc)).unwrap(), "x 1;");
        assert_eq!(out, "server {\n  location / { proxy_pass http://a;\n    x 1;\n  }\n  location /b {}\n}\n");
        let t = parse(&out);
        let src = SourceFile::from_text("x", &out);
        let b = t.directives().filter(|(_, d)| d.is(&out, "location")).nth(1).unwrap().0;
        let out2 = apply(&out, &insert_at_block_end(&t, &src, Some(b)).unwrap(), "y 2;");
        assert!(out2.ends_with("  location /b {\n    y 2;\n  }\n}\n"), "{out2}");
    }

    #[test]
    fn after_a_trailing_comment_and_at_file_end() {
        let text = "location / {\n    proxy_pass http://a; # backend\n}";
        let src = SourceFile::from_text("x", text);
        let t = parse(text);
        let pp = find(&t, text, "proxy_pass");
        let ins = insert_after(&t, &src, pp);
        assert_eq!(apply(text, &ins, "x 1;"), "location / {\n    proxy_pass http://a; # backend\n    x 1;\n}");
        let top = insert_at_block_end(&t, &src, None).unwrap();
        assert_eq!(apply(text, &top, "y 2;"), "location / {\n    proxy_pass http://a; # backend\n}\ny 2;");
        let empty = SourceFile::from_text("x", "");
        assert_eq!(insert_at_block_end(&parse(""), &empty, None).unwrap().text("a;"), "a;");
    }

    #[test]
    fn after_a_trailing_comment_in_a_crlf_file() {
        // found by proptest: the comment's range holds the CR, the insertion split the CRLF
        let text = "location / {\r\n    proxy_pass http://a; # backend\r\n}\r\n# last\r\n";
        let src = SourceFile::from_text("x", text);
        let t = parse(text);
        let pp = find(&t, text, "proxy_pass");
        assert_eq!(
            apply(text, &insert_after(&t, &src, pp), "x 1;"),
            "location / {\r\n    proxy_pass http://a; # backend\r\n    x 1;\r\n}\r\n# last\r\n"
        );
        let top = insert_at_block_end(&t, &src, None).unwrap();
        assert_eq!(apply(text, &top, "y 2;"), "location / {\r\n    proxy_pass http://a; # backend\r\n}\r\n# last\r\ny 2;\r\n");
    }

    #[test]
    fn a_broken_block_has_no_insertion_point() {
        let text = "server {\n  listen 80;\n";
        let src = SourceFile::from_text("x", text);
        let t = parse(text);
        assert!(insert_at_block_end(&t, &src, Some(DirectiveId(0))).is_none());
    }
}

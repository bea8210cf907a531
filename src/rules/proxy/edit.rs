//! Writing into nginx files for fixes: new directives in a block, in the file's style, and
//! arguments replaced in place.

use crate::diagnostic::Edit;
use crate::files::FileSet;
use crate::formats::nginx::layout;
use crate::formats::nginx::model::{NginxModel, NodeId};
use crate::formats::nginx::syntax::DirectiveEnd;
use crate::source::{FileId, TextRange};

/// Where a new directive of `scope` goes: for a block (`server`, `location`), after its last
/// simple directive that precedes its first nested block (so settings stay above the
/// locations), else before its `}`; for the root level of a snippet file, at its end.
pub fn insert_directives(files: &FileSet, model: &NginxModel, scope: Option<NodeId>, directives: &[String]) -> Option<Edit> {
    let (file, block) = match scope {
        Some(n) => {
            let node = model.node(n);
            (node.file, Some(node.directive))
        }
        None => (model.root, None),
    };
    if files.get(file).is_virtual || directives.is_empty() {
        return None;
    }
    let tree = files.nginx(file)?;
    let src = files.source(file);
    let last_simple_before_blocks =
        tree.child_directives(block).take_while(|id| !matches!(tree.directive(*id).end, DirectiveEnd::Block(_))).last();
    let ins = match (last_simple_before_blocks, block) {
        (Some(id), Some(_)) => layout::insert_after(tree, src, id),
        _ => layout::insert_at_block_end(tree, src, block)?,
    };
    let nl = src.newline();
    let indent = layout::child_indent(tree, src, block);
    let joined = directives.join(&format!("{nl}{indent}"));
    Some(Edit::replace(file, ins.range, ins.text(&joined)))
}

/// An edit that replaces argument `i` of `node` (quotes and all) with `text`.
pub fn replace_arg(files: &FileSet, model: &NginxModel, node: NodeId, i: usize, text: &str) -> Option<Edit> {
    let n = model.node(node);
    if files.get(n.file).is_virtual {
        return None;
    }
    let span = n.arg_span(i)?;
    Some(Edit::replace(span.file, span.range, text.to_string()))
}

/// The byte range of the port in an address argument (`127.0.0.1:8069`,
/// `http://odoo:8069/x`), inside its quotes if quoted.
pub fn port_range(files: &FileSet, file: FileId, arg: TextRange) -> Option<TextRange> {
    let text = arg.of(&files.source(file).text);
    let (start_skip, body) = match text.chars().next() {
        Some('"') | Some('\'') if text.len() >= 2 => (1, &text[1..text.len() - 1]),
        _ => (0, text),
    };
    let authority_start = body.find("://").map(|i| i + 3).unwrap_or(0);
    let authority_end = body[authority_start..].find('/').map(|i| authority_start + i).unwrap_or(body.len());
    let authority = &body[authority_start..authority_end];
    let colon = authority.rfind(':')?;
    let digits = &authority[colon + 1..];
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let start = arg.start as usize + start_skip + authority_start + colon + 1;
    Some(TextRange::new(start, start + digits.len()))
}
